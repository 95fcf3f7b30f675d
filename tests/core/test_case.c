/* Tests for core/case: the transition table row by row and every illegal
 * (state, action) pair, guards, required inputs and the deadlines each
 * action sets. The expected matrix below is written from DESIGN.md §3. */
#include "test.h"

#include <stdio.h>

#include "core/case_json.h"
#include "core/metrics.h"
#include "tests/core/case_fixture.h"

/* Paths that bring a case into each state. */
static const case_action path_to[ST_COUNT][6] = {
    [ST_RECEIVED] = {ACT_COUNT},
    [ST_DISPATCHED] = {ACT_DISPATCH, ACT_COUNT},
    [ST_ACCEPTED] = {ACT_DISPATCH, ACT_ACCEPT, ACT_COUNT},
    [ST_RESOLVED] = {ACT_DISPATCH, ACT_ACCEPT, ACT_RESOLVE, ACT_COUNT},
    [ST_VISITED] = {ACT_DISPATCH, ACT_ACCEPT, ACT_RESOLVE, ACT_VISIT, ACT_COUNT},
    [ST_CLOSED] = {ACT_DISPATCH, ACT_ACCEPT, ACT_RESOLVE, ACT_VISIT, ACT_CLOSE, ACT_COUNT},
    [ST_MERGED] = {ACT_MERGE, ACT_COUNT},
};

/* expected[state][action]: the state after, or -1 when illegal. */
#define X -1
static const int expected[ST_COUNT][ACT_COUNT] = {
    /*               cr disp          merge      reject     accept       return       feedback     req_ext      appr_ext     deny_ext     prop_plan    appr_plan    deny_plan    resolve      visit       waive       reopen       close     publish  recompute answer reassign instruct unreach close_unr follow attach pub_att urge req_rev uph_rev rej_rev */
    [ST_RECEIVED] = {X, ST_DISPATCHED, ST_MERGED, ST_CLOSED, X, X, X, X, X, X, X, X, X, X, X, X, X, X, ST_RECEIVED, ST_RECEIVED, ST_RESOLVED, X, ST_RECEIVED, X, X, X, ST_RECEIVED, ST_RECEIVED, X, X, X, X},
    [ST_DISPATCHED] = {X, X, X, X, ST_ACCEPTED, ST_RECEIVED, X, X, X, X, X, X, X, X, X, X, X, X, ST_DISPATCHED, ST_DISPATCHED, X, ST_DISPATCHED, ST_DISPATCHED, X, X, X, ST_DISPATCHED, ST_DISPATCHED, ST_DISPATCHED, X, X, X},
    [ST_ACCEPTED] = {X, X, X, X, X, X, ST_ACCEPTED, ST_ACCEPTED, ST_ACCEPTED, ST_ACCEPTED,
                     ST_ACCEPTED, ST_ACCEPTED, ST_ACCEPTED, ST_RESOLVED, X, X, X, X, ST_ACCEPTED, ST_ACCEPTED, X, ST_DISPATCHED, ST_ACCEPTED, X, X, X, ST_ACCEPTED, ST_ACCEPTED, ST_ACCEPTED, X, X, X},
    /* dispatch from resolved and visited: only a case answered directly (path_answered) */
    [ST_RESOLVED] = {X, ST_DISPATCHED, X, X, X, X, X, X, X, X, X, X, X, X, ST_VISITED, ST_VISITED, ST_ACCEPTED, X, ST_RESOLVED, X, X, X, ST_RESOLVED, ST_RESOLVED, ST_CLOSED, X, ST_RESOLVED, ST_RESOLVED, X, X, X, X},
    [ST_VISITED] = {X, ST_DISPATCHED, X, X, X, X, X, X, X, X, X, X, X, X, X, X, ST_ACCEPTED, ST_CLOSED, ST_VISITED, X, X, X, ST_VISITED, X, X, X, ST_VISITED, ST_VISITED, X, ST_VISITED, ST_VISITED, ST_VISITED},
    [ST_CLOSED] = {X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, ST_CLOSED, X, X, X, X, X, X, X, ST_CLOSED, ST_CLOSED, X, ST_CLOSED, ST_CLOSED, ST_CLOSED},
    /* 并案: it follows its main case; publish, and the system's follow */
    [ST_MERGED] = {X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, ST_MERGED, X, X, X, X, X, X, ST_RESOLVED, ST_MERGED, ST_MERGED, X, X, X, X},
};

/* What must happen first for a guarded row (approve needs a request, ...). */
static case_action prerequisite(case_action a) {
    switch (a) {
    case ACT_APPROVE_EXTENSION:
    case ACT_DENY_EXTENSION: return ACT_REQUEST_EXTENSION;
    case ACT_APPROVE_PLAN:
    case ACT_DENY_PLAN: return ACT_PROPOSE_PLAN;
    case ACT_UPHOLD_REVIEW:
    case ACT_REJECT_REVIEW: return ACT_REQUEST_REVIEW;
    default: return ACT_COUNT;
    }
}

/* A case answered at intake (直接答复), then visited. */
static const case_action path_answered[ST_COUNT][3] = {
    [ST_RESOLVED] = {ACT_ANSWER, ACT_COUNT},
    [ST_VISITED] = {ACT_ANSWER, ACT_VISIT, ACT_COUNT},
};

static void reach_by(fixture *f, case_rec *c, case_status s, const case_action *path) {
    new_case(f, c, CH_HOTLINE, CL_MAJOR, "2026-03-02T09:00");
    char at[32];
    for (int i = 0; path[i] != ACT_COUNT; i++) {
        snprintf(at, sizeof at, "2026-03-%02dT10:00", 2 + i);
        assert_int_equal(act(f, c, path[i], at), 0);
    }
    assert_int_equal(c->status, s);
}

static void reach(fixture *f, case_rec *c, case_status s) { reach_by(f, c, s, path_to[s]); }

