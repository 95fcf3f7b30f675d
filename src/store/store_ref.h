/* store_ref: reference data: the calendar, the deadline policy, units,
 * categories and the attributes a category asks for. */
#ifndef DUBAN_STORE_REF_H
#define DUBAN_STORE_REF_H

#include "core/calendar.h"
#include "core/policy.h"
#include "core/ref.h"
#include "store/store.h"

/* Replaces a year of the calendar and, in the same transaction, counts every
 * provisional deadline of an open case again under it (ACT_RECOMPUTE by
 * actor at now, one event per case); *recomputed: how many cases. */
int store_calendar_import(store *s, const cal_year *y, const char *actor, int64_t now,
                          size_t *recomputed, err *e);
typedef struct store_cal_year { int year, off_days, work_days; } store_cal_year;
typedef int (*store_cal_year_fn)(void *ctx, const store_cal_year *y);
int store_calendar_years(store *s, store_cal_year_fn fn, void *ctx, err *e);
/* A year's days as imported, in date order; a year not imported (from
 * HOL_FIRST to HOL_LAST) lists its statutory days, each provisional. */
typedef int (*store_cal_day_fn)(void *ctx, const cal_day *d);
int store_calendar_days(store *s, int year, store_cal_day_fn fn, void *ctx, err *e);

int store_policy_set(store *s, case_channel ch, case_class cl, pol_stage st, const pol_rule *r,
                     err *e);

typedef struct store_unit {
    unit_ref ref;
    unit_kind kind;
    char parent[CASE_CODE_MAX];
} store_unit;
int store_unit_add(store *s, const char *code, const char *name, unit_kind kind,
                   const char *parent_code, int64_t now, int64_t *id, err *e);
int store_unit_find(store *s, const char *code, unit_ref *out, err *e);
/* A new name for a unit (its code, history and figures stay). */
int store_unit_rename(store *s, const char *code, const char *name, err *e);
typedef int (*store_unit_fn)(void *ctx, const store_unit *u);
int store_unit_list(store *s, store_unit_fn fn, void *ctx, err *e);

int store_category_add(store *s, const char *code, const char *name, const char *parent_code,
                       const char *unit_code, int64_t *id, err *e);
int store_category_find(store *s, const char *code, unit_ref *out, err *e);
/* A category's name (NULL: kept) and the unit that usually handles it
 * (NULL: kept; "": none). */
int store_category_update(store *s, const char *code, const char *name, const char *unit_code,
                          err *e);
typedef struct store_category {
    unit_ref ref;
    char parent[CASE_CODE_MAX];
    unit_ref unit; /* the unit that usually handles it */
} store_category;
typedef int (*store_category_fn)(void *ctx, const store_category *c);
int store_category_list(store *s, store_category_fn fn, void *ctx, err *e);

/* A category's attribute: a new one last in order; with replace, one of
 * that code changed in place (its order kept) or else added. *created
 * (may be NULL): whether it was added. */
int store_attribute_put(store *s, const char *category, const ref_attribute *a, bool replace,
                        bool *created, err *e);
int store_attribute_delete(store *s, const char *category, const char *code, err *e);
typedef int (*store_attribute_fn)(void *ctx, const ref_attribute *a);
int store_attribute_list(store *s, const char *category, store_attribute_fn fn, void *ctx, err *e);

/* Reply templates: t->category by code (resolved here; ERR_INVALID if
 * unknown); a new one (t->id == 0, its id into t->id) or a change. */
int store_template_put(store *s, ref_template *t, const char *actor, int64_t now, err *e);
int store_template_delete(store *s, int64_t id, err *e);
/* The templates for category (and its ancestors', and those for every
 * category), the category's own first; category_id 0: every template. */
typedef int (*store_template_fn)(void *ctx, const ref_template *t);
int store_template_list(store *s, int64_t category_id, store_template_fn fn, void *ctx, err *e);

#endif
