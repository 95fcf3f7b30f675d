/* open311: the Open311 GeoReport v2 interface (wiki.open311.org/GeoReport_v2),
 * read side so far: discovery, services and service definitions. A response is
 * built once as a JSON value and rendered as JSON or, through libxml2's
 * writer, as the spec's XML, so the two formats cannot drift apart. Errors
 * come in the requested format with the spec's codes. */
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <string.h>

#include "http/resources.h"
#include "store/store.h"

typedef enum { FMT_JSON, FMT_XML } o311_fmt;

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
        snprintf(num, sizeof num, "%.17g", json_real_value(v));
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

/* jurisdiction_id may be absent or empty; present, it must be ours. */
static bool jurisdiction_ok(http_req *req) {
    const char *j = http_query(req, "jurisdiction_id");
    char ours[64] = "";
    store_config_get(req->st, "jurisdiction_id", ours, sizeof ours, NULL);
    return !j || !j[0] || strcmp(j, ours) == 0;
}

int res_o311_discovery(http_req *req, http_res *res) {
    char name[32], url[160];
    o311_fmt fmt;
    if (!split_format(req->param[0], name, sizeof name, &fmt) || strcmp(name, "discovery") != 0)
        return http_error(res, 404, "not_found", NULL, "no such resource: %s", req->path);
    const char *host = http_header(req, "Host");
    snprintf(url, sizeof url, "http://%s/open311/v2", host ? host : "127.0.0.1");
    return emit(res, 200, fmt, "discovery",
                json_pack("{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:[s, s]}]}", "changeset",
                          "2026-11-22T00:00:00Z", "contact", "市12345政务服务便民热线中心",
                          "key_service", "API keys are issued by the system administrator",
                          "endpoints", "specification", "http://wiki.open311.org/GeoReport_v2",
                          "url", url, "changeset", "2026-11-22T00:00:00Z", "type", "production",
                          "formats", "text/xml", "application/json"));
}

typedef struct svc_ctx { json_t *arr; store *st; } svc_ctx;

/* Services are the leaf categories; their group is the parent's name. */
static int add_service(void *ctx, const store_category *c) {
    svc_ctx *x = ctx;
    unit_ref parent;
    if (!c->parent[0] || store_category_find(x->st, c->parent, &parent, NULL)) return 0;
    json_array_append_new(x->arr,
                          json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "service_code", c->ref.code,
                                    "service_name", c->ref.name, "description", c->ref.name,
                                    "metadata", 0, "type", "realtime", "keywords", c->ref.name,
                                    "group", parent.name));
    return 0;
}

int res_o311_v2(http_req *req, http_res *res) {
    char name[48];
    o311_fmt fmt = FMT_XML;
    if (!split_format(req->param[0], name, sizeof name, &fmt))
        return o311_error(res, FMT_XML, 404, "unknown resource; add .xml or .json");
    if (!jurisdiction_ok(req)) return o311_error(res, fmt, 404, "jurisdiction_id not found");
    if (strcmp(name, "services") == 0) {
        svc_ctx x = {json_array(), req->st};
        err e = {0};
        if (store_category_list(req->st, add_service, &x, &e)) {
            json_decref(x.arr);
            return o311_error(res, fmt, 500, e.msg);
        }
        return emit(res, 200, fmt, "services", x.arr);
    }
    return o311_error(res, fmt, 404, "unknown resource");
}

/* GET services/{code}.{fmt}: the service definition. No service needs extra
 * attributes yet, so each definition lists none. */
int res_o311_service(http_req *req, http_res *res) {
    char code[64];
    o311_fmt fmt = FMT_XML;
    unit_ref cat;
    if (!split_format(req->param[0], code, sizeof code, &fmt))
        return o311_error(res, FMT_XML, 404, "unknown resource; add .xml or .json");
    if (!jurisdiction_ok(req)) return o311_error(res, fmt, 404, "jurisdiction_id not found");
    if (store_category_find(req->st, code, &cat, NULL))
        return o311_error(res, fmt, 404, "service_code not found");
    return emit(res, 200, fmt, "service_definition",
                json_pack("{s:s, s:[]}", "service_code", cat.code, "attributes"));
}
