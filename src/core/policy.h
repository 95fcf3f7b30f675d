/* policy: the 13710 deadline table, keyed by channel x class x stage. Each
 * rule is "N unit" (unit from calendar.h) or "none". Defaults follow the
 * seeds; a deployment edits them (stored by the store, edited by the CLI). */
#ifndef DUBAN_POLICY_H
#define DUBAN_POLICY_H

#include "core/calendar.h"
#include "core/case.h"

typedef enum {
    POL_DISPATCH,  /* from receipt: the "1" */
    POL_ACCEPT,    /* from dispatch */
    POL_FEEDBACK,  /* from dispatch: the "3" */
    POL_RESOLVE,   /* from dispatch (and from a reopen): the "7" and "1 month" */
    POL_EXTENSION, /* default length of an extension when none is asked for */
    POL_STAGE_COUNT
} pol_stage;

typedef struct pol_rule {
    bool none;
    int32_t n;
    cal_unit unit;
} pol_rule;

typedef struct pol_table {
    pol_rule r[CH_COUNT][CL_COUNT][POL_STAGE_COUNT];
} pol_table;

void pol_defaults(pol_table *p);
const char *pol_stage_name(pol_stage s);
int pol_stage_parse(const char *s, pol_stage *out, err *e);
/* "7 day", "1 month", "4 hour", "5 workday", "sameday", "none"; n in [0, 10000]. */
int pol_rule_parse(const char *s, pol_rule *out, err *e);
void pol_rule_format(const pol_rule *r, char out[32]);
/* Whether stage may have rule r: every case has a dispatch deadline, the "1" of 13710. */
int pol_rule_check(pol_stage s, const pol_rule *r, err *e);
/* The deadline for stage starting at `start`, or 0 when the rule is none. */
int64_t pol_due(const pol_table *p, const struct cal *c, int tz, case_channel ch, case_class cl,
                pol_stage s, int64_t start);

#endif
