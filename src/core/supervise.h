/* supervise: which 督办 notices a case deserves at a moment. Blue when a
 * deadline is within 24 hours, yellow once it has passed (the 催办), red when
 * it is still unmet three days after it. The levels follow the deadline, not
 * the notices before them: a sweep that runs late raises at once the level
 * the deadline has reached (the workbench's and the 督办 page's counts are
 * the same). Each level is raised once per deadline: case_rec.alerted
 * remembers what was raised. */
#ifndef DUBAN_SUPERVISE_H
#define DUBAN_SUPERVISE_H

#include "core/case.h"

typedef enum { SUP_BLUE, SUP_YELLOW, SUP_RED, SUP_LEVEL_COUNT } sup_level;

#define SUP_BLUE_BEFORE (24 * 3600)
#define SUP_RED_AFTER (3 * 24 * 3600)

typedef struct sup_notice {
    case_due_kind kind;
    sup_level level;
    int64_t due;
} sup_notice;

/* Fills out (room for DUE_COUNT * SUP_LEVEL_COUNT) with the notices to raise at
 * `now`, sets their bits in c->alerted, and returns how many. */
int sup_eval(case_rec *c, int64_t now, sup_notice *out);

/* The earliest instant at which sup_eval() could raise a new notice for c, or
 * 0 when no deadline is pending. The store keeps it per case (indexed), so a
 * sweep reads only the cases whose time has come, not every open case. */
int64_t sup_next_alert(const case_rec *c);

const char *sup_level_name(sup_level l);
const char *sup_level_label(sup_level l); /* 蓝色预警 ... */

#endif
