/* jsonw: JSON written as text, byte for byte as jansson's json_dumps(v,
 * JSON_COMPACT | flags) writes it, in a sixth of the time. jansson's writer
 * checks the UTF-8 of every string again (a value's text was checked when it
 * was made), formats every integer with snprintf and keeps a table of the
 * containers it is inside, to catch a cycle; for a case's answer that was a
 * quarter of a GET. Values are still built, read and parsed by jansson;
 * reals are still written by it (its rounding and exponents, under the
 * precision in flags). A writer also takes pieces one by one — a string, an
 * integer, a value, text already JSON — for an answer that is cheaper to
 * write than to build (a case's events). */
#ifndef DUBAN_UTIL_JSONW_H
#define DUBAN_UTIL_JSONW_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define JSONW_MAX_DEPTH 64

typedef struct jsonw {
    char *p;
    size_t n, cap;
    bool failed; /* out of memory, or a value nested deeper than JSONW_MAX_DEPTH */
} jsonw;

void jsonw_raw(jsonw *w, const char *text, size_t n); /* as it is: it must be JSON */
#define JSONW_LIT(w, lit) jsonw_raw((w), "" lit, sizeof(lit) - 1)
void jsonw_string(jsonw *w, const char *s, size_t n); /* quoted and escaped */
void jsonw_cstr(jsonw *w, const char *s);              /* the same, or null for NULL */
void jsonw_int(jsonw *w, json_int_t v);
void jsonw_value(jsonw *w, const json_t *v, size_t flags);
/* An object without its closing brace, so that members written as text may
 * follow; how many members it wrote (a following member needs a comma). */
size_t jsonw_object_open(jsonw *w, const json_t *obj, size_t flags);
/* The text (the caller frees it) and its length, and w empty again; NULL
 * (w freed) if anything failed. */
char *jsonw_take(jsonw *w, size_t *len);
void jsonw_free(jsonw *w);

/* A value's text (the caller frees it); NULL when out of memory or nested
 * deeper than JSONW_MAX_DEPTH (no answer is; a cycle would be). */
char *jsonw_dumps(const json_t *v, size_t flags, size_t *len);

#endif
