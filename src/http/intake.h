/* intake: group commit for POST /cases. Requests are queued and their
 * connections suspended; one committer thread creates every queued case in
 * one transaction, commits once (one fsync acknowledges the whole group),
 * then resumes the connections with their responses. */
#ifndef DUBAN_HTTP_INTAKE_H
#define DUBAN_HTTP_INTAKE_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "core/case.h"
#include "util/err.h"

struct MHD_Connection;
typedef struct intake intake;

typedef struct intake_job {
    /* in: the case to create (strings owned by the job), who creates it */
    case_rec c;
    char actor[80];
    char key[208]; /* Idempotency-Key, "" for none */
    bool reveal;   /* may the creator see contact details in full */
    struct MHD_Connection *conn;
    /* out, set by the committer before it resumes the connection (the
     * resume orders it; atomic so that no reading of it is ever a race) */
    atomic_bool done;
    int status;    /* 201, 200 (an idempotent retry), or an error status */
    json_t *body;  /* owned */
    char location[64];
    struct intake_job *next;
} intake_job;

int intake_start(const char *db_path, intake **out, err *e);
/* Queues the job; false when the committer is stopping (answer 503). */
bool intake_submit(intake *in, intake_job *job);
/* Creates what is queued, then stops the committer. */
void intake_stop(intake *in);
void intake_job_free(intake_job *job);

#endif
