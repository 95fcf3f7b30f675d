/* store_sqlite_int: what the files of the SQLite backend share: the
 * connection, its cached statements and the small helpers around them.
 * Private to src/store/; nothing above the store includes it. */
#ifndef DUBAN_STORE_SQLITE_INT_H
#define DUBAN_STORE_SQLITE_INT_H

#include <sqlite3.h>

#include "store/store.h"

#define CASE_COLS                                                                           \
    "c.id, c.case_no, c.channel, c.class, c.status, c.title, c.description,"                \
    " c.requester_name, c.requester_phone, c.confidential, c.result,"                       \
    " c.received_at, c.dispatched_at, c.accepted_at, c.first_feedback_at, c.resolved_at,"   \
    " c.visited_at, c.closed_at, c.updated_at, c.dispatch_due, c.accept_due,"               \
    " c.feedback_due, c.resolve_due, c.satisfaction, c.solved, c.visit_waived,"             \
    " c.reopen_count, c.extension_count, c.plan_count, c.return_count, c.pending,"          \
    " c.pending_until, coalesce(a.alerted, 0), c.event_count, c.last_hash,"                              \
    " lu.id, lu.code, lu.name, cat.id, cat.code, cat.name, tw.id, tw.code, tw.name"          \
    " FROM cases c LEFT JOIN case_alerts a ON a.case_id = c.id"                             \
    " LEFT JOIN units lu ON lu.id = c.lead_unit_id"                                         \
    " LEFT JOIN categories cat ON cat.id = c.category_id"                                   \
    " LEFT JOIN units tw ON tw.id = c.township_id"

/* Cached statements, prepared on first use (sq_prep); texts in store_sqlite.c. */
enum {
    Q_CONFIG_GET, Q_ENV_VERSION, Q_ENV_BUMP, Q_CASE_SEQ_SET, Q_READ_BEGIN, Q_TOKEN_GET,
    Q_SESSION_GET, Q_CONFIG_SET, Q_UNIT_ADD, Q_UNIT_FIND, Q_CAT_ADD, Q_CAT_FIND, Q_CASE_SEQ,
    Q_CASE_SEQ_GET,
    Q_CASE_NEXT_ID, Q_CASE_INSERT, Q_CASE_GET, Q_CASE_ASSISTS, Q_CASE_UPDATE, Q_EVENT_INSERT,
    Q_UNITS_ASSIGN, Q_UNITS_RETURN, Q_EVENTS_OF, Q_NOTICE_INSERT, Q_NOTICE_YELLOW,
    Q_ALERTED_ADD, Q_ALERTED_SET, Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_SAVEPOINT, Q_RELEASE, Q_ROLLBACK_TO, Q_COUNT
};
extern const char *const sq_sql_text[Q_COUNT];

struct store {
    sqlite3 *db;
    int depth; /* explicit batch nesting */
    sqlite3_stmt *q[Q_COUNT];
    cal *cal;
    pol_table pol;
    case_env env;
    char case_prefix[16];
    int64_t env_version; /* of the calendar, policy and tz loaded above */
    /* Case ids and numbers handed out in the current top-level transaction,
     * which holds the write lock, so no one else can hand out any meanwhile.
     * Valid while seq.serial == tx_serial; any rollback drops it. */
    bool read_tx;    /* inside store_read_begin */
    bool read_paused; /* a write interrupted it: restart after the write */
    uint64_t tx_serial;
    struct { uint64_t serial; int32_t day; int n; int64_t next_id; } seq;
};

int sq_db_err(store *s, err *e, const char *what);
int sq_exec(store *s, const char *sql, err *e);
/* A cached statement, reset and cleared for a new use. */
sqlite3_stmt *sq_prep(store *s, int id, err *e);
/* Runs a statement whose rows are not needed; maps constraint errors to ERR_CONFLICT. */
int sq_step_done(store *s, sqlite3_stmt *st, err *e, const char *what);
/* One operation's transaction: BEGIN IMMEDIATE, or a savepoint inside a batch.
 * sq_tx_end commits on rc == 0, else undoes everything since sq_tx_begin. */
int sq_tx_begin(store *s, err *e);
/* Runs one prepared write (then finalizes it) in its own transaction. */
int sq_write1(store *s, sqlite3_stmt *st, const char *what, err *e);
/* Reloads the calendar, policy and time zone if another connection changed them. */
int sq_env_fresh(store *s, err *e);
int sq_tx_end(store *s, int rc, err *e);

/* Times and ids of 0 are stored as NULL and read back as 0. */
void sq_bind_time(sqlite3_stmt *st, int i, int64_t t);
void sq_bind_id(sqlite3_stmt *st, int i, int64_t id);
void sq_bind_text(sqlite3_stmt *st, int i, const char *v);
int64_t sq_col_time(sqlite3_stmt *st, int i);
char *sq_col_dup(sqlite3_stmt *st, int i);
void sq_col_copy(sqlite3_stmt *st, int i, char *out, size_t n);
/* Reads (id, code, name) at columns i..i+2; an all-NULL triple is "none". */
void sq_read_ref(sqlite3_stmt *st, int i, unit_ref *u);

/* store_sqlite_case.c */
int sq_read_event(sqlite3_stmt *st, case_event *ev);
int64_t sq_yellow_at(void *ctx, int64_t case_id, case_due_kind kind);
int sq_set_alerts(store *s, int64_t case_id, uint32_t alerted, int64_t alert_at, err *e);

/* store_sqlite_report.c: migration 2's back-fill of alert times */
int sq_seed_alert_at(store *s, err *e);

#endif
