/*
 * results.c — an exam's results for the class table and the exports
 * (see results.h). Reads only.
 */
#include "results.h"
#include "err.h"
#include "grade.h"
#include "imap.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reading the attempts: rows by user id, the sort keys beside them. */
struct results_load {
    struct results *res;
    struct imap by_user;        /* user id -> row index + 1 */
    struct store_attempt *best; /* per row: the counted attempt (id 0) */
};

static void results_attempt(void *arg, const struct store_attempt *a)
{
    struct results_load *l = arg;
    intptr_t i = (intptr_t)imap_get(&l->by_user, a->user_id);
    if (!i--)
        return; /* not on this list (another class's member) */
    struct results_row *r = &l->res->rows[i];
    struct store_attempt *b = &l->best[i];
    r->attempts++;
    if (a->running) {
        r->running = true;
        return;
    }
    /* attempts come by number: only a higher score replaces the best */
    if (!b->id || a->score_centi > b->score_centi)
        *b = *a;
}

/* Regrade the counted attempt for its raw points. */
static int results_points(struct store *s, const struct exam *e,
                          const struct store_attempt *a, struct results_row *r,
                          int64_t *earned, int64_t *possible)
{
    struct paper_item p[EXAM_MAX_PAPER];
    uint8_t choice[EXAM_MAX_PAPER];
    bool flag[EXAM_MAX_PAPER], has[EXAM_MAX_PAPER];
    struct grade g;
    int rc = paper_assemble(e, a->seed, p);
    if (!rc)
        rc = store_answers_latest(s, a->id, e, p, choice, flag, has);
    if (rc)
        return rc;
    grade_paper(e, p, choice, &g);
    r->points = (g.earned > 0 ? g.earned : 0) / (double)EXAM_WEIGHT_FULL;
    r->points_max = g.possible / (double)EXAM_WEIGHT_FULL;
    *earned = g.earned;
    *possible = g.possible;
    return 0;
}

/* Fill r's score fields from the counted attempt a, earned / possible
 * its raw points (the step rounds those, grading.h). */
static void results_count(struct results *res, const struct store_attempt *a,
                          struct results_row *r, int64_t earned,
                          int64_t possible)
{
    const struct grading *g = &res->grading;
    r->counted = true;
    r->attempt_id = a->id;
    r->attempt_n = a->n;
    r->score_centi = a->score_centi;
    r->rounded_centi =
        grading_round_points(g, a->score_centi, earned, possible);
    r->percent_tenths = a->score_centi; /* score/10 x 100 % x 10 */
    r->correct = a->correct;
    r->total = a->total;
    r->band = grading_band(g, r->rounded_centi);
    r->passed = grading_passed(g, r->rounded_centi);
    r->started_ms = a->started_ms;
    r->submitted_ms = a->submitted_ms;
    r->taken_ms = a->submitted_ms - a->started_ms - a->paused_ms;
    snprintf(r->reason, sizeof r->reason, "%s", a->reason);
    res->n_counted++;
    res->n_passed += r->passed;
    if (r->band >= 0)
        res->band_count[r->band]++;
}

/* Sort keys: folded given name, folded full name (results.h). */
struct results_key {
    char *given, *full;
    int64_t id;
    int index;
};

static int results_key_cmp(const void *pa, const void *pb)
{
    const struct results_key *a = pa, *b = pb;
    int c = strcmp(a->given, b->given);
    if (!c)
        c = strcmp(a->full, b->full);
    if (!c)
        c = a->id < b->id ? -1 : a->id > b->id;
    return c;
}

/* Put res->rows in roster order and number them. */
static int results_order(struct results *res)
{
    int n = res->n, rc = 0;
    struct results_key *k = calloc((size_t)n + 1, sizeof *k);
    struct results_row *sorted = calloc((size_t)n + 1, sizeof *sorted);
    for (int i = 0; k && sorted && i < n && !rc; i++) {
        k[i].full = text_fold(res->rows[i].name);
        const char *sp = k[i].full ? strrchr(k[i].full, ' ') : NULL;
        k[i].given = k[i].full ? strdup(sp ? sp + 1 : k[i].full) : NULL;
        k[i].id = res->rows[i].user_id;
        k[i].index = i;
        if (!k[i].given)
            rc = EXAMD_ENOMEM;
    }
    if (!k || !sorted)
        rc = EXAMD_ENOMEM;
    if (!rc) {
        qsort(k, (size_t)n, sizeof *k, results_key_cmp);
        for (int i = 0; i < n; i++) {
            sorted[i] = res->rows[k[i].index];
            sorted[i].order = i + 1;
        }
        free(res->rows);
        res->rows = sorted;
        sorted = NULL;
    }
    for (int i = 0; k && i < n; i++) {
        free(k[i].full);
        free(k[i].given);
    }
    free(k);
    free(sorted);
    return rc;
}

