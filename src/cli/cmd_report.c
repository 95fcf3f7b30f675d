/* Commands that supervise and report: sweep, notices, stats, audit, summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/case_json.h"
#include "store/store_anchor.h"
#include "store/store_json.h"
#include "store/store_case.h"
#include "store/store_report.h"
#include "store/store_bulletin.h"
#include "report/bulletin_html.h"
#include "report/bulletin_xlsx.h"
#include "util/datetime.h"

int cmd_sweep(cli *c, int argc, char **argv, err *e) {
    static const cli_optspec spec[] = {{"at", OPT_ARG | OPT_REQUIRED}, {NULL, 0}};
    cli_args a;
    int64_t at, raised, first;
    int rc = cli_parse(argc, argv, spec, 0, 0, "duban sweep --at ISO8601", &a, e);
    if (rc || (rc = cli_open(c, false, e)) || (rc = cli_time(c, cli_opt(&a, "at"), "at", &at, e)) ||
        (rc = store_sweep(c->st, at, &raised, &first, e)))
        return rc;
    int tz = store_env(c->st)->tz;
    cli_collect x = {json_array(), tz};
    if (raised && (rc = store_notice_list(c->st, first, 0, cli_collect_notice, &x, e))) {
        json_decref(x.arr);
        return rc;
    }
    cli_print(json_pack("{s:o, s:I, s:o}", "at", case_time_json(at, tz), "raised",
                        (json_int_t)raised, "notices", x.arr));
    return 0;
}

int cmd_notices(cli *c, int argc, char **argv, err *e) {
    static const cli_optspec spec[] = {{"case", OPT_ARG}, {NULL, 0}};
    cli_args a;
    int64_t id = 0;
    int rc = cli_parse(argc, argv, spec, 0, 0, "duban notices [--case ID]", &a, e);
    if (rc || (cli_opt(&a, "case") && (rc = cli_int(cli_opt(&a, "case"), "case id", 1, INT64_MAX,
                                                    &id, e))) ||
        (rc = cli_open(c, false, e)))
        return rc;
    cli_collect x = {json_array(), store_env(c->st)->tz};
    if ((rc = store_notice_list(c->st, 0, id, cli_collect_notice, &x, e))) {
        json_decref(x.arr);
        return rc;
    }
    cli_print(x.arr);
    return 0;
}


/* duban report --month YYYY-MM [--format xlsx|html|json] [--out FILE]: the
 * month's 通报 (the workbook or the page to --out, by default
 * 通报-YYYY-MM.xlsx or .html; JSON to standard output). */
int cmd_report(cli *c, int argc, char **argv, err *e) {
    static const cli_optspec spec[] = {{"month", OPT_ARG | OPT_REQUIRED}, {"format", OPT_ARG},
                                       {"out", OPT_ARG}, {"at", OPT_ARG}, {NULL, 0}};
    cli_args a;
    int64_t from, to, before, at;
    int rc = cli_parse(argc, argv, spec, 0, 0,
                       "duban report --month YYYY-MM [--format xlsx|html|json] [--out FILE] [--at ISO8601]", &a,
                       e);
    if (rc) return rc;
    const char *fmt = cli_opt(&a, "format") ? cli_opt(&a, "format") : "xlsx";
    if (strcmp(fmt, "xlsx") != 0 && strcmp(fmt, "html") != 0 && strcmp(fmt, "json") != 0)
        return err_set(e, ERR_INVALID, "format", "--format '%s' (want xlsx, html or json)", fmt);
    if ((rc = cli_open(c, false, e)) || (rc = cli_time(c, cli_opt(&a, "at"), "at", &at, e))) return rc;
    int tz = store_env(c->st)->tz;
    bulletin b;
    if ((rc = bulletin_month(cli_opt(&a, "month"), tz, &from, &to, &before, e)) ||
        (rc = store_bulletin_get(c->st, from, to, before, cli_opt(&a, "at") ? at : store_report_at(c->st, to, at),
                                 &b, e)))
        return rc;
    /* the workbook's rates link to the site when it is known (configuration site_url) */
    if (store_config_get(c->st, "site_url", b.site, sizeof b.site, NULL)) b.site[0] = '\0';
    size_t sl = strlen(b.site);
    if (sl && b.site[sl - 1] == '/') b.site[sl - 1] = '\0';
    if (strcmp(fmt, "json") == 0) {
        cli_print(bulletin_json(&b, tz));
    } else {
        char out[256];
        snprintf(out, sizeof out, "%s", cli_opt(&a, "out") ? cli_opt(&a, "out") : "");
        if (!out[0]) snprintf(out, sizeof out, "通报-%s.%s", cli_opt(&a, "month"), fmt);
        if (strcmp(fmt, "xlsx") == 0) {
            rc = bulletin_xlsx(&b, out, at, tz, e);
        } else {
            FILE *f = fopen(out, "w");
            if (f) bulletin_html(&b, f, at, tz);
            if (!f || fclose(f)) rc = err_set(e, ERR_IO, "out", "cannot write %s", out);
        }
        if (!rc) cli_print(json_pack("{s:s, s:s}", "month", cli_opt(&a, "month"), "out", out));
    }
    bulletin_clear(&b);
    return rc;
}

