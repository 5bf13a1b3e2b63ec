/*
 * api_review.c — the per-candidate review of one attempt for its exam's
 * trainer (see api_scores.h, docs/scores.md): the paper rebuilt from the
 * seed (the candidate's question order and option order), per question
 * the options as shown, the final choice, the key and the mark earned;
 * every change from the append-only answers table with its server time;
 * connections, disconnections and re-openings from attempt_events.
 *
 * Choices are given as 0-based indexes into the options AS SHOWN to the
 * candidate (display order). One attempt: read on the service thread.
 */
#include "api.h"
#include "api_access.h"
#include "api_scores.h"
#include "api_staff.h"
#include "err.h"
#include "grade.h"
#include "grading.h"
#include "store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A display-order bitmask as an array of indexes. */
static json_t *review_choice(uint8_t display)
{
    json_t *a = json_array();
    for (int k = 0; a && k < EXAM_MAX_OPTIONS; k++)
        if (display & (1u << k))
            json_array_append_new(a, json_integer(k));
    return a;
}

struct review_ctx {
    const struct exam *e;
    const struct paper_item *p;
    json_t *history, *events;
    bool failed;
};

static void review_answer(void *arg, const struct store_answer_row *r)
{
    struct review_ctx *x = arg;
    int i = paper_find(x->e, x->p, r->question_id);
    json_t *o =
        i < 0
            ? NULL
            : json_pack(
                  "{sI si sI so sb sI}", "seq", (json_int_t)r->seq, "q", i + 1,
                  "question_id", (json_int_t)r->question_id, "choice",
                  review_choice(paper_choice_to_display(&x->p[i], r->choice)),
                  "flagged", r->flagged, "server_ms", (json_int_t)r->server_ms);
    if (i >= 0 && json_array_append_new(x->history, o))
        x->failed = true;
}

static void review_event(void *arg, const struct store_event_row *r)
{
    struct review_ctx *x = arg;
    if (json_array_append_new(
            x->events, json_pack("{ss sI ss ss}", "kind", r->kind, "server_ms",
                                 (json_int_t)r->server_ms, "detail", r->detail,
                                 "actor", r->actor)))
        x->failed = true;
}

/* The questions as the candidate saw them, with choice, key and mark. */
static json_t *review_questions(const struct exam *e,
                                const struct paper_item *p,
                                const uint8_t *choice, const bool *flag,
                                const bool *has)
{
    json_t *a = json_array();
    for (int i = 0; a && i < e->n_paper; i++) {
        const struct exam_question *q = &e->pool[p[i].qi];
        json_t *opts = json_array();
        for (int k = 0; opts && k < q->n_options; k++)
            json_array_append_new(opts, json_string(q->options[p[i].perm[k]]));
        int32_t share = grade_question(e, q, choice[i]);
        json_t *o = json_pack(
            "{si sI ss ss sb si so so so sb sb sb sf}", "index", i + 1, "id",
            (json_int_t)q->id, "text", q->text, "topic", q->topic, "multi",
            q->multi, "points", q->points, "options", opts, "choice",
            review_choice(paper_choice_to_display(&p[i], choice[i])), "key",
            review_choice(paper_choice_to_display(&p[i], q->key)), "answered",
            has[i] && choice[i] != 0, "flagged", flag[i], "right",
            grade_is_right(q, choice[i]), "earned",
            (double)q->points * share / EXAM_WEIGHT_FULL);
        if (json_array_append_new(a, o)) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* The attempt's header: who, when, the score under the exam's rules. */
static json_t *review_attempt(const struct store_attempt *sa,
                              const struct store_user *u,
                              const struct grading *g, const struct grade *gr)
{
    json_t *o = json_pack(
        "{sI sI si s{sI ss ss} ss sI sI}", "id", (json_int_t)sa->id, "exam",
        (json_int_t)sa->exam_id, "n", sa->n, "user", "id", (json_int_t)u->id,
        "login", u->username, "name", u->name, "state",
        sa->running ? "running" : "submitted", "started_ms",
        (json_int_t)sa->started_ms, "deadline_ms", (json_int_t)sa->deadline_ms);
    if (!o || sa->running)
        return o;
    int rounded =
        grading_round_points(g, sa->score_centi, gr->earned, gr->possible);
    const struct grading_band *b = &g->bands[grading_band(g, rounded)];
    json_t *more = json_pack(
        "{sI sI ss si si si si ss ss sb}", "submitted_ms",
        (json_int_t)sa->submitted_ms, "taken_ms",
        (json_int_t)(sa->submitted_ms - sa->started_ms - sa->paused_ms),
        "reason", sa->reason, "correct", sa->correct, "total", sa->total,
        "score_centi", sa->score_centi, "rounded_centi", rounded,
        "classification", b->name, "classification_en",
        b->name_en[0] ? b->name_en : b->name, "passed",
        grading_passed(g, rounded));
    if (!more || json_object_update(o, more)) {
        json_decref(o);
        o = NULL;
    }
    json_decref(more);
    return o;
}

void api_review_request(struct runtime *rt, struct conn *c,
                        const struct staff_who *who, int64_t attempt_id)
{
    struct store_attempt sa;
    struct store_exam_meta meta;
    struct store_user u;
    struct grading g;
    struct paper_item p[EXAM_MAX_PAPER];
    uint8_t choice[EXAM_MAX_PAPER];
    bool flag[EXAM_MAX_PAPER], has[EXAM_MAX_PAPER];
    char field[64], msg[256];
    int rc = store_attempt_get(rt->db, attempt_id, &sa);
    if (rc == EXAMD_ENOTFOUND) {
        api_staff_fail(rt, c, 404, rc, "attempt",
                       "không có bài làm này / no such attempt");
        return;
    }
    if (rc || !api_exam_access(rt, c, who, sa.exam_id, &meta)) {
        if (rc)
            api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    if (grading_parse(meta.grading, &g, field, sizeof field, msg, sizeof msg))
        grading_default(&g);
    store_exam_meta_fini(&meta);
    const struct exam *e = runtime_exam(rt, sa.exam_id);
    struct review_ctx x = {e, p, json_array(), json_array(), false};
    if (!e || store_user_by_id(rt->db, sa.user_id, &u) ||
        paper_assemble(e, sa.seed, p) ||
        store_answers_latest(rt->db, sa.id, e, p, choice, flag, has) ||
        store_answers_history(rt->db, sa.id, review_answer, &x) ||
        store_attempt_events_each(rt->db, sa.id, review_event, &x) ||
        x.failed || !x.history || !x.events) {
        json_decref(x.history);
        json_decref(x.events);
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    sodium_memzero(u.pw_hash, sizeof u.pw_hash);
    struct grade gr;
    grade_paper(e, p, choice, &gr); /* the step rounds the exact points */
    api_staff_json(rt, c, 200,
                   json_pack("{sb so so so so}", "ok", 1, "attempt",
                             review_attempt(&sa, &u, &g, &gr), "questions",
                             review_questions(e, p, choice, flag, has),
                             "history", x.history, "events", x.events));
}
