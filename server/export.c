/*
 * export.c — a bank written out as GIFT or as native JSON (import.h).
 *
 * Both are read back by import_parse into the same bank. GIFT has no words
 * for difficulty, points or "do not shuffle": they go into a comment line
 * "// examd: difficulty=hard points=2 shuffle=no" that Moodle skips and
 * examd reads. Topics become "$CATEGORY: $course$/top/<topic>" lines.
 * Per-option feedback has already been folded into the explanation on
 * import, so the explanation is written as general feedback ("####").
 */
#include "import_int.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growing string; on malloc failure ok goes false and stays so. */
struct sbuf {
    char *s;
    size_t n, cap;
    bool ok;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
    if (!b->ok)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->ok = false;
            return;
        }
        b->s = ns, b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

/* s with GIFT's escapes; specials: the characters escaped besides '\'
 * and line breaks. */
static void sb_gift(struct sbuf *b, const char *s, const char *specials)
{
    for (; *s; s++) {
        char e[2] = {'\\', *s};
        if (*s == '\n')
            sb_add(b, "\\n", 2);
        else if (*s == '\\' || strchr(specials, *s))
            sb_add(b, e, 2);
        else if (*s != '\r')
            sb_add(b, s, 1);
    }
}

/* Text where a GIFT reader would see structure at its start (a format
 * prefix, a comment, a category, a name, a weight) is marked "[moodle]",
 * the default format, which the reader strips. */
static void sb_gift_text(struct sbuf *b, const char *s)
{
    if (*s && strchr("[/$:%", *s))
        sb_str(b, "[moodle]");
    sb_gift(b, s, ":#={}~");
}

static void export_gift_question(struct sbuf *b, const struct bank_question *q)
{
    char pct[24], note[80] = "";
    if (q->difficulty != EXAM_MEDIUM)
        snprintf(note, sizeof note, " difficulty=%s",
                 bank_difficulty_name(q->difficulty));
    if (q->points != 1)
        snprintf(note + strlen(note), sizeof note - strlen(note), " points=%d",
                 q->points);
    if (!q->shuffle)
        strcat(note, " shuffle=no");
    if (*note) {
        sb_str(b, "// examd:");
        sb_str(b, note);
        sb_str(b, "\n");
    }
    if (*q->ext_id) {
        sb_str(b, "::");
        sb_gift(b, q->ext_id, ":#={}~");
        sb_str(b, "::");
    }
    sb_gift_text(b, q->text);
    sb_str(b, " {\n");
    for (int k = 0; k < q->n_options; k++) {
        int32_t w = q->weight[k];
        sb_str(b, "\t");
        if (!q->multi && w == BANK_WEIGHT_FULL) {
            sb_str(b, "=");
        } else if (w == 0) {
            sb_str(b, "~");
        } else {
            import_percent_format(w, pct);
            sb_str(b, "~%");
            sb_str(b, pct);
            sb_str(b, "%");
        }
        sb_gift_text(b, q->options[k]);
        sb_str(b, "\n");
    }
    if (*q->explanation) {
        sb_str(b, "\t####");
        sb_gift_text(b, q->explanation);
        sb_str(b, "\n");
    }
    sb_str(b, "}\n\n");
}

char *export_gift(const struct bank *b)
{
    struct sbuf s = {.ok = true};
    const char *topic = NULL;
    sb_str(&s, "// examd-bank ");
    sb_gift(&s, b->name, "");
    sb_str(&s, ": ");
    sb_gift(&s, b->title, "");
    sb_str(&s, "\n\n");
    for (int i = 0; i < b->n; i++) {
        const struct bank_question *q = &b->q[i];
        if (!topic || strcmp(topic, q->topic)) {
            topic = q->topic;
            sb_str(&s, "$CATEGORY: $course$/top/");
            for (const char *t = topic; *t; t++)
                if (*t == '/')
                    sb_add(&s, "//", 2);
                else if (*t == '\n')
                    sb_add(&s, "\\n", 2);
                else if (*t == '\\')
                    sb_add(&s, "\\\\", 2);
                else if (*t != '\r')
                    sb_add(&s, t, 1);
            sb_str(&s, "\n\n");
        }
        export_gift_question(&s, q);
    }
    if (!s.ok) {
        free(s.s);
        return NULL;
    }
    return s.s;
}

static json_t *export_native_question(const struct bank_question *q)
{
    json_t *o = json_object(), *opts = json_array(), *corr = json_array();
    int nk = 0;
    if (!o || !opts || !corr) {
        json_decref(o), json_decref(opts), json_decref(corr);
        return NULL;
    }
    if (*q->ext_id)
        json_object_set_new(o, "id", json_string(q->ext_id));
    json_object_set_new(o, "topic", json_string(q->topic));
    json_object_set_new(o, "difficulty",
                        json_string(bank_difficulty_name(q->difficulty)));
    json_object_set_new(o, "text", json_string(q->text));
    for (int k = 0; k < q->n_options; k++) {
        json_array_append_new(opts, json_string(q->options[k]));
        if (q->key & (1u << k)) {
            json_array_append_new(corr, json_integer(k));
            nk++;
        }
    }
    json_object_set_new(o, "options", opts);
    json_object_set_new(o, "correct", corr);
    if (q->multi != (nk > 1))
        json_object_set_new(o, "multi", json_boolean(q->multi));
    if (!import_weights_are_default(q)) {
        json_t *w = json_array();
        for (int k = 0; k < q->n_options; k++)
            json_array_append_new(w, q->weight[k] % 100000
                                         ? json_real(q->weight[k] / 100000.0)
                                         : json_integer(q->weight[k] / 100000));
        json_object_set_new(o, "weights", w);
    }
    if (q->points != 1)
        json_object_set_new(o, "points", json_integer(q->points));
    if (!q->shuffle)
        json_object_set_new(o, "shuffle", json_false());
    if (*q->explanation)
        json_object_set_new(o, "explanation", json_string(q->explanation));
    return o;
}

char *export_native(const struct bank *b)
{
    json_t *root = json_object(), *qs = json_array();
    char *out = NULL;
    if (!root || !qs) {
        json_decref(root), json_decref(qs);
        return NULL;
    }
    json_object_set_new(root, "format", json_string("examd-bank/1"));
    json_object_set_new(root, "bank", json_string(b->name));
    json_object_set_new(root, "title", json_string(b->title));
    json_object_set(root, "questions", qs);
    for (int i = 0; i < b->n; i++) {
        json_t *q = export_native_question(&b->q[i]);
        if (!q || json_array_append_new(qs, q))
            goto done;
    }
    out = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    if (out) {
        /* One trailing newline, as text files end. */
        size_t n = strlen(out);
        char *o2 = realloc(out, n + 2);
        if (o2)
            out = o2, strcpy(out + n, "\n");
    }
done:
    json_decref(qs);
    json_decref(root);
    return out;
}
