/* metrics: the per-unit handling figures, counted from case milestones as
 * they stood at a moment `at`, and the rates and composite score built from
 * them. A rate whose denominator is zero is NaN (shown as null). */
#ifndef DUBAN_METRICS_H
#define DUBAN_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/case.h"
#include "util/err.h"

typedef struct met_counts {
    int64_t dispatched;       /* lead assignments in the period, returned ones included */
    int64_t accepted_on_time; /* signed for by accept_due */
    int64_t feedback_expected, feedback_on_time;
    int64_t resolved, resolved_on_time; /* 办结: resolved, visited or closed */
    int64_t visited, solved, satisfied; /* satisfied counts "basic" too */
    int64_t reopened, ever_resolved;
    int64_t returned;
    int64_t extended;
    int64_t overdue; /* a deadline passed and unmet at `at` */
    int64_t unreachable; /* closed after 回访 could not reach the requester (never visited) */
    int64_t excluded; /* 回访 taken out of the rates by an upheld 申诉复核 */
    /* the cases it leads that were dispatched in the period, by 诉求类型
     * (AP_NONE: not classified); they add up to dispatched - returned */
    int64_t appeal[AP_COUNT];
} met_counts;

typedef struct met_weights {
    double accept, solve, satisfy; /* defaults 0.30 / 0.35 / 0.35 */
} met_weights;

typedef struct met_rates {
    double accept_rate;     /* 按时签收率 */
    double feedback_rate;   /* 按时反馈率 */
    double resolve_rate;    /* 办结率 */
    double ontime_rate;     /* 按期办结率 */
    double solve_rate;      /* 解决率 */
    double satisfy_rate;    /* 满意率 */
    double reopen_rate;     /* 重办率 */
    double return_rate;     /* 退单率 */
    double extension_rate;  /* 延期率 */
    double composite;
} met_rates;

/* The fields of a case that metrics read; the store fills them from an index. */
typedef struct met_case {
    int64_t dispatched_at, accept_due, accepted_at, feedback_due, first_feedback_at,
        resolve_due, resolved_at, visited_at;
    int satisfaction; /* case_satisfaction */
    int solved;
    int reopen_count, extension_count;
    int64_t excluded_at; /* when an upheld 申诉复核 took its 回访 out; 0: never */
} met_case;

/* The metric fields of a case. */
void met_case_of(const case_rec *c, met_case *m);

/* A compact, fixed-layout encoding of a met_case without its dispatched_at
 * (times as 32-bit offsets from it), stored beside each case so reports read
 * one value instead of a dozen columns. */
#define MET_PACKED_SIZE 38
#define MET_PACKED_SIZE_V1 34 /* before 申诉复核: read as never excluded */
void met_case_pack(const met_case *m, unsigned char out[MET_PACKED_SIZE]);
/* Returns -1 if the bytes are not a packed met_case. */
int met_case_unpack(const unsigned char *in, size_t len, int64_t dispatched_at, met_case *m);

void met_weights_default(met_weights *w);
/* "30/35/35": whole percents for acceptance, solving and satisfaction that
 * add up to 100 (configuration composite_weights); ERR_INVALID otherwise. */
int met_weights_parse(const char *s, met_weights *w, err *e);
/* Adds one case (currently led by the unit) as it stood at `at`. */
void met_count_case(met_counts *m, const met_case *c, int64_t at);
/* sum += m, field by field. */
void met_add(met_counts *sum, const met_counts *m);
/* The rates whose cases can be listed (a leader who doubts a figure sees
 * the cases behind it): by name ("resolve_rate", as the JSON calls it);
 * ERR_INVALID naming "figure" otherwise. The counts its numerator and
 * denominator come from are *num and *den (met_counts field names). */
int met_figure_parse(const char *name, int *figure, const char **num, const char **den, err *e);
/* Whether case c, as it stood at `at`, is in the figure's numerator and in
 * its denominator. */
void met_case_in(const met_case *c, int64_t at, int figure, bool *num, bool *den);
/* The composite weighs the rates that exist; it is NaN only if none does. */
void met_compute(const met_counts *m, const met_weights *w, met_rates *r);

/* Ranks n units by composite, highest first, within their groups (市直部门
 * and 乡镇街道 are ranked apart): rank[i] is 1 + the number of ranked units
 * of group[i] with a higher composite (equal composites share a rank), or 0
 * when unit i is not ranked — fewer than min_volume cases dispatched (one
 * case at 100% must not come first) or no composite. */
void met_rank(const double *composite, const int64_t *volume, const int *group, size_t n,
              int64_t min_volume, int *rank);

#endif
