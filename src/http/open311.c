/* open311: the Open311 GeoReport v2 interface (wiki.open311.org/GeoReport_v2),
 * read side so far: discovery, services and service definitions. A response is
 * built once as a JSON value and rendered as JSON or, through libxml2's
 * writer, as the spec's XML, so the two formats cannot drift apart. Errors
 * come in the requested format with the spec's codes. */
#include <libxml/xmlwriter.h>
#include <microhttpd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/resources.h"
#include "core/case_json.h"
#include "core/view.h"
#include "util/text.h"
#include "store/store.h"
#include "store/store_ref.h"
#include "store/store_case.h"
#include "store/store_file.h"
#include "util/datetime.h"

typedef enum { FMT_JSON, FMT_XML } o311_fmt;

#define O311_MAX_IDS 100 /* service_request_id values in one request */
#define O311_WINDOW 1000 /* requests reachable by pages, newest first */
#define O311_SCAN 5000   /* cases read at most to fill one answer */

/* "services.json" -> ("services", JSON); false for any other suffix. */
static bool split_format(const char *doc, char *name, size_t n, o311_fmt *fmt) {
    const char *dot = strrchr(doc, '.');
    if (!dot || (size_t)(dot - doc) >= n) return false;
    if (strcmp(dot, ".json") == 0) *fmt = FMT_JSON;
    else if (strcmp(dot, ".xml") == 0) *fmt = FMT_XML;
    else return false;
    memcpy(name, doc, (size_t)(dot - doc));
    name[dot - doc] = '\0';
    return true;
}

/* The XML element for each item of an array, by the array's name. */
static const char *singular(const char *plural) {
    static const char *const names[][2] = {
        {"services", "service"},   {"endpoints", "endpoint"}, {"formats", "format"},
        {"attributes", "attribute"}, {"values", "value"},     {"errors", "error"},
        {"service_requests", "request"}, {"service_definition", "attribute"},
        {"service_request_updates", "request_update"},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(names[i][0], plural) == 0) return names[i][1];
    return "item";
}

static void write_value(xmlTextWriterPtr w, const char *name, json_t *v);

static void write_children(xmlTextWriterPtr w, const char *name, json_t *v) {
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) write_value(w, k, x);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) write_value(w, singular(name), x);
    }
}

/* Absent values are left out, never written as empty elements. */
static void write_value(xmlTextWriterPtr w, const char *name, json_t *v) {
    char num[64];
    switch (json_typeof(v)) {
    case JSON_NULL: return;
    case JSON_OBJECT:
    case JSON_ARRAY:
        xmlTextWriterStartElement(w, BAD_CAST name);
        write_children(w, name, v);
        xmlTextWriterEndElement(w);
        return;
    case JSON_STRING:
        xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST json_string_value(v));
        return;
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        break;
    case JSON_REAL:
        case_json_real_text(json_real_value(v), num);
        break;
    default:
        snprintf(num, sizeof num, "%s", json_is_true(v) ? "true" : "false");
    }
    xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST num);
}

/* Sends v (stolen) as JSON, or as XML under <root>. */
static int emit(http_res *res, int status, o311_fmt fmt, const char *root, json_t *v) {
    if (fmt == FMT_JSON) {
        http_json(res, status, v);
        return status;
    }
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
    if (!w) {
        if (buf) xmlBufferFree(buf);
        json_decref(v);
        return http_error(res, 500, "internal", NULL, "cannot write XML");
    }
    xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
    write_value(w, root, v);
    xmlTextWriterEndDocument(w);
    xmlFreeTextWriter(w);
    json_decref(v);
    res->status = status;
    res->len = (size_t)xmlBufferLength(buf);
    res->body = malloc(res->len + 1);
    if (res->body) memcpy(res->body, xmlBufferContent(buf), res->len + 1);
    xmlBufferFree(buf);
    res->content_type = "text/xml; charset=utf-8";
    return status;
}

/* The spec's error list: [{"code": 404, "description": "..."}]. */
static int o311_error(http_res *res, o311_fmt fmt, int status, const char *description) {
    return emit(res, status, fmt, "errors",
                json_pack("[{s:i, s:s}]", "code", status, "description", description));
}

/* A query parameter; an empty one (start_date=) is as if absent, as
 * clients that fill a form template send them. */
static const char *o311_param(const http_req *req, const char *key) {
    const char *v = http_query(req, key);
    return v && v[0] ? v : NULL;
}

/* The store failed (not "no such thing"): the status and message from the
 * server's one map (errors.c) — 503 for the database, so a client retries
 * rather than give up on a 404 or blame its key on a 403; the detail goes to
 * the log, not to the client. e may be NULL (a failure with no detail). */
static int o311_failed(http_res *res, o311_fmt fmt, const err *e) {
    err io = {.code = ERR_IO};
    http_err_view v;
    http_err_view_of(e && e->code ? e : &io, res->rid, &v);
    return o311_error(res, fmt, v.status, v.msg);
}

/* jurisdiction_id may be absent or empty; present, it must be ours.
 * Returns 0, or the status of the error response it set. */
