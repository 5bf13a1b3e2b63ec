/*
 * store_class.c — units, classes, their members and who owns an exam.
 *
 * Units form a tree (parent_id): province party committee, party
 * committee, party cell, each with a target headcount. A class belongs to
 * one trainer and lists its members; members are candidate accounts made
 * from a roster (roster.c), each with at most one unit. Reads run on the
 * service thread's connection (one query each, a class is at most a few
 * hundred people); writes on the writer thread inside its savepoint, or
 * in the CLI.
 */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *store_col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return strdup(t ? (const char *)t : "");
}

bool store_grow(void **v, int *cap, int n, size_t sz)
{
    if (n < *cap)
        return true;
    int nc = *cap ? *cap * 2 : 16;
    void *nv = realloc(*v, sz * (size_t)nc);
    if (!nv)
        return false;
    memset((char *)nv + sz * (size_t)*cap, 0, sz * (size_t)(nc - *cap));
    *v = nv;
    *cap = nc;
    return true;
}

/* ---- units ---- */

int store_units_list(struct store *s, struct store_unit_row **out, int *n)
{
    sqlite3_stmt *st;
    int cap = 0, rc;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT u.id, coalesce(u.parent_id, 0), u.name,"
                           " u.target, (SELECT count(*) FROM users p"
                           "  WHERE p.unit_id = u.id)"
                           " FROM units u ORDER BY u.id",
                           -1, &st, NULL))
        return EXAMD_EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!store_grow((void **)out, &cap, *n, sizeof **out)) {
            rc = SQLITE_NOMEM;
            break;
        }
        struct store_unit_row *r = &(*out)[(*n)++];
        r->id = sqlite3_column_int64(st, 0);
        r->parent_id = sqlite3_column_int64(st, 1);
        r->name = store_col_dup(st, 2);
        r->target = sqlite3_column_int(st, 3);
        r->members = sqlite3_column_int(st, 4);
        if (!r->name) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE    ? 0
           : rc == SQLITE_NOMEM ? EXAMD_ENOMEM
                                : EXAMD_EIO;
}

void store_unit_rows_free(struct store_unit_row *rows, int n)
{
    for (int i = 0; rows && i < n; i++)
        free(rows[i].name);
    free(rows);
}

/* Run sql binding ?1 = a, ?2 = b, ?3 = t (as many as it names); its first
 * column as an int64 into *out (0 when no row). 0 or EXAMD_EIO. */
