/*
 * store_staff.c — banks and questions as the staff console reads and
 * edits them.
 *
 * Reads run on the service thread's connection (one indexed query each,
 * paged: a search scans the bank's folded texts, a few milliseconds for
 * ten thousand questions). Writes run on the writer thread inside its
 * transaction, each in a savepoint.
 *
 * Versions: a question that a published exam uses (exam_questions) is
 * never changed in place; saving it adds a new row of the same family
 * with version + 1 and marks the old row replaced (retired = 2), so old
 * attempts and statistics keep pointing at what candidates saw.
 */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_banks_list(struct store *s, bool all, struct store_bank_row **out,
                     int *n)
{
    sqlite3_stmt *st;
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT b.id, b.name, b.title, b.retired,"
                           " (SELECT count(*) FROM questions q WHERE"
                           "  q.bank_id = b.id AND q.retired = 0)"
                           " FROM banks b WHERE ? OR b.retired = 0"
                           " ORDER BY b.name",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_int(st, 1, all);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct store_bank_row *nv =
                realloc(*out, sizeof **out * (size_t)cap);
            if (!nv)
                break;
            *out = nv;
        }
        struct store_bank_row *r = &(*out)[(*n)++];
        r->id = sqlite3_column_int64(st, 0);
        snprintf(r->name, sizeof r->name, "%s", sqlite3_column_text(st, 1));
        r->title = strdup((const char *)sqlite3_column_text(st, 2));
        r->retired = sqlite3_column_int(st, 3);
        r->questions = sqlite3_column_int(st, 4);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

void store_bank_rows_free(struct store_bank_row *rows, int n)
{
    for (int i = 0; rows && i < n; i++)
        free(rows[i].title);
    free(rows);
}

int store_bank_get(struct store *s, int64_t id, struct store_bank_row *out)
{
    struct store_bank_row *rows;
    int n, rc = store_banks_list(s, true, &rows, &n);
    if (rc)
        return rc;
    rc = EXAMD_ENOTFOUND;
    for (int i = 0; i < n; i++)
        if (rows[i].id == id) {
            *out = rows[i];
            rows[i].title = NULL;
            rc = 0;
        }
    store_bank_rows_free(rows, n);
    return rc;
}

int store_bank_topics(struct store *s, int64_t bank_id,
                      struct store_topic_row **out, int *n)
{
    sqlite3_stmt *st;
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT topic, sum(difficulty=0), sum(difficulty=1),"
                           " sum(difficulty=2) FROM questions WHERE bank_id=?"
                           " AND retired=0 GROUP BY topic ORDER BY min(id)",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, bank_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct store_topic_row *nv =
                realloc(*out, sizeof **out * (size_t)cap);
            if (!nv)
                break;
            *out = nv;
        }
        struct store_topic_row *r = &(*out)[(*n)++];
        r->topic = strdup((const char *)sqlite3_column_text(st, 0));
        for (int d = 0; d < 3; d++)
            r->count[d] = sqlite3_column_int(st, 1 + d);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

void store_topic_rows_free(struct store_topic_row *rows, int n)
{
    for (int i = 0; rows && i < n; i++)
        free(rows[i].topic);
    free(rows);
}

#define STORE_QROW_COLS                                                        \
    "q.id, q.family_id, q.bank_id, q.version, q.retired,"                      \
    " EXISTS(SELECT 1 FROM exam_questions x WHERE x.question_id = q.id),"      \
    " q.ext_id, q.topic, q.difficulty, q.text, q.multi, q.points, q.shuffle,"  \
    " q.explanation"

/* Fill r from the current row of st (STORE_QROW_COLS) and its options. */
static int store_qrow_read(struct store *s, sqlite3_stmt *st,
                           struct store_qrow *r)
{
    sqlite3_stmt *so;
    struct bank_question *q = &r->q;
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    r->family_id = sqlite3_column_int64(st, 1);
    r->bank_id = sqlite3_column_int64(st, 2);
    r->version = sqlite3_column_int(st, 3);
    r->retired = sqlite3_column_int(st, 4);
    r->used = sqlite3_column_int(st, 5);
    q->ext_id = strdup((const char *)sqlite3_column_text(st, 6));
    q->topic = strdup((const char *)sqlite3_column_text(st, 7));
    q->difficulty = sqlite3_column_int(st, 8);
    q->text = strdup((const char *)sqlite3_column_text(st, 9));
    q->multi = sqlite3_column_int(st, 10);
    q->points = sqlite3_column_int(st, 11);
    q->shuffle = sqlite3_column_int(st, 12);
    q->explanation = strdup((const char *)sqlite3_column_text(st, 13));
    if (sqlite3_prepare_v2(s->db,
                           "SELECT text, correct, weight FROM options WHERE"
                           " question_id=? ORDER BY idx",
                           -1, &so, NULL))
        return EXAMD_EIO;
    sqlite3_bind_int64(so, 1, r->id);
    while (sqlite3_step(so) == SQLITE_ROW && q->n_options < EXAM_MAX_OPTIONS) {
        int k = q->n_options++;
        q->options[k] = strdup((const char *)sqlite3_column_text(so, 0));
        if (sqlite3_column_int(so, 1))
            q->key |= (uint8_t)(1u << k);
        q->weight[k] = sqlite3_column_int(so, 2);
    }
    sqlite3_finalize(so);
    return q->ext_id && q->topic && q->text && q->explanation ? 0
                                                              : EXAMD_ENOMEM;
}

