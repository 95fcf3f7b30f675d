/* store_sqlite_case: cases in the SQLite backend: intake, actions (one
 * transaction: the case row, one hash-chained event, unit assignments and
 * alert state), reading and listing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "store/store_sqlite_int.h"
#include "util/datetime.h"

/* ---- cases ------------------------------------------------------------------ */

/* When the yellow notice for (case, kind) was raised; a sup_yellow_at_fn. */
int64_t sq_yellow_at(void *ctx, int64_t case_id, case_due_kind kind) {
    store *s = ctx;
    sqlite3_stmt *st = sq_prep(s, Q_NOTICE_YELLOW, NULL);
    int64_t t = 0;
    if (!st) return 0;
    sqlite3_bind_int64(st, 1, case_id);
    sq_bind_text(st, 2, case_due_name(kind));
    if (sqlite3_step(st) == SQLITE_ROW) t = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return t;
}

static int write_alert_row(store *s, int q, int64_t case_id, uint32_t alerted, int64_t alert_at,
                           err *e) {
    sqlite3_stmt *st = sq_prep(s, q, e);
    if (!st) return ERR_IO;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, alerted);
    sq_bind_time(st, 3, alert_at);
    return sq_step_done(s, st, e, "alerts");
}

int sq_set_alerts(store *s, int64_t case_id, uint32_t alerted, int64_t alert_at, err *e) {
    return write_alert_row(s, Q_ALERTED_SET, case_id, alerted, alert_at, e);
}

static const char *const pending_names[] = {NULL, "extension", "plan"};

/* Reads a row of CASE_COLS; c must be empty. */
static int read_case_row(sqlite3_stmt *st, case_rec *c, err *e) {
    int i = 0;
    c->id = sqlite3_column_int64(st, i++);
    sq_col_copy(st, i++, c->case_no, sizeof c->case_no);
    if (case_channel_parse((const char *)sqlite3_column_text(st, i++), &c->channel, e) ||
        case_class_parse((const char *)sqlite3_column_text(st, i++), &c->klass, e) ||
        case_status_parse((const char *)sqlite3_column_text(st, i++), &c->status, e))
        return ERR_IO;
    c->title = sq_col_dup(st, i++);
    c->description = sq_col_dup(st, i++);
    c->requester_name = sq_col_dup(st, i++);
    c->requester_phone = sq_col_dup(st, i++);
    c->confidential = sqlite3_column_int(st, i++);
    c->result = sq_col_dup(st, i++);
    int64_t *times[] = {&c->received_at, &c->dispatched_at, &c->accepted_at,
                        &c->first_feedback_at, &c->resolved_at, &c->visited_at,
                        &c->closed_at, &c->updated_at, &c->due[DUE_DISPATCH],
                        &c->due[DUE_ACCEPT], &c->due[DUE_FEEDBACK], &c->due[DUE_RESOLVE]};
    for (size_t k = 0; k < sizeof times / sizeof *times; k++) *times[k] = sq_col_time(st, i++);
    c->satisfaction = sqlite3_column_type(st, i) == SQLITE_NULL ? SAT_NONE
                                                                : sqlite3_column_int(st, i);
    i++;
    c->solved = sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int(st, i);
    i++;
    c->visit_waived = sqlite3_column_int(st, i++);
    c->reopen_count = sqlite3_column_int(st, i++);
    c->extension_count = sqlite3_column_int(st, i++);
    c->plan_count = sqlite3_column_int(st, i++);
    c->return_count = sqlite3_column_int(st, i++);
    const unsigned char *pend = sqlite3_column_text(st, i++);
    c->pending = !pend ? PENDING_NONE
                 : strcmp((const char *)pend, "plan") == 0 ? PENDING_PLAN
                                                           : PENDING_EXTENSION;
    c->pending_until = sqlite3_column_int(st, i++);
    c->alerted = (uint32_t)sqlite3_column_int64(st, i++);
    c->event_count = sqlite3_column_int(st, i++);
    if (sqlite3_column_bytes(st, i) == 32) memcpy(c->last_hash, sqlite3_column_blob(st, i), 32);
    i++;
    sq_read_ref(st, i, &c->lead);
    sq_read_ref(st, i + 3, &c->category);
    sq_read_ref(st, i + 6, &c->township);
    if ((!c->title && sqlite3_column_type(st, 5) != SQLITE_NULL))
        return err_set(e, ERR_NOMEM, "", "out of memory");
    return 0;
}

