/* store_case: cases: intake, actions (one transaction: the case row, one
 * hash-chained event, unit assignments and alert state), reading, lists,
 * search and duplicate suggestions, places and the event feed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/metrics.h"
#include "core/supervise.h"
#include "store/store_case.h"
#include "store/store_chain.h"
#include "store/store_int.h"
#include "store/store_query.h"
#include "store/store_report.h"
#include "core/view.h"
#include "util/datetime.h"
#include "util/text.h"

/* The public channels as ",open311,qr," for store_sql_public_filter. */
static void public_list(unsigned channels, char *out, size_t n) {
    size_t len = (size_t)snprintf(out, n, ",");
    for (int ch = 0; ch < CH_COUNT; ch++)
        if ((channels & VIEW_CHANNEL(ch)) && len < n)
            len += (size_t)snprintf(out + len, n - len, "%s,", case_channel_name((case_channel)ch));
}

/* ---- alert state -------------------------------------------------------------- */

static int write_alert_row(store *s, int q, int64_t case_id, uint32_t alerted, int64_t alert_at,
                           err *e) {
    db_stmt *st = st_prep(s, q, e);
    if (!st) return ERR_IO;
    db_bind_int(st, 1, case_id);
    db_bind_int(st, 2, alerted);
    db_bind_id(st, 3, alert_at);
    return st_fail(db_run(st, e), e, "alerts");
}

int st_set_alerts(store *s, int64_t case_id, uint32_t alerted, int64_t alert_at, err *e) {
    return write_alert_row(s, Q_ALERTED_SET, case_id, alerted, alert_at, e);
}

/* ---- reading ------------------------------------------------------------------ */

static const char *const pending_names[] = {NULL, "extension", "plan"};

/* The assisting units from their folded column: "id US code US name",
 * joined by RS (store_int.h). */
static void read_assists(const char *p, case_rec *c) {
    c->n_assist = 0;
    while (p && *p && c->n_assist < CASE_MAX_ASSIST) {
        unit_ref *u = &c->assist[c->n_assist];
        size_t id_len = strcspn(p, "\x1f"), code_len, name_len;
        if (p[id_len] != '\x1f') break;
        const char *code = p + id_len + 1;
        code_len = strcspn(code, "\x1f");
        if (code[code_len] != '\x1f') break;
        const char *name = code + code_len + 1;
        name_len = strcspn(name, "\x1e");
        u->id = strtoll(p, NULL, 10);
        snprintf(u->code, sizeof u->code, "%.*s", (int)code_len, code);
        snprintf(u->name, sizeof u->name, "%.*s", (int)name_len, name);
        c->n_assist++;
        p = name + name_len + (name[name_len] ? 1 : 0);
    }
}

/* Where each provisional deadline was counted from: kept only while one is
 * (NULL otherwise), as the four instants separated by spaces. */
static void read_due_from(const char *p, case_rec *c) {
    for (int k = 0; p && *p && k < DUE_COUNT; k++) {
        char *end;
        c->due_from[k] = strtoll(p, &end, 10);
        p = end;
    }
}

/* buf must live until the statement has run: the driver may not copy it. */
static void bind_due_from(db_stmt *st, int i, const case_rec *c, char buf[4 * 24]) {
    if (!case_provisional_pending(c)) {
        db_bind_null(st, i);
        return;
    }
    snprintf(buf, 4 * 24, "%lld %lld %lld %lld", (long long)c->due_from[0],
             (long long)c->due_from[1], (long long)c->due_from[2], (long long)c->due_from[3]);
    db_bind_text(st, i, buf);
}

/* The next deadline and its kind at i and i + 1 (NULLs when none). */
static void bind_next(db_stmt *st, int i, const case_rec *c) {
    case_due_kind kind;
    int64_t due = case_next_due(c, &kind);
    db_bind_id(st, i, due);
    db_bind_text(st, i + 1, due ? case_due_name(kind) : NULL);
}

/* Reads a row of a case's columns (store_int.h); c must be empty. */
int st_read_case(db_stmt *st, case_rec *c, err *e) {
    int i = 0;
    c->id = db_col_int(st, i++);
    st_col_copy(st, i++, c->case_no, sizeof c->case_no);
    if (case_channel_parse(db_col_text(st, i++), &c->channel, e) ||
        case_class_parse(db_col_text(st, i++), &c->klass, e) ||
        case_status_parse(db_col_text(st, i++), &c->status, e))
        return ERR_IO;
    bool has_title = !db_col_null(st, i);
    c->title = st_col_dup(st, i++);
    c->description = st_col_dup(st, i++);
    c->requester_name = st_col_dup(st, i++);
    c->requester_phone = st_col_dup(st, i++);
    c->confidential = db_col_int(st, i++) != 0;
    c->result = st_col_dup(st, i++);
    int64_t *times[] = {&c->received_at, &c->dispatched_at, &c->accepted_at,
                        &c->first_feedback_at, &c->resolved_at, &c->visited_at,
                        &c->closed_at, &c->updated_at, &c->due[DUE_DISPATCH],
                        &c->due[DUE_ACCEPT], &c->due[DUE_FEEDBACK], &c->due[DUE_RESOLVE]};
    for (size_t k = 0; k < sizeof times / sizeof *times; k++) *times[k] = db_col_int(st, i++);
    c->satisfaction = db_col_null(st, i) ? SAT_NONE : (case_satisfaction)db_col_int(st, i);
    i++;
    c->solved = db_col_null(st, i) ? -1 : (int)db_col_int(st, i);
    i++;
    c->visit_waived = db_col_int(st, i++) != 0;
    c->reopen_count = (int)db_col_int(st, i++);
    c->extension_count = (int)db_col_int(st, i++);
    c->plan_count = (int)db_col_int(st, i++);
    c->return_count = (int)db_col_int(st, i++);
    const char *pend = db_col_text(st, i++);
    c->pending = !pend ? PENDING_NONE
                 : strcmp(pend, "plan") == 0 ? PENDING_PLAN
                                             : PENDING_EXTENSION;
    c->pending_until = (int32_t)db_col_int(st, i++);
    c->alerted = (uint32_t)db_col_int(st, i++);
    c->event_count = (int)db_col_int(st, i++);
    st_col_hash(st, i++, c->last_hash);
    st_read_ref(st, i, &c->lead);
    st_read_ref(st, i + 3, &c->category);
    st_read_ref(st, i + 6, &c->township);
    st_col_hash(st, i + 9, c->text_key);
    bool has_summary = !db_col_null(st, i + 10), has_reply = !db_col_null(st, i + 11);
    c->public_summary = st_col_dup(st, i + 10);
    c->public_reply = st_col_dup(st, i + 11);
    c->provisional = (unsigned)db_col_int(st, i + 12);
    read_due_from(db_col_text(st, i + 13), c);
    if (!db_col_null(st, i + 14)) case_appeal_parse(db_col_text(st, i + 14), &c->appeal, NULL);
    c->instructed_at = db_col_int(st, i + 15);
    c->unreachable_days = (int)db_col_int(st, i + 16);
    c->unreachable_day = (int32_t)db_col_int(st, i + 17);
    c->closed_unreachable = db_col_int(st, i + 18) != 0;
    c->merged_into = db_col_int(st, i + 19);
    if (!db_col_null(st, i + 20)) case_review_parse(db_col_text(st, i + 20), &c->review, NULL);
    c->review_at = db_col_int(st, i + 21);
    if (!db_col_null(st, i + 22)) case_answer_parse(db_col_text(st, i + 22), &c->answer, NULL);
    c->promise_day = (int32_t)db_col_int(st, i + 23);
    c->purged_at = db_col_int(st, i + 24);
    read_assists(db_col_text(st, i + 25), c);
    if ((has_title && !c->title) || (has_summary && !c->public_summary) ||
        (has_reply && !c->public_reply))
        return err_set(e, ERR_NOMEM, "", "out of memory");
    return 0;
}

