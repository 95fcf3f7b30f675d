/* Tests of the store through its headers, on either driver: transactions, the event
 * chain and tamper detection, migrations from an old schema, persistence of
 * policy and calendar edits, sweeping and statistics. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/case_json.h"
#include "store/store.h"
#include "store/store_ref.h"
#include "store/store_case.h"
#include "store/store_outbox.h"
#include "store/store_int.h" /* st_seed_history: the migration's backfill, checked against the actions */
#include "store/store_audit.h"
#include "store/store_report.h"
#include "tests/core/case_fixture.h"
#include "tests/test_db.h"
#include "util/datetime.h"

static char path[256];

static int setup(void **st) {
    (void)st;
    test_db_new(path, sizeof path, "store");
    return 0;
}

static int teardown(void **st) {
    (void)st;
    test_db_remove(path);
    return 0;
}

static store *open_db(void) {
    store *s = NULL;
    err e = {0};
    if (store_open(path, NULL, &s, &e)) fail_msg("open: %s", e.msg);
    return s;
}

static void add_units(store *s) {
    err e = {0};
    assert_int_equal(store_unit_add(s, "cgj", "市城市管理局", UNIT_DEPT, NULL, 0, NULL, &e), 0);
    assert_int_equal(store_unit_add(s, "hyj", "河阳街道", UNIT_TOWNSHIP, NULL, 0, NULL, &e), 0);
    assert_int_equal(store_unit_add(s, "zjj", "市住房和城乡建设局", UNIT_DEPT, NULL, 0, NULL, &e), 0);
}

static int64_t create(store *s, const char *at, case_class cl) {
    case_rec c = {0};
    err e = {0};
    c.channel = CH_HOTLINE;
    c.klass = cl;
    c.title = "小区路灯不亮";
    c.requester_name = "王五";
    c.requester_phone = "13700001234";
    c.received_at = T(at);
    if (store_case_create(s, &c, "operator", &e)) fail_msg("create: %s", e.msg);
    return c.id;
}

static int store_act(store *s, int64_t id, case_action a, const char *at, const char *unit, err *e) {
    case_req r;
    case_req_init(&r, a, T(at), "tester");
    r.at_given = true; /* each time is named, as the CLI's --at */
    r.note = "已处理完毕并回复";
    r.satisfaction = SAT_SATISFIED;
    r.solved = 1;
    if (unit && store_unit_find(s, unit, &r.lead, e)) return e->code;
    return store_case_act(s, id, &r, NULL, e);
}

static int count_events(void *ctx, const case_event *ev) {
    (void)ev;
    (*(int *)ctx)++;
    return 0;
}

static void lifecycle_and_chain(void **st) {
    (void)st;
    store *s = open_db();
    err e = {0};
    add_units(s);
    int64_t id = create(s, "2026-03-02T09:30", CL_GENERAL);
    int64_t id2 = create(s, "2026-03-02T10:30", CL_GENERAL);
    case_rec c;
    assert_int_equal(store_case_get(s, id2, &c, &e), 0);
    assert_str(c.case_no, "MZ20260302-0002");
    case_rec_clear(&c);
    case_req r;
    case_req_init(&r, ACT_DISPATCH, T("2026-03-02T10:00"), "dispatcher");
    assert_int_equal(store_unit_find(s, "cgj", &r.lead, &e), 0);
    assert_int_equal(store_unit_find(s, "hyj", &r.assist[0], &e), 0);
    r.n_assist = 1;
    assert_int_equal(store_case_act(s, id, &r, &c, &e), 0);
    assert_str(c.lead.code, "cgj");
    assert_int_equal(c.n_assist, 1);
    assert_str(c.assist[0].name, "河阳街道");
    case_rec_clear(&c);
    assert_int_equal(store_act(s, id, ACT_ACCEPT, "2026-03-02T11:00", NULL, &e), 0);
    assert_int_equal(store_act(s, id, ACT_RESOLVE, "2026-03-04T11:00", NULL, &e), 0);
    assert_int_equal(store_act(s, id, ACT_VISIT, "2026-03-05T11:00", NULL, &e), 0);
    assert_int_equal(store_act(s, id, ACT_CLOSE, "2026-03-05T12:00", NULL, &e), 0);
    int n = 0;
    assert_int_equal(store_case_events(s, id, count_events, &n, &e), 0);
    assert_int_equal(n, 6);
    assert_int_equal(store_case_get(s, id, &c, &e), 0);
    assert_int_equal(c.status, ST_CLOSED);
    assert_int_equal(c.event_count, 6);
    assert_str(c.requester_phone, "13700001234"); /* stored in full; masked on output */
    case_rec_clear(&c);
    store_audit a;
    assert_int_equal(store_audit_verify(s, &a, &e), 0);
    assert_int_equal(a.bad_case, 0);
    assert_int_equal(a.cases, 2);
    assert_int_equal(a.events, 7);
    store_close(s);
}

static void refused_actions_write_nothing(void **st) {
    (void)st;
    store *s = open_db();
    err e = {0};
    add_units(s);
    int64_t id = create(s, "2026-03-02T09:30", CL_GENERAL);
    unsigned char before[32], after[32];
    store_close(s);
    test_db_digest(path, before);
    s = open_db();
    assert_int_equal(store_act(s, id, ACT_ACCEPT, "2026-03-02T10:00", NULL, &e), ERR_CONFLICT);
    assert_int_equal(store_act(s, id, ACT_DISPATCH, "2026-03-02T10:00", "nosuch", &e), ERR_NOTFOUND);
    assert_int_equal(store_act(s, id, ACT_DISPATCH, "2026-03-01T10:00", "cgj", &e), ERR_INVALID);
    assert_int_equal(store_act(s, 999, ACT_DISPATCH, "2026-03-02T10:00", "cgj", &e), ERR_NOTFOUND);
    assert_int_equal(store_unit_add(s, "cgj", "重复", UNIT_DEPT, NULL, 0, NULL, &e), ERR_CONFLICT);
    assert_int_equal(store_unit_add(s, "bad code", "x", UNIT_DEPT, NULL, 0, NULL, &e), ERR_INVALID);
    case_rec c = {0};
    c.channel = CH_HOTLINE;
    c.klass = CL_GENERAL;
    c.title = "";
    c.received_at = T("2026-03-02T09:30");
    assert_int_equal(store_case_create(s, &c, "op", &e), ERR_INVALID);
    assert_str(e.field, "title");
    /* inside a batch, a failed operation is undone alone */
    assert_int_equal(store_begin(s, &e), 0);
    assert_int_equal(store_act(s, id, ACT_ACCEPT, "2026-03-02T10:00", NULL, &e), ERR_CONFLICT);
    store_rollback(s);
    store_close(s);
    test_db_digest(path, after);
    assert_memory_equal(before, after, 32);
}