int cmd_stats(cli *c, int argc, char **argv, err *e) {
    static const cli_optspec spec[] = {{"from", OPT_ARG | OPT_REQUIRED},
                                       {"to", OPT_ARG | OPT_REQUIRED},
                                       {"at", OPT_ARG},
                                       {NULL, 0}};
    cli_args a;
    int32_t from, to;
    int64_t at;
    int rc = cli_parse(argc, argv, spec, 0, 0,
                       "duban stats --from YYYY-MM-DD --to YYYY-MM-DD [--at ISO8601]", &a, e);
    if (rc || (rc = dt_parse_date(cli_opt(&a, "from"), &from, e)) ||
        (rc = dt_parse_date(cli_opt(&a, "to"), &to, e)))
        return rc;
    if (to <= from)
        return err_set(e, ERR_INVALID, "to", "--to %s must be after --from %s", cli_opt(&a, "to"),
                       cli_opt(&a, "from"));
    if ((rc = cli_open(c, false, e)) || (rc = cli_time(c, cli_opt(&a, "at"), "at", &at, e)))
        return rc;
    int tz = store_env(c->st)->tz;
    store_unit_stats *u;
    size_t n;
    store_centre centre;
    if ((rc = store_stats(c->st, dt_day_start(from, tz), dt_day_start(to, tz), at, &u, &n, e)))
        return rc;
    scheme sch;
    if ((rc = store_scheme_at(c->st, dt_day_start(from, tz), at, &sch, e))) {
        free(u);
        return rc;
    }
    json_t *o = store_stats_json(u, n, &sch, cli_opt(&a, "from"), cli_opt(&a, "to"), at, tz,
                                 store_config_int_at(c->st, "rank_min_dispatched", at, 10));
    free(u);
    if ((rc = store_centre_stats(c->st, dt_day_start(from, tz), dt_day_start(to, tz), at, &centre, e))) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "centre", store_centre_json(&centre));
    cli_print(o);
    return 0;
}

/* audit keygen: a key pair for the anchors, kept outside the database. */
static int audit_keygen(cli_args *a, err *e) {
    anchor_alg alg = ANCHOR_ED25519;
    const char *out = cli_opt(a, "out");
    char pub[1100];
    int rc = cli_opt(a, "alg") ? anchor_alg_parse(cli_opt(a, "alg"), &alg, e) : 0;
    if (rc) return rc;
    if (!out) return err_set(e, ERR_INVALID, "out", "audit keygen needs --out FILE (the private key; FILE.pub gets the public)");
    snprintf(pub, sizeof pub, "%s.pub", out);
    if ((rc = anchor_keygen(alg, out, pub, e))) return rc;
    cli_print(json_pack("{s:s, s:s, s:s}", "alg", anchor_alg_name(alg), "private_key", out, "public_key", pub));
    return 0;
}

