/*
 * bank.h — question banks in examd's native format (examd-bank/1).
 *
 * A bank file is read and validated whole (bank_parse) before the store
 * writes any of it in one transaction (store_bank_import): an import is all
 * or nothing. Errors name the question (1-based number and id) and the
 * field, in Vietnamese and English. Format: docs/question-bank-format.md.
 *
 * Pure code (no I/O but reading the JSON text given); any thread.
 */
#ifndef EXAMD_BANK_H
#define EXAMD_BANK_H

#include "exam.h"

#include <stddef.h>

/* An option's share of its question's mark, in units of 1e-7: WEIGHT_FULL
 * is 100 %, -WEIGHT_FULL is -100 %. Moodle's fractions have 7 decimals. */
#define BANK_WEIGHT_FULL 10000000

struct bank_question {
    int line;       /* 1-based line of the question in its source file (for
                       native JSON: the question's number), 0 if unknown */
    char *ext_id;   /* owned, "" when the file has none */
    char *topic;    /* owned, NFC */
    int difficulty; /* enum exam_difficulty */
    char *text;     /* owned, NFC, plain text (no HTML) */
    bool multi;     /* candidates tick every correct option (checkboxes) */
    int n_options;
    char *options[EXAM_MAX_OPTIONS]; /* owned, NFC */
    /* Share of the mark each option carries, BANK_WEIGHT_FULL = 100 %.
     * Single answer: the right option has WEIGHT_FULL; others 0 or a
     * partial/negative share (Moodle). Multiple answer: positive weights sum
     * to WEIGHT_FULL; wrong options 0 or negative. */
    int32_t weight[EXAM_MAX_OPTIONS];
    uint8_t key;       /* bit i: option i is correct (weight > 0 for multi,
                          weight == WEIGHT_FULL for single) */
    int points;        /* the question's mark in a paper, 1..100, default 1 */
    bool shuffle;      /* options may be shuffled (Moodle shuffleanswers);
                          default true */
    char *explanation; /* owned, may be "": general and per-option
                          feedback kept together */
};

struct bank {
    char *name;  /* owned, short unique name */
    char *title; /* owned */
    int n;
    struct bank_question *q; /* owned array of n */
};

/*
 * Parse and validate a native bank from JSON text of length len. Returns a
 * new bank (free with bank_free) or NULL with the first error in msg.
 */
struct bank *bank_parse(const char *text, size_t len, char *msg, size_t msglen);

/* Read a file and bank_parse it; msg names the file. */
struct bank *bank_load_file(const char *path, char *msg, size_t msglen);

/* Free what one question owns and zero it (not q itself). */
void bank_question_fini(struct bank_question *q);

/* Free a bank; accepts NULL. */
void bank_free(struct bank *b);

/* "easy" -> EXAM_EASY ...; -1 if unknown. */
int bank_difficulty_parse(const char *s);
const char *bank_difficulty_name(int d);

#endif
