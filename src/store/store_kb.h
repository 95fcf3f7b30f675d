/* store_kb: the 知识库's entries (core/kb.h): kept, searched as the operator
 * types (the same engines as case search: FTS5 trigram / pg_trgm), and
 * counted when a direct answer uses one (store_case.c, in the answer's
 * transaction). */
#ifndef DUBAN_STORE_KB_H
#define DUBAN_STORE_KB_H

#include "core/kb.h"
#include "store/store.h"

/* Writes k (question, answer, policy, valid_until; category and unit by
 * code, resolved here) as a new entry (k->id == 0, the new id into k->id) or
 * over entry k->id (ERR_NOTFOUND if none). only_unit: when not 0 the entry
 * must be, and stay, that unit's (a clerk's own; ERR_FORBIDDEN otherwise). */
int store_kb_put(store *s, kb_entry *k, int64_t only_unit, const char *actor, int64_t now,
                 err *e);
int store_kb_get(store *s, int64_t id, kb_entry *out, err *e);
int store_kb_delete(store *s, int64_t id, int64_t only_unit, err *e);

typedef struct store_kb_query {
    const char *q;   /* the words typed; NULL or "" for all */
    int32_t today;   /* offer only entries valid on this day; 0: expired ones too */
    int64_t unit_id; /* only this unit's; 0: every unit's */
    int limit;       /* 1..100 */
} store_kb_query;
/* Matching entries, the most used first. fn's entry is valid during the call. */
typedef int (*store_kb_fn)(void *ctx, const kb_entry *k);
int store_kb_search(store *s, const store_kb_query *q, store_kb_fn fn, void *ctx, err *e);

#endif
