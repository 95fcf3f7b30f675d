/* metrics: the per-unit handling figures, counted from each case's history
 * as it stood at a moment `at`, and the rates and composite score built
 * from them. A rate whose denominator is zero is NaN (shown as null). The
 * definitions, with their sources, are docs/rules.md. */
#ifndef DUBAN_METRICS_H
#define DUBAN_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/case.h"
#include "util/err.h"

/* A unit's counts over a period [from, to) as of a moment `at`: only what
 * had happened by `at` counts (docs/rules.md defines each one). */
typedef struct met_counts {
    int64_t dispatched;       /* lead assignments made in the period, not moved away by 改派 */
    int64_t accept_due;       /* 应签收: assignments due for 签收 in the period (or signed on time in it) */
    int64_t accepted_on_time; /* of them signed for by the deadline */
    int64_t feedback_expected, feedback_on_time; /* 应反馈, 按时反馈 (the same rule) */
    int64_t due;      /* 应结案: due in the period, finished early in it, or carried into it */
    int64_t resolved, resolved_on_time; /* 结案, 按时结案: of those due, finished in the period */
    int64_t carried;  /* 积案: of those due, due in an earlier period and still open at its start */
    int64_t due_reopened; /* of those due, cases due again after a 重办 */
    int64_t visited, solved, satisfied; /* 有效回访 in the period; satisfied counts "basic" too */
    int64_t reopened, ever_resolved; /* of the results given in the period, those sent back (重办) */
    int64_t returned; /* of the assignments made in the period, 退单 by `at` */
    int64_t extended; /* of those due, due by an extension or plan asked for in time */
    int64_t late_requests; /* extensions or plans approved though asked for after the deadline */
    int64_t overdue;  /* of those due, not finished in the period (超期未结) */
    int64_t unreachable; /* closed in the period after 回访 could not reach the requester */
    int64_t excluded; /* 回访 in the period taken out of the rates by an upheld 申诉复核 */
    /* the assignments made in the period, by 诉求类型 (AP_NONE: not
     * classified); they add up to dispatched - returned */
    int64_t appeal[AP_COUNT];
} met_counts;

typedef struct met_rates {
    double accept_rate;     /* 按时签收率 */
    double feedback_rate;   /* 按时反馈率 */
    double resolve_rate;    /* 结案率: resolved / due */
    double ontime_rate;     /* 按时结案率: resolved_on_time / due */
    double solve_rate;      /* 解决率 */
    double satisfy_rate;    /* 满意率 */
    double reopen_rate;     /* 重办率 */
    double return_rate;     /* 退单率 */
    double extension_rate;  /* 延期率 */
    double composite;
} met_rates;

/* ---- a case's history: what the figures are counted from ----
 *
 * Every change of a case that a figure reads — its lead unit, a deadline
 * (which action set it), 签收, 反馈, 办结, 重办, 回访, an upheld 申诉复核 —
 * is kept with its time, in a compact value beside the case (history). A
 * figure as of `at` reads the records up to `at` and nothing after, so it is
 * a comparison, not a replay of events. A record is the kind (its high bit:
 * a detail follows), the detail (the action, the 回访's answers ...), the
 * time and, for the kinds that have one, a value (a unit id, or a deadline)
 * — the times as offsets from the case's received_at, each number as a
 * zigzag varint: at most MET_REC_MAX bytes, most 4 to 9. Small is what
 * makes a period's figures fast: the covering index holds every history. */
#define MET_REC_MAX 12
#define MET_STEP_MAX 13 /* records one action can add: one of each kind at most */

/* The fields of a case the history follows. */
typedef struct met_state {
    int64_t lead;
    int64_t accept_due, feedback_due, resolve_due;
    int64_t accepted_at, fed_at, resolved_at, visited_at;
    int satisfaction, solved;
    int answer; /* a proposal's answer (case_answer), kept with its 办结 */
    bool excluded, unreachable, merged;
} met_state;
void met_state_of(const case_rec *c, met_state *s);

