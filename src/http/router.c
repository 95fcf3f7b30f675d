/* router: the route table, matching, and authentication. A pattern's
 * "{name}" segments capture one segment each (in order, into req->param).
 * Each route names the roles that may call it (0: anyone). The principal
 * comes from "Authorization: Bearer TOKEN" or the session cookie; a write
 * through the cookie must also carry the session's X-CSRF-Token.
 * http_admit makes the same checks on a request's headers, so that a body
 * is read only for someone who may send it. */
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "http/resources.h"
#include "store/store_auth.h"
#include "util/mutant.h"
#include "util/text.h"

#define R(x) (1u << (x))
#define ANYONE 0u
#define SIGNED_IN ((R(ROLE_COUNT) - 1) & ~R(ROLE_NONE))
#define CASE_READERS (R(ROLE_OPERATOR) | R(ROLE_DISPATCHER) | R(ROLE_HANDLER) | R(ROLE_LEADER))
#define INTAKE (R(ROLE_OPERATOR) | R(ROLE_DISPATCHER))
/* which action each may take is auth_may_act's table; a leader's is the 批示 */
#define CASE_ACTORS (R(ROLE_OPERATOR) | R(ROLE_DISPATCHER) | R(ROLE_HANDLER) | R(ROLE_LEADER))
#define SUPERVISORS (R(ROLE_DISPATCHER) | R(ROLE_LEADER) | R(ROLE_HANDLER))
#define KB_KEEPERS (INTAKE | R(ROLE_HANDLER)) /* a clerk: its own unit's entries */
#define ADMIN R(ROLE_ADMIN)
#define AUDITOR R(ROLE_AUDITOR)
#define SECURITY R(ROLE_SECURITY) /* 三员分立: accounts apart from configuration and logs */
/* not a role: a route open while a password set by someone else is still
 * to be changed (auth_principal.must_change) */
#define FIRST (1u << 31)
_Static_assert(ROLE_COUNT < 31, "the roles and FIRST share a mask");

