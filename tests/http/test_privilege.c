/* Every change of privilege is in the access log, on each driver, through
 * the API and the command line, and made only by the administrator whose
 * duty it is (三员分立): a user created, a role changed, an account
 * disabled and enabled, a password reset, an API token issued and revoked,
 * a deadline rule changed, a setting (the composite's weights) changed, a
 * calendar imported, a 通报 published — each one entry naming who and what;
 * a refused change writes none. */
#include "test.h"

#include "tests/cli/run_cli.h"
#include "tests/http/demo_suite.h"

static session ADMIN, SEC, AUDITOR, DISP;

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "privilege", "10");
    demo_login(&S, &ADMIN, "admin");
    demo_login(&S, &SEC, "security");
    demo_login(&S, &AUDITOR, "auditor");
    demo_login(&S, &DISP, "dispatcher");
    return 0;
}

/* How many entries of this action the auditor sees. */
static size_t entries(const char *action) {
    char path[128];
    snprintf(path, sizeof path, "/api/v1/access-log?action=%s&limit=1000", action);
    call(&S, &R, "GET", path, NULL, AUDITOR.h);
    want(200, path);
    json_t *v = J();
    size_t n = json_array_size(json_object_get(v, "entries"));
    json_decref(v);
    return n;
}

/* The newest entry of this action is by actor and its detail holds needle. */
static void logged(const char *action, const char *actor, const char *needle) {
    char path[128];
    snprintf(path, sizeof path, "/api/v1/access-log?action=%s&order=newest&limit=1", action);
    call(&S, &R, "GET", path, NULL, AUDITOR.h);
    want(200, path);
    json_t *v = J(), *a = json_array_get(json_object_get(v, "entries"), 0);
    if (!a) fail_msg("no %s in the access log", action);
    if (strcmp(S_(a, "actor"), actor) || !S_(a, "detail") || !strstr(S_(a, "detail"), needle))
        fail_msg("%s: by %s, '%s' (want by %s, naming %s)", action, S_(a, "actor"), S_(a, "detail"), actor, needle);
    json_decref(v);
}

/* A change through the API: its status, then its one new entry; the
 * change's answer (owned). */
static json_t *api_change(const char *method, const char *path, const char *body, const session *who, long status,
                          const char *action, const char *needle) {
    size_t before = entries(action);
    call(&S, &R, method, path, body, who->h);
    want(status, path);
    json_t *answer = J();
    assert_int_equal(entries(action), before + 1);
    logged(action, who == &DISP ? "dispatcher" : who == &SEC ? "security" : "admin", needle);
    return answer;
}

static void through_the_api(void **st) {
    (void)st;
    json_decref(api_change("POST", "/api/v1/users",
               "{\"username\":\"wang.clerk\",\"role\":\"handler\",\"unit\":\"cgj\",\"password\":\"Wang-Clerk-2026!\"}",
               &SEC, 201, "user_created", "wang.clerk role=handler unit=cgj"));
    json_decref(api_change("PUT", "/api/v1/users/wang.clerk/role", "{\"role\":\"dispatcher\"}", &SEC, 200, "role_changed",
               "wang.clerk role handler@cgj -> dispatcher"));
    json_decref(api_change("PUT", "/api/v1/users/wang.clerk/disabled", "{\"disabled\":true}", &SEC, 200, "user_disabled",
               "wang.clerk"));
    json_decref(api_change("PUT", "/api/v1/users/wang.clerk/disabled", "{\"disabled\":false}", &SEC, 200, "user_enabled",
               "wang.clerk"));
    json_decref(api_change("PUT", "/api/v1/users/wang.clerk/password", "{\"password\":\"Another-Secret-77\"}", &SEC, 200,
               "password_reset", "wang.clerk"));
    json_t *v = api_change("POST", "/api/v1/tokens", "{\"name\":\"sms-gateway\",\"role\":\"operator\"}", &SEC,
                           201, "token_issued", "sms-gateway role=operator");
    char path[64], id[24];
    snprintf(id, sizeof id, "%lld", (long long)I_(v, "id"));
    json_decref(v);
    snprintf(path, sizeof path, "/api/v1/tokens/%s", id);
    json_decref(api_change("DELETE", path, NULL, &SEC, 200, "token_revoked", id));
    json_decref(api_change("PUT", "/api/v1/policy/hotline/general/resolve", "{\"rule\":\"5 workday\"}", &ADMIN, 200,
               "policy_changed", "hotline/general/resolve=5 workday"));
    json_decref(api_change("PUT", "/api/v1/config/rank_min_dispatched", "{\"value\":\"8\"}", &ADMIN, 200, "config_changed",
               "rank_min_dispatched=8"));
    json_decref(api_change("PUT", "/api/v1/schemes/2026", "{\"preset\":\"jinhua\"}", &ADMIN, 200, "scheme_set",
               "year=2026 scheme=jinhua"));
    json_decref(api_change("POST", "/api/v1/calendar",
               "{\"year\":2031,\"days\":[{\"name\":\"元旦\",\"date\":\"2031-01-01\",\"isOffDay\":true}]}", &ADMIN, 200,
               "calendar_imported", "2031: 1 days off"));
    json_decref(api_change("POST", "/api/v1/bulletins", "{\"month\":\"2026-03\"}", &DISP, 201, "bulletin_published", "第"));
}

