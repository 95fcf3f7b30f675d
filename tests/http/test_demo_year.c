/* The demo as a year of a county, through the API: 督办 notices raised at the
 * minute each level was reached (the sweep ran as the year went), 咨询
 * answered from the 知识库, petitions with the units their matters belong
 * to, projects and key tasks for the demo's own year and the seeds' figures
 * where the seeds give them, and units that differ as real units do (a
 * ranking that ranks something). On each driver. */
#include "test.h"

#include <math.h>

#include "tests/http/demo_suite.h"
#include "util/datetime.h"

static session DISP;

static int setup(void **st) {
    (void)st;
    demo_db_months(dbt, sizeof dbt, "year", "12", "300"); /* 2025-04-01 to 2026-03-31 */
    server_start(&S, dbt, NULL);
    demo_login(&S, &DISP, "dispatcher");
    return 0;
}

static int64_t instant(json_t *o, const char *key) {
    int64_t t = 0;
    if (dt_parse_instant(S_(o, key), 8 * 3600, &t, NULL)) fail_msg("%s: not a time", key);
    return t;
}

static json_t *get(const char *path) {
    call(&S, &R, "GET", path, NULL, DISP.h);
    want(200, path);
    return J();
}

/* Yellow at the deadline, red three days after it, blue in the day before
 * it, none before the case was received: each within the minute of a sweep
 * (March's cases, each case's notices), and on days all through the year. */
static void notices_carry_their_real_times(void **st) {
    (void)st;
    json_t *cases = list_cases(&DISP, "from=2026-03-01"), *c, *n;
    size_t i, j, levels[3] = {0}, days = 0;
    int32_t seen[40] = {0};
    char path[96];
    json_array_foreach(cases, i, c) {
        int64_t received = instant(c, "received_at");
        snprintf(path, sizeof path, "/api/v1/notices?case=%lld", (long long)I_(c, "id"));
        json_t *v = get(path);
        json_array_foreach(json_object_get(v, "notices"), j, n) {
            if (!strcmp(S_(n, "deadline"), "instruction")) continue;
            int64_t due = instant(n, "due"), at = instant(n, "raised_at");
            if (due % 60 == 59) due++; /* a day's deadline is shown as its last second */
            const char *level = S_(n, "level");
            int64_t late = at - due;
            if (at < received) fail_msg("%s: a notice raised before the case was received", S_(c, "case_no"));
            if (!strcmp(level, "yellow") && (late < 0 || late >= 60))
                fail_msg("%s: yellow raised %llds after its deadline", S_(c, "case_no"), (long long)late);
            if (!strcmp(level, "red") && (late < 3 * 86400 || late >= 3 * 86400 + 60))
                fail_msg("%s: red raised %llds after its deadline", S_(c, "case_no"), (long long)late);
            if (!strcmp(level, "blue") && (late >= 0 || late < -86400 - 60))
                fail_msg("%s: blue raised %llds from its deadline", S_(c, "case_no"), (long long)late);
            levels[!strcmp(level, "blue") ? 0 : !strcmp(level, "yellow") ? 1 : 2]++;
            int32_t day = dt_local_day(at, 8 * 3600) - dt_days_from_civil(2026, 3, 1);
            if (day >= 0 && day < 40 && !seen[day]++) days++;
        }
        json_decref(v);
    }
    for (int k = 0; k < 3; k++)
        if (levels[k] < 5) fail_msg("March's cases: %zu blue, %zu yellow, %zu red", levels[0], levels[1], levels[2]);
    if (days < 25) fail_msg("March's notices were raised on %zu days", days);
    json_decref(cases);
}

/* The centre answers 咨询 on the call from the 知识库: 直接答复率 is a real figure. */
static void consultations_are_answered(void **st) {
    (void)st;
    json_t *v = get("/api/v1/stats?from=2026-03-01&to=2026-04-01");
    json_t *c = json_object_get(v, "centre");
    double rate = json_number_value(json_object_get(c, "answer_rate"));
    if (!(rate > 0.1 && rate < 0.6)) fail_msg("直接答复率 %.3f", rate);
    json_decref(v);
    json_t *all = list_cases(&DISP, "appeal_type=consult&from=2026-03-01"), *k;
    size_t i, from_kb = 0;
    assert_true(json_array_size(all) > 20);
    json_array_foreach(all, i, k) from_kb += !json_is_object(json_object_get(k, "lead_unit"));
    assert_int_equal(from_kb, json_array_size(all)); /* answered, not dispatched */
    json_decref(all);
}

/* A petition goes to the unit its matter belongs to. */
static void petitions_go_to_their_units(void **st) {
    (void)st;
    json_t *all = list_cases(&DISP, "channel=petition"), *k;
    size_t i, n = 0, xfj = 0;
    char seen[64][32];
    size_t units = 0;
    json_array_foreach(all, i, k) {
        json_t *lead = json_object_get(k, "lead_unit");
        if (!json_is_object(lead)) continue;
        const char *code = S_(lead, "code");
        n++;
        xfj += !strcmp(code, "xfj");
        size_t j = 0;
        while (j < units && strcmp(seen[j], code)) j++;
        if (j == units && units < 64) snprintf(seen[units++], sizeof seen[0], "%s", code);
    }
    assert_true(n > 50);
    if (xfj * 20 > n) fail_msg("%zu of %zu petitions led by 市信访局", xfj, n);
    assert_true(units >= 10);
    json_decref(all);
}

