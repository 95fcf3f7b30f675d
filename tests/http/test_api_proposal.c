/* 人大代表建议 and 政协提案 through the API on each driver: a deputy's
 * suggestion to two units, 3 months from 交办 and no extension past 6; its
 * written answer needs its class and a B's promised date; 销号 waits for that
 * date, so the case stays on the 清零 ledger as 承诺办理中; an unsatisfied
 * CPPCC answer is answered again within proposal_redo_days; the 通报 counts
 * them per unit, in JSON and on its page. */
#include "test.h"

#include <stdbool.h>

#include "tests/http/demo_suite.h"
#include "util/datetime.h"

static session DISP, CLERK, ADMIN;

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "proposal", "20");
    demo_login(&S, &DISP, "dispatcher");
    demo_login(&S, &CLERK, "cgj.clerk");
    demo_login(&S, &ADMIN, "admin");
    return 0;
}

static json_int_t make(const char *channel, const char *title) {
    char body[256];
    snprintf(body, sizeof body, "{\"channel\":\"%s\",\"class\":\"general\",\"title\":\"%s\"}", channel, title);
    call(&S, &R, "POST", "/api/v1/cases", body, DISP.h);
    want(201, body);
    json_t *v = J();
    json_int_t id = I_(v, "id");
    json_decref(v);
    return id;
}

static void act(session *who, json_int_t id, const char *action, const char *body, long status) {
    char path[128];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/%s", (long long)id, action);
    call(&S, &R, "POST", path, body, who->h);
    want(status, path);
}

static void day_from_now(int days, char out[11]) {
    dt_format_date(dt_local_day(time(NULL), 8 * 3600) + days, out);
}

static void a_b_answer_stays_open_until_its_date(void **st) {
    (void)st;
    json_int_t id = make("deputy", "关于增设城区公共停车位的建议");
    act(&DISP, id, "dispatch", "{\"unit\":\"cgj\",\"assist\":[\"zjj\"]}", 200);
    act(&CLERK, id, "accept", "{}", 200);
    char body[256], day[11];
    day_from_now(200, day);
    snprintf(body, sizeof body, "{\"note\":\"需跨年度建设\",\"until\":\"%s\"}", day);
    act(&CLERK, id, "request_extension", body, 422); /* past 6 months from 交办 */
    assert_non_null(strstr(R.body, "\"until\""));
    act(&CLERK, id, "resolve", "{\"note\":\"已完成选址，正在建设\"}", 422);
    assert_non_null(strstr(R.body, "\"answer\""));
    act(&CLERK, id, "resolve", "{\"note\":\"已完成选址，正在建设\",\"answer\":\"B\"}", 422);
    assert_non_null(strstr(R.body, "\"until\""));
    act(&CLERK, id, "resolve", "{\"note\":\"已完成选址，正在建设\",\"answer\":\"E\"}", 422);
    day_from_now(90, day);
    snprintf(body, sizeof body, "{\"note\":\"已完成选址，正在建设，年内建成\",\"answer\":\"B\",\"until\":\"%s\"}", day);
    act(&CLERK, id, "resolve", body, 200);
    json_t *v = J();
    json_t *answer = json_object_get(v, "answer");
    assert_str(S_(answer, "class"), "B");
    assert_str(S_(answer, "label"), "正在解决");
    assert_str(S_(answer, "promised"), day);
    json_decref(v);
    act(&DISP, id, "visit", "{\"satisfaction\":\"basic\",\"solved\":false}", 200);
    act(&DISP, id, "close", "{\"note\":\"核实\"}", 409);
    assert_non_null(strstr(R.body, day));
    /* on the ledger, as a promise */
    call(&S, &R, "GET", "/api/v1/cases?open=true&unit=cgj&lead=true&channel=deputy&limit=200", NULL, DISP.h);
    want(200, "ledger");
    v = J();
    json_t *c, *mine = NULL;
    size_t i;
    json_array_foreach(json_object_get(v, "cases"), i, c) if (I_(c, "id") == id) mine = c;
    assert_non_null(mine);
    json_t *led = json_object_get(mine, "ledger");
    assert_str(S_(led, "step"), "承诺办理中");
    assert_int_equal(strncmp(S_(led, "promised"), day, 10), 0);
    assert_int_equal(I_(led, "overdue_days"), 0);
    json_decref(v);
    /* a hotline case takes no class */
    json_int_t h = make("hotline", "路灯不亮");
    act(&DISP, h, "dispatch", "{\"unit\":\"cgj\"}", 200);
    act(&CLERK, h, "accept", "{}", 200);
    act(&CLERK, h, "resolve", "{\"note\":\"已修复路灯\",\"answer\":\"A\"}", 422);
    assert_non_null(strstr(R.body, "\"answer\""));
}

/* cgj's 人大建议 and 政协提案 in this month's 通报 as of a moment ("&at=..."). */
static json_t *cgj_proposals(const char *at_q) {
    char month[11], path[128];
    dt_format_date(dt_local_day(time(NULL), 8 * 3600), month);
    month[7] = '\0';
    snprintf(path, sizeof path, "/api/v1/bulletin?month=%s%s", month, at_q);
    call(&S, &R, "GET", path, NULL, DISP.h);
    want(200, path);
    json_t *v = J(), *g, *u, *p = NULL;
    size_t i, j;
    json_array_foreach(json_object_get(v, "groups"), i, g) json_array_foreach(json_object_get(g, "units"), j, u)
        if (!strcmp(S_(json_object_get(u, "unit"), "code"), "cgj")) p = json_deep_copy(json_object_get(u, "proposals"));
    json_decref(v);
    if (!p) fail_msg("no cgj in the 通报");
    return p;
}

