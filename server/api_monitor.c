/*
 * api_monitor.c — the organiser's live monitor (see api_monitor.h).
 *
 * Who may watch: an admin any exam; an organiser an exam they published
 * or a round of a contest they own (checked here, per message). A
 * connection watches one exam at a time; a new `monitor` replaces the
 * old one. The reply to `monitor` is the first snapshot; after it the
 * connection gets a push when the figures differ from the last ones it
 * was sent and at least 1000 ms have passed since (checked on the
 * one-second tick, so an organiser's screen costs the server at most one
 * snapshot a second, however busy the round).
 */
#include "api_monitor.h"
#include "clock.h"
#include "dispatch.h"
#include "err.h"
#include "monitor.h"
#include "store_contest.h"
#include "transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void api_monitor_load(void *arg, const struct store_monitor_count *n)
{
    struct runtime *rt = arg;
    struct monitor_unit *u = monitor_unit_get(rt->mon, n->exam_id, n->unit_id);
    if (!u) {
        rt->load_failed++;
        return;
    }
    u->started = (int32_t)n->started;
    u->submitted = (int32_t)n->submitted;
}

int api_monitor_init(struct runtime *rt, char *msg, size_t msglen)
{
    if (!(rt->mon = monitor_new())) {
        snprintf(msg, msglen, "out of memory");
        return EXAMD_ENOMEM;
    }
    int rc = store_monitor_counts_each(rt->db, api_monitor_load, rt);
    if (rc || rt->load_failed) {
        snprintf(msg, msglen, "cannot count the attempts for the monitor");
        return rc ? rc : EXAMD_ENOMEM;
    }
    return 0;
}

struct monitor_unit *api_monitor_unit_of(struct runtime *rt, int64_t exam_id,
                                         int64_t user_id)
{
    int64_t unit = 0;
    if (!rt->mon || store_user_unit(rt->db, user_id, &unit))
        return NULL;
    return monitor_unit_get(rt->mon, exam_id, unit);
}

/* May c's user watch exam_id? 0, EXAMD_ENOTFOUND or EXAMD_EFORBIDDEN. */
static int api_monitor_allowed(struct runtime *rt, const struct conn *c,
                               int64_t exam_id)
{
    int64_t owner, contest_owner;
    if (!runtime_exam(rt, exam_id))
        return EXAMD_ENOTFOUND;
    int rc = store_exam_watchers(rt->db, exam_id, &owner, &contest_owner);
    if (rc)
        return rc == EXAMD_ENOTFOUND ? rc : EXAMD_EINTERNAL;
    if (!strcmp(c->role, "admin") || owner == c->user_id ||
        contest_owner == c->user_id)
        return 0;
    return EXAMD_EFORBIDDEN;
}

/* The exam's snapshot as JSON text (malloc'd), and the hash of its
 * figures; NULL on malloc failure. */
static char *api_monitor_snapshot(struct runtime *rt, int64_t exam_id,
                                  const char *id, int64_t now_ms,
                                  uint64_t *hash)
{
    const struct monitor_exam *x = monitor_exam_get(rt->mon, exam_id);
    int n = x ? x->n_units : 0;
    struct proto_monitor_row *rows = calloc((size_t)n + 1, sizeof *rows);
    if (!rows)
        return NULL;
    struct monitor_totals t;
    int64_t now_s = now_ms / 1000;
    monitor_exam_totals(x, now_s, &t);
    uint64_t h = 1469598103934665603ULL; /* FNV-1a over the figures */
    for (int i = 0; i < n; i++) {
        const struct monitor_unit *u = x->units[i];
        rows[i] = (struct proto_monitor_row){
            u->unit_id, u->connected, u->started, u->submitted,
            monitor_window_sum(&u->answers, now_s)};
        const int64_t *v = &rows[i].unit;
        for (int k = 0; k < 5; k++)
            h = (h ^ (uint64_t)v[k]) * 1099511628211ULL;
    }
    *hash = h;
    struct proto_monitor pm = {
        id,     exam_id,
        now_ms, {0, t.connected, t.started, t.submitted, t.answers_min},
        rows,   n};
    char *text = proto_monitor_encode(&pm);
    free(rows);
    return text;
}

void api_monitor_message(struct runtime *rt, struct conn *c,
                         const struct proto_msg *m)
{
    uint64_t ref = runtime_conn_ref(c);
    if (m->type == PROTO_UNMONITOR) {
        monitor_sub_drop(rt->mon, ref);
        char buf[PROTO_ID_MAX + 40];
        int n = snprintf(buf, sizeof buf, "{\"type\":\"unmonitor\",\"id\":%s}",
                         m->id);
        transport_send(rt, c, buf, (size_t)n);
        return;
    }
    int rc = api_monitor_allowed(rt, c, m->exam);
    if (rc) {
        dispatch_error(rt, c, m->id, rc, "exam");
        return;
    }
    int64_t now = clock_now_ms();
    uint64_t hash;
    struct monitor_sub *s = monitor_sub_set(rt->mon, ref, m->exam);
    char *text =
        s ? api_monitor_snapshot(rt, m->exam, m->id, now, &hash) : NULL;
    if (!text) {
        monitor_sub_drop(rt->mon, ref);
        dispatch_error(rt, c, m->id, EXAMD_ENOMEM, NULL);
        return;
    }
    s->last_ms = now;
    s->last_hash = hash;
    transport_send(rt, c, text, strlen(text));
    free(text);
}

void api_monitor_tick(struct runtime *rt, int64_t now_ms)
{
    struct monitor *m = rt->mon;
    for (int i = 0; m && i < m->n_subs; i++) {
        struct monitor_sub *s = &m->subs[i];
        struct conn *c = runtime_conn_get(rt, s->conn);
        if (!c || c->close_status) { /* gone: forget it, look at the one
                                         moved into its place */
            monitor_sub_drop(m, s->conn);
            i--;
            continue;
        }
        if (now_ms - s->last_ms < 1000)
            continue;
        uint64_t hash;
        char *text = api_monitor_snapshot(rt, s->exam_id, NULL, now_ms, &hash);
        if (!text || hash == s->last_hash) {
            free(text);
            continue;
        }
        s->last_ms = now_ms;
        s->last_hash = hash;
        transport_send(rt, c, text, strlen(text));
        free(text);
    }
}
