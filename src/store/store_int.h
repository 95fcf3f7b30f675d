/* store_int: what the files of the store share: the connection, its cached
 * statements (texts in store_sql.c, one per dialect where they differ) and
 * the small helpers around them. Private to src/store/. */
#ifndef DUBAN_STORE_INT_H
#define DUBAN_STORE_INT_H

#include "core/calendar.h"
#include "core/policy.h"
#include "db/db.h"
#include "store/store.h"

/* A statement's text for SQLite and for PostgreSQL; pg is NULL when the
 * SQLite text serves both. An empty text means "nothing to do" there. */
typedef struct store_sql {
    const char *lite, *pg;
} store_sql;
#define SAME(q) {q, NULL} /* one text for both */

/* The columns of a case (read_case_row), its assisting units folded into
 * one column ("id US code US name" joined by RS, in the order they were
 * assigned) so that reading a case is one round trip; the aggregate is the
 * one part whose spelling differs. */
#define CASE_COLS_HEAD                                                                      \
    "c.id, c.case_no, c.channel, c.class, c.status, c.title, c.description,"                \
    " c.requester_name, c.requester_phone, c.confidential, c.result,"                       \
    " c.received_at, c.dispatched_at, c.accepted_at, c.first_feedback_at, c.resolved_at,"   \
    " c.visited_at, c.closed_at, c.updated_at, c.dispatch_due, c.accept_due,"               \
    " c.feedback_due, c.resolve_due, c.satisfaction, c.solved, c.visit_waived,"             \
    " c.reopen_count, c.extension_count, c.plan_count, c.return_count, c.pending,"          \
    " c.pending_until, coalesce(a.alerted, 0), c.event_count, c.last_hash,"                 \
    " lu.id, lu.code, lu.name, cat.id, cat.code, cat.name, tw.id, tw.code, tw.name,"         \
    " c.text_key, c.public_summary, c.public_reply, c.provisional, c.due_from, c.appeal_type,"  \
    " c.instructed_at, c.unreachable_days, c.unreachable_day, c.closed_unreachable,"   \
    " c.merged_into, c.review, c.review_at, c.answer, c.promise_day, c.purged_at, "
#define CASE_ASSISTS_LITE                                                                   \
    "(SELECT group_concat(x, char(30)) FROM (SELECT u.id || char(31) || u.code || char(31)"  \
    " || u.name AS x FROM case_units cu JOIN units u ON u.id = cu.unit_id"                  \
    " WHERE cu.case_id = c.id AND cu.role = 'assist' AND cu.returned_at IS NULL"            \
    " ORDER BY cu.rowid))"
#define CASE_ASSISTS_PG                                                                     \
    "(SELECT string_agg(u.id || chr(31) || u.code || chr(31) || u.name, chr(30)"            \
    " ORDER BY cu.rowid) FROM case_units cu JOIN units u ON u.id = cu.unit_id"              \
    " WHERE cu.case_id = c.id AND cu.role = 'assist' AND cu.returned_at IS NULL)"
#define CASE_JOINS                                                                          \
    " LEFT JOIN case_alerts a ON a.case_id = c.id"                                          \
    " LEFT JOIN units lu ON lu.id = c.lead_unit_id"                                         \
    " LEFT JOIN categories cat ON cat.id = c.category_id"                                   \
    " LEFT JOIN units tw ON tw.id = c.township_id"
#define CASE_FROM " FROM cases c" CASE_JOINS
#define CASE_SELECT_LITE "SELECT " CASE_COLS_HEAD CASE_ASSISTS_LITE CASE_FROM
#define CASE_SELECT_PG "SELECT " CASE_COLS_HEAD CASE_ASSISTS_PG CASE_FROM

#define EVENT_COLS                                                                          \
    "id, case_id, seq, actor, at, action, from_status, to_status, payload, prev_hash, hash,"  \
    " scheme, text, text_digest"

/* Cached statements, prepared on first use (st_prep). */
enum {
    Q_CONFIG_GET, Q_ENV_VERSION, Q_ENV_BUMP, Q_CONFIG_SET, Q_UNIT_ADD, Q_UNIT_FIND, Q_CAT_ADD,
    Q_CAT_FIND, Q_CASE_SEQ_NEXT, Q_CASE_SEQ_SET, Q_CASE_INSERT, Q_CASE_GET,
    Q_CASE_GET_LOCKED, Q_CASE_UPDATE, Q_UNITS_NEXT, Q_EVENT_INSERT, Q_UNITS_ASSIGN,
    Q_UNITS_RETURN, Q_EVENTS_OF, Q_NOTICE_INSERT, Q_ALERTED_ADD, Q_ALERTED_SET,
    Q_ENV_NOTIFY, Q_TOKEN_GET, Q_SESSION_GET, Q_POLICY_PUT, Q_POLICY_SEED, Q_TEXT_NEXT, Q_TEXT_CATCH_UP, Q_TEXT_MARK, Q_TEXT_INSERT,
    Q_SIMILAR_PHONE, Q_SIMILAR_TEXT, Q_SIMILAR_TAIL, Q_SWEEP_DUE, Q_SWEEP_CASE, Q_STATS_SCAN, Q_STATS_SCAN_IDS, Q_IDEMPOTENT_GET,
    Q_IDEMPOTENT_PUT, Q_ATTRIBUTE_PUT, Q_PLACE_PUT, Q_FAILURES_ADD, Q_SCHEMA_VERSION,
    Q_MIGRATE_BEGIN, Q_SNAPSHOT_BEGIN, Q_BEGIN, Q_READ_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_SAVEPOINT,
    Q_RELEASE, Q_ROLLBACK_TO, Q_COUNT
};
extern const store_sql store_sql_text[Q_COUNT];
/* The text of a list query's text filter (?10 is the search text). */
/* A case's columns without FROM, and the joins that follow "cases c". */
extern const store_sql store_sql_case_cols;
#define STORE_CASE_JOINS CASE_JOINS
extern const store_sql store_sql_text_filter, store_sql_text_filter_short, store_sql_public_filter;
/* SELECT <a case's columns> FROM ... for lists. */
extern const store_sql store_sql_case_select;

