/*
 * store_user.c — accounts, login throttling counters and the audit log.
 *
 * The writes run on the writer thread (inside its transaction, in a staff
 * job's savepoint) or in the CLI's own transaction; the reads (the users
 * list, a login's throttle state) on the service thread. None is on the
 * answer path, so statements are prepared per call. The audit log's chain
 * is computed by audit.c; appending reads the last entry inside the same
 * write transaction, so two writers can never chain to the same entry.
 */
#include "audit.h"
#include "store_int.h"
#include "text.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Prepare sql and bind its parameters from the variadic list, one per
 * letter of types: 'I' int64_t, 'T' const char * (NULL binds NULL),
 * 'B' a 32-byte hash. NULL when it cannot be prepared.
 */
static sqlite3_stmt *su_prepare(struct store *s, const char *sql,
                                const char *types, ...)
{
    sqlite3_stmt *st;
    va_list ap;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    va_start(ap, types);
    for (int i = 0; types[i]; i++) {
        if (types[i] == 'I') {
            sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
        } else if (types[i] == 'T') {
            const char *t = va_arg(ap, const char *);
            sqlite3_bind_text(st, i + 1, t, -1, SQLITE_TRANSIENT);
        } else {
            const uint8_t *b = va_arg(ap, const uint8_t *);
            sqlite3_bind_blob(st, i + 1, b, AUDIT_HASH_BYTES, SQLITE_TRANSIENT);
        }
    }
    va_end(ap);
    return st;
}

/* Step a statement with no rows and finalize it: 0 or EXAMD_EIO; with
 * must_change, EXAMD_ENOTFOUND when no row changed. */
static int su_done(struct store *s, sqlite3_stmt *st, bool must_change)
{
    if (!st)
        return EXAMD_EIO;
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return EXAMD_EIO;
    return must_change && sqlite3_changes(s->db) == 0 ? EXAMD_ENOTFOUND : 0;
}

/* The first column of the first row as an integer (def when none). */
static int su_int(sqlite3_stmt *st, int64_t def, int64_t *out)
{
    if (!st)
        return EXAMD_EIO;
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : def;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

static void su_copy(char *dst, size_t n, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, n, "%s", t ? (const char *)t : "");
}

/* ---- accounts ---- */

/* Does row u match the search key fold (NULL = everything)? */
static bool su_user_matches(const struct store_user_row *u, const char *fold)
{
    char both[sizeof u->username + sizeof u->name + 1];
    if (!fold)
        return true;
    snprintf(both, sizeof both, "%s %s", u->username, u->name);
    char *key = text_fold(both);
    bool yes = key && strstr(key, fold);
    free(key);
    return yes;
}

/* Append u to *rows (growing it); false on malloc failure. */
static bool su_user_push(struct store_user_row **rows, int *n, int *cap,
                         const struct store_user_row *u)
{
    if (*n == *cap) {
        int c = *cap ? *cap * 2 : 64;
        struct store_user_row *r = realloc(*rows, (size_t)c * sizeof *r);
        if (!r)
            return false;
        *rows = r;
        *cap = c;
    }
    (*rows)[(*n)++] = *u;
    return true;
}

/*
 * The search runs in C over the role's rows because names are matched
 * without their diacritics (text_fold) and the users table keeps no
 * folded column: O(accounts) per search, a few milliseconds for tens of
 * thousands of accounts, on an admin's screen only.
 */
int store_users_find(struct store *s, const struct store_ufilter *f,
                     int64_t now_ms, struct store_user_row **out, int *n,
                     int64_t *total)
{
    const char *role = f && f->role && *f->role ? f->role : NULL;
    const char *fold = f && f->fold && *f->fold ? f->fold : NULL;
    int64_t offset = f ? f->offset : 0;
    int limit = f ? f->limit : 0;
    sqlite3_stmt *st = su_prepare(
        s,
        "SELECT u.id, u.username, u.full_name, u.role, coalesce(n.name,''),"
        " coalesce(u.unit_id, 0), u.disabled, u.locked_until_ms > ?1"
        " FROM users u LEFT JOIN units n ON n.id = u.unit_id"
        " WHERE ?2 IS NULL OR u.role = ?2"
        "  OR (?2 = 'staff' AND u.role != 'candidate') ORDER BY u.id",
        "IT", now_ms, role);
    struct store_user_row *rows = NULL, u;
    int cap = 0, rc;
    *n = 0;
    *total = 0;
    if (!st)
        return EXAMD_EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        u.id = sqlite3_column_int64(st, 0);
        su_copy(u.username, sizeof u.username, st, 1);
        su_copy(u.name, sizeof u.name, st, 2);
        su_copy(u.role, sizeof u.role, st, 3);
        su_copy(u.unit, sizeof u.unit, st, 4);
        u.unit_id = sqlite3_column_int64(st, 5);
        u.disabled = sqlite3_column_int(st, 6) != 0;
        u.locked = sqlite3_column_int(st, 7) != 0;
        if (!su_user_matches(&u, fold))
            continue;
        if (++*total > offset && (limit <= 0 || *n < limit) &&
            !su_user_push(&rows, n, &cap, &u)) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(rows);
        *n = 0;
        return rc == SQLITE_NOMEM ? EXAMD_ENOMEM : EXAMD_EIO;
    }
    *out = rows;
    return 0;
}

