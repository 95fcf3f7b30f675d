/* The HTTP server's machinery against the real `duban serve`: routing,
 * JSON errors, limits (413, 431, 405), reading cases, keyset pages, static
 * files and a clean stop on SIGTERM. */
#include "test.h"

#include <sys/stat.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "tests/cli/run_cli.h"
#include "tests/http/server_fixture.h"

static char dbt[256];
static server S;
static reply R;
static session D; /* the demo's dispatcher */

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "http", "120");
    demo_login(&S, &D, "dispatcher");
    return 0;
}

static int teardown(void **st) {
    (void)st;
    demo_server_stop(&S, dbt);
    return 0;
}

static void health_and_errors(void **st) {
    (void)st;
    json_t *v;
    call(&S, &R, "GET", "/api/v1/health", NULL, NULL);
    assert_int_equal(R.status, 200);
    v = reply_json(&R);
    assert_str(json_string_value(json_object_get(v, "status")), "ok");
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/nothing", NULL, NULL);
    assert_int_equal(R.status, 404);
    assert_str(error_code(&R, &v), "not_found");
    json_decref(v);
    call(&S, &R, "DELETE", "/api/v1/health", NULL, NULL);
    assert_int_equal(R.status, 405);
    assert_non_null(strstr(R.headers, "Allow: GET"));
    assert_str(error_code(&R, &v), "method_not_allowed");
    json_decref(v);
}

/* The API describes itself: every route in the table is in the document. */
static void openapi_lists_the_routes(void **st) {
    (void)st;
    call(&S, &R, "GET", "/api/v1/openapi.yaml", NULL, NULL);
    assert_int_equal(R.status, 200);
    assert_non_null(strstr(R.headers, "application/yaml"));
    assert_non_null(strstr(R.body, "openapi: 3.0"));
    FILE *f = fopen("src/http/router.c", "r");
    assert_non_null(f);
    char line[512];
    int routes = 0;
    while (fgets(line, sizeof line, f)) {
        char *p = strstr(line, "\"/api/v1/");
        if (!p || !strchr(line, '{') || strncmp(line, "    {\"", 6) != 0) continue;
        char path[256], want[280];
        sscanf(p + 8, "%255[^\"]", path);
        snprintf(want, sizeof want, "\n  %s:", path);
        if (!strstr(R.body, want)) fail_msg("openapi.yaml lacks %s", path);
        routes++;
    }
    fclose(f);
    assert_true(routes >= 20);
}

static void reading_cases(void **st) {
    (void)st;
    json_t *v;
    call(&S, &R, "GET", "/api/v1/cases/1", NULL, D.h);
    assert_int_equal(R.status, 200);
    v = reply_json(&R);
    assert_int_equal(json_integer_value(json_object_get(v, "id")), 1);
    assert_true(json_array_size(json_object_get(v, "events")) >= 1);
    /* the dispatcher needs the caller's number: shown in full */
    const char *phone = json_string_value(json_object_get(v, "requester_phone"));
    assert_true(phone == NULL || strstr(phone, "****") == NULL);
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/cases/999999", NULL, D.h);
    assert_int_equal(R.status, 404);
    assert_str(error_code(&R, &v), "not_found");
    assert_str(json_string_value(json_object_get(json_object_get(v, "error"), "field")), "id");
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/cases/x1", NULL, D.h);
    assert_int_equal(R.status, 400);
    json_decref(reply_json(&R));
    call(&S, &R, "GET", "/api/v1/cases?status=lost", NULL, D.h);
    assert_int_equal(R.status, 400);
    assert_str(error_code(&R, &v), "bad_request");
    json_decref(v);
}

/* Following next_cursor visits every case once, in id order. */
static void keyset_pages(void **st) {
    (void)st;
    int64_t last = 0, seen = 0;
    char path[128] = "/api/v1/cases?limit=7";
    for (int page = 0; page < 100; page++) {
        call(&S, &R, "GET", path, NULL, D.h);
        assert_int_equal(R.status, 200);
        json_t *v = reply_json(&R), *cases = json_object_get(v, "cases"), *c;
        size_t i;
        json_array_foreach(cases, i, c) {
            int64_t id = json_integer_value(json_object_get(c, "id"));
            assert_true(id > last);
            last = id;
            seen++;
        }
        const char *next = json_string_value(json_object_get(v, "next_cursor"));
        if (!next) {
            json_decref(v);
            break;
        }
        snprintf(path, sizeof path, "/api/v1/cases?limit=7&cursor=%s", next);
        json_decref(v);
    }
    assert_true(seen > 50);
    assert_int_equal(seen, last); /* ids are 1..N, none skipped */
    /* a bad cursor is quoted, cut to 40 bytes — here inside a character:
     * the answer is still JSON naming it, with the piece left out */
    call(&S, &R, "GET", "/api/v1/cases?sort=next_due&cursor=%E8%B7%AF%E8%B7%AF%E8%B7%AF%E8%B7%AF"
         "%E8%B7%AF%E8%B7%AF%E8%B7%AF%E8%B7%AF%E8%B7%AF%E8%B7%AF%E8%B7%AF%E8%B7%AF%E8%B7%AF%E8%B7%AF",
         NULL, D.h);
    assert_int_equal(R.status, 400);
    json_t *v = reply_json(&R);
    const char *msg = json_string_value(json_object_get(json_object_get(v, "error"), "message"));
    if (!msg || !strstr(msg, "cursor '路路路路路路路路路路路路路' is not")) fail_msg("%s", R.body);
    json_decref(v);
}