static void every_pair(void **st) {
    (void)st;
    fixture *f = fixture_new();
    int legal = 0, illegal = 0;
    for (int s = 0; s < ST_COUNT; s++)
        for (int a = ACT_DISPATCH; a < ACT_COUNT; a++) {
            case_rec c;
            if (a == ACT_DISPATCH && path_answered[s][0] == ACT_ANSWER)
                reach_by(f, &c, (case_status)s, path_answered[s]);
            else
                reach(f, &c, (case_status)s);
            if (a >= ACT_REQUEST_REVIEW) /* only an unsatisfied 回访 is contested */
                c.satisfaction = SAT_UNSATISFIED;
            case_action pre = prerequisite((case_action)a);
            if (expected[s][a] != X && pre != ACT_COUNT)
                assert_int_equal(act(f, &c, pre, "2026-03-20T09:00"), 0);
            if (a == ACT_RECOMPUTE) /* as if counted before the calendar knew March */
                c.provisional = (1u << DUE_COUNT) - 1;
            if (a == ACT_CLOSE_UNREACHABLE && expected[s][a] != X) /* three days nobody answered */
                for (int d = 0; d < 3; d++) {
                    char at[32];
                    snprintf(at, sizeof at, "2026-03-%02dT10:00", 15 + d);
                    assert_int_equal(act(f, &c, ACT_UNREACHABLE, at), 0);
                }
            json_t *before = case_to_json(&c, TZ, CASE_JSON_REVEAL);
            case_req r = full_req((case_action)a, T("2026-03-21T09:00"));
            case_event ev = {0};
            err e = {0};
            int rc = case_apply(&c, &r, &f->env, &ev, &e);
            if (expected[s][a] == X) {
                illegal++;
                if (rc != ERR_CONFLICT)
                    fail_msg("%s in %s: rc %d, want conflict", case_action_name(a),
                             case_status_name(s), rc);
                char want[128];
                snprintf(want, sizeof want, "action '%s' is not allowed in state '%s'",
                         case_action_name(a), case_status_name(s));
                if (!strstr(e.msg, want)) fail_msg("message '%s' lacks '%s'", e.msg, want);
                json_t *after = case_to_json(&c, TZ, CASE_JSON_REVEAL);
                assert_true(json_equal(before, after));
                json_decref(after);
            } else {
                legal++;
                if (rc != 0)
                    fail_msg("%s in %s failed: %s", case_action_name(a), case_status_name(s), e.msg);
                assert_int_equal(c.status, expected[s][a]);
                assert_int_equal(ev.action, a);
                assert_int_equal(ev.from, s);
                assert_int_equal(ev.to, expected[s][a]);
                assert_true(case_action_allowed((case_status)s, (case_action)a));
                json_t *pl = json_loads(ev.payload, 0, NULL);
                assert_non_null(pl);
                json_decref(pl);
            }
            json_decref(before);
            case_event_clear(&ev);
            case_rec_clear(&c);
        }
    /* publish in every state, recompute in 3, answer, dispatch after an answer in 2,
     * reassign in 2, instruct in 5, the two unreachable ones in 1 each, follow, and
     * attach and publish_attachment in every state, urge in 2, the three of 申诉复核 in 2 */
    assert_int_equal(legal, 18 + ST_COUNT + 3 + 1 + 2 + 2 + 5 + 2 + 1 + 2 * ST_COUNT + 2 + 6);
    assert_int_equal(illegal, ST_COUNT * (ACT_COUNT - 1) - 18 - ST_COUNT - 3 - 1 - 2 - 2 - 5 - 2 - 1 -
                                  2 * ST_COUNT - 2 - 6);
    fixture_free(f);
}

static void required_inputs(void **st) {
    (void)st;
    fixture *f = fixture_new();
    static const struct { case_status s; case_action a; const char *missing; } rows[] = {
        {ST_RECEIVED, ACT_DISPATCH, "unit"},   {ST_RECEIVED, ACT_MERGE, "note"},
        {ST_RECEIVED, ACT_REJECT, "note"},     {ST_DISPATCHED, ACT_RETURN, "note"},
        {ST_ACCEPTED, ACT_FEEDBACK, "note"},   {ST_ACCEPTED, ACT_RESOLVE, "note"},
        {ST_ACCEPTED, ACT_PROPOSE_PLAN, "until"}, {ST_RESOLVED, ACT_VISIT, "satisfaction"},
        {ST_RESOLVED, ACT_WAIVE_VISIT, "note"}, {ST_VISITED, ACT_REOPEN, "note"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        case_rec c;
        reach(f, &c, rows[i].s);
        case_req r;
        case_req_init(&r, rows[i].a, T("2026-03-20T09:00"), "t");
        if (strcmp(rows[i].missing, "note") != 0) r.note = "x";
        err e = {0};
        case_event ev = {0};
        assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID);
        assert_str(e.field, rows[i].missing);
        assert_int_equal(c.status, rows[i].s);
        case_rec_clear(&c);
    }
    fixture_free(f);
}

/* A clock's reading behind the case's last event (another node's clock, or
 * the same second committed first) is taken at that event's time (a time
 * someone gave is refused: guards). */
static void time_never_runs_backwards(void **st) {
    (void)st;
    fixture *f = fixture_new();
    case_rec c;
    err e = {0};
    case_event ev = {0};
    reach(f, &c, ST_ACCEPTED);
    int64_t last = c.updated_at;
    int events = c.event_count;
    case_req r = full_req(ACT_FEEDBACK, last - 1);
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), 0);
    assert_int_equal(ev.at, last);
    assert_int_equal(c.updated_at, last);
    assert_int_equal(c.event_count, events + 1);
    case_event_clear(&ev);
    case_rec_clear(&c);
    fixture_free(f);
}

static void guards(void **st) {
    (void)st;
    fixture *f = fixture_new();
    case_rec c;
    err e = {0};
    case_event ev = {0};
    /* approve without a request; a second request while one is pending */
    reach(f, &c, ST_ACCEPTED);
    case_req r = full_req(ACT_APPROVE_EXTENSION, T("2026-03-20T09:00"));
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "no extension request is pending"));
    assert_int_equal(act(f, &c, ACT_REQUEST_EXTENSION, "2026-03-20T09:00"), 0);
    r = full_req(ACT_REQUEST_EXTENSION, T("2026-03-20T10:00"));
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "a extension request (until 2026-12-30) is pending"));
    r = full_req(ACT_RESOLVE, T("2026-03-20T10:00")); /* not dropped by a resolution */
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "approve or deny it first"));
    r = full_req(ACT_APPROVE_PLAN, T("2026-03-20T10:00"));
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_CONFLICT);
    case_rec_clear(&c);
    /* plans are for major cases only */
    new_case(f, &c, CH_HOTLINE, CL_GENERAL, "2026-03-02T09:00");
    assert_int_equal(act(f, &c, ACT_DISPATCH, "2026-03-02T10:00"), 0);
    assert_int_equal(act(f, &c, ACT_ACCEPT, "2026-03-02T11:00"), 0);
    r = full_req(ACT_PROPOSE_PLAN, T("2026-03-03T10:00"));
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "only for major cases"));
    /* a time given may not run backwards (a clock's reading: time_never_runs_backwards) */
    r = full_req(ACT_FEEDBACK, T("2026-03-02T10:30"));
    r.at_given = true;
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID);
    assert_str(e.field, "at");
    /* the lead cannot also assist */
    case_rec_clear(&c);
    new_case(f, &c, CH_HOTLINE, CL_GENERAL, "2026-03-02T09:00");
    r = full_req(ACT_DISPATCH, T("2026-03-02T10:00"));
    r.assist[0] = r.lead;
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID);
    assert_str(e.field, "assist");
    assert_int_equal(c.status, ST_RECEIVED);
    case_rec_clear(&c);
    fixture_free(f);
}

