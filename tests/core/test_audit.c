/* Tests for core/audit: the hash covers every field and the predecessor, and
 * free text through a keyed digest that survives its erasure. */
#include "test.h"

#include "core/audit.h"

static const unsigned char key[32] = {1, 2, 3};

static case_event base(void) {
    case_event ev = {.case_id = 7, .seq = 2, .at = 1772415000, .action = ACT_DISPATCH,
                     .from = ST_RECEIVED, .to = ST_DISPATCHED, .scheme = AUDIT_SCHEME_PLAIN};
    strcpy(ev.actor, "dispatcher");
    ev.payload = "{\"unit\":\"cgj\"}";
    return ev;
}

static void every_field_matters(void **st) {
    (void)st;
    case_event a = base();
    audit_hash_event(&a, NULL);
    case_event b = base();
    audit_hash_event(&b, NULL);
    assert_memory_equal(a.hash, b.hash, 32);
    char hex[AUDIT_HASH_HEX];
    audit_hex(a.hash, hex);
    assert_int_equal(strlen(hex), 64);
    for (int field = 0; field < 8; field++) {
        case_event c = base();
        switch (field) {
        case 0: c.case_id = 8; break;
        case 1: c.seq = 3; break;
        case 2: c.at++; break;
        case 3: strcpy(c.actor, "dispatcheR"); break;
        case 4: c.action = ACT_MERGE; break;
        case 5: c.to = ST_CLOSED; break;
        case 6: c.payload = "{\"unit\":\"cgJ\"}"; break;
        case 7: c.prev_hash[31] = 1; break;
        }
        audit_hash_event(&c, NULL);
        if (memcmp(c.hash, a.hash, 32) == 0) fail_msg("field %d is not covered", field);
    }
}

/* Scheme 2: the free text counts through its keyed digest, so erasing it
 * (leaving the digest) keeps the hash, and nothing else does. */
static void free_text_by_digest(void **st) {
    (void)st;
    case_event a = base();
    a.scheme = AUDIT_SCHEME_TEXT_DIGEST;
    a.text = strdup("{\"note\":\"已联系王五 13700001234\"}");
    audit_hash_event(&a, key);
    unsigned char h[32];
    memcpy(h, a.hash, 32);
    /* the plain hash of the same fields differs: the scheme is part of it */
    case_event p = base();
    audit_hash_event(&p, NULL);
    assert_memory_not_equal(p.hash, h, 32);
    /* another text, another key, or a missing key: another hash */
    case_event b = a;
    b.text = "{\"note\":\"已联系王五 13700001235\"}";
    audit_hash_event(&b, key);
    assert_memory_not_equal(b.hash, h, 32);
    unsigned char other[32] = {9};
    b = a;
    audit_hash_event(&b, other);
    assert_memory_not_equal(b.hash, h, 32);
    b = a;
    audit_hash_event(&b, NULL);
    assert_memory_not_equal(b.hash, h, 32);
    /* erased: the same hash, without the text and without the key */
    audit_erase_text(&a, key);
    assert_null(a.text);
    assert_true(a.text_erased);
    audit_hash_event(&a, NULL);
    assert_memory_equal(a.hash, h, 32);
    /* no text at all is not the same as erased text */
    b = a;
    b.text_erased = false;
    audit_hash_event(&b, key);
    assert_memory_not_equal(b.hash, h, 32);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(every_field_matters),
                                       cmocka_unit_test(free_text_by_digest)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
