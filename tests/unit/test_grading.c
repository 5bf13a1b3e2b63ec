/* test_grading.c — rounding, pass mark and bands, worked by hand. */
#include "check.h"
#include "err.h"
#include "grading.h"

#include <stdlib.h>
#include <string.h>

/* Rules from JSON text; the test fails when they do not parse. */
static struct grading rules(const char *text)
{
    struct grading g;
    char field[64], msg[256];
    int rc = grading_parse(text, &g, field, sizeof field, msg, sizeof msg);
    CHECK_EQ_INT(rc, 0);
    if (rc)
        fprintf(stderr, "  %s: %s\n", text, msg);
    return g;
}

/* The field the rules are refused for ("" when accepted). */
static const char *refused(const char *text)
{
    static char field[64];
    struct grading g;
    char msg[256];
    field[0] = 0;
    if (grading_parse(text, &g, field, sizeof field, msg, sizeof msg) !=
        EXAMD_EINVAL)
        field[0] = 0;
    else
        CHECK(strstr(msg, " / ") != NULL); /* vi / en */
    return field;
}

static void test_defaults(void)
{
    struct grading g = rules("");
    CHECK_EQ_INT(g.step_centi, 1);
    CHECK_EQ_INT(g.pass_centi, 500);
    CHECK_EQ_INT(g.n_bands, 5);
    /* no rounding: the score is itself */
    CHECK_EQ_INT(grading_round(&g, 637), 637);
    /* bands at their boundaries: 8.99 is Giỏi, 9.00 Xuất sắc */
    CHECK(!strcmp(g.bands[grading_band(&g, 900)].name, "Xuất sắc"));
    CHECK(!strcmp(g.bands[grading_band(&g, 899)].name, "Giỏi"));
    CHECK(!strcmp(g.bands[grading_band(&g, 800)].name, "Giỏi"));
    CHECK(!strcmp(g.bands[grading_band(&g, 799)].name, "Khá"));
    CHECK(!strcmp(g.bands[grading_band(&g, 650)].name, "Khá"));
    CHECK(!strcmp(g.bands[grading_band(&g, 649)].name, "Trung bình"));
    CHECK(!strcmp(g.bands[grading_band(&g, 500)].name, "Trung bình"));
    CHECK(!strcmp(g.bands[grading_band(&g, 499)].name, "Không đạt"));
    CHECK(!strcmp(g.bands[grading_band(&g, 0)].name, "Không đạt"));
    CHECK(!strcmp(g.bands[grading_band(&g, 1000)].name, "Xuất sắc"));
    CHECK(!strcmp(g.bands[0].name_en, "Excellent"));
    CHECK(grading_passed(&g, 500));
    CHECK(!grading_passed(&g, 499));
    /* JSON null is the defaults too */
    struct grading n = rules("null");
    CHECK_EQ_INT(n.pass_centi, 500);
}

static void test_round_quarter(void)
{
    struct grading g = rules("{\"rounding\":0.25}");
    CHECK_EQ_INT(g.step_centi, 25);
    /* half up to 0.25: 6.37 is 0.12 above 6.25, 0.13 below 6.50 */
    CHECK_EQ_INT(grading_round(&g, 637), 625);
    CHECK_EQ_INT(grading_round(&g, 638), 650); /* 0.12 below 6.50 */
    CHECK_EQ_INT(grading_round(&g, 612), 600);
    CHECK_EQ_INT(grading_round(&g, 613), 625);
    CHECK_EQ_INT(grading_round(&g, 625), 625);
    CHECK_EQ_INT(grading_round(&g, 0), 0);
    CHECK_EQ_INT(grading_round(&g, 12), 0);
    CHECK_EQ_INT(grading_round(&g, 13), 25);
    CHECK_EQ_INT(grading_round(&g, 988), 1000);
    CHECK_EQ_INT(grading_round(&g, 1000), 1000);
    /* the pass mark and bands see the rounded score: 4.88 shows 5.00 */
    int r = grading_round(&g, 488);
    CHECK_EQ_INT(r, 500);
    CHECK(grading_passed(&g, r));
    CHECK(!strcmp(g.bands[grading_band(&g, r)].name, "Trung bình"));
    r = grading_round(&g, 487); /* 4.87 -> 4.75: not passed */
    CHECK_EQ_INT(r, 475);
    CHECK(!grading_passed(&g, r));
    /* 8.88 -> 9.00: Xuất sắc; 8.87 -> 8.75: Giỏi */
    CHECK_EQ_INT(grading_band(&g, grading_round(&g, 888)), 0);
    CHECK_EQ_INT(grading_band(&g, grading_round(&g, 887)), 1);
}

