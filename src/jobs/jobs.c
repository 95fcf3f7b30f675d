/* jobs: see jobs.h. One mutex guards every job's state (they change a few
 * times a second at most); each job waits on a condition of its own, on the
 * monotonic clock, so that a change of the wall clock neither stalls nor
 * hurries a turn. */
#include "jobs/jobs.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WORKERS_MAX 8

typedef struct task {
    struct task *next;
    void (*run)(void *arg), (*drop)(void *arg);
    void *arg;
    int64_t queued_ms; /* monotonic */
} task;

typedef struct job {
    struct jobs *owner;
    bool queue;
    job_def def; /* a periodic job's */
    pthread_t thread[WORKERS_MAX];
    int nthreads;
    pthread_cond_t cv;
    atomic_bool stop;
    bool woken;
    int64_t next_mono, last_end_mono; /* the next turn's time; the last turn's end */
    /* a queue's */
    task *head, *tail;
    int max_waiting;
    job_info info;
} job;

struct jobs {
    pthread_mutex_t mu;
    int n;
    job job[JOBS_MAX];
};

static int64_t mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_s(void) { return wall_ms() / 1000; }

static bool run_stopping(const job_run *r) { return atomic_load(&((const job *)r->priv)->stop); }

/* Waits on b's condition until the monotonic time `until` (ms). Under mu. */
static void wait_until(jobs *j, job *b, int64_t until) {
    struct timespec ts = {.tv_sec = until / 1000, .tv_nsec = (until % 1000) * 1000000};
    pthread_cond_timedwait(&b->cv, &j->mu, &ts);
}

/* ---- periodic jobs ---- */

static void record(jobs *j, job *b, int rc, const err *e) {
    int64_t end = wall_ms();
    pthread_mutex_lock(&j->mu);
    job_info *in = &b->info;
    in->running = false;
    in->runs++;
    in->last_end_ms = end;
    in->error_code = rc;
    if (rc) {
        in->failures++;
        in->error_at_ms = end;
        /* logged once for each new failure, not every turn it repeats */
        if (strncmp(in->error, e->msg, sizeof in->error - 1) != 0)
            fprintf(stderr, "duban: background job %s failed: %s\n", in->name, e->msg);
        snprintf(in->error, sizeof in->error, "%.159s", e->msg);
    }
    b->last_end_mono = mono_ms();
    b->next_mono = b->last_end_mono + b->def.period_ms;
    pthread_mutex_unlock(&j->mu);
}

