/* res_system: the server's own state: the schema, the database driver,
 * this node's background jobs (when each last ran, how late it is, whether
 * its last turn failed), the sweep's lead and the statements its
 * connections keep prepared; and the webhook's outbox. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/case_json.h"
#include "core/mask.h"
#include "db/db.h"
#include "http/resources.h"
#include "jobs/jobs.h"
#include "jobs/sweep.h"
#include "store/store.h"
#include "store/store_auth.h"
#include "store/store_outbox.h"

/* A job's times as the API writes times; what failed is named by its class
 * only: the message may hold the database's words, for the log. */
static json_t *job_json(const job_info *j, int tz) {
    json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:o, s:o, s:I, s:b}", "name", j->name, "kind",
                          j->queue ? "queue" : "periodic", "runs", (json_int_t)j->runs, "failures",
                          (json_int_t)j->failures, "last_start", case_time_json(j->last_start_ms / 1000, tz),
                          "last_end", case_time_json(j->last_end_ms / 1000, tz), "lag_ms",
                          (json_int_t)j->lag_ms, "running", j->running);
    if (j->queue)
        json_object_update_new(o, json_pack("{s:i, s:i}", "active", j->active, "waiting", j->waiting));
    else
        json_object_set_new(o, "period_ms", json_integer(j->period_ms));
    json_object_set_new(o, "error", j->error_code ? json_string(err_code_name(j->error_code)) : json_null());
    json_object_set_new(o, "error_at", case_time_json(j->error_at_ms / 1000, tz));
    return o;
}

int res_health(http_req *req, http_res *res) {
    int tz = store_env(req->st)->tz;
    json_t *o = json_pack("{s:s, s:i, s:s}", "status", "ok", "schema_version",
                          store_schema_version(req->st), "driver", store_driver_name(req->st));
    json_t *arr = json_array();
    job_info info[JOBS_MAX];
    int n = req->jobs ? jobs_info(req->jobs, info, JOBS_MAX) : 0;
    for (int i = 0; i < n; i++) {
        json_array_append_new(arr, job_json(&info[i], tz));
        if (req->sweep && !strcmp(info[i].name, "sweep")) {
            sweep_state w;
            sweep_job_state(req->sweep, &w);
            json_object_set_new(o, "sweep",
                                json_pack("{s:b, s:I, s:I, s:s?}", "leader", w.leading, "last_at",
                                          (json_int_t)w.last_at, "raised", (json_int_t)w.raised, "error",
                                          info[i].error_code ? "the last sweep failed; see the server log" : NULL));
        }
    }
    json_object_set_new(o, "jobs", arr);
    db_cache_stats c;
    db_cache_stats_get(&c);
    json_object_set_new(o, "statements",
                        json_pack("{s:I, s:I, s:I, s:I}", "prepared", (json_int_t)c.prepared, "reused",
                                  (json_int_t)c.reused, "evicted", (json_int_t)c.evicted, "recompiled",
                                  (json_int_t)c.recompiled));
    return http_json(res, 200, o);
}

/* ---- the webhook's outbox, for the administrator ---- */

typedef struct outbox_ctx {
    json_t *arr;
    int tz;
} outbox_ctx;

/* What the administrator sees of a message: the recipient's number masked,
 * and no 查询码 (with it anyone could read the case's progress). The
 * message itself goes out as written. */
static void mask_message(json_t *body) {
    json_t *to = json_object_get(body, "to"), *phone = json_object_get(to, "phone");
    if (json_is_string(phone)) {
        char m[40];
        mask_phone(json_string_value(phone), m, sizeof m);
        json_object_set_new(to, "phone", json_string(m));
    }
    const char *text = json_string_value(json_object_get(body, "text")), *code;
    if (text && (code = strstr(text, "查询码"))) {
        size_t head = (size_t)(code - text) + strlen("查询码");
        const char *end = strstr(text + head, "。"); /* the code runs to the sentence's end */
        size_t digits = end ? (size_t)(end - (text + head)) : strlen(text + head);
        char *out = malloc(strlen(text) + 8);
        if (out) {
            sprintf(out, "%.*s****%s", (int)head, text, text + head + digits);
            json_object_set_new(body, "text", json_string(out));
            free(out);
        }
    }
}

static int add_outbox(void *ctx, const store_outbox_row *r) {
    outbox_ctx *x = ctx;
    const char *state = r->sent_at ? "sent" : r->failed_at ? "failed" : "pending";
    json_t *body = json_loads(r->body, 0, NULL);
    if (body) mask_message(body);
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
    /* a read of who was told what: logged, as a reveal is (no entry, no page) */
    char detail[48];
    snprintf(detail, sizeof detail, "outbox, newest %lld", (long long)(limit ? limit : 100));
    if (store_access_log(req->st, req->now, req->who->user_id, req->who->name, "outbox_read", 0, detail, &e) ||
        store_outbox_list(req->st, limit ? (int)limit : 100, add_outbox, &x, &e)) {
        json_decref(x.arr);
        return http_error_from(res, &e);
    }
    http_add_header(res, "Cache-Control", "no-store");
    return http_json(res, 200, json_pack("{s:o}", "outbox", x.arr));
}
