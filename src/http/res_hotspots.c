/* res_hotspots: 未诉先办. GET /hotspots lists the category × township (or
 * × lead unit) pairs whose last 7 days stand well above their own 8 weeks
 * before (core/hotspot.h states the rule; the answer repeats it with its
 * parameters); POST /hotspots/task makes one into a 领导交办 case in one
 * action, once a week per pair. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/case_json.h"
#include "core/view.h"
#include "http/resources.h"
#include "store/store_hotspot.h"
#include "store/store_json.h"
#include "store/store_ref.h"

static int place_param(http_req *req, http_res *res, hot_place *by) {
    const char *v = http_query(req, "by");
    *by = HOT_BY_TOWNSHIP;
    if (!v || !strcmp(v, "township")) return 0;
    if (!strcmp(v, "unit")) {
        *by = HOT_BY_UNIT;
        return 0;
    }
    return http_error(res, 400, "bad_request", "by", "by '%.40s' must be township or unit", v);
}

static json_t *spot_json(const store_hotspot *h) {
    json_t *weeks = json_array(); /* oldest first, as a chart reads */
    for (int i = HOT_WEEKS; i >= 0; i--) json_array_append_new(weeks, json_integer(h->week[i]));
    return json_pack("{s:o, s:o, s:I, s:f, s:f, s:o, s:o}", "category", store_ref_json(&h->category), "place",
                     store_ref_json(&h->place), "count", (json_int_t)h->week[0], "baseline",
                     round(h->mean * 100) / 100, "p", h->p, "weeks", weeks, "task",
                     h->task_id ? json_pack("{s:I, s:s}", "id", (json_int_t)h->task_id, "case_no", h->task_no)
                                : json_null());
}

int res_hotspots(http_req *req, http_res *res) {
    hot_place by;
    store_hotspot *h = NULL;
    size_t n = 0;
    err e = {0};
    if (place_param(req, res, &by)) return res->status;
    if (store_hotspots(req->st, req->now, by, &h, &n, &e)) return http_error_from(res, &e);
    hot_rule r;
    store_hot_rule(req->st, &r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, spot_json(&h[i]));
    free(h);
    http_add_header(res, "Cache-Control", "no-store");
    return http_json(res, 200,
                     json_pack("{s:o, s:s, s:{s:i, s:i, s:f, s:f}, s:o}", "as_of",
                               case_time_json(req->now, store_env(req->st)->tz), "by",
                               by == HOT_BY_UNIT ? "unit" : "township", "rule", "weeks", HOT_WEEKS,
                               "min_count", r.min_count, "p", r.p, "floor", HOT_FLOOR, "hotspots", arr));
}

/* POST /hotspots/task {category, township | unit}: the pair must be hot now. */
int res_hotspot_task(http_req *req, http_res *res) {
    static const http_field fields[] = {{"category", JSON_STRING, true}, {"township", JSON_STRING, false},
                                        {"unit", JSON_STRING, false}, {NULL, 0, false}};
    json_t *b = http_body_object(req, res);
    if (!b) return res->status;
    err e = {0};
    store_hotspot *h = NULL;
    size_t n = 0;
    unit_ref cat, place;
    const char *town = NULL, *unit = NULL;
    if (http_check_fields(b, fields, res)) goto done;
    town = http_str(b, "township");
    unit = http_str(b, "unit");
    if (!town == !unit) {
        http_error(res, 422, "invalid", "township", "give the hot spot's township or its unit, one of them");
        goto done;
    }
    hot_place by = unit ? HOT_BY_UNIT : HOT_BY_TOWNSHIP;
    if (store_category_find(req->st, http_str(b, "category"), &cat, &e) ||
        store_unit_find(req->st, unit ? unit : town, &place, &e)) {
        if (e.code == ERR_NOTFOUND) e.code = ERR_INVALID;
        http_error_from(res, &e);
        goto done;
    }
    if (store_hotspots(req->st, req->now, by, &h, &n, &e)) {
        http_error_from(res, &e);
        goto done;
    }
    size_t i = 0;
    while (i < n && !(h[i].category.id == cat.id && h[i].place.id == place.id)) i++;
    if (i == n) {
        http_error(res, 409, "conflict", "category", "%s in %s is not a hot spot now", cat.name, place.name);
        goto done;
    }
    case_rec c;
    if (store_hotspot_task(req->st, &h[i], by, req->who->name, req->now, &c, &e)) {
        http_error_from(res, &e);
        goto done;
    }
    json_t *o = case_view_json(&c, auth_case_view(req->who->role), store_env(req->st)->public_channels,
                               store_env(req->st)->tz);
    case_rec_clear(&c);
    http_json(res, 201, o);
done:
    free(h);
    json_decref(b);
    return res->status;
}
