/* datetime: civil dates as day numbers and ISO 8601 text with a fixed offset.
 * A day number counts days since 1970-01-01 (may be negative); an instant is
 * int64 Unix seconds (UTC). The deployment has one fixed UTC offset, passed in. */
#ifndef DUBAN_DATETIME_H
#define DUBAN_DATETIME_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"

#define DT_DAY_SECONDS 86400

int32_t dt_days_from_civil(int y, int m, int d);
void dt_civil_from_days(int32_t day, int *y, int *m, int *d);
int dt_days_in_month(int y, int m);
int dt_weekday(int32_t day); /* 0 = Monday ... 6 = Sunday */

/* "YYYY-MM-DD" exactly; a real date between years 1 and 9999. */
int dt_parse_date(const char *s, int32_t *day, err *e);
/* "YYYY-MM": its first day and the first day of the month after. */
int dt_parse_month(const char *s, int32_t *first, int32_t *next, err *e);
/* Accepts "YYYY-MM-DD", "YYYY-MM-DD[T ]HH:MM[:SS][Z|±HH:MM|±HHMM]".
 * Without an offset the text is local time at tz_offset_s. */
int dt_parse_instant(const char *s, int tz_offset_s, int64_t *t, err *e);
/* "+08:00" style, "Z" allowed; range ±14:00. */
int dt_parse_offset(const char *s, int *offset_s, err *e);

/* Writes "YYYY-MM-DD" (11 bytes with NUL). */
void dt_format_date(int32_t day, char out[11]);
/* Writes "YYYY-MM-DDTHH:MM:SS+08:00" (26 bytes with NUL). */
void dt_format_instant(int64_t t, int tz_offset_s, char out[32]);
/* Writes "YYYY-MM-DD HH:MM" in local time, as a sheet or a table shows it
 * (17 bytes with NUL). */
void dt_format_minute(int64_t t, int tz_offset_s, char out[17]);
/* Writes "YYYY-MM-DDTHH:MM:SSZ". */
void dt_format_utc(int64_t t, char out[32]);

/* Local civil day of an instant, and the instant a local day starts. */
int32_t dt_local_day(int64_t t, int tz_offset_s);
int64_t dt_day_start(int32_t day, int tz_offset_s);

#endif
