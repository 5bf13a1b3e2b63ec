/*
 * api_stats.c — GET /api/staff/exams/ID/stats[?attempts=first|all]: an
 * exam's item statistics for the staff console (docs/staff-api.md,
 * docs/statistics.md).
 *
 * Who may ask: api_exam_loaded (a trainer their own exams, a round its
 * contest's owner; 403 otherwise). The exam must be loaded (404
 * otherwise). The
 * reading and the arithmetic run on the worker pool with a connection of
 * the worker's own (stats_exam_json reads every counted answer of the
 * exam), so a large exam never holds up the event loop; the reply finds
 * its connection again by reference. When the workers' queue is full the
 * request is answered 503 busy at once. Service thread unless noted.
 */
#include "api.h"
#include "api_access.h"
#include "api_class.h"
#include "api_staff.h"
#include "api_stats.h"
#include "err.h"
#include "stats.h"
#include "store.h"
#include "worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct api_stats {
    struct work w; /* first: the pool hands us this */
    uint64_t conn;
    const struct exam *e; /* borrowed: exams live until the pool stops */
    bool all;
    char db_path[512];
    json_t *reply; /* worker thread builds; NULL: it failed */
};

/* Worker thread: open a connection, read, compute. */
static void api_stats_run(struct work *w)
{
    struct api_stats *st = (struct api_stats *)w;
    struct store *s = NULL;
    char msg[256];
    if (!store_open(st->db_path, false, &s, msg, sizeof msg))
        stats_exam_json(s, st->e, st->all, &st->reply, msg, sizeof msg);
    store_close(s);
}

static void api_stats_done(struct work *w, void *ctx)
{
    struct api_stats *st = (struct api_stats *)w;
    struct runtime *rt = ctx;
    struct conn *c = rt ? runtime_conn_get(rt, st->conn) : NULL;
    if (c && st->reply) {
        api_staff_json(rt, c, 200, st->reply);
        st->reply = NULL;
    } else if (c) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
    }
    json_decref(st->reply);
    free(st);
}

void api_stats_request(struct runtime *rt, struct conn *c,
                       const struct staff_who *who, int64_t exam_id)
{
    const char *which = api_arg(c, "attempts");
    bool all = which && !strcmp(which, "all");
    if (which && *which && !all && strcmp(which, "first")) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "attempts",
                       "attempts là first hoặc all / attempts is first or "
                       "all");
        return;
    }
    const struct exam *e = api_exam_loaded(rt, c, who, exam_id);
    if (!e || api_workers_busy(rt, c)) /* 503 busy: the console may retry */
        return;
    struct api_stats *st = calloc(1, sizeof *st);
    if (!st) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    st->conn = runtime_conn_ref(c);
    st->e = e;
    st->all = all;
    snprintf(st->db_path, sizeof st->db_path, "%s", rt->cfg->db_path);
    st->w.run = api_stats_run;
    st->w.done = api_stats_done;
    worker_submit(rt->workers, &st->w);
}
