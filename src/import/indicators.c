/* import/indicators: see indicators.h. */
#include "import/indicators.h"

#include <stdlib.h>
#include <string.h>

/* Appends a bad row's message; false once there are too many to list. */
static bool bad_row(json_t *errors, size_t row, const char *msg) {
    if (json_array_size(errors) < IMPORT_MAX_ERRORS)
        json_array_append_new(errors, json_pack("{s:I, s:s}", "row", (json_int_t)row, "message", msg));
    return json_array_size(errors) < IMPORT_MAX_ERRORS;
}

int import_indicators(const table *t, import_resolve_fn resolve, void *ctx, ind_row **rows, size_t *n,
                      json_t *errors, err *e) {
    static const char *const code_h[] = {"指标", "指标代码", "indicator", "code", NULL};
    static const char *const kind_h[] = {"类型", "kind", NULL};
    static const char *const period_h[] = {"期间", "年度", "period", NULL};
    static const char *const value_h[] = {"增速", "增速(%)", "增速（%）", "value", NULL};
    static const char *const source_h[] = {"来源", "source", NULL};
    *rows = NULL;
    *n = 0;
    int c_code = table_find_col(t, 0, code_h), c_kind = table_find_col(t, 0, kind_h),
        c_period = table_find_col(t, 0, period_h), c_value = table_find_col(t, 0, value_h),
        c_source = table_find_col(t, 0, source_h);
    if (c_code < 0 || c_kind < 0 || c_period < 0 || c_value < 0)
        return err_set(e, ERR_INVALID, "file",
                       "the first row must name the columns 指标, 类型, 期间 and 增速 (来源 optional)");
    ind_row *out = calloc(table_rows(t), sizeof *out);
    if (!out) return err_set(e, ERR_NOMEM, "", "out of memory");
    size_t k = 0;
    bool more = true;
    for (size_t r = 1; more && r < table_rows(t); r++) {
        if (table_row_blank(t, r)) continue;
        ind_row x = {.line = (int)r + 1, .code = table_cell(t, r, (size_t)c_code),
                     .period = table_cell(t, r, (size_t)c_period),
                     .source = c_source >= 0 ? table_cell(t, r, (size_t)c_source) : NULL};
        err bad = {0};
        int year, ord;
        const char *code = x.code[0] ? resolve(ctx, x.code) : NULL;
        if (!x.code[0]) err_set(&bad, ERR_INVALID, "code", "no indicator");
        else if (!code) err_set(&bad, ERR_INVALID, "code", "no indicator '%.100s'", x.code);
        else if (!ind_kind_parse(table_cell(t, r, (size_t)c_kind), &x.kind, &bad) &&
                 !ind_period_parse(x.period, &year, &ord, "period", &bad) &&
                 !ind_value_parse(table_cell(t, r, (size_t)c_value), &x.value, "value", &bad) &&
                 x.kind == IND_TARGET && strlen(x.period) != 4)
            err_set(&bad, ERR_INVALID, "period", "a target is for a whole year, not '%s'", x.period);
        if (!bad.code && x.source && strlen(x.source) > 90) err_set(&bad, ERR_INVALID, "source", "the source is too long");
        if (bad.code)
            more = bad_row(errors, r + 1, bad.msg);
        else
            x.code = code, out[k++] = x;
    }
    if (json_array_size(errors)) {
        free(out);
        return err_set(e, ERR_INVALID, "file", "%zu row(s) are wrong; nothing was imported",
                       json_array_size(errors));
    }
    *rows = out;
    *n = k;
    return 0;
}
