/* Tests for core/supervise: blue, yellow and red, each once per deadline. */
#include "test.h"

#include <stdio.h>

#include "core/supervise.h"
#include "tests/core/case_fixture.h"

static int64_t yellow_time;
static int64_t yellow_lookup(void *ctx, int64_t id, case_due_kind k) {
    (void)ctx;
    (void)id;
    (void)k;
    return yellow_time;
}

static void levels_once_each(void **st) {
    (void)st;
    fixture *f = fixture_new();
    case_rec c;
    sup_notice out[DUE_COUNT * SUP_LEVEL_COUNT];
    new_case(f, &c, CH_HOTLINE, CL_GENERAL, "2026-03-02T09:00"); /* dispatch due 3/3 00:00 */
    assert_int_equal(sup_eval(&c, T("2026-03-01T23:00"), yellow_lookup, NULL, out), 0);
    assert_int_equal(sup_eval(&c, T("2026-03-02T09:00"), yellow_lookup, NULL, out), 1);
    assert_int_equal(out[0].level, SUP_BLUE);
    assert_int_equal(out[0].kind, DUE_DISPATCH);
    assert_int_equal(sup_eval(&c, T("2026-03-02T10:00"), yellow_lookup, NULL, out), 0);
    assert_int_equal(sup_eval(&c, T("2026-03-03T00:00"), yellow_lookup, NULL, out), 1);
    assert_int_equal(out[0].level, SUP_YELLOW);
    yellow_time = T("2026-03-03T00:00");
    assert_int_equal(sup_eval(&c, T("2026-03-05T23:59"), yellow_lookup, NULL, out), 0);
    assert_int_equal(sup_eval(&c, T("2026-03-06T00:00"), yellow_lookup, NULL, out), 1);
    assert_int_equal(out[0].level, SUP_RED);
    assert_int_equal(sup_eval(&c, T("2026-04-01T00:00"), yellow_lookup, NULL, out), 0);
    case_rec_clear(&c);
    fixture_free(f);
}

static void red_counts_from_the_yellow_notice(void **st) {
    (void)st;
    fixture *f = fixture_new();
    case_rec c;
    sup_notice out[DUE_COUNT * SUP_LEVEL_COUNT];
    new_case(f, &c, CH_HOTLINE, CL_GENERAL, "2026-03-02T09:00");
    /* First sweep long after the deadline: yellow only, no after-the-fact blue. */
    assert_int_equal(sup_eval(&c, T("2026-03-10T00:00"), yellow_lookup, NULL, out), 1);
    assert_int_equal(out[0].level, SUP_YELLOW);
    yellow_time = T("2026-03-10T00:00");
    assert_int_equal(sup_eval(&c, T("2026-03-12T00:00"), yellow_lookup, NULL, out), 0);
    assert_int_equal(sup_eval(&c, T("2026-03-13T00:00"), yellow_lookup, NULL, out), 1);
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
    assert_int_equal(sup_eval(&c, T("2026-03-10T01:00"), yellow_lookup, NULL, out), 1);
    assert_int_equal(out[0].kind, DUE_RESOLVE);
    case_req r = full_req(ACT_REQUEST_EXTENSION, T("2026-03-10T02:00"));
    r.until = dt_days_from_civil(2026, 3, 20);
    case_event ev = {0};
    assert_int_equal(case_apply(&c, &r, &f->env, &ev, NULL), 0);
    case_event_clear(&ev);
    assert_int_equal(act(f, &c, ACT_APPROVE_EXTENSION, "2026-03-10T03:00"), 0);
    assert_int_equal(sup_eval(&c, T("2026-03-20T01:00"), yellow_lookup, NULL, out), 1);
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
    yellow_time = 0;
    int raised_total = 0;
    for (int step = 0; step < 12; step++) {
        int64_t next = sup_next_alert(&c, yellow_lookup, NULL);
        if (!next) break;
        case_rec probe = c;
        assert_int_equal(sup_eval(&probe, next - 1, yellow_lookup, NULL, out), 0);
        int k = sup_eval(&c, next, yellow_lookup, NULL, out);
        assert_true(k >= 1);
        for (int i = 0; i < k; i++)
            if (out[i].level == SUP_YELLOW) yellow_time = next;
        raised_total += k;
    }
    /* accept, feedback and resolve: blue, yellow and red each */
    assert_int_equal(raised_total, 9);
    assert_int_equal(sup_next_alert(&c, yellow_lookup, NULL), 0);
    case_rec_clear(&c);
    fixture_free(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(levels_once_each),
        cmocka_unit_test(red_counts_from_the_yellow_notice),
        cmocka_unit_test(new_deadline_new_notices),
        cmocka_unit_test(next_alert_is_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
