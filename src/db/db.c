/* db: picks the driver for a target, forwards each call to it, and the
 * helpers every caller shares (db_next above all: one place decides that a
 * step which is neither a row nor the end is an error, never "no more rows"). */
#include "db/db_int.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

db_dialect db_dialect_of_target(const char *t) {
    if (!t) return DB_SQLITE;
    if (strncmp(t, "postgresql://", 13) == 0 || strncmp(t, "postgres://", 11) == 0) return DB_POSTGRES;
    if (strncmp(t, "sqlite:", 7) == 0) return DB_SQLITE;
    /* libpq's key=value form: "host=... dbname=..." (a file name has no '=' and ' ') */
    if (strchr(t, '=') && strchr(t, ' ') && !strchr(t, '/')) return DB_POSTGRES;
    if (strncmp(t, "dbname=", 7) == 0 || strncmp(t, "host=", 5) == 0) return DB_POSTGRES;
    return DB_SQLITE;
}

void db_target_label(const char *t, char *out, size_t n) {
    const char *scheme = t ? strstr(t, "://") : NULL;
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
    const char *pw = t ? strstr(t, "password=") : NULL;
    if (colon) /* postgresql://user:secret@host/db */
        snprintf(out, n, "%.*s:***%s", (int)(colon - t), t, at);
    else if (pw) /* key=value: password=secret ... */
        snprintf(out, n, "%.*spassword=***%s", (int)(pw - t), t, pw + 9 + strcspn(pw + 9, " "));
    else
        snprintf(out, n, "%s", t ? t : "");
}

int db_open(const char *target, const db_opts *o, db **out, err *e) {
    static const db_opts defaults = {0};
    *out = NULL;
    if (!target || !target[0]) return err_set(e, ERR_INVALID, "db", "no database given");
    if (!o) o = &defaults;
    if (db_dialect_of_target(target) == DB_POSTGRES) return db_pg_open(target, o, out, e);
    return db_sqlite_open(strncmp(target, "sqlite:", 7) == 0 ? target + 7 : target, o, out, e);
}

void db_close(db *d) {
    if (!d) return;
    d->closing = true;
    db_cache_clear(d);
    d->drv->close(d);
}
db_dialect db_dialect_of(const db *d) { return d->drv->dialect; }
bool db_healthy(db *d) { return d->drv->healthy(d); }

/* A test's full disk: while the file $DUBAN_FAULT_FULL names exists, every
 * statement that writes fails as a full disk would (ERR_FULL), on either
 * driver, in every process that has the variable — the server under test
 * and its command line — and writes work again once the file is gone. */
static bool fault_full(void) {
    static const char *path;
    static int known; /* 0 not read, 1 read (path may be NULL) */
    if (!__atomic_load_n(&known, __ATOMIC_ACQUIRE)) {
        const char *p = getenv("DUBAN_FAULT_FULL");
        path = p && p[0] ? p : NULL;
        __atomic_store_n(&known, 1, __ATOMIC_RELEASE);
    }
    return path && access(path, F_OK) == 0;
}

static bool writes(const char *sql) {
    while (*sql == ' ' || *sql == '\n' || *sql == '(') sql++;
    static const char *const verbs[] = {"INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "ALTER", "DROP", "VACUUM"};
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++)
        if (!strncasecmp(sql, verbs[i], strlen(verbs[i]))) return true;
    return strstr(sql, "nextval(") != NULL; /* a sequence's number is written too */
}

static int step(db_stmt *st, err *e) {
    if (st->writes && fault_full())
        return err_set(e, ERR_FULL, "", "database or disk is full (injected: DUBAN_FAULT_FULL)");
    return st->drv->step(st, e);
}

/* ---- the statement cache ---- */

static _Atomic uint64_t n_prepared, n_reused, n_evicted, n_recompiled;

static int prepare_new(db *d, const char *sql, unsigned flags, db_stmt **out, err *e) {
    int rc = d->drv->prepare(d, sql, flags, out, e);
    if (!rc) (*out)->writes = writes(sql);
    if (!rc) atomic_fetch_add_explicit(&n_prepared, 1, memory_order_relaxed);
    return rc;
}

static void drop(db_cache *c, int i) {
    db_stmt *st = c->slot[i];
    c->slot[i] = c->slot[--c->n];
    free(st->sql);
    st->drv->finalize(st);
}

/* A slot for a new statement: a free one, or the least recently used that no
 * caller holds; -1 when every statement is held, or when finalizing one now
 * would disturb work in flight (the new one is then not cached). */
static int make_room(db *d, db_cache *c) {
    if (c->n < DB_CACHE_MAX) return c->n;
    if (!d->drv->idle(d)) return -1;
    int lru = -1;
    for (int i = 0; i < c->n; i++)
        if (!c->slot[i]->in_use && (lru < 0 || c->slot[i]->used < c->slot[lru]->used)) lru = i;
    if (lru < 0) return -1;
    drop(c, lru);
    atomic_fetch_add_explicit(&n_evicted, 1, memory_order_relaxed);
    return c->n;
}