void store_qrow_fini(struct store_qrow *r)
{
    bank_question_fini(&r->q);
}

void store_qrows_free(struct store_qrow *rows, int n)
{
    for (int i = 0; rows && i < n; i++)
        store_qrow_fini(&rows[i]);
    free(rows);
}

/* A LIKE pattern matching fold anywhere, with % _ \ escaped. */
static char *store_like_pattern(const char *fold)
{
    char *p = malloc(strlen(fold) * 2 + 3), *o = p;
    if (!p)
        return NULL;
    *o++ = '%';
    for (const char *c = fold; *c; c++) {
        if (*c == '%' || *c == '_' || *c == '\\')
            *o++ = '\\';
        *o++ = *c;
    }
    *o++ = '%';
    *o = 0;
    return p;
}

#define STORE_QFILTER                                                          \
    " FROM questions q WHERE (?1 = 0 OR q.bank_id = ?1)"                       \
    " AND (?2 IS NULL OR q.fold LIKE ?2 ESCAPE '\\')"                          \
    " AND (?3 IS NULL OR q.topic = ?3) AND (?4 < 0 OR q.difficulty = ?4)"      \
    " AND (CASE WHEN ?5 THEN q.retired <> 0 ELSE q.retired = 0 END)"

static void store_qfilter_bind(sqlite3_stmt *st, const struct store_qfilter *f,
                               const char *like)
{
    sqlite3_bind_int64(st, 1, f->bank_id);
    sqlite3_bind_text(st, 2, like, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, f->topic, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, f->difficulty);
    sqlite3_bind_int(st, 5, f->retired);
}

int store_questions_find(struct store *s, const struct store_qfilter *f,
                         struct store_qrow **out, int *n, int64_t *total)
{
    sqlite3_stmt *st = NULL;
    char *like = f->fold && *f->fold ? store_like_pattern(f->fold) : NULL;
    int rc = EXAMD_EIO;
    *out = NULL;
    *n = 0;
    *total = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*)" STORE_QFILTER, -1, &st,
                           NULL))
        goto fail;
    store_qfilter_bind(st, f, like);
    if (sqlite3_step(st) == SQLITE_ROW)
        *total = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(s->db,
                           "SELECT " STORE_QROW_COLS STORE_QFILTER
                           " ORDER BY q.id LIMIT ?6 OFFSET ?7",
                           -1, &st, NULL)) {
        st = NULL;
        goto fail;
    }
    store_qfilter_bind(st, f, like);
    sqlite3_bind_int(st, 6, f->limit);
    sqlite3_bind_int(st, 7, f->offset);
    *out = calloc((size_t)(f->limit > 0 ? f->limit : 1), sizeof **out);
    rc = EXAMD_ENOMEM;
    if (!*out)
        goto fail;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < f->limit)
        if (store_qrow_read(s, st, &(*out)[(*n)++]))
            break;
    rc = rc == SQLITE_DONE ? 0 : EXAMD_EIO;
fail:
    sqlite3_finalize(st);
    free(like);
    return rc;
}

int store_question_get(struct store *s, int64_t id, struct store_qrow *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT " STORE_QROW_COLS
                           " FROM questions q WHERE q.id=?",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st) == SQLITE_ROW ? store_qrow_read(s, st, out)
                                            : EXAMD_ENOTFOUND;
    sqlite3_finalize(st);
    return rc;
}

int store_bank_read(struct store *s, int64_t bank_id, struct bank **out)
{
    struct store_bank_row br;
    struct store_qfilter f = {bank_id, NULL, NULL, -1, false, 0, 100000};
    struct store_qrow *rows = NULL;
    int n = 0;
    int64_t total;
    int rc = store_bank_get(s, bank_id, &br);
    if (rc)
        return rc;
    struct bank *b = calloc(1, sizeof *b);
    if (!b || (rc = store_questions_find(s, &f, &rows, &n, &total)) ||
        !(b->q = calloc((size_t)(n ? n : 1), sizeof *b->q))) {
        free(br.title);
        store_qrows_free(rows, n);
        bank_free(b);
        return rc ? rc : EXAMD_ENOMEM;
    }
    b->name = strdup(br.name);
    b->title = br.title;
    for (int i = 0; i < n; i++) {
        b->q[i] = rows[i].q;
        b->q[i].line = i + 1;
        memset(&rows[i].q, 0, sizeof rows[i].q);
    }
    b->n = n;
    store_qrows_free(rows, n);
    *out = b;
    return b->name ? 0 : EXAMD_ENOMEM;
}

