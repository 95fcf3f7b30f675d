/* res_auth: signing in and out, and who am I. The session secret travels
 * only in an HttpOnly, SameSite=Strict cookie; the CSRF token in the body. */
#include <stdio.h>

#include "http/resources.h"

static json_t *principal_json(const auth_principal *p) {
    /* must_change_password: until it is changed, only this, the change and
     * signing out answer (router.c) */
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:b}", "username", p->name, "display_name",
                     p->display_name, "role", auth_role_name(p->role), "role_label",
                     auth_role_label(p->role), "unit",
                     p->unit.id ? json_pack("{s:s, s:s}", "code", p->unit.code, "name", p->unit.name)
                                : json_null(),
                     "must_change_password", p->must_change);
}

int res_login(http_req *req, http_res *res) {
    static const http_field fields[] = {{"username", JSON_STRING, true},
                                        {"password", JSON_STRING, true}, {NULL, 0, false}};
    json_t *body = http_body_object(req, res);
    if (!body) return res->status;
    if (http_check_fields(body, fields, res)) {
        json_decref(body);
        return res->status;
    }
    char addr[64], token[AUTH_TOKEN_MAX], retry[24];
    auth_principal p;
    int64_t wait = 0;
    err e = {0};
    http_client_addr(req, addr);
    int rc = auth_login(req->st, http_str(body, "username"), http_str(body, "password"), addr,
                        req->now, token, &p, &wait, &e);
    json_decref(body);
    if (rc == ERR_THROTTLED) {
        snprintf(retry, sizeof retry, "%lld", (long long)wait);
        http_add_header(res, "Retry-After", retry);
        return http_error(res, 429, "throttled", e.field, "%s", e.msg);
    }
    if (rc == ERR_AUTH) return http_error(res, 401, "unauthorized", e.field, "%s", e.msg);
    if (rc == ERR_FORBIDDEN) return http_error(res, 403, "disabled", e.field, "%s", e.msg);
    if (rc) return http_error_from(res, &e);
    http_set_cookie(req, res, "duban_session", token, "/", AUTH_ABSOLUTE_S);
    return http_json(res, 200, json_pack("{s:o, s:s, s:i}", "user", principal_json(&p), "csrf_token",
                                         p.csrf, "idle_timeout", AUTH_IDLE_S));
}

int res_logout(http_req *req, http_res *res) {
    err e = {0};
    if (req->who->pass) { /* no session row to end: this node refuses the pass, the cookie goes */
        auth_end_pass(req->who, req->now);
        http_set_cookie(req, res, "duban_session", "", "/", 0);
        return http_json(res, 200, json_pack("{s:b}", "signed_out", 1));
    }
    if (!req->who->session_id)
        return http_error(res, 400, "bad_request", NULL, "an API token has no session to end");
    if (auth_logout(req->st, req->who, req->now, &e)) return http_error_from(res, &e);
    http_set_cookie(req, res, "duban_session", "", "/", 0);
    return http_json(res, 200, json_pack("{s:b}", "signed_out", 1));
}

/* POST /me/password: the signed-in user's own password. Every session of
 * the user ends with it, this one too: the answer clears the cookie. */
int res_password(http_req *req, http_res *res) {
    static const http_field fields[] = {{"current_password", JSON_STRING, true},
                                        {"new_password", JSON_STRING, true},
                                        {NULL, 0, false}};
    char addr[64];
    err e = {0};
    json_t *b = http_body_object(req, res);
    if (!b) return res->status;
    if (!http_check_fields(b, fields, res)) {
        http_client_addr(req, addr);
        if (auth_change_password(req->st, req->who, http_str(b, "current_password"),
                                 http_str(b, "new_password"), addr, req->now, &e)) {
            http_error_from(res, &e);
        } else {
            http_set_cookie(req, res, "duban_session", "", "/", 0);
            http_json(res, 200, json_pack("{s:b, s:b}", "changed", 1, "signed_out", 1));
        }
    }
    json_decref(b);
    return res->status;
}

int res_me(http_req *req, http_res *res) {
    json_t *o = principal_json(req->who);
    if (req->who->session_id) json_object_set_new(o, "csrf_token", json_string(req->who->csrf));
    return http_json(res, 200, o);
}
