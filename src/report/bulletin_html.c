/* bulletin_html: see bulletin_html.h. */
#include "report/bulletin_html.h"

#include <math.h>
#include <stdlib.h>

#include "util/datetime.h"
#include "util/text.h"

const char bulletin_style[] =
    "@page{size:A4 landscape;margin:12mm 14mm}"
    "*{box-sizing:border-box}"
    "body{margin:0;font:10pt/1.45 'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei',"
    "sans-serif;color:#000;background:#fff}"
    "main{max-width:269mm;margin:0 auto}"
    "section{break-before:page;page-break-before:always;padding-top:2mm}"
    "section:first-of-type{break-before:auto;page-break-before:auto}"
    "h1{font-size:18pt;text-align:center;letter-spacing:.2em;margin:0 0 1mm}"
    ".period{text-align:center;margin:0 0 4mm}"
    "h2{font-size:13pt;margin:0 0 2mm;border-left:4px solid #991b1b;padding-left:2mm}"
    "p.ends{margin:0 0 2mm}"
    "table{width:100%;border-collapse:collapse}"
    "th,td{border:1px solid #000;padding:1mm 1.5mm;text-align:right;white-space:nowrap}"
    "th{background:#f0f0f0;font-weight:600;text-align:center}"
    "td.name{text-align:left;white-space:normal}tr.total td{font-weight:bold}"
    "tr{break-inside:avoid;page-break-inside:avoid}"
    ".up{color:#15803d}.down{color:#b91c1c}"
    ".note{font-size:9pt;margin-top:2mm}"
    ".correction{border:1px solid #b91c1c;color:#b91c1c;padding:1mm 2mm;margin:0 0 4mm}"
    "@media screen{body{background:#e8e8e8}main{background:#fff;padding:8mm 10mm;margin:4mm auto}"
    "section{border-top:1px dashed #999;margin-top:6mm;padding-top:4mm}"
    "section:first-of-type{border:0;margin:0}}"
    /* a phone scrolls a wide table sideways rather than squeezing the names */
    "@media screen and (max-width:700px){main{padding:3mm}table{font-size:8pt;width:auto;min-width:100%}"
    "th,td{padding:.5mm 1mm}td.name{min-width:9em}div.wide{overflow-x:auto}}";

static void pct(FILE *f, double v) {
    if (isnan(v))
        fputs("<td>—</td>", f);
    else
        fprintf(f, "<td>%.1f%%</td>", v * 100);
}

static void num(FILE *f, int64_t v) { fprintf(f, "<td>%lld</td>", (long long)v); }

static void name_cell(FILE *f, const char *s) {
    fputs("<td class=\"name\">", f);
    text_html(f, s);
    fputs("</td>", f);
}

static void head(FILE *f, const char *const *cols, int n) {
    fputs("<div class=\"wide\"><table><thead><tr>", f);
    for (int i = 0; i < n; i++) fprintf(f, "<th>%s</th>", cols[i]);
    fputs("</tr></thead><tbody>", f);
}

static void overview(FILE *f, const bulletin *b) {
    static const char *const cols[] = {"项目", "本期", "上期"};
    bul_line lines[16];
    int n = bulletin_overview(b, lines);
    fputs("<section><h2>一、总体情况</h2>", f);
    head(f, cols, 3);
    for (int i = 0; i < n; i++) {
        fputs("<tr>", f);
        name_cell(f, lines[i].label);
        if (lines[i].rate) {
            pct(f, lines[i].now);
            pct(f, lines[i].before);
        } else { /* NaN: not counted for that period */
            for (int k = 0; k < 2; k++) {
                double v = k ? lines[i].before : lines[i].now;
                if (isnan(v))
                    fputs("<td>—</td>", f);
                else
                    num(f, (int64_t)v);
            }
        }
        fputs("</tr>", f);
    }
    fprintf(f, "<tr><td class=\"name\">当前超期在办（件）</td><td>%lld</td><td>—</td></tr>", (long long)b->overdue_open);
    char said[1024];
    sch_describe(&b->sch, said, sizeof said);
    fputs("</tbody></table></div><p class=\"note\">", f);
    text_html(f, said);
    fprintf(f, "；期内交办不足 %lld 件的单位列出但不参与排名。</p></section>", (long long)b->rank_min);
}

