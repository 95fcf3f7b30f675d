/* res_tasks: 1+10+N's "10" and "N". POST /tasks makes a key or phased task
 * with its milestones (each a case with its own day, so 13710 applies to
 * each); GET /tasks lists them with their milestones and problems, by group
 * or by responsible leader; POST /tasks/{id}/problems raises a problem
 * under a task, a case on the usual deadlines. */
#include <stdlib.h>
#include <string.h>

#include "core/case_json.h"
#include "http/resources.h"
#include "store/store_json.h"
#include "store/store_ref.h"
#include "store/store_task.h"
#include "util/datetime.h"
#include "util/text.h"

/* What a list shows of a case. */
static json_t *brief(const case_rec *c, int64_t now, int tz) {
    case_due_kind k;
    int64_t next = case_next_due(c, &k);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:b}", "id", (json_int_t)c->id, "case_no",
                     c->case_no, "title", c->title ? c->title : "", "status", case_status_name(c->status),
                     "status_label", case_status_label(c->status), "lead_unit",
                     c->lead.id ? store_ref_json(&c->lead) : json_null(), "resolve_due",
                     case_due_json(c->due[DUE_RESOLVE], tz), "next_due",
                     next ? json_pack("{s:s, s:o}", "kind", case_due_name(k), "due", case_due_json(next, tz))
                          : json_null(),
                     "overdue", case_overdue(c, now));
}

typedef struct list_ctx {
    json_t *tasks, *cur;
    int64_t now;
    int tz;
} list_ctx;

static int add_item(void *ctx, const store_task_item *it) {
    list_ctx *x = ctx;
    json_t *b = brief(it->c, x->now, x->tz);
    if (it->role == TASK_ROLE_TASK) {
        x->cur = json_pack("{s:o, s:s, s:s, s:s?, s:[], s:[]}", "task", b, "kind", task_kind_name(it->kind),
                           "group", it->group, "leader", it->leader[0] ? it->leader : NULL, "milestones",
                           "problems");
        json_array_append_new(x->tasks, x->cur);
    } else if (x->cur) {
        json_array_append_new(json_object_get(x->cur, it->role == TASK_ROLE_MILESTONE ? "milestones" : "problems"), b);
    } else {
        json_decref(b);
    }
    return 0;
}

int res_tasks(http_req *req, http_res *res) {
    const char *group = http_query(req, "group"), *leader = http_query(req, "leader");
    list_ctx x = {json_array(), NULL, req->now, store_env(req->st)->tz};
    err e = {0};
    if (store_task_list(req->st, group, leader, auth_scope(req->who), add_item, &x, &e)) {
        json_decref(x.tasks);
        return http_error_from(res, &e);
    }
    json_t *groups = json_array();
    for (int i = 0; i < TASK_KEY_GROUPS; i++) json_array_append_new(groups, json_string(task_key_groups[i]));
    return http_json(res, 200, json_pack("{s:o, s:o}", "tasks", x.tasks, "key_groups", groups));
}

static bool bad_text(json_t *b, const char *key, size_t max, bool required) {
    const char *v = http_str(b, key);
    return v ? text_blank(v) || text_len(v) > max : required;
}

