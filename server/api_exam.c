/*
 * api_exam.c — the staff console's exams: the list, and publishing (an
 * exam or, through api_contest.c, a contest round) from a bank's
 * blueprint or a fixed list, made live without a restart (see
 * api_staff.h and docs/staff-api.md).
 */
#include "api_staff_int.h"
#include "api.h"
#include "api_access.h"
#include "api_contest.h"
#include "api_join.h"
#include "api_scores.h"
#include "api_users.h"
#include "text.h"
#include "bank.h"
#include "clock.h"
#include "err.h"
#include "store.h"
#include "transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Publishing succeeded: build the exam from its snapshot and make it live.
 * The exam is in the database either way; a failure here only delays it
 * to the next start. */
void api_staff_exam_live(struct runtime *rt, struct staff_op *op)
{
    char msg[256];
    json_t *snap = json_loads(op->snapshot, 0, NULL);
    struct exam *e = snap ? exam_from_json(snap, msg, sizeof msg) : NULL;
    json_decref(snap);
    if (!e) {
        fprintf(stderr, "examd: exam %lld published but not loaded\n",
                (long long)op->exam_id);
        return;
    }
    e->id = op->exam_id;
    if (op->round)
        api_contest_round_live(e, op->round);
    if (runtime_exam_class_set(rt, e->id, op->class_id)) {
        exam_free(e); /* never offered to everyone by mistake */
        fprintf(stderr, "examd: exam %lld: out of memory\n",
                (long long)op->exam_id);
        return;
    }
    if (runtime_exam_add(rt, e))
        fprintf(stderr, "examd: exam %lld: out of memory\n",
                (long long)op->exam_id);
}

/* ---- exams ---- */

/* Exams, newest first: those who may reach (api_exam_may: a trainer
 * their own, an organiser all but other organisers' rounds). */
void api_staff_exams(struct runtime *rt, struct conn *c,
                     const struct staff_who *who)
{
    struct store_exam_row *rows;
    int n;
    if (store_exams_list(rt->db, &rows, &n)) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    json_t *a = json_array();
    for (int i = 0; i < n; i++) {
        struct store_exam_meta m = {.owner_id = rows[i].owner_id,
                                    .contest_id = rows[i].contest_id,
                                    .contest_owner_id =
                                        rows[i].contest_owner_id};
        if (!api_exam_may(who, &m))
            continue;
        json_t *s = json_loads(rows[i].snapshot, 0, NULL);
        intptr_t cls = (intptr_t)imap_get(&rt->exam_class, rows[i].id);
        json_array_append_new(
            a, json_pack("{sI so sO* sO* sO* sO* sO* sO* sO* si si}", "id",
                         (json_int_t)rows[i].id, "class",
                         cls ? json_integer(cls) : json_null(), "title",
                         json_object_get(s, "title"), "questions",
                         json_object_get(s, "n_paper"), "duration_s",
                         json_object_get(s, "duration_s"), "attempts",
                         json_object_get(s, "attempts"), "review",
                         json_object_get(s, "review"), "opens_ms",
                         json_object_get(s, "opens_ms"), "closes_ms",
                         json_object_get(s, "closes_ms"), "started",
                         rows[i].started, "submitted", rows[i].submitted));
        json_decref(s);
    }
    store_exam_rows_free(rows, n);
    api_staff_json(rt, c, 200, json_pack("{sb so}", "ok", 1, "exams", a));
}

static int staff_exam_run(struct store *st, struct wjob *j)
{
    struct staff_op *op = j->arg;
    char msg[512];
    int rc = store_exam_create(st, &op->spec, j->server_ms, &op->exam_id,
                               &op->snapshot, msg, sizeof msg);
    if (!rc)
        rc = api_audit(st, j, "exam.publish",
                       json_pack("{sI ss sI}", "id", (json_int_t)op->exam_id,
                                 "title", op->spec.title, "bank",
                                 (json_int_t)op->spec.bank_id));
    if (rc == EXAMD_EINVAL) {
        json_t *e = api_staff_error(
            rc, op->spec.n_fixed ? "questions" : "blueprint", msg);
        const char *cell = strstr(msg, "cell ");
        int n;
        if (cell && sscanf(cell, "cell %d", &n) == 1)
            json_object_set_new(e, "cell", json_integer(n));
        api_staff_set(j, 422, e);
    } else if (rc)
        api_staff_set(j, 500, api_staff_error(rc, NULL, NULL));
    else if ((rc = store_exam_owner_set(st, op->exam_id, op->owner_id,
                                        op->class_id)) ||
             (op->grading && /* scores: the exam's grading rules */
              (rc = store_exam_grading_set(st, op->exam_id, op->grading))))
        api_staff_set(j, 500, api_staff_error(rc, NULL, NULL));
    else if (op->round) /* a contest round: its extras, its own reply */
        rc = api_contest_round_stored(st, j, op->exam_id, op->round);
    else
        api_staff_set(
            j, 200,
            json_pack("{sb sI}", "ok", 1, "id", (json_int_t)op->exam_id));
    return rc;
}

