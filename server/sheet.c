/*
 * sheet.c — the table model of sheet.h and its three writers.
 *
 * Cells are kept as given (text copied, numbers as numbers) in one array
 * per sheet, row after row, and only turned into text by the writer, so
 * that XLSX gets real numbers and CSV/JSON the same digits. Sizes are
 * those of exports (a few thousand rows); nothing here is tuned further.
 */
#include "sheet.h"

#include "err.h"

#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

enum cell_type { CELL_EMPTY = 0, CELL_TEXT, CELL_INT, CELL_NUM, CELL_BOOL };

struct cell {
    enum cell_type type;
    char *text; /* CELL_TEXT, owned */
    int64_t i;  /* CELL_INT, CELL_BOOL; epoch ms for a SHEET_TIME column */
    double d;   /* CELL_NUM */
};

struct column {
    char *id, *title; /* owned */
    enum sheet_kind kind;
    int places;
};

struct sheet {
    char *id, *title; /* owned */
    struct column *cols;
    int ncols;
    struct cell *cells; /* nrows * ncols, row-major */
    int nrows, caprows;
};

#define SHEET_TITLE_MAX 31 /* Excel's limit on a worksheet name */

size_t sheet_utf8_len(const char *v)
{
    size_t n = 0;
    for (; *v; v++)
        n += ((unsigned char)*v & 0xC0) != 0x80;
    return n;
}

/* A copy of title fit for a worksheet name: []:*?/\ made spaces, cut to
 * 31 code points, never empty. */
static char *title_clean(const char *title)
{
    char *t = strdup(title && *title ? title : "Sheet1");
    if (!t)
        return NULL;
    size_t cps = 0, i;
    for (i = 0; t[i]; i++) {
        if (strchr("[]:*?/\\", t[i]))
            t[i] = ' ';
        if (((unsigned char)t[i] & 0xC0) != 0x80 && ++cps > SHEET_TITLE_MAX)
            break;
    }
    t[i] = '\0';
    return t;
}

struct sheet *sheet_new(const char *id, const char *title)
{
    struct sheet *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->id = strdup(id ? id : "sheet");
    s->title = title_clean(title);
    if (!s->id || !s->title) {
        sheet_free(s);
        return NULL;
    }
    return s;
}

void sheet_free(struct sheet *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nrows * s->ncols; i++)
        free(s->cells[i].text);
    for (int c = 0; c < s->ncols; c++) {
        free(s->cols[c].id);
        free(s->cols[c].title);
    }
    free(s->cells);
    free(s->cols);
    free(s->id);
    free(s->title);
    free(s);
}

int sheet_col_add(struct sheet *s, const char *id, const char *title,
                  enum sheet_kind kind, int places)
{
    assert(s && id && title);
    if (s->nrows > 0 || kind < SHEET_TEXT || kind > SHEET_DATE)
        return EXAMD_EINVAL;
    struct column *nc = realloc(s->cols, (size_t)(s->ncols + 1) * sizeof *nc);
    if (!nc)
        return EXAMD_ENOMEM;
    s->cols = nc;
    struct column *c = &s->cols[s->ncols];
    c->id = strdup(id);
    c->title = strdup(title);
    c->kind = kind;
    c->places = places < 0 ? 0 : places > 6 ? 6 : places;
    if (!c->id || !c->title) {
        free(c->id);
        free(c->title);
        return EXAMD_ENOMEM;
    }
    return s->ncols++;
}

int sheet_row_add(struct sheet *s)
{
    if (s->nrows == s->caprows) {
        int cap = s->caprows ? s->caprows * 2 : 64;
        size_t cols = s->ncols ? (size_t)s->ncols : 1;
        struct cell *nc = realloc(s->cells, (size_t)cap * cols * sizeof *nc);
        if (!nc)
            return EXAMD_ENOMEM;
        s->cells = nc;
        s->caprows = cap;
    }
    memset(&s->cells[(size_t)s->nrows * s->ncols], 0,
           (size_t)s->ncols * sizeof *s->cells);
    s->nrows++;
    return 0;
}

