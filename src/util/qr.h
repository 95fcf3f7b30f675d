/* qr: a QR code (libqrencode) as an SVG image, for printed sheets and posters:
 * a phone that scans it opens the page. */
#ifndef DUBAN_QR_H
#define DUBAN_QR_H

#include <stdio.h>

#include "util/err.h"

/* Writes <svg ...>...</svg> encoding text (error correction M, a quiet zone
 * of 4 modules) to out, size_mm wide. */
int qr_svg(const char *text, int size_mm, FILE *out, err *e);

/* The same code as a PNG (grey-scale, 1 bit), `scale` pixels a module, the
 * quiet zone included: for posters printed by other programs. */
int qr_png(const char *text, int scale, FILE *out, err *e);

#endif
