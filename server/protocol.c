/*
 * protocol.c — decoding requests and encoding replies (see protocol.h).
 *
 * Hot path: "answer" in, "ack" out, tens of thousands a second. An answer
 * of the usual shape is read by a small scanner (proto_answer_decode)
 * without building a jansson tree: in an answer flood the tree's
 * allocations and frees were about a fifth of the service thread
 * (docs/performance.md). Anything it does not fully understand goes to
 * the general jansson decoder (proto_decode_tree), so both give the same
 * result for every input; tests/unit/test_protocol.c compares them. The
 * ack is formatted by hand for the same reason.
 */
#include "protocol.h"
#include "err.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *const proto_names[PROTO_TYPE_COUNT] = {
    [PROTO_HELLO] = "hello",
    [PROTO_START] = "start",
    [PROTO_ANSWER] = "answer",
    [PROTO_SUBMIT] = "submit",
    [PROTO_RESULT] = "result",
    [PROTO_PREDICT] = "predict",
    /* live rounds */
    [PROTO_LIVE_LOOKUP] = "live_lookup",
    [PROTO_LIVE_JOIN] = "live_join",
    [PROTO_LIVE_RESUME] = "live_resume",
    [PROTO_LIVE_ANSWER] = "live_answer",
    [PROTO_LIVE_WATCH] = "live_watch",
    /* the organiser's live monitor */
    [PROTO_MONITOR] = "monitor",
    [PROTO_UNMONITOR] = "unmonitor",
};

const char *proto_type_name(int type)
{
    return type >= 0 && type < PROTO_TYPE_COUNT ? proto_names[type] : "?";
}

static int proto_bad(char *field, size_t n, const char *name, int err)
{
    snprintf(field, n, "%s", name);
    return err;
}

/* A positive integer field; false if missing, wrong type or <= 0. */
static bool proto_pos_int(const json_t *o, const char *name, int64_t *out)
{
    json_t *v = json_object_get(o, name);
    if (!json_is_integer(v) || json_integer_value(v) <= 0)
        return false;
    *out = json_integer_value(v);
    return true;
}

/* choice: array of distinct option indexes 0..EXAM_MAX_OPTIONS-1. */
int proto_choice(const json_t *o, struct proto_msg *m, char *field, size_t fl)
{
    json_t *c = json_object_get(o, "choice");
    size_t i;
    json_t *v;
    if (!json_is_array(c))
        return proto_bad(field, fl, "choice", EXAMD_EBADMSG);
    json_array_foreach(c, i, v)
    {
        if (!json_is_integer(v))
            return proto_bad(field, fl, "choice", EXAMD_EBADMSG);
        json_int_t k = json_integer_value(v);
        if (k < 0 || k >= EXAM_MAX_OPTIONS || (m->choice & (1u << k)))
            return proto_bad(field, fl, "choice", EXAMD_EBADOPTION);
        m->choice |= (uint8_t)(1u << k);
        m->n_choice++;
    }
    return 0;
}

