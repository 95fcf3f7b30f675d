/* sweeper: see sweeper.h. Its own connection (the lead belongs to a
 * connection), reopened after a failure so that a lost database connection
 * does not end the sweeping. */
#include "http/sweeper.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_outbox.h"
#include "store/store_report.h"

struct sweeper {
    char *target;
    unsigned interval_s;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stopping;
    sweeper_state state;
};

static void note(sweeper *w, bool leading, int64_t at, int64_t raised, const char *error) {
    pthread_mutex_lock(&w->mu);
    w->state.leading = leading;
    if (at) w->state.last_at = at;
    w->state.raised += raised;
    /* The detail is the database's words: for the log (once per new
     * failure), not for the public health answer. */
    if (error && strncmp(w->state.error, error, sizeof w->state.error - 1) != 0)
        fprintf(stderr, "duban: background sweep failed: %s\n", error);
    snprintf(w->state.error, sizeof w->state.error, "%.159s", error ? error : "");
    pthread_mutex_unlock(&w->mu);
}

/* One turn: take (or keep) the lead, then sweep if this node has it. */
static void turn(sweeper *w, store **st) {
    err e = {0};
    bool leading = false;
    int64_t raised = 0, first;
    int64_t now = time(NULL);
    if (!*st && store_open(w->target, NULL, st, &e)) {
        note(w, false, 0, 0, e.msg);
        return;
    }
    char site[256] = "";
    int64_t queued = 0;
    store_config_get(*st, "site_url", site, sizeof site, NULL);
    if (site[0] && site[strlen(site) - 1] == '/') site[strlen(site) - 1] = '\0';
    /* what the sweep raised, and what else happened, into the webhook's outbox */
    if (store_try_lead(*st, &leading, &e) ||
        (leading && (store_refresh(*st, &e) || store_sweep(*st, now, &raised, &first, &e) ||
                     store_outbox_collect(*st, now, site, &queued, &e)))) {
        note(w, false, 0, 0, e.msg);
        if (!store_healthy(*st)) { /* a new connection next time */
            store_close(*st);
            *st = NULL;
        }
        return;
    }
    note(w, leading, leading ? now : 0, raised, NULL);
}

static void *run(void *arg) {
    sweeper *w = arg;
    store *st = NULL;
    pthread_mutex_lock(&w->mu);
    while (!w->stopping) {
        pthread_mutex_unlock(&w->mu);
        turn(w, &st);
        pthread_mutex_lock(&w->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += w->interval_s;
        while (!w->stopping && pthread_cond_timedwait(&w->cv, &w->mu, &until) != ETIMEDOUT) {}
    }
    pthread_mutex_unlock(&w->mu);
    store_close(st);
    return NULL;
}

int sweeper_start(const char *target, unsigned interval_s, sweeper **out, err *e) {
    sweeper *w = calloc(1, sizeof *w);
    if (!w || !(w->target = strdup(target))) {
        free(w);
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    w->interval_s = interval_s ? interval_s : 60;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->thread, NULL, run, w)) {
        free(w->target);
        free(w);
        return err_set(e, ERR_IO, "", "cannot start the sweeper");
    }
    *out = w;
    return 0;
}

void sweeper_state_get(sweeper *w, sweeper_state *out) {
    memset(out, 0, sizeof *out);
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    *out = w->state;
    pthread_mutex_unlock(&w->mu);
}

void sweeper_stop(sweeper *w) {
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    w->stopping = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w->target);
    free(w);
}
