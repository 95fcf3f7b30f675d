/* 1+10+N's key and phased tasks through the API on each driver: a year-long
 * task with its milestones, each a case with its own day; listed by group
 * and by leader; a problem raised under it on the usual 13710 deadlines;
 * bad tasks and other units refused. */
#include "test.h"

#include <stdbool.h>

#include "tests/http/demo_suite.h"
#include "util/datetime.h"

static session DISP, CLERK, LEADER;

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "tasks", "20");
    demo_login(&S, &DISP, "dispatcher");
    demo_login(&S, &CLERK, "cgj.clerk");
    demo_login(&S, &LEADER, "leader");
    return 0;
}

static void day(int from_now, char out[11]) { dt_format_date(dt_local_day(time(NULL), 8 * 3600) + from_now, out); }

static json_int_t made;

static void create(const char *body, long status) {
    call(&S, &R, "POST", "/api/v1/tasks", body, DISP.h);
    want(status, body);
}

static json_t *list(const char *query) {
    char path[256];
    snprintf(path, sizeof path, "/api/v1/tasks%s", query);
    call(&S, &R, "GET", path, NULL, LEADER.h);
    want(200, path);
    return J();
}

static void a_task_with_milestones(void **st) {
    (void)st;
    char due[11], m1[11], m2[11], m3[11], body[1024];
    day(200, due);
    day(30, m1);
    day(90, m2);
    day(180, m3);
    snprintf(body, sizeof body,
             "{\"title\":\"城区老旧管网改造\",\"kind\":\"key\",\"group\":\"城市建设\",\"leader\":\"陈副市长\","
             "\"unit\":\"cgj\",\"due\":\"%s\",\"milestones\":[{\"title\":\"完成设计\",\"due\":\"%s\"},"
             "{\"title\":\"开工建设\",\"due\":\"%s\"},{\"title\":\"竣工验收\",\"due\":\"%s\"}]}",
             due, m1, m2, m3);
    create(body, 201);
    json_t *v = J();
    made = I_(json_object_get(v, "task"), "id");
    assert_int_equal(I_(v, "milestones"), 3);
    json_decref(v);
    v = list("?group=%E5%9F%8E%E5%B8%82%E5%BB%BA%E8%AE%BE"); /* 城市建设: the demo's task of the year, and this one */
    json_t *tasks = json_object_get(v, "tasks"), *t = NULL, *x;
    size_t k;
    assert_int_equal(json_array_size(tasks), 2);
    json_array_foreach(tasks, k, x) {
        assert_str(S_(x, "group"), "城市建设");
        if (I_(json_object_get(x, "task"), "id") == made) t = x;
    }
    assert_non_null(t);
    assert_str(S_(t, "leader"), "陈副市长");
    json_t *task = json_object_get(t, "task");
    assert_int_equal(strncmp(S_(task, "resolve_due"), due, 10), 0); /* its own day, not 7 days on */
    assert_str(S_(task, "status"), "dispatched");
    json_t *ms = json_object_get(t, "milestones");
    assert_int_equal(json_array_size(ms), 3);
    const char *days[] = {m1, m2, m3};
    for (size_t i = 0; i < 3; i++) {
        json_t *m = json_array_get(ms, i);
        assert_int_equal(strncmp(S_(m, "resolve_due"), days[i], 10), 0);
        assert_str(S_(json_object_get(m, "lead_unit"), "code"), "cgj");
        assert_false(json_is_true(json_object_get(m, "overdue")));
    }
    assert_non_null(strstr(S_(json_array_get(ms, 1), "title"), "开工建设"));
    json_decref(v);
    v = list("?leader=%E9%99%88%E5%89%AF%E5%B8%82%E9%95%BF"); /* 陈副市长 */
    assert_int_equal(json_array_size(json_object_get(v, "tasks")), 1);
    json_decref(v);
    v = list("?group=%E7%81%BE%E5%90%8E%E9%87%8D%E5%BB%BA&leader=%E9%99%88%E5%89%AF%E5%B8%82%E9%95%BF"); /* 灾后重建, his: none */
    assert_int_equal(json_array_size(json_object_get(v, "tasks")), 0);
    json_decref(v);
    /* the clerk of 城管局 has them on its list of cases, each under 13710 */
    call(&S, &R, "GET", "/api/v1/cases?channel=leader_task&status=dispatched&limit=50", NULL, CLERK.h);
    assert_non_null(strstr(R.body, "城区老旧管网改造：竣工验收"));
}

