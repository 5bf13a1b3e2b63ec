/*
 * test_stats_ref.c — stats.c against tests/integration/stats_ref.py, an
 * independent Python computation of the same figures, on 60 random data
 * sets: 0 to 40 attempts, every question on every paper or a two-cell
 * blueprint (questions missing from some papers, papers of different
 * maxima), marks of 0, 1, halves, quarters and penalties, ties and
 * constant columns. Every figure must agree within 1e-6, null with null.
 * Skipped (and said so) when /usr/bin/python3 is missing.
 */
#include "check.h"
#include "stats.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static uint64_t ref_state = 0x9e3779b97f4a7c15ull;

static unsigned ref_rand(unsigned below)
{
    return check_rand(&ref_state, below);
}

/* got (C) against want (Python, a JSON number or null). */
static void ref_near(double got, json_t *want, const char *what, int set)
{
    bool ok =
        json_is_null(want)
            ? stats_is_null(got)
            : !stats_is_null(got) && fabs(got - json_number_value(want)) < 1e-6;
    CHECK(ok);
    if (!ok)
        fprintf(stderr, "  set %d %s: C %.9g, Python %s %.9g\n", set, what, got,
                json_is_null(want) ? "null" : "", json_number_value(want));
}

/* Python's figures for in, or NULL. */
static json_t *ref_python(const char *script, const struct stats_input *in)
{
    json_t *items = json_array(), *atts = json_array();
    for (int i = 0; i < in->n_items; i++)
        json_array_append_new(items, json_pack("{sf si}", "points",
                                               in->items[i].points, "n_options",
                                               in->items[i].n_options));
    for (int a = 0; a < in->n_attempts; a++) {
        json_t *paper = json_array();
        for (int j = 0; j < in->n_slots; j++) {
            size_t k = (size_t)a * in->n_slots + j;
            json_t *ch = json_array();
            for (int o = 0; o < EXAM_MAX_OPTIONS; o++)
                if (in->choice[k] & (1u << o))
                    json_array_append_new(ch, json_integer(o));
            json_array_append_new(
                paper, json_pack("{si sf so}", "item", in->item[k], "fraction",
                                 in->fraction[k], "choice", ch));
        }
        json_array_append_new(atts, paper);
    }
    json_t *doc = json_pack("{so so}", "items", items, "attempts", atts);
    char path[] = "/tmp/examd-stats-ref-XXXXXX", cmd[600];
    int fd = mkstemp(path);
    json_t *out = NULL;
    if (fd >= 0) {
        close(fd);
        json_dump_file(doc, path, JSON_REAL_PRECISION(17));
        snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' < '%s'", script, path);
        FILE *p = popen(cmd, "r");
        if (p) {
            out = json_loadf(p, 0, NULL);
            pclose(p);
        }
        unlink(path);
    }
    json_decref(doc);
    return out;
}

