/* store_bulletin: see store_bulletin.h. */
#include "store/store_bulletin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/project.h"
#include "store/store_breakdown.h"
#include "store/store_eval.h"
#include "store/store_int.h"
#include "store/store_ref.h"
#include "store/store_report.h"
#include "util/datetime.h"

typedef struct gather {
    bulletin *b;
    size_t cap;
    err *e;
} gather;

static bul_unit *unit_by_id(bulletin *b, int64_t id) {
    for (size_t i = 0; i < b->n_units; i++) /* a county has tens of units */
        if (b->units[i].unit.id == id) return &b->units[i];
    return NULL;
}

/* Every department and township, with or without cases: a 通报 lists all. */
static int add_unit(void *ctx, const store_unit *u) {
    gather *g = ctx;
    if (u->kind != UNIT_DEPT && u->kind != UNIT_TOWNSHIP) return 0;
    if (st_grow(&g->b->units, &g->cap, g->b->n_units, sizeof *g->b->units, g->e)) return ERR_NOMEM;
    g->b->units[g->b->n_units++] = (bul_unit){.unit = u->ref, .kind = u->kind};
    return 0;
}

static int add_eval(void *ctx, const store_eval_row *r) {
    bul_unit *u = unit_by_id(((gather *)ctx)->b, r->unit.id);
    if (!u) return 0;
    for (int l = EV_NONE + 1; l < EV_COUNT; l++) {
        u->evals += r->by_level[l];
        /* 好评: above 不满意 (docs/rules.md) */
        *(eval_is_bad((eval_level)l) ? &u->bad : &u->good) += r->by_level[l];
    }
    u->bad_cases += r->bad_cases;
    u->bad_due += r->bad_due;
    u->bad_fixed += r->bad_fixed;
    u->bad_anonymous += r->bad_anonymous;
    u->bad_excluded += r->excluded;
    return 0;
}

/* The handling figures of the period and the one before, into the units. */
static int add_stats(store *s, bulletin *b, int64_t before_from, err *e) {
    const int64_t period[2][2] = {{b->from, b->to}, {before_from, b->from}};
    store_unit_stats *u[2];
    size_t n[2];
    int rc = store_stats_periods(s, period, 2, b->at, u, n, e);
    for (int k = 0; !rc && k < 2; k++)
        for (size_t i = 0; i < n[k]; i++) {
            bul_unit *x = unit_by_id(b, u[k][i].unit.id);
            if (x) *(k ? &x->before : &x->now) = u[k][i].m;
        }
    if (!rc) free(u[0]), free(u[1]);
    return rc;
}

/* Cells by category, then the most cases first, then the smaller township. */
static int by_category(const void *x, const void *y) {
    const store_cell *a = x, *b = y;
    if (a->category_id != b->category_id) return a->category_id < b->category_id ? -1 : 1;
    if (a->n != b->n) return a->n > b->n ? -1 : 1;
    return (a->township_id > b->township_id) - (a->township_id < b->township_id);
}

static const unit_ref *find_ref(const unit_ref *r, size_t n, int64_t id) {
    for (size_t i = 0; i < n; i++) /* tens of townships, hundreds of categories */
        if (r[i].id == id) return &r[i];
    return NULL;
}

/* Keeps a category among the most asked about: the most cases first, ties
 * to the smaller id, as a reader can check. */
static void rank_category(bulletin *b, const bul_category *c) {
    int j = b->n_top;
    while (j > 0 && (c->n > b->top[j - 1].n || (c->n == b->top[j - 1].n && c->category.id < b->top[j - 1].category.id)))
        j--;
    if (j >= BUL_TOP_CATEGORIES) return;
    int last = b->n_top < BUL_TOP_CATEGORIES ? b->n_top : BUL_TOP_CATEGORIES - 1;
    memmove(&b->top[j + 1], &b->top[j], (size_t)(last - j) * sizeof *b->top);
    b->top[j] = *c;
    if (b->n_top < BUL_TOP_CATEGORIES) b->n_top++;
}

/* The period's intake from one pass (store_breakdown's BD_INTAKE): how
 * many, answered at intake, by channel and class, and the categories most
 * asked about with the townships they came from most. */
