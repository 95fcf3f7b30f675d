/* Reference data, accounts, supervision and the audited reveal through the
 * real server: who may read and change what, and that figures agree with
 * the CLI's. */
#include "test.h"

#include <stdbool.h>

#include "tests/cli/run_cli.h"
#include "tests/http/demo_suite.h"

static session OP, DISP, CLERK, OTHER, LEADER, ADMIN, SEC, AUDITOR;

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "ref", "80");
    demo_login(&S, &OP, "operator");
    demo_login(&S, &DISP, "dispatcher");
    demo_login(&S, &CLERK, "cgj.clerk");
    demo_login(&S, &OTHER, "heyang.clerk");
    demo_login(&S, &LEADER, "leader");
    demo_login(&S, &ADMIN, "admin");
    demo_login(&S, &SEC, "security");
    demo_login(&S, &AUDITOR, "auditor");
    return 0;
}

static void expect(long status) {
    if (R.status != status) fail_msg("status %ld (want %ld): %.300s", R.status, status, R.body);
}

static void reference_data(void **st) {
    (void)st;
    call(&S, &R, "GET", "/api/v1/units", NULL, CLERK.h);
    expect(200);
    json_t *v = J();
    assert_true(json_array_size(json_object_get(v, "units")) >= 38);
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/categories", NULL, OP.h);
    expect(200);
    v = J();
    assert_int_equal(json_array_size(json_object_get(v, "categories")), 46);
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/calendar?year=2026", NULL, OP.h);
    expect(200);
    v = J();
    assert_int_equal(json_array_size(json_object_get(v, "days")), 39);
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/calendar?year=abc", NULL, OP.h);
    expect(400);
}

static void policy_edits(void **st) {
    (void)st;
    call(&S, &R, "PUT", "/api/v1/policy/hotline/general/resolve", "{\"rule\":\"5 workday\"}", CLERK.h);
    expect(403);
    call(&S, &R, "PUT", "/api/v1/policy/hotline/general/resolve", "{\"rule\":\"5 weeks\"}", DISP.h);
    expect(422);
    call(&S, &R, "PUT", "/api/v1/policy/fax/general/resolve", "{\"rule\":\"5 day\"}", DISP.h);
    expect(404);
    call(&S, &R, "PUT", "/api/v1/policy/hotline/general/resolve", "{\"rule\":\"5 workday\"}", DISP.h);
    expect(200);
    call(&S, &R, "GET", "/api/v1/policy", NULL, LEADER.h);
    expect(200);
    json_t *v = J();
    assert_str(json_string_value(json_object_get(json_array_get(json_object_get(v, "policy"), 1), "resolve")),
               "5 workday");
    json_decref(v);
    call(&S, &R, "PUT", "/api/v1/policy/hotline/general/resolve", "{\"rule\":\"7 day\"}", ADMIN.h);
    expect(200);
}

/* A deadline counted beyond the loaded calendar is provisional: the case
 * says so, an administrator is reminded (overview), and importing that year
 * counts it again, one "recompute" event per case. Whatever today is, a
 * petition dispatched now is due 60 days on: the test imports that year. */
static void provisional_deadlines(void **st) {
    (void)st;
    call(&S, &R, "POST", "/api/v1/cases",
         "{\"channel\":\"petition\",\"class\":\"general\",\"title\":\"拖欠工资\"}", OP.h);
    expect(201);
    json_t *v = J();
    int64_t id = json_integer_value(json_object_get(v, "id"));
    json_decref(v);
    char path[96], due[40], body[256];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/dispatch", (long long)id);
    call(&S, &R, "POST", path, "{\"unit\":\"cgj\"}", DISP.h);
    expect(200);
    v = J();
    snprintf(due, sizeof due, "%s", json_string_value(json_object_get(v, "resolve_due")));
    json_t *p = json_object_get(v, "provisional");
    int year = atoi(due);
    if (year <= 2026) { /* the built-in calendar ends with 2026 */
        json_decref(v);
        skip();
    }
    assert_true(json_array_size(p) >= 1);
    assert_str(json_string_value(json_array_get(p, json_array_size(p) - 1)), "resolve_due");
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/stats/overview", NULL, ADMIN.h);
    expect(200);
    v = J();
    int64_t before = json_integer_value(json_object_get(v, "provisional_deadlines"));
    assert_true(before >= 1);
    json_t *rem = json_array_get(json_object_get(v, "reminders"), 0);
    assert_str(json_string_value(json_object_get(rem, "kind")), "calendar");
    assert_true(json_integer_value(json_object_get(rem, "import_year")) <= year);
    json_decref(v);
    /* the year's notice arrives: the statutory days counted so far and, as
     * a bridging day, the deadline's last day */
    snprintf(path, sizeof path, "/api/v1/calendar?year=%d", year);
    call(&S, &R, "GET", path, NULL, ADMIN.h);
    expect(200);
    v = J();
    assert_true(json_is_true(json_object_get(v, "provisional")));
    json_object_del(v, "provisional");
    json_object_del(v, "basis");
    snprintf(body, sizeof body, "%.10s", due);
    json_array_append_new(json_object_get(v, "days"),
                          json_pack("{s:s, s:s, s:b}", "name", "测试", "date", body, "isOffDay", 1));
    char *notice = json_dumps(v, 0);
    json_decref(v);
    call(&S, &R, "POST", "/api/v1/calendar", notice, ADMIN.h);
    free(notice);
    expect(200);
    v = J();
    assert_true(json_integer_value(json_object_get(v, "recomputed")) >= 1);
    json_decref(v);
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)id);
    call(&S, &R, "GET", path, NULL, DISP.h);
    expect(200);
    v = J();
    const char *now_due = json_string_value(json_object_get(v, "resolve_due"));
    assert_true(strcmp(now_due, due) > 0); /* moved past the holiday */
    assert_int_equal(json_array_size(json_object_get(v, "provisional")), 0);
    json_t *evs = json_object_get(v, "events");
    json_t *last = json_array_get(evs, json_array_size(evs) - 1);
    assert_str(json_string_value(json_object_get(last, "action")), "recompute");
    assert_str(json_string_value(json_object_get(last, "actor")), "admin");
    assert_non_null(strstr(R.body, due)); /* what it was */
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/stats/overview", NULL, ADMIN.h);
    v = J();
    assert_true(json_integer_value(json_object_get(v, "provisional_deadlines")) < before);
    json_decref(v);
    /* the system's action is no one's to ask for */
    snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/recompute", (long long)id);
    call(&S, &R, "POST", path, "{}", DISP.h);
    expect(403);
}

