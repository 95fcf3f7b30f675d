/* res_ledger: the 清零 ledger. GET /ledger counts, per unit, the cases it
 * leads that are not closed and how many are overdue (a clerk sees its own
 * unit's row); the cases are GET /cases?open=true (&unit=&lead=true), and
 * POST /ledger/export writes them as a workbook (res_exports.c). */
#include <stdlib.h>

#include "core/case_json.h"
#include "http/resources.h"
#include "store/store_ledger.h"

int res_ledger(http_req *req, http_res *res) {
    store_ledger_unit *u = NULL;
    size_t n = 0;
    err e = {0};
    int tz = store_env(req->st)->tz;
    if (store_ledger_units(req->st, req->now, auth_scope(req->who), &u, &n, &e))
        return http_error_from(res, &e);
    json_t *rows = json_array();
    int64_t open = 0, overdue = 0, reopened = 0, pending = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_pack("{s:s?, s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:o}", "unit",
                              u[i].unit.id ? u[i].unit.code : NULL, "name", u[i].unit.name, "kind",
                              u[i].unit.id ? unit_kind_name(u[i].kind) : "none", "open",
                              (json_int_t)u[i].open, "overdue", (json_int_t)u[i].overdue,
                              "reopened", (json_int_t)u[i].reopened, "pending",
                              (json_int_t)u[i].pending, "oldest", case_time_json(u[i].oldest, tz),
                              "worst_due", case_due_json(u[i].worst, tz));
        json_array_append_new(rows, o);
        open += u[i].open, overdue += u[i].overdue, reopened += u[i].reopened, pending += u[i].pending;
    }
    free(u);
    http_add_header(res, "Cache-Control", "no-store");
    return http_json(res, 200,
                     json_pack("{s:o, s:o, s:{s:I, s:I, s:I, s:I}}", "as_of",
                               case_time_json(req->now, tz), "units", rows, "total", "open",
                               (json_int_t)open, "overdue", (json_int_t)overdue, "reopened",
                               (json_int_t)reopened, "pending", (json_int_t)pending));
}
