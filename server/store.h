/*
 * store.h — everything examd keeps in SQLite, and nothing else knows SQL.
 *
 * A struct store is one database connection. The service thread owns one
 * (reads: sessions at upgrade, attempt lists, resumes, results); the writer
 * thread owns another (every write on the answer path, group-committed);
 * the CLI opens its own. WAL mode lets the readers run beside the writer.
 * Schema changes are numbered migrations applied at open (PRAGMA
 * user_version). A second backend would implement this same header.
 *
 * Functions return 0 or a negative enum examd_err; SQLite's own text never
 * leaves this module except in the operator's msg buffer.
 */
#ifndef EXAMD_STORE_H
#define EXAMD_STORE_H

#include "bank.h"
#include "exam.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

#define STORE_SCHEMA_VERSION 1
#define STORE_TOKEN_HASH_BYTES 32

/*
 * Open (creating the file and its directory if missing) and migrate.
 * sync_full selects PRAGMA synchronous=FULL, else NORMAL. Returns 0 and
 * *out, or an error with the reason in msg.
 */
int store_open(const char *path, bool sync_full, struct store **out, char *msg,
               size_t msglen);

/* Close; accepts NULL. */
void store_close(struct store *s);

/* PRAGMA user_version of the open database. */
int store_schema_version(struct store *s);

/* Transactions for batches (the writer, imports). */
int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);

/* ---- banks and exams (CLI, demo setup) ---- */

/* Import a validated bank in one transaction; EXAMD_EINVAL if a bank of
 * that name exists. *bank_id set on success. */
int store_bank_import(struct store *s, const struct bank *b, int64_t now_ms,
                      int64_t *bank_id, char *msg, size_t msglen);

/* Does a bank with this name exist? */
bool store_bank_exists(struct store *s, const char *name);

struct store_exam_spec {
    const char *title;
    const char *description;
    const char *bank; /* bank name; NULL = every bank */
    int n_paper;      /* questions per paper */
    int duration_s;
    int attempts;
    int review; /* enum exam_review */
    bool shuffle_questions;
    bool shuffle_options;
    int64_t opens_ms, closes_ms; /* 0 = none */
};

/* Freeze the current questions of the bank into a new exam. */
int store_exam_create(struct store *s, const struct store_exam_spec *spec,
                      int64_t now_ms, int64_t *exam_id, char *msg,
                      size_t msglen);

/* Load every exam. *out is a new array of n owned exams (free each with
 * exam_free, then the array with free). */
int store_exams_load(struct store *s, struct exam ***out, int *n, char *msg,
                     size_t msglen);

/* ---- users and sessions ---- */

struct store_user {
    int64_t id;
    char username[64];
    char name[128];
    char role[16];
    char pw_hash[128]; /* crypto_pwhash_str output */
    bool disabled;
};

int store_user_add(struct store *s, const char *username, const char *name,
                   const char *role, const char *pw_hash, int64_t now_ms,
                   int64_t *id);
/* EXAMD_ENOTFOUND when no such user. */
int store_user_by_name(struct store *s, const char *username,
                       struct store_user *out);
int store_user_by_id(struct store *s, int64_t id, struct store_user *out);
int store_user_count(struct store *s, int64_t *n);

int store_session_add(struct store *s, const uint8_t *hash, int64_t user_id,
                      int64_t now_ms, int64_t expires_ms);
/* The live session's user and role (role may be NULL), EXAMD_ENOAUTH when
 * absent, expired or the account is disabled. */
int store_session_user(struct store *s, const uint8_t *hash, int64_t now_ms,
                       int64_t *user_id, char *role, size_t rolelen);
int store_session_delete(struct store *s, const uint8_t *hash);

/* ---- attempts and answers ---- */

struct store_attempt {
    int64_t id, exam_id, user_id;
    int n; /* 1-based attempt number for this user+exam */
    uint64_t seed;
    int64_t started_ms, deadline_ms;
    bool running;
    int64_t submitted_ms;
    char reason[16]; /* "candidate" | "deadline" */
    int correct, total, score_centi;
    int64_t last_seq; /* highest committed client seq */
};

/* The highest attempt id in use (ids are handed out by the service
 * thread and inserted by the writer). */
int store_attempt_max_id(struct store *s, int64_t *id);

/* Call fn for every running attempt (at start-up). */
int store_attempts_running(struct store *s,
                           void (*fn)(void *arg, const struct store_attempt *a),
                           void *arg);

int store_attempt_get(struct store *s, int64_t id, struct store_attempt *a);

/* Attempts used by user on exam and the latest submitted one (*last
 * .id = 0 when none). */
int store_attempt_summary(struct store *s, int64_t user_id, int64_t exam_id,
                          int *used, struct store_attempt *last);

/*
 * Latest answer per question of an attempt: for each paper item i,
 * choice[i] (bank order) and flag[i]; has[i] true when a row exists.
 */
int store_answers_latest(struct store *s, int64_t attempt_id,
                         const struct exam *e, const struct paper_item *p,
                         uint8_t *choice, bool *flag, bool *has);

/* Writer-side statements (see writer.c). */
int store_attempt_insert(struct store *s, const struct store_attempt *a);
int store_answer_insert(struct store *s, int64_t attempt_id, int64_t seq,
                        int64_t question_id, uint8_t choice, bool flag,
                        int64_t server_ms);
int store_attempt_close(struct store *s, int64_t attempt_id,
                        int64_t submitted_ms, const char *reason, int correct,
                        int total, int score_centi);

#endif
