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

/* Parse text, detecting its format, which must be expect, and import
 * it without a problem. */
static inline bool parse_auto_ok(const char *text, int expect,
                                 struct import_result *r)
{
    int rc = parse_fmt(text, IMPORT_AUTO, false, r);
    CHECK_EQ_INT(rc, 0);
    CHECK_EQ_INT(r->format, expect);
    if (rc)
        print_issues(r);
    return rc == 0 && r->format == expect;
}

/* r holds exactly n issues, issue i on lines[i] with what[i] in its
 * English text. */
static inline void check_issues(const struct import_result *r, int n,
                                const int *lines, const char *const *what)
{
    CHECK_EQ_INT(r->n_issues, n);
    for (int i = 0; i < n && i < r->n_issues; i++) {
        CHECK_EQ_INT(r->issues[i].line, lines[i]);
        CHECK_STR_HAS(r->issues[i].en, what[i]);
    }
    if (r->n_issues != n)
        print_issues(r);
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
