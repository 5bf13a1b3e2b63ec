/*
 * api_results_http.c — the results routes (api_contest.h): the staff
 * ranking, prizes and unit figures, the contest's unit figures, the
 * public result page, and a live round's results export (live_export.c).
 * Service thread unless noted.
 *
 * Every result is computed on the worker pool with the worker's own
 * store connection (api_results.c): the event loop only checks access
 * and sends the reply, found again by reference. A staff request that
 * finds the workers' queue full is answered 503 busy at once.
 *
 * The public page of a published round is kept once built (rt->results):
 * a published round no longer changes, and the page is reloaded by
 * thousands when the results come out. Each request then costs a copy of
 * its first ?top= rows; requests that arrive while the page is being
 * built wait for that one build. Publishing builds it at once; any
 * committed staff change (a round edited or unpublished, a contest, a
 * unit or a person renamed, a regrade) drops every kept page
 * (api_results_forget), and the next request builds it again.
 */
#include "api.h"
#include "api_contest.h"
#include "api_live.h"
#include "api_results.h"
#include "api_staff.h"
#include "clock.h"
#include "err.h"
#include "imap.h"
#include "live_export.h"
#include "store_contest.h"
#include "transport.h"
#include "worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct results_job;

/* One round's public page. */
struct results_page {
    json_t *obj;                 /* owned: the page (top RESULTS_TOP_MAX) */
    struct results_job *pending; /* the build in flight (not owned) */
};

struct results_cache {
    struct imap pages; /* round id -> struct results_page */
};

/* Who waits for a public build, and how many rows they asked for. */
struct results_waiter {
    uint64_t conn;
    int top;
};

struct results_job {
    struct work w; /* first: the pool hands us this */
    struct results_req q;
    char db_path[512];
    char name[96];                  /* export file name, without extension */
    int format;                     /* enum sheet_format, or -1 for JSON */
    uint64_t conn;                  /* staff: the asker */
    struct results_waiter *waiters; /* owned (public) */
    int n_waiters, cap_waiters;
    int rc;        /* worker: the outcome */
    json_t *reply; /* worker: JSON */
    char *out;     /* worker: the file (exports) */
    size_t len;
    char msg[200];
};

static void results_job_free(struct results_job *x)
{
    json_decref(x->reply);
    free(x->out);
    free(x->waiters);
    free(x);
}

/* Worker thread. */
static void results_job_run(struct work *w)
{
    struct results_job *x = (struct results_job *)w;
    struct store *s = NULL;
    struct sheet *sh[LIVE_EXPORT_SHEETS] = {NULL};
    int n = x->q.what == RESULTS_LIVE ? LIVE_EXPORT_SHEETS : 1;
    x->rc = store_open(x->db_path, false, &s, x->msg, sizeof x->msg);
    if (!x->rc)
        x->rc = x->q.what == RESULTS_LIVE
                    ? live_export(s, x->q.id, sh, x->msg, sizeof x->msg)
                    : results_compute(s, &x->q, &x->reply, &sh[0]);
    store_close(s);
    if (!x->rc && sh[0])
        x->rc = sheet_write(sh, n, x->format, NULL, &x->out, &x->len, x->msg,
                            sizeof x->msg);
    for (int i = 0; i < LIVE_EXPORT_SHEETS; i++)
        sheet_free(sh[i]);
}

/* The public page o cut to its first top rows (new reference). */
static json_t *results_page_top(json_t *o, int top)
{
    json_t *all = json_object_get(o, "top"), *a = json_array(),
           *copy = json_copy(o);
    for (size_t i = 0; i < json_array_size(all) && i < (size_t)top; i++)
        json_array_append(a, json_array_get(all, i));
    if (!copy || json_object_set_new(copy, "top", a)) {
        json_decref(copy);
        return NULL;
    }
    return copy;
}

static void results_reply(struct runtime *rt, struct conn *c, int rc, json_t *o)
{
    if (rc)
        api_fail(rt, c, rc == EXAMD_ENOTFOUND ? 404 : 500,
                 rc == EXAMD_ENOTFOUND ? EXAMD_ENOTFOUND : EXAMD_EINTERNAL);
    else if (o)
        api_staff_json(rt, c, 200, o);
    else
        api_fail(rt, c, 500, EXAMD_ENOMEM);
}

