/*
 * import.c — import_parse: the file checked as UTF-8, its format detected,
 * one reader per format (import_*.c) feeding questions to imp_commit, which
 * applies every rule of the native format; then exact duplicates found
 * across the whole file, and either a bank or the list of problems.
 *
 * The readers never stop at the first problem: a trainer fixing a file of
 * 500 questions wants every problem in one go, each with its line.
 */
#include "import_int.h"

#include "err.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT_SNIPPET 80

/* --- issues --- */

/* The start of a question for an issue: one line, <= IMPORT_SNIPPET bytes,
 * cut on a character boundary. */
static char *imp_snippet(const char *q)
{
    if (!q)
        q = "";
    char *nfc = text_nfc(q, strlen(q));
    const char *src = nfc ? nfc : q;
    size_t n = strlen(src);
    if (n > IMPORT_SNIPPET) {
        n = IMPORT_SNIPPET;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    char *s = malloc(n + 4);
    if (s) {
        memcpy(s, src, n);
        strcpy(s + n, n < strlen(src) ? "…" : "");
        for (char *p = s; *p; p++)
            if (*p == '\n' || *p == '\r' || *p == '\t')
                *p = ' ';
    }
    free(nfc);
    return s;
}

/* vsnprintf may cut a long message (a long id quoted) inside a character:
 * drop the partial one, as issues reach the console as JSON. */
static void imp_cut_partial(char *s)
{
    size_t bad;
    if (text_check(s, strlen(s), &bad) == TEXT_EUTF8)
        s[bad] = '\0';
}

void imp_issue(struct imp *imp, int line, bool skipped, const char *question,
               const char *vi_fmt, const char *en_fmt, ...)
{
    struct import_result *r = imp->res;
    if (skipped)
        r->n_skipped++;
    else
        r->n_errors++;
    if (imp->truncated)
        return;
    if (!r->issues &&
        !(r->issues = calloc(IMPORT_MAX_ISSUES, sizeof *r->issues))) {
        imp->oom = true;
        return;
    }
    struct import_issue *is = &r->issues[r->n_issues];
    char vi[1024], en[1024];
    va_list ap, aq;
    va_start(ap, en_fmt);
    va_copy(aq, ap);
    vsnprintf(vi, sizeof vi, vi_fmt, ap);
    vsnprintf(en, sizeof en, en_fmt, aq);
    va_end(aq);
    va_end(ap);
    imp_cut_partial(vi);
    imp_cut_partial(en);
    if (r->n_issues == IMPORT_MAX_ISSUES - 1) {
        imp->truncated = true;
        line = 0, question = NULL, skipped = false;
        snprintf(vi, sizeof vi, "quá nhiều lỗi; chỉ liệt kê %d lỗi đầu",
                 IMPORT_MAX_ISSUES - 1);
        snprintf(en, sizeof en,
                 "too many problems; only the first %d are "
                 "listed",
                 IMPORT_MAX_ISSUES - 1);
    }
    is->line = line;
    is->skipped = skipped;
    is->question = imp_snippet(question);
    is->vi = strdup(vi);
    is->en = strdup(en);
    r->n_issues++;
    if (!is->question || !is->vi || !is->en)
        imp->oom = true;
}

void imp_unsupported(struct imp *imp, int line, const char *question,
                     const char *type_vi, const char *type_en)
{
    if (imp->opts->skip_unsupported)
        imp_issue(imp, line, true, question,
                  "được bỏ qua: thuộc loại %s%.0s, không được hỗ trợ",
                  "was skipped: it is of type %.0s%s, which examd does not "
                  "support",
                  type_vi, type_en);
    else
        imp_error(imp, line, question,
                  "thuộc loại %s%.0s, không được hỗ trợ (dùng tùy chọn bỏ "
                  "qua câu không hỗ trợ để nhập phần còn lại)",
                  "is of type %.0s%s, which examd does not support (skip "
                  "unsupported questions to import the rest)",
                  type_vi, type_en);
}

/* --- small helpers shared by the readers --- */

static bool imp_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

char *imp_strndup_trim(struct imp *imp, const char *s, size_t len)
{
    while (len && imp_is_space(*s))
        s++, len--;
    while (len && imp_is_space(s[len - 1]))
        len--;
    char *d = strndup(s, len);
    if (!d)
        imp->oom = true;
    return d;
}

void imp_expl_add(struct imp *imp, char **expl, const char *label,
                  const char *text)
{
    if (!text || !*text)
        return;
    size_t old = *expl ? strlen(*expl) : 0;
    size_t need = old + strlen(text) + (label ? strlen(label) + 2 : 0) + 2;
    char *n = realloc(*expl, need);
    if (!n) {
        imp->oom = true;
        return;
    }
    snprintf(n + old, need - old, "%s%s%s%s", old ? "\n" : "",
             label ? label : "", label ? ": " : "", text);
    *expl = n;
}

/* Is s[0..n) a Moodle context token ("$course$", "$system$")? */
static bool imp_is_context(const char *s, size_t n)
{
    return n >= 2 && s[0] == '$' && s[n - 1] == '$';
}

char *imp_category_topic(struct imp *imp, const char *path, size_t len)
{
    /* The last segment: after the last '/' that is not part of "//". In
     * an odd run of slashes the first one separates: "top///x" is the
     * topic "/x", as export_gift writes it. */
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (path[i] != '/')
            continue;
        size_t run = 1;
        while (i + run < len && path[i + run] == '/')
            run++;
        if (run % 2)
            start = i + 1;
        i += run - 1;
    }
    char *seg = imp_strndup_trim(imp, path + start, len - start);
    if (!seg)
        return NULL;
    char *w = seg;
    for (const char *r = seg; *r; r++) {
        *w++ = *r;
        if (r[0] == '/' && r[1] == '/')
            r++;
    }
    *w = '\0';
    /* The default: a context ("$course$") alone or followed by "top"; a
     * topic merely starting with '$', or a "top" inside, is a topic. */
    size_t pre = start ? start - 1 : 0;
    while (pre && imp_is_space(*path))
        path++, pre--;
    if (!*seg || imp_is_context(seg, strlen(seg)) ||
        (!strcmp(seg, "top") && (!pre || imp_is_context(path, pre)))) {
        free(seg);
        return NULL;
    }
    return seg;
}

