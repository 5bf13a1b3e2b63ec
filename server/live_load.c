/*
 * live_load.c — live rounds into memory: every round at start (state,
 * current question, players, and their scores replayed from the stored
 * answers), a round the organiser just created, and a round as the
 * console reads it. Service thread.
 *
 * A round that was showing a question when the server stopped carries on
 * with the same deadline: if it has passed, the first tick reveals it.
 * Ended rounds are loaded for LIVE_KEEP_MS after their creation (their
 * boards stay in the console), older ones stay in the database only.
 */
#include "live.h"
#include "clock.h"
#include "err.h"
#include "store_live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void live_round_free(void *arg, void *val)
{
    (void)arg;
    struct live_round *r = val;
    free(r->title);
    exam_free(r->e);
    free(r->q_seconds);
    live_core_fini(&r->core);
    free(r->watchers);
    free(r->board);
    free(r);
}

void live_fini(struct runtime *rt)
{
    struct live_rooms *L = rt->live;
    if (!L)
        return;
    imap_each(&L->rounds, live_round_free, NULL);
    imap_fini(&L->rounds);
    imap_fini(&L->players);
    imap_fini(&L->tokens);
    free(L->ids);
    free(L->units);
    free(L);
    rt->live = NULL;
}

/* Build a round from its row; NULL when its snapshot does not load. */
static struct live_round *live_round_build(const struct store_live_row *row)
{
    char msg[256];
    json_t *snap = json_loads(row->snapshot, 0, NULL);
    struct live_round *r = calloc(1, sizeof *r);
    if (!snap || !r)
        goto fail;
    r->e = exam_from_json(snap, msg, sizeof msg);
    r->title = strdup(row->title);
    if (!r->e || !r->title || r->e->n_pool < 1)
        goto fail;
    int n = r->e->n_pool;
    json_t *secs = json_object_get(snap, "live_seconds");
    if (!(r->q_seconds = malloc((size_t)n * sizeof *r->q_seconds)))
        goto fail;
    for (int i = 0; i < n; i++) {
        json_int_t s = json_integer_value(json_array_get(secs, (size_t)i));
        r->q_seconds[i] = s >= LIVE_SECONDS_MIN && s <= LIVE_SECONDS_MAX
                              ? (int)s
                              : row->seconds;
    }
    json_decref(snap);
    r->id = row->id;
    r->owner_id = row->owner_id;
    snprintf(r->code, sizeof r->code, "%s", row->code);
    r->seconds = row->seconds;
    r->created_ms = row->created_ms;
    r->q_started_ms = row->q_started_ms;
    r->q_deadline_ms = row->q_deadline_ms;
    live_core_init(&r->core, n, row->elimination);
    r->core.revived = row->revived;
    return r;
fail:
    json_decref(snap);
    if (r)
        live_round_free(NULL, r);
    return NULL;
}

/* Put r in the maps; 0 or EXAMD_ENOMEM (r is then freed). */
static int live_round_put(struct runtime *rt, struct live_round *r)
{
    struct live_rooms *L = rt->live;
    if (!store_grow((void **)&L->ids, &L->cap_ids, L->n_ids, sizeof *L->ids) ||
        imap_put(&L->rounds, r->id, r)) {
        live_round_free(NULL, r);
        return EXAMD_ENOMEM;
    }
    L->ids[L->n_ids++] = r->id;
    return 0;
}

struct live_round *live_round_add(struct runtime *rt,
                                  const struct store_live_row *row)
{
    struct live_round *r = live_round_build(row);
    return r && !live_round_put(rt, r) ? r : NULL;
}

/* ---- start-up ---- */

struct live_load {
    struct runtime *rt;
    struct live_round *r; /* the round being loaded */
    int state;            /* its stored state, applied after its players */
    struct store_unit_row *units;
    int n_units;
};

static int live_load_round(void *arg, const struct store_live_row *row)
{
    struct live_load *l = arg;
    l->r = live_round_build(row);
    if (!l->r) {
        fprintf(stderr, "examd: live round %lld does not load\n",
                (long long)row->id);
        return 0; /* the others still load */
    }
    l->state = row->state < 0 ? LIVE_ENDED : row->state;
    l->r->core.current = row->current;
    if (l->r->core.current >= l->r->core.n_q)
        l->r->core.current = l->r->core.n_q - 1;
    if (l->state != LIVE_LOBBY && l->r->core.current < 0)
        l->r->core.current = 0;
    l->r->core.state = l->state;
    int rc = live_round_put(l->rt, l->r);
    if (rc)
        l->r = NULL;
    if (l->r && l->state == LIVE_QUESTION)
        rc = deadline_push(&l->rt->deadlines, l->r->q_deadline_ms, -l->r->id);
    return rc;
}

