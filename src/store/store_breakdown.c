/* store_breakdown: see store_breakdown.h. */
#include "store/store_breakdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/datetime.h"

void store_breakdown_clear(store_breakdown *b) {
    free(b->cells);
    free(b->categories);
    free(b->townships);
    memset(b, 0, sizeof *b);
}

/* Each category's top-level ancestor, by id (ids are small and dense). */
typedef struct tree {
    int64_t *root; /* root[id] */
    int64_t n;
    unit_ref *ref; /* ref[id]: code and name */
} tree;

static int load_tree(store *s, tree *t, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT id, coalesce(parent_id, 0), code, name FROM categories ORDER BY id",
                        0, &st, e);
    if (rc) return rc;
    int64_t *parent = NULL;
    size_t cap = 0;
    while (db_next(st, &rc, e)) {
        int64_t id = db_col_int(st, 0);
        if (id <= 0 || id > 1000000) continue;
        if ((size_t)id >= cap) {
            size_t want = cap ? cap : 64;
            while (want <= (size_t)id) want *= 2;
            int64_t *p = realloc(parent, want * sizeof *p);
            unit_ref *r = realloc(t->ref, want * sizeof *r);
            if (p) parent = p;
            if (r) t->ref = r;
            if (!p || !r) {
                rc = err_set(e, ERR_NOMEM, "", "out of memory");
                break;
            }
            memset(parent + cap, 0, (want - cap) * sizeof *p);
            memset(t->ref + cap, 0, (want - cap) * sizeof *r);
            cap = want;
        }
        parent[id] = db_col_int(st, 1);
        t->ref[id].id = id;
        st_col_copy(st, 2, t->ref[id].code, sizeof t->ref[id].code);
        st_col_copy(st, 3, t->ref[id].name, sizeof t->ref[id].name);
    }
    db_finalize(st);
    t->n = (int64_t)cap;
    if (!rc && cap && !(t->root = malloc(cap * sizeof *t->root)))
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
    for (int64_t id = 0; !rc && id < t->n; id++) { /* bounded: a cycle cannot hang it */
        int64_t r = id;
        for (int depth = 0; depth < 16 && parent[r] > 0 && parent[r] < t->n; depth++) r = parent[r];
        t->root[id] = r;
    }
    free(parent);
    return rc;
}

static int add_ref(unit_ref **arr, size_t *n, const unit_ref *r, err *e) {
    for (size_t i = 0; i < *n; i++)
        if ((*arr)[i].id == r->id) return 0;
    unit_ref *p = realloc(*arr, (*n + 1) * sizeof *p);
    if (!p) return err_set(e, ERR_NOMEM, "", "out of memory");
    p[(*n)++] = *r;
    *arr = p;
    return 0;
}

/* The cells found so far, by (category, township): an open-addressed table
 * of indexes into b->cells, so a row costs a probe, not a walk of the cells. */
typedef struct cell_index {
    int32_t *slot; /* index + 1; 0 empty */
    size_t cap;    /* a power of two, over twice the cells */
    size_t cells_cap;
} cell_index;

