/* store_audit: `audit verify`, the store's fsck. Every case's events are
 * checked link by link (core/audit.h) and replayed through core's own
 * transition function (core/replay.h); every column a figure, a rank or a
 * queue reads — the case row, its history (core/metrics.h), its units'
 * rows — must be what the events make it. The first case that differs is
 * named, with the event or the column. */
#ifndef DUBAN_STORE_AUDIT_H
#define DUBAN_STORE_AUDIT_H

#include <stdint.h>

#include "store/store.h"

typedef struct store_audit {
    int64_t cases, events;
    int64_t bad_case; /* the first case whose chain or columns do not hold; 0: none */
    int bad_seq;      /* the event (or log link) that breaks it; 0 when a column does */
    char column[64];  /* the column that differs from its events, or "" */
    char log[32];     /* the log chain (store_chain.h) that breaks, or "" */
    char why[512];
} store_audit;
#define STORE_AUDIT_OK(a) (!(a)->bad_case && !(a)->log[0])
int store_audit_verify(store *s, store_audit *out, err *e);

#endif
