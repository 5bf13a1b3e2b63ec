/*
 * bank.c — parse and validate native bank files (see bank.h).
 *
 * Text is trimmed at both ends and normalised to NFC (text.h), so that
 * equal questions typed on different keyboards compare equal. Weights
 * follow Moodle's grade list (import_weight.c), so that any bank exports
 * to GIFT that examd and Moodle both read back.
 */
#include "bank.h"

#include "import_int.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first problem found, in Vietnamese and English. */
struct bank_msg {
    char *vi, *en;
    size_t len;
};

void bank_question_fini(struct bank_question *q)
{
    free(q->ext_id);
    free(q->topic);
    free(q->text);
    free(q->explanation);
    for (int k = 0; k < q->n_options; k++)
        free(q->options[k]);
    memset(q, 0, sizeof *q);
}

void bank_free(struct bank *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->n; i++)
        bank_question_fini(&b->q[i]);
    free(b->q);
    free(b->name);
    free(b->title);
    free(b);
}

int bank_difficulty_parse(const char *s)
{
    if (!s)
        return -1;
    if (!strcmp(s, "easy"))
        return EXAM_EASY;
    if (!strcmp(s, "medium"))
        return EXAM_MEDIUM;
    if (!strcmp(s, "hard"))
        return EXAM_HARD;
    return -1;
}

const char *bank_difficulty_name(int d)
{
    return d == EXAM_HARD ? "hard" : d == EXAM_MEDIUM ? "medium" : "easy";
}

/* Make a message valid text: a character cut by the buffer at the end (a
 * long id quoted) is dropped, and control characters and bad bytes quoted
 * from the file become '?' (messages reach JSON and terminals). */
static void bank_clean(char *s)
{
    size_t len = strlen(s), i = len, bad;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0 && (unsigned char)s[i - 1] >= 0xC0 &&
        text_check(s + i - 1, len - i + 1, NULL) == TEXT_EUTF8)
        s[len = i - 1] = '\0';
    while (text_check(s, len, &bad) != TEXT_OK)
        s[bad] = '?';
}

/* Fill m from two formats taking the same arguments; returns -1. */
static int bank_fail(struct bank_msg *m, const char *vi_fmt, const char *en_fmt,
                     ...)
{
    va_list ap, aq;
    va_start(ap, en_fmt);
    va_copy(aq, ap);
    vsnprintf(m->vi, m->len, vi_fmt, ap);
    vsnprintf(m->en, m->len, en_fmt, aq);
    va_end(aq);
    va_end(ap);
    bank_clean(m->vi);
    bank_clean(m->en);
    return -1;
}

static int bank_oom(struct bank_msg *m)
{
    return bank_fail(m, "hết bộ nhớ", "out of memory");
}

/* A new trimmed NFC copy of s, or NULL (invalid text or no memory). */
static char *bank_text(const char *s)
{
    size_t len = strlen(s);
    while (len && strchr(" \t\r\n", s[len - 1]))
        len--;
    while (len && strchr(" \t\r\n", *s))
        s++, len--;
    return text_nfc(s, len);
}

/* A string field made trimmed NFC into *out ("" when absent and !need).
 * Returns 0, or -1 with m filled naming the field. */
static int bank_field(const json_t *o, const char *field, bool need, int no,
                      const char *id, char **out, struct bank_msg *m)
{
    json_t *v = json_object_get(o, field);
    if (v && !json_is_string(v))
        return bank_fail(m, "câu %d (%s): \"%s\" phải là chuỗi",
                         "question %d (%s): \"%s\" must be a string", no, id,
                         field);
    if (!(*out = bank_text(v ? json_string_value(v) : "")))
        return bank_fail(m, "câu %d (%s): \"%s\" có ký tự điều khiển",
                         "question %d (%s): \"%s\" holds a control character",
                         no, id, field);
    if (need && !**out)
        return bank_fail(m, "câu %d (%s): thiếu \"%s\"",
                         "question %d (%s): \"%s\" is missing or empty", no, id,
                         field);
    return 0;
}

