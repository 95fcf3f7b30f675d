/* res_projects: 三个一批 and the 三十工程. GET /projects?year lists a plan
 * year's projects with the share of their plan completed against the time
 * gone (red, yellow, green) and totals by level and unit; POST /projects
 * adds one, /projects/{id}/stage records a stage reached, PUT
 * /projects/{id}/progress a month's progress (a problem raised there
 * becomes a 领导交办 case linked to the project), POST /projects/import
 * takes a spreadsheet of projects or of progress, every row or none; GET
 * /projects/bulletin is the weekly bulletin as XLSX or a print page. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/case_json.h"
#include "http/html.h"
#include "http/resources.h"
#include "import/table.h"
#include "report/project_report.h"
#include "report/xlsx_mem.h"
#include "store/store_auth.h"
#include "store/store_json.h"
#include "store/store_project.h"
#include "store/store_ref.h"
#include "store/store_task.h"
#include "util/datetime.h"
#include "util/text.h"

/* ?year, else this year when it has projects, else the newest that has. */
static int year_of(http_req *req, http_res *res, int *year) {
    int y, m, d, years[64], n = 0;
    int64_t q = 0;
    err e = {0};
    dt_civil_from_days(dt_local_day(req->now, store_env(req->st)->tz), &y, &m, &d);
    if (http_query_int(req, res, "year", 2000, 2100, &q)) return res->status;
    if (q) {
        *year = (int)q;
        return 0;
    }
    if (store_project_years(req->st, years, 64, &n, &e)) return http_error_from(res, &e);
    *year = y;
    for (int i = 0; i < n && years[i] != y; i++)
        if (years[i] < y) { /* none this year: the newest before it */
            *year = years[i];
            break;
        }
    return 0;
}

/* The share of the year gone: to today in the current year, all of a past
 * year, none of a future one. */
static double gone_of(http_req *req, int year) {
    int32_t today = dt_local_day(req->now, store_env(req->st)->tz);
    int y, m, d;
    dt_civil_from_days(today, &y, &m, &d);
    return year < y ? 1.0 : year > y ? 0.0 : proj_year_gone(today);
}

static json_t *share(double done, double plan) {
    return plan > 0 ? json_real(round(done / plan * 10000) / 10000) : json_null();
}

static json_t *project_json(const store_project *p, double gone, int tz) {
    json_t *days = json_object();
    for (int k = PS_SIGNED; k < PS_COUNT; k++) {
        char d[11];
        if (!p->stage_day[k]) continue;
        dt_format_date(p->stage_day[k], d);
        json_object_set_new(days, proj_stage_name((proj_stage)k), json_string(d));
    }
    (void)tz;
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s?, s:s?, s:f, s:f, s:f, s:o, s:s,"
                     " s:{s:s?, s:s?, s:s?}, s:I, s:I, s:b}",
                     "id", (json_int_t)p->id, "name", p->name, "category", proj_category_name(p->category),
                     "category_label", proj_category_label(p->category), "level", proj_level_name(p->level),
                     "level_label", proj_level_label(p->level), "stage", proj_stage_name(p->stage), "stage_label",
                     proj_stage_label(p->stage), "stage_days", days, "unit", store_ref_json(&p->unit), "leader",
                     p->leader[0] ? p->leader : NULL, "location", p->location[0] ? p->location : NULL, "total",
                     p->total, "year_plan", p->year_plan, "done", p->done, "completion", share(p->done, p->year_plan),
                     "rag", proj_rag_name(proj_judge(p->done, p->year_plan, gone)), "last", "month",
                     p->last_month[0] ? p->last_month : NULL, "progress", p->last_progress[0] ? p->last_progress : NULL,
                     "problems", p->last_problems[0] ? p->last_problems : NULL, "problems", (json_int_t)p->problems,
                     "problems_open", (json_int_t)p->problems_open, "demo", p->demo);
}

