/* res_ref: reference data: units, categories, the deadline policy, the
 * calendar; and accounts: users and API tokens (admin). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/case_json.h"
#include "core/holiday.h"
#include "auth/auth_user.h"
#include "http/resources.h"
#include "store/store_json.h"
#include "store/store_report.h"
#include "store/store_ref.h"
#include "store/store_auth.h"
#include "util/datetime.h"

static int add_unit(void *ctx, const store_unit *u) {
    json_array_append_new(ctx, store_unit_json(u));
    return 0;
}

int res_units(http_req *req, http_res *res) {
    json_t *arr = json_array();
    err e = {0};
    if (store_unit_list(req->st, add_unit, arr, &e)) {
        json_decref(arr);
        return http_error_from(res, &e);
    }
    return http_json(res, 200, json_pack("{s:o}", "units", arr));
}

static int add_category(void *ctx, const store_category *c) {
    json_array_append_new(ctx, json_pack("{s:s, s:s, s:o, s:o}", "code", c->ref.code, "name",
                                         c->ref.name, "parent",
                                         c->parent[0] ? json_string(c->parent) : json_null(),
                                         "unit", store_ref_json(&c->unit)));
    return 0;
}

int res_categories(http_req *req, http_res *res) {
    json_t *arr = json_array();
    err e = {0};
    if (store_category_list(req->st, add_category, arr, &e)) {
        json_decref(arr);
        return http_error_from(res, &e);
    }
    return http_json(res, 200, json_pack("{s:o}", "categories", arr));
}

int res_policy(http_req *req, http_res *res) {
    return http_json(res, 200, json_pack("{s:o}", "policy", pol_to_json(store_env(req->st)->pol)));
}

/* PUT /policy/{channel}/{class}/{stage} {"rule": "7 day"} */
int res_policy_set(http_req *req, http_res *res) {
    static const http_field fields[] = {{"rule", JSON_STRING, true}, {NULL, 0, false}};
    case_channel ch;
    case_class cl;
    pol_stage sg;
    pol_rule r;
    err e = {0};
    if (case_channel_parse(req->param[0], &ch, &e) || case_class_parse(req->param[1], &cl, &e) ||
        pol_stage_parse(req->param[2], &sg, &e))
        return http_error(res, 404, "not_found", e.field, "%s", e.msg);
    json_t *b = http_body_object(req, res);
    if (!b) return res->status;
    if (!http_check_fields(b, fields, res)) {
        char detail[128];
        snprintf(detail, sizeof detail, "%.20s/%.20s/%.20s=%.60s", req->param[0], req->param[1], req->param[2],
                 http_str(b, "rule"));
        if (pol_rule_parse(http_str(b, "rule"), &r, &e)) {
            http_error(res, 422, "invalid", "rule", "%s", e.msg);
        } else {
            store_actor who = http_actor(req);
            int rc = store_begin(req->st, &e);
            if (!rc) rc = store_policy_set(req->st, ch, cl, sg, &r, &e);
            if (store_logged_end(req->st, rc, &who, "policy_changed", detail, &e))
                http_error_from(res, &e);
            else
                res_policy(req, res);
        }
    }
    json_decref(b);
    return res->status;
}

typedef struct days_ctx {
    json_t *arr;
    bool provisional;
} days_ctx;

static int add_day(void *ctx, const cal_day *d) {
    char date[11];
    dt_format_date(d->day, date);
    json_array_append_new(((days_ctx *)ctx)->arr, json_pack("{s:s, s:s, s:b}", "date", date, "name",
                                                            d->name, "isOffDay", d->off));
    ((days_ctx *)ctx)->provisional |= d->provisional;
    return 0;
}

