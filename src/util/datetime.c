/* datetime: proleptic Gregorian arithmetic (Howard Hinnant's days_from_civil
 * algorithm) and strict ISO 8601 parsing; no libc time zone state is used, so
 * results never depend on the machine's TZ. */
#include "util/datetime.h"

#include <string.h>

static int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int32_t dt_days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void dt_civil_from_days(int32_t day, int *y, int *m, int *d) {
    int64_t z = (int64_t)day + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int dt_days_in_month(int y, int m) {
    static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : len[m - 1];
}

int dt_weekday(int32_t day) {
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    return (int)(((int64_t)day + 3) - floor_div((int64_t)day + 3, 7) * 7);
}

/* Reads exactly n decimal digits. */
static bool digits(const char *s, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static bool parse_ymd(const char *s, int32_t *day) {
    int y, m, d;
    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' ||
        !digits(s + 8, 2, &d))
        return false;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > dt_days_in_month(y, m)) return false;
    *day = dt_days_from_civil(y, m, d);
    return true;
}

int dt_parse_date(const char *s, int32_t *day, err *e) {
    if (!s || strlen(s) != 10 || !parse_ymd(s, day))
        return err_set(e, ERR_INVALID, "date", "malformed date '%s' (want YYYY-MM-DD)",
                       s ? s : "");
    return 0;
}

int dt_parse_month(const char *s, int32_t *first, int32_t *next, err *e) {
    int y, m;
    if (!s || strlen(s) != 7 || s[4] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &m) || y < 1 ||
        m < 1 || m > 12)
        return err_set(e, ERR_INVALID, "month", "malformed month '%s' (want YYYY-MM)", s ? s : "");
    *first = dt_days_from_civil(y, m, 1);
    *next = m == 12 ? dt_days_from_civil(y + 1, 1, 1) : dt_days_from_civil(y, m + 1, 1);
    return 0;
}

static bool parse_offset(const char *s, int *off) {
    if (strcmp(s, "Z") == 0 || strcmp(s, "z") == 0) {
        *off = 0;
        return true;
    }
    if (s[0] != '+' && s[0] != '-') return false;
    int h, m;
    size_t n = strlen(s);
    if (n == 6 && s[3] == ':') {
        if (!digits(s + 1, 2, &h) || !digits(s + 4, 2, &m)) return false;
    } else if (n == 5) {
        if (!digits(s + 1, 2, &h) || !digits(s + 3, 2, &m)) return false;
    } else if (n == 3) {
        if (!digits(s + 1, 2, &h)) return false;
        m = 0;
    } else {
        return false;
    }
    if (h > 14 || m > 59 || (h == 14 && m > 0)) return false;
    *off = (s[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
    return true;
}

int dt_parse_offset(const char *s, int *offset_s, err *e) {
    if (!s || !parse_offset(s, offset_s))
        return err_set(e, ERR_INVALID, "offset", "malformed UTC offset '%s' (want +HH:MM)",
                       s ? s : "");
    return 0;
}

int dt_parse_instant(const char *s, int tz_offset_s, int64_t *t, err *e) {
    int32_t day;
    int hh = 0, mm = 0, ss = 0, off = tz_offset_s;
    size_t n = s ? strlen(s) : 0;
    if (n < 10 || !parse_ymd(s, &day)) goto bad;
    if (n > 10) {
        const char *p = s + 10;
        if ((*p != 'T' && *p != 't' && *p != ' ') || !digits(p + 1, 2, &hh) || p[3] != ':' ||
            !digits(p + 4, 2, &mm))
            goto bad;
        p += 6;
        if (*p == ':') {
            if (!digits(p + 1, 2, &ss)) goto bad;
            p += 3;
            if (*p == '.') /* fractional seconds are accepted and dropped */
                for (p++; *p >= '0' && *p <= '9'; p++) {}
        }
        if (*p && !parse_offset(p, &off)) goto bad;
        if (hh > 23 || mm > 59 || ss > 60) goto bad;
    }
    *t = (int64_t)day * DT_DAY_SECONDS + hh * 3600 + mm * 60 + ss - off;
    return 0;
bad:
    return err_set(e, ERR_INVALID, "time",
                   "malformed time '%s' (want ISO 8601, e.g. 2026-03-02T09:30:00+08:00)",
                   s ? s : "");
}

/* Writes v as n zero-padded digits; the caller guarantees 0 <= v < 10^n. */
static char *put_digits(char *p, int v, int n) {
    for (int i = n - 1; i >= 0; i--, v /= 10) p[i] = (char)('0' + v % 10);
    return p + n;
}

static char *put_date(char *p, int32_t day) {
    int y, m, d;
    dt_civil_from_days(day, &y, &m, &d);
    p = put_digits(p, ((y % 10000) + 10000) % 10000, 4);
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    return put_digits(p, d, 2);
}

void dt_format_date(int32_t day, char out[11]) { *put_date(out, day) = '\0'; }

static void format_at(int64_t t, int off, char out[32], bool utc) {
    int64_t local = t + off;
    int32_t day = (int32_t)floor_div(local, DT_DAY_SECONDS);
    int sec = (int)(local - (int64_t)day * DT_DAY_SECONDS);
    char *p = put_date(out, day);
    *p++ = 'T';
    p = put_digits(p, sec / 3600, 2);
    *p++ = ':';
    p = put_digits(p, sec / 60 % 60, 2);
    *p++ = ':';
    p = put_digits(p, sec % 60, 2);
    if (utc) {
        *p++ = 'Z';
    } else {
        int a = off < 0 ? -off : off;
        *p++ = off < 0 ? '-' : '+';
        p = put_digits(p, a / 3600 % 100, 2);
        *p++ = ':';
        p = put_digits(p, a / 60 % 60, 2);
    }
    *p = '\0';
}

void dt_format_instant(int64_t t, int tz_offset_s, char out[32]) {
    format_at(t, tz_offset_s, out, false);
}

void dt_format_minute(int64_t t, int tz_offset_s, char out[17]) {
    char iso[32];
    format_at(t, tz_offset_s, iso, false);
    memcpy(out, iso, 16);
    out[10] = ' ';
    out[16] = '\0';
}

void dt_format_utc(int64_t t, char out[32]) { format_at(t, 0, out, true); }

int32_t dt_local_day(int64_t t, int tz_offset_s) {
    return (int32_t)floor_div(t + tz_offset_s, DT_DAY_SECONDS);
}

int64_t dt_day_start(int32_t day, int tz_offset_s) {
    return (int64_t)day * DT_DAY_SECONDS - tz_offset_s;
}
