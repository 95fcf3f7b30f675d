/* resources: the handlers of the route table, one file per resource. */
#ifndef DUBAN_HTTP_RESOURCES_H
#define DUBAN_HTTP_RESOURCES_H

#include "http/http_int.h"
#include "store/store_case.h"

/* res_system.c */
int res_health(http_req *req, http_res *res);

/* res_openapi.c */
int res_openapi(http_req *req, http_res *res);

/* res_auth.c */
int res_login(http_req *req, http_res *res);
int res_logout(http_req *req, http_res *res);
int res_me(http_req *req, http_res *res);
int res_password(http_req *req, http_res *res);

/* res_cases.c */
/* The case of the path's first {id} as this person may see it (another
 * unit's is 404, as a missing one); 0, or the error response's status. */
int res_case_param(http_req *req, http_res *res, case_rec *out);
/* The filter of a case list's query (GET /cases and its export), the
 * handler's unit confinement included; 0 or the error response's status. */
int res_case_filter(http_req *req, http_res *res, store_case_filter *out);
int res_cases_list(http_req *req, http_res *res);
int res_cases_create(http_req *req, http_res *res);
int res_case_get(http_req *req, http_res *res);
int res_case_act(http_req *req, http_res *res);
/* What a case route's handler refuses on the path alone before it looks at
 * the case (http_admit asks it first, so that the answer on the headers
 * is the handler's): 0, or the refusal's status. */
int res_case_act_first(http_req *req, http_res *res);
int res_cases_similar(http_req *req, http_res *res);
int res_cases_duplicates(http_req *req, http_res *res);

/* res_sheet.c */
int res_case_sheet(http_req *req, http_res *res);

/* res_exports.c */
int res_cases_export(http_req *req, http_res *res);
int res_ledger(http_req *req, http_res *res);
int res_outbox(http_req *req, http_res *res);
int res_config(http_req *req, http_res *res);
int res_hotspots(http_req *req, http_res *res);
int res_indicators(http_req *req, http_res *res);
int res_tasks(http_req *req, http_res *res);
int res_projects(http_req *req, http_res *res);
int res_projects_create(http_req *req, http_res *res);
int res_project_stage(http_req *req, http_res *res);
int res_project_progress(http_req *req, http_res *res);
int res_projects_import(http_req *req, http_res *res);
int res_projects_bulletin(http_req *req, http_res *res);
/* Sends the workbook at path as an attachment named by disposition;
 * ERR_NOTFOUND when it is gone, ERR_IO when unreadable (res_exports.c). */
int res_send_xlsx(http_res *res, const char *path, const char *disposition);
/* A workbook's bytes (owned by the response now) as the answer. */
void res_send_xlsx_bytes(http_res *res, char *buf, size_t len, const char *disposition);
int res_tasks_create(http_req *req, http_res *res);
int res_task_problem(http_req *req, http_res *res);
int res_indicator_put(http_req *req, http_res *res);
int res_indicators_import(http_req *req, http_res *res);
int res_hotspot_task(http_req *req, http_res *res);
int res_ledger_export(http_req *req, http_res *res);
int res_export_get(http_req *req, http_res *res);
int res_export_file(http_req *req, http_res *res);
int res_stats_export(http_req *req, http_res *res);

/* res_files.c */
int res_files_add(http_req *req, http_res *res);
int res_files_add_first(http_req *req, http_res *res); /* as res_case_act_first */
int res_files_list(http_req *req, http_res *res);
int res_files_get(http_req *req, http_res *res);
int res_files_publish(http_req *req, http_res *res);
int res_files_public(http_req *req, http_res *res);

/* res_kb.c */
int res_kb_list(http_req *req, http_res *res);
int res_kb_get(http_req *req, http_res *res);
int res_kb_create(http_req *req, http_res *res);
int res_kb_update(http_req *req, http_res *res);
int res_kb_delete(http_req *req, http_res *res);

