/*
 * exam.c — exam snapshots, paper assembly and time arithmetic (see exam.h).
 */
#include "exam.h"
#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *exam_strdup(const char *s)
{
    return strdup(s ? s : "");
}

void exam_free(struct exam *e)
{
    if (!e)
        return;
    for (int i = 0; i < e->n_pool; i++) {
        struct exam_question *q = &e->pool[i];
        free(q->text);
        free(q->topic);
        free(q->json_text);
        for (int k = 0; k < q->n_options; k++) {
            free(q->options[k]);
            free(q->json_options[k]);
        }
    }
    free(e->pool);
    free(e->ranges);
    free(e->title);
    free(e->description);
    free(e);
}

int exam_review_parse(const char *name)
{
    if (!name)
        return -1;
    if (!strcmp(name, "none"))
        return EXAM_REVIEW_NONE;
    if (!strcmp(name, "answers"))
        return EXAM_REVIEW_ANSWERS;
    if (!strcmp(name, "full"))
        return EXAM_REVIEW_FULL;
    return -1;
}

const char *exam_review_name(int review)
{
    switch (review) {
    case EXAM_REVIEW_ANSWERS:
        return "answers";
    case EXAM_REVIEW_FULL:
        return "full";
    default:
        return "none";
    }
}

/* s as a JSON string literal ("..." escaped); NULL on malloc failure. */
static char *exam_json_literal(const char *s)
{
    json_t *j = json_string(s);
    char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    json_decref(j);
    return t;
}

/*
 * The options' weights from the snapshot (units 1e-7), or, for snapshots
 * made before weights existed, from the key: a single answer's key option
 * carries it all, a multiple answer's key options share it equally (the
 * last one takes the remainder). 0 or -1.
 */
static int exam_weights_from_json(const json_t *w, struct exam_question *q)
{
    if (w) {
        if (json_array_size(w) != (size_t)q->n_options)
            return -1;
        for (int k = 0; k < q->n_options; k++) {
            json_t *v = json_array_get(w, (size_t)k);
            json_int_t x = json_integer_value(v);
            if (!json_is_integer(v) || x < -EXAM_WEIGHT_FULL ||
                x > EXAM_WEIGHT_FULL)
                return -1;
            q->weight[k] = (int32_t)x;
        }
        return 0;
    }
    int nk = __builtin_popcount(q->key), seen = 0;
    int32_t each = nk ? EXAM_WEIGHT_FULL / nk : 0;
    for (int k = 0; k < q->n_options; k++)
        if (q->key & (1u << k))
            q->weight[k] =
                ++seen == nk ? EXAM_WEIGHT_FULL - each * (nk - 1) : each;
    return 0;
}

/* Read one pool question; 0 or -1 with msg filled. */
static int exam_question_from_json(const json_t *j, int idx,
                                   struct exam_question *q, char *msg,
                                   size_t msglen)
{
    json_t *opts = json_object_get(j, "options");
    json_t *key = json_object_get(j, "key");
    const char *text = json_string_value(json_object_get(j, "text"));
    size_t n = json_array_size(opts);
    if (!json_is_integer(json_object_get(j, "id")) || !text || n < 2 ||
        n > EXAM_MAX_OPTIONS || !json_array_size(key)) {
        snprintf(msg, msglen, "snapshot question %d is malformed", idx + 1);
        return -1;
    }
    q->id = json_integer_value(json_object_get(j, "id"));
    q->text = exam_strdup(text);
    q->topic = exam_strdup(json_string_value(json_object_get(j, "topic")));
    q->difficulty = (int)json_integer_value(json_object_get(j, "difficulty"));
    q->multi = json_is_true(json_object_get(j, "multi"));
    for (size_t k = 0; k < n; k++) {
        const char *o = json_string_value(json_array_get(opts, k));
        q->options[k] = exam_strdup(o);
        q->n_options++;
        if (!o) {
            snprintf(msg, msglen, "snapshot question %d: bad option", idx + 1);
            return -1;
        }
    }
    for (size_t k = 0; k < json_array_size(key); k++) {
        json_int_t v = json_integer_value(json_array_get(key, k));
        if (v < 0 || v >= (json_int_t)n) {
            snprintf(msg, msglen, "snapshot question %d: bad key", idx + 1);
            return -1;
        }
        q->key |= (uint8_t)(1u << v);
    }
    if (exam_weights_from_json(json_object_get(j, "weights"), q)) {
        snprintf(msg, msglen, "snapshot question %d: bad weights", idx + 1);
        return -1;
    }
    json_t *pts = json_object_get(j, "points");
    q->points = pts ? (int)json_integer_value(pts) : 1;
    q->shuffle = !json_is_false(json_object_get(j, "shuffle"));
    if (q->points < 1 || q->points > 100) {
        snprintf(msg, msglen, "snapshot question %d: bad points", idx + 1);
        return -1;
    }
    if (!q->text || !q->topic)
        return -1;
    q->json_text = exam_json_literal(q->text);
    for (int k = 0; k < q->n_options; k++)
        if (!(q->json_options[k] = exam_json_literal(q->options[k])))
            return -1;
    return q->json_text ? 0 : -1;
}

