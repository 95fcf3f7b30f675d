/* db: the SQL driver interface the store is written against, after
 * PowerDNS's SSql and Dovecot's lib-sql: a connection, prepared statements
 * with numbered parameters (?1, ?2 ... in every dialect), rows, and the few
 * things a dialect does differently. Two drivers: SQLite (db_sqlite.c, the
 * only file that includes sqlite3.h) and PostgreSQL (db_pg.c, the only file
 * that includes libpq-fe.h). Nothing here knows about cases. */
#ifndef DUBAN_DB_H
#define DUBAN_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef enum { DB_SQLITE, DB_POSTGRES, DB_DIALECT_COUNT } db_dialect;

typedef struct db db;
typedef struct db_stmt db_stmt;

typedef struct db_opts {
    bool sync_normal; /* SQLite synchronous=NORMAL / PostgreSQL synchronous_commit=off */
    bool must_exist;  /* SQLite: refuse a file that does not exist yet */
} db_opts;

/* A target is a libpq connection string ("postgresql://...", "postgres://..."
 * or "host=... dbname=...") or a SQLite file ("sqlite:PATH" or a plain path). */
db_dialect db_dialect_of_target(const char *target);
/* The target as it may be shown or logged: a password in it is replaced by "***". */
void db_target_label(const char *target, char *out, size_t n);
int db_open(const char *target, const db_opts *o, db **out, err *e);
void db_close(db *d);
db_dialect db_dialect_of(const db *d);
/* False once the connection is lost: a pool drops it instead of reusing it. */
bool db_healthy(db *d);

/* Statement flags. */
enum {
    /* The caller keeps it for the connection's life (prepared once, named);
     * without this flag a statement comes from the connection's cache. */
    DB_PERSISTENT = 1,
    DB_RETURNS_ID = 2, /* an INSERT whose new row's id db_last_id gives */
    DB_LARGE = 4,      /* may return very many rows: streamed, not held in memory */
    /* A write inside a transaction whose rows and count are not needed: a
     * driver may send it without waiting (PostgreSQL's pipeline), and then
     * its failure is reported by the next statement that is not deferred
     * (the COMMIT at the latest). */
    DB_DEFER = 8,
};

/* Steps return a row, the end, or an ERR_* code. */
enum { DB_ROW = 100, DB_DONE = 101 };

/* Every statement is prepared once per connection: db_prepare finds a text
 * (with the same flags) prepared before in the connection's cache and hands
 * it out again, reset; db_finalize gives it back (a statement the caller
 * owns, DB_PERSISTENT, or one the cache could not hold, is finalized). On
 * PostgreSQL a cached statement is a named prepared statement, planned by
 * the server once rather than with every run. The cache keeps at most
 * DB_CACHE_MAX statements and finalizes the least recently used to make
 * room; a text already in use (a statement run inside its own loop) gets a
 * second statement, cached beside the first. */
#define DB_CACHE_MAX 128
int db_prepare(db *d, const char *sql, unsigned flags, db_stmt **out, err *e);
void db_finalize(db_stmt *st);
/* Finalizes every cached statement (none may be in use): after the schema
 * changed under them. */
void db_cache_clear(db *d);
/* Statements prepared (a cache miss or an owned statement), taken again from
 * a cache, finalized to make room, and cached ones compiled again by the
 * database itself (SQLite: after a schema change, or when a parameter's
 * value decides the plan — a statement to write otherwise), by every
 * connection of the process since it started. */
typedef struct db_cache_stats {
    uint64_t prepared, reused, evicted, recompiled;
} db_cache_stats;
void db_cache_stats_get(db_cache_stats *out);
/* Ready for new bindings and a new run (bindings are cleared). */
void db_reset(db_stmt *st);

/* Parameters count from 1. Text and blobs are not copied: they must stay
 * valid until the statement is stepped to its end or reset. NULL text binds
 * NULL; db_bind_id binds 0 as NULL (ids and times of 0 mean "none"). */
void db_bind_int(db_stmt *st, int i, int64_t v);
void db_bind_id(db_stmt *st, int i, int64_t v);
void db_bind_double(db_stmt *st, int i, double v);
void db_bind_text(db_stmt *st, int i, const char *v);
void db_bind_blob(db_stmt *st, int i, const void *p, size_t n);
void db_bind_null(db_stmt *st, int i);

/* DB_ROW, DB_DONE, or an error: ERR_CONFLICT for a uniqueness violation or a
 * lost race with another transaction (retry), ERR_IO for everything else. */
int db_step(db_stmt *st, err *e);

/* Columns count from 0 and are valid until the next step or reset. NULL reads
 * as 0, "" or an empty blob; db_col_null tells them apart. */
bool db_col_null(db_stmt *st, int i);
int64_t db_col_int(db_stmt *st, int i);
double db_col_double(db_stmt *st, int i);
const char *db_col_text(db_stmt *st, int i); /* NULL for NULL */
const void *db_col_blob(db_stmt *st, int i, size_t *n);
int db_col_count(db_stmt *st);
const char *db_col_name(db_stmt *st, int i);
/* What a column of the current row holds, for copying values generically. */
typedef enum { DB_NULL, DB_INT, DB_DOUBLE, DB_TEXT, DB_BLOB } db_type;
db_type db_col_type(db_stmt *st, int i);

/* The id of the row the last DB_RETURNS_ID insert made; the rows the last
 * write changed. */
int64_t db_last_id(db *d);
int64_t db_changes(db *d);
/* Runs SQL text without parameters (several statements allowed). */
int db_exec(db *d, const char *sql, err *e);

/* A hot standby (a PostgreSQL replica) takes reads only. */
bool db_read_only(db *d);

/* Whether the connection is inside a transaction. */
bool db_in_tx(db *d);

/* Change notices between connections: db_listen subscribes to a channel;
 * db_notified tells, without a round trip where the driver can (PostgreSQL's
 * LISTEN/NOTIFY), whether a notice came since the last call. A driver that
 * cannot tell (SQLite) always answers true: the caller then checks itself. */
int db_listen(db *d, const char *channel, err *e);
bool db_notified(db *d);

/* Background work on one node at a time: takes (or confirms) the named lead
 * for this connection without waiting; it lasts as long as the connection.
 * SQLite: the file's single writer makes every caller a valid leader. */
int db_try_lead(db *d, int64_t key, bool *leading, err *e);

/* Copies the whole database into a new file at path, as of the snapshot
 * the connection's open read transaction sees (or one of its own): what
 * a count inside the same transaction read is what the copy holds. SQLite
 * only; ERR_INVALID elsewhere. */
int db_copy_to(db *d, const char *path, err *e);

/* ---- helpers over the above (db.c) ---- */

/* The next row of a query: true on a row; false at the end, or on an error,
 * which it stores in *rc. Also false when *rc is already set, so a callback's
 * error ends the loop:  while (db_next(st, &rc, e)) rc = use(row);  */
bool db_next(db_stmt *st, int *rc, err *e);
/* Runs a statement to its end (rows, if any, are skipped). */
int db_run(db_stmt *st, err *e);
/* The first row of a query: 0 on a row, ERR_NOTFOUND (message "no rows") when
 * there is none, or the step's error. */
int db_first(db_stmt *st, err *e);
/* Reads one integer: the first column of the first row. */
int db_query_int(db *d, const char *sql, int64_t *out, err *e);

#endif
