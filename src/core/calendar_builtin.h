/* calendar_builtin: the shipped data/calendar/YYYY.json files, embedded in the
 * binary so `duban init` needs no data directory at run time. */
#ifndef DUBAN_CALENDAR_BUILTIN_H
#define DUBAN_CALENDAR_BUILTIN_H

#include <stddef.h>

#define CAL_BUILTIN_FIRST 2020
#define CAL_BUILTIN_LAST 2026

#include "core/calendar.h"

/* The holiday-cn JSON text for a shipped year, or NULL. */
const char *cal_builtin_json(int year, size_t *len);

/* data/calendar/festivals.json: the festivals' dates, 1901-2100 (holiday.h). */
const char *cal_builtin_festivals(size_t *len);

/* A calendar of all the shipped years and the statutory days of the others (for tools and tests; a deployment's
 * calendar is the one in its database). */
int cal_builtin_new(cal **out, err *e);

#endif
