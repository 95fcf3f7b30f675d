/* store_report: supervision and figures: the sweep, notices, statistics
 * and the summary. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/store_chain.h"
#include "store/store_int.h"
#include "store/store_report.h"
#include "util/datetime.h"

/* ---- supervision ------------------------------------------------------------ */

typedef struct sweep_row { int64_t id, alert_at; uint32_t alerted; } sweep_row;

/* Cases a sweep transaction takes (a quarter of a second on SQLite here): a
 * backlog of a million is dozens of transactions, so intake and actions never
 * wait long behind it, at the cost of a commit each (the bench's backlog row). */
#define SWEEP_CHUNK 25000

/* The columns read_alert_fields reads (then `alerted`), and the statuses
 * with a deadline pending: supervision's and the migrations' queries. */
#define ALERT_FIELDS                                                                      \
    "c.id, c.status, c.dispatch_due, c.accept_due, c.feedback_due, c.resolve_due,"        \
    " c.first_feedback_at"
#define OPEN_STATUSES "c.status IN ('received', 'dispatched', 'accepted')"

/* Fills the fields of c that supervision reads from a row of
 * (id, status, 4 dues, first_feedback_at, alerted, ...). */
static void read_alert_fields(db_stmt *st, case_rec *c) {
    c->id = db_col_int(st, 0);
    case_status_parse(db_col_text(st, 1), &c->status, NULL);
    for (int k = 0; k < DUE_COUNT; k++) c->due[k] = db_col_int(st, 2 + k);
    c->first_feedback_at = db_col_int(st, 6);
    c->alerted = (uint32_t)db_col_int(st, 7);
}

static int push_row(sweep_row **rows, size_t *n, size_t *cap, sweep_row r, err *e) {
    int rc = st_grow(rows, cap, *n, sizeof **rows, e);
    if (!rc) (*rows)[(*n)++] = r;
    return rc;
}

static int write_alerts(store *s, const sweep_row *rows, size_t n, err *e) {
    for (size_t i = 0; i < n; i++) {
        int rc = st_set_alerts(s, rows[i].id, rows[i].alerted, rows[i].alert_at, e);
        if (rc) return rc;
    }
    return 0;
}

/* Migration 2: the next alert time of every open case. */
int st_seed_alert_at(store *s, err *e) {
    db_stmt *sel;
    sweep_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc = st_prepare(s, "SELECT " ALERT_FIELDS ", a.alerted FROM cases c"
                           " JOIN case_alerts a ON a.case_id = c.id WHERE " OPEN_STATUSES,
                        DB_LARGE, &sel, e);
    case_rec c;
    memset(&c, 0, sizeof c);
    while (db_next(sel, &rc, e)) {
        read_alert_fields(sel, &c);
        rc = push_row(&rows, &n, &cap,
                      (sweep_row){c.id, sup_next_alert(&c), c.alerted}, e);
    }
    db_finalize(sel);
    if (!rc) rc = write_alerts(s, rows, n, e);
    free(rows);
    return st_fail(rc, e, "alert times");
}

