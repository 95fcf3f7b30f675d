/* What most API suites share: a demo database (its target in dbt) and the
 * server on it (S), the last reply (R), J() to read it as JSON, want() to
 * check its status, and the teardown that stops the server (it must exit
 * cleanly) and removes the database. A suite's setup starts the server
 * (demo_server) and signs in whom it needs. */
#ifndef DUBAN_TEST_DEMO_SUITE_H
#define DUBAN_TEST_DEMO_SUITE_H

#include "tests/http/server_fixture.h"

static char dbt[256];
static server S;
static reply R;

static inline json_t *J(void) { return reply_json(&R); }
#define want(status, what) reply_expect(&R, status, what)

static int teardown(void **st) {
    (void)st;
    demo_server_stop(&S, dbt);
    return 0;
}

#endif