int res_calendar(http_req *req, http_res *res) {
    const char *y = http_query(req, "year");
    char *end;
    long year = y ? strtol(y, &end, 10) : 0;
    if (!y || *end || year < CAL_YEAR_MIN || year > CAL_YEAR_MAX)
        return http_error(res, 400, "bad_request", "year", "give ?year= between %d and %d",
                          CAL_YEAR_MIN, CAL_YEAR_MAX);
    days_ctx x = {.arr = json_array()};
    err e = {0};
    if (store_calendar_days(req->st, (int)year, add_day, &x, &e)) {
        json_decref(x.arr);
        return http_error_from(res, &e);
    }
    /* The holiday-cn shape, so what is read can be imported elsewhere; a year
     * not imported says it is provisional (its statutory days only, by the
     * law cited: the notice adds bridging days and 调休) and so cannot be. */
    json_t *o = json_pack("{s:i, s:o}", "year", (int)year, "days", x.arr);
    if (x.provisional) {
        json_object_set_new(o, "provisional", json_true());
        json_object_set_new(o, "basis", json_string(hol_law((int)year)));
    }
    return http_json(res, 200, o);
}

/* POST /calendar: a year in the holiday-cn format replaces that year. */
int res_calendar_import(http_req *req, http_res *res) {
    cal_year y;
    err e = {0};
    if (cal_year_parse(req->body ? req->body : "", req->body_len, &y, &e))
        return http_error(res, strcmp(e.field, "json") == 0 ? 400 : 422,
                          strcmp(e.field, "json") == 0 ? "malformed_json" : "invalid", e.field, "%s",
                          e.msg);
    size_t recomputed = 0;
    int off = 0;
    for (size_t i = 0; i < y.n; i++) off += y.days[i].off;
    int year = y.year, n = (int)y.n;
    char detail[64];
    snprintf(detail, sizeof detail, "%d: %d days off of %d", year, off, n);
    store_actor who = http_actor(req);
    int rc = store_begin(req->st, &e);
    if (!rc) rc = store_calendar_import(req->st, &y, req->who->name, req->now, &recomputed, &e);
    rc = store_logged_end(req->st, rc, &who, "calendar_imported", detail, &e);
    cal_year_clear(&y);
    if (rc) return http_error_from(res, &e);
    /* recomputed: the open cases whose provisional deadlines were counted again */
    return http_json(res, 200, json_pack("{s:i, s:i, s:i, s:I}", "year", year, "off_days", off,
                                         "work_days", n - off, "recomputed",
                                         (json_int_t)recomputed));
}

static json_t *user_json(const store_user *u) {
    return json_pack("{s:s, s:s, s:s, s:o, s:b, s:b}", "username", u->username, "display_name",
                     u->display_name, "role", u->role, "unit", store_ref_json(&u->unit), "disabled",
                     u->disabled, "must_change_password", u->must_change);
}

static int add_user(void *ctx, const store_user *u) {
    json_array_append_new(ctx, user_json(u));
    return 0;
}

int res_users(http_req *req, http_res *res) {
    json_t *arr = json_array();
    err e = {0};
    if (store_user_list(req->st, add_user, arr, &e)) {
        json_decref(arr);
        return http_error_from(res, &e);
    }
    return http_json(res, 200, json_pack("{s:o}", "users", arr));
}

int res_users_create(http_req *req, http_res *res) {
    static const http_field fields[] = {
        {"username", JSON_STRING, true}, {"role", JSON_STRING, true},
        {"password", JSON_STRING, true}, {"display_name", JSON_STRING, false},
        {"unit", JSON_STRING, false},    {NULL, 0, false}};
    json_t *b = http_body_object(req, res);
    store_user u;
    err e = {0};
    if (!b) return res->status;
    if (http_check_fields(b, fields, res)) goto done;
    store_actor who = http_actor(req);
    auth_user_new n = {http_str(b, "username"), http_str(b, "role"), http_str(b, "unit"),
                       http_str(b, "display_name"), http_str(b, "password"), false};
    if (auth_user_create(req->st, &who, req->who, &n, &u, &e)) http_error_from(res, &e);
    else http_json(res, 201, user_json(&u));
done:
    json_decref(b);
    return res->status;
}

/* PUT /users/{username}/disabled {disabled}: a disabled account's sessions
 * end and its API tokens are revoked at once (store_user_set_disabled). */
