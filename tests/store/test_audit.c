/* `audit verify` as an fsck (store_audit.c), through the CLI on either
 * driver: for every column a figure, a rank or a queue reads, a copy of
 * another case's value into it fails verify naming the column; so does each
 * column of the units' rows; a policy change or a calendar import after the
 * fact makes nothing look altered; the logs' rows and links (store_chain.c)
 * cannot be deleted, changed or added around the store. */
#include "test.h"

#include <jansson.h>
#include <sodium.h>
#include <sys/stat.h>

#include "core/audit.h"
#include "store/store_case.h"
#include "tests/cli/run_cli.h"
#include "tests/test_db.h"

static char dbt[256];
static cli_run R;

#define DUBAN(...) duban_v((const char *[]){__VA_ARGS__, NULL})
static int duban_v(const char **args) {
    const char *argv[64] = {"duban", "--db", dbt, "--actor", "tester"};
    int n = 5;
    for (int i = 0; args[i]; i++) argv[n++] = args[i];
    argv[n] = NULL;
    run_cli(&R, argv);
    return R.status;
}

static int setup(void **st) {
    (void)st;
    test_db_new(dbt, sizeof dbt, "audit");
    setenv("DUBAN_NOW", "2026-12-07T20:00:00+08:00", 1);
    /* two months of a county, ending in December: deadlines reach into
     * 2027, which the shipped calendar does not hold (provisional ones) */
    if (DUBAN("demo", "--seed", "3", "--months", "2", "--per-month", "300", "--end", "2026-12-07"))
        fail_msg("demo: %s", R.err);
    /* and what it does little of: a 批示, a 回访 that reaches nobody on
     * three days, then closes; a contested 回访 upheld */
    char id[3][24];
    snprintf(id[0], sizeof id[0], "%lld", (long long)test_db_int(dbt, "SELECT min(id) FROM cases WHERE status = 'accepted'"));
    snprintf(id[1], sizeof id[1], "%lld", (long long)test_db_int(dbt, "SELECT min(id) FROM cases WHERE status = 'resolved'"
                                                                   " AND channel = 'hotline'"));
    snprintf(id[2], sizeof id[2], "%lld", (long long)test_db_int(dbt, "SELECT min(id) FROM cases WHERE status = 'visited'"
                                                                   " AND satisfaction = 0"));
    static const char *const days[] = {"2026-12-08T10:00:00+08:00", "2026-12-09T10:00:00+08:00", "2026-12-10T10:00:00+08:00"};
    if (DUBAN("case", "act", id[0], "instruct", "--note", "请于本周内办结并报告") ||
        DUBAN("case", "act", id[2], "request_review", "--note", "回访时群众误解了办理结果") ||
        DUBAN("case", "act", id[2], "uphold_review", "--note", "核实属实"))
        fail_msg("%s", R.err);
    for (int d = 0; d < 3; d++) {
        setenv("DUBAN_NOW", days[d], 1);
        if (DUBAN("case", "act", id[1], "unreachable")) fail_msg("%s", R.err);
    }
    if (DUBAN("case", "act", id[1], "close_unreachable", "--note", "三日联系不上")) fail_msg("%s", R.err);
    test_db_exec(dbt, "CREATE TABLE keep_cases AS SELECT * FROM cases;"
                      "CREATE TABLE keep_units AS SELECT * FROM case_units");
    return 0;
}

static int teardown(void **st) {
    (void)st;
    test_db_remove(dbt);
    return 0;
}

/* verify's answer: ok, or the column (or the reason) it names. */
static json_t *verify(void) {
    int rc = DUBAN("audit", "verify");
    json_t *v = json_loads(R.out, 0, NULL);
    if (!v) fail_msg("audit verify printed no JSON (exit %d): %s", rc, R.err);
    if ((rc == 0) != json_is_true(json_object_get(v, "ok"))) fail_msg("exit %d but ok is not %d", rc, rc == 0);
    return v;
}

static void assert_ok(void) {
    json_t *v = verify();
    json_t *b = json_object_get(v, "first_broken");
    if (!json_is_true(json_object_get(v, "ok")))
        fail_msg("audit fails: case %s: %s", json_string_value(json_object_get(b, "case_no")),
                 json_string_value(json_object_get(b, "reason")));
    json_decref(v);
}

