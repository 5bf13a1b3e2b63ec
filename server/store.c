/*
 * store.c — opening, migrating and writing the SQLite database.
 *
 * Reads used by the service thread live in store_read.c. Statements are
 * prepared once per connection (lazily, by index) and reset after use.
 * The answers table is append-only: every change a candidate made, keyed
 * by (attempt, client seq) so a resend can never be written twice.
 */
#include "store_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const store_migrations[STORE_SCHEMA_VERSION] = {
    /* 1: the foundation */
    "CREATE TABLE units("
    " id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES units(id),"
    " name TEXT NOT NULL, target INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE users("
    " id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE,"
    " full_name TEXT NOT NULL,"
    " role TEXT NOT NULL CHECK(role IN"
    "  ('admin','organiser','trainer','candidate')),"
    " pw_hash TEXT NOT NULL, unit_id INTEGER REFERENCES units(id),"
    " disabled INTEGER NOT NULL DEFAULT 0, created_ms INTEGER NOT NULL);"
    "CREATE TABLE sessions("
    " token_hash BLOB PRIMARY KEY, user_id INTEGER NOT NULL"
    " REFERENCES users(id), created_ms INTEGER NOT NULL,"
    " expires_ms INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE banks("
    " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " title TEXT NOT NULL, created_ms INTEGER NOT NULL);"
    "CREATE TABLE questions("
    " id INTEGER PRIMARY KEY, bank_id INTEGER NOT NULL REFERENCES banks(id),"
    " ext_id TEXT NOT NULL DEFAULT '', topic TEXT NOT NULL,"
    " difficulty INTEGER NOT NULL, text TEXT NOT NULL,"
    " multi INTEGER NOT NULL, explanation TEXT NOT NULL DEFAULT '',"
    " version INTEGER NOT NULL DEFAULT 1,"
    " retired INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX questions_bank ON questions(bank_id);"
    "CREATE TABLE options("
    " question_id INTEGER NOT NULL REFERENCES questions(id),"
    " idx INTEGER NOT NULL, text TEXT NOT NULL, correct INTEGER NOT NULL,"
    " PRIMARY KEY(question_id, idx)) WITHOUT ROWID;"
    "CREATE TABLE exams("
    " id INTEGER PRIMARY KEY, title TEXT NOT NULL,"
    " snapshot TEXT NOT NULL, created_ms INTEGER NOT NULL);"
    "CREATE TABLE attempts("
    " id INTEGER PRIMARY KEY, exam_id INTEGER NOT NULL REFERENCES exams(id),"
    " user_id INTEGER NOT NULL REFERENCES users(id), n INTEGER NOT NULL,"
    " seed INTEGER NOT NULL, started_ms INTEGER NOT NULL,"
    " deadline_ms INTEGER NOT NULL,"
    " state TEXT NOT NULL DEFAULT 'running'"
    "  CHECK(state IN ('running','submitted')),"
    " submitted_ms INTEGER, reason TEXT, correct INTEGER, total INTEGER,"
    " score_centi INTEGER, UNIQUE(exam_id, user_id, n));"
    "CREATE UNIQUE INDEX attempts_one_running ON attempts(exam_id, user_id)"
    " WHERE state = 'running';"
    "CREATE TABLE answers("
    " attempt_id INTEGER NOT NULL, seq INTEGER NOT NULL,"
    " question_id INTEGER NOT NULL, choice INTEGER NOT NULL,"
    " flagged INTEGER NOT NULL, server_ms INTEGER NOT NULL,"
    " PRIMARY KEY(attempt_id, seq)) WITHOUT ROWID;",
    /* 2: question versions, option weights, points, search keys, exam
     * usage. A question's family is its first version's id; retired is
     * 0 current, 1 retired by staff, 2 replaced by a newer version. */
    "ALTER TABLE questions ADD COLUMN family_id INTEGER;"
    "UPDATE questions SET family_id = id;"
    "ALTER TABLE questions ADD COLUMN points INTEGER NOT NULL DEFAULT 1;"
    "ALTER TABLE questions ADD COLUMN shuffle INTEGER NOT NULL DEFAULT 1;"
    "ALTER TABLE questions ADD COLUMN fold TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE questions ADD COLUMN created_ms INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX questions_family ON questions(family_id);"
    "ALTER TABLE options ADD COLUMN weight INTEGER NOT NULL DEFAULT 0;"
    "UPDATE options SET weight = CASE WHEN correct = 0 THEN 0"
    " ELSE 10000000 / (SELECT count(*) FROM options o2"
    "  WHERE o2.question_id = options.question_id AND o2.correct)"
    " + CASE WHEN idx = (SELECT max(idx) FROM options o3"
    "  WHERE o3.question_id = options.question_id AND o3.correct)"
    " THEN 10000000 % (SELECT count(*) FROM options o4"
    "  WHERE o4.question_id = options.question_id AND o4.correct)"
    " ELSE 0 END END;"
    "ALTER TABLE banks ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE exam_questions("
    " exam_id INTEGER NOT NULL REFERENCES exams(id),"
    " question_id INTEGER NOT NULL REFERENCES questions(id),"
    " PRIMARY KEY(question_id, exam_id)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO exam_questions(exam_id, question_id)"
    " SELECT e.id, j.value ->> '$.id' FROM exams e,"
    " json_each(e.snapshot, '$.pool') j;",
    /* 3: people and places, the perimeter, the audit log. Units form a
     * tree (parent_id); classes belong to a trainer; an exam may belong
     * to a class (only its members see it) and always to the staff member
     * who published it; join codes are stored as keyed BLAKE2b hashes;
     * the audit log is hash-chained (hash = H(prev_hash || entry)). */
    "ALTER TABLE units ADD COLUMN created_ms INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX units_parent ON units(parent_id);"
    "ALTER TABLE users ADD COLUMN birth_date TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE users ADD COLUMN locked_until_ms INTEGER NOT NULL"
    " DEFAULT 0;"
    "ALTER TABLE users ADD COLUMN pw_changed_ms INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX users_unit ON users(unit_id);"
    "CREATE TABLE classes("
    " id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " trainer_id INTEGER NOT NULL REFERENCES users(id),"
    " unit_id INTEGER REFERENCES units(id),"
    " archived INTEGER NOT NULL DEFAULT 0, created_ms INTEGER NOT NULL);"
    "CREATE INDEX classes_trainer ON classes(trainer_id);"
    "CREATE TABLE class_members("
    " class_id INTEGER NOT NULL REFERENCES classes(id),"
    " user_id INTEGER NOT NULL REFERENCES users(id),"
    " PRIMARY KEY(class_id, user_id)) WITHOUT ROWID;"
    "CREATE INDEX class_members_user ON class_members(user_id);"
    "ALTER TABLE exams ADD COLUMN owner_id INTEGER REFERENCES users(id);"
    "ALTER TABLE exams ADD COLUMN class_id INTEGER REFERENCES classes(id);"
    "ALTER TABLE banks ADD COLUMN owner_id INTEGER REFERENCES users(id);"
    "CREATE TABLE join_codes("
    " hash BLOB PRIMARY KEY, exam_id INTEGER NOT NULL REFERENCES exams(id),"
    " unit_id INTEGER REFERENCES units(id),"
    " created_by INTEGER REFERENCES users(id), created_ms INTEGER NOT NULL,"
    " expires_ms INTEGER NOT NULL DEFAULT 0,"
    " revoked INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
    "CREATE TABLE login_failures("
    " ip TEXT PRIMARY KEY, failures INTEGER NOT NULL,"
    " locked_until_ms INTEGER NOT NULL DEFAULT 0,"
    " last_ms INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE audit("
    " id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL,"
    " actor_id INTEGER, ip TEXT NOT NULL DEFAULT '',"
    " action TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '',"
    " prev_hash BLOB NOT NULL, hash BLOB NOT NULL);",
    /* 4: contests and their rounds, live rounds in a hall, trainers'
     * grading rules and the attempt event log. A contest round is an exam
     * with contest_id set; the organiser's changes to its window live in
     * window_opens_ms / window_closes_ms (NULL = the snapshot's). grading
     * is the exam's JSON rounding step, pass mark and bands ('' = the
     * defaults). attempt_events records connections, disconnections and
     * re-openings beside the append-only answers. */
    "CREATE TABLE contests("
    " id INTEGER PRIMARY KEY, title TEXT NOT NULL,"
    " description TEXT NOT NULL DEFAULT '',"
    " owner_id INTEGER REFERENCES users(id),"
    " open_registration INTEGER NOT NULL DEFAULT 0,"
    " archived INTEGER NOT NULL DEFAULT 0, created_ms INTEGER NOT NULL);"
    "ALTER TABLE exams ADD COLUMN contest_id INTEGER REFERENCES contests(id);"
    "ALTER TABLE exams ADD COLUMN round_no INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE exams ADD COLUMN window_opens_ms INTEGER;"
    "ALTER TABLE exams ADD COLUMN window_closes_ms INTEGER;"
    "ALTER TABLE exams ADD COLUMN show_answers INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE exams ADD COLUMN prediction INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE exams ADD COLUMN prizes TEXT NOT NULL DEFAULT '[]';"
    "ALTER TABLE exams ADD COLUMN results_published_ms INTEGER NOT NULL"
    " DEFAULT 0;"
    "ALTER TABLE exams ADD COLUMN grading TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX exams_contest ON exams(contest_id);"
    "ALTER TABLE attempts ADD COLUMN prediction INTEGER;"
    "CREATE INDEX attempts_exam ON attempts(exam_id, state);"
    "CREATE TABLE attempt_events("
    " attempt_id INTEGER NOT NULL REFERENCES attempts(id),"
    " server_ms INTEGER NOT NULL, kind TEXT NOT NULL,"
    " detail TEXT NOT NULL DEFAULT '', actor_id INTEGER);"
    "CREATE INDEX attempt_events_attempt ON attempt_events(attempt_id);"
    "CREATE TABLE live_rounds("
    " id INTEGER PRIMARY KEY, contest_id INTEGER REFERENCES contests(id),"
    " owner_id INTEGER REFERENCES users(id), title TEXT NOT NULL,"
    " code TEXT NOT NULL, snapshot TEXT NOT NULL,"
    " seconds INTEGER NOT NULL, elimination INTEGER NOT NULL DEFAULT 0,"
    " state TEXT NOT NULL DEFAULT 'lobby'"
    "  CHECK(state IN ('lobby','question','reveal','ended')),"
    " current INTEGER NOT NULL DEFAULT -1,"
    " revived INTEGER NOT NULL DEFAULT 0, created_ms INTEGER NOT NULL);"
    "CREATE TABLE live_players("
    " id INTEGER PRIMARY KEY,"
    " round_id INTEGER NOT NULL REFERENCES live_rounds(id),"
    " name TEXT NOT NULL, unit_id INTEGER REFERENCES units(id),"
    " user_id INTEGER REFERENCES users(id), token_hash BLOB NOT NULL,"
    " eliminated_at INTEGER NOT NULL DEFAULT -1, joined_ms INTEGER NOT NULL);"
    "CREATE INDEX live_players_round ON live_players(round_id);"
    "CREATE TABLE live_answers("
    " round_id INTEGER NOT NULL, q INTEGER NOT NULL,"
    " player_id INTEGER NOT NULL, choice INTEGER NOT NULL,"
    " server_ms INTEGER NOT NULL, elapsed_ms INTEGER NOT NULL,"
    " correct INTEGER NOT NULL,"
    " PRIMARY KEY(round_id, q, player_id)) WITHOUT ROWID;"
    /* live rounds: when the current question was pushed and closes (epoch
     * ms), so a restarted server carries the round on */
    "ALTER TABLE live_rounds ADD COLUMN q_started_ms INTEGER NOT NULL"
    " DEFAULT 0;"
    "ALTER TABLE live_rounds ADD COLUMN q_deadline_ms INTEGER NOT NULL"
    " DEFAULT 0;"
    /* re-opened attempts: the deadline the re-opening granted (NULL =
     * never re-opened; a round's window still caps it) and the time spent
     * submitted before re-openings, left out of the time taken */
    "ALTER TABLE attempts ADD COLUMN reopen_deadline_ms INTEGER;"
    "ALTER TABLE attempts ADD COLUMN paused_ms INTEGER NOT NULL DEFAULT 0;",
};

