/* qr: see qr.h. */
#include "util/qr.h"

#include <png.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

int qr_svg(const char *text, int size_mm, FILE *out, err *e) {
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return err_set(e, ERR_INVALID, "qr", "cannot encode %zu bytes as a QR code", strlen(text));
    int w = q->width, side = w + 8;
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%dmm\""
            " height=\"%dmm\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR\">"
            "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
            side, side, size_mm, size_mm, side, side);
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++)
            if (q->data[y * w + x] & 1) fprintf(out, "M%d %dh1v1h-1z", x + 4, y + 4);
    fputs("\"/></svg>", out);
    QRcode_free(q);
    return 0;
}

int qr_png(const char *text, int scale, FILE *out, err *e) {
    if (scale < 1 || scale > 32) return err_set(e, ERR_INVALID, "scale", "scale is 1 to 32");
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return err_set(e, ERR_INVALID, "qr", "cannot encode %zu bytes as a QR code", strlen(text));
    int w = q->width, side = (w + 8) * scale, rc = 0;
    size_t stride = ((size_t)side + 7) / 8;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    unsigned char *row = calloc(1, stride);
    if (!png || !info || !row) {
        rc = err_set(e, ERR_NOMEM, "", "out of memory");
        goto out;
    }
    if (setjmp(png_jmpbuf(png))) { /* libpng reports its errors by longjmp */
        rc = err_set(e, ERR_IO, "png", "cannot write the PNG");
        goto out;
    }
    png_init_io(png, out);
    png_set_IHDR(png, info, (png_uint_32)side, (png_uint_32)side, 1, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < side; y++) {
        int my = y / scale - 4;
        memset(row, 0xff, stride); /* white; a dark module is a 0 bit */
        for (int x = 0; my >= 0 && my < w && x < side; x++) {
            int mx = x / scale - 4;
            if (mx >= 0 && mx < w && (q->data[my * w + mx] & 1))
                row[x / 8] &= (unsigned char)~(0x80 >> (x % 8));
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
out:
    png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
    free(row);
    QRcode_free(q);
    return rc;
}
