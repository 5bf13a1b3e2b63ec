/*
 * live.c — live rounds on the running server (see live.h): joining and
 * rejoining, answers, the pushes of each step, deadlines. The organiser's
 * HTTP side is api_live.c; restoring at start is live_load.c.
 *
 * A player is a row (live_players) and a token: "<round>-<32 hex>", of
 * which only a BLAKE2b hash is stored. The token is sent once, in the
 * reply to live_join, after the row has committed; live_resume with it
 * binds a new connection to the player (the old one is told
 * live_taken_over and can no longer answer). Nobody without the token
 * can play as someone else.
 */
#include "live.h"
#include "clock.h"
#include "dispatch.h"
#include "err.h"
#include "join.h"
#include "protocol_live.h"
#include "transport.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Wrong codes one connection may send before it is closed. */
#define LIVE_WRONG_MAX 10

/* What a writer job of this module carries. */
enum live_op_kind { LIVE_OP_JOIN, LIVE_OP_ANSWER, LIVE_OP_STATE };

struct live_op {
    int kind; /* enum live_op_kind */
    int64_t round_id;
    struct live_player p; /* join: the new player (id set by the run) */
    char token[LIVE_TOKEN_LEN];
    /* answer */
    int q;
    uint8_t choice;
    int64_t player_id, elapsed_ms;
    bool correct;
    /* state */
    struct store_live_row row;
    bool eliminate;
};

static void live_op_free(void *arg)
{
    struct live_op *op = arg;
    if (op)
        sodium_memzero(op->token, sizeof op->token);
    free(op);
}

static int live_op_run(struct store *st, struct wjob *j)
{
    struct live_op *op = j->arg;
    switch (op->kind) {
    case LIVE_OP_JOIN:
        return store_live_player_add(st, op->round_id, &op->p, j->server_ms);
    case LIVE_OP_ANSWER:
        return store_live_answer_add(st, op->round_id, op->q, op->player_id,
                                     op->choice, j->server_ms, op->elapsed_ms,
                                     op->correct);
    default:
        return store_live_state_set(st, &op->row, op->eliminate);
    }
}

/* Hand op to the writer; the reply (if c) goes out from live_done. */
static int live_submit(struct runtime *rt, struct conn *c, const char *id,
                       struct live_op *op, int64_t now)
{
    struct wjob *j = wjob_new(WJOB_STAFF);
    if (!j) {
        live_op_free(op);
        return EXAMD_ENOMEM;
    }
    j->reply = REPLY_LIVE;
    j->conn = c ? runtime_conn_ref(c) : 0;
    if (id)
        snprintf(j->id, sizeof j->id, "%s", id);
    j->run = live_op_run;
    j->arg = op;
    j->arg_free = live_op_free;
    j->server_ms = now;
    return writer_submit(rt->writer, j);
}

/* ---- lookups ---- */

struct live_round *live_round_get(struct runtime *rt, int64_t id)
{
    return rt->live ? imap_get(&rt->live->rounds, id) : NULL;
}

/* The open round with code, or NULL. */
static struct live_round *live_by_code(struct runtime *rt, const char *code)
{
    for (int i = rt->live->n_ids - 1; i >= 0; i--) {
        struct live_round *r = live_round_get(rt, rt->live->ids[i]);
        if (r && r->core.state != LIVE_ENDED && !strcmp(r->code, code))
            return r;
    }
    return NULL;
}

bool live_code_taken(struct runtime *rt, const char *code)
{
    return live_by_code(rt, code) != NULL;
}

/* Key of the token map: the first 8 bytes of the token's hash. */
static int64_t live_token_key(const uint8_t hash[32])
{
    int64_t k;
    memcpy(&k, hash, sizeof k);
    return k;
}

static void live_token_hash(const char *secret, uint8_t out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)secret, strlen(secret),
                       NULL, 0);
}

/* ---- pushes ---- */

/* Every live connection of r (players, then projectors) into a new
 * array (free); *n its length. */
