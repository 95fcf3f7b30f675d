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

void audit_hash_event(case_event *ev) {
    /* One buffer, one SHA-256 call: small incremental updates cost more than
     * the hash itself. */
    char num[96];
    snprintf(num, sizeof num, "%lld %d %lld", (long long)ev->case_id, ev->seq, (long long)ev->at);
    const char *parts[] = {num, ev->actor, case_action_name(ev->action),
                           case_status_name(ev->from), case_status_name(ev->to), ev->payload};
    size_t len = 32;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        len += (parts[i] ? strlen(parts[i]) : 0) + 24;
    unsigned char stackbuf[2048], *buf = len <= sizeof stackbuf ? stackbuf : malloc(len);
    if (!buf) {
        memset(ev->hash, 0, sizeof ev->hash); /* cannot match: verify will flag it */
        return;
    }
    memcpy(buf, ev->prev_hash, 32);
    unsigned char *p = buf + 32;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) p = put_str(p, parts[i]);
    crypto_hash_sha256(ev->hash, buf, (unsigned long long)(p - buf));
    if (buf != stackbuf) free(buf);
}

void audit_hex(const unsigned char h[32], char out[AUDIT_HASH_HEX]) {
    sodium_bin2hex(out, AUDIT_HASH_HEX, h, 32);
}