/* Migration 11: every open case's next deadline, on it and its units' rows. */
int st_seed_next_due(store *s, err *e) {
    db_stmt *sel, *up = NULL, *units = NULL;
    sweep_row *rows = NULL; /* alert_at: the next deadline, alerted: its kind */
    size_t n = 0, cap = 0;
    int rc = st_prepare(s, "SELECT " ALERT_FIELDS ", 0 FROM cases c WHERE " OPEN_STATUSES,
                        DB_LARGE, &sel, e);
    case_rec c;
    memset(&c, 0, sizeof c);
    while (db_next(sel, &rc, e)) {
        case_due_kind k;
        read_alert_fields(sel, &c);
        int64_t due = case_next_due(&c, &k);
        if (due) rc = push_row(&rows, &n, &cap, (sweep_row){c.id, due, (uint32_t)k}, e);
    }
    db_finalize(sel);
    if (!rc && !(rc = st_prepare(s, "UPDATE cases SET next_due = ?2, next_kind = ?3 WHERE id = ?1",
                                 0, &up, e)))
        rc = st_prepare(s, "UPDATE case_units SET next_due = ?2, next_kind = ?3"
                           " WHERE case_id = ?1 AND returned_at IS NULL", 0, &units, e);
    for (size_t i = 0; !rc && i < n; i++) {
        db_stmt *both[] = {up, units};
        for (int j = 0; !rc && j < 2; j++) {
            db_reset(both[j]);
            db_bind_int(both[j], 1, rows[i].id);
            db_bind_int(both[j], 2, rows[i].alert_at);
            db_bind_text(both[j], 3, case_due_name((case_due_kind)rows[i].alerted));
            rc = db_run(both[j], e);
        }
    }
    db_finalize(up);
    db_finalize(units);
    free(rows);
    return st_fail(rc, e, "next deadlines");
}

typedef struct pending_notice {
    int64_t case_id, unit;
    sup_notice n;
} pending_notice;

static int cmp_row(const void *a, const void *b) {
    int64_t x = ((const sweep_row *)a)->id, y = ((const sweep_row *)b)->id;
    return (x > y) - (x < y);
}

static int cmp_note(const void *a, const void *b) {
    const pending_notice *x = a, *y = b;
    if (x->case_id != y->case_id) return (x->case_id > y->case_id) - (x->case_id < y->case_id);
    if (x->n.kind != y->n.kind) return (int)x->n.kind - (int)y->n.kind;
    return (int)x->n.level - (int)y->n.level;
}

static int insert_notices(store *s, const pending_notice *notes, size_t nn, int64_t now,
                          int64_t *raised, int64_t *first_id, err *e) {
    for (size_t i = 0; i < nn; i++) {
        db_stmt *ins = st_prep(s, Q_NOTICE_INSERT, e);
        if (!ins) return ERR_IO;
        db_bind_int(ins, 1, notes[i].case_id);
        db_bind_text(ins, 2, case_due_name(notes[i].n.kind));
        db_bind_text(ins, 3, sup_level_name(notes[i].n.level));
        db_bind_int(ins, 4, notes[i].n.due);
        db_bind_int(ins, 5, now);
        db_bind_id(ins, 6, notes[i].unit);
        int rc = db_run(ins, e);
        if (rc) return st_fail(rc, e, "notice");
        if (db_changes(s->db) != 1) continue; /* another sweep raised it first */
        int64_t id = db_last_id(s->db);
        if (!*first_id) *first_id = id;
        (*raised)++;
        if ((rc = st_chain_note(s, CHAIN_NOTICES, id, now, e))) return rc;
    }
    return 0;
}

/* Only cases whose next alert time has come: the work follows the notices.
 * Their ids come from the narrow alerts index first and are then read in id
 * order, so a large backlog walks the case table once instead of at random. */
static int due_cases(store *s, int64_t now, sweep_row **rows, size_t *n, err *e) {
    size_t cap = 0;
    bool began;
    db_stmt *sel;
    int rc = st_snapshot_begin(s, &began, e);
    if (rc) return rc;
    if ((sel = st_prep(s, Q_SWEEP_DUE, e))) {
        db_bind_int(sel, 1, now);
        while (db_next(sel, &rc, e))
            rc = push_row(rows, n, &cap, (sweep_row){db_col_int(sel, 0), 0, 0}, e);
        db_reset(sel);
    } else {
        rc = ERR_IO;
    }
    st_snapshot_end(s, began);
    if (!rc && *n) qsort(*rows, *n, sizeof **rows, cmp_row);
    return rc;
}

/* Sweeps n due cases in the caller's transaction: each is read again under
 * its lock (a case acted on since due_cases is judged as it is now). */
