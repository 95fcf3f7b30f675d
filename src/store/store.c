/* store: opening a store on either driver, its migrations, transactions and
 * batches, the deadline environment (calendar, policy, time zone) each
 * connection keeps, and the configuration. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/holiday.h"
#include "core/ref.h"
#include "core/view.h"
#include "store/store_int.h"
#include "util/datetime.h"

/* ---- statements ---------------------------------------------------------- */

const char *st_sql(const store *s, const store_sql *q) {
    return s->dialect == DB_POSTGRES && q->pg ? q->pg : q->lite;
}

db_stmt *st_prep(store *s, int id, err *e) {
    if (!s->q[id]) {
        unsigned flags = DB_PERSISTENT;
        if (id == Q_UNIT_ADD || id == Q_CAT_ADD || id == Q_NOTICE_INSERT) flags |= DB_RETURNS_ID;
        if (id == Q_SWEEP_DUE || id == Q_STATS_SCAN || id == Q_STATS_SCAN_IDS) flags |= DB_LARGE;
        /* A case's writes need no answer until the commit: on PostgreSQL
         * they travel together, one round trip instead of one each. */
        if (id == Q_BEGIN || id == Q_SAVEPOINT || id == Q_CASE_INSERT || id == Q_EVENT_INSERT ||
            id == Q_ALERTED_ADD || id == Q_ALERTED_SET || id == Q_CASE_UPDATE || id == Q_UNITS_NEXT ||
            id == Q_UNITS_ASSIGN || id == Q_UNITS_RETURN || id == Q_TEXT_INSERT ||
            id == Q_IDEMPOTENT_PUT || id == Q_CASE_SEQ_SET)
            flags |= DB_DEFER;
        if (db_prepare(s->db, st_sql(s, &store_sql_text[id]), flags, &s->q[id], e)) return NULL;
    } else {
        db_reset(s->q[id]);
    }
    return s->q[id];
}

int st_prepare(store *s, const char *sql, unsigned flags, db_stmt **out, err *e) {
    return db_prepare(s->db, sql, flags, out, e);
}

int st_exec_q(store *s, int id, err *e) {
    if (!st_sql(s, &store_sql_text[id])[0]) return 0;
    db_stmt *st = st_prep(s, id, e);
    return st ? db_run(st, e) : ERR_IO;
}

int st_grow(void *arr, size_t *cap, size_t n, size_t size, err *e) {
    void **p = arr;
    if (n < *cap) return 0;
    size_t c = *cap ? *cap * 2 : 1024;
    void *np = realloc(*p, c * size);
    if (!np) return err_set(e, ERR_NOMEM, "", "out of memory");
    *p = np;
    *cap = c;
    return 0;
}

int st_fail(int rc, err *e, const char *what) {
    if (rc && e) err_prefix(e, "%s: ", what);
    return rc;
}

/* ---- columns ----------------------------------------------------------------- */

char *st_col_dup(db_stmt *st, int i) {
    const char *t = db_col_text(st, i);
    return t ? strdup(t) : NULL;
}

void st_col_copy(db_stmt *st, int i, char *out, size_t n) {
    const char *t = db_col_text(st, i);
    snprintf(out, n, "%s", t ? t : "");
}

void st_read_ref(db_stmt *st, int i, unit_ref *u) {
    memset(u, 0, sizeof *u);
    if (db_col_null(st, i)) return;
    u->id = db_col_int(st, i);
    st_col_copy(st, i + 1, u->code, sizeof u->code);
    st_col_copy(st, i + 2, u->name, sizeof u->name);
}

bool st_col_hash(db_stmt *st, int i, unsigned char out[32]) {
    size_t n;
    const void *p = db_col_blob(st, i, &n);
    if (!p || n != 32) return false;
    memcpy(out, p, 32);
    return true;
}

/* ---- transactions ---------------------------------------------------------------- */

static int tx(store *s, int q, err *e) { return st_exec_q(s, q, e); }

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

static int env_exact(store *s, err *e);

/* A top-level write transaction: on SQLite it holds the only write lock, so
 * no other connection can change the calendar or policy until it ends;
 * checking freshness once here is enough for every operation inside it. */
