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

#define STORE_SCHEMA_VERSION 4
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

/* Run one SQL statement with no rows (SAVEPOINT, RELEASE ...): 0 or
 * EXAMD_EIO. */
int store_exec_sql(struct store *s, const char *sql);
int store_commit(struct store *s);
void store_rollback(struct store *s);

/* ---- banks and exams (CLI, demo setup) ---- */

/* Import a validated bank in one transaction; EXAMD_EINVAL if a bank of
 * that name exists. *bank_id set on success. */
int store_bank_import(struct store *s, const struct bank *b, int64_t now_ms,
                      int64_t *bank_id, char *msg, size_t msglen);

/* Does a bank with this name exist? */
bool store_bank_exists(struct store *s, const char *name);

/* One blueprint cell: count questions of topic (NULL = any) and
 * difficulty (-1 = any) from the exam's bank. */
struct store_cell {
    const char *topic;
    int difficulty;
    int count;
};

struct store_exam_spec {
    const char *title;
    const char *description;
    const char *bank; /* bank name; NULL = every bank (CLI, demo) */
    int64_t bank_id;  /* or the bank's id when bank is NULL; 0 = every */
    int n_paper;      /* questions per paper (when no cells and no list) */
    int n_cells;      /* blueprint cells, 0 = one cell: the whole bank */
    const struct store_cell *cells;
    int n_fixed; /* a fixed list of question ids instead, 0 = none */
    const int64_t *fixed;
    bool random_selection; /* each paper draws anew (else one draw, now) */
    int duration_s;
    int attempts;
    int review; /* enum exam_review */
    bool shuffle_questions;
    bool shuffle_options;
    int multi_scoring;           /* enum exam_multi */
    int32_t wrong_penalty;       /* units 1e-7 */
    int64_t opens_ms, closes_ms; /* 0 = none */
    int n_ip_ranges; /* a training-room exam's CIDRs (canonical), 0 = none */
    const char *const *ip_ranges;
};

/*
 * Freeze the current questions the spec names into a new exam and record
 * which question versions it uses. A blueprint cell with too few questions
 * is EXAMD_EINVAL with msg naming the cell (1-based), in Vietnamese and
 * English. *snapshot_out (if not NULL) gets the snapshot JSON text (free).
 * Runs inside the caller's transaction when there is one.
 */
int store_exam_create(struct store *s, const struct store_exam_spec *spec,
                      int64_t now_ms, int64_t *exam_id, char **snapshot_out,
                      char *msg, size_t msglen);

/* The snapshot of the exam spec names (the pool frozen now, the rules,
 * the cells) as a new JSON object in *snap_out, written nowhere; errors
 * as store_exam_create. Live rounds freeze their questions with it. */
int store_exam_snapshot(struct store *s, const struct store_exam_spec *spec,
                        json_t **snap_out, char *msg, size_t msglen);

/* Load every exam. *out is a new array of n owned exams (free each with
 * exam_free, then the array with free). */
int store_exams_load(struct store *s, struct exam ***out, int *n, char *msg,
                     size_t msglen);

/* ---- banks and questions for staff (store_staff.c) ---- */

struct store_bank_row {
    int64_t id;
    char name[72];
    char *title;   /* owned */
    int questions; /* current ones */
    bool retired;
};

/* Banks (retired too when all), by name. *out: new array (free with
 * store_bank_rows_free). Service thread. */
int store_banks_list(struct store *s, bool all, struct store_bank_row **out,
                     int *n);
void store_bank_rows_free(struct store_bank_row *rows, int n);

/* A bank by id (0 rows: EXAMD_ENOTFOUND); fills out (title owned). */
int store_bank_get(struct store *s, int64_t id, struct store_bank_row *out);

struct store_topic_row {
    char *topic;  /* owned */
    int count[3]; /* per enum exam_difficulty, current questions */
};

int store_bank_topics(struct store *s, int64_t bank_id,
                      struct store_topic_row **out, int *n);
void store_topic_rows_free(struct store_topic_row *rows, int n);

