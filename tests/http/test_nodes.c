/* Several `duban serve` nodes on one database, as a city runs them behind a
 * load balancer: a case created on one node is acted on at another;
 * conflicting actions at the same moment on two nodes leave one winner and
 * a 409 with the case as it now is, and a linear event chain; a session
 * ended, or a login throttle reached, on one node holds on the other; the
 * background sweep runs on one node at a time and moves when its node is
 * killed, raising no notice twice; and both nodes survive being killed under
 * load with nothing acknowledged lost. Runs on both drivers (the lead moves
 * only where there is a lead to move: PostgreSQL). */
#include "test.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

#include "tests/cli/run_cli.h"
#include "tests/http/server_fixture.h"

static char dbt[256];
static reply R;
static server A, B; /* the two nodes; a failed test leaves none behind (teardown) */

static int setup(void **st) {
    (void)st;
    demo_db(dbt, sizeof dbt, "nodes", "40");
    return 0;
}

static int teardown(void **st) {
    (void)st;
    server *nodes[] = {&A, &B};
    for (int i = 0; i < 2; i++)
        if (nodes[i]->pid > 0) {
            kill(nodes[i]->pid, SIGKILL);
            waitpid(nodes[i]->pid, NULL, 0);
            nodes[i]->pid = 0;
        }
    test_db_remove(dbt);
    return 0;
}

static void stop_nodes(void) {
    assert_int_equal(server_stop(&A), 0);
    assert_int_equal(server_stop(&B), 0);
    A.pid = B.pid = 0;
}


static int64_t create_on(const server *s, const session *who) {
    call(s, &R, "POST", "/api/v1/cases",
         "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"两个节点：路灯不亮\"}", who->h);
    if (R.status != 201) fail_msg("intake: %ld %s", R.status, R.body);
    json_t *v = reply_json(&R);
    int64_t id = json_integer_value(json_object_get(v, "id"));
    json_decref(v);
    return id;
}

static void act_on(const server *s, const session *who, int64_t id, const char *action,
                   const char *body, long want) {
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/%s", (long long)id, action);
    call(s, &R, "POST", path, body, who->h);
    if (R.status != want) fail_msg("%s: %ld (want %ld) %s", action, R.status, want, R.body);
}

static void audit_ok(void) {
    cli_run *run = calloc(1, sizeof *run);
    const char *argv[] = {"duban", "--db", dbt, "audit", "verify", NULL};
    run_cli(run, argv);
    if (run->status != 0) fail_msg("audit verify: %d %s %s", run->status, run->out, run->err);
    free(run);
}

/* The same request, sent to each of n servers at the same moment. */
static void at_once(server *const *nodes, int n, const char *path, const char *body,
                    const session *who, reply *out) {
    CURLM *m = curl_multi_init();
    CURL *h[8];
    struct curl_slist *hdr = NULL;
    for (int i = 0; who->h[i]; i++) hdr = curl_slist_append(hdr, who->h[i]);
    for (int i = 0; i < n; i++) {
        char url[256];
        snprintf(url, sizeof url, "%s%s", nodes[i]->url, path);
        memset(&out[i], 0, offsetof(reply, body) + 1);
        out[i].len = out[i].hlen = 0;
        h[i] = curl_easy_init();
        curl_easy_setopt(h[i], CURLOPT_URL, url);
        curl_easy_setopt(h[i], CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h[i], CURLOPT_HTTPHEADER, hdr);
        curl_easy_setopt(h[i], CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h[i], CURLOPT_WRITEDATA, &out[i]);
        curl_easy_setopt(h[i], CURLOPT_TIMEOUT, 30L);
        curl_multi_add_handle(m, h[i]);
    }
    int running = 1;
    for (int guard = 0; running && guard < 3000; guard++) {
        curl_multi_perform(m, &running);
        if (running) curl_multi_poll(m, NULL, 0, 100, NULL);
    }
    for (int i = 0; i < n; i++) {
        curl_easy_getinfo(h[i], CURLINFO_RESPONSE_CODE, &out[i].status);
        curl_multi_remove_handle(m, h[i]);
        curl_easy_cleanup(h[i]);
    }
    curl_slist_free_all(hdr);
    curl_multi_cleanup(m);
}

