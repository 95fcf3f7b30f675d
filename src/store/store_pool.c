/* store_pool: see store_pool.h. Idle stores are reused last in, first out,
 * so a light load keeps touching the same few connections (and caches). */
#include "store/store_pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct store_pool {
    char *target;
    int size, open; /* the bound, and how many are open now */
    int n_idle;
    store **idle;
    pthread_mutex_t mu;
    pthread_cond_t freed;
};

int store_pool_new(const char *target, int size, store_pool **out, err *e) {
    store_pool *p = calloc(1, sizeof *p);
    store *first;
    int rc;
    *out = NULL;
    if (size < 1) size = 1;
    if (!p || !(p->target = strdup(target)) || !(p->idle = calloc((size_t)size, sizeof *p->idle))) {
        if (p) free(p->target);
        free(p);
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    if ((rc = store_open(target, NULL, &first, e))) {
        free(p->idle);
        free(p->target);
        free(p);
        return rc;
    }
    p->size = size;
    p->open = 1;
    p->idle[p->n_idle++] = first;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->freed, NULL);
    *out = p;
    return 0;
}

int store_pool_size(const store_pool *p) { return p->size; }

int store_pool_get(store_pool *p, int wait_ms, store **out, err *e) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += wait_ms / 1000;
    until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) until.tv_sec++, until.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        if (p->n_idle) {
            *out = p->idle[--p->n_idle];
            pthread_mutex_unlock(&p->mu);
            return 0;
        }
        if (p->open < p->size) {
            p->open++; /* reserve the slot, open outside the lock */
            pthread_mutex_unlock(&p->mu);
            int rc = store_open(p->target, NULL, out, e);
            if (rc) {
                pthread_mutex_lock(&p->mu);
                p->open--;
                pthread_cond_signal(&p->freed);
                pthread_mutex_unlock(&p->mu);
            }
            return rc;
        }
        if (pthread_cond_timedwait(&p->freed, &p->mu, &until) == ETIMEDOUT) {
            pthread_mutex_unlock(&p->mu);
            return err_set(e, ERR_IO, "", "all %d database connections are busy", p->size);
        }
    }
}

void store_pool_put(store_pool *p, store *s) {
    if (!s) return;
    bool lost = !store_healthy(s);
    pthread_mutex_lock(&p->mu);
    if (lost)
        p->open--;
    else
        p->idle[p->n_idle++] = s;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->mu);
    if (lost) store_close(s);
}

void store_pool_free(store_pool *p) {
    if (!p) return;
    for (int i = 0; i < p->n_idle; i++) store_close(p->idle[i]);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->freed);
    free(p->idle);
    free(p->target);
    free(p);
}
