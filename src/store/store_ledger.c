/* store_ledger: see store_ledger.h. */
#include "store/store_ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "store/store_ref.h"

typedef struct gather {
    store_ledger_unit *rows;
    size_t n, cap;
    int64_t only;
    err *e;
} gather;

static int add_unit(void *ctx, const store_unit *u) {
    gather *g = ctx;
    if (g->only && u->ref.id != g->only) return 0;
    if (st_grow(&g->rows, &g->cap, g->n, sizeof *g->rows, g->e)) return ERR_NOMEM;
    g->rows[g->n] = (store_ledger_unit){.unit = u->ref, .kind = u->kind, .order = (int)g->n};
    g->n++;
    return 0;
}

/* Most overdue first, then most open; ties keep the units' own order. */
static int by_work(const void *a, const void *b) {
    const store_ledger_unit *x = a, *y = b;
    if (x->overdue != y->overdue) return x->overdue < y->overdue ? 1 : -1;
    if (x->open != y->open) return x->open < y->open ? 1 : -1;
    return x->order < y->order ? -1 : x->order > y->order;
}

int store_ledger_units(store *s, int64_t now, int64_t unit, store_ledger_unit **out, size_t *n,
                       err *e) {
    gather g = {.only = unit, .e = e};
    db_stmt *st = NULL;
    *out = NULL;
    *n = 0;
    int rc = store_unit_list(s, add_unit, &g, e);
    /* One pass over the open cases by the partial index (migration 24). */
    if (!rc && (rc = st_prepare(s,
                                 "SELECT c.lead_unit_id, count(*),"
                                 " sum(CASE WHEN c.next_due <= ?1 THEN 1 ELSE 0 END),"
                                 " sum(CASE WHEN c.reopen_count > 0 THEN 1 ELSE 0 END),"
                                 " sum(CASE WHEN c.pending IS NOT NULL THEN 1 ELSE 0 END),"
                                 " min(c.received_at), min(CASE WHEN c.next_due <= ?1"
                                 " THEN c.next_due END) FROM cases c"
                                 " WHERE c.status <> 'closed' AND c.status <> 'merged'"
                                 " AND (CAST(?2 AS BIGINT) IS NULL OR c.lead_unit_id = ?2)"
                                 " GROUP BY c.lead_unit_id",
                                 DB_LARGE, &st, e)))
        rc = st_fail(rc, e, "the ledger");
    if (!rc) {
        db_bind_int(st, 1, now);
        db_bind_id(st, 2, unit);
        while (db_next(st, &rc, e)) {
            int64_t id = db_col_int(st, 0);
            store_ledger_unit *u = NULL;
            for (size_t i = 0; i < g.n && !u; i++) /* a county has tens of units */
                if (g.rows[i].unit.id == id) u = &g.rows[i];
            if (!u && !id && !unit) { /* led by no unit (GET /cases?unit=none): listed last */
                if ((rc = st_grow(&g.rows, &g.cap, g.n, sizeof *g.rows, e))) break;
                u = &g.rows[g.n++];
                *u = (store_ledger_unit){.kind = UNIT_CENTER, .order = (int)g.n};
                snprintf(u->unit.name, sizeof u->unit.name, "未派单");
            }
            if (!u) continue; /* a unit made after the list was read */
            u->open = db_col_int(st, 1);
            u->overdue = db_col_int(st, 2);
            u->reopened = db_col_int(st, 3);
            u->pending = db_col_int(st, 4);
            u->oldest = db_col_int(st, 5);
            u->worst = db_col_int(st, 6);
        }
        db_finalize(st);
    }
    /* Every department and township stays, at zero; a centre only leading. */
    size_t k = 0;
    for (size_t i = 0; i < g.n; i++)
        if (g.rows[i].kind != UNIT_CENTER || g.rows[i].open) g.rows[k++] = g.rows[i];
    g.n = k;
    if (g.n) qsort(g.rows, g.n, sizeof *g.rows, by_work);
    if (rc) {
        free(g.rows);
        return rc;
    }
    *out = g.rows;
    *n = g.n;
    return 0;
}