/* Verify names `column` (NULL: any reason containing `reason`). */
static void assert_named(const char *column, const char *reason, int64_t case_id) {
    json_t *v = verify(), *b = json_object_get(v, "first_broken");
    if (json_is_true(json_object_get(v, "ok"))) fail_msg("%s changed, yet audit verify says ok", column ? column : reason);
    const char *got = json_string_value(json_object_get(b, "column"));
    const char *why = json_string_value(json_object_get(b, "reason"));
    if (column && (!got || strcmp(got, column)))
        fail_msg("%s changed on case %lld; verify names %s (case %lld): %s", column, (long long)case_id,
                 got ? got : "no column", (long long)json_integer_value(json_object_get(b, "case_id")), why);
    if (reason && !strstr(why, reason)) fail_msg("verify says '%s', not '%s'", why, reason);
    assert_int_equal(json_integer_value(json_object_get(b, "case_id")), case_id);
    json_decref(v);
}

static const char *distinct(void) { return test_on_pg() ? "IS DISTINCT FROM" : "IS NOT"; }

/* Copies into one case the column's value from another case that differs
 * (the first such pair), checks verify names it, and puts it back. */
static void copy_fails(const char *column, const char *named) {
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(min(a.id), 0) FROM cases a WHERE EXISTS (SELECT 1 FROM cases b WHERE b.%s %s a.%s)",
             column, distinct(), column);
    int64_t a = test_db_int(dbt, sql);
    if (!a) fail_msg("no two cases differ in %s: the demo does not exercise it", column);
    snprintf(sql, sizeof sql, "SELECT min(b.id) FROM cases b WHERE b.%s %s (SELECT %s FROM cases WHERE id = %lld)",
             column, distinct(), column, (long long)a);
    int64_t b = test_db_int(dbt, sql);
    snprintf(sql, sizeof sql, "UPDATE cases SET %s = (SELECT %s FROM cases x WHERE x.id = %lld) WHERE id = %lld",
             column, column, (long long)b, (long long)a);
    test_db_exec(dbt, sql);
    assert_named(named ? named : column, NULL, a);
    snprintf(sql, sizeof sql, "UPDATE cases SET %s = (SELECT %s FROM keep_cases k WHERE k.id = cases.id) WHERE id = %lld",
             column, column, (long long)a);
    test_db_exec(dbt, sql);
}

static void every_case_column_is_replayed(void **st) {
    (void)st;
    assert_ok();
    static const char *const columns[] = {
        "channel", "class", "appeal_type", "status", "received_at", "lead_unit_id", "dispatched_at",
        "accepted_at", "first_feedback_at", "resolved_at", "visited_at", "closed_at", "updated_at",
        "dispatch_due", "accept_due", "feedback_due", "resolve_due", "satisfaction", "solved", "visit_waived",
        "reopen_count", "extension_count", "plan_count", "return_count", "pending", "pending_until",
        "instructed_at", "unreachable_days", "unreachable_day", "closed_unreachable", "merged_into", "review",
        "review_at", "answer", "promise_day", "provisional", "due_from", "title", "result", "public_summary",
        "public_reply", "history", "fig_until", "next_due", "next_kind"};
    for (size_t i = 0; i < sizeof columns / sizeof *columns; i++) copy_fails(columns[i], NULL);
    /* the case number is unique: changed, not copied */
    test_db_exec(dbt, "UPDATE cases SET case_no = case_no || 'X' WHERE id = 7");
    assert_named("case_no", NULL, 7);
    test_db_exec(dbt, "UPDATE cases SET case_no = (SELECT case_no FROM keep_cases k WHERE k.id = cases.id) WHERE id = 7");
    /* the chain's own columns: the newest event no longer matches */
    test_db_exec(dbt, "UPDATE cases SET event_count = event_count - 1 WHERE id = 9");
    assert_named(NULL, "newest event", 9);
    test_db_exec(dbt, "UPDATE cases SET event_count = event_count + 1 WHERE id = 9");
    assert_ok();
}

/* The rows that give each unit its part in a case: each column changed on
 * one row (a lead's, an assisting unit's, one handed back) is named; a row
 * taken away or added is too. */
