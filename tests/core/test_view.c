/* Tests for core/view: which cases are public, what the public reads of
 * them, and the scrubber over the ways people write numbers. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        {"编号MZ20261129-0001", "编号MZ20261129-0001"}, /* a case number is the public's */
        {"共12000000元", "共12000000元"}, {"投资1500000万元", "投资1500000万元"},
        /* the ways people write a number to get it past a filter */
        {"139/1234/5678", "***/****/****"},
        {"139 - 1234 - 5678", "*** - **** - ****"},
        {"139_1234_5678", "***_****_****"},
        {"139／1234＿5678", "***／****＿****"},
        {"一三九一二三四五六七八", "***********"},
        {"幺三八 幺二三四 五六七八", "*** **** ****"},
        {"电话：一三九零零零零一一一一", "电话：***********"},
        {"138.1234.5678", "***.****.****"},
        /* still not numbers to hide */
        {"二〇二六年", "二〇二六年"}, {"一二三", "一二三"}, {"第3-5条", "第3-5条"},
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

/* Every output of a case goes through case_view_json: for each channel x
 * confidential x published case and each view, nothing the view may not
 * show is in it. */
static void views(void **st) {
    (void)st;
    for (int ch = 0; ch < CH_COUNT; ch++)
        for (int conf = 0; conf < 2; conf++)
            for (int pub = 0; pub < 2; pub++) {
                case_rec c = {0};
                snprintf(c.case_no, sizeof c.case_no, "MZ20261129-0001");
                c.channel = (case_channel)ch;
                c.confidential = conf;
                c.title = "路灯不亮";
                c.description = "张三 13812341234 住3号楼";
                c.requester_name = "张三丰";
                c.requester_phone = "13812341234";
                c.public_summary = pub ? "某小区路灯不亮，已安排维修" : NULL;
                c.satisfaction = SAT_NONE;
                c.solved = -1;
                json_t *full = case_view_json(&c, VIEW_CONTACT, VIEW_CHANNELS_DEFAULT, 28800);
                json_t *masked = case_view_json(&c, VIEW_MASKED, VIEW_CHANNELS_DEFAULT, 28800);
                json_t *public = case_view_json(&c, VIEW_PUBLIC, VIEW_CHANNELS_DEFAULT, 28800);
                char *f = json_dumps(full, 0), *m = json_dumps(masked, 0);
                char *p = public ? json_dumps(public, 0) : NULL;
                assert_non_null(strstr(f, "13812341234")); /* intake and dispatch: in full */
                /* other staff: masked contact fields (the description, staff's
                 * working text, stays as written) */
                const char *mp = json_string_value(json_object_get(masked, "requester_phone"));
                const char *mn = json_string_value(json_object_get(masked, "requester_name"));
                assert_true(!mp || !strstr(mp, "13812341234"));
                assert_true(!mn || !strstr(mn, "张三丰"));
                assert_null(strstr(m, "张三丰"));
                if (conf) assert_true(json_is_null(json_object_get(masked, "requester_phone")));
                bool want = !conf && (ch == CH_OPEN311 || ch == CH_QR || pub);
                assert_int_equal(public != NULL, want);
                if (p) { /* the public: no contact, no raw number, no staff fields */
                    assert_null(strstr(p, "13812341234"));
                    assert_null(strstr(p, "张三丰"));
                    assert_null(json_object_get(public, "requester_phone"));
                    assert_null(json_object_get(public, "confidential"));
                    if (pub) assert_null(strstr(p, "3号楼")); /* a summary, not the description */
                }
                free(f);
                free(m);
                free(p);
                json_decref(full);
                json_decref(masked);
                json_decref(public);
            }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scrubs_numbers),
        cmocka_unit_test(channels),
        cmocka_unit_test(who_is_public),
        cmocka_unit_test(views),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
