/* 1+10+N's "1" through the API on each driver: the demo's indicators as the
 * seeds state them (2023 targets, 2024 actuals, never compared); a value
 * written and judged against its year's target; imports of CSV (UTF-8 and
 * GB18030) and XLSX, and a file with bad rows refused row by row with
 * nothing written; bad values and the wrong role refused. */
#include "test.h"

#include <stdbool.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "tests/http/demo_suite.h"

static session DISP, LEADER;

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "indicators", "20");
    demo_login(&S, &DISP, "dispatcher");
    demo_login(&S, &LEADER, "leader");
    return 0;
}

/* The indicator code of year's answer. */
static json_t *year_of(int year) {
    char path[64];
    snprintf(path, sizeof path, "/api/v1/indicators?year=%d", year);
    call(&S, &R, "GET", path, NULL, LEADER.h);
    want(200, path);
    return J();
}

static json_t *ind(json_t *v, const char *code) {
    json_t *x;
    size_t i;
    json_array_foreach(json_object_get(v, "indicators"), i, x) if (!strcmp(S_(x, "code"), code)) return x;
    fail_msg("no indicator %s", code);
    return NULL;
}

static double num(json_t *o, const char *k) { return json_number_value(json_object_get(o, k)); }

static void the_seeds_as_stated(void **st) {
    (void)st;
    json_t *v = year_of(2023);
    json_t *gdp = ind(v, "gdp");
    assert_true(num(json_object_get(gdp, "target"), "value") == 7.0);
    assert_false(json_is_true(json_object_get(json_object_get(gdp, "target"), "demo")));
    assert_int_equal(json_array_size(json_object_get(gdp, "actuals")), 0);
    assert_str(S_(gdp, "status"), "no_data"); /* a 2023 target is not compared with 2024 */
    assert_true(json_is_null(json_object_get(ind(v, "income_urban"), "target")));
    assert_int_equal(json_array_size(json_object_get(v, "indicators")), 7);
    json_decref(v);
    v = year_of(2024);
    assert_true(num(ind(v, "gdp") ? json_object_get(ind(v, "gdp"), "latest") : NULL, "value") == 5.5);
    assert_true(num(json_object_get(ind(v, "income_rural"), "latest"), "value") == 5.8);
    assert_str(S_(ind(v, "gdp"), "status"), "no_data");
    json_decref(v);
}

static void put(const char *code, const char *body, long status) {
    char path[96];
    snprintf(path, sizeof path, "/api/v1/indicators/%s/values", code);
    call(&S, &R, "PUT", path, body, DISP.h);
    want(status, body);
}

static void written_and_judged(void **st) {
    (void)st;
    put("gdp", "{\"kind\":\"target\",\"period\":\"2025\",\"value\":6}", 200);
    put("gdp", "{\"kind\":\"actual\",\"period\":\"2025-Q1\",\"value\":5.2}", 200);
    json_t *v = year_of(2025);
    assert_str(S_(ind(v, "gdp"), "status"), "near");
    json_decref(v);
    put("gdp", "{\"kind\":\"actual\",\"period\":\"2025-06\",\"value\":6.1}", 200);
    v = year_of(2025);
    assert_str(S_(ind(v, "gdp"), "status"), "met"); /* June comes after the first quarter */
    json_decref(v);
    put("gdp", "{\"kind\":\"actual\",\"period\":\"2025-09\",\"value\":4.9}", 200);
    v = year_of(2025);
    assert_str(S_(ind(v, "gdp"), "status"), "behind");
    assert_int_equal(json_array_size(json_object_get(ind(v, "gdp"), "actuals")), 3);
    json_decref(v);
    put("gdp", "{\"kind\":\"actual\",\"period\":\"2025-09\",\"value\":5.0}", 200); /* replaced, not added */
    v = year_of(2025);
    assert_int_equal(json_array_size(json_object_get(ind(v, "gdp"), "actuals")), 3);
    assert_str(S_(ind(v, "gdp"), "status"), "near");
    json_decref(v);
    put("nope", "{\"kind\":\"actual\",\"period\":\"2025\",\"value\":1}", 404);
    put("gdp", "{\"kind\":\"actual\",\"period\":\"2025-13\",\"value\":1}", 422);
    assert_non_null(strstr(R.body, "\"period\""));
    put("gdp", "{\"kind\":\"target\",\"period\":\"2025-06\",\"value\":1}", 422);
    put("gdp", "{\"kind\":\"plan\",\"period\":\"2025\",\"value\":1}", 422);
    put("gdp", "{\"kind\":\"actual\",\"period\":\"2025\",\"value\":\"5.5\"}", 422);
    put("gdp", "{\"kind\":\"actual\",\"period\":\"2025\",\"value\":5000}", 422);
    put("gdp", "{\"kind\":\"actual\",\"period\":\"2025\",\"value\":5.555}", 422);
    call(&S, &R, "PUT", "/api/v1/indicators/gdp/values", "{\"kind\":\"actual\",\"period\":\"2025\",\"value\":1}", LEADER.h);
    want(403, "a leader reads");
}