static int check_jurisdiction(http_res *res, o311_fmt fmt, store *st, const char *j) {
    char ours[64] = "";
    if (!j || !j[0]) return 0;
    err e = {0};
    if (store_config_get(st, "jurisdiction_id", ours, sizeof ours, &e) != 0)
        return o311_failed(res, fmt, &e);
    return strcmp(j, ours) == 0 ? 0 : o311_error(res, fmt, 404, "jurisdiction_id not found");
}

int res_o311_discovery(http_req *req, http_res *res) {
    char name[32], url[160];
    o311_fmt fmt;
    if (!split_format(req->param[0], name, sizeof name, &fmt) || strcmp(name, "discovery") != 0)
        return res_o311_unknown(req, res, NULL);
    /* The endpoints are configuration (open311_url, open311_test_url): a
     * client's Host header must not decide what a public document says. */
    static const struct { const char *key, *type; } kinds[] = {{"open311_url", "production"},
                                                               {"open311_test_url", "test"}};
    json_t *endpoints = json_array();
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        err e = {0};
        int rc = store_config_get(req->st, kinds[i].key, url, sizeof url, &e);
        if (rc == ERR_NOTFOUND || (rc == 0 && !url[0])) continue;
        if (rc) {
            json_decref(endpoints);
            return o311_failed(res, fmt, &e);
        }
        json_array_append_new(endpoints,
                              json_pack("{s:s, s:s, s:s, s:s, s:[s, s]}", "specification",
                                        "http://wiki.open311.org/GeoReport_v2", "url", url, "changeset",
                                        "2026-11-22T00:00:00Z", "type", kinds[i].type, "formats",
                                        "text/xml", "application/json"));
    }
    return emit(res, 200, fmt, "discovery",
                json_pack("{s:s, s:s, s:s, s:o}", "changeset", "2026-11-22T00:00:00Z", "contact",
                          "市12345政务服务便民热线中心", "key_service",
                          "API keys are issued by the security administrator", "endpoints", endpoints));
}

static int get_requests(http_req *req, http_res *res, o311_fmt fmt);
static int get_updates(http_req *req, http_res *res, o311_fmt fmt);

typedef struct svc_ctx { json_t *arr; store *st; } svc_ctx;

static int add_attr(void *ctx, const ref_attribute *a) {
    json_t *values = json_array();
    for (int i = 0; i < a->n_choices; i++)
        json_array_append_new(values, json_pack("{s:s, s:s}", "key", a->choice_key[i], "name",
                                                a->choice_name[i]));
    json_t *o = json_pack("{s:b, s:s, s:s, s:b, s:s, s:i, s:s}", "variable", 1, "code", a->code,
                          "datatype", a->datatype, "required", a->required,
                          "datatype_description", a->description, "order", a->order,
                          "description", a->description);
    if (a->n_choices) json_object_set_new(o, "values", values);
    else json_decref(values);
    json_array_append_new(ctx, o);
    return 0;
}

/* 诉求类型 as an attribute every service has (optional): what the request
 * is, as a 12345 centre classifies it. Not stored with the case's other
 * answers: it is the case's own field. */
static void appeal_attribute(ref_attribute *a) {
    memset(a, 0, sizeof *a);
    snprintf(a->code, sizeof a->code, "%s", "appeal_type");
    snprintf(a->datatype, sizeof a->datatype, "%s", "singlevaluelist");
    snprintf(a->description, sizeof a->description, "%s", "诉求类型：求助、投诉、举报、建议、表扬或咨询");
    a->order = 1000;
    for (int k = AP_CONSULT; k < AP_COUNT && a->n_choices < REF_MAX_CHOICES; k++, a->n_choices++) {
        snprintf(a->choice_key[a->n_choices], sizeof a->choice_key[0], "%s", case_appeal_name((case_appeal)k));
        snprintf(a->choice_name[a->n_choices], sizeof a->choice_name[0], "%s", case_appeal_label((case_appeal)k));
    }
}

/* Services are the leaf categories; their group is the parent's name. */
static int add_service(void *ctx, const store_category *c) {
    svc_ctx *x = ctx;
    unit_ref parent;
    if (!c->parent[0] || store_category_find(x->st, c->parent, &parent, NULL)) return 0;
    /* every service has attributes: its own, and 诉求类型 */
    json_array_append_new(x->arr,
                          json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "service_code", c->ref.code,
                                    "service_name", c->ref.name, "description", c->ref.name,
                                    "metadata", 1, "type", "realtime", "keywords",
                                    c->ref.name, "group", parent.name));
    return 0;
}

