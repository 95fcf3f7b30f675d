/* bulletin: see bulletin.h. */
#include "core/bulletin.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/case_json.h"
#include "util/datetime.h"

int bulletin_month(const char *month, int tz, int64_t *from, int64_t *to, int64_t *before, err *e) {
    int32_t first, next;
    int y, m, d;
    int rc = dt_parse_month(month, &first, &next, e);
    if (rc) return rc;
    dt_civil_from_days(first, &y, &m, &d);
    *from = dt_day_start(first, tz);
    *to = dt_day_start(next, tz);
    *before = dt_day_start(m == 1 ? dt_days_from_civil(y - 1, 12, 1) : dt_days_from_civil(y, m - 1, 1), tz);
    return 0;
}

int64_t bulletin_cutoff(const cal *c, int tz, int64_t to, int workdays) {
    if (workdays <= 0) return to;
    int32_t last = dt_local_day(to - 1, tz); /* the period's last day: the 1st working day is after it */
    return dt_day_start(cal_add_workdays(c, last, workdays) + 1, tz);
}

int bulletin_overview(const bulletin *b, bul_line out[16]) {
    int64_t bad_excluded = 0; /* 码上评 is counted for this period only */
    for (size_t i = 0; i < b->n_units; i++) bad_excluded += b->units[i].bad_excluded;
    met_rates r, r0;
    met_compute(&b->total, &b->sch, &r);
    met_compute(&b->total_before, &b->sch, &r0);
    const bul_line lines[] = {
        {"受理诉求（件）", false, (double)b->received, (double)b->received_before},
        {"交办单位（件）", false, (double)b->total.dispatched, (double)b->total_before.dispatched},
        {"办结（件）", false, (double)b->total.resolved, (double)b->total_before.resolved},
        {"回访（件）", false, (double)b->total.visited, (double)b->total_before.visited},
        {"重办（件）", false, (double)b->total.reopened, (double)b->total_before.reopened},
        {"退单（件）", false, (double)b->total.returned, (double)b->total_before.returned},
        {"按时签收率", true, r.accept_rate, r0.accept_rate},
        {"按时反馈率", true, r.feedback_rate, r0.feedback_rate},
        {"办结率", true, r.resolve_rate, r0.resolve_rate},
        {"按期办结率", true, r.ontime_rate, r0.ontime_rate},
        {"解决率", true, r.solve_rate, r0.solve_rate},
        {"满意率", true, r.satisfy_rate, r0.satisfy_rate},
        /* 申诉复核: what left the rates, said openly */
        {"申诉复核核减回访（件）", false, (double)b->total.excluded, (double)b->total_before.excluded},
        {"申诉复核核减差评（件）", false, (double)bad_excluded, NAN},
    };
    int n = (int)(sizeof lines / sizeof *lines);
    memcpy(out, lines, sizeof lines);
    return n;
}

void bulletin_clear(bulletin *b) {
    free(b->units);
    memset(b, 0, sizeof *b);
}

/* Ranks the units for one period (before: the period before). */
static void rank_period(bulletin *b, bool before) {
    size_t n = b->n_units;
    double *composite = calloc(n + 1, sizeof *composite);
    int64_t *volume = calloc(n + 1, sizeof *volume);
    int *group = calloc(n + 1, sizeof *group), *rank = calloc(n + 1, sizeof *rank);
    if (composite && volume && group && rank) {
        for (size_t i = 0; i < n; i++) {
            const bul_unit *u = &b->units[i];
            composite[i] = before ? u->r_before.composite : u->r.composite;
            volume[i] = before ? u->before.dispatched : u->now.dispatched;
            group[i] = (int)u->kind;
        }
        met_rank(composite, volume, group, n, b->rank_min, rank);
        for (size_t i = 0; i < n; i++) *(before ? &b->units[i].rank_before : &b->units[i].rank) = rank[i];
    }
    free(composite);
    free(volume);
    free(group);
    free(rank);
}

/* The 通报's order: by group; ranked units by rank, then the rest by
 * volume (more cases first), then by code. */
