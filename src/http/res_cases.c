/* res_cases: /api/v1/cases. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/case_json.h"
#include "core/mask.h"
#include "core/ledger.h"
#include "http/writer.h"
#include "http/resources.h"
#include "util/datetime.h"
#include "util/jsonw.h"
#include "store/store_auth.h"
#include "store/store_ref.h"

/* How many cases an account may match on a phone number in an hour: enough
 * for every call an operator takes, far too few to try hidden digits. */
#define PHONE_LOOKUPS_PER_HOUR 60
#include "store/store_case.h"
#include "store/store_report.h"

/* A case's events, written as text as they are read (a case's answer spent
 * more on building, reading back and freeing their JSON values than on all
 * the rest), and its 领导批示 apart, newest first. */
typedef struct events_ctx {
    jsonw w;
    size_t n;
    json_t *instructions;
    int tz;
} events_ctx;

static int write_event(void *ctx, const case_event *ev) {
    events_ctx *x = ctx;
    if (x->n++) JSONW_LIT(&x->w, ",");
    case_event_write(&x->w, ev, x->tz);
    if (ev->action == ACT_INSTRUCT) {
        json_t *pl = case_event_payload(ev);
        json_array_insert_new(x->instructions, 0,
                              json_pack("{s:o, s:s, s:O*, s:O*}", "at", case_time_json(ev->at, x->tz), "actor",
                                        ev->actor, "note", json_object_get(pl, "note"), "resolve_due",
                                        json_object_get(pl, "resolve_due")));
        json_decref(pl);
    }
    return 0;
}

/* A case as this principal may see it, into o: contact details in full only
 * for the roles that need them; how late it is and where it stands now. */
static void case_for_out(const http_req *req, const case_rec *c, case_out *o) {
    int tz = store_env(req->st)->tz;
    case_view_out(o, c, auth_case_view(req->who->role), tz);
    case_out_value(o, "overdue", case_overdue_json(c, req->now, tz));
    if (c->status != ST_CLOSED && c->status != ST_MERGED) {
        ledger_line l;
        ledger_line_of(c, req->now, tz, &l);
        case_out_value(o, "ledger", json_pack("{s:s, s:i, s:i, s:o}", "step", l.step, "age_days", l.age_days,
                                              "overdue_days", l.overdue_days, "promised",
                                              l.promise ? case_due_json(l.due, tz) : json_null()));
    }
}

static json_t *case_for(const http_req *req, const case_rec *c) {
    case_out o = {.obj = json_object()};
    case_for_out(req, c, &o);
    return o.obj;
}

static int add_attribute(void *ctx, const char *code, const char *value) {
    json_object_set_new(ctx, code, json_string(value));
    return 0;
}

static json_t *case_link(const case_rec *c) {
    return json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)c->id, "case_no", c->case_no, "status",
                     case_status_name(c->status), "status_label", case_status_label(c->status));
}

static int add_merged(void *ctx, const case_rec *c) {
    json_array_append_new(ctx, case_link(c));
    return 0;
}

/* 并案: a duplicate shows the main case it follows, with that case's status
 * (main_case); a main case lists its duplicates (merged_cases). Numbers and
 * states only: each requester's details stay on their own case. */
static int merge_links(http_req *req, int64_t id, int64_t into, case_out *o, err *e) {
    if (into) {
        case_rec m;
        if (store_case_get(req->st, into, &m, e)) return e->code;
        case_out_value(o, "main_case", case_link(&m));
        case_rec_clear(&m);
    }
    json_t *arr = json_array();
    int rc = store_case_merged(req->st, id, add_merged, arr, e);
    case_out_value(o, "merged_cases", arr);
    return rc;
}

int res_case_param(http_req *req, http_res *res, case_rec *out) {
    int64_t id;
    err e = {0};
    if (http_path_id(req->param[0], "id", &id, res)) return res->status;
    if (store_case_get_scoped(req->st, id, auth_scope(req->who), out, &e)) return http_error_from(res, &e);
    return 0;
}

/* What an Open311 client sent: where, its pictures, its answers; null when
 * it sent none of them. */
