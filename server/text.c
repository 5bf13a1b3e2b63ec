/*
 * text.c — UTF-8 validation, NFC and search folding (see text.h).
 *
 * Validation is our own strict decoder (overlong forms, surrogates and
 * code points above U+10FFFF are refused) so that callers can point at the
 * offending byte; normalisation and folding are utf8proc's.
 */
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Length of the UTF-8 sequence at s (at most n bytes left), or 0 if it is
 * not a valid one. Stores the code point in *cp. */
static size_t text_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

int text_check(const char *s, size_t len, size_t *bad_at)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = text_seq(u + i, len - i, &cp);
        if (!n || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')) {
            if (bad_at)
                *bad_at = i;
            return n ? TEXT_ECONTROL : TEXT_EUTF8;
        }
        i += n;
    }
    return TEXT_OK;
}

bool text_is_valid(const char *s, size_t len)
{
    return text_check(s, len, NULL) == TEXT_OK;
}

/* utf8proc_map over s[0..len) with options, or NULL. */
static char *text_map(const char *s, size_t len, utf8proc_option_t options)
{
    utf8proc_uint8_t *out = NULL;
    if (len > (size_t)INT32_MAX)
        return NULL;
    if (len == 0)
        return strdup("");
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s,
                                      (utf8proc_ssize_t)len, &out, options);
    if (n < 0)
        return NULL;
    return (char *)out;
}

char *text_nfc(const char *s, size_t len)
{
    if (!text_is_valid(s, len))
        return NULL;
    /* Line breaks (CRLF, a lone CR, NEL) become LF: a stored text has one
     * kind, so that it writes out as GIFT and reads back the same. */
    return text_map(s, len,
                    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_NLF2LF);
}

char *text_fold(const char *s)
{
    size_t len = strlen(s);
    if (!text_is_valid(s, len))
        return NULL;
    /* Decompose (with compatibility forms, so full-width letters and
     * no-break spaces fold too), case-fold, drop the marks. */
    char *m = text_map(s, len,
                       UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                           UTF8PROC_STRIPMARK | UTF8PROC_COMPOSE);
    if (!m)
        return NULL;
    /* đ (U+0111) has no decomposition: map it by hand. Collapse white
     * space. Both only shrink the string, so work in place. */
    char *w = m;
    bool space = false;
    for (const char *r = m; *r;) {
        if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
            space = w != m;
            r++;
            continue;
        }
        if (space)
            *w++ = ' ';
        space = false;
        if ((unsigned char)r[0] == 0xC4 && (unsigned char)r[1] == 0x91) {
            *w++ = 'd';
            r += 2;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return m;
}
