/*
 * store_contest.c — contests and rounds in SQL (see store_contest.h).
 */
#include "store_contest.h"
#include "rank.h"
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

/* Prepare sql on s: the statement, or NULL. */
static sqlite3_stmt *sc_prepare(struct store *s, const char *sql)
{
    sqlite3_stmt *st;
    return sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) ? NULL : st;
}

/* Step a statement that returns nothing and finalize it: 0, EXAMD_EIO, or
 * EXAMD_ENOTFOUND when must_change and no row changed. */
static int sc_exec(struct store *s, sqlite3_stmt *st, bool must_change)
{
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : EXAMD_EIO;
    sqlite3_finalize(st);
    if (!rc && must_change && sqlite3_changes(s->db) == 0)
        rc = EXAMD_ENOTFOUND;
    return rc;
}

static int sc_done(int rc)
{
    return rc == SQLITE_DONE    ? 0
           : rc == SQLITE_NOMEM ? EXAMD_ENOMEM
                                : EXAMD_EIO;
}

/* Read a row of st into the element at p; false on malloc failure. */
typedef bool (*sc_row_fn)(sqlite3_stmt *st, void *p);

/* Every row of st (bound; finalized here) read by row into a new array
 * *out of *n elements of size sz (zeroed first). 0 or an error. */
static int sc_rows(sqlite3_stmt *st, size_t sz, sc_row_fn row, void **out,
                   int *n)
{
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!store_grow(out, &cap, *n, sz) ||
            !row(st, (char *)*out + sz * (size_t)(*n)++)) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_finalize(st);
    return sc_done(rc);
}

/* The one row of sql (its ?1 bound to id) read by row into out:
 * EXAMD_ENOTFOUND when there is none. */
static int sc_one(struct store *s, const char *sql, int64_t id, sc_row_fn row,
                  void *out)
{
    sqlite3_stmt *st = sc_prepare(s, sql);
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        rc = row(st, out) ? 0 : EXAMD_ENOMEM;
    else
        rc = rc == SQLITE_DONE ? EXAMD_ENOTFOUND : EXAMD_EIO;
    sqlite3_finalize(st);
    return rc;
}

/* ---- contests ---- */

#define SC_CONTEST_COLS                                                        \
    "c.id, coalesce(c.owner_id, 0), c.title, c.description,"                   \
    " c.open_registration, c.archived, c.created_ms,"                          \
    " (SELECT count(*) FROM exams e WHERE e.contest_id = c.id)"

static bool sc_contest_row(sqlite3_stmt *st, void *p)
{
    struct store_contest *c = p;
    c->id = sqlite3_column_int64(st, 0);
    c->owner_id = sqlite3_column_int64(st, 1);
    c->title = store_col_dup(st, 2);
    c->description = store_col_dup(st, 3);
    c->open_registration = sqlite3_column_int(st, 4) != 0;
    c->archived = sqlite3_column_int(st, 5) != 0;
    c->created_ms = sqlite3_column_int64(st, 6);
    c->rounds = sqlite3_column_int(st, 7);
    return c->title && c->description;
}

void store_contest_fini(struct store_contest *c)
{
    if (!c)
        return;
    free(c->title);
    free(c->description);
    c->title = c->description = NULL;
}

int store_contest_get(struct store *s, int64_t id, struct store_contest *out)
{
    memset(out, 0, sizeof *out);
    int rc = sc_one(s, "SELECT " SC_CONTEST_COLS " FROM contests c WHERE id=?",
                    id, sc_contest_row, out);
    if (rc)
        store_contest_fini(out);
    return rc;
}

int store_contests_list(struct store *s, int64_t owner_id, bool archived,
                        struct store_contest **out, int *n)
{
    sqlite3_stmt *st = sc_prepare(s, "SELECT " SC_CONTEST_COLS
                                     " FROM contests c WHERE (?1 = 0 OR"
                                     " c.owner_id = ?1) AND c.archived = ?2"
                                     " ORDER BY c.id DESC");
    *out = NULL;
    *n = 0;
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, owner_id);
    sqlite3_bind_int(st, 2, archived);
    return sc_rows(st, sizeof **out, sc_contest_row, (void **)out, n);
}

void store_contests_free(struct store_contest *v, int n)
{
    for (int i = 0; v && i < n; i++)
        store_contest_fini(&v[i]);
    free(v);
}

