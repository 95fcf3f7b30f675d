/* Tests for core/scheme: the published schemes' points, terms not scored
 * below their observations but completion always, per-case adjustments,
 * and the trap a weighted sum fell into: a unit that finishes nothing
 * scored on signing alone. */
#include "test.h"

#include <math.h>

#include "core/scheme.h"

static bool near(double a, double b) { return fabs(a - b) < 1e-9; }

/* 连云港: 按时办结率 points = rate - 75, none below; 签收率 80% gives 0;
 * 满意率 0.5 x rate - 24 above its floor, as published (practice.md A.1). */
static void lianyungang_fits_the_published_points(void **st) {
    (void)st;
    const scheme *s = &sch_preset_find("lianyungang")->s;
    static const struct { int64_t on_time, due; double points; } ontime[] = {
        {8982, 10000, 14.82}, {80, 100, 5}, {6667, 10000, 0}, {100, 100, 25}};
    for (size_t i = 0; i < sizeof ontime / sizeof *ontime; i++) {
        met_counts m = {.due = ontime[i].due, .resolved_on_time = ontime[i].on_time};
        sch_score sc;
        sch_score_of(s, &m, &sc);
        if (!near(sc.points[1], ontime[i].points))
            fail_msg("按时办结率 %lld/%lld: %g points, published %g", (long long)ontime[i].on_time,
                     (long long)ontime[i].due, sc.points[1], ontime[i].points);
    }
    met_counts m = {.accept_due = 10, .accepted_on_time = 8, .visited = 8, .satisfied = 7};
    sch_score sc;
    sch_score_of(s, &m, &sc);
    assert_true(near(sc.points[0], 0));      /* 签收率 80% */
    assert_true(near(sc.points[2], 19.75));  /* 满意率 87.5% */
    m.satisfied = 4;                         /* 50%: the floor */
    sch_score_of(s, &m, &sc);
    assert_true(near(sc.points[2], 12.5));
}

/* 金华: 按期结案率 full at 70% and one point less a point below; 返工 0.2 a
 * case, at most its 5 points. */
static void jinhua_bands_and_deductions(void **st) {
    (void)st;
    const scheme *s = &sch_preset_find("jinhua")->s;
    met_counts m = {.due = 100, .resolved_on_time = 65, .resolved = 95, .reopened = 3};
    sch_score sc;
    sch_score_of(s, &m, &sc);
    assert_true(near(sc.points[0], 45));
    assert_true(near(sc.points[1], 20));
    assert_true(near(sc.adjust[0], -0.6));
    assert_true(near(sc.total, 64.4));
    m.reopened = 40;
    sch_score_of(s, &m, &sc);
    assert_true(near(sc.adjust[0], -5));
}

/* Two units: one signs for everything on time and finishes nothing, the
 * other finishes everything with one unsatisfied visit. The default scores
 * the second above; the weighted sum of before (legacy) did the reverse. */
static void finishing_nothing_is_not_a_good_score(void **st) {
    (void)st;
    met_counts signer = {.dispatched = 20, .accept_due = 20, .accepted_on_time = 20, .due = 20, .overdue = 20};
    met_counts finisher = {.dispatched = 20, .accept_due = 20, .accepted_on_time = 17, .due = 20, .resolved = 20,
                           .resolved_on_time = 20, .visited = 20, .satisfied = 19, .solved = 19};
    sch_score a, b;
    sch_score_of(sch_default(), &signer, &a);
    sch_score_of(sch_default(), &finisher, &b);
    assert_true(b.share > a.share);
    assert_true(near(a.points[1], 0)); /* completion scored: cases were due */
    assert_true(isnan(a.points[2]));   /* no visits: not scored */
    met_counts signer_legacy = signer;
    sch_score_of(&sch_preset_find("legacy")->s, &signer_legacy, &a);
    sch_score_of(&sch_preset_find("legacy")->s, &finisher, &b);
    assert_true(a.share > b.share); /* the trap the default closes */
}

/* A term with fewer observations than min_obs is shown, not scored, and
 * the other terms take its place; completion is scored however few. */
