/*
 * store_bank.c — banks in, exams frozen, exams loaded.
 *
 * Publishing an exam freezes the questions it draws from into a JSON
 * snapshot stored with the exam row; exams are loaded from those snapshots
 * at start, so later edits to a bank never change a published exam.
 */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int store_bank_write(struct store *s, const struct bank *b,
                            int64_t now_ms, int64_t *bank_id)
{
    sqlite3_stmt *sb = NULL, *sq = NULL, *so = NULL;
    int rc = EXAMD_EIO;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO banks(name, title, created_ms)"
                           " VALUES(?,?,?)",
                           -1, &sb, NULL) ||
        sqlite3_prepare_v2(s->db,
                           "INSERT INTO questions(bank_id, ext_id,"
                           " topic, difficulty, text, multi, explanation)"
                           " VALUES(?,?,?,?,?,?,?)",
                           -1, &sq, NULL) ||
        sqlite3_prepare_v2(s->db,
                           "INSERT INTO options(question_id, idx,"
                           " text, correct) VALUES(?,?,?,?)",
                           -1, &so, NULL))
        goto fail;
    sqlite3_bind_text(sb, 1, b->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(sb, 2, b->title, -1, SQLITE_STATIC);
    sqlite3_bind_int64(sb, 3, now_ms);
    if (sqlite3_step(sb) != SQLITE_DONE)
        goto fail;
    *bank_id = sqlite3_last_insert_rowid(s->db);
    for (int i = 0; i < b->n; i++) {
        const struct bank_question *q = &b->q[i];
        sqlite3_bind_int64(sq, 1, *bank_id);
        sqlite3_bind_text(sq, 2, q->ext_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(sq, 3, q->topic, -1, SQLITE_STATIC);
        sqlite3_bind_int(sq, 4, q->difficulty);
        sqlite3_bind_text(sq, 5, q->text, -1, SQLITE_STATIC);
        sqlite3_bind_int(sq, 6, q->multi);
        sqlite3_bind_text(sq, 7, q->explanation, -1, SQLITE_STATIC);
        if (store_step_done(sq))
            goto fail;
        int64_t qid = sqlite3_last_insert_rowid(s->db);
        for (int k = 0; k < q->n_options; k++) {
            sqlite3_bind_int64(so, 1, qid);
            sqlite3_bind_int(so, 2, k);
            sqlite3_bind_text(so, 3, q->options[k], -1, SQLITE_STATIC);
            sqlite3_bind_int(so, 4, (q->key >> k) & 1);
            if (store_step_done(so))
                goto fail;
        }
    }
    rc = 0;
fail:
    sqlite3_finalize(sb);
    sqlite3_finalize(sq);
    sqlite3_finalize(so);
    return rc;
}

int store_bank_import(struct store *s, const struct bank *b, int64_t now_ms,
                      int64_t *bank_id, char *msg, size_t msglen)
{
    if (store_bank_exists(s, b->name)) {
        snprintf(msg, msglen,
                 "ngân hàng \"%s\" đã tồn tại / bank \"%s\" "
                 "already exists",
                 b->name, b->name);
        return EXAMD_EINVAL;
    }
    if (store_begin(s))
        return store_fail(s, EXAMD_EIO, msg, msglen);
    if (store_bank_write(s, b, now_ms, bank_id)) {
        store_fail(s, EXAMD_EIO, msg, msglen);
        store_rollback(s);
        return EXAMD_EIO;
    }
    if (store_commit(s)) {
        store_fail(s, EXAMD_EIO, msg, msglen);
        store_rollback(s);
        return EXAMD_EIO;
    }
    return 0;
}

/* Append the pool (current, unretired questions of the bank) to pool. */
static int store_pool_read(struct store *s, const char *bank, json_t *pool)
{
    sqlite3_stmt *st;
    const char *sql =
        "SELECT q.id, q.text, q.topic, q.difficulty, q.multi,"
        " json_group_array(o.text),"
        " json_group_array(CASE WHEN o.correct THEN o.idx END)"
        " FROM questions q JOIN banks b ON b.id = q.bank_id"
        " JOIN (SELECT * FROM options ORDER BY question_id, idx) o"
        " ON o.question_id = q.id"
        " WHERE q.retired = 0 AND (?1 IS NULL OR b.name = ?1)"
        " GROUP BY q.id ORDER BY q.id";
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_text(st, 1, bank, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *opts =
            json_loads((const char *)sqlite3_column_text(st, 5), 0, NULL);
        json_t *keys =
            json_loads((const char *)sqlite3_column_text(st, 6), 0, NULL);
        json_t *key = json_array();
        size_t i;
        json_t *v;
        json_array_foreach(keys, i, v) if (json_is_integer(v))
            json_array_append(key, v);
        json_decref(keys);
        json_array_append_new(
            pool, json_pack("{sI ss ss si sb so so}", "id",
                            (json_int_t)sqlite3_column_int64(st, 0), "text",
                            (const char *)sqlite3_column_text(st, 1), "topic",
                            (const char *)sqlite3_column_text(st, 2),
                            "difficulty", sqlite3_column_int(st, 3), "multi",
                            sqlite3_column_int(st, 4), "options",
                            opts ? opts : json_array(), "key", key));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

int store_exam_create(struct store *s, const struct store_exam_spec *sp,
                      int64_t now_ms, int64_t *exam_id, char *msg,
                      size_t msglen)
{
    json_t *pool = json_array();
    json_t *snap = NULL;
    char *text = NULL;
    sqlite3_stmt *st = NULL;
    int rc = EXAMD_EIO;
    if (store_pool_read(s, sp->bank, pool)) {
        store_fail(s, EXAMD_EIO, msg, msglen);
        goto fail;
    }
    if ((int)json_array_size(pool) < sp->n_paper || sp->n_paper < 1) {
        snprintf(msg, msglen,
                 "ngân hàng chỉ có %zu câu, đề cần %d / the bank"
                 " holds %zu questions, the paper needs %d",
                 json_array_size(pool), sp->n_paper, json_array_size(pool),
                 sp->n_paper);
        rc = EXAMD_EINVAL;
        goto fail;
    }
    snap = json_pack("{ss ss si si si ss sb sb sI sI sO}", "title", sp->title,
                     "description", sp->description ? sp->description : "",
                     "n_paper", sp->n_paper, "duration_s", sp->duration_s,
                     "attempts", sp->attempts, "review",
                     exam_review_name(sp->review), "shuffle_questions",
                     sp->shuffle_questions, "shuffle_options",
                     sp->shuffle_options, "opens_ms", (json_int_t)sp->opens_ms,
                     "closes_ms", (json_int_t)sp->closes_ms, "pool", pool);
    if (!snap || !(text = json_dumps(snap, JSON_COMPACT))) {
        rc = EXAMD_ENOMEM;
        goto fail;
    }
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO exams(title, snapshot,"
                           " created_ms) VALUES(?,?,?)",
                           -1, &st, NULL))
        goto fail;
    sqlite3_bind_text(st, 1, sp->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now_ms);
    if (sqlite3_step(st) != SQLITE_DONE) {
        store_fail(s, EXAMD_EIO, msg, msglen);
        goto fail;
    }
    *exam_id = sqlite3_last_insert_rowid(s->db);
    rc = 0;
fail:
    sqlite3_finalize(st);
    free(text);
    json_decref(snap);
    json_decref(pool);
    return rc;
}

int store_exams_load(struct store *s, struct exam ***out, int *n, char *msg,
                     size_t msglen)
{
    sqlite3_stmt *st;
    struct exam **v = NULL;
    int cnt = 0, rc;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT id, snapshot FROM exams ORDER BY id",
                           -1, &st, NULL))
        return store_fail(s, EXAMD_EIO, msg, msglen);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_error_t je;
        json_t *snap =
            json_loads((const char *)sqlite3_column_text(st, 1), 0, &je);
        struct exam *e = snap ? exam_from_json(snap, msg, msglen) : NULL;
        json_decref(snap);
        struct exam **nv = e ? realloc(v, sizeof *v * (size_t)(cnt + 1)) : NULL;
        if (!nv) {
            if (!snap)
                snprintf(msg, msglen, "exam %lld: bad snapshot",
                         (long long)sqlite3_column_int64(st, 0));
            exam_free(e);
            for (int i = 0; i < cnt; i++)
                exam_free(v[i]);
            free(v);
            sqlite3_finalize(st);
            return EXAMD_EINVAL;
        }
        e->id = sqlite3_column_int64(st, 0);
        v = nv;
        v[cnt++] = e;
    }
    sqlite3_finalize(st);
    *out = v;
    *n = cnt;
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}
