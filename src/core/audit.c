/* audit: see audit.h. The hashed text is a fixed, unambiguous layout: fields
 * separated by newlines, strings length-prefixed, so no two events share it. */
#include "core/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void put_str(crypto_hash_sha256_state *st, const char *s) {
    char len[24];
    size_t n = s ? strlen(s) : 0;
    int k = snprintf(len, sizeof len, "%zu:", n);
    crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)k);
    if (n) crypto_hash_sha256_update(st, (const unsigned char *)s, n);
    crypto_hash_sha256_update(st, (const unsigned char *)"\n", 1);
}

void audit_hash_event(case_event *ev) {
    crypto_hash_sha256_state st;
    char num[96];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, ev->prev_hash, sizeof ev->prev_hash);
    snprintf(num, sizeof num, "%lld %d %lld", (long long)ev->case_id, ev->seq, (long long)ev->at);
    put_str(&st, num);
    put_str(&st, ev->actor);
    put_str(&st, case_action_name(ev->action));
    put_str(&st, case_status_name(ev->from));
    put_str(&st, case_status_name(ev->to));
    put_str(&st, ev->payload);
    crypto_hash_sha256_final(&st, ev->hash);
}

void audit_hex(const unsigned char h[32], char out[AUDIT_HASH_HEX]) {
    sodium_bin2hex(out, AUDIT_HASH_HEX, h, 32);
}