static char *fmt(int64_t t) {
    static char buf[4][32];
    static int i;
    i = (i + 1) % 4;
    dt_format_instant(t, TZ, buf[i]);
    return buf[i];
}

/* Beyond the loaded years (the built-in calendar ends with 2026) a deadline
 * is provisional: said in the case JSON, counted again by ACT_RECOMPUTE
 * once the year is known (one event saying what it was). Hour rules and
 * dates a person chose never are. */
static void provisional_deadlines(void **st) {
    (void)st;
    fixture *f = fixture_new();
    case_rec c;
    new_case(f, &c, CH_HOTLINE, CL_GENERAL, "2026-12-28T09:00");
    assert_int_equal(c.provisional, 0); /* same day: inside 2026 */
    assert_int_equal(act(f, &c, ACT_DISPATCH, "2026-12-28T10:00"), 0);
    assert_str(fmt(c.due[DUE_RESOLVE]), "2027-01-05T00:00:00+08:00"); /* Mon-Fri assumed */
    assert_int_equal(case_provisional_pending(&c), 1u << DUE_RESOLVE);
    json_t *j = case_to_json(&c, TZ, 0);
    json_t *p = json_object_get(j, "provisional");
    assert_int_equal(json_array_size(p), 1);
    assert_str(json_string_value(json_array_get(p, 0)), "resolve_due");
    assert_str(json_string_value(json_object_get(j, "resolve_due")), "2027-01-04T23:59:59+08:00");
    json_decref(j);
    /* a recompute under the same calendar changes nothing but says so */
    case_req r = full_req(ACT_RECOMPUTE, T("2026-12-29T09:00"));
    case_event ev = {0};
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, NULL), 0);
    assert_non_null(strstr(ev.payload, "\"provisional\":[\"resolve_due\"]"));
    case_event_clear(&ev);
    /* 2027 arrives with 1/4 a holiday: the deadline moves to 1/5 and is certain */
    cal_day days[] = {{.day = dt_days_from_civil(2026, 1, 1), .off = true, .name = "元旦"},
                      {.day = dt_days_from_civil(2027, 1, 1), .off = true, .name = "元旦"},
                      {.day = dt_days_from_civil(2027, 1, 4), .off = true, .name = "测试"}};
    cal *next;
    assert_int_equal(cal_new(days, 3, &next, NULL), 0);
    case_env env = f->env;
    env.cal = next;
    r = full_req(ACT_RECOMPUTE, T("2026-12-30T09:00"));
    assert_int_equal(case_apply(&c, &r, &env, &ev, NULL), 0);
    assert_str(fmt(c.due[DUE_RESOLVE]), "2027-01-06T00:00:00+08:00");
    assert_int_equal(c.provisional, 0);
    assert_non_null(strstr(ev.payload, "\"was\":{\"resolve_due\":\"2027-01-04T23:59:59+08:00\"}"));
    assert_int_equal(ev.from, ST_DISPATCHED);
    assert_int_equal(ev.to, ST_DISPATCHED);
    case_event_clear(&ev);
    /* nothing left to count: refused */
    r = full_req(ACT_RECOMPUTE, T("2026-12-30T10:00"));
    assert_int_equal(case_apply(&c, &r, &env, &ev, NULL), ERR_CONFLICT);
    cal_free(next);
    case_rec_clear(&c);
    /* an hour rule counts no days */
    new_case(f, &c, CH_HOTLINE, CL_URGENT, "2026-12-31T21:00");
    assert_int_equal(act(f, &c, ACT_DISPATCH, "2026-12-31T22:00"), 0);
    assert_str(fmt(c.due[DUE_RESOLVE]), "2027-01-01T02:00:00+08:00");
    assert_false(case_provisional_pending(&c) & 1u << DUE_RESOLVE);
    case_rec_clear(&c);
    /* an approved date is a person's choice, not a count */
    new_case(f, &c, CH_HOTLINE, CL_GENERAL, "2026-12-28T09:00");
    assert_int_equal(act(f, &c, ACT_DISPATCH, "2026-12-28T10:00"), 0);
    assert_int_equal(act(f, &c, ACT_ACCEPT, "2026-12-28T11:00"), 0);
    r = full_req(ACT_REQUEST_EXTENSION, T("2026-12-29T09:00"));
    r.until = dt_days_from_civil(2027, 1, 20);
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, NULL), 0);
    case_event_clear(&ev);
    assert_int_equal(act(f, &c, ACT_APPROVE_EXTENSION, "2026-12-29T10:00"), 0);
    assert_int_equal(case_provisional_pending(&c), 0);
    /* and a closed-out deadline is no longer pending: nothing to remind of */
    case_rec_clear(&c);
    fixture_free(f);
}

/* 直接答复: a question answered on the call is resolved by the centre, never
 * dispatched; visited as usual; not reopened (no unit to take it) but sent
 * to a unit when the answer did not settle it. */
