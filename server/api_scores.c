/*
 * api_scores.c — grading rules, the class table and re-opening (see
 * api_scores.h, docs/scores.md). The review is in api_review.c.
 */
#include "api_scores.h"
#include "api.h"
#include "api_access.h"
#include "api_staff.h"
#include "api_users.h"
#include "clock.h"
#include "err.h"
#include "grading.h"
#include "results.h"
#include "store.h"
#include "text.h"
#include "transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCORES_REASON_MIN 5   /* characters of a re-opening's reason */
#define SCORES_REASON_MAX 500 /* bytes */
#define SCORES_MINUTES_MAX 1440

/* A score x 100 as a JSON number (6.37, 8). */
static json_t *scores_num(int centi)
{
    return centi % 100 ? json_real(centi / 100.0) : json_integer(centi / 100);
}

/* ---- grading rules ---- */

bool api_scores_grading_arg(struct runtime *rt, struct conn *c, const json_t *v,
                            char **text)
{
    struct grading g;
    char field[64], msg[400];
    *text = NULL;
    if (!v || json_is_null(v))
        return true;
    if (grading_from_json(v, &g, field, sizeof field, msg, sizeof msg)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, field, msg);
        return false;
    }
    if (!(*text = grading_dumps(&g))) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return false;
    }
    return true;
}

struct scores_op {
    int64_t id;    /* exam or attempt */
    char *grading; /* owned: new rules, NULL = the defaults */
    /* re-opening */
    struct runtime *rt;
    struct store_attempt att; /* as it will be once re-opened */
    char *reason;             /* owned */
    int minutes;
    bool settled; /* the runtime knows the outcome */
};

static void scores_op_free(void *arg)
{
    struct scores_op *op = arg;
    if (!op)
        return;
    /* A re-opening whose job never ran (out of memory): forget the
     * attempt reserved in the runtime. */
    if (op->rt && !op->settled) {
        struct attempt_rt *a = imap_get(&op->rt->attempts, op->att.id);
        if (a && a->state == ATT_STARTING)
            runtime_attempt_drop(op->rt, a);
    }
    free(op->grading);
    free(op->reason);
    free(op);
}

static int scores_grading_run(struct store *st, struct wjob *j)
{
    struct scores_op *op = j->arg;
    struct grading g;
    char field[64], msg[256];
    int rc = store_exam_grading_set(st, op->id, op->grading);
    if (!rc)
        rc = api_audit(st, j, "exam.grading",
                       json_pack("{sI ss}", "id", (json_int_t)op->id, "grading",
                                 op->grading ? op->grading : "default"));
    if (rc) {
        api_staff_set(j, rc == EXAMD_ENOTFOUND ? 404 : 500,
                      json_pack("{sb ss ss}", "ok", 0, "code", err_code(rc),
                                "message", err_text(rc)));
        return rc;
    }
    grading_parse(op->grading, &g, field, sizeof field, msg, sizeof msg);
    api_staff_set(
        j, 200, json_pack("{sb so}", "ok", 1, "grading", grading_to_json(&g)));
    return 0;
}

static void scores_grading(struct runtime *rt, struct conn *c,
                           const struct staff_who *who, int64_t id, json_t *in)
{
    struct store_exam_meta meta;
    struct scores_op *op;
    if (!api_exam_access(rt, c, who, id, &meta))
        return;
    store_exam_meta_fini(&meta);
    if (!(op = calloc(1, sizeof *op))) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    op->id = id;
    if (!json_object_get(in, "grading")) {
        free(op);
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "grading",
                       "cần \"grading\" (quy tắc, hoặc null = mặc định) / "
                       "\"grading\" is required (the rules, or null for the "
                       "defaults)");
        return;
    }
    if (!api_scores_grading_arg(rt, c, json_object_get(in, "grading"),
                                &op->grading)) {
        free(op);
        return;
    }
    api_staff_submit(rt, c, scores_grading_run, op, scores_op_free, false);
}

/* ---- the class table (a worker reads it) ---- */

struct scores_read_job {
    struct work w; /* first: the pool hands us this */
    uint64_t conn;
    const struct config *cfg;
    const struct exam *e; /* borrowed: exams live as long as the server */
    int64_t exam_id, class_id;
    int rc;        /* worker sets */
    json_t *reply; /* worker sets */
};

