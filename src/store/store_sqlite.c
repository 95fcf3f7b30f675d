/* store_sqlite: the embedded SQLite backend of store.h: opening, migrations,
 * configuration, calendar, policy and reference data. Cases are in
 * store_sqlite_case.c, supervision and reports in store_sqlite_report.c.
 * WAL, foreign keys, versioned migrations, statements prepared once per
 * connection. Only this backend's files include sqlite3.h. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/calendar_builtin.h"
#include "store/store_sqlite_int.h"

#include "util/datetime.h"

/* ---- statements -------------------------------------------------------- */

const char *const sq_sql_text[Q_COUNT] = {
    [Q_CONFIG_GET] = "SELECT value FROM config WHERE key = ?1",
    [Q_ENV_VERSION] = "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM config"
                      " WHERE key = 'env_version'), 0)",
    [Q_ENV_BUMP] = "UPDATE config SET value = CAST(value AS INTEGER) + 1 WHERE key = 'env_version'",
    [Q_CONFIG_SET] = "INSERT INTO config(key, value) VALUES(?1, ?2)"
                     " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [Q_UNIT_ADD] = "INSERT INTO units(code, name, kind, parent_id, created_at)"
                   " VALUES(?1, ?2, ?3, ?4, ?5)",
    [Q_UNIT_FIND] = "SELECT id, code, name FROM units WHERE code = ?1",
    [Q_CAT_ADD] = "INSERT INTO categories(code, name, parent_id, unit_id) VALUES(?1, ?2, ?3, ?4)",
    [Q_CAT_FIND] = "SELECT id, code, name FROM categories WHERE code = ?1",
    /* No RETURNING: it materialises into an ephemeral table on every call. */
    [Q_CASE_SEQ] = "INSERT INTO case_seq(day, n) VALUES(?1, 1)"
                   " ON CONFLICT(day) DO UPDATE SET n = n + 1",
    [Q_CASE_SEQ_GET] = "SELECT n FROM case_seq WHERE day = ?1",
    [Q_CASE_SEQ_SET] = "UPDATE case_seq SET n = ?2 WHERE day = ?1",
    [Q_CASE_NEXT_ID] = "SELECT coalesce(max(id), 0) + 1 FROM cases",
    [Q_CASE_INSERT] =
        "INSERT INTO cases(id, case_no, channel, class, status, title, description,"
        " requester_name, requester_phone, confidential, category_id, township_id,"
        " received_at, updated_at, dispatch_due, event_count, last_hash)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    [Q_CASE_GET] = "SELECT " CASE_COLS " WHERE c.id = ?1 AND (?2 IS NULL OR c.lead_unit_id = ?2"
                   " OR EXISTS (SELECT 1 FROM case_units cu WHERE cu.case_id = c.id"
                   " AND cu.unit_id = ?2 AND cu.returned_at IS NULL))",
    [Q_CASE_ASSISTS] = "SELECT u.id, u.code, u.name FROM case_units cu JOIN units u"
                       " ON u.id = cu.unit_id WHERE cu.case_id = ?1 AND cu.role = 'assist'"
                       " AND cu.returned_at IS NULL ORDER BY cu.rowid",
    [Q_CASE_UPDATE] =
        "UPDATE cases SET status = ?2, lead_unit_id = ?3, dispatched_at = ?4, accepted_at = ?5,"
        " first_feedback_at = ?6, resolved_at = ?7, visited_at = ?8, closed_at = ?9,"
        " updated_at = ?10, dispatch_due = ?11, accept_due = ?12, feedback_due = ?13,"
        " resolve_due = ?14, satisfaction = ?15, solved = ?16, result = ?17, visit_waived = ?18,"
        " reopen_count = ?19, extension_count = ?20, plan_count = ?21, return_count = ?22,"
        " pending = ?23, pending_until = ?24, event_count = ?25, last_hash = ?26, metrics = ?27"
        " WHERE id = ?1",
    [Q_EVENT_INSERT] = "INSERT INTO events(case_id, seq, actor, at, action, from_status,"
                       " to_status, payload, prev_hash, hash)"
                       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [Q_UNITS_ASSIGN] = "INSERT INTO case_units(case_id, unit_id, role, assigned_at)"
                       " VALUES(?1, ?2, ?3, ?4)",
    [Q_UNITS_RETURN] = "UPDATE case_units SET returned_at = ?2"
                       " WHERE case_id = ?1 AND returned_at IS NULL",
    [Q_EVENTS_OF] = "SELECT id, case_id, seq, actor, at, action, from_status, to_status,"
                    " payload, prev_hash, hash FROM events WHERE case_id = ?1 ORDER BY seq",
    [Q_NOTICE_INSERT] = "INSERT INTO notices(case_id, kind, level, due, raised_at, unit_id)"
                        " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [Q_NOTICE_YELLOW] = "SELECT raised_at FROM notices WHERE case_id = ?1 AND kind = ?2"
                        " AND level = 'yellow' ORDER BY id DESC LIMIT 1",
    /* Every case gets its row at creation (or in migration 2), so later writes
     * are plain updates; an upsert would try an insert first. */
    [Q_ALERTED_ADD] = "INSERT INTO case_alerts(case_id, alerted, alert_at) VALUES(?1, ?2, ?3)",
    [Q_ALERTED_SET] = "UPDATE case_alerts SET alerted = ?2, alert_at = ?3 WHERE case_id = ?1",
    /* Transaction control is prepared once too: parsing it per case showed in profiles. */
    [Q_BEGIN] = "BEGIN IMMEDIATE",
    [Q_READ_BEGIN] = "BEGIN",
    [Q_TOKEN_GET] = "SELECT t.id, t.name, t.role, un.id, un.code, un.name, t.created_by,"
                    " t.created_at, t.revoked_at FROM api_tokens t"
                    " LEFT JOIN units un ON un.id = t.unit_id WHERE t.token_hash = ?1",
    [Q_SESSION_GET] = "SELECT id, user_id, created_at, last_seen, ended_at, csrf FROM sessions"
                      " WHERE token_hash = ?1",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    [Q_SAVEPOINT] = "SAVEPOINT op",
    [Q_RELEASE] = "RELEASE op",
    [Q_ROLLBACK_TO] = "ROLLBACK TO op",
};

/* ---- helpers ------------------------------------------------------------ */

int sq_db_err(store *s, err *e, const char *what) {
    return err_set(e, ERR_IO, "", "%s: %s", what, sqlite3_errmsg(s->db));
}

int sq_exec(store *s, const char *sql, err *e) {
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = err_set(e, ERR_IO, "", "database: %s", msg ? msg : "error");
        sqlite3_free(msg);
        return rc;
    }
    return 0;
}