int res_user_disable(http_req *req, http_res *res) {
    static const http_field fields[] = {{"disabled", JSON_TRUE, true}, {NULL, 0, false}};
    json_t *b = http_body_object(req, res);
    err e = {0};
    store_user u;
    if (!b) return res->status;
    if (http_check_fields(b, fields, res)) goto done;
    store_actor who = http_actor(req);
    if (auth_user_set_disabled(req->st, &who, req->who, req->param[0], json_is_true(json_object_get(b, "disabled")), &u, &e))
        http_error_from(res, &e);
    else
        http_json(res, 200, user_json(&u));
done:
    json_decref(b);
    return res->status;
}

/* PUT /users/{username}/password {password}: an administrator sets a new
 * one (held to the same strength rule); the user's sessions end. */
int res_user_password(http_req *req, http_res *res) {
    static const http_field fields[] = {{"password", JSON_STRING, true}, {NULL, 0, false}};
    json_t *b = http_body_object(req, res);
    err e = {0};
    store_user u;
    if (!b) return res->status;
    if (http_check_fields(b, fields, res)) goto done;
    store_actor who = http_actor(req);
    if (auth_user_reset_password(req->st, &who, req->who, req->param[0], http_str(b, "password"), false, &u, &e))
        http_error_from(res, &e);
    else
        http_json(res, 200, user_json(&u));
done:
    json_decref(b);
    return res->status;
}

/* PUT /users/{username}/role {role, unit?}: the user's sessions end, so the
 * new role holds from their next sign-in. */
int res_user_role(http_req *req, http_res *res) {
    static const http_field fields[] = {{"role", JSON_STRING, true}, {"unit", JSON_STRING, false},
                                        {NULL, 0, false}};
    json_t *b = http_body_object(req, res);
    store_user u;
    err e = {0};
    if (!b) return res->status;
    if (http_check_fields(b, fields, res)) goto done;
    store_actor who = http_actor(req);
    if (auth_user_set_role(req->st, &who, req->who, req->param[0], http_str(b, "role"), http_str(b, "unit"), &u, &e))
        http_error_from(res, &e);
    else
        http_json(res, 200, user_json(&u));
done:
    json_decref(b);
    return res->status;
}

int res_tokens_create(http_req *req, http_res *res) {
    static const http_field fields[] = {{"name", JSON_STRING, true}, {"role", JSON_STRING, true},
                                        {"unit", JSON_STRING, false}, {NULL, 0, false}};
    json_t *b = http_body_object(req, res);
    auth_role role;
    char token[AUTH_SECRET_HEX];
    int64_t id;
    err e = {0};
    if (!b) return res->status;
    if (!http_check_fields(b, fields, res)) {
        store_actor who = http_actor(req);
        char detail[160];
        int rc = auth_role_parse(http_str(b, "role"), &role, &e);
        if (!rc && !(rc = store_begin(req->st, &e))) {
            rc = auth_token_create(req->st, http_str(b, "name"), role, http_str(b, "unit"), req->who,
                                   req->now, token, &id, &e);
            snprintf(detail, sizeof detail, "%lld %.60s role=%s", rc ? 0LL : (long long)id, http_str(b, "name"),
                     auth_role_name(role));
            rc = store_logged_end(req->st, rc, &who, "token_issued", detail, &e);
        }
        if (rc) {
            if (e.code == ERR_NOTFOUND) e.code = ERR_INVALID;
            http_error_from(res, &e);
        } else {
            /* The secret is shown this once; only its hash is kept. */
            http_json(res, 201, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "name",
                                          http_str(b, "name"), "role", auth_role_name(role),
                                          "token", token));
        }
    }
    json_decref(b);
    return res->status;
}

static int add_token(void *ctx, const store_token *t) {
    http_req *req = ((void **)ctx)[1];
    json_array_append_new(((void **)ctx)[0],
                          json_pack("{s:I, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)t->id, "name",
                                    t->name, "role", t->role, "unit", store_ref_json(&t->unit),
                                    "created_at", case_time_json(t->created_at, store_env(req->st)->tz),
                                    "revoked_at", t->revoked_at ? case_time_json(t->revoked_at, store_env(req->st)->tz)
                                                                : json_null()));
    return 0;
}

