/* Tests for core/mask and that case JSON masks unless asked to reveal. */
#include "test.h"

#include "core/case_json.h"
#include "core/mask.h"

static void names(void **st) {
    (void)st;
    char out[64];
    static const struct { const char *in, *out; } rows[] = {
        {"张三丰", "张**"}, {"张三", "张**"}, {"欧阳修文", "欧**"}, {"Li Lei", "L**"},
        {"", ""},          {"\xe5", "\xe5**"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        mask_name(rows[i].in, out, sizeof out);
        assert_str(out, rows[i].out);
    }
}

static void phones(void **st) {
    (void)st;
    char out[64];
    static const struct { const char *in, *out; } rows[] = {
        {"13812341234", "138****1234"}, {"+86 138-1234-1234", "138****1234"},
        {"0391-8123456", "039****3456"}, {"8123456", "****3456"}, {"12345", "****"}, {"", ""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        mask_phone(rows[i].in, out, sizeof out);
        assert_str(out, rows[i].out);
    }
}

static void json_masks_by_default(void **st) {
    (void)st;
    case_rec c = {0};
    c.title = "t";
    c.requester_name = "李四";
    c.requester_phone = "13900001111";
    c.satisfaction = SAT_NONE;
    c.solved = -1;
    json_t *masked = case_to_json(&c, 28800, 0), *full = case_to_json(&c, 28800, CASE_JSON_REVEAL);
    assert_str(json_string_value(json_object_get(masked, "requester_name")), "李**");
    assert_str(json_string_value(json_object_get(masked, "requester_phone")), "139****1111");
    assert_str(json_string_value(json_object_get(full, "requester_phone")), "13900001111");
    char *dump = json_dumps(masked, 0);
    assert_null(strstr(dump, "13900001111"));
    assert_null(strstr(dump, "李四"));
    free(dump);
    json_decref(masked);
    json_decref(full);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names),
        cmocka_unit_test(phones),
        cmocka_unit_test(json_masks_by_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
