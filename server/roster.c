/*
 * roster.c — reading a class roster (see roster.h). Records come from the
 * CSV reader the question importer uses (csv.c); this file knows the
 * roster's columns and rules.
 */
#include "roster.h"
#include "csv.h"
#include "err.h"
#include "text.h"

#include <ctype.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum roster_col {
    COL_NAME,
    COL_BIRTH,
    COL_UNIT,
    COL_PHONE,
    COL_IGNORED,
    COL_COUNT
};

static const struct {
    const char *folded;
    int col;
} roster_names[] = {
    {"ho va ten", COL_NAME},
    {"ho ten", COL_NAME},
    {"full name", COL_NAME},
    {"name", COL_NAME},
    {"ngay sinh", COL_BIRTH},
    {"ngay thang nam sinh", COL_BIRTH},
    {"date of birth", COL_BIRTH},
    {"birth date", COL_BIRTH},
    {"dob", COL_BIRTH},
    {"don vi", COL_UNIT},
    {"don vi cong tac", COL_UNIT},
    {"unit", COL_UNIT},
    {"so dien thoai", COL_PHONE},
    {"dien thoai", COL_PHONE},
    {"sdt", COL_PHONE},
    {"phone", COL_PHONE},
    {"phone number", COL_PHONE},
    {"stt", COL_IGNORED},
    {"tt", COL_IGNORED},
    {"no", COL_IGNORED},
    {"no.", COL_IGNORED},
    {"ghi chu", COL_IGNORED},
    {"note", COL_IGNORED},
};

void roster_issue(struct roster *r, int line, const char *vi_fmt,
                  const char *en_fmt, ...)
{
    char vi[400], en[400];
    va_list ap;
    if (r->n_issues >= ROSTER_MAX_ISSUES)
        return;
    if (!r->issues &&
        !(r->issues = calloc(ROSTER_MAX_ISSUES, sizeof *r->issues))) {
        r->oom = true;
        return;
    }
    va_start(ap, en_fmt);
    vsnprintf(vi, sizeof vi, vi_fmt, ap);
    va_end(ap);
    va_start(ap, en_fmt);
    vsnprintf(en, sizeof en, en_fmt, ap);
    va_end(ap);
    struct roster_issue *is = &r->issues[r->n_issues];
    is->line = line;
    is->vi = strdup(vi);
    is->en = strdup(en);
    if (!is->vi || !is->en) {
        free(is->vi);
        free(is->en);
        r->oom = true;
        return;
    }
    r->n_issues++;
}

void roster_issues_sort(struct roster *r)
{
    /* Insertion sort: stable, and there are at most ROSTER_MAX_ISSUES. */
    for (int i = 1; i < r->n_issues; i++) {
        struct roster_issue t = r->issues[i];
        int k = i;
        for (; k > 0 && r->issues[k - 1].line > t.line; k--)
            r->issues[k] = r->issues[k - 1];
        r->issues[k] = t;
    }
}

void roster_fini(struct roster *r)
{
    for (int i = 0; r->rows && i < r->n; i++) {
        free(r->rows[i].name);
        free(r->rows[i].fold);
        free(r->rows[i].unit);
    }
    free(r->rows);
    for (int i = 0; r->issues && i < r->n_issues; i++) {
        free(r->issues[i].vi);
        free(r->issues[i].en);
    }
    free(r->issues);
    memset(r, 0, sizeof *r);
}

/* The column a header cell names, -1 for none. */
static int roster_column(const char *cell)
{
    char *f = text_fold(cell);
    int col = -1;
    for (size_t i = 0; f && i < sizeof roster_names / sizeof *roster_names; i++)
        if (!strcmp(f, roster_names[i].folded))
            col = roster_names[i].col;
    free(f);
    return col;
}

/* How many header cells of line name a column with sep; *name set when
 * the full name column is one of them. */
static int roster_sniff(const char *line, size_t len, char sep, bool *name)
{
    struct csv_reader r;
    int known = 0;
    *name = false;
    csv_reader_init(&r, line, len, sep);
    if (csv_reader_next(&r) == 1)
        for (int i = 0; i < r.n; i++) {
            int col = roster_column(r.cells[i]);
            known += col >= 0;
            *name |= col == COL_NAME;
        }
    csv_reader_clear(&r);
    return known;
}

/* s trimmed, inner white space made one space, NFC; NULL on malloc
 * failure (s is valid UTF-8 already). */
static char *roster_clean(const char *s)
{
    size_t n = strlen(s);
    char *t = malloc(n + 1), *w = t;
    if (!t)
        return NULL;
    bool space = false;
    for (const char *p = s; *p; p++) {
        if (isspace((unsigned char)*p)) {
            space = w != t;
            continue;
        }
        if (space)
            *w++ = ' ';
        space = false;
        *w++ = *p;
    }
    *w = 0;
    char *nfc = text_nfc(t, (size_t)(w - t));
    free(t);
    return nfc;
}