int res_tasks_create(http_req *req, http_res *res) {
    /* milestones are objects, checked below, not with the strings */
    static const http_field fields[] = {
        {"title", JSON_STRING, true},  {"description", JSON_STRING, false}, {"kind", JSON_STRING, true},
        {"group", JSON_STRING, true},  {"leader", JSON_STRING, false},      {"unit", JSON_STRING, true},
        {"due", JSON_STRING, true},    {NULL, 0, false}};
    json_t *b = http_body_object(req, res);
    if (!b) return res->status;
    err e = {0};
    task_milestone m[TASK_MAX_MILESTONES];
    int n = 0;
    store_task_spec t = {.title = http_str(b, "title"), .description = http_str(b, "description"),
                         .group = http_str(b, "group"), .leader = http_str(b, "leader"), .milestones = m};
    json_t *ms = json_object_get(b, "milestones"), *copy = json_deep_copy(b);
    json_object_del(copy, "milestones");
    int bad = http_check_fields(copy, fields, res);
    json_decref(copy);
    if (bad) goto done;
    if (ms && !json_is_array(ms)) {
        http_error(res, 422, "invalid", "milestones", "'milestones' must be an array of {title, due}");
        goto done;
    }
    if (bad_text(b, "title", 200, true) || bad_text(b, "description", 4000, false) ||
        bad_text(b, "leader", 20, false)) {
        const char *f = bad_text(b, "title", 200, true) ? "title" : bad_text(b, "leader", 20, false) ? "leader" : "description";
        http_error(res, 422, "invalid", f, "'%s' must be 1-%d characters", f,
                   !strcmp(f, "title") ? 200 : !strcmp(f, "leader") ? 20 : 4000);
        goto done;
    }
    if (task_kind_parse(http_str(b, "kind"), &t.kind, &e) || task_group_check(t.kind, t.group, &e) ||
        dt_parse_date(http_str(b, "due"), &t.due, &e) ||
        store_unit_find(req->st, http_str(b, "unit"), &t.unit, &e)) {
        if (e.code == ERR_NOTFOUND) e.code = ERR_INVALID;
        if (!strcmp(e.field, "date") || !e.field[0]) snprintf(e.field, sizeof e.field, "%s", "due");
        http_error_from(res, &e);
        goto done;
    }
    size_t i;
    json_t *it;
    json_array_foreach(ms, i, it) {
        if (n == TASK_MAX_MILESTONES || !json_is_object(it) || !json_is_string(json_object_get(it, "title")) ||
            !json_is_string(json_object_get(it, "due")) || json_object_size(it) != 2 ||
            dt_parse_date(json_string_value(json_object_get(it, "due")), &m[n].due, NULL)) {
            http_error(res, 422, "invalid", "milestones", "milestone %zu must be {title, due: YYYY-MM-DD} (at most %d)",
                       i + 1, TASK_MAX_MILESTONES);
            goto done;
        }
        m[n++].title = json_string_value(json_object_get(it, "title"));
    }
    t.n_milestones = n;
    int32_t today = dt_local_day(req->now, store_env(req->st)->tz);
    if (t.due < today) {
        http_error(res, 422, "invalid", "due", "the task's day is in the past");
        goto done;
    }
    if (task_milestones_check(m, n, today, t.due, &e)) {
        http_error_from(res, &e);
        goto done;
    }
    int64_t id;
    case_rec c;
    if (store_task_create(req->st, &t, req->who->name, req->now, &id, &e) || store_case_get(req->st, id, &c, &e)) {
        http_error_from(res, &e);
        goto done;
    }
    http_json(res, 201, json_pack("{s:o, s:i}", "task", brief(&c, req->now, store_env(req->st)->tz),
                                  "milestones", n));
    case_rec_clear(&c);
done:
    json_decref(b);
    return res->status;
}

int res_task_problem(http_req *req, http_res *res) {
    static const http_field fields[] = {{"title", JSON_STRING, true}, {"description", JSON_STRING, false},
                                        {NULL, 0, false}};
    int64_t id;
    err e = {0};
    if (http_path_id(req->param[0], "id", &id, res)) return res->status;
    json_t *b = http_body_object(req, res);
    if (!b) return res->status;
    case_rec c;
    if (http_check_fields(b, fields, res)) goto done;
    if (bad_text(b, "title", 200, true) || bad_text(b, "description", 4000, false)) {
        http_error(res, 422, "invalid", bad_text(b, "title", 200, true) ? "title" : "description",
                   "the title is 1-200 characters, the description at most 4000");
        goto done;
    }
    if (store_task_problem(req->st, id, 0, (unit_ref){0}, auth_scope(req->who), http_str(b, "title"),
                           http_str(b, "description"), req->who->name, req->now, &c, &e)) {
        http_error_from(res, &e);
        goto done;
    }
    http_json(res, 201, brief(&c, req->now, store_env(req->st)->tz));
    case_rec_clear(&c);
done:
    json_decref(b);
    return res->status;
}
