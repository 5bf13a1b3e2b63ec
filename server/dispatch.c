/*
 * dispatch.c — candidate messages: hello, start, answer, submit, result.
 *
 * Every message is checked against the connection's user: a candidate
 * touches only their own attempts. Writes go to the writer; replies that
 * promise durability (ack, paper of a new attempt, result) are sent from
 * dispatch_drain once the writer reports the commit.
 */
#include "dispatch.h"
#include "attempt_log.h"
#include "route.h"
#include "api.h"
#include "api_monitor.h"
#include "api_contest.h"
#include "clock.h"
#include "err.h"
#include "grade.h"
#include "live.h"
#include "monitor.h"
#include "netrange.h"
#include "protocol.h"
#include "store_contest.h"
#include "transport.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void dispatch_send_text(struct runtime *rt, struct conn *c, char *t)
{
    if (!t) {
        dispatch_error(rt, c, "null", EXAMD_ENOMEM, NULL);
        return;
    }
    transport_send(rt, c, t, strlen(t));
    free(t);
}

void dispatch_error(struct runtime *rt, struct conn *c, const char *id, int err,
                    const char *field)
{
    char buf[512];
    int n = proto_error(buf, sizeof buf, id, err, field);
    if (n > 0)
        transport_send(rt, c, buf, (size_t)n);
}

/* Is c inside e's training-room ranges (or has e none)? */
static bool dispatch_network_ok(const struct exam *e, const struct conn *c)
{
    return !e->n_ranges || netrange_any(e->ranges, e->n_ranges, c->addr);
}

/* ---- hello ---- */

static void dispatch_hello(struct runtime *rt, struct conn *c,
                           const struct proto_msg *m)
{
    struct store_user u;
    int64_t now = clock_now_ms();
    if (store_user_by_id(rt->db, c->user_id, &u)) {
        dispatch_error(rt, c, m->id, EXAMD_EINTERNAL, NULL);
        return;
    }
    struct proto_exam_item *items =
        calloc((size_t)rt->n_exams + 1, sizeof *items);
    if (!items) {
        dispatch_error(rt, c, m->id, EXAMD_ENOMEM, NULL);
        return;
    }
    int n = 0;
    for (int i = 0; i < rt->n_exams; i++) {
        const struct exam *e = rt->exams[i];
        struct store_attempt last;
        if (!runtime_exam_visible(rt, c->user_id, e->id))
            continue; /* another class's exam: not even its title */
        struct proto_exam_item *it = &items[n++];
        it->e = e;
        it->open = exam_is_open(e, now);
        it->restricted = !dispatch_network_ok(e, c);
        store_attempt_summary(rt->db, c->user_id, e->id, &it->used, &last);
        struct attempt_rt *a =
            imap_get(&rt->running, runtime_running_key(c->user_id, e->id));
        if (a && (a->state == ATT_RUNNING || a->state == ATT_STARTING)) {
            it->running = a->id;
            if (!c->attempt) {
                c->attempt = a->id; /* so this tab gets time pushes */
                monitor_conn_show(&c->mon, c->user_id, a->mon);
            }
            it->left_ms = exam_left_ms(a->deadline_ms, now);
        }
        if (last.id) {
            it->last = last.id;
            it->last_correct = last.correct;
            it->last_total = last.total;
            it->last_score_centi = last.score_centi;
        }
    }
    /* The client names the exam it opened (a join code's round): it
     * counts as connected there before it starts (monitor.h). */
    if (m->exam && !c->attempt && !strcmp(u.role, "candidate") &&
        runtime_exam(rt, m->exam) &&
        runtime_exam_visible(rt, c->user_id, m->exam))
        monitor_conn_show(&c->mon, c->user_id,
                          api_monitor_unit_of(rt, m->exam, c->user_id));
    struct proto_user pu = {u.id, u.username, u.name, u.role};
    dispatch_send_text(rt, c, proto_hello_encode(m->id, &pu, items, n));
    free(items);
}

/* ---- paper ---- */

/*
 * One active connection per attempt: c now shows a, so the connection
 * that showed it before (another device or tab) is told why and closed
 * (4001); frames it still sends are ignored. Tabs that only listed the
 * attempt in hello are not holders and are left alone.
 */