static void results_public_done(struct runtime *rt, struct results_job *x)
{
    struct results_page *p = imap_get(&rt->results->pages, x->q.id);
    if (p && p->pending == x) { /* not dropped meanwhile: keep it */
        p->pending = NULL;
        if (!x->rc) {
            p->obj = x->reply;
            json_incref(p->obj);
        } else {
            imap_del(&rt->results->pages, x->q.id);
            free(p);
        }
    }
    for (int i = 0; i < x->n_waiters; i++) {
        struct conn *c = runtime_conn_get(rt, x->waiters[i].conn);
        if (c)
            results_reply(
                rt, c, x->rc,
                x->rc ? NULL : results_page_top(x->reply, x->waiters[i].top));
    }
}

static void results_job_done(struct work *w, void *ctx)
{
    struct results_job *x = (struct results_job *)w;
    struct runtime *rt = ctx;
    struct conn *c = rt && x->conn ? runtime_conn_get(rt, x->conn) : NULL;
    if (x->rc && x->rc != EXAMD_ENOTFOUND)
        fprintf(stderr, "examd: results of %lld: %s\n", (long long)x->q.id,
                x->msg[0] ? x->msg : "failed");
    if (rt && x->q.what == RESULTS_PUBLIC) {
        results_public_done(rt, x);
    } else if (c && !x->rc && x->out) {
        c->ctype = sheet_format_mime(x->format);
        snprintf(c->disposition, sizeof c->disposition,
                 "attachment; filename=\"%s.%s\"", x->name,
                 sheet_format_ext(x->format));
        c->status = 200;
        transport_send(rt, c, x->out, x->len);
    } else if (c) {
        results_reply(rt, c, x->rc, x->reply);
        x->reply = NULL;
    }
    results_job_free(x);
}

/* A job for q (copied); NULL on malloc failure. */
static struct results_job *results_job_new(struct runtime *rt,
                                           const struct results_req *q)
{
    struct results_job *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->q = *q;
    x->format = -1;
    x->w.run = results_job_run;
    x->w.done = results_job_done;
    snprintf(x->db_path, sizeof x->db_path, "%s", rt->cfg->db_path);
    return x;
}

/* ?format=: -1 for JSON (none given; only when json_ok), -2 after
 * replying 400. */
static int results_format(struct runtime *rt, struct conn *c, bool json_ok)
{
    const char *f = api_arg(c, "format");
    if (json_ok && (!f || !*f || !strcmp(f, "json")))
        return -1;
    int k = sheet_format_parse(f);
    if (k == SHEET_CSV || k == SHEET_XLSX)
        return k;
    api_staff_fail(rt, c, 400, EXAMD_EINVAL, "format",
                   "định dạng là csv hoặc xlsx / the format is csv or xlsx");
    return -2;
}

/* A staff request for q on the pool, named name if exported. */
static void results_staff_submit(struct runtime *rt, struct conn *c,
                                 struct results_req *q, const char *name)
{
    int format = results_format(rt, c, q->what != RESULTS_LIVE);
    if (format == -2 || api_workers_busy(rt, c))
        return;
    q->sheet = format >= 0;
    struct results_job *x = results_job_new(rt, q);
    if (!x) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    x->format = format;
    x->conn = runtime_conn_ref(c);
    snprintf(x->name, sizeof x->name, "%s", name);
    worker_submit(rt->workers, &x->w);
}

/* The service thread's view of round e. */
static void results_req_round(struct results_req *q, int what,
                              const struct exam *e)
{
    memset(q, 0, sizeof *q);
    q->what = what;
    q->id = e->id;
    q->prediction = e->prediction;
    snprintf(q->state, sizeof q->state, "%s",
             api_contest_state(e, clock_now_ms()));
    q->closes_ms = e->closes_ms;
    snprintf(q->title, sizeof q->title, "%s", e->title ? e->title : "");
}

void api_results_staff(struct runtime *rt, struct conn *c,
                       const struct store_round *r, const struct exam *e,
                       const char *what)
{
    struct results_req q;
    char name[96];
    long long offset = 0, limit = RESULTS_PAGE_DEFAULT;
    bool ranking = !strcmp(what, "ranking");
    if (ranking && !api_staff_arg_int(c, "offset", 0, 1000000000, 0, &offset)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "offset",
                       "offset là số nguyên không âm / offset is a whole "
                       "number, 0 or more");
        return;
    }
    if (ranking && !api_staff_arg_int(c, "limit", 1, RESULTS_PAGE_MAX,
                                      RESULTS_PAGE_DEFAULT, &limit)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "limit",
                       "limit là số nguyên từ 1 đến 1000 / limit is a whole "
                       "number from 1 to 1000");
        return;
    }
    results_req_round(&q,
                      ranking                   ? RESULTS_RANKING
                      : !strcmp(what, "prizes") ? RESULTS_PRIZES
                                                : RESULTS_UNITS,
                      e);
    q.offset = (int)offset;
    q.limit = (int)limit;
    snprintf(name, sizeof name, "round-%lld-%s", (long long)r->id, what);
    results_staff_submit(rt, c, &q, name);
}

