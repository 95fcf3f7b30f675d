/* db_pg: the PostgreSQL driver (libpq). Placeholders ?N become $N; a
 * persistent statement is prepared once per connection under a name; a
 * result is read whole, except for DB_LARGE statements, which go through a
 * cursor fetched in batches so a scan of millions of rows stays small and
 * other statements can run between its rows. Values travel as text, blobs as
 * binary bytea. The only file that includes libpq-fe.h. */
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_int.h"
#include "util/strbuf.h"

/* The widest statement is migrate-store's copy of a whole cases row (52 columns at
 * schema 15): room for the schema to grow, and a clear error beyond. */
#define PG_MAX_PARAMS 96
#define PG_FETCH 2000
#define PG_PIPE_MAX 512

struct pg_stmt;

typedef struct pg {
    db base;
    PGconn *c;
    int64_t last_id, changes;
    unsigned serial; /* names of prepared statements and cursors */
    bool leading;
    bool standby;   /* a hot standby: reads only */
    bool listening; /* LISTEN is on: notices tell of changes */
    /* Deferred writes (DB_DEFER) in libpq's pipeline mode: sent, their
     * results read with the next statement that is not deferred. q lists
     * what was sent, in order; a Prepare names its statement, whose
     * "prepared" mark is taken back if the server did not do it. */
    bool piped;
    int nq;
    struct pg_stmt *q[PG_PIPE_MAX];
    bool q_prepare[PG_PIPE_MAX];
} pg;

typedef struct pg_stmt {
    db_stmt base;
    pg *d;
    char *sql; /* $N placeholders, RETURNING id appended when asked */
    unsigned flags;
    int nparams;
    /* ?N is sent as $pos[N]: only the parameters a text uses are sent (a
     * dialect's variant need not use them all), 0 for one it does not use. */
    unsigned char pos[PG_MAX_PARAMS + 1];
    char name[24]; /* prepared name (persistent) or cursor name (large) */
    bool prepared;
    const char *val[PG_MAX_PARAMS];
    int len[PG_MAX_PARAMS], fmt[PG_MAX_PARAMS];
    char num[PG_MAX_PARAMS][32];
    PGresult *res;
    int row;
    bool ran, cursor_open, cursor_end, hold;
    unsigned char *blob[64];
    size_t blobcap[64];
} pg_stmt;

#define P(d) ((pg *)(d))
#define S(st) ((pg_stmt *)(st))

/* Maps a failed result: uniqueness to ERR_CONFLICT, a lost race (deadlock,
 * serialization failure, lock timeout) to ERR_CONFLICT as well, since a retry
 * may succeed; everything else to ERR_IO. Takes res. */
static int fail(pg *d, PGresult *res, err *e) {
    char state[8] = "", msg[400];
    if (res && PQresultErrorField(res, PG_DIAG_SQLSTATE))
        snprintf(state, sizeof state, "%s", PQresultErrorField(res, PG_DIAG_SQLSTATE));
    snprintf(msg, sizeof msg, "%s", res ? PQresultErrorMessage(res) : PQerrorMessage(d->c));
    msg[strcspn(msg, "\n")] = '\0';
    PQclear(res);
    if (PQstatus(d->c) == CONNECTION_BAD)
        return err_set(e, ERR_IO, "", "database connection lost: %s", msg);
    if (strcmp(state, "23505") == 0) return err_set(e, ERR_CONFLICT, "", "already exists");
    if ((strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
                  strcmp(state, "55P03") == 0))
        return err_set(e, ERR_CONFLICT, "", "a concurrent change got there first; retry (%s)", msg);
    /* disk full (53100), out of space for WAL or temp files, a read-only
     * server or transaction (25006: a standby, default_transaction_read_only) */
    if (strcmp(state, "53100") == 0 || strcmp(state, "25006") == 0)
        return err_set(e, ERR_FULL, "", "database: %s", msg);
    return err_set(e, ERR_IO, "", "database: %s", msg);
}

static void pg_close(db *d) {
    PQfinish(P(d)->c);
    free(d);
}

static bool pg_healthy(db *d) { return PQstatus(P(d)->c) == CONNECTION_OK; }

static bool pg_in_tx(db *d) { return PQtransactionStatus(P(d)->c) != PQTRANS_IDLE; }

