/* duban migrate-store: moves a deployment to another database (SQLite to
 * PostgreSQL when a county's system becomes a city's), then proves the copy:
 * every table's row count on both sides, and the audit of every hash chain
 * on the target. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/store_copy.h"
#include "store/store_report.h"

typedef struct progress { bool tty; } progress;

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
    if ((rc = store_copy(from, to, show, &p, e))) goto out;
    if (p.tty) fputc('\n', stderr);
    json_t *tables = json_object();
    bool same = true;
    for (size_t i = 0; store_copy_table(i); i++) {
        int64_t n_from, n_to;
        const char *t = store_copy_table(i);
        if ((rc = store_count_rows(from, t, &n_from, e)) || (rc = store_count_rows(to, t, &n_to, e))) {
            json_decref(tables);
            goto out;
        }
        same &= n_from == n_to;
        json_object_set_new(tables, t, json_pack("{s:I, s:I}", "from", (json_int_t)n_from, "to",
                                                 (json_int_t)n_to));
    }
    if ((rc = store_audit_verify(to, &au, e))) {
        json_decref(tables);
        goto out;
    }
    cli_print(json_pack("{s:s, s:s, s:o, s:b, s:{s:b, s:I, s:I}}", "from", from_label, "to",
                        to_label, "tables", tables, "counts_match", same, "audit", "ok",
                        !au.bad_case, "cases", (json_int_t)au.cases, "events",
                        (json_int_t)au.events));
    if (!same) rc = err_set(e, ERR_CONFLICT, "to", "row counts differ between the two databases");
    else if (au.bad_case) rc = err_set(e, ERR_CONFLICT, "to", "the copy fails audit verify at case %lld: %s",
                                       (long long)au.bad_case, au.why);
out:
    store_close(from);
    store_close(to);
    (void)c;
    return rc;
}
