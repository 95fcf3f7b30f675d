/* store_indicator: 1+10+N's "1" — the main indicators and their growth
 * rates (core/indicator.h): a year's target and actuals, written one by one
 * or imported in one transaction (every row or none). */
#ifndef DUBAN_STORE_INDICATOR_H
#define DUBAN_STORE_INDICATOR_H

#include "core/indicator.h"
#include "store/store.h"

#define STORE_IND_PERIODS 24 /* a year's months, quarters and the year */

typedef struct store_ind_value {
    char period[IND_PERIOD_MAX + 1];
    int ord;
    double value;
    bool demo;
    char source[96];
} store_ind_value;

typedef struct store_indicator {
    char code[IND_CODE_MAX], grp[IND_CODE_MAX], name[64];
    bool has_target;
    store_ind_value target;
    int n_actual; /* the year's actuals, in time order */
    store_ind_value actual[STORE_IND_PERIODS];
} store_indicator;

/* Every indicator with year's target and actuals as reported by `at` (each
 * value's last report at or before it), in their order. Caller frees *out. */
int store_indicators(store *s, int year, int64_t at, store_indicator **out, size_t *n, err *e);
/* The years that have a target or an actual, newest first (at most max). */
int store_indicator_years(store *s, int *years, int max, int *n, err *e);

/* Writes (or replaces) every row, or none: ERR_INVALID naming "code" and
 * the row when an indicator is unknown. A target's period is a year. */
int store_indicator_put(store *s, const ind_row *rows, size_t n, const char *by, int64_t now, err *e);

#endif