static struct conn **live_conns(struct runtime *rt, struct live_round *r,
                                int *n)
{
    int cap = r->core.n_players + r->n_watchers + 1, k = 0, w = 0;
    struct conn **v = malloc((size_t)cap * sizeof *v);
    if (!v)
        return NULL;
    for (int i = 0; i < r->core.n_players; i++) {
        struct conn *c = runtime_conn_get(rt, r->core.players[i]->conn);
        if (c && c->live_player == r->core.players[i]->id)
            v[k++] = c;
    }
    for (int i = 0; i < r->n_watchers; i++) {
        struct conn *c = runtime_conn_get(rt, r->watchers[i]);
        if (c && c->live_watch == r->id) {
            v[k++] = c;
            r->watchers[w++] = r->watchers[i]; /* drop the gone */
        }
    }
    r->n_watchers = w;
    *n = k;
    return v;
}

/* text (taken) to every player and projector of r, one shared frame. */
static void live_push_all(struct runtime *rt, struct live_round *r, char *text)
{
    int n;
    struct conn **v = text ? live_conns(rt, r, &n) : NULL;
    if (v)
        transport_send_all(rt, v, n, text, strlen(text));
    free(v);
    free(text);
}

static void live_send(struct runtime *rt, struct conn *c, char *text)
{
    if (c && text)
        transport_send(rt, c, text, strlen(text));
    free(text);
}

/* Each player's own standing, to their connection. */
static void live_push_you(struct runtime *rt, struct live_round *r)
{
    char buf[320];
    for (int i = 0; i < r->core.n_players; i++) {
        struct live_player *p = r->core.players[i];
        struct conn *c = runtime_conn_get(rt, p->conn);
        int n;
        if (c && c->live_player == p->id &&
            (n = proto_live_you(buf, sizeof buf, r, p)) > 0)
            transport_send(rt, c, buf, (size_t)n);
    }
}

/* The board of the last reveal (or the end), made once and kept for
 * those who arrive after it: a reconnect storm must not sort 20,000
 * players per connection. NULL on malloc failure. */
static const char *live_board(struct live_round *r)
{
    if (r->board)
        return r->board;
    int *order = malloc(((size_t)r->core.n_players + 1) * sizeof *order);
    if (order && !live_core_rank(&r->core, order))
        r->board = proto_live_board(r, order, r->core.state == LIVE_ENDED);
    free(order);
    return r->board;
}

/* The board (reveal or end) to everyone, then each player's own line. */
static void live_push_board(struct runtime *rt, struct live_round *r)
{
    free(r->board);
    r->board = NULL;
    const char *b = live_board(r);
    if (b)
        live_push_all(rt, r, strdup(b));
    live_push_you(rt, r);
}

/* What a connection arriving now needs to catch up: the open question,
 * the last board, or (a projector in the lobby) who has joined. */
static void live_catch_up(struct runtime *rt, struct live_round *r,
                          struct conn *c, struct live_player *p)
{
    int64_t now = clock_now_ms();
    switch (r->core.state) {
    case LIVE_QUESTION:
        live_send(rt, c,
                  proto_live_question(r, exam_left_ms(r->q_deadline_ms, now)));
        break;
    case LIVE_REVEAL:
    case LIVE_ENDED: {
        const char *b = live_board(r);
        char buf[320];
        int n;
        if (b)
            transport_send(rt, c, b, strlen(b));
        if (p && (n = proto_live_you(buf, sizeof buf, r, p)) > 0)
            transport_send(rt, c, buf, (size_t)n);
        break;
    }
    default:
        if (!p)
            live_send(rt, c, proto_live_lobby(r));
    }
}

/* text (taken) to the projectors only. */
static void live_push_watchers(struct runtime *rt, struct live_round *r,
                               char *text)
{
    for (int i = 0; text && i < r->n_watchers; i++) {
        struct conn *c = runtime_conn_get(rt, r->watchers[i]);
        if (c && c->live_watch == r->id)
            transport_send(rt, c, text, strlen(text));
    }
    free(text);
}

/* The projectors' answer count, at most every LIVE_PROGRESS_MS (and
 * always for the last answer expected); one held back goes out from the
 * deadline heap (live_deadline). */
static void live_push_progress(struct runtime *rt, struct live_round *r,
                               int64_t now)
{
    char buf[160];
    if (!r->n_watchers)
        return;
    if (now - r->progress_ms < LIVE_PROGRESS_MS &&
        r->core.answered < live_core_active(&r->core)) {
        if (!r->progress_due) /* the count catches up then */
            r->progress_due = !deadline_push(
                &rt->deadlines, r->progress_ms + LIVE_PROGRESS_MS, -r->id);
        return;
    }
    r->progress_ms = now;
    r->progress_due = false;
    if (proto_live_progress(buf, sizeof buf, r) > 0)
        live_push_watchers(rt, r, strdup(buf));
}

