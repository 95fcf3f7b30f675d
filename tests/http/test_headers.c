/* The security headers on every kind of answer, on each driver: the API
 * (read, write, error), an error the server gives before any handler (headers
 * too large), static files, the UI's page, the public pages (码上评, tracking),
 * a server-made HTML page, Open311 — each never sniffed, never framed, never
 * sending a Referer, with one Content-Security-Policy; HSTS and Secure cookies
 * only when a trusted proxy says the request came over HTTPS. */
#include "test.h"

#include <strings.h>
#include <sys/stat.h>

#include "tests/http/demo_suite.h"

static session DISP, OPER;
static char web[96];

static void write_file(const char *dir, const char *name, const char *text) {
    char path[160];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) fail_msg("cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

static int setup(void **st) {
    (void)st;
    snprintf(web, sizeof web, "/tmp/duban-headers-web-%d", (int)getpid());
    mkdir(web, 0755);
    write_file(web, "index.html", "<!doctype html><title>督办</title>");
    write_file(web, "q.html", "<!doctype html><title>码上评</title>");
    write_file(web, "t.html", "<!doctype html><title>办理进度查询</title>");
    write_file(web, "app.js", "ok()");
    demo_db(dbt, sizeof dbt, "headers", "5");
    const char *const extra[] = {"--web", web, "--trusted-proxy", "127.0.0.1", NULL};
    server_start(&S, dbt, extra);
    demo_login(&S, &DISP, "dispatcher");
    demo_login(&S, &OPER, "operator");
    return 0;
}

static int stop(void **st) {
    teardown(st);
    const char *names[] = {"index.html", "q.html", "t.html", "app.js"};
    char path[160];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/%s", web, names[i]);
        unlink(path);
    }
    rmdir(web);
    return 0;
}

/* How many times the reply carries a header (by name, any case), and the
 * last one's value into value. */
static int header_count(const char *name, char *value, size_t n) {
    int count = 0;
    size_t len = strlen(name);
    for (const char *p = R.headers; (p = strchr(p, '\n')); ) {
        p++;
        if (!strncasecmp(p, name, len) && p[len] == ':') {
            count++;
            const char *v = p + len + 1;
            while (*v == ' ') v++;
            if (value) snprintf(value, n, "%.*s", (int)strcspn(v, "\r\n"), v);
        }
    }
    return count;
}

typedef struct kind {
    const char *what, *method, *path, *body;
    long status;
    bool signed_in; /* as the dispatcher (the operator for a write) */
} kind;

static const kind kinds[] = {
    {"API read", "GET", "/api/v1/health", NULL, 200, false},
    {"API write (the writer's answer)", "POST", "/api/v1/cases",
     "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"路面塌陷\"}", 201, true},
    {"API error", "GET", "/api/v1/nope", NULL, 404, false},
    {"a refused sign-in", "GET", "/api/v1/cases", NULL, 401, false},
    {"public API", "GET", "/api/v1/public/track/MZ00000000-0000", NULL, 404, false},
    {"static file", "GET", "/app.js", NULL, 200, false},
    {"the UI's page", "GET", "/workbench", NULL, 200, false},
    {"public page 码上评", "GET", "/q/AB12CD34", NULL, 200, false},
    {"public page 进度查询", "GET", "/t/MZ20261130-0001", NULL, 200, false},
    {"server-made HTML", "GET", "/api/v1/cases/1/sheet", NULL, 200, true},
    {"Open311", "GET", "/open311/v2/services.xml", NULL, 200, false},
};

/* Asks for a kind, over HTTPS (as the proxy says) or not. */
static void ask(const kind *k, bool https) {
    const char *h[6] = {0};
    int n = 0;
    const session *who = !k->signed_in ? NULL : k->body ? &OPER : &DISP;
    for (int i = 0; who && who->h[i]; i++) h[n++] = who->h[i];
    if (https) h[n++] = "X-Forwarded-Proto: https";
    call(&S, &R, k->method, k->path, k->body, n ? h : NULL);
    if (R.status != k->status) fail_msg("%s: %ld (want %ld) %.200s", k->what, R.status, k->status, R.body);
}

