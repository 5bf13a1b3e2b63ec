/*
 * import_html.c — HTML from Moodle (XML files, GIFT's [html]) reduced to
 * the plain text examd stores: no markup ever reaches a browser, and a
 * question reads as it did on screen.
 *
 * Not an HTML parser: tags are dropped (<script> and <style> with their
 * content, comments whole), block ends become line breaks, entities are
 * decoded and white space collapses as a browser collapses it. A '<' not
 * followed by a letter, '/', '!' or '?' is text, as browsers read it.
 */
#include "import_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct html_out {
    char *s;
    size_t n;
    bool space; /* white space seen since the last character */
};

static void html_put(struct html_out *o, const char *s, size_t n)
{
    if (o->space && o->n && o->s[o->n - 1] != '\n')
        o->s[o->n++] = ' ';
    o->space = false;
    memcpy(o->s + o->n, s, n);
    o->n += n;
}

/* A line break; br forces one, block edges only end a non-empty line. */
static void html_break(struct html_out *o, bool force)
{
    while (o->n && o->s[o->n - 1] == ' ')
        o->n--;
    o->space = false;
    if (force || (o->n && o->s[o->n - 1] != '\n'))
        o->s[o->n++] = '\n';
}

static size_t html_utf8(uint32_t cp, char *b)
{
    if (cp < 0x80) {
        b[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (char)(0xF0 | (cp >> 18));
    b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static const struct {
    const char *name;
    uint32_t cp;
} html_entities[] = {
    {"amp", '&'},       {"lt", '<'},       {"gt", '>'},       {"quot", '"'},
    {"apos", '\''},     {"nbsp", ' '},     {"ndash", 0x2013}, {"mdash", 0x2014},
    {"hellip", 0x2026}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C},
    {"rdquo", 0x201D},  {"laquo", 0xAB},   {"raquo", 0xBB},   {"bull", 0x2022},
    {"middot", 0xB7},   {"deg", 0xB0},     {"copy", 0xA9},    {"reg", 0xAE},
    {"times", 0xD7},    {"divide", 0xF7},  {"Agrave", 0xC0},  {"Aacute", 0xC1},
    {"Acirc", 0xC2},    {"Atilde", 0xC3},  {"Egrave", 0xC8},  {"Eacute", 0xC9},
    {"Ecirc", 0xCA},    {"Igrave", 0xCC},  {"Iacute", 0xCD},  {"Ograve", 0xD2},
    {"Oacute", 0xD3},   {"Ocirc", 0xD4},   {"Otilde", 0xD5},  {"Ugrave", 0xD9},
    {"Uacute", 0xDA},   {"Yacute", 0xDD},  {"agrave", 0xE0},  {"aacute", 0xE1},
    {"acirc", 0xE2},    {"atilde", 0xE3},  {"egrave", 0xE8},  {"eacute", 0xE9},
    {"ecirc", 0xEA},    {"igrave", 0xEC},  {"iacute", 0xED},  {"ograve", 0xF2},
    {"oacute", 0xF3},   {"ocirc", 0xF4},   {"otilde", 0xF5},  {"ugrave", 0xF9},
    {"uacute", 0xFA},   {"yacute", 0xFD},
};

/* Decode the entity at h[0..len) ('&' first). Returns the bytes used, or 0
 * if it is no entity (the '&' is then text). */
static size_t html_entity(const char *h, size_t len, uint32_t *cp)
{
    size_t i = 1;
    if (i < len && h[i] == '#') {
        bool hex = i + 1 < len && (h[i + 1] == 'x' || h[i + 1] == 'X');
        uint32_t v = 0;
        size_t start = i += 1 + hex;
        for (; i < len && i - start < 8 && isxdigit((unsigned char)h[i]); i++) {
            int d = isdigit((unsigned char)h[i])
                        ? h[i] - '0'
                        : (tolower((unsigned char)h[i]) - 'a' + 10);
            if (!hex && d > 9)
                break;
            v = v * (hex ? 16 : 10) + (uint32_t)d;
        }
        if (i == start || i >= len || h[i] != ';')
            return 0;
        bool bad = v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) ||
                   (v < 0x20 && v != '\t' && v != '\n' && v != '\r');
        *cp = bad ? 0xFFFD : v;
        return i + 1;
    }
    size_t start = i;
    while (i < len && i - start < 10 && isalnum((unsigned char)h[i]))
        i++;
    if (i >= len || h[i] != ';')
        return 0;
    for (size_t k = 0; k < sizeof html_entities / sizeof *html_entities; k++)
        if (strlen(html_entities[k].name) == i - start &&
            !memcmp(html_entities[k].name, h + start, i - start)) {
            *cp = html_entities[k].cp;
            return i + 1;
        }
    return 0;
}

static bool html_is(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(name, *list))
            return true;
    return false;
}

