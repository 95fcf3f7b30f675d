/* Open311 GeoReport v2 (read side so far) against the real server: discovery,
 * services and definitions in XML and JSON, the same content in both, and
 * errors in the requested format with the spec's codes. */
#include "test.h"

#include <stdbool.h>

#include "core/case.h"
#include "tests/http/server_fixture.h"

static char dbt[256];
static server S;
static reply R;

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "o311", "80");
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
    /* the endpoints are configuration, never the client's Host header */
    cli_run *run = calloc(1, sizeof *run);
    const char *argv[] = {"duban", "--db", dbt, "config", "set", "open311_test_url", "https://test.example.gov.cn/open311/v2", NULL};
    run_cli(run, argv);
    assert_int_equal(run->status, 0);
    free(run);
    call(&S, &R, "GET", "/open311/discovery.json", NULL, (const char *[]){"Host: evil.example", NULL});
    assert_int_equal(R.status, 200);
    assert_null(strstr(R.body, "evil.example"));
    json_t *eps = json_object_get(v = reply_json(&R), "endpoints");
    assert_int_equal(json_array_size(eps), 2);
    assert_str(json_string_value(json_object_get(json_array_get(eps, 0), "type")), "production");
    assert_str(json_string_value(json_object_get(json_array_get(eps, 1), "type")), "test");
    assert_str(json_string_value(json_object_get(json_array_get(eps, 1), "url")), "https://test.example.gov.cn/open311/v2");
    json_decref(v);
    /* anything unknown under /open311 answers in Open311's format, by extension */
    call(&S, &R, "GET", "/open311/v2/nothing/here.json", NULL, NULL);
    assert_int_equal(R.status, 404);
    assert_non_null(strstr(R.body, "\"code\":404"));
    call(&S, &R, "GET", "/open311/nothing.xml", NULL, NULL);
    assert_int_equal(R.status, 404);
    assert_non_null(strstr(R.body, "<code>404</code>"));
    call(&S, &R, "DELETE", "/open311/v2/requests.json", NULL, NULL);
    assert_int_equal(R.status, 405);
    assert_non_null(strstr(R.body, "\"code\":405"));
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
    assert_non_null(strstr(R.body, "<metadata>true</metadata>")); /* 诉求类型 on every service */
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
    size_t qr = 0;
    json_array_foreach(all, i, r) {
        assert_true(json_is_string(json_object_get(r, "service_request_id")));
        /* GeoReport v2 requires it on every request: a 码上评 case has none of
         * the categories, and is named by its channel */
        const char *code = json_string_value(json_object_get(r, "service_code"));
        assert_non_null(code);
        qr += !strcmp(code, "qr");
        const char *status = json_string_value(json_object_get(r, "status"));
        assert_true(strcmp(status, "open") == 0 || strcmp(status, "closed") == 0);
        const char *t = json_string_value(json_object_get(r, "requested_datetime"));
        assert_true(strlen(t) == 20 && t[19] == 'Z');
        /* a deadline at the end of a day (+08:00) reads 15:59:59Z, not 16:00:00Z */
        const char *x = json_string_value(json_object_get(r, "expected_datetime"));
        if (x && strstr(x, "T16:00:00Z")) fail_msg("expected_datetime %s", x);
        /* no personal data, and no empty values */
        assert_null(json_object_get(r, "requester_name"));
        assert_null(json_object_get(r, "requester_phone"));
        const char *k;
        json_t *v;
        json_object_foreach(r, k, v) assert_false(json_is_string(v) && json_string_length(v) == 0);
    }
    assert_true(qr > 0); /* the demo's 码上评 差评 are public */
    json_t *only = get_json("/open311/v2/requests.json?" MARCH "&service_code=qr");
    assert_int_equal(json_array_size(only), qr);
    json_decref(only);
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
    /* a list of ids is capped as a page is: 100 answered, 101 refused */
    char ids[1200] = "";
    for (int k = 0; k < 101; k++) snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s", k ? "," : "", id0);
    char many[1400];
    snprintf(many, sizeof many, "/open311/v2/requests.json?service_request_id=%s", ids);
    call(&S, &R, "GET", many, NULL, NULL);
    assert_int_equal(R.status, 400);
    assert_non_null(strstr(R.body, "at most 100"));
    *strrchr(many, ',') = '\0';
    call(&S, &R, "GET", many, NULL, NULL);
    assert_int_equal(R.status, 200);
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
    /* newest first; pages reach the newest 1,000 of a range, no deeper (anyone may ask) */
    json_t *nf = get_json("/open311/v2/requests.json?" MARCH);
    for (size_t k = 1; k < json_array_size(nf); k++)
        assert_true(atoll(json_string_value(json_object_get(json_array_get(nf, k - 1), "service_request_id"))) >
                    atoll(json_string_value(json_object_get(json_array_get(nf, k), "service_request_id"))));
    json_decref(nf);
    call(&S, &R, "GET", "/open311/v2/requests.json?" MARCH "&page=2&page_size=1000", NULL, NULL);
    assert_int_equal(R.status, 400);
    assert_non_null(strstr(R.body, "narrow start_date"));
    call(&S, &R, "GET", "/open311/v2/requests.xml?" MARCH "&page=200&page_size=5", NULL, NULL);
    assert_int_equal(R.status, 200); /* the 996th to 1,000th: still inside */
    /* an empty parameter is as if absent */
    json_t *e1 = get_json("/open311/v2/requests.json?end_date=2026-04-10T00:00:00Z&start_date=&status=&service_code=");
    assert_true(json_array_size(e1) > 10);
    json_decref(e1);
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
    /* text that is not UTF-8, or holds control characters, is refused naming
     * the field, in the requested format (the XML stays well-formed) */
    static const struct { const char *q, *field; } bad[] = {
        {"description=%FF%FE", "description"}, {"description=a%01b", "description"},
        {"address_string=%C0%AF", "address_string"}, {"first_name=%E9%9F", "first_name"},
        {"attribute%5Bmanhole_type%5D=%1B", "manhole_type"}, {"media_url=http%3A%2F%2Fx%7F", "media_url"},
        /* a media URL is published as a link: http(s) only */
        {"media_url=javascript%3Aalert(1)", "media_url"}, {"media_url=data%3Atext%2Fhtml%2Cx", "media_url"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(body, sizeof body, "api_key=%s&service_code=cg.manhole&lat=34.9&long=112.8&%s", token, bad[i].q);
        call(&S, &R, "POST", "/open311/v2/requests.xml", body, FORM);
        if (R.status != 400 || !strstr(R.body, bad[i].field)) fail_msg("%s: %ld %s", bad[i].q, R.status, R.body);
        assert_null(strchr(R.body, '\x01'));
        assert_null(strstr(R.body, "\xff"));
    }
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
    assert_non_null(strstr(R.body, "\"lat\":34.905,")); /* written short, as sent */
    assert_short_reals(R.body);
    char xml_path[128];
    snprintf(xml_path, sizeof xml_path, "/open311/v2/requests/%s.xml", id);
    call(&S, &R, "GET", xml_path, NULL, NULL);
    assert_non_null(strstr(R.body, "<lat>34.905</lat><long>112.787</long>")); /* the same as in JSON */
    call(&S, &R, "GET", path, NULL, NULL); /* R as it was */
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
    /* staff see what the client sent, and find the case by its number */
    char staff[128], api[96];
    snprintf(staff, sizeof staff, "Authorization: Bearer %s", token);
    const char *const sh[] = {staff, NULL};
    snprintf(api, sizeof api, "/api/v1/cases/%s", id);
    call(&S, &R, "GET", api, NULL, sh);
    assert_int_equal(R.status, 200);
    json_t *full = reply_json(&R), *place = json_object_get(full, "place");
    assert_true(json_real_value(json_object_get(place, "lat")) == 34.905);
    assert_str(json_string_value(json_object_get(place, "address")), "韩愈大街12号");
    assert_int_equal(json_array_size(json_object_get(place, "media")), 2);
    assert_true(json_is_object(json_object_get(full, "attributes")));
    char by_no[96];
    snprintf(by_no, sizeof by_no, "/api/v1/cases?case_no=%s", json_string_value(json_object_get(full, "case_no")));
    json_decref(full);
    call(&S, &R, "GET", by_no, NULL, sh);
    assert_int_equal(R.status, 200);
    full = reply_json(&R);
    assert_int_equal(json_array_size(json_object_get(full, "cases")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(full, "cases"), 0), "id")), atoll(id));
    json_decref(full);
    call(&S, &R, "GET", "/api/v1/cases?case_no=MZ19990101-0001", NULL, sh);
    assert_int_equal(R.status, 200);
    assert_non_null(strstr(R.body, "\"cases\":[]"));
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
    /* a dispatch is internal: not in the feed; a feedback note was written
     * for staff, so it is not public either: only what a dispatcher publishes */
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
    assert_null(json_object_get(json_array_get(v, 0), "status_notes"));
    assert_null(strstr(R.body, "已安排清理"));
    assert_str(json_string_value(json_object_get(json_array_get(v, 0), "agency_responsible")), "市城市管理局");
    json_decref(v);
    cli_run *r3 = calloc(1, sizeof *r3);
    const char *pub[] = {"duban", "--db", dbt, "case", "act", id, "publish", "--note", "韩愈大街电线杆小广告",
                         "--reply", "已清理，监督电话0391-8123456", NULL};
    run_cli(r3, pub);
    assert_int_equal(r3->status, 0);
    free(r3);
    v = get_json(path);
    assert_str(json_string_value(json_object_get(json_array_get(v, 0), "status_notes")), "已清理，监督电话****-*******");
    assert_str(json_string_value(json_object_get(json_array_get(v, 0), "description")), "韩愈大街电线杆小广告");
    json_decref(v);
    call(&S, &R, "GET", "/open311/v2/servicerequestupdates.xml", NULL, NULL);
    assert_int_equal(R.status, 200);
    assert_non_null(strstr(R.body, "<service_request_updates><request_update>"));
}

