/* store_bulletin: the counts of a 通报 (core/bulletin) for a period and the
 * period before it, read once for both drivers: every 市直部门 and 乡镇街道
 * with its handling figures, the centre's intake, channels and classes, the
 * categories most asked about and their townships, 码上评 per unit. */
#ifndef DUBAN_STORE_BULLETIN_H
#define DUBAN_STORE_BULLETIN_H

#include "core/bulletin.h"
#include "store/store.h"

/* The moment a period ending at `to` is reported as of, when made at
 * `now`: its cut-off (configuration report_cutoff_days, in force when the
 * period ended: working days after it, 3 by default), or now if sooner. */
int64_t store_report_at(store *s, int64_t to, int64_t now);

/* [from, to) and the period before it, [before_from, from), as they stood
 * at `at`; ranked (bulletin_rank). Caller clears *out (bulletin_clear). */
int store_bulletin_get(store *s, int64_t from, int64_t to, int64_t before_from, int64_t at,
                       bulletin *out, err *e);

/* A published issue (期号 no), kept as it was sent: its figures (JSON), its
 * page (HTML) and its workbook. Strings and bytes owned (store_issue_clear). */
typedef struct store_issue {
    int64_t no, from, to, before_from, published_at;
    int64_t corrects; /* the issue this one corrects; 0 for none */
    char by[96];
    char *note, *figures, *page;
    unsigned char *workbook;
    size_t workbook_len;
} store_issue;
void store_issue_clear(store_issue *i);
/* The number the next issue will take. */
int store_issue_next(store *s, int64_t *no, err *e);
/* Keeps issue i (i->no from store_issue_next): ERR_CONFLICT when another
 * took that number meanwhile, ERR_INVALID naming "corrects" when it names no
 * issue. */
int store_issue_add(store *s, const store_issue *i, err *e);
/* Issue no; with its page and workbook when files is true. */
int store_issue_get(store *s, int64_t no, bool files, store_issue *out, err *e);
/* Every issue, newest first, without its files. */
typedef int (*store_issue_fn)(void *ctx, const store_issue *i);
int store_issue_list(store *s, store_issue_fn fn, void *ctx, err *e);

#endif
