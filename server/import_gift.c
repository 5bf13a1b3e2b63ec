/*
 * import_gift.c — Moodle's GIFT text format.
 *
 * Questions are blocks separated by blank lines; "//" lines are comments
 * ("// examd: difficulty=hard points=2 shuffle=no" is examd's own note,
 * which Moodle ignores and export_gift writes, so that what GIFT cannot say
 * survives a round trip). "$CATEGORY: $course$/top/Lịch sử Đảng" sets the
 * topic of the questions after it. A block is "::name::" (the id), the
 * question text and one answer block in braces; text may continue after
 * the braces (the braces become "_____"). Inside braces: "=" a right
 * answer, "~" a wrong one, "~%50%" a weighted one, "#" the option's
 * feedback, "####" general feedback. Escapes: \: \# \= \{ \} \~ \\ \n.
 *
 * The block is first decoded into characters, each marked escaped or not,
 * so the structure is only ever read from unescaped marks.
 */
#include "import_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum gift_fmt { GIFT_MOODLE, GIFT_HTML, GIFT_PLAIN, GIFT_MARKDOWN };

struct gift {
    struct imp *imp;
    char *topic; /* the last $CATEGORY's topic, malloc'ed; NULL = title */
    /* The block being read: characters and whether each was escaped. */
    char *c;
    bool *esc;
    size_t n, cap;
    int line;       /* the block's first line */
    int difficulty; /* from "// examd:" or EXAM_MEDIUM */
    int points;
    bool shuffle;
    bool failed; /* an error already reported for this block */
};

#define GIFT_NONE SIZE_MAX

static bool gift_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Decode raw[0..len) (escapes) into g->c / g->esc. */
static bool gift_decode(struct gift *g, const char *raw, size_t len)
{
    if (len + 1 > g->cap) {
        char *c = realloc(g->c, len + 1);
        bool *e = c ? realloc(g->esc, len + 1) : NULL;
        if (c)
            g->c = c;
        if (!c || !e) {
            g->imp->oom = true;
            return false;
        }
        g->esc = e, g->cap = len + 1;
    }
    g->n = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = raw[i];
        bool esc = false;
        if (ch == '\\' && i + 1 < len && strchr("\\:#={}~n", raw[i + 1])) {
            ch = raw[++i] == 'n' ? '\n' : raw[i];
            esc = true;
        }
        g->c[g->n] = ch;
        g->esc[g->n++] = esc;
    }
    return true;
}

/* First unescaped s in [from, to), or GIFT_NONE. last: the last one. */
static size_t gift_find(const struct gift *g, size_t from, size_t to,
                        const char *s, bool last)
{
    size_t n = strlen(s), found = GIFT_NONE;
    for (size_t i = from; i + n <= to; i++) {
        size_t k = 0;
        while (k < n && g->c[i + k] == s[k] && !g->esc[i + k])
            k++;
        if (k == n) {
            found = i;
            if (!last)
                break;
        }
    }
    return found;
}

static void gift_trim(const struct gift *g, size_t *from, size_t *to)
{
    while (*from < *to && gift_is_space(g->c[*from]))
        (*from)++;
    while (*to > *from && gift_is_space(g->c[*to - 1]))
        (*to)--;
}

/* A "[html]"-style prefix at from: its format and length, or -1. */
static int gift_fmt_prefix(const struct gift *g, size_t from, size_t to,
                           size_t *plen)
{
    static const char *const names[] = {"[moodle]", "[html]", "[plain]",
                                        "[markdown]"};
    for (int f = 0; f < 4; f++) {
        size_t n = strlen(names[f]);
        if (to - from >= n && !memcmp(g->c + from, names[f], n)) {
            *plen = n;
            return f;
        }
    }
    return -1;
}

/* The text of [from, to): trimmed, its format prefix applied (dflt when
 * none; the format used goes to *fmt), HTML reduced. malloc'ed. */
static char *gift_text(struct gift *g, size_t from, size_t to, int dflt,
                       int *fmt)
{
    size_t plen;
    gift_trim(g, &from, &to);
    int f = gift_fmt_prefix(g, from, to, &plen);
    if (f >= 0)
        from += plen;
    else
        f = dflt;
    if (fmt)
        *fmt = f;
    char *s = f == GIFT_HTML ? import_html_to_text(g->c + from, to - from)
                             : imp_strndup_trim(g->imp, g->c + from, to - from);
    if (!s)
        g->imp->oom = true;
    else if (f == GIFT_HTML) {
        char *t = imp_strndup_trim(g->imp, s, strlen(s));
        free(s);
        s = t;
    }
    return s;
}

/* One option of a multiple-choice answer block: mark ('=' or '~') and
 * [from, to) after it. */