int res_tokens(http_req *req, http_res *res) {
    json_t *arr = json_array();
    void *ctx[2] = {arr, req};
    err e = {0};
    if (store_token_list(req->st, add_token, ctx, &e)) {
        json_decref(arr);
        return http_error_from(res, &e);
    }
    return http_json(res, 200, json_pack("{s:o}", "tokens", arr));
}

/* POST /units {code, name, kind, parent} */
int res_units_create(http_req *req, http_res *res) {
    static const http_field fields[] = {{"code", JSON_STRING, true}, {"name", JSON_STRING, true},
                                        {"kind", JSON_STRING, true}, {"parent", JSON_STRING, false},
                                        {NULL, 0, false}};
    json_t *b = http_body_object(req, res);
    unit_kind kind;
    err e = {0};
    if (!b) return res->status;
    if (!http_check_fields(b, fields, res)) {
        if (unit_kind_parse(http_str(b, "kind"), &kind, &e) ||
            store_unit_add(req->st, http_str(b, "code"), http_str(b, "name"), kind, http_str(b, "parent"),
                           req->now, NULL, &e)) {
            if (e.code == ERR_NOTFOUND) e.code = ERR_INVALID; /* an unknown parent */
            http_error_from(res, &e);
        } else {
            http_json(res, 201, json_pack("{s:s, s:s, s:s, s:s?}", "code", http_str(b, "code"), "name",
                                          http_str(b, "name"), "kind", unit_kind_name(kind), "parent",
                                          http_str(b, "parent")));
        }
    }
    json_decref(b);
    return res->status;
}

/* POST /categories {code, name, parent, unit} */
int res_categories_create(http_req *req, http_res *res) {
    static const http_field fields[] = {{"code", JSON_STRING, true}, {"name", JSON_STRING, true},
                                        {"parent", JSON_STRING, false}, {"unit", JSON_STRING, false},
                                        {NULL, 0, false}};
    json_t *b = http_body_object(req, res);
    err e = {0};
    if (!b) return res->status;
    if (!http_check_fields(b, fields, res)) {
        if (store_category_add(req->st, http_str(b, "code"), http_str(b, "name"), http_str(b, "parent"),
                               http_str(b, "unit"), NULL, &e)) {
            if (e.code == ERR_NOTFOUND) e.code = ERR_INVALID;
            http_error_from(res, &e);
        } else {
            http_json(res, 201, json_pack("{s:s, s:s, s:s?, s:s?}", "code", http_str(b, "code"), "name",
                                          http_str(b, "name"), "parent", http_str(b, "parent"), "unit",
                                          http_str(b, "unit")));
        }
    }
    json_decref(b);
    return res->status;
}

/* The role of token ctx->id, when there is one (tokens are few). */
struct token_role {
    int64_t id;
    char role[16];
};

static int find_token(void *ctx, const store_token *t) {
    struct token_role *x = ctx;
    if (t->id == x->id) snprintf(x->role, sizeof x->role, "%s", t->role);
    return 0;
}

int res_token_revoke(http_req *req, http_res *res) {
    int64_t id;
    err e = {0};
    if (http_path_id(req->param[0], "id", &id, res)) return res->status;
    /* 三员分立: an administrator's token is the command line's to revoke, as
     * their accounts are */
    struct token_role t = {id, ""};
    auth_role r;
    if (store_token_list(req->st, find_token, &t, &e)) return http_error_from(res, &e);
    if (t.role[0] && !auth_role_parse(t.role, &r, NULL) && !auth_may_grant(req->who, r))
        return http_error(res, 403, "forbidden", "role", "the %s role's tokens are revoked only on the server's command line",
                          t.role);
    char detail[24];
    snprintf(detail, sizeof detail, "%lld", (long long)id);
    store_actor who = http_actor(req);
    int rc = store_begin(req->st, &e);
    if (!rc) rc = store_token_revoke(req->st, id, req->now, &e);
    if (store_logged_end(req->st, rc, &who, "token_revoked", detail, &e)) return http_error_from(res, &e);
    return http_json(res, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "revoked", 1));
}

