/* metrics: see metrics.h. Every record counts only if it happened by `at`,
 * so figures for a past moment do not see later work. */
#include "core/metrics.h"

#include "core/scheme.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>

void met_state_of(const case_rec *c, met_state *s) {
    *s = (met_state){.lead = c->lead.id, .accept_due = c->due[DUE_ACCEPT], .feedback_due = c->due[DUE_FEEDBACK],
                     .resolve_due = c->due[DUE_RESOLVE], .accepted_at = c->accepted_at,
                     .fed_at = c->first_feedback_at, .resolved_at = c->resolved_at, .visited_at = c->visited_at,
                     .satisfaction = c->satisfaction, .solved = c->solved, .answer = c->answer,
                     .excluded = c->review == REVIEW_UPHELD, .unreachable = c->closed_unreachable,
                     .merged = c->merged_into != 0};
}

/* The kinds of records, in the order one action writes them. */
enum {
    MH_LEAD = 1,     /* val: the lead unit (0: none, after a 退单); aux: the action */
    MH_REOPENED,     /* 重办: the case is due again */
    MH_ACCEPT_DUE,   /* val: the deadline */
    MH_FEEDBACK_DUE, /* val: the deadline */
    MH_RESOLVE_DUE,  /* val: the deadline; aux: the action that set it */
    MH_REQUEST,      /* an extension or a plan asked for */
    MH_ACCEPTED,
    MH_FED,
    MH_RESOLVED,     /* aux: a proposal's answer (case_answer) */
    MH_VISITED,      /* aux: satisfaction + 1 | (solved + 1) << 2 */
    MH_EXCLUDED,     /* aux: 1 an upheld 申诉复核 takes the latest visit out, 0 puts it back */
    MH_UNREACHABLE,  /* closed: nobody reached for the 回访 */
    MH_MERGED,       /* 并案: merged into another case */
};

static int32_t off32(int64_t t, int64_t base) {
    int64_t d = t - base;
    return d < INT32_MIN ? INT32_MIN : d > INT32_MAX ? INT32_MAX : (int32_t)d;
}

/* A number as a zigzag varint (small magnitudes, either sign, in few bytes). */
static size_t put_var(unsigned char *p, int32_t v) {
    uint32_t u = ((uint32_t)v << 1) ^ (uint32_t)(v >> 31);
    size_t n = 0;
    for (; u >= 0x80; u >>= 7) p[n++] = (unsigned char)(u | 0x80);
    p[n++] = (unsigned char)u;
    return n;
}

/* Reads one at *k; false if the bytes end first or it is too long. */
static bool get_var(const unsigned char *h, size_t len, size_t *k, int64_t *out) {
    uint32_t u = 0;
    for (int shift = 0; shift < 35 && *k < len; shift += 7) {
        unsigned char b = h[(*k)++];
        u |= (uint32_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = (int32_t)((u >> 1) ^ (0u - (u & 1)));
            return true;
        }
    }
    return false;
}

/* The kinds with a value (kind_valued). */
static bool kind_valued(int kind) {
    return kind == MH_LEAD || kind == MH_ACCEPT_DUE || kind == MH_FEEDBACK_DUE || kind == MH_RESOLVE_DUE;
}

static size_t rec(unsigned char *out, size_t k, int kind, int aux, int64_t at, int32_t val, int64_t base) {
    out[k++] = (unsigned char)(kind | (aux ? 0x80 : 0));
    if (aux) out[k++] = (unsigned char)aux;
    k += put_var(out + k, off32(at, base));
    if (kind_valued(kind)) k += put_var(out + k, val);
    return k;
}

