/* 码上评 that one person cannot flood (docs/rules.md, "码上评"), through the
 * real server on each driver: an evaluation needs the token its page was
 * given, once; 120 差评 in a moment from one address, and 60 from as many
 * addresses (behind the trusted proxy), are held by the burst rule and move
 * no published figure until the 督查室 releases one (which then counts)
 * or discards it (which never does); a number typed on the public page gets
 * no SMS, and any number at most sms_per_day a day. */
#include "test.h"

#include "tests/cli/run_cli.h"
#include "tests/http/demo_suite.h"

static session ADMIN, DISP, OPER;
static char CODE_A[16], CODE_B[16], CODE_C[16];

static void cli(const char *const *args) {
    const char *argv[16] = {"duban", "--db", dbt};
    int k = 3;
    for (int i = 0; args[i]; i++) argv[k++] = args[i];
    cli_run r;
    run_cli(&r, argv);
    if (r.status) fail_msg("%s: %s", args[0], r.err);
}

static void new_point(const char *name, char code[16]) {
    char body[160];
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"unit\":\"heyangjd\"}", name);
    call(&S, &R, "POST", "/api/v1/service-points", body, ADMIN.h);
    want(201, "point");
    json_t *v = J();
    snprintf(code, 16, "%s", S_(v, "code"));
    json_decref(v);
}

static int setup(void **st) {
    (void)st;
    demo_db(dbt, sizeof dbt, "flood", "20");
    /* messages are collected for a webhook (where they go does not matter here) */
    cli((const char *[]){"config", "set", "webhook_allow_hosts", "127.0.0.1", NULL});
    cli((const char *[]){"config", "set", "webhook_url", "http://127.0.0.1:9/hook", NULL});
    static const char *const extra[] = {"--sweep-interval", "1", "--trusted-proxy", "127.0.0.1", NULL};
    server_start(&S, dbt, extra);
    demo_login(&S, &ADMIN, "admin");
    demo_login(&S, &DISP, "dispatcher");
    demo_login(&S, &OPER, "operator");
    new_point("河阳街道便民服务中心", CODE_A);
    new_point("河阳街道社区服务站", CODE_B);
    new_point("河阳街道综合窗口", CODE_C);
    return 0;
}

/* The published figures of the 码上评 (every point, every unit). */
static char *figures(void) {
    call(&S, &R, "GET", "/api/v1/evaluations/stats?from=2020-01-01&to=2100-01-01", NULL, DISP.h);
    want(200, "stats");
    json_t *v = J();
    json_object_del(v, "at");
    char *s = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(v);
    return s;
}

/* A 差评 with a comment and a phone from device n (and address addr, if given). */
static long bad_rating(const char *code, int n, const char *addr) {
    char cookie[96], xff[64], body[256];
    snprintf(cookie, sizeof cookie, "Cookie: duban_dev=%032x", n);
    snprintf(xff, sizeof xff, "X-Forwarded-For: %s", addr ? addr : "");
    snprintf(body, sizeof body, "{\"level\":\"very_unsatisfied\",\"reasons\":[\"attitude\"],"
             "\"comment\":\"服务差劲第%d次\",\"phone\":\"1390000%04d\"}", n, n);
    const char *h[] = {"Content-Type: application/json", cookie, addr ? xff : NULL, NULL};
    post_evaluation(&S, &R, code, body, h);
    return R.status;
}

static json_int_t held_count(void) {
    call(&S, &R, "GET", "/api/v1/evaluations?hold=held&limit=200", NULL, DISP.h);
    want(200, "held");
    json_t *v = J();
    json_int_t n = (json_int_t)json_array_size(json_object_get(v, "evaluations"));
    json_decref(v);
    return n;
}

static void the_token_is_the_pages_own_and_once(void **st) {
    (void)st;
    char path[128];
    snprintf(path, sizeof path, "/api/v1/public/points/%s/evaluations", CODE_A);
    const char *h[] = {"Content-Type: application/json", "Cookie: duban_dev=000000000000000000000000000000f1", NULL};
    call(&S, &R, "POST", path, "{\"level\":\"satisfied\"}", h);
    want(422, "no token");
    assert_non_null(strstr(R.body, "\"field\":\"token\""));
    /* point C's token on point A */
    snprintf(path, sizeof path, "/api/v1/public/points/%s", CODE_C);
    call(&S, &R, "GET", path, NULL, NULL);
    json_t *p = J();
    char body[400];
    snprintf(body, sizeof body, "{\"level\":\"satisfied\",\"token\":\"%s\"}", S_(p, "token"));
    json_decref(p);
    snprintf(path, sizeof path, "/api/v1/public/points/%s/evaluations", CODE_A);
    call(&S, &R, "POST", path, body, h);
    want(422, "another point's token");
    /* on its own point: once */
    snprintf(path, sizeof path, "/api/v1/public/points/%s/evaluations", CODE_C);
    call(&S, &R, "POST", path, body, h);
    want(201, "the page's token");
    const char *h2[] = {"Content-Type: application/json", "Cookie: duban_dev=000000000000000000000000000000f2", NULL};
    call(&S, &R, "POST", path, body, h2);
    want(409, "the same token again");
    assert_non_null(strstr(R.body, "\"field\":\"token\""));
    /* a token altered in one place */
    body[40] = body[40] == 'a' ? 'b' : 'a';
    call(&S, &R, "POST", path, body, h2);
    want(422, "an altered token");
}