/* ---- reply templates: read by everyone who writes on cases, kept by the
 * administrator ---- */

static int add_template(void *ctx, const ref_template *t) {
    json_array_append_new(ctx, json_pack("{s:I, s:o, s:s, s:s}", "id", (json_int_t)t->id, "category",
                                         store_ref_json(&t->category), "title", t->title, "body",
                                         t->body));
    return 0;
}

/* GET /reply-templates?category=CODE: that category's (and its parents',
 * and those for every category), its own first; without: every template. */
int res_templates(http_req *req, http_res *res) {
    const char *code = http_query(req, "category");
    unit_ref cat = {0};
    err e = {0};
    if (code && code[0] && store_category_find(req->st, code, &cat, &e))
        return http_error(res, 400, "bad_request", "category", "no category '%s'", code);
    json_t *arr = json_array();
    if (store_template_list(req->st, cat.id, add_template, arr, &e)) {
        json_decref(arr);
        return http_error_from(res, &e);
    }
    return http_json(res, 200, json_pack("{s:o}", "templates", arr));
}

static int put_template(http_req *req, http_res *res, int64_t id) {
    static const http_field fields[] = {{"title", JSON_STRING, true}, {"body", JSON_STRING, true},
                                        {"category", JSON_STRING, false}, {NULL, 0, false}};
    json_t *b = http_body_object(req, res);
    err e = {0};
    if (!b) return res->status;
    if (!http_check_fields(b, fields, res)) {
        ref_template t = {.id = id, .title = http_str(b, "title"), .body = http_str(b, "body")};
        const char *cat = http_str(b, "category");
        snprintf(t.category.code, sizeof t.category.code, "%s", cat ? cat : "");
        if (store_template_put(req->st, &t, req->who->name, req->now, &e))
            http_error_from(res, &e);
        else
            http_json(res, id ? 200 : 201, json_pack("{s:I, s:o, s:s, s:s}", "id", (json_int_t)t.id,
                                                     "category", store_ref_json(&t.category), "title",
                                                     t.title, "body", t.body));
    }
    json_decref(b);
    return res->status;
}

int res_templates_create(http_req *req, http_res *res) { return put_template(req, res, 0); }

int res_templates_update(http_req *req, http_res *res) {
    int64_t id;
    if (http_path_id(req->param[0], "id", &id, res)) return res->status;
    return put_template(req, res, id);
}

int res_templates_delete(http_req *req, http_res *res) {
    int64_t id;
    err e = {0};
    if (http_path_id(req->param[0], "id", &id, res)) return res->status;
    if (store_template_delete(req->st, id, &e)) return http_error_from(res, &e);
    return http_json(res, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "deleted", 1));
}

/* ---- a category's attributes (Open311 service attributes), its name and unit ---- */

static int add_attribute(void *ctx, const ref_attribute *a) {
    json_t *values = json_array();
    for (int i = 0; i < a->n_choices; i++)
        json_array_append_new(values, json_pack("{s:s, s:s}", "key", a->choice_key[i], "name",
                                                a->choice_name[i]));
    json_array_append_new(ctx, json_pack("{s:s, s:s, s:b, s:s, s:i, s:o}", "code", a->code, "datatype",
                                         a->datatype, "required", a->required, "description",
                                         a->description, "order", a->order, "values", values));
    return 0;
}

/* GET /categories/{code}/attributes */
int res_attributes(http_req *req, http_res *res) {
    unit_ref cat;
    err e = {0};
    json_t *arr = json_array();
    if (store_category_find(req->st, req->param[0], &cat, &e) ||
        store_attribute_list(req->st, req->param[0], add_attribute, arr, &e)) {
        json_decref(arr);
        return http_error_from(res, &e);
    }
    return http_json(res, 200, json_pack("{s:s, s:o}", "category", req->param[0], "attributes", arr));
}

