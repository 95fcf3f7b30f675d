/* table: a spreadsheet as people send one — a CSV file (UTF-8, with or
 * without a BOM, or GB18030 as Excel saves it in China) or the first sheet
 * of an XLSX workbook — read into rows of text cells, for the imports of
 * indicators and projects. Bad bytes are an error naming what is wrong,
 * never a guess. */
#ifndef DUBAN_TABLE_H
#define DUBAN_TABLE_H

#include <stddef.h>

#include "util/err.h"

#define TABLE_MAX_BYTES ((size_t)8 << 20)
#define TABLE_MAX_ROWS 10000
#define TABLE_MAX_COLS 64

typedef struct table table;

/* Reads data (XLSX when it starts as a zip does, else CSV). Caller frees
 * *out (table_free). Empty rows are kept, so row numbers match the file. */
int table_read(const unsigned char *data, size_t len, table **out, err *e);
void table_free(table *t);
size_t table_rows(const table *t);
size_t table_cols(const table *t, size_t row);
/* The cell's text, trimmed of surrounding spaces; "" when absent. */
const char *table_cell(const table *t, size_t row, size_t col);
/* Whether every cell of the row is empty. */
int table_row_blank(const table *t, size_t row);

/* The column of row whose text is one of names (NULL-terminated); -1 when
 * none is. For a header row, so columns may come in any order. */
int table_find_col(const table *t, size_t row, const char *const *names);

#endif