static int get_case(store *s, int q, int64_t id, int64_t unit, case_rec *out, err *e) {
    db_stmt *st = st_prep(s, q, e);
    if (!st) return ERR_IO;
    memset(out, 0, sizeof *out);
    db_bind_int(st, 1, id);
    db_bind_id(st, 2, unit);
    int rc = db_first(st, e);
    if (rc == ERR_NOTFOUND)
        rc = err_set(e, ERR_NOTFOUND, "id", "unknown case id %lld", (long long)id);
    else if (rc)
        st_fail(rc, e, "read case");
    else
        rc = st_read_case(st, out, e);
    db_reset(st);
    if (rc) case_rec_clear(out);
    return rc;
}

int store_case_merged(store *s, int64_t id, store_case_fn fn, void *ctx, err *e) {
    db_stmt *st;
    st_query q;
    st_q_init(&q);
    st_q_add(&q, "%s FROM cases c" CASE_JOINS " WHERE c.merged_into = :id ORDER BY c.id", st_sql(s, &store_sql_case_cols));
    st_q_int(&q, "id", id);
    int rc = st_q_prepare(s, &q, 0, &st, e);
    st_q_release(&q);
    if (rc) return rc;
    while (db_next(st, &rc, e)) {
        case_rec c = {0};
        if (!(rc = st_read_case(st, &c, e))) rc = fn(ctx, &c);
        case_rec_clear(&c);
    }
    db_finalize(st);
    return rc;
}

int store_case_get(store *s, int64_t id, case_rec *out, err *e) {
    return get_case(s, Q_CASE_GET, id, 0, out, e);
}

int store_case_get_scoped(store *s, int64_t id, int64_t unit, case_rec *out, err *e) {
    return get_case(s, Q_CASE_GET, id, unit, out, e);
}

/* ---- intake ------------------------------------------------------------------- */

/* Inserts an event whose prev_hash and hash are already set. */
static int insert_event(store *s, const case_event *ev, err *e) {
    db_stmt *st = st_prep(s, Q_EVENT_INSERT, e);
    if (!st) return ERR_IO;
    db_bind_int(st, 1, ev->case_id);
    db_bind_int(st, 2, ev->seq);
    db_bind_text(st, 3, ev->actor);
    db_bind_int(st, 4, ev->at);
    db_bind_text(st, 5, case_action_name(ev->action));
    db_bind_text(st, 6, ev->from == ST_NONE ? NULL : case_status_name(ev->from));
    db_bind_text(st, 7, case_status_name(ev->to));
    db_bind_text(st, 8, ev->payload);
    db_bind_blob(st, 9, ev->prev_hash, 32);
    db_bind_blob(st, 10, ev->hash, 32);
    db_bind_int(st, 11, ev->scheme);
    db_bind_text(st, 12, ev->text);
    return st_fail(db_run(st, e), e, "event");
}

/* The day's next number and the next case id, from the database. */
static int take_number(store *s, int32_t day, int *n, int64_t *id, err *e) {
    db_stmt *st = st_prep(s, Q_CASE_SEQ_NEXT, e);
    if (!st) return ERR_IO;
    db_bind_int(st, 1, day);
    int rc = db_first(st, e);
    if (!rc) {
        *n = (int)db_col_int(st, 0);
        *id = db_col_int(st, 1);
    }
    db_reset(st);
    return st_fail(rc, e, "case number");
}

/* The day's next case number and the next case id into c. On SQLite the
 * first case of a transaction asks the database and later ones in it count
 * on (see store.seq); elsewhere each asks. taken: a number (and taken_id)
 * take_number already gave, or 0. */
static int next_case_no(store *s, case_rec *c, int taken, int64_t taken_id, err *e) {
    char date[11];
    int32_t day = dt_local_day(c->received_at, s->env.tz);
    int rc;
    if (taken) {
        s->seq.day = day;
        s->seq.n = taken;
        c->id = taken_id;
    } else if (store_single_writer(s) && s->seq.serial == s->tx_serial && s->seq.day == day) {
        db_stmt *st = st_prep(s, Q_CASE_SEQ_SET, e);
        if (!st) return ERR_IO;
        db_bind_int(st, 1, day);
        db_bind_int(st, 2, s->seq.n + 1);
        if ((rc = db_run(st, e))) return st_fail(rc, e, "case number");
        s->seq.n++;
        c->id = s->seq.next_id;
    } else {
        if ((rc = take_number(s, day, &s->seq.n, &c->id, e))) return rc;
        s->seq.day = day;
    }
    s->seq.serial = s->tx_serial;
    s->seq.next_id = c->id + 1;
    dt_format_date(day, date);
    snprintf(c->case_no, sizeof c->case_no, "%s%.4s%.2s%.2s-%04d", s->case_prefix, date, date + 5,
             date + 8, s->seq.n);
    return 0;
}

static int create_in_tx(store *s, case_rec *c, const char *actor, int taken, int64_t taken_id,
                        case_event *ev, err *e) {
    int rc;
    if ((rc = next_case_no(s, c, taken, taken_id, e))) return rc;
    if ((rc = case_create(c, &s->env, actor, ev, e))) return rc;
    static const unsigned char zero[32];
    ev->case_id = c->id;
    memcpy(ev->prev_hash, zero, 32);
    st_new_key(s, c->id, c->text_key);
    audit_hash_event(ev, c->text_key);
    memcpy(c->last_hash, ev->hash, 32);
    db_stmt *st = st_prep(s, Q_CASE_INSERT, e);
    if (!st) return ERR_IO;
    db_bind_int(st, 1, c->id);
    db_bind_text(st, 2, c->case_no);
    db_bind_text(st, 3, case_channel_name(c->channel));
    db_bind_text(st, 4, case_class_name(c->klass));
    db_bind_text(st, 5, case_status_name(c->status));
    db_bind_text(st, 6, c->title);
    db_bind_text(st, 7, c->description);
    db_bind_text(st, 8, c->requester_name);
    db_bind_text(st, 9, c->requester_phone);
    db_bind_int(st, 10, c->confidential);
    db_bind_id(st, 11, c->category.id);
    db_bind_id(st, 12, c->township.id);
    db_bind_int(st, 13, c->received_at);
    db_bind_int(st, 14, c->updated_at);
    db_bind_id(st, 15, c->due[DUE_DISPATCH]);
    db_bind_int(st, 16, c->event_count);
    db_bind_blob(st, 17, c->last_hash, 32);
    db_bind_blob(st, 18, c->text_key, 32);
    char from[4 * 24];
    db_bind_int(st, 19, case_provisional_pending(c));
    bind_due_from(st, 20, c, from);
    bind_next(st, 21, c);
    db_bind_text(st, 23, case_appeal_name(c->appeal));
    if ((rc = st_fail(db_run(st, e), e, "case")) ||
        (rc = write_alert_row(s, Q_ALERTED_ADD, c->id, c->alerted, sup_next_alert(c), e)) ||
        (rc = insert_event(s, ev, e)))
        return rc;
    /* PostgreSQL's search index: titles and descriptions apart from the case
     * row, so that updating a case does not rewrite them (SQLite's catches up
     * before a search). */
    if (!st_sql(s, &store_sql_text[Q_TEXT_INSERT])[0]) return 0;
    if (!(st = st_prep(s, Q_TEXT_INSERT, e))) return ERR_IO;
    db_bind_int(st, 1, c->id);
    db_bind_text(st, 2, c->title);
    db_bind_text(st, 3, c->description);
    return st_fail(db_run(st, e), e, "search index");
}

