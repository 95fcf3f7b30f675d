/* The case API across roles against the real server: intake, dispatch,
 * handling and closing; who may see and do what; scoping to a unit; masking;
 * and every kind of bad request, which must change nothing. */
#include "test.h"

#include <stdbool.h>
#include <time.h>
#include <unistd.h>

#include "tests/cli/run_cli.h"
#include "tests/http/demo_suite.h"

static session OP, DISP, CLERK, OTHER, LEADER, ADMIN;
#define BOOKKEEPING "sessions,access_log,login_failures"

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "api", "60");
    demo_login(&S, &OP, "operator");
    demo_login(&S, &DISP, "dispatcher");
    demo_login(&S, &CLERK, "cgj.clerk");
    demo_login(&S, &OTHER, "heyang.clerk");
    demo_login(&S, &LEADER, "leader");
    demo_login(&S, &ADMIN, "admin");
    return 0;
}

static int64_t intake(void) {
    call(&S, &R, "POST", "/api/v1/cases",
         "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"韩愈大街路灯不亮\","
         "\"requester_name\":\"张三丰\",\"requester_phone\":\"13812341234\",\"township\":\"heyangjd\"}",
         OP.h);
    if (R.status != 201) fail_msg("intake: %ld %s", R.status, R.body);
    json_t *v = J();
    int64_t id = json_integer_value(json_object_get(v, "id"));
    assert_str(S_(v, "requester_phone"), "13812341234"); /* the operator sees it in full */
    assert_non_null(strstr(R.headers, "Location: /api/v1/cases/"));
    json_decref(v);
    return id;
}

static void act(session *who, int64_t id, const char *action, const char *body, long want) {
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/%s", (long long)id, action);
    call(&S, &R, "POST", path, body, who->h);
    if (R.status != want) fail_msg("%s: %ld (want %ld) %s", action, R.status, want, R.body);
}

static void lifecycle_across_roles(void **st) {
    (void)st;
    int64_t id = intake();
    act(&DISP, id, "dispatch", "{\"unit\":\"cgj\",\"assist\":[\"heyangjd\"]}", 200);
    act(&CLERK, id, "accept", NULL, 200);
    json_t *v = J();
    assert_str(S_(v, "status"), "accepted");
    assert_str(S_(v, "requester_phone"), "138****1234"); /* a unit sees it masked */
    assert_str(S_(v, "requester_name"), "张**");
    json_decref(v);
    act(&CLERK, id, "feedback", "{\"note\":\"已到现场核实\"}", 200);
    act(&CLERK, id, "resolve", "{\"note\":\"已更换灯泡\"}", 200);
    act(&DISP, id, "visit", "{\"satisfaction\":\"satisfied\",\"solved\":true}", 200);
    act(&DISP, id, "close", NULL, 200);
    v = J();
    assert_str(S_(v, "status"), "closed");
    json_decref(v);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)id);
    call(&S, &R, "GET", path, NULL, LEADER.h);
    assert_int_equal(R.status, 200);
    v = J();
    json_t *events = json_object_get(v, "events");
    assert_int_equal(json_array_size(events), 7);
    assert_str(S_(json_array_get(events, 1), "actor"), "dispatcher");
    assert_str(S_(json_array_get(events, 2), "actor"), "cgj.clerk");
    assert_str(S_(v, "requester_phone"), "138****1234"); /* a leader reads, masked */
    json_decref(v);
}

static void who_may_do_what(void **st) {
    (void)st;
    json_t *v;
    int64_t id = intake();
    char path[64];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)id);
    /* the admin runs the system but reads no case content */
    call(&S, &R, "GET", path, NULL, ADMIN.h);
    assert_int_equal(R.status, 403);
    assert_str(error_code(&R, &v), "forbidden");
    json_decref(v);
    /* a handler cannot dispatch, a leader cannot act, an operator cannot close */
    act(&CLERK, id, "dispatch", "{\"unit\":\"cgj\"}", 403);
    act(&LEADER, id, "dispatch", "{\"unit\":\"cgj\"}", 403);
    act(&DISP, id, "dispatch", "{\"unit\":\"cgj\"}", 200);
    act(&OP, id, "close", NULL, 403);
    /* the other unit's clerk: not its case, so it does not exist for it */
    call(&S, &R, "GET", path, NULL, OTHER.h);
    assert_int_equal(R.status, 404);
    json_decref(reply_json(&R));
    act(&OTHER, id, "accept", NULL, 404);
    /* and its lists hold only its unit's cases */
    call(&S, &R, "GET", "/api/v1/cases?limit=200", NULL, OTHER.h);
    assert_int_equal(R.status, 200);
    v = J();
    json_t *c;
    size_t i;
    json_array_foreach(json_object_get(v, "cases"), i, c) {
        bool mine = json_object_get(c, "lead_unit") != json_null() &&
                    strcmp(S_(json_object_get(c, "lead_unit"), "code"), "heyangjd") == 0;
        json_t *a;
        size_t k;
        json_array_foreach(json_object_get(c, "assist_units"), k, a) mine |= strcmp(S_(a, "code"), "heyangjd") == 0;
        if (!mine) fail_msg("heyang.clerk listed case %s", S_(c, "case_no"));
    }
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/cases?unit=cgj", NULL, OTHER.h);
    assert_int_equal(R.status, 403);
    json_decref(reply_json(&R));
}

/* A role duban does not know — a hand-edited row, a newer version's role,
 * an empty one — gives no rights: the session or token it belongs to is
 * refused as a whole (401), never read as some other role. */
static void unknown_roles_are_refused(void **st) {
    (void)st;
    session L;
    demo_login(&S, &L, "leader");
    json_t *v;
    char bearer[128];
    bearer_header(dbt, "roles", "leader", bearer, sizeof bearer);
    const char *const tok[] = {bearer, NULL};
    const char *const bad[] = {"superuser", "", "Leader", "admin "};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "UPDATE users SET role = '%s' WHERE username = 'leader'", bad[i]);
        test_db_exec(dbt, sql);
        snprintf(sql, sizeof sql, "UPDATE api_tokens SET role = '%s' WHERE name = 'roles'", bad[i]);
        test_db_exec(dbt, sql);
        const char *const *who[] = {L.h, tok};
        for (int w = 0; w < 2; w++) {
            call(&S, &R, "GET", "/api/v1/cases?limit=1", NULL, who[w]);
            if (R.status != 401) fail_msg("role '%s': %ld %s", bad[i], R.status, R.body);
            assert_str(error_code(&R, &v), "unauthorized");
            json_decref(v);
        }
        session again;
        assert_int_equal(login(&S, &again, "leader", "mz13710#lea"), 401);
    }
    test_db_exec(dbt, "UPDATE users SET role = 'leader' WHERE username = 'leader'");
    call(&S, &R, "GET", "/api/v1/cases?limit=1", NULL, L.h);
    assert_int_equal(R.status, 200);
}

/* 主办 and 协办 through the API: the assisting unit's clerk sees the case
 * and adds its opinion, and nothing else; the lead does the rest. */
static void lead_and_assisting_units(void **st) {
    (void)st;
    int64_t id = intake();
    char path[64];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)id);
    act(&DISP, id, "dispatch", "{\"unit\":\"cgj\",\"assist\":[\"heyangjd\"]}", 200);
    call(&S, &R, "GET", path, NULL, OTHER.h); /* the assisting unit sees it */
    assert_int_equal(R.status, 200);
    json_t *v;
    act(&OTHER, id, "accept", NULL, 403);
    assert_str(error_code(&R, &v), "forbidden");
    assert_non_null(strstr(R.body, "协办"));
    json_decref(v);
    act(&OTHER, id, "return", "{\"note\":\"不归我们管\"}", 403);
    act(&CLERK, id, "accept", NULL, 200);
    act(&OTHER, id, "feedback", "{\"note\":\"河阳街道已配合排查\"}", 200);
    v = J();
    assert_true(json_is_null(json_object_get(v, "first_feedback_at"))); /* not the lead's report */
    json_decref(v);
    act(&OTHER, id, "request_extension", "{\"note\":\"需要时间\",\"until\":\"2026-12-31\"}", 403);
    act(&OTHER, id, "resolve", "{\"note\":\"已解决\"}", 403);
    call(&S, &R, "GET", path, NULL, DISP.h);
    v = J();
    json_t *events = json_object_get(v, "events"), *last = json_array_get(events, json_array_size(events) - 1);
    assert_str(S_(json_object_get(json_object_get(last, "payload"), "assist_unit"), "code"), "heyangjd");
    assert_str(S_(v, "status"), "accepted");
    json_decref(v);
    act(&CLERK, id, "resolve", "{\"note\":\"已修复路灯\"}", 200);
}

/* The operator's review of recent intakes: two calls about one burst pipe
 * (the same words, different phones) are listed as each other's likely
 * duplicates; once one is merged it is neither a group nor a duplicate;
 * a unit's clerk may not ask; a bad limit is named. */
static int64_t intake_text(const char *title, const char *phone) {
    char body[512];
    snprintf(body, sizeof body,
             "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"%s\","
             "\"requester_phone\":\"%s\",\"township\":\"heyangjd\"}", title, phone);
    call(&S, &R, "POST", "/api/v1/cases", body, OP.h);
    if (R.status != 201) fail_msg("intake: %ld %s", R.status, R.body);
    json_t *v = J();
    int64_t id = json_integer_value(json_object_get(v, "id"));
    json_decref(v);
    return id;
}