int db_prepare(db *d, const char *sql, unsigned flags, db_stmt **out, err *e) {
    db_cache *c = &d->cache;
    *out = NULL;
    if (flags & DB_PERSISTENT) return prepare_new(d, sql, flags, out, e);
    /* A linear look: a hundred lengths compared cost less than hashing a
     * list query's few kilobytes of text, and equal lengths are rare. */
    size_t len = strlen(sql);
    for (int i = 0; i < c->n; i++) {
        db_stmt *st = c->slot[i];
        if (st->len != len || st->flags != flags || memcmp(st->sql, sql, len) != 0) continue;
        if (st->in_use) continue; /* run inside its own loop: another copy, or a new one */
        st->in_use = true;
        st->used = ++c->tick;
        atomic_fetch_add_explicit(&n_reused, 1, memory_order_relaxed);
        *out = st;
        return 0;
    }
    int slot = make_room(d, c);
    char *key = slot < 0 ? NULL : malloc(len + 1);
    /* cached: prepared to last (PostgreSQL: named) */
    int rc = prepare_new(d, sql, key ? flags | DB_PERSISTENT : flags, out, e);
    if (rc || !key) {
        free(key);
        return rc;
    }
    db_stmt *st = *out;
    memcpy(key, sql, len + 1);
    st->sql = key;
    st->len = len;
    st->flags = flags;
    st->cached = st->in_use = true;
    st->used = ++c->tick;
    c->slot[c->n++] = st;
    return 0;
}

void db_finalize(db_stmt *st) {
    if (!st) return;
    if (!st->cached) {
        st->drv->finalize(st);
        return;
    }
    st->drv->reset(st); /* back in the cache: its bindings and results let go */
    st->in_use = false;
    unsigned k = st->drv->recompiled(st);
    if (k) atomic_fetch_add_explicit(&n_recompiled, k, memory_order_relaxed);
}

void db_cache_clear(db *d) {
    while (d->cache.n) drop(&d->cache, d->cache.n - 1);
}

void db_cache_stats_get(db_cache_stats *out) {
    out->prepared = atomic_load_explicit(&n_prepared, memory_order_relaxed);
    out->reused = atomic_load_explicit(&n_reused, memory_order_relaxed);
    out->evicted = atomic_load_explicit(&n_evicted, memory_order_relaxed);
    out->recompiled = atomic_load_explicit(&n_recompiled, memory_order_relaxed);
}
void db_reset(db_stmt *st) { st->drv->reset(st); }
void db_bind_int(db_stmt *st, int i, int64_t v) { st->drv->bind_int(st, i, v); }
void db_bind_id(db_stmt *st, int i, int64_t v) {
    if (v)
        st->drv->bind_int(st, i, v);
    else
        st->drv->bind_null(st, i);
}
void db_bind_double(db_stmt *st, int i, double v) { st->drv->bind_double(st, i, v); }
void db_bind_text(db_stmt *st, int i, const char *v) {
    if (v)
        st->drv->bind_text(st, i, v);
    else
        st->drv->bind_null(st, i);
}
void db_bind_blob(db_stmt *st, int i, const void *p, size_t n) { st->drv->bind_blob(st, i, p, n); }
void db_bind_null(db_stmt *st, int i) { st->drv->bind_null(st, i); }
int db_step(db_stmt *st, err *e) { return step(st, e); }
bool db_col_null(db_stmt *st, int i) { return st->drv->col_null(st, i); }
int64_t db_col_int(db_stmt *st, int i) { return st->drv->col_int(st, i); }
double db_col_double(db_stmt *st, int i) { return st->drv->col_double(st, i); }
const char *db_col_text(db_stmt *st, int i) { return st->drv->col_text(st, i); }
const void *db_col_blob(db_stmt *st, int i, size_t *n) { return st->drv->col_blob(st, i, n); }
int db_col_count(db_stmt *st) { return st->drv->col_count(st); }
const char *db_col_name(db_stmt *st, int i) { return st->drv->col_name(st, i); }
db_type db_col_type(db_stmt *st, int i) { return st->drv->col_type(st, i); }
int64_t db_last_id(db *d) { return d->drv->last_id(d); }
int64_t db_changes(db *d) { return d->drv->changes(d); }
int db_exec(db *d, const char *sql, err *e) { return d->drv->exec(d, sql, e); }
bool db_in_tx(db *d) { return d->drv->in_tx(d); }
bool db_read_only(db *d) { return d->drv->read_only(d); }
int db_listen(db *d, const char *channel, err *e) { return d->drv->listen(d, channel, e); }
bool db_notified(db *d) { return d->drv->notified(d); }
int db_try_lead(db *d, int64_t key, bool *leading, err *e) {
    return d->drv->try_lead(d, key, leading, e);
}

int db_copy_to(db *d, const char *path, err *e) {
    if (!d->drv->copy_to) return err_set(e, ERR_INVALID, "db", "this database cannot be copied to a file");
    return d->drv->copy_to(d, path, e);
}

bool db_next(db_stmt *st, int *rc, err *e) {
    if (*rc) return false;
    int r = step(st, e);
    if (r == DB_ROW) return true;
    if (r != DB_DONE) *rc = r;
    return false;
}

int db_run(db_stmt *st, err *e) {
    int r;
    while ((r = step(st, e)) == DB_ROW) {}
    return r == DB_DONE ? 0 : r;
}

int db_first(db_stmt *st, err *e) {
    int r = step(st, e);
    if (r == DB_ROW) return 0;
    if (r == DB_DONE) return err_set(e, ERR_NOTFOUND, "", "no rows");
    return r;
}

int db_query_int(db *d, const char *sql, int64_t *out, err *e) {
    db_stmt *st;
    int rc = db_prepare(d, sql, 0, &st, e);
    if (rc) return rc;
    if (!(rc = db_first(st, e))) *out = db_col_int(st, 0);
    db_finalize(st);
    return rc;
}