/* An optional field of in: absent/null gives def. false when present with
 * the wrong type or out of lo..hi. */
bool api_staff_int(json_t *in, const char *k, long long lo, long long hi,
                   long long def, long long *out)
{
    json_t *v = json_object_get(in, k);
    *out = def;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_integer(v) || json_integer_value(v) < lo ||
        json_integer_value(v) > hi)
        return false;
    *out = json_integer_value(v);
    return true;
}

bool api_staff_bool(json_t *in, const char *k, bool def, bool *out)
{
    json_t *v = json_object_get(in, k);
    *out = v && !json_is_null(v) ? json_is_true(v) : def;
    return !v || json_is_null(v) || json_is_boolean(v);
}

const char *api_staff_exam_paper(json_t *in, struct store_exam_spec *sp,
                                 struct store_cell *cells, int64_t *fixed)
{
    json_t *bp = json_object_get(in, "blueprint"),
           *fx = json_object_get(in, "questions"), *v;
    size_t i;
    if (json_is_array(fx) && json_array_size(fx)) {
        if (json_array_size(fx) > EXAM_MAX_PAPER)
            return "questions";
        json_array_foreach(fx, i, v)
        {
            if (!json_is_integer(v))
                return "questions";
            fixed[sp->n_fixed++] = json_integer_value(v);
        }
        sp->fixed = fixed;
        return NULL;
    }
    if (!json_is_array(bp) || !json_array_size(bp) ||
        json_array_size(bp) > EXAM_MAX_CELLS)
        return "blueprint";
    json_array_foreach(bp, i, v)
    {
        struct store_cell *cell = &cells[sp->n_cells++];
        json_t *t = json_object_get(v, "topic"),
               *d = json_object_get(v, "difficulty");
        long long count;
        cell->topic = json_string_value(t);
        cell->difficulty = json_is_string(d)
                               ? bank_difficulty_parse(json_string_value(d))
                               : -1;
        if ((t && !json_is_null(t) && !json_is_string(t)) ||
            (d && !json_is_null(d) && cell->difficulty < 0) ||
            !api_staff_int(v, "count", 1, EXAM_MAX_PAPER, 0, &count) || !count)
            return "blueprint";
        cell->count = (int)count;
    }
    sp->cells = cells;
    return NULL;
}

/* A training room's ip_ranges into op (canonical text); false when one
 * is not a CIDR (op->bad_range names it) or the list is malformed. */
static bool staff_exam_ranges(json_t *in, struct staff_op *op)
{
    struct store_exam_spec *sp = &op->spec;
    struct netrange *r;
    int n, bad;
    json_t *v = json_object_get(in, "ip_ranges");
    if (exam_ranges_from_json(v, &r, &n, &bad)) {
        const char *t = json_string_value(json_array_get(v, (size_t)bad));
        if (bad >= 0) /* quoted: an empty entry is named too */
            snprintf(op->bad_range, sizeof op->bad_range, "\"%.60s\"",
                     t ? t : "");
        return false;
    }
    for (int i = 0; i < n; i++) {
        netrange_format(&r[i], op->ranges[i], sizeof op->ranges[i]);
        op->range_p[i] = op->ranges[i];
    }
    free(r);
    sp->n_ip_ranges = n;
    sp->ip_ranges = op->range_p;
    return true;
}

