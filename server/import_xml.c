/*
 * import_xml.c — Moodle XML (<quiz><question type="...">...), read with
 * expat as a stream: each <question> is gathered into a struct xml_q and
 * handed to imp_commit at its end tag.
 *
 * Read: multichoice (single, answer fraction percentages, shuffleanswers,
 * defaultgrade, general and per-answer feedback, name, tags easy / medium /
 * hard or dễ / trung bình / khó) and truefalse; category questions set the
 * topic of what follows. Every other type is reported (or skipped). Missing
 * fields default as Moodle's importer defaults them: single true,
 * shuffleanswers false, fraction 0, defaultgrade 1, text format html.
 *
 * Safety: a DOCTYPE or any entity declaration stops the parse (nothing in
 * a Moodle export needs one), external entities are never resolved, and
 * nesting is capped. HTML text is reduced to plain text (import_html.c).
 */
#include "import_int.h"

#include <expat.h>
#include <stdlib.h>
#include <string.h>

#define XML_MAX_DEPTH 32
#define XML_MAX_ANSWERS 16

/* Text formats: html (and Moodle's auto format) is reduced to text. */
static bool xml_fmt_is_html(const char *fmt)
{
    return !fmt || (strcmp(fmt, "plain_text") && strcmp(fmt, "markdown"));
}

struct xml_answer {
    char *text, *feedback, *fraction;
    bool html, fb_html;
};

/* One <question> being read. */
struct xml_q {
    int line;
    char *type;
    char *name, *text, *gf, *single, *shuffle, *grade, *category;
    bool text_html, gf_html;
    int difficulty;
    int n_ans; /* answers seen, may pass XML_MAX_ANSWERS */
    struct xml_answer ans[XML_MAX_ANSWERS];
};

struct xml {
    struct imp *imp;
    XML_Parser p;
    char *topic; /* the last category's, malloc'ed; NULL = title */
    int depth;   /* of the current element; <quiz> is 1 */
    int qdepth;  /* depth of the open <question>, 0 if none */
    char path[XML_MAX_DEPTH][24]; /* element names, cut */
    char *buf;                    /* character data of the current leaf */
    size_t n, cap;
    bool stopped; /* an error already reported stopped the parse */
    struct xml_q q;
};

static void xml_q_free(struct xml_q *q)
{
    free(q->type), free(q->name), free(q->text), free(q->gf);
    free(q->single), free(q->shuffle), free(q->grade), free(q->category);
    for (int i = 0; i < q->n_ans && i < XML_MAX_ANSWERS; i++)
        free(q->ans[i].text), free(q->ans[i].feedback),
            free(q->ans[i].fraction);
    memset(q, 0, sizeof *q);
}

static void xml_stop(struct xml *x, const char *vi, const char *en)
{
    if (!x->stopped)
        imp_error(x->imp, (int)XML_GetCurrentLineNumber(x->p), NULL, "%s%.0s",
                  "%.0s%s", vi, en);
    x->stopped = true;
    XML_StopParser(x->p, XML_FALSE);
}

/* The element at relative depth rel below <question> (1 = its child). */
static const char *xml_rel(const struct xml *x, int rel)
{
    int d = x->qdepth + rel;
    return x->qdepth && d <= x->depth && d < XML_MAX_DEPTH ? x->path[d] : "";
}

static const char *xml_attr(const char **attr, const char *name)
{
    for (; attr[0]; attr += 2)
        if (!strcmp(attr[0], name))
            return attr[1];
    return NULL;
}

static char *xml_dup(struct xml *x, const char *s)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d)
        x->imp->oom = true;
    return d;
}

