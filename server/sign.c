/*
 * sign.c — Ed25519 key files and signature files (sign.h), on libsodium.
 */
#include "sign.h"

#include "err.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SIGN_SEED_BYTES 32
#define SIGN_MAGIC "examd-signature/1"

void sign_key_paths(const char *db_path, char *sk_path, char *pk_path, size_t n)
{
    const char *slash = strrchr(db_path, '/');
    int dl = slash ? (int)(slash - db_path) + 1 : 0;
    snprintf(sk_path, n, "%.*ssigning.key", dl, db_path);
    snprintf(pk_path, n, "%.*ssigning.pub", dl, db_path);
}

void sign_key_wipe(struct sign_key *k)
{
    if (k)
        sodium_memzero(k->sk, sizeof k->sk);
}

/* Exactly n bytes of the file at path, and nothing more: 0, -1 with
 * errno (ENOENT: no file), or -2 (wrong size). */
static int sign_read_exact(const char *path, uint8_t *buf, size_t n)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t got = 0;
    ssize_t r = 1;
    uint8_t extra;
    while (got < n && r > 0) {
        r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            r = 1;
        else if (r > 0)
            got += (size_t)r;
    }
    int rc = got == n && read(fd, &extra, 1) == 0 ? 0 : -2;
    close(fd);
    return rc;
}

/* Write data to a new temporary file beside path with mode, then put it
 * at path: link() (fails when path exists: exclusive) or rename()
 * (replaces). Returns 0 or -1 with errno. */
static int sign_write_file(const char *path, const void *data, size_t n,
                           mode_t mode, bool exclusive)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return -1;
    bool ok = fchmod(fd, mode) == 0 && write(fd, data, n) == (ssize_t)n &&
              fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (ok)
        ok = exclusive ? link(tmp, path) == 0 : rename(tmp, path) == 0;
    int saved = errno;
    unlink(tmp); /* after link(); after rename() it is gone already */
    errno = saved;
    return ok ? 0 : -1;
}

/* The public key file: rewritten unless it holds k->pk already. */
static int sign_pub_store(const char *pk_path, const struct sign_key *k)
{
    uint8_t have[SIGN_PK_BYTES];
    if (sign_pk_read(pk_path, have) == 0 && !memcmp(have, k->pk, SIGN_PK_BYTES))
        return 0;
    char line[SIGN_PK_B64 + 1];
    sign_pk_b64(k->pk, line);
    strcat(line, "\n");
    return sign_write_file(pk_path, line, strlen(line), 0644, false);
}

int sign_key_load(const char *sk_path, const char *pk_path, struct sign_key *k,
                  char *msg, size_t msglen)
{
    uint8_t seed[SIGN_SEED_BYTES];
    int r = sign_read_exact(sk_path, seed, sizeof seed);
    if (r == -1 && errno == ENOENT) {
        randombytes_buf(seed, sizeof seed);
        if (sign_write_file(sk_path, seed, sizeof seed, 0600, true) == 0)
            r = 0;
        else if (errno == EEXIST) /* another process made it first */
            r = sign_read_exact(sk_path, seed, sizeof seed);
    }
    if (r == -2) {
        snprintf(msg, msglen, "%s: not a signing key (32 bytes)", sk_path);
        sodium_memzero(seed, sizeof seed);
        return EXAMD_EINVAL;
    }
    if (r != 0) {
        snprintf(msg, msglen, "%s: %s", sk_path, strerror(errno));
        sodium_memzero(seed, sizeof seed);
        return EXAMD_EIO;
    }
    crypto_sign_seed_keypair(k->pk, k->sk, seed);
    sodium_memzero(seed, sizeof seed);
    if (sign_pub_store(pk_path, k) != 0) {
        snprintf(msg, msglen, "%s: %s", pk_path, strerror(errno));
        sign_key_wipe(k);
        return EXAMD_EIO;
    }
    return 0;
}

/* Decode base64 s[0..n) into exactly want bytes; 0 or -1. */
static int sign_b64_decode(const char *s, size_t n, uint8_t *out, size_t want)
{
    size_t got = 0;
    if (sodium_base642bin(out, want, s, n, " \t\r\n", &got, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        got != want)
        return -1;
    return 0;
}

int sign_pk_read(const char *pk, uint8_t out[SIGN_PK_BYTES])
{
    if (sign_b64_decode(pk, strlen(pk), out, SIGN_PK_BYTES) == 0)
        return 0;
    char text[256];
    FILE *f = fopen(pk, "r");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f)
        fclose(f);
    text[n] = '\0';
    if (n && sign_b64_decode(text, n, out, SIGN_PK_BYTES) == 0)
        return 0;
    return EXAMD_EINVAL;
}