/* A question as staff see it: the bank question and its bookkeeping. */
struct store_qrow {
    int64_t id, family_id, bank_id;
    int version;
    int retired; /* 0 current, 1 retired, 2 replaced by a newer version */
    bool used;   /* frozen into a published exam */
    struct bank_question q; /* strings owned */
};

struct store_qfilter {
    int64_t bank_id;   /* 0 = every bank */
    const char *fold;  /* search key (text_fold), NULL/"" = all */
    const char *topic; /* NULL = all */
    int difficulty;    /* -1 = all */
    bool retired;      /* the retired and replaced ones instead */
    int offset, limit;
};

/* Questions matching f, by id; *total counts all matches. */
int store_questions_find(struct store *s, const struct store_qfilter *f,
                         struct store_qrow **out, int *n, int64_t *total);
int store_question_get(struct store *s, int64_t id, struct store_qrow *out);
void store_qrows_free(struct store_qrow *rows, int n);
/* Free what one row owns (not the row). */
void store_qrow_fini(struct store_qrow *r);

/* Every current question of a bank, as a bank (for export). */
int store_bank_read(struct store *s, int64_t bank_id, struct bank **out);

/* Writer thread (inside its transaction): */
int store_bank_create(struct store *s, const char *name, const char *title,
                      int64_t now_ms, int64_t *id);
int store_bank_retire(struct store *s, int64_t id);

/*
 * Add b's questions to the bank named b->name, creating it (with
 * b->title) when missing. Questions whose NFC text equals a current one
 * of the bank are not added: their indexes into b->q go to dup[] (room
 * for b->n) with the clashing question's id in dup_id[], *n_dup counts
 * them, and the call returns EXAMD_EEXISTS having written nothing the
 * caller should keep (roll back). *created tells whether the bank is new.
 */
int store_bank_add(struct store *s, const struct bank *b, int64_t now_ms,
                   int64_t *bank_id, bool *created, int *dup, int64_t *dup_id,
                   int *n_dup);

/*
 * Save a question: id 0 adds one to bank_id. Editing a question that a
 * published exam uses adds a new version (same family, version + 1) and
 * marks the old one replaced; otherwise it is changed in place. *out_id,
 * *version, *versioned tell what happened. A text equal to another current
 * question of the bank is EXAMD_EEXISTS.
 */
int store_question_save(struct store *s, int64_t id, int64_t bank_id,
                        const struct bank_question *q, int64_t now_ms,
                        int64_t *out_id, int *version, bool *versioned);
int store_question_retire(struct store *s, int64_t id);

struct store_exam_row {
    int64_t id;
    char *snapshot; /* owned: the frozen exam (JSON) */
    int started, submitted;
    /* who may see it (api_exam_may): the publisher (0 = none); a round's
     * contest and the contest's owner (0 = not a round) */
    int64_t owner_id, contest_id, contest_owner_id;
};

int store_exams_list(struct store *s, struct store_exam_row **out, int *n);
void store_exam_rows_free(struct store_exam_row *rows, int n);

/* Grow *v (of *cap elements of size sz, new ones zeroed) to hold n + 1;
 * false on failure (store_class.c). Plain memory: any module may use it. */
bool store_grow(void **v, int *cap, int n, size_t sz);

/* ---- units, classes and members (store_class.c) ---- */

struct store_unit_row {
    int64_t id, parent_id; /* parent 0 = a root */
    char *name;            /* owned */
    int target;            /* headcount the unit should reach */
    int members;           /* people whose unit it is */
};

/* Every unit, by id (parents before children when added in order). */
int store_units_list(struct store *s, struct store_unit_row **out, int *n);
void store_unit_rows_free(struct store_unit_row *rows, int n);

/* Add a unit under parent_id (0 = a root): EXAMD_ENOTFOUND when the
 * parent does not exist, EXAMD_EEXISTS when the parent already has a unit
 * of that name. Writer thread or CLI. */
int store_unit_add(struct store *s, const char *name, int64_t parent_id,
                   int target, int64_t now_ms, int64_t *id);