static void exec_raw(const char *sql) { test_db_exec(path, sql); }

static void verify(int64_t *bad_case, int *bad_seq, char *why, size_t whysz) {
    store *s = open_db();
    store_audit a;
    err e = {0};
    assert_int_equal(store_audit_verify(s, &a, &e), 0);
    *bad_case = a.bad_case;
    *bad_seq = a.bad_seq;
    snprintf(why, whysz, "%s", a.why);
    store_close(s);
}

static void tamper_detection(void **st) {
    (void)st;
    store *s = open_db();
    err e = {0};
    add_units(s);
    for (int i = 0; i < 3; i++) {
        int64_t id = create(s, "2026-03-02T09:30", CL_GENERAL);
        assert_int_equal(store_act(s, id, ACT_DISPATCH, "2026-03-02T10:00", "cgj", &e), 0);
        assert_int_equal(store_act(s, id, ACT_ACCEPT, "2026-03-02T11:00", NULL, &e), 0);
    }
    store_close(s);
    int64_t bad;
    int seq;
    char why[160];
    verify(&bad, &seq, why, sizeof why);
    assert_int_equal(bad, 0);
    /* edit a payload in the middle of case 2's chain */
    exec_raw("UPDATE events SET payload = '{\"note\":\"改\"}' WHERE case_id = 2 AND seq = 2");
    verify(&bad, &seq, why, sizeof why);
    assert_int_equal(bad, 2);
    assert_int_equal(seq, 2);
    assert_non_null(strstr(why, "hash"));
    /* a forged event with a recomputed-looking hash breaks the next link */
    exec_raw("UPDATE events SET payload = (SELECT payload FROM events WHERE case_id = 1 AND seq = 2)"
             " WHERE case_id = 2 AND seq = 2");
    verify(&bad, &seq, why, sizeof why);
    assert_int_equal(bad, 0); /* payloads equal again: restored */
    exec_raw("DELETE FROM events WHERE case_id = 3 AND seq = 2");
    verify(&bad, &seq, why, sizeof why);
    assert_int_equal(bad, 3);
    assert_int_equal(seq, 3);
    assert_non_null(strstr(why, "sequence"));
    exec_raw("DELETE FROM events WHERE case_id = 3 AND seq = 3");
    verify(&bad, &seq, why, sizeof why);
    assert_int_equal(bad, 3);
    assert_non_null(strstr(why, "newest event"));
    exec_raw("UPDATE events SET actor = 'mallory' WHERE case_id = 1 AND seq = 3");
    verify(&bad, &seq, why, sizeof why);
    assert_int_equal(bad, 1);
    assert_int_equal(seq, 3);
}

/* The free text of an event, erased as a lawful deletion would: its keyed
 * digest stays in its place. */
static void erase_event_text(int64_t case_id, int seq) {
    db *d = test_db_connect(path);
    db_stmt *st;
    err e = {0};
    unsigned char key[32], digest[32];
    size_t n;
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT c.text_key, e.text FROM cases c JOIN events e ON e.case_id = c.id"
                              " WHERE c.id = %lld AND e.seq = %d", (long long)case_id, seq);
    assert_int_equal(db_prepare(d, sql, 0, &st, &e), 0);
    assert_int_equal(db_first(st, &e), 0);
    const void *k = db_col_blob(st, 0, &n);
    assert_int_equal(n, 32);
    memcpy(key, k, 32);
    assert_non_null(db_col_text(st, 1));
    audit_text_digest(db_col_text(st, 1), key, digest);
    db_finalize(st);
    assert_int_equal(db_prepare(d, "UPDATE events SET text = NULL, text_digest = ?1"
                                   " WHERE case_id = ?2 AND seq = ?3", 0, &st, &e), 0);
    db_bind_blob(st, 1, digest, 32);
    db_bind_int(st, 2, case_id);
    db_bind_int(st, 3, seq);
    assert_int_equal(db_run(st, &e), 0);
    db_finalize(st);
    db_close(d);
}

