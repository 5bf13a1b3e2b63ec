/*
 * test_stats.c — stats.c against figures worked out by hand on three small
 * data sets (the working is in the comments), plus the edge cases: one
 * attempt, equal totals, a malformed input. tests/integration/stats.test.js
 * compares the server with an independent Python computation
 * (tests/integration/stats_ref.py) on a real exam.
 */
#include "check.h"
#include "err.h"
#include "stats.h"

#include <math.h>

#define NEAR(a, b) CHECK(fabs((a) - (b)) < 1e-4)
#define NUL(a) CHECK(stats_is_null(a))

/*
 * Set A: 5 attempts, 4 one-point questions on every paper (slot j is
 * question j), so a percent is 25 x marks.
 *
 *        q0 q1 q2 q3 | total  %
 *   A1:   1  1  1  0 |   3   75
 *   A2:   1  1  0  0 |   2   50
 *   A3:   1  1  1  0 |   3   75
 *   A4:   1  0  0  1 |   2   50
 *   A5:   1  0  0  0 |   1   25
 *
 * Test (marks): mean 2.2 (55 %), median 2 (50 %). d = .8 -.2 .8 -.2 -1.2:
 * sum d^2 = 2.8, sum d^3 = -.72, sum d^4 = 2.896. sd = sqrt(2.8 / 4) =
 * .83666 marks = 20.9165 %. m2 = .56, m3 = -.144, m4 = .5792; k2 = 5 m2 /
 * 4 = .7; k3 = 25 m3 / 12 = -.3; skewness = -.3 / .7^1.5 = -.512241;
 * k4 = 25 (6 m4 - 12 m2^2) / 24 = -.3; kurtosis = -.3 / .49 = -.612245.
 * Item variances: 0, .3, .3, .2 (sum .8); CIC = 100 x 4/3 x (1 - .8/.7) =
 * -19.0476; error ratio = 100 sqrt(1.190476) = 109.1089; standard error
 * = 109.1089 x 20.9165 / 100 = 22.8218 %.
 *
 * q0: facility 100, sd 0, the marks do not vary: discrimination and
 * efficiency null; flagged easy.
 * q1: x = 1 1 1 0 0 (mean .6), rest = 2 1 2 2 1 (mean 1.6). sum of
 * products .16 -.24 .16 -.24 .36 = .2, cov .05; var x = var rest = .3;
 * discrimination 100 x .05 / .3 = 16.6667 (weak). Sorted: x 0 0 1 1 1,
 * rest 1 1 2 2 2: products .36 .36 .16 .16 .16 = 1.2, cov max .3;
 * efficiency 16.6667. sd = 100 sqrt(.3) = 54.7723.
 * q2: x = 1 0 1 0 0 (.4), rest = 2 2 2 2 1 (1.8): products .12 -.08 .12
 * -.08 .32 = .4, cov .1; var rest .2; discrimination 10 / sqrt(.06) =
 * 40.8248. Sorted x 0 0 0 1 1, rest 1 2 2 2 2: .32 -.08 -.08 .12 .12 =
 * .4: efficiency 100.
 * q3: x = 0 0 0 1 0 (.2), rest = 3 2 3 1 1 (2): products -.2 0 -.2 -.8 .2
 * = -1, cov -.25; var x .2, var rest 1; discrimination -25 / sqrt(.2) =
 * -55.9017 (negative). Sorted x 0 0 0 0 1, rest 1 1 2 3 3: .2 .2 0 -.2 .8
 * = 1, cov max .25: efficiency -100. Facility 20: not "too hard" (< 20).
 * Histogram of the 10-point score 7.5 5 7.5 5 2.5: bins 2:1, 5:2, 7:2.
 */
