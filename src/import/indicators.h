/* import/indicators: a table of indicator values (a header row naming the
 * columns 指标, 类型, 期间, 增速 and optionally 来源, in any order; then one
 * value a row) checked row by row into ind_rows. Every bad row is reported
 * with its number, so a person can mend the file in one go. */
#ifndef DUBAN_IMPORT_INDICATORS_H
#define DUBAN_IMPORT_INDICATORS_H

#include <jansson.h>

#include "core/indicator.h"
#include "import/table.h"

#define IMPORT_MAX_ERRORS 50

/* resolve: the code of the indicator a cell names (by code or by name), or
 * NULL when none; the string must outlive the rows. */
typedef const char *(*import_resolve_fn)(void *ctx, const char *code_or_name);
/* Fills *rows (caller frees; strings borrowed from t) and *n; on bad rows
 * returns ERR_INVALID with each {row, message} appended to errors, in row
 * order. */
int import_indicators(const table *t, import_resolve_fn resolve, void *ctx, ind_row **rows, size_t *n,
                      json_t *errors, err *e);

#endif
