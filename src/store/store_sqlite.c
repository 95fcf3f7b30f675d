/* store_sqlite: the embedded SQLite backend of store.h. WAL, foreign keys,
 * versioned migrations, prepared statements cached per connection. The only
 * file that includes sqlite3.h. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/calendar_builtin.h"
#include "store/store.h"
#include "util/datetime.h"

/* ---- statements -------------------------------------------------------- */

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

enum {
    Q_CONFIG_GET, Q_CONFIG_SET, Q_UNIT_ADD, Q_UNIT_FIND, Q_CAT_ADD, Q_CAT_FIND, Q_CASE_SEQ,
    Q_CASE_SEQ_GET,
    Q_CASE_NEXT_ID, Q_CASE_INSERT, Q_CASE_GET, Q_CASE_ASSISTS, Q_CASE_UPDATE, Q_EVENT_INSERT,
    Q_UNITS_ASSIGN, Q_UNITS_RETURN, Q_EVENTS_OF, Q_NOTICE_INSERT, Q_NOTICE_YELLOW,
    Q_ALERTED_ADD, Q_ALERTED_SET, Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_SAVEPOINT, Q_RELEASE, Q_ROLLBACK_TO, Q_COUNT
};

static const char *const sql_text[Q_COUNT] = {
    [Q_CONFIG_GET] = "SELECT value FROM config WHERE key = ?1",
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
    [Q_CASE_NEXT_ID] = "SELECT coalesce(max(id), 0) + 1 FROM cases",
    [Q_CASE_INSERT] =
        "INSERT INTO cases(id, case_no, channel, class, status, title, description,"
        " requester_name, requester_phone, confidential, category_id, township_id,"
        " received_at, updated_at, dispatch_due, event_count, last_hash)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    [Q_CASE_GET] = "SELECT " CASE_COLS " WHERE c.id = ?1",
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
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    [Q_SAVEPOINT] = "SAVEPOINT op",
    [Q_RELEASE] = "RELEASE op",
    [Q_ROLLBACK_TO] = "ROLLBACK TO op",
};

struct store {
    sqlite3 *db;
    int depth; /* explicit batch nesting */
    sqlite3_stmt *q[Q_COUNT];
    cal *cal;
    pol_table pol;
    case_env env;
    char case_prefix[16];
};

/* ---- helpers ------------------------------------------------------------ */

static int db_err(store *s, err *e, const char *what) {
    return err_set(e, ERR_IO, "", "%s: %s", what, sqlite3_errmsg(s->db));
}

static int exec(store *s, const char *sql, err *e) {
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = err_set(e, ERR_IO, "", "database: %s", msg ? msg : "error");
        sqlite3_free(msg);
        return rc;
    }
    return 0;
}

/* A cached statement, reset and cleared for a new use. */
static sqlite3_stmt *prep(store *s, int id, err *e) {
    if (!s->q[id] && sqlite3_prepare_v3(s->db, sql_text[id], -1, SQLITE_PREPARE_PERSISTENT,
                                        &s->q[id], NULL) != SQLITE_OK) {
        db_err(s, e, "prepare");
        return NULL;
    }
    sqlite3_reset(s->q[id]);
    sqlite3_clear_bindings(s->q[id]);
    return s->q[id];
}

static void bind_time(sqlite3_stmt *st, int i, int64_t t) {
    if (t)
        sqlite3_bind_int64(st, i, t);
    else
        sqlite3_bind_null(st, i);
}

static void bind_text(sqlite3_stmt *st, int i, const char *v) {
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void bind_id(sqlite3_stmt *st, int i, int64_t id) { bind_time(st, i, id); }

static char *col_dup(sqlite3_stmt *st, int i) {
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? strdup((const char *)t) : NULL;
}

static void col_copy(sqlite3_stmt *st, int i, char *out, size_t n) {
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, n, "%s", t ? (const char *)t : "");
}

/* Runs a statement that returns no rows (or whose rows are not needed). */
static int step_done(store *s, sqlite3_stmt *st, err *e, const char *what) {
    int rc = sqlite3_step(st);
    while (rc == SQLITE_ROW) rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        int ext = sqlite3_extended_errcode(s->db);
        if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
            return err_set(e, ERR_CONFLICT, "", "%s: already exists", what);
        return db_err(s, e, what);
    }
    return 0;
}

static int tx(store *s, int q, err *e) {
    sqlite3_stmt *st = prep(s, q, e);
    if (!st) return ERR_IO;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : db_err(s, e, sql_text[q]);
}

static int tx_begin(store *s, err *e) { return tx(s, s->depth ? Q_SAVEPOINT : Q_BEGIN, e); }

/* Commits on rc == 0, else undoes everything since tx_begin; returns rc. */
static int tx_end(store *s, int rc, err *e) {
    if (rc == 0 && (rc = tx(s, s->depth ? Q_RELEASE : Q_COMMIT, e)) == 0) return 0;
    if (s->depth) {
        tx(s, Q_ROLLBACK_TO, NULL);
        tx(s, Q_RELEASE, NULL);
    } else {
        tx(s, Q_ROLLBACK, NULL);
    }
    return rc;
}

int store_begin(store *s, err *e) {
    if (s->depth++) return 0;
    int rc = tx(s, Q_BEGIN, e);
    if (rc) s->depth = 0;
    return rc;
}

int store_commit(store *s, err *e) {
    if (s->depth == 0) return err_set(e, ERR_INVALID, "", "no batch is open");
    if (--s->depth) return 0;
    int rc = tx(s, Q_COMMIT, e);
    if (rc) tx(s, Q_ROLLBACK, NULL);
    return rc;
}

void store_rollback(store *s) {
    if (s->depth == 0) return;
    s->depth = 0;
    tx(s, Q_ROLLBACK, NULL);
}

/* ---- migrations ---------------------------------------------------------- */

