/* Tests for core/metrics: counting as of a moment, null rates, composite. */
#include "test.h"

#include <math.h>

#include "core/metrics.h"

static met_case mk(int64_t d, int64_t acc, int64_t fb, int64_t res, int64_t vis, int sat,
                   int solved) {
    return (met_case){.dispatched_at = d, .accept_due = d + 100, .accepted_at = acc,
                      .feedback_due = d + 300, .first_feedback_at = fb, .resolve_due = d + 700,
                      .resolved_at = res, .visited_at = vis, .satisfaction = sat,
                      .solved = solved};
}

static void counting(void **st) {
    (void)st;
    met_counts m = {0};
    met_case a = mk(1000, 1050, 1200, 1600, 1800, SAT_SATISFIED, 1);  /* all on time */
    met_case b = mk(1000, 1200, 1400, 1800, 1900, SAT_UNSATISFIED, 0); /* all late */
    met_case c = mk(1000, 0, 0, 0, 0, SAT_NONE, -1);                  /* nothing done */
    met_case d = mk(5000, 0, 0, 0, 0, SAT_NONE, -1);                  /* after `at` */
    c.reopen_count = 1;
    met_count_case(&m, &a, 2000);
    met_count_case(&m, &b, 2000);
    met_count_case(&m, &c, 2000);
    met_count_case(&m, &d, 2000);
    assert_int_equal(m.dispatched, 3);
    assert_int_equal(m.accepted_on_time, 1);
    assert_int_equal(m.feedback_expected, 3);
    assert_int_equal(m.feedback_on_time, 1);
    assert_int_equal(m.resolved, 2);
    assert_int_equal(m.resolved_on_time, 1);
    assert_int_equal(m.visited, 2);
    assert_int_equal(m.solved, 1);
    assert_int_equal(m.satisfied, 1);
    assert_int_equal(m.reopened, 1);
    assert_int_equal(m.ever_resolved, 3);
    assert_int_equal(m.overdue, 1);
    /* the same cases seen earlier, at 1500: later milestones do not count */
    met_counts early = {0};
    met_count_case(&early, &a, 1500);
    met_count_case(&early, &b, 1500);
    assert_int_equal(early.resolved, 0);
    assert_int_equal(early.feedback_on_time, 1);
    assert_int_equal(early.overdue, 0);

    met_weights w;
    met_weights_default(&w);
    met_rates r;
    m.returned = 1;
    m.dispatched++;
    met_compute(&m, &w, &r);
    assert_true(fabs(r.accept_rate - 1.0 / 4) < 1e-15);
    assert_true(fabs(r.solve_rate - 0.5) < 1e-15);
    assert_true(fabs(r.satisfy_rate - 0.5) < 1e-15);
    assert_true(fabs(r.return_rate - 0.25) < 1e-15);
    assert_true(fabs(r.composite - (0.30 * 0.25 + 0.35 * 0.5 + 0.35 * 0.5)) < 1e-15);
}

/* An upheld 申诉复核 takes the visit out of 解决率 and 满意率 from the moment
 * it was upheld, and is counted as excluded; before that it still counts. */
static void upheld_reviews_leave_the_rates(void **st) {
    (void)st;
    met_case b = mk(1000, 1050, 1200, 1600, 1800, SAT_UNSATISFIED, 0);
    b.excluded_at = 2500;
    met_counts before = {0}, after = {0};
    met_count_case(&before, &b, 2000);
    met_count_case(&after, &b, 3000);
    assert_int_equal(before.visited, 1);
    assert_int_equal(before.excluded, 0);
    assert_int_equal(after.visited, 0);
    assert_int_equal(after.satisfied, 0);
    assert_int_equal(after.solved, 0);
    assert_int_equal(after.excluded, 1);
    assert_int_equal(after.resolved, 1); /* the work itself still counts */
    bool num, den;
    int fig;
    const char *n, *d;
    assert_int_equal(met_figure_parse("satisfaction_rate", &fig, &n, &d, NULL), 0);
    met_case_in(&b, 3000, fig, &num, &den);
    assert_false(num);
    assert_false(den);
    met_case_in(&b, 2000, fig, &num, &den);
    assert_true(den);
}

static void zero_denominators_are_null(void **st) {
    (void)st;
    met_counts m = {.dispatched = 4, .accepted_on_time = 3};
    met_weights w;
    met_weights_default(&w);
    met_rates r;
    met_compute(&m, &w, &r);
    assert_true(isnan(r.solve_rate));
    assert_true(isnan(r.satisfy_rate));
    assert_true(isnan(r.ontime_rate));
    /* only the accept rate exists: the composite is that rate, not 30% of it */
    assert_true(fabs(r.composite - 0.75) < 1e-15);
    met_counts none = {0};
    met_compute(&none, &w, &r);
    assert_true(isnan(r.composite));
}

static void packing_roundtrip(void **st) {
    (void)st;
    met_case cases[] = {
        mk(1772415000, 1772418600, 0, 0, 0, SAT_NONE, -1),
        mk(1772415000, 1772415000, 1772500000, 1773000000, 1773100000, SAT_BASIC, 1),
        mk(1772415000, 1772415300, 1772416000, 1772417000, 1772418000, SAT_UNSATISFIED, 0),
    };
    cases[1].reopen_count = 3;
    cases[1].extension_count = 70000; /* saturates */
    cases[2].excluded_at = 1772500000;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        unsigned char buf[MET_PACKED_SIZE];
        met_case out;
        met_case_pack(&cases[i], buf);
        assert_int_equal(met_case_unpack(buf, sizeof buf, cases[i].dispatched_at, &out), 0);
        if (i == 1) cases[i].extension_count = 65535;
        assert_memory_equal(&out, &cases[i], sizeof out);
    }
    met_case out;
    unsigned char buf[MET_PACKED_SIZE] = {0};
    /* a case packed before 申诉复核 existed (34 bytes) reads as never excluded */
    met_case_pack(&cases[2], buf);
    assert_int_equal(met_case_unpack(buf, MET_PACKED_SIZE_V1, cases[2].dispatched_at, &out), 0);
    assert_int_equal(out.excluded_at, 0);
    assert_int_equal(out.visited_at, cases[2].visited_at);
    assert_int_equal(met_case_unpack(buf, 10, 0, &out), -1);
    assert_int_equal(met_case_unpack(NULL, 0, 0, &out), -1);
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

/* composite_weights: three whole percents adding up to 100 */
static void weights_from_configuration(void **st) {
    (void)st;
    static const struct { const char *s; bool ok; double a; } rows[] = {
        {"30/35/35", true, 0.30}, {"50/25/25", true, 0.50}, {"100/0/0", true, 1.0},
        {"50/25/20", false, 0}, {"30/35", false, 0}, {"30/35/35x", false, 0}, {"-10/55/55", false, 0},
        {"", false, 0}, {"30 / 35 / 35", false, 0}, {"1000/0/0", false, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        met_weights w = {0};
        err e = {0};
        int rc = met_weights_parse(rows[i].s, &w, &e);
        if ((rc == 0) != rows[i].ok) fail_msg("'%s': %d %s", rows[i].s, rc, e.msg);
        if (rc) assert_str(e.field, "value");
        else assert_true(fabs(w.accept - rows[i].a) < 1e-9 && fabs(w.accept + w.solve + w.satisfy - 1) < 1e-9);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(weights_from_configuration),
        cmocka_unit_test(ranking),
        cmocka_unit_test(counting),
        cmocka_unit_test(upheld_reviews_leave_the_rates),
        cmocka_unit_test(zero_denominators_are_null),
        cmocka_unit_test(packing_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
