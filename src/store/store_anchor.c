/* store_anchor: see store_anchor.h. */
#include "store/store_anchor.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "store/store_chain.h"
#include "store/store_int.h"

typedef struct leaves {
    unsigned char (*h)[32];
    size_t n, cap;
} leaves;

static int add_leaf(leaves *l, anchor_alg alg, const char *line, err *e) {
    int rc = st_grow(&l->h, &l->cap, l->n, sizeof *l->h, e);
    if (!rc) anchor_leaf_hash(alg, line, strlen(line), l->h[l->n++]);
    return rc;
}

/* What is signed: the anchor's facts, one per line. */
static void message(char *out, size_t n, const char *name, int64_t at, anchor_alg alg, int64_t count,
                    const char *root) {
    snprintf(out, n, "duban-anchor 1\nname %s\nat %lld\nalg %s\nleaves %lld\nroot %s\n", name, (long long)at,
             anchor_alg_name(alg), (long long)count, root);
}

static int write_leaves(store *s, FILE *f, anchor_alg alg, leaves *l, err *e) {
    db_stmt *st;
    char line[160], hex[65];
    int rc = st_prepare(s, "SELECT id, event_count, last_hash FROM cases ORDER BY id", DB_LARGE, &st, e);
    while (!rc && db_next(st, &rc, e)) {
        unsigned char h[32];
        st_col_hash(st, 2, h);
        sodium_bin2hex(hex, sizeof hex, h, 32);
        snprintf(line, sizeof line, "case %lld %lld %s", (long long)db_col_int(st, 0), (long long)db_col_int(st, 1), hex);
        if (!(rc = add_leaf(l, alg, line, e)) && fprintf(f, "%s\n", line) < 0) rc = err_set(e, ERR_IO, "dir", "cannot write the leaves");
    }
    if (st) db_finalize(st);
    for (int c = 0; !rc && c < CHAIN_COUNT; c++) {
        int64_t seq;
        unsigned char h[32];
        if ((rc = store_chain_head(s, (store_chain)c, &seq, h, e))) break;
        sodium_bin2hex(hex, sizeof hex, h, 32);
        snprintf(line, sizeof line, "log %s %lld %s", store_chain_name((store_chain)c), (long long)seq, hex);
        if (!(rc = add_leaf(l, alg, line, e)) && fprintf(f, "%s\n", line) < 0) rc = err_set(e, ERR_IO, "dir", "cannot write the leaves");
    }
    return rc;
}

int store_anchor_write(store *s, const char *dir, const char *key_path, int64_t now, store_anchor *out, err *e) {
    char path[1024], tmp[1040], msg[512];
    leaves l = {0};
    bool began = false;
    FILE *f = NULL;
    memset(out, 0, sizeof *out);
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out->name, sizeof out->name, "anchor-%Y%m%dT%H%M%SZ", &tm);
    int rc = anchor_key_alg(key_path, &out->alg, e);
    if (rc) return rc;
    snprintf(path, sizeof path, "%s/%s.leaves", dir, out->name);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (!(f = fopen(tmp, "w"))) return err_set(e, ERR_IO, "dir", "cannot write in %s", dir);
    /* one snapshot: the heads as they stood together */
    if (!(rc = st_snapshot_begin(s, &began, e))) rc = write_leaves(s, f, out->alg, &l, e);
    st_snapshot_end(s, began);
    if (fclose(f) && !rc) rc = err_set(e, ERR_IO, "dir", "cannot write %s", tmp);
    if (!rc && rename(tmp, path)) rc = err_set(e, ERR_IO, "dir", "cannot write %s", path);
    if (rc) {
        remove(tmp);
        free(l.h);
        return rc;
    }
    unsigned char root[32], sig[ANCHOR_SIG_MAX];
    size_t sig_len;
    anchor_root(out->alg, l.h, l.n, root);
    free(l.h);
    out->leaves = (int64_t)l.n;
    sodium_bin2hex(out->root, sizeof out->root, root, 32);
    message(msg, sizeof msg, out->name, now, out->alg, out->leaves, out->root);
    if ((rc = anchor_sign(key_path, msg, strlen(msg), &out->alg, sig, &sig_len, e))) return rc;
    char sig_hex[2 * ANCHOR_SIG_MAX + 1];
    sodium_bin2hex(sig_hex, sizeof sig_hex, sig, sig_len);
    json_t *o = json_pack("{s:s, s:I, s:s, s:I, s:s, s:s}", "name", out->name, "at", (json_int_t)now, "alg",
                          anchor_alg_name(out->alg), "leaves", (json_int_t)out->leaves, "root", out->root,
                          "signature", sig_hex);
    snprintf(path, sizeof path, "%s/%s.json", dir, out->name);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (json_dump_file(o, tmp, JSON_INDENT(2)) || rename(tmp, path))
        rc = err_set(e, ERR_IO, "dir", "cannot write %s", path);
    json_decref(o);
    return rc;
}

