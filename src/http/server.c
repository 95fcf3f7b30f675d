/* server: libmicrohttpd glue. Admits a request with a body on its headers
 * (http_admit) before reading any of it, then reads the body within its
 * limits (an upload into an unlinked file, the rest in memory under a cap
 * for all requests together), counts the requests in flight, gives each
 * worker thread its own store connection and turns an http_res into a
 * response. Handlers never see MHD. */
#include <arpa/inet.h>
#include <errno.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "http/http_int.h"
#include "util/datetime.h"
#include "core/case_json.h"
#include "util/text.h"
#include "http/guard.h"
#include "util/jsonw.h"
#include "http/writer.h"
#include "jobs/anchor.h"
#include "jobs/exporter.h"
#include "jobs/indexer.h"
#include "jobs/jobs.h"
#include "jobs/sweep.h"
#include "jobs/webhook.h"
#include "store/store_file.h"
#include "store/store_pool.h"

struct http_server {
    struct MHD_Daemon *d;
    http_config cfg;
    store_pool *pool;
    atomic_uint inflight;
    atomic_size_t held;  /* bytes of request bodies in memory, all together (max_body_memory) */
    atomic_size_t anon_held; /* of which, bodies no one is known for yet: at most a quarter */
    char stage_dir[512]; /* where uploads are staged: $TMPDIR, else /var/tmp */
    writer *writer;      /* NULL: workers run their case writes themselves */
    /* the background work: the guard's watch, the search index (SQLite
     * only: kept off the request path), the sweep and the webhook's
     * delivery (unless --sweep-interval 0), the exports' queue */
    jobs *jobs;
    sweep_job *sweep;    /* NULL: no background sweep */
    exporter *exporter;
    guard *guard;        /* the time allowed for a request's headers */
    atomic_uint waiting; /* suspended for a group commit */
    atomic_bool stopping; /* new connections are refused */
    char self_url[80];    /* http://HOST:PORT as bound: links when site_url is unset */
};

/* Per connection: the body read so far, and a queued case write. */
typedef struct conn_state {
    char *body;           /* in memory, or (mapped) the staging file's bytes */
    size_t len, cap, max; /* max: the limit this request's body is held to */
    size_t held;          /* of the server's held: this body's share */
    int fd;               /* an upload's staging file, unlinked; -1 when none */
    int stage_errno;      /* writing it failed: the rest is dropped, 503 */
    bool mapped;
    bool too_big;
    bool busy;            /* past max_body_memory: the rest is dropped, 503 */
    bool anon;            /* a public route (or none): the sender is not known */
    write_job *job;
    char rid[HTTP_RID_LEN]; /* X-Request-Id, and named in 5xx answers and the log */
    bool tls;               /* behind a trusted proxy that terminated TLS */
} conn_state;

/* ---- helpers for handlers ------------------------------------------------ */

int http_json(http_res *res, int status, json_t *v) {
    json_decref(res->json);
    res->status = status;
    res->json = v;
    return status;
}

int http_json_text(http_res *res, int status, jsonw *w) {
    size_t n;
    char *text = jsonw_take(w, &n);
    if (!text) return http_error(res, 500, "internal", NULL, "out of memory");
    json_decref(res->json);
    res->json = NULL;
    if (!res->body_static) free(res->body);
    res->status = status;
    res->body = text;
    res->len = n;
    res->body_static = false;
    res->content_type = "application/json; charset=utf-8";
    http_add_header(res, "Cache-Control", "no-store");
    return status;
}

int http_error(http_res *res, int status, const char *code, const char *field, const char *fmt,
               ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    text_mend(msg); /* a value quoted cut, or a long message cut, may split a character */
    return http_json(res, status,
                     json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", code, "message", msg,
                               "field", field && field[0] ? field : NULL));
}

void http_add_header(http_res *res, const char *name, const char *value) {
    if (res->nheaders == HTTP_MAX_HEADERS) return;
    snprintf(res->header[res->nheaders][0], sizeof res->header[0][0], "%s", name);
    snprintf(res->header[res->nheaders][1], sizeof res->header[0][1], "%s", value);
    res->nheaders++;
}

store_actor http_actor(const http_req *req) {
    return (store_actor){req->who ? req->who->user_id : 0, req->who ? req->who->name : "", req->now};
}

void http_set_cookie(const http_req *req, http_res *res, const char *name, const char *value,
                     const char *path, long max_age) {
    char c[256];
    snprintf(c, sizeof c, "%s=%s; Path=%s; Max-Age=%ld; HttpOnly; SameSite=Strict%s", name, value, path, max_age,
             req->tls ? "; Secure" : "");
    http_add_header(res, "Set-Cookie", c);
}

const char *http_query(const http_req *req, const char *key) {
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

int http_path_id(const char *s, const char *field, int64_t *id, http_res *res) {
    char *end;
    errno = 0;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || errno || v < 1) {
        http_error(res, 400, "bad_request", field, "%s '%s' must be a positive whole number", field,
                   s ? s : "");
        return -1;
    }
    *id = v;
    return 0;
}