/* A text into a fixed field, or 422 naming it when it does not fit. */
static int copy_field(char *dst, size_t cap, const char *v, const char *field, http_res *res) {
    if (v && strlen(v) >= cap)
        return http_error(res, 422, "invalid", field, "'%s' is longer than %zu bytes", field, cap - 1);
    snprintf(dst, cap, "%s", v ? v : "");
    return 0;
}

/* The choices of a value list: [{key, name}], at most REF_MAX_CHOICES. */
static int read_values(json_t *values, ref_attribute *a, http_res *res) {
    size_t i;
    json_t *it;
    if (!values || json_is_null(values)) return 0;
    if (!json_is_array(values) || json_array_size(values) > REF_MAX_CHOICES)
        return http_error(res, 422, "invalid", "values", "'values' must be a list of at most %d {key, name}",
                          REF_MAX_CHOICES);
    json_array_foreach(values, i, it) {
        const char *k = json_string_value(json_object_get(it, "key")),
                   *n = json_string_value(json_object_get(it, "name"));
        if (!json_is_object(it) || json_object_size(it) != 2 || !k || !n || !n[0])
            return http_error(res, 422, "invalid", "values", "value %zu must be {key, name}, both text",
                              i + 1);
        if (copy_field(a->choice_key[i], sizeof a->choice_key[0], k, "values", res) ||
            copy_field(a->choice_name[i], sizeof a->choice_name[0], n, "values", res))
            return res->status;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(a->choice_key[j], a->choice_key[i]))
                return http_error(res, 422, "invalid", "values", "value key '%s' is given twice", k);
    }
    a->n_choices = (int)json_array_size(values);
    return 0;
}

/* PUT /categories/{code}/attributes/{attr} {datatype, description, required, values} */
int res_attribute_put(http_req *req, http_res *res) {
    static const http_field fields[] = {{"datatype", JSON_STRING, true}, {"description", JSON_STRING, true},
                                        {"required", JSON_TRUE, false}, {NULL, 0, false}};
    json_t *b = http_body_object(req, res), *values = NULL;
    ref_attribute a = {0};
    bool created = false;
    err e = {0};
    if (!b) return res->status;
    /* a list of objects, which the field table does not describe */
    if ((values = json_object_get(b, "values"))) {
        json_incref(values);
        json_object_del(b, "values");
    }
    if (http_check_fields(b, fields, res) || read_values(values, &a, res) ||
        copy_field(a.code, sizeof a.code, req->param[1], "attribute", res) ||
        copy_field(a.datatype, sizeof a.datatype, http_str(b, "datatype"), "datatype", res) ||
        copy_field(a.description, sizeof a.description, http_str(b, "description"), "description", res))
        goto done;
    a.required = json_is_true(json_object_get(b, "required"));
    if (store_attribute_put(req->st, req->param[0], &a, true, &created, &e)) {
        http_error_from(res, &e);
        goto done;
    }
    json_t *out = json_array();
    add_attribute(out, &a);
    http_json(res, created ? 201 : 200, json_incref(json_array_get(out, 0)));
    json_decref(out);
done:
    json_decref(values);
    json_decref(b);
    return res->status;
}

/* DELETE /categories/{code}/attributes/{attr}: cases keep what they answered */
int res_attribute_delete(http_req *req, http_res *res) {
    err e = {0};
    if (store_attribute_delete(req->st, req->param[0], req->param[1], &e)) return http_error_from(res, &e);
    return http_json(res, 200, json_pack("{s:s, s:s, s:b}", "category", req->param[0], "code",
                                         req->param[1], "deleted", 1));
}

/* PATCH /units/{code} {name}: a unit renamed keeps its code, cases and figures */
int res_unit_update(http_req *req, http_res *res) {
    static const http_field fields[] = {{"name", JSON_STRING, true}, {NULL, 0, false}};
    json_t *b = http_body_object(req, res);
    err e = {0};
    if (!b) return res->status;
    if (!http_check_fields(b, fields, res)) {
        if (store_unit_rename(req->st, req->param[0], http_str(b, "name"), &e))
            http_error_from(res, &e);
        else
            http_json(res, 200, json_pack("{s:s, s:s}", "code", req->param[0], "name", http_str(b, "name")));
    }
    json_decref(b);
    return res->status;
}