/* Totals of the projects for which keep(p) holds. */
static json_t *total_of(const store_project *p, size_t n, int year, bool (*keep)(const store_project *, int), int k) {
    double plan = 0, done = 0;
    int count = 0, reached[PS_COUNT] = {0};
    for (size_t i = 0; i < n; i++) {
        if (keep && !keep(&p[i], k)) continue;
        plan += p[i].year_plan, done += p[i].done, count++;
        for (int s = PS_SIGNED; s < PS_COUNT; s++) {
            int y, m, d;
            if (!p[i].stage_day[s]) continue;
            dt_civil_from_days(p[i].stage_day[s], &y, &m, &d);
            reached[s] += y == year; /* 签约/开工/投产 in the year */
        }
    }
    return json_pack("{s:i, s:f, s:f, s:o, s:i, s:i, s:i}", "projects", count, "year_plan", plan, "done", done,
                     "completion", share(done, plan), "signed", reached[PS_SIGNED], "started", reached[PS_STARTED],
                     "producing", reached[PS_PRODUCING]);
}

static bool at_level(const store_project *p, int k) { return (int)p->level == k; }

/* A year's projects as who may see them: a clerk its unit's, the others
 * all. The one rule for the list, its workbook and its print. */
static int projects_seen(const http_req *req, int year, store_project **p, size_t *n, err *e) {
    int rc = store_projects(req->st, year, p, n, e);
    int64_t scope = auth_scope(req->who);
    size_t k = 0;
    for (size_t i = 0; !rc && i < *n; i++)
        if (!scope || (*p)[i].unit.id == scope) (*p)[k++] = (*p)[i];
    if (!rc) *n = k;
    return rc;
}

int res_projects(http_req *req, http_res *res) {
    int year;
    err e = {0};
    if (year_of(req, res, &year)) return res->status;
    store_project *p = NULL;
    size_t n = 0;
    if (projects_seen(req, year, &p, &n, &e)) return http_error_from(res, &e);
    double gone = gone_of(req, year);
    int tz = store_env(req->st)->tz;
    json_t *arr = json_array(), *levels = json_array(), *units = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, project_json(&p[i], gone, tz));
    for (int l = 0; l < PL_COUNT; l++) {
        json_t *t = total_of(p, n, year, at_level, l);
        json_object_set_new(t, "level", json_string(proj_level_name((proj_level)l)));
        json_object_set_new(t, "label", json_string(proj_level_label((proj_level)l)));
        json_array_append_new(levels, t);
    }
    for (size_t i = 0; i < n; i++) { /* by unit, in the order first met */
        size_t j = 0;
        while (j < i && p[j].unit.id != p[i].unit.id) j++;
        if (j < i) continue;
        double plan = 0, done = 0;
        int count = 0;
        for (size_t x = i; x < n; x++)
            if (p[x].unit.id == p[i].unit.id) plan += p[x].year_plan, done += p[x].done, count++;
        json_array_append_new(units, json_pack("{s:o, s:i, s:f, s:f, s:o}", "unit", store_ref_json(&p[i].unit),
                                               "projects", count, "year_plan", plan, "done", done, "completion",
                                               share(done, plan)));
    }
    int years[64], n_years = 0;
    json_t *ys = json_array();
    if (!store_project_years(req->st, years, 64, &n_years, &e))
        for (int i = 0; i < n_years; i++) json_array_append_new(ys, json_integer(years[i]));
    json_t *out = json_pack("{s:i, s:o, s:f, s:i, s:o, s:o, s:o, s:o}", "year", year, "years", ys, "gone", round(gone * 10000) / 10000,
                            "yellow_points", PROJ_RAG_YELLOW_POINTS, "projects", arr, "by_level", levels, "by_unit",
                            units, "total", total_of(p, n, year, NULL, 0));
    free(p);
    return http_json(res, 200, out);
}

/* One project from a JSON object or a spreadsheet row's cells (by name). */
typedef const char *(*field_fn)(void *src, const char *name);