static json_t *place_json(const store_place *pl) {
    if (!pl->has_point && !pl->address[0] && !pl->address_id[0] && !pl->n_media) return json_null();
    json_t *media = json_array();
    for (int i = 0; i < pl->n_media; i++) json_array_append_new(media, json_string(pl->media[i]));
    return json_pack("{s:o, s:o, s:s?, s:s?, s:o}", "lat", pl->has_point ? json_real(pl->lat) : json_null(),
                     "long", pl->has_point ? json_real(pl->lon) : json_null(), "address",
                     pl->address[0] ? pl->address : NULL, "address_id", pl->address_id[0] ? pl->address_id : NULL,
                     "media", media);
}

/* GET /cases/{id}: the case as this person may see it, what they may do to it
 * now, its attributes, place, 领导批示, 并案 links and events. Written as text
 * as it is read (a case's answer is the most asked for). */
int res_case_get(http_req *req, http_res *res) {
    case_rec c;
    err e = {0};
    if (res_case_param(req, res, &c)) return res->status;
    int64_t id = c.id, into = c.merged_into;
    int tz = store_env(req->st)->tz;
    jsonw out = {0};
    case_out o = {.w = &out};
    events_ctx x = {.instructions = json_array(), .tz = tz};
    JSONW_LIT(&out, "{");
    case_for_out(req, &c, &o);
    /* what this person may do now (the pages offer these and nothing else);
     * attachments and the system's own moves have their own ways */
    json_t *acts = json_array(), *attrs = json_object();
    for (int a = ACT_DISPATCH; a < ACT_COUNT; a++)
        if (a != ACT_RECOMPUTE && a != ACT_FOLLOW && a != ACT_ATTACH && a != ACT_PUBLISH_ATTACHMENT &&
            auth_may_act(req->who->role, (case_action)a) &&
            case_action_possible(&c, (case_action)a, auth_scope(req->who), store_env(req->st)))
            json_array_append_new(acts, json_string(case_action_name((case_action)a)));
    case_out_value(&o, "actions", acts);
    case_rec_clear(&c);
    store_place pl;
    int rc = store_case_attributes(req->st, id, add_attribute, attrs, &e);
    case_out_value(&o, "attributes", attrs);
    if (!rc && !(rc = store_place_get(req->st, id, &pl, &e))) case_out_value(&o, "place", place_json(&pl));
    if (!rc) rc = store_case_events(req->st, id, write_event, &x, &e);
    case_out_value(&o, "instructions", x.instructions); /* 领导批示 first, apart from the events */
    if (!rc) rc = merge_links(req, id, into, &o, &e);
    if (rc) {
        jsonw_free(&out);
        jsonw_free(&x.w);
        return http_error_from(res, &e);
    }
    /* then its events as they were written */
    JSONW_LIT(&out, ",\"events\":[");
    if (x.w.failed) out.failed = true;
    else jsonw_raw(&out, x.w.p, x.w.n);
    jsonw_free(&x.w);
    JSONW_LIT(&out, "]}");
    return http_json_text(res, 200, &out);
}

typedef struct list_ctx {
    json_t *arr;
    const http_req *req;
    int64_t last, last_due; /* the page's last case, for the next cursor */
    int contacts; /* cases shown with a requester's contact details in full */
} list_ctx;

static int list_one(void *ctx, const case_rec *c) {
    list_ctx *x = ctx;
    json_array_append_new(x->arr, case_for(x->req, c));
    case_due_kind kind;
    x->last = c->id;
    x->last_due = case_next_due(c, &kind);
    x->contacts += auth_sees_contact(x->req->who->role) && (c->requester_phone || c->requester_name);
    return 0;
}

/* Every contact of a page masked, as a unit's clerk sees them. */
static void mask_all(json_t *arr) {
    size_t i;
    json_t *c;
    json_array_foreach(arr, i, c) {
        char out[160];
        const char *v;
        if ((v = json_string_value(json_object_get(c, "requester_name")))) {
            mask_name(v, out, sizeof out);
            json_object_set_new(c, "requester_name", json_string(out));
        }
        if ((v = json_string_value(json_object_get(c, "requester_phone")))) {
            mask_phone(v, out, sizeof out);
            json_object_set_new(c, "requester_phone", json_string(out));
        }
    }
}

