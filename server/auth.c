/* auth.c — passwords and tokens (see auth.h). */
#include "auth.h"
#include "err.h"

#include <string.h>

int auth_password_hash(const char *password, char out[AUTH_PWHASH_MAX])
{
    if (crypto_pwhash_str(out, password, strlen(password),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE))
        return EXAMD_ENOMEM;
    return 0;
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
