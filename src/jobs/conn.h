/* conn: the database connection a background job keeps between its turns:
 * opened at the first turn that needs it, and closed after a failure that
 * lost it so that the next turn opens a new one: a database that goes away
 * and comes back does not end the job. */
#ifndef DUBAN_JOBS_CONN_H
#define DUBAN_JOBS_CONN_H

#include "jobs/jobs.h"
#include "store/store.h"
#include "util/err.h"

typedef struct job_conn {
    char *target; /* owned */
    store *st;    /* NULL until a turn opens it */
} job_conn;

int job_conn_init(job_conn *c, const char *target, err *e);
/* The open store (opening it if need be). */
int job_conn_get(job_conn *c, store **out, err *e);
/* A turn's result: a failure that left the connection unusable closes it.
 * Returns rc. */
int job_conn_after(job_conn *c, int rc);
void job_conn_close(job_conn *c);

/* A periodic job whose only state is its connection: def gets the name, the
 * period, the turn (its arg a job_conn *) and a done that closes it. */
int job_conn_def(const char *name, unsigned period_ms, job_turn_fn turn, const char *target, job_def *def,
                 err *e);

#endif
