/*
 * store_contest.h — contests, their rounds and the rows their rankings,
 * unit figures and monitor are made of (docs/contests.md).
 *
 * A round is an exam row with contest_id and round_no set; its window
 * changes live in exams.window_opens_ms / window_closes_ms (NULL = the
 * snapshot's). Reads run on the service thread's connection (one query
 * each); writes on the writer thread inside a staff job's savepoint.
 */
#ifndef EXAMD_STORE_CONTEST_H
#define EXAMD_STORE_CONTEST_H

#include "store.h"

#include <stdbool.h>
#include <stdint.h>

struct store_contest {
    int64_t id, owner_id; /* owner 0 = none (admin-made by the CLI) */
    char *title;          /* owned */
    char *description;    /* owned */
    bool open_registration, archived;
    int64_t created_ms;
    int rounds;
};

/* One contest (EXAMD_ENOTFOUND when none); release with _fini. */
int store_contest_get(struct store *s, int64_t id, struct store_contest *out);
void store_contest_fini(struct store_contest *c);

/* Contests newest first: owner_id's only (0 = all), archived ones only
 * when archived. *out: new array (free with store_contests_free). */
int store_contests_list(struct store *s, int64_t owner_id, bool archived,
                        struct store_contest **out, int *n);
void store_contests_free(struct store_contest *v, int n);

/* A new contest; *id its id. Writer thread. */
int store_contest_create(struct store *s, const struct store_contest *c,
                         int64_t *id);

/* Change a contest: NULL strings and -1 flags keep their value.
 * EXAMD_ENOTFOUND when none. Writer thread. */
int store_contest_update(struct store *s, int64_t id, const char *title,
                         const char *description, int open_registration,
                         int archived);

struct store_round {
    int64_t id, contest_id, owner_id; /* exam id; the contest's owner */
    int round_no;
    char *title;  /* owned */
    char *prizes; /* owned: the JSON prize table */
    bool prediction, show_answers;
    int64_t published_ms;                      /* 0 = not published */
    int64_t window_opens_ms, window_closes_ms; /* -1 = the snapshot's */
    int started, submitted;                    /* attempts, closed attempts */
};

/* A round by exam id (EXAMD_ENOTFOUND when no such exam or it is not a
 * round); release with _fini. */
int store_round_get(struct store *s, int64_t id, struct store_round *out);
/* The same without the attempt counts (started, submitted 0): the cheap
 * read for an access check; store_round_count adds them when needed. */
int store_round_head(struct store *s, int64_t id, struct store_round *out);
int store_round_count(struct store *s, struct store_round *r);
void store_round_fini(struct store_round *r);

/* The rounds of a contest by round_no (free with store_rounds_free). */
int store_contest_rounds(struct store *s, int64_t contest_id,
                         struct store_round **out, int *n);
void store_rounds_free(struct store_round *v, int n);

/* Is round_no taken in the contest? The next free number into *next. */
int store_round_no(struct store *s, int64_t contest_id, int round_no,
                   bool *taken, int *next);

/* Make exam id a round of contest_id (round_no, the flags, the prize
 * table's JSON text). Writer thread. */
int store_round_set(struct store *s, int64_t id, const struct store_round *r);

/* Change a round: NULL and -1 keep. A new title changes the snapshot's
 * too. Writer thread. */
int store_round_edit(struct store *s, int64_t id, const char *title,
                     const char *prizes, int prediction, int show_answers);

/* Set a round's window and move the deadlines of its running attempts:
 * start + duration_ms, capped by closes_ms when not 0. Writer thread. */
int store_round_window(struct store *s, int64_t id, int64_t opens_ms,
                       int64_t closes_ms, int64_t duration_ms);

/* Set results_published_ms (0 = unpublish). Writer thread. */
int store_round_publish(struct store *s, int64_t id, int64_t ms);

/* Record a running attempt's prediction. EXAMD_ECLOSED when it is no
 * longer running. Writer thread. */
int store_attempt_predict(struct store *s, int64_t attempt_id, int64_t value);

/* The latest prediction user_id entered in exam_id (*has false if none). */
int store_prediction_latest(struct store *s, int64_t exam_id, int64_t user_id,
                            bool *has, int64_t *value);

/* One participant of a round: their counted (best) submitted attempt. */
struct store_round_entry {
    int64_t user_id, attempt_id, unit_id; /* unit 0 = none */
    char *name, *unit_name;               /* owned; unit_name "" = none */
    int n, attempts; /* the counted attempt's number; attempts made */
    int score_centi, correct, total;
    int64_t started_ms, submitted_ms;
    int64_t paused_ms;   /* submitted before a re-opening: not time taken */
    bool has_prediction; /* the latest prediction of the round */
    int64_t prediction;
};

/* Every participant with a submitted attempt, by user id, with the best
 * of their attempts (rank_attempt_better). Free with _free. */
int store_round_entries(struct store *s, int64_t exam_id,
                        struct store_round_entry **out, int *n);
void store_round_entries_free(struct store_round_entry *v, int n);

/* The unit of a user (0 = none). */
int store_user_unit(struct store *s, int64_t user_id, int64_t *unit_id);

#endif