/* A page that shows contact details in full is one access-log entry with
 * their count; no entry, no page — except while the database takes no
 * writes (ERR_FULL): then the page is shown with every contact masked, as
 * reading goes on and nothing unlogged is shown. */
static int log_contacts(const http_req *req, const list_ctx *x, http_res *res) {
    char detail[64];
    err e = {0};
    if (!x->contacts) return 0;
    snprintf(detail, sizeof detail, "%d cases with contact details", x->contacts);
    int rc = store_access_log(req->st, req->now, req->who->user_id, req->who->name, "list_contacts", 0, detail, &e);
    if (!rc) return 0;
    if (rc == ERR_FULL) {
        mask_all(x->arr);
        return 0;
    }
    json_decref(x->arr);
    return http_error_from(res, &e);
}

/* A filter naming an unknown code is the query's fault (400); a failed
 * lookup is the database's (errors.c). */
static int bad_reference(http_res *res, const char *field, const err *e) {
    if (e->code != ERR_NOTFOUND) return http_error_from(res, e);
    return http_error(res, 400, "bad_request", field, "%s", e->msg);
}

/* GET /cases?case_no=MZ20261129-0001: the case with that number, as a list
 * of one (or none: unknown, or another unit's). */
static int case_by_number(http_req *req, http_res *res, const char *no) {
    int64_t id;
    case_rec c;
    err e = {0};
    list_ctx x = {json_array(), req, 0, 0, 0};
    int rc = store_case_id_by_no(req->st, no, &id, &e);
    if (!rc) rc = store_case_get_scoped(req->st, id, auth_scope(req->who), &c, &e);
    if (!rc) {
        list_one(&x, &c);
        case_rec_clear(&c);
    }
    if (rc && rc != ERR_NOTFOUND) {
        json_decref(x.arr);
        return http_error_from(res, &e);
    }
    if (log_contacts(req, &x, res)) return res->status;
    return http_json(res, 200, json_pack("{s:o, s:n}", "cases", x.arr, "next_cursor"));
}

/* The index of query parameter `name` in names (NULL-terminated); -1 when
 * absent; -2 after answering 400 for a value not in the list. */
static int query_choice(http_req *req, http_res *res, const char *name,
                        const char *const *names) {
    const char *v = http_query(req, name);
    char want[160] = "";
    if (!v) return -1;
    for (int i = 0; names[i]; i++) {
        if (strcmp(v, names[i]) == 0) return i;
        snprintf(want + strlen(want), sizeof want - strlen(want), "%s%s", i ? ", " : "", names[i]);
    }
    http_error(res, 400, "bad_request", name, "unknown %s '%s' (want one of %s)", name, v, want);
    return -2;
}