int res_o311_v2(http_req *req, http_res *res) {
    char name[48];
    o311_fmt fmt = FMT_XML;
    if (!split_format(req->param[0], name, sizeof name, &fmt))
        return o311_error(res, FMT_XML, 404, "unknown resource; add .xml or .json");
    if (check_jurisdiction(res, fmt, req->st, o311_param(req, "jurisdiction_id"))) return res->status;
    if (strcmp(name, "requests") == 0) return get_requests(req, res, fmt);
    if (strcmp(name, "servicerequestupdates") == 0) return get_updates(req, res, fmt);
    if (strcmp(name, "services") == 0) {
        svc_ctx x = {json_array(), req->st};
        err e = {0};
        if (store_category_list(req->st, add_service, &x, &e)) {
            json_decref(x.arr);
            return o311_failed(res, fmt, &e);
        }
        return emit(res, 200, fmt, "services", x.arr);
    }
    return o311_error(res, fmt, 404, "unknown resource");
}

/* GET services/{code}.{fmt}: the service definition and its attributes. */
int res_o311_service(http_req *req, http_res *res) {
    char code[64];
    o311_fmt fmt = FMT_XML;
    unit_ref cat;
    if (!split_format(req->param[0], code, sizeof code, &fmt))
        return o311_error(res, FMT_XML, 404, "unknown resource; add .xml or .json");
    if (check_jurisdiction(res, fmt, req->st, o311_param(req, "jurisdiction_id"))) return res->status;
    err e = {0};
    int rc = store_category_find(req->st, code, &cat, &e);
    if (rc == ERR_NOTFOUND) return o311_error(res, fmt, 404, "service_code not found");
    json_t *attrs = json_array();
    if (rc || store_attribute_list(req->st, cat.code, add_attr, attrs, &e)) {
        json_decref(attrs);
        return o311_failed(res, fmt, &e);
    }
    ref_attribute appeal;
    appeal_attribute(&appeal);
    add_attr(attrs, &appeal);
    return emit(res, 200, fmt, "service_definition",
                json_pack("{s:s, s:o}", "service_code", cat.code, "attributes", attrs));
}

/* ---- requests -------------------------------------------------------------- */

static json_t *utc(int64_t t) {
    char buf[32];
    if (!t) return json_null();
    dt_format_utc(t, buf);
    return json_string(buf);
}

/* Events the public may follow. Only what a dispatcher published is
 * public text (core/view.h); every other note was written for staff and
 * stays with them. Dispatching, returns, extensions and plans are internal. */
static bool public_action(case_action a) {
    switch (a) {
    case ACT_CREATE: case ACT_ACCEPT: case ACT_RESOLVE: case ACT_VISIT: case ACT_CLOSE:
    case ACT_REOPEN: case ACT_MERGE: case ACT_REJECT: case ACT_PUBLISH:
        return true;
    default: return false;
    }
}

/* Sets key to the scrubbed copy of text (taking it); nothing when NULL. */
static void set_public(json_t *o, const char *key, char *text) {
    if (text) json_object_set_new(o, key, json_string(text));
    free(text);
}

static int first_photo(void *ctx, const store_file *f) {
    if (json_object_get(ctx, "media_url") || strncmp(f->mime, "image/", 6)) return 0;
    char url[64];
    snprintf(url, sizeof url, "/api/v1/public/attachments/%lld", (long long)f->id);
    json_object_set_new(ctx, "media_url", json_string(url));
    return 0;
}

/* A request's service_code: its category, else its channel. */
static const char *service_code_of(const case_rec *c) {
    return c->category.id ? c->category.code : case_channel_name(c->channel);
}

/* A case as an Open311 request: only what core/view.h lets the public read
 * (the caller has checked case_is_public), absent values omitted. */
static json_t *request_json(store *st, const case_rec *c) {
    char id[24];
    unsigned pub = store_env(st)->public_channels;
    snprintf(id, sizeof id, "%lld", (long long)c->id);
    bool closed = c->status == ST_RESOLVED || c->status == ST_VISITED || c->status == ST_CLOSED;
    json_t *o = json_pack("{s:s, s:s}", "service_request_id", id, "status", closed ? "closed" : "open");
    set_public(o, "status_notes", view_public_reply(c, pub));
    /* GeoReport v2 requires a service_code on every request: a case with
     * no category (a 码上评 差评, a published leader's task) is named by
     * its channel ("qr", 码上评) */
    json_object_set_new(o, "service_code", json_string(service_code_of(c)));
    json_object_set_new(o, "service_name", json_string(c->category.id ? c->category.name : case_channel_label(c->channel)));
    set_public(o, "description", view_public_description(c, pub));
    if (c->lead.id) json_object_set_new(o, "agency_responsible", json_string(c->lead.name));
    json_object_set_new(o, "requested_datetime", utc(c->received_at));
    json_object_set_new(o, "updated_datetime", utc(c->updated_at));
    if (c->due[DUE_RESOLVE])
        json_object_set_new(o, "expected_datetime",
                            utc(case_due_shown(c->due[DUE_RESOLVE], store_env(st)->tz)));
    store_place pl;
    if (store_place_get(st, c->id, &pl, NULL) == 0) {
        if (pl.address[0]) set_public(o, "address", view_scrub(pl.address));
        if (pl.address_id[0]) json_object_set_new(o, "address_id", json_string(pl.address_id));
        if (pl.has_point) {
            json_object_set_new(o, "lat", json_real(pl.lat));
            json_object_set_new(o, "long", json_real(pl.lon));
        }
        if (pl.n_media) json_object_set_new(o, "media_url", json_string(pl.media[0]));
    }
    if (!json_object_get(o, "media_url")) /* else the first photo a dispatcher published */
        store_file_list(st, c->id, true, first_photo, o, NULL);
    if (!json_object_get(o, "address") && c->township.id)
        json_object_set_new(o, "address", json_string(c->township.name));
    /* drop nulls: the spec wants absent values left out */
    const char *k;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(o, tmp, k, v) if (json_is_null(v)) json_object_del(o, k);
    return o;
}