static int live_load_player(void *arg, int64_t round_id,
                            const struct live_player *p)
{
    struct live_load *l = arg;
    if (!l->r || l->r->id != round_id)
        return 0;
    struct live_player tmp = *p;
    for (int i = 0; i < l->n_units; i++)
        if (l->units[i].id == p->unit_id)
            snprintf(tmp.unit_name, sizeof tmp.unit_name, "%s",
                     l->units[i].name);
    int st = l->r->core.state; /* players load as in the lobby */
    l->r->core.state = LIVE_LOBBY;
    struct live_player *n = live_player_add(l->rt, l->r, &tmp);
    l->r->core.state = st;
    return n ? 0 : EXAMD_ENOMEM;
}

static int live_load_answer(void *arg, int64_t round_id, int q,
                            int64_t player_id, uint8_t choice,
                            int64_t elapsed_ms, bool correct)
{
    struct live_load *l = arg;
    struct live_round *r = l->r;
    struct live_player *p = imap_get(&l->rt->live->players, player_id);
    if (!r || r->id != round_id || !p || q < 0 || q >= r->core.n_q)
        return 0;
    if (q == r->core.current && l->state == LIVE_QUESTION) {
        live_core_answer(&r->core, p, choice, elapsed_ms);
    } else if (correct) { /* a player who is out cannot answer */
        p->correct++;
        p->time_ms += elapsed_ms;
    }
    return 0;
}

int live_init(struct runtime *rt, char *msg, size_t msglen)
{
    struct live_load l = {rt, NULL, 0, NULL, 0};
    if (!(rt->live = calloc(1, sizeof *rt->live)))
        return EXAMD_ENOMEM;
    imap_init(&rt->live->rounds);
    imap_init(&rt->live->players);
    imap_init(&rt->live->tokens);
    if (store_join_units(rt->db, 0, &l.units, &l.n_units)) {
        snprintf(msg, msglen, "cannot read units");
        return EXAMD_EIO;
    }
    struct store_live_loader ld = {&l, live_load_round, live_load_player,
                                   live_load_answer};
    int rc = store_live_load(rt->db, clock_now_ms() - LIVE_KEEP_MS, &ld);
    store_unit_rows_free(l.units, l.n_units);
    if (rc) {
        snprintf(msg, msglen, "cannot read live rounds");
        return rc;
    }
    for (int i = 0; i < rt->live->n_ids; i++)
        live_core_rank(&live_round_get(rt, rt->live->ids[i])->core, NULL);
    return 0;
}

/* ---- the console's view ---- */

static json_t *live_json_question(const struct live_round *r)
{
    const struct live_core *k = &r->core;
    const struct exam_question *eq = &r->e->pool[k->current];
    json_t *opts = json_array(), *key = json_array(), *counts = json_array();
    for (int i = 0; i < eq->n_options; i++) {
        json_array_append_new(opts, json_string(eq->options[i]));
        if (eq->key & (1u << i))
            json_array_append_new(key, json_integer(i));
        json_array_append_new(counts, json_integer(k->counts[i]));
    }
    return json_pack("{si ss so so so si si}", "q", k->current, "text",
                     eq->text, "options", opts, "key", key, "counts", counts,
                     "answered", k->answered, "seconds",
                     r->q_seconds[k->current]);
}

static json_t *live_json_players(struct runtime *rt, struct live_round *r)
{
    const struct live_core *k = &r->core;
    int *order = malloc(((size_t)k->n_players + 1) * sizeof *order);
    json_t *a = json_array();
    if (!order || live_core_rank(&r->core, order)) {
        free(order);
        return a;
    }
    for (int i = 0; i < k->n_players; i++) {
        const struct live_player *p = k->players[order[i]];
        struct conn *c = runtime_conn_get(rt, p->conn);
        json_array_append_new(
            a,
            json_pack("{sI ss ss si si sI sb sb sb}", "id", (json_int_t)p->id,
                      "name", p->name, "unit", p->unit_name, "rank", p->rank,
                      "correct", p->correct, "time_ms", (json_int_t)p->time_ms,
                      "out", p->eliminated_at >= 0, "answered", p->answered,
                      "online", c && c->live_player == p->id));
    }
    free(order);
    return a;
}

json_t *live_round_json(struct runtime *rt, struct live_round *r, bool detail)
{
    const struct live_core *k = &r->core;
    json_t *o = json_pack(
        "{sI ss ss si ss si sb sb si si si sI}", "id", (json_int_t)r->id,
        "title", r->title, "code", r->code, "n", k->n_q, "state",
        store_live_state_name(k->state), "current", k->current, "elimination",
        k->elimination, "revived", k->revived, "seconds", r->seconds, "players",
        k->n_players, "active", live_core_active(k), "created_ms",
        (json_int_t)r->created_ms);
    if (!o || !detail)
        return o;
    if (k->state == LIVE_QUESTION)
        json_object_set_new(
            o, "left_ms",
            json_integer(exam_left_ms(r->q_deadline_ms, clock_now_ms())));
    if (k->current >= 0 && k->state != LIVE_LOBBY)
        json_object_set_new(o, "question", live_json_question(r));
    json_object_set_new(o, "board", live_json_players(rt, r));
    return o;
}
