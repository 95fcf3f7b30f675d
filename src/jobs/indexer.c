/* indexer: see indexer.h. */
#include "jobs/indexer.h"

#include "jobs/conn.h"
#include "store/store_case.h"

/* Indexes until current, a failure, or a stop. */
static int turn(void *arg, const job_run *r, err *e) {
    job_conn *c = arg;
    store *st;
    int n = INDEXER_BATCH, rc = job_conn_get(c, &st, e);
    while (!rc && n == INDEXER_BATCH && !r->stopping(r)) rc = store_text_index(st, INDEXER_BATCH, &n, e);
    return job_conn_after(c, rc);
}

int indexer_job_def(const char *target, job_def *def, err *e) {
    return job_conn_def("index", INDEXER_INTERVAL_MS, turn, target, def, e);
}