static int bank_options(const json_t *j, int no, const char *id,
                        struct bank_question *q, struct bank_msg *m)
{
    json_t *opts = json_object_get(j, "options");
    size_t n = json_array_size(opts);
    if (!json_is_array(opts) || n < 2 || n > EXAM_MAX_OPTIONS)
        return bank_fail(m, "câu %d (%s): \"options\" phải có 2 đến 6 lựa chọn",
                         "question %d (%s): \"options\" must hold 2 to 6 "
                         "strings",
                         no, id);
    for (size_t k = 0; k < n; k++) {
        const char *o = json_string_value(json_array_get(opts, k));
        char *t = o ? bank_text(o) : NULL;
        if (!t || !*t) {
            free(t);
            return bank_fail(m,
                             "câu %d (%s): lựa chọn %zu rỗng hoặc không "
                             "phải chuỗi",
                             "question %d (%s): option %zu is empty or not a "
                             "string",
                             no, id, k + 1);
        }
        q->options[q->n_options++] = t;
        for (size_t p = 0; p < k; p++)
            if (!strcmp(t, q->options[p]))
                return bank_fail(m,
                                 "câu %d (%s): lựa chọn %zu trùng lựa chọn "
                                 "%zu",
                                 "question %d (%s): option %zu repeats option "
                                 "%zu",
                                 no, id, k + 1, p + 1);
    }
    return 0;
}

/* "correct" (may be absent when weights are given) into *key, its length
 * into *nk (-1 when absent). */
static int bank_correct(const json_t *j, int no, const char *id, int n,
                        bool optional, uint8_t *key, int *nk,
                        struct bank_msg *m)
{
    json_t *corr = json_object_get(j, "correct");
    *key = 0;
    *nk = -1;
    if (!corr && optional)
        return 0;
    if (!json_is_array(corr) || json_array_size(corr) == 0)
        return bank_fail(m, "câu %d (%s): thiếu \"correct\"",
                         "question %d (%s): \"correct\" must be a non-empty "
                         "array",
                         no, id);
    for (size_t k = 0; k < json_array_size(corr); k++) {
        json_t *v = json_array_get(corr, k);
        json_int_t x = json_is_integer(v) ? json_integer_value(v) : -1;
        if (x < 0 || x >= n || (*key & (1u << x)))
            return bank_fail(m,
                             "câu %d (%s): \"correct\" có chỉ số không hợp "
                             "lệ hoặc trùng",
                             "question %d (%s): \"correct\" holds an index "
                             "out of range or twice",
                             no, id);
        *key |= (uint8_t)(1u << x);
    }
    *nk = (int)json_array_size(corr);
    return 0;
}

/* "weights": percentages on Moodle's grade list, one per option. */
static int bank_weights(const json_t *w, int no, const char *id,
                        struct bank_question *q, struct bank_msg *m)
{
    if (!json_is_array(w) || json_array_size(w) != (size_t)q->n_options)
        return bank_fail(m,
                         "câu %d (%s): \"weights\" phải là mảng số, mỗi "
                         "lựa chọn một số",
                         "question %d (%s): \"weights\" must be an array of "
                         "numbers, one per option",
                         no, id);
    for (int k = 0; k < q->n_options; k++) {
        json_t *v = json_array_get(w, (size_t)k);
        char buf[64];
        int64_t units;
        if (json_is_integer(v))
            snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
        else if (json_is_real(v))
            snprintf(buf, sizeof buf, "%.7f", json_real_value(v));
        if (!json_is_number(v) ||
            import_percent_parse(buf, strlen(buf), &units) ||
            import_weight_snap(units, &q->weight[k]))
            return bank_fail(m,
                             "câu %d (%s): trọng số %d không thuộc danh "
                             "sách của Moodle (%s, có thể âm)",
                             "question %d (%s): weight %d is not one of "
                             "Moodle's grades (%s, or their negatives)",
                             no, id, k + 1, import_weight_list);
    }
    return 0;
}

