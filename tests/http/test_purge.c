/* Retention (PIPL), on each driver: with the hotline's period set to 30 days,
 * `duban purge` run 60 days after a hotline case closed erases its
 * requester's name and phone, the description, the photo's bytes and the
 * notes typed on it (its hash chain still verifies), leaves a qr case of the
 * same days (five years) alone, and changes no figure: the units' stats, the
 * month's 通报 and the dashboard's breakdown read the same before and after.
 * A dry run writes nothing; a second purge finds nothing; both the period's
 * change and the purge are in the access log. */
#include "test.h"

#include "tests/cli/run_cli.h"
#include "tests/http/demo_suite.h"
#include "util/datetime.h"

static session OP, DISP, CLERK, AUDITOR;

static int setup(void **st) {
    (void)st;
    demo_server(&S, dbt, sizeof dbt, "purge", "20");
    demo_login(&S, &OP, "operator");
    demo_login(&S, &DISP, "dispatcher");
    demo_login(&S, &CLERK, "cgj.clerk");
    demo_login(&S, &AUDITOR, "auditor");
    return 0;
}

static void act(session *who, int64_t id, const char *action, const char *body) {
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/actions/%s", (long long)id, action);
    call(&S, &R, "POST", path, body, who->h);
    want(200, action);
}

/* A case filed by a citizen with a photo, carried to 销号. */
static int64_t closed_case(const char *channel, const char *title, const char *description) {
    char body[512];
    snprintf(body, sizeof body, "{\"channel\":\"%s\",\"class\":\"general\",\"title\":\"%s\","
             "\"description\":\"%s\",\"requester_name\":\"李四\",\"requester_phone\":\"13900001111\"}",
             channel, title, description);
    call(&S, &R, "POST", "/api/v1/cases", body, OP.h);
    want(201, "intake");
    json_t *v = J();
    int64_t id = I_(v, "id");
    json_decref(v);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld/attachments?name=photo.png", (long long)id);
    const char png[] = "\x89PNG\r\n\x1a\n-a-photo-of-the-stairs";
    const char *h[] = {OP.cookie, OP.csrf, "Content-Type: application/octet-stream", NULL};
    call_n(&S, &R, "POST", path, png, sizeof png - 1, h);
    want(201, "photo");
    act(&DISP, id, "dispatch", "{\"unit\":\"cgj\"}");
    act(&CLERK, id, "accept", NULL);
    act(&CLERK, id, "resolve", "{\"note\":\"已联系李四，更换灯泡\"}");
    act(&DISP, id, "visit", "{\"satisfaction\":\"satisfied\",\"solved\":true}");
    act(&DISP, id, "close", NULL);
    return id;
}

static json_t *get(const char *path, session *who) {
    call(&S, &R, "GET", path, NULL, who->h);
    want(200, path);
    return J();
}

/* A figure's answer without the moment it was read. */
static json_t *figure(const char *path) {
    json_t *v = get(path, &DISP);
    json_object_del(v, "at");
    return v;
}

