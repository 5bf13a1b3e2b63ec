/* grade.c — marking (see grade.h). */
#include "grade.h"

#include <assert.h>

bool grade_is_right(const struct exam_question *q, uint8_t bank_choice)
{
    return bank_choice != 0 && bank_choice == q->key;
}

int grade_score_centi(int correct, int total)
{
    assert(correct >= 0 && correct <= total);
    if (total <= 0)
        return 0;
    /* 1000 * correct / total, rounded half-up in integers. */
    return (int)((2000LL * correct + total) / (2LL * total));
}

void grade_paper(const struct exam *e, const struct paper_item *paper,
                 const uint8_t *answers, struct grade *out)
{
    out->correct = 0;
    out->answered = 0;
    out->total = e->n_paper;
    for (int i = 0; i < e->n_paper; i++) {
        if (answers[i])
            out->answered++;
        if (grade_is_right(&e->pool[paper[i].qi], answers[i]))
            out->correct++;
    }
    out->score_centi = grade_score_centi(out->correct, out->total);
}
