/* store_sqlite_report: supervision and reports in the SQLite backend: the
 * sweep, notices, statistics, the audit walk and the summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "store/store_sqlite_int.h"
#include "util/datetime.h"

/* ---- supervision ------------------------------------------------------------ */

typedef struct sweep_row { int64_t id, alert_at; uint32_t alerted; } sweep_row;

/* Fills the fields of c that supervision reads from a row of
 * (id, status, 4 dues, first_feedback_at, alerted, ...). */
static void read_alert_fields(sqlite3_stmt *st, case_rec *c) {
    c->id = sqlite3_column_int64(st, 0);
    case_status_parse((const char *)sqlite3_column_text(st, 1), &c->status, NULL);
    for (int k = 0; k < DUE_COUNT; k++) c->due[k] = sq_col_time(st, 2 + k);
    c->first_feedback_at = sq_col_time(st, 6);
    c->alerted = (uint32_t)sqlite3_column_int64(st, 7);
}

static int push_row(sweep_row **rows, size_t *n, size_t *cap, sweep_row r, err *e) {
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 1024;
        sweep_row *nr = realloc(*rows, *cap * sizeof **rows);
        if (!nr) return err_set(e, ERR_NOMEM, "", "out of memory");
        *rows = nr;
    }
    (*rows)[(*n)++] = r;
    return 0;
}

static int write_alerts(store *s, const sweep_row *rows, size_t n, err *e) {
    for (size_t i = 0; i < n; i++) {
        int rc = sq_set_alerts(s, rows[i].id, rows[i].alerted, rows[i].alert_at, e);
        if (rc) return rc;
    }
    return 0;
}

#define ALERT_COLS "c.id, c.status, c.dispatch_due, c.accept_due, c.feedback_due," \
                   " c.resolve_due, c.first_feedback_at, a.alerted, c.lead_unit_id"

/* Migration 2: the next alert time of every open case. */
int sq_seed_alert_at(store *s, err *e) {
    sqlite3_stmt *sel;
    sweep_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT " ALERT_COLS " FROM cases c JOIN case_alerts a"
                                  " ON a.case_id = c.id"
                                  " WHERE c.status IN ('received', 'dispatched', 'accepted')",
                           -1, &sel, NULL))
        return sq_db_err(s, e, "migration 2");
    case_rec c;
    memset(&c, 0, sizeof c);
    while (rc == 0 && sqlite3_step(sel) == SQLITE_ROW) {
        read_alert_fields(sel, &c);
        rc = push_row(&rows, &n, &cap,
                      (sweep_row){c.id, sup_next_alert(&c, sq_yellow_at, s), c.alerted}, e);
    }
    sqlite3_finalize(sel);
    if (!rc) rc = write_alerts(s, rows, n, e);
    free(rows);
    return rc;
}

typedef struct pending_notice {
    int64_t case_id, unit;
    sup_notice n;
} pending_notice;

static int cmp_row(const void *a, const void *b) {
    int64_t x = ((const sweep_row *)a)->id, y = ((const sweep_row *)b)->id;
    return (x > y) - (x < y);
}

static int cmp_note(const void *a, const void *b) {
    const pending_notice *x = a, *y = b;
    if (x->case_id != y->case_id) return (x->case_id > y->case_id) - (x->case_id < y->case_id);
    if (x->n.kind != y->n.kind) return (int)x->n.kind - (int)y->n.kind;
    return (int)x->n.level - (int)y->n.level;
}

/* Yellow times for sup_next_alert during a sweep: a yellow raised in this
 * sweep is not written yet (writes are deferred), so answer it from memory. */
typedef struct sweep_ctx {
    store *s;
    int64_t now;
    unsigned yellow_now; /* kinds whose yellow this sweep raised for the current case */
} sweep_ctx;