static void one_database_two_nodes(void **st) {
    (void)st;
    session disp, clerk;
    server_start(&A, dbt, NULL);
    server_start(&B, dbt, NULL);
    demo_login(&A, &disp, "dispatcher");
    demo_login(&B, &clerk, "cgj.clerk");
    /* created on A, seen, dispatched and handled on B, its events read on A */
    int64_t id = create_on(&A, &disp);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)id);
    call(&B, &R, "GET", path, NULL, disp.h);
    assert_int_equal(R.status, 200);
    act_on(&B, &disp, id, "dispatch", "{\"unit\":\"cgj\"}", 200);
    act_on(&A, &clerk, id, "accept", NULL, 200);
    act_on(&B, &clerk, id, "feedback", "{\"note\":\"已到现场\"}", 200);
    call(&A, &R, "GET", path, NULL, disp.h);
    json_t *v = reply_json(&R);
    assert_str(S_(v, "status"), "accepted");
    assert_int_equal(json_array_size(json_object_get(v, "events")), 4);
    json_decref(v);
    /* conflicting actions at the same moment, one per node: one wins, the
     * other is told the state the case is now in; both legal ones apply */
    server *both[] = {&A, &B};
    reply *rs = calloc(2, sizeof *rs);
    for (int round = 0; round < 12; round++) {
        int64_t c = create_on(round % 2 ? &A : &B, &disp);
        act_on(&A, &disp, c, "dispatch", "{\"unit\":\"cgj\"}", 200);
        snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/accept", (long long)c);
        at_once(both, 2, path, "", &clerk, rs);
        int won = (rs[0].status == 200) + (rs[1].status == 200);
        reply *lost = rs[0].status == 200 ? &rs[1] : &rs[0];
        if (won != 1 || lost->status != 409)
            fail_msg("round %d: %ld '%.100s' and %ld '%.100s'", round, rs[0].status, rs[0].body,
                     rs[1].status, rs[1].body);
        json_t *l = reply_json(lost);
        assert_str(S_(json_object_get(l, "error"), "code"), "conflict");
        assert_str(S_(json_object_get(l, "current"), "status"), "accepted");
        json_decref(l);
        snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/feedback", (long long)c);
        at_once(both, 2, path, "{\"note\":\"同时反馈\"}", &clerk, rs);
        if (rs[0].status != 200 || rs[1].status != 200)
            fail_msg("feedbacks: %ld '%.100s' and %ld '%.100s'", rs[0].status, rs[0].body,
                     rs[1].status, rs[1].body);
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT event_count FROM cases WHERE id = %lld", (long long)c);
        assert_int_equal(test_db_int(dbt, sql), 5); /* create, dispatch, accept, 2 feedbacks */
    }
    free(rs);
    audit_ok(); /* every chain a line */
    /* a session ended on A is refused on B; a throttle reached on A holds on B */
    session s;
    demo_login(&A, &s, "leader");
    call(&B, &R, "GET", "/api/v1/me", NULL, s.h);
    assert_int_equal(R.status, 200);
    call(&A, &R, "POST", "/api/v1/auth/logout", NULL, s.h);
    assert_int_equal(R.status, 200);
    call(&B, &R, "GET", "/api/v1/me", NULL, s.h);
    assert_int_equal(R.status, 401);
    for (int i = 0; i < 5; i++) assert_int_equal(login(&A, &s, "operator", "wrong-password"), 401);
    /* after 5 failures from one address an attempt waits after the last (the
     * "pair" key): move that ahead, however slow the servers run */
    test_db_exec(dbt, "UPDATE login_failures SET last_at = last_at + 30 WHERE key LIKE 'pair:operator@%'");
    assert_int_equal(login(&B, &s, "operator", "mz13710#ope"), 429);
    test_db_exec(dbt, "DELETE FROM login_failures");
    stop_nodes();
}

static json_t *health(const server *s) {
    call(s, &R, "GET", "/api/v1/health", NULL, NULL);
    return R.status == 200 ? reply_json(&R) : NULL;
}

/* -1 when the node does not answer. */
static int leads(const server *s) {
    json_t *h = health(s);
    if (!h) return -1;
    int l = json_is_true(json_object_get(json_object_get(h, "sweep"), "leader"));
    json_decref(h);
    return l;
}

