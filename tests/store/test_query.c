/* Tests for store/store_query: a statement built from clauses with its
 * values bound by name, on the test's driver. Each name is one parameter
 * however often it is used; a clause left out takes its parameter with it;
 * quoted text and casts are not names; a name without a value, or a text
 * past the limit, fails the statement whole instead of running part of it. */
#include "test.h"

#include "store/store_int.h"
#include "store/store_query.h"
#include "tests/test_db.h"

static char path[512];

static int setup(void **st) {
    (void)st;
    test_db_new(path, sizeof path, "query");
    return 0;
}

static int teardown(void **st) {
    (void)st;
    test_db_remove(path);
    return 0;
}

/* The one row the statement gives, its columns as text joined by "|". */
static void one_row(store *s, st_query *q, char *out, size_t n) {
    db_stmt *st;
    err e = {0};
    if (st_q_prepare(s, q, 0, &st, &e)) fail_msg("prepare: %s (%s)", e.msg, strbuf_str(&q->sql));
    if (db_first(st, &e)) fail_msg("step: %s", e.msg);
    out[0] = '\0';
    for (int i = 0; i < db_col_count(st); i++)
        snprintf(out + strlen(out), n - strlen(out), "%s%s", i ? "|" : "", db_col_null(st, i) ? "NULL" : db_col_text(st, i));
    db_finalize(st);
}

static void names_bind_values(void **st) {
    (void)st;
    store *s;
    err e = {0};
    if (store_open(path, NULL, &s, &e)) fail_msg("open: %s", e.msg);
    st_query q;
    char row[256];
    /* one name twice, given before and after; a cast; ':x' in quotes */
    st_q_init(&q);
    st_q_text(&q, "who", "河阳街道");
    st_q_add(&q, "SELECT :who, CAST(:n AS TEXT), ':x', :who");
    st_q_int(&q, "n", 42);
    assert_string_equal(strbuf_str(&q.sql), "SELECT ?1, CAST(?2 AS TEXT), ':x', ?1");
    one_row(s, &q, row, sizeof row);
    assert_string_equal(row, "河阳街道|42|:x|河阳街道");
    st_q_release(&q);
    /* a name in capitals is a name; a comment is not read for names or quotes */
    st_q_init(&q);
    st_q_add(&q, "SELECT :caseId -- it's :not one\n, 2");
    st_q_int(&q, "caseId", 7);
    assert_string_equal(strbuf_str(&q.sql), "SELECT ?1 -- it's :not one\n, 2");
    one_row(s, &q, row, sizeof row);
    assert_string_equal(row, "7|2");
    st_q_release(&q);
    /* a value given for a clause left out, and an id of 0 as NULL */
    st_q_init(&q);
    st_q_int(&q, "unused", 7);
    st_q_id(&q, "none", 0);
    st_q_add(&q, "SELECT coalesce(CAST(:none AS TEXT), 'none')");
    one_row(s, &q, row, sizeof row);
    assert_string_equal(row, "none");
    st_q_release(&q);
    /* a name with no value: refused, naming it */
    st_q_init(&q);
    st_q_add(&q, "SELECT :given, :missing");
    st_q_int(&q, "given", 1);
    db_stmt *stmt;
    assert_int_equal(st_q_prepare(s, &q, 0, &stmt, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, ":missing"));
    assert_null(stmt);
    st_q_release(&q);
    /* past the limit: the statement fails whole, never runs cut short */
    st_q_init(&q);
    st_q_add(&q, "SELECT 1 WHERE 1 = 1");
    for (int i = 0; i < 10000; i++) st_q_add(&q, " AND %d = %d", i, i);
    st_q_add(&q, " AND 0 = 1"); /* the last clause: cut off, the rows would all come */
    assert_int_equal(st_q_prepare(s, &q, 0, &stmt, &e), ERR_TOO_LARGE);
    assert_null(stmt);
    st_q_release(&q);
    store_close(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(names_bind_values, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