static int64_t sweep_yellow_at(void *ctx, int64_t case_id, case_due_kind kind) {
    sweep_ctx *x = ctx;
    if (x->yellow_now & (1u << kind)) return x->now;
    return sq_yellow_at(x->s, case_id, kind);
}

static int sweep_in_tx(store *s, int64_t now, int64_t *raised, int64_t *first_id, err *e) {
    sqlite3_stmt *sel = NULL;
    sweep_row *rows = NULL;
    pending_notice *notes = NULL;
    size_t n = 0, cap = 0, nn = 0, ncap = 0;
    int rc = 0;
    *raised = 0;
    *first_id = 0;
    /* Only cases whose next alert time has come: the work follows the notices.
     * Their ids come from the narrow alerts index first and are then read in id
     * order, so a large backlog walks the case table once instead of at random. */
    if (sqlite3_prepare_v2(s->db, "SELECT case_id FROM case_alerts INDEXED BY case_alerts_due"
                                  " WHERE alert_at <= ?1",
                           -1, &sel, NULL))
        return sq_db_err(s, e, "sweep");
    sqlite3_bind_int64(sel, 1, now);
    while (rc == 0 && sqlite3_step(sel) == SQLITE_ROW)
        rc = push_row(&rows, &n, &cap, (sweep_row){sqlite3_column_int64(sel, 0), 0, 0}, e);
    sqlite3_finalize(sel);
    sel = NULL;
    if (n) qsort(rows, n, sizeof *rows, cmp_row);
    if (!rc && sqlite3_prepare_v2(s->db, "SELECT " ALERT_COLS " FROM cases c JOIN case_alerts a"
                                         " ON a.case_id = c.id WHERE c.id = ?1",
                                  -1, &sel, NULL))
        rc = sq_db_err(s, e, "sweep");
    case_rec c;
    memset(&c, 0, sizeof c);
    sweep_ctx x = {s, now, 0};
    for (size_t r = 0; rc == 0 && r < n; r++) {
        sqlite3_reset(sel);
        sqlite3_bind_int64(sel, 1, rows[r].id);
        if (sqlite3_step(sel) != SQLITE_ROW) {
            rc = sq_db_err(s, e, "sweep");
            break;
        }
        read_alert_fields(sel, &c);
        int64_t unit = sq_col_time(sel, 8);
        sup_notice out[DUE_COUNT * SUP_LEVEL_COUNT];
        int k = sup_eval(&c, now, sq_yellow_at, s, out);
        x.yellow_now = 0;
        for (int i = 0; i < k; i++) {
            if (out[i].level == SUP_YELLOW) x.yellow_now |= 1u << out[i].kind;
            if (nn == ncap) {
                ncap = ncap ? ncap * 2 : 1024;
                pending_notice *nb = realloc(notes, ncap * sizeof *notes);
                if (!nb) {
                    rc = err_set(e, ERR_NOMEM, "", "out of memory");
                    break;
                }
                notes = nb;
            }
            notes[nn++] = (pending_notice){c.id, out[i].kind == DUE_DISPATCH ? 0 : unit, out[i]};
        }
        rows[r] = (sweep_row){c.id, sup_next_alert(&c, sweep_yellow_at, &x), c.alerted};
    }
    sqlite3_finalize(sel);
    /* Writes come after the reads (updating alert_at while scanning its index
     * could revisit rows), in case order, so each B-tree is walked once. */
    if (nn) qsort(notes, nn, sizeof *notes, cmp_note);
    if (!rc) rc = write_alerts(s, rows, n, e);
    for (size_t i = 0; rc == 0 && i < nn; i++) {
        sqlite3_stmt *ins = sq_prep(s, Q_NOTICE_INSERT, e);
        if (!ins) {
            rc = ERR_IO;
            break;
        }
        sqlite3_bind_int64(ins, 1, notes[i].case_id);
        sq_bind_text(ins, 2, case_due_name(notes[i].n.kind));
        sq_bind_text(ins, 3, sup_level_name(notes[i].n.level));
        sqlite3_bind_int64(ins, 4, notes[i].n.due);
        sqlite3_bind_int64(ins, 5, now);
        sq_bind_id(ins, 6, notes[i].unit);
        if ((rc = sq_step_done(s, ins, e, "notice"))) break;
        if (!*first_id) *first_id = sqlite3_last_insert_rowid(s->db);
        (*raised)++;
    }
    free(rows);
    free(notes);
    return rc;
}