static void an_unsatisfied_answer_is_answered_again(void **st) {
    (void)st;
    call(&S, &R, "PUT", "/api/v1/config/proposal_redo_days", "{\"value\":\"20\"}", ADMIN.h);
    want(200, "redo days");
    call(&S, &R, "PUT", "/api/v1/config/proposal_redo_days", "{\"value\":\"0\"}", ADMIN.h);
    want(422, "zero days");
    json_int_t id = make("cppcc", "关于加强老旧小区改造的提案");
    act(&DISP, id, "dispatch", "{\"unit\":\"cgj\"}", 200);
    act(&CLERK, id, "accept", "{}", 200);
    act(&CLERK, id, "resolve", "{\"note\":\"已纳入改造计划并完成\",\"answer\":\"A\"}", 200);
    act(&DISP, id, "visit", "{\"satisfaction\":\"unsatisfied\",\"solved\":false}", 200);
    /* the 通报 as of now, answered A; then the 重办 after it */
    char at[48];
    snprintf(at, sizeof at, "%s", at_now());
    json_t *answered = cgj_proposals(at);
    sleep(1);
    act(&DISP, id, "reopen", "{\"note\":\"委员不满意，重新办理\"}", 200);
    json_t *v = J();
    char day[11];
    day_from_now(20, day);
    assert_int_equal(strncmp(S_(v, "resolve_due"), day, 10), 0); /* to the end of that day */
    assert_true(json_is_null(json_object_get(v, "answer")));
    json_decref(v);
    /* as of that moment it stays answered, A, visited; as of now it is not */
    json_t *then = cgj_proposals(at), *now = cgj_proposals(at_now());
    assert_true(json_equal(then, answered));
    assert_int_equal(I_(now, "answered"), I_(answered, "answered") - 1);
    assert_int_equal(I_(now, "A"), I_(answered, "A") - 1);
    assert_int_equal(I_(now, "cppcc"), I_(answered, "cppcc"));
    json_decref(answered);
    json_decref(then);
    json_decref(now);
}

static void the_bulletin_counts_them(void **st) {
    (void)st;
    char month[11], path[96];
    dt_format_date(dt_local_day(time(NULL), 8 * 3600), month);
    month[7] = '\0';
    snprintf(path, sizeof path, "/api/v1/bulletin?month=%s", month);
    call(&S, &R, "GET", path, NULL, DISP.h);
    want(200, path);
    json_t *v = J(), *g, *u;
    json_t *cgj = NULL;
    size_t i, j;
    json_array_foreach(json_object_get(v, "groups"), i, g) json_array_foreach(json_object_get(g, "units"), j, u)
        if (!strcmp(S_(json_object_get(u, "unit"), "code"), "cgj")) cgj = u;
    assert_non_null(cgj);
    json_t *p = json_object_get(cgj, "proposals");
    assert_true(I_(p, "deputy") >= 1);
    assert_true(I_(p, "cppcc") >= 1);
    assert_true(I_(p, "B") >= 1);
    assert_true(I_(p, "answered") >= 1);
    json_t *total = json_object_get(v, "proposals");
    assert_true(I_(total, "deputy") >= I_(p, "deputy"));
    json_decref(v);
    snprintf(path, sizeof path, "/api/v1/bulletin/print?month=%s", month);
    call(&S, &R, "GET", path, NULL, DISP.h);
    want(200, path);
    assert_non_null(strstr(R.body, "人大代表建议和政协提案办理"));
}

/* The demo holds 004's figures: 122 人大代表建议 and 158 政协提案 answered
 * in 2022, each closed, each marked as demo data in its title. */
static void the_seeds_2022(void **st) {
    (void)st;
    call(&S, &R, "GET", "/api/v1/bulletin?from=2022-01-01&to=2023-01-01", NULL, DISP.h);
    want(200, "2022");
    json_t *v = J(), *p = json_object_get(v, "proposals");
    assert_int_equal(I_(p, "deputy"), 122);
    assert_int_equal(I_(p, "cppcc"), 158);
    assert_int_equal(I_(p, "answered"), 280);
    assert_int_equal(I_(p, "A") + I_(p, "B") + I_(p, "C") + I_(p, "D"), 280);
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/cases?channel=deputy&from=2022-01-01&to=2023-01-01&limit=5", NULL, DISP.h);
    v = J();
    json_t *c = json_array_get(json_object_get(v, "cases"), 0);
    assert_non_null(strstr(S_(c, "title"), "（演示数据）2022年人大代表建议"));
    assert_str(S_(c, "status"), "closed");
    json_decref(v);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_b_answer_stays_open_until_its_date),
        cmocka_unit_test(an_unsatisfied_answer_is_answered_again),
        cmocka_unit_test(the_bulletin_counts_them),
        cmocka_unit_test(the_seeds_2022),
    };
    return run_http_suite(tests, setup, teardown);
}
