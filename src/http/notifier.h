/* notifier: the webhook's delivery, on every node: each second it claims
 * the outbox rows whose time has come (store_outbox.h) and POSTs each body
 * to webhook_url (libcurl, 10 s at most), signed — X-Duban-Signature:
 * sha256=HMAC-SHA256(webhook_secret, body) in hex — with its id in
 * X-Duban-Delivery so a receiver can drop a repeat; a failure is tried again
 * after webhook_retry_seconds × 2^(attempts - 1), at most an hour, and
 * given up after OUTBOX_MAX_ATTEMPTS. Requests never wait for it. */
#ifndef DUBAN_HTTP_NOTIFIER_H
#define DUBAN_HTTP_NOTIFIER_H

#include <stdint.h>

#include "util/err.h"

typedef struct notifier notifier;

int notifier_start(const char *target, notifier **out, err *e);
void notifier_stop(notifier *n);

#endif
