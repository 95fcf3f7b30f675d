/* Open311 GeoReport v2 (read side so far) against the real server: discovery,
 * services and definitions in XML and JSON, the same content in both, and
 * errors in the requested format with the spec's codes. */
#include "test.h"

#include "tests/http/server_fixture.h"

static char db[64];
static server S;
static reply R;

static int setup(void **st) {
    (void)st;
    snprintf(db, sizeof db, "/tmp/duban-o311-%d.db", (int)getpid());
    demo_server(&S, db, "30");
    return 0;
}

static int teardown(void **st) {
    (void)st;
    demo_server_stop(&S, db);
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
    assert_true(json_is_false(json_object_get(s0, "metadata")));
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

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(discovery),
        cmocka_unit_test(services_in_both_formats),
        cmocka_unit_test(errors_in_the_requested_format),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return rc;
}
