/* bulletin_xlsx: see bulletin_xlsx.h. */
#include "report/bulletin_xlsx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "util/datetime.h"

typedef struct book {
    lxw_workbook *wb;
    lxw_format *title, *head, *pct, *num;
    char title_text[200];
    char link_month[8]; /* "YYYY-MM" when the rates link to their cases; "" not */
} book;

/* A sheet with its title row (period and when made) and its header row,
 * frozen below them; widths in characters (a Chinese character is ~2). */
static lxw_worksheet *sheet(book *k, const char *name, const char *const *cols, const int *widths, int n) {
    lxw_worksheet *ws = workbook_add_worksheet(k->wb, name);
    char title[256];
    snprintf(title, sizeof title, "%s · %s", name, k->title_text);
    worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(n - 1), title, k->title);
    worksheet_set_row(ws, 0, 24, NULL);
    for (int c = 0; c < n; c++) {
        worksheet_write_string(ws, 1, (lxw_col_t)c, cols[c], k->head);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    }
    worksheet_freeze_panes(ws, 2, 0);
    return ws;
}

static void rate(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v, const book *k) {
    if (isnan(v))
        worksheet_write_string(ws, r, c, "—", NULL);
    else
        worksheet_write_number(ws, r, c, v, k->pct);
}

static void count(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, int64_t v, const book *k) {
    worksheet_write_number(ws, r, c, (double)v, k->num);
}

static const char *trend_mark(const bul_unit *u) {
    if (!u->rank || !u->rank_before) return "";
    return u->rank < u->rank_before ? "↑" : u->rank > u->rank_before ? "↓" : "→";
}

static void overview(book *k, const bulletin *b) {
    static const char *const cols[] = {"项目", "本期", "上期"};
    static const int widths[] = {22, 14, 14};
    lxw_worksheet *ws = sheet(k, "概览", cols, widths, 3);
    bul_line lines[16];
    int n = bulletin_overview(b, lines);
    lxw_row_t row = 2;
    for (int i = 0; i < n; i++, row++) {
        worksheet_write_string(ws, row, 0, lines[i].label, NULL);
        if (lines[i].rate) {
            rate(ws, row, 1, lines[i].now, k);
            rate(ws, row, 2, lines[i].before, k);
        } else { /* NaN: not counted for that period */
            for (int c = 0; c < 2; c++) {
                double v = c ? lines[i].before : lines[i].now;
                if (isnan(v))
                    worksheet_write_string(ws, row, (lxw_col_t)(1 + c), "—", NULL);
                else
                    count(ws, row, (lxw_col_t)(1 + c), (int64_t)v, k);
            }
        }
    }
    worksheet_write_string(ws, row, 0, "当前超期在办（件）", NULL);
    count(ws, row, 1, b->overdue_open, k);
    row += 2;
    if (b->corrects) {
        char said[1024];
        snprintf(said, sizeof said, "本期更正第 %lld 期：%s", (long long)b->corrects, b->note ? b->note : "");
        worksheet_write_string(ws, row++, 0, said, NULL);
    }
    char said[1024], note[1200];
    sch_describe(&b->sch, said, sizeof said);
    snprintf(note, sizeof note, "%s；期内交办不足 %lld 件的单位列出但不排名。", said, (long long)b->rank_min);
    worksheet_write_string(ws, row, 0, note, NULL);
}

/* A rate that opens to its cases: =HYPERLINK to the 通报 page's drill-down
 * for the unit and figure as of the workbook's moment (the same cases as
 * its figures), its value the rate (cached for viewers that do not
 * recalculate), formatted as the other rates. */
static void drill(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v, const book *k, const bulletin *b,
                  const bul_unit *u, const char *figure) {
    char f[768], at[32];
    dt_format_utc(b->at, at);
    snprintf(f, sizeof f, "=HYPERLINK(\"%s/bulletin?month=%s&at=%s&unit=%s&figure=%s\",%.12g)", b->site,
             k->link_month, at, u->unit.code, figure, v);
    worksheet_write_formula_num(ws, r, c, f, k->pct, v);
}

