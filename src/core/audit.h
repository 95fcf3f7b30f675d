/* audit: the per-case hash chain over events. Each event's hash covers its
 * predecessor's hash and its own fields, so editing or deleting any stored
 * event breaks every hash after it. SHA-256 via libsodium. */
#ifndef DUBAN_AUDIT_H
#define DUBAN_AUDIT_H

#include "core/case.h"

#define AUDIT_HASH_HEX 65

/* Computes ev->hash from ev->prev_hash and the event's fields. */
void audit_hash_event(case_event *ev);
void audit_hex(const unsigned char h[32], char out[AUDIT_HASH_HEX]);

#endif
