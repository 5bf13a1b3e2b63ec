/*
 * auth.h — passwords and session tokens (libsodium).
 *
 * Passwords: Argon2id through crypto_pwhash_str with AUTH_PW_OPSLIMIT
 * passes over AUTH_PW_MEMLIMIT bytes (chosen from "examd bench-pwhash" on
 * the 2-core reference machine: ~55 ms a hash, see docs/security.md),
 * always called on a worker thread by the server; a hash made with other
 * limits is upgraded at the next successful login
 * (auth_password_needs_rehash). Login throttling's back-off rule lives
 * here too (auth_lock_ms), pure so it is unit tested. Session tokens: 32 random
 * bytes, sent as 64 hex characters in an HttpOnly cookie, stored only as
 * their BLAKE2b-256 hash. Any thread; sodium_init() must have run.
 */
#ifndef EXAMD_AUTH_H
#define EXAMD_AUTH_H

#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>

#define AUTH_TOKEN_BYTES 32
#define AUTH_TOKEN_HEX (AUTH_TOKEN_BYTES * 2 + 1)
#define AUTH_HASH_BYTES 32
#define AUTH_PWHASH_MAX crypto_pwhash_STRBYTES
#define AUTH_PW_OPSLIMIT 3ULL                /* Argon2id passes */
#define AUTH_PW_MEMLIMIT (32U * 1024 * 1024) /* bytes per hash */
#define AUTH_PW_MIN 8                        /* password bytes, at least */
#define AUTH_PW_MAX 255                      /* password bytes, at most */

/* Login throttling (docs/security.md, "Login throttling"): an account
 * takes AUTH_USER_FAILS consecutive failures, a client address
 * AUTH_IP_FAILS failures within AUTH_IP_WINDOW_MS, then is locked. */
#define AUTH_USER_FAILS 100
#define AUTH_USER_LOCK_MAX_MS (3600 * 1000LL)
#define AUTH_IP_FAILS 1000
#define AUTH_IP_WINDOW_MS (15 * 60 * 1000LL)
#define AUTH_IP_LOCK_MAX_MS (15 * 60 * 1000LL)
#define AUTH_LOCK_BASE_MS (60 * 1000LL)

/* Hash a password into out. 0 or EXAMD_ENOMEM (Argon2's memory). */
int auth_password_hash(const char *password, char out[AUTH_PWHASH_MAX]);

/* The same with explicit limits (the benchmark; tests making old hashes). */
int auth_password_hash_with(const char *password, unsigned long long ops,
                            size_t mem, char out[AUTH_PWHASH_MAX]);

/* Was hash made with limits other than ours (or is it not ours at all)? */
bool auth_password_needs_rehash(const char *hash);

/*
 * How long to lock after the failures-th consecutive failure, when allowed
 * failures pass freely: 0 below allowed, then AUTH_LOCK_BASE_MS doubled
 * for each failure past allowed, at most max_ms.
 */
int64_t auth_lock_ms(int failures, int allowed, int64_t max_ms);

/* Does password match hash? A NULL or empty hash verifies a dummy hash
 * (same cost) and returns false, so unknown users take as long. */
bool auth_password_verify(const char *hash, const char *password);

/* Account fields, as the CLI and the staff console check them: a
 * username is 1-63 of A-Z a-z 0-9 . _ - @; a full name 1-127 bytes of
 * valid UTF-8 without control characters; a password AUTH_PW_MIN to
 * AUTH_PW_MAX bytes; a role one of the four. The messages say so in
 * Vietnamese and English. */
bool auth_username_ok(const char *s);
bool auth_fullname_ok(const char *s);
bool auth_password_ok(const char *s);
bool auth_role_ok(const char *s);
#define AUTH_MSG_USERNAME                                                               \
    "tên đăng nhập gồm 1–63 ký tự A-Z a-z 0-9 . _ - @ / the username must " \
    "be 1-63 of A-Z a-z 0-9 . _ - @"
#define AUTH_MSG_FULLNAME                                                                  \
    "họ tên cần 1–127 byte UTF-8, không ký tự điều khiển / the full name " \
    "must be 1-127 bytes of UTF-8 without control characters"
#define AUTH_MSG_PASSWORD                                                      \
    "mật khẩu cần 8–255 byte / the password must be 8-255 bytes"
#define AUTH_MSG_ROLE                                                             \
    "vai trò là candidate, trainer, organiser hoặc admin / the role must be " \
    "candidate, trainer, organiser or admin"

/* A new token: hex text for the cookie and the hash to store. */
void auth_token_new(char hex[AUTH_TOKEN_HEX], uint8_t hash[AUTH_HASH_BYTES]);

/* Hash of a token given as hex; EXAMD_EINVAL if it is not 64 hex chars. */
int auth_token_hash(const char *hex, uint8_t hash[AUTH_HASH_BYTES]);

#endif
