/* 码上评 and public tracking through the API on each driver: service points
 * kept by an administrator (QR as SVG and PNG, a poster), evaluations by
 * device and address throttled, a 差评 with a comment becoming a case routed
 * to the point's unit with its 整改 deadline and an owed 回访, the figures
 * per point and unit, bad input changing nothing, and tracking a case with
 * its check code (wrong codes counted, then refused). */
#include "test.h"

#include <stdbool.h>

#include "tests/http/demo_suite.h"

static session ADMIN, DISP, CLERK, OTHER, OP;

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "eval", "5");
    demo_login(&S, &ADMIN, "admin");
    demo_login(&S, &DISP, "dispatcher");
    demo_login(&S, &CLERK, "cgj.clerk");
    demo_login(&S, &OTHER, "heyang.clerk");
    demo_login(&S, &OP, "operator");
    return 0;
}

static int64_t P1, P2; /* cgj's points */
static char CODE1[16], CODE2[16];

static int64_t new_point(const char *body, char code[16]) {
    call(&S, &R, "POST", "/api/v1/service-points", body, ADMIN.h);
    want(201, body);
    json_t *v = J();
    snprintf(code, 16, "%s", S_(v, "code"));
    assert_int_equal(strlen(code), 10);
    assert_non_null(strstr(S_(v, "url"), "/q/"));
    assert_non_null(strstr(S_(v, "url"), code));
    int64_t id = I_(v, "id");
    json_decref(v);
    return id;
}

static void points_kept_by_an_administrator(void **st) {
    (void)st;
    P1 = new_point("{\"name\":\"数字城管服务窗口\",\"place\":\"市民之家一楼 8 号窗口\",\"unit\":\"cgj\"}", CODE1);
    P2 = new_point("{\"name\":\"城管局信访接待室\",\"unit\":\"cgj\"}", CODE2);
    call(&S, &R, "POST", "/api/v1/service-points", "{\"name\":\"x\",\"unit\":\"cgj\"}", DISP.h);
    want(403, "a dispatcher does not keep points");
    call(&S, &R, "POST", "/api/v1/service-points", "{\"name\":\"x\",\"unit\":\"nope\"}", ADMIN.h);
    want(422, "unknown unit");
    assert_non_null(strstr(R.body, "\"unit\""));
    call(&S, &R, "POST", "/api/v1/service-points", "{\"name\":\"  \",\"unit\":\"cgj\"}", ADMIN.h);
    want(422, "blank name");
    assert_non_null(strstr(R.body, "\"name\""));
    /* the unit's clerk sees its points; another unit's clerk neither sees nor prints them */
    call(&S, &R, "GET", "/api/v1/service-points", NULL, CLERK.h);
    want(200, "clerk lists");
    assert_non_null(strstr(R.body, CODE1));
    call(&S, &R, "GET", "/api/v1/service-points", NULL, OTHER.h);
    want(200, "other clerk lists");
    assert_null(strstr(R.body, CODE1));
    char path[128];
    snprintf(path, sizeof path, "/api/v1/service-points/%lld/poster", (long long)P1);
    call(&S, &R, "GET", path, NULL, OTHER.h);
    want(404, "another unit's poster");
    call(&S, &R, "GET", path, NULL, ADMIN.h);
    want(200, "poster");
    assert_non_null(strstr(R.body, "数字城管服务窗口"));
    assert_non_null(strstr(R.body, "<svg"));
    assert_non_null(strstr(R.headers, "Content-Security-Policy: default-src 'none'"));
    snprintf(path, sizeof path, "/api/v1/service-points/%lld/qr?format=png&scale=4", (long long)P1);
    call(&S, &R, "GET", path, NULL, CLERK.h);
    want(200, "png");
    assert_memory_equal(R.body, "\x89PNG\r\n\x1a\n", 8);
    assert_non_null(strstr(R.headers, "image/png"));
    snprintf(path, sizeof path, "/api/v1/service-points/%lld/qr", (long long)P1);
    call(&S, &R, "GET", path, NULL, CLERK.h);
    want(200, "svg");
    assert_memory_equal(R.body, "<svg", 4);
    snprintf(path, sizeof path, "/api/v1/service-points/%lld/qr?format=gif", (long long)P1);
    call(&S, &R, "GET", path, NULL, CLERK.h);
    want(400, "gif");
    /* anyone reads what the evaluation page shows */
    snprintf(path, sizeof path, "/api/v1/public/points/%s", CODE1);
    call(&S, &R, "GET", path, NULL, NULL);
    want(200, "public point");
    json_t *v = J();
    assert_str(S_(v, "name"), "数字城管服务窗口");
    assert_int_equal(json_array_size(json_object_get(v, "levels")), 5);
    assert_null(json_object_get(v, "id"));
    json_decref(v);
}