static void dispatch_take_over(struct runtime *rt, struct conn *c,
                               struct attempt_rt *a)
{
    struct conn *old = runtime_conn_get(rt, a->holder);
    a->holder = runtime_conn_ref(c);
    if (!old || old == c || old->close_status)
        return;
    char buf[80];
    int n = proto_taken_over(buf, sizeof buf, a->id);
    if (n > 0)
        transport_send(rt, old, buf, (size_t)n);
    old->attempt = 0;
    monitor_conn_show(&old->mon, old->user_id, NULL);
    transport_close(old, DISPATCH_CLOSE_TAKEN_OVER, "attempt opened elsewhere");
}

static void dispatch_send_paper(struct runtime *rt, struct conn *c,
                                const char *id, struct attempt_rt *a,
                                bool resumed)
{
    uint8_t choice[EXAM_MAX_PAPER];
    bool flag[EXAM_MAX_PAPER], has[EXAM_MAX_PAPER];
    struct proto_paper pp = {.id = id,
                             .attempt = a->id,
                             .resumed = resumed,
                             .e = a->e,
                             .p = a->paper,
                             .left_ms =
                                 exam_left_ms(a->deadline_ms, clock_now_ms()),
                             .last_seq = a->seq_committed};
    /* A new attempt has no answers: only a resume reads them. */
    if (resumed) {
        if (store_answers_latest(rt->db, a->id, a->e, a->paper, choice, flag,
                                 has)) {
            dispatch_error(rt, c, id, EXAMD_EINTERNAL, NULL);
            return;
        }
        pp.choice = choice;
        pp.flag = flag;
        pp.has = has;
    }
    if (a->e->contest_id && a->e->prediction &&
        store_prediction_latest(rt->db, a->e->id, a->user_id,
                                &pp.has_prediction, &pp.prediction)) {
        dispatch_error(rt, c, id, EXAMD_EINTERNAL, NULL);
        return;
    }
    c->attempt = a->id;
    monitor_conn_show(&c->mon, c->user_id, a->mon);
    dispatch_take_over(rt, c, a);
    if (resumed) /* scores: the review shows reconnections */
        attempt_log_connect(rt, c, a->id, clock_now_ms());
    dispatch_send_text(rt, c, proto_paper_encode(&pp));
}

/* Queue a job that sends reply to c once everything before it commits. */
static void dispatch_barrier(struct runtime *rt, struct conn *c, const char *id,
                             int64_t attempt, int reply, int64_t seq)
{
    struct wjob *j = wjob_new(WJOB_BARRIER);
    if (!j) {
        dispatch_error(rt, c, id, EXAMD_ENOMEM, NULL);
        return;
    }
    j->reply = reply;
    j->conn = runtime_conn_ref(c);
    j->attempt_id = attempt;
    j->seq = seq;
    snprintf(j->id, sizeof j->id, "%s", id);
    writer_submit(rt->writer, j);
}

/* ---- attempts not in memory: closed, someone else's, or unknown ---- */

/* The error for a message about an attempt that is not running here. */
static int dispatch_attempt_absent(struct runtime *rt, struct conn *c,
                                   int64_t id, struct store_attempt *sa)
{
    int rc = store_attempt_get(rt->db, id, sa);
    if (rc)
        return rc == EXAMD_ENOTFOUND ? rc : EXAMD_EINTERNAL;
    if (sa->user_id != c->user_id)
        return EXAMD_EFORBIDDEN;
    /* Running but not the attempt this message may name (another exam's,
     * in a "resume only" start): a client mistake. */
    return sa->running ? EXAMD_EBADMSG : EXAMD_ECLOSED;
}