/* The category `code` as GET /categories lists it (the list is short). */
typedef struct one_category { const char *code; json_t *arr; } one_category;
static int pick_category(void *ctx, const store_category *c) {
    one_category *x = ctx;
    return strcmp(c->ref.code, x->code) == 0 ? add_category(x->arr, c) : 0;
}
static int res_categories_one(http_req *req, http_res *res, const char *code) {
    one_category x = {code, json_array()};
    err e = {0};
    if (store_category_list(req->st, pick_category, &x, &e)) {
        json_decref(x.arr);
        return http_error_from(res, &e);
    }
    int rc = http_json(res, 200, json_incref(json_array_get(x.arr, 0)));
    json_decref(x.arr);
    return rc;
}

/* PATCH /categories/{code} {name, unit}: unit "" for none */
int res_category_update(http_req *req, http_res *res) {
    static const http_field fields[] = {{"name", JSON_STRING, false}, {"unit", JSON_STRING, false},
                                        {NULL, 0, false}};
    json_t *b = http_body_object(req, res);
    err e = {0};
    if (!b) return res->status;
    if (!http_check_fields(b, fields, res)) {
        if (store_category_update(req->st, req->param[0], http_str(b, "name"), http_str(b, "unit"), &e)) {
            if (e.code == ERR_NOTFOUND && strcmp(e.field, "unit") == 0) e.code = ERR_INVALID;
            http_error_from(res, &e);
        } else {
            res_categories_one(req, res, req->param[0]);
        }
    }
    json_decref(b);
    return res->status;
}

/* The settings an administrator keeps from the browser (the rest: `duban
 * config`): weights and rules of the 通报, hot spots, proposals, and the
 * webhook. */
static const char *const kept[] = {"rank_min_dispatched", "report_cutoff_days", "hotspot_rule",
                                   "proposal_redo_days", "appraisal_weights", "site_url", "webhook_url",
                                   "webhook_secret", "webhook_hours", "webhook_repeat_minutes",
                                   "webhook_retry_seconds", NULL};

/* GET /config: each kept setting's value ("" when unset); the secret only
 * as whether it is set. */
int res_config(http_req *req, http_res *res) {
    /* what is in force while a setting was never set */
    static const char *const defaults[][2] = {{"appraisal_weights", "40/15/15/15/15"},
                                              {"hotspot_rule", "5/0.01"}, {"rank_min_dispatched", "10"},
                                              {"report_cutoff_days", "3"}};
    json_t *o = json_object();
    for (const char *const *k = kept; *k; k++) {
        char v[512] = "";
        if (store_config_get(req->st, *k, v, sizeof v, NULL) || !v[0])
            for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++)
                if (!strcmp(defaults[i][0], *k)) snprintf(v, sizeof v, "%s", defaults[i][1]);
        if (!strcmp(*k, "webhook_secret")) json_object_set_new(o, *k, json_boolean(v[0] != '\0'));
        else json_object_set_new(o, *k, json_string(v));
    }
    http_add_header(res, "Cache-Control", "no-store");
    return http_json(res, 200, json_pack("{s:o}", "config", o));
}

/* PUT /config/{key} {value}: one of them, checked, kept, and written to the
 * access log (a secret as "(set)"). Published 通报 keep the weights they
 * were made with. */
