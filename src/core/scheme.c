/* scheme: see scheme.h. The presets and their sources are the table below;
 * docs/rules.md quotes them. */
#include "core/scheme.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* A term scored in proportion to its rate: full marks at 100%. */
#define LINEAR(f, w) {.figure = (f), .weight = (w), .full = 1.0, .slope = (w) / 100.0}

const sch_preset sch_presets[] = {
    /* The default: 准格尔旗's 三率 (响应率 30, 解决率 35, 满意率 35), with its
     * 解决率 read as completion over the cases due, so that a unit that
     * finishes nothing is not scored on signing alone. */
    {"default", "三率（签收 30、按时结案 35、满意 35）",
     "准格尔旗 12345 三率考核 (响应率30%、解决率35%、满意率35%): http://www.caprane.cn/zixun_detail/445180.html",
     {.name = "default", .n_terms = 3, .min_obs = 5,
      .term = {LINEAR(MET_F_ACCEPT, 30), LINEAR(MET_F_ONTIME, 35), LINEAR(MET_F_SATISFY, 35)}}},
    /* 连云港: 按时办结率 points = rate - 75, none below 75%; 签收率 80% gives 0;
     * 满意率 about 0.5 x rate - 24 with a floor near 12.5 (fitted to the
     * published pairs: practice.md A.1). */
    {"lianyungang", "连云港 12345 绩效评估（连12345发〔2021〕1号）",
     "连云港 12345在线平台绩效评估标准, monthly 通报: http://www.lyg.gov.cn/zglygzfmhwz/fktj/"
     "content/f7176698-8c1e-4122-a0f0-74dd65af7f19.html (points fitted to the published rates)",
     {.name = "lianyungang", .n_terms = 3, .min_obs = 1,
      .term = {{.figure = MET_F_ACCEPT, .weight = 20, .full = 1.0, .slope = 1.0},
               {.figure = MET_F_ONTIME, .weight = 25, .full = 1.0, .slope = 1.0},
               {.figure = MET_F_SATISFY, .weight = 26, .full = 1.0, .slope = 0.5, .floor = 12.5}}}},
    /* 金华 数字城管: 按期结案率 50 (full at 70%, -1 a point below), 结案率 20
     * (full at 90%), 返工 -0.2 a case (of its 5 points); 紧急 10 and 领导交办 5
     * have no figure here and are left out. */
    {"jinhua", "金华 数字城管考核（按期结案 50、结案 20、返工扣分）",
     "金华 数字城管 考核办法: https://m.wenke99.com/p-414460.html",
     {.name = "jinhua", .n_terms = 2, .n_adjust = 1, .min_obs = 1,
      .term = {{.figure = MET_F_ONTIME, .weight = 50, .full = 0.70, .slope = 1.0},
               {.figure = MET_F_RESOLVE, .weight = 20, .full = 0.90, .slope = 1.0}},
      .adjust = {{.count = 0 /* reopened */, .points = -0.2, .cap = 5}}}},
    /* 扬州 数字城管 (out of 105): 常规案件 70, 返工 5, 12319 5 (here 满意率),
     * 专项 10 and 基础 10 (no figure here, left out), +5 for 重大活动. */
    {"yangzhou", "扬州 数字城管考核（常规 70、返工 5、热线 5）",
     "扬州 数字城管 考核: https://m.777doc.com/doc-590021.html",
     {.name = "yangzhou", .n_terms = 3, .min_obs = 1,
      .term = {LINEAR(MET_F_ONTIME, 70), {.figure = MET_F_REOPEN, .weight = 5, .full = 1.0, .slope = 0.05,
                                          .lower_better = true},
               LINEAR(MET_F_SATISFY, 5)}}},
    /* The weights before schemes (composite_weights 30/35/35): 按时签收率,
     * 解决率, 满意率 — kept for a county that wants its old ranking; it has
     * no completion term. */
    {"legacy", "旧综合得分（签收 30、解决 35、满意 35）", "duban before schema 38 (composite_weights)",
     {.name = "legacy", .n_terms = 3, .min_obs = 1,
      .term = {LINEAR(MET_F_ACCEPT, 30), LINEAR(MET_F_SOLVE, 35), LINEAR(MET_F_SATISFY, 35)}}},
};
const int sch_n_presets = (int)(sizeof sch_presets / sizeof *sch_presets);

