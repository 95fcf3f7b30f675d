/* The 知识库 through the API on each driver: who keeps which entries, the
 * search as an operator types (short and long words, several words, ASCII
 * without case), expired entries not offered, a direct answer from an entry
 * (counted, recorded, then visited), and bad requests that change nothing. */
#include "test.h"

#include <stdbool.h>

#include "tests/http/demo_suite.h"

static session OP, DISP, CLERK, OTHER, LEADER;

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "kb", "5");
    demo_login(&S, &OP, "operator");
    demo_login(&S, &DISP, "dispatcher");
    demo_login(&S, &CLERK, "cgj.clerk");
    demo_login(&S, &OTHER, "heyang.clerk");
    demo_login(&S, &LEADER, "leader");
    return 0;
}

/* A new entry by who; its id. */
static int64_t put(session *who, const char *body, long status) {
    call(&S, &R, "POST", "/api/v1/kb", body, who->h);
    want(status, body);
    if (status != 201) return 0;
    json_t *v = J();
    int64_t id = I_(v, "id");
    json_decref(v);
    return id;
}

static int64_t A, B, C, OLD;

/* The ids a search finds, in order, as "1,5,3": of the entries this test
 * made (the demo has its own before them) */
static void search(session *who, const char *query, char *out, size_t n) {
    char path[512];
    snprintf(path, sizeof path, "/api/v1/kb?%s", query);
    call(&S, &R, "GET", path, NULL, who->h);
    want(200, path);
    json_t *v = J(), *e;
    size_t i;
    out[0] = '\0';
    json_array_foreach(json_object_get(v, "entries"), i, e) {
        if (I_(e, "id") < A) continue;
        snprintf(out + strlen(out), n - strlen(out), "%s%lld", out[0] ? "," : "", (long long)I_(e, "id"));
    }
    json_decref(v);
}

static void keepers(void **st) {
    (void)st;
    json_t *v;
    A = put(&OP, "{\"question\":\"社保卡丢失怎么补办\",\"answer\":\"携带身份证到市民之家社保窗口办理挂失补办，"
                 "当场出卡\",\"policy\":\"《社会保障卡管理办法》\",\"category\":\"ld.social\",\"unit\":\"rsj\","
                 "\"valid_until\":\"2099-12-31\"}", 201);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/kb/%lld", (long long)A);
    call(&S, &R, "GET", path, NULL, LEADER.h); /* everyone who reads cases reads it */
    want(200, "leader reads");
    v = J();
    assert_str(S_(v, "question"), "社保卡丢失怎么补办");
    assert_str(S_(json_object_get(v, "unit"), "code"), "rsj");
    assert_str(S_(json_object_get(v, "category"), "code"), "ld.social");
    assert_str(S_(v, "valid_until"), "2099-12-31");
    assert_true(json_is_true(json_object_get(v, "valid")));
    assert_int_equal(I_(v, "uses"), 0);
    assert_str(S_(v, "updated_by"), "operator");
    json_decref(v);
    /* a clerk's entry is its unit's, given or not */
    B = put(&CLERK, "{\"question\":\"路灯不亮找谁\",\"answer\":\"城管局路灯所负责，报修后3日内修复\"}", 201);
    snprintf(path, sizeof path, "/api/v1/kb/%lld", (long long)B);
    call(&S, &R, "GET", path, NULL, CLERK.h);
    v = J();
    assert_str(S_(json_object_get(v, "unit"), "code"), "cgj");
    json_decref(v);
    C = put(&DISP, "{\"question\":\"医保APP怎么办理异地备案\",\"answer\":\"在国家医保服务平台APP备案，当场生效\","
                   "\"unit\":\"ybj\"}", 201);
    OLD = put(&OP, "{\"question\":\"社保缴费基数2019年度标准\",\"answer\":\"按旧标准执行\",\"valid_until\":\"2020-06-30\"}", 201);
    /* a clerk keeps only its own unit's; a leader keeps none */
    put(&CLERK, "{\"question\":\"路灯\",\"answer\":\"找河阳街道\",\"unit\":\"heyangjd\"}", 403);
    snprintf(path, sizeof path, "/api/v1/kb/%lld", (long long)A);
    call(&S, &R, "PUT", path, "{\"question\":\"社保卡\",\"answer\":\"改掉\"}", CLERK.h);
    want(403, "clerk edits another's");
    snprintf(path, sizeof path, "/api/v1/kb/%lld", (long long)B);
    call(&S, &R, "DELETE", path, NULL, OTHER.h);
    want(403, "other unit deletes");
    put(&LEADER, "{\"question\":\"问\",\"answer\":\"答\"}", 403);
    /* a clerk may not give its entry away either */
    call(&S, &R, "PUT", path, "{\"question\":\"路灯不亮找谁\",\"answer\":\"x\",\"unit\":\"rsj\"}",
         CLERK.h);
    want(403, "clerk moves its entry");
    call(&S, &R, "PUT", path,
         "{\"question\":\"路灯不亮找谁报修\",\"answer\":\"城管局路灯所负责，报修后3日内修复\"}", CLERK.h);
    want(200, "clerk edits its own");
    v = J();
    assert_str(S_(v, "question"), "路灯不亮找谁报修");
    assert_str(S_(json_object_get(v, "unit"), "code"), "cgj");
    json_decref(v);
}