static int seed_calendar(store *s, err *e);
static int seed_v3(store *s, err *e);
static int seed_alert_at(store *s, err *e);

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
     "CREATE INDEX cases_lead ON cases(lead_unit_id, id);"
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
     seed_alert_at},
    /* 3: the policy table's rows, and each dispatched case's metric fields
     * packed in one value (core/metrics.h) under a covering index, so a report
     * over a million cases decodes three columns per case instead of thirteen */
    {"ALTER TABLE cases ADD COLUMN metrics BLOB;"
     "CREATE INDEX cases_stats ON cases(dispatched_at, lead_unit_id, metrics)"
     " WHERE dispatched_at IS NOT NULL;",
     seed_v3},
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
    if (v < 0) return db_err(s, e, "read schema version");
    if (v > N_MIGRATIONS)
        return err_set(e, ERR_INVALID, "db",
                       "database schema version %d is newer than this duban (%d)", v,
                       N_MIGRATIONS);
    for (; v < target; v++) {
        char pragma[48];
        int rc = exec(s, "BEGIN IMMEDIATE", e);
        if (rc) return rc;
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if (!(rc = exec(s, migrations[v].sql, e)) &&
            !(rc = migrations[v].seed ? migrations[v].seed(s, e) : 0))
            rc = exec(s, pragma, e);
        if (!rc) rc = exec(s, "COMMIT", e);
        if (rc) {
            exec(s, "ROLLBACK", NULL);
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
        return db_err(s, e, "load calendar");
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
        return db_err(s, e, "load policy");
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

static int load_env(store *s, err *e) {
    char tz[16];
    int rc = store_config_get(s, "tz_offset", tz, sizeof tz, e);
    if (!rc) rc = store_config_get(s, "case_prefix", s->case_prefix, sizeof s->case_prefix, e);
    if (!rc) rc = dt_parse_offset(tz, &s->env.tz, e);
    if (!rc) rc = load_calendar(s, e);
    if (!rc) rc = load_policy(s, e);
    s->env.cal = s->cal;
    s->env.pol = &s->pol;
    return rc;
}

const case_env *store_env(store *s) { return &s->env; }

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
    if ((rc = exec(s, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
                       /* Reports scan whole indexes: map the file rather than copy
                        * pages through the (small) page cache. */
                       " PRAGMA mmap_size = 1073741824;"
                       /* Batches of thousands of cases spill a 2 MiB cache to the WAL. */
                       " PRAGMA cache_size = -16384;", e))) goto fail;
    if ((rc = exec(s, opts->sync_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
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
    sqlite3_stmt *st = prep(s, Q_CONFIG_GET, e);
    if (!st) return ERR_IO;
    bind_text(st, 1, key);
    if (sqlite3_step(st) != SQLITE_ROW)
        return err_set(e, ERR_NOTFOUND, "key", "unknown configuration key '%s'", key);
    col_copy(st, 0, out, outsz);
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
    } else {
        return err_set(e, ERR_INVALID, "key",
                       "unknown configuration key '%s' (want tz_offset or case_prefix)", key);
    }
    int rc = tx_begin(s, e);
    if (rc) return rc;
    sqlite3_stmt *st = prep(s, Q_CONFIG_SET, e);
    if (!st) rc = ERR_IO;
    if (!rc) {
        bind_text(st, 1, key);
        bind_text(st, 2, value);
        rc = step_done(s, st, e, "set configuration");
    }
    if ((rc = tx_end(s, rc, e))) return rc;
    return load_env(s, e);
}

/* ---- calendar and policy --------------------------------------------------- */

static int insert_year(store *s, const cal_year *y, err *e) {
    sqlite3_stmt *del, *ins;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db, "DELETE FROM calendar_days WHERE year = ?1", -1, &del, NULL))
        return db_err(s, e, "calendar");
    if (sqlite3_prepare_v2(s->db, "INSERT INTO calendar_days(day, date, year, off, name)"
                                  " VALUES(?1, ?2, ?3, ?4, ?5)",
                           -1, &ins, NULL)) {
        sqlite3_finalize(del);
        return db_err(s, e, "calendar");
    }
    sqlite3_bind_int(del, 1, y->year);
    rc = step_done(s, del, e, "calendar");
    for (size_t i = 0; rc == 0 && i < y->n; i++) {
        char date[11];
        dt_format_date(y->days[i].day, date);
        sqlite3_reset(ins);
        sqlite3_bind_int(ins, 1, y->days[i].day);
        sqlite3_bind_text(ins, 2, date, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(ins, 3, y->year);
        sqlite3_bind_int(ins, 4, y->days[i].off);
        sqlite3_bind_text(ins, 5, y->days[i].name, -1, SQLITE_STATIC);
        rc = step_done(s, ins, e, "calendar day");
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
    int rc = tx_begin(s, e);
    if (rc) return rc;
    rc = tx_end(s, insert_year(s, y, e), e);
    return rc ? rc : load_env(s, e);
}

int store_calendar_years(store *s, store_cal_year_fn fn, void *ctx, err *e) {
    sqlite3_stmt *st;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT year, sum(off), sum(1 - off) FROM calendar_days"
                                  " GROUP BY year ORDER BY year", -1, &st, NULL))
        return db_err(s, e, "calendar");
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        store_cal_year y = {sqlite3_column_int(st, 0), sqlite3_column_int(st, 1),
                            sqlite3_column_int(st, 2)};
        rc = fn(ctx, &y);
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
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL)) return db_err(s, e, "policy");
    bind_text(st, 1, case_channel_name(ch));
    bind_text(st, 2, case_class_name(cl));
    bind_text(st, 3, pol_stage_name(sg));
    sqlite3_bind_text(st, 4, text, -1, SQLITE_TRANSIENT);
    int rc = step_done(s, st, e, "policy");
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
        return db_err(s, e, "migration 3");
    if (sqlite3_prepare_v2(s->db, "UPDATE cases SET metrics = ?2 WHERE id = ?1", -1, &up, NULL)) {
        sqlite3_finalize(sel);
        return db_err(s, e, "migration 3");
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
        rc = step_done(s, up, e, "migration 3");
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
    int rc = tx_begin(s, e);
    if (rc) return rc;
    rc = tx_end(s, write_policy(s, ch, cl, sg, r, true, e), e);
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
    sqlite3_stmt *st = prep(s, q, e);
    if (!st) return ERR_IO;
    bind_text(st, 1, code);
    if (sqlite3_step(st) != SQLITE_ROW)
        return err_set(e, ERR_NOTFOUND, what, "unknown %s '%s'", what, code ? code : "");
    out->id = sqlite3_column_int64(st, 0);
    col_copy(st, 1, out->code, sizeof out->code);
    col_copy(st, 2, out->name, sizeof out->name);
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
    if ((rc = tx_begin(s, e))) return rc;
    sqlite3_stmt *st = prep(s, Q_UNIT_ADD, e);
    if (!st) rc = ERR_IO;
    if (!rc) {
        bind_text(st, 1, code);
        bind_text(st, 2, name);
        bind_text(st, 3, kind_names[kind]);
        bind_id(st, 4, parent.id);
        sqlite3_bind_int64(st, 5, now);
        rc = step_done(s, st, e, "unit");
        if (rc == ERR_CONFLICT) err_set(e, ERR_CONFLICT, "code", "unit '%s' already exists", code);
        if (!rc && id) *id = sqlite3_last_insert_rowid(s->db);
    }
    return tx_end(s, rc, e);
}

