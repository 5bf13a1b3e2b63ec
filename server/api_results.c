/*
 * api_results.c — a round's ranking, prize list and unit figures, as JSON
 * for the console and the public page and as CSV / XLSX exports (see
 * api_contest.h, docs/contests.md).
 *
 * One read of the round's submitted attempts (store_round_entries: the
 * counted attempt of each participant), then the pure rank.c. Exports
 * are built into sheets here and written (XLSX through a temporary file)
 * on a worker, so the event loop never touches the disk for them.
 */
#include "api_contest.h"
#include "api.h"
#include "api_staff.h"
#include "api_users.h"
#include "clock.h"
#include "err.h"
#include "rank.h"
#include "sheet.h"
#include "store_contest.h"
#include "transport.h"

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

/* Read and rank round r: 0 or an error. */
static int results_build(struct runtime *rt, const struct store_round *r,
                         const struct exam *e, struct results *x)
{
    memset(x, 0, sizeof *x);
    int rc = store_round_entries(rt->db, r->id, &x->rows, &x->n);
    if (rc)
        return rc;
    x->v = calloc((size_t)x->n + 1, sizeof *x->v);
    x->table = json_loads(r->prizes, 0, NULL);
    if (!x->v || !json_is_array(x->table)) {
        results_fini(x);
        return EXAMD_ENOMEM;
    }
    for (int i = 0; i < x->n; i++) {
        const struct store_round_entry *s = &x->rows[i];
        struct rank_entry *v = &x->v[i];
        v->user_id = s->user_id;
        v->attempt_id = s->attempt_id;
        v->score_centi = s->score_centi;
        v->correct = s->correct;
        v->total = s->total;
        v->has_prediction = s->has_prediction;
        v->prediction = s->prediction;
        v->time_ms = s->submitted_ms - s->started_ms - s->paused_ms;
        v->submitted_ms = s->submitted_ms;
        v->ref = i;
    }
    x->actual = rank_actual(x->v, x->n);
    rank_sort(x->v, x->n, x->actual, e->prediction);
    x->n_prizes = (int)json_array_size(x->table);
    if (x->n_prizes > RESULTS_MAX_PRIZES)
        x->n_prizes = RESULTS_MAX_PRIZES;
    for (int k = 0; k < x->n_prizes; k++)
        x->counts[k] = (int)json_integer_value(
            json_object_get(json_array_get(x->table, (size_t)k), "count"));
    rank_prizes(x->v, x->n, x->counts, x->n_prizes);
    x->final = !strcmp(api_contest_state(e, clock_now_ms()), "closed") &&
               r->started == r->submitted; /* none still being graded */
    return 0;
}

static json_t *results_score(int centi)
{
    return json_real(centi / 100.0);
}