int res_case_filter(http_req *req, http_res *res, store_case_filter *out) {
    store_case_filter f = {.status = -1, .channel = -1, .klass = -1, .limit = 50};
    err e = {0};
    const char *v;
    if ((v = http_query(req, "status"))) {
        case_status s;
        if (case_status_parse(v, &s, &e)) return http_error(res, 400, "bad_request", "status", "%s", e.msg);
        f.status = s;
    }
    int64_t scope = auth_scope(req->who);
    if ((v = http_query(req, "unit")) && strcmp(v, "none") == 0) {
        /* the cases no unit leads: the 清零 ledger's 未派单 row */
        if (scope) return http_error(res, 403, "forbidden", "unit", "a handler sees only its own unit's cases");
        f.no_lead = true;
    } else if (v) {
        unit_ref u;
        if (store_unit_find(req->st, v, &u, &e)) return bad_reference(res, "unit", &e);
        f.unit_id = u.id;
    }
    if (scope && f.unit_id && f.unit_id != scope)
        return http_error(res, 403, "forbidden", "unit", "a handler sees only its own unit's cases");
    if (scope) f.unit_id = scope; /* confined in the store query itself */
    int tz = store_env(req->st)->tz;
    if ((v = http_query(req, "overdue_at"))) {
        if (dt_parse_instant(v, tz, &f.overdue_at, &e))
            return http_error(res, 400, "bad_request", "overdue_at", "%s", e.msg);
    }
    if ((v = http_query(req, "overdue"))) {
        if (strcmp(v, "true") != 0)
            return http_error(res, 400, "bad_request", "overdue", "overdue may only be 'true'");
        f.overdue_at = req->now;
    }
    if ((v = http_query(req, "channel"))) {
        case_channel ch;
        if (case_channel_parse(v, &ch, &e)) return http_error(res, 400, "bad_request", "channel", "%s", e.msg);
        f.channel = ch;
    }
    if ((v = http_query(req, "class"))) {
        case_class cl;
        if (case_class_parse(v, &cl, &e)) return http_error(res, 400, "bad_request", "class", "%s", e.msg);
        f.klass = cl;
    }
    unit_ref ref;
    if ((v = http_query(req, "category"))) {
        if (store_category_find(req->st, v, &ref, &e)) return bad_reference(res, "category", &e);
        f.category_id = ref.id;
    }
    if ((v = http_query(req, "township"))) {
        if (store_unit_find(req->st, v, &ref, &e)) return bad_reference(res, "township", &e);
        f.township_id = ref.id;
    }
    /* from/to: received in [from, to); a date means its local midnight */
    if ((v = http_query(req, "from")) && dt_parse_instant(v, tz, &f.received_from, &e))
        return http_error(res, 400, "bad_request", "from", "%s", e.msg);
    if ((v = http_query(req, "to")) && dt_parse_instant(v, tz, &f.received_to, &e))
        return http_error(res, 400, "bad_request", "to", "%s", e.msg);
    if ((v = http_query(req, "text"))) {
        if (!v[0] || strlen(v) > 300)
            return http_error(res, 400, "bad_request", "text", "text must be 1-300 bytes");
        f.text = v;
    }
    static const char *const sorts[] = {"oldest", "newest", "next_due", NULL};
    static const char *const pendings[] = {"extension", "plan", "any", NULL};
    static const char *const deadlines[] = {"dispatch", "accept", "feedback", "resolve", NULL};
    int i;
    static const char *const appeals[] = {"consult", "help", "complaint", "report", "suggestion",
                                           "praise", NULL};
    if ((i = query_choice(req, res, "appeal_type", appeals)) < -1) return res->status;
    f.appeal = i + 1; /* case_appeal: AP_CONSULT.. in this order */
    if ((v = http_query(req, "instructed"))) {
        if (strcmp(v, "true") != 0)
            return http_error(res, 400, "bad_request", "instructed", "instructed may only be 'true'");
        f.instructed = true;
    }
    if ((v = http_query(req, "open"))) { /* the 清零 ledger: not closed yet */
        if (strcmp(v, "true") != 0)
            return http_error(res, 400, "bad_request", "open", "open may only be 'true'");
        f.open_only = true;
    }
    if ((v = http_query(req, "review"))) { /* 申诉复核 of the 回访: pending is the 督查室's queue */
        case_review r;
        if (case_review_parse(v, &r, &e)) return http_error(res, 400, "bad_request", "review", "%s", e.msg);
        f.review = r;
    }
    if ((v = http_query(req, "lead"))) {
        if (strcmp(v, "true") != 0)
            return http_error(res, 400, "bad_request", "lead", "lead may only be 'true'");
        if (!f.unit_id) return http_error(res, 400, "bad_request", "lead", "lead=true needs a unit");
        f.lead_only = true;
    }
    if ((v = http_query(req, "returned"))) {
        if (strcmp(v, "true") != 0)
            return http_error(res, 400, "bad_request", "returned", "returned may only be 'true'");
        f.returned = true;
    }
    if ((i = query_choice(req, res, "sort", sorts)) < -1) return res->status;
    if (i >= 0) f.sort = (store_sort)i;
    if ((i = query_choice(req, res, "pending", pendings)) < -1) return res->status;
    f.pending = (store_pending)(i + 1); /* STORE_PENDING_EXTENSION.. in this order */
    if ((i = query_choice(req, res, "deadline", deadlines)) < -1) return res->status;
    f.next_kind = i + 1; /* case_due_kind + 1, as store_case_filter wants */
    if ((v = http_query(req, "due_before")) && dt_parse_instant(v, tz, &f.due_before, &e))
        return http_error(res, 400, "bad_request", "due_before", "%s", e.msg);
    /* the cursor is the last case's id, and by deadline "DUE.ID" */
    if ((v = http_query(req, "cursor"))) {
        const char *dot = f.sort == STORE_SORT_NEXT_DUE ? strchr(v, '.') : NULL;
        char due[24];
        if (f.sort == STORE_SORT_NEXT_DUE &&
            (!dot || dot == v || (size_t)(dot - v) >= sizeof due))
            return http_error(res, 400, "bad_request", "cursor",
                              "cursor '%.40s' is not one this list gave (sort=next_due)", v);
        if (dot) {
            snprintf(due, sizeof due, "%.*s", (int)(dot - v), v);
            if (http_path_id(due, "cursor", &f.after_due, res)) return res->status;
            v = dot + 1;
        }
        if (http_path_id(v, "cursor", &f.after_id, res)) return res->status;
    }
    if ((v = http_query(req, "limit"))) {
        int64_t n;
        if (http_path_id(v, "limit", &n, res)) return res->status;
        if (n > 200) return http_error(res, 400, "bad_request", "limit", "limit %lld is over 200", (long long)n);
        f.limit = (int)n;
    }
    *out = f;
    return 0;
}

