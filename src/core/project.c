/* project: see project.h. */
#include "core/project.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/datetime.h"

static const char *const cat_names[PC_COUNT] = {"industry", "infrastructure", "livelihood", "other"};
static const char *const cat_labels[PC_COUNT] = {"工业", "基础设施", "民生", "其他"};
static const char *const level_names[PL_COUNT] = {"province", "jiaozuo", "city"};
static const char *const level_labels[PL_COUNT] = {"省重点", "焦作市重点", "市重点"};
static const char *const stage_names[PS_COUNT] = {"planning", "signed", "started", "producing"};
static const char *const stage_labels[PS_COUNT] = {"谋划", "签约", "开工", "投产"};
static const char *const rag_names[] = {"none", "green", "yellow", "red"};

const char *proj_category_name(proj_category c) { return c < PC_COUNT ? cat_names[c] : "?"; }
const char *proj_category_label(proj_category c) { return c < PC_COUNT ? cat_labels[c] : "?"; }
const char *proj_level_name(proj_level l) { return l < PL_COUNT ? level_names[l] : "?"; }
const char *proj_level_label(proj_level l) { return l < PL_COUNT ? level_labels[l] : "?"; }
const char *proj_stage_name(proj_stage s) { return s < PS_COUNT ? stage_names[s] : "?"; }
const char *proj_stage_label(proj_stage s) { return s < PS_COUNT ? stage_labels[s] : "?"; }
const char *proj_rag_name(proj_rag r) { return rag_names[r]; }

static int lookup(const char *s, const char *const *names, const char *const *labels, int n, int *out) {
    for (int i = 0; s && i < n; i++)
        if (!strcmp(s, names[i]) || !strcmp(s, labels[i])) {
            *out = i;
            return 0;
        }
    return -1;
}

int proj_category_parse(const char *s, proj_category *out, err *e) {
    int i;
    if (lookup(s, cat_names, cat_labels, PC_COUNT, &i))
        return err_set(e, ERR_INVALID, "category", "category '%s' must be 工业 (industry), 基础设施"
                       " (infrastructure), 民生 (livelihood) or 其他 (other)", s ? s : "");
    *out = (proj_category)i;
    return 0;
}

int proj_level_parse(const char *s, proj_level *out, err *e) {
    int i;
    if (lookup(s, level_names, level_labels, PL_COUNT, &i))
        return err_set(e, ERR_INVALID, "level", "level '%s' must be 省重点 (province), 焦作市重点 (jiaozuo)"
                       " or 市重点 (city)", s ? s : "");
    *out = (proj_level)i;
    return 0;
}

int proj_stage_parse(const char *s, proj_stage *out, err *e) {
    int i;
    if (lookup(s, stage_names, stage_labels, PS_COUNT, &i))
        return err_set(e, ERR_INVALID, "stage", "stage '%s' must be 谋划 (planning), 签约 (signed), 开工"
                       " (started) or 投产 (producing)", s ? s : "");
    *out = (proj_stage)i;
    return 0;
}

int proj_amount_parse(const char *s, double *v, const char *field, err *e) {
    char *end;
    double x = s && *s ? strtod(s, &end) : NAN;
    const char *dot = s ? strchr(s, '.') : NULL;
    if (!s || !*s || *end || isnan(x) || x < 0 || x > 1e7 || (dot && strspn(dot + 1, "0123456789") > 2))
        return err_set(e, ERR_INVALID, field, "%s '%s' must be an amount in 万元 from 0 to 10000000 with at most"
                       " 2 decimals", field, s ? s : "");
    *v = x;
    return 0;
}

double proj_year_gone(int32_t day) {
    int y, m, d;
    dt_civil_from_days(day, &y, &m, &d);
    int32_t first = dt_days_from_civil(y, 1, 1), next = dt_days_from_civil(y + 1, 1, 1);
    return (double)(day - first + 1) / (double)(next - first);
}

proj_rag proj_judge(double done, double plan, double gone) {
    if (!(plan > 0)) return RAG_NONE;
    double share = done / plan; /* points compared in tenths, as shown */
    long s = lround(share * 1000), g = lround(gone * 1000);
    return s >= g ? RAG_GREEN : s >= g - PROJ_RAG_YELLOW_POINTS * 10 ? RAG_YELLOW : RAG_RED;
}