/* ---- verify ---- */

static int names_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The anchors in dir, by name (their moments). */
static int list_anchors(const char *dir, char ***out, size_t *n, err *e) {
    DIR *d = opendir(dir);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (!d) return err_set(e, ERR_NOTFOUND, "anchors", "cannot open the anchors' folder %s", dir);
    struct dirent *de;
    int rc = 0;
    while (!rc && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (strncmp(de->d_name, "anchor-", 7) || len < 6 || strcmp(de->d_name + len - 5, ".json")) continue;
        if (!(rc = st_grow(out, &cap, *n, sizeof **out, e)) && !((*out)[*n] = strndup(de->d_name, len - 5)))
            rc = err_set(e, ERR_NOMEM, "", "out of memory");
        else if (!rc)
            (*n)++;
    }
    closedir(d);
    if (*n) qsort(*out, *n, sizeof **out, names_cmp);
    return rc;
}

static void fail(store_audit *a, const char *anchor, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fail(store_audit *a, const char *anchor, const char *what, const char *fmt, ...) {
    char why[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    snprintf(a->log, sizeof a->log, "%s", what);
    snprintf(a->why, sizeof a->why, "anchor %s: %s", anchor, why);
}

/* One leaf against the database: the link it names is still there. */
static int check_leaf(store *s, db_stmt *ev, const char *name, const char *line, store_audit *a, err *e) {
    char kind[8], what[40], hex[80];
    long long id = 0, count = 0;
    unsigned char want[32], got[32];
    size_t bin = 0;
    bool is_case = sscanf(line, "case %lld %lld %79s", &id, &count, hex) == 3;
    if (!is_case && sscanf(line, "%7s %39s %lld %79s", kind, what, &count, hex) != 4) {
        fail(a, name, "anchor", "a leaf is not one duban writes: %.80s", line);
        return 0;
    }
    sodium_hex2bin(want, 32, hex, strlen(hex), NULL, &bin, NULL);
    if (is_case) {
        db_reset(ev);
        db_bind_int(ev, 1, id);
        db_bind_int(ev, 2, count);
        int rc = db_first(ev, e);
        if (rc && rc != ERR_NOTFOUND) return rc;
        if (!rc) st_col_hash(ev, 0, got);
        db_reset(ev);
        if (rc || memcmp(got, want, 32)) {
            a->bad_case = id;
            a->bad_seq = (int)count;
            snprintf(a->why, sizeof a->why, "its history up to event %lld is not the one anchor %s signed", count, name);
        }
        return 0;
    }
    for (int c = 0; c < CHAIN_COUNT; c++) {
        if (strcmp(what, store_chain_name((store_chain)c))) continue;
        if (!count) return 0;
        int rc = store_chain_link(s, (store_chain)c, count, got, e);
        if (rc && rc != ERR_NOTFOUND) return rc;
        if (rc || memcmp(got, want, 32)) {
            fail(a, name, what, "the log's links up to %lld are not the ones it signed", count);
            a->bad_seq = (int)count;
        }
        return 0;
    }
    fail(a, name, what, "the log %s is not one this database keeps", what);
    return 0;
}

static int verify_one(store *s, const char *dir, const char *name, const char *pub, store_audit *a, err *e) {
    char path[1024], msg[512], line[256];
    json_error_t je;
    snprintf(path, sizeof path, "%s/%s.json", dir, name);
    json_t *o = json_load_file(path, 0, &je);
    const char *alg_s = json_string_value(json_object_get(o, "alg")), *root_s = json_string_value(json_object_get(o, "root"));
    const char *sig_s = json_string_value(json_object_get(o, "signature"));
    json_int_t at = json_integer_value(json_object_get(o, "at")), count = json_integer_value(json_object_get(o, "leaves"));
    anchor_alg alg;
    unsigned char sig[ANCHOR_SIG_MAX];
    size_t sig_len = 0;
    int rc = 0;
    if (!alg_s || !root_s || !sig_s || anchor_alg_parse(alg_s, &alg, NULL) ||
        sodium_hex2bin(sig, sizeof sig, sig_s, strlen(sig_s), NULL, &sig_len, NULL)) {
        fail(a, name, "anchor", "%s is not an anchor duban writes", path);
        goto out;
    }
    message(msg, sizeof msg, name, at, alg, count, root_s);
    err why = {0};
    if (anchor_verify(pub, alg, msg, strlen(msg), sig, sig_len, &why)) {
        if (why.code == ERR_CONFLICT) fail(a, name, "anchor", "its signature does not verify: it was altered or signed with another key");
        else rc = err_set(e, why.code, why.field, "%s", why.msg);
        goto out;
    }
    snprintf(path, sizeof path, "%s/%s.leaves", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) {
        fail(a, name, "anchor", "its leaves (%s) are missing", path);
        goto out;
    }
    leaves l = {0};
    db_stmt *ev = NULL;
    if (!(rc = st_prepare(s, "SELECT hash FROM events WHERE case_id = ?1 AND seq = ?2", 0, &ev, e))) {
        while (!rc && fgets(line, sizeof line, f)) {
            line[strcspn(line, "\n")] = '\0';
            rc = add_leaf(&l, alg, line, e);
        }
        unsigned char root[32];
        char hex[65];
        anchor_root(alg, l.h, l.n, root);
        sodium_bin2hex(hex, sizeof hex, root, 32);
        if (!rc && ((json_int_t)l.n != count || strcmp(hex, root_s)))
            fail(a, name, "anchor", "its leaves do not give the root it signed (the leaves file was altered)");
        rewind(f);
        while (!rc && STORE_AUDIT_OK(a) && fgets(line, sizeof line, f)) {
            line[strcspn(line, "\n")] = '\0';
            rc = check_leaf(s, ev, name, line, a, e);
        }
    }
    db_finalize(ev);
    fclose(f);
    free(l.h);
out:
    json_decref(o);
    return rc;
}

int store_anchor_newest(const char *dir, int64_t *at, err *e) {
    char **names;
    size_t n;
    *at = 0;
    int rc = list_anchors(dir, &names, &n, e);
    struct tm tm = {0};
    if (!rc && n && strptime(names[n - 1], "anchor-%Y%m%dT%H%M%SZ", &tm)) *at = (int64_t)timegm(&tm);
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

int store_anchor_verify(store *s, const char *dir, const char *pub_path, store_audit *a, int *anchors, err *e) {
    char **names;
    size_t n;
    *anchors = 0;
    int rc = list_anchors(dir, &names, &n, e);
    bool began = false;
    if (!rc) rc = st_snapshot_begin(s, &began, e);
    for (size_t i = 0; !rc && STORE_AUDIT_OK(a) && i < n; i++) {
        rc = verify_one(s, dir, names[i], pub_path, a, e);
        (*anchors)++;
    }
    st_snapshot_end(s, began);
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}
