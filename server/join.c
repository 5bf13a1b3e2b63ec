/*
 * join.c — join codes and joined accounts (see join.h).
 */
#include "join.h"
#include "err.h"
#include "text.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Crockford's base 32: no I, L, O or U. */
static const char join_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Write n 5-bit groups of bytes (big-endian bit order) as base 32. */
static void join_b32(const uint8_t *bytes, size_t n, bool lower, char *out)
{
    for (size_t i = 0; i < n; i++) {
        size_t bit = i * 5, byte = bit / 8, shift = bit % 8;
        unsigned v = (unsigned)bytes[byte] << 8;
        if (shift > 3)
            v |= bytes[byte + 1];
        v = (v >> (11 - shift)) & 31;
        char ch = join_alphabet[v];
        out[i] = lower && ch >= 'A' ? (char)(ch - 'A' + 'a') : ch;
    }
}

void join_code_new(char out[JOIN_CODE_TEXT])
{
    uint8_t raw[JOIN_CODE_BITS / 8 + 1] = {0};
    char c[JOIN_CODE_LEN];
    randombytes_buf(raw, JOIN_CODE_BITS / 8);
    join_b32(raw, JOIN_CODE_LEN, false, c);
    for (int g = 0, w = 0; g < 4; g++) {
        memcpy(out + w, c + g * 4, 4);
        w += 4;
        out[w++] = g < 3 ? '-' : 0;
    }
    sodium_memzero(raw, sizeof raw);
    sodium_memzero(c, sizeof c);
}

int join_code_normalize(const char *in, char out[JOIN_CODE_LEN + 1])
{
    size_t n = 0;
    for (const char *p = in ? in : ""; *p; p++) {
        char ch = *p;
        if (ch == '-' || ch == ' ')
            continue;
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        ch = ch == 'O' ? '0' : ch == 'I' || ch == 'L' ? '1' : ch;
        if (n == JOIN_CODE_LEN || !ch || !strchr(join_alphabet, ch))
            return EXAMD_EINVAL;
        out[n++] = ch;
    }
    out[n] = 0;
    return n == JOIN_CODE_LEN ? 0 : EXAMD_EINVAL;
}

void join_code_hash(const uint8_t key[JOIN_KEY_BYTES],
                    const char code[JOIN_CODE_LEN + 1],
                    uint8_t out[JOIN_HASH_BYTES])
{
    crypto_generichash(out, JOIN_HASH_BYTES, (const uint8_t *)code,
                       JOIN_CODE_LEN, key, JOIN_KEY_BYTES);
}

void join_code_tag(const uint8_t hash[JOIN_HASH_BYTES], char out[JOIN_TAG_HEX])
{
    sodium_bin2hex(out, JOIN_TAG_HEX, hash, (JOIN_TAG_HEX - 1) / 2);
}

char *join_name_clean(const char *s, bool *oom)
{
    *oom = false;
    size_t len = s ? strlen(s) : 0;
    if (!s || !text_is_valid(s, len))
        return NULL;
    char *t = text_nfc(s, len);
    if (!t) {
        *oom = true;
        return NULL;
    }
    /* collapse in place: the result is never longer */
    size_t w = 0;
    for (size_t r = 0; t[r]; r++) {
        unsigned char ch = (unsigned char)t[r];
        bool blank = ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
        if ((ch < 0x20 && !blank) || ch == 0x7f) {
            w = 0; /* a control character: refused below */
            t[0] = 0;
            break;
        }
        if (blank) {
            if (w && t[w - 1] != ' ')
                t[w++] = ' ';
            continue;
        }
        t[w++] = t[r];
    }
    while (w && t[w - 1] == ' ')
        w--;
    t[w] = 0;
    if (!w || w > 120) {
        free(t);
        return NULL;
    }
    return t;
}

int join_phone_parse(const char *s, char out[11])
{
    char d[16];
    size_t n = 0;
    bool plus = false;
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == ' ' || *p == '.' || *p == '-')
            continue;
        if (*p == '+' && !n && !plus) {
            plus = true;
            continue;
        }
        if (*p < '0' || *p > '9' || n == sizeof d - 1)
            return EXAMD_EINVAL;
        d[n++] = *p;
    }
    d[n] = 0;
    /* "+84 912..." or "84 912...": the country code for the leading 0 */
    size_t skip = n == 11 && d[0] == '8' && d[1] == '4' && d[2] != '0' ? 2 : 0;
    if ((plus && !skip) || (!skip && (n != 10 || d[0] != '0')))
        return EXAMD_EINVAL;
    out[0] = '0';
    memcpy(out + 1, d + skip + (skip ? 0 : 1), 9);
    out[10] = 0;
    return 0;
}

int join_username(const uint8_t key[JOIN_KEY_BYTES], int64_t exam_id,
                  const char *fold, const char *birth,
                  char out[JOIN_USERNAME_MAX])
{
    crypto_generichash_state h;
    uint8_t sum[16] = {0};
    char stem[25], tail[11];
    size_t n = 0;
    if (!fold || !birth)
        return EXAMD_EINVAL;
    char head[40];
    int hl = snprintf(head, sizeof head,
                      "examd-join-user:%lld:", (long long)exam_id);
    crypto_generichash_init(&h, key, JOIN_KEY_BYTES, sizeof sum);
    crypto_generichash_update(&h, (const uint8_t *)head, (size_t)hl);
    crypto_generichash_update(&h, (const uint8_t *)fold, strlen(fold) + 1);
    crypto_generichash_update(&h, (const uint8_t *)birth, strlen(birth));
    crypto_generichash_final(&h, sum, sizeof sum);
    for (const char *p = fold; *p && n < sizeof stem - 1; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            stem[n++] = *p;
    stem[n] = 0;
    join_b32(sum, 10, true, tail);
    tail[10] = 0;
    snprintf(out, JOIN_USERNAME_MAX, "%s.%s", n ? stem : "thisinh", tail);
    return 0;
}
