/* store_audit: see store_audit.h. Three walks side by side in case id order
 * — the cases, their events, their units' rows — in one snapshot, so writes
 * meanwhile cannot look like breaks; a walk cut short by an error is an
 * error, never "every chain holds". */
#include "store/store_audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/audit.h"
#include "core/metrics.h"
#include "core/replay.h"
#include "store/store_chain.h"
#include "store/store_int.h"
#include "util/strbuf.h"

/* The columns after st_read_case's: what the store derives beside core's. */
#define AUDIT_CASE_EXTRA ", c.history, c.fig_until, c.next_due, c.next_kind"
#define COL_HISTORY 61

static void bad(store_audit *a, int64_t case_id, int seq, const char *column, const char *why) {
    a->bad_case = case_id;
    a->bad_seq = seq;
    snprintf(a->column, sizeof a->column, "%s", column ? column : "");
    snprintf(a->why, sizeof a->why, "%s", why);
}

/* ---- units by code, for the payloads that name them ---- */

typedef struct unit_list {
    unit_ref *u;
    size_t n;
} unit_list;

static int by_code(const void *a, const void *b) {
    return strcmp(((const unit_ref *)a)->code, ((const unit_ref *)b)->code);
}

static bool find_unit(void *ctx, const char *code, unit_ref *out) {
    const unit_list *l = ctx;
    unit_ref key = {0};
    snprintf(key.code, sizeof key.code, "%s", code);
    const unit_ref *u = bsearch(&key, l->u, l->n, sizeof *l->u, by_code);
    if (u) *out = *u;
    return u != NULL;
}

static int load_units(store *s, unit_list *l, err *e) {
    db_stmt *st;
    size_t cap = 0;
    int rc = st_prepare(s, "SELECT id, code, name FROM units", 0, &st, e);
    while (!rc && db_next(st, &rc, e) && !(rc = st_grow(&l->u, &cap, l->n, sizeof *l->u, e)))
        st_read_ref(st, 0, &l->u[l->n++]);
    if (st) db_finalize(st);
    if (!rc && l->n) qsort(l->u, l->n, sizeof *l->u, by_code);
    return rc;
}

/* ---- what the events make of the store's own columns ---- */

/* A case_units row as the actions write it (store_case.c). */
typedef struct unit_row {
    int64_t unit, assigned, returned, next_due;
    bool assist, reassigned;
    case_due_kind next_kind;
} unit_row;

typedef struct expect {
    unsigned char *hist;
    size_t hist_len, hist_cap;
    unit_row *rows;
    size_t n_rows, rows_cap;
} expect;

/* One replayed event's part: the history records it adds and the units'
 * rows it ends, begins or moves on (st_act_in_tx's order). */
static int expect_step(expect *x, const met_state *before, const case_rec *c, case_action a, err *e) {
    met_state after;
    met_state_of(c, &after);
    int rc = st_grow(&x->hist, &x->hist_cap, x->hist_len + MET_STEP_MAX * MET_REC_MAX, 1, e);
    if (rc) return rc;
    x->hist_len += met_hist_step(before, &after, a, c->updated_at, c->received_at, x->hist + x->hist_len);
    case_due_kind kind = DUE_COUNT;
    int64_t next = case_next_due(c, &kind);
    if (a == ACT_RETURN || a == ACT_REASSIGN) /* the rows held end, keeping the deadline they had */
        for (size_t i = 0; i < x->n_rows; i++)
            if (!x->rows[i].returned) {
                x->rows[i].returned = c->updated_at;
                x->rows[i].reassigned = a == ACT_REASSIGN;
            }
    for (size_t i = 0; i < x->n_rows; i++)
        if (!x->rows[i].returned) x->rows[i].next_due = next, x->rows[i].next_kind = kind;
    if (a != ACT_DISPATCH && a != ACT_REASSIGN) return 0;
    for (int i = -1; i < c->n_assist; i++) {
        if ((rc = st_grow(&x->rows, &x->rows_cap, x->n_rows, sizeof *x->rows, e))) return rc;
        x->rows[x->n_rows++] = (unit_row){.unit = i < 0 ? c->lead.id : c->assist[i].id, .assigned = c->updated_at,
                                          .assist = i >= 0, .next_due = next, .next_kind = kind};
    }
    return 0;
}