/* Whether code is in a comma list ("a,b,c"); an absent list matches all. */
static bool in_list(const char *list, const char *code) {
    if (!list || !list[0]) return true;
    size_t n = strlen(code);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, code, n) == 0) return true;
        p = end ? end + 1 : NULL;
    }
    return false;
}

typedef struct req_ctx {
    store *st;
    json_t *arr;
    const char *codes, *statuses;
    int64_t skip, take;
} req_ctx;

static int add_request(void *ctx, const case_rec *c) {
    req_ctx *x = ctx;
    json_t *r;
    if (!in_list(x->codes, service_code_of(c))) return 0;
    r = request_json(x->st, c);
    if (!in_list(x->statuses, json_string_value(json_object_get(r, "status")))) {
        json_decref(r);
        return 0;
    }
    if (x->skip > 0) {
        x->skip--;
        json_decref(r);
        return 0;
    }
    if (x->take-- > 0) json_array_append_new(x->arr, r);
    else json_decref(r);
    return 0;
}

/* A case the public may see, or ERR_NOTFOUND as if there were none. */
static int public_case_get(store *st, int64_t id, case_rec *c, err *e) {
    int rc = store_case_get(st, id, c, e);
    if (!rc && !case_is_public(c, store_env(st)->public_channels)) {
        case_rec_clear(c);
        rc = ERR_NOTFOUND;
    }
    return rc;
}

/* store_case_list pages by id: remember the last id seen for the next page. */
typedef struct req_page { req_ctx *x; int64_t *last; } req_page;

static int add_request_last(void *ctx, const case_rec *c) {
    req_page *p = ctx;
    *p->last = c->id;
    return add_request(p->x, c);
}

static int positive(const char *s, int64_t max, int64_t *out) {
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || !*s || *end || v < 1 || v > max) return -1;
    *out = v;
    return 0;
}

static int get_requests(http_req *req, http_res *res, o311_fmt fmt) {
    const char *ids = o311_param(req, "service_request_id");
    json_t *arr = json_array();
    err e = {0};
    if (ids && ids[0]) {
        /* service_request_id overrides every other parameter; anyone may ask,
         * so a list is capped as a page is */
        size_t listed = 1;
        for (const char *p = ids; (p = strchr(p, ',')); p++) listed++;
        if (listed > O311_MAX_IDS) {
            json_decref(arr);
            return o311_error(res, fmt, 400, "at most 100 service_request_id in one request");
        }
        for (const char *p = ids; p && *p;) {
            char one[24];
            const char *end = strchr(p, ',');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            int64_t id;
            snprintf(one, sizeof one, "%.*s", (int)(len < 23 ? len : 23), p);
            case_rec c;
            int rc = positive(one, INT64_MAX, &id) ? ERR_NOTFOUND : public_case_get(req->st, id, &c, &e);
            if (rc == 0) {
                json_array_append_new(arr, request_json(req->st, &c));
                case_rec_clear(&c);
            } else if (rc != ERR_NOTFOUND) { /* a partial answer would look complete */
                json_decref(arr);
                return o311_failed(res, fmt, &e);
            }
            p = end ? end + 1 : NULL;
        }
        return emit(res, 200, fmt, "service_requests", arr);
    }
    int64_t end_t = req->now, start_t, page = 1, size = 1000;
    const char *v;
    if ((v = o311_param(req, "end_date")) && dt_parse_instant(v, 0, &end_t, &e)) goto bad;
    start_t = end_t - 90 * 86400;
    if ((v = o311_param(req, "start_date")) && dt_parse_instant(v, 0, &start_t, &e)) goto bad;
    if (((v = o311_param(req, "page")) && positive(v, 1000000, &page)) ||
        ((v = o311_param(req, "page_size")) && positive(v, 1000, &size))) {
        json_decref(arr);
        return o311_error(res, fmt, 400, "page must be 1 or more and page_size 1 to 1000");
    }
    /* Anyone may ask, so no answer costs more than a bounded window: the
     * newest 1,000 requests of the range are reachable by pages; older ones
     * by narrowing the dates. */
    if (page * size > O311_WINDOW) {
        json_decref(arr);
        return o311_error(res, fmt, 400, "page reaches beyond the newest 1000 requests of the range;"
                                         " narrow start_date and end_date");
    }
    const char *statuses = o311_param(req, "status");
    for (const char *p = statuses; p && *p;) { /* each listed status must be open or closed */
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (!((len == 4 && !strncmp(p, "open", 4)) || (len == 6 && !strncmp(p, "closed", 6)))) {
            json_decref(arr);
            return o311_error(res, fmt, 400, "status must be open, closed or both");
        }
        p = comma ? comma + 1 : NULL;
    }
    req_ctx x = {req->st, arr, o311_param(req, "service_code"), statuses, (page - 1) * size, size};
    store_case_filter f = {.status = -1, .channel = -1, .klass = -1, .limit = 1000, .public_only = true,
                           .newest_first = true, .received_from = start_t, .received_to = end_t + 1};
    /* Newest first, through the store a page at a time; the filters on
     * codes and status are applied here, over at most O311_SCAN cases. */
    for (int pages = 0; pages < O311_SCAN / 1000 && x.take > 0; pages++) {
        int64_t last = f.after_id;
        req_page pg = {&x, &f.after_id};
        if (store_case_list(req->st, &f, add_request_last, &pg, &e)) {
            json_decref(arr);
            return o311_failed(res, fmt, &e);
        }
        if (f.after_id == last) break; /* no more cases */
    }
    return emit(res, 200, fmt, "service_requests", arr);
bad:
    json_decref(arr);
    return o311_error(res, fmt, 400, "dates must be ISO 8601, e.g. 2026-03-02T01:30:00Z");
}

