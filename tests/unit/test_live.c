/* test_live.c — the rules of a live round (live_core.c): who may answer,
 * scoring, the tiebreak, elimination and the one revive; the leaderboard
 * against a brute-force model. */
#include "check.h"
#include "live_core.h"

#include <stdlib.h>

static struct live_player *add(struct live_core *r, const char *name)
{
    struct live_player p = {0};
    p.eliminated_at = -1;
    snprintf(p.name, sizeof p.name, "%s", name);
    return live_core_add(r, &p);
}

static void test_answers_and_tiebreak(void)
{
    struct live_core r;
    live_core_init(&r, 3, false);
    struct live_player *a = add(&r, "An"), *b = add(&r, "Bình"),
                       *c = add(&r, "Chi");
    /* nothing is open in the lobby */
    CHECK_EQ_INT(live_core_may_answer(&r, a, 0, 0, 1000), LIVE_NOT_OPEN);
    live_core_question(&r, 0);
    CHECK_EQ_INT(live_core_may_answer(&r, a, 1, 0, 1000), LIVE_WRONG_Q);
    CHECK_EQ_INT(live_core_may_answer(&r, a, 0, 1001, 1000), LIVE_TOO_LATE);
    CHECK_EQ_INT(live_core_may_answer(&r, a, 0, 1000, 1000), LIVE_OK);
    live_core_answer(&r, a, 1u << 1, 4000);
    CHECK_EQ_INT(live_core_may_answer(&r, a, 0, 10, 1000), LIVE_ANSWERED);
    live_core_answer(&r, b, 1u << 1, 2500);
    live_core_answer(&r, c, 1u << 0, 1000);
    CHECK_EQ_INT(r.counts[0], 1);
    CHECK_EQ_INT(r.counts[1], 2);
    CHECK_EQ_INT(r.answered, 3);
    CHECK_EQ_INT(live_core_reveal(&r, 1u << 1), 0); /* no elimination */
    CHECK_EQ_INT(r.state, LIVE_REVEAL);
    CHECK_EQ_INT(live_core_may_answer(&r, c, 0, 10, 1000), LIVE_NOT_OPEN);
    /* both right: the faster first; the wrong one last */
    CHECK_EQ_INT(b->rank, 1);
    CHECK_EQ_INT(a->rank, 2);
    CHECK_EQ_INT(c->rank, 3);
    CHECK_EQ_INT(a->time_ms, 4000);
    /* question 2: only An, so An leads on correct answers */
    live_core_question(&r, 1);
    CHECK(!a->answered);
    CHECK_EQ_INT(r.counts[1], 0);
    live_core_answer(&r, a, 1u << 2, 9000);
    live_core_reveal(&r, 1u << 2);
    CHECK_EQ_INT(a->rank, 1);
    CHECK_EQ_INT(a->correct, 2);
    CHECK_EQ_INT(a->time_ms, 13000);
    /* question 3: nobody; equal everything but join order */
    live_core_question(&r, 2);
    live_core_reveal(&r, 1);
    CHECK_EQ_INT(b->rank, 2);
    CHECK(!live_core_revive(&r)); /* no elimination: nothing to revive */
    live_core_fini(&r);

    struct live_core t;
    live_core_init(&t, 1, false);
    struct live_player *x = add(&t, "X"), *y = add(&t, "Y");
    live_core_question(&t, 0);
    live_core_answer(&t, x, 1, 700);
    live_core_answer(&t, y, 1, 700);
    live_core_reveal(&t, 1);
    CHECK_EQ_INT(x->rank, 1); /* same score and time: join order */
    CHECK_EQ_INT(y->rank, 2);
    live_core_fini(&t);
}

