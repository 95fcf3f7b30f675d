/* audit: see audit.h. The hashed text is a fixed, unambiguous layout: fields
 * separated by newlines, strings length-prefixed, so no two events share it. */
#include "core/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends "<decimal length>:<bytes>\n" to the buffer; returns the new end. */
static unsigned char *put_str(unsigned char *p, const char *s) {
    size_t n = s ? strlen(s) : 0;
    char digits[24];
    int k = 0;
    do digits[k++] = (char)('0' + n % 10), n /= 10;
    while (n);
    while (k) *p++ = (unsigned char)digits[--k];
    *p++ = ':';
    n = s ? strlen(s) : 0;
    memcpy(p, s ? s : "", n);
    p += n;
    *p++ = '\n';
    return p;
}

static bool zero_key(const unsigned char key[32]) {
    static const unsigned char zero[32];
    return !key || memcmp(key, zero, 32) == 0;
}

/* BLAKE2b, keyed: a MAC in one pass, a third of what HMAC-SHA-256 costs. */
void audit_text_digest(const char *text, const unsigned char key[32], unsigned char out[32]) {
    crypto_generichash(out, 32, (const unsigned char *)text, strlen(text), key, 32);
}

void audit_hash_event(case_event *ev, const unsigned char key[32]) {
    /* One buffer, one SHA-256 call: small incremental updates cost more than
     * the hash itself. */
    char num[96], digest[AUDIT_HASH_HEX] = "";
    snprintf(num, sizeof num, "%lld %d %lld", (long long)ev->case_id, ev->seq, (long long)ev->at);
    if (ev->scheme == AUDIT_SCHEME_TEXT_DIGEST) {
        unsigned char d[32];
        if (ev->text_erased) {
            audit_hex(ev->text_digest, digest);
        } else if (ev->text) {
            if (zero_key(key)) { /* text without its key cannot be checked: never matches */
                memset(ev->hash, 0, sizeof ev->hash);
                return;
            }
            audit_text_digest(ev->text, key, d);
            audit_hex(d, digest);
        }
    }
    const char *parts[] = {num, ev->actor, case_action_name(ev->action),
                           case_status_name(ev->from), case_status_name(ev->to), ev->payload,
                           digest};
    /* Scheme 1 has no digest line: its bytes are exactly what it hashed then. */
    size_t nparts = sizeof parts / sizeof *parts - (ev->scheme == AUDIT_SCHEME_TEXT_DIGEST ? 0 : 1);
    size_t len = 32;
    for (size_t i = 0; i < nparts; i++) len += (parts[i] ? strlen(parts[i]) : 0) + 24;
    unsigned char stackbuf[2048], *buf = len <= sizeof stackbuf ? stackbuf : malloc(len);
    if (!buf) {
        memset(ev->hash, 0, sizeof ev->hash); /* cannot match: verify will flag it */
        return;
    }
    memcpy(buf, ev->prev_hash, 32);
    unsigned char *p = buf + 32;
    for (size_t i = 0; i < nparts; i++) p = put_str(p, parts[i]);
    if (ev->scheme == AUDIT_SCHEME_TEXT_DIGEST)
        crypto_generichash(ev->hash, 32, buf, (unsigned long long)(p - buf), NULL, 0);
    else
        crypto_hash_sha256(ev->hash, buf, (unsigned long long)(p - buf));
    if (buf != stackbuf) free(buf);
}

void audit_erase_text(case_event *ev, const unsigned char key[32]) {
    if (ev->scheme != AUDIT_SCHEME_TEXT_DIGEST || !ev->text || zero_key(key)) return;
    audit_text_digest(ev->text, key, ev->text_digest);
    ev->text_erased = true;
    free(ev->text);
    ev->text = NULL;
}

void audit_hex(const unsigned char h[32], char out[AUDIT_HASH_HEX]) {
    sodium_bin2hex(out, AUDIT_HASH_HEX, h, 32);
}
