/*
 * load_worker.h — one worker process's connections (private to
 * load_worker.c, which owns sockets and frames, and load_client.c, which
 * owns examd.v1 messages: papers, answers, acks, results).
 *
 * Thread: a worker is one single-threaded process.
 */
#ifndef EXAMD_LOAD_WORKER_H
#define EXAMD_LOAD_WORKER_H

#include "load.h"

enum lconn_state { CS_IDLE, CS_CONNECTING, CS_HANDSHAKE, CS_OPEN, CS_WAIT,
                   CS_DONE };
enum lworker_phase { PH_READY, PH_RUN, PH_DRAIN, PH_END };

/* A question of this candidate's paper, in display order. */
struct lq {
    int64_t id;
    uint8_t n_opt;
    bool multi;
    uint8_t cur;                 /* the latest choice sent (display mask) */
};

/* An answer sent and not yet acknowledged (the outbox). */
struct lpend {
    int64_t seq, q;
    int64_t sent_us;             /* monotonic; 0: to be (re)sent */
    uint8_t choice;              /* display mask */
};

/* One candidate. Lifetime: the worker. */
struct lconn {
    int fd, state, idx, tries;
    const char *token;
    unsigned char *rx;           /* raw bytes; rx_cap > rx_len always */
    size_t rx_len, rx_cap;
    char *msg;                   /* fragments of a message */
    size_t msg_len, msg_cap;
    char *tx;
    size_t tx_len, tx_off, tx_cap;
    bool want_out;               /* EPOLLOUT registered */
    int64_t at_us;               /* next connect, monotonic */
    int64_t opened_us;           /* connect() time, monotonic */
    int64_t start_sent_us;       /* 0 when no start is outstanding */
    int64_t next_answer_us;
    int64_t drop_at_us;          /* resume test: disconnect then */
    int64_t attempt;
    int nq;
    struct lq *qs;
    int64_t seq;                 /* the last seq used */
    struct lpend pend[LOAD_WINDOW_MAX];
    int npend;
    bool resend_due;             /* a pend entry was refused (busy) */
    int64_t deadline_mono_us, deadline_real_us;
    bool in_msg;                 /* inside a fragmented message */
    bool ready, finished, echo_busy;
};

/* One worker. */
struct lworker {
    const struct load_cfg *cfg;
    const struct load_worker_args *args;
    int ep;
    struct lconn *c;
    int n;
    struct load_stats st;
    int phase;
    int64_t t0_us, go_us, end_us, drain_until_us;
    int n_ready, n_finished;
    bool sent_ready;
    int ack_fd, paper_fd;
    uint64_t rng;
};

/* load_worker.c */
int lw_send_text(struct lworker *w, struct lconn *c, const char *s,
                 size_t len);
void lw_conn_drop(struct lworker *w, struct lconn *c, int err, bool retry);
uint32_t lw_rand(struct lworker *w);

/* load_client.c */
void lc_on_open(struct lworker *w, struct lconn *c);
void lc_on_text(struct lworker *w, struct lconn *c, char *s, size_t len);
void lc_on_go(struct lworker *w, struct lconn *c);
void lc_timer(struct lworker *w, struct lconn *c, int64_t now);
bool lc_wants_reconnect(struct lworker *w, struct lconn *c);
void lc_send_start(struct lworker *w, struct lconn *c);

#endif
