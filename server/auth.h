/*
 * auth.h — passwords and session tokens (libsodium).
 *
 * Passwords: Argon2id through crypto_pwhash_str with the INTERACTIVE
 * limits (64 MiB, 2 passes: ~0.1 s on one core of a small machine), always
 * called on a worker thread by the server. Session tokens: 32 random
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

/* Hash a password into out. 0 or EXAMD_ENOMEM (Argon2's memory). */
int auth_password_hash(const char *password, char out[AUTH_PWHASH_MAX]);

/* Does password match hash? A NULL or empty hash verifies a dummy hash
 * (same cost) and returns false, so unknown users take as long. */
bool auth_password_verify(const char *hash, const char *password);

/* A new token: hex text for the cookie and the hash to store. */
void auth_token_new(char hex[AUTH_TOKEN_HEX], uint8_t hash[AUTH_HASH_BYTES]);

/* Hash of a token given as hex; EXAMD_EINVAL if it is not 64 hex chars. */
int auth_token_hash(const char *hex, uint8_t hash[AUTH_HASH_BYTES]);

#endif
