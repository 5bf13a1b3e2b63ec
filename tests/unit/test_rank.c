/*
 * test_rank.c — the contest ranking and prizes against hand-worked
 * tables (docs/contests.md "Ranking" and "Prizes"): ties at every key,
 * the prediction tiebreak, competition ranks, ties at a prize boundary.
 */
#include "check.h"
#include "rank.h"

#include <string.h>

/* user, score_centi, correct, total, prediction (-1 none), time, submitted */
struct row {
    int64_t user;
    int score, correct, total;
    int64_t pred, time, sub;
};

static void fill(struct rank_entry *v, const struct row *r, int n)
{
    memset(v, 0, sizeof *v * (size_t)n);
    for (int i = 0; i < n; i++) {
        v[i].user_id = r[i].user;
        v[i].score_centi = r[i].score;
        v[i].correct = r[i].correct;
        v[i].total = r[i].total;
        v[i].has_prediction = r[i].pred >= 0;
        v[i].prediction = r[i].pred >= 0 ? r[i].pred : 0;
        v[i].time_ms = r[i].time;
        v[i].submitted_ms = r[i].sub;
    }
}

/* Each level of the order decides, and ties reach every level. */
static void test_order(void)
{
    /* 10 questions; actual = users with 10/10 = 101, 102, 103, 104, 105,
     * 106 = 6. */
    static const struct row r[] = {
        {109, 900, 9, 10, 6, 100, 1000},   /* lower score: after all 10s */
        {105, 1000, 10, 10, 4, 300, 5000}, /* diff 2 */
        {101, 1000, 10, 10, 7, 300, 5000}, /* diff 1, time 300 */
        {102, 1000, 10, 10, 5, 200, 9000}, /* diff 1, time 200: first */
        {103, 1000, 10, 10, 7, 300, 4000}, /* diff 1, time 300, earlier sub */
        {104, 1000, 10, 10, -1, 1, 1},     /* no prediction: last of the 10s */
        {106, 1000, 10, 10, 8, 500, 100},  /* diff 2, time 500 */
        {110, 900, 9, 10, 6, 100, 1000},   /* ties 109 on every key */
        {107, 900, 9, 10, 6, 100, 1000},   /* ties too: rank shared */
        {108, 500, 5, 10, 6, 1, 1},
    };
    struct rank_entry v[10];
    fill(v, r, 10);
    CHECK_EQ_INT(rank_actual(v, 10), 6);
    rank_sort(v, 10, 6, true);
    /* expected order and ranks, worked by hand */
    static const int64_t users[] = {102, 103, 101, 105, 106,
                                    104, 107, 109, 110, 108};
    static const int ranks[] = {1, 2, 3, 4, 5, 6, 7, 7, 7, 10};
    for (int i = 0; i < 10; i++) {
        CHECK_EQ_INT(v[i].user_id, users[i]);
        CHECK_EQ_INT(v[i].rank, ranks[i]);
    }
    CHECK_EQ_INT(v[0].diff, 1);
    CHECK_EQ_INT(v[3].diff, 2);
    CHECK(v[5].diff == RANK_NO_DIFF);
}

/* A full tie at the top and in the middle: 1, 1, 3, 3, 3, 6. */
static void test_competition(void)
{
    static const struct row r[] = {
        {5, 800, 8, 10, 3, 60, 70}, {4, 800, 8, 10, 3, 60, 70},
        {3, 700, 7, 10, 5, 60, 70}, {2, 700, 7, 10, 1, 60, 70},
        {1, 700, 7, 10, 1, 60, 70}, {6, 600, 6, 10, 3, 60, 70},
    };
    struct rank_entry v[6];
    fill(v, r, 6);
    CHECK_EQ_INT(rank_actual(v, 6), 0);
    rank_sort(v, 6, 3, true); /* actual 3: |5-3| = |1-3| = 2 */
    static const int64_t users[] = {4, 5, 1, 2, 3, 6};
    static const int ranks[] = {1, 1, 3, 3, 3, 6};
    for (int i = 0; i < 6; i++) {
        CHECK_EQ_INT(v[i].user_id, users[i]);
        CHECK_EQ_INT(v[i].rank, ranks[i]);
    }
}

