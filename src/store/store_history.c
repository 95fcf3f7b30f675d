/* store_history: migration 37 — every case's history (core/metrics.h)
 * written from its events, as the actions would have written it: the
 * figures of a past moment then count the past of the cases that existed
 * before the history did. Each event's payload says what it changed (the
 * unit, the deadlines, the 回访), so the state the history follows is
 * rebuilt event by event and met_hist_step, the actions' own function,
 * writes the records. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/case_json.h"
#include "core/metrics.h"
#include "store/store_int.h"
#include "util/datetime.h"

/* A deadline as the events write it (case_due_json), or keep if none. */
static int64_t due_of(json_t *pl, const char *key, int64_t keep, int tz) {
    int64_t t = case_due_parse(json_string_value(json_object_get(pl, key)), tz);
    return t ? t : keep;
}

typedef struct units_by_code {
    db_stmt *st;
} units_by_code;

static int64_t unit_of(units_by_code *u, json_t *pl, const char *key) {
    const char *code = json_string_value(json_object_get(json_object_get(pl, key), "code"));
    int64_t id = 0;
    if (!code) return 0;
    db_reset(u->st);
    db_bind_text(u->st, 1, code);
    if (db_first(u->st, NULL) == 0) id = db_col_int(u->st, 0);
    db_reset(u->st);
    return id;
}

/* What one event did to the state the history follows. */
static void apply(met_state *m, case_action a, int64_t at, json_t *pl, units_by_code *u, int tz) {
    switch (a) {
    case ACT_DISPATCH:
        if (json_is_true(json_object_get(pl, "after_answer"))) {
            m->resolved_at = m->visited_at = 0;
            m->satisfaction = SAT_NONE;
            m->solved = -1;
        }
        /* fall through */
    case ACT_REASSIGN:
        m->lead = unit_of(u, pl, "unit");
        m->accepted_at = m->fed_at = 0;
        m->accept_due = due_of(pl, "accept_due", 0, tz);
        m->feedback_due = due_of(pl, "feedback_due", 0, tz);
        m->resolve_due = due_of(pl, "resolve_due", m->resolve_due, tz);
        break;
    case ACT_RETURN:
        m->lead = 0;
        m->accept_due = m->feedback_due = m->resolve_due = 0;
        break;
    case ACT_ACCEPT: m->accepted_at = at; break;
    case ACT_FEEDBACK:
        if (!json_object_get(pl, "assist_unit") && !m->fed_at) m->fed_at = at;
        break;
    case ACT_APPROVE_EXTENSION:
    case ACT_APPROVE_PLAN:
    case ACT_INSTRUCT: m->resolve_due = due_of(pl, "resolve_due", m->resolve_due, tz); break;
    case ACT_RECOMPUTE:
        m->accept_due = due_of(pl, "accept_due", m->accept_due, tz);
        m->feedback_due = due_of(pl, "feedback_due", m->feedback_due, tz);
        m->resolve_due = due_of(pl, "resolve_due", m->resolve_due, tz);
        break;
    case ACT_RESOLVE: {
        case_answer ans = ANS_NONE;
        const char *a_s = json_string_value(json_object_get(pl, "answer")); /* a proposal's */
        if (a_s) case_answer_parse(a_s, &ans, NULL);
        m->resolved_at = at;
        m->answer = ans;
        if (!m->fed_at) m->fed_at = at;
        break;
    }
    case ACT_FOLLOW:
    case ACT_ANSWER: m->resolved_at = at; break;
    case ACT_VISIT: {
        case_satisfaction sat = SAT_NONE;
        case_satisfaction_parse(json_string_value(json_object_get(pl, "satisfaction")), &sat, NULL);
        json_t *solved = json_object_get(pl, "solved");
        m->visited_at = at;
        m->satisfaction = sat;
        m->solved = json_is_boolean(solved) ? json_is_true(solved) : -1;
        m->excluded = false;
        break;
    }
    case ACT_UPHOLD_REVIEW: m->excluded = true; break;
    case ACT_REQUEST_REVIEW:
    case ACT_REJECT_REVIEW: m->excluded = false; break;
    case ACT_REOPEN:
        m->resolved_at = m->visited_at = 0;
        m->satisfaction = SAT_NONE;
        m->solved = -1;
        m->excluded = false;
        m->resolve_due = due_of(pl, "resolve_due", m->resolve_due, tz);
        break;
    case ACT_CLOSE_UNREACHABLE: m->unreachable = true; break;
    case ACT_MERGE: m->merged = true; break;
    default: break;
    }
}

typedef struct pending_case {
    int64_t id, fig_until;
    unsigned char *hist;
    size_t len, cap;
} pending_case;

static int flush(db_stmt *up, pending_case *p, err *e) {
    if (!p->id) return 0;
    db_reset(up);
    db_bind_int(up, 1, p->id);
    if (p->len) db_bind_blob(up, 2, p->hist, p->len);
    else db_bind_null(up, 2);
    db_bind_int(up, 3, p->fig_until);
    int rc = db_run(up, e);
    p->len = 0;
    p->id = 0;
    return rc;
}

int st_seed_history(store *s, err *e) {
    db_stmt *sel = NULL, *up = NULL;
    units_by_code u = {NULL};
    pending_case p = {0};
    met_state m = {0};
    int64_t received = 0;
    int rc, tz = 8 * 3600;
    char off[16] = "+08:00"; /* (migrations run before the store reads its settings) */
    if (!store_config_get(s, "tz_offset", off, sizeof off, NULL)) dt_parse_offset(off, &tz, NULL);
    if ((rc = st_prepare(s, "SELECT e.case_id, c.received_at, c.status, c.updated_at, e.action, e.at, e.payload"
                            " FROM events e JOIN cases c ON c.id = e.case_id ORDER BY e.case_id, e.seq",
                         DB_LARGE, &sel, e)) ||
        (rc = st_prepare(s, "UPDATE cases SET history = ?2, fig_until = ?3 WHERE id = ?1", DB_PERSISTENT, &up, e)) ||
        (rc = st_prepare(s, "SELECT id FROM units WHERE code = ?1", DB_PERSISTENT, &u.st, e)))
        goto out;
    while (db_next(sel, &rc, e)) {
        int64_t id = db_col_int(sel, 0);
        if (id != p.id) {
            if ((rc = flush(up, &p, e))) break;
            case_status st = ST_RECEIVED;
            case_status_parse(db_col_text(sel, 2), &st, NULL);
            p.id = id;
            received = db_col_int(sel, 1);
            p.fig_until = st == ST_RESOLVED || st == ST_VISITED || st == ST_CLOSED ? db_col_int(sel, 3) : INT64_MAX;
            m = (met_state){.satisfaction = SAT_NONE, .solved = -1};
        }
        case_action a;
        if (case_action_parse(db_col_text(sel, 4), &a, NULL)) continue;
        json_t *pl = json_loads(db_col_text(sel, 6) ? db_col_text(sel, 6) : "{}", 0, NULL);
        met_state before = m;
        int64_t at = db_col_int(sel, 5);
        apply(&m, a, at, pl, &u, tz);
        json_decref(pl);
        if ((rc = st_grow(&p.hist, &p.cap, p.len + MET_STEP_MAX * MET_REC_MAX, 1, e))) break;
        p.len += met_hist_step(&before, &m, a, at, received, p.hist + p.len);
    }
    if (!rc) rc = flush(up, &p, e);
out:
    db_finalize(sel);
    db_finalize(up);
    db_finalize(u.st);
    free(p.hist);
    return st_fail(rc, e, "history");
}