static void kill_node(server *s) {
    int st;
    kill(s->pid, SIGKILL);
    waitpid(s->pid, &st, 0);
}

static void sweep_lead_moves(void **st) {
    (void)st;
    const char *every_second[] = {"--sweep-interval", "1", NULL};
    server_start(&A, dbt, every_second);
    usleep(300000); /* A asks for the lead first */
    server_start(&B, dbt, every_second);
    int a = -1, b = -1, want_b = test_on_pg() ? 0 : 1;
    for (int i = 0; i < 100 && !(a == 1 && b == want_b); i++, usleep(100000))
        a = leads(&A), b = leads(&B);
    if (!test_on_pg()) {
        /* one SQLite file has one writer at a time: each node may sweep */
        assert_int_equal(a, 1);
        assert_int_equal(b, 1);
    } else {
        if (a != 1 || b != 0) fail_msg("A leads %d, B leads %d", a, b);
    }
    /* the demo's open cases are all overdue by now: the first sweep raised them */
    int64_t before = 0;
    for (int i = 0; i < 50 && (before = test_db_int(dbt, "SELECT count(*) FROM notices")) == 0; i++)
        usleep(100000);
    assert_true(before > 0);
    kill_node(&A);
    if (test_on_pg()) {
        b = 0;
        for (int i = 0; i < 50 && b != 1; i++, usleep(100000)) b = leads(&B);
        assert_int_equal(b, 1); /* within a few intervals of 1 s */
    }
    /* a case received two days ago has missed its dispatch deadline: B raises
     * its yellow notice (a first look after the deadline skips blue), once */
    session op;
    demo_login(&B, &op, "operator");
    char body[256], when[32];
    time_t t = time(NULL) - 2 * 86400;
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    snprintf(body, sizeof body, "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"接手督办\","
                                "\"received_at\":\"%s\"}", when);
    call(&B, &R, "POST", "/api/v1/cases", body, op.h);
    assert_int_equal(R.status, 201);
    json_t *v = reply_json(&R);
    int64_t id = json_integer_value(json_object_get(v, "id"));
    json_decref(v);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM notices WHERE case_id = %lld", (long long)id);
    int64_t n = 0;
    for (int i = 0; i < 60 && (n = test_db_int(dbt, sql)) < 1; i++) usleep(100000);
    assert_int_equal(n, 1);
    /* A comes back: B keeps the lead, and nothing is raised again */
    server_start(&A, dbt, every_second);
    usleep(2500000);
    if (test_on_pg()) {
        assert_int_equal(leads(&A), 0);
        assert_int_equal(leads(&B), 1);
    }
    assert_int_equal(test_db_int(dbt, sql), 1);
    stop_nodes();
}

/* A lost database connection is the database being unavailable (503) —
 * never "not signed in" (401), "invalid api_key" (403) or "no such case"
 * (404) — and a later request gets a new connection. PostgreSQL: before each
 * probe the server's connections are ended from the database's side, as a
 * restart or a failover would; the first request on a dead connection must
 * say 503, and the same request succeeds within a few tries. */
