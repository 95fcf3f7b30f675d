/* replay: a case rebuilt from its stored events, the way git's fsck
 * rebuilds what it checks, so that `audit verify` can compare every column
 * a figure, a rank or a queue reads with what the events say it must be.
 *
 * Each event is read back into the request that made it (its payload and
 * text say what it did) and applied through case_create and case_apply,
 * the transition function every action went through. A deadline the event
 * recorded is taken as recorded (case_recorded), never counted again by
 * today's policy or calendar: a `policy set` after the fact makes nothing
 * look altered. Free text erased by a purge (core/audit.h) leaves the
 * columns made of it unknown, and they are not compared. */
#ifndef DUBAN_REPLAY_H
#define DUBAN_REPLAY_H

#include <stdbool.h>

#include "core/case.h"
#include "util/err.h"

/* The unit a payload names by code, into *out; false if there is none. */
typedef bool (*replay_unit_fn)(void *ctx, const char *code, unit_ref *out);

typedef struct replay {
    case_rec c;       /* the case as its events make it; owned */
    bool title_known, result_known, public_known; /* the text they came from is still there */
    replay_unit_fn unit;
    void *ctx;
} replay;

/* Starts a replay of the case whose stored row is `row` (the facts of its
 * intake no event holds: its id, category, township, requester, secrecy,
 * key) with the creation event ev. */
int replay_begin(replay *rp, const case_rec *row, const case_event *ev, const case_env *env,
                 replay_unit_fn unit, void *ctx, err *e);
/* Applies the next stored event; an event core refuses is an error naming
 * why (a history no action could have made). */
int replay_event(replay *rp, const case_event *ev, const case_env *env, err *e);
/* The first column in which the stored row differs from the replay, or
 * NULL when none does. */
const char *replay_diff(const replay *rp, const case_rec *row);
void replay_clear(replay *rp);

#endif
