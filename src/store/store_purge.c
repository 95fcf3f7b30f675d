/* store_purge: see store_purge.h. */
#include "store/store_purge.h"

#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/mask.h"
#include "store/store_chain.h"
#include "store/store_int.h"
#include "store/store_query.h"

#define BATCH 200

int store_retention_get(store *s, int days[CH_COUNT], err *e) {
    for (int i = 0; i < CH_COUNT; i++) days[i] = STORE_RETENTION_DEFAULT;
    db_stmt *st;
    int rc = st_prepare(s, "SELECT channel, days FROM retention", 0, &st, e);
    while (!rc && db_next(st, &rc, e)) {
        case_channel ch;
        if (!case_channel_parse(db_col_text(st, 0), &ch, NULL)) days[ch] = (int)db_col_int(st, 1);
    }
    if (st) db_finalize(st);
    return st_fail(rc, e, "retention");
}

int store_retention_set(store *s, case_channel ch, int days, err *e) {
    if (days < STORE_RETENTION_MIN || days > 36500)
        return err_set(e, ERR_INVALID, "days", "a retention period is %d to 36500 days, not %d", STORE_RETENTION_MIN,
                       days);
    db_stmt *st;
    int rc = st_prepare(s, "INSERT INTO retention(channel, days) VALUES(?1, ?2)"
                           " ON CONFLICT (channel) DO UPDATE SET days = excluded.days", 0, &st, e);
    if (rc) return st_fail(rc, e, "retention");
    db_bind_text(st, 1, case_channel_name(ch));
    db_bind_int(st, 2, days);
    rc = db_run(st, e);
    db_finalize(st);
    return st_fail(rc, e, "retention");
}

/* One statement run with the case's id (?1) and, if with_now, now (?2). */
static int run_for(store *s, const char *sql, int64_t id, bool with_now, int64_t now, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, sql, 0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    if (with_now) db_bind_int(st, 2, now);
    rc = db_run(st, e);
    db_finalize(st);
    return rc;
}

/* The search index forgets the description and the title (which becomes
 * STORE_PURGED_TITLE): SQLite's FTS5 table keeps no copy of the text, so an
 * indexed row is taken out with the words it was indexed under and put back
 * with the new title alone; PostgreSQL's is a plain table. */
static int forget_text(store *s, int64_t id, const char *title, const char *description, err *e) {
    db_stmt *st;
    int rc;
    if (db_dialect_of(s->db) != DB_SQLITE)
        return run_for(s, "UPDATE case_text SET title = '" STORE_PURGED_TITLE "', description = NULL WHERE id = ?1", id,
                       false, 0, e);
    int64_t indexed = store_config_int(s, "text_indexed_to", 0);
    if (id > indexed) return 0; /* the indexer has yet to read it, and will read it erased */
    if ((rc = st_prepare(s, "INSERT INTO case_text(case_text, rowid, title, description) VALUES('delete', ?1, ?2, ?3)", 0,
                         &st, e)))
        return rc;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, title);
    if (description) db_bind_text(st, 3, description);
    else db_bind_null(st, 3);
    rc = db_run(st, e);
    db_finalize(st);
    if (rc || (rc = st_prepare(s, "INSERT INTO case_text(rowid, title, description) VALUES(?1, ?2, NULL)", 0, &st, e)))
        return rc;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, STORE_PURGED_TITLE);
    rc = db_run(st, e);
    db_finalize(st);
    return rc;
}