/* res_points.c */
int res_points_list(http_req *req, http_res *res);
int res_points_create(http_req *req, http_res *res);
int res_points_update(http_req *req, http_res *res);
int res_points_qr(http_req *req, http_res *res);
int res_points_poster(http_req *req, http_res *res);
int res_eval_stats(http_req *req, http_res *res);
int res_evals(http_req *req, http_res *res);
int res_eval_review(http_req *req, http_res *res);
int res_eval_decide(http_req *req, http_res *res);
int res_eval_hold(http_req *req, http_res *res);

/* res_public.c */
int res_public_point(http_req *req, http_res *res);
int res_public_evaluate(http_req *req, http_res *res);
int res_public_track(http_req *req, http_res *res);

/* res_ref.c */
int res_units(http_req *req, http_res *res);
int res_categories(http_req *req, http_res *res);
int res_policy(http_req *req, http_res *res);
int res_policy_set(http_req *req, http_res *res);
int res_calendar(http_req *req, http_res *res);
int res_calendar_import(http_req *req, http_res *res);
int res_users(http_req *req, http_res *res);
int res_users_create(http_req *req, http_res *res);
int res_user_disable(http_req *req, http_res *res);
int res_user_password(http_req *req, http_res *res);
int res_user_role(http_req *req, http_res *res);
int res_tokens_create(http_req *req, http_res *res);
int res_token_revoke(http_req *req, http_res *res);
int res_tokens(http_req *req, http_res *res);
int res_units_create(http_req *req, http_res *res);
int res_categories_create(http_req *req, http_res *res);
int res_category_update(http_req *req, http_res *res);
int res_unit_update(http_req *req, http_res *res);
int res_config_set(http_req *req, http_res *res);
int res_schemes(http_req *req, http_res *res);
int res_scheme_set(http_req *req, http_res *res);
int res_attributes(http_req *req, http_res *res);
int res_attribute_put(http_req *req, http_res *res);
int res_attribute_delete(http_req *req, http_res *res);
int res_templates(http_req *req, http_res *res);
int res_templates_create(http_req *req, http_res *res);
int res_templates_update(http_req *req, http_res *res);
int res_templates_delete(http_req *req, http_res *res);

/* res_supervise.c */
int res_notices(http_req *req, http_res *res);
/* GET /stats's answer (the query's period, the asker's scope) into *out;
 * 0, or the error response's status. */
int res_stats_json(http_req *req, http_res *res, json_t **out);
int res_stats(http_req *req, http_res *res);
int res_bulletin(http_req *req, http_res *res);
int res_stats_cases(http_req *req, http_res *res);
int res_bulletin_export(http_req *req, http_res *res);
int res_bulletin_print(http_req *req, http_res *res);
int res_bulletins_publish(http_req *req, http_res *res);
int res_bulletins(http_req *req, http_res *res);
int res_bulletin_issue(http_req *req, http_res *res);
int res_bulletin_issue_print(http_req *req, http_res *res);
int res_bulletin_issue_export(http_req *req, http_res *res);
/* The 通报 for ?month=YYYY-MM, or ?from=&to= with as many days before it;
 * else an error answered (its status returned). */
struct bulletin;
int res_bulletin_read(http_req *req, http_res *res, struct bulletin *out);
int res_overview(http_req *req, http_res *res);
int res_breakdown(http_req *req, http_res *res);
int res_reveal(http_req *req, http_res *res);
int res_access_log(http_req *req, http_res *res);
int res_audit(http_req *req, http_res *res);

/* open311.c */
int res_o311_discovery(http_req *req, http_res *res);
int res_o311_v2(http_req *req, http_res *res);
int res_o311_service(http_req *req, http_res *res);
int res_o311_request(http_req *req, http_res *res);
int res_o311_post(http_req *req, http_res *res);
int res_o311_token(http_req *req, http_res *res);
/* Anything else under /open311: 404 (405 with allow) in Open311's format,
 * XML unless the path ends in .json. */
int res_o311_unknown(http_req *req, http_res *res, const char *allow);

#endif
