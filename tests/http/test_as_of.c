/* Figures as of a moment through the API, on each driver (docs/rules.md): the
 * figures, the drill-down lists, the 通报 and 码上评 of March taken as of a
 * moment T; then later work of every kind — actions on cases (签收, 反馈,
 * 办结, 延期, 改派, 退单, 回访, 重办, 申诉复核), a 差评's 申诉复核 upheld,
 * the settings and the 考核 scheme changed, a calendar imported — and every
 * one of them as of T is the same, byte for byte. */
#include "test.h"

#include "tests/http/demo_suite.h"

static session DISP, CLERK, ADMIN;
#define PERIOD "from=2026-03-01&to=2026-04-01"
#define T "2026-03-20T12:00:00%2B08:00"

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "asof", "200");
    demo_login(&S, &DISP, "dispatcher");
    demo_login(&S, &CLERK, "cgj.clerk");
    demo_login(&S, &ADMIN, "admin");
    return 0;
}

/* Every answer taken as of T, in order. */
typedef struct answers {
    char *body[400];
    char path[400][256];
    int n;
} answers;

static void take(answers *a, const char *path) {
    if (a->n >= 400) fail_msg("too many answers");
    call(&S, &R, "GET", path, NULL, DISP.h);
    if (R.status != 200) fail_msg("%s: %ld %s", path, R.status, R.body);
    snprintf(a->path[a->n], sizeof a->path[a->n], "%s", path);
    if (!strstr(path, "/stats/cases")) {
        a->body[a->n++] = strdup(R.body);
        return;
    }
    /* a drill-down list: which cases, as of T (each is shown as it is now) */
    json_t *v = reply_json(&R), *c;
    size_t i, len = 0;
    char *ids = malloc(16 * json_array_size(json_object_get(v, "cases")) + 64);
    len += (size_t)sprintf(ids, "count=%lld:", (long long)I_(v, "count"));
    json_array_foreach(json_object_get(v, "cases"), i, c) len += (size_t)sprintf(ids + len, " %lld", (long long)I_(c, "id"));
    json_decref(v);
    a->body[a->n++] = ids;
}

static void take_all(answers *a) {
    static const char *const figures[] = {"accept_rate", "feedback_rate", "resolve_rate", "ontime_resolve_rate",
                                          "solve_rate", "satisfaction_rate", "reopen_rate", "extension_rate",
                                          "return_rate"};
    a->n = 0;
    take(a, "/api/v1/stats?" PERIOD "&at=" T);
    json_t *v = reply_json(&R), *u;
    take(a, "/api/v1/bulletin?month=2026-03&at=" T);
    take(a, "/api/v1/evaluations/stats?" PERIOD "&at=" T);
    /* March's 通报 made now: as of its cut-off, the end of the 3rd working
     * day after it (April 1-3; 清明 follows) — the same as one made then */
    take(a, "/api/v1/bulletin?month=2026-03");
    json_t *cut = reply_json(&R);
    assert_str(S_(cut, "at"), "2026-04-04T00:00:00+08:00");
    json_decref(cut);
    take(a, "/api/v1/bulletin?month=2026-03&at=2026-04-04T00:00:00%2B08:00");
    assert_str(a->body[a->n - 1], a->body[a->n - 2]);
    /* the indicators as reported by T: February's, reported in March */
    take(a, "/api/v1/indicators?year=2026&at=" T);
    assert_non_null(strstr(a->body[a->n - 1], "\"period\":\"2026-02\""));
    assert_null(strstr(a->body[a->n - 1], "\"period\":\"2026-03\""));
    size_t i;
    int units = 0;
    json_array_foreach(json_object_get(v, "units"), i, u) {
        if (I_(u, "dispatched") < 3 || units++ == 6) continue;
        for (size_t f = 0; f < sizeof figures / sizeof *figures; f++)
            for (int part = 0; part < 2; part++) {
                char path[256];
                snprintf(path, sizeof path, "/api/v1/stats/cases?unit=%s&" PERIOD "&at=%s&figure=%s&part=%s&limit=1000",
                         S_(json_object_get(u, "unit"), "code"), T, figures[f], part ? "denominator" : "numerator");
                take(a, path);
            }
    }
    json_decref(v);
}

static int act(json_int_t id, const char *action, const char *body, const session *who) {
    char path[128];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/%s", (long long)id, action);
    call(&S, &R, "POST", path, body, who->h);
    return (int)R.status;
}