static void test_round_other_steps(void)
{
    struct grading h = rules("{\"rounding\":0.5}");
    CHECK_EQ_INT(grading_round(&h, 624), 600);
    CHECK_EQ_INT(grading_round(&h, 625), 650); /* the midpoint goes up */
    CHECK_EQ_INT(grading_round(&h, 674), 650);
    CHECK_EQ_INT(grading_round(&h, 675), 700);
    struct grading t = rules("{\"rounding\":0.1}");
    CHECK_EQ_INT(grading_round(&t, 644), 640);
    CHECK_EQ_INT(grading_round(&t, 645), 650);
    struct grading o = rules("{\"rounding\":1}");
    CHECK_EQ_INT(grading_round(&o, 449), 400);
    CHECK_EQ_INT(grading_round(&o, 450), 500);
    CHECK_EQ_INT(grading_round(&o, 950), 1000);
    /* default bands with step 1: 6.50 shows 7 (Khá), 6.49 shows 6 (Trung
     * bình): Khá "from 6.5" is reached from a shown 7 */
    CHECK_EQ_INT(grading_band(&o, grading_round(&o, 650)), 2);
    CHECK_EQ_INT(grading_band(&o, grading_round(&o, 649)), 3);
    struct grading none = rules("{\"rounding\":null,\"pass\":6.5}");
    CHECK_EQ_INT(none.step_centi, 1);
    CHECK_EQ_INT(none.pass_centi, 650);
    CHECK(!grading_passed(&none, 649));
    CHECK(grading_passed(&none, 650));
}

/* One rounding, from the exact points: 28 of 59 one-point questions is
 * 4.7458..., stored as 4.75 (score_centi 475); rounded again to 0.5 that
 * would be 5.0 and pass, but the exact value is nearer 4.5. */
static void test_round_exact(void)
{
    const int64_t W = 10000000; /* EXAM_WEIGHT_FULL: one point */
    struct grading h = rules("{\"rounding\":0.5}");
    CHECK_EQ_INT(grading_round(&h, 475), 500); /* the double rounding */
    int r = grading_round_points(&h, 475, 28 * W, 59 * W);
    CHECK_EQ_INT(r, 450);
    CHECK(!grading_passed(&h, r));
    /* exact midpoints still go up: 19 of 40 = 4.75 -> 5.0 */
    CHECK_EQ_INT(grading_round_points(&h, 475, 19 * W, 40 * W), 500);
    /* step 0.25: 28/59 = 4.7458 -> 4.75; 2/3 x 10 = 6.667 -> 6.75 */
    struct grading q = rules("{\"rounding\":0.25}");
    CHECK_EQ_INT(grading_round_points(&q, 475, 28 * W, 59 * W), 475);
    CHECK_EQ_INT(grading_round_points(&q, 667, 2 * W, 3 * W), 675);
    /* bounds: nothing earned, a negative total (penalties), all of it */
    CHECK_EQ_INT(grading_round_points(&q, 0, 0, 59 * W), 0);
    CHECK_EQ_INT(grading_round_points(&q, 0, -3 * W, 59 * W), 0);
    CHECK_EQ_INT(grading_round_points(&q, 1000, 59 * W, 59 * W), 1000);
    /* the largest paper: 200 questions of 100 points */
    CHECK_EQ_INT(grading_round_points(&h, 1000, 20000 * W, 20000 * W), 1000);
    CHECK_EQ_INT(grading_round_points(&h, 500, 9999 * W, 20000 * W), 500);
    /* no step: the stored score as it is; no points: the stored score */
    struct grading none = rules("{\"rounding\":null}");
    CHECK_EQ_INT(grading_round_points(&none, 475, 28 * W, 59 * W), 475);
    CHECK_EQ_INT(grading_round_points(&h, 475, 0, 0), 500);
}

