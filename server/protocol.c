/*
 * protocol.c — decoding requests and encoding replies (see protocol.h).
 *
 * Hot path: "answer" in, "ack" out, tens of thousands a second. Decoding
 * uses jansson (a frame is ~100 bytes); the ack is formatted with snprintf.
 */
#include "protocol.h"
#include "err.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *const proto_names[PROTO_TYPE_COUNT] = {
    [PROTO_HELLO] = "hello",   [PROTO_START] = "start",
    [PROTO_ANSWER] = "answer", [PROTO_SUBMIT] = "submit",
    [PROTO_RESULT] = "result",
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
static int proto_choice(const json_t *o, struct proto_msg *m, char *field,
                        size_t fl)
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
    default: /* submit, result */
        if (!proto_pos_int(o, "attempt", &m->attempt))
            return proto_bad(field, fl, "attempt", EXAMD_EBADMSG);
        return 0;
    }
}

int proto_decode(const char *buf, size_t len, struct proto_msg *m, char *field,
                 size_t fl)
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

static int proto_fit(int len, size_t n)
{
    return len < 0 || (size_t)len >= n ? -1 : len;
}

int proto_ack(char *buf, size_t n, const char *id, int64_t attempt, int64_t seq)
{
    return proto_fit(snprintf(buf, n,
                              "{\"type\":\"ack\",\"id\":%s,\"attempt\":%lld,"
                              "\"seq\":%lld}",
                              id, (long long)attempt, (long long)seq),
                     n);
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
    return json_pack("{sI ss ss si sI si si ss sb so so}", "id",
                     (json_int_t)e->id, "title", e->title, "description",
                     e->description, "questions", e->n_paper, "duration_s",
                     (json_int_t)(e->duration_ms / 1000), "attempts_allowed",
                     e->attempts_allowed, "attempts_used", it->used, "review",
                     exam_review_name(e->review), "open", it->open, "running",
                     running, "last_result", last);
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

/* Indexes set in a bitmask, as a JSON array. */
static json_t *proto_bits(uint8_t bits)
{
    json_t *a = json_array();
    for (int k = 0; k < EXAM_MAX_OPTIONS; k++)
        if (bits & (1u << k))
            json_array_append_new(a, json_integer(k));
    return a;
}

/* The question as the candidate sees it: no key, options in their order. */
static json_t *proto_question_json(const struct exam *e,
                                   const struct paper_item *it)
{
    const struct exam_question *q = &e->pool[it->qi];
    json_t *opts = json_array();
    for (int k = 0; k < q->n_options; k++)
        json_array_append_new(opts, json_string(q->options[it->perm[k]]));
    return json_pack("{sI ss sb so}", "q", (json_int_t)q->id, "text", q->text,
                     "multi", q->multi, "options", opts);
}

char *proto_paper_encode(const struct proto_paper *pp)
{
    const struct exam *e = pp->e;
    json_t *qs = json_array(), *ans = json_array();
    for (int i = 0; i < e->n_paper; i++) {
        const struct paper_item *it = &pp->p[i];
        json_array_append_new(qs, proto_question_json(e, it));
        if (!pp->has || !pp->has[i])
            continue;
        json_array_append_new(
            ans,
            json_pack("{sI so sb}", "q", (json_int_t)e->pool[it->qi].id,
                      "choice",
                      proto_bits(paper_choice_to_display(it, pp->choice[i])),
                      "flag", pp->flag[i]));
    }
    return proto_dump(
        json_pack("{ss sI sb s{sI ss} sI sI sI so so}", "type", "paper",
                  "attempt", (json_int_t)pp->attempt, "resumed", pp->resumed,
                  "exam", "id", (json_int_t)e->id, "title", e->title,
                  "duration_ms", (json_int_t)e->duration_ms, "left_ms",
                  (json_int_t)pp->left_ms, "last_seq", (json_int_t)pp->last_seq,
                  "questions", qs, "answers", ans),
        pp->id);
}

static json_t *proto_review_json(const struct proto_result *r)
{
    const struct exam *e = r->e;
    if (e->review == EXAM_REVIEW_NONE)
        return json_null();
    json_t *rev = json_array();
    for (int i = 0; i < e->n_paper; i++) {
        const struct paper_item *it = &r->p[i];
        const struct exam_question *q = &e->pool[it->qi];
        json_t *o = proto_question_json(e, it);
        json_object_set_new(
            o, "choice", proto_bits(paper_choice_to_display(it, r->choice[i])));
        json_object_set_new(o, "right",
                            json_boolean(grade_is_right(q, r->choice[i])));
        if (e->review == EXAM_REVIEW_FULL)
            json_object_set_new(
                o, "key", proto_bits(paper_choice_to_display(it, q->key)));
        json_array_append_new(rev, o);
    }
    return rev;
}

char *proto_result_encode(const struct proto_result *r)
{
    return proto_dump(json_pack("{ss sI sI ss sf si si sI so}", "type",
                                "result", "attempt", (json_int_t)r->attempt,
                                "exam", (json_int_t)r->e->id, "reason",
                                r->reason, "score", r->g->score_centi / 100.0,
                                "correct", r->g->correct, "total", r->g->total,
                                "submitted_ms", (json_int_t)r->submitted_ms,
                                "review", proto_review_json(r)),
                      r->id);
}
