/*
 * attempt_log.h — connection events of running attempts, for the
 * trainer's per-candidate review: "connect" when a tab opens (resumes) a
 * running attempt, "disconnect" when the tab showing it closes.
 *
 * The answer path must not slow down for this, and a whole hall dropping
 * off the network at once (20,000 sockets) must cost little: events are
 * appended to an array on the service thread (no allocation per event
 * once it has grown) and handed to the writer as one staff job per
 * ATTEMPT_LOG_BATCH events or once a second, written with one prepared
 * statement inside the job's savepoint. An event that cannot be queued
 * (out of memory) is dropped: it is a note for the review, never an
 * answer. Events still queued when the server stops are written before
 * the writer stops (attempt_log_flush from runtime_stop_threads).
 *
 * Service thread only.
 */
#ifndef EXAMD_ATTEMPT_LOG_H
#define EXAMD_ATTEMPT_LOG_H

#include <stdint.h>

struct runtime;
struct conn;

#define ATTEMPT_LOG_BATCH 4096

/* c (a WebSocket) now shows running attempt attempt_id: log "connect"
 * with c's address. */
void attempt_log_connect(struct runtime *rt, const struct conn *c,
                         int64_t attempt_id, int64_t now_ms);

/* c is closing: when it was the tab showing a running attempt, log
 * "disconnect" with its address. Any conn may be passed. */
void attempt_log_conn_closed(struct runtime *rt, const struct conn *c);

/* Hand what is queued to the writer (at most once a second unless a
 * batch is full; force: now). */
void attempt_log_flush(struct runtime *rt, int64_t now_ms, int force);

/* Free what is queued without writing it (at shutdown, after the writer
 * stopped). */
void attempt_log_free(struct runtime *rt);

#endif
