/* guard: see guard.h. The watched connections are a list under one mutex;
 * a connection is in it only while its headers are awaited. The guard keeps
 * its own monotonic clock: it is a watchdog, not a rule about case time. */
#include "http/guard.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

struct guard_conn {
    int fd;
    int64_t since_ms; /* waiting for headers since; 0: not waiting */
    bool listed;
    guard_conn *prev, *next;
};

struct guard {
    int64_t timeout_ms;
    pthread_mutex_t mu;
    guard_conn *head;
    uint64_t shut;
};

static int64_t mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void link_in(guard *g, guard_conn *c) {
    if (c->listed) return;
    c->prev = NULL;
    c->next = g->head;
    if (g->head) g->head->prev = c;
    g->head = c;
    c->listed = true;
}

static void unlink_out(guard *g, guard_conn *c) {
    if (!c->listed) return;
    if (c->prev) c->prev->next = c->next;
    else g->head = c->next;
    if (c->next) c->next->prev = c->prev;
    c->listed = false;
}

/* One look: the late ones are shut down. */
static int watch(void *arg, const job_run *r, err *e) {
    guard *g = arg;
    (void)r, (void)e;
    pthread_mutex_lock(&g->mu);
    int64_t now = mono_ms();
    for (guard_conn *c = g->head, *next; c; c = next) {
        next = c->next;
        if (now - c->since_ms <= g->timeout_ms) continue;
        /* shutdown, not close: the descriptor stays libmicrohttpd's */
        shutdown(c->fd, SHUT_RDWR);
        unlink_out(g, c);
        g->shut++;
    }
    pthread_mutex_unlock(&g->mu);
    return 0;
}

int guard_new(unsigned header_timeout_s, guard **out, err *e) {
    guard *g = calloc(1, sizeof *g);
    if (!g) return err_set(e, ERR_NOMEM, "", "out of memory");
    g->timeout_ms = (int64_t)header_timeout_s * 1000;
    pthread_mutex_init(&g->mu, NULL);
    *out = g;
    return 0;
}

void guard_job_def(guard *g, job_def *def) { *def = (job_def){"guard", 1000, watch, NULL, g}; }

void guard_free(guard *g) {
    if (!g) return;
    pthread_mutex_destroy(&g->mu);
    free(g);
}

guard_conn *guard_open(guard *g, int fd) {
    guard_conn *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->fd = fd;
    guard_rearm(g, c);
    return c;
}

void guard_headers_done(guard *g, guard_conn *c) {
    if (!c) return;
    pthread_mutex_lock(&g->mu);
    unlink_out(g, c);
    pthread_mutex_unlock(&g->mu);
}

void guard_rearm(guard *g, guard_conn *c) {
    if (!c) return;
    pthread_mutex_lock(&g->mu);
    c->since_ms = mono_ms();
    link_in(g, c);
    pthread_mutex_unlock(&g->mu);
}

void guard_close(guard *g, guard_conn *c) {
    if (!c) return;
    pthread_mutex_lock(&g->mu);
    unlink_out(g, c);
    pthread_mutex_unlock(&g->mu);
    free(c);
}

uint64_t guard_shut_count(guard *g) {
    pthread_mutex_lock(&g->mu);
    uint64_t n = g->shut;
    pthread_mutex_unlock(&g->mu);
    return n;
}