static void service_attributes(void **st) {
    (void)st;
    json_t *v = get_json("/open311/v2/services.json"), *svc;
    size_t i;
    /* every service has attributes: 诉求类型 at least */
    json_array_foreach(v, i, svc) assert_true(json_is_true(json_object_get(svc, "metadata")));
    json_decref(v);
    v = get_json("/open311/v2/services/cj.water.json");
    json_t *ap = json_array_get(json_object_get(v, "attributes"), json_array_size(json_object_get(v, "attributes")) - 1);
    assert_str(json_string_value(json_object_get(ap, "code")), "appeal_type");
    assert_false(json_is_true(json_object_get(ap, "required")));
    assert_int_equal(json_array_size(json_object_get(ap, "values")), 6);
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
    snprintf(body, sizeof body, "api_key=%s&service_code=cg.manhole&address_string=x&attribute%%5Bmanhole_type%%5D=sewage"
             "&attribute%%5Bappeal_type%%5D=praised", token);
    call(&S, &R, "POST", "/open311/v2/requests.json", body, FORM);
    assert_int_equal(R.status, 400);
    assert_non_null(strstr(R.body, "attribute[appeal_type]"));
    snprintf(body, sizeof body, "api_key=%s&service_code=cg.manhole&address_string=x&attribute%%5Bmanhole_type%%5D=sewage"
             "&attribute%%5Bappeal_type%%5D=complaint", token);
    call(&S, &R, "POST", "/open311/v2/requests.json", body, FORM);
    assert_int_equal(R.status, 201);
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM case_attributes"
                                     " WHERE code = 'manhole_type' AND value = 'sewage'"), 1);
    {
        char staff[128], api[96];
        json_t *made = reply_json(&R);
        snprintf(staff, sizeof staff, "Authorization: Bearer %s", token);
        snprintf(api, sizeof api, "/api/v1/cases/%s",
                 json_string_value(json_object_get(json_array_get(made, 0), "service_request_id")));
        json_decref(made);
        call(&S, &R, "GET", api, NULL, (const char *[]){staff, NULL});
        assert_int_equal(R.status, 200);
        assert_non_null(strstr(R.body, "\"attributes\":{\"manhole_type\":\"sewage\"}"));
        assert_non_null(strstr(R.body, "\"appeal_type\":\"complaint\"")); /* the case's own field */
    }
    /* defining attributes from the command line */
    cli_run *run = calloc(1, sizeof *run);
    const char *bad[] = {"duban", "--db", dbt, "category", "attribute", "cg.ads", "size", "--type", "shape", "--description", "大小", NULL};
    run_cli(run, bad);
    assert_int_equal(run->status, 2);
    assert_non_null(strstr(run->err, "unknown attribute type 'shape'"));
    const char *good[] = {"duban", "--db", dbt, "category", "attribute", "cg.ads", "count", "--type", "number", "--description", "张贴数量", NULL};
    run_cli(run, good);
    assert_int_equal(run->status, 0);
    const char *multi[] = {"duban", "--db", dbt, "category", "attribute", "cg.ads", "where", "--type", "multivaluelist",
                           "--description", "张贴位置", "--value", "pole=电线杆", "--value", "wall=墙面", "--value", "box=配电箱", NULL};
    run_cli(run, multi);
    assert_int_equal(run->status, 0);
    const char *when[] = {"duban", "--db", dbt, "category", "attribute", "cg.ads", "seen", "--type", "datetime",
                          "--description", "发现时间", NULL};
    run_cli(run, when);
    assert_int_equal(run->status, 0);
    free(run);
    v = get_json("/open311/v2/services/cg.ads.json");
    assert_int_equal(json_array_size(json_object_get(v, "attributes")), 4); /* and appeal_type */
    json_decref(v);
    /* each attribute by its datatype; a list as attribute[code][] repeated; unknown codes refused */
    static const struct { const char *attrs; long status; const char *says; } rows[] = {
        {"&attribute%5Bcount%5D=12&attribute%5Bwhere%5D%5B%5D=pole&attribute%5Bwhere%5D%5B%5D=box"
         "&attribute%5Bseen%5D=2026-03-20T10%3A00%3A00%2B08%3A00", 201, NULL},
        {"&attribute%5Bcount%5D=twelve", 400, "attribute[count] 'twelve' is not a number"},
        {"&attribute%5Bseen%5D=yesterday", 400, "attribute[seen] 'yesterday' is not an ISO 8601 time"},
        {"&attribute%5Bwhere%5D%5B%5D=pole&attribute%5Bwhere%5D%5B%5D=roof", 400, "attribute[where] 'roof' is not one of its values"},
        {"&attribute%5Bwhere%5D%5B%5D=pole&attribute%5Bwhere%5D%5B%5D=pole", 400, "attribute[where] 'pole' is given twice"},
        {"&attribute%5Bcolour%5D=red", 400, "attribute[colour] is not an attribute of service cg.ads"},
        {"&attribute%5Bcount%5D=1&attribute%5Bcount%5D=2", 400, "attribute[count] is given twice"},
    };
    for (size_t k = 0; k < sizeof rows / sizeof *rows; k++) {
        snprintf(body, sizeof body, "api_key=%s&service_code=cg.ads&address_string=x%s", token, rows[k].attrs);
        call(&S, &R, "POST", "/open311/v2/requests.json", body, FORM);
        if (R.status != rows[k].status || (rows[k].says && !strstr(R.body, rows[k].says)))
            fail_msg("row %zu: %ld %s", k, R.status, R.body);
    }
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM case_attributes WHERE code = 'where' AND value = 'pole,box'"), 1);
}

