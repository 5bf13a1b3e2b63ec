/*
 * store_live.c — live rounds, their players and answers (store_live.h).
 *
 * A round's snapshot is an exam snapshot (the same freezing code as a
 * published exam) cut to exactly the questions asked, in order, so a
 * restarted server asks the same questions whatever happened to the bank.
 */
#include "store_live.h"
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const store_live_states[] = {"lobby", "question", "reveal",
                                                "ended"};

const char *store_live_state_name(int state)
{
    return state >= 0 && state <= LIVE_ENDED ? store_live_states[state]
                                             : "lobby";
}

int store_live_state_parse(const char *name)
{
    for (int i = 0; name && i <= LIVE_ENDED; i++)
        if (!strcmp(name, store_live_states[i]))
            return i;
    return -1;
}

/* Cut snap's pool to the questions of the paper seed draws, in its order,
 * with their time limits. */
static int store_live_cut(json_t *snap, int seconds, const int *each,
                          int n_each, uint64_t seed, int *n_q, char *msg,
                          size_t msglen)
{
    struct exam *e = exam_from_json(snap, msg, msglen);
    if (!e)
        return EXAMD_EINVAL;
    struct paper_item p[EXAM_MAX_PAPER];
    int rc = paper_assemble(e, seed, p);
    json_t *pool = json_object_get(snap, "pool"), *cut = json_array(),
           *secs = json_array();
    for (int i = 0; !rc && i < e->n_paper; i++) {
        json_array_append(cut, json_array_get(pool, p[i].qi));
        json_array_append_new(secs,
                              json_integer(i < n_each ? each[i] : seconds));
    }
    *n_q = e->n_paper;
    exam_free(e);
    if (rc || json_object_set_new(snap, "pool", cut) ||
        json_object_set_new(snap, "live_seconds", secs) ||
        json_object_set_new(snap, "cells",
                            json_pack("[{si si}]", "n", *n_q, "count", *n_q)) ||
        json_object_set_new(snap, "random_selection", json_false()) ||
        json_object_set_new(snap, "shuffle_questions", json_false()))
        return EXAMD_ENOMEM;
    return 0;
}

int store_live_snapshot(struct store *s, const struct store_exam_spec *spec,
                        int seconds, const int *each, int n_each, uint64_t seed,
                        char **text, int *n_q, char *msg, size_t msglen)
{
    json_t *snap = NULL;
    *text = NULL;
    int rc = store_exam_snapshot(s, spec, &snap, msg, msglen);
    if (!rc)
        rc =
            store_live_cut(snap, seconds, each, n_each, seed, n_q, msg, msglen);
    if (!rc && !(*text = json_dumps(snap, JSON_COMPACT)))
        rc = EXAMD_ENOMEM;
    json_decref(snap);
    return rc;
}

static int store_live_prepare(struct store *s, const char *sql,
                              sqlite3_stmt **st)
{
    return sqlite3_prepare_v2(s->db, sql, -1, st, NULL) ? EXAMD_EIO : 0;
}

/* Run a one-shot statement and finalize it. */
static int store_live_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : EXAMD_EIO;
    sqlite3_finalize(st);
    return rc;
}