static int by_standing(const void *pa, const void *pb) {
    const bul_unit *a = pa, *b = pb;
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    if ((a->rank > 0) != (b->rank > 0)) return a->rank > 0 ? -1 : 1;
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    if (a->now.dispatched != b->now.dispatched) return a->now.dispatched > b->now.dispatched ? -1 : 1;
    return strcmp(a->unit.code, b->unit.code);
}

/* Each unit's 综合考评 parts and score, then its rank in its group by score
 * (the handling volume rule applies here too: rank_min cases or none). */
static void appraise(bulletin *b) {
    size_t n = b->n_units;
    double *score = calloc(n + 1, sizeof *score);
    int64_t *volume = calloc(n + 1, sizeof *volume);
    int *group = calloc(n + 1, sizeof *group), *rank = calloc(n + 1, sizeof *rank);
    for (size_t i = 0; i < n; i++) {
        bul_unit *u = &b->units[i];
        appraise_part *p = u->part;
        double gone = b->year_gone > 0 ? b->year_gone : 1;
        p[AP_CASES] = (appraise_part){u->r.composite, 0, 0};
        p[AP_GOOD] = (appraise_part){u->evals ? (double)u->good / (double)u->evals : NAN, (double)u->good, (double)u->evals};
        p[AP_FIX] = (appraise_part){u->bad_due ? (double)u->bad_fixed / (double)u->bad_due : NAN,
                                    (double)u->bad_fixed, (double)u->bad_due};
        p[AP_TASKS] = (appraise_part){u->tasks_due ? (double)u->tasks_ontime / (double)u->tasks_due : NAN,
                                      (double)u->tasks_ontime, (double)u->tasks_due};
        double c = u->proj_plan > 0 ? u->proj_done / (u->proj_plan * gone) : NAN;
        p[AP_PROJECTS] = (appraise_part){isnan(c) ? NAN : c > 1 ? 1 : c, u->proj_done, u->proj_plan * gone};
        u->score = appraise_score(p, &b->aw);
        if (score) score[i] = u->score, volume[i] = u->now.dispatched, group[i] = (int)u->kind;
    }
    if (score && volume && group && rank) {
        met_rank(score, volume, group, n, b->rank_min, rank);
        for (size_t i = 0; i < n; i++) b->units[i].score_rank = rank[i];
    }
    free(score);
    free(volume);
    free(group);
    free(rank);
}

static int by_score(const void *pa, const void *pb) {
    const bul_unit *a = *(const bul_unit *const *)pa, *b = *(const bul_unit *const *)pb;
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    if ((a->score_rank > 0) != (b->score_rank > 0)) return a->score_rank > 0 ? -1 : 1;
    if (a->score_rank != b->score_rank) return a->score_rank < b->score_rank ? -1 : 1;
    if (a->now.dispatched != b->now.dispatched) return a->now.dispatched > b->now.dispatched ? -1 : 1;
    return strcmp(a->unit.code, b->unit.code);
}

size_t *bulletin_appraisal_order(const bulletin *b, size_t *n) {
    const bul_unit **u = calloc(b->n_units + 1, sizeof *u);
    size_t *o = calloc(b->n_units + 1, sizeof *o);
    *n = 0;
    if (!u || !o) {
        free(u);
        free(o);
        return NULL;
    }
    for (size_t i = 0; i < b->n_units; i++) u[i] = &b->units[i];
    if (b->n_units) qsort(u, b->n_units, sizeof *u, by_score);
    for (size_t i = 0; i < b->n_units; i++) o[i] = (size_t)(u[i] - b->units);
    free(u);
    *n = b->n_units;
    return o;
}

void bulletin_rank(bulletin *b) {
    memset(&b->total, 0, sizeof b->total);
    memset(&b->total_before, 0, sizeof b->total_before);
    for (size_t i = 0; i < b->n_units; i++) {
        bul_unit *u = &b->units[i];
        met_compute(&u->now, &b->sch, &u->r);
        met_compute(&u->before, &b->sch, &u->r_before);
        met_add(&b->total, &u->now);
        met_add(&b->total_before, &u->before);
    }
    rank_period(b, false);
    rank_period(b, true);
    appraise(b);
    if (b->n_units) qsort(b->units, b->n_units, sizeof *b->units, by_standing);
}

