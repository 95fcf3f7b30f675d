/* End-to-end tests of the `duban` binary: a full case lifecycle, every kind
 * of bad input (exit status, one-line message, database unchanged), calendar
 * import, policy edits, tamper detection and the deterministic demo. */
#include "test.h"

#include <jansson.h>
#include <stdarg.h>

#include "tests/cli/run_cli.h"
#include "tests/test_db.h"

static char dbt[256], dbt2[256], tmpfile_[64];
static cli_run R;

static int setup(void **st) {
    (void)st;
    test_db_new(dbt, sizeof dbt, "cli");
    test_db_new(dbt2, sizeof dbt2, "cli2");
    snprintf(tmpfile_, sizeof tmpfile_, "/tmp/duban-cli-%d.json", (int)getpid());
    setenv("DUBAN_NOW", "2026-03-02T09:00:00+08:00", 1);
    return 0;
}

static int teardown(void **st) {
    (void)st;
    test_db_remove(dbt);
    test_db_remove(dbt2);
    unlink(tmpfile_);
    return 0;
}

/* duban --db DB args... ; returns the exit status. */
#define DUBAN(...) duban_v(dbt, (const char *[]){__VA_ARGS__, NULL})
static int duban_v(const char *path, const char **args) {
    const char *argv[64] = {"duban", "--db", path, "--actor", "tester"};
    int n = 5;
    for (int i = 0; args[i]; i++) argv[n++] = args[i];
    argv[n] = NULL;
    run_cli(&R, argv);
    return R.status;
}

static json_t *out_json(void) {
    json_error_t je;
    json_t *v = json_loads(R.out, JSON_DECODE_ANY, &je);
    if (!v) fail_msg("stdout is not JSON (%s): %.300s", je.text, R.out);
    return v;
}

static const char *str_at(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : "(null)";
}

#define OK(...)                                                                    \
    do {                                                                           \
        if (DUBAN(__VA_ARGS__) != 0) fail_msg("exit %d: %s", R.status, R.err);     \
    } while (0)

static void base(void) {
    OK("init");
    OK("unit", "add", "cgj", "市城市管理局");
    OK("unit", "add", "hyj", "河阳街道", "--kind", "township");
    OK("category", "add", "cj.light", "路灯照明", "--unit", "cgj");
    OK("case", "create", "--channel", "hotline", "--class", "general", "--title",
       "韩愈大街路灯不亮", "--at", "2026-03-02T09:30", "--category", "cj.light",
       "--requester-name", "张三丰", "--requester-phone", "13812341234", "--township", "hyj");
}

/* 应结案 and its traps through `duban stats` (docs/rules.md): a unit that
 * signs for everything on time and finishes nothing ranks below one that
 * finishes everything with one unsatisfied visit; an extension asked for
 * after its deadline leaves the case late; a deadline missed stays with the
 * unit that missed it after 改派; feedback due after the month is not in it;
 * what is left open is due again the next month (积案). */
static json_t *unit_row(json_t *stats, const char *code) {
    json_t *u;
    size_t i;
    json_array_foreach(json_object_get(stats, "units"), i, u)
        if (!strcmp(str_at(json_object_get(u, "unit"), "code"), code)) return u;
    fail_msg("no row for %s", code);
    return NULL;
}

#define N_(o, k) json_integer_value(json_object_get((o), (k)))