static int proto_fields(const json_t *o, struct proto_msg *m, char *field,
                        size_t fl)
{
    switch (m->type) {
    case PROTO_HELLO:
        if (json_object_get(o, "exam") && !proto_pos_int(o, "exam", &m->exam))
            return proto_bad(field, fl, "exam", EXAMD_EBADMSG);
        return 0;
    case PROTO_MONITOR:
        if (!proto_pos_int(o, "exam", &m->exam))
            return proto_bad(field, fl, "exam", EXAMD_EBADMSG);
        return 0;
    case PROTO_UNMONITOR:
        return 0;
    case PROTO_START:
        if (!proto_pos_int(o, "exam", &m->exam))
            return proto_bad(field, fl, "exam", EXAMD_EBADMSG);
        if (json_object_get(o, "attempt") &&
            !proto_pos_int(o, "attempt", &m->attempt))
            return proto_bad(field, fl, "attempt", EXAMD_EBADMSG);
        return 0;
    case PROTO_ANSWER: {
        json_t *flag = json_object_get(o, "flag");
        json_t *seq = json_object_get(o, "seq");
        if (!proto_pos_int(o, "attempt", &m->attempt))
            return proto_bad(field, fl, "attempt", EXAMD_EBADMSG);
        if (!proto_pos_int(o, "q", &m->q))
            return proto_bad(field, fl, "q", EXAMD_EBADMSG);
        if (!json_is_integer(seq))
            return proto_bad(field, fl, "seq", EXAMD_EBADMSG);
        if (!proto_pos_int(o, "seq", &m->seq))
            return proto_bad(field, fl, "seq", EXAMD_EBADSEQ);
        if (flag && !json_is_boolean(flag))
            return proto_bad(field, fl, "flag", EXAMD_EBADMSG);
        m->flag = json_is_true(flag);
        return proto_choice(o, m, field, fl);
    }
    case PROTO_PREDICT: {
        json_t *v = json_object_get(o, "prediction");
        if (!proto_pos_int(o, "attempt", &m->attempt))
            return proto_bad(field, fl, "attempt", EXAMD_EBADMSG);
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) > 1000000000)
            return proto_bad(field, fl, "prediction", EXAMD_EBADMSG);
        m->prediction = json_integer_value(v);
        return 0;
    }
    case PROTO_LIVE_LOOKUP:
    case PROTO_LIVE_JOIN:
    case PROTO_LIVE_RESUME:
    case PROTO_LIVE_ANSWER:
    case PROTO_LIVE_WATCH:
        return proto_live_fields(o, m, field, fl);
    default: /* submit, result */
        if (!proto_pos_int(o, "attempt", &m->attempt))
            return proto_bad(field, fl, "attempt", EXAMD_EBADMSG);
        return 0;
    }
}

int proto_decode_tree(const char *buf, size_t len, struct proto_msg *m,
                      char *field, size_t fl)
{
    memset(m, 0, sizeof *m);
    snprintf(m->id, sizeof m->id, "null");
    field[0] = 0;
    json_t *o = json_loadb(buf, len, JSON_REJECT_DUPLICATES, NULL);
    int rc = 0;
    if (!json_is_object(o)) {
        json_decref(o);
        return EXAMD_EBADJSON;
    }
    json_t *id = json_object_get(o, "id");
    if (json_is_integer(id) ||
        (json_is_string(id) && json_string_length(id) <= PROTO_ID_STR_MAX)) {
        char *t = json_dumps(id, JSON_ENCODE_ANY);
        if (t && strlen(t) < sizeof m->id)
            snprintf(m->id, sizeof m->id, "%s", t);
        else
            rc = proto_bad(field, fl, "id", EXAMD_EBADMSG);
        free(t);
    } else {
        rc = proto_bad(field, fl, "id", EXAMD_EBADMSG);
    }
    const char *type = json_string_value(json_object_get(o, "type"));
    if (!rc && !type)
        rc = proto_bad(field, fl, "type", EXAMD_EBADMSG);
    if (!rc) {
        m->type = -1;
        for (int i = 0; i < PROTO_TYPE_COUNT; i++)
            if (!strcmp(type, proto_names[i]))
                m->type = i;
        if (m->type < 0)
            rc = proto_bad(field, fl, "type", EXAMD_EUNKNOWN);
    }
    if (!rc)
        rc = proto_fields(o, m, field, fl);
    json_decref(o);
    return rc;
}

/* ---- the fixed-shape answer, without a tree ---- */

/*
 * The scanner accepts a subset of JSON: one object whose keys are the
 * answer's own (type, id, attempt, q, seq, flag, choice), each once, as
 * plain lower-case strings; type the string "answer"; id an integer or a
 * string of printable ASCII without escapes, at most PROTO_ID_STR_MAX
 * bytes; attempt, q and seq integers of at most 18 digits (no fraction,
 * no exponent); flag true or false; choice an array of at most
 * PROTO_FAST_CHOICE_MAX such integers. Whatever else (other keys or
 * types, escapes, non-ASCII, null, duplicates, a missing field, bad
 * syntax) is PROTO_UNSURE: the tree decoder answers it. Inside the
 * subset, the checks below are those of proto_fields, in its order.
 */
#define PROTO_FAST_CHOICE_MAX 16

enum proto_fast_key {
    PF_TYPE,
    PF_ID,
    PF_ATTEMPT,
    PF_Q,
    PF_SEQ,
    PF_FLAG,
    PF_CHOICE,
    PF_COUNT
};

static const char *const proto_fast_keys[PF_COUNT] = {
    [PF_TYPE] = "type",     [PF_ID] = "id",   [PF_ATTEMPT] = "attempt",
    [PF_Q] = "q",           [PF_SEQ] = "seq", [PF_FLAG] = "flag",
    [PF_CHOICE] = "choice",
};