size_t met_hist_step(const met_state *b, const met_state *a, case_action act, int64_t at, int64_t base,
                     unsigned char *out) {
    size_t k = 0;
    bool lead = a->lead != b->lead;
    if (lead) k = rec(out, k, MH_LEAD, act, at, (int32_t)a->lead, base);
    if (act == ACT_REOPEN) k = rec(out, k, MH_REOPENED, 0, at, 0, base);
    /* a new assignment states its deadlines even when they are the old ones */
    if (a->accept_due && (lead || a->accept_due != b->accept_due))
        k = rec(out, k, MH_ACCEPT_DUE, 0, at, off32(a->accept_due, base), base);
    if (a->feedback_due && (lead || a->feedback_due != b->feedback_due))
        k = rec(out, k, MH_FEEDBACK_DUE, 0, at, off32(a->feedback_due, base), base);
    if (a->resolve_due && (lead || act == ACT_REOPEN || a->resolve_due != b->resolve_due))
        k = rec(out, k, MH_RESOLVE_DUE, act, at, off32(a->resolve_due, base), base);
    if (act == ACT_REQUEST_EXTENSION || act == ACT_PROPOSE_PLAN) k = rec(out, k, MH_REQUEST, act, at, 0, base);
    if (a->accepted_at && a->accepted_at != b->accepted_at) k = rec(out, k, MH_ACCEPTED, 0, at, 0, base);
    if (a->fed_at && a->fed_at != b->fed_at) k = rec(out, k, MH_FED, 0, at, 0, base);
    if (a->resolved_at && a->resolved_at != b->resolved_at) k = rec(out, k, MH_RESOLVED, a->answer, at, 0, base);
    if (a->visited_at && a->visited_at != b->visited_at)
        k = rec(out, k, MH_VISITED, (a->satisfaction + 1) | (a->solved + 1) << 2, at, 0, base);
    if (a->excluded != b->excluded) k = rec(out, k, MH_EXCLUDED, a->excluded, at, 0, base);
    if (a->unreachable && !b->unreachable) k = rec(out, k, MH_UNREACHABLE, 0, at, 0, base);
    if (a->merged && !b->merged) k = rec(out, k, MH_MERGED, 0, at, 0, base);
    return k;
}

/* ---- counting a history ---------------------------------------------------- */

enum { END_HELD, END_RETURNED, END_MOVED, END_RESOLVED };

typedef struct fold {
    int64_t from, to, at;
    met_unit_fn unit;
    void *ctx;
    case_appeal appeal;
    /* the current assignment */
    int64_t lead, assigned_at, accept_due, accepted_at, feedback_due, fed_at;
    /* the current resolution segment: a unit's stretch of one 办理 (from a
     * dispatch or a 重办 to the result, or to a handover) */
    bool seg_open, seg_reopened, seg_extended, resolved;
    int64_t seg_unit, seg_start, due;
    int64_t request_at, request_due; /* the open extension or plan request, and the deadline it extends */
    int64_t result_at, result_unit;  /* the latest result, for 重办率 */
    int64_t visit_at, visit_unit;
    int visit_aux;
    bool visit_excluded;
    int64_t first_lead_at; /* the first dispatch */
    int answer;            /* the latest result's (a proposal's) */
    bool merged;
} fold;

static bool in(const fold *f, int64_t t) { return t >= f->from && t < f->to && t <= f->at; }

#define ADD(f, u, field)                              \
    do {                                              \
        met_counts *m_ = (u) ? (f)->unit((f)->ctx, (u)) : NULL; \
        if (m_) m_->field++;                          \
    } while (0)

/* 签收 and 反馈: a deadline met counts in the period it was met in; one
 * missed, in the period of the deadline, for the unit that held the case
 * then — even when it was handed on afterwards. */
static void judge(fold *f, int64_t due, int64_t done, int64_t end, bool is_accept) {
    met_counts *m = f->lead ? f->unit(f->ctx, f->lead) : NULL;
    if (!m || !due) return;
    int64_t *n_due = is_accept ? &m->accept_due : &m->feedback_expected;
    int64_t *n_ok = is_accept ? &m->accepted_on_time : &m->feedback_on_time;
    if (done && done <= due) {
        if (in(f, done)) (*n_due)++, (*n_ok)++;
    } else if (due <= end && in(f, due)) {
        (*n_due)++;
    }
}

static void end_assignment(fold *f, int64_t end, int how) {
    if (!f->lead) return;
    judge(f, f->accept_due, f->accepted_at, end, true);
    judge(f, f->feedback_due, f->fed_at, end, false);
    if (how != END_MOVED && in(f, f->assigned_at)) {
        met_counts *m = f->unit(f->ctx, f->lead);
        if (m) {
            m->dispatched++;
            if (how == END_RETURNED) m->returned++;
            else m->appeal[f->appeal]++;
        }
    }
}

