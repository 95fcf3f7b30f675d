/* store_chain: see store_chain.h. */
#include "store/store_chain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/store_int.h"
#include "store/store_query.h"

/* What each chain covers: its table and every column of a row, with the
 * type it is read as (i integer, t text, b bytes) so that the digest is the
 * same on either driver (a database moved by `migrate --to` verifies). A
 * column added to one of these tables is added here with a migration that
 * notes every row again. */
#define ACCESS_COLS "at, user_id, actor, action, case_id, detail"
#define EVAL_COLS                                                                                   \
    "point_id, unit_id, level, reasons, comment, device, addr, at, case_id, named, review,"       \
    " review_reason, review_by, review_at, decision_note, decided_by, decided_at,"                 \
    " hold, held_at, released_at, hold_by, hold_note"
#define NOTICE_COLS "case_id, kind, level, due, raised_at, unit_id"
/* one: a row by id; all: every row with its id, in id order; made: every
 * row's id and the time it says it was made (or 0) */
#define SPEC(table, cols, types, at) \
    {table, types, "SELECT " cols " FROM " table " WHERE id = ?1", "SELECT id, " cols " FROM " table " ORDER BY id", \
     "SELECT id, " at " FROM " table " ORDER BY id"}
static const struct spec {
    const char *table, *types, *one, *all, *made;
} specs[CHAIN_COUNT] = {
    [CHAIN_ACCESS] = SPEC("access_log", ACCESS_COLS, "iittit", "at"),
    [CHAIN_EVALUATIONS] = SPEC("evaluations", EVAL_COLS, "iiiitbtiiitttittitiitt", "at"),
    [CHAIN_NOTICES] = SPEC("notices", NOTICE_COLS, "ittiii", "raised_at"),
};

const char *store_chain_name(store_chain c) { return c < CHAIN_COUNT ? specs[c].table : "?"; }

static void put_u64(crypto_generichash_state *h, uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
    crypto_generichash_update(h, b, 8);
}

/* The digest of a row (its columns from `first` on, as the spec reads
 * them): each value tagged with its type and, for text and bytes, length. */
static void row_digest(db_stmt *st, int first, const char *types, unsigned char out[32]) {
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    for (int i = 0; types[i]; i++) {
        int col = first + i;
        unsigned char tag = db_col_null(st, col) ? 'n' : (unsigned char)types[i];
        crypto_generichash_update(&h, &tag, 1);
        if (tag == 'i') {
            put_u64(&h, (uint64_t)db_col_int(st, col));
        } else if (tag == 't') {
            const char *t = db_col_text(st, col);
            put_u64(&h, strlen(t));
            crypto_generichash_update(&h, (const unsigned char *)t, strlen(t));
        } else if (tag == 'b') {
            size_t n;
            const void *p = db_col_blob(st, col, &n);
            put_u64(&h, n);
            if (n) crypto_generichash_update(&h, p, n);
        }
    }
    crypto_generichash_final(&h, out, 32);
}

/* A link's hash: the one before, then what the link says. */
static void link_hash(const unsigned char prev[32], store_chain c, int64_t seq, int64_t ref, int64_t at,
                      const unsigned char digest[32], unsigned char out[32]) {
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    crypto_generichash_update(&h, prev, 32);
    crypto_generichash_update(&h, (const unsigned char *)specs[c].table, strlen(specs[c].table) + 1);
    put_u64(&h, (uint64_t)seq);
    put_u64(&h, (uint64_t)ref);
    put_u64(&h, (uint64_t)at);
    crypto_generichash_update(&h, digest, 32);
    crypto_generichash_final(&h, out, 32);
}