/* ---- steps ---- */

static void live_row(const struct live_round *r, struct store_live_row *row)
{
    memset(row, 0, sizeof *row);
    row->id = r->id;
    row->state = r->core.state;
    row->current = r->core.current;
    row->q_started_ms = r->q_started_ms;
    row->q_deadline_ms = r->q_deadline_ms;
}

/* Open question q now and push it to everyone at once. */
static void live_open(struct runtime *rt, struct live_round *r, int q)
{
    int64_t now = clock_now_ms();
    live_core_question(&r->core, q);
    r->q_started_ms = now;
    r->q_deadline_ms = now + (int64_t)r->q_seconds[q] * 1000;
    deadline_push(&rt->deadlines, r->q_deadline_ms, -r->id);
    live_push_all(rt, r, proto_live_question(r, r->q_deadline_ms - now));
}

int live_start(struct runtime *rt, struct live_round *r,
               struct store_live_row *row)
{
    if (r->core.state != LIVE_LOBBY)
        return EXAMD_ECLOSED;
    live_open(rt, r, 0);
    live_row(r, row);
    return 0;
}

int live_end(struct runtime *rt, struct live_round *r,
             struct store_live_row *row)
{
    if (r->core.state == LIVE_ENDED)
        return EXAMD_ECLOSED;
    r->core.state = LIVE_ENDED;
    r->reveal_due = false;
    live_push_board(rt, r);
    live_row(r, row);
    return 0;
}

int live_next(struct runtime *rt, struct live_round *r,
              struct store_live_row *row)
{
    if (r->core.state != LIVE_REVEAL)
        return EXAMD_ECLOSED;
    if (r->core.current + 1 >= r->core.n_q)
        return live_end(rt, r, row);
    live_open(rt, r, r->core.current + 1);
    live_row(r, row);
    return 0;
}

int live_reveal(struct runtime *rt, struct live_round *r,
                struct store_live_row *row, bool *eliminate)
{
    if (r->core.state != LIVE_QUESTION)
        return EXAMD_ECLOSED;
    r->reveal_due = false;
    live_core_reveal(&r->core, r->e->pool[r->core.current].key);
    live_push_board(rt, r);
    live_row(r, row);
    *eliminate = r->core.elimination;
    return 0;
}

int live_revive(struct runtime *rt, struct live_round *r)
{
    char buf[128];
    if (r->core.state == LIVE_ENDED || !live_core_revive(&r->core))
        return EXAMD_ECLOSED;
    free(r->board); /* its "out" marks are gone */
    r->board = NULL;
    int n = proto_live_revived(buf, sizeof buf, r);
    if (n > 0)
        live_push_all(rt, r, strdup(buf));
    return 0;
}

/* Answers to the open question still queued for the writer? The
 * automatic reveal waits for them, so the board counts only what was
 * stored (and every stored answer). */
static bool live_answers_pending(const struct live_round *r)
{
    return r->pending_q == r->core.current && r->pending_answers > 0;
}

/* Reveal without the organiser (the deadline, or every player still in
 * has answered), stored by the writer. */
static void live_reveal_auto(struct runtime *rt, struct live_round *r)
{
    struct live_op *op = calloc(1, sizeof *op);
    if (!op)
        return;
    op->kind = LIVE_OP_STATE;
    if (live_reveal(rt, r, &op->row, &op->eliminate)) {
        live_op_free(op);
        return;
    }
    live_submit(rt, NULL, NULL, op, clock_now_ms());
}

void live_deadline(struct runtime *rt, int64_t round_id, int64_t now_ms)
{
    struct live_round *r = live_round_get(rt, round_id);
    if (!r || r->core.state != LIVE_QUESTION)
        return;
    if (now_ms >= r->q_deadline_ms && live_answers_pending(r))
        r->reveal_due = true; /* the last answer back reveals */
    else if (now_ms >= r->q_deadline_ms)
        live_reveal_auto(rt, r);
    else if (r->progress_due && now_ms >= r->progress_ms + LIVE_PROGRESS_MS)
        live_push_progress(rt, r, now_ms);
}

