/* The webhook through the real server on each driver, with a receiver in
 * this test (libmicrohttpd on 127.0.0.1): a case received with a phone is a
 * 受理回执 POSTed with its number and tracking code, signed with the HMAC of
 * the secret; a receiver that fails is tried again until it takes it; what
 * was queued survives a restart of the server; outside working hours a
 * notice waits, an urgent case's goes at once; a case's reminders go at
 * most once per configured interval; a 差评 reaches its unit; the secret is
 * never shown back; two nodes deliver each case's messages in order. */
#include "test.h"

#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>

#include "tests/http/demo_suite.h"
#include "util/datetime.h"

#define SECRET "a-long-enough-secret-0123456789"
#define MAX_GOT 256

static session ADMIN, OPER, DISP;
static server S2; /* a second node, in_order_per_case_on_two_nodes */
static const char *const sweep[] = {"--sweep-interval", "1", NULL};

/* ---- the receiver ---- */

typedef struct got { char *body, sig[96], id[32], ts[32]; } got;
static struct {
    pthread_mutex_t mu;
    got got[MAX_GOT];
    int n, fail; /* answer 500 to the next `fail` 受理回执 */
    struct MHD_Daemon *d;
    int port;
} rx = {.mu = PTHREAD_MUTEX_INITIALIZER};

typedef struct req_buf { char *p; size_t n; } req_buf;

