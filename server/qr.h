/*
 * qr.h — a QR code as an SVG image (libqrencode), for the credential
 * slips of a class: each slip carries the login link as a QR code that a
 * phone's camera opens.
 *
 * Pure code; any thread (libqrencode is built thread-safe on Debian).
 */
#ifndef EXAMD_QR_H
#define EXAMD_QR_H

/* Quiet zone around the symbol, in modules (the standard asks for 4). */
#define QR_QUIET 4

/*
 * The QR code of text (byte mode, error correction level M) as a
 * self-contained SVG document: a white square of (width + 2 * QR_QUIET)
 * units and one black path of the dark modules, with no style attribute
 * (the console's Content-Security-Policy forbids inline styles). Returns
 * a new string (free) and the symbol's width in modules in *modules (may
 * be NULL), or NULL when text is empty, too long for a QR code (more than
 * 2331 bytes at level M) or malloc fails.
 */
char *qr_svg(const char *text, int *modules);

#endif