static void erased_text_still_verifies(void **st) {
    (void)st;
    store *s = open_db();
    err e = {0};
    add_units(s);
    int64_t id = create(s, "2026-03-02T09:30", CL_GENERAL); /* title: 小区路灯不亮 */
    assert_int_equal(store_act(s, id, ACT_DISPATCH, "2026-03-02T10:00", "cgj", &e), 0);
    assert_int_equal(store_act(s, id, ACT_ACCEPT, "2026-03-02T11:00", NULL, &e), 0);
    case_req r;
    case_req_init(&r, ACT_FEEDBACK, T("2026-03-02T12:00"), "handler");
    r.note = "已联系王五 13700001234，明天到场";
    assert_int_equal(store_case_act(s, id, &r, NULL, &e), 0);
    /* the note is stored apart from the payload, and read back as one */
    assert_int_equal(test_db_int(path, "SELECT count(*) FROM events WHERE scheme = 2"
                                       " AND payload NOT LIKE '%13700001234%'"
                                       " AND text LIKE '%13700001234%'"), 1);
    store_close(s);
    int64_t bad;
    int seq;
    char why[160];
    verify(&bad, &seq, why, sizeof why);
    assert_int_equal(bad, 0);
    /* erase the note and the title: the chain still holds */
    erase_event_text(id, 4);
    erase_event_text(id, 1);
    assert_int_equal(test_db_int(path, "SELECT count(*) FROM events WHERE text LIKE '%1370000%'"), 0);
    verify(&bad, &seq, why, sizeof why);
    if (bad) fail_msg("erasure broke the chain: %s", why);
    /* but text cannot be changed, nor dropped without its digest */
    exec_raw("UPDATE events SET text = '{\"note\":\"改过\"}' WHERE case_id = 1 AND seq = 3");
    verify(&bad, &seq, why, sizeof why);
    assert_int_equal(bad, 1);
    assert_int_equal(seq, 3);
    exec_raw("UPDATE events SET text = '{\"note\":\"已处理完毕并回复\"}' WHERE case_id = 1 AND seq = 3");
    verify(&bad, &seq, why, sizeof why);
    if (bad) fail_msg("restored, still broken at %d: %s", seq, why);
    exec_raw("UPDATE events SET text = NULL WHERE case_id = 1 AND seq = 3");
    verify(&bad, &seq, why, sizeof why);
    assert_int_equal(bad, 1);
    assert_int_equal(seq, 3);
    exec_raw("UPDATE events SET text = '{\"note\":\"已处理完毕并回复\"}' WHERE case_id = 1 AND seq = 3");
    exec_raw("CREATE TABLE keep_digest AS SELECT text_digest FROM events WHERE case_id = 1 AND seq = 4");
    exec_raw("UPDATE events SET text_digest = NULL WHERE case_id = 1 AND seq = 4");
    verify(&bad, &seq, why, sizeof why);
    assert_int_equal(bad, 1);
    assert_int_equal(seq, 4);
    exec_raw("UPDATE events SET text_digest = (SELECT text_digest FROM keep_digest) WHERE case_id = 1 AND seq = 4");
    /* a case's key replaced: every digest it keys fails */
    s = open_db();
    int64_t id2 = create(s, "2026-03-03T09:30", CL_GENERAL);
    store_close(s);
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE cases SET text_key = (SELECT text_key FROM cases WHERE id = 1)"
                              " WHERE id = %lld", (long long)id2);
    exec_raw(sql);
    verify(&bad, &seq, why, sizeof why);
    assert_int_equal(bad, id2);
    assert_non_null(strstr(why, "hash"));
}

/* Writes a dispatched case the way a version-1 duban did: raw rows in the v1
 * schema, with a valid event chain built by the core. */
static void write_v1_case(void) {
    fixture *f = fixture_new();
    case_rec c = {0};
    case_event ev[2] = {{0}};
    c.id = 1;
    snprintf(c.case_no, sizeof c.case_no, "MZ20260302-0001");
    c.channel = CH_HOTLINE;
    c.klass = CL_GENERAL;
    c.title = strdup("老版本写入的诉求");
    c.received_at = T("2026-03-02T09:30");
    assert_int_equal(case_create(&c, &f->env, "op", &ev[0], NULL), 0);
    case_req r;
    case_req_init(&r, ACT_DISPATCH, T("2026-03-02T10:00"), "dispatcher");
    r.lead = unit(1, "cgj");
    assert_int_equal(case_apply(&c, &r, &f->env, &ev[1], NULL), 0);
    for (int i = 0; i < 2; i++) {
        /* scheme 1: the free text inside the payload, hashed as it is */
        json_t *full = case_event_payload(&ev[i]);
        free(ev[i].payload);
        free(ev[i].text);
        ev[i].payload = json_dumps(full, JSON_COMPACT);
        ev[i].text = NULL;
        ev[i].scheme = AUDIT_SCHEME_PLAIN;
        json_decref(full);
        ev[i].case_id = 1;
        if (i) memcpy(ev[i].prev_hash, ev[i - 1].hash, 32);
        audit_hash_event(&ev[i], NULL);
    }
    db *d = test_db_connect(path);
    db_stmt *st;
    err e = {0};
    assert_int_equal(db_exec(d, "INSERT INTO units(id, code, name, kind, created_at)"
                                " VALUES(1, 'cgj', '市城市管理局', 'dept', 0)", &e), 0);
    assert_int_equal(db_prepare(d,
        "INSERT INTO cases(id, case_no, channel, class, status, title, lead_unit_id, received_at,"
        " dispatched_at, updated_at, dispatch_due, accept_due, feedback_due, resolve_due,"
        " event_count, last_hash) VALUES(1, ?1, 'hotline', 'general', 'dispatched', ?2, 1, ?3, ?4,"
        " ?4, ?5, ?6, ?7, ?8, 2, ?9)", 0, &st, &e), 0);
    db_bind_text(st, 1, c.case_no);
    db_bind_text(st, 2, c.title);
    db_bind_int(st, 3, c.received_at);
    db_bind_int(st, 4, c.dispatched_at);
    for (int k = 0; k < DUE_COUNT; k++) db_bind_int(st, 5 + k, c.due[k]);
    db_bind_blob(st, 9, ev[1].hash, 32);
    assert_int_equal(db_run(st, &e), 0);
    db_finalize(st);
    assert_int_equal(db_exec(d, "INSERT INTO case_units(case_id, unit_id, role, assigned_at)"
                                " VALUES(1, 1, 'lead', 1772416800)", &e), 0);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(db_prepare(d,
            "INSERT INTO events(case_id, seq, actor, at, action, from_status, to_status, payload,"
            " prev_hash, hash) VALUES(1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", 0, &st, &e), 0);
        db_bind_int(st, 1, ev[i].seq);
        db_bind_text(st, 2, ev[i].actor);
        db_bind_int(st, 3, ev[i].at);
        db_bind_text(st, 4, case_action_name(ev[i].action));
        db_bind_text(st, 5, i ? case_status_name(ev[i].from) : NULL);
        db_bind_text(st, 6, case_status_name(ev[i].to));
        db_bind_text(st, 7, ev[i].payload);
        db_bind_blob(st, 8, ev[i].prev_hash, 32);
        db_bind_blob(st, 9, ev[i].hash, 32);
        if (db_run(st, &e)) fail_msg("v1 event: %s", e.msg);
        db_finalize(st);
        case_event_clear(&ev[i]);
    }
    db_close(d);
    case_rec_clear(&c);
    fixture_free(f);
}

typedef struct ids { int64_t v[256]; int n; } ids;

