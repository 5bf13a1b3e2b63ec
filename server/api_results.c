/*
 * api_results.c — a round's ranking, prize list and unit figures, as JSON
 * for the console and the public page and as sheets for the CSV / XLSX
 * exports (see api_results.h, docs/contests.md). Worker threads only:
 * everything here reads through the worker's own store connection.
 *
 * One read of the round's attempts (store_round_entries: the counted
 * attempt of each participant, one pass), then the pure rank.c; unit
 * figures are summed through a hash map of units.
 */
#include "api_results.h"
#include "err.h"
#include "imap.h"
#include "rank.h"
#include "store_contest.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESULTS_MAX_PRIZES 20

/* A round's ranking. */
struct results {
    struct store_round_entry *rows; /* owned, by user id */
    int n;
    struct rank_entry *v; /* owned, n, in ranking order; ref = row index */
    int actual;
    bool final;
    json_t *table; /* owned: the prize table */
    int n_prizes;
    int counts[RESULTS_MAX_PRIZES];
};

static void results_fini(struct results *x)
{
    store_round_entries_free(x->rows, x->n);
    free(x->v);
    json_decref(x->table);
}

static const char *results_prize_name(const struct results *x, int k)
{
    return k < 0 ? NULL
                 : json_string_value(json_object_get(
                       json_array_get(x->table, (size_t)k), "name"));
}

/* Read (on s) and rank round r; closed: the round's window has closed.
 * 0 or an error. */
static int results_build(struct store *s, const struct store_round *r,
                         bool prediction, bool closed, struct results *x)
{
    memset(x, 0, sizeof *x);
    int rc = store_round_entries(s, r->id, &x->rows, &x->n);
    if (rc)
        return rc;
    x->v = calloc((size_t)x->n + 1, sizeof *x->v);
    x->table = json_loads(r->prizes, 0, NULL);
    if (!x->v || !json_is_array(x->table)) {
        results_fini(x);
        return EXAMD_ENOMEM;
    }
    for (int i = 0; i < x->n; i++) {
        const struct store_round_entry *e = &x->rows[i];
        struct rank_entry *v = &x->v[i];
        v->user_id = e->user_id;
        v->attempt_id = e->attempt_id;
        v->score_centi = e->score_centi;
        v->correct = e->correct;
        v->total = e->total;
        v->has_prediction = e->has_prediction;
        v->prediction = e->prediction;
        v->time_ms = e->submitted_ms - e->started_ms - e->paused_ms;
        v->submitted_ms = e->submitted_ms;
        v->ref = i;
    }
    x->actual = rank_actual(x->v, x->n);
    rank_sort(x->v, x->n, x->actual, prediction);
    x->n_prizes = (int)json_array_size(x->table);
    if (x->n_prizes > RESULTS_MAX_PRIZES)
        x->n_prizes = RESULTS_MAX_PRIZES;
    for (int k = 0; k < x->n_prizes; k++)
        x->counts[k] = (int)json_integer_value(
            json_object_get(json_array_get(x->table, (size_t)k), "count"));
    rank_prizes(x->v, x->n, x->counts, x->n_prizes);
    x->final = closed && r->started == r->submitted; /* none being graded */
    return 0;
}

static json_t *results_score(int centi)
{
    return json_real(centi / 100.0);
}

/* Rows [offset, offset + limit) of the ranking. */
static json_t *results_ranking_json(const struct results *x, bool pred,
                                    int offset, int limit)
{
    json_t *a = json_array();
    for (int i = offset; i < x->n && i - offset < limit; i++) {
        const struct rank_entry *v = &x->v[i];
        const struct store_round_entry *s = &x->rows[v->ref];
        const char *prize = results_prize_name(x, v->prize);
        bool has = pred && v->has_prediction;
        json_array_append_new(
            a, json_pack("{si sI ss so so so si si si so so sI sI sI si so}",
                         "rank", v->rank, "user", (json_int_t)s->user_id,
                         "name", s->name, "unit",
                         s->unit_id ? json_integer(s->unit_id) : json_null(),
                         "unit_name",
                         s->unit_id ? json_string(s->unit_name) : json_null(),
                         "score", results_score(v->score_centi), "score_centi",
                         v->score_centi, "correct", v->correct, "total",
                         v->total, "prediction",
                         has ? json_integer(v->prediction) : json_null(),
                         "diff", has ? json_integer(v->diff) : json_null(),
                         "time_ms", (json_int_t)v->time_ms, "submitted_ms",
                         (json_int_t)v->submitted_ms, "attempt",
                         (json_int_t)v->attempt_id, "attempts", s->attempts,
                         "prize", prize ? json_string(prize) : json_null()));
    }
    return a;
}