void sign_pk_b64(const uint8_t pk[SIGN_PK_BYTES], char out[SIGN_PK_B64])
{
    sodium_bin2base64(out, SIGN_PK_B64, pk, SIGN_PK_BYTES,
                      sodium_base64_VARIANT_ORIGINAL);
}

void sign_fingerprint(const uint8_t pk[SIGN_PK_BYTES], char out[SIGN_FP_LEN])
{
    uint8_t h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, pk, SIGN_PK_BYTES);
    snprintf(out, SIGN_FP_LEN, "%02x%02x-%02x%02x-%02x%02x-%02x%02x", h[0],
             h[1], h[2], h[3], h[4], h[5], h[6], h[7]);
}

char *sign_file_make(const struct sign_key *k, const void *data, size_t len,
                     const char *name, int64_t now_ms)
{
    uint8_t sig[SIGN_SIG_BYTES];
    crypto_sign_detached(sig, NULL, data, len, k->sk);
    char pk64[SIGN_PK_B64],
        sig64[sodium_base64_ENCODED_LEN(SIGN_SIG_BYTES,
                                        sodium_base64_VARIANT_ORIGINAL)];
    char fp[SIGN_FP_LEN], when[32];
    sign_pk_b64(k->pk, pk64);
    sign_fingerprint(k->pk, fp);
    sodium_bin2base64(sig64, sizeof sig64, sig, sizeof sig,
                      sodium_base64_VARIANT_ORIGINAL);
    time_t t = (time_t)(now_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    char *out = NULL;
    /* a name with a line break would forge a line: keep only its first */
    int nl = name ? (int)strcspn(name, "\r\n") : 0;
    if (asprintf(&out,
                 SIGN_MAGIC "\n%s%.*s%ssize: %zu\nsigned: %s\nkey: %s\n"
                            "fingerprint: %s\nsig: %s\n",
                 name ? "file: " : "", nl, name ? name : "", name ? "\n" : "",
                 len, when, pk64, fp, sig64) < 0)
        return NULL;
    return out;
}

/* The value of "name: value" in text[0..len) into out (size n): 0, or -1
 * when there is no such line or it is too long. */
static int sign_field(const char *text, size_t len, const char *name, char *out,
                      size_t n)
{
    size_t nl = strlen(name);
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        if ((size_t)(eol - p) > nl + 1 && !memcmp(p, name, nl) &&
            p[nl] == ':') {
            const char *v = p + nl + 1;
            while (v < eol && *v == ' ')
                v++;
            size_t vl = (size_t)(eol - v);
            while (vl && (v[vl - 1] == '\r' || v[vl - 1] == ' '))
                vl--;
            if (vl >= n)
                return -1;
            memcpy(out, v, vl);
            out[vl] = '\0';
            return 0;
        }
        p = eol + 1;
    }
    return -1;
}

int sign_file_parse(const char *text, size_t len, uint8_t pk[SIGN_PK_BYTES],
                    uint8_t sig[SIGN_SIG_BYTES])
{
    size_t ml = strlen(SIGN_MAGIC);
    char v[200];
    if (len < ml + 1 || memcmp(text, SIGN_MAGIC, ml) ||
        (text[ml] != '\n' && text[ml] != '\r'))
        return EXAMD_EINVAL;
    if (sign_field(text, len, "key", v, sizeof v) ||
        sign_b64_decode(v, strlen(v), pk, SIGN_PK_BYTES) ||
        sign_field(text, len, "sig", v, sizeof v) ||
        sign_b64_decode(v, strlen(v), sig, SIGN_SIG_BYTES))
        return EXAMD_EINVAL;
    return 0;
}

bool sign_verify(const uint8_t pk[SIGN_PK_BYTES],
                 const uint8_t sig[SIGN_SIG_BYTES], const void *data,
                 size_t len)
{
    return crypto_sign_verify_detached(sig, data, len, pk) == 0;
}
