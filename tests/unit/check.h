/*
 * check.h — the unit tests' tiny harness: CHECK() records a failure with
 * its line and goes on; check_done() prints "N passed, N failed" and
 * returns the exit status for main.
 */
#ifndef EXAMD_CHECK_H
#define EXAMD_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int check_pass, check_fail;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (cond) {                                                            \
            check_pass++;                                                      \
        } else {                                                               \
            check_fail++;                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
        }                                                                      \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                     \
    do {                                                                       \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);        \
        if (check_a_ == check_b_) {                                            \
            check_pass++;                                                      \
        } else {                                                               \
            check_fail++;                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s == %s (%lld != %lld)\n",  \
                    __FILE__, __LINE__, #a, #b, check_a_, check_b_);           \
        }                                                                      \
    } while (0)

#define CHECK_STR_HAS(s, needle) CHECK(strstr((s), (needle)) != NULL)

/* A small seeded PRNG (xorshift64) for randomised tests: a value in
 * 0 .. below - 1; the same seed gives the same run on any machine. */
static inline uint32_t check_rand(uint64_t *state, uint32_t below)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return (uint32_t)(*state % below);
}

static inline int check_done(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, check_pass, check_fail);
    return check_fail ? 1 : 0;
}

#endif