static void ranking(FILE *f, const bulletin *b, unit_kind kind, const char *title) {
    /* 名次 单位 交办, every rate the JSON has (metrics' table), 综合 上期 升降 */
    enum { NCOLS = 3 + MET_F_COUNT + 3 };
    const char *cols[NCOLS] = {"名次", "单位", "交办"};
    for (int k = 0; k < MET_F_COUNT; k++) cols[3 + k] = met_figure_label(k);
    cols[NCOLS - 3] = "综合", cols[NCOLS - 2] = "上期", cols[NCOLS - 1] = "升降";
    int best, worst;
    bulletin_ends(b, kind, &best, &worst);
    fprintf(f, "<section data-group=\"%s\"><h2>%s</h2><p class=\"ends\">", unit_kind_name(kind), title);
    if (best >= 0) {
        fputs("综合排名第一：<b data-best>", f);
        text_html(f, b->units[best].unit.name);
        fputs("</b>", f);
        if (worst >= 0) {
            fputs("；排名末位：<b data-worst>", f);
            text_html(f, b->units[worst].unit.name);
            fputs("</b>", f);
        }
        fputs("。</p>", f);
    } else {
        fputs("本期没有达到排名件数的单位。</p>", f);
    }
    head(f, cols, NCOLS);
    for (size_t i = 0; i < b->n_units; i++) {
        const bul_unit *u = &b->units[i];
        if (u->kind != kind) continue;
        fputs("<tr>", f);
        if (u->rank)
            num(f, u->rank);
        else
            fputs("<td>不排名</td>", f);
        name_cell(f, u->unit.name);
        num(f, u->now.dispatched);
        for (int k = 0; k < MET_F_COUNT; k++) pct(f, met_figure_rate(&u->r, k));
        pct(f, u->r.composite);
        if (u->rank_before)
            num(f, u->rank_before);
        else
            fputs("<td>—</td>", f);
        if (u->rank && u->rank_before)
            fputs(u->rank < u->rank_before ? "<td class=\"up\">↑</td>"
                  : u->rank > u->rank_before ? "<td class=\"down\">↓</td>" : "<td>→</td>", f);
        else
            fputs("<td></td>", f);
        fputs("</tr>", f);
    }
    fputs("</tbody></table></div></section>", f);
}

static void channels(FILE *f, const bulletin *b) {
    static const char *const by_channel[] = {"受理渠道", "件数"}, *const by_class[] = {"紧急程度", "件数"};
    fputs("<section><h2>四、受理渠道与紧急程度</h2>", f);
    head(f, by_channel, 2);
    for (int c = 0; c < CH_COUNT; c++) {
        fputs("<tr>", f);
        name_cell(f, case_channel_label((case_channel)c));
        num(f, b->by_channel[c]);
        fputs("</tr>", f);
    }
    fputs("</tbody></table></div><p></p>", f);
    head(f, by_class, 2);
    for (int c = 0; c < CL_COUNT; c++) {
        fputs("<tr>", f);
        name_cell(f, case_class_label((case_class)c));
        num(f, b->by_class[c]);
        fputs("</tr>", f);
    }
    fputs("</tbody></table></div></section>", f);
}

static void categories(FILE *f, const bulletin *b) {
    static const char *const cols[] = {"序号", "问题分类", "件数", "上期", "主要来源乡镇（件）"};
    fputs("<section><h2>五、高频问题</h2>", f);
    head(f, cols, 5);
    for (int i = 0; i < b->n_top; i++) {
        const bul_category *c = &b->top[i];
        fprintf(f, "<tr data-category><td>%d</td>", i + 1);
        name_cell(f, c->category.name);
        num(f, c->n);
        num(f, c->n_before);
        fputs("<td class=\"name\">", f);
        for (int t = 0; t < c->n_towns; t++) {
            if (t) fputs("、", f);
            text_html(f, c->town[t].name);
            fprintf(f, " %lld", (long long)c->town_n[t]);
        }
        fputs("</td></tr>", f);
    }
    fputs("</tbody></table></div></section>", f);
}

static void ratings(FILE *f, const bulletin *b) {
    static const char *const cols[] = {"单位", "评价数", "好评率", "差评数", "差评整改率"};
    fputs("<section><h2>六、码上评</h2>", f);
    head(f, cols, 5);
    for (size_t i = 0; i < b->n_units; i++) {
        const bul_unit *u = &b->units[i];
        if (!u->evals) continue;
        fputs("<tr>", f);
        name_cell(f, u->unit.name);
        num(f, u->evals);
        pct(f, (double)u->good / (double)u->evals);
        num(f, u->bad);
        pct(f, u->bad_due ? (double)u->bad_fixed / (double)u->bad_due : NAN);
        fputs("</tr>", f);
    }
    fputs("</tbody></table></div></section>", f);
}

