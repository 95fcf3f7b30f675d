/* store_json: the JSON shape of the store's records, shared by the CLI and
 * the HTTP API. */
#ifndef DUBAN_STORE_JSON_H
#define DUBAN_STORE_JSON_H

#include <jansson.h>

#include "store/store_ref.h"
#include "store/store_audit.h"
#include "store/store_report.h"

json_t *store_notice_json(const store_notice *n, int tz);
json_t *store_unit_json(const store_unit *u);
json_t *store_ref_json(const unit_ref *r); /* {code, name} or null */
/* num / den rounded to 6 decimals; null when den is 0. */
json_t *store_rate_json(int64_t num, int64_t den);

/* The answer to `stats` (CLI and API alike): {from, to, at, scheme,
 * rank_min, units: [counts, rates, score, unit, kind, rank], total}; rank within
 * the unit's kind by composite, null below rank_min cases dispatched. */
json_t *store_stats_json(const store_unit_stats *u, size_t n, const scheme *sch, const char *from,
                         const char *to, int64_t at, int tz, int64_t rank_min);

/* `audit verify`'s answer (CLI and API): {ok, cases, events, first_broken:
 * null or {case_id, case_no, seq, reason}}. */
json_t *store_audit_json(store *s, const store_audit *au);

/* The centre's figures: {received, answered, answer_rate, visited,
 * satisfied, satisfaction_rate}; a rate over 0 is null. */
json_t *store_centre_json(const store_centre *c);
/* {"consult": N, ..., "none": N}: cases by 诉求类型 (none: not classified). */
json_t *store_appeals_json(const store_summary *s);
/* What an administrator should act on, from a summary: [{kind, cases,
 * message}], empty when nothing. Today: open cases whose deadlines were
 * counted beyond the loaded calendar (import the next year's). */
json_t *store_reminders_json(const store_summary *s, const case_env *env);

#endif