/* What an adjustment may count, per case. */
static const struct { const char *name; size_t off; } counts[] = {
    {"reopened", offsetof(met_counts, reopened)},       {"overdue", offsetof(met_counts, overdue)},
    {"returned", offsetof(met_counts, returned)},       {"late_requests", offsetof(met_counts, late_requests)},
    {"carried", offsetof(met_counts, carried)},         {"excluded", offsetof(met_counts, excluded)},
    {"resolved_on_time", offsetof(met_counts, resolved_on_time)},
};

const scheme *sch_default(void) { return &sch_presets[0].s; }

const sch_preset *sch_preset_find(const char *name) {
    for (int i = 0; name && i < sch_n_presets; i++)
        if (!strcmp(sch_presets[i].name, name)) return &sch_presets[i];
    return NULL;
}

int sch_count_parse(const char *name, int *count, err *e) {
    for (size_t i = 0; name && i < sizeof counts / sizeof *counts; i++)
        if (!strcmp(counts[i].name, name)) {
            *count = (int)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "count",
                   "count '%.40s' (want reopened, overdue, returned, late_requests, carried, excluded or"
                   " resolved_on_time)", name ? name : "");
}

static int number(json_t *o, const char *key, double lo, double hi, double dflt, double *out, const char *what,
                  err *e) {
    json_t *v = json_object_get(o, key);
    if (!v) {
        *out = dflt;
        return 0;
    }
    if (!json_is_number(v) || json_number_value(v) < lo || json_number_value(v) > hi)
        return err_set(e, ERR_INVALID, key, "%s: %s must be a number from %g to %g", what, key, lo, hi);
    *out = json_number_value(v);
    return 0;
}

