/* Tests for core/calendar against the State Council notices for 2025 and 2026,
 * written out by hand here (independently of the shipped data), and of the
 * O(1) arithmetic against a day-by-day reference. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/calendar.h"
#include "core/calendar_builtin.h"
#include "util/datetime.h"

#define TZ 28800

static cal *builtin(void) {
    cal *c = NULL;
    err e = {0};
    if (cal_builtin_new(&c, &e)) fail_msg("builtin calendar: %s", e.msg);
    return c;
}

static int32_t D(int y, int m, int d) { return dt_days_from_civil(y, m, d); }

/* {first, last, off}: off spans are holidays, others are make-up working days. */
static const struct span { int y1, m1, d1, y2, m2, d2; int off; } notices[] = {
    /* 2025 */
    {2025, 1, 1, 2025, 1, 1, 1},   {2025, 1, 28, 2025, 2, 4, 1}, {2025, 1, 26, 2025, 1, 26, 0},
    {2025, 2, 8, 2025, 2, 8, 0},   {2025, 4, 4, 2025, 4, 6, 1},  {2025, 5, 1, 2025, 5, 5, 1},
    {2025, 4, 27, 2025, 4, 27, 0}, {2025, 5, 31, 2025, 6, 2, 1}, {2025, 10, 1, 2025, 10, 8, 1},
    {2025, 9, 28, 2025, 9, 28, 0}, {2025, 10, 11, 2025, 10, 11, 0},
    /* 2026 */
    {2026, 1, 1, 2026, 1, 3, 1},   {2026, 1, 4, 2026, 1, 4, 0},  {2026, 2, 15, 2026, 2, 23, 1},
    {2026, 2, 14, 2026, 2, 14, 0}, {2026, 2, 28, 2026, 2, 28, 0}, {2026, 4, 4, 2026, 4, 6, 1},
    {2026, 5, 1, 2026, 5, 5, 1},   {2026, 5, 9, 2026, 5, 9, 0},  {2026, 6, 19, 2026, 6, 21, 1},
    {2026, 9, 25, 2026, 9, 27, 1}, {2026, 10, 1, 2026, 10, 7, 1}, {2026, 9, 20, 2026, 9, 20, 0},
    {2026, 10, 10, 2026, 10, 10, 0},
};

static int expected_work(int32_t d) {
    for (size_t i = 0; i < sizeof notices / sizeof *notices; i++) {
        const struct span *s = &notices[i];
        if (d >= D(s->y1, s->m1, s->d1) && d <= D(s->y2, s->m2, s->d2)) return !s->off;
    }
    return dt_weekday(d) < 5;
}

static void every_day_2025_2026(void **st) {
    (void)st;
    cal *c = builtin();
    for (int32_t d = D(2025, 1, 1); d <= D(2026, 12, 31); d++) {
        char buf[11];
        dt_format_date(d, buf);
        if (cal_is_workday(c, d) != expected_work(d)) fail_msg("is_workday(%s) is wrong", buf);
    }
    cal_free(c);
}

static int64_t at(const char *s) {
    int64_t t;
    err e = {0};
    assert_int_equal(dt_parse_instant(s, TZ, &t, &e), 0);
    return t;
}