/* 1 when the groups list case `of` with `dup` among its similar (dup 0: any) */
static int dup_listed(int64_t of, int64_t dup) {
    call(&S, &R, "GET", "/api/v1/cases/duplicates?limit=50", NULL, OP.h);
    if (R.status != 200) fail_msg("%ld %s", R.status, R.body);
    json_t *v = J(), *g, *c;
    size_t i, k;
    int found = 0;
    json_array_foreach(json_object_get(v, "groups"), i, g) {
        if (json_integer_value(json_object_get(json_object_get(g, "case"), "id")) != of) continue;
        assert_true(json_array_size(json_object_get(g, "similar")) > 0);
        json_array_foreach(json_object_get(g, "similar"), k, c) {
            assert_true(json_integer_value(json_object_get(c, "id")) != of);
            found |= !dup || json_integer_value(json_object_get(c, "id")) == dup;
        }
    }
    json_decref(v);
    return found;
}

static void duplicates_review(void **st) {
    (void)st;
    int64_t first = intake_text("西虢镇东头村自来水管爆裂，路面积水", "13900001111");
    int64_t second = intake_text("西虢镇东头村自来水管爆裂，路面积水严重", "13900002222");
    assert_true(dup_listed(second, first));
    assert_true(dup_listed(first, second));
    act(&OP, second, "merge", NULL, 422); /* a note and the case it joins */
    char into[128];
    snprintf(into, sizeof into, "{\"into\":%lld,\"note\":\"重复来电，并案办理\"}", (long long)first);
    act(&OP, second, "merge", into, 200);
    assert_false(dup_listed(second, 0));
    assert_false(dup_listed(first, second));
    /* a long description is cut for the search between characters, never
     * inside one (an invalid text would fail the whole review) */
    char body[1024], desc[700] = "";
    for (int i = 0; i < 100; i++) strcat(desc, "漏");
    snprintf(body, sizeof body,
             "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"漏水\",\"description\":\"%s\"}", desc);
    call(&S, &R, "POST", "/api/v1/cases", body, OP.h);
    assert_int_equal(R.status, 201);
    call(&S, &R, "GET", "/api/v1/cases/duplicates?limit=50", NULL, OP.h);
    if (R.status != 200) fail_msg("%ld %s", R.status, R.body);
    call(&S, &R, "GET", "/api/v1/cases/duplicates", NULL, CLERK.h);
    assert_int_equal(R.status, 403);
    call(&S, &R, "GET", "/api/v1/cases/duplicates?limit=0", NULL, OP.h);
    assert_int_equal(R.status, 400);
    assert_non_null(strstr(R.body, "limit"));
}

/* The dispatcher's 退单 queue: a case a unit returned is back in received
 * and listed by returned=true; one never returned, or returned and then
 * dispatched again, is not in the queue (status=received). */
static void returned_queue(void **st) {
    (void)st;
    int64_t back = intake(), fresh = intake(), again = intake();
    act(&DISP, back, "dispatch", "{\"unit\":\"cgj\"}", 200);
    act(&CLERK, back, "return", "{\"note\":\"不属于本单位职责\"}", 200);
    act(&DISP, again, "dispatch", "{\"unit\":\"cgj\"}", 200);
    act(&CLERK, again, "return", "{\"note\":\"不属于本单位职责\"}", 200);
    act(&DISP, again, "dispatch", "{\"unit\":\"heyangjd\"}", 200);
    call(&S, &R, "GET", "/api/v1/cases?status=received&returned=true&sort=newest&limit=200", NULL,
         DISP.h);
    if (R.status != 200) fail_msg("%ld %s", R.status, R.body);
    json_t *v = J(), *c;
    size_t i;
    int found_back = 0, found_other = 0;
    json_array_foreach(json_object_get(v, "cases"), i, c) {
        int64_t id = json_integer_value(json_object_get(c, "id"));
        assert_str(S_(c, "status"), "received");
        found_back += id == back;
        found_other += id == fresh || id == again;
    }
    assert_int_equal(found_back, 1);
    assert_int_equal(found_other, 0);
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/cases?returned=yes", NULL, DISP.h);
    assert_int_equal(R.status, 400);
    assert_non_null(strstr(R.body, "returned"));
}

/* A password changed, or an account disabled, ends every session of that
 * user and revokes the API tokens they made, at once; a signed-in user
 * changes their own password with the current one, to a strong one, logged. */
static void passwords_end_sessions(void **st) {
    (void)st;
    json_t *v;
    /* a security administrator (they issue tokens), made on the command line
     * with a password of their own */
    cli_run *made = calloc(1, sizeof *made);
    const char *add[] = {"duban", "--db", dbt, "user", "add", "pw.admin", "security", "--password", "first-pass-2026",
                         "--own-password", NULL};
    run_cli(made, add);
    if (made->status) fail_msg("user add: %s", made->err);
    free(made);
    session a, b, again;
    assert_int_equal(login(&S, &a, "pw.admin", "first-pass-2026"), 200);
    assert_int_equal(login(&S, &b, "pw.admin", "first-pass-2026"), 200);
    /* the wrong current password, a weak new one: refused, nothing ends */
    const struct { const char *body, *field; long status; } bad[] = {
        {"{\"current_password\":\"nope-nope-nope\",\"new_password\":\"second-pass-2026\"}", "current_password", 422},
        {"{\"current_password\":\"first-pass-2026\",\"new_password\":\"short1\"}", "password", 422},
        {"{\"current_password\":\"first-pass-2026\",\"new_password\":\"onlyletterslong\"}", "password", 422},
        {"{\"current_password\":\"first-pass-2026\",\"new_password\":\"pw.admin-2026-x\"}", "password", 422},
        {"{\"current_password\":\"first-pass-2026\"}", "new_password", 422},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        call(&S, &R, "POST", "/api/v1/me/password", bad[i].body, a.h);
        if (R.status != bad[i].status || !strstr(R.body, bad[i].field)) fail_msg("row %zu: %ld %s", i, R.status, R.body);
    }
    call(&S, &R, "GET", "/api/v1/me", NULL, b.h);
    assert_int_equal(R.status, 200);
    /* a token the account made */
    call(&S, &R, "POST", "/api/v1/tokens", "{\"name\":\"pw-app\",\"role\":\"leader\"}", a.h);
    assert_int_equal(R.status, 201);
    v = J();
    char bearer[128];
    snprintf(bearer, sizeof bearer, "Authorization: Bearer %s", S_(v, "token"));
    json_decref(v);
    const char *const tok[] = {bearer, NULL};
    call(&S, &R, "GET", "/api/v1/cases?limit=1", NULL, tok);
    assert_int_equal(R.status, 200);
    /* the change: every session and the token end, the old password is gone */
    call(&S, &R, "POST", "/api/v1/me/password",
         "{\"current_password\":\"first-pass-2026\",\"new_password\":\"second-pass-2026\"}", a.h);
    if (R.status != 200) fail_msg("change: %ld %s", R.status, R.body);
    assert_non_null(strstr(R.headers, "duban_session=;"));
    call(&S, &R, "GET", "/api/v1/me", NULL, a.h);
    assert_int_equal(R.status, 401);
    call(&S, &R, "GET", "/api/v1/me", NULL, b.h);
    assert_int_equal(R.status, 401);
    call(&S, &R, "GET", "/api/v1/cases?limit=1", NULL, tok);
    assert_int_equal(R.status, 401);
    assert_int_equal(login(&S, &again, "pw.admin", "first-pass-2026"), 401);
    assert_int_equal(login(&S, &again, "pw.admin", "second-pass-2026"), 200);
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM access_log WHERE action = 'password_changed'"
                                      " AND actor = 'pw.admin'"), 1);
    /* disabling the account ends the session it has now */
    cli_run *run = calloc(1, sizeof *run);
    const char *argv[] = {"duban", "--db", dbt, "user", "disable", "pw.admin", NULL};
    run_cli(run, argv);
    assert_int_equal(run->status, 0);
    free(run);
    call(&S, &R, "GET", "/api/v1/me", NULL, again.h);
    assert_int_equal(R.status, 401);
    /* signing in again is told why it fails — only with the right password */
    session off;
    assert_int_equal(login(&S, &off, "pw.admin", "second-pass-2026"), 403);
    assert_int_equal(login(&S, &off, "pw.admin", "a-wrong-password"), 401);
}

/* Matching on a phone number confirms it: only the roles that see numbers
 * may, each lookup is logged, and an account gets 60 an hour. Refusals
 * (403) and pages of unmasked contacts are in the access log too. */
