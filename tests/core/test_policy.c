/* Tests for core/policy: the 13710 defaults, parsing, and that an edited
 * rule (e.g. working days instead of calendar days) changes the deadline. */
#include "test.h"

#include <stdio.h>

#include "tests/core/case_fixture.h"

static void defaults(void **st) {
    (void)st;
    pol_table p;
    pol_defaults(&p);
    char buf[32];
    static const struct { case_channel ch; case_class cl; pol_stage s; const char *want; } rows[] = {
        {CH_HOTLINE, CL_GENERAL, POL_DISPATCH, "sameday"},
        {CH_HOTLINE, CL_GENERAL, POL_ACCEPT, "sameday"},
        {CH_HOTLINE, CL_GENERAL, POL_FEEDBACK, "3 day"},
        {CH_HOTLINE, CL_GENERAL, POL_RESOLVE, "7 day"},
        {CH_QR, CL_MAJOR, POL_RESOLVE, "1 month"},
        {CH_CITYMGMT, CL_URGENT, POL_RESOLVE, "4 hour"},
        {CH_PETITION, CL_GENERAL, POL_RESOLVE, "60 day"},
        {CH_PETITION, CL_MAJOR, POL_RESOLVE, "60 day"},
        {CH_PETITION, CL_GENERAL, POL_EXTENSION, "30 day"},
        {CH_DEPUTY, CL_GENERAL, POL_RESOLVE, "3 month"},
        {CH_CPPCC, CL_MAJOR, POL_RESOLVE, "3 month"},
        {CH_HOTLINE, CL_GENERAL, POL_EXTENSION, "none"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        pol_rule_format(&p.r[rows[i].ch][rows[i].cl][rows[i].s], buf);
        assert_str(buf, rows[i].want);
    }
}

static void parsing(void **st) {
    (void)st;
    static const char *const good[] = {"7 day", "5 workday", "1 month", "4 hour", "sameday",
                                       "none", "0 day", "10000 day"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        pol_rule r;
        char buf[32];
        assert_int_equal(pol_rule_parse(good[i], &r, NULL), 0);
        pol_rule_format(&r, buf);
        assert_str(buf, good[i]);
    }
    static const char *const bad[] = {"", "7", "7 days", "seven day", "-1 day", "10001 day",
                                      "7 day extra", "7 weeks"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        pol_rule r;
        err e = {0};
        if (pol_rule_parse(bad[i], &r, &e) != ERR_INVALID) fail_msg("'%s' was accepted", bad[i]);
        assert_str(e.field, "value");
    }
    pol_stage s;
    err e = {0};
    assert_int_equal(pol_stage_parse("resolve", &s, NULL), 0);
    assert_int_equal(s, POL_RESOLVE);
    assert_int_equal(pol_stage_parse("solve", &s, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "'solve'"));
}

static void edited_rules_apply(void **st) {
    (void)st;
    fixture *f = fixture_new();
    char buf[32];
    /* 7 calendar days from Friday 2026-09-25 (中秋): 10/2 -> 10/8 */
    int64_t due = pol_due(&f->pol, f->cal, TZ, CH_HOTLINE, CL_GENERAL, POL_RESOLVE,
                          T("2026-09-25T10:00"));
    dt_format_instant(due, TZ, buf);
    assert_str(buf, "2026-10-09T00:00:00+08:00");
    /* a locality that counts working days: 7 working days -> 9/28,29,30,10/8,9,10(Sat),12 */
    assert_int_equal(pol_rule_parse("7 workday", &f->pol.r[CH_HOTLINE][CL_GENERAL][POL_RESOLVE], NULL), 0);
    due = pol_due(&f->pol, f->cal, TZ, CH_HOTLINE, CL_GENERAL, POL_RESOLVE, T("2026-09-25T10:00"));
    dt_format_instant(due, TZ, buf);
    assert_str(buf, "2026-10-13T00:00:00+08:00");
    /* other cells are untouched */
    due = pol_due(&f->pol, f->cal, TZ, CH_CITYMGMT, CL_GENERAL, POL_RESOLVE, T("2026-09-25T10:00"));
    dt_format_instant(due, TZ, buf);
    assert_str(buf, "2026-10-09T00:00:00+08:00");
    assert_int_equal(pol_due(&f->pol, f->cal, TZ, CH_QR, CL_GENERAL, POL_EXTENSION, 1), 0);
    /* a 码上评 差评 is put right within 15 working days: 9/28-30, 10/8-10, 12-16, 19-22 */
    due = pol_due(&f->pol, f->cal, TZ, CH_QR, CL_GENERAL, POL_RESOLVE, T("2026-09-25T10:00"));
    dt_format_instant(due, TZ, buf);
    assert_str(buf, "2026-10-23T00:00:00+08:00");
    fixture_free(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults),
        cmocka_unit_test(parsing),
        cmocka_unit_test(edited_rules_apply),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