/* The prize list; public leaves out user ids and uses the unit's name. */
static json_t *results_prizes_json(const struct results *x, bool public_view)
{
    json_t *a = json_array();
    for (int k = 0; k < x->n_prizes; k++) {
        json_t *w = json_array();
        for (int i = 0; i < x->n; i++) {
            const struct rank_entry *v = &x->v[i];
            const struct store_round_entry *s = &x->rows[v->ref];
            if (v->prize != k)
                continue;
            json_t *o =
                json_pack("{si ss so so}", "rank", v->rank, "name", s->name,
                          public_view ? "unit" : "unit_name",
                          s->unit_id ? json_string(s->unit_name) : json_null(),
                          "score", results_score(v->score_centi));
            if (!public_view)
                json_object_set_new(o, "user", json_integer(s->user_id));
            json_array_append_new(w, o);
        }
        json_array_append_new(a, json_pack("{ss si so}", "name",
                                           results_prize_name(x, k), "count",
                                           x->counts[k], "winners", w));
    }
    return a;
}

/* ---- unit figures ---- */

struct unit_fig {
    int64_t unit_id;
    int participants;  /* people */
    int64_t sum_centi; /* over counted attempts */
    int counted;
};

/* Per-unit sums over one or more rounds. */
struct unit_figs {
    struct unit_fig *f; /* owned, n of cap, in order of first use */
    int n, cap;
    struct imap index; /* unit id -> index in f + 1 */
    struct imap seen;  /* user ids counted: a person once per unit */
};

static void unit_figs_init(struct unit_figs *u)
{
    memset(u, 0, sizeof *u);
    imap_init(&u->index);
    imap_init(&u->seen);
}

static void unit_figs_fini(struct unit_figs *u)
{
    free(u->f);
    imap_fini(&u->index);
    imap_fini(&u->seen);
}

/* The figure of unit id, or NULL (none yet when !make, or no memory). */
static struct unit_fig *unit_fig_get(struct unit_figs *u, int64_t id, bool make)
{
    intptr_t k = (intptr_t)imap_get(&u->index, id);
    if (k)
        return &u->f[k - 1];
    if (!make || !store_grow((void **)&u->f, &u->cap, u->n, sizeof *u->f) ||
        imap_put(&u->index, id, (void *)(intptr_t)(u->n + 1)))
        return NULL;
    struct unit_fig *x = &u->f[u->n++];
    memset(x, 0, sizeof *x);
    x->unit_id = id;
    return x;
}

static json_t *unit_avg(const struct unit_fig *u)
{
    return u && u->counted
               ? json_real((double)u->sum_centi / u->counted / 100.0)
               : json_null();
}

/* The unit figures JSON from per-unit sums (every unit listed), units
 * read on s. NULL on failure. */
static json_t *units_json(struct store *s, struct unit_figs *f)
{
    struct store_unit_row *u;
    int nu;
    if (store_units_list(s, &u, &nu))
        return NULL;
    json_t *a = json_array(), *most = json_null(), *best = json_null();
    const struct unit_fig *m = NULL, *b = NULL,
                          *none = unit_fig_get(f, 0, false);
    for (int k = 0; k < nu; k++) {
        const struct unit_fig *x = unit_fig_get(f, u[k].id, false);
        int p = x ? x->participants : 0;
        json_array_append_new(
            a,
            json_pack(
                "{sI ss si si so so}", "unit", (json_int_t)u[k].id, "name",
                u[k].name, "target", u[k].target, "participants", p, "percent",
                u[k].target ? json_real((double)(p * 1000 / u[k].target) / 10.0)
                            : json_null(),
                "average", unit_avg(x)));
        if (x && p && (!m || p > m->participants)) {
            m = x;
            json_decref(most);
            most = json_pack("{sI ss si}", "unit", (json_int_t)u[k].id, "name",
                             u[k].name, "participants", p);
        }
        if (x && x->counted &&
            (!b || x->sum_centi * b->counted > b->sum_centi * x->counted)) {
            b = x;
            json_decref(best);
            best = json_pack("{sI ss so}", "unit", (json_int_t)u[k].id, "name",
                             u[k].name, "average", unit_avg(x));
        }
    }
    store_unit_rows_free(u, nu);
    return json_pack("{sb so s{si so} so so}", "ok", 1, "units", a, "no_unit",
                     "participants", none ? none->participants : 0, "average",
                     unit_avg(none), "most", most, "best", best);
}

/* Add round entries to the per-unit sums (a person is counted once per
 * unit over a contest's rounds). */
static int units_add(struct unit_figs *f, const struct store_round_entry *rows,
                     int nr)
{
    for (int i = 0; i < nr; i++) {
        struct unit_fig *u = unit_fig_get(f, rows[i].unit_id, true);
        if (!u)
            return EXAMD_ENOMEM;
        u->sum_centi += rows[i].score_centi;
        u->counted++;
        if (imap_get(&f->seen, rows[i].user_id))
            continue; /* a person has one unit: seen once is enough */
        if (imap_put(&f->seen, rows[i].user_id, (void *)1))
            return EXAMD_ENOMEM;
        u->participants++;
    }
    return 0;
}