static void phone_lookups_and_the_access_log(void **st) {
    (void)st;
    json_t *v;
    intake();
    const session *masked[] = {&CLERK, &LEADER};
    for (size_t i = 0; i < 2; i++) {
        call(&S, &R, "GET", "/api/v1/cases/similar?phone=13812341234", NULL, masked[i]->h);
        assert_int_equal(R.status, 403);
        assert_str(error_code(&R, &v), "forbidden");
        json_decref(v);
    }
    /* the handler's refusal is logged with what it asked */
    assert_true(test_db_int(dbt, "SELECT count(*) FROM access_log WHERE action = 'refused' AND actor = 'cgj.clerk'"
                                 " AND detail = 'GET /api/v1/cases/similar'") >= 1);
    int64_t before = test_db_int(dbt, "SELECT count(*) FROM access_log WHERE action = 'phone_lookup'");
    int64_t before_op = test_db_int(dbt, "SELECT count(*) FROM access_log WHERE action = 'phone_lookup'"
                                         " AND actor = 'operator'");
    session op2;
    demo_login(&S, &op2, "operator");
    int ok = 0;
    for (int i = 0; i < 61; i++) {
        call(&S, &R, "GET", "/api/v1/cases/similar?phone=13812341234", NULL, op2.h);
        if (R.status == 200) ok++;
        else break;
    }
    /* 60 in all: the earlier tests' lookups by this account count too */
    assert_int_equal(ok, 60 - before_op);
    assert_int_equal(R.status, 429);
    assert_non_null(strstr(R.headers, "Retry-After: "));
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM access_log WHERE action = 'phone_lookup'") - before, ok);
    /* a dispatcher's page with phones in full: one entry with the count */
    int64_t pages = test_db_int(dbt, "SELECT count(*) FROM access_log WHERE action = 'list_contacts'");
    call(&S, &R, "GET", "/api/v1/cases?limit=20&channel=hotline", NULL, DISP.h); /* calls: with phones */
    assert_int_equal(R.status, 200);
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM access_log WHERE action = 'list_contacts'"), pages + 1);
    call(&S, &R, "GET", "/api/v1/cases?limit=20&channel=hotline", NULL, LEADER.h); /* masked: nothing to log */
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM access_log WHERE action = 'list_contacts'"), pages + 1);
    /* the log's own query is validated */
    session aud;
    demo_login(&S, &aud, "auditor");
    call(&S, &R, "GET", "/api/v1/access-log?after=abc", NULL, aud.h);
    assert_int_equal(R.status, 400);
    assert_non_null(strstr(R.body, "after"));
    call(&S, &R, "GET", "/api/v1/access-log?after=0", NULL, aud.h);
    assert_int_equal(R.status, 200);
}

/* Each overdue case says which deadline it missed and by how long; a case
 * that is not overdue says null. */
static void overdue_says_which_deadline(void **st) {
    (void)st;
    call(&S, &R, "GET", "/api/v1/cases?overdue=true&limit=20", NULL, DISP.h);
    assert_int_equal(R.status, 200);
    json_t *v = J(), *c;
    size_t i;
    assert_true(json_array_size(json_object_get(v, "cases")) > 0);
    json_array_foreach(json_object_get(v, "cases"), i, c) {
        json_t *o = json_object_get(c, "overdue");
        const char *kind = S_(o, "kind");
        if (!kind || json_integer_value(json_object_get(o, "by_seconds")) <= 0)
            fail_msg("case %lld: overdue %s", (long long)json_integer_value(json_object_get(c, "id")),
                     json_dumps(o, 0));
        char key[32];
        snprintf(key, sizeof key, "%s_due", kind);
        assert_str(S_(o, "due"), S_(c, key)); /* the deadline it names is the case's */
        /* a day's deadline reads as the end of that day, never the next 00:00 */
        static const char *const dues[] = {"dispatch_due", "accept_due", "feedback_due", "resolve_due"};
        for (int k = 0; k < 4; k++) {
            const char *d = S_(c, dues[k]);
            if (d && strstr(d, "T00:00:00")) fail_msg("%s shown as %s", dues[k], d);
        }
    }
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/cases?status=closed&limit=5", NULL, DISP.h);
    v = J();
    json_array_foreach(json_object_get(v, "cases"), i, c) assert_true(json_is_null(json_object_get(c, "overdue")));
    json_decref(v);
}

static void bad_requests_change_nothing(void **st) {
    (void)st;
    int64_t id = intake(), mine = intake();
    act(&DISP, mine, "dispatch", "{\"unit\":\"cgj\"}", 200);
    char path[96], act_path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)id);
    /* resolving before signing for it: illegal in state dispatched */
    snprintf(act_path, sizeof act_path, "/api/v1/cases/%lld/actions/resolve", (long long)mine);
    /* the search indexer writes in the background: let it finish first */
    for (int i = 0; i < 100 && !getenv("DUBAN_TEST_PG") &&
                    test_db_int(dbt, "SELECT CAST(value AS INTEGER) FROM config WHERE key = 'text_indexed_to'") <
                        test_db_int(dbt, "SELECT max(id) FROM cases");
         i++)
        usleep(50 * 1000);
    unsigned char before[32], after[32];
    test_db_digest_except(dbt, BOOKKEEPING, before);
    const char *no_csrf[] = {DISP.cookie, "Content-Type: application/json", NULL};
    const char *bad_csrf[] = {DISP.cookie, "X-CSRF-Token: 00", "Content-Type: application/json", NULL};
    /* the right length, the wrong value: the comparison itself is what refuses it */
    char wrong[160];
    snprintf(wrong, sizeof wrong, "%s", DISP.csrf);
    size_t wl = strlen(wrong);
    wrong[wl - 1] = wrong[wl - 1] == 'a' ? 'b' : 'a';
    const char *wrong_csrf[] = {DISP.cookie, wrong, "Content-Type: application/json", NULL};
    const char *xml[] = {OP.cookie, OP.csrf, "Content-Type: application/xml", NULL};
    static char dispatch_path[96];
    snprintf(dispatch_path, sizeof dispatch_path, "/api/v1/cases/%lld/actions/dispatch", (long long)id);
    const struct { const char *method, *path, *body; const char *const *h; long status;
                   const char *code, *field; } rows[] = {
        {"POST", "/api/v1/cases", "{\"channel\":", OP.h, 400, "malformed_json", NULL},
        {"POST", "/api/v1/cases", "[1,2]", OP.h, 400, "malformed_json", NULL},
        {"POST", "/api/v1/cases", "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":5}", OP.h, 422, "invalid", "title"},
        {"POST", "/api/v1/cases", "{\"channel\":\"hotline\",\"class\":\"general\"}", OP.h, 422, "invalid", "title"},
        {"POST", "/api/v1/cases", "{\"channel\":\"fax\",\"class\":\"general\",\"title\":\"t\"}", OP.h, 422, "invalid", "channel"},
        {"POST", "/api/v1/cases", "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"t\",\"colour\":1}", OP.h, 422, "invalid", "colour"},
        {"POST", "/api/v1/cases", "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"t\",\"confidential\":\"yes\"}", OP.h, 422, "invalid", "confidential"},
        {"POST", "/api/v1/cases", "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"t\",\"category\":\"nope\"}", OP.h, 422, "invalid", "category"},
        {"POST", "/api/v1/cases", "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"t\",\"received_at\":\"2099-01-01T00:00:00+08:00\"}", OP.h, 422, "invalid", "received_at"},
        {"POST", "/api/v1/cases", "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"t\"}", xml, 415, "unsupported_media_type", NULL},
        {"POST", "/api/v1/cases", "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"t\"}", NULL, 401, "unauthorized", NULL},
        {"POST", "/api/v1/cases", "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"t\"}", no_csrf, 403, "csrf", "X-CSRF-Token"},
        {"POST", "/api/v1/cases", "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"t\"}", bad_csrf, 403, "csrf", "X-CSRF-Token"},
        {"POST", "/api/v1/cases", "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"t\"}", wrong_csrf, 403, "csrf", "X-CSRF-Token"},
        {"POST", "/api/v1/cases/999999/actions/dispatch", "{\"unit\":\"cgj\"}", DISP.h, 404, "not_found", "id"},
        {"POST", "/api/v1/cases/1/actions/fly", NULL, DISP.h, 404, "not_found", "action"},
        {"POST", act_path, "{\"note\":\"done\"}", CLERK.h, 409, "conflict", "action"},
        {"POST", dispatch_path, "{\"unit\":\"nosuch\"}", DISP.h, 422, "invalid", "unit"},
        {"POST", dispatch_path, "{\"unit\":7}", DISP.h, 422, "invalid", "unit"},
        {"POST", dispatch_path, "{}", DISP.h, 422, "invalid", "unit"},
        {"POST", dispatch_path, "{\"unit\":\"cgj\",\"assist\":[1]}", DISP.h, 422, "invalid", "assist"},
        {"GET", path, NULL, NULL, 401, "unauthorized", NULL},
        {"GET", path, NULL, (const char *[]){"Authorization: Bearer nope", NULL}, 401, "unauthorized", "Authorization"},
        {"GET", path, NULL, (const char *[]){"Authorization: Basic eDp5", NULL}, 401, "unauthorized", "Authorization"},
        {"GET", path, NULL, (const char *[]){"Cookie: duban_session=0000", NULL}, 401, "unauthorized", "session"},
        /* text: valid UTF-8 without control characters, everywhere it enters */
        {"POST", "/api/v1/cases", "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"t\",\"description\":\"a\\u0001b\"}", OP.h, 400, "bad_text", "description"},
        {"POST", "/api/v1/cases", "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"a\\u001bb\"}", OP.h, 400, "bad_text", "title"},
        {"POST", "/api/v1/cases", "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"a\\u0085b\"}", OP.h, 400, "bad_text", "title"},
        {"POST", "/api/v1/cases", "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"\xff\xfe\"}", OP.h, 400, "malformed_json", NULL},
        {"POST", dispatch_path, "{\"unit\":\"cgj\",\"note\":\"x\\ry\"}", DISP.h, 400, "bad_text", "note"},
        {"POST", dispatch_path, "{\"unit\":\"cgj\",\"assist\":[\"a\\u0007\"]}", DISP.h, 400, "bad_text", "assist"},
        {"GET", "/api/v1/cases?text=%FF%FE", NULL, DISP.h, 400, "bad_text", "text"},
        {"GET", "/api/v1/cases?text=a%01b", NULL, DISP.h, 400, "bad_text", "text"},
        {"GET", "/api/v1/cases?%C0%AF=1", NULL, DISP.h, 400, "bad_text", "query"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        json_t *v;
        call(&S, &R, rows[i].method, rows[i].path, rows[i].body, rows[i].h);
        const char *code = R.status == rows[i].status ? error_code(&R, &v) : NULL;
        if (!code || strcmp(code, rows[i].code) != 0)
            fail_msg("row %zu: %ld %s (want %ld %s)", i, R.status, R.body, rows[i].status, rows[i].code);
        const char *field = S_(json_object_get(v, "error"), "field");
        if (rows[i].field && (!field || strcmp(field, rows[i].field) != 0))
            fail_msg("row %zu: field %s, want %s", i, field ? field : "(none)", rows[i].field);
        json_decref(v);
        test_db_digest_except(dbt, BOOKKEEPING, after);
        if (memcmp(before, after, 32) != 0) fail_msg("row %zu changed the database", i);
    }
    size_t classes = 0; /* distinct status and code: docs/reliability.md counts them */
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        size_t k = 0;
        while (k < i && !(rows[k].status == rows[i].status && !strcmp(rows[k].code, rows[i].code))) k++;
        classes += k == i;
    }
    printf("bad input: %zu requests in %zu classes refused, none changing the database\n", sizeof rows / sizeof *rows,
           classes);
}

