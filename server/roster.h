/*
 * roster.h — a class roster from a spreadsheet saved as CSV, and the
 * logins and passwords examd makes for it (docs/roster-format.md).
 *
 * One person a row under a header naming the columns, in any order, in
 * Vietnamese or English: họ và tên / full name, ngày sinh / date of birth
 * (dd/mm/yyyy or yyyy-mm-dd), đơn vị / unit (a unit's name or its path,
 * "Đảng ủy phường A / Chi bộ 3"), số điện thoại / phone (optional). UTF-8
 * with or without a BOM, ',' or ';' between cells. Everything wrong is
 * reported by line, and nothing is kept from a file with errors: the
 * caller checks n_issues.
 *
 * What this module cannot see (units, people already in the class, logins
 * already taken) is checked by the store when the roster is written.
 *
 * Pure code; any thread (roster_password uses libsodium's generator).
 */
#ifndef EXAMD_ROSTER_H
#define EXAMD_ROSTER_H

#include <stdbool.h>
#include <stddef.h>

#define ROSTER_MAX_ROWS 500
#define ROSTER_MAX_ISSUES 200
#define ROSTER_NAME_MAX 120 /* bytes of a full name */
#define ROSTER_LOGIN_MAX 32 /* bytes of a login, number included */
#define ROSTER_PASSWORD_LEN 10

/* One person of the file. */
struct roster_row {
    int line;       /* physical line where the row starts */
    char *name;     /* owned: NFC, trimmed, inner spaces made one */
    char *fold;     /* owned: text_fold(name), for duplicates */
    char birth[11]; /* yyyy-mm-dd */
    char *unit;     /* owned: the unit cell trimmed, "" = the class's unit */
    char phone[24]; /* digits, maybe a leading '+'; "" = none */
};

/* What is wrong with the file, by line (0 = the whole file). */
struct roster_issue {
    int line;
    char *vi, *en; /* owned */
};

struct roster {
    struct roster_row *rows; /* owned; in file order */
    int n;
    struct roster_issue *issues; /* owned; at most ROSTER_MAX_ISSUES */
    int n_issues;
    bool oom; /* a malloc failed: the roster is unusable */
};

/*
 * Read text[0..len) into out (zeroed by the caller). Rows with problems
 * are reported in out->issues and left out of out->rows. Two rows with
 * the same name (ignoring case and diacritics) and date of birth: the
 * later one is an issue naming the earlier line. Returns 0 (check
 * n_issues) or EXAMD_ENOMEM.
 */
int roster_parse(const char *text, size_t len, struct roster *out);

/* Free what roster_parse filled; accepts a zeroed struct. */
void roster_fini(struct roster *r);

/* Record an issue (printf formats, same arguments for both). */
void roster_issue(struct roster *r, int line, const char *vi_fmt,
                  const char *en_fmt, ...);

/* Sort the issues by line (stable). */
void roster_issues_sort(struct roster *r);

/*
 * A date of birth "d/m/yyyy", "dd/mm/yyyy" (also with '-' or '.') or
 * "yyyy-mm-dd" as "yyyy-mm-dd" into out (11 bytes). Years 1900..2099;
 * the day must exist (29/02 only in leap years). 0 or -1.
 */
int roster_date_parse(const char *s, char out[11]);

/*
 * The login stem of a full name: lower case ASCII letters and digits of
 * the name without diacritics ("Nguyễn Văn Ân" -> "nguyenvanan", "Đặng"
 * -> "dang"), cut to leave room for a number; "hocvien" when nothing is
 * left. out has ROSTER_LOGIN_MAX bytes. 0 or EXAMD_ENOMEM / EXAMD_EINVAL
 * (not UTF-8).
 */
int roster_login_stem(const char *name, char out[ROSTER_LOGIN_MAX]);

/* The n-th login of a stem: n = 1 is the stem itself, then stem2,
 * stem3... out has ROSTER_LOGIN_MAX bytes. */
void roster_login_nth(const char *stem, int n, char out[ROSTER_LOGIN_MAX]);

/* A new random password of ROSTER_PASSWORD_LEN characters from an
 * alphabet without look-alikes (no 0 o 1 l i), easy to type on a phone. */
void roster_password(char out[ROSTER_PASSWORD_LEN + 1]);

#endif
