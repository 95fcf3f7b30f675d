/* Tests for core/eval (码上评): the scale, what an evaluation must hold,
 * which ones become cases and the case they become; and core/view's check
 * codes for tracking. */
#include "test.h"

#include "core/eval.h"
#include "core/view.h"

static void scale(void **st) {
    (void)st;
    eval_level l;
    err e = {0};
    const char *names[] = {"very_satisfied", "satisfied", "basic", "unsatisfied", "very_unsatisfied"};
    const char *labels[] = {"非常满意", "满意", "基本满意", "不满意", "非常不满意"};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(eval_level_parse(names[i], &l, &e), 0);
        assert_int_equal(l, EV_VERY_SATISFIED + i);
        assert_str(eval_level_label(l), labels[i]);
        assert_int_equal(eval_is_bad(l), i >= 3); /* 差评: the last two */
    }
    assert_int_equal(eval_level_parse("good", &l, &e), ERR_INVALID);
    assert_str(e.field, "level");
    unsigned bit;
    assert_int_equal(eval_reason_parse("attitude", &bit, &e), 0);
    assert_int_equal(bit, EVR_ATTITUDE);
    assert_int_equal(eval_reason_parse("price", &bit, &e), ERR_INVALID);
    char out[128];
    eval_reasons_label(EVR_EFFICIENCY | EVR_FACILITY, out, sizeof out);
    assert_str(out, "办事效率、环境设施");
    eval_reasons_label(0, out, sizeof out);
    assert_str(out, "");
}