static void every_unit_row_column_is_replayed(void **st) {
    (void)st;
    char sql[512];
    struct {
        const char *set, *where, *named;
    } t[] = {
        {"unit_id = (SELECT min(id) FROM units u WHERE u.id <> case_units.unit_id)", "role = 'lead'", "case_units.unit_id"},
        {"role = 'assist'", "role = 'lead'", "case_units.role"},
        {"assigned_at = assigned_at - 60", "role = 'assist'", "case_units.assigned_at"},
        {"returned_at = assigned_at + 60", "returned_at IS NULL", "case_units.returned_at"},
        {"returned_at = returned_at + 1", "returned_at IS NOT NULL", "case_units.returned_at"},
        {"reassigned = 1 - reassigned", "returned_at IS NOT NULL", "case_units.reassigned"},
        {"next_due = next_due + 86400", "returned_at IS NULL AND next_due IS NOT NULL", "case_units.next_due"},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        snprintf(sql, sizeof sql, "SELECT coalesce(min(case_id), 0) FROM case_units WHERE %s", t[i].where);
        int64_t c = test_db_int(dbt, sql);
        if (!c) fail_msg("no unit row where %s", t[i].where);
        snprintf(sql, sizeof sql, "UPDATE case_units SET %s WHERE rowid = (SELECT min(rowid) FROM case_units"
                 " WHERE case_id = %lld AND %s)", t[i].set, (long long)c, t[i].where);
        test_db_exec(dbt, sql);
        assert_named(t[i].named, NULL, c);
        test_db_exec(dbt, "DELETE FROM case_units; INSERT INTO case_units SELECT * FROM keep_units");
    }
    int64_t c = test_db_int(dbt, "SELECT min(case_id) FROM case_units WHERE role = 'assist'");
    snprintf(sql, sizeof sql, "DELETE FROM case_units WHERE case_id = %lld AND role = 'assist'", (long long)c);
    test_db_exec(dbt, sql);
    assert_named("case_units", "added or taken away", c);
    test_db_exec(dbt, "DELETE FROM case_units; INSERT INTO case_units SELECT * FROM keep_units");
    assert_ok();
}

/* A 考核 that changes its deadlines, a calendar imported for the next year:
 * the stored deadlines stand as their events recorded them. */
static void later_rules_change_nothing(void **st) {
    (void)st;
    assert_int_equal(DUBAN("policy", "set", "hotline", "general", "resolve", "3 workday"), 0);
    assert_int_equal(DUBAN("policy", "set", "hotline", "general", "accept", "4 hour"), 0);
    assert_ok();
    int64_t before = test_db_int(dbt, "SELECT count(*) FROM cases WHERE provisional <> 0");
    assert_true(before > 0);
    FILE *f = fopen("/tmp/duban-audit-2027.json", "w");
    assert_non_null(f);
    fputs("{\"year\":2027,\"days\":[{\"name\":\"元旦\",\"date\":\"2027-01-01\",\"isOffDay\":true},"
          "{\"name\":\"春节\",\"date\":\"2027-02-05\",\"isOffDay\":true}]}", f);
    fclose(f);
    assert_int_equal(DUBAN("calendar", "import", "/tmp/duban-audit-2027.json"), 0);
    unlink("/tmp/duban-audit-2027.json");
    assert_true(test_db_int(dbt, "SELECT count(*) FROM events WHERE action = 'recompute'") > 0);
    assert_ok();
}

/* The logs (store_chain.h): a row deleted, changed or slipped in, a link
 * taken out: each fails verify naming the log. */
static void assert_log_broken(const char *log, const char *reason) {
    json_t *v = verify(), *b = json_object_get(v, "first_broken");
    if (json_is_true(json_object_get(v, "ok"))) fail_msg("%s: %s, yet audit verify says ok", log, reason);
    const char *got = json_string_value(json_object_get(b, "log")), *why = json_string_value(json_object_get(b, "reason"));
    if (!got || strcmp(got, log) || !why || !strstr(why, reason))
        fail_msg("%s: %s expected; verify says %s: %s", log, reason, got ? got : "(no log)", why ? why : "");
    json_decref(v);
}

static void restore_logs(void) {
    test_db_exec(dbt, "DELETE FROM log_chain; INSERT INTO log_chain SELECT * FROM keep_chain;"
                      "DELETE FROM access_log; INSERT INTO access_log SELECT * FROM keep_access;"
                      "DELETE FROM evaluations; INSERT INTO evaluations SELECT * FROM keep_evals;"
                      "DELETE FROM notices; INSERT INTO notices SELECT * FROM keep_notices;"
                      "DELETE FROM chain_heads; INSERT INTO chain_heads SELECT * FROM keep_heads");
    assert_ok();
}