static json_t *scores_row_json(const struct results *res,
                               const struct results_row *r)
{
    json_t *o =
        json_pack("{si sI ss ss ss so ss si sb sb}", "order", r->order,
                  "user_id", (json_int_t)r->user_id, "login", r->username,
                  "name", r->name, "birth_date", r->birth, "unit_id",
                  r->unit_id ? json_integer(r->unit_id) : json_null(), "unit",
                  r->unit_name, "attempts", r->attempts, "running", r->running,
                  "counted", r->counted);
    if (!o || !r->counted)
        return o;
    json_t *more = json_pack(
        "{sI si si so si so sf sf sf si si si ss ss sb sI sI sI ss}",
        "attempt_id", (json_int_t)r->attempt_id, "attempt_n", r->attempt_n,
        "score_centi", r->score_centi, "score", scores_num(r->score_centi),
        "rounded_centi", r->rounded_centi, "rounded",
        scores_num(r->rounded_centi), "percent", r->percent_tenths / 10.0,
        "points", r->points, "points_max", r->points_max, "correct", r->correct,
        "total", r->total, "band", r->band, "classification",
        results_band_name(res, r, false), "classification_en",
        results_band_name(res, r, true), "passed", r->passed, "started_ms",
        (json_int_t)r->started_ms, "submitted_ms", (json_int_t)r->submitted_ms,
        "taken_ms", (json_int_t)r->taken_ms, "reason", r->reason);
    if (!more || json_object_update(o, more)) {
        json_decref(more);
        json_decref(o);
        return NULL;
    }
    json_decref(more);
    return o;
}

static json_t *scores_json(const struct results *res)
{
    json_t *rows = json_array(), *bands = json_array();
    for (int i = 0; rows && i < res->n; i++)
        if (json_array_append_new(rows, scores_row_json(res, &res->rows[i])))
            goto fail;
    for (int i = 0; bands && i < res->grading.n_bands; i++) {
        const struct grading_band *b = &res->grading.bands[i];
        if (json_array_append_new(
                bands, json_pack("{ss ss si}", "name", b->name, "name_en",
                                 b->name_en[0] ? b->name_en : b->name, "count",
                                 res->band_count[i])))
            goto fail;
    }
    if (!rows || !bands)
        goto fail;
    return json_pack(
        "{sb s{sI ss sb} so so s{si si si so so} so}", "ok", 1, "exam", "id",
        (json_int_t)res->exam_id, "title", res->title, "reopenable",
        res->reopenable, "class",
        res->class_id ? json_integer(res->class_id) : json_null(), "grading",
        grading_to_json(&res->grading), "totals", "people", res->n, "counted",
        res->n_counted, "passed", res->n_passed, "average",
        res->n_counted ? scores_num(res->avg_rounded_centi) : json_null(),
        "bands", bands, "rows", rows);
fail:
    json_decref(rows);
    json_decref(bands);
    return NULL;
}

/* Worker thread: a read connection of its own for this one request. */
static void scores_read_run(struct work *w)
{
    struct scores_read_job *r = (struct scores_read_job *)w;
    struct store *st = NULL;
    struct results *res = NULL;
    char msg[256];
    r->rc = store_open(r->cfg->db_path, false, &st, msg, sizeof msg);
    if (!r->rc)
        r->rc = results_read(st, r->e, r->exam_id, r->class_id, &res);
    if (!r->rc && !(r->reply = scores_json(res)))
        r->rc = EXAMD_ENOMEM;
    results_free(res);
    store_close(st);
}

/* Service thread. */
static void scores_read_done(struct work *w, void *ctx)
{
    struct scores_read_job *r = (struct scores_read_job *)w;
    struct runtime *rt = ctx;
    struct conn *c = rt ? runtime_conn_get(rt, r->conn) : NULL;
    if (c && r->reply) {
        api_staff_json(rt, c, 200, r->reply);
        r->reply = NULL;
    } else if (c) {
        api_fail(rt, c, r->rc == EXAMD_ENOTFOUND ? 404 : 500,
                 r->rc == EXAMD_ENOTFOUND ? r->rc : EXAMD_EINTERNAL);
    }
    json_decref(r->reply);
    free(r);
}

static void scores_table(struct runtime *rt, struct conn *c,
                         const struct staff_who *who, int64_t id)
{
    struct store_exam_meta meta;
    struct store_class_row cls;
    long long class_id;
    if (!api_staff_arg_int(c, "class", 1, INT64_MAX, 0, &class_id)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "class",
                       "\"class\" phải là mã lớp / \"class\" must be a class "
                       "id");
        return;
    }
    if (!api_exam_access(rt, c, who, id, &meta))
        return;
    store_exam_meta_fini(&meta);
    if (class_id) {
        if (!api_class_access(rt, c, who, class_id, &cls))
            return;
        store_class_row_fini(&cls);
    }
    struct scores_read_job *r = calloc(1, sizeof *r);
    if (!r) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    r->conn = runtime_conn_ref(c);
    r->cfg = rt->cfg;
    r->e = runtime_exam(rt, id);
    r->exam_id = id;
    r->class_id = class_id;
    r->w.run = scores_read_run;
    r->w.done = scores_read_done;
    worker_submit(rt->workers, &r->w);
}

