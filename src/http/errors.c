/* errors: the one map from an err code to an HTTP status and error code,
 * used by the JSON API, the case writer and Open311 alike. An error whose
 * message is internal (the database's or the system's words) is written to
 * the log with the request id and answered with a generic message that
 * names the id, so an operator can find the detail and a client learns
 * nothing about the inside. */
#include <sodium.h>
#include <stdio.h>

#include "http/http_int.h"

static const struct {
    int status;
    const char *code;
    const char *generic; /* non-NULL: the message is internal; say this instead */
} map[] = {
    [ERR_OK] = {500, "internal", "an internal error"},
    [ERR_INVALID] = {422, "invalid", NULL},
    [ERR_NOTFOUND] = {404, "not_found", NULL},
    [ERR_CONFLICT] = {409, "conflict", NULL},
    /* the database went away or is full: a retry may succeed, which 503 says */
    [ERR_IO] = {503, "unavailable", "the database is unavailable; retry shortly"},
    [ERR_NOMEM] = {503, "unavailable", "the server is out of memory; retry shortly"},
    [ERR_AUTH] = {401, "unauthorized", NULL},
    [ERR_FORBIDDEN] = {403, "forbidden", NULL},
    [ERR_THROTTLED] = {429, "throttled", NULL},
    [ERR_TOO_LARGE] = {413, "too_large", NULL},
    /* reads go on; what would be written is refused whole */
    [ERR_FULL] = {503, "storage_full", "the database cannot take writes now (its disk is full or read-only):"
                                       " nothing was saved; reading still works; retry when space is back"},
};

void http_request_id(char out[HTTP_RID_LEN]) {
    unsigned char raw[(HTTP_RID_LEN - 1) / 2];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, HTTP_RID_LEN, raw, sizeof raw);
}

void http_err_view_of(const err *e, const char *rid, http_err_view *v) {
    int code = e->code > 0 && (size_t)e->code < sizeof map / sizeof *map ? e->code : ERR_OK;
    v->status = map[code].status;
    v->code = map[code].code;
    v->field = NULL;
    if (map[code].generic) {
        fprintf(stderr, "duban: request %s: %d %s: %s%s%s\n", rid ? rid : "-", v->status,
                err_code_name(e->code), e->field, e->field[0] ? ": " : "", e->msg);
        snprintf(v->msg, sizeof v->msg, "%s (request %s)", map[code].generic, rid ? rid : "-");
    } else {
        v->field = e->field[0] ? e->field : NULL;
        snprintf(v->msg, sizeof v->msg, "%s", e->msg);
    }
}

json_t *http_err_json(const http_err_view *v, const char *rid) {
    return json_pack("{s:{s:s, s:s, s:s?, s:s?}}", "error", "code", v->code, "message", v->msg,
                     "field", v->field, "request_id", rid);
}

int http_error_from(http_res *res, const err *e) {
    http_err_view v;
    http_err_view_of(e, res->rid, &v);
    return http_json(res, v.status, http_err_json(&v, v.status >= 500 ? res->rid : NULL));
}