static void *periodic(void *arg) {
    job *b = arg;
    jobs *j = b->owner;
    pthread_mutex_lock(&j->mu);
    while (!atomic_load(&b->stop)) {
        if (!b->woken && mono_ms() < b->next_mono) {
            wait_until(j, b, b->next_mono);
            continue;
        }
        b->woken = false;
        b->info.running = true;
        int64_t start = b->info.last_start_ms = wall_ms();
        pthread_mutex_unlock(&j->mu);
        job_run r = {.now = start / 1000, .clock = wall_s, .stopping = run_stopping, .priv = b};
        err e = {0};
        int rc = b->def.turn(b->def.arg, &r, &e);
        if (rc && !e.msg[0]) err_set(&e, rc, "", "%s", err_code_name(rc));
        record(j, b, rc, &e);
        pthread_mutex_lock(&j->mu);
    }
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

/* ---- queues ---- */

static void *worker(void *arg) {
    job *q = arg;
    jobs *j = q->owner;
    pthread_mutex_lock(&j->mu);
    for (;;) {
        while (!atomic_load(&q->stop) && !q->head) pthread_cond_wait(&q->cv, &j->mu);
        if (atomic_load(&q->stop)) break; /* what still waits is dropped by jobs_stop */
        task *t = q->head;
        if (!(q->head = t->next)) q->tail = NULL;
        q->info.waiting--;
        q->info.active++;
        q->info.running = true;
        q->info.last_start_ms = wall_ms();
        pthread_mutex_unlock(&j->mu);
        t->run(t->arg);
        free(t);
        pthread_mutex_lock(&j->mu);
        q->info.active--;
        q->info.running = q->info.active > 0;
        q->info.runs++;
        q->info.last_end_ms = wall_ms();
    }
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

/* ---- starting and stopping ---- */

static void stop_one(jobs *j, job *b);

int jobs_new(jobs **out, err *e) {
    jobs *j = calloc(1, sizeof *j);
    if (!j) return err_set(e, ERR_NOMEM, "", "out of memory");
    pthread_mutex_init(&j->mu, NULL);
    *out = j;
    return 0;
}

static job *find(jobs *j, const char *name) {
    for (int i = 0; i < j->n; i++)
        if (strcmp(j->job[i].info.name, name) == 0) return &j->job[i];
    return NULL;
}

/* A new entry, its threads not started yet. Under no lock: jobs are added
 * by the one thread that starts the server. */
static int add(jobs *j, const char *name, bool queue, job **out, err *e) {
    if (j->n == JOBS_MAX) return err_set(e, ERR_INVALID, "", "more than %d background jobs", JOBS_MAX);
    if (!name || !name[0] || strlen(name) >= JOB_NAME_MAX || find(j, name))
        return err_set(e, ERR_INVALID, "", "background job name '%s' is empty, long or taken", name ? name : "");
    job *b = &j->job[j->n];
    memset(b, 0, sizeof *b);
    b->owner = j;
    b->queue = queue;
    snprintf(b->info.name, sizeof b->info.name, "%s", name);
    b->info.queue = queue;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&b->cv, &ca);
    pthread_condattr_destroy(&ca);
    b->last_end_mono = b->next_mono = mono_ms();
    *out = b;
    return 0;
}

int jobs_every(jobs *j, const job_def *def, err *e) {
    job *b;
    int rc = add(j, def->name, false, &b, e);
    if (!rc) {
        b->def = *def;
        b->info.period_ms = def->period_ms;
        if (pthread_create(&b->thread[0], NULL, periodic, b)) {
            pthread_cond_destroy(&b->cv);
            rc = err_set(e, ERR_IO, "", "cannot start the background job %s", def->name);
        }
    }
    if (rc) {
        if (def->done) def->done(def->arg);
        return rc;
    }
    b->nthreads = 1;
    j->n++;
    return 0;
}

int jobs_queue(jobs *j, const char *name, int workers, int max_waiting, err *e) {
    job *b;
    if (workers < 1 || workers > WORKERS_MAX) return err_set(e, ERR_INVALID, "", "a queue has 1 to %d workers", WORKERS_MAX);
    int rc = add(j, name, true, &b, e);
    if (rc) return rc;
    b->max_waiting = max_waiting;
    for (int i = 0; i < workers; i++) {
        if (pthread_create(&b->thread[i], NULL, worker, b)) {
            stop_one(j, b); /* the workers already started */
            return err_set(e, ERR_IO, "", "cannot start the queue %s", name);
        }
        b->nthreads++;
    }
    j->n++;
    return 0;
}

int jobs_submit(jobs *j, const char *queue, void (*run)(void *arg), void (*drop)(void *arg), void *arg,
                err *e) {
    task *t = calloc(1, sizeof *t);
    if (!t) return err_set(e, ERR_NOMEM, "", "out of memory");
    *t = (task){.run = run, .drop = drop, .arg = arg, .queued_ms = mono_ms()};
    int rc = 0;
    pthread_mutex_lock(&j->mu);
    job *q = find(j, queue);
    if (!q || !q->queue || atomic_load(&q->stop))
        rc = err_set(e, ERR_IO, "", "the queue %s is not running", queue);
    else if (q->info.active + q->info.waiting >= q->nthreads + q->max_waiting)
        rc = err_set(e, ERR_THROTTLED, "", "%d tasks are running and %d waiting; try again in a minute",
                     q->info.active, q->info.waiting);
    if (!rc) {
        if (q->tail) q->tail->next = t;
        else q->head = t;
        q->tail = t;
        q->info.waiting++;
        pthread_cond_signal(&q->cv);
    }
    pthread_mutex_unlock(&j->mu);
    if (rc) free(t);
    return rc;
}

void jobs_wake(jobs *j, const char *name) {
    pthread_mutex_lock(&j->mu);
    job *b = find(j, name);
    if (b && !b->queue && !atomic_load(&b->stop)) {
        b->woken = true;
        pthread_cond_signal(&b->cv);
    }
    pthread_mutex_unlock(&j->mu);
}

/* Stops one job or queue and waits for its threads. */
static void stop_one(jobs *j, job *b) {
    pthread_mutex_lock(&j->mu);
    atomic_store(&b->stop, true);
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&j->mu);
    for (int k = 0; k < b->nthreads; k++) pthread_join(b->thread[k], NULL);
    /* what still waits, taken under the lock (jobs_info reads the queue) */
    pthread_mutex_lock(&j->mu);
    task *waiting = b->head;
    b->head = b->tail = NULL;
    b->info.waiting = 0;
    pthread_mutex_unlock(&j->mu);
    for (task *t = waiting, *next; t; t = next) {
        next = t->next;
        if (t->drop) t->drop(t->arg);
        free(t);
    }
    if (!b->queue && b->def.done) b->def.done(b->def.arg);
    pthread_cond_destroy(&b->cv);
}

void jobs_stop(jobs *j) {
    if (!j) return;
    for (int i = j->n - 1; i >= 0; i--) stop_one(j, &j->job[i]);
    pthread_mutex_lock(&j->mu); /* jobs_submit and jobs_info look at n */
    j->n = 0;
    pthread_mutex_unlock(&j->mu);
}

void jobs_free(jobs *j) {
    if (!j) return;
    jobs_stop(j);
    pthread_mutex_destroy(&j->mu);
    free(j);
}

int jobs_info(jobs *j, job_info *out, int max) {
    int n = 0;
    pthread_mutex_lock(&j->mu);
    int64_t now = mono_ms();
    for (int i = 0; i < j->n && n < max; i++, n++) {
        job *b = &j->job[i];
        out[n] = b->info;
        if (b->queue) {
            out[n].lag_ms = b->head ? now - b->head->queued_ms : 0;
        } else {
            int64_t late = now - (b->last_end_mono + b->def.period_ms);
            out[n].lag_ms = late > 0 ? late : 0;
        }
    }
    pthread_mutex_unlock(&j->mu);
    return n;
}
