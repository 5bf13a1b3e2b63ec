/*
 * monitor.c — counters for the organiser's live monitor (see monitor.h).
 */
#include "monitor.h"

#include <stdlib.h>

void monitor_window_add(struct monitor_window *w, int64_t now_s)
{
    int i = (int)(((now_s % MONITOR_WINDOW_S) + MONITOR_WINDOW_S) %
                  MONITOR_WINDOW_S);
    if (w->sec[i] == now_s) {
        w->n[i]++;
    } else if (w->sec[i] < now_s) { /* a bucket of a past minute: reuse */
        w->sec[i] = now_s;
        w->n[i] = 1;
    }
}

uint32_t monitor_window_sum(const struct monitor_window *w, int64_t now_s)
{
    uint32_t sum = 0;
    for (int i = 0; i < MONITOR_WINDOW_S; i++)
        if (w->sec[i] <= now_s && w->sec[i] > now_s - MONITOR_WINDOW_S)
            sum += w->n[i];
    return sum;
}

struct monitor *monitor_new(void)
{
    struct monitor *m = calloc(1, sizeof *m);
    if (m)
        imap_init(&m->exams);
    return m;
}

static void monitor_exam_free(void *arg, void *val)
{
    (void)arg;
    struct monitor_exam *x = val;
    for (int i = 0; i < x->n_units; i++) {
        imap_fini(&x->units[i]->users);
        free(x->units[i]);
    }
    free(x->units);
    free(x);
}

void monitor_free(struct monitor *m)
{
    if (!m)
        return;
    imap_each(&m->exams, monitor_exam_free, NULL);
    imap_fini(&m->exams);
    free(m->subs);
    free(m);
}

struct monitor_exam *monitor_exam_get(const struct monitor *m, int64_t exam_id)
{
    return imap_get(&m->exams, exam_id);
}

/* The exam's record, made if missing; NULL on malloc failure. */
static struct monitor_exam *monitor_exam_make(struct monitor *m,
                                              int64_t exam_id)
{
    struct monitor_exam *x = imap_get(&m->exams, exam_id);
    if (x)
        return x;
    if (!(x = calloc(1, sizeof *x)))
        return NULL;
    x->exam_id = exam_id;
    if (imap_put(&m->exams, exam_id, x)) {
        free(x);
        return NULL;
    }
    return x;
}

/* A linear search: an exam has tens, at most a few hundred, units, and
 * this runs when an attempt starts, not per answer. */
struct monitor_unit *monitor_unit_get(struct monitor *m, int64_t exam_id,
                                      int64_t unit_id)
{
    struct monitor_exam *x = monitor_exam_make(m, exam_id);
    if (!x)
        return NULL;
    for (int i = 0; i < x->n_units; i++)
        if (x->units[i]->unit_id == unit_id)
            return x->units[i];
    if (x->n_units == x->cap_units) {
        int cap = x->cap_units ? x->cap_units * 2 : 8;
        struct monitor_unit **nu = realloc(x->units, sizeof *nu * (size_t)cap);
        if (!nu)
            return NULL;
        x->units = nu;
        x->cap_units = cap;
    }
    struct monitor_unit *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->unit_id = unit_id;
    imap_init(&u->users);
    x->units[x->n_units++] = u;
    return u;
}

void monitor_started(struct monitor_unit *u)
{
    if (u)
        u->started++;
}

void monitor_submitted(struct monitor_unit *u)
{
    if (u)
        u->submitted++;
}

void monitor_conn_show(struct monitor_unit **slot, int64_t user_id,
                       struct monitor_unit *u)
{
    struct monitor_unit *old = *slot;
    if (old == u)
        return;
    if (old) {
        intptr_t n = (intptr_t)imap_get(&old->users, user_id);
        if (n > 1) {
            imap_put(&old->users, user_id, (void *)(n - 1)); /* no growth */
        } else {
            imap_del(&old->users, user_id);
            old->connected--;
        }
    }
    *slot = NULL;
    if (!u)
        return;
    intptr_t n = (intptr_t)imap_get(&u->users, user_id);
    if (imap_put(&u->users, user_id, (void *)(n + 1)))
        return; /* out of memory: not counted, and not uncounted later */
    if (!n)
        u->connected++;
    *slot = u;
}

void monitor_exam_totals(const struct monitor_exam *x, int64_t now_s,
                         struct monitor_totals *out)
{
    *out = (struct monitor_totals){0};
    for (int i = 0; x && i < x->n_units; i++) {
        const struct monitor_unit *u = x->units[i];
        out->connected += u->connected;
        out->started += u->started;
        out->submitted += u->submitted;
        out->answers_min += monitor_window_sum(&u->answers, now_s);
    }
}

/* Subscriptions are few (the organisers at their desks): an array. */
struct monitor_sub *monitor_sub_set(struct monitor *m, uint64_t conn,
                                    int64_t exam_id)
{
    monitor_sub_drop(m, conn);
    if (m->n_subs == m->cap_subs) {
        int cap = m->cap_subs ? m->cap_subs * 2 : 8;
        struct monitor_sub *ns = realloc(m->subs, sizeof *ns * (size_t)cap);
        if (!ns)
            return NULL;
        m->subs = ns;
        m->cap_subs = cap;
    }
    struct monitor_sub *s = &m->subs[m->n_subs++];
    *s = (struct monitor_sub){.conn = conn, .exam_id = exam_id};
    return s;
}

void monitor_sub_drop(struct monitor *m, uint64_t conn)
{
    for (int i = 0; i < m->n_subs; i++)
        if (m->subs[i].conn == conn) {
            m->subs[i] = m->subs[--m->n_subs];
            return;
        }
}