/* The case's rows in u_st (from its current one on) against the expected. */
static const char *diff_units(db_stmt *u_st, int *u_rc, int64_t cur, const expect *x, err *e, int *rc) {
    const char *why = NULL;
    size_t i = 0;
    while (*u_rc == DB_ROW && db_col_int(u_st, 0) <= cur) {
        if (!why) {
            const unit_row *w = i < x->n_rows ? &x->rows[i] : NULL;
            const char *kind = db_col_text(u_st, 7), *role = db_col_text(u_st, 2);
            bool open = db_col_null(u_st, 4);
            if (db_col_int(u_st, 0) < cur || !w) why = "case_units";
            else if (db_col_int(u_st, 1) != w->unit) why = "case_units.unit_id";
            else if (!role || strcmp(role, w->assist ? "assist" : "lead")) why = "case_units.role";
            else if (db_col_int(u_st, 3) != w->assigned) why = "case_units.assigned_at";
            else if (db_col_int(u_st, 4) != w->returned) why = "case_units.returned_at";
            else if ((db_col_int(u_st, 5) != 0) != w->reassigned) why = "case_units.reassigned";
            else if (open && (db_col_int(u_st, 6) != w->next_due ||
                              (w->next_due ? !kind || strcmp(kind, case_due_name(w->next_kind)) : kind != NULL)))
                why = "case_units.next_due";
        }
        i++;
        *u_rc = db_step(u_st, e);
    }
    if (*u_rc != DB_ROW && *u_rc != DB_DONE) *rc = *u_rc;
    if (!why && i < x->n_rows) why = "case_units";
    return why;
}

/* The columns only the store writes: the history, the figures' horizon,
 * the next deadline. */
static const char *diff_store(db_stmt *case_st, const case_rec *c, const expect *x) {
    size_t n;
    const void *h = db_col_blob(case_st, COL_HISTORY, &n);
    if (n != x->hist_len || (n && memcmp(h, x->hist, n))) return "history";
    bool settled = c->status == ST_RESOLVED || c->status == ST_VISITED || c->status == ST_CLOSED;
    if (db_col_int(case_st, COL_HISTORY + 1) != (settled ? c->updated_at : INT64_MAX)) return "fig_until";
    case_due_kind kind;
    int64_t next = case_next_due(c, &kind);
    const char *k = db_col_text(case_st, COL_HISTORY + 3);
    if (db_col_int(case_st, COL_HISTORY + 2) != next) return "next_due";
    if (next ? !k || strcmp(k, case_due_name(kind)) : k != NULL) return "next_kind";
    return NULL;
}

/* ---- one case ---- */

typedef struct walk {
    store *s;
    store_audit *a;
    db_stmt *ev_st, *case_st, *u_st;
    int ev_rc, u_rc;
    unit_list units;
    expect x;
} walk;

/* An event's link in the chain; NULL when it holds. */
static const char *check_link(case_event *ev, int expect_seq, int bad_action, const unsigned char prev[32],
                              const unsigned char key[32]) {
    unsigned char stored[32];
    memcpy(stored, ev->hash, 32);
    if (ev->seq != expect_seq) return "a missing or repeated event (sequence gap)";
    if (bad_action) return "unknown action";
    if (memcmp(ev->prev_hash, prev, 32) != 0) return "previous-hash link does not match the preceding event";
    audit_hash_event(ev, key);
    bool same = memcmp(ev->hash, stored, 32) == 0;
    memcpy(ev->hash, stored, 32);
    return same ? NULL : "content does not match its hash";
}