/* Skip from h (just after "<script" or "<style") past the matching end tag.
 * Returns the bytes to skip. */
static size_t html_skip_raw(const char *h, size_t len, const char *name)
{
    size_t nl = strlen(name);
    for (size_t i = 0; i + 2 + nl <= len; i++)
        if (h[i] == '<' && h[i + 1] == '/' &&
            !strncasecmp(h + i + 2, name, nl)) {
            const char *gt = memchr(h + i, '>', len - i);
            return gt ? (size_t)(gt - h) + 1 : len;
        }
    return len;
}

/* A tag at h[0..len) ('<' first): act on it, return the bytes used. */
static size_t html_tag(struct html_out *o, const char *h, size_t len)
{
    static const char *const blocks[] = {
        "p",  "div", "li", "tr",    "h1",         "h2",  "h3", "h4", "h5",
        "h6", "ul",  "ol", "table", "blockquote", "pre", "dt", "dd", NULL};
    if (len >= 4 && !memcmp(h, "<!--", 4)) {
        const char *e = memmem(h + 4, len - 4, "-->", 3);
        return e ? (size_t)(e - h) + 3 : len;
    }
    size_t i = 1;
    bool closing = i < len && h[i] == '/';
    i += closing;
    char name[16];
    size_t n = 0;
    for (; i < len && isalnum((unsigned char)h[i]); i++)
        if (n < sizeof name - 1)
            name[n++] = (char)tolower((unsigned char)h[i]);
    name[n] = '\0';
    char quote = 0;
    for (; i < len; i++) {
        if (quote) {
            if (h[i] == quote)
                quote = 0;
        } else if (h[i] == '"' || h[i] == '\'') {
            quote = h[i];
        } else if (h[i] == '>') {
            break;
        }
    }
    i = i < len ? i + 1 : len;
    if (!closing && (!strcmp(name, "script") || !strcmp(name, "style")))
        return i + html_skip_raw(h + i, len - i, name);
    if (!strcmp(name, "br"))
        html_break(o, true);
    else if (html_is(name, blocks))
        html_break(o, false);
    else if (!strcmp(name, "td") || !strcmp(name, "th"))
        o->space = true;
    return i;
}

/* Trim spaces at both ends; at most one blank line in a row. */
static void html_tidy(struct html_out *o)
{
    size_t w = 0;
    int nl = 0;
    for (size_t r = 0; r < o->n; r++) {
        char c = o->s[r];
        if (c == '\n') {
            while (w && o->s[w - 1] == ' ')
                w--;
            if (!w || ++nl > 2)
                continue;
        } else if (c == ' ' && (!w || o->s[w - 1] == '\n')) {
            continue;
        } else {
            nl = 0;
        }
        o->s[w++] = c;
    }
    while (w && (o->s[w - 1] == '\n' || o->s[w - 1] == ' '))
        w--;
    o->s[w] = '\0';
    o->n = w;
}

char *import_html_to_text(const char *h, size_t len)
{
    /* Every construct shrinks but a "<br>" (4 bytes -> 1) and an entity
     * (>= 4 bytes -> <= 4): len + 1 bytes always suffice. */
    struct html_out o = {malloc(len + 2), 0, false};
    if (!o.s)
        return NULL;
    for (size_t i = 0; i < len;) {
        char c = h[i];
        uint32_t cp;
        size_t used;
        if (c == '<' && i + 1 < len &&
            (isalpha((unsigned char)h[i + 1]) || h[i + 1] == '/' ||
             h[i + 1] == '!' || h[i + 1] == '?')) {
            i += html_tag(&o, h + i, len - i);
        } else if (c == '&' && (used = html_entity(h + i, len - i, &cp))) {
            char b[4];
            if (cp == ' ')
                o.space = true;
            else
                html_put(&o, b, html_utf8(cp, b));
            i += used;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            o.space = true;
            i++;
        } else {
            html_put(&o, h + i, 1);
            i++;
        }
    }
    html_tidy(&o);
    return o.s;
}