/* Ends the pipeline: sends Sync and reads every result sent for — all of
 * them, after a failure too: libpq leaves pipeline mode only once each is
 * read, and a connection left in it refuses every later command. The first
 * failure is returned; a later command that the failure kept from running
 * reports nothing of its own. *own receives the last command's result when
 * it is the caller's (NULL: it is not). */
static int pipe_drain(pg *d, PGresult **own, err *e) {
    int rc = 0;
    if (!d->piped) return 0;
    bool synced = PQpipelineSync(d->c);
    if (!synced) rc = fail(d, NULL, e); /* nothing will come: read nothing */
    for (int i = 0; synced && i < d->nq && PQstatus(d->c) != CONNECTION_BAD; i++) {
        PGresult *r;
        while ((r = PQgetResult(d->c))) {
            ExecStatusType t = PQresultStatus(r);
            bool ok = t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK;
            if (!ok && d->q_prepare[i]) d->q[i]->prepared = false;
            if (t == PGRES_FATAL_ERROR && !rc)
                rc = fail(d, r, e); /* takes r */
            else if (ok && own && i == d->nq - 1 && !*own)
                *own = r;
            else
                PQclear(r);
        }
        if (PQstatus(d->c) == CONNECTION_BAD && !rc) rc = fail(d, NULL, e);
    }
    for (int i = 0; rc && i < d->nq; i++) /* unread (a lost connection): unknown */
        if (d->q_prepare[i]) d->q[i]->prepared = false;
    /* PGRES_PIPELINE_SYNC, then the pipeline may end */
    PGresult *r;
    while (!PQexitPipelineMode(d->c) && (r = PQgetResult(d->c))) PQclear(r);
    d->piped = false;
    d->nq = 0;
    if (rc && own && *own) {
        PQclear(*own);
        *own = NULL;
    }
    return rc;
}

/* Sends a statement into the pipeline (its Prepare first, the first time). */
static int pipe_send(pg *d, struct pg_stmt *s, err *e);

/* PQexec of a statement made of a fixed text and names the driver itself
 * made (a cursor's, a statement's): NULL (which reads as a failed result)
 * when it cannot be built. */
__attribute__((format(printf, 2, 3))) static PGresult *execf(pg *d, const char *fmt, ...) {
    strbuf sql = STRBUF_INIT(1024);
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(&sql, fmt, ap);
    va_end(ap);
    PGresult *r = sql.failed ? NULL : PQexec(d->c, strbuf_str(&sql));
    strbuf_release(&sql);
    return r;
}

/* A command without parameters or rows of interest; clears its result. */
static int command(pg *d, const char *sql, err *e) {
    int rc = pipe_drain(d, NULL, e);
    if (rc) return rc;
    PGresult *r = PQexec(d->c, sql);
    ExecStatusType t = PQresultStatus(r);
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) return fail(d, r, e);
    PQclear(r);
    return 0;
}

static void close_cursor(pg_stmt *s) {
    if (!s->cursor_open) return;
    s->cursor_open = false;
    if (pipe_drain(s->d, NULL, NULL)) return;
    /* Gone already if its transaction ended (a held one never goes); closing
     * a cursor that is not there would abort the transaction we are in. */
    PGresult *r = execf(s->d, "SELECT 1 FROM pg_cursors WHERE name = '%s'", s->name);
    bool there = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    PQclear(r);
    if (there) PQclear(execf(s->d, "CLOSE %s", s->name));
}

static void pg_reset(db_stmt *st) {
    pg_stmt *s = S(st);
    PQclear(s->res);
    s->res = NULL;
    s->row = -1;
    s->ran = false;
    close_cursor(s);
    for (int i = 0; i < s->nparams; i++) {
        s->val[i] = NULL;
        s->len[i] = s->fmt[i] = 0;
    }
}

static void pg_finalize(db_stmt *st) {
    pg_stmt *s = S(st);
    pg_reset(st);
    for (int i = 0; i < s->d->nq; i++) /* still in the pipeline: read it first */
        if (s->d->q[i] == s) pipe_drain(s->d, NULL, NULL);
    /* a connection closing takes its statements with it */
    if (s->prepared && !s->d->base.closing && PQstatus(s->d->c) == CONNECTION_OK &&
        !pipe_drain(s->d, NULL, NULL)) {
        PQclear(execf(s->d, "DEALLOCATE %s", s->name));
    }
    for (int i = 0; i < 64; i++) free(s->blob[i]);
    free(s->sql);
    free(s);
}