static json_t *results_ranking_json(const struct results *x, bool pred)
{
    json_t *a = json_array();
    for (int i = 0; i < x->n; i++) {
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

/* The figure of unit id in f (n of them, grown as needed), or NULL. */
static struct unit_fig *unit_fig_get(struct unit_fig **f, int *n, int *cap,
                                     int64_t id)
{
    for (int i = 0; i < *n; i++)
        if ((*f)[i].unit_id == id)
            return &(*f)[i];
    if (*n == *cap) {
        int nc = *cap ? *cap * 2 : 32;
        struct unit_fig *nv = realloc(*f, sizeof *nv * (size_t)nc);
        if (!nv)
            return NULL;
        *f = nv;
        *cap = nc;
    }
    struct unit_fig *u = &(*f)[(*n)++];
    memset(u, 0, sizeof *u);
    u->unit_id = id;
    return u;
}

static json_t *unit_avg(const struct unit_fig *u)
{
    return u && u->counted
               ? json_real((double)u->sum_centi / u->counted / 100.0)
               : json_null();
}

/* The unit figures JSON from per-unit sums (every unit listed). */
static json_t *units_json(struct runtime *rt, const struct unit_fig *f, int n)
{
    struct store_unit_row *u;
    int nu;
    if (store_units_list(rt->db, &u, &nu))
        return NULL;
    json_t *a = json_array(), *most = json_null(), *best = json_null();
    const struct unit_fig *m = NULL, *b = NULL, *none = NULL;
    for (int i = 0; i < n; i++)
        if (!f[i].unit_id)
            none = &f[i];
    for (int k = 0; k < nu; k++) {
        const struct unit_fig *x = NULL;
        for (int i = 0; i < n; i++)
            if (f[i].unit_id == u[k].id)
                x = &f[i];
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

/* Add round entries to the per-unit sums; seen (user ids already counted
 * per unit) keeps a person once per unit over a contest's rounds. */
static int units_add(struct unit_fig **f, int *n, int *cap,
                     const struct store_round_entry *rows, int nr,
                     struct imap *seen)
{
    for (int i = 0; i < nr; i++) {
        struct unit_fig *u = unit_fig_get(f, n, cap, rows[i].unit_id);
        if (!u)
            return EXAMD_ENOMEM;
        u->sum_centi += rows[i].score_centi;
        u->counted++;
        if (imap_get(seen, rows[i].user_id))
            continue; /* a person has one unit: seen once is enough */
        if (imap_put(seen, rows[i].user_id, (void *)1))
            return EXAMD_ENOMEM;
        u->participants++;
    }
    return 0;
}

/* ---- exports ---- */

/* One export written on a worker. */
struct results_export {
    struct work w; /* first: the pool hands this back */
    uint64_t conn;
    struct sheet *s; /* owned */
    int format;      /* enum sheet_format */
    char name[96];   /* file name without extension */
    char *out;       /* owned: the file */
    size_t len;
    int rc;
    char msg[200];
};

static void results_export_run(struct work *w)
{
    struct results_export *x = (struct results_export *)w;
    x->rc = sheet_write(&x->s, 1, x->format, NULL, &x->out, &x->len, x->msg,
                        sizeof x->msg);
}

static void results_export_done(struct work *w, void *ctx)
{
    struct results_export *x = (struct results_export *)w;
    struct runtime *rt = ctx;
    struct conn *c = runtime_conn_get(rt, x->conn);
    if (c && x->rc) {
        fprintf(stderr, "examd: export %s: %s\n", x->name, x->msg);
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
    } else if (c) {
        c->ctype = sheet_format_mime(x->format);
        snprintf(c->disposition, sizeof c->disposition,
                 "attachment; filename=\"%s.%s\"", x->name,
                 sheet_format_ext(x->format));
        c->status = 200;
        transport_send(rt, c, x->out, x->len);
    }
    sheet_free(x->s);
    free(x->out);
    free(x);
}

/* Hand sheet s (taken) to a worker to be written as format for c. */
static void results_export(struct runtime *rt, struct conn *c, struct sheet *s,
                           int format, const char *name)
{
    struct results_export *x = calloc(1, sizeof *x);
    if (!x || !s) {
        free(x);
        sheet_free(s);
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    x->w.run = results_export_run;
    x->w.done = results_export_done;
    x->conn = runtime_conn_ref(c);
    x->s = s;
    x->format = format;
    snprintf(x->name, sizeof x->name, "%s", name);
    worker_submit(rt->workers, &x->w);
}

/* Columns of a sheet: "id|title|kind" each, kind as enum sheet_kind
 * (decimals with 2 places). */
static struct sheet *results_sheet(const char *id, const char *title,
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

/* ?format=: -1 for JSON (none given), -2 after replying 400. */
static int results_format(struct runtime *rt, struct conn *c)
{
    const char *f = api_arg(c, "format");
    if (!f || !*f || !strcmp(f, "json"))
        return -1;
    int k = sheet_format_parse(f);
    if (k == SHEET_CSV || k == SHEET_XLSX)
        return k;
    api_staff_fail(rt, c, 400, EXAMD_EINVAL, "format",
                   "định dạng là csv hoặc xlsx / the format is csv or xlsx");
    return -2;
}

/* ---- the routes ---- */

static void results_units_reply(struct runtime *rt, struct conn *c,
                                const struct unit_fig *f, int n, int format,
                                const char *name)
{
    json_t *o = units_json(rt, f, n);
    if (!o) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    if (format >= 0) {
        results_export(rt, c, results_units_sheet(o), format, name);
        json_decref(o);
        return;
    }
    api_staff_json(rt, c, 200, o);
}

void api_results_staff(struct runtime *rt, struct conn *c,
                       const struct store_round *r, const struct exam *e,
                       const char *what)
{
    struct results x;
    char name[96];
    int format = results_format(rt, c);
    if (format == -2)
        return;
    if (results_build(rt, r, e, &x)) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    snprintf(name, sizeof name, "round-%lld-%s", (long long)r->id, what);
    if (!strcmp(what, "units")) {
        struct unit_fig *f = NULL;
        int n = 0, cap = 0;
        struct imap seen;
        imap_init(&seen);
        if (units_add(&f, &n, &cap, x.rows, x.n, &seen))
            api_fail(rt, c, 500, EXAMD_ENOMEM);
        else
            results_units_reply(rt, c, f, n, format, name);
        imap_fini(&seen);
        free(f);
    } else if (format >= 0) {
        results_export(rt, c,
                       !strcmp(what, "ranking")
                           ? results_ranking_sheet(&x, e->prediction)
                           : results_prizes_sheet(&x),
                       format, name);
    } else if (!strcmp(what, "ranking")) {
        api_staff_json(rt, c, 200,
                       json_pack("{sb sI ss sb si so}", "ok", 1, "round",
                                 (json_int_t)r->id, "state",
                                 api_contest_state(e, clock_now_ms()), "final",
                                 x.final, "actual", x.actual, "ranking",
                                 results_ranking_json(&x, e->prediction)));
    } else {
        api_staff_json(rt, c, 200,
                       json_pack("{sb sI sb so}", "ok", 1, "round",
                                 (json_int_t)r->id, "final", x.final, "prizes",
                                 results_prizes_json(&x, false)));
    }
    results_fini(&x);
}

void api_results_contest_units(struct runtime *rt, struct conn *c,
                               int64_t contest_id)
{
    struct store_round *v;
    struct unit_fig *f = NULL;
    int n = 0, cap = 0, nr, rc, format = results_format(rt, c);
    struct imap seen;
    char name[96];
    if (format == -2)
        return;
    if (store_contest_rounds(rt->db, contest_id, &v, &nr)) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    imap_init(&seen);
    rc = 0;
    for (int i = 0; !rc && i < nr; i++) {
        struct store_round_entry *rows;
        int k;
        rc = store_round_entries(rt->db, v[i].id, &rows, &k);
        if (!rc) {
            rc = units_add(&f, &n, &cap, rows, k, &seen);
            store_round_entries_free(rows, k);
        }
    }
    store_rounds_free(v, nr);
    imap_fini(&seen);
    snprintf(name, sizeof name, "contest-%lld-units", (long long)contest_id);
    if (rc)
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
    else
        results_units_reply(rt, c, f, n, format, name);
    free(f);
}

void api_results_public(struct runtime *rt, struct conn *c, int64_t id)
{
    struct store_round r;
    struct store_contest k;
    struct results x;
    long long top;
    const struct exam *e = runtime_exam(rt, id);
    int rc = store_round_get(rt->db, id, &r);
    if (rc || !e || !r.published_ms) {
        if (!rc)
            store_round_fini(&r);
        api_fail(rt, c, rc && rc != EXAMD_ENOTFOUND ? 500 : 404,
                 rc && rc != EXAMD_ENOTFOUND ? EXAMD_EINTERNAL
                                             : EXAMD_ENOTFOUND);
        return;
    }
    if (!api_staff_arg_int(c, "top", 1, 500, 50, &top)) {
        store_round_fini(&r);
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "top", NULL);
        return;
    }
    if (store_contest_get(rt->db, r.contest_id, &k)) {
        store_round_fini(&r);
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    if (results_build(rt, &r, e, &x)) {
        store_round_fini(&r);
        store_contest_fini(&k);
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    json_t *a = json_array();
    for (int i = 0; i < x.n && i < top; i++) {
        const struct rank_entry *v = &x.v[i];
        const struct store_round_entry *s = &x.rows[v->ref];
        const char *prize = results_prize_name(&x, v->prize);
        json_array_append_new(
            a, json_pack("{si ss so so so}", "rank", v->rank, "name", s->name,
                         "unit",
                         s->unit_id ? json_string(s->unit_name) : json_null(),
                         "score", results_score(v->score_centi), "prize",
                         prize ? json_string(prize) : json_null()));
    }
    api_staff_json(rt, c, 200,
                   json_pack("{sb s{sI ss} s{sI si ss sI sI si si} so so}",
                             "ok", 1, "contest", "id", (json_int_t)k.id,
                             "title", k.title, "round", "id", (json_int_t)r.id,
                             "round_no", r.round_no, "title", e->title,
                             "closes_ms", (json_int_t)e->closes_ms,
                             "published_ms", (json_int_t)r.published_ms,
                             "participants", x.n, "actual", x.actual, "top", a,
                             "prizes", results_prizes_json(&x, true)));
    results_fini(&x);
    store_round_fini(&r);
    store_contest_fini(&k);
}

/* ---- the live monitor ---- */

struct contest_online {
    struct runtime *rt;
    int64_t exam_id;
    int64_t *users; /* owned: users with a running attempt and a socket */
    int n, cap;
    bool oom;
};

static void contest_online_one(void *arg, void *val)
{
    struct contest_online *o = arg;
    struct attempt_rt *a = val;
    if (a->e->id != o->exam_id || a->state != ATT_RUNNING ||
        !imap_get(&o->rt->user_conns, a->user_id))
        return;
    if (o->n == o->cap) {
        int nc = o->cap ? o->cap * 2 : 64;
        int64_t *nv = realloc(o->users, sizeof *nv * (size_t)nc);
        if (!nv) {
            o->oom = true;
            return;
        }
        o->users = nv;
        o->cap = nc;
    }
    o->users[o->n++] = a->user_id;
}

void api_results_monitor(struct runtime *rt, struct conn *c,
                         const struct store_round *r, const struct exam *e)
{
    struct contest_online on = {rt, r->id, NULL, 0, 0, false};
    struct store_round_count *v = NULL;
    struct store_unit_row *u = NULL;
    int n = 0, nu = 0;
    int64_t now = clock_now_ms();
    imap_each(&rt->attempts, contest_online_one, &on);
    if (on.oom || store_round_counts(rt->db, r->id, &v, &n) ||
        store_units_list(rt->db, &u, &nu)) {
        free(on.users);
        free(v);
        store_unit_rows_free(u, nu);
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    int *online = calloc((size_t)n + 1, sizeof *online);
    int t_part = 0, t_sub = 0, t_run = 0;
    for (int i = 0; online && i < on.n; i++) {
        int64_t unit = 0;
        store_user_unit(rt->db, on.users[i], &unit);
        for (int k = 0; k < n; k++)
            if (v[k].unit_id == unit)
                online[k]++;
    }
    json_t *units = json_array();
    for (int k = 0; online && k < n; k++) {
        const struct store_unit_row *ur = NULL;
        for (int x = 0; x < nu; x++)
            if (u[x].id == v[k].unit_id)
                ur = &u[x];
        t_part += v[k].participants;
        t_sub += v[k].submitted;
        t_run += v[k].running;
        json_array_append_new(
            units,
            json_pack("{so so si si si si si}", "unit",
                      v[k].unit_id ? json_integer(v[k].unit_id) : json_null(),
                      "name", ur ? json_string(ur->name) : json_null(),
                      "target", ur ? ur->target : 0, "running", v[k].running,
                      "online", online[k], "submitted", v[k].submitted,
                      "participants", v[k].participants));
    }
    json_t *o =
        online ? json_pack("{sb sI ss sI sI sI si si si si so}", "ok", 1,
                           "round", (json_int_t)r->id, "state",
                           api_contest_state(e, now), "now_ms", (json_int_t)now,
                           "opens_ms", (json_int_t)e->opens_ms, "closes_ms",
                           (json_int_t)e->closes_ms, "running", t_run, "online",
                           on.n, "submitted", t_sub, "participants", t_part,
                           "units", units)
               : NULL;
    if (!online)
        json_decref(units);
    free(online);
    free(on.users);
    free(v);
    store_unit_rows_free(u, nu);
    if (o)
        api_staff_json(rt, c, 200, o);
    else
        api_fail(rt, c, 500, EXAMD_ENOMEM);
}