/* A cached statement, reset and cleared for a new use. */
sqlite3_stmt *sq_prep(store *s, int id, err *e) {
    if (!s->q[id] && sqlite3_prepare_v3(s->db, sq_sql_text[id], -1, SQLITE_PREPARE_PERSISTENT,
                                        &s->q[id], NULL) != SQLITE_OK) {
        sq_db_err(s, e, "prepare");
        return NULL;
    }
    sqlite3_reset(s->q[id]);
    sqlite3_clear_bindings(s->q[id]);
    return s->q[id];
}

void sq_bind_time(sqlite3_stmt *st, int i, int64_t t) {
    if (t)
        sqlite3_bind_int64(st, i, t);
    else
        sqlite3_bind_null(st, i);
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *v) {
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

void sq_bind_id(sqlite3_stmt *st, int i, int64_t id) { sq_bind_time(st, i, id); }

char *sq_col_dup(sqlite3_stmt *st, int i) {
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? strdup((const char *)t) : NULL;
}

void sq_col_copy(sqlite3_stmt *st, int i, char *out, size_t n) {
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, n, "%s", t ? (const char *)t : "");
}

int64_t sq_col_time(sqlite3_stmt *st, int i) {
    return sqlite3_column_type(st, i) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, i);
}

void sq_read_ref(sqlite3_stmt *st, int i, unit_ref *u) {
    memset(u, 0, sizeof *u);
    if (sqlite3_column_type(st, i) == SQLITE_NULL) return;
    u->id = sqlite3_column_int64(st, i);
    sq_col_copy(st, i + 1, u->code, sizeof u->code);
    sq_col_copy(st, i + 2, u->name, sizeof u->name);
}

/* Runs a statement that returns no rows (or whose rows are not needed). */
int sq_step_done(store *s, sqlite3_stmt *st, err *e, const char *what) {
    int rc = sqlite3_step(st);
    while (rc == SQLITE_ROW) rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        int ext = sqlite3_extended_errcode(s->db);
        if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
            return err_set(e, ERR_CONFLICT, "", "%s: already exists", what);
        return sq_db_err(s, e, what);
    }
    return 0;
}

static int tx(store *s, int q, err *e) {
    sqlite3_stmt *st = sq_prep(s, q, e);
    if (!st) return ERR_IO;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sq_db_err(s, e, sq_sql_text[q]);
}

/* Pauses a read transaction for a write, and resumes it afterwards. */
static void pause_read(store *s) {
    if (!s->read_tx) return;
    tx(s, Q_COMMIT, NULL);
    s->read_tx = false;
    s->read_paused = true;
}

static void resume_read(store *s) {
    if (!s->read_paused) return;
    s->read_paused = false;
    s->read_tx = tx(s, Q_READ_BEGIN, NULL) == 0;
}

/* A top-level transaction holds the write lock: no other connection can change
 * the calendar or policy until it ends, so checking freshness once here is
 * enough for every operation inside it. */
int sq_tx_begin(store *s, err *e) {
    if (s->depth) return tx(s, Q_SAVEPOINT, e);
    pause_read(s);
    s->tx_serial++;
    int rc = tx(s, Q_BEGIN, e);
    if (!rc && (rc = sq_env_fresh(s, e))) tx(s, Q_ROLLBACK, NULL);
    return rc;
}

/* Commits on rc == 0, else undoes everything since sq_tx_begin; returns rc. */
int sq_tx_end(store *s, int rc, err *e) {
    if (rc == 0 && (rc = tx(s, s->depth ? Q_RELEASE : Q_COMMIT, e)) == 0) goto out;
    s->seq.serial = 0;
    if (s->depth) {
        tx(s, Q_ROLLBACK_TO, NULL);
        tx(s, Q_RELEASE, NULL);
    } else {
        tx(s, Q_ROLLBACK, NULL);
    }
out:
    if (!s->depth) resume_read(s); /* reading goes on from the new state */
    return rc;
}

int sq_write1(store *s, sqlite3_stmt *st, const char *what, err *e) {
    int rc = sq_tx_begin(s, e);
    if (!rc) rc = sq_tx_end(s, sq_step_done(s, st, e, what), e);
    sqlite3_finalize(st);
    return rc;
}

int store_read_begin(store *s, err *e) {
    if (s->depth || s->read_tx) return 0;
    int rc = tx(s, Q_READ_BEGIN, e);
    if (rc) return rc;
    s->read_tx = true;
    return sq_env_fresh(s, e);
}

void store_read_end(store *s) {
    if (!s->read_tx) return;
    tx(s, Q_COMMIT, NULL);
    s->read_tx = false;
}

int store_begin(store *s, err *e) {
    if (s->depth++) return 0;
    pause_read(s);
    s->tx_serial++;
    int rc = tx(s, Q_BEGIN, e);
    if (!rc && (rc = sq_env_fresh(s, e))) tx(s, Q_ROLLBACK, NULL);
    if (rc) {
        s->depth = 0;
        resume_read(s);
    }
    return rc;
}

int store_commit(store *s, err *e) {
    if (s->depth == 0) return err_set(e, ERR_INVALID, "", "no batch is open");
    if (--s->depth) return 0;
    int rc = tx(s, Q_COMMIT, e);
    if (rc) tx(s, Q_ROLLBACK, NULL);
    resume_read(s);
    return rc;
}

void store_rollback(store *s) {
    if (s->depth == 0) return;
    s->depth = 0;
    s->seq.serial = 0;
    tx(s, Q_ROLLBACK, NULL);
    resume_read(s);
}

/* ---- migrations ---------------------------------------------------------- */

