/* The printed 交办单 on each driver: its fields, the requester masked as the
 * reader's role requires, its text escaped, its QR code, who may print it;
 * and Chromium renders it to a one-page A4 PDF (screenshots at phone and
 * desktop widths are kept under build/test/screenshots to be looked at). */
#include "test.h"

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "tests/http/demo_suite.h"

static session OP, DISP, CLERK, OTHER, ADMIN;
static int64_t ID, SECRET;

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "sheet", "5");
    demo_login(&S, &OP, "operator");
    demo_login(&S, &DISP, "dispatcher");
    demo_login(&S, &CLERK, "cgj.clerk");
    demo_login(&S, &OTHER, "heyang.clerk");
    demo_login(&S, &ADMIN, "admin");
    return 0;
}

static int64_t intake(const char *body, const char *dispatch) {
    call(&S, &R, "POST", "/api/v1/cases", body, OP.h);
    want(201, "intake");
    json_t *v = reply_json(&R);
    int64_t id = json_integer_value(json_object_get(v, "id"));
    json_decref(v);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/dispatch", (long long)id);
    call(&S, &R, "POST", path, dispatch, DISP.h);
    want(200, "dispatch");
    return id;
}

static void sheet(session *who, int64_t id) {
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/sheet", (long long)id);
    call(&S, &R, "GET", path, NULL, who->h);
}

static void fields_and_masks(void **st) {
    (void)st;
    ID = intake("{\"channel\":\"hotline\",\"class\":\"general\",\"appeal_type\":\"complaint\","
                "\"title\":\"韩愈大街路灯不亮<script>alert(1)</script>\",\"description\":\"夜间整条街"
                "路灯不亮，行人摔倒。\\n请尽快维修。\",\"requester_name\":\"张三丰\","
                "\"requester_phone\":\"13812341234\",\"township\":\"heyangjd\"}",
                "{\"unit\":\"cgj\",\"assist\":[\"heyangjd\"]}");
    sheet(&DISP, ID);
    want(200, "dispatcher's sheet");
    assert_non_null(strstr(R.headers, "Content-Type: text/html; charset=utf-8"));
    assert_non_null(strstr(R.headers, "Content-Security-Policy: default-src 'none'; style-src 'sha256-"));
    static const char *const has[] = {"交办单", "12345热线", "投诉", "一般", "市城市管理局",
                                      "河阳街道", "张三丰", "13812341234", "13710", "7 七日内办结",
                                      "&lt;script&gt;", "<svg", "/cases/", "size:A4"};
    for (size_t i = 0; i < sizeof has / sizeof *has; i++)
        if (!strstr(R.body, has[i])) fail_msg("the sheet lacks %s", has[i]);
    assert_null(strstr(R.body, "<script>"));
    json_t *v;
    char path[64];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)ID);
    call(&S, &R, "GET", path, NULL, DISP.h);
    v = reply_json(&R);
    char no[64];
    snprintf(no, sizeof no, "%s", json_string_value(json_object_get(v, "case_no")));
    json_decref(v);
    sheet(&DISP, ID);
    assert_non_null(strstr(R.body, no));
    /* its link (and QR code) is the configured site, else the server's own
     * address; never what a request's Host header says */
    char sp[96];
    snprintf(sp, sizeof sp, "/api/v1/cases/%lld/sheet", (long long)ID);
    call(&S, &R, "GET", sp, NULL, (const char *[]){DISP.cookie, "Host: evil.example", NULL});
    want(200, "a sheet asked for under another Host");
    assert_null(strstr(R.body, "evil.example"));
    assert_non_null(strstr(R.body, "http://127.0.0.1:"));
    /* the unit's clerk reads it masked, as in the JSON */
    sheet(&CLERK, ID);
    want(200, "clerk's sheet");
    assert_non_null(strstr(R.body, "138****1234"));
    assert_non_null(strstr(R.body, "张**"));
    assert_null(strstr(R.body, "13812341234"));
    SECRET = intake("{\"channel\":\"petition\",\"class\":\"major\",\"title\":\"反映征地补偿问题\","
                    "\"requester_name\":\"李四\",\"requester_phone\":\"13900001111\","
                    "\"confidential\":true}", "{\"unit\":\"cgj\"}");
    sheet(&CLERK, SECRET);
    want(200, "confidential");
    assert_non_null(strstr(R.body, "（保密）"));
    assert_null(strstr(R.body, "李"));
    assert_null(strstr(R.body, "1111"));
    assert_non_null(strstr(R.body, "30 一月内办结"));
    /* not theirs: the other unit, the administrator, nobody signed in */
    sheet(&OTHER, ID); /* an assisting unit prints it too */
    want(200, "assisting unit");
    sheet(&OTHER, SECRET);
    want(404, "another unit");
    sheet(&ADMIN, ID);
    want(403, "admin");
    call(&S, &R, "GET", "/api/v1/cases/1/sheet", NULL, NULL);
    want(401, "anonymous");
    call(&S, &R, "GET", "/api/v1/cases/x/sheet", NULL, DISP.h);
    want(400, "bad id");
}

