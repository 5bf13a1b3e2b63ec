/*
 * qr.c — QR codes as SVG (see qr.h).
 *
 * The dark modules of each row are merged into horizontal runs, one
 * "M x y h n v1 h-n z" each, so a version 3 symbol (29 x 29) is about
 * 2 KB of SVG: 200 slips stay well under half a megabyte.
 */
#include "qr.h"

#include <qrencode.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growing string. */
struct qr_buf {
    char *s;
    size_t n, cap;
    bool oom;
};

/* Append fmt (with up to four int arguments: x, y, w, w). */
static void qr_put(struct qr_buf *b, const char *fmt, int x, int y, int w)
{
    int k = snprintf(NULL, 0, fmt, x, y, w, w);
    if (b->oom || k < 0)
        return;
    if (b->n + (size_t)k + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->n + (size_t)k + 1)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->oom = true;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    snprintf(b->s + b->n, b->cap - b->n, fmt, x, y, w, w);
    b->n += (size_t)k;
}

char *qr_svg(const char *text, int *modules)
{
    if (!text || !*text)
        return NULL;
    QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    if (!q)
        return NULL;
    int w = q->width, side = w + 2 * QR_QUIET;
    struct qr_buf b = {0};
    qr_put(&b,
           "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
           "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" "
           "fill=\"#fff\"/><path fill=\"#000\" d=\"",
           side, side, side);
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w;) {
            if (!(q->data[y * w + x] & 1)) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < w && (q->data[y * w + x + run] & 1))
                run++;
            qr_put(&b, "M%d %dh%dv1h-%dz", x + QR_QUIET, y + QR_QUIET, run);
            x += run;
        }
    qr_put(&b, "\"/></svg>", 0, 0, 0);
    QRcode_free(q);
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    if (modules)
        *modules = w;
    return b.s;
}
