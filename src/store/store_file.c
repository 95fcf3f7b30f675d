/* store_file: see store_file.h. */
#include "store/store_file.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

#define FILE_COLS "id, case_id, event_seq, name, mime, size, sha256, published, created_at, created_by, erased_at"

void store_file_clear(store_file *f) {
    free(f->data);
    memset(f, 0, sizeof *f);
}

static void read_file(db_stmt *st, store_file *f) {
    memset(f, 0, sizeof *f);
    f->id = db_col_int(st, 0);
    f->case_id = db_col_int(st, 1);
    f->event_seq = (int)db_col_int(st, 2);
    st_col_copy(st, 3, f->name, sizeof f->name);
    st_col_copy(st, 4, f->mime, sizeof f->mime);
    f->size = db_col_int(st, 5);
    st_col_hash(st, 6, f->sha256);
    f->published = db_col_int(st, 7) != 0;
    f->created_at = db_col_int(st, 8);
    st_col_copy(st, 9, f->created_by, sizeof f->created_by);
    f->erased_at = db_col_int(st, 10);
}

int store_file_limit(store *s, size_t *max, err *e) {
    char v[32];
    int rc = store_config_get(s, "attachment_max_bytes", v, sizeof v, e);
    long long n = rc ? 0 : strtoll(v, NULL, 10);
    if (rc == ERR_NOTFOUND || (!rc && n <= 0)) rc = 0, n = FILE_DEFAULT_MAX;
    *max = (size_t)n;
    return rc;
}

int store_file_add(store *s, int64_t case_id, int64_t unit, const char *actor, int64_t at,
                   const char *name, const unsigned char *data, size_t n, store_file *out, err *e) {
    size_t max;
    const char *mime;
    int rc = store_file_limit(s, &max, e);
    if (rc || (rc = file_check(data, n, max, name ? file_base(name) : NULL, &mime, e))) return rc;
    name = file_base(name);
    store_file f = {.case_id = case_id, .size = (int64_t)n, .created_at = at};
    snprintf(f.name, sizeof f.name, "%s", name);
    snprintf(f.mime, sizeof f.mime, "%s", mime);
    snprintf(f.created_by, sizeof f.created_by, "%s", actor);
    crypto_hash_sha256(f.sha256, data, n);
    case_rec c = {0};
    db_stmt *st = NULL;
    if ((rc = st_tx_begin(s, e))) return rc;
    /* the row first (the event names its id), then the event, whose seq it keeps */
    if ((rc = st_prepare(s, "INSERT INTO attachments(case_id, event_seq, name, mime, size, sha256,"
                            " data, created_at, created_by) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                         DB_RETURNS_ID, &st, e)))
        goto out;
    db_bind_int(st, 1, case_id);
    db_bind_int(st, 2, f.event_seq);
    db_bind_text(st, 3, f.name);
    db_bind_text(st, 4, f.mime);
    db_bind_int(st, 5, f.size);
    db_bind_blob(st, 6, f.sha256, 32);
    db_bind_blob(st, 7, data, n);
    db_bind_int(st, 8, at);
    db_bind_text(st, 9, actor);
    if ((rc = st_fail(db_run(st, e), e, "attachment"))) goto out;
    f.id = db_last_id(s->db);
    case_file cf = {.id = f.id, .name = f.name, .mime = f.mime, .size = f.size};
    memcpy(cf.sha256, f.sha256, 32);
    case_req r;
    case_req_init(&r, ACT_ATTACH, at, actor);
    r.file = &cf;
    if ((rc = st_act_in_tx(s, case_id, unit, &r, &c, e))) goto out;
    f.event_seq = c.event_count;
    case_rec_clear(&c);
    db_finalize(st);
    if ((rc = st_prepare(s, "UPDATE attachments SET event_seq = ?2 WHERE id = ?1", 0, &st, e)))
        goto out;
    db_bind_int(st, 1, f.id);
    db_bind_int(st, 2, f.event_seq);
    rc = st_fail(db_run(st, e), e, "attachment");
out:
    case_rec_clear(&c);
    db_finalize(st);
    rc = st_tx_end(s, rc, e);
    if (!rc && out) *out = f;
    return rc;
}

int store_file_publish(store *s, int64_t case_id, int64_t file_id, bool published,
                       const char *actor, int64_t at, err *e) {
    db_stmt *st = NULL;
    int rc = st_tx_begin(s, e);
    if (rc) return rc;
    if ((rc = st_prepare(s, "UPDATE attachments SET published = ?3 WHERE id = ?1 AND case_id = ?2",
                         0, &st, e)))
        goto out;
    db_bind_int(st, 1, file_id);
    db_bind_int(st, 2, case_id);
    db_bind_int(st, 3, published);
    if ((rc = st_fail(db_run(st, e), e, "attachment"))) goto out;
    if (db_changes(s->db) != 1) {
        rc = err_set(e, ERR_NOTFOUND, "attachment", "case %lld has no attachment %lld",
                     (long long)case_id, (long long)file_id);
        goto out;
    }
    case_file cf = {.id = file_id, .published = published};
    case_req r;
    case_rec c = {0};
    case_req_init(&r, ACT_PUBLISH_ATTACHMENT, at, actor);
    r.file = &cf;
    rc = st_act_in_tx(s, case_id, 0, &r, &c, e);
    case_rec_clear(&c);
out:
    db_finalize(st);
    return st_tx_end(s, rc, e);
}

int store_file_list(store *s, int64_t case_id, bool published_only, store_file_fn fn, void *ctx,
                    err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT " FILE_COLS " FROM attachments WHERE case_id = ?1"
                           " AND (published = 1 OR ?2 = 0) ORDER BY id", 0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, case_id);
    db_bind_int(st, 2, published_only);
    while (db_next(st, &rc, e)) {
        store_file f;
        read_file(st, &f);
        rc = fn(ctx, &f);
    }
    db_finalize(st);
    return rc;
}

int store_file_get(store *s, int64_t case_id, int64_t file_id, store_file *out, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT " FILE_COLS ", data FROM attachments WHERE id = ?1"
                           " AND (case_id = ?2 OR ?2 = 0)", 0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, file_id);
    db_bind_int(st, 2, case_id);
    if ((rc = db_first(st, e)) == ERR_NOTFOUND)
        err_set(e, ERR_NOTFOUND, "attachment", "case %lld has no attachment %lld", (long long)case_id,
                (long long)file_id);
    if (!rc && !db_col_null(st, 10))
        rc = err_set(e, ERR_NOTFOUND, "attachment", "attachment %lld was erased when its case's retention period"
                     " ended", (long long)file_id);
    if (!rc) {
        size_t n;
        const void *p = db_col_blob(st, 11, &n);
        read_file(st, out);
        if (!(out->data = malloc(n ? n : 1))) rc = err_set(e, ERR_NOMEM, "", "out of memory");
        else if (n) memcpy(out->data, p, n);
        out->size = (int64_t)n; /* the bytes as they are now: what is served */
    }
    db_finalize(st);
    return rc;
}
