/* res_public: what anyone may do without signing in beyond Open311 —
 * evaluate a service point (码上评) and track a case with the check code on
 * its receipt. Both are throttled: an evaluation per device per point per
 * hour (a cookie) under a ceiling per address (a hall's visitors share one
 * Wi-Fi address), and wrong check codes per address. */
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/eval.h"
#include "core/view.h"
#include "http/html.h"
#include "http/resources.h"
#include "store/store_auth.h"
#include "store/store_case.h"
#include "store/store_eval.h"
#include "store/store_file.h"

#define DEVICE_COOKIE "duban_dev"
#define TRACK_WINDOW (15 * 60)
#define TRACK_MAX_WRONG 10 /* wrong codes per address per window */

static int point_of_code(http_req *req, http_res *res, service_point *p) {
    err e = {0};
    if (!point_code_valid(req->param[0]) || store_point_by_code(req->st, req->param[0], p, &e)) {
        if (e.code && e.code != ERR_NOTFOUND) return http_error_from(res, &e);
        return http_error(res, 404, "not_found", "code", "no service point '%s'", req->param[0]);
    }
    return 0;
}

static json_t *labels_json(void) {
    json_t *levels = json_array();
    for (int l = EV_VERY_SATISFIED; l < EV_COUNT; l++)
        json_array_append_new(levels, json_pack("{s:s, s:s, s:b}", "name",
                                                eval_level_name((eval_level)l), "label",
                                                eval_level_label((eval_level)l), "bad",
                                                eval_is_bad((eval_level)l)));
    return levels;
}

/* GET /public/points/{code}: what the evaluation page shows. */
int res_public_point(http_req *req, http_res *res) {
    service_point p;
    if (point_of_code(req, res, &p)) return res->status;
    unsigned char key[32];
    char token[EVAL_TOKEN_HEX];
    err e = {0};
    if (store_secret(req->st, "eval_token_key", key, &e)) {
        point_clear(&p);
        return http_error_from(res, &e);
    }
    eval_token_make(key, p.id, req->now, token); /* what the page sends back (core/eval.h) */
    sodium_memzero(key, sizeof key);
    json_t *o = json_pack("{s:s, s:s, s:s?, s:s, s:b, s:o, s:s}", "code", p.code, "name", p.name,
                          "place", p.place, "unit", p.unit.name, "active", p.active, "levels",
                          labels_json(), "token", token);
    point_clear(&p);
    http_add_header(res, "Cache-Control", "no-store");
    return http_json(res, 200, o);
}

/* The device's cookie (set here when it has none or a malformed one), as
 * the digest the throttle keeps. */
static void device_of(http_req *req, http_res *res, unsigned char out[16]) {
    const char *c = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, DEVICE_COOKIE);
    char fresh[33];
    bool ok = c && strlen(c) == 32 && strspn(c, "0123456789abcdef") == 32;
    if (!ok) {
        unsigned char raw[16];
        randombytes_buf(raw, sizeof raw);
        sodium_bin2hex(fresh, sizeof fresh, raw, sizeof raw);
        http_set_cookie(req, res, DEVICE_COOKIE, fresh, "/api/v1/public", 31536000);
        c = fresh;
    }
    unsigned char h[32];
    crypto_hash_sha256(h, (const unsigned char *)c, 32);
    memcpy(out, h, 16);
}

static int reasons_of(json_t *arr, unsigned *bits, http_res *res) {
    size_t i;
    json_t *v;
    err e = {0};
    *bits = 0;
    json_array_foreach(arr, i, v) {
        unsigned bit;
        if (eval_reason_parse(json_string_value(v), &bit, &e))
            return http_error(res, 422, "invalid", "reasons", "%s", e.msg);
        *bits |= bit;
    }
    return 0;
}

/* POST /public/points/{code}/evaluations {token, level, reasons[], comment,
 * phone, report, website}: the token is the one the point's page was given
 * (core/eval.h), once; website is a field no person sees (a honeypot); a
 * body that fills it is answered as if taken, and nothing is kept. An
 * evaluation the burst rule holds is answered as any other. */
