/*
 * store_exam.c — publishing (freezing) exams and reading them back.
 *
 * An exam's snapshot holds everything a paper needs: the rules, the
 * blueprint cells, and the pool, cut into the cells in order. Cells are
 * filled in order and a question goes to the first cell it fits, so cells
 * never share a question ("10 easy from Charter, then 5 more of any level
 * from Charter" means 5 that are not among the 10's pool).
 */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STORE_POOL_COLS                                                        \
    "q.id, q.text, q.topic, q.difficulty, q.multi, q.points, q.shuffle,"       \
    " (SELECT json_group_array(text) FROM (SELECT text FROM options"           \
    "  WHERE question_id = q.id ORDER BY idx)),"                               \
    " (SELECT json_group_array(weight) FROM (SELECT weight FROM options"       \
    "  WHERE question_id = q.id ORDER BY idx)),"                               \
    " (SELECT json_group_array(idx) FROM options WHERE question_id = q.id"     \
    "  AND correct)"

/* The snapshot object of the question in the current row of st. */
static json_t *store_pool_question(sqlite3_stmt *st)
{
    json_t *opts =
        json_loads((const char *)sqlite3_column_text(st, 7), 0, NULL);
    json_t *w = json_loads((const char *)sqlite3_column_text(st, 8), 0, NULL);
    json_t *key = json_loads((const char *)sqlite3_column_text(st, 9), 0, NULL);
    return json_pack(
        "{sI ss ss si sb si sb so so so}", "id",
        (json_int_t)sqlite3_column_int64(st, 0), "text",
        (const char *)sqlite3_column_text(st, 1), "topic",
        (const char *)sqlite3_column_text(st, 2), "difficulty",
        sqlite3_column_int(st, 3), "multi", sqlite3_column_int(st, 4), "points",
        sqlite3_column_int(st, 5), "shuffle", sqlite3_column_int(st, 6),
        "options", opts ? opts : json_array(), "weights", w ? w : json_array(),
        "key", key ? key : json_array());
}

/*
 * Append to pool the current questions of the spec's bank that fit cell
 * c (NULL: every one) and are not in taken (ids already in earlier cells).
 * With !random_selection only count of them, drawn now. Returns the number
 * appended or -1.
 */
static int store_pool_cell(struct store *s, const struct store_exam_spec *sp,
                           const struct store_cell *c, json_t *taken,
                           json_t *pool)
{
    sqlite3_stmt *st;
    int n = 0, rc;
    const char *sql =
        "SELECT " STORE_POOL_COLS " FROM questions q JOIN banks b"
        " ON b.id = q.bank_id WHERE q.retired = 0"
        " AND (?1 IS NULL OR b.name = ?1) AND (?2 = 0 OR b.id = ?2)"
        " AND (?3 IS NULL OR q.topic = ?3) AND (?4 < 0 OR q.difficulty = ?4)"
        " AND q.id NOT IN (SELECT value FROM json_each(?5))"
        " ORDER BY CASE WHEN ?6 THEN random() ELSE 0 END, q.id"
        " LIMIT ?7";
    char *tk = json_dumps(taken, JSON_COMPACT);
    if (!tk || sqlite3_prepare_v2(s->db, sql, -1, &st, NULL)) {
        free(tk);
        return -1;
    }
    bool draw = c && !sp->random_selection;
    sqlite3_bind_text(st, 1, sp->bank, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, sp->bank_id);
    sqlite3_bind_text(st, 3, c ? c->topic : NULL, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, c ? c->difficulty : -1);
    sqlite3_bind_text(st, 5, tk, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, draw);
    sqlite3_bind_int(st, 7, draw ? c->count : -1);
    json_t *cell = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_array_append_new(cell, store_pool_question(st));
        json_array_append_new(taken, json_integer(sqlite3_column_int64(st, 0)));
        n++;
    }
    sqlite3_finalize(st);
    free(tk);
    /* A drawn cell is kept in id order, like a whole one. */
    if (draw) {
        size_t i, j;
        for (i = 1; i < json_array_size(cell); i++)
            for (j = i; j > 0; j--) {
                json_t *a = json_array_get(cell, j - 1),
                       *b = json_array_get(cell, j);
                if (json_integer_value(json_object_get(a, "id")) <=
                    json_integer_value(json_object_get(b, "id")))
                    break;
                json_incref(a);
                json_array_set(cell, j - 1, b);
                json_array_set_new(cell, j, a);
            }
    }
    json_array_extend(pool, cell);
    json_decref(cell);
    return rc == SQLITE_DONE ? n : -1;
}

