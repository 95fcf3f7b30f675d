/* indicator: the "1" of 1+10+N — the six main economic indicators (地区生产
 * 总值 ... 城乡居民人均可支配收入, the last as its urban and rural halves),
 * each a growth rate in percent: a yearly target and actuals for the year,
 * its quarters or its months (cumulative, as the statistics bureau reports
 * them). A target and an actual are compared only within one year. Pure. */
#ifndef DUBAN_INDICATOR_H
#define DUBAN_INDICATOR_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"

#define IND_CODE_MAX 32
#define IND_PERIOD_MAX 8 /* "2024", "2024-Q3", "2024-09" */

typedef enum { IND_TARGET, IND_ACTUAL } ind_kind;
typedef enum { IND_NO_DATA, IND_MET, IND_NEAR, IND_BEHIND } ind_status;

/* A period: "YYYY" (the year), "YYYY-Qn" or "YYYY-MM"; its year, and a key
 * that sorts periods in time (a year after its months: the whole comes
 * last). ERR_INVALID naming field otherwise. */
int ind_period_parse(const char *s, int *year, int *order, const char *field, err *e);
int ind_kind_parse(const char *s, ind_kind *k, err *e); /* target|actual, 目标|实际 */
const char *ind_kind_name(ind_kind k);
/* A growth rate in percent, -100 to 1000, at most 2 decimals. */
int ind_value_parse(const char *s, double *v, const char *field, err *e);

/* A value to write: line is its row in an imported file (0: none);
 * strings borrowed. */
typedef struct ind_row {
    int line;
    const char *code, *period, *source;
    ind_kind kind;
    double value;
    bool demo;
} ind_row;

/* The actual against the year's target: met (at or above), within one
 * point below (IND_NEAR), behind; IND_NO_DATA without both. */
ind_status ind_judge(bool has_target, double target, bool has_actual, double actual);
const char *ind_status_name(ind_status s);  /* no_data met near behind */
const char *ind_status_label(ind_status s); /* 暂无 达到目标 差距1个百分点内 落后于目标 */

#endif