const char *api_staff_exam_source(struct runtime *rt, json_t *in,
                                  struct store_exam_spec *sp,
                                  struct store_cell *cells, int64_t *fixed)
{
    struct store_bank_row br;
    long long v;
    sp->title = json_string_value(json_object_get(in, "title"));
    if (!sp->title || !*sp->title || strlen(sp->title) > 300 ||
        !text_is_valid(sp->title, strlen(sp->title)))
        return "title";
    sp->description = "";
    if (!api_staff_int(in, "bank", 1, INT64_MAX, 0, &v) || !v ||
        store_bank_get(rt->db, v, &br))
        return "bank";
    free(br.title);
    sp->bank_id = v;
    return api_staff_exam_paper(in, sp, cells, fixed);
}

/* Read the rules of a new exam into op; the bad field's name or NULL. */
static const char *staff_exam_spec(struct runtime *rt, json_t *in,
                                   struct staff_op *op)
{
    struct store_exam_spec *sp = &op->spec;
    long long v;
    json_t *pen = json_object_get(in, "wrong_penalty");
    const char *ms = json_string_value(json_object_get(in, "multi_scoring"));
    const char *bad = api_staff_exam_source(rt, in, sp, op->cells, op->fixed);
    if (bad)
        return bad;
    if (!api_staff_int(in, "duration_s", 1, 86400, 0, &v) || !v)
        return "duration_s";
    sp->duration_s = (int)v;
    if (!api_staff_int(in, "attempts", 1, 100, 1, &v))
        return "attempts";
    sp->attempts = (int)v;
    json_t *rv = json_object_get(in, "review");
    sp->review =
        rv ? exam_review_parse(json_string_value(rv)) : EXAM_REVIEW_NONE;
    if (sp->review < 0)
        return "review";
    if (!api_staff_bool(in, "random_selection", true, &sp->random_selection))
        return "random_selection";
    if (!api_staff_bool(in, "shuffle_questions", true, &sp->shuffle_questions))
        return "shuffle_questions";
    if (!api_staff_bool(in, "shuffle_options", true, &sp->shuffle_options))
        return "shuffle_options";
    if (ms && strcmp(ms, "partial") && strcmp(ms, "all_or_nothing"))
        return "multi_scoring";
    sp->multi_scoring =
        ms && !strcmp(ms, "partial") ? EXAM_MULTI_PARTIAL : EXAM_MULTI_ALL;
    if (pen && !json_is_null(pen) &&
        (!json_is_number(pen) || json_number_value(pen) < 0 ||
         json_number_value(pen) > 1))
        return "wrong_penalty";
    sp->wrong_penalty =
        (int32_t)(json_number_value(pen) * EXAM_WEIGHT_FULL + 0.5);
    if (!api_staff_int(in, "opens_ms", 0, INT64_MAX, 0, &v))
        return "opens_ms";
    sp->opens_ms = v;
    if (!api_staff_int(in, "closes_ms", 0, INT64_MAX, 0, &v) ||
        (v && v <= sp->opens_ms))
        return "closes_ms";
    sp->closes_ms = v;
    if (!staff_exam_ranges(in, op))
        return "ip_ranges";
    return NULL;
}

void api_staff_exam_publish(struct runtime *rt, struct conn *c, json_t *in,
                            const struct staff_who *who,
                            struct staff_round *round)
{
    int64_t class_id = 0;
    if (!round && api_class_exam_check(rt, c, who, in, &class_id))
        return;
    struct staff_op *op = calloc(1, sizeof *op);
    if (!op) {
        api_contest_round_free(round);
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    op->round = round;
    op->owner_id = who->uid;
    op->class_id = class_id;
    op->spec_json = json_incref(in);
    const char *bad = staff_exam_spec(rt, in, op);
    if (bad) {
        if (op->bad_range[0]) {
            char msg[300];
            snprintf(msg, sizeof msg,
                     "ip_ranges: %s không phải dải địa chỉ CIDR hợp lệ / "
                     "%s is not a valid CIDR range",
                     op->bad_range, op->bad_range);
            api_staff_fail(rt, c, 400, EXAMD_EINVAL, bad, msg);
        } else {
            api_staff_bad_field(rt, c, bad);
        }
        api_staff_op_free(op);
        return;
    }
    if (!api_scores_grading_arg(rt, c, json_object_get(in, "grading"),
                                &op->grading)) { /* scores */
        api_staff_op_free(op);
        return;
    }
    api_staff_submit(rt, c, staff_exam_run, op, api_staff_op_free, false);
}
