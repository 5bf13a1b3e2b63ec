/*
 * audit.h — the audit log's entries and their hash chain (pure: no I/O).
 *
 * Every change that matters (logins, account changes, banks, questions,
 * imports, exports, publishing) appends one entry to the audit table in
 * the same transaction as the change (store_audit_append). Each entry
 * carries the hash of the one before it and its own hash:
 *
 *     hash = BLAKE2b-256(prev_hash || audit_entry_encode(entry))
 *
 * with 32 zero bytes as the first entry's prev_hash. Editing, deleting or
 * inserting a row then breaks the chain at that row, which
 * store_audit_verify (and "examd audit verify") names. A chain without a
 * secret can be rewritten whole by someone who can write the database
 * file; the head hash printed by "examd audit verify" is what an operator
 * copies elsewhere to rule that out (docs/security.md, "Audit log").
 *
 * The encoding is canonical: a fixed version tag, then every field as its
 * decimal length, ':' and its bytes, so no two different entries encode
 * alike. Any thread.
 */
#ifndef EXAMD_AUDIT_H
#define EXAMD_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#define AUDIT_HASH_BYTES 32

/* One entry; strings are borrowed and may be NULL (encoded as ""). */
struct audit_entry {
    int64_t id;         /* 1, 2, ... in order of writing */
    int64_t at_ms;      /* epoch ms */
    int64_t actor_id;   /* the user who acted, 0 = none (CLI, unknown) */
    const char *ip;     /* the client's address, "" for the CLI */
    const char *action; /* "login", "user.disable", ... */
    const char *detail; /* compact JSON with sorted keys */
};

/* The canonical bytes of e: a new string (*len bytes, NUL-ended; free),
 * or NULL on malloc failure. */
char *audit_entry_encode(const struct audit_entry *e, size_t *len);

/* out = BLAKE2b-256(prev || encode(e)). 0 or EXAMD_ENOMEM. */
int audit_chain_hash(const uint8_t prev[AUDIT_HASH_BYTES],
                     const struct audit_entry *e,
                     uint8_t out[AUDIT_HASH_BYTES]);

#endif
