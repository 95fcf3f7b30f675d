/* 三个一批 and the 三十工程 through the API on each driver: the demo's thirty
 * projects of 2023 with colours that follow the stated rule and totals that
 * add up; a project added, its stage reached, a month's progress with a
 * problem raised as a linked case; imports of projects and of progress, a
 * bad file refused row by row; the weekly bulletin as XLSX and page. */
#include "test.h"

#include <math.h>
#include <stdbool.h>

#include "tests/http/demo_suite.h"
#include "util/datetime.h"

static session DISP, CLERK, OTHER;

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "projects", "20");
    demo_login(&S, &DISP, "dispatcher");
    demo_login(&S, &CLERK, "cgj.clerk");
    demo_login(&S, &OTHER, "heyang.clerk");
    return 0;
}

static double D(json_t *o, const char *k) { return json_number_value(json_object_get(o, k)); }

static json_t *projects(session *who, const char *query) {
    char path[96];
    snprintf(path, sizeof path, "/api/v1/projects%s", query);
    call(&S, &R, "GET", path, NULL, who->h);
    want(200, path);
    return J();
}

static void the_thirty_of_2023(void **st) {
    (void)st;
    json_t *v = projects(&DISP, ""); /* the latest plan year first: the demo's own */
    assert_int_equal(I_(v, "year"), 2026);
    assert_int_equal(json_array_size(json_object_get(v, "projects")), 30);
    json_decref(v);
    v = projects(&DISP, "?year=2023");
    assert_int_equal(I_(v, "year"), 2023);
    assert_true(D(v, "gone") == 1.0);
    json_t *list = json_object_get(v, "projects"), *p;
    assert_int_equal(json_array_size(list), 30);
    double plan = 0, done = 0;
    int colours[4] = {0};
    size_t i;
    json_array_foreach(list, i, p) {
        plan += D(p, "year_plan");
        done += D(p, "done");
        double c = D(p, "done") / D(p, "year_plan");
        long tenths = lround(c * 1000); /* compared to a tenth of a point, as shown */
        const char *want_rag = tenths >= 1000 ? "green" : tenths >= 900 ? "yellow" : "red";
        if (strcmp(S_(p, "rag"), want_rag)) fail_msg("%s: %.4f is %s, want %s", S_(p, "name"), c, S_(p, "rag"), want_rag);
        colours[!strcmp(want_rag, "green") ? 1 : !strcmp(want_rag, "yellow") ? 2 : 3]++;
        assert_true(json_is_true(json_object_get(p, "demo")));
    }
    assert_true(colours[1] && colours[2] && colours[3]); /* the demo shows each colour */
    json_t *total = json_object_get(v, "total");
    assert_true(fabs(D(total, "year_plan") - plan) < 0.01);
    assert_true(fabs(D(total, "done") - done) < 0.01);
    double lv = 0;
    json_array_foreach(json_object_get(v, "by_level"), i, p) lv += D(p, "year_plan");
    assert_true(fabs(lv - plan) < 0.01);
    assert_non_null(strstr(R.body, "孟州市绿色皮革高端制造综合产业园项目"));
    assert_non_null(strstr(R.body, "困难老年人家庭适老化改造项目"));
    json_decref(v);
}

static json_int_t added;

static void a_project_through_the_year(void **st) {
    (void)st;
    call(&S, &R, "POST", "/api/v1/projects",
         "{\"name\":\"城区智慧停车项目\",\"category\":\"基础设施\",\"level\":\"市重点\",\"unit\":\"cgj\","
         "\"leader\":\"王副市长\",\"total\":12000,\"year_plan\":4800,\"year\":\"2026\"}", DISP.h);
    want(201, "add");
    json_t *v = J();
    added = I_(v, "id");
    assert_str(S_(v, "stage"), "planning");
    json_decref(v);
    char path[96], today[11], body[256];
    dt_format_date(dt_local_day(time(NULL), 8 * 3600), today);
    snprintf(path, sizeof path, "/api/v1/projects/%lld/stage", (long long)added);
    snprintf(body, sizeof body, "{\"stage\":\"签约\",\"day\":\"%s\"}", today);
    call(&S, &R, "POST", path, body, DISP.h);
    want(200, "signed");
    v = J();
    assert_str(S_(v, "stage"), "signed");
    assert_str(S_(json_object_get(v, "stage_days"), "signed"), today);
    json_decref(v);
    call(&S, &R, "POST", path, "{\"stage\":\"开工\",\"day\":\"2100-01-01\"}", DISP.h);
    want(422, "ahead of today");
    snprintf(path, sizeof path, "/api/v1/projects/%lld/progress", (long long)added);
    call(&S, &R, "PUT", path, "{\"month\":\"2026-03\",\"completed\":600,\"progress\":\"完成场地平整\","
                              "\"problems\":\"电力接入手续未批\",\"raise\":true}", CLERK.h);
    want(200, "progress");
    v = J();
    assert_true(D(v, "done") == 600);
    assert_int_equal(I_(v, "problems"), 1);
    const char *no = S_(json_object_get(v, "case"), "case_no");
    assert_non_null(no);
    char q[96];
    snprintf(q, sizeof q, "/api/v1/cases?case_no=%s", no);
    call(&S, &R, "GET", q, NULL, CLERK.h);
    assert_non_null(strstr(R.body, "\"leader_task\""));
    assert_non_null(strstr(R.body, "电力接入手续未批"));
    json_decref(v);
    call(&S, &R, "PUT", path, "{\"month\":\"2026-03\",\"completed\":1}", OTHER.h);
    want(404, "another unit's project");
    call(&S, &R, "PUT", path, "{\"month\":\"2026-13\",\"completed\":1}", DISP.h);
    want(422, "no such month");
    call(&S, &R, "PUT", path, "{\"month\":\"2026-04\",\"completed\":-5}", DISP.h);
    want(422, "a negative amount");
    call(&S, &R, "PUT", path, "{\"month\":\"2026-04\",\"completed\":5,\"raise\":true}", DISP.h);
    want(422, "raise without a problem");
    call(&S, &R, "POST", "/api/v1/projects", "{\"name\":\"城区智慧停车项目\",\"category\":\"other\",\"level\":\"city\","
                                             "\"unit\":\"cgj\",\"total\":1,\"year_plan\":1,\"year\":\"2026\"}", DISP.h);
    want(422, "the same name in the year");
    json_t *mine = projects(&CLERK, "?year=2026");
    assert_int_equal(json_array_size(json_object_get(mine, "projects")), 1); /* a clerk: its unit's */
    json_decref(mine);
}