/* GET requests/{id}.{fmt}: that request, as a one-element list. */
int res_o311_request(http_req *req, http_res *res) {
    char name[32];
    o311_fmt fmt = FMT_XML;
    int64_t id;
    case_rec c;
    if (!split_format(req->param[0], name, sizeof name, &fmt))
        return o311_error(res, FMT_XML, 404, "unknown resource; add .xml or .json");
    if (check_jurisdiction(res, fmt, req->st, o311_param(req, "jurisdiction_id"))) return res->status;
    err e = {0};
    int rc = positive(name, INT64_MAX, &id) ? ERR_NOTFOUND : public_case_get(req->st, id, &c, &e);
    if (rc == ERR_NOTFOUND) return o311_error(res, fmt, 404, "service_request_id not found");
    if (rc) return o311_failed(res, fmt, &e);
    json_t *arr = json_pack("[o]", request_json(req->st, &c));
    case_rec_clear(&c);
    return emit(res, 200, fmt, "service_requests", arr);
}

/* ---- POST requests ----------------------------------------------------------- */

/* The form fields of a new request; longer values are refused, not cut. */
typedef struct o311_form {
    char api_key[80], jurisdiction_id[64], service_code[64], lat[32], lon[32];
    char address_string[256], address_id[64], email[128], device_id[64], account_id[64];
    char first_name[64], last_name[64], phone[32], description[4096];
    char media[STORE_MAX_MEDIA][512];
    int n_media;
    char attr_code[16][48], attr_value[16][256];
    size_t attr_base[16]; /* where the value being read starts (after "a,b," of a list) */
    int n_attr;
    char twice[48]; /* an attribute given twice without [] */
    char too_long[64]; /* the first field that was */
} o311_form;

static const struct { const char *name; size_t off, cap; } form_fields[] = {
#define F(n, m) {n, offsetof(o311_form, m), sizeof(((o311_form *)0)->m)}
    F("api_key", api_key), F("jurisdiction_id", jurisdiction_id),
    F("service_code", service_code), F("lat", lat), F("long", lon),
    F("address_string", address_string), F("address_id", address_id), F("email", email),
    F("device_id", device_id), F("account_id", account_id), F("first_name", first_name),
    F("last_name", last_name), F("phone", phone), F("description", description),
#undef F
};

/* Every value the form brought is text (util/text.h); checked once whole,
 * since a value arrives in pieces that may split a character. */
static int check_form_text(o311_form *f, err *e) {
    int rc = 0;
    for (size_t i = 0; !rc && i < sizeof form_fields / sizeof *form_fields; i++) {
        const char *v = (const char *)f + form_fields[i].off;
        rc = text_check(v, strlen(v), form_fields[i].name, e);
    }
    for (int k = 0; !rc && k < f->n_media; k++) {
        rc = text_check(f->media[k], strlen(f->media[k]), "media_url", e);
        /* published as a link: a web address, never javascript: or data: */
        if (!rc && strncasecmp(f->media[k], "http://", 7) && strncasecmp(f->media[k], "https://", 8))
            rc = err_set(e, ERR_INVALID, "media_url", "media_url must be an http or https URL");
    }
    for (int k = 0; !rc && k < f->n_attr; k++)
        if (!(rc = text_check(f->attr_code[k], strlen(f->attr_code[k]), "attribute", e)))
            rc = text_check(f->attr_value[k], strlen(f->attr_value[k]), f->attr_code[k], e);
    return rc;
}

