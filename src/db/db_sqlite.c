/* db_sqlite: the SQLite driver. WAL, foreign keys, synchronous=FULL unless
 * asked otherwise; statements map one to one onto sqlite3_stmt. The only file
 * that includes sqlite3.h. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db_int.h"

typedef struct lite {
    db base;
    sqlite3 *h;
    int64_t last_id;
} lite;

typedef struct lite_stmt {
    db_stmt base;
    lite *d;
    sqlite3_stmt *st;
    unsigned flags;
} lite_stmt;

#define L(d) ((lite *)(d))
#define S(st) ((lite_stmt *)(st))

/* A full disk or a read-only file: what SQLite says when it cannot write
 * (an fsync or write failing is how a full disk often shows). */
static bool no_space(int ext) {
    int primary = ext & 0xff;
    return primary == SQLITE_FULL || primary == SQLITE_READONLY || ext == SQLITE_IOERR_WRITE ||
           ext == SQLITE_IOERR_FSYNC || ext == SQLITE_IOERR_SHMSIZE || ext == SQLITE_IOERR_TRUNCATE;
}

static int fail(lite *d, err *e, int rc) {
    int ext = sqlite3_extended_errcode(d->h);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return err_set(e, ERR_CONFLICT, "", "already exists");
    (void)rc;
    return err_set(e, no_space(ext) ? ERR_FULL : ERR_IO, "", "database: %s", sqlite3_errmsg(d->h));
}

static void lite_close(db *d) {
    sqlite3_close(L(d)->h);
    free(d);
}

static bool lite_healthy(db *d) { return L(d)->h != NULL; }

static int lite_prepare(db *d, const char *sql, unsigned flags, db_stmt **out, err *e);

static void lite_finalize(db_stmt *st) {
    sqlite3_finalize(S(st)->st);
    free(st);
}

static void lite_reset(db_stmt *st) {
    sqlite3_reset(S(st)->st);
    sqlite3_clear_bindings(S(st)->st);
}

static void bind_int(db_stmt *st, int i, int64_t v) { sqlite3_bind_int64(S(st)->st, i, v); }
static void bind_double(db_stmt *st, int i, double v) { sqlite3_bind_double(S(st)->st, i, v); }
static void bind_text(db_stmt *st, int i, const char *v) {
    sqlite3_bind_text(S(st)->st, i, v, -1, SQLITE_STATIC);
}
static void bind_blob(db_stmt *st, int i, const void *p, size_t n) {
    sqlite3_bind_blob(S(st)->st, i, p, (int)n, SQLITE_STATIC);
}
static void bind_null(db_stmt *st, int i) { sqlite3_bind_null(S(st)->st, i); }

static int lite_step(db_stmt *st, err *e) {
    lite_stmt *s = S(st);
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW) return DB_ROW;
    if (rc == SQLITE_DONE) {
        if (s->flags & DB_RETURNS_ID) s->d->last_id = sqlite3_last_insert_rowid(s->d->h);
        return DB_DONE;
    }
    return fail(s->d, e, rc);
}

static bool col_null(db_stmt *st, int i) { return sqlite3_column_type(S(st)->st, i) == SQLITE_NULL; }
static int64_t col_int(db_stmt *st, int i) { return sqlite3_column_int64(S(st)->st, i); }
static double col_double(db_stmt *st, int i) { return sqlite3_column_double(S(st)->st, i); }
static const char *col_text(db_stmt *st, int i) {
    return (const char *)sqlite3_column_text(S(st)->st, i);
}
static const void *col_blob(db_stmt *st, int i, size_t *n) {
    const void *p = sqlite3_column_blob(S(st)->st, i);
    *n = (size_t)sqlite3_column_bytes(S(st)->st, i);
    return p;
}

static int col_count(db_stmt *st) { return sqlite3_column_count(S(st)->st); }
static const char *col_name(db_stmt *st, int i) { return sqlite3_column_name(S(st)->st, i); }
static db_type col_type(db_stmt *st, int i) {
    switch (sqlite3_column_type(S(st)->st, i)) {
    case SQLITE_INTEGER: return DB_INT;
    case SQLITE_FLOAT: return DB_DOUBLE;
    case SQLITE_TEXT: return DB_TEXT;
    case SQLITE_BLOB: return DB_BLOB;
    default: return DB_NULL;
    }
}

static int64_t lite_last_id(db *d) { return L(d)->last_id; }
static int64_t lite_changes(db *d) { return sqlite3_changes64(L(d)->h); }

static int lite_exec(db *d, const char *sql, err *e) {
    char *msg = NULL;
    int rc = sqlite3_exec(L(d)->h, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK) return 0;
    int ext = sqlite3_extended_errcode(L(d)->h);
    rc = err_set(e, ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY
                        ? ERR_CONFLICT : no_space(ext) ? ERR_FULL : ERR_IO,
                 "", "database: %s", msg ? msg : "error");
    sqlite3_free(msg);
    return rc;
}

static bool lite_in_tx(db *d) { return !sqlite3_get_autocommit(L(d)->h); }

