/* Backup and restore, on each driver. SQLite: `duban backup` while three
 * clients keep filing cases through the server finishes, holds every case
 * acknowledged before it began, and `duban restore` into a fresh folder
 * gives a database whose every case and event equals the server's and
 * whose hash chains verify; a restore never overwrites, and refuses what is
 * not a sound duban database. PostgreSQL: `duban backup` points to pg_dump;
 * a pg_dump of the server's database restored into a new one verifies and
 * holds the same cases and events. */
#include "test.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "db/db.h"
#include "tests/http/demo_suite.h"

static char auth[128];

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "backup", "20");
    bearer_header(dbt, "load", "operator", auth, sizeof auth);
    return 0;
}

/* ---- writers ---- */

typedef struct load {
    atomic_bool stop;
    atomic_int acked;
} load;

static void *client(void *arg) {
    load *L = arg;
    reply *r = calloc(1, sizeof *r);
    const char *h[] = {auth, "Content-Type: application/json", NULL};
    for (int i = 0; i < 20000 && !atomic_load(&L->stop); i++) {
        call(&S, r, "POST", "/api/v1/cases", "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"备份测试：路灯不亮\"}",
             h);
        if (r->status == 201) atomic_fetch_add(&L->acked, 1);
    }
    free(r);
    return NULL;
}

/* A digest of the cases with id up to max and their events, as rows. */
static void digest(const char *target, int64_t max, unsigned char out[32]) {
    db *d = test_db_connect(target);
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    const char *queries[] = {"SELECT * FROM cases WHERE id <= ?1 ORDER BY id",
                             "SELECT * FROM events WHERE case_id <= ?1 ORDER BY id"};
    err e = {0};
    for (size_t q = 0; q < 2; q++) {
        db_stmt *st;
        int rc = 0;
        if (db_prepare(d, queries[q], 0, &st, &e)) fail_msg("%s", e.msg);
        db_bind_int(st, 1, max);
        while (db_next(st, &rc, &e))
            for (int i = 0; i < db_col_count(st); i++) {
                size_t n = 0;
                const void *b = db_col_null(st, i) ? NULL : db_col_blob(st, i, &n);
                crypto_generichash_update(&h, (const unsigned char *)&n, sizeof n);
                if (b) crypto_generichash_update(&h, b, n);
            }
        db_finalize(st);
        if (rc) fail_msg("%s", e.msg);
    }
    db_close(d);
    crypto_generichash_final(&h, out, 32);
}

static json_t *cli_json(cli_run *run, const char *const *argv) {
    run_cli(run, argv);
    if (run->status) fail_msg("%s %s: %s", argv[3], argv[4] ? argv[4] : "", run->err);
    json_t *v = json_loads(run->out, 0, NULL);
    if (!v) fail_msg("not JSON: %.200s", run->out);
    return v;
}