static void direct_answers(void **st) {
    (void)st;
    fixture *f = fixture_new();
    case_rec c;
    new_case(f, &c, CH_HOTLINE, CL_GENERAL, "2026-03-02T09:00");
    case_req r = full_req(ACT_ANSWER, T("2026-03-02T09:05"));
    r.note = "  ";
    case_event ev = {0};
    err e = {0};
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID); /* the answer is needed */
    r.note = "公积金提取需身份证和购房合同，到政务中心3号窗口办理";
    r.kb_id = 42; /* from the 知识库: recorded in the event */
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, NULL), 0);
    assert_non_null(strstr(ev.payload, "\"kb\":42"));
    case_event_clear(&ev);
    assert_int_equal(c.status, ST_RESOLVED);
    assert_true(case_answered_directly(&c));
    assert_non_null(strstr(c.result, "3号窗口"));
    assert_int_equal(c.dispatched_at, 0);
    case_due_kind k;
    assert_int_equal(case_next_due(&c, &k), 0); /* nothing pending: no unit, no deadline */
    r = full_req(ACT_VISIT, T("2026-03-03T10:00")); /* only an answer names an entry */
    r.kb_id = 42;
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID);
    assert_str(e.field, "kb");
    assert_int_equal(act(f, &c, ACT_VISIT, "2026-03-03T10:00"), 0);
    assert_int_equal(c.status, ST_VISITED);
    /* the visit says it is not settled: no reopen, a dispatch */
    r = full_req(ACT_REOPEN, T("2026-03-03T11:00"));
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "answered directly"));
    assert_int_equal(act(f, &c, ACT_DISPATCH, "2026-03-03T11:00"), 0);
    assert_int_equal(c.status, ST_DISPATCHED);
    assert_false(case_answered_directly(&c));
    assert_int_equal(c.resolved_at, 0);
    assert_int_equal(c.visited_at, 0);
    assert_int_equal(c.satisfaction, SAT_NONE);
    assert_null(c.result);
    assert_true(case_next_due(&c, &k) > 0);
    /* a dispatched case is not answered at intake, and is reopened, not dispatched, later */
    r = full_req(ACT_ANSWER, T("2026-03-03T12:00"));
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_CONFLICT);
    assert_int_equal(act(f, &c, ACT_ACCEPT, "2026-03-03T12:00"), 0);
    assert_int_equal(act(f, &c, ACT_RESOLVE, "2026-03-04T12:00"), 0);
    r = full_req(ACT_DISPATCH, T("2026-03-04T13:00"));
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "reopen"));
    case_rec_clear(&c);
    fixture_free(f);
}

/* 并案: the duplicate names its main case, follows it, takes its result and
 * is visited on its own; it is neither a direct answer nor reopened. */
static void merges(void **st) {
    (void)st;
    fixture *f = fixture_new();
    case_rec c;
    new_case(f, &c, CH_HOTLINE, CL_GENERAL, "2026-03-02T09:00");
    case_req r = full_req(ACT_MERGE, T("2026-03-02T09:05"));
    case_event ev = {0};
    err e = {0};
    static const int64_t bad_into[] = {0, -3};
    for (size_t i = 0; i < 2; i++) {
        r.into = bad_into[i];
        assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID);
        assert_str(e.field, "into");
    }
    r.into = c.id; /* not into itself */
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID);
    r = full_req(ACT_DISPATCH, T("2026-03-02T09:05")); /* only a merge names a main case */
    r.into = 7;
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID);
    assert_str(e.field, "into");
    r = full_req(ACT_MERGE, T("2026-03-02T09:05"));
    r.into = 7;
    r.into_no = "MZ20260301-0001";
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, NULL), 0);
    assert_non_null(strstr(ev.payload, "MZ20260301-0001"));
    case_event_clear(&ev);
    assert_int_equal(c.status, ST_MERGED);
    assert_int_equal(c.merged_into, 7);
    assert_null(c.result);
    case_due_kind k;
    assert_int_equal(case_next_due(&c, &k), 0); /* the main case's deadlines are the ones that count */
    r = full_req(ACT_FOLLOW, T("2026-03-05T16:00"));
    r.into = 7;
    r.note = "已修复路灯，恢复照明";
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, NULL), 0);
    case_event_clear(&ev);
    assert_int_equal(c.status, ST_RESOLVED);
    assert_str(c.result, "已修复路灯，恢复照明");
    assert_false(case_answered_directly(&c)); /* not the centre's answer */
    r = full_req(ACT_REOPEN, T("2026-03-06T09:00"));
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "merged"));
    r = full_req(ACT_DISPATCH, T("2026-03-06T09:00"));
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "merged"));
    assert_int_equal(act(f, &c, ACT_VISIT, "2026-03-06T10:00"), 0);
    assert_int_equal(act(f, &c, ACT_CLOSE, "2026-03-06T11:00"), 0);
    assert_int_equal(c.status, ST_CLOSED);
    case_rec_clear(&c);
    fixture_free(f);
}

/* 改派: another lead unit signs for the case afresh (new 签收 and 反馈
 * deadlines); the resolution deadline stays unless a new day is given. */
static void reassign(void **st) {
    (void)st;
    fixture *f = fixture_new();
    case_rec c;
    new_case(f, &c, CH_HOTLINE, CL_GENERAL, "2026-03-02T09:00");
    assert_int_equal(act(f, &c, ACT_DISPATCH, "2026-03-02T10:00"), 0);
    assert_int_equal(act(f, &c, ACT_ACCEPT, "2026-03-02T11:00"), 0);
    assert_int_equal(act(f, &c, ACT_FEEDBACK, "2026-03-03T11:00"), 0);
    int64_t resolve = c.due[DUE_RESOLVE];
    case_req r = full_req(ACT_REASSIGN, T("2026-03-04T09:00"));
    r.until = INT32_MIN;
    case_event ev = {0};
    err e = {0};
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), 0);
    assert_int_equal(c.status, ST_DISPATCHED);
    assert_str(c.lead.code, "jtj");
    assert_int_equal(c.return_count, 0); /* not a 退单 */
    assert_int_equal(c.accepted_at, 0);
    assert_int_equal(c.first_feedback_at, 0);
    assert_str(fmt(c.due[DUE_ACCEPT]), "2026-03-05T00:00:00+08:00");
    assert_str(fmt(c.due[DUE_FEEDBACK]), "2026-03-10T00:00:00+08:00"); /* 3 days from 3/4, 3/7 Sat -> 3/9 */
    assert_int_equal(c.due[DUE_RESOLVE], resolve);
    assert_non_null(strstr(ev.payload, "\"from_unit\":{\"code\":\"cgj\""));
    case_event_clear(&ev);
    /* to the unit it is already with: refused; a new resolution day: recorded */
    r = full_req(ACT_REASSIGN, T("2026-03-04T10:00"));
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID);
    r.lead = unit(10, "cgj");
    r.until = dt_days_from_civil(2026, 3, 20);
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), 0);
    assert_str(fmt(c.due[DUE_RESOLVE]), "2026-03-21T00:00:00+08:00");
    assert_non_null(strstr(ev.payload, "\"resolve_due\""));
    case_event_clear(&ev);
    case_rec_clear(&c);
    fixture_free(f);
}

