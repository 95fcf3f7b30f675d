/* Tests for util/strbuf: text grows without a fixed buffer and is never cut
 * short: past its limit the buffer fails whole, and says so once. */
#include "test.h"

#include <stdlib.h>

#include "util/strbuf.h"

static void grows_and_formats(void **st) {
    (void)st;
    strbuf sb = STRBUF_INIT(1 << 20);
    assert_string_equal(strbuf_str(&sb), "");
    for (int i = 0; i < 1000; i++) assert_int_equal(strbuf_addf(&sb, "%d,", i), 0);
    assert_int_equal(strbuf_adds(&sb, "韩愈大街"), 0);
    assert_int_equal(strlen(strbuf_str(&sb)), sb.len);
    assert_memory_equal(strbuf_str(&sb), "0,1,2,", 6);
    assert_non_null(strstr(strbuf_str(&sb), "998,999,韩愈大街"));
    assert_int_equal(strbuf_check(&sb, "the list", NULL), 0);
    char *s = strbuf_detach(&sb);
    assert_int_equal(sb.len, 0);
    assert_string_equal(strbuf_str(&sb), "");
    assert_non_null(strstr(s, "999,"));
    free(s);
    strbuf_release(&sb);
}

/* The limit is exact: up to it, appends go in; past it, nothing more does
 * (a later small append neither), and the check names what and how long. */
static void fails_whole_past_its_limit(void **st) {
    (void)st;
    strbuf sb = STRBUF_INIT(10);
    assert_int_equal(strbuf_adds(&sb, "0123456789"), 0);
    assert_int_equal(sb.len, 10);
    assert_int_equal(strbuf_adds(&sb, "x"), ERR_TOO_LARGE);
    assert_int_equal(strbuf_adds(&sb, ""), ERR_TOO_LARGE);
    assert_string_equal(strbuf_str(&sb), "0123456789");
    err e = {0};
    assert_int_equal(strbuf_check(&sb, "the statement", &e), ERR_TOO_LARGE);
    assert_non_null(strstr(e.msg, "the statement"));
    assert_non_null(strstr(e.msg, "10 bytes"));
    assert_null(strbuf_detach(&sb)); /* a failed buffer gives nothing to use */
    strbuf_release(&sb);
    /* a formatted append that would pass it adds nothing at all */
    strbuf_init(&sb, 8);
    assert_int_equal(strbuf_addf(&sb, "%s", "abc"), 0);
    assert_int_equal(strbuf_addf(&sb, "%s-%d", "defgh", 12), ERR_TOO_LARGE);
    assert_string_equal(strbuf_str(&sb), "abc");
    strbuf_reset(&sb);
    assert_int_equal(strbuf_check(&sb, "x", NULL), 0);
    assert_int_equal(strbuf_adds(&sb, "12345678"), 0);
    strbuf_release(&sb);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grows_and_formats),
        cmocka_unit_test(fails_whole_past_its_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