int store_sweep(store *s, int64_t now, int64_t *raised, int64_t *first_id, err *e) {
    int rc = sq_tx_begin(s, e);
    if (rc) return rc;
    return sq_tx_end(s, sweep_in_tx(s, now, raised, first_id, e), e);
}

int store_notice_list(store *s, int64_t min_id, int64_t case_id, store_notice_fn fn, void *ctx,
                      err *e) {
    sqlite3_stmt *st;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT n.id, n.case_id, c.case_no, n.kind, n.level, n.due,"
                           " n.raised_at, u.id, u.code, u.name FROM notices n"
                           " JOIN cases c ON c.id = n.case_id LEFT JOIN units u ON u.id = n.unit_id"
                           " WHERE n.id >= ?1 AND (?2 IS NULL OR n.case_id = ?2) ORDER BY n.id",
                           -1, &st, NULL))
        return sq_db_err(s, e, "notices");
    sqlite3_bind_int64(st, 1, min_id);
    sq_bind_id(st, 2, case_id);
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        store_notice n = {.id = sqlite3_column_int64(st, 0), .case_id = sqlite3_column_int64(st, 1)};
        sq_col_copy(st, 2, n.case_no, sizeof n.case_no);
        const char *kind = (const char *)sqlite3_column_text(st, 3);
        const char *level = (const char *)sqlite3_column_text(st, 4);
        for (int k = 0; k < DUE_COUNT; k++)
            if (strcmp(kind, case_due_name((case_due_kind)k)) == 0) n.kind = (case_due_kind)k;
        for (int l = 0; l < SUP_LEVEL_COUNT; l++)
            if (strcmp(level, sup_level_name((sup_level)l)) == 0) n.level = (sup_level)l;
        n.due = sqlite3_column_int64(st, 5);
        n.raised_at = sqlite3_column_int64(st, 6);
        sq_read_ref(st, 7, &n.unit);
        rc = fn(ctx, &n);
    }
    sqlite3_finalize(st);
    return rc;
}

/* ---- statistics -------------------------------------------------------------- */

static int cmp_stats(const void *a, const void *b) {
    return strcmp(((const store_unit_stats *)a)->unit.code, ((const store_unit_stats *)b)->unit.code);
}

