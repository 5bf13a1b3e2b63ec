/*
 * live_core.h — the rules of a live round in a hall, as pure data: who
 * may answer, what an answer scores, who is eliminated, the leaderboard.
 *
 * A live round is one frozen list of questions that every player answers
 * at the same moment, each with its own time limit. A player's score is
 * the number of correct answers; ties are broken by the total time of
 * those correct answers (server milliseconds from the question's push),
 * then by join order. In elimination mode ("Rung chuông vàng") a wrong or
 * missing answer at a reveal eliminates the player, who keeps watching;
 * the organiser may revive every eliminated player once per round.
 *
 * No I/O, no clock (times are passed in), no sockets: live.c drives it
 * on the service thread and tests/unit/test_live.c checks it.
 */
#ifndef EXAMD_LIVE_CORE_H
#define EXAMD_LIVE_CORE_H

#include <stdbool.h>
#include <stdint.h>

#define LIVE_BOARD_TOP 10  /* leaderboard rows pushed to everyone */
#define LIVE_MAX_OPTIONS 6 /* = EXAM_MAX_OPTIONS */
#define LIVE_NAME_MAX 60   /* display name, bytes of UTF-8 */

enum live_state { LIVE_LOBBY, LIVE_QUESTION, LIVE_REVEAL, LIVE_ENDED };

/* One player. Lifetime: the round's. */
struct live_player {
    int64_t id;               /* live_players.id */
    int join_no;              /* 0-based join order */
    int64_t unit_id, user_id; /* 0 = none */
    char name[LIVE_NAME_MAX + 1];
    uint8_t token_hash[32];
    int eliminated_at; /* question index, -1 = still in */
    int correct;       /* correct answers so far (revealed questions) */
    int64_t time_ms;   /* total time of those correct answers */
    int rank;          /* 1-based, set by live_core_rank */
    /* the current question */
    bool answered;
    uint8_t choice;     /* bitmask, option order as pushed */
    int64_t elapsed_ms; /* server ms from the push to the answer */
    uint64_t conn;      /* service thread: connection ref, 0 = none */
    int64_t round_id;   /* service thread: the round it plays */
    char unit_name[96]; /* for the leaderboard, "" = none */
};

/* The rules' state of one round. */
struct live_core {
    int state;   /* enum live_state */
    int current; /* question index, -1 before the first */
    int n_q;     /* questions in the round */
    bool elimination, revived;
    struct live_player **players; /* owned array, each owned; join order */
    int n_players, cap_players;
    int active; /* players still in (kept, not counted per answer) */
    int counts[LIVE_MAX_OPTIONS]; /* current question: choices per option */
    int answered;                 /* current question: answers */
};

/* Errors of an answer (live_core_may_answer). */
enum live_refusal {
    LIVE_OK = 0,
    LIVE_NOT_OPEN,   /* no question is open (lobby, reveal, ended) */
    LIVE_WRONG_Q,    /* not the current question */
    LIVE_TOO_LATE,   /* after the question's deadline */
    LIVE_ELIMINATED, /* the player is out */
    LIVE_ANSWERED    /* one answer per question: the first counts */
};

void live_core_init(struct live_core *r, int n_q, bool elimination);
void live_core_fini(struct live_core *r);

/* Add a player (copied; name cut to LIVE_NAME_MAX); the new entry or
 * NULL on malloc failure. In elimination mode a player who joins after
 * the first question was pushed starts eliminated (at the current one):
 * they did not survive the questions before. */
struct live_player *live_core_add(struct live_core *r,
                                  const struct live_player *p);

/* Players still in (all of them without elimination). O(1). */
int live_core_active(const struct live_core *r);

/* Open question q: clears every player's current answer and the counts. */
void live_core_question(struct live_core *r, int q);

/* May p answer question q at now, with deadline_ms? enum live_refusal. */
int live_core_may_answer(const struct live_core *r, const struct live_player *p,
                         int q, int64_t now_ms, int64_t deadline_ms);

/* Record p's answer (after live_core_may_answer said LIVE_OK). */
void live_core_answer(struct live_core *r, struct live_player *p,
                      uint8_t choice, int64_t elapsed_ms);

/* Take back p's answer to the open question (its write failed): p may
 * answer again and the counts drop. No-op if p has not answered. */
void live_core_unanswer(struct live_core *r, struct live_player *p);

/* Close the current question with its key (bitmask): scores the answers,
 * eliminates (in elimination mode) who answered wrong or not at all, sets
 * state LIVE_REVEAL and the ranks. Returns how many were eliminated. */
int live_core_reveal(struct live_core *r, uint8_t key);

/* Revive every eliminated player; false (nothing changed) when the round
 * was revived before or has no elimination. */
bool live_core_revive(struct live_core *r);

/* Set every player's rank from the leaderboard order: correct desc, time
 * asc, join order asc. order (may be NULL) gets the players' indexes in
 * that order (room for n_players). 0 or EXAMD_ENOMEM. */
int live_core_rank(struct live_core *r, int *order);

/* Is the leaderboard order a before b? */
bool live_core_before(const struct live_player *a, const struct live_player *b);

#endif