static int project_from(field_fn get, void *src, int default_year, store_project *p, err *e) {
    memset(p, 0, sizeof *p);
    const char *name = get(src, "name"), *unit = get(src, "unit"), *v;
    if (!name || text_blank(name) || strlen(name) > PROJ_NAME_MAX)
        return err_set(e, ERR_INVALID, "name", "a project needs a name of at most %d bytes", PROJ_NAME_MAX);
    snprintf(p->name, sizeof p->name, "%s", name);
    if (!unit || !unit[0]) return err_set(e, ERR_INVALID, "unit", "a project needs its responsible unit");
    snprintf(p->unit.code, sizeof p->unit.code, "%s", unit);
    int rc = proj_category_parse(get(src, "category"), &p->category, e);
    if (!rc) rc = proj_level_parse(get(src, "level"), &p->level, e);
    if (!rc) rc = (v = get(src, "stage")) && v[0] ? proj_stage_parse(v, &p->stage, e) : 0;
    if (!rc) rc = proj_amount_parse(get(src, "total"), &p->total, "total", e);
    if (!rc) rc = proj_amount_parse(get(src, "year_plan"), &p->year_plan, "year_plan", e);
    if (!rc && (v = get(src, "year")) && v[0]) {
        char *end;
        long y = strtol(v, &end, 10);
        if (*end || y < 2000 || y > 2100) rc = err_set(e, ERR_INVALID, "year", "year '%s' must be 2000-2100", v);
        p->year = (int)y;
    } else if (!rc) {
        p->year = default_year;
    }
    if (!rc && (v = get(src, "leader")) && strlen(v) > 64) rc = err_set(e, ERR_INVALID, "leader", "the leader's name is too long");
    if (!rc && v) snprintf(p->leader, sizeof p->leader, "%s", v);
    if (!rc && (v = get(src, "location")) && strlen(v) > 128) rc = err_set(e, ERR_INVALID, "location", "the location is too long");
    if (!rc && v) snprintf(p->location, sizeof p->location, "%s", v);
    return rc;
}

static const char *from_json(void *src, const char *name) {
    json_t *v = json_object_get(src, name);
    if (json_is_number(v)) { /* an amount as JSON has it */
        static char buf[4][32];
        static int k;
        k = (k + 1) % 4;
        snprintf(buf[k], sizeof buf[k], "%.2f", json_number_value(v));
        return buf[k];
    }
    return json_string_value(v);
}

int res_projects_create(http_req *req, http_res *res) {
    json_t *b = http_body_object(req, res);
    if (!b) return res->status;
    static const char *const known[] = {"name", "category", "level", "stage", "unit", "leader", "location",
                                        "total", "year_plan", "year", NULL};
    const char *key;
    json_t *v;
    err e = {0};
    store_project p;
    int year;
    json_object_foreach(b, key, v) {
        size_t k = 0;
        while (known[k] && strcmp(known[k], key)) k++;
        if (!known[k] || !(json_is_string(v) || json_is_number(v))) {
            http_error(res, 422, "invalid", key, known[k] ? "'%s' must be a string or a number" : "unknown field '%s'", key);
            goto done;
        }
    }
    if (year_of(req, res, &year)) goto done;
    if (project_from(from_json, b, year, &p, &e) || store_project_add(req->st, &p, 1, NULL, req->who->name, req->now, &e) ||
        store_project_get(req->st, p.id, &p, &e)) {
        http_error_from(res, &e);
        goto done;
    }
    http_json(res, 201, project_json(&p, gone_of(req, p.year), store_env(req->st)->tz));
done:
    json_decref(b);
    return res->status;
}

int res_project_stage(http_req *req, http_res *res) {
    static const http_field fields[] = {{"stage", JSON_STRING, true}, {"day", JSON_STRING, true}, {NULL, 0, false}};
    int64_t id;
    err e = {0};
    if (http_path_id(req->param[0], "id", &id, res)) return res->status;
    json_t *b = http_body_object(req, res);
    if (!b) return res->status;
    proj_stage s;
    int32_t day;
    store_project p;
    if (http_check_fields(b, fields, res)) goto done;
    if (proj_stage_parse(http_str(b, "stage"), &s, &e) || dt_parse_date(http_str(b, "day"), &day, &e) ||
        (day > dt_local_day(req->now, store_env(req->st)->tz) &&
         err_set(&e, ERR_INVALID, "day", "a stage is recorded once reached, not ahead")) ||
        store_project_stage(req->st, id, s, day, &e) || store_project_get(req->st, id, &p, &e)) {
        if (!strcmp(e.field, "date")) snprintf(e.field, sizeof e.field, "day");
        http_error_from(res, &e);
        goto done;
    }
    http_json(res, 200, project_json(&p, gone_of(req, p.year), store_env(req->st)->tz));
done:
    json_decref(b);
    return res->status;
}