static void limits(void **st) {
    (void)st;
    json_t *v;
    unsigned char before[32], after[32];
    test_db_digest_except(dbt, "sessions,access_log,login_failures", before);
    /* a declared body over 1 MiB is refused before it is read */
    call(&S, &R, "POST", "/api/v1/cases", "{}",
         (const char *[]){"Content-Type: application/json", "Content-Length: 2000000", NULL});
    assert_int_equal(R.status, 413);
    assert_str(error_code(&R, &v), "body_too_large");
    json_decref(v);
    /* a body that turns out too big while streaming (chunked), from someone
     * who may send one (anyone else is refused on the headers: 401) */
    char *big = malloc((1 << 20) + 100);
    memset(big, 'a', (1 << 20) + 99);
    big[(1 << 20) + 99] = '\0';
    call(&S, &R, "POST", "/api/v1/cases", big,
         (const char *[]){D.cookie, D.csrf, "Content-Type: application/json", "Transfer-Encoding: chunked", NULL});
    assert_int_equal(R.status, 413);
    json_decref(reply_json(&R));
    call(&S, &R, "POST", "/api/v1/cases", big,
         (const char *[]){"Content-Type: application/json", "Transfer-Encoding: chunked", NULL});
    free(big);
    assert_int_equal(R.status, 401);
    assert_str(error_code(&R, &v), "unauthorized");
    json_decref(v);
    /* headers over 16 KiB */
    char *hdr = malloc(20000);
    strcpy(hdr, "X-Padding: ");
    memset(hdr + 11, 'b', 19000);
    hdr[19011] = '\0';
    call(&S, &R, "GET", "/api/v1/health", NULL, (const char *[]){hdr, NULL});
    free(hdr);
    assert_int_equal(R.status, 431);
    assert_str(error_code(&R, &v), "headers_too_large");
    json_decref(v);
    test_db_digest_except(dbt, "sessions,access_log,login_failures", after);
    assert_memory_equal(before, after, 32);
}

/* A client that stops halfway through its request is cut off after the
 * timeout, so it cannot hold a connection forever. */
static void idle_requests_time_out(void **st) {
    (void)st;
    server quick;
    server_start(&quick, dbt, (const char *[]){"--timeout", "1", NULL});
    unsigned port = (unsigned)atoi(strrchr(quick.url, ':') + 1);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    const char *half = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"; /* no blank line */
    assert_true(write(fd, half, strlen(half)) > 0);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    char buf[256];
    /* within 10 s (bounded), the server closes it: read returns 0 */
    ssize_t got = poll(&p, 1, 10000) > 0 ? read(fd, buf, sizeof buf) : -1;
    assert_true(got == 0 || (got < 0 && errno == ECONNRESET));
    close(fd);
    assert_int_equal(server_stop(&quick), 0);
}

static void static_files(void **st) {
    (void)st;
    call(&S, &R, "GET", "/ping.txt", NULL, NULL);
    assert_int_equal(R.status, 200);
    assert_str(R.body, "ok");
    assert_non_null(strstr(R.headers, "Content-Type: text/plain; charset=utf-8"));
    assert_non_null(strstr(R.headers, "Cache-Control: public, max-age=3600"));
    char etag[80] = "If-None-Match: ";
    const char *e = strstr(R.headers, "ETag: ");
    assert_non_null(e);
    size_t n = strcspn(e + 6, "\r\n");
    strncat(etag, e + 6, n);
    call(&S, &R, "GET", "/ping.txt", NULL, (const char *[]){etag, NULL});
    assert_int_equal(R.status, 304);
    call(&S, &R, "GET", "/", NULL, NULL);
    assert_int_equal(R.status, 200);
    assert_non_null(strstr(R.headers, "text/html; charset=utf-8"));
    assert_non_null(strstr(R.body, "督办"));
    static const char *const bad[] = {"/../Makefile", "/%2e%2e/Makefile", "/.gitignore",
                                      "/vendor/../Makefile", "/vendor/chinese-days/package.json",
                                      "//etc/passwd", "/ping.txt/", "/nope.html"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        call(&S, &R, "GET", bad[i], NULL, NULL);
        if (R.status != 404) fail_msg("%s: status %ld", bad[i], R.status);
    }
}

