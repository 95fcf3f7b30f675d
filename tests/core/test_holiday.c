/* Tests for core/holiday: the statutory days under the law in force each
 * year, checked against the shipped State Council arrangements (2020-2026)
 * and, for the festivals' dates of 2027-2035, against a table written out by
 * hand from 香港天文台《公历与农历日期对照表》
 * (https://www.hko.gov.hk/tc/gts/time/conversion.htm), independently of
 * data/calendar/festivals.json. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/calendar_builtin.h"
#include "core/holiday.h"
#include "util/datetime.h"

static int32_t D(int y, int m, int d) { return dt_days_from_civil(y, m, d); }

static size_t statutory(int year, cal_day out[HOL_DAYS_MAX]) {
    size_t n = 0;
    err e = {0};
    if (hol_statutory(year, out, &n, &e)) fail_msg("%d: %s", year, e.msg);
    return n;
}

/* The first day named `name` (a shared day carries both names). */
static int32_t first_of(const cal_day *d, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (strstr(d[i].name, name)) return d[i].day;
    return 0;
}

static size_t count_of(const cal_day *d, size_t n, const char *name) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += strstr(d[i].name, name) != NULL;
    return k;
}

/* Every statutory day of 2020-2026 is a day off in the year's notice as
 * shipped, and the year has as many as that year's law gives. */
static void shipped_years_keep_the_law(void **st) {
    (void)st;
    for (int y = 2020; y <= 2026; y++) {
        cal_day law[HOL_DAYS_MAX];
        size_t n = statutory(y, law);
        size_t len;
        const char *json = cal_builtin_json(y, &len);
        cal_year cy;
        err e = {0};
        assert_non_null(json);
        assert_int_equal(cal_year_parse(json, len, &cy, &e), 0);
        for (size_t i = 0; i < n; i++) {
            size_t j = 0;
            while (j < cy.n && cy.days[j].day != law[i].day) j++;
            char buf[11];
            dt_format_date(law[i].day, buf);
            if (j == cy.n || !cy.days[j].off) fail_msg("%s (%s) is not off in the %d notice", buf, law[i].name, y);
            assert_true(law[i].off && law[i].provisional);
        }
        /* 2014 revision: 11 days; 2024 revision (from 2025): 13; in 2020 中秋 fell on 国庆 */
        size_t want = y >= 2025 ? 13 : y == 2020 ? 10 : 11;
        if (n != want) fail_msg("%d: %zu statutory days, want %zu", y, n, want);
        cal_year_clear(&cy);
    }
}

/* 正月初一, 清明, 端午 (五月初五), 中秋 (八月十五) from the cited table. */
static const struct { int y; int spring[2], qingming[2], duanwu[2], zhongqiu[2]; } hko[] = {
    {2027, {2, 6}, {4, 5}, {6, 9}, {9, 15}},   {2028, {1, 26}, {4, 4}, {5, 28}, {10, 3}},
    {2029, {2, 13}, {4, 4}, {6, 16}, {9, 22}}, {2030, {2, 3}, {4, 5}, {6, 5}, {9, 12}},
    {2031, {1, 23}, {4, 5}, {6, 24}, {10, 1}}, {2032, {2, 11}, {4, 4}, {6, 12}, {9, 19}},
    {2033, {1, 31}, {4, 4}, {6, 1}, {9, 8}},   {2034, {2, 19}, {4, 5}, {6, 20}, {9, 27}},
    {2035, {2, 8}, {4, 5}, {6, 10}, {9, 16}},
};

static void lunar_dates_2027_2035(void **st) {
    (void)st;
    for (size_t i = 0; i < sizeof hko / sizeof *hko; i++) {
        int y = hko[i].y;
        cal_day law[HOL_DAYS_MAX];
        size_t n = statutory(y, law);
        /* the 2024 revision: 春节 from 除夕, the day before 初一, four days */
        assert_int_equal(first_of(law, n, "春节"), D(y, hko[i].spring[0], hko[i].spring[1]) - 1);
        assert_int_equal(count_of(law, n, "春节"), 4);
        assert_int_equal(first_of(law, n, "清明"), D(y, hko[i].qingming[0], hko[i].qingming[1]));
        assert_int_equal(first_of(law, n, "端午"), D(y, hko[i].duanwu[0], hko[i].duanwu[1]));
        assert_int_equal(first_of(law, n, "中秋"), D(y, hko[i].zhongqiu[0], hko[i].zhongqiu[1]));
        assert_int_equal(first_of(law, n, "元旦"), D(y, 1, 1));
        assert_int_equal(count_of(law, n, "劳动节"), 2);
        assert_int_equal(first_of(law, n, "国庆节"), D(y, 10, 1));
        assert_int_equal(count_of(law, n, "国庆节"), 3);
    }
    /* 2031: 中秋 is 1 October, one day with both names */
    cal_day law[HOL_DAYS_MAX];
    size_t n = statutory(2031, law);
    assert_int_equal(n, 12);
    assert_string_equal(law[0].name, "元旦");
    for (size_t i = 0; i < n; i++)
        if (law[i].day == D(2031, 10, 1)) assert_string_equal(law[i].name, "中秋、国庆节");
}

