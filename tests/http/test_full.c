/* A full or read-only disk, on each driver (injected: while the file
 * $DUBAN_FAULT_FULL names exists, every statement that writes fails as a
 * full disk does). Intake and actions answer 503 storage_full and change
 * nothing; reading goes on — lists, a search whose page would show contacts
 * (shown masked, as nothing unlogged is shown), a case, the figures; signing
 * in works (a signed pass instead of a session row) and signing out; a
 * reveal, whose access-log entry cannot be written, shows nothing; the
 * command line is refused as the API is. When space is back, writes work
 * again without a restart. */
#include "test.h"

#include "tests/cli/run_cli.h"
#include "tests/http/demo_suite.h"

static session OP, DISP;
static char flag[128];

static int setup(void **st) {
    (void)st;
    snprintf(flag, sizeof flag, "/tmp/duban-full-%d", (int)getpid());
    unlink(flag);
    setenv("DUBAN_FAULT_FULL", flag, 1); /* the server started below, and the CLI, watch it */
    demo_server(&S, dbt, sizeof dbt, "full", "20");
    demo_login(&S, &OP, "operator");
    demo_login(&S, &DISP, "dispatcher");
    return 0;
}

static int stop(void **st) {
    unlink(flag);
    unsetenv("DUBAN_FAULT_FULL");
    return teardown(st);
}

static void disk(bool full) {
    if (full) {
        FILE *f = fopen(flag, "w");
        fclose(f);
    } else {
        unlink(flag);
    }
}

static const char *code_of(void) {
    static char code[32];
    json_t *v = json_loads(R.body, 0, NULL);
    snprintf(code, sizeof code, "%s", json_string_value(json_object_get(json_object_get(v, "error"), "code")) ?: "");
    json_decref(v);
    return code;
}

#define INTAKE "{\"channel\":\"hotline\",\"class\":\"general\",\"title\":\"磁盘满时的来电\"," \
               "\"requester_name\":\"王五\",\"requester_phone\":\"13700002222\"}"

static void writes_refused_reads_go_on(void **st) {
    (void)st;
    call(&S, &R, "POST", "/api/v1/cases", INTAKE, OP.h); /* one waiting to be dispatched */
    want(201, "intake");
    json_t *v = J();
    int64_t open_case = I_(v, "id");
    json_decref(v);
    unsigned char before[32], after[32];
    disk(true);
    test_db_digest_except(dbt, "sessions", before);
    /* writes: refused whole, said so */
    call(&S, &R, "POST", "/api/v1/cases", INTAKE, OP.h);
    want(503, "intake on a full disk");
    assert_string_equal(code_of(), "storage_full");
    assert_non_null(strstr(R.body, "nothing was saved"));
    char path[128];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/dispatch", (long long)open_case);
    call(&S, &R, "POST", path, "{\"unit\":\"cgj\"}", DISP.h);
    want(503, "an action on a full disk");
    assert_string_equal(code_of(), "storage_full");
    /* reads */
    call(&S, &R, "GET", "/api/v1/cases?limit=50", NULL, DISP.h);
    want(200, "a list");
    call(&S, &R, "GET", "/api/v1/cases?channel=hotline&limit=50", NULL, DISP.h); /* calls, with phones in full */
    want(200, "a search that shows contacts");
    v = J();
    json_t *c;
    size_t i;
    int masked = 0;
    json_array_foreach(json_object_get(v, "cases"), i, c) {
        const char *phone = S_(c, "requester_phone");
        if (phone) {
            assert_non_null(strchr(phone, '*')); /* unlogged: masked */
            masked++;
        }
    }
    assert_true(masked > 0);
    json_decref(v);
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)open_case);
    call(&S, &R, "GET", path, NULL, DISP.h);
    want(200, "a case");
    call(&S, &R, "GET", "/api/v1/stats/overview", NULL, DISP.h);
    want(200, "the overview");
    /* a reveal cannot be logged: nothing shown */
    snprintf(path, sizeof path, "/api/v1/cases/%lld/reveal", (long long)open_case);
    call(&S, &R, "POST", path, "{\"reason\":\"回访核实\"}", DISP.h);
    want(503, "a reveal on a full disk");
    assert_null(strstr(R.body, "requester"));
    /* signing in and out */
    session L;
    assert_int_equal(login(&S, &L, "leader", "mz13710#lea"), 200);
    assert_non_null(strstr(L.cookie, "p1."));
    call(&S, &R, "GET", "/api/v1/me", NULL, L.h);
    want(200, "me, with a pass");
    call(&S, &R, "GET", "/api/v1/cases?limit=5", NULL, L.h);
    want(200, "a list, with a pass");
    call(&S, &R, "POST", "/api/v1/auth/logout", "{}", L.h);
    want(200, "signing out with a pass");
    /* the command line too */
    cli_run *run = calloc(1, sizeof *run);
    const char *cli[] = {"duban", "--db", dbt, "user", "disable", "leader", NULL};
    run_cli(run, cli);
    assert_int_not_equal(run->status, 0);
    assert_non_null(strstr(run->err, "full"));
    free(run);
    test_db_digest_except(dbt, "sessions", after);
    assert_memory_equal(before, after, 32); /* nothing written */
    /* space is back: no restart */
    disk(false);
    call(&S, &R, "POST", "/api/v1/cases", INTAKE, OP.h);
    want(201, "intake once space is back");
    snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/dispatch", (long long)open_case);
    call(&S, &R, "POST", path, "{\"unit\":\"cgj\"}", DISP.h);
    want(200, "the action once space is back");
    assert_int_equal(login(&S, &L, "leader", "mz13710#lea"), 200);
    assert_null(strstr(L.cookie, "p1.")); /* a session again */
}

