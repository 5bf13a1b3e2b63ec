/*
 * protocol_live.h — the wire of live rounds: the live_* requests'
 * fields and every live push (docs/live-rounds.md "Protocol"). Like
 * protocol.c, the only code that knows these wire names. No I/O; any
 * thread. Encoders return new NUL-ended text (free), NULL on malloc
 * failure.
 */
#ifndef EXAMD_PROTOCOL_LIVE_H
#define EXAMD_PROTOCOL_LIVE_H

#include "live.h"
#include "store.h"

#include <stddef.h>

/* live_welcome: the reply to live_join / live_resume / live_watch. p is
 * the player (NULL for a projector), token only in a join's reply. */
char *proto_live_welcome(const char *id, const struct live_round *r,
                         const struct live_player *p, const char *token);

/* The units to pick from as JSON text (an array), made once and kept by
 * live.c; NULL on malloc failure. */
char *proto_live_units(const struct store_unit_row *u, int n);

/* live_round: the reply to live_lookup (title, and units: the text of
 * proto_live_units, spliced in as it is). */
char *proto_live_lookup(const char *id, const struct live_round *r,
                        const char *units);

/* live_question: the current question, no key, left_ms to its deadline. */
char *proto_live_question(const struct live_round *r, int64_t left_ms);

/* live_reveal (the current question's key, counts and the board) or,
 * with end, live_end (the final board). order: the players' indexes in
 * leaderboard order (live_core_rank). */
char *proto_live_board(const struct live_round *r, const int *order, bool end);

/* live_you: one player's own standing after a reveal or at the end. */
int proto_live_you(char *buf, size_t n, const struct live_round *r,
                   const struct live_player *p);

/* live_lobby: how many have joined, and the latest names (projector). */
char *proto_live_lobby(const struct live_round *r);

/* live_progress: how many have answered the open question (projectors,
 * at most every LIVE_PROGRESS_MS). */
int proto_live_progress(char *buf, size_t n, const struct live_round *r);

/* live_ack: answer q is stored. */
int proto_live_ack(char *buf, size_t n, const char *id, int q);

/* live_revived / live_taken_over: small pushes. */
int proto_live_revived(char *buf, size_t n, const struct live_round *r);
int proto_live_taken_over(char *buf, size_t n, int64_t round);

#endif