/*
 * The blueprint cells and the scoring rules. Cells must cover the pool in
 * order and their counts add up to n_paper; without cells the pool is one
 * cell. 0 or -1.
 */
static int exam_rules_from_json(const json_t *snap, struct exam *e)
{
    json_t *cells = json_object_get(snap, "cells");
    const char *multi =
        json_string_value(json_object_get(snap, "multi_scoring"));
    json_int_t pen =
        json_integer_value(json_object_get(snap, "wrong_penalty_e7"));
    e->multi_scoring = multi && !strcmp(multi, "partial") ? EXAM_MULTI_PARTIAL
                                                          : EXAM_MULTI_ALL;
    if (multi && e->multi_scoring == EXAM_MULTI_ALL &&
        strcmp(multi, "all_or_nothing"))
        return -1;
    if (pen < 0 || pen > EXAM_WEIGHT_FULL)
        return -1;
    e->wrong_penalty = (int32_t)pen;
    if (!cells) {
        e->n_cells = 1;
        e->cells[0] = (struct exam_cell){0, e->n_pool, e->n_paper};
        return 0;
    }
    size_t nc = json_array_size(cells);
    int first = 0, count = 0;
    if (nc < 1 || nc > EXAM_MAX_CELLS)
        return -1;
    for (size_t i = 0; i < nc; i++) {
        json_t *c = json_array_get(cells, i);
        int n = (int)json_integer_value(json_object_get(c, "n"));
        int k = (int)json_integer_value(json_object_get(c, "count"));
        if (n < 1 || k < 1 || k > n || first + n > e->n_pool)
            return -1;
        e->cells[i] = (struct exam_cell){first, n, k};
        first += n;
        count += k;
    }
    e->n_cells = (int)nc;
    return first == e->n_pool && count == e->n_paper ? 0 : -1;
}

int exam_ranges_from_json(const json_t *v, struct netrange **out, int *n,
                          int *bad)
{
    int dummy;
    size_t i, k = json_array_size(v);
    json_t *x;
    bad = bad ? bad : &dummy;
    *out = NULL;
    *n = 0;
    *bad = -1;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_array(v) || k > EXAM_MAX_RANGES)
        return EXAMD_EINVAL;
    if (!k)
        return 0;
    struct netrange *r = calloc(k, sizeof *r);
    if (!r)
        return EXAMD_ENOMEM;
    json_array_foreach(v, i, x)
    {
        const char *t = json_string_value(x);
        if (!t || netrange_parse(t, &r[i])) {
            *bad = (int)i;
            free(r);
            return EXAMD_EINVAL;
        }
    }
    *out = r;
    *n = (int)k;
    return 0;
}

struct exam *exam_from_json(const json_t *snap, char *msg, size_t msglen)
{
    json_t *pool = json_object_get(snap, "pool");
    size_t n = json_array_size(pool);
    struct exam *e = calloc(1, sizeof *e);
    if (!e) {
        snprintf(msg, msglen, "out of memory");
        return NULL;
    }
    e->title = exam_strdup(json_string_value(json_object_get(snap, "title")));
    e->description =
        exam_strdup(json_string_value(json_object_get(snap, "description")));
    e->n_paper = (int)json_integer_value(json_object_get(snap, "n_paper"));
    e->duration_ms =
        json_integer_value(json_object_get(snap, "duration_s")) * 1000;
    e->attempts_allowed =
        (int)json_integer_value(json_object_get(snap, "attempts"));
    e->review =
        exam_review_parse(json_string_value(json_object_get(snap, "review")));
    e->shuffle_questions =
        json_is_true(json_object_get(snap, "shuffle_questions"));
    e->shuffle_options = json_is_true(json_object_get(snap, "shuffle_options"));
    e->opens_ms = json_integer_value(json_object_get(snap, "opens_ms"));
    e->closes_ms = json_integer_value(json_object_get(snap, "closes_ms"));
    if (!e->title || !e->description || n == 0 || n > 65535 || e->n_paper < 1 ||
        e->n_paper > (int)n || e->n_paper > EXAM_MAX_PAPER ||
        e->duration_ms <= 0 || e->attempts_allowed < 1 || e->review < 0) {
        snprintf(msg, msglen, "exam snapshot is malformed");
        goto fail;
    }
    e->pool = calloc(n, sizeof *e->pool);
    if (!e->pool) {
        snprintf(msg, msglen, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        e->n_pool++;
        if (exam_question_from_json(json_array_get(pool, i), (int)i,
                                    &e->pool[i], msg, msglen))
            goto fail;
    }
    if (exam_rules_from_json(snap, e)) {
        snprintf(msg, msglen, "exam snapshot: bad blueprint or scoring");
        goto fail;
    }
    if (exam_ranges_from_json(json_object_get(snap, "ip_ranges"), &e->ranges,
                              &e->n_ranges, NULL)) {
        snprintf(msg, msglen, "exam snapshot: bad ip_ranges");
        goto fail;
    }
    return e;
fail:
    exam_free(e);
    return NULL;
}

/* splitmix64: small, fast, and the same everywhere. */
static uint64_t exam_rand_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n) (n small: the modulo bias is below 2^-48). */
static uint32_t exam_rand_below(uint64_t *s, uint32_t n)
{
    return (uint32_t)(exam_rand_next(s) % n);
}