static void dispatch_start(struct runtime *rt, struct conn *c,
                           const struct proto_msg *m)
{
    const struct exam *e = runtime_exam(rt, m->exam);
    int64_t now = clock_now_ms();
    if (!e || !runtime_exam_visible(rt, c->user_id, e->id)) {
        dispatch_error(rt, c, m->id, EXAMD_ENOTFOUND, "exam");
        return;
    }
    if (!dispatch_network_ok(e, c)) {
        dispatch_error(rt, c, m->id, EXAMD_ENETWORK, NULL);
        return;
    }
    struct attempt_rt *a =
        imap_get(&rt->running, runtime_running_key(c->user_id, e->id));
    if (m->attempt && (!a || a->id != m->attempt)) {
        /* "resume only": never start a new attempt by accident */
        struct store_attempt sa;
        dispatch_error(rt, c, m->id,
                       dispatch_attempt_absent(rt, c, m->attempt, &sa),
                       "attempt");
        return;
    }
    if (a && a->state == ATT_RUNNING) {
        dispatch_send_paper(rt, c, m->id, a, true);
        return;
    }
    if (a && a->state == ATT_STARTING) {
        dispatch_barrier(rt, c, m->id, a->id, REPLY_PAPER, 1);
        return;
    }
    if (a) { /* closing: its result is on the way */
        dispatch_error(rt, c, m->id, EXAMD_ECLOSED, NULL);
        return;
    }
    struct store_attempt last, na;
    int used = 0;
    if (store_attempt_summary(rt->db, c->user_id, e->id, &used, &last)) {
        dispatch_error(rt, c, m->id, EXAMD_EINTERNAL, NULL);
        return;
    }
    if (used >= e->attempts_allowed) {
        dispatch_error(rt, c, m->id, EXAMD_ENOATTEMPTS, NULL);
        return;
    }
    if (!exam_is_open(e, now)) {
        dispatch_error(rt, c, m->id, EXAMD_ECLOSEDEXAM, NULL);
        return;
    }
    memset(&na, 0, sizeof na);
    na.id = rt->next_attempt_id++;
    na.exam_id = e->id;
    na.user_id = c->user_id;
    na.n = used + 1;
    randombytes_buf(&na.seed, sizeof na.seed);
    na.seed &= INT64_MAX; /* stored as a signed SQLite integer */
    na.started_ms = now;
    na.deadline_ms = exam_deadline(e, now);
    na.running = true;
    struct wjob *j = wjob_new(WJOB_ATTEMPT_NEW);
    if (!j || !(a = runtime_attempt_add(rt, &na, e, ATT_STARTING))) {
        wjob_free(j);
        dispatch_error(rt, c, m->id, EXAMD_ENOMEM, NULL);
        return;
    }
    j->att = na;
    j->attempt_id = na.id;
    j->reply = REPLY_PAPER;
    j->seq = 0; /* 0: a new attempt, 1: a resume (see dispatch_done) */
    j->conn = runtime_conn_ref(c);
    snprintf(j->id, sizeof j->id, "%s", m->id);
    writer_submit(rt->writer, j);
}

static void dispatch_answer(struct runtime *rt, struct conn *c,
                            const struct proto_msg *m)
{
    struct attempt_rt *a = imap_get(&rt->attempts, m->attempt);
    struct store_attempt sa;
    int64_t now = clock_now_ms();
    if (!a) {
        dispatch_error(rt, c, m->id,
                       dispatch_attempt_absent(rt, c, m->attempt, &sa),
                       "attempt");
        return;
    }
    if (a->user_id != c->user_id) {
        dispatch_error(rt, c, m->id, EXAMD_EFORBIDDEN, "attempt");
        return;
    }
    if (a->state == ATT_CLOSING || a->state == ATT_CLOSED) {
        dispatch_error(rt, c, m->id, EXAMD_ECLOSED, NULL);
        return;
    }
    if (!dispatch_network_ok(a->e, c)) { /* started in the room, not here */
        dispatch_error(rt, c, m->id, EXAMD_ENETWORK, NULL);
        return;
    }
    if (!exam_accepts_answer(a->deadline_ms, rt->cfg->grace_ms, now)) {
        dispatch_error(rt, c, m->id, EXAMD_ETOOLATE, NULL);
        return;
    }
    int i = paper_find(a->e, a->paper, m->q);
    if (i < 0) {
        dispatch_error(rt, c, m->id, EXAMD_ENOTONPAPER, "q");
        return;
    }
    const struct exam_question *q = &a->e->pool[a->paper[i].qi];
    if ((m->choice >> q->n_options) || (!q->multi && m->n_choice > 1)) {
        dispatch_error(rt, c, m->id, EXAMD_EBADOPTION, "choice");
        return;
    }
    /* Every answer, resends included, goes to the writer: the row is keyed
     * by (attempt, seq) and inserted with OR IGNORE, so a resend is stored
     * once and acknowledged after the commit that holds it. No shortcut on
     * "seq <= highest seen": a seq refused earlier (busy) may sit below a
     * later one that committed, and must still be written. */
    struct wjob *j = wjob_new(WJOB_ANSWER);
    if (!j) {
        dispatch_error(rt, c, m->id, EXAMD_ENOMEM, NULL);
        return;
    }
    j->reply = REPLY_ACK;
    j->conn = runtime_conn_ref(c);
    j->attempt_id = a->id;
    j->seq = m->seq;
    j->qid = q->id;
    j->choice = paper_choice_to_bank(&a->paper[i], m->choice);
    j->flag = m->flag;
    j->server_ms = now;
    snprintf(j->id, sizeof j->id, "%s", m->id);
    if (writer_submit(rt->writer, j)) {
        wjob_free(j);
        dispatch_error(rt, c, m->id, EXAMD_EBUSY, NULL);
        return;
    }
    c->attempt = a->id;
    monitor_conn_show(&c->mon, c->user_id, a->mon); /* one compare */
    rt->n_answers++;
}