static const struct route {
    const char *method;
    const char *pattern;
    http_handler handler;
    unsigned roles;
} routes[] = {
    {"GET", "/api/v1/health", res_health, ANYONE},
    {"GET", "/api/v1/openapi.yaml", res_openapi, ANYONE},
    {"POST", "/api/v1/auth/login", res_login, ANYONE},
    {"POST", "/api/v1/auth/logout", res_logout, SIGNED_IN | FIRST},
    {"GET", "/api/v1/me", res_me, SIGNED_IN | FIRST},
    {"POST", "/api/v1/me/password", res_password, SIGNED_IN | FIRST},
    {"GET", "/api/v1/cases", res_cases_list, CASE_READERS},
    {"POST", "/api/v1/cases", res_cases_create, INTAKE},
    {"GET", "/api/v1/cases/similar", res_cases_similar, CASE_READERS}, /* before {id} */
    {"GET", "/api/v1/cases/duplicates", res_cases_duplicates, INTAKE},
    {"POST", "/api/v1/cases/export", res_cases_export, CASE_READERS},
    {"GET", "/api/v1/exports/{id}", res_export_get, CASE_READERS},
    {"GET", "/api/v1/exports/{id}/file", res_export_file, CASE_READERS},
    {"GET", "/api/v1/cases/{id}", res_case_get, CASE_READERS},
    {"POST", "/api/v1/cases/{id}/actions/{action}", res_case_act, CASE_ACTORS},
    {"POST", "/api/v1/cases/{id}/reveal", res_reveal, CASE_READERS},
    {"GET", "/api/v1/cases/{id}/sheet", res_case_sheet, CASE_READERS},
    {"GET", "/api/v1/cases/{id}/attachments", res_files_list, CASE_READERS},
    {"POST", "/api/v1/cases/{id}/attachments", res_files_add,
     INTAKE | R(ROLE_HANDLER)},
    {"GET", "/api/v1/cases/{id}/attachments/{attachment}", res_files_get, CASE_READERS},
    {"POST", "/api/v1/cases/{id}/attachments/{attachment}/publish", res_files_publish,
     R(ROLE_DISPATCHER)},
    {"GET", "/api/v1/public/attachments/{id}", res_files_public, ANYONE},
    {"GET", "/api/v1/public/points/{code}", res_public_point, ANYONE},
    {"POST", "/api/v1/public/points/{code}/evaluations", res_public_evaluate, ANYONE},
    {"GET", "/api/v1/public/track/{case_no}", res_public_track, ANYONE},
    {"GET", "/api/v1/service-points", res_points_list, ADMIN | SUPERVISORS},
    {"POST", "/api/v1/service-points", res_points_create, ADMIN},
    {"PUT", "/api/v1/service-points/{id}", res_points_update, ADMIN},
    {"GET", "/api/v1/service-points/{id}/qr", res_points_qr, ADMIN | SUPERVISORS},
    {"GET", "/api/v1/service-points/{id}/poster", res_points_poster, ADMIN | SUPERVISORS},
    {"GET", "/api/v1/evaluations/stats", res_eval_stats, SUPERVISORS},
    {"GET", "/api/v1/evaluations", res_evals, SUPERVISORS},
    {"POST", "/api/v1/evaluations/{id}/review", res_eval_review, R(ROLE_HANDLER)},
    {"POST", "/api/v1/evaluations/{id}/decision", res_eval_decide, R(ROLE_DISPATCHER)},
    {"POST", "/api/v1/evaluations/{id}/hold", res_eval_hold, R(ROLE_DISPATCHER)},
    {"GET", "/api/v1/kb", res_kb_list, CASE_READERS},
    {"POST", "/api/v1/kb", res_kb_create, KB_KEEPERS},
    {"GET", "/api/v1/kb/{id}", res_kb_get, CASE_READERS},
    {"PUT", "/api/v1/kb/{id}", res_kb_update, KB_KEEPERS},
    {"DELETE", "/api/v1/kb/{id}", res_kb_delete, KB_KEEPERS},
    {"GET", "/api/v1/units", res_units, SIGNED_IN},
    {"POST", "/api/v1/units", res_units_create, ADMIN},
    {"PATCH", "/api/v1/units/{code}", res_unit_update, ADMIN},
    {"GET", "/api/v1/config", res_config, ADMIN},
    {"PUT", "/api/v1/config/{key}", res_config_set, ADMIN},
    {"GET", "/api/v1/schemes", res_schemes, ADMIN | SUPERVISORS},
    {"PUT", "/api/v1/schemes/{year}", res_scheme_set, ADMIN},
    {"GET", "/api/v1/outbox", res_outbox, ADMIN},
    {"GET", "/api/v1/categories", res_categories, SIGNED_IN},
    {"POST", "/api/v1/categories", res_categories_create, ADMIN},
    {"PATCH", "/api/v1/categories/{code}", res_category_update, ADMIN},
    {"GET", "/api/v1/categories/{code}/attributes", res_attributes, SIGNED_IN},
    {"PUT", "/api/v1/categories/{code}/attributes/{attr}", res_attribute_put, ADMIN},
    {"DELETE", "/api/v1/categories/{code}/attributes/{attr}", res_attribute_delete, ADMIN},
    {"GET", "/api/v1/reply-templates", res_templates, CASE_READERS | ADMIN},
    {"POST", "/api/v1/reply-templates", res_templates_create, ADMIN},
    {"PUT", "/api/v1/reply-templates/{id}", res_templates_update, ADMIN},
    {"DELETE", "/api/v1/reply-templates/{id}", res_templates_delete, ADMIN},
    {"GET", "/api/v1/policy", res_policy, SIGNED_IN},
    {"PUT", "/api/v1/policy/{channel}/{class}/{stage}", res_policy_set, R(ROLE_DISPATCHER) | ADMIN},
    {"GET", "/api/v1/calendar", res_calendar, SIGNED_IN},
    {"POST", "/api/v1/calendar", res_calendar_import, ADMIN},
    {"GET", "/api/v1/users", res_users, SECURITY},
    {"POST", "/api/v1/users", res_users_create, SECURITY},
    {"PUT", "/api/v1/users/{username}/disabled", res_user_disable, SECURITY},
    {"PUT", "/api/v1/users/{username}/password", res_user_password, SECURITY},
    {"PUT", "/api/v1/users/{username}/role", res_user_role, SECURITY},
    {"GET", "/api/v1/tokens", res_tokens, SECURITY},
    {"POST", "/api/v1/tokens", res_tokens_create, SECURITY},
    {"DELETE", "/api/v1/tokens/{id}", res_token_revoke, SECURITY},
    {"GET", "/api/v1/notices", res_notices, SUPERVISORS},
    {"GET", "/api/v1/ledger", res_ledger, SUPERVISORS},
    {"POST", "/api/v1/ledger/export", res_ledger_export, SUPERVISORS},
    {"GET", "/api/v1/hotspots", res_hotspots, R(ROLE_DISPATCHER) | R(ROLE_LEADER)},
    {"POST", "/api/v1/hotspots/task", res_hotspot_task, R(ROLE_DISPATCHER)},
    {"GET", "/api/v1/indicators", res_indicators, R(ROLE_DISPATCHER) | R(ROLE_LEADER)},
    {"GET", "/api/v1/tasks", res_tasks, SUPERVISORS},
    {"GET", "/api/v1/projects", res_projects, SUPERVISORS},
    {"POST", "/api/v1/projects", res_projects_create, R(ROLE_DISPATCHER)},
    {"POST", "/api/v1/projects/import", res_projects_import, R(ROLE_DISPATCHER)}, /* before {id} */
    {"GET", "/api/v1/projects/bulletin", res_projects_bulletin, SUPERVISORS},
    {"POST", "/api/v1/projects/{id}/stage", res_project_stage, R(ROLE_DISPATCHER)},
    {"PUT", "/api/v1/projects/{id}/progress", res_project_progress, R(ROLE_DISPATCHER) | R(ROLE_HANDLER)},
    {"POST", "/api/v1/tasks", res_tasks_create, R(ROLE_DISPATCHER)},
    {"POST", "/api/v1/tasks/{id}/problems", res_task_problem, R(ROLE_DISPATCHER) | R(ROLE_HANDLER)},
    {"POST", "/api/v1/indicators/import", res_indicators_import, R(ROLE_DISPATCHER)}, /* before {code} */
    {"PUT", "/api/v1/indicators/{code}/values", res_indicator_put, R(ROLE_DISPATCHER)},
    {"GET", "/api/v1/bulletin", res_bulletin, R(ROLE_DISPATCHER) | R(ROLE_LEADER)},
    {"GET", "/api/v1/stats/cases", res_stats_cases, SUPERVISORS},
    {"GET", "/api/v1/bulletin/export", res_bulletin_export, R(ROLE_DISPATCHER) | R(ROLE_LEADER)},
    {"GET", "/api/v1/bulletin/print", res_bulletin_print, R(ROLE_DISPATCHER) | R(ROLE_LEADER)},
    {"POST", "/api/v1/bulletins", res_bulletins_publish, R(ROLE_DISPATCHER)},
    {"GET", "/api/v1/bulletins", res_bulletins, SUPERVISORS},
    {"GET", "/api/v1/bulletins/{no}", res_bulletin_issue, SUPERVISORS},
    {"GET", "/api/v1/bulletins/{no}/print", res_bulletin_issue_print, SUPERVISORS},
    {"GET", "/api/v1/bulletins/{no}/export", res_bulletin_issue_export, SUPERVISORS},
    {"GET", "/api/v1/stats", res_stats, R(ROLE_DISPATCHER) | R(ROLE_LEADER) | R(ROLE_HANDLER)},
    {"GET", "/api/v1/stats/breakdown", res_breakdown, R(ROLE_DISPATCHER) | R(ROLE_LEADER)},
    {"GET", "/api/v1/stats/export", res_stats_export, R(ROLE_DISPATCHER) | R(ROLE_LEADER) | R(ROLE_HANDLER)},
    {"GET", "/api/v1/stats/overview", res_overview,
     R(ROLE_DISPATCHER) | R(ROLE_LEADER) | R(ROLE_OPERATOR) | R(ROLE_ADMIN)},
    {"GET", "/api/v1/access-log", res_access_log, AUDITOR},
    {"GET", "/api/v1/audit", res_audit, AUDITOR},
    /* Open311 GeoReport v2: public, like the spec */
    {"GET", "/open311/{doc}", res_o311_discovery, ANYONE},
    {"GET", "/open311/v2/{doc}", res_o311_v2, ANYONE},
    {"GET", "/open311/v2/services/{doc}", res_o311_service, ANYONE},
    {"GET", "/open311/v2/requests/{doc}", res_o311_request, ANYONE},
    {"GET", "/open311/v2/tokens/{doc}", res_o311_token, ANYONE},
    {"POST", "/open311/v2/{doc}", res_o311_post, ANYONE}, /* api_key in the form */
};

