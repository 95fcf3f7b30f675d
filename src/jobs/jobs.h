/* jobs: the server's background work in one module, after redis's bio.c and
 * its serverCron's run_with_period. Two kinds:
 *  - periodic jobs, each on a thread of its own, a turn every period (the
 *    first at once): the deadline sweep, the search indexer, the webhook's
 *    delivery, the connection guard;
 *  - queues, where a fixed number of workers run the tasks submitted to
 *    them in order: the spreadsheet exports.
 * Jobs start in the order they are added and stop in the reverse order. Each
 * keeps its last run, its lag and its last error for /api/v1/health, so an
 * operator sees a sweep or an outbox that stalls. The clock is read here, at
 * the start of each turn, and passed in. */
#ifndef DUBAN_JOBS_H
#define DUBAN_JOBS_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"

typedef struct jobs jobs;

/* What a turn is given: when it began, a clock for a turn that takes long
 * (a webhook's posts wait on the network), and whether the server is
 * stopping, so that such a turn ends early. */
typedef struct job_run {
    int64_t now; /* Unix seconds */
    int64_t (*clock)(void);
    bool (*stopping)(const struct job_run *r);
    const void *priv; /* the module's */
} job_run;

/* One turn of a periodic job: 0, or an ERR_* code with e set, which becomes
 * the job's last error. */
typedef int (*job_turn_fn)(void *arg, const job_run *run, err *e);

typedef struct job_def {
    const char *name;   /* "sweep", "webhook" ...: shown in health */
    unsigned period_ms; /* from the end of one turn to the start of the next */
    job_turn_fn turn;
    void (*done)(void *arg); /* once its thread has ended: frees what its turns kept; may be NULL */
    void *arg;
} job_def;

#define JOBS_MAX 16
#define JOB_NAME_MAX 16

int jobs_new(jobs **out, err *e);
/* Stops what still runs (jobs_stop), frees everything. Takes NULL. */
void jobs_free(jobs *j);
/* Starts a periodic job. On failure its done is called. */
int jobs_every(jobs *j, const job_def *def, err *e);
/* Starts a queue: `workers` threads run what jobs_submit gives them; at most
 * max_waiting tasks wait for a worker (more are refused with ERR_THROTTLED). */
int jobs_queue(jobs *j, const char *name, int workers, int max_waiting, err *e);
/* Hands a task to a queue. run(arg) is called on a worker; if the queue
 * stops before it starts, drop(arg) instead (drop may be NULL). */
int jobs_submit(jobs *j, const char *queue, void (*run)(void *arg), void (*drop)(void *arg),
                void *arg, err *e);
/* Brings a periodic job's next turn forward to now. */
void jobs_wake(jobs *j, const char *name);
/* Stops every job and queue, the last started first: a turn or task under
 * way finishes (a long one sees run->stopping), tasks still waiting are
 * dropped, and each job's done is called once its thread has ended. */
void jobs_stop(jobs *j);

/* A job's or a queue's state, for health. Times are Unix milliseconds, 0 for
 * never. The lag is how long past its time the job's next turn is: about 0
 * when it keeps up; growing while a turn is stuck or its thread starved. */
typedef struct job_info {
    char name[JOB_NAME_MAX];
    bool queue;
    unsigned period_ms;
    int64_t runs, failures;
    int64_t last_start_ms, last_end_ms; /* the last turn or task */
    int64_t lag_ms;
    bool running;        /* a turn under way (a queue: how many tasks) */
    int active, waiting; /* a queue's tasks running and waiting */
    int error_code;      /* of the last turn, 0 when it succeeded */
    int64_t error_at_ms; /* the last failure, 0 for none */
    char error[160];     /* its message: for the log, not the public */
} job_info;
/* Fills up to max entries, in the order started; returns how many. */
int jobs_info(jobs *j, job_info *out, int max);

#endif
