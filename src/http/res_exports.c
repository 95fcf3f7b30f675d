/* res_exports: a case list exported to Excel. POST /cases/export takes the
 * list's own query (GET /cases's filters, a handler confined to its unit)
 * and starts a job (http/exporter.h); GET /exports/{id} says how far it is;
 * GET /exports/{id}/file gives the XLSX once done. Each export is logged for
 * the auditor with its count. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/exporter.h"
#include "http/resources.h"
#include "store/store_auth.h"

#define EXPORT_MAX_FILE ((size_t)256 << 20)

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

int res_cases_export(http_req *req, http_res *res) {
    export_spec spec = {.owner = req->who->user_id, .tz = store_env(req->st)->tz, .now = req->now};
    char id[EXPORT_ID_LEN], detail[128];
    err e = {0};
    if (!req->exporter) return http_error(res, 503, "unavailable", NULL, "exports are not available");
    if (res_case_filter(req, res, &spec.filter)) return res->status;
    if (exporter_start(req->exporter, &spec, id, &e)) return http_error_from(res, &e);
    export_state s;
    if (exporter_get(req->exporter, id, spec.owner, &s, &e)) return http_error_from(res, &e);
    snprintf(detail, sizeof detail, "export %s: %lld cases", id, (long long)s.total);
    store_access_log(req->st, req->now, req->who->user_id, req->who->name, "export", 0, detail, NULL);
    return http_json(res, 202, state_json(id, &s));
}

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
    int fd = open(s.path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) || (size_t)sb.st_size > EXPORT_MAX_FILE) {
        if (fd >= 0) close(fd);
        return http_error(res, 404, "not_found", "id", "the export's file is gone");
    }
    char *buf = malloc((size_t)sb.st_size + 1);
    ssize_t got = buf ? read(fd, buf, (size_t)sb.st_size) : -1;
    close(fd);
    if (got != sb.st_size) {
        free(buf);
        return http_error(res, 503, "unavailable", NULL, "cannot read the export");
    }
    /* RFC 6266: an ASCII name, and the Chinese one encoded */
    http_add_header(res, "Content-Disposition",
                    "attachment; filename=\"duban-cases.xlsx\"; filename*=UTF-8''%E6%A1%88%E4%BB%B6%E5%AF%BC%E5%87%BA.xlsx");
    http_add_header(res, "Cache-Control", "no-store");
    http_add_header(res, "X-Content-Type-Options", "nosniff");
    res->status = 200;
    res->body = buf;
    res->len = (size_t)got;
    res->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    return 200;
}
