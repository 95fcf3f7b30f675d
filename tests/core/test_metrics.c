/* Tests for core/metrics: a case's history counted as of a moment, the
 * definitions and traps of docs/rules.md, null rates, ranking. */
#include "test.h"

#include <math.h>

#include "core/metrics.h"
#include "core/scheme.h"

#define DAY 86400
#define T0 1767196800 /* 2026-01-01 00:00 +08:00 */
#define A 1           /* the units' ids */
#define B 2

/* A case's history built as the actions write it: each step changes the
 * state, and met_hist_step records the change. */
typedef struct hist {
    met_state m;
    unsigned char buf[2048];
    size_t n;
} hist;

#define STEP(h, act, t, ...)                                                                 \
    do {                                                                                     \
        met_state b_ = (h)->m;                                                               \
        met_state *s_ = &(h)->m;                                                             \
        (void)s_;                                                                            \
        __VA_ARGS__;                                                                         \
        (h)->n += met_hist_step(&b_, &(h)->m, (act), (t), T0, (h)->buf + (h)->n);            \
    } while (0)

static void hist_init(hist *h) {
    memset(h, 0, sizeof *h);
    h->m.satisfaction = SAT_NONE;
    h->m.solved = -1;
}

/* dispatched to `unit` at t: 签收 within a day, 反馈 within 3, 办结 within 7 */
static void dispatch(hist *h, int64_t unit, int64_t t) {
    STEP(h, ACT_DISPATCH, t, s_->lead = unit, s_->accept_due = t + DAY, s_->feedback_due = t + 3 * DAY,
         s_->resolve_due = t + 7 * DAY, s_->accepted_at = s_->fed_at = 0);
}

typedef struct two { met_counts u[3]; } two;

static met_counts *unit_of(void *ctx, int64_t unit) {
    two *t = ctx;
    return unit == A || unit == B ? &t->u[unit] : NULL;
}

/* The counts of one case's history over [from, to) as of at. */
static two count(const hist *h, int64_t from, int64_t to, int64_t at) {
    two t;
    memset(&t, 0, sizeof t);
    assert_int_equal(met_hist_count(h->buf, h->n, T0, AP_COMPLAINT, from, to, at, unit_of, &t), 0);
    return t;
}

#define JAN T0, T0 + 31 * DAY
#define FEB T0 + 31 * DAY, T0 + 59 * DAY
#define MAR T0 + 59 * DAY, T0 + 90 * DAY

static void counting(void **st) {
    (void)st;
    hist h;
    hist_init(&h);
    int64_t d = T0 + 2 * DAY;
    dispatch(&h, A, d);
    STEP(&h, ACT_ACCEPT, d + 3600, s_->accepted_at = d + 3600);
    STEP(&h, ACT_FEEDBACK, d + DAY, s_->fed_at = d + DAY);
    STEP(&h, ACT_RESOLVE, d + 5 * DAY, s_->resolved_at = d + 5 * DAY);
    STEP(&h, ACT_VISIT, d + 6 * DAY, s_->visited_at = d + 6 * DAY, s_->satisfaction = SAT_BASIC, s_->solved = 1);
    two t = count(&h, JAN, T0 + 40 * DAY);
    met_counts *m = &t.u[A];
    assert_int_equal(m->dispatched, 1);
    assert_int_equal(m->appeal[AP_COMPLAINT], 1);
    assert_int_equal(m->accept_due, 1);
    assert_int_equal(m->accepted_on_time, 1);
    assert_int_equal(m->feedback_expected, 1);
    assert_int_equal(m->feedback_on_time, 1);
    assert_int_equal(m->due, 1);
    assert_int_equal(m->resolved, 1);
    assert_int_equal(m->resolved_on_time, 1);
    assert_int_equal(m->ever_resolved, 1);
    assert_int_equal(m->visited, 1);
    assert_int_equal(m->satisfied, 1); /* 基本满意 passes */
    assert_int_equal(m->solved, 1);
    assert_int_equal(m->overdue, 0);
    /* as of the day after dispatch: signed for, nothing due yet */
    t = count(&h, JAN, d + DAY - 1);
    assert_int_equal(t.u[A].dispatched, 1);
    assert_int_equal(t.u[A].accepted_on_time, 1);
    assert_int_equal(t.u[A].due, 0);
    assert_int_equal(t.u[A].feedback_expected, 0); /* not due yet, not given yet */
    assert_int_equal(t.u[A].visited, 0);
    /* nothing of it in February */
    t = count(&h, FEB, T0 + 70 * DAY);
    static const met_counts zero;
    assert_memory_equal(&t.u[A], &zero, sizeof zero);
}