static int month_check(const char *m, err *e) {
    int y, mo, n = -1;
    if (!m || strlen(m) != 7 || sscanf(m, "%4d-%2d%n", &y, &mo, &n) != 2 || n != 7 || y < 2000 || y > 2100 || mo < 1 || mo > 12)
        return err_set(e, ERR_INVALID, "month", "month '%s' must be YYYY-MM", m ? m : "");
    return 0;
}

/* PUT /projects/{id}/progress {month, completed, progress?, problems?, raise?} */
int res_project_progress(http_req *req, http_res *res) {
    static const http_field fields[] = {{"month", JSON_STRING, true}, {"completed", JSON_REAL, true},
                                        {"progress", JSON_STRING, false}, {"problems", JSON_STRING, false},
                                        {"raise", JSON_TRUE, false}, {NULL, 0, false}};
    int64_t id;
    err e = {0};
    if (http_path_id(req->param[0], "id", &id, res)) return res->status;
    json_t *b = http_body_object(req, res);
    if (!b) return res->status;
    store_project p;
    case_rec c = {0};
    store_progress g = {.project_id = id, .month = http_str(b, "month"), .progress = http_str(b, "progress"),
                        .problems = http_str(b, "problems")};
    if (http_check_fields(b, fields, res)) goto done;
    char amount[32];
    snprintf(amount, sizeof amount, "%.2f", json_number_value(json_object_get(b, "completed")));
    bool raise = json_is_true(json_object_get(b, "raise"));
    if (month_check(g.month, &e) || proj_amount_parse(amount, &g.completed, "completed", &e) ||
        (g.progress && strlen(g.progress) > PROJ_TEXT_MAX && err_set(&e, ERR_INVALID, "progress", "too long")) ||
        (g.problems && strlen(g.problems) > PROJ_TEXT_MAX && err_set(&e, ERR_INVALID, "problems", "too long")) ||
        (raise && (!g.problems || text_blank(g.problems)) &&
         err_set(&e, ERR_INVALID, "problems", "raising a problem needs the problem (problems)")) ||
        store_project_get(req->st, id, &p, &e)) {
        http_error_from(res, &e);
        goto done;
    }
    int64_t scope = auth_scope(req->who);
    if (scope && p.unit.id != scope) {
        http_error(res, 404, "not_found", "id", "no project %lld", (long long)id);
        goto done;
    }
    if (raise) { /* the problem becomes a 领导交办 case of the project's unit */
        char title[520];
        snprintf(title, sizeof title, "%.200s：%.200s", p.name, g.problems);
        text_mend(title);
        if (store_task_problem(req->st, 0, id, p.unit, 0, title, g.problems, req->who->name, req->now, &c, &e)) {
            http_error_from(res, &e);
            goto done;
        }
        g.case_id = c.id;
    }
    if (store_project_progress(req->st, &g, 1, req->who->name, req->now, &e) || store_project_get(req->st, id, &p, &e)) {
        http_error_from(res, &e);
        goto done;
    }
    json_t *o = project_json(&p, gone_of(req, p.year), store_env(req->st)->tz);
    if (c.id) json_object_set_new(o, "case", json_pack("{s:I, s:s}", "id", (json_int_t)c.id, "case_no", c.case_no));
    http_json(res, 200, o);
done:
    case_rec_clear(&c);
    json_decref(b);
    return res->status;
}

/* ---- import ---- */

typedef struct row_src {
    const table *t;
    size_t row;
    int col[16];
} row_src;

