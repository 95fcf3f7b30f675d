/* calendar: see calendar.h. W(d), the number of working days before day d
 * counted from the start of the covered range, is a table lookup inside the
 * range and a closed form outside; its inverse is a table of working days. */
#include "core/calendar.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"

struct cal {
    int32_t lo, hi;   /* covered range [lo, hi); empty when lo == hi */
    int32_t *before;  /* before[i]: working days in [lo, lo+i); hi-lo+1 entries */
    int32_t *nth;     /* nth[k]: the k-th working day of the range */
    int32_t total;    /* working days in the range */
    /* the years given (a year with an override); one bit per year from CAL_YEAR_MIN */
    uint8_t known[(CAL_YEAR_MAX - CAL_YEAR_MIN) / 8 + 1];
};

static bool year_known(const cal *c, int y) {
    if (y < CAL_YEAR_MIN || y > CAL_YEAR_MAX) return false;
    int i = y - CAL_YEAR_MIN;
    return (c->known[i / 8] >> (i % 8)) & 1;
}

static int year_of(int32_t day) {
    int y, m, d;
    dt_civil_from_days(day, &y, &m, &d);
    return y;
}

static int64_t fdiv(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Mondays to Fridays in [-3, d): day -3 (1969-12-29) is a Monday. */
static int64_t weekly_before(int64_t d) {
    int64_t x = d + 3, q = fdiv(x, 7), r = x - q * 7;
    return 5 * q + (r < 5 ? r : 5);
}

/* The weekday whose weekly_before() equals m. */
static int64_t weekly_nth(int64_t m) {
    int64_t q = fdiv(m, 5);
    return -3 + 7 * q + (m - 5 * q);
}

static bool weekend(int32_t d) { return dt_weekday(d) >= 5; }

static int cmp_day(const void *a, const void *b) {
    int32_t x = ((const cal_day *)a)->day, y = ((const cal_day *)b)->day;
    return (x > y) - (x < y);
}

int cal_new(const cal_day *days, size_t n, cal **out, err *e) {
    int rc = 0;
    cal_day *sorted = NULL;
    cal *c = calloc(1, sizeof *c);
    if (!c) return err_set(e, ERR_NOMEM, "", "out of memory");
    if (n > 0) {
        sorted = malloc(n * sizeof *sorted);
        if (!sorted) {
            rc = err_set(e, ERR_NOMEM, "", "out of memory");
            goto out;
        }
        memcpy(sorted, days, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, cmp_day);
        int y0, y1, m, d;
        dt_civil_from_days(sorted[0].day, &y0, &m, &d);
        dt_civil_from_days(sorted[n - 1].day, &y1, &m, &d);
        c->lo = dt_days_from_civil(y0, 1, 1);
        c->hi = dt_days_from_civil(y1 + 1, 1, 1);
    }
    size_t len = (size_t)(c->hi - c->lo);
    c->before = malloc((len + 1) * sizeof *c->before);
    c->nth = malloc((len + 1) * sizeof *c->nth);
    if (!c->before || !c->nth) {
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
        goto out;
    }
    size_t j = 0;
    int32_t count = 0;
    for (size_t i = 0; i < len; i++) {
        int32_t d = c->lo + (int32_t)i;
        bool work = !weekend(d);
        if (j < n && sorted[j].day == d) {
            work = !sorted[j].off;
            if (++j < n && sorted[j].day == d) {
                char buf[11];
                dt_format_date(d, buf);
                rc = err_set(e, ERR_INVALID, "date", "date %s is listed twice", buf);
                goto out;
            }
        }
        c->before[i] = count;
        if (work) c->nth[count++] = d;
    }
    for (size_t k = 0; k < n; k++) {
        if (sorted[k].provisional) continue; /* a year is known when it was imported */
        int y = year_of(sorted[k].day);
        if (y >= CAL_YEAR_MIN && y <= CAL_YEAR_MAX)
            c->known[(y - CAL_YEAR_MIN) / 8] |= (uint8_t)(1u << ((y - CAL_YEAR_MIN) % 8));
    }
    c->before[len] = count;
    c->total = count;
    *out = c;
    c = NULL;
out:
    free(sorted);
    cal_free(c);
    return rc;
}

void cal_free(cal *c) {
    if (!c) return;
    free(c->before);
    free(c->nth);
    free(c);
}

/* W(d): working days in [lo, d); negative before the range. */
static int64_t work_before(const cal *c, int32_t d) {
    if (d <= c->lo) return weekly_before(d) - weekly_before(c->lo);
    if (d >= c->hi) return c->total + weekly_before(d) - weekly_before(c->hi);
    return c->before[d - c->lo];
}

/* The working day e with W(e) == k. */
static int32_t work_nth(const cal *c, int64_t k) {
    if (k < 0) return (int32_t)weekly_nth(k + weekly_before(c->lo));
    if (k < c->total) return c->nth[k];
    return (int32_t)weekly_nth(k - c->total + weekly_before(c->hi));
}

bool cal_is_workday(const cal *c, int32_t day) {
    if (day >= c->lo && day < c->hi) return c->before[day - c->lo + 1] != c->before[day - c->lo];
    return !weekend(day);
}

bool cal_knows(const cal *c, int32_t from, int32_t to) {
    for (int y = year_of(from), last = year_of(to); y <= last; y++)
        if (!year_known(c, y)) return false;
    return true;
}

int cal_last_year(const cal *c) {
    for (int y = CAL_YEAR_MAX; y >= CAL_YEAR_MIN; y--)
        if (year_known(c, y)) return y;
    return 0;
}

int64_t cal_count_workdays(const cal *c, int32_t from, int32_t to) {
    return to <= from ? 0 : work_before(c, to) - work_before(c, from);
}

int32_t cal_next_workday(const cal *c, int32_t day) { return work_nth(c, work_before(c, day)); }

int32_t cal_add_workdays(const cal *c, int32_t day, int32_t n) {
    if (n < 1) return cal_next_workday(c, day);
    return work_nth(c, work_before(c, day + 1) + n - 1);
}

static const char *const unit_names[CAL_UNIT_COUNT] = {
    [CAL_SAMEDAY] = "sameday", [CAL_DAY] = "day", [CAL_WORKDAY] = "workday",
    [CAL_MONTH] = "month", [CAL_HOUR] = "hour",
};

const char *cal_unit_name(cal_unit u) { return u < CAL_UNIT_COUNT ? unit_names[u] : "?"; }

int cal_unit_parse(const char *s, cal_unit *u, err *e) {
    for (int i = 0; i < CAL_UNIT_COUNT; i++)
        if (s && strcmp(s, unit_names[i]) == 0) {
            *u = (cal_unit)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "unit",
                   "unknown period unit '%s' (want sameday, day, workday, month or hour)",
                   s ? s : "");
}

int64_t cal_due(const cal *c, int64_t start, int32_t n, cal_unit u, int tz) {
    if (n < 0) n = 0;
    if (n > 100000) n = 100000;
    int32_t d = dt_local_day(start, tz), last;
    switch (u) {
    case CAL_HOUR:
        return start + (int64_t)n * 3600;
    case CAL_SAMEDAY:
        last = cal_next_workday(c, d);
        break;
    case CAL_WORKDAY:
        last = cal_add_workdays(c, d, n);
        break;
    case CAL_MONTH: {
        int y, m, dd;
        dt_civil_from_days(d, &y, &m, &dd);
        int months = (m - 1) + n;
        y += months / 12;
        m = months % 12 + 1;
        int dim = dt_days_in_month(y, m);
        last = cal_next_workday(c, dt_days_from_civil(y, m, dd < dim ? dd : dim));
        break;
    }
    case CAL_DAY:
    default:
        last = cal_next_workday(c, d + n);
        break;
    }
    return dt_day_start(last + 1, tz);
}

/* ---- holiday-cn JSON ---------------------------------------------------- */

static int check_keys(json_t *obj, const char *const *allowed, const char *where, err *e) {
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++) ok = strcmp(*a, key) == 0;
        if (!ok) return err_set(e, ERR_INVALID, key, "unknown field '%s' in %s", key, where);
    }
    return 0;
}

