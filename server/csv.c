/*
 * csv.c — the CSV record reader (see csv.h). Cells are copied out
 * unquoted; a lone CR before LF is dropped, so CRLF files read as LF.
 */
#include "csv.h"

#include <ctype.h>
#include <stdlib.h>

void csv_reader_init(struct csv_reader *r, const char *text, size_t len,
                     char sep)
{
    r->p = text;
    r->end = text + len;
    r->sep = sep;
    r->line = 1;
    r->rec_line = 1;
    r->n = 0;
}

void csv_reader_clear(struct csv_reader *r)
{
    for (int i = 0; i < r->n; i++)
        free(r->cells[i]);
    r->n = 0;
}

/* One cell at r->p into *out (malloc'ed, NUL-ended). 0, CSV_EQUOTE (*out
 * still set) or CSV_ENOMEM. */
static int csv_cell(struct csv_reader *r, char **out)
{
    size_t cap = 64, n = 0;
    char *s = malloc(cap);
    if (!s)
        return CSV_ENOMEM;
    bool quoted = r->p < r->end && *r->p == '"';
    if (quoted)
        r->p++;
    while (r->p < r->end) {
        char ch = *r->p;
        if (quoted && ch == '"') {
            if (r->p + 1 < r->end && r->p[1] == '"') {
                r->p += 2;
            } else {
                quoted = false;
                r->p++;
                continue;
            }
        } else if (!quoted && (ch == r->sep || ch == '\n')) {
            break;
        } else {
            r->p++;
            r->line += ch == '\n';
            if (ch == '\r' && (r->p == r->end || *r->p == '\n'))
                continue;
        }
        if (n + 2 > cap) {
            char *ns = realloc(s, cap *= 2);
            if (!ns) {
                free(s);
                return CSV_ENOMEM;
            }
            s = ns;
        }
        s[n++] = ch;
    }
    s[n] = '\0';
    *out = s;
    return quoted ? CSV_EQUOTE : 0;
}

int csv_reader_next(struct csv_reader *r)
{
    csv_reader_clear(r);
    if (r->p >= r->end)
        return 0;
    r->rec_line = r->line;
    for (;;) {
        char *cell = NULL;
        int rc = csv_cell(r, &cell);
        if (rc) {
            free(cell);
            return rc;
        }
        if (r->n < CSV_MAX_CELLS)
            r->cells[r->n++] = cell;
        else
            free(cell);
        if (r->p < r->end && *r->p == r->sep) {
            r->p++;
            continue;
        }
        if (r->p < r->end) { /* '\n' */
            r->p++;
            r->line++;
        }
        return 1;
    }
}

bool csv_reader_blank(const struct csv_reader *r)
{
    for (int i = 0; i < r->n; i++)
        for (const char *s = r->cells[i]; *s; s++)
            if (!isspace((unsigned char)*s))
                return false;
    return true;
}