/* Hand the attempt to the writer to be graded and closed. */
static int dispatch_close(struct runtime *rt, struct attempt_rt *a,
                          struct conn *c, const char *id, const char *reason,
                          int64_t now)
{
    struct wjob *j = wjob_new(WJOB_CLOSE);
    if (!j)
        return EXAMD_ENOMEM;
    a->state = ATT_CLOSING;
    j->reply = REPLY_RESULT;
    j->conn = c ? runtime_conn_ref(c) : 0;
    j->attempt_id = a->id;
    j->e = a->e;
    j->paper = a->paper;
    j->submitted_ms = now;
    snprintf(j->reason, sizeof j->reason, "%s", reason);
    snprintf(j->id, sizeof j->id, "%s", id ? id : "null");
    writer_submit(rt->writer, j);
    return 0;
}

/* A round's result shows no answers while the round is open, and the
 * key once it has closed, its grace passed and its last attempt closed,
 * if the round says so (docs/contests.md); closing: 1 when r is the
 * result of a close still counted live. */
static void dispatch_round_review(struct runtime *rt, const struct exam *e,
                                  struct proto_result *r, int closing)
{
    if (!e->contest_id)
        return;
    r->round_review = true;
    r->review =
        api_contest_key_out(e, clock_now_ms(), rt->cfg->grace_ms, closing)
            ? EXAM_REVIEW_FULL
            : EXAM_REVIEW_NONE;
}

/* Send the result of a closed attempt read from the store. */
static void dispatch_result_db(struct runtime *rt, struct conn *c,
                               const char *id, int64_t attempt)
{
    struct store_attempt sa;
    int rc = store_attempt_get(rt->db, attempt, &sa);
    const struct exam *e = rc ? NULL : runtime_exam(rt, sa.exam_id);
    if (!rc && sa.user_id != c->user_id)
        rc = EXAMD_EFORBIDDEN;
    else if (!rc && sa.running)
        rc = EXAMD_ERUNNING;
    else if (!rc && !e)
        rc = EXAMD_EINTERNAL;
    if (rc) {
        dispatch_error(rt, c, id, rc, "attempt");
        return;
    }
    struct paper_item p[EXAM_MAX_PAPER];
    uint8_t choice[EXAM_MAX_PAPER];
    bool flag[EXAM_MAX_PAPER], has[EXAM_MAX_PAPER];
    struct grade g;
    if (paper_assemble(e, sa.seed, p) ||
        store_answers_latest(rt->db, attempt, e, p, choice, flag, has)) {
        dispatch_error(rt, c, id, EXAMD_EINTERNAL, NULL);
        return;
    }
    grade_paper(e, p, choice, &g);
    struct proto_result r = {id,        attempt,         e,  p,
                             sa.reason, sa.submitted_ms, &g, choice,
                             false,     EXAM_REVIEW_NONE};
    dispatch_round_review(rt, e, &r, 0);
    dispatch_send_text(rt, c, proto_result_encode(&r));
}

