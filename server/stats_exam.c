/*
 * stats_exam.c — an exam's statistics from the database (stats.h,
 * stats_exam_json): the counted attempts' final answers, regraded against
 * the frozen exam, fed to stats_compute, returned as JSON.
 *
 * Papers are rebuilt from the attempts' seeds (paper_assemble) and each
 * final answer (the last row per question in the answers table) is marked
 * again with grade_question, so the figures follow the snapshot the
 * candidates sat, whatever happened to the bank since. A paper's slots are
 * its questions sorted by pool index: the pool is cut into blueprint cells
 * in order, so slot j always comes from the same cell (Moodle's "random
 * question" slot) and is question j itself when every paper has the whole
 * pool.
 */
#include "err.h"
#include "grade.h"
#include "stats.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The marks gathered attempt by attempt. */
struct stats_gather {
    const struct exam *e;
    struct paper_item *paper; /* the current attempt's, n_paper */
    uint8_t *ans;             /* its final choices per paper item */
    int *order;               /* paper items by pool index */
    int64_t cur;              /* the attempt being read, 0 = none */
    int32_t *item;            /* n x n_paper, as struct stats_input */
    double *frac;
    uint8_t *choice;
    int n, cap; /* attempts gathered, room for */
    int err;
};

/* Append the current attempt's slots. */
static void stats_gather_flush(struct stats_gather *g)
{
    const struct exam *e = g->e;
    int p = e->n_paper;
    if (!g->cur || g->err)
        return;
    if (g->n == g->cap) {
        int cap = g->cap ? 2 * g->cap : 256;
        size_t cells = (size_t)cap * (size_t)p;
        int32_t *item = realloc(g->item, sizeof *item * cells);
        if (item)
            g->item = item;
        double *frac = realloc(g->frac, sizeof *frac * cells);
        if (frac)
            g->frac = frac;
        uint8_t *choice = realloc(g->choice, cells);
        if (choice)
            g->choice = choice;
        if (!item || !frac || !choice) {
            g->err = EXAMD_ENOMEM;
            return;
        }
        g->cap = cap;
    }
    for (int i = 0; i < p; i++) { /* insertion sort: p <= 200 */
        int j = i;
        for (; j > 0 && g->paper[g->order[j - 1]].qi > g->paper[i].qi; j--)
            g->order[j] = g->order[j - 1];
        g->order[j] = i;
    }
    size_t at = (size_t)g->n * (size_t)p;
    for (int j = 0; j < p; j++) {
        int k = g->order[j];
        const struct exam_question *q = &e->pool[g->paper[k].qi];
        g->item[at + j] = g->paper[k].qi;
        g->frac[at + j] =
            grade_question(e, q, g->ans[k]) / (double)EXAM_WEIGHT_FULL;
        g->choice[at + j] = g->ans[k];
    }
    g->n++;
}

/* store_stats_answers' callback: one answer row. */
static void stats_gather_row(void *arg, const struct store_stats_row *r)
{
    struct stats_gather *g = arg;
    if (g->err)
        return;
    if (r->attempt_id != g->cur) {
        stats_gather_flush(g);
        g->cur = r->attempt_id;
        memset(g->ans, 0, (size_t)g->e->n_paper);
        int rc = paper_assemble(g->e, r->seed, g->paper);
        if (rc) {
            g->err = rc;
            return;
        }
    }
    int i = r->question_id ? paper_find(g->e, g->paper, r->question_id) : -1;
    if (i >= 0)
        g->ans[i] = r->choice;
}

static json_t *stats_flags_json(unsigned flags)
{
    static const char *const names[] = {"easy", "hard", "negative", "weak"};
    json_t *a = json_array();
    for (unsigned b = 0; b < 4; b++)
        if (flags & (1u << b))
            json_array_append_new(a, json_string(names[b]));
    return a;
}

static json_t *stats_test_json(const struct stats_test *t, int n_paper)
{
    json_t *hist = json_array();
    for (int k = 0; k < STATS_HIST_BINS; k++)
        json_array_append_new(hist, json_integer(t->hist[k]));
    return json_pack(
        "{si si so so so so so so so so so}", "n", t->n, "questions_per_paper",
        n_paper, "mean", stats_json_real(t->mean), "median",
        stats_json_real(t->median), "sd", stats_json_real(t->sd), "skewness",
        stats_json_real(t->skewness), "kurtosis", stats_json_real(t->kurtosis),
        "cic", stats_json_real(t->cic), "error_ratio",
        stats_json_real(t->error_ratio), "standard_error",
        stats_json_real(t->standard_error), "histogram", hist);
}

/* Which blueprint cell (1-based) pool index qi belongs to. */
static int stats_cell_of(const struct exam *e, int qi)
{
    for (int c = 0; c < e->n_cells; c++)
        if (qi >= e->cells[c].first && qi < e->cells[c].first + e->cells[c].n)
            return c + 1;
    return 1;
}

