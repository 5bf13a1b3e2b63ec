/*
 * import_csv.c — questions from a spreadsheet saved as CSV.
 *
 * One question a row under a header row naming the columns (any order,
 * any case, English or Vietnamese): topic/chủ đề, difficulty/mức độ,
 * question/câu hỏi, A..F, correct/đáp án đúng, explanation/giải thích,
 * id/mã, points/điểm. Excel in a Vietnamese locale separates with ';', so
 * the separator (',' or ';') is the one that makes the first line a known
 * header. RFC 4180 quoting ("" for a quote, line breaks inside quotes);
 * CRLF or LF; a UTF-8 BOM is dropped before this reader runs. A row's line
 * is the physical line where it starts. Records come from csv.c, which the
 * class roster shares.
 */
#include "import_int.h"

#include "csv.h"
#include "text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum csv_col {
    CSV_TOPIC,
    CSV_DIFF,
    CSV_QUESTION,
    CSV_A, /* .. CSV_A + 5 = F */
    CSV_CORRECT = CSV_A + EXAM_MAX_OPTIONS,
    CSV_EXPL,
    CSV_ID,
    CSV_POINTS,
    CSV_NCOLS
};

static const struct {
    const char *folded;
    int col;
} csv_names[] = {
    {"topic", CSV_TOPIC},
    {"chu de", CSV_TOPIC},
    {"difficulty", CSV_DIFF},
    {"muc do", CSV_DIFF},
    {"question", CSV_QUESTION},
    {"cau hoi", CSV_QUESTION},
    {"a", CSV_A},
    {"b", CSV_A + 1},
    {"c", CSV_A + 2},
    {"d", CSV_A + 3},
    {"e", CSV_A + 4},
    {"f", CSV_A + 5},
    {"correct", CSV_CORRECT},
    {"dap an dung", CSV_CORRECT},
    {"dap an", CSV_CORRECT},
    {"explanation", CSV_EXPL},
    {"giai thich", CSV_EXPL},
    {"id", CSV_ID},
    {"ma", CSV_ID},
    {"points", CSV_POINTS},
    {"diem", CSV_POINTS},
};

/* The column a header cell names, or -1. */
static int csv_column(const char *cell, size_t len)
{
    char *raw = strndup(cell, len), *f = raw ? text_fold(raw) : NULL;
    int col = -1;
    for (size_t i = 0; f && i < sizeof csv_names / sizeof *csv_names; i++)
        if (!strcmp(f, csv_names[i].folded))
            col = csv_names[i].col;
    free(raw);
    free(f);
    return col;
}

/* Split one physical line on sep (quotes honoured, no line breaks) and
 * count the known columns; sets *q if question and correct are there. */
static int csv_sniff_sep(const char *line, size_t len, char sep, bool *q)
{
    int known = 0, cols[CSV_NCOLS] = {0};
    size_t i = 0;
    while (i <= len) {
        size_t s = i, e;
        bool quoted = i < len && line[i] == '"';
        if (quoted) {
            s = ++i;
            while (i < len &&
                   !(line[i] == '"' && (i + 1 >= len || line[i + 1] != '"')))
                i += line[i] == '"' ? 2 : 1;
            e = i < len ? i++ : len;
        }
        while (i < len && line[i] != sep)
            i++;
        if (!quoted)
            e = i;
        while (e > s && isspace((unsigned char)line[e - 1]))
            e--;
        while (s < e && isspace((unsigned char)line[s]))
            s++;
        int c = csv_column(line + s, e - s);
        if (c >= 0)
            known++, cols[c] = 1;
        i++;
    }
    *q = cols[CSV_QUESTION] && cols[CSV_CORRECT];
    return known;
}

