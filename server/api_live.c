/*
 * api_live.c — the organiser's HTTP API of live rounds (api_live.h).
 *
 * Creating a round freezes its questions on the writer (the exam
 * snapshot code, store_live_snapshot) and makes it live once committed.
 * A step (start, reveal, next, end) changes the round in memory and
 * pushes to the hall at once; its state is written by the writer behind
 * every answer accepted before it, and the reply goes out after that
 * commit.
 */
#include "api_live.h"
#include "api.h"
#include "api_contest.h"
#include "api_join.h"
#include "api_staff.h"
#include "api_users.h"
#include "clock.h"
#include "err.h"
#include "live.h"
#include "qr.h"
#include "store_live.h"
#include "text.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define API_LIVE_PATH "/api/staff/live"

/* What a live writer job of the staff API carries. */
struct api_live_op {
    struct store_live_row row; /* title points into in, snapshot below */
    char *snapshot;            /* owned */
    bool eliminate;            /* a reveal of an elimination round */
    bool revive;
    char action[24]; /* the audit entry of a step: "live.start" ... */
    /* creating */
    struct store_exam_spec spec;
    json_t *in; /* owned: the request (spec strings point into it) */
    struct store_cell cells[EXAM_MAX_CELLS];
    int64_t fixed[EXAM_MAX_PAPER];
    int each[EXAM_MAX_PAPER]; /* seconds_each: the i-th question's limit */
    int n_each;
    bool create;
};

static void api_live_op_free(void *arg)
{
    struct api_live_op *op = arg;
    if (!op)
        return;
    free(op->snapshot);
    json_decref(op->in);
    free(op);
}

/* ---- creating ---- */

static int api_live_create_run(struct store *st, struct wjob *j)
{
    struct api_live_op *op = j->arg;
    char msg[512];
    uint64_t seed;
    int n_q = 0;
    randombytes_buf(&seed, sizeof seed);
    int rc = store_live_snapshot(st, &op->spec, op->row.seconds, op->each,
                                 op->n_each, seed, &op->snapshot, &n_q, msg,
                                 sizeof msg);
    if (rc == EXAMD_EINVAL) {
        api_staff_set(
            j, 422,
            api_staff_error(rc, op->spec.n_fixed ? "questions" : "blueprint",
                            msg));
        return rc;
    }
    op->row.snapshot = op->snapshot;
    op->row.created_ms = j->server_ms;
    if (!rc)
        rc = store_live_create(st, &op->row);
    if (!rc)
        rc = api_audit(st, j, "live.create",
                       json_pack("{sI ss ss si}", "id", (json_int_t)op->row.id,
                                 "title", op->row.title, "code", op->row.code,
                                 "questions", n_q));
    if (rc == EXAMD_EEXISTS)
        api_staff_set(j, 409,
                      api_staff_error(rc, "code",
                                      "mã vừa được cấp cho vòng khác, hãy thử "
                                      "lại / the code was just taken, try "
                                      "again"));
    else if (rc)
        api_staff_set(j, 500, api_staff_error(EXAMD_EINTERNAL, NULL, NULL));
    else
        api_staff_set(j, 200,
                      json_pack("{sb sI ss si}", "ok", 1, "id",
                                (json_int_t)op->row.id, "code", op->row.code,
                                "questions", n_q));
    return rc;
}

/* A fresh 6-digit code no open round uses. */
static bool api_live_code(struct runtime *rt, char out[STORE_LIVE_CODE_LEN + 1])
{
    for (int i = 0; i < 50; i++) {
        snprintf(out, STORE_LIVE_CODE_LEN + 1, "%06u",
                 (unsigned)randombytes_uniform(1000000));
        if (out[0] != '0' && !live_code_taken(rt, out))
            return true;
    }
    return false;
}

/* The optional seconds_each (one limit per question, in the order asked)
 * into op; false when it is not an array of as many whole numbers in
 * LIVE_SECONDS_MIN..MAX as the round has questions. */