static double total_of(json_t *v) {
    json_t *p;
    size_t i;
    double sum = 0;
    json_array_foreach(json_object_get(v, "projects"), i, p) sum += json_number_value(json_object_get(p, "total"));
    return sum;
}

static json_t *project_named(json_t *v, const char *name) {
    json_t *p;
    size_t i;
    json_array_foreach(json_object_get(v, "projects"), i, p) if (!strcmp(S_(p, "name"), name)) return p;
    return NULL;
}

/* 重点项目 for the demo's own years and the seeds' (with the seeds' figures);
 * the ten key tasks of the year, counted by 综合考评. */
static void projects_and_tasks_of_the_year(void **st) {
    (void)st;
    json_t *v = get("/api/v1/projects?year=2026");
    assert_true(json_array_size(json_object_get(v, "projects")) >= 20);
    json_t *big = project_named(v, "孟州市绿色皮革高端制造综合产业园项目");
    assert_non_null(big);
    assert_true(fabs(json_number_value(json_object_get(big, "total")) - 1000000) < 0.5); /* 100亿元 (004) */
    json_decref(v);
    v = get("/api/v1/projects?year=2023");
    static const struct { const char *name; double wan; } stated[] = {
        {"孟州市氢燃料电堆核心零部件产业园项目", 500000}, {"河南皓泽电子股份有限公司皓泽电子信息产业园项目", 500000},
        {"河南飞孟金刚石股份有限公司工业级超硬材料研发生产基地项目", 200000}, {"孟州市金玉米科技产业园项目", 152000},
        {"杭州麦克斯公司年产20万吨高品质功能性淀粉糖项目", 106000}};
    for (size_t i = 0; i < sizeof stated / sizeof *stated; i++) {
        json_t *p = project_named(v, stated[i].name);
        if (!p) fail_msg("2023 has no %s", stated[i].name);
        assert_true(fabs(json_number_value(json_object_get(p, "total")) - stated[i].wan) < 0.5);
    }
    json_decref(v);
    v = get("/api/v1/projects?year=2024"); /* 001: 43 projects, 345亿元 */
    assert_int_equal(json_array_size(json_object_get(v, "projects")), 43);
    assert_true(fabs(total_of(v) - 3450000) < 0.5);
    json_decref(v);
    v = get("/api/v1/indicators?year=2024");
    assert_null(strstr(R.body, "2024年政府工作报告")); /* 001 is a newspaper's review */
    assert_non_null(strstr(R.body, "2024年年终综述"));
    json_decref(v);
    /* the ten key works, each a task of the year, and 综合考评 counts them */
    v = get("/api/v1/tasks");
    assert_non_null(strstr(R.body, "三个一批项目建设"));
    assert_non_null(strstr(R.body, "安全稳定"));
    json_decref(v);
    v = get("/api/v1/bulletin?month=2026-03");
    json_t *g, *u;
    size_t i, j, with_tasks = 0;
    json_array_foreach(json_object_get(v, "groups"), i, g) json_array_foreach(json_object_get(g, "units"), j, u) {
        json_t *parts = json_object_get(json_object_get(u, "appraisal"), "parts"), *t;
        size_t k;
        json_array_foreach(parts, k, t) with_tasks += !strcmp(S_(t, "key"), "tasks") && json_number_value(json_object_get(t, "den")) > 0;
    }
    if (with_tasks < 5) fail_msg("%zu units have key tasks due in March", with_tasks);
    json_decref(v);
}

/* The 通报's ranking ranks something: composites spread, the slow unit
 * late, the one that sends back the most at the top of 退单率. */
static void units_differ(void **st) {
    (void)st;
    json_t *v = get("/api/v1/bulletin?month=2026-02"), *g, *u;
    size_t i, j;
    json_array_foreach(json_object_get(v, "groups"), i, g) {
        if (strcmp(S_(g, "kind"), "dept")) continue;
        double lo = 2, hi = -1, ontime_sum = 0, zjj_ontime = -1, top_return = -1;
        const char *top = "";
        int ranked = 0;
        json_array_foreach(json_object_get(g, "units"), j, u) {
            if (!json_is_integer(json_object_get(u, "rank"))) continue;
            double c = json_number_value(json_object_get(u, "composite"));
            double ot = json_number_value(json_object_get(u, "ontime_resolve_rate"));
            double rr = json_number_value(json_object_get(u, "return_rate"));
            lo = c < lo ? c : lo, hi = c > hi ? c : hi;
            ontime_sum += ot, ranked++;
            if (!strcmp(S_(json_object_get(u, "unit"), "code"), "zjj")) zjj_ontime = ot;
            if (rr > top_return) top_return = rr, top = S_(json_object_get(u, "unit"), "code");
        }
        assert_true(ranked >= 8);
        if (hi - lo < 0.15) fail_msg("composites span %.3f-%.3f", lo, hi);
        if (!(zjj_ontime >= 0 && zjj_ontime < ontime_sum / ranked - 0.1))
            fail_msg("住建局 on time %.3f, the group's mean %.3f", zjj_ontime, ontime_sum / ranked);
        assert_string_equal(top, "sthj");
    }
    json_decref(v);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(notices_carry_their_real_times),
        cmocka_unit_test(consultations_are_answered),
        cmocka_unit_test(petitions_go_to_their_units),
        cmocka_unit_test(projects_and_tasks_of_the_year),
        cmocka_unit_test(units_differ),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