void api_results_contest_units(struct runtime *rt, struct conn *c,
                               int64_t contest_id)
{
    struct results_req q = {.what = RESULTS_CONTEST_UNITS, .id = contest_id};
    char name[96];
    snprintf(name, sizeof name, "contest-%lld-units", (long long)contest_id);
    results_staff_submit(rt, c, &q, name);
}

void api_results_live(struct runtime *rt, struct conn *c, int64_t round_id)
{
    struct results_req q = {.what = RESULTS_LIVE, .id = round_id};
    char name[96];
    snprintf(name, sizeof name, "live-%lld-results", (long long)round_id);
    results_staff_submit(rt, c, &q, name);
}

/* Build round e's public page on the pool (unless being built); waiter
 * (conn 0: none) gets it. The page, or NULL having failed (replied to
 * waiter when given). */
static struct results_page *results_page_build(struct runtime *rt,
                                               const struct exam *e,
                                               struct results_waiter w,
                                               struct conn *c)
{
    struct results_page *p = imap_get(&rt->results->pages, e->id);
    bool made = !p;
    if (made && (!(p = calloc(1, sizeof *p)) ||
                 imap_put(&rt->results->pages, e->id, p))) {
        free(p);
        return NULL;
    }
    if (!p->pending) {
        struct results_req q;
        results_req_round(&q, RESULTS_PUBLIC, e);
        if (!(p->pending = results_job_new(rt, &q))) {
            if (made)
                free(imap_del(&rt->results->pages, e->id));
            return NULL;
        }
        worker_submit(rt->workers, &p->pending->w);
    }
    struct results_job *x = p->pending;
    if (c && !store_grow((void **)&x->waiters, &x->cap_waiters, x->n_waiters,
                         sizeof *x->waiters))
        return NULL; /* the build goes on, for the next ones */
    if (c)
        x->waiters[x->n_waiters++] = w;
    return p;
}

void api_results_public(struct runtime *rt, struct conn *c, int64_t id)
{
    long long top;
    const struct exam *e = runtime_exam(rt, id);
    if (!api_staff_arg_int(c, "top", 1, RESULTS_TOP_MAX, 50, &top)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "top", NULL);
        return;
    }
    struct results_page *p = e ? imap_get(&rt->results->pages, id) : NULL;
    if (p && p->obj) { /* kept: no SQL, no ranking */
        results_reply(rt, c, 0, results_page_top(p->obj, (int)top));
        return;
    }
    struct store_round r;
    int rc = e ? store_round_get(rt->db, id, &r) : EXAMD_ENOTFOUND;
    bool published = !rc && r.published_ms;
    if (!rc)
        store_round_fini(&r);
    if (!published) {
        results_reply(rt, c, rc && rc != EXAMD_ENOTFOUND ? rc : EXAMD_ENOTFOUND,
                      NULL);
        return;
    }
    if (!p && api_workers_busy(rt, c)) /* nothing to join: 503 busy */
        return;
    struct results_waiter w = {runtime_conn_ref(c), (int)top};
    if (!results_page_build(rt, e, w, c))
        api_fail(rt, c, 500, EXAMD_ENOMEM);
}

/* ---- keeping ---- */

int api_results_init(struct runtime *rt)
{
    if (!(rt->results = calloc(1, sizeof *rt->results)))
        return EXAMD_ENOMEM;
    imap_init(&rt->results->pages);
    return 0;
}

static void results_page_free(void *arg, void *val)
{
    (void)arg;
    struct results_page *p = val;
    json_decref(p->obj);
    free(p); /* a pending build finds no page and only replies */
}

void api_results_forget(struct runtime *rt)
{
    if (!rt->results || !rt->results->pages.n)
        return;
    imap_each(&rt->results->pages, results_page_free, NULL);
    imap_fini(&rt->results->pages);
    imap_init(&rt->results->pages);
}

void api_results_warm(struct runtime *rt, int64_t round_id)
{
    const struct exam *e = runtime_exam(rt, round_id);
    struct results_waiter none = {0, 0};
    if (e && rt->results)
        results_page_build(rt, e, none, NULL);
}

void api_results_fini(struct runtime *rt)
{
    if (!rt->results)
        return;
    imap_each(&rt->results->pages, results_page_free, NULL);
    imap_fini(&rt->results->pages);
    free(rt->results);
    rt->results = NULL;
}