/* ---- messages ---- */

static void live_error(struct runtime *rt, struct conn *c, const char *id,
                       int err, const char *field)
{
    dispatch_error(rt, c, id, err, field);
}

/* The open round of m->code, or NULL having replied (and counted a wrong
 * code: too many close the connection). */
static struct live_round *live_code_round(struct runtime *rt, struct conn *c,
                                          const struct proto_msg *m)
{
    struct live_round *r = live_by_code(rt, m->code);
    if (r)
        return r;
    if (++c->live_wrong >= LIVE_WRONG_MAX)
        transport_close(c, 1008, "too many wrong codes");
    else
        live_error(rt, c, m->id, EXAMD_ENOTFOUND, "code");
    return NULL;
}

void live_units_forget(struct runtime *rt)
{
    if (rt->live) {
        free(rt->live->units);
        rt->live->units = NULL;
    }
}

/* The unit list for live_round replies: read and encoded once, kept
 * until the units change (the room code is public: a lookup from anyone
 * must not cost a query). NULL on failure. */
static const char *live_units(struct runtime *rt)
{
    struct store_unit_row *u = NULL;
    int n = 0;
    if (!rt->live->units && !store_join_units(rt->db, 0, &u, &n)) {
        rt->live->units = proto_live_units(u, n);
        store_unit_rows_free(u, n);
    }
    return rt->live->units;
}

static void live_lookup(struct runtime *rt, struct conn *c,
                        const struct proto_msg *m)
{
    struct live_round *r = live_code_round(rt, c, m);
    if (!r)
        return;
    const char *units = live_units(rt);
    if (!units) {
        live_error(rt, c, m->id, EXAMD_EINTERNAL, NULL);
        return;
    }
    live_send(rt, c, proto_live_lookup(m->id, r, units));
}

static void live_join(struct runtime *rt, struct conn *c,
                      const struct proto_msg *m)
{
    struct live_round *r = live_code_round(rt, c, m);
    bool oom = false;
    if (!r)
        return;
    char *name = join_name_clean(m->name, &oom);
    if (!name || strlen(name) > LIVE_NAME_MAX) {
        free(name);
        live_error(rt, c, m->id, oom ? EXAMD_ENOMEM : EXAMD_EBADMSG, "name");
        return;
    }
    struct live_op *op = calloc(1, sizeof *op);
    if (!op) {
        free(name);
        live_error(rt, c, m->id, EXAMD_ENOMEM, NULL);
        return;
    }
    op->kind = LIVE_OP_JOIN;
    op->round_id = r->id;
    snprintf(op->p.name, sizeof op->p.name, "%s", name);
    free(name);
    int cap = rt->cfg->live_players_max > 0 &&
                      rt->cfg->live_players_max < LIVE_PLAYERS_MAX
                  ? rt->cfg->live_players_max
                  : LIVE_PLAYERS_MAX;
    if (r->core.n_players + r->pending_joins >= cap ||
        (m->unit && store_live_unit_name(rt->db, m->unit, op->p.unit_name,
                                         sizeof op->p.unit_name))) {
        live_op_free(op);
        live_error(rt, c, m->id, EXAMD_EBADMSG, m->unit ? "unit" : "code");
        return;
    }
    op->p.unit_id = m->unit;
    op->p.user_id = c->user_id;
    op->p.eliminated_at = -1;
    if (r->core.elimination && r->core.state != LIVE_LOBBY)
        op->p.eliminated_at = r->core.current < 0 ? 0 : r->core.current;
    uint8_t secret[16];
    char hex[33];
    randombytes_buf(secret, sizeof secret);
    sodium_bin2hex(hex, sizeof hex, secret, sizeof secret);
    snprintf(op->token, sizeof op->token, "%lld-%s", (long long)r->id, hex);
    live_token_hash(op->token, op->p.token_hash);
    sodium_memzero(hex, sizeof hex);
    if (live_submit(rt, c, m->id, op, clock_now_ms()))
        live_error(rt, c, m->id, EXAMD_EBUSY, NULL);
    else
        r->pending_joins++; /* its place is held until it comes back */
}