/* A figure as of `at` reads the records up to `at` and nothing after: a
 * history cut at `at` gives the same counts as the whole one. */
static void later_records_change_nothing(void **st) {
    (void)st;
    hist h;
    hist_init(&h);
    int64_t d = T0 + 20 * DAY;
    dispatch(&h, A, d);
    STEP(&h, ACT_RESOLVE, d + 9 * DAY, s_->resolved_at = d + 9 * DAY);
    size_t cut = h.n;
    STEP(&h, ACT_VISIT, d + 10 * DAY, s_->visited_at = d + 10 * DAY, s_->satisfaction = SAT_UNSATISFIED,
         s_->solved = 0);
    STEP(&h, ACT_REOPEN, d + 12 * DAY, s_->resolved_at = s_->visited_at = 0, s_->satisfaction = SAT_NONE,
         s_->solved = -1, s_->resolve_due = d + 19 * DAY);
    STEP(&h, ACT_RESOLVE, d + 13 * DAY, s_->resolved_at = d + 13 * DAY);
    hist early = h;
    early.n = cut;
    for (int64_t at = d; at < d + 15 * DAY; at += DAY / 2)
        for (int p = 0; p < 2; p++) {
            int64_t from = p ? T0 + 31 * DAY : T0, to = p ? T0 + 59 * DAY : T0 + 31 * DAY;
            two whole = count(&h, from, to, at);
            if (at < d + 10 * DAY) {
                two part = count(&early, from, to, at);
                assert_memory_equal(&whole, &part, sizeof whole);
            }
        }
}

/* 应结案: due in the period, finished early in it, or still open from
 * before (积案) — counted again each period until finished. */
static void due_finished_early_and_carried(void **st) {
    (void)st;
    hist early, open;
    hist_init(&early);
    hist_init(&open);
    dispatch(&early, A, T0 + 28 * DAY); /* due Feb 4, finished Jan 30 */
    STEP(&early, ACT_RESOLVE, T0 + 29 * DAY, s_->resolved_at = T0 + 29 * DAY);
    two t = count(&early, JAN, T0 + 34 * DAY);
    assert_int_equal(t.u[A].due, 1);
    assert_int_equal(t.u[A].resolved_on_time, 1);
    t = count(&early, FEB, T0 + 62 * DAY);
    assert_int_equal(t.u[A].due, 0);

    dispatch(&open, A, T0 + 10 * DAY); /* due Jan 18, left open until Mar 5 */
    t = count(&open, JAN, T0 + 34 * DAY);
    assert_int_equal(t.u[A].due, 1);
    assert_int_equal(t.u[A].overdue, 1);
    assert_int_equal(t.u[A].carried, 0);
    t = count(&open, FEB, T0 + 62 * DAY);
    assert_int_equal(t.u[A].due, 1); /* abandoning it does not make February clean */
    assert_int_equal(t.u[A].carried, 1);
    assert_int_equal(t.u[A].resolved, 0);
    STEP(&open, ACT_RESOLVE, T0 + 63 * DAY, s_->resolved_at = T0 + 63 * DAY);
    t = count(&open, MAR, T0 + 93 * DAY);
    assert_int_equal(t.u[A].due, 1);
    assert_int_equal(t.u[A].resolved, 1);
    assert_int_equal(t.u[A].resolved_on_time, 0);
    assert_int_equal(t.u[A].carried, 1);
    t = count(&open, FEB, T0 + 93 * DAY); /* February as of later: still due and unfinished there */
    assert_int_equal(t.u[A].due, 1);
    assert_int_equal(t.u[A].resolved, 0);
}

