/* res_sheet: the printable 交办单 of a case — one A4 page a unit signs for:
 * number, channel, type, class, the requester (masked as the viewer's role
 * requires, as in the JSON), the content, the lead and assisting units, the
 * 13710 deadlines with where each stands, and a QR code that opens the case.
 * HTML with print CSS; its one style block is allowed by hash, nothing else
 * (no script) by its Content-Security-Policy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/case_json.h"
#include "core/mask.h"
#include "http/html.h"
#include "util/text.h"
#include "http/resources.h"
#include "store/store_case.h"
#include "util/datetime.h"
#include "util/qr.h"

static const char style[] =
    "@page{size:A4;margin:14mm 16mm}"
    "*{box-sizing:border-box}"
    "body{margin:0;font:11pt/1.5 'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei',"
    "sans-serif;color:#000;background:#fff}"
    ".sheet{max-width:178mm;margin:0 auto;padding:6mm 0}"
    "header{display:flex;justify-content:space-between;align-items:flex-end;"
    "border-bottom:2px solid #000;padding-bottom:2mm;margin-bottom:4mm}"
    "h1{font-size:20pt;margin:0;letter-spacing:.3em}"
    "h2{font-size:12pt;margin:5mm 0 2mm}"
    ".no{font-size:11pt}"
    "table{width:100%;border-collapse:collapse;table-layout:fixed}"
    "th,td{border:1px solid #000;padding:1.5mm 2mm;vertical-align:top;text-align:left;"
    "word-wrap:break-word}"
    "th{width:24mm;background:#f0f0f0;font-weight:600}"
    ".content{height:40mm;white-space:pre-wrap}"
    ".late{font-weight:700}"
    ".sign{display:flex;justify-content:space-between;margin-top:8mm}"
    ".sign div{width:48%;border-bottom:1px solid #000;padding-bottom:8mm}"
    "footer{display:flex;gap:4mm;align-items:center;margin-top:8mm;font-size:9pt}"
    "footer svg{flex:none}"
    "@media screen{body{background:#e8e8e8}.sheet{background:#fff;padding:10mm 12mm;"
    "margin:4mm auto;box-shadow:0 0 4px #999}}"
    "@media screen and (max-width:600px){body{font-size:10pt}.sheet{padding:4mm}"
    "th{width:19mm;white-space:nowrap}th,td{padding:1mm 1.5mm}}";

static void row2(FILE *f, const char *k1, const char *v1, const char *k2, const char *v2) {
    fprintf(f, "<tr><th>%s</th><td>", k1);
    text_html(f, v1);
    fprintf(f, "</td><th>%s</th><td>", k2);
    text_html(f, v2);
    fputs("</td></tr>", f);
}

/* "2026-12-01 23:59" */
static void when(int64_t t, int tz, char out[32]) {
    if (t)
        dt_format_minute(t, tz, out);
    else
        snprintf(out, 32, "—");
}

static void deadline(FILE *f, const char *step, int64_t due, int64_t done, int64_t now, int tz) {
    char d[32], m[32];
    when(due ? case_due_shown(due, tz) : 0, tz, d);
    when(done, tz, m);
    fprintf(f, "<tr><td>%s</td><td>%s</td><td", step, d);
    if (done)
        fprintf(f, ">已完成 %s%s", m, due && done > due ? "（超期）" : "");
    else if (!due)
        fputs(">—", f);
    else if (due <= now)
        fputs(" class=\"late\">已超期", f);
    else
        fputs(">未到期", f);
    fputs("</td></tr>", f);
}

