/* attempt_log.c — connection events in batches (see attempt_log.h). */
#include "attempt_log.h"
#include "clock.h"
#include "dispatch.h"
#include "err.h"
#include "runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct attempt_log_event {
    int64_t attempt_id, server_ms;
    const char *kind; /* static */
    char ip[48];
};

/* The queue: hung off the runtime, grown on demand. */
struct attempt_log {
    struct attempt_log_event *v;
    int n, cap;
    int64_t flushed_ms; /* last hand-over to the writer */
};

/* Writer thread: write one batch (the job's arg). */
static int attempt_log_run(struct store *st, struct wjob *j)
{
    struct attempt_log *b = j->arg;
    struct store_event_new *rows = calloc((size_t)b->n + 1, sizeof *rows);
    if (!rows)
        return EXAMD_ENOMEM;
    for (int i = 0; i < b->n; i++)
        rows[i] = (struct store_event_new){.attempt_id = b->v[i].attempt_id,
                                           .server_ms = b->v[i].server_ms,
                                           .kind = b->v[i].kind,
                                           .detail = b->v[i].ip};
    int rc = store_attempt_events_add(st, rows, b->n);
    free(rows);
    return rc;
}

static void attempt_log_batch_free(void *arg)
{
    struct attempt_log *b = arg;
    if (b)
        free(b->v);
    free(b);
}

static void attempt_log_add(struct runtime *rt, int64_t attempt_id,
                            const char *kind, const char *ip, int64_t now)
{
    struct attempt_log *q = rt->attempt_log;
    if (!q && !(q = rt->attempt_log = calloc(1, sizeof *q)))
        return;
    if (q->n == q->cap) {
        int cap = q->cap ? q->cap * 2 : 64;
        struct attempt_log_event *v = realloc(q->v, sizeof *v * (size_t)cap);
        if (!v)
            return;
        q->v = v;
        q->cap = cap;
    }
    struct attempt_log_event *ev = &q->v[q->n++];
    ev->attempt_id = attempt_id;
    ev->server_ms = now;
    ev->kind = kind;
    snprintf(ev->ip, sizeof ev->ip, "%s", ip);
    if (q->n >= ATTEMPT_LOG_BATCH)
        attempt_log_flush(rt, now, 1);
}

void attempt_log_connect(struct runtime *rt, const struct conn *c,
                         int64_t attempt_id, int64_t now_ms)
{
    attempt_log_add(rt, attempt_id, "connect", c->ip, now_ms);
}

void attempt_log_conn_closed(struct runtime *rt, const struct conn *c)
{
    struct attempt_rt *a;
    if (c->kind != CONN_WS || !c->attempt || !rt->writer ||
        !(a = imap_get(&rt->attempts, c->attempt)) || a->state != ATT_RUNNING ||
        a->holder != runtime_conn_ref(c))
        return;
    attempt_log_add(rt, a->id, "disconnect", c->ip, clock_now_ms());
}

void attempt_log_flush(struct runtime *rt, int64_t now_ms, int force)
{
    struct attempt_log *q = rt->attempt_log, *b;
    struct wjob *j;
    if (!q || !q->n || !rt->writer || (!force && now_ms - q->flushed_ms < 1000))
        return;
    if (!(b = calloc(1, sizeof *b)) || !(j = wjob_new(WJOB_STAFF))) {
        free(b);
        return; /* kept: tried again at the next tick */
    }
    /* The batch takes the array; the queue starts a new one. */
    *b = *q;
    q->v = NULL;
    q->n = q->cap = 0;
    q->flushed_ms = now_ms;
    j->reply = REPLY_NONE; /* nobody waits */
    j->run = attempt_log_run;
    j->arg = b;
    j->arg_free = attempt_log_batch_free;
    j->server_ms = now_ms;
    writer_submit(rt->writer, j);
}

void attempt_log_free(struct runtime *rt)
{
    attempt_log_batch_free(rt->attempt_log);
    rt->attempt_log = NULL;
}