int imp_difficulty_parse(const char *s)
{
    static const struct {
        const char *name;
        int d;
    } names[] = {{"easy", EXAM_EASY},     {"de", EXAM_EASY},
                 {"medium", EXAM_MEDIUM}, {"trung binh", EXAM_MEDIUM},
                 {"hard", EXAM_HARD},     {"kho", EXAM_HARD}};
    char *f = text_fold(s);
    int d = -1;
    for (size_t i = 0; f && i < sizeof names / sizeof *names; i++)
        if (!strcmp(f, names[i].name))
            d = names[i].d;
    free(f);
    return d;
}

/* --- one question --- */

/* Replace *s (malloc'ed or NULL = dflt) by its NFC form. */
static bool imp_nfc(struct imp *imp, char **s, const char *dflt)
{
    const char *src = *s ? *s : dflt;
    char *n = text_nfc(src, strlen(src));
    if (!n) {
        if (text_is_valid(src, strlen(src)))
            imp->oom = true;
        return false;
    }
    free(*s);
    *s = n;
    return true;
}

/* The rules on options: 2..6, none empty, no two equal. */
static bool imp_check_options(struct imp *imp, struct bank_question *q,
                              int n_seen)
{
    bool ok = true;
    if (n_seen < 2 || n_seen > EXAM_MAX_OPTIONS) {
        imp_error(imp, q->line, q->text, "có %d lựa chọn; phải có từ 2 đến 6",
                  "has %d options; it must have 2 to 6", n_seen);
        return false;
    }
    for (int k = 0; k < q->n_options; k++) {
        if (!*q->options[k]) {
            imp_error(imp, q->line, q->text, "lựa chọn %d rỗng",
                      "option %d is empty", k + 1);
            ok = false;
        }
        for (int m = 0; m < k && *q->options[k]; m++)
            if (!strcmp(q->options[k], q->options[m])) {
                imp_error(imp, q->line, q->text,
                          "lựa chọn %d trùng lựa chọn %d",
                          "option %d repeats option %d", k + 1, m + 1);
                ok = false;
            }
    }
    return ok;
}