static size_t cell_hash(int64_t cat, int64_t tw, size_t cap) {
    uint64_t h = (uint64_t)cat * 0x9E3779B97F4A7C15u ^ (uint64_t)tw * 0xC2B2AE3D27D4EB4Fu;
    return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

static int32_t *cell_slot(const store_breakdown *b, const cell_index *x, int64_t cat, int64_t tw) {
    size_t i = cell_hash(cat, tw, x->cap);
    for (;; i = (i + 1) & (x->cap - 1)) {
        int32_t k = x->slot[i];
        if (!k || (b->cells[k - 1].category_id == cat && b->cells[k - 1].township_id == tw))
            return &x->slot[i];
    }
}

/* Counts a case in its cell; *added: the cell is new. */
static int add_cell(store_breakdown *b, cell_index *x, int64_t cat, int64_t tw, bool *added, err *e) {
    *added = false;
    if (x->cap < 2 * (b->n_cells + 1)) { /* grow, and place the cells again */
        size_t want = x->cap ? x->cap * 2 : 16;
        int32_t *p = calloc(want, sizeof *p);
        if (!p) return err_set(e, ERR_NOMEM, "", "out of memory");
        free(x->slot);
        x->slot = p;
        x->cap = want;
        for (size_t i = 0; i < b->n_cells; i++)
            *cell_slot(b, x, b->cells[i].category_id, b->cells[i].township_id) = (int32_t)i + 1;
    }
    int32_t *slot = cell_slot(b, x, cat, tw);
    if (*slot) {
        b->cells[*slot - 1].n++;
        return 0;
    }
    if (b->n_cells == x->cells_cap) {
        size_t want = x->cells_cap ? x->cells_cap * 2 : 64;
        store_cell *p = realloc(b->cells, want * sizeof *p);
        if (!p) return err_set(e, ERR_NOMEM, "", "out of memory");
        b->cells = p;
        x->cells_cap = want;
    }
    b->cells[b->n_cells++] = (store_cell){cat, tw, 1};
    *slot = (int32_t)b->n_cells;
    *added = true;
    return 0;
}

/* A text column's enumeration, remembered from the row before: a period's
 * cases share a handful of channels and classes, so most rows cost one
 * strcmp instead of a walk of the names. */
typedef struct memo {
    char text[24];
    int value; /* -1: not one of the names */
} memo;

static int memo_parse(memo *m, const char *text, int (*parse)(const char *, int *)) {
    if (!text) return -1;
    if (strcmp(m->text, text) != 0) {
        snprintf(m->text, sizeof m->text, "%s", text);
        if (parse(text, &m->value)) m->value = -1;
    }
    return m->value;
}

static int parse_channel(const char *t, int *v) {
    case_channel x;
    int rc = case_channel_parse(t, &x, NULL);
    *v = (int)x;
    return rc;
}
static int parse_class(const char *t, int *v) {
    case_class x;
    int rc = case_class_parse(t, &x, NULL);
    *v = (int)x;
    return rc;
}
static int parse_appeal(const char *t, int *v) {
    case_appeal x;
    int rc = case_appeal_parse(t, &x, NULL);
    *v = (int)x;
    return rc;
}

/* Counts a case's channel, class and cell: the columns both kinds of scan
 * begin with (channel, class, category, township). */
typedef struct counter {
    store_breakdown *b;
    const tree *t;
    store_bd_kind kind;
    cell_index cells;
    memo ch, cl;
} counter;

static int count_case(counter *c, db_stmt *st, err *e) {
    store_breakdown *b = c->b;
    int k;
    b->received++;
    if ((k = memo_parse(&c->ch, db_col_text(st, 0), parse_channel)) >= 0) b->by_channel[k]++;
    if ((k = memo_parse(&c->cl, db_col_text(st, 1), parse_class)) >= 0) b->by_class[k]++;
    int64_t cat = db_col_int(st, 2), tw = db_col_int(st, 3);
    if (!cat || cat >= c->t->n || (!tw && c->kind == BD_DASHBOARD)) {
        b->unplaced++;
        return 0;
    }
    int64_t key = c->kind == BD_DASHBOARD ? c->t->root[cat] : cat;
    unit_ref town = {.id = tw}; /* named after the scan */
    bool added;
    int rc = add_cell(b, &c->cells, key, tw, &added, e);
    if (!rc && added && !(rc = add_ref(&b->categories, &b->n_categories, &c->t->ref[key], e)) && tw)
        rc = add_ref(&b->townships, &b->n_townships, &town, e);
    return rc;
}

/* The columns each kind reads (the fewer, the faster a million rows). */
#define SCAN_FROM " FROM cases c WHERE c.received_at >= ?1 AND c.received_at < ?2" \
                  " AND c.received_at <= ?3 AND c.merged_into IS NULL"
#define SCAN_COMMON "SELECT c.channel, c.class, coalesce(c.category_id, 0), coalesce(c.township_id, 0)"
static const char *const scan_sql[] = {
    [BD_DASHBOARD] = SCAN_COMMON ", c.received_at, c.appeal_type, coalesce(c.dispatched_at, 0),"
                     " coalesce(c.resolved_at, 0), CASE WHEN c.review = 'upheld' AND c.review_at <= ?3"
                     " THEN 0 ELSE coalesce(c.visited_at, 0) END, c.satisfaction" SCAN_FROM,
    [BD_INTAKE] = SCAN_COMMON ", CASE WHEN c.dispatched_at IS NULL AND c.resolved_at <= ?3 THEN 1 ELSE 0 END"
                  SCAN_FROM,
};

/* The dashboard's columns after the common ones: the month and its figures,
 * the 诉求类型. */
static void count_month(counter *c, db_stmt *st, const int64_t *next, int *i, memo *ap, int64_t at) {
    store_breakdown *b = c->b;
    int64_t received = db_col_int(st, 4);
    while (*i < b->n_months && received >= next[*i]) ++*i;
    while (*i > 0 && received < next[*i - 1]) --*i; /* rows come in received order; do not rely on it */
    int k = db_col_null(st, 5) ? AP_NONE : memo_parse(ap, db_col_text(st, 5), parse_appeal);
    b->by_appeal[k < 0 ? AP_NONE : k]++;
    if (*i >= b->n_months) return;
    store_month *mo = &b->month[*i];
    int64_t dispatched = db_col_int(st, 6), resolved = db_col_int(st, 7), visited = db_col_int(st, 8);
    mo->received++;
    if (dispatched && dispatched <= at) mo->dispatched++;
    if (resolved && resolved <= at) {
        mo->resolved++;
        if (!dispatched) b->answered++;
    }
    if (visited && visited <= at && !db_col_null(st, 9)) {
        mo->visited++;
        if (db_col_int(st, 9) >= SAT_BASIC) mo->satisfied++;
    }
}

static int scan(store *s, int64_t from, int64_t to, int64_t at, const tree *t, store_bd_kind kind,
                store_breakdown *b, err *e) {
    int tz = s->env.tz, y0, m0, d;
    dt_civil_from_days(dt_local_day(from, tz), &y0, &m0, &d);
    int ylast, mlast;
    dt_civil_from_days(dt_local_day(to - 1, tz), &ylast, &mlast, &d);
    b->n_months = (ylast * 12 + mlast) - (y0 * 12 + m0) + 1;
    if (b->n_months > STORE_MAX_MONTHS)
        return err_set(e, ERR_INVALID, "to", "a period of at most %d months", STORE_MAX_MONTHS - 1);
    /* each month's first instant, so a row finds its month by comparing */
    int64_t next[STORE_MAX_MONTHS];
    for (int i = 0; i < b->n_months; i++) {
        int ym = y0 * 12 + m0 - 1 + i;
        b->month[i] = (store_month){.year = ym / 12, .month = ym % 12 + 1};
        next[i] = dt_day_start(dt_days_from_civil((ym + 1) / 12, (ym + 1) % 12 + 1, 1), tz);
    }
    if (kind == BD_INTAKE) b->n_months = 0;
    db_stmt *st;
    int rc = st_prepare(s, scan_sql[kind], DB_LARGE, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, from);
    db_bind_int(st, 2, to);
    db_bind_int(st, 3, at);
    counter c = {.b = b, .t = t, .kind = kind, .ch = {"", -1}, .cl = {"", -1}};
    memo ap = {"", -1};
    int month = 0;
    while (!rc && db_next(st, &rc, e)) {
        if (kind == BD_INTAKE)
            b->answered += db_col_int(st, 4);
        else
            count_month(&c, st, next, &month, &ap, at);
        rc = count_case(&c, st, e);
    }
    db_finalize(st);
    free(c.cells.slot);
    return rc;
}

/* The townships' codes and names, a few rows looked up after the scan. */
static int name_townships(store *s, store_breakdown *b, err *e) {
    db_stmt *st = NULL;
    int rc = st_prepare(s, "SELECT code, name FROM units WHERE id = ?1", 0, &st, e);
    for (size_t i = 0; !rc && i < b->n_townships; i++) {
        db_reset(st);
        db_bind_int(st, 1, b->townships[i].id);
        if ((rc = db_first(st, e)) == 0) {
            st_col_copy(st, 0, b->townships[i].code, sizeof b->townships[i].code);
            st_col_copy(st, 1, b->townships[i].name, sizeof b->townships[i].name);
        }
    }
    if (st) db_finalize(st);
    return rc;
}

static int by_code(const void *a, const void *b) {
    return strcmp(((const unit_ref *)a)->code, ((const unit_ref *)b)->code);
}

int store_breakdown_get(store *s, int64_t from, int64_t to, int64_t at, store_bd_kind kind,
                        store_breakdown *out, err *e) {
    memset(out, 0, sizeof *out);
    if (to <= from) return err_set(e, ERR_INVALID, "to", "the period ends before it starts");
    tree t = {0};
    bool began;
    int rc = st_snapshot_begin(s, &began, e);
    if (rc) return rc;
    if (!(rc = load_tree(s, &t, e)) && !(rc = scan(s, from, to, at, &t, kind, out, e)))
        rc = name_townships(s, out, e);
    st_snapshot_end(s, began);
    free(t.root);
    free(t.ref);
    if (rc) {
        store_breakdown_clear(out);
        return rc;
    }
    /* a stable order for the axes: by code */
    if (out->n_categories) qsort(out->categories, out->n_categories, sizeof *out->categories, by_code);
    if (out->n_townships) qsort(out->townships, out->n_townships, sizeof *out->townships, by_code);
    return 0;
}