static int collect_id(void *ctx, const case_rec *c) {
    ids *x = ctx;
    if (x->n < 256) x->v[x->n++] = c->id;
    return 0;
}

static void migrates_an_old_schema(void **st) {
    (void)st;
    store *s = NULL;
    err e = {0};
    store_opts v1 = {.max_version = 1};
    assert_int_equal(store_open(path, &v1, &s, &e), 0);
    assert_int_equal(store_schema_version(s), 1);
    store_close(s);
    write_v1_case();
    s = open_db();
    assert_int_equal(store_schema_version(s), store_latest_version());
    assert_true(store_latest_version() >= 3);
    case_rec c;
    assert_int_equal(store_case_get(s, 1, &c, &e), 0);
    assert_str(c.case_no, "MZ20260302-0001");
    assert_str(c.lead.name, "市城市管理局");
    assert_int_equal(c.alerted, 0);
    case_rec_clear(&c);
    /* migration 34 gave the assignment its case's status: the unit's queue of
     * dispatched cases finds it */
    store_case_filter f = {.status = ST_DISPATCHED, .channel = -1, .klass = -1, .unit_id = 1, .limit = 10};
    ids got = {0};
    assert_int_equal(store_case_list(s, &f, collect_id, &got, &e), 0);
    assert_int_equal(got.n, 1);
    assert_int_equal(got.v[0], 1);
    /* migration 3 packed its metric fields: statistics see the v1 case */
    store_unit_stats *u;
    size_t nu;
    assert_int_equal(store_stats(s, T("2026-03-01"), T("2026-04-01"), T("2026-03-31"), &u, &nu, &e), 0);
    assert_int_equal(nu, 1);
    assert_int_equal(u[0].m.dispatched, 1);
    assert_int_equal(u[0].m.overdue, 1);
    free(u);
    /* migration 2 set the next alert time: the accept deadline (3/3 00:00) turns
     * blue a day before, so a sweep at 3/2 12:00 finds it through the index */
    int64_t raised, first;
    assert_int_equal(store_sweep(s, T("2026-03-02T12:00"), &raised, &first, &e), 0);
    assert_int_equal(raised, 1); /* accept blue; feedback (3/6) and resolve not yet */
    assert_int_equal(store_act(s, 1, ACT_ACCEPT, "2026-03-02T13:00", NULL, &e), 0);
    store_audit a;
    assert_int_equal(store_audit_verify(s, &a, &e), 0);
    if (a.bad_case) fail_msg("audit: case %lld: %s", (long long)a.bad_case, a.why);
    assert_int_equal(a.events, 3);
    char rule[32];
    pol_rule_format(&store_env(s)->pol->r[CH_PETITION][CL_GENERAL][POL_RESOLVE], rule);
    assert_str(rule, "60 day");
    store_close(s);
    /* opening again is a no-op */
    s = open_db();
    assert_int_equal(store_schema_version(s), store_latest_version());
    store_close(s);
}

static void policy_and_calendar_persist(void **st) {
    (void)st;
    store *s = open_db();
    err e = {0};
    add_units(s);
    pol_rule r;
    assert_int_equal(pol_rule_parse("5 workday", &r, NULL), 0);
    assert_int_equal(store_policy_set(s, CH_HOTLINE, CL_GENERAL, POL_RESOLVE, &r, &e), 0);
    size_t recomputed;
    cal_year y = {.year = 2027, .n = 2};
    y.days = calloc(2, sizeof *y.days);
    y.days[0] = (cal_day){.day = dt_days_from_civil(2027, 1, 1), .off = true, .name = "元旦"};
    y.days[1] = (cal_day){.day = dt_days_from_civil(2027, 1, 2), .off = false, .name = "元旦"};
    assert_int_equal(store_calendar_import(s, &y, "test", 0, &recomputed, &e), 0);
    store_close(s);
    s = open_db();
    const case_env *env = store_env(s);
    assert_false(cal_is_workday(env->cal, dt_days_from_civil(2027, 1, 1)));
    assert_true(cal_is_workday(env->cal, dt_days_from_civil(2027, 1, 2))); /* a Saturday */
    int64_t id = create(s, "2026-12-31T09:00", CL_GENERAL);
    assert_int_equal(store_act(s, id, ACT_DISPATCH, "2026-12-31T10:00", "cgj", &e), 0);
    case_rec c;
    assert_int_equal(store_case_get(s, id, &c, &e), 0);
    char buf[32];
    dt_format_instant(c.due[DUE_RESOLVE], TZ, buf);
    /* 5 working days after 12/31: 1/2 (Sat, 调休), 1/4, 1/5, 1/6, 1/7 */
    assert_str(buf, "2027-01-08T00:00:00+08:00");
    case_rec_clear(&c);
    /* replacing a year drops its old days */
    y.n = 1;
    assert_int_equal(store_calendar_import(s, &y, "test", 0, &recomputed, &e), 0);
    assert_int_equal(recomputed, 0); /* counted with 2027 known: nothing provisional */
    assert_false(cal_is_workday(store_env(s)->cal, dt_days_from_civil(2027, 1, 2)));
    cal_year_clear(&y);
    store_close(s);
}

