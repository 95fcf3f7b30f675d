/* resources: the handlers of the route table, one file per resource. */
#ifndef DUBAN_HTTP_RESOURCES_H
#define DUBAN_HTTP_RESOURCES_H

#include "http/http_int.h"

/* res_system.c */
int res_health(http_req *req, http_res *res);

/* res_auth.c */
int res_login(http_req *req, http_res *res);
int res_logout(http_req *req, http_res *res);
int res_me(http_req *req, http_res *res);

/* res_cases.c */
int res_cases_list(http_req *req, http_res *res);
int res_cases_create(http_req *req, http_res *res);
int res_case_get(http_req *req, http_res *res);
int res_case_act(http_req *req, http_res *res);

#endif
