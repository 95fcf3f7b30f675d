/* store_copy: moving a deployment from one database to another (`duban
 * migrate-store`, SQLite to PostgreSQL): every table of the source's schema,
 * with ids, hash chains and text keys exactly as they are. */
#ifndef DUBAN_STORE_COPY_H
#define DUBAN_STORE_COPY_H

#include "store/store.h"

/* The tables a copy moves: every table of s's schema but the search
 * indexes' own (rebuilt from the rows they index) and the schema's version
 * (each side keeps its own), each after the tables its foreign keys point
 * to. Free with store_copy_tables_free. */
typedef struct store_copy_tables {
    char **name;
    size_t n;
} store_copy_tables;
int store_copy_tables_of(store *s, store_copy_tables *out, err *e);
void store_copy_tables_free(store_copy_tables *t);

/* Called after every 10,000 rows and at the end of each table. */
typedef void (*store_progress_fn)(void *ctx, const char *table, int64_t rows);

/* Copies the tables (store_copy_tables_of(from)) into `to`, which must hold
 * no units, cases or users yet, in one transaction of `to` (an error leaves
 * it as it was); what the target's migrations filled gives way to the
 * source's rows. */
int store_copy(store *from, store *to, const store_copy_tables *tables, store_progress_fn fn, void *ctx,
               err *e);

/* The rows of a table, for checking a copy. */
int store_count_rows(store *s, const char *table, int64_t *n, err *e);

#endif