/* A general hotline case dispatched, accepted and resolved (3/2-3/3). */
static void resolved_case(fixture *f, case_rec *c) {
    new_case(f, c, CH_HOTLINE, CL_GENERAL, "2026-03-02T09:00");
    assert_int_equal(act(f, c, ACT_DISPATCH, "2026-03-02T10:00"), 0);
    assert_int_equal(act(f, c, ACT_ACCEPT, "2026-03-02T11:00"), 0);
    assert_int_equal(act(f, c, ACT_RESOLVE, "2026-03-03T11:00"), 0);
}

/* 回访 联系不上: attempts count once a day; closing needs three days (by
 * default) and leaves the case unvisited. */
static void unreachable_visits(void **st) {
    (void)st;
    fixture *f = fixture_new();
    case_rec c;
    resolved_case(f, &c);
    assert_int_equal(act(f, &c, ACT_UNREACHABLE, "2026-03-04T09:00"), 0);
    assert_int_equal(act(f, &c, ACT_UNREACHABLE, "2026-03-04T16:00"), 0); /* same day */
    assert_int_equal(act(f, &c, ACT_UNREACHABLE, "2026-03-05T09:00"), 0);
    assert_int_equal(c.unreachable_days, 2);
    case_req r = full_req(ACT_CLOSE_UNREACHABLE, T("2026-03-05T10:00"));
    case_event ev = {0};
    err e = {0};
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "3 are needed"));
    assert_int_equal(act(f, &c, ACT_UNREACHABLE, "2026-03-06T09:00"), 0);
    r = full_req(ACT_CLOSE_UNREACHABLE, T("2026-03-06T10:00"));
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), 0);
    case_event_clear(&ev);
    assert_int_equal(c.status, ST_CLOSED);
    assert_true(c.closed_unreachable);
    assert_int_equal(c.visited_at, 0);
    assert_int_equal(c.satisfaction, SAT_NONE);
    /* the number is configuration */
    case_rec d;
    resolved_case(f, &d);
    assert_int_equal(act(f, &d, ACT_UNREACHABLE, "2026-03-04T09:00"), 0);
    case_env one = f->env;
    one.unreachable_attempts = 1;
    r = full_req(ACT_CLOSE_UNREACHABLE, T("2026-03-04T10:00"));
    assert_int_equal(case_apply(&d, &r, &one, &ev, &e), 0);
    case_event_clear(&ev);
    case_rec_clear(&c);
    case_rec_clear(&d);
    fixture_free(f);
}

static void deadlines(void **st) {
    (void)st;
    fixture *f = fixture_new();
    case_rec c;
    /* Received on Friday before the 2026 Spring Festival (Saturday 2/14 is a working day). */
    new_case(f, &c, CH_HOTLINE, CL_GENERAL, "2026-02-13T20:00");
    assert_str(fmt(c.due[DUE_DISPATCH]), "2026-02-14T00:00:00+08:00");
    assert_int_equal(act(f, &c, ACT_DISPATCH, "2026-02-14T09:00"), 0);
    assert_str(fmt(c.due[DUE_ACCEPT]), "2026-02-15T00:00:00+08:00");
    assert_str(fmt(c.due[DUE_FEEDBACK]), "2026-02-25T00:00:00+08:00"); /* 2/17 -> 2/24 */
    assert_str(fmt(c.due[DUE_RESOLVE]), "2026-02-25T00:00:00+08:00");  /* 2/21 -> 2/24 */
    assert_int_equal(c.n_assist, 1);
    /* a return clears the unit and starts a fresh dispatch deadline */
    assert_int_equal(act(f, &c, ACT_RETURN, "2026-02-24T09:00"), 0);
    assert_int_equal(c.lead.id, 0);
    assert_int_equal(c.return_count, 1);
    assert_int_equal(c.due[DUE_RESOLVE], 0);
    assert_str(fmt(c.due[DUE_DISPATCH]), "2026-02-25T00:00:00+08:00");
    assert_int_equal(act(f, &c, ACT_DISPATCH, "2026-02-24T10:00"), 0);
    assert_int_equal(act(f, &c, ACT_ACCEPT, "2026-02-24T11:00"), 0);
    assert_str(fmt(c.due[DUE_RESOLVE]), "2026-03-04T00:00:00+08:00");
    /* an extension moves the deadline only once approved */
    case_req r = full_req(ACT_REQUEST_EXTENSION, T("2026-03-01T09:00"));
    r.until = dt_days_from_civil(2026, 3, 10);
    case_event ev = {0};
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, NULL), 0);
    case_event_clear(&ev);
    assert_str(fmt(c.due[DUE_RESOLVE]), "2026-03-04T00:00:00+08:00");
    assert_int_equal(c.pending, PENDING_EXTENSION);
    assert_int_equal(act(f, &c, ACT_APPROVE_EXTENSION, "2026-03-01T10:00"), 0);
    assert_str(fmt(c.due[DUE_RESOLVE]), "2026-03-11T00:00:00+08:00");
    assert_int_equal(c.extension_count, 1);
    /* a denied request leaves it alone */
    r = full_req(ACT_REQUEST_EXTENSION, T("2026-03-02T09:00"));
    r.until = dt_days_from_civil(2026, 3, 20);
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, NULL), 0);
    case_event_clear(&ev);
    assert_int_equal(act(f, &c, ACT_DENY_EXTENSION, "2026-03-02T10:00"), 0);
    assert_str(fmt(c.due[DUE_RESOLVE]), "2026-03-11T00:00:00+08:00");
    assert_int_equal(c.extension_count, 1);
    /* an extension must move the deadline later */
    r = full_req(ACT_REQUEST_EXTENSION, T("2026-03-02T11:00"));
    r.until = dt_days_from_civil(2026, 3, 9);
    err e = {0};
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID);
    assert_str(e.field, "until");
    /* resolve counts as first feedback; a reopen sets a fresh deadline */
    assert_int_equal(c.first_feedback_at, 0);
    assert_int_equal(act(f, &c, ACT_RESOLVE, "2026-03-05T10:00"), 0);
    assert_int_equal(c.first_feedback_at, T("2026-03-05T10:00"));
    assert_str(c.result, "已到现场处理完毕");
    assert_int_equal(act(f, &c, ACT_VISIT, "2026-03-06T10:00"), 0);
    assert_int_equal(act(f, &c, ACT_REOPEN, "2026-03-06T11:00"), 0);
    assert_int_equal(c.reopen_count, 1);
    assert_int_equal(c.resolved_at, 0);
    assert_int_equal(c.satisfaction, SAT_NONE);
    assert_null(c.result);
    assert_str(fmt(c.due[DUE_RESOLVE]), "2026-03-14T00:00:00+08:00"); /* 3/13 Fri */
    case_rec_clear(&c);
    fixture_free(f);
}