int res_cases_list(http_req *req, http_res *res) {
    store_case_filter f;
    err e = {0};
    const char *v;
    if ((v = http_query(req, "case_no"))) return case_by_number(req, res, v);
    if (res_case_filter(req, res, &f)) return res->status;
    list_ctx x = {json_array(), req, 0, 0, 0};
    if (store_case_list(req->st, &f, list_one, &x, &e)) {
        json_decref(x.arr);
        return http_error_from(res, &e);
    }
    if (log_contacts(req, &x, res)) return res->status;
    json_t *next = json_array_size(x.arr) < (size_t)f.limit ? json_null()
                   : f.sort == STORE_SORT_NEXT_DUE
                       ? json_sprintf("%lld.%lld", (long long)x.last_due, (long long)x.last)
                       : json_sprintf("%lld", (long long)x.last);
    return http_json(res, 200, json_pack("{s:o, s:o}", "cases", x.arr, "next_cursor", next));
}

int res_cases_create(http_req *req, http_res *res) {
    static const http_field fields[] = {
        {"channel", JSON_STRING, true},         {"class", JSON_STRING, true},
        {"title", JSON_STRING, true},           {"description", JSON_STRING, false},
        {"category", JSON_STRING, false},       {"township", JSON_STRING, false},
        {"requester_name", JSON_STRING, false}, {"requester_phone", JSON_STRING, false},
        {"received_at", JSON_STRING, false},    {"confidential", JSON_TRUE, false},
        {"appeal_type", JSON_STRING, false},    {NULL, 0, false}};
    json_t *b = http_body_object(req, res);
    case_rec c = {0};
    err e = {0};
    int status;
    if (!b) return res->status;
    if (http_check_fields(b, fields, res)) goto done;
    const char *v;
    if (case_channel_parse(http_str(b, "channel"), &c.channel, &e) ||
        case_class_parse(http_str(b, "class"), &c.klass, &e) ||
        ((v = http_str(b, "appeal_type")) && case_appeal_parse(v, &c.appeal, &e)) ||
        ((v = http_str(b, "category")) && store_category_find(req->st, v, &c.category, &e)) ||
        ((v = http_str(b, "township")) && store_unit_find(req->st, v, &c.township, &e))) {
        if (e.code == ERR_NOTFOUND) e.code = ERR_INVALID; /* a bad reference in the body */
        http_error_from(res, &e);
        goto done;
    }
    c.received_at = req->now;
    if ((v = http_str(b, "received_at"))) {
        if (dt_parse_instant(v, store_env(req->st)->tz, &c.received_at, &e)) {
            http_error(res, 422, "invalid", "received_at", "%s", e.msg);
            goto done;
        }
        if (case_check_received(c.received_at, req->now, &e)) {
            http_error_from(res, &e);
            goto done;
        }
    }
    const char *key = http_header(req, "Idempotency-Key");
    if (key && (!key[0] || strlen(key) > 200)) {
        http_error(res, 422, "invalid", "Idempotency-Key", "an idempotency key must be 1-200 bytes");
        goto done;
    }
    /* A write job (writer.h), with its own copies of the strings. */
    write_job *j = calloc(1, sizeof *j);
    if (!j) {
        http_error(res, 503, "unavailable", NULL, "out of memory");
        goto done;
    }
    j->kind = WRITE_CREATE;
    j->c = c;
    j->c.title = strdup(http_str(b, "title"));
    j->c.description = (v = http_str(b, "description")) ? strdup(v) : NULL;
    j->c.requester_name = (v = http_str(b, "requester_name")) ? strdup(v) : NULL;
    j->c.requester_phone = (v = http_str(b, "requester_phone")) ? strdup(v) : NULL;
    json_t *cf = json_object_get(b, "confidential");
    j->c.confidential = cf && !json_is_null(cf) ? json_is_true(cf) : case_confidential_default(j->c.channel);
    snprintf(j->actor, sizeof j->actor, "%s", req->who->name);
    snprintf(j->key, sizeof j->key, "%s", key ? key : "");
    j->view = auth_case_view(req->who->role);
    res->job = j;
    res->status = 0;
done:
    status = res->status;
    json_decref(b);
    return status;
}