struct proto_scan {
    const char *p, *end;
};

static void proto_scan_ws(struct proto_scan *s)
{
    while (s->p < s->end &&
           (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

/* Skip whitespace, then take c if it is next. */
static bool proto_scan_char(struct proto_scan *s, char c)
{
    proto_scan_ws(s);
    if (s->p < s->end && *s->p == c) {
        s->p++;
        return true;
    }
    return false;
}

/* A string of printable ASCII without escapes, after its opening quote;
 * *out and *n span its content. */
static bool proto_scan_plain_string(struct proto_scan *s, const char **out,
                                    size_t *n)
{
    const char *q = s->p;
    while (q < s->end && *q != '"') {
        if (*q < 0x20 || *q > 0x7e || *q == '\\')
            return false;
        q++;
    }
    if (q == s->end)
        return false;
    *out = s->p;
    *n = (size_t)(q - s->p);
    s->p = q + 1;
    return true;
}

/* An integer of at most 18 digits, exactly as JSON writes one. */
static bool proto_scan_int(struct proto_scan *s, int64_t *out)
{
    bool neg = false;
    int digits = 0;
    int64_t v = 0;
    proto_scan_ws(s);
    if (s->p < s->end && *s->p == '-') {
        neg = true;
        s->p++;
    }
    if (s->p < s->end && *s->p == '0' && s->p + 1 < s->end && s->p[1] >= '0' &&
        s->p[1] <= '9')
        return false; /* a leading zero: not JSON */
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
        if (++digits > 18)
            return false;
        v = v * 10 + (*s->p++ - '0');
    }
    if (!digits ||
        (s->p < s->end && (*s->p == '.' || *s->p == 'e' || *s->p == 'E')))
        return false;
    *out = neg ? -v : v;
    return true;
}

static bool proto_scan_literal(struct proto_scan *s, const char *lit)
{
    size_t n = strlen(lit);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, lit, n))
        return false;
    s->p += n;
    return true;
}

struct proto_fast {
    unsigned seen; /* 1 << enum proto_fast_key */
    const char *id_str;
    size_t id_len; /* id_str: a string id's content */
    int64_t id_int, attempt, q, seq;
    bool flag;
    int n_choice;
    int64_t choice[PROTO_FAST_CHOICE_MAX];
};

static bool proto_scan_choice(struct proto_scan *s, struct proto_fast *f)
{
    if (!proto_scan_char(s, '['))
        return false;
    if (proto_scan_char(s, ']'))
        return true;
    do {
        if (f->n_choice == PROTO_FAST_CHOICE_MAX ||
            !proto_scan_int(s, &f->choice[f->n_choice++]))
            return false;
    } while (proto_scan_char(s, ','));
    return proto_scan_char(s, ']');
}

static bool proto_scan_value(struct proto_scan *s, int key,
                             struct proto_fast *f)
{
    const char *t;
    size_t n;
    switch (key) {
    case PF_TYPE:
        return proto_scan_char(s, '"') && proto_scan_plain_string(s, &t, &n) &&
               n == 6 && !memcmp(t, "answer", 6);
    case PF_ID:
        proto_scan_ws(s);
        if (s->p < s->end && *s->p == '"') {
            s->p++;
            f->id_str = ""; /* a string id, even an empty one */
            return proto_scan_plain_string(s, &f->id_str, &f->id_len) &&
                   f->id_len <= PROTO_ID_STR_MAX;
        }
        return proto_scan_int(s, &f->id_int);
    case PF_ATTEMPT:
        return proto_scan_int(s, &f->attempt);
    case PF_Q:
        return proto_scan_int(s, &f->q);
    case PF_SEQ:
        return proto_scan_int(s, &f->seq);
    case PF_FLAG:
        proto_scan_ws(s);
        f->flag = s->p < s->end && *s->p == 't';
        return proto_scan_literal(s, f->flag ? "true" : "false");
    default:
        return proto_scan_choice(s, f);
    }
}