/* The figures a county reads: they must not move. */
static char *figures(void) {
    char month[8], from[16], to[16], path[160];
    time_t now = time(NULL);
    int32_t day = dt_local_day(now, 8 * 3600);
    int y, m, d;
    dt_civil_from_days(day, &y, &m, &d);
    snprintf(month, sizeof month, "%04d-%02d", y, m);
    snprintf(from, sizeof from, "%04d-%02d-01", y, m);
    dt_format_date(day + 1, to);
    json_t *all = json_object();
    snprintf(path, sizeof path, "/api/v1/stats?from=%s&to=%s", from, to);
    json_object_set_new(all, "stats", figure(path));
    snprintf(path, sizeof path, "/api/v1/bulletin?month=%s", month);
    json_object_set_new(all, "bulletin", figure(path));
    snprintf(path, sizeof path, "/api/v1/stats/breakdown?from=%s&to=%s", from, to);
    json_object_set_new(all, "breakdown", figure(path));
    char *text = json_dumps(all, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(all);
    return text;
}

/* duban purge (or retention) run 60 days from now. */
static json_t *cli(const char *const *argv) {
    char later[32];
    dt_format_instant(time(NULL) + 60 * 86400, 8 * 3600, later);
    setenv("DUBAN_NOW", later, 1);
    cli_run *run = calloc(1, sizeof *run);
    run_cli(run, argv);
    unsetenv("DUBAN_NOW");
    if (run->status) fail_msg("%s: %s", argv[3], run->err);
    json_t *v = json_loads(run->out, 0, NULL);
    free(run);
    if (!v) fail_msg("%s: not JSON", argv[3]);
    return v;
}

static void erases_and_keeps_the_figures(void **st) {
    (void)st;
    int64_t hot = closed_case("hotline", "幸福小区3号楼楼道灯坏了", "我住在幸福小区3号楼2单元"),
            qr = closed_case("qr", "楼道灯坏了", "我住在幸福小区5号楼");
    /* the dispatcher looked the caller up by phone: the access log holds the number */
    call(&S, &R, "GET", "/api/v1/cases/similar?phone=13900001111", NULL, DISP.h);
    want(200, "phone lookup");
    char *before = figures();
    const char *period[] = {"duban", "--db", dbt, "retention", "set", "hotline", "30", NULL};
    json_decref(cli(period));
    /* a dry run: counts, writes nothing */
    unsigned char d0[32], d1[32];
    test_db_digest_except(dbt, "access_log,sessions", d0);
    const char *dry[] = {"duban", "--db", dbt, "purge", "--dry-run", NULL};
    json_t *v = cli(dry);
    json_int_t would = I_(v, "cases");
    assert_true(would >= 1);
    json_decref(v);
    test_db_digest_except(dbt, "access_log,sessions", d1);
    assert_memory_equal(d0, d1, 32);
    const char *purge[] = {"duban", "--db", dbt, "purge", NULL};
    v = cli(purge);
    assert_int_equal(I_(v, "cases"), would);
    assert_true(I_(v, "events") >= 1);
    assert_true(I_(v, "attachments") >= 1);
    json_decref(v);
    /* the hotline case: nothing of its requester left, anywhere in it */
    char path[96];
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)hot);
    v = get(path, &DISP);
    assert_true(json_is_null(json_object_get(v, "requester_name")));
    assert_true(json_is_null(json_object_get(v, "requester_phone")));
    assert_true(json_is_null(json_object_get(v, "description")));
    assert_true(json_is_string(json_object_get(v, "purged_at")));
    assert_null(strstr(R.body, "李四"));
    assert_null(strstr(R.body, "幸福小区"));
    assert_null(strstr(R.body, "1390000"));
    assert_str(S_(v, "status"), "closed");
    json_decref(v);
    snprintf(path, sizeof path, "/api/v1/cases/%lld/attachments", (long long)hot);
    v = get(path, &DISP);
    json_t *f = json_array_get(json_object_get(v, "attachments"), 0);
    assert_true(json_is_string(json_object_get(f, "erased_at")));
    snprintf(path, sizeof path, "%s", S_(f, "url"));
    json_decref(v);
    call(&S, &R, "GET", path, NULL, DISP.h);
    want(404, "an erased photo");
    assert_non_null(strstr(R.body, "erased"));
    /* not found by what it said any more */
    v = get("/api/v1/cases?text=%E5%B9%B8%E7%A6%8F%E5%B0%8F%E5%8C%BA3%E5%8F%B7%E6%A5%BC", &DISP); /* 幸福小区3号楼 */
    assert_int_equal(json_array_size(json_object_get(v, "cases")), 0);
    json_decref(v);
    /* the qr case of the same days: within its five years, untouched */
    snprintf(path, sizeof path, "/api/v1/cases/%lld", (long long)qr);
    v = get(path, &DISP);
    assert_true(json_is_null(json_object_get(v, "purged_at")));
    assert_non_null(S_(v, "requester_phone"));
    assert_non_null(strstr(R.body, "幸福小区5号楼"));
    json_decref(v);
    /* every chain holds; every figure as it was */
    v = get("/api/v1/audit", &AUDITOR);
    assert_true(json_is_true(json_object_get(v, "ok")));
    json_decref(v);
    char *after = figures();
    assert_string_equal(before, after);
    free(before);
    free(after);
    /* again: nothing left to do */
    v = cli(purge);
    assert_int_equal(I_(v, "cases"), 0);
    json_decref(v);
    /* both in the access log, by the command line */
    v = get("/api/v1/access-log?action=purge", &AUDITOR);
    assert_true(json_array_size(json_object_get(v, "entries")) >= 1);
    assert_str(S_(json_array_get(json_object_get(v, "entries"), 0), "actor"), "cli");
    json_decref(v);
    v = get("/api/v1/access-log?action=retention_changed", &AUDITOR);
    assert_non_null(strstr(S_(json_array_get(json_object_get(v, "entries"), 0), "detail"), "hotline=30"));
    json_decref(v);
}

/* The evaluation that made a 码上评 case, the lookups of the caller's
 * phone and the titles go with the rest: after a purge of every channel,
 * the whole database — every table and column — holds neither the phone,
 * the name, the address nor the comment; and every chain still verifies. */
