/* res_files: a case's attachments. Whoever may act on a case adds them
 * (the 12345 centre, the 督查室, the lead and assisting units' clerks), as
 * the raw body (?name=) or a multipart form's "file" part; whoever reads the
 * case reads them; a dispatcher publishes one to show it to the public
 * (GET /public/attachments/{id}: only a published attachment of a public
 * case). The type is judged by the bytes (core/file.h). */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/case_json.h"
#include "core/view.h"
#include "http/resources.h"
#include "store/store_case.h"
#include "store/store_file.h"

static json_t *file_json(const store_file *f, int tz) {
    char hex[65];
    for (int i = 0; i < 32; i++) sprintf(hex + 2 * i, "%02x", f->sha256[i]);
    char url[96];
    snprintf(url, sizeof url, "/api/v1/cases/%lld/attachments/%lld", (long long)f->case_id,
             (long long)f->id);
    return json_pack("{s:I, s:s, s:s, s:I, s:s, s:b, s:o, s:s, s:s, s:o}", "id", (json_int_t)f->id,
                     "name", f->name, "mime", f->mime, "size", (json_int_t)f->size, "sha256", hex,
                     "published", f->published, "created_at", case_time_json(f->created_at, tz),
                     "created_by", f->created_by, "url", url, "erased_at",
                     f->erased_at ? case_time_json(f->erased_at, tz) : json_null());
}

/* The case as this person may see it: 404 otherwise (another unit's case). */
static int visible(http_req *req, http_res *res, int64_t *id) {
    case_rec c;
    *id = 0;
    if (res_case_param(req, res, &c)) return res->status;
    *id = c.id;
    case_rec_clear(&c);
    return 0;
}

typedef struct upload {
    char *data;
    size_t len, cap, max;
    char name[FILE_NAME_MAX + 1];
    bool file_seen, too_big, name_too_long;
} upload;

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *type, const char *encoding,
                               const char *data, uint64_t off, size_t size) {
    upload *u = cls;
    (void)kind, (void)type, (void)encoding, (void)off;
    if (!strcmp(key, "name")) {
        size_t have = strlen(u->name);
        if (have + size >= sizeof u->name) u->name_too_long = true;
        else memcpy(u->name + have, data, size), u->name[have + size] = '\0';
        return MHD_YES;
    }
    if (strcmp(key, "file")) return MHD_YES; /* fields we do not know */
    if (!u->file_seen && filename && !u->name[0]) snprintf(u->name, sizeof u->name, "%s", filename);
    u->file_seen = true;
    if (u->too_big || u->len + size > u->max) {
        u->too_big = true;
        return MHD_YES;
    }
    if (u->len + size > u->cap) {
        size_t cap = u->cap ? u->cap : 65536;
        while (cap < u->len + size) cap *= 2;
        char *p = realloc(u->data, cap);
        if (!p) return MHD_NO;
        u->data = p;
        u->cap = cap;
    }
    memcpy(u->data + u->len, data, size);
    u->len += size;
    return MHD_YES;
}

int res_files_add_first(http_req *req, http_res *res) {
    if (!auth_may_act(req->who->role, ACT_ATTACH))
        return http_error(res, 403, "forbidden", "action", "the %s role may not add attachments",
                          auth_role_name(req->who->role));
    return 0;
}

/* POST /cases/{id}/attachments */
int res_files_add(http_req *req, http_res *res) {
    int64_t id;
    err e = {0};
    if (res_files_add_first(req, res) || visible(req, res, &id)) return res->status;
    const char *ctype = http_header(req, "Content-Type");
    upload u = {.max = req->cfg->max_upload};
    const unsigned char *data = (const unsigned char *)req->body;
    size_t n = req->body_len;
    const char *name = http_query(req, "name");
    if (ctype && !strncasecmp(ctype, "multipart/form-data", 19)) {
        struct MHD_PostProcessor *pp = MHD_create_post_processor(req->conn, 65536, on_part, &u);
        if (!pp) return http_error(res, 400, "bad_request", "file", "a multipart form without a boundary");
        enum MHD_Result ok = MHD_post_process(pp, req->body ? req->body : "", req->body_len);
        MHD_destroy_post_processor(pp);
        if (ok != MHD_YES || !u.file_seen) {
            free(u.data);
            return http_error(res, 400, "bad_request", "file",
                              "send the file as the form's \"file\" part");
        }
        if (u.name_too_long) {
            free(u.data);
            return http_error(res, 422, "invalid", "name", "the name is longer than %d bytes",
                              FILE_NAME_MAX);
        }
        if (u.too_big) {
            free(u.data);
            return http_error(res, 413, "too_large", "file", "the file is larger than %zu bytes",
                              u.max);
        }
        data = (const unsigned char *)u.data;
        n = u.len;
        name = u.name;
    }
    store_file f;
    int rc = store_file_add(req->st, id, auth_scope(req->who), req->who->name, req->now, name,
                            data ? data : (const unsigned char *)"", n, &f, &e);
    free(u.data);
    if (rc) return http_error_from(res, &e);
    char loc[96];
    snprintf(loc, sizeof loc, "/api/v1/cases/%lld/attachments/%lld", (long long)id, (long long)f.id);
    http_add_header(res, "Location", loc);
    return http_json(res, 201, file_json(&f, store_env(req->st)->tz));
}