static void an_outage_is_503_not_401(void **st) {
    (void)st;
    if (!test_on_pg()) skip();
    session who;
    server_start(&A, dbt, NULL);
    demo_login(&A, &who, "dispatcher");

    json_t *v;
    char bearer[128], form[512], svc[160];
    bearer_header(dbt, "outage", "operator", bearer, sizeof bearer);
    const char *const bearer_h[] = {bearer, NULL};
    const char *const form_h[] = {"Content-Type: application/x-www-form-urlencoded", NULL};

    call(&A, &R, "GET", "/open311/v2/services.json", NULL, NULL);
    assert_int_equal(R.status, 200);
    v = reply_json(&R);
    const char *code = json_string_value(json_object_get(json_array_get(v, 0), "service_code"));
    assert_non_null(code);
    snprintf(svc, sizeof svc, "/open311/v2/services/%s.json", code);
    char one[64], two[96];
    int64_t pub = test_db_int(dbt, "SELECT min(id) FROM cases WHERE confidential = 0 AND"
                                   " (channel IN ('open311', 'qr') OR public_summary IS NOT NULL)");
    assert_true(pub > 0);
    snprintf(one, sizeof one, "/open311/v2/requests/%lld.json", (long long)pub);
    snprintf(two, sizeof two, "/open311/v2/requests.json?service_request_id=%lld,%lld", (long long)pub, (long long)pub + 1);
    snprintf(form, sizeof form, "api_key=%s&service_code=%s&lat=34.9&long=112.8&description=outage",
             bearer + strlen("Authorization: Bearer "), code);
    json_decref(v);

    const struct probe {
        const char *method, *path, *body;
        const char *const *headers;
        long ok;
        bool o311; /* Open311's error shape, not duban's */
    } probes[] = {
        {"GET", "/api/v1/me", NULL, who.h, 200, false},               /* session cookie */
        {"GET", "/api/v1/cases/1", NULL, who.h, 200, false},
        {"GET", "/api/v1/cases/1", NULL, bearer_h, 200, false},       /* API token */
        {"GET", one, NULL, NULL, 200, true},
        {"GET", two, NULL, NULL, 200, true},
        {"GET", svc, NULL, NULL, 200, true},
        {"GET", "/open311/v2/services.json?jurisdiction_id=x", NULL, NULL, 404, true},
        {"POST", "/open311/v2/requests.json", form, form_h, 201, true},
    };
    for (size_t p = 0; p < sizeof probes / sizeof *probes; p++) {
        const struct probe *q = &probes[p];
        test_db_exec(dbt, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                          " WHERE datname = current_database() AND pid <> pg_backend_pid()");
        int tries = 0;
        for (call(&A, &R, q->method, q->path, q->body, q->headers); R.status == 503 && tries < 8; tries++) {
            /* the database's own words stay in the log; the answer names the
             * request id the log line carries (also in X-Request-Id) */
            const char *rid = strstr(R.headers, "X-Request-Id: ");
            char want[40];
            assert_non_null(rid);
            snprintf(want, sizeof want, "request %.16s", rid + strlen("X-Request-Id: "));
            if (strstr(R.body, "connection") || strstr(R.body, "server closed") || !strstr(R.body, want))
                fail_msg("%s %s: %s (want no driver text, and '%s')", q->method, q->path, R.body, want);
            if (q->o311) {
                assert_non_null(strstr(R.body, "\"code\":503"));
            } else {
                assert_str(error_code(&R, &v), "unavailable");
                assert_str(json_string_value(json_object_get(json_object_get(v, "error"), "request_id")),
                           want + strlen("request "));
                json_decref(v);
            }
            call(&A, &R, q->method, q->path, q->body, q->headers);
        }
        if (tries == 0 || R.status != q->ok)
            fail_msg("%s %s: %d answers of 503, then %ld %.300s", q->method, q->path, tries, R.status, R.body);
    }
    assert_int_equal(server_stop(&A), 0);
    A.pid = 0;
}

/* X-Forwarded-For names the client only when the peer is a configured
 * trusted proxy (read from the right, skipping trusted hops); from anyone
 * else it is ignored, so a client cannot pick the address it is throttled
 * and logged under. */
static void forwarded_for_only_from_trusted_proxies(void **st) {
    (void)st;
    const char *const trust[] = {"--trusted-proxy", "127.0.0.1", NULL};
    server_start(&A, dbt, trust);
    server_start(&B, dbt, NULL);
    const struct { server *s; const char *xff, *want; } rows[] = {
        {&A, "X-Forwarded-For: 1.2.3.4, 10.7.7.7", "10.7.7.7"},
        {&A, "X-Forwarded-For: 10.7.7.8, 127.0.0.1", "10.7.7.8"},
        {&A, "X-Forwarded-For: junk", "127.0.0.1"},
        /* IPv6 clients are themselves, in canonical form, not the proxy */
        {&A, "X-Forwarded-For: 2001:DB8::0:1", "2001:db8::1"},
        {&A, "X-Forwarded-For: [2001:db8::7], 127.0.0.1", "2001:db8::7"},
        {&A, "X-Forwarded-For: 2001:db8::zz", "127.0.0.1"},
        {&B, "X-Forwarded-For: 10.7.7.9", "127.0.0.1"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char user[32], sql[160];
        snprintf(user, sizeof user, "xff%zu", i);
        const char *const h[] = {rows[i].xff, "Content-Type: application/json", NULL};
        char body[128];
        snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"wrong-password\"}", user);
        call(rows[i].s, &R, "POST", "/api/v1/auth/login", body, h);
        assert_int_equal(R.status, 401);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM access_log WHERE actor = '%s' AND detail = '%s'", user,
                 rows[i].want);
        if (test_db_int(dbt, sql) != 1) fail_msg("row %zu: the failure was not logged under %s", i, rows[i].want);
    }
    stop_nodes();
}