static void dispatch_submit(struct runtime *rt, struct conn *c,
                            const struct proto_msg *m)
{
    struct attempt_rt *a = imap_get(&rt->attempts, m->attempt);
    struct store_attempt sa;
    if (!a) {
        int rc = dispatch_attempt_absent(rt, c, m->attempt, &sa);
        if (rc == EXAMD_ECLOSED)
            dispatch_result_db(rt, c, m->id, m->attempt);
        else
            dispatch_error(rt, c, m->id, rc, "attempt");
        return;
    }
    if (a->user_id != c->user_id) {
        dispatch_error(rt, c, m->id, EXAMD_EFORBIDDEN, "attempt");
        return;
    }
    if (a->state != ATT_RUNNING) { /* closing (or starting) */
        dispatch_barrier(rt, c, m->id, a->id, REPLY_RESULT_DB, 0);
        return;
    }
    if (dispatch_close(rt, a, c, m->id, "candidate", clock_now_ms()))
        dispatch_error(rt, c, m->id, EXAMD_ENOMEM, NULL);
}

static void dispatch_result(struct runtime *rt, struct conn *c,
                            const struct proto_msg *m)
{
    struct attempt_rt *a = imap_get(&rt->attempts, m->attempt);
    if (a && a->user_id == c->user_id && a->state == ATT_CLOSING) {
        dispatch_barrier(rt, c, m->id, a->id, REPLY_RESULT_DB, 0);
        return;
    }
    dispatch_result_db(rt, c, m->id, m->attempt);
}

/* ---- a round's prediction ---- */

struct dispatch_prediction {
    int64_t attempt, value;
};

static int dispatch_predict_run(struct store *st, struct wjob *j)
{
    const struct dispatch_prediction *p = j->arg;
    return store_attempt_predict(st, p->attempt, p->value);
}

/* Store the prediction on the running attempt; predicted after commit. */
static void dispatch_predict(struct runtime *rt, struct conn *c,
                             const struct proto_msg *m)
{
    struct attempt_rt *a = imap_get(&rt->attempts, m->attempt);
    struct store_attempt sa;
    int rc = 0;
    if (!a)
        rc = dispatch_attempt_absent(rt, c, m->attempt, &sa);
    else if (a->user_id != c->user_id)
        rc = EXAMD_EFORBIDDEN;
    else if (a->state != ATT_RUNNING)
        rc = EXAMD_ECLOSED;
    else if (!a->e->contest_id || !a->e->prediction)
        rc = EXAMD_EBADMSG; /* this exam asks no prediction */
    else if (!exam_accepts_answer(a->deadline_ms, rt->cfg->grace_ms,
                                  clock_now_ms()))
        rc = EXAMD_ETOOLATE;
    struct dispatch_prediction *p = rc ? NULL : malloc(sizeof *p);
    struct wjob *j = p ? wjob_new(WJOB_STAFF) : NULL;
    if (rc || !j) {
        free(p);
        dispatch_error(rt, c, m->id, rc ? rc : EXAMD_ENOMEM,
                       rc == EXAMD_EBADMSG ? "prediction" : "attempt");
        return;
    }
    p->attempt = a->id;
    p->value = m->prediction;
    j->reply = REPLY_PREDICT;
    j->conn = runtime_conn_ref(c);
    j->attempt_id = a->id;
    j->seq = m->prediction;
    j->run = dispatch_predict_run;
    j->arg = p;
    j->arg_free = free;
    snprintf(j->id, sizeof j->id, "%s", m->id);
    writer_submit(rt->writer, j);
}

static void dispatch_predicted(struct runtime *rt, struct wjob *j)
{
    struct conn *c = runtime_conn_get(rt, j->conn);
    char buf[PROTO_ID_MAX + 128];
    int n;
    if (!c)
        return;
    if (j->rc) {
        dispatch_error(rt, c, j->id,
                       j->rc == EXAMD_ECLOSED ? EXAMD_ECLOSED : EXAMD_EINTERNAL,
                       NULL);
        return;
    }
    n = proto_predicted(buf, sizeof buf, j->id, j->attempt_id, j->seq);
    if (n > 0)
        transport_send(rt, c, buf, (size_t)n);
}

