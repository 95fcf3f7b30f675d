/* store_eval: see store_eval.h. */
#include "store/store_eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metrics.h"
#include "store/store_auth.h"
#include "store/store_case.h"
#include "store/store_chain.h"
#include "store/store_int.h"
#include "store/store_query.h"
#include "store/store_ref.h"

#define POINT_COLS "p.id, p.code, p.name, p.place, u.id, u.code, u.name, p.active, p.created_at"
#define POINT_FROM " FROM service_points p JOIN units u ON u.id = p.unit_id"

static void read_point(db_stmt *st, service_point *p) {
    memset(p, 0, sizeof *p);
    p->id = db_col_int(st, 0);
    st_col_copy(st, 1, p->code, sizeof p->code);
    p->name = st_col_dup(st, 2);
    p->place = st_col_dup(st, 3);
    st_read_ref(st, 4, &p->unit);
    p->active = db_col_int(st, 7) != 0;
    p->created_at = db_col_int(st, 8);
}

/* sql: the point's select with its WHERE (POINT_SELECT), ?1 the code or id */
#define POINT_SELECT "SELECT " POINT_COLS POINT_FROM " WHERE "

static int point_where(store *s, const char *sql, int64_t id, const char *code,
                       service_point *out, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, sql, 0, &st, e);
    if (rc) return rc;
    if (code)
        db_bind_text(st, 1, code);
    else
        db_bind_int(st, 1, id);
    if ((rc = db_first(st, e)) == 0) read_point(st, out);
    if (rc == ERR_NOTFOUND) err_set(e, ERR_NOTFOUND, code ? "code" : "id", "no service point %s",
                                    code ? code : "with that id");
    db_finalize(st);
    return rc;
}

int store_point_get(store *s, int64_t id, service_point *out, err *e) {
    return point_where(s, POINT_SELECT "p.id = ?1", id, NULL, out, e);
}

int store_point_by_code(store *s, const char *code, service_point *out, err *e) {
    return point_where(s, POINT_SELECT "p.code = ?1", 0, code, out, e);
}

/* A code nobody can guess from another: random (or, for the demo, from its
 * key source, so that a seed gives the same codes). */
static void new_code(store *s, int64_t salt, char out[POINT_CODE_LEN + 1]) {
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789"; /* 32: no bias */
    unsigned char key[32];
    st_new_key(s, -1 - salt, key);
    for (int i = 0; i < POINT_CODE_LEN; i++) out[i] = alphabet[key[i] & 31];
    out[POINT_CODE_LEN] = '\0';
}

int store_point_put(store *s, service_point *p, int64_t now, err *e) {
    int rc = point_check(p, e);
    if (rc) return rc;
    if (store_unit_find(s, p->unit.code, &p->unit, e))
        return err_set(e, ERR_INVALID, "unit", "no unit '%s'", p->unit.code);
    if ((rc = st_tx_begin(s, e))) return rc;
    db_stmt *st = NULL;
    if (p->id) {
        rc = st_prepare(s, "UPDATE service_points SET name = ?2, place = ?3, unit_id = ?4,"
                           " active = ?5 WHERE id = ?1", 0, &st, e);
    } else {
        new_code(s, now * 1000 + p->unit.id % 1000, p->code);
        p->created_at = now;
        rc = st_prepare(s, "INSERT INTO service_points(code, name, place, unit_id, active,"
                           " created_at) VALUES(?6, ?2, ?3, ?4, ?5, ?7)", DB_RETURNS_ID, &st, e);
    }
    if (!rc) {
        if (p->id) db_bind_int(st, 1, p->id);
        db_bind_text(st, 2, p->name);
        db_bind_text(st, 3, p->place && p->place[0] ? p->place : NULL);
        db_bind_int(st, 4, p->unit.id);
        db_bind_int(st, 5, p->active);
        if (!p->id) {
            db_bind_text(st, 6, p->code);
            db_bind_int(st, 7, now);
        }
        rc = st_fail(db_run(st, e), e, "service point");
        if (!rc && !p->id) p->id = db_last_id(s->db);
        else if (!rc && db_changes(s->db) == 0)
            rc = err_set(e, ERR_NOTFOUND, "id", "no service point %lld", (long long)p->id);
        db_finalize(st);
    }
    return st_tx_end(s, rc, e);
}

