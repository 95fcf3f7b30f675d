/* metrics: see metrics.h. Every milestone counts only if it happened by
 * `at`, so figures for a past moment do not see later work. */
#include "core/metrics.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>

void met_case_of(const case_rec *c, met_case *m) {
    *m = (met_case){
        .dispatched_at = c->dispatched_at, .accept_due = c->due[DUE_ACCEPT],
        .accepted_at = c->accepted_at, .feedback_due = c->due[DUE_FEEDBACK],
        .first_feedback_at = c->first_feedback_at, .resolve_due = c->due[DUE_RESOLVE],
        .resolved_at = c->resolved_at, .visited_at = c->visited_at,
        .satisfaction = c->satisfaction, .solved = c->solved,
        .reopen_count = c->reopen_count, .extension_count = c->extension_count,
        .excluded_at = c->review == REVIEW_UPHELD ? c->review_at : 0};
}

/* Layout: 7 little-endian int32 offsets from dispatched_at (INT32_MIN for
 * "not yet"), then satisfaction and solved as int8, then the two counts as
 * uint16 (saturated), then excluded_at as an offset (absent in version 1). */
static void put32(unsigned char *p, int64_t t, int64_t base) {
    int64_t d = t ? t - base : INT32_MIN;
    if (t && (d <= INT32_MIN || d > INT32_MAX)) d = d < 0 ? INT32_MIN + 1 : INT32_MAX;
    uint32_t u = (uint32_t)(int32_t)d;
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(u >> (8 * i));
}

static int64_t get32(const unsigned char *p, int64_t base) {
    uint32_t u = 0;
    for (int i = 0; i < 4; i++) u |= (uint32_t)p[i] << (8 * i);
    int32_t d = (int32_t)u;
    return d == INT32_MIN ? 0 : base + d;
}

void met_case_pack(const met_case *m, unsigned char out[MET_PACKED_SIZE]) {
    const int64_t t[7] = {m->accept_due, m->accepted_at, m->feedback_due, m->first_feedback_at,
                          m->resolve_due, m->resolved_at, m->visited_at};
    for (int i = 0; i < 7; i++) put32(out + 4 * i, t[i], m->dispatched_at);
    out[28] = (unsigned char)(int8_t)m->satisfaction;
    out[29] = (unsigned char)(int8_t)m->solved;
    unsigned r = m->reopen_count > 65535 ? 65535 : (unsigned)m->reopen_count;
    unsigned x = m->extension_count > 65535 ? 65535 : (unsigned)m->extension_count;
    out[30] = (unsigned char)r;
    out[31] = (unsigned char)(r >> 8);
    out[32] = (unsigned char)x;
    out[33] = (unsigned char)(x >> 8);
    put32(out + 34, m->excluded_at, m->dispatched_at);
}

int met_case_unpack(const unsigned char *in, size_t len, int64_t dispatched_at, met_case *m) {
    if (!in || (len != MET_PACKED_SIZE && len != MET_PACKED_SIZE_V1)) return -1;
    int64_t *t[7] = {&m->accept_due, &m->accepted_at, &m->feedback_due, &m->first_feedback_at,
                     &m->resolve_due, &m->resolved_at, &m->visited_at};
    m->dispatched_at = dispatched_at;
    for (int i = 0; i < 7; i++) *t[i] = get32(in + 4 * i, dispatched_at);
    m->satisfaction = (int8_t)in[28];
    m->solved = (int8_t)in[29];
    m->reopen_count = in[30] | in[31] << 8;
    m->extension_count = in[32] | in[33] << 8;
    m->excluded_at = len == MET_PACKED_SIZE ? get32(in + 34, dispatched_at) : 0;
    return 0;
}

void met_weights_default(met_weights *w) { *w = (met_weights){0.30, 0.35, 0.35}; }

int met_weights_parse(const char *s, met_weights *w, err *e) {
    int a, b, c, n = -1;
    if (!s || sscanf(s, "%3d/%3d/%3d%n", &a, &b, &c, &n) != 3 || n != (int)strlen(s) || a < 0 || b < 0 ||
        c < 0 || a + b + c != 100)
        return err_set(e, ERR_INVALID, "value",
                       "composite_weights '%s' must be three whole percents A/S/F adding up to 100 (e.g. 30/35/35)",
                       s ? s : "");
    *w = (met_weights){a / 100.0, b / 100.0, c / 100.0};
    return 0;
}

static bool by(int64_t t, int64_t at) { return t != 0 && t <= at; }