void dispatch_message(struct runtime *rt, struct conn *c, const char *buf,
                      size_t len)
{
    struct proto_msg m;
    char field[PROTO_FIELD_MAX];
    int rc = proto_decode(buf, len, &m, field, sizeof field);
    if (rc) {
        dispatch_error(rt, c, m.id, rc, field);
        return;
    }
    if (!route_ws_allows(m.type, c->role)) { /* route.c: who may send it */
        dispatch_error(rt, c, m.id, EXAMD_EFORBIDDEN, NULL);
        return;
    }
    switch (m.type) {
    case PROTO_HELLO:
        dispatch_hello(rt, c, &m);
        break;
    case PROTO_START:
        dispatch_start(rt, c, &m);
        break;
    case PROTO_ANSWER:
        dispatch_answer(rt, c, &m);
        break;
    case PROTO_SUBMIT:
        dispatch_submit(rt, c, &m);
        break;
    case PROTO_RESULT:
        dispatch_result(rt, c, &m);
        break;
    case PROTO_PREDICT:
        dispatch_predict(rt, c, &m);
        break;
    case PROTO_MONITOR: /* the organiser's live monitor */
    case PROTO_UNMONITOR:
        api_monitor_message(rt, c, &m);
        break;
    default: /* live rounds */
        live_message(rt, c, &m);
    }
}

void dispatch_refuse(struct runtime *rt, struct conn *c, const char *buf,
                     size_t len, int err)
{
    struct proto_msg m;
    char field[PROTO_FIELD_MAX];
    proto_decode(buf, len, &m, field, sizeof field); /* for the id only */
    dispatch_error(rt, c, m.id, err, NULL);
}

/* ---- finished writes ---- */

/* Send a close's result to the requester and push it to the user's
 * other connections. */
static void dispatch_closed(struct runtime *rt, struct wjob *j)
{
    struct attempt_rt *a = imap_get(&rt->attempts, j->attempt_id);
    if (!a)
        return;
    struct proto_result r = {NULL,      a->id,           a->e,  a->paper,
                             j->reason, j->submitted_ms, &j->g, j->answers,
                             false,     EXAM_REVIEW_NONE};
    dispatch_round_review(rt, a->e, &r, 1);
    struct conn *req = runtime_conn_get(rt, j->conn);
    char *push = proto_result_encode(&r);
    if (req) {
        r.id = j->id;
        dispatch_send_text(rt, req, proto_result_encode(&r));
    }
    for (struct conn *c = imap_get(&rt->user_conns, a->user_id); c && push;
         c = c->user_next)
        if (c != req) /* every other tab or device of the candidate */
            transport_send(rt, c, push, strlen(push));
    free(push);
    if (a->n == 1)
        monitor_submitted(a->mon);
    a->state = ATT_CLOSED;
    runtime_attempt_drop(rt, a);
}

static void dispatch_done(struct runtime *rt, struct wjob *j)
{
    if (j->reply == REPLY_HTTP) {
        api_session_done(rt, j);
        return;
    }
    if (j->reply == REPLY_PREDICT) {
        dispatch_predicted(rt, j);
        return;
    }
    if (j->reply == REPLY_LIVE) {
        live_done(rt, j);
        return;
    }
    struct conn *c = runtime_conn_get(rt, j->conn);
    struct attempt_rt *a = imap_get(&rt->attempts, j->attempt_id);
    if (j->rc) {
        if (j->kind == WJOB_ATTEMPT_NEW && a)
            runtime_attempt_drop(rt, a);
        if (j->kind == WJOB_CLOSE && a)
            a->state = ATT_RUNNING;
        if (c)
            dispatch_error(rt, c, j->id, EXAMD_EINTERNAL, NULL);
        return;
    }
    if (j->kind == WJOB_ATTEMPT_NEW && a && a->state == ATT_STARTING) {
        a->state = ATT_RUNNING;
        if (a->n == 1)
            monitor_started(a->mon);
    }
    if (j->kind == WJOB_ANSWER && a) {
        if (j->seq > a->seq_committed)
            a->seq_committed = j->seq;
        monitor_answer(a->mon, j->server_ms / 1000);
    }
    switch (j->reply) {
    case REPLY_ACK:
        if (c) {
            char buf[160];
            int n = proto_ack(buf, sizeof buf, j->id, j->attempt_id, j->seq);
            if (n > 0)
                transport_send(rt, c, buf, (size_t)n);
            rt->n_acks++;
        }
        break;
    case REPLY_PAPER:
        if (c && a && a->state == ATT_RUNNING)
            dispatch_send_paper(rt, c, j->id, a, j->seq != 0);
        else if (c)
            dispatch_error(rt, c, j->id, EXAMD_ECLOSED, NULL);
        break;
    case REPLY_RESULT:
        dispatch_closed(rt, j);
        break;
    case REPLY_RESULT_DB:
        if (c)
            dispatch_result_db(rt, c, j->id, j->attempt_id);
        break;
    }
}