void imp_commit(struct imp *imp, struct bank_question *q, int n_seen)
{
    bool ok = true;
    char vi[160], en[160];
    if (!imp_nfc(imp, &q->text, "") || !imp_nfc(imp, &q->ext_id, "") ||
        !imp_nfc(imp, &q->topic, imp->bank->title) ||
        !imp_nfc(imp, &q->explanation, ""))
        ok = false;
    for (int k = 0; k < q->n_options; k++)
        if (!imp_nfc(imp, &q->options[k], ""))
            ok = false;
    if (!ok) {
        if (!imp->oom)
            imp_error(imp, q->line, q->text,
                      "chứa ký tự điều khiển không được phép",
                      "holds a control character that is not allowed");
        goto fail;
    }
    if (!*q->text) {
        imp_error(imp, q->line, NULL, "câu hỏi không có nội dung",
                  "question has no text");
        ok = false;
    }
    if (!*q->topic) {
        imp_error(imp, q->line, q->text, "không có chủ đề", "has no topic");
        ok = false;
    }
    if (q->points < 1 || q->points > 100) {
        imp_error(imp, q->line, q->text, "điểm %d phải từ 1 đến 100",
                  "points %d must be 1 to 100", q->points);
        ok = false;
    }
    if (!imp_check_options(imp, q, n_seen))
        ok = false;
    else if (import_weights_check(q, vi, en)) {
        imp_error(imp, q->line, q->text, "%s%.0s", "%.0s%s", vi, en);
        ok = false;
    }
    if (!ok)
        goto fail;
    if (imp->bank->n == imp->cap) {
        int cap = imp->cap ? imp->cap * 2 : 64;
        struct bank_question *nq =
            realloc(imp->bank->q, (size_t)cap * sizeof *nq);
        if (!nq) {
            imp->oom = true;
            goto fail;
        }
        imp->bank->q = nq, imp->cap = cap;
    }
    imp->bank->q[imp->bank->n++] = *q;
    memset(q, 0, sizeof *q);
    return;
fail:
    bank_question_fini(q);
}

/* --- the whole file --- */

struct imp_key {
    const char *s;
    int idx;
};

static int imp_key_cmp(const void *a, const void *b)
{
    const struct imp_key *x = a, *y = b;
    int c = strcmp(x->s, y->s);
    return c ? c : x->idx - y->idx;
}

/* Exact duplicates of text (after NFC) or of a non-empty id, each named
 * with both lines. O(n log n). */
static void imp_check_unique(struct imp *imp, bool ids)
{
    struct bank *b = imp->bank;
    struct imp_key *k = malloc((size_t)(b->n ? b->n : 1) * sizeof *k);
    if (!k) {
        imp->oom = true;
        return;
    }
    int n = 0;
    for (int i = 0; i < b->n; i++) {
        const char *s = ids ? b->q[i].ext_id : b->q[i].text;
        if (*s)
            k[n++] = (struct imp_key){s, i};
    }
    qsort(k, (size_t)n, sizeof *k, imp_key_cmp);
    for (int i = 1, first = 0; i < n; i++) {
        if (strcmp(k[i].s, k[first].s)) {
            first = i;
            continue;
        }
        const struct bank_question *q = &b->q[k[i].idx];
        int at = b->q[k[first].idx].line;
        if (ids)
            imp_error(imp, q->line, q->text,
                      "có mã \"%s\" đã dùng ở câu tại dòng %d",
                      "has id \"%s\", already used by the question on line "
                      "%d",
                      q->ext_id, at);
        else
            imp_error(imp, q->line, q->text, "trùng nội dung với câu ở dòng %d",
                      "duplicates the question on line %d", at);
    }
    free(k);
}