static int sweep_cases(store *s, int64_t now, sweep_row *rows, size_t n, int64_t *raised,
                       int64_t *first_id, err *e) {
    db_stmt *sel;
    pending_notice *notes = NULL;
    size_t nn = 0, ncap = 0;
    int rc = 0;
    case_rec c;
    memset(&c, 0, sizeof c);
    for (size_t r = 0; rc == 0 && r < n; r++) {
        if (!(sel = st_prep(s, Q_SWEEP_CASE, e))) {
            rc = ERR_IO;
            break;
        }
        db_bind_int(sel, 1, rows[r].id);
        if ((rc = db_first(sel, e))) break;
        read_alert_fields(sel, &c);
        int64_t unit = db_col_int(sel, 8);
        db_reset(sel);
        sup_notice out[DUE_COUNT * SUP_LEVEL_COUNT];
        int k = sup_eval(&c, now, out);
        for (int i = 0; i < k; i++) {
            if ((rc = st_grow(&notes, &ncap, nn, sizeof *notes, e))) break;
            notes[nn++] = (pending_notice){c.id, out[i].kind == DUE_DISPATCH ? 0 : unit, out[i]};
        }
        rows[r] = (sweep_row){c.id, sup_next_alert(&c), c.alerted};
    }
    /* Writes come after the reads (updating alert_at while scanning its index
     * could revisit rows), in case order, so each B-tree is walked once. */
    if (nn) qsort(notes, nn, sizeof *notes, cmp_note);
    if (!rc) rc = write_alerts(s, rows, n, e);
    if (!rc) rc = insert_notices(s, notes, nn, now, raised, first_id, e);
    free(notes);
    return rc;
}

int store_sweep(store *s, int64_t now, int64_t *raised, int64_t *first_id, err *e) {
    sweep_row *rows = NULL;
    size_t n = 0;
    *raised = 0;
    *first_id = 0;
    int rc = due_cases(s, now, &rows, &n, e);
    for (size_t at = 0; rc == 0 && at < n; at += SWEEP_CHUNK) {
        size_t k = n - at < SWEEP_CHUNK ? n - at : SWEEP_CHUNK;
        if (!(rc = st_tx_begin(s, e)))
            rc = st_tx_end(s, sweep_cases(s, now, rows + at, k, raised, first_id, e), e);
    }
    free(rows);
    return st_fail(rc, e, "sweep");
}

int store_sweep_case(store *s, int64_t case_id, int64_t now, int64_t *raised, err *e) {
    sweep_row row = {case_id, 0, 0};
    int64_t first = 0;
    *raised = 0;
    return st_fail(sweep_cases(s, now, &row, 1, raised, &first, e), e, "sweep");
}

int store_notice_list(store *s, int64_t min_id, int64_t case_id, store_notice_fn fn, void *ctx,
                      err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT n.id, n.case_id, c.case_no, n.kind, n.level, n.due,"
                           " n.raised_at, u.id, u.code, u.name FROM notices n"
                           " JOIN cases c ON c.id = n.case_id LEFT JOIN units u ON u.id = n.unit_id"
                           " WHERE n.id >= ?1 AND (CAST(?2 AS BIGINT) IS NULL OR n.case_id = ?2)"
                           " ORDER BY n.id", 0, &st, e);
    if (rc) return rc;
    db_bind_int(st, 1, min_id);
    db_bind_id(st, 2, case_id);
    while (db_next(st, &rc, e)) {
        store_notice n = {.id = db_col_int(st, 0), .case_id = db_col_int(st, 1)};
        st_col_copy(st, 2, n.case_no, sizeof n.case_no);
        const char *kind = db_col_text(st, 3), *level = db_col_text(st, 4);
        if (kind && strcmp(kind, STORE_NOTICE_INSTRUCTION) == 0) n.kind = DUE_COUNT;
        for (int k = 0; k < DUE_COUNT; k++)
            if (kind && strcmp(kind, case_due_name((case_due_kind)k)) == 0) n.kind = (case_due_kind)k;
        for (int l = 0; l < SUP_LEVEL_COUNT; l++)
            if (level && strcmp(level, sup_level_name((sup_level)l)) == 0) n.level = (sup_level)l;
        n.due = db_col_int(st, 5);
        n.raised_at = db_col_int(st, 6);
        st_read_ref(st, 7, &n.unit);
        rc = fn(ctx, &n);
    }
    db_finalize(st);
    return rc;
}

