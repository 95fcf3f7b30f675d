/* store_outbox: see store_outbox.h. */
#include "store/store_outbox.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/eval.h"
#include "core/view.h"
#include "store/store_case.h"
#include "store/store_int.h"
#include "store/store_report.h"
#include "util/text.h"

#define COLLECT_MAX 1000 /* rows of each source a turn */

typedef struct collect {
    store *s;
    int64_t now;
    int start, end;        /* working hours, minutes */
    int64_t repeat_s;      /* a reminder at most this often per case */
    const char *site;
    int64_t added;
} collect;

static int64_t cursor_get(store *s, const char *key) { return store_config_int(s, key, 0); }

static int cursor_set(store *s, const char *key, int64_t v, err *e) {
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)v);
    db_stmt *st = st_prep(s, Q_CONFIG_SET, e);
    if (!st) return ERR_IO;
    db_bind_text(st, 1, key);
    db_bind_text(st, 2, text);
    return st_fail(db_run(st, e), e, "outbox cursor");
}

/* Whether a row of this kind went out for the case within the interval. */
static int repeated(collect *c, notify_kind k, int64_t case_id, bool *yes, err *e) {
    db_stmt *st;
    int rc = st_prepare(c->s, "SELECT 1 FROM outbox WHERE case_id = ?1 AND kind = ?2 AND created_at > ?3", 0, &st, e);
    if (rc) return st_fail(rc, e, "outbox");
    db_bind_int(st, 1, case_id);
    db_bind_text(st, 2, notify_kind_name(k));
    db_bind_int(st, 3, c->now - c->repeat_s);
    rc = db_first(st, e);
    *yes = rc == 0;
    db_finalize(st);
    return rc == ERR_NOTFOUND ? 0 : rc;
}

/* Adds a row (body: what the platform gets, this call's own). */
/* Messages to a phone number since `since`. */
static int64_t sent_to(collect *c, const char *phone, int64_t since) {
    db_stmt *st;
    int64_t n = 0;
    if (st_prepare(c->s, "SELECT count(*) FROM outbox WHERE phone = ?1 AND created_at > ?2", 0, &st, NULL)) return INT64_MAX;
    db_bind_text(st, 1, phone);
    db_bind_int(st, 2, since);
    if (!db_first(st, NULL)) n = db_col_int(st, 0);
    db_finalize(st);
    return n;
}

