/* store: the only door to persistent data, and duban's rules of persistence
 * written once over the SQL drivers in src/db/ (SQLite, PostgreSQL). This
 * header holds opening, transactions, the deadline environment and the
 * configuration; the records are in store_ref.h (reference data),
 * store_case.h (cases), store_report.h (supervision and figures) and
 * store_auth.h (accounts). Every case change is one transaction holding the
 * new case row and one hash-chained event; on error nothing is written. */
#ifndef DUBAN_STORE_H
#define DUBAN_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/case.h"
#include "util/err.h"

typedef struct store store;

typedef struct store_opts {
    int max_version;  /* migrate only this far (tests of old schemas); 0 = latest */
    bool sync_normal; /* a commit need not reach the disk before it returns */
    bool must_exist;  /* refuse a SQLite file that does not exist yet */
} store_opts;

/* target: a SQLite file ("sqlite:PATH" or PATH) or a PostgreSQL connection
 * string ("postgresql://..."). Creates or upgrades the schema. */
int store_open(const char *target, const store_opts *opts, store **out, err *e);
void store_close(store *s);
/* False once the database connection is lost (a pool then drops it). */
bool store_healthy(store *s);
/* The target as it may be shown or logged (a password in it hidden). */
void store_target_label(const char *target, char *out, size_t n);
/* "sqlite" or "postgresql". */
const char *store_driver_name(const store *s);
/* True when the database takes one writer at a time (SQLite): then the only
 * way for writes to share a flush to disk is to batch them in one
 * transaction. PostgreSQL's concurrent commits share their WAL flushes. */
bool store_single_writer(const store *s);
int store_schema_version(store *s);
int store_latest_version(void);

/* The calendar, policy and time zone cases are judged by; owned by the store.
 * Brought up to date (if another connection changed them) at the start of
 * each write transaction and by store_refresh, by asking the database; at
 * the start of a read, once the change's notice has arrived (PostgreSQL). */
const case_env *store_env(store *s);
int store_refresh(store *s, err *e);

/* Around the reads of one HTTP request: one snapshot where that is cheaper
 * than one per statement (SQLite). A write inside it ends it, writes, and
 * starts a fresh one, so writes always see the latest state. */
int store_read_begin(store *s, err *e);
void store_read_end(store *s);

/* Explicit batches: inside one, each operation is a savepoint (a failed one
 * still writes nothing) and the batch commits once. */
int store_begin(store *s, err *e);
int store_commit(store *s, err *e);
void store_rollback(store *s);

/* Configuration: tz_offset (e.g. "+08:00"), case_prefix (e.g. "MZ"),
 * jurisdiction_id (Open311). */
int store_config_get(store *s, const char *key, char *out, size_t outsz, err *e);
int store_config_set(store *s, const char *key, const char *value, int64_t now, err *e);
/* A setting a figure reads (rank_min_dispatched, appraisal_weights) as it
 * was at `at`: each change is kept with its moment. */
int store_config_at(store *s, const char *key, int64_t at, char *out, size_t outsz, err *e);
int64_t store_config_int_at(store *s, const char *key, int64_t at, int64_t fallback);
/* A 32-byte secret kept under key (hex, in the configuration, shown by no
 * command and no API), made the first time it is asked for; the same one on
 * every node. */
int store_secret(store *s, const char *key, unsigned char out[32], err *e);
/* A whole-number setting, or fallback when it is missing or not a number
 * (values are checked when set: core/ref.h). */
int64_t store_config_int(store *s, const char *key, int64_t fallback);

/* Where each new case's text key (core/audit.h) comes from: random by
 * default. The demo derives them from its seed, so that a seed always gives
 * the same database; nothing else should. */
typedef void (*store_key_fn)(void *ctx, int64_t case_id, unsigned char key[32]);
void store_set_key_source(store *s, store_key_fn fn, void *ctx);

/* Background work on one node at a time (the sweep): true when this
 * connection holds the lead; it keeps it until the connection closes. */
int store_try_lead(store *s, bool *leading, err *e);

#endif