static void due_and_its_traps(void **st) {
    (void)st;
    setenv("DUBAN_NOW", "2026-03-02T08:00:00+08:00", 1); /* set before the cases it ranks */
    base(); /* case 1, received for cgj's category, not dispatched */
    OK("unit", "add", "zjj", "市住房和城乡建设局");
    OK("config", "set", "rank_min_dispatched", "5");
    setenv("DUBAN_NOW", "2026-05-10T00:00:00+08:00", 1);
    char id[8], at[32];
    for (int i = 2; i <= 15; i++) {
        snprintf(at, sizeof at, "2026-03-%02dT09:00", i == 13 ? 30 : 2);
        OK("case", "create", "--channel", "hotline", "--class", "general", "--title", "小区路灯不亮需要维修",
           "--at", at, "--requester-name", "李四", "--requester-phone", "13812341234");
        snprintf(id, sizeof id, "%d", i);
        const char *unit = (i <= 6 || i == 13 || i == 15) ? "cgj" : "zjj";
        snprintf(at, sizeof at, "2026-03-%02dT10:00", i == 13 ? 30 : 2);
        OK("case", "act", id, "dispatch", "--unit", unit, "--at", at);
        if (i == 15) continue; /* cgj neither signs for it nor finishes it */
        snprintf(at, sizeof at, "2026-03-%02dT11:00", i == 13 ? 30 : 2);
        OK("case", "act", id, "accept", "--at", at);
        if (unit[0] == 'c') continue; /* cgj: signed for on time, nothing more */
        if (i == 14) { /* asked for an extension two days after its deadline (3/9) */
            OK("case", "act", id, "request_extension", "--note", "需要协调", "--until", "2026-03-20", "--at",
               "2026-03-11T09:00");
            OK("case", "act", id, "approve_extension", "--at", "2026-03-11T10:00");
            OK("case", "act", id, "resolve", "--note", "已修复并回复群众", "--at", "2026-03-15T10:00");
            continue;
        }
        OK("case", "act", id, "resolve", "--note", "已修复并回复群众", "--at", "2026-03-05T10:00");
        OK("case", "act", id, "visit", "--satisfaction", i == 12 ? "unsatisfied" : "satisfied", "--solved",
           i == 12 ? "no" : "yes", "--at", "2026-03-06T10:00");
    }
    /* 改派 of case 15 after cgj missed its deadlines, with a new day for zjj */
    OK("case", "act", "15", "reassign", "--unit", "zjj", "--until", "2026-03-25", "--note", "职责属住建局", "--at",
       "2026-03-12T10:00");
    OK("case", "act", "15", "accept", "--at", "2026-03-12T11:00");
    OK("case", "act", "15", "resolve", "--note", "已修复并回复群众", "--at", "2026-03-20T10:00");
    OK("stats", "--from", "2026-03-01", "--to", "2026-04-01", "--at", "2026-04-06T00:00");
    json_t *v = out_json(), *c = unit_row(v, "cgj"), *z = unit_row(v, "zjj");
    assert_int_equal(N_(z, "rank"), 1); /* finishes, one unsatisfied visit */
    assert_int_equal(N_(c, "rank"), 2); /* signs for everything, finishes nothing */
    assert_int_equal(N_(c, "due"), 6);  /* cases 2-6 and 15; not 13, due in April */
    assert_int_equal(N_(c, "resolved"), 0);
    assert_int_equal(N_(c, "overdue"), 6);
    assert_int_equal(N_(c, "dispatched"), 6); /* 15 moved away by 改派 is not its volume */
    assert_int_equal(N_(c, "accept_due"), 7); /* 2-6, 13 signed for; 15 missed */
    assert_int_equal(N_(c, "accepted_on_time"), 6);
    assert_int_equal(N_(c, "feedback_expected"), 6); /* 13's feedback is due on April 2: not March's */
    assert_int_equal(N_(z, "due"), 8); /* 7-12, 14 (late), 15 (its new day) */
    assert_int_equal(N_(z, "resolved_on_time"), 7);
    assert_int_equal(N_(z, "late_requests"), 1);
    assert_int_equal(N_(z, "extended"), 0);
    assert_int_equal(N_(z, "visited"), 6);
    assert_int_equal(N_(z, "satisfied"), 5);
    assert_true(json_real_value(json_object_get(c, "composite")) < json_real_value(json_object_get(z, "composite")));
    json_t *terms = json_object_get(json_object_get(c, "score"), "terms");
    assert_true(json_real_value(json_object_get(json_array_get(terms, 1), "points")) == 0.0); /* completion scored */
    json_decref(v);
    /* April as of May: what cgj left open is due again (积案), and 13 with it */
    OK("stats", "--from", "2026-04-01", "--to", "2026-05-01", "--at", "2026-05-08T00:00");
    v = out_json();
    c = unit_row(v, "cgj");
    assert_int_equal(N_(c, "due"), 6);     /* 2-6 carried, 13 due in April */
    assert_int_equal(N_(c, "carried"), 5);
    assert_int_equal(N_(c, "dispatched"), 0);
    json_decref(v);
    /* the same March as of before the 改派: case 15 was cgj's, still open, already late */
    OK("stats", "--from", "2026-03-01", "--to", "2026-04-01", "--at", "2026-03-11T00:00");
    v = out_json();
    c = unit_row(v, "cgj");
    assert_int_equal(N_(c, "dispatched"), 6); /* 2-6 and 15, not yet moved; 13 not yet dispatched */
    assert_int_equal(N_(c, "due"), 6);
    json_decref(v);
    /* March's 通报 made in May is the one of its cut-off, the end of the 3rd
     * working day after it (清明 follows): a late 办结 on April 8 is not in it */
    OK("case", "act", "2", "resolve", "--note", "已修复并回复群众", "--at", "2026-04-08T10:00");
    OK("report", "--month", "2026-03", "--format", "json");
    v = out_json();
    assert_str(str_at(v, "at"), "2026-04-04T00:00:00+08:00");
    char *made_now = json_dumps(v, JSON_SORT_KEYS);
    json_decref(v);
    OK("report", "--month", "2026-03", "--format", "json", "--at", "2026-04-04T00:00");
    v = out_json();
    char *at_cutoff = json_dumps(v, JSON_SORT_KEYS);
    json_decref(v);
    assert_string_equal(made_now, at_cutoff);
    free(made_now);
    free(at_cutoff);
    /* the 考核 scheme from the command line, as of its moment */
    OK("scheme", "set", "2026", "jinhua");
    OK("scheme", "show");
    v = out_json();
    assert_str(str_at(json_object_get(v, "in_force"), "name"), "jinhua");
    assert_int_equal(json_array_size(json_object_get(v, "set")), 1);
    json_decref(v);
    OK("stats", "--from", "2026-03-01", "--to", "2026-04-01", "--at", "2026-04-06T00:00");
    v = out_json();
    assert_str(str_at(json_object_get(v, "scheme"), "name"), "default"); /* set after that moment */
    json_decref(v);
    setenv("DUBAN_NOW", "2026-03-02T09:00:00+08:00", 1);
}

static void full_lifecycle(void **st) {
    (void)st;
    base();
    json_t *c = out_json();
    assert_str(str_at(c, "case_no"), "MZ20260302-0001");
    assert_str(str_at(c, "status"), "received");
    assert_str(str_at(c, "requester_name"), "张**");
    assert_str(str_at(c, "requester_phone"), "138****1234");
    assert_str(str_at(c, "received_at"), "2026-03-02T09:30:00+08:00");
    assert_str(str_at(c, "dispatch_due"), "2026-03-02T23:59:59+08:00");
    assert_null(strstr(R.out, "13812341234"));
    json_decref(c);
    OK("case", "act", "1", "dispatch", "--unit", "cgj", "--assist", "hyj", "--at",
       "2026-03-02T10:00");
    c = out_json();
    assert_str(str_at(json_object_get(c, "lead_unit"), "code"), "cgj");
    assert_str(str_at(json_array_get(json_object_get(c, "assist_units"), 0), "name"), "河阳街道");
    assert_str(str_at(c, "feedback_due"), "2026-03-05T23:59:59+08:00");
    assert_str(str_at(c, "resolve_due"), "2026-03-09T23:59:59+08:00");
    json_decref(c);
    OK("case", "act", "1", "accept", "--at", "2026-03-02T11:00");
    OK("case", "act", "1", "feedback", "--note", "已到现场核实", "--at", "2026-03-03T10:00");
    OK("case", "act", "1", "request_extension", "--note", "需更换线路", "--until", "2026-03-13",
       "--at", "2026-03-05T10:00");
    c = out_json();
    assert_str(str_at(c, "resolve_due"), "2026-03-09T23:59:59+08:00");
    assert_str(str_at(json_object_get(c, "pending"), "until"), "2026-03-13");
    json_decref(c);
    OK("case", "act", "1", "approve_extension", "--at", "2026-03-05T11:00");
    c = out_json();
    assert_str(str_at(c, "resolve_due"), "2026-03-13T23:59:59+08:00");
    assert_int_equal(json_integer_value(json_object_get(c, "extension_count")), 1);
    json_decref(c);
    OK("case", "act", "1", "resolve", "--note", "已更换线路，路灯恢复", "--at", "2026-03-12T16:00");
    OK("case", "act", "1", "visit", "--satisfaction", "unsatisfied", "--solved", "no", "--at",
       "2026-03-13T10:00");
    OK("case", "act", "1", "reopen", "--note", "群众反映仍有一盏不亮", "--at", "2026-03-13T11:00");
    c = out_json();
    assert_int_equal(json_integer_value(json_object_get(c, "reopen_count")), 1);
    assert_str(str_at(c, "resolve_due"), "2026-03-20T23:59:59+08:00");
    assert_true(json_is_null(json_object_get(c, "satisfaction")));
    json_decref(c);
    OK("case", "act", "1", "resolve", "--note", "全部路灯修复", "--at", "2026-03-16T16:00");
    OK("case", "act", "1", "visit", "--satisfaction", "satisfied", "--solved", "yes", "--at",
       "2026-03-17T10:00");
    OK("case", "act", "1", "close", "--at", "2026-03-17T11:00");
    c = out_json();
    assert_str(str_at(c, "status"), "closed");
    assert_str(str_at(c, "closed_at"), "2026-03-17T11:00:00+08:00");
    json_decref(c);
    OK("case", "show", "1");
    c = out_json();
    json_t *events = json_object_get(c, "events");
    assert_int_equal(json_array_size(events), 12);
    assert_str(str_at(json_array_get(events, 0), "action"), "create");
    assert_str(str_at(json_array_get(events, 11), "action"), "close");
    assert_str(str_at(json_array_get(events, 11), "prev_hash"),
               str_at(json_array_get(events, 10), "hash"));
    json_decref(c);
    OK("audit", "verify");
    c = out_json();
    assert_true(json_is_true(json_object_get(c, "ok")));
    assert_int_equal(json_integer_value(json_object_get(c, "events")), 12);
    json_decref(c);
    OK("stats", "--from", "2026-03-01", "--to", "2026-04-01", "--at", "2026-03-31");
    c = out_json();
    json_t *u = json_array_get(json_object_get(c, "units"), 0);
    assert_str(str_at(json_object_get(u, "unit"), "code"), "cgj");
    assert_int_equal(json_integer_value(json_object_get(u, "dispatched")), 1);
    assert_int_equal(json_integer_value(json_object_get(u, "reopened")), 1);
    assert_true(json_real_value(json_object_get(u, "satisfaction_rate")) == 1.0);
    /* resolved 3/16, within the deadline the reopen set (3/21) */
    assert_true(json_real_value(json_object_get(u, "ontime_resolve_rate")) == 1.0);
    /* two results given in March, the first sent back: 重办率 1/2 */
    assert_int_equal(json_integer_value(json_object_get(u, "ever_resolved")), 2);
    assert_true(json_real_value(json_object_get(u, "reopen_rate")) == 0.5);
    json_decref(c);
    /* the same figures before the extension was approved: nothing resolved yet */
    OK("stats", "--from", "2026-03-01", "--to", "2026-04-01", "--at", "2026-03-05T10:30");
    c = out_json();
    u = json_array_get(json_object_get(c, "units"), 0);
    assert_int_equal(json_integer_value(json_object_get(u, "resolved")), 0);
    assert_true(json_is_null(json_object_get(u, "satisfaction_rate")));
    json_decref(c);
}

