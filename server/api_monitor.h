/*
 * api_monitor.h — the organiser's live monitor over the WebSocket:
 * `monitor` / `unmonitor` from staff, a snapshot pushed at most once a
 * second to each watching connection when its figures changed, and the
 * hooks that keep the counters (monitor.h) current. Service thread only.
 * docs/organiser-console.md "The monitor" and docs/protocol.md §2.9.
 */
#ifndef EXAMD_API_MONITOR_H
#define EXAMD_API_MONITOR_H

#include "runtime.h"

/* Make rt->mon and count the started and closed first attempts already
 * in the store. 0 or an error with msg filled. Before attempts load. */
int api_monitor_init(struct runtime *rt, char *msg, size_t msglen);

/* The record a new attempt of user_id on exam_id counts under: the
 * user's unit now. NULL if it cannot be had (nothing is counted). */
struct monitor_unit *api_monitor_unit_of(struct runtime *rt, int64_t exam_id,
                                         int64_t user_id);

/* `monitor` {exam} and `unmonitor` from c (already role-checked). */
void api_monitor_message(struct runtime *rt, struct conn *c,
                         const struct proto_msg *m);

/* Push changed figures to the watchers due (once a second). */
void api_monitor_tick(struct runtime *rt, int64_t now_ms);

#endif