int res_case_sheet(http_req *req, http_res *res) {
    case_rec c;
    err e = {0};
    if (res_case_param(req, res, &c)) return res->status;
    int tz = store_env(req->st)->tz;
    char *html = NULL, url[320], t[32], name[160], phone[64];
    size_t len = 0;
    FILE *f = open_memstream(&html, &len);
    if (!f) {
        case_rec_clear(&c);
        return http_error(res, 503, "unavailable", NULL, "out of memory");
    }
    /* the requester as this role may see them (the JSON's rule) */
    case_view v = auth_case_view(req->who->role);
    if (v == VIEW_CONTACT) {
        snprintf(name, sizeof name, "%s", c.requester_name ? c.requester_name : "—");
        snprintf(phone, sizeof phone, "%s", c.requester_phone ? c.requester_phone : "—");
    } else if (c.confidential) {
        snprintf(name, sizeof name, "（保密）");
        snprintf(phone, sizeof phone, "（保密）");
    } else {
        mask_name(c.requester_name ? c.requester_name : "", name, sizeof name);
        mask_phone(c.requester_phone ? c.requester_phone : "", phone, sizeof phone);
        if (!name[0]) snprintf(name, sizeof name, "—");
        if (!phone[0]) snprintf(phone, sizeof phone, "—");
    }
    fputs("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>交办单 ", f);
    text_html(f, c.case_no);
    fprintf(f, "</title><style>%s</style></head><body><main class=\"sheet\"><header><h1>交办单</h1>"
               "<div class=\"no\">编号 <b>", style);
    text_html(f, c.case_no);
    fputs("</b></div></header><table>", f);
    when(c.received_at, tz, t);
    const char *appeal = case_appeal_label(c.appeal);
    row2(f, "受理渠道", case_channel_label(c.channel), "诉求类型", appeal ? appeal : "—");
    row2(f, "紧急程度", case_class_label(c.klass), "受理时间", t);
    row2(f, "问题分类", c.category.id ? c.category.name : "—", "所属乡镇",
         c.township.id ? c.township.name : "—");
    row2(f, "诉求人", name, "联系电话", phone);
    fputs("<tr><th>标题</th><td colspan=\"3\">", f);
    text_html(f, c.title);
    fputs("</td></tr><tr><th>诉求内容</th><td colspan=\"3\" class=\"content\">", f);
    text_html(f, c.description ? c.description : "");
    fputs("</td></tr><tr><th>主办单位</th><td colspan=\"3\">", f);
    text_html(f, c.lead.id ? c.lead.name : "（待交办）");
    fputs("</td></tr><tr><th>协办单位</th><td colspan=\"3\">", f);
    for (int i = 0; i < c.n_assist; i++) {
        if (i) fputs("、", f);
        text_html(f, c.assist[i].name);
    }
    if (!c.n_assist) fputs("—", f);
    fprintf(f, "</td></tr><tr><th>当前状态</th><td colspan=\"3\">%s</td></tr></table>"
               "<h2>13710 办理时限</h2><table><tr><th>环节</th><th>时限</th><th>情况</th></tr>",
            case_status_label(c.status));
    deadline(f, "1 当日交办", c.due[DUE_DISPATCH], c.dispatched_at, req->now, tz);
    deadline(f, "签收", c.due[DUE_ACCEPT], c.accepted_at, req->now, tz);
    deadline(f, "3 三日内反馈", c.due[DUE_FEEDBACK], c.first_feedback_at, req->now, tz);
    deadline(f, c.klass == CL_MAJOR ? "30 一月内办结" : "7 七日内办结", c.due[DUE_RESOLVE],
             c.resolved_at, req->now, tz);
    fputs("</table><div class=\"sign\"><div>承办单位签收：</div><div>签收日期：</div></div><footer>", f);
    char path[64];
    snprintf(path, sizeof path, "/cases/%lld", (long long)c.id);
    html_site_url(req, path, url, sizeof url);
    int rc = qr_svg(url, 26, f, &e);
    when(req->now, tz, t);
    fputs("<div>扫码查看案件办理情况<br>", f);
    text_html(f, url);
    fprintf(f, "<br>打印时间 %s · 0：跟踪到办结销号</div></footer></main></body></html>", t);
    fclose(f);
    case_rec_clear(&c);
    if (rc) {
        free(html);
        return http_error_from(res, &e);
    }
    return html_send(res, html, len, style);
}
