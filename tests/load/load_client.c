/*
 * load_client.c — one candidate's side of examd.v1 (docs/protocol.md):
 * start, answer with realistic changes, keep an outbox of unacknowledged
 * answers and resend all of it after a reconnect,
 * check the time left on resume, and count acks, results, broadcasts.
 *
 * The hot path (ack, broadcast, time) is parsed by prefix and strtoll;
 * papers, results and errors (rare) go through jansson.
 *
 * Thread: the worker process's only thread.
 */
#include "load_worker.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LC_TIME_TOLERANCE_US 1500000 /* resume: left_ms vs our clock */
#define LC_STOP_BEFORE_US 3000000    /* no new answers this near the end */

static bool lc_in_window(const struct lworker *w, int64_t now)
{
    return w->phase == PH_RUN && now >= w->go_us && now < w->end_us;
}

void lc_send_start(struct lworker *w, struct lconn *c)
{
    char buf[96];
    int n = snprintf(buf, sizeof buf, "{\"type\":\"start\",\"id\":\"s\","
                     "\"exam\":%lld}", w->cfg->exam);
    int64_t real = clock_real_us();
    if (real < w->st.first_start_real_us)
        w->st.first_start_real_us = real;
    c->start_sent_us = clock_mono_us();
    lw_send_text(w, c, buf, (size_t)n);
}

void lc_on_open(struct lworker *w, struct lconn *c)
{
    int sc = w->cfg->scenario;
    if (sc == LOAD_ECHO || (sc == LOAD_DEADLINE && !c->qs &&
                            w->phase == PH_READY)) {
        if (!c->ready) {
            c->ready = true;
            w->n_ready++;
        }
        return;
    }
    if (w->cfg->hello)
        lw_send_text(w, c, "{\"type\":\"hello\",\"id\":\"h\"}", 25);
    lc_send_start(w, c);
}

bool lc_wants_reconnect(struct lworker *w, struct lconn *c)
{
    int64_t now = clock_mono_us();
    if (w->phase >= PH_DRAIN || c->finished)
        return false;
    if (c->drop_at_us == -1) {     /* our own resume-test disconnect */
        c->drop_at_us = 0;
        return true;
    }
    if (c->deadline_mono_us && now > c->deadline_mono_us - 2000000)
        return false;
    /* Before the upgrade the server may still be starting (crash runs);
     * after it, only crash runs expect the server to go away. */
    return w->cfg->scenario == LOAD_CRASH || !c->ready || c->tries < 3;
}

/* Choose the next answer: mostly a new question, sometimes a change of an
 * earlier answer, sometimes a clear. Returns the question index. */
static int lc_pick(struct lworker *w, struct lconn *c, uint8_t *mask)
{
    uint32_t r = lw_rand(w) % 100;
    int i = -1, answered = 0;
    for (int k = 0; k < c->nq; k++)
        answered += c->qs[k].cur != 0;
    if (answered < c->nq && (r < 70 || !answered)) {
        int k0 = (int)(lw_rand(w) % (uint32_t)c->nq);
        for (int k = 0; k < c->nq && i < 0; k++)
            if (!c->qs[(k0 + k) % c->nq].cur)
                i = (k0 + k) % c->nq;
    } else {
        int k0 = (int)(lw_rand(w) % (uint32_t)c->nq);
        for (int k = 0; k < c->nq && i < 0; k++)
            if (c->qs[(k0 + k) % c->nq].cur)
                i = (k0 + k) % c->nq;
        if (i >= 0 && r >= 90) {
            *mask = 0;              /* clear */
            return i;
        }
    }
    if (i < 0)
        i = 0;
    struct lq *q = &c->qs[i];
    uint8_t m;
    if (q->multi) {
        m = (uint8_t)(1 + lw_rand(w) % ((1u << q->n_opt) - 1));
    } else {
        m = (uint8_t)(1u << (lw_rand(w) % q->n_opt));
        if (m == q->cur)
            m = (uint8_t)(1u << ((__builtin_ctz(m) + 1) % q->n_opt));
    }
    *mask = m;
    return i;
}

static int lc_answer_json(char *buf, size_t n, const struct lconn *c,
                          const struct lpend *p, bool flag)
{
    char ch[32];
    int k = 0;
    for (int b = 0; b < 8; b++)
        if (p->choice & (1u << b))
            k += snprintf(ch + k, sizeof ch - (size_t)k, "%s%d", k ? "," : "",
                          b);
    ch[k] = 0;
    return snprintf(buf, n, "{\"type\":\"answer\",\"id\":%lld,\"attempt\":%lld,"
                    "\"q\":%lld,\"choice\":[%s],\"flag\":%s,\"seq\":%lld}",
                    (long long)p->seq, (long long)c->attempt, (long long)p->q,
                    ch, flag ? "true" : "false", (long long)p->seq);
}

