/*
 * grading.h — an exam's grading rules: rounding, pass mark and
 * classification bands on the 10-point scale (docs/scores.md).
 *
 * The paper's score is grade.c's score_centi (the 10-point score x 100,
 * 0..1000, itself rounded half-up to 0.01). A trainer's roster shows that
 * score rounded to the exam's step (Vietnamese schools round to 0.25 or
 * 0.5), says passed or not, and classifies it (Xuất sắc, Giỏi, Khá, Trung
 * bình, Không đạt). The rules live in exams.grading as JSON ('' = the
 * defaults) and may change after the exam ran: stored scores never change,
 * only what is derived from them here.
 *
 * The rules, all in integer centi-points:
 *  - rounding: half up to the step, from the exact earned / total points
 *    (grading_round_points), never from the already rounded score_centi.
 * rounded = floor((s + step/2) / step) x step, so with step 0.25, 6.37 -> 6.25
 * and 6.38 -> 6.50 (6.375 is the midpoint: it would go up). Steps divide 10
 * exactly, so 10 stays
 *    10. Step 0.01 ("none") leaves the score as it is.
 *  - the pass mark and the bands apply to the ROUNDED score: a candidate
 *    shown 5.00 has passed a pass mark of 5 even if the raw score is 4.88.
 *  - bands are ordered by their minimum, highest first; a score belongs
 *    to the first band whose minimum it reaches. The lowest band starts
 *    at 0, so every score has one.
 *  - the percentage is the UNROUNDED score / 10 (earned / total points).
 *
 * Pure code; any thread.
 */
#ifndef EXAMD_GRADING_H
#define EXAMD_GRADING_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GRADING_MAX_BANDS 8
#define GRADING_NAME_MAX 64 /* bytes of a band's name, NUL included */

struct grading_band {
    char name[GRADING_NAME_MAX];    /* Vietnamese: "Xuất sắc" */
    char name_en[GRADING_NAME_MAX]; /* English, "" = not given */
    int min_centi;                  /* lowest rounded score in it, x100 */
};

struct grading {
    int step_centi; /* rounding step x 100: 1 (none), 10, 25, 50, 100 ... */
    int pass_centi; /* pass mark x 100: rounded >= pass_centi passes */
    int n_bands;    /* 1..GRADING_MAX_BANDS */
    struct grading_band bands[GRADING_MAX_BANDS]; /* highest min first; the
                                                     last has min 0 */
};

/* The defaults: no rounding (0.01), pass mark 5, bands Xuất sắc >= 9,
 * Giỏi >= 8, Khá >= 6.5, Trung bình >= 5, Không đạt below. */
void grading_default(struct grading *g);

/*
 * Read rules from v into g: an object {"rounding": step or null (none),
 * "pass": mark, "bands": [{"name", "name_en"?, "min"}, ...]}, every key
 * optional (absent = the default's). NULL or JSON null = the defaults.
 * Returns 0, or EXAMD_EINVAL with field (e.g. "grading.bands[2].min")
 * and msg ("vi / en") filled; g is then unspecified. Steps: 0.01 .. 1
 * dividing 10 exactly (0.1, 0.2, 0.25, 0.5, 1 ...); marks 0 .. 10 in
 * hundredths; band names 1..63 bytes of one line; minimums strictly
 * decreasing, the last 0. A mark between two steps is allowed and means
 * the next step up (pass 6.5 with step 1 passes from 7).
 */
int grading_from_json(const json_t *v, struct grading *g, char *field,
                      size_t flen, char *msg, size_t msglen);

/* The same from stored text ("" or NULL = the defaults). */
int grading_parse(const char *text, struct grading *g, char *field, size_t flen,
                  char *msg, size_t msglen);

/* g as JSON (the full rules, never abbreviated); new reference, NULL on
 * malloc failure. Marks and steps as numbers (0.25, 6.5). */
json_t *grading_to_json(const struct grading *g);

/* g as compact JSON text (free), NULL on malloc failure. */
char *grading_dumps(const struct grading *g);

/* score_centi (0..1000) rounded half up to g's step, x100. */
int grading_round(const struct grading *g, int score_centi);

/* The score earned / possible points (exact, raw units of grade.h) on the
 * 10-point scale rounded half up to g's step, x100: one rounding from the
 * exact value, never from score_centi (28 of 59 = 4.7458 -> 4.5 with step
 * 0.5, where 4.75 would go to 5.0). With no step (0.01), or possible <= 0,
 * it is grading_round(g, score_centi): the stored score shown as is. */
int grading_round_points(const struct grading *g, int score_centi,
                         int64_t earned, int64_t possible);

/* The band of the ROUNDED score_centi (call grading_round first): an
 * index into g->bands, never -1 for a valid g. */
int grading_band(const struct grading *g, int rounded_centi);

/* Does the ROUNDED score pass? */
bool grading_passed(const struct grading *g, int rounded_centi);

#endif
