/* store_breakdown: what the dashboard draws besides the units' rates — the
 * cases received in a period by local month, by channel, class and 诉求类型,
 * and by top-level category × township — from one pass over the period's
 * cases (streamed, counted here: written once for both drivers). */
#ifndef DUBAN_STORE_BREAKDOWN_H
#define DUBAN_STORE_BREAKDOWN_H

#include "store/store.h"

#define STORE_MAX_MONTHS 37 /* a period of at most three years, partly cut at both ends */

typedef struct store_month {
    int year, month;
    /* of the cases received that month: */
    int64_t received, dispatched, resolved, visited, satisfied;
} store_month;

typedef struct store_cell {
    int64_t category_id, township_id, n;
} store_cell;

/* Each count as the case stood at `at` (a milestone after `at` does not
 * count); cases merged (并案) into another are left out, as in the centre's
 * figures. Owned arrays: store_breakdown_clear. */
typedef struct store_breakdown {
    int n_months;
    store_month month[STORE_MAX_MONTHS];
    int64_t received;
    int64_t answered; /* resolved by the centre itself, never dispatched (直接办结) */
    int64_t by_channel[CH_COUNT], by_class[CL_COUNT], by_appeal[AP_COUNT];
    store_cell *cells; /* category × township, each pair with a case */
    size_t n_cells;
    unit_ref *categories; /* the top-level categories and townships the cells name */
    size_t n_categories;
    unit_ref *townships;
    size_t n_townships;
    int64_t unplaced; /* cases in no cell (below) */
} store_breakdown;

/* What a scan counts. BD_DASHBOARD: everything above, the cells by
 * top-level category, a case without a category or a township in none.
 * BD_INTAKE (a 通报's): received, answered, by channel and class, and the
 * cells by the category itself, a case without a township in its
 * category's cell of township_id 0 (a pair the townships leave out) — no
 * months, no 诉求类型: fewer columns for a million rows. */
typedef enum store_bd_kind { BD_DASHBOARD, BD_INTAKE } store_bd_kind;

/* [from, to) at most STORE_MAX_MONTHS - 1 months long (ERR_INVALID naming
 * "to" otherwise). */
int store_breakdown_get(store *s, int64_t from, int64_t to, int64_t at, store_bd_kind kind,
                        store_breakdown *out, err *e);
void store_breakdown_clear(store_breakdown *b);

#endif
