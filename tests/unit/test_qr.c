/* test_qr.c — QR codes as SVG (qr.h): well-formed, the expected symbol
 * size, and the path draws exactly libqrencode's dark modules. */
#include "check.h"
#include "qr.h"

#include <qrencode.h>
#include <stdbool.h>
#include <stdlib.h>

/* Rebuild the dark modules from the path's runs "Mx yhNv1h-Nz" into grid
 * (side x side, zeroed); false if the path holds anything else. */
static bool parse_path(const char *svg, unsigned char *grid, int side)
{
    const char *p = strstr(svg, " d=\"");
    if (!p)
        return false;
    p += 4;
    while (*p == 'M') {
        int x, y, w, w2, n = 0;
        if (sscanf(p, "M%d %dh%dv1h-%dz%n", &x, &y, &w, &w2, &n) != 4 || !n ||
            w != w2 || w < 1 || x < 0 || y < 0 || x + w > side || y >= side)
            return false;
        for (int k = 0; k < w; k++) {
            if (grid[y * side + x + k])
                return false; /* runs never overlap */
            grid[y * side + x + k] = 1;
        }
        p += n;
    }
    return !strcmp(p, "\"/></svg>");
}

static void test_symbol(const char *text, int expect_modules)
{
    int modules = 0;
    char *svg = qr_svg(text, &modules);
    CHECK(svg != NULL);
    if (!svg)
        return;
    CHECK_EQ_INT(modules, expect_modules);
    int side = modules + 2 * QR_QUIET;
    char vb[64];
    snprintf(vb, sizeof vb, "viewBox=\"0 0 %d %d\"", side, side);
    CHECK_STR_HAS(svg, vb);
    CHECK(!strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39));
    CHECK(strstr(svg, "style") == NULL); /* the console's CSP */
    /* well-formed: three elements, each closed */
    int open = 0, close = 0;
    for (const char *p = svg; *p; p++)
        open += *p == '<', close += *p == '>';
    CHECK_EQ_INT(open, close);
    CHECK_EQ_INT(open, 4); /* <svg> <rect/> <path/> </svg> */
    /* the top-left finder pattern: a full run of 7 in its first row */
    char finder[48];
    snprintf(finder, sizeof finder, "M%d %dh7v1h-7z", QR_QUIET, QR_QUIET);
    CHECK_STR_HAS(svg, finder);
    /* the path draws exactly the symbol's dark modules */
    unsigned char *grid = calloc((size_t)side * side, 1);
    CHECK(grid && parse_path(svg, grid, side));
    QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    CHECK(q != NULL);
    int diff = 0;
    for (int y = 0; q && grid && y < side; y++)
        for (int x = 0; x < side; x++) {
            int in = x >= QR_QUIET && y >= QR_QUIET &&
                     x < QR_QUIET + q->width && y < QR_QUIET + q->width;
            int dark =
                in ? q->data[(y - QR_QUIET) * q->width + x - QR_QUIET] & 1 : 0;
            diff += dark != grid[y * side + x];
        }
    CHECK_EQ_INT(diff, 0);
    QRcode_free(q);
    free(grid);
    free(svg);
}

int main(void)
{
    /* 5 bytes: version 1, 21 modules */
    test_symbol("hello", 21);
    /* a login link of 36 bytes: version 3 at level M (up to 42), 29 */
    test_symbol("https://examd.example/?u=nguyenvanan", 29);
    /* 100 bytes: version 6 at level M (up to 106), 41 modules */
    char hundred[101];
    memset(hundred, 'x', 100);
    hundred[100] = 0;
    test_symbol(hundred, 41);
    /* nothing, or more than a QR code holds */
    CHECK(qr_svg("", NULL) == NULL);
    CHECK(qr_svg(NULL, NULL) == NULL);
    char *big = malloc(3001);
    memset(big, 'a', 3000);
    big[3000] = 0;
    CHECK(qr_svg(big, NULL) == NULL);
    free(big);
    return check_done("test_qr");
}
