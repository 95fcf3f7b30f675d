/* indexer: keeps SQLite's search index current off the request path. On its
 * own connection it indexes new cases in batches (store_text_index) a few
 * times a second, so no search writes and no search pays for a burst of
 * intake; searches match the cases it has not reached yet directly, and it
 * keeps that tail to well under a second of intake. Not started on
 * PostgreSQL, whose index is written with each case. */
#ifndef DUBAN_HTTP_INDEXER_H
#define DUBAN_HTTP_INDEXER_H

#include "util/err.h"

typedef struct indexer indexer;

#define INDEXER_INTERVAL_MS 200
#define INDEXER_BATCH 5000

int indexer_start(const char *target, indexer **out, err *e);
void indexer_stop(indexer *x);

#endif
