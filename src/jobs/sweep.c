/* sweep: see sweep.h. Its own connection (the lead belongs to a connection;
 * jobs/conn.h). */
#include "jobs/sweep.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/conn.h"
#include "store/store_outbox.h"
#include "store/store_report.h"

struct sweep_job {
    job_conn conn;
    pthread_mutex_t mu; /* state, read by health from other threads */
    sweep_state state;
};

static void note(sweep_job *w, bool leading, int64_t at, int64_t raised) {
    pthread_mutex_lock(&w->mu);
    w->state.leading = leading;
    if (at) w->state.last_at = at;
    w->state.raised += raised;
    pthread_mutex_unlock(&w->mu);
}

/* One turn: take (or keep) the lead, then sweep if this node has it. */
static int turn(void *arg, const job_run *r, err *e) {
    sweep_job *w = arg;
    bool leading = false;
    int64_t raised = 0, first, queued = 0;
    store *st;
    int rc = job_conn_get(&w->conn, &st, e);
    if (rc) goto out;
    char site[256] = "";
    store_config_get(st, "site_url", site, sizeof site, NULL);
    if (site[0] && site[strlen(site) - 1] == '/') site[strlen(site) - 1] = '\0';
    /* what the sweep raised, and what else happened, into the webhook's outbox */
    if (!(rc = store_try_lead(st, &leading, e)) && leading &&
        !(rc = store_refresh(st, e)) && !(rc = store_sweep(st, r->now, &raised, &first, e)))
        rc = store_outbox_collect(st, r->now, site, &queued, e);
out:
    note(w, leading && !rc, leading && !rc ? r->now : 0, raised);
    return job_conn_after(&w->conn, rc);
}

static void done(void *arg) {
    sweep_job *w = arg;
    job_conn_close(&w->conn);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

int sweep_job_def(const char *target, unsigned interval_s, job_def *def, sweep_job **out, err *e) {
    sweep_job *w = calloc(1, sizeof *w);
    if (!w) return err_set(e, ERR_NOMEM, "", "out of memory");
    int rc = job_conn_init(&w->conn, target, e);
    if (rc) {
        free(w);
        return rc;
    }
    pthread_mutex_init(&w->mu, NULL);
    *def = (job_def){"sweep", (interval_s ? interval_s : 60) * 1000u, turn, done, w};
    *out = w;
    return 0;
}

void sweep_job_state(sweep_job *w, sweep_state *out) {
    memset(out, 0, sizeof *out);
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    *out = w->state;
    pthread_mutex_unlock(&w->mu);
}