int store_unit_list(store *s, store_unit_fn fn, void *ctx, err *e) {
    sqlite3_stmt *st;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT u.id, u.code, u.name, u.kind, p.code FROM units u"
                                  " LEFT JOIN units p ON p.id = u.parent_id ORDER BY u.code",
                           -1, &st, NULL))
        return db_err(s, e, "units");
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        store_unit u = {.ref.id = sqlite3_column_int64(st, 0)};
        col_copy(st, 1, u.ref.code, sizeof u.ref.code);
        col_copy(st, 2, u.ref.name, sizeof u.ref.name);
        store_unit_kind_parse((const char *)sqlite3_column_text(st, 3), &u.kind, NULL);
        col_copy(st, 4, u.parent, sizeof u.parent);
        rc = fn(ctx, &u);
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
    if ((rc = tx_begin(s, e))) return rc;
    sqlite3_stmt *st = prep(s, Q_CAT_ADD, e);
    if (!st) rc = ERR_IO;
    if (!rc) {
        bind_text(st, 1, code);
        bind_text(st, 2, name);
        bind_id(st, 3, parent.id);
        bind_id(st, 4, unit.id);
        rc = step_done(s, st, e, "category");
        if (rc == ERR_CONFLICT)
            err_set(e, ERR_CONFLICT, "code", "category '%s' already exists", code);
        if (!rc && id) *id = sqlite3_last_insert_rowid(s->db);
    }
    return tx_end(s, rc, e);
}

/* ---- cases ------------------------------------------------------------------ */

/* When the yellow notice for (case, kind) was raised; a sup_yellow_at_fn. */
static int64_t yellow_at(void *ctx, int64_t case_id, case_due_kind kind) {
    store *s = ctx;
    sqlite3_stmt *st = prep(s, Q_NOTICE_YELLOW, NULL);
    int64_t t = 0;
    if (!st) return 0;
    sqlite3_bind_int64(st, 1, case_id);
    bind_text(st, 2, case_due_name(kind));
    if (sqlite3_step(st) == SQLITE_ROW) t = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return t;
}

static int write_alert_row(store *s, int q, int64_t case_id, uint32_t alerted, int64_t alert_at,
                           err *e) {
    sqlite3_stmt *st = prep(s, q, e);
    if (!st) return ERR_IO;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, alerted);
    bind_time(st, 3, alert_at);
    return step_done(s, st, e, "alerts");
}

static int set_alerts(store *s, int64_t case_id, uint32_t alerted, int64_t alert_at, err *e) {
    return write_alert_row(s, Q_ALERTED_SET, case_id, alerted, alert_at, e);
}

static const char *const pending_names[] = {NULL, "extension", "plan"};

static void read_ref(sqlite3_stmt *st, int i, unit_ref *u) {
    memset(u, 0, sizeof *u);
    if (sqlite3_column_type(st, i) == SQLITE_NULL) return;
    u->id = sqlite3_column_int64(st, i);
    col_copy(st, i + 1, u->code, sizeof u->code);
    col_copy(st, i + 2, u->name, sizeof u->name);
}

static int64_t col_time(sqlite3_stmt *st, int i) {
    return sqlite3_column_type(st, i) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, i);
}

/* Reads a row of CASE_COLS; c must be empty. */
static int read_case_row(sqlite3_stmt *st, case_rec *c, err *e) {
    int i = 0;
    c->id = sqlite3_column_int64(st, i++);
    col_copy(st, i++, c->case_no, sizeof c->case_no);
    if (case_channel_parse((const char *)sqlite3_column_text(st, i++), &c->channel, e) ||
        case_class_parse((const char *)sqlite3_column_text(st, i++), &c->klass, e) ||
        case_status_parse((const char *)sqlite3_column_text(st, i++), &c->status, e))
        return ERR_IO;
    c->title = col_dup(st, i++);
    c->description = col_dup(st, i++);
    c->requester_name = col_dup(st, i++);
    c->requester_phone = col_dup(st, i++);
    c->confidential = sqlite3_column_int(st, i++);
    c->result = col_dup(st, i++);
    int64_t *times[] = {&c->received_at, &c->dispatched_at, &c->accepted_at,
                        &c->first_feedback_at, &c->resolved_at, &c->visited_at,
                        &c->closed_at, &c->updated_at, &c->due[DUE_DISPATCH],
                        &c->due[DUE_ACCEPT], &c->due[DUE_FEEDBACK], &c->due[DUE_RESOLVE]};
    for (size_t k = 0; k < sizeof times / sizeof *times; k++) *times[k] = col_time(st, i++);
    c->satisfaction = sqlite3_column_type(st, i) == SQLITE_NULL ? SAT_NONE
                                                                : sqlite3_column_int(st, i);
    i++;
    c->solved = sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int(st, i);
    i++;
    c->visit_waived = sqlite3_column_int(st, i++);
    c->reopen_count = sqlite3_column_int(st, i++);
    c->extension_count = sqlite3_column_int(st, i++);
    c->plan_count = sqlite3_column_int(st, i++);
    c->return_count = sqlite3_column_int(st, i++);
    const unsigned char *pend = sqlite3_column_text(st, i++);
    c->pending = !pend ? PENDING_NONE
                 : strcmp((const char *)pend, "plan") == 0 ? PENDING_PLAN
                                                           : PENDING_EXTENSION;
    c->pending_until = sqlite3_column_int(st, i++);
    c->alerted = (uint32_t)sqlite3_column_int64(st, i++);
    c->event_count = sqlite3_column_int(st, i++);
    if (sqlite3_column_bytes(st, i) == 32) memcpy(c->last_hash, sqlite3_column_blob(st, i), 32);
    i++;
    read_ref(st, i, &c->lead);
    read_ref(st, i + 3, &c->category);
    read_ref(st, i + 6, &c->township);
    if ((!c->title && sqlite3_column_type(st, 5) != SQLITE_NULL))
        return err_set(e, ERR_NOMEM, "", "out of memory");
    return 0;
}

