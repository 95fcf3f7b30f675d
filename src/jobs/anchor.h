/* anchor: the server anchors its database (store_anchor.h) once a day, when
 * `anchor_dir` and `anchor_key` are configured (on the command line only:
 * they are files on the server). A turn looks at the newest anchor in the
 * folder and writes one when it is a day old, or there is none; each node
 * that runs the job may write its own (an anchor more is harmless). */
#ifndef DUBAN_JOBS_ANCHOR_H
#define DUBAN_JOBS_ANCHOR_H

#include "jobs/jobs.h"
#include "util/err.h"

#define ANCHOR_INTERVAL_MS (10 * 60 * 1000)
#define ANCHOR_EVERY_S (24 * 3600)

int anchor_job_def(const char *target, job_def *def, err *e);

#endif
