/* Tests for import/table: CSV in UTF-8 (with a BOM), quotes and line
 * breaks inside them, GB18030 as Excel saves it, bytes that are neither,
 * and XLSX written by libxlsxwriter read back with its row numbers. */
#include "test.h"

#include <stdio.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "import/table.h"

static table *read_ok(const char *data, size_t len) {
    table *t = NULL;
    err e = {0};
    if (table_read((const unsigned char *)data, len, &t, &e)) fail_msg("table_read: %s", e.msg);
    return t;
}

static void csv_utf8(void **st) {
    (void)st;
    const char csv[] = "\xEF\xBB\xBF指标,期间,增速\r\ngdp,2024, 5.5 \r\n\"规上工业\"\"增加值\"\"\",\"2024\n全年\",7.8\r\n\r\nlast,,";
    table *t = read_ok(csv, sizeof csv - 1);
    assert_int_equal(table_rows(t), 5);
    assert_string_equal(table_cell(t, 0, 0), "指标");
    assert_string_equal(table_cell(t, 1, 2), "5.5"); /* trimmed */
    assert_string_equal(table_cell(t, 2, 0), "规上工业\"增加值\"");
    assert_string_equal(table_cell(t, 2, 1), "2024\n全年");
    assert_true(table_row_blank(t, 3));
    assert_string_equal(table_cell(t, 4, 0), "last");
    assert_int_equal(table_cols(t, 4), 3);
    assert_string_equal(table_cell(t, 9, 9), "");
    table_free(t);
}

static void csv_gb18030(void **st) {
    (void)st;
    /* "指标,增速\n地区生产总值,7" in GB18030 */
    const char csv[] = "\xD6\xB8\xB1\xEA,\xD4\xF6\xCB\xD9\n\xB5\xD8\xC7\xF8\xC9\xFA\xB2\xFA\xD7\xDC\xD6\xB5,7\n";
    table *t = read_ok(csv, sizeof csv - 1);
    assert_string_equal(table_cell(t, 0, 0), "指标");
    assert_string_equal(table_cell(t, 0, 1), "增速");
    assert_string_equal(table_cell(t, 1, 0), "地区生产总值");
    table_free(t);
}

static void bad_input(void **st) {
    (void)st;
    static const struct { const char *data; size_t len; const char *says; } bad[] = {
        {"a,b\n\xFF\xFF\xFF,c\n", 10, "neither UTF-8 nor GB18030"},
        {"a,\"b\nc", 6, "never closed"},
        {"", 0, "empty"},
        {"a,\x01,c", 5, "row 1"},
        {"PK\x03\x04garbage", 11, "not a readable XLSX"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        table *t = NULL;
        err e = {0};
        assert_int_equal(table_read((const unsigned char *)bad[i].data, bad[i].len, &t, &e), ERR_INVALID);
        assert_null(t);
        if (!strstr(e.msg, bad[i].says)) fail_msg("case %zu: '%s' lacks '%s'", i, e.msg, bad[i].says);
    }
    size_t big = TABLE_MAX_BYTES + 1;
    unsigned char *b = calloc(big, 1);
    table *t = NULL;
    err e = {0};
    assert_int_equal(table_read(b, big, &t, &e), ERR_INVALID);
    free(b);
}

static void xlsx(void **st) {
    (void)st;
    char path[] = "/tmp/duban-test-table-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "指标");
    worksheet_write_string(ws, 0, 0, "指标", NULL);
    worksheet_write_string(ws, 0, 1, "期间", NULL);
    worksheet_write_string(ws, 0, 2, "增速", NULL);
    worksheet_write_string(ws, 1, 0, "地区生产总值", NULL);
    worksheet_write_string(ws, 1, 1, "2024-Q3", NULL);
    worksheet_write_number(ws, 1, 2, 5.5, NULL);
    worksheet_write_string(ws, 3, 0, "一般公共预算收入 & 其他", NULL); /* row 4; row 3 empty */
    worksheet_write_number(ws, 3, 2, 6, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    FILE *f = fopen(path, "rb");
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    unlink(path);
    table *t = read_ok(buf, n);
    assert_int_equal(table_rows(t), 4);
    assert_string_equal(table_cell(t, 1, 0), "地区生产总值");
    assert_string_equal(table_cell(t, 1, 1), "2024-Q3");
    assert_string_equal(table_cell(t, 1, 2), "5.5");
    assert_true(table_row_blank(t, 2));
    assert_string_equal(table_cell(t, 3, 0), "一般公共预算收入 & 其他");
    assert_string_equal(table_cell(t, 3, 2), "6");
    table_free(t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_utf8), cmocka_unit_test(csv_gb18030), cmocka_unit_test(bad_input),
        cmocka_unit_test(xlsx),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