/* 回访 联系不上 through the CLI: attempts on three different days, then the
 * dispatcher's close; the case is closed unvisited, the unit's stats count it
 * as unreachable and keep it out of 满意率 and 解决率 (no visit). */
static void unreachable_then_closed(void **st) {
    (void)st;
    base();
    OK("case", "act", "1", "dispatch", "--unit", "cgj", "--at", "2026-03-02T10:00");
    OK("case", "act", "1", "accept", "--at", "2026-03-02T11:00");
    OK("case", "act", "1", "resolve", "--note", "已更换灯泡，路灯恢复", "--at", "2026-03-03T16:00");
    OK("case", "act", "1", "unreachable", "--at", "2026-03-04T10:00");
    OK("case", "act", "1", "unreachable", "--at", "2026-03-04T15:00"); /* the same day */
    OK("case", "act", "1", "unreachable", "--at", "2026-03-05T10:00");
    assert_int_equal(DUBAN("case", "act", "1", "close_unreachable", "--at", "2026-03-05T11:00"), 4);
    assert_non_null(strstr(R.err, "3 are needed"));
    OK("case", "act", "1", "unreachable", "--at", "2026-03-06T10:00");
    OK("case", "act", "1", "close_unreachable", "--at", "2026-03-06T11:00");
    json_t *c = out_json();
    assert_str(str_at(c, "status"), "closed");
    assert_true(json_is_true(json_object_get(c, "closed_unreachable")));
    assert_int_equal(json_integer_value(json_object_get(c, "unreachable_days")), 3);
    assert_true(json_is_null(json_object_get(c, "satisfaction")));
    json_decref(c);
    OK("stats", "--from", "2026-03-01", "--to", "2026-04-01", "--at", "2026-03-31");
    c = out_json();
    json_t *u = json_array_get(json_object_get(c, "units"), 0);
    assert_int_equal(json_integer_value(json_object_get(u, "unreachable")), 1);
    assert_int_equal(json_integer_value(json_object_get(u, "visited")), 0);
    assert_true(json_is_null(json_object_get(u, "satisfaction_rate")));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "total"), "unreachable")), 1);
    json_decref(c);
    OK("audit", "verify");
}

/* 并案 from the command line: --into names the main case; the duplicate
 * takes the main case's result when it is resolved; follow is the system's. */
static void merged_then_followed(void **st) {
    (void)st;
    base();
    OK("case", "create", "--channel", "hotline", "--class", "general", "--title", "韩愈大街路灯坏了",
       "--at", "2026-03-02T09:40", "--requester-name", "王五", "--requester-phone", "13900009999");
    assert_int_equal(DUBAN("case", "act", "2", "merge", "--note", "重复", "--at", "2026-03-02T09:50"), 2);
    assert_non_null(strstr(R.err, "into"));
    assert_int_equal(DUBAN("case", "act", "2", "merge", "--note", "重复", "--into", "9",
                           "--at", "2026-03-02T09:50"), 2);
    OK("case", "act", "2", "merge", "--note", "重复来电", "--into", "1", "--at", "2026-03-02T09:50");
    json_t *c = out_json();
    assert_str(str_at(c, "status"), "merged");
    json_decref(c);
    assert_int_equal(DUBAN("case", "act", "2", "follow", "--note", "x", "--into", "1"), 2);
    OK("case", "act", "1", "dispatch", "--unit", "cgj", "--at", "2026-03-02T10:00");
    OK("case", "act", "1", "accept", "--at", "2026-03-02T11:00");
    OK("case", "act", "1", "resolve", "--note", "已更换灯泡，路灯恢复", "--at", "2026-03-03T16:00");
    OK("case", "show", "2");
    c = out_json();
    assert_str(str_at(c, "status"), "resolved");
    assert_str(str_at(c, "result"), "已更换灯泡，路灯恢复");
    json_decref(c);
    OK("case", "act", "2", "visit", "--satisfaction", "satisfied", "--solved", "yes", "--at",
       "2026-03-04T10:00");
    OK("audit", "verify");
}

/* How many of a case's notices of a level are for its 签收 deadline. */
static int accept_notices(const char *id, const char *level) {
    OK("notices", "--case", id);
    json_t *c = out_json();
    int n = 0;
    for (size_t i = 0; i < json_array_size(c); i++) {
        json_t *x = json_array_get(c, i);
        n += !strcmp(str_at(x, "deadline"), "accept") && !strcmp(str_at(x, "level"), level);
    }
    json_decref(c);
    return n;
}

