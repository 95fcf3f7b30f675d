/* case_json: the JSON shape of cases and events shared by the CLI and the API. */
#ifndef DUBAN_CASE_JSON_H
#define DUBAN_CASE_JSON_H

#include <jansson.h>

#include "core/case.h"

enum { CASE_JSON_REVEAL = 1 /* show requester name and phone in full */ };

/* Without CASE_JSON_REVEAL the requester's name and phone are masked, and a
 * confidential case shows not even the masks. */
json_t *case_to_json(const case_rec *c, int tz, unsigned flags);

struct jsonw;
/* Where a case's members go: into a JSON value being built (obj), or as
 * text (w: an object opened with "{", its members written as they come,
 * cheaper than building a value to write it), so that one description of a
 * case's shape serves both; n counts the members. */
typedef struct case_out {
    json_t *obj;
    struct jsonw *w;
    size_t n;
} case_out;
/* The members case_to_json gives a case. */
void case_out_members(case_out *o, const case_rec *c, int tz, unsigned flags);
void case_out_str(case_out *o, const char *key, const char *s); /* null for NULL */
void case_out_int(case_out *o, const char *key, json_int_t v);
void case_out_value(case_out *o, const char *key, json_t *v); /* takes v; NULL is null */
json_t *case_event_to_json(const case_event *ev, int tz);
struct jsonw;
/* The same object as case_event_to_json, written straight into w: the
 * stored payload and text (compact objects with no key in common, as core
 * writes them) are joined as they are instead of parsed and written again. */
void case_event_write(struct jsonw *w, const case_event *ev, int tz);
/* Which deadline an open case has missed at now, and by how long:
 * {"kind": "accept", "due": ISO, "by_seconds": N} for the earliest one
 * missed (case_pending_due), or JSON null. */
json_t *case_overdue_json(const case_rec *c, int64_t now, int tz);
/* What an event did and the text typed with it, as one object (new reference). */
json_t *case_event_payload(const case_event *ev);
struct met_counts;
struct scheme;
/* A unit's counts and rates (NaN rates as null) for `stats`. */
json_t *met_to_json(const struct met_counts *m, const struct scheme *s);

struct pol_table;
/* The deadline table: one row per channel and class with its five rules. */
json_t *pol_to_json(const struct pol_table *p);

/* How every answer writes its reals. Computed ones (rates, scores) are
 * rounded to 6 decimals where they are made, the others come from short
 * decimals (coordinates), so 15 significant digits give each its shortest
 * form that reads back exactly: 0.9, not 0.90000000000000002. */
#define CASE_JSON_REALS JSON_REAL_PRECISION(15)
/* v as those JSON answers write it (for XML): "0.9", "35.0", "-0.1". */
void case_json_real_text(double v, char out[32]);

/* A time as ISO 8601 at the deployment offset, or JSON null for 0. */
json_t *case_time_json(int64_t t, int tz);
/* A deadline as people read it. Day periods end at 24:00 of their last day,
 * held as the next local midnight; that instant is written as 23:59:59 of the
 * last day ("2026-11-30T23:59:59+08:00", not "2026-12-01T00:00:00"), a
 * deadline at any other time as it is. JSON null for 0. */
json_t *case_due_json(int64_t due, int tz);
/* The instant case_due_json writes: one second before a local midnight. */
int64_t case_due_shown(int64_t due, int tz);
/* A deadline case_due_json wrote, back into the instant it holds (23:59:59
 * of a day is the midnight after it); 0 when s is not one. */
int64_t case_due_parse(const char *s, int tz);

#endif