/* POSTs an evaluation of code from device dev ("" for a new one). */
static void evaluate(const char *code, const char *dev, const char *body, long status) {
    char cookie[96];
    snprintf(cookie, sizeof cookie, "Cookie: duban_dev=%s", dev);
    const char *h[] = {"Content-Type: application/json", dev[0] ? cookie : NULL, NULL};
    post_evaluation(&S, &R, code, body, h);
    want(status, body);
}

#define DEV(n) "0000000000000000000000000000000" #n

/* The totals of the period's figures: total and bad of the point, bad_cases, bad_fixed, bad_due */
static void point_figures(session *who, int64_t point, json_int_t out[5]) {
    call(&S, &R, "GET", "/api/v1/evaluations/stats?from=2020-01-01&to=2100-01-01", NULL, who->h);
    want(200, "stats");
    json_t *v = J(), *p;
    size_t i;
    memset(out, 0, 5 * sizeof *out);
    json_array_foreach(json_object_get(v, "points"), i, p) if (I_(p, "id") == point) {
        out[0] = I_(p, "total");
        out[1] = I_(p, "bad");
        out[2] = I_(p, "bad_cases");
        out[3] = I_(p, "bad_fixed");
        out[4] = I_(p, "bad_due");
    }
    json_decref(v);
}

static char CASE_NO[32], TRACK[16];
static int64_t CASE_ID;

static void evaluations_and_the_case_they_make(void **st) {
    (void)st;
    json_int_t f[5];
    evaluate(CODE1, "", "{\"level\":\"satisfied\"}", 201);
    assert_non_null(strstr(R.headers, "Set-Cookie: duban_dev="));
    assert_null(strstr(R.body, "case"));
    evaluate(CODE1, DEV(1), "{\"level\":\"very_satisfied\"}", 201);
    evaluate(CODE1, DEV(1), "{\"level\":\"basic\"}", 429); /* the same device within the hour */
    assert_non_null(strstr(R.body, "\"device\""));
    evaluate(CODE2, DEV(1), "{\"level\":\"basic\"}", 201); /* another point is another count */
    /* 差评 without a comment: counted, no case */
    evaluate(CODE1, DEV(2), "{\"level\":\"unsatisfied\",\"reasons\":[\"efficiency\"]}", 201);
    assert_null(strstr(R.body, "case"));
    /* 差评 with a comment and a phone: a case for cgj */
    evaluate(CODE1, DEV(3), "{\"level\":\"very_unsatisfied\",\"reasons\":[\"attitude\",\"efficiency\"],"
                            "\"comment\":\"窗口人员态度生硬，材料让跑了三趟\",\"phone\":\"13903910001\"}", 201);
    json_t *v = J(), *c = json_object_get(v, "case");
    assert_non_null(c);
    snprintf(CASE_NO, sizeof CASE_NO, "%s", S_(c, "case_no"));
    snprintf(TRACK, sizeof TRACK, "%s", S_(c, "track_code"));
    assert_int_equal(strlen(TRACK), 12);
    assert_non_null(strstr(S_(c, "track_url"), "/t/"));
    assert_str(S_(c, "unit"), "市城市管理局");
    json_decref(v);
    point_figures(&DISP, P1, f);
    assert_int_equal(f[0], 4);
    assert_int_equal(f[1], 2);
    assert_int_equal(f[2], 1);
    assert_int_equal(f[3], 0);
    assert_int_equal(f[4], 0); /* its 整改 is not due yet: not in 整改率 */
    /* the case: channel qr, dispatched to cgj, 15 working days, phone kept for the 回访 */
    char path[128];
    call(&S, &R, "GET", "/api/v1/cases?channel=qr&sort=newest&limit=1", NULL, DISP.h);
    want(200, "list");
    v = J();
    c = json_array_get(json_object_get(v, "cases"), 0);
    assert_str(S_(c, "case_no"), CASE_NO);
    CASE_ID = I_(c, "id");
    json_decref(v);
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)CASE_ID);
    call(&S, &R, "GET", path, NULL, DISP.h);
    want(200, "case");
    v = J();
    assert_str(S_(v, "status"), "dispatched");
    assert_str(S_(json_object_get(v, "lead_unit"), "code"), "cgj");
    assert_str(S_(v, "requester_phone"), "13903910001");
    assert_str(S_(v, "track_code"), TRACK);
    assert_non_null(strstr(S_(v, "description"), "服务态度"));
    json_decref(v);
    call(&S, &R, "GET", path, NULL, CLERK.h); /* the clerk sees it masked, without the code */
    want(200, "clerk reads");
    assert_null(strstr(R.body, "13903910001"));
    assert_null(strstr(R.body, "track_code"));
    /* the unit puts it right; the 回访 is owed: no waiver */
    char act[160];
    const char *steps[][3] = {{"accept", "{}", "CLERK"},
                              {"resolve", "{\"note\":\"已约谈窗口人员，一次性告知清单已上墙\"}", "CLERK"},
                              {"waive_visit", "{\"note\":\"不回访\"}", "DISP"}};
    for (int i = 0; i < 3; i++) {
        snprintf(act, sizeof act, "/api/v1/cases/%lld/actions/%s", (long long)CASE_ID, steps[i][0]);
        call(&S, &R, "POST", act, steps[i][1], steps[i][2][0] == 'C' ? CLERK.h : DISP.h);
        want(i < 2 ? 200 : 409, steps[i][0]);
    }
    assert_non_null(strstr(R.body, "回访"));
    point_figures(&DISP, P1, f);
    assert_int_equal(f[2], 1);
    assert_int_equal(f[3], 1); /* 整改: resolved */
    assert_int_equal(f[4], 1); /* put right before its deadline: in 整改率 */
    /* a unit's clerk reads its own unit's figures; another's sees none of them */
    point_figures(&CLERK, P1, f);
    assert_int_equal(f[0], 4);
    point_figures(&OTHER, P1, f);
    assert_int_equal(f[0], 0);
}

