/*
 * rank.h — the ranking of a contest round and its prize list.
 *
 * docs/contests.md states the rules; this module is them, and nothing
 * else: pure functions over plain arrays, no I/O, no clock, any thread.
 *
 * 1. Each participant's counted attempt is their best: the highest score,
 *    ties to the earliest attempt (rank_attempt_better).
 * 2. "actual" is the number of participants whose counted attempt got
 *    every question right (rank_actual).
 * 3. Participants are ordered by score descending, |prediction - actual|
 *    ascending (no prediction after any prediction; skipped when the
 *    round asks none), time taken ascending, submission time ascending;
 *    then user id, only to make the output stable (rank_sort).
 * 4. Equal on every ranking key (not the user id): the same rank,
 *    competition style (1, 2, 2, 4).
 * 5. Prizes go down the ranking; a group of tied people is never split:
 *    all get the prize of the first place they occupy and push the
 *    following prizes down (rank_prizes).
 */
#ifndef EXAMD_RANK_H
#define EXAMD_RANK_H

#include <stdbool.h>
#include <stdint.h>

#define RANK_NO_DIFF INT64_MAX /* diff of a participant without prediction */

/* One participant's counted attempt. */
struct rank_entry {
    int64_t user_id;
    int64_t attempt_id;
    int score_centi;      /* 10-point score in hundredths */
    int correct, total;   /* questions right, on the paper */
    bool has_prediction;  /* a prediction was entered */
    int64_t prediction;   /* >= 0 when has_prediction */
    int64_t time_ms;      /* submitted - started */
    int64_t submitted_ms; /* epoch ms */
    int ref;              /* the caller's, carried along by the sort */
    /* filled by rank_sort */
    int64_t diff; /* |prediction - actual|, RANK_NO_DIFF without one,
                     0 for every entry when the round asks none */
    int rank;     /* 1-based competition rank */
    /* filled by rank_prizes */
    int prize; /* index into the prize table, -1 = none */
};

/* Is attempt a (score_centi sa, attempt number na) better than b for
 * counting: higher score, or the same score and earlier? */
bool rank_attempt_better(int sa, int na, int sb, int nb);

/* The number of entries with every question right (correct == total > 0). */
int rank_actual(const struct rank_entry *v, int n);

/* Order of two entries whose diff is set: < 0 when a ranks before b, 0
 * when they tie on every ranking key (user id not looked at). */
int rank_compare(const struct rank_entry *a, const struct rank_entry *b);

/*
 * Fill diff (against actual; every diff 0 when !use_prediction), sort v
 * into ranking order (ties by user id) and fill rank. n >= 0.
 */
void rank_sort(struct rank_entry *v, int n, int64_t actual,
               bool use_prediction);

/*
 * Fill prize for v sorted by rank_sort: counts[k] places for prize k, in
 * order (n_prizes >= 0, counts >= 0). An entry of rank r gets the first k
 * with r - 1 < counts[0] + ... + counts[k], or -1.
 */
void rank_prizes(struct rank_entry *v, int n, const int *counts, int n_prizes);

#endif