static void a_problem_under_it(void **st) {
    (void)st;
    char path[96];
    snprintf(path, sizeof path, "/api/v1/tasks/%lld/problems", (long long)made);
    call(&S, &R, "POST", path, "{\"title\":\"施工占道影响通行\",\"description\":\"需协调交警\"}", CLERK.h);
    want(201, "problem");
    json_t *p = J();
    assert_str(S_(json_object_get(p, "lead_unit"), "code"), "cgj");
    char week[11];
    day(30, week);
    assert_true(strncmp(S_(p, "resolve_due"), week, 10) < 0); /* the usual deadlines, well before the task's */
    json_decref(p);
    json_t *v = list("");
    json_t *t = NULL, *x;
    size_t i;
    json_array_foreach(json_object_get(v, "tasks"), i, x) if (I_(json_object_get(x, "task"), "id") == made) t = x;
    assert_non_null(t);
    assert_int_equal(json_array_size(json_object_get(t, "problems")), 1);
    json_decref(v);
    session other;
    demo_login(&S, &other, "heyang.clerk");
    call(&S, &R, "POST", path, "{\"title\":\"x\"}", other.h);
    want(404, "another unit's task");
    call(&S, &R, "POST", "/api/v1/tasks/1/problems", "{\"title\":\"x\"}", DISP.h);
    want(404, "a case that is no task");
}

static void bad_tasks(void **st) {
    (void)st;
    char due[11], past[11], late[11], body[512];
    day(100, due);
    day(-1, past);
    day(101, late);
    snprintf(body, sizeof body, "{\"title\":\"t\",\"kind\":\"key\",\"group\":\"随便\",\"unit\":\"cgj\",\"due\":\"%s\"}", due);
    create(body, 422);
    assert_non_null(strstr(R.body, "\"group\""));
    snprintf(body, sizeof body, "{\"title\":\"t\",\"kind\":\"phased\",\"group\":\"秋冬季大气污染防治\",\"unit\":\"sthj\",\"due\":\"%s\"}", due);
    create(body, 201); /* N: any name */
    snprintf(body, sizeof body, "{\"title\":\"t\",\"kind\":\"key\",\"group\":\"城市建设\",\"unit\":\"cgj\",\"due\":\"%s\","
             "\"milestones\":[{\"title\":\"m\",\"due\":\"%s\"}]}", due, late);
    create(body, 422);
    assert_non_null(strstr(R.body, "after the task"));
    snprintf(body, sizeof body, "{\"title\":\"t\",\"kind\":\"key\",\"group\":\"城市建设\",\"unit\":\"cgj\",\"due\":\"%s\","
             "\"milestones\":[{\"title\":\"m\",\"due\":\"%s\"}]}", due, past);
    create(body, 422);
    snprintf(body, sizeof body, "{\"title\":\"t\",\"kind\":\"key\",\"group\":\"城市建设\",\"unit\":\"cgj\",\"due\":\"%s\","
             "\"milestones\":[\"m\"]}", due);
    create(body, 422);
    snprintf(body, sizeof body, "{\"title\":\"t\",\"kind\":\"key\",\"group\":\"城市建设\",\"unit\":\"nope\",\"due\":\"%s\"}", due);
    create(body, 422);
    create("{\"title\":\"t\",\"kind\":\"key\",\"group\":\"城市建设\",\"unit\":\"cgj\",\"due\":\"2020-01-01\"}", 422);
    create("{\"title\":\"t\",\"kind\":\"key\",\"group\":\"城市建设\",\"unit\":\"cgj\",\"due\":\"soon\"}", 422);
    call(&S, &R, "POST", "/api/v1/tasks", "{}", CLERK.h);
    want(403, "a clerk makes no tasks");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_task_with_milestones),
        cmocka_unit_test(a_problem_under_it),
        cmocka_unit_test(bad_tasks),
    };
    return run_http_suite(tests, setup, teardown);
}