static int seed_calendar(store *s, err *e);
static int seed_v3(store *s, err *e);
int sq_seed_alert_at(store *s, err *e);

static const struct migration {
    const char *sql;
    int (*seed)(store *s, err *e);
} migrations[] = {
    /* 1: reference data, cases, their units and the event log */
    {"CREATE TABLE config(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;"
     "INSERT INTO config VALUES('tz_offset', '+08:00'), ('case_prefix', 'MZ');"
     "CREATE TABLE units(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
     /* CHECKs use comparisons: an IN list costs an ephemeral index per insert */
     " name TEXT NOT NULL,"
     " kind TEXT NOT NULL CHECK (kind = 'dept' OR kind = 'township' OR kind = 'center'),"
     " parent_id INTEGER REFERENCES units(id), created_at INTEGER NOT NULL) STRICT;"
     "CREATE TABLE categories(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
     " name TEXT NOT NULL, parent_id INTEGER REFERENCES categories(id),"
     " unit_id INTEGER REFERENCES units(id)) STRICT;"
     "CREATE TABLE calendar_days(day INTEGER PRIMARY KEY, date TEXT NOT NULL,"
     " year INTEGER NOT NULL, off INTEGER NOT NULL CHECK (off = 0 OR off = 1),"
     " name TEXT NOT NULL) STRICT;"
     "CREATE INDEX calendar_days_year ON calendar_days(year);"
     "CREATE TABLE policy(channel TEXT NOT NULL, class TEXT NOT NULL, stage TEXT NOT NULL,"
     " rule TEXT NOT NULL, PRIMARY KEY (channel, class, stage)) STRICT;"
     "CREATE TABLE case_seq(day INTEGER PRIMARY KEY, n INTEGER NOT NULL) STRICT;"
     "CREATE TABLE cases(id INTEGER PRIMARY KEY, case_no TEXT NOT NULL UNIQUE,"
     " channel TEXT NOT NULL, class TEXT NOT NULL, status TEXT NOT NULL,"
     " title TEXT NOT NULL, description TEXT, requester_name TEXT, requester_phone TEXT,"
     " confidential INTEGER NOT NULL DEFAULT 0, result TEXT,"
     " category_id INTEGER REFERENCES categories(id), township_id INTEGER REFERENCES units(id),"
     " lead_unit_id INTEGER REFERENCES units(id),"
     " received_at INTEGER NOT NULL, dispatched_at INTEGER, accepted_at INTEGER,"
     " first_feedback_at INTEGER, resolved_at INTEGER, visited_at INTEGER, closed_at INTEGER,"
     " updated_at INTEGER NOT NULL, dispatch_due INTEGER, accept_due INTEGER,"
     " feedback_due INTEGER, resolve_due INTEGER,"
     " satisfaction INTEGER CHECK (satisfaction BETWEEN 0 AND 2),"  /* unsatisfied/basic/satisfied */
     " solved INTEGER CHECK (solved = 0 OR solved = 1), visit_waived INTEGER NOT NULL DEFAULT 0,"
     " reopen_count INTEGER NOT NULL DEFAULT 0, extension_count INTEGER NOT NULL DEFAULT 0,"
     " plan_count INTEGER NOT NULL DEFAULT 0, return_count INTEGER NOT NULL DEFAULT 0,"
     " pending TEXT, pending_until INTEGER,"
     " event_count INTEGER NOT NULL, last_hash BLOB NOT NULL) STRICT;"
     /* Partial: a new case has no unit yet, and intake should not pay for it. */
     "CREATE INDEX cases_lead ON cases(lead_unit_id, id) WHERE lead_unit_id IS NOT NULL;"
     "CREATE TABLE case_units(case_id INTEGER NOT NULL REFERENCES cases(id),"
     " unit_id INTEGER NOT NULL REFERENCES units(id),"
     " role TEXT NOT NULL CHECK (role = 'lead' OR role = 'assist'),"
     " assigned_at INTEGER NOT NULL, returned_at INTEGER) STRICT;"
     "CREATE INDEX case_units_case ON case_units(case_id);"
     "CREATE INDEX case_units_unit ON case_units(unit_id, assigned_at);"
     "CREATE TABLE events(id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
     " seq INTEGER NOT NULL, actor TEXT NOT NULL, at INTEGER NOT NULL, action TEXT NOT NULL,"
     " from_status TEXT, to_status TEXT NOT NULL, payload TEXT NOT NULL,"
     " prev_hash BLOB NOT NULL, hash BLOB NOT NULL, UNIQUE (case_id, seq)) STRICT;",
     seed_calendar},
    /* 2: supervision: notices, and per case the levels raised and the next
     * alert time (indexed), in a narrow table of their own because a sweep
     * rewrites them for many cases at once */
    {"CREATE TABLE notices(id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
     " kind TEXT NOT NULL, level TEXT NOT NULL, due INTEGER NOT NULL,"
     " raised_at INTEGER NOT NULL, unit_id INTEGER REFERENCES units(id),"
     " UNIQUE (case_id, kind, level, due)) STRICT;"
     "CREATE TABLE case_alerts(case_id INTEGER PRIMARY KEY REFERENCES cases(id),"
     " alerted INTEGER NOT NULL DEFAULT 0, alert_at INTEGER) STRICT;"
     "CREATE INDEX case_alerts_due ON case_alerts(alert_at) WHERE alert_at IS NOT NULL;"
     "INSERT INTO case_alerts(case_id) SELECT id FROM cases;",
     sq_seed_alert_at},
    /* 3: the policy table's rows, and each dispatched case's metric fields
     * packed in one value (core/metrics.h) under a covering index, so a report
     * over a million cases decodes three columns per case instead of thirteen */
    {"ALTER TABLE cases ADD COLUMN metrics BLOB;"
     "CREATE INDEX cases_stats ON cases(dispatched_at, lead_unit_id, metrics)"
     " WHERE dispatched_at IS NOT NULL;",
     seed_v3},
    /* 4: accounts: users, sessions and API tokens (secrets stored as SHA-256),
     * failed-login counters and the access log */
    {"CREATE TABLE users(id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE,"
     " display_name TEXT NOT NULL, role TEXT NOT NULL, unit_id INTEGER REFERENCES units(id),"
     " password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
     " created_at INTEGER NOT NULL) STRICT;"
     "CREATE TABLE sessions(id INTEGER PRIMARY KEY, token_hash BLOB NOT NULL UNIQUE,"
     " user_id INTEGER NOT NULL REFERENCES users(id), csrf TEXT NOT NULL,"
     " created_at INTEGER NOT NULL, last_seen INTEGER NOT NULL, ended_at INTEGER) STRICT;"
     "CREATE TABLE api_tokens(id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
     " token_hash BLOB NOT NULL UNIQUE, role TEXT NOT NULL, unit_id INTEGER REFERENCES units(id),"
     " created_by INTEGER REFERENCES users(id), created_at INTEGER NOT NULL,"
     " revoked_at INTEGER) STRICT;"
     "CREATE TABLE login_failures(key TEXT PRIMARY KEY, count INTEGER NOT NULL,"
     " first_at INTEGER NOT NULL, last_at INTEGER NOT NULL) STRICT;"
     "CREATE TABLE access_log(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, user_id INTEGER,"
     " actor TEXT NOT NULL, action TEXT NOT NULL, case_id INTEGER, detail TEXT) STRICT;"
     /* Bumped with every calendar, policy or time zone change, so that each
      * connection (a server has one per worker) knows to reload its copy. */
     "INSERT INTO config VALUES('env_version', '0');",
     NULL},
    /* 5: full-text search over titles and descriptions that works for Chinese
     * (FTS5 trigram: any 3 characters; shorter queries use instr()). The index
     * is caught up in one batch before a search rather than by a trigger per
     * insert (20x cheaper: titles and descriptions never change), so intake
     * stays fast. And the intake's idempotency keys. */
    {"CREATE VIRTUAL TABLE case_text USING fts5(title, description, content='cases',"
     " content_rowid='id', tokenize='trigram');"
     "INSERT INTO config VALUES('text_indexed_to', '0');"
     "INSERT INTO config VALUES('jurisdiction_id', 'mengzhou');"
     "CREATE INDEX cases_received ON cases(received_at);"
     "CREATE TABLE idempotency(actor TEXT NOT NULL, key TEXT NOT NULL,"
     " case_id INTEGER NOT NULL REFERENCES cases(id), created_at INTEGER NOT NULL,"
     " PRIMARY KEY (actor, key)) STRICT;",
     NULL},
    /* 6: where a case is and its pictures (Open311 clients send both) */
    {"CREATE TABLE case_locations(case_id INTEGER PRIMARY KEY REFERENCES cases(id),"
     " lat REAL, lon REAL, address TEXT, address_id TEXT) STRICT;"
     "CREATE TABLE case_media(case_id INTEGER NOT NULL REFERENCES cases(id),"
     " url TEXT NOT NULL) STRICT;"
     "CREATE INDEX case_media_case ON case_media(case_id);",
     NULL},
    /* 7: what a category asks for beyond the description (Open311 service
     * attributes), and the answers given on each case */
    {"CREATE TABLE category_attributes(id INTEGER PRIMARY KEY,"
     " category_id INTEGER NOT NULL REFERENCES categories(id), code TEXT NOT NULL,"
     " datatype TEXT NOT NULL, required INTEGER NOT NULL, description TEXT NOT NULL,"
     " ord INTEGER NOT NULL, choices TEXT, UNIQUE (category_id, code)) STRICT;"
     "CREATE TABLE case_attributes(case_id INTEGER NOT NULL REFERENCES cases(id),"
     " code TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (case_id, code)) STRICT;",
     NULL},
};
#define N_MIGRATIONS ((int)(sizeof migrations / sizeof *migrations))