static int load_assists(store *s, case_rec *c, err *e) {
    sqlite3_stmt *st = sq_prep(s, Q_CASE_ASSISTS, e);
    if (!st) return ERR_IO;
    sqlite3_bind_int64(st, 1, c->id);
    c->n_assist = 0;
    while (sqlite3_step(st) == SQLITE_ROW && c->n_assist < CASE_MAX_ASSIST)
        sq_read_ref(st, 0, &c->assist[c->n_assist++]);
    sqlite3_reset(st);
    return 0;
}

int store_case_get(store *s, int64_t id, case_rec *out, err *e) {
    return store_case_get_scoped(s, id, 0, out, e);
}

int store_case_get_scoped(store *s, int64_t id, int64_t unit, case_rec *out, err *e) {
    sqlite3_stmt *st = sq_prep(s, Q_CASE_GET, e);
    if (!st) return ERR_IO;
    memset(out, 0, sizeof *out);
    sqlite3_bind_int64(st, 1, id);
    sq_bind_id(st, 2, unit);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? err_set(e, ERR_NOTFOUND, "id", "unknown case id %lld",
                                           (long long)id)
                                 : sq_db_err(s, e, "read case");
    }
    rc = read_case_row(st, out, e);
    sqlite3_reset(st);
    if (!rc) rc = load_assists(s, out, e);
    if (rc) case_rec_clear(out);
    return rc;
}

/* Inserts an event whose prev_hash and hash are already set. */
static int insert_event(store *s, const case_event *ev, err *e) {
    sqlite3_stmt *st = sq_prep(s, Q_EVENT_INSERT, e);
    if (!st) return ERR_IO;
    sqlite3_bind_int64(st, 1, ev->case_id);
    sqlite3_bind_int(st, 2, ev->seq);
    sq_bind_text(st, 3, ev->actor);
    sqlite3_bind_int64(st, 4, ev->at);
    sq_bind_text(st, 5, case_action_name(ev->action));
    sq_bind_text(st, 6, ev->from == ST_NONE ? NULL : case_status_name(ev->from));
    sq_bind_text(st, 7, case_status_name(ev->to));
    sq_bind_text(st, 8, ev->payload);
    sqlite3_bind_blob(st, 9, ev->prev_hash, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 10, ev->hash, 32, SQLITE_STATIC);
    return sq_step_done(s, st, e, "event");
}

/* The day's next case number and the next case id. The first case of a
 * transaction asks the database; later ones in it count on (see store.seq). */