int cal_year_parse(const char *text, size_t len, cal_year *out, err *e) {
    static const char *const top_keys[] = {"$schema", "$id", "$comment", "year",
                                           "papers", "days", NULL};
    static const char *const day_keys[] = {"name", "date", "isOffDay", NULL};
    int rc = 0;
    json_error_t jerr;
    memset(out, 0, sizeof *out);
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return err_set(e, ERR_INVALID, "json", "malformed JSON at line %d column %d: %s",
                       jerr.line, jerr.column, jerr.text);
    if (!json_is_object(root)) {
        rc = err_set(e, ERR_INVALID, "json", "calendar file must be a JSON object");
        goto out;
    }
    if ((rc = check_keys(root, top_keys, "calendar file", e))) goto out;
    json_t *year = json_object_get(root, "year"), *days = json_object_get(root, "days");
    json_t *papers = json_object_get(root, "papers");
    if (!json_is_integer(year) || json_integer_value(year) < CAL_YEAR_MIN ||
        json_integer_value(year) > CAL_YEAR_MAX) {
        rc = err_set(e, ERR_INVALID, "year", "'year' must be an integer between %d and %d",
                     CAL_YEAR_MIN, CAL_YEAR_MAX);
        goto out;
    }
    if (papers && !json_is_array(papers)) {
        rc = err_set(e, ERR_INVALID, "papers", "'papers' must be an array of strings");
        goto out;
    }
    if (!json_is_array(days)) {
        rc = err_set(e, ERR_INVALID, "days", "'days' must be an array");
        goto out;
    }
    out->year = (int)json_integer_value(year);
    out->n = json_array_size(days);
    if (out->n > 366) {
        rc = err_set(e, ERR_INVALID, "days", "'days' lists %zu entries; a year has at most 366",
                     out->n);
        goto out;
    }
    out->days = calloc(out->n ? out->n : 1, sizeof *out->days);
    if (!out->days) {
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
        goto out;
    }
    int32_t first = dt_days_from_civil(out->year, 1, 1);
    int32_t last = dt_days_from_civil(out->year, 12, 31);
    size_t i;
    json_t *it;
    json_array_foreach(days, i, it) {
        cal_day *d = &out->days[i];
        if (!json_is_object(it)) {
            rc = err_set(e, ERR_INVALID, "days", "days[%zu] must be an object", i);
            goto out;
        }
        if ((rc = check_keys(it, day_keys, "a day entry", e))) goto out;
        json_t *name = json_object_get(it, "name"), *date = json_object_get(it, "date");
        json_t *off = json_object_get(it, "isOffDay");
        if (!json_is_string(name) || json_string_length(name) == 0 ||
            json_string_length(name) >= CAL_NAME_MAX) {
            rc = err_set(e, ERR_INVALID, "name", "days[%zu].name must be a string of 1-%d bytes",
                         i, CAL_NAME_MAX - 1);
            goto out;
        }
        if (!json_is_boolean(off)) {
            rc = err_set(e, ERR_INVALID, "isOffDay", "days[%zu].isOffDay must be true or false",
                         i);
            goto out;
        }
        const char *ds = json_is_string(date) ? json_string_value(date) : "";
        if ((rc = dt_parse_date(ds, &d->day, e))) {
            err_set(e, ERR_INVALID, "date", "days[%zu].date: bad date '%s' (want YYYY-MM-DD)", i,
                    ds);
            goto out;
        }
        if (d->day < first || d->day > last) {
            rc = err_set(e, ERR_INVALID, "date", "days[%zu].date %s is outside the year %d", i,
                         ds, out->year);
            goto out;
        }
        d->off = json_is_true(off);
        snprintf(d->name, sizeof d->name, "%s", json_string_value(name));
        for (size_t k = 0; k < i; k++)
            if (out->days[k].day == d->day) {
                rc = err_set(e, ERR_INVALID, "date", "date %s is listed twice", ds);
                goto out;
            }
    }
out:
    json_decref(root);
    if (rc) cal_year_clear(out);
    return rc;
}

void cal_year_clear(cal_year *y) {
    free(y->days);
    memset(y, 0, sizeof *y);
}