static void test_elimination(void)
{
    struct live_core r;
    live_core_init(&r, 4, true);
    struct live_player *a = add(&r, "A"), *b = add(&r, "B"), *c = add(&r, "C");
    live_core_question(&r, 0);
    live_core_answer(&r, a, 1, 100);
    live_core_answer(&r, b, 2, 100); /* wrong */
    /* c does not answer */
    CHECK_EQ_INT(live_core_reveal(&r, 1), 2);
    CHECK_EQ_INT(a->eliminated_at, -1);
    CHECK_EQ_INT(b->eliminated_at, 0);
    CHECK_EQ_INT(c->eliminated_at, 0);
    CHECK_EQ_INT(live_core_active(&r), 1);
    /* the eliminated watch: their answers are refused */
    live_core_question(&r, 1);
    CHECK_EQ_INT(live_core_may_answer(&r, b, 1, 0, 10), LIVE_ELIMINATED);
    CHECK_EQ_INT(live_core_may_answer(&r, a, 1, 0, 10), LIVE_OK);
    /* a late joiner in an elimination round starts out */
    struct live_player *d = add(&r, "D");
    CHECK_EQ_INT(d->eliminated_at, 1);
    live_core_answer(&r, a, 4, 50);
    CHECK_EQ_INT(live_core_reveal(&r, 4), 0);
    CHECK_EQ_INT(a->correct, 2);
    /* revive all, once */
    CHECK(live_core_revive(&r));
    CHECK_EQ_INT(live_core_active(&r), 4);
    CHECK(!live_core_revive(&r));
    live_core_question(&r, 2);
    CHECK_EQ_INT(live_core_may_answer(&r, b, 2, 0, 10), LIVE_OK);
    live_core_answer(&r, b, 1, 10);
    CHECK_EQ_INT(live_core_reveal(&r, 1), 3); /* a, c, d missed it */
    CHECK_EQ_INT(b->eliminated_at, -1);
    CHECK_EQ_INT(a->eliminated_at, 2);
    CHECK_EQ_INT(b->correct, 1);
    CHECK(!live_core_revive(&r)); /* still once per round */
    live_core_fini(&r);
}

/* The ranks against a brute-force count of who is before whom. */
static void test_rank_model(void)
{
    struct live_core r;
    live_core_init(&r, 1, false);
    uint64_t s = 99;
    for (int i = 0; i < 300; i++) {
        struct live_player *p = add(&r, "p");
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        p->correct = (int)(s >> 60) % 4;
        p->time_ms = (int64_t)((s >> 40) % 5) * 1000;
    }
    int order[300];
    CHECK_EQ_INT(live_core_rank(&r, order), 0);
    int bad = 0;
    for (int i = 0; i < r.n_players; i++) {
        int before = 0;
        for (int k = 0; k < r.n_players; k++)
            before += k != i && live_core_before(r.players[k], r.players[i]);
        bad += r.players[i]->rank != before + 1;
        bad += r.players[order[r.players[i]->rank - 1]] != r.players[i];
    }
    CHECK_EQ_INT(bad, 0);
    live_core_fini(&r);
}

/* An answer whose write failed is taken back: the counts drop and the
 * player may answer again; taking back twice changes nothing. */
static void test_unanswer(void)
{
    struct live_core r;
    live_core_init(&r, 1, false);
    struct live_player *a = add(&r, "A"), *b = add(&r, "B");
    live_core_question(&r, 0);
    live_core_answer(&r, a, (1u << 0) | (1u << 2), 300);
    live_core_answer(&r, b, 1u << 2, 400);
    live_core_unanswer(&r, a);
    CHECK(!a->answered);
    CHECK_EQ_INT(r.answered, 1);
    CHECK_EQ_INT(r.counts[0], 0);
    CHECK_EQ_INT(r.counts[2], 1);
    CHECK_EQ_INT(live_core_may_answer(&r, a, 0, 10, 1000), LIVE_OK);
    live_core_unanswer(&r, a);
    CHECK_EQ_INT(r.answered, 1);
    CHECK_EQ_INT(r.counts[2], 1);
    live_core_reveal(&r, 1u << 2);
    CHECK_EQ_INT(b->correct, 1);
    CHECK_EQ_INT(a->correct, 0); /* the taken-back answer scores nothing */
    CHECK_EQ_INT(b->rank, 1);
    live_core_fini(&r);
}

int main(void)
{
    test_unanswer();
    test_answers_and_tiebreak();
    test_elimination();
    test_rank_model();
    return check_done("test_live");
}