static int next_case_no(store *s, case_rec *c, err *e) {
    char date[11];
    int32_t day = dt_local_day(c->received_at, s->env.tz);
    sqlite3_stmt *st;
    int rc;
    bool cached = s->seq.serial == s->tx_serial;
    if (cached && s->seq.day == day) {
        if (!(st = sq_prep(s, Q_CASE_SEQ_SET, e))) return ERR_IO;
        sqlite3_bind_int(st, 1, day);
        sqlite3_bind_int(st, 2, s->seq.n + 1);
        if ((rc = sq_step_done(s, st, e, "case number"))) return rc;
        s->seq.n++;
    } else {
        if (!(st = sq_prep(s, Q_CASE_SEQ, e))) return ERR_IO;
        sqlite3_bind_int(st, 1, day);
        if ((rc = sq_step_done(s, st, e, "case number"))) return rc;
        if (!(st = sq_prep(s, Q_CASE_SEQ_GET, e))) return ERR_IO;
        sqlite3_bind_int(st, 1, day);
        if (sqlite3_step(st) != SQLITE_ROW) return sq_db_err(s, e, "case number");
        s->seq.day = day;
        s->seq.n = sqlite3_column_int(st, 0);
        sqlite3_reset(st);
    }
    if (!cached) {
        if (!(st = sq_prep(s, Q_CASE_NEXT_ID, e))) return ERR_IO;
        if (sqlite3_step(st) != SQLITE_ROW) return sq_db_err(s, e, "case id");
        s->seq.next_id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        s->seq.serial = s->tx_serial;
    }
    c->id = s->seq.next_id++;
    dt_format_date(day, date);
    snprintf(c->case_no, sizeof c->case_no, "%s%.4s%.2s%.2s-%04d", s->case_prefix, date, date + 5,
             date + 8, s->seq.n);
    return 0;
}

static int create_in_tx(store *s, case_rec *c, const char *actor, case_event *ev, err *e) {
    int rc;
    if ((rc = next_case_no(s, c, e))) return rc;
    if ((rc = case_create(c, &s->env, actor, ev, e))) return rc;
    static const unsigned char zero[32];
    ev->case_id = c->id;
    memcpy(ev->prev_hash, zero, 32);
    audit_hash_event(ev);
    memcpy(c->last_hash, ev->hash, 32);
    sqlite3_stmt *st = sq_prep(s, Q_CASE_INSERT, e);
    if (!st) return ERR_IO;
    sqlite3_bind_int64(st, 1, c->id);
    sq_bind_text(st, 2, c->case_no);
    sq_bind_text(st, 3, case_channel_name(c->channel));
    sq_bind_text(st, 4, case_class_name(c->klass));
    sq_bind_text(st, 5, case_status_name(c->status));
    sq_bind_text(st, 6, c->title);
    sq_bind_text(st, 7, c->description);
    sq_bind_text(st, 8, c->requester_name);
    sq_bind_text(st, 9, c->requester_phone);
    sqlite3_bind_int(st, 10, c->confidential);
    sq_bind_id(st, 11, c->category.id);
    sq_bind_id(st, 12, c->township.id);
    sqlite3_bind_int64(st, 13, c->received_at);
    sqlite3_bind_int64(st, 14, c->updated_at);
    sq_bind_time(st, 15, c->due[DUE_DISPATCH]);
    sqlite3_bind_int(st, 16, c->event_count);
    sqlite3_bind_blob(st, 17, c->last_hash, 32, SQLITE_STATIC);
    if ((rc = sq_step_done(s, st, e, "case")) ||
        (rc = write_alert_row(s, Q_ALERTED_ADD, c->id, c->alerted, sup_next_alert(c, NULL, NULL), e)))
        return rc;
    return insert_event(s, ev, e);
}

int store_case_create(store *s, case_rec *c, const char *actor, err *e) {
    return store_case_create_keyed(s, c, actor, NULL, NULL, e);
}

/* The case an earlier request with this key created, or 0. */
static int64_t keyed_case(store *s, const char *actor, const char *key) {
    sqlite3_stmt *st;
    int64_t id = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT case_id FROM idempotency WHERE actor = ?1 AND key = ?2",
                           -1, &st, NULL))
        return 0;
    sq_bind_text(st, 1, actor);
    sq_bind_text(st, 2, key);
    if (sqlite3_step(st) == SQLITE_ROW) id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