static bool lite_read_only(db *d) {
    (void)d;
    return false;
}

static int lite_listen(db *d, const char *channel, err *e) {
    (void)d, (void)channel, (void)e;
    return 0;
}

static bool lite_notified(db *d) {
    (void)d;
    return true; /* cannot tell: the caller checks */
}

static int lite_try_lead(db *d, int64_t key, bool *leading, err *e) {
    (void)d, (void)key, (void)e;
    *leading = true;
    return 0;
}

static unsigned lite_recompiled(db_stmt *st) {
    return (unsigned)sqlite3_stmt_status(S(st)->st, SQLITE_STMTSTATUS_REPREPARE, 1);
}

static bool lite_idle(db *d) {
    (void)d;
    return true;
}

/* The online backup in one step: a step holds the source's read
 * transaction throughout (the caller's, when one is open), so no writer of
 * another connection can make it start again, and the copy is exactly that
 * transaction's snapshot. */
static int lite_copy_to(db *d, const char *path, err *e) {
    sqlite3 *to = NULL;
    int rc = sqlite3_open_v2(path, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(to, "main", L(d)->h, "main");
        if (b) {
            rc = sqlite3_backup_step(b, -1);
            int fin = sqlite3_backup_finish(b);
            rc = rc == SQLITE_DONE ? fin : rc;
        } else {
            rc = sqlite3_errcode(to);
        }
    }
    int out = rc == SQLITE_OK ? 0
                              : err_set(e, no_space(rc) ? ERR_FULL : ERR_IO, "path", "cannot copy to '%s': %s", path,
                                        to ? sqlite3_errmsg(to) : sqlite3_errstr(rc));
    sqlite3_close(to);
    return out;
}

static const db_driver driver = {
    .dialect = DB_SQLITE,
    .close = lite_close,
    .healthy = lite_healthy,
    .prepare = lite_prepare,
    .finalize = lite_finalize,
    .reset = lite_reset,
    .bind_int = bind_int,
    .bind_double = bind_double,
    .bind_text = bind_text,
    .bind_blob = bind_blob,
    .bind_null = bind_null,
    .step = lite_step,
    .col_null = col_null,
    .col_int = col_int,
    .col_double = col_double,
    .col_text = col_text,
    .col_blob = col_blob,
    .col_count = col_count,
    .col_name = col_name,
    .col_type = col_type,
    .last_id = lite_last_id,
    .changes = lite_changes,
    .exec = lite_exec,
    .in_tx = lite_in_tx,
    .read_only = lite_read_only,
    .listen = lite_listen,
    .notified = lite_notified,
    .try_lead = lite_try_lead,
    .recompiled = lite_recompiled,
    .idle = lite_idle,
    .copy_to = lite_copy_to,
};

static int lite_prepare(db *d, const char *sql, unsigned flags, db_stmt **out, err *e) {
    lite_stmt *s = calloc(1, sizeof *s);
    if (!s) return err_set(e, ERR_NOMEM, "", "out of memory");
    s->base.drv = &driver;
    s->d = L(d);
    s->flags = flags;
    if (sqlite3_prepare_v3(L(d)->h, sql, -1, flags & DB_PERSISTENT ? SQLITE_PREPARE_PERSISTENT : 0,
                           &s->st, NULL) != SQLITE_OK) {
        int rc = err_set(e, ERR_IO, "", "database: %s", sqlite3_errmsg(L(d)->h));
        free(s);
        return rc;
    }
    *out = &s->base;
    return 0;
}

int db_sqlite_open(const char *path, const db_opts *o, db **out, err *e) {
    lite *d = calloc(1, sizeof *d);
    int rc;
    if (!d) return err_set(e, ERR_NOMEM, "", "out of memory");
    d->base.drv = &driver;
    if (o->must_exist && access(path, F_OK) != 0) {
        free(d);
        return err_set(e, ERR_NOTFOUND, "db",
                       "database '%s' does not exist (create it with 'duban --db %s init')", path,
                       path);
    }
    /* NOMUTEX: a connection is used by one thread at a time (a store is
     * owned by its thread, or lent by store_pool), so SQLite need not lock
     * on every call — a report reading a million rows made ten million. */
    if (sqlite3_open_v2(path, &d->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL)) {
        rc = err_set(e, ERR_IO, "db", "cannot open database '%s': %s", path,
                     d->h ? sqlite3_errmsg(d->h) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(d->h, 5000);
    if ((rc = lite_exec(&d->base,
                        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
                        " PRAGMA temp_store = MEMORY;"
                        /* Reports scan whole indexes: map the file rather than copy
                         * pages through the (small) page cache. */
                        " PRAGMA mmap_size = 1073741824;"
                        /* Batches of thousands of cases spill a 2 MiB cache to the WAL. */
                        " PRAGMA cache_size = -16384;",
                        e)) ||
        (rc = lite_exec(&d->base,
                        o->sync_normal ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL",
                        e))) {
        err_prefix(e, "cannot open database '%s': ", path);
        goto fail;
    }
    *out = &d->base;
    return 0;
fail:
    lite_close(&d->base);
    return rc;
}