/* 应结案: a segment finished by its deadline counts in the period it was
 * finished in; otherwise it is due from the period of its deadline (or of
 * its start, when it began past the deadline) through the period it ended
 * in — by its result, by a handover, or still open at `at` (积案). */
static void end_segment(fold *f, int64_t end, int how) {
    f->seg_open = false;
    met_counts *m = f->seg_unit ? f->unit(f->ctx, f->seg_unit) : NULL;
    if (!m || !f->due) return;
    bool done = how == END_RESOLVED;
    if (done && end <= f->due) {
        if (!in(f, end)) return;
        m->due++, m->resolved++, m->resolved_on_time++;
    } else {
        int64_t from_t = f->due > f->seg_start ? f->due : f->seg_start;
        if (from_t > end || from_t >= f->to || end < f->from || from_t > f->at) return;
        m->due++;
        if (done && in(f, end)) m->resolved++;
        else m->overdue++;
        if (from_t < f->from) m->carried++;
    }
    if (f->seg_extended) m->extended++;
    if (f->seg_reopened) m->due_reopened++;
}

static void start_segment(fold *f, int64_t t, bool reopened) {
    f->seg_open = true;
    f->seg_unit = f->lead;
    f->seg_start = t;
    f->seg_reopened = reopened;
}

/* Reads the records up to `at` into f, counting what ends on the way;
 * -1 if the bytes are not a history. */
static int replay(fold *f, const unsigned char *h, size_t len, int64_t base, int64_t at) {
    for (size_t k = 0; k < len;) {
        int kind = h[k] & 0x7f, aux = 0;
        int64_t t, val = 0;
        if ((h[k++] & 0x80) && (k == len || !(aux = h[k++]))) return -1;
        if (!get_var(h, len, &k, &t) || (kind_valued(kind) && !get_var(h, len, &k, &val))) return -1;
        t += base;
        if (t > at) break; /* records are in time order: what came later does not count */
        switch (kind) {
        case MH_LEAD:
            end_assignment(f, t, aux == ACT_RETURN ? END_RETURNED : aux == ACT_REASSIGN ? END_MOVED : END_HELD);
            if (f->seg_open && f->seg_unit != val) end_segment(f, t, END_HELD);
            if (aux == ACT_DISPATCH) f->resolved = false; /* after a direct answer that did not settle it */
            f->lead = val;
            f->assigned_at = t;
            if (val && !f->first_lead_at) f->first_lead_at = t;
            f->accept_due = f->accepted_at = f->feedback_due = f->fed_at = 0;
            if (val && !f->seg_open && !f->resolved) start_segment(f, t, f->seg_reopened);
            break;
        case MH_REOPENED:
            if (f->result_at && in(f, f->result_at)) ADD(f, f->result_unit, reopened);
            f->resolved = false;
            f->visit_at = 0; /* the visit it answered is gone */
            f->due = 0;
            f->seg_extended = false;
            if (f->lead) start_segment(f, t, true);
            break;
        case MH_ACCEPT_DUE: f->accept_due = base + val; break;
        case MH_FEEDBACK_DUE: f->feedback_due = base + val; break;
        case MH_RESOLVE_DUE:
            if (aux == ACT_APPROVE_EXTENSION || aux == ACT_APPROVE_PLAN) {
                /* counts only when asked for before the deadline it extends */
                if (f->request_at && f->request_due && f->request_at <= f->request_due) {
                    f->due = base + val;
                    f->seg_extended = true;
                } else if (in(f, t)) {
                    ADD(f, f->lead, late_requests);
                }
                f->request_at = 0;
            } else {
                f->due = base + val;
            }
            break;
        case MH_REQUEST:
            f->request_at = t;
            f->request_due = f->due;
            break;
        case MH_ACCEPTED: f->accepted_at = t; break;
        case MH_FED: f->fed_at = t; break;
        case MH_RESOLVED:
            if (f->seg_open) end_segment(f, t, END_RESOLVED);
            f->resolved = true;
            f->result_at = t;
            f->result_unit = f->lead;
            f->answer = aux;
            if (in(f, t)) ADD(f, f->lead, ever_resolved);
            break;
        case MH_VISITED:
            f->visit_at = t;
            f->visit_unit = f->lead;
            f->visit_aux = aux;
            f->visit_excluded = false;
            break;
        case MH_EXCLUDED: f->visit_excluded = aux != 0; break;
        case MH_UNREACHABLE:
            if (in(f, t)) ADD(f, f->lead, unreachable);
            break;
        case MH_MERGED: f->merged = true; break;
        default: return -1;
        }
    }
    return 0;
}

