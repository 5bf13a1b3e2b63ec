/*
 * load_hist.c — log-linear latency histograms: 32 sub-buckets per power
 * of two (about 3 % resolution), fixed size so workers merge by adding
 * and the struct crosses a pipe as bytes. Values are microseconds.
 */
#include "load.h"

static int load_hist_index(uint64_t v)
{
    if (v < LOAD_HIST_SUB)
        return (int)v;
    int msb = 63 - __builtin_clzll(v);          /* >= 5 */
    int sub = (int)((v >> (msb - 5)) & (LOAD_HIST_SUB - 1));
    int i = (msb - 4) * LOAD_HIST_SUB + sub;
    return i < LOAD_HIST_BUCKETS ? i : LOAD_HIST_BUCKETS - 1;
}

/* The upper edge of bucket i (a conservative percentile). */
static uint64_t load_hist_value(int i)
{
    if (i < LOAD_HIST_SUB)
        return (uint64_t)i;
    int msb = i / LOAD_HIST_SUB + 4, sub = i % LOAD_HIST_SUB;
    return (((uint64_t)(LOAD_HIST_SUB + sub) + 1) << (msb - 5)) - 1;
}

void load_hist_add(struct load_hist *h, uint64_t v)
{
    h->b[load_hist_index(v)]++;
    h->n++;
    h->sum += v;
    if (v > h->max)
        h->max = v;
}

void load_hist_merge(struct load_hist *dst, const struct load_hist *src)
{
    for (int i = 0; i < LOAD_HIST_BUCKETS; i++)
        dst->b[i] += src->b[i];
    dst->n += src->n;
    dst->sum += src->sum;
    if (src->max > dst->max)
        dst->max = src->max;
}

/* The pct-th percentile (0..100), 0 for an empty histogram; never above
 * the maximum seen. */
uint64_t load_hist_pct(const struct load_hist *h, double pct)
{
    if (!h->n)
        return 0;
    uint64_t want = (uint64_t)((double)h->n * pct / 100.0 + 0.5), seen = 0;
    if (want < 1)
        want = 1;
    for (int i = 0; i < LOAD_HIST_BUCKETS; i++) {
        seen += h->b[i];
        if (seen >= want) {
            uint64_t v = load_hist_value(i);
            return v < h->max ? v : h->max;
        }
    }
    return h->max;
}