static void gift_option(struct gift *g, struct bank_question *q, int *n_seen,
                        char mark, size_t from, size_t to, int fmt, char **expl)
{
    int32_t w = mark == '=' ? BANK_WEIGHT_FULL : 0;
    gift_trim(g, &from, &to);
    size_t pct = from < to && g->c[from] == '%' && !g->esc[from]
                     ? gift_find(g, from + 1, to, "%", false)
                     : GIFT_NONE;
    int64_t units;
    if (pct != GIFT_NONE &&
        !import_percent_parse(g->c + from + 1, pct - from - 1, &units)) {
        if (import_weight_snap(units, &w)) {
            char num[32];
            snprintf(num, sizeof num, "%.*s", (int)(pct - from - 1),
                     g->c + from + 1);
            imp_error(g->imp, g->line, q->text,
                      "lựa chọn %d: trọng số %s %% không thuộc danh sách của "
                      "Moodle (%s, có thể âm)",
                      "option %d: weight %s %% is not one of Moodle's grades "
                      "(%s, or their negatives)",
                      *n_seen + 1, num, import_weight_list);
            g->failed = true;
        }
        from = pct + 1;
    }
    size_t hash = gift_find(g, from, to, "#", false);
    char *opt = gift_text(g, from, hash == GIFT_NONE ? to : hash, fmt, NULL);
    if (opt && hash != GIFT_NONE) {
        char *fb = gift_text(g, hash + 1, to, fmt, NULL);
        imp_expl_add(g->imp, expl, opt, fb);
        free(fb);
    }
    if (*n_seen < EXAM_MAX_OPTIONS) {
        q->options[q->n_options] = opt ? opt : strdup("");
        q->weight[q->n_options++] = w;
    } else {
        free(opt);
    }
    (*n_seen)++;
}

/* A multiple-choice answer block [from, to). Returns options seen. */
static int gift_multichoice(struct gift *g, struct bank_question *q,
                            size_t from, size_t to, int fmt, char **expl)
{
    int n_seen = 0;
    q->multi = gift_find(g, from, to, "=", false) == GIFT_NONE;
    size_t i = from;
    while (i < to && gift_is_space(g->c[i]))
        i++;
    if (i < to && !((g->c[i] == '~' || g->c[i] == '=') && !g->esc[i])) {
        imp_error(g->imp, g->line, q->text,
                  "có chữ trước dấu ~ hoặc = đầu tiên trong {...}",
                  "has text before the first ~ or = in {...}");
        g->failed = true;
    }
    while (i < to) {
        char mark = g->c[i];
        size_t end = i + 1;
        while (end < to &&
               !((g->c[end] == '~' || g->c[end] == '=') && !g->esc[end]))
            end++;
        if (mark == '~' || mark == '=')
            gift_option(g, q, &n_seen, mark, i + 1, end, fmt, expl);
        i = end;
    }
    return n_seen;
}

/* {T}, {FALSE#wrong#right}: options Đúng / Sai. */
static void gift_truefalse(struct gift *g, struct bank_question *q, size_t from,
                           size_t to, int fmt, char **expl)
{
    size_t h1 = gift_find(g, from, to, "#", false);
    size_t h2 =
        h1 == GIFT_NONE ? GIFT_NONE : gift_find(g, h1 + 1, to, "#", false);
    char *ans = gift_text(g, from, h1 == GIFT_NONE ? to : h1, GIFT_PLAIN, NULL);
    bool t = ans && ans[0] == 'T';
    char *wrong =
        h1 == GIFT_NONE
            ? NULL
            : gift_text(g, h1 + 1, h2 == GIFT_NONE ? to : h2, fmt, NULL);
    char *right = h2 == GIFT_NONE ? NULL : gift_text(g, h2 + 1, to, fmt, NULL);
    q->options[0] = strdup("Đúng");
    q->options[1] = strdup("Sai");
    q->n_options = 2;
    q->multi = false;
    q->weight[t ? 0 : 1] = BANK_WEIGHT_FULL;
    imp_expl_add(g->imp, expl, "Đúng", t ? right : wrong);
    imp_expl_add(g->imp, expl, "Sai", t ? wrong : right);
    free(ans);
    free(wrong);
    free(right);
}

/* What kind of answer block [from, to) is (Moodle's order of tests). */
enum gift_kind {
    GIFT_MC,
    GIFT_TF,
    GIFT_ESSAY,
    GIFT_NUMERICAL,
    GIFT_MATCHING,
    GIFT_SHORT,
    GIFT_DESCRIPTION /* no braces at all */
};