int sheet_rows(const struct sheet *s)
{
    return s->nrows;
}

/* The cell (row, col) made empty, or NULL when it does not exist. */
static struct cell *cell_reset(struct sheet *s, int col)
{
    if (s->nrows == 0 || col < 0 || col >= s->ncols)
        return NULL;
    struct cell *c = &s->cells[(size_t)(s->nrows - 1) * s->ncols + col];
    free(c->text);
    memset(c, 0, sizeof *c);
    return c;
}

int sheet_set_text(struct sheet *s, int col, const char *v)
{
    struct cell *c = cell_reset(s, col);
    if (!c)
        return EXAMD_EINVAL;
    if (!v)
        return 0;
    if (!(c->text = strdup(v)))
        return EXAMD_ENOMEM;
    c->type = CELL_TEXT;
    return 0;
}

int sheet_set_int(struct sheet *s, int col, int64_t v)
{
    struct cell *c = cell_reset(s, col);
    if (!c)
        return EXAMD_EINVAL;
    c->type = CELL_INT;
    c->i = v;
    return 0;
}

int sheet_set_number(struct sheet *s, int col, double v)
{
    struct cell *c = cell_reset(s, col);
    if (!c)
        return EXAMD_EINVAL;
    if (isfinite(v)) {
        c->type = CELL_NUM;
        c->d = v;
    }
    return 0;
}

int sheet_set_bool(struct sheet *s, int col, bool v)
{
    struct cell *c = cell_reset(s, col);
    if (!c)
        return EXAMD_EINVAL;
    c->type = CELL_BOOL;
    c->i = v;
    return 0;
}

int sheet_set_time(struct sheet *s, int col, int64_t epoch_ms)
{
    return sheet_set_int(s, col, epoch_ms);
}

static const struct cell *cell_at(const struct sheet *s, int row, int col)
{
    return &s->cells[(size_t)row * s->ncols + col];
}

/* Local broken-down time of epoch ms. */
static void time_local(int64_t ms, struct tm *tm)
{
    time_t t = (time_t)(ms / 1000);
    localtime_r(&t, tm);
}

/* The cell as text (CSV's spelling; 'T' between date and time when
 * iso_t) into buf, or the cell's own text; "" for an empty cell. */
static const char *cell_text(const struct column *col, const struct cell *c,
                             bool iso_t, char *buf, size_t sz)
{
    struct tm tm;
    switch (c->type) {
    case CELL_EMPTY:
        return "";
    case CELL_TEXT:
        return c->text;
    case CELL_BOOL:
        return c->i ? "TRUE" : "FALSE";
    case CELL_NUM:
        snprintf(buf, sz, "%.*f", col->kind == SHEET_DECIMAL ? col->places : 6,
                 c->d);
        if (col->kind != SHEET_DECIMAL && strchr(buf, '.')) {
            size_t n = strlen(buf); /* drop trailing zeros */
            while (buf[n - 1] == '0')
                buf[--n] = '\0';
            if (buf[n - 1] == '.')
                buf[n - 1] = '\0';
        }
        return buf;
    case CELL_INT:
        if (col->kind == SHEET_TIME) {
            time_local(c->i, &tm);
            strftime(buf, sz, iso_t ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d %H:%M:%S",
                     &tm);
        } else if (col->kind == SHEET_DECIMAL) {
            snprintf(buf, sz, "%.*f", col->places, (double)c->i);
        } else {
            snprintf(buf, sz, "%lld", (long long)c->i);
        }
        return buf;
    }
    return "";
}

int sheet_col_width(const struct sheet *s, int col)
{
    char buf[64];
    size_t w = sheet_utf8_len(s->cols[col].title);
    for (int r = 0; r < s->nrows; r++) {
        const char *t = cell_text(&s->cols[col], cell_at(s, r, col), false, buf,
                                  sizeof buf);
        size_t n = sheet_utf8_len(t);
        if (n > w)
            w = n;
    }
    if (s->cols[col].kind == SHEET_TIME)
        w = w > 16 ? w : 16;
    w += 2;
    return w < 6 ? 6 : w > 60 ? 60 : (int)w;
}