/* Runs a command; its exit status. */
static int run(char *const argv[]) {
    pid_t pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static long file_size(const char *path) {
    struct stat sb;
    return stat(path, &sb) ? -1 : (long)sb.st_size;
}

static void printed_by_chromium(void **st) {
    (void)st;
    sheet(&DISP, ID);
    want(200, "sheet");
    mkdir("build/test/screenshots", 0755);
    const char *html = "build/test/screenshots/sheet.html";
    FILE *f = fopen(html, "w");
    assert_non_null(f);
    fwrite(R.body, 1, R.len, f);
    fclose(f);
    char url[512], pdf_arg[300], shot[2][300], cwd[256];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(url, sizeof url, "file://%s/%s", cwd, html);
    const char *pdf = "build/test/screenshots/sheet.pdf";
    unlink(pdf);
    snprintf(pdf_arg, sizeof pdf_arg, "--print-to-pdf=%s", pdf);
    char *print[] = {"/usr/bin/timeout", "90", "/usr/bin/chromium", "--headless", "--no-sandbox",
                     "--disable-gpu", "--disable-background-networking",
                     "--user-data-dir=build/test/chromium", "--no-pdf-header-footer", pdf_arg, url,
                     NULL};
    assert_int_equal(run(print), 0);
    /* a PDF of one A4 page (595 x 842 points) */
    long n = file_size(pdf);
    assert_true(n > 5000);
    char *p = malloc((size_t)n + 1);
    f = fopen(pdf, "rb");
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    p[n] = '\0';
    assert_memory_equal(p, "%PDF-", 5);
    int pages = 0;
    for (char *q = p; (q = memmem(q, (size_t)(p + n - q), "/Type /Page", 11)); q += 11)
        pages += q[11] != 's';
    assert_int_equal(pages, 1);
    assert_non_null(memmem(p, (size_t)n, "/MediaBox [0 0 594.9", 20)); /* A4: 595 x 842 pt */
    free(p);
    /* how it looks on a phone and on a desk */
    static const char *const sizes[2][2] = {{"390,1400", "sheet-phone.png"}, {"1366,1800", "sheet-desktop.png"}};
    for (int i = 0; i < 2; i++) {
        char size[64], path[256];
        snprintf(size, sizeof size, "--window-size=%s", sizes[i][0]);
        snprintf(path, sizeof path, "build/test/screenshots/%s", sizes[i][1]);
        snprintf(shot[i], sizeof shot[i], "--screenshot=%s", path);
        unlink(path);
        char *argv[] = {"/usr/bin/timeout", "90", "/usr/bin/chromium", "--headless", "--no-sandbox",
                        "--disable-gpu", "--disable-background-networking", "--hide-scrollbars",
                        "--user-data-dir=build/test/chromium", size, shot[i], url, NULL};
        assert_int_equal(run(argv), 0);
        assert_true(file_size(path) > 10000);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fields_and_masks),
        cmocka_unit_test(printed_by_chromium),
    };
    return run_http_suite(tests, setup, teardown);
}
