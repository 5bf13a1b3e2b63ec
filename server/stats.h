/*
 * stats.h — item and test statistics of an exam, as Moodle's quiz
 * statistics report defines them (docs/statistics.md has every formula
 * with its Moodle name).
 *
 * The pure part (stats.c) takes, for each attempt, the mark each paper
 * position ("slot") earned as a fraction of its question's points, and
 * gives the test figures (mean, median, standard deviation, skewness,
 * kurtosis, coefficient of internal consistency, error ratio, standard
 * error, a 10-bin histogram of the 10-point score) and, per question of
 * the pool, the facility index, standard deviation, discrimination index,
 * discriminative efficiency, how many chose each option, and flags.
 * A question that is not on every paper (a blueprint draws from a larger
 * pool) is measured over the attempts that saw it, as Moodle does for the
 * questions a random slot drew.
 *
 * Figures that cannot be computed (too few attempts, zero variance) are
 * STATS_NULL (a NaN) in the structs and null in JSON: never a NaN on the
 * wire.
 *
 * The reader (stats_exam.c) gathers an exam's attempts from the store,
 * rebuilds each paper from its seed, regrades each answer against the
 * frozen snapshot (grade.c) and returns the figures as JSON. It reads the
 * whole exam, so it runs on a worker thread with its own connection (an
 * exam of 20,000 attempts takes a fraction of a second, never the event
 * loop's).
 */
#ifndef EXAMD_STATS_H
#define EXAMD_STATS_H

#include "exam.h"

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* "No value": a figure that cannot be computed. */
#define STATS_NULL NAN
#define stats_is_null(x) isnan(x)

/* Variances (units: percent squared) at or below this are zero: the sums
 * of identical marks leave rounding dust, and a discrimination index over
 * dust would be noise, not null. */
#define STATS_EPS 1e-9

/* Flags need at least this many attempts of the question. */
#define STATS_FLAG_MIN_S 5
#define STATS_EASY_ABOVE 90.0 /* facility above this: too easy */
#define STATS_HARD_BELOW 20.0 /* facility below this: too hard */
#define STATS_WEAK_BELOW 20.0 /* discrimination 0 <= d < this: weak */

enum stats_flag {
    STATS_FLAG_EASY = 1,     /* facility > 90 % */
    STATS_FLAG_HARD = 2,     /* facility < 20 % */
    STATS_FLAG_NEGATIVE = 4, /* discrimination index < 0 */
    STATS_FLAG_WEAK = 8      /* 0 <= discrimination index < 20 */
};

#define STATS_HIST_BINS 10

/* One question of the pool. */
struct stats_item_def {
    double points; /* its mark (> 0) */
    int n_options; /* 1..EXAM_MAX_OPTIONS */
};

/*
 * The marks. Attempt a's slot j is element a * n_slots + j of item,
 * fraction and choice. Slot j must mean the same place on every paper
 * (examd: the paper sorted by pool index, i.e. blueprint cell order), as
 * the coefficient of internal consistency sums the slots' variances.
 */
struct stats_input {
    int n_items;
    const struct stats_item_def *items;
    int n_slots; /* questions per paper (p), >= 1 */
    int n_attempts;
    const int32_t *item;    /* the pool index in each slot */
    const double *fraction; /* mark / points, <= 1 (negative: a penalty) */
    const uint8_t *choice;  /* bank-order options chosen (bit k = option
                               k), 0 = not answered; NULL = no counts */
};

struct stats_test {
    int n; /* attempts */
    /* Percent of the paper's maximum (Moodle shows them so). */
    double mean, median, sd;
    double skewness, kurtosis; /* no unit */
    double cic, error_ratio;   /* percent */
    double standard_error;     /* percent of the maximum */
    int hist[STATS_HIST_BINS]; /* 10-point score: [k, k+1), 10 in
                                  the last bin */
};

struct stats_item {
    int s;                       /* attempts that had the question */
    double facility;             /* percent: mean mark / points */
    double sd;                   /* percent of points: sample SD of the marks */
    double discrimination;       /* 100 x correlation(mark, rest of the test) */
    double efficiency;           /* 100 x cov(mark, rest) / its maximum */
    int chose[EXAM_MAX_OPTIONS]; /* attempts that chose option k */
    int blank;                   /* attempts that left it unanswered */
    unsigned flags;              /* enum stats_flag */
};

struct stats_result {
    struct stats_test test;
    int n_items;
    struct stats_item *items; /* owned, n_items, pool order */
};

/*
 * Compute every figure of in into out (out->items is allocated; release
 * with stats_result_fini). Returns 0, EXAMD_EINVAL when in is malformed
 * (an item index out of range, n_slots < 1) or EXAMD_ENOMEM. Any thread.
 */
int stats_compute(const struct stats_input *in, struct stats_result *out);

/* Free what out owns; accepts a zeroed result. */
void stats_result_fini(struct stats_result *r);

/* x as a JSON real, or null when it is STATS_NULL (new reference). */
json_t *stats_json_real(double x);

/*
 * The statistics of exam e from the database s: first attempts (each
 * candidate's attempt 1, once submitted) or, with all_attempts, every
 * submitted attempt. Each paper is rebuilt from its seed and each final
 * answer regraded against the frozen snapshot. *out gets a new object:
 *
 *   {"exam":{"id","title"},"attempts":"first"|"all",
 *    "test":{n, mean, median, sd, skewness, kurtosis, cic, error_ratio,
 *            standard_error, max_points, histogram:[10 counts]},
 *    "questions":[{id, current_id, bank, family, cell, text, multi,
 *                  points, options:[{text, correct, count}], blank, s,
 *                  facility, sd, discrimination, efficiency,
 *                  flags:["easy","hard","negative","weak"]}],
 *    "thresholds":{...}}
 *
 * (docs/staff-api.md). Returns 0, or an error with msg filled. Reads
 * only; runs on any thread that owns s (the API uses a worker and its own
 * connection). e must stay alive during the call; only its frozen
 * parts are read (the title comes from the exams row: exam.h).
 */
int stats_exam_json(struct store *s, const struct exam *e, bool all_attempts,
                    json_t **out, char *msg, size_t msglen);

#endif
