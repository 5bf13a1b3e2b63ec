/*
 * import.h — question files in other formats, read into a struct bank.
 *
 * Trainers hold their questions in Moodle files (GIFT, Moodle XML), in
 * Aiken lists made in Word and in Excel sheets saved as CSV. import_parse
 * reads one file whole, checks every question, and returns either a bank
 * with every question or the list of problems, each with the file's line
 * number and the question, in Vietnamese and English. Nothing is written
 * here: the caller stores the bank in one transaction (all or nothing).
 *
 * All text is validated as UTF-8 and normalised to Unicode NFC (text.h),
 * so the same Vietnamese typed on different keyboards compares equal and
 * exact duplicates within the file are found. HTML (Moodle XML) is reduced
 * to plain text: no markup ever reaches a browser.
 *
 * Formats: docs/question-bank-format.md. Pure code (no I/O); any thread.
 */
#ifndef EXAMD_IMPORT_H
#define EXAMD_IMPORT_H

#include "bank.h"

#include <stdbool.h>
#include <stddef.h>

enum import_format {
    IMPORT_AUTO = 0, /* detect from content */
    IMPORT_NATIVE,   /* examd-bank/1 JSON */
    IMPORT_GIFT,
    IMPORT_AIKEN,
    IMPORT_MOODLEXML,
    IMPORT_CSV
};

struct import_opts {
    int format;            /* enum import_format */
    bool skip_unsupported; /* skip (and report) essay, matching, numerical,
                              short answer, description; else they fail */
    const char *bank_name; /* the bank's short name when the file has none
                              (every format but native); NULL = "imported" */
    const char *title;     /* the bank's title when the file has none;
                              NULL = bank_name */
};

struct import_issue {
    int line;         /* 1-based line in the file, 0 = the whole file */
    bool skipped;     /* an unsupported question skipped, not an error */
    char *question;   /* owned: the start of the question's text (<= 80
                         bytes, cut on a character boundary, then "…"),
                         "" when the issue is not about one question */
    char *vi;         /* owned: what is wrong, in Vietnamese; with a
                         question, said of it ("có 2 đáp án đúng ...") */
    char *en;         /* owned: the same in English ("has 2 correct
                         answers ...") */
};

struct import_result {
    struct bank *bank;   /* owned; NULL when any error was found */
    int format;          /* the format read (detected or given) */
    int n_issues;
    struct import_issue *issues; /* owned array: errors and skipped ones,
                                    in file order, at most IMPORT_MAX_ISSUES */
    int n_errors;        /* issues that are errors (not skipped) */
    int n_skipped;
};

#define IMPORT_MAX_ISSUES 200

/*
 * Read text (len bytes, need not be NUL-terminated) as opts->format. Fills
 * out (zero it first). Returns 0 with out->bank set, EXAMD_EINVAL with the
 * problems in out->issues, or EXAMD_ENOMEM.
 */
int import_parse(const char *text, size_t len, const struct import_opts *opts,
                 struct import_result *out);

/* Free what import_parse put in r (the bank too, unless taken: set
 * r->bank = NULL first to keep it). Accepts a zeroed r. */
void import_result_fini(struct import_result *r);

/* Guess the format from content: never IMPORT_AUTO. */
int import_format_detect(const char *text, size_t len);

/* "gift" -> IMPORT_GIFT ...; -1 if unknown. And back. */
int import_format_parse(const char *name);
const char *import_format_name(int format);

/*
 * One issue as one line: "line 214: question "…" has two correct answers
 * but is marked single-answer", Vietnamese then English separated by " / ".
 * Returns a new string (free) or NULL on malloc failure.
 */
char *import_issue_format(const struct import_issue *is);

/*
 * Write a bank out as GIFT or as native JSON. Importing the output gives
 * the same bank (topics, difficulty, text, options, weights, points,
 * explanation, shuffle; GIFT keeps difficulty, points and shuffle in a
 * "// examd:" comment Moodle ignores, and does not carry the bank's name
 * and title: the importer's options give them). Returns a new NUL-terminated string (free) or
 * NULL on malloc failure.
 */
char *export_gift(const struct bank *b);
char *export_native(const struct bank *b);

#endif
