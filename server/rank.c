/*
 * rank.c — the ranking of a contest round and its prizes (see rank.h).
 */
#include "rank.h"

#include <stdlib.h>

bool rank_attempt_better(int sa, int na, int sb, int nb)
{
    return sa > sb || (sa == sb && na < nb);
}

int rank_actual(const struct rank_entry *v, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        if (v[i].total > 0 && v[i].correct == v[i].total)
            k++;
    return k;
}

/* -1, 0 or 1 for x < y, x == y, x > y. */
static int rank_cmp64(int64_t x, int64_t y)
{
    return (x > y) - (x < y);
}

int rank_compare(const struct rank_entry *a, const struct rank_entry *b)
{
    int c = rank_cmp64(b->score_centi, a->score_centi); /* descending */
    if (!c)
        c = rank_cmp64(a->diff, b->diff);
    if (!c)
        c = rank_cmp64(a->time_ms, b->time_ms);
    if (!c)
        c = rank_cmp64(a->submitted_ms, b->submitted_ms);
    return c;
}

static int rank_qsort_cmp(const void *x, const void *y)
{
    const struct rank_entry *a = x, *b = y;
    int c = rank_compare(a, b);
    return c ? c : rank_cmp64(a->user_id, b->user_id);
}

void rank_sort(struct rank_entry *v, int n, int64_t actual, bool use_prediction)
{
    for (int i = 0; i < n; i++) {
        int64_t d = v[i].prediction - actual;
        if (!use_prediction)
            v[i].diff = 0;
        else if (!v[i].has_prediction)
            v[i].diff = RANK_NO_DIFF;
        else
            v[i].diff = d < 0 ? -d : d;
    }
    if (n > 1)
        qsort(v, (size_t)n, sizeof *v, rank_qsort_cmp);
    for (int i = 0; i < n; i++)
        v[i].rank =
            i && !rank_compare(&v[i - 1], &v[i]) ? v[i - 1].rank : i + 1;
}

void rank_prizes(struct rank_entry *v, int n, const int *counts, int n_prizes)
{
    for (int i = 0; i < n; i++) {
        int64_t before = v[i].rank - 1, sum = 0; /* places above the group */
        v[i].prize = -1;
        for (int k = 0; k < n_prizes; k++) {
            sum += counts[k];
            if (before < sum) {
                v[i].prize = k;
                break;
            }
        }
    }
}
