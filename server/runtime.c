/*
 * runtime.c — start-up, shutdown and the service thread's tables
 * (see runtime.h).
 */
#include "runtime.h"
#include "attempt_log.h"
#include "live.h"
#include "api_monitor.h"
#include "api_contest.h"
#include "clock.h"
#include "err.h"
#include "monitor.h"
#include "netrange.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int64_t runtime_running_key(int64_t user_id, int64_t exam_id)
{
    return (user_id << 24) ^ exam_id;
}

int64_t runtime_member_key(int64_t class_id, int64_t user_id)
{
    return (int64_t)(((uint64_t)class_id << 32) | (uint32_t)user_id);
}

int runtime_member_add(struct runtime *rt, int64_t class_id, int64_t user_id)
{
    return imap_put(&rt->members, runtime_member_key(class_id, user_id),
                    (void *)1);
}

int runtime_exam_class_set(struct runtime *rt, int64_t exam_id,
                           int64_t class_id)
{
    if (!class_id) {
        imap_del(&rt->exam_class, exam_id);
        return 0;
    }
    return imap_put(&rt->exam_class, exam_id, (void *)(intptr_t)class_id);
}

bool runtime_exam_visible(const struct runtime *rt, int64_t user_id,
                          int64_t exam_id)
{
    int64_t class_id = (intptr_t)imap_get(&rt->exam_class, exam_id);
    return !class_id ||
           imap_get(&rt->members, runtime_member_key(class_id, user_id));
}

/* store_*_each callbacks filling the maps at start; a failure counts. */
static void runtime_load_member(void *arg, int64_t class_id, int64_t user_id)
{
    struct runtime *rt = arg;
    if (runtime_member_add(rt, class_id, user_id))
        rt->load_failed++;
}

static void runtime_load_exam_class(void *arg, int64_t exam_id,
                                    int64_t class_id)
{
    struct runtime *rt = arg;
    if (runtime_exam_class_set(rt, exam_id, class_id))
        rt->load_failed++;
}

const struct exam *runtime_exam(const struct runtime *rt, int64_t id)
{
    for (int i = 0; i < rt->n_exams; i++)
        if (rt->exams[i]->id == id)
            return rt->exams[i];
    return NULL;
}

int runtime_exam_add(struct runtime *rt, struct exam *e)
{
    struct exam **nv =
        realloc(rt->exams, sizeof *nv * (size_t)(rt->n_exams + 1));
    if (!nv) {
        exam_free(e);
        return EXAMD_ENOMEM;
    }
    rt->exams = nv;
    rt->exams[rt->n_exams++] = e;
    return 0;
}

struct attempt_rt *runtime_attempt_add(struct runtime *rt,
                                       const struct store_attempt *a,
                                       const struct exam *e, int state)
{
    struct attempt_rt *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->paper = malloc(sizeof *x->paper * (size_t)e->n_paper);
    if (!x->paper || paper_assemble(e, a->seed, x->paper))
        goto fail;
    x->id = a->id;
    x->user_id = a->user_id;
    x->e = e;
    x->seed = a->seed;
    x->n = a->n;
    x->started_ms = a->started_ms;
    x->deadline_ms = a->deadline_ms;
    x->reopen_deadline_ms = a->reopen_deadline_ms;
    x->state = state;
    x->seq_committed = a->last_seq;
    x->mon = api_monitor_unit_of(rt, e->id, x->user_id);
    if (imap_put(&rt->attempts, x->id, x))
        goto fail;
    if (imap_put(&rt->running, runtime_running_key(x->user_id, e->id), x) ||
        deadline_push(&rt->deadlines, x->deadline_ms + rt->cfg->grace_ms,
                      x->id)) {
        imap_del(&rt->attempts, x->id);
        imap_del(&rt->running, runtime_running_key(x->user_id, e->id));
        goto fail;
    }
    ((struct exam *)e)->n_live++; /* service thread only, like the window */
    return x;
fail:
    free(x->paper);
    free(x);
    return NULL;
}

void runtime_attempt_drop(struct runtime *rt, struct attempt_rt *a)
{
    if (!a)
        return;
    if (imap_get(&rt->attempts, a->id) == a)
        ((struct exam *)a->e)->n_live--;
    imap_del(&rt->attempts, a->id);
    int64_t key = runtime_running_key(a->user_id, a->e->id);
    if (imap_get(&rt->running, key) == a)
        imap_del(&rt->running, key);
    free(a->paper);
    free(a);
}