static int add(collect *c, notify_kind k, int64_t case_id, int64_t unit_id, bool urgent, json_t *body, err *e) {
    json_object_set_new(body, "kind", json_string(notify_kind_name(k)));
    json_object_set_new(body, "urgent", json_boolean(urgent));
    char *text = json_dumps(body, JSON_COMPACT);
    /* a citizen's number, kept beside the body for the limit per number */
    const char *phone = json_string_value(json_object_get(json_object_get(body, "to"), "phone"));
    if (!text) {
        json_decref(body);
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    int64_t at = notify_not_before(store_env(c->s)->cal, store_env(c->s)->tz, c->now, c->start, c->end, urgent);
    db_stmt *st;
    int rc = st_prepare(c->s, "INSERT INTO outbox(kind, case_id, unit_id, urgent, body, created_at, not_before, next_at,"
                              " phone) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)", 0, &st, e);
    if (!rc) {
        db_bind_text(st, 1, notify_kind_name(k));
        db_bind_id(st, 2, case_id);
        db_bind_id(st, 3, unit_id);
        db_bind_int(st, 4, urgent);
        db_bind_text(st, 5, text);
        db_bind_int(st, 6, c->now);
        db_bind_int(st, 7, at);
        db_bind_text(st, 8, phone);
        rc = st_fail(db_run(st, e), e, "outbox");
        db_finalize(st);
        c->added += !rc;
    }
    json_decref(body);
    free(text);
    return rc;
}

static json_t *unit_json(db_stmt *st, int i) {
    return db_col_null(st, i) ? json_null()
                              : json_pack("{s:s, s:s}", "code", db_col_text(st, i + 1), "name", db_col_text(st, i + 2));
}

/* New 督办 notices: to their unit; a red one is an escalation. */
static int notices(collect *c, err *e) {
    int64_t from = cursor_get(c->s, "outbox_notice_id"), last = from;
    db_stmt *st;
    /* A notice before dispatch has no unit: it goes to the centre that
     * dispatches (the first unit of kind 'center'), or to the dispatchers. */
    int rc = st_prepare(c->s, "SELECT n.id, n.case_id, n.kind, n.level, u.id, u.code, u.name, c.case_no, c.title,"
                              " c.class FROM notices n JOIN cases c ON c.id = n.case_id LEFT JOIN units u ON u.id ="
                              " coalesce(n.unit_id, (SELECT min(id) FROM units WHERE kind = 'center'))"
                              " WHERE n.id > ?1 ORDER BY n.id LIMIT ?2", 0, &st, e);
    if (rc) return st_fail(rc, e, "outbox notices");
    db_bind_int(st, 1, from);
    db_bind_int(st, 2, COLLECT_MAX);
    while (!rc && db_next(st, &rc, e)) {
        last = db_col_int(st, 0);
        const char *level = db_col_text(st, 3), *kind = db_col_text(st, 2);
        notify_kind k = !strcmp(level, "red") ? NK_ESCALATION : NK_NOTICE;
        bool again = false;
        if ((rc = repeated(c, k, db_col_int(st, 1), &again, e)) || again) continue;
        char text[600], what[32];
        static const char *const levels[][2] = {{"blue", "临期提醒"}, {"yellow", "超期黄牌督办"}, {"red", "超期红牌督办"}};
        const char *label = "督办";
        for (size_t i = 0; i < 3; i++) if (!strcmp(level, levels[i][0])) label = levels[i][1];
        case_due_kind dk = case_due_lookup(kind);
        if (dk < DUE_COUNT) snprintf(what, sizeof what, "%s期限", case_due_label(dk));
        else snprintf(what, sizeof what, "%s", !strcmp(kind, STORE_NOTICE_INSTRUCTION) ? "领导批示" : "督办");
        snprintf(text, sizeof text, "【督办】%s：案件%s“%.120s”%s（%s），请及时办理。", db_col_null(st, 4) ? "督查室" : db_col_text(st, 6),
                 db_col_text(st, 7), db_col_text(st, 8), label, what);
        text_mend(text);
        json_t *to = db_col_null(st, 4) ? json_pack("{s:s, s:s}", "role", "dispatcher", "name", "督查室") : unit_json(st, 4);
        json_t *b = json_pack("{s:o, s:s, s:{s:s, s:s, s:s}, s:{s:s, s:s}}", "to", to, "text", text,
                              "case", "case_no", db_col_text(st, 7), "title", db_col_text(st, 8), "class", db_col_text(st, 9),
                              "notice", "kind", kind, "level", level);
        rc = add(c, k, db_col_int(st, 1), db_col_int(st, 4), !strcmp(db_col_text(st, 9), "urgent"), b, e);
    }
    db_finalize(st);
    return rc ? rc : cursor_set(c->s, "outbox_notice_id", last, e);
}

/* New 差评: to the unit of the point. */
static int bad_ratings(collect *c, err *e) {
    int64_t from = cursor_get(c->s, "outbox_eval_id"), last = from;
    db_stmt *st;
    /* (held by the burst rule: not told to the unit) */
    int rc = st_prepare(c->s, "SELECT v.id, v.case_id, v.unit_id, u.code, u.name, p.name, v.level, v.comment, v.hold"
                              " FROM evaluations v JOIN units u ON u.id = v.unit_id JOIN service_points p ON p.id = v.point_id"
                              " WHERE v.id > ?1 ORDER BY v.id LIMIT ?2", 0, &st, e);
    if (rc) return st_fail(rc, e, "outbox ratings");
    db_bind_int(st, 1, from);
    db_bind_int(st, 2, COLLECT_MAX);
    while (!rc && db_next(st, &rc, e)) {
        last = db_col_int(st, 0);
        eval_level l = (eval_level)db_col_int(st, 6);
        if (!eval_is_bad(l) || !db_col_null(st, 8)) continue;
        char text[700];
        snprintf(text, sizeof text, "【码上评】%s收到差评（%s）%s%.200s", db_col_text(st, 5), eval_level_label(l),
                 db_col_null(st, 7) ? "" : "：", db_col_null(st, 7) ? "" : db_col_text(st, 7));
        text_mend(text);
        json_t *b = json_pack("{s:o, s:s, s:{s:s, s:s}}", "to", unit_json(st, 2), "text", text, "evaluation", "point",
                              db_col_text(st, 5), "level", eval_level_name(l));
        rc = add(c, NK_BAD_RATING, db_col_int(st, 1), db_col_int(st, 2), false, b, e);
    }
    db_finalize(st);
    return rc ? rc : cursor_set(c->s, "outbox_eval_id", last, e);
}

/* Cases received or closed whose requester left a phone: tell them. */
static int citizens(collect *c, err *e) {
    int64_t from = cursor_get(c->s, "outbox_event_id"), last = from;
    db_stmt *st;
    int rc = st_prepare(c->s, "SELECT e.id, e.case_id, e.action FROM events e WHERE e.id > ?1 ORDER BY e.id LIMIT ?2",
                        0, &st, e);
    if (rc) return st_fail(rc, e, "outbox events");
    db_bind_int(st, 1, from);
    db_bind_int(st, 2, COLLECT_MAX);
    int64_t cases[COLLECT_MAX];
    bool closed[COLLECT_MAX];
    int n = 0;
    while (db_next(st, &rc, e)) {
        last = db_col_int(st, 0);
        const char *a = db_col_text(st, 2);
        if (!strcmp(a, "create") || !strcmp(a, "close") || !strcmp(a, "close_unreachable"))
            cases[n] = db_col_int(st, 1), closed[n] = strcmp(a, "create") != 0, n++;
    }
    db_finalize(st);
    for (int i = 0; !rc && i < n; i++) {
        case_rec k;
        if ((rc = store_case_get(c->s, cases[i], &k, e))) break;
        /* A number typed on a public page (码上评, Open311) is nobody's
         * confirmed number: it gets no message (the page shows the receipt).
         * Any other gets at most sms_per_day a day (an SMS bomb's limit). */
        bool unconfirmed = k.channel == CH_QR || k.channel == CH_OPEN311;
        if (k.requester_phone && k.requester_phone[0] && k.status != ST_MERGED && !unconfirmed &&
            sent_to(c, k.requester_phone, c->now - 86400) < store_config_int(c->s, "sms_per_day", STORE_SMS_PER_DAY)) {
            char text[900], code[VIEW_TRACK_CODE_LEN + 1] = "";
            if (!closed[i]) {
                view_track_code(&k, code);
                if (c->site && c->site[0])
                    snprintf(text, sizeof text, "【12345】您反映的问题已受理，受理编号%s，查询码%s。可在 %s/t/%s 查询办理进度。",
                             k.case_no, code, c->site, k.case_no);
                else
                    snprintf(text, sizeof text, "【12345】您反映的问题已受理，受理编号%s，查询码%s。", k.case_no, code);
            } else {
                snprintf(text, sizeof text, "【12345】您反映的问题（受理编号%s）已办结。%.600s", k.case_no,
                         k.public_reply ? k.public_reply : "");
            }
            text_mend(text);
            json_t *b = json_pack("{s:{s:s}, s:s, s:{s:s}}", "to", "phone", k.requester_phone, "text", text, "case",
                                  "case_no", k.case_no);
            rc = add(c, closed[i] ? NK_CLOSED : NK_RECEIPT, k.id, 0, k.klass == CL_URGENT, b, e);
        }
        case_rec_clear(&k);
    }
    return rc ? rc : cursor_set(c->s, "outbox_event_id", last, e);
}

static int skip_all(store *s, err *e) {
    static const char *const sources[][2] = {
        {"outbox_notice_id", "SELECT coalesce(max(id), 0) FROM notices"},
        {"outbox_eval_id", "SELECT coalesce(max(id), 0) FROM evaluations"},
        {"outbox_event_id", "SELECT coalesce(max(id), 0) FROM events"}};
    int rc = 0;
    for (size_t i = 0; !rc && i < 3; i++) {
        db_stmt *st;
        if ((rc = st_prepare(s, sources[i][1], 0, &st, e))) return st_fail(rc, e, "outbox cursor");
        if (!(rc = db_first(st, e))) {
            int64_t max = db_col_int(st, 0);
            db_finalize(st);
            if (max != cursor_get(s, sources[i][0])) rc = cursor_set(s, sources[i][0], max, e);
        } else {
            db_finalize(st);
        }
    }
    return rc;
}

int store_outbox_collect(store *s, int64_t now, const char *site, int64_t *added, err *e) {
    char url[512] = "", hours[32] = "08:30-18:00";
    /* The settings are read in the transaction that reads the events: an
     * event made after a change of webhook_hours is always judged by it
     * (read before, a slow turn sent at once what the new hours held). */
    int rc = st_tx_begin(s, e);
    if (rc) return rc;
    store_config_get(s, "webhook_url", url, sizeof url, NULL);
    store_config_get(s, "webhook_hours", hours, sizeof hours, NULL);
    collect c = {.s = s, .now = now, .start = 510, .end = 1080, .site = site,
                 .repeat_s = store_config_int(s, "webhook_repeat_minutes", 240) * 60};
    notify_hours_parse(hours, &c.start, &c.end, NULL);
    if (!url[0]) /* no webhook: the cursors move to the end, so turning it on sends no history */
        rc = skip_all(s, e);
    else if (!(rc = notices(&c, e)) && !(rc = bad_ratings(&c, e)))
        rc = citizens(&c, e);
    rc = st_tx_end(s, rc, e);
    *added = rc ? 0 : c.added;
    return rc;
}

static void read_row(db_stmt *st, store_outbox_row *r) {
    memset(r, 0, sizeof *r);
    r->id = db_col_int(st, 0);
    for (int k = 0; k < NK_COUNT; k++)
        if (!strcmp(db_col_text(st, 1), notify_kind_name((notify_kind)k))) r->kind = (notify_kind)k;
    r->case_id = db_col_int(st, 2);
    r->urgent = db_col_int(st, 3) != 0;
    r->body = db_col_text(st, 4);
    r->created_at = db_col_int(st, 5);
    r->not_before = db_col_int(st, 6);
    r->next_at = db_col_int(st, 7);
    r->attempts = (int)db_col_int(st, 8);
    r->sent_at = db_col_int(st, 9);
    r->failed_at = db_col_int(st, 10);
    r->last_error = db_col_text(st, 11);
}

#define ROW_COLS "id, kind, case_id, urgent, body, created_at, not_before, next_at, attempts, sent_at, failed_at, last_error"

int store_outbox_claim(store *s, int64_t now, store_outbox_row *out, char **body, err *e) {
    db_stmt *st;
    *body = NULL;
    /* The lease is checked again outside the choice: a node that waited on
     * another's claim of the same row does not take it too. A row with an
     * earlier one of its case still to go (leased elsewhere, or waiting for
     * a retry) is not due (migration 35 indexes that look). */
    int rc = st_prepare(s, "UPDATE outbox SET lease_until = ?1 + ?2 WHERE id = (SELECT o.id FROM outbox o"
                           " WHERE o.sent_at IS NULL AND o.failed_at IS NULL AND o.next_at <= ?1 AND o.not_before <= ?1"
                           " AND (o.lease_until IS NULL OR o.lease_until <= ?1)"
                           " AND (o.case_id IS NULL OR NOT EXISTS (SELECT 1 FROM outbox p WHERE p.case_id = o.case_id"
                           " AND p.id < o.id AND p.sent_at IS NULL AND p.failed_at IS NULL))"
                           " ORDER BY o.id LIMIT 1)"
                           " AND sent_at IS NULL AND (lease_until IS NULL OR lease_until <= ?1) RETURNING " ROW_COLS,
                        0, &st, e);
    if (rc) return st_fail(rc, e, "outbox claim");
    if ((rc = st_tx_begin(s, e))) {
        db_finalize(st);
        return rc;
    }
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, OUTBOX_LEASE_S);
    if (!(rc = db_first(st, e))) { /* read before the commit, then handed on */
        read_row(st, out);
        out->last_error = NULL;
        if (!(*body = strdup(out->body))) rc = err_set(e, ERR_NOMEM, "", "out of memory");
        out->body = *body;
    }
    db_finalize(st);
    rc = st_tx_end(s, rc, e);
    if (rc) {
        free(*body);
        *body = NULL;
    }
    return rc;
}

