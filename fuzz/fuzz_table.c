/* The spreadsheets the imports take (1+10+N indicators, 重点项目 and their
 * progress): table_read on any bytes — CSV in UTF-8 or GB18030, or XLSX
 * (a zip whose sheet XML libxml2 reads) — then every cell and the header
 * lookup the importers make. */
#include <stdint.h>
#include <string.h>

#include "import/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    table *t;
    err e = {0};
    if (table_read(data, size, &t, &e)) return 0;
    size_t chars = 0;
    for (size_t r = 0; r < table_rows(t); r++) {
        for (size_t c = 0; c < table_cols(t, r); c++) chars += strlen(table_cell(t, r, c));
        (void)table_row_blank(t, r);
    }
    static const char *const names[] = {"项目名称", "name", NULL};
    if (table_rows(t)) (void)table_find_col(t, 0, names);
    table_free(t);
    return chars == (size_t)-1; /* keeps the loop from being optimised away */
}