static void import(const char *query, const char *csv, long status) {
    char path[96];
    snprintf(path, sizeof path, "/api/v1/projects/import%s", query);
    const char *h[] = {DISP.cookie, DISP.csrf, "Content-Type: text/csv", NULL};
    call(&S, &R, "POST", path, csv, h);
    want(status, csv);
}

static void imports_and_the_bulletin(void **st) {
    (void)st;
    import("?year=2026", "项目名称,类别,级别,责任单位,分包领导,总投资,年度计划投资\n"
                         "孟州市污水管网项目,基础设施,焦作市重点,市住房和城乡建设局,李副市长,8000,3000\n"
                         "孟州市新能源产业园,工业,省重点,gxj,,50000,20000\n", 200);
    assert_non_null(strstr(R.body, "\"written\":2"));
    import("", "项目名称,月份,完成投资,形象进度\n孟州市污水管网项目,2026-02,700,管网铺设30%\n", 200);
    assert_non_null(strstr(R.body, "\"progress\""));
    json_t *v = projects(&DISP, "?year=2026"), *p;
    size_t i;
    int seen = 0;
    json_array_foreach(json_object_get(v, "projects"), i, p) if (!strcmp(S_(p, "name"), "孟州市污水管网项目")) {
        assert_true(D(p, "done") == 700);
        assert_str(S_(json_object_get(p, "unit"), "code"), "zjj"); /* by the unit's name */
        seen++;
    }
    assert_int_equal(seen, 1);
    json_decref(v);
    import("?year=2026", "项目名称,类别,级别,责任单位,总投资,年度计划投资\n"
                         "好项目,工业,市重点,gxj,100,50\n"
                         "坏项目一,化工,市重点,gxj,100,50\n"
                         "坏项目二,工业,市重点,火星局,100,50\n"
                         "坏项目三,工业,市重点,gxj,一百,50\n", 422);
    v = J();
    json_t *rows = json_object_get(v, "rows");
    assert_int_equal(json_array_size(rows), 3);
    for (size_t k = 0; k < 3; k++) assert_int_equal(I_(json_array_get(rows, k), "row"), (json_int_t)k + 3);
    json_decref(v);
    v = projects(&DISP, "?year=2026");
    json_array_foreach(json_object_get(v, "projects"), i, p) /* nothing written */
        assert_true(strcmp(S_(p, "name"), "好项目") != 0);
    json_decref(v);
    import("", "项目名称,月份,完成投资\n没有的项目,2026-02,1\n", 422);
    call(&S, &R, "GET", "/api/v1/projects/bulletin?year=2023", NULL, DISP.h);
    want(200, "xlsx");
    assert_memory_equal(R.body, "PK\x03\x04", 4);
    call(&S, &R, "GET", "/api/v1/projects/bulletin?year=2023&format=html", NULL, DISP.h);
    want(200, "page");
    int rows_n = 0;
    for (const char *x = R.body; (x = strstr(x, "data-project=")); x++) rows_n++;
    assert_int_equal(rows_n, 30);
    assert_non_null(strstr(R.body, "data-rag=\"red\""));
    call(&S, &R, "GET", "/api/v1/projects/bulletin?format=pdf", NULL, DISP.h);
    want(400, "format");
    /* a clerk's bulletin holds what its list holds: its unit's projects, no one else's */
    json_t *mine = projects(&CLERK, "?year=2026");
    size_t own = json_array_size(json_object_get(mine, "projects"));
    json_decref(mine);
    call(&S, &R, "GET", "/api/v1/projects/bulletin?year=2026&format=html", NULL, CLERK.h);
    want(200, "a clerk's page");
    rows_n = 0;
    for (const char *x = R.body; (x = strstr(x, "data-project=")); x++) rows_n++;
    assert_int_equal((size_t)rows_n, own);
    assert_null(strstr(R.body, "孟州市绿色皮革高端制造综合产业园项目"));

}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_thirty_of_2023),
        cmocka_unit_test(a_project_through_the_year),
        cmocka_unit_test(imports_and_the_bulletin),
    };
    return run_http_suite(tests, setup, teardown);
}