int store_latest_version(void) { return N_MIGRATIONS; }

static int user_version(store *s) {
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

int store_schema_version(store *s) { return user_version(s); }

static int migrate(store *s, int target, err *e) {
    int v = user_version(s);
    if (v < 0) return sq_db_err(s, e, "read schema version");
    if (v > N_MIGRATIONS)
        return err_set(e, ERR_INVALID, "db",
                       "database schema version %d is newer than this duban (%d)", v,
                       N_MIGRATIONS);
    for (; v < target; v++) {
        char pragma[48];
        int rc = sq_exec(s, "BEGIN IMMEDIATE", e);
        if (rc) return rc;
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if (!(rc = sq_exec(s, migrations[v].sql, e)) &&
            !(rc = migrations[v].seed ? migrations[v].seed(s, e) : 0))
            rc = sq_exec(s, pragma, e);
        if (!rc) rc = sq_exec(s, "COMMIT", e);
        if (rc) {
            sq_exec(s, "ROLLBACK", NULL);
            return rc;
        }
    }
    return 0;
}

/* ---- environment: time zone, calendar, policy ----------------------------- */

static int load_calendar(store *s, err *e) {
    sqlite3_stmt *st = NULL;
    cal_day *days = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT day, off FROM calendar_days", -1, &st, NULL))
        return sq_db_err(s, e, "load calendar");
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 512;
            cal_day *nd = realloc(days, cap * sizeof *days);
            if (!nd) {
                rc = err_set(e, ERR_NOMEM, "", "out of memory");
                goto out;
            }
            days = nd;
        }
        days[n] = (cal_day){.day = sqlite3_column_int(st, 0), .off = sqlite3_column_int(st, 1)};
        n++;
    }
    cal *c;
    if ((rc = cal_new(days, n, &c, e))) goto out;
    cal_free(s->cal);
    s->cal = c;
out:
    sqlite3_finalize(st);
    free(days);
    return rc;
}

static int load_policy(store *s, err *e) {
    sqlite3_stmt *st;
    int rc = 0;
    pol_defaults(&s->pol);
    if (store_schema_version(s) < 3) return 0; /* an old schema: defaults until migrated */
    if (sqlite3_prepare_v2(s->db, "SELECT channel, class, stage, rule FROM policy", -1, &st,
                           NULL))
        return sq_db_err(s, e, "load policy");
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        case_channel ch;
        case_class cl;
        pol_stage sg;
        pol_rule r;
        if (case_channel_parse((const char *)sqlite3_column_text(st, 0), &ch, NULL) ||
            case_class_parse((const char *)sqlite3_column_text(st, 1), &cl, NULL) ||
            pol_stage_parse((const char *)sqlite3_column_text(st, 2), &sg, NULL))
            continue; /* a row for something this version does not know */
        if ((rc = pol_rule_parse((const char *)sqlite3_column_text(st, 3), &r, e))) break;
        s->pol.r[ch][cl][sg] = r;
    }
    sqlite3_finalize(st);
    return rc;
}

