/* scheme: a 考核 scheme as localities publish it, as data. A scheme scores
 * a unit's figures (core/metrics.h) by terms — a rate, its weight (the
 * points at full marks) and a band: full marks from a rate on, so many
 * points lost per percentage point below it, never fewer than a floor —
 * and by deductions or bonuses per counted case (per overdue case, per
 * 重办 ...), each capped. A period is scored by the scheme in force in its
 * year (the 考核办法 changes by year). The published schemes ship as
 * presets with their sources (docs/rules.md); the default includes
 * completion. */
#ifndef DUBAN_SCHEME_H
#define DUBAN_SCHEME_H

#include <jansson.h>
#include <stdbool.h>

#include "core/metrics.h"
#include "util/err.h"

#define SCH_MAX_TERMS 8
#define SCH_MAX_ADJUST 6
#define SCH_NAME_MAX 32

typedef struct sch_term {
    int figure;   /* met_figure_parse's index */
    double weight; /* points at full marks */
    double full;  /* the rate (0..1) from which the term scores its weight */
    double slope; /* points lost per percentage point below full */
    double floor; /* the fewest points it gives */
    bool lower_better; /* a rate where less is better (重办率): scored on 1 - rate */
} sch_term;

typedef struct sch_adjust {
    int count;     /* sch_count_parse's index: a met_counts field */
    double points; /* per counted case: negative a deduction, positive a bonus */
    double cap;    /* the most it adds or takes away in all (0: no cap) */
} sch_adjust;

typedef struct scheme {
    char name[SCH_NAME_MAX]; /* a preset's name, or "custom" */
    int n_terms, n_adjust;
    sch_term term[SCH_MAX_TERMS];
    sch_adjust adjust[SCH_MAX_ADJUST];
    /* A term observed fewer times than this (its denominator) for a unit is
     * shown but not scored, and the unit's other terms are scaled to the
     * full marks; completion (结案率, 按时结案率) is scored whenever the unit
     * has cases due, however few. */
    int min_obs;
} scheme;

/* A unit's score by a scheme: each term's rate, its points (NaN when not
 * scored), each adjustment, and the total on the scheme's scale and as a
 * share of its full marks (0..1; NaN when no term was scored). */
typedef struct sch_score {
    double rate[SCH_MAX_TERMS], points[SCH_MAX_TERMS];
    int64_t observed[SCH_MAX_TERMS];
    double adjust[SCH_MAX_ADJUST];
    double total, max, share;
} sch_score;

/* The presets: name, label, where it was published. */
typedef struct sch_preset {
    const char *name, *label, *source;
    scheme s;
} sch_preset;
extern const sch_preset sch_presets[];
extern const int sch_n_presets;

/* The default: the first preset. */
const scheme *sch_default(void);
const sch_preset *sch_preset_find(const char *name);

/* A scheme from its JSON: {"preset": NAME} or {"terms": [{"figure",
 * "weight", "full", "slope", "floor", "lower_better"}], "adjust": [{"count",
 * "points", "cap"}], "min_obs"}; ERR_INVALID naming what is wrong. */
int sch_from_json(json_t *v, scheme *out, err *e);
json_t *sch_to_json(const scheme *s);

/* The met_counts field an adjustment counts, by name ("overdue"). */
int sch_count_parse(const char *name, int *count, err *e);

void sch_score_of(const scheme *s, const met_counts *m, sch_score *out);
/* The scheme in words, for the 通报's note: its terms and points, the
 * observations below which a term is not scored, the adjustments. */
void sch_describe(const scheme *s, char *out, size_t n);
json_t *sch_score_json(const scheme *s, const sch_score *sc);

#endif