void bulletin_ends(const bulletin *b, unit_kind group, int *best, int *worst) {
    int lo = -1, hi = -1, ranked = 0;
    for (size_t i = 0; i < b->n_units; i++) {
        const bul_unit *u = &b->units[i];
        if (u->kind != group || !u->rank) continue;
        ranked++;
        if (lo < 0 || u->rank < b->units[lo].rank) lo = (int)i;
        /* the worst: the lowest rank; on a tie, the one with more cases */
        if (hi < 0 || u->rank > b->units[hi].rank ||
            (u->rank == b->units[hi].rank && u->now.dispatched > b->units[hi].now.dispatched))
            hi = (int)i;
    }
    *best = lo;
    *worst = ranked > 1 ? hi : -1;
}

static json_t *real_or_null(double v) { return isnan(v) ? json_null() : json_real(round(v * 1e6) / 1e6); }

static json_t *ref_json(const unit_ref *r) {
    return r->id ? json_pack("{s:s, s:s}", "code", r->code, "name", r->name) : json_null();
}

/* Up, down or level against the period before, by rank when ranked in
 * both, else null (nothing to compare). */
static json_t *trend(const bul_unit *u) {
    if (!u->rank || !u->rank_before) return json_null();
    return json_string(u->rank < u->rank_before ? "up" : u->rank > u->rank_before ? "down" : "same");
}

void bulletin_proposals_total(const bulletin *b, bul_proposals *out) {
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < b->n_units; i++) {
        const bul_proposals *p = &b->units[i].prop;
        out->deputy += p->deputy;
        out->cppcc += p->cppcc;
        out->answered += p->answered;
        for (int a = 0; a < ANS_COUNT; a++) out->by_answer[a] += p->by_answer[a];
        out->visited += p->visited;
        out->satisfied += p->satisfied;
    }
}

static json_t *proposals_json(const bul_proposals *p) {
    json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I}", "deputy", (json_int_t)p->deputy, "cppcc",
                          (json_int_t)p->cppcc, "answered", (json_int_t)p->answered, "visited",
                          (json_int_t)p->visited, "satisfied", (json_int_t)p->satisfied);
    for (int a = ANS_A; a < ANS_COUNT; a++)
        json_object_set_new(o, case_answer_name((case_answer)a), json_integer(p->by_answer[a]));
    json_object_set_new(o, "satisfaction_rate",
                        p->visited ? json_real(round(1e6 * (double)p->satisfied / (double)p->visited) / 1e6)
                                   : json_null());
    return o;
}

static json_t *unit_json(const bulletin *b, const bul_unit *u) {
    json_t *o = met_to_json(&u->now, &b->sch);
    json_object_set_new(o, "unit", ref_json(&u->unit));
    json_object_set_new(o, "kind", json_string(unit_kind_name(u->kind)));
    json_object_set_new(o, "rank", u->rank ? json_integer(u->rank) : json_null());
    json_object_set_new(o, "rank_before", u->rank_before ? json_integer(u->rank_before) : json_null());
    json_object_set_new(o, "trend", trend(u));
    json_object_set_new(o, "before", met_to_json(&u->before, &b->sch));
    json_t *ev = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "evaluations", (json_int_t)u->evals,
                           "good", (json_int_t)u->good, "bad", (json_int_t)u->bad, "bad_cases",
                           (json_int_t)u->bad_cases, "bad_due", (json_int_t)u->bad_due, "bad_fixed", (json_int_t)u->bad_fixed, "bad_anonymous",
                           (json_int_t)u->bad_anonymous, "excluded", (json_int_t)u->bad_excluded);
    json_object_set_new(ev, "good_rate", u->evals ? json_real(round(1e6 * (double)u->good / (double)u->evals) / 1e6)
                                                  : json_null());
    json_object_set_new(o, "qr", ev);
    json_object_set_new(o, "proposals", proposals_json(&u->prop));
    json_t *parts = json_array();
    for (int k = 0; k < AP_PARTS; k++) {
        const appraise_part *p = &u->part[k];
        json_array_append_new(parts, json_pack("{s:s, s:s, s:i, s:o, s:o, s:o}", "key", appraise_part_name((appraise_part_kind)k),
                                               "label", appraise_part_label((appraise_part_kind)k), "weight",
                                               (int)lround(b->aw.w[k] * 100), "value", real_or_null(p->value), "num",
                                               k == AP_CASES ? json_null() : real_or_null(p->num), "den",
                                               k == AP_CASES ? json_null() : real_or_null(p->den)));
    }
    json_object_set_new(o, "appraisal", json_pack("{s:o, s:o, s:o}", "score", real_or_null(u->score), "rank",
                                                  u->score_rank ? json_integer(u->score_rank) : json_null(), "parts",
                                                  parts));
    return o;
}

