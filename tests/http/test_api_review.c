/* 申诉复核 through the API on each driver. A unit contests an unsatisfied
 * 回访 of its case (a case event) and a 差评 at its service point; the 督查室
 * upholds or rejects; an upheld one leaves the figures (/stats, the 12345
 * centre's, /evaluations/stats) and the 通报 says how many; every refusal
 * (another unit's, a satisfied visit, a good rating, twice, the wrong role,
 * no reasons) changes nothing. */
#include "test.h"

#include <stdbool.h>
#include <time.h>

#include "tests/http/demo_suite.h"

static session DISP, CLERK, OTHER, AUDITOR;
/* A visit counts in the period it was made in (docs/rules.md): the month
 * of now (+08:00), when this suite's visits are made. */
static char period[64], month[16];

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "review", "200");
    time_t now = time(NULL) + 8 * 3600;
    struct tm tm;
    gmtime_r(&now, &tm);
    int y = tm.tm_year + 1900, m = tm.tm_mon + 1;
    snprintf(month, sizeof month, "%04d-%02d", y, m);
    snprintf(period, sizeof period, "from=%04d-%02d-01&to=%04d-%02d-01", y, m, m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
    demo_login(&S, &DISP, "dispatcher");
    demo_login(&S, &CLERK, "cgj.clerk");
    demo_login(&S, &OTHER, "heyang.clerk");
    demo_login(&S, &AUDITOR, "auditor");
    return 0;
}

static void post(session *who, const char *path, const char *body, long status) {
    call(&S, &R, "POST", path, body, who->h);
    want(status, path);
}

/* A count of unit cgj's row in /stats for March. */
static json_int_t cgj(const char *key) {
    char path[128];
    snprintf(path, sizeof path, "/api/v1/stats?%s", period);
    call(&S, &R, "GET", path, NULL, DISP.h);
    want(200, "stats");
    json_t *v = J(), *u;
    size_t i;
    json_int_t n = -1;
    json_array_foreach(json_object_get(v, "units"), i, u)
        if (!strcmp(S_(json_object_get(u, "unit"), "code"), "cgj")) n = I_(u, key);
    json_decref(v);
    return n;
}

static json_int_t bulletin_excluded(const char *key, const char *in_month) {
    char path[64];
    snprintf(path, sizeof path, "/api/v1/bulletin?month=%s%s", in_month, at_now()); /* as of now */
    call(&S, &R, "GET", path, NULL, DISP.h);
    want(200, "bulletin");
    json_t *v = J();
    json_int_t n = I_(json_object_get(v, "excluded"), key);
    json_decref(v);
    return n;
}

static void a_visit_contested_and_upheld(void **st) {
    (void)st;
    call(&S, &R, "GET", "/api/v1/cases?status=accepted&unit=cgj&lead=true&limit=1", NULL, DISP.h);
    want(200, "a case in hand");
    json_t *v = J();
    json_t *c = json_array_get(json_object_get(v, "cases"), 0);
    json_int_t id = c ? I_(c, "id") : 0;
    json_decref(v);
    if (!id) fail_msg("the demo has no case of cgj in hand");
    char path[128], rev[128];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/resolve", (long long)id);
    post(&CLERK, path, "{\"note\":\"已到现场清理完毕并拍照留存\"}", 200);
    snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/visit", (long long)id);
    post(&DISP, path, "{\"satisfaction\":\"unsatisfied\",\"solved\":false}", 200);
    json_int_t visited = cgj("visited"), satisfied = cgj("satisfied");
    snprintf(rev, sizeof rev, "/api/v1/cases/%lld/actions/request_review", (long long)id);
    post(&CLERK, rev, "{}", 422); /* no reasons */
    post(&OTHER, rev, "{\"note\":\"不是我们的\"}", 404); /* another unit's case */
    post(&DISP, rev, "{\"note\":\"x\"}", 403);          /* the unit's to ask */
    post(&CLERK, rev, "{\"note\":\"诉求人对政策不满，非办理问题，已提供现场照片\"}", 200);
    post(&CLERK, rev, "{\"note\":\"再次申诉\"}", 409); /* once per visit */
    call(&S, &R, "GET", "/api/v1/cases?review=pending", NULL, DISP.h);
    want(200, "the queue");
    snprintf(path, sizeof path, "\"id\":%lld,", (long long)id);
    assert_non_null(strstr(R.body, path));
    assert_int_equal(cgj("visited"), visited); /* nothing changes until decided */
    char up[128];
    snprintf(up, sizeof up, "/api/v1/cases/%lld/actions/uphold_review", (long long)id);
    post(&CLERK, up, "{\"note\":\"自己批准\"}", 403);
    json_int_t before = bulletin_excluded("visits", month);
    post(&DISP, up, "{\"note\":\"经核实，诉求人不满的是政策规定\"}", 200);
    v = J();
    assert_str(S_(json_object_get(v, "review"), "state"), "upheld");
    json_decref(v);
    assert_int_equal(cgj("visited"), visited - 1);
    assert_int_equal(cgj("satisfied"), satisfied);
    assert_int_equal(cgj("excluded"), 1);
    assert_int_equal(bulletin_excluded("visits", month), before + 1);
    snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/reject_review", (long long)id);
    post(&DISP, path, "{\"note\":\"改判\"}", 409); /* decided */
    /* the three events are the case's, in its chain */
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)id);
    call(&S, &R, "GET", path, NULL, DISP.h);
    assert_non_null(strstr(R.body, "\"request_review\""));
    assert_non_null(strstr(R.body, "\"uphold_review\""));
    /* a satisfied visit is not contested */
    call(&S, &R, "GET", "/api/v1/cases?status=visited&unit=cgj&lead=true&limit=50", NULL, DISP.h);
    v = J();
    size_t i;
    json_array_foreach(json_object_get(v, "cases"), i, c) {
        if (strcmp(S_(c, "satisfaction"), "satisfied")) continue;
        snprintf(rev, sizeof rev, "/api/v1/cases/%lld/actions/request_review", (long long)I_(c, "id"));
        post(&CLERK, rev, "{\"note\":\"满意也申诉\"}", 409);
        break;
    }
    json_decref(v);
}

