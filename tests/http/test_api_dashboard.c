/* What the dashboard reads, on each driver: the units ranked within their
 * kind by composite, a unit below the minimum volume listed but not ranked;
 * the cases received by month, channel, class, 诉求类型 and category ×
 * township adding up to the same total; who may read them; bad periods. */
#include "test.h"

#include <math.h>
#include <stdbool.h>

#include "tests/http/demo_suite.h"

static session DISP, LEADER, CLERK;

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "dash", "300");
    demo_login(&S, &DISP, "dispatcher");
    demo_login(&S, &LEADER, "leader");
    demo_login(&S, &CLERK, "cgj.clerk");
    return 0;
}

static void set_min(const char *v) {
    cli_run *run = calloc(1, sizeof *run);
    const char *argv[] = {"duban", "--db", dbt, "config", "set", "rank_min_dispatched", v, NULL};
    run_cli(run, argv);
    assert_int_equal(run->status, 0);
    free(run);
}

/* Checks the ranks of one stats answer; returns how many units are unranked. */
static int check_ranks(json_t *v, json_int_t min) {
    json_t *units = json_object_get(v, "units"), *u, *w;
    size_t i, j;
    int unranked = 0;
    assert_int_equal(I_(v, "rank_min"), min);
    json_array_foreach(units, i, u) {
        json_t *rank = json_object_get(u, "rank"), *c = json_object_get(u, "composite");
        const char *kind = json_string_value(json_object_get(u, "kind"));
        assert_non_null(kind);
        bool ranked = I_(u, "dispatched") >= min && json_is_number(c);
        assert_int_equal(json_is_integer(rank), ranked);
        if (!ranked) {
            unranked++;
            continue;
        }
        /* 1 + the ranked units of its kind with a higher composite */
        json_int_t higher = 0;
        json_array_foreach(units, j, w) {
            if (strcmp(kind, json_string_value(json_object_get(w, "kind"))) || !json_is_integer(json_object_get(w, "rank")))
                continue;
            if (json_number_value(json_object_get(w, "composite")) > json_number_value(c)) higher++;
        }
        assert_int_equal(json_integer_value(rank), higher + 1);
    }
    return unranked;
}

static void ranked_within_kind(void **st) {
    (void)st;
    const char *path = "/api/v1/stats?from=2026-03-01&to=2026-04-01";
    call(&S, &R, "GET", path, NULL, DISP.h);
    want(200, path);
    json_t *v = J();
    int unranked10 = check_ranks(v, 10);
    assert_true(unranked10 > 0); /* the demo's townships lead few cases in a month */
    json_decref(v);
    set_min("100000"); /* nobody qualifies: everyone listed, nobody ranked */
    call(&S, &R, "GET", path, NULL, DISP.h);
    v = J();
    assert_int_equal(check_ranks(v, 100000), (int)json_array_size(json_object_get(v, "units")));
    json_decref(v);
    set_min("0");
    call(&S, &R, "GET", path, NULL, DISP.h);
    v = J();
    assert_true(check_ranks(v, 0) < unranked10);
    bool dept = false, town = false;
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(v, "units"), i, u) {
        if (json_integer_value(json_object_get(u, "rank")) == 1) {
            dept |= !strcmp(json_string_value(json_object_get(u, "kind")), "dept");
            town |= !strcmp(json_string_value(json_object_get(u, "kind")), "township");
        }
    }
    assert_true(dept && town); /* each kind has its own first */
    json_decref(v);
    set_min("10");
}

static json_int_t sum_n(json_t *arr) {
    json_int_t s = 0;
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x) s += I_(x, "n");
    return s;
}

static void breakdown_adds_up(void **st) {
    (void)st;
    const char *path = "/api/v1/stats/breakdown?from=2026-01-01&to=2026-04-01";
    call(&S, &R, "GET", path, NULL, LEADER.h);
    want(200, path);
    json_t *v = J(), *m;
    json_int_t received = I_(v, "received"), by_month = 0, dispatched = 0;
    size_t i;
    assert_true(received > 200);
    assert_int_equal(json_array_size(json_object_get(v, "by_month")), 3);
    json_array_foreach(json_object_get(v, "by_month"), i, m) {
        by_month += I_(m, "received");
        dispatched += I_(m, "dispatched");
        assert_true(I_(m, "satisfied") <= I_(m, "visited"));
        assert_true(I_(m, "resolved") <= I_(m, "received"));
    }
    assert_str(json_string_value(json_object_get(json_array_get(json_object_get(v, "by_month"), 0), "month")), "2026-01");
    assert_int_equal(by_month, received);
    assert_true(dispatched > 0);
    assert_int_equal(sum_n(json_object_get(v, "by_channel")), received);
    assert_int_equal(sum_n(json_object_get(v, "by_class")), received);
    assert_int_equal(sum_n(json_object_get(v, "by_appeal_type")), received);
    json_t *heat = json_object_get(v, "heat"), *c;
    json_int_t cells = 0;
    json_array_foreach(json_object_get(heat, "cells"), i, c) {
        assert_true(json_integer_value(json_array_get(c, 0)) < (json_int_t)json_array_size(json_object_get(heat, "categories")));
        assert_true(json_integer_value(json_array_get(c, 1)) < (json_int_t)json_array_size(json_object_get(heat, "townships")));
        cells += json_integer_value(json_array_get(c, 2));
    }
    assert_int_equal(cells + I_(heat, "unplaced"), received);
    assert_true(cells > 0);
    assert_short_reals(R.body);
    json_decref(v);
    /* the same total as the summary of the cases received (none merged away here is counted) */
    call(&S, &R, "GET", path, NULL, CLERK.h);
    want(403, "a clerk reads no city-wide breakdown");
    call(&S, &R, "GET", "/api/v1/stats/breakdown?from=2020-01-01&to=2026-01-01", NULL, DISP.h);
    want(400, "six years");
    assert_non_null(strstr(R.body, "\"to\""));
    call(&S, &R, "GET", "/api/v1/stats/breakdown?from=2026-02-01&to=2026-01-01", NULL, DISP.h);
    want(400, "backwards");
    call(&S, &R, "GET", "/api/v1/stats/breakdown?from=2026-02-30&to=2026-03-01", NULL, DISP.h);
    want(400, "no such day");
    assert_non_null(strstr(R.body, "\"from\""));
}

