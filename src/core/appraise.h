/* appraise: 综合考评 — one score per unit for a period, combining with
 * configurable weights its case handling composite (metrics.h), its 码上评
 * 好评率 and 差评整改率, its key tasks' on-time rate (tasks, milestones and
 * problems due in the period, done by their day) and its projects' plan
 * completion against the year gone (capped at 1). A part with nothing to
 * measure is left out and the others' weights share its place, as the
 * composite does. Pure. */
#ifndef DUBAN_APPRAISE_H
#define DUBAN_APPRAISE_H

#include <stdint.h>

#include "util/err.h"

typedef enum { AP_CASES, AP_GOOD, AP_FIX, AP_TASKS, AP_PROJECTS, AP_PARTS } appraise_part_kind;

typedef struct appraise_weights {
    double w[AP_PARTS]; /* default 40/15/15/15/15 */
} appraise_weights;

void appraise_weights_default(appraise_weights *w);
/* "40/15/15/15/15": whole percents adding up to 100 (configuration
 * appraisal_weights); ERR_INVALID naming "value" otherwise. */
int appraise_weights_parse(const char *s, appraise_weights *w, err *e);
const char *appraise_part_name(appraise_part_kind k);  /* cases good_rate fix_rate tasks projects */
const char *appraise_part_label(appraise_part_kind k); /* 办件综合得分 好评率 差评整改率 重点任务按期率 项目计划完成度 */

/* A part's source figures: value = num / den (NaN when den is 0) — for the
 * cases part the composite itself (num and den 0), for projects the
 * completion over the year gone, capped at 1. */
typedef struct appraise_part {
    double value, num, den;
} appraise_part;

/* The weighted score of parts (0..1), NaN when none has a value. */
double appraise_score(const appraise_part parts[AP_PARTS], const appraise_weights *w);

#endif