int store_users_list(struct store *s, int64_t now_ms,
                     struct store_user_row **out, int *n)
{
    int64_t total;
    return store_users_find(s, NULL, now_ms, out, n, &total);
}

bool store_unit_exists(struct store *s, int64_t unit_id)
{
    int64_t n = 0;
    return !su_int(su_prepare(s, "SELECT count(*) FROM units WHERE id=?", "I",
                              unit_id),
                   0, &n) &&
           n > 0;
}

int store_login_state(struct store *s, int64_t user_id, const char *ip,
                      int64_t now_ms, int64_t *user_until, int64_t *ip_until)
{
    int rc = su_int(su_prepare(s,
                               "SELECT locked_until_ms FROM users WHERE id=?"
                               " AND locked_until_ms > ?",
                               "II", user_id, now_ms),
                    0, user_until);
    if (!rc)
        rc = su_int(su_prepare(s,
                               "SELECT locked_until_ms FROM login_failures"
                               " WHERE ip=? AND locked_until_ms > ?",
                               "TI", ip, now_ms),
                    0, ip_until);
    return rc;
}

int store_user_unit_set(struct store *s, int64_t user_id, int64_t unit_id)
{
    return su_done(s,
                   su_prepare(s, "UPDATE users SET unit_id=? WHERE id=?", "II",
                              unit_id, user_id),
                   true);
}

int store_user_disabled_set(struct store *s, int64_t user_id, bool disabled)
{
    return su_done(
        s,
        su_prepare(s,
                   disabled ? "UPDATE users SET disabled=1 WHERE id=?"
                            : "UPDATE users SET disabled=0, failed_logins=0,"
                              " locked_until_ms=0 WHERE id=?",
                   "I", user_id),
        true);
}

int store_user_password_set(struct store *s, int64_t user_id,
                            const char *pw_hash, int64_t now_ms)
{
    return su_done(s,
                   su_prepare(s,
                              "UPDATE users SET pw_hash=?, pw_changed_ms=?,"
                              " failed_logins=0, locked_until_ms=0"
                              " WHERE id=?",
                              "TII", pw_hash, now_ms, user_id),
                   true);
}

int store_user_sessions_end(struct store *s, int64_t user_id)
{
    return su_done(
        s, su_prepare(s, "DELETE FROM sessions WHERE user_id=?", "I", user_id),
        false);
}

int store_user_login_ok(struct store *s, int64_t user_id, const char *new_hash)
{
    int rc = su_done(s,
                     su_prepare(s,
                                "UPDATE users SET failed_logins=0,"
                                " locked_until_ms=0 WHERE id=?"
                                " AND failed_logins != 0",
                                "I", user_id),
                     false);
    if (!rc && new_hash)
        rc = su_done(s,
                     su_prepare(s, "UPDATE users SET pw_hash=? WHERE id=?",
                                "TI", new_hash, user_id),
                     true);
    return rc;
}

int store_user_failure_add(struct store *s, int64_t user_id, int *failures)
{
    int64_t n = 0;
    int rc = su_done(s,
                     su_prepare(s,
                                "UPDATE users SET failed_logins ="
                                " failed_logins + 1 WHERE id=?",
                                "I", user_id),
                     true);
    if (!rc)
        rc = su_int(su_prepare(s, "SELECT failed_logins FROM users WHERE id=?",
                               "I", user_id),
                    0, &n);
    *failures = (int)n;
    return rc;
}

int store_user_lock_set(struct store *s, int64_t user_id, int64_t until_ms)
{
    return su_done(s,
                   su_prepare(s,
                              "UPDATE users SET locked_until_ms=? WHERE id=?",
                              "II", until_ms, user_id),
                   true);
}