static void petitions_extend_by_policy(void **st) {
    (void)st;
    fixture *f = fixture_new();
    case_rec c;
    new_case(f, &c, CH_PETITION, CL_GENERAL, "2026-03-02T09:00");
    assert_int_equal(act(f, &c, ACT_DISPATCH, "2026-03-02T10:00"), 0);
    /* 3/2 + 60 days = 5/1, a holiday until 5/5: the period ends 24:00 on 5/6 */
    assert_str(fmt(c.due[DUE_RESOLVE]), "2026-05-07T00:00:00+08:00");
    assert_int_equal(act(f, &c, ACT_ACCEPT, "2026-03-02T11:00"), 0);
    case_req r;
    case_req_init(&r, ACT_REQUEST_EXTENSION, T("2026-04-20T09:00"), "t");
    r.note = "情况复杂";
    case_event ev = {0};
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, NULL), 0);
    case_event_clear(&ev);
    assert_int_equal(act(f, &c, ACT_APPROVE_EXTENSION, "2026-04-20T10:00"), 0);
    /* no --until: the policy's 30 days run from the last day, 5/6 -> 6/5 (a Friday) */
    assert_str(fmt(c.due[DUE_RESOLVE]), "2026-06-06T00:00:00+08:00");
    assert_int_equal(c.extension_count, 1);
    case_rec_clear(&c);
    fixture_free(f);
}

static void overdue_rules(void **st) {
    (void)st;
    fixture *f = fixture_new();
    case_rec c;
    new_case(f, &c, CH_HOTLINE, CL_URGENT, "2026-03-02T09:00");
    assert_false(case_overdue(&c, T("2026-03-02T23:59")));
    assert_true(case_overdue(&c, T("2026-03-03T00:00")));
    assert_int_equal(act(f, &c, ACT_DISPATCH, "2026-03-02T10:00"), 0);
    assert_str(fmt(c.due[DUE_RESOLVE]), "2026-03-02T14:00:00+08:00"); /* urgent: 4 hours */
    assert_true(case_overdue(&c, T("2026-03-02T14:00")));
    assert_int_equal(act(f, &c, ACT_ACCEPT, "2026-03-02T10:05"), 0);
    assert_int_equal(act(f, &c, ACT_RESOLVE, "2026-03-02T13:00"), 0);
    assert_false(case_overdue(&c, T("2026-04-01T00:00")));
    case_rec_clear(&c);
    fixture_free(f);
}

static void names_roundtrip(void **st) {
    (void)st;
    for (int a = AP_CONSULT; a < AP_COUNT; a++) {
        case_appeal back;
        assert_int_equal(case_appeal_parse(case_appeal_name((case_appeal)a), &back, NULL), 0);
        assert_int_equal(back, a);
        assert_non_null(case_appeal_label((case_appeal)a));
    }
    case_appeal none;
    assert_int_equal(case_appeal_parse("咨询", &none, NULL), ERR_INVALID);
    assert_null(case_appeal_name(AP_NONE));
    for (int i = 0; i < CH_COUNT; i++) {
        case_channel v;
        assert_int_equal(case_channel_parse(case_channel_name((case_channel)i), &v, NULL), 0);
        assert_int_equal(v, i);
    }
    for (int i = ACT_DISPATCH; i < ACT_COUNT; i++) {
        case_action v;
        assert_int_equal(case_action_parse(case_action_name((case_action)i), &v, NULL), 0);
        assert_int_equal(v, i);
    }
    err e = {0};
    case_action a;
    assert_int_equal(case_action_parse("create", &a, &e), ERR_INVALID);
    case_channel ch;
    assert_int_equal(case_channel_parse("email", &ch, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "'email'"));
}

/* publish: a dispatcher's public summary and reply, on the case and in the
 * event's free text (never in the hashed payload); publishing again
 * replaces both; a reply is refused on any other action; nothing else moves. */
static void publishing(void **st) {
    (void)st;
    fixture *f = fixture_new();
    case_rec c;
    reach(f, &c, ST_ACCEPTED);
    case_req r;
    case_event ev = {0};
    err e = {0};
    case_req_init(&r, ACT_FEEDBACK, T("2026-03-09T10:00"), "cgj");
    r.note = "已派人查看";
    r.reply = "公开答复";
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID);
    assert_str(e.field, "reply");
    int64_t due = c.due[DUE_RESOLVE];
    case_req_init(&r, ACT_PUBLISH, T("2026-03-09T10:00"), "督查室");
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID); /* a summary is required */
    r.note = "韩愈大街路灯不亮，已安排维修";
    r.reply = "已修复";
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), 0);
    assert_int_equal(c.status, ST_ACCEPTED);
    assert_int_equal(c.due[DUE_RESOLVE], due);
    assert_str(c.public_summary, "韩愈大街路灯不亮，已安排维修");
    assert_str(c.public_reply, "已修复");
    assert_null(strstr(ev.payload, "已修复"));
    assert_non_null(strstr(ev.text, "已修复"));
    assert_non_null(strstr(ev.text, "已安排维修"));
    case_event_clear(&ev);
    r.at = T("2026-03-10T10:00");
    r.note = "新的摘要";
    r.reply = NULL;
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), 0);
    assert_str(c.public_summary, "新的摘要");
    assert_null(c.public_reply);
    case_event_clear(&ev);
    case_rec_clear(&c);
    fixture_free(f);
}

/* 申诉复核: only an unsatisfied 回访, once per visit, decided once; the state
 * stays; a reopen and a new visit start afresh. */
