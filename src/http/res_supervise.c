/* res_supervise: notices, statistics, the overview, and the audited
 * reading of personal data (reveal and the access log). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/case_json.h"
#include "http/resources.h"
#include "store/store_breakdown.h"
#include "store/store_bulletin.h"
#include "http/html.h"
#include "report/bulletin_html.h"
#include "store/store_json.h"
#include "store/store_case.h"
#include "store/store_report.h"
#include "store/store_auth.h"
#include "util/datetime.h"

typedef struct notice_ctx { json_t *arr; int tz; int64_t unit; } notice_ctx;

static int add_notice(void *ctx, const store_notice *n) {
    notice_ctx *x = ctx;
    if (!x->unit || n->unit.id == x->unit) json_array_append_new(x->arr, store_notice_json(n, x->tz));
    return 0;
}

int res_notices(http_req *req, http_res *res) {
    int64_t id = 0;
    err e = {0};
    if (http_query_int(req, res, "case", 1, INT64_MAX, &id)) return res->status;
    notice_ctx x = {json_array(), store_env(req->st)->tz, auth_scope(req->who)};
    if (store_notice_list(req->st, 0, id, add_notice, &x, &e)) {
        json_decref(x.arr);
        return http_error_from(res, &e);
    }
    return http_json(res, 200, json_pack("{s:o}", "notices", x.arr));
}

int res_stats_json(http_req *req, http_res *res, json_t **out) {
    const char *from = http_query(req, "from"), *to = http_query(req, "to");
    int64_t at = req->now, t0, t1;
    err e = {0};
    int tz = store_env(req->st)->tz;
    if (http_query_period(req, res, &t0, &t1)) return res->status;
    if (http_query_at(req, res, &at)) return res->status;
    store_unit_stats *u;
    size_t n;
    if (store_stats(req->st, t0, t1, at, &u, &n, &e))
        return http_error_from(res, &e);
    int64_t scope = auth_scope(req->who);
    if (scope) { /* a unit's clerk reads its own unit's figures, and its total is its own */
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (u[i].unit.id == scope) u[k++] = u[i];
        n = k;
    }
    scheme sch;
    if (store_scheme_at(req->st, t0, at, &sch, &e)) {
        free(u);
        return http_error_from(res, &e);
    }
    json_t *o = store_stats_json(u, n, &sch, from, to, at, tz,
                                 store_config_int_at(req->st, "rank_min_dispatched", at, 10));
    free(u);
    store_centre centre;
    if (!scope) { /* the centre's own figures: not a unit's to read */
        if (store_centre_stats(req->st, t0, t1, at, &centre, &e)) {
            json_decref(o);
            return http_error_from(res, &e);
        }
        json_object_set_new(o, "centre", store_centre_json(&centre));
    }
    *out = o;
    return 0;
}

int res_bulletin_read(http_req *req, http_res *res, bulletin *out) {
    const char *month = http_query(req, "month");
    int64_t from, to, before, at = 0;
    err e = {0};
    if (http_query_at(req, res, &at)) return res->status;
    if (month) {
        if (bulletin_month(month, store_env(req->st)->tz, &from, &to, &before, &e))
            return http_error(res, 400, "bad_request", "month", "%s", e.msg);
    } else {
        if (http_query_period(req, res, &from, &to)) return res->status;
        before = from - (to - from);
    }
    if (!http_query(req, "at")) at = store_report_at(req->st, to, req->now); /* as of its cut-off */
    if (store_bulletin_get(req->st, from, to, before, at, out, &e)) return http_error_from(res, &e);
    html_site_url(req, "", out->site, sizeof out->site); /* the workbook's rates link here */
    return 0;
}

/* GET /bulletin?month=YYYY-MM (or from=&to=): the 通报's figures. */
int res_bulletin(http_req *req, http_res *res) {
    bulletin b;
    if (res_bulletin_read(req, res, &b)) return res->status;
    json_t *o = bulletin_json(&b, store_env(req->st)->tz);
    bulletin_clear(&b);
    return http_json(res, 200, o);
}

/* GET /bulletin/print?month=: the 通报 as a page to print (A4 landscape). */
int res_bulletin_print(http_req *req, http_res *res) {
    bulletin b;
    char *html = NULL;
    size_t len = 0;
    if (res_bulletin_read(req, res, &b)) return res->status;
    FILE *f = open_memstream(&html, &len);
    if (f) {
        bulletin_html(&b, f, req->now, store_env(req->st)->tz);
        fclose(f);
    }
    bulletin_clear(&b);
    if (!f) return http_error(res, 503, "unavailable", NULL, "out of memory");
    return html_send(res, html, len, bulletin_style);
}

