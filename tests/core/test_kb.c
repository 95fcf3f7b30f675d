/* Tests for core/kb: what an entry must hold, when it is offered, and how
 * typed words become search terms. */
#include "test.h"

#include "core/kb.h"
#include "util/datetime.h"

static void terms(void **st) {
    (void)st;
    static const struct { const char *q; int n; const char *t[KB_MAX_TERMS]; } rows[] = {
        {"社保卡 补办", 2, {"社保卡", "补办"}},
        {"\xe3\x80\x80社保\xe3\x80\x80\t医保 ", 2, {"社保", "医保"}}, /* full-width spaces too */
        {"", 0, {NULL}},
        {"   ", 0, {NULL}},
        {"a b c d e f", 4, {"a", "b", "c", "d"}}, /* the first four words */
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char t[KB_MAX_TERMS][KB_TERM_MAX];
        int n = -1;
        assert_int_equal(kb_terms(rows[i].q, t, &n, NULL), 0);
        assert_int_equal(n, rows[i].n);
        for (int k = 0; k < n; k++) assert_str(t[k], rows[i].t[k]);
    }
    char long_word[KB_TERM_MAX + 2];
    memset(long_word, 'x', sizeof long_word - 1);
    long_word[sizeof long_word - 1] = '\0';
    char t[KB_MAX_TERMS][KB_TERM_MAX];
    int n;
    err e = {0};
    assert_int_equal(kb_terms(long_word, t, &n, &e), ERR_INVALID);
    assert_str(e.field, "q");
}

static void entries(void **st) {
    (void)st;
    kb_entry k = {.question = "问", .answer = "答"};
    err e = {0};
    assert_int_equal(kb_check(&k, &e), 0);
    k.answer = "\xe3\x80\x80 ";
    assert_int_equal(kb_check(&k, &e), ERR_INVALID);
    assert_str(e.field, "answer");
    k.answer = "答";
    k.question = NULL;
    assert_int_equal(kb_check(&k, &e), ERR_INVALID);
    assert_str(e.field, "question");
    k.question = "问";
    char big[KB_POLICY_MAX + 2];
    memset(big, 'p', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    k.policy = big;
    assert_int_equal(kb_check(&k, &e), ERR_INVALID);
    assert_str(e.field, "policy");
    /* valid through its last day, never after; no day: no end */
    int32_t d = dt_days_from_civil(2026, 6, 30);
    k.valid_until = d;
    assert_true(kb_valid_on(&k, d));
    assert_false(kb_valid_on(&k, d + 1));
    k.valid_until = 0;
    assert_true(kb_valid_on(&k, d + 10000));
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(terms), cmocka_unit_test(entries)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
