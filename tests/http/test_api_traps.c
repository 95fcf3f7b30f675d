/* Each definition over the cases due (应结案, docs/rules.md) and each of its
 * traps through the API, on each driver: GET /stats, the 通报 and the
 * drill-down lists (numerator and denominator) of June 2025, built with
 * times given by the command line beside a demo of another month.
 *   cgj signs for five cases on time and finishes none; zjj finishes five,
 *   one 回访 unsatisfied: zjj ranks first.
 *   Traps: an extension asked for after its deadline (the lateness stays),
 *   one asked for in time (due in July, not June); a case 改派 from cgj to
 *   zjj after cgj missed its deadlines (the miss stays with cgj); a case
 *   finished early (due in the month it is finished in); a case dispatched
 *   on the 30th (its 反馈 is July's); a 重办 (due again); what cgj left open
 *   is due again in July (积案).
 *   The 12345 centre's figures as of a moment: a 直接答复 and its 回访, a 并案
 *   after the moment, the matters received after it. */
#include "test.h"

#include "tests/http/demo_suite.h"

static session DISP;
static json_int_t A[5], B[5], LATE, INTIME, MOVED, EARLY, LAST, REDO, CALLS;

static json_int_t cli(const char *const *args) {
    cli_run *run = calloc(1, sizeof *run);
    const char *argv[40] = {"duban", "--db", dbt};
    int n = 3;
    for (int i = 0; args[i]; i++) argv[n++] = args[i];
    argv[n] = NULL;
    run_cli(run, argv);
    if (run->status != 0) fail_msg("%s %s: %s", args[0], args[1], run->err);
    json_t *v = json_loads(run->out, JSON_DECODE_ANY, NULL);
    json_int_t id = json_integer_value(json_object_get(v, "id"));
    json_decref(v);
    free(run);
    return id;
}
#define CLI(...) cli((const char *[]){__VA_ARGS__, NULL})

static json_int_t new_case(const char *at) {
    return CLI("case", "create", "--channel", "hotline", "--class", "general", "--title", "小区路灯不亮需要维修",
               "--requester-name", "李四", "--requester-phone", "13812341234", "--at", at);
}

static void act(json_int_t id, const char *const *args) {
    char s[24];
    snprintf(s, sizeof s, "%lld", (long long)id);
    const char *argv[24] = {"case", "act", s};
    int n = 3;
    for (int i = 0; args[i]; i++) argv[n++] = args[i];
    argv[n] = NULL;
    cli(argv);
}
#define ACT(id, ...) act(id, (const char *[]){__VA_ARGS__, NULL})

/* dispatched to unit at day D 10:00 and signed for at 11:00 */
static json_int_t signed_for(const char *unit, int day) {
    char at[24];
    snprintf(at, sizeof at, "2025-06-%02dT09:00", day);
    json_int_t id = new_case(at);
    snprintf(at, sizeof at, "2025-06-%02dT10:00", day);
    ACT(id, "dispatch", "--unit", unit, "--at", at);
    snprintf(at, sizeof at, "2025-06-%02dT11:00", day);
    ACT(id, "accept", "--at", at);
    return id;
}