/* Issues in file order (line 0, the whole file, first); stable. */
static void imp_sort_issues(struct import_result *r)
{
    for (int i = 1; i < r->n_issues; i++) {
        struct import_issue t = r->issues[i];
        int j = i;
        for (; j > 0 && r->issues[j - 1].line > t.line; j--)
            r->issues[j] = r->issues[j - 1];
        r->issues[j] = t;
    }
}

/* The file as a whole: UTF-8 with no stray control character. */
static bool imp_check_file(struct imp *imp, const char *text, size_t len)
{
    size_t bad = 0;
    if (len >= 2 &&
        ((unsigned char)text[0] == 0xFF || (unsigned char)text[0] == 0xFE) &&
        ((unsigned char)text[1] == 0xFE || (unsigned char)text[1] == 0xFF)) {
        imp_error(imp, 0, NULL,
                  "tệp được lưu dạng UTF-16; hãy lưu lại dạng UTF-8 (trong "
                  "Excel: \"CSV UTF-8\")",
                  "the file is saved as UTF-16; save it as UTF-8 (in Excel: "
                  "\"CSV UTF-8\")");
        return false;
    }
    int st = text_check(text, len, &bad);
    if (st == TEXT_OK)
        return true;
    int line = 1;
    for (size_t i = 0; i < bad; i++)
        line += text[i] == '\n';
    if (st == TEXT_EUTF8)
        imp_error(imp, 0, NULL,
                  "tệp không phải văn bản UTF-8 (lỗi đầu tiên ở dòng %d); "
                  "hãy lưu lại dạng UTF-8 (trong Excel: \"CSV UTF-8\")",
                  "the file is not UTF-8 text (first bad byte on line %d); "
                  "save it as UTF-8 (in Excel: \"CSV UTF-8\")",
                  line);
    else
        imp_error(imp, line, NULL, "có ký tự điều khiển U+%04X không được phép",
                  "holds the control character U+%04X, which is not allowed",
                  (unsigned)(unsigned char)text[bad]);
    return false;
}

static int imp_native(struct imp *imp, const char *text, size_t len)
{
    char vi[512], en[512];
    struct bank *b = bank_parse_split(text, len, vi, en, sizeof vi);
    if (!b) {
        imp_error(imp, 0, NULL, "%s%.0s", "%.0s%s", vi, en);
        return -1;
    }
    bank_free(imp->bank);
    imp->bank = b;
    return 0;
}

static bool imp_bank_init(struct imp *imp)
{
    const char *name = imp->opts->bank_name ? imp->opts->bank_name : "imported";
    const char *title = imp->opts->title ? imp->opts->title : name;
    struct bank *b = calloc(1, sizeof *b);
    if (!b)
        return false;
    imp->bank = b;
    b->name = text_nfc(name, strlen(name));
    b->title = text_nfc(title, strlen(title));
    return b->name && b->title;
}