static void sessions_end(void **st) {
    (void)st;
    session s;
    json_t *v;
    assert_int_equal(login(&S, &s, "leader", "mz13710#lea"), 200);
    call(&S, &R, "GET", "/api/v1/me", NULL, s.h);
    assert_int_equal(R.status, 200);
    v = J();
    assert_str(S_(v, "role"), "leader");
    json_decref(v);
    /* idle too long: make the session look three hours old */
    test_db_exec(dbt, "UPDATE sessions SET last_seen = last_seen - 10800,"
                     " created_at = created_at - 10800 WHERE id = (SELECT max(id) FROM sessions)");
    call(&S, &R, "GET", "/api/v1/me", NULL, s.h);
    assert_int_equal(R.status, 401);
    assert_non_null(strstr(R.body, "expired"));
    /* logging out ends a session */
    assert_int_equal(login(&S, &s, "leader", "mz13710#lea"), 200);
    call(&S, &R, "POST", "/api/v1/auth/logout", NULL, s.h);
    assert_int_equal(R.status, 200);
    assert_non_null(strstr(R.headers, "Max-Age=0"));
    call(&S, &R, "GET", "/api/v1/me", NULL, s.h);
    assert_int_equal(R.status, 401);
    json_decref(reply_json(&R));
}

static void search_and_duplicates(void **st) {
    (void)st;
    int64_t id = intake(); /* 韩愈大街路灯不亮, 13812341234 */
    json_t *v, *c;
    size_t i;
    /* 3 or more characters: the trigram index; fewer: a plain substring scan */
    const char *queries[] = {"/api/v1/cases?limit=200&text=%E8%B7%AF%E7%81%AF%E4%B8%8D%E4%BA%AE", /* 路灯不亮 */
                             "/api/v1/cases?limit=200&text=%E8%B7%AF%E7%81%AF"};                  /* 路灯 */
    const char *needle[] = {"路灯不亮", "路灯"};
    for (int q = 0; q < 2; q++) {
        call(&S, &R, "GET", queries[q], NULL, DISP.h);
        assert_int_equal(R.status, 200);
        v = J();
        int hit = 0;
        json_array_foreach(json_object_get(v, "cases"), i, c) {
            const char *t = S_(c, "title"), *d = S_(c, "description");
            if (!strstr(t, needle[q]) && !(d && strstr(d, needle[q])))
                fail_msg("'%s' does not contain %s", t, needle[q]);
            hit |= json_integer_value(json_object_get(c, "id")) == id;
        }
        assert_true(hit);
        json_decref(v);
    }
    call(&S, &R, "GET", "/api/v1/cases?channel=petition&class=general&limit=200", NULL, DISP.h);
    assert_int_equal(R.status, 200);
    v = J();
    assert_true(json_array_size(json_object_get(v, "cases")) > 0);
    json_array_foreach(json_object_get(v, "cases"), i, c) {
        assert_str(S_(c, "channel"), "petition");
        assert_str(S_(c, "class"), "general");
    }
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/cases?from=2026-03-10&to=2026-03-12&limit=200", NULL, DISP.h);
    assert_int_equal(R.status, 200);
    v = J();
    json_array_foreach(json_object_get(v, "cases"), i, c) {
        const char *at = S_(c, "received_at");
        assert_true(strcmp(at, "2026-03-10") >= 0 && strcmp(at, "2026-03-12") < 0);
    }
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/cases?channel=fax", NULL, DISP.h);
    assert_int_equal(R.status, 400);
    /* likely duplicates: the same phone first, then shared wording */
    call(&S, &R, "GET", "/api/v1/cases/similar?text=%E9%9F%A9%E6%84%88%E5%A4%A7%E8%A1%97%E7%9A%84%E8%B7%AF%E7%81%AF%E5%9D%8F%E4%BA%86&phone=13812341234",
         NULL, OP.h); /* 韩愈大街的路灯坏了 */
    assert_int_equal(R.status, 200);
    v = J();
    c = json_array_get(json_object_get(v, "cases"), 0);
    assert_non_null(c);
    assert_str(S_(c, "requester_phone"), "13812341234");
    json_decref(v);
    /* shared wording (a title of its own: many cases say 韩愈大街路灯不亮, and
     * which ten of equals come first is the ranking's choice) */
    call(&S, &R, "POST", "/api/v1/cases",
         "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"韩愈大街路灯杆倾斜倒伏\"}", OP.h);
    assert_int_equal(R.status, 201);
    v = J();
    id = json_integer_value(json_object_get(v, "id"));
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/cases/similar?text=%E9%9F%A9%E6%84%88%E5%A4%A7%E8%A1%97%E8%B7%AF%E7%81%AF%E6%9D%86%E5%80%BE%E6%96%9C", NULL, OP.h); /* 韩愈大街路灯杆倾斜 */
    assert_int_equal(R.status, 200);
    v = J();
    int hit = 0;
    json_array_foreach(json_object_get(v, "cases"), i, c) hit |= json_integer_value(json_object_get(c, "id")) == id;
    assert_true(hit);
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/cases/similar", NULL, OP.h);
    assert_int_equal(R.status, 400);
}

static void intake_is_idempotent(void **st) {
    (void)st;
    const char *body = "{\"channel\":\"qr\",\"class\":\"general\",\"title\":\"窗口服务态度差\"}";
    const char *h[] = {OP.cookie, OP.csrf, "Content-Type: application/json", "Idempotency-Key: form-7f3a", NULL};
    call(&S, &R, "POST", "/api/v1/cases", body, h);
    assert_int_equal(R.status, 201);
    json_t *a = J();
    call(&S, &R, "POST", "/api/v1/cases", body, h);
    assert_int_equal(R.status, 200);
    assert_non_null(strstr(R.headers, "Idempotency-Replayed: true"));
    json_t *b = J();
    assert_int_equal(json_integer_value(json_object_get(a, "id")), json_integer_value(json_object_get(b, "id")));
    assert_str(S_(a, "case_no"), S_(b, "case_no"));
    json_decref(b);
    h[3] = "Idempotency-Key: form-7f3b";
    call(&S, &R, "POST", "/api/v1/cases", body, h);
    assert_int_equal(R.status, 201);
    b = J();
    assert_true(json_integer_value(json_object_get(b, "id")) != json_integer_value(json_object_get(a, "id")));
    json_decref(a);
    json_decref(b);
}

/* Many intakes at once share commits; each is still answered with its own
 * case, and every one of them is stored, numbered once and chained. */
static void concurrent_intake(void **st) {
    (void)st;
    enum { N = 60 };
    static reply rs[N];
    CURLM *m = curl_multi_init();
    CURL *h[N];
    struct curl_slist *hdr = NULL;
    for (int i = 0; OP.h[i]; i++) hdr = curl_slist_append(hdr, OP.h[i]);
    char url[128];
    snprintf(url, sizeof url, "%s/api/v1/cases", S.url);
    for (int i = 0; i < N; i++) {
        memset(&rs[i], 0, offsetof(reply, body) + 1);
        h[i] = curl_easy_init();
        curl_easy_setopt(h[i], CURLOPT_URL, url);
        curl_easy_setopt(h[i], CURLOPT_POSTFIELDS,
                         "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"并发受理测试\"}");
        curl_easy_setopt(h[i], CURLOPT_HTTPHEADER, hdr);
        curl_easy_setopt(h[i], CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h[i], CURLOPT_WRITEDATA, &rs[i]);
        curl_easy_setopt(h[i], CURLOPT_TIMEOUT, 30L);
        curl_multi_add_handle(m, h[i]);
    }
    int running = 1;
    for (int guard = 0; running && guard < 30000; guard++) {
        curl_multi_perform(m, &running);
        if (running) curl_multi_poll(m, NULL, 0, 100, NULL);
    }
    int64_t ids[N];
    for (int i = 0; i < N; i++) {
        long code = 0;
        curl_easy_getinfo(h[i], CURLINFO_RESPONSE_CODE, &code);
        if (code != 201) fail_msg("request %d: %ld %s", i, code, rs[i].body);
        json_t *v = json_loads(rs[i].body, 0, NULL);
        ids[i] = json_integer_value(json_object_get(v, "id"));
        json_decref(v);
        for (int k = 0; k < i; k++) assert_true(ids[k] != ids[i]);
        curl_multi_remove_handle(m, h[i]);
        curl_easy_cleanup(h[i]);
    }
    curl_slist_free_all(hdr);
    curl_multi_cleanup(m);
    cli_run *run = calloc(1, sizeof *run);
    const char *argv[] = {"duban", "--db", dbt, "audit", "verify", NULL};
    run_cli(run, argv);
    assert_int_equal(run->status, 0);
    free(run);
}

