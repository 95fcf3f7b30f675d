/* duban migrate-store: moves a deployment to another database (SQLite to
 * PostgreSQL when a county's system becomes a city's), then proves the copy:
 * the row count of every table of the source's schema on both sides, the
 * 通报 of the last three months (综合考评 and 码上评 in it) the same from both,
 * and the audit of every hash chain on the target. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/store_copy.h"
#include "store/store_bulletin.h"
#include "store/store_audit.h"
#include "store/store_report.h"
#include "util/datetime.h"

typedef struct progress { bool tty; } progress;

/* The 通报 — its 综合考评 and 码上评 within — of the last three months with
 * cases, read from both sides as of now: the figures a move must keep.
 * *months receives the months compared; *same whether every one matched
 * (the first that did not is named in *differs). */
static int same_figures(store *from, store *to, int64_t now, json_t *months, bool *same, char differs[24],
                        err *e) {
    int64_t last;
    int tz = store_env(from)->tz;
    *same = true;
    differs[0] = '\0';
    int rc = store_latest_received(from, &last, e);
    if (rc || !last) return rc;
    int32_t day = dt_local_day(last, tz);
    int y, m, d;
    dt_civil_from_days(day, &y, &m, &d);
    for (int k = 2; !rc && k >= 0; k--) {
        int yy = y, mm = m - k;
        while (mm < 1) mm += 12, yy--;
        char month[24];
        snprintf(month, sizeof month, "%04d-%02d", yy, mm);
        int64_t f, t, before;
        bulletin a, b;
        if ((rc = bulletin_month(month, tz, &f, &t, &before, e))) break;
        if ((rc = store_bulletin_get(from, f, t, before, now, &a, e))) break;
        if (!(rc = store_bulletin_get(to, f, t, before, now, &b, e))) {
            json_t *ja = bulletin_json(&a, tz), *jb = bulletin_json(&b, tz);
            if (!json_equal(ja, jb) && *same) {
                *same = false;
                snprintf(differs, 24, "%s", month);
            }
            json_decref(ja);
            json_decref(jb);
            bulletin_clear(&b);
        }
        bulletin_clear(&a);
        json_array_append_new(months, json_string(month));
    }
    return rc;
}

static void show(void *ctx, const char *table, int64_t rows) {
    progress *p = ctx;
    fprintf(stderr, "%smigrate-store: %-20s %lld rows%s", p->tty ? "\r" : "", table,
            (long long)rows, p->tty ? "   " : "\n");
}

int cmd_migrate_store(cli *c, int argc, char **argv, err *e) {
    static const cli_optspec spec[] = {{"from", OPT_ARG | OPT_REQUIRED},
                                       {"to", OPT_ARG | OPT_REQUIRED}, {NULL, 0}};
    cli_args a;
    store *from = NULL, *to = NULL;
    store_audit au;
    store_copy_tables list = {0};
    char from_label[512], to_label[512];
    int rc = cli_parse(argc, argv, spec, 0, 0,
                       "duban migrate-store --from sqlite:PATH --to postgresql://...", &a, e);
    if (rc) return rc;
    store_opts existing = {.must_exist = true};
    store_target_label(cli_opt(&a, "from"), from_label, sizeof from_label);
    store_target_label(cli_opt(&a, "to"), to_label, sizeof to_label);
    if ((rc = store_open(cli_opt(&a, "from"), &existing, &from, e))) goto out;
    if ((rc = store_open(cli_opt(&a, "to"), NULL, &to, e))) goto out;
    progress p = {isatty(STDERR_FILENO)};
    if ((rc = store_copy_tables_of(from, &list, e)) || (rc = store_copy(from, to, &list, show, &p, e))) goto out;
    if (p.tty) fputc('\n', stderr);
    json_t *tables = json_object();
    bool same = true;
    for (size_t i = 0; i < list.n; i++) {
        int64_t n_from, n_to;
        const char *t = list.name[i];
        if ((rc = store_count_rows(from, t, &n_from, e)) || (rc = store_count_rows(to, t, &n_to, e))) {
            json_decref(tables);
            goto out;
        }
        same &= n_from == n_to;
        json_object_set_new(tables, t, json_pack("{s:I, s:I}", "from", (json_int_t)n_from, "to",
                                                 (json_int_t)n_to));
    }
    json_t *months = json_array();
    bool figures_same;
    char differs[24];
    if ((rc = same_figures(from, to, c->now, months, &figures_same, differs, e)) ||
        (rc = store_audit_verify(to, &au, e))) {
        json_decref(tables);
        json_decref(months);
        goto out;
    }
    cli_print(json_pack("{s:s, s:s, s:o, s:b, s:{s:o, s:b}, s:{s:b, s:I, s:I}}", "from", from_label, "to",
                        to_label, "tables", tables, "counts_match", same, "figures", "months", months,
                        "match", figures_same, "audit", "ok", STORE_AUDIT_OK(&au), "cases", (json_int_t)au.cases,
                        "events", (json_int_t)au.events));
    if (!same) rc = err_set(e, ERR_CONFLICT, "to", "row counts differ between the two databases");
    else if (!figures_same)
        rc = err_set(e, ERR_CONFLICT, "to", "the 通报 of %s differs between the two databases", differs);
    else if (!STORE_AUDIT_OK(&au)) rc = err_set(e, ERR_CONFLICT, "to", "the copy fails audit verify at case %lld: %s",
                                       (long long)au.bad_case, au.why);
out:
    store_copy_tables_free(&list);
    store_close(from);
    store_close(to);
    return rc;
}