static void logs_are_chained(void **st) {
    (void)st;
    /* an account made (logged), a 差评 contested and decided (the decision chained) */
    assert_int_equal(DUBAN("user", "add", "heyang07", "handler", "--unit", "heyangjd", "--password", "Heyang#2026zz"), 0);
    int64_t ev = test_db_int(dbt, "SELECT min(id) FROM evaluations WHERE level >= 4");
    assert_true(ev > 0);
    assert_true(test_db_int(dbt, "SELECT count(*) FROM notices") > 0);
    assert_true(test_db_int(dbt, "SELECT count(*) FROM access_log WHERE action = 'user_created'") == 1);
    assert_ok();
    test_db_exec(dbt, "CREATE TABLE keep_chain AS SELECT * FROM log_chain; CREATE TABLE keep_access AS SELECT * FROM access_log;"
                      "CREATE TABLE keep_evals AS SELECT * FROM evaluations; CREATE TABLE keep_notices AS SELECT * FROM notices;"
                      "CREATE TABLE keep_heads AS SELECT * FROM chain_heads");

    test_db_exec(dbt, "DELETE FROM access_log WHERE action = 'user_created'");
    assert_log_broken("access_log", "was deleted");
    restore_logs();
    test_db_exec(dbt, "UPDATE access_log SET detail = 'heyang07 role=viewer' WHERE action = 'user_created'");
    assert_log_broken("access_log", "was changed");
    restore_logs();
    test_db_exec(dbt, "INSERT INTO access_log(at, actor, action, detail) VALUES(1796000000, 'x', 'login', 'slipped in')");
    assert_log_broken("access_log", "added outside the store");
    restore_logs();
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE evaluations SET level = 5 - level + 1 WHERE id = %lld", (long long)ev);
    test_db_exec(dbt, sql);
    assert_log_broken("evaluations", "was changed");
    restore_logs();
    test_db_exec(dbt, "UPDATE evaluations SET review = 'upheld' WHERE id = (SELECT min(id) FROM evaluations)");
    assert_log_broken("evaluations", "was changed");
    restore_logs();
    test_db_exec(dbt, "DELETE FROM notices WHERE id = (SELECT max(id) FROM notices)");
    assert_log_broken("notices", "was deleted");
    restore_logs();
    test_db_exec(dbt, "DELETE FROM log_chain WHERE chain = 'notices' AND seq = 2");
    assert_log_broken("notices", "link 2 is missing");
    restore_logs();
    test_db_exec(dbt, "DELETE FROM log_chain WHERE chain = 'evaluations' AND seq = (SELECT max(seq) FROM log_chain"
                      " WHERE chain = 'evaluations')");
    assert_log_broken("evaluations", "links taken off its end");
    restore_logs();
}

/* A blob literal in the test database's dialect. */
static void blob_sql(const unsigned char h[32], char out[100]) {
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, h, 32);
    snprintf(out, 100, test_on_pg() ? "decode('%s', 'hex')" : "X'%s'", hex);
}

static int first_event(void *ctx, const case_event *ev) {
    case_event *out = ctx;
    if (ev->seq == 1) {
        *out = *ev;
        out->payload = strdup(ev->payload);
        out->text = ev->text ? strdup(ev->text) : NULL;
    }
    return 0;
}

/* What one who can write the database can do: a case's history rewritten
 * whole, every hash made anew with its own key (a new title, here). */
static void rewrite_case(int64_t id) {
    store *s;
    err e = {0};
    case_rec c;
    case_event ev = {0};
    if (store_open(dbt, NULL, &s, &e) || store_case_get(s, id, &c, &e) || store_case_events(s, id, first_event, &ev, &e))
        fail_msg("%s", e.msg);
    store_close(s);
    free(ev.text);
    ev.text = strdup("{\"title\":\"改写过的标题\"}");
    audit_hash_event(&ev, c.text_key);
    char h[100], sql[600];
    blob_sql(ev.hash, h);
    snprintf(sql, sizeof sql, "UPDATE events SET text = '%s', hash = %s WHERE case_id = %lld AND seq = 1;"
             "UPDATE cases SET title = '改写过的标题', last_hash = %s WHERE id = %lld", ev.text, h, (long long)id, h,
             (long long)id);
    test_db_exec(dbt, sql);
    case_event_clear(&ev);
    case_rec_clear(&c);
}

/* The anchors, with each algorithm: what verifies before a rewrite fails
 * after it, naming the case, or the log whose end was rewritten. */
