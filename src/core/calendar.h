/* calendar: China's official working-day calendar and legal period arithmetic.
 * The calendar is weekends plus overrides (statutory holidays off, 调休 make-up
 * days on). Working-day arithmetic is O(1): prefix counts over the covered
 * years and a closed form (five working days a week) outside them. */
#ifndef DUBAN_CALENDAR_H
#define DUBAN_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define CAL_NAME_MAX 48
#define CAL_YEAR_MIN 1900
#define CAL_YEAR_MAX 2200

typedef struct cal_day {
    int32_t day; /* day number, see util/datetime.h */
    bool off;    /* true: a holiday; false: a make-up working day */
    char name[CAL_NAME_MAX];
    /* true: a statutory day of a year whose notice is not imported (holiday.h) */
    bool provisional;
} cal_day;

typedef struct cal cal;

/* Builds a calendar from overrides in any order; days must be unique. */
int cal_new(const cal_day *days, size_t n, cal **out, err *e);
void cal_free(cal *c);

bool cal_is_workday(const cal *c, int32_t day);
/* Whether every day in [from, to] lies in a year the calendar was given
 * other than provisionally (in other years only the statutory days are off,
 * or Monday to Friday are assumed outside holiday.h's years, which a later
 * import of the year's official calendar may contradict). */
bool cal_knows(const cal *c, int32_t from, int32_t to);
/* The last year given other than provisionally, or 0 when none. */
int cal_last_year(const cal *c);
/* Working days in [from, to). */
int64_t cal_count_workdays(const cal *c, int32_t from, int32_t to);
/* The day itself if it is a working day, else the next working day. */
int32_t cal_next_workday(const cal *c, int32_t day);
/* The nth working day after day (day itself not counted); n >= 1. */
int32_t cal_add_workdays(const cal *c, int32_t day, int32_t n);

typedef enum { CAL_SAMEDAY, CAL_DAY, CAL_WORKDAY, CAL_MONTH, CAL_HOUR, CAL_UNIT_COUNT } cal_unit;

const char *cal_unit_name(cal_unit u);
int cal_unit_parse(const char *s, cal_unit *u, err *e);

/* The end of a period that starts at instant `start`, under 民法典 art. 201-203:
 * days and months do not count the start day and end at 24:00 (returned as the
 * next local midnight); a last day that is not a working day moves to the next
 * working day; hours are exact. n is bounded to [0, 100000]. */
int64_t cal_due(const cal *c, int64_t start, int32_t n, cal_unit u, int tz_offset_s);

/* A year in the holiday-cn JSON format:
 * {"year":2027,"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true},...]} */
typedef struct cal_year {
    int year;
    size_t n;
    cal_day *days; /* owned */
} cal_year;

int cal_year_parse(const char *json, size_t len, cal_year *out, err *e);
void cal_year_clear(cal_year *y);

#endif