static void proposals(FILE *f, const bulletin *b) {
    static const char *const cols[] = {"单位", "建议", "提案", "已答复", "A", "B", "C", "D", "满意率"};
    bul_proposals total;
    bulletin_proposals_total(b, &total);
    fputs("<section data-proposals><h2>七、人大代表建议和政协提案办理</h2>", f);
    head(f, cols, 9);
    for (size_t i = 0; i <= b->n_units; i++) {
        const bul_proposals *p = i < b->n_units ? &b->units[i].prop : &total;
        if (i < b->n_units && !p->deputy && !p->cppcc) continue;
        fputs(i < b->n_units ? "<tr>" : "<tr class=\"total\">", f);
        name_cell(f, i < b->n_units ? b->units[i].unit.name : "合计");
        const int64_t v[] = {p->deputy, p->cppcc, p->answered, p->by_answer[ANS_A], p->by_answer[ANS_B],
                             p->by_answer[ANS_C], p->by_answer[ANS_D]};
        for (int c = 0; c < 7; c++) num(f, v[c]);
        pct(f, p->visited ? (double)p->satisfied / (double)p->visited : NAN);
        fputs("</tr>", f);
    }
    fputs("</tbody></table></div><p class=\"note\">A 已解决，B 正在解决，C 列入计划逐步解决，D 留作参考；"
          "B、C 类答复在承诺期限届满并核实前不销号。满意率为代表、委员满意和基本满意的比例。</p></section>", f);
}

static void appraisal(FILE *f, const bulletin *b) {
    fputs("<section data-appraisal><h2>八、综合考评</h2><div class=\"wide\"><table><thead><tr><th>名次</th>"
          "<th>单位</th><th>得分</th>", f);
    for (int p = 0; p < AP_PARTS; p++)
        fprintf(f, "<th>%s（%d%%）</th>", appraise_part_label((appraise_part_kind)p), (int)lround(b->aw.w[p] * 100));
    fputs("</tr></thead><tbody>", f);
    size_t n = 0, *order = bulletin_appraisal_order(b, &n);
    for (size_t i = 0; order && i < n; i++) {
        const bul_unit *u = &b->units[order[i]];
        if (u->score_rank) fprintf(f, "<tr><td>%d</td>", u->score_rank);
        else fputs("<tr><td>不排名</td>", f);
        name_cell(f, u->unit.name);
        pct(f, u->score);
        for (int p = 0; p < AP_PARTS; p++) pct(f, u->part[p].value);
        fputs("</tr>", f);
    }
    free(order);
    fputs("</tbody></table></div><p class=\"note\">得分为各项按权重加权，缺项不计、其权重按比例分摊；"
          "项目计划完成度为完成率与时间进度之比，最高计 100%。</p></section>", f);
}

void bulletin_html(const bulletin *b, FILE *f, int64_t made_at, int tz) {
    char from[11], to[11], made[17], as_of[17];
    dt_format_date(dt_local_day(b->from, tz), from);
    dt_format_date(dt_local_day(b->to - 1, tz), to);
    dt_format_minute(made_at, tz, made);
    dt_format_minute(b->at, tz, as_of);
    fprintf(f, "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
               "<title>诉求办理情况通报 %s 至 %s</title><style>%s</style></head><body><main>"
               "<h1>诉求办理情况通报</h1><p class=\"period\">",
            from, to, bulletin_style);
    if (b->issue_no) fprintf(f, "<b data-issue>第 %lld 期</b> · ", (long long)b->issue_no);
    fprintf(f, "%s 至 %s · 制表 %s · <span data-as-of>数据截至 %s</span></p>", from, to, made, as_of);
    if (b->corrects) {
        fprintf(f, "<p class=\"correction\" data-corrects=\"%lld\">本期更正第 %lld 期：", (long long)b->corrects,
                (long long)b->corrects);
        text_html(f, b->note);
        fputs("</p>", f);
    }
    overview(f, b);
    ranking(f, b, UNIT_DEPT, "二、市直部门综合排名");
    ranking(f, b, UNIT_TOWNSHIP, "三、乡镇街道综合排名");
    channels(f, b);
    categories(f, b);
    ratings(f, b);
    proposals(f, b);
    appraisal(f, b);
    fputs("</main></body></html>", f);
}
