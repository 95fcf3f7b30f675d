/* Tests for core/view: which cases are public, what the public reads of
 * them, and the scrubber over the ways people write numbers. */
#include "test.h"

#include <stdlib.h>

#include "core/view.h"

static void scrubs_numbers(void **st) {
    (void)st;
    static const struct { const char *in, *out; } rows[] = {
        {"电话13812341234", "电话***********"},
        {"手机 138 1234 1234 找王", "手机 *** **** **** 找王"},
        {"138-1234-1234", "***-****-****"},
        {"座机0391-8123456", "座机****-*******"},
        {"(0391)8123456", "(****)*******"},
        {"身份证410883199001011234", "身份证******************"},
        {"身份证41088319900101123X", "身份证******************"},
        {"老证410883900101123", "老证***************"},
        /* full-width digits, an ideographic space, a full-width hyphen */
        {"１３８１２３４１２３４", "***********"},
        {"１３８　１２３４－１２３４", "***　****－****"},
        {"4108831990０1011234", "******************"},
        /* what is not a number to hide */
        {"2026-11-29 下午", "2026-11-29 下午"},
        {"2026.1.5", "2026.1.5"},
        {"3号楼2单元502", "3号楼2单元502"},
        {"共123456元", "共123456元"},
        {"编号MZ20261129-0001", "编号MZ********-****"}, /* over-masking is the safe side */
        {"", ""},
        {"无数字", "无数字"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char *out = view_scrub(rows[i].in);
        bool same = strcmp(out, rows[i].out) == 0;
        if (!same) print_error("scrub('%s') = '%s', want '%s'\n", rows[i].in, out, rows[i].out);
        free(out);
        assert_true(same);
    }
}

static void channels(void **st) {
    (void)st;
    view_channels v;
    assert_int_equal(view_channels_parse(VIEW_CHANNELS_DEFAULT_TEXT, &v, NULL), 0);
    assert_int_equal(v, VIEW_CHANNELS_DEFAULT);
    assert_int_equal(view_channels_parse("", &v, NULL), 0);
    assert_int_equal(v, 0);
    assert_int_equal(view_channels_parse("hotline,qr", &v, NULL), 0);
    assert_int_equal(v, VIEW_CHANNEL(CH_HOTLINE) | VIEW_CHANNEL(CH_QR));
    err e = {0};
    assert_int_equal(view_channels_parse("qr,radio", &v, &e), ERR_INVALID);
    assert_non_null(strstr(e.msg, "radio"));
}

/* Every channel × confidential × published: public exactly when not
 * confidential and (a public channel or published); the description the
 * public reads is the summary whenever there is one, the requester's own
 * text only on a public channel, and never anything of a private case. */
static void who_is_public(void **st) {
    (void)st;
    for (int ch = 0; ch < CH_COUNT; ch++)
        for (int conf = 0; conf < 2; conf++)
            for (int pub = 0; pub < 2; pub++) {
                case_rec c = {0};
                c.channel = (case_channel)ch;
                c.confidential = conf;
                c.title = "路灯不亮";
                c.description = "张三 13812341234 住3号楼";
                c.public_summary = pub ? "某小区路灯不亮，已安排维修" : NULL;
                c.public_reply = pub ? "已修复，联系电话0391-8123456" : NULL;
                bool channel_public = ch == CH_OPEN311 || ch == CH_QR;
                bool want = !conf && (channel_public || pub);
                assert_int_equal(case_is_public(&c, VIEW_CHANNELS_DEFAULT), want);
                char *d = view_public_description(&c, VIEW_CHANNELS_DEFAULT);
                char *r = view_public_reply(&c, VIEW_CHANNELS_DEFAULT);
                if (!want) {
                    assert_null(d);
                    assert_null(r);
                } else if (pub) {
                    assert_str(d, "某小区路灯不亮，已安排维修");
                    assert_str(r, "已修复，联系电话****-*******");
                } else {
                    assert_str(d, "张三 *********** 住3号楼"); /* the requester's own words, scrubbed */
                    assert_null(r);
                }
                free(d);
                free(r);
            }
    /* which channels are public is configuration */
    case_rec h = {.channel = CH_HOTLINE, .title = "t"};
    assert_false(case_is_public(&h, VIEW_CHANNELS_DEFAULT));
    assert_true(case_is_public(&h, VIEW_CHANNEL(CH_HOTLINE)));
    case_rec q = {.channel = CH_QR, .title = "t"};
    assert_false(case_is_public(&q, 0));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scrubs_numbers),
        cmocka_unit_test(channels),
        cmocka_unit_test(who_is_public),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
