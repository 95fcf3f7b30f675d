/* sweeper: the server's background sweep (store_sweep), once at start-up and
 * then every interval, so 督办 notices appear without anyone running `duban
 * sweep`. On a shared database one node at a time does it: the one whose
 * connection holds the lead (store_try_lead); when that node dies, its
 * connection closes and another node takes the lead at its next turn. */
#ifndef DUBAN_HTTP_SWEEPER_H
#define DUBAN_HTTP_SWEEPER_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"

typedef struct sweeper sweeper;

typedef struct sweeper_state {
    bool leading;      /* this node holds the lead */
    int64_t last_at;   /* when this node last swept; 0: never */
    int64_t raised;    /* notices this node has raised since it started */
    char error[160];   /* the last failure, "" if none */
} sweeper_state;

/* Starts sweeping target every interval_s seconds (the first at once). */
int sweeper_start(const char *target, unsigned interval_s, sweeper **out, err *e);
void sweeper_state_get(sweeper *s, sweeper_state *out);
void sweeper_stop(sweeper *s);

#endif