int store_contest_create(struct store *s, const struct store_contest *c,
                         int64_t *id)
{
    sqlite3_stmt *st =
        sc_prepare(s, "INSERT INTO contests(title, description, owner_id,"
                      " open_registration, archived, created_ms)"
                      " VALUES(?,?,nullif(?,0),?,0,?)");
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_text(st, 1, c->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, c->description ? c->description : "", -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, c->owner_id);
    sqlite3_bind_int(st, 4, c->open_registration);
    sqlite3_bind_int64(st, 5, c->created_ms);
    int rc = sc_exec(s, st, false);
    if (!rc)
        *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int store_contest_update(struct store *s, int64_t id, const char *title,
                         const char *description, int open_registration,
                         int archived)
{
    sqlite3_stmt *st = sc_prepare(
        s, "UPDATE contests SET title=coalesce(?1, title),"
           " description=coalesce(?2, description),"
           " open_registration=CASE WHEN ?3 < 0 THEN open_registration"
           "  ELSE ?3 END,"
           " archived=CASE WHEN ?4 < 0 THEN archived ELSE ?4 END WHERE id=?5");
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_text(st, 1, title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, description, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, open_registration);
    sqlite3_bind_int(st, 4, archived);
    sqlite3_bind_int64(st, 5, id);
    return sc_exec(s, st, true);
}

/* ---- rounds ---- */

/* A round's row: its fields (SC_ROUND_HEAD), its two attempt counts or
 * "0, 0" when the caller does not need them, then SC_ROUND_FROM. */
#define SC_ROUND_HEAD                                                          \
    "e.id, e.contest_id, coalesce(c.owner_id, 0), e.round_no, e.title,"        \
    " e.prizes, e.prediction, e.show_answers, e.results_published_ms,"         \
    " coalesce(e.window_opens_ms, -1), coalesce(e.window_closes_ms, -1)"
#define SC_ROUND_FROM " FROM exams e JOIN contests c ON c.id = e.contest_id"
#define SC_ROUND_COLS                                                          \
    SC_ROUND_HEAD                                                              \
    ", (SELECT count(*) FROM attempts a WHERE a.exam_id = e.id),"              \
    " (SELECT count(*) FROM attempts a WHERE a.exam_id = e.id"                 \
    "  AND a.state = 'submitted')" SC_ROUND_FROM

static bool sc_round_row(sqlite3_stmt *st, void *p)
{
    struct store_round *r = p;
    r->id = sqlite3_column_int64(st, 0);
    r->contest_id = sqlite3_column_int64(st, 1);
    r->owner_id = sqlite3_column_int64(st, 2);
    r->round_no = sqlite3_column_int(st, 3);
    r->title = store_col_dup(st, 4);
    r->prizes = store_col_dup(st, 5);
    r->prediction = sqlite3_column_int(st, 6) != 0;
    r->show_answers = sqlite3_column_int(st, 7) != 0;
    r->published_ms = sqlite3_column_int64(st, 8);
    r->window_opens_ms = sqlite3_column_int64(st, 9);
    r->window_closes_ms = sqlite3_column_int64(st, 10);
    r->started = sqlite3_column_int(st, 11);
    r->submitted = sqlite3_column_int(st, 12);
    return r->title && r->prizes;
}

void store_round_fini(struct store_round *r)
{
    if (!r)
        return;
    free(r->title);
    free(r->prizes);
    r->title = r->prizes = NULL;
}

int store_round_get(struct store *s, int64_t id, struct store_round *out)
{
    memset(out, 0, sizeof *out);
    int rc = sc_one(s, "SELECT " SC_ROUND_COLS " WHERE e.id=?", id,
                    sc_round_row, out);
    if (rc)
        store_round_fini(out);
    return rc;
}

int store_round_head(struct store *s, int64_t id, struct store_round *out)
{
    memset(out, 0, sizeof *out);
    int rc = sc_one(
        s, "SELECT " SC_ROUND_HEAD ", 0, 0" SC_ROUND_FROM " WHERE e.id=?", id,
        sc_round_row, out);
    if (rc)
        store_round_fini(out);
    return rc;
}

static bool sc_attempts_row(sqlite3_stmt *st, void *p)
{
    struct store_round *r = p;
    r->started = sqlite3_column_int(st, 0);
    r->submitted = sqlite3_column_int(st, 1);
    return true;
}

int store_round_count(struct store *s, struct store_round *r)
{
    return sc_one(s,
                  "SELECT count(*), coalesce(sum(state = 'submitted'), 0)"
                  " FROM attempts WHERE exam_id=?",
                  r->id, sc_attempts_row, r);
}

int store_contest_rounds(struct store *s, int64_t contest_id,
                         struct store_round **out, int *n)
{
    sqlite3_stmt *st = sc_prepare(
        s, "SELECT " SC_ROUND_COLS " WHERE e.contest_id=? ORDER BY e.round_no");
    *out = NULL;
    *n = 0;
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, contest_id);
    return sc_rows(st, sizeof **out, sc_round_row, (void **)out, n);
}

