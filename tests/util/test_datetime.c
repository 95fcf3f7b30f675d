/* Tests for util/datetime: civil arithmetic and ISO 8601 parsing/formatting. */
#include "test.h"
#include "util/datetime.h"

static void civil_roundtrip(void **st) {
    (void)st;
    assert_int_equal(dt_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(dt_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(dt_days_from_civil(1969, 12, 31), -1);
    for (int32_t d = -800000; d < 800000; d += 37) {
        int y, m, dd;
        dt_civil_from_days(d, &y, &m, &dd);
        assert_int_equal(dt_days_from_civil(y, m, dd), d);
    }
    assert_int_equal(dt_weekday(dt_days_from_civil(2026, 11, 22)), 6); /* a Sunday */
    assert_int_equal(dt_weekday(dt_days_from_civil(1969, 12, 29)), 0); /* a Monday */
    assert_int_equal(dt_days_in_month(2024, 2), 29);
    assert_int_equal(dt_days_in_month(2100, 2), 28);
    assert_int_equal(dt_days_in_month(2000, 2), 29);
}

static void parse_instants(void **st) {
    (void)st;
    int64_t t;
    err e = {0};
    assert_int_equal(dt_parse_instant("2026-03-02T09:30:00+08:00", 0, &t, &e), 0);
    assert_int_equal(t, 1772415000);
    assert_int_equal(dt_parse_instant("2026-03-02T01:30:00Z", 28800, &t, &e), 0);
    assert_int_equal(t, 1772415000);
    assert_int_equal(dt_parse_instant("2026-03-02 09:30", 28800, &t, &e), 0);
    assert_int_equal(t, 1772415000);
    assert_int_equal(dt_parse_instant("2026-03-02T09:30:00.123+0800", 0, &t, &e), 0);
    assert_int_equal(t, 1772415000);
    assert_int_equal(dt_parse_instant("2026-03-02", 28800, &t, &e), 0);
    assert_int_equal(t, 1772380800);
    const char *bad[] = {"", "2026-3-2", "2026-02-30", "2026-03-02T25:00", "2026-03-02T09:30+8",
                         "2026-03-02T09:30:00+15:00", "2026-03-02X", "yesterday"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(dt_parse_instant(bad[i], 0, &t, &e), ERR_INVALID);
        assert_non_null(strstr(e.msg, bad[i]));
    }
}

static void format_instants(void **st) {
    (void)st;
    char buf[32];
    dt_format_instant(1772415000, 28800, buf);
    assert_str(buf, "2026-03-02T09:30:00+08:00");
    dt_format_instant(1772415000, -5 * 3600 - 1800, buf);
    assert_str(buf, "2026-03-01T20:00:00-05:30");
    int32_t first, next;
    assert_int_equal(dt_parse_month("2026-12", &first, &next, NULL), 0);
    assert_int_equal(first, dt_days_from_civil(2026, 12, 1));
    assert_int_equal(next, dt_days_from_civil(2027, 1, 1));
    assert_int_equal(dt_parse_month("2024-02", &first, &next, NULL), 0);
    assert_int_equal(next - first, 29);
    const char *bad[] = {"2026-13", "2026-00", "2026-1", "26-11", "2026/11", "2026-11-01", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(dt_parse_month(bad[i], &first, &next, NULL), ERR_INVALID);
    dt_format_minute(1772415000, 28800, buf);
    assert_str(buf, "2026-03-02 09:30");
    dt_format_utc(1772415000, buf);
    assert_str(buf, "2026-03-02T01:30:00Z");
    dt_format_date(dt_days_from_civil(2026, 2, 28), buf);
    assert_str(buf, "2026-02-28");
    assert_int_equal(dt_local_day(1772380800 - 1, 28800), dt_days_from_civil(2026, 3, 1));
    assert_int_equal(dt_local_day(1772380800, 28800), dt_days_from_civil(2026, 3, 2));
    int off;
    err e = {0};
    assert_int_equal(dt_parse_offset("+08:00", &off, &e), 0);
    assert_int_equal(off, 28800);
    assert_int_equal(dt_parse_offset("8", &off, &e), ERR_INVALID);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(civil_roundtrip),
        cmocka_unit_test(parse_instants),
        cmocka_unit_test(format_instants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
