/* res_system: the server's own state: the schema, the database driver and
 * this node's background sweep (is it the leader, when did it last sweep),
 * and the webhook's outbox. */
#include "core/case_json.h"
#include "http/resources.h"
#include "http/sweeper.h"
#include "store/store.h"
#include "store/store_outbox.h"

int res_health(http_req *req, http_res *res) {
    json_t *o = json_pack("{s:s, s:i, s:s}", "status", "ok", "schema_version",
                          store_schema_version(req->st), "driver", store_driver_name(req->st));
    if (req->sweeper) {
        sweeper_state w;
        sweeper_state_get(req->sweeper, &w);
        json_object_set_new(o, "sweep",
                            json_pack("{s:b, s:I, s:I, s:s?}", "leader", w.leading, "last_at",
                                      (json_int_t)w.last_at, "raised", (json_int_t)w.raised,
                                      "error", w.error[0] ? "the last sweep failed; see the server log" : NULL));
    }
    return http_json(res, 200, o);
}

/* ---- the webhook's outbox, for the administrator ---- */

typedef struct outbox_ctx {
    json_t *arr;
    int tz;
} outbox_ctx;

static int add_outbox(void *ctx, const store_outbox_row *r) {
    outbox_ctx *x = ctx;
    const char *state = r->sent_at ? "sent" : r->failed_at ? "failed" : "pending";
    json_t *body = json_loads(r->body, 0, NULL);
    json_array_append_new(x->arr, json_pack("{s:I, s:s, s:s, s:b, s:i, s:o, s:o, s:o, s:o, s:s?, s:o}", "id",
                                            (json_int_t)r->id, "kind", notify_kind_name(r->kind), "state", state,
                                            "urgent", r->urgent, "attempts", r->attempts, "created_at",
                                            case_time_json(r->created_at, x->tz), "not_before",
                                            case_time_json(r->not_before, x->tz), "sent_at",
                                            case_time_json(r->sent_at, x->tz), "next_at",
                                            case_time_json(r->sent_at || r->failed_at ? 0 : r->next_at, x->tz),
                                            "last_error", r->last_error, "body", body ? body : json_null()));
    return 0;
}

/* GET /outbox?limit: the newest notices for the webhook, with their state. */
int res_outbox(http_req *req, http_res *res) {
    int64_t limit = 0;
    err e = {0};
    if (http_query_int(req, res, "limit", 1, 500, &limit)) return res->status;
    outbox_ctx x = {json_array(), store_env(req->st)->tz};
    if (store_outbox_list(req->st, limit ? (int)limit : 100, add_outbox, &x, &e)) {
        json_decref(x.arr);
        return http_error_from(res, &e);
    }
    http_add_header(res, "Cache-Control", "no-store");
    return http_json(res, 200, json_pack("{s:o}", "outbox", x.arr));
}
