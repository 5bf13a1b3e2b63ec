/*
 * api_contest.h — contests and their rounds in the staff HTTP API, the
 * public results and registration (docs/contests.md).
 *
 * Rule 5 lives here for contests: an organiser reads and changes only
 * their own contests and rounds (403), an admin all; route.c keeps
 * trainers and candidates out. A round is an exam: it is published by
 * api_staff_exam_publish with a struct staff_round. Rankings, prize lists
 * and unit figures are built from one read of the round's attempts and
 * the pure rank.c (api_results.c); exports are written on a worker.
 * Every change is a WJOB_STAFF writer job, applied to the running server
 * (a round's window, its flags) once committed. Service thread unless
 * noted.
 */
#ifndef EXAMD_API_CONTEST_H
#define EXAMD_API_CONTEST_H

#include "api_class.h"
#include "runtime.h"
#include "writer.h"

#include <jansson.h>
#include <stdbool.h>

/* The extras of a round being published. */
struct staff_round {
    int64_t contest_id;
    int round_no; /* 0 = the next free number (filled by the writer) */
    bool prediction, show_answers;
    char *prizes; /* owned: the prize table as JSON text */
};

void api_contest_round_free(struct staff_round *r);

/* Writer thread, inside the publishing savepoint: store r for exam_id
 * and set the job's reply. 0 or an error (the reply says which). */
int api_contest_round_stored(struct store *st, struct wjob *j, int64_t exam_id,
                             struct staff_round *r);

/* A published round's exam is about to go live: its round fields. */
void api_contest_round_live(struct exam *e, const struct staff_round *r);


/* Handle c if its path is under /api/staff/contests or /api/staff/rounds;
 * false if it is not. */
bool api_contest_route(struct runtime *rt, struct conn *c,
                       const struct staff_who *who, bool post);

/* A staff writer job is done: for this module's, apply the change to the
 * running server. */
void api_contest_done(struct runtime *rt, struct wjob *j);

/* Handle a request under /api/public/ (anyone). */
void api_contest_public(struct runtime *rt, struct conn *c, bool post);

/* ---- shared by api_contest.c and api_results.c ---- */

struct store_round;

/* A round's state at now: "scheduled", "open" or "closed". */
const char *api_contest_state(const struct exam *e, int64_t now);

/* May a round's result carry the key at now? Only with show_answers,
 * once now >= closes_ms + grace_ms (attempts cut at the close take
 * answers until then) and no attempt of it is live besides the `closing`
 * ones whose result is being sent (0 or 1). docs/contests.md. */
bool api_contest_key_out(const struct exam *e, int64_t now, int grace_ms,
                         int closing);

/* GET /api/staff/rounds/ID/{ranking,prizes,units} and
 * /api/staff/contests/ID/units (what is "ranking", "prizes" or
 * "units"; contest_id set for the last). */
void api_results_staff(struct runtime *rt, struct conn *c,
                       const struct store_round *r, const struct exam *e,
                       const char *what);
void api_results_contest_units(struct runtime *rt, struct conn *c,
                               int64_t contest_id);

/* GET /api/public/rounds/ID/results. */
void api_results_public(struct runtime *rt, struct conn *c, int64_t id);

/* The public result pages kept (api_results_http.c): made at start
 * (0 or EXAMD_ENOMEM), freed at the end (after the workers stopped). */
int api_results_init(struct runtime *rt);
void api_results_fini(struct runtime *rt);
/* A staff change committed: drop every page kept. */
void api_results_forget(struct runtime *rt);
/* Round round_id was published: build its page now. */
void api_results_warm(struct runtime *rt, int64_t round_id);

/* POST /api/public/contests/ID/register (api_join.c). */
void api_join_register(struct runtime *rt, struct conn *c, int64_t contest_id);

#endif