struct store_class_row {
    int64_t id, trainer_id, unit_id; /* unit 0 = none */
    char *name;                      /* owned */
    char *trainer_name;              /* owned */
    char *unit_name;                 /* owned, "" when none */
    int members;
    bool archived;
    int64_t created_ms;
};

/* Classes of trainer_id (0 = every class), newest first. */
int store_classes_list(struct store *s, int64_t trainer_id,
                       struct store_class_row **out, int *n);
void store_class_rows_free(struct store_class_row *rows, int n);

/* One class into out (EXAMD_ENOTFOUND when none); release out's strings
 * with store_class_row_fini (accepts a zeroed row). */
int store_class_get(struct store *s, int64_t id, struct store_class_row *out);
void store_class_row_fini(struct store_class_row *r);

/* A new class; EXAMD_ENOTFOUND when unit_id (non-zero) does not exist.
 * Writer thread. */
int store_class_create(struct store *s, const char *name, int64_t trainer_id,
                       int64_t unit_id, int64_t now_ms, int64_t *id);

struct store_member_row {
    int64_t id;
    char username[64];
    char *name;     /* owned */
    char birth[11]; /* yyyy-mm-dd or "" */
    char phone[24];
    int64_t unit_id; /* 0 = none */
    char *unit_name; /* owned, "" when none */
};

/* The members of a class by name; only user_id when user_id != 0. */
int store_class_members(struct store *s, int64_t class_id, int64_t user_id,
                        struct store_member_row **out, int *n);
void store_member_rows_free(struct store_member_row *rows, int n);

/* Is user_id a member of class_id? */
bool store_class_has_member(struct store *s, int64_t class_id, int64_t user_id);

/* Is this login taken? (EXAMD_EIO reads as taken.) */
bool store_username_taken(struct store *s, const char *username);

/* A new candidate account (pw_hash may be "" inside a transaction that
 * will be rolled back) made a member of class_id. Writer thread. */
struct store_new_member {
    const char *username, *name, *birth, *phone, *pw_hash;
    int64_t unit_id; /* 0 = none */
};
int store_member_add(struct store *s, int64_t class_id,
                     const struct store_new_member *m, int64_t now_ms,
                     int64_t *user_id);

/* Set a candidate's password hash, clear its lock-out and end its
 * sessions; EXAMD_ENOTFOUND when user_id is not a candidate. Writer. */
int store_password_reset(struct store *s, int64_t user_id, const char *pw_hash,
                         int64_t now_ms);

/* Record who published an exam and the class it is for (0 = none).
 * Writer thread, in the publishing transaction. */
int store_exam_owner_set(struct store *s, int64_t exam_id, int64_t owner_id,
                         int64_t class_id);

/* Call fn(arg, a, b) for every (class id, user id) membership, or for
 * every (exam id, class id) of an exam with a class. At start-up. */
int store_memberships_each(struct store *s,
                           void (*fn)(void *arg, int64_t a, int64_t b),
                           void *arg);
int store_exam_classes_each(struct store *s,
                            void (*fn)(void *arg, int64_t a, int64_t b),
                            void *arg);

/* ---- join codes and joined accounts (store_join.c, join.h) ---- */

/* The exam and unit (0 = none) of a live code: one not revoked and not
 * expired at now_ms; EXAMD_ENOTFOUND otherwise. Service thread. */
int store_join_code_find(struct store *s, const uint8_t hash[32],
                         int64_t now_ms, int64_t *exam_id, int64_t *unit_id);

struct store_join_codes {
    int64_t exam_id, unit_id, created_by; /* unit 0 = none */
    int64_t expires_ms;                   /* epoch ms, 0 = never */
    int n;
    const uint8_t (*hashes)[32]; /* n keyed hashes (join_code_hash) */
};

/* Store n codes' hashes. Writer thread. */
int store_join_codes_add(struct store *s, const struct store_join_codes *c,
                         int64_t now_ms);