/* An extension moves the deadline only when asked for before it; one asked
 * for late is approved for the work but leaves the lateness in the figures. */
static void extensions_asked_in_time(void **st) {
    (void)st;
    hist in_time, late;
    hist_init(&in_time);
    hist_init(&late);
    int64_t d = T0 + 5 * DAY; /* due Jan 13 */
    dispatch(&in_time, A, d);
    STEP(&in_time, ACT_REQUEST_EXTENSION, d + 6 * DAY, (void)0);
    STEP(&in_time, ACT_APPROVE_EXTENSION, d + 9 * DAY, s_->resolve_due = d + 14 * DAY);
    STEP(&in_time, ACT_RESOLVE, d + 12 * DAY, s_->resolved_at = d + 12 * DAY);
    two t = count(&in_time, JAN, T0 + 34 * DAY);
    assert_int_equal(t.u[A].due, 1);
    assert_int_equal(t.u[A].resolved_on_time, 1);
    assert_int_equal(t.u[A].extended, 1);
    assert_int_equal(t.u[A].late_requests, 0);
    /* as of before the approval, the deadline in force was the first */
    t = count(&in_time, JAN, d + 8 * DAY);
    assert_int_equal(t.u[A].due, 1);
    assert_int_equal(t.u[A].overdue, 1);

    dispatch(&late, A, d);
    STEP(&late, ACT_REQUEST_EXTENSION, d + 8 * DAY, (void)0); /* a day after the deadline */
    STEP(&late, ACT_APPROVE_EXTENSION, d + 9 * DAY, s_->resolve_due = d + 14 * DAY);
    STEP(&late, ACT_RESOLVE, d + 12 * DAY, s_->resolved_at = d + 12 * DAY);
    t = count(&late, JAN, T0 + 34 * DAY);
    assert_int_equal(t.u[A].due, 1);
    assert_int_equal(t.u[A].resolved, 1);
    assert_int_equal(t.u[A].resolved_on_time, 0);
    assert_int_equal(t.u[A].extended, 0);
    assert_int_equal(t.u[A].late_requests, 1);
}

/* A deadline missed stays with the unit that missed it after 改派 or 退单. */
static void misses_stay_with_the_unit(void **st) {
    (void)st;
    hist h;
    hist_init(&h);
    int64_t d = T0 + 2 * DAY;
    dispatch(&h, A, d); /* A signs for nothing, gives no feedback, misses the 9th */
    STEP(&h, ACT_REASSIGN, d + 10 * DAY, s_->lead = B, s_->accept_due = d + 11 * DAY,
         s_->feedback_due = d + 13 * DAY, s_->resolve_due = d + 17 * DAY);
    STEP(&h, ACT_ACCEPT, d + 10 * DAY + 60, s_->accepted_at = d + 10 * DAY + 60);
    STEP(&h, ACT_RESOLVE, d + 15 * DAY, s_->resolved_at = d + 15 * DAY);
    two t = count(&h, JAN, T0 + 34 * DAY);
    assert_int_equal(t.u[A].accept_due, 1);
    assert_int_equal(t.u[A].accepted_on_time, 0);
    assert_int_equal(t.u[A].feedback_expected, 1);
    assert_int_equal(t.u[A].due, 1);
    assert_int_equal(t.u[A].overdue, 1);
    assert_int_equal(t.u[A].dispatched, 0); /* moved away by 改派: not its volume */
    assert_int_equal(t.u[B].dispatched, 1);
    assert_int_equal(t.u[B].due, 1);
    assert_int_equal(t.u[B].resolved_on_time, 1); /* by the new day it was given */
    /* a unit that returns the case in time is not charged; one that returns it late is */
    hist r;
    hist_init(&r);
    dispatch(&r, A, d);
    STEP(&r, ACT_RETURN, d + 2 * DAY, s_->lead = 0, s_->accept_due = s_->feedback_due = s_->resolve_due = 0);
    t = count(&r, JAN, T0 + 34 * DAY);
    assert_int_equal(t.u[A].dispatched, 1);
    assert_int_equal(t.u[A].returned, 1);
    assert_int_equal(t.u[A].appeal[AP_COMPLAINT], 0);
    assert_int_equal(t.u[A].accept_due, 1); /* its 签收 was due the day after */
    assert_int_equal(t.u[A].due, 0);        /* its 办结 was not */
}