/* The slot of parameter ?i, or -1 when the text does not use it. */
static int slot(const pg_stmt *s, int i) {
    return i >= 1 && i <= PG_MAX_PARAMS && s->pos[i] ? s->pos[i] - 1 : -1;
}

static void set_param(pg_stmt *s, int i, const char *v, int len, int fmt) {
    int k = slot(s, i);
    if (k < 0) return;
    s->val[k] = v;
    s->len[k] = len;
    s->fmt[k] = fmt;
}

static void bind_int(db_stmt *st, int i, int64_t v) {
    pg_stmt *s = S(st);
    int k = slot(s, i);
    if (k < 0) return;
    snprintf(s->num[k], sizeof s->num[0], "%lld", (long long)v);
    set_param(s, i, s->num[k], 0, 0);
}
static void bind_double(db_stmt *st, int i, double v) {
    pg_stmt *s = S(st);
    int k = slot(s, i);
    if (k < 0) return;
    snprintf(s->num[k], sizeof s->num[0], "%.17g", v);
    set_param(s, i, s->num[k], 0, 0);
}
static void bind_text(db_stmt *st, int i, const char *v) { set_param(S(st), i, v, 0, 0); }
static void bind_blob(db_stmt *st, int i, const void *p, size_t n) {
    set_param(S(st), i, p ? p : "", (int)n, 1);
}
static void bind_null(db_stmt *st, int i) { set_param(S(st), i, NULL, 0, 0); }

static int pipe_send(pg *d, pg_stmt *s, err *e) {
    if (d->nq + 2 > PG_PIPE_MAX) {
        int rc = pipe_drain(d, NULL, e);
        if (rc) return rc;
    }
    if (!d->piped) {
        if (!PQenterPipelineMode(d->c)) return fail(d, NULL, e);
        d->piped = true;
    }
    if ((s->flags & DB_PERSISTENT) && !s->prepared) {
        snprintf(s->name, sizeof s->name, "s%u", ++d->serial);
        if (!PQsendPrepare(d->c, s->name, s->sql, s->nparams, NULL)) return fail(d, NULL, e);
        s->prepared = true;
        d->q[d->nq] = s;
        d->q_prepare[d->nq++] = true;
    }
    int sent = s->flags & DB_PERSISTENT
                   ? PQsendQueryPrepared(d->c, s->name, s->nparams, s->val, s->len, s->fmt, 0)
                   : PQsendQueryParams(d->c, s->sql, s->nparams, NULL, s->val, s->len, s->fmt, 0);
    if (!sent) return fail(d, NULL, e);
    d->q[d->nq] = s;
    d->q_prepare[d->nq++] = false;
    return 0;
}

/* Runs the statement (or opens its cursor and fetches the first batch). A
 * deferred write is only sent; a statement after deferred ones is sent
 * behind them and all are read in one round trip. */
static int run(pg_stmt *s, err *e) {
    pg *d = s->d;
    PGresult *r = NULL;
    int rc;
    s->ran = true;
    s->row = -1;
    if (s->flags & DB_DEFER) return pipe_send(d, s, e);
    if (d->piped && !(s->flags & DB_LARGE)) {
        if ((rc = pipe_send(d, s, e)) || (rc = pipe_drain(d, &r, e))) return rc;
        if (!r) return err_set(e, ERR_IO, "", "database: no result");
        goto result;
    }
    if ((rc = pipe_drain(d, NULL, e))) return rc;
    if (s->flags & DB_LARGE) {
        /* Outside a transaction a cursor must be held past its end. */
        s->hold = PQtransactionStatus(d->c) == PQTRANS_IDLE;
        snprintf(s->name, sizeof s->name, "c%u", ++d->serial);
        size_t n = strlen(s->sql) + 64;
        char *decl = malloc(n);
        if (!decl) return err_set(e, ERR_NOMEM, "", "out of memory");
        snprintf(decl, n, "DECLARE %s NO SCROLL CURSOR%s FOR %s", s->name,
                 s->hold ? " WITH HOLD" : "", s->sql);
        r = PQexecParams(d->c, decl, s->nparams, NULL, s->val, s->len, s->fmt, 0);
        free(decl);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) return fail(d, r, e);
        PQclear(r);
        s->cursor_open = true;
        s->cursor_end = false;
        return 0;
    }
    if (s->flags & DB_PERSISTENT) {
        if (!s->prepared) {
            snprintf(s->name, sizeof s->name, "s%u", ++d->serial);
            r = PQprepare(d->c, s->name, s->sql, s->nparams, NULL);
            if (PQresultStatus(r) != PGRES_COMMAND_OK) return fail(d, r, e);
            PQclear(r);
            s->prepared = true;
        }
        r = PQexecPrepared(d->c, s->name, s->nparams, s->val, s->len, s->fmt, 0);
    } else {
        r = PQexecParams(d->c, s->sql, s->nparams, NULL, s->val, s->len, s->fmt, 0);
    }
