/* bulletin_xlsx: the 通报 as an Excel workbook (libxlsxwriter) — 概览, the
 * rankings of 市直部门 and 乡镇街道, channels and classes, the categories most
 * asked about, 码上评 — each sheet with a title row naming the period and
 * when it was made, a frozen header, percentages as percentages and columns
 * wide enough for Chinese. Used by `duban report` and GET /bulletin/export. */
#ifndef DUBAN_BULLETIN_XLSX_H
#define DUBAN_BULLETIN_XLSX_H

#include "core/bulletin.h"
#include "util/err.h"

/* Writes b to a new file at path; made_at and tz for the title row. */
int bulletin_xlsx(const bulletin *b, const char *path, int64_t made_at, int tz, err *e);
/* bulletin_xlsx as an xlsx_fill (report/xlsx_mem.h), ctx its arguments. */
typedef struct bulletin_xlsx_args {
    const bulletin *b;
    int64_t made_at;
    int tz;
} bulletin_xlsx_args;
int bulletin_xlsx_fill(void *ctx, const char *path, err *e);

#endif