/* Replays one event into rp (and the store's columns into w->x); false,
 * with the case marked bad, when core refuses it. */
static int replay_one(walk *w, replay *rp, bool *begun, const case_rec *row, const case_event *ev, err *e) {
    err why = {0};
    met_state before;
    met_state_of(&rp->c, &before);
    int rc = *begun ? replay_event(rp, ev, store_env(w->s), &why)
                    : replay_begin(rp, row, ev, store_env(w->s), find_unit, &w->units, &why);
    *begun = true;
    if (rc == ERR_NOMEM) return err_set(e, rc, "", "%s", why.msg);
    if (rc) {
        bad(w->a, row->id, ev->seq, NULL, why.msg);
        return 0;
    }
    return ev->seq == 1 ? 0 : expect_step(&w->x, &before, &rp->c, ev->action, e);
}

static int verify_case(walk *w, err *e) {
    static const unsigned char zero[32];
    store_audit *a = w->a;
    unsigned char prev[32];
    case_rec row = {0};
    replay rp = {0};
    bool begun = false;
    int rc = st_read_case(w->case_st, &row, e), expect_seq = 1;
    if (rc) return rc;
    int64_t cur = row.id;
    a->cases++;
    w->x.hist_len = w->x.n_rows = 0;
    memcpy(prev, zero, 32);
    if (w->ev_rc == DB_ROW && db_col_int(w->ev_st, 1) < cur) {
        bad(a, db_col_int(w->ev_st, 1), (int)db_col_int(w->ev_st, 2), NULL, "event belongs to no case");
        goto out;
    }
    while (!rc && w->ev_rc == DB_ROW && db_col_int(w->ev_st, 1) == cur) {
        case_event ev;
        int bad_action = st_read_event(w->ev_st, &ev);
        a->events++;
        const char *why = check_link(&ev, expect_seq, bad_action, prev, row.text_key);
        if (why) bad(a, cur, ev.seq, NULL, why);
        else rc = replay_one(w, &rp, &begun, &row, &ev, e);
        memcpy(prev, ev.hash, 32);
        case_event_clear(&ev);
        if (rc || a->bad_case) goto out;
        expect_seq++;
        w->ev_rc = db_step(w->ev_st, e);
    }
    if (w->ev_rc != DB_ROW && w->ev_rc != DB_DONE) { /* a read error, not the end */
        rc = w->ev_rc;
        goto out;
    }
    if (row.event_count != expect_seq - 1 || memcmp(row.last_hash, prev, 32) != 0) {
        bad(a, cur, expect_seq, NULL, "case row does not match its newest event (events deleted or case edited)");
        goto out;
    }
    const char *col = begun ? replay_diff(&rp, &row) : "event_count";
    if (!col) col = diff_store(w->case_st, &rp.c, &w->x);
    const char *ucol = diff_units(w->u_st, &w->u_rc, cur, &w->x, e, &rc);
    if (!col) col = ucol;
    if (col && !rc) {
        char why[256];
        if (!strcmp(col, "case_units"))
            snprintf(why, sizeof why, "its units' rows are not the ones its events made (one added or taken away)");
        else
            snprintf(why, sizeof why, "column %s is not what the case's events make it", col);
        bad(a, cur, 0, col, why);
    }
out:
    replay_clear(&rp);
    case_rec_clear(&row);
    return rc;
}

/* Each attachment's bytes against the SHA-256 its event recorded (the
 * chain, verified first, vouches for the event): bytes changed in the
 * database, or a row pointing at another event, break it. */