int store_case_create_keyed(store *s, case_rec *c, const char *actor, const char *key,
                            bool *replayed, err *e) {
    case_event ev = {0};
    if (replayed) *replayed = false;
    if (key && (!key[0] || strlen(key) > 200))
        return err_set(e, ERR_INVALID, "Idempotency-Key", "an idempotency key must be 1-200 bytes");
    int rc = sq_tx_begin(s, e);
    if (rc) return rc;
    /* Inside the transaction: two retries racing cannot both create. */
    int64_t earlier = key ? keyed_case(s, actor, key) : 0;
    if (earlier) {
        rc = sq_tx_end(s, 0, e);
        case_rec prior;
        if (!rc && !(rc = store_case_get(s, earlier, &prior, e))) {
            *c = prior; /* the caller's borrowed strings are replaced by owned ones */
            if (replayed) *replayed = true;
        }
        return rc;
    }
    rc = create_in_tx(s, c, actor, &ev, e);
    if (!rc && key) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(s->db, "INSERT INTO idempotency VALUES(?1, ?2, ?3, ?4)", -1, &st,
                               NULL)) {
            rc = sq_db_err(s, e, "idempotency");
        } else {
            sq_bind_text(st, 1, actor);
            sq_bind_text(st, 2, key);
            sqlite3_bind_int64(st, 3, c->id);
            sqlite3_bind_int64(st, 4, c->received_at);
            rc = sq_step_done(s, st, e, "idempotency");
            sqlite3_finalize(st);
        }
    }
    rc = sq_tx_end(s, rc, e);
    case_event_clear(&ev);
    return rc;
}

static int update_case(store *s, const case_rec *c, err *e) {
    sqlite3_stmt *st = sq_prep(s, Q_CASE_UPDATE, e);
    if (!st) return ERR_IO;
    sqlite3_bind_int64(st, 1, c->id);
    sq_bind_text(st, 2, case_status_name(c->status));
    sq_bind_id(st, 3, c->lead.id);
    const int64_t times[] = {c->dispatched_at, c->accepted_at, c->first_feedback_at,
                             c->resolved_at, c->visited_at, c->closed_at, c->updated_at,
                             c->due[DUE_DISPATCH], c->due[DUE_ACCEPT], c->due[DUE_FEEDBACK],
                             c->due[DUE_RESOLVE]};
    for (int k = 0; k < 11; k++) sq_bind_time(st, 4 + k, times[k]);
    if (c->satisfaction == SAT_NONE)
        sqlite3_bind_null(st, 15);
    else
        sqlite3_bind_int(st, 15, c->satisfaction);
    if (c->solved < 0)
        sqlite3_bind_null(st, 16);
    else
        sqlite3_bind_int(st, 16, c->solved);
    sq_bind_text(st, 17, c->result);
    sqlite3_bind_int(st, 18, c->visit_waived);
    sqlite3_bind_int(st, 19, c->reopen_count);
    sqlite3_bind_int(st, 20, c->extension_count);
    sqlite3_bind_int(st, 21, c->plan_count);
    sqlite3_bind_int(st, 22, c->return_count);
    sq_bind_text(st, 23, pending_names[c->pending]);
    if (c->pending)
        sqlite3_bind_int(st, 24, c->pending_until);
    else
        sqlite3_bind_null(st, 24);
    sqlite3_bind_int(st, 25, c->event_count);
    sqlite3_bind_blob(st, 26, c->last_hash, 32, SQLITE_STATIC);
    unsigned char packed[MET_PACKED_SIZE];
    if (c->dispatched_at) {
        met_case m;
        met_case_of(c, &m);
        met_case_pack(&m, packed);
        sqlite3_bind_blob(st, 27, packed, sizeof packed, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(st, 27);
    }
    return sq_step_done(s, st, e, "update case");
}

static int assign_unit(store *s, int64_t case_id, int64_t unit_id, const char *role, int64_t at,
                       err *e) {
    sqlite3_stmt *st = sq_prep(s, Q_UNITS_ASSIGN, e);
    if (!st) return ERR_IO;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, unit_id);
    sq_bind_text(st, 3, role);
    sqlite3_bind_int64(st, 4, at);
    return sq_step_done(s, st, e, "case unit");
}

