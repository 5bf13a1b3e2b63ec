/*
 * grade.h — marking a paper. Pure functions over plain structs.
 *
 * Single answer: right when the one chosen option is the key. Multiple
 * answer: all-or-nothing for now (the chosen set equals the key set).
 * The score is on the 10-point scale, rounded half-up to 0.01.
 */
#ifndef EXAMD_GRADE_H
#define EXAMD_GRADE_H

#include "exam.h"

struct grade {
    int correct;     /* questions answered right */
    int total;       /* questions on the paper */
    int answered;    /* questions with a non-empty choice */
    int score_centi; /* score x 100 on the 10-point scale, 0..1000 */
};

/* Is bank_choice (bit i = bank option i chosen) the right answer to q? */
bool grade_is_right(const struct exam_question *q, uint8_t bank_choice);

/*
 * Mark a paper. answers[i] is the bank-order choice for paper item i
 * (0 = unanswered). Fills out; never fails.
 */
void grade_paper(const struct exam *e, const struct paper_item *paper,
                 const uint8_t *answers, struct grade *out);

/* 10-point score x 100 for correct of total, rounded half-up. */
int grade_score_centi(int correct, int total);

#endif