/* Last: failures from 127.0.0.1 throttle every later login from it. */
static void logins_are_throttled(void **st) {
    (void)st;
    session s;
    for (int i = 0; i < 5; i++) assert_int_equal(login(&S, &s, "dispatcher", "wrong-password"), 401);
    /* After 5 failures from one address the account waits there (the
     * "pair" key: 1 s, then 2, 4 ...); move that last failure ahead so the
     * check cannot depend on how fast this runs (a ThreadSanitizer server
     * takes longer than that second). */
    test_db_exec(dbt, "UPDATE login_failures SET last_at = last_at + 30 WHERE key LIKE 'pair:dispatcher@%'");
    call(&S, &R, "POST", "/api/v1/auth/login", "{\"username\":\"dispatcher\",\"password\":\"mz13710#dis\"}", NULL);
    assert_int_equal(R.status, 429);
    assert_non_null(strstr(R.headers, "Retry-After: "));
    json_t *v;
    assert_str(error_code(&R, &v), "throttled");
    json_decref(v);
    /* every outcome is in the access log */
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM access_log WHERE actor = 'dispatcher'"
                                     " AND action = 'login_failed'"), 5);
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM access_log WHERE actor = 'dispatcher'"
                                     " AND action = 'login_throttled'"), 1);
}

/* A case is found by text search and by the duplicate check at intake the
 * moment it is acknowledged, and the search index is kept off the request
 * path: with no request at all, SQLite's index reaches the new case within a
 * second (the server's indexer); no search writes it. */
static void new_cases_are_found_at_once(void **st) {
    (void)st;
    char body[256], token[32], path[160];
    snprintf(token, sizeof token, "QX%dZ", (int)getpid());
    for (int round = 0; round < 3; round++) {
        snprintf(body, sizeof body, "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"井盖缺失 %s%d\","
                 "\"description\":\"建设路%s%d号门前井盖缺失\"}", token, round, token, round);
        call(&S, &R, "POST", "/api/v1/cases", body, OP.h);
        assert_int_equal(R.status, 201);
        json_t *v = J();
        json_int_t id = json_integer_value(json_object_get(v, "id"));
        json_decref(v);
        /* at once: a search, and the duplicate check an operator sees */
        snprintf(path, sizeof path, "/api/v1/cases?limit=50&text=%s%d", token, round);
        call(&S, &R, "GET", path, NULL, DISP.h);
        assert_int_equal(R.status, 200);
        v = J();
        assert_int_equal(json_array_size(json_object_get(v, "cases")), 1);
        assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(v, "cases"), 0), "id")), id);
        json_decref(v);
        /* nothing among the new cases shares these words: an empty answer */
        call(&S, &R, "GET", "/api/v1/cases/similar?text=ZZQ%E9%BE%98%E9%BE%98", NULL, OP.h);
        assert_int_equal(R.status, 200);
        snprintf(path, sizeof path, "/api/v1/cases/similar?text=%s%d", token, round);
        call(&S, &R, "GET", path, NULL, OP.h);
        assert_int_equal(R.status, 200);
        v = J();
        json_t *first = json_array_get(json_object_get(v, "cases"), 0);
        assert_int_equal(json_integer_value(json_object_get(first, "id")), id);
        json_decref(v);
        if (getenv("DUBAN_TEST_PG")) continue; /* PostgreSQL indexes with the case */
        /* no request: the indexer alone brings the index to this case */
        int64_t to = 0;
        for (int i = 0; i < 40 && to < id; i++) {
            to = test_db_int(dbt, "SELECT CAST(value AS INTEGER) FROM config WHERE key = 'text_indexed_to'");
            if (to < id) usleep(50 * 1000);
        }
        if (to < id) fail_msg("after 2 s the search index reaches case %lld, not %lld", (long long)to, (long long)id);
        /* and the indexed case is found the same way */
        snprintf(path, sizeof path, "/api/v1/cases?limit=50&text=%s%d", token, round);
        call(&S, &R, "GET", path, NULL, DISP.h);
        v = J();
        assert_int_equal(json_array_size(json_object_get(v, "cases")), 1);
        json_decref(v);
    }
}

/* 诉求类型: given at intake, shown with its label, refused when unknown,
 * counted in the overview (the counts add up to the cases). */
/* A petition is confidential unless intake says otherwise: the clerk of
 * the unit it goes to sees no petitioner and cannot reveal one; another
 * channel is not, unless asked. */
static void petitions_are_confidential(void **st) {
    (void)st;
    static const struct { const char *body; bool secret; } rows[] = {
        {"{\"channel\":\"petition\",\"class\":\"general\",\"title\":\"反映拆迁补偿\","
         "\"requester_name\":\"王五\",\"requester_phone\":\"13700001111\"}", true},
        {"{\"channel\":\"petition\",\"class\":\"general\",\"title\":\"反映拆迁补偿\","
         "\"requester_name\":\"王五\",\"requester_phone\":\"13700001111\",\"confidential\":false}", false},
        {"{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"路灯不亮\","
         "\"requester_name\":\"王五\",\"requester_phone\":\"13700001111\"}", false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        call(&S, &R, "POST", "/api/v1/cases", rows[i].body, OP.h);
        want(201, rows[i].body);
        json_t *v = J();
        json_int_t id = I_(v, "id");
        assert_int_equal(json_is_true(json_object_get(v, "confidential")), rows[i].secret);
        json_decref(v);
        char path[96];
        snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/dispatch", (long long)id);
        call(&S, &R, "POST", path, "{\"unit\":\"cgj\"}", DISP.h);
        want(200, "dispatch");
        snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)id);
        call(&S, &R, "GET", path, NULL, CLERK.h);
        want(200, "the clerk's view");
        assert_int_equal(strstr(R.body, "王") == NULL, rows[i].secret); /* not even a mask */
        snprintf(path, sizeof path, "/api/v1/cases/%lld/reveal", (long long)id);
        call(&S, &R, "POST", path, "{\"reason\":\"回访核实\"}", CLERK.h);
        assert_int_equal(R.status, rows[i].secret ? 403 : 200);
    }
}

static void appeal_types(void **st) {
    (void)st;
    call(&S, &R, "POST", "/api/v1/cases",
         "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"公积金提取需要什么材料\",\"appeal_type\":\"consult\"}", OP.h);
    assert_int_equal(R.status, 201);
    json_t *v = J();
    assert_str(S_(v, "appeal_type"), "consult");
    assert_str(S_(v, "appeal_type_label"), "咨询");
    json_decref(v);
    call(&S, &R, "POST", "/api/v1/cases",
         "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"t\",\"appeal_type\":\"咨询\"}", OP.h);
    assert_int_equal(R.status, 422);
    assert_non_null(strstr(R.body, "\"field\":\"appeal_type\""));
    call(&S, &R, "GET", "/api/v1/stats/overview", NULL, DISP.h);
    assert_int_equal(R.status, 200);
    v = J();
    json_t *by = json_object_get(v, "by_appeal_type"), *n;
    const char *k;
    json_int_t sum = 0;
    json_object_foreach(by, k, n) sum += json_integer_value(n);
    assert_int_equal(sum, json_integer_value(json_object_get(v, "cases")));
    assert_true(json_integer_value(json_object_get(by, "consult")) >= 1);
    assert_true(json_integer_value(json_object_get(by, "help")) > 0); /* the demo's */
    json_decref(v);
}

/* The centre's figures for today (its own, in GET /stats). */
static json_t *today_stats(void) {
    char path[128], d0[16], d1[16];
    time_t now = time(NULL) + 8 * 3600, next = now + 86400;
    strftime(d0, sizeof d0, "%Y-%m-%d", gmtime(&now));
    strftime(d1, sizeof d1, "%Y-%m-%d", gmtime(&next));
    snprintf(path, sizeof path, "/api/v1/stats?from=%s&to=%s", d0, d1);
    call(&S, &R, "GET", path, NULL, DISP.h);
    if (R.status != 200) fail_msg("%s: %ld %s", path, R.status, R.body);
    return J();
}

static json_int_t centre_n(json_t *v, const char *k) {
    return json_integer_value(json_object_get(json_object_get(v, "centre"), k));
}

/* 直接答复: a question answered on the call by the centre, then visited; it
 * counts in the centre's figures and in no unit's; it cannot be reopened
 * (no unit), and a handler cannot answer. */
