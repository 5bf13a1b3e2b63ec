/* test_grade.c — marking and the 10-point score. */
#include "check.h"
#include "fixture.h"
#include "grade.h"

#include <stdlib.h>

static void test_score_rounding(void)
{
    CHECK_EQ_INT(grade_score_centi(0, 20), 0);
    CHECK_EQ_INT(grade_score_centi(20, 20), 1000);
    CHECK_EQ_INT(grade_score_centi(17, 20), 850);
    CHECK_EQ_INT(grade_score_centi(1, 3), 333); /* 3.333.. */
    CHECK_EQ_INT(grade_score_centi(2, 3), 667); /* 6.666.. rounds up */
    CHECK_EQ_INT(grade_score_centi(1, 8), 125); /* exact */
    CHECK_EQ_INT(grade_score_centi(1, 400), 3); /* 0.025 -> 0.03 half-up */
    CHECK_EQ_INT(grade_score_centi(0, 0), 0);
}

static void test_is_right(void)
{
    struct exam *e = fixture_exam(6, 6, false);
    const struct exam_question *single = &e->pool[1]; /* key {1} */
    const struct exam_question *multi = &e->pool[2];  /* key {0,2} */
    CHECK(grade_is_right(single, 1u << 1));
    CHECK(!grade_is_right(single, 1u << 0));
    CHECK(!grade_is_right(single, 0));              /* unanswered */
    CHECK(!grade_is_right(single, (1u << 1) | 1u)); /* extra option */
    CHECK(grade_is_right(multi, (1u << 0) | (1u << 2)));
    CHECK(!grade_is_right(multi, 1u << 0)); /* all-or-nothing */
    CHECK(!grade_is_right(multi, 0x0f));    /* everything */
    exam_free(e);
}

/* Grade a whole shuffled paper answered from the key in display order. */
static void test_paper(void)
{
    struct exam *e = fixture_exam(30, 10, true);
    struct paper_item p[10];
    uint8_t ans[10];
    struct grade g;
    CHECK_EQ_INT(paper_assemble(e, 42, p), 0);
    for (int i = 0; i < 10; i++) {
        const struct exam_question *q = &e->pool[p[i].qi];
        uint8_t shown = paper_choice_to_display(&p[i], q->key);
        ans[i] = paper_choice_to_bank(&p[i], shown);
    }
    grade_paper(e, p, ans, &g);
    CHECK_EQ_INT(g.correct, 10);
    CHECK_EQ_INT(g.answered, 10);
    CHECK_EQ_INT(g.score_centi, 1000);
    ans[0] = 0;
    ans[1] = (uint8_t)~e->pool[p[1].qi].key & 0x0f;
    grade_paper(e, p, ans, &g);
    CHECK_EQ_INT(g.correct, 8);
    CHECK_EQ_INT(g.answered, 9);
    CHECK_EQ_INT(g.score_centi, 800);
    exam_free(e);
}

int main(void)
{
    test_score_rounding();
    test_is_right();
    test_paper();
    return check_done("test_grade");
}
