/*
 * store_bank.c — questions in, exams frozen, exams loaded.
 *
 * Publishing an exam freezes the questions it draws from into a JSON
 * snapshot stored with the exam row (and records which question versions
 * it uses in exam_questions); exams are loaded from those snapshots, so
 * later edits to a bank never change a published exam, and a question a
 * published exam uses is never edited in place (store_staff.c).
 *
 * Every multi-statement write here runs inside a savepoint, so it is
 * atomic both inside the writer's transaction and from the CLI.
 */
#include "store_int.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_savepoint(struct store *s, const char *verb)
{
    char sql[64];
    snprintf(sql, sizeof sql, "%s examd_sp", verb);
    return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0
                                                                   : EXAMD_EIO;
}

void store_savepoint_undo(struct store *s)
{
    store_savepoint(s, "ROLLBACK TO");
    store_savepoint(s, "RELEASE");
}

bool store_bank_exists(struct store *s, const char *name)
{
    sqlite3_stmt *st;
    bool found = false;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM banks WHERE name=?", -1, &st,
                           NULL))
        return false;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

char *store_question_fold(const struct bank_question *q)
{
    size_t len = strlen(q->text) + strlen(q->explanation) + 4;
    for (int k = 0; k < q->n_options; k++)
        len += strlen(q->options[k]) + 1;
    char *all = malloc(len), *p = all;
    if (!all)
        return NULL;
    p += sprintf(p, "%s", q->text);
    for (int k = 0; k < q->n_options; k++)
        p += sprintf(p, "\n%s", q->options[k]);
    sprintf(p, "\n%s", q->explanation);
    char *f = text_fold(all);
    free(all);
    return f;
}

int store_options_insert(struct store *s, int64_t qid,
                         const struct bank_question *q)
{
    sqlite3_stmt *so;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO options(question_id, idx, text,"
                           " correct, weight) VALUES(?,?,?,?,?)",
                           -1, &so, NULL))
        return EXAMD_EIO;
    for (int k = 0; k < q->n_options && !rc; k++) {
        sqlite3_bind_int64(so, 1, qid);
        sqlite3_bind_int(so, 2, k);
        sqlite3_bind_text(so, 3, q->options[k], -1, SQLITE_STATIC);
        sqlite3_bind_int(so, 4, (q->key >> k) & 1);
        sqlite3_bind_int(so, 5, q->weight[k]);
        rc = store_step_done(so);
    }
    sqlite3_finalize(so);
    return rc;
}

