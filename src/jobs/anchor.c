/* anchor: see anchor.h. */
#include "jobs/anchor.h"

#include "jobs/conn.h"
#include "store/store_anchor.h"

static int turn(void *arg, const job_run *r, err *e) {
    job_conn *c = arg;
    store *st;
    char dir[256] = "", key[256] = "";
    int64_t newest;
    int rc = job_conn_get(c, &st, e);
    if (rc) return job_conn_after(c, rc);
    store_config_get(st, "anchor_dir", dir, sizeof dir, NULL);
    store_config_get(st, "anchor_key", key, sizeof key, NULL);
    if (!dir[0] || !key[0]) return 0; /* not configured */
    /* a minute's slack: a turn that ran a little early is not a day late */
    if ((rc = store_anchor_newest(dir, &newest, e)) || (newest && r->now - newest < ANCHOR_EVERY_S - 60)) return rc;
    store_anchor an;
    return job_conn_after(c, store_anchor_write(st, dir, key, r->now, &an, e));
}

int anchor_job_def(const char *target, job_def *def, err *e) {
    return job_conn_def("anchor", ANCHOR_INTERVAL_MS, turn, target, def, e);
}
