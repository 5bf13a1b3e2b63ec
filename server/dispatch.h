/*
 * dispatch.h — from decoded messages to handlers, and from finished
 * writes back to the candidates. Service thread only.
 */
#ifndef EXAMD_DISPATCH_H
#define EXAMD_DISPATCH_H

#include "runtime.h"

/* What to send when a writer job is done (struct wjob.reply). */
enum dispatch_reply {
    REPLY_NONE,
    REPLY_ACK,       /* ack answer seq */
    REPLY_PAPER,     /* the paper of a new or resumed attempt */
    REPLY_RESULT,    /* close done: result to requester, push to the rest */
    REPLY_RESULT_DB, /* barrier done: read the closed attempt, send result */
    REPLY_HTTP,      /* a session write: api_session_done */
    REPLY_PREDICT    /* a round's prediction stored: predicted */
};

/* WebSocket close statuses of dispatch's own (docs/protocol.md §3). */
#define DISPATCH_CLOSE_IDLE 1001       /* no answer to the idle ping */
#define DISPATCH_CLOSE_TAKEN_OVER 4001 /* the attempt opened elsewhere */

/* Handle one complete WebSocket text message from c. */
void dispatch_message(struct runtime *rt, struct conn *c, const char *buf,
                      size_t len);

/* Send what the writer and the workers finished (after a wake). */
void dispatch_drain(struct runtime *rt);

/* Close attempts whose time is up and push time-left to a slice of the
 * connections. Called at least once a second and at every due deadline. */
void dispatch_tick(struct runtime *rt, int64_t now_ms);

/* Refuse one message from c with err (rate_limited): decoded for its id
 * only, nothing processed. */
void dispatch_refuse(struct runtime *rt, struct conn *c, const char *buf,
                     size_t len, int err);

/* Send an error reply for request id (JSON text) to c. */
void dispatch_error(struct runtime *rt, struct conn *c, const char *id, int err,
                    const char *field);

#endif