/* ---- killed under load ---------------------------------------------------------- */

typedef struct load {
    server *nodes[2];
    pthread_mutex_t mu; /* guards the nodes' urls while one restarts */
    bool stop;
    const char *token_header;
    int64_t acked[4096];
    int n_acked, refused;
} load;

static void *client(void *arg) {
    load *L = arg;
    reply *r = calloc(1, sizeof *r);
    for (int i = 0; i < 100000; i++) {
        pthread_mutex_lock(&L->mu);
        bool stop = L->stop || L->n_acked >= 4000;
        server s = *L->nodes[i % 2];
        pthread_mutex_unlock(&L->mu);
        if (stop) break;
        const char *h[] = {L->token_header, "Content-Type: application/json", NULL};
        call(&s, r, "POST", "/api/v1/cases",
             "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"断电测试：路灯不亮\"}", h);
        json_t *v = r->status == 201 ? json_loads(r->body, 0, NULL) : NULL;
        pthread_mutex_lock(&L->mu);
        if (v) L->acked[L->n_acked++] = json_integer_value(json_object_get(v, "id"));
        else L->refused++;
        pthread_mutex_unlock(&L->mu);
        json_decref(v);
        if (!v) usleep(20000); /* a node is down: the next one is tried */
    }
    free(r);
    return NULL;
}

static void killed_under_load(void **st) {
    (void)st;
    const char *seed_env = getenv("DUBAN_TEST_SEED");
    unsigned seed = seed_env ? (unsigned)strtoul(seed_env, NULL, 10) : (unsigned)time(NULL);
    printf("killed_under_load: seed %u (DUBAN_TEST_SEED=%u replays it)\n", seed, seed);
    srand(seed);
    char auth[128];
    bearer_header(dbt, "load", "operator", auth, sizeof auth);
    server_start(&A, dbt, NULL);
    server_start(&B, dbt, NULL);
    load *L = calloc(1, sizeof *L);
    L->nodes[0] = &A;
    L->nodes[1] = &B;
    L->token_header = auth;
    pthread_mutex_init(&L->mu, NULL);
    pthread_t th[3];
    for (int i = 0; i < 3; i++) pthread_create(&th[i], NULL, client, L);
    enum { KILLS = 8 };
    for (int k = 0; k < KILLS; k++) {
        usleep(100000 + (useconds_t)(rand() % 300000));
        server *victim = L->nodes[rand() % 2];
        kill_node(victim);
        usleep((useconds_t)(rand() % 100000));
        server fresh;
        server_start(&fresh, dbt, NULL);
        pthread_mutex_lock(&L->mu);
        *victim = fresh;
        pthread_mutex_unlock(&L->mu);
    }
    usleep(200000);
    pthread_mutex_lock(&L->mu);
    L->stop = true;
    pthread_mutex_unlock(&L->mu);
    for (int i = 0; i < 3; i++) pthread_join(th[i], NULL);
    stop_nodes();
    printf("killed_under_load: %d kills, %d cases acknowledged, %d requests refused\n", KILLS,
           L->n_acked, L->refused);
    assert_true(L->n_acked > 50);
    /* every acknowledged case is there, whole */
    for (int i = 0; i < L->n_acked; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM cases c JOIN events e ON e.case_id = c.id"
                                  " AND e.seq = 1 WHERE c.id = %lld", (long long)L->acked[i]);
        if (test_db_int(dbt, sql) != 1) fail_msg("acknowledged case %lld is missing", (long long)L->acked[i]);
    }
    /* and nothing is half-written: every chain holds, every case has its alerts row */
    audit_ok();
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM cases c LEFT JOIN case_alerts a"
                                      " ON a.case_id = c.id WHERE a.case_id IS NULL"), 0);
    pthread_mutex_destroy(&L->mu);
    free(L);
}

/* ---- stopped under load --------------------------------------------------------- */