static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *filename, const char *type, const char *enc,
                                const char *data, uint64_t off, size_t size) {
    (void)kind, (void)filename, (void)type, (void)enc;
    o311_form *f = cls;
    char *dst = NULL;
    size_t cap = 0;
    size_t klen = strlen(key);
    if (strncmp(key, "attribute[", 10) == 0 && key[klen - 1] == ']') {
        /* attribute[CODE] once, or attribute[CODE][] repeated for a
         * multivaluelist: its values gathered as "a,b,c" */
        bool many = klen > 12 && strcmp(key + klen - 3, "][]") == 0;
        size_t n = klen - 11 - (many ? 2 : 0);
        int k;
        for (k = 0; k < f->n_attr && !(strlen(f->attr_code[k]) == n && !strncmp(f->attr_code[k], key + 10, n)); k++) {}
        if (k == f->n_attr) {
            if (k == 16 || n >= sizeof f->attr_code[0]) return MHD_YES;
            memcpy(f->attr_code[k], key + 10, n);
            f->attr_code[k][n] = '\0';
            f->n_attr++;
        } else if (off == 0 && !many) {
            snprintf(f->twice, sizeof f->twice, "%s", f->attr_code[k]);
        }
        if (off == 0) {
            size_t used = strlen(f->attr_value[k]);
            if (used && many && used + 1 < sizeof f->attr_value[0]) f->attr_value[k][used++] = ',';
            f->attr_base[k] = many ? used : 0;
        }
        dst = f->attr_value[k] + f->attr_base[k];
        cap = sizeof f->attr_value[0] - f->attr_base[k];
    }
    if (!dst && strcmp(key, "media_url") == 0) {
        if (off == 0 && f->n_media < STORE_MAX_MEDIA) f->n_media++;
        if (f->n_media == 0) return MHD_YES;
        dst = f->media[f->n_media - 1];
        cap = sizeof f->media[0];
    }
    for (size_t i = 0; !dst && i < sizeof form_fields / sizeof *form_fields; i++)
        if (strcmp(key, form_fields[i].name) == 0) {
            dst = (char *)f + form_fields[i].off;
            cap = form_fields[i].cap;
        }
    if (!dst) return MHD_YES; /* extensions we do not know */
    if (off + size >= cap) {
        /* copied: the key lives in the post processor, gone by the answer */
        if (!f->too_long[0]) snprintf(f->too_long, sizeof f->too_long, "%s", key);
        return MHD_YES;
    }
    memcpy(dst + off, data, size);
    dst[off + size] = '\0';
    return MHD_YES;
}

typedef struct attr_check {
    o311_form *f;
    const char *bad; /* the first attribute answered wrongly */
    char why[400];
    bool known[16]; /* which of the form's attributes the service has */
} attr_check;

static bool is_choice(const ref_attribute *a, const char *v, size_t n) {
    for (int i = 0; i < a->n_choices; i++)
        if (strlen(a->choice_key[i]) == n && !strncmp(v, a->choice_key[i], n)) return true;
    return false;
}

/* Whether v is a value of a's datatype; why says what is wrong. */
static bool value_fits(const ref_attribute *a, const char *v, char *why, size_t n) {
    if (!strcmp(a->datatype, "number")) {
        char *end;
        double d = strtod(v, &end);
        if (*end || end == v || d != d) return snprintf(why, n, "attribute[%s] '%.40s' is not a number", a->code, v), false;
    } else if (!strcmp(a->datatype, "datetime")) {
        int64_t t;
        if (dt_parse_instant(v, 0, &t, NULL))
            return snprintf(why, n, "attribute[%s] '%.40s' is not an ISO 8601 time", a->code, v), false;
    } else if (!strcmp(a->datatype, "string")) {
        if (strchr(v, '\n')) return snprintf(why, n, "attribute[%s] is one line (a string)", a->code), false;
    } else if (!strcmp(a->datatype, "singlevaluelist")) {
        if (!is_choice(a, v, strlen(v)))
            return snprintf(why, n, "attribute[%s] '%.40s' is not one of its values", a->code, v), false;
    } else if (!strcmp(a->datatype, "multivaluelist")) {
        for (const char *p = v; *p;) {
            size_t k = strcspn(p, ",");
            if (!is_choice(a, p, k))
                return snprintf(why, n, "attribute[%s] '%.*s' is not one of its values", a->code, (int)(k < 40 ? k : 40), p), false;
            for (const char *q = v; q < p; q += strcspn(q, ",") + 1)
                if (strcspn(q, ",") == k && !strncmp(q, p, k))
                    return snprintf(why, n, "attribute[%s] '%.*s' is given twice", a->code, (int)(k < 40 ? k : 40), p), false;
            p += k + (p[k] == ',');
        }
    }
    return true;
}

/* A store_attribute_fn: checks the form's answer to one attribute. */
static int check_attr(void *ctx, const ref_attribute *a) {
    attr_check *x = ctx;
    const char *v = "";
    for (int k = 0; k < x->f->n_attr; k++)
        if (!strcmp(x->f->attr_code[k], a->code)) {
            v = x->f->attr_value[k];
            x->known[k] = true;
        }
    if (x->bad) return 0;
    if (a->required && !v[0]) {
        x->bad = a->code;
        snprintf(x->why, sizeof x->why, "attribute[%s] is required (%s)", a->code, a->description);
        return 0;
    }
    if (v[0] && !value_fits(a, v, x->why, sizeof x->why)) x->bad = a->code;
    return 0;
}

