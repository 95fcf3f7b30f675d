/* db_int: what a driver implements (one table of functions) and the two
 * structs every driver's own connection and statement begin with. Private to
 * src/db/. */
#ifndef DUBAN_DB_INT_H
#define DUBAN_DB_INT_H

#include "db/db.h"

typedef struct db_driver {
    db_dialect dialect;
    void (*close)(db *d);
    bool (*healthy)(db *d);
    int (*prepare)(db *d, const char *sql, unsigned flags, db_stmt **out, err *e);
    void (*finalize)(db_stmt *st);
    void (*reset)(db_stmt *st);
    void (*bind_int)(db_stmt *st, int i, int64_t v);
    void (*bind_double)(db_stmt *st, int i, double v);
    void (*bind_text)(db_stmt *st, int i, const char *v);
    void (*bind_blob)(db_stmt *st, int i, const void *p, size_t n);
    void (*bind_null)(db_stmt *st, int i);
    int (*step)(db_stmt *st, err *e);
    bool (*col_null)(db_stmt *st, int i);
    int64_t (*col_int)(db_stmt *st, int i);
    double (*col_double)(db_stmt *st, int i);
    const char *(*col_text)(db_stmt *st, int i);
    const void *(*col_blob)(db_stmt *st, int i, size_t *n);
    int (*col_count)(db_stmt *st);
    const char *(*col_name)(db_stmt *st, int i);
    db_type (*col_type)(db_stmt *st, int i);
    int64_t (*last_id)(db *d);
    int64_t (*changes)(db *d);
    int (*exec)(db *d, const char *sql, err *e);
    bool (*in_tx)(db *d);
    bool (*read_only)(db *d);
    int (*listen)(db *d, const char *channel, err *e);
    bool (*notified)(db *d);
    int (*try_lead)(db *d, int64_t key, bool *leading, err *e);
    /* How many times the statement was compiled again since the last call
     * (SQLite: a schema change, or a plan tied to a value bound). */
    unsigned (*recompiled)(db_stmt *st);
    /* Whether a statement may be finalized now without touching work in
     * flight (PostgreSQL: no deferred write waits in the pipeline, whose
     * failure a DEALLOCATE would read and lose). */
    bool (*idle)(db *d);
    /* A page-for-page copy of the database, of the snapshot the connection
     * reads in (NULL: the driver has no such copy). */
    int (*copy_to)(db *d, const char *path, err *e);
} db_driver;

/* The statements a connection keeps for reuse (db.c): at most DB_CACHE_MAX,
 * found by their text and flags, the least recently used finalized when a
 * new one needs the room. */
typedef struct db_cache {
    db_stmt *slot[DB_CACHE_MAX];
    int n;
    uint64_t tick; /* the clock of "recently used" */
} db_cache;

struct db {
    const db_driver *drv;
    db_cache cache;
    bool closing; /* db_close: what the server holds goes with the connection */
};

struct db_stmt {
    const db_driver *drv;
    bool writes; /* INSERT, UPDATE, DELETE ...: refused while a fault is injected (db.c) */
    /* The cache's (a statement it holds): its key, whether a caller has it
     * now, and when one last took it. */
    bool cached, in_use;
    unsigned flags;
    size_t len;
    uint64_t used;
    char *sql; /* owned */
};

int db_sqlite_open(const char *path, const db_opts *o, db **out, err *e);
int db_pg_open(const char *conninfo, const db_opts *o, db **out, err *e);

#endif