static void search_as_typed(void **st) {
    (void)st;
    char got[256], exp[256];
    search(&OP, "q=%E7%A4%BE%E4%BF%9D", got, sizeof got); /* 社保: 2 characters */
    snprintf(exp, sizeof exp, "%lld", (long long)A);        /* the expired one is not offered */
    assert_str(got, exp);
    search(&OP, "q=%E7%A4%BE%E4%BF%9D%E5%8D%A1%20%E8%A1%A5%E5%8A%9E", got, sizeof got); /* 社保卡 补办 */
    assert_str(got, exp);
    search(&OP, "q=%E8%A1%A5%E5%8A%9E%E7%A4%BE%E4%BF%9D", got, sizeof got); /* 补办社保: not a substring */
    assert_str(got, "");
    search(&OP, "q=%E4%BF%9D%E9%9A%9C%E5%8D%A1%E7%AE%A1%E7%90%86", got, sizeof got); /* 保障卡管理: the policy */
    assert_str(got, exp);
    search(&OP, "q=app", got, sizeof got); /* ASCII without case */
    snprintf(exp, sizeof exp, "%lld", (long long)C);
    assert_str(got, exp);
    search(&OP, "q=%E5%BD%93%E5%9C%BA%E7%94%9F%E6%95%88", got, sizeof got); /* 当场生效: in an answer */
    assert_str(got, exp);
    search(&CLERK, "unit=cgj", got, sizeof got);
    snprintf(exp, sizeof exp, "%lld", (long long)B);
    assert_str(got, exp);
    /* those who keep entries may ask for the expired ones, marked */
    search(&OP, "q=%E7%A4%BE%E4%BF%9D&expired=true", got, sizeof got);
    snprintf(exp, sizeof exp, "%lld,%lld", (long long)OLD, (long long)A);
    assert_str(got, exp);
    call(&S, &R, "GET", "/api/v1/kb?expired=true", NULL, LEADER.h);
    want(403, "leader asks for expired");
}

static int64_t new_question(void) {
    call(&S, &R, "POST", "/api/v1/cases",
         "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"社保卡丢了\",\"appeal_type\":\"consult\","
         "\"requester_name\":\"钱七\",\"requester_phone\":\"13700007777\"}", OP.h);
    want(201, "intake");
    json_t *v = J();
    int64_t id = I_(v, "id");
    json_decref(v);
    return id;
}

static void act(session *who, int64_t id, const char *action, const char *body, long status) {
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/%s", (long long)id, action);
    call(&S, &R, "POST", path, body, who->h);
    want(status, action);
}

static void answered_from_an_entry_and_visited(void **st) {
    (void)st;
    char body[64], path[64];
    int64_t id = new_question();
    snprintf(body, sizeof body, "{\"kb\":%lld}", (long long)OLD);
    act(&OP, id, "answer", body, 409); /* expired: not to be given */
    json_t *v = J();
    assert_str(S_(json_object_get(v, "error"), "field"), "kb");
    assert_non_null(strstr(S_(json_object_get(v, "error"), "message"), "expired on 2020-06-30"));
    json_decref(v);
    act(&OP, id, "answer", "{\"kb\":999999}", 422);
    act(&OP, id, "answer", "{\"kb\":0}", 422);
    act(&OP, id, "answer", "{\"kb\":\"1\"}", 422);
    snprintf(body, sizeof body, "{\"kb\":%lld,\"unit\":\"rsj\"}", (long long)A);
    act(&DISP, id, "dispatch", body, 422); /* kb is the answer's alone */
    snprintf(path, sizeof path, "/api/v1/kb/%lld", (long long)A);
    call(&S, &R, "GET", path, NULL, OP.h);
    v = J();
    assert_int_equal(I_(v, "uses"), 0); /* none of that counted */
    json_decref(v);
    /* the answer is the entry's, as it stands, unless the operator words it */
    snprintf(body, sizeof body, "{\"kb\":%lld}", (long long)A);
    act(&OP, id, "answer", body, 200);
    v = J();
    assert_str(S_(v, "status"), "resolved");
    assert_non_null(strstr(S_(v, "result"), "市民之家社保窗口"));
    json_decref(v);
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)id);
    call(&S, &R, "GET", path, NULL, DISP.h);
    v = J();
    json_t *ev = json_array_get(json_object_get(v, "events"), 1);
    assert_str(S_(ev, "action"), "answer");
    assert_int_equal(I_(json_object_get(ev, "payload"), "kb"), A);
    json_decref(v);
    act(&DISP, id, "visit", "{\"satisfaction\":\"satisfied\",\"solved\":true}", 200);
    act(&DISP, id, "close", NULL, 200);
    int64_t id2 = new_question();
    snprintf(body, sizeof body, "{\"kb\":%lld,\"note\":\"补办社保卡：带身份证到市民之家\"}", (long long)A);
    act(&OP, id2, "answer", body, 200);
    v = J();
    assert_str(S_(v, "result"), "补办社保卡：带身份证到市民之家");
    json_decref(v);
    snprintf(path, sizeof path, "/api/v1/kb/%lld", (long long)A);
    call(&S, &R, "GET", path, NULL, OP.h);
    v = J();
    assert_int_equal(I_(v, "uses"), 2);
    json_decref(v);
    /* the most used first */
    char got[128], exp[128];
    search(&OP, "q=%E5%8A%9E", got, sizeof got); /* 办 */
    snprintf(exp, sizeof exp, "%lld,%lld", (long long)A, (long long)C);
    assert_str(got, exp);
    /* a deleted entry can no longer be given; the answers made with it stay */
    call(&S, &R, "DELETE", path, NULL, OP.h);
    want(200, "delete");
    act(&OP, new_question(), "answer", body, 422);
}

