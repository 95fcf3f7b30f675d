/* conn: see conn.h. */
#include "jobs/conn.h"

#include <stdlib.h>
#include <string.h>

int job_conn_init(job_conn *c, const char *target, err *e) {
    c->st = NULL;
    if (!(c->target = strdup(target))) return err_set(e, ERR_NOMEM, "", "out of memory");
    return 0;
}

int job_conn_get(job_conn *c, store **out, err *e) {
    int rc = c->st ? 0 : store_open(c->target, NULL, &c->st, e);
    *out = c->st;
    return rc;
}

int job_conn_after(job_conn *c, int rc) {
    if (rc && c->st && !store_healthy(c->st)) {
        store_close(c->st);
        c->st = NULL;
    }
    return rc;
}

void job_conn_close(job_conn *c) {
    store_close(c->st);
    c->st = NULL;
    free(c->target);
    c->target = NULL;
}

static void conn_done(void *arg) {
    job_conn_close(arg);
    free(arg);
}

int job_conn_def(const char *name, unsigned period_ms, job_turn_fn turn, const char *target, job_def *def,
                 err *e) {
    job_conn *c = calloc(1, sizeof *c);
    if (!c) return err_set(e, ERR_NOMEM, "", "out of memory");
    int rc = job_conn_init(c, target, e);
    if (rc) {
        free(c);
        return rc;
    }
    *def = (job_def){name, period_ms, turn, conn_done, c};
    return 0;
}