static void a_flood_moves_no_figure(void **st) {
    (void)st;
    char *before = figures();
    int64_t cases = test_db_int(dbt, "SELECT count(*) FROM cases WHERE channel = 'qr'");
    /* 120 from one address, in a moment */
    for (int i = 0; i < 120; i++)
        if (bad_rating(CODE_A, 1000 + i, NULL) != 201) fail_msg("rating %d: %ld %s", i, R.status, R.body);
    assert_int_equal(held_count(), 120);
    char *after = figures();
    assert_string_equal(before, after);
    free(after);
    /* the cases made before the burst was seen: at most the rule's least (20) */
    assert_true(test_db_int(dbt, "SELECT count(*) FROM cases WHERE channel = 'qr'") - cases <= 20);
    /* 60 from 60 addresses (through the trusted proxy), at the other point */
    for (int i = 0; i < 60; i++) {
        char addr[32];
        snprintf(addr, sizeof addr, "10.9.%d.%d", i / 200, i % 200 + 1);
        if (bad_rating(CODE_B, 2000 + i, addr) != 201) fail_msg("rating %d: %ld %s", i, R.status, R.body);
    }
    assert_int_equal(held_count(), 180);
    after = figures();
    assert_string_equal(before, after);
    free(after);
    /* the 督查室 releases one (it counts from now) and discards one (never) */
    call(&S, &R, "GET", "/api/v1/evaluations?hold=held&limit=2", NULL, DISP.h);
    json_t *v = J(), *list = json_object_get(v, "evaluations");
    json_int_t one = I_(json_array_get(list, 0), "id"), two = I_(json_array_get(list, 1), "id");
    assert_str(S_(json_array_get(list, 0), "hold"), "held");
    json_decref(v);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/evaluations/%lld/hold", (long long)two);
    call(&S, &R, "POST", path, "{\"decision\":\"discard\",\"note\":\"同一时段集中刷评\"}", DISP.h);
    want(200, "discard");
    after = figures();
    assert_string_equal(before, after);
    free(after);
    call(&S, &R, "POST", path, "{\"decision\":\"release\",\"note\":\"x\"}", DISP.h);
    want(409, "decided already");
    snprintf(path, sizeof path, "/api/v1/evaluations/%lld/hold", (long long)one);
    call(&S, &R, "POST", path, "{\"decision\":\"keep\",\"note\":\"x\"}", DISP.h);
    want(422, "not a decision");
    call(&S, &R, "POST", path, "{\"decision\":\"release\",\"note\":\"核实为真实评价\"}", OPER.h);
    want(403, "an operator does not decide");
    call(&S, &R, "POST", path, "{\"decision\":\"release\",\"note\":\"核实为真实评价\"}", DISP.h);
    want(200, "release");
    after = figures();
    assert_string_not_equal(before, after); /* one 差评 more, now */
    free(after);
    free(before);
    /* and every chain holds (the holds and decisions are in the evaluations' chain) */
    call(&S, &R, "GET", "/api/v1/audit", NULL, ADMIN.h);
    if (R.status == 200) assert_non_null(strstr(R.body, "\"ok\":true"));
}

/* Messages: none to a number typed on the public page; at most three a day
 * to any number. */
static void no_sms_bomb(void **st) {
    (void)st;
    for (int i = 0; i < 5; i++) {
        char body[256];
        snprintf(body, sizeof body, "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"噪音扰民第%d次\","
                 "\"requester_phone\":\"13700007777\"}", i);
        call(&S, &R, "POST", "/api/v1/cases", body, OPER.h);
        want(201, "intake");
    }
    /* the sweep collects within seconds: wait (bounded) for the hotline's receipts */
    for (int i = 0; i < 100 && test_db_int(dbt, "SELECT count(*) FROM outbox WHERE phone = '13700007777'") < 3; i++)
        usleep(100000);
    usleep(1500000); /* a turn or more after: nothing beyond the limit comes */
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM outbox WHERE phone = '13700007777'"), 3);
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM outbox WHERE phone LIKE '1390000%'"), 0);
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM outbox o JOIN cases c ON c.id = o.case_id"
                                      " WHERE c.channel IN ('qr', 'open311') AND o.phone IS NOT NULL"), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_token_is_the_pages_own_and_once),
        cmocka_unit_test(a_flood_moves_no_figure),
        cmocka_unit_test(no_sms_bomb),
    };
    return run_http_suite_end(cmocka_run_group_tests(tests, setup, teardown));
}