/* ---- statistics -------------------------------------------------------------- */

static int cmp_stats(const void *a, const void *b) {
    return strcmp(((const store_unit_stats *)a)->unit.code, ((const store_unit_stats *)b)->unit.code);
}

typedef struct by_unit {
    met_counts *m;
    bool *seen;
    int64_t max_id;
} by_unit;

/* Unit ids are small and dense: the counters are indexed by id. */
static met_counts *unit_counts(void *ctx, int64_t unit) {
    by_unit *u = ctx;
    if (unit <= 0 || unit > u->max_id) return NULL;
    u->seen[unit] = true;
    return &u->m[unit];
}

/* Every case a figure of the periods may count, its history counted for
 * each period as of `at` (fn with ctx[k] for period k); each(ctx[0], id)
 * after each case. */
static int scan_histories(store *s, const int64_t (*period)[2], int np, int64_t at, met_unit_fn fn,
                          void *const *ctx, int (*each)(void *ctx, int64_t id), err *e) {
    int64_t lo = INT64_MAX, hi = 0;
    for (int k = 0; k < np; k++) {
        if (period[k][0] < lo) lo = period[k][0];
        if (period[k][1] > hi) hi = period[k][1];
    }
    db_stmt *st = st_prep(s, each ? Q_STATS_SCAN_IDS : Q_STATS_SCAN, e);
    int rc = 0;
    if (!st) return ERR_IO;
    if (hi > at + 1) hi = at + 1;
    db_bind_int(st, 1, lo);
    db_bind_int(st, 2, hi);
    while (db_next(st, &rc, e)) {
        size_t len;
        int64_t base = db_col_int(st, 0);
        const unsigned char *h = db_col_blob(st, 1, &len);
        if (base >= hi || !len) continue; /* tested here on SQLite (Q_STATS_SCAN) */
        case_appeal a = AP_NONE;
        if (!db_col_null(st, 2)) case_appeal_parse(db_col_text(st, 2), &a, NULL);
        bool ok = true;
        for (int k = 0; ok && k < np; k++)
            ok = !met_hist_count(h, len, base, a, period[k][0], period[k][1], at, fn, ctx[k]);
        if (ok && each && (rc = each(ctx[0], db_col_int(st, 3)))) break;
    }
    db_reset(st);
    return rc;
}

/* The units with counts, sorted by code, from counters indexed by id. */
static int units_of(store *s, by_unit *b, store_unit_stats **out, size_t *n_out, err *e) {
    db_stmt *st = NULL;
    store_unit_stats *u = NULL;
    size_t n = 0, k = 0;
    for (int64_t i = 1; i <= b->max_id; i++) {
        /* a unit a case only passed by (handed on before any deadline) has no figures */
        static const met_counts zero;
        if (b->seen[i] && !memcmp(&b->m[i], &zero, sizeof zero)) b->seen[i] = false;
        n += b->seen[i];
    }
    if (n && !(u = calloc(n, sizeof *u))) return err_set(e, ERR_NOMEM, "", "out of memory");
    int rc = st_prepare(s, "SELECT id, code, name, kind FROM units", 0, &st, e);
    while (!rc && db_next(st, &rc, e)) {
        int64_t id = db_col_int(st, 0);
        if (id < 1 || id > b->max_id || !b->seen[id] || k == n) continue;
        st_read_ref(st, 0, &u[k].unit);
        unit_kind_parse(db_col_text(st, 3), &u[k].kind, NULL);
        u[k++].m = b->m[id];
    }
    db_finalize(st);
    if (rc) {
        free(u);
        return rc;
    }
    if (k) qsort(u, k, sizeof *u, cmp_stats); /* u is NULL when no unit had a case */
    *out = u;
    *n_out = k;
    return 0;
}

