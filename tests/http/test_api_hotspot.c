/* 未诉先办 through the API on each driver: cases made for a pair — a burst
 * out of nowhere, a steady pair, and a pair well above its steady level —
 * are judged by the stated rule (the answer repeats it); the rule is
 * configuration; a hot spot is made into a 领导交办 case in one action,
 * dispatched to the category's usual unit, once a week; bad requests
 * change nothing. */
#include "test.h"

#include <stdbool.h>

#include "tests/http/demo_suite.h"
#include "util/datetime.h"

static session DISP, LEADER, CLERK, ADMIN;

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "hotspot", "20");
    demo_login(&S, &DISP, "dispatcher");
    demo_login(&S, &LEADER, "leader");
    demo_login(&S, &CLERK, "cgj.clerk");
    demo_login(&S, &ADMIN, "admin");
    return 0;
}

/* n cases of category in township, received `days` days ago. */
static void calls(const char *category, const char *township, int days, int n) {
    char body[512], at[40];
    dt_format_instant(time(NULL) - (int64_t)days * 86400 - 3600, 8 * 3600, at);
    for (int i = 0; i < n; i++) {
        snprintf(body, sizeof body,
                 "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"来电反映问题%d\","
                 "\"category\":\"%s\",\"township\":\"%s\",\"received_at\":\"%s\"}",
                 i, category, township, at);
        call(&S, &R, "POST", "/api/v1/cases", body, DISP.h);
        want(201, body);
    }
}

/* The hot spot of category in place in the list, or NULL. */
static json_t *find(json_t *v, const char *category, const char *place) {
    json_t *h;
    size_t i;
    json_array_foreach(json_object_get(v, "hotspots"), i, h)
        if (!strcmp(S_(json_object_get(h, "category"), "code"), category) &&
            !strcmp(S_(json_object_get(h, "place"), "code"), place))
            return h;
    return NULL;
}

static json_t *spots(const char *by) {
    char path[64];
    snprintf(path, sizeof path, "/api/v1/hotspots?by=%s", by);
    call(&S, &R, "GET", path, NULL, LEADER.h);
    want(200, path);
    return J();
}

static void the_rule_finds_what_stands_out(void **st) {
    (void)st;
    calls("cj.light", "huagongzhen", 1, 7);            /* out of nowhere */
    for (int w = 1; w <= 8; w++) calls("hb.noise", "dadingjd", 7 * w + 1, 4); /* steady: 4 a week */
    calls("hb.noise", "dadingjd", 2, 5);               /* its usual level */
    for (int w = 1; w <= 8; w++) calls("ny.env", "gudanzhen", 7 * w + 1, 2);
    calls("ny.env", "gudanzhen", 3, 9);                /* well above 2 a week */
    json_t *v = spots("township");
    json_t *rule = json_object_get(v, "rule");
    assert_int_equal(I_(rule, "weeks"), 8);
    assert_int_equal(I_(rule, "min_count"), 5);
    json_t *h = find(v, "cj.light", "huagongzhen");
    assert_non_null(h);
    assert_int_equal(I_(h, "count"), 7);
    json_t *weeks = json_object_get(h, "weeks");
    assert_int_equal(json_array_size(weeks), 9);
    assert_int_equal(json_integer_value(json_array_get(weeks, 8)), 7); /* newest last */
    assert_null(find(v, "hb.noise", "dadingjd"));
    h = find(v, "ny.env", "gudanzhen");
    assert_non_null(h);
    assert_true(json_real_value(json_object_get(h, "baseline")) == 2.0);
    assert_true(json_real_value(json_object_get(h, "p")) < 0.01);
    json_decref(v);
    /* by the unit that leads them: none dispatched yet, none hot */
    v = spots("unit");
    assert_int_equal(json_array_size(json_object_get(v, "hotspots")), 0);
    json_decref(v);
    /* a stricter rule: 8 at least */
    call(&S, &R, "PUT", "/api/v1/config/hotspot_rule", "{\"value\":\"8/0.01\"}", ADMIN.h);
    want(200, "rule");
    v = spots("township");
    assert_null(find(v, "cj.light", "huagongzhen"));
    assert_non_null(find(v, "ny.env", "gudanzhen"));
    json_decref(v);
    call(&S, &R, "PUT", "/api/v1/config/hotspot_rule", "{\"value\":\"8/2\"}", ADMIN.h);
    want(422, "a probability over 1");
    call(&S, &R, "PUT", "/api/v1/config/hotspot_rule", "{\"value\":\"5/0.01\"}", ADMIN.h);
    want(200, "back");
}

static void made_into_a_case_once(void **st) {
    (void)st;
    const char *body = "{\"category\":\"cj.light\",\"township\":\"huagongzhen\"}";
    call(&S, &R, "POST", "/api/v1/hotspots/task", body, LEADER.h);
    want(403, "a leader reads, the 督查室 acts");
    call(&S, &R, "POST", "/api/v1/hotspots/task", body, DISP.h);
    want(201, "task");
    json_t *c = J();
    assert_str(S_(c, "channel"), "leader_task");
    assert_str(S_(c, "status"), "dispatched");
    assert_str(S_(json_object_get(c, "lead_unit"), "code"), "cgj"); /* 路灯照明's usual unit */
    assert_str(S_(json_object_get(c, "township"), "code"), "huagongzhen");
    assert_non_null(strstr(S_(c, "title"), "化工镇路灯照明近7天7件"));
    char no[40];
    snprintf(no, sizeof no, "%s", S_(c, "case_no"));
    json_decref(c);
    call(&S, &R, "POST", "/api/v1/hotspots/task", body, DISP.h);
    want(409, "twice in a week");
    assert_non_null(strstr(R.body, no));
    json_t *v = spots("township"); /* the list names the case made */
    assert_str(S_(json_object_get(find(v, "cj.light", "huagongzhen"), "task"), "case_no"), no);
    assert_true(json_is_null(json_object_get(find(v, "ny.env", "gudanzhen"), "task")));
    json_decref(v);
    /* the clerk of 城管局 has it */
    call(&S, &R, "GET", "/api/v1/cases?status=dispatched&channel=leader_task", NULL, CLERK.h);
    assert_non_null(strstr(R.body, no));
    call(&S, &R, "POST", "/api/v1/hotspots/task", "{\"category\":\"hb.noise\",\"township\":\"dadingjd\"}", DISP.h);
    want(409, "not hot");
    call(&S, &R, "POST", "/api/v1/hotspots/task", "{\"category\":\"cj.light\"}", DISP.h);
    want(422, "no place");
    call(&S, &R, "POST", "/api/v1/hotspots/task",
         "{\"category\":\"cj.light\",\"township\":\"huagongzhen\",\"unit\":\"cgj\"}", DISP.h);
    want(422, "both places");
    call(&S, &R, "POST", "/api/v1/hotspots/task", "{\"category\":\"nope\",\"township\":\"huagongzhen\"}", DISP.h);
    want(422, "unknown category");
    expect_refused(&S, &R, "/api/v1/hotspots", "?by=street", LEADER.h, 400, "by");
    call(&S, &R, "GET", "/api/v1/hotspots", NULL, CLERK.h);
    want(403, "a clerk");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_rule_finds_what_stands_out),
        cmocka_unit_test(made_into_a_case_once),
    };
    return run_http_suite(tests, setup, teardown);
}