static json_t *stats_item_json(const struct exam *e, int qi,
                               const struct stats_item *it, int64_t bank,
                               int64_t family, int64_t current)
{
    const struct exam_question *q = &e->pool[qi];
    json_t *opts = json_array();
    for (int k = 0; k < q->n_options; k++)
        json_array_append_new(
            opts, json_pack("{ss sb si}", "text", q->options[k], "correct",
                            (q->key >> k) & 1, "count", it->chose[k]));
    return json_pack(
        "{sI sI sI sI si ss sb si so si si so so so so so}", "id",
        (json_int_t)q->id, "current_id", (json_int_t)current, "bank",
        (json_int_t)bank, "family", (json_int_t)family, "cell",
        stats_cell_of(e, qi), "text", q->text, "multi", q->multi, "points",
        q->points, "options", opts, "blank", it->blank, "s", it->s, "facility",
        stats_json_real(it->facility), "sd", stats_json_real(it->sd),
        "discrimination", stats_json_real(it->discrimination), "efficiency",
        stats_json_real(it->efficiency), "flags", stats_flags_json(it->flags));
}

/* The reply from the computed figures; links: n_pool question ids, then
 * as many banks, families and current versions. */
static json_t *stats_reply(const struct exam *e, const char *title, bool all,
                           const struct stats_result *r, const int64_t *links)
{
    json_t *qs = json_array();
    for (int i = 0; i < e->n_pool; i++)
        json_array_append_new(qs, stats_item_json(e, i, &r->items[i],
                                                  links[e->n_pool + i],
                                                  links[2 * e->n_pool + i],
                                                  links[3 * e->n_pool + i]));
    return json_pack("{sb s{sI ss} ss so so s{sf sf sf si}}", "ok", 1, "exam",
                     "id", (json_int_t)e->id, "title", title, "attempts",
                     all ? "all" : "first", "test",
                     stats_test_json(&r->test, e->n_paper), "questions", qs,
                     "thresholds", "easy_above", STATS_EASY_ABOVE, "hard_below",
                     STATS_HARD_BELOW, "weak_below", STATS_WEAK_BELOW,
                     "min_attempts", STATS_FLAG_MIN_S);
}

int stats_exam_json(struct store *s, const struct exam *e, bool all_attempts,
                    json_t **out, char *msg, size_t msglen)
{
    struct stats_gather g = {.e = e};
    struct stats_result r = {0};
    struct store_exam_meta meta = {0};
    struct stats_item_def *defs = calloc((size_t)e->n_pool, sizeof *defs);
    int64_t *links = calloc(4 * (size_t)e->n_pool, sizeof *links);
    g.paper = calloc((size_t)e->n_paper, sizeof *g.paper);
    g.ans = calloc((size_t)e->n_paper, 1);
    g.order = calloc((size_t)e->n_paper, sizeof *g.order);
    int rc = EXAMD_ENOMEM;
    *out = NULL;
    snprintf(msg, msglen, "out of memory");
    if (!defs || !links || !g.paper || !g.ans || !g.order)
        goto fail;
    rc = store_stats_answers(s, e->id, all_attempts, stats_gather_row, &g);
    stats_gather_flush(&g);
    if (!rc)
        rc = g.err;
    int np = e->n_pool;
    for (int i = 0; i < np; i++) {
        defs[i].points = e->pool[i].points;
        defs[i].n_options = e->pool[i].n_options;
        links[i] = e->pool[i].id; /* ids in, then bank, family, current */
    }
    if (!rc)
        rc = store_stats_links(s, links, np, links + np, links + 2 * np,
                               links + 3 * np);
    if (rc) {
        snprintf(msg, msglen, "%s",
                 rc == EXAMD_EIO ? "reading the attempts" : err_text(rc));
        goto fail;
    }
    struct stats_input in = {e->n_pool, defs,   e->n_paper, g.n,
                             g.item,    g.frac, g.choice};
    rc = stats_compute(&in, &r);
    /* The title from the row, never e->title: an organiser may rename a
     * round meanwhile, and the service thread frees the old one (exam.h). */
    if (!rc)
        rc = store_exam_meta_get(s, e->id, &meta);
    if (!rc) {
        *out = stats_reply(e, meta.title, all_attempts, &r, links);
        rc = *out ? 0 : EXAMD_ENOMEM;
    }
    if (rc)
        snprintf(msg, msglen, "%s", err_text(rc));
fail:
    store_exam_meta_fini(&meta);
    stats_result_fini(&r);
    free(defs);
    free(links);
    free(g.paper);
    free(g.ans);
    free(g.order);
    free(g.item);
    free(g.frac);
    free(g.choice);
    return rc;
}
