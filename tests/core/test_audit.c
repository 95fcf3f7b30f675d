/* Tests for core/audit: the hash covers every field and the predecessor. */
#include "test.h"

#include "core/audit.h"

static case_event base(void) {
    case_event ev = {.case_id = 7, .seq = 2, .at = 1772415000, .action = ACT_DISPATCH,
                     .from = ST_RECEIVED, .to = ST_DISPATCHED};
    strcpy(ev.actor, "dispatcher");
    ev.payload = "{\"unit\":\"cgj\"}";
    return ev;
}

static void every_field_matters(void **st) {
    (void)st;
    case_event a = base();
    audit_hash_event(&a);
    case_event b = base();
    audit_hash_event(&b);
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
        audit_hash_event(&c);
        if (memcmp(c.hash, a.hash, 32) == 0) fail_msg("field %d is not covered", field);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(every_field_matters)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