static void lists_and_sweep(void **st) {
    (void)st;
    base();
    OK("case", "create", "--channel", "petition", "--class", "general", "--title", "信访事项",
       "--at", "2026-03-01T10:00");
    OK("case", "act", "2", "dispatch", "--unit", "cgj", "--at", "2026-03-02T10:00");
    OK("case", "list", "--status", "received");
    json_t *c = out_json();
    assert_int_equal(json_array_size(json_object_get(c, "cases")), 1);
    json_decref(c);
    OK("case", "list", "--unit", "cgj");
    c = out_json();
    assert_int_equal(json_array_size(json_object_get(c, "cases")), 1);
    json_decref(c);
    OK("case", "list", "--overdue-at", "2026-03-03T08:00");
    c = out_json();
    assert_int_equal(json_array_size(json_object_get(c, "cases")), 2);
    json_decref(c);
    OK("case", "list", "--limit", "1");
    c = out_json();
    assert_int_equal(json_integer_value(json_object_get(c, "next_after")), 1);
    json_decref(c);
    OK("sweep", "--at", "2026-03-03T08:00");
    c = out_json();
    assert_int_equal(json_integer_value(json_object_get(c, "raised")), 2);
    json_t *n = json_array_get(json_object_get(c, "notices"), 0);
    assert_str(str_at(n, "level"), "yellow");
    json_decref(c);
    OK("sweep", "--at", "2026-03-03T08:00");
    c = out_json();
    assert_int_equal(json_integer_value(json_object_get(c, "raised")), 0);
    json_decref(c);
    OK("notices", "--case", "2");
    c = out_json();
    assert_int_equal(json_array_size(c), 1);
    assert_str(str_at(json_array_get(c, 0), "deadline"), "accept");
    json_decref(c);
    /* a sweep that runs late raises the level the deadline has reached, at
     * once: case 3, never swept, a week past its 签收 deadline, gets its
     * yellow and its red in one sweep; case 2 its red, three days after the
     * deadline (not after its yellow) */
    OK("case", "create", "--channel", "petition", "--class", "general", "--title", "信访事项",
       "--at", "2026-03-01T10:00");
    OK("case", "act", "3", "dispatch", "--unit", "cgj", "--at", "2026-03-02T10:00");
    OK("sweep", "--at", "2026-03-10T08:00");
    json_decref(out_json());
    assert_int_equal(accept_notices("3", "yellow"), 1);
    assert_int_equal(accept_notices("3", "red"), 1);
    assert_int_equal(accept_notices("2", "yellow"), 1);
    assert_int_equal(accept_notices("2", "red"), 1);
}

/* Every row: the arguments, the exit status, a phrase of the message. */
static const struct bad {
    const char *args[16];
    int status;
    const char *says;
} bad_inputs[] = {
    {{"scheme", "set", "2026", "shanghai"}, 2, "shanghai"},
    {{"scheme", "set", "1999", "jinhua"}, 2, "year '1999'"},
    {{"scheme", "set", "2026", "{\"terms\":"}, 2, "not JSON"},
    {{"config", "set", "report_cutoff_days", "30"}, 2, "report_cutoff_days '30' must be 0-20"},
    {{"case", "create", "--channel", "email", "--class", "general", "--title", "t"}, 2,
     "unknown channel 'email'"},
    {{"case", "create", "--channel", "hotline", "--class", "huge", "--title", "t"}, 2,
     "unknown class 'huge'"},
    {{"case", "create", "--channel", "hotline", "--class", "general"}, 2,
     "missing required option '--title'"},
    {{"case", "create", "--channel", "hotline", "--class", "general", "--title", "t", "--at",
      "2026-13-01"}, 2, "malformed time '2026-13-01'"},
    {{"case", "create", "--channel", "hotline", "--class", "general", "--title", "t",
      "--category", "nope"}, 3, "unknown category 'nope'"},
    {{"case", "create", "--channel", "hotline", "--class", "general", "--title", ""}, 2,
     "title is required"},
    {{"case", "create", "--channel", "hotline", "--class", "general", "--title", "t", "--at",
      "1999-12-31T10:00"}, 2, "received_at is before 2000"},
    {{"case", "create", "--channel", "hotline", "--class", "general", "--title", "t", "--at",
      "2026-03-03T10:00"}, 2, "received_at is more than a day in the future"},
    {{"case", "create", "--channel", "hotline", "--class", "general", "--title", "a\x01" "b"}, 2,
     "title holds a control character (U+0001"},
    {{"case", "create", "--channel", "hotline", "--class", "general", "--title", "\xff\xfe"}, 2,
     "title is not valid UTF-8"},
    {{"case", "create", "--channel", "hotline", "--class", "general", "--title=a\x1b" "b"}, 2,
     "argument holds a control character"},
    {{"case", "create", "--channel", "hotline", "--class", "general", "--title", "t",
      "--requester-phone", "13x"}, 2, "requester phone"},
    {{"case", "act", "1", "fly"}, 2, "unknown action 'fly'"},
    {{"case", "act", "1", "dispatch", "--unit", "nosuch"}, 3, "unknown unit 'nosuch'"},
    {{"case", "act", "1", "dispatch", "--at", "2026-03-02T10:00"}, 2, "needs a lead unit"},
    {{"case", "act", "1", "dispatch", "--unit", "cgj", "--at", "2026-03-01T00:00"}, 2,
     "before the case's last event"},
    {{"case", "act", "999", "accept"}, 3, "unknown case id 999"},
    {{"case", "act", "abc", "accept"}, 2, "case id 'abc'"},
    {{"case", "act", "1", "accept"}, 4, "action 'accept' is not allowed in state 'received'"},
    {{"case", "act", "1", "close"}, 4, "not allowed in state 'received' (已受理)"},
    {{"case", "act", "1", "visit", "--satisfaction", "happy"}, 2, "unknown satisfaction 'happy'"},
    {{"case", "act", "1", "merge", "--solved", "maybe"}, 2, "--solved 'maybe'"},
    {{"case", "act", "1", "dispatch", "--unit", "cgj", "--until", "2026-02-30"}, 2,
     "malformed date '2026-02-30'"},
    {{"case", "act", "1", "dispatch", "--unit", "cgj", "--bogus"}, 2, "unknown option '--bogus'"},
    {{"case", "show", "42"}, 3, "unknown case id 42"},
    {{"case", "list", "--status", "lost"}, 2, "unknown status 'lost'"},
    {{"case", "list", "--limit", "0"}, 2, "--limit '0'"},
    {{"case", "frobnicate"}, 2, "unknown case command 'frobnicate'"},
    {{"unit", "add", "cgj", "又一个城管局"}, 4, "unit 'cgj' already exists"},
    {{"unit", "add", "x y", "名称"}, 2, "may hold only letters"},
    {{"unit", "add", "new1", "名称", "--kind", "ministry"}, 2, "unknown unit kind 'ministry'"},
    {{"unit", "add", "new2", "名称", "--parent", "ghost"}, 3, "unknown unit 'ghost'"},
    {{"calendar", "is-workday", "2026-02-30"}, 2, "malformed date '2026-02-30'"},
    {{"calendar", "due", "2026-03-02", "3", "fortnight"}, 2, "unknown period unit 'fortnight'"},
    {{"calendar", "due", "2026-03-02", "-3", "day"}, 2, "N '-3'"},
    {{"calendar", "import", "/nonexistent/2027.json"}, 3, "cannot open"},
    {{"policy", "set", "hotline", "general", "resolve", "7 weeks"}, 2, "bad policy value '7 weeks'"},
    {{"policy", "set", "hotline", "general", "solve", "7 day"}, 2, "unknown policy field 'solve'"},
    {{"policy", "set", "fax", "general", "resolve", "7 day"}, 2, "unknown channel 'fax'"},
    {{"policy", "set", "hotline", "general", "dispatch", "none"}, 2, "cannot be 'none'"},
    {{"sweep"}, 2, "missing required option '--at'"},
    {{"stats", "--from", "2026-02-30", "--to", "2026-04-01"}, 2, "malformed date '2026-02-30'"},
    {{"stats", "--from", "2026-04-01", "--to", "2026-03-01"}, 2, "must be after"},
    {{"config", "set", "tz_offset", "+25:00"}, 2, "malformed UTC offset '+25:00'"},
    {{"config", "set", "colour", "blue"}, 2, "unknown configuration key 'colour'"},
    {{"audit", "repair"}, 2, "unknown audit command 'repair'"},
    {{"config", "set", "anchor_dir", "anchors"}, 2, "anchor_dir must be an absolute path"},
    {{"audit", "keygen", "--alg", "rsa", "--out", "/tmp/k"}, 2, "unknown signing algorithm 'rsa'"},
    {{"audit", "keygen"}, 2, "needs --out FILE"},
    {{"audit", "anchor", "--dir", "/tmp"}, 2, "needs --dir DIR and --key FILE"},
    {{"audit", "verify", "--anchors", "/tmp"}, 2, "--anchors DIR and --pub FILE go together"},
    {{"audit", "verify", "--anchors", "/nonexistent-dir", "--pub", "/dev/null"}, 3, "cannot open the anchors' folder"},
    {{"launch"}, 2, "unknown command 'launch'"},
};

