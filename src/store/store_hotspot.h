/* store_hotspot: the weekly counts behind 未诉先办 (core/hotspot.h) — cases
 * received in the nine weeks before a moment, per category and township or
 * per category and lead unit — judged, the hot ones kept. */
#ifndef DUBAN_STORE_HOTSPOT_H
#define DUBAN_STORE_HOTSPOT_H

#include "core/hotspot.h"
#include "core/ref.h"
#include "store/store.h"

#define STORE_HOTSPOTS_MAX 50

typedef enum { HOT_BY_TOWNSHIP, HOT_BY_UNIT } hot_place;

typedef struct store_hotspot {
    unit_ref category, place; /* place: the township, or the lead unit */
    int64_t week[HOT_WEEKS + 1]; /* [0]: the 7 days before `at`, then older */
    double mean, p;
    int64_t task_id; /* the case made from it in the last 7 days; 0: none */
    char task_no[CASE_CODE_MAX];
} store_hotspot;

/* The hot pairs at `at` (the rule from configuration hotspot_rule), the
 * least likely first, at most STORE_HOTSPOTS_MAX, each with the case made
 * from it lately. Caller frees *out. */
int store_hotspots(store *s, int64_t at, hot_place by, store_hotspot **out, size_t *n, err *e);
/* The rule in force (configuration hotspot_rule, else the default). */
void store_hot_rule(store *s, hot_rule *r);

/* Makes hot spot h (as judged now) into a 领导交办 case: received, then
 * dispatched to the unit (a by-unit spot) or to the category's usual unit
 * when it has one; its category and township set. ERR_CONFLICT naming the
 * case when the pair was made into one in the 7 days before now. On
 * success *out is the case (case_rec_clear). */
int store_hotspot_task(store *s, const store_hotspot *h, hot_place by, const char *actor, int64_t now,
                       case_rec *out, err *e);

#endif
