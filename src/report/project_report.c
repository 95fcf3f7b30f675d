/* project_report: see project_report.h. */
#include "report/project_report.h"

#include <math.h>
#include <string.h>
#include <xlsxwriter.h>

#include "util/datetime.h"
#include "util/text.h"

static const char *const rag_labels[] = {"—", "绿", "黄", "红"};

proj_rag project_report_rag(const project_report *r, const store_project *p) {
    return proj_judge(p->done, p->year_plan, r->gone);
}

static void title(const project_report *r, char *out, size_t n) {
    char made[17];
    dt_format_minute(r->at, r->tz, made);
    snprintf(out, n, "%d 年重点项目建设周通报（截至 %s，时间进度 %.1f%%）", r->year, made, r->gone * 100);
}

int project_report_xlsx(const project_report *r, const char *path, err *e) {
    static const char *const cols[] = {"序号", "项目名称", "类别", "级别", "阶段", "责任单位", "分包领导",
                                       "总投资（万元）", "年度计划（万元）", "已完成（万元）", "完成率", "状态",
                                       "最新进展", "存在问题", "问题件（未办结）"};
    static const int widths[] = {6, 40, 9, 11, 7, 24, 10, 13, 14, 13, 9, 6, 36, 30, 14};
    enum { N = sizeof cols / sizeof *cols };
    lxw_workbook *wb = workbook_new(path);
    if (!wb) return err_set(e, ERR_IO, "out", "cannot create the workbook %s", path);
    lxw_format *bold = workbook_add_format(wb), *head = workbook_add_format(wb), *pct = workbook_add_format(wb),
               *money = workbook_add_format(wb), *fill[4] = {NULL};
    format_set_bold(bold);
    format_set_font_size(bold, 14);
    format_set_bold(head);
    format_set_bg_color(head, 0xF2F2F2);
    format_set_num_format(pct, "0.0%");
    format_set_num_format(money, "#,##0.00");
    static const lxw_color_t colours[] = {0, 0xC6EFCE, 0xFFEB9C, 0xFFC7CE};
    for (int k = RAG_GREEN; k <= RAG_RED; k++) {
        fill[k] = workbook_add_format(wb);
        format_set_bg_color(fill[k], colours[k]);
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, "重点项目");
    char t[200];
    title(r, t, sizeof t);
    worksheet_merge_range(ws, 0, 0, 0, N - 1, t, bold);
    for (int c = 0; c < N; c++) {
        worksheet_write_string(ws, 1, (lxw_col_t)c, cols[c], head);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    }
    worksheet_freeze_panes(ws, 2, 2);
    for (size_t i = 0; i < r->n; i++) {
        const store_project *p = &r->p[i];
        lxw_row_t row = (lxw_row_t)(2 + i);
        proj_rag rag = project_report_rag(r, p);
        worksheet_write_number(ws, row, 0, (double)(i + 1), NULL);
        worksheet_write_string(ws, row, 1, p->name, NULL);
        worksheet_write_string(ws, row, 2, proj_category_label(p->category), NULL);
        worksheet_write_string(ws, row, 3, proj_level_label(p->level), NULL);
        worksheet_write_string(ws, row, 4, proj_stage_label(p->stage), NULL);
        worksheet_write_string(ws, row, 5, p->unit.name, NULL);
        worksheet_write_string(ws, row, 6, p->leader, NULL);
        worksheet_write_number(ws, row, 7, p->total, money);
        worksheet_write_number(ws, row, 8, p->year_plan, money);
        worksheet_write_number(ws, row, 9, p->done, money);
        if (p->year_plan > 0)
            worksheet_write_number(ws, row, 10, p->done / p->year_plan, pct);
        else
            worksheet_write_string(ws, row, 10, "—", NULL);
        worksheet_write_string(ws, row, 11, rag_labels[rag], rag ? fill[rag] : NULL);
        worksheet_write_string(ws, row, 12, p->last_progress, NULL);
        worksheet_write_string(ws, row, 13, p->last_problems, NULL);
        worksheet_write_number(ws, row, 14, (double)p->problems_open, NULL);
    }
    /* totals by level, then all */
    lxw_row_t row = (lxw_row_t)(3 + r->n);
    worksheet_write_string(ws, row++, 1, "合计（按级别）", head);
    for (int l = 0; l <= PL_COUNT; l++) {
        double plan = 0, done = 0;
        int n = 0;
        for (size_t i = 0; i < r->n; i++)
            if (l == PL_COUNT || r->p[i].level == (proj_level)l) plan += r->p[i].year_plan, done += r->p[i].done, n++;
        char label[48];
        snprintf(label, sizeof label, "%s（%d 个）", l == PL_COUNT ? "全部" : proj_level_label((proj_level)l), n);
        worksheet_write_string(ws, row, 1, label, NULL);
        worksheet_write_number(ws, row, 8, plan, money);
        worksheet_write_number(ws, row, 9, done, money);
        if (plan > 0) worksheet_write_number(ws, row, 10, done / plan, pct);
        row++;
    }
    worksheet_write_string(ws, row + 1, 1, "状态：完成率不低于时间进度为绿；低于时间进度 10 个百分点以内为黄；更低为红。", NULL);
    lxw_error rc = workbook_close(wb);
    if (rc != LXW_NO_ERROR) return err_set(e, ERR_IO, "out", "cannot write the workbook: %s", lxw_strerror(rc));
    return 0;
}