result:;
    ExecStatusType t = PQresultStatus(r);
    if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) return fail(d, r, e);
    /* Like sqlite3_changes(): only a write's count changes it. */
    const char *cmd = PQcmdStatus(r);
    if (!strncmp(cmd, "INSERT", 6) || !strncmp(cmd, "UPDATE", 6) || !strncmp(cmd, "DELETE", 6))
        d->changes = strtoll(PQcmdTuples(r), NULL, 10);
    if (s->flags & DB_RETURNS_ID) {
        d->last_id = PQntuples(r) == 1 ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
        PQclear(r);
        return 0;
    }
    s->res = r;
    return 0;
}

static int fetch(pg_stmt *s, err *e) {
    PQclear(s->res);
    s->res = NULL;
    s->row = -1;
    int rc = pipe_drain(s->d, NULL, e);
    if (rc) return rc;
    PGresult *r = execf(s->d, "FETCH %d FROM %s", PG_FETCH, s->name);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) return fail(s->d, r, e);
    s->res = r;
    if (PQntuples(r) < PG_FETCH) s->cursor_end = true;
    return 0;
}

static int pg_step(db_stmt *st, err *e) {
    pg_stmt *s = S(st);
    int rc;
    if (!s->ran && (rc = run(s, e))) return rc;
    if (s->flags & DB_DEFER) return DB_DONE;
    for (;;) {
        if (s->res && s->row + 1 < PQntuples(s->res)) {
            s->row++;
            return DB_ROW;
        }
        if (!s->cursor_open) return DB_DONE;
        if (s->cursor_end) {
            close_cursor(s);
            return DB_DONE;
        }
        if ((rc = fetch(s, e))) return rc;
    }
}

static bool col_null(db_stmt *st, int i) {
    pg_stmt *s = S(st);
    return !s->res || s->row < 0 || PQgetisnull(s->res, s->row, i);
}
static const char *col_text(db_stmt *st, int i) {
    pg_stmt *s = S(st);
    return col_null(st, i) ? NULL : PQgetvalue(s->res, s->row, i);
}
static int64_t col_int(db_stmt *st, int i) {
    const char *v = col_text(st, i);
    return v ? strtoll(v, NULL, 10) : 0;
}
static double col_double(db_stmt *st, int i) {
    const char *v = col_text(st, i);
    return v ? strtod(v, NULL) : 0;
}