int store_case_create(store *s, case_rec *c, const char *actor, err *e) {
    return store_case_create_keyed(s, c, actor, NULL, NULL, e);
}

/* The case an earlier request with this key created, or 0. */
static int keyed_case(store *s, const char *actor, const char *key, int64_t *id, err *e) {
    db_stmt *st = st_prep(s, Q_IDEMPOTENT_GET, e);
    if (!st) return ERR_IO;
    db_bind_text(st, 1, actor);
    db_bind_text(st, 2, key);
    int rc = db_first(st, e);
    *id = rc ? 0 : db_col_int(st, 0);
    db_reset(st);
    return rc == ERR_NOTFOUND ? 0 : st_fail(rc, e, "idempotency");
}

int store_case_create_keyed(store *s, case_rec *c, const char *actor, const char *key,
                            bool *replayed, err *e) {
    case_event ev = {0};
    int64_t earlier = 0;
    if (replayed) *replayed = false;
    if (key && (!key[0] || strlen(key) > 200))
        return err_set(e, ERR_INVALID, "Idempotency-Key", "an idempotency key must be 1-200 bytes");
    int taken = 0, rc;
    int64_t taken_id = 0;
    /* Several writers at once (PostgreSQL), outside a batch: the day's number
     * is taken in its own short transaction first, as a sequence would give
     * it, so concurrent intakes do not queue behind the day's counter row
     * until each other's commits. Bad input and a retry are told apart
     * before that; an intake that fails after it leaves a gap. */
    if (!s->depth && !store_single_writer(s)) {
        if ((rc = case_check_intake(c, e)) || (key && (rc = keyed_case(s, actor, key, &earlier, e))))
            return rc;
        if (!earlier &&
            (rc = take_number(s, dt_local_day(c->received_at, s->env.tz), &taken, &taken_id, e)))
            return rc;
    }
    if ((rc = st_tx_begin(s, e))) return rc;
    /* Inside the transaction: two retries racing cannot both create (the
     * second one's insert of the key fails, and it is undone). */
    if (key && !earlier && (rc = keyed_case(s, actor, key, &earlier, e))) return st_tx_end(s, rc, e);
    if (earlier) {
        rc = st_tx_end(s, 0, e);
        case_rec prior;
        if (!rc && !(rc = store_case_get(s, earlier, &prior, e))) {
            *c = prior; /* the caller's borrowed strings are replaced by owned ones */
            if (replayed) *replayed = true;
        }
        return rc;
    }
    rc = create_in_tx(s, c, actor, taken, taken_id, &ev, e);
    if (!rc && key) {
        db_stmt *st = st_prep(s, Q_IDEMPOTENT_PUT, e);
        if (!st) rc = ERR_IO;
        if (!rc) {
            db_bind_text(st, 1, actor);
            db_bind_text(st, 2, key);
            db_bind_int(st, 3, c->id);
            db_bind_int(st, 4, c->received_at);
            rc = st_fail(db_run(st, e), e, "idempotency");
        }
    }
    rc = st_tx_end(s, rc, e);
    case_event_clear(&ev);
    return rc;
}

/* ---- actions ------------------------------------------------------------------- */

/* Settled for the figures (no 办理 may still be open): its last change is
 * the last time a figure can count it (Q_STATS_SCAN). */
static int64_t fig_until(const case_rec *c) {
    bool settled = c->status == ST_RESOLVED || c->status == ST_VISITED || c->status == ST_CLOSED;
    return settled ? c->updated_at : INT64_MAX;
}

static int update_case(store *s, const case_rec *c, const unsigned char *hist, size_t hist_len, err *e) {
    db_stmt *st = st_prep(s, Q_CASE_UPDATE, e);
    if (!st) return ERR_IO;
    db_bind_int(st, 1, c->id);
    db_bind_text(st, 2, case_status_name(c->status));
    db_bind_id(st, 3, c->lead.id);
    const int64_t times[] = {c->dispatched_at, c->accepted_at, c->first_feedback_at,
                             c->resolved_at, c->visited_at, c->closed_at, c->updated_at,
                             c->due[DUE_DISPATCH], c->due[DUE_ACCEPT], c->due[DUE_FEEDBACK],
                             c->due[DUE_RESOLVE]};
    for (int k = 0; k < 11; k++) db_bind_id(st, 4 + k, times[k]);
    if (c->satisfaction == SAT_NONE)
        db_bind_null(st, 15);
    else
        db_bind_int(st, 15, c->satisfaction);
    if (c->solved < 0)
        db_bind_null(st, 16);
    else
        db_bind_int(st, 16, c->solved);
    db_bind_text(st, 17, c->result);
    db_bind_int(st, 18, c->visit_waived);
    db_bind_int(st, 19, c->reopen_count);
    db_bind_int(st, 20, c->extension_count);
    db_bind_int(st, 21, c->plan_count);
    db_bind_int(st, 22, c->return_count);
    db_bind_text(st, 23, pending_names[c->pending]);
    if (c->pending)
        db_bind_int(st, 24, c->pending_until);
    else
        db_bind_null(st, 24);
    db_bind_int(st, 25, c->event_count);
    db_bind_blob(st, 26, c->last_hash, 32);
    db_bind_blob(st, 27, hist, hist_len);
    db_bind_int(st, 44, fig_until(c));
    db_bind_blob(st, 28, c->text_key, 32);
    db_bind_text(st, 29, c->public_summary);
    db_bind_text(st, 30, c->public_reply);
    char from[4 * 24];
    db_bind_int(st, 31, case_provisional_pending(c));
    bind_due_from(st, 32, c, from);
    bind_next(st, 33, c);
    db_bind_id(st, 35, c->instructed_at);
    db_bind_int(st, 36, c->unreachable_days);
    db_bind_id(st, 37, c->unreachable_day);
    db_bind_int(st, 38, c->closed_unreachable);
    db_bind_id(st, 39, c->merged_into);
    db_bind_text(st, 40, case_review_name(c->review));
    db_bind_id(st, 41, c->review_at);
    db_bind_text(st, 42, case_answer_name(c->answer));
    db_bind_id(st, 43, c->promise_day);
    return st_fail(db_run(st, e), e, "update case");
}