int import_parse(const char *text, size_t len, const struct import_opts *opts,
                 struct import_result *out)
{
    static const struct import_opts dflt;
    struct imp imp = {.opts = opts ? opts : &dflt, .res = out};
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        text += 3, len -= 3;
    out->format =
        imp.opts->format > IMPORT_AUTO && imp.opts->format <= IMPORT_CSV
            ? imp.opts->format
            : import_format_detect(text, len);
    if (!imp_bank_init(&imp)) {
        imp.oom = true;
    } else if (imp_check_file(&imp, text, len)) {
        switch (out->format) {
        case IMPORT_NATIVE:
            imp_native(&imp, text, len);
            break;
        case IMPORT_AIKEN:
            import_aiken_read(&imp, text, len);
            break;
        case IMPORT_MOODLEXML:
            import_xml_read(&imp, text, len);
            break;
        case IMPORT_CSV:
            import_csv_read(&imp, text, len);
            break;
        default:
            import_gift_read(&imp, text, len);
        }
        if (out->format != IMPORT_NATIVE) {
            imp_check_unique(&imp, false);
            imp_check_unique(&imp, true);
        }
        if (!imp.oom && !out->n_errors && !imp.bank->n)
            imp_error(&imp, 0, NULL, "tệp không có câu hỏi nào",
                      "the file holds no question");
    }
    imp_sort_issues(out);
    if (imp.oom || out->n_errors) {
        bank_free(imp.bank);
        return imp.oom ? EXAMD_ENOMEM : EXAMD_EINVAL;
    }
    out->bank = imp.bank;
    return 0;
}

void import_result_fini(struct import_result *r)
{
    if (!r)
        return;
    bank_free(r->bank);
    for (int i = 0; i < r->n_issues; i++) {
        free(r->issues[i].question);
        free(r->issues[i].vi);
        free(r->issues[i].en);
    }
    free(r->issues);
    memset(r, 0, sizeof *r);
}

/* --- detection and names --- */

static bool imp_starts(const char *p, const char *end, const char *s)
{
    size_t n = strlen(s);
    return (size_t)(end - p) >= n && !memcmp(p, s, n);
}

int import_format_detect(const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    if (imp_starts(p, end, "\xEF\xBB\xBF"))
        p += 3;
    while (p < end && imp_is_space(*p))
        p++;
    if (p < end && *p == '{' && memmem(p, (size_t)(end - p), "examd-bank/", 11))
        return IMPORT_NATIVE;
    if (imp_starts(p, end, "<?xml") || imp_starts(p, end, "<quiz"))
        return IMPORT_MOODLEXML;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (import_csv_sniff(p, (size_t)((nl ? nl : end) - p)))
        return IMPORT_CSV;
    if (import_aiken_sniff(p, (size_t)(end - p)))
        return IMPORT_AIKEN;
    return IMPORT_GIFT;
}

static const char *const imp_format_names[] = {
    [IMPORT_AUTO] = "auto",     [IMPORT_NATIVE] = "native",
    [IMPORT_GIFT] = "gift",     [IMPORT_AIKEN] = "aiken",
    [IMPORT_MOODLEXML] = "moodlexml", [IMPORT_CSV] = "csv"};

int import_format_parse(const char *name)
{
    if (!name)
        return -1;
    if (!strcasecmp(name, "json") || !strcasecmp(name, "examd-bank/1"))
        return IMPORT_NATIVE;
    if (!strcasecmp(name, "xml") || !strcasecmp(name, "moodle-xml"))
        return IMPORT_MOODLEXML;
    for (int i = 0; i <= IMPORT_CSV; i++)
        if (!strcasecmp(name, imp_format_names[i]))
            return i;
    return -1;
}

const char *import_format_name(int format)
{
    return format >= 0 && format <= IMPORT_CSV ? imp_format_names[format]
                                               : "unknown";
}

char *import_issue_format(const struct import_issue *is)
{
    char lv[32] = "", le[32] = "";
    bool q = is->question && *is->question;
    if (is->line > 0) {
        snprintf(lv, sizeof lv, "dòng %d: ", is->line);
        snprintf(le, sizeof le, "line %d: ", is->line);
    }
    const char *qs = q ? is->question : "";
    size_t n = strlen(lv) + strlen(le) + 2 * strlen(qs) + strlen(is->vi) +
               strlen(is->en) + 40;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s%s%s / %s%s%s%s%s", lv, q ? "câu \"" : "", qs,
                 q ? "\" " : "", is->vi, le, q ? "question \"" : "", qs,
                 q ? "\" " : "", is->en);
    return s;
}
