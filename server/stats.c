/*
 * stats.c — the figures of Moodle's quiz statistics report over plain
 * arrays (see stats.h; formulas in docs/statistics.md).
 *
 * Everything is computed in "percent of the paper" units: an attempt's
 * total is 100 x its marks / its paper's maximum, and a slot's mark is on
 * the same scale, so the slots' variances add up to the scale of the
 * total's (the coefficient of internal consistency needs that) even when
 * papers drawn from a blueprint have different maxima. When every paper
 * has the same maximum this is Moodle's figures scaled by a constant, which
 * changes none of the ratios. Two passes over the data (means first, then
 * the powers of the differences), O(n log n) for the sorts.
 */
#include "stats.h"
#include "err.h"

#include <stdlib.h>
#include <string.h>

static int stats_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double stats_mean(const double *v, int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += v[i];
    return n ? sum / n : STATS_NULL;
}

/* The median of v (sorted in place). */
static double stats_median(double *v, int n)
{
    if (n == 0)
        return STATS_NULL;
    qsort(v, (size_t)n, sizeof *v, stats_cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Sum of (x - mx)(y - my) over n pairs. */
static double stats_co(const double *x, double mx, const double *y, double my,
                       int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += (x[i] - mx) * (y[i] - my);
    return sum;
}

/* The test figures from the totals t (percent; reordered) and the sum of
 * the slots' variances. Moodle's quiz_statistics calculator. */
static void stats_test_fill(struct stats_test *o, double *t, int n, int p,
                            double slot_var_sum)
{
    o->n = n;
    o->mean = stats_mean(t, n);
    o->sd = o->skewness = o->kurtosis = STATS_NULL;
    o->cic = o->error_ratio = o->standard_error = STATS_NULL;
    for (int a = 0; a < n; a++) {
        double score10 = t[a] / 10 + 1e-9; /* 7 of 10 is 7.0, not 6.99.. */
        int bin = score10 < 0 ? 0 : (int)score10;
        o->hist[bin > STATS_HIST_BINS - 1 ? STATS_HIST_BINS - 1 : bin]++;
    }
    if (n > 1) {
        double p2 = 0, p3 = 0, p4 = 0;
        for (int a = 0; a < n; a++) {
            double d = t[a] - o->mean;
            p2 += d * d;
            p3 += d * d * d;
            p4 += d * d * d * d;
        }
        o->sd = sqrt(p2 / (n - 1));
        if (n > 2) {
            double m2 = p2 / n, m3 = p3 / n, m4 = p4 / n;
            double k2 = n * m2 / (n - 1);
            double k3 = (double)n * n * m3 / ((double)(n - 1) * (n - 2));
            if (k2 > STATS_EPS) {
                o->skewness = k3 / pow(k2, 1.5);
                if (n > 3) {
                    double k4 = (double)n * n *
                                ((n + 1) * m4 - 3.0 * (n - 1) * m2 * m2) /
                                ((double)(n - 1) * (n - 2) * (n - 3));
                    o->kurtosis = k4 / (k2 * k2);
                }
                if (p > 1) {
                    o->cic = 100.0 * p / (p - 1) * (1 - slot_var_sum / k2);
                    o->error_ratio = 100 * sqrt(1 - o->cic / 100);
                    o->standard_error = o->error_ratio * o->sd / 100;
                }
            }
        }
    }
    o->median = stats_median(t, n);
}

/*
 * One question's figures from its s marks x (percent of the paper), the
 * rest of the test r and the fractions f. xs, rs: scratch of s each.
 * Moodle's core_question statistics calculator.
 */
static void stats_item_fill(struct stats_item *o, const double *x,
                            const double *r, const double *f, double *xs,
                            double *rs, int s)
{
    o->s = s;
    o->facility = s ? 100 * stats_mean(f, s) : STATS_NULL;
    o->sd = o->discrimination = o->efficiency = STATS_NULL;
    if (s > 1) {
        double mf = stats_mean(f, s), mx = stats_mean(x, s);
        double mr = stats_mean(r, s);
        o->sd = 100 * sqrt(stats_co(f, mf, f, mf, s) / (s - 1));
        double vx = stats_co(x, mx, x, mx, s) / (s - 1);
        double vr = stats_co(r, mr, r, mr, s) / (s - 1);
        double cov = stats_co(x, mx, r, mr, s) / (s - 1);
        if (vx > STATS_EPS && vr > STATS_EPS)
            o->discrimination = 100 * cov / sqrt(vx * vr);
        /* The largest covariance these marks could have with these rests:
         * both sorted, paired rank by rank. */
        memcpy(xs, x, sizeof *xs * (size_t)s);
        memcpy(rs, r, sizeof *rs * (size_t)s);
        qsort(xs, (size_t)s, sizeof *xs, stats_cmp_double);
        qsort(rs, (size_t)s, sizeof *rs, stats_cmp_double);
        double cmax = stats_co(xs, mx, rs, mr, s) / (s - 1);
        if (cmax > STATS_EPS)
            o->efficiency = 100 * cov / cmax;
    }
    if (s < STATS_FLAG_MIN_S)
        return;
    if (o->facility > STATS_EASY_ABOVE)
        o->flags |= STATS_FLAG_EASY;
    if (o->facility < STATS_HARD_BELOW)
        o->flags |= STATS_FLAG_HARD;
    /* -1e-9, not 0: a correlation of exactly 0 computed as -1e-14 is not
     * negative */
    if (!stats_is_null(o->discrimination) && o->discrimination < -1e-9)
        o->flags |= STATS_FLAG_NEGATIVE;
    else if (!stats_is_null(o->discrimination) &&
             o->discrimination < STATS_WEAK_BELOW)
        o->flags |= STATS_FLAG_WEAK;
}

static bool stats_input_ok(const struct stats_input *in)
{
    if (in->n_slots < 1 || in->n_items < 0 || in->n_attempts < 0)
        return false;
    for (int i = 0; i < in->n_items; i++)
        if (!(in->items[i].points > 0) || in->items[i].n_options < 1 ||
            in->items[i].n_options > EXAM_MAX_OPTIONS)
            return false;
    size_t cells = (size_t)in->n_attempts * (size_t)in->n_slots;
    for (size_t k = 0; k < cells; k++)
        if (in->item[k] < 0 || in->item[k] >= in->n_items)
            return false;
    return true;
}

/* Slot k's mark in percent of its paper (scale: 100 / the paper's
 * maximum, per attempt). */
static double stats_mark(const struct stats_input *in, const double *scale,
                         size_t k)
{
    return in->fraction[k] * in->items[in->item[k]].points *
           scale[k / (size_t)in->n_slots];
}

/* Each attempt's scale and total (percent of its paper) into scale and t,
 * and the sum of the slots' variances (col: scratch of n). */
static double stats_totals(const struct stats_input *in, double *scale,
                           double *t, double *col)
{
    int n = in->n_attempts, p = in->n_slots;
    for (int a = 0; a < n; a++) {
        double max = 0;
        for (int j = 0; j < p; j++)
            max += in->items[in->item[(size_t)a * p + j]].points;
        scale[a] = 100 / max;
        t[a] = 0;
        for (int j = 0; j < p; j++)
            t[a] += stats_mark(in, scale, (size_t)a * p + j);
    }
    double var_sum = 0;
    for (int j = 0; n > 1 && j < p; j++) {
        for (int a = 0; a < n; a++)
            col[a] = stats_mark(in, scale, (size_t)a * p + j);
        double m = stats_mean(col, n);
        var_sum += stats_co(col, m, col, m, n) / (n - 1);
    }
    return var_sum;
}

/* Count the options chosen in slot k for its question. */
static void stats_count(const struct stats_input *in, size_t k,
                        struct stats_item *it)
{
    uint8_t ch = in->choice ? in->choice[k] : 0;
    if (in->choice && !ch)
        it->blank++;
    for (int o = 0; o < EXAM_MAX_OPTIONS; o++)
        if (ch & (1u << o))
            it->chose[o]++;
}

/*
 * Memory: 4 bytes a paper question (the slots grouped by question) and
 * eight doubles an attempt, besides the input; a question is on a paper
 * at most once, so it has at most n marks.
 */
int stats_compute(const struct stats_input *in, struct stats_result *out)
{
    memset(out, 0, sizeof *out);
    if (!stats_input_ok(in))
        return EXAMD_EINVAL;
    int n = in->n_attempts, p = in->n_slots, rc = EXAMD_ENOMEM;
    size_t cells = (size_t)n * p, n1 = (size_t)n + 1;
    double *d = malloc(sizeof *d * n1 * 8); /* scale t col x r f xs rs */
    /* The slots grouped by question: by[start[i] .. start[i + 1]). */
    size_t *start = calloc((size_t)in->n_items + 2, sizeof *start);
    uint32_t *by = malloc(sizeof *by * (cells + 1));
    out->items = calloc((size_t)in->n_items + 1, sizeof *out->items);
    if (!d || !start || !by || !out->items || cells > UINT32_MAX)
        goto fail;
    out->n_items = in->n_items;
    double *scale = d, *t = d + n1, *col = d + 2 * n1, *x = d + 3 * n1;
    double *r = d + 4 * n1, *f = d + 5 * n1, *xs = d + 6 * n1;
    double *rs = d + 7 * n1;
    double var_sum = stats_totals(in, scale, t, col);
    for (size_t k = 0; k < cells; k++)
        start[in->item[k] + 2]++;
    for (int i = 2; i <= in->n_items + 1; i++)
        start[i] += start[i - 1];
    for (size_t k = 0; k < cells; k++) /* start[i + 1]: next free of i */
        by[start[in->item[k] + 1]++] = (uint32_t)k;
    for (int i = 0; i < in->n_items; i++) {
        int s = (int)(start[i + 1] - start[i]);
        for (int m = 0; m < s; m++) {
            size_t k = by[start[i] + m];
            x[m] = stats_mark(in, scale, k);
            r[m] = t[k / (size_t)p] - x[m];
            f[m] = in->fraction[k];
            stats_count(in, k, &out->items[i]);
        }
        stats_item_fill(&out->items[i], x, r, f, xs, rs, s);
    }
    stats_test_fill(&out->test, t, n, p, var_sum);
    rc = 0;
fail:
    free(d);
    free(start);
    free(by);
    if (rc)
        stats_result_fini(out);
    return rc;
}

void stats_result_fini(struct stats_result *r)
{
    if (!r)
        return;
    free(r->items);
    r->items = NULL;
    r->n_items = 0;
}

json_t *stats_json_real(double x)
{
    return stats_is_null(x) || isinf(x) ? json_null() : json_real(x);
}