/* ---- re-opening ---- */

static int scores_reopen_run(struct store *st, struct wjob *j)
{
    struct scores_op *op = j->arg;
    const struct store_attempt *a = &op->att;
    struct store_event_new ev = {.attempt_id = a->id,
                                 .server_ms = j->server_ms,
                                 .actor_id = j->user_id,
                                 .kind = "reopen",
                                 .detail = op->reason};
    int rc = store_attempt_reopen(st, a->id, a->deadline_ms,
                                  a->reopen_deadline_ms, j->server_ms);
    if (!rc)
        rc = store_attempt_events_add(st, &ev, 1);
    if (!rc)
        rc = api_audit(
            st, j, "attempt.reopen",
            json_pack("{sI sI sI si ss si sI}", "id", (json_int_t)a->id, "exam",
                      (json_int_t)a->exam_id, "user", (json_int_t)a->user_id,
                      "n", a->n, "reason", op->reason, "minutes", op->minutes,
                      "deadline_ms", (json_int_t)a->deadline_ms));
    if (rc == EXAMD_ECLOSED || rc == EXAMD_ERUNNING)
        api_staff_set(
            j, 409,
            json_pack("{sb ss ss}", "ok", 0, "code", err_code(rc), "message",
                      rc == EXAMD_ECLOSED
                          ? "bài làm không còn ở trạng thái đã nộp / the "
                            "attempt is no longer submitted"
                          : "thí sinh đang có một lượt làm bài khác / the "
                            "candidate has another attempt running"));
    else if (rc)
        api_staff_set(j, 500,
                      json_pack("{sb ss ss}", "ok", 0, "code", err_code(rc),
                                "message", err_text(rc)));
    else
        api_staff_set(j, 200,
                      json_pack("{sb sI sI}", "ok", 1, "id", (json_int_t)a->id,
                                "deadline_ms", (json_int_t)a->deadline_ms));
    return rc;
}

void api_scores_done(struct runtime *rt, struct wjob *j)
{
    if (j->arg_free != scores_op_free || j->run != scores_reopen_run)
        return;
    struct scores_op *op = j->arg;
    struct attempt_rt *a = imap_get(&rt->attempts, op->att.id);
    op->settled = true;
    if (!a || a->state != ATT_STARTING)
        return;
    if (j->rc) {
        runtime_attempt_drop(rt, a);
        return;
    }
    a->state = ATT_RUNNING; /* the candidate may resume it now */
    /* and every open connection of theirs learns it (docs/protocol.md) */
    char buf[128];
    int n = proto_reopened(buf, sizeof buf, a->id, a->e->id,
                           exam_left_ms(a->deadline_ms, clock_now_ms()));
    for (struct conn *c = imap_get(&rt->user_conns, a->user_id); c && n > 0;
         c = c->user_next)
        transport_send(rt, c, buf, (size_t)n);
}

/* The reason of a re-opening: NFC, at least SCORES_REASON_MIN
 * characters once trimmed; NULL after replying 400. */
static char *scores_reason(struct runtime *rt, struct conn *c, json_t *in)
{
    const char *v = json_string_value(json_object_get(in, "reason"));
    char *t = v ? text_nfc(v, strlen(v)) : NULL;
    size_t chars = 0;
    for (const char *p = t; p && *p; p++)
        chars += ((unsigned char)*p & 0xc0) != 0x80 && *p != ' ';
    if (!t || chars < SCORES_REASON_MIN || strlen(t) > SCORES_REASON_MAX) {
        free(t);
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "reason",
                       "cần lý do mở lại (ít nhất 5 ký tự) / a reason for "
                       "re-opening is required (at least 5 characters)");
        return NULL;
    }
    return t;
}

/* Why attempt sa cannot be re-opened now, replied; or 0. */
static int scores_reopen_refused(struct runtime *rt, struct conn *c,
                                 const struct store_attempt *sa,
                                 int64_t closes_ms, int64_t now)
{
    char msg[300];
    if (sa->running || imap_get(&rt->attempts, sa->id)) {
        api_staff_fail(rt, c, 409, EXAMD_ERUNNING, NULL,
                       "bài làm chưa nộp, không cần mở lại / the attempt has "
                       "not been submitted: nothing to re-open");
        return EXAMD_ERUNNING;
    }
    if (imap_get(&rt->running, runtime_running_key(sa->user_id, sa->exam_id))) {
        api_staff_fail(rt, c, 409, EXAMD_ERUNNING, NULL,
                       "thí sinh đang có một lượt làm bài khác / the "
                       "candidate has another attempt running");
        return EXAMD_ERUNNING;
    }
    if (closes_ms && now >= closes_ms) {
        snprintf(msg, sizeof msg,
                 "kỳ thi đã đóng (lúc %lld ms); không thể mở lại bài làm / "
                 "the exam's window closed (at %lld ms): the attempt cannot "
                 "be re-opened",
                 (long long)closes_ms, (long long)closes_ms);
        api_staff_fail(rt, c, 409, EXAMD_ECLOSEDEXAM, "window", msg);
        return EXAMD_ECLOSEDEXAM;
    }
    return 0;
}

