/*
 * protocol.h — the wire: JSON frames to plain C structs and back.
 *
 * The only code that knows wire names (docs/protocol.md is the contract).
 * No I/O, no clock; any thread. Decoding validates every field it reads
 * and names the offending one; semantic checks (is this question on the
 * paper?) belong to dispatch, which has the state.
 */
#ifndef EXAMD_PROTOCOL_H
#define EXAMD_PROTOCOL_H

#include "exam.h"
#include "grade.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROTO_ID_STR_MAX 128 /* longest string id, bytes of UTF-8 */
#define PROTO_ID_MAX 280     /* request id as JSON text, with NUL */
#define PROTO_FIELD_MAX 32

enum proto_type {
    PROTO_HELLO,
    PROTO_START,
    PROTO_ANSWER,
    PROTO_SUBMIT,
    PROTO_RESULT,
    PROTO_PREDICT, /* contest rounds: the prediction question */
    /* live rounds in a hall (docs/live-rounds.md) */
    PROTO_LIVE_LOOKUP,
    PROTO_LIVE_JOIN,
    PROTO_LIVE_RESUME,
    PROTO_LIVE_ANSWER,
    PROTO_LIVE_WATCH,
    /* the organiser's live monitor (api_monitor.c) */
    PROTO_MONITOR,
    PROTO_UNMONITOR,
    PROTO_TYPE_COUNT
};

/* A decoded request. Fields beyond type/id are set per type. */
struct proto_msg {
    int type;              /* enum proto_type */
    char id[PROTO_ID_MAX]; /* the request's id as JSON, "null" if
                              it could not be read */
    int64_t exam;          /* start, monitor; hello: 0 or the exam the
                              client opened (counts it as connected) */
    int64_t attempt;       /* answer, submit, result; start: 0, or
                              resume only this attempt */
    int64_t q;             /* answer: question id */
    int64_t seq;           /* answer: client sequence, > 0 */
    uint8_t choice;        /* answer: display-order bitmask */
    int n_choice;          /* answer: number of indexes given */
    bool flag;             /* answer */
    int64_t prediction;    /* predict: >= 0 */
    /* live rounds: live_answer uses q (the question's index, >= 0) and
     * choice; live_watch round */
    int64_t round;
    int64_t unit;   /* live_join, 0 = none */
    char code[8];   /* live_lookup, live_join: 6 digits */
    char name[244]; /* live_join: as sent (live.c cleans it) */
    char token[96]; /* live_resume */
};

/* The fields of a live_* message (protocol_live.c); proto_fields' contract. */
int proto_live_fields(const json_t *o, struct proto_msg *m, char *field,
                      size_t fieldlen);

/* choice (an array of distinct option indexes) into m->choice and
 * m->n_choice; 0 or EXAMD_EBADMSG / EXAMD_EBADOPTION with field set. */
int proto_choice(const json_t *o, struct proto_msg *m, char *field,
                 size_t fieldlen);

/*
 * Decode one frame. Returns 0, or EXAMD_EBADJSON / EXAMD_EBADMSG /
 * EXAMD_EUNKNOWN / EXAMD_EBADSEQ / EXAMD_EBADOPTION with field naming the
 * offending field ("" when none). m->id is filled whenever the id could
 * be read, even on error. Tries proto_answer_decode, then
 * proto_decode_tree.
 */
int proto_decode(const char *buf, size_t len, struct proto_msg *m, char *field,
                 size_t fieldlen);

/* The general decoder: a jansson tree, every message type. Same contract
 * as proto_decode. */
int proto_decode_tree(const char *buf, size_t len, struct proto_msg *m,
                      char *field, size_t fieldlen);

/* proto_answer_decode's "not mine": the frame is not an answer of the
 * fixed shape (or is malformed), so only proto_decode_tree may judge it. */
#define PROTO_UNSURE 1

/*
 * The hot path: an answer of the usual shape, scanned without a tree.
 * Returns what proto_decode_tree returns for the same frame (and fills m
 * and field the same way), or PROTO_UNSURE leaving m and field untouched.
 */
int proto_answer_decode(const char *buf, size_t len, struct proto_msg *m,
                        char *field, size_t fieldlen);

/* Wire name of a type ("answer"). */
const char *proto_type_name(int type);

/* Small replies into buf (size n); return the length, or -1 if n is too
 * small. id is JSON text ("3", "\"a\"", "null"). */
int proto_ack(char *buf, size_t n, const char *id, int64_t attempt,
              int64_t seq);
int proto_error(char *buf, size_t n, const char *id, int err,
                const char *field);
int proto_time(char *buf, size_t n, int64_t attempt, int64_t left_ms);
int proto_taken_over(char *buf, size_t n, int64_t attempt);
/* scores: a trainer re-opened the attempt (a push to the candidate). */
int proto_reopened(char *buf, size_t n, int64_t attempt, int64_t exam,
                   int64_t left_ms);
int proto_predicted(char *buf, size_t n, const char *id, int64_t attempt,
                    int64_t prediction);

/* ---- larger replies, returned as malloc'd NUL-terminated text ---- */

struct proto_user {
    int64_t id;
    const char *username, *name, *role;
};

struct proto_exam_item {
    const struct exam *e;
    int used;        /* attempts used */
    bool open;       /* new attempts may start now */
    bool restricted; /* training-room exam, this connection is outside */
    int64_t running; /* running attempt id, 0 = none */
    int64_t left_ms; /* of the running attempt */
    int64_t last;    /* last submitted attempt id, 0 = none */
    int last_correct, last_total, last_score_centi;
};

char *proto_hello_encode(const char *id, const struct proto_user *u,
                         const struct proto_exam_item *items, int n);

/* The user object alone (HTTP /api/login and /api/session). */
char *proto_user_encode(const struct proto_user *u);

struct proto_paper {
    const char *id;
    int64_t attempt;
    bool resumed;
    const struct exam *e;
    const struct paper_item *p;
    int64_t left_ms;
    int64_t last_seq;
    const uint8_t *choice;  /* bank order per paper item */
    const bool *flag, *has; /* per paper item; has = a row exists */
    bool has_prediction;    /* a round asking the prediction: the latest */
    int64_t prediction;     /* one entered, if any */
};

char *proto_paper_encode(const struct proto_paper *pp);

struct proto_result {
    const char *id; /* NULL for a push */
    int64_t attempt;
    const struct exam *e;
    const struct paper_item *p;
    const char *reason; /* "candidate" | "deadline" */
    int64_t submitted_ms;
    const struct grade *g;
    const uint8_t *choice; /* bank order per paper item */
    bool round_review;     /* a round: review (enum exam_review) replaces
                              the exam's (docs/contests.md) */
    int review;
};

char *proto_result_encode(const struct proto_result *r);

/* ---- the organiser's live monitor ---- */

/* One line of figures: a unit's (unit 0 = no unit), or the totals. */
struct proto_monitor_row {
    int64_t unit;
    int64_t connected, started, submitted, answers_min;
};

struct proto_monitor {
    const char *id; /* NULL for a push */
    int64_t exam, at_ms;
    struct proto_monitor_row total;
    const struct proto_monitor_row *units;
    int n_units;
};

char *proto_monitor_encode(const struct proto_monitor *pm);

#endif