/* Revoke every live code of exam_id; *n gets how many. Writer thread. */
int store_join_codes_revoke(struct store *s, int64_t exam_id, int *n);

struct store_join_stats {
    int64_t created, active, expired, revoked; /* codes */
    int64_t used;   /* codes that brought at least one person in */
    int64_t joined; /* people who joined the exam with a code */
};

/* The counts of exam_id's codes at now_ms. Service thread. */
int store_join_codes_stats(struct store *s, int64_t exam_id, int64_t now_ms,
                           struct store_join_stats *out);

/* Is unit_id root_id or under it (any existing unit when root_id is 0)? */
bool store_join_unit_within(struct store *s, int64_t unit_id, int64_t root_id);

/* The units under root_id, itself included (every unit when 0), by id;
 * only id, parent_id and name are filled. Free with
 * store_unit_rows_free. */
int store_join_units(struct store *s, int64_t root_id,
                     struct store_unit_row **out, int *n);

/* A participant joining with a code. */
struct store_join_user {
    const char *username;             /* join_username */
    const char *name, *birth, *phone; /* phone "" = none */
    int64_t exam_id, unit_id;         /* unit 0 = none */
    const char *tag;                  /* the code's tag (join_code_tag) */
};

/*
 * Create the participant's candidate account, or find it when the same
 * person (same login) joined this exam before: *user_id, and *created
 * tells which. EXAMD_EEXISTS when the login belongs to another kind of
 * account. Writer thread.
 */
int store_join_user_add(struct store *s, const struct store_join_user *u,
                        int64_t now_ms, int64_t *user_id, bool *created);

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

/* ---- accounts, login throttling, the audit log (store_user.c) ---- */

struct store_user_row {
    int64_t id;
    char username[64];
    char name[128];
    char role[16];
    char unit[128]; /* the unit's name, "" = none */
    int64_t unit_id;
    bool disabled;
    bool locked; /* locked_until_ms is in the future */
};

/* Every account by id. *out: new array (free). Any thread's store. */
int store_users_list(struct store *s, int64_t now_ms,
                     struct store_user_row **out, int *n);

/* Which accounts store_users_find returns. */
struct store_ufilter {
    const char *role; /* a role, "staff" (all but candidates), NULL = all */
    const char *fold; /* text_fold of a search in username and name, or
                         NULL */
    int64_t offset;   /* matches skipped */
    int limit;        /* at most this many rows, 0 = all */
};

/* One page of the accounts matching f (NULL = all), by id; *total counts
 * every match. *out: new array (free), NULL when *n is 0. */
int store_users_find(struct store *s, const struct store_ufilter *f,
                     int64_t now_ms, struct store_user_row **out, int *n,
                     int64_t *total);
bool store_unit_exists(struct store *s, int64_t unit_id);

/* The throttle state at a login: when the account (0 = none) and the
 * client address are locked until (epoch ms, 0 = not locked). */
int store_login_state(struct store *s, int64_t user_id, const char *ip,
                      int64_t now_ms, int64_t *user_until, int64_t *ip_until);

/* Writer thread or CLI, inside a transaction: */
int store_user_unit_set(struct store *s, int64_t user_id, int64_t unit_id);
/* Disable, or enable (which also clears the failures and the lock). */
int store_user_disabled_set(struct store *s, int64_t user_id, bool disabled);
/* A new password hash; clears the failures and the lock. */
int store_user_password_set(struct store *s, int64_t user_id,
                            const char *pw_hash, int64_t now_ms);
/* Delete every session of the user. */
int store_user_sessions_end(struct store *s, int64_t user_id);
/* A successful login: clear the failures; store new_hash if not NULL. */
int store_user_login_ok(struct store *s, int64_t user_id, const char *new_hash);
/* One more failure of the account; *failures gets the new count. */
int store_user_failure_add(struct store *s, int64_t user_id, int *failures);
int store_user_lock_set(struct store *s, int64_t user_id, int64_t until_ms);
/* One more failure from ip; failures older than window_ms before now
 * are forgotten first. *failures gets the new count. */
