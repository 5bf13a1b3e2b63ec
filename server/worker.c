/*
 * worker.c — the slow-work pool (see worker.h). The mutex guards the
 * queue, the done list and stop.
 */
#include "worker.h"
#include "err.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#define WORKER_MAX 16

struct worker_pool {
    pthread_t threads[WORKER_MAX];
    int n;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct work *queue, *queue_tail; /* mu */
    int queued;                      /* mu: jobs in queue */
    int queue_max;
    struct work *done, *done_tail; /* mu */
    bool stop;                     /* mu */
    void (*wake)(void *arg);
    void *wake_arg;
};

static void *worker_main(void *arg)
{
    struct worker_pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->queue && !p->stop)
            pthread_cond_wait(&p->cv, &p->mu);
        struct work *w = p->queue;
        if (!w)
            break;
        p->queue = w->next;
        p->queued--;
        if (!p->queue)
            p->queue_tail = NULL;
        pthread_mutex_unlock(&p->mu);
        w->run(w);
        w->next = NULL;
        pthread_mutex_lock(&p->mu);
        if (p->done_tail)
            p->done_tail->next = w;
        else
            p->done = w;
        p->done_tail = w;
        pthread_mutex_unlock(&p->mu);
        p->wake(p->wake_arg);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int worker_pool_start(struct worker_pool **out, int n, int queue_max,
                      void (*wake)(void *arg), void *arg)
{
    struct worker_pool *p = calloc(1, sizeof *p);
    if (!p)
        return EXAMD_ENOMEM;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->queue_max = queue_max;
    p->wake = wake;
    p->wake_arg = arg;
    for (; p->n < n && p->n < WORKER_MAX; p->n++)
        if (pthread_create(&p->threads[p->n], NULL, worker_main, p))
            break;
    if (!p->n) {
        free(p);
        return EXAMD_EINTERNAL;
    }
    *out = p;
    return 0;
}

void worker_submit(struct worker_pool *p, struct work *w)
{
    w->next = NULL;
    pthread_mutex_lock(&p->mu);
    if (p->queue_tail)
        p->queue_tail->next = w;
    else
        p->queue = w;
    p->queue_tail = w;
    p->queued++;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

bool worker_full(struct worker_pool *p)
{
    pthread_mutex_lock(&p->mu);
    bool full = p->queued >= p->queue_max;
    pthread_mutex_unlock(&p->mu);
    return full;
}

void worker_drain(struct worker_pool *p, void *ctx)
{
    pthread_mutex_lock(&p->mu);
    struct work *w = p->done;
    p->done = p->done_tail = NULL;
    pthread_mutex_unlock(&p->mu);
    while (w) {
        struct work *next = w->next;
        w->done(w, ctx);
        w = next;
    }
}

void worker_pool_stop(struct worker_pool *p, void *ctx)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->n; i++)
        pthread_join(p->threads[i], NULL);
    worker_drain(p, ctx);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p);
}
