/*
 * sheet.h — one table model written as CSV, XLSX or JSON.
 *
 * Every tabular export of examd (class rosters, attempt lists, question
 * statistics, contest rankings and prize lists) builds one or more sheets
 * and hands them to sheet_write; the three formats then agree cell for
 * cell. A sheet has an id (the JSON key and, for XLSX, nothing more), a
 * title (the XLSX worksheet's name), columns fixed before the first row,
 * each with a kind, and rows filled cell by cell. A cell never set is
 * empty (JSON null).
 *
 *   struct sheet *s = sheet_new("roster", "Danh sách");
 *   sheet_col_add(s, "name", "Họ và tên", SHEET_TEXT, 0);
 *   sheet_col_add(s, "score", "Điểm", SHEET_DECIMAL, 2);
 *   sheet_row_add(s);
 *   sheet_set_text(s, 0, "Nguyễn Thị Hồng Nhung");
 *   sheet_set_number(s, 1, 8.75);
 *   sheet_write(&s, 1, SHEET_XLSX, "/tmp", &buf, &len, msg, sizeof msg);
 *   sheet_free(s);
 *
 * Formats (docs/exports.md):
 * - CSV: RFC 4180 (a cell holding a quote, comma, CR or LF is quoted,
 *   quotes doubled), CRLF line ends, UTF-8 with a BOM so Excel reads
 *   Vietnamese right. Several sheets follow each other, a blank line
 *   between. Decimals are written with '.' and exactly `places` digits;
 *   booleans as TRUE/FALSE; times as "YYYY-MM-DD HH:MM:SS" local time.
 *   A text cell starting with = + - @, a tab or a CR (a name typed as
 *   `=HYPERLINK(…)`) gets a ' in front, so a spreadsheet shows it as
 *   text instead of running it (OWASP "CSV injection"); numbers never do
 *   (-1.50 stays a number). XLSX writes text as strings and JSON as JSON
 *   strings: neither needs it.
 * - XLSX (libxlsxwriter): one worksheet a sheet; header row bold and
 *   frozen (panes at A2); column widths fitted to the widest cell counted
 *   in characters (UTF-8 code points, not bytes); integers and decimals
 *   written as numbers with a number format ("0", "0.00"), booleans as
 *   booleans, times and dates as Excel dates.
 * - JSON: one sheet is an array of objects keyed by column id; several
 *   sheets are an object {sheet id: array}. Integers and decimals are JSON
 *   numbers (decimals rounded to `places`), booleans true/false, times
 *   "YYYY-MM-DDTHH:MM:SS" local time, dates "YYYY-MM-DD".
 *
 * Pure code (but XLSX goes through a private temporary file: libxlsxwriter
 * 1.1.4 writes only to a path); any thread, one sheet per thread.
 */
#ifndef EXAMD_SHEET_H
#define EXAMD_SHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sheet_kind {
    SHEET_TEXT = 0,    /* sheet_set_text */
    SHEET_INTEGER = 1, /* sheet_set_int */
    SHEET_DECIMAL = 2, /* sheet_set_number, shown with `places` digits */
    SHEET_BOOL = 3,    /* sheet_set_bool */
    SHEET_TIME = 4,    /* sheet_set_time: epoch ms, local date and time */
    SHEET_DATE = 5     /* sheet_set_text "YYYY-MM-DD"; other text is kept
                          as text (a date of birth typed as "1990") */
};

enum sheet_format { SHEET_CSV = 0, SHEET_XLSX = 1, SHEET_JSON = 2 };

struct sheet;

/* A new empty sheet (free with sheet_free), or NULL on malloc failure.
 * id: JSON key when several sheets are written ([a-z0-9_]); title: the
 * worksheet name (cut to 31 characters, []:*?/\ replaced). Both copied. */
struct sheet *sheet_new(const char *id, const char *title);
void sheet_free(struct sheet *s);

/* Add a column; only before the first row. places: digits after the point
 * for SHEET_DECIMAL (0..6), ignored otherwise. Returns the column index
 * (0-based), or EXAMD_ENOMEM / EXAMD_EINVAL. */
int sheet_col_add(struct sheet *s, const char *id, const char *title,
                  enum sheet_kind kind, int places);

/* Start a new row (every cell empty); later sheet_set_* fill it. Returns
 * 0 or EXAMD_ENOMEM. */
int sheet_row_add(struct sheet *s);

/* Set a cell of the current row. The column's kind decides how the value
 * is written; a value of the wrong kind is converted (an integer into a
 * decimal column is fine; text into a number column is written as text).
 * Return 0, EXAMD_EINVAL (no row yet, column out of range) or
 * EXAMD_ENOMEM. Text is copied and must be UTF-8. */
int sheet_set_text(struct sheet *s, int col, const char *v);
int sheet_set_int(struct sheet *s, int col, int64_t v);
int sheet_set_number(struct sheet *s, int col, double v);
int sheet_set_bool(struct sheet *s, int col, bool v);
int sheet_set_time(struct sheet *s, int col, int64_t epoch_ms);

/* Rows so far. */
int sheet_rows(const struct sheet *s);

/* Write sheets[0..n) in format f into a new buffer *out (free) of *len
 * bytes (NUL-terminated for CSV and JSON). tmpdir: where the XLSX
 * temporary file goes (NULL: $TMPDIR or /tmp); it is created with mkstemp
 * mode 0600 and removed before return. Returns 0, EXAMD_ENOMEM, EXAMD_EIO
 * (temporary file), EXAMD_EINVAL (n < 1) or EXAMD_EINTERNAL (the XLSX
 * library failed; msg says why). */
int sheet_write(struct sheet *const *sheets, int n, enum sheet_format f,
                const char *tmpdir, char **out, size_t *len, char *msg,
                size_t msgsz);

/* The column width sheet_write gives XLSX column col: the widest of the
 * title and every cell, in code points, plus 2, between 6 and 60. */
int sheet_col_width(const struct sheet *s, int col);

/* Code points in the UTF-8 string v (bytes 10xxxxxx are not counted). */
size_t sheet_utf8_len(const char *v);

/* "csv"/"xlsx"/"json" -> the format; -1 for anything else. */
int sheet_format_parse(const char *name);
/* The file extension ("csv"), and MIME type of a format. */
const char *sheet_format_ext(enum sheet_format f);
const char *sheet_format_mime(enum sheet_format f);

#endif
