/* res_bulletins: publishing the 通报. An issue is numbered (期号) and kept as
 * it was sent — its figures, its page, its workbook — so a later change of
 * weights, an upheld appeal or a late event never rewrites it; a correction
 * is a new issue that names the one it corrects and says what changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/bulletin.h"
#include "core/case_json.h"
#include "http/html.h"
#include "http/resources.h"
#include "report/bulletin_html.h"
#include "report/bulletin_xlsx.h"
#include "report/xlsx_mem.h"
#include "store/store_auth.h"
#include "store/store_bulletin.h"
#include "util/datetime.h"
#include "util/text.h"

#define NOTE_MAX 200 /* characters */

static json_t *issue_json(const store_issue *i, int tz) {
    json_t *o = json_pack("{s:I, s:o, s:o, s:o, s:s, s:o, s:o}", "no", (json_int_t)i->no, "from",
                          case_time_json(i->from, tz), "to", case_time_json(i->to, tz), "published_at",
                          case_time_json(i->published_at, tz), "published_by", i->by, "corrects",
                          i->corrects ? json_integer(i->corrects) : json_null(), "note",
                          i->note ? json_string(i->note) : json_null());
    char url[64];
    snprintf(url, sizeof url, "/api/v1/bulletins/%lld/print", (long long)i->no);
    json_object_set_new(o, "print", json_string(url));
    snprintf(url, sizeof url, "/api/v1/bulletins/%lld/export", (long long)i->no);
    json_object_set_new(o, "export", json_string(url));
    return o;
}

/* The period of a body: {month} or {from, to}; else a 422 naming it. */
static int body_period(json_t *b, int tz, int64_t *from, int64_t *to, int64_t *before, http_res *res) {
    err e = {0};
    const char *month = http_str(b, "month"), *f = http_str(b, "from"), *t = http_str(b, "to");
    int32_t d0, d1;
    if (month) {
        if (bulletin_month(month, tz, from, to, before, &e))
            return http_error(res, 422, "invalid", "month", "%s", e.msg);
        return 0;
    }
    if (!f || dt_parse_date(f, &d0, &e)) return http_error(res, 422, "invalid", "from", "give month, or from and to (YYYY-MM-DD)");
    if (!t || dt_parse_date(t, &d1, &e) || d1 <= d0)
        return http_error(res, 422, "invalid", "to", "to must be a date after from");
    *from = dt_day_start(d0, tz);
    *to = dt_day_start(d1, tz);
    *before = *from - (*to - *from);
    return 0;
}

/* Renders b into i's page and workbook (i->no already set). */
static int render(const bulletin *b, int64_t now, int tz, store_issue *i, err *e) {
    size_t len = 0;
    FILE *f = open_memstream(&i->page, &len);
    if (!f) return err_set(e, ERR_NOMEM, "", "out of memory");
    bulletin_html(b, f, now, tz);
    fclose(f);
    bulletin_xlsx_args a = {b, now, tz};
    char *book;
    int rc = xlsx_mem(bulletin_xlsx_fill, &a, (size_t)64 << 20, &book, &i->workbook_len, e);
    if (!rc) i->workbook = (unsigned char *)book;
    return rc;
}