static int intake(store *s, bulletin *b, err *e) {
    store_breakdown bd;
    int rc = store_breakdown_get(s, b->from, b->to, b->at, BD_INTAKE, &bd, e);
    if (rc) return rc;
    b->received = bd.received;
    b->answered = bd.answered;
    memcpy(b->by_channel, bd.by_channel, sizeof b->by_channel);
    memcpy(b->by_class, bd.by_class, sizeof b->by_class);
    if (bd.n_cells) qsort(bd.cells, bd.n_cells, sizeof *bd.cells, by_category);
    for (size_t i = 0; i < bd.n_cells;) {
        const unit_ref *cat = find_ref(bd.categories, bd.n_categories, bd.cells[i].category_id);
        bul_category c = {.category = cat ? *cat : (unit_ref){.id = bd.cells[i].category_id}};
        for (; i < bd.n_cells && bd.cells[i].category_id == c.category.id; i++) {
            const store_cell *x = &bd.cells[i];
            c.n += x->n;
            const unit_ref *town = x->township_id ? find_ref(bd.townships, bd.n_townships, x->township_id) : NULL;
            if (town && c.n_towns < BUL_TOP_TOWNSHIPS) {
                c.town[c.n_towns] = *town;
                c.town_n[c.n_towns++] = x->n;
            }
        }
        rank_category(b, &c);
    }
    store_breakdown_clear(&bd);
    return 0;
}

/* The period before: how many received, and of the top categories. */
static int intake_before(store *s, bulletin *b, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT coalesce(category_id, 0), count(*) FROM cases WHERE received_at >= ?1"
                           " AND received_at < ?2 AND received_at <= ?3 AND merged_into IS NULL"
                           " GROUP BY category_id",
                        DB_LARGE, &st, e);
    if (rc) return st_fail(rc, e, "the period before");
    db_bind_int(st, 1, b->before_from);
    db_bind_int(st, 2, b->from);
    db_bind_int(st, 3, b->at);
    while (db_next(st, &rc, e)) {
        int64_t cat = db_col_int(st, 0), n = db_col_int(st, 1);
        b->received_before += n;
        for (int i = 0; i < b->n_top; i++)
            if (b->top[i].category.id == cat) b->top[i].n_before = n;
    }
    db_finalize(st);
    return st_fail(rc, e, "the period before");
}

/* 人大代表建议 and 政协提案 first dispatched in the period, per lead unit,
 * as they stood at b->at (met_hist_at). A case first dispatched in
 * the period is now dispatched at or after its start, or sent back
 * (dispatched_at NULL): what the partial index (migration 32) finds. */
static int add_proposals(store *s, bulletin *b, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT received_at, history, channel FROM cases WHERE channel IN ('deputy', 'cppcc')"
                           " AND dispatched_at >= ?1 AND received_at <= ?2 AND history IS NOT NULL"
                           " UNION ALL SELECT received_at, history, channel FROM cases"
                           " WHERE channel IN ('deputy', 'cppcc') AND dispatched_at IS NULL AND received_at <= ?2"
                           " AND history IS NOT NULL",
                        0, &st, e);
    if (rc) return st_fail(rc, e, "proposals");
    db_bind_int(st, 1, b->from);
    db_bind_int(st, 2, b->at);
    while (db_next(st, &rc, e)) {
        size_t len;
        const unsigned char *h = db_col_blob(st, 1, &len);
        met_case_at p;
        if (met_hist_at(h, len, db_col_int(st, 0), b->at, &p)) {
            rc = err_set(e, ERR_IO, "", "a proposal's history is damaged");
            break;
        }
        bul_unit *u = p.dispatched_at >= b->from && p.dispatched_at < b->to ? unit_by_id(b, p.lead) : NULL;
        if (!u) continue;
        *(!strcmp(db_col_text(st, 2), "deputy") ? &u->prop.deputy : &u->prop.cppcc) += 1;
        u->prop.by_answer[p.answer > ANS_NONE && p.answer < ANS_COUNT ? p.answer : ANS_NONE]++;
        u->prop.answered += p.answered;
        u->prop.visited += p.visited;
        u->prop.satisfied += p.satisfied;
    }
    db_finalize(st);
    return rc;
}

/* The key tasks' counts, by unit (an array beside b->units). */
typedef struct task_counts {
    bulletin *b;
    met_counts *m;
} task_counts;

static met_counts *task_unit(void *ctx, int64_t unit) {
    task_counts *t = ctx;
    bul_unit *u = unit_by_id(t->b, unit);
    return u ? &t->m[u - t->b->units] : NULL;
}

/* 综合考评's sources, as of b->at: the key tasks (tasks, milestones,
 * problems) due in the period and those finished by their day, counted from
 * each one's history as every figure is (应结案: docs/rules.md); the
 * projects of the period's year registered by then, their plan, and what
 * had been reported invested by then up to the period's last month (each
 * month's last report before the moment); the share of that year gone at
 * the period's end. */