typedef struct ka_load {
    const char *url, *token_header;
    atomic_bool stop;
    pthread_mutex_t mu;
    int64_t acked[4096];
    int n_acked, after_stop;
    char bad[256]; /* the first answer that was neither 201 nor 503 */
} ka_load;

/* One kept-alive connection posting cases until the server is gone: the
 * requests that arrive while it stops must be answered (or refused), never
 * reach freed memory. */
static void *ka_client(void *arg) {
    ka_load *L = arg;
    reply *r = calloc(1, sizeof *r);
    CURL *c = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, L->token_header);
    h = curl_slist_append(h, "Content-Type: application/json");
    char url[128];
    snprintf(url, sizeof url, "%s/api/v1/cases", L->url);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"停机测试\"}");
    for (int i = 0; i < 20000; i++) {
        bool stopping = atomic_load(&L->stop);
        r->len = 0;
        r->body[0] = '\0';
        if (curl_easy_perform(c) != CURLE_OK) {
            if (stopping) break; /* the server has gone */
            continue;
        }
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
        json_t *v = r->status == 201 ? json_loads(r->body, 0, NULL) : NULL;
        pthread_mutex_lock(&L->mu);
        if (v && L->n_acked < 4096) L->acked[L->n_acked++] = json_integer_value(json_object_get(v, "id"));
        if (stopping) L->after_stop++;
        if (r->status != 201 && r->status != 503 && !L->bad[0])
            snprintf(L->bad, sizeof L->bad, "%ld %.200s", r->status, r->body);
        pthread_mutex_unlock(&L->mu);
        json_decref(v);
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    free(r);
    return NULL;
}

/* SIGTERM while kept-alive clients keep writing: the server exits cleanly
 * (under AddressSanitizer: no use of the freed committer or pool), and every
 * case it acknowledged is there. Three rounds. */
static void stopped_under_load(void **st) {
    (void)st;
    char auth[128];
    bearer_header(dbt, "stop", "operator", auth, sizeof auth);
    for (int round = 0; round < 3; round++) {
        server_start(&A, dbt, NULL);
        ka_load *L = calloc(1, sizeof *L);
        L->url = A.url;
        L->token_header = auth;
        pthread_mutex_init(&L->mu, NULL);
        pthread_t th[6];
        for (int i = 0; i < 6; i++) pthread_create(&th[i], NULL, ka_client, L);
        /* writing steadily before the stop: a count, not a fixed time (a loaded
         * machine acknowledged 10 in 0.4 s once) */
        for (int i = 0; i < 1000; i++) {
            pthread_mutex_lock(&L->mu);
            int n = L->n_acked;
            pthread_mutex_unlock(&L->mu);
            if (n > 20) break;
            usleep(10000);
        }
        atomic_store(&L->stop, true);
        int rc = server_stop(&A);
        A.pid = 0;
        for (int i = 0; i < 6; i++) pthread_join(th[i], NULL);
        if (rc != 0) fail_msg("round %d: the server exited with %d under load", round, rc);
        if (L->bad[0]) fail_msg("round %d: an answer while stopping: %s", round, L->bad);
        assert_true(L->n_acked > 10);
        for (int i = 0; i < L->n_acked; i++) {
            char sql[96];
            snprintf(sql, sizeof sql, "SELECT count(*) FROM cases WHERE id = %lld", (long long)L->acked[i]);
            if (test_db_int(dbt, sql) != 1) fail_msg("acknowledged case %lld is missing", (long long)L->acked[i]);
        }
        printf("stopped_under_load: round %d: %d cases acknowledged, %d answers while stopping\n", round,
               L->n_acked, L->after_stop);
        pthread_mutex_destroy(&L->mu);
        free(L);
    }
    audit_ok();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(one_database_two_nodes, setup, teardown),
        cmocka_unit_test_setup_teardown(sweep_lead_moves, setup, teardown),
        cmocka_unit_test_setup_teardown(an_outage_is_503_not_401, setup, teardown),
        cmocka_unit_test_setup_teardown(killed_under_load, setup, teardown),
        cmocka_unit_test_setup_teardown(stopped_under_load, setup, teardown),
        cmocka_unit_test_setup_teardown(forwarded_for_only_from_trusted_proxies, setup, teardown),
    };
    return run_http_suite(tests, NULL, NULL);
}
