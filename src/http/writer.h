/* writer: the case writes of the API (POST /cases and POST
 * /cases/{id}/actions/{action}) as jobs. On a single-writer database
 * (SQLite) the jobs are queued and the connections suspended; one committer
 * thread applies every queued job in one transaction, a savepoint each (a
 * refused one fails alone), commits once (one fsync acknowledges them all),
 * then resumes the connections with their answers. Elsewhere (PostgreSQL,
 * whose concurrent commits already share their flushes) a worker runs its
 * job itself. */
#ifndef DUBAN_HTTP_WRITER_H
#define DUBAN_HTTP_WRITER_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "core/view.h"
#include "core/case.h"
#include "store/store.h"
#include "util/err.h"

struct MHD_Connection;
typedef struct writer writer;

typedef enum { WRITE_CREATE, WRITE_ACT } write_kind;

typedef struct write_job {
    write_kind kind;
    char actor[80];
    int64_t user_id; /* the account acting (0: a token), for the access log */
    case_view view; /* the caller's view of a case (staff: full or masked contacts) */
    /* WRITE_CREATE: the case to create (strings owned by the job) */
    case_rec c;
    char key[208]; /* Idempotency-Key, "" for none */
    /* WRITE_ACT: the action (r.actor and r.note point into the job) */
    int64_t id, scope;
    case_req r;
    char *note, *reply;
    struct MHD_Connection *conn;
    char rid[17]; /* the request's id, for its errors */
    /* out, set before the connection is resumed (the resume orders it;
     * atomic so that no reading of it is ever a race) */
    atomic_bool done;
    int status;   /* 201, 200 (an action, or an idempotent retry), or an error status */
    json_t *body; /* owned */
    char location[64];
    struct write_job *next;
} write_job;

/* Runs one job on st and sets its answer. */
void write_job_run(store *st, write_job *j);
void write_job_free(write_job *job);

/* The committer, on its own connection to target. */
int writer_start(const char *target, writer **out, err *e);
/* Queues the job; false when the committer is stopping (answer 503). */
bool writer_submit(writer *w, write_job *job);
/* Writes what is queued, then stops the committer; from then on
 * writer_submit refuses. Both take NULL. */
void writer_stop(writer *w);
void writer_free(writer *w);

#endif
