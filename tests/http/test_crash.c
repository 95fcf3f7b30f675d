/* Crash safety, on each driver. A server taking intake and dispatches from
 * three clients is killed with SIGKILL at random moments, KILLS times (the
 * seed is printed; DUBAN_TEST_SEED replays it), and restarted each time:
 * afterwards every case and every dispatch it acknowledged is there, every
 * case holds exactly the events its count says, and `duban audit verify`
 * passes. `duban demo` killed midway, and the server killed in the middle of
 * a projects import, leave a database that opens and verifies, the import
 * all or nothing. */
#include "test.h"

#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

#include "tests/http/demo_suite.h"

#define KILLS 20
#define MAX_ACKED 20000

static char op_auth[160], disp_auth[160];

typedef struct load {
    pthread_mutex_t mu; /* guards S (its url changes with each restart) and the lists */
    bool stop;
    int64_t cases[MAX_ACKED], dispatched[MAX_ACKED];
    int n_cases, n_dispatched, refused;
} load;

static int setup(void **st) {
    (void)st;
    demo_db(dbt, sizeof dbt, "crash", "5");
    bearer_header(dbt, "crash-op", "operator", op_auth, sizeof op_auth);
    bearer_header(dbt, "crash-disp", "dispatcher", disp_auth, sizeof disp_auth);
    server_start(&S, dbt, NULL);
    return 0;
}

static void *client(void *arg) {
    load *L = arg;
    reply *r = calloc(1, sizeof *r);
    const char *op[] = {op_auth, "Content-Type: application/json", NULL},
               *disp[] = {disp_auth, "Content-Type: application/json", NULL};
    for (int i = 0; i < 100000; i++) {
        pthread_mutex_lock(&L->mu);
        bool stop = L->stop || L->n_cases >= MAX_ACKED;
        server s = S;
        pthread_mutex_unlock(&L->mu);
        if (stop) break;
        call(&s, r, "POST", "/api/v1/cases", "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"断电测试：井盖缺失\"}", op);
        json_t *v = r->status == 201 ? json_loads(r->body, 0, NULL) : NULL;
        int64_t id = json_integer_value(json_object_get(v, "id"));
        json_decref(v);
        pthread_mutex_lock(&L->mu);
        if (id) L->cases[L->n_cases++] = id;
        else L->refused++;
        pthread_mutex_unlock(&L->mu);
        if (!id) {
            usleep(20000); /* down: try again shortly */
            continue;
        }
        char path[96];
        snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/dispatch", (long long)id);
        call(&s, r, "POST", path, "{\"unit\":\"cgj\"}", disp);
        if (r->status == 200) {
            pthread_mutex_lock(&L->mu);
            L->dispatched[L->n_dispatched++] = id;
            pthread_mutex_unlock(&L->mu);
        }
    }
    free(r);
    return NULL;
}

/* How many of ids (n) the query finds: "SELECT count(*) ... WHERE id IN (%s)". */
static int64_t found(const char *fmt, const int64_t *ids, int n) {
    int64_t total = 0;
    for (int i = 0; i < n; i += 200) {
        char list[200 * 21 + 1] = "", sql[sizeof list + 256];
        size_t len = 0;
        for (int k = i; k < n && k < i + 200; k++)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%lld", k > i ? "," : "", (long long)ids[k]);
        snprintf(sql, sizeof sql, fmt, list);
        total += test_db_int(dbt, sql);
    }
    return total;
}

static void audit_passes(const char *target) {
    cli_run *run = calloc(1, sizeof *run);
    const char *argv[] = {"duban", "--db", target, "audit", "verify", NULL};
    run_cli(run, argv);
    if (run->status != 0) fail_msg("audit verify: %s %s", run->out, run->err);
    assert_non_null(strstr(run->out, "\"ok\": true"));
    free(run);
}

static void killed_under_load(void **st) {
    (void)st;
    const char *seed_env = getenv("DUBAN_TEST_SEED");
    unsigned seed = seed_env ? (unsigned)strtoul(seed_env, NULL, 10) : (unsigned)time(NULL);
    printf("killed_under_load: seed %u (DUBAN_TEST_SEED=%u replays it)\n", seed, seed);
    srand(seed);
    load *L = calloc(1, sizeof *L);
    pthread_mutex_init(&L->mu, NULL);
    pthread_t th[3];
    for (int i = 0; i < 3; i++) pthread_create(&th[i], NULL, client, L);
    for (int k = 0; k < KILLS; k++) {
        /* the restarted server has taken writes again (bounded), then 0.1 to 0.5 s more */
        pthread_mutex_lock(&L->mu);
        int seen = L->n_cases;
        pthread_mutex_unlock(&L->mu);
        for (int i = 0; i < 1000; i++) {
            pthread_mutex_lock(&L->mu);
            bool more = L->n_cases > seen;
            pthread_mutex_unlock(&L->mu);
            if (more) break;
            usleep(10000);
        }
        usleep((useconds_t)(100000 + rand() % 400000));
        pthread_mutex_lock(&L->mu);
        kill(S.pid, SIGKILL);
        waitpid(S.pid, NULL, 0);
        server_start(&S, dbt, NULL);
        pthread_mutex_unlock(&L->mu);
    }
    usleep(300000);
    pthread_mutex_lock(&L->mu);
    L->stop = true;
    pthread_mutex_unlock(&L->mu);
    for (int i = 0; i < 3; i++) pthread_join(th[i], NULL);
    printf("killed_under_load: %d kills, %d cases and %d dispatches acknowledged, %d refused while down\n", KILLS,
           L->n_cases, L->n_dispatched, L->refused);
    assert_true(L->n_cases >= KILLS && L->n_dispatched > 0);
    /* every acknowledged case and dispatch is there */
    assert_int_equal(found("SELECT count(*) FROM cases WHERE id IN (%s)", L->cases, L->n_cases), L->n_cases);
    assert_int_equal(found("SELECT count(DISTINCT case_id) FROM events WHERE action = 'dispatch' AND case_id IN (%s)",
                           L->dispatched, L->n_dispatched),
                     L->n_dispatched);
    /* nothing half-written: each case's events are exactly its count, and chained */
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM cases c WHERE c.event_count <>"
                                      " (SELECT count(*) FROM events e WHERE e.case_id = c.id)"), 0);
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM cases c WHERE c.status = 'dispatched' AND NOT EXISTS"
                                      " (SELECT 1 FROM case_units u WHERE u.case_id = c.id AND u.role = 'lead')"), 0);
    audit_passes(dbt);
    pthread_mutex_destroy(&L->mu);
    free(L);
}

