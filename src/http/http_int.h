/* http_int: what the server, the router and the resource files share: the
 * request and response of one exchange, and helpers for JSON and errors.
 * Private to src/http/. */
#ifndef DUBAN_HTTP_INT_H
#define DUBAN_HTTP_INT_H

#include <jansson.h>
#include <stdbool.h>

#include "auth/auth.h"
#include "http/http.h"
#include "store/store.h"
#include "store/store_auth.h"

#define HTTP_MAX_PARAMS 4
#define HTTP_PARAM_MAX 128

struct MHD_Connection;

typedef struct http_req {
    const char *method;
    const char *path;
    char param[HTTP_MAX_PARAMS][HTTP_PARAM_MAX]; /* {name} captures, in order */
    int nparam;
    const char *body;
    size_t body_len;
    struct MHD_Connection *conn;
    store *st;   /* this worker thread's connection */
    int64_t now; /* read once per request */
    const http_config *cfg;
    const auth_principal *who; /* NULL on public routes */
    struct jobs *jobs;         /* the background work (jobs/jobs.h) */
    struct sweep_job *sweep;   /* NULL when the server does not sweep */
    struct exporter *exporter; /* spreadsheets made in the background */
    bool tls; /* reached over HTTPS: a trusted proxy says X-Forwarded-Proto: https */
    const char *self_url; /* the address the server listens on (html_site_url) */
} http_req;

#define HTTP_MAX_HEADERS 10
#define HTTP_RID_LEN 17 /* a request id: 16 hex digits and NUL */

typedef struct http_res {
    int status;
    json_t *json; /* owned; sent as application/json */
    char *body;   /* owned raw body, when json is NULL */
    size_t len;
    const char *content_type;
    bool body_static; /* body points at memory the response must not free */
    int nheaders;
    char header[HTTP_MAX_HEADERS][2][256];
    struct write_job *job; /* set instead of a status: a case write (writer.h) */
    const char *rid;       /* this request's id (X-Request-Id), for errors */
    bool tls;              /* as http_req.tls: the answer carries HSTS */
} http_res;

typedef int (*http_handler)(http_req *req, http_res *res);

/* Sets a JSON error {"error":{"code","message","field"}}; returns status. */
int http_error(http_res *res, int status, const char *code, const char *field, const char *fmt,
               ...) __attribute__((format(printf, 5, 6)));
/* errors.c: the one map from err codes to statuses (422 invalid, 404 not
 * found, 409 conflict, 401, 403, 429, 503 for the database or memory; an
 * unknown code is 500). Internal messages are logged with the request id
 * and answered generically. */
typedef struct http_err_view {
    int status;
    const char *code;  /* "invalid", "not_found" ... */
    const char *field; /* NULL when none or hidden */
    char msg[512];
} http_err_view;
void http_err_view_of(const err *e, const char *rid, http_err_view *v);
/* {"error":{code, message, field?, request_id?}} */
json_t *http_err_json(const http_err_view *v, const char *rid);
int http_error_from(http_res *res, const err *e);
void http_request_id(char out[HTTP_RID_LEN]);
int http_json(http_res *res, int status, json_t *v); /* steals v */
struct jsonw;
/* An answer written as JSON text already (util/jsonw.h): takes w's text. */
int http_json_text(http_res *res, int status, struct jsonw *w);
void http_add_header(http_res *res, const char *name, const char *value);
/* Set-Cookie: HttpOnly, SameSite=Strict, and Secure over HTTPS; max_age 0
 * clears it. */
void http_set_cookie(const http_req *req, http_res *res, const char *name, const char *value,
                     const char *path, long max_age);

const char *http_query(const http_req *req, const char *key);
/* A whole-number query parameter in [min, max] into *out (left alone when
 * absent); otherwise a 400 naming it: returns 0 or the error's status. */
int http_query_int(const http_req *req, http_res *res, const char *key, int64_t min, int64_t max,
                   int64_t *out);
/* ?from=DATE&to=DATE, local days [from, to), as instants; else a 400
 * naming the parameter: returns 0 or the error's status. */
int http_query_period(const http_req *req, http_res *res, int64_t *from, int64_t *to);
/* ?at=INSTANT (a date-time, or a date: its start), the moment a figure is
 * taken as of, into *at (left alone when absent); else a 400 naming it. */
int http_query_at(const http_req *req, http_res *res, int64_t *at);
/* A path's id: a positive whole number, else a 400 naming field (-1). */
int http_path_id(const char *s, const char *field, int64_t *id, http_res *res);
const char *http_header(const http_req *req, const char *name);
/* The body as a JSON object, or an error response (400 malformed, 415 not
 * JSON); returns NULL after setting the error. */
json_t *http_body_object(http_req *req, http_res *res);

/* A body field: its JSON type (JSON_STRING, JSON_INTEGER, JSON_REAL for any
 * number, JSON_ARRAY of strings, or JSON_TRUE for a boolean) and whether it
 * is required. */
typedef struct http_field {
    const char *name;
    json_type type;
    bool required;
} http_field;
/* Unknown fields, wrong types and missing ones are 422 naming the field. */
int http_check_fields(json_t *obj, const http_field *fields, http_res *res);
const char *http_str(json_t *obj, const char *key); /* NULL if absent */

/* The signed-in user as the actor of a logged change (store_logged_end). */
store_actor http_actor(const http_req *req);

/* The client's address as text, for throttling and the access log. */
void http_client_addr(const http_req *req, char out[64]);

/* router.c: finds the handler for method and path, filling req->param. */
int http_route(http_req *req, http_res *res);
/* router.c, on a request's headers, before its body is read (server.c):
 * 0 when the body may come (a public route, or one that matches none: left
 * to http_route), else the status http_route would refuse it with, res set
 * (and a role's refusal logged as it would be): not signed in, no CSRF
 * token, a role the route does not take, or for /cases/{id}/... a case the
 * caller may not see. */
int http_admit(http_req *req, http_res *res);
/* Whether req's route is public, or there is none: then nothing is asked
 * of the store on the headers (http_admit would answer 0). */
bool http_admits_all(http_req *req);

/* static.c: serves a file under cfg->web_root or cfg->npm_root. */
int http_static(http_req *req, http_res *res);

/* server.c: a --listen address, IPv4:PORT or [IPv6]:PORT, into *sa
 * (ss_family AF_INET or AF_INET6); else ERR_INVALID naming "listen". */
struct sockaddr_storage;
int http_parse_listen(const char *s, struct sockaddr_storage *sa, err *e);

/* The route table: the i-th route's pattern and method, NULL past the end
 * (for the test that holds docs/openapi.yaml to it). */
const char *http_route_at(size_t i, const char **method);

#endif
