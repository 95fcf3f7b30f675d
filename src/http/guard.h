/* guard: a limit on the total time a connection may take to send a
 * request's headers — from its opening, or from its previous answer —
 * whatever it trickles meanwhile (libmicrohttpd's own timeout only counts
 * silence, so a header line every few seconds would hold a connection, and
 * a thousand of them the server). A background job (jobs.h) looks once a
 * second and shuts down the sockets that are late; libmicrohttpd then
 * closes them as it closes any connection whose peer went away. */
#ifndef DUBAN_HTTP_GUARD_H
#define DUBAN_HTTP_GUARD_H

#include <stdint.h>

#include "jobs/jobs.h"
#include "util/err.h"

typedef struct guard guard;
typedef struct guard_conn guard_conn;

int guard_new(unsigned header_timeout_s, guard **out, err *e);
void guard_free(guard *g); /* takes NULL; its job must have stopped */
/* Its watch, for jobs_every. */
void guard_job_def(guard *g, job_def *def);

/* A connection opened (fd) / its headers arrived / it is waiting for the
 * next request's headers again / it closed (frees c). The guard keeps its
 * own clock: it is a watchdog, not a rule about case time. */
guard_conn *guard_open(guard *g, int fd);
void guard_headers_done(guard *g, guard_conn *c);
void guard_rearm(guard *g, guard_conn *c);
void guard_close(guard *g, guard_conn *c);

/* Connections shut down for being late, since the start. */
uint64_t guard_shut_count(guard *g);

#endif