int http_query_int(const http_req *req, http_res *res, const char *key, int64_t min, int64_t max,
                   int64_t *out) {
    const char *v = http_query(req, key);
    char *end;
    if (!v) return 0;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (!*v || *end || errno || n < min || n > max)
        return http_error(res, 400, "bad_request", key, "%s '%s' must be a whole number from %lld to %lld",
                          key, v, (long long)min, (long long)max);
    *out = n;
    return 0;
}

int http_query_period(const http_req *req, http_res *res, int64_t *from, int64_t *to) {
    const char *f = http_query(req, "from"), *t = http_query(req, "to");
    int32_t d0, d1;
    err e = {0};
    int tz = store_env(req->st)->tz;
    if (dt_parse_date(f, &d0, &e)) return http_error(res, 400, "bad_request", "from", "from: %s", e.msg);
    if (dt_parse_date(t, &d1, &e)) return http_error(res, 400, "bad_request", "to", "to: %s", e.msg);
    if (d1 <= d0) return http_error(res, 400, "bad_request", "to", "to %s must be after from %s", t, f);
    *from = dt_day_start(d0, tz);
    *to = dt_day_start(d1, tz);
    return 0;
}

int http_query_at(const http_req *req, http_res *res, int64_t *at) {
    const char *v = http_query(req, "at");
    err e = {0};
    if (v && dt_parse_instant(v, store_env(req->st)->tz, at, &e))
        return http_error(res, 400, "bad_request", "at", "at: %s", e.msg);
    return 0;
}

const char *http_header(const http_req *req, const char *name) {
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

static const char *type_name(json_type t) {
    switch (t) {
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "a whole number";
    case JSON_REAL: return "a number";
    case JSON_ARRAY: return "an array of strings";
    case JSON_TRUE: return "true or false";
    default: return "a value";
    }
}

int http_check_fields(json_t *obj, const http_field *fields, http_res *res) {
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        const http_field *f = fields;
        while (f->name && strcmp(f->name, key) != 0) f++;
        if (!f->name) return http_error(res, 422, "invalid", key, "unknown field '%s'", key);
        bool ok = f->type == JSON_TRUE ? json_is_boolean(v)
                  : f->type == JSON_REAL ? json_is_number(v) /* 7 is a number too */
                                         : json_typeof(v) == f->type;
        if (ok && f->type == JSON_ARRAY) {
            size_t i;
            json_t *it;
            json_array_foreach(v, i, it) ok = ok && json_is_string(it);
        }
        if (!ok && !json_is_null(v))
            return http_error(res, 422, "invalid", key, "'%s' must be %s", key, type_name(f->type));
    }
    for (const http_field *f = fields; f->name; f++)
        if (f->required && (!json_object_get(obj, f->name) || json_is_null(json_object_get(obj, f->name))))
            return http_error(res, 422, "invalid", f->name, "'%s' is required", f->name);
    return 0;
}

const char *http_str(json_t *obj, const char *key) {
    return json_string_value(json_object_get(obj, key));
}

static bool trusted(const http_config *cfg, const char *addr) {
    for (int i = 0; i < cfg->n_trusted_proxies; i++)
        if (strcmp(cfg->trusted_proxies[i], addr) == 0) return true;
    return false;
}

/* The peer's address; behind a trusted proxy, the nearest address in
 * X-Forwarded-For that is not itself a trusted proxy (the header's left part
 * is whatever the client wrote, so it is read from the right). */
static void peer_addr(struct MHD_Connection *c, char out[64]) {
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, 64, "?");
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, out, 64);
    else if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr;
        /* an IPv4 client of a dual-stack socket is its IPv4 address (a
         * trusted proxy is written so, and one client is one bucket) */
        if (IN6_IS_ADDR_V4MAPPED(a)) inet_ntop(AF_INET, &a->s6_addr[12], out, 64);
        else inet_ntop(AF_INET6, a, out, 64);
    }
}

/* An IPv4 or IPv6 address (a proxy may write IPv6 as [addr]), written back
 * in its canonical form, so that one client is one throttle bucket. */
static bool an_address(const char *s, size_t len, char out[64]) {
    char one[64];
    unsigned char bin[16];
    if (len >= 2 && s[0] == '[' && s[len - 1] == ']') s++, len -= 2;
    if (len == 0 || len >= sizeof one) return false;
    snprintf(one, sizeof one, "%.*s", (int)len, s);
    if (inet_pton(AF_INET, one, bin) == 1) return inet_ntop(AF_INET, bin, out, 64) != NULL;
    if (inet_pton(AF_INET6, one, bin) == 1) return inet_ntop(AF_INET6, bin, out, 64) != NULL;
    return false;
}

