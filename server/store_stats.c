/*
 * store_stats.c — the reads behind an exam's item statistics (stats.h):
 * every final answer of the attempts counted, and where each question of
 * the pool lives now (its bank and current version, for the edit link).
 *
 * One query streams the answers of all the exam's counted attempts in
 * (attempt, seq) order through the answers table's primary key, so an
 * exam of 20,000 attempts is one pass, not 20,000 queries. Called on a
 * worker thread with the worker's own connection.
 */
#include "store_int.h"

int store_stats_answers(struct store *s, int64_t exam_id, bool all,
                        void (*fn)(void *arg, const struct store_stats_row *r),
                        void *arg)
{
    sqlite3_stmt *st;
    int rc;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT a.id, a.seed, coalesce(x.question_id, 0),"
                           " coalesce(x.choice, 0) FROM attempts a"
                           " LEFT JOIN answers x ON x.attempt_id = a.id"
                           " WHERE a.exam_id = ?1 AND a.state = 'submitted'"
                           " AND (?2 OR a.n = 1) ORDER BY a.id, x.seq",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, exam_id);
    sqlite3_bind_int(st, 2, all);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_stats_row r = {
            .attempt_id = sqlite3_column_int64(st, 0),
            .seed = (uint64_t)sqlite3_column_int64(st, 1),
            .question_id = sqlite3_column_int64(st, 2),
            .choice = (uint8_t)sqlite3_column_int(st, 3),
        };
        fn(arg, &r);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

int store_stats_links(struct store *s, const int64_t *ids, int n, int64_t *bank,
                      int64_t *family, int64_t *current)
{
    sqlite3_stmt *st;
    int rc = SQLITE_DONE;
    if (sqlite3_prepare_v2(
            s->db,
            "SELECT q.bank_id, q.family_id, coalesce((SELECT max(c.id) FROM"
            " questions c WHERE c.family_id = q.family_id AND c.retired = 0),"
            " 0) FROM questions q WHERE q.id = ?",
            -1, &st, NULL))
        return EXAMD_EIO;
    for (int i = 0; i < n && rc == SQLITE_DONE; i++) {
        bank[i] = family[i] = current[i] = 0;
        sqlite3_bind_int64(st, 1, ids[i]);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            bank[i] = sqlite3_column_int64(st, 0);
            family[i] = sqlite3_column_int64(st, 1);
            current[i] = sqlite3_column_int64(st, 2);
            rc = SQLITE_DONE;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}
