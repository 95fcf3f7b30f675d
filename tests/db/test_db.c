/* Tests of the SQL driver interface (src/db), on either driver: an error in
 * the middle of a scan is an error and never "no more rows"; an empty result
 * is told apart from a failed one; values of every type go in and come back
 * as they were; ?N parameters (reused, left unused by a dialect's text, or
 * inside a string literal); ids of inserted rows; long scans streamed while
 * other statements run; every statement prepared once per connection (a
 * bounded cache); and a target's password never shown. */
#include "test.h"

#include <limits.h>
#include <stdlib.h>

#include "db/db.h"
#include "tests/test_db.h"

static char target[256];
static db *D;

static int setup(void **st) {
    (void)st;
    test_db_new(target, sizeof target, "db");
    D = test_db_connect(target);
    return 0;
}

static int teardown(void **st) {
    (void)st;
    db_close(D);
    test_db_remove(target);
    return 0;
}

static bool pg(void) { return db_dialect_of(D) == DB_POSTGRES; }

static db_stmt *prep(const char *sql, unsigned flags) {
    db_stmt *st;
    err e = {0};
    if (db_prepare(D, sql, flags, &st, &e)) fail_msg("prepare %s: %s", sql, e.msg);
    return st;
}

/* The class behind "an audit that reports ok after a truncated walk": a
 * statement that fails at its second row. */
static void a_failed_step_is_an_error(void **st) {
    (void)st;
    const char *sql = pg() ? "SELECT CASE WHEN x = 2 THEN 1 / (x - 2) ELSE x END"
                             " FROM (VALUES (1), (2), (3)) v(x) ORDER BY x"
                           : "SELECT CASE WHEN x = 2 THEN abs(-9223372036854775807 - 1) ELSE x END"
                             " FROM (SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 3) ORDER BY x";
    for (int large = 0; large < 2; large++) {
        db_stmt *q = prep(sql, large ? DB_LARGE : 0);
        err e = {0};
        int rc = 0, rows = 0;
        while (db_next(q, &rc, &e)) rows++;
        assert_int_equal(rc, ERR_IO);
        assert_true(rows < 3);
        assert_true(e.msg[0] != '\0');
        db_finalize(q);
        /* one row asked for: the failure, not "no rows" */
        q = prep(pg() ? "SELECT 1 / 0" : "SELECT abs(-9223372036854775807 - 1)", large ? DB_LARGE : 0);
        assert_int_equal(db_first(q, &e), ERR_IO);
        db_finalize(q);
    }
    db_stmt *q = prep("SELECT 1 WHERE 1 = 0", 0);
    err e = {0};
    assert_int_equal(db_first(q, &e), ERR_NOTFOUND);
    db_finalize(q);
}