struct runtime_load {
    struct runtime *rt;
    int loaded, failed;
};

static void runtime_load_attempt(void *arg, const struct store_attempt *a)
{
    struct runtime_load *l = arg;
    const struct exam *e = runtime_exam(l->rt, a->exam_id);
    struct store_attempt moved = *a;
    /* A round's window may have moved after the attempt started (and
     * after its row was written): its deadline follows the window, from
     * the re-opening's grant if it was re-opened. */
    if (e && e->contest_id)
        moved.deadline_ms =
            exam_deadline_of(e, a->started_ms, a->reopen_deadline_ms);
    if (e && runtime_attempt_add(l->rt, &moved, e, ATT_RUNNING))
        l->loaded++;
    else
        l->failed++;
}

/* Read exactly n bytes from fd: 0, or -1 (short file or error). */
static int runtime_read_all(int fd, uint8_t *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    uint8_t extra;
    return read(fd, &extra, 1) == 0 ? 0 : -1;
}

int runtime_join_key_load(const char *path, uint8_t key[32], char *msg,
                          size_t msglen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        int rc = runtime_read_all(fd, key, 32);
        close(fd);
        if (rc) {
            sodium_memzero(key, 32);
            snprintf(msg, msglen, "%s: not a join key (32 bytes)", path);
            return EXAMD_EINVAL;
        }
        return 0;
    }
    if (errno != ENOENT ||
        (fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
        snprintf(msg, msglen, "%s: %s", path, strerror(errno));
        return EXAMD_EIO;
    }
    randombytes_buf(key, 32);
    bool ok = write(fd, key, 32) == 32 && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok) {
        snprintf(msg, msglen, "%s: cannot write the join key", path);
        unlink(path);
        sodium_memzero(key, 32);
        return EXAMD_EIO;
    }
    return 0;
}

/* The key's path: the configured one, or join.key beside the database. */
static void runtime_join_key_path(const struct config *cfg, char *out, size_t n)
{
    const char *slash = strrchr(cfg->db_path, '/');
    if (cfg->join_key[0])
        snprintf(out, n, "%s", cfg->join_key);
    else if (slash)
        snprintf(out, n, "%.*s/join.key", (int)(slash - cfg->db_path),
                 cfg->db_path);
    else
        snprintf(out, n, "join.key");
}

int runtime_init(struct runtime *rt, const struct config *cfg,
                 void (*wake)(void *arg), void *arg, char *msg, size_t msglen)
{
    int rc;
    memset(rt, 0, sizeof *rt);
    rt->cfg = cfg;
    imap_init(&rt->attempts);
    imap_init(&rt->running);
    imap_init(&rt->user_conns);
    imap_init(&rt->ip_conns);
    imap_init(&rt->exam_class);
    imap_init(&rt->members);
    deadline_init(&rt->deadlines);
    if ((rc = store_open(cfg->db_path, cfg->sync_full, &rt->db, msg, msglen)) ||
        (rc = store_exams_load(rt->db, &rt->exams, &rt->n_exams, msg, msglen)))
        return rc;
    char keypath[600];
    runtime_join_key_path(cfg, keypath, sizeof keypath);
    if ((rc = runtime_join_key_load(keypath, rt->join_key, msg, msglen)))
        return rc;
    /* exports: the installation's signing key, made at the first start */
    char pkpath[600];
    sign_key_paths(cfg->db_path, keypath, pkpath, sizeof keypath);
    if ((rc = sign_key_load(keypath, pkpath, &rt->sign_key, msg, msglen)))
        return rc;
    if ((rc = store_memberships_each(rt->db, runtime_load_member, rt)) ||
        (rc = store_exam_classes_each(rt->db, runtime_load_exam_class, rt)) ||
        (rc = rt->load_failed ? EXAMD_ENOMEM : 0)) {
        snprintf(msg, msglen, "cannot read class memberships");
        return rc;
    }
    if ((rc = store_attempt_max_id(rt->db, &rt->next_attempt_id))) {
        snprintf(msg, msglen, "cannot read attempts");
        return rc;
    }
    rt->next_attempt_id++;
    if ((rc = api_monitor_init(rt, msg, msglen)))
        return rc;
    struct runtime_load l = {rt, 0, 0};
    if ((rc = store_attempts_running(rt->db, runtime_load_attempt, &l))) {
        snprintf(msg, msglen, "cannot read attempts");
        return rc;
    }
    if (l.failed) {
        snprintf(msg, msglen, "%d running attempts could not be loaded",
                 l.failed);
        return EXAMD_EINTERNAL;
    }
    if ((rc = live_init(rt, msg, msglen))) /* live rounds */
        return rc;
    if ((rc = api_results_init(rt))) { /* contest results kept */
        snprintf(msg, msglen, "out of memory");
        return rc;
    }
    if ((rc = writer_start(&rt->writer, cfg->db_path, cfg->sync_full,
                           cfg->writer_queue_max, wake, arg, msg, msglen)))
        return rc;
    if ((rc = worker_pool_start(&rt->workers, 2, cfg->worker_queue, wake,
                                arg))) {
        snprintf(msg, msglen, "cannot start worker threads");
        return rc;
    }
    return 0;
}

