/* The server's background jobs (src/jobs) through the real server, on each
 * driver: /api/v1/health lists each job with its runs, lag and last error,
 * and the statements the connections keep prepared (a GET or a page of a
 * queue repeated prepares nothing new, and nothing is compiled again); a job whose turns fail (a full disk, injected) shows its
 * error's class in health — never the database's words — until a turn
 * succeeds; and a server stopped under load (clients filing cases, the
 * sweep, a webhook POST hanging at a receiver that does not answer) exits
 * cleanly within seconds, every acknowledged case kept and its chain whole. */
#include "test.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "tests/cli/run_cli.h"
#include "tests/http/demo_suite.h"

static session ADMIN, OPER, DISP;
static char flag[128], anchors[128];
static const char *const sweep[] = {"--sweep-interval", "1", NULL};

/* ---- a receiver that holds every POST (up to 30 s) ---- */

static struct {
    struct MHD_Daemon *d;
    int port;
    atomic_int held;
    atomic_bool release;
} rx;

static enum MHD_Result on_hook(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                               const char *version, const char *data, size_t *size, void **state) {
    (void)cls, (void)url, (void)method, (void)version, (void)data;
    if (!*state) {
        *state = (void *)1;
        return MHD_YES;
    }
    if (*size) {
        *size = 0;
        return MHD_YES;
    }
    atomic_fetch_add(&rx.held, 1);
    for (int i = 0; i < 300 && !atomic_load(&rx.release); i++) usleep(100000);
    struct MHD_Response *r = MHD_create_response_from_buffer(2, (void *)"ok", MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ok = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ok;
}

static int setup(void **st) {
    (void)st;
    snprintf(flag, sizeof flag, "/tmp/duban-jobs-full-%d", (int)getpid());
    unlink(flag);
    setenv("DUBAN_FAULT_FULL", flag, 1); /* the servers below watch it */
    rx.d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
                            on_hook, NULL, MHD_OPTION_END);
    if (!rx.d) fail_msg("no receiver");
    rx.port = MHD_get_daemon_info(rx.d, MHD_DAEMON_INFO_BIND_PORT)->port;
    demo_db(dbt, sizeof dbt, "jobs", "20");
    /* the daily anchor, configured on the command line: a key and a folder */
    char key[160], cmd[400];
    snprintf(anchors, sizeof anchors, "/tmp/duban-jobs-anchors-%d", (int)getpid());
    snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s/out", anchors, anchors);
    if (system(cmd)) fail_msg("%s", cmd);
    snprintf(key, sizeof key, "%s/anchor.key", anchors);
    snprintf(cmd, sizeof cmd, "%s/out", anchors);
    const char *const steps[][8] = {{"audit", "keygen", "--alg", "sm2", "--out", key, NULL},
                                    {"config", "set", "anchor_key", key, NULL},
                                    {"config", "set", "anchor_dir", cmd, NULL}};
    for (size_t i = 0; i < 3; i++) {
        const char *argv[16] = {"duban", "--db", dbt};
        int k = 3;
        for (int j = 0; steps[i][j]; j++) argv[k++] = steps[i][j];
        cli_run out;
        run_cli(&out, argv);
        if (out.status) fail_msg("%s", out.err);
    }
    server_start(&S, dbt, sweep);
    demo_login(&S, &ADMIN, "admin");
    demo_login(&S, &OPER, "operator");
    demo_login(&S, &DISP, "dispatcher");
    return 0;
}

static int stop(void **st) {
    char cmd[160];
    unlink(flag);
    unsetenv("DUBAN_FAULT_FULL");
    atomic_store(&rx.release, true);
    int rc = teardown(st);
    MHD_stop_daemon(rx.d);
    snprintf(cmd, sizeof cmd, "rm -rf %s", anchors); /* once the server is gone */
    if (system(cmd)) fail_msg("%s", cmd);
    return rc;
}

static json_t *health(void) {
    call(&S, &R, "GET", "/api/v1/health", NULL, NULL);
    want(200, "health");
    return J();
}

/* The job of that name in a health answer (borrowed), or NULL. */
static json_t *job_in(json_t *h, const char *name) {
    json_t *j;
    size_t i;
    json_array_foreach(json_object_get(h, "jobs"), i, j)
        if (!strcmp(S_(j, "name"), name)) return j;
    return NULL;
}

/* Waits (bounded) until the job's runs reach `runs`. */
static void await_runs(const char *name, json_int_t runs) {
    for (int i = 0; i < 100; i++) {
        json_t *h = health(), *j = job_in(h, name);
        json_int_t n = j ? I_(j, "runs") : 0;
        json_decref(h);
        if (n >= runs) return;
        usleep(100000);
    }
    fail_msg("job %s: fewer than %lld runs in 10 s", name, (long long)runs);
}