static int setup(void **st) {
    (void)st;
    demo_db(dbt, sizeof dbt, "traps", "50");
    for (int i = 0; i < 5; i++) {
        A[i] = signed_for("cgj", 2); /* nothing more */
        B[i] = signed_for("zjj", 2);
        ACT(B[i], "resolve", "--note", "已修复并回复群众", "--at", "2025-06-05T10:00");
        ACT(B[i], "visit", "--satisfaction", i == 4 ? "unsatisfied" : "satisfied", "--solved", i == 4 ? "no" : "yes",
            "--at", "2025-06-06T10:00");
    }
    /* an extension asked for after its deadline (seven working days from June 3) */
    LATE = signed_for("zjj", 2);
    ACT(LATE, "request_extension", "--note", "需要协调", "--until", "2025-06-25", "--at", "2025-06-16T09:00");
    ACT(LATE, "approve_extension", "--at", "2025-06-16T10:00");
    ACT(LATE, "resolve", "--note", "已修复并回复群众", "--at", "2025-06-18T10:00");
    /* one asked for in time, to July */
    INTIME = signed_for("zjj", 2);
    ACT(INTIME, "request_extension", "--note", "需要协调", "--until", "2025-07-20", "--at", "2025-06-05T09:00");
    ACT(INTIME, "approve_extension", "--at", "2025-06-05T10:00");
    /* cgj misses its deadlines, then the case goes to zjj with a new day */
    MOVED = new_case("2025-06-02T09:00");
    ACT(MOVED, "dispatch", "--unit", "cgj", "--at", "2025-06-02T10:00");
    ACT(MOVED, "reassign", "--unit", "zjj", "--until", "2025-06-25", "--note", "职责属住建局", "--at",
        "2025-06-16T10:00");
    ACT(MOVED, "accept", "--at", "2025-06-16T11:00");
    ACT(MOVED, "resolve", "--note", "已修复并回复群众", "--at", "2025-06-20T10:00");
    /* finished early: due in July, done in June */
    EARLY = signed_for("zjj", 27);
    ACT(EARLY, "resolve", "--note", "已修复并回复群众", "--at", "2025-06-28T10:00");
    /* dispatched on the 30th: its 反馈 is due in July */
    LAST = signed_for("zjj", 30);
    /* sent back after an unsatisfied 回访, finished again in June */
    REDO = signed_for("zjj", 2);
    ACT(REDO, "resolve", "--note", "已修复并回复群众", "--at", "2025-06-04T10:00");
    ACT(REDO, "visit", "--satisfaction", "unsatisfied", "--solved", "no", "--at", "2025-06-05T10:00");
    ACT(REDO, "reopen", "--note", "群众反映问题仍未解决", "--at", "2025-06-05T11:00");
    ACT(REDO, "resolve", "--note", "已重新修复", "--at", "2025-06-09T10:00");
    setenv("DUBAN_NOW", "2025-05-01T00:00:00+08:00", 1); /* in force in June: the figures read it then */
    CLI("config", "set", "rank_min_dispatched", "5");
    unsetenv("DUBAN_NOW");
    /* the 12345 centre's own: one answered at intake and visited on the
     * 4th; one received on the 5th, merged into it on the 20th */
    json_int_t answered = new_case("2025-06-03T09:00");
    ACT(answered, "answer", "--note", "可在国家医保服务平台APP办理异地就医备案", "--at", "2025-06-03T09:10");
    ACT(answered, "visit", "--satisfaction", "satisfied", "--solved", "yes", "--at", "2025-06-04T10:00");
    json_int_t dup = new_case("2025-06-05T09:00");
    char into[24];
    snprintf(into, sizeof into, "%lld", (long long)answered);
    ACT(dup, "merge", "--note", "重复来电", "--into", into, "--at", "2025-06-20T09:00");
    CALLS = 5 * 2 + 6 + 2; /* every case received in June */
    server_start(&S, dbt, NULL);
    demo_login(&S, &DISP, "dispatcher");
    return 0;
}

#define JUNE "from=2025-06-01&to=2025-07-01&at=2025-07-10T00:00"

static json_t *row_of(json_t *v, const char *code) {
    json_t *u;
    size_t i;
    json_array_foreach(json_object_get(v, "units"), i, u) if (!strcmp(S_(json_object_get(u, "unit"), "code"), code))
        return u;
    fail_msg("no row for %s", code);
    return NULL;
}

/* Whether a drill-down list holds the case, and that its cases, each as
 * many times as it counts, add up to the figure's count. */
static bool listed(const char *code, const char *figure, const char *part, json_int_t id, json_int_t count) {
    char path[256];
    snprintf(path, sizeof path, "/api/v1/stats/cases?unit=%s&" JUNE "&figure=%s&part=%s&limit=1000", code, figure,
             part);
    call(&S, &R, "GET", path, NULL, DISP.h);
    want(200, path);
    json_t *v = J(), *c;
    size_t i;
    bool found = false;
    json_int_t sum = 0;
    assert_int_equal(I_(v, "count"), count);
    json_array_foreach(json_object_get(v, "cases"), i, c) {
        found |= I_(c, "id") == id;
        sum += I_(c, "counts_times");
        if (I_(c, "id") == REDO && !strcmp(figure, "ontime_resolve_rate")) assert_int_equal(I_(c, "counts_times"), 2);
    }
    assert_int_equal(sum, count);
    json_decref(v);
    return found;
}

