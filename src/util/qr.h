/* qr: a QR code (libqrencode) as an SVG image, for printed sheets: a phone
 * that scans it opens the case. */
#ifndef DUBAN_QR_H
#define DUBAN_QR_H

#include <stdio.h>

#include "util/err.h"

/* Writes <svg ...>...</svg> encoding text (error correction M, a quiet zone
 * of 4 modules) to out, size_mm wide. */
int qr_svg(const char *text, int size_mm, FILE *out, err *e);

#endif
