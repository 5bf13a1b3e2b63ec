/* test_exam.c — papers (permutation, reproducibility, coverage) and the
 * time arithmetic with injected clocks. */
#include "check.h"
#include "exam.h"
#include "fixture.h"

#include <stdlib.h>

static void test_paper_is_permutation_and_reproducible(void)
{
    struct exam *e = fixture_exam(40, 20, true);
    for (uint64_t seed = 1; seed < 200; seed++) {
        struct paper_item a[20], b[20];
        bool seen[40] = {0};
        CHECK_EQ_INT(paper_assemble(e, seed, a), 0);
        CHECK_EQ_INT(paper_assemble(e, seed, b), 0);
        CHECK(!memcmp(a, b, sizeof a));
        int dup = 0;
        for (int i = 0; i < 20; i++) {
            dup += seen[a[i].qi];
            seen[a[i].qi] = true;
            int mask = 0;
            for (int k = 0; k < 4; k++)
                mask |= 1 << a[i].perm[k];
            if (mask != 0x0f)
                dup++;
        }
        CHECK_EQ_INT(dup, 0);
    }
    exam_free(e);
}

static void test_selection_covers_pool(void)
{
    struct exam *e = fixture_exam(40, 5, true);
    int hits[40] = {0}, first_pos[4] = {0};
    for (uint64_t seed = 1; seed <= 2000; seed++) {
        struct paper_item p[5];
        paper_assemble(e, seed * 7919, p);
        for (int i = 0; i < 5; i++)
            hits[p[i].qi]++;
        first_pos[p[0].perm[0]]++;
    }
    /* 2000 papers x 5 / 40 = 250 expected per question. */
    for (int i = 0; i < 40; i++)
        CHECK(hits[i] > 150 && hits[i] < 350);
    for (int k = 0; k < 4; k++)
        CHECK(first_pos[k] > 350 && first_pos[k] < 650);
    exam_free(e);
}

static void test_no_shuffle_keeps_order(void)
{
    struct exam *e = fixture_exam(10, 10, false);
    struct paper_item p[10];
    paper_assemble(e, 99, p);
    for (int i = 0; i < 10; i++) {
        CHECK_EQ_INT(p[i].qi, i);
        CHECK_EQ_INT(p[i].perm[2], 2);
    }
    CHECK_EQ_INT(paper_find(e, p, 105), 5);
    CHECK_EQ_INT(paper_find(e, p, 5), -1);
    exam_free(e);
}

static void test_choice_mapping(void)
{
    struct paper_item it = {0, {2, 0, 3, 1, 4, 5}};
    /* display 0 shows bank option 2 */
    CHECK_EQ_INT(paper_choice_to_bank(&it, 1u << 0), 1u << 2);
    CHECK_EQ_INT(paper_choice_to_display(&it, 1u << 2), 1u << 0);
    for (unsigned m = 0; m < 64; m++)
        CHECK_EQ_INT(paper_choice_to_display(&it, paper_choice_to_bank(&it, m)),
                     m);
}

static void test_time(void)
{
    struct exam *e = fixture_exam(4, 4, false);
    int64_t t0 = 1800000000000LL;
    CHECK_EQ_INT(exam_deadline(e, t0), t0 + 600000);
    e->closes_ms = t0 + 60000; /* the window closes first */
    CHECK_EQ_INT(exam_deadline(e, t0), t0 + 60000);
    e->closes_ms = 0;
    CHECK_EQ_INT(exam_left_ms(t0 + 600000, t0 + 1000), 599000);
    CHECK_EQ_INT(exam_left_ms(t0, t0 + 5), 0);
    CHECK(exam_accepts_answer(t0, 2000, t0 + 2000));
    CHECK(!exam_accepts_answer(t0, 2000, t0 + 2001));
    CHECK(!exam_accepts_answer(t0, 0, t0 + 1));
    e->opens_ms = t0;
    e->closes_ms = t0 + 10;
    CHECK(!exam_is_open(e, t0 - 1));
    CHECK(exam_is_open(e, t0));
    CHECK(!exam_is_open(e, t0 + 10));
    exam_free(e);
}

static void test_snapshot_errors(void)
{
    char msg[128];
    json_t *bad = json_pack("{ss si}", "title", "x", "n_paper", 3);
    CHECK(exam_from_json(bad, msg, sizeof msg) == NULL);
    CHECK_STR_HAS(msg, "malformed");
    json_decref(bad);
    CHECK_EQ_INT(exam_review_parse("full"), EXAM_REVIEW_FULL);
    CHECK_EQ_INT(exam_review_parse("bogus"), -1);
}


/* A blueprint: 3 from the first 10, 5 from the next 20, 2 from the last
 * 10; every paper keeps the counts, repeats nothing, is reproducible, and
 * the draws cover each cell's pool. */
static void test_blueprint_cells(void)
{
    struct exam *e = fixture_exam(40, 10, true);
    e->n_cells = 3;
    e->cells[0] = (struct exam_cell){0, 10, 3};
    e->cells[1] = (struct exam_cell){10, 20, 5};
    e->cells[2] = (struct exam_cell){30, 10, 2};
    e->pool[5].shuffle = false; /* Moodle shuffleanswers = 0 */
    int hits[40] = {0}, bad = 0, pos0[40] = {0};
    for (uint64_t seed = 1; seed <= 1000; seed++) {
        struct paper_item a[10], b[10];
        int per[3] = {0};
        bool seen[40] = {0};
        paper_assemble(e, seed, a);
        paper_assemble(e, seed, b);
        bad += memcmp(a, b, sizeof a) != 0;
        for (int i = 0; i < 10; i++) {
            int qi = a[i].qi;
            bad += seen[qi];
            seen[qi] = true;
            hits[qi]++;
            per[qi < 10 ? 0 : qi < 30 ? 1 : 2]++;
            if (qi == 5)
                bad += a[i].perm[0] != 0 || a[i].perm[3] != 3;
        }
        pos0[a[0].qi]++;
        bad += per[0] != 3 || per[1] != 5 || per[2] != 2;
    }
    CHECK_EQ_INT(bad, 0);
    /* expected hits: 300, 250, 200 per question of cells 1, 2, 3 */
    for (int i = 0; i < 40; i++) {
        int want = i < 10 ? 300 : i < 30 ? 250 : 200;
        CHECK(hits[i] > want * 6 / 10 && hits[i] < want * 14 / 10);
    }
    /* shuffled across cells: the first question comes from every cell */
    int from_last = 0;
    for (int i = 30; i < 40; i++)
        from_last += pos0[i];
    CHECK(from_last > 100);
    e->shuffle_questions = false; /* then cell order, pool order within */
    struct paper_item p[10];
    paper_assemble(e, 7, p);
    for (int i = 1; i < 10; i++)
        CHECK(p[i - 1].qi < p[i].qi);
    exam_free(e);
}

int main(void)
{
    test_paper_is_permutation_and_reproducible();
    test_selection_covers_pool();
    test_no_shuffle_keeps_order();
    test_blueprint_cells();
    test_choice_mapping();
    test_time();
    test_snapshot_errors();
    return check_done("test_exam");
}
