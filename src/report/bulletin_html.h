/* bulletin_html: the 通报 as a printable page — A4 landscape, a section per
 * part (概览, the two rankings, channels, the categories most asked about,
 * 码上评), each after a page break, the best and the worst of each group
 * named. One style block and no script, so it is served under a policy that
 * allows that block by its hash (http/html). */
#ifndef DUBAN_BULLETIN_HTML_H
#define DUBAN_BULLETIN_HTML_H

#include <stdio.h>

#include "core/bulletin.h"

extern const char bulletin_style[];

/* The whole document to f; made_at and tz for its heading. */
void bulletin_html(const bulletin *b, FILE *f, int64_t made_at, int tz);

#endif
