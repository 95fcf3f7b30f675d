/* sweep: the background deadline sweep (store_sweep) as a periodic job, so
 * that 督办 notices appear without anyone running `duban sweep`, and what it
 * raised collected into the webhook's outbox. On a shared database one node
 * at a time sweeps: the one whose connection holds the lead
 * (store_try_lead); when that node dies, its connection closes and another
 * node takes the lead at its next turn. */
#ifndef DUBAN_JOBS_SWEEP_H
#define DUBAN_JOBS_SWEEP_H

#include <stdbool.h>
#include <stdint.h>

#include "jobs/jobs.h"
#include "util/err.h"

typedef struct sweep_job sweep_job;

typedef struct sweep_state {
    bool leading;    /* this node holds the lead */
    int64_t last_at; /* when this node last swept; 0: never */
    int64_t raised;  /* notices this node has raised since it started */
} sweep_state;

/* The job (its turn, its own connection to target, freed by its done) for
 * jobs_every, every interval_s seconds; *out stays valid until done. */
int sweep_job_def(const char *target, unsigned interval_s, job_def *def, sweep_job **out, err *e);
void sweep_job_state(sweep_job *w, sweep_state *out);

#endif