/* Options, correct, multi and weights of question no; derives q->key. */
static int bank_answers(const json_t *j, int no, const char *id,
                        struct bank_question *q, struct bank_msg *m)
{
    json_t *w = json_object_get(j, "weights");
    json_t *multi = json_object_get(j, "multi");
    uint8_t key;
    int nk;
    char vi[160], en[160];
    if (bank_options(j, no, id, q, m) ||
        bank_correct(j, no, id, q->n_options, w != NULL, &key, &nk, m))
        return -1;
    if (multi && !json_is_boolean(multi))
        return bank_fail(m, "câu %d (%s): \"multi\" phải là true/false",
                         "question %d (%s): \"multi\" must be a boolean", no,
                         id);
    if (w && bank_weights(w, no, id, q, m))
        return -1;
    if (multi) {
        q->multi = json_is_true(multi);
    } else if (nk >= 0) {
        q->multi = nk > 1;
    } else {
        int full = 0;
        for (int k = 0; k < q->n_options; k++)
            full += q->weight[k] == BANK_WEIGHT_FULL;
        q->multi = full != 1;
    }
    if (!q->multi && nk > 1)
        return bank_fail(m,
                         "câu %d (%s): \"correct\" có %d đáp án nhưng "
                         "\"multi\" là false",
                         "question %d (%s): \"correct\" has %d indexes but "
                         "\"multi\" is false",
                         no, id, nk);
    if (!w) {
        q->key = key;
        import_weights_default(q);
    }
    if (import_weights_check(q, vi, en))
        return bank_fail(m, "câu %d (%s): %s%.0s", "question %d (%s): %.0s%s",
                         no, id, vi, en);
    if (nk >= 0 && key != q->key)
        return bank_fail(m,
                         "câu %d (%s): \"correct\" và \"weights\" không "
                         "khớp nhau",
                         "question %d (%s): \"correct\" and \"weights\" "
                         "disagree",
                         no, id);
    return 0;
}

static int bank_question_parse(const json_t *j, int no, struct bank_question *q,
                               struct bank_msg *m)
{
    const char *ext = json_string_value(json_object_get(j, "id"));
    const char *id = ext ? ext : "-";
    if (!json_is_object(j))
        return bank_fail(m, "câu %d không phải đối tượng",
                         "question %d is not an object", no);
    q->line = no;
    q->points = 1;
    q->shuffle = true;
    if (bank_field(j, "id", false, no, id, &q->ext_id, m) ||
        bank_field(j, "topic", true, no, id, &q->topic, m) ||
        bank_field(j, "text", true, no, id, &q->text, m) ||
        bank_field(j, "explanation", false, no, id, &q->explanation, m))
        return -1;
    const char *diff = json_string_value(json_object_get(j, "difficulty"));
    if ((q->difficulty = bank_difficulty_parse(diff)) < 0)
        return bank_fail(m,
                         "câu %d (%s): \"difficulty\" phải là easy, medium "
                         "hoặc hard",
                         "question %d (%s): \"difficulty\" must be easy, "
                         "medium or hard",
                         no, id);
    json_t *pts = json_object_get(j, "points");
    json_t *shuf = json_object_get(j, "shuffle");
    if (pts && (!json_is_integer(pts) || json_integer_value(pts) < 1 ||
                json_integer_value(pts) > 100))
        return bank_fail(m, "câu %d (%s): \"points\" phải là số nguyên 1..100",
                         "question %d (%s): \"points\" must be an integer "
                         "1..100",
                         no, id);
    if (shuf && !json_is_boolean(shuf))
        return bank_fail(m, "câu %d (%s): \"shuffle\" phải là true/false",
                         "question %d (%s): \"shuffle\" must be a boolean", no,
                         id);
    if (pts)
        q->points = (int)json_integer_value(pts);
    if (shuf)
        q->shuffle = json_is_true(shuf);
    return bank_answers(j, no, id, q, m);
}

/* Exact duplicates (same text after NFC) and repeated ids are refused.
 * O(n^2): banks hold hundreds to a few thousand questions, parsed once at
 * import. */
