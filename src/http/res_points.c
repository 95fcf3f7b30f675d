/* res_points: 码上评 for staff — the service points (kept by an
 * administrator), their QR codes and printable posters, and the figures of
 * their evaluations (好评率, 差评数, 差评整改率) per point and per unit. A
 * unit's clerk sees its own unit's points and figures. */
#include <stdlib.h>
#include <string.h>

#include "core/case_json.h"
#include "core/eval.h"
#include "http/html.h"
#include "util/text.h"
#include "http/resources.h"
#include "store/store_eval.h"
#include "store/store_json.h"
#include "util/datetime.h"
#include "util/qr.h"

static void point_url(http_req *req, const service_point *p, char *out, size_t n) {
    char path[32];
    snprintf(path, sizeof path, "/q/%s", p->code);
    html_site_url(req, path, out, n);
}

static json_t *point_json(http_req *req, const service_point *p) {
    char url[320];
    point_url(req, p, url, sizeof url);
    return json_pack("{s:I, s:s, s:s, s:s?, s:o, s:b, s:s, s:o}", "id", (json_int_t)p->id, "code",
                     p->code, "name", p->name, "place", p->place, "unit", store_ref_json(&p->unit),
                     "active", p->active, "url", url, "created_at",
                     case_time_json(p->created_at, store_env(req->st)->tz));
}

typedef struct list_ctx { http_req *req; json_t *arr; } list_ctx;

static int add_point(void *ctx, const service_point *p) {
    list_ctx *x = ctx;
    json_array_append_new(x->arr, point_json(x->req, p));
    return 0;
}

int res_points_list(http_req *req, http_res *res) {
    list_ctx x = {req, json_array()};
    err e = {0};
    if (store_point_list(req->st, auth_scope(req->who), add_point, &x, &e)) {
        json_decref(x.arr);
        return http_error_from(res, &e);
    }
    return http_json(res, 200, json_pack("{s:o}", "points", x.arr));
}

/* POST /service-points and PUT /service-points/{id}: name, place, unit
 * (code); active on a change. */
static int put(http_req *req, http_res *res, int64_t id) {
    static const http_field fields[] = {{"name", JSON_STRING, true},  {"place", JSON_STRING, false},
                                        {"unit", JSON_STRING, true},  {"active", JSON_TRUE, false},
                                        {NULL, 0, false}};
    json_t *b = http_body_object(req, res);
    if (!b) return res->status;
    service_point p = {.id = id, .active = true};
    err e = {0};
    if (http_check_fields(b, fields, res)) goto done;
    p.name = (char *)http_str(b, "name"); /* borrowed */
    p.place = (char *)http_str(b, "place");
    snprintf(p.unit.code, sizeof p.unit.code, "%s", http_str(b, "unit"));
    if (json_object_get(b, "active")) p.active = json_is_true(json_object_get(b, "active"));
    if (store_point_put(req->st, &p, req->now, &e)) {
        http_error_from(res, &e);
        goto done;
    }
    service_point out = {0};
    if (store_point_get(req->st, p.id, &out, &e)) {
        http_error_from(res, &e);
        goto done;
    }
    http_json(res, id ? 200 : 201, point_json(req, &out));
    point_clear(&out);
done:
    json_decref(b);
    return res->status;
}

int res_points_create(http_req *req, http_res *res) { return put(req, res, 0); }

int res_points_update(http_req *req, http_res *res) {
    int64_t id;
    if (http_path_id(req->param[0], "id", &id, res)) return res->status;
    return put(req, res, id);
}

/* The point of the path's {id}, as this person may see it (another unit's
 * is unknown); 0 or the error's status. */
static int point_param(http_req *req, http_res *res, service_point *p) {
    int64_t id;
    err e = {0};
    if (http_path_id(req->param[0], "id", &id, res)) return res->status;
    if (store_point_get(req->st, id, p, &e)) return http_error_from(res, &e);
    int64_t scope = auth_scope(req->who);
    if (scope && p->unit.id != scope) {
        point_clear(p);
        return http_error(res, 404, "not_found", "id", "no service point %lld", (long long)id);
    }
    return 0;
}