int store_ip_failure_add(struct store *s, const char *ip, int64_t now_ms,
                         int64_t window_ms, int *failures)
{
    int64_t n = 0;
    int rc =
        su_done(s,
                su_prepare(s,
                           "INSERT INTO login_failures(ip, failures, last_ms)"
                           " VALUES(?1, 1, ?2) ON CONFLICT(ip) DO UPDATE SET"
                           " failures = CASE WHEN last_ms < ?2 - ?3 THEN 1"
                           " ELSE failures + 1 END, last_ms = ?2",
                           "TII", ip, now_ms, window_ms),
                false);
    if (!rc)
        rc = su_int(su_prepare(s,
                               "SELECT failures FROM login_failures"
                               " WHERE ip=?",
                               "T", ip),
                    0, &n);
    *failures = (int)n;
    return rc;
}

int store_ip_lock_set(struct store *s, const char *ip, int64_t until_ms)
{
    return su_done(s,
                   su_prepare(s,
                              "UPDATE login_failures SET locked_until_ms=?"
                              " WHERE ip=?",
                              "IT", until_ms, ip),
                   true);
}

/* ---- the audit log ---- */

int store_audit_append(struct store *s, int64_t at_ms, int64_t actor_id,
                       const char *ip, const char *action, const char *detail)
{
    uint8_t prev[AUDIT_HASH_BYTES] = {0}, hash[AUDIT_HASH_BYTES];
    int64_t last = 0;
    sqlite3_stmt *st = su_prepare(
        s, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", "");
    if (!st)
        return EXAMD_EIO;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        last = sqlite3_column_int64(st, 0);
        if (sqlite3_column_bytes(st, 1) == AUDIT_HASH_BYTES)
            memcpy(prev, sqlite3_column_blob(st, 1), AUDIT_HASH_BYTES);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return EXAMD_EIO;
    struct audit_entry e = {last + 1,     at_ms,  actor_id,
                            ip ? ip : "", action, detail ? detail : ""};
    if (audit_chain_hash(prev, &e, hash))
        return EXAMD_ENOMEM;
    return su_done(s,
                   su_prepare(s,
                              "INSERT INTO audit(id, at_ms, actor_id, ip,"
                              " action, detail, prev_hash, hash)"
                              " VALUES(?,?,nullif(?,0),?,?,?,?,?)",
                              "IIITTTBB", e.id, at_ms, actor_id, e.ip, action,
                              e.detail, prev, hash),
                   false);
}

/* The audit row st is on, as an entry (strings borrowed from st). */
static void su_audit_entry(sqlite3_stmt *st, struct audit_entry *e)
{
    e->id = sqlite3_column_int64(st, 0);
    e->at_ms = sqlite3_column_int64(st, 1);
    e->actor_id = sqlite3_column_int64(st, 2);
    e->ip = (const char *)sqlite3_column_text(st, 3);
    e->action = (const char *)sqlite3_column_text(st, 4);
    e->detail = (const char *)sqlite3_column_text(st, 5);
}

/* Call fn for every row of st (id, at_ms, actor_id, ip, action, detail,
 * the actor's username) and finalize it. 0 or EXAMD_EIO. */
static int su_audit_each(sqlite3_stmt *st,
                         void (*fn)(void *arg, const struct store_audit_row *r),
                         void *arg)
{
    int rc;
    if (!st)
        return EXAMD_EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct audit_entry e;
        struct store_audit_row r;
        su_audit_entry(st, &e);
        r.id = e.id;
        r.at_ms = e.at_ms;
        r.actor_id = e.actor_id;
        r.ip = e.ip ? e.ip : "";
        r.action = e.action ? e.action : "";
        r.detail = e.detail ? e.detail : "";
        su_copy(r.actor, sizeof r.actor, st, 6);
        fn(arg, &r);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

int store_audit_list(struct store *s, int limit,
                     void (*fn)(void *arg, const struct store_audit_row *r),
                     void *arg)
{
    sqlite3_stmt *st = su_prepare(
        s,
        "SELECT * FROM (SELECT a.id, a.at_ms, a.actor_id, a.ip, a.action,"
        " a.detail, coalesce(u.username, '') FROM audit a LEFT JOIN users u"
        " ON u.id = a.actor_id ORDER BY a.id DESC LIMIT ?) ORDER BY 1",
        "I", (int64_t)(limit > 0 ? limit : -1));
    return su_audit_each(st, fn, arg);
}

/* The WHERE clause of an action filter ?1: that action and the ones
 * under it ("user" matches "user" and "user.add"), or all when NULL. */
#define SU_AUDIT_ACTION                                                        \
    " WHERE ?1 IS NULL OR a.action = ?1"                                       \
    "  OR substr(a.action, 1, length(?1) + 1) = ?1 || '.'"

int store_audit_page(struct store *s, const char *action, int64_t offset,
                     int limit,
                     void (*fn)(void *arg, const struct store_audit_row *r),
                     void *arg, int64_t *total)
{
    const char *act = action && *action ? action : NULL;
    int rc = su_int(
        su_prepare(s, "SELECT count(*) FROM audit a" SU_AUDIT_ACTION, "T", act),
        0, total);
    sqlite3_stmt *st =
        rc ? NULL
           : su_prepare(s,
                        "SELECT a.id, a.at_ms, coalesce(a.actor_id, 0), a.ip,"
                        " a.action, a.detail, coalesce(u.username, '')"
                        " FROM audit a LEFT JOIN users u"
                        " ON u.id = a.actor_id" SU_AUDIT_ACTION
                        " ORDER BY a.id DESC LIMIT ?2 OFFSET ?3",
                        "TII", act, (int64_t)(limit > 0 ? limit : -1), offset);
    return rc ? rc : su_audit_each(st, fn, arg);
}

int store_audit_actions(struct store *s,
                        void (*fn)(void *arg, const char *action), void *arg)
{
    sqlite3_stmt *st =
        su_prepare(s, "SELECT DISTINCT action FROM audit ORDER BY action", "");
    int rc;
    if (!st)
        return EXAMD_EIO;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(arg, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : EXAMD_EIO;
}

/* Check one row against the chain so far; 0, or EXAMD_EINVAL with msg. */
static int su_audit_check(sqlite3_stmt *st, int64_t want_id,
                          const uint8_t prev[AUDIT_HASH_BYTES],
                          uint8_t hash[AUDIT_HASH_BYTES], char *msg,
                          size_t msglen)
{
    struct audit_entry e;
    uint8_t calc[AUDIT_HASH_BYTES];
    su_audit_entry(st, &e);
    if (sqlite3_column_bytes(st, 6) != AUDIT_HASH_BYTES ||
        sqlite3_column_bytes(st, 7) != AUDIT_HASH_BYTES ||
        audit_chain_hash(sqlite3_column_blob(st, 6), &e, calc) ||
        sodium_memcmp(calc, sqlite3_column_blob(st, 7), AUDIT_HASH_BYTES)) {
        snprintf(msg, msglen, "mục %lld đã bị sửa / entry %lld was edited",
                 (long long)e.id, (long long)e.id);
        return EXAMD_EINVAL;
    }
    if (e.id != want_id) {
        snprintf(msg, msglen,
                 "thiếu mục %lld..%lld (đã bị xóa) trước mục %lld / entries "
                 "%lld..%lld are missing (deleted) before entry %lld",
                 (long long)want_id, (long long)e.id - 1, (long long)e.id,
                 (long long)want_id, (long long)e.id - 1, (long long)e.id);
        return EXAMD_EINVAL;
    }
    if (sodium_memcmp(prev, sqlite3_column_blob(st, 6), AUDIT_HASH_BYTES)) {
        snprintf(msg, msglen,
                 "mục %lld không nối tiếp mục trước (bị chèn hoặc thay) / "
                 "entry %lld does not follow the one before it (inserted or "
                 "replaced)",
                 (long long)e.id, (long long)e.id);
        return EXAMD_EINVAL;
    }
    memcpy(hash, calc, AUDIT_HASH_BYTES);
    return 0;
}

int store_audit_verify(struct store *s, int64_t *n, uint8_t head[32],
                       int64_t *bad_id, char *msg, size_t msglen)
{
    sqlite3_stmt *st = su_prepare(s,
                                  "SELECT id, at_ms, coalesce(actor_id, 0),"
                                  " ip, action, detail, prev_hash, hash"
                                  " FROM audit ORDER BY id",
                                  "");
    int rc = 0, step = SQLITE_DONE;
    *n = 0;
    *bad_id = 0;
    memset(head, 0, AUDIT_HASH_BYTES);
    if (!st)
        return EXAMD_EIO;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        rc = su_audit_check(st, *n + 1, head, head, msg, msglen);
        if (rc)
            *bad_id = sqlite3_column_int64(st, 0);
        else
            ++*n;
    }
    sqlite3_finalize(st);
    if (!rc && step != SQLITE_DONE)
        return store_fail(s, EXAMD_EIO, msg, msglen);
    return rc;
}