static int hexval(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* bytea arrives as text in the hex format "\x0a1b..." (PostgreSQL >= 9.0). */
static const void *col_blob(db_stmt *st, int i, size_t *n) {
    pg_stmt *s = S(st);
    const char *v = col_text(st, i);
    *n = 0;
    if (!v || i < 0 || i >= 64 || v[0] != '\\' || v[1] != 'x') return NULL;
    size_t len = strlen(v + 2) / 2;
    if (len + 1 > s->blobcap[i]) {
        unsigned char *b = realloc(s->blob[i], len + 1);
        if (!b) return NULL;
        s->blob[i] = b;
        s->blobcap[i] = len + 1;
    }
    for (size_t k = 0; k < len; k++) {
        int hi = hexval(v[2 + 2 * k]), lo = hexval(v[3 + 2 * k]);
        if (hi < 0 || lo < 0) return NULL;
        s->blob[i][k] = (unsigned char)(hi << 4 | lo);
    }
    *n = len;
    return s->blob[i];
}

static int col_count(db_stmt *st) { return S(st)->res ? PQnfields(S(st)->res) : 0; }
static const char *col_name(db_stmt *st, int i) { return S(st)->res ? PQfname(S(st)->res, i) : NULL; }

/* By the column's type (OIDs from pg_type.h, fixed since PostgreSQL 7). */
static db_type col_type(db_stmt *st, int i) {
    if (col_null(st, i)) return DB_NULL;
    switch (PQftype(S(st)->res, i)) {
    case 20: case 21: case 23: return DB_INT;   /* int8, int2, int4 */
    case 700: case 701: return DB_DOUBLE;       /* float4, float8 */
    case 17: return DB_BLOB;                    /* bytea */
    default: return DB_TEXT;
    }
}

static int64_t pg_last_id(db *d) { return P(d)->last_id; }
static int64_t pg_changes(db *d) { return P(d)->changes; }
static int pg_exec(db *d, const char *sql, err *e) { return command(P(d), sql, e); }

static bool pg_read_only(db *d) { return P(d)->standby; }

/* A standby cannot LISTEN (nor would it hear: NOTIFY is not replicated);
 * there db_notified always answers true and the caller asks itself. */
static int pg_listen(db *d, const char *channel, err *e) {
    if (P(d)->standby) return 0;
    strbuf sql = STRBUF_INIT(256);
    strbuf_addf(&sql, "LISTEN %s", channel);
    int rc = strbuf_check(&sql, "LISTEN", e);
    if (!rc) rc = command(P(d), strbuf_str(&sql), e);
    strbuf_release(&sql);
    P(d)->listening = rc == 0;
    return rc;
}

/* Notices arrive on the connection's socket while it is idle: reading what
 * is there costs no round trip. A lost connection answers true, so that the
 * caller's own check reports the error. */
static bool pg_notified(db *d) {
    pg *p = P(d);
    bool any = false;
    if (!p->listening || !PQconsumeInput(p->c)) return true;
    for (PGnotify *n; (n = PQnotifies(p->c)); PQfreemem(n)) any = true;
    return any;
}

static int pg_try_lead(db *d, int64_t key, bool *leading, err *e) {
    pg *p = P(d);
    /* A session lock is held until the connection ends: when the node dies,
     * its connection closes and the lock is free for another node. Asking
     * again while holding it would only stack it. */
    if (!p->leading) {
        int rc = pipe_drain(p, NULL, e);
        if (rc) return rc;
        PGresult *r = execf(p, "SELECT pg_try_advisory_lock(%lld)", (long long)key);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) return fail(p, r, e);
        p->leading = PQgetvalue(r, 0, 0)[0] == 't';
        PQclear(r);
    }
    *leading = p->leading;
    return 0;
}

static int pg_prepare(db *d, const char *sql, unsigned flags, db_stmt **out, err *e);

/* A named statement is parsed once; the server plans it as it sees fit. */
static unsigned pg_recompiled(db_stmt *st) {
    (void)st;
    return 0;
}

static bool pg_idle(db *d) { return !P(d)->piped; }

static const db_driver driver = {
    .dialect = DB_POSTGRES,
    .close = pg_close,
    .healthy = pg_healthy,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .bind_int = bind_int,
    .bind_double = bind_double,
    .bind_text = bind_text,
    .bind_blob = bind_blob,
    .bind_null = bind_null,
    .step = pg_step,
    .col_null = col_null,
    .col_int = col_int,
    .col_double = col_double,
    .col_text = col_text,
    .col_blob = col_blob,
    .col_count = col_count,
    .col_name = col_name,
    .col_type = col_type,
    .last_id = pg_last_id,
    .changes = pg_changes,
    .exec = pg_exec,
    .in_tx = pg_in_tx,
    .read_only = pg_read_only,
    .listen = pg_listen,
    .notified = pg_notified,
    .try_lead = pg_try_lead,
    .recompiled = pg_recompiled,
    .idle = pg_idle,
};

/* Walks the text, skipping string literals, quoted names and comments:
 * marks each ?N in used (when given) and copies the text to o (when given)
 * with ?N written as $pos[N]. Returns the end of what it wrote. */
