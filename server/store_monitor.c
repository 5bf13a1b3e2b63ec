/*
 * store_monitor.c — the reads behind the organiser's live monitor
 * (monitor.h, api_monitor.c): the figures counted so far when examd
 * starts, and who may watch an exam. (A user's unit: store_user_unit,
 * store_contest.c.)
 *
 * Service thread, its read connection; short indexed queries, never on
 * the answer path.
 */
#include "store_int.h"

/* One row of two integers for one id: 0, EXAMD_ENOTFOUND or EXAMD_EIO
 * (*x and *y are 0 unless a row was found). */
static int store_monitor_pair(struct store *s, const char *sql, int64_t id,
                              int64_t *x, int64_t *y)
{
    sqlite3_stmt *st;
    *x = *y = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *x = sqlite3_column_int64(st, 0);
        *y = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW    ? 0
           : rc == SQLITE_DONE ? EXAMD_ENOTFOUND
                               : EXAMD_EIO;
}

int store_monitor_counts_each(struct store *s,
                              void (*fn)(void *arg,
                                         const struct store_monitor_count *n),
                              void *arg)
{
    sqlite3_stmt *st;
    int rc;
    /* First attempts only: a candidate counts once however many attempts
     * the exam allows. attempts_exam's index (exam_id, state) covers the
     * scan per exam; this runs once at start. */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT a.exam_id, coalesce(u.unit_id, 0), count(*),"
                           " sum(a.state = 'submitted')"
                           " FROM attempts a JOIN users u ON u.id = a.user_id"
                           " WHERE a.n = 1 GROUP BY 1, 2",
                           -1, &st, NULL))
        return EXAMD_EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_monitor_count n = {
            sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
            sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3)};
        fn(arg, &n);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

int store_exam_watchers(struct store *s, int64_t exam_id, int64_t *owner_id,
                        int64_t *contest_owner_id)
{
    return store_monitor_pair(s,
                              "SELECT coalesce(e.owner_id, 0),"
                              " coalesce(c.owner_id, 0) FROM exams e"
                              " LEFT JOIN contests c ON c.id = e.contest_id"
                              " WHERE e.id = ?",
                              exam_id, owner_id, contest_owner_id);
}