static bool roster_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int roster_date_parse(const char *s, char out[11])
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int a, b, c, n = 0;
    char s1, s2;
    while (isspace((unsigned char)*s))
        s++;
    if (sscanf(s, "%4d-%2d-%2d%n", &a, &b, &c, &n) == 3 && n == 10) {
        int y = a;
        a = c, c = y; /* a = day, b = month, c = year */
    } else if (sscanf(s, "%2d%c%2d%c%4d%n", &a, &s1, &b, &s2, &c, &n) != 5 ||
               s1 != s2 || !strchr("/-.", s1)) {
        return -1;
    }
    for (const char *p = s + n; *p; p++)
        if (!isspace((unsigned char)*p))
            return -1;
    if (c < 1900 || c > 2099 || b < 1 || b > 12 || a < 1 || a > mdays[b - 1] ||
        (b == 2 && a == 29 && !roster_leap(c)))
        return -1;
    char d[40]; /* room the compiler can see; the checks above make it 10 */
    snprintf(d, sizeof d, "%04d-%02d-%02d", c, b, a);
    memcpy(out, d, 11);
    return 0;
}

/* A phone cell into out (24 bytes): spaces, dots, dashes and brackets
 * dropped; an optional leading '+', then 8..15 digits. 0 or -1. */
static int roster_phone(const char *s, char out[24])
{
    size_t n = 0;
    for (const char *p = s; *p; p++) {
        if (strchr(" \t.-()", *p))
            continue;
        if (!(isdigit((unsigned char)*p) || (*p == '+' && n == 0)) || n >= 20)
            return -1;
        out[n++] = *p;
    }
    out[n] = 0;
    size_t digits = n - (n && out[0] == '+');
    return n == 0 || (digits >= 8 && digits <= 15) ? 0 : -1;
}

/* The header: map[col] = cell index or -1. false (with issues) when it
 * is not a usable header. */
static bool roster_header(struct roster *r, struct csv_reader *c, int *map)
{
    bool ok = true;
    for (int k = 0; k < COL_COUNT; k++)
        map[k] = -1;
    for (int i = 0; i < c->n; i++) {
        int col = roster_column(c->cells[i]);
        if (col < 0 && !*c->cells[i])
            continue;
        if (col == COL_IGNORED)
            continue;
        if (col < 0 || map[col] >= 0) {
            roster_issue(r, c->rec_line,
                         col < 0 ? "cột \"%s\" không hợp lệ (các cột: họ và "
                                   "tên, ngày sinh, đơn vị, số điện thoại)"
                                 : "cột \"%s\" lặp lại",
                         col < 0 ? "unknown column \"%s\" (columns: full "
                                   "name, date of birth, unit, phone)"
                                 : "column \"%s\" appears twice",
                         c->cells[i]);
            ok = false;
            continue;
        }
        map[col] = i;
    }
    if (ok && (map[COL_NAME] < 0 || map[COL_BIRTH] < 0)) {
        roster_issue(r, c->rec_line,
                     "dòng tiêu đề phải có các cột họ và tên và ngày sinh",
                     "the header row must have the columns full name and "
                     "date of birth");
        ok = false;
    }
    return ok;
}

static const char *roster_get(const struct csv_reader *c, const int *map,
                              int col)
{
    int i = map[col];
    return i >= 0 && i < c->n ? c->cells[i] : "";
}

/* The earlier row with the same person, or NULL. */
static const struct roster_row *roster_same(const struct roster *r,
                                            const struct roster_row *x)
{
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->rows[i].birth, x->birth) &&
            !strcmp(r->rows[i].fold, x->fold))
            return &r->rows[i];
    return NULL;
}

/* Check one data row and append it to r->rows, or record its issues. */
static void roster_row(struct roster *r, struct csv_reader *c, const int *map,
                       int n_header)
{
    struct roster_row x = {.line = c->rec_line};
    const char *birth = roster_get(c, map, COL_BIRTH);
    const char *phone = roster_get(c, map, COL_PHONE);
    bool ok = true;
    for (int i = n_header; i < c->n; i++)
        if (*c->cells[i]) {
            roster_issue(r, x.line, "có nhiều ô hơn dòng tiêu đề",
                         "has more cells than the header row");
            return;
        }
    x.name = roster_clean(roster_get(c, map, COL_NAME));
    x.unit = roster_clean(roster_get(c, map, COL_UNIT));
    x.fold = x.name ? text_fold(x.name) : NULL;
    if (!x.name || !x.unit || !x.fold) {
        r->oom = true;
        goto drop;
    }
    if (!*x.name) {
        roster_issue(r, x.line, "thiếu họ và tên", "the full name is missing");
        ok = false;
    } else if (strlen(x.name) > ROSTER_NAME_MAX) {
        roster_issue(r, x.line, "họ và tên dài quá %d byte",
                     "the full name is longer than %d bytes", ROSTER_NAME_MAX);
        ok = false;
    }
    if (!*birth) {
        roster_issue(r, x.line, "thiếu ngày sinh",
                     "the date of birth is missing");
        ok = false;
    } else if (roster_date_parse(birth, x.birth)) {
        roster_issue(r, x.line,
                     "ngày sinh \"%.40s\" không hợp lệ (dạng dd/mm/yyyy hoặc "
                     "yyyy-mm-dd)",
                     "date of birth \"%.40s\" is not a date (dd/mm/yyyy or "
                     "yyyy-mm-dd)",
                     birth);
        ok = false;
    }
    if (roster_phone(phone, x.phone)) {
        roster_issue(
            r, x.line, "số điện thoại \"%.40s\" không hợp lệ (8–15 chữ số)",
            "phone \"%.40s\" is not a phone number (8-15 digits)", phone);
        ok = false;
    }
    const struct roster_row *same = ok ? roster_same(r, &x) : NULL;
    if (same) {
        roster_issue(r, x.line,
                     "trùng người ở dòng %d (cùng họ tên và ngày sinh)",
                     "repeats the person on line %d (same name and date of "
                     "birth)",
                     same->line);
        ok = false;
    }
    if (ok) {
        r->rows[r->n++] = x;
        return;
    }
drop:
    free(x.name);
    free(x.unit);
    free(x.fold);
}

