/* The JSON writer (src/util/jsonw.c) against jansson's json_dumps, byte for
 * byte: random values — objects (keys in the order set), arrays, strings of
 * every byte that must be escaped and of multi-byte UTF-8, embedded NULs,
 * integers to both ends, reals under the precision the server asks for,
 * true, false, null — and the edges; a value nested past the limit is
 * refused, not written. */
#include "test.h"

#include <stdint.h>
#include <stdlib.h>

#include "core/case_json.h"
#include "util/jsonw.h"

static uint64_t seed = 0x9e3779b97f4a7c15u;
static uint64_t rnd(void) { /* xorshift64*: the same values every run */
    seed ^= seed >> 12, seed ^= seed << 25, seed ^= seed >> 27;
    return seed * 0x2545f4914f6cdd1du;
}

static json_t *random_string(void) {
    static const char *const pieces[] = {"a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f",
                                         "\x01", "\x1f", "\x7f", "韩愈大街", "路灯", "é", "😀", "'", "<>&", "\xe2\x80\xa8"};
    char buf[256] = "";
    size_t n = 0, parts = rnd() % 12;
    for (size_t i = 0; i < parts; i++) {
        const char *p = pieces[rnd() % (sizeof pieces / sizeof *pieces)];
        size_t k = strlen(p);
        if (n + k + 1 >= sizeof buf) break;
        memcpy(buf + n, p, k);
        n += k;
    }
    if (rnd() % 10 == 0 && n + 2 < sizeof buf) { /* an embedded NUL */
        buf[n++] = '\0';
        buf[n++] = 'x';
    }
    return json_stringn(buf, n);
}

static json_t *random_value(int depth) {
    static const double reals[] = {0.0, -0.0, 0.1, 1.5, -2.25, 1e300, 1e-7, 5.0, 123456789012345678.0,
                                   0.30000000000000004, 98.32, 1.0 / 3.0};
    switch (rnd() % (depth > 4 ? 6 : 8)) {
    case 0: return json_null();
    case 1: return json_boolean(rnd() % 2);
    case 2: {
        static const json_int_t edges[] = {0, -1, 1, INT64_MAX, INT64_MIN, 9, 10, -10, 1772416800};
        return json_integer(rnd() % 3 ? edges[rnd() % 9] : (json_int_t)rnd());
    }
    case 3: return json_real(rnd() % 2 ? reals[rnd() % 12] : (double)(int64_t)rnd() / 1e6);
    case 4:
    case 5: return random_string();
    case 6: {
        json_t *a = json_array();
        for (size_t i = 0, n = rnd() % 5; i < n; i++) json_array_append_new(a, random_value(depth + 1));
        return a;
    }
    default: {
        json_t *o = json_object();
        for (size_t i = 0, n = rnd() % 6; i < n; i++) {
            json_t *k = random_string();
            json_object_setn_new(o, json_string_value(k), json_string_length(k), random_value(depth + 1));
            json_decref(k);
        }
        return o;
    }
    }
}

static void same_as_jansson(json_t *v, size_t flags) {
    size_t len;
    char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | flags), *got = jsonw_dumps(v, flags, &len);
    assert_non_null(want);
    assert_non_null(got);
    if (len != strlen(want) || memcmp(got, want, len) != 0) fail_msg("wrote '%s', jansson '%s'", got, want);
    free(want);
    free(got);
}

static void writes_what_jansson_writes(void **st) {
    (void)st;
    for (int i = 0; i < 20000; i++) {
        json_t *v = random_value(0);
        same_as_jansson(v, i % 2 ? CASE_JSON_REALS : 0);
        json_decref(v);
    }
    json_t *empty[] = {json_object(), json_array(), json_string(""), json_integer(INT64_MIN)};
    for (size_t i = 0; i < 4; i++) {
        same_as_jansson(empty[i], CASE_JSON_REALS);
        json_decref(empty[i]);
    }
}

static void too_deep_is_refused(void **st) {
    (void)st;
    json_t *v = json_array();
    for (int i = 0; i < JSONW_MAX_DEPTH + 5; i++) {
        json_t *outer = json_array();
        json_array_append_new(outer, v);
        v = outer;
    }
    size_t len = 1;
    assert_null(jsonw_dumps(v, 0, &len));
    assert_int_equal(len, 0);
    json_decref(v);
}

/* Piece by piece: an object opened from a value, members added as text,
 * reads back as the value with those members. */
static void pieces_make_one_value(void **st) {
    (void)st;
    json_t *o = json_pack("{s:i, s:s}", "id", 7, "title", "路灯\"不亮\"");
    jsonw w = {0};
    assert_int_equal(jsonw_object_open(&w, o, 0), 2);
    JSONW_LIT(&w, ",\"events\":[");
    jsonw_int(&w, INT64_MIN);
    JSONW_LIT(&w, ",");
    jsonw_cstr(&w, "a\n\x01b");
    JSONW_LIT(&w, ",");
    jsonw_cstr(&w, NULL);
    JSONW_LIT(&w, "]}");
    size_t len;
    char *text = jsonw_take(&w, &len);
    json_t *back = json_loadb(text, len, 0, NULL);
    assert_non_null(back);
    json_object_set_new(o, "events", json_pack("[I, s, n]", (json_int_t)INT64_MIN, "a\n\x01b"));
    assert_true(json_equal(back, o));
    free(text);
    json_decref(back);
    json_decref(o);
    /* an empty object opened: no member, so no comma before the next */
    json_t *empty = json_object();
    assert_int_equal(jsonw_object_open(&w, empty, 0), 0);
    JSONW_LIT(&w, "}");
    text = jsonw_take(&w, &len);
    assert_string_equal(text, "{}");
    free(text);
    json_decref(empty);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writes_what_jansson_writes),
        cmocka_unit_test(too_deep_is_refused),
        cmocka_unit_test(pieces_make_one_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
