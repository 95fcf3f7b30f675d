/* ledger: see ledger.h. */
#include "core/ledger.h"

#define DAY 86400

const char *ledger_due_label(case_due_kind k) {
    static const char *const labels[DUE_COUNT] = {"派单", "签收", "反馈", "办结"};
    return k < DUE_COUNT ? labels[k] : "";
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

void ledger_line_of(const case_rec *c, int64_t now, ledger_line *out) {
    out->age_days = now > c->received_at ? (int)((now - c->received_at) / DAY) : 0;
    out->due = case_next_due(c, &out->due_kind);
    out->overdue_days = out->due && out->due <= now ? (int)((now - out->due) / DAY) + 1 : 0;
    out->step = step_of(c);
}
