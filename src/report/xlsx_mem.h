/* xlsx_mem: a workbook made in memory. libxlsxwriter writes to a named file;
 * the name given here is that of an anonymous memory file (memfd), so a
 * workbook served or stored never touches the disk, and a process killed
 * while writing one leaves nothing behind. */
#ifndef DUBAN_REPORT_XLSX_MEM_H
#define DUBAN_REPORT_XLSX_MEM_H

#include <stddef.h>

#include "util/err.h"

/* Writes the workbook to path (fill's own way: bulletin_xlsx, workbook_new ...). */
typedef int (*xlsx_fill)(void *ctx, const char *path, err *e);

/* The bytes fill wrote, owned by the caller (*out, *len); at most max bytes
 * (ERR_TOO_LARGE beyond). */
int xlsx_mem(xlsx_fill fill, void *ctx, size_t max, char **out, size_t *len, err *e);

#endif
