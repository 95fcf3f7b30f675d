/* indexer: see indexer.h. */
#include "http/indexer.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_case.h"

struct indexer {
    char *target;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stopping;
    char error[160]; /* the last failure, logged once */
};

/* Indexes until current (or a failure); the connection is reopened after one
 * that left it unusable. */
static void turn(indexer *x, store **st) {
    err e = {0};
    int n = INDEXER_BATCH;
    if (!*st && store_open(x->target, NULL, st, &e)) goto fail;
    while (n == INDEXER_BATCH)
        if (store_text_index(*st, INDEXER_BATCH, &n, &e)) goto fail;
    x->error[0] = '\0';
    return;
fail:
    if (strncmp(x->error, e.msg, sizeof x->error - 1) != 0)
        fprintf(stderr, "duban: search indexing failed: %s\n", e.msg);
    snprintf(x->error, sizeof x->error, "%.159s", e.msg);
    if (*st && !store_healthy(*st)) {
        store_close(*st);
        *st = NULL;
    }
}

static void *run(void *arg) {
    indexer *x = arg;
    store *st = NULL;
    pthread_mutex_lock(&x->mu);
    while (!x->stopping) {
        pthread_mutex_unlock(&x->mu);
        turn(x, &st);
        pthread_mutex_lock(&x->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += INDEXER_INTERVAL_MS * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        while (!x->stopping && pthread_cond_timedwait(&x->cv, &x->mu, &until) != ETIMEDOUT) {}
    }
    pthread_mutex_unlock(&x->mu);
    store_close(st);
    return NULL;
}

int indexer_start(const char *target, indexer **out, err *e) {
    indexer *x = calloc(1, sizeof *x);
    if (!x || !(x->target = strdup(target))) {
        free(x);
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    pthread_mutex_init(&x->mu, NULL);
    pthread_cond_init(&x->cv, NULL);
    if (pthread_create(&x->thread, NULL, run, x)) {
        pthread_mutex_destroy(&x->mu);
        pthread_cond_destroy(&x->cv);
        free(x->target);
        free(x);
        return err_set(e, ERR_IO, "", "cannot start the search indexer");
    }
    *out = x;
    return 0;
}

void indexer_stop(indexer *x) {
    if (!x) return;
    pthread_mutex_lock(&x->mu);
    x->stopping = true;
    pthread_cond_signal(&x->cv);
    pthread_mutex_unlock(&x->mu);
    pthread_join(x->thread, NULL);
    pthread_mutex_destroy(&x->mu);
    pthread_cond_destroy(&x->cv);
    free(x->target);
    free(x);
}