static void test_set_a(void)
{
    static const struct stats_item_def items[4] = {
        {1, 4}, {1, 4}, {1, 4}, {1, 4}};
    static const int32_t item[20] = {0, 1, 2, 3, 0, 1, 2, 3, 0, 1,
                                     2, 3, 0, 1, 2, 3, 0, 1, 2, 3};
    static const double frac[20] = {1, 1, 1, 0, 1, 1, 0, 0, 1, 1,
                                    1, 0, 1, 0, 0, 1, 1, 0, 0, 0};
    /* key: option 1 of each; wrong answers pick 0, 2 or 3; A1 and A2
     * leave q3 blank. */
    static const uint8_t choice[20] = {2, 2, 2, 0, 2, 2, 1, 0, 2, 2,
                                       2, 4, 2, 8, 1, 2, 2, 1, 4, 8};
    struct stats_input in = {4, items, 4, 5, item, frac, choice};
    struct stats_result r;
    CHECK_EQ_INT(stats_compute(&in, &r), 0);
    const struct stats_test *t = &r.test;
    CHECK_EQ_INT(t->n, 5);
    NEAR(t->mean, 55);
    NEAR(t->median, 50);
    NEAR(t->sd, 20.916501);
    NEAR(t->skewness, -0.512241);
    NEAR(t->kurtosis, -0.612245);
    NEAR(t->cic, -19.047619);
    NEAR(t->error_ratio, 109.108945);
    NEAR(t->standard_error, 22.821773);
    CHECK_EQ_INT(t->hist[2], 1);
    CHECK_EQ_INT(t->hist[5], 2);
    CHECK_EQ_INT(t->hist[7], 2);
    CHECK_EQ_INT(t->hist[0] + t->hist[9], 0);

    const struct stats_item *q = r.items;
    CHECK_EQ_INT(q[0].s, 5);
    NEAR(q[0].facility, 100);
    NEAR(q[0].sd, 0);
    NUL(q[0].discrimination);
    NUL(q[0].efficiency);
    CHECK_EQ_INT(q[0].flags, STATS_FLAG_EASY);
    CHECK_EQ_INT(q[0].chose[1], 5);

    NEAR(q[1].facility, 60);
    NEAR(q[1].sd, 54.772256);
    NEAR(q[1].discrimination, 16.666667);
    NEAR(q[1].efficiency, 16.666667);
    CHECK_EQ_INT(q[1].flags, STATS_FLAG_WEAK);
    CHECK_EQ_INT(q[1].chose[1], 3);
    CHECK_EQ_INT(q[1].chose[3], 1);
    CHECK_EQ_INT(q[1].chose[0], 1);

    NEAR(q[2].discrimination, 40.824829);
    NEAR(q[2].efficiency, 100);
    CHECK_EQ_INT(q[2].flags, 0);

    NEAR(q[3].facility, 20);
    NEAR(q[3].discrimination, -55.901699);
    NEAR(q[3].efficiency, -100);
    CHECK_EQ_INT(q[3].flags, STATS_FLAG_NEGATIVE);
    CHECK_EQ_INT(q[3].blank, 2);
    CHECK_EQ_INT(q[3].chose[1], 1);
    CHECK_EQ_INT(q[3].chose[2], 1);
    CHECK_EQ_INT(q[3].chose[3], 1);
    stats_result_fini(&r);
}