static int bank_check_unique(const struct bank *b, struct bank_msg *m)
{
    for (int i = 0; i < b->n; i++)
        for (int k = 0; k < i; k++) {
            if (!strcmp(b->q[i].text, b->q[k].text))
                return bank_fail(m, "câu %d trùng nội dung câu %d",
                                 "question %d duplicates question %d", i + 1,
                                 k + 1);
            if (*b->q[i].ext_id && !strcmp(b->q[i].ext_id, b->q[k].ext_id))
                return bank_fail(m, "câu %d: id \"%s\" đã dùng ở câu %d",
                                 "question %d: id \"%s\" already used by "
                                 "question %d",
                                 i + 1, b->q[i].ext_id, k + 1);
        }
    return 0;
}

static struct bank *bank_parse_root(const json_t *root, struct bank_msg *m)
{
    const char *fmt = json_string_value(json_object_get(root, "format"));
    json_t *qs = json_object_get(root, "questions");
    json_t *name = json_object_get(root, "bank");
    json_t *title = json_object_get(root, "title");
    if (!fmt || strcmp(fmt, "examd-bank/1")) {
        bank_fail(m, "\"format\" phải là \"examd-bank/1\"",
                  "\"format\" must be \"examd-bank/1\"");
        return NULL;
    }
    struct bank *b = calloc(1, sizeof *b);
    if (!b) {
        bank_oom(m);
        return NULL;
    }
    b->name = json_is_string(name) ? bank_text(json_string_value(name)) : NULL;
    b->title =
        json_is_string(title) ? bank_text(json_string_value(title)) : NULL;
    if (!b->name || !*b->name || !b->title || !*b->title) {
        bank_fail(m, "thiếu \"bank\" hoặc \"title\"",
                  "\"bank\" and \"title\" are required");
        goto fail;
    }
    if (!json_is_array(qs) || json_array_size(qs) == 0 ||
        json_array_size(qs) > 65535) {
        bank_fail(m, "\"questions\" phải là mảng không rỗng",
                  "\"questions\" must be a non-empty array");
        goto fail;
    }
    if (!(b->q = calloc(json_array_size(qs), sizeof *b->q))) {
        bank_oom(m);
        goto fail;
    }
    for (size_t i = 0; i < json_array_size(qs); i++) {
        b->n++;
        if (bank_question_parse(json_array_get(qs, i), (int)i + 1, &b->q[i], m))
            goto fail;
    }
    if (bank_check_unique(b, m))
        goto fail;
    return b;
fail:
    bank_free(b);
    return NULL;
}

struct bank *bank_parse_split(const char *text, size_t len, char *vi, char *en,
                              size_t msglen)
{
    struct bank_msg m = {vi, en, msglen};
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        bank_clean(je.text); /* jansson quotes the bytes near the error */
        bank_fail(&m, "dòng %d: JSON không hợp lệ (%s)",
                  "line %d: invalid JSON (%s)", je.line, je.text);
        return NULL;
    }
    struct bank *b = bank_parse_root(root, &m);
    json_decref(root);
    return b;
}

struct bank *bank_parse(const char *text, size_t len, char *msg, size_t msglen)
{
    char vi[512], en[512];
    struct bank *b = bank_parse_split(text, len, vi, en, sizeof vi);
    if (!b) {
        snprintf(msg, msglen, "%s / %s", vi, en);
        bank_clean(msg);
    }
    return b;
}

struct bank *bank_load_file(const char *path, char *msg, size_t msglen)
{
    char inner[1100];
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(msg, msglen, "%s: không mở được tệp / cannot open file", path);
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            char *nb = realloc(buf, cap = cap ? cap * 2 : 65536);
            if (!nb) {
                free(buf);
                fclose(f);
                snprintf(msg, msglen, "%s: out of memory", path);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        if (!got)
            break;
        len += got;
    }
    fclose(f);
    struct bank *b = bank_parse(buf, len, inner, sizeof inner);
    free(buf);
    if (!b)
        snprintf(msg, msglen, "%s: %s", path, inner);
    return b;
}
