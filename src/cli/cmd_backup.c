/* duban backup PATH and duban restore PATH: a SQLite deployment's copy,
 * taken while the server runs, and its restore into a new database, proved
 * by the audit of every hash chain (store_backup.h). */
#include <stdio.h>

#include "cli/cli.h"
#include "store/store_backup.h"
#include "store/store_audit.h"
#include "store/store_report.h"

static json_t *info_json(const char *key, const char *path, const store_backup_info *b) {
    json_t *o = json_pack("{s:s, s:I, s:i, s:I, s:I}", key, path, "bytes", (json_int_t)b->bytes, "schema",
                          b->schema, "cases", (json_int_t)b->cases, "events", (json_int_t)b->events);
    if (b->tables.n) {
        json_t *t = json_object();
        for (size_t i = 0; i < b->tables.n; i++)
            json_object_set_new(t, b->tables.name[i], json_pack("{s:I, s:I}", "database", (json_int_t)b->rows[i][0],
                                                                "copy", (json_int_t)b->rows[i][1]));
        json_object_set_new(o, "tables", t);
        json_object_set_new(o, "counts_match", json_boolean(b->counts_match));
    }
    return o;
}

int cmd_backup(cli *c, int argc, char **argv, err *e) {
    cli_args a;
    store_backup_info b = {0};
    int rc = cli_parse(argc, argv, NULL, 1, 1, "duban backup PATH", &a, e);
    if (!rc && !(rc = cli_open(c, false, e)) && !(rc = store_backup(c->st, a.pos[0], &b, e)))
        cli_print(info_json("backup", a.pos[0], &b));
    store_backup_info_free(&b);
    return rc;
}

int cmd_restore(cli *c, int argc, char **argv, err *e) {
    cli_args a;
    store_backup_info b = {0};
    store_audit au;
    int rc = cli_parse(argc, argv, NULL, 1, 1, "duban --db NEW restore BACKUP", &a, e);
    if (rc || (rc = store_restore(a.pos[0], c->db_path, &b, e))) return rc;
    /* opened as the server would open it: an older schema is upgraded */
    if ((rc = cli_open(c, false, e)) || (rc = store_audit_verify(c->st, &au, e))) return rc;
    json_t *o = info_json("restored", c->db_label, &b);
    json_object_set_new(o, "audit", json_pack("{s:b, s:I, s:I}", "ok", STORE_AUDIT_OK(&au), "cases", (json_int_t)au.cases,
                                              "events", (json_int_t)au.events));
    cli_print(o);
    if (!STORE_AUDIT_OK(&au))
        return err_set(e, ERR_CONFLICT, "backup", "the restored database fails audit verify at case %lld: %s",
                       (long long)au.bad_case, au.why);
    return 0;
}
