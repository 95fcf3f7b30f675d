/* The database a test runs on. With DUBAN_TEST_DRIVER=postgresql, each one is
 * a fresh database in the throwaway cluster tests/pg.sh started
 * ($DUBAN_TEST_PG, a URL ending in '/'); otherwise a SQLite file under /tmp.
 * Raw SQL (to tamper, to age a session) goes through the same drivers. */
#ifndef DUBAN_TEST_DB_H
#define DUBAN_TEST_DB_H

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "tests/test.h"

static inline bool test_on_pg(void) {
    const char *d = getenv("DUBAN_TEST_DRIVER");
    return d && strcmp(d, "postgresql") == 0;
}

static inline db *test_db_connect(const char *target) {
    db *d;
    err e = {0};
    if (db_open(target, NULL, &d, &e)) fail_msg("connect %s: %s", target, e.msg);
    return d;
}

static inline void test_db_exec(const char *target, const char *sql) {
    db *d = test_db_connect(target);
    err e = {0};
    if (db_exec(d, sql, &e)) fail_msg("%s: %s", sql, e.msg);
    db_close(d);
}

static inline int64_t test_db_int(const char *target, const char *sql) {
    db *d = test_db_connect(target);
    err e = {0};
    int64_t v = 0;
    if (db_query_int(d, sql, &v, &e)) fail_msg("%s: %s", sql, e.msg);
    db_close(d);
    return v;
}

/* Removes a test database: the SQLite file and its WAL files, or the
 * PostgreSQL database (its connections ended first). */
static inline void test_db_remove(const char *target) {
    if (strncmp(target, "postgresql://", 13) != 0) {
        test_rm_db(target);
        return;
    }
    char admin[256], sql[160];
    const char *name = strrchr(target, '/') + 1;
    snprintf(admin, sizeof admin, "%.*spostgres", (int)(name - target), target);
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    test_db_exec(admin, sql);
}

/* Where `needle` stands in the database: the first "table.column" whose
 * value (as text; bytes as they are) holds it, into where; false if none
 * does. Every table and column, either driver: what a purge must leave
 * nowhere. */
static inline bool test_db_find(const char *target, const char *needle, char *where, size_t n) {
    db *d = test_db_connect(target);
    bool pg = db_dialect_of(d) == DB_POSTGRES, found = false;
    db_stmt *cols, *hit;
    err e = {0};
    int rc = 0;
    if (db_prepare(d, pg ? "SELECT table_name, column_name, data_type FROM information_schema.columns"
                           " WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
                         : "SELECT m.name, p.name, p.type FROM sqlite_master m, pragma_table_info(m.name) p"
                           " WHERE m.type = 'table' ORDER BY m.name, p.cid",
                   0, &cols, &e))
        fail_msg("find: %s", e.msg);
    while (!found && db_next(cols, &rc, &e)) {
        char sql[512];
        const char *t = db_col_text(cols, 0), *c = db_col_text(cols, 1), *type = db_col_text(cols, 2);
        if (pg)
            snprintf(sql, sizeof sql, strcmp(type, "bytea") ? "SELECT count(*) FROM \"%s\" WHERE strpos(\"%s\"::text, ?1) > 0"
                                                           : "SELECT count(*) FROM \"%s\" WHERE position(convert_to(?1, 'UTF8') in \"%s\") > 0",
                     t, c);
        else
            snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\" WHERE instr(CAST(\"%s\" AS BLOB), CAST(?1 AS BLOB)) > 0", t, c);
        if (db_prepare(d, sql, 0, &hit, &e)) continue; /* (a virtual table's hidden column) */
        db_bind_text(hit, 1, needle);
        if (db_step(hit, &e) == DB_ROW && db_col_int(hit, 0) > 0) {
            found = true;
            snprintf(where, n, "%s.%s", t, c);
        }
        db_finalize(hit);
    }
    db_finalize(cols);
    db_close(d);
    return found;
}