static bool api_live_each(json_t *in, struct api_live_op *op)
{
    json_t *a = json_object_get(in, "seconds_each"), *v;
    const struct store_exam_spec *sp = &op->spec;
    int n_q = sp->n_fixed;
    size_t i;
    for (int c = 0; !sp->n_fixed && c < sp->n_cells; c++)
        n_q += sp->cells[c].count;
    if (!a || json_is_null(a))
        return true;
    if (!json_is_array(a) || json_array_size(a) != (size_t)n_q)
        return false;
    json_array_foreach(a, i, v)
    {
        if (!json_is_integer(v) || json_integer_value(v) < LIVE_SECONDS_MIN ||
            json_integer_value(v) > LIVE_SECONDS_MAX)
            return false;
        op->each[op->n_each++] = (int)json_integer_value(v);
    }
    return true;
}

/* The new round's fields into op; the bad field's name or NULL. */
static const char *api_live_fields(struct runtime *rt, json_t *in,
                                   struct api_live_op *op)
{
    struct store_exam_spec *sp = &op->spec;
    long long v;
    const char *bad = api_staff_exam_source(rt, in, sp, op->cells, op->fixed);
    if (bad)
        return bad;
    op->row.title = sp->title; /* points into op->in */
    /* one draw, now; a blueprint's questions asked in a shuffled order, a
     * fixed list in its own; options as the bank has them (the hall sees
     * one screen) */
    sp->random_selection = false;
    sp->shuffle_questions = sp->n_fixed == 0;
    sp->shuffle_options = false;
    sp->duration_s = 1;
    sp->attempts = 1;
    if (!api_staff_int(in, "seconds", LIVE_SECONDS_MIN, LIVE_SECONDS_MAX,
                       LIVE_SECONDS_DEFAULT, &v))
        return "seconds";
    op->row.seconds = (int)v;
    if (!api_live_each(in, op))
        return "seconds_each";
    if (!api_staff_bool(in, "elimination", false, &op->row.elimination))
        return "elimination";
    return NULL;
}

static void api_live_create(struct runtime *rt, struct conn *c, json_t *in,
                            const struct staff_who *who)
{
    struct api_live_op *op = calloc(1, sizeof *op);
    if (!op) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    op->create = true;
    op->in = json_incref(in);
    op->row.owner_id = who->uid;
    const char *bad = api_live_fields(rt, in, op);
    if (bad) {
        api_live_op_free(op);
        api_staff_bad_field(rt, c, bad);
        return;
    }
    if (!api_live_code(rt, op->row.code)) {
        api_live_op_free(op);
        api_fail(rt, c, 503, EXAMD_EBUSY);
        return;
    }
    api_staff_submit(rt, c, api_live_create_run, op, api_live_op_free, false);
}

void api_live_done(struct runtime *rt, struct wjob *j)
{
    if (j->rc || j->arg_free != api_live_op_free)
        return;
    struct api_live_op *op = j->arg;
    if (op->create && op->row.id && !live_round_add(rt, &op->row))
        fprintf(stderr, "examd: live round %lld: out of memory\n",
                (long long)op->row.id);
}

/* ---- reading ---- */

static void api_live_list(struct runtime *rt, struct conn *c,
                          const struct staff_who *who)
{
    json_t *a = json_array();
    bool admin = !strcmp(who->role, "admin");
    for (int i = rt->live->n_ids - 1; i >= 0; i--) {
        struct live_round *r = live_round_get(rt, rt->live->ids[i]);
        if (r && (admin || r->owner_id == who->uid))
            json_array_append_new(a, live_round_json(rt, r, false));
    }
    api_staff_json(rt, c, 200, json_pack("{sb so}", "ok", 1, "rounds", a));
}

/* The player page's link for r and its QR code, when base is good. */
static void api_live_link(const struct live_round *r, const char *base,
                          json_t *o)
{
    char url[300];
    if (!base || !api_join_base_ok(base))
        return;
    snprintf(url, sizeof url, "%s/live.html?code=%s", base, r->code);
    char *svg = qr_svg(url, NULL);
    json_object_set_new(o, "url", json_string(url));
    if (svg)
        json_object_set_new(o, "qr_svg", json_string(svg));
    free(svg);
}

static void api_live_one(struct runtime *rt, struct conn *c,
                         struct live_round *r)
{
    json_t *o = live_round_json(rt, r, true);
    if (o)
        api_live_link(r, api_arg(c, "base"), o);
    api_staff_json(rt, c, 200, json_pack("{sb so}", "ok", 1, "round", o));
}