int store_point_list(store *s, int64_t unit_id, store_point_fn fn, void *ctx, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT " POINT_COLS POINT_FROM " WHERE (?1 = 0 OR p.unit_id = ?1)"
                           " ORDER BY u.code, p.name, p.id", 0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, unit_id);
    while (db_next(st, &rc, e)) {
        service_point p;
        read_point(st, &p);
        rc = fn(ctx, &p);
        point_clear(&p);
    }
    db_finalize(st);
    return rc;
}

/* The evaluations of point since `since` from this device (addr NULL) or
 * this address. */
static int recent(store *s, int64_t point, int64_t since, const unsigned char *device,
                  const char *addr, int64_t *n, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, device ? "SELECT count(*) FROM evaluations WHERE point_id = ?1"
                                    " AND at >= ?2 AND device = ?3"
                                  : "SELECT count(*) FROM evaluations WHERE point_id = ?1"
                                    " AND at >= ?2 AND addr = ?3", 0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, point);
    db_bind_int(st, 2, since);
    if (device)
        db_bind_blob(st, 3, device, 16);
    else
        db_bind_text(st, 3, addr);
    if (!(rc = db_first(st, e))) *n = db_col_int(st, 0);
    db_finalize(st);
    return rc;
}

/* Two evaluations from one device at once: the second waits for the
 * first's commit (SQLite's single writer does it already). */
static const store_sql lock_point = {"", "SELECT id FROM service_points WHERE id = ?1 FOR UPDATE"};

static int throttle(store *s, const service_point *p, const store_eval_source *src, int64_t now,
                    err *e) {
    int64_t n = 0;
    db_stmt *st;
    int rc = 0;
    if (st_sql(s, &lock_point)[0] && !(rc = st_prepare(s, st_sql(s, &lock_point), 0, &st, e))) {
        db_bind_int(st, 1, p->id);
        rc = db_first(st, e);
        db_finalize(st);
    }
    if (rc || (rc = recent(s, p->id, now - 3600, src->device, NULL, &n, e))) return rc;
    if (n > 0)
        return err_set(e, ERR_THROTTLED, "device",
                       "this device has evaluated this service point within the hour");
    if ((rc = recent(s, p->id, now - 3600, NULL, src->addr, &n, e))) return rc;
    if (n >= src->addr_per_hour)
        return err_set(e, ERR_THROTTLED, "addr",
                       "too many evaluations of this service point from one address this hour");
    return 0;
}

static int make_case(store *s, const service_point *p, const evaluation *ev, int64_t now,
                     case_rec *c, err *e) {
    char title[256], desc[2048];
    case_rec in = {0};
    eval_case(ev, p, now, &in, title, sizeof title, desc, sizeof desc);
    int rc = store_case_create(s, &in, "码上评", e);
    if (rc) return rc;
    case_req r = {.action = ACT_DISPATCH, .at = now, .actor = "码上评", .until = INT32_MIN,
                  .solved = -1, .lead = p->unit};
    return st_act_in_tx(s, in.id, 0, &r, c, e);
}

/* The page's token, once: its nonce kept (those past any token's life
 * dropped as it goes). */
static int take_token(store *s, const unsigned char nonce[16], int64_t now, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "DELETE FROM eval_tokens WHERE used_at < ?1", 0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, now - EVAL_TOKEN_TTL - 3600);
    rc = db_run(st, e);
    db_finalize(st);
    if (rc || (rc = st_prepare(s, "INSERT INTO eval_tokens(nonce, used_at) VALUES(?1, ?2) ON CONFLICT DO NOTHING", 0,
                               &st, e)))
        return rc;
    db_bind_blob(st, 1, nonce, 16);
    db_bind_int(st, 2, now);
    rc = db_run(st, e);
    db_finalize(st);
    if (!rc && db_changes(s->db) != 1)
        rc = err_set(e, ERR_CONFLICT, "token", "this page has sent its evaluation already: reload it to send another");
    return rc;
}

