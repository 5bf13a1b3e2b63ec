/*
 * sign.h — the installation's Ed25519 signing key and detached signatures
 * of exported files, so that a committee can check that nobody edited the
 * scores after the export (docs/exports.md).
 *
 * Keys. Each installation has one key pair, made at the first start (or
 * the first "examd export --sign") beside the database:
 *   signing.key  the 32-byte Ed25519 seed, raw, mode 0600 (secret)
 *   signing.pub  the public key in base64 and a line break, mode 0644
 * Creation is exclusive (written to a temporary file, then linked into
 * place), so two processes starting at once end with the same key.
 *
 * Signature files ("FILE.sig", UTF-8 text, LF line ends):
 *   examd-signature/1
 *   file: roster-3.csv            (informational)
 *   size: 2417                    (informational)
 *   signed: 2026-11-21T23:59:07Z  (informational)
 *   key: <base64 of the 32-byte public key>
 *   fingerprint: 1a2b-3c4d-5e6f-7a8b
 *   sig: <base64 of the 64-byte Ed25519 signature of the file's bytes>
 * Only "key" and "sig" are read back; the signature covers the exported
 * file's exact bytes and nothing else, so the informational lines prove
 * nothing. Unknown lines are ignored (later versions may add some).
 *
 * Key loading does file I/O (main thread, at start); the rest is pure
 * code for any thread.
 */
#ifndef EXAMD_SIGN_H
#define EXAMD_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIGN_PK_BYTES 32
#define SIGN_SK_BYTES 64
#define SIGN_SIG_BYTES 64
#define SIGN_PK_B64 45 /* base64 of a public key + NUL */
#define SIGN_FP_LEN 20 /* "1a2b-3c4d-5e6f-7a8b" + NUL */

/* An installation's key pair; sk is secret (sign_key_wipe when done). */
struct sign_key {
    uint8_t pk[SIGN_PK_BYTES];
    uint8_t sk[SIGN_SK_BYTES];
};

/* The key files beside the database db_path: dir/signing.key and
 * dir/signing.pub (or in the working directory when db_path has no '/'). */
void sign_key_paths(const char *db_path, char *sk_path, char *pk_path,
                    size_t n);

/* Load the key pair from sk_path, creating it (and pk_path) when missing;
 * rewrite pk_path when it is missing or does not match. Returns 0,
 * EXAMD_EINVAL (sk_path is not a key: msg says so) or EXAMD_EIO. */
int sign_key_load(const char *sk_path, const char *pk_path, struct sign_key *k,
                  char *msg, size_t msglen);

/* Zero the secret half. */
void sign_key_wipe(struct sign_key *k);

/* Read a public key from pk (base64 text) or, when that fails, from the
 * file named pk holding such text. Returns 0 or EXAMD_EINVAL. */
int sign_pk_read(const char *pk, uint8_t out[SIGN_PK_BYTES]);

/* Base64 (standard, padded) of a public key. */
void sign_pk_b64(const uint8_t pk[SIGN_PK_BYTES], char out[SIGN_PK_B64]);

/* A short fingerprint for eyes and paper: the first 8 bytes of the
 * SHA-256 of the public key in hex, in four groups of four. */
void sign_fingerprint(const uint8_t pk[SIGN_PK_BYTES], char out[SIGN_FP_LEN]);

/* The signature file text for data[0..len) (free), or NULL on malloc
 * failure. name: the file's base name for the "file:" line (may be NULL);
 * now_ms: the "signed:" time. */
char *sign_file_make(const struct sign_key *k, const void *data, size_t len,
                     const char *name, int64_t now_ms);

/* Parse a signature file: its key and signature. Returns 0 or
 * EXAMD_EINVAL (not "examd-signature/1", a line missing or malformed). */
int sign_file_parse(const char *text, size_t len, uint8_t pk[SIGN_PK_BYTES],
                    uint8_t sig[SIGN_SIG_BYTES]);

/* Is sig a good signature of data[0..len) by pk? */
bool sign_verify(const uint8_t pk[SIGN_PK_BYTES],
                 const uint8_t sig[SIGN_SIG_BYTES], const void *data,
                 size_t len);

#endif