int store_ip_failure_add(struct store *s, const char *ip, int64_t now_ms,
                         int64_t window_ms, int *failures);
int store_ip_lock_set(struct store *s, const char *ip, int64_t until_ms);

/*
 * Append an entry to the audit log, chained to the last one (audit.h).
 * Call inside the transaction of the change it records. actor_id 0 = none.
 */
int store_audit_append(struct store *s, int64_t at_ms, int64_t actor_id,
                       const char *ip, const char *action, const char *detail);

struct store_audit_row {
    int64_t id, at_ms, actor_id;
    const char *ip, *action, *detail; /* valid during the callback */
    char actor[64];                   /* the actor's username, "" = none */
};

/* Call fn for the last limit entries (0 = all), oldest first. */
int store_audit_list(struct store *s, int limit,
                     void (*fn)(void *arg, const struct store_audit_row *r),
                     void *arg);

/* Call fn for one page of entries newest first: limit (0 = all) after
 * skipping offset, of those whose action is action or under it ("user"
 * takes "user.add"; NULL or "" = every entry). *total counts them all. */
int store_audit_page(struct store *s, const char *action, int64_t offset,
                     int limit,
                     void (*fn)(void *arg, const struct store_audit_row *r),
                     void *arg, int64_t *total);

/* Call fn with every distinct action in the log, sorted. */
int store_audit_actions(struct store *s,
                        void (*fn)(void *arg, const char *action), void *arg);

/*
 * Walk the chain. 0 when intact (*n entries, head = the last hash, zeros
 * when empty); EXAMD_EINVAL with *bad_id and msg naming the first entry
 * that was edited, deleted (a gap) or inserted; EXAMD_EIO.
 */
int store_audit_verify(struct store *s, int64_t *n, uint8_t head[32],
                       int64_t *bad_id, char *msg, size_t msglen);

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
    /* re-opened (docs/scores.md): the deadline the last re-opening granted
     * (0 = never re-opened) and the time spent submitted before it */
    int64_t reopen_deadline_ms, paused_ms;
};

/* The highest attempt id in use (ids are handed out by the service
 * thread and inserted by the writer). */
int store_attempt_max_id(struct store *s, int64_t *id);

/* exports: an attempt with its candidate's username, full name and unit
 * name ("" = none), borrowed for the call only. */
struct store_attempt_row {
    struct store_attempt a;
    const char *username, *name, *unit;
};

/* Call fn for every attempt of exam_id (running ones too), oldest first;
 * class_id > 0: only members of that class. Stops at fn's first non-zero
 * return and returns it; else 0 or EXAMD_EIO. */
int store_exam_attempt_rows(struct store *s, int64_t exam_id, int64_t class_id,
                            int (*fn)(void *arg,
                                      const struct store_attempt_row *r),
                            void *arg);

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

/* ---- results, re-opening and review (store_results.c; results.h) ---- */

/* What results and the trainer's routes need of an exam row. */
struct store_exam_meta {
    int64_t owner_id, class_id; /* 0 = none */
    /* a contest round: its contest and the contest's owner (0 = not a
     * round); api_exam_access */
    int64_t contest_id, contest_owner_id;
    int64_t closes_ms;          /* the window's close: window_closes_ms
                                   when set, else the snapshot's; 0 = never */
    char *title;                /* owned */
    char *grading;              /* owned: exams.grading, "" = defaults */
};

/* EXAMD_ENOTFOUND when no such exam. Release with store_exam_meta_fini
 * (accepts a zeroed struct). Any thread's connection. */
int store_exam_meta_get(struct store *s, int64_t exam_id,
                        struct store_exam_meta *out);
void store_exam_meta_fini(struct store_exam_meta *m);

/* Build exam_id from its snapshot (*out: free with exam_free). */
int store_exam_load(struct store *s, int64_t exam_id, struct exam **out);

/* The people on an exam's results (results.h), by id (store_class.c). */
int store_exam_people(struct store *s, int64_t exam_id, int64_t class_id,
                      struct store_member_row **out, int *n);