int store_stats_periods(store *s, const int64_t (*period)[2], int np, int64_t at, store_unit_stats **out,
                        size_t *n_out, err *e) {
    by_unit b[STORE_STATS_PERIODS];
    void *ctx[STORE_STATS_PERIODS];
    int64_t max_id = 0;
    bool began;
    memset(b, 0, sizeof b);
    if (np < 1 || np > STORE_STATS_PERIODS) return err_set(e, ERR_INVALID, "", "1 to %d periods", STORE_STATS_PERIODS);
    for (int k = 0; k < np; k++) out[k] = NULL, n_out[k] = 0;
    int rc = st_snapshot_begin(s, &began, e);
    if (!rc) rc = db_query_int(s->db, "SELECT coalesce(max(id), 0) FROM units", &max_id, e);
    for (int k = 0; !rc && k < np; k++) {
        b[k] = (by_unit){calloc((size_t)max_id + 1, sizeof *b[k].m), calloc((size_t)max_id + 1, sizeof *b[k].seen),
                         max_id};
        ctx[k] = &b[k];
        if (!b[k].m || !b[k].seen) rc = err_set(e, ERR_NOMEM, "", "out of memory");
    }
    if (!rc) rc = scan_histories(s, period, np, at, unit_counts, ctx, NULL, e);
    for (int k = 0; !rc && k < np; k++) rc = units_of(s, &b[k], &out[k], &n_out[k], e);
    st_snapshot_end(s, began);
    for (int k = 0; k < np; k++) {
        free(b[k].m);
        free(b[k].seen);
        if (rc) {
            free(out[k]);
            out[k] = NULL;
            n_out[k] = 0;
        }
    }
    return st_fail(rc, e, "stats");
}

int store_stats(store *s, int64_t from, int64_t to, int64_t at, store_unit_stats **out, size_t *n_out, err *e) {
    const int64_t period[1][2] = {{from, to}};
    return store_stats_periods(s, period, 1, at, out, n_out, e);
}

/* One unit's counts of one case at a time: a case is in the figure when
 * its own counts are. */
typedef struct one_unit {
    int64_t unit;
    met_counts m;
    int figure;
    bool numerator;
    struct counted { int64_t id, times; } *ids;
    int64_t n;
    size_t k, cap;
    int limit;
    err *e;
} one_unit;

static met_counts *one_counts(void *ctx, int64_t unit) {
    one_unit *o = ctx;
    return unit == o->unit ? &o->m : NULL;
}

/* A case counts in a figure as many times as it counts there: a case due
 * again after a 重办 is due twice in a month. */
static int one_case(void *ctx, int64_t id) {
    one_unit *o = ctx;
    int64_t num, den;
    met_figure_counts(&o->m, o->figure, &num, &den);
    memset(&o->m, 0, sizeof o->m);
    int64_t times = o->numerator ? num : den;
    if (!times) return 0;
    o->n += times;
    if ((int64_t)o->k >= o->limit) return 0;
    int rc = st_grow(&o->ids, &o->cap, o->k, sizeof *o->ids, o->e);
    if (!rc) o->ids[o->k++] = (struct counted){id, times};
    return rc;
}

static int cmp_id(const void *a, const void *b) {
    int64_t x = ((const struct counted *)a)->id, y = ((const struct counted *)b)->id;
    return (x > y) - (x < y);
}