static int act_in_tx(store *s, int64_t id, int64_t unit, const case_req *r, case_rec *c,
                     err *e) {
    case_event ev = {0};
    unsigned char prev[32];
    int rc = store_case_get_scoped(s, id, unit, c, e);
    if (rc) return rc;
    memcpy(prev, c->last_hash, 32);
    if ((rc = case_apply(c, r, &s->env, &ev, e))) goto out;
    ev.case_id = c->id;
    memcpy(ev.prev_hash, prev, 32);
    audit_hash_event(&ev);
    if ((rc = insert_event(s, &ev, e))) goto out;
    memcpy(c->last_hash, ev.hash, 32);
    if ((rc = update_case(s, c, e)) ||
        (rc = sq_set_alerts(s, c->id, c->alerted, sup_next_alert(c, sq_yellow_at, s), e)))
        goto out;
    if (r->action == ACT_DISPATCH) {
        rc = assign_unit(s, c->id, c->lead.id, "lead", r->at, e);
        for (int i = 0; rc == 0 && i < c->n_assist; i++)
            rc = assign_unit(s, c->id, c->assist[i].id, "assist", r->at, e);
    } else if (r->action == ACT_RETURN) {
        sqlite3_stmt *st = sq_prep(s, Q_UNITS_RETURN, e);
        if (!st) rc = ERR_IO;
        if (!rc) {
            sqlite3_bind_int64(st, 1, c->id);
            sqlite3_bind_int64(st, 2, r->at);
            rc = sq_step_done(s, st, e, "return");
        }
    }
out:
    case_event_clear(&ev);
    return rc;
}

int store_case_act(store *s, int64_t id, const case_req *r, case_rec *out, err *e) {
    return store_case_act_scoped(s, id, 0, r, out, e);
}

int store_case_act_scoped(store *s, int64_t id, int64_t unit, const case_req *r, case_rec *out,
                          err *e) {
    case_rec c = {0};
    int rc = sq_tx_begin(s, e);
    if (rc) return rc;
    rc = sq_tx_end(s, act_in_tx(s, id, unit, r, &c, e), e);
    if (rc == 0 && out)
        *out = c;
    else
        case_rec_clear(&c);
    return rc;
}

int sq_read_event(sqlite3_stmt *st, case_event *ev) {
    memset(ev, 0, sizeof *ev);
    ev->id = sqlite3_column_int64(st, 0);
    ev->case_id = sqlite3_column_int64(st, 1);
    ev->seq = sqlite3_column_int(st, 2);
    sq_col_copy(st, 3, ev->actor, sizeof ev->actor);
    ev->at = sqlite3_column_int64(st, 4);
    const char *a = (const char *)sqlite3_column_text(st, 5);
    int act = -1;
    for (int i = 0; i < ACT_COUNT; i++)
        if (a && strcmp(a, case_action_name((case_action)i)) == 0) act = i;
    ev->action = act < 0 ? ACT_COUNT : (case_action)act;
    ev->from = ST_NONE;
    if (sqlite3_column_type(st, 6) != SQLITE_NULL)
        case_status_parse((const char *)sqlite3_column_text(st, 6), &ev->from, NULL);
    case_status_parse((const char *)sqlite3_column_text(st, 7), &ev->to, NULL);
    ev->payload = sq_col_dup(st, 8);
    if (sqlite3_column_bytes(st, 9) == 32) memcpy(ev->prev_hash, sqlite3_column_blob(st, 9), 32);
    if (sqlite3_column_bytes(st, 10) == 32) memcpy(ev->hash, sqlite3_column_blob(st, 10), 32);
    return act < 0 ? -1 : 0;
}

int store_case_events(store *s, int64_t id, store_event_fn fn, void *ctx, err *e) {
    sqlite3_stmt *st = sq_prep(s, Q_EVENTS_OF, e);
    int rc = 0;
    if (!st) return ERR_IO;
    sqlite3_bind_int64(st, 1, id);
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        case_event ev;
        sq_read_event(st, &ev);
        rc = fn(ctx, &ev);
        case_event_clear(&ev);
    }
    sqlite3_reset(st);
    return rc;
}

