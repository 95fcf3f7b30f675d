/* What most API suites share: a demo database (its target in dbt) and the
 * server on it (S), the last reply (R), J() to read it as JSON, want() to
 * check its status, and the teardown that stops the server (it must exit
 * cleanly) and removes the database. A suite's setup starts the server
 * (demo_server) and signs in whom it needs; list_cases pages through a list. */
#ifndef DUBAN_TEST_DEMO_SUITE_H
#define DUBAN_TEST_DEMO_SUITE_H

#include "tests/http/server_fixture.h"

static char dbt[256];
static server S;
static reply R;

static inline json_t *J(void) { return reply_json(&R); }
#define want(status, what) reply_expect(&R, status, what)

/* Every case a session may list for a query, page by page (an array, owned). */
static inline json_t *list_cases(const session *who, const char *query) {
    json_t *all = json_array();
    char path[512], cursor[64] = "";
    for (int pages = 0; pages < 1000; pages++) {
        snprintf(path, sizeof path, "/api/v1/cases?limit=200%s%s%s%s", query[0] ? "&" : "", query,
                 cursor[0] ? "&cursor=" : "", cursor);
        call(&S, &R, "GET", path, NULL, who->h);
        if (R.status != 200) fail_msg("%s: %ld %s", path, R.status, R.body);
        json_t *v = J(), *next = json_object_get(v, "next_cursor");
        json_array_extend(all, json_object_get(v, "cases"));
        bool more = json_is_string(next);
        if (more) snprintf(cursor, sizeof cursor, "%s", json_string_value(next));
        json_decref(v);
        if (!more) return all;
    }
    fail_msg("%s: no end after 1000 pages", query);
    return all;
}

/* PUT /api/v1/config/KEY {"value": VALUE} as who (an administrator); it must take. */
static inline void put_config(const session *who, const char *key, const char *value) {
    char path[96], body[256];
    snprintf(path, sizeof path, "/api/v1/config/%s", key);
    snprintf(body, sizeof body, "{\"value\":\"%s\"}", value);
    call(&S, &R, "PUT", path, body, who->h);
    want(200, path);
}

static int teardown(void **st) {
    (void)st;
    demo_server_stop(&S, dbt);
    return 0;
}

#endif
