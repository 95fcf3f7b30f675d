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

/* What a byte-counted cut leaves of a split character goes; whole ones stay. */
static void mended(void **st) {
    (void)st;
    static const struct { const char *in, *out; } rows[] = {
        {"路灯不亮", "路灯不亮"},
        {"cursor '路\xe7\x81' is not", "cursor '路' is not"}, /* 灯 cut after 2 of its 3 bytes */
        {"\xe7", ""},
        {"a\xff\xfe" "b", "ab"},
        {"tab\tand\nnewline", "tab\tand\nnewline"},
        {"\xf0\x9f\x98\x80 \xf0\x9f\x98", "\xf0\x9f\x98\x80 "},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", rows[i].in);
        assert_str(text_mend(buf), rows[i].out);
        err e = {0};
        assert_int_equal(text_check(buf, strlen(buf), "m", &e), 0);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(what_is_text), cmocka_unit_test(mended)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
