/* Open311 GeoReport v2 (read side so far) against the real server: discovery,
 * services and definitions in XML and JSON, the same content in both, and
 * errors in the requested format with the spec's codes. */
#include "test.h"

#include <stdbool.h>

#include "tests/http/server_fixture.h"

static char dbt[256];
static server S;
static reply R;

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "o311", "30");
    return 0;
}

static int teardown(void **st) {
    (void)st;
    demo_server_stop(&S, dbt);
    return 0;
}

static int count(const char *hay, const char *needle) {
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) n++;
    return n;
}

static void discovery(void **st) {
    (void)st;
    call(&S, &R, "GET", "/open311/discovery.json", NULL, NULL);
    assert_int_equal(R.status, 200);
    json_t *v = reply_json(&R), *ep = json_array_get(json_object_get(v, "endpoints"), 0);
    assert_str(json_string_value(json_object_get(ep, "specification")), "http://wiki.open311.org/GeoReport_v2");
    assert_int_equal(json_array_size(json_object_get(ep, "formats")), 2);
    json_decref(v);
    call(&S, &R, "GET", "/open311/discovery.xml", NULL, NULL);
    assert_int_equal(R.status, 200);
    assert_non_null(strstr(R.headers, "Content-Type: text/xml; charset=utf-8"));
    assert_true(strncmp(R.body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 38) == 0);
    assert_non_null(strstr(R.body, "<formats><format>text/xml</format><format>application/json</format></formats>"));
}

static void services_in_both_formats(void **st) {
    (void)st;
    call(&S, &R, "GET", "/open311/v2/services.json", NULL, NULL);
    assert_int_equal(R.status, 200);
    json_t *v = reply_json(&R), *s0 = json_array_get(v, 0);
    size_t n = json_array_size(v);
    assert_int_equal(n, 35); /* the demo's leaf categories */
    assert_true(json_is_string(json_object_get(s0, "service_code")));
    assert_true(json_is_boolean(json_object_get(s0, "metadata")));
    assert_str(json_string_value(json_object_get(s0, "type")), "realtime");
    assert_str(json_string_value(json_object_get(s0, "group")), "数字城管事件");
    json_decref(v);
    call(&S, &R, "GET", "/open311/v2/services.xml", NULL, NULL);
    assert_int_equal(R.status, 200);
    assert_int_equal(count(R.body, "<service>"), (int)n);
    assert_non_null(strstr(R.body, "<service_code>cg.ads</service_code>"));
    assert_non_null(strstr(R.body, "<metadata>false</metadata>"));
    /* jurisdiction_id: absent, empty or ours are all accepted */
    call(&S, &R, "GET", "/open311/v2/services.json?jurisdiction_id=", NULL, NULL);
    assert_int_equal(R.status, 200);
    call(&S, &R, "GET", "/open311/v2/services.json?jurisdiction_id=mengzhou", NULL, NULL);
    assert_int_equal(R.status, 200);
    call(&S, &R, "GET", "/open311/v2/services/cg.garbage.xml", NULL, NULL);
    assert_int_equal(R.status, 200);
    assert_non_null(strstr(R.body, "<service_definition><service_code>cg.garbage</service_code>"));
}

static void errors_in_the_requested_format(void **st) {
    (void)st;
    call(&S, &R, "GET", "/open311/v2/services/nope.json", NULL, NULL);
    assert_int_equal(R.status, 404);
    json_t *v = reply_json(&R);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(v, 0), "code")), 404);
    assert_str(json_string_value(json_object_get(json_array_get(v, 0), "description")), "service_code not found");
    json_decref(v);
    call(&S, &R, "GET", "/open311/v2/services/nope.xml", NULL, NULL);
    assert_int_equal(R.status, 404);
    assert_non_null(strstr(R.body, "<errors><error><code>404</code><description>service_code not found</description></error></errors>"));
    call(&S, &R, "GET", "/open311/v2/services.json?jurisdiction_id=elsewhere", NULL, NULL);
    assert_int_equal(R.status, 404);
    call(&S, &R, "GET", "/open311/v2/services.csv", NULL, NULL);
    assert_int_equal(R.status, 404);
    assert_non_null(strstr(R.body, "<errors>"));
}

