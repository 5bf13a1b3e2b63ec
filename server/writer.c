/*
 * writer.c — group commit (see writer.h).
 *
 * Threads: writer_submit, writer_take_done, writer_stats_get run on the
 * service thread; writer_main is the writer thread. The mutex guards
 * queue/queue_tail/queued, done/done_tail, stop, and the stats.
 */
#include "writer.h"
#include "clock.h"
#include "err.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct writer {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct store *st;                /* writer thread only */
    struct wjob *queue, *queue_tail; /* mu */
    struct wjob *done, *done_tail;   /* mu */
    int queued;                      /* mu: jobs in queue */
    int queue_max;
    bool stop;              /* mu */
    bool failed;            /* mu; sticky */
    uint64_t batches, jobs; /* mu */
    void (*wake)(void *arg);
    void *wake_arg;
};

struct wjob *wjob_new(int kind)
{
    struct wjob *j = calloc(1, sizeof *j);
    if (j)
        j->kind = kind;
    return j;
}

void wjob_free(struct wjob *j)
{
    if (!j)
        return;
    free(j->answers);
    free(j->body);
    if (j->arg_free)
        j->arg_free(j->arg);
    if (j->cookie) {
        sodium_memzero(j->cookie, strlen(j->cookie));
        free(j->cookie);
    }
    free(j);
}

/* Grade the attempt from its rows (inside the open transaction) and close
 * it. Writer thread. */
static int writer_close(struct store *st, struct wjob *j)
{
    const struct exam *e = j->e;
    size_t n = (size_t)e->n_paper;
    bool flag[EXAM_MAX_PAPER], has[EXAM_MAX_PAPER];
    free(j->answers);
    if (!(j->answers = malloc(n)))
        return EXAMD_ENOMEM;
    int rc = store_answers_latest(st, j->attempt_id, e, j->paper, j->answers,
                                  flag, has);
    if (rc)
        return rc;
    grade_paper(e, j->paper, j->answers, &j->g);
    return store_attempt_close(st, j->attempt_id, j->submitted_ms, j->reason,
                               j->g.correct, j->g.total, j->g.score_centi);
}

/* A staff change in a savepoint of its own: its failure (or a dry run)
 * undoes only itself. Returns nonzero only if the savepoint itself fails.
 * Writer thread. */
static int writer_staff(struct store *st, struct wjob *j)
{
    if (store_exec_sql(st, "SAVEPOINT examd_staff"))
        return EXAMD_EIO;
    j->rc = j->run(st, j);
    if ((j->rc || j->undo) &&
        store_exec_sql(st, "ROLLBACK TO examd_staff"))
        return EXAMD_EIO;
    return store_exec_sql(st, "RELEASE examd_staff");
}

static int writer_job_run(struct store *st, struct wjob *j)
{
    switch (j->kind) {
    case WJOB_ANSWER:
        return store_answer_insert(st, j->attempt_id, j->seq, j->qid, j->choice,
                                   j->flag, j->server_ms);
    case WJOB_ATTEMPT_NEW:
        return store_attempt_insert(st, &j->att);
    case WJOB_CLOSE:
        return writer_close(st, j);
    case WJOB_STAFF:
        return writer_staff(st, j);
    default:
        return 0;
    }
}

/* Write one batch in one transaction; 0 or the first error. */
static int writer_batch(struct store *st, struct wjob *batch)
{
    int rc = store_begin(st);
    for (struct wjob *j = batch; j && !rc; j = j->next) {
        int jr = writer_job_run(st, j);
        if (j->kind != WJOB_STAFF)
            j->rc = jr;
        rc = jr;
    }
    if (!rc)
        rc = store_commit(st);
    if (rc)
        store_rollback(st);
    return rc;
}

static void *writer_main(void *arg)
{
    struct writer *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->queue && !w->stop)
            pthread_cond_wait(&w->cv, &w->mu);
        if (!w->queue && w->stop)
            break;
        struct wjob *batch = w->queue, *tail = w->queue_tail;
        int n = w->queued;
        bool failed = w->failed;
        w->queue = w->queue_tail = NULL;
        w->queued = 0;
        pthread_mutex_unlock(&w->mu);

        int rc = failed ? EXAMD_EIO : writer_batch(w->st, batch);
        if (rc)
            for (struct wjob *j = batch; j; j = j->next)
                j->rc = EXAMD_EIO;

        pthread_mutex_lock(&w->mu);
        if (rc && !w->failed) {
            w->failed = true;
            fprintf(stderr, "examd: writer: a transaction failed; refusing "
                            "all further writes until restart\n");
        }
        if (!rc) {
            w->batches++;
            w->jobs += (uint64_t)n;
        }
        if (w->done_tail)
            w->done_tail->next = batch;
        else
            w->done = batch;
        w->done_tail = tail;
        pthread_mutex_unlock(&w->mu);
        w->wake(w->wake_arg);
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int writer_start(struct writer **out, const char *db_path, bool sync_full,
                 int queue_max, void (*wake)(void *arg), void *arg, char *msg,
                 size_t msglen)
{
    struct writer *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(msg, msglen, "out of memory");
        return EXAMD_ENOMEM;
    }
    int rc = store_open(db_path, sync_full, &w->st, msg, msglen);
    if (rc) {
        free(w);
        return rc;
    }
    w->queue_max = queue_max;
    w->wake = wake;
    w->wake_arg = arg;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w)) {
        snprintf(msg, msglen, "cannot start the writer thread");
        store_close(w->st);
        free(w);
        return EXAMD_EINTERNAL;
    }
    *out = w;
    return 0;
}

int writer_submit(struct writer *w, struct wjob *j)
{
    j->next = NULL;
    j->rc = 0;
    pthread_mutex_lock(&w->mu);
    if (j->kind == WJOB_ANSWER && w->queued >= w->queue_max) {
        pthread_mutex_unlock(&w->mu);
        return EXAMD_EBUSY;
    }
    if (w->queue_tail)
        w->queue_tail->next = j;
    else
        w->queue = j;
    w->queue_tail = j;
    w->queued++;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    return 0;
}

struct wjob *writer_take_done(struct writer *w)
{
    pthread_mutex_lock(&w->mu);
    struct wjob *d = w->done;
    w->done = w->done_tail = NULL;
    pthread_mutex_unlock(&w->mu);
    return d;
}

void writer_stats_get(struct writer *w, struct writer_stats *st)
{
    pthread_mutex_lock(&w->mu);
    st->batches = w->batches;
    st->jobs = w->jobs;
    st->queued = w->queued;
    st->failed = w->failed;
    pthread_mutex_unlock(&w->mu);
}

void writer_stop(struct writer *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    for (struct wjob *j = w->done, *n; j; j = n) {
        n = j->next;
        wjob_free(j);
    }
    store_close(w->st);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
}
