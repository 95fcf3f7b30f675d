/* qr: see qr.h. */
#include "util/qr.h"

#include <qrencode.h>
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