static json_t *get_json(const char *path) {
    call(&S, &R, "GET", path, NULL, NULL);
    if (R.status != 200) fail_msg("%s: %ld %s", path, R.status, R.body);
    return reply_json(&R);
}

#define MARCH "start_date=2026-03-01T00:00:00%2B08:00&end_date=2026-03-31T23:59:59Z"

static void requests(void **st) {
    (void)st;
    json_t *all = get_json("/open311/v2/requests.json?" MARCH), *r;
    size_t n = json_array_size(all), i;
    assert_true(n > 10);
    json_array_foreach(all, i, r) {
        assert_true(json_is_string(json_object_get(r, "service_request_id")));
        const char *status = json_string_value(json_object_get(r, "status"));
        assert_true(strcmp(status, "open") == 0 || strcmp(status, "closed") == 0);
        const char *t = json_string_value(json_object_get(r, "requested_datetime"));
        assert_true(strlen(t) == 20 && t[19] == 'Z');
        /* no personal data, and no empty values */
        assert_null(json_object_get(r, "requester_name"));
        assert_null(json_object_get(r, "requester_phone"));
        const char *k;
        json_t *v;
        json_object_foreach(r, k, v) assert_false(json_is_string(v) && json_string_length(v) == 0);
    }
    /* the same in XML */
    call(&S, &R, "GET", "/open311/v2/requests.xml?" MARCH, NULL, NULL);
    assert_int_equal(R.status, 200);
    assert_int_equal(count(R.body, "<request>"), (int)n);
    /* pages split the same list */
    json_t *p1 = get_json("/open311/v2/requests.json?" MARCH "&page_size=5&page=1");
    json_t *p2 = get_json("/open311/v2/requests.json?" MARCH "&page_size=5&page=2");
    assert_int_equal(json_array_size(p1), 5);
    assert_int_equal(json_array_size(p2), 5);
    for (int k = 0; k < 5; k++) {
        assert_true(json_equal(json_array_get(p1, k), json_array_get(all, k)));
        assert_true(json_equal(json_array_get(p2, k), json_array_get(all, 5 + k)));
    }
    json_decref(p1);
    json_decref(p2);
    /* comma lists of service codes and statuses */
    json_t *some = get_json("/open311/v2/requests.json?" MARCH "&service_code=cg.ads,cg.stall&status=closed");
    json_array_foreach(some, i, r) {
        const char *code = json_string_value(json_object_get(r, "service_code"));
        assert_true(strcmp(code, "cg.ads") == 0 || strcmp(code, "cg.stall") == 0);
        assert_str(json_string_value(json_object_get(r, "status")), "closed");
    }
    json_decref(some);
    /* service_request_id overrides every other filter */
    char path[160];
    const char *id0 = json_string_value(json_object_get(json_array_get(all, 0), "service_request_id"));
    const char *id1 = json_string_value(json_object_get(json_array_get(all, 1), "service_request_id"));
    snprintf(path, sizeof path, "/open311/v2/requests.json?service_request_id=%s,%s&service_code=none&status=open", id0, id1);
    json_t *two = get_json(path);
    assert_int_equal(json_array_size(two), 2);
    json_decref(two);
    snprintf(path, sizeof path, "/open311/v2/requests/%s.xml", id0);
    call(&S, &R, "GET", path, NULL, NULL);
    assert_int_equal(R.status, 200);
    assert_int_equal(count(R.body, "<request>"), 1);
    json_decref(all);
    /* the default window is the last 90 days: the demo (March 2026) is older */
    json_t *recent = get_json("/open311/v2/requests.json?end_date=2026-04-10T00:00:00Z");
    assert_true(json_array_size(recent) > 10); /* 90 days before April 10 covers March */
    json_decref(recent);
    call(&S, &R, "GET", "/open311/v2/requests/99999.json", NULL, NULL);
    assert_int_equal(R.status, 404);
    call(&S, &R, "GET", "/open311/v2/requests.json?status=pending", NULL, NULL);
    assert_int_equal(R.status, 400);
    call(&S, &R, "GET", "/open311/v2/requests.xml?start_date=yesterday", NULL, NULL);
    assert_int_equal(R.status, 400);
    assert_non_null(strstr(R.body, "<code>400</code>"));
}