static void values_round_trip(void **st) {
    (void)st;
    err e = {0};
    assert_int_equal(db_exec(D, pg() ? "CREATE TABLE t(id BIGSERIAL PRIMARY KEY, i BIGINT, d DOUBLE"
                                       " PRECISION, s TEXT, b BYTEA, n TEXT)"
                                     : "CREATE TABLE t(id INTEGER PRIMARY KEY, i INTEGER, d REAL, s TEXT,"
                                       " b BLOB, n TEXT) STRICT", &e), 0);
    unsigned char bytes[256];
    for (int i = 0; i < 256; i++) bytes[i] = (unsigned char)i;
    const char *text = "韩愈大街 'quoted' \"double\" ?1 $1 \\ end";
    db_stmt *ins = prep("INSERT INTO t(i, d, s, b, n) VALUES(?1, ?2, ?3, ?4, ?5)", DB_RETURNS_ID);
    int64_t ints[] = {INT64_MIN, -1, 0, INT64_MAX};
    for (int k = 0; k < 4; k++) {
        db_reset(ins);
        db_bind_int(ins, 1, ints[k]);
        db_bind_double(ins, 2, 0.1 * k + 1e-300);
        db_bind_text(ins, 3, text);
        db_bind_blob(ins, 4, bytes, sizeof bytes);
        db_bind_text(ins, 5, NULL);
        assert_int_equal(db_run(ins, &e), 0);
        assert_int_equal(db_last_id(D), k + 1);
        assert_int_equal(db_changes(D), 1);
    }
    db_finalize(ins);
    db_stmt *q = prep("SELECT id, i, d, s, b, n FROM t ORDER BY id", 0);
    int rc = 0, k = 0;
    while (db_next(q, &rc, &e)) {
        assert_int_equal(db_col_count(q), 6);
        assert_str(db_col_name(q, 3), "s");
        assert_int_equal(db_col_type(q, 1), DB_INT);
        assert_int_equal(db_col_type(q, 2), DB_DOUBLE);
        assert_int_equal(db_col_type(q, 3), DB_TEXT);
        assert_int_equal(db_col_type(q, 4), DB_BLOB);
        assert_int_equal(db_col_type(q, 5), DB_NULL);
        assert_true(db_col_int(q, 1) == ints[k]);
        assert_true(db_col_double(q, 2) == 0.1 * k + 1e-300);
        assert_str(db_col_text(q, 3), text);
        size_t n;
        const void *b = db_col_blob(q, 4, &n);
        assert_int_equal(n, sizeof bytes);
        assert_memory_equal(b, bytes, sizeof bytes);
        assert_true(db_col_null(q, 5));
        assert_null(db_col_text(q, 5));
        k++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(k, 4);
    db_finalize(q);
    /* a parameter used twice, one not used at all, and "?1" inside a literal */
    q = prep("SELECT '?1', CAST(?2 AS BIGINT) + ?2, ?3", 0);
    db_bind_int(q, 1, 99); /* not in the text: ignored */
    db_bind_int(q, 2, 20);
    db_bind_text(q, 3, "x");
    assert_int_equal(db_first(q, &e), 0);
    assert_str(db_col_text(q, 0), "?1");
    assert_int_equal(db_col_int(q, 1), 40);
    assert_str(db_col_text(q, 2), "x");
    db_finalize(q);
    /* a uniqueness violation is ERR_CONFLICT and leaves the table as it was */
    ins = prep("INSERT INTO t(id, i) VALUES(1, 5)", 0);
    assert_int_equal(db_run(ins, &e), ERR_CONFLICT);
    db_finalize(ins);
    int64_t count;
    assert_int_equal(db_query_int(D, "SELECT count(*) FROM t", &count, &e), 0);
    assert_int_equal(count, 4);
}

/* A scan of many rows runs while other statements run between its rows
 * (PostgreSQL: a cursor fetched in batches, inside a transaction or held). */
static void long_scans_stream(void **st) {
    (void)st;
    err e = {0};
    const char *gen = pg() ? "SELECT g FROM generate_series(1, 5000) g ORDER BY g"
                           : "WITH RECURSIVE q(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM q"
                             " WHERE g < 5000) SELECT g FROM q";
    for (int in_tx = 0; in_tx < 2; in_tx++) {
        if (in_tx) assert_int_equal(db_exec(D, "BEGIN", &e), 0);
        db_stmt *scan = prep(gen, DB_LARGE), *one = prep("SELECT ?1 * 2", DB_PERSISTENT);
        int rc = 0;
        int64_t sum = 0, n = 0;
        while (db_next(scan, &rc, &e)) {
            db_reset(one);
            db_bind_int(one, 1, db_col_int(scan, 0));
            assert_int_equal(db_first(one, &e), 0);
            sum += db_col_int(one, 0);
            n++;
        }
        assert_int_equal(rc, 0);
        assert_int_equal(n, 5000);
        assert_int_equal(sum, 5000 * 5001);
        db_finalize(scan);
        db_finalize(one);
        if (in_tx) assert_int_equal(db_exec(D, "COMMIT", &e), 0);
    }
    /* a scan left halfway, then reset, leaves the connection usable */
    db_stmt *scan = prep(gen, DB_LARGE);
    int rc = 0;
    assert_true(db_next(scan, &rc, &e));
    db_reset(scan);
    db_finalize(scan);
    int64_t v;
    assert_int_equal(db_query_int(D, "SELECT 7", &v, &e), 0);
    assert_int_equal(v, 7);
    assert_false(db_in_tx(D));
}

/* Statements prepared on the server now: PostgreSQL's named ones, but for
 * the one that asks (it is cached and named too). */
static int64_t server_prepared(void) {
    int64_t n = 0;
    err e = {0};
    if (!pg()) return 0;
    assert_int_equal(db_query_int(D, "SELECT count(*) FROM pg_prepared_statements", &n, &e), 0);
    return n - 1;
}

/* The class behind "a GET compiles its SQL each time": a text prepared once
 * is handed out again, a built text too, with its own flags; one run inside
 * its own loop gets a second statement; the cache stays bounded, the least
 * recently used going first, and on PostgreSQL what it holds is named on the
 * server and deallocated when it goes. */
static void statements_are_prepared_once(void **st) {
    (void)st;
    err e = {0};
    db_cache_stats a, b;
    char sql[64];
    db_cache_stats_get(&a);
    db_stmt *first = prep("SELECT ?1 + 1", 0);
    db_bind_int(first, 1, 41);
    assert_int_equal(db_first(first, &e), 0);
    assert_int_equal(db_col_int(first, 0), 42);
    db_finalize(first);
    for (int i = 0; i < 10; i++) {
        snprintf(sql, sizeof sql, "SELECT ?1 + %d", 1); /* built each time, the same text */
        db_stmt *again = prep(sql, 0);
        assert_ptr_equal(again, first);
        db_bind_int(again, 1, i); /* bindings were cleared: a new run */
        assert_int_equal(db_first(again, &e), 0);
        assert_int_equal(db_col_int(again, 0), i + 1);
        db_finalize(again);
    }
    db_cache_stats_get(&b);
    assert_int_equal(b.prepared - a.prepared, 1);
    assert_true(b.reused - a.reused >= 10);
    if (pg()) {
        assert_int_equal(server_prepared(), 1);
        /* planned for any value, not again for each run's values */
        int64_t custom = -1;
        assert_int_equal(db_query_int(D, "SELECT sum(custom_plans) FROM pg_prepared_statements"
                                         " WHERE statement LIKE 'SELECT $1 + 1%'", &custom, &e), 0);
        assert_int_equal(custom, 0);
    }
    /* other flags: another statement */
    db_stmt *large = prep("SELECT ?1 + 1", DB_LARGE);
    assert_ptr_not_equal(large, first);
    db_finalize(large);
    /* inside its own loop: a second statement beside the first, both kept */
    const char *gen = pg() ? "SELECT g FROM generate_series(1, ?1) g ORDER BY g"
                           : "WITH RECURSIVE q(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM q"
                             " WHERE g < ?1) SELECT g FROM q";
    db_cache_stats_get(&a);
    for (int round = 0; round < 3; round++) {
        db_stmt *outer = prep(gen, 0);
        db_bind_int(outer, 1, 3);
        int rc = 0;
        int64_t sum = 0;
        while (db_next(outer, &rc, &e)) {
            db_stmt *inner = prep(gen, 0);
            assert_ptr_not_equal(inner, outer);
            db_bind_int(inner, 1, db_col_int(outer, 0));
            int rc2 = 0;
            while (db_next(inner, &rc2, &e)) sum += db_col_int(inner, 0);
            assert_int_equal(rc2, 0);
            db_finalize(inner);
        }
        assert_int_equal(rc, 0);
        assert_int_equal(sum, 1 + 3 + 6);
        db_finalize(outer);
    }
    db_cache_stats_get(&b);
    assert_int_equal(b.prepared - a.prepared, 2);
    /* bounded: the oldest go, and what goes is deallocated */
    db_cache_stats_get(&a);
    for (int i = 0; i < DB_CACHE_MAX + 20; i++) {
        snprintf(sql, sizeof sql, "SELECT %d + ?1", i);
        db_stmt *q = prep(sql, 0);
        db_bind_int(q, 1, 1);
        assert_int_equal(db_first(q, &e), 0);
        assert_int_equal(db_col_int(q, 0), i + 1);
        db_finalize(q);
    }
    db_cache_stats_get(&b);
    assert_true(b.evicted - a.evicted >= 20);
    if (pg()) assert_true(server_prepared() <= DB_CACHE_MAX);
    /* the most recent are still there: no new prepare */
    db_cache_stats_get(&a);
    snprintf(sql, sizeof sql, "SELECT %d + ?1", DB_CACHE_MAX + 19);
    db_finalize(prep(sql, 0));
    db_cache_stats_get(&b);
    assert_int_equal(b.prepared - a.prepared, 0);
    /* cleared (the schema changed): every one finalized, on the server too */
    db_cache_clear(D);
    assert_int_equal(server_prepared(), 0);
}

/* PostgreSQL sends a transaction's writes ahead without waiting (DB_DEFER);
 * their failure is the next statement's to report. A full cache making room
 * then must not read that failure and lose it (finalizing a named statement
 * first reads what is in flight): the next statement reports the conflict,
 * not an aborted transaction's vague error, nor nothing at all; and the
 * connection, every result of the pipeline read, takes the rollback. */
static void a_full_cache_keeps_a_deferred_failure(void **st) {
    (void)st;
    if (!pg()) skip();
    err e = {0};
    char sql[64];
    assert_int_equal(db_exec(D, "CREATE TABLE u(k INTEGER PRIMARY KEY); INSERT INTO u VALUES(1)", &e), 0);
    for (int i = 0; i < DB_CACHE_MAX + 2; i++) { /* full, every one at rest */
        snprintf(sql, sizeof sql, "SELECT %d + ?1", i);
        db_stmt *q = prep(sql, 0);
        db_bind_int(q, 1, 1);
        assert_int_equal(db_first(q, &e), 0);
        db_finalize(q);
    }
    assert_int_equal(db_exec(D, "BEGIN", &e), 0);
    db_stmt *w = prep("INSERT INTO u(k) VALUES(?1)", DB_DEFER);
    db_bind_int(w, 1, 1); /* taken already: fails on the server, unread */
    assert_int_equal(db_step(w, &e), DB_DONE);
    db_stmt *next = prep("SELECT 'a new text' || ?1", 0);
    db_bind_text(next, 1, "x");
    assert_int_equal(db_first(next, &e), ERR_CONFLICT);
    db_finalize(next);
    db_finalize(w);
    /* and the connection goes on: out of the pipeline, the transaction undone */
    if (db_exec(D, "ROLLBACK", &e)) fail_msg("rollback: %s", e.msg);
    int64_t n;
    assert_int_equal(db_query_int(D, "SELECT count(*) FROM u", &n, &e), 0);
    assert_int_equal(n, 1);
}

/* Runs the statement `runs` times with a new value bound each time; how many
 * times the database compiled it again meanwhile. */
static uint64_t recompiles(const char *sql, int runs) {
    db_cache_stats a, b;
    err e = {0};
    db_cache_stats_get(&a);
    for (int i = 0; i < runs; i++) {
        db_stmt *q = prep(sql, 0);
        db_bind_text(q, 1, i % 2 ? "closed" : "accepted");
        int rc = 0;
        while (db_next(q, &rc, &e)) {}
        assert_int_equal(rc, 0);
        db_finalize(q);
    }
    db_cache_stats_get(&b);
    return b.recompiled - a.recompiled;
}

/* The class behind "a status filter compiled its list at every page": a bare
 * parameter compared with the column of a partial index's constant ties
 * SQLite's plan to the value bound, so each run compiles the statement
 * again; counted, and avoided by casting the parameter. */
static void recompiling_is_counted(void **st) {
    (void)st;
    err e = {0};
    assert_int_equal(db_exec(D, "CREATE TABLE c(id INTEGER PRIMARY KEY, status TEXT, closed_at INTEGER);"
                                "CREATE INDEX c_closed ON c(closed_at) WHERE status = 'closed';"
                                "INSERT INTO c(id, status, closed_at) VALUES(1, 'closed', 1), (2, 'accepted', NULL)", &e), 0);
    uint64_t bare = recompiles("SELECT id FROM c WHERE status = ?1 ORDER BY id", 10);
    uint64_t cast = recompiles("SELECT id FROM c WHERE status = CAST(?1 AS TEXT) ORDER BY id", 10);
    if (!pg()) assert_true(bare >= 9); /* SQLite: every run after the first */
    assert_int_equal(cast, 0);
}

static void passwords_are_not_shown(void **st) {
    (void)st;
    char out[256];
    db_target_label("postgresql://duban:s3cret@db.internal:5432/duban", out, sizeof out);
    assert_str(out, "postgresql://duban:***@db.internal:5432/duban");
    db_target_label("host=db dbname=duban password=s3cret user=duban", out, sizeof out);
    assert_str(out, "host=db dbname=duban password=*** user=duban");
    db_target_label("postgresql://duban@db/duban", out, sizeof out);
    assert_str(out, "postgresql://duban@db/duban");
    db_target_label("/var/lib/duban/duban.db", out, sizeof out);
    assert_str(out, "/var/lib/duban/duban.db");
    assert_int_equal(db_dialect_of_target("sqlite:/tmp/x.db"), DB_SQLITE);
    assert_int_equal(db_dialect_of_target("postgres://h/d"), DB_POSTGRES);
    assert_int_equal(db_dialect_of_target("host=/run/postgresql dbname=d"), DB_POSTGRES);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_failed_step_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(values_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(long_scans_stream, setup, teardown),
        cmocka_unit_test_setup_teardown(statements_are_prepared_once, setup, teardown),
        cmocka_unit_test_setup_teardown(recompiling_is_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(a_full_cache_keeps_a_deferred_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(passwords_are_not_shown, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
