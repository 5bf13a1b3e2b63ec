/* test_audit.c — the audit log: canonical entry bytes and the chain hash
 * (audit.c), appending and verifying against SQLite (store_user.c) with
 * an edited, a deleted and an inserted row; and the login back-off rule
 * (auth_lock_ms) and the upgrade of old password hashes. */
#include "audit.h"
#include "auth.h"
#include "check.h"
#include "err.h"
#include "store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

static void test_encode(void)
{
    struct audit_entry a = {1,          1700000000000, 7,
                            "10.0.0.1", "login",       "{\"user\":\"ts01\"}"};
    struct audit_entry b = a;
    size_t la, lb;
    char *ea = audit_entry_encode(&a, &la);
    b.ip = "10.0.0.1l";
    b.action = "ogin";
    char *eb = audit_entry_encode(&b, &lb);
    CHECK(ea && eb);
    CHECK(la != lb || memcmp(ea, eb, la)); /* moved bytes encode apart */
    CHECK_STR_HAS(ea, "5:login");
    free(ea);
    free(eb);
    struct audit_entry n = {2, 0, 0, NULL, NULL, NULL};
    char *en = audit_entry_encode(&n, &la);
    CHECK(en && !strcmp(en, "13:examd-audit/11:21:01:00:0:0:"));
    free(en);
}

static void test_chain_hash(void)
{
    uint8_t zero[AUDIT_HASH_BYTES] = {0}, h1[AUDIT_HASH_BYTES],
            h2[AUDIT_HASH_BYTES], want[AUDIT_HASH_BYTES];
    struct audit_entry e = {1, 5, 0, "", "bank.create", "{}"};
    size_t len;
    char *bytes = audit_entry_encode(&e, &len);
    unsigned char *buf = malloc(AUDIT_HASH_BYTES + len);
    memcpy(buf, zero, AUDIT_HASH_BYTES);
    memcpy(buf + AUDIT_HASH_BYTES, bytes, len);
    crypto_generichash(want, sizeof want, buf, AUDIT_HASH_BYTES + len, NULL, 0);
    CHECK_EQ_INT(audit_chain_hash(zero, &e, h1), 0);
    CHECK(!memcmp(h1, want, sizeof want)); /* H(prev || bytes) */
    CHECK_EQ_INT(audit_chain_hash(h1, &e, h2), 0);
    CHECK(memcmp(h1, h2, sizeof h1)); /* the previous hash matters */
    free(buf);
    free(bytes);
}