static char token[80], clerk_token[80];

static void make_token(const char *role, const char *unit, char out[80]) {
    cli_run *run = calloc(1, sizeof *run);
    const char *argv[] = {"duban", "--db", dbt, "token", "create", "app", role, unit ? "--unit" : NULL, unit, NULL};
    run_cli(run, argv);
    assert_int_equal(run->status, 0);
    json_t *v = json_loads(run->out, 0, NULL);
    snprintf(out, 80, "%s", json_string_value(json_object_get(v, "token")));
    json_decref(v);
    free(run);
}

static const char *const FORM[] = {"Content-Type: application/x-www-form-urlencoded", NULL};

static void posting_requests(void **st) {
    (void)st;
    make_token("operator", NULL, token);
    make_token("handler", "cgj", clerk_token);
    unsigned char before[32], after[32];
    test_db_digest_except(dbt, "access_log", before);
    char body[1024];
    /* refusals first, and none of them writes anything */
    snprintf(body, sizeof body, "api_key=nope&service_code=cg.ads&lat=34.9&long=112.8");
    call(&S, &R, "POST", "/open311/v2/requests.xml", body, FORM);
    assert_int_equal(R.status, 403);
    assert_non_null(strstr(R.body, "<code>403</code>"));
    snprintf(body, sizeof body, "api_key=%s&service_code=cg.ads&lat=34.9&long=112.8", clerk_token);
    call(&S, &R, "POST", "/open311/v2/requests.json", body, FORM);
    assert_int_equal(R.status, 403); /* a unit's token may not file requests */
    snprintf(body, sizeof body, "api_key=%s&service_code=cg.ads", token);
    call(&S, &R, "POST", "/open311/v2/requests.json", body, FORM);
    assert_int_equal(R.status, 400); /* no location */
    snprintf(body, sizeof body, "api_key=%s&service_code=nope&lat=34.9&long=112.8", token);
    call(&S, &R, "POST", "/open311/v2/requests.json", body, FORM);
    assert_int_equal(R.status, 400);
    snprintf(body, sizeof body, "api_key=%s&service_code=cg.ads&lat=134.9&long=112.8", token);
    call(&S, &R, "POST", "/open311/v2/requests.json", body, FORM);
    assert_int_equal(R.status, 400);
    snprintf(body, sizeof body, "api_key=%s&service_code=cg.ads&lat=34.9&long=112.8&jurisdiction_id=else", token);
    call(&S, &R, "POST", "/open311/v2/requests.json", body, FORM);
    assert_int_equal(R.status, 404);
    test_db_digest_except(dbt, "access_log", after);
    assert_memory_equal(before, after, 32);
    /* a real one: location, two pictures, a name and phone kept private */
    snprintf(body, sizeof body,
             "api_key=%s&jurisdiction_id=mengzhou&service_code=cg.ads&lat=34.905&long=112.787"
             "&address_string=%%E9%%9F%%A9%%E6%%84%%88%%E5%%A4%%A7%%E8%%A1%%9712%%E5%%8F%%B7"
             "&description=%%E7%%94%%B5%%E7%%BA%%BF%%E6%%9D%%86%%E5%%B0%%8F%%E5%%B9%%BF%%E5%%91%%8A"
             "&media_url=http%%3A%%2F%%2Fexample.org%%2Fa.jpg&media_url=http%%3A%%2F%%2Fexample.org%%2Fb.jpg"
             "&first_name=%%E4%%B8%%89&last_name=%%E5%%BC%%A0&phone=13800001111&account_id=acc-9",
             token);
    call(&S, &R, "POST", "/open311/v2/requests.json", body, FORM);
    if (R.status != 201) fail_msg("post: %ld %s", R.status, R.body);
    json_t *v = reply_json(&R), *r = json_array_get(v, 0);
    char id[24], path[128];
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(r, "service_request_id")));
    assert_non_null(strstr(json_string_value(json_object_get(r, "service_notice")), "MZ"));
    assert_str(json_string_value(json_object_get(r, "account_id")), "acc-9");
    json_decref(v);
    snprintf(path, sizeof path, "/open311/v2/requests/%s.json", id);
    v = get_json(path);
    r = json_array_get(v, 0);
    assert_str(json_string_value(json_object_get(r, "service_code")), "cg.ads");
    assert_str(json_string_value(json_object_get(r, "address")), "韩愈大街12号");
    assert_true(json_real_value(json_object_get(r, "lat")) == 34.905);
    assert_true(json_real_value(json_object_get(r, "long")) == 112.787);
    assert_str(json_string_value(json_object_get(r, "media_url")), "http://example.org/a.jpg");
    assert_str(json_string_value(json_object_get(r, "status")), "open");
    assert_null(strstr(R.body, "13800001111"));
    assert_null(strstr(R.body, "张三"));
    json_decref(v);
    /* the requester is on the case, for those allowed to see */
    cli_run *run = calloc(1, sizeof *run);
    const char *argv[] = {"duban", "--db", dbt, "case", "show", id, NULL};
    run_cli(run, argv);
    assert_int_equal(run->status, 0);
    assert_non_null(strstr(run->out, "\"requester_name\": \"张**\""));
    assert_non_null(strstr(run->out, "\"channel\": \"open311\""));
    /* its case number works as a token */
    json_t *c = json_loads(run->out, 0, NULL);
    snprintf(path, sizeof path, "/open311/v2/tokens/%s.json", json_string_value(json_object_get(c, "case_no")));
    json_decref(c);
    free(run);
    v = get_json(path);
    assert_str(json_string_value(json_object_get(json_array_get(v, 0), "service_request_id")), id);
    json_decref(v);
    call(&S, &R, "GET", "/open311/v2/tokens/MZ19990101-0001.xml", NULL, NULL);
    assert_int_equal(R.status, 404);
    /* and its creation is in the update feed */
    v = get_json("/open311/v2/servicerequestupdates.json");
    json_t *u;
    size_t i;
    int seen = 0;
    json_array_foreach(v, i, u) seen |= strcmp(json_string_value(json_object_get(u, "service_request_id")), id) == 0;
    assert_true(seen);
    json_decref(v);
    /* a dispatch is internal: not in the feed; a feedback note is the latest reply */
    cli_run *r2 = calloc(1, sizeof *r2);
    const char *disp[] = {"duban", "--db", dbt, "case", "act", id, "dispatch", "--unit", "cgj", "--note", "内部：请城管局处理", NULL};
    run_cli(r2, disp);
    assert_int_equal(r2->status, 0);
    const char *acc[] = {"duban", "--db", dbt, "case", "act", id, "accept", NULL};
    run_cli(r2, acc);
    assert_int_equal(r2->status, 0);
    const char *fb[] = {"duban", "--db", dbt, "case", "act", id, "feedback", "--note", "已安排清理", NULL};
    run_cli(r2, fb);
    assert_int_equal(r2->status, 0);
    free(r2);
    v = get_json("/open311/v2/servicerequestupdates.json");
    json_array_foreach(v, i, u) assert_null(strstr(json_string_value(json_object_get(u, "description")), "内部"));
    json_decref(v);
    snprintf(path, sizeof path, "/open311/v2/requests/%s.json", id);
    v = get_json(path);
    assert_str(json_string_value(json_object_get(json_array_get(v, 0), "status_notes")), "已安排清理");
    assert_str(json_string_value(json_object_get(json_array_get(v, 0), "agency_responsible")), "市城市管理局");
    json_decref(v);
    call(&S, &R, "GET", "/open311/v2/servicerequestupdates.xml", NULL, NULL);
    assert_int_equal(R.status, 200);
    assert_non_null(strstr(R.body, "<service_request_updates><request_update>"));
}