static void ranking(book *k, const bulletin *b, unit_kind kind, const char *name) {
    /* 名次 单位 交办, every rate the JSON has (metrics' table), 综合 上期名次 升降 */
    enum { FIRST = 3, LAST = FIRST + MET_F_COUNT, NCOLS = LAST + 3 };
    const char *cols[NCOLS] = {"名次", "单位", "交办"};
    int widths[NCOLS] = {7, 28, 8};
    for (int f = 0; f < MET_F_COUNT; f++) cols[FIRST + f] = met_figure_label(f), widths[FIRST + f] = 10;
    cols[LAST] = "综合", cols[LAST + 1] = "上期名次", cols[LAST + 2] = "升降";
    widths[LAST] = 9, widths[LAST + 1] = 9, widths[LAST + 2] = 6;
    lxw_worksheet *ws = sheet(k, name, cols, widths, NCOLS);
    lxw_row_t row = 2;
    for (size_t i = 0; i < b->n_units; i++) {
        const bul_unit *u = &b->units[i];
        if (u->kind != kind) continue;
        if (u->rank)
            count(ws, row, 0, u->rank, k);
        else
            worksheet_write_string(ws, row, 0, "不排名", NULL);
        worksheet_write_string(ws, row, 1, u->unit.name, NULL);
        count(ws, row, 2, u->now.dispatched, k);
        for (int f = 0; f < MET_F_COUNT; f++) {
            double v = met_figure_rate(&u->r, f);
            if (k->link_month[0] && !isnan(v))
                drill(ws, row, (lxw_col_t)(FIRST + f), v, k, b, u, met_figure_name(f));
            else
                rate(ws, row, (lxw_col_t)(FIRST + f), v, k);
        }
        rate(ws, row, LAST, u->r.composite, k);
        if (u->rank_before)
            count(ws, row, LAST + 1, u->rank_before, k);
        else
            worksheet_write_string(ws, row, LAST + 1, "—", NULL);
        worksheet_write_string(ws, row, LAST + 2, trend_mark(u), NULL);
        row++;
    }
}

static void channels(book *k, const bulletin *b) {
    static const char *const cols[] = {"受理渠道", "件数", "", "紧急程度", "件数"};
    static const int widths[] = {18, 10, 4, 12, 10};
    lxw_worksheet *ws = sheet(k, "渠道与紧急程度", cols, widths, 5);
    for (int c = 0; c < CH_COUNT; c++) {
        worksheet_write_string(ws, (lxw_row_t)(2 + c), 0, case_channel_label((case_channel)c), NULL);
        count(ws, (lxw_row_t)(2 + c), 1, b->by_channel[c], k);
    }
    for (int c = 0; c < CL_COUNT; c++) {
        worksheet_write_string(ws, (lxw_row_t)(2 + c), 3, case_class_label((case_class)c), NULL);
        count(ws, (lxw_row_t)(2 + c), 4, b->by_class[c], k);
    }
}

static void categories(book *k, const bulletin *b) {
    static const char *const cols[] = {"序号", "问题分类", "件数", "上期", "主要来源乡镇（件）"};
    static const int widths[] = {6, 18, 8, 8, 44};
    lxw_worksheet *ws = sheet(k, "高频问题", cols, widths, 5);
    for (int i = 0; i < b->n_top; i++) {
        const bul_category *c = &b->top[i];
        lxw_row_t row = (lxw_row_t)(2 + i);
        count(ws, row, 0, i + 1, k);
        worksheet_write_string(ws, row, 1, c->category.name, NULL);
        count(ws, row, 2, c->n, k);
        count(ws, row, 3, c->n_before, k);
        char towns[256] = "";
        size_t used = 0;
        for (int t = 0; t < c->n_towns && used < sizeof towns; t++)
            used += (size_t)snprintf(towns + used, sizeof towns - used, "%s%s %lld", t ? "、" : "",
                                     c->town[t].name, (long long)c->town_n[t]);
        worksheet_write_string(ws, row, 4, towns, NULL);
    }
}

static void ratings(book *k, const bulletin *b) {
    static const char *const cols[] = {"单位", "评价数", "好评率", "差评数", "实名差评", "应整改", "按期整改", "整改率"};
    static const int widths[] = {28, 9, 9, 9, 9, 9, 9, 9};
    lxw_worksheet *ws = sheet(k, "码上评", cols, widths, 8);
    lxw_row_t row = 2;
    for (size_t i = 0; i < b->n_units; i++) {
        const bul_unit *u = &b->units[i];
        if (!u->evals) continue;
        worksheet_write_string(ws, row, 0, u->unit.name, NULL);
        count(ws, row, 1, u->evals, k);
        rate(ws, row, 2, (double)u->good / (double)u->evals, k);
        count(ws, row, 3, u->bad, k);
        count(ws, row, 4, u->bad_cases, k);
        count(ws, row, 5, u->bad_due, k);
        count(ws, row, 6, u->bad_fixed, k);
        rate(ws, row, 7, u->bad_due ? (double)u->bad_fixed / (double)u->bad_due : NAN, k);
        row++;
    }
}

/* 人大代表建议 and 政协提案 per unit that led any, then the total. */
static void proposals(book *k, const bulletin *b) {
    static const char *const cols[] = {"单位", "建议", "提案", "已答复", "A 已解决", "B 正在解决",
                                       "C 列入计划", "D 留作参考", "满意率"};
    static const int widths[] = {28, 7, 7, 8, 9, 11, 11, 11, 9};
    lxw_worksheet *ws = sheet(k, "建议提案", cols, widths, 9);
    lxw_row_t row = 2;
    bul_proposals total;
    bulletin_proposals_total(b, &total);
    for (size_t i = 0; i <= b->n_units; i++) {
        const bul_proposals *p = i < b->n_units ? &b->units[i].prop : &total;
        if (i < b->n_units && !p->deputy && !p->cppcc) continue;
        worksheet_write_string(ws, row, 0, i < b->n_units ? b->units[i].unit.name : "合计", i < b->n_units ? NULL : k->head);
        const int64_t v[] = {p->deputy, p->cppcc, p->answered, p->by_answer[ANS_A], p->by_answer[ANS_B],
                             p->by_answer[ANS_C], p->by_answer[ANS_D]};
        for (int c = 0; c < 7; c++) count(ws, row, (lxw_col_t)(1 + c), v[c], k);
        rate(ws, row, 8, p->visited ? (double)p->satisfied / (double)p->visited : NAN, k);
        row++;
    }
}