/* Every listable rate opened to its cases: for each unit with cases and
 * each rate, the numerator's and the denominator's cases number exactly the
 * counts GET /stats gives; a clerk opens only its own unit's; bad requests
 * are named. */
static void rates_open_to_their_cases(void **st) {
    (void)st;
    static const char *const figures[] = {"accept_rate", "feedback_rate", "resolve_rate", "ontime_resolve_rate",
                                          "solve_rate", "satisfaction_rate", "reopen_rate", "extension_rate",
                                          "return_rate"};
    call(&S, &R, "GET", "/api/v1/stats?from=2026-03-01&to=2026-04-01", NULL, DISP.h);
    want(200, "stats");
    json_t *stats = reply_json(&R), *u;
    size_t i;
    int units = 0, nonzero = 0;
    json_array_foreach(json_object_get(stats, "units"), i, u) {
        if (I_(u, "dispatched") < 5 || units == 4) continue;
        units++;
        const char *code = S_(json_object_get(u, "unit"), "code");
        for (size_t f = 0; f < sizeof figures / sizeof *figures; f++) {
            for (int part = 0; part < 2; part++) {
                char path[256];
                snprintf(path, sizeof path,
                         "/api/v1/stats/cases?unit=%s&from=2026-03-01&to=2026-04-01&figure=%s&part=%s&limit=1000",
                         code, figures[f], part ? "denominator" : "numerator");
                call(&S, &R, "GET", path, NULL, LEADER.h);
                if (R.status != 200) fail_msg("%s: %ld %s", path, R.status, R.body);
                json_t *v = reply_json(&R);
                json_int_t want_n = I_(u, S_(v, "counts"));
                if (I_(v, "count") != want_n)
                    fail_msg("%s %s %s: %lld cases, /stats says %s = %lld", code, figures[f], S_(v, "part"),
                             (long long)I_(v, "count"), S_(v, "counts"), (long long)want_n);
                json_t *c;
                size_t k;
                json_int_t sum = 0; /* each case as many times as it counts */
                json_array_foreach(json_object_get(v, "cases"), k, c) sum += I_(c, "counts_times");
                assert_int_equal(sum, want_n);
                nonzero += want_n > 0;
                json_decref(v);
            }
        }
    }
    assert_true(units > 0 && nonzero > 10);
    json_decref(stats);
    call(&S, &R, "GET", "/api/v1/stats/cases?unit=rsj&from=2026-03-01&to=2026-04-01&figure=resolve_rate&part=numerator",
         NULL, CLERK.h);
    want(403, "another unit's figure");
    call(&S, &R, "GET", "/api/v1/stats/cases?unit=cgj&from=2026-03-01&to=2026-04-01&figure=resolve_rate&part=numerator",
         NULL, CLERK.h);
    want(200, "its own");
    static const struct { const char *q, *field; } bad[] = {
        {"unit=cgj&from=2026-03-01&to=2026-04-01&figure=composite&part=numerator", "figure"},
        {"unit=cgj&from=2026-03-01&to=2026-04-01&figure=resolve_rate&part=top", "part"},
        {"unit=nope&from=2026-03-01&to=2026-04-01&figure=resolve_rate&part=numerator", "unit"},
        {"unit=cgj&from=2026-03-01&figure=resolve_rate&part=numerator", "to"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        expect_refused(&S, &R, "/api/v1/stats/cases?", bad[k].q, DISP.h, 400, bad[k].field);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ranked_within_kind),
        cmocka_unit_test(breakdown_adds_up),
        cmocka_unit_test(rates_open_to_their_cases),
    };
    return run_http_suite(tests, setup, teardown);
}