static void runtime_free_attempt(void *arg, void *val)
{
    (void)arg;
    struct attempt_rt *a = val;
    free(a->paper);
    free(a);
}

void runtime_stop_threads(struct runtime *rt)
{
    attempt_log_flush(rt, clock_now_ms(), 1); /* scores: queued events */
    worker_pool_stop(rt->workers, NULL);
    rt->workers = NULL;
    writer_stop(rt->writer);
    rt->writer = NULL;
}

void runtime_fini(struct runtime *rt)
{
    runtime_stop_threads(rt);
    imap_each(&rt->attempts, runtime_free_attempt, NULL);
    imap_fini(&rt->attempts);
    imap_fini(&rt->running);
    imap_fini(&rt->user_conns);
    imap_fini(&rt->ip_conns);
    imap_fini(&rt->exam_class);
    imap_fini(&rt->members);
    deadline_fini(&rt->deadlines);
    attempt_log_free(rt);
    live_fini(rt);
    for (uint32_t i = 1; i < rt->n_slots; i++)
        if (rt->slots[i])
            runtime_conn_free(rt, rt->slots[i]);
    monitor_free(rt->mon);
    api_results_fini(rt);
    free(rt->slots);
    free(rt->free_slots);
    for (int i = 0; i < rt->n_exams; i++)
        exam_free(rt->exams[i]);
    free(rt->exams);
    store_close(rt->db);
    sodium_memzero(rt, sizeof *rt);
}

/* ---- connections ---- */

struct conn *runtime_conn_new(struct runtime *rt, int kind)
{
    uint32_t slot;
    if (rt->n_free) {
        slot = rt->free_slots[--rt->n_free];
    } else {
        if (!rt->n_slots)
            rt->n_slots = 1; /* ref 0 means "nobody" */
        if (rt->n_slots >= rt->cap_slots) {
            uint32_t cap = rt->cap_slots ? rt->cap_slots * 2 : 1024;
            struct conn **s = realloc(rt->slots, sizeof *s * cap);
            uint32_t *f = s ? realloc(rt->free_slots, sizeof *f * cap) : NULL;
            if (s) {
                memset(s + rt->cap_slots, 0, sizeof *s * (cap - rt->cap_slots));
                rt->slots = s;
            }
            if (!f)
                return NULL;
            rt->free_slots = f;
            rt->cap_slots = cap;
        }
        slot = rt->n_slots++;
    }
    struct conn *c = calloc(1, sizeof *c);
    if (!c) {
        rt->free_slots[rt->n_free++] = slot;
        return NULL;
    }
    c->slot = slot;
    c->gen = ++rt->gen;
    c->kind = kind;
    rt->slots[slot] = c;
    return c;
}

static void runtime_ip_release(struct runtime *rt, struct conn *c);

void runtime_conn_free(struct runtime *rt, struct conn *c)
{
    if (!c)
        return;
    attempt_log_conn_closed(rt, c); /* scores: a candidate's tab went */
    runtime_conn_unbind_user(rt, c);
    runtime_ip_release(rt, c);
    monitor_conn_show(&c->mon, c->user_id, NULL);
    for (struct outmsg *m = c->out, *n; m; m = n) {
        n = m->next;
        free(m);
    }
    free(c->rx);
    free(c->body);
    rt->slots[c->slot] = NULL;
    rt->free_slots[rt->n_free++] = c->slot;
    free(c);
}