int sch_from_json(json_t *v, scheme *out, err *e) {
    if (!json_is_object(v)) return err_set(e, ERR_INVALID, "scheme", "a scheme is an object");
    json_t *preset = json_object_get(v, "preset");
    if (preset) {
        const sch_preset *p = sch_preset_find(json_string_value(preset));
        if (!p || json_object_size(v) != 1) {
            char names[256] = "";
            for (int i = 0; i < sch_n_presets; i++)
                snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                         sch_presets[i].name);
            if (!p)
                return err_set(e, ERR_INVALID, "preset", "unknown preset '%.40s' (want %s)",
                               json_is_string(preset) ? json_string_value(preset) : "(not a string)", names);
            return err_set(e, ERR_INVALID, "preset", "a preset is given alone, without terms of its own");
        }
        *out = p->s;
        return 0;
    }
    scheme s = {.name = "custom"};
    json_t *terms = json_object_get(v, "terms"), *adjust = json_object_get(v, "adjust"), *x;
    size_t i;
    const char *key;
    json_object_foreach(v, key, x) if (strcmp(key, "terms") && strcmp(key, "adjust") && strcmp(key, "min_obs"))
        return err_set(e, ERR_INVALID, key, "a scheme has terms, adjust and min_obs (or a preset), not '%.40s'",
                       key);
    if (!json_is_array(terms) || json_array_size(terms) < 1 || json_array_size(terms) > SCH_MAX_TERMS)
        return err_set(e, ERR_INVALID, "terms", "terms: 1 to %d terms", SCH_MAX_TERMS);
    json_array_foreach(terms, i, x) {
        sch_term *t = &s.term[s.n_terms++];
        if (!json_is_object(x)) return err_set(e, ERR_INVALID, "terms", "terms[%zu] is an object", i);
        if (met_figure_parse(json_string_value(json_object_get(x, "figure")), &t->figure, NULL, NULL, e)) {
            err_prefix(e, "terms[%zu]: ", i);
            return ERR_INVALID;
        }
        if (number(x, "weight", 0.1, 1000, -1, &t->weight, "a term", e) ||
            number(x, "full", 0.01, 1, 1, &t->full, "a term", e) ||
            number(x, "slope", 0, 1000, -1, &t->slope, "a term", e) ||
            number(x, "floor", 0, 1000, 0, &t->floor, "a term", e))
            return ERR_INVALID;
        if (t->weight < 0) return err_set(e, ERR_INVALID, "weight", "terms[%zu]: a weight is needed", i);
        if (t->slope < 0) t->slope = t->weight / (t->full * 100); /* none given: in proportion to the rate */
        if (t->floor > t->weight) return err_set(e, ERR_INVALID, "floor", "terms[%zu]: floor above the weight", i);
        json_t *b = json_object_get(x, "lower_better");
        if (b && !json_is_boolean(b)) return err_set(e, ERR_INVALID, "lower_better", "lower_better is true or false");
        t->lower_better = json_is_true(b);
    }
    if (adjust && (!json_is_array(adjust) || json_array_size(adjust) > SCH_MAX_ADJUST))
        return err_set(e, ERR_INVALID, "adjust", "adjust: at most %d adjustments", SCH_MAX_ADJUST);
    json_array_foreach(adjust, i, x) {
        sch_adjust *a = &s.adjust[s.n_adjust++];
        if (!json_is_object(x) || sch_count_parse(json_string_value(json_object_get(x, "count")), &a->count, e))
            return err_set(e, ERR_INVALID, "adjust", "adjust[%zu]: %s", i, e && e->msg[0] ? e->msg : "an object");
        if (number(x, "points", -100, 100, 0, &a->points, "an adjustment", e) ||
            number(x, "cap", 0, 1000, 0, &a->cap, "an adjustment", e))
            return ERR_INVALID;
    }
    double min_obs;
    if (number(v, "min_obs", 0, 1000, 5, &min_obs, "a scheme", e)) return ERR_INVALID;
    s.min_obs = (int)min_obs;
    *out = s;
    return 0;
}

json_t *sch_to_json(const scheme *s) {
    json_t *terms = json_array(), *adjust = json_array();
    for (int i = 0; i < s->n_terms; i++) {
        const sch_term *t = &s->term[i];
        json_array_append_new(terms, json_pack("{s:s, s:f, s:f, s:f, s:f, s:b}", "figure", met_figure_name(t->figure),
                                               "weight", t->weight, "full", t->full, "slope", t->slope, "floor",
                                               t->floor, "lower_better", t->lower_better));
    }
    for (int i = 0; i < s->n_adjust; i++)
        json_array_append_new(adjust, json_pack("{s:s, s:f, s:f}", "count", counts[s->adjust[i].count].name, "points",
                                                s->adjust[i].points, "cap", s->adjust[i].cap));
    const sch_preset *p = sch_preset_find(s->name);
    return json_pack("{s:s, s:s?, s:s?, s:o, s:o, s:i}", "name", s->name, "label", p ? p->label : NULL, "source",
                     p ? p->source : NULL, "terms", terms, "adjust", adjust, "min_obs", s->min_obs);
}