void store_rounds_free(struct store_round *v, int n)
{
    for (int i = 0; v && i < n; i++)
        store_round_fini(&v[i]);
    free(v);
}

int store_round_no(struct store *s, int64_t contest_id, int round_no,
                   bool *taken, int *next)
{
    sqlite3_stmt *st = sc_prepare(
        s, "SELECT coalesce(max(round_no), 0) + 1,"
           " coalesce(sum(round_no = ?2), 0) FROM exams WHERE contest_id=?1");
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, contest_id);
    sqlite3_bind_int(st, 2, round_no);
    int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : EXAMD_EIO;
    *next = sqlite3_column_int(st, 0);
    *taken = sqlite3_column_int(st, 1) != 0;
    sqlite3_finalize(st);
    return rc;
}

int store_round_set(struct store *s, int64_t id, const struct store_round *r)
{
    sqlite3_stmt *st =
        sc_prepare(s, "UPDATE exams SET contest_id=?, round_no=?, prizes=?,"
                      " prediction=?, show_answers=? WHERE id=?");
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, r->contest_id);
    sqlite3_bind_int(st, 2, r->round_no);
    sqlite3_bind_text(st, 3, r->prizes, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, r->prediction);
    sqlite3_bind_int(st, 5, r->show_answers);
    sqlite3_bind_int64(st, 6, id);
    return sc_exec(s, st, true);
}

int store_round_edit(struct store *s, int64_t id, const char *title,
                     const char *prizes, int prediction, int show_answers)
{
    sqlite3_stmt *st = sc_prepare(
        s, "UPDATE exams SET title=coalesce(?1, title),"
           " snapshot=CASE WHEN ?1 IS NULL THEN snapshot"
           "  ELSE json_set(snapshot, '$.title', ?1) END,"
           " prizes=coalesce(?2, prizes),"
           " prediction=CASE WHEN ?3 < 0 THEN prediction ELSE ?3 END,"
           " show_answers=CASE WHEN ?4 < 0 THEN show_answers ELSE ?4 END"
           " WHERE id=?5 AND contest_id IS NOT NULL");
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_text(st, 1, title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, prizes, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, prediction);
    sqlite3_bind_int(st, 4, show_answers);
    sqlite3_bind_int64(st, 5, id);
    return sc_exec(s, st, true);
}

int store_round_window(struct store *s, int64_t id, int64_t opens_ms,
                       int64_t closes_ms, int64_t duration_ms)
{
    sqlite3_stmt *st = sc_prepare(s, "UPDATE exams SET window_opens_ms=?,"
                                     " window_closes_ms=? WHERE id=?");
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, opens_ms);
    sqlite3_bind_int64(st, 2, closes_ms);
    sqlite3_bind_int64(st, 3, id);
    int rc = sc_exec(s, st, true);
    if (rc)
        return rc;
    /* exam_deadline_of: a re-opened attempt keeps its grant */
    st =
        sc_prepare(s, "UPDATE attempts SET deadline_ms ="
                      " CASE WHEN ?1 > 0 AND ?1 < coalesce(reopen_deadline_ms,"
                      "  started_ms + ?2) THEN ?1"
                      "  ELSE coalesce(reopen_deadline_ms, started_ms + ?2) END"
                      " WHERE exam_id=?3 AND state='running'");
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, closes_ms);
    sqlite3_bind_int64(st, 2, duration_ms);
    sqlite3_bind_int64(st, 3, id);
    return sc_exec(s, st, false);
}

int store_round_publish(struct store *s, int64_t id, int64_t ms)
{
    sqlite3_stmt *st =
        sc_prepare(s, "UPDATE exams SET results_published_ms=? WHERE id=?"
                      " AND contest_id IS NOT NULL");
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, ms);
    sqlite3_bind_int64(st, 2, id);
    return sc_exec(s, st, true);
}

int store_attempt_predict(struct store *s, int64_t attempt_id, int64_t value)
{
    sqlite3_stmt *st = sc_prepare(s, "UPDATE attempts SET prediction=?"
                                     " WHERE id=? AND state='running'");
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, value);
    sqlite3_bind_int64(st, 2, attempt_id);
    int rc = sc_exec(s, st, true);
    return rc == EXAMD_ENOTFOUND ? EXAMD_ECLOSED : rc;
}

int store_prediction_latest(struct store *s, int64_t exam_id, int64_t user_id,
                            bool *has, int64_t *value)
{
    sqlite3_stmt *st = sc_prepare(
        s, "SELECT prediction FROM attempts WHERE exam_id=? AND user_id=?"
           " AND prediction IS NOT NULL ORDER BY n DESC LIMIT 1");
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, exam_id);
    sqlite3_bind_int64(st, 2, user_id);
    int rc = sqlite3_step(st);
    *has = rc == SQLITE_ROW;
    *value = *has ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