/* ---- sheets ---- */

/* Columns of a sheet: "id|title|kind" each, kind as enum sheet_kind
 * (decimals with 2 places). */
struct sheet *results_sheet(const char *id, const char *title,
                            const char *const *cols, int n)
{
    struct sheet *s = sheet_new(id, title);
    for (int i = 0; s && i < n; i++) {
        char cid[32], ct[80];
        int kind;
        if (sscanf(cols[i], "%31[^|]|%79[^|]|%d", cid, ct, &kind) != 3 ||
            sheet_col_add(s, cid, ct, kind, 2) < 0) {
            sheet_free(s);
            return NULL;
        }
    }
    return s;
}

static struct sheet *results_ranking_sheet(const struct results *x, bool pred)
{
    static const char *const cols[] = {"rank|Hạng|1",
                                       "name|Họ và tên|0",
                                       "unit|Đơn vị|0",
                                       "score|Điểm|2",
                                       "correct|Số câu đúng|1",
                                       "total|Tổng số câu|1",
                                       "prediction|Dự đoán|1",
                                       "diff|Chênh lệch|1",
                                       "time|Thời gian (giây)|2",
                                       "submitted|Nộp lúc|4",
                                       "prize|Giải|0"};
    struct sheet *s = results_sheet("ranking", "Xếp hạng", cols, 11);
    for (int i = 0; s && i < x->n; i++) {
        const struct rank_entry *v = &x->v[i];
        const struct store_round_entry *r = &x->rows[v->ref];
        const char *prize = results_prize_name(x, v->prize);
        sheet_row_add(s);
        sheet_set_int(s, 0, v->rank);
        sheet_set_text(s, 1, r->name);
        sheet_set_text(s, 2, r->unit_name);
        sheet_set_number(s, 3, v->score_centi / 100.0);
        sheet_set_int(s, 4, v->correct);
        sheet_set_int(s, 5, v->total);
        if (pred && v->has_prediction) {
            sheet_set_int(s, 6, v->prediction);
            sheet_set_int(s, 7, v->diff);
        }
        sheet_set_number(s, 8, v->time_ms / 1000.0);
        sheet_set_time(s, 9, v->submitted_ms);
        if (prize)
            sheet_set_text(s, 10, prize);
    }
    return s;
}

static struct sheet *results_prizes_sheet(const struct results *x)
{
    static const char *const cols[] = {"prize|Giải|0", "rank|Hạng|1",
                                       "name|Họ và tên|0", "unit|Đơn vị|0",
                                       "score|Điểm|2"};
    struct sheet *s = results_sheet("prizes", "Danh sách giải", cols, 5);
    for (int k = 0; s && k < x->n_prizes; k++)
        for (int i = 0; i < x->n; i++) {
            const struct rank_entry *v = &x->v[i];
            const struct store_round_entry *r = &x->rows[v->ref];
            if (v->prize != k)
                continue;
            sheet_row_add(s);
            sheet_set_text(s, 0, results_prize_name(x, k));
            sheet_set_int(s, 1, v->rank);
            sheet_set_text(s, 2, r->name);
            sheet_set_text(s, 3, r->unit_name);
            sheet_set_number(s, 4, v->score_centi / 100.0);
        }
    return s;
}

static struct sheet *results_units_sheet(json_t *o)
{
    static const char *const cols[] = {
        "unit|Đơn vị|0", "target|Chỉ tiêu|1", "participants|Số người dự thi|1",
        "percent|Tỷ lệ (%)|2", "average|Điểm trung bình|2"};
    struct sheet *s = results_sheet("units", "Kết quả đơn vị", cols, 5);
    json_t *v;
    size_t i;
    json_array_foreach(json_object_get(o, "units"), i, v)
    {
        if (!s)
            break;
        json_t *p = json_object_get(v, "percent"),
               *a = json_object_get(v, "average");
        sheet_row_add(s);
        sheet_set_text(s, 0, json_string_value(json_object_get(v, "name")));
        sheet_set_int(s, 1, json_integer_value(json_object_get(v, "target")));
        sheet_set_int(s, 2,
                      json_integer_value(json_object_get(v, "participants")));
        if (json_is_number(p))
            sheet_set_number(s, 3, json_number_value(p));
        if (json_is_number(a))
            sheet_set_number(s, 4, json_number_value(a));
    }
    return s;
}

/* The public page's result: the first RESULTS_TOP_MAX of the ranking
 * (names and units only) and the prize list. */
