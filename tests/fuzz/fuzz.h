/*
 * fuzz.h — what the fuzz targets (tests/fuzz/fuzz_*.c) share: an
 * invariant check that aborts (so libFuzzer and the replay driver both
 * report it with the input), and the checks every parsed bank must pass.
 *
 * Each target defines LLVMFuzzerTestOneInput. Built two ways
 * (tests/fuzz/CMakeLists.txt): with clang's libFuzzer (EXAMD_FUZZ) to
 * search for new inputs, and with replay.c in every build to run the
 * committed corpus as a CTest regression test.
 */
#ifndef EXAMD_FUZZ_H
#define EXAMD_FUZZ_H

#include "bank.h"
#include "text.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                          \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* Is s valid UTF-8 (no control but tab, LF, CR) and already NFC? */
static inline bool fuzz_is_nfc(const char *s)
{
    if (!s)
        return false;
    char *n = text_nfc(s, strlen(s));
    bool ok = n && !strcmp(n, s);
    free(n);
    return ok;
}

static inline int fuzz_popcount(unsigned v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

/* Every rule a stored question obeys (docs/question-bank-format.md). */
static inline void fuzz_question_check(const struct bank_question *q)
{
    FUZZ_CHECK(fuzz_is_nfc(q->ext_id));
    FUZZ_CHECK(fuzz_is_nfc(q->topic) && *q->topic);
    FUZZ_CHECK(fuzz_is_nfc(q->text) && *q->text);
    FUZZ_CHECK(fuzz_is_nfc(q->explanation));
    FUZZ_CHECK(q->difficulty == EXAM_EASY || q->difficulty == EXAM_MEDIUM ||
               q->difficulty == EXAM_HARD);
    FUZZ_CHECK(q->n_options >= 2 && q->n_options <= EXAM_MAX_OPTIONS);
    FUZZ_CHECK(q->points >= 1 && q->points <= 100);
    int64_t positive = 0;
    for (int k = 0; k < q->n_options; k++) {
        FUZZ_CHECK(fuzz_is_nfc(q->options[k]) && *q->options[k]);
        FUZZ_CHECK(q->weight[k] >= -BANK_WEIGHT_FULL &&
                   q->weight[k] <= BANK_WEIGHT_FULL);
        if (q->weight[k] > 0)
            positive += q->weight[k];
        bool keyed = q->key & (1u << k);
        if (q->multi)
            FUZZ_CHECK(keyed == (q->weight[k] > 0));
        else
            FUZZ_CHECK(keyed == (q->weight[k] == BANK_WEIGHT_FULL));
    }
    FUZZ_CHECK(q->key && q->key < (1u << q->n_options));
    if (q->multi)
        FUZZ_CHECK(positive == BANK_WEIGHT_FULL);
    else
        FUZZ_CHECK(fuzz_popcount(q->key) == 1);
}

static inline void fuzz_bank_check(const struct bank *b)
{
    FUZZ_CHECK(b && b->n >= 1 && b->q);
    FUZZ_CHECK(fuzz_is_nfc(b->name) && *b->name);
    FUZZ_CHECK(fuzz_is_nfc(b->title));
    for (int i = 0; i < b->n; i++)
        fuzz_question_check(&b->q[i]);
}

/* The first field in which two questions differ (all but line), or NULL. */
static inline const char *fuzz_question_diff(const struct bank_question *a,
                                             const struct bank_question *b)
{
    if (strcmp(a->ext_id, b->ext_id))
        return "ext_id";
    if (strcmp(a->topic, b->topic))
        return "topic";
    if (a->difficulty != b->difficulty)
        return "difficulty";
    if (strcmp(a->text, b->text))
        return "text";
    if (a->multi != b->multi)
        return "multi";
    if (a->n_options != b->n_options)
        return "n_options";
    for (int k = 0; k < a->n_options; k++) {
        if (strcmp(a->options[k], b->options[k]))
            return "an option";
        if (a->weight[k] != b->weight[k])
            return "a weight";
    }
    if (a->key != b->key)
        return "key";
    if (a->points != b->points)
        return "points";
    if (a->shuffle != b->shuffle)
        return "shuffle";
    if (strcmp(a->explanation, b->explanation))
        return "explanation";
    return NULL;
}

/* Abort, saying where, unless a and b hold the same questions. */
static inline void fuzz_bank_same(const struct bank *a, const struct bank *b,
                                  const char *what)
{
    if (!b) {
        fprintf(stderr, "%s: the written bank does not read back\n", what);
        abort();
    }
    FUZZ_CHECK(a->n == b->n);
    for (int i = 0; i < a->n; i++) {
        const char *d = fuzz_question_diff(&a->q[i], &b->q[i]);
        if (d) {
            fprintf(stderr, "%s: question %d differs in %s\n", what, i + 1, d);
            abort();
        }
    }
}

#endif
