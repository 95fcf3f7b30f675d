/* res_exports: a case list exported to Excel. POST /cases/export takes the
 * list's own query (GET /cases's filters, a handler confined to its unit)
 * and starts a job (jobs/exporter.h); GET /exports/{id} says how far it is;
 * GET /exports/{id}/file gives the XLSX once done. Each export is logged for
 * the auditor with its count. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/bulletin.h"
#include "jobs/exporter.h"
#include "http/resources.h"
#include "report/bulletin_xlsx.h"
#include "report/xlsx_mem.h"
#include "store/store_auth.h"
#include "util/datetime.h"

#define EXPORT_MAX_FILE ((size_t)256 << 20)

void res_send_xlsx_bytes(http_res *res, char *buf, size_t len, const char *disposition) {
    http_add_header(res, "Content-Disposition", disposition);
    http_add_header(res, "Cache-Control", "no-store");
    res->status = 200;
    res->body = buf;
    res->len = len;
    res->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}

/* Reads the workbook at path into the response, sent as an attachment
 * named by disposition; ERR_NOTFOUND when it is gone, ERR_IO when unreadable. */
int res_send_xlsx(http_res *res, const char *path, const char *disposition) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) || (size_t)sb.st_size > EXPORT_MAX_FILE) {
        if (fd >= 0) close(fd);
        return ERR_NOTFOUND;
    }
    char *buf = malloc((size_t)sb.st_size + 1);
    ssize_t got = buf ? read(fd, buf, (size_t)sb.st_size) : -1;
    close(fd);
    if (got != sb.st_size) {
        free(buf);
        return ERR_IO;
    }
    res_send_xlsx_bytes(res, buf, (size_t)got, disposition);
    return 0;
}

static json_t *state_json(const char *id, const export_state *s) {
    static const char *const names[] = {"running", "done", "failed"};
    json_t *o = json_pack("{s:s, s:s, s:I, s:I}", "id", id, "status", names[s->status], "done",
                          (json_int_t)s->done, "total", (json_int_t)s->total);
    if (s->status == EXPORT_DONE) {
        char file[96];
        snprintf(file, sizeof file, "/api/v1/exports/%s/file", id);
        json_object_set_new(o, "file", json_string(file));
    }
    if (s->status == EXPORT_FAILED) json_object_set_new(o, "error", json_string(s->error));
    return o;
}

static int start(http_req *req, http_res *res, export_layout layout) {
    export_spec spec = {.layout = layout, .owner = req->who->user_id,
                        .tz = store_env(req->st)->tz, .now = req->now};
    char id[EXPORT_ID_LEN], detail[128];
    err e = {0};
    if (!req->exporter) return http_error(res, 503, "unavailable", NULL, "exports are not available");
    if (res_case_filter(req, res, &spec.filter)) return res->status;
    if (layout == EXPORT_LEDGER) { /* what is not closed, by the unit that leads it */
        spec.filter.open_only = true;
        spec.filter.lead_only = spec.filter.unit_id != 0;
    }
    if (exporter_start(req->exporter, &spec, id, &e)) return http_error_from(res, &e);
    export_state s;
    if (exporter_get(req->exporter, id, spec.owner, &s, &e)) return http_error_from(res, &e);
    snprintf(detail, sizeof detail, "export %s: %lld cases", id, (long long)s.total);
    store_access_log(req->st, req->now, req->who->user_id, req->who->name, "export", 0, detail, NULL);
    return http_json(res, 202, state_json(id, &s));
}

int res_cases_export(http_req *req, http_res *res) { return start(req, res, EXPORT_CASES); }
int res_ledger_export(http_req *req, http_res *res) { return start(req, res, EXPORT_LEDGER); }

static int job_param(http_req *req, http_res *res, export_state *s) {
    err e = {0};
    if (!req->exporter) return http_error(res, 404, "not_found", "id", "no such export");
    if (strlen(req->param[0]) != EXPORT_ID_LEN - 1 ||
        strspn(req->param[0], "0123456789abcdef") != EXPORT_ID_LEN - 1)
        return http_error(res, 404, "not_found", "id", "no export '%.40s'", req->param[0]);
    if (exporter_get(req->exporter, req->param[0], req->who->user_id, s, &e)) return http_error_from(res, &e);
    return 0;
}