static void demo_killed_midway(void **st) {
    (void)st;
    unsigned seed = (unsigned)time(NULL);
    srand(seed);
    for (int round = 0; round < 3; round++) {
        char target[256];
        test_db_new(target, sizeof target, "crash-demo");
        pid_t pid = fork();
        if (pid == 0) {
            int null = open("/dev/null", O_WRONLY);
            dup2(null, 1);
            dup2(null, 2);
            execl(getenv("DUBAN_BIN"), "duban", "--db", target, "demo", "--months", "3", "--per-month", "150", (char *)NULL);
            _exit(127);
        }
        /* once it has begun writing (a SQLite file appears) */
        for (int i = 0; i < 500 && !test_on_pg() && access(target, F_OK) != 0; i++) usleep(10000);
        useconds_t wait = (useconds_t)(rand() % 1500000);
        usleep(wait);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        printf("demo_killed_midway: killed %u ms into it (%s)\n", wait / 1000,
               WIFSIGNALED(status) ? "midway" : "it had finished");
        audit_passes(target);
        test_db_remove(target);
    }
}

/* A projects import of ROWS rows for the year, in a child process (the
 * server may die under it): 0 when it was answered 200. */
enum { ROWS = 4000 };
static pid_t import_async(const char *csv, size_t len, const session *who, const char *year) {
    pid_t pid = fork();
    if (pid == 0) {
        reply *r = calloc(1, sizeof *r);
        const char *h[] = {who->cookie, who->csrf, "Content-Type: text/csv", NULL};
        char path[64];
        snprintf(path, sizeof path, "/api/v1/projects/import?year=%s", year);
        call_n(&S, r, "POST", path, csv, len, h);
        _exit(r->status == 200 ? 0 : 1);
    }
    return pid;
}

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void import_killed_midway(void **st) {
    (void)st;
    size_t cap = ROWS * 160 + 256, len = 0;
    char *csv = malloc(cap);
    len += (size_t)snprintf(csv + len, cap - len, "项目名称,类别,级别,责任单位,总投资,年度计划投资\n");
    for (int i = 0; i < ROWS; i++)
        len += (size_t)snprintf(csv + len, cap - len, "断电测试项目%05d,工业,市重点,gxj,%d,%d\n", i, 100 + i, 50 + i);
    session DISP;
    demo_login(&S, &DISP, "dispatcher");
    /* how long it takes whole, into another year */
    int status;
    double t0 = seconds();
    waitpid(import_async(csv, len, &DISP, "2027"), &status, 0);
    double whole = seconds() - t0;
    assert_int_equal(WEXITSTATUS(status), 0);
    /* then killed at half that */
    const char *logged = "SELECT count(*) FROM access_log WHERE action = 'projects_imported'";
    int64_t before = test_db_int(dbt, "SELECT count(*) FROM projects"), logged_before = test_db_int(dbt, logged);
    pid_t pid = import_async(csv, len, &DISP, "2026");
    usleep((useconds_t)(whole / 2 * 1e6));
    kill(S.pid, SIGKILL);
    waitpid(S.pid, NULL, 0);
    waitpid(pid, &status, 0);
    server_start(&S, dbt, NULL);
    int64_t after = test_db_int(dbt, "SELECT count(*) FROM projects");
    printf("import_killed_midway: a whole import takes %.0f ms; killed at half, %lld projects written (%s)\n",
           whole * 1e3, (long long)(after - before), WEXITSTATUS(status) == 0 ? "it had finished" : "cut");
    assert_true(after == before || after == before + ROWS); /* all or nothing */
    /* and logged if and only if written: one transaction */
    assert_int_equal(test_db_int(dbt, logged) - logged_before, after == before ? 0 : 1);
    audit_passes(dbt);
    free(csv);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(killed_under_load),
        cmocka_unit_test(demo_killed_midway),
        cmocka_unit_test(import_killed_midway),
    };
    return run_http_suite(tests, setup, teardown);
}