static json_t *results_public_json(struct store *s, const struct results_req *q,
                                   const struct store_round *r,
                                   const struct results *x)
{
    struct store_contest k;
    if (store_contest_get(s, r->contest_id, &k))
        return NULL;
    json_t *a = json_array();
    for (int i = 0; i < x->n && i < RESULTS_TOP_MAX; i++) {
        const struct rank_entry *v = &x->v[i];
        const struct store_round_entry *e = &x->rows[v->ref];
        const char *prize = results_prize_name(x, v->prize);
        json_array_append_new(
            a, json_pack("{si ss so so so}", "rank", v->rank, "name", e->name,
                         "unit",
                         e->unit_id ? json_string(e->unit_name) : json_null(),
                         "score", results_score(v->score_centi), "prize",
                         prize ? json_string(prize) : json_null()));
    }
    json_t *o = json_pack(
        "{sb s{sI ss} s{sI si ss sI sI si si} so so}", "ok", 1, "contest", "id",
        (json_int_t)k.id, "title", k.title, "round", "id", (json_int_t)r->id,
        "round_no", r->round_no, "title", q->title, "closes_ms",
        (json_int_t)q->closes_ms, "published_ms", (json_int_t)r->published_ms,
        "participants", x->n, "actual", x->actual, "top", a, "prizes",
        results_prizes_json(x, true));
    store_contest_fini(&k);
    return o;
}

/* ---- on a worker ---- */

static int results_round(struct store *s, const struct results_req *q,
                         const struct store_round *r, json_t **reply,
                         struct sheet **sheet)
{
    struct results x;
    int rc =
        results_build(s, r, q->prediction, !strcmp(q->state, "closed"), &x);
    if (rc)
        return rc;
    if (q->what == RESULTS_UNITS) {
        struct unit_figs f;
        unit_figs_init(&f);
        rc = units_add(&f, x.rows, x.n);
        json_t *o = rc ? NULL : units_json(s, &f);
        unit_figs_fini(&f);
        if (o && q->sheet) {
            *sheet = results_units_sheet(o);
            json_decref(o);
        } else {
            *reply = o;
        }
    } else if (q->sheet) {
        *sheet = q->what == RESULTS_RANKING
                     ? results_ranking_sheet(&x, q->prediction)
                     : results_prizes_sheet(&x);
    } else if (q->what == RESULTS_RANKING) {
        *reply = json_pack(
            "{sb sI ss sb si si si si si so}", "ok", 1, "round",
            (json_int_t)r->id, "state", q->state, "final", x.final, "actual",
            x.actual, "participants", x.n, "total", x.n, "offset", q->offset,
            "limit", q->limit, "ranking",
            results_ranking_json(&x, q->prediction, q->offset, q->limit));
    } else if (q->what == RESULTS_PRIZES) {
        *reply = json_pack("{sb sI sb so}", "ok", 1, "round", (json_int_t)r->id,
                           "final", x.final, "prizes",
                           results_prizes_json(&x, false));
    } else {
        *reply = results_public_json(s, q, r, &x);
    }
    results_fini(&x);
    return rc ? rc : *reply || *sheet ? 0 : EXAMD_ENOMEM;
}

/* The unit figures of every round of contest q->id. */
static int results_contest_units(struct store *s, const struct results_req *q,
                                 json_t **reply, struct sheet **sheet)
{
    struct store_round *v;
    struct unit_figs f;
    int nr, rc = store_contest_rounds(s, q->id, &v, &nr);
    if (rc)
        return rc;
    unit_figs_init(&f);
    for (int i = 0; !rc && i < nr; i++) {
        struct store_round_entry *rows;
        int k;
        rc = store_round_entries(s, v[i].id, &rows, &k);
        if (!rc) {
            rc = units_add(&f, rows, k);
            store_round_entries_free(rows, k);
        }
    }
    store_rounds_free(v, nr);
    json_t *o = rc ? NULL : units_json(s, &f);
    unit_figs_fini(&f);
    if (o && q->sheet) {
        *sheet = results_units_sheet(o);
        json_decref(o);
    } else {
        *reply = o;
    }
    return rc ? rc : *reply || *sheet ? 0 : EXAMD_ENOMEM;
}

int results_compute(struct store *s, const struct results_req *q,
                    json_t **reply, struct sheet **sheet)
{
    struct store_round r;
    *reply = NULL;
    *sheet = NULL;
    if (q->what == RESULTS_CONTEST_UNITS)
        return results_contest_units(s, q, reply, sheet);
    int rc = store_round_get(s, q->id, &r);
    if (rc)
        return rc;
    if (q->what == RESULTS_PUBLIC && !r.published_ms)
        rc = EXAMD_ENOTFOUND; /* unpublished meanwhile */
    else
        rc = results_round(s, q, &r, reply, sheet);
    store_round_fini(&r);
    return rc;
}