/* A fixed list: exactly these current questions, in this order. */
static int store_pool_fixed(struct store *s, const struct store_exam_spec *sp,
                            json_t *pool, char *msg, size_t msglen)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT " STORE_POOL_COLS " FROM questions q"
                           " WHERE q.id = ? AND q.retired = 0",
                           -1, &st, NULL))
        return EXAMD_EIO;
    for (int i = 0; i < sp->n_fixed; i++) {
        for (int k = 0; k < i; k++)
            if (sp->fixed[k] == sp->fixed[i]) {
                snprintf(msg, msglen,
                         "câu %lld có hai lần trong danh sách / question "
                         "%lld is listed twice",
                         (long long)sp->fixed[i], (long long)sp->fixed[i]);
                sqlite3_finalize(st);
                return EXAMD_EINVAL;
            }
        sqlite3_bind_int64(st, 1, sp->fixed[i]);
        if (sqlite3_step(st) != SQLITE_ROW) {
            snprintf(msg, msglen,
                     "không có câu hỏi hiện hành số %lld / no current "
                     "question %lld",
                     (long long)sp->fixed[i], (long long)sp->fixed[i]);
            sqlite3_finalize(st);
            return EXAMD_EINVAL;
        }
        json_array_append_new(pool, store_pool_question(st));
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return 0;
}

static const char *const store_diff_vi[] = {"dễ", "trung bình", "khó"};
static const char *const store_diff_en[] = {"easy", "medium", "hard"};

/* Fill pool and cells from the spec; 0 or an error with msg. */
static int store_pool_build(struct store *s, const struct store_exam_spec *sp,
                            json_t *pool, json_t *cells, int *n_paper,
                            char *msg, size_t msglen)
{
    if (sp->n_fixed) {
        *n_paper = sp->n_fixed;
        int rc = store_pool_fixed(s, sp, pool, msg, msglen);
        json_array_append_new(cells, json_pack("{si si}", "n", sp->n_fixed,
                                               "count", sp->n_fixed));
        return rc;
    }
    json_t *taken = json_array();
    struct store_cell whole = {NULL, -1, sp->n_paper};
    int nc = sp->n_cells ? sp->n_cells : 1;
    *n_paper = 0;
    for (int i = 0; i < nc; i++) {
        const struct store_cell *c = sp->n_cells ? &sp->cells[i] : &whole;
        int got = store_pool_cell(s, sp, sp->n_cells ? c : NULL, taken, pool);
        if (got < 0) {
            json_decref(taken);
            return store_fail(s, EXAMD_EIO, msg, msglen);
        }
        if (got < c->count || c->count < 1) {
            int d = c->difficulty;
            bool any = d < 0 || d > 2;
            snprintf(msg, msglen,
                     "ô %d (%s, %s): cần %d câu, ngân hàng có %d / cell %d "
                     "(%s, %s): needs %d questions, the bank has %d",
                     i + 1, c->topic ? c->topic : "mọi chủ đề",
                     any ? "mọi mức" : store_diff_vi[d], c->count, got, i + 1,
                     c->topic ? c->topic : "any topic",
                     any ? "any level" : store_diff_en[d], c->count, got);
            json_decref(taken);
            return EXAMD_EINVAL;
        }
        json_array_append_new(
            cells, json_pack("{si si ss* si}", "n", got, "count", c->count,
                             "topic", c->topic, "difficulty", c->difficulty));
        *n_paper += c->count;
    }
    json_decref(taken);
    if (*n_paper > EXAM_MAX_PAPER) {
        snprintf(msg, msglen,
                 "đề có %d câu, tối đa %d / the paper has %d questions, at "
                 "most %d",
                 *n_paper, EXAM_MAX_PAPER, *n_paper, EXAM_MAX_PAPER);
        return EXAMD_EINVAL;
    }
    return 0;
}

/* Insert the exam row and its question list. */
static int store_exam_insert(struct store *s, const char *title,
                             const char *snap, const json_t *pool,
                             int64_t now_ms, int64_t *exam_id)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO exams(title, snapshot, created_ms)"
                           " VALUES(?,?,?)",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_text(st, 1, title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, snap, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now_ms);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : EXAMD_EIO;
    sqlite3_finalize(st);
    if (rc)
        return rc;
    *exam_id = sqlite3_last_insert_rowid(s->db);
    if (sqlite3_prepare_v2(s->db,
                           "INSERT OR IGNORE INTO exam_questions(exam_id,"
                           " question_id) VALUES(?,?)",
                           -1, &st, NULL))
        return EXAMD_EIO;
    size_t i;
    json_t *q;
    json_array_foreach(pool, i, q)
    {
        sqlite3_bind_int64(st, 1, *exam_id);
        sqlite3_bind_int64(st, 2, json_integer_value(json_object_get(q, "id")));
        if ((rc = store_step_done(st)))
            break;
    }
    sqlite3_finalize(st);
    return rc;
}

