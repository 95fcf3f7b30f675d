/* res_indicators: 1+10+N's "1". GET /indicators?year= gives each main
 * indicator's target and actuals for the year and its status (met, within a
 * point, behind); PUT /indicators/{code}/values writes one value; POST
 * /indicators/import takes a CSV (UTF-8 or GB18030) or XLSX file and writes
 * every row or none, naming each bad row. Writes are the 督查室's, and each
 * is written to the access log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/case_json.h"
#include "http/resources.h"
#include "import/indicators.h"
#include "store/store_auth.h"
#include "store/store_indicator.h"
#include "util/datetime.h"

static json_t *value_json(const store_ind_value *v) {
    return json_pack("{s:s, s:f, s:b, s:s?}", "period", v->period, "value", v->value, "demo", v->demo,
                     "source", v->source[0] ? v->source : NULL);
}

int res_indicators(http_req *req, http_res *res) {
    int years[32], n_years = 0;
    int64_t year = 0, at = req->now;
    err e = {0};
    if (http_query_int(req, res, "year", 2000, 2100, &year) || http_query_at(req, res, &at)) return res->status;
    if (store_indicator_years(req->st, years, 32, &n_years, &e)) return http_error_from(res, &e);
    if (!year) { /* the newest year with figures, else this one */
        int y, m, d;
        dt_civil_from_days(dt_local_day(req->now, store_env(req->st)->tz), &y, &m, &d);
        year = n_years ? years[0] : y;
    }
    store_indicator *x = NULL;
    size_t n = 0;
    if (store_indicators(req->st, (int)year, at, &x, &n, &e)) return http_error_from(res, &e);
    json_t *arr = json_array(), *ys = json_array();
    for (int i = 0; i < n_years; i++) json_array_append_new(ys, json_integer(years[i]));
    for (size_t i = 0; i < n; i++) {
        json_t *actuals = json_array();
        for (int k = 0; k < x[i].n_actual; k++) json_array_append_new(actuals, value_json(&x[i].actual[k]));
        const store_ind_value *last = x[i].n_actual ? &x[i].actual[x[i].n_actual - 1] : NULL;
        ind_status s = ind_judge(x[i].has_target, x[i].target.value, last != NULL, last ? last->value : 0);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:s}", "code", x[i].code,
                                             "name", x[i].name, "group", x[i].grp, "target",
                                             x[i].has_target ? value_json(&x[i].target) : json_null(),
                                             "actuals", actuals, "latest", last ? value_json(last) : json_null(),
                                             "status", ind_status_name(s), "status_label", ind_status_label(s)));
    }
    free(x);
    char at_s[32];
    dt_format_instant(at, store_env(req->st)->tz, at_s);
    return http_json(res, 200, json_pack("{s:I, s:s, s:o, s:o}", "year", (json_int_t)year, "at", at_s, "years", ys,
                                         "indicators", arr));
}

/* The values and their access-log entry in one transaction: none is
 * written unlogged, even by a server killed between the two. */
static int put_logged(http_req *req, const ind_row *rows, size_t n, const char *what, err *e) {
    char detail[96];
    snprintf(detail, sizeof detail, "%s: %zu value(s)", what, n);
    store_actor who = http_actor(req);
    int rc = store_begin(req->st, e);
    if (!rc) rc = store_indicator_put(req->st, rows, n, req->who->name, req->now, e);
    return store_logged_end(req->st, rc, &who, "indicators_changed", detail, e);
}

/* PUT /indicators/{code}/values {kind, period, value, source?} */
int res_indicator_put(http_req *req, http_res *res) {
    static const http_field fields[] = {{"kind", JSON_STRING, true}, {"period", JSON_STRING, true},
                                        {"value", JSON_REAL, true}, {"source", JSON_STRING, false},
                                        {NULL, 0, false}};
    json_t *b = http_body_object(req, res);
    if (!b) return res->status;
    err e = {0};
    ind_row r = {.code = req->param[0], .period = http_str(b, "period"), .source = http_str(b, "source")};
    int year, ord;
    if (http_check_fields(b, fields, res)) goto done;
    r.value = json_number_value(json_object_get(b, "value"));
    char text[32];
    snprintf(text, sizeof text, "%.10g", r.value);
    if (ind_kind_parse(http_str(b, "kind"), &r.kind, &e) || ind_period_parse(r.period, &year, &ord, "period", &e) ||
        ind_value_parse(text, &r.value, "value", &e) || (r.source && strlen(r.source) > 90 &&
                                                          err_set(&e, ERR_INVALID, "source", "the source is too long"))) {
        http_error_from(res, &e);
        goto done;
    }
    if (put_logged(req, &r, 1, r.code, &e)) {
        if (e.code == ERR_INVALID && !strcmp(e.field, "code")) e.code = ERR_NOTFOUND;
        http_error_from(res, &e);
        goto done;
    }
    http_json(res, 200, json_pack("{s:I}", "written", (json_int_t)1));
done:
    json_decref(b);
    return res->status;
}

typedef struct known {
    store_indicator *x;
    size_t n;
} known;

static const char *resolve(void *ctx, const char *s) {
    known *k = ctx;
    for (size_t i = 0; i < k->n; i++)
        if (!strcmp(k->x[i].code, s) || !strcmp(k->x[i].name, s)) return k->x[i].code;
    return NULL;
}

/* POST /indicators/import: the file is the body. */
int res_indicators_import(http_req *req, http_res *res) {
    table *t = NULL;
    ind_row *rows = NULL;
    size_t n = 0;
    known k = {0};
    json_t *errors = json_array();
    err e = {0};
    int rc = store_indicators(req->st, 0, req->now, &k.x, &k.n, &e); /* a name stands for its indicator too */
    if (!rc) rc = table_read((const unsigned char *)req->body, req->body_len, &t, &e);
    if (!rc) rc = import_indicators(t, resolve, &k, &rows, &n, errors, &e);
    if (!rc) rc = put_logged(req, rows, n, "import", &e);
    if (!rc) {
        http_json(res, 200, json_pack("{s:I}", "written", (json_int_t)n));
    } else {
        http_error_from(res, &e);
        if (res->json && json_array_size(errors)) json_object_set(res->json, "rows", errors); /* each bad row */
    }
    json_decref(errors);
    free(k.x);
    free(rows);
    table_free(t);
    return res->status;
}