int store_stats_cases(store *s, int64_t unit_id, int64_t from, int64_t to, int64_t at, int figure,
                      bool numerator, int limit, int64_t *n, store_counted_fn fn, void *ctx, err *e) {
    one_unit o = {.unit = unit_id, .figure = figure, .numerator = numerator, .limit = INT32_MAX, .e = e};
    bool began;
    *n = 0;
    const int64_t period[1][2] = {{from, to}};
    void *octx[1] = {&o};
    int rc = st_snapshot_begin(s, &began, e);
    if (!rc) rc = scan_histories(s, period, 1, at, one_counts, octx, one_case, e);
    st_snapshot_end(s, began);
    /* in id order, the first `limit` */
    if (!rc && o.k) qsort(o.ids, o.k, sizeof *o.ids, cmp_id);
    *n = o.n;
    for (size_t i = 0; !rc && i < o.k && (int)i < limit; i++) { /* the page, read once the scan is done */
        case_rec c;
        if (!(rc = store_case_get(s, o.ids[i].id, &c, e))) {
            rc = fn(ctx, &c, o.ids[i].times);
            case_rec_clear(&c);
        }
    }
    free(o.ids);
    return st_fail(rc, e, "figure's cases");
}

/* ---- 考核 schemes, by year, kept as set ------------------------------------- */

int store_scheme_at(store *s, int64_t from, int64_t at, scheme *out, err *e) {
    int y, m, d;
    dt_civil_from_days(dt_local_day(from, s->env.tz), &y, &m, &d);
    *out = *sch_default();
    db_stmt *st;
    int rc = st_prepare(s, "SELECT body FROM schemes WHERE year <= ?1 AND set_at <= ?2"
                           " ORDER BY year DESC, set_at DESC, id DESC LIMIT 1", 0, &st, e);
    if (rc) return st_fail(rc, e, "scheme");
    db_bind_int(st, 1, y);
    db_bind_int(st, 2, at);
    if (!(rc = db_first(st, e))) {
        json_t *v = json_loads(db_col_text(st, 0), 0, NULL);
        if (sch_from_json(v, out, e)) rc = err_set(e, ERR_IO, "", "a 考核 scheme in the database is damaged");
        json_decref(v);
    }
    db_finalize(st);
    return rc == ERR_NOTFOUND ? 0 : rc;
}

/* Migration 38: composite_weights set to other than the old default becomes
 * a scheme for every year with the same three terms; the key goes. */
int st_seed_schemes(store *s, err *e) {
    char v[32] = "";
    int a, b, c, n = -1, rc = 0;
    if (!store_config_get(s, "composite_weights", v, sizeof v, NULL) && strcmp(v, "30/35/35") &&
        sscanf(v, "%3d/%3d/%3d%n", &a, &b, &c, &n) == 3 && n == (int)strlen(v)) {
        scheme sch = sch_preset_find("legacy")->s;
        snprintf(sch.name, sizeof sch.name, "custom");
        int w[3] = {a, b, c};
        sch.n_terms = 0;
        for (int i = 0; i < 3; i++)
            if (w[i] > 0) {
                sch.term[sch.n_terms] = sch_preset_find("legacy")->s.term[i];
                sch.term[sch.n_terms].weight = w[i];
                sch.term[sch.n_terms++].slope = w[i] / 100.0;
            }
        rc = store_scheme_set(s, 0, &sch, 0, "composite_weights", e);
    }
    if (!rc) rc = st_fail(db_exec(s->db, "DELETE FROM config WHERE key = 'composite_weights'", e), e, "schemes");
    return rc;
}

int store_scheme_set(store *s, int year, const scheme *sch, int64_t now, const char *actor, err *e) {
    json_t *v = sch_to_json(sch);
    /* a preset is kept by its name, a scheme of one's own by its terms */
    json_t *body = sch_preset_find(sch->name) ? json_pack("{s:s}", "preset", sch->name) : v;
    if (body != v) json_decref(v);
    else json_object_del(body, "name"), json_object_del(body, "label"), json_object_del(body, "source");
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    db_stmt *st;
    int rc = text ? st_prepare(s, "INSERT INTO schemes(year, set_at, actor, body) VALUES(?1, ?2, ?3, ?4)", 0, &st, e)
                  : err_set(e, ERR_NOMEM, "", "out of memory");
    if (!rc) {
        db_bind_int(st, 1, year);
        db_bind_int(st, 2, now);
        db_bind_text(st, 3, actor);
        db_bind_text(st, 4, text);
        rc = db_run(st, e);
        db_finalize(st);
    }
    free(text);
    return st_fail(rc, e, "scheme");
}