static void scores_reopen(struct runtime *rt, struct conn *c,
                          const struct staff_who *who, int64_t id, json_t *in)
{
    struct store_attempt sa;
    struct store_exam_meta meta;
    long long minutes = 0;
    json_t *m = json_object_get(in, "minutes");
    int64_t now = clock_now_ms();
    int rc = store_attempt_get(rt->db, id, &sa);
    if (rc) {
        api_staff_fail(rt, c, rc == EXAMD_ENOTFOUND ? 404 : 500, rc, "attempt",
                       rc == EXAMD_ENOTFOUND ? "không có bài làm này / no such "
                                               "attempt"
                                             : NULL);
        return;
    }
    if (!api_exam_access(rt, c, who, sa.exam_id, &meta))
        return;
    int64_t closes_ms = meta.closes_ms;
    store_exam_meta_fini(&meta);
    const struct exam *e = runtime_exam(rt, sa.exam_id);
    if (m && !json_is_null(m) &&
        (!json_is_integer(m) || json_integer_value(m) < 1 ||
         json_integer_value(m) > SCORES_MINUTES_MAX)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "minutes",
                       "số phút là số nguyên 1–1440 / minutes is a whole "
                       "number 1-1440");
        return;
    }
    if (!e) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    minutes = json_integer_value(m);
    if (scores_reopen_refused(rt, c, &sa, closes_ms, now))
        return;
    /* The result sent at submit showed right/wrong (answers) or the key
     * (full): the same paper again would be answered from it. A round's
     * result shows nothing while it is open (docs/scores.md). */
    if (!e->contest_id && e->review != EXAM_REVIEW_NONE) {
        api_staff_fail(rt, c, 409, EXAMD_ECLOSED, "review",
                       "thí sinh đã xem đáp án khi nộp bài (kỳ thi cho xem "
                       "lại bài); không thể mở lại bài này, hãy cho làm lượt "
                       "mới / the candidate saw the answers with the result "
                       "(the exam's review shows them): this attempt cannot "
                       "be re-opened; allow a new attempt instead");
        return;
    }
    char *reason = scores_reason(rt, c, in);
    struct scores_op *op = reason ? calloc(1, sizeof *op) : NULL;
    if (!op) {
        if (reason)
            api_fail(rt, c, 500, EXAMD_ENOMEM);
        free(reason);
        return;
    }
    op->reason = reason;
    op->minutes = minutes ? (int)minutes : (int)(e->duration_ms / 60000);
    op->att = sa;
    op->att.running = true;
    /* the grant, kept apart so window moves and restarts compute the
     * deadline from it (exam_deadline_of), not from the first start */
    op->att.reopen_deadline_ms =
        now + (minutes ? minutes * 60000 : e->duration_ms);
    op->att.deadline_ms = op->att.reopen_deadline_ms;
    if (closes_ms && op->att.deadline_ms > closes_ms)
        op->att.deadline_ms = closes_ms;
    op->att.submitted_ms = 0;
    /* Reserved like a start, so a start racing this one waits for it. */
    if (!runtime_attempt_add(rt, &op->att, e, ATT_STARTING)) {
        scores_op_free(op);
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    op->rt = rt;
    api_staff_submit(rt, c, scores_reopen_run, op, scores_op_free, false);
}

/* ---- routing ---- */

bool api_scores_route(struct runtime *rt, struct conn *c,
                      const struct staff_who *who, bool post)
{
    int64_t id;
    char verb[32];
    bool exam = api_staff_path(c->path, "exams", &id, verb, sizeof verb);
    if (!exam && !api_staff_path(c->path, "attempts", &id, verb, sizeof verb))
        return false;
    if (!post && exam && !strcmp(verb, "results")) {
        scores_table(rt, c, who, id);
        return true;
    }
    if (!post && !exam && !strcmp(verb, "review")) {
        api_review_request(rt, c, who, id);
        return true;
    }
    if (!post || (exam && strcmp(verb, "grading")) ||
        (!exam && strcmp(verb, "reopen")))
        return false;
    json_t *in =
        c->body_len ? json_loadb(c->body, c->body_len, 0, NULL) : json_object();
    if (!json_is_object(in))
        api_fail(rt, c, 400, EXAMD_EBADJSON);
    else if (exam)
        scores_grading(rt, c, who, id, in);
    else
        scores_reopen(rt, c, who, id, in);
    json_decref(in);
    return true;
}