static void reviews_of_a_visit(void **st) {
    (void)st;
    fixture *f = fixture_new();
    case_rec c;
    reach(f, &c, ST_VISITED); /* visited satisfied */
    err e = {0};
    case_req r = full_req(ACT_REQUEST_REVIEW, T("2026-03-21T09:00"));
    case_event ev = {0};
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "only an unsatisfied"));
    case_rec_clear(&c);
    reach(f, &c, ST_RESOLVED);
    r = full_req(ACT_VISIT, T("2026-03-20T09:00"));
    r.satisfaction = SAT_UNSATISFIED;
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), 0);
    case_event_clear(&ev);
    assert_int_equal(act(f, &c, ACT_UPHOLD_REVIEW, "2026-03-21T09:00"), ERR_CONFLICT); /* nothing asked */
    r = full_req(ACT_REQUEST_REVIEW, T("2026-03-21T09:00"));
    r.note = NULL;
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID); /* reasons needed */
    assert_str(e.field, "note");
    assert_int_equal(act(f, &c, ACT_REQUEST_REVIEW, "2026-03-21T09:00"), 0);
    assert_int_equal(c.review, REVIEW_PENDING);
    assert_int_equal(c.status, ST_VISITED);
    assert_int_equal(act(f, &c, ACT_REQUEST_REVIEW, "2026-03-21T10:00"), ERR_CONFLICT); /* once */
    assert_int_equal(act(f, &c, ACT_UPHOLD_REVIEW, "2026-03-22T09:00"), 0);
    assert_int_equal(c.review, REVIEW_UPHELD);
    assert_int_equal(c.review_at, T("2026-03-22T09:00"));
    assert_int_equal(act(f, &c, ACT_REJECT_REVIEW, "2026-03-22T10:00"), ERR_CONFLICT); /* decided */
    met_state m;
    met_state_of(&c, &m);
    assert_true(m.excluded);
    /* reopened: the contested visit is gone, and with it the review */
    assert_int_equal(act(f, &c, ACT_REOPEN, "2026-03-23T09:00"), 0);
    assert_int_equal(c.review, REVIEW_NONE);
    met_state_of(&c, &m);
    assert_false(m.excluded);
    case_rec_clear(&c);
    fixture_free(f);
}

/* 人大代表建议 and 政协提案: the answer's class and a B/C's promised date
 * required; 销号 refused until that date has passed, then with a note; an
 * unsatisfied answer answered again within the configured period; an
 * extension at most 6 months from 交办; other channels take no class. */
static void proposals(void **st) {
    (void)st;
    fixture *f = fixture_new();
    f->env.proposal_redo_days = 20;
    case_rec c;
    new_case(f, &c, CH_DEPUTY, CL_GENERAL, "2026-03-02T09:00");
    assert_int_equal(act(f, &c, ACT_DISPATCH, "2026-03-02T10:00"), 0);
    assert_int_equal(act(f, &c, ACT_ACCEPT, "2026-03-03T10:00"), 0);
    /* 3 months from 交办: resolve due at the end of 2026-06-02 */
    assert_int_equal(c.due[DUE_RESOLVE], T("2026-06-03T00:00"));
    err e = {0};
    case_event ev = {0};
    case_req r = full_req(ACT_REQUEST_EXTENSION, T("2026-03-04T09:00"));
    r.until = dt_days_from_civil(2026, 9, 3); /* past 6 months from 2026-03-02 */
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID);
    assert_str(e.field, "until");
    assert_non_null(strstr(e.msg, "6 months"));
    r.until = dt_days_from_civil(2026, 9, 2);
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), 0);
    case_event_clear(&ev);
    assert_int_equal(act(f, &c, ACT_APPROVE_EXTENSION, "2026-03-04T10:00"), 0);
    /* the answer */
    r = full_req(ACT_RESOLVE, T("2026-04-01T09:00"));
    r.until = INT32_MIN;
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID);
    assert_str(e.field, "answer");
    r.answer = ANS_B;
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID); /* B promises a date */
    assert_str(e.field, "until");
    r.until = dt_days_from_civil(2026, 3, 31); /* not after today */
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID);
    r.answer = ANS_A;
    r.until = dt_days_from_civil(2026, 8, 1);
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID); /* A promises nothing */
    r.answer = ANS_B;
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), 0);
    assert_non_null(strstr(ev.payload, "\"answer\":\"B\""));
    assert_non_null(strstr(ev.payload, "\"promised\":\"2026-08-01\""));
    case_event_clear(&ev);
    assert_int_equal(c.answer, ANS_B);
    assert_int_equal(c.promise_day, dt_days_from_civil(2026, 8, 1));
    assert_int_equal(act(f, &c, ACT_VISIT, "2026-04-02T09:00"), 0);
    /* open until the promised day has passed */
    r = full_req(ACT_CLOSE, T("2026-08-01T20:00"));
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "2026-08-01"));
    r = full_req(ACT_CLOSE, T("2026-08-02T09:00"));
    r.note = NULL;
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID);
    assert_str(e.field, "note");
    r.note = "已核实：道路已修复";
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), 0);
    case_event_clear(&ev);
    assert_int_equal(c.status, ST_CLOSED);
    case_rec_clear(&c);
    /* unsatisfied: answered again within proposal_redo_days */
    new_case(f, &c, CH_CPPCC, CL_GENERAL, "2026-03-02T09:00");
    assert_int_equal(act(f, &c, ACT_DISPATCH, "2026-03-02T10:00"), 0);
    assert_int_equal(act(f, &c, ACT_ACCEPT, "2026-03-03T10:00"), 0);
    r = full_req(ACT_RESOLVE, T("2026-04-01T09:00"));
    r.until = INT32_MIN;
    r.answer = ANS_A;
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), 0);
    case_event_clear(&ev);
    r = full_req(ACT_VISIT, T("2026-04-02T09:00"));
    r.satisfaction = SAT_UNSATISFIED;
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), 0);
    case_event_clear(&ev);
    assert_int_equal(act(f, &c, ACT_REOPEN, "2026-04-03T09:00"), 0);
    assert_int_equal(c.answer, ANS_NONE);
    assert_int_equal(c.due[DUE_RESOLVE], T("2026-04-24T00:00")); /* 20 days on, to the day's end */
    case_rec_clear(&c);
    /* a hotline case takes no class */
    new_case(f, &c, CH_HOTLINE, CL_GENERAL, "2026-03-02T09:00");
    assert_int_equal(act(f, &c, ACT_DISPATCH, "2026-03-02T10:00"), 0);
    assert_int_equal(act(f, &c, ACT_ACCEPT, "2026-03-03T10:00"), 0);
    r = full_req(ACT_RESOLVE, T("2026-03-04T09:00"));
    r.answer = ANS_A;
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID);
    assert_str(e.field, "answer");
    case_rec_clear(&c);
    fixture_free(f);
}