/* A round without prediction: the prediction is not looked at. */
static void test_no_prediction_round(void)
{
    static const struct row r[] = {
        {1, 1000, 10, 10, 0, 300, 10},
        {2, 1000, 10, 10, -1, 200, 20},
        {3, 1000, 10, 10, 1000, 200, 20},
    };
    struct rank_entry v[3];
    fill(v, r, 3);
    rank_sort(v, 3, 3, false);
    CHECK_EQ_INT(v[0].user_id, 2);
    CHECK_EQ_INT(v[1].user_id, 3);
    CHECK_EQ_INT(v[0].rank, 1);
    CHECK_EQ_INT(v[1].rank, 1);
    CHECK_EQ_INT(v[2].rank, 3);
    CHECK_EQ_INT(v[0].diff, 0);
}

/* Prize table 1 / 2 / 3 over ranks 1, 2, 2, 2, 5, 6, 7. */
static void test_prize_boundary(void)
{
    static const int counts[] = {1, 2, 3};
    struct rank_entry v[7];
    static const int ranks[] = {1, 2, 2, 2, 5, 6, 7};
    static const int want[] = {0, 1, 1, 1, 2, 2, -1};
    memset(v, 0, sizeof v);
    for (int i = 0; i < 7; i++)
        v[i].rank = ranks[i];
    rank_prizes(v, 7, counts, 3);
    for (int i = 0; i < 7; i++)
        CHECK_EQ_INT(v[i].prize, want[i]);

    /* A tie across the last boundary: all of the group get the prize. */
    static const int ranks2[] = {1, 2, 3, 4, 5, 6, 6};
    static const int want2[] = {0, 1, 1, 2, 2, 2, 2};
    for (int i = 0; i < 7; i++)
        v[i].rank = ranks2[i];
    rank_prizes(v, 7, counts, 3);
    for (int i = 0; i < 7; i++)
        CHECK_EQ_INT(v[i].prize, want2[i]);

    /* Two tied for first with one first prize: both first, the second
     * prizes start at place 3 (only one second prize left). */
    static const int ranks3[] = {1, 1, 3, 4, 5, 6, 7};
    static const int want3[] = {0, 0, 1, 2, 2, 2, -1};
    for (int i = 0; i < 7; i++)
        v[i].rank = ranks3[i];
    rank_prizes(v, 7, counts, 3);
    for (int i = 0; i < 7; i++)
        CHECK_EQ_INT(v[i].prize, want3[i]);

    /* A group covering a whole prize and more: the prize after it is
     * skipped. */
    static const int ranks4[] = {1, 2, 2, 2, 2, 6, 7};
    static const int want4[] = {0, 1, 1, 1, 1, 2, -1};
    for (int i = 0; i < 7; i++)
        v[i].rank = ranks4[i];
    rank_prizes(v, 7, counts, 3);
    for (int i = 0; i < 7; i++)
        CHECK_EQ_INT(v[i].prize, want4[i]);

    /* A prize of count 0 is never given; no table, no prizes. */
    static const int counts0[] = {1, 0, 1};
    static const int want5[] = {0, 2, -1};
    for (int i = 0; i < 3; i++)
        v[i].rank = i + 1;
    rank_prizes(v, 3, counts0, 3);
    for (int i = 0; i < 3; i++)
        CHECK_EQ_INT(v[i].prize, want5[i]);
    rank_prizes(v, 3, counts0, 0);
    CHECK_EQ_INT(v[0].prize, -1);
}

/* Best attempt: highest score, ties to the earliest. */
static void test_best(void)
{
    CHECK(rank_attempt_better(800, 2, 700, 1));
    CHECK(!rank_attempt_better(700, 1, 800, 2));
    CHECK(rank_attempt_better(800, 1, 800, 2));
    CHECK(!rank_attempt_better(800, 2, 800, 1));
    CHECK(!rank_attempt_better(800, 1, 800, 1));
}

static void test_empty(void)
{
    rank_sort(NULL, 0, 0, true);
    rank_prizes(NULL, 0, NULL, 0);
    CHECK_EQ_INT(rank_actual(NULL, 0), 0);
}

int main(void)
{
    test_order();
    test_competition();
    test_no_prediction_round();
    test_prize_boundary();
    test_best();
    test_empty();
    return check_done("rank");
}