/* Run one UPDATE with an id; EXAMD_ENOTFOUND when it changed nothing. */
static int store_update_id(struct store *s, const char *sql, int64_t id)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : EXAMD_EIO;
    sqlite3_finalize(st);
    if (!rc && sqlite3_changes(s->db) == 0)
        rc = EXAMD_ENOTFOUND;
    return rc;
}

int store_bank_retire(struct store *s, int64_t id)
{
    return store_update_id(s, "UPDATE banks SET retired=1 WHERE id=?", id);
}

int store_question_retire(struct store *s, int64_t id)
{
    return store_update_id(
        s, "UPDATE questions SET retired=1 WHERE id=? AND retired=0", id);
}

/* Change a question nobody has frozen, in place. */
static int store_question_update(struct store *s, int64_t id,
                                 const struct bank_question *q)
{
    sqlite3_stmt *st;
    char *fold = store_question_fold(q);
    int rc = EXAMD_EIO;
    if (!fold)
        return EXAMD_ENOMEM;
    if (sqlite3_prepare_v2(s->db,
                           "UPDATE questions SET topic=?, difficulty=?,"
                           " text=?, multi=?, explanation=?, points=?,"
                           " shuffle=?, fold=? WHERE id=?",
                           -1, &st, NULL))
        goto fail;
    sqlite3_bind_text(st, 1, q->topic, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, q->difficulty);
    sqlite3_bind_text(st, 3, q->text, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, q->multi);
    sqlite3_bind_text(st, 5, q->explanation, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, q->points);
    sqlite3_bind_int(st, 7, q->shuffle);
    sqlite3_bind_text(st, 8, fold, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, id);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : EXAMD_EIO;
    sqlite3_finalize(st);
    if (!rc && store_update_id(s, "DELETE FROM options WHERE question_id=?",
                               id) == EXAMD_EIO)
        rc = EXAMD_EIO;
    if (!rc)
        rc = store_options_insert(s, id, q);
fail:
    free(fold);
    return rc;
}

int store_question_save(struct store *s, int64_t id, int64_t bank_id,
                        const struct bank_question *q, int64_t now_ms,
                        int64_t *out_id, int *version, bool *versioned)
{
    struct store_qrow old;
    int rc;
    *versioned = false;
    *version = 1;
    if (id) {
        if ((rc = store_question_get(s, id, &old)))
            return rc;
        bank_id = old.bank_id;
        bool used = old.used, current = old.retired == 0;
        int64_t family = old.family_id;
        *version = old.version;
        store_qrow_fini(&old);
        if (!current)
            return EXAMD_ECLOSED;
        if (store_question_same_text(s, bank_id, q->text, id))
            return EXAMD_EEXISTS;
        if (!used) {
            *out_id = id;
            return store_question_update(s, id, q);
        }
        if (store_savepoint(s, "SAVEPOINT"))
            return EXAMD_EIO;
        *versioned = true;
        (*version)++;
        if ((rc = store_update_id(s, "UPDATE questions SET retired=2 WHERE id=?",
                                  id)) ||
            (rc = store_question_insert(s, bank_id, family, *version, q, now_ms,
                                        out_id))) {
            store_savepoint_undo(s);
            return rc;
        }
        return store_savepoint(s, "RELEASE");
    }
    if (store_question_same_text(s, bank_id, q->text, 0))
        return EXAMD_EEXISTS;
    if (store_savepoint(s, "SAVEPOINT"))
        return EXAMD_EIO;
    if ((rc = store_question_insert(s, bank_id, 0, 1, q, now_ms, out_id))) {
        store_savepoint_undo(s);
        return rc;
    }
    return store_savepoint(s, "RELEASE");
}

int store_fold_backfill(struct store *s)
{
    sqlite3_stmt *st = NULL, *up = NULL;
    int rc = EXAMD_EIO;
    if (store_exec_sql(s, "BEGIN IMMEDIATE"))
        return EXAMD_EIO;
    if (sqlite3_prepare_v2(s->db, "SELECT id FROM questions WHERE fold=''",
                           -1, &st, NULL) ||
        sqlite3_prepare_v2(s->db, "UPDATE questions SET fold=? WHERE id=?",
                           -1, &up, NULL))
        goto fail;
    while (sqlite3_step(st) == SQLITE_ROW) {
        struct store_qrow r;
        char *fold = NULL;
        if (!store_question_get(s, sqlite3_column_int64(st, 0), &r)) {
            fold = store_question_fold(&r.q);
            store_qrow_fini(&r);
        }
        if (!fold)
            goto fail;
        sqlite3_bind_text(up, 1, fold, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(up, 2, sqlite3_column_int64(st, 0));
        free(fold);
        if (store_step_done(up))
            goto fail;
    }
    rc = 0;
fail:
    sqlite3_finalize(st);
    sqlite3_finalize(up);
    store_exec_sql(s, rc ? "ROLLBACK" : "COMMIT");
    return rc;
}
