/* grade.c — marking (see grade.h). */
#include "grade.h"

#include <assert.h>

/* A share this close to 100 % (units 1e-7) is full marks. */
#define GRADE_FULL_SLACK 10

bool grade_is_right(const struct exam_question *q, uint8_t bank_choice)
{
    return bank_choice != 0 && bank_choice == q->key;
}

/* The share the options alone earn, floored at 0 and capped at 100 %. */
static int32_t grade_share(const struct exam *e, const struct exam_question *q,
                           uint8_t choice)
{
    if (q->multi && e->multi_scoring != EXAM_MULTI_PARTIAL)
        return choice == q->key ? EXAM_WEIGHT_FULL : 0;
    if (!q->multi && (choice & (choice - 1))) /* two ticks on single */
        return 0;
    int64_t sum = 0;
    for (int k = 0; k < q->n_options; k++)
        if (choice & (1u << k))
            sum += q->weight[k];
    if (sum < 0)
        return 0;
    /* Moodle's thirds (3 x 33.33333 %) fall 1e-7 short of a whole mark. */
    return sum >= EXAM_WEIGHT_FULL - GRADE_FULL_SLACK ? EXAM_WEIGHT_FULL
                                                      : (int32_t)sum;
}

int32_t grade_question(const struct exam *e, const struct exam_question *q,
                       uint8_t bank_choice)
{
    if (!bank_choice)
        return 0;
    int32_t share = grade_share(e, q, bank_choice);
    return share == 0 ? -e->wrong_penalty : share;
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
    int64_t earned = 0, total = 0; /* points x 1e-7 */
    out->correct = 0;
    out->answered = 0;
    out->total = e->n_paper;
    for (int i = 0; i < e->n_paper; i++) {
        const struct exam_question *q = &e->pool[paper[i].qi];
        int32_t share = grade_question(e, q, answers[i]);
        if (answers[i])
            out->answered++;
        if (share == EXAM_WEIGHT_FULL)
            out->correct++;
        earned += (int64_t)q->points * share;
        total += (int64_t)q->points * EXAM_WEIGHT_FULL;
    }
    out->earned = earned;
    out->possible = total;
    if (earned <= 0 || total <= 0) {
        out->score_centi = 0;
        return;
    }
    /* 1000 * earned / total, rounded half-up; earned <= total <= 2e11. */
    out->score_centi = (int)((2000 * earned + total) / (2 * total));
}