/* A change refused, for any reason, leaves the log as it was. */
static void refused_writes_none(void **st) {
    (void)st;
    static const struct { const char *method, *path, *body, *action; long status; } bad[] = {
        {"PUT", "/api/v1/users/wang.clerk/role", "{\"role\":\"emperor\"}", "role_changed", 422},
        {"PUT", "/api/v1/users/wang.clerk/role", "{\"role\":\"handler\"}", "role_changed", 422}, /* no unit */
        {"PUT", "/api/v1/users/nobody/role", "{\"role\":\"leader\"}", "role_changed", 404},
        {"PUT", "/api/v1/users/security/role", "{\"role\":\"leader\"}", "role_changed", 409}, /* one's own */
        {"PUT", "/api/v1/users/security/disabled", "{\"disabled\":true}", "user_disabled", 409}, /* one's own */
        /* 三员分立: the administrators' accounts only on the command line */
        {"POST", "/api/v1/users", "{\"username\":\"new.admin\",\"role\":\"admin\",\"password\":\"Long-Enough-1\"}",
         "user_created", 403},
        {"POST", "/api/v1/users", "{\"username\":\"new.aud\",\"role\":\"auditor\",\"password\":\"Long-Enough-1\"}",
         "user_created", 403},
        {"PUT", "/api/v1/users/wang.clerk/role", "{\"role\":\"security\"}", "role_changed", 403},
        {"PUT", "/api/v1/users/auditor/role", "{\"role\":\"leader\"}", "role_changed", 403},
        {"PUT", "/api/v1/users/admin/disabled", "{\"disabled\":true}", "user_disabled", 403},
        {"PUT", "/api/v1/users/auditor/password", "{\"password\":\"Taken-Over-2026\"}", "password_reset", 403},
        {"POST", "/api/v1/tokens", "{\"name\":\"root\",\"role\":\"admin\"}", "token_issued", 403},
        {"PUT", "/api/v1/users/wang.clerk/password", "{\"password\":\"weakweakweak\"}", "password_reset", 422},
        {"POST", "/api/v1/users", "{\"username\":\"Bad Name\",\"role\":\"leader\",\"password\":\"Long-Enough-1\"}",
         "user_created", 422},
        {"PUT", "/api/v1/policy/hotline/general/resolve", "{\"rule\":\"soon\"}", "policy_changed", 422},
        {"DELETE", "/api/v1/tokens/999999", NULL, "token_revoked", 404},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        size_t before = entries(bad[i].action);
        bool accounts = !strncmp(bad[i].path, "/api/v1/users", 13) || !strncmp(bad[i].path, "/api/v1/tokens", 14);
        call(&S, &R, bad[i].method, bad[i].path, bad[i].body, accounts ? SEC.h : ADMIN.h);
        if (R.status != bad[i].status)
            fail_msg("%s %s: %ld (want %ld) %s", bad[i].method, bad[i].path, R.status, bad[i].status, R.body);
        assert_int_equal(entries(bad[i].action), before);
    }
    /* and a dispatcher may not change roles at all */
    call(&S, &R, "PUT", "/api/v1/users/wang.clerk/role", "{\"role\":\"leader\"}", DISP.h);
    want(403, "a dispatcher");
}

