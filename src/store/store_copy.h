/* store_copy: moving a deployment from one database to another (`duban
 * migrate-store`, SQLite to PostgreSQL): every table, with ids, hash chains
 * and text keys exactly as they are. */
#ifndef DUBAN_STORE_COPY_H
#define DUBAN_STORE_COPY_H

#include "store/store.h"

/* Called after every 10,000 rows and at the end of each table. */
typedef void (*store_progress_fn)(void *ctx, const char *table, int64_t rows);

/* Copies everything in `from` into `to`, which must hold no units, cases or
 * users yet, in one transaction of `to` (an error leaves it as it was). */
int store_copy(store *from, store *to, store_progress_fn fn, void *ctx, err *e);

/* The i-th table store_copy moves (in the order it moves them), or NULL. */
const char *store_copy_table(size_t i);
/* The rows of a table, for checking a copy. */
int store_count_rows(store *s, const char *table, int64_t *n, err *e);

#endif