/* The people into res->rows (names taken from m). */
static int results_people(struct results *res, struct store_member_row *m,
                          int n, struct results_load *l)
{
    res->rows = calloc((size_t)n + 1, sizeof *res->rows);
    l->best = calloc((size_t)n + 1, sizeof *l->best);
    if (!res->rows || !l->best)
        return EXAMD_ENOMEM;
    for (int i = 0; i < n; i++) {
        struct results_row *r = &res->rows[i];
        r->user_id = m[i].id;
        snprintf(r->username, sizeof r->username, "%s", m[i].username);
        r->name = m[i].name;
        r->unit_name = m[i].unit_name;
        m[i].name = m[i].unit_name = NULL;
        snprintf(r->birth, sizeof r->birth, "%s", m[i].birth);
        r->unit_id = m[i].unit_id;
        res->n = i + 1;
        if (imap_put(&l->by_user, r->user_id, (void *)(intptr_t)(i + 1)))
            return EXAMD_ENOMEM;
    }
    return 0;
}

/* Everything after the exam is known. */
static int results_fill(struct store *s, const struct exam *e,
                        struct results *res)
{
    struct store_member_row *m = NULL;
    struct results_load l = {.res = res};
    int n = 0;
    imap_init(&l.by_user);
    int rc = store_exam_people(s, res->exam_id, res->class_id, &m, &n);
    if (!rc)
        rc = results_people(res, m, n, &l);
    if (!rc)
        rc = store_exam_attempts_each(s, res->exam_id, results_attempt, &l);
    int64_t sum = 0;
    for (int i = 0; !rc && i < res->n; i++) {
        if (!l.best[i].id)
            continue;
        int64_t earned, possible;
        rc =
            results_points(s, e, &l.best[i], &res->rows[i], &earned, &possible);
        if (rc)
            break;
        results_count(res, &l.best[i], &res->rows[i], earned, possible);
        sum += res->rows[i].rounded_centi;
    }
    if (!rc && res->n_counted)
        res->avg_rounded_centi =
            (int)((2 * sum + res->n_counted) / (2 * res->n_counted));
    if (!rc)
        rc = results_order(res);
    store_member_rows_free(m, n);
    imap_fini(&l.by_user);
    free(l.best);
    return rc;
}

int results_read(struct store *s, const struct exam *e, int64_t exam_id,
                 int64_t class_id, struct results **out)
{
    struct store_exam_meta meta;
    struct exam *own = NULL;
    char field[64], msg[256];
    *out = NULL;
    int rc = store_exam_meta_get(s, exam_id, &meta);
    if (rc)
        return rc;
    struct results *res = calloc(1, sizeof *res);
    if (!res) {
        store_exam_meta_fini(&meta);
        return EXAMD_ENOMEM;
    }
    res->exam_id = exam_id;
    res->class_id = class_id;
    res->title = meta.title;
    meta.title = NULL;
    rc = grading_parse(meta.grading, &res->grading, field, sizeof field, msg,
                       sizeof msg);
    store_exam_meta_fini(&meta);
    if (!rc && !e && !(rc = store_exam_load(s, exam_id, &own)))
        e = own;
    if (!rc) {
        res->reopenable = e->contest_id || e->review == EXAM_REVIEW_NONE;
        rc = results_fill(s, e, res);
    }
    exam_free(own);
    if (rc) {
        results_free(res);
        return rc;
    }
    *out = res;
    return 0;
}

void results_free(struct results *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->n; i++) {
        free(r->rows[i].name);
        free(r->rows[i].unit_name);
    }
    free(r->rows);
    free(r->title);
    free(r);
}

const char *results_band_name(const struct results *res,
                              const struct results_row *r, bool en)
{
    if (!r->counted || r->band < 0 || r->band >= res->grading.n_bands)
        return "";
    const struct grading_band *b = &res->grading.bands[r->band];
    return en && b->name_en[0] ? b->name_en : b->name;
}
