/*
 * store_join.c — join codes and the accounts of contest participants
 * (join.h, docs/security.md "Join codes").
 *
 * join_codes holds only keyed hashes (the primary key), so checking a
 * code is one indexed lookup. A joined account is a candidate whose
 * pw_hash is JOIN_PW_MARKER "<exam>:<code tag>": no password verifies
 * against it, and it says which exam and which code brought the person
 * in, which is how codes are counted as used without another column.
 *
 * The check and the unit reads run on the service thread (a join storm:
 * statements prepared per call cost some microseconds, well below the
 * fsync the join waits for anyway); the writes on the writer thread
 * inside a staff job's savepoint.
 */
#include "join.h"
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prepare sql binding ?1 and ?2 as integers (when it names them). */
static sqlite3_stmt *sj_prepare(struct store *s, const char *sql, int64_t a,
                                int64_t b)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    int np = sqlite3_bind_parameter_count(st);
    if (np >= 1)
        sqlite3_bind_int64(st, 1, a);
    if (np >= 2)
        sqlite3_bind_int64(st, 2, b);
    return st;
}

/* Step st once; its first column into *out (0 without a row); finalize. */
static int sj_int(sqlite3_stmt *st, int64_t *out)
{
    *out = 0;
    if (!st)
        return EXAMD_EIO;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

int store_join_code_find(struct store *s, const uint8_t hash[32],
                         int64_t now_ms, int64_t *exam_id, int64_t *unit_id)
{
    sqlite3_stmt *st = sj_prepare(s,
                                  "SELECT exam_id, coalesce(unit_id, 0)"
                                  " FROM join_codes WHERE hash=?3"
                                  " AND revoked=0 AND (expires_ms=0"
                                  " OR expires_ms>?1)",
                                  now_ms, 0);
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_blob(st, 3, hash, JOIN_HASH_BYTES, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *exam_id = sqlite3_column_int64(st, 0);
        *unit_id = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW    ? 0
           : rc == SQLITE_DONE ? EXAMD_ENOTFOUND
                               : EXAMD_EIO;
}

int store_join_codes_add(struct store *s, const struct store_join_codes *c,
                         int64_t now_ms)
{
    sqlite3_stmt *st;
    int rc = 0;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO join_codes(hash, exam_id, unit_id,"
                           " created_by, created_ms, expires_ms)"
                           " VALUES(?,?,nullif(?,0),nullif(?,0),?,?)",
                           -1, &st, NULL))
        return EXAMD_EIO;
    for (int i = 0; i < c->n && !rc; i++) {
        sqlite3_bind_blob(st, 1, c->hashes[i], JOIN_HASH_BYTES, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, c->exam_id);
        sqlite3_bind_int64(st, 3, c->unit_id);
        sqlite3_bind_int64(st, 4, c->created_by);
        sqlite3_bind_int64(st, 5, now_ms);
        sqlite3_bind_int64(st, 6, c->expires_ms);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : EXAMD_EIO;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

int store_join_codes_revoke(struct store *s, int64_t exam_id, int *n)
{
    sqlite3_stmt *st = sj_prepare(s,
                                  "UPDATE join_codes SET revoked=1"
                                  " WHERE exam_id=?1 AND revoked=0",
                                  exam_id, 0);
    int rc = st && sqlite3_step(st) == SQLITE_DONE ? 0 : EXAMD_EIO;
    sqlite3_finalize(st);
    *n = rc ? 0 : sqlite3_changes(s->db);
    return rc;
}

int store_join_codes_stats(struct store *s, int64_t exam_id, int64_t now_ms,
                           struct store_join_stats *out)
{
    char like[40];
    int64_t v[6];
    snprintf(like, sizeof like, JOIN_PW_MARKER "%lld:%%", (long long)exam_id);
    sqlite3_stmt *st = sj_prepare(
        s,
        "SELECT count(*), coalesce(sum(revoked), 0),"
        " coalesce(sum(revoked=0 AND expires_ms!=0 AND expires_ms<=?2), 0),"
        " (SELECT count(*) FROM users WHERE pw_hash LIKE ?3),"
        " (SELECT count(DISTINCT pw_hash) FROM users WHERE pw_hash LIKE ?3)"
        " FROM join_codes WHERE exam_id=?1",
        exam_id, now_ms);
    memset(out, 0, sizeof *out);
    if (!st)
        return EXAMD_EIO;
    sqlite3_bind_text(st, 3, like, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    for (int i = 0; i < 5; i++)
        v[i] = rc == SQLITE_ROW ? sqlite3_column_int64(st, i) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return EXAMD_EIO;
    out->created = v[0];
    out->revoked = v[1];
    out->expired = v[2];
    out->active = v[0] - v[1] - v[2];
    out->joined = v[3];
    out->used = v[4];
    return 0;
}

bool store_join_unit_within(struct store *s, int64_t unit_id, int64_t root_id)
{
    int64_t n = 0;
    if (root_id == 0)
        return !sj_int(sj_prepare(s, "SELECT count(*) FROM units WHERE id=?1",
                                  unit_id, 0),
                       &n) &&
               n > 0;
    return !sj_int(sj_prepare(s,
                              "WITH RECURSIVE up(id, parent) AS ("
                              " SELECT id, parent_id FROM units WHERE id=?1"
                              " UNION ALL SELECT u.id, u.parent_id FROM units"
                              " u JOIN up ON u.id = up.parent)"
                              " SELECT count(*) FROM up WHERE id=?2",
                              unit_id, root_id),
                   &n) &&
           n > 0;
}

int store_join_units(struct store *s, int64_t root_id,
                     struct store_unit_row **out, int *n)
{
    sqlite3_stmt *st = sj_prepare(
        s,
        root_id ? "WITH RECURSIVE down(id) AS (SELECT ?1 UNION ALL"
                  " SELECT u.id FROM units u JOIN down ON u.parent_id ="
                  " down.id) SELECT u.id, coalesce(u.parent_id, 0), u.name"
                  " FROM units u JOIN down ON down.id = u.id ORDER BY u.id"
                : "SELECT id, coalesce(parent_id, 0), name FROM units"
                  " ORDER BY id",
        root_id, 0);
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    if (!st)
        return EXAMD_EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            void *p = realloc(*out, (size_t)cap * sizeof **out);
            if (!p) {
                rc = SQLITE_NOMEM;
                break;
            }
            *out = p;
        }
        struct store_unit_row *r = &(*out)[*n];
        const unsigned char *name = sqlite3_column_text(st, 2);
        memset(r, 0, sizeof *r);
        r->id = sqlite3_column_int64(st, 0);
        r->parent_id = sqlite3_column_int64(st, 1);
        if (!(r->name = strdup(name ? (const char *)name : ""))) {
            rc = SQLITE_NOMEM;
            break;
        }
        ++*n;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return 0;
    store_unit_rows_free(*out, *n);
    *out = NULL;
    *n = 0;
    return rc == SQLITE_NOMEM ? EXAMD_ENOMEM : EXAMD_EIO;
}

int store_join_user_add(struct store *s, const struct store_join_user *u,
                        int64_t now_ms, int64_t *user_id, bool *created)
{
    sqlite3_stmt *st;
    char marker[64];
    snprintf(marker, sizeof marker, JOIN_PW_MARKER "%lld:%s",
             (long long)u->exam_id, u->tag);
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO users(username, full_name, role,"
                           " pw_hash, unit_id, birth_date, phone, created_ms)"
                           " VALUES(?,?,'candidate',?,nullif(?,0),?,?,?)"
                           " ON CONFLICT(username) DO NOTHING",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_text(st, 1, u->username, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, u->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, marker, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, u->unit_id);
    sqlite3_bind_text(st, 5, u->birth, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, u->phone, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, now_ms);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return EXAMD_EIO;
    *created = sqlite3_changes(s->db) > 0;
    if (*created) {
        *user_id = sqlite3_last_insert_rowid(s->db);
        return 0;
    }
    /* the same person joined a moment ago: theirs, if it is a joined
     * account of this exam */
    snprintf(marker, sizeof marker, JOIN_PW_MARKER "%lld:%%",
             (long long)u->exam_id);
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id FROM users WHERE username=? AND"
                           " role='candidate' AND disabled=0 AND"
                           " pw_hash LIKE ?",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_text(st, 1, u->username, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, marker, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    *user_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? EXAMD_EEXISTS : EXAMD_EIO;
}