int store_live_create(struct store *s, struct store_live_row *r)
{
    sqlite3_stmt *st;
    if (store_live_prepare(s,
                           "SELECT 1 FROM live_rounds WHERE code = ?"
                           " AND state != 'ended'",
                           &st))
        return EXAMD_EIO;
    sqlite3_bind_text(st, 1, r->code, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step == SQLITE_ROW)
        return EXAMD_EEXISTS;
    if (step != SQLITE_DONE ||
        store_live_prepare(s,
                           "INSERT INTO live_rounds(owner_id, title, code,"
                           " snapshot, seconds, elimination, created_ms)"
                           " VALUES(?,?,?,?,?,?,?)",
                           &st))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, r->owner_id);
    sqlite3_bind_text(st, 2, r->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->snapshot, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, r->seconds);
    sqlite3_bind_int(st, 6, r->elimination);
    sqlite3_bind_int64(st, 7, r->created_ms);
    int rc = store_live_done(st);
    if (!rc)
        r->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int store_live_player_add(struct store *s, int64_t round_id,
                          struct live_player *p, int64_t joined_ms)
{
    sqlite3_stmt *st;
    if (store_live_prepare(s,
                           "INSERT INTO live_players(round_id, name, unit_id,"
                           " user_id, token_hash, eliminated_at, joined_ms)"
                           " VALUES(?,?,?,?,?,?,?)",
                           &st))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, round_id);
    sqlite3_bind_text(st, 2, p->name, -1, SQLITE_STATIC);
    if (p->unit_id)
        sqlite3_bind_int64(st, 3, p->unit_id);
    if (p->user_id)
        sqlite3_bind_int64(st, 4, p->user_id);
    sqlite3_bind_blob(st, 5, p->token_hash, sizeof p->token_hash,
                      SQLITE_STATIC);
    sqlite3_bind_int(st, 6, p->eliminated_at);
    sqlite3_bind_int64(st, 7, joined_ms);
    int rc = store_live_done(st);
    if (!rc)
        p->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int store_live_answer_add(struct store *s, int64_t round_id, int q,
                          int64_t player_id, uint8_t choice, int64_t server_ms,
                          int64_t elapsed_ms, bool correct)
{
    sqlite3_stmt *st;
    if (store_live_prepare(s,
                           "INSERT OR IGNORE INTO live_answers(round_id, q,"
                           " player_id, choice, server_ms, elapsed_ms,"
                           " correct) VALUES(?,?,?,?,?,?,?)",
                           &st))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, round_id);
    sqlite3_bind_int(st, 2, q);
    sqlite3_bind_int64(st, 3, player_id);
    sqlite3_bind_int(st, 4, choice);
    sqlite3_bind_int64(st, 5, server_ms);
    sqlite3_bind_int64(st, 6, elapsed_ms);
    sqlite3_bind_int(st, 7, correct);
    return store_live_done(st);
}

int store_live_state_set(struct store *s, const struct store_live_row *r,
                         bool eliminate)
{
    sqlite3_stmt *st;
    if (store_live_prepare(s,
                           "UPDATE live_rounds SET state = ?, current = ?,"
                           " q_started_ms = ?, q_deadline_ms = ? WHERE id = ?",
                           &st))
        return EXAMD_EIO;
    sqlite3_bind_text(st, 1, store_live_state_name(r->state), -1,
                      SQLITE_STATIC);
    sqlite3_bind_int(st, 2, r->current);
    sqlite3_bind_int64(st, 3, r->q_started_ms);
    sqlite3_bind_int64(st, 4, r->q_deadline_ms);
    sqlite3_bind_int64(st, 5, r->id);
    int rc = store_live_done(st);
    if (rc || !eliminate)
        return rc;
    if (store_live_prepare(
            s,
            "UPDATE live_players SET eliminated_at = ?2 WHERE round_id = ?1"
            " AND eliminated_at < 0 AND id NOT IN (SELECT player_id FROM"
            " live_answers WHERE round_id = ?1 AND q = ?2 AND correct)",
            &st))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, r->id);
    sqlite3_bind_int(st, 2, r->current);
    return store_live_done(st);
}

int store_live_unit_name(struct store *s, int64_t id, char *out, size_t n)
{
    sqlite3_stmt *st;
    if (store_live_prepare(s, "SELECT name FROM units WHERE id = ?", &st))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        snprintf(out, n, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return step == SQLITE_ROW    ? 0
           : step == SQLITE_DONE ? EXAMD_ENOTFOUND
                                 : EXAMD_EIO;
}

int store_live_revive(struct store *s, int64_t round_id)
{
    sqlite3_stmt *st;
    if (store_live_prepare(s,
                           "UPDATE live_players SET eliminated_at = -1"
                           " WHERE round_id = ?",
                           &st))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, round_id);
    int rc = store_live_done(st);
    if (rc || store_live_prepare(s,
                                 "UPDATE live_rounds SET revived = 1"
                                 " WHERE id = ?",
                                 &st))
        return rc ? rc : EXAMD_EIO;
    sqlite3_bind_int64(st, 1, round_id);
    return store_live_done(st);
}

