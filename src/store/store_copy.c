/* store_copy: see store_copy.h. Generic over the drivers: each row is read
 * with its values' types (db_col_type) and written with the same, so the
 * same code moves SQLite to PostgreSQL or back. */
#include "store/store_copy.h"

#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

/* Parents before children (foreign keys hold at every insert); within a
 * table, in the order the rows were made. `serial`: the column a PostgreSQL
 * sequence fills, brought past the copied rows afterwards. */
static const struct table {
    const char *name, *order, *serial;
    bool seeded; /* the migrations fill it: the copy replaces those rows */
} tables[] = {
    {"config", "key", NULL, true},
    {"units", "id", "id", false},
    {"categories", "id", "id", false},
    {"calendar_days", "day", NULL, true},
    {"policy", "channel, class, stage", NULL, true},
    {"case_seq", "day", NULL, false},
    {"cases", "id", "id", false},
    {"case_units", "rowid", "rowid", false},
    {"events", "id", "id", false},
    {"notices", "id", "id", false},
    {"case_alerts", "case_id", NULL, false},
    {"users", "id", "id", false},
    {"sessions", "id", "id", false},
    {"api_tokens", "id", "id", false},
    {"login_failures", "key", NULL, false},
    {"access_log", "id", "id", false},
    {"idempotency", "actor, key", NULL, false},
    {"case_locations", "case_id", NULL, false},
    {"case_media", "rowid", "rowid", false},
    {"category_attributes", "id", "id", false},
    {"case_attributes", "case_id, code", NULL, false},
    {"kb", "id", "id", false},
    {"attachments", "id", "id", false},
};
#define N_TABLES (sizeof tables / sizeof *tables)

const char *store_copy_table(size_t i) { return i < N_TABLES ? tables[i].name : NULL; }

/* The search index over the copied cases: SQLite's is rebuilt from the
 * case table (and marked caught up), PostgreSQL's is a table filled here. */
static const store_sql text_rebuild_sql = {
    "INSERT INTO case_text(case_text) VALUES('rebuild');"
    "UPDATE config SET value = (SELECT CAST(coalesce(max(id), 0) AS TEXT) FROM cases)"
    " WHERE key = 'text_indexed_to'",
    "INSERT INTO case_text(id, title, description) SELECT id, title, description FROM cases"};

/* After the rows with explicit ids, a sequence must continue past them. */
static const store_sql sequence_sql = {
    "", "SELECT setval(pg_get_serial_sequence('%s', '%s'),"
        " coalesce((SELECT max(%s) FROM %s), 0) + 1, false)"};

int store_count_rows(store *s, const char *table, int64_t *n, err *e) {
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    return st_fail(db_query_int(s->db, sql, n, e), e, table);
}

/* INSERT INTO t(c1, ...) VALUES(?1, ...) for the columns of the source row. */
static int insert_for(store *to, const struct table *t, db_stmt *row, db_stmt **ins, err *e) {
    char sql[2048];
    int n = db_col_count(row), k = snprintf(sql, sizeof sql, "INSERT INTO %s(", t->name);
    for (int i = 0; i < n && k < (int)sizeof sql; i++)
        k += snprintf(sql + k, sizeof sql - (size_t)k, "%s%s", i ? ", " : "", db_col_name(row, i));
    k += snprintf(sql + k, sizeof sql - (size_t)k, ") VALUES(");
    for (int i = 0; i < n && k < (int)sizeof sql; i++)
        k += snprintf(sql + k, sizeof sql - (size_t)k, "%s?%d", i ? ", " : "", i + 1);
    if (k + 2 >= (int)sizeof sql) return err_set(e, ERR_INVALID, "", "table %s is too wide", t->name);
    strcat(sql, ")");
    return st_prepare(to, sql, DB_PERSISTENT, ins, e);
}

static int copy_table(store *from, store *to, const struct table *t, store_progress_fn fn,
                      void *ctx, err *e) {
    db_stmt *sel = NULL, *ins = NULL;
    char sql[256];
    int64_t rows = 0;
    int rc = 0;
    if (t->seeded) {
        snprintf(sql, sizeof sql, "DELETE FROM %s", t->name);
        if ((rc = db_exec(to->db, sql, e))) return rc;
    }
    snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY %s", t->name, t->order);
    if ((rc = st_prepare(from, sql, DB_LARGE, &sel, e))) return rc;
    while (db_next(sel, &rc, e)) {
        if (!ins && (rc = insert_for(to, t, sel, &ins, e))) break;
        db_reset(ins);
        for (int i = 0; i < db_col_count(sel); i++) {
            size_t n;
            const void *b;
            switch (db_col_type(sel, i)) {
            case DB_INT: db_bind_int(ins, i + 1, db_col_int(sel, i)); break;
            case DB_DOUBLE: db_bind_double(ins, i + 1, db_col_double(sel, i)); break;
            case DB_TEXT: db_bind_text(ins, i + 1, db_col_text(sel, i)); break;
            case DB_BLOB:
                b = db_col_blob(sel, i, &n);
                db_bind_blob(ins, i + 1, b, n);
                break;
            default: db_bind_null(ins, i + 1);
            }
        }
        if ((rc = db_run(ins, e))) break;
        if (++rows % 10000 == 0 && fn) fn(ctx, t->name, rows);
    }
    db_finalize(sel);
    db_finalize(ins);
    if (!rc && t->serial && st_sql(to, &sequence_sql)[0]) {
        snprintf(sql, sizeof sql, st_sql(to, &sequence_sql), t->name, t->serial, t->serial, t->name);
        int64_t ignored;
        rc = db_query_int(to->db, sql, &ignored, e);
    }
    if (!rc && fn) fn(ctx, t->name, rows);
    return st_fail(rc, e, t->name);
}

int store_copy(store *from, store *to, store_progress_fn fn, void *ctx, err *e) {
    static const char *const must_be_empty[] = {"units", "cases", "users"};
    int rc;
    for (size_t i = 0; i < sizeof must_be_empty / sizeof *must_be_empty; i++) {
        int64_t n;
        if ((rc = store_count_rows(to, must_be_empty[i], &n, e))) return rc;
        if (n)
            return err_set(e, ERR_CONFLICT, "to",
                           "the target already has %s (%lld rows); copy into an empty database",
                           must_be_empty[i], (long long)n);
    }
    bool began;
    if ((rc = st_snapshot_begin(from, &began, e))) return rc;
    if (!(rc = st_tx_begin(to, e))) {
        for (size_t i = 0; rc == 0 && i < N_TABLES; i++) rc = copy_table(from, to, &tables[i], fn, ctx, e);
        if (!rc) rc = st_fail(db_exec(to->db, st_sql(to, &text_rebuild_sql), e), e, "search index");
        if (!rc) rc = st_env_changed(to, e);
        rc = st_tx_end(to, rc, e);
    }
    st_snapshot_end(from, began);
    return rc ? rc : st_load_env(to, e);
}