static met_counts *no_unit(void *ctx, int64_t unit) {
    (void)ctx, (void)unit;
    return NULL;
}

bool met_hist_overdue_at(const unsigned char *h, size_t len, int64_t base, int64_t at) {
    fold f = {.at = at, .unit = no_unit};
    if (!h || replay(&f, h, len, base, at) || !f.lead) return false;
    if (f.seg_open && f.due && f.due <= at) return true;
    if (f.resolved) return false; /* finished: its signing and feedback are no longer awaited */
    return (f.accept_due && f.accept_due <= at && !f.accepted_at) ||
           (f.feedback_due && f.feedback_due <= at && !f.fed_at);
}

static met_counts *any_unit(void *ctx, int64_t unit) {
    (void)unit;
    return ctx;
}

void met_hist_met(const unsigned char *h, size_t len, int64_t base, int64_t at, bool *due, bool *met) {
    met_counts m = {0};
    *due = *met = false;
    if (!h || met_hist_count(h, len, base, AP_NONE, INT64_MIN / 2, INT64_MAX / 2, at, any_unit, &m)) return;
    *due = m.due > 0;
    *met = m.due > 0 && m.resolved_on_time == m.due;
}

int met_hist_count(const unsigned char *h, size_t len, int64_t base, case_appeal appeal, int64_t from, int64_t to,
                   int64_t at, met_unit_fn unit, void *ctx) {
    fold f = {.from = from, .to = to, .at = at, .unit = unit, .ctx = ctx,
              .appeal = appeal >= 0 && appeal < AP_COUNT ? appeal : AP_NONE};
    if (replay(&f, h, len, base, at)) return -1;
    int64_t end = at < to ? at : to; /* what is still held counts to the period's end */
    if (end < from) return 0;
    end_assignment(&f, end, END_HELD);
    if (f.seg_open) end_segment(&f, at, END_HELD);
    if (f.visit_at && in(&f, f.visit_at)) {
        met_counts *m = f.visit_unit ? f.unit(f.ctx, f.visit_unit) : NULL;
        if (m && f.visit_excluded) {
            m->excluded++;
        } else if (m) {
            int sat = (f.visit_aux & 3) - 1, solved = ((f.visit_aux >> 2) & 3) - 1;
            m->visited++;
            if (solved == 1) m->solved++;
            if (sat == SAT_SATISFIED || sat == SAT_BASIC) m->satisfied++;
        }
    }
    return 0;
}

int met_hist_at(const unsigned char *h, size_t len, int64_t base, int64_t at, met_case_at *out) {
    fold f = {.at = at, .unit = no_unit};
    memset(out, 0, sizeof *out);
    if (len && (!h || replay(&f, h, len, base, at))) return -1;
    int sat = (f.visit_aux & 3) - 1;
    *out = (met_case_at){.dispatched_at = f.first_lead_at, .lead = f.lead, .answered = f.resolved,
                         .merged = f.merged, .answer = f.resolved ? f.answer : 0,
                         .visited = f.visit_at && !f.visit_excluded};
    out->satisfied = out->visited && (sat == SAT_SATISFIED || sat == SAT_BASIC);
    return 0;
}

void met_add(met_counts *sum, const met_counts *m) {
    int64_t *d = (int64_t *)sum;
    const int64_t *s = (const int64_t *)m;
    for (size_t i = 0; i < sizeof *m / sizeof(int64_t); i++) d[i] += s[i];
}

static double rate(int64_t num, int64_t den) { return den ? (double)num / (double)den : NAN; }

