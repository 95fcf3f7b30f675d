/* res_cases: /api/v1/cases. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/case_json.h"
#include "http/resources.h"
#include "util/datetime.h"

/* A positive integer id from a path segment or query value. */
static int parse_id(const char *s, const char *field, int64_t *id, http_res *res) {
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

static int collect_event(void *ctx, const case_event *ev) {
    json_t **arr = ctx;
    json_array_append_new(arr[0], case_event_to_json(ev, (int)json_integer_value(arr[1])));
    return 0;
}

int res_case_get(http_req *req, http_res *res) {
    int64_t id;
    case_rec c;
    err e = {0};
    if (parse_id(req->param[0], "id", &id, res)) return res->status;
    if (store_case_get(req->st, id, &c, &e)) return http_error_from(res, &e);
    int tz = store_env(req->st)->tz;
    json_t *o = case_to_json(&c, tz, 0), *events = json_array(), *ctx[2] = {events, json_integer(tz)};
    case_rec_clear(&c);
    json_object_set_new(o, "events", events);
    int rc = store_case_events(req->st, id, collect_event, ctx, &e);
    json_decref(ctx[1]);
    if (rc) {
        json_decref(o);
        return http_error_from(res, &e);
    }
    return http_json(res, 200, o);
}

typedef struct list_ctx { json_t *arr; int tz; int64_t last; } list_ctx;

static int list_one(void *ctx, const case_rec *c) {
    list_ctx *x = ctx;
    json_array_append_new(x->arr, case_to_json(c, x->tz, 0));
    x->last = c->id;
    return 0;
}

int res_cases_list(http_req *req, http_res *res) {
    store_case_filter f = {.status = -1, .limit = 50};
    err e = {0};
    const char *v;
    if ((v = http_query(req, "status"))) {
        case_status s;
        if (case_status_parse(v, &s, &e)) return http_error(res, 400, "bad_request", "status", "%s", e.msg);
        f.status = s;
    }
    if ((v = http_query(req, "unit"))) {
        unit_ref u;
        if (store_unit_find(req->st, v, &u, &e)) return http_error(res, 400, "bad_request", "unit", "%s", e.msg);
        f.unit_id = u.id;
    }
    if ((v = http_query(req, "overdue_at"))) {
        if (dt_parse_instant(v, store_env(req->st)->tz, &f.overdue_at, &e))
            return http_error(res, 400, "bad_request", "overdue_at", "%s", e.msg);
    }
    if ((v = http_query(req, "cursor")) && parse_id(v, "cursor", &f.after_id, res)) return res->status;
    if ((v = http_query(req, "limit"))) {
        int64_t n;
        if (parse_id(v, "limit", &n, res)) return res->status;
        if (n > 200) return http_error(res, 400, "bad_request", "limit", "limit %lld is over 200", (long long)n);
        f.limit = (int)n;
    }
    list_ctx x = {json_array(), store_env(req->st)->tz, 0};
    if (store_case_list(req->st, &f, list_one, &x, &e)) {
        json_decref(x.arr);
        return http_error_from(res, &e);
    }
    json_t *next = json_array_size(x.arr) == (size_t)f.limit ? json_sprintf("%lld", (long long)x.last)
                                                               : json_null();
    return http_json(res, 200, json_pack("{s:o, s:o}", "cases", x.arr, "next_cursor", next));
}
