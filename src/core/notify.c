/* notify: see notify.h. */
#include "core/notify.h"

#include <stdio.h>
#include <string.h>

#include "util/datetime.h"

static const char *const kind_names[NK_COUNT] = {"notice", "escalation", "bad_rating", "receipt", "closed"};
const char *notify_kind_name(notify_kind k) { return k < NK_COUNT ? kind_names[k] : "?"; }

int notify_hours_parse(const char *s, int *start, int *end, err *e) {
    int h1, m1, h2, m2, n = -1;
    if (!s || sscanf(s, "%2d:%2d-%2d:%2d%n", &h1, &m1, &h2, &m2, &n) != 4 || n != (int)strlen(s) || h1 < 0 ||
        h1 > 23 || m1 < 0 || m1 > 59 || h2 < 0 || h2 > 24 || m2 < 0 || m2 > 59 || h2 * 60 + m2 > 24 * 60 ||
        h1 * 60 + m1 >= h2 * 60 + m2)
        return err_set(e, ERR_INVALID, "value", "webhook_hours '%s' must be HH:MM-HH:MM, the start before the end"
                       " (e.g. 08:30-18:00)", s ? s : "");
    *start = h1 * 60 + m1;
    *end = h2 * 60 + m2;
    return 0;
}

int64_t notify_not_before(const cal *c, int tz, int64_t now, int start, int end, bool urgent) {
    if (urgent) return now;
    int32_t day = dt_local_day(now, tz);
    int64_t midnight = dt_day_start(day, tz);
    int minute = (int)((now - midnight) / 60);
    if (cal_is_workday(c, day)) {
        if (minute >= start && minute < end) return now;
        if (minute < start) return midnight + (int64_t)start * 60;
    }
    int32_t next = cal_next_workday(c, day + 1); /* today is past, or no working day */
    return dt_day_start(next, tz) + (int64_t)start * 60;
}