typedef struct list_ctx { json_t *arr; int tz; } list_ctx;

static int add_file(void *ctx, const store_file *f) {
    list_ctx *x = ctx;
    json_array_append_new(x->arr, file_json(f, x->tz));
    return 0;
}

int res_files_list(http_req *req, http_res *res) {
    int64_t id;
    err e = {0};
    if (visible(req, res, &id)) return res->status;
    list_ctx x = {json_array(), store_env(req->st)->tz};
    if (store_file_list(req->st, id, false, add_file, &x, &e)) {
        json_decref(x.arr);
        return http_error_from(res, &e);
    }
    return http_json(res, 200, json_pack("{s:o}", "attachments", x.arr));
}

/* The bytes with their type: a photo shown in place, a PDF downloaded. */
static int send_file(http_res *res, store_file *f) {
    char disp[FILE_NAME_MAX * 3 + 64], *p = disp;
    bool pdf = !strcmp(f->mime, "application/pdf");
    p += sprintf(p, "%s; filename*=UTF-8''", pdf ? "attachment" : "inline");
    for (const unsigned char *s = (const unsigned char *)f->name; *s && p < disp + sizeof disp - 4; s++)
        p += strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_", *s) && *s
                 ? sprintf(p, "%c", *s)
                 : sprintf(p, "%%%02X", *s);
    res->status = 200;
    res->body = (char *)f->data; /* the response frees it */
    res->len = (size_t)f->size;
    f->data = NULL;
    static const char *const types[] = {"image/jpeg", "image/png", "image/webp", "application/pdf"};
    res->content_type = "application/octet-stream";
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (!strcmp(types[i], f->mime)) res->content_type = types[i];
    if (strlen(disp) >= sizeof res->header[0][1]) /* a long name: a plain one instead */
        snprintf(disp, sizeof disp, "%s; filename=\"attachment-%lld.%s\"",
                 pdf ? "attachment" : "inline", (long long)f->id, file_ext(f->mime));
    http_add_header(res, "Content-Disposition", disp);
    http_add_header(res, "Cache-Control", "private, max-age=3600");
    return 200;
}

int res_files_get(http_req *req, http_res *res) {
    int64_t id, fid;
    store_file f = {0};
    err e = {0};
    if (visible(req, res, &id) || http_path_id(req->param[1], "attachment", &fid, res))
        return res->status;
    if (store_file_get(req->st, id, fid, &f, &e)) return http_error_from(res, &e);
    send_file(res, &f);
    store_file_clear(&f);
    return res->status;
}

/* POST /cases/{id}/attachments/{aid}/publish {"published": true|false} */
int res_files_publish(http_req *req, http_res *res) {
    static const http_field fields[] = {{"published", JSON_TRUE, true}, {NULL, 0, false}};
    int64_t id, fid;
    err e = {0};
    if (visible(req, res, &id) || http_path_id(req->param[1], "attachment", &fid, res))
        return res->status;
    json_t *b = http_body_object(req, res);
    if (!b) return res->status;
    if (!http_check_fields(b, fields, res)) {
        bool on = json_is_true(json_object_get(b, "published"));
        if (store_file_publish(req->st, id, fid, on, req->who->name, req->now, &e))
            http_error_from(res, &e);
        else
            http_json(res, 200, json_pack("{s:I, s:b}", "id", (json_int_t)fid, "published", on));
    }
    json_decref(b);
    return res->status;
}

/* GET /public/attachments/{id}: a published attachment of a case the public
 * may see (core/view.h), else 404 as if it did not exist. */
int res_files_public(http_req *req, http_res *res) {
    int64_t fid;
    store_file f = {0};
    case_rec c = {0};
    err e = {0};
    if (http_path_id(req->param[0], "id", &fid, res)) return res->status;
    int rc = store_file_get(req->st, 0, fid, &f, &e);
    if (!rc) rc = store_case_get(req->st, f.case_id, &c, &e);
    if (rc && rc != ERR_NOTFOUND) {
        store_file_clear(&f);
        return http_error_from(res, &e);
    }
    if (rc || !f.published || !case_is_public(&c, store_env(req->st)->public_channels))
        http_error(res, 404, "not_found", "id", "no public attachment %lld", (long long)fid);
    else
        send_file(res, &f);
    case_rec_clear(&c);
    store_file_clear(&f);
    return res->status;
}