static void calendar_import(void **st) {
    (void)st;
    /* not imported: the statutory days under the law in force, provisional */
    call(&S, &R, "GET", "/api/v1/calendar?year=2030", NULL, OP.h); /* a year no test imports */
    expect(200);
    json_t *p = J();
    assert_true(json_is_true(json_object_get(p, "provisional")));
    assert_non_null(strstr(json_string_value(json_object_get(p, "basis")), "国务院令第795号"));
    json_t *pd = json_object_get(p, "days");
    assert_int_equal(json_array_size(pd), 13);
    assert_string_equal(json_string_value(json_object_get(json_array_get(pd, 1), "date")), "2030-02-02"); /* 除夕 */
    assert_string_equal(json_string_value(json_object_get(json_array_get(pd, 1), "name")), "春节");
    json_decref(p);
    unsigned char before[32], after[32];
    test_db_digest_except(dbt, "sessions,access_log,login_failures", before);
    call(&S, &R, "POST", "/api/v1/calendar", "{\"year\":2027,\"days\":[],\"holidays\":[]}", ADMIN.h);
    expect(422);
    call(&S, &R, "POST", "/api/v1/calendar", "{\"year\":2027,", ADMIN.h);
    expect(400);
    call(&S, &R, "POST", "/api/v1/calendar", "{\"year\":2027,\"days\":[]}", DISP.h);
    expect(403);
    test_db_digest_except(dbt, "sessions,access_log,login_failures", after);
    assert_memory_equal(before, after, 32);
    call(&S, &R, "POST", "/api/v1/calendar",
         "{\"year\":2027,\"days\":[{\"name\":\"元旦\",\"date\":\"2027-01-01\",\"isOffDay\":true}]}", ADMIN.h);
    expect(200);
    call(&S, &R, "GET", "/api/v1/calendar?year=2027", NULL, OP.h);
    json_t *v = J();
    assert_int_equal(json_array_size(json_object_get(v, "days")), 1);
    assert_null(json_object_get(v, "provisional")); /* imported: the year as the notice has it */
    json_decref(v);
}

static void accounts_and_tokens(void **st) {
    (void)st;
    call(&S, &R, "GET", "/api/v1/users", NULL, DISP.h);
    expect(403);
    call(&S, &R, "POST", "/api/v1/users", "{\"username\":\"new.op\",\"role\":\"boss\",\"password\":\"longenough1\"}", SEC.h);
    expect(422);
    call(&S, &R, "POST", "/api/v1/users", "{\"username\":\"new.op\",\"role\":\"operator\",\"password\":\"short\"}", SEC.h);
    expect(422);
    /* the password rule, from the first password: two kinds of characters, not the username */
    call(&S, &R, "POST", "/api/v1/users", "{\"username\":\"new.op\",\"role\":\"operator\",\"password\":\"aaaaaaaaaaaa\"}", SEC.h);
    expect(422);
    assert_non_null(strstr(R.body, "two kinds"));
    call(&S, &R, "POST", "/api/v1/users", "{\"username\":\"new.op\",\"role\":\"operator\",\"password\":\"new.op-12345\"}", SEC.h);
    expect(422);
    assert_non_null(strstr(R.body, "username"));
    call(&S, &R, "POST", "/api/v1/users", "{\"username\":\"new.op\",\"role\":\"operator\",\"password\":\"longenough1\"}", SEC.h);
    expect(201);
    call(&S, &R, "POST", "/api/v1/users", "{\"username\":\"new.op\",\"role\":\"operator\",\"password\":\"longenough1\"}", SEC.h);
    expect(409);
    call(&S, &R, "GET", "/api/v1/users", NULL, SEC.h);
    expect(200);
    json_t *users = J(), *u;
    size_t i;
    int found = 0;
    json_array_foreach(json_object_get(users, "users"), i, u) {
        assert_null(json_object_get(u, "password_hash")); /* never leaves the store */
        found |= strcmp(json_string_value(json_object_get(u, "username")), "new.op") == 0;
    }
    assert_true(found);
    json_decref(users);
    session s;
    assert_int_equal(login(&S, &s, "new.op", "longenough1"), 200);
    /* an API token for an integration: works as Bearer until revoked */
    call(&S, &R, "POST", "/api/v1/tokens", "{\"name\":\"wechat-bridge\",\"role\":\"operator\"}", SEC.h);
    expect(201);
    json_t *v = J();
    char bearer[128];
    snprintf(bearer, sizeof bearer, "Authorization: Bearer %s", json_string_value(json_object_get(v, "token")));
    char revoke[64];
    snprintf(revoke, sizeof revoke, "/api/v1/tokens/%lld", (long long)json_integer_value(json_object_get(v, "id")));
    json_decref(v);
    const char *h[] = {bearer, "Content-Type: application/json", NULL};
    call(&S, &R, "POST", "/api/v1/cases", "{\"channel\":\"open311\",\"class\":\"general\",\"title\":\"来自接口\"}", h);
    expect(201); /* no CSRF token needed without a cookie */
    call(&S, &R, "DELETE", revoke, NULL, SEC.h);
    expect(200);
    call(&S, &R, "GET", "/api/v1/cases?limit=1", NULL, h);
    expect(401);
}