int res_stats(http_req *req, http_res *res) {
    json_t *o;
    if (res_stats_json(req, res, &o)) return res->status;
    return http_json(res, 200, o);
}

static json_t *named(const char *name, const char *label, int64_t n) {
    return json_pack("{s:s, s:s, s:I}", "name", name, "label", label, "n", (json_int_t)n);
}

static json_t *refs_json(const unit_ref *r, size_t n) {
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(a, store_ref_json(&r[i]));
    return a;
}

static size_t index_of(const unit_ref *r, size_t n, int64_t id) {
    size_t i = 0;
    while (i < n && r[i].id != id) i++;
    return i;
}

/* GET /stats/breakdown?from&to[&at]: the cases received in the period by
 * month, channel, class, 诉求类型 and top-level category × township. */
int res_breakdown(http_req *req, http_res *res) {
    const char *from = http_query(req, "from"), *to = http_query(req, "to");
    int64_t at = req->now, t0, t1;
    err e = {0};
    int tz = store_env(req->st)->tz;
    if (http_query_period(req, res, &t0, &t1)) return res->status;
    if (http_query_at(req, res, &at)) return res->status;
    store_breakdown b;
    if (store_breakdown_get(req->st, t0, t1, at, BD_DASHBOARD, &b, &e))
        return e.code == ERR_INVALID ? http_error(res, 400, "bad_request", e.field, "%s", e.msg)
                                     : http_error_from(res, &e);
    json_t *months = json_array(), *ch = json_array(), *cl = json_array(), *ap = json_array(),
           *cells = json_array();
    for (int i = 0; i < b.n_months; i++) {
        const store_month *m = &b.month[i];
        char name[16];
        snprintf(name, sizeof name, "%04d-%02d", m->year, m->month);
        json_array_append_new(months,
                              json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:o}", "month", name,
                                        "received", (json_int_t)m->received, "dispatched",
                                        (json_int_t)m->dispatched, "resolved", (json_int_t)m->resolved,
                                        "visited", (json_int_t)m->visited, "satisfied",
                                        (json_int_t)m->satisfied, "satisfaction_rate",
                                        store_rate_json(m->satisfied, m->visited)));
    }
    for (int c = 0; c < CH_COUNT; c++)
        json_array_append_new(ch, named(case_channel_name((case_channel)c),
                                        case_channel_label((case_channel)c), b.by_channel[c]));
    for (int c = 0; c < CL_COUNT; c++)
        json_array_append_new(cl, named(case_class_name((case_class)c), case_class_label((case_class)c),
                                        b.by_class[c]));
    for (int a = AP_CONSULT; a < AP_COUNT; a++)
        json_array_append_new(ap, named(case_appeal_name((case_appeal)a),
                                        case_appeal_label((case_appeal)a), b.by_appeal[a]));
    json_array_append_new(ap, named("none", "未分类", b.by_appeal[AP_NONE]));
    for (size_t i = 0; i < b.n_cells; i++)
        json_array_append_new(cells, json_pack("[I, I, I]",
                                               (json_int_t)index_of(b.categories, b.n_categories, b.cells[i].category_id),
                                               (json_int_t)index_of(b.townships, b.n_townships, b.cells[i].township_id),
                                               (json_int_t)b.cells[i].n));
    json_t *o = json_pack("{s:s, s:s, s:o, s:I, s:o, s:o, s:o, s:o, s:{s:o, s:o, s:o, s:I}}", "from", from,
                          "to", to, "at", case_time_json(at, tz), "received", (json_int_t)b.received,
                          "by_month", months, "by_channel", ch, "by_class", cl, "by_appeal_type", ap,
                          "heat", "categories", refs_json(b.categories, b.n_categories), "townships",
                          refs_json(b.townships, b.n_townships), "cells", cells, "unplaced",
                          (json_int_t)b.unplaced);
    store_breakdown_clear(&b);
    return http_json(res, 200, o);
}

int res_overview(http_req *req, http_res *res) {
    store_summary s;
    err e = {0};
    if (store_summary_get(req->st, req->now, &s, &e)) return http_error_from(res, &e);
    json_t *by = json_object();
    for (int k = 0; k < ST_COUNT; k++)
        json_object_set_new(by, case_status_name((case_status)k), json_integer(s.by_status[k]));
    return http_json(res, 200, json_pack("{s:o, s:I, s:o, s:o, s:I, s:I, s:I, s:o}", "at",
                                         case_time_json(req->now, store_env(req->st)->tz), "cases",
                                         (json_int_t)s.cases, "by_status", by, "by_appeal_type",
                                         store_appeals_json(&s), "overdue",
                                         (json_int_t)s.overdue, "due_today", (json_int_t)s.due_today,
                                         "provisional_deadlines", (json_int_t)s.provisional,
                                         "reminders", store_reminders_json(&s, store_env(req->st))));
}