static void XMLCALL xml_start(void *ud, const char *name, const char **attr)
{
    struct xml *x = ud;
    if (++x->depth >= XML_MAX_DEPTH) {
        xml_stop(x, "XML lồng nhau quá sâu", "XML nested too deep");
        return;
    }
    snprintf(x->path[x->depth], sizeof x->path[0], "%s", name);
    x->n = 0;
    if (!x->qdepth) {
        if (!strcmp(name, "question")) {
            x->qdepth = x->depth;
            x->q.line = (int)XML_GetCurrentLineNumber(x->p);
            x->q.type = xml_dup(x, xml_attr(attr, "type"));
            x->q.difficulty = EXAM_MEDIUM;
            x->q.text_html = x->q.gf_html = true;
        }
        return;
    }
    int rel = x->depth - x->qdepth;
    const char *fmt = xml_attr(attr, "format");
    if (rel == 1 && !strcmp(name, "answer")) {
        if (x->q.n_ans < XML_MAX_ANSWERS) {
            struct xml_answer *a = &x->q.ans[x->q.n_ans];
            a->fraction = xml_dup(x, xml_attr(attr, "fraction"));
            a->html = fmt ? xml_fmt_is_html(fmt) : x->q.text_html;
            a->fb_html = a->html;
        }
        x->q.n_ans++;
    } else if (rel == 1 && !strcmp(name, "questiontext")) {
        x->q.text_html = xml_fmt_is_html(fmt);
    } else if (rel == 1 && !strcmp(name, "generalfeedback")) {
        x->q.gf_html = fmt ? xml_fmt_is_html(fmt) : x->q.text_html;
    } else if (rel == 2 && !strcmp(name, "feedback") && x->q.n_ans &&
               x->q.n_ans <= XML_MAX_ANSWERS) {
        struct xml_answer *a = &x->q.ans[x->q.n_ans - 1];
        a->fb_html = fmt ? xml_fmt_is_html(fmt) : a->html;
    }
}

static void XMLCALL xml_chars(void *ud, const char *s, int len)
{
    struct xml *x = ud;
    if (!x->qdepth || len <= 0)
        return;
    if (x->n + (size_t)len + 1 > x->cap) {
        size_t cap = x->cap ? x->cap : 1024;
        while (cap < x->n + (size_t)len + 1)
            cap *= 2;
        char *b = realloc(x->buf, cap);
        if (!b) {
            x->imp->oom = true;
            XML_StopParser(x->p, XML_FALSE);
            return;
        }
        x->buf = b, x->cap = cap;
    }
    memcpy(x->buf + x->n, s, (size_t)len);
    x->n += (size_t)len;
}

/* The collected text, trimmed, reduced from HTML when html. */
static char *xml_text(struct xml *x, bool html)
{
    const char *s = x->buf ? x->buf : "";
    char *t =
        html ? import_html_to_text(s, x->n) : imp_strndup_trim(x->imp, s, x->n);
    if (!t)
        x->imp->oom = true;
    return t;
}

/* Keep the collected text in *slot (the first one wins). */
static void xml_keep(struct xml *x, char **slot, bool html)
{
    if (!*slot)
        *slot = xml_text(x, html);
}

static void xml_end_text(struct xml *x, int rel)
{
    struct xml_q *q = &x->q;
    const char *p1 = xml_rel(x, 1), *p2 = xml_rel(x, 2);
    struct xml_answer *a =
        q->n_ans && q->n_ans <= XML_MAX_ANSWERS ? &q->ans[q->n_ans - 1] : NULL;
    if (rel == 2 && !strcmp(p1, "name")) {
        xml_keep(x, &q->name, false);
    } else if (rel == 2 && !strcmp(p1, "questiontext")) {
        xml_keep(x, &q->text, q->text_html);
    } else if (rel == 2 && !strcmp(p1, "generalfeedback")) {
        xml_keep(x, &q->gf, q->gf_html);
    } else if (rel == 2 && !strcmp(p1, "category")) {
        xml_keep(x, &q->category, false);
    } else if (rel == 2 && !strcmp(p1, "answer") && a) {
        xml_keep(x, &a->text, a->html);
    } else if (rel == 3 && !strcmp(p1, "answer") && !strcmp(p2, "feedback") &&
               a) {
        xml_keep(x, &a->feedback, a->fb_html);
    } else if (rel == 3 && !strcmp(p1, "tags") && !strcmp(p2, "tag")) {
        char *t = xml_text(x, false);
        int d = t ? imp_difficulty_parse(t) : -1;
        if (d >= 0)
            q->difficulty = d;
        free(t);
    }
}

static void xml_question(struct xml *x);

static void XMLCALL xml_end(void *ud, const char *name)
{
    struct xml *x = ud;
    int rel = x->depth - x->qdepth;
    if (x->qdepth && rel == 0) {
        xml_question(x);
        xml_q_free(&x->q);
        x->qdepth = 0;
    } else if (x->qdepth && !strcmp(name, "text")) {
        xml_end_text(x, rel);
    } else if (x->qdepth && rel == 1) {
        if (!strcmp(name, "single"))
            xml_keep(x, &x->q.single, false);
        else if (!strcmp(name, "shuffleanswers"))
            xml_keep(x, &x->q.shuffle, false);
        else if (!strcmp(name, "defaultgrade"))
            xml_keep(x, &x->q.grade, false);
    }
    x->depth--;
    x->n = 0;
}

