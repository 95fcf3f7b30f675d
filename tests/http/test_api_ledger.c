/* The 清零 ledger through the API on each driver: per unit, the open cases it
 * leads and the overdue ones, adding up to the whole and each equal to the
 * case list that shows them; every open case carries its step, age and days
 * overdue; closing a case takes it off; a clerk sees its own unit only; the
 * workbook holds as many rows as the ledger counts; bad queries refused. */
#include "test.h"

#include <stdbool.h>

#include "tests/http/demo_suite.h"

static session DISP, CLERK, AUDITOR;

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "ledger", "150");
    demo_login(&S, &DISP, "dispatcher");
    demo_login(&S, &CLERK, "cgj.clerk");
    demo_login(&S, &AUDITOR, "auditor");
    return 0;
}

typedef struct listing { json_int_t n, overdue, with_ledger, days_agree; } listing;

/* The cases GET /cases?query lists, each with its ledger line checked. */
static listing list_all(session *who, const char *query) {
    listing l = {0};
    json_t *all = list_cases(who, query), *c;
    size_t i;
    json_array_foreach(all, i, c) {
        json_t *led = json_object_get(c, "ledger");
        bool late = json_is_object(json_object_get(c, "overdue"));
        l.n++;
        l.overdue += late;
        l.with_ledger += json_is_object(led) && S_(led, "step") && I_(led, "age_days") >= 0;
        l.days_agree += late == (I_(led, "overdue_days") > 0);
    }
    json_decref(all);
    return l;
}

static json_t *ledger(session *who) {
    call(&S, &R, "GET", "/api/v1/ledger", NULL, who->h);
    want(200, "ledger");
    return J();
}

static void counts_add_up_to_the_lists(void **st) {
    (void)st;
    json_t *v = ledger(&DISP), *u;
    json_t *total = json_object_get(v, "total");
    listing all = list_all(&DISP, "open=true");
    assert_true(all.n > 10);
    assert_int_equal(I_(total, "open"), all.n);
    assert_int_equal(I_(total, "overdue"), all.overdue);
    assert_int_equal(all.with_ledger, all.n);
    assert_int_equal(all.days_agree, all.n);
    json_int_t sum = 0, sum_late = 0, units = 0;
    size_t i;
    char q[128];
    json_array_foreach(json_object_get(v, "units"), i, u) {
        sum += I_(u, "open");
        sum_late += I_(u, "overdue");
        if (S_(u, "unit"))
            snprintf(q, sizeof q, "open=true&lead=true&unit=%s", S_(u, "unit"));
        else
            snprintf(q, sizeof q, "open=true&unit=none"); /* 未派单: waiting, or the centre's own */
        listing l = list_all(&DISP, q);
        if (l.n != I_(u, "open") || l.overdue != I_(u, "overdue"))
            fail_msg("%s: ledger %lld/%lld, list %lld/%lld", S_(u, "name"), (long long)I_(u, "open"),
                     (long long)I_(u, "overdue"), (long long)l.n, (long long)l.overdue);
        units++;
    }
    assert_true(units >= 10); /* every department and township, at zero too */
    assert_int_equal(sum, all.n);
    assert_int_equal(sum_late, all.overdue);
    json_decref(v);
}

/* Closes one visited case: the ledger counts one fewer. */
static void closing_takes_a_case_off(void **st) {
    (void)st;
    json_t *before = ledger(&DISP);
    call(&S, &R, "GET", "/api/v1/cases?status=visited&limit=1", NULL, DISP.h);
    want(200, "visited");
    json_t *v = J();
    json_t *c = json_array_get(json_object_get(v, "cases"), 0);
    if (!c) fail_msg("the demo has no visited case");
    char path[128];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/close", (long long)I_(c, "id"));
    call(&S, &R, "POST", path, "{}", DISP.h);
    want(200, "close");
    json_decref(v);
    json_t *after = ledger(&DISP);
    assert_int_equal(I_(json_object_get(after, "total"), "open"),
                     I_(json_object_get(before, "total"), "open") - 1);
    json_decref(before);
    json_decref(after);
}

static void a_clerk_sees_its_own_unit(void **st) {
    (void)st;
    json_t *v = ledger(&CLERK);
    json_t *rows = json_object_get(v, "units");
    assert_int_equal(json_array_size(rows), 1);
    assert_str(S_(json_array_get(rows, 0), "unit"), "cgj");
    listing l = list_all(&CLERK, "open=true&lead=true&unit=cgj");
    assert_int_equal(l.n, I_(json_object_get(v, "total"), "open"));
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/cases?open=true&lead=true&unit=rsj", NULL, CLERK.h);
    want(403, "another unit's ledger");
    call(&S, &R, "GET", "/api/v1/cases?open=true&unit=none", NULL, CLERK.h);
    want(403, "the cases no unit leads");
}

static void the_workbook_holds_every_open_case(void **st) {
    (void)st;
    json_t *v = ledger(&DISP);
    json_int_t open = I_(json_object_get(v, "total"), "open");
    json_decref(v);
    call(&S, &R, "POST", "/api/v1/ledger/export", "", DISP.h);
    want(202, "export");
    v = J();
    assert_int_equal(I_(v, "total"), open);
    char path[128];
    snprintf(path, sizeof path, "/api/v1/exports/%s", S_(v, "id"));
    json_decref(v);
    for (int i = 0; i < 200; i++) {
        call(&S, &R, "GET", path, NULL, DISP.h);
        v = J();
        if (strcmp(S_(v, "status"), "running")) break;
        json_decref(v);
        v = NULL;
        usleep(50000);
    }
    if (!v) fail_msg("the ledger export did not finish in 10 s");
    assert_str(S_(v, "status"), "done");
    assert_int_equal(I_(v, "done"), open);
    snprintf(path, sizeof path, "%s", S_(v, "file"));
    json_decref(v);
    call(&S, &R, "GET", path, NULL, DISP.h);
    want(200, "file");
    assert_memory_equal(R.body, "PK\x03\x04", 4);
    assert_non_null(strstr(R.headers, "duban-ledger.xlsx"));
}

static void bad_queries(void **st) {
    (void)st;
    expect_refused(&S, &R, "/api/v1/cases", "?open=false", DISP.h, 400, "open");
    expect_refused(&S, &R, "/api/v1/cases", "?open=true&lead=true", DISP.h, 400, "lead");
    expect_refused(&S, &R, "/api/v1/cases", "?open=true&lead=yes&unit=cgj", DISP.h, 400, "lead");
    call(&S, &R, "GET", "/api/v1/ledger", NULL, AUDITOR.h);
    want(403, "an auditor");
    call(&S, &R, "POST", "/api/v1/ledger/export?unit=nowhere", "", DISP.h);
    want(400, "unknown unit");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_add_up_to_the_lists),
        cmocka_unit_test(closing_takes_a_case_off),
        cmocka_unit_test(a_clerk_sees_its_own_unit),
        cmocka_unit_test(the_workbook_holds_every_open_case),
        cmocka_unit_test(bad_queries),
    };
    return run_http_suite(tests, setup, teardown);
}
