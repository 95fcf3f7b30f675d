/* store_case: cases: intake, actions, reading, lists, search, duplicate
 * suggestions, places and the event feed. */
#ifndef DUBAN_STORE_CASE_H
#define DUBAN_STORE_CASE_H

#include "store/store.h"

/* Intake: c carries channel, class, title, received_at and the optional fields
 * (category/township ids resolved); on success c is the stored case. */
int store_case_create(store *s, case_rec *c, const char *actor, err *e);
/* With an idempotency key (per actor): a retry with the same key returns the
 * case the first call created instead of creating another; then *replayed is
 * set and c holds owned strings (the caller clears it with case_rec_clear). */
int store_case_create_keyed(store *s, case_rec *c, const char *actor, const char *key,
                            bool *replayed, err *e);
/* Applies r to case id; on success out (may be NULL) is the new case. Two
 * actions on one case never interleave: the second sees the first's result. */
int store_case_act(store *s, int64_t id, const case_req *r, case_rec *out, err *e);
int store_case_get(store *s, int64_t id, case_rec *out, err *e);
/* The same, confined to cases that unit leads or assists (0: no confinement);
 * another unit's case is "unknown", exactly as a missing one. Acting, the
 * unit may do what its part allows (core/case.h: case_part_allows). */
int store_case_act_scoped(store *s, int64_t id, int64_t unit, const case_req *r, case_rec *out,
                          err *e);
int store_case_get_scoped(store *s, int64_t id, int64_t unit, case_rec *out, err *e);
typedef int (*store_event_fn)(void *ctx, const case_event *ev);
int store_case_events(store *s, int64_t id, store_event_fn fn, void *ctx, err *e);

/* How a list is ordered. By next deadline lists only cases held to one
 * (case_next_due), the earliest first. */
typedef enum { STORE_SORT_OLDEST, STORE_SORT_NEWEST, STORE_SORT_NEXT_DUE } store_sort;
/* Which pending request a case must have. */
typedef enum { STORE_PENDING_ANY_OR_NONE, STORE_PENDING_EXTENSION, STORE_PENDING_PLAN,
               STORE_PENDING_EITHER } store_pending;

typedef struct store_case_filter {
    int status;         /* case_status, or -1 for any */
    int channel;        /* case_channel, or -1 */
    int klass;          /* case_class, or -1 */
    int appeal;         /* case_appeal, or AP_NONE (0) for any */
    bool instructed;    /* only cases with a 领导批示 */
    bool returned;      /* only cases a unit has returned (退单) at least once */
    int64_t category_id, township_id; /* 0 for any */
    int64_t received_from, received_to; /* [from, to); 0 for open */
    const char *text;   /* in title or description; NULL for any */
    int64_t unit_id;    /* lead or assisting unit; 0 for any */
    int64_t overdue_at; /* only cases overdue at this instant; 0 for no filter */
    store_pending pending; /* a pending extension or plan request */
    int next_kind;      /* 1 + the case_due_kind of the next (or missed) deadline; 0 any */
    int64_t due_before; /* the next deadline before this instant; 0 for no filter */
    store_sort sort;
    /* keyset paging: after this id (and, sorting by deadline, this deadline)
     * in the list's order; 0 for the first page */
    int64_t after_id, after_due;
    bool newest_first;  /* old spelling of sort = STORE_SORT_NEWEST */
    int limit;          /* 1..1000 */
    bool public_only;   /* only the cases the public may see (core/view.h) */
    bool open_only;     /* only cases not closed (nor merged): the 清零 ledger */
    bool lead_only;     /* with unit_id: only the cases it leads (主办), not assists */
    bool no_lead;       /* only cases no unit leads (not dispatched, or the centre's own) */
    int review;         /* case_review of its 回访, or REVIEW_NONE (0) for any */
} store_case_filter;
typedef int (*store_case_fn)(void *ctx, const case_rec *c);
int store_case_list(store *s, const store_case_filter *f, store_case_fn fn, void *ctx, err *e);
/* How many cases f selects in all (its paging and limit aside). */
int store_case_count(store *s, const store_case_filter *f, int64_t *n, err *e);
/* The cases merged (并案) into case id, in the order they were made. */
int store_case_merged(store *s, int64_t id, store_case_fn fn, void *ctx, err *e);
/* Brings SQLite's search index up to date by at most max_rows new cases, in
 * one transaction; *indexed: how many (0: it was current). The server's
 * indexer calls it after commits, so no search writes; a search matches the
 * cases not indexed yet directly. Nothing to do on PostgreSQL, whose index
 * is written with each case. */
int store_text_index(store *s, int max_rows, int *indexed, err *e);
/* Likely duplicates received since `since`: the same phone first, then cases
 * sharing the most text; at most `limit`, within `unit` when not 0. */
int store_case_similar(store *s, const char *text, const char *phone, int64_t since,
                       int64_t unit, int limit, store_case_fn fn, void *ctx, err *e);

/* Where a case is, and links to its pictures (as Open311 clients send them). */
#define STORE_MAX_MEDIA 8
typedef struct store_place {
    bool has_point;
    double lat, lon;
    char address[256], address_id[64];
    int n_media;
    char media[STORE_MAX_MEDIA][512];
} store_place;
int store_place_set(store *s, int64_t case_id, const store_place *p, err *e);
/* Fills p (empty if nothing was recorded). */
int store_place_get(store *s, int64_t case_id, store_place *p, err *e);
/* The id of the case numbered case_no: 0 and ERR_NOTFOUND when there is none. */
int store_case_id_by_no(store *s, const char *case_no, int64_t *id, err *e);
/* Events in [from, to), oldest first, at most limit: for update feeds;
 * public_only: only the events of cases the public may see. */
int store_events_between(store *s, int64_t from, int64_t to, int limit, bool public_only,
                         store_event_fn fn, void *ctx, err *e);
int store_case_attribute_set(store *s, int64_t case_id, const char *code, const char *value, err *e);
/* The case's attribute answers (as Open311 clients sent them), by code. */
typedef int (*store_case_attribute_fn)(void *ctx, const char *code, const char *value);
int store_case_attributes(store *s, int64_t case_id, store_case_attribute_fn fn, void *ctx, err *e);

#endif
