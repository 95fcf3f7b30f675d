/* router: the route table, and matching a path against it. A pattern is a
 * path whose "{name}" segments capture one segment each (in order, into
 * req->param). A path that matches with another method gets 405 and Allow. */
#include <string.h>

#include "http/resources.h"

static const struct route {
    const char *method;
    const char *pattern;
    http_handler handler;
} routes[] = {
    {"GET", "/api/v1/health", res_health},
    {"GET", "/api/v1/cases", res_cases_list},
    {"GET", "/api/v1/cases/{id}", res_case_get},
};

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

int http_route(http_req *req, http_res *res) {
    char allow[64] = "";
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
        if (!match(routes[i].pattern, req->path, req)) continue;
        if (strcmp(routes[i].method, req->method) == 0) return routes[i].handler(req, res);
        if (strlen(allow) + strlen(routes[i].method) + 3 < sizeof allow) {
            if (allow[0]) strcat(allow, ", ");
            strcat(allow, routes[i].method);
        }
    }
    if (allow[0]) {
        http_add_header(res, "Allow", allow);
        return http_error(res, 405, "method_not_allowed", NULL, "%s is not allowed on %s (allow: %s)",
                          req->method, req->path, allow);
    }
    if (strncmp(req->path, "/api/", 5) != 0 && strcmp(req->method, "GET") == 0)
        return http_static(req, res);
    return http_error(res, 404, "not_found", NULL, "no such resource: %s", req->path);
}