/* Make c the connection of p (the one before is told and let go). */
static void live_bind(struct runtime *rt, struct conn *c, struct live_player *p)
{
    struct conn *old = runtime_conn_get(rt, p->conn);
    char buf[96];
    int n;
    if (old && old != c && old->live_player == p->id) {
        old->live_player = 0;
        if ((n = proto_live_taken_over(buf, sizeof buf, p->round_id)) > 0)
            transport_send(rt, old, buf, (size_t)n);
    }
    p->conn = runtime_conn_ref(c);
    c->live_player = p->id;
}

static void live_resume(struct runtime *rt, struct conn *c,
                        const struct proto_msg *m)
{
    uint8_t hash[32];
    live_token_hash(m->token, hash);
    struct live_player *p = imap_get(&rt->live->tokens, live_token_key(hash));
    struct live_round *r = p ? live_round_get(rt, p->round_id) : NULL;
    if (!r || sodium_memcmp(hash, p->token_hash, sizeof hash)) {
        live_error(rt, c, m->id, EXAMD_ENOTFOUND, "token");
        return;
    }
    live_bind(rt, c, p);
    live_send(rt, c, proto_live_welcome(m->id, r, p, NULL));
    live_catch_up(rt, r, c, p);
}

/* The wire error of a refused answer. */
static int live_refusal_err(int why)
{
    switch (why) {
    case LIVE_TOO_LATE:
        return EXAMD_ETOOLATE;
    case LIVE_ELIMINATED:
        return EXAMD_EELIMINATED;
    case LIVE_ANSWERED:
        return EXAMD_EANSWERED;
    default:
        return EXAMD_ENOQUESTION;
    }
}

static void live_answer(struct runtime *rt, struct conn *c,
                        const struct proto_msg *m)
{
    int64_t now = clock_now_ms();
    struct live_player *p = imap_get(&rt->live->players, c->live_player);
    struct live_round *r = p ? live_round_get(rt, p->round_id) : NULL;
    if (!r || p->conn != runtime_conn_ref(c)) { /* joined nothing here */
        live_error(rt, c, m->id, EXAMD_ENOTFOUND, "player");
        return;
    }
    int why =
        live_core_may_answer(&r->core, p, (int)m->q, now, r->q_deadline_ms);
    if ((why == LIVE_WRONG_Q && m->q < r->core.current) ||
        (why == LIVE_NOT_OPEN && r->core.current >= 0 &&
         m->q <= r->core.current))
        why = LIVE_TOO_LATE; /* a question whose answers have closed */
    if (why) {
        live_error(rt, c, m->id, live_refusal_err(why), NULL);
        return;
    }
    const struct exam_question *eq = &r->e->pool[m->q];
    if (!m->n_choice || m->choice >> eq->n_options ||
        (!eq->multi && m->n_choice != 1)) {
        live_error(rt, c, m->id, EXAMD_EBADOPTION, "choice");
        return;
    }
    struct live_op *op = calloc(1, sizeof *op);
    if (!op) {
        live_error(rt, c, m->id, EXAMD_ENOMEM, NULL);
        return;
    }
    live_core_answer(&r->core, p, m->choice, now - r->q_started_ms);
    if (r->pending_q != (int)m->q) { /* the first answer to this question */
        r->pending_q = (int)m->q;
        r->pending_answers = 0;
    }
    op->kind = LIVE_OP_ANSWER;
    op->round_id = r->id;
    op->q = (int)m->q;
    op->choice = m->choice;
    op->player_id = p->id;
    op->elapsed_ms = p->elapsed_ms;
    op->correct = m->choice == eq->key;
    if (live_submit(rt, c, m->id, op, now)) { /* not kept: not counted */
        live_core_unanswer(&r->core, p);
        live_error(rt, c, m->id, EXAMD_ENOMEM, NULL);
        return;
    }
    r->pending_answers++; /* the reveal waits for it (live_answered) */
    live_push_progress(rt, r, now);
}

/* Add c to r's projectors (once); false on malloc failure. */
static bool live_watcher_add(struct live_round *r, struct conn *c)
{
    if (c->live_watch == r->id)
        return true; /* watching already: no second entry */
    if (!store_grow((void **)&r->watchers, &r->cap_watchers, r->n_watchers,
                    sizeof *r->watchers))
        return false;
    r->watchers[r->n_watchers++] = runtime_conn_ref(c);
    c->live_watch = r->id;
    return true;
}

