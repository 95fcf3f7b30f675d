/* bulletin: the monthly 通报 as figures — each unit's rates and its rank
 * within its group (市直部门, 乡镇街道) for a period and for the period
 * before it, the best and the worst named, the totals, the categories most
 * asked about and where from, and 码上评 per unit. The store fills the
 * counts (store_bulletin); this ranks, compares and writes them out. */
#ifndef DUBAN_BULLETIN_H
#define DUBAN_BULLETIN_H

#include <jansson.h>

#include "core/appraise.h"
#include "core/metrics.h"
#include "core/scheme.h"
#include "core/ref.h"

#define BUL_TOP_CATEGORIES 10
#define BUL_TOP_TOWNSHIPS 3

/* 人大代表建议 and 政协提案 a unit leads, dispatched in the period: how
 * many, answered, by the answer's class, and the members' satisfaction. */
typedef struct bul_proposals {
    int64_t deputy, cppcc, answered, by_answer[ANS_COUNT], visited, satisfied;
} bul_proposals;

typedef struct bul_unit {
    unit_ref unit;
    unit_kind kind;
    met_counts now, before; /* this period; the one before it */
    met_rates r, r_before;  /* bulletin_rank */
    int rank, rank_before;  /* in its group; 0: not ranked */
    /* 码上评 at the unit's service points, this period */
    int64_t evals, good, bad, bad_cases, bad_due, bad_fixed, bad_anonymous;
    int64_t bad_excluded; /* 差评 taken out by an upheld 申诉复核 */
    bul_proposals prop;
    /* 综合考评: key tasks due in the period and those done by their day; its
     * projects' year plan and what they invested by the period's end */
    int64_t tasks_due, tasks_ontime;
    double proj_plan, proj_done;
    appraise_part part[AP_PARTS];
    double score;    /* NaN: nothing to appraise */
    int score_rank;  /* in its group; 0: not ranked */
} bul_unit;

typedef struct bul_category {
    unit_ref category;
    int64_t n, n_before;
    int n_towns;
    unit_ref town[BUL_TOP_TOWNSHIPS];
    int64_t town_n[BUL_TOP_TOWNSHIPS];
} bul_category;

typedef struct bulletin {
    int64_t from, to, before_from, at; /* [from, to), the period before [before_from, from) */
    bul_unit *units;                   /* owned (bulletin_clear) */
    size_t n_units;
    met_counts total, total_before;
    int64_t received, received_before;   /* matters received (not merged ones) */
    int64_t answered;                    /* of them answered directly at intake */
    int64_t by_channel[CH_COUNT], by_class[CL_COUNT];
    bul_category top[BUL_TOP_CATEGORIES];
    int n_top;
    int64_t overdue_open; /* open cases past a deadline at `at` */
    int64_t rank_min;     /* units with fewer cases dispatched are listed, not ranked */
    scheme sch;           /* the 考核 scheme in force for the period (core/scheme.h) */
    appraise_weights aw;  /* 综合考评's */
    double year_gone;     /* the share of the projects' year gone at the period's end */
    /* a published issue: its number (0: a draft), the issue it corrects
     * (0: none) and what the correction says (borrowed) */
    int64_t issue_no, corrects;
    const char *note;
    /* where duban is reached (no trailing /), so the workbook's rates link
     * to the cases behind them; "" for no links */
    char site[256];
} bulletin;

/* A month "YYYY-MM" as a 通报's period at tz: [from, to) and the month
 * before from `before`; ERR_INVALID naming "month" otherwise. */
int bulletin_month(const char *month, int tz, int64_t *from, int64_t *to, int64_t *before, err *e);

/* A period's cut-off: the end of the `workdays`th working day after it
 * ends at `to` (0: `to` itself). What happened by then is the period's
 * report: a 通报 made later is the same one. */
int64_t bulletin_cutoff(const struct cal *c, int tz, int64_t to, int workdays);

/* The overview's lines, this period and the one before: counts, then rates
 * (NaN when there is nothing to divide). Returns how many (at most 16). */
typedef struct bul_line {
    const char *label;
    bool rate;
    double now, before;
} bul_line;
int bulletin_overview(const bulletin *b, bul_line out[16]);

void bulletin_clear(bulletin *b);
/* The units' indexes in 综合考评 order: by group, the ranked by rank, then
 * the rest by volume; *n of them. Caller frees; NULL when out of memory. */
size_t *bulletin_appraisal_order(const bulletin *b, size_t *n);
/* The proposals of every unit added up. */
void bulletin_proposals_total(const bulletin *b, bul_proposals *out);
/* The rates of every unit for both periods and their ranks in each. */
void bulletin_rank(bulletin *b);
/* The best and the worst ranked unit of a group (unit kind) this period:
 * indexes into b->units, -1 when the group has no ranked unit. The worst is
 * -1 too when only one unit is ranked. */
void bulletin_ends(const bulletin *b, unit_kind group, int *best, int *worst);
/* Everything, as GET /bulletin gives it (local times at tz). */
json_t *bulletin_json(const bulletin *b, int tz);

#endif