/* An empty database named after `name` and this process. */
static inline void test_db_new(char *out, size_t n, const char *name) {
    if (!test_on_pg()) {
        snprintf(out, n, "/tmp/duban-%s-%d.db", name, (int)getpid());
        test_rm_db(out);
        return;
    }
    const char *base = getenv("DUBAN_TEST_PG");
    if (!base) fail_msg("DUBAN_TEST_PG is not set (tests/pg.sh starts the cluster)");
    char admin[256], sql[160];
    snprintf(out, n, "%sduban_%s_%d", base, name, (int)getpid());
    for (char *p = strrchr(out, '/') + 1; *p; p++)
        if (*p == '-') *p = '_';
    test_db_remove(out);
    snprintf(admin, sizeof admin, "%spostgres", base);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", strrchr(out, '/') + 1);
    test_db_exec(admin, sql);
}

/* A digest of every row of every table, to prove an operation wrote nothing.
 * skip: tables left out, comma-separated (e.g. "users", whose password
 * hashes are salted, or the session bookkeeping), or NULL; leaving out
 * access_log leaves out its chain's links too. */
static inline void test_db_digest_except(const char *target, const char *skip,
                                         unsigned char out[32]) {
    db *d = test_db_connect(target);
    bool pg = db_dialect_of(d) == DB_POSTGRES;
    db_stmt *tables, *rows;
    err e = {0};
    int rc = 0;
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    if (db_prepare(d, pg ? "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                           " ORDER BY tablename"
                         : "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
                   0, &tables, &e))
        fail_msg("digest: %s", e.msg);
    while (db_next(tables, &rc, &e)) {
        char sql[256], key[80], list[256];
        const char *name = db_col_text(tables, 0);
        snprintf(key, sizeof key, ",%s,", name);
        snprintf(list, sizeof list, ",%s,", skip ? skip : "");
        if (strstr(list, key)) continue;
        /* The search indexes are derived from the rows they index, and
         * SQLite's is caught up by the server's indexer whenever it runs:
         * not what a request changed. */
        if (!strncmp(name, "case_text", 9) || !strncmp(name, "kb_text", 7)) continue;
        crypto_generichash_update(&h, (const unsigned char *)name, strlen(name) + 1);
        /* PostgreSQL: every row as text, in a fixed order. */
        bool config = !strcmp(name, "config");
        /* the access log left out, its chain's links and head are too (store_chain.h) */
        bool log_links = strstr(list, ",access_log,") && (!strcmp(name, "log_chain") || !strcmp(name, "chain_heads"));
        snprintf(sql, sizeof sql, pg ? "SELECT x::text FROM \"%s\" x%s ORDER BY x::text"
                                     : "SELECT * FROM \"%s\" x%s ORDER BY rowid", name,
                 config ? " WHERE x.key <> 'text_indexed_to'" : log_links ? " WHERE x.chain <> 'access_log'" : "");
        if (db_prepare(d, sql, 0, &rows, &e)) continue; /* SQLite's WITHOUT ROWID shadow tables */
        int rrc = 0;
        while (db_next(rows, &rrc, &e))
            for (int i = 0; i < db_col_count(rows); i++) {
                size_t n;
                const void *b = db_col_null(rows, i) ? NULL : db_col_blob(rows, i, &n);
                if (!b) b = db_col_text(rows, i), n = b ? strlen(b) : 0;
                crypto_generichash_update(&h, (const unsigned char *)&n, sizeof n);
                if (b) crypto_generichash_update(&h, b, (unsigned long long)n);
            }
        db_finalize(rows);
        if (rrc) fail_msg("digest of %s: %s", name, e.msg);
    }
    db_finalize(tables);
    db_close(d);
    if (rc) fail_msg("digest: %s", e.msg);
    crypto_generichash_final(&h, out, 32);
}

static inline void test_db_digest(const char *target, unsigned char out[32]) {
    test_db_digest_except(target, NULL, out);
}

#endif