static void every_answer_carries_them(void **st) {
    (void)st;
    char v[300];
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        ask(&kinds[i], false);
        const char *what = kinds[i].what;
        if (header_count("X-Content-Type-Options", v, sizeof v) != 1 || strcmp(v, "nosniff"))
            fail_msg("%s: X-Content-Type-Options '%s'", what, v);
        if (header_count("X-Frame-Options", v, sizeof v) != 1 || strcmp(v, "DENY"))
            fail_msg("%s: X-Frame-Options '%s'", what, v);
        if (header_count("Referrer-Policy", v, sizeof v) != 1 || strcmp(v, "no-referrer"))
            fail_msg("%s: Referrer-Policy '%s'", what, v);
        if (header_count("Content-Security-Policy", v, sizeof v) != 1 || !strstr(v, "frame-ancestors 'none'"))
            fail_msg("%s: Content-Security-Policy '%s'", what, v);
        if (header_count("Strict-Transport-Security", NULL, 0) != 0)
            fail_msg("%s: HSTS over plain HTTP", what);
    }
}

static void https_through_the_proxy(void **st) {
    (void)st;
    char v[300];
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        ask(&kinds[i], true);
        if (header_count("Strict-Transport-Security", v, sizeof v) != 1 || strcmp(v, "max-age=31536000"))
            fail_msg("%s: HSTS '%s' over HTTPS", kinds[i].what, v);
    }
    /* the session cookie: Secure over HTTPS only */
    const char *plain[] = {"Content-Type: application/json", NULL},
               *tls[] = {"Content-Type: application/json", "X-Forwarded-Proto: https", NULL};
    const char *body = "{\"username\":\"dispatcher\",\"password\":\"mz13710#dis\"}";
    call(&S, &R, "POST", "/api/v1/auth/login", body, tls);
    want(200, "login over HTTPS");
    assert_int_equal(header_count("Set-Cookie", v, sizeof v), 1);
    assert_non_null(strstr(v, "; Secure"));
    assert_non_null(strstr(v, "HttpOnly"));
    call(&S, &R, "POST", "/api/v1/auth/login", body, plain);
    want(200, "login");
    assert_int_equal(header_count("Set-Cookie", v, sizeof v), 1);
    assert_null(strstr(v, "Secure"));
    /* a citizen's device cookie the same */
    const char *eval = "{\"level\":\"satisfied\"}";
    call(&S, &R, "GET", "/api/v1/service-points", NULL, DISP.h);
    json_t *pts = J();
    char code[32];
    snprintf(code, sizeof code, "%s", S_(json_array_get(json_object_get(pts, "points"), 0), "code"));
    json_decref(pts);
    post_evaluation(&S, &R, code, eval, tls);
    want(201, "an evaluation over HTTPS");
    assert_int_equal(header_count("Set-Cookie", v, sizeof v), 1);
    assert_non_null(strstr(v, "; Secure"));
}

/* Anyone can send X-Forwarded-Proto: it counts only from a trusted proxy. */
static void untrusted_says_nothing(void **st) {
    (void)st;
    server T;
    server_start(&T, dbt, NULL);
    const char *tls[] = {"X-Forwarded-Proto: https", NULL};
    call(&T, &R, "GET", "/api/v1/health", NULL, tls);
    want(200, "health");
    assert_int_equal(header_count("Strict-Transport-Security", NULL, 0), 0);
    assert_int_equal(server_stop(&T), 0);
}

static void early_errors_too(void **st) {
    (void)st;
    /* refused before any handler: request headers over the limit */
    static char pad[40000];
    memset(pad, 'a', sizeof pad - 1);
    memcpy(pad, "X-Pad: ", 7);
    const char *h[] = {pad, "X-Forwarded-Proto: https", NULL};
    call(&S, &R, "GET", "/api/v1/health", NULL, h);
    want(431, "headers too large");
    char v[300];
    assert_int_equal(header_count("X-Content-Type-Options", NULL, 0), 1);
    assert_int_equal(header_count("Referrer-Policy", NULL, 0), 1);
    assert_int_equal(header_count("Content-Security-Policy", v, sizeof v), 1);
    assert_int_equal(header_count("Strict-Transport-Security", NULL, 0), 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_answer_carries_them),
        cmocka_unit_test(https_through_the_proxy),
        cmocka_unit_test(untrusted_says_nothing),
        cmocka_unit_test(early_errors_too),
    };
    return run_http_suite(tests, setup, stop);
}