/* The same figures as `duban stats` on the same database. */
static void stats_agree_with_the_cli(void **st) {
    (void)st;
    /* a period without a case: no units, no crash */
    call(&S, &R, "GET", "/api/v1/stats?from=2001-01-01&to=2001-02-01", NULL, DISP.h);
    expect(200);
    json_t *none = J();
    assert_int_equal(json_array_size(json_object_get(none, "units")), 0);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(none, "centre"), "received")), 0);
    assert_true(json_is_null(json_object_get(json_object_get(none, "centre"), "answer_rate")));
    json_decref(none);
    call(&S, &R, "GET", "/api/v1/stats?from=2026-03-01&to=2026-04-01&at=2026-03-31T18:00:00%2B08:00", NULL, LEADER.h);
    expect(200);
    assert_short_reals(R.body);
    assert_non_null(strstr(R.body, "_rate\":0.")); /* rates are reals, written short */
    json_t *api = J();
    cli_run *run = calloc(1, sizeof *run);
    const char *argv[] = {"duban", "--db", dbt, "stats", "--from", "2026-03-01", "--to", "2026-04-01",
                          "--at", "2026-03-31T18:00:00+08:00", NULL};
    run_cli(run, argv);
    assert_int_equal(run->status, 0);
    json_t *cli = json_loads(run->out, 0, NULL);
    free(run);
    assert_non_null(cli);
    assert_true(json_equal(json_object_get(api, "total"), json_object_get(cli, "total")));
    assert_true(json_equal(json_object_get(api, "units"), json_object_get(cli, "units")));
    assert_true(json_integer_value(json_object_get(json_object_get(api, "total"), "dispatched")) > 0);
    json_decref(cli);
    call(&S, &R, "GET", "/api/v1/stats?from=2026-03-01", NULL, LEADER.h);
    expect(400);
    /* a unit's clerk reads its own unit's figures: the same row, and that is the total */
    call(&S, &R, "GET", "/api/v1/stats?from=2026-03-01&to=2026-04-01&at=2026-03-31T18:00:00%2B08:00", NULL, CLERK.h);
    expect(200);
    json_t *mine = J(), *row = json_array_get(json_object_get(mine, "units"), 0);
    assert_int_equal(json_array_size(json_object_get(mine, "units")), 1);
    assert_str(json_string_value(json_object_get(json_object_get(row, "unit"), "code")), "cgj");
    json_t *want = NULL, *r;
    size_t ui;
    json_array_foreach(json_object_get(api, "units"), ui, r)
        if (!strcmp(json_string_value(json_object_get(json_object_get(r, "unit"), "code")), "cgj")) want = r;
    assert_non_null(want);
    assert_true(json_equal(row, want));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(mine, "total"), "dispatched")),
                     json_integer_value(json_object_get(row, "dispatched")));
    json_decref(mine);
    json_decref(api);
    call(&S, &R, "GET", "/api/v1/stats/overview", NULL, DISP.h);
    expect(200);
    json_t *v = J();
    json_t *by = json_object_get(v, "by_status");
    int64_t sum = 0;
    const char *k;
    json_t *x;
    json_object_foreach(by, k, x) sum += json_integer_value(x);
    assert_int_equal(sum, json_integer_value(json_object_get(v, "cases")));
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/notices", NULL, DISP.h);
    expect(200);
    v = J();
    json_t *n;
    size_t i;
    size_t all = json_array_size(json_object_get(v, "notices"));
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/notices", NULL, CLERK.h);
    expect(200);
    v = J();
    json_array_foreach(json_object_get(v, "notices"), i, n)
        assert_str(json_string_value(json_object_get(json_object_get(n, "unit"), "code")), "cgj");
    assert_true(json_array_size(json_object_get(v, "notices")) <= all);
    json_decref(v);
}