static const char *const store_sql[STORE_STMT_COUNT] = {
    [STMT_BEGIN] = "BEGIN IMMEDIATE",
    [STMT_COMMIT] = "COMMIT",
    [STMT_ROLLBACK] = "ROLLBACK",
    [STMT_ANSWER_INSERT] =
        "INSERT OR IGNORE INTO answers(attempt_id, seq, question_id, choice,"
        " flagged, server_ms) VALUES(?,?,?,?,?,?)",
    [STMT_ATTEMPT_INSERT] =
        "INSERT INTO attempts(id, exam_id, user_id, n, seed, started_ms,"
        " deadline_ms) VALUES(?,?,?,?,?,?,?)",
    [STMT_ATTEMPT_CLOSE] =
        "UPDATE attempts SET state='submitted', submitted_ms=?, reason=?,"
        " correct=?, total=?, score_centi=? WHERE id=? AND state='running'",
    [STMT_USER_BY_NAME] =
        "SELECT id, username, full_name, role, pw_hash, disabled FROM users"
        " WHERE username=?",
    [STMT_USER_BY_ID] =
        "SELECT id, username, full_name, role, pw_hash, disabled FROM users"
        " WHERE id=?",
    [STMT_SESSION_USER] =
        "SELECT s.token_hash, s.user_id, u.role FROM sessions s JOIN users u"
        " ON u.id = s.user_id WHERE s.token_hash=? AND s.expires_ms>?"
        " AND u.disabled=0",
    [STMT_ATTEMPT_GET] =
        "SELECT " STORE_ATTEMPT_COLS " FROM attempts a WHERE a.id=?",
    [STMT_ATTEMPT_SUMMARY] = "SELECT " STORE_ATTEMPT_COLS
                             " FROM attempts a WHERE user_id=? AND exam_id=?"
                             " ORDER BY n",
    [STMT_ANSWERS_OF] =
        "SELECT question_id, choice, flagged FROM answers WHERE attempt_id=?"
        " ORDER BY seq",
};

