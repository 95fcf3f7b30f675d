/* Tests for core/file: types judged by the bytes, the limit, the name. */
#include "test.h"

#include "core/file.h"

static void sniffing(void **st) {
    (void)st;
    static const struct { const char *bytes; size_t n; const char *mime; } rows[] = {
        {"\xff\xd8\xff\xe0", 4, "image/jpeg"},
        {"\x89PNG\r\n\x1a\n\0", 9, "image/png"},
        {"RIFF\x10\0\0\0WEBPVP8 ", 16, "image/webp"},
        {"%PDF-1.7\n", 9, "application/pdf"},
        {"RIFF\x10\0\0\0WAVEfmt ", 16, NULL}, /* a RIFF that is not WebP */
        {"XXXX\x10\0\0\0WEBPVP8 ", 16, NULL}, /* WEBP without RIFF */
        {"GIF89a", 6, NULL},
        {"\x89PNG", 4, NULL}, /* cut short */
        {"%PDF", 4, NULL},
        {"", 0, NULL},
        {"<svg xmlns=", 11, NULL}, /* scripts hide in SVG: not a photo here */
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const char *m = file_sniff((const unsigned char *)rows[i].bytes, rows[i].n);
        if (rows[i].mime ? !m || strcmp(m, rows[i].mime) : m != NULL)
            fail_msg("row %zu: %s, want %s", i, m ? m : "NULL", rows[i].mime ? rows[i].mime : "NULL");
    }
    assert_str(file_ext("application/pdf"), "pdf");
    assert_str(file_ext("text/html"), "bin");
}

static void checks(void **st) {
    (void)st;
    const unsigned char jpg[] = "\xff\xd8\xff\xe0 and more";
    const char *mime = NULL;
    err e = {0};
    assert_int_equal(file_check(jpg, sizeof jpg, 1024, "照片.jpg", &mime, &e), 0);
    assert_str(mime, "image/jpeg");
    assert_int_equal(file_check(jpg, sizeof jpg, 4, "照片.jpg", &mime, &e), ERR_TOO_LARGE);
    assert_str(e.field, "file");
    assert_int_equal(file_check(jpg, 0, 1024, "照片.jpg", &mime, &e), ERR_INVALID);
    assert_int_equal(file_check(jpg, sizeof jpg, 1024, " ", &mime, &e), ERR_INVALID);
    assert_str(e.field, "name");
    assert_int_equal(file_check(jpg, sizeof jpg, 1024, "a\"b.jpg", &mime, &e), ERR_INVALID);
    assert_int_equal(file_check(jpg, sizeof jpg, 1024, "a\xff.jpg", &mime, &e), ERR_INVALID);
    assert_str(file_base("C:\\Users\\张\\照片.jpg"), "照片.jpg");
    assert_str(file_base("/tmp/x/y.pdf"), "y.pdf");
    assert_str(file_base("plain.png"), "plain.png");
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(sniffing), cmocka_unit_test(checks)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