static void reveal_is_logged(void **st) {
    (void)st;
    call(&S, &R, "POST", "/api/v1/cases",
         "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"噪音扰民\",\"requester_name\":\"李四\","
         "\"requester_phone\":\"13900001111\"}", OP.h);
    expect(201);
    json_t *v = J();
    int64_t id = json_integer_value(json_object_get(v, "id"));
    json_decref(v);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/reveal", (long long)id);
    call(&S, &R, "POST", path, "{}", LEADER.h);
    expect(422); /* a reason is required */
    call(&S, &R, "POST", path, "{\"reason\":\"市长批示需回访本人\"}", LEADER.h);
    expect(200);
    v = J();
    assert_str(json_string_value(json_object_get(v, "requester_phone")), "13900001111");
    json_decref(v);
    call(&S, &R, "POST", path, "{\"reason\":\"看看\"}", OTHER.h);
    expect(404); /* not its unit's case */
    call(&S, &R, "GET", "/api/v1/access-log", NULL, LEADER.h);
    expect(403);
    call(&S, &R, "GET", "/api/v1/access-log", NULL, AUDITOR.h);
    expect(200);
    v = J();
    json_t *entry;
    size_t i;
    int found = 0;
    json_array_foreach(json_object_get(v, "entries"), i, entry)
        if (strcmp(json_string_value(json_object_get(entry, "action")), "reveal") == 0 &&
            json_integer_value(json_object_get(entry, "case_id")) == id) {
            assert_str(json_string_value(json_object_get(entry, "actor")), "leader");
            assert_str(json_string_value(json_object_get(entry, "detail")), "市长批示需回访本人");
            found++;
        }
    assert_int_equal(found, 1);
    json_decref(v);
}

/* No log, no data: when the access-log entry cannot be written (a full disk;
 * here a trigger makes every insert fail), a reveal and a page of cases with
 * contact details in full return nothing private, and say why (503). */
static void unlogged_reveals_return_nothing(void **st) {
    (void)st;
    call(&S, &R, "POST", "/api/v1/cases",
         "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"楼道堆物\",\"requester_name\":\"王五\","
         "\"requester_phone\":\"13700003333\"}", OP.h);
    expect(201);
    json_t *v = J();
    int64_t id = json_integer_value(json_object_get(v, "id"));
    json_decref(v);
    bool pg = getenv("DUBAN_TEST_PG") != NULL;
    test_db_exec(dbt, pg ? "CREATE FUNCTION no_log() RETURNS trigger LANGUAGE plpgsql AS"
                           " $$BEGIN RAISE EXCEPTION 'disk full'; END$$;"
                           "CREATE TRIGGER no_log BEFORE INSERT ON access_log"
                           " FOR EACH ROW EXECUTE FUNCTION no_log();"
                         : "CREATE TRIGGER no_log BEFORE INSERT ON access_log"
                           " BEGIN SELECT RAISE(FAIL, 'disk full'); END;");
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/reveal", (long long)id);
    call(&S, &R, "POST", path, "{\"reason\":\"需回访本人\"}", LEADER.h);
    long reveal = R.status;
    bool leaked = strstr(R.body, "13700003333") != NULL;
    call(&S, &R, "GET", "/api/v1/cases?limit=200&sort=newest", NULL, DISP.h);
    long page = R.status;
    leaked |= strstr(R.body, "13700003333") != NULL;
    test_db_exec(dbt, pg ? "DROP TRIGGER no_log ON access_log; DROP FUNCTION no_log();"
                         : "DROP TRIGGER no_log;");
    assert_false(leaked);
    assert_int_equal(reveal, 503);
    assert_int_equal(page, 503);
    /* and with the log back, both work again */
    call(&S, &R, "POST", path, "{\"reason\":\"需回访本人\"}", LEADER.h);
    expect(200);
    assert_non_null(strstr(R.body, "13700003333"));
}

static void confidential_cases(void **st) {
    (void)st;
    call(&S, &R, "POST", "/api/v1/cases",
         "{\"channel\":\"petition\",\"class\":\"general\",\"title\":\"举报事项\",\"requester_name\":\"王五\","
         "\"requester_phone\":\"13700002222\",\"confidential\":true}", OP.h);
    expect(201);
    json_t *v = J();
    int64_t id = json_integer_value(json_object_get(v, "id"));
    json_decref(v);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/dispatch", (long long)id);
    call(&S, &R, "POST", path, "{\"unit\":\"cgj\"}", DISP.h);
    expect(200);
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)id);
    call(&S, &R, "GET", path, NULL, CLERK.h);
    expect(200);
    v = J();
    assert_true(json_is_null(json_object_get(v, "requester_name")));
    assert_true(json_is_null(json_object_get(v, "requester_phone")));
    json_decref(v);
    snprintf(path, sizeof path, "/api/v1/cases/%lld/reveal", (long long)id);
    call(&S, &R, "POST", path, "{\"reason\":\"need to call\"}", CLERK.h);
    expect(403);
}

/* The security administrator disables, enables and resets accounts (not
 * their own; sessions end), the auditor checks the chain, and the access log filters by
 * actor and action, newest first, paged. */