/* A case route whose handler refuses on the path alone before it looks at
 * the case: http_admit asks that first, as the handler would. */
static const struct {
    http_handler handler, first;
} first_checks[] = {
    {res_case_act, res_case_act_first},
    {res_files_add, res_files_add_first},
};

const char *http_route_at(size_t i, const char **method) {
    if (i >= sizeof routes / sizeof *routes) return NULL;
    *method = routes[i].method;
    return routes[i].pattern;
}

/* Matches path against pattern, capturing {name} segments into req. */
static bool match(const char *pattern, const char *path, http_req *req) {
    const char *p = pattern, *s = path;
    req->nparam = 0;
    while (*p && *s) {
        if (*p == '{') {
            const char *end = strchr(s, '/');
            size_t n = end ? (size_t)(end - s) : strlen(s);
            if (n == 0 || n >= HTTP_PARAM_MAX || req->nparam == HTTP_MAX_PARAMS) return false;
            memcpy(req->param[req->nparam], s, n);
            req->param[req->nparam++][n] = '\0';
            s += n;
            p = strchr(p, '}') + 1;
        } else if (*p++ != *s++) {
            return false;
        }
    }
    return *p == '\0' && *s == '\0';
}

static bool is_write(const char *method) { return strcmp(method, "GET") && strcmp(method, "HEAD"); }