/* Characters (not bytes) in a UTF-8 string. */
static size_t utf8_len(const char *p) {
    size_t n = 0;
    for (; *p; p++) n += ((unsigned char)*p & 0xc0) != 0x80;
    return n;
}

/* An FTS5 phrase: the text in double quotes, its own quotes doubled. */
static void fts_phrase(const char *text, size_t len, char *out, size_t cap) {
    size_t o = 0;
    if (cap < 3) return;
    out[o++] = '"';
    for (size_t i = 0; i < len && o + 3 < cap; i++) {
        if (text[i] == '"') out[o++] = '"';
        out[o++] = text[i];
    }
    out[o++] = '"';
    out[o] = '\0';
}

/* Indexes the cases received since the last search, in one batch. */
static int text_catch_up(store *s, err *e) {
    int rc = sq_tx_begin(s, e);
    if (rc) return rc;
    rc = sq_exec(s, "INSERT INTO case_text(rowid, title, description)"
                    " SELECT id, title, description FROM cases WHERE id >"
                    " (SELECT CAST(value AS INTEGER) FROM config WHERE key = 'text_indexed_to');"
                    "UPDATE config SET value = (SELECT coalesce(max(id), 0) FROM cases)"
                    " WHERE key = 'text_indexed_to';",
                 e);
    return sq_tx_end(s, rc, e);
}