int store_scheme_list(store *s, store_scheme_fn fn, void *ctx, err *e) {
    db_stmt *st;
    int rc = st_prepare(s, "SELECT year, set_at, actor, body FROM schemes ORDER BY id", 0, &st, e);
    while (!rc && db_next(st, &rc, e)) {
        scheme sch;
        json_t *v = json_loads(db_col_text(st, 3), 0, NULL);
        int bad = sch_from_json(v, &sch, NULL);
        json_decref(v);
        if (!bad) rc = fn(ctx, (int)db_col_int(st, 0), db_col_int(st, 1), db_col_text(st, 2), &sch);
    }
    if (st) db_finalize(st);
    return st_fail(rc, e, "schemes");
}

/* ---- the 12345 centre ---------------------------------------------------------- */

/* The matters received by `at` counted by received_at; what became of
 * them by `at` (merged, answered at intake, visited) from the history of
 * each that changed, as every figure (met_hist_at). */
static int centre_in_snapshot(store *s, int64_t from, int64_t hi, int64_t at, store_centre *out, err *e) {
    db_stmt *st;
    int64_t received = 0;
    int rc = st_prepare(s, "SELECT count(*) FROM cases WHERE received_at >= ?1 AND received_at < ?2", 0, &st, e);
    if (rc) return st_fail(rc, e, "centre figures");
    db_bind_int(st, 1, from);
    db_bind_int(st, 2, hi);
    if (!(rc = db_first(st, e))) received = db_col_int(st, 0);
    db_finalize(st);
    if (rc || !(st = st_prep(s, Q_STATS_SCAN, e))) return rc ? st_fail(rc, e, "centre figures") : ERR_IO;
    db_bind_int(st, 1, from);
    db_bind_int(st, 2, hi);
    while (db_next(st, &rc, e)) {
        size_t len;
        int64_t base = db_col_int(st, 0);
        const unsigned char *h = db_col_blob(st, 1, &len);
        met_case_at c;
        if (base < from || base >= hi || !len) continue;
        if (met_hist_at(h, len, base, at, &c)) {
            rc = err_set(e, ERR_IO, "", "a case's history is damaged");
            break;
        }
        if (c.merged) {
            out->merged++;
        } else if (c.answered && !c.dispatched_at) {
            out->answered++;
            out->visited += c.visited;
            out->satisfied += c.satisfied;
        }
    }
    db_reset(st);
    out->received = received - out->merged;
    return st_fail(rc, e, "centre figures");
}

int store_centre_stats(store *s, int64_t from, int64_t to, int64_t at, store_centre *out, err *e) {
    bool began;
    int64_t hi = to < at + 1 ? to : at + 1; /* received by `at` */
    memset(out, 0, sizeof *out);
    if (hi <= from) return 0;
    int rc = st_snapshot_begin(s, &began, e);
    if (!rc) rc = centre_in_snapshot(s, from, hi, at, out, e);
    st_snapshot_end(s, began);
    return rc;
}

/* ---- summary ------------------------------------------------------------------- */

/* The open cases overdue at `now`, and those with a deadline whose last day
 * is today (24:00 belongs to it). Through the partial index of unclosed
 * cases (migration 24): a county's closed cases are never read. */
