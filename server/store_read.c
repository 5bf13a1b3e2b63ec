/*
 * store_read.c — reads: users, sessions, attempts and their answers.
 *
 * Called on the service thread with its own connection (or by the CLI).
 * None of these is on the answer path: they run at login, at the WebSocket
 * upgrade, on hello, on resume and for results.
 */
#include "store_int.h"

#include <stdio.h>
#include <string.h>

static void store_copy_col(char *dst, size_t n, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, n, "%s", t ? (const char *)t : "");
}

static int store_user_row(sqlite3_stmt *st, struct store_user *u)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        u->id = sqlite3_column_int64(st, 0);
        store_copy_col(u->username, sizeof u->username, st, 1);
        store_copy_col(u->name, sizeof u->name, st, 2);
        store_copy_col(u->role, sizeof u->role, st, 3);
        store_copy_col(u->pw_hash, sizeof u->pw_hash, st, 4);
        u->disabled = sqlite3_column_int(st, 5) != 0;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_ROW    ? 0
           : rc == SQLITE_DONE ? EXAMD_ENOTFOUND
                               : EXAMD_EIO;
}

int store_user_by_name(struct store *s, const char *username,
                       struct store_user *out)
{
    sqlite3_stmt *st = store_stmt(s, STMT_USER_BY_NAME);
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
    return store_user_row(st, out);
}

int store_user_by_id(struct store *s, int64_t id, struct store_user *out)
{
    sqlite3_stmt *st = store_stmt(s, STMT_USER_BY_ID);
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, id);
    return store_user_row(st, out);
}

int store_user_count(struct store *s, int64_t *n)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM users", -1, &st, NULL))
        return EXAMD_EIO;
    int rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : EXAMD_EIO;
}

int store_session_user(struct store *s, const uint8_t *hash, int64_t now_ms,
                       int64_t *user_id, char *role, size_t rolelen)
{
    sqlite3_stmt *st = store_stmt(s, STMT_SESSION_USER);
    int res = EXAMD_ENOAUTH;
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_blob(st, 1, hash, STORE_TOKEN_HASH_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now_ms);
    if (sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_bytes(st, 0) == STORE_TOKEN_HASH_BYTES) {
        *user_id = sqlite3_column_int64(st, 1);
        if (role)
            store_copy_col(role, rolelen, st, 2);
        res = 0;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return res;
}

void store_attempt_row(sqlite3_stmt *st, struct store_attempt *a)
{
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    a->exam_id = sqlite3_column_int64(st, 1);
    a->user_id = sqlite3_column_int64(st, 2);
    a->n = sqlite3_column_int(st, 3);
    a->seed = (uint64_t)sqlite3_column_int64(st, 4);
    a->started_ms = sqlite3_column_int64(st, 5);
    a->deadline_ms = sqlite3_column_int64(st, 6);
    a->running = !strcmp((const char *)sqlite3_column_text(st, 7), "running");
    a->submitted_ms = sqlite3_column_int64(st, 8);
    store_copy_col(a->reason, sizeof a->reason, st, 9);
    a->correct = sqlite3_column_int(st, 10);
    a->total = sqlite3_column_int(st, 11);
    a->score_centi = sqlite3_column_int(st, 12);
    a->last_seq = sqlite3_column_int64(st, 13);
    a->reopen_deadline_ms = sqlite3_column_int64(st, 14);
    a->paused_ms = sqlite3_column_int64(st, 15);
}

int store_attempt_get(struct store *s, int64_t id, struct store_attempt *a)
{
    sqlite3_stmt *st = store_stmt(s, STMT_ATTEMPT_GET);
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        store_attempt_row(st, a);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_ROW    ? 0
           : rc == SQLITE_DONE ? EXAMD_ENOTFOUND
                               : EXAMD_EIO;
}

int store_attempt_max_id(struct store *s, int64_t *id)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT coalesce(max(id), 0) FROM attempts",
                           -1, &st, NULL))
        return EXAMD_EIO;
    int rc = sqlite3_step(st);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : EXAMD_EIO;
}

/* Call fn for every attempt row "SELECT cols FROM attempts a <rest>"
 * selects, binding ?1 = id when rest names it. */
int store_attempts_query(struct store *s, const char *rest, int64_t id,
                         void (*fn)(void *arg, const struct store_attempt *a),
                         void *arg)
{
    sqlite3_stmt *st;
    char sql[512];
    int rc;
    snprintf(sql, sizeof sql, "SELECT %s FROM attempts a %s",
             STORE_ATTEMPT_COLS, rest);
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL))
        return EXAMD_EIO;
    if (sqlite3_bind_parameter_count(st) >= 1)
        sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_attempt a;
        store_attempt_row(st, &a);
        fn(arg, &a);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

int store_attempts_running(struct store *s,
                           void (*fn)(void *arg, const struct store_attempt *a),
                           void *arg)
{
    return store_attempts_query(s, "WHERE state='running'", 0, fn, arg);
}

int store_attempt_summary(struct store *s, int64_t user_id, int64_t exam_id,
                          int *used, struct store_attempt *last)
{
    sqlite3_stmt *st;
    int rc;
    *used = 0;
    memset(last, 0, sizeof *last);
    st = store_stmt(s, STMT_ATTEMPT_SUMMARY);
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, exam_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_attempt a;
        store_attempt_row(st, &a);
        (*used)++;
        if (!a.running)
            *last = a;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

int store_answers_latest(struct store *s, int64_t attempt_id,
                         const struct exam *e, const struct paper_item *p,
                         uint8_t *choice, bool *flag, bool *has)
{
    sqlite3_stmt *st = store_stmt(s, STMT_ANSWERS_OF);
    int rc;
    if (!st)
        return EXAMD_EIO;
    memset(choice, 0, (size_t)e->n_paper);
    memset(flag, 0, sizeof *flag * (size_t)e->n_paper);
    memset(has, 0, sizeof *has * (size_t)e->n_paper);
    sqlite3_bind_int64(st, 1, attempt_id);
    /* Rows come in seq order: the last one per question wins. */
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int i = paper_find(e, p, sqlite3_column_int64(st, 0));
        if (i < 0)
            continue;
        choice[i] = (uint8_t)sqlite3_column_int(st, 1);
        flag[i] = sqlite3_column_int(st, 2) != 0;
        has[i] = true;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

/* ---- exports (report.c) ---- */

int store_exam_attempt_rows(struct store *s, int64_t exam_id, int64_t class_id,
                            int (*fn)(void *arg,
                                      const struct store_attempt_row *r),
                            void *arg)
{
    sqlite3_stmt *st;
    int rc, err = 0;
    if (sqlite3_prepare_v2(
            s->db,
            "SELECT " STORE_ATTEMPT_COLS ", p.username, p.full_name,"
            " coalesce(u.name, '')"
            " FROM attempts a JOIN users p ON p.id = a.user_id"
            " LEFT JOIN units u ON u.id = p.unit_id"
            " WHERE a.exam_id = ?1 AND (?2 = 0 OR a.user_id IN"
            "  (SELECT user_id FROM class_members WHERE class_id = ?2))"
            " ORDER BY a.started_ms, a.id",
            -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, exam_id);
    sqlite3_bind_int64(st, 2, class_id);
    while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_attempt_row r;
        store_attempt_row(st, &r.a);
        r.username = (const char *)sqlite3_column_text(st, 16);
        r.name = (const char *)sqlite3_column_text(st, 17);
        r.unit = (const char *)sqlite3_column_text(st, 18);
        err = fn(arg, &r);
    }
    sqlite3_finalize(st);
    return err ? err : rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}