static void lc_send_pend(struct lworker *w, struct lconn *c, struct lpend *p)
{
    char buf[256];
    int n = lc_answer_json(buf, sizeof buf, c, p, lw_rand(w) % 20 == 0);
    p->sent_us = clock_mono_us();
    lw_send_text(w, c, buf, (size_t)n);
}

static void lc_answer_new(struct lworker *w, struct lconn *c)
{
    uint8_t mask;
    int i = lc_pick(w, c, &mask);
    struct lpend *p = &c->pend[c->npend++];
    c->qs[i].cur = mask;
    p->seq = ++c->seq;
    p->q = c->qs[i].id;
    p->choice = mask;
    w->st.answers_sent++;
    lc_send_pend(w, c, p);
}

static bool lc_can_answer(struct lworker *w, struct lconn *c, int64_t now)
{
    int sc = w->cfg->scenario;
    if (!c->qs || c->finished || c->npend >= w->cfg->window ||
        c->state != CS_OPEN || c->start_sent_us)
        return false;
    if (c->deadline_mono_us && now > c->deadline_mono_us - LC_STOP_BEFORE_US)
        return false;
    if (sc == LOAD_CRASH)
        return w->phase == PH_READY || w->phase == PH_RUN;
    return w->phase == PH_RUN && (sc == LOAD_STEADY || sc == LOAD_FLOOD ||
                                  sc == LOAD_DEADLINE ||
                                  sc == LOAD_BROADCAST);
}