/* Each listable rate and the counts it divides (met_compute's table). */
static const struct { const char *name, *num_name, *den_name; size_t num, den; const char *label; size_t rate; } figures[MET_F_COUNT] = {
    [MET_F_ACCEPT] = {"accept_rate", "accepted_on_time", "accept_due", offsetof(met_counts, accepted_on_time),
     offsetof(met_counts, accept_due), "按时签收率", offsetof(met_rates, accept_rate)},
    [MET_F_FEEDBACK] = {"feedback_rate", "feedback_on_time", "feedback_expected", offsetof(met_counts, feedback_on_time),
     offsetof(met_counts, feedback_expected), "按时反馈率", offsetof(met_rates, feedback_rate)},
    [MET_F_RESOLVE] = {"resolve_rate", "resolved", "due", offsetof(met_counts, resolved), offsetof(met_counts, due), "办结率", offsetof(met_rates, resolve_rate)},
    [MET_F_ONTIME] = {"ontime_resolve_rate", "resolved_on_time", "due", offsetof(met_counts, resolved_on_time),
     offsetof(met_counts, due), "按期办结率", offsetof(met_rates, ontime_rate)},
    [MET_F_SOLVE] = {"solve_rate", "solved", "visited", offsetof(met_counts, solved), offsetof(met_counts, visited), "解决率", offsetof(met_rates, solve_rate)},
    [MET_F_SATISFY] = {"satisfaction_rate", "satisfied", "visited", offsetof(met_counts, satisfied), offsetof(met_counts, visited), "满意率", offsetof(met_rates, satisfy_rate)},
    [MET_F_REOPEN] = {"reopen_rate", "reopened", "ever_resolved", offsetof(met_counts, reopened),
     offsetof(met_counts, ever_resolved), "重办率", offsetof(met_rates, reopen_rate)},
    [MET_F_EXTENSION] = {"extension_rate", "extended", "due", offsetof(met_counts, extended), offsetof(met_counts, due), "延期率", offsetof(met_rates, extension_rate)},
    [MET_F_RETURN] = {"return_rate", "returned", "dispatched", offsetof(met_counts, returned), offsetof(met_counts, dispatched), "退单率", offsetof(met_rates, return_rate)},
};

int met_figure_parse(const char *name, int *figure, const char **num, const char **den, err *e) {
    for (size_t i = 0; name && i < MET_F_COUNT; i++)
        if (strcmp(name, figures[i].name) == 0) {
            *figure = (int)i;
            if (num) *num = figures[i].num_name;
            if (den) *den = figures[i].den_name;
            return 0;
        }
    return err_set(e, ERR_INVALID, "figure",
                   "figure '%.40s' (want accept_rate, feedback_rate, resolve_rate, ontime_resolve_rate,"
                   " solve_rate, satisfaction_rate, reopen_rate, extension_rate or return_rate)", name ? name : "");
}

const char *met_figure_label(int figure) {
    return figure >= 0 && figure < MET_F_COUNT ? figures[figure].label : NULL;
}

double met_figure_rate(const met_rates *r, int figure) {
    return figure >= 0 && figure < MET_F_COUNT ? *(const double *)((const char *)r + figures[figure].rate) : NAN;
}

const char *met_figure_name(int figure) {
    return figure >= 0 && figure < MET_F_COUNT ? figures[figure].name : NULL;
}

void met_figure_counts(const met_counts *m, int figure, int64_t *num, int64_t *den) {
    *num = *(const int64_t *)((const char *)m + figures[figure].num);
    *den = *(const int64_t *)((const char *)m + figures[figure].den);
}

void met_compute(const met_counts *m, const struct scheme *s, met_rates *r) {
    r->accept_rate = rate(m->accepted_on_time, m->accept_due);
    r->feedback_rate = rate(m->feedback_on_time, m->feedback_expected);
    r->resolve_rate = rate(m->resolved, m->due);
    r->ontime_rate = rate(m->resolved_on_time, m->due);
    r->solve_rate = rate(m->solved, m->visited);
    r->satisfy_rate = rate(m->satisfied, m->visited);
    r->reopen_rate = rate(m->reopened, m->ever_resolved);
    r->return_rate = rate(m->returned, m->dispatched);
    r->extension_rate = rate(m->extended, m->due);
    sch_score sc;
    sch_score_of(s, m, &sc);
    r->composite = sc.share;
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
