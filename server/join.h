/*
 * join.h — contest join codes: making them, reading them back as typed,
 * hashing them, and the account a participant gets from one.
 *
 * A join code is 80 random bits written as 16 characters of Crockford's
 * base 32 (0-9 A-Z without I L O U) in four groups, K7QM-4TZP-9XWA-R2HD:
 * short enough to type on a phone, and read back forgivingly (lower case,
 * spaces and dashes anywhere, O read as 0, I and L as 1). A code is
 * reusable: everyone given it joins with it until it expires or is
 * revoked (one link per unit or hall), so it is a shared secret, never
 * an account.
 *
 * Only a keyed BLAKE2b-256 hash of a code is stored (the key, 32 random
 * bytes, lives in a file next to the database: docs/security.md "Join
 * codes"); checking a code is one hash and one indexed lookup, so a join
 * storm costs microseconds per person rather than an Argon2 hash.
 *
 * The participant's account is found again from the exam, the folded full
 * name and the date of birth: its login is the name's stem and a keyed
 * hash of those three (join_username), so a rejoin is one lookup by login.
 *
 * Pure code; any thread; sodium_init() must have run.
 */
#ifndef EXAMD_JOIN_H
#define EXAMD_JOIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JOIN_KEY_BYTES 32
#define JOIN_HASH_BYTES 32
#define JOIN_CODE_LEN 16                   /* characters, without dashes */
#define JOIN_CODE_TEXT (JOIN_CODE_LEN + 4) /* with dashes, and the NUL */
#define JOIN_CODE_BITS 80
#define JOIN_COUNT_MAX 10000 /* codes made by one request */
#define JOIN_TAG_HEX 17      /* a code's tag: 16 hex digits and a NUL */
#define JOIN_USERNAME_MAX 64

/* The marker stored as a joined account's password hash: never a valid
 * Argon2 string, so no password ever verifies against it. Followed by
 * "<exam id>:<code tag>" (which exam, which code brought the person in). */
#define JOIN_PW_MARKER "join:"

/* A new random code, formatted "XXXX-XXXX-XXXX-XXXX". */
void join_code_new(char out[JOIN_CODE_TEXT]);

/*
 * A code as typed into its canonical 16 characters (upper case, no
 * dashes): spaces and dashes are dropped, lower case raised, O read as 0
 * and I, L as 1. 0, or EXAMD_EINVAL when what is left is not 16
 * characters of the alphabet.
 */
int join_code_normalize(const char *in, char out[JOIN_CODE_LEN + 1]);

/* The keyed hash of a canonical code (as stored in join_codes.hash). */
void join_code_hash(const uint8_t key[JOIN_KEY_BYTES],
                    const char code[JOIN_CODE_LEN + 1],
                    uint8_t out[JOIN_HASH_BYTES]);

/* The tag of a code's hash: its first 8 bytes in hex. */
void join_code_tag(const uint8_t hash[JOIN_HASH_BYTES], char out[JOIN_TAG_HEX]);

/*
 * A full name as typed, cleaned: trimmed, inner white space made one
 * space, NFC. A new string (free), or NULL when s is not valid UTF-8,
 * holds a control character, is empty or longer than 120 bytes once
 * cleaned, or malloc fails (*oom tells which).
 */
char *join_name_clean(const char *s, bool *oom);

/*
 * A Vietnamese mobile number as typed into out: ten digits starting with
 * 0 once spaces, dots and dashes are dropped; "+84" or "84" before nine
 * digits is read as "0". 0 or EXAMD_EINVAL.
 */
int join_phone_parse(const char *s, char out[11]);

/*
 * The login of the participant of exam_id with this folded full name
 * (text_fold) and date of birth (yyyy-mm-dd): the name's stem (letters
 * and digits of the folded name, at most 24) and 10 characters of a keyed
 * hash of the three, "nguyenvanan.k7qm4tzp9x". The same person always
 * gets the same login; two people differ unless name and birth date
 * match. 0, or EXAMD_EINVAL when fold is NULL.
 */
int join_username(const uint8_t key[JOIN_KEY_BYTES], int64_t exam_id,
                  const char *fold, const char *birth,
                  char out[JOIN_USERNAME_MAX]);

#endif