/* Call fn for every attempt at exam_id, by user then attempt number. */
int store_exam_attempts_each(struct store *s, int64_t exam_id,
                             void (*fn)(void *arg,
                                        const struct store_attempt *a),
                             void *arg);

/* One row of the append-only answers table. */
struct store_answer_row {
    int64_t seq, question_id, server_ms;
    uint8_t choice; /* bank order */
    bool flagged;
};

/* Call fn for every answer row of an attempt in seq order. */
int store_answers_history(struct store *s, int64_t attempt_id,
                          void (*fn)(void *arg,
                                     const struct store_answer_row *r),
                          void *arg);

struct store_event_row {
    int64_t server_ms, actor_id; /* actor 0 = none (the candidate's own) */
    const char *kind, *detail;   /* valid during the callback */
    char actor[64];              /* the actor's username, "" = none */
};

/* Call fn for every attempt_events row of an attempt, oldest first. */
int store_attempt_events_each(struct store *s, int64_t attempt_id,
                              void (*fn)(void *arg,
                                         const struct store_event_row *r),
                              void *arg);

/* Writer thread, in a transaction: */
/* Set exams.grading (text "" = the defaults); EXAMD_ENOTFOUND. */
int store_exam_grading_set(struct store *s, int64_t exam_id, const char *text);
/* A submitted attempt back to running at now_ms until deadline_ms (the
 * grant capped by the window; granted_ms kept for later window moves and
 * restarts), its score cleared, answers kept, the time since its
 * submission added to paused_ms: EXAMD_ECLOSED when it is not submitted
 * (any more), EXAMD_ERUNNING when the person has another attempt running. */
int store_attempt_reopen(struct store *s, int64_t attempt_id,
                         int64_t deadline_ms, int64_t granted_ms,
                         int64_t now_ms);
/* Append n rows to attempt_events (one statement, n steps). */
struct store_event_new {
    int64_t attempt_id, server_ms;
    int64_t actor_id;          /* 0 = none */
    const char *kind, *detail; /* "connect", "disconnect", "reopen" */
};
int store_attempt_events_add(struct store *s, const struct store_event_new *v,
                             int n);
/* ---- item statistics (store_stats.c, stats.h) ---- */

/* One answer row of an attempt counted in an exam's statistics. */
struct store_stats_row {
    int64_t attempt_id;
    uint64_t seed;
    int64_t question_id; /* 0: the attempt has no answer at all */
    uint8_t choice;      /* bank order */
};

/*
 * Call fn for every answer row of exam_id's submitted attempts (only each
 * candidate's attempt 1 unless all), by attempt and, within one, in seq
 * order (the last row of a question is its final answer); an attempt
 * without answers gives one row with question_id 0. Any thread's store.
 */
int store_stats_answers(struct store *s, int64_t exam_id, bool all,
                        void (*fn)(void *arg, const struct store_stats_row *r),
                        void *arg);

/* For each of the n question ids: its bank, its family and the id of the
 * family's current version (0 when retired). 0 or EXAMD_EIO. */
int store_stats_links(struct store *s, const int64_t *ids, int n, int64_t *bank,
                      int64_t *family, int64_t *current);

/* ---- the organiser's live monitor (store_monitor.c) ---- */

/* Candidates of one (exam, unit) by their first attempt: started, and
 * of those closed (submitted or timed out). */
struct store_monitor_count {
    int64_t exam_id, unit_id, started, submitted;
};

/* fn for every (exam, unit) with a first attempt. 0 or EXAMD_EIO. */
int store_monitor_counts_each(struct store *s,
                              void (*fn)(void *arg,
                                         const struct store_monitor_count *n),
                              void *arg);

/* Who owns the exam and, for a contest round, its contest (0 = nobody).
 * 0, EXAMD_ENOTFOUND or EXAMD_EIO. */
int store_exam_watchers(struct store *s, int64_t exam_id, int64_t *owner_id,
                        int64_t *contest_owner_id);

#endif
