/*
 * test_import_util.h — helpers for the import tests: parse with options,
 * compare two banks field by field (all but line) saying where they
 * differ.
 */
#ifndef EXAMD_TEST_IMPORT_UTIL_H
#define EXAMD_TEST_IMPORT_UTIL_H

#include "check.h"
#include "err.h"
#include "import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline int parse_fmt(const char *text, int format, bool skip,
                            struct import_result *r)
{
    struct import_opts o = {.format = format,
                            .skip_unsupported = skip,
                            .bank_name = "nhap",
                            .title = "Ngân hàng nhập"};
    memset(r, 0, sizeof *r);
    return import_parse(text, strlen(text), &o, r);
}

/* Print every issue (when a test fails, to see why). */
static inline void print_issues(const struct import_result *r)
{
    for (int i = 0; i < r->n_issues; i++) {
        char *s = import_issue_format(&r->issues[i]);
        fprintf(stderr, "  issue: %s\n", s ? s : "?");
        free(s);
    }
}

static inline bool bank_question_equal(const struct bank_question *a,
                                       const struct bank_question *b, int i)
{
#define QNE(cond, what)                                                        \
    if (cond) {                                                                \
        fprintf(stderr, "question %d differs in %s\n", i + 1, what);           \
        return false;                                                          \
    }
    QNE(strcmp(a->ext_id, b->ext_id), "ext_id");
    QNE(strcmp(a->topic, b->topic), "topic");
    QNE(a->difficulty != b->difficulty, "difficulty");
    QNE(strcmp(a->text, b->text), "text");
    QNE(a->multi != b->multi, "multi");
    QNE(a->n_options != b->n_options, "n_options");
    for (int k = 0; k < a->n_options; k++) {
        QNE(strcmp(a->options[k], b->options[k]), "an option");
        QNE(a->weight[k] != b->weight[k], "a weight");
    }
    QNE(a->key != b->key, "key");
    QNE(a->points != b->points, "points");
    QNE(a->shuffle != b->shuffle, "shuffle");
    QNE(strcmp(a->explanation, b->explanation), "explanation");
#undef QNE
    return true;
}

static inline bool bank_equal(const struct bank *a, const struct bank *b)
{
    if (!a || !b || a->n != b->n) {
        fprintf(stderr, "banks differ in size\n");
        return false;
    }
    for (int i = 0; i < a->n; i++)
        if (!bank_question_equal(&a->q[i], &b->q[i], i))
            return false;
    return true;
}

#endif