/* A pass is signed: changed by a byte, or an account disabled since, it is refused. */
static void passes_are_checked(void **st) {
    (void)st;
    disk(true);
    session L;
    assert_int_equal(login(&S, &L, "leader", "mz13710#lea"), 200);
    disk(false);
    char forged[sizeof L.cookie];
    snprintf(forged, sizeof forged, "%s", L.cookie);
    char *uid = strstr(forged, "p1.") + 3;
    *uid = *uid == '1' ? '2' : '1'; /* another user */
    const char *h[] = {forged, NULL};
    call(&S, &R, "GET", "/api/v1/me", NULL, h);
    want(401, "a forged pass");
    call(&S, &R, "GET", "/api/v1/me", NULL, L.h);
    want(200, "the pass");
    /* signed out, a pass is refused from then on, though the disk is still full */
    disk(true);
    session M;
    assert_int_equal(login(&S, &M, "leader", "mz13710#lea"), 200);
    assert_non_null(strstr(M.cookie, "p1."));
    call(&S, &R, "POST", "/api/v1/auth/logout", "{}", M.h);
    want(200, "signing out with a pass");
    call(&S, &R, "GET", "/api/v1/me", NULL, M.h);
    want(401, "a pass signed out");
    disk(false);
    session SEC; /* the security administrator keeps the accounts */
    demo_login(&S, &SEC, "security");
    call(&S, &R, "PUT", "/api/v1/users/leader/disabled", "{\"disabled\":true}", SEC.h);
    want(200, "disabled");
    call(&S, &R, "GET", "/api/v1/me", NULL, L.h);
    want(401, "the pass of a disabled account");
    call(&S, &R, "PUT", "/api/v1/users/leader/disabled", "{\"disabled\":false}", SEC.h);
    want(200, "enabled");
    /* a new password ends the pass signed under the old one */
    call(&S, &R, "GET", "/api/v1/me", NULL, L.h);
    want(200, "the pass, the account enabled again");
    call(&S, &R, "PUT", "/api/v1/users/leader/password", "{\"password\":\"Leader-New-2026\"}", SEC.h);
    want(200, "a new password");
    call(&S, &R, "GET", "/api/v1/me", NULL, L.h);
    want(401, "a pass from before the new password");
    call(&S, &R, "PUT", "/api/v1/users/leader/password", "{\"password\":\"mz13710#lea\"}", SEC.h);
    want(200, "the demo's password again");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writes_refused_reads_go_on),
        cmocka_unit_test(passes_are_checked),
    };
    return run_http_suite(tests, setup, stop);
}