static void live_watch(struct runtime *rt, struct conn *c,
                       const struct proto_msg *m)
{
    struct live_round *r = live_round_get(rt, m->round);
    if (!r) {
        live_error(rt, c, m->id, EXAMD_ENOTFOUND, "round");
        return;
    }
    if (strcmp(c->role, "admin") && r->owner_id != c->user_id) {
        live_error(rt, c, m->id, EXAMD_EFORBIDDEN, NULL);
        return;
    }
    if (!live_watcher_add(r, c)) {
        live_error(rt, c, m->id, EXAMD_ENOMEM, NULL);
        return;
    }
    live_send(rt, c, proto_live_welcome(m->id, r, NULL, NULL));
    live_catch_up(rt, r, c, NULL);
}

void live_message(struct runtime *rt, struct conn *c, const struct proto_msg *m)
{
    switch (m->type) {
    case PROTO_LIVE_LOOKUP:
        live_lookup(rt, c, m);
        break;
    case PROTO_LIVE_JOIN:
        live_join(rt, c, m);
        break;
    case PROTO_LIVE_RESUME:
        live_resume(rt, c, m);
        break;
    case PROTO_LIVE_ANSWER:
        live_answer(rt, c, m);
        break;
    case PROTO_LIVE_WATCH:
        live_watch(rt, c, m);
        break;
    }
}

/* ---- finished writes ---- */

struct live_player *live_player_add(struct runtime *rt, struct live_round *r,
                                    const struct live_player *p)
{
    struct live_player *n = live_core_add(&r->core, p);
    if (!n)
        return NULL;
    n->round_id = r->id;
    n->conn = 0;
    if (imap_put(&rt->live->players, n->id, n) ||
        imap_put(&rt->live->tokens, live_token_key(n->token_hash), n))
        return NULL;
    return n;
}

static void live_joined(struct runtime *rt, struct wjob *j, struct conn *c)
{
    struct live_op *op = j->arg;
    struct live_round *r = live_round_get(rt, op->round_id);
    struct live_player *p = r ? live_player_add(rt, r, &op->p) : NULL;
    if (!p) {
        if (c)
            live_error(rt, c, j->id, EXAMD_ENOMEM, NULL);
        return;
    }
    if (c) {
        live_bind(rt, c, p);
        live_send(rt, c, proto_live_welcome(j->id, r, p, op->token));
        live_catch_up(rt, r, c, p);
    }
    live_push_watchers(rt, r, proto_live_lobby(r));
}

/* An answer's write came back (rc: it failed, and is taken back from
 * the counts while its question is open); the reveal that waited for it
 * (the deadline passed, or everyone still in has answered) goes now. */
static void live_answered(struct runtime *rt, struct live_op *op, int rc)
{
    struct live_round *r = live_round_get(rt, op->round_id);
    struct live_player *p = imap_get(&rt->live->players, op->player_id);
    if (!r)
        return;
    if (r->pending_q == op->q && r->pending_answers > 0)
        r->pending_answers--;
    bool open = r->core.state == LIVE_QUESTION && r->core.current == op->q;
    if (rc && open && p)
        live_core_unanswer(&r->core, p);
    if (!open || live_answers_pending(r))
        return;
    if (r->reveal_due || r->core.answered >= live_core_active(&r->core))
        live_reveal_auto(rt, r);
}

void live_done(struct runtime *rt, struct wjob *j)
{
    struct live_op *op = j->arg;
    struct conn *c = runtime_conn_get(rt, j->conn);
    struct live_round *r = live_round_get(rt, op->round_id);
    if (op->kind == LIVE_OP_JOIN && r && r->pending_joins > 0)
        r->pending_joins--; /* the place is taken now, or given back */
    if (j->rc) {
        if (c)
            live_error(rt, c, j->id, EXAMD_EINTERNAL, NULL);
    } else if (op->kind == LIVE_OP_JOIN) {
        live_joined(rt, j, c);
    } else if (op->kind == LIVE_OP_ANSWER && c) {
        char buf[PROTO_ID_MAX + 64];
        int n = proto_live_ack(buf, sizeof buf, j->id, op->q);
        if (n > 0)
            transport_send(rt, c, buf, (size_t)n);
    }
    if (op->kind == LIVE_OP_ANSWER) /* after the ack: then the reveal */
        live_answered(rt, op, j->rc);
}