static void bad_input_changes_nothing(void **st) {
    (void)st;
    json_int_t before[5], after[5];
    point_figures(&DISP, P2, before);
    evaluate(CODE2, DEV(4), "{\"level\":\"great\"}", 422);
    assert_non_null(strstr(R.body, "\"level\""));
    evaluate(CODE2, DEV(4), "{\"level\":\"satisfied\",\"reasons\":[\"weather\"]}", 422);
    assert_non_null(strstr(R.body, "\"reasons\""));
    evaluate(CODE2, DEV(4), "{\"level\":\"satisfied\",\"report\":true}", 422); /* a report says what */
    assert_non_null(strstr(R.body, "\"comment\""));
    evaluate(CODE2, DEV(4), "{\"level\":\"unsatisfied\",\"comment\":\"慢\",\"phone\":\"call me\"}", 422);
    assert_non_null(strstr(R.body, "\"phone\""));
    evaluate(CODE2, DEV(4), "{\"level\":\"satisfied\",\"extra\":1}", 422);
    evaluate(CODE2, DEV(4), "{\"level\":", 400);
    char big[2400] = "{\"level\":\"unsatisfied\",\"comment\":\"";
    for (int i = 0; i < 501; i++) strcat(big, "慢");
    strcat(big, "\"}");
    evaluate(CODE2, DEV(4), big, 422);
    evaluate("zzzzzzzzzz", DEV(4), "{\"level\":\"satisfied\"}", 404);
    evaluate("../../etc", DEV(4), "{\"level\":\"satisfied\"}", 404);
    const char *form[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    char path[128];
    snprintf(path, sizeof path, "/api/v1/public/points/%s/evaluations", CODE2);
    call(&S, &R, "POST", path, "level=satisfied", form);
    want(415, "a form post (another site's) is not JSON");
    /* JSON without its type (text/plain, or none) is what another site's page can send
     * without a CORS preflight: refused as well */
    const char *plain[] = {"Content-Type: text/plain", NULL}, *none[] = {"Content-Type:", NULL};
    call(&S, &R, "POST", path, "{\"level\":\"very_unsatisfied\"}", plain);
    want(415, "JSON sent as text/plain");
    call(&S, &R, "POST", path, "{\"level\":\"very_unsatisfied\"}", none);
    want(415, "JSON sent with no Content-Type");
    assert_non_null(strstr(R.body, "no Content-Type"));
    const char *jsonish[] = {"Content-Type: application/jsonx", NULL};
    call(&S, &R, "POST", path, "{\"level\":\"very_unsatisfied\"}", jsonish);
    want(415, "a type that only begins like JSON's");
    /* the honeypot: answered, not kept */
    evaluate(CODE2, DEV(5), "{\"level\":\"very_unsatisfied\",\"comment\":\"spam\",\"website\":\"http://x\"}", 201);
    assert_null(strstr(R.body, "case"));
    point_figures(&DISP, P2, after);
    assert_memory_equal(before, after, sizeof before);
    /* a point taken down takes no more */
    snprintf(path, sizeof path, "/api/v1/service-points/%lld", (long long)P2);
    call(&S, &R, "PUT", path, "{\"name\":\"城管局信访接待室\",\"unit\":\"cgj\",\"active\":false}", ADMIN.h);
    want(200, "deactivate");
    evaluate(CODE2, DEV(6), "{\"level\":\"satisfied\"}", 409);
    point_figures(&DISP, P2, after);
    assert_memory_equal(before, after, sizeof before);
}

static void one_address_has_a_ceiling(void **st) {
    (void)st;
    cli_run *run = calloc(1, sizeof *run);
    const char *argv[] = {"duban", "--db", dbt, "config", "set", "qr_addr_per_hour", "6", NULL};
    run_cli(run, argv);
    assert_int_equal(run->status, 0);
    free(run);
    /* CODE1 has 4 from this address this hour: two more, then no more */
    evaluate(CODE1, DEV(7), "{\"level\":\"satisfied\"}", 201);
    evaluate(CODE1, DEV(8), "{\"level\":\"satisfied\"}", 201);
    evaluate(CODE1, DEV(9), "{\"level\":\"satisfied\"}", 429);
    assert_non_null(strstr(R.body, "\"addr\""));
}

static void tracked_with_the_check_code(void **st) {
    (void)st;
    char path[160];
    snprintf(path, sizeof path, "/api/v1/public/track/%s?code=%s", CASE_NO, TRACK);
    call(&S, &R, "GET", path, NULL, NULL);
    want(200, "track");
    json_t *v = J();
    assert_str(S_(v, "case_no"), CASE_NO);
    assert_str(S_(v, "status"), "resolved");
    assert_str(S_(v, "unit"), "市城市管理局");
    json_t *steps = json_object_get(v, "steps");
    assert_true(json_array_size(steps) >= 3);
    assert_str(S_(json_array_get(steps, 0), "step"), "1");
    assert_str(S_(json_array_get(steps, 0), "state"), "done");
    json_decref(v);
    assert_null(strstr(R.body, "13903910001"));
    assert_null(strstr(R.body, "139"));
    assert_null(strstr(R.body, "requester"));
    /* grouped and in capitals, as read off a receipt */
    char loud[32];
    snprintf(loud, sizeof loud, "%.4s-%.4s-%.4s", TRACK, TRACK + 4, TRACK + 8);
    for (char *p = loud; *p; p++) if (*p >= 'a' && *p <= 'f') *p = (char)(*p - 32);
    snprintf(path, sizeof path, "/api/v1/public/track/%s?code=%s", CASE_NO, loud);
    call(&S, &R, "GET", path, NULL, NULL);
    want(200, "grouped code");
    /* a hotline case: tracked, but nothing of what its requester said */
    call(&S, &R, "POST", "/api/v1/cases", "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"张三家门口路灯不亮\","
                                          "\"description\":\"张三 13700000000 反映\",\"requester_phone\":\"13700000000\"}", OP.h);
    want(201, "intake");
    v = J();
    char no[32], code[16];
    snprintf(no, sizeof no, "%s", S_(v, "case_no"));
    snprintf(code, sizeof code, "%s", S_(v, "track_code"));
    json_decref(v);
    snprintf(path, sizeof path, "/api/v1/public/track/%s?code=%s", no, code);
    call(&S, &R, "GET", path, NULL, NULL);
    want(200, "hotline track");
    assert_null(strstr(R.body, "张三"));
    assert_null(strstr(R.body, "137"));
    assert_non_null(strstr(R.body, "\"received\""));
    /* wrong codes and unknown numbers: 404 alike, counted; then even the right one waits */
    for (int i = 0; i < 10; i++) {
        snprintf(path, sizeof path, "/api/v1/public/track/%s?code=%012d", i % 2 ? CASE_NO : "MZ20990101-0001", i);
        call(&S, &R, "GET", path, NULL, NULL);
        want(404, "wrong code");
    }
    snprintf(path, sizeof path, "/api/v1/public/track/%s?code=%s", CASE_NO, TRACK);
    call(&S, &R, "GET", path, NULL, NULL);
    want(429, "throttled");
    assert_non_null(strstr(R.headers, "Retry-After:"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(points_kept_by_an_administrator),
        cmocka_unit_test(evaluations_and_the_case_they_make),
        cmocka_unit_test(bad_input_changes_nothing),
        cmocka_unit_test(one_address_has_a_ceiling),
        cmocka_unit_test(tracked_with_the_check_code),
    };
    return run_http_suite(tests, setup, teardown);
}