void met_count_case(met_counts *m, const met_case *c, int64_t at) {
    if (!by(c->dispatched_at, at)) return;
    m->dispatched++;
    bool accepted = by(c->accepted_at, at), fed = by(c->first_feedback_at, at),
         resolved = by(c->resolved_at, at), visited = by(c->visited_at, at);
    if (accepted && c->accepted_at <= c->accept_due) m->accepted_on_time++;
    if (fed || (c->feedback_due && c->feedback_due <= at)) {
        m->feedback_expected++;
        if (fed && c->first_feedback_at <= c->feedback_due) m->feedback_on_time++;
    }
    if (resolved) {
        m->resolved++;
        if (c->resolved_at <= c->resolve_due) m->resolved_on_time++;
    }
    if (visited && by(c->excluded_at, at)) { /* 申诉复核 upheld: as if never visited */
        m->excluded++;
        visited = false;
    }
    if (visited) {
        m->visited++;
        if (c->solved == 1) m->solved++;
        if (c->satisfaction == SAT_SATISFIED || c->satisfaction == SAT_BASIC) m->satisfied++;
    }
    if (c->reopen_count > 0) m->reopened++;
    if (resolved || c->reopen_count > 0) m->ever_resolved++;
    if (c->extension_count > 0) m->extended++;
    if ((c->accept_due && c->accept_due <= at && !accepted) ||
        (c->feedback_due && c->feedback_due <= at && !fed) ||
        (c->resolve_due && c->resolve_due <= at && !resolved))
        m->overdue++;
}

void met_add(met_counts *sum, const met_counts *m) {
    int64_t *d = (int64_t *)sum;
    const int64_t *s = (const int64_t *)m;
    for (size_t i = 0; i < sizeof *m / sizeof(int64_t); i++) d[i] += s[i];
}

static double rate(int64_t num, int64_t den) { return den ? (double)num / (double)den : NAN; }

/* Each listable rate and the counts it divides (met_compute's table). The
 * 退单率 is not here: a returned assignment is no longer the unit's case. */
static const struct { const char *name, *num_name, *den_name; size_t num, den; } figures[] = {
    {"accept_rate", "accepted_on_time", "dispatched", offsetof(met_counts, accepted_on_time),
     offsetof(met_counts, dispatched)},
    {"feedback_rate", "feedback_on_time", "feedback_expected", offsetof(met_counts, feedback_on_time),
     offsetof(met_counts, feedback_expected)},
    {"resolve_rate", "resolved", "dispatched", offsetof(met_counts, resolved), offsetof(met_counts, dispatched)},
    {"ontime_resolve_rate", "resolved_on_time", "resolved", offsetof(met_counts, resolved_on_time),
     offsetof(met_counts, resolved)},
    {"solve_rate", "solved", "visited", offsetof(met_counts, solved), offsetof(met_counts, visited)},
    {"satisfaction_rate", "satisfied", "visited", offsetof(met_counts, satisfied), offsetof(met_counts, visited)},
    {"reopen_rate", "reopened", "ever_resolved", offsetof(met_counts, reopened),
     offsetof(met_counts, ever_resolved)},
    {"extension_rate", "extended", "dispatched", offsetof(met_counts, extended), offsetof(met_counts, dispatched)},
};

int met_figure_parse(const char *name, int *figure, const char **num, const char **den, err *e) {
    for (size_t i = 0; name && i < sizeof figures / sizeof *figures; i++)
        if (strcmp(name, figures[i].name) == 0) {
            *figure = (int)i;
            if (num) *num = figures[i].num_name;
            if (den) *den = figures[i].den_name;
            return 0;
        }
    return err_set(e, ERR_INVALID, "figure",
                   "figure '%.40s' (want accept_rate, feedback_rate, resolve_rate, ontime_resolve_rate,"
                   " solve_rate, satisfaction_rate, reopen_rate or extension_rate)", name ? name : "");
}

void met_case_in(const met_case *c, int64_t at, int figure, bool *num, bool *den) {
    met_counts m = {0};
    met_count_case(&m, c, at);
    *num = *(const int64_t *)((const char *)&m + figures[figure].num) > 0;
    *den = *(const int64_t *)((const char *)&m + figures[figure].den) > 0;
}

void met_compute(const met_counts *m, const met_weights *w, met_rates *r) {
    r->accept_rate = rate(m->accepted_on_time, m->dispatched);
    r->feedback_rate = rate(m->feedback_on_time, m->feedback_expected);
    r->resolve_rate = rate(m->resolved, m->dispatched);
    r->ontime_rate = rate(m->resolved_on_time, m->resolved);
    r->solve_rate = rate(m->solved, m->visited);
    r->satisfy_rate = rate(m->satisfied, m->visited);
    r->reopen_rate = rate(m->reopened, m->ever_resolved);
    r->return_rate = rate(m->returned, m->dispatched);
    r->extension_rate = rate(m->extended, m->dispatched);
    double parts[] = {r->accept_rate, r->solve_rate, r->satisfy_rate};
    double weights[] = {w->accept, w->solve, w->satisfy};
    double sum = 0, wsum = 0;
    for (int i = 0; i < 3; i++)
        if (!isnan(parts[i])) {
            sum += parts[i] * weights[i];
            wsum += weights[i];
        }
    r->composite = wsum > 0 ? sum / wsum : NAN;
}

void met_rank(const double *composite, const int64_t *volume, const int *group, size_t n,
              int64_t min_volume, int *rank) {
    for (size_t i = 0; i < n; i++) {
        rank[i] = 0;
        if (volume[i] < min_volume || isnan(composite[i])) continue;
        rank[i] = 1;
        for (size_t j = 0; j < n; j++)
            if (group[j] == group[i] && volume[j] >= min_volume && !isnan(composite[j]) &&
                composite[j] > composite[i])
                rank[i]++;
    }
}