static int load_assists(store *s, case_rec *c, err *e) {
    sqlite3_stmt *st = prep(s, Q_CASE_ASSISTS, e);
    if (!st) return ERR_IO;
    sqlite3_bind_int64(st, 1, c->id);
    c->n_assist = 0;
    while (sqlite3_step(st) == SQLITE_ROW && c->n_assist < CASE_MAX_ASSIST)
        read_ref(st, 0, &c->assist[c->n_assist++]);
    sqlite3_reset(st);
    return 0;
}

int store_case_get(store *s, int64_t id, case_rec *out, err *e) {
    sqlite3_stmt *st = prep(s, Q_CASE_GET, e);
    if (!st) return ERR_IO;
    memset(out, 0, sizeof *out);
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? err_set(e, ERR_NOTFOUND, "id", "unknown case id %lld",
                                           (long long)id)
                                 : db_err(s, e, "read case");
    }
    rc = read_case_row(st, out, e);
    sqlite3_reset(st);
    if (!rc) rc = load_assists(s, out, e);
    if (rc) case_rec_clear(out);
    return rc;
}

/* Inserts an event whose prev_hash and hash are already set. */
static int insert_event(store *s, const case_event *ev, err *e) {
    sqlite3_stmt *st = prep(s, Q_EVENT_INSERT, e);
    if (!st) return ERR_IO;
    sqlite3_bind_int64(st, 1, ev->case_id);
    sqlite3_bind_int(st, 2, ev->seq);
    bind_text(st, 3, ev->actor);
    sqlite3_bind_int64(st, 4, ev->at);
    bind_text(st, 5, case_action_name(ev->action));
    bind_text(st, 6, ev->from == ST_NONE ? NULL : case_status_name(ev->from));
    bind_text(st, 7, case_status_name(ev->to));
    bind_text(st, 8, ev->payload);
    sqlite3_bind_blob(st, 9, ev->prev_hash, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 10, ev->hash, 32, SQLITE_STATIC);
    return step_done(s, st, e, "event");
}

static int next_case_no(store *s, case_rec *c, err *e) {
    char date[11];
    int32_t day = dt_local_day(c->received_at, s->env.tz);
    sqlite3_stmt *st = prep(s, Q_CASE_SEQ, e);
    if (!st) return ERR_IO;
    sqlite3_bind_int(st, 1, day);
    int rc = step_done(s, st, e, "case number");
    if (rc) return rc;
    if (!(st = prep(s, Q_CASE_SEQ_GET, e))) return ERR_IO;
    sqlite3_bind_int(st, 1, day);
    if (sqlite3_step(st) != SQLITE_ROW) return db_err(s, e, "case number");
    int n = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    dt_format_date(day, date);
    snprintf(c->case_no, sizeof c->case_no, "%s%.4s%.2s%.2s-%04d", s->case_prefix, date, date + 5,
             date + 8, n);
    return 0;
}

static int create_in_tx(store *s, case_rec *c, const char *actor, case_event *ev, err *e) {
    int rc;
    if ((rc = next_case_no(s, c, e))) return rc;
    sqlite3_stmt *st = prep(s, Q_CASE_NEXT_ID, e);
    if (!st) return ERR_IO;
    if (sqlite3_step(st) != SQLITE_ROW) return db_err(s, e, "case id");
    c->id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if ((rc = case_create(c, &s->env, actor, ev, e))) return rc;
    static const unsigned char zero[32];
    ev->case_id = c->id;
    memcpy(ev->prev_hash, zero, 32);
    audit_hash_event(ev);
    memcpy(c->last_hash, ev->hash, 32);
    if (!(st = prep(s, Q_CASE_INSERT, e))) return ERR_IO;
    sqlite3_bind_int64(st, 1, c->id);
    bind_text(st, 2, c->case_no);
    bind_text(st, 3, case_channel_name(c->channel));
    bind_text(st, 4, case_class_name(c->klass));
    bind_text(st, 5, case_status_name(c->status));
    bind_text(st, 6, c->title);
    bind_text(st, 7, c->description);
    bind_text(st, 8, c->requester_name);
    bind_text(st, 9, c->requester_phone);
    sqlite3_bind_int(st, 10, c->confidential);
    bind_id(st, 11, c->category.id);
    bind_id(st, 12, c->township.id);
    sqlite3_bind_int64(st, 13, c->received_at);
    sqlite3_bind_int64(st, 14, c->updated_at);
    bind_time(st, 15, c->due[DUE_DISPATCH]);
    sqlite3_bind_int(st, 16, c->event_count);
    sqlite3_bind_blob(st, 17, c->last_hash, 32, SQLITE_STATIC);
    if ((rc = step_done(s, st, e, "case")) ||
        (rc = write_alert_row(s, Q_ALERTED_ADD, c->id, c->alerted, sup_next_alert(c, NULL, NULL), e)))
        return rc;
    return insert_event(s, ev, e);
}

int store_case_create(store *s, case_rec *c, const char *actor, err *e) {
    case_event ev = {0};
    int rc = tx_begin(s, e);
    if (rc) return rc;
    rc = tx_end(s, create_in_tx(s, c, actor, &ev, e), e);
    case_event_clear(&ev);
    return rc;
}

