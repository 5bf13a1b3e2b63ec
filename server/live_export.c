/*
 * live_export.c — a live round's results as sheets (live_export.h).
 *
 * The round is rebuilt from the database the way a restarted server
 * rebuilds it (store_live_load_one, then the pure live_core ranks it): a
 * player's score counts the correct answers of revealed questions, so
 * the board matches the one the hall saw; an open question's answers are
 * counted per option but score nothing yet.
 */
#include "live_export.h"
#include "api_results.h"
#include "err.h"
#include "exam.h"
#include "imap.h"
#include "live_core.h"
#include "store_live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One question's answers. */
struct live_export_q {
    int answered, correct;
    int counts[LIVE_MAX_OPTIONS];
};

struct live_export {
    bool found;
    int state, current;
    struct exam *e; /* owned: the frozen questions, in asking order */
    struct live_core core;
    struct imap players;          /* live_players.id -> entry of core */
    struct live_export_q *qs;     /* owned, core.n_q */
    struct store_unit_row *units; /* owned: every unit, for the names */
    int n_units;
    char *msg;
    size_t msglen;
};

static int live_export_round(void *arg, const struct store_live_row *row)
{
    struct live_export *x = arg;
    json_t *snap = json_loads(row->snapshot, 0, NULL);
    x->e = snap ? exam_from_json(snap, x->msg, x->msglen) : NULL;
    json_decref(snap);
    if (!x->e || x->e->n_pool < 1)
        return EXAMD_EINTERNAL;
    x->found = true;
    x->state = row->state < 0 ? LIVE_ENDED : row->state;
    x->current = row->current < x->e->n_pool ? row->current : x->e->n_pool - 1;
    live_core_init(&x->core, x->e->n_pool, row->elimination);
    x->qs = calloc((size_t)x->e->n_pool, sizeof *x->qs);
    return x->qs ? 0 : EXAMD_ENOMEM;
}

static int live_export_player(void *arg, int64_t round_id,
                              const struct live_player *p)
{
    struct live_export *x = arg;
    (void)round_id;
    struct live_player *n = live_core_add(&x->core, p); /* core: lobby */
    return n && !imap_put(&x->players, p->id, n) ? 0 : EXAMD_ENOMEM;
}

static int live_export_answer(void *arg, int64_t round_id, int q,
                              int64_t player_id, uint8_t choice,
                              int64_t elapsed_ms, bool correct)
{
    struct live_export *x = arg;
    struct live_player *p = imap_get(&x->players, player_id);
    (void)round_id;
    if (!p || q < 0 || q >= x->core.n_q)
        return 0;
    struct live_export_q *k = &x->qs[q];
    k->answered++;
    k->correct += correct;
    for (int i = 0; i < LIVE_MAX_OPTIONS; i++)
        k->counts[i] += (choice >> i) & 1;
    if (correct && (q != x->current || x->state != LIVE_QUESTION)) {
        p->correct++; /* revealed: it scored */
        p->time_ms += elapsed_ms;
    }
    return 0;
}

/* The unit's name, "" for none. */
static const char *live_export_unit(const struct live_export *x, int64_t id)
{
    for (int i = 0; id && i < x->n_units; i++)
        if (x->units[i].id == id)
            return x->units[i].name;
    return "";
}

static struct sheet *live_export_board(struct live_export *x)
{
    static const char *const cols[] = {"rank|Hạng|1",
                                       "name|Họ và tên|0",
                                       "unit|Đơn vị|0",
                                       "correct|Số câu đúng|1",
                                       "time|Tổng thời gian (giây)|2",
                                       "eliminated_at|Bị loại ở câu|1"};
    const struct live_core *k = &x->core;
    int *order = malloc(((size_t)k->n_players + 1) * sizeof *order);
    struct sheet *s = results_sheet("board", "Bảng xếp hạng", cols, 6);
    if (!order || !s || live_core_rank(&x->core, order)) {
        free(order);
        sheet_free(s);
        return NULL;
    }
    for (int i = 0; i < k->n_players; i++) {
        const struct live_player *p = k->players[order[i]];
        sheet_row_add(s);
        sheet_set_int(s, 0, p->rank);
        sheet_set_text(s, 1, p->name);
        sheet_set_text(s, 2, live_export_unit(x, p->unit_id));
        sheet_set_int(s, 3, p->correct);
        sheet_set_number(s, 4, (double)p->time_ms / 1000.0);
        if (p->eliminated_at >= 0) /* as the hall numbers questions */
            sheet_set_int(s, 5, p->eliminated_at + 1);
    }
    free(order);
    return s;
}

/* The answer counts of every question asked so far, one per option. */
static struct sheet *live_export_answers(const struct live_export *x)
{
    static const char *const cols[] = {
        "q|Câu|1",        "text|Nội dung|0",
        "key|Đáp án|0",   "answered|Số người trả lời|1",
        "correct|Đúng|1", "wrong|Sai|1"};
    int n_opt = 2;
    for (int q = 0; q < x->e->n_pool; q++)
        if (x->e->pool[q].n_options > n_opt)
            n_opt = x->e->pool[q].n_options;
    struct sheet *s = results_sheet("answers", "Số câu trả lời", cols, 6);
    for (int i = 0; s && i < n_opt; i++) {
        char id[8], title[8];
        snprintf(id, sizeof id, "opt_%c", 'a' + i);
        snprintf(title, sizeof title, "%c", 'A' + i);
        if (sheet_col_add(s, id, title, SHEET_INTEGER, 0) < 0) {
            sheet_free(s);
            return NULL;
        }
    }
    int asked = x->state == LIVE_LOBBY ? 0 : x->current + 1;
    for (int q = 0; s && q < asked; q++) {
        const struct exam_question *eq = &x->e->pool[q];
        const struct live_export_q *k = &x->qs[q];
        char key[2 * LIVE_MAX_OPTIONS + 1] = "";
        for (int i = 0; i < eq->n_options; i++)
            if (eq->key & (1u << i))
                snprintf(key + strlen(key), sizeof key - strlen(key), "%s%c",
                         key[0] ? "," : "", 'A' + i);
        sheet_row_add(s);
        sheet_set_int(s, 0, q + 1);
        sheet_set_text(s, 1, eq->text);
        sheet_set_text(s, 2, key);
        sheet_set_int(s, 3, k->answered);
        sheet_set_int(s, 4, k->correct);
        sheet_set_int(s, 5, k->answered - k->correct);
        for (int i = 0; i < eq->n_options; i++)
            sheet_set_int(s, 6 + i, k->counts[i]);
    }
    return s;
}

int live_export(struct store *s, int64_t round_id,
                struct sheet *out[LIVE_EXPORT_SHEETS], char *msg, size_t n)
{
    struct live_export x = {.msg = msg, .msglen = n};
    struct store_live_loader ld = {&x, live_export_round, live_export_player,
                                   live_export_answer};
    out[0] = out[1] = NULL;
    imap_init(&x.players);
    int rc = store_join_units(s, 0, &x.units, &x.n_units);
    if (!rc)
        rc = store_live_load_one(s, round_id, &ld);
    if (!rc && !x.found)
        rc = EXAMD_ENOTFOUND;
    if (!rc && (!(out[0] = live_export_board(&x)) ||
                !(out[1] = live_export_answers(&x)))) {
        sheet_free(out[0]);
        out[0] = NULL;
        rc = EXAMD_ENOMEM;
    }
    live_core_fini(&x.core);
    imap_fini(&x.players);
    exam_free(x.e);
    free(x.qs);
    store_unit_rows_free(x.units, x.n_units);
    return rc;
}