/* Every event's free text into its keyed digest (core/audit.h). */
static int erase_events(store *s, int64_t id, const unsigned char key[32], store_purge_result *r, err *e) {
    db_stmt *st, *up = NULL;
    int rc = st_prepare(s, "SELECT id, scheme, text FROM events WHERE case_id = ?1 AND text IS NOT NULL", 0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, id);
    if ((rc = st_prepare(s, "UPDATE events SET text = NULL, text_digest = ?2 WHERE id = ?1", 0, &up, e))) {
        db_finalize(st);
        return rc;
    }
    while (!rc && db_next(st, &rc, e)) {
        case_event ev = {.scheme = (int)db_col_int(st, 1), .text = (char *)db_col_text(st, 2)};
        char *text = strdup(ev.text ? ev.text : "");
        if (!text) {
            rc = err_set(e, ERR_NOMEM, "", "out of memory");
            break;
        }
        ev.text = text;
        audit_erase_text(&ev, key); /* frees the text it erases */
        if (!ev.text_erased) { /* scheme 1, or a case without a key: its text is in the chain itself */
            free(ev.text);
            r->kept++;
            continue;
        }
        db_reset(up);
        db_bind_int(up, 1, db_col_int(st, 0));
        db_bind_blob(up, 2, ev.text_digest, 32);
        if (!(rc = db_run(up, e))) r->events++;
    }
    db_finalize(up);
    db_finalize(st);
    return rc;
}

/* What is erased besides the events, each with the case's id (?1) and, where
 * it says so, now (?2): PostgreSQL refuses a parameter a statement does not
 * use, so each says which it takes. */
static const struct {
    const char *sql;
    bool now;
} erase_sql[] = {
    /* the title too, which callers' words fill with where they live */
    {("UPDATE cases SET requester_name = NULL, requester_phone = NULL, description = NULL, result = NULL,"
      " title = '" STORE_PURGED_TITLE "', purged_at = ?2 WHERE id = ?1"), true},
    {"DELETE FROM case_locations WHERE case_id = ?1", false},
    {"DELETE FROM case_attributes WHERE case_id = ?1", false},
    {"DELETE FROM case_media WHERE case_id = ?1", false},
    /* a message sent about the case named the requester's phone */
    {"UPDATE outbox SET body = '{}', phone = NULL WHERE case_id = ?1", false},
};

/* The values of erase_around's rewrites. */
typedef struct erased {
    int64_t case_id, before;
    const char *digits, *masked;
} erased;

static void evaluation_values(st_query *q, void *ctx) {
    static const unsigned char no_device[16];
    st_q_int(q, "case", ((erased *)ctx)->case_id);
    st_q_blob(q, "device", no_device, sizeof no_device);
}

static void caseless_values(st_query *q, void *ctx) {
    evaluation_values(q, ctx);
    st_q_int(q, "before", ((erased *)ctx)->before);
}

static void phone_values(st_query *q, void *ctx) {
    st_q_text(q, "digits", ((erased *)ctx)->digits);
    st_q_text(q, "masked", ((erased *)ctx)->masked);
}

/* The evaluation that made the case (码上评): its comment, the address and
 * the device it came from; and the access log's mentions of the caller's
 * phone (a lookup, a reason typed with a reveal), masked as a log shows it.
 * Each row rewritten is noted in its chain: the erasure is on the record. */
static int erase_around(store *s, int64_t id, const char *phone, int64_t now, err *e) {
    char digits[40] = "", masked[40];
    erased x = {.case_id = id, .digits = digits, .masked = masked};
    int rc = st_chain_rewrite(s, CHAIN_EVALUATIONS, "comment = NULL, addr = '-', device = :device", "case_id = :case",
                              evaluation_values, &x, now, e);
    for (size_t i = 0, k = 0; phone && phone[i] && k + 1 < sizeof digits; i++) /* as a lookup is typed: digits */
        if (phone[i] >= '0' && phone[i] <= '9') digits[k++] = phone[i], digits[k] = '\0';
    if (rc || strlen(digits) < 7) return rc;
    mask_phone(digits, masked, sizeof masked);
    return st_chain_rewrite(s, CHAIN_ACCESS, "detail = replace(detail, :digits, :masked)",
                            "detail LIKE '%' || :digits || '%'", phone_values, &x, now, e);
}