/* HTTPS ends at a reverse proxy (docs/operations.md): the request came over TLS
 * when a trusted proxy says so. Anyone else's X-Forwarded-Proto is ignored. */
static bool behind_tls(const http_config *cfg, struct MHD_Connection *c) {
    char addr[64];
    const char *proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
    if (!proto || strcasecmp(proto, "https") != 0) return false;
    peer_addr(c, addr);
    return trusted(cfg, addr);
}

void http_client_addr(const http_req *req, char out[64]) {
    peer_addr(req->conn, out);
    const char *xff = http_header(req, "X-Forwarded-For");
    if (!xff || !req->cfg || !trusted(req->cfg, out)) return;
    size_t end = strlen(xff);
    while (end > 0) {
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',') start--;
        char one[64];
        size_t a = start, b = end;
        while (a < b && xff[a] == ' ') a++;
        while (b > a && xff[b - 1] == ' ') b--;
        if (!an_address(xff + a, b - a, one)) return; /* not an address: keep the peer */
        snprintf(out, 64, "%s", one);
        if (!trusted(req->cfg, one)) return;
        end = start ? start - 1 : 0;
    }
}

/* Every string (and key) in v passes text_check; field names the key it is
 * under. jansson has already refused malformed UTF-8 and NUL. */
static int check_strings(json_t *v, const char *field, err *e) {
    const char *k;
    json_t *x;
    size_t i;
    int rc = 0;
    if (json_is_string(v)) return text_check(json_string_value(v), json_string_length(v), field, e);
    if (json_is_object(v)) {
        json_object_foreach(v, k, x) {
            if ((rc = text_check(k, strlen(k), "key", e)) || (rc = check_strings(x, k, e))) return rc;
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x) if ((rc = check_strings(x, field, e))) return rc;
    }
    return 0;
}

json_t *http_body_object(http_req *req, http_res *res) {
    /* Only a body said to be JSON is read as JSON: a page on another site
     * can post text/plain, or no type at all, without a CORS preflight. */
    const char *ct = http_header(req, "Content-Type");
    if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
        http_error(res, 415, "unsupported_media_type", NULL, "the body must be application/json, not '%.80s'",
                   ct ? ct : "(no Content-Type)");
        return NULL;
    }
    json_error_t je;
    json_t *v = json_loadb(req->body ? req->body : "", req->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!v) {
        http_error(res, 400, "malformed_json", NULL, "malformed JSON at line %d column %d: %s",
                   je.line, je.column, je.text);
        return NULL;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        http_error(res, 400, "malformed_json", NULL, "the body must be a JSON object");
        return NULL;
    }
    err e = {0};
    if (check_strings(v, "body", &e)) {
        json_decref(v);
        http_error(res, 400, "bad_text", e.field, "%s", e.msg);
        return NULL;
    }
    return v;
}

/* ---- responses ------------------------------------------------------------- */