/* The point's figures for all time: {total, bad, excluded} of cgj's point. */
static void qr_figures(json_int_t out[3]) {
    call(&S, &R, "GET", "/api/v1/evaluations/stats?from=2020-01-01&to=2100-01-01", NULL, DISP.h);
    want(200, "stats");
    json_t *v = J(), *u;
    size_t i;
    json_array_foreach(json_object_get(v, "units"), i, u)
        if (!strcmp(S_(json_object_get(u, "unit"), "code"), "cgj")) {
            out[0] = I_(u, "total");
            out[1] = I_(u, "bad");
            out[2] = I_(u, "excluded");
        }
    json_decref(v);
}

static void a_bad_rating_contested(void **st) {
    (void)st;
    call(&S, &R, "GET", "/api/v1/evaluations?bad=true&limit=5", NULL, CLERK.h);
    want(200, "the unit's 差评");
    json_t *v = J(), *ev;
    json_t *list = json_object_get(v, "evaluations");
    if (!json_array_size(list)) fail_msg("the demo has no 差评 at cgj's point");
    size_t i;
    json_array_foreach(list, i, ev) assert_str(S_(json_object_get(ev, "unit"), "code"), "cgj");
    json_int_t id = I_(json_array_get(list, 0), "id");
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/evaluations?limit=200", NULL, CLERK.h);
    v = J();
    json_int_t good = 0;
    json_array_foreach(json_object_get(v, "evaluations"), i, ev)
        if (!strcmp(S_(ev, "level"), "very_satisfied")) good = I_(ev, "id");
    json_decref(v);
    char path[128], dec[128];
    json_int_t f0[3] = {0}, f1[3] = {0};
    qr_figures(f0);
    snprintf(path, sizeof path, "/api/v1/evaluations/%lld/review", (long long)id);
    post(&CLERK, path, "{\"reason\":\"  \"}", 422);
    post(&CLERK, path, "{\"reason\":\"x\",\"extra\":1}", 422);
    post(&OTHER, path, "{\"reason\":\"不是我们的\"}", 404);
    post(&DISP, path, "{\"reason\":\"x\"}", 403);
    if (good) {
        char g[128];
        snprintf(g, sizeof g, "/api/v1/evaluations/%lld/review", (long long)good);
        post(&CLERK, g, "{\"reason\":\"好评也申诉\"}", 409);
    }
    post(&CLERK, path, "{\"reason\":\"评价人当天未到窗口办理，系误评\"}", 200);
    post(&CLERK, path, "{\"reason\":\"again\"}", 409);
    call(&S, &R, "GET", "/api/v1/evaluations?review=pending", NULL, DISP.h);
    want(200, "pending");
    v = J();
    assert_int_equal(I_(json_array_get(json_object_get(v, "evaluations"), 0), "id"), id);
    assert_str(S_(json_object_get(json_array_get(json_object_get(v, "evaluations"), 0), "review"), "reason"),
               "评价人当天未到窗口办理，系误评");
    json_decref(v);
    snprintf(dec, sizeof dec, "/api/v1/evaluations/%lld/decision", (long long)id);
    post(&DISP, dec, "{\"decision\":\"maybe\",\"note\":\"x\"}", 422);
    post(&DISP, dec, "{\"decision\":\"upheld\"}", 422);
    post(&CLERK, dec, "{\"decision\":\"upheld\",\"note\":\"x\"}", 403);
    qr_figures(f1);
    assert_memory_equal(f0, f1, sizeof f0); /* nothing yet */
    json_int_t before = bulletin_excluded("evaluations", "2026-03");
    post(&DISP, dec, "{\"decision\":\"upheld\",\"note\":\"调取监控核实，当日无此人办件\"}", 200);
    post(&DISP, dec, "{\"decision\":\"rejected\",\"note\":\"x\"}", 409);
    qr_figures(f1);
    assert_int_equal(f1[0], f0[0] - 1);
    assert_int_equal(f1[1], f0[1] - 1);
    assert_int_equal(f1[2], f0[2] + 1);
    /* the demo's evaluations are all in March: the 通报 counts the one taken out */
    assert_int_equal(bulletin_excluded("evaluations", "2026-03"), before + 1);
    call(&S, &R, "GET", "/api/v1/access-log?limit=50", NULL, AUDITOR.h);
    assert_non_null(strstr(R.body, "\"eval_review\""));
    assert_non_null(strstr(R.body, "\"eval_review_upheld\""));
    post(&DISP, "/api/v1/evaluations/999999/decision", "{\"decision\":\"upheld\",\"note\":\"x\"}", 404);
    expect_refused(&S, &R, "/api/v1/evaluations", "?review=lost", DISP.h, 400, "review");
    expect_refused(&S, &R, "/api/v1/evaluations", "?unit=rsj", CLERK.h, 403, "unit");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_visit_contested_and_upheld),
        cmocka_unit_test(a_bad_rating_contested),
    };
    return run_http_suite(tests, setup, teardown);
}
