/* store_outbox: the webhook's outbox (core/notify.h). Collecting turns what
 * happened since the last look — new 督办 notices, 差评, cases received or
 * closed with a phone to tell — into outbox rows in one transaction with the
 * cursors over those tables, so a restart loses none and sends none twice;
 * delivering claims due rows for a while (a lease), so nodes do not send
 * the same one at once, and records each attempt. */
#ifndef DUBAN_STORE_OUTBOX_H
#define DUBAN_STORE_OUTBOX_H

#include "core/notify.h"
#include "store/store.h"

#define OUTBOX_MAX_ATTEMPTS 12
#define OUTBOX_LEASE_S 60

/* Collects what happened since the last call into the outbox (nothing but
 * the cursors move while no webhook_url is set); *added: rows added. The
 * site's address (for the tracking link in a 受理回执) is `site`. */
int store_outbox_collect(store *s, int64_t now, const char *site, int64_t *added, err *e);

typedef struct store_outbox_row {
    int64_t id, case_id, created_at, not_before, next_at, sent_at, failed_at;
    int attempts;
    bool urgent;
    notify_kind kind;
    const char *body, *last_error; /* borrowed for the call */
} store_outbox_row;
typedef int (*store_outbox_fn)(void *ctx, const store_outbox_row *r);

/* Claims up to max rows due at now (sent nowhere yet, their time come), for
 * OUTBOX_LEASE_S; fn sees each. */
int store_outbox_claim(store *s, int64_t now, int max, store_outbox_fn fn, void *ctx, err *e);
/* Records an attempt: delivered (error NULL), or failed and tried again at
 * next_at — or given up after OUTBOX_MAX_ATTEMPTS. */
int store_outbox_done(store *s, int64_t id, int64_t now, const char *error, int64_t next_at, err *e);
/* The newest rows first, at most limit. */
int store_outbox_list(store *s, int limit, store_outbox_fn fn, void *ctx, err *e);

#endif