static void leaves_nothing_anywhere(void **st) {
    (void)st;
    call(&S, &R, "POST", "/api/v1/service-points", "{\"name\":\"城管服务窗口\",\"unit\":\"cgj\"}", DISP.h);
    if (R.status != 201) { /* points are kept by an administrator */
        session admin;
        demo_login(&S, &admin, "admin");
        call(&S, &R, "POST", "/api/v1/service-points", "{\"name\":\"城管服务窗口\",\"unit\":\"cgj\"}", admin.h);
    }
    want(201, "point");
    json_t *v = J();
    char code[32];
    snprintf(code, sizeof code, "%s", S_(v, "code"));
    json_decref(v);
    const char *h[] = {"Content-Type: application/json", "Cookie: duban_dev=00000000000000000000000000000077", NULL};
    post_evaluation(&S, &R, code, "{\"level\":\"very_unsatisfied\",\"reasons\":[\"attitude\"],"
                    "\"comment\":\"窗口人员在幸福小区7号楼态度生硬\",\"phone\":\"13900002222\"}", h);
    want(201, "a 差评 with a comment and a phone");
    v = J();
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT id FROM cases WHERE case_no = '%s'", S_(json_object_get(v, "case"), "case_no"));
    json_decref(v);
    int64_t qr = test_db_int(dbt, sql);
    assert_true(qr > 0);
    act(&CLERK, qr, "accept", NULL);
    act(&CLERK, qr, "resolve", "{\"note\":\"已约谈窗口人员并整改\"}");
    act(&DISP, qr, "visit", "{\"satisfaction\":\"basic\",\"solved\":true}");
    act(&DISP, qr, "close", NULL);
    call(&S, &R, "GET", "/api/v1/cases/similar?phone=13900002222", NULL, DISP.h);
    want(200, "phone lookup");
    char where[160];
    assert_true(test_db_find(dbt, "13900002222", where, sizeof where)); /* the search sees it before */
    /* and a 好评, which makes no case: its address and device kept for the throttle */
    const char *h2[] = {"Content-Type: application/json", "Cookie: duban_dev=00000000000000000000000000000078", NULL};
    post_evaluation(&S, &R, code, "{\"level\":\"satisfied\"}", h2);
    want(201, "a 好评");
    assert_true(test_db_int(dbt, "SELECT count(*) FROM evaluations WHERE case_id IS NULL AND addr <> '-'") > 0);
    /* every channel's period at its least, then a purge 60 days on */
    const char *qr_period[] = {"duban", "--db", dbt, "retention", "set", "qr", "30", NULL};
    json_decref(cli(qr_period));
    const char *purge[] = {"duban", "--db", dbt, "purge", NULL};
    v = cli(purge);
    assert_true(I_(v, "cases") >= 2);
    json_decref(v);
    static const char *const gone[] = {"13900001111", "13900002222", "李四", "幸福小区", "窗口人员在", "更换灯泡"};
    for (size_t i = 0; i < sizeof gone / sizeof *gone; i++)
        if (test_db_find(dbt, gone[i], where, sizeof where)) fail_msg("'%s' is still in %s after the purge", gone[i], where);
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM evaluations WHERE case_id IS NULL AND addr <> '-'"), 0);
    /* the evaluation: no comment, address or device left (its level stays: a figure) */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM evaluations WHERE case_id = %lld AND comment IS NULL AND addr = '-'"
             " AND level = 5", (long long)qr);
    assert_int_equal(test_db_int(dbt, sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM evaluations WHERE case_id = %lld AND device = %s", (long long)qr,
             test_on_pg() ? "decode(repeat('00', 16), 'hex')" : "zeroblob(16)");
    assert_int_equal(test_db_int(dbt, sql), 1);
    v = get("/api/v1/audit", &AUDITOR);
    if (!json_is_true(json_object_get(v, "ok"))) fail_msg("audit after the purge: %s", R.body);
    json_decref(v);
}

static void refuses_bad_periods(void **st) {
    (void)st;
    cli_run *run = calloc(1, sizeof *run);
    const char *bad[][8] = {
        {"duban", "--db", dbt, "retention", "set", "hotline", "7", NULL},     /* under 30 days */
        {"duban", "--db", dbt, "retention", "set", "fax", "365", NULL},       /* no such channel */
        {"duban", "--db", dbt, "purge", "--before", "2999-01-01", NULL},      /* the future */
        {"duban", "--db", dbt, "purge", "--before", "yesterday", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        run_cli(run, bad[i]);
        if (run->status == 0) fail_msg("accepted: %s %s %s", bad[i][3], bad[i][4], bad[i][5]);
    }
    free(run);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(erases_and_keeps_the_figures),
        cmocka_unit_test(leaves_nothing_anywhere),
        cmocka_unit_test(refuses_bad_periods),
    };
    return run_http_suite(tests, setup, teardown);
}
