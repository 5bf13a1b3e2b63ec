/*
 * store_results.c — what results, re-opening and the per-candidate review
 * read and write (see store.h, results.h, docs/scores.md).
 *
 * Reads are one query each and run on whichever thread owns the
 * connection (the service thread for one attempt, a worker for a whole
 * exam's results). Writes run on the writer thread inside a staff
 * savepoint; connection events arrive there in batches (attempt_log.c).
 */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *store_text_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return strdup(t ? (const char *)t : "");
}

int store_exam_meta_get(struct store *s, int64_t exam_id,
                        struct store_exam_meta *out)
{
    sqlite3_stmt *st;
    memset(out, 0, sizeof *out);
    if (sqlite3_prepare_v2(
            s->db,
            "SELECT coalesce(e.owner_id, 0), coalesce(e.class_id, 0),"
            " coalesce(e.window_closes_ms, e.snapshot ->> '$.closes_ms', 0),"
            " e.title, e.grading, coalesce(e.contest_id, 0),"
            " coalesce(k.owner_id, 0) FROM exams e"
            " LEFT JOIN contests k ON k.id = e.contest_id WHERE e.id = ?",
            -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, exam_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->owner_id = sqlite3_column_int64(st, 0);
        out->class_id = sqlite3_column_int64(st, 1);
        out->closes_ms = sqlite3_column_int64(st, 2);
        out->title = store_text_dup(st, 3);
        out->grading = store_text_dup(st, 4);
        out->contest_id = sqlite3_column_int64(st, 5);
        out->contest_owner_id = sqlite3_column_int64(st, 6);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return EXAMD_ENOTFOUND;
    if (rc != SQLITE_ROW)
        return EXAMD_EIO;
    if (!out->title || !out->grading) {
        store_exam_meta_fini(out);
        return EXAMD_ENOMEM;
    }
    return 0;
}

void store_exam_meta_fini(struct store_exam_meta *m)
{
    if (!m)
        return;
    free(m->title);
    free(m->grading);
    m->title = m->grading = NULL;
}

int store_exam_load(struct store *s, int64_t exam_id, struct exam **out)
{
    sqlite3_stmt *st;
    char msg[256];
    *out = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT snapshot FROM exams WHERE id = ?", -1,
                           &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, exam_id);
    int rc = sqlite3_step(st);
    json_t *snap =
        rc == SQLITE_ROW
            ? json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL)
            : NULL;
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return EXAMD_ENOTFOUND;
    if (rc != SQLITE_ROW)
        return EXAMD_EIO;
    *out = snap ? exam_from_json(snap, msg, sizeof msg) : NULL;
    json_decref(snap);
    if (!*out)
        return EXAMD_EINVAL;
    (*out)->id = exam_id;
    return 0;
}

int store_exam_attempts_each(struct store *s, int64_t exam_id,
                             void (*fn)(void *arg,
                                        const struct store_attempt *a),
                             void *arg)
{
    return store_attempts_query(s, "WHERE exam_id = ?1 ORDER BY user_id, n",
                                exam_id, fn, arg);
}

int store_answers_history(struct store *s, int64_t attempt_id,
                          void (*fn)(void *arg,
                                     const struct store_answer_row *r),
                          void *arg)
{
    sqlite3_stmt *st;
    int rc;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT seq, question_id, choice, flagged,"
                           " server_ms FROM answers WHERE attempt_id = ?"
                           " ORDER BY seq",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, attempt_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_answer_row r = {.seq = sqlite3_column_int64(st, 0),
                                     .question_id = sqlite3_column_int64(st, 1),
                                     .choice =
                                         (uint8_t)sqlite3_column_int(st, 2),
                                     .flagged = sqlite3_column_int(st, 3) != 0,
                                     .server_ms = sqlite3_column_int64(st, 4)};
        fn(arg, &r);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

int store_attempt_events_each(struct store *s, int64_t attempt_id,
                              void (*fn)(void *arg,
                                         const struct store_event_row *r),
                              void *arg)
{
    sqlite3_stmt *st;
    int rc;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT ev.server_ms, coalesce(ev.actor_id, 0),"
                           " ev.kind, ev.detail, coalesce(u.username, '')"
                           " FROM attempt_events ev"
                           " LEFT JOIN users u ON u.id = ev.actor_id"
                           " WHERE ev.attempt_id = ?"
                           " ORDER BY ev.server_ms, ev.rowid",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, attempt_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_event_row r = {
            .server_ms = sqlite3_column_int64(st, 0),
            .actor_id = sqlite3_column_int64(st, 1),
            .kind = (const char *)sqlite3_column_text(st, 2),
            .detail = (const char *)sqlite3_column_text(st, 3)};
        snprintf(r.actor, sizeof r.actor, "%s", sqlite3_column_text(st, 4));
        fn(arg, &r);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

/* ---- writer thread ---- */

int store_exam_grading_set(struct store *s, int64_t exam_id, const char *text)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "UPDATE exams SET grading = ? WHERE id = ?",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_text(st, 1, text ? text : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, exam_id);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : EXAMD_EIO;
    sqlite3_finalize(st);
    if (!rc && sqlite3_changes(s->db) == 0)
        rc = EXAMD_ENOTFOUND;
    return rc;
}

int store_attempt_reopen(struct store *s, int64_t attempt_id,
                         int64_t deadline_ms, int64_t granted_ms,
                         int64_t now_ms)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(
            s->db,
            "UPDATE attempts SET state = 'running', deadline_ms = ?1,"
            " reopen_deadline_ms = ?2,"
            " paused_ms = paused_ms + max(0, ?3 - coalesce(submitted_ms, ?3)),"
            " submitted_ms = NULL, reason = NULL, correct = NULL,"
            " total = NULL, score_centi = NULL"
            " WHERE id = ?4 AND state = 'submitted'",
            -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, deadline_ms);
    sqlite3_bind_int64(st, 2, granted_ms);
    sqlite3_bind_int64(st, 3, now_ms);
    sqlite3_bind_int64(st, 4, attempt_id);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if ((step & 0xff) == SQLITE_CONSTRAINT) /* attempts_one_running */
        return EXAMD_ERUNNING;
    if (step != SQLITE_DONE)
        return EXAMD_EIO;
    return sqlite3_changes(s->db) ? 0 : EXAMD_ECLOSED;
}

int store_attempt_events_add(struct store *s, const struct store_event_new *v,
                             int n)
{
    sqlite3_stmt *st;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO attempt_events(attempt_id, server_ms,"
                           " kind, detail, actor_id)"
                           " VALUES(?, ?, ?, ?, nullif(?, 0))",
                           -1, &st, NULL))
        return EXAMD_EIO;
    for (int i = 0; i < n && !rc; i++) {
        sqlite3_bind_int64(st, 1, v[i].attempt_id);
        sqlite3_bind_int64(st, 2, v[i].server_ms);
        sqlite3_bind_text(st, 3, v[i].kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, v[i].detail ? v[i].detail : "", -1,
                          SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, v[i].actor_id);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : EXAMD_EIO;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}