static void sweep_is_idempotent(void **st) {
    (void)st;
    store *s = open_db();
    err e = {0};
    add_units(s);
    int64_t a = create(s, "2026-03-02T09:30", CL_GENERAL);
    int64_t b = create(s, "2026-03-02T09:40", CL_GENERAL);
    assert_int_equal(store_act(s, b, ACT_DISPATCH, "2026-03-02T10:00", "cgj", &e), 0);
    (void)a;
    int64_t raised, first;
    /* 3/2 12:00: both due at 3/3 00:00 -> two blue notices */
    assert_int_equal(store_sweep(s, T("2026-03-02T12:00"), &raised, &first, &e), 0);
    assert_int_equal(raised, 2);
    assert_int_equal(store_sweep(s, T("2026-03-02T12:00"), &raised, &first, &e), 0);
    assert_int_equal(raised, 0);
    assert_int_equal(store_sweep(s, T("2026-03-03T08:00"), &raised, &first, &e), 0);
    assert_int_equal(raised, 2); /* two yellows */
    assert_int_equal(store_sweep(s, T("2026-03-05T12:00"), &raised, &first, &e), 0);
    assert_int_equal(raised, 1); /* case b's feedback (due 3/6 00:00) turns blue */
    assert_int_equal(store_sweep(s, T("2026-03-05T23:59"), &raised, &first, &e), 0);
    assert_int_equal(raised, 0); /* reds come three days after the deadline (3/6 00:00), not the yellow */
    assert_int_equal(store_sweep(s, T("2026-03-06T07:59"), &raised, &first, &e), 0);
    assert_int_equal(raised, 3); /* b's feedback turns yellow; the two reds */
    assert_int_equal(store_sweep(s, T("2026-03-06T08:00"), &raised, &first, &e), 0);
    assert_int_equal(raised, 0);
    store_summary sum;
    assert_int_equal(store_summary_get(s, T("2026-03-06T08:00"), &sum, &e), 0);
    assert_int_equal(sum.notices, 8);
    assert_int_equal(sum.overdue, 2);
    store_close(s);
}