/* Later work of every kind on the cases of each status. */
static int later_work(void) {
    int done = 0;
    static const char *const statuses[] = {"dispatched", "accepted", "resolved", "visited"};
    for (size_t k = 0; k < sizeof statuses / sizeof *statuses; k++) {
        char q[96];
        /* cases a unit leads (not the 咨询 the centre answered itself) */
        snprintf(q, sizeof q, "status=%s&received_to=2026-03-21", statuses[k]);
        json_t *cases = list_cases(&DISP, q), *c;
        size_t j, i = 0;
        json_array_foreach(cases, j, c) {
            if (!json_is_object(json_object_get(c, "lead_unit"))) continue;
            if (i >= 12) break;
            i++;
            json_int_t id = I_(c, "id");
            int n = (int)i % 4, ok = 0;
            switch (k) {
            case 0: /* dispatched: signed for, returned, or moved */
                if (n == 0) ok = act(id, "accept", "{}", &DISP);
                else if (n == 1) ok = act(id, "return", "{\"note\":\"不属于本单位职责范围\"}", &DISP);
                else ok = act(id, "reassign", "{\"unit\":\"zjj\",\"note\":\"职责调整\"}", &DISP);
                break;
            case 1: /* accepted: fed back, resolved, extended, moved */
                if (n == 0) ok = act(id, "feedback", "{\"note\":\"已联系群众\"}", &DISP);
                else if (n == 1) ok = act(id, "resolve", "{\"note\":\"已处理完毕并回复群众\"}", &DISP);
                else if (n == 2) {
                    act(id, "request_extension", "{\"note\":\"需要协调\",\"until\":\"2027-01-20\"}", &DISP);
                    ok = act(id, "approve_extension", "{}", &DISP);
                } else ok = act(id, "reassign", "{\"unit\":\"rsj\",\"note\":\"职责调整\"}", &DISP);
                break;
            case 2: /* resolved: visited, unsatisfied, contested and upheld */
                ok = act(id, "visit", "{\"satisfaction\":\"unsatisfied\",\"solved\":false}", &DISP);
                if (n == 0) {
                    act(id, "request_review", "{\"note\":\"诉求人对政策不满\"}", &DISP);
                    ok = act(id, "uphold_review", "{\"note\":\"经核实属实\"}", &DISP);
                }
                break;
            default: /* visited: sent back */
                ok = act(id, "reopen", "{\"note\":\"群众反映问题仍未解决\"}", &DISP);
            }
            done += ok == 200;
        }
        json_decref(cases);
    }
    /* a 差评 of March contested and upheld */
    call(&S, &R, "GET", "/api/v1/evaluations?bad=true&" PERIOD "&limit=5", NULL, DISP.h);
    json_t *v = reply_json(&R), *ev;
    size_t i;
    json_array_foreach(json_object_get(v, "evaluations"), i, ev) {
        char path[128];
        if (i >= 2 || !json_is_null(json_object_get(ev, "review"))) continue;
        snprintf(path, sizeof path, "/api/v1/evaluations/%lld/review", (long long)I_(ev, "id"));
        call(&S, &R, "POST", path, "{\"reason\":\"评价人当日未办件\"}", DISP.h);
        snprintf(path, sizeof path, "/api/v1/evaluations/%lld/decision", (long long)I_(ev, "id"));
        call(&S, &R, "POST", path, "{\"decision\":\"upheld\",\"note\":\"核实属实\"}", DISP.h);
        done += R.status == 200;
    }
    json_decref(v);
    /* progress and indicator values: a project of the year with March's
     * progress, February's GDP growth corrected, March's reported */
    call(&S, &R, "POST", "/api/v1/projects",
         "{\"name\":\"城区智慧停车项目\",\"category\":\"基础设施\",\"level\":\"市重点\",\"unit\":\"cgj\","
         "\"total\":12000,\"year_plan\":4800,\"year\":\"2026\"}", DISP.h);
    want(201, "a project");
    json_t *p = J();
    char path[96];
    snprintf(path, sizeof path, "/api/v1/projects/%lld/progress", (long long)I_(p, "id"));
    json_decref(p);
    call(&S, &R, "PUT", path, "{\"month\":\"2026-03\",\"completed\":900}", DISP.h);
    want(200, "progress");
    call(&S, &R, "PUT", "/api/v1/indicators/gdp/values", "{\"kind\":\"actual\",\"period\":\"2026-02\",\"value\":3.1}",
         DISP.h);
    want(200, "a correction");
    call(&S, &R, "PUT", "/api/v1/indicators/gdp/values", "{\"kind\":\"actual\",\"period\":\"2026-03\",\"value\":5.2}",
         DISP.h);
    want(200, "a value");
    /* the settings, the scheme, the calendar */
    put_config(&ADMIN, "rank_min_dispatched", "2");
    put_config(&ADMIN, "appraisal_weights", "20/20/20/20/20");
    put_config(&ADMIN, "report_cutoff_days", "10"); /* from now on: not March's */
    call(&S, &R, "PUT", "/api/v1/schemes/2026", "{\"preset\":\"lianyungang\"}", ADMIN.h);
    want(200, "a scheme");
    call(&S, &R, "POST", "/api/v1/calendar",
         "{\"year\":2031,\"days\":[{\"name\":\"元旦\",\"date\":\"2031-01-01\",\"isOffDay\":true}]}", ADMIN.h);
    want(200, "a calendar");
    return done;
}

static void figures_as_of_a_moment_stay(void **st) {
    (void)st;
    static answers before, after;
    take_all(&before);
    assert_true(before.n > 40);
    int done = later_work();
    if (done < 20) fail_msg("only %d later actions taken", done);
    take_all(&after);
    assert_int_equal(after.n, before.n);
    for (int i = 0; i < before.n; i++) {
        if (strcmp(before.path[i], after.path[i])) fail_msg("asked %s, then %s", before.path[i], after.path[i]);
        if (strcmp(before.body[i], after.body[i])) {
            size_t k = 0;
            while (before.body[i][k] && before.body[i][k] == after.body[i][k]) k++;
            fail_msg("%s changed after the moment, at byte %zu: ...%.80s... then ...%.80s...", before.path[i], k,
                     before.body[i] + (k > 40 ? k - 40 : 0), after.body[i] + (k > 40 ? k - 40 : 0));
        }
        free(before.body[i]);
        free(after.body[i]);
    }
    /* and now they are not: the later work counts as of now */
    call(&S, &R, "GET", "/api/v1/stats?from=2026-01-01&to=2030-01-01", NULL, DISP.h);
    want(200, "now");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(figures_as_of_a_moment_stay),
    };
    return run_http_suite(tests, setup, teardown);
}