int store_fail(struct store *s, int err, char *msg, size_t msglen)
{
    if (msg && msglen)
        snprintf(msg, msglen, "sqlite: %s", sqlite3_errmsg(s->db));
    return err;
}

sqlite3_stmt *store_stmt(struct store *s, enum store_stmt i)
{
    if (!s->stmt[i] &&
        sqlite3_prepare_v3(s->db, store_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                           &s->stmt[i], NULL) != SQLITE_OK)
        return NULL;
    return s->stmt[i];
}

/* Run a statement with no result rows; 0 or EXAMD_EIO. */
int store_step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

static int store_exec(struct store *s, const char *sql, char *msg,
                      size_t msglen)
{
    char *err = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        if (msg)
            snprintf(msg, msglen, "sqlite: %s", err ? err : "?");
        sqlite3_free(err);
        return EXAMD_EIO;
    }
    return 0;
}

int store_exec_sql(struct store *s, const char *sql)
{
    return store_exec(s, sql, NULL, 0);
}

int store_schema_version(struct store *s)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL))
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int store_migrate(struct store *s, char *msg, size_t msglen)
{
    int v = store_schema_version(s);
    if (v < 0 || v > STORE_SCHEMA_VERSION) {
        snprintf(msg, msglen,
                 "database schema version %d is newer than this"
                 " examd (%d)",
                 v, STORE_SCHEMA_VERSION);
        return EXAMD_EINVAL;
    }
    for (; v < STORE_SCHEMA_VERSION; v++) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v + 1);
        if (store_exec(s, "BEGIN IMMEDIATE", msg, msglen))
            return EXAMD_EIO;
        if (store_exec(s, store_migrations[v], msg, msglen) ||
            store_exec(s, sql, msg, msglen)) {
            store_exec(s, "ROLLBACK", NULL, 0);
            return EXAMD_EIO;
        }
        if (store_exec(s, "COMMIT", msg, msglen))
            return EXAMD_EIO;
        /* 2 added search keys that only C can compute (text_fold) */
        if (v + 1 == 2 && store_fold_backfill(s)) {
            snprintf(msg, msglen, "migration 2: cannot fill search keys");
            return EXAMD_EIO;
        }
    }
    return 0;
}