int res_public_evaluate(http_req *req, http_res *res) {
    static const http_field fields[] = {
        {"level", JSON_STRING, true},  {"reasons", JSON_ARRAY, false},
        {"comment", JSON_STRING, false}, {"phone", JSON_STRING, false},
        {"report", JSON_TRUE, false},  {"website", JSON_STRING, false},
        {"token", JSON_STRING, false}, {NULL, 0, false}}; /* (checked once the point is known) */
    service_point p = {0};
    case_rec c = {0};
    err e = {0};
    json_t *b = http_body_object(req, res);
    if (!b) return res->status;
    if (http_check_fields(b, fields, res) || point_of_code(req, res, &p)) goto done;
    evaluation ev = {.comment = http_str(b, "comment"), .phone = http_str(b, "phone"),
                     .report = json_is_true(json_object_get(b, "report"))};
    if (eval_level_parse(http_str(b, "level"), &ev.level, &e)) {
        http_error_from(res, &e);
        goto done;
    }
    if (reasons_of(json_object_get(b, "reasons"), &ev.reasons, res)) goto done;
    const char *trap = http_str(b, "website");
    if (trap && trap[0]) { /* a script: looks taken, is not */
        http_json(res, 201, json_pack("{s:s}", "level", eval_level_name(ev.level)));
        goto done;
    }
    unsigned char key[32], nonce[16];
    if (store_secret(req->st, "eval_token_key", key, &e) ||
        eval_token_check(key, http_str(b, "token"), p.id, req->now, nonce, &e)) {
        sodium_memzero(key, sizeof key);
        http_error_from(res, &e);
        goto done;
    }
    sodium_memzero(key, sizeof key);
    char addr[64];
    bool held;
    http_client_addr(req, addr);
    store_eval_source src = {.addr = addr,
                             .addr_per_hour = (int)store_config_int(req->st, "qr_addr_per_hour", 120),
                             .nonce = nonce};
    device_of(req, res, src.device);
    if (store_eval_add(req->st, &p, &ev, &src, req->now, &c, &held, &e)) {
        if (e.code == ERR_THROTTLED) http_add_header(res, "Retry-After", "3600");
        http_error_from(res, &e);
        goto done;
    }
    json_t *o = json_pack("{s:s, s:s}", "level", eval_level_name(ev.level), "label",
                          eval_level_label(ev.level));
    char code[VIEW_TRACK_CODE_LEN + 1], path[96], url[400];
    if (c.id && view_track_code(&c, code)) {
        snprintf(path, sizeof path, "/t/%s?code=%s", c.case_no, code);
        html_site_url(req, path, url, sizeof url);
        json_object_set_new(o, "case", json_pack("{s:s, s:s, s:s, s:s}", "case_no", c.case_no,
                                                 "track_code", code, "track_url", url, "unit",
                                                 c.lead.name));
    }
    http_json(res, 201, o);
done:
    case_rec_clear(&c);
    point_clear(&p);
    json_decref(b);
    return res->status;
}

static int add_photo(void *ctx, const store_file *f) {
    if (strncmp(f->mime, "image/", 6) == 0)
        json_array_append_new(ctx, json_sprintf("/api/v1/public/attachments/%lld", (long long)f->id));
    return 0;
}

/* GET /public/track/{case_no}?code=CHECK: an unknown number and a wrong code
 * are answered alike (404), and counted against the address. */
int res_public_track(http_req *req, http_res *res) {
    char addr[64], key[96];
    err e = {0};
    http_client_addr(req, addr);
    snprintf(key, sizeof key, "track:%s", addr);
    int64_t wait = auth_failures_wait(req->st, key, TRACK_MAX_WRONG, TRACK_WINDOW, req->now);
    if (wait) {
        char retry[24];
        snprintf(retry, sizeof retry, "%lld", (long long)wait);
        http_add_header(res, "Retry-After", retry);
        return http_error(res, 429, "throttled", "code",
                          "too many wrong check codes from this address; try again in %s seconds",
                          retry);
    }
    int64_t id = 0;
    case_rec c = {0};
    const char *code = http_query(req, "code");
    int rc = store_case_id_by_no(req->st, req->param[0], &id, &e);
    if (!rc) rc = store_case_get(req->st, id, &c, &e);
    if (rc && rc != ERR_NOTFOUND) return http_error_from(res, &e);
    if (rc || !view_track_code_ok(&c, code)) {
        case_rec_clear(&c);
        store_failures_add(req->st, key, req->now, TRACK_WINDOW, NULL);
        return http_error(res, 404, "not_found", "code",
                          "no case with this number and check code");
    }
    const case_env *env = store_env(req->st);
    json_t *o = case_track_json(&c, env->public_channels, env->tz, req->now);
    /* the photos the 督查室 published (整改 before and after), where anyone
     * may fetch them: only for a case the public may see */
    json_t *photos = json_array();
    if (case_is_public(&c, env->public_channels))
        rc = store_file_list(req->st, c.id, true, add_photo, photos, &e);
    case_rec_clear(&c);
    if (rc) {
        json_decref(photos);
        json_decref(o);
        return http_error_from(res, &e);
    }
    json_object_set_new(o, "photos", photos);
    http_add_header(res, "Cache-Control", "no-store");
    return http_json(res, 200, o);
}
