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
/* Messages a phone number gets a day at most (configuration sms_per_day). */
#define STORE_SMS_PER_DAY 3

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

/* Claims the next row due at now — sent nowhere yet, its time come, no
 * other node's lease on it, and no earlier row of its case still to go — for
 * OUTBOX_LEASE_S: one at a time, so a row is leased just before it is sent
 * and the lease outlasts the attempt (a POST gives up after 10 s), however
 * many rows a turn sends. *body is the row's body, the caller's to free;
 * ERR_NOTFOUND when nothing is due. Delivery is at least once (a node that
 * dies between sending and recording leaves the row to be sent again once
 * its lease ends) and in order per case: a case's later row waits until
 * every earlier one is delivered or given up, on every node. */
int store_outbox_claim(store *s, int64_t now, store_outbox_row *out, char **body, err *e);
/* Records an attempt: delivered (error NULL), or failed and tried again at
 * next_at — or given up after OUTBOX_MAX_ATTEMPTS. */
int store_outbox_done(store *s, int64_t id, int64_t now, const char *error, int64_t next_at, err *e);
/* The newest rows first, at most limit. */
int store_outbox_list(store *s, int limit, store_outbox_fn fn, void *ctx, err *e);

#endif