/* The same changes from the command line, by its actor. */
static void from_the_command_line(void **st) {
    (void)st;
    char cal[64];
    snprintf(cal, sizeof cal, "/tmp/duban-privilege-cal-%d.json", (int)getpid());
    FILE *f = fopen(cal, "w");
    fputs("{\"year\":2032,\"days\":[{\"name\":\"元旦\",\"date\":\"2032-01-01\",\"isOffDay\":true}]}", f);
    fclose(f);
    const struct { const char *argv[10], *action, *needle; } runs[] = {
        {{"duban", "--db", dbt, "user", "add", "li.lead", "leader", "--password", "Li-Lead-Secret-1", NULL},
         "user_created", "li.lead role=leader"},
        {{"duban", "--db", dbt, "user", "role", "li.lead", "auditor", NULL}, "role_changed", "li.lead role leader -> auditor"},
        {{"duban", "--db", dbt, "user", "disable", "li.lead", NULL}, "user_disabled", "li.lead"},
        {{"duban", "--db", dbt, "user", "enable", "li.lead", NULL}, "user_enabled", "li.lead"},
        {{"duban", "--db", dbt, "user", "passwd", "li.lead", "--password", "Li-Lead-Secret-2", NULL}, "password_reset",
         "li.lead"},
        {{"duban", "--db", dbt, "token", "create", "gis", "leader", NULL}, "token_issued", "gis role=leader"},
        {{"duban", "--db", dbt, "policy", "set", "qr", "general", "resolve", "10 workday", NULL}, "policy_changed",
         "qr/general/resolve=10 workday"},
        {{"duban", "--db", dbt, "config", "set", "proposal_redo_days", "20", NULL}, "config_changed",
         "proposal_redo_days=20"},
        {{"duban", "--db", dbt, "calendar", "import", cal, NULL}, "calendar_imported", "2032: 1 days off"},
    };
    cli_run *run = calloc(1, sizeof *run);
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
        size_t before = entries(runs[i].action);
        run_cli(run, runs[i].argv);
        if (run->status) fail_msg("%s %s: %s", runs[i].argv[3], runs[i].argv[4], run->err);
        assert_int_equal(entries(runs[i].action), before + 1);
        logged(runs[i].action, "cli", runs[i].needle);
    }
    /* the token just made, revoked */
    call(&S, &R, "GET", "/api/v1/tokens", NULL, SEC.h);
    json_t *v = J();
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)I_(json_array_get(json_object_get(v, "tokens"), 0), "id"));
    json_decref(v);
    const char *revoke[] = {"duban", "--db", dbt, "token", "revoke", id, NULL};
    run_cli(run, revoke);
    assert_int_equal(run->status, 0);
    logged("token_revoked", "cli", id);
    /* refused: nothing logged */
    size_t before = entries("role_changed");
    const char *bad[] = {"duban", "--db", dbt, "user", "role", "li.lead", "handler", NULL};
    run_cli(run, bad);
    assert_int_not_equal(run->status, 0);
    assert_non_null(strstr(run->err, "unit"));
    assert_int_equal(entries("role_changed"), before);
    /* the command line holds a reset password to the API's strength rule */
    before = entries("password_reset");
    const char *weak[] = {"duban", "--db", dbt, "user", "passwd", "li.lead", "--password", "weakweakweak", NULL};
    run_cli(run, weak);
    assert_int_not_equal(run->status, 0);
    assert_non_null(strstr(run->err, "password"));
    assert_int_equal(entries("password_reset"), before);
    free(run);
    unlink(cal);
}

/* GET /me's must_change_password for this session. */
static bool must_change(const session *who) {
    call(&S, &R, "GET", "/api/v1/me", NULL, who->h);
    want(200, "/api/v1/me");
    json_t *v = J();
    bool must = json_is_true(json_object_get(v, "must_change_password"));
    json_decref(v);
    return must;
}

/* A session that must change its password is refused anything else. */
static void held_back(const session *who) {
    json_t *v;
    call(&S, &R, "GET", "/api/v1/cases?limit=1", NULL, who->h);
    want(403, "a password still to change");
    assert_str(error_code(&R, &v), "password_change_required");
    json_decref(v);
}

/* 三员分立 (等保 2.0 level 3): the system administrator keeps units and
 * settings, the security administrator the business roles' accounts, the
 * auditor reads the logs; none does another's work, nor reads a case; the
 * administrators' own accounts are made only on the command line; every
 * grant is in the log the auditor reads. A password set by someone else is
 * changed before anything else is done (the demo's accounts excepted). */
