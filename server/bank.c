/*
 * bank.c — parse and validate native bank files (see bank.h).
 */
#include "bank.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bank_free(struct bank *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->n; i++) {
        struct bank_question *q = &b->q[i];
        free(q->ext_id);
        free(q->topic);
        free(q->text);
        free(q->explanation);
        for (int k = 0; k < q->n_options; k++)
            free(q->options[k]);
    }
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

/* A non-empty string field, or NULL. */
static const char *bank_str(const json_t *o, const char *field)
{
    const char *s = json_string_value(json_object_get(o, field));
    return s && *s ? s : NULL;
}

#define BANK_FAIL(...)                                                         \
    do {                                                                       \
        snprintf(msg, msglen, __VA_ARGS__);                                    \
        return -1;                                                             \
    } while (0)

/* Validate the options and key of question number no; fill q. */
static int bank_options_parse(const json_t *j, int no, const char *id,
                              struct bank_question *q, char *msg, size_t msglen)
{
    json_t *opts = json_object_get(j, "options");
    json_t *corr = json_object_get(j, "correct");
    size_t n = json_array_size(opts);
    if (!json_is_array(opts) || n < 2 || n > EXAM_MAX_OPTIONS)
        BANK_FAIL("câu %d (%s): \"options\" phải có 2 đến 6 lựa chọn / "
                  "question %d (%s): \"options\" must hold 2 to 6 strings",
                  no, id, no, id);
    for (size_t k = 0; k < n; k++) {
        const char *o = json_string_value(json_array_get(opts, k));
        if (!o || !*o)
            BANK_FAIL("câu %d (%s): lựa chọn %zu rỗng hoặc không phải chuỗi"
                      " / question %d (%s): option %zu is empty or not a "
                      "string",
                      no, id, k + 1, no, id, k + 1);
        for (size_t m = 0; m < k; m++)
            if (!strcmp(o, q->options[m]))
                BANK_FAIL("câu %d (%s): lựa chọn %zu trùng lựa chọn %zu / "
                          "question %d (%s): option %zu repeats option %zu",
                          no, id, k + 1, m + 1, no, id, k + 1, m + 1);
        if (!(q->options[k] = strdup(o)))
            BANK_FAIL("out of memory");
        q->n_options++;
    }
    size_t nk = json_array_size(corr);
    if (!json_is_array(corr) || nk == 0)
        BANK_FAIL("câu %d (%s): thiếu \"correct\" / question %d (%s): "
                  "\"correct\" must be a non-empty array",
                  no, id, no, id);
    for (size_t k = 0; k < nk; k++) {
        json_t *v = json_array_get(corr, k);
        json_int_t x = json_is_integer(v) ? json_integer_value(v) : -1;
        if (x < 0 || x >= (json_int_t)n || (q->key & (1u << x)))
            BANK_FAIL("câu %d (%s): \"correct\" có chỉ số không hợp lệ hoặc "
                      "trùng / question %d (%s): \"correct\" holds an index "
                      "out of range or twice",
                      no, id, no, id);
        q->key |= (uint8_t)(1u << x);
    }
    json_t *multi = json_object_get(j, "multi");
    if (multi && !json_is_boolean(multi))
        BANK_FAIL("câu %d (%s): \"multi\" phải là true/false / question %d "
                  "(%s): \"multi\" must be a boolean",
                  no, id, no, id);
    q->multi = multi ? json_is_true(multi) : nk > 1;
    if (!q->multi && nk > 1)
        BANK_FAIL("câu %d (%s): \"correct\" có %zu đáp án nhưng \"multi\" là "
                  "false / question %d (%s): \"correct\" has %zu indexes but "
                  "\"multi\" is false",
                  no, id, nk, no, id, nk);
    return 0;
}