static int update_case(store *s, const case_rec *c, err *e) {
    sqlite3_stmt *st = prep(s, Q_CASE_UPDATE, e);
    if (!st) return ERR_IO;
    sqlite3_bind_int64(st, 1, c->id);
    bind_text(st, 2, case_status_name(c->status));
    bind_id(st, 3, c->lead.id);
    const int64_t times[] = {c->dispatched_at, c->accepted_at, c->first_feedback_at,
                             c->resolved_at, c->visited_at, c->closed_at, c->updated_at,
                             c->due[DUE_DISPATCH], c->due[DUE_ACCEPT], c->due[DUE_FEEDBACK],
                             c->due[DUE_RESOLVE]};
    for (int k = 0; k < 11; k++) bind_time(st, 4 + k, times[k]);
    if (c->satisfaction == SAT_NONE)
        sqlite3_bind_null(st, 15);
    else
        sqlite3_bind_int(st, 15, c->satisfaction);
    if (c->solved < 0)
        sqlite3_bind_null(st, 16);
    else
        sqlite3_bind_int(st, 16, c->solved);
    bind_text(st, 17, c->result);
    sqlite3_bind_int(st, 18, c->visit_waived);
    sqlite3_bind_int(st, 19, c->reopen_count);
    sqlite3_bind_int(st, 20, c->extension_count);
    sqlite3_bind_int(st, 21, c->plan_count);
    sqlite3_bind_int(st, 22, c->return_count);
    bind_text(st, 23, pending_names[c->pending]);
    if (c->pending)
        sqlite3_bind_int(st, 24, c->pending_until);
    else
        sqlite3_bind_null(st, 24);
    sqlite3_bind_int(st, 25, c->event_count);
    sqlite3_bind_blob(st, 26, c->last_hash, 32, SQLITE_STATIC);
    unsigned char packed[MET_PACKED_SIZE];
    if (c->dispatched_at) {
        met_case m;
        met_case_of(c, &m);
        met_case_pack(&m, packed);
        sqlite3_bind_blob(st, 27, packed, sizeof packed, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(st, 27);
    }
    return step_done(s, st, e, "update case");
}

static int assign_unit(store *s, int64_t case_id, int64_t unit_id, const char *role, int64_t at,
                       err *e) {
    sqlite3_stmt *st = prep(s, Q_UNITS_ASSIGN, e);
    if (!st) return ERR_IO;
    sqlite3_bind_int64(st, 1, case_id);
    sqlite3_bind_int64(st, 2, unit_id);
    bind_text(st, 3, role);
    sqlite3_bind_int64(st, 4, at);
    return step_done(s, st, e, "case unit");
}

static int act_in_tx(store *s, int64_t id, const case_req *r, case_rec *c, err *e) {
    case_event ev = {0};
    unsigned char prev[32];
    int rc = store_case_get(s, id, c, e);
    if (rc) return rc;
    memcpy(prev, c->last_hash, 32);
    if ((rc = case_apply(c, r, &s->env, &ev, e))) goto out;
    ev.case_id = c->id;
    memcpy(ev.prev_hash, prev, 32);
    audit_hash_event(&ev);
    if ((rc = insert_event(s, &ev, e))) goto out;
    memcpy(c->last_hash, ev.hash, 32);
    if ((rc = update_case(s, c, e)) ||
        (rc = set_alerts(s, c->id, c->alerted, sup_next_alert(c, yellow_at, s), e)))
        goto out;
    if (r->action == ACT_DISPATCH) {
        rc = assign_unit(s, c->id, c->lead.id, "lead", r->at, e);
        for (int i = 0; rc == 0 && i < c->n_assist; i++)
            rc = assign_unit(s, c->id, c->assist[i].id, "assist", r->at, e);
    } else if (r->action == ACT_RETURN) {
        sqlite3_stmt *st = prep(s, Q_UNITS_RETURN, e);
        if (!st) rc = ERR_IO;
        if (!rc) {
            sqlite3_bind_int64(st, 1, c->id);
            sqlite3_bind_int64(st, 2, r->at);
            rc = step_done(s, st, e, "return");
        }
    }
out:
    case_event_clear(&ev);
    return rc;
}

int store_case_act(store *s, int64_t id, const case_req *r, case_rec *out, err *e) {
    case_rec c = {0};
    int rc = tx_begin(s, e);
    if (rc) return rc;
    rc = tx_end(s, act_in_tx(s, id, r, &c, e), e);
    if (rc == 0 && out)
        *out = c;
    else
        case_rec_clear(&c);
    return rc;
}

static int read_event(sqlite3_stmt *st, case_event *ev) {
    memset(ev, 0, sizeof *ev);
    ev->id = sqlite3_column_int64(st, 0);
    ev->case_id = sqlite3_column_int64(st, 1);
    ev->seq = sqlite3_column_int(st, 2);
    col_copy(st, 3, ev->actor, sizeof ev->actor);
    ev->at = sqlite3_column_int64(st, 4);
    const char *a = (const char *)sqlite3_column_text(st, 5);
    int act = -1;
    for (int i = 0; i < ACT_COUNT; i++)
        if (a && strcmp(a, case_action_name((case_action)i)) == 0) act = i;
    ev->action = act < 0 ? ACT_COUNT : (case_action)act;
    ev->from = ST_NONE;
    if (sqlite3_column_type(st, 6) != SQLITE_NULL)
        case_status_parse((const char *)sqlite3_column_text(st, 6), &ev->from, NULL);
    case_status_parse((const char *)sqlite3_column_text(st, 7), &ev->to, NULL);
    ev->payload = col_dup(st, 8);
    if (sqlite3_column_bytes(st, 9) == 32) memcpy(ev->prev_hash, sqlite3_column_blob(st, 9), 32);
    if (sqlite3_column_bytes(st, 10) == 32) memcpy(ev->hash, sqlite3_column_blob(st, 10), 32);
    return act < 0 ? -1 : 0;
}

int store_case_events(store *s, int64_t id, store_event_fn fn, void *ctx, err *e) {
    sqlite3_stmt *st = prep(s, Q_EVENTS_OF, e);
    int rc = 0;
    if (!st) return ERR_IO;
    sqlite3_bind_int64(st, 1, id);
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        case_event ev;
        read_event(st, &ev);
        rc = fn(ctx, &ev);
        case_event_clear(&ev);
    }
    sqlite3_reset(st);
    return rc;
}

int store_case_list(store *s, const store_case_filter *f, store_case_fn fn, void *ctx, err *e) {
    sqlite3_stmt *st;
    int rc = 0, found = 0, limit = f->limit < 1 ? 100 : f->limit > 1000 ? 1000 : f->limit;
    const char *sql =
        "SELECT " CASE_COLS " WHERE c.id > ?1 AND (?2 IS NULL OR c.status = ?2)"
        " AND (?3 IS NULL OR c.lead_unit_id = ?3 OR c.id IN (SELECT case_id FROM case_units"
        " WHERE unit_id = ?3 AND returned_at IS NULL))"
        " AND (?4 IS NULL OR c.status IN ('received', 'dispatched', 'accepted'))"
        " ORDER BY c.id";
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL)) return db_err(s, e, "list cases");
    sqlite3_bind_int64(st, 1, f->after_id);
    bind_text(st, 2, f->status >= 0 ? case_status_name((case_status)f->status) : NULL);
    bind_id(st, 3, f->unit_id);
    bind_time(st, 4, f->overdue_at);
    while (rc == 0 && found < limit && sqlite3_step(st) == SQLITE_ROW) {
        case_rec c = {0};
        rc = read_case_row(st, &c, e);
        /* "Overdue" is the core's rule (case_overdue), not re-stated in SQL. */
        if (!rc && (!f->overdue_at || case_overdue(&c, f->overdue_at))) {
            found++;
            if (!(rc = load_assists(s, &c, e))) rc = fn(ctx, &c);
        }
        case_rec_clear(&c);
    }
    sqlite3_finalize(st);
    return rc;
}