uint64_t runtime_conn_ref(const struct conn *c)
{
    return ((uint64_t)c->gen << 32) | c->slot;
}

struct conn *runtime_conn_get(struct runtime *rt, uint64_t ref)
{
    uint32_t slot = (uint32_t)ref, gen = (uint32_t)(ref >> 32);
    if (!slot || slot >= rt->n_slots || !rt->slots[slot] ||
        rt->slots[slot]->gen != gen)
        return NULL;
    return rt->slots[slot];
}

int runtime_conn_bind_user(struct runtime *rt, struct conn *c)
{
    struct conn *head = imap_get(&rt->user_conns, c->user_id);
    if (imap_put(&rt->user_conns, c->user_id, c))
        return EXAMD_ENOMEM;
    c->user_prev = NULL;
    c->user_next = head;
    if (head)
        head->user_prev = c;
    return 0;
}

void runtime_conn_unbind_user(struct runtime *rt, struct conn *c)
{
    if (c->kind != CONN_WS || !c->user_id)
        return;
    if (c->user_prev)
        c->user_prev->user_next = c->user_next;
    else if (imap_get(&rt->user_conns, c->user_id) == c) {
        if (c->user_next)
            imap_put(&rt->user_conns, c->user_id, c->user_next);
        else
            imap_del(&rt->user_conns, c->user_id);
    }
    if (c->user_next)
        c->user_next->user_prev = c->user_prev;
    c->user_next = c->user_prev = NULL;
}

/* ---- the perimeter: message rate, connections per address ---- */

void runtime_rate_init(struct conn *c, const struct config *cfg, int64_t now)
{
    c->rate_ms = now;
    c->rate_level = (int64_t)cfg->msg_burst * 1000;
    c->rate_refused = 0;
}

int runtime_rate_take(struct conn *c, const struct config *cfg, int64_t now)
{
    if (!cfg->msg_rate)
        return RUNTIME_RATE_OK;
    int64_t cap = (int64_t)cfg->msg_burst * 1000;
    int64_t el = now - c->rate_ms;
    if (el > 0) { /* both buckets move with time (el capped: no overflow) */
        if (el > 86400000)
            el = 86400000;
        c->rate_ms = now;
        c->rate_level += el * cfg->msg_rate;
        if (c->rate_level > cap)
            c->rate_level = cap;
        c->rate_refused -= el * 4 * cfg->msg_rate;
        if (c->rate_refused < 0)
            c->rate_refused = 0;
    }
    if (c->rate_level >= 1000) {
        c->rate_level -= 1000;
        return RUNTIME_RATE_OK;
    }
    c->rate_refused += 1000;
    return c->rate_refused > cap ? RUNTIME_RATE_CLOSE : RUNTIME_RATE_REFUSE;
}

/* The map key of an address: its 16-byte form hashed (FNV-1a, 63 bits;
 * two addresses sharing a key would share a count, at odds of 2^-63). */
static int64_t runtime_ip_key(const char *ip)
{
    uint8_t a[16];
    uint64_t h = 1469598103934665603ULL;
    if (!netrange_addr(ip, a))
        memset(a, 0, sizeof a);
    for (int i = 0; i < 16; i++)
        h = (h ^ a[i]) * 1099511628211ULL;
    return (int64_t)(h & INT64_MAX);
}

bool runtime_ip_admit(struct runtime *rt, struct conn *c)
{
    const struct config *cfg = rt->cfg;
    if (!cfg->max_conns_per_ip ||
        (!cfg->cap_loopback && netrange_is_loopback(c->ip)))
        return true;
    int64_t key = runtime_ip_key(c->ip);
    intptr_t n = (intptr_t)imap_get(&rt->ip_conns, key);
    if (n >= cfg->max_conns_per_ip)
        return false;
    if (imap_put(&rt->ip_conns, key, (void *)(n + 1)))
        return true; /* out of memory: admit, uncounted */
    c->ip_counted = true;
    return true;
}

static void runtime_ip_release(struct runtime *rt, struct conn *c)
{
    if (!c->ip_counted)
        return;
    int64_t key = runtime_ip_key(c->ip);
    intptr_t n = (intptr_t)imap_get(&rt->ip_conns, key);
    if (n > 1)
        imap_put(&rt->ip_conns, key, (void *)(n - 1));
    else
        imap_del(&rt->ip_conns, key);
    c->ip_counted = false;
}