static int purge_case(store *s, int64_t id, const unsigned char key[32], const char *title, const char *description,
                      const char *phone, int64_t now, store_purge_result *r, err *e) {
    int rc = forget_text(s, id, title, description, e);
    if (!rc) rc = erase_around(s, id, phone, now, e);
    for (size_t i = 0; !rc && i < sizeof erase_sql / sizeof *erase_sql; i++)
        rc = run_for(s, erase_sql[i].sql, id, erase_sql[i].now, now, e);
    db_stmt *st;
    if (!rc && !(rc = st_prepare(s, "UPDATE attachments SET data = ?3, erased_at = ?2 WHERE case_id = ?1"
                                    " AND erased_at IS NULL", 0, &st, e))) {
        db_bind_int(st, 1, id);
        db_bind_int(st, 2, now);
        db_bind_blob(st, 3, "", 0); /* empty, not NULL: the column holds bytes */
        if (!(rc = db_run(st, e))) r->attachments += db_changes(s->db);
        db_finalize(st);
    }
    if (!rc) rc = erase_events(s, id, key, r, e);
    if (!rc) r->cases++;
    return rc;
}

typedef struct victim {
    int64_t id;
    unsigned char key[32];
    char *title, *description, *phone;
} victim;

int store_purge(store *s, int64_t before, int64_t now, bool dry_run, store_purge_result *out, err *e) {
    memset(out, 0, sizeof *out);
    int days[CH_COUNT];
    int rc = store_retention_get(s, days, e);
    if (rc) return rc;
    victim *v = calloc(BATCH, sizeof *v);
    if (!v) return err_set(e, ERR_NOMEM, "", "out of memory");
    for (int64_t after = 0; !rc;) {
        db_stmt *st;
        size_t n = 0;
        int64_t last = after;
        if ((rc = st_prepare(s, "SELECT id, channel, closed_at, text_key, title, description, requester_phone FROM cases"
                                " WHERE status = 'closed' AND purged_at IS NULL AND closed_at < ?1 AND id > ?2"
                                " ORDER BY id LIMIT ?3", 0, &st, e)))
            break;
        db_bind_int(st, 1, before);
        db_bind_int(st, 2, after);
        db_bind_int(st, 3, BATCH);
        bool rows = false;
        while (db_next(st, &rc, e)) {
            rows = true;
            last = db_col_int(st, 0);
            case_channel ch;
            if (case_channel_parse(db_col_text(st, 1), &ch, NULL) ||
                db_col_int(st, 2) >= now - (int64_t)days[ch] * 86400)
                continue; /* within its channel's period */
            victim *x = &v[n++];
            x->id = last;
            st_col_hash(st, 3, x->key);
            x->title = st_col_dup(st, 4);
            x->description = st_col_dup(st, 5);
            x->phone = st_col_dup(st, 6);
        }
        db_finalize(st);
        after = last;
        if (!rc && !dry_run && n && !(rc = st_tx_begin(s, e))) {
            for (size_t i = 0; !rc && i < n; i++)
                rc = purge_case(s, v[i].id, v[i].key, v[i].title ? v[i].title : "", v[i].description, v[i].phone, now,
                                out, e);
            rc = st_tx_end(s, rc, e);
        } else if (dry_run) {
            out->cases += (int64_t)n;
        }
        for (size_t i = 0; i < n; i++) {
            free(v[i].title);
            free(v[i].description);
            free(v[i].phone);
        }
        if (!rows) break;
    }
    free(v);
    /* 码上评 evaluations that made no case keep an address and a device for
     * the throttle's hour; past the 码上评 period those go too */
    int64_t cutoff = now - (int64_t)days[CH_QR] * 86400;
    if (cutoff > before) cutoff = before;
    erased x = {.before = cutoff};
    if (!rc && !dry_run && !(rc = st_tx_begin(s, e)))
        rc = st_tx_end(s, st_chain_rewrite(s, CHAIN_EVALUATIONS, "comment = NULL, addr = '-', device = :device",
                                           "case_id IS NULL AND at < :before AND addr <> '-'", caseless_values, &x,
                                           now, e), e);
    /* FTS5 marks a deleted row's words deleted in new segments; the old
     * ones keep them until merged: merge them all now */
    if (!rc && !dry_run && out->cases && db_dialect_of(s->db) == DB_SQLITE &&
        store_config_int(s, "text_indexed_to", 0) > 0)
        rc = db_exec(s->db, "INSERT INTO case_text(case_text) VALUES('optimize')", e);
    return st_fail(rc, e, "purge");
}
