/*
 * live.h — live rounds in a hall on the running server: the rounds in
 * memory, their players' and projectors' connections, the question
 * pushes, the deadlines, and the writer jobs that make each step durable
 * (docs/live-rounds.md).
 *
 * The rules themselves are live_core.c's (pure). Here: the service
 * thread's side. A question is pushed to every player at once as one
 * shared frame (transport_send_all); its deadline sits in the runtime's
 * deadline heap (as -round id) so the reveal fires to the millisecond;
 * answers are written by the writer and acknowledged after the commit;
 * state changes are written in order behind them, so a restarted server
 * rebuilds every round (state, current question, scores from the stored
 * answers). Service thread only.
 */
#ifndef EXAMD_LIVE_H
#define EXAMD_LIVE_H

#include "live_core.h"
#include "runtime.h"
#include "store_live.h"

#define LIVE_SECONDS_MIN 5
#define LIVE_SECONDS_MAX 600
#define LIVE_SECONDS_DEFAULT 20
#define LIVE_PLAYERS_MAX 20000
/* Ended rounds are loaded at start for this long after their creation. */
#define LIVE_KEEP_MS (30LL * 24 * 3600 * 1000)
#define LIVE_TOKEN_LEN 64 /* "<round id>-<32 hex>" fits */
#define LIVE_PROGRESS_MS                                                       \
    250 /* projectors' answer count, at most this often                        \
         */

/* One live round. Lifetime: from creation (or start-up) to shutdown. */
struct live_round {
    int64_t id, owner_id;
    char *title; /* owned */
    char code[STORE_LIVE_CODE_LEN + 1];
    int seconds;    /* default per-question limit */
    struct exam *e; /* owned: the questions, pool order = asking order */
    int *q_seconds; /* owned: per question */
    struct live_core core;
    int64_t created_ms, q_started_ms, q_deadline_ms; /* epoch ms */
    char *board;         /* owned: the last live_reveal / live_end frame,
                            for those who arrive after it; NULL = none */
    int64_t progress_ms; /* the last live_progress push, epoch ms */
    bool progress_due;   /* a held-back count waits in the deadline heap */
    uint64_t *watchers;  /* owned: projector connection refs */
    int n_watchers, cap_watchers;
    int pending_joins; /* joins queued for the writer: they hold a place
                          under LIVE_PLAYERS_MAX until they come back */
    int pending_q, pending_answers; /* answers to question pending_q
                                       queued for the writer */
    bool reveal_due; /* the deadline passed with answers still queued:
                        the last one back reveals */
};

/* Every round, by id. Lifetime: the runtime's. */
struct live_rooms {
    struct imap rounds;  /* id -> struct live_round */
    struct imap players; /* player id -> struct live_player (owner: its
                            round's core); player->round_id finds it */
    struct imap tokens;  /* first 8 bytes of a token's hash -> player */
    int64_t *ids;        /* round ids in creation order */
    int n_ids, cap_ids;
    char *units; /* owned: the unit list as JSON text for live_round
                    replies, NULL = read again (live_units_forget) */
};

/* The units changed (a staff change committed): read them again at the
 * next lookup. */
void live_units_forget(struct runtime *rt);

/* Load every round (runtime_init). 0 or an error with msg. */
int live_init(struct runtime *rt, char *msg, size_t msglen);
void live_fini(struct runtime *rt);

/* A live_* message from c (route.c has let it through). */
void live_message(struct runtime *rt, struct conn *c,
                  const struct proto_msg *m);

/* A writer job of this module is done (REPLY_LIVE). */
void live_done(struct runtime *rt, struct wjob *j);

/* The deadline heap fired for round id (dispatch_tick): the question's
 * deadline (reveal) or a held-back answer count for the projectors. */
void live_deadline(struct runtime *rt, int64_t round_id, int64_t now_ms);

/* Register a player in r (joined now, or loaded at start): a copy in
 * r's core, found by id and by token. NULL on malloc failure. */
struct live_player *live_player_add(struct runtime *rt, struct live_round *r,
                                    const struct live_player *p);

/* ---- for the staff API (api_live.c) ---- */

struct live_round *live_round_get(struct runtime *rt, int64_t id);

/* Make a round created by store_live_create live; takes nothing (copies
 * the row). NULL on failure (the round then loads at the next start). */
struct live_round *live_round_add(struct runtime *rt,
                                  const struct store_live_row *row);

/* Is an open (not ended) round using code? */
bool live_code_taken(struct runtime *rt, const char *code);

/*
 * The organiser's steps. Each changes the round in memory, pushes to
 * players and projectors at once, and fills *row with what to store
 * (store_live_state_set; *eliminate for a reveal of an elimination
 * round). 0, or EXAMD_ECLOSED when the step does not fit the state
 * (start outside the lobby, next outside a reveal, ...).
 */
int live_start(struct runtime *rt, struct live_round *r,
               struct store_live_row *row);
int live_next(struct runtime *rt, struct live_round *r,
              struct store_live_row *row);
int live_reveal(struct runtime *rt, struct live_round *r,
                struct store_live_row *row, bool *eliminate);
int live_end(struct runtime *rt, struct live_round *r,
             struct store_live_row *row);
/* EXAMD_ECLOSED when revived before or not an elimination round. */
int live_revive(struct runtime *rt, struct live_round *r);

/* The round as the console reads it (new object): with detail, the
 * current question with its key and counts, and every player by rank. */
json_t *live_round_json(struct runtime *rt, struct live_round *r, bool detail);

#endif
