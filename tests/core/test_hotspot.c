/* Tests for core/hotspot: the Poisson tail against known values, the rule's
 * parsing, and the judgement row by row. */
#include "test.h"

#include <math.h>

#include "core/hotspot.h"

static void poisson_tail(void **st) {
    (void)st;
    /* P(X >= 1 | 1) = 1 - e^-1; P(X >= 3 | 2) = 1 - 5e^-2; P(X >= 10 | 2) ~ 4.6e-5 */
    assert_true(fabs(hot_poisson_tail(1, 1.0) - (1 - exp(-1))) < 1e-12);
    assert_true(fabs(hot_poisson_tail(3, 2.0) - (1 - 5 * exp(-2))) < 1e-12);
    assert_true(fabs(hot_poisson_tail(10, 2.0) - 4.6498e-5) < 1e-8);
    assert_true(hot_poisson_tail(0, 3.0) == 1.0);
    /* a large mean does not underflow: P(X >= 1000 | 1000) is about a half */
    double big = hot_poisson_tail(1000, 1000.0);
    assert_true(big > 0.49 && big < 0.51);
}

static void rule_parsing(void **st) {
    (void)st;
    hot_rule r;
    hot_rule_default(&r);
    assert_int_equal(r.min_count, 5);
    assert_int_equal(hot_rule_parse("8/0.001", &r, NULL), 0);
    assert_int_equal(r.min_count, 8);
    assert_true(fabs(r.p - 0.001) < 1e-15);
    static const char *const bad[] = {"", "5", "0/0.01", "5/0", "5/1", "5/0.01x", "5/-0.1", "1001/0.5", "a/b"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err e = {0};
        assert_int_equal(hot_rule_parse(bad[i], &r, &e), ERR_INVALID);
        assert_str(e.field, "value");
    }
    assert_int_equal(r.min_count, 8); /* unchanged by a refusal */
}

static void judgement(void **st) {
    (void)st;
    hot_rule r = {5, 0.01};
    static const struct { int64_t week[HOT_WEEKS + 1]; bool hot; } rows[] = {
        {{6, 0, 0, 0, 0, 0, 0, 0, 0}, true},   /* out of nowhere: floor 0.5 */
        {{4, 0, 0, 0, 0, 0, 0, 0, 0}, false},  /* below the least count */
        {{6, 5, 6, 4, 7, 5, 6, 5, 6}, false},  /* its usual level */
        {{14, 5, 6, 4, 7, 5, 6, 5, 6}, true},  /* well above it */
        {{9, 5, 6, 4, 7, 5, 6, 5, 6}, false},  /* above, but not unlikely enough */
        {{30, 20, 22, 18, 25, 19, 21, 20, 23}, false},
        {{45, 20, 22, 18, 25, 19, 21, 20, 23}, true},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        double mean, p;
        bool hot = hot_judge(&r, rows[i].week, &mean, &p);
        if (hot != rows[i].hot) fail_msg("row %zu: hot %d (mean %.2f, p %.2g)", i, hot, mean, p);
    }
    double mean, p;
    hot_judge(&r, rows[3].week, &mean, &p);
    assert_true(fabs(mean - 44.0 / 8) < 1e-12);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(poisson_tail),
        cmocka_unit_test(rule_parsing),
        cmocka_unit_test(judgement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