static void get_times(const char *path, int n) {
    for (int i = 0; i < n; i++) {
        call(&S, &R, "GET", path, NULL, DISP.h);
        want(200, path);
    }
}

/* health's statements figures */
static void statements(json_int_t *prepared, json_int_t *reused, json_int_t *recompiled) {
    json_t *h = health(), *s = json_object_get(h, "statements");
    *prepared = I_(s, "prepared");
    *reused = I_(s, "reused");
    *recompiled = I_(s, "recompiled");
    json_decref(h);
}

static void health_lists_the_jobs(void **st) {
    (void)st;
    await_runs("sweep", 1);
    await_runs("guard", 1);
    json_t *h = health();
    static const struct { const char *name, *kind; bool sqlite_only; } want_jobs[] = {
        {"guard", "periodic", false}, {"index", "periodic", true}, {"sweep", "periodic", false},
        {"webhook", "periodic", false}, {"export", "queue", false}};
    for (size_t i = 0; i < sizeof want_jobs / sizeof *want_jobs; i++) {
        json_t *j = job_in(h, want_jobs[i].name);
        if (want_jobs[i].sqlite_only && test_on_pg()) {
            assert_null(j); /* PostgreSQL writes its search index with each case */
            continue;
        }
        if (!j) fail_msg("no job %s in %s", want_jobs[i].name, R.body);
        assert_str(S_(j, "kind"), want_jobs[i].kind);
        assert_true(json_is_null(json_object_get(j, "error")));
        assert_int_equal(I_(j, "failures"), 0);
        assert_true(I_(j, "lag_ms") < 5000);
        if (!strcmp(want_jobs[i].kind, "periodic")) {
            assert_true(I_(j, "runs") >= 1);
            assert_true(json_is_string(json_object_get(j, "last_start")));
            assert_true(I_(j, "period_ms") > 0);
        }
    }
    assert_true(json_is_boolean(json_object_get(json_object_get(h, "sweep"), "leader")));
    json_decref(h);
    /* a GET repeated: its statements come from the cache, none prepared again */
    call(&S, &R, "GET", "/api/v1/cases?limit=1", NULL, DISP.h);
    want(200, "a case");
    json_t *v = J();
    char path[64];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)I_(json_array_get(json_object_get(v, "cases"), 0), "id"));
    json_decref(v);
    /* and a unit's queues of one status, page after page: nothing compiled again */
    static const char *const queues[] = {"/api/v1/cases?unit=cgj&status=accepted&limit=5",
                                         "/api/v1/cases?unit=cgj&status=closed&limit=5&sort=newest",
                                         "/api/v1/cases?status=dispatched&limit=5&sort=next_due"};
    json_int_t prepared, reused, recompiled, prepared2, reused2, recompiled2;
    get_times(path, 10);
    for (int q = 0; q < 3; q++) get_times(queues[q], 2);
    statements(&prepared, &reused, &recompiled);
    get_times(path, 50);
    for (int q = 0; q < 3; q++) get_times(queues[q], 10);
    statements(&prepared2, &reused2, &recompiled2);
    assert_int_equal(recompiled2, recompiled);
    /* the sweep's and webhook's turns meanwhile run their own, prepared already */
    if (prepared2 - prepared > 4) fail_msg("80 GETs prepared %lld statements", (long long)(prepared2 - prepared));
    assert_true(reused2 - reused >= 50 * 3);
}

/* The server anchors itself (jobs/anchor.c): its first turn writes one into
 * the configured folder, which `audit verify --anchors` accepts; a second
 * turn within the day writes none. */
static void the_server_anchors_daily(void **st) {
    (void)st;
    await_runs("anchor", 1);
    json_t *h = health(), *j = job_in(h, "anchor");
    assert_non_null(j);
    assert_true(json_is_null(json_object_get(j, "error")));
    json_decref(h);
    char out[160], pub[180], cmd[420];
    snprintf(out, sizeof out, "%s/out", anchors);
    snprintf(pub, sizeof pub, "%s/anchor.key.pub", anchors);
    snprintf(cmd, sizeof cmd, "test $(ls %s/anchor-*.json | wc -l) -eq 1 && test $(ls %s/anchor-*.leaves | wc -l) -eq 1", out, out);
    assert_int_equal(system(cmd), 0);
    cli_run r;
    run_cli(&r, (const char *[]){"duban", "--db", dbt, "audit", "verify", "--anchors", out, "--pub", pub, NULL});
    if (r.status) fail_msg("%s %s", r.out, r.err);
    assert_non_null(strstr(r.out, "\"anchors\": 1"));
}