static int top_begin(store *s, err *e) {
    pause_read(s);
    s->tx_serial++;
    int rc = tx(s, Q_BEGIN, e);
    /* A write asks the version itself, notice or not: a deadline computed a
     * moment after another node changed the policy uses the new one. */
    if (!rc && (rc = env_exact(s, e))) tx(s, Q_ROLLBACK, NULL);
    return rc;
}

int st_tx_begin(store *s, err *e) {
    if (s->depth) return tx(s, Q_SAVEPOINT, e);
    int rc = top_begin(s, e);
    if (rc) resume_read(s);
    return rc;
}

int st_tx_end(store *s, int rc, err *e) {
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

int st_write1(store *s, db_stmt *st, err *e) {
    int rc = st_tx_begin(s, e);
    if (!rc) rc = st_tx_end(s, db_run(st, e), e);
    db_finalize(st);
    return rc;
}

int st_snapshot_begin(store *s, bool *began, err *e) {
    *began = false;
    if (s->depth || s->read_tx || db_in_tx(s->db)) return 0;
    int rc = tx(s, Q_SNAPSHOT_BEGIN, e);
    *began = rc == 0;
    return rc;
}

void st_snapshot_end(store *s, bool began) {
    if (began) tx(s, Q_COMMIT, NULL);
}

int store_read_begin(store *s, err *e) {
    if (s->depth || s->read_tx) return 0;
    if (st_sql(s, &store_sql_text[Q_READ_BEGIN])[0]) {
        int rc = tx(s, Q_READ_BEGIN, e);
        if (rc) return rc;
        s->read_tx = true;
    }
    return st_env_fresh(s, e);
}

void store_read_end(store *s) {
    if (!s->read_tx) return;
    tx(s, Q_COMMIT, NULL);
    s->read_tx = false;
}

int store_begin(store *s, err *e) {
    if (s->depth++) return 0;
    int rc = top_begin(s, e);
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
    if (rc) {
        s->seq.serial = 0;
        tx(s, Q_ROLLBACK, NULL);
    }
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

void store_set_key_source(store *s, store_key_fn fn, void *ctx) {
    s->key_fn = fn;
    s->key_ctx = ctx;
}

void st_new_key(store *s, int64_t case_id, unsigned char key[32]) {
    if (s->key_fn)
        s->key_fn(s->key_ctx, case_id, key);
    else
        randombytes_buf(key, 32);
}

int store_try_lead(store *s, bool *leading, err *e) {
    /* one key for all of duban's background work (migrations use 1371001) */
    return db_try_lead(s->db, 1371002, leading, e);
}

/* ---- migrations ---------------------------------------------------------- */

int store_latest_version(void) { return store_n_migrations; }

static int read_version(store *s, int *v, err *e) {
    int64_t n = 0;
    int rc = db_query_int(s->db, st_sql(s, &store_sql_text[Q_SCHEMA_VERSION]), &n, e);
    *v = (int)n;
    return st_fail(rc, e, "read schema version");
}

int store_schema_version(store *s) {
    int v = -1;
    return read_version(s, &v, NULL) ? -1 : v;
}

static void drop_statements(store *s) {
    for (int i = 0; i < Q_COUNT; i++) {
        db_finalize(s->q[i]);
        s->q[i] = NULL;
    }
    if (s->db) db_cache_clear(s->db);
}

/* One transaction per step; on PostgreSQL under a lock, so that nodes
 * starting together migrate one after the other. */
static int migrate(store *s, int target, err *e) {
    if (db_read_only(s->db)) { /* a replica: its primary migrates */
        int v, rc = read_version(s, &v, e);
        if (!rc && v < target)
            rc = err_set(e, ERR_CONFLICT, "db",
                         "this read-only replica has schema version %d, this duban needs %d:"
                         " upgrade the primary first", v, target);
        return rc;
    }
    for (;;) {
        int v, rc = db_exec(s->db, st_sql(s, &store_sql_text[Q_MIGRATE_BEGIN]), e);
        if (rc) return st_fail(rc, e, "migrate");
        if (!(rc = read_version(s, &v, e)) && v > store_n_migrations)
            rc = err_set(e, ERR_INVALID, "db",
                         "database schema version %d is newer than this duban (%d)", v,
                         store_n_migrations);
        if (!rc && v >= target) return db_exec(s->db, "COMMIT", e);
        if (!rc) {
            const store_migration *m = &store_migrations[v];
            char set[160];
            snprintf(set, sizeof set, st_sql(s, &store_sql_schema_set), v + 1);
            if (!(rc = db_exec(s->db, st_sql(s, &m->sql), e)) && !(rc = m->seed ? m->seed(s, e) : 0) &&
                !(rc = db_exec(s->db, set, e)))
                rc = db_exec(s->db, "COMMIT", e);
            if (rc) err_prefix(e, "migration %d: ", v + 1);
            drop_statements(s); /* the seeds' statements were planned against the tables before */
        }
        if (rc) {
            db_exec(s->db, "ROLLBACK", NULL);
            return rc;
        }
    }
}

/* ---- environment: time zone, calendar, policy ----------------------------- */

static int load_calendar(store *s, err *e) {
    db_stmt *st;
    cal_day *days = NULL;
    size_t n = 0, cap = 0;
    int rc = st_prepare(s, "SELECT day, off FROM calendar_days", 0, &st, e);
    if (rc) return st_fail(rc, e, "load calendar");
    while (db_next(st, &rc, e) && !(rc = st_grow(&days, &cap, n, sizeof *days, e)))
        days[n++] = (cal_day){.day = (int32_t)db_col_int(st, 0), .off = db_col_int(st, 1) != 0};
    db_finalize(st);
    cal *c;
    cal_day *law = NULL;
    /* A calendar read only in part would give wrong deadlines: nothing is kept.
     * The years not imported count their statutory days, provisionally. */
    if (!rc && !(rc = hol_complete(days, n, &law, &n, e)) && !(rc = cal_new(law, n, &c, e))) {
        cal_free(s->cal);
        s->cal = c;
    }
    free(law);
    free(days);
    return st_fail(rc, e, "load calendar");
}

static int load_policy(store *s, err *e) {
    db_stmt *st;
    int rc;
    pol_table p;
    pol_defaults(&p);
    if (store_schema_version(s) < 3) { /* an old schema: defaults until migrated */
        s->pol = p;
        return 0;
    }
    if ((rc = st_prepare(s, "SELECT channel, class, stage, rule FROM policy", 0, &st, e)))
        return st_fail(rc, e, "load policy");
    while (db_next(st, &rc, e)) {
        case_channel ch;
        case_class cl;
        pol_stage sg;
        pol_rule r;
        if (case_channel_parse(db_col_text(st, 0), &ch, NULL) ||
            case_class_parse(db_col_text(st, 1), &cl, NULL) ||
            pol_stage_parse(db_col_text(st, 2), &sg, NULL))
            continue; /* a row for something this version does not know */
        if (!(rc = pol_rule_parse(db_col_text(st, 3), &r, e))) p.r[ch][cl][sg] = r;
    }
    db_finalize(st);
    if (!rc) s->pol = p;
    return st_fail(rc, e, "load policy");
}

static int env_version(store *s, int64_t *v, err *e) {
    db_stmt *st = st_prep(s, Q_ENV_VERSION, e);
    int rc = st ? db_first(st, e) : ERR_IO;
    *v = rc ? -1 : db_col_int(st, 0);
    if (st) db_reset(st);
    return st_fail(rc, e, "configuration version");
}

int st_load_env(store *s, err *e) {
    char tz[16], pub[256];
    int64_t v;
    view_channels channels;
    int off, rc = env_version(s, &v, e);
    if (!rc) rc = store_config_get(s, "tz_offset", tz, sizeof tz, e);
    if (!rc && (rc = store_config_get(s, "public_channels", pub, sizeof pub, e)) == ERR_NOTFOUND) {
        snprintf(pub, sizeof pub, "%s", VIEW_CHANNELS_DEFAULT_TEXT); /* a schema before 9 */
        rc = 0;
    }
    if (!rc) rc = view_channels_parse(pub, &channels, e);
    char days[16] = "365";
    if (!rc && (rc = store_config_get(s, "max_extension_days", days, sizeof days, e)) == ERR_NOTFOUND)
        rc = 0;
    char attempts[16] = "3";
    if (!rc && (rc = store_config_get(s, "unreachable_attempts", attempts, sizeof attempts, e)) == ERR_NOTFOUND)
        rc = 0;
    char redo[16] = "30";
    if (!rc && (rc = store_config_get(s, "proposal_redo_days", redo, sizeof redo, e)) == ERR_NOTFOUND)
        rc = 0;
    if (!rc) rc = store_config_get(s, "case_prefix", s->case_prefix, sizeof s->case_prefix, e);
    if (!rc) rc = dt_parse_offset(tz, &off, e);
    if (!rc) rc = load_calendar(s, e);
    if (!rc) rc = load_policy(s, e);
    if (rc) return rc;
    s->env_version = v;
    s->env.tz = off;
    s->env.public_channels = channels;
    s->env.max_extension_days = atoi(days);
    s->env.unreachable_attempts = atoi(attempts);
    s->env.proposal_redo_days = atoi(redo);
    s->env.cal = s->cal;
    s->env.pol = &s->pol;
    return 0;
}

/* Asks the database for the version, and reloads if it moved. */
static int env_exact(store *s, err *e) {
    int64_t v;
    int rc = env_version(s, &v, e);
    return rc ? rc : v == s->env_version ? 0 : st_load_env(s, e);
}

int st_env_fresh(store *s, err *e) {
    /* Where the driver hears of changes (PostgreSQL: NOTIFY with each bump
     * below), no news means nothing to ask: a read may run on what it knew
     * for as long as a notice takes to arrive. */
    return db_notified(s->db) ? env_exact(s, e) : 0;
}

/* Bumps the version inside the caller's transaction, and tells the other
 * connections when it commits. */
int st_env_changed(store *s, err *e) {
    db_stmt *st = st_prep(s, Q_ENV_BUMP, e);
    int rc = st ? db_run(st, e) : ERR_IO;
    if (!rc) rc = st_exec_q(s, Q_ENV_NOTIFY, e);
    return st_fail(rc, e, "configuration");
}

const case_env *store_env(store *s) { return &s->env; }

int store_refresh(store *s, err *e) { return env_exact(s, e); }

/* ---- open / close -------------------------------------------------------- */

int store_open(const char *target, const store_opts *opts, store **out, err *e) {
    store_opts o = opts ? *opts : (store_opts){0};
    db_opts dopt = {.sync_normal = o.sync_normal, .must_exist = o.must_exist};
    store *s = calloc(1, sizeof *s);
    int rc;
    *out = NULL;
    if (!s) return err_set(e, ERR_NOMEM, "", "out of memory");
    /* Picks libsodium's fastest BLAKE2b for this CPU (the event hashes) and
     * seeds its generator (the text keys); idempotent and thread-safe. */
    if (sodium_init() < 0) {
        rc = err_set(e, ERR_IO, "", "libsodium cannot start");
        goto fail;
    }
    if ((rc = db_open(target, &dopt, &s->db, e))) goto fail;
    s->dialect = db_dialect_of(s->db);
    if ((rc = db_listen(s->db, "duban_env", e)) || (rc = migrate(s, o.max_version ? o.max_version : store_n_migrations, e))) goto fail;
    /* Statements the migrations cached were planned against older tables. */
    drop_statements(s);
    if ((rc = st_load_env(s, e))) goto fail;
    *out = s;
    return 0;
fail:
    store_close(s);
    return rc;
}

void store_close(store *s) {
    if (!s) return;
    drop_statements(s);
    db_close(s->db);
    cal_free(s->cal);
    free(s);
}

void store_target_label(const char *target, char *out, size_t n) {
    db_target_label(target, out, n);
}

bool store_healthy(store *s) { return db_healthy(s->db); }

bool store_single_writer(const store *s) { return s->dialect == DB_SQLITE; }

const char *store_driver_name(const store *s) {
    return s->dialect == DB_POSTGRES ? "postgresql" : "sqlite";
}

/* ---- configuration ------------------------------------------------------- */

int store_config_get(store *s, const char *key, char *out, size_t outsz, err *e) {
    db_stmt *st = st_prep(s, Q_CONFIG_GET, e);
    if (!st) return ERR_IO;
    db_bind_text(st, 1, key);
    int rc = db_first(st, e);
    if (rc == ERR_NOTFOUND)
        rc = err_set(e, ERR_NOTFOUND, "key", "unknown configuration key '%s'", key);
    else if (!rc)
        st_col_copy(st, 0, out, outsz);
    db_reset(st);
    return rc;
}

int store_config_at(store *s, const char *key, int64_t at, char *out, size_t outsz, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT value FROM config_log WHERE key = ?1 AND set_at <= ?2"
                           " ORDER BY set_at DESC, id DESC LIMIT 1", 0, &st, e);
    if (rc) return st_fail(rc, e, "configuration");
    db_bind_text(st, 1, key);
    db_bind_int(st, 2, at);
    if (!(rc = db_first(st, e))) st_col_copy(st, 0, out, outsz);
    db_finalize(st);
    return rc == ERR_NOTFOUND ? store_config_get(s, key, out, outsz, e) : rc;
}

int64_t store_config_int_at(store *s, const char *key, int64_t at, int64_t fallback) {
    char v[32];
    char *end;
    if (store_config_at(s, key, at, v, sizeof v, NULL) || !v[0]) return fallback;
    long long n = strtoll(v, &end, 10);
    return *end ? fallback : n;
}

int64_t store_config_int(store *s, const char *key, int64_t fallback) {
    char v[32];
    char *end;
    if (store_config_get(s, key, v, sizeof v, NULL) || !v[0]) return fallback;
    long long n = strtoll(v, &end, 10);
    return *end ? fallback : n;
}

static int secret_read(store *s, const char *key, unsigned char out[32], err *e) {
    char hex[80];
    size_t n = 0;
    int rc = store_config_get(s, key, hex, sizeof hex, e);
    if (!rc && (sodium_hex2bin(out, 32, hex, strlen(hex), NULL, &n, NULL) || n != 32))
        rc = err_set(e, ERR_IO, "", "the secret %s is damaged", key);
    return rc;
}

int store_secret(store *s, const char *key, unsigned char out[32], err *e) {
    int rc = secret_read(s, key, out, e);
    if (rc != ERR_NOTFOUND) return rc;
    unsigned char fresh[32];
    char hex[65];
    randombytes_buf(fresh, sizeof fresh);
    sodium_bin2hex(hex, sizeof hex, fresh, sizeof fresh);
    db_stmt *st;
    /* another node may make it first: its own is kept, and read back */
    if ((rc = st_prepare(s, "INSERT INTO config(key, value) VALUES(?1, ?2) ON CONFLICT (key) DO NOTHING", 0, &st, e)))
        return rc;
    db_bind_text(st, 1, key);
    db_bind_text(st, 2, hex);
    rc = db_run(st, e);
    db_finalize(st);
    return rc ? st_fail(rc, e, "secret") : secret_read(s, key, out, e);
}

/* The settings a figure reads: kept with the moment each was set
 * (config_log), so a figure as of a moment reads the one in force then. */
static bool figure_key(const char *key) {
    return !strcmp(key, "rank_min_dispatched") || !strcmp(key, "appraisal_weights") ||
           !strcmp(key, "report_cutoff_days");
}

int store_config_set(store *s, const char *key, const char *value, int64_t now, err *e) {
    int rc = ref_check_config(key, value, e);
    if (rc || (rc = st_tx_begin(s, e))) return rc;
    db_stmt *st;
    /* the value in force before the first change on record (absent: '',
     * the default) stands for every moment before it */
    if (figure_key(key) &&
        !(rc = st_prepare(s, "INSERT INTO config_log(key, value, set_at) SELECT ?1, coalesce((SELECT value FROM config"
                             " WHERE key = ?1), ''), 0 WHERE NOT EXISTS (SELECT 1 FROM config_log WHERE key = ?1)",
                          0, &st, e))) {
        db_bind_text(st, 1, key);
        rc = st_fail(db_run(st, e), e, "set configuration");
        db_finalize(st);
    }
    st = rc ? NULL : st_prep(s, Q_CONFIG_SET, e);
    if (!rc && !st) rc = ERR_IO;
    if (!rc) {
        db_bind_text(st, 1, key);
        db_bind_text(st, 2, value);
        rc = st_fail(db_run(st, e), e, "set configuration");
    }
    if (!rc && figure_key(key) &&
        !(rc = st_prepare(s, "INSERT INTO config_log(key, value, set_at) VALUES(?1, ?2, ?3)", 0, &st, e))) {
        db_bind_text(st, 1, key);
        db_bind_text(st, 2, value);
        db_bind_int(st, 3, now);
        rc = st_fail(db_run(st, e), e, "set configuration");
        db_finalize(st);
    }
    if (!rc) rc = st_env_changed(s, e);
    if ((rc = st_tx_end(s, rc, e))) return rc;
    return st_load_env(s, e);
}