static bool number_in(const char *s, double lo, double hi, double *out) {
    char *end;
    if (!s[0]) return false;
    *out = strtod(s, &end);
    return !*end && *out >= lo && *out <= hi;
}

static int post_request(http_req *req, http_res *res, o311_fmt fmt) {
    o311_form *f = calloc(1, sizeof *f);
    auth_principal who;
    err e = {0};
    int rc;
    if (!f) return o311_error(res, fmt, 500, "out of memory");
    struct MHD_PostProcessor *pp = MHD_create_post_processor(req->conn, 4096, on_field, f);
    if (!pp) {
        free(f);
        return o311_error(res, fmt, 400, "send the fields as application/x-www-form-urlencoded");
    }
    MHD_post_process(pp, req->body ? req->body : "", req->body_len);
    MHD_destroy_post_processor(pp);
    store_place pl = {0};
    case_rec c = {0};
    char title[512], msg[160], name[160];
    if (f->too_long[0]) {
        snprintf(msg, sizeof msg, "%s is too long", f->too_long);
        rc = o311_error(res, fmt, 400, msg);
        goto out;
    }
    if (check_form_text(f, &e)) {
        rc = o311_error(res, fmt, 400, e.msg);
        goto out;
    }
    if ((rc = auth_bearer(req->st, f->api_key, &who, &e)) != 0 && rc != ERR_AUTH) {
        rc = o311_failed(res, fmt, &e);
        goto out;
    }
    if (rc || !auth_creates_cases(who.role)) {
        rc = o311_error(res, fmt, 403, "invalid api_key");
        goto out;
    }
    if ((rc = check_jurisdiction(res, fmt, req->st, f->jurisdiction_id)) != 0) goto out;
    rc = f->service_code[0] ? store_category_find(req->st, f->service_code, &c.category, &e) : ERR_NOTFOUND;
    if (rc) {
        rc = rc == ERR_NOTFOUND ? o311_error(res, fmt, 400, "service_code not found") : o311_failed(res, fmt, &e);
        goto out;
    }
    /* The service's attributes: required ones present, list values known. */
    attr_check chk = {.f = f};
    if (store_attribute_list(req->st, f->service_code, check_attr, &chk, &e)) {
        rc = o311_failed(res, fmt, &e);
        goto out;
    }
    ref_attribute appeal;
    appeal_attribute(&appeal);
    check_attr(&chk, &appeal);
    for (int k = 0; !chk.bad && k < f->n_attr; k++)
        if (!chk.known[k]) {
            chk.bad = f->attr_code[k];
            snprintf(chk.why, sizeof chk.why, "attribute[%s] is not an attribute of service %s",
                     f->attr_code[k], f->service_code);
        }
    if (!chk.bad && f->twice[0]) {
        chk.bad = f->twice;
        snprintf(chk.why, sizeof chk.why, "attribute[%s] is given twice (a list is attribute[%s][])",
                 f->twice, f->twice);
    }
    if (chk.bad) {
        rc = o311_error(res, fmt, 400, chk.why);
        goto out;
    }
    pl.has_point = f->lat[0] || f->lon[0];
    if (pl.has_point && !(number_in(f->lat, -90, 90, &pl.lat) && number_in(f->lon, -180, 180, &pl.lon))) {
        rc = o311_error(res, fmt, 400, "lat and long must both be given, as degrees");
        goto out;
    }
    if (!pl.has_point && !f->address_string[0] && !f->address_id[0]) {
        rc = o311_error(res, fmt, 400, "a location is required: lat and long, address_string or address_id");
        goto out;
    }
    snprintf(pl.address, sizeof pl.address, "%s", f->address_string);
    snprintf(pl.address_id, sizeof pl.address_id, "%s", f->address_id);
    pl.n_media = f->n_media;
    memcpy(pl.media, f->media, sizeof pl.media);
    /* The title a dispatcher sees: the service, and where. */
    if (f->address_string[0])
        snprintf(title, sizeof title, "%s（%s）", c.category.name, f->address_string);
    else
        snprintf(title, sizeof title, "%s", c.category.name);
    snprintf(name, sizeof name, "%s%s", f->last_name, f->first_name);
    c.channel = CH_OPEN311;
    c.klass = CL_GENERAL;
    c.title = title;
    c.description = f->description[0] ? f->description : NULL;
    c.requester_name = name[0] ? name : NULL;
    c.requester_phone = f->phone[0] ? f->phone : NULL;
    c.received_at = req->now;
    for (int k = 0; k < f->n_attr; k++) /* checked above: one of the six, if given */
        if (!strcmp(f->attr_code[k], appeal.code) && f->attr_value[k][0])
            case_appeal_parse(f->attr_value[k], &c.appeal, NULL);
    /* The case and its place in one transaction: both or neither. */
    if ((rc = store_begin(req->st, &e)) == 0) {
        rc = store_case_create(req->st, &c, who.name, &e);
        if (!rc) rc = store_place_set(req->st, c.id, &pl, &e);
        for (int k = 0; !rc && k < f->n_attr; k++)
            if (f->attr_value[k][0] && strcmp(f->attr_code[k], appeal.code) != 0)
                rc = store_case_attribute_set(req->st, c.id, f->attr_code[k], f->attr_value[k], &e);
        if (!rc) rc = store_commit(req->st, &e);
        else store_rollback(req->st);
    }
    if (rc) {
        rc = rc == ERR_INVALID ? o311_error(res, fmt, 400, e.msg) : o311_failed(res, fmt, &e);
        goto out;
    }
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)c.id);
    snprintf(msg, sizeof msg, "已受理，编号 %s。可用 service_request_id 查询办理进度。", c.case_no);
    json_t *o = json_pack("{s:s, s:s}", "service_request_id", id, "service_notice", msg);
    if (f->account_id[0]) json_object_set_new(o, "account_id", json_string(f->account_id));
    rc = emit(res, 201, fmt, "service_requests", json_pack("[o]", o));