static void lc_echo_send(struct lworker *w, struct lconn *c)
{
    char buf[1024];
    int pad = w->cfg->echo_bytes > 900 ? 900 : w->cfg->echo_bytes;
    int n = snprintf(buf, sizeof buf, "{\"type\":\"echo\",\"t\":%lld,\"p\":\""
                     "%.*s\"}", (long long)clock_mono_us(), pad,
                     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    c->echo_busy = true;
    lw_send_text(w, c, buf, (size_t)n);
}

void lc_timer(struct lworker *w, struct lconn *c, int64_t now)
{
    if (c->drop_at_us > 0 && now >= c->drop_at_us && w->phase == PH_RUN) {
        c->drop_at_us = -1;
        lw_conn_drop(w, c, -1, true);
        return;
    }
    if (c->start_sent_us && now - c->start_sent_us > 30000000) {
        lw_conn_drop(w, c, LERR_NO_PAPER, true);
        return;
    }
    if (w->cfg->scenario == LOAD_ECHO) {
        if (!c->echo_busy && w->phase == PH_RUN)
            lc_echo_send(w, c);
        return;
    }
    /* Only after a busy/internal refusal: the scan runs every 2 ms over
     * every connection, and walking each outbox was most of the load
     * generator's CPU in a flood (docs/performance.md). */
    if (c->resend_due && !c->start_sent_us) {
        c->resend_due = false;
        for (int i = 0; i < c->npend; i++)
            if (!c->pend[i].sent_us)
                lc_send_pend(w, c, &c->pend[i]);
    }
    if (!lc_can_answer(w, c, now) || now < c->next_answer_us)
        return;
    if (w->cfg->scenario == LOAD_FLOOD) {
        while (lc_can_answer(w, c, now))
            lc_answer_new(w, c);
        return;
    }
    c->next_answer_us = now + (int64_t)w->cfg->answer_interval_ms * 1000;
    lc_answer_new(w, c);
}

void lc_on_go(struct lworker *w, struct lconn *c)
{
    const struct load_cfg *cfg = w->cfg;
    int64_t dur = (int64_t)cfg->duration_s * 1000000;
    if (cfg->scenario == LOAD_DEADLINE && c->state == CS_OPEN && !c->qs)
        lc_send_start(w, c);
    /* Spread the first answers over one interval: a steady rate. */
    c->next_answer_us = w->go_us + (int64_t)(lw_rand(w) %
                        (uint32_t)(cfg->answer_interval_ms * 1000 + 1));
    if (cfg->resume_fraction > 0 &&
        (lw_rand(w) % 10000) < (uint32_t)(cfg->resume_fraction * 10000))
        c->drop_at_us = w->go_us + dur / 5 + (int64_t)(lw_rand(w) %
                        (uint32_t)(dur * 2 / 5 + 1));
}

/* ---- messages ---- */

static void lc_ack_log(struct lworker *w, struct lconn *c,
                       const struct lpend *p)
{
    if (w->ack_fd < 0)
        return;
    char line[96];
    int n = snprintf(line, sizeof line, "%lld %lld %lld %u\n",
                     (long long)c->attempt, (long long)p->q,
                     (long long)p->seq, p->choice);
    if (write(w->ack_fd, line, (size_t)n) != n)
        w->st.err[LERR_PROTOCOL]++;
}

static void lc_pend_remove(struct lconn *c, int i)
{
    memmove(&c->pend[i], &c->pend[i + 1],
            sizeof c->pend[0] * (size_t)(c->npend - i - 1));
    c->npend--;
}

static void lc_on_ack(struct lworker *w, struct lconn *c, const char *s)
{
    const char *p = strstr(s, "\"seq\":");
    int64_t seq = p ? strtoll(p + 6, NULL, 10) : 0, now = clock_mono_us();
    for (int i = 0; i < c->npend; i++) {
        if (c->pend[i].seq != seq)
            continue;
        if (c->pend[i].sent_us && (w->phase >= PH_RUN ||
                                   w->cfg->scenario == LOAD_CRASH))
            load_hist_add(&w->st.ack, (uint64_t)(now - c->pend[i].sent_us));
        w->st.answers_acked++;
        w->st.acks_window += lc_in_window(w, now);
        lc_ack_log(w, c, &c->pend[i]);
        lc_pend_remove(c, i);
        break;
    }
    if (w->cfg->scenario == LOAD_FLOOD)
        while (lc_can_answer(w, c, now))
            lc_answer_new(w, c);
}

static void lc_paper_questions(struct lworker *w, struct lconn *c,
                               json_t *qs)
{
    size_t n = json_array_size(qs);
    c->qs = calloc(n ? n : 1, sizeof *c->qs);
    c->nq = c->qs ? (int)n : 0;
    for (int i = 0; i < c->nq; i++) {
        json_t *q = json_array_get(qs, (size_t)i), *o;
        o = json_object_get(q, "options");
        c->qs[i].id = json_integer_value(json_object_get(q, "q"));
        c->qs[i].n_opt = (uint8_t)json_array_size(o);
        c->qs[i].multi = json_is_true(json_object_get(q, "multi"));
        if (w->paper_fd >= 0) {
            char *t = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
            dprintf(w->paper_fd, "%lld %lld %s\n", (long long)c->attempt,
                    (long long)c->qs[i].id, t ? t : "[]");
            free(t);
        }
    }
}

/* Resume: check the time left against our own clock and resend the whole
 * outbox in order (docs/protocol.md, section 4): an entry at or below
 * last_seq is not dropped, because a seq refused as busy can sit below a
 * later one that was saved; the server stores each seq once and
 * acknowledges every resend. */
static void lc_paper_resume(struct lworker *w, struct lconn *c,
                            int64_t left_ms, int64_t now)
{
    int64_t diff = left_ms * 1000 - (c->deadline_mono_us - now);
    w->st.resumes++;
    w->st.time_checks++;
    if (diff > LC_TIME_TOLERANCE_US || diff < -LC_TIME_TOLERANCE_US) {
        w->st.err[LERR_TIME_MISMATCH]++;
        fprintf(stderr, "examd-load: attempt %lld: left_ms %lld, expected "
                "%lld\n", (long long)c->attempt, (long long)left_ms,
                (long long)((c->deadline_mono_us - now) / 1000));
    }
    c->resend_due = false;
    for (int i = 0; i < c->npend; i++) {
        w->st.resends++;
        lc_send_pend(w, c, &c->pend[i]);
    }
}

static void lc_on_paper(struct lworker *w, struct lconn *c, json_t *j)
{
    int64_t now = clock_mono_us(), real = clock_real_us();
    int64_t attempt = json_integer_value(json_object_get(j, "attempt"));
    int64_t left = json_integer_value(json_object_get(j, "left_ms"));
    int64_t last = json_integer_value(json_object_get(j, "last_seq"));
    if (c->start_sent_us)
        load_hist_add(&w->st.paper, (uint64_t)(now - c->start_sent_us));
    c->start_sent_us = 0;
    w->st.papers++;
    w->st.last_paper_real_us = real;
    if (c->qs && attempt == c->attempt) {
        lc_paper_resume(w, c, left, now);
    } else {
        if (c->qs) { /* a new attempt: the old outbox is moot */
            w->st.err[LERR_UNACKED] += (uint64_t)c->npend;
            c->npend = 0;
            free(c->qs);
        }
        c->attempt = attempt;
        c->seq = 0;
        lc_paper_questions(w, c, json_object_get(j, "questions"));
        c->deadline_mono_us = now + left * 1000;
        c->deadline_real_us = real + left * 1000;
        if (c->deadline_real_us < w->st.first_deadline_real_us)
            w->st.first_deadline_real_us = c->deadline_real_us;
        if (c->deadline_real_us > w->st.last_deadline_real_us)
            w->st.last_deadline_real_us = c->deadline_real_us;
    }
    if (last > c->seq) /* new answers are numbered above last_seq */
        c->seq = last;
    if (!c->ready) {
        c->ready = true;
        w->n_ready++;
    }
}

static void lc_on_result(struct lworker *w, struct lconn *c, json_t *j)
{
    const char *reason = json_string_value(json_object_get(j, "reason"));
    int64_t real = clock_real_us();
    if (!reason || strcmp(reason, "deadline")) {
        w->st.results_other++;
        return;
    }
    w->st.results_deadline++;
    int64_t late = real - c->deadline_real_us;
    load_hist_add(&w->st.late, (uint64_t)(late > 0 ? late : 0));
    if (real > w->st.last_result_real_us)
        w->st.last_result_real_us = real;
    if (!c->finished) {
        c->finished = true;
        w->n_finished++;
    }
}

static void lc_on_error(struct lworker *w, struct lconn *c, json_t *j)
{
    int e = load_err_from_code(json_string_value(json_object_get(j, "code")));
    json_t *id = json_object_get(j, "id");
    w->st.err[e]++;
    if (json_is_string(id) && !strcmp(json_string_value(id), "s")) {
        c->start_sent_us = 0;     /* no paper will come */
        if (!c->finished) {
            c->finished = true;
            w->n_finished++;
        }
        return;
    }
    for (int i = 0; json_is_integer(id) && i < c->npend; i++) {
        if (c->pend[i].seq != json_integer_value(id))
            continue;
        if (e == LERR_BUSY || e == LERR_INTERNAL) {
            c->pend[i].sent_us = 0;  /* resend on the next tick */
            c->resend_due = true;
        }
        else
            lc_pend_remove(c, i);
        break;
    }
}

static void lc_on_json(struct lworker *w, struct lconn *c, const char *s,
                       size_t len)
{
    json_error_t je;
    json_t *j = json_loadb(s, len, 0, &je);
    const char *type = json_string_value(json_object_get(j, "type"));
    if (!type)
        w->st.err[LERR_PROTOCOL]++;
    else if (!strcmp(type, "paper"))
        lc_on_paper(w, c, j);
    else if (!strcmp(type, "result"))
        lc_on_result(w, c, j);
    else if (!strcmp(type, "error"))
        lc_on_error(w, c, j);
    json_decref(j);
}

void lc_on_text(struct lworker *w, struct lconn *c, char *s, size_t len)
{
    int64_t now = clock_mono_us();
    if (!strncmp(s, "{\"type\":\"ack\"", 13)) {
        lc_on_ack(w, c, s);
    } else if (!strncmp(s, "{\"type\":\"broadcast\"", 19)) {
        const char *p = strstr(s, "\"sent_us\":");
        int64_t lat = p ? clock_real_us() - strtoll(p + 10, NULL, 10) : 0;
        load_hist_add(&w->st.bcast, (uint64_t)(lat > 0 ? lat : 0));
        w->st.broadcasts++;
    } else if (!strncmp(s, "{\"type\":\"time\"", 14)) {
        w->st.times++;
    } else if (!strncmp(s, "{\"type\":\"echo\"", 14)) {
        const char *p = strstr(s, "\"t\":");
        if (p && lc_in_window(w, now)) {
            load_hist_add(&w->st.echo,
                          (uint64_t)(now - strtoll(p + 4, NULL, 10)));
            w->st.echoes++;
        }
        c->echo_busy = false;
        if (w->phase == PH_RUN)
            lc_echo_send(w, c);
    } else if (!strncmp(s, "{\"type\":\"hello\"", 15)) {
        return;
    } else {
        lc_on_json(w, c, s, len);
    }
}