static void few_observations(void **st) {
    (void)st;
    const scheme *s = sch_default(); /* min_obs 5 */
    met_counts m = {.accept_due = 10, .accepted_on_time = 10, .due = 2, .resolved_on_time = 1, .visited = 3,
                    .satisfied = 0};
    sch_score sc;
    sch_score_of(s, &m, &sc);
    assert_true(isnan(sc.points[2]));
    assert_int_equal(sc.observed[2], 3);
    assert_true(near(sc.rate[2], 0));
    assert_true(near(sc.points[1], 17.5));
    assert_true(near(sc.total, (30 + 17.5) * 100 / 65));
    met_counts none = {0};
    sch_score_of(s, &none, &sc);
    assert_true(isnan(sc.share));
}

static void schemes_from_json(void **st) {
    (void)st;
    scheme s;
    err e = {0};
    json_t *v = json_loads("{\"terms\":[{\"figure\":\"ontime_resolve_rate\",\"weight\":60},"
                           "{\"figure\":\"reopen_rate\",\"weight\":10,\"lower_better\":true}],"
                           "\"adjust\":[{\"count\":\"overdue\",\"points\":-0.5,\"cap\":10}],\"min_obs\":3}",
                           0, NULL);
    assert_int_equal(sch_from_json(v, &s, &e), 0);
    json_decref(v);
    assert_string_equal(s.name, "custom");
    assert_int_equal(s.n_terms, 2);
    assert_true(near(s.term[0].slope, 0.6));
    met_counts m = {.due = 10, .resolved_on_time = 5, .ever_resolved = 10, .reopened = 1, .overdue = 5};
    sch_score sc;
    sch_score_of(&s, &m, &sc);
    assert_true(near(sc.points[0], 30));
    assert_true(near(sc.points[1], 9));
    assert_true(near(sc.total, 39 - 2.5));
    /* round trip */
    json_t *j = sch_to_json(&s);
    scheme back;
    json_object_del(j, "name");
    json_object_del(j, "label");
    json_object_del(j, "source");
    assert_int_equal(sch_from_json(j, &back, &e), 0);
    json_decref(j);
    assert_memory_equal(&back, &s, sizeof s);
    static const struct { const char *json, *field; } bad[] = {
        {"[]", "scheme"},
        {"{\"preset\":\"nowhere\"}", "preset"},
        {"{\"preset\":\"jinhua\",\"min_obs\":2}", "preset"},
        {"{\"terms\":[]}", "terms"},
        {"{\"terms\":[{\"figure\":\"composite\",\"weight\":1}]}", "figure"},
        {"{\"terms\":[{\"figure\":\"resolve_rate\"}]}", "weight"},
        {"{\"terms\":[{\"figure\":\"resolve_rate\",\"weight\":\"10\"}]}", "weight"},
        {"{\"terms\":[{\"figure\":\"resolve_rate\",\"weight\":10,\"floor\":11}]}", "floor"},
        {"{\"terms\":[{\"figure\":\"resolve_rate\",\"weight\":10}],\"adjust\":[{\"count\":\"x\"}]}", "adjust"},
        {"{\"terms\":[{\"figure\":\"resolve_rate\",\"weight\":10}],\"bonus\":5}", "bonus"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        json_t *b = json_loads(bad[i].json, 0, NULL);
        err be = {0};
        if (sch_from_json(b, &s, &be) != ERR_INVALID) fail_msg("accepted %s", bad[i].json);
        if (strcmp(be.field, bad[i].field)) fail_msg("%s: field '%s', want '%s' (%s)", bad[i].json, be.field,
                                                     bad[i].field, be.msg);
        json_decref(b);
    }
    for (int i = 0; i < sch_n_presets; i++) {
        assert_non_null(sch_presets[i].source);
        assert_true(sch_presets[i].s.n_terms > 0);
    }
    assert_string_equal(sch_default()->name, "default");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lianyungang_fits_the_published_points),
        cmocka_unit_test(jinhua_bands_and_deductions),
        cmocka_unit_test(finishing_nothing_is_not_a_good_score),
        cmocka_unit_test(few_observations),
        cmocka_unit_test(schemes_from_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