static int assign_unit(store *s, const case_rec *c, int64_t unit_id, const char *role,
                       int64_t at, err *e) {
    db_stmt *st = st_prep(s, Q_UNITS_ASSIGN, e);
    if (!st) return ERR_IO;
    db_bind_int(st, 1, c->id);
    db_bind_int(st, 2, unit_id);
    db_bind_text(st, 3, role);
    db_bind_int(st, 4, at);
    bind_next(st, 5, c);
    db_bind_text(st, 7, case_status_name(c->status));
    return st_fail(db_run(st, e), e, "case unit");
}

/* The units' rows carry the case's next deadline (their queues sort on it;
 * its status, which they filter on, follows by trigger). */
static int units_next(store *s, const case_rec *c, err *e) {
    db_stmt *st = st_prep(s, Q_UNITS_NEXT, e);
    if (!st) return ERR_IO;
    db_bind_int(st, 1, c->id);
    bind_next(st, 2, c);
    return st_fail(db_run(st, e), e, "case unit");
}

/* A 批示 is a notice to the lead unit (or, before dispatch, to the 督查室). */
static int instruction_notice(store *s, const case_rec *c, int64_t at, err *e) {
    db_stmt *st = st_prep(s, Q_NOTICE_INSERT, e);
    if (!st) return ERR_IO;
    db_bind_int(st, 1, c->id);
    db_bind_text(st, 2, STORE_NOTICE_INSTRUCTION);
    db_bind_text(st, 3, sup_level_name(SUP_RED));
    db_bind_int(st, 4, at);
    db_bind_int(st, 5, at);
    db_bind_id(st, 6, c->lead.id);
    int rc = st_fail(db_run(st, e), e, "notice");
    if (!rc && db_changes(s->db) == 1) rc = st_chain_note(s, CHAIN_NOTICES, db_last_id(s->db), at, e);
    return rc;
}

/* A direct answer from the 知识库: the entry must exist and be valid today;
 * its use is counted (in the answer's transaction); *answer: its text. */
static int kb_use(store *s, const case_req *r, char **answer, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT answer, coalesce(valid_until, 0) FROM kb WHERE id = ?1", 0,
                        &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, r->kb_id);
    rc = db_first(st, e);
    int32_t until = rc ? 0 : (int32_t)db_col_int(st, 1);
    if (rc == ERR_NOTFOUND)
        rc = err_set(e, ERR_INVALID, "kb", "no 知识库 entry %lld", (long long)r->kb_id);
    else if (!rc && until && until < dt_local_day(r->at, s->env.tz)) {
        char day[11];
        dt_format_date(until, day);
        rc = err_set(e, ERR_CONFLICT, "kb", "知识库 entry %lld expired on %s", (long long)r->kb_id,
                     day);
    } else if (!rc && !(*answer = st_col_dup(st, 0)))
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
    db_finalize(st);
    if (rc || (rc = st_prepare(s, "UPDATE kb SET uses = uses + 1 WHERE id = ?1", 0, &st, e)))
        return rc;
    db_bind_int(st, 1, r->kb_id);
    rc = st_fail(db_run(st, e), e, "kb");
    db_finalize(st);
    return rc;
}

/* ---- 并案: duplicates that follow their main case ---------------------------- */