static void bad_input_changes_nothing(void **st) {
    (void)st;
    base();
    unsigned char before[32], after[32];
    test_db_digest(dbt, before);
    for (size_t i = 0; i < sizeof bad_inputs / sizeof *bad_inputs; i++) {
        const struct bad *b = &bad_inputs[i];
        int status = duban_v(dbt, (const char **)b->args);
        const char *nl = strchr(R.err, '\n');
        if (status != b->status || !strstr(R.err, b->says) || !nl || nl[1] != '\0' || R.out[0])
            fail_msg("row %zu (%s %s): exit %d (want %d), stderr '%s', stdout '%.80s'", i,
                     b->args[0], b->args[1] ? b->args[1] : "", status, b->status, R.err, R.out);
        test_db_digest(dbt, after);
        if (memcmp(before, after, 32) != 0) fail_msg("row %zu changed the database", i);
    }
    /* a database that does not exist is not created by a mistyped path (a
     * PostgreSQL database is only ever created by its administrator) */
    if (!test_on_pg()) {
        assert_int_equal(duban_v(dbt2, (const char *[]){"case", "list", NULL}), 3);
        assert_non_null(strstr(R.err, "does not exist"));
        assert_int_equal(access(dbt2, F_OK), -1);
    } else {
        char missing[300];
        snprintf(missing, sizeof missing, "%sduban_missing_%d", getenv("DUBAN_TEST_PG"), (int)getpid());
        assert_int_not_equal(duban_v(missing, (const char *[]){"case", "list", NULL}), 0);
        assert_non_null(strstr(R.err, "does not exist"));
    }
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void calendar_import_and_policy(void **st) {
    (void)st;
    base();
    /* 2027 is not imported: its statutory days count, provisionally */
    OK("calendar", "is-workday", "2027-01-01");
    json_t *w = out_json();
    assert_false(json_is_true(json_object_get(w, "workday")));
    assert_true(json_is_true(json_object_get(w, "provisional")));
    assert_str(str_at(w, "name"), "元旦");
    json_decref(w);
    OK("calendar", "is-workday", "2026-10-09");
    w = out_json();
    assert_true(json_is_true(json_object_get(w, "workday")));
    assert_false(json_is_true(json_object_get(w, "provisional")));
    json_decref(w);
    static const char *const over[][3] = {
        {"2026-12-25T09:00", "2027-01-04T23:59:59+08:00", "2027-01-04"}, /* not on 元旦 */
        {"2027-01-30T09:00", "2027-02-09T23:59:59+08:00", "2027-02-09"}, /* 春节 2/5-2/8 */
    };
    for (size_t i = 0; i < 2; i++) {
        OK("calendar", "due", over[i][0], "7", "day");
        w = out_json();
        assert_str(str_at(w, "due"), over[i][1]);
        assert_str(str_at(w, "last_day"), over[i][2]);
        assert_true(json_is_true(json_object_get(w, "provisional")));
        json_decref(w);
    }
    /* a case dispatched on 12/28 is due in 2027, beyond the loaded years: provisional */
    setenv("DUBAN_NOW", "2026-12-28T12:00:00+08:00", 1);
    OK("case", "create", "--channel", "hotline", "--class", "general", "--title", "年底路灯",
       "--at", "2026-12-28T09:00", "--appeal-type", "help");
    json_t *ap = out_json();
    assert_str(str_at(ap, "appeal_type"), "help");
    assert_str(str_at(ap, "appeal_type_label"), "求助");
    json_decref(ap);
    OK("case", "act", "2", "dispatch", "--unit", "cgj", "--at", "2026-12-28T10:00");
    json_t *pc = out_json();
    assert_str(str_at(pc, "feedback_due"), "2026-12-31T23:59:59+08:00");
    assert_str(str_at(pc, "resolve_due"), "2027-01-04T23:59:59+08:00"); /* Mon-Fri assumed */
    json_t *pv = json_object_get(pc, "provisional");
    assert_int_equal(json_array_size(pv), 1); /* feedback (12/31) lies inside 2026 */
    assert_str(json_string_value(json_array_get(pv, 0)), "resolve_due");
    json_decref(pc);
    OK("summary");
    pc = out_json();
    assert_int_equal(json_integer_value(json_object_get(pc, "provisional_deadlines")), 1);
    /* by 诉求类型: case 2 is 求助, case 1 (from base()) not classified */
    assert_int_equal(json_integer_value(json_object_get(json_object_get(pc, "by_appeal_type"), "help")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(pc, "by_appeal_type"), "none")), 1);
    json_t *rem = json_array_get(json_object_get(pc, "reminders"), 0);
    assert_str(str_at(rem, "kind"), "calendar");
    assert_int_equal(json_integer_value(json_object_get(rem, "import_year")), 2027);
    assert_non_null(strstr(str_at(rem, "message"), "2027"));
    json_decref(pc);
    /* importing 2027 (here with 1/4 a holiday) counts it again: one event */
    write_file(tmpfile_, "{\"year\":2027,\"papers\":[],\"days\":[{\"name\":\"元旦\",\"date\":"
                         "\"2027-01-01\",\"isOffDay\":true},{\"name\":\"春节\",\"date\":"
                         "\"2027-02-07\",\"isOffDay\":false},{\"name\":\"测试\",\"date\":"
                         "\"2027-01-04\",\"isOffDay\":true}]}");
    OK("calendar", "import", tmpfile_);
    pc = out_json();
    assert_int_equal(json_integer_value(json_object_get(pc, "recomputed")), 1);
    json_decref(pc);
    OK("case", "show", "2");
    pc = out_json();
    json_t *pcase = json_object_get(pc, "case") ? json_object_get(pc, "case") : pc;
    assert_str(str_at(pcase, "resolve_due"), "2027-01-05T23:59:59+08:00");
    assert_int_equal(json_array_size(json_object_get(pcase, "provisional")), 0);
    json_t *evs = json_object_get(pc, "events");
    json_t *last = json_array_get(evs, json_array_size(evs) - 1);
    assert_str(str_at(last, "action"), "recompute");
    assert_non_null(strstr(R.out, "2027-01-04T23:59:59+08:00")); /* what it was */
    json_decref(pc);
    OK("summary");
    pc = out_json();
    assert_int_equal(json_integer_value(json_object_get(pc, "provisional_deadlines")), 0);
    assert_int_equal(json_array_size(json_object_get(pc, "reminders")), 0);
    json_decref(pc);
    OK("calendar", "import", tmpfile_); /* nothing provisional is left to count */
    pc = out_json();
    assert_int_equal(json_integer_value(json_object_get(pc, "recomputed")), 0);
    json_decref(pc);
    setenv("DUBAN_NOW", "2026-03-02T09:00:00+08:00", 1);
    OK("calendar", "is-workday", "2027-01-01");
    w = out_json();
    assert_false(json_is_true(json_object_get(w, "workday")));
    assert_false(json_is_true(json_object_get(w, "provisional"))); /* imported */
    json_decref(w);
    OK("calendar", "is-workday", "2027-02-08"); /* not in the imported file: a Monday */
    assert_non_null(strstr(R.out, "\"workday\": true"));
    OK("calendar", "is-workday", "2027-02-07"); /* a Sunday made a working day */
    assert_non_null(strstr(R.out, "\"workday\": true"));
    OK("calendar", "years");
    json_t *y = out_json();
    assert_int_equal(json_array_size(y), 8);
    json_decref(y);
    /* bad files: unknown field, a date outside the year; nothing changes */
    unsigned char before[32], after[32];
    test_db_digest(dbt, before);
    write_file(tmpfile_, "{\"year\":2027,\"days\":[],\"holidays\":[]}");
    assert_int_equal(DUBAN("calendar", "import", tmpfile_), 2);
    assert_non_null(strstr(R.err, "unknown field 'holidays'"));
    write_file(tmpfile_, "{\"year\":2027,\"days\":[{\"name\":\"元旦\",\"date\":\"2028-01-01\","
                         "\"isOffDay\":true}]}");
    assert_int_equal(DUBAN("calendar", "import", tmpfile_), 2);
    assert_non_null(strstr(R.err, "outside the year 2027"));
    write_file(tmpfile_, "{\"year\":2027,\"days\":[{\"name\":\"元旦\",\"date\":\"2027-1-1\","
                         "\"isOffDay\":true}]}");
    assert_int_equal(DUBAN("calendar", "import", tmpfile_), 2);
    assert_non_null(strstr(R.err, "2027-1-1"));
    test_db_digest(dbt, after);
    assert_memory_equal(before, after, 32);
    /* due dates through the CLI */
    OK("calendar", "due", "2026-01-31T10:00", "1", "month");
    json_t *d = out_json();
    assert_str(str_at(d, "last_day"), "2026-02-28");
    assert_str(str_at(d, "due"), "2026-02-28T23:59:59+08:00"); /* the end of the last day */
    assert_false(json_is_true(json_object_get(d, "provisional")));
    json_decref(d);
    /* a locality counting working days */
    OK("policy", "set", "hotline", "general", "resolve", "5 workday");
    OK("policy", "show");
    json_t *p = out_json();
    assert_str(str_at(json_array_get(p, 1), "resolve"), "5 workday"); /* hotline/general */
    json_decref(p);
    OK("case", "act", "1", "dispatch", "--unit", "cgj", "--at", "2026-03-06T10:00");
    json_t *c = out_json();
    assert_str(str_at(c, "resolve_due"), "2026-03-13T23:59:59+08:00"); /* 3/9..3/13 */
    json_decref(c);
}