static void accounts_kept_and_audited(void **st) {
    (void)st;
    session who;
    call(&S, &R, "POST", "/api/v1/users",
         "{\"username\":\"kept.clerk\",\"role\":\"handler\",\"unit\":\"cgj\",\"password\":\"Kept-clerk-2026\"}",
         SEC.h);
    expect(201);
    assert_int_equal(login(&S, &who, "kept.clerk", "Kept-clerk-2026"), 200);
    call(&S, &R, "PUT", "/api/v1/users/kept.clerk/disabled", "{\"disabled\":true}", DISP.h);
    expect(403);
    call(&S, &R, "PUT", "/api/v1/users/kept.clerk/disabled", "{\"disabled\":true}", SEC.h);
    expect(200);
    assert_non_null(strstr(R.body, "\"disabled\":true"));
    call(&S, &R, "GET", "/api/v1/me", NULL, who.h); /* its session ended */
    expect(401);
    assert_int_equal(login(&S, &who, "kept.clerk", "Kept-clerk-2026"), 403);
    call(&S, &R, "PUT", "/api/v1/users/security/disabled", "{\"disabled\":true}", SEC.h);
    expect(409); /* not one's own */
    call(&S, &R, "PUT", "/api/v1/users/nobody/disabled", "{\"disabled\":true}", SEC.h);
    expect(404);
    call(&S, &R, "PUT", "/api/v1/users/kept.clerk/disabled", "{\"disabled\":\"no\"}", SEC.h);
    expect(422);
    call(&S, &R, "PUT", "/api/v1/users/kept.clerk/disabled", "{\"disabled\":false}", SEC.h);
    expect(200);
    call(&S, &R, "PUT", "/api/v1/users/kept.clerk/password", "{\"password\":\"short\"}", SEC.h);
    expect(422);
    assert_non_null(strstr(R.body, "\"password\""));
    call(&S, &R, "PUT", "/api/v1/users/kept.clerk/password", "{\"password\":\"Reset-by-admin-9\"}", SEC.h);
    expect(200);
    assert_int_equal(login(&S, &who, "kept.clerk", "Kept-clerk-2026"), 401);
    assert_int_equal(login(&S, &who, "kept.clerk", "Reset-by-admin-9"), 200);
    /* the chain holds; the check is logged */
    call(&S, &R, "GET", "/api/v1/audit", NULL, ADMIN.h);
    expect(403);
    call(&S, &R, "GET", "/api/v1/audit", NULL, AUDITOR.h);
    expect(200);
    json_t *v = J();
    assert_true(json_is_true(json_object_get(v, "ok")));
    assert_true(json_integer_value(json_object_get(v, "cases")) > 0);
    assert_true(json_is_null(json_object_get(v, "first_broken")));
    json_decref(v);
    /* filtered, newest first, and paged by before */
    call(&S, &R, "GET", "/api/v1/access-log?order=newest&actor=security&limit=2", NULL, AUDITOR.h);
    expect(200);
    v = J();
    json_t *entries = json_object_get(v, "entries");
    assert_int_equal(json_array_size(entries), 2);
    json_int_t first = json_integer_value(json_object_get(json_array_get(entries, 0), "id"));
    json_int_t second = json_integer_value(json_object_get(json_array_get(entries, 1), "id"));
    assert_true(first > second);
    /* the security administrator's reset, then the enabling before it */
    assert_string_equal(json_string_value(json_object_get(json_array_get(entries, 0), "action")), "password_reset");
    assert_string_equal(json_string_value(json_object_get(json_array_get(entries, 1), "action")), "user_enabled");
    json_decref(v);
    char path[160];
    snprintf(path, sizeof path, "/api/v1/access-log?order=newest&actor=security&before=%lld&limit=1", (long long)second);
    call(&S, &R, "GET", path, NULL, AUDITOR.h);
    expect(200);
    v = J();
    assert_true(json_integer_value(json_object_get(json_array_get(json_object_get(v, "entries"), 0), "id")) < second);
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/access-log?action=user_disabled", NULL, AUDITOR.h);
    expect(200);
    v = J();
    size_t i;
    json_t *a;
    assert_true(json_array_size(json_object_get(v, "entries")) >= 1);
    json_array_foreach(json_object_get(v, "entries"), i, a)
        assert_string_equal(json_string_value(json_object_get(a, "action")), "user_disabled");
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/access-log?action=audit_verify", NULL, AUDITOR.h);
    expect(200);
    assert_non_null(strstr(R.body, "audit_verify"));
    call(&S, &R, "GET", "/api/v1/access-log?order=sideways", NULL, AUDITOR.h);
    expect(400);
    call(&S, &R, "GET", "/api/v1/access-log?limit=0", NULL, AUDITOR.h);
    expect(400);
}

/* An administrator adds units and categories and lists the API tokens;
 * others may not; duplicates and unknown parents are refused. */