int res_export_get(http_req *req, http_res *res) {
    export_state s;
    if (job_param(req, res, &s)) return res->status;
    http_add_header(res, "Cache-Control", "no-store");
    return http_json(res, 200, state_json(req->param[0], &s));
}

int res_export_file(http_req *req, http_res *res) {
    export_state s;
    if (job_param(req, res, &s)) return res->status;
    if (s.status != EXPORT_DONE)
        return http_error(res, 409, "conflict", "id", "the export is %s",
                          s.status == EXPORT_RUNNING ? "still running" : "failed");
    /* RFC 6266: an ASCII name, and the Chinese one encoded */
    int rc = res_send_xlsx(res, s.path,
                       s.layout == EXPORT_LEDGER
                           ? "attachment; filename=\"duban-ledger.xlsx\";"
                             " filename*=UTF-8''%E6%B8%85%E9%9B%B6%E5%8F%B0%E8%B4%A6.xlsx"
                           : "attachment; filename=\"duban-cases.xlsx\";"
                             " filename*=UTF-8''%E6%A1%88%E4%BB%B6%E5%AF%BC%E5%87%BA.xlsx");
    if (rc == ERR_NOTFOUND) return http_error(res, 404, "not_found", "id", "the export's file is gone");
    if (rc) return http_error(res, 503, "unavailable", NULL, "cannot read the export");
    return 200;
}

/* ---- the ranking table ---- */

static const struct { const char *key, *title; bool rate; } rank_cols[] = {
    {"dispatched", "交办", false},        {"accept_rate", "按时签收率", true},
    {"feedback_rate", "按时反馈率", true}, {"resolve_rate", "办结率", true},
    {"ontime_resolve_rate", "按期办结率", true}, {"solve_rate", "解决率", true},
    {"satisfaction_rate", "满意率", true}, {"composite", "综合", true},
    {"overdue", "超期", false},
};
#define N_RANK_COLS (sizeof rank_cols / sizeof *rank_cols)

static int by_rank(const void *a, const void *b) {
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    json_int_t rx = json_integer_value(json_object_get(x, "rank")), ry = json_integer_value(json_object_get(y, "rank"));
    if (!rx != !ry) return rx ? -1 : 1; /* the ranked first */
    if (rx != ry) return rx < ry ? -1 : 1;
    json_int_t dx = json_integer_value(json_object_get(x, "dispatched")), dy = json_integer_value(json_object_get(y, "dispatched"));
    if (dx != dy) return dx > dy ? -1 : 1;
    /* equal ranks and volumes: by code, as the dashboard lists them */
    return strcmp(json_string_value(json_object_get(json_object_get(x, "unit"), "code")),
                  json_string_value(json_object_get(json_object_get(y, "unit"), "code")));
}