static void direct_answer_and_its_visit(void **st) {
    (void)st;
    json_t *before = today_stats();
    json_int_t dispatched = json_integer_value(json_object_get(json_object_get(before, "total"), "dispatched"));
    call(&S, &R, "POST", "/api/v1/cases",
         "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"医保异地备案怎么办\",\"appeal_type\":\"consult\","
         "\"requester_name\":\"赵六\",\"requester_phone\":\"13600004444\"}", OP.h);
    assert_int_equal(R.status, 201);
    json_t *v = J();
    int64_t id = json_integer_value(json_object_get(v, "id"));
    json_decref(v);
    act(&CLERK, id, "answer", "{\"note\":\"可在国家医保服务平台APP办理\"}", 403); /* not a unit's */
    act(&OP, id, "answer", "{\"note\":\" \"}", 422);
    act(&OP, id, "answer", "{\"note\":\"可在国家医保服务平台APP办理异地就医备案，当场生效\"}", 200);
    v = J();
    assert_str(S_(v, "status"), "resolved");
    assert_non_null(strstr(S_(v, "result"), "国家医保服务平台"));
    assert_true(json_is_null(json_object_get(v, "lead_unit")));
    assert_true(json_is_null(json_object_get(v, "next_due")));
    json_decref(v);
    act(&DISP, id, "visit", "{\"satisfaction\":\"satisfied\",\"solved\":true}", 200);
    act(&DISP, id, "reopen", "{\"note\":\"仍不清楚\"}", 409);
    assert_non_null(strstr(R.body, "answered directly"));
    json_t *after = today_stats();
    assert_int_equal(centre_n(after, "received"), centre_n(before, "received") + 1);
    assert_int_equal(centre_n(after, "answered"), centre_n(before, "answered") + 1);
    assert_int_equal(centre_n(after, "visited"), centre_n(before, "visited") + 1);
    assert_int_equal(centre_n(after, "satisfied"), centre_n(before, "satisfied") + 1);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(after, "total"), "dispatched")),
                     dispatched); /* in no unit's rates */
    double rate = json_real_value(json_object_get(json_object_get(after, "centre"), "answer_rate"));
    assert_true(rate > 0 && rate <= 1);
    json_decref(before);
    json_decref(after);
    /* a clerk reads no centre figures: its unit's only */
    call(&S, &R, "GET", "/api/v1/stats?from=2026-01-01&to=2027-01-01", NULL, CLERK.h);
    assert_int_equal(R.status, 200);
    assert_null(strstr(R.body, "\"centre\""));
}

/* A unit's figures in today's stats: {dispatched, returned} for code. */
static json_t *unit_row(json_t *stats, const char *code) {
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(stats, "units"), i, u)
        if (strcmp(S_(json_object_get(u, "unit"), "code"), code) == 0) return u;
    return NULL;
}

static json_int_t unit_n(json_t *stats, const char *code, const char *k) {
    json_t *u = unit_row(stats, code);
    return u ? json_integer_value(json_object_get(u, k)) : 0;
}

/* 改派: the dispatcher moves a case the first unit accepted to another;
 * the first unit's 退单 and dispatched counts stay as they were, it no longer
 * sees the case, the new unit signs for it afresh. */
static void reassign_is_not_a_return(void **st) {
    (void)st;
    json_t *before = today_stats();
    int64_t id = intake();
    act(&DISP, id, "dispatch", "{\"unit\":\"cgj\"}", 200);
    act(&CLERK, id, "accept", NULL, 200);
    act(&CLERK, id, "reassign", "{\"unit\":\"heyangjd\",\"note\":\"x\"}", 403); /* the dispatcher's */
    act(&DISP, id, "reassign", "{\"unit\":\"heyangjd\"}", 422);                /* a reason */
    act(&DISP, id, "reassign", "{\"unit\":\"cgj\",\"note\":\"属地管理\"}", 422);  /* already there */
    act(&DISP, id, "reassign", "{\"unit\":\"heyangjd\",\"note\":\"属地管理，改由河阳街道办理\"}", 200);
    json_t *v = J();
    assert_str(S_(v, "status"), "dispatched");
    assert_str(S_(json_object_get(v, "lead_unit"), "code"), "heyangjd");
    assert_int_equal(json_integer_value(json_object_get(v, "return_count")), 0);
    assert_str(S_(json_object_get(v, "next_due"), "kind"), "accept");
    json_decref(v);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)id);
    call(&S, &R, "GET", path, NULL, CLERK.h);
    assert_int_equal(R.status, 404);
    call(&S, &R, "GET", path, NULL, OTHER.h);
    assert_int_equal(R.status, 200);
    act(&OTHER, id, "accept", NULL, 200);
    json_t *after = today_stats();
    assert_int_equal(unit_n(after, "cgj", "returned"), unit_n(before, "cgj", "returned"));
    assert_int_equal(unit_n(after, "cgj", "dispatched"), unit_n(before, "cgj", "dispatched"));
    assert_int_equal(unit_n(after, "heyangjd", "dispatched"), unit_n(before, "heyangjd", "dispatched") + 1);
    json_decref(before);
    json_decref(after);
}

/* 催办: the 督查室 reminds the unit at work on a case — an event the unit
 * reads, nothing else changes; only the 督查室, and only while a unit has it. */
static void urged_by_the_centre(void **st) {
    (void)st;
    int64_t id = intake();
    act(&DISP, id, "urge", "{\"note\":\"请抓紧办理\"}", 409); /* no unit has it yet */
    act(&DISP, id, "dispatch", "{\"unit\":\"cgj\"}", 200);
    json_t *v = J();
    char status[32], due[40];
    snprintf(status, sizeof status, "%s", S_(v, "status"));
    snprintf(due, sizeof due, "%s", S_(v, "resolve_due"));
    json_decref(v);
    act(&CLERK, id, "urge", "{\"note\":\"请抓紧办理\"}", 403);
    act(&LEADER, id, "urge", "{\"note\":\"请抓紧办理\"}", 403);
    act(&DISP, id, "urge", "{}", 422); /* what it asks is required */
    act(&DISP, id, "urge", "{\"note\":\"请于今日下班前反馈进展\"}", 200);
    v = J();
    assert_str(S_(v, "status"), status);
    assert_str(S_(v, "resolve_due"), due);
    json_decref(v);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)id);
    call(&S, &R, "GET", path, NULL, CLERK.h);
    assert_int_equal(R.status, 200);
    assert_non_null(strstr(R.body, "\"action\":\"urge\""));
    assert_non_null(strstr(R.body, "请于今日下班前反馈进展"));
}

/* 领导批示: a leader writes an instruction (with an earlier deadline) on a
 * case; the lead unit's clerk sees it first on the case and as a notice;
 * cases with one can be listed; nobody else writes one, and a later day is
 * refused. */
static void leaders_instructions(void **st) {
    (void)st;
    int64_t id = intake();
    act(&DISP, id, "dispatch", "{\"unit\":\"cgj\"}", 200);
    act(&CLERK, id, "accept", NULL, 200);
    json_t *v = J();
    char due[40], body[256], until[16], later[16];
    snprintf(due, sizeof due, "%s", S_(v, "resolve_due"));
    json_decref(v);
    time_t now = time(NULL) + 8 * 3600, far = now + 400 * 86400;
    strftime(until, sizeof until, "%Y-%m-%d", gmtime(&now)); /* today: earlier than 7 days on */
    strftime(later, sizeof later, "%Y-%m-%d", gmtime(&far));
    act(&CLERK, id, "instruct", "{\"note\":\"请尽快办理\"}", 403);
    act(&DISP, id, "instruct", "{\"note\":\"请尽快办理\"}", 403);
    act(&LEADER, id, "dispatch", "{\"unit\":\"cgj\"}", 403); /* still nothing else */
    snprintf(body, sizeof body, "{\"note\":\"请城管局今日内修复，确保夜间照明\",\"until\":\"%s\"}", later);
    act(&LEADER, id, "instruct", body, 422);
    snprintf(body, sizeof body, "{\"note\":\"请城管局今日内修复，确保夜间照明\",\"until\":\"%s\"}", until);
    act(&LEADER, id, "instruct", body, 200);
    v = J();
    assert_true(strcmp(S_(v, "resolve_due"), due) < 0); /* brought forward */
    assert_non_null(S_(v, "instructed_at"));
    json_decref(v);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)id);
    call(&S, &R, "GET", path, NULL, CLERK.h);
    assert_int_equal(R.status, 200);
    v = J();
    json_t *first = json_array_get(json_object_get(v, "instructions"), 0);
    assert_str(S_(first, "note"), "请城管局今日内修复，确保夜间照明");
    assert_str(S_(first, "actor"), "leader");
    json_decref(v);
    snprintf(path, sizeof path, "/api/v1/notices?case=%lld", (long long)id);
    call(&S, &R, "GET", path, NULL, CLERK.h);
    assert_int_equal(R.status, 200);
    assert_non_null(strstr(R.body, "\"deadline\":\"instruction\""));
    assert_non_null(strstr(R.body, "领导批示"));
    call(&S, &R, "GET", "/api/v1/cases?instructed=true&sort=newest&limit=200", NULL, CLERK.h);
    assert_int_equal(R.status, 200);
    v = J();
    size_t i;
    json_t *c;
    int found = 0;
    json_array_foreach(json_object_get(v, "cases"), i, c) {
        assert_non_null(S_(c, "instructed_at"));
        found += json_integer_value(json_object_get(c, "id")) == id;
    }
    assert_int_equal(found, 1);
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/cases?instructed=yes", NULL, CLERK.h);
    assert_int_equal(R.status, 400);
}

/* 回访 联系不上 through the API: an attempt is recorded (a dispatcher's or an
 * operator's, not a unit's); closing needs attempts on 3 different days. */
static void unreachable_visit_attempts(void **st) {
    (void)st;
    int64_t id = intake();
    act(&DISP, id, "dispatch", "{\"unit\":\"cgj\"}", 200);
    act(&CLERK, id, "accept", NULL, 200);
    act(&CLERK, id, "resolve", "{\"note\":\"已更换路灯灯泡\"}", 200);
    act(&CLERK, id, "unreachable", NULL, 403);
    act(&OP, id, "unreachable", NULL, 200);
    act(&DISP, id, "unreachable", NULL, 200); /* the same day: still one */
    json_t *v = J();
    assert_int_equal(json_integer_value(json_object_get(v, "unreachable_days")), 1);
    json_decref(v);
    act(&DISP, id, "close_unreachable", NULL, 409);
    assert_non_null(strstr(R.body, "3 are needed"));
    act(&DISP, id, "visit", "{\"satisfaction\":\"basic\",\"solved\":true}", 200); /* reached at last */
}