/* One key (a known one, not seen before) and its value. */
static bool proto_scan_member(struct proto_scan *s, struct proto_fast *f)
{
    const char *k;
    size_t n;
    int key = -1;
    if (!proto_scan_char(s, '"') || !proto_scan_plain_string(s, &k, &n))
        return false;
    for (int i = 0; i < PF_COUNT && key < 0; i++)
        if (strlen(proto_fast_keys[i]) == n &&
            !memcmp(k, proto_fast_keys[i], n))
            key = i;
    if (key < 0 || (f->seen & (1u << key)) || !proto_scan_char(s, ':'))
        return false;
    f->seen |= 1u << key;
    return proto_scan_value(s, key, f);
}

static bool proto_scan_answer(const char *buf, size_t len, struct proto_fast *f)
{
    struct proto_scan s = {buf, buf + len};
    if (!proto_scan_char(&s, '{'))
        return false;
    do {
        if (!proto_scan_member(&s, f))
            return false;
    } while (proto_scan_char(&s, ','));
    if (!proto_scan_char(&s, '}'))
        return false;
    proto_scan_ws(&s);
    return s.p == s.end && (f->seen | (1u << PF_FLAG)) == (1u << PF_COUNT) - 1;
}

int proto_answer_decode(const char *buf, size_t len, struct proto_msg *m,
                        char *field, size_t fl)
{
    struct proto_fast f;
    memset(&f, 0, sizeof f);
    if (!proto_scan_answer(buf, len, &f))
        return PROTO_UNSURE;
    memset(m, 0, sizeof *m);
    field[0] = 0;
    if (f.id_str) {
        m->id[0] = '"';
        memcpy(m->id + 1, f.id_str, f.id_len);
        m->id[f.id_len + 1] = '"';
        m->id[f.id_len + 2] = 0;
    } else {
        snprintf(m->id, sizeof m->id, "%lld", (long long)f.id_int);
    }
    m->type = PROTO_ANSWER;
    if (f.attempt <= 0)
        return proto_bad(field, fl, "attempt", EXAMD_EBADMSG);
    if (f.q <= 0)
        return proto_bad(field, fl, "q", EXAMD_EBADMSG);
    if (f.seq <= 0)
        return proto_bad(field, fl, "seq", EXAMD_EBADSEQ);
    m->attempt = f.attempt;
    m->q = f.q;
    m->seq = f.seq;
    m->flag = f.flag;
    for (int i = 0; i < f.n_choice; i++) {
        int64_t k = f.choice[i];
        if (k < 0 || k >= EXAM_MAX_OPTIONS || (m->choice & (1u << k)))
            return proto_bad(field, fl, "choice", EXAMD_EBADOPTION);
        m->choice |= (uint8_t)(1u << k);
        m->n_choice++;
    }
    return 0;
}

int proto_decode(const char *buf, size_t len, struct proto_msg *m, char *field,
                 size_t fl)
{
    int rc = proto_answer_decode(buf, len, m, field, fl);
    return rc == PROTO_UNSURE ? proto_decode_tree(buf, len, m, field, fl) : rc;
}

/* ---- encoding ---- */