/* Sets the schema version: "%d" is the version. */
extern const store_sql store_sql_schema_set;

/* Versioned migrations: the same steps for both dialects, side by side. */
typedef struct store_migration {
    store_sql sql;
    int (*seed)(store *s, err *e); /* fills what SQL alone cannot */
} store_migration;
extern const store_migration store_migrations[];
extern const int store_n_migrations;

struct store {
    db *db;
    db_dialect dialect;
    int depth; /* explicit batch nesting */
    db_stmt *q[Q_COUNT];
    cal *cal;
    pol_table pol;
    case_env env;
    char case_prefix[16];
    int64_t env_version; /* of the calendar, policy and tz loaded above */
    bool read_tx;     /* inside store_read_begin */
    bool read_paused; /* a write interrupted it: restart after the write */
    /* Case numbers and ids handed out in the current top-level transaction
     * of a single-writer database (SQLite): no one else can hand out any
     * meanwhile. Valid while seq.serial == tx_serial; any rollback drops it. */
    uint64_t tx_serial;
    struct { uint64_t serial; int32_t day; int n; int64_t next_id; } seq;
    store_key_fn key_fn; /* NULL: random keys */
    void *key_ctx;
};

/* An action on case id inside the caller's transaction (unit: the acting
 * unit's scope, 0 for none); c receives the case as it is after. */
struct case_req;
int st_act_in_tx(store *s, int64_t id, int64_t unit, const struct case_req *r, case_rec *c,
                 err *e);

/* A new text key for case_id (store_set_key_source). */
void st_new_key(store *s, int64_t case_id, unsigned char key[32]);

/* The text of a statement for this connection's dialect. */
const char *st_sql(const store *s, const store_sql *q);
/* A cached statement, reset for a new use; NULL (with e set) on failure. */
db_stmt *st_prep(store *s, int id, err *e);
/* A statement for one use (the caller finalizes it). */
int st_prepare(store *s, const char *sql, unsigned flags, db_stmt **out, err *e);
/* Runs a cached statement with no parameters; nothing when its text is empty. */
int st_exec_q(store *s, int id, err *e);
/* One operation's transaction: BEGIN, or a savepoint inside a batch.
 * st_tx_end commits on rc == 0, else undoes everything since st_tx_begin. */
int st_tx_begin(store *s, err *e);
int st_tx_end(store *s, int rc, err *e);
/* Runs one prepared statement to its end (then finalizes it) in its own transaction. */
int st_write1(store *s, db_stmt *st, err *e);
/* A consistent view for a long read (an audit, a report): a snapshot
 * transaction unless one is already open. st_snapshot_end takes its result. */
int st_snapshot_begin(store *s, bool *began, err *e);
void st_snapshot_end(store *s, bool began);
/* Reloads the calendar, policy and time zone if another connection changed them. */
int st_env_fresh(store *s, err *e);
int st_env_changed(store *s, err *e);
int st_load_env(store *s, err *e);

/* Column readers: times and ids of 0 are NULL; strings are copied. */
char *st_col_dup(db_stmt *st, int i);
void st_col_copy(db_stmt *st, int i, char *out, size_t n);
/* Reads (id, code, name) at columns i..i+2; an all-NULL triple is "none". */
void st_read_ref(db_stmt *st, int i, unit_ref *u);
/* Copies a 32-byte hash column; false when the column is not 32 bytes. */
bool st_col_hash(db_stmt *st, int i, unsigned char out[32]);
/* Makes room for one more element in a growing array (*cap doubles). */
int st_grow(void *arr, size_t *cap, size_t n, size_t size, err *e);
/* Adds the operation's name to a driver error: "event: already exists". */
int st_fail(int rc, err *e, const char *what);

/* store_case.c */
int st_read_event(db_stmt *st, case_event *ev);
/* A row that starts with store_sql_case_cols's columns, into c (empty);
 * columns a query adds after them are read from the row's end. */
int st_read_case(db_stmt *st, case_rec *c, err *e);
int st_set_alerts(store *s, int64_t case_id, uint32_t alerted, int64_t alert_at, err *e);

/* migration seeds: store_ref.c and store_report.c */
int st_seed_calendar(store *s, err *e);
int st_seed_v3(store *s, err *e);
int st_seed_alert_at(store *s, err *e);
int st_seed_next_due(store *s, err *e);
int st_seed_history(store *s, err *e); /* store_history.c */
int st_seed_schemes(store *s, err *e);  /* store_report.c */
int st_seed_chains(store *s, err *e);   /* store_chain.c */
int st_renote_evaluations(store *s, err *e); /* store_chain.c */

#endif