static void service_attributes(void **st) {
    (void)st;
    json_t *v = get_json("/open311/v2/services.json"), *svc;
    size_t i;
    json_array_foreach(v, i, svc) {
        const char *code = json_string_value(json_object_get(svc, "service_code"));
        bool has = !strcmp(code, "cg.manhole") || !strcmp(code, "cj.light");
        assert_int_equal(json_is_true(json_object_get(svc, "metadata")), has);
    }
    json_decref(v);
    v = get_json("/open311/v2/services/cg.manhole.json");
    json_t *a = json_array_get(json_object_get(v, "attributes"), 0);
    assert_str(json_string_value(json_object_get(a, "code")), "manhole_type");
    assert_true(json_is_true(json_object_get(a, "required")));
    assert_int_equal(json_array_size(json_object_get(a, "values")), 4);
    json_decref(v);
    call(&S, &R, "GET", "/open311/v2/services/cg.manhole.xml", NULL, NULL);
    assert_non_null(strstr(R.body, "<attributes><attribute><variable>true</variable><code>manhole_type</code>"));
    assert_non_null(strstr(R.body, "<values><value><key>rain</key><name>雨水井</name></value>"));
    char body[512];
    snprintf(body, sizeof body, "api_key=%s&service_code=cg.manhole&address_string=x", token);
    call(&S, &R, "POST", "/open311/v2/requests.json", body, FORM);
    assert_int_equal(R.status, 400);
    assert_non_null(strstr(R.body, "attribute[manhole_type] is required"));
    snprintf(body, sizeof body, "api_key=%s&service_code=cg.manhole&address_string=x&attribute%%5Bmanhole_type%%5D=gold", token);
    call(&S, &R, "POST", "/open311/v2/requests.json", body, FORM);
    assert_int_equal(R.status, 400);
    snprintf(body, sizeof body, "api_key=%s&service_code=cg.manhole&address_string=x&attribute%%5Bmanhole_type%%5D=sewage", token);
    call(&S, &R, "POST", "/open311/v2/requests.json", body, FORM);
    assert_int_equal(R.status, 201);
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM case_attributes"
                                     " WHERE code = 'manhole_type' AND value = 'sewage'"), 1);
    /* defining attributes from the command line */
    cli_run *run = calloc(1, sizeof *run);
    const char *bad[] = {"duban", "--db", dbt, "category", "attribute", "cg.ads", "size", "--type", "shape", "--description", "大小", NULL};
    run_cli(run, bad);
    assert_int_equal(run->status, 2);
    assert_non_null(strstr(run->err, "unknown attribute type 'shape'"));
    const char *good[] = {"duban", "--db", dbt, "category", "attribute", "cg.ads", "count", "--type", "number", "--description", "张贴数量", NULL};
    run_cli(run, good);
    assert_int_equal(run->status, 0);
    free(run);
    v = get_json("/open311/v2/services/cg.ads.json");
    assert_int_equal(json_array_size(json_object_get(v, "attributes")), 1);
    json_decref(v);
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(discovery),
        cmocka_unit_test(services_in_both_formats),
        cmocka_unit_test(errors_in_the_requested_format),
        cmocka_unit_test(requests),
        cmocka_unit_test(posting_requests),
        cmocka_unit_test(service_attributes),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return rc;
}