/* mkdir the parent directory of path if it is missing (one level). */
static void store_make_parent(const char *path)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return;
    *slash = 0;
    if (mkdir(dir, 0750) && errno != EEXIST)
        return;
}

int store_open(const char *path, bool sync_full, struct store **out, char *msg,
               size_t msglen)
{
    struct store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(msg, msglen, "out of memory");
        return EXAMD_ENOMEM;
    }
    store_make_parent(path);
    if (sqlite3_open_v2(path, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        snprintf(msg, msglen, "%s: %s", path,
                 s->db ? sqlite3_errmsg(s->db) : "cannot open");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 10000);
    if (store_exec(s, "PRAGMA journal_mode=WAL", msg, msglen) ||
        store_exec(s,
                   sync_full ? "PRAGMA synchronous=FULL"
                             : "PRAGMA synchronous=NORMAL",
                   msg, msglen) ||
        store_exec(s, "PRAGMA foreign_keys=ON", msg, msglen) ||
        store_migrate(s, msg, msglen))
        goto fail;
    *out = s;
    return 0;
fail:
    store_close(s);
    return EXAMD_EIO;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    for (int i = 0; i < STORE_STMT_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    sqlite3_close(s->db);
    free(s);
}

int store_begin(struct store *s)
{
    sqlite3_stmt *st = store_stmt(s, STMT_BEGIN);
    return st ? store_step_done(st) : EXAMD_EIO;
}

int store_commit(struct store *s)
{
    sqlite3_stmt *st = store_stmt(s, STMT_COMMIT);
    return st ? store_step_done(st) : EXAMD_EIO;
}

void store_rollback(struct store *s)
{
    sqlite3_stmt *st = store_stmt(s, STMT_ROLLBACK);
    if (st && sqlite3_get_autocommit(s->db) == 0)
        store_step_done(st);
}

int store_answer_insert(struct store *s, int64_t attempt_id, int64_t seq,
                        int64_t question_id, uint8_t choice, bool flag,
                        int64_t server_ms)
{
    sqlite3_stmt *st = store_stmt(s, STMT_ANSWER_INSERT);
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, attempt_id);
    sqlite3_bind_int64(st, 2, seq);
    sqlite3_bind_int64(st, 3, question_id);
    sqlite3_bind_int(st, 4, choice);
    sqlite3_bind_int(st, 5, flag);
    sqlite3_bind_int64(st, 6, server_ms);
    return store_step_done(st);
}