/* ---- CSV ---------------------------------------------------------- */

/* Would a spreadsheet opening the CSV take text t for a formula? OWASP's
 * rule ("CSV injection"): it starts with = + - @, a tab or a CR. */
static bool csv_formula_like(const char *t)
{
    return *t && strchr("=+-@\t\r", *t);
}

/* One cell; text: it holds text (a name, a unit), not one of our numbers,
 * so a formula-like start gets a ' in front and shows as typed. */
static void csv_cell(FILE *f, const char *t, bool text)
{
    bool guard = text && csv_formula_like(t);
    if (!strpbrk(t, "\",\r\n")) {
        if (guard)
            fputc('\'', f);
        fputs(t, f);
        return;
    }
    fputc('"', f);
    if (guard)
        fputc('\'', f);
    for (; *t; t++) {
        if (*t == '"')
            fputc('"', f);
        fputc(*t, f);
    }
    fputc('"', f);
}

static void csv_sheet(FILE *f, const struct sheet *s)
{
    char buf[64];
    for (int c = 0; c < s->ncols; c++) {
        if (c)
            fputc(',', f);
        csv_cell(f, s->cols[c].title, true);
    }
    fputs("\r\n", f);
    for (int r = 0; r < s->nrows; r++) {
        for (int c = 0; c < s->ncols; c++) {
            if (c)
                fputc(',', f);
            const struct cell *x = cell_at(s, r, c);
            csv_cell(f, cell_text(&s->cols[c], x, false, buf, sizeof buf),
                     x->type == CELL_TEXT);
        }
        fputs("\r\n", f);
    }
}

static int write_csv(struct sheet *const *sheets, int n, char **out,
                     size_t *len)
{
    FILE *f = open_memstream(out, len);
    if (!f)
        return EXAMD_ENOMEM;
    fputs("\xEF\xBB\xBF", f);
    for (int i = 0; i < n; i++) {
        if (i)
            fputs("\r\n", f);
        csv_sheet(f, sheets[i]);
    }
    bool bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        free(*out);
        *out = NULL;
        return EXAMD_ENOMEM;
    }
    return 0;
}

/* ---- JSON --------------------------------------------------------- */

static json_t *json_cell(const struct column *col, const struct cell *c)
{
    char buf[64];
    switch (c->type) {
    case CELL_EMPTY:
        return json_null();
    case CELL_TEXT:
        return json_string(c->text);
    case CELL_BOOL:
        return json_boolean(c->i);
    case CELL_NUM:
        if (col->kind == SHEET_INTEGER)
            return json_integer((json_int_t)llround(c->d));
        if (col->kind == SHEET_DECIMAL)
            return json_real(
                strtod(cell_text(col, c, true, buf, sizeof buf), NULL));
        return json_real(c->d);
    case CELL_INT:
        if (col->kind == SHEET_TIME)
            return json_string(cell_text(col, c, true, buf, sizeof buf));
        if (col->kind == SHEET_DECIMAL)
            return json_real((double)c->i);
        return json_integer((json_int_t)c->i);
    }
    return json_null();
}