const char project_style[] =
    "@page{size:A4 landscape;margin:12mm}body{font-family:'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;"
    "font-size:10pt;color:#111;margin:0}main{max-width:1200px;margin:0 auto;padding:8px}h1{font-size:16pt;"
    "text-align:center;margin:4px 0}p.period{text-align:center;color:#444}table{border-collapse:collapse;"
    "width:100%}th,td{border:1px solid #999;padding:1mm 1.5mm;text-align:right}th{background:#f2f2f2}"
    "td.l{text-align:left}td.green{background:#c6efce}td.yellow{background:#ffeb9c}td.red{background:#ffc7ce}"
    "tr{page-break-inside:avoid}.note{font-size:9pt;color:#444}div.wide{overflow-x:auto}"
    "@media screen and (max-width:700px){body{font-size:9pt}}";

static void cell(FILE *f, const char *cls, const char *s) {
    fprintf(f, "<td class=\"%s\">", cls);
    text_html(f, s);
    fputs("</td>", f);
}

void project_report_html(const project_report *r, FILE *f) {
    char t[200];
    title(r, t, sizeof t);
    fputs("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>", f);
    text_html(f, t);
    fprintf(f, "</title><style>%s</style></head><body><main><h1>重点项目建设周通报</h1><p class=\"period\">", project_style);
    text_html(f, t);
    fputs("</p><div class=\"wide\"><table><thead><tr><th>序号</th><th>项目名称</th><th>级别</th><th>阶段</th>"
          "<th>责任单位</th><th>年度计划（万元）</th><th>已完成（万元）</th><th>完成率</th><th>状态</th>"
          "<th>存在问题</th></tr></thead><tbody>", f);
    static const char *const cls[] = {"l", "green", "yellow", "red"};
    for (size_t i = 0; i < r->n; i++) {
        const store_project *p = &r->p[i];
        proj_rag rag = project_report_rag(r, p);
        fprintf(f, "<tr data-project=\"%lld\"><td>%zu</td>", (long long)p->id, i + 1);
        cell(f, "l", p->name);
        cell(f, "l", proj_level_label(p->level));
        cell(f, "l", proj_stage_label(p->stage));
        cell(f, "l", p->unit.name);
        fprintf(f, "<td>%.2f</td><td>%.2f</td>", p->year_plan, p->done);
        if (p->year_plan > 0) fprintf(f, "<td>%.1f%%</td>", p->done / p->year_plan * 100);
        else fputs("<td>—</td>", f);
        fprintf(f, "<td class=\"%s\" data-rag=\"%s\">%s</td>", cls[rag], proj_rag_name(rag), rag_labels[rag]);
        cell(f, "l", p->last_problems);
        fputs("</tr>", f);
    }
    fputs("</tbody></table></div><p class=\"note\">状态：完成率（本年已完成投资 ÷ 年度计划投资）不低于时间进度为绿；"
          "低于时间进度 10 个百分点以内为黄；更低为红。</p></main></body></html>", f);
}