int store_attempt_insert(struct store *s, const struct store_attempt *a)
{
    sqlite3_stmt *st = store_stmt(s, STMT_ATTEMPT_INSERT);
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, a->id);
    sqlite3_bind_int64(st, 2, a->exam_id);
    sqlite3_bind_int64(st, 3, a->user_id);
    sqlite3_bind_int(st, 4, a->n);
    sqlite3_bind_int64(st, 5, (int64_t)a->seed);
    sqlite3_bind_int64(st, 6, a->started_ms);
    sqlite3_bind_int64(st, 7, a->deadline_ms);
    return store_step_done(st);
}

int store_attempt_close(struct store *s, int64_t attempt_id,
                        int64_t submitted_ms, const char *reason, int correct,
                        int total, int score_centi)
{
    sqlite3_stmt *st = store_stmt(s, STMT_ATTEMPT_CLOSE);
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, submitted_ms);
    sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, correct);
    sqlite3_bind_int(st, 4, total);
    sqlite3_bind_int(st, 5, score_centi);
    sqlite3_bind_int64(st, 6, attempt_id);
    return store_step_done(st);
}

int store_user_add(struct store *s, const char *username, const char *name,
                   const char *role, const char *pw_hash, int64_t now_ms,
                   int64_t *id)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO users(username, full_name, role,"
                           " pw_hash, created_ms) VALUES(?,?,?,?,?)",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, pw_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, now_ms);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_CONSTRAINT)
        return EXAMD_EINVAL;
    if (rc != SQLITE_DONE)
        return EXAMD_EIO;
    if (id)
        *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int store_session_add(struct store *s, const uint8_t *hash, int64_t user_id,
                      int64_t now_ms, int64_t expires_ms)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO sessions(token_hash, user_id,"
                           " created_ms, expires_ms) VALUES(?,?,?,?)",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_blob(st, 1, hash, STORE_TOKEN_HASH_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_int64(st, 3, now_ms);
    sqlite3_bind_int64(st, 4, expires_ms);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

int store_session_delete(struct store *s, const uint8_t *hash)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "DELETE FROM sessions WHERE token_hash=?", -1,
                           &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_blob(st, 1, hash, STORE_TOKEN_HASH_BYTES, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}