static int64_t env_version(store *s) {
    sqlite3_stmt *st = sq_prep(s, Q_ENV_VERSION, NULL);
    int64_t v = -1;
    if (st && sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    if (st) sqlite3_reset(st);
    return v;
}

static int load_env(store *s, err *e) {
    char tz[16];
    s->env_version = env_version(s);
    int rc = store_config_get(s, "tz_offset", tz, sizeof tz, e);
    if (!rc) rc = store_config_get(s, "case_prefix", s->case_prefix, sizeof s->case_prefix, e);
    if (!rc) rc = dt_parse_offset(tz, &s->env.tz, e);
    if (!rc) rc = load_calendar(s, e);
    if (!rc) rc = load_policy(s, e);
    s->env.cal = s->cal;
    s->env.pol = &s->pol;
    return rc;
}

int sq_env_fresh(store *s, err *e) {
    return env_version(s) == s->env_version ? 0 : load_env(s, e);
}

/* Bumps the version inside the caller's transaction. */
static int env_changed(store *s, err *e) {
    sqlite3_stmt *st = sq_prep(s, Q_ENV_BUMP, e);
    return st ? sq_step_done(s, st, e, "configuration") : ERR_IO;
}

const case_env *store_env(store *s) { return &s->env; }

int store_refresh(store *s, err *e) { return sq_env_fresh(s, e); }

/* ---- open / close -------------------------------------------------------- */

int store_open(const char *path, const store_opts *opts, store **out, err *e) {
    static const store_opts defaults = {.max_version = 0, .sync_full = 1};
    if (!opts) opts = &defaults;
    store *s = calloc(1, sizeof *s);
    int rc;
    if (!s) return err_set(e, ERR_NOMEM, "", "out of memory");
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)) {
        rc = err_set(e, ERR_IO, "db", "cannot open database '%s': %s", path,
                     s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 5000);
    if ((rc = sq_exec(s, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
                       /* Reports scan whole indexes: map the file rather than copy
                        * pages through the (small) page cache. */
                       " PRAGMA mmap_size = 1073741824;"
                       /* Batches of thousands of cases spill a 2 MiB cache to the WAL. */
                       " PRAGMA cache_size = -16384;", e))) goto fail;
    if ((rc = sq_exec(s, opts->sync_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
                   e)))
        goto fail;
    if ((rc = migrate(s, opts->max_version ? opts->max_version : N_MIGRATIONS, e))) goto fail;
    if ((rc = load_env(s, e))) goto fail;
    *out = s;
    return 0;
fail:
    store_close(s);
    return rc;
}

void store_close(store *s) {
    if (!s) return;
    for (int i = 0; i < Q_COUNT; i++) sqlite3_finalize(s->q[i]);
    sqlite3_close(s->db);
    cal_free(s->cal);
    free(s);
}

/* ---- configuration ------------------------------------------------------- */

int store_config_get(store *s, const char *key, char *out, size_t outsz, err *e) {
    sqlite3_stmt *st = sq_prep(s, Q_CONFIG_GET, e);
    if (!st) return ERR_IO;
    sq_bind_text(st, 1, key);
    if (sqlite3_step(st) != SQLITE_ROW)
        return err_set(e, ERR_NOTFOUND, "key", "unknown configuration key '%s'", key);
    sq_col_copy(st, 0, out, outsz);
    sqlite3_reset(st);
    return 0;
}

int store_config_set(store *s, const char *key, const char *value, err *e) {
    int off;
    if (strcmp(key, "tz_offset") == 0) {
        if (dt_parse_offset(value, &off, e)) return ERR_INVALID;
    } else if (strcmp(key, "case_prefix") == 0) {
        size_t n = strlen(value);
        bool ok = n >= 1 && n <= 8;
        for (size_t i = 0; i < n; i++) ok = ok && value[i] >= 'A' && value[i] <= 'Z';
        if (!ok)
            return err_set(e, ERR_INVALID, "value",
                           "case_prefix '%s' must be 1-8 capital letters A-Z", value);
    } else if (strcmp(key, "jurisdiction_id") == 0) {
        /* Open311 clients send it back: keep it to what needs no escaping. */
        size_t n = strlen(value);
        if (n < 1 || n > 63 || strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789.-") != n)
            return err_set(e, ERR_INVALID, "value",
                           "jurisdiction_id '%s' must be 1-63 of a-z, 0-9, '.', '-'", value);
    } else {
        return err_set(e, ERR_INVALID, "key",
                       "unknown configuration key '%s' (want tz_offset, case_prefix or jurisdiction_id)",
                       key);
    }
    int rc = sq_tx_begin(s, e);
    if (rc) return rc;
    sqlite3_stmt *st = sq_prep(s, Q_CONFIG_SET, e);
    if (!st) rc = ERR_IO;
    if (!rc) {
        sq_bind_text(st, 1, key);
        sq_bind_text(st, 2, value);
        rc = sq_step_done(s, st, e, "set configuration");
    }
    if (!rc) rc = env_changed(s, e);
    if ((rc = sq_tx_end(s, rc, e))) return rc;
    return load_env(s, e);
}

/* ---- calendar and policy --------------------------------------------------- */

static int insert_year(store *s, const cal_year *y, err *e) {
    sqlite3_stmt *del, *ins;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db, "DELETE FROM calendar_days WHERE year = ?1", -1, &del, NULL))
        return sq_db_err(s, e, "calendar");
    if (sqlite3_prepare_v2(s->db, "INSERT INTO calendar_days(day, date, year, off, name)"
                                  " VALUES(?1, ?2, ?3, ?4, ?5)",
                           -1, &ins, NULL)) {
        sqlite3_finalize(del);
        return sq_db_err(s, e, "calendar");
    }
    sqlite3_bind_int(del, 1, y->year);
    rc = sq_step_done(s, del, e, "calendar");
    for (size_t i = 0; rc == 0 && i < y->n; i++) {
        char date[11];
        dt_format_date(y->days[i].day, date);
        sqlite3_reset(ins);
        sqlite3_bind_int(ins, 1, y->days[i].day);
        sqlite3_bind_text(ins, 2, date, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(ins, 3, y->year);
        sqlite3_bind_int(ins, 4, y->days[i].off);
        sqlite3_bind_text(ins, 5, y->days[i].name, -1, SQLITE_STATIC);
        rc = sq_step_done(s, ins, e, "calendar day");
    }
    sqlite3_finalize(del);
    sqlite3_finalize(ins);
    return rc;
}