static void reference_kept_by_an_administrator(void **st) {
    (void)st;
    call(&S, &R, "POST", "/api/v1/units", "{\"code\":\"xzfw\",\"name\":\"市行政服务中心\",\"kind\":\"dept\"}", DISP.h);
    expect(403);
    call(&S, &R, "POST", "/api/v1/units", "{\"code\":\"xzfw\",\"name\":\"市行政服务中心\",\"kind\":\"dept\"}", ADMIN.h);
    expect(201);
    call(&S, &R, "POST", "/api/v1/units", "{\"code\":\"xzfw\",\"name\":\"again\",\"kind\":\"dept\"}", ADMIN.h);
    expect(409);
    call(&S, &R, "POST", "/api/v1/units", "{\"code\":\"x2\",\"name\":\"x\",\"kind\":\"village\"}", ADMIN.h);
    expect(422);
    call(&S, &R, "POST", "/api/v1/units", "{\"code\":\"x3\",\"name\":\"x\",\"kind\":\"dept\",\"parent\":\"nope\"}", ADMIN.h);
    expect(422);
    call(&S, &R, "GET", "/api/v1/units", NULL, CLERK.h);
    expect(200);
    assert_non_null(strstr(R.body, "市行政服务中心"));
    call(&S, &R, "POST", "/api/v1/categories",
         "{\"code\":\"zw.window\",\"name\":\"窗口服务\",\"unit\":\"xzfw\"}", ADMIN.h);
    expect(201);
    call(&S, &R, "POST", "/api/v1/categories",
         "{\"code\":\"zw.window.wait\",\"name\":\"排队时间长\",\"parent\":\"zw.window\",\"unit\":\"xzfw\"}", ADMIN.h);
    expect(201);
    call(&S, &R, "POST", "/api/v1/categories", "{\"code\":\"zw.x\",\"name\":\"x\",\"parent\":\"no.such\"}", ADMIN.h);
    expect(422);
    call(&S, &R, "POST", "/api/v1/categories", "{\"code\":\"zw.window\",\"name\":\"x\"}", ADMIN.h);
    expect(409);
    call(&S, &R, "GET", "/api/v1/categories", NULL, OP.h);
    expect(200);
    assert_non_null(strstr(R.body, "排队时间长"));
    /* tokens: listed without secrets, revoked ones marked */
    call(&S, &R, "POST", "/api/v1/tokens", "{\"name\":\"wechat\",\"role\":\"operator\"}", SEC.h);
    expect(201);
    json_t *v = J();
    const char *secret = json_string_value(json_object_get(v, "token"));
    char hidden[80];
    snprintf(hidden, sizeof hidden, "%s", secret);
    json_int_t id = json_integer_value(json_object_get(v, "id"));
    json_decref(v);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/tokens/%lld", (long long)id);
    call(&S, &R, "DELETE", path, NULL, SEC.h);
    expect(200);
    call(&S, &R, "GET", "/api/v1/tokens", NULL, DISP.h);
    expect(403);
    call(&S, &R, "GET", "/api/v1/tokens", NULL, SEC.h);
    expect(200);
    assert_null(strstr(R.body, hidden));
    v = J();
    json_t *first = json_array_get(json_object_get(v, "tokens"), 0);
    assert_int_equal(json_integer_value(json_object_get(first, "id")), id);
    assert_string_equal(json_string_value(json_object_get(first, "name")), "wechat");
    assert_true(json_is_string(json_object_get(first, "revoked_at")));
    json_decref(v);
}

/* Reply templates: kept by the administrator, read by those who write on
 * cases; a category's own first, then its parent's, then those for every
 * category; bad input changes nothing. */
static void reply_templates(void **st) {
    (void)st;
    call(&S, &R, "POST", "/api/v1/reply-templates", "{\"title\":\"x\",\"body\":\"y\"}", DISP.h);
    expect(403);
    call(&S, &R, "POST", "/api/v1/reply-templates",
         "{\"title\":\"通用办结\",\"body\":\"您反映的问题已办理完毕。\"}", ADMIN.h);
    expect(201);
    call(&S, &R, "POST", "/api/v1/reply-templates",
         "{\"title\":\"市容类办结\",\"body\":\"经城管中队现场处置，问题已整改。\",\"category\":\"cg\"}", ADMIN.h);
    expect(201);
    call(&S, &R, "POST", "/api/v1/reply-templates",
         "{\"title\":\"垃圾清运\",\"body\":\"已安排环卫车辆清运，并加密巡查。\",\"category\":\"cg.garbage\"}", ADMIN.h);
    expect(201);
    json_t *v = J();
    json_int_t id = json_integer_value(json_object_get(v, "id"));
    json_decref(v);
    call(&S, &R, "POST", "/api/v1/reply-templates", "{\"title\":\" \",\"body\":\"y\"}", ADMIN.h);
    expect(422);
    assert_non_null(strstr(R.body, "\"title\""));
    call(&S, &R, "POST", "/api/v1/reply-templates", "{\"title\":\"t\",\"body\":\"y\",\"category\":\"no.such\"}", ADMIN.h);
    expect(422);
    call(&S, &R, "GET", "/api/v1/reply-templates?category=cg.garbage", NULL, CLERK.h);
    expect(200);
    v = J();
    json_t *t = json_object_get(v, "templates");
    assert_int_equal(json_array_size(t), 3); /* its own, its parent's, everyone's */
    assert_string_equal(json_string_value(json_object_get(json_array_get(t, 0), "title")), "垃圾清运");
    assert_string_equal(json_string_value(json_object_get(json_array_get(t, 1), "title")), "市容类办结");
    assert_string_equal(json_string_value(json_object_get(json_array_get(t, 2), "title")), "通用办结");
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/reply-templates?category=jy", NULL, CLERK.h); /* another branch */
    expect(200);
    assert_null(strstr(R.body, "垃圾清运"));
    assert_non_null(strstr(R.body, "通用办结"));
    call(&S, &R, "GET", "/api/v1/reply-templates?category=no.such", NULL, CLERK.h);
    expect(400);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/reply-templates/%lld", (long long)id);
    call(&S, &R, "PUT", path, "{\"title\":\"垃圾清运（夜间）\",\"body\":\"已安排夜间清运。\",\"category\":\"cg.garbage\"}", ADMIN.h);
    expect(200);
    assert_non_null(strstr(R.body, "夜间"));
    call(&S, &R, "DELETE", path, NULL, ADMIN.h);
    expect(200);
    call(&S, &R, "DELETE", path, NULL, ADMIN.h);
    expect(404);
    call(&S, &R, "GET", "/api/v1/reply-templates", NULL, AUDITOR.h);
    expect(403);
}