int store_stats(store *s, int64_t from, int64_t to, int64_t at, store_unit_stats **out,
                size_t *n_out, err *e) {
    sqlite3_stmt *st = NULL;
    store_unit_stats *u = NULL;
    int64_t max_id = 0;
    int rc = 0;
    *out = NULL;
    *n_out = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT max(id) FROM units", -1, &st, NULL))
        return sq_db_err(s, e, "stats");
    if (sqlite3_step(st) == SQLITE_ROW) max_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    /* Unit ids are small and dense: index the counters by id. */
    met_counts *m = calloc((size_t)max_id + 1, sizeof *m);
    bool *seen = calloc((size_t)max_id + 1, sizeof *seen);
    if (!m || !seen) {
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
        goto out;
    }
    if (sqlite3_prepare_v2(s->db,
                           "SELECT lead_unit_id, dispatched_at, metrics"
                           " FROM cases INDEXED BY cases_stats"
                           " WHERE dispatched_at >= ?1 AND dispatched_at < ?2",
                           -1, &st, NULL)) {
        rc = sq_db_err(s, e, "stats");
        goto out;
    }
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t unit = sqlite3_column_int64(st, 0);
        met_case c;
        if (unit <= 0 || unit > max_id ||
            met_case_unpack(sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2),
                            sqlite3_column_int64(st, 1), &c))
            continue;
        met_count_case(&m[unit], &c, at);
        seen[unit] = true;
    }
    sqlite3_finalize(st);
    /* Returned assignments count as dispatched to, and returned by, the unit. */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT unit_id, count(*) FROM case_units WHERE role = 'lead'"
                           " AND returned_at IS NOT NULL AND returned_at <= ?3"
                           " AND assigned_at >= ?1 AND assigned_at < ?2 GROUP BY unit_id",
                           -1, &st, NULL)) {
        rc = sq_db_err(s, e, "stats");
        st = NULL;
        goto out;
    }
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    sqlite3_bind_int64(st, 3, at);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t unit = sqlite3_column_int64(st, 0);
        if (unit <= 0 || unit > max_id) continue;
        m[unit].returned += sqlite3_column_int64(st, 1);
        m[unit].dispatched += sqlite3_column_int64(st, 1);
        seen[unit] = true;
    }
    sqlite3_finalize(st);
    st = NULL;
    size_t n = 0;
    for (int64_t i = 1; i <= max_id; i++) n += seen[i];
    if (n && !(u = calloc(n, sizeof *u))) {
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
        goto out;
    }
    if (sqlite3_prepare_v2(s->db, "SELECT id, code, name FROM units", -1, &st, NULL)) {
        rc = sq_db_err(s, e, "stats");
        st = NULL;
        goto out;
    }
    size_t k = 0;
    while (sqlite3_step(st) == SQLITE_ROW && k < n) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id < 1 || id > max_id || !seen[id]) continue;
        sq_read_ref(st, 0, &u[k].unit);
        u[k++].m = m[id];
    }
    qsort(u, k, sizeof *u, cmp_stats);
    *out = u;
    *n_out = k;
    u = NULL;
out:
    sqlite3_finalize(st);
    free(u);
    free(m);
    free(seen);
    return rc;
}

/* ---- audit -------------------------------------------------------------------- */

int store_audit_verify(store *s, store_audit *a, err *e) {
    sqlite3_stmt *ev_st = NULL, *case_st = NULL;
    static const unsigned char zero[32];
    unsigned char prev[32];
    int rc = 0, expect_seq = 0;
    int64_t cur = 0;
    memset(a, 0, sizeof *a);
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, case_id, seq, actor, at, action, from_status, to_status,"
                           " payload, prev_hash, hash FROM events ORDER BY case_id, seq",
                           -1, &ev_st, NULL) ||
        sqlite3_prepare_v2(s->db, "SELECT id, event_count, last_hash FROM cases ORDER BY id", -1,
                           &case_st, NULL)) {
        rc = sq_db_err(s, e, "audit");
        goto out;
    }
    /* Walk cases and their events side by side, both in id order. */
    int ev_rc = sqlite3_step(ev_st);
    while (!a->bad_case && sqlite3_step(case_st) == SQLITE_ROW) {
        cur = sqlite3_column_int64(case_st, 0);
        int count = sqlite3_column_int(case_st, 1);
        a->cases++;
        memcpy(prev, zero, 32);
        expect_seq = 1;
        while (ev_rc == SQLITE_ROW && sqlite3_column_int64(ev_st, 1) < cur) {
            a->bad_case = sqlite3_column_int64(ev_st, 1);
            a->bad_seq = sqlite3_column_int(ev_st, 2);
            snprintf(a->why, sizeof a->why, "event belongs to no case");
            goto out;
        }
        while (ev_rc == SQLITE_ROW && sqlite3_column_int64(ev_st, 1) == cur) {
            case_event ev;
            unsigned char stored[32];
            int bad_action = sq_read_event(ev_st, &ev);
            a->events++;
            memcpy(stored, ev.hash, 32);
            const char *why = NULL;
            if (ev.seq != expect_seq)
                why = "a missing or repeated event (sequence gap)";
            else if (bad_action)
                why = "unknown action";
            else if (memcmp(ev.prev_hash, prev, 32) != 0)
                why = "previous-hash link does not match the preceding event";
            else {
                audit_hash_event(&ev);
                if (memcmp(ev.hash, stored, 32) != 0) why = "content does not match its hash";
            }
            if (why) {
                a->bad_case = cur;
                a->bad_seq = ev.seq;
                snprintf(a->why, sizeof a->why, "%s", why);
                case_event_clear(&ev);
                goto out;
            }
            memcpy(prev, stored, 32);
            expect_seq++;
            case_event_clear(&ev);
            ev_rc = sqlite3_step(ev_st);
        }
        const void *last = sqlite3_column_blob(case_st, 2);
        if (count != expect_seq - 1 || sqlite3_column_bytes(case_st, 2) != 32 ||
            memcmp(last, prev, 32) != 0) {
            a->bad_case = cur;
            a->bad_seq = expect_seq;
            snprintf(a->why, sizeof a->why,
                     "case row does not match its newest event (events deleted or case edited)");
        }
    }
    if (!a->bad_case && ev_rc == SQLITE_ROW) {
        a->bad_case = sqlite3_column_int64(ev_st, 1);
        a->bad_seq = sqlite3_column_int(ev_st, 2);
        snprintf(a->why, sizeof a->why, "event belongs to no case");
    }