static void a_failing_job_shows_in_health(void **st) {
    (void)st;
    char url[96];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", rx.port);
    /* the receiver is on loopback, which a webhook may reach only when the
     * server's command line names it */
    cli_run *run = calloc(1, sizeof *run);
    const char *allow[] = {"duban", "--db", dbt, "config", "set", "webhook_allow_hosts", "127.0.0.1", NULL};
    run_cli(run, allow);
    if (run->status != 0) fail_msg("config set: %s", run->err);
    free(run);
    put_config(&ADMIN, "webhook_url", url); /* the webhook's turns now claim rows: writes */
    FILE *f = fopen(flag, "w"); /* the disk is full */
    fclose(f);
    json_t *h = NULL, *j = NULL;
    for (int i = 0; i < 100; i++) {
        json_decref(h);
        h = health();
        j = job_in(h, "webhook");
        if (j && json_is_string(json_object_get(j, "error"))) break;
        usleep(100000);
    }
    if (!j || !json_is_string(json_object_get(j, "error"))) fail_msg("no webhook error in 10 s: %s", R.body);
    assert_str(S_(j, "error"), "storage_full");
    assert_true(I_(j, "failures") >= 1);
    assert_true(json_is_string(json_object_get(j, "error_at")));
    assert_null(strstr(R.body, "injected")); /* the message is the log's, not the public's */
    assert_null(strstr(R.body, "database"));
    json_decref(h);
    unlink(flag); /* space again: the next turn succeeds */
    h = NULL;
    for (int i = 0; i < 100; i++) {
        json_decref(h);
        h = health();
        j = job_in(h, "webhook");
        if (j && json_is_null(json_object_get(j, "error"))) break;
        usleep(100000);
    }
    assert_true(json_is_null(json_object_get(j, "error")));
    assert_true(I_(j, "failures") >= 1); /* counted still */
    json_decref(h);
}

/* ---- a stop under load ---- */

typedef struct filer {
    pthread_t t;
    atomic_bool *stop;
    atomic_int *ok; /* cases acknowledged (201), by all */
} filer;

static void *file_cases(void *arg) {
    filer *f = arg;
    reply *r = calloc(1, sizeof *r);
    for (int i = 0; i < 2000 && !atomic_load(f->stop); i++) {
        call(&S, r, "POST", "/api/v1/cases",
             /* urgent: its 受理回执 goes at once, whatever the hour and the day
              * (an ordinary one waits for webhook_hours on a working day) */
             "{\"channel\":\"hotline\",\"class\":\"urgent\",\"title\":\"停机时的来电\",\"requester_phone\":\"13700001111\"}",
             OPER.h);
        if (r->status == 201) atomic_fetch_add(f->ok, 1);
        if (r->status == 0) break; /* the server has gone */
    }
    free(r);
    return NULL;
}

static void stopped_under_load(void **st) {
    (void)st;
    atomic_store(&rx.release, false);
    int64_t before = test_db_int(dbt, "SELECT count(*) FROM cases");
    atomic_bool halt = false;
    atomic_int acked = 0;
    filer f[3];
    for (int i = 0; i < 3; i++) {
        f[i] = (filer){.stop = &halt, .ok = &acked};
        pthread_create(&f[i].t, NULL, file_cases, &f[i]);
    }
    /* cases are being filed, and the webhook is inside a POST the receiver
     * holds (a 受理回执): counts, not a fixed time */
    for (int i = 0; i < 400 && (atomic_load(&rx.held) == 0 || atomic_load(&acked) < 20); i++) usleep(50000);
    assert_true(atomic_load(&rx.held) > 0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = server_stop(&S);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    atomic_store(&halt, true);
    for (int i = 0; i < 3; i++) pthread_join(f[i].t, NULL);
    int ok = atomic_load(&acked);
    double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("stopped_under_load: %d cases acknowledged, %d webhook POSTs held, stopped in %.2f s\n",
           atomic_load(&acked), atomic_load(&rx.held), took);
    assert_int_equal(rc, 0);
    if (took > 5) fail_msg("the stop took %.1f s (a hanging receiver must not hold it)", took);
    assert_true(ok >= 20);
    /* what was acknowledged is there (and at most the one each client had in
     * flight besides, its answer lost with the stop), every chain whole */
    int64_t made = test_db_int(dbt, "SELECT count(*) FROM cases") - before;
    if (made < ok || made > ok + 3) fail_msg("%lld cases made, %d acknowledged", (long long)made, ok);
    cli_run *run = calloc(1, sizeof *run);
    const char *argv[] = {"duban", "--db", dbt, "audit", "verify", NULL};
    run_cli(run, argv);
    if (run->status != 0) fail_msg("audit verify: %d %s %s", run->status, run->out, run->err);
    free(run);
    atomic_store(&rx.release, true);
    server_start(&S, dbt, sweep); /* for the teardown */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(health_lists_the_jobs),
        cmocka_unit_test(the_server_anchors_daily),
        cmocka_unit_test(a_failing_job_shows_in_health),
        cmocka_unit_test(stopped_under_load),
    };
    return run_http_suite(tests, setup, stop);
}