int store_question_insert(struct store *s, int64_t bank_id, int64_t family_id,
                          int version, const struct bank_question *q,
                          int64_t now_ms, int64_t *id)
{
    sqlite3_stmt *sq = NULL;
    char *fold = store_question_fold(q);
    int rc = EXAMD_EIO;
    if (!fold)
        return EXAMD_ENOMEM;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO questions(bank_id, ext_id, topic,"
                           " difficulty, text, multi, explanation, version,"
                           " family_id, points, shuffle, fold, created_ms)"
                           " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &sq, NULL))
        goto fail;
    sqlite3_bind_int64(sq, 1, bank_id);
    sqlite3_bind_text(sq, 2, q->ext_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(sq, 3, q->topic, -1, SQLITE_STATIC);
    sqlite3_bind_int(sq, 4, q->difficulty);
    sqlite3_bind_text(sq, 5, q->text, -1, SQLITE_STATIC);
    sqlite3_bind_int(sq, 6, q->multi);
    sqlite3_bind_text(sq, 7, q->explanation, -1, SQLITE_STATIC);
    sqlite3_bind_int(sq, 8, version);
    if (family_id)
        sqlite3_bind_int64(sq, 9, family_id);
    sqlite3_bind_int(sq, 10, q->points > 0 ? q->points : 1);
    sqlite3_bind_int(sq, 11, q->shuffle);
    sqlite3_bind_text(sq, 12, fold, -1, SQLITE_STATIC);
    sqlite3_bind_int64(sq, 13, now_ms);
    if (sqlite3_step(sq) != SQLITE_DONE)
        goto fail;
    *id = sqlite3_last_insert_rowid(s->db);
    if (!family_id &&
        sqlite3_exec(s->db, "UPDATE questions SET family_id = id"
                            " WHERE id = last_insert_rowid()",
                     NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    rc = store_options_insert(s, *id, q);
fail:
    sqlite3_finalize(sq);
    free(fold);
    return rc;
}

/* The id of a current question of the bank with exactly this text, or 0.
 * except: a question id that does not count (the one being edited). */
int64_t store_question_same_text(struct store *s, int64_t bank_id,
                                 const char *text, int64_t except)
{
    sqlite3_stmt *st;
    int64_t id = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id FROM questions WHERE bank_id=? AND"
                           " text=? AND retired=0 AND family_id IS NOT"
                           " (SELECT family_id FROM questions WHERE id=?)",
                           -1, &st, NULL))
        return 0;
    sqlite3_bind_int64(st, 1, bank_id);
    sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, except);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

static int64_t store_bank_id(struct store *s, const char *name)
{
    sqlite3_stmt *st;
    int64_t id = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT id FROM banks WHERE name=?", -1, &st,
                           NULL))
        return 0;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

int store_bank_create(struct store *s, const char *name, const char *title,
                      int64_t now_ms, int64_t *id)
{
    sqlite3_stmt *st;
    if (store_bank_exists(s, name))
        return EXAMD_EEXISTS;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO banks(name, title, created_ms)"
                           " VALUES(?,?,?)",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, title, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now_ms);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : EXAMD_EIO;
    sqlite3_finalize(st);
    if (!rc)
        *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int store_bank_add(struct store *s, const struct bank *b, int64_t now_ms,
                   int64_t *bank_id, bool *created, int *dup,
                   int64_t *dup_id, int *n_dup)
{
    int rc;
    *n_dup = 0;
    *bank_id = store_bank_id(s, b->name);
    *created = !*bank_id;
    if (store_savepoint(s, "SAVEPOINT"))
        return EXAMD_EIO;
    if (*created &&
        (rc = store_bank_create(s, b->name, b->title, now_ms, bank_id)))
        goto fail;
    for (int i = 0; i < b->n; i++) {
        int64_t other = *created ? 0
                                 : store_question_same_text(s, *bank_id,
                                                            b->q[i].text, 0);
        if (other) {
            dup[*n_dup] = i;
            dup_id[(*n_dup)++] = other;
        }
    }
    rc = EXAMD_EEXISTS;
    if (*n_dup)
        goto fail;
    for (int i = 0; i < b->n; i++) {
        int64_t qid;
        if ((rc = store_question_insert(s, *bank_id, 0, 1, &b->q[i], now_ms,
                                        &qid)))
            goto fail;
    }
    return store_savepoint(s, "RELEASE");
fail:
    store_savepoint_undo(s);
    return rc;
}

int store_bank_import(struct store *s, const struct bank *b, int64_t now_ms,
                      int64_t *bank_id, char *msg, size_t msglen)
{
    bool created;
    int n_dup = 0;
    if (store_bank_exists(s, b->name)) {
        snprintf(msg, msglen,
                 "ngân hàng \"%s\" đã tồn tại / bank \"%s\" "
                 "already exists",
                 b->name, b->name);
        return EXAMD_EINVAL;
    }
    if (store_begin(s))
        return store_fail(s, EXAMD_EIO, msg, msglen);
    int rc = store_bank_add(s, b, now_ms, bank_id, &created, NULL, NULL,
                            &n_dup);
    if (rc || store_commit(s)) {
        store_fail(s, EXAMD_EIO, msg, msglen);
        store_rollback(s);
        return EXAMD_EIO;
    }
    return 0;
}