/* POST /bulletins {month | from, to; corrects, note}: publishes the next issue. */
int res_bulletins_publish(http_req *req, http_res *res) {
    static const http_field fields[] = {{"month", JSON_STRING, false}, {"from", JSON_STRING, false},
                                        {"to", JSON_STRING, false},    {"corrects", JSON_INTEGER, false},
                                        {"note", JSON_STRING, false},  {NULL, 0, false}};
    json_t *b = http_body_object(req, res);
    int tz = store_env(req->st)->tz;
    int64_t from, to, before;
    store_issue i = {0};
    bulletin bl = {0};
    err e = {0};
    if (!b) return res->status;
    if (http_check_fields(b, fields, res) || body_period(b, tz, &from, &to, &before, res)) goto done;
    i.corrects = json_integer_value(json_object_get(b, "corrects"));
    const char *note = http_str(b, "note");
    if (json_object_get(b, "corrects") && i.corrects < 1) {
        http_error(res, 422, "invalid", "corrects", "corrects is the number of an issue");
        goto done;
    }
    if ((i.corrects && text_blank(note)) || (note && text_len(note) > NOTE_MAX)) {
        http_error(res, 422, "invalid", "note", "a correction says what it corrects, in 1-%d characters", NOTE_MAX);
        goto done;
    }
    if (store_bulletin_get(req->st, from, to, before, store_report_at(req->st, to, req->now), &bl, &e) ||
        store_issue_next(req->st, &i.no, &e))
        goto failed;
    html_site_url(req, "", bl.site, sizeof bl.site); /* the workbook's rates link here */
    bl.issue_no = i.no;
    bl.corrects = i.corrects;
    bl.note = note;
    i.from = from;
    i.to = to;
    i.before_from = before;
    i.published_at = req->now;
    snprintf(i.by, sizeof i.by, "%s", req->who->name);
    i.note = note && note[0] ? strdup(note) : NULL;
    json_t *fig = bulletin_json(&bl, tz);
    i.figures = json_dumps(fig, JSON_COMPACT);
    json_decref(fig);
    char detail[96];
    snprintf(detail, sizeof detail, "第 %lld 期%s", (long long)i.no, i.corrects ? "（更正）" : "");
    if (!i.figures || render(&bl, req->now, tz, &i, &e)) goto failed;
    store_actor who = http_actor(req);
    int rc = store_begin(req->st, &e);
    if (!rc) rc = store_issue_add(req->st, &i, &e);
    if (store_logged_end(req->st, rc, &who, "bulletin_published", detail, &e)) goto failed;
    http_json(res, 201, issue_json(&i, tz));
    goto done;
failed:
    http_error_from(res, &e);
done:
    bulletin_clear(&bl);
    store_issue_clear(&i);
    json_decref(b);
    return res->status;
}

typedef struct issue_list { json_t *arr; int tz; } issue_list;

static int add_issue(void *ctx, const store_issue *i) {
    issue_list *x = ctx;
    json_array_append_new(x->arr, issue_json(i, x->tz));
    return 0;
}

/* GET /bulletins: every issue, newest first. */
int res_bulletins(http_req *req, http_res *res) {
    issue_list x = {json_array(), store_env(req->st)->tz};
    err e = {0};
    if (store_issue_list(req->st, add_issue, &x, &e)) {
        json_decref(x.arr);
        return http_error_from(res, &e);
    }
    return http_json(res, 200, json_pack("{s:o}", "issues", x.arr));
}

static int issue_param(http_req *req, http_res *res, bool files, store_issue *out) {
    int64_t no;
    err e = {0};
    if (http_path_id(req->param[0], "no", &no, res)) return res->status;
    if (store_issue_get(req->st, no, files, out, &e)) return http_error_from(res, &e);
    return 0;
}

/* GET /bulletins/{no}: the issue and its figures as published. */
int res_bulletin_issue(http_req *req, http_res *res) {
    store_issue i;
    if (issue_param(req, res, false, &i)) return res->status;
    json_t *o = issue_json(&i, store_env(req->st)->tz);
    json_object_set_new(o, "figures", json_loads(i.figures, 0, NULL));
    store_issue_clear(&i);
    return http_json(res, 200, o);
}

/* GET /bulletins/{no}/print: the page as it was published. Its style block
 * is allowed by its own hash: a later version's style does not change it. */
int res_bulletin_issue_print(http_req *req, http_res *res) {
    store_issue i;
    if (issue_param(req, res, true, &i)) return res->status;
    char *open = strstr(i.page, "<style>"), *close = open ? strstr(open, "</style>") : NULL;
    char *style = open && close ? strndup(open + 7, (size_t)(close - open - 7)) : strdup("");
    size_t len = strlen(i.page);
    char *page = i.page;
    i.page = NULL;
    store_issue_clear(&i);
    int rc = style ? html_send(res, page, len, style) : http_error(res, 503, "unavailable", NULL, "out of memory");
    if (!style) free(page);
    free(style);
    return rc;
}

/* GET /bulletins/{no}/export: the workbook as it was published. */
int res_bulletin_issue_export(http_req *req, http_res *res) {
    store_issue i;
    if (issue_param(req, res, true, &i)) return res->status;
    char disp[200];
    snprintf(disp, sizeof disp, "attachment; filename=\"duban-bulletin-%lld.xlsx\";"
             " filename*=UTF-8''%%E9%%80%%9A%%E6%%8A%%A5-%lld.xlsx", (long long)i.no, (long long)i.no);
    http_add_header(res, "Content-Disposition", disp);
    http_add_header(res, "Cache-Control", "no-store");
    res->status = 200;
    res->body = (char *)i.workbook; /* the server frees it */
    res->len = i.workbook_len;
    res->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    i.workbook = NULL;
    store_issue_clear(&i);
    return 200;
}