/* The separator that makes line a header, or 0. */
static char csv_detect_sep(const char *line, size_t len)
{
    bool qs, qc;
    if (!memchr(line, ';', len) && !memchr(line, ',', len))
        return 0;
    int ns = csv_sniff_sep(line, len, ';', &qs);
    int nc = csv_sniff_sep(line, len, ',', &qc);
    if (qs && (!qc || ns >= nc))
        return ';';
    return qc ? ',' : 0;
}

bool import_csv_sniff(const char *line, size_t len)
{
    return csv_detect_sep(line, len) != 0;
}

struct csv {
    struct imp *imp;
    struct csv_reader r; /* the shared record reader (csv.h) */
};

/* The next record. Returns 1, 0 at the end, -1 on error (recorded). */
static int csv_record(struct csv *c)
{
    int rc = csv_reader_next(&c->r);
    if (rc == CSV_ENOMEM)
        c->imp->oom = true;
    else if (rc == CSV_EQUOTE)
        imp_error(c->imp, c->r.rec_line, NULL,
                  "dấu ngoặc kép mở nhưng không đóng",
                  "a quoted cell is never closed");
    return rc < 0 ? -1 : rc;
}

/* The header record: map[col] = cell index or -1. */
static bool csv_header(struct csv *c, int *map)
{
    bool ok = true;
    for (int k = 0; k < CSV_NCOLS; k++)
        map[k] = -1;
    for (int i = 0; i < c->r.n; i++) {
        int col = csv_column(c->r.cells[i], strlen(c->r.cells[i]));
        if (col < 0 && !*c->r.cells[i])
            continue;
        if (col < 0 || map[col] >= 0) {
            imp_error(c->imp, c->r.rec_line, NULL,
                      col < 0 ? "cột \"%s\" không hợp lệ (các cột: topic, "
                                "difficulty, question, A..F, correct, "
                                "explanation, id, points hoặc chủ đề, mức độ, "
                                "câu hỏi, đáp án đúng, giải thích, mã, điểm)"
                              : "cột \"%s\" lặp lại",
                      col < 0 ? "unknown column \"%s\" (columns: topic, "
                                "difficulty, question, A..F, correct, "
                                "explanation, id, points)"
                              : "column \"%s\" appears twice",
                      c->r.cells[i]);
            ok = false;
            continue;
        }
        map[col] = i;
    }
    if (ok && (map[CSV_QUESTION] < 0 || map[CSV_CORRECT] < 0 ||
               map[CSV_A] < 0 || map[CSV_A + 1] < 0)) {
        imp_error(c->imp, c->r.rec_line, NULL,
                  "dòng tiêu đề phải có các cột question (câu hỏi), A, B và "
                  "correct (đáp án đúng)",
                  "the header row must have the columns question, A, B and "
                  "correct");
        ok = false;
    }
    return ok;
}

static const char *csv_get(const struct csv *c, const int *map, int col)
{
    int i = map[col];
    return i >= 0 && i < c->r.n ? c->r.cells[i] : "";
}

/* "B", "A,C", "AC", "a; c" -> key bits; -1 on a bad letter or repeat. */
static int csv_key(const char *s, int n_options)
{
    int key = 0;
    for (; *s; s++) {
        char ch = (char)toupper((unsigned char)*s);
        if (strchr(" \t,;/+", ch))
            continue;
        int k = ch - 'A';
        if (k < 0 || k >= n_options || (key & (1 << k)))
            return -1;
        key |= 1 << k;
    }
    return key;
}

/* Options A..F of the row into q: no gap, at least the columns given. */
static int csv_options(struct csv *c, const int *map, struct bank_question *q)
{
    int gap = -1;
    for (int k = 0; k < EXAM_MAX_OPTIONS; k++) {
        const char *o = csv_get(c, map, CSV_A + k);
        char *t = imp_strndup_trim(c->imp, o, strlen(o));
        if (!t || !*t) {
            free(t);
            if (gap < 0)
                gap = k;
            continue;
        }
        if (gap >= 0) {
            free(t);
            imp_error(c->imp, c->r.rec_line, q->text,
                      "có lựa chọn %c nhưng lựa chọn %c để trống",
                      "has option %c but option %c is empty", 'A' + k,
                      'A' + gap);
            return -1;
        }
        q->options[q->n_options++] = t;
    }
    return q->n_options;
}

