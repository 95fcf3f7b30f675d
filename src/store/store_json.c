/* store_json: see store_json.h. */
#include "store/store_json.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>

#include "core/case_json.h"
#include "store/store_case.h"

json_t *store_ref_json(const unit_ref *r) {
    return r->id ? json_pack("{s:s, s:s}", "code", r->code, "name", r->name) : json_null();
}

json_t *store_notice_json(const store_notice *n, int tz) {
    bool instruction = n->kind == DUE_COUNT;
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)n->id,
                     "case_id", (json_int_t)n->case_id, "case_no", n->case_no, "deadline",
                     instruction ? STORE_NOTICE_INSTRUCTION : case_due_name(n->kind), "level",
                     sup_level_name(n->level), "label",
                     instruction ? "领导批示" : sup_level_label(n->level), "due",
                     instruction ? case_time_json(n->due, tz) : case_due_json(n->due, tz), "raised_at",
                     case_time_json(n->raised_at, tz), "unit", store_ref_json(&n->unit));
}

json_t *store_unit_json(const store_unit *u) {
    return json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)u->ref.id, "code", u->ref.code,
                     "name", u->ref.name, "kind", unit_kind_name(u->kind), "parent",
                     u->parent[0] ? json_string(u->parent) : json_null());
}

json_t *store_stats_json(const store_unit_stats *u, size_t n, const scheme *sch, const char *from, const char *to,
                         int64_t at, int tz, int64_t rank_min) {
    met_counts total = {0};
    json_t *units = json_array();
    double *composite = calloc(n + 1, sizeof *composite);
    int64_t *volume = calloc(n + 1, sizeof *volume);
    int *group = calloc(n + 1, sizeof *group), *rank = calloc(n + 1, sizeof *rank);
    for (size_t i = 0; composite && volume && group && rank && i < n; i++) {
        met_rates r;
        met_compute(&u[i].m, sch, &r);
        composite[i] = r.composite;
        volume[i] = u[i].m.dispatched;
        group[i] = (int)u[i].kind;
    }
    if (composite && volume && group && rank) met_rank(composite, volume, group, n, rank_min, rank);
    for (size_t i = 0; i < n; i++) {
        json_t *row = met_to_json(&u[i].m, sch);
        json_object_set_new(row, "unit", store_ref_json(&u[i].unit));
        json_object_set_new(row, "kind", json_string(unit_kind_name(u[i].kind)));
        json_object_set_new(row, "rank", rank && rank[i] ? json_integer(rank[i]) : json_null());
        json_array_append_new(units, row);
        met_add(&total, &u[i].m);
    }
    free(composite);
    free(volume);
    free(group);
    free(rank);
    return json_pack("{s:s, s:s, s:o, s:o, s:I, s:o, s:o}", "from", from, "to", to, "at", case_time_json(at, tz),
                     "scheme", sch_to_json(sch), "rank_min", (json_int_t)rank_min, "units", units, "total",
                     met_to_json(&total, sch));
}

json_t *store_reminders_json(const store_summary *s, const case_env *env) {
    json_t *a = json_array();
    if (s->provisional > 0) {
        int last = cal_last_year(env->cal);
        char msg[320];
        snprintf(msg, sizeof msg,
                 "%lld 件在办案件的期限超出已导入的工作日历（至 %d 年），暂按周一至周五计算；"
                 "导入 %d 年的日历后将重新计算。",
                 (long long)s->provisional, last, last + 1);
        json_array_append_new(a, json_pack("{s:s, s:I, s:i, s:s}", "kind", "calendar", "cases",
                                           (json_int_t)s->provisional, "import_year", last + 1,
                                           "message", msg));
    }
    return a;
}

json_t *store_appeals_json(const store_summary *s) {
    json_t *o = json_object();
    for (int a = AP_CONSULT; a < AP_COUNT; a++)
        json_object_set_new(o, case_appeal_name((case_appeal)a), json_integer(s->by_appeal[a]));
    json_object_set_new(o, "none", json_integer(s->by_appeal[AP_NONE]));
    return o;
}

json_t *store_rate_json(int64_t num, int64_t den) {
    return den ? json_real(round((double)num / (double)den * 1e6) / 1e6) : json_null();
}

json_t *store_centre_json(const store_centre *c) {
    return json_pack("{s:I, s:I, s:I, s:o, s:I, s:I, s:o}", "received", (json_int_t)c->received,
                     "merged", (json_int_t)c->merged, "answered", (json_int_t)c->answered,
                     "answer_rate", store_rate_json(c->answered, c->received), "visited",
                     (json_int_t)c->visited, "satisfied", (json_int_t)c->satisfied,
                     "satisfaction_rate", store_rate_json(c->satisfied, c->visited));
}

json_t *store_audit_json(store *s, const store_audit *au) {
    json_t *o = json_pack("{s:b, s:I, s:I}", "ok", STORE_AUDIT_OK(au), "cases", (json_int_t)au->cases,
                          "events", (json_int_t)au->events);
    if (STORE_AUDIT_OK(au)) {
        json_object_set_new(o, "first_broken", json_null());
        return o;
    }
    if (au->log[0]) { /* a log's chain (store_chain.h) */
        json_object_set_new(o, "first_broken", json_pack("{s:s, s:o, s:s}", "log", au->log, "link",
                                                         au->bad_seq ? json_integer(au->bad_seq) : json_null(),
                                                         "reason", au->why));
        return o;
    }
    case_rec r;
    char case_no[CASE_CODE_MAX] = "";
    if (store_case_get(s, au->bad_case, &r, NULL) == 0) {
        snprintf(case_no, sizeof case_no, "%s", r.case_no);
        case_rec_clear(&r);
    }
    json_object_set_new(o, "first_broken",
                        json_pack("{s:I, s:s, s:o, s:o, s:s}", "case_id", (json_int_t)au->bad_case,
                                  "case_no", case_no, "seq", au->bad_seq ? json_integer(au->bad_seq) : json_null(),
                                  "column", au->column[0] ? json_string(au->column) : json_null(), "reason", au->why));
    return o;
}