int store_case_list(store *s, const store_case_filter *f, store_case_fn fn, void *ctx, err *e) {
    sqlite3_stmt *st;
    int rc = 0, found = 0, limit = f->limit < 1 ? 100 : f->limit > 1000 ? 1000 : f->limit;
    char sql[2048], phrase[1024];
    bool fts = f->text && utf8_len(f->text) >= 3;
    if (f->text && strlen(f->text) > 300)
        return err_set(e, ERR_INVALID, "text", "search text is longer than 300 bytes");
    if (fts && (rc = text_catch_up(s, e))) return rc;
    /* Only fixed fragments go into the SQL; every value is bound. */
    snprintf(sql, sizeof sql, "SELECT " CASE_COLS " WHERE c.id > ?1%s%s%s%s%s%s%s%s%s%s ORDER BY c.id",
             f->status >= 0 ? " AND c.status = ?2" : "",
             f->unit_id ? " AND (c.lead_unit_id = ?3 OR c.id IN (SELECT case_id FROM case_units"
                          " WHERE unit_id = ?3 AND returned_at IS NULL))" : "",
             f->overdue_at ? " AND c.status IN ('received', 'dispatched', 'accepted')" : "",
             f->channel >= 0 ? " AND c.channel = ?4" : "",
             f->klass >= 0 ? " AND c.class = ?5" : "",
             f->category_id ? " AND c.category_id = ?6" : "",
             f->township_id ? " AND c.township_id = ?7" : "",
             f->received_from ? " AND c.received_at >= ?8" : "",
             f->received_to ? " AND c.received_at < ?9" : "",
             !f->text ? "" : fts ? " AND c.id IN (SELECT rowid FROM case_text WHERE case_text MATCH ?10)"
                                 : " AND (instr(c.title, ?10) > 0 OR instr(coalesce(c.description, ''), ?10) > 0)");
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL)) return sq_db_err(s, e, "list cases");
    sqlite3_bind_int64(st, 1, f->after_id);
    if (f->status >= 0) sq_bind_text(st, 2, case_status_name((case_status)f->status));
    sq_bind_id(st, 3, f->unit_id);
    if (f->channel >= 0) sq_bind_text(st, 4, case_channel_name((case_channel)f->channel));
    if (f->klass >= 0) sq_bind_text(st, 5, case_class_name((case_class)f->klass));
    sq_bind_id(st, 6, f->category_id);
    sq_bind_id(st, 7, f->township_id);
    sq_bind_time(st, 8, f->received_from);
    sq_bind_time(st, 9, f->received_to);
    if (fts) {
        fts_phrase(f->text, strlen(f->text), phrase, sizeof phrase);
        sqlite3_bind_text(st, 10, phrase, -1, SQLITE_TRANSIENT);
    } else if (f->text) {
        sq_bind_text(st, 10, f->text);
    }
    while (rc == 0 && found < limit && sqlite3_step(st) == SQLITE_ROW) {
        case_rec c = {0};
        rc = read_case_row(st, &c, e);
        /* "Overdue" is the core's rule (case_overdue), not re-stated in SQL. */
        if (!rc && (!f->overdue_at || case_overdue(&c, f->overdue_at))) {
            found++;
            if (!(rc = load_assists(s, &c, e))) rc = fn(ctx, &c);
        }
        case_rec_clear(&c);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Calls fn for the case of each id in turn (skipping ids already seen). */
static int emit_ids(store *s, sqlite3_stmt *st, int64_t unit, int64_t *seen, int *n, int limit,
                    store_case_fn fn, void *ctx) {
    int rc = 0;
    while (rc == 0 && *n < limit && sqlite3_step(st) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        bool dup = false;
        for (int i = 0; i < *n; i++) dup |= seen[i] == id;
        if (dup) continue;
        case_rec c;
        if (store_case_get_scoped(s, id, unit, &c, NULL)) continue;
        seen[(*n)++] = id;
        rc = fn(ctx, &c);
        case_rec_clear(&c);
    }
    return rc;
}

int store_case_similar(store *s, const char *text, const char *phone, int64_t since,
                       int64_t unit, int limit, store_case_fn fn, void *ctx, err *e) {
    int64_t seen[50];
    int n = 0, rc = 0;
    sqlite3_stmt *st;
    if (limit < 1 || limit > 50) limit = 10;
    if (phone && phone[0]) {
        /* Through the received_at index: no phone index taxes every intake. */
        if (sqlite3_prepare_v2(s->db, "SELECT id FROM cases INDEXED BY cases_received"
                                      " WHERE received_at >= ?2 AND requester_phone = ?1"
                                      " ORDER BY received_at DESC LIMIT 50",
                               -1, &st, NULL))
            return sq_db_err(s, e, "similar");
        sq_bind_text(st, 1, phone);
        sqlite3_bind_int64(st, 2, since);
        rc = emit_ids(s, st, unit, seen, &n, limit, fn, ctx);
        sqlite3_finalize(st);
    }
    if (rc || !text || utf8_len(text) < 3 || n >= limit) return rc;
    if (strlen(text) > 300) return err_set(e, ERR_INVALID, "text", "text is longer than 300 bytes");
    if ((rc = text_catch_up(s, e))) return rc;
    /* Every 3-character run of the text, ORed: ranked by how much they share. */
    char query[4096] = "", phrase[64];
    const char *p = text;
    size_t q = 0;
    for (int runs = 0; *p && runs < 40; runs++) {
        const char *end = p;
        int chars = 0;
        while (*end && chars < 3) {
            end++;
            while ((*end & 0xc0) == 0x80) end++;
            chars++;
        }
        if (chars < 3) break;
        fts_phrase(p, (size_t)(end - p), phrase, sizeof phrase);
        q += (size_t)snprintf(query + q, sizeof query - q, "%s%s", q ? " OR " : "", phrase);
        if (q >= sizeof query) break;
        do p++;
        while ((*p & 0xc0) == 0x80);
    }
    if (sqlite3_prepare_v2(s->db, "SELECT t.rowid FROM case_text t JOIN cases c ON c.id = t.rowid"
                                  " WHERE case_text MATCH ?1 AND c.received_at >= ?2"
                                  " ORDER BY bm25(case_text) LIMIT 200",
                           -1, &st, NULL))
        return sq_db_err(s, e, "similar");
    sqlite3_bind_text(st, 1, query, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, since);
    rc = emit_ids(s, st, unit, seen, &n, limit, fn, ctx);
    sqlite3_finalize(st);
    return rc;
}


/* ---- places and event feeds --------------------------------------------------- */

int store_place_set(store *s, int64_t case_id, const store_place *p, err *e) {
    sqlite3_stmt *st;
    int rc = sq_tx_begin(s, e);
    if (rc) return rc;
    if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO case_locations VALUES(?1, ?2, ?3, ?4, ?5)",
                           -1, &st, NULL)) {
        rc = sq_db_err(s, e, "place");
    } else {
        sqlite3_bind_int64(st, 1, case_id);
        if (p->has_point) {
            sqlite3_bind_double(st, 2, p->lat);
            sqlite3_bind_double(st, 3, p->lon);
        }
        sq_bind_text(st, 4, p->address[0] ? p->address : NULL);
        sq_bind_text(st, 5, p->address_id[0] ? p->address_id : NULL);
        rc = sq_step_done(s, st, e, "place");
        sqlite3_finalize(st);
    }
    for (int i = 0; rc == 0 && i < p->n_media; i++) {
        if (sqlite3_prepare_v2(s->db, "INSERT INTO case_media VALUES(?1, ?2)", -1, &st, NULL)) {
            rc = sq_db_err(s, e, "media");
            break;
        }
        sqlite3_bind_int64(st, 1, case_id);
        sq_bind_text(st, 2, p->media[i]);
        rc = sq_step_done(s, st, e, "media");
        sqlite3_finalize(st);
    }
    return sq_tx_end(s, rc, e);
}

