/*
 * grade.h — marking a paper. Pure functions over plain structs.
 *
 * A question earns a share of its points (units 1e-7, EXAM_WEIGHT_FULL =
 * all of them): single answer, the chosen option's weight; multiple answer,
 * all or nothing (the chosen set is the key set) or, with
 * EXAM_MULTI_PARTIAL, the sum of the chosen options' weights (Moodle's
 * fractions: negative weights take off); a question's share is floored at
 * 0 and capped at 100 %. With a wrong-answer penalty, an answered question
 * that earns nothing costs that share of its points instead. The paper's
 * score is earned / total points on the 10-point scale, floored at 0,
 * rounded half-up to 0.01.
 */
#ifndef EXAMD_GRADE_H
#define EXAMD_GRADE_H

#include "exam.h"

struct grade {
    int correct;      /* questions earning all their points */
    int total;        /* questions on the paper */
    int answered;     /* questions with a non-empty choice */
    int score_centi;  /* score x 100 on the 10-point scale, 0..1000 */
    int64_t earned;   /* raw points earned, units 1e-7 (may be < 0 with a
                         wrong-answer penalty; the score floors at 0) */
    int64_t possible; /* raw points on the paper, units 1e-7 */
};

/* Is bank_choice (bit i = bank option i chosen) the right answer to q? */
bool grade_is_right(const struct exam_question *q, uint8_t bank_choice);

/*
 * The share of q's points bank_choice earns under e's rules, units 1e-7:
 * -e->wrong_penalty .. EXAM_WEIGHT_FULL (0 when unanswered).
 */
int32_t grade_question(const struct exam *e, const struct exam_question *q,
                       uint8_t bank_choice);

/*
 * Mark a paper. answers[i] is the bank-order choice for paper item i
 * (0 = unanswered). Fills out; never fails.
 */
void grade_paper(const struct exam *e, const struct paper_item *paper,
                 const uint8_t *answers, struct grade *out);

/* 10-point score x 100 for correct of total, rounded half-up. */
int grade_score_centi(int correct, int total);

#endif