static void each_trap_through_the_api(void **st) {
    (void)st;
    call(&S, &R, "GET", "/api/v1/stats?" JUNE, NULL, DISP.h);
    want(200, "stats");
    json_t *v = J(), *c = row_of(v, "cgj"), *z = row_of(v, "zjj");
    /* the one who finishes, with one unsatisfied visit, ranks first */
    assert_int_equal(I_(z, "rank"), 1);
    assert_int_equal(I_(c, "rank"), 2);
    assert_true(json_number_value(json_object_get(z, "composite")) > json_number_value(json_object_get(c, "composite")));
    /* cgj: the five and the one it missed before the 改派 are due, none done */
    assert_int_equal(I_(c, "due"), 6);
    assert_int_equal(I_(c, "resolved"), 0);
    assert_int_equal(I_(c, "accept_due"), 6);
    assert_int_equal(I_(c, "accepted_on_time"), 5);
    assert_int_equal(I_(c, "dispatched"), 5); /* the case moved away is not its volume */
    /* zjj: B×5, LATE (late), MOVED, EARLY, REDO (twice: first on time, then again); not INTIME (July), not LAST */
    assert_int_equal(I_(z, "late_requests"), 1);
    assert_int_equal(I_(z, "extended"), 0);
    assert_int_equal(I_(z, "due_reopened"), 1);
    assert_int_equal(I_(z, "visited"), 5); /* REDO's visit went with its 重办 */
    assert_int_equal(I_(z, "satisfied"), 4);
    json_int_t z_due = I_(z, "due"), z_ontime = I_(z, "resolved_on_time"), z_fb = I_(z, "feedback_expected");
    json_decref(v);
    /* the lists behind the figures: each trap where it belongs */
    assert_true(listed("cgj", "resolve_rate", "denominator", MOVED, 6));  /* the miss stays with cgj */
    assert_false(listed("cgj", "resolve_rate", "numerator", MOVED, 0));
    assert_true(listed("cgj", "accept_rate", "denominator", MOVED, 6));
    assert_false(listed("cgj", "accept_rate", "numerator", MOVED, 5));
    assert_true(listed("zjj", "ontime_resolve_rate", "denominator", LATE, z_due)); /* late asked: still due */
    assert_false(listed("zjj", "ontime_resolve_rate", "numerator", LATE, z_ontime));
    assert_false(listed("zjj", "ontime_resolve_rate", "denominator", INTIME, z_due)); /* moved to July in time */
    assert_true(listed("zjj", "ontime_resolve_rate", "numerator", EARLY, z_ontime)); /* finished early: June */
    assert_true(listed("zjj", "ontime_resolve_rate", "numerator", MOVED, z_ontime)); /* zjj met its new day */
    assert_false(listed("zjj", "feedback_rate", "denominator", LAST, z_fb));        /* its 反馈 is July's */
    assert_true(listed("zjj", "ontime_resolve_rate", "denominator", REDO, z_due)); /* due twice: the 重办 */
    assert_true(listed("zjj", "reopen_rate", "numerator", REDO, 1));
    /* the 通报 of June as of the same moment: the same counts, the same ranks */
    call(&S, &R, "GET", "/api/v1/bulletin?month=2025-06&at=2025-07-10T00:00", NULL, DISP.h);
    want(200, "bulletin");
    json_t *b = J(), *g, *u;
    size_t i, j;
    int seen = 0;
    json_array_foreach(json_object_get(b, "groups"), i, g) json_array_foreach(json_object_get(g, "units"), j, u) {
        const char *code = S_(json_object_get(u, "unit"), "code");
        if (strcmp(code, "cgj") && strcmp(code, "zjj")) continue;
        seen++;
        assert_int_equal(I_(u, "due"), !strcmp(code, "cgj") ? 6 : z_due);
        assert_int_equal(I_(u, "rank"), !strcmp(code, "cgj") ? 2 : 1);
    }
    assert_int_equal(seen, 2);
    json_decref(b);
    /* the centre's figures as of the 10th and as of July: the merge of the
     * 20th, and what was received after the 10th, only in the second */
    call(&S, &R, "GET", "/api/v1/stats?from=2025-06-01&to=2025-07-01&at=2025-06-10T00:00", NULL, DISP.h);
    v = J();
    json_t *centre = json_object_get(v, "centre");
    assert_int_equal(I_(centre, "answered"), 1);
    assert_int_equal(I_(centre, "visited"), 1);
    assert_int_equal(I_(centre, "satisfied"), 1);
    assert_int_equal(I_(centre, "merged"), 0);
    assert_int_equal(I_(centre, "received"), CALLS - 2); /* EARLY and LAST: received on the 27th and 30th */
    json_decref(v);
    call(&S, &R, "GET", "/api/v1/stats?" JUNE, NULL, DISP.h);
    v = J();
    centre = json_object_get(v, "centre");
    assert_int_equal(I_(centre, "merged"), 1);
    assert_int_equal(I_(centre, "received"), CALLS - 1);
    assert_int_equal(I_(centre, "answered"), 1);
    json_decref(v);
    /* July: what cgj left open is due again (积案; MOVED stayed in June, the
     * month it was handed on in); INTIME is due, extended in time */
    call(&S, &R, "GET", "/api/v1/stats?from=2025-07-01&to=2025-08-01&at=2025-08-10T00:00", NULL, DISP.h);
    v = J();
    assert_int_equal(I_(row_of(v, "cgj"), "carried"), 5);
    assert_int_equal(I_(row_of(v, "cgj"), "due"), 5);
    assert_int_equal(I_(row_of(v, "zjj"), "extended"), 1);
    json_decref(v);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_trap_through_the_api),
    };
    return run_http_suite(tests, setup, teardown);
}