int store_place_get(store *s, int64_t case_id, store_place *p, err *e) {
    sqlite3_stmt *st;
    memset(p, 0, sizeof *p);
    if (sqlite3_prepare_v2(s->db, "SELECT lat, lon, address, address_id FROM case_locations"
                                  " WHERE case_id = ?1", -1, &st, NULL))
        return sq_db_err(s, e, "place");
    sqlite3_bind_int64(st, 1, case_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        p->has_point = sqlite3_column_type(st, 0) != SQLITE_NULL;
        p->lat = sqlite3_column_double(st, 0);
        p->lon = sqlite3_column_double(st, 1);
        sq_col_copy(st, 2, p->address, sizeof p->address);
        sq_col_copy(st, 3, p->address_id, sizeof p->address_id);
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(s->db, "SELECT url FROM case_media WHERE case_id = ?1 ORDER BY rowid",
                           -1, &st, NULL))
        return sq_db_err(s, e, "media");
    sqlite3_bind_int64(st, 1, case_id);
    while (p->n_media < STORE_MAX_MEDIA && sqlite3_step(st) == SQLITE_ROW)
        sq_col_copy(st, 0, p->media[p->n_media++], sizeof p->media[0]);
    sqlite3_finalize(st);
    return 0;
}

int store_events_between(store *s, int64_t from, int64_t to, int limit, store_event_fn fn,
                         void *ctx, err *e) {
    sqlite3_stmt *st;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT id, case_id, seq, actor, at, action, from_status,"
                                  " to_status, payload, prev_hash, hash FROM events"
                                  " WHERE at >= ?1 AND at < ?2 ORDER BY at, id LIMIT ?3",
                           -1, &st, NULL))
        return sq_db_err(s, e, "events");
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    sqlite3_bind_int(st, 3, limit);
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        case_event ev;
        sq_read_event(st, &ev);
        rc = fn(ctx, &ev);
        case_event_clear(&ev);
    }
    sqlite3_finalize(st);
    return rc;
}

int64_t store_case_id_by_no(store *s, const char *case_no) {
    sqlite3_stmt *st;
    int64_t id = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT id FROM cases WHERE case_no = ?1", -1, &st, NULL)) return 0;
    sq_bind_text(st, 1, case_no);
    if (sqlite3_step(st) == SQLITE_ROW) id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}
