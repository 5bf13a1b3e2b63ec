/*
 * worker.h — a small pool of threads for slow work off the event loop.
 *
 * Password hashing (Argon2id, ~0.1 s and 64 MiB each) runs here, later
 * imports and exports too. A job's run() executes on a worker thread and
 * must not touch connections; finished jobs come back to the service
 * thread through worker_take_done after wake(arg) (lws_cancel_service).
 * A result finds its connection by reference, since the socket may have
 * closed meanwhile.
 */
#ifndef EXAMD_WORKER_H
#define EXAMD_WORKER_H

#include <stdbool.h>

struct work {
    struct work *next;           /* owned by the pool while queued */
    void (*run)(struct work *w); /* worker thread */
    void (*done)(struct work *w, void *ctx); /* service thread; frees w */
};

struct worker_pool;

/* Start n threads; worker_full says yes from queue_max jobs waiting.
 * Returns 0 or EXAMD_EINTERNAL. Service thread. */
int worker_pool_start(struct worker_pool **out, int n, int queue_max,
                      void (*wake)(void *arg), void *arg);

/* The default of queue_max: jobs waiting (not yet running) past which a
 * new request is turned away with 503 busy (worker_full). Each waits its
 * turn behind ~0.1 s of hashing per worker: 512 is ~25 s of logins on
 * two workers; a longer queue only makes clients time out. */
#define WORKER_QUEUE_MAX 512

/* Queue w; always accepted (a job going on to its next phase must not be
 * dropped). New requests ask worker_full first. Service thread. */
void worker_submit(struct worker_pool *p, struct work *w);

/* Are queue_max jobs already waiting? Service thread. */
bool worker_full(struct worker_pool *p);

/* Call done(w, ctx) for every finished job. Service thread. */
void worker_drain(struct worker_pool *p, void *ctx);

/* Finish queued jobs, join, free (finished jobs' done() is called with
 * ctx). Accepts NULL. Service thread. */
void worker_pool_stop(struct worker_pool *p, void *ctx);

#endif