static void sqlite_under_load(void **st) {
    (void)st;
    if (test_on_pg()) skip();
    char copy[128], fresh[128];
    snprintf(copy, sizeof copy, "/tmp/duban-backup-copy-%d.db", (int)getpid());
    snprintf(fresh, sizeof fresh, "/tmp/duban-backup-restored-%d/duban.db", (int)getpid());
    unlink(copy);
    load L = {0};
    pthread_t th[3];
    for (int i = 0; i < 3; i++) pthread_create(&th[i], NULL, client, &L);
    while (atomic_load(&L.acked) < 200) usleep(10000); /* writing steadily */
    int64_t before = test_db_int(dbt, "SELECT max(id) FROM cases");
    int acked_before = atomic_load(&L.acked);
    cli_run *run = calloc(1, sizeof *run);
    const char *backup[] = {"duban", "--db", dbt, "backup", copy, NULL};
    json_t *b = cli_json(run, backup);
    int acked_after = atomic_load(&L.acked);
    usleep(300000);
    atomic_store(&L.stop, true);
    for (int i = 0; i < 3; i++) pthread_join(th[i], NULL);
    printf("backup under load: %d cases filed while it ran, %lld in the copy\n", acked_after - acked_before,
           (long long)I_(b, "cases"));
    assert_true(acked_after > acked_before); /* the writers did not wait for it */
    /* every case acknowledged before the backup began is in it */
    int64_t in_copy = test_db_int(copy, "SELECT max(id) FROM cases");
    assert_true(in_copy >= before);
    assert_int_equal(I_(b, "cases"), test_db_int(copy, "SELECT count(*) FROM cases"));
    /* every table of the schema checked, the database's snapshot against the copy */
    json_t *tables = json_object_get(b, "tables");
    assert_true(json_is_true(json_object_get(b, "counts_match")));
    db *d = NULL;
    db_stmt *q = NULL;
    db_opts o = {.must_exist = true};
    int checked = 0;
    assert_int_equal(db_open(copy, &o, &d, NULL), 0);
    assert_int_equal(db_prepare(d, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
                                   " AND name NOT LIKE 'case_text%' AND name NOT LIKE 'kb_text%'"
                                   " AND name <> 'schema_version'", 0, &q, NULL), 0);
    while (db_step(q, NULL) == DB_ROW) {
        const char *name = db_col_text(q, 0);
        json_t *t = json_object_get(tables, name);
        if (!t) fail_msg("backup did not check table %s", name);
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", name);
        assert_int_equal(I_(t, "copy"), test_db_int(copy, sql));
        assert_int_equal(I_(t, "database"), I_(t, "copy"));
        checked++;
    }
    db_finalize(q);
    db_close(d);
    assert_int_equal(checked, json_object_size(tables));
    assert_true(checked > 30);
    json_decref(b);
    /* restored into a fresh folder: verified, and every case and event as the server has it */
    char dir[128];
    snprintf(dir, sizeof dir, "/tmp/duban-backup-restored-%d", (int)getpid());
    mkdir(dir, 0700);
    const char *restore[] = {"duban", "--db", fresh, "restore", copy, NULL};
    json_t *r = cli_json(run, restore);
    assert_true(json_is_true(json_object_get(json_object_get(r, "audit"), "ok")));
    assert_int_equal(I_(json_object_get(r, "audit"), "cases"), test_db_int(copy, "SELECT count(*) FROM cases"));
    json_decref(r);
    unsigned char live[32], restored[32];
    digest(dbt, in_copy, live);
    digest(fresh, in_copy, restored);
    assert_memory_equal(live, restored, 32);
    const char *verify[] = {"duban", "--db", fresh, "audit", "verify", NULL};
    json_decref(cli_json(run, verify));
    /* never over a file that exists; never from what is not a sound backup */
    run_cli(run, restore);
    assert_int_not_equal(run->status, 0);
    assert_non_null(strstr(run->err, "exists"));
    run_cli(run, backup);
    assert_int_not_equal(run->status, 0);
    assert_non_null(strstr(run->err, "exists"));
    char junk[128], other[128];
    snprintf(junk, sizeof junk, "/tmp/duban-backup-junk-%d.db", (int)getpid());
    snprintf(other, sizeof other, "/tmp/duban-backup-other-%d.db", (int)getpid());
    FILE *f = fopen(junk, "w");
    fputs("not a database at all", f);
    fclose(f);
    test_db_exec(other, "CREATE TABLE t(x)");
    const char *bad[][6] = {{"duban", "--db", "/tmp/duban-backup-never.db", "restore", junk, NULL},
                            {"duban", "--db", "/tmp/duban-backup-never.db", "restore", other, NULL},
                            {"duban", "--db", "/tmp/duban-backup-never.db", "restore", "/tmp/no/such/file", NULL}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        run_cli(run, bad[i]);
        if (run->status == 0) fail_msg("restored from %s", bad[i][4]);
        assert_int_equal(access("/tmp/duban-backup-never.db", F_OK), -1);
    }
    free(run);
    test_rm_db(copy);
    test_rm_db(fresh);
    test_rm_db(other);
    unlink(junk);
    rmdir(dir);
}

/* PostgreSQL: pg_dump of the server's database, restored into another. */
static void postgresql_with_pg_dump(void **st) {
    (void)st;
    if (!test_on_pg()) skip();
    cli_run *run = calloc(1, sizeof *run);
    const char *backup[] = {"duban", "--db", dbt, "backup", "/tmp/duban-never.db", NULL};
    run_cli(run, backup);
    assert_int_not_equal(run->status, 0);
    assert_non_null(strstr(run->err, "pg_dump"));
    const char *bin = getenv("PG_BIN");
    if (!bin) fail_msg("PG_BIN is not set (tests/pg.sh sets it)");
    char dump[128], fresh[256], cmd[1024];
    snprintf(dump, sizeof dump, "/tmp/duban-pgdump-%d.dump", (int)getpid());
    test_db_new(fresh, sizeof fresh, "restored");
    /* filed while the dump runs, too: pg_dump reads one snapshot */
    load L = {0};
    pthread_t th;
    pthread_create(&th, NULL, client, &L);
    while (atomic_load(&L.acked) < 50) usleep(10000);
    snprintf(cmd, sizeof cmd, "%s/pg_dump -Fc -f %s '%s' && %s/pg_restore --no-owner -d '%s' %s", bin, dump, dbt, bin,
             fresh, dump);
    int rc = system(cmd);
    atomic_store(&L.stop, true);
    pthread_join(th, NULL);
    assert_int_equal(WEXITSTATUS(rc), 0);
    const char *verify[] = {"duban", "--db", fresh, "audit", "verify", NULL};
    json_t *v = cli_json(run, verify);
    int64_t n = test_db_int(fresh, "SELECT count(*) FROM cases");
    assert_int_equal(I_(v, "cases"), n);
    json_decref(v);
    int64_t max = test_db_int(fresh, "SELECT max(id) FROM cases");
    unsigned char live[32], restored[32];
    digest(dbt, max, live);
    digest(fresh, max, restored);
    assert_memory_equal(live, restored, 32);
    free(run);
    unlink(dump);
    test_db_remove(fresh);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sqlite_under_load),
        cmocka_unit_test(postgresql_with_pg_dump),
    };
    return run_http_suite(tests, setup, teardown);
}