json_t *bulletin_json(const bulletin *b, int tz) {
    json_t *groups = json_array();
    for (int k = UNIT_DEPT; k <= UNIT_TOWNSHIP; k++) {
        json_t *units = json_array();
        for (size_t i = 0; i < b->n_units; i++)
            if ((int)b->units[i].kind == k) json_array_append_new(units, unit_json(b, &b->units[i]));
        int best, worst;
        bulletin_ends(b, (unit_kind)k, &best, &worst);
        json_array_append_new(groups, json_pack("{s:s, s:o, s:o, s:o}", "kind", unit_kind_name((unit_kind)k),
                                                "best", best < 0 ? json_null() : ref_json(&b->units[best].unit),
                                                "worst", worst < 0 ? json_null() : ref_json(&b->units[worst].unit),
                                                "units", units));
    }
    json_t *top = json_array();
    for (int i = 0; i < b->n_top; i++) {
        const bul_category *c = &b->top[i];
        json_t *towns = json_array();
        for (int t = 0; t < c->n_towns; t++)
            json_array_append_new(towns, json_pack("{s:o, s:I}", "township", ref_json(&c->town[t]), "n",
                                                   (json_int_t)c->town_n[t]));
        json_array_append_new(top, json_pack("{s:o, s:I, s:I, s:o}", "category", ref_json(&c->category), "n",
                                             (json_int_t)c->n, "n_before", (json_int_t)c->n_before,
                                             "townships", towns));
    }
    json_t *channels = json_object(), *classes = json_object();
    for (int i = 0; i < CH_COUNT; i++)
        json_object_set_new(channels, case_channel_name((case_channel)i), json_integer(b->by_channel[i]));
    for (int i = 0; i < CL_COUNT; i++)
        json_object_set_new(classes, case_class_name((case_class)i), json_integer(b->by_class[i]));
    int64_t bad_excluded = 0;
    for (size_t i = 0; i < b->n_units; i++) bad_excluded += b->units[i].bad_excluded;
    bul_proposals prop;
    bulletin_proposals_total(b, &prop);
    return json_pack("{s:o, s:o, s:{s:o, s:o}, s:o, s:o, s:I, s:o, s:o, s:o,"
                     " s:I, s:I, s:I, s:o, s:o, s:o, s:I, s:{s:I, s:I}, s:o}",
                     "from", case_time_json(b->from, tz), "to", case_time_json(b->to, tz), "before",
                     "from", case_time_json(b->before_from, tz), "to", case_time_json(b->from, tz), "at",
                     case_time_json(b->at, tz), "scheme", sch_to_json(&b->sch), "rank_min", (json_int_t)b->rank_min, "groups", groups,
                     "total", met_to_json(&b->total, &b->sch), "total_before",
                     met_to_json(&b->total_before, &b->sch), "received", (json_int_t)b->received,
                     "received_before", (json_int_t)b->received_before, "answered", (json_int_t)b->answered,
                     "by_channel", channels, "by_class", classes, "top_categories", top, "overdue_open",
                     (json_int_t)b->overdue_open, "excluded", "visits", (json_int_t)b->total.excluded,
                     "evaluations", (json_int_t)bad_excluded, "proposals", proposals_json(&prop));
}