static void three_administrators(void **st) {
    (void)st;
    static const char *const disp = "{\"username\":\"x.disp\",\"role\":\"dispatcher\",\"password\":\"Long-Enough-1\"}";
    const struct { const session *who; const char *method, *path, *body; } not_theirs[] = {
        {&ADMIN, "GET", "/api/v1/users", NULL},
        {&ADMIN, "POST", "/api/v1/users", disp},
        {&ADMIN, "POST", "/api/v1/tokens", "{\"name\":\"x\",\"role\":\"operator\"}"},
        {&ADMIN, "GET", "/api/v1/access-log", NULL},
        {&ADMIN, "GET", "/api/v1/cases", NULL},
        {&SEC, "PUT", "/api/v1/config/rank_min_dispatched", "{\"value\":\"9\"}"},
        {&SEC, "POST", "/api/v1/units", "{\"code\":\"x\",\"name\":\"某局\"}"},
        {&SEC, "GET", "/api/v1/access-log", NULL},
        {&SEC, "GET", "/api/v1/cases", NULL},
        {&AUDITOR, "POST", "/api/v1/users", disp},
        {&AUDITOR, "PUT", "/api/v1/config/rank_min_dispatched", "{\"value\":\"9\"}"},
        {&AUDITOR, "DELETE", "/api/v1/tokens/1", NULL},
        {&AUDITOR, "GET", "/api/v1/cases", NULL},
    };
    for (size_t i = 0; i < sizeof not_theirs / sizeof *not_theirs; i++) {
        call(&S, &R, not_theirs[i].method, not_theirs[i].path, not_theirs[i].body, not_theirs[i].who->h);
        if (R.status != 403) fail_msg("row %zu: %s %s: %ld %s", i, not_theirs[i].method, not_theirs[i].path, R.status, R.body);
    }
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM users WHERE username = 'x.disp'"), 0);
    /* the security administrator's grant, seen by the auditor */
    json_decref(api_change("POST", "/api/v1/users",
               "{\"username\":\"zhao.disp\",\"role\":\"dispatcher\",\"password\":\"Zhao-Disp-2026\"}", &SEC, 201,
               "user_created", "zhao.disp role=dispatcher"));
    /* the password it was given is changed first, to another */
    session z;
    assert_int_equal(login(&S, &z, "zhao.disp", "Zhao-Disp-2026"), 200);
    assert_true(must_change(&z));
    held_back(&z);
    call(&S, &R, "POST", "/api/v1/me/password",
         "{\"current_password\":\"Zhao-Disp-2026\",\"new_password\":\"Zhao-Disp-2026\"}", z.h);
    want(422, "the same password again");
    assert_non_null(strstr(R.body, "new_password"));
    call(&S, &R, "POST", "/api/v1/me/password",
         "{\"current_password\":\"Zhao-Disp-2026\",\"new_password\":\"Zhao-Own-Choice-7\"}", z.h);
    want(200, "the first change");
    assert_int_equal(login(&S, &z, "zhao.disp", "Zhao-Own-Choice-7"), 200);
    assert_false(must_change(&z));
    call(&S, &R, "GET", "/api/v1/cases?limit=1", NULL, z.h);
    want(200, "changed: at work");
    /* a reset by the security administrator: changed first again */
    json_t *reset = api_change("PUT", "/api/v1/users/zhao.disp/password", "{\"password\":\"Reset-For-Zhao-8\"}", &SEC,
                               200, "password_reset", "zhao.disp");
    assert_true(json_is_true(json_object_get(reset, "must_change_password")));
    json_decref(reset);
    assert_int_equal(login(&S, &z, "zhao.disp", "Reset-For-Zhao-8"), 200);
    held_back(&z);
    /* the command line makes the administrators: a password it sets is
     * changed at first sign-in, unless the holder typed it (--own-password) */
    cli_run *run = calloc(1, sizeof *run);
    const char *sec[] = {"duban", "--db", dbt, "user", "add", "qian.sec", "security", "--password", "Qian-Sec-2026", NULL};
    run_cli(run, sec);
    if (run->status) fail_msg("user add: %s", run->err);
    assert_non_null(strstr(run->out, "\"must_change_password\": true"));
    const char *aud[] = {"duban", "--db", dbt, "user", "add", "sun.aud", "auditor", "--password", "Sun-Audit-2026",
                         "--own-password", NULL};
    run_cli(run, aud);
    if (run->status) fail_msg("user add --own-password: %s", run->err);
    assert_non_null(strstr(run->out, "\"must_change_password\": false"));
    /* an administrator's token, made on the command line: not the security
     * administrator's to revoke */
    const char *root[] = {"duban", "--db", dbt, "token", "create", "root-tool", "admin", NULL};
    run_cli(run, root);
    if (run->status) fail_msg("token create: %s", run->err);
    json_t *made = json_loads(run->out, 0, NULL);
    char revoke[64];
    snprintf(revoke, sizeof revoke, "/api/v1/tokens/%lld", (long long)I_(made, "id"));
    json_decref(made);
    call(&S, &R, "DELETE", revoke, NULL, SEC.h);
    want(403, "an administrator's token");
    assert_non_null(strstr(R.body, "command line"));
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM api_tokens WHERE name = 'root-tool' AND revoked_at IS NULL"), 1);
    free(run);
    logged("user_created", "cli", "sun.aud role=auditor");
    session q, a;
    assert_int_equal(login(&S, &q, "qian.sec", "Qian-Sec-2026"), 200);
    call(&S, &R, "GET", "/api/v1/users", NULL, q.h);
    want(403, "a new security administrator before the change");
    assert_int_equal(login(&S, &a, "sun.aud", "Sun-Audit-2026"), 200);
    call(&S, &R, "GET", "/api/v1/access-log?action=user_created&limit=5", NULL, a.h);
    want(200, "the auditor from the command line");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(through_the_api),
        cmocka_unit_test(refused_writes_none),
        cmocka_unit_test(from_the_command_line),
        cmocka_unit_test(three_administrators),
    };
    return run_http_suite(tests, setup, teardown);
}