/* Fills *who from the request, or sets an error response and returns its status. */
static int authenticate(http_req *req, http_res *res, auth_principal *who) {
    err e = {0};
    const char *authz = http_header(req, "Authorization");
    if (authz) {
        if (strncmp(authz, "Bearer ", 7) != 0)
            return http_error(res, 401, "unauthorized", "Authorization",
                              "the Authorization header must be 'Bearer TOKEN'");
        if (auth_bearer(req->st, authz + 7, who, &e)) {
            if (e.code != ERR_AUTH) return http_error_from(res, &e); /* not the caller's fault */
            return http_error(res, 401, "unauthorized", "Authorization", "%s", e.msg);
        }
        return 0;
    }
    const char *cookie = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "duban_session");
    if (!cookie) return http_error(res, 401, "unauthorized", NULL, "sign in first");
    if (auth_session(req->st, cookie, req->now, who, &e)) {
        if (e.code != ERR_AUTH) return http_error_from(res, &e);
        return http_error(res, 401, "unauthorized", "session", "%s", e.msg);
    }
    if (is_write(req->method)) {
        /* The session cookie alone must not be enough to change anything. */
        const char *csrf = http_header(req, "X-CSRF-Token");
        if (!MUTANT("csrf") && (!csrf || strlen(csrf) != strlen(who->csrf) ||
                                 sodium_memcmp(csrf, who->csrf, strlen(csrf)) != 0))
            return http_error(res, 403, "csrf", "X-CSRF-Token",
                              "a missing or wrong X-CSRF-Token header");
    }
    return 0;
}

/* Query parameters are text like any other (util/text.h). */
static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value) {
    err *e = cls;
    (void)kind;
    if (text_check(key, strlen(key), "query", e) ||
        (value && text_check(value, strlen(value), key, e)))
        return MHD_NO;
    return MHD_YES;
}

/* A refusal (403) goes to the access log with what was asked: the auditor
 * sees who tried what. A failure to log does not change the answer. */
static int refused(const http_req *req, const auth_principal *who, http_res *res) {
    char detail[256];
    snprintf(detail, sizeof detail, "%s %s", req->method, req->path);
    store_access_log(req->st, req->now, who->user_id, who->name, "refused", 0, detail, NULL);
    return res->status;
}

/* A path and query that are text (400 otherwise, naming the part). */
static int check_text(http_req *req, http_res *res) {
    err e = {0};
    if (text_check(req->path, strlen(req->path), "path", &e))
        return http_error(res, 400, "bad_text", e.field, "%s", e.msg);
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, check_arg, &e);
    if (e.code) return http_error(res, 400, "bad_text", e.field, "%s", e.msg);
    return 0;
}

