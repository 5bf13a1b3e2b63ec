/*
 * store_live.h — live rounds in SQLite: the round row with its frozen
 * questions, players (token hashes only), answers, and the state changes
 * that let a restarted server carry on (docs/live-rounds.md).
 *
 * Writes run on the writer thread inside a staff savepoint (live.c's
 * jobs); store_live_load runs at start on the service thread.
 */
#ifndef EXAMD_STORE_LIVE_H
#define EXAMD_STORE_LIVE_H

#include "live_core.h"
#include "store.h"

#define STORE_LIVE_CODE_LEN 6 /* digits of a join code */

struct store_live_row {
    int64_t id, owner_id;
    const char *title;    /* borrowed */
    const char *snapshot; /* borrowed: JSON, see store_live_snapshot */
    char code[STORE_LIVE_CODE_LEN + 1];
    int seconds; /* default per-question limit */
    bool elimination, revived;
    int state, current; /* enum live_state, question index */
    int64_t created_ms, q_started_ms, q_deadline_ms; /* epoch ms */
};

/*
 * Freeze the questions spec names into a live round's snapshot: an exam
 * snapshot (store_exam_snapshot) whose pool is exactly the round's
 * questions in the order they will be asked (a blueprint's draw shuffled
 * with seed), with "live_seconds": each question's limit, the i-th asked
 * getting each[i] (n_each of them; 0 = none) or else `seconds`. *text is
 * new JSON text (free), *n_q its questions. Errors as store_exam_create
 * (EXAMD_EINVAL with msg for a short cell).
 */
int store_live_snapshot(struct store *s, const struct store_exam_spec *spec,
                        int seconds, const int *each, int n_each, uint64_t seed,
                        char **text, int *n_q, char *msg, size_t msglen);

/* Insert the round (r->id is set); EXAMD_EEXIST when an open round
 * already has r->code. */
int store_live_create(struct store *s, struct store_live_row *r);

/* Insert a player of round_id (p->id is set). */
int store_live_player_add(struct store *s, int64_t round_id,
                          struct live_player *p, int64_t joined_ms);

/* Insert one answer; an existing (round, q, player) is kept (first
 * counts). */
int store_live_answer_add(struct store *s, int64_t round_id, int q,
                          int64_t player_id, uint8_t choice, int64_t server_ms,
                          int64_t elapsed_ms, bool correct);

/* Save the round's state, current question and its times. With
 * eliminate, players still in without a correct answer to `current` are
 * marked eliminated at it (the reveal of an elimination round). */
int store_live_state_set(struct store *s, const struct store_live_row *r,
                         bool eliminate);

/* The name of unit id into out (n bytes): 0, EXAMD_ENOTFOUND or
 * EXAMD_EIO. */
int store_live_unit_name(struct store *s, int64_t id, char *out, size_t n);

/* Revive every player of the round and mark it revived. */
int store_live_revive(struct store *s, int64_t round_id);

/* Everything to rebuild the rounds at start: each round not ended or
 * created since since_ms (epoch ms), then its players in join order, then
 * its answers. A callback's nonzero return stops the load and is
 * returned. */
struct store_live_loader {
    void *arg;
    int (*round)(void *arg, const struct store_live_row *r);
    int (*player)(void *arg, int64_t round_id, const struct live_player *p);
    int (*answer)(void *arg, int64_t round_id, int q, int64_t player_id,
                  uint8_t choice, int64_t elapsed_ms, bool correct);
};
int store_live_load(struct store *s, int64_t since_ms,
                    const struct store_live_loader *l);
/* The same for round round_id alone (the results export, on a worker). */
int store_live_load_one(struct store *s, int64_t round_id,
                        const struct store_live_loader *l);

/* Wire names of enum live_state ("lobby"...), and back (-1 unknown). */
const char *store_live_state_name(int state);
int store_live_state_parse(const char *name);

#endif