/* ---- supervision ------------------------------------------------------------ */

typedef struct sweep_row { int64_t id, alert_at; uint32_t alerted; } sweep_row;

/* Fills the fields of c that supervision reads from a row of
 * (id, status, 4 dues, first_feedback_at, alerted, ...). */
static void read_alert_fields(sqlite3_stmt *st, case_rec *c) {
    c->id = sqlite3_column_int64(st, 0);
    case_status_parse((const char *)sqlite3_column_text(st, 1), &c->status, NULL);
    for (int k = 0; k < DUE_COUNT; k++) c->due[k] = col_time(st, 2 + k);
    c->first_feedback_at = col_time(st, 6);
    c->alerted = (uint32_t)sqlite3_column_int64(st, 7);
}

static int push_row(sweep_row **rows, size_t *n, size_t *cap, sweep_row r, err *e) {
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 1024;
        sweep_row *nr = realloc(*rows, *cap * sizeof **rows);
        if (!nr) return err_set(e, ERR_NOMEM, "", "out of memory");
        *rows = nr;
    }
    (*rows)[(*n)++] = r;
    return 0;
}

static int write_alerts(store *s, const sweep_row *rows, size_t n, err *e) {
    for (size_t i = 0; i < n; i++) {
        int rc = set_alerts(s, rows[i].id, rows[i].alerted, rows[i].alert_at, e);
        if (rc) return rc;
    }
    return 0;
}

#define ALERT_COLS "c.id, c.status, c.dispatch_due, c.accept_due, c.feedback_due," \
                   " c.resolve_due, c.first_feedback_at, a.alerted, c.lead_unit_id"

/* Migration 2: the next alert time of every open case. */
static int seed_alert_at(store *s, err *e) {
    sqlite3_stmt *sel;
    sweep_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT " ALERT_COLS " FROM cases c JOIN case_alerts a"
                                  " ON a.case_id = c.id"
                                  " WHERE c.status IN ('received', 'dispatched', 'accepted')",
                           -1, &sel, NULL))
        return db_err(s, e, "migration 2");
    case_rec c;
    memset(&c, 0, sizeof c);
    while (rc == 0 && sqlite3_step(sel) == SQLITE_ROW) {
        read_alert_fields(sel, &c);
        rc = push_row(&rows, &n, &cap,
                      (sweep_row){c.id, sup_next_alert(&c, yellow_at, s), c.alerted}, e);
    }
    sqlite3_finalize(sel);
    if (!rc) rc = write_alerts(s, rows, n, e);
    free(rows);
    return rc;
}

typedef struct pending_notice {
    int64_t case_id, unit;
    sup_notice n;
} pending_notice;

static int cmp_row(const void *a, const void *b) {
    int64_t x = ((const sweep_row *)a)->id, y = ((const sweep_row *)b)->id;
    return (x > y) - (x < y);
}

static int cmp_note(const void *a, const void *b) {
    const pending_notice *x = a, *y = b;
    if (x->case_id != y->case_id) return (x->case_id > y->case_id) - (x->case_id < y->case_id);
    if (x->n.kind != y->n.kind) return (int)x->n.kind - (int)y->n.kind;
    return (int)x->n.level - (int)y->n.level;
}

/* Yellow times for sup_next_alert during a sweep: a yellow raised in this
 * sweep is not written yet (writes are deferred), so answer it from memory. */
typedef struct sweep_ctx {
    store *s;
    int64_t now;
    unsigned yellow_now; /* kinds whose yellow this sweep raised for the current case */
} sweep_ctx;

static int64_t sweep_yellow_at(void *ctx, int64_t case_id, case_due_kind kind) {
    sweep_ctx *x = ctx;
    if (x->yellow_now & (1u << kind)) return x->now;
    return yellow_at(x->s, case_id, kind);
}

