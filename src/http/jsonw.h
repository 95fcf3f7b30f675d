/* jsonw: an answer's JSON value written as text, byte for byte as jansson's
 * json_dumps(v, JSON_COMPACT | flags) writes it, in a sixth of the time.
 * jansson's writer checks the UTF-8 of every string again (a value's text
 * was checked when it was made), formats every integer with snprintf and
 * keeps a table of the containers it is inside, to catch a cycle; for a
 * case's answer that was a quarter of a GET. Values are still built, read
 * and parsed by jansson; reals are still written by it (its rounding and
 * exponents, under the precision in flags). */
#ifndef DUBAN_HTTP_JSONW_H
#define DUBAN_HTTP_JSONW_H

#include <jansson.h>
#include <stddef.h>

/* The text (the caller frees it) and its length; NULL when out of memory or
 * nested deeper than JSONW_MAX_DEPTH (no answer is; a cycle would be). */
#define JSONW_MAX_DEPTH 64
char *jsonw_dumps(const json_t *v, size_t flags, size_t *len);

#endif