/* 反馈 due after the period is not a failure in it. */
static void feedback_due_by_the_cut_off(void **st) {
    (void)st;
    hist h;
    hist_init(&h);
    dispatch(&h, A, T0 + 30 * DAY); /* Jan 31: feedback due Feb 3 */
    two t = count(&h, JAN, T0 + 33 * DAY);
    assert_int_equal(t.u[A].dispatched, 1);
    assert_int_equal(t.u[A].feedback_expected, 0);
    t = count(&h, FEB, T0 + 62 * DAY);
    assert_int_equal(t.u[A].feedback_expected, 1);
    assert_int_equal(t.u[A].feedback_on_time, 0);
}

/* 重办: the result sent back counts in 重办率; the case is due again and
 * says so; the visit it answered is gone, and the second visit counts. */
static void reopened_cases_are_due_again(void **st) {
    (void)st;
    hist h;
    hist_init(&h);
    int64_t d = T0 + 2 * DAY;
    dispatch(&h, A, d);
    STEP(&h, ACT_RESOLVE, d + 3 * DAY, s_->resolved_at = d + 3 * DAY);
    STEP(&h, ACT_VISIT, d + 4 * DAY, s_->visited_at = d + 4 * DAY, s_->satisfaction = SAT_UNSATISFIED,
         s_->solved = 0);
    two t = count(&h, JAN, d + 4 * DAY);
    assert_int_equal(t.u[A].visited, 1);
    assert_int_equal(t.u[A].satisfied, 0);
    STEP(&h, ACT_REOPEN, d + 5 * DAY, s_->resolved_at = s_->visited_at = 0, s_->satisfaction = SAT_NONE,
         s_->solved = -1, s_->resolve_due = d + 12 * DAY);
    t = count(&h, JAN, d + 5 * DAY);
    assert_int_equal(t.u[A].visited, 0);
    assert_int_equal(t.u[A].ever_resolved, 1);
    assert_int_equal(t.u[A].reopened, 1);
    STEP(&h, ACT_RESOLVE, d + 8 * DAY, s_->resolved_at = d + 8 * DAY);
    STEP(&h, ACT_VISIT, d + 9 * DAY, s_->visited_at = d + 9 * DAY, s_->satisfaction = SAT_SATISFIED,
         s_->solved = 1);
    t = count(&h, JAN, T0 + 34 * DAY);
    assert_int_equal(t.u[A].due, 2); /* the first 办理 and the second */
    assert_int_equal(t.u[A].due_reopened, 1);
    assert_int_equal(t.u[A].resolved_on_time, 2);
    assert_int_equal(t.u[A].visited, 1);
    assert_int_equal(t.u[A].satisfied, 1);
    assert_int_equal(t.u[A].ever_resolved, 2);
    assert_int_equal(t.u[A].reopened, 1);
}

/* An upheld 申诉复核 takes the visit out of 解决率 and 满意率 from the moment
 * it was upheld; before that it still counts. */
static void upheld_reviews_leave_the_rates(void **st) {
    (void)st;
    hist h;
    hist_init(&h);
    int64_t d = T0 + 2 * DAY;
    dispatch(&h, A, d);
    STEP(&h, ACT_RESOLVE, d + 3 * DAY, s_->resolved_at = d + 3 * DAY);
    STEP(&h, ACT_VISIT, d + 4 * DAY, s_->visited_at = d + 4 * DAY, s_->satisfaction = SAT_UNSATISFIED,
         s_->solved = 0);
    STEP(&h, ACT_UPHOLD_REVIEW, d + 6 * DAY, s_->excluded = true);
    two before = count(&h, JAN, d + 5 * DAY), after = count(&h, JAN, d + 7 * DAY);
    assert_int_equal(before.u[A].visited, 1);
    assert_int_equal(before.u[A].excluded, 0);
    assert_int_equal(after.u[A].visited, 0);
    assert_int_equal(after.u[A].excluded, 1);
    assert_int_equal(after.u[A].resolved, 1); /* the work itself still counts */
    int64_t num, den;
    int fig;
    const char *n, *dn;
    assert_int_equal(met_figure_parse("satisfaction_rate", &fig, &n, &dn, NULL), 0);
    met_figure_counts(&after.u[A], fig, &num, &den);
    assert_int_equal(num, 0);
    assert_int_equal(den, 0);
    met_figure_counts(&before.u[A], fig, &num, &den);
    assert_int_equal(den, 1);
    assert_int_equal(met_figure_parse("resolve_rate", &fig, &n, &dn, NULL), 0);
    assert_string_equal(dn, "due");
    assert_int_equal(met_figure_parse("nope", &fig, &n, &dn, NULL), ERR_INVALID);
    /* bytes that end inside a record are not a history */
    assert_int_equal(met_hist_count(h.buf, h.n - 1, T0, AP_NONE, JAN, T0 + 400 * DAY, unit_of, &before), -1);
}