static void anchors_catch_a_rewritten_history(void **st) {
    (void)st;
    static const char *const algs[] = {"ed25519", "sm2"};
    char dir[160], key[200], pub[220], base[64];
    snprintf(base, sizeof base, "/tmp/duban-anchor-%d", (int)getpid());
    assert_int_equal(mkdir(base, 0700), 0);
    /* a second entry in the access log, whose newest is taken away below */
    assert_int_equal(DUBAN("user", "add", "heyang08", "handler", "--unit", "heyangjd", "--password", "Heyang#2026yy"), 0);
    test_db_exec(dbt, "CREATE TABLE keep_events AS SELECT * FROM events;"
                      "DELETE FROM keep_heads; INSERT INTO keep_heads SELECT * FROM chain_heads;"
                      "CREATE TABLE keep_rows AS SELECT id, title, last_hash FROM cases;"
                      "DELETE FROM keep_chain; INSERT INTO keep_chain SELECT * FROM log_chain;"
                      "DELETE FROM keep_access; INSERT INTO keep_access SELECT * FROM access_log");
    for (size_t i = 0; i < 2; i++) {
        snprintf(dir, sizeof dir, "%s/%s", base, algs[i]);
        snprintf(key, sizeof key, "%s/%s.key", base, algs[i]);
        snprintf(pub, sizeof pub, "%s.pub", key);
        assert_int_equal(mkdir(dir, 0700), 0);
        if (DUBAN("audit", "keygen", "--alg", algs[i], "--out", key)) fail_msg("%s", R.err);
        struct stat sb;
        assert_int_equal(stat(key, &sb), 0);
        assert_int_equal(sb.st_mode & 077, 0); /* the private key is the owner's alone */
        if (DUBAN("audit", "anchor", "--dir", dir, "--key", key)) fail_msg("%s", R.err);
        assert_non_null(strstr(R.out, algs[i]));
        assert_int_equal(DUBAN("audit", "verify", "--anchors", dir, "--pub", pub), 0);
        assert_non_null(strstr(R.out, "\"anchors\": 1"));
        /* a case rewritten whole: plain verify holds, the anchor does not */
        int64_t id = test_db_int(dbt, "SELECT min(id) FROM cases WHERE event_count = 1");
        assert_true(id > 0);
        rewrite_case(id);
        assert_ok();
        assert_int_equal(DUBAN("audit", "verify", "--anchors", dir, "--pub", pub), 5);
        json_t *v = json_loads(R.out, 0, NULL), *b = json_object_get(v, "first_broken");
        assert_int_equal(json_integer_value(json_object_get(b, "case_id")), id);
        assert_non_null(strstr(json_string_value(json_object_get(b, "reason")), "anchor"));
        json_decref(v);
        test_db_exec(dbt, "DELETE FROM events; INSERT INTO events SELECT * FROM keep_events;"
                          "UPDATE cases SET title = (SELECT title FROM keep_rows k WHERE k.id = cases.id),"
                          " last_hash = (SELECT last_hash FROM keep_rows k WHERE k.id = cases.id)");
        /* the access log's newest row and link taken away, its head set back */
        test_db_exec(dbt, "DELETE FROM access_log WHERE id = (SELECT max(id) FROM access_log);"
                          "DELETE FROM log_chain WHERE chain = 'access_log' AND seq = (SELECT seq FROM chain_heads"
                          " WHERE chain = 'access_log');"
                          "UPDATE chain_heads SET seq = seq - 1, hash = (SELECT hash FROM log_chain l WHERE"
                          " l.chain = 'access_log' AND l.seq = chain_heads.seq - 1) WHERE chain = 'access_log'");
        assert_ok();
        assert_int_equal(DUBAN("audit", "verify", "--anchors", dir, "--pub", pub), 5);
        assert_non_null(strstr(R.out, "\"log\": \"access_log\""));
        restore_logs();
        assert_int_equal(DUBAN("audit", "verify", "--anchors", dir, "--pub", pub), 0);
        /* another key's public half, an altered anchor */
        char other[220], other_pub[240];
        snprintf(other, sizeof other, "%s.other", key);
        snprintf(other_pub, sizeof other_pub, "%s.pub", other);
        if (DUBAN("audit", "keygen", "--alg", algs[i], "--out", other)) fail_msg("%s", R.err);
        assert_int_equal(DUBAN("audit", "verify", "--anchors", dir, "--pub", other_pub), 5);
        assert_non_null(strstr(R.out, "signature does not verify"));
        char cmd[300];
        snprintf(cmd, sizeof cmd, "sed -i 's/\"leaves\": \\([0-9]*\\)/\"leaves\": 1\\1/' %s/anchor-*.json", dir);
        assert_int_equal(system(cmd), 0);
        assert_int_equal(DUBAN("audit", "verify", "--anchors", dir, "--pub", pub), 5);
        assert_non_null(strstr(R.out, "signature does not verify"));
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", base);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_case_column_is_replayed),
        cmocka_unit_test(every_unit_row_column_is_replayed),
        cmocka_unit_test(later_rules_change_nothing),
        cmocka_unit_test(logs_are_chained),
        cmocka_unit_test(anchors_catch_a_rewritten_history),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