static void tampering_is_named(void **st) {
    (void)st;
    base();
    OK("case", "act", "1", "dispatch", "--unit", "cgj", "--at", "2026-03-02T10:00");
    OK("case", "act", "1", "accept", "--at", "2026-03-02T10:30");
    test_db_exec(dbt, "UPDATE events SET at = at - 3600 WHERE case_id = 1 AND seq = 2");
    assert_int_equal(DUBAN("audit", "verify"), 5);
    json_t *v = out_json();
    assert_true(json_is_false(json_object_get(v, "ok")));
    json_t *b = json_object_get(v, "first_broken");
    assert_str(str_at(b, "case_no"), "MZ20260302-0001");
    assert_int_equal(json_integer_value(json_object_get(b, "seq")), 2);
    json_decref(v);
    assert_non_null(strstr(R.err, "case 1 (MZ20260302-0001) event 2"));
}

static void demo_is_deterministic(void **st) {
    (void)st;
    const char *args[] = {"demo", "--seed", "7", "--months", "1", "--per-month", "300", "--end",
                          "2026-03-31", NULL};
    assert_int_equal(duban_v(dbt, args), 0);
    json_t *a = out_json();
    assert_int_equal(duban_v(dbt2, args), 0);
    json_t *b = out_json();
    json_object_del(a, "db");
    json_object_del(b, "db");
    assert_true(json_equal(a, b));
    assert_true(json_integer_value(json_object_get(a, "cases")) > 250);
    assert_true(json_integer_value(json_object_get(a, "units")) >= 31);
    json_decref(a);
    json_decref(b);
    /* everything but the (salted) password hashes is the same */
    unsigned char da[32], dbb[32];
    test_db_digest_except(dbt, "users", da);
    test_db_digest_except(dbt2, "users", dbb);
    assert_memory_equal(da, dbb, 32);
    OK("audit", "verify");
    /* people act in office hours on working days (08:30-18:00 local, +08:00);
     * the 12345 line answers a 咨询 on the call, at any hour, within 15 minutes */
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM events WHERE action NOT IN ('create', 'answer') AND"
                                      " ((at + 28800) % 86400 < 30600 OR (at + 28800) % 86400 >= 64800)"), 0);
    assert_true(test_db_int(dbt, "SELECT count(*) FROM events WHERE action = 'answer'") > 20);
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id"
                                      " WHERE e.action = 'answer' AND e.at - c.received_at > 900"), 0);
    /* and the text says who spoke, as the channel does */
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM cases WHERE channel = 'hotline'"
                                      " AND description NOT LIKE '来电人反映%' AND description NOT LIKE '来电人咨询%'"), 0);
    assert_int_equal(test_db_int(dbt, "SELECT count(*) FROM cases WHERE channel = 'citymgmt'"
                                      " AND description NOT LIKE '城管巡查发现%'"), 0);
    /* without --end the demo ends now: nothing after the clock (DUBAN_NOW) */
    test_db_new(dbt2, sizeof dbt2, "cli2"); /* empty again */
    assert_int_equal(duban_v(dbt2, (const char *[]){"demo", "--months", "1", "--per-month", "50", NULL}), 0);
    assert_int_equal(test_db_int(dbt2, "SELECT count(*) FROM events WHERE at > 1772413200"), 0); /* 2026-03-02T09:00+08 */
    assert_true(test_db_int(dbt2, "SELECT count(*) FROM events WHERE at > 1772413200 - 7 * 86400") > 0);
    /* a second demo into the same database is refused */
    assert_int_equal(duban_v(dbt, args), 4);
    assert_non_null(strstr(R.err, "already has data"));
}