/* ---- steps ---- */

static int api_live_step_run(struct store *st, struct wjob *j)
{
    struct api_live_op *op = j->arg;
    int rc = op->revive ? store_live_revive(st, op->row.id)
                        : store_live_state_set(st, &op->row, op->eliminate);
    if (!rc)
        rc = api_audit(st, j, op->action,
                       json_pack("{sI si}", "id", (json_int_t)op->row.id,
                                 "question", op->row.current + 1));
    if (rc)
        api_staff_set(j, 500, api_staff_error(EXAMD_EINTERNAL, NULL, NULL));
    else
        api_staff_set(j, 200,
                      json_pack("{sb sI ss si}", "ok", 1, "id",
                                (json_int_t)op->row.id, "state",
                                store_live_state_name(op->row.state), "current",
                                op->row.current));
    return rc;
}

static void api_live_step(struct runtime *rt, struct conn *c,
                          struct live_round *r, const char *verb)
{
    struct api_live_op *op = calloc(1, sizeof *op);
    int rc = EXAMD_ENOTFOUND;
    if (!op) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    if (!strcmp(verb, "start"))
        rc = live_start(rt, r, &op->row);
    else if (!strcmp(verb, "next"))
        rc = live_next(rt, r, &op->row);
    else if (!strcmp(verb, "reveal"))
        rc = live_reveal(rt, r, &op->row, &op->eliminate);
    else if (!strcmp(verb, "end"))
        rc = live_end(rt, r, &op->row);
    else if (!strcmp(verb, "revive") && !(rc = live_revive(rt, r))) {
        op->revive = true;
        op->row.id = r->id;
        op->row.state = r->core.state;
        op->row.current = r->core.current;
    }
    snprintf(op->action, sizeof op->action, "live.%s", verb);
    if (rc == EXAMD_ENOTFOUND) {
        api_live_op_free(op);
        api_fail(rt, c, 404, rc);
    } else if (rc) {
        char msg[300];
        snprintf(msg, sizeof msg,
                 "không thể \"%s\" khi vòng đang ở trạng thái \"%s\" / cannot "
                 "\"%s\" while the round is \"%s\"",
                 verb, store_live_state_name(r->core.state), verb,
                 store_live_state_name(r->core.state));
        api_live_op_free(op);
        api_staff_fail(rt, c, 409, EXAMD_EINVAL, "state", msg);
    } else {
        api_staff_submit(rt, c, api_live_step_run, op, api_live_op_free, false);
    }
}

/* ---- routing ---- */

bool api_live_route(struct runtime *rt, struct conn *c,
                    const struct staff_who *who, bool post)
{
    size_t pl = strlen(API_LIVE_PATH);
    if (strncmp(c->path, API_LIVE_PATH, pl) ||
        (c->path[pl] && c->path[pl] != '/'))
        return false;
    if (!c->path[pl]) {
        json_t *in = NULL;
        if (!post)
            api_live_list(rt, c, who);
        else if (!(in = c->body_len ? json_loadb(c->body, c->body_len, 0, NULL)
                                    : NULL) ||
                 !json_is_object(in))
            api_fail(rt, c, 400, EXAMD_EBADJSON);
        else
            api_live_create(rt, c, in, who);
        json_decref(in);
        return true;
    }
    int64_t id;
    char verb[16];
    struct live_round *r = NULL;
    if (api_path_id(c->path, API_LIVE_PATH "/", &id, verb, sizeof verb))
        r = live_round_get(rt, id);
    /* another organiser's round does not exist for them */
    if (!r || (strcmp(who->role, "admin") && r->owner_id != who->uid))
        api_fail(rt, c, 404, EXAMD_ENOTFOUND);
    else if (!post && !*verb)
        api_live_one(rt, c, r);
    else if (!post && !strcmp(verb, "export"))
        api_results_live(rt, c, r->id);
    else if (post && *verb)
        api_live_step(rt, c, r, verb);
    else
        api_fail(rt, c, 404, EXAMD_ENOTFOUND);
    return true;
}