static int sweep_in_tx(store *s, int64_t now, int64_t *raised, int64_t *first_id, err *e) {
    sqlite3_stmt *sel = NULL;
    sweep_row *rows = NULL;
    pending_notice *notes = NULL;
    size_t n = 0, cap = 0, nn = 0, ncap = 0;
    int rc = 0;
    *raised = 0;
    *first_id = 0;
    /* Only cases whose next alert time has come: the work follows the notices.
     * Their ids come from the narrow alerts index first and are then read in id
     * order, so a large backlog walks the case table once instead of at random. */
    if (sqlite3_prepare_v2(s->db, "SELECT case_id FROM case_alerts INDEXED BY case_alerts_due"
                                  " WHERE alert_at <= ?1",
                           -1, &sel, NULL))
        return db_err(s, e, "sweep");
    sqlite3_bind_int64(sel, 1, now);
    while (rc == 0 && sqlite3_step(sel) == SQLITE_ROW)
        rc = push_row(&rows, &n, &cap, (sweep_row){sqlite3_column_int64(sel, 0), 0, 0}, e);
    sqlite3_finalize(sel);
    sel = NULL;
    if (n) qsort(rows, n, sizeof *rows, cmp_row);
    if (!rc && sqlite3_prepare_v2(s->db, "SELECT " ALERT_COLS " FROM cases c JOIN case_alerts a"
                                         " ON a.case_id = c.id WHERE c.id = ?1",
                                  -1, &sel, NULL))
        rc = db_err(s, e, "sweep");
    case_rec c;
    memset(&c, 0, sizeof c);
    sweep_ctx x = {s, now, 0};
    for (size_t r = 0; rc == 0 && r < n; r++) {
        sqlite3_reset(sel);
        sqlite3_bind_int64(sel, 1, rows[r].id);
        if (sqlite3_step(sel) != SQLITE_ROW) {
            rc = db_err(s, e, "sweep");
            break;
        }
        read_alert_fields(sel, &c);
        int64_t unit = col_time(sel, 8);
        sup_notice out[DUE_COUNT * SUP_LEVEL_COUNT];
        int k = sup_eval(&c, now, yellow_at, s, out);
        x.yellow_now = 0;
        for (int i = 0; i < k; i++) {
            if (out[i].level == SUP_YELLOW) x.yellow_now |= 1u << out[i].kind;
            if (nn == ncap) {
                ncap = ncap ? ncap * 2 : 1024;
                pending_notice *nb = realloc(notes, ncap * sizeof *notes);
                if (!nb) {
                    rc = err_set(e, ERR_NOMEM, "", "out of memory");
                    break;
                }
                notes = nb;
            }
            notes[nn++] = (pending_notice){c.id, out[i].kind == DUE_DISPATCH ? 0 : unit, out[i]};
        }
        rows[r] = (sweep_row){c.id, sup_next_alert(&c, sweep_yellow_at, &x), c.alerted};
    }
    sqlite3_finalize(sel);
    /* Writes come after the reads (updating alert_at while scanning its index
     * could revisit rows), in case order, so each B-tree is walked once. */
    if (nn) qsort(notes, nn, sizeof *notes, cmp_note);
    if (!rc) rc = write_alerts(s, rows, n, e);
    for (size_t i = 0; rc == 0 && i < nn; i++) {
        sqlite3_stmt *ins = prep(s, Q_NOTICE_INSERT, e);
        if (!ins) {
            rc = ERR_IO;
            break;
        }
        sqlite3_bind_int64(ins, 1, notes[i].case_id);
        bind_text(ins, 2, case_due_name(notes[i].n.kind));
        bind_text(ins, 3, sup_level_name(notes[i].n.level));
        sqlite3_bind_int64(ins, 4, notes[i].n.due);
        sqlite3_bind_int64(ins, 5, now);
        bind_id(ins, 6, notes[i].unit);
        if ((rc = step_done(s, ins, e, "notice"))) break;
        if (!*first_id) *first_id = sqlite3_last_insert_rowid(s->db);
        (*raised)++;
    }
    free(rows);
    free(notes);
    return rc;
}

int store_sweep(store *s, int64_t now, int64_t *raised, int64_t *first_id, err *e) {
    int rc = tx_begin(s, e);
    if (rc) return rc;
    return tx_end(s, sweep_in_tx(s, now, raised, first_id, e), e);
}

int store_notice_list(store *s, int64_t min_id, int64_t case_id, store_notice_fn fn, void *ctx,
                      err *e) {
    sqlite3_stmt *st;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT n.id, n.case_id, c.case_no, n.kind, n.level, n.due,"
                           " n.raised_at, u.id, u.code, u.name FROM notices n"
                           " JOIN cases c ON c.id = n.case_id LEFT JOIN units u ON u.id = n.unit_id"
                           " WHERE n.id >= ?1 AND (?2 IS NULL OR n.case_id = ?2) ORDER BY n.id",
                           -1, &st, NULL))
        return db_err(s, e, "notices");
    sqlite3_bind_int64(st, 1, min_id);
    bind_id(st, 2, case_id);
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        store_notice n = {.id = sqlite3_column_int64(st, 0), .case_id = sqlite3_column_int64(st, 1)};
        col_copy(st, 2, n.case_no, sizeof n.case_no);
        const char *kind = (const char *)sqlite3_column_text(st, 3);
        const char *level = (const char *)sqlite3_column_text(st, 4);
        for (int k = 0; k < DUE_COUNT; k++)
            if (strcmp(kind, case_due_name((case_due_kind)k)) == 0) n.kind = (case_due_kind)k;
        for (int l = 0; l < SUP_LEVEL_COUNT; l++)
            if (strcmp(level, sup_level_name((sup_level)l)) == 0) n.level = (sup_level)l;
        n.due = sqlite3_column_int64(st, 5);
        n.raised_at = sqlite3_column_int64(st, 6);
        read_ref(st, 7, &n.unit);
        rc = fn(ctx, &n);
    }
    sqlite3_finalize(st);
    return rc;
}

/* ---- statistics -------------------------------------------------------------- */

static int cmp_stats(const void *a, const void *b) {
    return strcmp(((const store_unit_stats *)a)->unit.code, ((const store_unit_stats *)b)->unit.code);
}

int store_stats(store *s, int64_t from, int64_t to, int64_t at, store_unit_stats **out,
                size_t *n_out, err *e) {
    sqlite3_stmt *st = NULL;
    store_unit_stats *u = NULL;
    int64_t max_id = 0;
    int rc = 0;
    *out = NULL;
    *n_out = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT max(id) FROM units", -1, &st, NULL))
        return db_err(s, e, "stats");
    if (sqlite3_step(st) == SQLITE_ROW) max_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    /* Unit ids are small and dense: index the counters by id. */
    met_counts *m = calloc((size_t)max_id + 1, sizeof *m);
    bool *seen = calloc((size_t)max_id + 1, sizeof *seen);
    if (!m || !seen) {
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
        goto out;
    }
    if (sqlite3_prepare_v2(s->db,
                           "SELECT lead_unit_id, dispatched_at, metrics"
                           " FROM cases INDEXED BY cases_stats"
                           " WHERE dispatched_at >= ?1 AND dispatched_at < ?2",
                           -1, &st, NULL)) {
        rc = db_err(s, e, "stats");
        goto out;
    }
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t unit = sqlite3_column_int64(st, 0);
        met_case c;
        if (unit <= 0 || unit > max_id ||
            met_case_unpack(sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2),
                            sqlite3_column_int64(st, 1), &c))
            continue;
        met_count_case(&m[unit], &c, at);
        seen[unit] = true;
    }
    sqlite3_finalize(st);
    /* Returned assignments count as dispatched to, and returned by, the unit. */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT unit_id, count(*) FROM case_units WHERE role = 'lead'"
                           " AND returned_at IS NOT NULL AND returned_at <= ?3"
                           " AND assigned_at >= ?1 AND assigned_at < ?2 GROUP BY unit_id",
                           -1, &st, NULL)) {
        rc = db_err(s, e, "stats");
        st = NULL;
        goto out;
    }
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    sqlite3_bind_int64(st, 3, at);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t unit = sqlite3_column_int64(st, 0);
        if (unit <= 0 || unit > max_id) continue;
        m[unit].returned += sqlite3_column_int64(st, 1);
        m[unit].dispatched += sqlite3_column_int64(st, 1);
        seen[unit] = true;
    }
    sqlite3_finalize(st);
    st = NULL;
    size_t n = 0;
    for (int64_t i = 1; i <= max_id; i++) n += seen[i];
    if (n && !(u = calloc(n, sizeof *u))) {
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
        goto out;
    }
    if (sqlite3_prepare_v2(s->db, "SELECT id, code, name FROM units", -1, &st, NULL)) {
        rc = db_err(s, e, "stats");
        st = NULL;
        goto out;
    }
    size_t k = 0;
    while (sqlite3_step(st) == SQLITE_ROW && k < n) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id < 1 || id > max_id || !seen[id]) continue;
        read_ref(st, 0, &u[k].unit);
        u[k++].m = m[id];
    }
    qsort(u, k, sizeof *u, cmp_stats);
    *out = u;
    *n_out = k;
    u = NULL;