out:
    free(f);
    return rc;
}

int res_o311_unknown(http_req *req, http_res *res, const char *allow) {
    size_t n = strlen(req->path);
    o311_fmt fmt = n > 5 && strcmp(req->path + n - 5, ".json") == 0 ? FMT_JSON : FMT_XML;
    if (!allow) return o311_error(res, fmt, 404, "unknown resource");
    http_add_header(res, "Allow", allow);
    return o311_error(res, fmt, 405, "method not allowed");
}

int res_o311_post(http_req *req, http_res *res) {
    char name[48];
    o311_fmt fmt = FMT_XML;
    if (!split_format(req->param[0], name, sizeof name, &fmt) || strcmp(name, "requests") != 0)
        return o311_error(res, fmt, 404, "unknown resource");
    return post_request(req, res, fmt);
}

/* ---- tokens and updates ---------------------------------------------------------- */

/* Requests are realtime (the id comes back at once); a case number works as
 * the token too, for clients that kept only that. */
int res_o311_token(http_req *req, http_res *res) {
    char token[64], id[24];
    o311_fmt fmt = FMT_XML;
    if (!split_format(req->param[0], token, sizeof token, &fmt))
        return o311_error(res, FMT_XML, 404, "unknown resource; add .xml or .json");
    if (check_jurisdiction(res, fmt, req->st, o311_param(req, "jurisdiction_id"))) return res->status;
    int64_t n;
    err e = {0};
    case_rec c;
    int rc = store_case_id_by_no(req->st, token, &n, &e);
    if (!rc && !(rc = public_case_get(req->st, n, &c, &e))) case_rec_clear(&c);
    if (rc == ERR_NOTFOUND) return o311_error(res, fmt, 404, "token not found");
    if (rc) return o311_failed(res, fmt, &e);
    snprintf(id, sizeof id, "%lld", (long long)n);
    return emit(res, 200, fmt, "service_requests",
                json_pack("[{s:s, s:s}]", "service_request_id", id, "token", token));
}

static int add_update(void *ctx, const case_event *ev) {
    char uid[24], cid[24], at[32];
    if (!public_action(ev->action)) return 0;
    snprintf(uid, sizeof uid, "%lld", (long long)ev->id);
    snprintf(cid, sizeof cid, "%lld", (long long)ev->case_id);
    dt_format_utc(ev->at, at);
    bool closed = ev->to == ST_RESOLVED || ev->to == ST_VISITED || ev->to == ST_CLOSED;
    /* Public text only: what was published (scrubbed), else the state's label. */
    json_t *pl = ev->action == ACT_PUBLISH ? case_event_payload(ev) : NULL;
    const char *said = json_string_value(json_object_get(pl, "reply"));
    if (!said) said = json_string_value(json_object_get(pl, "note"));
    char *text = view_scrub(said ? said : case_status_label(ev->to));
    json_array_append_new(ctx, json_pack("{s:s, s:s, s:s, s:s, s:s}", "update_id", uid,
                                         "service_request_id", cid, "status",
                                         closed ? "closed" : "open", "updated_datetime", at,
                                         "description", text ? text : ""));
    free(text);
    json_decref(pl);
    return 0;
}

static int get_updates(http_req *req, http_res *res, o311_fmt fmt) {
    int64_t end = req->now, start;
    const char *v;
    err e = {0};
    if ((v = o311_param(req, "end_date")) && dt_parse_instant(v, 0, &end, &e))
        return o311_error(res, fmt, 400, "end_date must be ISO 8601");
    start = end - 86400;
    if ((v = o311_param(req, "start_date")) && dt_parse_instant(v, 0, &start, &e))
        return o311_error(res, fmt, 400, "start_date must be ISO 8601");
    json_t *arr = json_array();
    if (store_events_between(req->st, start, end + 1, 1000, true, add_update, arr, &e)) {
        json_decref(arr);
        return o311_failed(res, fmt, &e);
    }
    return emit(res, 200, fmt, "service_request_updates", arr);
}