static void stats_count_returns(void **st) {
    (void)st;
    store *s = open_db();
    err e = {0};
    add_units(s);
    int64_t a = create(s, "2026-03-02T09:30", CL_GENERAL);
    int64_t b = create(s, "2026-03-02T09:40", CL_GENERAL);
    assert_int_equal(store_act(s, a, ACT_DISPATCH, "2026-03-02T10:00", "cgj", &e), 0);
    assert_int_equal(store_act(s, a, ACT_RETURN, "2026-03-02T11:00", NULL, &e), 0);
    assert_int_equal(store_act(s, a, ACT_DISPATCH, "2026-03-02T12:00", "zjj", &e), 0);
    assert_int_equal(store_act(s, b, ACT_DISPATCH, "2026-03-02T10:00", "cgj", &e), 0);
    assert_int_equal(store_act(s, b, ACT_ACCEPT, "2026-03-02T10:30", NULL, &e), 0);
    store_unit_stats *u;
    size_t n;
    assert_int_equal(store_stats(s, T("2026-03-01"), T("2026-04-01"), T("2026-03-31"), &u, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_str(u[0].unit.code, "cgj");
    assert_int_equal(u[0].m.dispatched, 2);
    assert_int_equal(u[0].m.returned, 1);
    assert_int_equal(u[0].m.accepted_on_time, 1);
    assert_str(u[1].unit.code, "zjj");
    assert_int_equal(u[1].m.dispatched, 1);
    assert_int_equal(u[1].m.returned, 0);
    assert_int_equal(u[1].m.overdue, 1);
    free(u);
    store_close(s);
}

/* ---- figures as of any moment --------------------------------------------- */

/* A random walk of actions over a few cases, the clock moving forward; at
 * checkpoints the figures as of that moment are taken, and after every later
 * action they must be the same, byte for byte: a figure as of T is a
 * function of what had happened by T. Then the history the migration
 * writes from the events equals the one the actions wrote. */
static uint64_t rnd_state;
static uint32_t rnd(uint32_t n) {
    rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rnd_state >> 33) % n;
}

static int act_at(store *s, int64_t id, case_action a, int64_t at, err *e) {
    static const char *const units[] = {"cgj", "hyj", "zjj"};
    static const case_satisfaction sats[] = {SAT_SATISFIED, SAT_BASIC, SAT_UNSATISFIED};
    case_req r;
    case_req_init(&r, a, at, "tester");
    r.at_given = true;
    r.note = "已处理完毕并回复群众";
    r.satisfaction = sats[rnd(3)];
    r.solved = (int)rnd(2);
    int tz = store_env(s)->tz;
    if (a == ACT_REQUEST_EXTENSION || a == ACT_PROPOSE_PLAN) r.until = dt_local_day(at, tz) + 3 + (int32_t)rnd(10);
    if ((a == ACT_DISPATCH || a == ACT_REASSIGN) && store_unit_find(s, units[rnd(3)], &r.lead, e)) return e->code;
    return store_case_act(s, id, &r, NULL, e);
}

typedef struct figures_at {
    int64_t at;
    store_unit_stats *u[3];
    size_t n[3];
} figures_at;

static const char *const periods[3][2] = {
    {"2026-03-01", "2026-04-01"}, {"2026-04-01", "2026-05-01"}, {"2026-03-10", "2026-03-20"}};

static void take(store *s, figures_at *f, int64_t at) {
    err e = {0};
    f->at = at;
    for (int p = 0; p < 3; p++)
        if (store_stats(s, T(periods[p][0]), T(periods[p][1]), at, &f->u[p], &f->n[p], &e))
            fail_msg("stats: %s", e.msg);
}

static void same_figures(const figures_at *a, const figures_at *b) {
    for (int p = 0; p < 3; p++) {
        if (a->n[p] != b->n[p]) fail_msg("as of %lld, period %d: %zu units, then %zu", (long long)a->at, p, a->n[p], b->n[p]);
        for (size_t i = 0; i < a->n[p]; i++)
            if (strcmp(a->u[p][i].unit.code, b->u[p][i].unit.code) ||
                memcmp(&a->u[p][i].m, &b->u[p][i].m, sizeof a->u[p][i].m))
                fail_msg("as of %lld, period %d: %s's figures changed after the moment", (long long)a->at, p,
                         a->u[p][i].unit.code);
    }
}

static void free_figures(figures_at *f) {
    for (int p = 0; p < 3; p++) free(f->u[p]);
}

typedef struct hist_row {
    int64_t id, fig_until;
    unsigned char *h;
    size_t n;
} hist_row;

static size_t read_histories(hist_row *rows, size_t max) {
    db *d = NULL;
    db_stmt *q = NULL;
    db_opts o = {.must_exist = true};
    size_t n = 0;
    assert_int_equal(db_open(path, &o, &d, NULL), 0);
    assert_int_equal(db_prepare(d, "SELECT id, fig_until, history FROM cases ORDER BY id", 0, &q, NULL), 0);
    while (db_step(q, NULL) == DB_ROW && n < max) {
        size_t len;
        const void *b = db_col_blob(q, 2, &len);
        rows[n] = (hist_row){db_col_int(q, 0), db_col_int(q, 1), NULL, db_col_null(q, 2) ? 0 : len};
        if (rows[n].n && (rows[n].h = malloc(len))) memcpy(rows[n].h, b, len);
        n++;
    }
    db_finalize(q);
    db_close(d);
    return n;
}

static void figures_as_of_any_moment(void **st) {
    (void)st;
    static const case_action acts[] = {
        ACT_DISPATCH, ACT_DISPATCH, ACT_ACCEPT, ACT_ACCEPT, ACT_FEEDBACK, ACT_REQUEST_EXTENSION,
        ACT_APPROVE_EXTENSION, ACT_DENY_EXTENSION, ACT_PROPOSE_PLAN, ACT_APPROVE_PLAN, ACT_REASSIGN, ACT_RETURN,
        ACT_RESOLVE, ACT_RESOLVE, ACT_VISIT, ACT_VISIT, ACT_REOPEN, ACT_REQUEST_REVIEW, ACT_UPHOLD_REVIEW,
        ACT_REJECT_REVIEW, ACT_CLOSE, ACT_URGE, ACT_UNREACHABLE, ACT_CLOSE_UNREACHABLE};
    for (uint64_t seed = 1; seed <= 3; seed++) {
        rnd_state = seed * 0x9e3779b97f4a7c15ULL;
        store *s = open_db();
        err e = {0};
        if (seed == 1) add_units(s);
        int64_t cases[24];
        int64_t t = T("2026-03-01T08:00") + (int64_t)(seed - 1) * 86400;
        for (int i = 0; i < 24; i++) {
            char when[32];
            snprintf(when, sizeof when, "2026-03-%02dT%02d:00", 1 + (int)seed + i, 8 + (int)rnd(8));
            cases[i] = create(s, when, rnd(5) ? CL_GENERAL : CL_URGENT);
        }
        figures_at f[12];
        int nf = 0, applied = 0;
        for (int step = 0; step < 600; step++) {
            t += 600 + rnd(14 * 3600);
            int64_t id = cases[rnd(24)];
            case_rec c;
            assert_int_equal(store_case_get(s, id, &c, &e), 0);
            case_action a = acts[rnd(sizeof acts / sizeof *acts)];
            for (int tries = 0; tries < 8 && !case_action_allowed(c.status, a); tries++)
                a = acts[rnd(sizeof acts / sizeof *acts)];
            case_rec_clear(&c);
            if (!act_at(s, id, a, t, &e)) applied++;
            if (step % 50 == 49 && nf < 12) take(s, &f[nf++], t - rnd(3 * 3600));
        }
        if (applied < 150) fail_msg("seed %llu: %d actions taken of 600", (unsigned long long)seed, applied);
        for (int k = 0; k < nf; k++) {
            figures_at now;
            take(s, &now, f[k].at);
            same_figures(&f[k], &now);
            free_figures(&now);
        }
        /* the migration's history, written from the events, is the actions' */
        static hist_row before[256], after[256];
        size_t nb = read_histories(before, 256);
        store_close(s);
        test_db_exec(path, "UPDATE cases SET history = NULL, fig_until = 0");
        s = open_db();
        assert_int_equal(st_seed_history(s, &e), 0);
        size_t na = read_histories(after, 256);
        assert_int_equal(na, nb);
        for (size_t i = 0; i < nb; i++) {
            if (before[i].n != after[i].n || (before[i].n && memcmp(before[i].h, after[i].h, before[i].n)))
                fail_msg("case %lld: the history from its events differs from the actions' (%zu, %zu bytes)",
                         (long long)before[i].id, before[i].n, after[i].n);
            assert_int_equal(before[i].fig_until, after[i].fig_until);
            free(before[i].h);
            free(after[i].h);
        }
        for (int k = 0; k < nf; k++) {
            figures_at now;
            take(s, &now, f[k].at);
            same_figures(&f[k], &now);
            free_figures(&now);
            free_figures(&f[k]);
        }
        store_close(s);
    }
}

/* Text search on either driver (FTS5 trigram phrases; pg_trgm under ILIKE)
 * finds exactly the cases whose title or description holds the text: 3 or
 * more characters without regard to ASCII case, fewer as they are; LIKE's
 * and FTS5's own characters in the text are only characters. */
static void search_finds_exactly_the_substrings(void **st) {
    (void)st;
    static const char *const titles[][2] = {
        {"韩愈大街路灯不亮", NULL},          {"韩愈大街路灯不亮了，晚上很黑", "已报修两次"},
        {"小区路灯坏了", "韩愈大街东段"},     {"路灯", NULL},
        {"CBD 广场 LED 屏太亮", "夜里12点还亮"}, {"cbd广场led屏", NULL},
        {"减免100%物业费？", "50% 也行"},       {"下划线_测试 a_b", "路径 C:\\temp"},
        {"引号\"测试\"与'单引号'", NULL},      {"会议室预约", "路灯不亮就报修"},
        {"不亮", NULL},                       {"亮", "灯"},
    };
    static const char *const queries[] = {
        "路灯不亮", "韩愈大街", "路灯", "不亮", "亮", "led", "LED", "Cbd", "cbd广场",
        "100%", "0%", "%", "_", "a_b", "a%b", "\\temp", "\"测试\"", "'单引号'", "路灯坏", "不存在的词",
    };
    store *s = open_db();
    err e = {0};
    int64_t id[sizeof titles / sizeof *titles];
    for (size_t i = 0; i < sizeof titles / sizeof *titles; i++) {
        case_rec c = {0};
        c.channel = CH_HOTLINE;
        c.klass = CL_GENERAL;
        c.title = (char *)titles[i][0];
        c.description = (char *)titles[i][1];
        c.received_at = T("2026-03-02T09:30") + (int64_t)i;
        if (store_case_create(s, &c, "operator", &e)) fail_msg("create: %s", e.msg);
        id[i] = c.id;
    }
    /* first before the index has them (read directly), then through it */
    for (int pass = 0; pass < 2; pass++)
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        if (pass == 1 && q == 0) {
            int n;
            assert_int_equal(store_text_index(s, 1000, &n, &e), 0);
            if (!getenv("DUBAN_TEST_PG")) assert_int_equal(n, (int)(sizeof titles / sizeof *titles));
        }
        const char *text = queries[q];
        size_t chars = 0;
        for (const char *p = text; *p; p++) chars += ((unsigned char)*p & 0xc0) != 0x80;
        ids want = {0}, got = {0};
        for (size_t i = 0; i < sizeof titles / sizeof *titles; i++) {
            bool hit = false;
            for (int f = 0; f < 2; f++)
                if (titles[i][f])
                    hit |= (chars >= 3 ? strcasestr(titles[i][f], text) : strstr(titles[i][f], text)) != NULL;
            if (hit) want.v[want.n++] = id[i];
        }
        store_case_filter flt = {.status = -1, .channel = -1, .klass = -1, .text = text, .limit = 1000};
        assert_int_equal(store_case_list(s, &flt, collect_id, &got, &e), 0);
        if (got.n != want.n || memcmp(got.v, want.v, sizeof *got.v * (size_t)got.n) != 0)
            fail_msg("'%s' (pass %d): %d cases found, %d hold it", text, pass, got.n, want.n);
    }
    store_close(s);
}