int store_outbox_done(store *s, int64_t id, int64_t now, const char *error, int64_t next_at, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, error ? "UPDATE outbox SET attempts = attempts + 1, lease_until = NULL, last_error = ?3,"
                                   " next_at = ?4, failed_at = CASE WHEN attempts + 1 >= ?5 THEN CAST(?2 AS BIGINT) END WHERE id = ?1"
                                 : "UPDATE outbox SET attempts = attempts + 1, lease_until = NULL, sent_at = ?2,"
                                   " last_error = NULL WHERE id = ?1", 0, &st, e);
    if (rc) return st_fail(rc, e, "outbox");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, now);
    if (error) {
        db_bind_text(st, 3, error);
        db_bind_int(st, 4, next_at);
        db_bind_int(st, 5, OUTBOX_MAX_ATTEMPTS);
    }
    return st_write1(s, st, e);
}

int store_outbox_list(store *s, int limit, store_outbox_fn fn, void *ctx, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT " ROW_COLS " FROM outbox ORDER BY id DESC LIMIT ?1", 0, &st, e);
    if (rc) return st_fail(rc, e, "outbox");
    db_bind_int(st, 1, limit);
    while (!rc && db_next(st, &rc, e)) {
        store_outbox_row r;
        read_row(st, &r);
        rc = fn(ctx, &r);
    }
    db_finalize(st);
    return rc;
}
