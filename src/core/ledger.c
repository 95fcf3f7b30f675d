/* ledger: see ledger.h. */
#include "core/ledger.h"

#include "util/datetime.h"

#define DAY 86400

const char *ledger_due_label(const ledger_line *l) {
    return l->promise ? "承诺" : case_due_label(l->due_kind);
}

/* The step a person would name: the status, or what the case waits for. */
static const char *step_of(const case_rec *c) {
    if (c->pending == PENDING_EXTENSION) return "延期待批";
    if (c->pending == PENDING_PLAN) return "方案待批";
    switch (c->status) {
    case ST_RECEIVED: return "待派单";
    case ST_DISPATCHED: return "待签收";
    case ST_ACCEPTED: return "办理中";
    case ST_RESOLVED: return "待回访";
    case ST_VISITED: return "待销号";
    default: return case_status_label(c->status);
    }
}

void ledger_line_of(const case_rec *c, int64_t now, int tz, ledger_line *out) {
    out->age_days = now > c->received_at ? (int)((now - c->received_at) / DAY) : 0;
    out->due = case_next_due(c, &out->due_kind);
    out->overdue_days = out->due && out->due <= now ? (int)((now - out->due) / DAY) + 1 : 0;
    out->step = step_of(c);
    out->promise = false;
    /* a B or C answer: answered, but open until its promised day has passed
     * and been checked (not overdue: the 督查室 checks, then closes) */
    if (!out->due && CASE_PROMISES(c->answer) && c->promise_day && c->status != ST_CLOSED) {
        int64_t end = dt_day_start(c->promise_day + 1, tz);
        out->promise = true;
        out->due = end;
        out->step = now < end ? "承诺办理中" : "承诺到期待核实";
    }
}