/* Run SQL on the database file beside the store (as an intruder would). */
static void tamper(const char *path, const char *sql)
{
    sqlite3 *db;
    CHECK_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_EQ_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* Verify the chain of a fresh connection: rc, and the bad entry. */
static int verify(const char *path, int64_t *n, int64_t *bad, char *msg,
                  size_t len)
{
    struct store *s;
    uint8_t head[AUDIT_HASH_BYTES];
    char m[256];
    CHECK_EQ_INT(store_open(path, false, &s, m, sizeof m), 0);
    int rc = store_audit_verify(s, n, head, bad, msg, len);
    store_close(s);
    return rc;
}

static void test_store_chain(void)
{
    char dir[] = "/tmp/examd-audit-XXXXXX", path[128], msg[256];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/a.db", dir);
    struct store *s;
    int64_t n = -1, bad = -1;
    CHECK_EQ_INT(store_open(path, false, &s, msg, sizeof msg), 0);
    for (int i = 0; i < 5; i++)
        CHECK_EQ_INT(store_audit_append(s, 1000 + i, i, "127.0.0.1", "login",
                                        "{\"user\":\"a\"}"),
                     0);
    store_close(s);
    CHECK_EQ_INT(verify(path, &n, &bad, msg, sizeof msg), 0);
    CHECK_EQ_INT(n, 5);

    /* an edited detail is named */
    tamper(path, "UPDATE audit SET detail='{\"user\":\"b\"}' WHERE id=3");
    CHECK_EQ_INT(verify(path, &n, &bad, msg, sizeof msg), EXAMD_EINVAL);
    CHECK_EQ_INT(bad, 3);
    CHECK_STR_HAS(msg, "entry 3 was edited");
    tamper(path, "UPDATE audit SET detail='{\"user\":\"a\"}' WHERE id=3");
    CHECK_EQ_INT(verify(path, &n, &bad, msg, sizeof msg), 0);

    /* a deleted row leaves a gap */
    tamper(path, "DELETE FROM audit WHERE id=2");
    CHECK_EQ_INT(verify(path, &n, &bad, msg, sizeof msg), EXAMD_EINVAL);
    CHECK_EQ_INT(bad, 3);
    CHECK_STR_HAS(msg, "entries 2..2 are missing");

    /* a row renumbered into the gap with a made-up hash does not follow */
    tamper(path, "UPDATE audit SET id=2 WHERE id=3");
    CHECK_EQ_INT(verify(path, &n, &bad, msg, sizeof msg), EXAMD_EINVAL);
    CHECK_EQ_INT(bad, 2);

    /* a fresh chain: an appended row with a forged hash is named */
    unlink(path);
    CHECK_EQ_INT(store_open(path, false, &s, msg, sizeof msg), 0);
    CHECK_EQ_INT(store_audit_append(s, 1, 0, "", "bank.create", "{}"), 0);
    CHECK_EQ_INT(store_audit_append(s, 2, 0, "", "bank.retire", "{}"), 0);
    store_close(s);
    tamper(path, "INSERT INTO audit(id, at_ms, action, prev_hash, hash)"
                 " VALUES(3, 3, 'user.add', zeroblob(32), zeroblob(32))");
    CHECK_EQ_INT(verify(path, &n, &bad, msg, sizeof msg), EXAMD_EINVAL);
    CHECK_EQ_INT(bad, 3);
    tamper(path, "DELETE FROM audit WHERE id=3");
    CHECK_EQ_INT(verify(path, &n, &bad, msg, sizeof msg), 0);
    CHECK_EQ_INT(n, 2);
    unlink(path);
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    rmdir(dir);
}

static void test_lock_rule(void)
{
    CHECK_EQ_INT(auth_lock_ms(0, 100, 3600000), 0);
    CHECK_EQ_INT(auth_lock_ms(99, 100, 3600000), 0);
    CHECK_EQ_INT(auth_lock_ms(100, 100, 3600000), 60000);
    CHECK_EQ_INT(auth_lock_ms(101, 100, 3600000), 120000);
    CHECK_EQ_INT(auth_lock_ms(105, 100, 3600000), 1920000);
    CHECK_EQ_INT(auth_lock_ms(106, 100, 3600000), 3600000);
    CHECK_EQ_INT(auth_lock_ms(100000, 100, 3600000), 3600000);
    CHECK_EQ_INT(auth_lock_ms(999, AUTH_IP_FAILS, AUTH_IP_LOCK_MAX_MS), 0);
    CHECK_EQ_INT(auth_lock_ms(1000, AUTH_IP_FAILS, AUTH_IP_LOCK_MAX_MS), 60000);
    CHECK_EQ_INT(auth_lock_ms(2000, AUTH_IP_FAILS, AUTH_IP_LOCK_MAX_MS),
                 AUTH_IP_LOCK_MAX_MS);
}

static void test_rehash(void)
{
    char weak[AUTH_PWHASH_MAX], ours[AUTH_PWHASH_MAX];
    CHECK_EQ_INT(auth_password_hash_with("mat-khau-1", 2, 8 << 20, weak), 0);
    CHECK_EQ_INT(auth_password_hash("mat-khau-1", ours), 0);
    CHECK(auth_password_needs_rehash(weak));
    CHECK(!auth_password_needs_rehash(ours));
    CHECK(auth_password_needs_rehash("not a hash"));
    CHECK(auth_password_verify(weak, "mat-khau-1"));
    CHECK(!auth_password_verify(ours, "mat-khau-2"));
    CHECK(!auth_password_verify(NULL, "mat-khau-1")); /* the dummy */
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    test_encode();
    test_chain_hash();
    test_store_chain();
    test_lock_rule();
    test_rehash();
    return check_done("test_audit");
}