static enum MHD_Result send_res(struct MHD_Connection *c, http_res *res) {
    struct MHD_Response *r;
    if (res->json) {
        size_t n;
        char *text = jsonw_dumps(res->json, CASE_JSON_REALS, &n);
        if (!text) { /* out of memory: no half-written answer */
            res->status = 500;
            n = 0;
        }
        r = MHD_create_response_from_buffer(n, text, MHD_RESPMEM_MUST_FREE);
        MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
        MHD_add_response_header(r, "Cache-Control", "no-store");
    } else {
        r = MHD_create_response_from_buffer(res->len, res->body,
                                            res->body_static ? MHD_RESPMEM_PERSISTENT
                                                             : MHD_RESPMEM_MUST_FREE);
        res->body = NULL; /* the response owns it now */
        if (res->content_type) MHD_add_response_header(r, "Content-Type", res->content_type);
    }
    if (!r) return MHD_NO;
    /* Every answer, API, page, file or error: never sniffed as another type,
     * never framed, never telling another site where it came from (a public
     * page's address holds a tracking code); pages and files that need more
     * than nothing set their own policy. */
    bool csp = false;
    for (int i = 0; i < res->nheaders; i++) {
        MHD_add_response_header(r, res->header[i][0], res->header[i][1]);
        csp |= !strcasecmp(res->header[i][0], "Content-Security-Policy");
    }
    if (!csp) MHD_add_response_header(r, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    if (res->tls) MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
    if (res->rid) MHD_add_response_header(r, "X-Request-Id", res->rid);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)(res->status ? res->status : 500), r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c, const conn_state *cs, int status,
                                  const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static enum MHD_Result send_error(struct MHD_Connection *c, const conn_state *cs, int status,
                                  const char *code, const char *fmt, ...) {
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    http_res res = {.rid = cs->rid, .tls = cs->tls};
    http_error(&res, status, code, NULL, "%s", msg);
    enum MHD_Result ok = send_res(c, &res);
    json_decref(res.json);
    return ok;
}

/* ---- the request cycle ------------------------------------------------------ */

/* The connection's entry in the guard (on_connection). */
static guard_conn *guarded(struct MHD_Connection *c) {
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

static enum MHD_Result add_header_size(void *cls, enum MHD_ValueKind kind, const char *key,
                                       const char *value) {
    (void)kind;
    *(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 4;
    return MHD_YES;
}

/* A case write's answer. */
static enum MHD_Result send_job(struct MHD_Connection *c, const conn_state *cs, write_job *j) {
    http_res res = {.status = j->status, .json = j->body, .rid = j->rid, .tls = cs->tls};
    j->body = NULL;
    if (j->location[0] && j->status < 300) http_add_header(&res, "Location", j->location);
    if (j->kind == WRITE_CREATE && j->status == 200)
        http_add_header(&res, "Idempotency-Replayed", "true");
    enum MHD_Result ok = send_res(c, &res);
    json_decref(res.json);
    write_job_free(j);
    return ok;
}

/* An attachment's upload (POST /api/v1/cases/{id}/attachments, {id} one
 * segment) may be as large as the attachment limit, and is staged on disk;
 * every other body is held to max_body, in memory. */
static bool is_upload(const char *method, const char *url) {
    size_t n = strlen(url);
    return !strcmp(method, "POST") && n > 26 && !strncmp(url, "/api/v1/cases/", 14) &&
           !strcmp(url + n - 12, "/attachments") && strchr(url + 14, '/') == url + n - 12;
}

/* 503 busy, worth a retry shortly: the requests in flight, or the bodies
 * held in memory, are at their limit. */
static enum MHD_Result send_busy(struct MHD_Connection *c, const conn_state *cs) {
    http_res res = {.rid = cs->rid, .tls = cs->tls};
    http_error(&res, 503, "busy", NULL, "the server is busy; retry shortly");
    http_add_header(&res, "Retry-After", "2");
    enum MHD_Result ok = send_res(c, &res);
    json_decref(res.json);
    return ok;
}

/* Counts n more bytes of body held in memory; false, nothing counted, when
 * they would take all requests together past max_body_memory. (Two
 * requests racing for the last room may both be refused: the cap holds.) */
static bool hold(http_server *srv, conn_state *cs, size_t n) {
    /* bodies from no one known (sign-in, 码上评, Open311) draw on a quarter
     * of the cap: however many such connections trickle, staff's requests
     * keep the rest */
    if (cs->anon && atomic_fetch_add(&srv->anon_held, n) + n > srv->cfg.max_body_memory / 4) {
        atomic_fetch_sub(&srv->anon_held, n);
        return false;
    }
    if (atomic_fetch_add(&srv->held, n) + n > srv->cfg.max_body_memory) {
        atomic_fetch_sub(&srv->held, n);
        if (cs->anon) atomic_fetch_sub(&srv->anon_held, n);
        return false;
    }
    cs->held += n;
    return true;
}

/* Lets go of the body: its memory and its count, or its mapping and
 * staging file. */
static void drop_body(http_server *srv, conn_state *cs) {
    if (cs->mapped) munmap(cs->body, cs->len);
    else free(cs->body);
    cs->body = NULL;
    cs->mapped = false;
    cs->cap = 0;
    if (cs->fd >= 0) close(cs->fd);
    cs->fd = -1;
    atomic_fetch_sub(&srv->held, cs->held);
    if (cs->anon) atomic_fetch_sub(&srv->anon_held, cs->held);
    cs->held = 0;
}

/* An upload's staging file, unlinked at once (nothing is left behind
 * whatever becomes of the request or the server). */
static int stage_open(const http_server *srv) {
    char path[600];
    snprintf(path, sizeof path, "%s/duban-upload-XXXXXX", srv->stage_dir);
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd >= 0) unlink(path);
    return fd;
}

/* 0, or the errno of a failed write. */
static int stage_write(int fd, const char *p, size_t n) {
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return errno;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* The staged bytes mapped read-only as the body (the handler takes them as
 * it takes any body; the store copies them into the database); the file
 * closes, the mapping keeps it until the request ends. 0 or an errno. */
static int stage_map(conn_state *cs) {
    if (cs->len) {
        void *m = mmap(NULL, cs->len, PROT_READ, MAP_PRIVATE, cs->fd, 0);
        if (m == MAP_FAILED) return errno;
        cs->body = m;
        cs->mapped = true;
    }
    close(cs->fd);
    cs->fd = -1;
    return 0;
}

/* The disk would not take an upload (full, no descriptors left): the
 * detail to the log under the request id, as errors.c does, and a 503. */
static enum MHD_Result send_stage_error(const http_server *srv, struct MHD_Connection *c,
                                        const conn_state *cs, int errnum) {
    char why[128];
    fprintf(stderr, "duban: request %s: 503 staging an upload in %s: %s\n", cs->rid, srv->stage_dir,
            strerror_r(errnum, why, sizeof why));
    return send_error(c, cs, 503, "unavailable", "the upload could not be staged (request %s); retry shortly",
                      cs->rid);
}

/* fn on one of the pool's stores, in a read transaction (the caller puts
 * req->st back); a store not had within 5 s is the answer, a 503. */
static int on_store(http_server *srv, http_req *req, http_res *res, http_handler fn) {
    err e = {0};
    int rc;
    if (store_pool_get(srv->pool, 5000, &req->st, &e) || store_read_begin(req->st, &e)) {
        if (e.code != ERR_IO && e.code != ERR_NOMEM) e.code = ERR_IO; /* a pool timeout too */
        rc = http_error_from(res, &e);
    } else
        rc = fn(req, res);
    if (req->st) store_read_end(req->st);
    return rc;
}

/* A request with a body, on its headers: true, *out the answer queued,
 * when http_admit refuses it; its body is then never read. */
static bool refused_on_headers(http_server *srv, conn_state *cs, struct MHD_Connection *c,
                               const char *url, const char *method, enum MHD_Result *out) {
    http_req req = {.method = method, .path = url, .conn = c, .now = time(NULL), .cfg = &srv->cfg,
                    .jobs = srv->jobs, .sweep = srv->sweep, .exporter = srv->exporter, .tls = cs->tls,
                    .self_url = srv->self_url};
    /* a public route (or none) answers after its body, held to max_body,
     * in its own words (Open311's errors are its own): no store asked now */
    if (http_admits_all(&req)) return !(cs->anon = true);
    if (atomic_fetch_add(&srv->inflight, 1) >= srv->cfg.max_inflight) {
        atomic_fetch_sub(&srv->inflight, 1);
        *out = send_error(c, cs, 503, "busy", "the server is busy; retry shortly");
        return true;
    }
    http_res res = {.rid = cs->rid, .tls = cs->tls};
    int rc = on_store(srv, &req, &res, http_admit);
    store_pool_put(srv->pool, req.st);
    atomic_fetch_sub(&srv->inflight, 1);
    if (rc) *out = send_res(c, &res);
    json_decref(res.json);
    if (!res.body_static) free(res.body);
    return rc != 0;
}

/* The first call, on the headers alone: what is too big, or comes from
 * someone who may not send it, or would take the bodies held in memory
 * past their cap, is answered before any of its body is read. */
static enum MHD_Result on_headers(http_server *srv, conn_state *cs, struct MHD_Connection *c,
                                  const char *url, const char *method) {
    size_t hsize = 0;
    MHD_get_connection_values(c, MHD_HEADER_KIND, add_header_size, &hsize);
    if (hsize > srv->cfg.max_header)
        return send_error(c, cs, 431, "headers_too_large", "request headers are %zu bytes; the limit is %zu",
                          hsize, srv->cfg.max_header);
    bool upload = is_upload(method, url);
    cs->max = upload ? srv->cfg.max_upload : srv->cfg.max_body;
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    unsigned long long declared = cl ? strtoull(cl, NULL, 10) : 0;
    if (declared > cs->max)
        return send_error(c, cs, 413, "body_too_large", "the body is %s bytes; the limit is %zu", cl,
                          cs->max);
    /* MHD reads a body only as Content-Length or Transfer-Encoding says */
    if (!declared && !MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding")) return MHD_YES;
    enum MHD_Result out;
    if (refused_on_headers(srv, cs, c, url, method, &out)) return out;
    if (upload) {
        if ((cs->fd = stage_open(srv)) < 0) return send_stage_error(srv, c, cs, errno);
    } else if (declared && !cs->anon && !hold(srv, cs, (size_t)declared + 1)) {
        /* someone known: the declared length at once, in one allocation;
         * a body from no one known is charged as its bytes come */
        return send_busy(c, cs);
    }
    return MHD_YES;
}

/* A piece of the body: to the staging file or into memory, within the
 * request's limit and, in memory, the cap on all requests' bodies. Past
 * either, what was held is let go and the rest dropped; the answer comes
 * when the body ends. */
static enum MHD_Result on_body(http_server *srv, conn_state *cs, const char *p, size_t n) {
    if (cs->too_big || cs->busy || cs->stage_errno) return MHD_YES;
    if (cs->len + n > cs->max) {
        cs->too_big = true;
        drop_body(srv, cs);
        return MHD_YES;
    }
    if (cs->fd >= 0) {
        if ((cs->stage_errno = stage_write(cs->fd, p, n))) drop_body(srv, cs);
        else cs->len += n;
        return MHD_YES;
    }
    if (cs->len + n + 1 > cs->cap) {
        /* a declared length was counted whole on the headers: one allocation */
        size_t cap = cs->cap ? cs->cap : cs->held ? cs->held : 4096;
        while (cap < cs->len + n + 1) cap *= 2;
        if (cap > cs->max + 1) cap = cs->max + 1;
        if (cap > cs->held && !hold(srv, cs, cap - cs->held)) {
            cs->busy = true;
            drop_body(srv, cs);
            return MHD_YES;
        }
        char *b = realloc(cs->body, cap);
        if (!b) return MHD_NO;
        cs->body = b;
        cs->cap = cap;
    }
    memcpy(cs->body + cs->len, p, n);
    cs->len += n;
    cs->body[cs->len] = '\0';
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls) {
    http_server *srv = cls;
    conn_state *cs = *con_cls;
    (void)version;
    if (!cs) {
        guard_headers_done(srv->guard, guarded(c));
        if (!(cs = calloc(1, sizeof *cs))) return MHD_NO;
        cs->fd = -1;
        *con_cls = cs;
        http_request_id(cs->rid);
        cs->tls = behind_tls(&srv->cfg, c);
        return on_headers(srv, cs, c, url, method);
    }
    if (cs->job) {
        /* Resumed after the group commit: answer with its outcome. */
        write_job *j = cs->job;
        if (!atomic_load(&j->done)) return MHD_YES;
        cs->job = NULL;
        atomic_fetch_sub(&srv->waiting, 1);
        return send_job(c, cs, j);
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        return on_body(srv, cs, upload, n);
    }
    if (cs->too_big)
        return send_error(c, cs, 413, "body_too_large", "the body is larger than %zu bytes",
                          cs->max);
    if (cs->busy) return send_busy(c, cs);
    int stage_err = cs->stage_errno ? cs->stage_errno : cs->fd >= 0 ? stage_map(cs) : 0;
    if (stage_err) return send_stage_error(srv, c, cs, stage_err);
    if (atomic_fetch_add(&srv->inflight, 1) >= srv->cfg.max_inflight) {
        atomic_fetch_sub(&srv->inflight, 1);
        return send_error(c, cs, 503, "busy", "the server is busy; retry shortly");
    }
    http_req req = {.method = method, .path = url, .body = cs->body, .body_len = cs->len,
                    .conn = c, .now = time(NULL), .cfg = &srv->cfg, .jobs = srv->jobs,
                    .sweep = srv->sweep, .exporter = srv->exporter, .tls = cs->tls,
                    .self_url = srv->self_url};
    http_res res = {.rid = cs->rid, .tls = cs->tls};
    on_store(srv, &req, &res, http_route);
    drop_body(srv, cs); /* no one reads it now: its room goes back before the answer goes out */
    if (res.job) memcpy(res.job->rid, cs->rid, sizeof res.job->rid);
    if (res.job && !srv->writer) {
        /* Concurrent commits share their flushes here: write at once. */
        write_job_run(req.st, res.job);
        store_pool_put(srv->pool, req.st);
        atomic_fetch_sub(&srv->inflight, 1);
        return send_job(c, cs, res.job);
    }
    store_pool_put(srv->pool, req.st);
    if (res.job) {
        /* Suspend first, then queue: the committer may resume at once. */
        write_job *j = res.job;
        j->conn = c;
        cs->job = j;
        atomic_fetch_add(&srv->waiting, 1);
        MHD_suspend_connection(c);
        if (!writer_submit(srv->writer, j)) {
            j->status = 503;
            j->body = json_pack("{s:{s:s, s:s, s:s}}", "error", "code", "unavailable", "message",
                                "the server is stopping; retry shortly", "request_id", j->rid);
            atomic_store(&j->done, true);
            MHD_resume_connection(c);
        }
        atomic_fetch_sub(&srv->inflight, 1);
        return MHD_YES;
    }
    enum MHD_Result ok = send_res(c, &res);
    json_decref(res.json);
    if (!res.body_static) free(res.body);
    atomic_fetch_sub(&srv->inflight, 1);
    return ok;
}

/* libmicrohttpd's own messages (a client gone mid-request, the connection
 * limit reached): under attack there are thousands a second, so at most one
 * line a second reaches the log, with how many were left out. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap) {
    static _Atomic int64_t last;
    static atomic_uint skipped;
    (void)cls;
    int64_t now = time(NULL), seen = atomic_load(&last);
    if (now == seen || !atomic_compare_exchange_strong(&last, &seen, now)) {
        atomic_fetch_add(&skipped, 1);
        return;
    }
    char msg[256];
    vsnprintf(msg, sizeof msg, fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    unsigned n = atomic_exchange(&skipped, 0);
    if (n) fprintf(stderr, "duban: http: %s (and %u more in the last second)\n", msg, n);
    else fprintf(stderr, "duban: http: %s\n", msg);
}

/* Stopping, new connections are closed as they come. (Not by
 * MHD_quiesce_daemon: with epoll and a thread pool it races a worker taking
 * the listening socket out of its epoll set, and libmicrohttpd 0.9.75 then
 * aborts the process.) */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t len) {
    (void)addr;
    (void)len;
    return atomic_load(&((http_server *)cls)->stopping) ? MHD_NO : MHD_YES;
}

/* The guard watches each connection from its opening (guard.h). */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code) {
    http_server *srv = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = ci ? guard_open(srv->guard, ci->connect_fd) : NULL;
    } else {
        guard_close(srv->guard, *socket_context);
        *socket_context = NULL;
    }
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
    (void)toe;
    http_server *srv = cls;
    conn_state *cs = *con_cls;
    guard_rearm(srv->guard, guarded(c)); /* the next request's headers, if any */
    if (cs) {
        drop_body(srv, cs); /* completed, failed or the client gone: the staging file too */
        if (cs->job) { /* the client left before its answer */
            write_job_free(cs->job);
            atomic_fetch_sub(&srv->waiting, 1);
        }
    }
    free(cs);
    *con_cls = NULL;
}

/* ---- start and stop ------------------------------------------------------------ */

int http_parse_listen(const char *s, struct sockaddr_storage *sa, err *e) {
    char host[INET6_ADDRSTRLEN];
    const char *end, *port;
    struct sockaddr_in *v4 = (struct sockaddr_in *)sa;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)sa;
    memset(sa, 0, sizeof *sa);
    if (!s) goto bad;
    /* an IPv6 address is bracketed, as in a URL: its colons are not the port's */
    bool six = s[0] == '[';
    if (six ? !(end = strchr(s, ']')) || end[1] != ':' : !(end = strrchr(s, ':'))) goto bad;
    size_t n = (size_t)(end - s) - six;
    if (n >= sizeof host) goto bad;
    memcpy(host, s + six, n);
    host[n] = '\0';
    port = end + 1 + six;
    size_t digits = strspn(port, "0123456789");
    if (!digits || digits > 5 || port[digits] || atol(port) > 65535) goto bad;
    if (six ? inet_pton(AF_INET6, host, &v6->sin6_addr) != 1 : inet_pton(AF_INET, host, &v4->sin_addr) != 1)
        goto bad;
    /* sin_port and sin6_port are where each family has its port */
    if (six) v6->sin6_port = htons((uint16_t)atol(port));
    else v4->sin_port = htons((uint16_t)atol(port));
    sa->ss_family = six ? AF_INET6 : AF_INET;
    return 0;
bad:
    return err_set(e, ERR_INVALID, "listen",
                   "bad listen address '%s' (want IPv4:PORT or [IPv6]:PORT, e.g. 127.0.0.1:8080 or [::]:8080)",
                   s ? s : "");
}

