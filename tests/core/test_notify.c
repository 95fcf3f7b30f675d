/* Tests for core/notify: working hours parsed, and when a notice may go —
 * row by row over a working day, an evening, a weekend and a statutory
 * holiday (2026-10-01, 国庆), and an urgent case at once. */
#include "test.h"

#include <stdlib.h>

#include "core/calendar_builtin.h"
#include "core/notify.h"
#include "util/datetime.h"

#define TZ 28800

static int64_t T(const char *s) {
    int64_t t;
    if (dt_parse_instant(s, TZ, &t, NULL)) abort();
    return t;
}

static void hours(void **st) {
    (void)st;
    int a, b;
    assert_int_equal(notify_hours_parse("08:30-18:00", &a, &b, NULL), 0);
    assert_int_equal(a, 510);
    assert_int_equal(b, 1080);
    static const char *const bad[] = {"", "8-18", "18:00-08:30", "08:30-08:30", "08:60-18:00", "08:30-25:00", "x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err e = {0};
        assert_int_equal(notify_hours_parse(bad[i], &a, &b, &e), ERR_INVALID);
        assert_str(e.field, "value");
    }
}

static void not_before(void **st) {
    (void)st;
    cal *c = NULL;
    err e = {0};
    if (cal_builtin_new(&c, &e)) fail_msg("calendar: %s", e.msg);
    static const struct { const char *now, *want; bool urgent; } rows[] = {
        {"2026-11-30T10:00", "2026-11-30T10:00", false}, /* Monday, in hours */
        {"2026-11-30T07:00", "2026-11-30T08:30", false}, /* before them */
        {"2026-11-30T23:30", "2026-12-01T08:30", false}, /* midnight: tomorrow morning */
        {"2026-11-28T12:00", "2026-11-30T08:30", false}, /* Saturday: Monday */
        {"2026-10-01T09:00", "2026-10-08T08:30", false}, /* 国庆 (10-01..10-07): the day after */
        {"2026-11-30T23:30", "2026-11-30T23:30", true},  /* urgent: at once */
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        int64_t got = notify_not_before(c, TZ, T(rows[i].now), 510, 1080, rows[i].urgent);
        if (got != T(rows[i].want)) {
            char g[32];
            dt_format_instant(got, TZ, g);
            fail_msg("row %zu: %s gives %s, want %s", i, rows[i].now, g, rows[i].want);
        }
    }
    cal_free(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(hours), cmocka_unit_test(not_before)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