/*
 * Set B: a blueprint of two cells. Cell 1 draws one of q0, q1 (1 point
 * each), cell 2 one of q2, q3 (2 points each), so every paper is worth 3;
 * slot 0 is cell 1's question, slot 1 cell 2's. A percent is 100/3 marks.
 *
 *        slot 0      slot 1       marks  %
 *   A1:  q0 = 1      q2 = 1       3     100
 *   A2:  q1 = 0      q3 = 1       2      66.67
 *   A3:  q0 = 1      q3 = .5      2      66.67
 *   A4:  q1 = 1      q2 = 0       1      33.33
 *   A5:  q0 = 0      q2 = .5      1      33.33
 *   A6:  q1 = 0      q3 = 0       0       0
 *
 * Test (marks): mean 1.5 (50 %), median (1 + 2) / 2 = 1.5 (50 %).
 * d = 1.5 .5 .5 -.5 -.5 -1.5: sum d^2 = 5.5, d^3 = 0, d^4 = 10.375.
 * sd = sqrt(1.1) = 1.048809 marks = 34.960295 %; skewness 0; m2 = .916667,
 * m4 = 1.729167, k2 = 1.1, k4 = 36 (7 m4 - 15 m2^2) / 60 = -.3, kurtosis
 * = -.3 / 1.21 = -.247934. Slot variances (marks): slot 0 marks 1 0 1 1
 * 0 0: .3; slot 1 marks 2 2 1 0 1 0: .8; sum 1.1 = k2, so CIC = 2 (1 - 1)
 * = 0, error ratio 100, standard error = sd = 34.960295 %.
 *
 * q0 (A1, A3, A5): x = 1 1 0, rest = 2 1 1; facility 66.6667, sd
 * 100 sqrt(1/3) = 57.735; cov = (2/9 - 1/9 + 2/9) / 2 = 1/6, var x =
 * var rest = 1/3: discrimination 50; sorted rest 1 1 2: cov max 1/6,
 * efficiency 100. Three attempts: no flags.
 * q1 (A2, A4, A6): x = 0 1 0, rest = 2 0 0; cov = (-4/9 - 4/9 + 2/9) / 2
 * = -1/3, var x 1/3, var rest 4/3: discrimination -50; sorted x 0 0 1,
 * rest 0 0 2: cov max 2/3: efficiency -50.
 * q2 (A1, A4, A5): fractions 1 0 .5: facility 50, sd 50; x = 2 0 1, rest
 * = 1 1 0: cov 0: discrimination 0, efficiency 0 (cov max 1/2).
 * q3 (A2, A3, A6): fractions 1 .5 0, x = 2 1 0, rest = 0 1 0: the same.
 * Histogram: 10, 6.67, 6.67, 3.33, 3.33, 0: bins 9:1 6:2 3:2 0:1.
 */
static void test_set_b(void)
{
    static const struct stats_item_def items[4] = {
        {1, 4}, {1, 4}, {2, 4}, {2, 4}};
    static const int32_t item[12] = {0, 2, 1, 3, 0, 3, 1, 2, 0, 2, 1, 3};
    static const double frac[12] = {1, 1, 0, 1, 1, .5, 1, 0, 0, .5, 0, 0};
    struct stats_input in = {4, items, 2, 6, item, frac, NULL};
    struct stats_result r;
    CHECK_EQ_INT(stats_compute(&in, &r), 0);
    const struct stats_test *t = &r.test;
    NEAR(t->mean, 50);
    NEAR(t->median, 50);
    NEAR(t->sd, 34.960295);
    NEAR(t->skewness, 0);
    NEAR(t->kurtosis, -0.247934);
    NEAR(t->cic, 0);
    NEAR(t->error_ratio, 100);
    NEAR(t->standard_error, 34.960295);
    CHECK_EQ_INT(t->hist[9], 1);
    CHECK_EQ_INT(t->hist[6], 2);
    CHECK_EQ_INT(t->hist[3], 2);
    CHECK_EQ_INT(t->hist[0], 1);
    const struct stats_item *q = r.items;
    for (int i = 0; i < 4; i++) {
        CHECK_EQ_INT(q[i].s, 3);
        CHECK_EQ_INT(q[i].flags, 0);
        CHECK_EQ_INT(q[i].blank, 0); /* no choices given: no counts */
    }
    NEAR(q[0].facility, 66.666667);
    NEAR(q[0].sd, 57.735027);
    NEAR(q[0].discrimination, 50);
    NEAR(q[0].efficiency, 100);
    NEAR(q[1].facility, 33.333333);
    NEAR(q[1].discrimination, -50);
    NEAR(q[1].efficiency, -50);
    NEAR(q[2].facility, 50);
    NEAR(q[2].sd, 50);
    NEAR(q[2].discrimination, 0);
    NEAR(q[2].efficiency, 0);
    NEAR(q[3].discrimination, 0);
    NEAR(q[3].efficiency, 0);
    stats_result_fini(&r);
}

