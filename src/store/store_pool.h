/* store_pool: a bounded set of open stores shared by threads (a server's
 * workers). At most `size` connections are open; a caller waits, up to a
 * bound, for a free one; a store whose connection was lost is closed when it
 * comes back, not handed out again. */
#ifndef DUBAN_STORE_POOL_H
#define DUBAN_STORE_POOL_H

#include "store/store.h"

typedef struct store_pool store_pool;

/* Opens one store at once, so that a bad target fails here. */
int store_pool_new(const char *target, int size, store_pool **out, err *e);
/* An idle store, a new one while under the bound, or (after up to wait_ms)
 * ERR_IO "all connections are busy". */
int store_pool_get(store_pool *p, int wait_ms, store **out, err *e);
void store_pool_put(store_pool *p, store *s);
/* Closes every store; all must have been put back. */
void store_pool_free(store_pool *p);
int store_pool_size(const store_pool *p);

#endif