/* Each year under the revision in force that year. */
static void the_law_by_year(void **st) {
    (void)st;
    cal_day law[HOL_DAYS_MAX];
    size_t n = statutory(2013, law); /* 2007 revision: 除夕, 初一, 初二; 劳动节 one day */
    assert_int_equal(first_of(law, n, "春节"), D(2013, 2, 9));
    assert_int_equal(count_of(law, n, "春节"), 3);
    assert_int_equal(count_of(law, n, "劳动节"), 1);
    n = statutory(2024, law); /* 2013 revision: 初一 to 初三 */
    assert_int_equal(first_of(law, n, "春节"), D(2024, 2, 10));
    assert_int_equal(count_of(law, n, "春节"), 3);
    assert_int_equal(count_of(law, n, "劳动节"), 1);
    n = statutory(2025, law); /* 2024 revision: 除夕 to 初三; 劳动节 two days */
    assert_int_equal(first_of(law, n, "春节"), D(2025, 1, 28));
    assert_int_equal(count_of(law, n, "春节"), 4);
    assert_int_equal(count_of(law, n, "劳动节"), 2);
    assert_non_null(strstr(hol_law(2025), "795"));
    assert_non_null(strstr(hol_law(2024), "644"));
    assert_non_null(strstr(hol_law(2008), "513"));
    assert_null(hol_law(2007));
    err e = {0};
    assert_int_equal(hol_statutory(2007, law, &n, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "2008-2100"));
    assert_int_equal(hol_statutory(2101, law, &n, &e), ERR_INVALID);
}

/* A calendar counts the years it was not given by the law, provisionally:
 * they are not "known", and an imported year replaces them whole. */
static void calendar_of_given_and_law(void **st) {
    (void)st;
    cal *c = NULL;
    err e = {0};
    assert_int_equal(cal_builtin_new(&c, &e), 0);
    assert_false(cal_is_workday(c, D(2027, 1, 1)));  /* 元旦, provisionally */
    assert_false(cal_is_workday(c, D(2027, 2, 8)));  /* 春节 初三, a Monday */
    assert_true(cal_is_workday(c, D(2027, 2, 9)));
    assert_false(cal_is_workday(c, D(2027, 2, 6)));  /* a Saturday */
    assert_true(cal_is_workday(c, D(2026, 10, 9)));  /* the notice as shipped */
    assert_false(cal_knows(c, D(2027, 1, 1), D(2027, 1, 1)));
    assert_true(cal_knows(c, D(2026, 1, 1), D(2026, 12, 31)));
    assert_int_equal(cal_last_year(c), CAL_BUILTIN_LAST);
    assert_true(cal_is_workday(c, D(2101, 1, 3))); /* a Monday beyond the law's years */
    cal_free(c);
    /* given one day of 2027, the year is the given one: 元旦 is no longer off */
    cal_day one = {.day = D(2027, 2, 7), .off = false};
    cal_day *all = NULL;
    size_t n = 0;
    assert_int_equal(hol_complete(&one, 1, &all, &n, &e), 0);
    assert_int_equal(cal_new(all, n, &c, &e), 0);
    assert_true(cal_is_workday(c, D(2027, 1, 1)));
    assert_true(cal_is_workday(c, D(2027, 2, 7)));
    assert_true(cal_knows(c, D(2027, 1, 1), D(2027, 12, 31)));
    assert_false(cal_is_workday(c, D(2028, 1, 1)));
    assert_int_equal(cal_last_year(c), 2027);
    free(all);
    cal_free(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_years_keep_the_law),
        cmocka_unit_test(lunar_dates_2027_2035),
        cmocka_unit_test(the_law_by_year),
        cmocka_unit_test(calendar_of_given_and_law),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