static const struct { const char *field; const char *const names[4]; } headers[] = {
    {"name", {"项目名称", "名称", "name", NULL}},        {"category", {"类别", "项目类别", "category", NULL}},
    {"level", {"级别", "项目级别", "level", NULL}},      {"stage", {"阶段", "stage", NULL}},
    {"unit", {"责任单位", "单位", "unit", NULL}},        {"leader", {"分包领导", "leader", NULL}},
    {"location", {"建设地点", "地点", "location", NULL}}, {"total", {"总投资", "总投资（万元）", "total", NULL}},
    {"year_plan", {"年度计划投资", "年度计划投资（万元）", "year_plan", NULL}}, {"year", {"年度", "year", NULL}},
    {"month", {"月份", "month", NULL}},                  {"completed", {"完成投资", "完成投资（万元）", "completed", NULL}},
    {"progress", {"形象进度", "进展", "progress", NULL}}, {"problems", {"存在问题", "problems", NULL}},
};
#define N_HEADERS (sizeof headers / sizeof *headers)

static const char *from_row(void *src, const char *name) {
    row_src *r = src;
    for (size_t i = 0; i < N_HEADERS; i++)
        if (!strcmp(headers[i].field, name))
            return r->col[i] < 0 ? NULL : table_cell(r->t, r->row, (size_t)r->col[i]);
    return NULL;
}

static bool bad(json_t *errors, size_t row, const char *msg) {
    if (json_array_size(errors) < 50)
        json_array_append_new(errors, json_pack("{s:I, s:s}", "row", (json_int_t)row, "message", msg));
    return json_array_size(errors) < 50;
}

/* A unit named by code or by name, as a person fills a sheet. */
typedef struct unit_names { store_unit *u; size_t n, cap; } unit_names;
static int keep_unit(void *ctx, const store_unit *u) {
    unit_names *x = ctx;
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 64;
        void *p = realloc(x->u, cap * sizeof *x->u);
        if (!p) return ERR_NOMEM;
        x->u = p;
        x->cap = cap;
    }
    x->u[x->n++] = *u;
    return 0;
}