/* The case and action of the path, if this role may take it: 0, or the
 * refusal (400 id, 404 action, 403). */
static int action_of(http_req *req, http_res *res, int64_t *id, case_action *act) {
    err e = {0};
    if (http_path_id(req->param[0], "id", id, res)) return res->status;
    if (case_action_parse(req->param[1], act, &e))
        return http_error(res, 404, "not_found", "action", "%s", e.msg);
    if (!auth_may_act(req->who->role, *act))
        return http_error(res, 403, "forbidden", "action", "the %s role may not %s a case",
                          auth_role_name(req->who->role), case_action_name(*act));
    return 0;
}

int res_case_act_first(http_req *req, http_res *res) {
    int64_t id;
    case_action act;
    return action_of(req, res, &id, &act);
}

int res_case_act(http_req *req, http_res *res) {
    static const http_field fields[] = {
        {"note", JSON_STRING, false},         {"unit", JSON_STRING, false},
        {"assist", JSON_ARRAY, false},        {"until", JSON_STRING, false},
        {"satisfaction", JSON_STRING, false}, {"solved", JSON_TRUE, false}, {"answer", JSON_STRING, false},
        {"reply", JSON_STRING, false},        {"kb", JSON_INTEGER, false},
        {"into", JSON_INTEGER, false},        {NULL, 0, false}};
    int64_t id;
    case_action act;
    err e = {0};
    if (action_of(req, res, &id, &act)) return res->status;
    json_t *b = req->body_len ? http_body_object(req, res) : json_object();
    if (!b) return res->status;
    case_req r;
    const char *v;
    json_t *assist = json_object_get(b, "assist");
    case_req_init(&r, act, req->now, req->who->name);
    if (http_check_fields(b, fields, res)) goto done;
    r.note = http_str(b, "note");
    r.reply = http_str(b, "reply");
    if ((v = http_str(b, "unit")) && store_unit_find(req->st, v, &r.lead, &e)) goto bad;
    if (json_array_size(assist) > CASE_MAX_ASSIST) {
        http_error(res, 422, "invalid", "assist", "at most %d assisting units", CASE_MAX_ASSIST);
        goto done;
    }
    for (size_t i = 0; i < json_array_size(assist); i++)
        if (store_unit_find(req->st, json_string_value(json_array_get(assist, i)), &r.assist[r.n_assist++], &e))
            goto bad;
    if ((v = http_str(b, "until")) && dt_parse_date(v, &r.until, &e)) goto bad;
    if ((v = http_str(b, "satisfaction")) && case_satisfaction_parse(v, &r.satisfaction, &e)) goto bad;
    if ((v = http_str(b, "answer")) && case_answer_parse(v, &r.answer, &e)) goto bad;
    if (json_is_integer(json_object_get(b, "kb")) &&
        (r.kb_id = json_integer_value(json_object_get(b, "kb"))) < 1) {
        http_error(res, 422, "invalid", "kb", "kb is a 知识库 entry's id, a positive whole number");
        goto done;
    }
    if (json_is_integer(json_object_get(b, "into")))
        r.into = json_integer_value(json_object_get(b, "into")); /* core checks it */
    if (json_is_boolean(json_object_get(b, "solved"))) r.solved = json_is_true(json_object_get(b, "solved"));
    write_job *j = calloc(1, sizeof *j);
    if (!j || (r.note && !(j->note = strdup(r.note))) || (r.reply && !(j->reply = strdup(r.reply)))) {
        write_job_free(j);
        http_error(res, 503, "unavailable", NULL, "out of memory");
        goto done;
    }
    j->kind = WRITE_ACT;
    j->id = id;
    j->user_id = req->who->user_id;
    j->scope = auth_scope(req->who);
    j->view = auth_case_view(req->who->role);
    snprintf(j->actor, sizeof j->actor, "%s", req->who->name);
    j->r = r;
    j->r.actor = j->actor;
    j->r.note = j->note;
    j->r.reply = j->reply;
    res->job = j;
    res->status = 0;
    goto done;
bad:
    if (e.code == ERR_NOTFOUND && strcmp(e.field, "id") != 0) e.code = ERR_INVALID;
    http_error_from(res, &e);
done:
    json_decref(b);
    return res->status;
}