/* GET /service-points/{id}/qr?format=svg|png&scale=N */
int res_points_qr(http_req *req, http_res *res) {
    const char *format = http_query(req, "format");
    int64_t scale = 8;
    if (format && strcmp(format, "svg") && strcmp(format, "png"))
        return http_error(res, 400, "bad_request", "format", "format is svg or png");
    if (http_query_int(req, res, "scale", 1, 32, &scale)) return res->status;
    service_point p;
    if (point_param(req, res, &p)) return res->status;
    char url[320], *out = NULL;
    size_t len = 0;
    err e = {0};
    point_url(req, &p, url, sizeof url);
    FILE *f = open_memstream(&out, &len);
    bool png = format && !strcmp(format, "png");
    int rc = !f ? err_set(&e, ERR_NOMEM, "", "out of memory")
             : png ? qr_png(url, (int)scale, f, &e)
                   : qr_svg(url, 60, f, &e);
    if (f) fclose(f);
    char disp[96];
    snprintf(disp, sizeof disp, "inline; filename=\"qr-%s.%s\"", p.code, png ? "png" : "svg");
    point_clear(&p);
    if (rc) {
        free(out);
        return http_error_from(res, &e);
    }
    http_add_header(res, "Content-Disposition", disp);
    res->status = 200;
    res->body = out;
    res->len = len;
    res->content_type = png ? "image/png" : "image/svg+xml";
    return 200;
}

static const char poster_style[] =
    "@page{size:A4;margin:0}"
    "*{box-sizing:border-box}"
    "body{margin:0;font-family:'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei',"
    "sans-serif;color:#000;background:#fff}"
    ".poster{width:210mm;height:296mm;margin:0 auto;padding:24mm 20mm;display:flex;"
    "flex-direction:column;align-items:center;text-align:center}"
    ".brand{font-size:34pt;font-weight:700;letter-spacing:.2em;color:#b50000}"
    ".sub{font-size:15pt;margin:2mm 0 12mm;color:#333}"
    ".qr{border:3mm solid #b50000;border-radius:6mm;padding:4mm;background:#fff}"
    ".name{font-size:24pt;font-weight:700;margin:12mm 0 2mm}"
    ".place,.unit{font-size:14pt;color:#333}"
    ".how{margin-top:auto;font-size:15pt;line-height:1.6}"
    ".url{font-size:10pt;color:#555;word-break:break-all}"
    "@media screen{body{background:#e8e8e8}.poster{background:#fff;margin:4mm auto;"
    "box-shadow:0 0 4px #999}}"
    "@media screen and (max-width:800px){.poster{width:100%;height:auto;padding:8mm}"
    ".qr svg{width:60vw;height:60vw}}";

/* GET /service-points/{id}/poster: one A4 page to print and hang up. */
int res_points_poster(http_req *req, http_res *res) {
    service_point p;
    if (point_param(req, res, &p)) return res->status;
    char url[320], *html = NULL;
    size_t len = 0;
    err e = {0};
    point_url(req, &p, url, sizeof url);
    FILE *f = open_memstream(&html, &len);
    if (!f) {
        point_clear(&p);
        return http_error(res, 503, "unavailable", NULL, "out of memory");
    }
    fputs("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>码上评 ", f);
    text_html(f, p.name);
    fprintf(f, "</title><style>%s</style></head><body><main class=\"poster\">"
               "<div class=\"brand\">码上评</div><div class=\"sub\">政务服务“好差评”</div>"
               "<div class=\"qr\">", poster_style);
    int rc = qr_svg(url, 120, f, &e);
    fputs("</div><div class=\"name\">", f);
    text_html(f, p.name);
    fputs("</div>", f);
    if (p.place) {
        fputs("<div class=\"place\">", f);
        text_html(f, p.place);
        fputs("</div>", f);
    }
    fputs("<div class=\"unit\">", f);
    text_html(f, p.unit.name);
    fputs("</div><div class=\"how\">用手机扫一扫，为我们的服务打分；不满意可直接反映问题，"
          "我们限期整改并回复您。<div class=\"url\">", f);
    text_html(f, url);
    fputs("</div></div></main></body></html>", f);
    fclose(f);
    point_clear(&p);
    if (rc) {
        free(html);
        return http_error_from(res, &e);
    }
    return html_send(res, html, len, poster_style);
}

/* ---- figures ---- */

typedef struct tally {
    int64_t by_level[EV_COUNT], bad_cases, bad_due, bad_fixed, bad_anonymous, excluded;
} tally;