static int seed_calendar(store *s, err *e) {
    for (int year = CAL_BUILTIN_FIRST; year <= CAL_BUILTIN_LAST; year++) {
        size_t len;
        const char *json = cal_builtin_json(year, &len);
        cal_year y;
        int rc = cal_year_parse(json, len, &y, e);
        if (!rc) rc = insert_year(s, &y, e);
        cal_year_clear(&y);
        if (rc) return rc;
    }
    return 0;
}

int store_calendar_import(store *s, const cal_year *y, err *e) {
    int rc = sq_tx_begin(s, e);
    if (rc) return rc;
    if (!(rc = insert_year(s, y, e))) rc = env_changed(s, e);
    rc = sq_tx_end(s, rc, e);
    return rc ? rc : load_env(s, e);
}

int store_calendar_years(store *s, store_cal_year_fn fn, void *ctx, err *e) {
    sqlite3_stmt *st;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT year, sum(off), sum(1 - off) FROM calendar_days"
                                  " GROUP BY year ORDER BY year", -1, &st, NULL))
        return sq_db_err(s, e, "calendar");
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        store_cal_year y = {sqlite3_column_int(st, 0), sqlite3_column_int(st, 1),
                            sqlite3_column_int(st, 2)};
        rc = fn(ctx, &y);
    }
    sqlite3_finalize(st);
    return rc;
}

int store_calendar_days(store *s, int year, store_cal_day_fn fn, void *ctx, err *e) {
    sqlite3_stmt *st;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT day, off, name FROM calendar_days WHERE year = ?1"
                                  " ORDER BY day", -1, &st, NULL))
        return sq_db_err(s, e, "calendar");
    sqlite3_bind_int(st, 1, year);
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        cal_day d = {.day = sqlite3_column_int(st, 0), .off = sqlite3_column_int(st, 1)};
        sq_col_copy(st, 2, d.name, sizeof d.name);
        rc = fn(ctx, &d);
    }
    sqlite3_finalize(st);
    return rc;
}

static int write_policy(store *s, case_channel ch, case_class cl, pol_stage sg,
                        const pol_rule *r, bool replace, err *e) {
    sqlite3_stmt *st;
    char text[32];
    pol_rule_format(r, text);
    const char *sql = replace ? "INSERT OR REPLACE INTO policy VALUES(?1, ?2, ?3, ?4)"
                              : "INSERT OR IGNORE INTO policy VALUES(?1, ?2, ?3, ?4)";
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL)) return sq_db_err(s, e, "policy");
    sq_bind_text(st, 1, case_channel_name(ch));
    sq_bind_text(st, 2, case_class_name(cl));
    sq_bind_text(st, 3, pol_stage_name(sg));
    sqlite3_bind_text(st, 4, text, -1, SQLITE_TRANSIENT);
    int rc = sq_step_done(s, st, e, "policy");
    sqlite3_finalize(st);
    return rc;
}

static int seed_policy(store *s, err *e) {
    pol_table p;
    pol_defaults(&p);
    for (int ch = 0; ch < CH_COUNT; ch++)
        for (int cl = 0; cl < CL_COUNT; cl++)
            for (int sg = 0; sg < POL_STAGE_COUNT; sg++) {
                int rc = write_policy(s, (case_channel)ch, (case_class)cl, (pol_stage)sg,
                                      &p.r[ch][cl][sg], false, e);
                if (rc) return rc;
            }
    return 0;
}

/* Migration 3: packs the metric fields of every dispatched case. */
static int seed_metrics(store *s, err *e) {
    sqlite3_stmt *sel, *up;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT id, dispatched_at, accept_due, accepted_at, feedback_due,"
                                  " first_feedback_at, resolve_due, resolved_at, visited_at,"
                                  " satisfaction, solved, reopen_count, extension_count FROM cases"
                                  " WHERE dispatched_at IS NOT NULL", -1, &sel, NULL))
        return sq_db_err(s, e, "migration 3");
    if (sqlite3_prepare_v2(s->db, "UPDATE cases SET metrics = ?2 WHERE id = ?1", -1, &up, NULL)) {
        sqlite3_finalize(sel);
        return sq_db_err(s, e, "migration 3");
    }
    while (rc == 0 && sqlite3_step(sel) == SQLITE_ROW) {
        met_case m = {
            .dispatched_at = sqlite3_column_int64(sel, 1), .accept_due = sqlite3_column_int64(sel, 2),
            .accepted_at = sqlite3_column_int64(sel, 3), .feedback_due = sqlite3_column_int64(sel, 4),
            .first_feedback_at = sqlite3_column_int64(sel, 5),
            .resolve_due = sqlite3_column_int64(sel, 6), .resolved_at = sqlite3_column_int64(sel, 7),
            .visited_at = sqlite3_column_int64(sel, 8),
            .satisfaction = sqlite3_column_type(sel, 9) == SQLITE_NULL ? SAT_NONE
                                                                       : sqlite3_column_int(sel, 9),
            .solved = sqlite3_column_type(sel, 10) == SQLITE_NULL ? -1 : sqlite3_column_int(sel, 10),
            .reopen_count = sqlite3_column_int(sel, 11),
            .extension_count = sqlite3_column_int(sel, 12)};
        unsigned char packed[MET_PACKED_SIZE];
        met_case_pack(&m, packed);
        sqlite3_reset(up);
        sqlite3_bind_int64(up, 1, sqlite3_column_int64(sel, 0));
        sqlite3_bind_blob(up, 2, packed, sizeof packed, SQLITE_STATIC);
        rc = sq_step_done(s, up, e, "migration 3");
    }
    sqlite3_finalize(sel);
    sqlite3_finalize(up);
    return rc;
}