/* The records an action at `at` adds, going from `before` to `after`, into
 * out (at most MET_STEP_MAX * MET_REC_MAX bytes); returns their length. */
size_t met_hist_step(const met_state *before, const met_state *after, case_action a, int64_t at, int64_t base,
                     unsigned char *out);

/* Adds one case's history to the counts of the units it concerns over
 * [from, to) as of `at`: unit(ctx, id) gives a unit's counts, or NULL to
 * skip it. Returns -1 if the bytes are not a history. */
typedef met_counts *(*met_unit_fn)(void *ctx, int64_t unit);
/* Whether a case's deadlines had come by `at` (*due: one passed, or it was
 * finished before it) and whether every one that had was met (*met): a
 * 差评's 整改 as of a moment. */
void met_hist_met(const unsigned char *h, size_t len, int64_t base, int64_t at, bool *due, bool *met);
/* Whether, at `at`, a unit held the case with a deadline passed and unmet
 * (签收, 反馈 or 办结). */
bool met_hist_overdue_at(const unsigned char *h, size_t len, int64_t base, int64_t at);
int met_hist_count(const unsigned char *h, size_t len, int64_t base, case_appeal appeal, int64_t from, int64_t to,
                   int64_t at, met_unit_fn unit, void *ctx);

/* A case as it stood at `at`, for the figures not kept per unit (人大代表
 * 建议 and 政协提案, the 12345 centre's): when it was first dispatched (0:
 * not yet), the lead unit then, whether it was finished (answered) and
 * with what answer (a proposal's, case_answer), whether it had been merged
 * into another, its 回访 (one taken out by an upheld 申诉复核 is not).
 * Returns -1 if the bytes are not a history. */
typedef struct met_case_at {
    int64_t dispatched_at, lead;
    bool answered, merged, visited, satisfied;
    int answer;
} met_case_at;
int met_hist_at(const unsigned char *h, size_t len, int64_t base, int64_t at, met_case_at *out);

/* sum += m, field by field. */
void met_add(met_counts *sum, const met_counts *m);
/* The rates whose cases can be listed, by index. */
enum {
    MET_F_ACCEPT, MET_F_FEEDBACK, MET_F_RESOLVE, MET_F_ONTIME, MET_F_SOLVE, MET_F_SATISFY, MET_F_REOPEN,
    MET_F_EXTENSION, MET_F_RETURN, MET_F_COUNT
};
/* The rates whose cases can be listed (a leader who doubts a figure sees
 * the cases behind it): by name ("resolve_rate", as the JSON calls it);
 * ERR_INVALID naming "figure" otherwise. The counts its numerator and
 * denominator come from are *num and *den (met_counts field names). */
int met_figure_parse(const char *name, int *figure, const char **num, const char **den, err *e);
/* A listable rate's name ("resolve_rate"; NULL past the last), and its
 * numerator and denominator in a unit's counts. */
const char *met_figure_name(int figure);
const char *met_figure_label(int figure); /* 按时签收率 ... */
void met_figure_counts(const met_counts *m, int figure, int64_t *num, int64_t *den);
/* The rate itself, from the rates met_compute gave; NaN past the last. Every
 * table of rates (the JSON, the 通报's workbook and print) is these in this
 * order, then the composite. */
struct met_rates;
double met_figure_rate(const struct met_rates *r, int figure);
/* The rates; the composite is the unit's score by the scheme as a share of
 * its full marks (core/scheme.h), NaN when no term is scored. */
struct scheme;
void met_compute(const met_counts *m, const struct scheme *s, met_rates *r);

/* Ranks n units by composite, highest first, within their groups (市直部门
 * and 乡镇街道 are ranked apart): rank[i] is 1 + the number of ranked units
 * of group[i] with a higher composite (equal composites share a rank), or 0
 * when unit i is not ranked — fewer than min_volume cases dispatched (one
 * case at 100% must not come first) or no composite. */
void met_rank(const double *composite, const int64_t *volume, const int *group, size_t n,
              int64_t min_volume, int *rank);

#endif
