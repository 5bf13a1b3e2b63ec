/*
 * api_scores.h — scores in the staff HTTP API (docs/staff-api.md,
 * docs/scores.md): an exam's grading rules, its class table, re-opening a
 * submitted attempt and the per-candidate review.
 *
 *   POST /api/staff/exams/ID/grading     change the rules (audited)
 *   GET  /api/staff/exams/ID/results     the class table [?class=ID]
 *   POST /api/staff/attempts/ID/reopen   {reason, minutes?} (audited)
 *   GET  /api/staff/attempts/ID/review   paper, choices, key, history
 *
 * Rule 5: a trainer reaches only the exams they published (403 for
 * another's, 404 for none) and, with ?class, only their own classes;
 * organisers and admins reach every exam. The class table is read on a
 * worker with a connection of its own (a contest's 20,000 rows never hold
 * up the event loop); the review is one attempt, read on the service
 * thread; changes are WJOB_STAFF writer jobs. Service thread unless noted.
 */
#ifndef EXAMD_API_SCORES_H
#define EXAMD_API_SCORES_H

#include "api_class.h"
#include "runtime.h"

#include <jansson.h>
#include <stdbool.h>

/* Handle c if its path is one of the above (reading its JSON body
 * itself); false if it is not. */
bool api_scores_route(struct runtime *rt, struct conn *c,
                      const struct staff_who *who, bool post);

/*
 * The optional "grading" of a new exam (v: absent or null = the
 * defaults): true with *text the canonical rules (malloc'd; NULL for the
 * defaults), or false having replied 400 naming the field
 * ("grading.pass", "grading.bands[1].min" ...).
 */
bool api_scores_grading_arg(struct runtime *rt, struct conn *c, const json_t *v,
                            char **text);

/* ---- shared by api_scores.c and api_review.c ---- */

/* GET /api/staff/attempts/ID/review (api_review.c). */
void api_review_request(struct runtime *rt, struct conn *c,
                        const struct staff_who *who, int64_t attempt_id);

/* A writer job finished: for a re-opening, make the attempt live again
 * (or forget it when the write failed). Any job may be passed. */
void api_scores_done(struct runtime *rt, struct wjob *j);

#endif
