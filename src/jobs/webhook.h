/* webhook: the webhook's delivery, a periodic job on every node: each second
 * it claims the outbox rows whose time has come, one at a time
 * (store_outbox.h: at least once, in order per case), and POSTs each body to
 * webhook_url (libcurl, 10 s at most), signed — X-Duban-Signature:
 * sha256=HMAC-SHA256(webhook_secret, body) in hex — with its id in
 * X-Duban-Delivery so a receiver can drop a repeat; a failure is tried again
 * after webhook_retry_seconds × 2^(attempts - 1), at most an hour, and given
 * up after OUTBOX_MAX_ATTEMPTS. Requests never wait for it. */
#ifndef DUBAN_JOBS_WEBHOOK_H
#define DUBAN_JOBS_WEBHOOK_H

#include "jobs/jobs.h"
#include "util/err.h"

#define WEBHOOK_PERIOD_MS 1000
#define WEBHOOK_TURN_MAX 20 /* rows a turn sends at most: a stop waits for one row, not a backlog */

/* The job for jobs_every (its connection freed by its done). libcurl's
 * global state must be set up before it starts. */
int webhook_job_def(const char *target, job_def *def, err *e);

#endif