static int gift_kind(const struct gift *g, size_t from, size_t to)
{
    if (from == to)
        return GIFT_ESSAY;
    if (g->c[from] == '#' && !g->esc[from])
        return GIFT_NUMERICAL;
    if (gift_find(g, from, to, "~", false) != GIFT_NONE)
        return GIFT_MC;
    if (gift_find(g, from, to, "=", false) != GIFT_NONE &&
        gift_find(g, from, to, "->", false) != GIFT_NONE)
        return GIFT_MATCHING;
    size_t h = gift_find(g, from, to, "#", false);
    size_t e = h == GIFT_NONE ? to : h;
    gift_trim(g, &from, &e);
    static const char *const tf[] = {"T", "TRUE", "F", "FALSE"};
    for (int i = 0; i < 4; i++)
        if (e - from == strlen(tf[i]) && !memcmp(g->c + from, tf[i], e - from))
            return GIFT_TF;
    return GIFT_SHORT;
}

static void gift_unsupported(struct gift *g, const char *text, int kind)
{
    static const char *const names[][2] = {
        [GIFT_ESSAY] = {"tự luận", "essay"},
        [GIFT_NUMERICAL] = {"số", "numerical"},
        [GIFT_MATCHING] = {"ghép đôi", "matching"},
        [GIFT_SHORT] = {"trả lời ngắn", "short answer"},
        [GIFT_DESCRIPTION] = {"mô tả (không có {...})",
                              "description (no {...})"}};
    imp_unsupported(g->imp, g->line, text, names[kind][0], names[kind][1]);
}

/* The question text: before the braces, "_____" for them when text
 * follows, and what follows. */
static char *gift_question_text(struct gift *g, size_t from, size_t open,
                                size_t close, int *fmt)
{
    size_t tail = close + 1, end = g->n, t0 = tail, t1 = end;
    gift_trim(g, &t0, &t1);
    if (t0 == t1)
        return gift_text(g, from, open, GIFT_MOODLE, fmt);
    /* Splice "_____" over the braces in the decoded buffer. */
    size_t n = open - from + 5 + (end - tail);
    char *tmp = malloc(n);
    bool *esc = malloc(n * sizeof *esc);
    if (!tmp || !esc) {
        free(tmp), free(esc);
        g->imp->oom = true;
        return NULL;
    }
    memcpy(tmp, g->c + from, open - from);
    memcpy(tmp + (open - from), "_____", 5);
    memcpy(tmp + (open - from) + 5, g->c + tail, end - tail);
    struct gift sub = *g;
    sub.c = tmp, sub.esc = esc, sub.n = n;
    memset(esc, 0, n * sizeof *esc);
    char *s = gift_text(&sub, 0, n, GIFT_MOODLE, fmt);
    free(tmp), free(esc);
    return s;
}

/* One question block, decoded in g. */
static void gift_question(struct gift *g)
{
    struct bank_question q = {.line = g->line,
                              .difficulty = g->difficulty,
                              .points = g->points,
                              .shuffle = g->shuffle};
    char *expl = NULL;
    size_t from = 0, to = g->n;
    int fmt = GIFT_MOODLE, n_seen = 0;
    if (to >= 2 && !memcmp(g->c, "::", 2) && !g->esc[0] && !g->esc[1]) {
        size_t end = gift_find(g, 2, to, "::", false);
        if (end != GIFT_NONE) {
            q.ext_id = imp_strndup_trim(g->imp, g->c + 2, end - 2);
            from = end + 2;
        } else {
            from = 2;
        }
    }
    size_t open = gift_find(g, from, to, "{", false);
    size_t close = open == GIFT_NONE ? gift_find(g, from, to, "}", false)
                                     : gift_find(g, open, to, "}", false);
    if (open == GIFT_NONE && close == GIFT_NONE) {
        char *text = gift_text(g, from, to, GIFT_MOODLE, NULL);
        gift_unsupported(g, text, GIFT_DESCRIPTION);
        free(text);
        goto done;
    }
    if (open == GIFT_NONE || close == GIFT_NONE) {
        char *text = gift_text(g, from, to, GIFT_MOODLE, NULL);
        imp_error(g->imp, g->line, text, "thiếu dấu { hoặc } của phần đáp án",
                  "has a { or } missing around its answers");
        free(text);
        goto done;
    }
    q.text = gift_question_text(g, from, open, close, &fmt);
    size_t a0 = open + 1, a1 = close;
    size_t gf = gift_find(g, a0, a1, "####", true);
    if (gf != GIFT_NONE) {
        char *t = gift_text(g, gf + 4, a1, fmt, NULL);
        imp_expl_add(g->imp, &expl, NULL, t);
        free(t);
        a1 = gf;
    }
    gift_trim(g, &a0, &a1);
    int kind = gift_kind(g, a0, a1);
    if (kind == GIFT_MC) {
        n_seen = gift_multichoice(g, &q, a0, a1, fmt, &expl);
    } else if (kind == GIFT_TF) {
        gift_truefalse(g, &q, a0, a1, fmt, &expl);
        n_seen = 2;
    } else {
        gift_unsupported(g, q.text, kind);
        goto done;
    }
    if (g->failed)
        goto done;
    q.topic = g->topic ? strdup(g->topic) : NULL;
    q.explanation = expl;
    expl = NULL;
    imp_commit(g->imp, &q, n_seen);
done:
    free(expl);
    bank_question_fini(&q);
}

