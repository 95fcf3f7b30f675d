/* res_kb: the 知识库. The 12345 centre (operator, dispatcher) keeps every
 * entry, a unit's clerk its own unit's; everyone who reads cases searches
 * them. An expired entry is offered to nobody: a search shows it only to
 * those who keep it, when they ask for it (expired=true). */
#include <stdlib.h>
#include <string.h>

#include "core/kb.h"
#include "http/resources.h"
#include "store/store_kb.h"
#include "store/store_ref.h"
#include "util/datetime.h"

static int32_t today(const http_req *req) {
    return dt_local_day(req->now, store_env(req->st)->tz);
}

/* 0 for the centre; a clerk's own unit. */
static int64_t keeper_unit(const http_req *req) {
    return req->who->role == ROLE_HANDLER ? req->who->unit.id : 0;
}

typedef struct list_ctx { json_t *arr; int tz; int32_t today; } list_ctx;

static int add_entry(void *ctx, const kb_entry *k) {
    list_ctx *x = ctx;
    json_array_append_new(x->arr, kb_entry_json(k, x->tz, x->today));
    return 0;
}

/* GET /kb?q=words&unit=code&expired=true&limit=N */
int res_kb_list(http_req *req, http_res *res) {
    store_kb_query q = {.q = http_query(req, "q"), .today = today(req), .limit = 20};
    int64_t limit = q.limit;
    err e = {0};
    const char *unit = http_query(req, "unit"), *expired = http_query(req, "expired");
    if (http_query_int(req, res, "limit", 1, 100, &limit)) return res->status;
    q.limit = (int)limit;
    if (q.q && strlen(q.q) > 300)
        return http_error(res, 400, "bad_request", "q", "q is at most 300 bytes");
    if (expired && strcmp(expired, "true") && strcmp(expired, "false"))
        return http_error(res, 400, "bad_request", "expired", "expired is true or false");
    if (expired && !strcmp(expired, "true")) {
        if (req->who->role != ROLE_OPERATOR && req->who->role != ROLE_DISPATCHER &&
            req->who->role != ROLE_HANDLER)
            return http_error(res, 403, "forbidden", "expired",
                              "expired entries are shown only to those who keep entries");
        q.today = 0;
    }
    if (unit && unit[0]) {
        unit_ref u;
        if (store_unit_find(req->st, unit, &u, &e))
            return http_error(res, 400, "bad_request", "unit", "no unit '%s'", unit);
        q.unit_id = u.id;
    }
    list_ctx x = {json_array(), store_env(req->st)->tz, today(req)};
    if (store_kb_search(req->st, &q, add_entry, &x, &e)) {
        json_decref(x.arr);
        return e.code == ERR_INVALID ? http_error(res, 400, "bad_request", e.field, "%s", e.msg)
                                     : http_error_from(res, &e);
    }
    return http_json(res, 200, json_pack("{s:o}", "entries", x.arr));
}

int res_kb_get(http_req *req, http_res *res) {
    int64_t id;
    kb_entry k = {0};
    err e = {0};
    if (http_path_id(req->param[0], "id", &id, res)) return res->status;
    if (store_kb_get(req->st, id, &k, &e)) return http_error_from(res, &e);
    json_t *j = kb_entry_json(&k, store_env(req->st)->tz, today(req));
    kb_entry_clear(&k);
    return http_json(res, 200, j);
}

/* POST /kb and PUT /kb/{id}: the whole entry. A clerk's entry is its unit's
 * (given or not); another unit is 403. */
static int put(http_req *req, http_res *res, int64_t id) {
    static const http_field fields[] = {
        {"question", JSON_STRING, true}, {"answer", JSON_STRING, true},
        {"policy", JSON_STRING, false},  {"category", JSON_STRING, false},
        {"unit", JSON_STRING, false},    {"valid_until", JSON_STRING, false},
        {NULL, 0, false}};
    json_t *b = http_body_object(req, res);
    if (!b) return res->status;
    kb_entry k = {.id = id};
    err e = {0};
    const char *v;
    int64_t mine = keeper_unit(req);
    if (http_check_fields(b, fields, res)) goto done;
    k.question = (char *)http_str(b, "question"); /* borrowed: not cleared below */
    k.answer = (char *)http_str(b, "answer");
    k.policy = (char *)http_str(b, "policy");
    if ((v = http_str(b, "category"))) snprintf(k.category.code, sizeof k.category.code, "%s", v);
    if ((v = http_str(b, "unit")))
        snprintf(k.unit.code, sizeof k.unit.code, "%s", v);
    else if (mine)
        k.unit = req->who->unit;
    if ((v = http_str(b, "valid_until")) && dt_parse_date(v, &k.valid_until, &e)) {
        http_error(res, 422, "invalid", "valid_until", "%s", e.msg);
        goto done;
    }
    if (store_kb_put(req->st, &k, mine, req->who->name, req->now, &e)) {
        http_error_from(res, &e);
        goto done;
    }
    kb_entry out = {0};
    if (store_kb_get(req->st, k.id, &out, &e)) {
        http_error_from(res, &e);
        goto done;
    }
    http_json(res, id ? 200 : 201, kb_entry_json(&out, store_env(req->st)->tz, today(req)));
    kb_entry_clear(&out);
done:
    json_decref(b);
    return res->status;
}

int res_kb_create(http_req *req, http_res *res) { return put(req, res, 0); }

int res_kb_update(http_req *req, http_res *res) {
    int64_t id;
    if (http_path_id(req->param[0], "id", &id, res)) return res->status;
    return put(req, res, id);
}

int res_kb_delete(http_req *req, http_res *res) {
    int64_t id;
    err e = {0};
    if (http_path_id(req->param[0], "id", &id, res)) return res->status;
    if (store_kb_delete(req->st, id, keeper_unit(req), &e)) return http_error_from(res, &e);
    return http_json(res, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "deleted", 1));
}