out:
    sqlite3_finalize(ev_st);
    sqlite3_finalize(case_st);
    return rc;
}

/* ---- summary ------------------------------------------------------------------- */

static int64_t count_of(store *s, const char *sql) {
    sqlite3_stmt *st;
    int64_t n = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    return n;
}

int store_summary_get(store *s, int64_t now, store_summary *out, err *e) {
    sqlite3_stmt *st;
    memset(out, 0, sizeof *out);
    out->units = count_of(s, "SELECT count(*) FROM units");
    out->categories = count_of(s, "SELECT count(*) FROM categories");
    out->cases = count_of(s, "SELECT count(*) FROM cases");
    out->events = count_of(s, "SELECT count(*) FROM events");
    out->notices = count_of(s, "SELECT count(*) FROM notices");
    if (sqlite3_prepare_v2(s->db, "SELECT status, count(*) FROM cases GROUP BY status", -1, &st,
                           NULL))
        return sq_db_err(s, e, "summary");
    while (sqlite3_step(st) == SQLITE_ROW) {
        case_status k;
        if (case_status_parse((const char *)sqlite3_column_text(st, 0), &k, NULL) == 0)
            out->by_status[k] = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(s->db,
                           "SELECT status, dispatch_due, accept_due, feedback_due, resolve_due,"
                           " first_feedback_at FROM cases"
                           " WHERE status IN ('received', 'dispatched', 'accepted')",
                           -1, &st, NULL))
        return sq_db_err(s, e, "summary");
    case_rec c;
    memset(&c, 0, sizeof c);
    int32_t today = dt_local_day(now, s->env.tz);
    while (sqlite3_step(st) == SQLITE_ROW) {
        case_status_parse((const char *)sqlite3_column_text(st, 0), &c.status, NULL);
        for (int k = 0; k < DUE_COUNT; k++) c.due[k] = sq_col_time(st, 1 + k);
        c.first_feedback_at = sq_col_time(st, 5);
        out->overdue += case_overdue(&c, now);
        /* "due today": a pending deadline whose last day is today (24:00 belongs to it) */
        for (int k = 0; k < DUE_COUNT; k++) {
            int64_t d = case_pending_due(&c, (case_due_kind)k);
            if (d && d > now && dt_local_day(d - 1, s->env.tz) == today) {
                out->due_today++;
                break;
            }
        }
    }
    sqlite3_finalize(st);
    return 0;
}
