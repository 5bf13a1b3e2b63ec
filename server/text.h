/*
 * text.h — Unicode text as examd stores and searches it (utf8proc).
 *
 * Vietnamese arrives precomposed (NFC) from most keyboards and decomposed
 * (NFD) from some (macOS, old Unikey settings); stored text is always NFC
 * so that equal questions compare equal. Search folds case and strips
 * diacritics (and maps đ/Đ to d), so "dang" finds "Đảng".
 *
 * Pure code; any thread.
 */
#ifndef EXAMD_TEXT_H
#define EXAMD_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* What text_check found. */
enum text_status {
    TEXT_OK = 0,
    TEXT_EUTF8 = 1,   /* not UTF-8 (bad, overlong or truncated sequence,
                         surrogate, above U+10FFFF) */
    TEXT_ECONTROL = 2 /* NUL or a C0 control other than tab, LF, CR */
};

/* Check s[0..len): returns enum text_status; on failure *bad_at (if not
 * NULL) is the offset of the first offending byte. */
int text_check(const char *s, size_t len, size_t *bad_at);

/* Is s[0..len) valid UTF-8 with no NUL and no C0 control but tab, LF, CR? */
bool text_is_valid(const char *s, size_t len);

/* A new NUL-terminated NFC copy of s[0..len) (free), with every line break
 * (CRLF, CR, NEL) made LF, or NULL when s is not valid UTF-8 or malloc
 * fails. */
char *text_nfc(const char *s, size_t len);

/* A new search key for s (NUL-terminated): NFC, case-folded, diacritics
 * stripped, đ -> d, runs of white space made one space, trimmed. NULL on
 * invalid UTF-8 or malloc failure. */
char *text_fold(const char *s);

#endif
