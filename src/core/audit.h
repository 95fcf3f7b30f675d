/* audit: the per-case hash chain over events. Each event's hash covers its
 * predecessor's hash and its own fields, so editing or deleting any stored
 * event breaks every hash after it.
 *
 * Two schemes, both verified: 1 (schema versions before 8) hashes the
 * payload with the free text in it, with SHA-256; 2 hashes the payload and,
 * for the free text people typed (case_event.text), a digest keyed with the
 * case's own key, with BLAKE2b-256 (libsodium's generichash: a third of
 * SHA-256's instructions per event). Erasing the text (a lawful deletion of
 * personal data) keeps that digest in its place, so the chain still
 * verifies; erasing the key as well leaves nothing to test guesses of the
 * text against. */
#ifndef DUBAN_AUDIT_H
#define DUBAN_AUDIT_H

#include "core/case.h"

#define AUDIT_HASH_HEX 65
enum { AUDIT_SCHEME_PLAIN = 1, AUDIT_SCHEME_TEXT_DIGEST = 2 };

/* Computes ev->hash from ev->prev_hash and the event's fields; key (the
 * case's text_key) is needed for scheme 2 events that still hold their text. */
void audit_hash_event(case_event *ev, const unsigned char key[32]);
/* The keyed digest of an event's free text. */
void audit_text_digest(const char *text, const unsigned char key[32], unsigned char out[32]);
/* Erases a scheme 2 event's free text, keeping its digest in text_digest. */
void audit_erase_text(case_event *ev, const unsigned char key[32]);
void audit_hex(const unsigned char h[32], char out[AUDIT_HASH_HEX]);

#endif