struct held_values {
    int64_t point, now;
};

static void held_values(st_query *q, void *ctx) {
    const struct held_values *x = ctx;
    st_q_int(q, "point", x->point);
    st_q_int(q, "since", x->now - 3600);
    st_q_int(q, "now", x->now);
}

/* Whether an evaluation arriving now at point p is part of a burst, and if
 * so the hour's others held with it (each noted in the chain). */
static int burst(store *s, const service_point *p, int64_t now, bool *held, err *e) {
    char rule[32] = STORE_BURST_DEFAULT;
    int least = 20, factor = 3;
    store_config_get(s, "qr_burst", rule, sizeof rule, NULL);
    sscanf(rule, "%d/%d", &least, &factor);
    db_stmt *st;
    int64_t hour = 0, busiest = 0;
    int rc = st_prepare(s, "SELECT count(*) FROM evaluations WHERE point_id = ?1 AND at > ?2", 0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, p->id);
    db_bind_int(st, 2, now - 3600);
    if (!(rc = db_first(st, e))) hour = db_col_int(st, 0);
    db_finalize(st);
    if (rc || hour + 1 <= least) return rc;
    if ((rc = st_prepare(s, "SELECT coalesce(max(n), 0) FROM (SELECT at / 3600 AS h, count(*) AS n FROM evaluations"
                            " WHERE point_id = ?1 AND at >= ?2 AND at <= ?3 GROUP BY at / 3600) x", 0, &st, e)))
        return rc;
    db_bind_int(st, 1, p->id);
    db_bind_int(st, 2, now - 28 * 86400);
    db_bind_int(st, 3, now - 3600);
    if (!(rc = db_first(st, e))) busiest = db_col_int(st, 0);
    db_finalize(st);
    if (rc || hour + 1 <= busiest * factor) return rc;
    *held = true;
    /* the hour's others not yet held: held too, from now (they counted until now) */
    struct held_values x = {p->id, now};
    return st_chain_rewrite(s, CHAIN_EVALUATIONS, "hold = 'held', held_at = :now",
                            "point_id = :point AND at > :since AND hold IS NULL", held_values, &x, now, e);
}

