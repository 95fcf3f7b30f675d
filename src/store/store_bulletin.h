/* store_bulletin: the counts of a 通报 (core/bulletin) for a period and the
 * period before it, read once for both drivers: every 市直部门 and 乡镇街道
 * with its handling figures, the centre's intake, channels and classes, the
 * categories most asked about and their townships, 码上评 per unit. */
#ifndef DUBAN_STORE_BULLETIN_H
#define DUBAN_STORE_BULLETIN_H

#include "core/bulletin.h"
#include "store/store.h"

/* [from, to) and the period before it, [before_from, from), as they stood
 * at `at`; ranked (bulletin_rank). Caller clears *out (bulletin_clear). */
int store_bulletin_get(store *s, int64_t from, int64_t to, int64_t before_from, int64_t at,
                       bulletin *out, err *e);

#endif