/* A county's SQLite database moved to the test's database (PostgreSQL, or
 * another SQLite file): every row, every hash, the same answers after. */
static void migrate_store_copies_everything(void **st) {
    (void)st;
    char src[64], from[80];
    snprintf(src, sizeof src, "/tmp/duban-cli-src-%d.db", (int)getpid());
    snprintf(from, sizeof from, "sqlite:%s", src);
    test_rm_db(src);
    const char *demo[] = {"demo", "--seed", "3", "--months", "1", "--per-month", "200", "--end",
                          "2026-03-31", NULL};
    assert_int_equal(duban_v(src, demo), 0);
    assert_int_equal(duban_v(src, (const char *[]){"retention", "set", "petition", "3650", NULL}), 0);
    assert_int_equal(duban_v(src, (const char *[]){"case", "show", "7", NULL}), 0);
    json_t *before = out_json();
    assert_int_equal(duban_v(src, (const char *[]){"report", "--month", "2026-03", "--format", "json", NULL}), 0);
    json_t *bulletin_before = out_json();
    assert_int_equal(duban_v(dbt2, (const char *[]){"migrate-store", "--from", from, "--to", dbt2, NULL}), 0);
    json_t *m = out_json();
    assert_true(json_is_true(json_object_get(m, "counts_match")));
    assert_true(json_is_true(json_object_get(json_object_get(m, "audit"), "ok")));
    json_t *tables = json_object_get(m, "tables");
    json_t *events = json_object_get(json_object_get(tables, "events"), "to");
    assert_true(json_integer_value(events) > 1000);
    /* every table of the source is moved and counted — a table a later
     * migration adds included — but the search indexes, rebuilt */
    db *d = test_db_connect(src);
    db_stmt *q;
    err e = {0};
    int rc = 0, seen = 0;
    assert_int_equal(db_prepare(d, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
                                   " AND name NOT LIKE 'case_text%' AND name NOT LIKE 'kb_text%'", 0, &q, &e), 0);
    while (db_next(q, &rc, &e)) {
        const char *t = db_col_text(q, 0);
        json_t *row = json_object_get(tables, t);
        if (!row) fail_msg("table %s was not moved", t);
        assert_int_equal(json_integer_value(json_object_get(row, "from")), json_integer_value(json_object_get(row, "to")));
        seen++;
    }
    assert_int_equal(rc, 0);
    db_finalize(q);
    db_close(d);
    assert_int_equal(seen, (int)json_object_size(tables));
    /* and it compared the last three months' 通报 on both sides itself */
    json_t *fig = json_object_get(m, "figures");
    assert_true(json_is_true(json_object_get(fig, "match")));
    assert_int_equal(json_array_size(json_object_get(fig, "months")), 3);
    static const char *const once_left_behind[] = {"evaluations", "service_points", "projects", "project_progress",
                                                   "indicator_values", "retention"};
    for (size_t i = 0; i < sizeof once_left_behind / sizeof *once_left_behind; i++)
        if (json_integer_value(json_object_get(json_object_get(tables, once_left_behind[i]), "to")) < 1)
            fail_msg("%s: nothing moved", once_left_behind[i]);
    json_decref(m);
    /* the month's 通报 — its 码上评 and 综合考评 included — reads the same */
    assert_int_equal(duban_v(dbt2, (const char *[]){"report", "--month", "2026-03", "--format", "json", NULL}), 0);
    json_t *bulletin_after = out_json();
    if (!json_equal(bulletin_before, bulletin_after))
        fail_msg("the 通报 differs after the move: %.300s", json_dumps(bulletin_after, JSON_COMPACT));
    json_decref(bulletin_before);
    json_decref(bulletin_after);
    /* the same case, the same events and hashes, read from the target */
    assert_int_equal(duban_v(dbt2, (const char *[]){"case", "show", "7", NULL}), 0);
    json_t *after = out_json();
    assert_true(json_equal(before, after));
    json_decref(before);
    json_decref(after);
    /* the target goes on from there: ids and case numbers continue */
    setenv("DUBAN_NOW", "2026-03-31T21:00:00+08:00", 1); /* after the demo's month */
    assert_int_equal(duban_v(dbt2, (const char *[]){"case", "create", "--channel", "hotline", "--class",
                                                    "general", "--title", "迁移后的新诉求", "--at",
                                                    "2026-03-31T20:00", NULL}), 0);
    setenv("DUBAN_NOW", "2026-03-02T09:00:00+08:00", 1);
    json_t *c = out_json();
    assert_int_equal(json_integer_value(json_object_get(c, "id")),
                     test_db_int(dbt2, "SELECT count(*) FROM cases"));
    json_decref(c);
    assert_int_equal(duban_v(dbt2, (const char *[]){"audit", "verify", NULL}), 0);
    /* a target with data already is refused, and left as it was */
    unsigned char d1[32], d2[32];
    test_db_digest(dbt2, d1);
    assert_int_equal(duban_v(dbt2, (const char *[]){"migrate-store", "--from", from, "--to", dbt2, NULL}), 4);
    assert_non_null(strstr(R.err, "already has units"));
    test_db_digest(dbt2, d2);
    assert_memory_equal(d1, d2, 32);
    test_rm_db(src);
}

