/* audit.c — the audit log's canonical entry bytes and chain hash (see
 * audit.h). */
#include "audit.h"
#include "err.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUDIT_TAG "examd-audit/1"

/* Append "LEN:BYTES" of s to buf at *at (room already checked). */
static void audit_field(char *buf, size_t *at, const char *s, size_t n)
{
    *at += (size_t)sprintf(buf + *at, "%zu:", n);
    memcpy(buf + *at, s, n);
    *at += n;
}

char *audit_entry_encode(const struct audit_entry *e, size_t *len)
{
    const char *str[3] = {e->ip ? e->ip : "", e->action ? e->action : "",
                          e->detail ? e->detail : ""};
    char num[3][24];
    /* 7 length prefixes of at most 21 bytes, 3 numbers of at most 20 */
    size_t n[3], need = sizeof AUDIT_TAG + 7 * 22 + 3 * 24;
    snprintf(num[0], sizeof num[0], "%" PRId64, e->id);
    snprintf(num[1], sizeof num[1], "%" PRId64, e->at_ms);
    snprintf(num[2], sizeof num[2], "%" PRId64, e->actor_id);
    for (int i = 0; i < 3; i++)
        need += (n[i] = strlen(str[i]));
    char *buf = malloc(need);
    if (!buf)
        return NULL;
    size_t at = 0;
    audit_field(buf, &at, AUDIT_TAG, strlen(AUDIT_TAG));
    for (int i = 0; i < 3; i++)
        audit_field(buf, &at, num[i], strlen(num[i]));
    for (int i = 0; i < 3; i++)
        audit_field(buf, &at, str[i], n[i]);
    buf[at] = 0;
    *len = at;
    return buf;
}

int audit_chain_hash(const uint8_t prev[AUDIT_HASH_BYTES],
                     const struct audit_entry *e, uint8_t out[AUDIT_HASH_BYTES])
{
    size_t len;
    char *bytes = audit_entry_encode(e, &len);
    crypto_generichash_state st;
    if (!bytes)
        return EXAMD_ENOMEM;
    crypto_generichash_init(&st, NULL, 0, AUDIT_HASH_BYTES);
    crypto_generichash_update(&st, prev, AUDIT_HASH_BYTES);
    crypto_generichash_update(&st, (const unsigned char *)bytes, len);
    crypto_generichash_final(&st, out, AUDIT_HASH_BYTES);
    free(bytes);
    return 0;
}