/* GET /cases/duplicates: the operator's review of recent intakes. Each
 * case still waiting to be dispatched, newest first, with the likely
 * duplicates of it received in the last 30 days (by its stored phone and
 * text, as intake shows them while typing); only the cases that have some.
 * The phone is the case's own, not one typed in, so nothing is confirmed to
 * the caller and no phone lookup is counted. */
typedef struct dup_ctx {
    http_req *req;
    json_t *groups;
    list_ctx similar; /* the current case's, emptied for each */
    int64_t self;
    int contacts;
    err e;
} dup_ctx;

static int dup_similar(void *ctx, const case_rec *c) {
    dup_ctx *x = ctx;
    if (c->id == x->self || c->status == ST_MERGED) return 0;
    return list_one(&x->similar, c);
}

static int dup_one(void *ctx, const case_rec *c) {
    dup_ctx *x = ctx;
    char text[512];
    /* title and description, cut to the 300 bytes a search takes, before
     * the character the cut would split (text[n] is the first byte left out) */
    size_t n = (size_t)snprintf(text, sizeof text, "%s %s", c->title ? c->title : "",
                                c->description ? c->description : "");
    if (n > 300) {
        n = 300;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80) n--;
        text[n] = 0;
    }
    x->self = c->id;
    x->similar = (list_ctx){json_array(), x->req, 0, 0, 0};
    int rc = store_case_similar(x->req->st, text, c->requester_phone, x->req->now - 30 * 86400,
                                auth_scope(x->req->who), 6, dup_similar, x, &x->e);
    if (!rc && json_array_size(x->similar.arr)) {
        list_ctx self = {json_array(), x->req, 0, 0, 0};
        list_one(&self, c);
        x->contacts += self.contacts + x->similar.contacts;
        json_array_append_new(x->groups, json_pack("{s:O, s:O}", "case", json_array_get(self.arr, 0),
                                                   "similar", x->similar.arr));
        json_decref(self.arr);
    }
    json_decref(x->similar.arr);
    return rc;
}

int res_cases_duplicates(http_req *req, http_res *res) {
    int64_t limit = 20;
    if (http_query_int(req, res, "limit", 1, 50, &limit)) return res->status;
    store_case_filter f = {.status = ST_RECEIVED, .channel = -1, .klass = -1,
                           .sort = STORE_SORT_NEWEST, .limit = (int)limit,
                           .unit_id = auth_scope(req->who),
                           .received_from = req->now - 30 * 86400};
    dup_ctx x = {.req = req, .groups = json_array()};
    if (store_case_list(req->st, &f, dup_one, &x, &x.e)) {
        json_decref(x.groups);
        return http_error_from(res, &x.e);
    }
    list_ctx logged = {x.groups, req, 0, 0, x.contacts};
    if (log_contacts(req, &logged, res)) return res->status;
    return http_json(res, 200, json_pack("{s:o}", "groups", x.groups));
}

/* A case of a figure's list, with how many times it counts there. */
static int list_counted(void *ctx, const case_rec *c, int64_t times) {
    list_ctx *x = ctx;
    list_one(x, c);
    json_object_set_new(json_array_get(x->arr, json_array_size(x->arr) - 1), "counts_times", json_integer(times));
    return 0;
}