static const char *next_kind(json_t *c) { return S_(json_object_get(c, "next_due"), "kind"); }
static const char *next_at(json_t *c) { return S_(json_object_get(c, "next_due"), "due"); }

/* Which cases of `all` a filter should give, in the order a sort should give. */
typedef bool (*case_pred)(json_t *c, const void *arg);
static bool has_next(json_t *c, const void *a) { (void)a; return next_at(c) != NULL; }
static bool kind_is(json_t *c, const void *a) { return next_kind(c) && strcmp(next_kind(c), a) == 0; }
static bool due_before(json_t *c, const void *a) { return next_at(c) && strcmp(next_at(c), a) < 0; }
static bool is_overdue(json_t *c, const void *a) { (void)a; return !json_is_null(json_object_get(c, "overdue")); }
static bool appeal_is(json_t *c, const void *a) { return S_(c, "appeal_type") && strcmp(S_(c, "appeal_type"), a) == 0; }
static bool help_to_resolve(json_t *c, const void *a) {
    (void)a;
    return appeal_is(c, "help") && kind_is(c, "resolve");
}
static bool pending_is(json_t *c, const void *a) {
    json_t *p = json_object_get(c, "pending");
    return json_is_object(p) && (!a || strcmp(S_(p, "kind"), a) == 0);
}

static int by_due(const void *x, const void *y) {
    json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    int c = strcmp(next_at(a), next_at(b));
    if (c) return c;
    json_int_t i = json_integer_value(json_object_get(a, "id")), j = json_integer_value(json_object_get(b, "id"));
    return (i > j) - (i < j);
}

/* The API's pages (limit 7, cursors) give exactly the cases the client-side
 * filter picks from everything, in the sort's order. */
static json_t *case_json(session *who, int64_t id) {
    char path[64];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)id);
    call(&S, &R, "GET", path, NULL, who->h);
    if (R.status != 200) fail_msg("%s: %ld %s", path, R.status, R.body);
    return J();
}

/* The actions GET /cases/{id} offers: those this person may take now. */
static void actions_offered(void **st) {
    (void)st;
    static const struct { session *who; const char *step, *body, *want; } rows[] = {
        {&DISP, NULL, NULL, "dispatch,merge,reject,publish,answer"},
        {&OP, NULL, NULL, "merge,answer"},
        {&LEADER, NULL, NULL, "instruct"},
        {&DISP, "dispatch", "{\"unit\":\"cgj\",\"assist\":[\"heyangjd\"]}", "publish,reassign,urge"},
        {&CLERK, NULL, NULL, "accept,return"},
        {&OTHER, NULL, NULL, ""}, /* assisting: nothing until it is accepted */
        {&CLERK, "accept", NULL, "feedback,request_extension,resolve"},
        {&OTHER, NULL, NULL, "feedback"},
        {&DISP, NULL, NULL, "publish,reassign,urge"},
    };
    int64_t id = intake();
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        if (rows[i].step) act(rows[i].step[0] == 'a' ? &CLERK : &DISP, id, rows[i].step, rows[i].body, 200);
        json_t *v = case_json(rows[i].who, id), *a;
        char got[256] = "";
        size_t k;
        json_array_foreach(json_object_get(v, "actions"), k, a)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? "," : "", json_string_value(a));
        if (strcmp(got, rows[i].want)) fail_msg("row %zu: %s, want %s", i, got, rows[i].want);
        json_decref(v);
    }
}

/* 并案 that keeps the person: the duplicate follows its main case, its
 * requester gets the main case's result and a 回访 of their own, and the
 * figures count one matter (one dispatched to the unit, one received). */
static void merge_keeps_the_person(void **st) {
    (void)st;
    char body[160];
    json_t *before = today_stats(), *v;
    int64_t main_id = intake();
    call(&S, &R, "POST", "/api/v1/cases",
         "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"韩愈大街路灯坏了\","
         "\"requester_name\":\"王五\",\"requester_phone\":\"13900009999\"}", OP.h);
    assert_int_equal(R.status, 201);
    v = J();
    int64_t dup = json_integer_value(json_object_get(v, "id"));
    json_decref(v);
    /* bad merges change nothing */
    act(&OP, dup, "merge", "{\"note\":\"重复\"}", 422);
    assert_non_null(strstr(R.body, "\"into\""));
    act(&OP, dup, "merge", "{\"note\":\"重复\",\"into\":99999999}", 422);
    snprintf(body, sizeof body, "{\"note\":\"重复\",\"into\":%lld}", (long long)dup);
    act(&OP, dup, "merge", body, 422);
    snprintf(body, sizeof body, "{\"note\":\"重复\",\"into\":\"%lld\"}", (long long)main_id);
    act(&OP, dup, "merge", body, 422);
    snprintf(body, sizeof body, "{\"note\":\"与已受理诉求重复，合并办理\",\"into\":%lld}", (long long)main_id);
    act(&CLERK, dup, "merge", body, 403);
    act(&OP, dup, "merge", body, 200);
    v = J();
    assert_str(S_(v, "status"), "merged");
    assert_int_equal(json_integer_value(json_object_get(v, "merged_into")), main_id);
    json_decref(v);
    v = case_json(&DISP, dup);
    assert_str(S_(json_object_get(v, "main_case"), "status"), "received"); /* it follows the main */
    assert_str(S_(v, "requester_phone"), "13900009999");                  /* its own person */
    json_decref(v);
    v = case_json(&DISP, main_id);
    json_t *m = json_array_get(json_object_get(v, "merged_cases"), 0);
    assert_int_equal(json_integer_value(json_object_get(m, "id")), dup);
    assert_null(strstr(R.body, "13900009999")); /* the main case shows numbers, not people */
    json_decref(v);
    /* no chains of merges, no rejecting a matter others wait on */
    int64_t third = intake();
    snprintf(body, sizeof body, "{\"note\":\"重复\",\"into\":%lld}", (long long)dup);
    act(&OP, third, "merge", body, 409);
    act(&DISP, main_id, "reject", "{\"note\":\"不属于受理范围\"}", 409);
    act(&DISP, dup, "dispatch", "{\"unit\":\"cgj\"}", 409);
    snprintf(body, sizeof body, "{\"note\":\"已处理\",\"into\":%lld}", (long long)main_id);
    act(&DISP, dup, "follow", body, 403); /* the system's own */
    /* the main case is handled; the duplicate takes its result */
    act(&DISP, main_id, "dispatch", "{\"unit\":\"cgj\"}", 200);
    v = case_json(&DISP, dup);
    assert_str(S_(json_object_get(v, "main_case"), "status"), "dispatched");
    json_decref(v);
    act(&CLERK, main_id, "accept", NULL, 200);
    act(&CLERK, main_id, "resolve", "{\"note\":\"已更换韩愈大街路灯灯泡\"}", 200);
    v = case_json(&DISP, dup);
    assert_str(S_(v, "status"), "resolved");
    assert_str(S_(v, "result"), "已更换韩愈大街路灯灯泡");
    json_t *evs = json_object_get(v, "events");
    json_t *last = json_array_get(evs, json_array_size(evs) - 1);
    assert_str(S_(last, "action"), "follow");
    assert_str(S_(last, "actor"), "cgj.clerk");
    json_decref(v);
    act(&DISP, dup, "reopen", "{\"note\":\"不满意\"}", 409); /* the main case is reopened, not this */
    act(&OP, dup, "visit", "{\"satisfaction\":\"basic\",\"solved\":true}", 200);
    act(&DISP, dup, "close", NULL, 200);
    /* merged after the main case was resolved: the result at once */
    snprintf(body, sizeof body, "{\"note\":\"重复来电\",\"into\":%lld}", (long long)main_id);
    act(&OP, third, "merge", body, 200);
    v = J();
    assert_str(S_(v, "status"), "resolved");
    assert_str(S_(v, "result"), "已更换韩愈大街路灯灯泡");
    json_decref(v);
    /* one matter: three intakes, one received and dispatched; two merged */
    json_t *after = today_stats();
    assert_int_equal(centre_n(after, "received"), centre_n(before, "received") + 1);
    assert_int_equal(centre_n(after, "merged"), centre_n(before, "merged") + 2);
    assert_int_equal(centre_n(after, "answered"), centre_n(before, "answered"));
    assert_int_equal(unit_n(after, "cgj", "dispatched"), unit_n(before, "cgj", "dispatched") + 1);
    assert_int_equal(unit_n(after, "cgj", "resolved"), unit_n(before, "cgj", "resolved") + 1);
    /* each unit's cases by 诉求类型 add up to its dispatched less returned */
    json_t *u;
    size_t i;
    json_array_foreach(json_object_get(after, "units"), i, u) {
        json_int_t sum = 0;
        const char *k;
        json_t *n;
        json_object_foreach(json_object_get(u, "by_appeal_type"), k, n) sum += json_integer_value(n);
        assert_int_equal(sum, json_integer_value(json_object_get(u, "dispatched")) -
                                  json_integer_value(json_object_get(u, "returned")));
    }
    json_t *by = json_object_get(unit_row(after, "cgj"), "by_appeal_type");
    assert_int_equal(json_integer_value(json_object_get(by, "none")),
                     json_integer_value(json_object_get(json_object_get(unit_row(before, "cgj"),
                                                                        "by_appeal_type"), "none")) + 1);
    json_decref(before);
    json_decref(after);
}