static int audit_anchor(cli *c, cli_args *a, err *e) {
    const char *dir = cli_opt(a, "dir"), *key = cli_opt(a, "key");
    if (!dir || !key) return err_set(e, ERR_INVALID, dir ? "key" : "dir", "audit anchor needs --dir DIR and --key FILE");
    store_anchor an;
    int rc = cli_open(c, false, e);
    if (!rc) rc = store_anchor_write(c->st, dir, key, c->now, &an, e);
    if (!rc)
        cli_print(json_pack("{s:s, s:s, s:I, s:s}", "anchor", an.name, "alg", anchor_alg_name(an.alg), "leaves",
                            (json_int_t)an.leaves, "root", an.root));
    return rc;
}

int cmd_audit(cli *c, int argc, char **argv, err *e) {
    static const cli_optspec spec[] = {{"anchors", OPT_ARG}, {"pub", OPT_ARG}, {"dir", OPT_ARG}, {"key", OPT_ARG},
                                       {"alg", OPT_ARG},     {"out", OPT_ARG}, {NULL, 0}};
    cli_args a;
    store_audit au;
    int rc = cli_parse(argc, argv, spec, 1, 1,
                       "duban audit verify [--anchors DIR --pub FILE] | audit anchor --dir DIR --key FILE"
                       " | audit keygen [--alg ed25519|sm2] --out FILE", &a, e);
    if (rc) return rc;
    if (!strcmp(a.pos[0], "keygen")) return audit_keygen(&a, e);
    if (!strcmp(a.pos[0], "anchor")) return audit_anchor(c, &a, e);
    if (strcmp(a.pos[0], "verify") != 0)
        return err_set(e, ERR_INVALID, "argument", "unknown audit command '%s' (want verify, anchor or keygen)",
                       a.pos[0]);
    const char *anchors = cli_opt(&a, "anchors"), *pub = cli_opt(&a, "pub");
    if (!anchors != !pub) return err_set(e, ERR_INVALID, "pub", "--anchors DIR and --pub FILE go together");
    int checked = 0;
    if ((rc = cli_open(c, false, e)) || (rc = store_audit_verify(c->st, &au, e))) return rc;
    if (anchors && STORE_AUDIT_OK(&au) && (rc = store_anchor_verify(c->st, anchors, pub, &au, &checked, e))) return rc;
    json_t *o = store_audit_json(c->st, &au);
    if (anchors) json_object_set_new(o, "anchors", json_integer(checked));
    if (STORE_AUDIT_OK(&au)) {
        cli_print(o);
        return 0;
    }
    const char *case_no = json_string_value(json_object_get(json_object_get(o, "first_broken"), "case_no"));
    char no[CASE_CODE_MAX];
    snprintf(no, sizeof no, "%s", case_no ? case_no : "");
    cli_print(o);
    if (au.log[0])
        fprintf(stderr, "duban: audit failed: %s\n", au.why);
    else if (au.bad_seq)
        fprintf(stderr, "duban: audit failed: case %lld (%s) event %d: %s\n", (long long)au.bad_case, no,
                au.bad_seq, au.why);
    else
        fprintf(stderr, "duban: audit failed: case %lld (%s): %s\n", (long long)au.bad_case, no, au.why);
    return ERR_AUDIT;
}

int cmd_summary(cli *c, int argc, char **argv, err *e) {
    cli_args a;
    store_summary s;
    int rc = cli_parse(argc, argv, NULL, 0, 0, "duban summary", &a, e);
    if (rc || (rc = cli_open(c, false, e)) || (rc = store_summary_get(c->st, c->now, &s, e)))
        return rc;
    json_t *by = json_object();
    for (int k = 0; k < ST_COUNT; k++)
        json_object_set_new(by, case_status_name((case_status)k), json_integer(s.by_status[k]));
    cli_print(json_pack("{s:s, s:o, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:I, s:I, s:o}", "db",
                        c->db_label, "at", case_time_json(c->now, store_env(c->st)->tz), "units",
                        (json_int_t)s.units, "categories", (json_int_t)s.categories, "cases",
                        (json_int_t)s.cases, "events", (json_int_t)s.events, "notices",
                        (json_int_t)s.notices, "by_status", by, "by_appeal_type",
                        store_appeals_json(&s), "overdue_now",
                        (json_int_t)s.overdue, "provisional_deadlines",
                        (json_int_t)s.provisional, "reminders",
                        store_reminders_json(&s, store_env(c->st))));
    return 0;
}