int res_projects_import(http_req *req, http_res *res) {
    table *t = NULL;
    json_t *errors = json_array();
    err e = {0};
    row_src src = {0};
    store_project *p = NULL;
    store_progress *g = NULL;
    int *lines = NULL;
    unit_names units = {0};
    size_t n = 0;
    int year, rc = year_of(req, res, &year) ? ERR_INVALID : 0;
    if (rc) goto out_status;
    rc = table_read((const unsigned char *)req->body, req->body_len, &t, &e);
    if (!rc) rc = store_unit_list(req->st, keep_unit, &units, &e);
    if (!rc) {
        src.t = t;
        for (size_t i = 0; i < N_HEADERS; i++) src.col[i] = table_find_col(t, 0, headers[i].names);
        p = calloc(table_rows(t) + 1, sizeof *p);
        g = calloc(table_rows(t) + 1, sizeof *g);
        lines = calloc(table_rows(t) + 1, sizeof *lines);
        if (!p || !g || !lines) rc = err_set(&e, ERR_NOMEM, "", "out of memory");
    }
    bool progress = !rc && src.col[10] >= 0; /* a 月份 column: progress, else projects */
    if (!rc && (src.col[0] < 0 || (progress ? src.col[11] < 0 : src.col[4] < 0)))
        rc = err_set(&e, ERR_INVALID, "file", progress ? "a progress sheet names 项目名称, 月份 and 完成投资 in its first row"
                                                       : "a project sheet names 项目名称, 类别, 级别, 责任单位, 总投资 and 年度计划投资 in its first row");
    for (size_t r = 1; !rc && r < table_rows(t); r++) {
        if (table_row_blank(t, r)) continue;
        src.row = r;
        err why = {0};
        if (progress) {
            store_progress *x = &g[n];
            const char *v;
            *x = (store_progress){.line = (int)r + 1, .name = from_row(&src, "name"), .month = from_row(&src, "month"),
                                  .progress = from_row(&src, "progress"), .problems = from_row(&src, "problems")};
            if (!month_check(x->month, &why) && !proj_amount_parse(from_row(&src, "completed"), &x->completed, "completed", &why) &&
                (v = from_row(&src, "year")) && v[0])
                x->year = atoi(v);
            if (!why.code) x->year = x->year ? x->year : atoi(x->month);
        } else if (!project_from(from_row, &src, year, &p[n], &why)) {
            size_t k = 0; /* by code or by name */
            while (k < units.n && strcmp(units.u[k].ref.code, p[n].unit.code) && strcmp(units.u[k].ref.name, p[n].unit.code)) k++;
            if (k == units.n) err_set(&why, ERR_INVALID, "unit", "no unit '%.60s'", p[n].unit.code);
            else snprintf(p[n].unit.code, sizeof p[n].unit.code, "%s", units.u[k].ref.code);
        }
        if (why.code) {
            if (!bad(errors, r + 1, why.msg)) break;
        } else {
            lines[n++] = (int)r + 1;
        }
    }
    if (!rc && json_array_size(errors))
        rc = err_set(&e, ERR_INVALID, "file", "%zu row(s) are wrong; nothing was imported", json_array_size(errors));
    if (!rc) { /* the rows and their access-log entry, in one transaction */
        char detail[64];
        snprintf(detail, sizeof detail, "%s: %zu row(s)", progress ? "progress" : "projects", n);
        store_actor who = http_actor(req);
        if (!(rc = store_begin(req->st, &e)))
            rc = progress ? store_project_progress(req->st, g, n, req->who->name, req->now, &e)
                          : store_project_add(req->st, p, n, lines, req->who->name, req->now, &e);
        rc = store_logged_end(req->st, rc, &who, "projects_imported", detail, &e);
    }
    if (!rc) {
        http_json(res, 200, json_pack("{s:s, s:I}", "kind", progress ? "progress" : "projects", "written", (json_int_t)n));
    } else {
        http_error_from(res, &e);
        if (res->json && json_array_size(errors)) json_object_set(res->json, "rows", errors);
    }
out_status:
    json_decref(errors);
    free(units.u);
    free(p);
    free(g);
    free(lines);
    table_free(t);
    return res->status;
}

static int project_xlsx_fill(void *ctx, const char *path, err *e) {
    return project_report_xlsx(ctx, path, e);
}

/* GET /projects/bulletin?year&format=xlsx|html */
int res_projects_bulletin(http_req *req, http_res *res) {
    int year;
    err e = {0};
    if (year_of(req, res, &year)) return res->status;
    const char *format = http_query(req, "format");
    if (format && strcmp(format, "xlsx") && strcmp(format, "html"))
        return http_error(res, 400, "bad_request", "format", "format '%.20s' must be xlsx or html", format);
    store_project *p = NULL;
    size_t n = 0;
    if (projects_seen(req, year, &p, &n, &e)) return http_error_from(res, &e);
    project_report r = {p, n, year, gone_of(req, year), req->now, store_env(req->st)->tz};
    if (format && !strcmp(format, "html")) {
        char *html = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&html, &len);
        if (f) project_report_html(&r, f);
        free(p);
        if (!f || fclose(f)) {
            free(html);
            return http_error(res, 503, "unavailable", NULL, "cannot write the page");
        }
        return html_send(res, html, len, project_style);
    }
    char *buf, disp[200];
    size_t len;
    int rc = xlsx_mem(project_xlsx_fill, &r, (size_t)64 << 20, &buf, &len, &e);
    free(p);
    if (rc) return http_error(res, 503, "unavailable", NULL, "cannot write the workbook");
    snprintf(disp, sizeof disp, "attachment; filename=\"duban-projects-%d.xlsx\";"
             " filename*=UTF-8''%%E9%%87%%8D%%E7%%82%%B9%%E9%%A1%%B9%%E7%%9B%%AE-%d.xlsx", year, year);
    res_send_xlsx_bytes(res, buf, len, disp);
    return 200;
}