/* ---- what the public may see ------------------------------------------------ */

/* Appends what a public route answers (any status) to all. */
static void collect(char **all, size_t *len, const char *path) {
    call(&S, &R, "GET", path, NULL, NULL);
    size_t n = strlen(R.body);
    *all = realloc(*all, *len + n + 2);
    memcpy(*all + *len, R.body, n);
    *len += n;
    (*all)[(*len)++] = '\n';
    (*all)[*len] = '\0';
}

/* Every channel × confidential × published, through every public route
 * (requests in JSON and XML, listed and one by one, tokens, the update
 * feed): a case is there only when it is public; what it shows is the
 * public summary and the scrubbed public reply, or a public channel's own
 * words scrubbed — never a name, a phone number, an internal note, or the
 * raw text of a case from another channel. */
static void nothing_private_is_public(void **st) {
    (void)st;
    session D;
    demo_login(&S, &D, "dispatcher");
    enum { N = CH_COUNT * 4 };
    struct { int64_t id; char no[32]; bool conf, published, channel_public; } k[N];
    char body[1024], path[160];
    for (int n = 0; n < N; n++) {
        int ch = n / 4;
        k[n].conf = (n / 2) % 2;
        k[n].published = n % 2;
        k[n].channel_public = ch == CH_OPEN311 || ch == CH_QR;
        snprintf(body, sizeof body,
                 "{\"channel\":\"%s\",\"class\":\"general\",\"title\":\"标题%d私\","
                 "\"description\":\"描述%d私，电话1391234%04d\",\"requester_name\":\"王某%d甲\","
                 "\"requester_phone\":\"1380000%04d\",\"confidential\":%s,"
                 "\"received_at\":\"2026-03-20T10:00:00+08:00\"}",
                 case_channel_name((case_channel)ch), n, n, n, n, n, k[n].conf ? "true" : "false");
        call(&S, &R, "POST", "/api/v1/cases", body, D.h);
        if (R.status != 201) fail_msg("create %d: %ld %s", n, R.status, R.body);
        json_t *v = reply_json(&R);
        k[n].id = json_integer_value(json_object_get(v, "id"));
        snprintf(k[n].no, sizeof k[n].no, "%s", json_string_value(json_object_get(v, "case_no")));
        json_decref(v);
        snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/dispatch", (long long)k[n].id);
        snprintf(body, sizeof body, "{\"unit\":\"cgj\",\"note\":\"内部%d私\"}", n);
        call(&S, &R, "POST", path, body, D.h);
        assert_int_equal(R.status, 200);
        if (k[n].published) {
            snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/publish", (long long)k[n].id);
            snprintf(body, sizeof body, "{\"note\":\"公开摘要%d号\",\"reply\":\"公开答复%d号，电话1391234%04d\"}", n, n, n);
            call(&S, &R, "POST", path, body, D.h);
            if (R.status != 200) fail_msg("publish %d: %ld %s", n, R.status, R.body);
        }
    }
    char *all = calloc(1, 1);
    size_t len = 0;
    const char *const window = "start_date=2026-03-20T00:00:00%2B08:00&end_date=2026-03-21T00:00:00%2B08:00";
    /* the list holds exactly the public ones, as does the update feed */
    snprintf(path, sizeof path, "/open311/v2/requests.json?%s", window);
    json_t *list = get_json(path), *feed = get_json("/open311/v2/servicerequestupdates.json"), *r;
    for (int n = 0; n < N; n++) {
        bool pub = !k[n].conf && (k[n].channel_public || k[n].published), listed = false, fed = false;
        char id[24];
        size_t i;
        snprintf(id, sizeof id, "%lld", (long long)k[n].id);
        json_array_foreach(list, i, r) listed |= strcmp(json_string_value(json_object_get(r, "service_request_id")), id) == 0;
        json_array_foreach(feed, i, r) fed |= strcmp(json_string_value(json_object_get(r, "service_request_id")), id) == 0;
        if (listed != pub || (fed && !pub)) fail_msg("case %d: public %d, listed %d, in the feed %d", n, pub, listed, fed);
        if (pub && k[n].published && !fed) fail_msg("case %d: its publication is not in the feed", n);
    }
    json_decref(list);
    json_decref(feed);
    for (int x = 0; x < 2; x++) {
        const char *ext = x ? "xml" : "json";
        snprintf(path, sizeof path, "/open311/v2/requests.%s?%s", ext, window);
        collect(&all, &len, path);
        snprintf(path, sizeof path, "/open311/v2/servicerequestupdates.%s", ext);
        collect(&all, &len, path);
        for (int n = 0; n < N; n++) {
            bool pub = !k[n].conf && (k[n].channel_public || k[n].published);
            snprintf(path, sizeof path, "/open311/v2/requests/%lld.%s", (long long)k[n].id, ext);
            collect(&all, &len, path);
            if (R.status != (pub ? 200 : 404)) fail_msg("%s: %ld (case %d public: %d)", path, R.status, n, pub);
            snprintf(path, sizeof path, "/open311/v2/tokens/%s.%s", k[n].no, ext);
            collect(&all, &len, path);
            if (R.status != (pub ? 200 : 404)) fail_msg("%s: %ld (case %d public: %d)", path, R.status, n, pub);
        }
    }
    for (int n = 0; n < N; n++) {
        bool pub = !k[n].conf && (k[n].channel_public || k[n].published);
        char m[64];
        const struct { const char *fmt; bool shown; } marks[] = {
            {"王某%d甲", false},                                   /* the requester's name */
            {"1380000%04d", false},                                /* their phone */
            {"1391234%04d", false},                                /* a number typed in the text */
            {"内部%d私", false},                                   /* a staff note */
            {"描述%d私", pub && k[n].channel_public && !k[n].published}, /* their own words */
            {"公开摘要%d号", pub && k[n].published},
            {"公开答复%d号", pub && k[n].published},
        };
        for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
            snprintf(m, sizeof m, marks[i].fmt, n);
            if ((strstr(all, m) != NULL) != marks[i].shown)
                fail_msg("case %d (channel %s, confidential %d, published %d): '%s' %s", n,
                         case_channel_name((case_channel)(n / 4)), k[n].conf, k[n].published, m,
                         marks[i].shown ? "missing" : "shown to the public");
        }
    }
    free(all);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(discovery),
        cmocka_unit_test(services_in_both_formats),
        cmocka_unit_test(errors_in_the_requested_format),
        cmocka_unit_test(requests),
        cmocka_unit_test(posting_requests),
        cmocka_unit_test(service_attributes),
        cmocka_unit_test(nothing_private_is_public),
    };
    return run_http_suite(tests, setup, teardown);
}