/* Moodle's reading of a yes/no field: "false", "0" and "" are no. */
static bool xml_yes(const char *s)
{
    return s && *s && strcmp(s, "false") && strcmp(s, "0");
}

/* An answer's fraction (percent, default 0) on Moodle's grade list. */
static bool xml_fraction(struct xml *x, const struct xml_answer *a, int k,
                         int32_t *w)
{
    const char *f = a->fraction ? a->fraction : "0";
    int64_t units;
    if (!import_percent_parse(f, strlen(f), &units) &&
        !import_weight_snap(units, w))
        return true;
    imp_error(x->imp, x->q.line, x->q.text,
              "đáp án %d: fraction=\"%s\" không thuộc danh sách của Moodle "
              "(%s, có thể âm)",
              "answer %d: fraction=\"%s\" is not one of Moodle's grades (%s, "
              "or their negatives)",
              k + 1, f, import_weight_list);
    return false;
}

/* defaultgrade (default 1) rounded to whole points. */
static bool xml_points(struct xml *x, int *points)
{
    const char *g = x->q.grade ? x->q.grade : "1";
    int64_t units;
    if (!import_percent_parse(g, strlen(g), &units) && units >= 0 &&
        units < 100500000) {
        *points = (int)((units + 50000) / 100000);
        if (*points >= 1 && *points <= 100)
            return true;
    }
    imp_error(x->imp, x->q.line, x->q.text,
              "defaultgrade \"%s\" phải làm tròn được thành 1..100 điểm",
              "defaultgrade \"%s\" must round to 1..100 points", g);
    return false;
}

static void xml_multichoice(struct xml *x, struct bank_question *bq,
                            char **expl)
{
    bool ok = xml_points(x, &bq->points);
    bq->multi = !xml_yes(x->q.single ? x->q.single : "true");
    bq->shuffle = xml_yes(x->q.shuffle ? x->q.shuffle : "false");
    for (int k = 0; k < x->q.n_ans && k < EXAM_MAX_OPTIONS; k++) {
        const struct xml_answer *a = &x->q.ans[k];
        ok &= xml_fraction(x, a, k, &bq->weight[k]);
        bq->options[bq->n_options++] = xml_dup(x, a->text ? a->text : "");
        imp_expl_add(x->imp, expl, a->text, a->feedback);
    }
    if (ok) {
        bq->explanation = *expl, *expl = NULL;
        imp_commit(x->imp, bq, x->q.n_ans);
    }
}

static void xml_truefalse(struct xml *x, struct bank_question *bq, char **expl)
{
    const char *fb[2] = {NULL, NULL};
    int true_right = 0;
    if (!xml_points(x, &bq->points))
        return;
    if (x->q.n_ans != 2) {
        imp_error(x->imp, x->q.line, x->q.text,
                  "câu đúng/sai phải có đúng 2 đáp án, có %d",
                  "a true/false question must have 2 answers, it has %d",
                  x->q.n_ans);
        return;
    }
    for (int k = 0; k < 2; k++) {
        const struct xml_answer *a = &x->q.ans[k];
        const char *t = a->text ? a->text : "";
        /* Moodle: answers are named true and false; else the first is
         * taken as true. */
        bool is_true = !strcmp(t, "true") || (strcmp(t, "false") && k == 0);
        int32_t w = 0;
        if (!xml_fraction(x, a, k, &w))
            return;
        fb[is_true ? 0 : 1] = a->feedback;
        if (is_true)
            true_right = w == BANK_WEIGHT_FULL;
    }
    bq->options[0] = xml_dup(x, "Đúng");
    bq->options[1] = xml_dup(x, "Sai");
    bq->n_options = 2;
    bq->weight[true_right ? 0 : 1] = BANK_WEIGHT_FULL;
    imp_expl_add(x->imp, expl, "Đúng", fb[0]);
    imp_expl_add(x->imp, expl, "Sai", fb[1]);
    bq->explanation = *expl, *expl = NULL;
    imp_commit(x->imp, bq, 2);
}