/* ---- rankings, unit figures, the monitor ---- */

/* The numbers of an attempt row of store_round_entries into e. */
static void sc_entry_row(sqlite3_stmt *st, struct store_round_entry *e)
{
    e->user_id = sqlite3_column_int64(st, 0);
    e->attempt_id = sqlite3_column_int64(st, 1);
    e->n = sqlite3_column_int(st, 2);
    e->score_centi = sqlite3_column_int(st, 3);
    e->correct = sqlite3_column_int(st, 4);
    e->total = sqlite3_column_int(st, 5);
    e->started_ms = sqlite3_column_int64(st, 6);
    e->submitted_ms = sqlite3_column_int64(st, 7);
    e->unit_id = sqlite3_column_int64(st, 9);
    e->paused_ms = sqlite3_column_int64(st, 13);
}

/* One person's attempts, folded as they come (by n). */
struct sc_person {
    struct store_round_entry best; /* names owned once has_best */
    bool has_best;
};

/* Append p's counted attempt (if any) to out; false on malloc failure. */
static bool sc_person_flush(struct sc_person *p, struct store_round_entry **out,
                            int *n, int *cap)
{
    if (!p->has_best)
        return true;
    if (!store_grow((void **)out, cap, *n, sizeof **out))
        return false;
    (*out)[(*n)++] = p->best;
    p->has_best = false; /* the names moved to out */
    return true;
}

int store_round_entries(struct store *s, int64_t exam_id,
                        struct store_round_entry **out, int *n)
{
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    /* One pass over the exam's attempts in the order of the unique
     * index (exam, user, n): no subquery per row and no sort; each
     * person's count, latest prediction and best submitted attempt are
     * folded here. */
    sqlite3_stmt *st = sc_prepare(
        s, "SELECT a.user_id, a.id, a.n, coalesce(a.score_centi, 0),"
           " coalesce(a.correct, 0), coalesce(a.total, 0), a.started_ms,"
           " coalesce(a.submitted_ms, 0), u.full_name,"
           " coalesce(u.unit_id, 0), coalesce(un.name, ''), a.prediction,"
           " a.state = 'submitted', a.paused_ms"
           " FROM attempts a JOIN users u ON u.id = a.user_id"
           " LEFT JOIN units un ON un.id = u.unit_id"
           " WHERE a.exam_id=? ORDER BY a.user_id, a.n");
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, exam_id);
    struct sc_person p = {0};
    int64_t user = -1, tries = 0, latest = 0;
    bool has_latest = false;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_round_entry e = {0};
        sc_entry_row(st, &e);
        if (e.user_id != user) {
            if (!sc_person_flush(&p, out, n, &cap)) {
                rc = SQLITE_NOMEM;
                break;
            }
            user = e.user_id;
            tries = 0;
            has_latest = false;
        }
        tries++;
        if (sqlite3_column_type(st, 11) != SQLITE_NULL) { /* by n: the last
                                                             is the latest */
            has_latest = true;
            latest = sqlite3_column_int64(st, 11);
        }
        if (sqlite3_column_int(st, 12) &&
            (!p.has_best ||
             rank_attempt_better(e.score_centi, e.n, p.best.score_centi,
                                 p.best.n))) {
            e.name = p.has_best ? p.best.name : store_col_dup(st, 8);
            e.unit_name = p.has_best ? p.best.unit_name : store_col_dup(st, 10);
            p.best = e;
            p.has_best = true;
            if (!e.name || !e.unit_name) {
                rc = SQLITE_NOMEM;
                break;
            }
        }
        p.best.attempts = (int)tries;
        p.best.has_prediction = has_latest;
        p.best.prediction = latest;
    }
    if (rc == SQLITE_DONE && !sc_person_flush(&p, out, n, &cap))
        rc = SQLITE_NOMEM;
    if (p.has_best) {
        free(p.best.name);
        free(p.best.unit_name);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) { /* nothing half-read goes back */
        store_round_entries_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return sc_done(rc);
}

void store_round_entries_free(struct store_round_entry *v, int n)
{
    for (int i = 0; v && i < n; i++) {
        free(v[i].name);
        free(v[i].unit_name);
    }
    free(v);
}

int store_user_unit(struct store *s, int64_t user_id, int64_t *unit_id)
{
    sqlite3_stmt *st =
        sc_prepare(s, "SELECT coalesce(unit_id, 0) FROM users WHERE id=?");
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, user_id);
    int rc = sqlite3_step(st);
    *unit_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}
