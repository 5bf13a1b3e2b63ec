/*
 * import_aiken.c — the Aiken format: single-answer questions as people
 * type them in Word.
 *
 *   Đảng Cộng sản Việt Nam ra đời năm nào?
 *   A. 1925
 *   B. 1930
 *   ANSWER: B
 *
 * Question text is one or more lines; each choice a capital letter, '.'
 * or ')' and then a space or tab (Moodle's rule: "A.1930" is not a
 * choice); "ANSWER: X" ends the question. Lines of fewer than two
 * characters are ignored, as Moodle ignores them. The format has no
 * topic: questions take the bank's title.
 */
#include "import_int.h"

#include <stdlib.h>
#include <string.h>

static bool aiken_is_choice(const char *s, size_t n)
{
    return n >= 3 && s[0] >= 'A' && s[0] <= 'Z' &&
           (s[1] == '.' || s[1] == ')') && (s[2] == ' ' || s[2] == '\t');
}

/* "A.text": a choice but for the missing space. */
static bool aiken_is_cramped(const char *s, size_t n)
{
    return n >= 3 && s[0] >= 'A' && s[0] <= 'Z' &&
           (s[1] == '.' || s[1] == ')') && s[2] != ' ' && s[2] != '\t';
}

static bool aiken_is_answer(const char *s, size_t n)
{
    return n >= 7 && !memcmp(s, "ANSWER:", 7);
}

bool import_aiken_sniff(const char *text, size_t len)
{
    bool answer = false, choice = false;
    const char *p = text, *end = text + len;
    while (p < end && !(answer && choice)) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        while (p < eol && (*p == ' ' || *p == '\t'))
            p++;
        answer |= aiken_is_answer(p, (size_t)(eol - p));
        choice |= aiken_is_choice(p, (size_t)(eol - p));
        p = eol + (eol < end);
    }
    return answer && choice;
}

struct aiken {
    struct imp *imp;
    struct bank_question q;
    int n_seen;
    bool failed; /* an error was reported: skip to ANSWER */
};

static void aiken_reset(struct aiken *a)
{
    bank_question_fini(&a->q);
    a->n_seen = 0;
    a->failed = false;
}

/* A problem on line (of the question starting at a->q.line, if any):
 * reported once per question, which is then skipped up to its ANSWER. */
static void aiken_fail(struct aiken *a, int line, const char *vi,
                       const char *en, const char *s, size_t n)
{
    /* The quoted line is cut on a character boundary: the issue goes to
     * the staff console as JSON, which must be valid UTF-8. */
    size_t len = n > 60 ? 60 : n;
    if (len < n)
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    if (!a->failed)
        imp_error(a->imp, a->q.text ? a->q.line : line, a->q.text,
                  "%s%.0s (dòng %d: \"%.*s\")", "%.0s%s (line %d: \"%.*s\")",
                  vi, en, line, (int)len, s);
    a->failed = true;
}

static void aiken_answer(struct aiken *a, int line, const char *s, size_t n)
{
    char *ans = imp_strndup_trim(a->imp, s + 7, n - 7);
    if (!a->q.text) {
        aiken_fail(a, line, "ANSWER không thuộc câu hỏi nào",
                   "ANSWER belongs to no question", s, n);
    } else if (!a->failed) {
        int k = ans && strlen(ans) == 1 ? ans[0] - 'A' : -1;
        if (k < 0 || k >= a->n_seen || k >= EXAM_MAX_OPTIONS) {
            imp_error(a->imp, a->q.line, a->q.text,
                      "ANSWER \"%s\" phải là đúng một chữ cái của một lựa chọn "
                      "(Aiken chỉ có một đáp án đúng)",
                      "ANSWER \"%s\" must be exactly one letter of a choice "
                      "(Aiken has one correct answer)",
                      ans ? ans : "");
        } else {
            a->q.key = (uint8_t)(1u << k);
            import_weights_default(&a->q);
            imp_commit(a->imp, &a->q, a->n_seen);
        }
    }
    free(ans);
    aiken_reset(a);
}

static void aiken_line(struct aiken *a, int line, const char *s, size_t n)
{
    if (aiken_is_answer(s, n)) {
        aiken_answer(a, line, s, n);
    } else if (aiken_is_choice(s, n) && a->q.text) {
        if (s[0] != 'A' + a->n_seen)
            aiken_fail(a, line, "lựa chọn không theo thứ tự A, B, C...",
                       "choices must run A, B, C...", s, n);
        else if (a->n_seen < EXAM_MAX_OPTIONS)
            a->q.options[a->q.n_options++] =
                imp_strndup_trim(a->imp, s + 2, n - 2);
        a->n_seen++;
    } else if (a->n_seen && aiken_is_cramped(s, n)) {
        aiken_fail(a, line,
                   "lựa chọn phải có khoảng trắng sau \"A.\" hoặc \"A)\"",
                   "a choice needs a space after \"A.\" or \"A)\"", s, n);
    } else if (a->n_seen) {
        aiken_fail(a, line, "cần một lựa chọn \"A. …\" hoặc dòng \"ANSWER: X\"",
                   "expected a choice \"A. …\" or an \"ANSWER: X\" line", s, n);
    } else if (!a->q.text) {
        a->q = (struct bank_question){.line = line,
                                      .difficulty = EXAM_MEDIUM,
                                      .points = 1,
                                      .shuffle = true};
        a->q.text = imp_strndup_trim(a->imp, s, n);
    } else {
        size_t old = strlen(a->q.text);
        char *t = realloc(a->q.text, old + n + 2);
        if (!t) {
            a->imp->oom = true;
            return;
        }
        t[old] = '\n';
        memcpy(t + old + 1, s, n);
        t[old + 1 + n] = '\0';
        a->q.text = t;
    }
}

void import_aiken_read(struct imp *imp, const char *text, size_t len)
{
    struct aiken a = {.imp = imp};
    const char *p = text, *end = text + len;
    int line = 0;
    while (p < end && !imp->oom) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        line++;
        const char *s = p, *e = eol;
        while (s < e && (*s == ' ' || *s == '\t' || *s == '\r'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        if (e - s >= 2)
            aiken_line(&a, line, s, (size_t)(e - s));
        p = eol + (eol < end);
    }
    if (a.q.text && !a.failed)
        imp_error(imp, a.q.line, a.q.text, "thiếu dòng \"ANSWER: X\"",
                  "has no \"ANSWER: X\" line");
    aiken_reset(&a);
}