/* Each connection caches calendar and policy; an edit through another
 * connection (another server worker, or the CLI) must reach it. */
static void edits_reach_other_connections(void **st) {
    (void)st;
    store *a = open_db(), *b = open_db();
    err e = {0};
    pol_rule r;
    char text[32];
    assert_int_equal(pol_rule_parse("5 workday", &r, NULL), 0);
    assert_int_equal(store_policy_set(a, CH_QR, CL_GENERAL, POL_RESOLVE, &r, &e), 0);
    /* each request starts with a read, which hears of the change as soon as
     * its notice arrives (PostgreSQL; at once on SQLite): bounded wait */
    for (int i = 0; i < 300; i++) {
        assert_int_equal(store_read_begin(b, &e), 0);
        pol_rule_format(&store_env(b)->pol->r[CH_QR][CL_GENERAL][POL_RESOLVE], text);
        store_read_end(b);
        if (!strcmp(text, "5 workday")) break;
        usleep(10000);
    }
    assert_str(text, "5 workday");
    assert_int_equal(store_config_set(a, "tz_offset", "+09:00", T("2026-03-02"), &e), 0);
    assert_int_equal(store_refresh(b, &e), 0);
    assert_int_equal(store_env(b)->tz, 9 * 3600);
    size_t recomputed;
    cal_year y = {.year = 2027, .n = 1};
    y.days = calloc(1, sizeof *y.days);
    y.days[0] = (cal_day){.day = dt_days_from_civil(2027, 3, 3), .off = true, .name = "测试"};
    assert_int_equal(store_calendar_import(a, &y, "test", 0, &recomputed, &e), 0);
    cal_year_clear(&y);
    /* a write on b starts from the latest state at once, notice or not */
    case_rec c = {0};
    c.channel = CH_QR;
    c.klass = CL_GENERAL;
    c.title = "t";
    c.received_at = T("2027-03-02T10:00");
    assert_int_equal(store_case_create(b, &c, "t", &e), 0);
    assert_false(cal_is_workday(store_env(b)->cal, dt_days_from_civil(2027, 3, 3)));
    store_close(a);
    store_close(b);
}

/* The cases of one status, from a list of every status (the status wanted
 * is in the context's `want`). */
typedef struct of_status { ids all; case_status want; } of_status;

static int collect_if_status(void *ctx, const case_rec *c) {
    of_status *x = ctx;
    if (c->status == x->want) collect_id(&x->all, c);
    return 0;
}

/* The class behind "a unit's queue of one status walks its history": each
 * open assignment carries its case's status (migration 34) through every
 * move — accept, resolve, close, a return, a reassignment, an assist's
 * row, and what a node of the version before writes without it — so a
 * unit's page of one status, in each order, holds exactly the unit's cases
 * of that status; and so does the page of one status over every unit (read
 * by its own index, migration 36). */
static void a_units_queue_by_status_follows_its_cases(void **st) {
    (void)st;
    store *s = open_db();
    err e = {0};
    add_units(s);
    int64_t id[10];
    for (int i = 0; i < 10; i++) {
        char at[32];
        snprintf(at, sizeof at, "2026-03-02T%02d:00", 8 + i);
        id[i] = create(s, at, CL_GENERAL);
    }
    for (int i = 0; i < 9; i++) { /* all but the last dispatched to cgj, hyj assisting the even ones */
        case_req r;
        case_req_init(&r, ACT_DISPATCH, T("2026-03-02T19:00"), "dispatcher");
        r.at_given = true;
        assert_int_equal(store_unit_find(s, "cgj", &r.lead, &e), 0);
        if (i % 2 == 0) {
            assert_int_equal(store_unit_find(s, "hyj", &r.assist[0], &e), 0);
            r.n_assist = 1;
        }
        assert_int_equal(store_case_act(s, id[i], &r, NULL, &e), 0);
    }
    for (int i = 0; i < 6; i++) assert_int_equal(store_act(s, id[i], ACT_ACCEPT, "2026-03-03T09:00", NULL, &e), 0);
    for (int i = 0; i < 4; i++) assert_int_equal(store_act(s, id[i], ACT_RESOLVE, "2026-03-04T09:00", NULL, &e), 0);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(store_act(s, id[i], ACT_VISIT, "2026-03-05T09:00", NULL, &e), 0);
        assert_int_equal(store_act(s, id[i], ACT_CLOSE, "2026-03-05T10:00", NULL, &e), 0);
    }
    assert_int_equal(store_act(s, id[4], ACT_REASSIGN, "2026-03-03T10:00", "zjj", &e), 0); /* accepted → zjj */
    assert_int_equal(store_act(s, id[7], ACT_RETURN, "2026-03-03T10:00", NULL, &e), 0);     /* back to 12345 */
    assert_int_equal(store_act(s, id[5], ACT_RESOLVE, "2026-03-05T09:00", NULL, &e), 0);
    /* a node of the version before, on the same database, writes no status on
     * the assignments: a case accepted there, and a unit assigned there */
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE cases SET status = 'accepted' WHERE id = %lld", (long long)id[6]);
    exec_raw(sql);
    snprintf(sql, sizeof sql, "INSERT INTO case_units(case_id, unit_id, role, assigned_at)"
             " SELECT %lld, id, 'assist', 0 FROM units WHERE code = 'zjj'", (long long)id[9]);
    exec_raw(sql);
    const char *const units[] = {"cgj", "hyj", "zjj", NULL}; /* NULL: every unit's (schema 36) */
    int checked = 0;
    for (size_t u = 0; u < 4; u++) {
        unit_ref ref = {0};
        if (units[u]) assert_int_equal(store_unit_find(s, units[u], &ref, &e), 0);
        for (int status = 0; status < ST_COUNT; status++)
            for (int sort = STORE_SORT_OLDEST; sort <= STORE_SORT_NEXT_DUE; sort++) {
                store_case_filter f = {.status = status, .channel = -1, .klass = -1, .unit_id = ref.id,
                                       .sort = (store_sort)sort, .limit = 50};
                ids got = {0};
                of_status want_ids = {.want = (case_status)status};
                assert_int_equal(store_case_list(s, &f, collect_id, &got, &e), 0);
                f.status = -1; /* the unit's whole queue, its cases of that status picked here */
                assert_int_equal(store_case_list(s, &f, collect_if_status, &want_ids, &e), 0);
                if (got.n != want_ids.all.n)
                    fail_msg("%s %s sort %d: %d cases, want %d", units[u] ? units[u] : "all", case_status_name((case_status)status),
                             sort, got.n, want_ids.all.n);
                assert_memory_equal(got.v, want_ids.all.v, sizeof got.v[0] * (size_t)got.n);
                int64_t n;
                f.status = status;
                assert_int_equal(store_case_count(s, &f, &n, &e), 0);
                assert_int_equal(n, got.n);
                checked += got.n;
            }
    }
    assert_true(checked > 20);
    store_close(s);
}

