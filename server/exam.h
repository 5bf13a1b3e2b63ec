/*
 * exam.h — a published exam held in memory, papers, and time arithmetic.
 *
 * An exam is frozen when published: its question pool (text, options, key)
 * is a snapshot stored with the exam row and loaded once at start, so
 * answering reads nothing from disk. A candidate's paper is a pure function
 * of the exam and the attempt's seed: which questions, in which order, and
 * each question's option order. The seed is stored with the attempt, so the
 * paper can be rebuilt after a restart and reviewed years later.
 *
 * Pure code: no I/O, no clock. Used by the service thread (runtime,
 * dispatch), the writer thread (grading at close) and the CLI; an exam's
 * paper and scoring are immutable after exam_from_json(), so threads share
 * it without locks. The exceptions are the title, the window (opens_ms,
 * closes_ms) and the round fields below: an organiser editing, opening,
 * closing or extending a round changes them on the service thread, which
 * frees the old title. So only the service thread may read them: a
 * worker or the writer that borrows a struct exam reads the frozen parts
 * only, and takes the title or the window from the exams row on its own
 * connection (store_exam_meta_get, as results.c, report.c and
 * stats_exam.c do) or from a copy made at submit.
 */
#ifndef EXAMD_EXAM_H
#define EXAMD_EXAM_H

#include "netrange.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define EXAM_MAX_OPTIONS 6
#define EXAM_MAX_PAPER 200

enum exam_review {
    EXAM_REVIEW_NONE = 0, /* score and count only */
    EXAM_REVIEW_ANSWERS,  /* + own choice and right/wrong per question */
    EXAM_REVIEW_FULL      /* + the key */
};

enum exam_difficulty { EXAM_EASY = 0, EXAM_MEDIUM, EXAM_HARD };

#define EXAM_WEIGHT_FULL 10000000 /* = BANK_WEIGHT_FULL: 100 % of a mark */
#define EXAM_MAX_CELLS 64

/* How a multiple-answer question is marked. */
enum exam_multi {
    EXAM_MULTI_ALL = 0, /* all or nothing: the chosen set is the key set */
    EXAM_MULTI_PARTIAL  /* Moodle fractions: sum of the chosen options'
                           weights, floored at 0 */
};

/* One blueprint cell: draw count questions from pool[first, first+n). */
struct exam_cell {
    int first, n; /* the cell's slice of the pool */
    int count;    /* questions drawn from it onto each paper */
};

struct exam_question {
    int64_t id;                      /* questions.id in the store */
    char *text;                      /* owned */
    char *topic;                     /* owned */
    int difficulty;                  /* enum exam_difficulty */
    bool multi;                      /* several options may be correct */
    int n_options;                   /* 2..EXAM_MAX_OPTIONS */
    char *options[EXAM_MAX_OPTIONS]; /* owned, in bank order */
    uint8_t key;                     /* bit i set: option i is correct */
    /* Share of the mark per option, units 1e-7 (EXAM_WEIGHT_FULL = 100 %);
     * see bank.h. Snapshots from before weights derive them from key. */
    int32_t weight[EXAM_MAX_OPTIONS];
    int points;   /* the question's mark, 1..100 */
    bool shuffle; /* its options may be shuffled */
    /* The text and options as JSON string literals (quoted, escaped),
     * built once at load so papers and results are assembled by copying
     * (a join storm sends 19,900 papers at once). Owned. */
    char *json_text;
    char *json_options[EXAM_MAX_OPTIONS];
};

