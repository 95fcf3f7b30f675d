/* holiday: China's statutory holidays (法定节假日) for any year from 2008 to
 * 2100, under the 《全国年节及纪念日放假办法》 in force that year. The State
 * Council's yearly notice then adds bridging days and 调休 working weekends;
 * until a year's notice is imported (calendar.h), its deadlines are counted
 * over these days, provisionally. */
#ifndef DUBAN_HOLIDAY_H
#define DUBAN_HOLIDAY_H

#include <stddef.h>

#include "core/calendar.h"
#include "util/err.h"

#define HOL_FIRST 2008 /* the 2007 revision, the first to give lunar festivals and 清明 */
#define HOL_LAST 2100  /* the last year of data/calendar/festivals.json */
#define HOL_DAYS_MAX 16 /* statutory days in a year; 13 under the 2024 revision */

/* The revision in force in a year: its number and date, as a source to cite. */
const char *hol_law(int year);

/* The statutory days of one year, in date order, each marked provisional.
 * ERR_INVALID outside [HOL_FIRST, HOL_LAST]. */
int hol_statutory(int year, cal_day out[HOL_DAYS_MAX], size_t *n, err *e);

/* The given days (a calendar's imported years) and the statutory days of
 * every other year from HOL_FIRST to HOL_LAST: *out is allocated. */
int hol_complete(const cal_day *given, size_t n, cal_day **out, size_t *nout, err *e);

#endif