int store_exam_snapshot(struct store *s, const struct store_exam_spec *sp,
                        json_t **snap_out, char *msg, size_t msglen)
{
    json_t *pool = json_array(), *cells = json_array();
    int n_paper = 0;
    *snap_out = NULL;
    int rc = store_pool_build(s, sp, pool, cells, &n_paper, msg, msglen);
    if (rc) {
        json_decref(cells);
        json_decref(pool);
        return rc;
    }
    json_t *ranges = json_array();
    for (int i = 0; ranges && i < sp->n_ip_ranges; i++)
        json_array_append_new(ranges, json_string(sp->ip_ranges[i]));
    *snap_out = json_pack(
        "{ss ss si si si ss sb sb sb ss sI sI sI so* so so}", "title",
        sp->title, "description", sp->description ? sp->description : "",
        "n_paper", n_paper, "duration_s", sp->duration_s, "attempts",
        sp->attempts, "review", exam_review_name(sp->review),
        "random_selection", sp->random_selection, "shuffle_questions",
        sp->shuffle_questions, "shuffle_options", sp->shuffle_options,
        "multi_scoring",
        sp->multi_scoring == EXAM_MULTI_PARTIAL ? "partial" : "all_or_nothing",
        "wrong_penalty_e7", (json_int_t)sp->wrong_penalty, "opens_ms",
        (json_int_t)sp->opens_ms, "closes_ms", (json_int_t)sp->closes_ms,
        "ip_ranges", ranges, "cells", cells, "pool", pool);
    return *snap_out ? 0 : EXAMD_ENOMEM;
}

int store_exam_create(struct store *s, const struct store_exam_spec *sp,
                      int64_t now_ms, int64_t *exam_id, char **snapshot_out,
                      char *msg, size_t msglen)
{
    json_t *snap = NULL;
    char *text = NULL;
    bool sp_open = false;
    int rc = store_exam_snapshot(s, sp, &snap, msg, msglen);
    if (rc)
        goto fail;
    rc = EXAMD_ENOMEM;
    if (!(text = json_dumps(snap, JSON_COMPACT)))
        goto fail;
    rc = EXAMD_EIO;
    if (store_savepoint(s, "SAVEPOINT"))
        goto fail;
    sp_open = true;
    if ((rc = store_exam_insert(s, sp->title, text,
                                json_object_get(snap, "pool"), now_ms,
                                exam_id))) {
        store_fail(s, rc, msg, msglen);
        goto fail;
    }
    rc = store_savepoint(s, "RELEASE");
    sp_open = false;
    if (!rc && snapshot_out) {
        *snapshot_out = text;
        text = NULL;
    }
fail:
    if (sp_open)
        store_savepoint_undo(s);
    free(text);
    json_decref(snap);
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
    if (sqlite3_prepare_v2(s->db, "SELECT id, snapshot, coalesce(contest_id, 0),"
                           " round_no, prediction, show_answers,"
                           " window_opens_ms, window_closes_ms"
                           " FROM exams ORDER BY id",
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
        e->contest_id = sqlite3_column_int64(st, 2);
        e->round_no = sqlite3_column_int(st, 3);
        e->prediction = sqlite3_column_int(st, 4) != 0;
        e->show_answers = sqlite3_column_int(st, 5) != 0;
        if (sqlite3_column_type(st, 6) != SQLITE_NULL) /* a changed window */
            e->opens_ms = sqlite3_column_int64(st, 6);
        if (sqlite3_column_type(st, 7) != SQLITE_NULL)
            e->closes_ms = sqlite3_column_int64(st, 7);
        v = nv;
        v[cnt++] = e;
    }
    sqlite3_finalize(st);
    *out = v;
    *n = cnt;
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

int store_exams_list(struct store *s, struct store_exam_row **out, int *n)
{
    sqlite3_stmt *st;
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(
            s->db,
            "SELECT e.id, e.snapshot,"
            " (SELECT count(DISTINCT user_id) FROM attempts WHERE "
            "exam_id=e.id),"
            " (SELECT count(DISTINCT user_id) FROM attempts WHERE exam_id=e.id"
            "  AND state='submitted'), coalesce(e.owner_id, 0),"
            " coalesce(e.contest_id, 0), coalesce(k.owner_id, 0) FROM exams e"
            " LEFT JOIN contests k ON k.id = e.contest_id ORDER BY e.id DESC",
            -1, &st, NULL))
        return EXAMD_EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct store_exam_row *nv =
                realloc(*out, sizeof **out * (size_t)cap);
            if (!nv)
                break;
            *out = nv;
        }
        struct store_exam_row *r = &(*out)[(*n)++];
        r->id = sqlite3_column_int64(st, 0);
        r->snapshot = strdup((const char *)sqlite3_column_text(st, 1));
        r->started = sqlite3_column_int(st, 2);
        r->submitted = sqlite3_column_int(st, 3);
        r->owner_id = sqlite3_column_int64(st, 4);
        r->contest_id = sqlite3_column_int64(st, 5);
        r->contest_owner_id = sqlite3_column_int64(st, 6);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

void store_exam_rows_free(struct store_exam_row *rows, int n)
{
    for (int i = 0; rows && i < n; i++)
        free(rows[i].snapshot);
    free(rows);
}
