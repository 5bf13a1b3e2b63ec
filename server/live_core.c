/*
 * live_core.c — the rules of a live round (see live_core.h). Pure.
 */
#include "live_core.h"
#include "err.h"

#include <stdlib.h>
#include <string.h>

void live_core_init(struct live_core *r, int n_q, bool elimination)
{
    memset(r, 0, sizeof *r);
    r->state = LIVE_LOBBY;
    r->current = -1;
    r->n_q = n_q;
    r->elimination = elimination;
}

void live_core_fini(struct live_core *r)
{
    for (int i = 0; i < r->n_players; i++)
        free(r->players[i]);
    free(r->players);
    r->players = NULL;
    r->n_players = r->cap_players = 0;
}

struct live_player *live_core_add(struct live_core *r,
                                  const struct live_player *p)
{
    if (r->n_players == r->cap_players) {
        int cap = r->cap_players ? r->cap_players * 2 : 64;
        struct live_player **v = realloc(r->players, (size_t)cap * sizeof *v);
        if (!v)
            return NULL;
        r->players = v;
        r->cap_players = cap;
    }
    struct live_player *n = malloc(sizeof *n);
    if (!n)
        return NULL;
    *n = *p;
    n->name[LIVE_NAME_MAX] = 0;
    n->join_no = r->n_players;
    n->answered = false;
    if (r->elimination && r->state != LIVE_LOBBY && n->eliminated_at < 0)
        n->eliminated_at = r->current < 0 ? 0 : r->current;
    n->rank = r->n_players + 1;
    r->active += n->eliminated_at < 0;
    r->players[r->n_players++] = n;
    return n;
}

int live_core_active(const struct live_core *r)
{
    return r->active;
}

void live_core_question(struct live_core *r, int q)
{
    r->state = LIVE_QUESTION;
    r->current = q;
    r->answered = 0;
    memset(r->counts, 0, sizeof r->counts);
    for (int i = 0; i < r->n_players; i++) {
        r->players[i]->answered = false;
        r->players[i]->choice = 0;
        r->players[i]->elapsed_ms = 0;
    }
}

int live_core_may_answer(const struct live_core *r, const struct live_player *p,
                         int q, int64_t now_ms, int64_t deadline_ms)
{
    if (r->state != LIVE_QUESTION)
        return LIVE_NOT_OPEN;
    if (q != r->current)
        return LIVE_WRONG_Q;
    if (now_ms > deadline_ms)
        return LIVE_TOO_LATE;
    if (r->elimination && p->eliminated_at >= 0)
        return LIVE_ELIMINATED;
    if (p->answered)
        return LIVE_ANSWERED;
    return LIVE_OK;
}

void live_core_answer(struct live_core *r, struct live_player *p,
                      uint8_t choice, int64_t elapsed_ms)
{
    p->answered = true;
    p->choice = choice;
    p->elapsed_ms = elapsed_ms < 0 ? 0 : elapsed_ms;
    r->answered++;
    for (int k = 0; k < LIVE_MAX_OPTIONS; k++)
        if (choice & (1u << k))
            r->counts[k]++;
}

void live_core_unanswer(struct live_core *r, struct live_player *p)
{
    if (!p->answered)
        return;
    p->answered = false;
    r->answered--;
    for (int k = 0; k < LIVE_MAX_OPTIONS; k++)
        if (p->choice & (1u << k))
            r->counts[k]--;
    p->choice = 0;
    p->elapsed_ms = 0;
}

int live_core_reveal(struct live_core *r, uint8_t key)
{
    int out = 0;
    for (int i = 0; i < r->n_players; i++) {
        struct live_player *p = r->players[i];
        bool right = p->answered && p->choice == key;
        if (right && !(r->elimination && p->eliminated_at >= 0)) {
            p->correct++;
            p->time_ms += p->elapsed_ms;
        }
        if (r->elimination && p->eliminated_at < 0 && !right) {
            p->eliminated_at = r->current;
            out++;
        }
    }
    r->active -= out;
    r->state = LIVE_REVEAL;
    live_core_rank(r, NULL);
    return out;
}

bool live_core_revive(struct live_core *r)
{
    if (!r->elimination || r->revived)
        return false;
    for (int i = 0; i < r->n_players; i++)
        r->players[i]->eliminated_at = -1;
    r->active = r->n_players;
    r->revived = true;
    return true;
}

bool live_core_before(const struct live_player *a, const struct live_player *b)
{
    if (a->correct != b->correct)
        return a->correct > b->correct;
    if (a->time_ms != b->time_ms)
        return a->time_ms < b->time_ms;
    return a->join_no < b->join_no;
}

static int live_core_cmp(const void *x, const void *y)
{
    const struct live_player *a = *(struct live_player *const *)x,
                             *b = *(struct live_player *const *)y;
    return live_core_before(a, b) ? -1 : live_core_before(b, a) ? 1 : 0;
}

int live_core_rank(struct live_core *r, int *order)
{
    if (!r->n_players)
        return 0;
    struct live_player **v = malloc((size_t)r->n_players * sizeof *v);
    if (!v)
        return EXAMD_ENOMEM;
    memcpy(v, r->players, (size_t)r->n_players * sizeof *v);
    qsort(v, (size_t)r->n_players, sizeof *v, live_core_cmp);
    for (int i = 0; i < r->n_players; i++) {
        v[i]->rank = i + 1;
        if (order)
            order[i] = v[i]->join_no;
    }
    free(v);
    return 0;
}