static void ref_compare(const struct stats_result *r, json_t *py, int set)
{
    json_t *t = json_object_get(py, "test"),
           *qs = json_object_get(py, "questions");
    const struct stats_test *ct = &r->test;
    CHECK_EQ_INT(ct->n, json_integer_value(json_object_get(t, "n")));
    ref_near(ct->mean, json_object_get(t, "mean"), "mean", set);
    ref_near(ct->median, json_object_get(t, "median"), "median", set);
    ref_near(ct->sd, json_object_get(t, "sd"), "sd", set);
    ref_near(ct->skewness, json_object_get(t, "skewness"), "skewness", set);
    ref_near(ct->kurtosis, json_object_get(t, "kurtosis"), "kurtosis", set);
    ref_near(ct->cic, json_object_get(t, "cic"), "cic", set);
    ref_near(ct->error_ratio, json_object_get(t, "error_ratio"), "er", set);
    ref_near(ct->standard_error, json_object_get(t, "standard_error"), "se",
             set);
    for (int k = 0; k < STATS_HIST_BINS; k++)
        CHECK_EQ_INT(ct->hist[k], json_integer_value(json_array_get(
                                      json_object_get(t, "histogram"), k)));
    CHECK_EQ_INT(json_array_size(qs), r->n_items);
    for (int i = 0; i < r->n_items; i++) {
        const struct stats_item *it = &r->items[i];
        json_t *q = json_array_get(qs, (size_t)i);
        CHECK_EQ_INT(it->s, json_integer_value(json_object_get(q, "s")));
        CHECK_EQ_INT(it->blank,
                     json_integer_value(json_object_get(q, "blank")));
        ref_near(it->facility, json_object_get(q, "facility"), "fac", set);
        ref_near(it->sd, json_object_get(q, "sd"), "item sd", set);
        ref_near(it->discrimination, json_object_get(q, "discrimination"),
                 "discrimination", set);
        ref_near(it->efficiency, json_object_get(q, "efficiency"), "eff", set);
        json_t *counts = json_object_get(q, "counts");
        for (size_t o = 0; o < json_array_size(counts); o++)
            CHECK_EQ_INT(it->chose[o],
                         json_integer_value(json_array_get(counts, o)));
        unsigned flags = 0;
        static const char *const names[] = {"easy", "hard", "negative", "weak"};
        size_t fi;
        json_t *f;
        json_array_foreach(json_object_get(q, "flags"), fi, f)
        {
            for (unsigned b = 0; b < 4; b++)
                if (!strcmp(json_string_value(f), names[b]))
                    flags |= 1u << b;
        }
        CHECK_EQ_INT(it->flags, flags);
    }
}

/* One random data set into the arrays (room for 40 x 8), then compare. */
static void ref_set(const char *script, int set)
{
    static const double marks[] = {0, 1, 1, 0.5, 0.25, -0.25, 0, 1};
    struct stats_item_def items[8];
    int32_t item[320];
    double frac[320];
    uint8_t choice[320];
    int n_items = 2 + (int)ref_rand(7), n = (int)ref_rand(41);
    bool blueprint = ref_rand(2);
    /* blueprint: cell 1 = items [0, half) draws c1, cell 2 the rest c2 */
    int half = n_items / 2, c1 = 1 + (int)ref_rand((unsigned)half);
    int c2 = 1 + (int)ref_rand((unsigned)(n_items - half));
    int p = blueprint ? c1 + c2 : n_items;
    for (int i = 0; i < n_items; i++)
        items[i] = (struct stats_item_def){1 + ref_rand(3), 2 + ref_rand(3)};
    bool constant = ref_rand(5) == 0; /* one column the same everywhere */
    for (int a = 0; a < n; a++) {
        int at = a * p, slot = 0;
        for (int i = 0; i < n_items; i++) { /* pick by selection sampling */
            bool cell1 = i < half;
            int need = !blueprint ? 1 : cell1 ? c1 - slot : c2 - (slot - c1);
            int left = !blueprint ? 1 : cell1 ? half - i : n_items - i;
            if (blueprint && (int)ref_rand((unsigned)left) >= need)
                continue;
            item[at + slot++] = i;
        }
        for (int j = 0; j < p; j++) {
            int i = item[at + j];
            frac[at + j] = constant && i == 0 ? 1 : marks[ref_rand(8)];
            choice[at + j] =
                (uint8_t)(ref_rand(4)
                              ? 1u << ref_rand((unsigned)items[i].n_options)
                              : 0);
        }
    }
    struct stats_input in = {n_items, items, p, n, item, frac, choice};
    struct stats_result r;
    CHECK_EQ_INT(stats_compute(&in, &r), 0);
    json_t *py = ref_python(script, &in);
    CHECK(py != NULL);
    if (py)
        ref_compare(&r, py, set);
    json_decref(py);
    stats_result_fini(&r);
}

int main(void)
{
    const char *root = getenv("EXAMD_SOURCE_DIR");
    char script[512];
    snprintf(script, sizeof script, "%s/tests/integration/stats_ref.py",
             root ? root : ".");
    if (access("/usr/bin/python3", X_OK) || access(script, R_OK)) {
        printf("test_stats_ref: skipped (no /usr/bin/python3 or %s)\n", script);
        return 0;
    }
    for (int set = 0; set < 60; set++)
        ref_set(script, set);
    return check_done("test_stats_ref");
}