int store_eval_add(store *s, const service_point *p, const evaluation *ev,
                   const store_eval_source *src, int64_t now, case_rec *c, bool *held, err *e) {
    memset(c, 0, sizeof *c);
    *held = false;
    int rc = eval_check(ev, e);
    if (rc) return rc;
    if (!p->active) return err_set(e, ERR_CONFLICT, "code", "this service point no longer takes evaluations");
    /* a batch, so that the case's own transaction nests; everything in one
     * savepoint, so that a refusal undoes only this (inside a caller's batch
     * too) */
    if ((rc = store_begin(s, e))) return rc;
    if ((rc = st_tx_begin(s, e))) {
        store_rollback(s);
        return rc;
    }
    db_stmt *st = NULL;
    if (!(rc = throttle(s, p, src, now, e)) && !(rc = src->nonce ? take_token(s, src->nonce, now, e) : 0) &&
        !(rc = burst(s, p, now, held, e)) && eval_makes_case(ev) && !*held)
        rc = make_case(s, p, ev, now, c, e);
    if (!rc && !(rc = st_prepare(s, "INSERT INTO evaluations(point_id, unit_id, level, reasons,"
                                    " comment, device, addr, at, case_id, named, hold, held_at)"
                                    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", DB_RETURNS_ID, &st, e))) {
        db_bind_int(st, 1, p->id);
        db_bind_int(st, 2, p->unit.id);
        db_bind_int(st, 3, ev->level);
        db_bind_int(st, 4, ev->reasons);
        db_bind_text(st, 5, ev->comment && ev->comment[0] ? ev->comment : NULL);
        db_bind_blob(st, 6, src->device, 16);
        db_bind_text(st, 7, src->addr);
        db_bind_int(st, 8, now);
        db_bind_id(st, 9, c->id);
        db_bind_int(st, 10, ev->phone && ev->phone[0]); /* 实名: left contact details */
        db_bind_text(st, 11, *held ? "held" : NULL);
        db_bind_id(st, 12, *held ? now : 0);
        rc = st_fail(db_run(st, e), e, "evaluation");
        db_finalize(st);
        if (!rc) rc = st_chain_note(s, CHAIN_EVALUATIONS, db_last_id(s->db), now, e);
    }
    rc = st_tx_end(s, rc, e);
    err ignored = {0};
    int committed = store_commit(s, rc ? &ignored : e);
    if (!rc) rc = committed;
    if (rc) {
        case_rec_clear(c);
        memset(c, 0, sizeof *c);
    }
    return rc;
}

int store_eval_stats(store *s, int64_t from, int64_t to, int64_t at, int64_t unit_id, store_eval_fn fn,
                     void *ctx, err *e) {
    db_stmt *st;
    bool began;
    /* one row an evaluation, by point: counted (no 申诉复核 upheld by `at`),
     * its level, whether its author left contact details, its case's history */
    int rc = st_snapshot_begin(s, &began, e);
    if (rc) return rc;
    rc = st_prepare(s,
                    "SELECT p.id, p.code, p.name, u.id, u.code, u.name, v.level,"
                    " CASE WHEN v.review = 'upheld' AND v.decided_at <= ?4 THEN 0 ELSE 1 END, v.named,"
                    " c.received_at, c.history"
                    " FROM evaluations v JOIN service_points p ON p.id = v.point_id"
                    " JOIN units u ON u.id = v.unit_id LEFT JOIN cases c ON c.id = v.case_id"
                    " WHERE v.at >= ?1 AND v.at < ?2 AND v.at <= ?4 AND (?3 = 0 OR v.unit_id = ?3)"
                    /* held by the burst rule by `at`, and not released by then: in no figure */
                    " AND NOT (v.held_at IS NOT NULL AND v.held_at <= ?4 AND (v.released_at IS NULL OR v.released_at > ?4))"
                    " ORDER BY u.code, p.name, p.id",
                    0, &st, e);
    if (rc) {
        st_snapshot_end(s, began);
        return rc;
    }
    db_bind_int(st, 1, from);
    db_bind_int(st, 2, to);
    db_bind_int(st, 3, unit_id);
    db_bind_int(st, 4, at);
    store_eval_row r = {0};
    char name[256] = "";
    bool any = false;
    while (db_next(st, &rc, e)) {
        int64_t point = db_col_int(st, 0);
        if (any && point != r.point_id) {
            if ((rc = fn(ctx, &r))) break;
            any = false;
        }
        if (!any) {
            memset(&r, 0, sizeof r);
            r.point_id = point;
            st_col_copy(st, 1, r.point_code, sizeof r.point_code);
            st_col_copy(st, 2, name, sizeof name);
            r.point_name = name;
            st_read_ref(st, 3, &r.unit);
            any = true;
        }
        int level = (int)db_col_int(st, 6);
        if (!db_col_int(st, 7)) {
            r.excluded++;
            continue;
        }
        if (level > EV_NONE && level < EV_COUNT) r.by_level[level]++;
        if (!eval_is_bad((eval_level)level)) continue;
        if (!db_col_int(st, 8) || db_col_null(st, 10)) {
            r.bad_anonymous++;
            continue;
        }
        size_t len;
        const unsigned char *h = db_col_blob(st, 10, &len);
        bool due, met;
        met_hist_met(h, len, db_col_int(st, 9), at, &due, &met);
        r.bad_cases++;
        r.bad_due += due;
        r.bad_fixed += met;
    }
    if (!rc && any) rc = fn(ctx, &r);
    db_finalize(st);
    st_snapshot_end(s, began);
    return rc;
}

/* ---- 申诉复核 of a 差评 ---- */

int store_eval_list(store *s, const store_eval_filter *f, store_eval_item_fn fn, void *ctx, err *e) {
    int limit = f->limit < 1 ? 50 : f->limit > 200 ? 200 : f->limit;
    st_query q;
    st_q_init(&q);
    st_q_add(&q, "SELECT v.id, v.at, p.code, p.name, v.comment, u.id, u.code, u.name, v.level, v.reasons,"
                 " c.case_no, v.review, v.review_reason, v.review_by, v.decision_note, v.decided_by,"
                 " v.review_at, v.decided_at, v.hold FROM evaluations v JOIN service_points p ON p.id = v.point_id"
                 " JOIN units u ON u.id = v.unit_id LEFT JOIN cases c ON c.id = v.case_id"
                 " WHERE v.id < :before AND v.at >= :from AND v.at < :to");
    if (f->unit_id) st_q_add(&q, " AND v.unit_id = :unit");
    if (f->bad_only) st_q_add(&q, " AND v.level >= 4");
    if (f->held_only) st_q_add(&q, " AND v.hold = 'held'");
    /* a name from core's table, written in: the 复核 queue's partial index
     * (review = 'pending') serves only its own constant */
    if (f->review > REVIEW_NONE && f->review < REVIEW_COUNT)
        st_q_add(&q, " AND v.review = '%s'", case_review_name((case_review)f->review));
    st_q_add(&q, " ORDER BY v.id DESC LIMIT :limit");
    st_q_int(&q, "before", f->before_id ? f->before_id : INT64_MAX);
    st_q_int(&q, "unit", f->unit_id);
    st_q_int(&q, "from", f->from);
    st_q_int(&q, "to", f->to ? f->to : INT64_MAX);
    st_q_int(&q, "limit", limit);
    db_stmt *st;
    int rc = st_q_prepare(s, &q, 0, &st, e);
    st_q_release(&q);
    if (rc) return st_fail(rc, e, "evaluations");
    while (db_next(st, &rc, e)) {
        store_eval_item it = {.id = db_col_int(st, 0), .at = db_col_int(st, 1),
                              .point_name = db_col_text(st, 3), .comment = db_col_text(st, 4),
                              .level = (eval_level)db_col_int(st, 8),
                              .reasons = (unsigned)db_col_int(st, 9),
                              .review_reason = db_col_text(st, 12), .review_by = db_col_text(st, 13),
                              .decision_note = db_col_text(st, 14), .decided_by = db_col_text(st, 15),
                              .review_at = db_col_int(st, 16), .decided_at = db_col_int(st, 17),
                              .hold = db_col_text(st, 18)};
        st_col_copy(st, 2, it.point_code, sizeof it.point_code);
        st_read_ref(st, 5, &it.unit);
        st_col_copy(st, 10, it.case_no, sizeof it.case_no);
        if (!db_col_null(st, 11)) case_review_parse(db_col_text(st, 11), &it.review, NULL);
        rc = fn(ctx, &it);
    }
    db_finalize(st);
    return rc;
}

/* Why an update of evaluation id changed nothing: it is missing (or
 * another unit's), not a 差评, or not in the state the step needs. */
static int review_refusal(store *s, int64_t id, int64_t unit, bool deciding, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT level, review, unit_id FROM evaluations WHERE id = ?1", 0, &st, e);
    if (rc) return st_fail(rc, e, "evaluation");
    db_bind_int(st, 1, id);
    if ((rc = db_first(st, e)) == 0) {
        const char *review = db_col_text(st, 1);
        if (unit && db_col_int(st, 2) != unit)
            rc = ERR_NOTFOUND;
        else if (db_col_int(st, 0) < EV_UNSATISFIED)
            rc = err_set(e, ERR_CONFLICT, "id", "only a 差评 (不满意 or worse) may be contested");
        else if (deciding)
            rc = err_set(e, ERR_CONFLICT, "id", "no 申诉复核 of this evaluation waits for a decision%s%s",
                         review ? ": it is " : "", review ? review : "");
        else
            rc = err_set(e, ERR_CONFLICT, "id", "this 差评 has been contested already (%s)", review ? review : "?");
    }
    db_finalize(st);
    if (rc == ERR_NOTFOUND) err_set(e, ERR_NOTFOUND, "id", "no evaluation %lld", (long long)id);
    return rc;
}

/* One step of an appeal: the update (which must change the row) and its
 * access-log entry, together. */
static int review_step(store *s, const char *sql, int64_t id, int64_t unit, const char *text,
                       const char *by, int64_t now, bool deciding, int64_t user_id,
                       const char *action, err *e) {
    int rc = store_begin(s, e);
    if (rc) return rc;
    db_stmt *st = NULL;
    if (!(rc = st_tx_begin(s, e))) {
        if ((rc = st_prepare(s, sql, 0, &st, e)) == 0) {
            db_bind_int(st, 1, id);
            db_bind_text(st, 2, text);
            db_bind_text(st, 3, by);
            db_bind_int(st, 4, now);
            db_bind_int(st, 5, unit);
            rc = st_fail(db_run(st, e), e, "evaluation");
            if (!rc && db_changes(s->db) == 0) rc = review_refusal(s, id, unit, deciding, e);
            db_finalize(st);
            if (!rc) rc = st_chain_note(s, CHAIN_EVALUATIONS, id, now, e); /* the decision, chained */
        }
        char detail[96];
        snprintf(detail, sizeof detail, "evaluation %lld", (long long)id);
        if (!rc) rc = store_access_log(s, now, user_id, by, action, 0, detail, e);
        rc = st_tx_end(s, rc, e);
    }
    if (rc) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s, e);
}

int store_eval_review(store *s, int64_t id, int64_t unit, const char *reason, int64_t user_id,
                      const char *by, int64_t now, err *e) {
    return review_step(s,
                       "UPDATE evaluations SET review = 'pending', review_reason = ?2,"
                       " review_by = ?3, review_at = ?4 WHERE id = ?1 AND level >= 4"
                       " AND review IS NULL AND (?5 = 0 OR unit_id = ?5)",
                       id, unit, reason, by, now, false, user_id, "eval_review", e);
}

int store_eval_decide(store *s, int64_t id, bool upheld, const char *note, int64_t user_id,
                      const char *by, int64_t now, err *e) {
    return review_step(s,
                       upheld ? "UPDATE evaluations SET review = 'upheld', decision_note = ?2,"
                                " decided_by = ?3, decided_at = ?4 WHERE id = ?1 AND ?5 = 0"
                                " AND review = 'pending'"
                              : "UPDATE evaluations SET review = 'rejected', decision_note = ?2,"
                                " decided_by = ?3, decided_at = ?4 WHERE id = ?1 AND ?5 = 0"
                                " AND review = 'pending'",
                       id, 0, note, by, now, true, user_id, upheld ? "eval_review_upheld" : "eval_review_rejected", e);
}

int store_eval_release(store *s, int64_t id, bool release, const char *note, int64_t user_id, const char *by,
                       int64_t now, err *e) {
    int rc = store_begin(s, e);
    if (rc) return rc;
    db_stmt *st = NULL;
    if (!(rc = st_tx_begin(s, e))) {
        if (!(rc = st_prepare(s, release ? "UPDATE evaluations SET hold = 'released', released_at = ?3, hold_by = ?4,"
                                           " hold_note = ?2 WHERE id = ?1 AND hold = 'held'"
                                         : "UPDATE evaluations SET hold = 'discarded', hold_by = ?4, hold_note = ?2"
                                           " WHERE id = ?1 AND hold = 'held' AND ?3 > 0",
                              0, &st, e))) {
            db_bind_int(st, 1, id);
            db_bind_text(st, 2, note);
            db_bind_int(st, 3, now);
            db_bind_text(st, 4, by);
            rc = st_fail(db_run(st, e), e, "evaluation");
            if (!rc && db_changes(s->db) == 0)
                rc = err_set(e, ERR_CONFLICT, "id", "evaluation %lld is not held for review", (long long)id);
            db_finalize(st);
        }
        if (!rc) rc = st_chain_note(s, CHAIN_EVALUATIONS, id, now, e);
        char detail[96];
        snprintf(detail, sizeof detail, "evaluation %lld", (long long)id);
        if (!rc) rc = store_access_log(s, now, user_id, by, release ? "eval_released" : "eval_discarded", 0, detail, e);
        rc = st_tx_end(s, rc, e);
    }
    if (rc) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s, e);
}
