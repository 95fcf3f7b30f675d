/* Tests for util/text: which byte strings are acceptable text. */
#include "test.h"

#include "util/text.h"

static void what_is_text(void **st) {
    (void)st;
    static const struct { const char *s; size_t n; bool ok; } rows[] = { /* n: 0 = strlen */
        {"", 0, true},
        {"韩愈大街路灯不亮", 0, true},
        {"line one\nline two\tend", 0, true},
        {"windows\r\nline", 13, true},          /* CR LF, as a browser's form sends it */
        {"lone\rCR", 7, false},
        {"bell\a", 5, false},
        {"esc\x1b[31m", 8, false},
        {"del\x7f", 4, false},
        {"c1\xc2\x85", 4, false},               /* U+0085, a C1 control */
        {"nbsp\xc2\xa0ok", 8, true},
        {"\xff\xfe", 2, false},
        {"\xc0\xaf", 2, false},                 /* overlong '/' */
        {"\xe0\x80\xaf", 3, false},             /* overlong, 3 bytes */
        {"\xed\xa0\x80", 3, false},             /* a surrogate */
        {"\xf4\x90\x80\x80", 4, false},         /* above U+10FFFF */
        {"\xf0\x9f\x98\x80", 4, true},          /* an emoji */
        {"\xe9\x9f", 2, false},                 /* cut short */
        {"nul\0in", 6, false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        err e = {0};
        size_t n = rows[i].n ? rows[i].n : strlen(rows[i].s);
        int rc = text_check(rows[i].s, n, "note", &e);
        if ((rc == 0) != rows[i].ok) fail_msg("row %zu: rc %d (%s)", i, rc, e.msg);
        if (rc) {
            assert_int_equal(rc, ERR_INVALID);
            assert_str(e.field, "note");
            assert_non_null(strstr(e.msg, "note"));
        }
    }
    assert_int_equal(text_len("路灯abc"), 5);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(what_is_text)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