void sch_describe(const scheme *s, char *out, size_t n) {
    const sch_preset *p = sch_preset_find(s->name);
    size_t k = 0;
#define PUT(...) (k += (size_t)snprintf(out + (k < n ? k : n), k < n ? n - k : 0, __VA_ARGS__))
    PUT("综合得分%s%s%s =", p ? "（" : "", p ? p->label : "", p ? "）" : "");
    for (int i = 0; i < s->n_terms; i++) {
        const sch_term *t = &s->term[i];
        PUT("%s %s %g 分", i ? " +" : "", met_figure_label(t->figure), t->weight);
        if (t->full < 1 || t->floor > 0 || t->lower_better || fabs(t->slope - t->weight / 100) > 1e-9)
            PUT("（%s%g%% 及以上满分，每低 1 个百分点扣 %g 分%s%s）", t->lower_better ? "以 1 − 比率计，" : "",
                t->full * 100, t->slope, t->floor > 0 ? "，最低 " : "", "");
        if (t->floor > 0) PUT("%g 分", t->floor);
    }
    for (int i = 0; i < s->n_adjust; i++)
        PUT("；每件%s %+g 分%s", s->adjust[i].count == 0 ? "重办" : counts[s->adjust[i].count].name,
            s->adjust[i].points, s->adjust[i].cap > 0 ? "（有上限）" : "");
    PUT("；按满分折算为百分比。某项样本少于 %d 件不计分（办结率、按期办结率除外）", s->min_obs);
#undef PUT
}

static bool completion(int figure) { return figure == MET_F_RESOLVE || figure == MET_F_ONTIME; }

void sch_score_of(const scheme *s, const met_counts *m, sch_score *out) {
    double sum = 0, scored_max = 0;
    memset(out, 0, sizeof *out);
    for (int i = 0; i < s->n_terms; i++) {
        const sch_term *t = &s->term[i];
        int64_t num, den;
        met_figure_counts(m, t->figure, &num, &den);
        out->observed[i] = den;
        out->rate[i] = den ? (double)num / (double)den : NAN;
        out->points[i] = NAN;
        out->max += t->weight;
        if (!den || (den < s->min_obs && !completion(t->figure))) continue;
        double pct = 100 * (t->lower_better ? 1 - out->rate[i] : out->rate[i]), full = 100 * t->full;
        double p = pct >= full ? t->weight : t->weight - t->slope * (full - pct);
        if (p < t->floor) p = t->floor;
        if (p > t->weight) p = t->weight;
        out->points[i] = p;
        sum += p;
        scored_max += t->weight;
    }
    if (scored_max <= 0) {
        out->total = out->share = NAN;
        return;
    }
    /* terms not scored give their place to the others, in proportion */
    out->total = sum * out->max / scored_max;
    for (int i = 0; i < s->n_adjust; i++) {
        const sch_adjust *a = &s->adjust[i];
        double v = (double)*(const int64_t *)((const char *)m + counts[a->count].off) * a->points;
        if (a->cap > 0 && fabs(v) > a->cap) v = v < 0 ? -a->cap : a->cap;
        out->adjust[i] = v;
        out->total += v;
    }
    out->share = out->total / out->max;
}

/* to a millionth, as the rates are written (case_json): 0.894737, not 0.894736842105263 */
static json_t *num_or_null(double v) { return isnan(v) ? json_null() : json_real(round(v * 1e6) / 1e6); }

json_t *sch_score_json(const scheme *s, const sch_score *sc) {
    json_t *terms = json_array(), *adjust = json_array();
    for (int i = 0; i < s->n_terms; i++)
        json_array_append_new(terms, json_pack("{s:s, s:o, s:I, s:o, s:f}", "figure", met_figure_name(s->term[i].figure),
                                               "rate", num_or_null(sc->rate[i]), "observed",
                                               (json_int_t)sc->observed[i], "points", num_or_null(sc->points[i]),
                                               "weight", s->term[i].weight));
    for (int i = 0; i < s->n_adjust; i++)
        json_array_append_new(adjust, json_pack("{s:s, s:o}", "count", counts[s->adjust[i].count].name, "points",
                                                num_or_null(sc->adjust[i])));
    return json_pack("{s:o, s:o, s:o, s:f}", "terms", terms, "adjust", adjust, "total", num_or_null(sc->total), "max",
                     sc->max);
}
