/*
 * results.h — an exam's results as a trainer hands them on: one row per
 * person with the counted attempt's score, rounded, classified and
 * passed or not under the exam's grading rules (grading.h).
 *
 * Used by the class table (GET /api/staff/exams/ID/results, api_scores.c)
 * and by the exports (`examd export roster|results`, XLSX and the print
 * page). Reads only; runs on whatever thread owns the store connection it
 * is given (the HTTP API uses a worker with a connection of its own, so a
 * contest of 20,000 people never holds up the event loop).
 *
 * Who is on the list:
 *  - class_id 0: every member of the exam's class (when it has one), and
 *    everyone who started an attempt;
 *  - class_id X: the members of class X only (with their attempts at this
 *    exam, if any), whatever class the exam was published for.
 * People with no attempt have attempts 0 and no score (counted false).
 *
 * The counted attempt: among the person's SUBMITTED attempts, the one with
 * the highest score; a tie goes to the earliest (lowest attempt number),
 * so a later equal attempt changes nothing (Moodle's "highest grade"). A
 * running attempt (including a re-opened one) does not count until it is
 * submitted again.
 *
 * Order numbers: Vietnamese rosters sort by given name (the last word of
 * the full name), then by the whole name, accents ignored for the order
 * (text_fold), then by user id; order is 1..n in that order.
 *
 * Raw points: earned / total points of the counted attempt, recomputed
 * from the frozen exam and the attempt's stored answers on read (attempts
 * store only the 10-point score); exact for old attempts too.
 */
#ifndef EXAMD_RESULTS_H
#define EXAMD_RESULTS_H

#include "exam.h"
#include "grading.h"
#include "store.h"

#include <stdbool.h>
#include <stdint.h>

struct results_row {
    int order;       /* 1-based order number (see above) */
    int64_t user_id; /* users.id */
    char username[64];
    char *name;         /* owned: full name */
    char birth[11];     /* yyyy-mm-dd, "" = unknown */
    int64_t unit_id;    /* 0 = none */
    char *unit_name;    /* owned, "" = none */
    int attempts;       /* attempts started (running ones too) */
    bool running;       /* one of them is running now */
    bool counted;       /* a submitted attempt counts; false: the fields
                           below up to passed are 0 / "" */
    int64_t attempt_id; /* the counted attempt */
    int attempt_n;      /* its number (1 = first) */
    int score_centi;    /* its 10-point score x 100, as graded (0..1000) */
    int rounded_centi;  /* rounded to the exam's step (grading_round) */
    int percent_tenths; /* unrounded score in percent x 10 (= score_centi) */
    int correct, total; /* questions fully right / on the paper */
    double points, points_max;        /* raw points earned / on the paper */
    int band;                         /* index into results.grading.bands */
    bool passed;                      /* rounded_centi >= the pass mark */
    int64_t started_ms, submitted_ms; /* epoch ms */
    int64_t taken_ms;                 /* submitted - started */
    char reason[16];                  /* "candidate" | "deadline" */
};

struct results {
    int64_t exam_id, class_id; /* class_id as asked (0 = see above) */
    char *title;               /* owned: the exam's title */
    struct grading grading;    /* the exam's rules (defaults when '') */
    bool reopenable; /* its attempts may be re-opened: the review shows
                        candidates nothing (or a contest round) */
    int n;
    struct results_row *rows; /* owned, in order */
    /* totals over the rows */
    int n_counted;         /* rows with a counted attempt */
    int n_passed;          /* of them, passed */
    int avg_rounded_centi; /* mean rounded score of the counted rows,
                              half up; 0 when none */
    int band_count[GRADING_MAX_BANDS]; /* counted rows per band */
};

/*
 * Read the results of exam e (borrowed; NULL: load exam_id's snapshot
 * from s) limited as above. *out: new (free with results_free).
 * Returns 0, EXAMD_ENOTFOUND (no such exam), EXAMD_ENOMEM, EXAMD_EIO,
 * or EXAMD_EINVAL when the stored grading rules do not parse (cannot
 * happen through the API, which validates them).
 */
int results_read(struct store *s, const struct exam *e, int64_t exam_id,
                 int64_t class_id, struct results **out);

/* Free; accepts NULL. */
void results_free(struct results *r);

/* The band name of row r in Vietnamese (en false) or English (falls back
 * to Vietnamese when the band has no English name); "" when not counted. */
const char *results_band_name(const struct results *res,
                              const struct results_row *r, bool en);

#endif
