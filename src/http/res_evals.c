/* res_evals: 码上评 evaluations one by one, for 申诉复核. GET /evaluations
 * lists them (a clerk its unit's), newest first; POST
 * /evaluations/{id}/review is the unit's appeal of a 差评 with its reasons;
 * POST /evaluations/{id}/decision is the 督查室's ruling. An upheld appeal
 * takes the 差评 out of the figures (store_eval.h). */
#include <stdio.h>
#include <string.h>

#include "core/case_json.h"
#include "http/resources.h"
#include "store/store_eval.h"
#include "store/store_json.h"
#include "util/text.h"

#define REASON_MAX 500 /* characters */

typedef struct list_ctx {
    json_t *arr;
    int tz;
    int64_t last;
} list_ctx;

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static int add_item(void *ctx, const store_eval_item *it) {
    list_ctx *x = ctx;
    char reasons[128];
    eval_reasons_label(it->reasons, reasons, sizeof reasons);
    const char *review = case_review_name(it->review);
    json_t *o = json_pack("{s:I, s:o, s:{s:s, s:s}, s:o, s:s, s:s, s:s, s:o, s:o}", "id",
                          (json_int_t)it->id, "at", case_time_json(it->at, x->tz), "point", "code",
                          it->point_code, "name", it->point_name ? it->point_name : "", "unit",
                          store_ref_json(&it->unit), "level", eval_level_name(it->level),
                          "level_label", eval_level_label(it->level), "reasons", reasons, "comment",
                          str_or_null(it->comment), "case_no",
                          it->case_no[0] ? json_string(it->case_no) : json_null());
    json_object_set_new(o, "review",
                        review ? json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "state", review,
                                           "reason", str_or_null(it->review_reason), "by",
                                           str_or_null(it->review_by), "at",
                                           case_time_json(it->review_at, x->tz), "note",
                                           str_or_null(it->decision_note), "decided_by",
                                           str_or_null(it->decided_by), "decided_at",
                                           case_time_json(it->decided_at, x->tz))
                               : json_null());
    json_object_set_new(o, "hold", str_or_null(it->hold)); /* the burst rule's (docs/rules.md) */
    json_array_append_new(x->arr, o);
    x->last = it->id;
    return 0;
}

/* GET /evaluations?from&to&bad=true&review=&unit=&before=&limit= */
int res_evals(http_req *req, http_res *res) {
    store_eval_filter f = {.unit_id = auth_scope(req->who), .limit = 50};
    err e = {0};
    const char *v;
    int64_t n = 0;
    if (http_query(req, "from") || http_query(req, "to"))
        if (http_query_period(req, res, &f.from, &f.to)) return res->status;
    if ((v = http_query(req, "unit"))) {
        unit_ref u;
        if (store_unit_find(req->st, v, &u, &e))
            return e.code == ERR_NOTFOUND ? http_error(res, 400, "bad_request", "unit", "%s", e.msg)
                                          : http_error_from(res, &e);
        if (f.unit_id && u.id != f.unit_id)
            return http_error(res, 403, "forbidden", "unit", "a handler sees only its own unit's evaluations");
        f.unit_id = u.id;
    }
    if ((v = http_query(req, "bad"))) {
        if (strcmp(v, "true") != 0) return http_error(res, 400, "bad_request", "bad", "bad may only be 'true'");
        f.bad_only = true;
    }
    if ((v = http_query(req, "review"))) {
        case_review r;
        if (case_review_parse(v, &r, &e)) return http_error(res, 400, "bad_request", "review", "%s", e.msg);
        f.review = r;
    }
    if ((v = http_query(req, "hold"))) {
        if (strcmp(v, "held") != 0) return http_error(res, 400, "bad_request", "hold", "hold may only be 'held'");
        f.held_only = true;
    }
    if ((v = http_query(req, "before"))) {
        if (http_path_id(v, "before", &f.before_id, res)) return res->status;
    }
    if (http_query_int(req, res, "limit", 1, 200, &n)) return res->status;
    if (n) f.limit = (int)n;
    list_ctx x = {json_array(), store_env(req->st)->tz, 0};
    if (store_eval_list(req->st, &f, add_item, &x, &e)) {
        json_decref(x.arr);
        return http_error_from(res, &e);
    }
    json_t *next = json_array_size(x.arr) == (size_t)f.limit ? json_integer(x.last) : json_null();
    http_add_header(res, "Cache-Control", "no-store");
    return http_json(res, 200, json_pack("{s:o, s:o}", "evaluations", x.arr, "next_before", next));
}