static void due_table(void **st) {
    (void)st;
    static const struct { const char *start; int n; cal_unit u; const char *due; } rows[] = {
        /* days: start day not counted, ends at 24:00 of the nth day, holidays shift */
        {"2026-03-02T10:00", 3, CAL_DAY, "2026-03-06T00:00:00+08:00"},
        {"2026-02-12T10:00", 3, CAL_DAY, "2026-02-25T00:00:00+08:00"},  /* 2/15 春节 -> 2/24 */
        {"2026-02-13T17:00", 1, CAL_DAY, "2026-02-15T00:00:00+08:00"},  /* Sat 2/14 调休 works */
        {"2026-09-28T09:00", 7, CAL_DAY, "2026-10-09T00:00:00+08:00"},  /* 10/5 国庆 -> 10/8 */
        {"2026-12-31T09:00", 7, CAL_DAY, "2027-01-08T00:00:00+08:00"},  /* beyond the data */
        {"2026-12-25T09:00", 7, CAL_DAY, "2027-01-05T00:00:00+08:00"},  /* 元旦 2027 -> Mon 1/4 */
        {"2027-01-30T09:00", 7, CAL_DAY, "2027-02-10T00:00:00+08:00"},  /* 春节 2/5-2/8 -> 2/9 */
        {"2025-01-24T09:00", 7, CAL_DAY, "2025-02-06T00:00:00+08:00"},  /* 1/31 春节 -> 2/5 */
        {"2025-09-26T09:00", 2, CAL_DAY, "2025-09-29T00:00:00+08:00"},  /* Sun 9/28 调休 works */
        {"2026-03-06T09:00", 1, CAL_DAY, "2026-03-10T00:00:00+08:00"},  /* Sat -> Mon */
        {"2026-02-13T23:59", 60, CAL_DAY, "2026-04-15T00:00:00+08:00"},
        /* months: corresponding day, or the month's last day */
        {"2026-01-31T10:00", 1, CAL_MONTH, "2026-03-01T00:00:00+08:00"}, /* 2/28 is 调休 */
        {"2025-01-31T10:00", 1, CAL_MONTH, "2025-03-01T00:00:00+08:00"},
        {"2024-01-31T10:00", 1, CAL_MONTH, "2024-03-01T00:00:00+08:00"}, /* 2/29 leap */
        {"2026-03-31T10:00", 1, CAL_MONTH, "2026-05-01T00:00:00+08:00"},
        {"2026-09-01T10:00", 1, CAL_MONTH, "2026-10-09T00:00:00+08:00"}, /* 10/1 -> 10/8 */
        {"2026-11-30T10:00", 3, CAL_MONTH, "2027-03-02T00:00:00+08:00"}, /* 2/28 Sun -> 3/1 */
        {"2025-12-15T10:00", 12, CAL_MONTH, "2026-12-16T00:00:00+08:00"},
        /* working days */
        {"2026-09-30T10:00", 1, CAL_WORKDAY, "2026-10-09T00:00:00+08:00"},
        {"2026-09-18T10:00", 1, CAL_WORKDAY, "2026-09-21T00:00:00+08:00"}, /* Sun 9/20 works */
        {"2026-02-13T10:00", 3, CAL_WORKDAY, "2026-02-26T00:00:00+08:00"}, /* 2/14, 2/24, 2/25 */
        {"2025-04-30T10:00", 5, CAL_WORKDAY, "2025-05-13T00:00:00+08:00"},
        /* 2027 not shipped: its 元旦 is off provisionally (12/31, 1/4, 1/5) */
        {"2026-12-30T10:00", 3, CAL_WORKDAY, "2027-01-06T00:00:00+08:00"},
        /* same day: the "1" of 13710 */
        {"2026-02-15T10:00", 0, CAL_SAMEDAY, "2026-02-25T00:00:00+08:00"},
        {"2026-02-14T10:00", 0, CAL_SAMEDAY, "2026-02-15T00:00:00+08:00"},
        {"2026-03-03T23:59", 0, CAL_SAMEDAY, "2026-03-04T00:00:00+08:00"},
        {"2026-01-04T08:00", 0, CAL_SAMEDAY, "2026-01-05T00:00:00+08:00"}, /* Sun 调休 */
        {"2026-01-03T08:00", 0, CAL_SAMEDAY, "2026-01-05T00:00:00+08:00"}, /* -> Sun 1/4 调休 */
        /* hours: exact, never shifted */
        {"2026-02-15T22:00", 4, CAL_HOUR, "2026-02-16T02:00:00+08:00"},
        {"2026-03-02T10:15:30", 24, CAL_HOUR, "2026-03-03T10:15:30+08:00"},
    };
    cal *c = builtin();
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char buf[32];
        dt_format_instant(cal_due(c, at(rows[i].start), rows[i].n, rows[i].u, TZ), TZ, buf);
        if (strcmp(buf, rows[i].due) != 0)
            fail_msg("row %zu: %s + %d %s = %s, want %s", i, rows[i].start, rows[i].n,
                     cal_unit_name(rows[i].u), buf, rows[i].due);
    }
    cal_free(c);
}