/* The outbox's claims, as two nodes make them (two connections): a row is
 * held by one node for its lease; a case's later row waits while an earlier
 * one is still to go — leased elsewhere or waiting for a retry — and goes
 * once it is delivered or given up; a row whose node died is claimed again
 * once its lease ends (at least once); rows without a case go as they come. */
static void the_outbox_goes_in_order_per_case(void **st) {
    (void)st;
    store *a = open_db(), *b = open_db();
    err e = {0};
    add_units(a);
    int64_t c1 = create(a, "2026-03-02T09:00", CL_GENERAL), c2 = create(a, "2026-03-02T09:10", CL_GENERAL);
    char sql[512];
    /* ids 1..5: c1, c2, c1, no case, c1 */
    const int64_t of[] = {c1, c2, c1, 0, c1};
    for (int i = 0; i < 5; i++) {
        char id[24] = "NULL";
        if (of[i]) snprintf(id, sizeof id, "%lld", (long long)of[i]);
        snprintf(sql, sizeof sql, "INSERT INTO outbox(id, kind, case_id, body, created_at, not_before, next_at)"
                 " VALUES(%d, 'notice', %s, '{\"n\":%d}', 100, 100, 100)", i + 1, id, i + 1);
        exec_raw(sql);
    }
    store_outbox_row r;
    char *body;
    int64_t now = 1000;
#define CLAIM(s, want_id)                                                        \
    do {                                                                         \
        int rc_ = store_outbox_claim(s, now, &r, &body, &e);                     \
        if (want_id) {                                                           \
            if (rc_) fail_msg("claim: want %d, got error %s", want_id, e.msg);  \
            assert_int_equal(r.id, want_id);                                     \
            free(body);                                                          \
        } else {                                                                 \
            assert_int_equal(rc_, ERR_NOTFOUND);                                 \
        }                                                                        \
    } while (0)
    CLAIM(a, 1);  /* node a: c1's first */
    CLAIM(b, 2);  /* node b: not row 1 (leased) nor 3 (c1's, after 1): c2's */
    assert_int_equal(store_outbox_done(b, 2, now, NULL, 0, &e), 0);
    CLAIM(b, 4);  /* then the one without a case */
    assert_int_equal(store_outbox_done(b, 4, now, NULL, 0, &e), 0);
    CLAIM(b, 0);  /* 3 and 5 wait for 1 */
    assert_int_equal(store_outbox_done(a, 1, now, "the receiver answered 500", now + 30, &e), 0);
    CLAIM(b, 0);  /* 1 waits for its retry: c1's later rows wait behind it */
    now += 31;
    CLAIM(b, 1);  /* its retry, on the other node */
    now += OUTBOX_LEASE_S + 1; /* node b died holding it: the lease ends */
    CLAIM(a, 1);  /* sent again: at least once */
    assert_int_equal(store_outbox_done(a, 1, now, NULL, 0, &e), 0);
    CLAIM(b, 3);  /* now c1's second, and only it */
    CLAIM(a, 0);
    for (int k = 0; k < OUTBOX_MAX_ATTEMPTS; k++) /* given up: the case goes on */
        assert_int_equal(store_outbox_done(b, 3, now, "gone", now, &e), 0);
    CLAIM(a, 5);
#undef CLAIM
    store_close(a);
    store_close(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(lifecycle_and_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(refused_actions_write_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(tamper_detection, setup, teardown),
        cmocka_unit_test_setup_teardown(erased_text_still_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(migrates_an_old_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(policy_and_calendar_persist, setup, teardown),
        cmocka_unit_test_setup_teardown(sweep_is_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(stats_count_returns, setup, teardown),
        cmocka_unit_test_setup_teardown(figures_as_of_any_moment, setup, teardown),
        cmocka_unit_test_setup_teardown(edits_reach_other_connections, setup, teardown),
        cmocka_unit_test_setup_teardown(search_finds_exactly_the_substrings, setup, teardown),
        cmocka_unit_test_setup_teardown(a_units_queue_by_status_follows_its_cases, setup, teardown),
        cmocka_unit_test_setup_teardown(the_outbox_goes_in_order_per_case, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
