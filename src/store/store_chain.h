/* store_chain: the logs kept the way a case's events are. The access log,
 * the 码上评 evaluations with their review decisions and the supervision
 * notices are each a hash chain (table log_chain): every write of a row —
 * made, decided, erased — adds a link holding a digest of the row as it
 * then reads, the link's hash covering the one before it. A row's newest
 * link must match the row; a row changed, added or deleted around the
 * store, or a link taken out, breaks `audit verify` (docs/rules.md). The
 * head of each chain is a leaf of the anchors (store_anchor.h). */
#ifndef DUBAN_STORE_CHAIN_H
#define DUBAN_STORE_CHAIN_H

#include <stdint.h>

#include "store/store.h"
#include "store/store_audit.h"

typedef enum { CHAIN_ACCESS, CHAIN_EVALUATIONS, CHAIN_NOTICES, CHAIN_COUNT } store_chain;

const char *store_chain_name(store_chain c); /* "access_log", "evaluations", "notices" */

/* Adds a link for row `id` of chain c as it reads now; inside the
 * transaction that wrote it. */
int st_chain_note(store *s, store_chain c, int64_t id, int64_t at, err *e);
/* Rewrites rows of chain c in place and notes each again, in id order:
 * `where` picks them (a clause on the chain's table), `set` says what
 * changes; both name their values (store_query.h) and `values` gives them,
 * once for each statement. The rewrite is itself on the record. */
struct st_query;
int st_chain_rewrite(store *s, store_chain c, const char *set, const char *where,
                     void (*values)(struct st_query *q, void *ctx), void *ctx, int64_t now, err *e);
/* Every chain, link by link, and every row against its newest link; the
 * first break into a (its bad_case 0, its column the chain's name). */
int st_chain_verify(store *s, store_audit *a, err *e);
/* A chain's length and newest hash (zeros when empty). */
int store_chain_head(store *s, store_chain c, int64_t *seq, unsigned char hash[32], err *e);
/* The hash of link `seq` of chain c; ERR_NOTFOUND when there is none. */
int store_chain_link(store *s, store_chain c, int64_t seq, unsigned char hash[32], err *e);
/* Migration: a link for every row already there, in id order. */
int st_seed_chains(store *s, err *e);

#endif