static json_t *json_sheet(const struct sheet *s)
{
    json_t *a = json_array();
    for (int r = 0; a && r < s->nrows; r++) {
        json_t *o = json_object();
        for (int c = 0; o && c < s->ncols; c++)
            json_object_set_new(o, s->cols[c].id,
                                json_cell(&s->cols[c], cell_at(s, r, c)));
        if (!o || json_array_append_new(a, o) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static int write_json(struct sheet *const *sheets, int n, char **out,
                      size_t *len)
{
    json_t *root = n == 1 ? json_sheet(sheets[0]) : json_object();
    for (int i = 0; n > 1 && root && i < n; i++) {
        json_t *a = json_sheet(sheets[i]);
        if (!a || json_object_set_new(root, sheets[i]->id, a) != 0) {
            json_decref(root);
            root = NULL;
        }
    }
    *out = root ? json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
                                       JSON_REAL_PRECISION(15))
                : NULL;
    json_decref(root);
    if (!*out)
        return EXAMD_ENOMEM;
    *len = strlen(*out);
    return 0;
}

/* ---- XLSX --------------------------------------------------------- */

/* The formats of one workbook. */
struct xlsx_formats {
    lxw_format *header, *integer, *decimal[7], *datetime, *date;
};

static void xlsx_formats_init(lxw_workbook *wb, struct xlsx_formats *x)
{
    static const char *const dec[7] = {"0",      "0.0",     "0.00",    "0.000",
                                       "0.0000", "0.00000", "0.000000"};
    x->header = workbook_add_format(wb);
    format_set_bold(x->header);
    format_set_bg_color(x->header, 0xE8EEF4);
    format_set_bottom(x->header, LXW_BORDER_THIN);
    format_set_text_wrap(x->header);
    x->integer = workbook_add_format(wb);
    format_set_num_format(x->integer, "0");
    for (int i = 0; i < 7; i++) {
        x->decimal[i] = workbook_add_format(wb);
        format_set_num_format(x->decimal[i], dec[i]);
    }
    x->datetime = workbook_add_format(wb);
    format_set_num_format(x->datetime, "dd/mm/yyyy hh:mm");
    x->date = workbook_add_format(wb);
    format_set_num_format(x->date, "dd/mm/yyyy");
}

/* "YYYY-MM-DD" into *dt; false for any other text. */
static bool date_parse(const char *t, lxw_datetime *dt)
{
    int y, m, d, used = 0;
    if (sscanf(t, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || t[used] ||
        used != 10 || y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    *dt = (lxw_datetime){.year = y, .month = m, .day = d};
    return true;
}

static lxw_error xlsx_cell(lxw_worksheet *ws, const struct xlsx_formats *x,
                           lxw_row_t row, lxw_col_t cn,
                           const struct column *col, const struct cell *c)
{
    lxw_format *num =
        col->kind == SHEET_DECIMAL ? x->decimal[col->places] : x->integer;
    lxw_datetime dt;
    struct tm tm;
    switch (c->type) {
    case CELL_EMPTY:
        return LXW_NO_ERROR;
    case CELL_TEXT:
        if (col->kind == SHEET_DATE && date_parse(c->text, &dt))
            return worksheet_write_datetime(ws, row, cn, &dt, x->date);
        return worksheet_write_string(ws, row, cn, c->text, NULL);
    case CELL_BOOL:
        return worksheet_write_boolean(ws, row, cn, (int)c->i, NULL);
    case CELL_NUM:
        return worksheet_write_number(
            ws, row, cn, c->d,
            col->kind == SHEET_INTEGER || col->kind == SHEET_DECIMAL ? num
                                                                     : NULL);
    case CELL_INT:
        if (col->kind == SHEET_TIME) {
            time_local(c->i, &tm);
            dt = (lxw_datetime){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                                tm.tm_hour,        tm.tm_min,     tm.tm_sec};
            return worksheet_write_datetime(ws, row, cn, &dt, x->datetime);
        }
        return worksheet_write_number(ws, row, cn, (double)c->i, num);
    }
    return LXW_NO_ERROR;
}

static lxw_error xlsx_sheet(lxw_workbook *wb, const struct xlsx_formats *x,
                            const struct sheet *s)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, s->title);
    if (!ws)
        ws = workbook_add_worksheet(wb, NULL); /* a duplicate title */
    if (!ws)
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error e = LXW_NO_ERROR;
    for (int c = 0; c < s->ncols && !e; c++) {
        e = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                                 sheet_col_width(s, c), NULL);
        if (!e)
            e = worksheet_write_string(ws, 0, (lxw_col_t)c, s->cols[c].title,
                                       x->header);
    }
    for (int r = 0; r < s->nrows && !e; r++)
        for (int c = 0; c < s->ncols && !e; c++)
            e = xlsx_cell(ws, x, (lxw_row_t)(r + 1), (lxw_col_t)c, &s->cols[c],
                          cell_at(s, r, c));
    if (!e)
        worksheet_freeze_panes(ws, 1, 0);
    return e;
}

/* The whole file at path into a new buffer. */
static int file_slurp(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return EXAMD_EIO;
    struct stat st;
    int rc = EXAMD_EIO;
    char *b = NULL;
    if (fstat(fileno(f), &st) != 0)
        goto fail;
    if (!(b = malloc((size_t)st.st_size + 1))) {
        rc = EXAMD_ENOMEM;
        goto fail;
    }
    if (fread(b, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
        goto fail;
    b[st.st_size] = '\0';
    *out = b, *len = (size_t)st.st_size;
    fclose(f);
    return 0;
fail:
    free(b);
    fclose(f);
    return rc;
}

static int write_xlsx(struct sheet *const *sheets, int n, const char *tmpdir,
                      char **out, size_t *len, char *msg, size_t msgsz)
{
    if (!tmpdir || !*tmpdir)
        tmpdir = getenv("TMPDIR");
    if (!tmpdir || !*tmpdir)
        tmpdir = "/tmp";
    char path[4096];
    snprintf(path, sizeof path, "%s/examd-sheet-XXXXXX", tmpdir);
    int fd = mkstemp(path); /* mode 0600; libxlsxwriter reopens the path */
    if (fd < 0) {
        snprintf(msg, msgsz, "cannot create a temporary file in %s", tmpdir);
        return EXAMD_EIO;
    }
    close(fd);
    lxw_workbook_options opt = {.tmpdir = (char *)tmpdir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    int rc = EXAMD_EINTERNAL;
    if (!wb) {
        snprintf(msg, msgsz, "libxlsxwriter: cannot start a workbook");
        goto done;
    }
    struct xlsx_formats x;
    xlsx_formats_init(wb, &x);
    lxw_error e = LXW_NO_ERROR;
    for (int i = 0; i < n && !e; i++)
        e = xlsx_sheet(wb, &x, sheets[i]);
    lxw_error ce = workbook_close(wb); /* frees wb either way */
    if (!e)
        e = ce;
    if (e) {
        snprintf(msg, msgsz, "libxlsxwriter: %s", lxw_strerror(e));
        goto done;
    }
    rc = file_slurp(path, out, len);
    if (rc)
        snprintf(msg, msgsz, "cannot read back %s", path);
done:
    unlink(path);
    return rc;
}

int sheet_write(struct sheet *const *sheets, int n, enum sheet_format f,
                const char *tmpdir, char **out, size_t *len, char *msg,
                size_t msgsz)
{
    *out = NULL, *len = 0;
    if (msgsz)
        msg[0] = '\0';
    if (n < 1)
        return EXAMD_EINVAL;
    switch (f) {
    case SHEET_CSV:
        return write_csv(sheets, n, out, len);
    case SHEET_JSON:
        return write_json(sheets, n, out, len);
    case SHEET_XLSX:
        return write_xlsx(sheets, n, tmpdir, out, len, msg, msgsz);
    }
    return EXAMD_EINVAL;
}

int sheet_format_parse(const char *name)
{
    if (!name)
        return -1;
    if (!strcmp(name, "csv"))
        return SHEET_CSV;
    if (!strcmp(name, "xlsx"))
        return SHEET_XLSX;
    if (!strcmp(name, "json"))
        return SHEET_JSON;
    return -1;
}

const char *sheet_format_ext(enum sheet_format f)
{
    return f == SHEET_XLSX ? "xlsx" : f == SHEET_JSON ? "json" : "csv";
}

const char *sheet_format_mime(enum sheet_format f)
{
    return f == SHEET_XLSX   ? "application/vnd.openxmlformats-officedocument."
                               "spreadsheetml.sheet"
           : f == SHEET_JSON ? "application/json; charset=utf-8"
                             : "text/csv; charset=utf-8";
}
