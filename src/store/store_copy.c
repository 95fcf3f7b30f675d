/* store_copy: see store_copy.h. Generic over the drivers: the tables come
 * from the source's own schema, in the order of their foreign keys; each row
 * is read with its values' types (db_col_type) and written with the same, so
 * the same code moves SQLite to PostgreSQL or back, and a table added by a
 * later migration is moved without anyone listing it here. */
#include "store/store_copy.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/strbuf.h"

/* Not copied: the search indexes (FTS5's tables and their shadow tables on
 * SQLite, the search table on PostgreSQL), rebuilt from the rows they
 * index, and the schema's version, which each side keeps for itself. */
static const char *const derived[] = {"case_text", "kb_text", "schema_version"};

static bool is_derived(const char *name) {
    for (size_t i = 0; i < sizeof derived / sizeof *derived; i++) {
        size_t n = strlen(derived[i]);
        if (!strncmp(name, derived[i], n) && (!name[n] || name[n] == '_')) return true;
    }
    return false;
}

static const store_sql tables_sql = {
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name",
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    " AND table_type = 'BASE TABLE' ORDER BY table_name"};
/* The tables a table's foreign keys point to. */
static const store_sql parents_sql = {
    "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)",
    "SELECT DISTINCT ccu.table_name FROM information_schema.table_constraints tc"
    " JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name"
    " AND ccu.constraint_schema = tc.constraint_schema WHERE tc.constraint_type = 'FOREIGN KEY'"
    " AND tc.table_schema = current_schema() AND tc.table_name = ?1"};
/* The order rows were made in: SQLite's rowid; PostgreSQL's primary key. */
static const store_sql order_sql = {
    "SELECT 'rowid'",
    "SELECT string_agg(kcu.column_name, ', ' ORDER BY kcu.ordinal_position)"
    " FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage kcu"
    " ON kcu.constraint_name = tc.constraint_name AND kcu.constraint_schema = tc.constraint_schema"
    " WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema()"
    " AND tc.table_name = ?1"};
/* The columns a PostgreSQL sequence fills: after rows with explicit values,
 * each must continue past them. */
static const store_sql serial_sql = {
    "",
    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
    " AND table_name = ?1 AND column_default LIKE 'nextval(%'"};
static const store_sql sequence_sql = {
    "", "SELECT setval(pg_get_serial_sequence('%s', '%s'),"
        " coalesce((SELECT max(%s) FROM %s), 0) + 1, false)"};

/* The search index over the copied cases: SQLite's is rebuilt from the
 * case table (and marked caught up), PostgreSQL's is a table filled here.
 * (The knowledge base's index follows its rows by trigger on SQLite and is
 * an index over the table itself on PostgreSQL.) */
static const store_sql text_rebuild_sql = {
    "INSERT INTO case_text(case_text) VALUES('rebuild');"
    "UPDATE config SET value = (SELECT CAST(coalesce(max(id), 0) AS TEXT) FROM cases)"
    " WHERE key = 'text_indexed_to'",
    "INSERT INTO case_text(id, title, description) SELECT id, title, description FROM cases"};

void store_copy_tables_free(store_copy_tables *t) {
    for (size_t i = 0; i < t->n; i++) free(t->name[i]);
    free(t->name);
    t->name = NULL;
    t->n = 0;
}

/* Each name in turn, a table after every table its foreign keys point to
 * (a table's keys to itself aside: its rows go in the order they were made). */
typedef struct node {
    char *name;
    char **parents;
    size_t n_parents;
    int state; /* 0 not placed, 1 being placed, 2 placed */
} node;

static int place(node *g, size_t n, size_t i, store_copy_tables *out, err *e) {
    if (g[i].state == 2) return 0;
    if (g[i].state == 1) return err_set(e, ERR_INVALID, "", "the foreign keys of %s form a cycle", g[i].name);
    g[i].state = 1;
    for (size_t p = 0; p < g[i].n_parents; p++)
        for (size_t k = 0; k < n; k++)
            if (k != i && !strcmp(g[k].name, g[i].parents[p])) {
                int rc = place(g, n, k, out, e);
                if (rc) return rc;
            }
    g[i].state = 2;
    if (!(out->name[out->n] = strdup(g[i].name))) return err_set(e, ERR_NOMEM, "", "out of memory");
    out->n++;
    return 0;
}

int store_copy_tables_of(store *s, store_copy_tables *out, err *e) {
    db_stmt *st;
    node *g = NULL;
    size_t n = 0, cap = 0;
    memset(out, 0, sizeof *out);
    int rc = st_prepare(s, st_sql(s, &tables_sql), 0, &st, e);
    while (!rc && db_next(st, &rc, e)) {
        const char *name = db_col_text(st, 0);
        if (is_derived(name)) continue;
        if ((rc = st_grow(&g, &cap, n, sizeof *g, e))) break;
        memset(&g[n], 0, sizeof g[n]);
        if (!(g[n++].name = strdup(name))) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    }
    if (st) db_finalize(st);
    for (size_t i = 0; !rc && i < n; i++) {
        size_t pcap = 0;
        if ((rc = st_prepare(s, st_sql(s, &parents_sql), 0, &st, e))) break;
        db_bind_text(st, 1, g[i].name);
        while (db_next(st, &rc, e)) {
            if ((rc = st_grow(&g[i].parents, &pcap, g[i].n_parents, sizeof *g[i].parents, e))) break;
            if (!(g[i].parents[g[i].n_parents++] = strdup(db_col_text(st, 0))))
                rc = err_set(e, ERR_NOMEM, "", "out of memory");
        }
        db_finalize(st);
    }
    if (!rc && !(out->name = calloc(n ? n : 1, sizeof *out->name))) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    for (size_t i = 0; !rc && i < n; i++) rc = place(g, n, i, out, e);
    for (size_t i = 0; i < n; i++) {
        free(g[i].name);
        for (size_t p = 0; p < g[i].n_parents; p++) free(g[i].parents[p]);
        free(g[i].parents);
    }
    free(g);
    if (rc) store_copy_tables_free(out);
    return st_fail(rc, e, "the tables to copy");
}

