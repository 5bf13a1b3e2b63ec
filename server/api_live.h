/*
 * api_live.h — the organiser's side of live rounds in the staff HTTP API
 * (docs/live-rounds.md "API"): create, list, read, and the steps start,
 * reveal, next, revive, end, and the results export. Organisers and admins only
 * (route.c); an organiser reaches only the rounds they created (404 otherwise),
 * an admin every round. Service thread.
 */
#ifndef EXAMD_API_LIVE_H
#define EXAMD_API_LIVE_H

#include "api_class.h"
#include "runtime.h"
#include "writer.h"

#include <stdbool.h>

/* Handle c if its path is under /api/staff/live; false if it is not. */
bool api_live_route(struct runtime *rt, struct conn *c,
                    const struct staff_who *who, bool post);

/* A staff writer job finished: a created round goes live (called for
 * every staff job; ignores the others'). */
void api_live_done(struct runtime *rt, struct wjob *j);

/* GET /api/staff/live/ID/export?format=csv|xlsx (access checked): the
 * board and the answers per question, built on the worker pool from the
 * database (live_export.c); in api_results_http.c with the other
 * exports. */
void api_results_live(struct runtime *rt, struct conn *c, int64_t round_id);

#endif