/* Check the whole file is UTF-8; an issue naming the line if not. */
static bool roster_utf8(struct roster *r, const char *text, size_t len)
{
    size_t bad = 0;
    if (text_check(text, len, &bad) == TEXT_OK)
        return true;
    int line = 1;
    for (size_t i = 0; i < bad; i++)
        line += text[i] == '\n';
    roster_issue(r, line,
                 "tệp không phải văn bản UTF-8: hãy lưu lại bằng \"CSV UTF-8\"",
                 "the file is not UTF-8 text: save it again as \"CSV UTF-8\"");
    return false;
}

int roster_parse(const char *text, size_t len, struct roster *out)
{
    struct csv_reader c;
    int map[COL_COUNT], rc;
    bool name_semi, name_comma;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        text += 3, len -= 3;
    if (!roster_utf8(out, text, len))
        return out->oom ? EXAMD_ENOMEM : 0;
    const char *nl = memchr(text, '\n', len);
    size_t first = nl ? (size_t)(nl - text) : len;
    int ks = roster_sniff(text, first, ';', &name_semi);
    int kc = roster_sniff(text, first, ',', &name_comma);
    char sep = name_semi && (!name_comma || ks >= kc) ? ';'
               : name_comma                           ? ','
               : ks >= kc                             ? ';'
                                                      : ',';
    if (!(out->rows = calloc(ROSTER_MAX_ROWS, sizeof *out->rows)))
        return EXAMD_ENOMEM;
    csv_reader_init(&c, text, len, sep);
    rc = csv_reader_next(&c);
    if (rc == 0) {
        roster_issue(out, 0, "tệp rỗng", "the file is empty");
        goto done;
    }
    if (rc < 0 || !roster_header(out, &c, map))
        goto bad_record;
    int n_header = c.n;
    while (!out->oom && (rc = csv_reader_next(&c)) == 1) {
        if (csv_reader_blank(&c))
            continue;
        if (out->n >= ROSTER_MAX_ROWS) {
            roster_issue(out, c.rec_line,
                         "danh sách quá %d người: hãy chia thành nhiều tệp",
                         "more than %d people: split the list into several "
                         "files",
                         ROSTER_MAX_ROWS);
            break;
        }
        roster_row(out, &c, map, n_header);
    }
bad_record:
    if (rc == CSV_EQUOTE)
        roster_issue(out, c.rec_line, "dấu ngoặc kép mở nhưng không đóng",
                     "a quoted cell is never closed");
    if (rc == CSV_ENOMEM)
        out->oom = true;
done:
    csv_reader_clear(&c);
    return out->oom ? EXAMD_ENOMEM : 0;
}

int roster_login_stem(const char *name, char out[ROSTER_LOGIN_MAX])
{
    char *f = text_fold(name);
    size_t n = 0;
    if (!f)
        return text_is_valid(name, strlen(name)) ? EXAMD_ENOMEM : EXAMD_EINVAL;
    /* leave room for a number of up to 5 digits */
    for (const char *p = f; *p && n < ROSTER_LOGIN_MAX - 6; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            out[n++] = *p;
    out[n] = 0;
    free(f);
    if (!n)
        snprintf(out, ROSTER_LOGIN_MAX, "hocvien");
    return 0;
}

void roster_login_nth(const char *stem, int n, char out[ROSTER_LOGIN_MAX])
{
    if (n <= 1)
        snprintf(out, ROSTER_LOGIN_MAX, "%s", stem);
    else
        snprintf(out, ROSTER_LOGIN_MAX, "%.26s%d", stem, n % 100000);
}

void roster_password(char out[ROSTER_PASSWORD_LEN + 1])
{
    static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
    for (int i = 0; i < ROSTER_PASSWORD_LEN; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[ROSTER_PASSWORD_LEN] = 0;
}