static int store_live_load_players(struct store *s,
                                   const struct store_live_loader *l,
                                   int64_t round_id)
{
    sqlite3_stmt *st;
    int rc = 0, step;
    if (store_live_prepare(s,
                           "SELECT id, name, coalesce(unit_id, 0),"
                           " coalesce(user_id, 0), token_hash, eliminated_at"
                           " FROM live_players WHERE round_id = ? ORDER BY id",
                           &st))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, round_id);
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        struct live_player p = {0};
        p.id = sqlite3_column_int64(st, 0);
        snprintf(p.name, sizeof p.name, "%s", sqlite3_column_text(st, 1));
        p.unit_id = sqlite3_column_int64(st, 2);
        p.user_id = sqlite3_column_int64(st, 3);
        if (sqlite3_column_bytes(st, 4) == sizeof p.token_hash)
            memcpy(p.token_hash, sqlite3_column_blob(st, 4),
                   sizeof p.token_hash);
        p.eliminated_at = sqlite3_column_int(st, 5);
        rc = l->player(l->arg, round_id, &p);
    }
    sqlite3_finalize(st);
    if (!rc && store_live_prepare(s,
                                  "SELECT q, player_id, choice, elapsed_ms,"
                                  " correct FROM live_answers WHERE"
                                  " round_id = ? ORDER BY q",
                                  &st))
        return EXAMD_EIO;
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, round_id);
    while (!rc && sqlite3_step(st) == SQLITE_ROW)
        rc = l->answer(
            l->arg, round_id, sqlite3_column_int(st, 0),
            sqlite3_column_int64(st, 1), (uint8_t)sqlite3_column_int(st, 2),
            sqlite3_column_int64(st, 3), sqlite3_column_int(st, 4) != 0);
    sqlite3_finalize(st);
    return rc;
}

/* The rounds the WHERE clause where (one ? bound to v) picks. */
static int store_live_load_where(struct store *s, const char *where, int64_t v,
                                 const struct store_live_loader *l)
{
    sqlite3_stmt *st;
    char sql[400];
    int rc = 0;
    snprintf(sql, sizeof sql,
             "SELECT id, coalesce(owner_id, 0), title, code,"
             " snapshot, seconds, elimination, revived, state,"
             " current, created_ms, q_started_ms,"
             " q_deadline_ms FROM live_rounds WHERE %s ORDER BY id",
             where);
    if (store_live_prepare(s, sql, &st))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, v);
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        struct store_live_row r = {0};
        r.id = sqlite3_column_int64(st, 0);
        r.owner_id = sqlite3_column_int64(st, 1);
        r.title = (const char *)sqlite3_column_text(st, 2);
        snprintf(r.code, sizeof r.code, "%s", sqlite3_column_text(st, 3));
        r.snapshot = (const char *)sqlite3_column_text(st, 4);
        r.seconds = sqlite3_column_int(st, 5);
        r.elimination = sqlite3_column_int(st, 6) != 0;
        r.revived = sqlite3_column_int(st, 7) != 0;
        r.state =
            store_live_state_parse((const char *)sqlite3_column_text(st, 8));
        r.current = sqlite3_column_int(st, 9);
        r.created_ms = sqlite3_column_int64(st, 10);
        r.q_started_ms = sqlite3_column_int64(st, 11);
        r.q_deadline_ms = sqlite3_column_int64(st, 12);
        rc = l->round(l->arg, &r);
        if (!rc)
            rc = store_live_load_players(s, l, r.id);
    }
    sqlite3_finalize(st);
    return rc;
}

int store_live_load(struct store *s, int64_t since_ms,
                    const struct store_live_loader *l)
{
    return store_live_load_where(s, "state != 'ended' OR created_ms >= ?",
                                 since_ms, l);
}

int store_live_load_one(struct store *s, int64_t round_id,
                        const struct store_live_loader *l)
{
    return store_live_load_where(s, "id = ?", round_id, l);
}