static int paper_cmp_qi(const void *a, const void *b)
{
    const struct paper_item *x = a, *y = b;
    return (int)x->qi - (int)y->qi;
}

/* Draw count of the n indexes from first on into out: a partial
 * Fisher-Yates, so the draw is in random order. */
static void paper_draw(uint64_t *s, uint16_t *pick, int first, int n, int count,
                       bool shuffle, struct paper_item *out)
{
    for (int i = 0; i < n; i++)
        pick[i] = (uint16_t)(first + i);
    if (count < n || shuffle) {
        for (int i = 0; i < count; i++) {
            int j = i + (int)exam_rand_below(s, (uint32_t)(n - i));
            uint16_t t = pick[i];
            pick[i] = pick[j];
            pick[j] = t;
        }
    }
    for (int i = 0; i < count; i++)
        out[i].qi = pick[i];
}

int paper_assemble(const struct exam *e, uint64_t seed, struct paper_item *out)
{
    uint64_t s = seed;
    uint16_t *pick = malloc(sizeof *pick * (size_t)e->n_pool);
    int n = 0;
    if (!pick)
        return EXAMD_ENOMEM;
    /* One cell (every exam before blueprints): the draw is the order. */
    for (int c = 0; c < e->n_cells; c++) {
        const struct exam_cell *cell = &e->cells[c];
        paper_draw(&s, pick, cell->first, cell->n, cell->count,
                   e->shuffle_questions && e->n_cells == 1, out + n);
        n += cell->count;
    }
    free(pick);
    if (e->shuffle_questions && e->n_cells > 1) {
        for (int i = n - 1; i > 0; i--) {
            int j = (int)exam_rand_below(&s, (uint32_t)i + 1);
            struct paper_item t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
    }
    if (!e->shuffle_questions)
        qsort(out, (size_t)n, sizeof *out, paper_cmp_qi);
    for (int i = 0; i < n; i++) {
        const struct exam_question *q = &e->pool[out[i].qi];
        for (int k = 0; k < EXAM_MAX_OPTIONS; k++)
            out[i].perm[k] = (uint8_t)k;
        if (!e->shuffle_options || !q->shuffle)
            continue;
        for (int k = q->n_options - 1; k > 0; k--) {
            int j = (int)exam_rand_below(&s, (uint32_t)k + 1);
            uint8_t t = out[i].perm[k];
            out[i].perm[k] = out[i].perm[j];
            out[i].perm[j] = t;
        }
    }
    return 0;
}

int paper_find(const struct exam *e, const struct paper_item *p, int64_t qid)
{
    for (int i = 0; i < e->n_paper; i++)
        if (e->pool[p[i].qi].id == qid)
            return i;
    return -1;
}

uint8_t paper_choice_to_bank(const struct paper_item *it, uint8_t display)
{
    uint8_t bank = 0;
    for (int k = 0; k < EXAM_MAX_OPTIONS; k++)
        if (display & (1u << k))
            bank |= (uint8_t)(1u << it->perm[k]);
    return bank;
}

uint8_t paper_choice_to_display(const struct paper_item *it, uint8_t bank)
{
    uint8_t display = 0;
    for (int k = 0; k < EXAM_MAX_OPTIONS; k++)
        if (bank & (1u << it->perm[k]))
            display |= (uint8_t)(1u << k);
    return display;
}

int64_t exam_deadline(const struct exam *e, int64_t start_ms)
{
    int64_t d = start_ms + e->duration_ms;
    if (e->closes_ms && e->closes_ms < d)
        d = e->closes_ms;
    return d;
}

int64_t exam_deadline_of(const struct exam *e, int64_t start_ms,
                         int64_t reopen_ms)
{
    if (!reopen_ms)
        return exam_deadline(e, start_ms);
    if (e->closes_ms && e->closes_ms < reopen_ms)
        return e->closes_ms;
    return reopen_ms;
}

int64_t exam_left_ms(int64_t deadline_ms, int64_t now_ms)
{
    return deadline_ms > now_ms ? deadline_ms - now_ms : 0;
}

bool exam_accepts_answer(int64_t deadline_ms, int grace_ms, int64_t now_ms)
{
    return now_ms <= deadline_ms + grace_ms;
}

bool exam_is_open(const struct exam *e, int64_t now_ms)
{
    if (e->opens_ms && now_ms < e->opens_ms)
        return false;
    if (e->closes_ms && now_ms >= e->closes_ms)
        return false;
    return true;
}