static void tally_add(tally *t, const store_eval_row *r) {
    for (int l = 0; l < EV_COUNT; l++) t->by_level[l] += r->by_level[l];
    t->bad_cases += r->bad_cases;
    t->bad_due += r->bad_due;
    t->bad_fixed += r->bad_fixed;
    t->bad_anonymous += r->bad_anonymous;
    t->excluded += r->excluded;
}

/* {total, by_level{...}, good, bad, good_rate, bad_cases, bad_due,
 * bad_fixed, fix_rate, bad_anonymous, excluded}: 好评 is every level above 不满意;
 * 差评整改率 counts the 实名差评 whose 整改 deadline has passed and those put
 * right by it, the anonymous apart; an upheld 申诉复核 takes a 差评 out of
 * all of them (excluded says how many). */
static void tally_json(json_t *o, const tally *t) {
    json_t *levels = json_object();
    int64_t total = 0, bad = 0;
    for (int l = EV_VERY_SATISFIED; l < EV_COUNT; l++) {
        json_object_set_new(levels, eval_level_name((eval_level)l), json_integer(t->by_level[l]));
        total += t->by_level[l];
        if (eval_is_bad((eval_level)l)) bad += t->by_level[l];
    }
    json_object_set_new(o, "total", json_integer(total));
    json_object_set_new(o, "by_level", levels);
    json_object_set_new(o, "good", json_integer(total - bad));
    json_object_set_new(o, "bad", json_integer(bad));
    json_object_set_new(o, "good_rate", store_rate_json(total - bad, total));
    json_object_set_new(o, "bad_cases", json_integer(t->bad_cases));
    json_object_set_new(o, "bad_due", json_integer(t->bad_due));
    json_object_set_new(o, "bad_fixed", json_integer(t->bad_fixed));
    json_object_set_new(o, "fix_rate", store_rate_json(t->bad_fixed, t->bad_due));
    json_object_set_new(o, "bad_anonymous", json_integer(t->bad_anonymous));
    json_object_set_new(o, "excluded", json_integer(t->excluded)); /* 申诉复核 upheld */
}

typedef struct stats_ctx {
    json_t *points;
    struct unit_tally { unit_ref unit; tally t; } *units;
    size_t n, cap;
    tally all;
} stats_ctx;

static int add_row(void *ctx, const store_eval_row *r) {
    stats_ctx *x = ctx;
    tally t = {0};
    tally_add(&t, r);
    tally_add(&x->all, r);
    json_t *o = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)r->point_id, "code",
                          r->point_code, "name", r->point_name ? r->point_name : "", "unit",
                          store_ref_json(&r->unit));
    tally_json(o, &t);
    json_array_append_new(x->points, o);
    size_t i = 0;
    while (i < x->n && x->units[i].unit.id != r->unit.id) i++;
    if (i == x->n) {
        if (x->n == x->cap) {
            size_t cap = x->cap ? x->cap * 2 : 16;
            void *p = realloc(x->units, cap * sizeof *x->units);
            if (!p) return ERR_NOMEM;
            x->units = p;
            x->cap = cap;
        }
        x->units[x->n++] = (struct unit_tally){.unit = r->unit};
    }
    tally_add(&x->units[i].t, r);
    return 0;
}

/* GET /evaluations/stats?from=DATE&to=DATE[&at=]: [from, to) in local days,
 * as of `at` (default now). */
int res_eval_stats(http_req *req, http_res *res) {
    const char *from = http_query(req, "from"), *to = http_query(req, "to");
    int64_t t0, t1, at = req->now;
    err e = {0};
    if (http_query_period(req, res, &t0, &t1)) return res->status;
    if (http_query_at(req, res, &at)) return res->status;
    stats_ctx x = {.points = json_array()};
    int rc = store_eval_stats(req->st, t0, t1, at, auth_scope(req->who), add_row, &x, &e);
    if (rc) {
        json_decref(x.points);
        free(x.units);
        if (rc == ERR_NOMEM) err_set(&e, ERR_NOMEM, "", "out of memory");
        return http_error_from(res, &e);
    }
    json_t *units = json_array(), *total = json_object();
    for (size_t i = 0; i < x.n; i++) {
        json_t *o = json_pack("{s:o}", "unit", store_ref_json(&x.units[i].unit));
        tally_json(o, &x.units[i].t);
        json_array_append_new(units, o);
    }
    tally_json(total, &x.all);
    free(x.units);
    return http_json(res, 200, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "from", from, "to", to, "at",
                                         case_time_json(at, store_env(req->st)->tz), "points", x.points, "units",
                                         units, "total", total));
}