static void what_an_evaluation_holds(void **st) {
    (void)st;
    err e = {0};
    evaluation ok = {.level = EV_SATISFIED};
    assert_int_equal(eval_check(&ok, &e), 0);
    static const struct { evaluation ev; const char *field; } bad[] = {
        {{.level = EV_NONE}, "level"},
        {{.level = EV_COUNT}, "level"},
        {{.level = EV_BASIC, .reasons = 64}, "reasons"},
        {{.level = EV_BASIC, .phone = "138-abc"}, "phone"},
        {{.level = EV_BASIC, .phone = "12345"}, "phone"},
        {{.level = EV_SATISFIED, .report = true}, "comment"},
        {{.level = EV_SATISFIED, .report = true, .comment = " \xe3\x80\x80"}, "comment"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(&e, 0, sizeof e);
        assert_int_equal(eval_check(&bad[i].ev, &e), ERR_INVALID);
        assert_str(e.field, bad[i].field);
    }
    char long_comment[3 * (EVAL_COMMENT_MAX + 1) + 1] = "";
    for (int i = 0; i <= EVAL_COMMENT_MAX; i++) strcat(long_comment, "慢");
    evaluation lng = {.level = EV_UNSATISFIED, .comment = long_comment};
    assert_int_equal(eval_check(&lng, &e), ERR_INVALID);
    long_comment[3 * EVAL_COMMENT_MAX] = '\0'; /* exactly the limit */
    assert_int_equal(eval_check(&lng, &e), 0);
}

static void which_become_cases(void **st) {
    (void)st;
    evaluation ev[] = {
        {.level = EV_VERY_UNSATISFIED, .comment = "排队两小时"}, /* 差评 with a comment */
        {.level = EV_UNSATISFIED, .comment = ""},             /* 差评, nothing said */
        {.level = EV_BASIC, .comment = "还行"},                  /* not a 差评 */
        {.level = EV_SATISFIED, .comment = "饮水机坏了", .report = true}, /* 我要反映问题 */
    };
    bool want[] = {true, false, false, true};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        assert_int_equal(eval_makes_case(&ev[i]), want[i]);
    service_point p = {.name = "不动产登记窗口", .place = "市民之家二楼", .unit = {.id = 7}};
    case_rec c = {0};
    char title[256], desc[1024];
    ev[0].reasons = EVR_EFFICIENCY;
    ev[0].phone = "13903910001";
    eval_case(&ev[0], &p, 1000, &c, title, sizeof title, desc, sizeof desc);
    assert_int_equal(c.channel, CH_QR);
    assert_int_equal(c.klass, CL_GENERAL);
    assert_int_equal(c.appeal, AP_COMPLAINT);
    assert_int_equal(c.received_at, 1000);
    assert_str(c.title, "码上评差评：不动产登记窗口");
    assert_str(c.description, "服务点：不动产登记窗口（市民之家二楼）\n评价：非常不满意；问题：办事效率\n排队两小时");
    assert_str(c.requester_phone, "13903910001");
    assert_int_equal(case_check_intake(&c, NULL), 0);
    p.place = "";
    memset(&c, 0, sizeof c);
    eval_case(&ev[3], &p, 1000, &c, title, sizeof title, desc, sizeof desc);
    assert_str(c.title, "码上评反映：不动产登记窗口");
    assert_str(c.description, "服务点：不动产登记窗口\n评价：满意\n饮水机坏了");
    assert_int_equal(c.appeal, AP_SUGGESTION);
    assert_null(c.requester_phone);
}

static void points(void **st) {
    (void)st;
    err e = {0};
    service_point p = {.name = "窗口", .unit = {.code = "cgj"}};
    assert_int_equal(point_check(&p, &e), 0);
    p.name = "";
    assert_int_equal(point_check(&p, &e), ERR_INVALID);
    assert_str(e.field, "name");
    p.name = "窗口";
    p.unit.code[0] = '\0';
    assert_int_equal(point_check(&p, &e), ERR_INVALID);
    assert_str(e.field, "unit");
    assert_true(point_code_valid("abcdefgh23"));
    assert_false(point_code_valid("abcdefgh2"));
    assert_false(point_code_valid("ABCDEFGH23"));
    assert_false(point_code_valid("abc/efgh23"));
    assert_false(point_code_valid(NULL));
}

static void check_codes(void **st) {
    (void)st;
    case_rec a = {0}, b = {0};
    char ca[VIEW_TRACK_CODE_LEN + 1], cb[VIEW_TRACK_CODE_LEN + 1];
    assert_false(view_track_code(&a, ca)); /* no key: no code */
    assert_false(view_track_code_ok(&a, "000000000000"));
    memset(a.text_key, 1, 32);
    memset(b.text_key, 2, 32);
    assert_true(view_track_code(&a, ca));
    assert_true(view_track_code(&b, cb));
    assert_int_equal(strlen(ca), 12);
    assert_int_equal(strspn(ca, "0123456789abcdef"), 12);
    assert_string_not_equal(ca, cb);
    assert_true(view_track_code_ok(&a, ca));
    assert_false(view_track_code_ok(&b, ca));
    char loud[20];
    snprintf(loud, sizeof loud, "%.4s-%.4s %.4s", ca, ca + 4, ca + 8);
    for (char *p = loud; *p; p++) if (*p >= 'a' && *p <= 'f') *p = (char)(*p - 32);
    assert_true(view_track_code_ok(&a, loud));
    char longer[20];
    snprintf(longer, sizeof longer, "%s0", ca);
    assert_false(view_track_code_ok(&a, longer));
    longer[11] = '\0';
    assert_false(view_track_code_ok(&a, longer));
    assert_false(view_track_code_ok(&a, NULL));
}

/* The page's token: its point's, within its life, and nothing altered. */
static void page_tokens(void **st) {
    (void)st;
    unsigned char key[32] = {1, 2, 3}, other[32] = {9}, nonce[16], nonce2[16];
    char t[EVAL_TOKEN_HEX], t2[EVAL_TOKEN_HEX];
    const int64_t now = 1796000000;
    eval_token_make(key, 7, now, t);
    eval_token_make(key, 7, now, t2);
    assert_int_equal(strlen(t), 128);
    assert_int_equal(eval_token_check(key, t, 7, now + 60, nonce, NULL), 0);
    assert_int_equal(eval_token_check(key, t2, 7, now, nonce2, NULL), 0);
    assert_memory_not_equal(nonce, nonce2, 16); /* each its own nonce */
    assert_int_equal(eval_token_check(key, t, 7, now + EVAL_TOKEN_TTL, nonce, NULL), 0);
    err e = {0};
    assert_int_equal(eval_token_check(key, t, 7, now + EVAL_TOKEN_TTL + 1, nonce, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "reload"));
    assert_int_equal(eval_token_check(key, t, 7, now - 120, nonce, NULL), ERR_INVALID); /* from the future */
    assert_int_equal(eval_token_check(key, t, 8, now, nonce, NULL), ERR_INVALID);       /* another point */
    assert_int_equal(eval_token_check(other, t, 7, now, nonce, NULL), ERR_INVALID);     /* another key */
    assert_int_equal(eval_token_check(key, NULL, 7, now, nonce, NULL), ERR_INVALID);
    assert_int_equal(eval_token_check(key, "zz", 7, now, nonce, NULL), ERR_INVALID);
    for (int i = 0; i < 128; i += 7) { /* any one character changed */
        char bad[EVAL_TOKEN_HEX];
        memcpy(bad, t, sizeof bad);
        bad[i] = bad[i] == '0' ? '1' : '0';
        assert_int_equal(eval_token_check(key, bad, 7, now, nonce, NULL), ERR_INVALID);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scale),
        cmocka_unit_test(what_an_evaluation_holds),
        cmocka_unit_test(which_become_cases),
        cmocka_unit_test(points),
        cmocka_unit_test(check_codes),
        cmocka_unit_test(page_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
