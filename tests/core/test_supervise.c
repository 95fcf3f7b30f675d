/* Tests for core/supervise: blue, yellow and red, each once per deadline,
 * each level from the deadline (red three days past it), whenever the
 * sweep runs. */
#include "test.h"

#include <stdio.h>

#include "core/supervise.h"
#include "tests/core/case_fixture.h"

static void levels_once_each(void **st) {
    (void)st;
    fixture *f = fixture_new();
    case_rec c;
    sup_notice out[DUE_COUNT * SUP_LEVEL_COUNT];
    new_case(f, &c, CH_HOTLINE, CL_GENERAL, "2026-03-02T09:00"); /* dispatch due 3/3 00:00 */
    assert_int_equal(sup_eval(&c, T("2026-03-01T23:00"), out), 0);
    assert_int_equal(sup_eval(&c, T("2026-03-02T09:00"), out), 1);
    assert_int_equal(out[0].level, SUP_BLUE);
    assert_int_equal(out[0].kind, DUE_DISPATCH);
    assert_int_equal(sup_eval(&c, T("2026-03-02T10:00"), out), 0);
    assert_int_equal(sup_eval(&c, T("2026-03-03T00:00"), out), 1);
    assert_int_equal(out[0].level, SUP_YELLOW);
    assert_int_equal(sup_eval(&c, T("2026-03-05T23:59"), out), 0);
    assert_int_equal(sup_eval(&c, T("2026-03-06T00:00"), out), 1);
    assert_int_equal(out[0].level, SUP_RED);
    assert_int_equal(sup_eval(&c, T("2026-04-01T00:00"), out), 0);
    case_rec_clear(&c);
    fixture_free(f);
}

/* A sweep that first looks long after the deadline raises the level the
 * deadline has reached at once: yellow and red together, never blue. */
static void a_late_sweep_raises_the_level_reached(void **st) {
    (void)st;
    fixture *f = fixture_new();
    case_rec c;
    sup_notice out[DUE_COUNT * SUP_LEVEL_COUNT];
    new_case(f, &c, CH_HOTLINE, CL_GENERAL, "2026-03-02T09:00"); /* dispatch due 3/3 00:00 */
    assert_int_equal(sup_eval(&c, T("2026-03-10T00:00"), out), 2);
    assert_int_equal(out[0].level, SUP_YELLOW);
    assert_int_equal(out[1].level, SUP_RED);
    assert_int_equal(sup_eval(&c, T("2026-03-13T00:00"), out), 0);
    case_rec_clear(&c);
    /* looked at a day late: yellow; red three days after the deadline, not after the yellow */
    new_case(f, &c, CH_HOTLINE, CL_GENERAL, "2026-03-02T09:00");
    assert_int_equal(sup_eval(&c, T("2026-03-04T00:00"), out), 1);
    assert_int_equal(out[0].level, SUP_YELLOW);
    assert_int_equal(sup_next_alert(&c), T("2026-03-06T00:00"));
    assert_int_equal(sup_eval(&c, T("2026-03-05T23:59"), out), 0);
    assert_int_equal(sup_eval(&c, T("2026-03-06T00:00"), out), 1);
    assert_int_equal(out[0].level, SUP_RED);
    case_rec_clear(&c);
    fixture_free(f);
}

static void new_deadline_new_notices(void **st) {
    (void)st;
    fixture *f = fixture_new();
    case_rec c;
    sup_notice out[DUE_COUNT * SUP_LEVEL_COUNT];
    new_case(f, &c, CH_HOTLINE, CL_GENERAL, "2026-03-02T09:00");
    assert_int_equal(act(f, &c, ACT_DISPATCH, "2026-03-02T10:00"), 0);
    assert_int_equal(act(f, &c, ACT_ACCEPT, "2026-03-02T10:30"), 0);
    assert_int_equal(act(f, &c, ACT_FEEDBACK, "2026-03-03T10:30"), 0);
    /* resolve due 3/10 00:00: yellow at 3/10 */
    assert_int_equal(sup_eval(&c, T("2026-03-10T01:00"), out), 1);
    assert_int_equal(out[0].kind, DUE_RESOLVE);
    case_req r = full_req(ACT_REQUEST_EXTENSION, T("2026-03-10T02:00"));
    r.until = dt_days_from_civil(2026, 3, 20);
    case_event ev = {0};
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, NULL), 0);
    case_event_clear(&ev);
    assert_int_equal(act(f, &c, ACT_APPROVE_EXTENSION, "2026-03-10T03:00"), 0);
    assert_int_equal(sup_eval(&c, T("2026-03-20T01:00"), out), 1);
    assert_int_equal(out[0].level, SUP_BLUE);
    case_rec_clear(&c);
    fixture_free(f);
}

/* sup_next_alert predicts the first moment sup_eval raises something. */
static void next_alert_is_exact(void **st) {
    (void)st;
    fixture *f = fixture_new();
    case_rec c;
    sup_notice out[DUE_COUNT * SUP_LEVEL_COUNT];
    new_case(f, &c, CH_HOTLINE, CL_GENERAL, "2026-03-02T09:00");
    assert_int_equal(act(f, &c, ACT_DISPATCH, "2026-03-02T10:00"), 0);
    int raised_total = 0;
    for (int step = 0; step < 12; step++) {
        int64_t next = sup_next_alert(&c);
        if (!next) break;
        case_rec probe = c;
        assert_int_equal(sup_eval(&probe, next - 1, out), 0);
        int k = sup_eval(&c, next, out);
        assert_true(k >= 1);
        raised_total += k;
    }
    /* accept, feedback and resolve: blue, yellow and red each */
    assert_int_equal(raised_total, 9);
    assert_int_equal(sup_next_alert(&c), 0);
    case_rec_clear(&c);
    fixture_free(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(levels_once_each),
        cmocka_unit_test(a_late_sweep_raises_the_level_reached),
        cmocka_unit_test(new_deadline_new_notices),
        cmocka_unit_test(next_alert_is_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