/*
 * Set C, the edges. One attempt (1 of 2 right): mean = median = 50,
 * everything of second order null, the items' sd null. Three attempts
 * with equal totals (each gets one of two questions right): sd 0, then
 * k2 = 0 makes skewness, kurtosis and the CIC null; the items still vary
 * (x = 1 0 1 against rest = 0 1 0): discrimination -100. A question in
 * the pool that no paper drew: s = 0, facility null. A 10 of 10 lands
 * in the last bin.
 */
static void test_set_c(void)
{
    static const struct stats_item_def items[3] = {{1, 2}, {1, 2}, {1, 2}};
    static const int32_t one_item[2] = {0, 1};
    static const double one_frac[2] = {1, 0};
    struct stats_input in = {3, items, 2, 1, one_item, one_frac, NULL};
    struct stats_result r;
    CHECK_EQ_INT(stats_compute(&in, &r), 0);
    NEAR(r.test.mean, 50);
    NEAR(r.test.median, 50);
    NUL(r.test.sd);
    NUL(r.test.skewness);
    NUL(r.test.kurtosis);
    NUL(r.test.cic);
    NUL(r.test.error_ratio);
    NUL(r.test.standard_error);
    NEAR(r.items[0].facility, 100);
    NUL(r.items[0].sd);
    NUL(r.items[0].discrimination);
    CHECK_EQ_INT(r.items[2].s, 0);
    NUL(r.items[2].facility);
    CHECK_EQ_INT(r.test.hist[5], 1);
    stats_result_fini(&r);

    static const int32_t eq_item[6] = {0, 1, 0, 1, 0, 1};
    static const double eq_frac[6] = {1, 0, 0, 1, 1, 0};
    struct stats_input eq = {3, items, 2, 3, eq_item, eq_frac, NULL};
    CHECK_EQ_INT(stats_compute(&eq, &r), 0);
    NEAR(r.test.sd, 0);
    NUL(r.test.skewness);
    NUL(r.test.kurtosis);
    NUL(r.test.cic);
    NEAR(r.items[0].discrimination, -100); /* rest = 1 - x */
    stats_result_fini(&r);

    static const int32_t full_item[2] = {0, 1};
    static const double full_frac[2] = {1, 1};
    struct stats_input full = {3, items, 2, 1, full_item, full_frac, NULL};
    CHECK_EQ_INT(stats_compute(&full, &r), 0);
    CHECK_EQ_INT(r.test.hist[9], 1);
    stats_result_fini(&r);

    static const int32_t bad_item[2] = {0, 3};
    struct stats_input bad = {3, items, 2, 1, bad_item, full_frac, NULL};
    CHECK_EQ_INT(stats_compute(&bad, &r), EXAMD_EINVAL);
    CHECK(r.items == NULL);
    stats_result_fini(&r);
    struct stats_input none = {3, items, 2, 0, NULL, NULL, NULL};
    CHECK_EQ_INT(stats_compute(&none, &r), 0);
    CHECK_EQ_INT(r.test.n, 0);
    NUL(r.test.mean);
    NUL(r.test.median);
    stats_result_fini(&r);

    json_t *j = stats_json_real(STATS_NULL);
    CHECK(json_is_null(j));
    json_decref(j);
    j = stats_json_real(1.5);
    CHECK(json_is_real(j) && json_real_value(j) == 1.5);
    json_decref(j);
}

int main(void)
{
    test_set_a();
    test_set_b();
    test_set_c();
    return check_done("test_stats");
}