static char *rewrite(const char *sql, char *o, const unsigned char *pos, bool *used) {
    for (const char *s = sql; *s;) {
        if (*s == '\'' || *s == '"') {
            char q = *s;
            if (o) *o++ = *s;
            s++;
            while (*s && *s != q) {
                if (o) *o++ = *s;
                s++;
            }
            if (*s) {
                if (o) *o++ = *s;
                s++;
            }
        } else if (s[0] == '-' && s[1] == '-') {
            while (*s && *s != '\n') {
                if (o) *o++ = *s;
                s++;
            }
        } else if (*s == '?' && s[1] >= '0' && s[1] <= '9') {
            long k = strtol(s + 1, (char **)&s, 10);
            if (k < 1 || k > PG_MAX_PARAMS) k = 0;
            if (used) used[k] = true;
            if (o) o += sprintf(o, "$%d", pos ? pos[k] : 0);
        } else {
            if (o) *o++ = *s;
            s++;
        }
    }
    if (o) *o = '\0';
    return o;
}

/* ?N becomes $K, K counting only the parameters the text uses. */
static int convert(pg_stmt *st, const char *sql, bool returning, err *e) {
    bool used[PG_MAX_PARAMS + 1] = {0};
    rewrite(sql, NULL, NULL, used);
    if (used[0]) return err_set(e, ERR_INVALID, "", "a statement has a parameter beyond ?%d", PG_MAX_PARAMS);
    for (int i = 1; i <= PG_MAX_PARAMS; i++)
        if (used[i]) st->pos[i] = (unsigned char)++st->nparams;
    char *o = malloc(strlen(sql) + 32);
    if (!o) return err_set(e, ERR_NOMEM, "", "out of memory");
    char *end = rewrite(sql, o, st->pos, NULL);
    if (returning) strcpy(end, " RETURNING id");
    st->sql = o;
    return 0;
}

static int pg_prepare(db *d, const char *sql, unsigned flags, db_stmt **out, err *e) {
    pg_stmt *s = calloc(1, sizeof *s);
    if (!s) return err_set(e, ERR_NOMEM, "", "out of memory");
    s->base.drv = &driver;
    s->d = P(d);
    s->flags = flags;
    s->row = -1;
    int rc = convert(s, sql, flags & DB_RETURNS_ID, e);
    if (rc) {
        free(s);
        return rc;
    }
    *out = &s->base;
    return 0;
}

static void quiet(void *arg, const char *message) { (void)arg, (void)message; }

int db_pg_open(const char *conninfo, const db_opts *o, db **out, err *e) {
    pg *d = calloc(1, sizeof *d);
    int rc;
    if (!d) return err_set(e, ERR_NOMEM, "", "out of memory");
    d->base.drv = &driver;
    d->c = PQconnectdb(conninfo);
    if (!d->c || PQstatus(d->c) != CONNECTION_OK) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s", d->c ? PQerrorMessage(d->c) : "out of memory");
        msg[strcspn(msg, "\n")] = '\0';
        rc = err_set(e, ERR_IO, "db", "cannot connect to PostgreSQL: %s", msg);
        goto fail;
    }
    /* Notices ("relation exists, skipping") are not errors; below cli/ nothing prints. */
    PQsetNoticeProcessor(d->c, quiet, NULL);
    /* A named statement is planned once, for any values (a generic plan):
     * left to choose, the server planned a unit's list page again at every
     * run (3 ms of a 6 ms page) because a plan for the values at hand looked
     * cheaper. The store's statements are written for plans that hold for
     * any value (a choice that depends on one is made in the text, as the
     * "+" before a column in a list's order does); the scans of reports are
     * cursors, planned for their values. */
    if ((rc = command(d, o->sync_normal ? "SET synchronous_commit = off; SET client_encoding = 'UTF8';"
                                          " SET plan_cache_mode = force_generic_plan"
                                        : "SET client_encoding = 'UTF8'; SET plan_cache_mode = force_generic_plan",
                      e)))
        goto fail;
    PGresult *r = PQexec(d->c, "SELECT pg_is_in_recovery()");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = fail(d, r, e);
        goto fail;
    }
    d->standby = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    *out = &d->base;
    return 0;
fail:
    pg_close(&d->base);
    return rc;
}