static void test_custom_bands(void)
{
    struct grading g =
        rules("{\"pass\":7,\"bands\":[{\"name\":\"Đạt\",\"name_en\":\"Pass\","
              "\"min\":7},{\"name\":\"Không đạt\",\"min\":0}]}");
    CHECK_EQ_INT(g.n_bands, 2);
    CHECK_EQ_INT(g.pass_centi, 700);
    CHECK_EQ_INT(grading_band(&g, 700), 0);
    CHECK_EQ_INT(grading_band(&g, 699), 1);
    CHECK(!strcmp(g.bands[1].name_en, ""));
    /* a round trip through JSON keeps the rules */
    char *t = grading_dumps(&g);
    CHECK(t != NULL);
    struct grading back = rules(t);
    CHECK_EQ_INT(back.n_bands, 2);
    CHECK_EQ_INT(back.pass_centi, 700);
    CHECK(!strcmp(back.bands[0].name, "Đạt"));
    CHECK(!strcmp(back.bands[0].name_en, "Pass"));
    CHECK_EQ_INT(back.bands[0].min_centi, 700);
    free(t);
    struct grading d;
    grading_default(&d);
    t = grading_dumps(&d);
    CHECK(t && strstr(t, "\"rounding\":0.01") && strstr(t, "\"min\":6.5"));
    struct grading dd = rules(t);
    CHECK_EQ_INT(dd.step_centi, 1);
    CHECK_EQ_INT(dd.bands[2].min_centi, 650);
    free(t);
}

static void test_refusals(void)
{
    CHECK(!strcmp(refused("[1]"), "grading"));
    CHECK(!strcmp(refused("{\"rounding\":0.3}"), "grading.rounding"));
    CHECK(!strcmp(refused("{\"rounding\":0}"), "grading.rounding"));
    CHECK(!strcmp(refused("{\"rounding\":2}"), "grading.rounding"));
    CHECK(!strcmp(refused("{\"rounding\":\"0.25\"}"), "grading.rounding"));
    CHECK(!strcmp(refused("{\"pass\":11}"), "grading.pass"));
    CHECK(!strcmp(refused("{\"pass\":-1}"), "grading.pass"));
    CHECK(!strcmp(refused("{\"pass\":5.125}"), "grading.pass"));
    CHECK(!strcmp(refused("{\"bands\":[]}"), "grading.bands"));
    CHECK(!strcmp(refused("{\"bands\":[{\"name\":\"A\",\"min\":5}]}"),
                  "grading.bands[0].min")); /* the lowest must be 0 */
    CHECK(!strcmp(refused("{\"bands\":[{\"name\":\"A\",\"min\":5},"
                          "{\"name\":\"B\",\"min\":5},"
                          "{\"name\":\"C\",\"min\":0}]}"),
                  "grading.bands[1].min")); /* not decreasing */
    CHECK(!strcmp(refused("{\"bands\":[{\"name\":\"\",\"min\":0}]}"),
                  "grading.bands[0].name"));
    CHECK(
        !strcmp(refused("{\"bands\":[{\"min\":0}]}"), "grading.bands[0].name"));
    CHECK(!strcmp(refused("{\"bands\":[{\"name\":\"A\",\"name_en\":3,"
                          "\"min\":0}]}"),
                  "grading.bands[0].name_en"));
    CHECK(!strcmp(refused("{\"bands\":[{\"name\":\"A\\nB\",\"min\":0}]}"),
                  "grading.bands[0].name"));
    CHECK(!strcmp(refused("not json"), "grading"));
    CHECK(!strcmp(refused("{\"rounding\":0.25}"), "")); /* accepted */
}

int main(void)
{
    test_defaults();
    test_round_quarter();
    test_round_other_steps();
    test_round_exact();
    test_custom_bands();
    test_refusals();
    return check_done("test_grading");
}