int st_chain_note(store *s, store_chain c, int64_t id, int64_t at, err *e) {
    unsigned char digest[32], prev[32] = {0}, hash[32];
    db_stmt *st;
    int rc = st_prepare(s, specs[c].one, 0, &st, e);
    if (rc) return st_fail(rc, e, "log chain");
    db_bind_int(st, 1, id);
    if (!(rc = db_first(st, e))) row_digest(st, 0, specs[c].types, digest);
    db_finalize(st);
    if (rc) return st_fail(rc, e, "log chain");
    /* the head's row is locked until the transaction ends: one line per chain */
    if ((rc = st_prepare(s, "UPDATE chain_heads SET seq = seq + 1 WHERE chain = ?1 RETURNING seq, hash", 0, &st, e)))
        return st_fail(rc, e, "log chain");
    db_bind_text(st, 1, specs[c].table);
    int64_t seq = 0;
    if (!(rc = db_first(st, e))) {
        seq = db_col_int(st, 0);
        st_col_hash(st, 1, prev);
    }
    db_finalize(st);
    if (rc) return st_fail(rc, e, "log chain");
    link_hash(prev, c, seq, id, at, digest, hash);
    if ((rc = st_prepare(s, "INSERT INTO log_chain(chain, seq, ref, at, digest, prev_hash, hash)"
                            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", 0, &st, e)))
        return st_fail(rc, e, "log chain");
    db_bind_text(st, 1, specs[c].table);
    db_bind_int(st, 2, seq);
    db_bind_int(st, 3, id);
    db_bind_int(st, 4, at);
    db_bind_blob(st, 5, digest, 32);
    db_bind_blob(st, 6, prev, 32);
    db_bind_blob(st, 7, hash, 32);
    rc = db_run(st, e);
    db_finalize(st);
    if (rc || (rc = st_prepare(s, "UPDATE chain_heads SET hash = ?2 WHERE chain = ?1", 0, &st, e)))
        return st_fail(rc, e, "log chain");
    db_bind_text(st, 1, specs[c].table);
    db_bind_blob(st, 2, hash, 32);
    rc = db_run(st, e);
    db_finalize(st);
    return st_fail(rc, e, "log chain");
}

int store_chain_head(store *s, store_chain c, int64_t *seq, unsigned char hash[32], err *e) {
    db_stmt *st;
    memset(hash, 0, 32);
    *seq = 0;
    int rc = st_prepare(s, "SELECT seq, hash FROM chain_heads WHERE chain = ?1", 0, &st, e);
    if (rc) return st_fail(rc, e, "log chain");
    db_bind_text(st, 1, specs[c].table);
    if (!(rc = db_first(st, e))) {
        *seq = db_col_int(st, 0);
        st_col_hash(st, 1, hash);
    }
    db_finalize(st);
    return st_fail(rc, e, "log chain");
}

int store_chain_link(store *s, store_chain c, int64_t seq, unsigned char hash[32], err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT hash FROM log_chain WHERE chain = ?1 AND seq = ?2", 0, &st, e);
    if (rc) return st_fail(rc, e, "log chain");
    db_bind_text(st, 1, specs[c].table);
    db_bind_int(st, 2, seq);
    if (!(rc = db_first(st, e))) st_col_hash(st, 0, hash);
    db_finalize(st);
    return rc == ERR_NOTFOUND ? rc : st_fail(rc, e, "log chain");
}

/* ---- verify ---- */

typedef struct newest {
    int64_t ref, seq;
    unsigned char digest[32];
} newest;

static int by_ref(const void *a, const void *b) {
    const newest *x = a, *y = b;
    if (x->ref != y->ref) return x->ref < y->ref ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static void broken(store_audit *a, store_chain c, int64_t seq, const char *fmt, long long n) {
    a->bad_seq = (int)seq;
    snprintf(a->log, sizeof a->log, "%s", specs[c].table);
    snprintf(a->why, sizeof a->why, fmt, specs[c].table, n);
}

/* The links in order, each against the one before; the newest of each row
 * kept (sorted by row) for the rows' walk. */
static int walk_links(store *s, store_chain c, store_audit *a, newest **out, size_t *n, err *e) {
    db_stmt *st;
    size_t cap = 0;
    unsigned char prev[32] = {0}, hash[32];
    int64_t expect = 1;
    int rc = st_prepare(s, "SELECT seq, ref, at, digest, prev_hash, hash FROM log_chain WHERE chain = ?1 ORDER BY seq",
                        DB_LARGE, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, specs[c].table);
    while (!a->log[0] && db_next(st, &rc, e)) {
        int64_t seq = db_col_int(st, 0);
        unsigned char digest[32], p[32], h[32];
        st_col_hash(st, 3, digest);
        st_col_hash(st, 4, p);
        st_col_hash(st, 5, h);
        link_hash(prev, c, seq, db_col_int(st, 1), db_col_int(st, 2), digest, hash);
        if (seq != expect) broken(a, c, expect, "%s: link %lld is missing", (long long)expect);
        else if (memcmp(p, prev, 32) || memcmp(h, hash, 32))
            broken(a, c, seq, "%s: link %lld does not match its hash or the link before it", (long long)seq);
        else if ((rc = st_grow(out, &cap, *n, sizeof **out, e)))
            break;
        else {
            (*out)[*n] = (newest){.ref = db_col_int(st, 1), .seq = seq};
            memcpy((*out)[(*n)++].digest, digest, 32);
        }
        memcpy(prev, hash, 32);
        expect++;
    }
    db_finalize(st);
    if (rc || a->log[0]) return rc;
    int64_t head;
    unsigned char head_hash[32];
    if ((rc = store_chain_head(s, c, &head, head_hash, e))) return rc;
    if (head > expect - 1)
        broken(a, c, expect, "%s: the chain ends before its head (links taken off its end, at %lld)", (long long)expect);
    else if (head != expect - 1 || memcmp(head_hash, expect > 1 ? prev : (unsigned char[32]){0}, 32))
        broken(a, c, head, "%s: the chain's head is not its newest link (set back, or altered, at %lld)", (long long)head);
    if (*n) qsort(*out, *n, sizeof **out, by_ref);
    return 0;
}

static int verify_chain(store *s, store_chain c, store_audit *a, err *e) {
    newest *links = NULL;
    size_t n = 0, k = 0;
    int rc = walk_links(s, c, a, &links, &n, e);
    db_stmt *st = NULL;
    if (!rc && !a->log[0]) rc = st_prepare(s, specs[c].all, DB_LARGE, &st, e);
    while (!rc && !a->log[0] && db_next(st, &rc, e)) {
        int64_t id = db_col_int(st, 0);
        if (k < n && links[k].ref < id) { /* links of a row no longer there */
            broken(a, c, links[k].seq, "%s: row %lld was deleted", (long long)links[k].ref);
            break;
        }
        if (k == n || links[k].ref != id) {
            broken(a, c, 0, "%s: row %lld was added outside the store", (long long)id);
            break;
        }
        while (k + 1 < n && links[k + 1].ref == id) k++; /* its newest */
        unsigned char digest[32];
        row_digest(st, 1, specs[c].types, digest);
        if (memcmp(digest, links[k].digest, 32)) broken(a, c, links[k].seq, "%s: row %lld was changed", (long long)id);
        k++;
    }
    if (!rc && !a->log[0] && k < n) broken(a, c, links[k].seq, "%s: row %lld was deleted", (long long)links[k].ref);
    db_finalize(st);
    free(links);
    return rc;
}

int st_chain_verify(store *s, store_audit *a, err *e) {
    int rc = 0;
    for (int c = 0; !rc && !a->log[0] && c < CHAIN_COUNT; c++) rc = verify_chain(s, (store_chain)c, a, e);
    return rc;
}

static int note_all(store *s, int first, int last, err *e);

int st_chain_rewrite(store *s, store_chain c, const char *set, const char *where,
                     void (*values)(st_query *q, void *ctx), void *ctx, int64_t now, err *e) {
    st_query pick, update;
    db_stmt *st = NULL;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    st_q_init(&pick);
    st_q_init(&update);
    st_q_add(&pick, "SELECT id FROM %s WHERE %s ORDER BY id", specs[c].table, where);
    st_q_add(&update, "UPDATE %s SET %s WHERE %s", specs[c].table, set, where);
    values(&pick, ctx);
    values(&update, ctx);
    int rc = st_q_prepare(s, &pick, 0, &st, e);
    while (!rc && db_next(st, &rc, e) && !(rc = st_grow(&ids, &cap, n, sizeof *ids, e))) ids[n++] = db_col_int(st, 0);
    if (st) db_finalize(st);
    st = NULL;
    if (!rc && n && !(rc = st_q_prepare(s, &update, 0, &st, e))) {
        rc = db_run(st, e);
        db_finalize(st);
    }
    for (size_t i = 0; !rc && i < n; i++) rc = st_chain_note(s, c, ids[i], now, e);
    free(ids);
    st_q_release(&pick);
    st_q_release(&update);
    return st_fail(rc, e, specs[c].table);
}

int st_seed_chains(store *s, err *e) { return note_all(s, 0, CHAIN_COUNT - 1, e); }

/* Migration 41 added the columns a hold keeps: every evaluation again. */
int st_renote_evaluations(store *s, err *e) { return note_all(s, CHAIN_EVALUATIONS, CHAIN_EVALUATIONS, e); }

static int note_all(store *s, int first, int last, err *e) {
    int rc = 0;
    for (int c = first; !rc && c <= last; c++) {
        db_stmt *st;
        int64_t *ids = NULL, *ats = NULL;
        size_t n = 0, cap = 0, cap2 = 0;
        /* each row at the time it says it was made (or 0) */
        if ((rc = st_prepare(s, specs[c].made, DB_LARGE, &st, e))) break;
        while (db_next(st, &rc, e) && !(rc = st_grow(&ids, &cap, n, sizeof *ids, e)) &&
               !(rc = st_grow(&ats, &cap2, n, sizeof *ats, e))) {
            ids[n] = db_col_int(st, 0);
            ats[n++] = db_col_int(st, 1);
        }
        db_finalize(st);
        for (size_t i = 0; !rc && i < n; i++) rc = st_chain_note(s, (store_chain)c, ids[i], ats[i], e);
        free(ids);
        free(ats);
    }
    return rc;
}