static void expect_queue(session *who, json_t *all, const char *query, case_pred pred,
                         const void *arg, const char *sort) {
    size_t n = 0, i;
    json_t *c, **want = calloc(json_array_size(all) + 1, sizeof *want);
    bool due_sort = strcmp(sort, "next_due") == 0; /* lists only the cases held to a deadline */
    json_array_foreach(all, i, c) if (pred(c, arg) && (!due_sort || next_at(c))) want[n++] = c;
    if (due_sort)
        qsort(want, n, sizeof *want, by_due);
    else if (strcmp(sort, "newest") == 0)
        for (size_t a = 0, b = n ? n - 1 : 0; a < b; a++, b--) { json_t *t = want[a]; want[a] = want[b]; want[b] = t; }
    char path[512], cursor[64] = "";
    size_t got = 0;
    for (int pages = 0; pages < 2000; pages++) {
        snprintf(path, sizeof path, "/api/v1/cases?limit=7&sort=%s%s%s%s%s", sort, query[0] ? "&" : "",
                 query, cursor[0] ? "&cursor=" : "", cursor);
        call(&S, &R, "GET", path, NULL, who->h);
        if (R.status != 200) fail_msg("%s: %ld %s", path, R.status, R.body);
        json_t *v = J(), *next = json_object_get(v, "next_cursor");
        json_array_foreach(json_object_get(v, "cases"), i, c) {
            if (got >= n) fail_msg("%s: more than the %zu cases expected", path, n);
            json_int_t id = json_integer_value(json_object_get(c, "id"));
            json_int_t w = json_integer_value(json_object_get(want[got], "id"));
            if (id != w) fail_msg("%s: case %zu is %lld, want %lld", path, got, (long long)id, (long long)w);
            got++;
        }
        bool more = json_is_string(next);
        if (more) snprintf(cursor, sizeof cursor, "%s", json_string_value(next));
        json_decref(v);
        if (!more) break;
    }
    if (got != n) fail_msg("%s sort=%s: %zu cases, want %zu", query, sort, got, n);
    free(want);
}

static bool always(json_t *c, const void *a) { (void)c; (void)a; return true; }

/* The queries a work queue needs: sort by next deadline or newest; filter by
 * a pending request, the kind of the next (or missed) deadline, due before a
 * time, overdue; alone, together and within a unit, page after page. */
static void work_queues(void **st) {
    (void)st;
    /* one pending extension and one pending plan to find */
    call(&S, &R, "GET", "/api/v1/cases?status=accepted&class=general&limit=1", NULL, CLERK.h);
    json_t *v = J();
    int64_t ext = json_integer_value(json_object_get(json_array_get(json_object_get(v, "cases"), 0), "id"));
    json_decref(v);
    assert_true(ext > 0);
    char body[128], until[16];
    time_t later = time(NULL) + 60 * 86400 + 8 * 3600; /* 60 days on, in +08:00 */
    strftime(until, sizeof until, "%Y-%m-%d", gmtime(&later));
    snprintf(body, sizeof body, "{\"note\":\"需要更换设备\",\"until\":\"%s\"}", until);
    act(&CLERK, ext, "request_extension", body, 200);
    json_t *all = list_cases(&DISP, "");
    if (json_array_size(all) < 40) fail_msg("only %zu cases", json_array_size(all));
    static const char *const sorts[] = {"oldest", "newest", "next_due"};
    for (int k = 0; k < 3; k++) {
        const char *so = sorts[k];
        bool due_sort = k == 2;
        /* sorting by deadline lists the cases held to one */
        expect_queue(&DISP, all, "", due_sort ? has_next : always, NULL, so);
        expect_queue(&DISP, all, "pending=extension", pending_is, "extension", so);
        expect_queue(&DISP, all, "pending=any", pending_is, NULL, so);
        expect_queue(&DISP, all, "deadline=resolve", kind_is, "resolve", so);
        expect_queue(&DISP, all, "deadline=accept", kind_is, "accept", so);
        expect_queue(&DISP, all, "overdue=true", is_overdue, NULL, so);
        expect_queue(&DISP, all, "due_before=2026-11-01", due_before, "2026-11-01", so);
        expect_queue(&DISP, all, "appeal_type=complaint", appeal_is, "complaint", so);
        expect_queue(&DISP, all, "appeal_type=help&deadline=resolve", help_to_resolve, NULL, so);
    }
    json_decref(all);
    /* within a unit (a clerk's own queue, and a dispatcher's filter) */
    all = list_cases(&CLERK, "");
    assert_true(json_array_size(all) > 10);
    for (int k = 0; k < 3; k++) {
        expect_queue(&CLERK, all, "", k == 2 ? has_next : always, NULL, sorts[k]);
        expect_queue(&CLERK, all, "deadline=feedback", kind_is, "feedback", sorts[k]);
        expect_queue(&CLERK, all, "overdue=true", is_overdue, NULL, sorts[k]);
        expect_queue(&CLERK, all, "pending=extension", pending_is, "extension", sorts[k]);
    }
    json_decref(all);
    /* a bad value names its parameter, and nothing is listed */
    static const char *const bad[][2] = {
        {"sort=deadline", "sort"}, {"pending=yes", "pending"}, {"deadline=close", "deadline"},
        {"appeal_type=咨询", "appeal_type"},
        {"due_before=tomorrow", "due_before"}, {"sort=next_due&cursor=12", "cursor"},
        {"sort=next_due&cursor=.12", "cursor"}, {"sort=next_due&cursor=x.12", "cursor"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char path[128];
        snprintf(path, sizeof path, "/api/v1/cases?%s", bad[i][0]);
        call(&S, &R, "GET", path, NULL, DISP.h);
        if (R.status != 400 || !strstr(R.body, bad[i][1])) fail_msg("%s: %ld %s", path, R.status, R.body);
    }
}

/* A case's answer is written as text (case_out with a writer, and
 * case_event_write) where the command line builds the same case as a value
 * (case_to_json, case_event_to_json): for cases of every kind on the demo
 * and those the tests before made (instructions, merges, returns, reviews),
 * a leader's answer (contacts masked, as the command line shows them) holds
 * every member the command line shows, the same, and each 领导批示 is among
 * the instructions, newest first. */
static void a_case_reads_as_the_cli_shows_it(void **st) {
    (void)st;
    session leader;
    demo_login(&S, &leader, "leader");
    int64_t last = test_db_int(dbt, "SELECT max(id) FROM cases"),
            ins = test_db_int(dbt, "SELECT min(case_id) FROM events WHERE action = 'instruct'"),
            merged = test_db_int(dbt, "SELECT min(merged_into) FROM cases WHERE merged_into IS NOT NULL");
    cli_run *run = calloc(1, sizeof *run);
    int compared = 0, instructed = 0;
    for (int64_t id = 1; id <= last; id++) {
        if (id % 7 && id < last - 20 && id != ins && id != merged) continue;
        char path[64], num[24];
        snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)id);
        call(&S, &R, "GET", path, NULL, leader.h);
        want(200, path);
        json_t *api = J();
        snprintf(num, sizeof num, "%lld", (long long)id);
        const char *argv[] = {"duban", "--db", dbt, "case", "show", num, NULL};
        run_cli(run, argv);
        assert_int_equal(run->status, 0);
        json_t *cli = json_loads(run->out, 0, NULL), *events = json_object_get(api, "events"), *ev;
        const char *key;
        json_t *want_v;
        json_object_foreach(cli, key, want_v) {
            if (!strcmp(key, "notices")) continue; /* the command line's own */
            if (!json_equal(json_object_get(api, key), want_v))
                fail_msg("case %lld: '%s' differs:\nAPI %.600s\nCLI %.600s", (long long)id, key, R.body, run->out);
        }
        const char *newest = NULL;
        size_t i, n = 0;
        json_array_foreach(events, i, ev)
            if (!strcmp(S_(ev, "action"), "instruct")) newest = S_(ev, "at"), n++;
        json_t *list = json_object_get(api, "instructions");
        assert_int_equal(json_array_size(list), n);
        if (n) assert_str(S_(json_array_get(list, 0), "at"), newest);
        instructed += n > 0;
        compared++;
        json_decref(api);
        json_decref(cli);
    }
    free(run);
    assert_true(compared > 20);
    assert_true(instructed > 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lifecycle_across_roles), cmocka_unit_test(who_may_do_what),
        cmocka_unit_test(unknown_roles_are_refused), cmocka_unit_test(lead_and_assisting_units),
        cmocka_unit_test(passwords_end_sessions), cmocka_unit_test(overdue_says_which_deadline), cmocka_unit_test(work_queues), cmocka_unit_test(appeal_types), cmocka_unit_test(petitions_are_confidential), cmocka_unit_test(direct_answer_and_its_visit), cmocka_unit_test(reassign_is_not_a_return), cmocka_unit_test(merge_keeps_the_person), cmocka_unit_test(actions_offered), cmocka_unit_test(leaders_instructions), cmocka_unit_test(urged_by_the_centre), cmocka_unit_test(unreachable_visit_attempts),
        cmocka_unit_test(bad_requests_change_nothing), cmocka_unit_test(sessions_end),
        cmocka_unit_test(search_and_duplicates), cmocka_unit_test(new_cases_are_found_at_once), cmocka_unit_test(intake_is_idempotent),
        cmocka_unit_test(concurrent_intake), cmocka_unit_test(returned_queue), cmocka_unit_test(duplicates_review),
        cmocka_unit_test(logins_are_throttled), cmocka_unit_test(a_case_reads_as_the_cli_shows_it),
        /* last: it spends the operator's phone lookups for the hour */
        cmocka_unit_test(phone_lookups_and_the_access_log),
    };
    return run_http_suite(tests, setup, teardown);
}