/* The SQL of a table's question: its text made whole, or the error naming
 * the table (the caller releases sql either way). */
__attribute__((format(printf, 4, 5))) static int table_sql(strbuf *sql, const char *table, err *e, const char *fmt,
                                                           ...) {
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(sql, fmt, ap);
    va_end(ap);
    if (!sql->failed) return 0;
    char what[96];
    snprintf(what, sizeof what, "the SQL for table %.64s", table);
    return strbuf_check(sql, what, e);
}

int store_count_rows(store *s, const char *table, int64_t *n, err *e) {
    strbuf sql = STRBUF_INIT(1024);
    int rc = table_sql(&sql, table, e, "SELECT count(*) FROM %s", table);
    if (!rc) rc = st_fail(db_query_int(s->db, strbuf_str(&sql), n, e), e, table);
    strbuf_release(&sql);
    return rc;
}

/* A one-row text answer of a per-table question (NULL text: none). */
static int ask(store *s, const store_sql *q, const char *table, char *out, size_t n, err *e) {
    db_stmt *st;
    out[0] = '\0';
    if (!st_sql(s, q)[0]) return 0;
    int rc = st_prepare(s, st_sql(s, q), 0, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, table);
    if (!(rc = db_first(st, e))) st_col_copy(st, 0, out, n);
    db_finalize(st);
    return rc == ERR_NOTFOUND ? 0 : rc;
}

/* INSERT INTO t(c1, ...) VALUES(?1, ...) for the columns of the source row. */
static int insert_for(store *to, const char *table, db_stmt *row, db_stmt **ins, err *e) {
    strbuf sql = STRBUF_INIT(64 << 10);
    int n = db_col_count(row);
    strbuf_addf(&sql, "INSERT INTO %s(", table);
    for (int i = 0; i < n; i++) strbuf_addf(&sql, "%s%s", i ? ", " : "", db_col_name(row, i));
    strbuf_adds(&sql, ") VALUES(");
    for (int i = 0; i < n; i++) strbuf_addf(&sql, "%s?%d", i ? ", " : "", i + 1);
    int rc = table_sql(&sql, table, e, ")");
    /* sent without waiting for each row where the driver can (a pipeline) */
    if (!rc) rc = st_prepare(to, strbuf_str(&sql), DB_PERSISTENT | DB_DEFER, ins, e);
    strbuf_release(&sql);
    return rc;
}

/* The rows of a table, in the order they were made, and each sequence of
 * the target past them. */
static int copy_table(store *from, store *to, const char *table, store_progress_fn fn, void *ctx, err *e) {
    db_stmt *sel = NULL, *ins = NULL;
    char order[256];
    int64_t rows = 0;
    int rc = ask(from, &order_sql, table, order, sizeof order, e);
    if (rc) return rc;
    strbuf sql = STRBUF_INIT(4096);
    if (!(rc = table_sql(&sql, table, e, "SELECT * FROM %s%s%s", table, order[0] ? " ORDER BY " : "", order)))
        rc = st_prepare(from, strbuf_str(&sql), DB_LARGE, &sel, e);
    strbuf_release(&sql);
    if (rc) return rc;
    while (db_next(sel, &rc, e)) {
        if (!ins && (rc = insert_for(to, table, sel, &ins, e))) break;
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
        if (++rows % 10000 == 0 && fn) fn(ctx, table, rows);
    }
    db_finalize(sel);
    db_finalize(ins);
    if (!rc && st_sql(to, &serial_sql)[0] && !(rc = st_prepare(to, st_sql(to, &serial_sql), 0, &sel, e))) {
        db_bind_text(sel, 1, table);
        while (db_next(sel, &rc, e)) {
            char col[64];
            int64_t ignored;
            st_col_copy(sel, 0, col, sizeof col);
            strbuf setval = STRBUF_INIT(4096);
            if (!(rc = table_sql(&setval, table, e, st_sql(to, &sequence_sql), table, col, col, table)))
                rc = db_query_int(to->db, strbuf_str(&setval), &ignored, e);
            strbuf_release(&setval);
        }
        db_finalize(sel);
    }
    if (!rc && fn) fn(ctx, table, rows);
    return st_fail(rc, e, table);
}

int store_copy(store *from, store *to, const store_copy_tables *tables, store_progress_fn fn, void *ctx,
               err *e) {
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
        /* what the target's migrations filled (configuration, calendar,
         * policy ...) gives way to the source's: children first */
        for (size_t i = tables->n; rc == 0 && i-- > 0;) {
            strbuf sql = STRBUF_INIT(1024);
            if (!(rc = table_sql(&sql, tables->name[i], e, "DELETE FROM %s", tables->name[i])))
                rc = st_fail(db_exec(to->db, strbuf_str(&sql), e), e, tables->name[i]);
            strbuf_release(&sql);
        }
        for (size_t i = 0; rc == 0 && i < tables->n; i++) rc = copy_table(from, to, tables->name[i], fn, ctx, e);
        if (!rc) rc = st_fail(db_exec(to->db, st_sql(to, &text_rebuild_sql), e), e, "search index");
        if (!rc) rc = st_env_changed(to, e);
        rc = st_tx_end(to, rc, e);
    }
    st_snapshot_end(from, began);
    return rc ? rc : st_load_env(to, e);
}
