/* store_ledger: the 清零 ledger's counts — for each unit, the cases it leads
 * that are not closed yet, and how many of them are overdue — which a county
 * works down to zero. The cases themselves are a case list with open_only
 * (store_case.h). */
#ifndef DUBAN_STORE_LEDGER_H
#define DUBAN_STORE_LEDGER_H

#include "core/ref.h"
#include "store/store.h"

typedef struct store_ledger_unit {
    unit_ref unit; /* id 0: cases not dispatched yet, the 督查室's own */
    unit_kind kind;
    int64_t open, overdue, reopened; /* reopened: open cases reopened (重办) at least once */
    int64_t pending;  /* an extension or plan awaiting approval */
    int64_t oldest;   /* when its oldest open case was received; 0 for none */
    int64_t worst;    /* its earliest missed deadline; 0 for none */
    int order;        /* its place in the list of units (ties keep it) */
} store_ledger_unit;

/* Every 市直部门 and 乡镇街道 (with zeros) and the undispatched cases, as
 * they stand at now, the most overdue first, then the most open; only
 * unit's row when unit is not 0. Caller frees *out. */
int store_ledger_units(store *s, int64_t now, int64_t unit, store_ledger_unit **out, size_t *n,
                       err *e);

#endif
