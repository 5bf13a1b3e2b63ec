/*
 * store_int.h — the store's private parts, shared by store*.c only.
 */
#ifndef EXAMD_STORE_INT_H
#define EXAMD_STORE_INT_H

#include "err.h"
#include "store.h"

#include <sqlite3.h>

enum store_stmt {
    STMT_BEGIN,
    STMT_COMMIT,
    STMT_ROLLBACK,
    STMT_ANSWER_INSERT,
    STMT_ATTEMPT_INSERT,
    STMT_ATTEMPT_CLOSE,
    STMT_USER_BY_NAME,
    STMT_USER_BY_ID,
    STMT_SESSION_USER,
    STMT_ATTEMPT_GET,
    STMT_ANSWERS_OF,
    STMT_ATTEMPT_SUMMARY,
    STORE_STMT_COUNT
};

#define STORE_ATTEMPT_COLS                                                     \
    "a.id, exam_id, user_id, n, seed, started_ms, deadline_ms, state,"         \
    " submitted_ms, reason, correct, total, score_centi,"                      \
    " (SELECT max(seq) FROM answers WHERE attempt_id=a.id),"                   \
    " coalesce(a.reopen_deadline_ms, 0), a.paused_ms"

/* Fill a from the current row of a statement selecting
 * STORE_ATTEMPT_COLS (store_read.c). */
void store_attempt_row(sqlite3_stmt *st, struct store_attempt *a);

/* Call fn for every row of "SELECT STORE_ATTEMPT_COLS FROM attempts a
 * <rest>", ?1 bound to id when rest names it. 0 or EXAMD_EIO. */
int store_attempts_query(struct store *s, const char *rest, int64_t id,
                         void (*fn)(void *arg, const struct store_attempt *a),
                         void *arg);

/* One connection; used by one thread at a time. */
struct store {
    sqlite3 *db;
    sqlite3_stmt *stmt[STORE_STMT_COUNT]; /* prepared lazily */
};

/* The cached statement i, or NULL if it cannot be prepared. */
sqlite3_stmt *store_stmt(struct store *s, enum store_stmt i);

/* Step a statement that returns no rows, then reset it: 0 or EXAMD_EIO. */
int store_step_done(sqlite3_stmt *st);

/* Fill msg with SQLite's error text; returns err. */
int store_fail(struct store *s, int err, char *msg, size_t msglen);

/* SAVEPOINT / RELEASE / ROLLBACK TO the one examd savepoint: 0 or
 * EXAMD_EIO. store_savepoint_undo rolls back to it and releases it. */
int store_savepoint(struct store *s, const char *verb);
void store_savepoint_undo(struct store *s);

/* The search key of a question: its text, options and explanation
 * folded (text_fold); NULL on failure. */
char *store_question_fold(const struct bank_question *q);

/* Insert one question (and its options) into bank_id; family_id 0 starts
 * a new family. *id gets the new row's id. */
int store_question_insert(struct store *s, int64_t bank_id, int64_t family_id,
                          int version, const struct bank_question *q,
                          int64_t now_ms, int64_t *id);

/* Fill the search key of every question that has none (questions from
 * before schema 2), in one transaction. 0 or an error. */
int store_fold_backfill(struct store *s);

/* Insert q's options for question qid. */
int store_options_insert(struct store *s, int64_t qid,
                         const struct bank_question *q);

/* The id of another current question of the bank with exactly this text
 * (not of except's family), or 0. */
int64_t store_question_same_text(struct store *s, int64_t bank_id,
                                 const char *text, int64_t except);

/* strdup of a column, "" for NULL (store_class.c). */
char *store_col_dup(sqlite3_stmt *st, int i);

#endif
