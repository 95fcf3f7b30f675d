/* metrics: see metrics.h. Every milestone counts only if it happened by
 * `at`, so figures for a past moment do not see later work. */
#include "core/metrics.h"

#include <math.h>

void met_weights_default(met_weights *w) { *w = (met_weights){0.30, 0.35, 0.35}; }

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

static double rate(int64_t num, int64_t den) { return den ? (double)num / (double)den : NAN; }

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
