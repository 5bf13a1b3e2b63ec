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


/* One question with these weights (percent) in an exam with these rules;
 * the share earned by choice, in percent. */
static double share(bool multi, const int *w_pct, int n, int multi_scoring,
                    double penalty, uint8_t choice)
{
    json_t *w = json_array(), *key = json_array(), *opts = json_array();
    for (int k = 0; k < n; k++) {
        json_array_append_new(w, json_integer((json_int_t)w_pct[k] * 100000));
        json_array_append_new(opts, json_sprintf("O%d", k));
        if (w_pct[k] > 0)
            json_array_append_new(key, json_integer(k));
    }
    json_t *snap = json_pack(
        "{ss ss si si si ss sb sb ss sI s[{sI ss ss si sb so so so}]}",
        "title", "T", "description", "", "n_paper", 1, "duration_s", 60,
        "attempts", 1, "review", "full", "shuffle_questions", 0,
        "shuffle_options", 0, "multi_scoring",
        multi_scoring ? "partial" : "all_or_nothing", "wrong_penalty_e7",
        (json_int_t)(penalty * EXAM_WEIGHT_FULL), "pool", "id", (json_int_t)1,
        "text", "Q", "topic", "T", "difficulty", 0, "multi", multi, "options",
        opts, "weights", w, "key", key);
    char msg[128];
    struct exam *e = exam_from_json(snap, msg, sizeof msg);
    json_decref(snap);
    CHECK(e != NULL);
    if (!e)
        return -999;
    double r = grade_question(e, &e->pool[0], choice) * 100.0 /
               EXAM_WEIGHT_FULL;
    exam_free(e);
    return r;
}

#define NEAR(a, b) CHECK((a) > (b)-1e-6 && (a) < (b) + 1e-6)

/* Hand-worked: Moodle multiple answer 50/50/-100/0. */
static void test_partial_credit(void)
{
    int w[] = {50, 50, -100, 0};
    NEAR(share(true, w, 4, EXAM_MULTI_PARTIAL, 0, 0x1), 50);
    NEAR(share(true, w, 4, EXAM_MULTI_PARTIAL, 0, 0x3), 100);
    NEAR(share(true, w, 4, EXAM_MULTI_PARTIAL, 0, 0x7), 0); /* 50+50-100 */
    NEAR(share(true, w, 4, EXAM_MULTI_PARTIAL, 0, 0x5), 0); /* floored */
    NEAR(share(true, w, 4, EXAM_MULTI_PARTIAL, 0, 0xb), 100); /* +0 option */
    NEAR(share(true, w, 4, EXAM_MULTI_ALL, 0, 0x1), 0);     /* all or nothing */
    NEAR(share(true, w, 4, EXAM_MULTI_ALL, 0, 0x3), 100);
    NEAR(share(true, w, 4, EXAM_MULTI_ALL, 0, 0xb), 0);
    /* thirds: 33.33333 x 3 = 99.99999 is not full marks, 3 of 3 is */
    int t[] = {33, 33, 34, -100};
    NEAR(share(true, t, 4, EXAM_MULTI_PARTIAL, 0, 0x3), 66);
    NEAR(share(true, t, 4, EXAM_MULTI_PARTIAL, 0, 0x7), 100);
}

/* Moodle's thirds: 3 x 33.33333 % is full marks. */
static void test_thirds(void)
{
    json_t *w = json_pack("[iiii]", 3333333, 3333333, 3333333, -10000000);
    json_t *snap = json_pack(
        "{ss ss si si si ss sb sb ss s[{sI ss ss si sb s[ssss] so s[iii]}]}",
        "title", "T", "description", "", "n_paper", 1, "duration_s", 60,
        "attempts", 1, "review", "full", "shuffle_questions", 0,
        "shuffle_options", 0, "multi_scoring", "partial", "pool", "id",
        (json_int_t)1, "text", "Q", "topic", "T", "difficulty", 0, "multi", 1,
        "options", "a", "b", "c", "d", "weights", w, "key", 0, 1, 2);
    char msg[128];
    struct exam *e = exam_from_json(snap, msg, sizeof msg);
    json_decref(snap);
    CHECK(e != NULL);
    if (!e)
        return;
    CHECK_EQ_INT(grade_question(e, &e->pool[0], 0x7), EXAM_WEIGHT_FULL);
    CHECK_EQ_INT(grade_question(e, &e->pool[0], 0x3), 6666666);
    exam_free(e);
}

/* Single answer with a partial option; negative marking. */
static void test_single_and_penalty(void)
{
    int w[] = {100, 50, 0, -50};
    NEAR(share(false, w, 4, EXAM_MULTI_ALL, 0, 0x1), 100);
    NEAR(share(false, w, 4, EXAM_MULTI_ALL, 0, 0x2), 50);
    NEAR(share(false, w, 4, EXAM_MULTI_ALL, 0, 0x8), 0); /* floored */
    NEAR(share(false, w, 4, EXAM_MULTI_ALL, 0, 0x3), 0); /* two ticks */
    NEAR(share(false, w, 4, EXAM_MULTI_ALL, 0.25, 0x4), -25);
    NEAR(share(false, w, 4, EXAM_MULTI_ALL, 0.25, 0x2), 50); /* partial */
    NEAR(share(false, w, 4, EXAM_MULTI_ALL, 0.25, 0), 0); /* unanswered */
}

/* Points weigh questions; negative totals floor the paper at 0. */
static void test_points_and_floor(void)
{
    struct exam *e = fixture_exam(4, 4, false);
    struct paper_item p[4];
    uint8_t ans[4];
    struct grade g;
    CHECK_EQ_INT(paper_assemble(e, 1, p), 0);
    e->pool[0].points = 3; /* 3 + 1 + 1 + 1 = 6 points */
    for (int i = 0; i < 4; i++)
        ans[i] = 0;
    ans[0] = e->pool[p[0].qi].key; /* only the first (which is pool[0]) */
    CHECK_EQ_INT(p[0].qi, 0);
    grade_paper(e, p, ans, &g);
    CHECK_EQ_INT(g.correct, 1);
    CHECK_EQ_INT(g.score_centi, 500); /* 3 of 6 */
    e->pool[0].points = 1;
    e->wrong_penalty = EXAM_WEIGHT_FULL; /* a wrong answer costs 1 */
    ans[1] = (uint8_t)(~e->pool[p[1].qi].key & 0x0f);
    ans[2] = (uint8_t)(~e->pool[p[2].qi].key & 0x0f);
    grade_paper(e, p, ans, &g);
    CHECK_EQ_INT(g.score_centi, 0); /* 1 - 2 floored at 0 */
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
    test_partial_credit();
    test_thirds();
    test_single_and_penalty();
    test_points_and_floor();
    test_score_rounding();
    test_is_right();
    test_paper();
    return check_done("test_grade");
}