/* A 领导交办 task or milestone is dispatched with its own day: its 办结
 * deadline is the end of that day, not 7 days on; no other channel may. */
static void dated_tasks(void **st) {
    (void)st;
    fixture *f = fixture_new();
    case_rec c;
    err e = {0};
    case_event ev = {0};
    new_case(f, &c, CH_LEADER_TASK, CL_MAJOR, "2026-03-02T09:00");
    case_req r = full_req(ACT_DISPATCH, T("2026-03-02T10:00"));
    r.until = dt_days_from_civil(2026, 3, 1);
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID); /* in the past */
    r.until = dt_days_from_civil(2026, 9, 30);
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), 0);
    case_event_clear(&ev);
    assert_int_equal(c.due[DUE_RESOLVE], T("2026-10-01T00:00"));
    assert_int_equal(c.due[DUE_FEEDBACK] < T("2026-03-10T00:00"), 1); /* 3: feedback as ever */
    case_rec_clear(&c);
    new_case(f, &c, CH_HOTLINE, CL_GENERAL, "2026-03-02T09:00");
    r = full_req(ACT_DISPATCH, T("2026-03-02T10:00"));
    r.until = dt_days_from_civil(2026, 9, 30);
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_INVALID);
    assert_str(e.field, "until");
    case_rec_clear(&c);
    fixture_free(f);
}

/* 主办 and 协办, row by row: what the lead, an assisting unit and any other
 * unit may do; then through case_apply, an assisting unit's feedback is its
 * 协办意见 (marked, not the lead's first feedback) and its accept is refused. */
static void lead_and_assist(void **st) {
    (void)st;
    for (int a = ACT_DISPATCH; a < ACT_COUNT; a++) {
        bool lead = a == ACT_ACCEPT || a == ACT_RETURN || a == ACT_FEEDBACK ||
                    a == ACT_REQUEST_EXTENSION || a == ACT_PROPOSE_PLAN || a == ACT_RESOLVE ||
                    a == ACT_ATTACH || a == ACT_REQUEST_REVIEW;
        bool assist = a == ACT_FEEDBACK || a == ACT_ATTACH; /* 协办意见 and evidence */
        err e = {0};
        assert_int_equal(case_part_allows(PART_LEAD, (case_action)a, &e), lead ? 0 : ERR_FORBIDDEN);
        assert_int_equal(case_part_allows(PART_ASSIST, (case_action)a, &e), assist ? 0 : ERR_FORBIDDEN);
        if (!assist) assert_non_null(strstr(e.msg, "协办"));
        assert_int_equal(case_part_allows(PART_NONE, (case_action)a, &e), ERR_FORBIDDEN);
    }
    fixture *f = fixture_new();
    case_rec c;
    new_case(f, &c, CH_HOTLINE, CL_GENERAL, "2026-03-02T09:00");
    case_req r;
    case_event ev = {0};
    err e = {0};
    case_req_init(&r, ACT_DISPATCH, T("2026-03-02T10:00"), "督查室");
    r.lead = (unit_ref){.id = 1, .code = "cgj", .name = "市城市管理局"};
    r.assist[0] = (unit_ref){.id = 2, .code = "hyj", .name = "河阳街道"};
    r.n_assist = 1;
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), 0);
    case_event_clear(&ev);
    assert_int_equal(case_part_of(&c, 1), PART_LEAD);
    assert_int_equal(case_part_of(&c, 2), PART_ASSIST);
    assert_int_equal(case_part_of(&c, 3), PART_NONE);
    assert_int_equal(case_part_of(&c, 0), PART_NONE);
    case_req_init(&r, ACT_ACCEPT, T("2026-03-02T11:00"), "hyj");
    r.unit_id = 2;
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), ERR_FORBIDDEN);
    assert_int_equal(c.status, ST_DISPATCHED);
    r.unit_id = 1;
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), 0);
    case_event_clear(&ev);
    case_req_init(&r, ACT_FEEDBACK, T("2026-03-02T12:00"), "hyj");
    r.unit_id = 2;
    r.note = "河阳街道配合排查";
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), 0);
    assert_int_equal(c.first_feedback_at, 0); /* the lead has not reported yet */
    assert_non_null(strstr(ev.payload, "\"assist_unit\""));
    case_event_clear(&ev);
    const case_action lead_only[] = {ACT_RETURN, ACT_RESOLVE, ACT_REQUEST_EXTENSION};
    for (size_t i = 0; i < sizeof lead_only / sizeof *lead_only; i++) {
        case_req_init(&r, lead_only[i], T("2026-03-02T13:00"), "hyj");
        r.unit_id = 2;
        r.note = "x";
        assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), lead_only[i] == ACT_RETURN ? ERR_CONFLICT : ERR_FORBIDDEN);
    }
    case_req_init(&r, ACT_FEEDBACK, T("2026-03-02T14:00"), "cgj");
    r.unit_id = 1;
    r.note = "已到现场";
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, &e), 0);
    assert_int_equal(c.first_feedback_at, T("2026-03-02T14:00"));
    assert_null(strstr(ev.payload, "assist_unit"));
    case_event_clear(&ev);
    case_rec_clear(&c);
    fixture_free(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_pair),   cmocka_unit_test(required_inputs),
        cmocka_unit_test(guards),       cmocka_unit_test(time_never_runs_backwards),       cmocka_unit_test(deadlines), cmocka_unit_test(provisional_deadlines), cmocka_unit_test(direct_answers), cmocka_unit_test(merges), cmocka_unit_test(reassign), cmocka_unit_test(unreachable_visits),
        cmocka_unit_test(petitions_extend_by_policy), cmocka_unit_test(overdue_rules),
        cmocka_unit_test(names_roundtrip), cmocka_unit_test(publishing),
        cmocka_unit_test(lead_and_assist), cmocka_unit_test(reviews_of_a_visit),
        cmocka_unit_test(proposals), cmocka_unit_test(dated_tasks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