struct exam {
    int64_t id;
    char *title;       /* owned; service thread only (see above) */
    char *description; /* owned, may be "" */
    int n_pool;
    struct exam_question *pool; /* owned array of n_pool */
    int n_paper;                /* questions per paper, <= n_pool */
    /* The blueprint: the pool is cut into cells in order; a paper draws
     * cells[i].count from each. Snapshots without cells have one cell
     * (the whole pool, n_paper). */
    int n_cells;
    struct exam_cell cells[EXAM_MAX_CELLS];
    int multi_scoring;     /* enum exam_multi */
    int32_t wrong_penalty; /* share of a question's points taken off for
                              a wrong answer, units 1e-7, 0..WEIGHT_FULL */
    int64_t duration_ms;
    int attempts_allowed;
    int review; /* enum exam_review */
    bool shuffle_questions;
    bool shuffle_options;
    int64_t opens_ms;  /* epoch ms, 0 = always open */
    int64_t closes_ms; /* epoch ms, 0 = never closes */
    /* A training-room exam: started and answered only from these
     * addresses (snapshot "ip_ranges"); n_ranges 0 = from anywhere. */
    int n_ranges;
    struct netrange *ranges; /* owned */
    /* A contest round (docs/contests.md), 0 = not one; service thread
     * only, like the window. */
    int64_t contest_id;
    int round_no;
    bool prediction;   /* the round asks the prediction question */
    bool show_answers; /* the key is shown once the round has closed */
    /* Attempts of this exam in runtime.attempts (running, starting or
     * being closed); runtime.c keeps it. A round's key waits for 0. */
    int n_live;
};

/* One question of a paper, in the candidate's order. */
struct paper_item {
    uint16_t qi;                    /* index into exam->pool */
    uint8_t perm[EXAM_MAX_OPTIONS]; /* display index -> bank index */
};

/*
 * Build an exam from its stored snapshot JSON (see store.c for the shape).
 * Returns a new exam (free with exam_free) or NULL with the reason in msg.
 */
struct exam *exam_from_json(const json_t *snap, char *msg, size_t msglen);

/* Most ranges an exam may name. */
#define EXAM_MAX_RANGES 64

/*
 * An exam's ip_ranges (a JSON array of CIDR strings, or NULL / null for
 * none) into a new array (*out, free it; NULL when none) and *n. Returns
 * 0, or EXAMD_EINVAL with *bad (if not NULL) set to the index of the
 * entry that is not a CIDR or -1 when the value is not an array of at
 * most EXAM_MAX_RANGES strings.
 */
int exam_ranges_from_json(const json_t *v, struct netrange **out, int *n,
                          int *bad);

/* Free an exam; accepts NULL. */
void exam_free(struct exam *e);

/* Look up a review policy name ("none","answers","full"); -1 if unknown. */
int exam_review_parse(const char *name);
const char *exam_review_name(int review);

/*
 * Fill out[0 .. e->n_paper) with the paper for seed. Deterministic: the
 * same exam and seed give the same paper on any machine (own PRNG, no
 * libc rand). out must have room for e->n_paper items. Returns 0, or
 * EXAMD_ENOMEM (out is then unspecified).
 */
int paper_assemble(const struct exam *e, uint64_t seed, struct paper_item *out);

/* Index of the paper item holding question id qid, or -1. O(n_paper). */
int paper_find(const struct exam *e, const struct paper_item *p, int64_t qid);

/* Map a display-order choice bitmask to bank order, and back. */
uint8_t paper_choice_to_bank(const struct paper_item *it, uint8_t display);
uint8_t paper_choice_to_display(const struct paper_item *it, uint8_t bank);

/*
 * The deadline of an attempt started at start_ms: start + duration, capped
 * by the exam's close when it has one. Epoch ms.
 */
int64_t exam_deadline(const struct exam *e, int64_t start_ms);

/*
 * The deadline of an attempt: exam_deadline(e, start_ms), or when it was
 * re-opened (reopen_ms != 0: the deadline the re-opening granted) that
 * grant, capped by the exam's close likewise. Epoch ms.
 */
int64_t exam_deadline_of(const struct exam *e, int64_t start_ms,
                         int64_t reopen_ms);

/* Milliseconds left at now, never negative. */
int64_t exam_left_ms(int64_t deadline_ms, int64_t now_ms);

/* Does an answer arriving at now still count? (now <= deadline + grace) */
bool exam_accepts_answer(int64_t deadline_ms, int grace_ms, int64_t now_ms);

/* May a new attempt start at now? (inside the open window) */
bool exam_is_open(const struct exam *e, int64_t now_ms);

#endif