static void rates(void **st) {
    (void)st;
    met_counts m = {.dispatched = 4, .returned = 1, .accept_due = 4, .accepted_on_time = 1, .due = 5,
                    .resolved = 4, .resolved_on_time = 2, .visited = 2, .solved = 1, .satisfied = 1,
                    .extended = 1};
    met_rates r;
    met_compute(&m, sch_default(), &r);
    assert_true(fabs(r.accept_rate - 0.25) < 1e-15);
    assert_true(fabs(r.resolve_rate - 0.8) < 1e-15);
    assert_true(fabs(r.ontime_rate - 0.4) < 1e-15); /* over 应结案, not over 办结 */
    assert_true(fabs(r.extension_rate - 0.2) < 1e-15);
    assert_true(fabs(r.return_rate - 0.25) < 1e-15);
    /* the default scheme: 4 to sign for and 2 visits are fewer than its 5 observations, so only
     * completion (always scored when cases are due) counts: 0.4 of full marks */
    if (fabs(r.composite - 0.4) > 1e-12) fail_msg("composite %.15g", r.composite);
}

static void zero_denominators_are_null(void **st) {
    (void)st;
    met_counts m = {.dispatched = 4, .accept_due = 4, .accepted_on_time = 3};
    met_rates r;
    met_compute(&m, sch_default(), &r);
    assert_true(isnan(r.solve_rate));
    assert_true(isnan(r.satisfy_rate));
    assert_true(isnan(r.ontime_rate));
    met_counts none = {0};
    met_compute(&none, sch_default(), &r);
    assert_true(isnan(r.composite));
}

/* Ranked within their groups, highest composite first; ties share a rank;
 * below the minimum volume or without a composite: listed, not ranked. */
static void ranking(void **st) {
    (void)st;
    /*                     dept  dept  town  dept(1 case) dept  town  dept(no composite) */
    double composite[] = {0.80, 0.95, 0.70, 1.00, 0.80, 0.90, NAN};
    int64_t volume[] = {40, 12, 30, 1, 25, 8, 50};
    int group[] = {0, 0, 1, 0, 0, 1, 0};
    int rank[7];
    met_rank(composite, volume, group, 7, 5, rank);
    int want[] = {2, 1, 2, 0, 2, 1, 0};
    assert_memory_equal(rank, want, sizeof want);
    met_rank(composite, volume, group, 7, 0, rank); /* no minimum: the one case at 100% comes first */
    int want0[] = {3, 2, 2, 1, 3, 1, 0};
    assert_memory_equal(rank, want0, sizeof want0);
    met_rank(composite, volume, group, 0, 5, rank); /* nothing to rank */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ranking),
        cmocka_unit_test(counting),
        cmocka_unit_test(later_records_change_nothing),
        cmocka_unit_test(due_finished_early_and_carried),
        cmocka_unit_test(extensions_asked_in_time),
        cmocka_unit_test(misses_stay_with_the_unit),
        cmocka_unit_test(feedback_due_by_the_cut_off),
        cmocka_unit_test(reopened_cases_are_due_again),
        cmocka_unit_test(upheld_reviews_leave_the_rates),
        cmocka_unit_test(rates),
        cmocka_unit_test(zero_denominators_are_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
