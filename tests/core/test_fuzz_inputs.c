/* Mutation tests of the parsers that read outside input (calendar files,
 * times, policy values): deterministic byte-level mutations of valid inputs,
 * run under ASan/UBSan. Whatever a parser accepts must satisfy its contract;
 * whatever it refuses must come with a message. */
#include "test.h"

#include <stdlib.h>

#include "core/calendar.h"
#include "core/calendar_builtin.h"
#include "core/policy.h"
#include "util/datetime.h"

static uint64_t rng = 0x13710;
static unsigned rnd(unsigned n) {
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (unsigned)(rng % n);
}

/* Flips, inserts, deletes or duplicates a few bytes of src into dst. */
static size_t mutate(const char *src, size_t len, char *dst, size_t cap) {
    static const char interesting[] = "{}[]\":,-+0123456789eE.tfn\\ \x00\xff\xe5TZ";
    size_t n = len < cap ? len : cap;
    memcpy(dst, src, n);
    int edits = 1 + (int)rnd(4);
    for (int i = 0; i < edits && n > 0; i++) {
        size_t at = rnd((unsigned)n);
        switch (rnd(4)) {
        case 0: dst[at] = interesting[rnd(sizeof interesting - 1)]; break;
        case 1:
            if (n < cap) {
                memmove(dst + at + 1, dst + at, n - at);
                dst[at] = interesting[rnd(sizeof interesting - 1)];
                n++;
            }
            break;
        case 2:
            memmove(dst + at, dst + at + 1, n - at - 1);
            n--;
            break;
        default: {
            size_t k = 1 + rnd(8);
            if (at + k <= n && n + k <= cap) {
                memmove(dst + at + k, dst + at, n - at);
                n += k;
            }
        }
        }
    }
    return n;
}

static void calendar_files(void **st) {
    (void)st;
    size_t len;
    const char *seed = cal_builtin_json(2026, &len);
    char *buf = malloc(len + 4096);
    int accepted = 0;
    for (int i = 0; i < 20000; i++) {
        size_t n = mutate(seed, len, buf, len + 4096);
        cal_year y;
        err e = {0};
        int rc = cal_year_parse(buf, n, &y, &e);
        if (rc == 0) {
            accepted++;
            int32_t lo = dt_days_from_civil(y.year, 1, 1), hi = dt_days_from_civil(y.year, 12, 31);
            for (size_t k = 0; k < y.n; k++) {
                assert_true(y.days[k].day >= lo && y.days[k].day <= hi);
                assert_true(y.days[k].name[0] != '\0');
            }
            cal *c;
            assert_int_equal(cal_new(y.days, y.n, &c, NULL), 0);
            cal_free(c);
            cal_year_clear(&y);
        } else {
            assert_true(e.msg[0] != '\0');
        }
    }
    free(buf);
    /* some mutations (inside names, say) stay valid; most must not */
    assert_true(accepted > 0 && accepted < 20000);
}

static void times_and_rules(void **st) {
    (void)st;
    static const char *const seeds[] = {"2026-03-02T09:30:00+08:00", "2026-02-28", "2026-12-31T23:59:59Z",
                                        "7 day", "1 month", "sameday"};
    char buf[64];
    for (int i = 0; i < 60000; i++) {
        const char *s = seeds[i % 6];
        size_t n = mutate(s, strlen(s), buf, sizeof buf - 1);
        buf[n] = '\0';
        int64_t t;
        int32_t d;
        err e = {0};
        if (dt_parse_instant(buf, 28800, &t, &e) == 0) {
            /* accepted times format back to a parseable form */
            char out[32];
            int64_t again;
            dt_format_instant(t, 28800, out);
            assert_int_equal(dt_parse_instant(out, 0, &again, NULL), 0);
            assert_int_equal(again, t);
        } else {
            assert_non_null(strstr(e.msg, "malformed time"));
        }
        if (dt_parse_date(buf, &d, NULL) == 0) {
            char out[11];
            dt_format_date(d, out);
            assert_str(out, buf);
        }
        pol_rule r;
        if (pol_rule_parse(buf, &r, NULL) == 0) assert_true(r.none || (r.n >= 0 && r.n <= 10000));
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calendar_files),
        cmocka_unit_test(times_and_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
