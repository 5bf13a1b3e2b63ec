/* auth.c — passwords and tokens (see auth.h). */
#include "auth.h"
#include "err.h"
#include "text.h"

#include <string.h>

int auth_password_hash_with(const char *password, unsigned long long ops,
                            size_t mem, char out[AUTH_PWHASH_MAX])
{
    if (crypto_pwhash_str(out, password, strlen(password), ops, mem))
        return EXAMD_ENOMEM;
    return 0;
}

int auth_password_hash(const char *password, char out[AUTH_PWHASH_MAX])
{
    return auth_password_hash_with(password, AUTH_PW_OPSLIMIT, AUTH_PW_MEMLIMIT,
                                   out);
}

bool auth_password_needs_rehash(const char *hash)
{
    return crypto_pwhash_str_needs_rehash(hash, AUTH_PW_OPSLIMIT,
                                          AUTH_PW_MEMLIMIT) != 0;
}

int64_t auth_lock_ms(int failures, int allowed, int64_t max_ms)
{
    if (failures < allowed)
        return 0;
    int64_t ms = AUTH_LOCK_BASE_MS;
    for (int i = allowed; i < failures && ms < max_ms; i++)
        ms *= 2;
    return ms < max_ms ? ms : max_ms;
}

bool auth_password_verify(const char *hash, const char *password)
{
    static char dummy[AUTH_PWHASH_MAX];
    static bool have_dummy;
    if (!hash || !*hash) {
        /* Benign race: two threads may both build it; same content. */
        if (!have_dummy && !auth_password_hash("examd-no-such-user", dummy))
            have_dummy = true;
        if (have_dummy)
            (void)!crypto_pwhash_str_verify(dummy, password, strlen(password));
        return false;
    }
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void auth_token_new(char hex[AUTH_TOKEN_HEX], uint8_t hash[AUTH_HASH_BYTES])
{
    uint8_t raw[AUTH_TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(hex, AUTH_TOKEN_HEX, raw, sizeof raw);
    crypto_generichash(hash, AUTH_HASH_BYTES, raw, sizeof raw, NULL, 0);
    sodium_memzero(raw, sizeof raw);
}

int auth_token_hash(const char *hex, uint8_t hash[AUTH_HASH_BYTES])
{
    uint8_t raw[AUTH_TOKEN_BYTES];
    size_t len = 0;
    if (strlen(hex) != AUTH_TOKEN_BYTES * 2 ||
        sodium_hex2bin(raw, sizeof raw, hex, AUTH_TOKEN_BYTES * 2, NULL, &len,
                       NULL) ||
        len != AUTH_TOKEN_BYTES)
        return EXAMD_EINVAL;
    crypto_generichash(hash, AUTH_HASH_BYTES, raw, sizeof raw, NULL, 0);
    sodium_memzero(raw, sizeof raw);
    return 0;
}

bool auth_username_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 1 || n > 63)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || strchr("._-@", s[i])))
            return false;
    return true;
}

bool auth_fullname_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 1 || n > 127 || !text_is_valid(s, n))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    return true;
}

bool auth_password_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return n >= AUTH_PW_MIN && n <= AUTH_PW_MAX;
}

bool auth_role_ok(const char *s)
{
    return s && (!strcmp(s, "candidate") || !strcmp(s, "trainer") ||
                 !strcmp(s, "organiser") || !strcmp(s, "admin"));
}