static int add_appraisal(store *s, bulletin *b, err *e) {
    int tz = store_env(s)->tz;
    int32_t last = dt_local_day((b->to < b->at ? b->to : b->at) - 1, tz);
    int y, m, d;
    dt_civil_from_days(last, &y, &m, &d);
    b->year_gone = proj_year_gone(last);
    char month[24], first[24];
    snprintf(month, sizeof month, "%04d-%02d", y, m);
    snprintf(first, sizeof first, "%04d-01", y);
    task_counts t = {b, calloc(b->n_units + 1, sizeof *t.m)};
    if (!t.m) return err_set(e, ERR_NOMEM, "", "out of memory");
    db_stmt *st;
    /* from the (few) tasks, not from every case */
    int rc = st_prepare(s, "SELECT c.received_at, c.history FROM cases c WHERE c.id IN (SELECT case_id FROM tasks)"
                           " AND c.received_at <= ?1 AND c.history IS NOT NULL",
                        0, &st, e);
    if (rc) {
        free(t.m);
        return st_fail(rc, e, "key tasks");
    }
    db_bind_int(st, 1, b->at);
    while (db_next(st, &rc, e)) {
        size_t len;
        const unsigned char *h = db_col_blob(st, 1, &len);
        if (met_hist_count(h, len, db_col_int(st, 0), AP_NONE, b->from, b->to, b->at, task_unit, &t)) {
            rc = err_set(e, ERR_IO, "", "a key task's history is damaged");
            break;
        }
    }
    db_finalize(st);
    for (size_t i = 0; i < b->n_units; i++)
        b->units[i].tasks_due = t.m[i].due, b->units[i].tasks_ontime = t.m[i].resolved_on_time;
    free(t.m);
    if (rc) return rc;
    if ((rc = st_prepare(s, "SELECT p.unit_id, sum(p.year_plan), sum((SELECT coalesce(sum(g.completed), 0)"
                            " FROM progress_log g WHERE g.project_id = p.id AND g.month >= ?3 AND g.month <= ?2"
                            " AND g.entered_at <= ?4 AND NOT EXISTS (SELECT 1 FROM progress_log h"
                            " WHERE h.project_id = g.project_id AND h.month = g.month AND h.entered_at <= ?4"
                            " AND (h.entered_at > g.entered_at OR (h.entered_at = g.entered_at AND h.id > g.id)))))"
                            " FROM projects p WHERE p.year = ?1 AND p.created_at <= ?4 GROUP BY p.unit_id",
                         0, &st, e)))
        return st_fail(rc, e, "projects");
    db_bind_int(st, 1, y);
    db_bind_text(st, 2, month);
    db_bind_text(st, 3, first);
    db_bind_int(st, 4, b->at);
    while (db_next(st, &rc, e)) {
        bul_unit *u = unit_by_id(b, db_col_int(st, 0));
        if (u) u->proj_plan = db_col_double(st, 1), u->proj_done = db_col_double(st, 2);
    }
    db_finalize(st);
    return rc;
}

int64_t store_report_at(store *s, int64_t to, int64_t now) {
    const case_env *env = store_env(s);
    int64_t cut = bulletin_cutoff(env->cal, env->tz, to, (int)store_config_int_at(s, "report_cutoff_days", to, 3));
    return cut < now ? cut : now;
}

int store_bulletin_get(store *s, int64_t from, int64_t to, int64_t before_from, int64_t at,
                       bulletin *out, err *e) {
    memset(out, 0, sizeof *out);
    out->from = from;
    out->to = to;
    out->before_from = before_from;
    out->at = at;
    out->rank_min = store_config_int_at(s, "rank_min_dispatched", at, 10);
    char aw[40] = "";
    appraise_weights_default(&out->aw);
    if (!store_config_at(s, "appraisal_weights", at, aw, sizeof aw, NULL) && aw[0])
        appraise_weights_parse(aw, &out->aw, NULL);
    gather g = {out, 0, e};
    int rc = store_scheme_at(s, from, at, &out->sch, e);
    if (!rc) rc = store_unit_list(s, add_unit, &g, e);
    if (!rc) rc = add_stats(s, out, before_from, e);
    if (!rc) rc = store_eval_stats(s, from, to, at, 0, add_eval, &g, e);
    if (!rc) rc = add_proposals(s, out, e);
    if (!rc) rc = add_appraisal(s, out, e);
    if (!rc) rc = intake(s, out, e);
    if (!rc) rc = intake_before(s, out, e);
    if (!rc) rc = store_overdue_at(s, at, &out->overdue_open, e);
    if (rc) {
        bulletin_clear(out);
        return rc;
    }
    bulletin_rank(out);
    return 0;
}