/* The text of a body field that must say something (1..REASON_MAX chars). */
static const char *said(json_t *b, const char *key, http_res *res) {
    const char *v = http_str(b, key);
    if (!v || text_blank(v) || text_len(v) > REASON_MAX) {
        http_error(res, 422, "invalid", key, "%s must say why in 1-%d characters", key, REASON_MAX);
        return NULL;
    }
    return v;
}

/* POST /evaluations/{id}/review {reason}: the evaluated unit's clerk. */
int res_eval_review(http_req *req, http_res *res) {
    static const http_field fields[] = {{"reason", JSON_STRING, true}, {NULL, 0, false}};
    int64_t id;
    err e = {0};
    if (http_path_id(req->param[0], "id", &id, res)) return res->status;
    json_t *b = http_body_object(req, res);
    if (!b) return res->status;
    const char *reason;
    if (!http_check_fields(b, fields, res) && (reason = said(b, "reason", res))) {
        if (store_eval_review(req->st, id, req->who->unit.id, reason, req->who->user_id, req->who->name,
                              req->now, &e))
            http_error_from(res, &e);
        else
            http_json(res, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "review", "pending"));
    }
    json_decref(b);
    return res->status;
}

/* The 督查室's two-way rulings on an evaluation, as a table: the body
 * {decision: yes|no, note}, the store's step, and what the answer says. */
typedef int (*ruling_fn)(store *s, int64_t id, bool yes, const char *note, int64_t user_id, const char *by,
                         int64_t now, err *e);
static const struct ruling {
    const char *yes, *no;     /* the decision's two values */
    const char *member;       /* the answer's member */
    const char *yes_state, *no_state;
    ruling_fn step;
} rulings[] = {
    {"upheld", "rejected", "review", "upheld", "rejected", store_eval_decide},
    {"release", "discard", "hold", "released", "discarded", store_eval_release},
};

static int rule(http_req *req, http_res *res, const struct ruling *r) {
    static const http_field fields[] = {{"decision", JSON_STRING, true}, {"note", JSON_STRING, true},
                                        {NULL, 0, false}};
    int64_t id;
    err e = {0};
    if (http_path_id(req->param[0], "id", &id, res)) return res->status;
    json_t *b = http_body_object(req, res);
    if (!b) return res->status;
    const char *note, *d;
    if (!http_check_fields(b, fields, res) && (note = said(b, "note", res))) {
        d = http_str(b, "decision");
        bool yes = strcmp(d, r->yes) == 0;
        if (!yes && strcmp(d, r->no) != 0)
            http_error(res, 422, "invalid", "decision", "decision '%.40s' must be %s or %s", d, r->yes, r->no);
        else if (r->step(req->st, id, yes, note, req->who->user_id, req->who->name, req->now, &e))
            http_error_from(res, &e);
        else
            http_json(res, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, r->member,
                                          yes ? r->yes_state : r->no_state));
    }
    json_decref(b);
    return res->status;
}

/* POST /evaluations/{id}/decision {decision: upheld|rejected, note}: the
 * 督查室 on a 申诉复核. */
int res_eval_decide(http_req *req, http_res *res) { return rule(req, res, &rulings[0]); }

/* POST /evaluations/{id}/hold {decision: release|discard, note}: the
 * 督查室 on an evaluation the burst rule held. */
int res_eval_hold(http_req *req, http_res *res) { return rule(req, res, &rulings[1]); }