static void import(const char *data, size_t len, long status) {
    const char *h[] = {DISP.cookie, DISP.csrf, "Content-Type: text/csv", NULL};
    call_n(&S, &R, "POST", "/api/v1/indicators/import", data, len, h); /* a binary file too */
    want(status, "import");
}

/* Access-log entries of the indicators' changes. */
static int64_t changes_logged(void) {
    return test_db_int(dbt, "SELECT count(*) FROM access_log WHERE action = 'indicators_changed'");
}

static void imports(void **st) {
    (void)st;
    int64_t logged = changes_logged();
    const char utf8[] = "\xEF\xBB\xBF指标,类型,期间,增速,来源\ngdp,目标,2022,6.5,统计局\n固定资产投资,实际,2022-Q2,8.1,\n";
    import(utf8, sizeof utf8 - 1, 200);
    if (!strstr(R.body, "\"written\":2")) fail_msg("import: %s", R.body);
    assert_int_equal(changes_logged(), logged + 1); /* written and logged together */
    json_t *v = year_of(2022);
    assert_true(num(json_object_get(ind(v, "gdp"), "target"), "value") == 6.5);
    assert_true(num(json_object_get(ind(v, "investment"), "latest"), "value") == 8.1); /* by its name */
    json_decref(v);
    /* GB18030: "指标,类型,期间,增速\nretail,实际,2022,3.3\n" */
    const char gb[] = "\xD6\xB8\xB1\xEA,\xC0\xE0\xD0\xCD,\xC6\xDA\xBC\xE4,\xD4\xF6\xCB\xD9\nretail,\xCA\xB5\xBC\xCA,2022,3.3\n";
    import(gb, sizeof gb - 1, 200);
    v = year_of(2022);
    assert_true(num(json_object_get(ind(v, "retail"), "latest"), "value") == 3.3);
    json_decref(v);
    /* XLSX */
    char path[] = "/tmp/duban-test-ind-XXXXXX";
    close(mkstemp(path));
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    const char *head[] = {"期间", "指标", "增速", "类型"}; /* any order */
    for (int c = 0; c < 4; c++) worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
    worksheet_write_string(ws, 1, 0, "2022", NULL);
    worksheet_write_string(ws, 1, 1, "revenue", NULL);
    worksheet_write_number(ws, 1, 2, 4.25, NULL);
    worksheet_write_string(ws, 1, 3, "实际", NULL);
    workbook_close(wb);
    FILE *f = fopen(path, "rb");
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    unlink(path);
    import(buf, n, 200);
    v = year_of(2022);
    assert_true(num(json_object_get(ind(v, "revenue"), "latest"), "value") == 4.25);
    json_decref(v);
    /* bad rows: each named, nothing written */
    const char bad[] = "指标,类型,期间,增速\n"
                       "gdp,实际,2022-05,5\n"      /* row 2: good */
                       "gdp,实际,2022-13,5\n"      /* row 3: a month that is not */
                       "火星产值,实际,2022,1\n"     /* row 4: no such indicator */
                       "\n"                        /* row 5: blank, skipped */
                       "industry,目标,2022-Q1,8\n" /* row 6: a target is yearly */
                       "industry,实际,2022,abc\n"; /* row 7 */
    logged = changes_logged();
    import(bad, sizeof bad - 1, 422);
    assert_int_equal(changes_logged(), logged); /* nothing written, nothing logged */
    v = J();
    json_t *rows = json_object_get(v, "rows");
    assert_int_equal(json_array_size(rows), 4);
    json_int_t want_rows[] = {3, 4, 6, 7};
    for (size_t i = 0; i < 4; i++) assert_int_equal(I_(json_array_get(rows, i), "row"), want_rows[i]);
    json_decref(v);
    v = year_of(2022);
    assert_int_equal(json_array_size(json_object_get(ind(v, "gdp"), "actuals")), 0); /* row 2 not written */
    json_decref(v);
    import("only,a,header\n", 14, 422);
    assert_non_null(strstr(R.body, "指标"));
    import("a,b\n\xFF\xFE\xFF,x\n", 10, 422);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_seeds_as_stated),
        cmocka_unit_test(written_and_judged),
        cmocka_unit_test(imports),
    };
    return run_http_suite(tests, setup, teardown);
}