/* ---- published issues ---------------------------------------------------------- */

void store_issue_clear(store_issue *i) {
    free(i->note);
    free(i->figures);
    free(i->page);
    free(i->workbook);
    memset(i, 0, sizeof *i);
}

int store_issue_next(store *s, int64_t *no, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT coalesce(max(no), 0) + 1 FROM bulletins", 0, &st, e);
    if (rc) return st_fail(rc, e, "issue number");
    if (!(rc = db_first(st, e))) *no = db_col_int(st, 0);
    db_finalize(st);
    return st_fail(rc, e, "issue number");
}

int store_issue_add(store *s, const store_issue *i, err *e) {
    db_stmt *st;
    int rc;
    if (i->corrects) {
        store_issue old;
        if ((rc = store_issue_get(s, i->corrects, false, &old, e)))
            return rc == ERR_NOTFOUND ? err_set(e, ERR_INVALID, "corrects", "there is no issue %lld to correct",
                                                (long long)i->corrects)
                                      : rc;
        store_issue_clear(&old);
    }
    if ((rc = st_prepare(s, "INSERT INTO bulletins(no, period_from, period_to, before_from, published_at,"
                            " published_by, corrects, note, figures, page, workbook)"
                            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", 0, &st, e)))
        return rc;
    db_bind_int(st, 1, i->no);
    db_bind_int(st, 2, i->from);
    db_bind_int(st, 3, i->to);
    db_bind_int(st, 4, i->before_from);
    db_bind_int(st, 5, i->published_at);
    db_bind_text(st, 6, i->by);
    db_bind_id(st, 7, i->corrects);
    db_bind_text(st, 8, i->note);
    db_bind_text(st, 9, i->figures);
    db_bind_text(st, 10, i->page);
    db_bind_blob(st, 11, i->workbook, i->workbook_len);
    rc = st_write1(s, st, e);
    if (rc == ERR_CONFLICT)
        return err_set(e, ERR_CONFLICT, "no", "issue %lld was published a moment ago; publish again",
                       (long long)i->no);
    return st_fail(rc, e, "publish");
}

static void read_issue(db_stmt *st, bool files, store_issue *i) {
    i->no = db_col_int(st, 0);
    i->from = db_col_int(st, 1);
    i->to = db_col_int(st, 2);
    i->before_from = db_col_int(st, 3);
    i->published_at = db_col_int(st, 4);
    st_col_copy(st, 5, i->by, sizeof i->by);
    i->corrects = db_col_int(st, 6);
    i->note = st_col_dup(st, 7);
    i->figures = st_col_dup(st, 8);
    if (!files) return;
    i->page = st_col_dup(st, 9);
    size_t n = 0;
    const void *p = db_col_blob(st, 10, &n);
    if (p && (i->workbook = malloc(n ? n : 1))) {
        memcpy(i->workbook, p, n);
        i->workbook_len = n;
    }
}

#define ISSUE_COLS "no, period_from, period_to, before_from, published_at, published_by, corrects, note, figures"

int store_issue_get(store *s, int64_t no, bool files, store_issue *out, err *e) {
    db_stmt *st;
    memset(out, 0, sizeof *out);
    int rc = st_prepare(s, files ? "SELECT " ISSUE_COLS ", page, workbook FROM bulletins WHERE no = ?1"
                                 : "SELECT " ISSUE_COLS " FROM bulletins WHERE no = ?1",
                        0, &st, e);
    if (rc) return st_fail(rc, e, "issue");
    db_bind_int(st, 1, no);
    if ((rc = db_first(st, e)) == 0) read_issue(st, files, out);
    db_finalize(st);
    if (rc == ERR_NOTFOUND) return err_set(e, ERR_NOTFOUND, "no", "there is no issue %lld", (long long)no);
    if (!rc && files && (!out->page || !out->workbook)) {
        store_issue_clear(out);
        return err_set(e, ERR_NOMEM, "", "out of memory");
    }
    return st_fail(rc, e, "issue");
}

int store_issue_list(store *s, store_issue_fn fn, void *ctx, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT " ISSUE_COLS " FROM bulletins ORDER BY no DESC", 0, &st, e);
    if (rc) return st_fail(rc, e, "issues");
    while (db_next(st, &rc, e)) {
        store_issue i = {0};
        read_issue(st, false, &i);
        rc = fn(ctx, &i);
        store_issue_clear(&i);
    }
    db_finalize(st);
    return st_fail(rc, e, "issues");
}