static int verify_files(store *s, store_audit *a, err *e) {
    db_stmt *st;
    /* an attachment erased by a purge (store_purge.h) has no bytes to check */
    int rc = st_prepare(s, "SELECT f.id, f.case_id, f.event_seq, f.data, e.payload FROM attachments f"
                           " LEFT JOIN events e ON e.case_id = f.case_id AND e.seq = f.event_seq"
                           " WHERE f.erased_at IS NULL ORDER BY f.id", DB_LARGE, &st, e);
    while (!rc && !a->bad_case && db_next(st, &rc, e)) {
        size_t n;
        const void *p = db_col_blob(st, 3, &n);
        unsigned char sum[32];
        char hex[65], why[160];
        crypto_hash_sha256(sum, p ? p : (const void *)"", n);
        sodium_bin2hex(hex, sizeof hex, sum, 32);
        const char *pl = db_col_text(st, 4);
        json_t *v = pl ? json_loads(pl, 0, NULL) : NULL, *att = json_object_get(v, "attachment");
        const char *want = json_string_value(json_object_get(att, "sha256"));
        int64_t id = db_col_int(st, 0);
        if (json_integer_value(json_object_get(att, "id")) != id || !want || strcmp(want, hex)) {
            snprintf(why, sizeof why, "attachment %lld: its bytes do not match the SHA-256 its"
                     " event recorded", (long long)id);
            bad(a, db_col_int(st, 1), (int)db_col_int(st, 2), NULL, why);
        }
        json_decref(v);
    }
    db_finalize(st);
    return rc;
}

int store_audit_verify(store *s, store_audit *a, err *e) {
    walk w = {.s = s, .a = a};
    bool began = false;
    strbuf sql = STRBUF_INIT(64 << 10);
    int rc;
    memset(a, 0, sizeof *a);
    strbuf_addf(&sql, "%s" AUDIT_CASE_EXTRA " FROM cases c" CASE_JOINS " ORDER BY c.id", st_sql(s, &store_sql_case_cols));
    if ((rc = strbuf_check(&sql, "the cases' statement", e)) || (rc = st_snapshot_begin(s, &began, e)) || (rc = load_units(s, &w.units, e)) ||
        (rc = st_prepare(s, "SELECT " EVENT_COLS " FROM events ORDER BY case_id, seq", DB_LARGE, &w.ev_st, e)) ||
        (rc = st_prepare(s, "SELECT case_id, unit_id, role, assigned_at, returned_at, reassigned, next_due,"
                            " next_kind FROM case_units ORDER BY case_id, rowid", DB_LARGE, &w.u_st, e)) ||
        (rc = st_prepare(s, strbuf_str(&sql), DB_LARGE, &w.case_st, e)))
        goto out;
    w.ev_rc = db_step(w.ev_st, e);
    w.u_rc = db_step(w.u_st, e);
    if ((w.ev_rc != DB_ROW && w.ev_rc != DB_DONE) || (w.u_rc != DB_ROW && w.u_rc != DB_DONE)) {
        rc = w.ev_rc != DB_ROW && w.ev_rc != DB_DONE ? w.ev_rc : w.u_rc;
        goto out;
    }
    while (!a->bad_case && !rc && db_next(w.case_st, &rc, e)) rc = verify_case(&w, e);
    if (!rc && !a->bad_case && w.ev_rc == DB_ROW)
        bad(a, db_col_int(w.ev_st, 1), (int)db_col_int(w.ev_st, 2), NULL, "event belongs to no case");
    if (!rc && !a->bad_case && w.u_rc == DB_ROW)
        bad(a, db_col_int(w.u_st, 0), 0, "case_units", "a unit's row belongs to no case");
    if (!rc && !a->bad_case) rc = verify_files(s, a, e);
    if (!rc && !a->bad_case) rc = st_chain_verify(s, a, e);
out:
    strbuf_release(&sql);
    db_finalize(w.ev_st);
    db_finalize(w.u_st);
    db_finalize(w.case_st);
    free(w.units.u);
    free(w.x.hist);
    free(w.x.rows);
    st_snapshot_end(s, began);
    return st_fail(rc, e, "audit");
}
