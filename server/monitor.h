/*
 * monitor.h — the live figures of exams (contest rounds) for the
 * organiser's monitor: per exam and per unit, who is connected, how many
 * started and submitted, and answers saved in the last minute.
 *
 * The figures are counters kept by the service thread as things happen
 * (docs/organiser-console.md "The monitor" defines each one): no SQL on
 * the way, so the answer path pays one bucket increment. A candidate is
 * counted under the unit they belonged to when their attempt started
 * (struct attempt_rt.mon); the records of an exam's units are made on
 * first use and live until monitor_free, so attempts and connections may
 * point at them.
 *
 * Pure: no clock reads (now is passed in), no I/O, no locks. Service
 * thread only (api_monitor.c is the glue to the runtime).
 */
#ifndef EXAMD_MONITOR_H
#define EXAMD_MONITOR_H

#include "imap.h"

#include <stdbool.h>
#include <stdint.h>

/* Answers in the last minute: 60 one-second buckets, each tagged with
 * its second so a stale bucket is recognised without clearing it. */
#define MONITOR_WINDOW_S 60

struct monitor_window {
    int64_t sec[MONITOR_WINDOW_S]; /* epoch second the bucket counts */
    uint32_t n[MONITOR_WINDOW_S];
};

/* Count one event at now_s (epoch seconds). Events older than the window
 * are dropped as their bucket is reused; an event older than the newest
 * bucket of its slot is dropped too (the clock went back). */
void monitor_window_add(struct monitor_window *w, int64_t now_s);

/* Events in the seconds now_s-59 .. now_s. */
uint32_t monitor_window_sum(const struct monitor_window *w, int64_t now_s);

/* One unit's figures in one exam (unit_id 0: candidates without a unit). */
struct monitor_unit {
    int64_t unit_id;
    int32_t connected; /* distinct candidates shown in `users` */
    int32_t started;   /* candidates who started their first attempt */
    int32_t submitted; /* of those, first attempt closed (any reason) */
    struct imap users; /* user id -> open WebSockets counted here */
    struct monitor_window answers;
};

struct monitor_exam {
    int64_t exam_id;
    struct monitor_unit **units; /* owned, in order of first use */
    int n_units, cap_units;
};

/* A staff connection watching one exam. */
struct monitor_sub {
    uint64_t conn; /* runtime_conn_ref of the watching WebSocket */
    int64_t exam_id;
    int64_t last_ms;    /* last snapshot sent, epoch ms (0 = none) */
    uint64_t last_hash; /* of the figures it carried */
};

struct monitor {
    struct imap exams;        /* exam id -> struct monitor_exam */
    struct monitor_sub *subs; /* owned; one per watching connection */
    int n_subs, cap_subs;
};

/* NULL on malloc failure. */
struct monitor *monitor_new(void);

/* Free every exam and unit record; accepts NULL. */
void monitor_free(struct monitor *m);

/* The exam's record, or NULL when nothing was counted for it yet. */
struct monitor_exam *monitor_exam_get(const struct monitor *m, int64_t exam_id);

/* The (exam, unit) record, made if missing; NULL on malloc failure. */
struct monitor_unit *monitor_unit_get(struct monitor *m, int64_t exam_id,
                                      int64_t unit_id);

/* A first attempt started / closed; u may be NULL (nothing counted). */
void monitor_started(struct monitor_unit *u);
void monitor_submitted(struct monitor_unit *u);

/* An answer saved at now_s (epoch seconds). u may be NULL. */
static inline void monitor_answer(struct monitor_unit *u, int64_t now_s)
{
    if (u)
        monitor_window_add(&u->answers, now_s);
}

/*
 * A connection of user_id moves from showing *slot (NULL = nothing) to
 * showing u (NULL = nothing): the user's count in the old unit drops, in
 * the new one rises, and `connected` follows the first and the last of
 * their connections. *slot is set to u, or to NULL if u could not count
 * the user (out of memory). The caller's slot lives in the connection.
 */
void monitor_conn_show(struct monitor_unit **slot, int64_t user_id,
                       struct monitor_unit *u);

/* Totals of one exam at now_s: the units' sums (a candidate counts in
 * one unit per attempt). */
struct monitor_totals {
    int64_t connected, started, submitted, answers_min;
};
void monitor_exam_totals(const struct monitor_exam *x, int64_t now_s,
                         struct monitor_totals *out);

/* conn watches exam_id from now on (instead of what it watched): the
 * subscription, or NULL on malloc failure. */
struct monitor_sub *monitor_sub_set(struct monitor *m, uint64_t conn,
                                    int64_t exam_id);

/* conn watches nothing any more (no-op if it did not watch). */
void monitor_sub_drop(struct monitor *m, uint64_t conn);

#endif