static int seed_v3(store *s, err *e) {
    int rc = seed_policy(s, e);
    return rc ? rc : seed_metrics(s, e);
}

int store_policy_set(store *s, case_channel ch, case_class cl, pol_stage sg, const pol_rule *r,
                     err *e) {
    /* Every case must have a dispatch deadline: the "1" of 13710. */
    if (sg == POL_DISPATCH && r->none)
        return err_set(e, ERR_INVALID, "rule", "the dispatch deadline cannot be 'none'");
    int rc = sq_tx_begin(s, e);
    if (rc) return rc;
    if (!(rc = write_policy(s, ch, cl, sg, r, true, e))) rc = env_changed(s, e);
    rc = sq_tx_end(s, rc, e);
    return rc ? rc : load_env(s, e);
}

/* ---- units and categories -------------------------------------------------- */

static const char *const kind_names[UNIT_KIND_COUNT] = {"dept", "township", "center"};

const char *store_unit_kind_name(unit_kind k) { return k < UNIT_KIND_COUNT ? kind_names[k] : "?"; }

int store_unit_kind_parse(const char *str, unit_kind *k, err *e) {
    for (int i = 0; i < UNIT_KIND_COUNT; i++)
        if (str && strcmp(str, kind_names[i]) == 0) {
            *k = (unit_kind)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "kind", "unknown unit kind '%s' (want dept, township or center)",
                   str ? str : "");
}

static int find_ref(store *s, int q, const char *what, const char *code, unit_ref *out, err *e) {
    sqlite3_stmt *st = sq_prep(s, q, e);
    if (!st) return ERR_IO;
    sq_bind_text(st, 1, code);
    if (sqlite3_step(st) != SQLITE_ROW)
        return err_set(e, ERR_NOTFOUND, what, "unknown %s '%s'", what, code ? code : "");
    out->id = sqlite3_column_int64(st, 0);
    sq_col_copy(st, 1, out->code, sizeof out->code);
    sq_col_copy(st, 2, out->name, sizeof out->name);
    sqlite3_reset(st);
    return 0;
}

int store_unit_find(store *s, const char *code, unit_ref *out, err *e) {
    return find_ref(s, Q_UNIT_FIND, "unit", code, out, e);
}

int store_category_find(store *s, const char *code, unit_ref *out, err *e) {
    return find_ref(s, Q_CAT_FIND, "category", code, out, e);
}

static int check_code(const char *what, const char *code, const char *name, err *e) {
    size_t n = code ? strlen(code) : 0;
    if (n == 0 || n >= CASE_CODE_MAX)
        return err_set(e, ERR_INVALID, "code", "%s code must be 1-%d bytes", what,
                       CASE_CODE_MAX - 1);
    for (size_t i = 0; i < n; i++) {
        char c = code[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return err_set(e, ERR_INVALID, "code",
                           "%s code '%s' may hold only letters, digits, '-', '_' and '.'", what,
                           code);
    }
    if (!name || !name[0] || strlen(name) >= CASE_NAME_MAX)
        return err_set(e, ERR_INVALID, "name", "%s name must be 1-%d bytes", what,
                       CASE_NAME_MAX - 1);
    return 0;
}

int store_unit_add(store *s, const char *code, const char *name, unit_kind kind,
                   const char *parent_code, int64_t now, int64_t *id, err *e) {
    unit_ref parent = {0};
    int rc = check_code("unit", code, name, e);
    if (rc) return rc;
    if (parent_code && (rc = store_unit_find(s, parent_code, &parent, e))) return rc;
    if ((rc = sq_tx_begin(s, e))) return rc;
    sqlite3_stmt *st = sq_prep(s, Q_UNIT_ADD, e);
    if (!st) rc = ERR_IO;
    if (!rc) {
        sq_bind_text(st, 1, code);
        sq_bind_text(st, 2, name);
        sq_bind_text(st, 3, kind_names[kind]);
        sq_bind_id(st, 4, parent.id);
        sqlite3_bind_int64(st, 5, now);
        rc = sq_step_done(s, st, e, "unit");
        if (rc == ERR_CONFLICT) err_set(e, ERR_CONFLICT, "code", "unit '%s' already exists", code);
        if (!rc && id) *id = sqlite3_last_insert_rowid(s->db);
    }
    return sq_tx_end(s, rc, e);
}

int store_unit_list(store *s, store_unit_fn fn, void *ctx, err *e) {
    sqlite3_stmt *st;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT u.id, u.code, u.name, u.kind, p.code FROM units u"
                                  " LEFT JOIN units p ON p.id = u.parent_id ORDER BY u.code",
                           -1, &st, NULL))
        return sq_db_err(s, e, "units");
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        store_unit u = {.ref.id = sqlite3_column_int64(st, 0)};
        sq_col_copy(st, 1, u.ref.code, sizeof u.ref.code);
        sq_col_copy(st, 2, u.ref.name, sizeof u.ref.name);
        store_unit_kind_parse((const char *)sqlite3_column_text(st, 3), &u.kind, NULL);
        sq_col_copy(st, 4, u.parent, sizeof u.parent);
        rc = fn(ctx, &u);
    }
    sqlite3_finalize(st);
    return rc;
}

int store_category_list(store *s, store_category_fn fn, void *ctx, err *e) {
    sqlite3_stmt *st;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT c.id, c.code, c.name, p.code, u.id, u.code, u.name"
                                  " FROM categories c LEFT JOIN categories p ON p.id = c.parent_id"
                                  " LEFT JOIN units u ON u.id = c.unit_id ORDER BY c.code",
                           -1, &st, NULL))
        return sq_db_err(s, e, "categories");
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        store_category c = {.ref.id = sqlite3_column_int64(st, 0)};
        sq_col_copy(st, 1, c.ref.code, sizeof c.ref.code);
        sq_col_copy(st, 2, c.ref.name, sizeof c.ref.name);
        sq_col_copy(st, 3, c.parent, sizeof c.parent);
        sq_read_ref(st, 4, &c.unit);
        rc = fn(ctx, &c);
    }
    sqlite3_finalize(st);
    return rc;
}