/* POST /cases/{id}/reveal {"reason": "..."}: the full contact, logged. */
int res_reveal(http_req *req, http_res *res) {
    static const http_field fields[] = {{"reason", JSON_STRING, true}, {NULL, 0, false}};
    char *end;
    long long id = strtoll(req->param[0], &end, 10);
    err e = {0};
    case_rec c;
    if (*end || id < 1) return http_error(res, 400, "bad_request", "id", "bad case id '%s'", req->param[0]);
    json_t *b = http_body_object(req, res);
    if (!b) return res->status;
    if (http_check_fields(b, fields, res)) goto done;
    const char *reason = http_str(b, "reason");
    if (strlen(reason) < 2 || strlen(reason) > 200) {
        http_error(res, 422, "invalid", "reason", "give a reason of 2-200 bytes");
        goto done;
    }
    if (store_case_get_scoped(req->st, id, auth_scope(req->who), &c, &e)) {
        http_error_from(res, &e);
        goto done;
    }
    if (c.confidential && !auth_sees_contact(req->who->role)) {
        case_rec_clear(&c);
        http_error(res, 403, "forbidden", NULL, "the requester asked for confidentiality");
        goto done;
    }
    if (store_access_log(req->st, req->now, req->who->user_id, req->who->name, "reveal", id, reason, &e)) {
        case_rec_clear(&c);
        http_error_from(res, &e); /* no log, no data */
        goto done;
    }
    http_json(res, 200, json_pack("{s:I, s:s, s:s?, s:s?}", "id", (json_int_t)id, "case_no", c.case_no,
                                  "requester_name", c.requester_name, "requester_phone",
                                  c.requester_phone));
    case_rec_clear(&c);
done:
    json_decref(b);
    return res->status;
}

typedef struct access_ctx { json_t *arr; int tz; } access_ctx;

static int add_access(void *ctx, const store_access *a) {
    access_ctx *x = ctx;
    json_array_append_new(x->arr, json_pack("{s:I, s:o, s:s, s:s, s:o, s:s}", "id", (json_int_t)a->id,
                                          "at", case_time_json(a->at, x->tz), "actor",
                                          a->actor, "action", a->action, "case_id",
                                          a->case_id ? json_integer(a->case_id) : json_null(),
                                          "detail", a->detail));
    return 0;
}

/* GET /audit: the hash chain of every case checked now (the auditor's
 * `duban audit verify`); each check is itself logged. */
int res_audit(http_req *req, http_res *res) {
    store_audit au;
    err e = {0};
    if (store_audit_verify(req->st, &au, &e)) return http_error_from(res, &e);
    char detail[96];
    snprintf(detail, sizeof detail, "%lld cases, %lld events: %s", (long long)au.cases,
             (long long)au.events, STORE_AUDIT_OK(&au) ? "ok" : "BROKEN");
    store_access_log(req->st, req->now, req->who->user_id, req->who->name, "audit_verify", 0, detail, NULL);
    json_t *o = store_audit_json(req->st, &au);
    json_object_set_new(o, "checked_at", case_time_json(req->now, store_env(req->st)->tz));
    return http_json(res, 200, o);
}

int res_access_log(http_req *req, http_res *res) {
    store_access_query q = {.limit = 200, .actor = http_query(req, "actor"),
                            .action = http_query(req, "action")};
    const char *order = http_query(req, "order");
    int64_t limit = q.limit;
    if (http_query_int(req, res, "after", 0, INT64_MAX, &q.after_id) ||
        http_query_int(req, res, "before", 0, INT64_MAX, &q.before_id) ||
        http_query_int(req, res, "limit", 1, 1000, &limit))
        return res->status;
    if (order && strcmp(order, "oldest") && strcmp(order, "newest"))
        return http_error(res, 400, "bad_request", "order", "order is oldest or newest");
    q.newest_first = order && !strcmp(order, "newest");
    q.limit = (int)limit;
    access_ctx x = {json_array(), store_env(req->st)->tz};
    err e = {0};
    if (store_access_list(req->st, &q, add_access, &x, &e)) {
        json_decref(x.arr);
        return http_error_from(res, &e);
    }
    return http_json(res, 200, json_pack("{s:o}", "entries", x.arr));
}