/* Decimal digits of v at p; returns the end. */
static char *proto_put_int(char *p, int64_t v)
{
    char t[24];
    int n = 0;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    if (v < 0)
        *p++ = '-';
    do {
        t[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n)
        *p++ = t[--n];
    return p;
}

static char *proto_put(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

static int proto_fit(int len, size_t n)
{
    return len < 0 || (size_t)len >= n ? -1 : len;
}

int proto_ack(char *buf, size_t n, const char *id, int64_t attempt, int64_t seq)
{
    static const char head[] = "{\"type\":\"ack\",\"id\":";
    static const char mid[] = ",\"attempt\":";
    static const char tail[] = ",\"seq\":";
    size_t idn = strlen(id);
    /* the fixed text, two integers of at most 20 characters, "}", NUL */
    if (sizeof head + sizeof mid + sizeof tail + idn + 2 * 20 + 2 > n)
        return -1;
    char *p = proto_put(buf, head, sizeof head - 1);
    p = proto_put(p, id, idn);
    p = proto_put(p, mid, sizeof mid - 1);
    p = proto_put_int(p, attempt);
    p = proto_put(p, tail, sizeof tail - 1);
    p = proto_put_int(p, seq);
    *p++ = '}';
    *p = 0;
    return (int)(p - buf);
}

int proto_error(char *buf, size_t n, const char *id, int err, const char *field)
{
    /* err_text and field names are ASCII/UTF-8 without quotes or
     * backslashes, so they need no escaping. */
    return proto_fit(snprintf(buf, n,
                              "{\"type\":\"error\",\"id\":%s,\"code\":\"%s\","
                              "\"message\":\"%s%s%s\"%s%s%s}",
                              id ? id : "null", err_code(err), err_text(err),
                              field && *field ? ": " : "", field ? field : "",
                              field && *field ? ",\"field\":\"" : "",
                              field ? field : "", field && *field ? "\"" : ""),
                     n);
}

int proto_time(char *buf, size_t n, int64_t attempt, int64_t left_ms)
{
    return proto_fit(snprintf(buf, n,
                              "{\"type\":\"time\",\"attempt\":%lld,"
                              "\"left_ms\":%lld}",
                              (long long)attempt, (long long)left_ms),
                     n);
}

int proto_reopened(char *buf, size_t n, int64_t attempt, int64_t exam,
                   int64_t left_ms)
{
    return proto_fit(snprintf(buf, n,
                              "{\"type\":\"reopened\",\"attempt\":%lld,"
                              "\"exam\":%lld,\"left_ms\":%lld}",
                              (long long)attempt, (long long)exam,
                              (long long)left_ms),
                     n);
}

int proto_taken_over(char *buf, size_t n, int64_t attempt)
{
    return proto_fit(snprintf(buf, n,
                              "{\"type\":\"taken_over\",\"attempt\":%lld}",
                              (long long)attempt),
                     n);
}

int proto_predicted(char *buf, size_t n, const char *id, int64_t attempt,
                    int64_t prediction)
{
    return proto_fit(snprintf(buf, n,
                              "{\"type\":\"predicted\",\"id\":%s,"
                              "\"attempt\":%lld,\"prediction\":%lld}",
                              id, (long long)attempt, (long long)prediction),
                     n);
}

/* Dump o with the request id spliced in as raw JSON, then free o. */
static char *proto_dump(json_t *o, const char *id)
{
    if (!o)
        return NULL;
    if (id) {
        json_t *jid = json_loads(id, JSON_DECODE_ANY, NULL);
        json_object_set_new(o, "id", jid ? jid : json_null());
    }
    /* Scores have two decimals: print 8.35, not 8.3499999999999996. */
    char *t = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(o);
    return t;
}

static json_t *proto_user_json(const struct proto_user *u)
{
    return json_pack("{sI ss ss ss}", "id", (json_int_t)u->id, "username",
                     u->username, "name", u->name, "role", u->role);
}

char *proto_user_encode(const struct proto_user *u)
{
    return proto_dump(json_pack("{sb so}", "ok", 1, "user", proto_user_json(u)),
                      NULL);
}

static json_t *proto_exam_item_json(const struct proto_exam_item *it)
{
    const struct exam *e = it->e;
    json_t *running =
        it->running ? json_pack("{sI sI}", "attempt", (json_int_t)it->running,
                                "left_ms", (json_int_t)it->left_ms)
                    : json_null();
    json_t *last =
        it->last ? json_pack("{sI sf si si}", "attempt", (json_int_t)it->last,
                             "score", it->last_score_centi / 100.0, "correct",
                             it->last_correct, "total", it->last_total)
                 : json_null();
    json_t *o = json_pack(
        "{sI ss ss si sI si si ss sb sb so so}", "id", (json_int_t)e->id,
        "title", e->title, "description", e->description, "questions",
        e->n_paper, "duration_s", (json_int_t)(e->duration_ms / 1000),
        "attempts_allowed", e->attempts_allowed, "attempts_used", it->used,
        "review", exam_review_name(e->review), "open", it->open, "restricted",
        it->restricted, "running", running, "last_result", last);
    if (o && e->contest_id) /* a contest round (docs/contests.md) */
        json_object_set_new(o, "round",
                            json_pack("{sI si sb sI sI}", "contest",
                                      (json_int_t)e->contest_id, "round_no",
                                      e->round_no, "prediction", e->prediction,
                                      "opens_ms", (json_int_t)e->opens_ms,
                                      "closes_ms", (json_int_t)e->closes_ms));
    return o;
}

char *proto_hello_encode(const char *id, const struct proto_user *u,
                         const struct proto_exam_item *items, int n)
{
    json_t *exams = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(exams, proto_exam_item_json(&items[i]));
    return proto_dump(json_pack("{ss so so}", "type", "hello", "user",
                                proto_user_json(u), "exams", exams),
                      id);
}

/*
 * The big frames (paper, result) are assembled by copying: each question's
 * text and options were JSON-encoded once when the exam was loaded
 * (exam_question.json_text/json_options), so a paper is a few memcpy()s.
 * A join or deadline storm sends 19,900 of them at once.
 */
struct proto_sb {
    char *p;
    size_t n, cap;
    bool bad; /* a malloc failed: the result is NULL */
};

static void proto_sb_put(struct proto_sb *b, const char *s, size_t n)
{
    if (b->bad)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np) {
            b->bad = true;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void proto_sb_str(struct proto_sb *b, const char *s)
{
    proto_sb_put(b, s, strlen(s));
}

static void proto_sb_int(struct proto_sb *b, const char *key, int64_t v)
{
    char t[64];
    int n = snprintf(t, sizeof t, ",\"%s\":%lld", key, (long long)v);
    proto_sb_put(b, t, (size_t)n);
}

/* ,"key":[i,j] for the bits set. */
static void proto_sb_bits(struct proto_sb *b, const char *key, uint8_t bits)
{
    char t[64];
    int n = snprintf(t, sizeof t, ",\"%s\":[", key);
    for (int k = 0; k < EXAM_MAX_OPTIONS; k++)
        if (bits & (1u << k))
            n += snprintf(t + n, sizeof t - (size_t)n, "%s%d",
                          t[n - 1] == '[' ? "" : ",", k);
    t[n++] = ']';
    proto_sb_put(b, t, (size_t)n);
}

static char *proto_sb_take(struct proto_sb *b)
{
    if (b->bad) {
        free(b->p);
        return NULL;
    }
    return b->p;
}

/* Opening of a question as the candidate sees it, without the closing
 * brace: {"q":..,"text":..,"multi":..,"options":[..] in their order. */
static void proto_sb_question(struct proto_sb *b, const struct exam *e,
                              const struct paper_item *it)
{
    const struct exam_question *q = &e->pool[it->qi];
    char t[48];
    int n = snprintf(t, sizeof t, "{\"q\":%lld,\"text\":", (long long)q->id);
    proto_sb_put(b, t, (size_t)n);
    proto_sb_str(b, q->json_text);
    proto_sb_str(b, q->multi ? ",\"multi\":true,\"options\":["
                             : ",\"multi\":false,\"options\":[");
    for (int k = 0; k < q->n_options; k++) {
        if (k)
            proto_sb_put(b, ",", 1);
        proto_sb_str(b, q->json_options[it->perm[k]]);
    }
    proto_sb_put(b, "]", 1);
}

/* "type" first, then the request id when there is one. */
static void proto_sb_head(struct proto_sb *b, const char *type, const char *id)
{
    proto_sb_str(b, "{\"type\":\"");
    proto_sb_str(b, type);
    proto_sb_put(b, "\"", 1);
    if (id) {
        proto_sb_str(b, ",\"id\":");
        proto_sb_str(b, id);
    }
}

static void proto_sb_literal(struct proto_sb *b, const char *s)
{
    json_t *j = json_string(s);
    char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    if (t)
        proto_sb_str(b, t);
    else
        b->bad = true;
    free(t);
    json_decref(j);
}

char *proto_paper_encode(const struct proto_paper *pp)
{
    const struct exam *e = pp->e;
    struct proto_sb b = {0};
    proto_sb_head(&b, "paper", pp->id);
    proto_sb_int(&b, "attempt", pp->attempt);
    proto_sb_str(&b, pp->resumed ? ",\"resumed\":true" : ",\"resumed\":false");
    char t[48];
    int n = snprintf(t, sizeof t,
                     ",\"exam\":{\"id\":%lld,\"title\":", (long long)e->id);
    proto_sb_put(&b, t, (size_t)n);
    proto_sb_literal(&b, e->title);
    proto_sb_put(&b, "}", 1);
    proto_sb_int(&b, "duration_ms", e->duration_ms);
    proto_sb_int(&b, "left_ms", pp->left_ms);
    proto_sb_int(&b, "last_seq", pp->last_seq);
    if (e->contest_id && e->prediction) { /* the round's prediction */
        proto_sb_str(&b, ",\"prediction\":{\"asked\":true,\"value\":");
        n = pp->has_prediction
                ? snprintf(t, sizeof t, "%lld}", (long long)pp->prediction)
                : snprintf(t, sizeof t, "null}");
        proto_sb_put(&b, t, (size_t)n);
    }
    proto_sb_str(&b, ",\"questions\":[");
    for (int i = 0; i < e->n_paper; i++) {
        if (i)
            proto_sb_put(&b, ",", 1);
        proto_sb_question(&b, e, &pp->p[i]);
        proto_sb_put(&b, "}", 1);
    }
    proto_sb_str(&b, "],\"answers\":[");
    bool first = true;
    for (int i = 0; pp->has && i < e->n_paper; i++) {
        const struct paper_item *it = &pp->p[i];
        if (!pp->has[i])
            continue;
        n = snprintf(t, sizeof t, "%s{\"q\":%lld", first ? "" : ",",
                     (long long)e->pool[it->qi].id);
        proto_sb_put(&b, t, (size_t)n);
        proto_sb_bits(&b, "choice", paper_choice_to_display(it, pp->choice[i]));
        proto_sb_str(&b, pp->flag[i] ? ",\"flag\":true}" : ",\"flag\":false}");
        first = false;
    }
    proto_sb_str(&b, "]}");
    return proto_sb_take(&b);
}

/* The per-question review under the exam's policy (after "review":). */
static void proto_sb_review(struct proto_sb *b, const struct proto_result *r)
{
    const struct exam *e = r->e;
    int review = r->round_review ? r->review : e->review;
    if (review == EXAM_REVIEW_NONE) {
        proto_sb_str(b, "null");
        return;
    }
    proto_sb_put(b, "[", 1);
    for (int i = 0; i < e->n_paper; i++) {
        const struct paper_item *it = &r->p[i];
        const struct exam_question *q = &e->pool[it->qi];
        if (i)
            proto_sb_put(b, ",", 1);
        proto_sb_question(b, e, it);
        proto_sb_bits(b, "choice", paper_choice_to_display(it, r->choice[i]));
        proto_sb_str(b, grade_is_right(q, r->choice[i]) ? ",\"right\":true"
                                                        : ",\"right\":false");
        if (review == EXAM_REVIEW_FULL)
            proto_sb_bits(b, "key", paper_choice_to_display(it, q->key));
        proto_sb_put(b, "}", 1);
    }
    proto_sb_put(b, "]", 1);
}

char *proto_result_encode(const struct proto_result *r)
{
    struct proto_sb b = {0};
    char t[64];
    proto_sb_head(&b, "result", r->id);
    proto_sb_int(&b, "attempt", r->attempt);
    proto_sb_int(&b, "exam", r->e->id);
    proto_sb_str(&b, ",\"reason\":");
    proto_sb_literal(&b, r->reason);
    int n = snprintf(t, sizeof t, ",\"score\":%d.%02d", r->g->score_centi / 100,
                     r->g->score_centi % 100);
    proto_sb_put(&b, t, (size_t)n);
    proto_sb_int(&b, "correct", r->g->correct);
    proto_sb_int(&b, "total", r->g->total);
    proto_sb_int(&b, "submitted_ms", r->submitted_ms);
    proto_sb_str(&b, ",\"review\":");
    proto_sb_review(&b, r);
    proto_sb_put(&b, "}", 1);
    return proto_sb_take(&b);
}

/* ---- the organiser's live monitor ---- */

static json_t *proto_monitor_row_json(const struct proto_monitor_row *r,
                                      bool unit)
{
    json_t *o = json_pack(
        "{sI sI sI sI}", "connected", (json_int_t)r->connected, "started",
        (json_int_t)r->started, "submitted", (json_int_t)r->submitted,
        "answers_min", (json_int_t)r->answers_min);
    if (o && unit)
        json_object_set_new(o, "unit", json_integer(r->unit));
    return o;
}

char *proto_monitor_encode(const struct proto_monitor *pm)
{
    json_t *units = json_array();
    for (int i = 0; units && i < pm->n_units; i++)
        json_array_append_new(units,
                              proto_monitor_row_json(&pm->units[i], true));
    return proto_dump(
        json_pack("{ss sI sI so so}", "type", "monitor", "exam",
                  (json_int_t)pm->exam, "at_ms", (json_int_t)pm->at_ms, "total",
                  proto_monitor_row_json(&pm->total, false), "units", units),
        pm->id);
}
