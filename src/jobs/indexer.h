/* indexer: keeps SQLite's search index current off the request path. A
 * periodic job on its own connection indexes new cases in batches
 * (store_text_index) a few times a second, so no search writes and no search
 * pays for a burst of intake; searches match the cases it has not reached
 * yet directly, and it keeps that tail to well under a second of intake. Not
 * started on PostgreSQL, whose index is written with each case. */
#ifndef DUBAN_JOBS_INDEXER_H
#define DUBAN_JOBS_INDEXER_H

#include "jobs/jobs.h"
#include "util/err.h"

#define INDEXER_INTERVAL_MS 200
#define INDEXER_BATCH 5000

/* The job for jobs_every (its connection freed by its done). */
int indexer_job_def(const char *target, job_def *def, err *e);

#endif