static void csv_row(struct csv *c, const int *map, int n_header)
{
    struct bank_question q = {.line = c->r.rec_line, .shuffle = true};
    const char *diff = csv_get(c, map, CSV_DIFF);
    const char *corr = csv_get(c, map, CSV_CORRECT);
    const char *pts = csv_get(c, map, CSV_POINTS);
    const char *q_text = csv_get(c, map, CSV_QUESTION);
    q.text = imp_strndup_trim(c->imp, q_text, strlen(q_text));
    for (int i = n_header; i < c->r.n; i++)
        if (*c->r.cells[i]) {
            imp_error(c->imp, c->r.rec_line, q.text,
                      "có nhiều ô hơn dòng tiêu đề",
                      "has more cells than the header row");
            goto done;
        }
    int n = csv_options(c, map, &q);
    if (n < 0)
        goto done;
    int key = csv_key(corr, n);
    if (key <= 0) {
        imp_error(c->imp, c->r.rec_line, q.text,
                  "đáp án đúng \"%s\" phải là chữ cái của lựa chọn có nội "
                  "dung, ví dụ B hoặc A,C",
                  "correct answer \"%s\" must be letters of options given, "
                  "like B or A,C",
                  corr);
        goto done;
    }
    q.difficulty = *diff ? imp_difficulty_parse(diff) : EXAM_MEDIUM;
    if (q.difficulty < 0) {
        imp_error(c->imp, c->r.rec_line, q.text,
                  "mức độ \"%s\" phải là dễ, trung bình hoặc khó",
                  "difficulty \"%s\" must be easy, medium or hard", diff);
        goto done;
    }
    char *pend = NULL;
    long p = *pts ? strtol(pts, &pend, 10) : 1;
    q.points = pend && *pend ? -1 : (int)(p < -1 || p > 1000 ? -1 : p);
    q.key = (uint8_t)key;
    q.multi = (key & (key - 1)) != 0;
    import_weights_default(&q);
    const char *t = csv_get(c, map, CSV_TOPIC);
    const char *e = csv_get(c, map, CSV_EXPL);
    const char *id = csv_get(c, map, CSV_ID);
    q.topic = *t ? imp_strndup_trim(c->imp, t, strlen(t)) : NULL;
    q.explanation = imp_strndup_trim(c->imp, e, strlen(e));
    q.ext_id = imp_strndup_trim(c->imp, id, strlen(id));
    imp_commit(c->imp, &q, n);
done:
    bank_question_fini(&q);
}

void import_csv_read(struct imp *imp, const char *text, size_t len)
{
    const char *nl = memchr(text, '\n', len);
    struct csv c = {.imp = imp};
    int map[CSV_NCOLS], rc;
    char sep = csv_detect_sep(text, nl ? (size_t)(nl - text) : len);
    if (!sep) {
        imp_error(imp, 1, NULL,
                  "dòng đầu phải là dòng tiêu đề, phân cách bằng dấu phẩy "
                  "hoặc chấm phẩy, có các cột question (câu hỏi), A, B và "
                  "correct (đáp án đúng)",
                  "the first line must be a header row, separated by commas "
                  "or semicolons, with the columns question, A, B and "
                  "correct");
        return;
    }
    csv_reader_init(&c.r, text, len, sep);
    if (csv_record(&c) <= 0 || !csv_header(&c, map)) {
        csv_reader_clear(&c.r);
        return;
    }
    int n_header = c.r.n;
    while (!imp->oom && (rc = csv_record(&c)) != 0) {
        if (rc < 0)
            break;
        if (!csv_reader_blank(&c.r))
            csv_row(&c, map, n_header);
    }
    csv_reader_clear(&c.r);
}
