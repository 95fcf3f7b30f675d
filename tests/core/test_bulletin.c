/* Tests for core/bulletin: the 通报's order within each group (ranked units
 * by rank, then the rest by volume), the best and the worst, and the trend
 * between two periods. */
#include "test.h"

#include <stdlib.h>

#include "core/bulletin.h"

/* A unit with `n` cases dispatched and due, `ok` of them accepted on time,
 * finished on time, solved and satisfied (so its composite is ok / n by
 * the default scheme, once 5 are visited). */
static bul_unit unit(const char *code, unit_kind kind, int64_t n, int64_t ok, int64_t n0, int64_t ok0) {
    bul_unit u = {.kind = kind};
    u.unit.id = code[0] * 100 + code[1];
    snprintf(u.unit.code, sizeof u.unit.code, "%s", code);
    met_counts *m[2] = {&u.now, &u.before};
    int64_t cases[2] = {n, n0}, good[2] = {ok, ok0};
    for (int p = 0; p < 2; p++) {
        m[p]->dispatched = cases[p];
        m[p]->accepted_on_time = good[p];
        m[p]->accept_due = m[p]->due = cases[p];
        m[p]->resolved = m[p]->resolved_on_time = good[p];
        m[p]->visited = cases[p];
        m[p]->solved = good[p];
        m[p]->satisfied = good[p];
    }
    return u;
}

static void ranks_ends_and_trends(void **st) {
    (void)st;
    bulletin b = {.rank_min = 10};
    b.sch = *sch_default();
    bul_unit us[] = {
        unit("aa", UNIT_DEPT, 20, 10, 20, 18),   /* 50%, was 90% */
        unit("bb", UNIT_DEPT, 20, 18, 20, 10),   /* 90%, was 50% */
        unit("cc", UNIT_DEPT, 1, 1, 0, 0),       /* one case at 100%: not ranked */
        unit("dd", UNIT_DEPT, 30, 24, 30, 24),   /* 80%, was 80% */
        unit("tt", UNIT_TOWNSHIP, 12, 6, 5, 5),  /* the only ranked township */
        unit("uu", UNIT_TOWNSHIP, 3, 3, 3, 3),
        unit("ee", UNIT_DEPT, 5, 0, 5, 0),       /* few cases, none good */
    };
    b.n_units = sizeof us / sizeof *us;
    b.units = malloc(sizeof us);
    memcpy(b.units, us, sizeof us);
    bulletin_rank(&b);
    const char *order[] = {"bb", "dd", "aa", "ee", "cc", "tt", "uu"};
    for (size_t i = 0; i < b.n_units; i++) assert_str(b.units[i].unit.code, order[i]);
    assert_int_equal(b.units[0].rank, 1);
    assert_int_equal(b.units[0].rank_before, 3);
    assert_int_equal(b.units[2].rank, 3);
    assert_int_equal(b.units[2].rank_before, 1);
    assert_int_equal(b.units[4].rank, 0); /* cc */
    assert_int_equal(b.total.dispatched, 20 + 20 + 1 + 30 + 12 + 3 + 5);
    int best, worst;
    bulletin_ends(&b, UNIT_DEPT, &best, &worst);
    assert_str(b.units[best].unit.code, "bb");
    assert_str(b.units[worst].unit.code, "aa");
    bulletin_ends(&b, UNIT_TOWNSHIP, &best, &worst);
    assert_str(b.units[best].unit.code, "tt");
    assert_int_equal(worst, -1); /* one ranked township is not also the worst */
    json_t *j = bulletin_json(&b, 8 * 3600);
    json_t *depts = json_object_get(json_array_get(json_object_get(j, "groups"), 0), "units");
    assert_str(json_string_value(json_object_get(json_array_get(depts, 0), "trend")), "up");
    assert_str(json_string_value(json_object_get(json_array_get(depts, 1), "trend")), "same");
    assert_str(json_string_value(json_object_get(json_array_get(depts, 2), "trend")), "down");
    assert_true(json_is_null(json_object_get(json_array_get(depts, 3), "trend")));
    json_decref(j);
    bulletin_clear(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(ranks_ends_and_trends)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