/* Units renamed, categories renamed and given another unit, a category's
 * attributes added, changed in place and removed by an administrator —
 * Open311's service definition follows; bad input is named and changes
 * nothing; no one else may. */
static const char *attr_codes(const char *cat, char *out, size_t cap) {
    char path[96];
    snprintf(path, sizeof path, "/api/v1/categories/%s/attributes", cat);
    call(&S, &R, "GET", path, NULL, OP.h);
    expect(200);
    json_t *v = J(), *a;
    size_t i, n = 0;
    out[0] = 0;
    json_array_foreach(json_object_get(v, "attributes"), i, a)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? "," : "",
                              json_string_value(json_object_get(a, "code")));
    json_decref(v);
    return out;
}

static void categories_and_attributes_edited(void **st) {
    (void)st;
    char codes[256];
    call(&S, &R, "PATCH", "/api/v1/units/cgj", "{\"name\":\"市城市管理局（综合行政执法局）\"}", DISP.h);
    expect(403);
    call(&S, &R, "PATCH", "/api/v1/units/cgj", "{\"name\":\"市城市管理局（综合行政执法局）\"}", ADMIN.h);
    expect(200);
    call(&S, &R, "GET", "/api/v1/cases?unit=cgj&limit=1", NULL, DISP.h);
    expect(200);
    assert_non_null(strstr(R.body, "市城市管理局（综合行政执法局）")); /* the cases follow */
    call(&S, &R, "PATCH", "/api/v1/units/no-such", "{\"name\":\"x\"}", ADMIN.h);
    expect(404);
    call(&S, &R, "PATCH", "/api/v1/units/cgj", "{\"name\":\"\"}", ADMIN.h);
    expect(422);
    call(&S, &R, "PATCH", "/api/v1/units/cgj", "{\"name\":\"城管局\",\"kind\":\"township\"}", ADMIN.h);
    expect(422);
    assert_non_null(strstr(R.body, "kind"));
    call(&S, &R, "PATCH", "/api/v1/categories/cg.manhole", "{\"name\":\"井盖问题\",\"unit\":\"cgj\"}", ADMIN.h);
    expect(200);
    json_t *v = J();
    assert_string_equal(json_string_value(json_object_get(v, "name")), "井盖问题");
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "unit"), "code")), "cgj");
    json_decref(v);
    call(&S, &R, "PATCH", "/api/v1/categories/cg.manhole", "{\"unit\":\"no-such\"}", ADMIN.h);
    expect(422);
    assert_non_null(strstr(R.body, "\"field\":\"unit\""));
    call(&S, &R, "PATCH", "/api/v1/categories/cg.manhole", "{\"unit\":\"\"}", ADMIN.h);
    expect(200);
    assert_non_null(strstr(R.body, "\"unit\":null"));
    call(&S, &R, "PATCH", "/api/v1/categories/cg.manhole", "{\"name\":\"x\"}", CLERK.h);
    expect(403);
    /* attributes */
    assert_string_equal(attr_codes("cg.manhole", codes, sizeof codes), "manhole_type");
    const char *depth = "{\"datatype\":\"number\",\"description\":\"塌陷深度（厘米）\"}";
    call(&S, &R, "PUT", "/api/v1/categories/cg.manhole/attributes/depth", depth, DISP.h);
    expect(403);
    call(&S, &R, "PUT", "/api/v1/categories/cg.manhole/attributes/depth", depth, ADMIN.h);
    expect(201);
    assert_string_equal(attr_codes("cg.manhole", codes, sizeof codes), "manhole_type,depth");
    call(&S, &R, "PUT", "/api/v1/categories/cg.manhole/attributes/manhole_type",
         "{\"datatype\":\"singlevaluelist\",\"description\":\"井盖类型\",\"required\":true,"
         "\"values\":[{\"key\":\"rain\",\"name\":\"雨水井\"},{\"key\":\"gas\",\"name\":\"燃气井\"}]}",
         ADMIN.h);
    expect(200); /* changed in place: its order kept */
    assert_string_equal(attr_codes("cg.manhole", codes, sizeof codes), "manhole_type,depth");
    call(&S, &R, "GET", "/open311/v2/services/cg.manhole.json", NULL, NULL);
    expect(200);
    assert_non_null(strstr(R.body, "燃气井"));
    assert_non_null(strstr(R.body, "塌陷深度"));
    assert_null(strstr(R.body, "污水井"));
    static const struct { const char *attr, *body, *field; } bad[] = {
        {"kind", "{\"datatype\":\"shape\",\"description\":\"x\"}", "datatype"},
        {"kind", "{\"datatype\":\"singlevaluelist\",\"description\":\"x\"}", "values"},
        {"kind", "{\"datatype\":\"string\",\"description\":\"x\",\"values\":[{\"key\":\"a\",\"name\":\"A\"}]}", "values"},
        {"kind", "{\"datatype\":\"singlevaluelist\",\"description\":\"x\",\"values\":[{\"key\":\"a\",\"name\":\"A\"},{\"key\":\"a\",\"name\":\"B\"}]}", "values"},
        {"kind", "{\"datatype\":\"singlevaluelist\",\"description\":\"x\",\"values\":[{\"key\":\"a\"}]}", "values"},
        {"kind", "{\"datatype\":\"singlevaluelist\",\"description\":\"x\",\"values\":\"a\"}", "values"},
        {"kind", "{\"datatype\":\"singlevaluelist\",\"description\":\"x\",\"values\":[{\"key\":\"A B\",\"name\":\"x\"}]}", "values"},
        {"kind", "{\"datatype\":\"string\"}", "description"},
        {"kind", "{\"datatype\":\"string\",\"description\":\"x\",\"colour\":1}", "colour"},
        {"Bad-Code", "{\"datatype\":\"string\",\"description\":\"x\"}", "code"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char path[128], want[64];
        snprintf(path, sizeof path, "/api/v1/categories/cg.manhole/attributes/%s", bad[i].attr);
        call(&S, &R, "PUT", path, bad[i].body, ADMIN.h);
        if (R.status != 422) fail_msg("bad[%zu]: %ld %s", i, R.status, R.body);
        snprintf(want, sizeof want, "\"field\":\"%s\"", bad[i].field);
        if (!strstr(R.body, want)) fail_msg("bad[%zu]: %s (want %s)", i, R.body, want);
    }
    assert_string_equal(attr_codes("cg.manhole", codes, sizeof codes), "manhole_type,depth");
    call(&S, &R, "PUT", "/api/v1/categories/no.such/attributes/depth", depth, ADMIN.h);
    expect(404);
    call(&S, &R, "DELETE", "/api/v1/categories/cg.manhole/attributes/depth", NULL, ADMIN.h);
    expect(200);
    call(&S, &R, "DELETE", "/api/v1/categories/cg.manhole/attributes/depth", NULL, ADMIN.h);
    expect(404);
    assert_string_equal(attr_codes("cg.manhole", codes, sizeof codes), "manhole_type");
    /* as they were, for the suites after this one */
    call(&S, &R, "PATCH", "/api/v1/units/cgj", "{\"name\":\"市城市管理局\"}", ADMIN.h);
    expect(200);
}