static int store_scalar(struct store *s, const char *sql, int64_t a, int64_t b,
                        const char *t, int64_t *out)
{
    sqlite3_stmt *st;
    *out = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL))
        return EXAMD_EIO;
    int np = sqlite3_bind_parameter_count(st);
    if (np >= 1)
        sqlite3_bind_int64(st, 1, a);
    if (np >= 2)
        sqlite3_bind_int64(st, 2, b);
    if (np >= 3)
        sqlite3_bind_text(st, 3, t, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

int store_unit_add(struct store *s, const char *name, int64_t parent_id,
                   int target, int64_t now_ms, int64_t *id)
{
    int64_t x;
    int rc;
    if (parent_id &&
        (rc = store_scalar(s, "SELECT count(*) FROM units WHERE id=?1",
                           parent_id, 0, NULL, &x)))
        return rc;
    if (parent_id && !x)
        return EXAMD_ENOTFOUND;
    if ((rc = store_scalar(s,
                           "SELECT count(*) FROM units WHERE"
                           " coalesce(parent_id, 0)=?1 AND name=?3",
                           parent_id, 0, name, &x)))
        return rc;
    if (x)
        return EXAMD_EEXISTS;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO units(parent_id, name, target,"
                           " created_ms) VALUES(nullif(?,0),?,?,?)",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, parent_id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, target);
    sqlite3_bind_int64(st, 4, now_ms);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : EXAMD_EIO;
    sqlite3_finalize(st);
    if (!rc && id)
        *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

/* ---- classes ---- */

#define STORE_CLASS_COLS                                                       \
    "c.id, c.trainer_id, coalesce(c.unit_id, 0), c.name, t.full_name,"         \
    " coalesce(u.name, ''), (SELECT count(*) FROM class_members m"             \
    "  WHERE m.class_id = c.id), c.archived, c.created_ms"                     \
    " FROM classes c JOIN users t ON t.id = c.trainer_id"                      \
    " LEFT JOIN units u ON u.id = c.unit_id"

static int store_class_read(sqlite3_stmt *st, struct store_class_row *r)
{
    r->id = sqlite3_column_int64(st, 0);
    r->trainer_id = sqlite3_column_int64(st, 1);
    r->unit_id = sqlite3_column_int64(st, 2);
    r->name = store_col_dup(st, 3);
    r->trainer_name = store_col_dup(st, 4);
    r->unit_name = store_col_dup(st, 5);
    r->members = sqlite3_column_int(st, 6);
    r->archived = sqlite3_column_int(st, 7);
    r->created_ms = sqlite3_column_int64(st, 8);
    return r->name && r->trainer_name && r->unit_name ? 0 : EXAMD_ENOMEM;
}

void store_class_row_fini(struct store_class_row *r)
{
    if (!r)
        return;
    free(r->name);
    free(r->trainer_name);
    free(r->unit_name);
    memset(r, 0, sizeof *r);
}

int store_classes_list(struct store *s, int64_t trainer_id,
                       struct store_class_row **out, int *n)
{
    sqlite3_stmt *st;
    int cap = 0, rc, err = 0;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT " STORE_CLASS_COLS
                           " WHERE ?1 = 0 OR c.trainer_id = ?1"
                           " ORDER BY c.id DESC",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, trainer_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !err) {
        if (!store_grow((void **)out, &cap, *n, sizeof **out)) {
            err = EXAMD_ENOMEM;
            break;
        }
        err = store_class_read(st, &(*out)[(*n)++]);
    }
    sqlite3_finalize(st);
    if (err)
        return err;
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

void store_class_rows_free(struct store_class_row *rows, int n)
{
    for (int i = 0; rows && i < n; i++)
        store_class_row_fini(&rows[i]);
    free(rows);
}

int store_class_get(struct store *s, int64_t id, struct store_class_row *out)
{
    sqlite3_stmt *st;
    memset(out, 0, sizeof *out);
    if (sqlite3_prepare_v2(s->db, "SELECT " STORE_CLASS_COLS " WHERE c.id=?",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    int err = rc == SQLITE_ROW    ? store_class_read(st, out)
              : rc == SQLITE_DONE ? EXAMD_ENOTFOUND
                                  : EXAMD_EIO;
    sqlite3_finalize(st);
    if (err)
        store_class_row_fini(out);
    return err;
}

int store_class_create(struct store *s, const char *name, int64_t trainer_id,
                       int64_t unit_id, int64_t now_ms, int64_t *id)
{
    int64_t x;
    int rc;
    if (unit_id &&
        (rc = store_scalar(s, "SELECT count(*) FROM units WHERE id=?1", unit_id,
                           0, NULL, &x)))
        return rc;
    if (unit_id && !x)
        return EXAMD_ENOTFOUND;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO classes(name, trainer_id, unit_id,"
                           " created_ms) VALUES(?,?,nullif(?,0),?)",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, trainer_id);
    sqlite3_bind_int64(st, 3, unit_id);
    sqlite3_bind_int64(st, 4, now_ms);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : EXAMD_EIO;
    sqlite3_finalize(st);
    if (!rc && id)
        *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

/* ---- members ---- */

/* The people sql selects (the columns of STORE_MEMBER_COLS, binding ?1 =
 * a, ?2 = b) into a new array. */
#define STORE_MEMBER_COLS                                                      \
    "SELECT p.id, p.username, p.full_name, p.birth_date, p.phone,"             \
    " coalesce(p.unit_id, 0), coalesce(u.name, '')"
static int store_member_rows_query(struct store *s, const char *sql, int64_t a,
                                   int64_t b, struct store_member_row **out,
                                   int *n)
{
    sqlite3_stmt *st;
    int cap = 0, rc, err = 0;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!store_grow((void **)out, &cap, *n, sizeof **out)) {
            err = EXAMD_ENOMEM;
            break;
        }
        struct store_member_row *r = &(*out)[(*n)++];
        r->id = sqlite3_column_int64(st, 0);
        snprintf(r->username, sizeof r->username, "%s",
                 sqlite3_column_text(st, 1));
        r->name = store_col_dup(st, 2);
        snprintf(r->birth, sizeof r->birth, "%s", sqlite3_column_text(st, 3));
        snprintf(r->phone, sizeof r->phone, "%s", sqlite3_column_text(st, 4));
        r->unit_id = sqlite3_column_int64(st, 5);
        r->unit_name = store_col_dup(st, 6);
        if (!r->name || !r->unit_name) {
            err = EXAMD_ENOMEM;
            break;
        }
    }
    sqlite3_finalize(st);
    if (err)
        return err;
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

int store_class_members(struct store *s, int64_t class_id, int64_t user_id,
                        struct store_member_row **out, int *n)
{
    return store_member_rows_query(
        s,
        STORE_MEMBER_COLS " FROM class_members m JOIN users p"
                          " ON p.id = m.user_id"
                          " LEFT JOIN units u ON u.id = p.unit_id"
                          " WHERE m.class_id = ?1 AND (?2 = 0 OR p.id = ?2)"
                          " ORDER BY p.full_name, p.id",
        class_id, user_id, out, n);
}

/* Results (results.h): the members of class_id, or with class_id 0 the
 * members of the exam's class and everyone who attempted it. */
int store_exam_people(struct store *s, int64_t exam_id, int64_t class_id,
                      struct store_member_row **out, int *n)
{
    return store_member_rows_query(
        s,
        STORE_MEMBER_COLS
        " FROM users p LEFT JOIN units u ON u.id = p.unit_id"
        " WHERE (?2 != 0 AND p.id IN (SELECT user_id FROM class_members"
        "  WHERE class_id = ?2))"
        " OR (?2 = 0 AND (p.id IN (SELECT user_id FROM attempts"
        "  WHERE exam_id = ?1) OR p.id IN (SELECT m.user_id FROM"
        "  class_members m JOIN exams e ON e.class_id = m.class_id"
        "  WHERE e.id = ?1)))"
        " ORDER BY p.id",
        exam_id, class_id, out, n);
}

void store_member_rows_free(struct store_member_row *rows, int n)
{
    for (int i = 0; rows && i < n; i++) {
        free(rows[i].name);
        free(rows[i].unit_name);
    }
    free(rows);
}

bool store_class_has_member(struct store *s, int64_t class_id, int64_t user_id)
{
    int64_t x;
    return !store_scalar(s,
                         "SELECT count(*) FROM class_members WHERE"
                         " class_id=?1 AND user_id=?2",
                         class_id, user_id, NULL, &x) &&
           x > 0;
}

bool store_username_taken(struct store *s, const char *username)
{
    int64_t x;
    return store_scalar(s, "SELECT count(*) FROM users WHERE username=?3", 0, 0,
                        username, &x) ||
           x > 0;
}

int store_member_add(struct store *s, int64_t class_id,
                     const struct store_new_member *m, int64_t now_ms,
                     int64_t *user_id)
{
    sqlite3_stmt *st;
    int rc;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO users(username, full_name, role,"
                           " pw_hash, unit_id, birth_date, phone, created_ms,"
                           " pw_changed_ms) VALUES(?,?,'candidate',?,"
                           "nullif(?,0),?,?,?,?)",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_text(st, 1, m->username, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, m->pw_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, m->unit_id);
    sqlite3_bind_text(st, 5, m->birth, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, m->phone, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, now_ms);
    sqlite3_bind_int64(st, 8, now_ms);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_CONSTRAINT)
        return EXAMD_EEXISTS;
    if (rc != SQLITE_DONE)
        return EXAMD_EIO;
    *user_id = sqlite3_last_insert_rowid(s->db);
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO class_members(class_id, user_id)"
                           " VALUES(?,?)",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, class_id);
    sqlite3_bind_int64(st, 2, *user_id);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : EXAMD_EIO;
    sqlite3_finalize(st);
    return rc;
}

int store_password_reset(struct store *s, int64_t user_id, const char *pw_hash,
                         int64_t now_ms)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "UPDATE users SET pw_hash=?, pw_changed_ms=?,"
                           " failed_logins=0, locked_until_ms=0"
                           " WHERE id=? AND role='candidate'",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_text(st, 1, pw_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now_ms);
    sqlite3_bind_int64(st, 3, user_id);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : EXAMD_EIO;
    sqlite3_finalize(st);
    if (!rc && sqlite3_changes(s->db) == 0)
        return EXAMD_ENOTFOUND;
    int64_t x;
    return rc ? rc
              : store_scalar(s, "DELETE FROM sessions WHERE user_id=?1",
                             user_id, 0, NULL, &x);
}

/* ---- exams of a trainer or a class ---- */

int store_exam_owner_set(struct store *s, int64_t exam_id, int64_t owner_id,
                         int64_t class_id)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "UPDATE exams SET owner_id=nullif(?,0),"
                           " class_id=nullif(?,0) WHERE id=?",
                           -1, &st, NULL))
        return EXAMD_EIO;
    sqlite3_bind_int64(st, 1, owner_id);
    sqlite3_bind_int64(st, 2, class_id);
    sqlite3_bind_int64(st, 3, exam_id);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : EXAMD_EIO;
    sqlite3_finalize(st);
    if (!rc && sqlite3_changes(s->db) == 0)
        rc = EXAMD_ENOTFOUND;
    return rc;
}

/* fn for every row of a two-column query. */
static int store_pairs_each(struct store *s, const char *sql,
                            void (*fn)(void *arg, int64_t a, int64_t b),
                            void *arg)
{
    sqlite3_stmt *st;
    int rc;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL))
        return EXAMD_EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(arg, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

int store_memberships_each(struct store *s,
                           void (*fn)(void *arg, int64_t a, int64_t b),
                           void *arg)
{
    return store_pairs_each(s, "SELECT class_id, user_id FROM class_members",
                            fn, arg);
}

int store_exam_classes_each(struct store *s,
                            void (*fn)(void *arg, int64_t a, int64_t b),
                            void *arg)
{
    return store_pairs_each(
        s, "SELECT id, class_id FROM exams WHERE class_id IS NOT NULL", fn,
        arg);
}