static void xml_unsupported(struct xml *x, const char *type)
{
    static const char *const names[][3] = {
        {"essay", "tự luận", "essay"},
        {"match", "ghép đôi", "matching"},
        {"shortanswer", "trả lời ngắn", "short answer"},
        {"numerical", "số", "numerical"},
        {"description", "mô tả", "description"},
        {"multianswer", "điền khuyết (cloze)", "cloze"},
        {"calculated", "tính toán", "calculated"},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(type, names[i][0])) {
            imp_unsupported(x->imp, x->q.line, x->q.text, names[i][1],
                            names[i][2]);
            return;
        }
    imp_unsupported(x->imp, x->q.line, x->q.text, type, type);
}

static void xml_question(struct xml *x)
{
    const char *type = x->q.type ? x->q.type : "";
    if (!strcmp(type, "category")) {
        const char *c = x->q.category ? x->q.category : "";
        free(x->topic);
        x->topic = imp_category_topic(x->imp, c, strlen(c));
        return;
    }
    if (strcmp(type, "multichoice") && strcmp(type, "truefalse")) {
        xml_unsupported(x, *type ? type : "?");
        return;
    }
    char *expl = NULL;
    struct bank_question bq = {.line = x->q.line,
                               .difficulty = x->q.difficulty,
                               .points = 1,
                               .shuffle = true};
    imp_expl_add(x->imp, &expl, NULL, x->q.gf);
    bq.text = xml_dup(x, x->q.text ? x->q.text : "");
    bq.ext_id = xml_dup(x, x->q.name);
    bq.topic = xml_dup(x, x->topic);
    if (!strcmp(type, "multichoice"))
        xml_multichoice(x, &bq, &expl);
    else
        xml_truefalse(x, &bq, &expl);
    bank_question_fini(&bq); /* if not committed */
    free(expl);
}

static void XMLCALL xml_doctype(void *ud, const XML_Char *name,
                                const XML_Char *sysid, const XML_Char *pubid,
                                int has_internal_subset)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    xml_stop(ud,
             "tệp XML có khai báo DOCTYPE; tệp Moodle không cần và examd "
             "không nhận (an toàn)",
             "the XML file has a DOCTYPE declaration; Moodle files need none "
             "and examd refuses them (safety)");
}

static void XMLCALL xml_entity(void *ud, const XML_Char *name, int param,
                               const XML_Char *value, int value_len,
                               const XML_Char *base, const XML_Char *sysid,
                               const XML_Char *pubid, const XML_Char *notation)
{
    (void)name, (void)param, (void)value, (void)value_len, (void)base;
    (void)sysid, (void)pubid, (void)notation;
    xml_stop(ud, "tệp XML khai báo thực thể (entity); examd không nhận",
             "the XML file declares an entity; examd refuses them");
}

static int XMLCALL xml_external(XML_Parser p, const XML_Char *context,
                                const XML_Char *base, const XML_Char *sysid,
                                const XML_Char *pubid)
{
    (void)p, (void)context, (void)base, (void)sysid, (void)pubid;
    return XML_STATUS_ERROR; /* never fetch anything */
}

void import_xml_read(struct imp *imp, const char *text, size_t len)
{
    struct xml x = {.imp = imp};
    if (!(x.p = XML_ParserCreate("UTF-8"))) {
        imp->oom = true;
        return;
    }
    XML_SetUserData(x.p, &x);
    XML_SetElementHandler(x.p, xml_start, xml_end);
    XML_SetCharacterDataHandler(x.p, xml_chars);
    XML_SetStartDoctypeDeclHandler(x.p, xml_doctype);
    XML_SetEntityDeclHandler(x.p, xml_entity);
    XML_SetExternalEntityRefHandler(x.p, xml_external);
    XML_SetParamEntityParsing(x.p, XML_PARAM_ENTITY_PARSING_NEVER);
    enum XML_Status st = XML_STATUS_OK;
    size_t off = 0;
    do { /* expat takes int lengths: feed 16 MiB at a time */
        size_t n = len - off > (1u << 24) ? (1u << 24) : len - off;
        st = XML_Parse(x.p, text + off, (int)n, off + n == len);
        off += n;
    } while (st == XML_STATUS_OK && off < len);
    if (st == XML_STATUS_ERROR && !x.stopped && !imp->oom)
        imp_error(imp, (int)XML_GetCurrentLineNumber(x.p), NULL,
                  "XML không hợp lệ (%s)", "invalid XML (%s)",
                  XML_ErrorString(XML_GetErrorCode(x.p)));
    xml_q_free(&x.q);
    free(x.buf);
    free(x.topic);
    XML_ParserFree(x.p);
}