void dispatch_drain(struct runtime *rt)
{
    struct wjob *j = writer_take_done(rt->writer);
    while (j) {
        struct wjob *next = j->next;
        dispatch_done(rt, j);
        wjob_free(j);
        j = next;
    }
    worker_drain(rt->workers, rt);
}

/* ---- time ---- */

/*
 * The idle check, one slice of the connections a second (every
 * connection every `step` seconds, step = min(idle, pong) / 3 within
 * 1..10): silent for idle_s, a ping; then pong_s more without any frame,
 * closed with 1001. A slot visit is two compares: no timer per
 * connection (lws's own were 36 % of the CPU at 19,900 connections).
 */
static void dispatch_idle(struct runtime *rt, int64_t now, int64_t tick)
{
    const struct config *cfg = rt->cfg;
    if (!cfg->idle_s)
        return;
    int64_t step = (cfg->idle_s < cfg->pong_s ? cfg->idle_s : cfg->pong_s) / 3;
    step = step < 1 ? 1 : step > 10 ? 10 : step;
    uint32_t first = (uint32_t)(tick % step);
    if (first == 0)
        first = (uint32_t)step;
    for (uint32_t i = first; i < rt->n_slots; i += (uint32_t)step) {
        struct conn *c = rt->slots[i];
        if (!c || c->kind != CONN_WS || c->close_status)
            continue;
        if (c->ping_ms && now - c->ping_ms >= cfg->pong_s * 1000LL)
            transport_close(c, DISPATCH_CLOSE_IDLE, "idle: no answer to ping");
        else if (!c->ping_ms && now - c->rx_ms >= cfg->idle_s * 1000LL)
            transport_ping(c, now);
    }
}

void dispatch_tick(struct runtime *rt, int64_t now)
{
    struct deadline_entry d;
    while (deadline_pop_due(&rt->deadlines, now, &d)) {
        if (d.attempt_id < 0) { /* a live round's question (live.c) */
            live_deadline(rt, -d.attempt_id, now);
            continue;
        }
        struct attempt_rt *a = imap_get(&rt->attempts, d.attempt_id);
        if (!a || a->state != ATT_RUNNING ||
            a->deadline_ms + rt->cfg->grace_ms > now)
            continue;
        if (dispatch_close(rt, a, NULL, NULL, "deadline", now))
            deadline_push(&rt->deadlines, now + 1000, a->id);
    }
    /* Spread the time pushes: each second, one slice of the connections. */
    int64_t slice = rt->cfg->time_push_s;
    int64_t tick = now / 1000;
    if (tick == rt->tick)
        return;
    rt->tick = tick;
    dispatch_idle(rt, now, tick);
    attempt_log_flush(rt, now, 0); /* scores: connection events */
    api_monitor_tick(rt, now);
    uint32_t first = (uint32_t)(tick % slice);
    if (first == 0) /* slot 0 is never used: ref 0 means "nobody" */
        first = (uint32_t)slice;
    for (uint32_t i = first; i < rt->n_slots; i += (uint32_t)slice) {
        struct conn *c = rt->slots[i];
        struct attempt_rt *a;
        if (!c || c->kind != CONN_WS || !c->attempt ||
            !(a = imap_get(&rt->attempts, c->attempt)) ||
            a->state != ATT_RUNNING)
            continue;
        char buf[96];
        int n = proto_time(buf, sizeof buf, a->id,
                           exam_left_ms(a->deadline_ms, now));
        if (n > 0)
            transport_send(rt, c, buf, (size_t)n);
    }
}
