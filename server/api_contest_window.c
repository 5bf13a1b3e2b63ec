/*
 * api_contest_window.c — a round's window changes: open now, close early,
 * set the window (extend), their checks (the key may be out), and once
 * committed moving the deadlines of the round's running attempts. The
 * rest of the contest routes are in api_contest.c.
 */
#include "api.h"
#include "api_contest_int.h"
#include "api_staff.h"
#include "clock.h"
#include "err.h"
#include "protocol.h"
#include "transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct contest_moved {
    struct runtime *rt;
    const struct exam *e;
};

/* One running attempt of a round whose window changed: its deadline
 * follows (start + duration, or a re-opening's grant, capped by the new
 * close); the heap gets the
 * new one (a stale entry finds the attempt's later deadline when it pops
 * and is skipped) and the candidate's tabs the new time left. */
static void contest_attempt_move(void *arg, void *val)
{
    struct contest_moved *m = arg;
    struct attempt_rt *a = val;
    if (a->e != m->e || a->state == ATT_CLOSED || a->state == ATT_CLOSING)
        return;
    int64_t d = exam_deadline_of(a->e, a->started_ms, a->reopen_deadline_ms);
    if (d == a->deadline_ms)
        return;
    a->deadline_ms = d;
    if (deadline_push(&m->rt->deadlines, d + m->rt->cfg->grace_ms, a->id))
        fprintf(stderr, "examd: attempt %lld: deadline not moved\n",
                (long long)a->id);
    char buf[96];
    int n = proto_time(buf, sizeof buf, a->id, exam_left_ms(d, clock_now_ms()));
    for (struct conn *c = imap_get(&m->rt->user_conns, a->user_id); c && n > 0;
         c = c->user_next)
        if (c->attempt == a->id)
            transport_send(m->rt, c, buf, (size_t)n);
}

void api_contest_window_done(struct runtime *rt, struct exam *e,
                             const struct contest_op *op)
{
    struct contest_moved m = {rt, e};
    e->opens_ms = op->opens_ms;
    e->closes_ms = op->closes_ms;
    imap_each(&rt->attempts, contest_attempt_move, &m);
}

/* ---- the routes ---- */

/* open, close or window: the new window into op; false after replying. */
static bool round_window_new(struct runtime *rt, struct conn *c,
                             const char *verb, json_t *in, const struct exam *e,
                             struct contest_op *op)
{
    int64_t now = clock_now_ms();
    const char *state = api_contest_state(e, now);
    long long v;
    op->opens_ms = e->opens_ms;
    op->closes_ms = e->closes_ms;
    if (!strcmp(verb, "open")) {
        if (!strcmp(state, "open")) {
            api_contest_fail(rt, c, 409, EXAMD_EEXISTS, "state",
                             "vòng thi đang mở", "the round is open already");
            return false;
        }
        op->opens_ms = now;
        if (op->closes_ms && op->closes_ms <= now)
            op->closes_ms = 0;
    } else if (!strcmp(verb, "close")) {
        if (!strcmp(state, "closed")) {
            api_contest_fail(rt, c, 409, EXAMD_EEXISTS, "state",
                             "vòng thi đã đóng", "the round is closed already");
            return false;
        }
        if (op->opens_ms > now)
            op->opens_ms = now;
        op->closes_ms = now;
    } else {
        if (!api_staff_int(in, "opens_ms", 0, INT64_MAX, e->opens_ms, &v)) {
            api_staff_bad_field(rt, c, "opens_ms");
            return false;
        }
        op->opens_ms = v;
        if (!api_staff_int(in, "closes_ms", 0, INT64_MAX, e->closes_ms, &v) ||
            (v && v <= op->opens_ms)) {
            api_staff_bad_field(rt, c, "closes_ms");
            return false;
        }
        op->closes_ms = v;
    }
    /* The key may be out: nobody may hold the paper again (docs/contests.md
     * "Showing the key"). Closing earlier, publishing... stay allowed. */
    if (api_contest_key_given(e, now) &&
        (!op->closes_ms || op->closes_ms > e->closes_ms)) {
        api_contest_fail(rt, c, 409, EXAMD_ECLOSEDEXAM, "state",
                         "vòng thi đã đóng và cho xem đáp án: không thể mở lại "
                         "hay lùi giờ đóng",
                         "the round has closed and shows its key: it cannot be "
                         "opened again or closed later");
        return false;
    }
    return true;
}

void api_contest_window(struct runtime *rt, struct conn *c, const char *verb,
                        json_t *in, const struct store_round *r,
                        const struct exam *e)
{
    struct contest_op *op = calloc(1, sizeof *op);
    if (!op) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    op->kind = RO_WINDOW;
    op->action = "round.window";
    op->id = r->id;
    op->duration_ms = e->duration_ms;
    if (!round_window_new(rt, c, verb, in, e, op)) {
        api_contest_op_free(op);
        return;
    }
    api_contest_submit(rt, c, op);
}