/* GET /stats/cases?unit=&from=&to=&figure=&part=numerator|denominator: the
 * cases behind one of a unit's rates, as GET /stats counts them (a clerk:
 * its own unit's). */
int res_stats_cases(http_req *req, http_res *res) {
    const char *code = http_query(req, "unit"), *part = http_query(req, "part");
    const char *num_name, *den_name;
    int64_t from, to, at = req->now, limit = 200, n = 0;
    int figure;
    unit_ref u;
    err e = {0};
    if (http_query_period(req, res, &from, &to)) return res->status;
    if (met_figure_parse(http_query(req, "figure"), &figure, &num_name, &den_name, &e))
        return http_error(res, 400, "bad_request", "figure", "%s", e.msg);
    if (!part || (strcmp(part, "numerator") && strcmp(part, "denominator")))
        return http_error(res, 400, "bad_request", "part", "part is numerator or denominator");
    if (!code) return http_error(res, 400, "bad_request", "unit", "give the unit's code");
    if (store_unit_find(req->st, code, &u, &e)) return bad_reference(res, "unit", &e);
    if (auth_scope(req->who) && auth_scope(req->who) != u.id)
        return http_error(res, 403, "forbidden", "unit", "a clerk sees its own unit's figures");
    if (http_query_at(req, res, &at)) return res->status;
    if (http_query_int(req, res, "limit", 1, 1000, &limit)) return res->status;
    bool numerator = part[0] == 'n';
    const char *counts = numerator ? num_name : den_name;
    list_ctx x = {json_array(), req, 0, 0, 0};
    if (store_stats_cases(req->st, u.id, from, to, at, figure, numerator, (int)limit, &n, list_counted, &x, &e)) {
        json_decref(x.arr);
        return http_error_from(res, &e);
    }
    if (log_contacts(req, &x, res)) return res->status;
    return http_json(res, 200, json_pack("{s:s, s:s, s:s, s:s, s:I, s:o}", "unit", u.code, "figure",
                                         http_query(req, "figure"), "part", part, "counts", counts, "count",
                                         (json_int_t)n, "cases", x.arr));
}

int res_cases_similar(http_req *req, http_res *res) {
    const char *text = http_query(req, "text"), *phone = http_query(req, "phone");
    err e = {0};
    if ((!text || !text[0]) && (!phone || !phone[0]))
        return http_error(res, 400, "bad_request", "text", "give text=, phone= or both");
    if ((text && strlen(text) > 300) || (phone && strlen(phone) > 32))
        return http_error(res, 400, "bad_request", text && strlen(text) > 300 ? "text" : "phone",
                          "text is at most 300 bytes, phone 32");
    if (phone && phone[0]) {
        /* A number matched against cases confirms it: only for the roles
         * that see numbers anyway, limited per account, and logged. */
        char key[128], retry[24];
        int64_t wait;
        if (!auth_sees_contact(req->who->role))
            return http_error(res, 403, "forbidden", "phone",
                              "matching on a phone number is for the roles that see phone numbers");
        snprintf(key, sizeof key, "rate:phone:%s", req->who->name);
        int rc = auth_rate(req->st, key, PHONE_LOOKUPS_PER_HOUR, 3600, req->now, &wait, &e);
        if (rc == ERR_THROTTLED) {
            snprintf(retry, sizeof retry, "%lld", (long long)wait);
            http_add_header(res, "Retry-After", retry);
        }
        if (rc || store_access_log(req->st, req->now, req->who->user_id, req->who->name,
                                   "phone_lookup", 0, phone, &e))
            return http_error_from(res, &e); /* no log, no answer */
    }
    list_ctx x = {json_array(), req, 0, 0, 0};
    if (store_case_similar(req->st, text, phone, req->now - 30 * 86400, auth_scope(req->who), 10,
                           list_one, &x, &e)) {
        json_decref(x.arr);
        return http_error_from(res, &e);
    }
    if (log_contacts(req, &x, res)) return res->status;
    return http_json(res, 200, json_pack("{s:o}", "cases", x.arr));
}
