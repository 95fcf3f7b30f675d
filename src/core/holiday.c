/* holiday: see holiday.h. The festivals' dates are data (festivals.json,
 * embedded by calendar_builtin); which days of them are off is the law, a
 * table by the year each revision took effect. */
#include "core/holiday.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar_builtin.h"
#include "util/datetime.h"

typedef enum { F_NEW_YEAR, F_SPRING, F_QINGMING, F_LABOUR, F_DUANWU, F_ZHONGQIU, F_NATIONAL, F_COUNT } fest;

/* The names the State Council's notices (and the shipped years) use. */
static const char *const fest_name[F_COUNT] = {"元旦", "春节", "清明", "劳动节", "端午", "中秋", "国庆节"};

/* Days off for each festival: from the festival's day plus `start`, `days`
 * days. Newest revision first; each applies from 1 January of `from`. */
static const struct law {
    int from;
    const char *source;
    struct { signed char start, days; } off[F_COUNT];
} laws[] = {
    /* 春节 from 除夕, four days; 劳动节 two */
    {2025, "国务院令第795号（2024年11月10日修订，2025年1月1日起施行）",
     {{0, 1}, {-1, 4}, {0, 1}, {0, 2}, {0, 1}, {0, 1}, {0, 3}}},
    /* 春节 from 正月初一, three days */
    {2014, "国务院令第644号（2013年12月11日修订，2014年1月1日起施行）",
     {{0, 1}, {0, 3}, {0, 1}, {0, 1}, {0, 1}, {0, 1}, {0, 3}}},
    /* 春节 除夕, 初一, 初二 */
    {2008, "国务院令第513号（2007年12月14日修订，2008年1月1日起施行）",
     {{0, 1}, {-1, 3}, {0, 1}, {0, 1}, {0, 1}, {0, 1}, {0, 3}}},
};

static const struct law *law_of(int year) {
    for (size_t i = 0; i < sizeof laws / sizeof *laws; i++)
        if (year >= laws[i].from) return &laws[i];
    return NULL;
}

const char *hol_law(int year) {
    const struct law *l = year <= HOL_LAST ? law_of(year) : NULL;
    return l ? l->source : NULL;
}

/* The festivals' days for [HOL_FIRST, HOL_LAST]: [year - HOL_FIRST][fest]. */
typedef int32_t fest_days[HOL_LAST - HOL_FIRST + 1][F_COUNT];

static int date_of(json_t *row, const char *key, int year, int32_t *out, err *e) {
    json_t *v = json_object_get(row, key);
    if (!json_is_string(v) || dt_parse_date(json_string_value(v), out, e))
        return err_set(e, ERR_INVALID, "festivals", "festivals.json: %d has no valid '%s'", year, key);
    return 0;
}

static int load_festivals(fest_days *fd, err *e) {
    size_t len;
    const char *text = cal_builtin_festivals(&len);
    json_error_t jerr;
    json_t *root = json_loadb(text, len, 0, &jerr), *row;
    json_t *years = json_object_get(root, "years");
    size_t i;
    int rc = 0, seen = 0;
    if (!json_is_array(years)) rc = err_set(e, ERR_INVALID, "festivals", "festivals.json is malformed");
    json_array_foreach(years, i, row) {
        int y = (int)json_integer_value(json_object_get(row, "year"));
        if (y < HOL_FIRST || y > HOL_LAST) continue;
        int32_t *d = (*fd)[y - HOL_FIRST];
        d[F_NEW_YEAR] = dt_days_from_civil(y, 1, 1);
        d[F_LABOUR] = dt_days_from_civil(y, 5, 1);
        d[F_NATIONAL] = dt_days_from_civil(y, 10, 1);
        if ((rc = date_of(row, "spring", y, &d[F_SPRING], e)) ||
            (rc = date_of(row, "qingming", y, &d[F_QINGMING], e)) ||
            (rc = date_of(row, "duanwu", y, &d[F_DUANWU], e)) ||
            (rc = date_of(row, "zhongqiu", y, &d[F_ZHONGQIU], e)))
            break;
        seen++;
    }
    if (!rc && seen != HOL_LAST - HOL_FIRST + 1)
        rc = err_set(e, ERR_INVALID, "festivals", "festivals.json covers %d of the years %d-%d", seen,
                     HOL_FIRST, HOL_LAST);
    json_decref(root);
    return rc;
}

static int cmp_day(const void *a, const void *b) {
    int32_t x = ((const cal_day *)a)->day, y = ((const cal_day *)b)->day;
    return (x > y) - (x < y);
}

/* The year's days, sorted; a day two festivals share (中秋 on 1 October, as
 * in 2020 and 2031) is listed once under both names. */
static size_t year_days(const int32_t d[F_COUNT], const struct law *l, cal_day out[HOL_DAYS_MAX]) {
    size_t n = 0;
    for (int f = 0; f < F_COUNT; f++) {
        for (int k = 0; k < l->off[f].days; k++) {
            int32_t day = d[f] + l->off[f].start + k;
            size_t j = 0;
            while (j < n && out[j].day != day) j++;
            if (j < n) {
                size_t used = strlen(out[j].name);
                snprintf(out[j].name + used, CAL_NAME_MAX - used, "、%s", fest_name[f]);
                continue;
            }
            out[n] = (cal_day){.day = day, .off = true, .provisional = true};
            snprintf(out[n].name, CAL_NAME_MAX, "%s", fest_name[f]);
            n++;
        }
    }
    qsort(out, n, sizeof *out, cmp_day);
    return n;
}

int hol_statutory(int year, cal_day out[HOL_DAYS_MAX], size_t *n, err *e) {
    if (year < HOL_FIRST || year > HOL_LAST)
        return err_set(e, ERR_INVALID, "year", "statutory holidays are known for %d-%d, not %d",
                       HOL_FIRST, HOL_LAST, year);
    fest_days *fd = malloc(sizeof *fd);
    if (!fd) return err_set(e, ERR_NOMEM, "", "out of memory");
    int rc = load_festivals(fd, e);
    if (!rc) *n = year_days((*fd)[year - HOL_FIRST], law_of(year), out);
    free(fd);
    return rc;
}

static int year_of(int32_t day) {
    int y, m, d;
    dt_civil_from_days(day, &y, &m, &d);
    return y;
}

int hol_complete(const cal_day *given, size_t n, cal_day **out, size_t *nout, err *e) {
    enum { YEARS = HOL_LAST - HOL_FIRST + 1 };
    bool have[YEARS] = {0};
    for (size_t i = 0; i < n; i++) {
        int y = year_of(given[i].day);
        if (y >= HOL_FIRST && y <= HOL_LAST && !given[i].provisional) have[y - HOL_FIRST] = true;
    }
    fest_days *fd = malloc(sizeof *fd);
    cal_day *all = malloc((n + (size_t)YEARS * HOL_DAYS_MAX) * sizeof *all);
    int rc = !fd || !all ? err_set(e, ERR_NOMEM, "", "out of memory") : load_festivals(fd, e);
    if (!rc) {
        memcpy(all, given, n * sizeof *all);
        size_t k = n;
        for (int y = HOL_FIRST; y <= HOL_LAST; y++)
            if (!have[y - HOL_FIRST]) k += year_days((*fd)[y - HOL_FIRST], law_of(y), all + k);
        *out = all;
        *nout = k;
        all = NULL;
    }
    free(fd);
    free(all);
    return rc;
}