/* "// examd: difficulty=hard points=2 shuffle=no" at s[0..len). */
static void gift_directive(struct gift *g, const char *s, size_t len, int line)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%.*s", (int)(len < 255 ? len : 255), s);
    for (char *tok = strtok(buf, " \t\r"); tok; tok = strtok(NULL, " \t\r")) {
        char *eq = strchr(tok, '=');
        int v = -1;
        if (eq) {
            *eq++ = '\0';
            if (!strcmp(tok, "difficulty"))
                v = g->difficulty = bank_difficulty_parse(eq);
            else if (!strcmp(tok, "points"))
                v = g->points =
                    atoi(eq) >= 1 && atoi(eq) <= 100 ? atoi(eq) : -1;
            else if (!strcmp(tok, "shuffle"))
                v = !strcmp(eq, "yes")  ? (g->shuffle = true)
                    : !strcmp(eq, "no") ? (g->shuffle = false, 0)
                                        : -1;
        }
        if (v < 0) {
            imp_error(g->imp, line, NULL,
                      "ghi chú \"// examd:\" không hiểu \"%s\" (dùng "
                      "difficulty=easy|medium|hard points=1..100 "
                      "shuffle=yes|no)",
                      "the \"// examd:\" note does not understand \"%s\" "
                      "(use difficulty=easy|medium|hard points=1..100 "
                      "shuffle=yes|no)",
                      tok);
            g->failed = true;
        }
    }
}

/* The block in raw[0..len) starting on line start: a category or a
 * question. */
static void gift_block(struct gift *g, const char *raw, size_t len, int start)
{
    g->line = start;
    if (!gift_decode(g, raw, len))
        return;
    if (g->n >= 10 && !memcmp(g->c, "$CATEGORY:", 10)) {
        /* The line ends at a real line break, not an escaped "\n" (a
         * topic holding a line break, as export_gift writes it). */
        size_t nl = gift_find(g, 0, g->n, "\n", false);
        size_t end = nl == GIFT_NONE ? g->n : nl;
        free(g->topic);
        g->topic = imp_category_topic(g->imp, g->c + 10, end - 10);
        size_t rest = end, stop = g->n;
        gift_trim(g, &rest, &stop);
        if (rest == stop)
            return;
        memmove(g->c, g->c + end + 1, g->n - end - 1);
        memmove(g->esc, g->esc + end + 1, g->n - end - 1);
        g->n -= end + 1;
        g->line = start + 1;
    }
    gift_question(g);
}

void import_gift_read(struct imp *imp, const char *text, size_t len)
{
    struct gift g = {.imp = imp};
    char *block = NULL;
    size_t bn = 0;
    int line = 0, start = 0;
    const char *p = text, *end = text + len;
    if (!(block = malloc(len + 1))) {
        imp->oom = true;
        return;
    }
    g.difficulty = EXAM_MEDIUM, g.points = 1, g.shuffle = true;
    while (p <= end && !imp->oom) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        line++;
        const char *t = p, *te = eol;
        while (t < te && gift_is_space(*t))
            t++;
        while (te > t && gift_is_space(te[-1]))
            te--;
        if (t == te) {
            if (bn)
                gift_block(&g, block, bn, start);
            if (bn || g.failed || g.difficulty != EXAM_MEDIUM ||
                g.points != 1 || !g.shuffle) {
                g.difficulty = EXAM_MEDIUM, g.points = 1, g.shuffle = true;
                g.failed = false;
            }
            bn = 0;
        } else if (te - t >= 2 && t[0] == '/' && t[1] == '/') {
            if (te - t >= 9 && !memcmp(t, "// examd:", 9))
                gift_directive(&g, t + 9, (size_t)(te - t - 9), line);
        } else {
            if (!bn)
                start = line;
            memcpy(block + bn, t, (size_t)(te - t));
            bn += (size_t)(te - t);
            block[bn++] = '\n';
        }
        if (eol == end)
            break;
        p = eol + 1;
    }
    if (bn && !imp->oom)
        gift_block(&g, block, bn, start);
    free(block);
    free(g.topic);
    free(g.c);
    free(g.esc);
}