/* The O(1) arithmetic must agree with counting day by day, also outside the data. */
static void matches_reference(void **st) {
    (void)st;
    cal *c = builtin();
    srand(7);
    for (int i = 0; i < 20000; i++) {
        int32_t d = D(2017, 1, 1) + rand() % (12 * 366);
        int32_t n = 1 + rand() % 400;
        int32_t e = d, k = 0;
        while (k < n)
            if (cal_is_workday(c, ++e)) k++;
        assert_int_equal(cal_add_workdays(c, d, n), e);
        int32_t x = D(2017, 1, 1) + rand() % (12 * 366), cnt = 0;
        for (int32_t j = d; j < x; j++) cnt += cal_is_workday(c, j);
        assert_int_equal(cal_count_workdays(c, d, x), cnt);
        int32_t nx = d;
        while (!cal_is_workday(c, nx)) nx++;
        assert_int_equal(cal_next_workday(c, d), nx);
    }
    cal_free(c);
}

static void empty_calendar_is_weekly(void **st) {
    (void)st;
    cal *c = NULL;
    err e = {0};
    assert_int_equal(cal_new(NULL, 0, &c, &e), 0);
    assert_false(cal_is_workday(c, D(2026, 11, 22)));
    assert_true(cal_is_workday(c, D(2026, 10, 1))); /* no holidays known */
    assert_int_equal(cal_add_workdays(c, D(2026, 11, 20), 1), D(2026, 11, 23));
    assert_int_equal(cal_count_workdays(c, D(2026, 11, 16), D(2026, 11, 30)), 10);
    cal_free(c);
}

static int parse(const char *json, err *e) {
    cal_year y;
    int rc = cal_year_parse(json, strlen(json), &y, e);
    if (rc == 0) cal_year_clear(&y);
    return rc;
}

static void holiday_cn_validation(void **st) {
    (void)st;
    err e = {0};
    assert_int_equal(parse("{\"year\":2027,\"papers\":[],\"days\":[{\"name\":\"元旦\","
                           "\"date\":\"2027-01-01\",\"isOffDay\":true}]}", &e), 0);
    static const struct { const char *json, *field, *says; } bad[] = {
        {"{\"year\":2027,\"days\":[],\"extra\":1}", "extra", "unknown field 'extra'"},
        {"{\"year\":2027,\"days\":[{\"name\":\"x\",\"date\":\"2027-01-01\",\"isOffDay\":true,"
         "\"note\":1}]}", "note", "unknown field 'note'"},
        {"{\"year\":2027,\"days\":[{\"name\":\"x\",\"date\":\"2027-02-30\",\"isOffDay\":true}]}",
         "date", "2027-02-30"},
        {"{\"year\":2027,\"days\":[{\"name\":\"x\",\"date\":\"2026-12-31\",\"isOffDay\":true}]}",
         "date", "outside the year 2027"},
        {"{\"year\":\"2027\",\"days\":[]}", "year", "'year' must be an integer"},
        {"{\"year\":2027}", "days", "'days' must be an array"},
        {"{\"year\":2027,\"days\":[{\"name\":\"x\",\"date\":\"2027-01-01\",\"isOffDay\":1}]}",
         "isOffDay", "isOffDay must be true or false"},
        {"{\"year\":2027,\"days\":[{\"name\":\"x\",\"date\":\"2027-01-01\",\"isOffDay\":true},"
         "{\"name\":\"y\",\"date\":\"2027-01-01\",\"isOffDay\":true}]}", "date", "listed twice"},
        {"{\"year\":2027,\"days\":[", "json", "malformed JSON"},
        {"[1]", "json", "must be a JSON object"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err_clear(&e);
        assert_int_equal(parse(bad[i].json, &e), ERR_INVALID);
        assert_str(e.field, bad[i].field);
        if (!strstr(e.msg, bad[i].says)) fail_msg("case %zu: message '%s'", i, e.msg);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_day_2025_2026),   cmocka_unit_test(due_table),
        cmocka_unit_test(matches_reference),     cmocka_unit_test(empty_calendar_is_weekly),
        cmocka_unit_test(holiday_cn_validation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
