/* duban purge and duban retention: requester data kept no longer than each
 * channel's retention period (store_purge.h). A purge and a change of a
 * period are in the access log. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store_purge.h"
#include "util/datetime.h"

static json_t *periods_json(const int days[CH_COUNT]) {
    json_t *o = json_object();
    for (int i = 0; i < CH_COUNT; i++) json_object_set_new(o, case_channel_name((case_channel)i), json_integer(days[i]));
    return o;
}

int cmd_retention(cli *c, int argc, char **argv, err *e) {
    const char *usage = "duban retention show | retention set CHANNEL DAYS";
    cli_args a;
    int days[CH_COUNT];
    int rc = cli_parse(argc, argv, NULL, 1, 3, usage, &a, e);
    if (rc || (rc = cli_open(c, false, e))) return rc;
    if (!strcmp(a.pos[0], "set") && a.npos == 3) {
        case_channel ch;
        int64_t n;
        char detail[64];
        store_actor who = cli_actor(c);
        if ((rc = case_channel_parse(a.pos[1], &ch, e)) ||
            (rc = cli_int(a.pos[2], "days", STORE_RETENTION_MIN, 36500, &n, e)) || (rc = store_begin(c->st, e)))
            return rc;
        snprintf(detail, sizeof detail, "%s=%lld days", a.pos[1], (long long)n);
        rc = store_retention_set(c->st, ch, (int)n, e);
        if ((rc = store_logged_end(c->st, rc, &who, "retention_changed", detail, e))) return rc;
    } else if (strcmp(a.pos[0], "show") != 0 || a.npos != 1) {
        return err_set(e, ERR_INVALID, "argument", "usage: %s", usage);
    }
    if ((rc = store_retention_get(c->st, days, e))) return rc;
    cli_print(json_pack("{s:o, s:i}", "days", periods_json(days), "default", STORE_RETENTION_DEFAULT));
    return 0;
}

int cmd_purge(cli *c, int argc, char **argv, err *e) {
    static const cli_optspec spec[] = {{"before", OPT_ARG}, {"dry-run", 0}, {NULL, 0}};
    cli_args a;
    int64_t before;
    int days[CH_COUNT];
    store_purge_result r;
    int rc = cli_parse(argc, argv, spec, 0, 0, "duban purge [--before DATE] [--dry-run]", &a, e);
    if (rc || (rc = cli_open(c, false, e)) || (rc = cli_time(c, cli_opt(&a, "before"), "before", &before, e)) ||
        (rc = store_retention_get(c->st, days, e)))
        return rc;
    if (before > c->now) return err_set(e, ERR_INVALID, "before", "--before is in the future");
    bool dry = cli_opt(&a, "dry-run") != NULL;
    int tz = store_env(c->st)->tz;
    char when[32], detail[160];
    dt_format_instant(before, tz, when);
    if (dry) {
        rc = store_purge(c->st, before, c->now, true, &r, e);
    } else {
        /* a purge spans many transactions: its entry follows its last one */
        store_actor who = cli_actor(c);
        rc = store_purge(c->st, before, c->now, false, &r, e);
        snprintf(detail, sizeof detail, "%lld cases closed before %.10s%s", (long long)r.cases, when,
                 rc ? " (stopped by an error)" : "");
        if (r.cases || !rc) {
            err e2 = {0};
            int lrc = store_begin(c->st, &e2);
            lrc = store_logged_end(c->st, lrc, &who, "purge", detail, &e2);
            if (!rc && lrc) rc = err_set(e, e2.code, e2.field, "%s", e2.msg);
        }
    }
    if (rc) return rc;
    json_t *cut = json_object();
    for (int i = 0; i < CH_COUNT; i++) {
        char day[32];
        int64_t t = c->now - (int64_t)days[i] * 86400;
        dt_format_instant(t < before ? t : before, tz, day);
        json_object_set_new(cut, case_channel_name((case_channel)i), json_string(day));
    }
    cli_print(json_pack("{s:s, s:b, s:o, s:I, s:I, s:I, s:I}", "before", when, "dry_run", dry, "closed_before", cut,
                        "cases", (json_int_t)r.cases, "events", (json_int_t)r.events, "attachments",
                        (json_int_t)r.attachments, "kept_old_scheme", (json_int_t)r.kept));
    return 0;
}
