/* hotspot: 未诉先办 — a category asked about in one place (a township, or a
 * unit's area) far more often this week than its own recent level, found
 * before more people call. The rule, with its parameters in configuration:
 * the last 7 days are "this week", the 8 weeks before them the baseline;
 * a pair is hot when this week's count is at least min_count and, were the
 * weeks Poisson with the baseline's mean (at least HOT_FLOOR, so a quiet
 * pair is not hot at its first few calls), a count this high would happen
 * with probability below p. Pure. */
#ifndef DUBAN_HOTSPOT_H
#define DUBAN_HOTSPOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define HOT_WEEKS 8      /* the baseline */
#define HOT_FLOOR 0.5    /* the least mean a baseline is taken to have */
#define HOT_WEEK_S (7 * 86400)

typedef struct hot_rule {
    int min_count; /* default 5 */
    double p;      /* default 0.01 */
} hot_rule;

void hot_rule_default(hot_rule *r);
/* "5/0.01": min_count (1-1000) and p (0 < p < 1), as configuration
 * hotspot_rule holds them; ERR_INVALID naming "value" otherwise. */
int hot_rule_parse(const char *s, hot_rule *r, err *e);

/* P(X >= k) for X ~ Poisson(lambda). */
double hot_poisson_tail(int64_t k, double lambda);

/* week[0] is this week, week[1..HOT_WEEKS] the weeks before it, newest
 * first. Fills the baseline mean and the tail probability; true when hot. */
bool hot_judge(const hot_rule *r, const int64_t week[HOT_WEEKS + 1], double *mean, double *p);

/* The 领导交办 case a hot spot becomes: its title and description, written
 * into the buffers (place: the township's or the unit's name). */
void hot_task_text(const char *category, const char *place, const int64_t week[HOT_WEEKS + 1],
                   double mean, char *title, size_t title_n, char *desc, size_t desc_n);

#endif