/* The route of req's method and path, its {name} segments captured into
 * req; NULL when none, allow (when given) then listing the methods the
 * path does take. */
static const struct route *find(http_req *req, char allow[64]) {
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
        const struct route *r = &routes[i];
        if (!match(r->pattern, req->path, req)) continue;
        /* HEAD is GET without the body (the server drops it) */
        bool head_of_get = strcmp(req->method, "HEAD") == 0 && strcmp(r->method, "GET") == 0;
        if (strcmp(r->method, req->method) == 0 || head_of_get) return r;
        if (allow && strlen(allow) + strlen(r->method) + 3 < 64) {
            if (allow[0]) strcat(allow, ", ");
            strcat(allow, r->method);
        }
    }
    return NULL;
}

/* Whether the caller may call r (not a public route): 0 with *who filled,
 * or the refusal's status with res set (a role's refusal logged). */
static int may_call(const struct route *r, http_req *req, http_res *res, auth_principal *who) {
    int rc = authenticate(req, res, who);
    if (rc) return rc;
    if (!(r->roles & R(who->role)) && !MUTANT("roles")) {
        http_error(res, 403, "forbidden", NULL, "the %s role may not %s %s", auth_role_name(who->role),
                   req->method, r->pattern);
        return refused(req, who, res);
    }
    if (who->must_change && !(r->roles & FIRST))
        return http_error(res, 403, "password_change_required", "password",
                          "the password was set by an administrator: change it first (POST /api/v1/me/password)");
    return 0;
}

bool http_admits_all(http_req *req) {
    const struct route *r = find(req, NULL);
    return !r || r->roles == ANYONE;
}

int http_admit(http_req *req, http_res *res) {
    int rc = check_text(req, res);
    if (rc) return rc;
    const struct route *r = find(req, NULL);
    if (!r || r->roles == ANYONE) return 0; /* http_route answers, on a body held to max_body */
    auth_principal who;
    if ((rc = may_call(r, req, res, &who))) return rc;
    /* a case's route: the case as this caller may see it (res_case_param,
     * the handlers' own rule), so that a unit's clerk sends nothing to
     * another unit's case; after what its handler checks first */
    if (strncmp(r->pattern, "/api/v1/cases/{id}", 18) || (r->pattern[18] && r->pattern[18] != '/')) return 0;
    req->who = &who;
    for (size_t i = 0; !rc && i < sizeof first_checks / sizeof *first_checks; i++)
        if (first_checks[i].handler == r->handler) rc = first_checks[i].first(req, res);
    int64_t id;
    http_res scratch = {0};
    /* an id that is not one: the handler's own 400, after the body (it is
     * the caller's, who may send one) */
    bool an_id = !http_path_id(req->param[0], "id", &id, &scratch);
    json_decref(scratch.json);
    case_rec c;
    if (!rc && an_id && !(rc = res_case_param(req, res, &c))) case_rec_clear(&c);
    req->who = NULL;
    return rc == 403 ? refused(req, &who, res) : rc;
}

int http_route(http_req *req, http_res *res) {
    char allow[64] = "";
    int rc = check_text(req, res);
    if (rc) return rc;
    const struct route *r = find(req, allow);
    if (r) {
        if (r->roles == ANYONE) return r->handler(req, res);
        auth_principal who;
        if ((rc = may_call(r, req, res, &who))) return rc;
        req->who = &who;
        rc = r->handler(req, res);
        req->who = NULL;
        return rc == 403 ? refused(req, &who, res) : rc;
    }
    if (strncmp(req->path, "/open311/", 9) == 0) /* its own error format, by extension */
        return res_o311_unknown(req, res, allow[0] ? allow : NULL);
    if (allow[0]) {
        http_add_header(res, "Allow", allow);
        return http_error(res, 405, "method_not_allowed", NULL, "%s is not allowed on %s (allow: %s)",
                          req->method, req->path, allow);
    }
    if (strncmp(req->path, "/api/", 5) != 0 && strncmp(req->path, "/open311/", 9) != 0 &&
        (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0))
        return http_static(req, res);
    return http_error(res, 404, "not_found", NULL, "no such resource: %s", req->path);
}