/* The ids of the cases merged into id that still follow it (status merged). */
static int following(store *s, int64_t id, int64_t **ids, size_t *n, err *e) {
    db_stmt *st;
    size_t cap = 0;
    *ids = NULL;
    *n = 0;
    int rc = st_prepare(s, "SELECT id FROM cases WHERE merged_into = ?1 AND status = 'merged'"
                           " ORDER BY id", 0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    while (db_next(st, &rc, e) && !(rc = st_grow(ids, &cap, *n, sizeof **ids, e)))
        (*ids)[(*n)++] = db_col_int(st, 0);
    db_finalize(st);
    return rc;
}

/* The main case of a merge, locked before the duplicate (the order every
 * action on a main case takes its duplicates in): it must exist, follow no
 * other case and not be closed without a result; the duplicate must have
 * none following it. */
static int merge_target(store *s, int64_t dup, int64_t into, case_rec *main, err *e) {
    int rc = get_case(s, Q_CASE_GET_LOCKED, into, 0, main, e);
    if (rc == ERR_NOTFOUND) return err_set(e, ERR_INVALID, "into", "no case %lld to merge into", (long long)into);
    if (rc) return rc;
    if (main->status == ST_MERGED)
        return err_set(e, ERR_CONFLICT, "into", "case %s is itself merged into case %lld: merge into that one",
                       main->case_no, (long long)main->merged_into);
    if (main->status == ST_CLOSED && !main->resolved_at)
        return err_set(e, ERR_CONFLICT, "into", "case %s was closed without a result", main->case_no);
    int64_t *ids;
    size_t n;
    if ((rc = following(s, dup, &ids, &n, e))) return rc;
    free(ids);
    if (n)
        return err_set(e, ERR_CONFLICT, "action",
                       "%zu case(s) are merged into this one: merge them the other way round", n);
    return 0;
}

/* A duplicate takes its main case's result (ACT_FOLLOW, by the actor who
 * resolved the main), at `at` or its own last event if later (case_apply). */
static int follow(store *s, int64_t dup, const case_rec *main, int64_t at, const char *actor,
                  err *e) {
    case_rec d;
    int rc = get_case(s, Q_CASE_GET, dup, 0, &d, e);
    if (rc) return rc;
    case_req f;
    case_req_init(&f, ACT_FOLLOW, at, actor);
    case_rec_clear(&d);
    f.note = main->result;
    f.into = main->id;
    rc = st_act_in_tx(s, dup, 0, &f, &d, e);
    case_rec_clear(&d);
    return rc;
}

static int follow_all(store *s, const case_rec *main, int64_t at, const char *actor, err *e) {
    int64_t *ids;
    size_t n;
    int rc = following(s, main->id, &ids, &n, e);
    for (size_t i = 0; !rc && i < n; i++) rc = follow(s, ids[i], main, at, actor, e);
    free(ids);
    return rc;
}

int st_act_in_tx(store *s, int64_t id, int64_t unit, const case_req *r, case_rec *c, err *e) {
    case_event ev = {0};
    char *kb_answer = NULL;
    unsigned char prev[32];
    case_rec main = {0};
    int rc = 0;
    if (r->action == ACT_MERGE && r->into > 0 && r->into != id &&
        (rc = merge_target(s, id, r->into, &main, e))) {
        case_rec_clear(&main);
        return rc;
    }
    /* Locked until the transaction ends: the event chain stays a line. */
    if ((rc = get_case(s, Q_CASE_GET_LOCKED, id, unit, c, e))) {
        case_rec_clear(&main);
        return rc;
    }
    memcpy(prev, c->last_hash, 32);
    case_due_kind kind_before, kind_after;
    int64_t next_before = case_next_due(c, &kind_before);
    met_state fig_before, fig_after;
    unsigned char hist[MET_STEP_MAX * MET_REC_MAX];
    met_state_of(c, &fig_before);
    case_req as = *r;
    if (unit) as.unit_id = unit; /* a unit's handler acts as lead or assist (core) */
    if (r->action == ACT_ANSWER && r->kb_id && (rc = kb_use(s, r, &kb_answer, e))) goto out;
    if (kb_answer && text_blank(as.note)) as.note = kb_answer; /* the entry's answer, as given */
    if (main.id) as.into_no = main.case_no;
    if (r->action == ACT_REJECT && case_action_allowed(c->status, ACT_REJECT)) {
        int64_t *ids;
        size_t n;
        if ((rc = following(s, id, &ids, &n, e))) goto out;
        free(ids);
        if (n) {
            rc = err_set(e, ERR_CONFLICT, "action",
                         "%zu case(s) merged into this one wait for its result: it cannot be"
                         " rejected", n);
            goto out;
        }
    }
    if ((rc = case_apply(c, &as, &s->env, &ev, e))) goto out;
    ev.case_id = c->id;
    memcpy(ev.prev_hash, prev, 32);
    static const unsigned char zero[32];
    if (!memcmp(c->text_key, zero, 32)) /* a case from before schema 8 */
        st_new_key(s, c->id, c->text_key);
    audit_hash_event(&ev, c->text_key);
    if ((rc = insert_event(s, &ev, e))) goto out;
    memcpy(c->last_hash, ev.hash, 32);
    met_state_of(c, &fig_after);
    size_t hist_len = met_hist_step(&fig_before, &fig_after, as.action, c->updated_at, c->received_at, hist);
    if ((rc = update_case(s, c, hist, hist_len, e)) ||
        (rc = st_set_alerts(s, c->id, c->alerted, sup_next_alert(c), e)))
        goto out;
    if (r->action == ACT_INSTRUCT && (rc = instruction_notice(s, c, r->at, e))) goto out;
    /* a return or a reassignment ends the current assignments first */
    if (r->action == ACT_RETURN || r->action == ACT_REASSIGN) {
        db_stmt *st = st_prep(s, Q_UNITS_RETURN, e);
        if (!st) rc = ERR_IO;
        if (!rc) {
            db_bind_int(st, 1, c->id);
            db_bind_int(st, 2, r->at);
            db_bind_int(st, 3, r->action == ACT_REASSIGN);
            rc = st_fail(db_run(st, e), e, "return");
        }
    }
    if (rc) goto out;
    if (r->action == ACT_DISPATCH || r->action == ACT_REASSIGN) {
        rc = assign_unit(s, c, c->lead.id, "lead", r->at, e);
        for (int i = 0; rc == 0 && i < c->n_assist; i++)
            rc = assign_unit(s, c, c->assist[i].id, "assist", r->at, e);
    } else if (case_next_due(c, &kind_after) != next_before || kind_after != kind_before) {
        rc = units_next(s, c, e);
    }
    if (rc) goto out;
    /* 并案: the duplicates take the result when the main case has one */
    if (r->action == ACT_MERGE && main.resolved_at && main.result) {
        int64_t at = r->at > main.resolved_at ? r->at : main.resolved_at;
        case_rec_clear(c);
        if (!(rc = follow(s, id, &main, at, r->actor, e))) rc = get_case(s, Q_CASE_GET, id, unit, c, e);
    } else if (r->action == ACT_RESOLVE || r->action == ACT_ANSWER) {
        rc = follow_all(s, c, r->at, r->actor, e);
    }
out:
    case_rec_clear(&main);
    free(kb_answer);
    case_event_clear(&ev);
    return rc;
}

int store_case_act(store *s, int64_t id, const case_req *r, case_rec *out, err *e) {
    return store_case_act_scoped(s, id, 0, r, out, e);
}

int store_case_act_scoped(store *s, int64_t id, int64_t unit, const case_req *r, case_rec *out,
                          err *e) {
    case_rec c = {0};
    int rc = st_tx_begin(s, e);
    if (rc) return rc;
    rc = st_tx_end(s, st_act_in_tx(s, id, unit, r, &c, e), e);
    if (rc == 0 && out)
        *out = c;
    else
        case_rec_clear(&c);
    return rc;
}

/* ---- events -------------------------------------------------------------------- */

int st_read_event(db_stmt *st, case_event *ev) {
    memset(ev, 0, sizeof *ev);
    ev->id = db_col_int(st, 0);
    ev->case_id = db_col_int(st, 1);
    ev->seq = (int)db_col_int(st, 2);
    st_col_copy(st, 3, ev->actor, sizeof ev->actor);
    ev->at = db_col_int(st, 4);
    const char *a = db_col_text(st, 5);
    int act = -1;
    for (int i = 0; a && act < 0 && i < ACT_COUNT; i++)
        if (strcmp(a, case_action_name((case_action)i)) == 0) act = i;
    ev->action = act < 0 ? ACT_COUNT : (case_action)act;
    ev->from = ST_NONE;
    if (!db_col_null(st, 6)) case_status_parse(db_col_text(st, 6), &ev->from, NULL);
    case_status_parse(db_col_text(st, 7), &ev->to, NULL);
    ev->payload = st_col_dup(st, 8);
    st_col_hash(st, 9, ev->prev_hash);
    st_col_hash(st, 10, ev->hash);
    ev->scheme = (int)db_col_int(st, 11);
    ev->text = st_col_dup(st, 12);
    ev->text_erased = st_col_hash(st, 13, ev->text_digest);
    return act < 0 ? -1 : 0;
}

static int each_event(db_stmt *st, store_event_fn fn, void *ctx, err *e) {
    int rc = 0;
    while (db_next(st, &rc, e)) {
        case_event ev;
        st_read_event(st, &ev);
        rc = fn(ctx, &ev);
        case_event_clear(&ev);
    }
    return rc;
}

int store_case_events(store *s, int64_t id, store_event_fn fn, void *ctx, err *e) {
    db_stmt *st = st_prep(s, Q_EVENTS_OF, e);
    if (!st) return ERR_IO;
    db_bind_int(st, 1, id);
    int rc = each_event(st, fn, ctx, e);
    db_reset(st);
    return rc;
}

int store_events_between(store *s, int64_t from, int64_t to, int limit, bool public_only,
                         store_event_fn fn, void *ctx, err *e) {
    db_stmt *st;
    char pub[256];
    st_query q;
    st_q_init(&q);
    st_q_add(&q, "SELECT " EVENT_COLS " FROM events WHERE at >= :from AND at < :to");
    if (public_only)
        st_q_add(&q, " AND case_id IN (SELECT c.id FROM cases c WHERE 1 = 1%s)", st_sql(s, &store_sql_public_filter));
    st_q_add(&q, " ORDER BY at, id LIMIT :limit");
    public_list(store_env(s)->public_channels, pub, sizeof pub);
    st_q_int(&q, "from", from);
    st_q_int(&q, "to", to);
    st_q_int(&q, "limit", limit);
    st_q_text(&q, "public", pub);
    int rc = st_q_prepare(s, &q, 0, &st, e);
    st_q_release(&q);
    if (rc) return rc;
    rc = each_event(st, fn, ctx, e);
    db_finalize(st);
    return rc;
}

/* ---- lists, search and duplicates ------------------------------------------------ */

/* Brings the text index up to date before a search (where it needs it). */
/* The last id of the next batch to index and how many it holds. */
static int text_next(store *s, int max_rows, int64_t *upto, int64_t *n, err *e) {
    db_stmt *st = st_prep(s, Q_TEXT_NEXT, e);
    if (!st) return ERR_IO;
    db_bind_int(st, 1, max_rows < 1 ? 1 : max_rows);
    int rc = db_first(st, e);
    *upto = rc ? 0 : db_col_int(st, 0);
    *n = rc ? 0 : db_col_int(st, 1);
    db_reset(st);
    return rc;
}

int store_text_index(store *s, int max_rows, int *indexed, err *e) {
    int64_t upto, n;
    *indexed = 0;
    if (!st_sql(s, &store_sql_text[Q_TEXT_NEXT])[0]) return 0;
    /* asked first without the write lock: an idle server takes none */
    int rc = text_next(s, max_rows, &upto, &n, e);
    if (rc || !n) return st_fail(rc, e, "search index");
    if ((rc = st_tx_begin(s, e))) return rc;
    rc = text_next(s, max_rows, &upto, &n, e);
    for (int q = Q_TEXT_CATCH_UP; !rc && n > 0 && q <= Q_TEXT_MARK; q++) {
        db_stmt *st = st_prep(s, q, e);
        if (!st) {
            rc = ERR_IO;
            break;
        }
        db_bind_int(st, 1, upto);
        rc = db_run(st, e);
    }
    rc = st_tx_end(s, st_fail(rc, e, "search index"), e);
    if (!rc) *indexed = (int)n;
    return rc;
}

#define FEW_IN_RANGE 2000

/* Whether at most FEW_IN_RANGE cases (of the unit) have their next deadline
 * in the filter's range: a bounded count on the deadline index. */
static int few_in_range(store *s, const store_case_filter *f, bool via_units, bool *few, err *e) {
    db_stmt *st;
    int64_t hi = f->overdue_at ? f->overdue_at + 1 : INT64_MAX;
    if (f->due_before && f->due_before < hi) hi = f->due_before;
    int rc = st_prepare(s, via_units ? "SELECT count(*) FROM (SELECT 1 FROM case_units"
                                       " WHERE unit_id = ?1 AND returned_at IS NULL"
                                       " AND next_due IS NOT NULL AND next_due < ?2 LIMIT ?3) x"
                                     : "SELECT count(*) FROM (SELECT 1 FROM cases"
                                       " WHERE next_due IS NOT NULL AND next_due < ?2 LIMIT ?3) x",
                        0, &st, e);
    if (rc) return st_fail(rc, e, "list cases");
    db_bind_id(st, 1, f->unit_id);
    db_bind_int(st, 2, hi);
    db_bind_int(st, 3, FEW_IN_RANGE + 1);
    if (!(rc = db_first(st, e))) *few = db_col_int(st, 0) <= FEW_IN_RANGE;
    db_finalize(st);
    return st_fail(rc, e, "list cases");
}

/* One page of a list. Only fixed fragments go into the SQL; every value is
 * bound. Each filter and sort of a work queue has an index that yields the
 * page in order (migration 11), so a page costs the same in a unit with a
 * hundred cases or a hundred thousand: a unit's list is driven by its
 * case_units rows, which carry the case's next deadline; "overdue" is the
 * next deadline passed (exactly core's case_overdue). A pending-request
 * filter starts from the few pending cases instead. */
static int list_or_count(store *s, const store_case_filter *f, store_case_fn fn, void *ctx,
                         int64_t *count, err *e) {
    db_stmt *st;
    int rc = 0, n = 0, limit = f->limit < 1 ? 100 : f->limit > 1000 ? 1000 : f->limit;
    bool trigram = f->text && text_len(f->text) >= 3;
    if (f->text && strlen(f->text) > 300)
        return err_set(e, ERR_INVALID, "text", "search text is longer than 300 bytes");
    store_sort sort = f->newest_first ? STORE_SORT_NEWEST : f->sort;
    bool by_due = sort == STORE_SORT_NEXT_DUE, desc = sort == STORE_SORT_NEWEST;
    /* k: where the sort keys are read, the unit's rows or the case itself */
    bool via_units = f->unit_id && !f->lead_only && f->pending == STORE_PENDING_ANY_OR_NONE;
    const char *k = via_units ? "cu" : "c", *kid = via_units ? "cu.case_id" : "c.id";
    /* A range on the deadline serves a deadline order, and an id order when
     * it holds few cases: they are found by the range and sorted ("+" keeps
     * the id index out). Otherwise the open cases are walked by id and the
     * page fills fast ("+" keeps the range index out). */
    bool few = false;
    if (!by_due && (f->due_before || f->overdue_at) &&
        (rc = few_in_range(s, f, via_units, &few, e)))
        return rc;
    const char *by_id = few ? "+" : "";
    static const char *const pending_sql[] = {
        "", " AND c.pending IS NOT NULL AND c.pending = 'extension'",
        " AND c.pending IS NOT NULL AND c.pending = 'plan'", " AND c.pending IS NOT NULL"};
    char pub[256];
    public_list(store_env(s)->public_channels, pub, sizeof pub);
    st_query q;
    st_q_init(&q);
    st_q_add(&q, "%s%s" CASE_JOINS " WHERE ", count ? "SELECT count(*)" : st_sql(s, &store_sql_case_cols),
             via_units ? " FROM case_units cu JOIN cases c ON c.id = cu.case_id" : " FROM cases c");
    if (by_due)
        st_q_add(&q, "%s.next_due IS NOT NULL AND (%s.next_due, %s) > (:after_due, :after)", k, k, kid);
    else
        st_q_add(&q, "%s%s %s :after", by_id, kid, desc ? "<" : ">");
    if (via_units)
        st_q_add(&q, " AND cu.unit_id = :unit AND cu.returned_at IS NULL");
    else if (f->unit_id && f->lead_only)
        st_q_add(&q, " AND c.lead_unit_id = :unit");
    else if (f->unit_id) /* checked per pending case */
        st_q_add(&q, " AND EXISTS (SELECT 1 FROM case_units u WHERE u.case_id = c.id"
                     " AND u.unit_id = :unit AND u.returned_at IS NULL)");
    if (f->no_lead) st_q_add(&q, " AND c.lead_unit_id IS NULL");
    st_q_add(&q, "%s", pending_sql[f->pending]);
    const char *range = by_due || few ? "" : "+";
    if (f->next_kind > 0 || f->due_before || f->overdue_at) st_q_add(&q, " AND %s.next_due IS NOT NULL", k);
    if (f->next_kind > 0) st_q_add(&q, " AND %s.next_kind = :kind", k);
    if (f->due_before) st_q_add(&q, " AND %s%s.next_due < :before", range, k);
    if (f->overdue_at) st_q_add(&q, " AND %s%s.next_due <= :overdue_at", range, k);
    /* a unit's rows carry the status: its queue of one status is read by
     * their index (migration 34), not by testing every case it had. The
     * cast: SQLite weighs a bare parameter against the constants of partial
     * indexes (cases_purge's status = 'closed') and ties the plan to the
     * value bound, recompiling the statement at every run. */
    if (f->status >= 0)
        st_q_add(&q, "%s AND c.status = CAST(:status AS TEXT)", via_units ? " AND cu.status = :status" : "");
    if (f->review > REVIEW_NONE && f->review < REVIEW_COUNT) /* a name from core's table */
        st_q_add(&q, " AND c.review = '%s'", case_review_name((case_review)f->review));
    if (f->open_only) /* the partial indexes' own terms (migration 24) */
        st_q_add(&q, " AND c.status <> 'closed' AND c.status <> 'merged'");
    if (f->channel >= 0) st_q_add(&q, " AND c.channel = :channel");
    if (f->klass >= 0) st_q_add(&q, " AND c.class = :class");
    if (f->appeal) st_q_add(&q, " AND c.appeal_type IS NOT NULL AND c.appeal_type = :appeal");
    if (f->instructed) st_q_add(&q, " AND c.instructed_at IS NOT NULL");
    if (f->returned) /* few cases: the dispatcher's 退单 queue goes with status */
        st_q_add(&q, " AND EXISTS (SELECT 1 FROM case_units r WHERE r.case_id = c.id AND r.returned_at IS NOT NULL)");
    if (f->category_id) st_q_add(&q, " AND c.category_id = :category");
    if (f->township_id) st_q_add(&q, " AND c.township_id = :township");
    if (f->received_from) st_q_add(&q, " AND c.received_at >= :received_from");
    if (f->received_to) st_q_add(&q, " AND c.received_at < :received_to");
    if (f->text) st_q_add(&q, "%s", st_sql(s, trigram ? &store_sql_text_filter : &store_sql_text_filter_short));
    if (f->public_only) st_q_add(&q, "%s", st_sql(s, &store_sql_public_filter));
    if (count)
        ; /* every match, in no order */
    else if (by_due)
        st_q_add(&q, " ORDER BY %s.next_due, %s LIMIT :limit", k, kid);
    else
        st_q_add(&q, " ORDER BY %s%s%s LIMIT :limit", by_id, kid, desc ? " DESC" : "");
    st_q_int(&q, "after", desc && !f->after_id ? INT64_MAX : f->after_id);
    st_q_int(&q, "after_due", f->after_id ? f->after_due : INT64_MIN);
    if (f->status >= 0) st_q_text(&q, "status", case_status_name((case_status)f->status));
    st_q_id(&q, "unit", f->unit_id);
    if (f->channel >= 0) st_q_text(&q, "channel", case_channel_name((case_channel)f->channel));
    if (f->klass >= 0) st_q_text(&q, "class", case_class_name((case_class)f->klass));
    st_q_id(&q, "category", f->category_id);
    st_q_id(&q, "township", f->township_id);
    st_q_id(&q, "received_from", f->received_from);
    st_q_id(&q, "received_to", f->received_to);
    st_q_text(&q, "text", f->text);
    st_q_int(&q, "limit", limit);
    st_q_text(&q, "public", pub);
    if (f->next_kind > 0) st_q_text(&q, "kind", case_due_name((case_due_kind)(f->next_kind - 1)));
    st_q_int(&q, "before", f->due_before);
    st_q_int(&q, "overdue_at", f->overdue_at);
    if (f->appeal) st_q_text(&q, "appeal", case_appeal_name((case_appeal)f->appeal));
    rc = st_q_prepare(s, &q, 0, &st, e);
    st_q_release(&q);
    if (rc) return st_fail(rc, e, "list cases");
    case_rec *page = calloc(count ? 1 : (size_t)limit, sizeof *page);
    if (!page) {
        db_finalize(st);
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    if (count && !(rc = db_first(st, e))) *count = db_col_int(st, 0);
    while (!count && n < limit && db_next(st, &rc, e)) {
        case_rec *c = &page[n];
        if (!(rc = st_read_case(st, c, e)))
            n++;
        else
            case_rec_clear(c);
    }
    db_finalize(st);
    for (int i = 0; i < n; i++) {
        if (!rc) rc = fn(ctx, &page[i]);
        case_rec_clear(&page[i]);
    }
    free(page);
    return rc;
}

int store_case_list(store *s, const store_case_filter *f, store_case_fn fn, void *ctx, err *e) {
    return list_or_count(s, f, fn, ctx, NULL, e);
}

int store_case_count(store *s, const store_case_filter *f, int64_t *n, err *e) {
    *n = 0;
    store_case_filter all = *f;
    all.after_id = all.after_due = 0;
    return list_or_count(s, &all, NULL, NULL, n, e);
}

/* Calls fn for case id unless already seen or outside the unit. */
static int emit_id(store *s, int64_t id, int64_t unit, int64_t *seen, int *n, store_case_fn fn,
                   void *ctx, err *e) {
    for (int i = 0; i < *n; i++)
        if (seen[i] == id) return 0;
    case_rec c;
    int rc = store_case_get_scoped(s, id, unit, &c, e);
    if (rc) return rc == ERR_NOTFOUND ? 0 : rc;
    seen[(*n)++] = id;
    rc = fn(ctx, &c);
    case_rec_clear(&c);
    return rc;
}

/* emit_id for the id in the first column of each row, up to limit. */
static int emit_ids(store *s, db_stmt *st, int64_t unit, int64_t *seen, int *n, int limit,
                    store_case_fn fn, void *ctx, err *e) {
    int rc = 0;
    while (*n < limit && db_next(st, &rc, e) &&
           !(rc = emit_id(s, db_col_int(st, 0), unit, seen, n, fn, ctx, e))) {}
    return rc;
}

typedef struct tail_hit { int64_t id; int shared; } tail_hit;

static int cmp_hit(const void *a, const void *b) {
    const tail_hit *x = a, *y = b;
    if (x->shared != y->shared) return y->shared - x->shared;
    return (y->id > x->id) - (y->id < x->id); /* newest first */
}

/* How many of the text's 3-character runs occur in s. */
static int shared_runs(const char *text, const char *s) {
    int shared = 0;
    char run[16];
    for (const char *p = text; s && *p;) {
        const char *end = p;
        for (int chars = 0; *end && chars < 3; chars++) {
            end++;
            while ((*end & 0xc0) == 0x80) end++;
        }
        if (end - p >= (ptrdiff_t)sizeof run) break;
        memcpy(run, p, (size_t)(end - p));
        run[end - p] = '\0';
        shared += strstr(s, run) != NULL;
        if (!*end) break;
        p++;
        while ((*p & 0xc0) == 0x80) p++;
    }
    return shared;
}

/* The cases the indexer has not reached (the last second's), ranked by the
 * runs of text they share, as the index would (SQLite; PostgreSQL indexes at
 * intake): an operator taking a second call about the same lamp sees the
 * first one at once. */
static int similar_tail(store *s, const char *text, int64_t since, int64_t unit, int64_t *seen,
                        int *n, int limit, store_case_fn fn, void *ctx, err *e) {
    if (!st_sql(s, &store_sql_text[Q_SIMILAR_TAIL])[0]) return 0;
    db_stmt *st = st_prep(s, Q_SIMILAR_TAIL, e);
    if (!st) return ERR_IO;
    tail_hit *hits = NULL;
    size_t nh = 0, cap = 0;
    int rc = 0;
    db_bind_int(st, 1, since);
    while (db_next(st, &rc, e)) {
        int shared = shared_runs(text, db_col_text(st, 1)) + shared_runs(text, db_col_text(st, 2));
        if (shared && !(rc = st_grow(&hits, &cap, nh, sizeof *hits, e)))
            hits[nh++] = (tail_hit){db_col_int(st, 0), shared};
        if (rc) break;
    }
    db_reset(st);
    if (nh) qsort(hits, nh, sizeof *hits, cmp_hit); /* qsort(NULL, 0) is undefined */
    for (size_t i = 0; !rc && i < nh && *n < limit; i++)
        rc = emit_id(s, hits[i].id, unit, seen, n, fn, ctx, e);
    free(hits);
    return rc;
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

/* Every 3-character run of the text as FTS5 phrases, ORed (SQLite's query). */
static void trigram_query(const char *text, char *query, size_t cap) {
    char phrase[64];
    const char *p = text;
    size_t q = 0;
    query[0] = '\0';
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
        q += (size_t)snprintf(query + q, cap - q, "%s%s", q ? " OR " : "", phrase);
        if (q >= cap) break;
        do p++;
        while ((*p & 0xc0) == 0x80);
    }
}

int store_case_similar(store *s, const char *text, const char *phone, int64_t since,
                       int64_t unit, int limit, store_case_fn fn, void *ctx, err *e) {
    int64_t seen[50];
    int n = 0, rc = 0;
    db_stmt *st;
    if (limit < 1 || limit > 50) limit = 10;
    if (phone && phone[0]) {
        if (!(st = st_prep(s, Q_SIMILAR_PHONE, e))) return ERR_IO;
        db_bind_text(st, 1, phone);
        db_bind_int(st, 2, since);
        rc = emit_ids(s, st, unit, seen, &n, limit, fn, ctx, e);
        db_reset(st);
    }
    if (rc || !text || text_len(text) < 3 || n >= limit) return rc;
    if (strlen(text) > 300) return err_set(e, ERR_INVALID, "text", "text is longer than 300 bytes");
    if ((rc = similar_tail(s, text, since, unit, seen, &n, limit, fn, ctx, e)) || n >= limit)
        return st_fail(rc, e, "similar");
    char query[4096];
    trigram_query(text, query, sizeof query);
    if (!(st = st_prep(s, Q_SIMILAR_TEXT, e))) return ERR_IO;
    db_bind_text(st, 1, query);
    db_bind_int(st, 2, since);
    db_bind_text(st, 3, text);
    rc = emit_ids(s, st, unit, seen, &n, limit, fn, ctx, e);
    db_reset(st);
    return st_fail(rc, e, "similar");
}

/* ---- places, attributes, numbers ------------------------------------------------- */

int store_place_set(store *s, int64_t case_id, const store_place *p, err *e) {
    db_stmt *st = NULL;
    int rc = st_tx_begin(s, e);
    if (rc) return rc;
    if ((st = st_prep(s, Q_PLACE_PUT, e))) {
        db_bind_int(st, 1, case_id);
        if (p->has_point) {
            db_bind_double(st, 2, p->lat);
            db_bind_double(st, 3, p->lon);
        } else {
            db_bind_null(st, 2);
            db_bind_null(st, 3);
        }
        db_bind_text(st, 4, p->address[0] ? p->address : NULL);
        db_bind_text(st, 5, p->address_id[0] ? p->address_id : NULL);
        rc = db_run(st, e);
    } else {
        rc = ERR_IO;
    }
    if (!rc && p->n_media &&
        !(rc = st_prepare(s, "INSERT INTO case_media(case_id, url) VALUES(?1, ?2)", 0, &st, e))) {
        for (int i = 0; rc == 0 && i < p->n_media; i++) {
            db_reset(st);
            db_bind_int(st, 1, case_id);
            db_bind_text(st, 2, p->media[i]);
            rc = db_run(st, e);
        }
        db_finalize(st);
    }
    return st_tx_end(s, st_fail(rc, e, "place"), e);
}

int store_place_get(store *s, int64_t case_id, store_place *p, err *e) {
    db_stmt *st;
    memset(p, 0, sizeof *p);
    int rc = st_prepare(s, "SELECT lat, lon, address, address_id FROM case_locations"
                           " WHERE case_id = ?1", 0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, case_id);
    if (db_next(st, &rc, e)) {
        p->has_point = !db_col_null(st, 0);
        p->lat = db_col_double(st, 0);
        p->lon = db_col_double(st, 1);
        st_col_copy(st, 2, p->address, sizeof p->address);
        st_col_copy(st, 3, p->address_id, sizeof p->address_id);
    }
    db_finalize(st);
    if (rc || (rc = st_prepare(s, "SELECT url FROM case_media WHERE case_id = ?1 ORDER BY rowid",
                               0, &st, e)))
        return st_fail(rc, e, "place");
    db_bind_int(st, 1, case_id);
    while (db_next(st, &rc, e))
        if (p->n_media < STORE_MAX_MEDIA) st_col_copy(st, 0, p->media[p->n_media++], sizeof p->media[0]);
    db_finalize(st);
    return st_fail(rc, e, "media");
}

int store_case_id_by_no(store *s, const char *case_no, int64_t *id, err *e) {
    db_stmt *st;
    *id = 0;
    int rc = st_prepare(s, "SELECT id FROM cases WHERE case_no = ?1", 0, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, case_no);
    if (!(rc = db_first(st, e))) *id = db_col_int(st, 0);
    db_finalize(st);
    if (rc == ERR_NOTFOUND) err_set(e, rc, "case_no", "unknown case number '%s'", case_no);
    return rc;
}

int store_case_attributes(store *s, int64_t case_id, store_case_attribute_fn fn, void *ctx, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT code, value FROM case_attributes WHERE case_id = ?1 ORDER BY code", 0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, case_id);
    while (db_next(st, &rc, e)) rc = fn(ctx, db_col_text(st, 0), db_col_text(st, 1));
    db_finalize(st);
    return st_fail(rc, e, "case attributes");
}

int store_case_attribute_set(store *s, int64_t case_id, const char *code, const char *value, err *e) {
    int rc = st_tx_begin(s, e);
    if (rc) return rc;
    db_stmt *st = st_prep(s, Q_ATTRIBUTE_PUT, e);
    if (!st) {
        rc = ERR_IO;
    } else {
        db_bind_int(st, 1, case_id);
        db_bind_text(st, 2, code);
        db_bind_text(st, 3, value);
        rc = db_run(st, e);
    }
    return st_tx_end(s, st_fail(rc, e, "attribute"), e);
}
