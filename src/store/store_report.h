/* store_report: supervision (the sweep and its notices) and the figures:
 * statistics per unit, the summary. */
#ifndef DUBAN_STORE_REPORT_H
#define DUBAN_STORE_REPORT_H

#include "core/metrics.h"
#include "core/scheme.h"
#include "core/supervise.h"
#include "core/ref.h"
#include "store/store.h"
#include "store/store_case.h"

/* Raises due notices at `now`, 25,000 cases a transaction (a backlog
 * keeps no writer waiting long); idempotent, and safe beside another sweep.
 * *first_id is the id of the first new notice (list them with
 * store_notice_list); on an error, what earlier transactions raised stays. */
int store_sweep(store *s, int64_t now, int64_t *raised, int64_t *first_id, err *e);
/* The same for one case, in the caller's transaction: what a sweep at `now`
 * raises for it (a simulation that drives one case at a time sweeps it as
 * a server would have, minute by minute). */
int store_sweep_case(store *s, int64_t case_id, int64_t now, int64_t *raised, err *e);

/* A notice's kind in the table: a deadline's name, or this for a 领导批示
 * (store_notice.kind is then DUE_COUNT). */
#define STORE_NOTICE_INSTRUCTION "instruction"
typedef struct store_notice {
    int64_t id, case_id;
    char case_no[CASE_CODE_MAX];
    case_due_kind kind; /* DUE_COUNT: a 领导批示 */
    sup_level level;
    int64_t due, raised_at;
    unit_ref unit;
} store_notice;
typedef int (*store_notice_fn)(void *ctx, const store_notice *n);
int store_notice_list(store *s, int64_t min_id, int64_t case_id, store_notice_fn fn, void *ctx,
                      err *e);

/* The 考核 scheme (core/scheme.h) that scores the period beginning at
 * `from`, as of `at`: the one set for the latest year up to the period's,
 * as it had been set by `at` (a scheme set later does not change a past
 * figure); the default when none was. */
int store_scheme_at(store *s, int64_t from, int64_t at, scheme *out, err *e);
/* Sets the scheme from a year on (0: every year), at `now`, by `actor`. */
int store_scheme_set(store *s, int year, const scheme *sch, int64_t now, const char *actor, err *e);
/* Every scheme set, in the order set. */
typedef int (*store_scheme_fn)(void *ctx, int year, int64_t set_at, const char *actor, const scheme *sch);
int store_scheme_list(store *s, store_scheme_fn fn, void *ctx, err *e);

typedef struct store_unit_stats {
    unit_ref unit;
    unit_kind kind;
    met_counts m;
} store_unit_stats;
/* Per unit, the figures of [from, to) as of `at` (core/metrics.h, defined
 * in docs/rules.md): only what had happened by `at` counts. *out (caller
 * frees) is sorted by unit code; a unit with nothing counted is left out. */
int store_stats(store *s, int64_t from, int64_t to, int64_t at, store_unit_stats **out,
                size_t *n, err *e);
/* The same for several periods [period[k][0], period[k][1]) at once, from
 * one pass over the cases (the 通报's month and the month before): out[k],
 * n[k] for each. */
#define STORE_STATS_PERIODS 4
int store_stats_periods(store *s, const int64_t (*period)[2], int np, int64_t at, store_unit_stats **out,
                        size_t *n, err *e);

/* The cases behind one unit's figure (core/metrics met_figure_parse) of
 * [from, to) as of `at`, counted as store_stats counts them: those in its
 * numerator, or in its denominator, each with how many times it counts
 * there (a case due again after a 重办: twice); in id order, at most
 * `limit` (the count, *n, is of all, times included: the figure's). */
typedef int (*store_counted_fn)(void *ctx, const case_rec *c, int64_t times);
int store_stats_cases(store *s, int64_t unit_id, int64_t from, int64_t to, int64_t at, int figure,
                      bool numerator, int limit, int64_t *n, store_counted_fn fn, void *ctx, err *e);

/* The 12345 centre's own figures over the cases received in [from, to), as
 * they stood at `at`: 直接答复 (answered at intake, never dispatched: outside
 * every unit's rates) and the 回访 of those answers. */
typedef struct store_centre {
    int64_t received;  /* matters received in the period, every channel (not merged ones) */
    int64_t answered;  /* of them answered directly by `at` */
    int64_t visited;   /* of the answered: visited with a satisfaction by `at` */
    int64_t satisfied; /* of those visited: satisfied or basically satisfied */
    int64_t merged;    /* received in the period and merged (并案) into another case */
} store_centre;
int store_centre_stats(store *s, int64_t from, int64_t to, int64_t at, store_centre *out, err *e);


/* Figures for a summary: counts by status, open overdue at `now`. */
typedef struct store_summary {
    int64_t units, categories, cases, events, notices;
    int64_t by_status[ST_COUNT];
    int64_t overdue;
    int64_t due_today; /* pending deadlines falling on today's date */
    int64_t provisional; /* open cases with a deadline beyond the loaded calendar */
    int64_t by_appeal[AP_COUNT]; /* cases by 诉求类型; [AP_NONE]: not classified */
} store_summary;
int store_summary_get(store *s, int64_t now, store_summary *out, err *e);
/* When the latest case was received; 0 when there is none. */
int store_latest_received(store *s, int64_t *at, err *e);
/* The summary's `overdue` alone, without counting the whole database. */
int store_overdue_count(store *s, int64_t now, int64_t *out, err *e);
/* The cases a unit held at `at` with a deadline passed and unmet (签收, 反馈
 * or 办结), from their histories: the 通报's 超期在办 as of its moment. */
int store_overdue_at(store *s, int64_t at, int64_t *out, err *e);

#endif