static void bad_requests_change_nothing(void **st) {
    (void)st;
    static const struct { const char *method, *path, *body; long status; const char *field; } bad[] = {
        {"POST", "/api/v1/kb", "{\"answer\":\"答\"}", 422, "question"},
        {"POST", "/api/v1/kb", "{\"question\":\"问\",\"answer\":\"\\u3000 \"}", 422, "answer"},
        {"POST", "/api/v1/kb", "{\"question\":\"问\",\"answer\":\"答\",\"color\":\"red\"}", 422, "color"},
        {"POST", "/api/v1/kb", "{\"question\":\"问\",\"answer\":7}", 422, "answer"},
        {"POST", "/api/v1/kb", "{\"question\":\"问\",\"answer\":\"答\",\"valid_until\":\"2026-13-01\"}", 422, "valid_until"},
        {"POST", "/api/v1/kb", "{\"question\":\"问\",\"answer\":\"答\",\"unit\":\"nosuch\"}", 422, "unit"},
        {"POST", "/api/v1/kb", "{\"question\":\"问\",\"answer\":\"答\",\"category\":\"nosuch\"}", 422, "category"},
        {"POST", "/api/v1/kb", "{\"question\":", 400, NULL},
        {"PUT", "/api/v1/kb/99999", "{\"question\":\"问\",\"answer\":\"答\"}", 404, "id"},
        {"GET", "/api/v1/kb/abc", NULL, 400, "id"},
        {"GET", "/api/v1/kb/99999", NULL, 404, "id"},
        {"DELETE", "/api/v1/kb/99999", NULL, 404, "id"},
        {"GET", "/api/v1/kb?limit=0", NULL, 400, "limit"},
        {"GET", "/api/v1/kb?expired=yes", NULL, 400, "expired"},
        {"GET", "/api/v1/kb?unit=nosuch", NULL, 400, "unit"},
    };
    char before[256], after[256];
    search(&OP, "expired=true&limit=100", before, sizeof before);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        call(&S, &R, bad[i].method, bad[i].path, bad[i].body, OP.h);
        if (R.status != bad[i].status)
            fail_msg("%s %s %s: %ld %s", bad[i].method, bad[i].path, bad[i].body ? bad[i].body : "",
                     R.status, R.body);
        json_t *v = J();
        const char *f = S_(json_object_get(v, "error"), "field");
        if (bad[i].field && (!f || strcmp(f, bad[i].field)))
            fail_msg("%s %s: field %s, want %s", bad[i].method, bad[i].path, f ? f : "-", bad[i].field);
        json_decref(v);
    }
    /* a search word longer than a question could hold */
    char path[256] = "/api/v1/kb?q=";
    for (int i = 0; i < 100; i++) strcat(path, "x");
    call(&S, &R, "GET", path, NULL, OP.h);
    want(400, "long word");
    search(&OP, "expired=true&limit=100", after, sizeof after);
    assert_str(after, before);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keepers),
        cmocka_unit_test(search_as_typed),
        cmocka_unit_test(answered_from_an_entry_and_visited),
        cmocka_unit_test(bad_requests_change_nothing),
    };
    return run_http_suite(tests, setup, teardown);
}