/* A streaming replica (PostgreSQL) answers reads — the audit, a case, the
 * figures — and refuses writes with a clear error. */
static void a_replica_serves_reads(void **st) {
    (void)st;
    const char *standby = getenv("DUBAN_TEST_PG_STANDBY");
    if (!test_on_pg() || !standby) skip();
    const char *demo[] = {"demo", "--seed", "5", "--months", "1", "--per-month", "100", "--end",
                          "2026-03-31", NULL};
    assert_int_equal(duban_v(dbt, demo), 0);
    char replica[300];
    snprintf(replica, sizeof replica, "%s%s", standby, strrchr(dbt, '/') + 1);
    int64_t want = test_db_int(dbt, "SELECT count(*) FROM events");
    /* wait (bounded) for the replica to replay it all */
    int64_t have = -1;
    for (int i = 0; i < 100; i++, usleep(100000)) {
        db *d;
        err e = {0};
        if (db_open(replica, NULL, &d, &e)) continue;
        if (db_query_int(d, "SELECT count(*) FROM events", &have, &e)) have = -1;
        db_close(d);
        if (have == want) break;
    }
    assert_int_equal(have, want);
    assert_int_equal(duban_v(replica, (const char *[]){"audit", "verify", NULL}), 0);
    json_t *a = out_json();
    assert_true(json_is_true(json_object_get(a, "ok")));
    json_decref(a);
    assert_int_equal(duban_v(dbt, (const char *[]){"case", "show", "3", NULL}), 0);
    json_t *p = out_json();
    assert_int_equal(duban_v(replica, (const char *[]){"case", "show", "3", NULL}), 0);
    json_t *r = out_json();
    assert_true(json_equal(p, r));
    json_decref(p);
    json_decref(r);
    assert_int_equal(duban_v(replica, (const char *[]){"stats", "--from", "2026-03-01", "--to",
                                                       "2026-04-01", NULL}), 0);
    assert_int_not_equal(duban_v(replica, (const char *[]){"case", "create", "--channel", "hotline",
                                                           "--class", "general", "--title", "只读",
                                                           NULL}), 0);
    assert_non_null(strstr(R.err, "read-only"));
}

/* The README's demo, `duban demo --seed 7`, builds its whole year (it
 * stopped part way twice on a 人大代表建议's promised date): at full volume,
 * the year to 2026-12-07. The generator is the same on either driver, so
 * SQLite alone (a year at full volume is minutes on PostgreSQL). */
static void the_readme_demo_builds(void **st) {
    (void)st;
    if (getenv("DUBAN_TEST_PG")) skip();
    static const char *const seeds[] = {"7"};
    for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++) {
        test_db_new(dbt2, sizeof dbt2, "cli2"); /* empty again */
        const char *args[] = {"demo", "--seed", seeds[i], "--end", "2026-12-07", NULL};
        if (duban_v(dbt2, args) != 0) fail_msg("demo --seed %s: %s", seeds[i], R.err);
        json_t *v = out_json();
        assert_true(json_integer_value(json_object_get(v, "cases")) > 20000);
        assert_str(str_at(v, "to"), "2026-12-07");
        json_decref(v);
    }
}

/* Every command answers --help with its usage on stdout and exit 0 (and
 * opens no database: a new path stays absent). */
static void every_command_has_help(void **st) {
    (void)st;
    char path[64], names[2048] = "";
    snprintf(path, sizeof path, "/tmp/duban-help-%d.db", (int)getpid());
    unlink(path);
    const char *help[] = {"duban", "help", NULL};
    run_cli(&R, help);
    assert_int_equal(R.status, 0);
    int n = 0;
    for (char *line = strtok(R.out, "\n"); line; line = strtok(NULL, "\n")) {
        char word[32];
        if (strncmp(line, "  ", 2) == 0 && sscanf(line, " %31s", word) == 1) {
            strcat(names, word);
            strcat(names, " ");
            n++;
        }
    }
    assert_true(n >= 20);
    static const char *const subs[] = {"case create", "case act", "case show", "case list"};
    for (char *w = strtok(names, " "); w; w = strtok(NULL, " ")) {
        const char *argv[] = {"duban", "--db", path, w, "--help", NULL};
        run_cli(&R, argv);
        if (R.status != 0 || strncmp(R.out, "usage: duban", 12) != 0)
            fail_msg("duban %s --help: status %d, '%s' '%s'", w, R.status, R.out, R.err);
    }
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++) {
        const char *argv[] = {"duban", "--db", path, "case", subs[i] + 5, "--help", NULL};
        run_cli(&R, argv);
        if (R.status != 0 || strncmp(R.out, "usage: duban", 12) != 0)
            fail_msg("duban %s --help: status %d, '%s'", subs[i], R.status, R.err);
    }
    assert_int_equal(access(path, F_OK), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(full_lifecycle, setup, teardown),
        cmocka_unit_test_setup_teardown(due_and_its_traps, setup, teardown),
        cmocka_unit_test_setup_teardown(lists_and_sweep, setup, teardown),
        cmocka_unit_test_setup_teardown(unreachable_then_closed, setup, teardown),
        cmocka_unit_test_setup_teardown(merged_then_followed, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_input_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(calendar_import_and_policy, setup, teardown),
        cmocka_unit_test_setup_teardown(tampering_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(demo_is_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(every_command_has_help, setup, teardown),
        cmocka_unit_test_setup_teardown(the_readme_demo_builds, setup, teardown),
        cmocka_unit_test_setup_teardown(migrate_store_copies_everything, setup, teardown),
        cmocka_unit_test_setup_teardown(a_replica_serves_reads, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