static int open_due(store *s, int64_t now, int64_t *overdue, int64_t *due_today, err *e) {
    db_stmt *st;
    *overdue = *due_today = 0;
    int rc = st_prepare(s, "SELECT status, dispatch_due, accept_due, feedback_due, resolve_due,"
                           " first_feedback_at FROM cases c WHERE c.status <> 'closed'"
                           " AND c.status <> 'merged' AND " OPEN_STATUSES,
                        DB_LARGE, &st, e);
    if (rc) return rc;
    case_rec c;
    memset(&c, 0, sizeof c);
    int32_t today = dt_local_day(now, s->env.tz);
    while (db_next(st, &rc, e)) {
        case_status_parse(db_col_text(st, 0), &c.status, NULL);
        for (int k = 0; k < DUE_COUNT; k++) c.due[k] = db_col_int(st, 1 + k);
        c.first_feedback_at = db_col_int(st, 5);
        *overdue += case_overdue(&c, now);
        for (int k = 0; k < DUE_COUNT; k++) {
            int64_t d = case_pending_due(&c, (case_due_kind)k);
            if (d && d > now && dt_local_day(d - 1, s->env.tz) == today) {
                ++*due_today;
                break;
            }
        }
    }
    db_finalize(st);
    return rc;
}

int store_overdue_at(store *s, int64_t at, int64_t *out, err *e) {
    db_stmt *st = st_prep(s, Q_STATS_SCAN, e);
    int rc = 0;
    *out = 0;
    if (!st) return ERR_IO;
    /* open at `at`: not settled before it */
    db_bind_int(st, 1, at);
    db_bind_int(st, 2, at + 1);
    while (db_next(st, &rc, e)) {
        size_t len;
        int64_t base = db_col_int(st, 0);
        const unsigned char *h = db_col_blob(st, 1, &len);
        if (base <= at && len) *out += met_hist_overdue_at(h, len, base, at);
    }
    db_reset(st);
    return st_fail(rc, e, "overdue cases");
}

int store_overdue_count(store *s, int64_t now, int64_t *out, err *e) {
    int64_t today;
    return st_fail(open_due(s, now, out, &today, e), e, "overdue cases");
}

static int summary_in_snapshot(store *s, int64_t now, store_summary *out, err *e) {
    static const struct { const char *sql; size_t off; } counts[] = {
        {"SELECT count(*) FROM units", offsetof(store_summary, units)},
        {"SELECT count(*) FROM categories", offsetof(store_summary, categories)},
        {"SELECT count(*) FROM cases", offsetof(store_summary, cases)},
        {"SELECT count(*) FROM events", offsetof(store_summary, events)},
        {"SELECT count(*) FROM notices", offsetof(store_summary, notices)},
        {"SELECT count(*) FROM cases WHERE provisional <> 0", offsetof(store_summary, provisional)},
    };
    db_stmt *st;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof counts / sizeof *counts; i++)
        rc = db_query_int(s->db, counts[i].sql, (int64_t *)((char *)out + counts[i].off), e);
    if (rc || (rc = st_prepare(s, "SELECT status, count(*) FROM cases GROUP BY status", 0, &st, e)))
        return rc;
    while (db_next(st, &rc, e)) {
        case_status k;
        if (case_status_parse(db_col_text(st, 0), &k, NULL) == 0) out->by_status[k] = db_col_int(st, 1);
    }
    db_finalize(st);
    if (rc || (rc = st_prepare(s, "SELECT appeal_type, count(*) FROM cases GROUP BY appeal_type",
                               0, &st, e)))
        return rc;
    while (db_next(st, &rc, e)) {
        case_appeal a = AP_NONE;
        if (!db_col_null(st, 0)) case_appeal_parse(db_col_text(st, 0), &a, NULL);
        out->by_appeal[a] += db_col_int(st, 1);
    }
    db_finalize(st);
    return rc ? rc : open_due(s, now, &out->overdue, &out->due_today, e);
}

int store_summary_get(store *s, int64_t now, store_summary *out, err *e) {
    bool began;
    memset(out, 0, sizeof *out);
    int rc = st_snapshot_begin(s, &began, e);
    if (rc) return rc;
    rc = summary_in_snapshot(s, now, out, e);
    st_snapshot_end(s, began);
    return st_fail(rc, e, "summary");
}

int store_latest_received(store *s, int64_t *at, err *e) {
    return st_fail(db_query_int(s->db, "SELECT coalesce(max(received_at), 0) FROM cases", at, e), e, "cases");
}
