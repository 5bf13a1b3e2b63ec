/*
 * api_contest_int.h — what api_contest.c (contests, round routes, the
 * writer jobs) and api_contest_window.c (a round's window changes) share.
 * Service thread unless noted.
 */
#ifndef EXAMD_API_CONTEST_INT_H
#define EXAMD_API_CONTEST_INT_H

#include "api_contest.h"
#include "store_contest.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

enum contest_kind { CO_CREATE, CO_EDIT, RO_EDIT, RO_WINDOW, RO_PUBLISH };

/* One writer job of the contest modules. -1 in an int field: keep. */
struct contest_op {
    int kind; /* enum contest_kind */
    int64_t id;
    int64_t owner_id;
    char *title, *description, *prizes; /* owned, NULL = keep */
    int open_registration, archived, prediction, show_answers;
    int64_t opens_ms, closes_ms, duration_ms; /* RO_WINDOW */
    const char *action;                       /* static: the audit action */
    bool publish;                             /* RO_PUBLISH */
};

void api_contest_op_free(void *arg);

/* Hand op (owned) to the writer; the reply follows its commit. */
void api_contest_submit(struct runtime *rt, struct conn *c,
                        struct contest_op *op);

/* Reply status/err about field with "vi / en" (vi NULL: the default). */
void api_contest_fail(struct runtime *rt, struct conn *c, int status, int err,
                      const char *field, const char *vi, const char *en);

/* Has the key of round e possibly gone out (show_answers and closed)? Then
 * nobody may hold the paper again: no re-opening, no later close. */
bool api_contest_key_given(const struct exam *e, int64_t now);

/* POST /api/staff/rounds/ID/{open,close,window} of round r (exam e,
 * access checked): validate the new window and submit it. */
void api_contest_window(struct runtime *rt, struct conn *c, const char *verb,
                        json_t *in, const struct store_round *r,
                        const struct exam *e);

/* A committed window change op of round e: the live exam's window, and
 * the deadlines (heap, candidates' tabs) of its running attempts. */
void api_contest_window_done(struct runtime *rt, struct exam *e,
                             const struct contest_op *op);

#endif