/* When failed logins cannot be recorded (a full disk), guessing is not
 * free: the server keeps the count itself, and the right password after a
 * run of wrong ones is still held back (the throttle fails closed). */
static void logins_fail_closed(void **st) {
    (void)st;
    cli_run *run = calloc(1, sizeof *run);
    const char *argv[] = {"duban", "--db", dbt, "user", "add", "guess.me", "operator", "--password", "Guess-Me-2026", NULL};
    run_cli(run, argv);
    if (run->status != 0) fail_msg("user add: %s", run->err);
    free(run);
    bool pg = getenv("DUBAN_TEST_PG") != NULL;
    test_db_exec(dbt, pg ? "CREATE FUNCTION no_fail() RETURNS trigger LANGUAGE plpgsql AS"
                           " $$BEGIN RAISE EXCEPTION 'disk full'; END$$;"
                           "CREATE TRIGGER no_fail BEFORE INSERT OR UPDATE ON login_failures"
                           " FOR EACH ROW EXECUTE FUNCTION no_fail();"
                         : "CREATE TRIGGER no_fail_i BEFORE INSERT ON login_failures"
                           " BEGIN SELECT RAISE(FAIL, 'disk full'); END;"
                           "CREATE TRIGGER no_fail_u BEFORE UPDATE ON login_failures"
                           " BEGIN SELECT RAISE(FAIL, 'disk full'); END;");
    session s;
    int refused = 0;
    for (int i = 0; i < 14; i++) {
        int status = login(&S, &s, "guess.me", "wrong-password");
        assert_true(status == 401 || status == 429);
        refused += status == 429;
    }
    int last = login(&S, &s, "guess.me", "Guess-Me-2026");
    test_db_exec(dbt, pg ? "DROP TRIGGER no_fail ON login_failures; DROP FUNCTION no_fail();"
                         : "DROP TRIGGER no_fail_i; DROP TRIGGER no_fail_u;");
    assert_true(refused > 0);
    assert_int_equal(last, 429);
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM login_failures WHERE key LIKE '%guess.me%'"), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reference_data),   cmocka_unit_test(policy_edits),
        cmocka_unit_test(provisional_deadlines), cmocka_unit_test(calendar_import),  cmocka_unit_test(accounts_and_tokens),
        cmocka_unit_test(stats_agree_with_the_cli), cmocka_unit_test(reveal_is_logged), cmocka_unit_test(unlogged_reveals_return_nothing), cmocka_unit_test(logins_fail_closed),
        cmocka_unit_test(confidential_cases), cmocka_unit_test(accounts_kept_and_audited),
        cmocka_unit_test(reference_kept_by_an_administrator), cmocka_unit_test(reply_templates), cmocka_unit_test(categories_and_attributes_edited),
    };
    return run_http_suite(tests, setup, teardown);
}