int res_config_set(http_req *req, http_res *res) {
    const char *const *keys = kept;
    static const http_field fields[] = {{"value", JSON_STRING, true}, {NULL, 0, false}};
    const char *key = req->param[0];
    size_t k = 0;
    while (keys[k] && strcmp(keys[k], key) != 0) k++;
    if (!keys[k])
        return http_error(res, 404, "not_found", "key", "'%.40s' is not a setting kept here (the composite's"
                          " weights are a 考核 scheme: PUT /api/v1/schemes/{year}; rank_min_dispatched, report_cutoff_days, hotspot_rule, proposal_redo_days, appraisal_weights, site_url, webhook_url,"
                          " webhook_secret, webhook_hours, webhook_repeat_minutes, webhook_retry_seconds)", key);
    json_t *b = http_body_object(req, res);
    err e = {0};
    if (!b) return res->status;
    if (!http_check_fields(b, fields, res)) {
        char detail[128]; /* key and value: ASCII once the value is accepted; a secret not */
        bool secret = !strcmp(key, "webhook_secret");
        snprintf(detail, sizeof detail, "%.40s=%.60s", key, secret ? "(set)" : http_str(b, "value"));
        store_actor who = http_actor(req);
        int rc = store_begin(req->st, &e);
        if (!rc) rc = store_config_set(req->st, key, http_str(b, "value"), req->now, &e);
        if (store_logged_end(req->st, rc, &who, "config_changed", detail, &e))
            http_error_from(res, &e);
        else
            http_json(res, 200, json_pack("{s:s, s:s}", "key", key, "value", secret ? "(set)" : http_str(b, "value")));
    }
    json_decref(b);
    return res->status;
}

/* ---- 考核 schemes ---- */

typedef struct scheme_list {
    json_t *arr;
} scheme_list;

static int one_scheme(void *ctx, int year, int64_t set_at, const char *actor, const scheme *sch) {
    scheme_list *l = ctx;
    json_array_append_new(l->arr, json_pack("{s:i, s:I, s:s?, s:o}", "year", year, "set_at", (json_int_t)set_at,
                                            "by", actor, "scheme", sch_to_json(sch)));
    return 0;
}

/* GET /schemes: the presets with their sources, every scheme set (by year,
 * as set), and the one in force now for this year. */
int res_schemes(http_req *req, http_res *res) {
    json_t *presets = json_array();
    for (int i = 0; i < sch_n_presets; i++) json_array_append_new(presets, sch_to_json(&sch_presets[i].s));
    scheme_list l = {json_array()};
    scheme now;
    err e = {0};
    if (store_scheme_list(req->st, one_scheme, &l, &e) || store_scheme_at(req->st, req->now, req->now, &now, &e)) {
        json_decref(presets);
        json_decref(l.arr);
        return http_error_from(res, &e);
    }
    return http_json(res, 200, json_pack("{s:o, s:o, s:o}", "presets", presets, "set", l.arr, "in_force",
                                         sch_to_json(&now)));
}

/* PUT /schemes/{year} {"preset": NAME} or {terms, adjust, min_obs}: the
 * scheme from that year on (0: every year), kept with the moment it was
 * set (a figure as of an earlier moment keeps the scheme it had), and
 * written to the access log. */
int res_scheme_set(http_req *req, http_res *res) {
    char *end;
    long year = strtol(req->param[0], &end, 10);
    if (*end || end == req->param[0] || year < 0 || year > 9999 || (year > 0 && year < 2000))
        return http_error(res, 400, "bad_request", "year", "year is 0 (every year) or from 2000 to 9999");
    json_t *b = http_body_object(req, res);
    if (!b) return res->status;
    scheme sch;
    err e = {0};
    if (sch_from_json(b, &sch, &e)) {
        json_decref(b);
        return http_error(res, 422, "invalid", e.field, "%s", e.msg);
    }
    json_decref(b);
    char detail[64];
    snprintf(detail, sizeof detail, "year=%ld scheme=%s", year, sch.name);
    store_actor who = http_actor(req);
    int rc = store_begin(req->st, &e);
    if (!rc) rc = store_scheme_set(req->st, (int)year, &sch, req->now, req->who->name, &e);
    if (store_logged_end(req->st, rc, &who, "scheme_set", detail, &e)) return http_error_from(res, &e);
    return http_json(res, 200, json_pack("{s:i, s:o}", "year", (int)year, "scheme", sch_to_json(&sch)));
}