out:
    sqlite3_finalize(st);
    free(u);
    free(m);
    free(seen);
    return rc;
}

/* ---- audit -------------------------------------------------------------------- */

int store_audit_verify(store *s, store_audit *a, err *e) {
    sqlite3_stmt *ev_st = NULL, *case_st = NULL;
    static const unsigned char zero[32];
    unsigned char prev[32];
    int rc = 0, expect_seq = 0;
    int64_t cur = 0;
    memset(a, 0, sizeof *a);
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, case_id, seq, actor, at, action, from_status, to_status,"
                           " payload, prev_hash, hash FROM events ORDER BY case_id, seq",
                           -1, &ev_st, NULL) ||
        sqlite3_prepare_v2(s->db, "SELECT id, event_count, last_hash FROM cases ORDER BY id", -1,
                           &case_st, NULL)) {
        rc = db_err(s, e, "audit");
        goto out;
    }
    /* Walk cases and their events side by side, both in id order. */
    int ev_rc = sqlite3_step(ev_st);
    while (!a->bad_case && sqlite3_step(case_st) == SQLITE_ROW) {
        cur = sqlite3_column_int64(case_st, 0);
        int count = sqlite3_column_int(case_st, 1);
        a->cases++;
        memcpy(prev, zero, 32);
        expect_seq = 1;
        while (ev_rc == SQLITE_ROW && sqlite3_column_int64(ev_st, 1) < cur) {
            a->bad_case = sqlite3_column_int64(ev_st, 1);
            a->bad_seq = sqlite3_column_int(ev_st, 2);
            snprintf(a->why, sizeof a->why, "event belongs to no case");
            goto out;
        }
        while (ev_rc == SQLITE_ROW && sqlite3_column_int64(ev_st, 1) == cur) {
            case_event ev;
            unsigned char stored[32];
            int bad_action = read_event(ev_st, &ev);
            a->events++;
            memcpy(stored, ev.hash, 32);
            const char *why = NULL;
            if (ev.seq != expect_seq)
                why = "a missing or repeated event (sequence gap)";
            else if (bad_action)
                why = "unknown action";
            else if (memcmp(ev.prev_hash, prev, 32) != 0)
                why = "previous-hash link does not match the preceding event";
            else {
                audit_hash_event(&ev);
                if (memcmp(ev.hash, stored, 32) != 0) why = "content does not match its hash";
            }
            if (why) {
                a->bad_case = cur;
                a->bad_seq = ev.seq;
                snprintf(a->why, sizeof a->why, "%s", why);
                case_event_clear(&ev);
                goto out;
            }
            memcpy(prev, stored, 32);
            expect_seq++;
            case_event_clear(&ev);
            ev_rc = sqlite3_step(ev_st);
        }
        const void *last = sqlite3_column_blob(case_st, 2);
        if (count != expect_seq - 1 || sqlite3_column_bytes(case_st, 2) != 32 ||
            memcmp(last, prev, 32) != 0) {
            a->bad_case = cur;
            a->bad_seq = expect_seq;
            snprintf(a->why, sizeof a->why,
                     "case row does not match its newest event (events deleted or case edited)");
        }
    }
    if (!a->bad_case && ev_rc == SQLITE_ROW) {
        a->bad_case = sqlite3_column_int64(ev_st, 1);
        a->bad_seq = sqlite3_column_int(ev_st, 2);
        snprintf(a->why, sizeof a->why, "event belongs to no case");
    }
out:
    sqlite3_finalize(ev_st);
    sqlite3_finalize(case_st);
    return rc;
}

/* ---- summary ------------------------------------------------------------------- */

static int64_t count_of(store *s, const char *sql) {
    sqlite3_stmt *st;
    int64_t n = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    return n;
}

int store_summary_get(store *s, int64_t now, store_summary *out, err *e) {
    sqlite3_stmt *st;
    memset(out, 0, sizeof *out);
    out->units = count_of(s, "SELECT count(*) FROM units");
    out->categories = count_of(s, "SELECT count(*) FROM categories");
    out->cases = count_of(s, "SELECT count(*) FROM cases");
    out->events = count_of(s, "SELECT count(*) FROM events");
    out->notices = count_of(s, "SELECT count(*) FROM notices");
    if (sqlite3_prepare_v2(s->db, "SELECT status, count(*) FROM cases GROUP BY status", -1, &st,
                           NULL))
        return db_err(s, e, "summary");
    while (sqlite3_step(st) == SQLITE_ROW) {
        case_status k;
        if (case_status_parse((const char *)sqlite3_column_text(st, 0), &k, NULL) == 0)
            out->by_status[k] = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(s->db,
                           "SELECT status, dispatch_due, accept_due, feedback_due, resolve_due,"
                           " first_feedback_at FROM cases"
                           " WHERE status IN ('received', 'dispatched', 'accepted')",
                           -1, &st, NULL))
        return db_err(s, e, "summary");
    case_rec c;
    memset(&c, 0, sizeof c);
    while (sqlite3_step(st) == SQLITE_ROW) {
        case_status_parse((const char *)sqlite3_column_text(st, 0), &c.status, NULL);
        for (int k = 0; k < DUE_COUNT; k++) c.due[k] = col_time(st, 1 + k);
        c.first_feedback_at = col_time(st, 5);
        out->overdue += case_overdue(&c, now);
    }
    sqlite3_finalize(st);
    return 0;
}
