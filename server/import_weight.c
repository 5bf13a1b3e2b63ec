/*
 * import_weight.c — an option's share of the mark, as Moodle grades it.
 *
 * Moodle offers a fixed list of grade fractions (100 %, 90 %, 83.33333 % ...
 * 5 %, 0 and their negatives) and its importers refuse any other value
 * unless it lies within 0.00001 of one. examd keeps the same list for every
 * format, native included, so that every bank exports to GIFT that both
 * examd and Moodle read back. Weights are integers in 1e-7 of the mark
 * (BANK_WEIGHT_FULL = 100 %), exactly Moodle's 7 decimals of a fraction.
 */
#include "import_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int32_t imp_grades[] = {
    10000000, 9000000, 8333333, 8000000, 7500000, 7000000, 6666667,
    6000000,  5000000, 4000000, 3333333, 3000000, 2500000, 2000000,
    1666667,  1428571, 1250000, 1111111, 1000000, 500000,  0};

const char import_weight_list[] =
    "100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, "
    "20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0";

int import_percent_parse(const char *s, size_t len, int64_t *units)
{
    size_t i = 0, digits = 0;
    bool neg = false;
    int64_t ip = 0, fp = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++)
        if (ip < 1000000)
            ip = ip * 10 + (s[i] - '0');
    if (i < len && s[i] == '.') {
        int nf = 0;
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++, nf++) {
            if (nf < 5)
                fp = fp * 10 + (s[i] - '0');
            else if (nf == 5 && s[i] >= '5')
                fp++; /* round the 6th decimal */
        }
        for (; nf < 5; nf++)
            fp *= 10;
    }
    if (!digits || i != len)
        return -1;
    *units = (ip * 100000 + fp) * (neg ? -1 : 1);
    return 0;
}

int import_weight_snap(int64_t units, int32_t *out)
{
    int64_t a = units < 0 ? -units : units;
    for (size_t i = 0; i < sizeof imp_grades / sizeof *imp_grades; i++) {
        int64_t d = a - imp_grades[i];
        if (d < IMPORT_WEIGHT_TOL && d > -IMPORT_WEIGHT_TOL) {
            *out = units < 0 ? -imp_grades[i] : imp_grades[i];
            return 0;
        }
    }
    return -1;
}

void import_percent_format(int32_t units, char *buf)
{
    int64_t a = units < 0 ? -(int64_t)units : units;
    int n = snprintf(buf, 24, "%s%lld", units < 0 ? "-" : "",
                     (long long)(a / 100000));
    if (a % 100000) {
        snprintf(buf + n, (size_t)(24 - n), ".%05lld", (long long)(a % 100000));
        size_t l = strlen(buf);
        while (buf[l - 1] == '0')
            buf[--l] = '\0';
    }
}

void import_weights_default(struct bank_question *q)
{
    int n = 0, last = -1;
    for (int k = 0; k < q->n_options; k++)
        if (q->key & (1u << k))
            n++;
    int32_t share = n ? (BANK_WEIGHT_FULL + n / 2) / n : 0, sum = 0;
    for (int k = 0; k < EXAM_MAX_OPTIONS; k++) {
        q->weight[k] = 0;
        if (k >= q->n_options || !(q->key & (1u << k)))
            continue;
        q->weight[k] = q->multi ? share : BANK_WEIGHT_FULL;
        sum += q->weight[k];
        last = k;
    }
    if (q->multi && last >= 0)
        q->weight[last] += BANK_WEIGHT_FULL - sum;
}

bool import_weights_are_default(const struct bank_question *q)
{
    struct bank_question d = *q;
    import_weights_default(&d);
    return !memcmp(d.weight, q->weight, sizeof d.weight);
}

#define IMP_WFAIL(...)                                                         \
    do {                                                                       \
        snprintf(vi, 160, __VA_ARGS__);                                        \
        return -1;                                                             \
    } while (0)

static int imp_weights_single(struct bank_question *q, char *vi, char *en)
{
    int full = 0;
    q->key = 0;
    for (int k = 0; k < q->n_options; k++)
        if (q->weight[k] == BANK_WEIGHT_FULL) {
            full++;
            q->key |= (uint8_t)(1u << k);
        }
    if (full == 1)
        return 0;
    if (!full) {
        snprintf(en, 160, "has no option worth 100 %% (single-answer)");
        IMP_WFAIL("không có lựa chọn nào được 100 %% (một đáp án)");
    }
    snprintf(en, 160, "has %d correct answers but is marked single-answer",
             full);
    IMP_WFAIL("có %d đáp án đúng nhưng được đánh dấu một đáp án", full);
}

static int imp_weights_multi(struct bank_question *q, char *vi, char *en)
{
    int64_t sum = 0;
    int npos = 0, last = -1;
    char pct[24];
    q->key = 0;
    for (int k = 0; k < q->n_options; k++)
        if (q->weight[k] > 0) {
            sum += q->weight[k];
            npos++;
            last = k;
            q->key |= (uint8_t)(1u << k);
        }
    if (!npos) {
        snprintf(en, 160, "has no option with a positive weight");
        IMP_WFAIL("không có lựa chọn nào có trọng số dương");
    }
    int64_t off = BANK_WEIGHT_FULL - sum;
    if (off >= (int64_t)IMPORT_WEIGHT_TOL * npos ||
        off <= -(int64_t)IMPORT_WEIGHT_TOL * npos ||
        q->weight[last] + off > BANK_WEIGHT_FULL) {
        import_percent_format((int32_t)(sum > 2000000000 ? 2000000000 : sum),
                              pct);
        snprintf(en, 160,
                 "positive weights add up to %s %%; they must add up to "
                 "100 %% (multiple-answer)",
                 pct);
        IMP_WFAIL("tổng các trọng số dương là %s %%; phải bằng 100 %% "
                  "(nhiều đáp án)",
                  pct);
    }
    q->weight[last] += (int32_t)off;
    return 0;
}

int import_weights_check(struct bank_question *q, char *vi, char *en)
{
    char pct[24];
    vi[0] = en[0] = '\0';
    for (int k = 0; k < q->n_options; k++)
        if (q->weight[k] > BANK_WEIGHT_FULL ||
            q->weight[k] < -BANK_WEIGHT_FULL) {
            import_percent_format(q->weight[k], pct);
            snprintf(en, 160, "option %d has weight %s %%, outside -100..100",
                     k + 1, pct);
            IMP_WFAIL("lựa chọn %d có trọng số %s %%, ngoài khoảng -100..100",
                      k + 1, pct);
        }
    for (int k = q->n_options; k < EXAM_MAX_OPTIONS; k++)
        q->weight[k] = 0;
    return q->multi ? imp_weights_multi(q, vi, en)
                    : imp_weights_single(q, vi, en);
}