/* 综合考评: each group by its rank, every part with its weight in the head. */
static void appraisal(book *k, const bulletin *b) {
    static const char *const fixed[] = {"名次", "单位", "组别", "综合考评得分"};
    static const int widths[] = {8, 28, 10, 13, 15, 15, 13, 16, 16};
    char head[AP_PARTS][48];
    const char *cols[4 + AP_PARTS];
    for (int i = 0; i < 4; i++) cols[i] = fixed[i];
    for (int p = 0; p < AP_PARTS; p++) {
        snprintf(head[p], sizeof head[p], "%s（%d%%）", appraise_part_label((appraise_part_kind)p),
                 (int)lround(b->aw.w[p] * 100));
        cols[4 + p] = head[p];
    }
    lxw_worksheet *ws = sheet(k, "综合考评", cols, widths, 4 + AP_PARTS);
    size_t n = 0, *order = bulletin_appraisal_order(b, &n);
    for (size_t i = 0; order && i < n; i++) {
        const bul_unit *u = &b->units[order[i]];
        lxw_row_t row = (lxw_row_t)(2 + i);
        if (u->score_rank) count(ws, row, 0, u->score_rank, k);
        else worksheet_write_string(ws, row, 0, "不排名", NULL);
        worksheet_write_string(ws, row, 1, u->unit.name, NULL);
        worksheet_write_string(ws, row, 2, u->kind == UNIT_DEPT ? "市直部门" : "乡镇街道", NULL);
        rate(ws, row, 3, u->score, k);
        for (int p = 0; p < AP_PARTS; p++) rate(ws, row, (lxw_col_t)(4 + p), u->part[p].value, k);
    }
    free(order);
    worksheet_write_string(ws, (lxw_row_t)(3 + n), 0, "综合考评得分为各项按权重加权（缺项不计，其权重按比例分摊）；"
                           "项目计划完成度为完成率与时间进度之比，最高计 100%。", NULL);
}

int bulletin_xlsx(const bulletin *b, const char *path, int64_t made_at, int tz, err *e) {
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE};
    book k = {.wb = workbook_new_opt(path, &opt)};
    if (!k.wb) return err_set(e, ERR_IO, "out", "cannot create the workbook %s", path);
    k.title = workbook_add_format(k.wb);
    format_set_bold(k.title);
    format_set_font_size(k.title, 14);
    k.head = workbook_add_format(k.wb);
    format_set_bold(k.head);
    format_set_bg_color(k.head, 0xF2F2F2);
    format_set_border(k.head, LXW_BORDER_THIN);
    k.pct = workbook_add_format(k.wb);
    format_set_num_format(k.pct, "0.0%");
    k.num = workbook_add_format(k.wb);
    format_set_num_format(k.num, "0");
    char from[32], to[32], made[17], as_of[17];
    dt_format_date(dt_local_day(b->from, tz), from);
    dt_format_date(dt_local_day(b->to - 1, tz), to);
    dt_format_minute(made_at, tz, made);
    dt_format_minute(b->at, tz, as_of);
    char no[32] = "";
    if (b->issue_no) snprintf(no, sizeof no, "第 %lld 期 ", (long long)b->issue_no);
    snprintf(k.title_text, sizeof k.title_text, "%s%s 至 %s（制表 %s，数据截至 %s）", no, from, to, made, as_of);
    /* the page drills into a month: links only for a 通报 of a whole month */
    int64_t mf, mt, mb;
    char month[8];
    snprintf(month, sizeof month, "%.7s", from);
    if (b->site[0] && !bulletin_month(month, tz, &mf, &mt, &mb, NULL) && mf == b->from && mt == b->to)
        snprintf(k.link_month, sizeof k.link_month, "%s", month);
    overview(&k, b);
    ranking(&k, b, UNIT_DEPT, "市直部门排名");
    ranking(&k, b, UNIT_TOWNSHIP, "乡镇街道排名");
    channels(&k, b);
    categories(&k, b);
    ratings(&k, b);
    proposals(&k, b);
    appraisal(&k, b);
    lxw_error rc = workbook_close(k.wb);
    if (rc != LXW_NO_ERROR)
        return err_set(e, ERR_IO, "out", "cannot write the workbook %s: %s", path, lxw_strerror(rc));
    return 0;
}

int bulletin_xlsx_fill(void *ctx, const char *path, err *e) {
    const bulletin_xlsx_args *a = ctx;
    return bulletin_xlsx(a->b, path, a->made_at, a->tz, e);
}