int store_category_add(store *s, const char *code, const char *name, const char *parent_code,
                       const char *unit_code, int64_t *id, err *e) {
    unit_ref parent = {0}, unit = {0};
    int rc = check_code("category", code, name, e);
    if (rc) return rc;
    if (parent_code && (rc = store_category_find(s, parent_code, &parent, e))) return rc;
    if (unit_code && (rc = store_unit_find(s, unit_code, &unit, e))) return rc;
    if ((rc = sq_tx_begin(s, e))) return rc;
    sqlite3_stmt *st = sq_prep(s, Q_CAT_ADD, e);
    if (!st) rc = ERR_IO;
    if (!rc) {
        sq_bind_text(st, 1, code);
        sq_bind_text(st, 2, name);
        sq_bind_id(st, 3, parent.id);
        sq_bind_id(st, 4, unit.id);
        rc = sq_step_done(s, st, e, "category");
        if (rc == ERR_CONFLICT)
            err_set(e, ERR_CONFLICT, "code", "category '%s' already exists", code);
        if (!rc && id) *id = sqlite3_last_insert_rowid(s->db);
    }
    return sq_tx_end(s, rc, e);
}


/* ---- category attributes ---------------------------------------------------------- */

static const char *const datatypes[] = {"string", "number", "datetime", "text",
                                        "singlevaluelist", "multivaluelist"};

int store_attribute_add(store *s, const char *category, const store_attribute *a, err *e) {
    unit_ref cat;
    sqlite3_stmt *st;
    int rc, known = 0;
    if ((rc = store_category_find(s, category, &cat, e))) return rc;
    for (size_t i = 0; i < sizeof datatypes / sizeof *datatypes; i++) known |= !strcmp(a->datatype, datatypes[i]);
    if (!known)
        return err_set(e, ERR_INVALID, "type", "unknown attribute type '%s' (want string, number,"
                       " datetime, text, singlevaluelist or multivaluelist)", a->datatype);
    if (!a->code[0] || strspn(a->code, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(a->code))
        return err_set(e, ERR_INVALID, "code", "attribute code '%s' must be a-z, 0-9 and '_'", a->code);
    if (!a->description[0]) return err_set(e, ERR_INVALID, "description", "an attribute needs a description");
    bool list = strstr(a->datatype, "valuelist") != NULL;
    if (list != (a->n_choices > 0))
        return err_set(e, ERR_INVALID, "value", list ? "a value list needs --value KEY=NAME"
                                                     : "only value lists take --value");
    json_t *choices = json_array();
    for (int i = 0; i < a->n_choices; i++)
        json_array_append_new(choices, json_pack("{s:s, s:s}", "key", a->choice_key[i], "name",
                                                 a->choice_name[i]));
    char *text = json_dumps(choices, JSON_COMPACT);
    json_decref(choices);
    if ((rc = sq_tx_begin(s, e))) {
        free(text);
        return rc;
    }
    if (sqlite3_prepare_v2(s->db, "INSERT INTO category_attributes(category_id, code, datatype,"
                                  " required, description, ord, choices) VALUES(?1, ?2, ?3, ?4, ?5,"
                                  " (SELECT count(*) + 1 FROM category_attributes WHERE category_id = ?1), ?6)",
                           -1, &st, NULL)) {
        rc = sq_db_err(s, e, "attribute");
    } else {
        sqlite3_bind_int64(st, 1, cat.id);
        sq_bind_text(st, 2, a->code);
        sq_bind_text(st, 3, a->datatype);
        sqlite3_bind_int(st, 4, a->required);
        sq_bind_text(st, 5, a->description);
        sq_bind_text(st, 6, list ? text : NULL);
        rc = sq_step_done(s, st, e, "attribute");
        if (rc == ERR_CONFLICT)
            err_set(e, ERR_CONFLICT, "code", "category '%s' already has attribute '%s'", category, a->code);
        sqlite3_finalize(st);
    }
    free(text);
    return sq_tx_end(s, rc, e);
}

int store_attribute_list(store *s, const char *category, store_attribute_fn fn, void *ctx, err *e) {
    sqlite3_stmt *st;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT a.code, a.datatype, a.required, a.description, a.ord, a.choices"
                                  " FROM category_attributes a JOIN categories c ON c.id = a.category_id"
                                  " WHERE c.code = ?1 ORDER BY a.ord", -1, &st, NULL))
        return sq_db_err(s, e, "attributes");
    sq_bind_text(st, 1, category);
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        store_attribute a = {0};
        sq_col_copy(st, 0, a.code, sizeof a.code);
        sq_col_copy(st, 1, a.datatype, sizeof a.datatype);
        a.required = sqlite3_column_int(st, 2);
        sq_col_copy(st, 3, a.description, sizeof a.description);
        a.order = sqlite3_column_int(st, 4);
        json_t *ch = sqlite3_column_text(st, 5) ? json_loads((const char *)sqlite3_column_text(st, 5), 0, NULL) : NULL;
        size_t i;
        json_t *it;
        json_array_foreach(ch, i, it) {
            if (a.n_choices == STORE_MAX_CHOICES) break;
            snprintf(a.choice_key[a.n_choices], sizeof a.choice_key[0], "%s", json_string_value(json_object_get(it, "key")));
            snprintf(a.choice_name[a.n_choices], sizeof a.choice_name[0], "%s", json_string_value(json_object_get(it, "name")));
            a.n_choices++;
        }
        json_decref(ch);
        rc = fn(ctx, &a);
    }
    sqlite3_finalize(st);
    return rc;
}

int store_case_attribute_set(store *s, int64_t case_id, const char *code, const char *value, err *e) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO case_attributes VALUES(?1, ?2, ?3)", -1,
                           &st, NULL))
        return sq_db_err(s, e, "attribute");
    sqlite3_bind_int64(st, 1, case_id);
    sq_bind_text(st, 2, code);
    sq_bind_text(st, 3, value);
    return sq_write1(s, st, "attribute", e);
}