static enum MHD_Result on_hook(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                               const char *version, const char *data, size_t *size, void **state) {
    (void)cls, (void)url, (void)method, (void)version;
    req_buf *b = *state;
    if (!b) {
        *state = calloc(1, sizeof(req_buf));
        return MHD_YES;
    }
    if (*size) {
        b->p = realloc(b->p, b->n + *size + 1);
        memcpy(b->p + b->n, data, *size);
        b->n += *size;
        b->p[b->n] = '\0';
        *size = 0;
        return MHD_YES;
    }
    pthread_mutex_lock(&rx.mu);
    unsigned status = 200;
    if (rx.fail > 0 && b->p && strstr(b->p, "\"kind\":\"receipt\"")) { /* a failing 回执 line */
        rx.fail--;
        status = 500;
    } else if (rx.n < MAX_GOT) {
        got *g = &rx.got[rx.n++];
        g->body = b->p ? b->p : strdup("");
        b->p = NULL;
        const char *s = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Duban-Signature");
        const char *i = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Duban-Delivery");
        snprintf(g->sig, sizeof g->sig, "%s", s ? s : "");
        snprintf(g->id, sizeof g->id, "%s", i ? i : "");
        const char *t = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Duban-Timestamp");
        snprintf(g->ts, sizeof g->ts, "%s", t ? t : "");
    }
    pthread_mutex_unlock(&rx.mu);
    struct MHD_Response *r = MHD_create_response_from_buffer(2, (void *)"ok", MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static void on_done(void *cls, struct MHD_Connection *c, void **state, enum MHD_RequestTerminationCode t) {
    (void)cls, (void)c, (void)t;
    req_buf *b = *state;
    if (b) free(b->p);
    free(b);
}

/* An ordinary notice goes on a working day, within webhook_hours: on a
 * weekend or a holiday the test makes today a working day (调休), so that
 * what it checks does not depend on the day it runs. */
static void today_a_working_day(void) {
    char today[11], path[64], body[160];
    dt_format_date(dt_local_day(time(NULL), 8 * 3600), today);
    cli_run *run = calloc(1, sizeof *run);
    const char *is[] = {"duban", "--db", dbt, "calendar", "is-workday", today, NULL};
    run_cli(run, is);
    if (run->status != 0) fail_msg("calendar is-workday: %s", run->err);
    if (strstr(run->out, "\"workday\": true")) {
        free(run);
        return;
    }
    snprintf(path, sizeof path, "/tmp/duban-webhook-cal-%d.json", (int)getpid());
    snprintf(body, sizeof body, "{\"year\":%.4s,\"days\":[{\"name\":\"调休\",\"date\":\"%s\",\"isOffDay\":false}]}",
             today, today);
    FILE *f = fopen(path, "w");
    if (!f) fail_msg("cannot write %s", path);
    fputs(body, f);
    fclose(f);
    const char *imp[] = {"duban", "--db", dbt, "calendar", "import", path, NULL};
    run_cli(run, imp);
    unlink(path);
    if (run->status != 0) fail_msg("calendar import: %s", run->err);
    free(run);
}

static void config_cli(const char *key, const char *value) {
    cli_run *run = calloc(1, sizeof *run);
    const char *argv[] = {"duban", "--db", dbt, "config", "set", key, value, NULL};
    run_cli(run, argv);
    if (run->status != 0) fail_msg("config set %s: %s", key, run->err);
    free(run);
}

static int setup(void **st) {
    (void)st;
    rx.d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, on_hook, NULL,
                            MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_END);
    if (!rx.d) fail_msg("no receiver");
    rx.port = MHD_get_daemon_info(rx.d, MHD_DAEMON_INFO_BIND_PORT)->port;
    demo_db(dbt, sizeof dbt, "webhook", "20");
    today_a_working_day();
    /* every case here is filed with one phone: the limit a day per number
     * (at most 3 by default, tested in test_api_flood.c) raised for them */
    config_cli("sms_per_day", "100");
    server_start(&S, dbt, sweep);
    demo_login(&S, &ADMIN, "admin");
    demo_login(&S, &OPER, "operator");
    demo_login(&S, &DISP, "dispatcher");
    return 0;
}

static int stop_rx(void **st) {
    if (S2.pid) server_stop(&S2); /* a failed test's second node */
    teardown(st);
    MHD_stop_daemon(rx.d);
    for (int i = 0; i < rx.n; i++) free(rx.got[i].body);
    return 0;
}

/* Waits (bounded) until the receiver holds a body of that kind containing
 * needle. */
static got *await_kind(const char *kind, const char *needle, int seconds) {
    char k2[48];
    snprintf(k2, sizeof k2, "\"kind\":\"%s\"", kind);
    for (int i = 0; i < seconds * 10; i++) {
        pthread_mutex_lock(&rx.mu);
        for (int k = 0; k < rx.n; k++)
            if (strstr(rx.got[k].body, needle) && strstr(rx.got[k].body, k2)) {
                pthread_mutex_unlock(&rx.mu);
                return &rx.got[k];
            }
        pthread_mutex_unlock(&rx.mu);
        usleep(100000);
    }
    return NULL;
}

static char *intake(const char *title, const char *klass) {
    char body[512];
    snprintf(body, sizeof body, "{\"channel\":\"hotline\",\"class\":\"%s\",\"title\":\"%s\","
             "\"requester_name\":\"张三\",\"requester_phone\":\"13812345678\"}", klass, title);
    call(&S, &R, "POST", "/api/v1/cases", body, OPER.h);
    want(201, body);
    json_t *v = J();
    char *no = strdup(S_(v, "case_no"));
    json_decref(v);
    return no;
}

/* Waits (bounded) for the server's first sweep: what was there before the
 * webhook is set is history, not to be sent. */
static void swept(void) {
    for (int i = 0; i < 100; i++) {
        call(&S, &R, "GET", "/api/v1/health", NULL, NULL);
        json_t *v = J();
        json_int_t at = I_(json_object_get(v, "sweep"), "last_at");
        json_decref(v);
        if (at) return;
        usleep(100000);
    }
    fail_msg("no sweep in 10 s");
}

/* `duban config set KEY VALUE` on the server's command line: what the API
 * may not set (the webhook's private targets). */

static void signed_and_retried(void **st) {
    (void)st;
    swept();
    config_cli("webhook_allow_hosts", "127.0.0.1"); /* the receiver here is on loopback */
    char url[96];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", rx.port);
    put_config(&ADMIN, "webhook_url", url);
    call(&S, &R, "PUT", "/api/v1/config/webhook_secret", "{\"value\":\"" SECRET "\"}", ADMIN.h);
    want(200, "secret");
    assert_null(strstr(R.body, SECRET)); /* never shown back */
    put_config(&ADMIN, "webhook_hours", "00:00-24:00");
    put_config(&ADMIN, "webhook_retry_seconds", "1");
    pthread_mutex_lock(&rx.mu);
    rx.fail = 2;
    pthread_mutex_unlock(&rx.mu);
    char *no = intake("路灯不亮", "general");
    got *g = await_kind("receipt", no, 20);
    if (!g) {
        call(&S, &R, "GET", "/api/v1/outbox?limit=5", NULL, ADMIN.h);
        fail_msg("no 受理回执 for %s: %.1500s", no, R.body);
    }
    json_t *b = json_loads(g->body, 0, NULL);
    assert_str(S_(b, "kind"), "receipt");
    assert_str(S_(json_object_get(b, "to"), "phone"), "13812345678");
    assert_non_null(strstr(S_(b, "text"), "查询码"));
    json_decref(b);
    /* the signature is the HMAC of "TIMESTAMP.BODY" under the secret, the
     * timestamp the moment it was sent (a receiver refuses old ones) */
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char hex[2 * sizeof mac + 1], want_sig[96];
    long long ts = atoll(g->ts);
    assert_true(llabs(ts - (long long)time(NULL)) < 120);
    crypto_auth_hmacsha256_state h;
    crypto_auth_hmacsha256_init(&h, (const unsigned char *)SECRET, strlen(SECRET));
    crypto_auth_hmacsha256_update(&h, (const unsigned char *)g->ts, strlen(g->ts));
    crypto_auth_hmacsha256_update(&h, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&h, (const unsigned char *)g->body, strlen(g->body));
    crypto_auth_hmacsha256_final(&h, mac);
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    snprintf(want_sig, sizeof want_sig, "sha256=%s", hex);
    assert_str(g->sig, want_sig);
    assert_true(g->id[0]);
    /* tried three times: two failures, then taken (marked sent just after
     * the receiver answered: waited for, bounded) */
    json_t *v = NULL, *r;
    bool seen = false;
    for (int tries = 0; tries < 50 && !seen; tries++) {
        if (tries) usleep(100000);
        json_decref(v);
        call(&S, &R, "GET", "/api/v1/outbox?limit=10", NULL, ADMIN.h);
        want(200, "outbox");
        v = J();
        size_t i;
        json_array_foreach(json_object_get(v, "outbox"), i, r) {
            json_t *body = json_object_get(r, "body");
            if (strcmp(S_(r, "kind"), "receipt") || !strstr(S_(body, "text"), no) || strcmp(S_(r, "state"), "sent"))
                continue;
            assert_int_equal(I_(r, "attempts"), 3);
            /* the administrator sees who was told, not the number nor the 查询码 */
            assert_str(S_(json_object_get(body, "to"), "phone"), "138****5678");
            assert_non_null(strstr(S_(body, "text"), "查询码****。"));
            assert_null(strstr(R.body, "13812345678"));
            seen = true;
        }
    }
    assert_true(seen);
    json_decref(v);
    free(no);
    /* and each read is in the access log */
    session aud;
    demo_login(&S, &aud, "auditor");
    call(&S, &R, "GET", "/api/v1/access-log?action=outbox_read", NULL, aud.h);
    want(200, "access log");
    assert_non_null(strstr(R.body, "outbox_read"));
}

static void queued_survives_a_restart(void **st) {
    (void)st;
    pthread_mutex_lock(&rx.mu);
    rx.fail = 1000; /* the receiver is down */
    pthread_mutex_unlock(&rx.mu);
    char *no = intake("井盖缺失", "general");
    sleep(3); /* collected, tried, not taken */
    assert_int_equal(server_stop(&S), 0);
    pthread_mutex_lock(&rx.mu);
    rx.fail = 0;
    pthread_mutex_unlock(&rx.mu);
    server_start(&S, dbt, sweep);
    demo_login(&S, &ADMIN, "admin");
    demo_login(&S, &OPER, "operator");
    put_config(&ADMIN, "webhook_retry_seconds", "1");
    if (!await_kind("receipt", no, 90)) fail_msg("the queued 回执 for %s was lost", no);
    free(no);
}

static void working_hours_and_urgency(void **st) {
    (void)st;
    /* a minute's window twelve hours from now: nothing but the urgent goes */
    int64_t now = time(NULL);
    int minute = (int)(((now + 8 * 3600) % 86400) / 60), start = (minute + 720) % 1380;
    char hours[16];
    snprintf(hours, sizeof hours, "%02d:%02d-%02d:%02d", start / 60, start % 60, (start + 1) / 60, (start + 1) % 60);
    put_config(&ADMIN, "webhook_hours", hours);
    char *later = intake("噪音扰民", "general"), *now_no = intake("燃气泄漏", "urgent");
    if (!await_kind("receipt", now_no, 20)) fail_msg("the urgent case's 回执 did not go at once");
    assert_null(await_kind("receipt", later, 3));
    call(&S, &R, "GET", "/api/v1/outbox?limit=10", NULL, ADMIN.h);
    json_t *v = J(), *r;
    size_t i;
    bool waiting = false;
    json_array_foreach(json_object_get(v, "outbox"), i, r)
        if (!strcmp(S_(r, "kind"), "receipt") && strstr(S_(json_object_get(r, "body"), "text"), later)) {
            assert_str(S_(r, "state"), "pending");
            waiting = json_is_string(json_object_get(r, "not_before"));
        }
    assert_true(waiting);
    json_decref(v);
    free(later);
    free(now_no);
    put_config(&ADMIN, "webhook_hours", "00:00-24:00");
}

/* Waits (bounded) until the case has at least `least` notices; how many. */
static size_t notices_of(json_int_t id, size_t least) {
    char path[64];
    snprintf(path, sizeof path, "/api/v1/notices?case=%lld", (long long)id);
    for (int i = 0; i < 100; i++) {
        call(&S, &R, "GET", path, NULL, DISP.h);
        want(200, path);
        json_t *v = J();
        size_t n = json_array_size(json_object_get(v, "notices"));
        json_decref(v);
        if (n >= least) return n;
        usleep(100000);
    }
    fail_msg("case %lld: fewer than %zu notices in 10 s", (long long)id, least);
    return 0;
}

/* A case with two 督办 notices seconds apart: received two days ago and not
 * dispatched (a yellow notice at the next sweep), then dispatched (its
 * acceptance due today: a blue one). Its case number into no. */
static json_int_t case_reminded_twice(char no[32]) {
    char body[512], when[32], path[96];
    dt_format_instant(time(NULL) - 2 * 86400, 8 * 3600, when);
    snprintf(body, sizeof body, "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"占道经营\","
             "\"received_at\":\"%s\"}", when);
    call(&S, &R, "POST", "/api/v1/cases", body, OPER.h);
    want(201, body);
    json_t *v = J();
    json_int_t id = I_(v, "id");
    snprintf(no, 32, "%s", S_(v, "case_no"));
    json_decref(v);
    notices_of(id, 1);
    snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/dispatch", (long long)id);
    call(&S, &R, "POST", path, "{\"unit\":\"cgj\"}", DISP.h);
    want(200, "dispatch");
    notices_of(id, 2);
    return id;
}

/* The outbox's 督办 rows for a case. */
static size_t reminders_of(const char *no) {
    call(&S, &R, "GET", "/api/v1/outbox?limit=500", NULL, ADMIN.h);
    want(200, "outbox");
    json_t *v = J(), *r;
    size_t i, n = 0;
    json_array_foreach(json_object_get(v, "outbox"), i, r) {
        const char *case_no = S_(json_object_get(json_object_get(r, "body"), "case"), "case_no");
        n += !strcmp(S_(r, "kind"), "notice") && case_no && !strcmp(case_no, no);
    }
    json_decref(v);
    return n;
}

static void reminders_wait_their_interval(void **st) {
    (void)st;
    char no[32];
    put_config(&ADMIN, "webhook_repeat_minutes", "240");
    case_reminded_twice(no);
    if (!await_kind("notice", no, 20)) fail_msg("no 督办 notice for %s", no);
    sleep(2); /* another collecting turn or two */
    assert_int_equal(reminders_of(no), 1); /* two notices, one message within four hours */
    /* no interval: each notice its own message */
    put_config(&ADMIN, "webhook_repeat_minutes", "0");
    json_int_t id = case_reminded_twice(no);
    size_t n = notices_of(id, 2);
    for (int i = 0; i < 100 && reminders_of(no) < n; i++) usleep(100000);
    assert_int_equal(reminders_of(no), n);
    put_config(&ADMIN, "webhook_repeat_minutes", "240");
    /* each says in Chinese which deadline, and goes to someone: the one
     * raised before dispatch to the centre that dispatches */
    call(&S, &R, "GET", "/api/v1/outbox?limit=500", NULL, ADMIN.h);
    json_t *v = J(), *r;
    size_t i, seen = 0, centre = 0;
    json_array_foreach(json_object_get(v, "outbox"), i, r) {
        json_t *b = json_object_get(r, "body");
        const char *case_no = S_(json_object_get(b, "case"), "case_no");
        if (strcmp(S_(r, "kind"), "notice") || !case_no || strcmp(case_no, no)) continue;
        const char *text = S_(b, "text");
        seen++;
        if (!strstr(text, "期限）") || strstr(text, "dispatch") || strstr(text, "accept") || strstr(text, "resolve"))
            fail_msg("a notice's text: %s", text);
        json_t *to = json_object_get(b, "to");
        if (!json_is_object(to) || !S_(to, "name")) fail_msg("a notice to no one: %s", text);
        centre += !strcmp(S_(json_object_get(b, "notice"), "kind"), "dispatch") && !strcmp(S_(to, "code"), "dcs");
    }
    assert_int_equal(seen, n);
    assert_true(centre >= 1);
    json_decref(v);
}

static void a_bad_rating_reaches_its_unit(void **st) {
    (void)st;
    call(&S, &R, "GET", "/api/v1/service-points", NULL, ADMIN.h);
    json_t *v = J();
    char code[32];
    snprintf(code, sizeof code, "%s", S_(json_array_get(json_object_get(v, "points"), 0), "code"));
    json_decref(v);
    const char *h[] = {"Content-Type: application/json", "Cookie: duban_dev=00000000000000000000000000000abc", NULL};
    post_evaluation(&S, &R, code, "{\"level\":\"very_unsatisfied\",\"comment\":\"排队两小时没人管\"}", h);
    want(201, "差评");
    got *g = await_kind("bad_rating", "排队两小时没人管", 20);
    if (!g) fail_msg("no 差评 notice");
    json_t *b = json_loads(g->body, 0, NULL);
    assert_str(S_(b, "kind"), "bad_rating");
    assert_non_null(S_(json_object_get(b, "to"), "code"));
    json_decref(b);
    call(&S, &R, "PUT", "/api/v1/config/webhook_secret", "{\"value\":\"short\"}", ADMIN.h);
    want(422, "a short secret");
    call(&S, &R, "PUT", "/api/v1/config/webhook_hours", "{\"value\":\"18:00-08:00\"}", ADMIN.h);
    want(422, "hours the wrong way round");
    call(&S, &R, "GET", "/api/v1/outbox", NULL, OPER.h);
    want(403, "the administrator's");
}

/* Where in the receiver's log (from `from`) the first delivery of that kind
 * for the case is; -1 for none. */
static int delivered_at(int from, const char *kind, const char *no) {
    char k2[48];
    snprintf(k2, sizeof k2, "\"kind\":\"%s\"", kind);
    pthread_mutex_lock(&rx.mu);
    int at = -1;
    for (int k = from; at < 0 && k < rx.n; k++)
        if (strstr(rx.got[k].body, no) && strstr(rx.got[k].body, k2)) at = k;
    pthread_mutex_unlock(&rx.mu);
    return at;
}

/* The class behind "a lease shorter than the claim": two nodes deliver one
 * outbox, and each case's messages reach the receiver in the order they were
 * made. Every case's 受理回执 fails at first (tried again seconds later),
 * while the case is handled and closed at once: its 办结告知 waits for the
 * 回执, on whichever node either goes. */
static void in_order_per_case_on_two_nodes(void **st) {
    (void)st;
    enum { N = 8 };
    session clerk;
    server_start(&S2, dbt, sweep); /* both sweep (one leads) and both deliver */
    demo_login(&S2, &clerk, "cgj.clerk");
    put_config(&ADMIN, "webhook_retry_seconds", "2");
    pthread_mutex_lock(&rx.mu);
    int from = rx.n;
    rx.fail = N;
    pthread_mutex_unlock(&rx.mu);
    char no[N][32];
    for (int i = 0; i < N; i++) {
        char body[512], path[96];
        snprintf(body, sizeof body, "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"顺序%d\","
                 "\"requester_name\":\"张三\",\"requester_phone\":\"13812345678\"}", i);
        call(&S, &R, "POST", "/api/v1/cases", body, OPER.h);
        want(201, body);
        json_t *v = J();
        json_int_t id = I_(v, "id");
        snprintf(no[i], sizeof no[i], "%s", S_(v, "case_no"));
        json_decref(v);
        static const struct { int who; const char *action, *body; } steps[] = {
            {0, "dispatch", "{\"unit\":\"cgj\"}"}, {1, "accept", NULL}, {1, "resolve", "{\"note\":\"已更换灯泡并试亮\"}"},
            {0, "visit", "{\"satisfaction\":\"satisfied\",\"solved\":true}"}, {0, "close", NULL}};
        for (size_t k = 0; k < sizeof steps / sizeof *steps; k++) {
            snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/%s", (long long)id, steps[k].action);
            call(k % 2 ? &S2 : &S, &R, "POST", path, steps[k].body, steps[k].who ? clerk.h : DISP.h);
            want(200, path);
        }
    }
    for (int i = 0; i < N; i++) {
        int receipt = -1, closed = -1;
        for (int t = 0; t < 400 && (receipt < 0 || closed < 0); t++) {
            receipt = delivered_at(from, "receipt", no[i]);
            closed = delivered_at(from, "closed", no[i]);
            if (receipt < 0 || closed < 0) usleep(100000);
        }
        if (receipt < 0 || closed < 0) fail_msg("case %s: 回执 at %d, 办结告知 at %d after 40 s", no[i], receipt, closed);
        if (closed < receipt) fail_msg("case %s: its 办结告知 (%d) overtook its 回执 (%d)", no[i], closed, receipt);
    }
    pthread_mutex_lock(&rx.mu);
    assert_int_equal(rx.fail, 0); /* every 回执 failed once on the way */
    pthread_mutex_unlock(&rx.mu);
    put_config(&ADMIN, "webhook_retry_seconds", "1");
    assert_int_equal(server_stop(&S2), 0);
    S2.pid = 0;
}

/* The first delivery error of the outbox row about case `no` (waited for,
 * bounded; malloc'd), or NULL when none came. */
static char *failure_of(const char *no) {
    for (int i = 0; i < 100; i++) {
        usleep(100000);
        call(&S, &R, "GET", "/api/v1/outbox?limit=20", NULL, ADMIN.h);
        json_t *v = J(), *r;
        size_t j;
        char *found = NULL;
        json_array_foreach(json_object_get(v, "outbox"), j, r) {
            char *bs = json_dumps(json_object_get(r, "body"), 0);
            const char *why = S_(r, "last_error");
            if (!found && bs && strstr(bs, no) && why) found = strdup(why);
            free(bs);
        }
        json_decref(v);
        if (found) return found;
    }
    return NULL;
}

/* The county's own network is no target unless named on the server's
 * command line: loopback however written, and the cloud's metadata address;
 * the refusal says why, and a failure to connect says nothing of the port.
 * With no secret, nothing is signed. */
static void private_targets_refused(void **st) {
    (void)st;
    config_cli("webhook_allow_hosts", "");
    put_config(&ADMIN, "webhook_hours", "00:00-24:00");
    char url[96];
    const char *targets[] = {"127.0.0.1", "0x7f000001"};
    for (size_t k = 0; k < 2; k++) {
        snprintf(url, sizeof url, "http://%s:%d/hook", targets[k], rx.port);
        put_config(&ADMIN, "webhook_url", url);
        pthread_mutex_lock(&rx.mu);
        int before = rx.n;
        pthread_mutex_unlock(&rx.mu);
        char *no = intake("井盖缺失", "urgent");
        char *why = failure_of(no);
        bool refused = why && strstr(why, "refused: 127.0.0.1 is a private address");
        free(why);
        if (!refused) fail_msg("%s: no refusal in %.800s", url, R.body);
        pthread_mutex_lock(&rx.mu);
        for (int i = before; i < rx.n; i++)
            if (strstr(rx.got[i].body, no)) fail_msg("%s reached the receiver", url);
        pthread_mutex_unlock(&rx.mu);
        free(no);
    }
    /* allowed, but nothing listens: the error says only that (not which
     * way a port answered) */
    config_cli("webhook_allow_hosts", "127.0.0.1");
    put_config(&ADMIN, "webhook_url", "http://127.0.0.1:1/hook");
    char *closed = intake("护栏损坏", "urgent");
    char *why = failure_of(closed);
    assert_non_null(why);
    assert_string_equal(why, "could not reach the receiver");
    free(why);
    free(closed);
    /* no secret, no signature */
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", rx.port);
    put_config(&ADMIN, "webhook_url", url);
    call(&S, &R, "PUT", "/api/v1/config/webhook_secret", "{\"value\":\"\"}", ADMIN.h);
    want(200, "no secret");
    char *no = intake("路灯闪烁", "urgent");
    got *g = await_kind("receipt", no, 20);
    if (!g) fail_msg("no 回执 without a secret");
    assert_string_equal(g->sig, "");
    assert_true(g->ts[0]);
    free(no);
    call(&S, &R, "PUT", "/api/v1/config/webhook_secret", "{\"value\":\"" SECRET "\"}", ADMIN.h);
    want(200, "the secret again");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signed_and_retried),
        cmocka_unit_test(queued_survives_a_restart),
        cmocka_unit_test(working_hours_and_urgency),
        cmocka_unit_test(reminders_wait_their_interval),
        cmocka_unit_test(a_bad_rating_reaches_its_unit),
        cmocka_unit_test(private_targets_refused),
        cmocka_unit_test(in_order_per_case_on_two_nodes),
    };
    return run_http_suite(tests, setup, stop_rx);
}