static int bank_question_parse(const json_t *j, int no, struct bank_question *q,
                               char *msg, size_t msglen)
{
    const char *ext = json_string_value(json_object_get(j, "id"));
    const char *id = ext ? ext : "-";
    if (!json_is_object(j))
        BANK_FAIL("câu %d không phải đối tượng / question %d is not an "
                  "object",
                  no, no);
    const char *topic = bank_str(j, "topic");
    const char *text = bank_str(j, "text");
    const char *diff = bank_str(j, "difficulty");
    json_t *expl = json_object_get(j, "explanation");
    if (!topic)
        BANK_FAIL("câu %d (%s): thiếu \"topic\" / question %d (%s): "
                  "\"topic\" is missing or empty",
                  no, id, no, id);
    if (!text)
        BANK_FAIL("câu %d (%s): thiếu \"text\" / question %d (%s): "
                  "\"text\" is missing or empty",
                  no, id, no, id);
    if ((q->difficulty = bank_difficulty_parse(diff)) < 0)
        BANK_FAIL("câu %d (%s): \"difficulty\" phải là easy, medium hoặc hard"
                  " / question %d (%s): \"difficulty\" must be easy, medium "
                  "or hard",
                  no, id, no, id);
    if (expl && !json_is_string(expl))
        BANK_FAIL("câu %d (%s): \"explanation\" phải là chuỗi / question %d "
                  "(%s): \"explanation\" must be a string",
                  no, id, no, id);
    q->ext_id = strdup(ext ? ext : "");
    q->topic = strdup(topic);
    q->text = strdup(text);
    q->explanation = strdup(expl ? json_string_value(expl) : "");
    if (!q->ext_id || !q->topic || !q->text || !q->explanation)
        BANK_FAIL("out of memory");
    return bank_options_parse(j, no, id, q, msg, msglen);
}

/* Exact duplicates (same text) and repeated ids are refused. O(n^2): banks
 * hold hundreds to a few thousand questions, parsed once at import. */
static int bank_check_unique(const struct bank *b, char *msg, size_t msglen)
{
    for (int i = 0; i < b->n; i++)
        for (int k = 0; k < i; k++) {
            if (!strcmp(b->q[i].text, b->q[k].text))
                BANK_FAIL("câu %d trùng nội dung câu %d / question %d "
                          "duplicates question %d",
                          i + 1, k + 1, i + 1, k + 1);
            if (*b->q[i].ext_id && !strcmp(b->q[i].ext_id, b->q[k].ext_id))
                BANK_FAIL("câu %d: id \"%s\" đã dùng ở câu %d / question %d: "
                          "id \"%s\" already used by question %d",
                          i + 1, b->q[i].ext_id, k + 1, i + 1, b->q[i].ext_id,
                          k + 1);
        }
    return 0;
}

struct bank *bank_parse(const char *text, size_t len, char *msg, size_t msglen)
{
    json_error_t je;
    struct bank *b = NULL;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        snprintf(msg, msglen,
                 "dòng %d: JSON không hợp lệ (%s) / line %d: "
                 "invalid JSON (%s)",
                 je.line, je.text, je.line, je.text);
        return NULL;
    }
    const char *fmt = json_string_value(json_object_get(root, "format"));
    json_t *qs = json_object_get(root, "questions");
    if (!fmt || strcmp(fmt, "examd-bank/1")) {
        snprintf(msg, msglen,
                 "\"format\" phải là \"examd-bank/1\" / "
                 "\"format\" must be \"examd-bank/1\"");
        goto fail;
    }
    if (!bank_str(root, "bank") || !bank_str(root, "title")) {
        snprintf(msg, msglen,
                 "thiếu \"bank\" hoặc \"title\" / \"bank\" and "
                 "\"title\" are required");
        goto fail;
    }
    if (!json_is_array(qs) || json_array_size(qs) == 0 ||
        json_array_size(qs) > 65535) {
        snprintf(msg, msglen,
                 "\"questions\" phải là mảng không rỗng / "
                 "\"questions\" must be a non-empty array");
        goto fail;
    }
    if (!(b = calloc(1, sizeof *b)) ||
        !(b->q = calloc(json_array_size(qs), sizeof *b->q)) ||
        !(b->name = strdup(bank_str(root, "bank"))) ||
        !(b->title = strdup(bank_str(root, "title")))) {
        snprintf(msg, msglen, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < json_array_size(qs); i++) {
        b->n++;
        if (bank_question_parse(json_array_get(qs, i), (int)i + 1, &b->q[i],
                                msg, msglen))
            goto fail;
    }
    if (bank_check_unique(b, msg, msglen))
        goto fail;
    json_decref(root);
    return b;
fail:
    json_decref(root);
    bank_free(b);
    return NULL;
}

struct bank *bank_load_file(const char *path, char *msg, size_t msglen)
{
    char inner[1024];
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