static void server_free(http_server *s) {
    jobs_free(s->jobs); /* every job stopped before what they use is freed */
    curl_global_cleanup();
    exporter_free(s->exporter);
    guard_free(s->guard);
    writer_stop(s->writer);
    writer_free(s->writer);
    store_pool_free(s->pool);
    free(s);
}

int http_start(const http_config *cfg, http_server **out, err *e) {
    struct sockaddr_storage sa;
    int rc = http_parse_listen(cfg->listen ? cfg->listen : "127.0.0.1:8080", &sa, e);
    if (rc) return rc;
    http_server *s = calloc(1, sizeof *s);
    if (!s) return err_set(e, ERR_NOMEM, "", "out of memory");
    s->cfg = *cfg;
    if (!s->cfg.threads) s->cfg.threads = 2;
    if (!s->cfg.pool) s->cfg.pool = s->cfg.threads;
    if (!s->cfg.max_body) s->cfg.max_body = 1 << 20;
    /* by default room for a few whole bodies of the largest kind */
    if (!s->cfg.max_body_memory)
        s->cfg.max_body_memory = s->cfg.max_body * 4 > ((size_t)64 << 20) ? s->cfg.max_body * 4 : (size_t)64 << 20;
    /* not /tmp, which may be memory (tmpfs): the point is to keep uploads out of it */
    const char *tmp = getenv("TMPDIR");
    snprintf(s->stage_dir, sizeof s->stage_dir, "%s", tmp && tmp[0] ? tmp : "/var/tmp");
    if (!s->cfg.max_header) s->cfg.max_header = 16 << 10;
    if (!s->cfg.max_inflight) s->cfg.max_inflight = 256;
    if (!s->cfg.timeout_s) s->cfg.timeout_s = 30;
    if (!s->cfg.header_timeout_s) s->cfg.header_timeout_s = 15;
    if (!s->cfg.max_connections) s->cfg.max_connections = 8192;
    if (!s->cfg.max_per_ip) s->cfg.max_per_ip = 64;
    /* Descriptors: two for a connection (its socket and an upload's staging
     * file), and some for the database and files. */
    struct rlimit nofile;
    rlim_t want = (rlim_t)s->cfg.max_connections * 2 + 256;
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < want) {
        nofile.rlim_cur = nofile.rlim_max < want ? nofile.rlim_max : want;
        setrlimit(RLIMIT_NOFILE, &nofile);
        getrlimit(RLIMIT_NOFILE, &nofile);
        if (nofile.rlim_cur < want)
            s->cfg.max_connections = nofile.rlim_cur > 768 ? (unsigned)(nofile.rlim_cur - 256) / 2 : 256;
    }
    /* The pool opens one store at once, so a bad target fails now, not per request. */
    if ((rc = store_pool_new(cfg->db_path, (int)s->cfg.pool, &s->pool, e))) {
        free(s);
        return rc;
    }
    store *probe;
    if ((rc = store_pool_get(s->pool, 0, &probe, e))) goto fail;
    bool lite = store_single_writer(probe);
    if (!s->cfg.max_upload && (rc = store_file_limit(probe, &s->cfg.max_upload, e))) {
        store_pool_put(s->pool, probe);
        goto fail;
    }
    if (cfg->max_upload == 0) s->cfg.max_upload += 64 << 10; /* a form's headers and boundaries */
    bool group = s->cfg.group_commit > 0 || (s->cfg.group_commit < 0 && lite);
    /* the key of sign-in passes (auth.h), made now while the disk takes writes */
    unsigned char key[32];
    store_secret(probe, "session_pass_key", key, NULL);
    sodium_memzero(key, sizeof key);
    store_pool_put(s->pool, probe);
    curl_global_init(CURL_GLOBAL_DEFAULT); /* before any thread uses it (the webhook); counted */
    if ((rc = jobs_new(&s->jobs, e)) || (rc = guard_new(s->cfg.header_timeout_s, &s->guard, e)) ||
        (group && (rc = writer_start(cfg->db_path, &s->writer, e))))
        goto fail;
    job_def def;
    sweep_job *sweep;
    guard_job_def(s->guard, &def);
    if ((rc = jobs_every(s->jobs, &def, e)) ||
        (lite && ((rc = indexer_job_def(cfg->db_path, &def, e)) || (rc = jobs_every(s->jobs, &def, e)))))
        goto fail;
    if (s->cfg.sweep_s >= 0) {
        if ((rc = sweep_job_def(cfg->db_path, (unsigned)s->cfg.sweep_s, &def, &sweep, e)) ||
            (rc = jobs_every(s->jobs, &def, e)))
            goto fail;
        s->sweep = sweep;
        if ((rc = webhook_job_def(cfg->db_path, &def, e)) || (rc = jobs_every(s->jobs, &def, e)) ||
            (rc = anchor_job_def(cfg->db_path, &def, e)) || (rc = jobs_every(s->jobs, &def, e)))
            goto fail;
    }
    if ((rc = exporter_new(cfg->db_path, s->jobs, &s->exporter, e))) goto fail;
    s->d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
            /* [::] takes IPv4 clients too (as ::ffff:a.b.c.d, which peer_addr unmaps) */
            (sa.ss_family == AF_INET6 ? MHD_USE_DUAL_STACK : 0),
        0,
        on_accept, s, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL, /* first, to see every message */
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
        s->cfg.threads, MHD_OPTION_CONNECTION_LIMIT, s->cfg.max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, s->cfg.max_per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, s->cfg.timeout_s,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
        /* MHD refuses headers beyond its memory pool with its own 431; ours
         * (JSON) comes first for anything up to this size. */
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(s->cfg.max_header * 4 + 65536),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
    if (!s->d) {
        rc = err_set(e, ERR_IO, "listen", "cannot listen on %s (in use, or not this host's)",
                     cfg->listen ? cfg->listen : "127.0.0.1:8080");
        goto fail;
    }
    {
        char host[INET6_ADDRSTRLEN] = "";
        bool six = sa.ss_family == AF_INET6;
        inet_ntop(sa.ss_family, six ? (void *)&((struct sockaddr_in6 *)&sa)->sin6_addr
                                    : (void *)&((struct sockaddr_in *)&sa)->sin_addr,
                  host, sizeof host);
        snprintf(s->self_url, sizeof s->self_url, six ? "http://[%s]:%u" : "http://%s:%u", host,
                 (unsigned)http_port(s));
    }
    *out = s;
    return 0;
fail:
    server_free(s);
    return rc;
}

const char *http_url(const http_server *s) { return s->self_url; }

uint16_t http_port(const http_server *s) {
    const union MHD_DaemonInfo *i = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    return i ? i->port : 0;
}

void http_stop(http_server *s) {
    if (!s) return;
    /* Stop accepting; MHD_stop_daemon then joins the workers, which finish the
     * requests they are handling and put their stores back in the pool. */
    atomic_store(&s->stopping, true);
    /* Write what is queued and resume those connections (a request arriving
     * meanwhile on a kept-alive connection is refused with 503); give the
     * workers a moment (bounded) to send those answers before they are
     * stopped. The committer is freed only once no worker can reach it. */
    writer_stop(s->writer);
    for (int i = 0; i < 500 && atomic_load(&s->waiting); i++) usleep(10000);
    MHD_stop_daemon(s->d);
    server_free(s);
}