/* What the static files may not do: hang a worker on a FIFO (it is refused
 * at once, and the server still stops on SIGTERM), leave a library's package
 * through a link (to another package or anywhere), or refuse HEAD. */
static void static_files_stay_in_bounds(void **st) {
    (void)st;
    char dir[64], path[160];
    snprintf(dir, sizeof dir, "/tmp/duban-static-%d", (int)getpid());
    const char *mk[] = {"", "/web", "/nm", "/nm/echarts", "/nm/echarts/dist", "/nm/leftpad"};
    for (size_t i = 0; i < sizeof mk / sizeof *mk; i++) {
        snprintf(path, sizeof path, "%s%s", dir, mk[i]);
        mkdir(path, 0755);
    }
    const struct { const char *name, *text; } files[] = {
        {"/web/index.html", "<!doctype html><title>督办</title>"},
        {"/web/q.html", "<!doctype html><title>码上评</title>"},
        {"/web/t.html", "<!doctype html><title>办理进度查询</title>"},
        {"/nm/echarts/dist/ok.js", "ok()"},
        {"/nm/leftpad/secret.js", "secret()"},
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s%s", dir, files[i].name);
        FILE *f = fopen(path, "w");
        fputs(files[i].text, f);
        fclose(f);
    }
    snprintf(path, sizeof path, "%s/web/pipe.txt", dir);
    assert_int_equal(mkfifo(path, 0644), 0);
    snprintf(path, sizeof path, "%s/nm/echarts/dist/other.js", dir);
    assert_int_equal(symlink("../../leftpad/secret.js", path), 0);
    snprintf(path, sizeof path, "%s/nm/echarts/dist/passwd.js", dir);
    assert_int_equal(symlink("/etc/passwd", path), 0);
    char web[96], nm[96];
    snprintf(web, sizeof web, "%s/web", dir);
    snprintf(nm, sizeof nm, "%s/nm", dir);
    const char *const extra[] = {"--web", web, "--vendor", nm, NULL};
    server T;
    server_start(&T, dbt, extra);
    call(&T, &R, "GET", "/vendor/echarts/dist/ok.js", NULL, NULL);
    assert_int_equal(R.status, 200);
    assert_str(R.body, "ok()");
    const char *const refused[] = {"/pipe.txt", "/vendor/echarts/dist/other.js", "/vendor/echarts/dist/passwd.js",
                                   "/vendor/leftpad/secret.js"};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        call(&T, &R, "GET", refused[i], NULL, NULL);
        if (R.status != 404) fail_msg("%s: %ld", refused[i], R.status);
    }
    /* a path that names no file: the page it stands for, or nothing */
    const struct { const char *path, *page; } pages[] = {
        {"/q/AB12CD34", "码上评"}, {"/t/MZ20261130-0001", "办理进度查询"}, {"/t", "办理进度查询"},
        {"/tasks", "督办"},     {"/workbench", "督办"},          {"/cases/12", "督办"},
        {"/api/v1/nope", NULL}, {"/vendor/none/x", NULL},     {"/missing.js", NULL},
    };
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
        call(&T, &R, "GET", pages[i].path, NULL, NULL);
        if (pages[i].page ? R.status != 200 || !strstr(R.body, pages[i].page) : R.status != 404)
            fail_msg("%s: %ld %.80s", pages[i].path, R.status, R.body);
    }
    /* HEAD wherever GET: the headers, no body */
    const char *const heads[] = {"/", "/api/v1/health", "/vendor/echarts/dist/ok.js"};
    for (size_t i = 0; i < sizeof heads / sizeof *heads; i++) {
        call(&T, &R, "HEAD", heads[i], NULL, NULL);
        if (R.status != 200 || R.len != 0) fail_msg("HEAD %s: %ld, %zu bytes", heads[i], R.status, R.len);
    }
    assert_int_equal(server_stop(&T), 0);
    const char *rm[] = {"/nm/echarts/dist/passwd.js", "/nm/echarts/dist/other.js", "/web/pipe.txt",
                        "/nm/leftpad/secret.js", "/nm/echarts/dist/ok.js", "/web/index.html",
                        "/web/q.html", "/web/t.html",
                        "/nm/leftpad", "/nm/echarts/dist", "/nm/echarts", "/nm", "/web", ""};
    for (size_t i = 0; i < sizeof rm / sizeof *rm; i++) {
        snprintf(path, sizeof path, "%s%s", dir, rm[i]);
        remove(path);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(health_and_errors), cmocka_unit_test(openapi_lists_the_routes),
        cmocka_unit_test(reading_cases),
        cmocka_unit_test(keyset_pages),      cmocka_unit_test(limits),
        cmocka_unit_test(static_files),    cmocka_unit_test(idle_requests_time_out),
        cmocka_unit_test(static_files_stay_in_bounds),
    };
    return run_http_suite(tests, setup, teardown);
}
