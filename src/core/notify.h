/* notify: what a webhook carries to a county's SMS platform — the text of a
 * notice for people (a 督办 notice, an escalation, a 差评 for a unit; a 受理
 * 回执 or an 办结告知 for a citizen) and when it may go: in working hours on
 * a working day (no SMS at midnight or on a holiday), at once for an urgent
 * case. Pure. */
#ifndef DUBAN_NOTIFY_H
#define DUBAN_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/calendar.h"
#include "util/err.h"

typedef enum { NK_NOTICE, NK_ESCALATION, NK_BAD_RATING, NK_RECEIPT, NK_CLOSED, NK_COUNT } notify_kind;

const char *notify_kind_name(notify_kind k); /* notice escalation bad_rating receipt closed */

/* "08:30-18:00": minutes from midnight, start before end; ERR_INVALID
 * naming "value" otherwise (configuration webhook_hours). */
int notify_hours_parse(const char *s, int *start, int *end, err *e);

/* The earliest instant a notice raised at `now` may go: now when urgent or
 * inside [start, end) of a working day, else the next working day's start
 * (today's, when it is one and that is still ahead). */
int64_t notify_not_before(const cal *c, int tz, int64_t now, int start, int end, bool urgent);

#endif
