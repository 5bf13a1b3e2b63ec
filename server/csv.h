/*
 * csv.h — one record at a time from CSV text as spreadsheets save it.
 *
 * Shared by the question importer (import_csv.c) and the class roster
 * (roster.c). RFC 4180 quoting ("" for a quote, line breaks inside
 * quotes); CRLF or LF; the separator is chosen by the caller (Excel in a
 * Vietnamese locale writes ';'). A record's line is the physical line
 * where it starts. A UTF-8 BOM must be dropped before reading.
 *
 * Pure code; any thread.
 */
#ifndef EXAMD_CSV_H
#define EXAMD_CSV_H

#include <stdbool.h>
#include <stddef.h>

#define CSV_MAX_CELLS 32

/* A reader over caller-owned text. Lives on its caller's stack. */
struct csv_reader {
    const char *p, *end;        /* what is left to read */
    char sep;                   /* ',' or ';' */
    int line;                   /* physical line of p, 1-based */
    int rec_line;               /* where the current record started */
    char *cells[CSV_MAX_CELLS]; /* owned: the current record's cells */
    int n;                      /* cells kept (more are read, dropped) */
};

/* Start reading text[0..len) split on sep. */
void csv_reader_init(struct csv_reader *r, const char *text, size_t len,
                     char sep);

/* The next record into r->cells. Returns 1, 0 at the end, CSV_EQUOTE on a
 * quote never closed (at r->rec_line), CSV_ENOMEM on malloc failure. */
#define CSV_EQUOTE (-1)
#define CSV_ENOMEM (-2)
int csv_reader_next(struct csv_reader *r);

/* Is every cell of the current record empty or white space? */
bool csv_reader_blank(const struct csv_reader *r);

/* Free the current record's cells (the reader may then be dropped). */
void csv_reader_clear(struct csv_reader *r);

#endif
