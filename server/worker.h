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

struct work {
    struct work *next;           /* owned by the pool while queued */
    void (*run)(struct work *w); /* worker thread */
    void (*done)(struct work *w, void *ctx); /* service thread; frees w */
};

struct worker_pool;

/* Start n threads. Returns 0 or EXAMD_EINTERNAL. Service thread. */
int worker_pool_start(struct worker_pool **out, int n, void (*wake)(void *arg),
                      void *arg);

/* Queue w. Service thread. */
void worker_submit(struct worker_pool *p, struct work *w);

/* Call done(w, ctx) for every finished job. Service thread. */
void worker_drain(struct worker_pool *p, void *ctx);

/* Finish queued jobs, join, free (finished jobs' done() is called with
 * ctx). Accepts NULL. Service thread. */
void worker_pool_stop(struct worker_pool *p, void *ctx);

#endif
