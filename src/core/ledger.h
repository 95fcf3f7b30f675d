/* ledger: the 清零 ledger's view of one unfinished case — how old it is,
 * where it stands, its next (or missed) deadline and by how many days — the
 * same for the web page, the API and the spreadsheet. Pure. */
#ifndef DUBAN_LEDGER_H
#define DUBAN_LEDGER_H

#include <stdbool.h>

#include "core/case.h"

typedef struct ledger_line {
    int age_days;          /* whole days since it was received */
    case_due_kind due_kind; /* DUE_COUNT: no deadline is running (e.g. awaiting 回访) */
    int64_t due;           /* 0 with DUE_COUNT */
    int overdue_days;      /* days (begun) past due; 0 when not overdue */
    const char *step;      /* 待派单 待签收 办理中 延期待批 方案待批 待回访 待销号 ... */
    bool promise;          /* due is the date a B/C answer promised (ledger_due_label: 承诺) */
} ledger_line;

void ledger_line_of(const case_rec *c, int64_t now, int tz, ledger_line *out);
/* 派单 签收 反馈 办结, 承诺 for a promise; "" when nothing is due */
const char *ledger_due_label(const ledger_line *l);

#endif