/* One sheet per kind (市直部门, 乡镇街道), ranked as GET /stats ranks them. */
static int write_ranking(lxw_workbook *wb, json_t *stats) {
    static const struct { const char *kind, *sheet; } kinds[] = {{"dept", "市直部门"}, {"township", "乡镇街道"}};
    lxw_format *head = workbook_add_format(wb), *pct = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xF2F2F2);
    format_set_num_format(pct, "0.0%");
    for (size_t k = 0; k < 2; k++) {
        lxw_worksheet *ws = workbook_add_worksheet(wb, kinds[k].sheet);
        if (!ws) return ERR_IO;
        json_t *units = json_object_get(stats, "units"), *u;
        size_t n = 0, i;
        json_t **rows = calloc(json_array_size(units) + 1, sizeof *rows);
        if (!rows) return ERR_NOMEM;
        json_array_foreach(units, i, u)
            if (!strcmp(json_string_value(json_object_get(u, "kind")), kinds[k].kind)) rows[n++] = u;
        qsort(rows, n, sizeof *rows, by_rank);
        worksheet_write_string(ws, 0, 0, "名次", head);
        worksheet_write_string(ws, 0, 1, "单位", head);
        worksheet_set_column(ws, 1, 1, 26, NULL);
        for (lxw_col_t c = 0; c < N_RANK_COLS; c++) {
            worksheet_write_string(ws, 0, c + 2, rank_cols[c].title, head);
            worksheet_set_column(ws, c + 2, c + 2, 11, NULL);
        }
        for (i = 0; i < n; i++) {
            lxw_row_t r = (lxw_row_t)i + 1;
            json_t *rank = json_object_get(rows[i], "rank");
            if (json_is_integer(rank)) worksheet_write_number(ws, r, 0, (double)json_integer_value(rank), NULL);
            else worksheet_write_string(ws, r, 0, "不排名", NULL);
            worksheet_write_string(ws, r, 1, json_string_value(json_object_get(json_object_get(rows[i], "unit"), "name")), NULL);
            for (lxw_col_t c = 0; c < N_RANK_COLS; c++) {
                json_t *v = json_object_get(rows[i], rank_cols[c].key);
                if (json_is_number(v))
                    worksheet_write_number(ws, r, c + 2, json_number_value(v), rank_cols[c].rate ? pct : NULL);
            }
        }
        free(rows);
    }
    return 0;
}

/* GET /bulletin/export?month=: the 通报 as a workbook (report/bulletin_xlsx). */
int res_bulletin_export(http_req *req, http_res *res) {
    bulletin b;
    err e = {0};
    if (res_bulletin_read(req, res, &b)) return res->status;
    bulletin_xlsx_args f = {&b, req->now, store_env(req->st)->tz};
    char *buf, disp[200], day[11];
    size_t len;
    int rc = xlsx_mem(bulletin_xlsx_fill, &f, EXPORT_MAX_FILE, &buf, &len, &e);
    bulletin_clear(&b);
    if (rc) return http_error(res, 503, "unavailable", NULL, "cannot write the workbook");
    dt_format_date(dt_local_day(req->now, store_env(req->st)->tz), day);
    const char *month = http_query(req, "month");
    /* 通报 in the UTF-8 name; the plain one for older clients */
    snprintf(disp, sizeof disp, "attachment; filename=\"duban-bulletin-%.10s.xlsx\";"
             " filename*=UTF-8''%%E9%%80%%9A%%E6%%8A%%A5-%.10s.xlsx", month ? month : day, month ? month : day);
    res_send_xlsx_bytes(res, buf, len, disp);
    return 200;
}

static int ranking_fill(void *ctx, const char *path, err *e) {
    lxw_workbook *wb = workbook_new(path);
    int rc = wb ? write_ranking(wb, ctx) : ERR_IO;
    lxw_error closed = wb ? workbook_close(wb) : LXW_ERROR_CREATING_XLSX_FILE;
    if (!rc && closed != LXW_NO_ERROR) rc = ERR_IO;
    return rc ? err_set(e, ERR_IO, "", "cannot write the workbook") : 0;
}

/* GET /stats/export?from&to[&at]: GET /stats's ranking as an XLSX file. */
int res_stats_export(http_req *req, http_res *res) {
    json_t *stats;
    err e = {0};
    if (res_stats_json(req, res, &stats)) return res->status;
    char *buf, disp[200];
    size_t len;
    int rc = xlsx_mem(ranking_fill, stats, EXPORT_MAX_FILE, &buf, &len, &e);
    json_decref(stats);
    if (rc) return http_error(res, 503, "unavailable", NULL, "cannot write the workbook");
    snprintf(disp, sizeof disp, "attachment; filename=\"duban-ranking-%.10s.xlsx\";"
             " filename*=UTF-8''%%E7%%BB%%BC%%E5%%90%%88%%E6%%8E%%92%%E5%%90%%8D-%.10s.xlsx",
             http_query(req, "from"), http_query(req, "from"));
    res_send_xlsx_bytes(res, buf, len, disp);
    return 200;
}
