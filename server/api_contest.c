/*
 * api_contest.c — contests and rounds for organisers: access checks, the
 * contest routes (list, create, edit), the round routes (get, edit,
 * publish; window changes in api_contest_window.c), the writer jobs and
 * applying them once committed, and the public pages' routes (see
 * api_contest.h and docs/contests.md).
 */
#include "api_contest.h"
#include "api.h"
#include "api_contest_int.h"
#include "api_staff.h"
#include "api_users.h"
#include "clock.h"
#include "err.h"
#include "store_contest.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void api_contest_op_free(void *arg)
{
    struct contest_op *op = arg;
    if (!op)
        return;
    free(op->title);
    free(op->description);
    free(op->prizes);
    free(op);
}

void api_contest_round_free(struct staff_round *r)
{
    if (!r)
        return;
    free(r->prizes);
    free(r);
}

/* The state at now of a window (0: that end is open). */
static const char *contest_window_state(int64_t opens_ms, int64_t closes_ms,
                                        int64_t now)
{
    if (closes_ms && now >= closes_ms)
        return "closed";
    if (opens_ms && now < opens_ms)
        return "scheduled";
    return "open";
}

const char *api_contest_state(const struct exam *e, int64_t now)
{
    return contest_window_state(e->opens_ms, e->closes_ms, now);
}

bool api_contest_key_out(const struct exam *e, int64_t now, int grace_ms,
                         int closing)
{
    return e->show_answers && e->closes_ms && now >= e->closes_ms + grace_ms &&
           e->n_live <= closing;
}

bool api_contest_key_given(const struct exam *e, int64_t now)
{
    return e->show_answers && e->closes_ms && now >= e->closes_ms;
}

void api_contest_fail(struct runtime *rt, struct conn *c, int status, int err,
                      const char *field, const char *vi, const char *en)
{
    char m[400];
    if (vi)
        snprintf(m, sizeof m, "%s / %s", vi, en);
    api_staff_fail(rt, c, status, err, field, vi ? m : NULL);
}

/* ---- access ---- */

static bool contest_is_admin(const struct staff_who *who)
{
    return !strcmp(who->role, "admin");
}

/* May who reach something of owner's (field "contest" or "round")? An
 * admin anything, an organiser their own; false after replying 403. */
static bool contest_owner_ok(struct runtime *rt, struct conn *c,
                             const struct staff_who *who, int64_t owner,
                             const char *field)
{
    if (contest_is_admin(who) || owner == who->uid)
        return true;
    api_contest_fail(rt, c, 403, EXAMD_EFORBIDDEN, field,
                     "thuộc ban tổ chức khác", "another organiser's");
    return false;
}

/* Contest id for who into out (release with store_contest_fini): false
 * after replying 404 or 403. */
static bool contest_access(struct runtime *rt, struct conn *c,
                           const struct staff_who *who, int64_t id,
                           struct store_contest *out)
{
    int rc = store_contest_get(rt->db, id, out);
    if (rc) {
        api_fail(rt, c, rc == EXAMD_ENOTFOUND ? 404 : 500,
                 rc == EXAMD_ENOTFOUND ? rc : EXAMD_EINTERNAL);
        return false;
    }
    if (contest_owner_ok(rt, c, who, out->owner_id, "contest"))
        return true;
    store_contest_fini(out);
    return false;
}

/* Round id for who into out (without its attempt counts: see
 * round_counts) and its live exam: false after replying. */
static bool round_access(struct runtime *rt, struct conn *c,
                         const struct staff_who *who, int64_t id,
                         struct store_round *out, struct exam **e)
{
    int rc = store_round_head(rt->db, id, out);
    *e = rc ? NULL : (struct exam *)runtime_exam(rt, id);
    if (!rc && !*e) {
        store_round_fini(out);
        rc = EXAMD_EINTERNAL;
    }
    if (rc) {
        api_fail(rt, c, rc == EXAMD_ENOTFOUND ? 404 : 500,
                 rc == EXAMD_ENOTFOUND ? rc : EXAMD_EINTERNAL);
        return false;
    }
    if (contest_owner_ok(rt, c, who, out->owner_id, "round"))
        return true;
    store_round_fini(out);
    return false;
}

/* The attempt counts of round r (started, submitted), read only by the
 * routes that show or check them: false after replying 500. */
static bool round_counts(struct runtime *rt, struct conn *c,
                         struct store_round *r)
{
    if (!store_round_count(rt->db, r))
        return true;
    api_fail(rt, c, 500, EXAMD_EINTERNAL);
    return false;
}

/* ---- JSON ---- */

static json_t *contest_json(const struct store_contest *k)
{
    return json_pack(
        "{sI ss ss sI sb sb sI si}", "id", (json_int_t)k->id, "title", k->title,
        "description", k->description, "owner", (json_int_t)k->owner_id,
        "open_registration", k->open_registration, "archived", k->archived,
        "created_ms", (json_int_t)k->created_ms, "rounds", k->rounds);
}

static json_t *round_json(const struct store_round *r, const struct exam *e,
                          int64_t now)
{
    json_t *prizes = json_loads(r->prizes, 0, NULL);
    return json_pack(
        "{sI sI si ss ss sI sI sI si si sb sb so sI si si ss}", "id",
        (json_int_t)r->id, "contest", (json_int_t)r->contest_id, "round_no",
        r->round_no, "title", e->title, "state", api_contest_state(e, now),
        "opens_ms", (json_int_t)e->opens_ms, "closes_ms",
        (json_int_t)e->closes_ms, "duration_s",
        (json_int_t)(e->duration_ms / 1000), "attempts", e->attempts_allowed,
        "questions", e->n_paper, "prediction", e->prediction, "show_answers",
        e->show_answers, "prizes", prizes ? prizes : json_array(),
        "published_ms", (json_int_t)r->published_ms, "started", r->started,
        "submitted", r->submitted, "review", exam_review_name(e->review));
}

/* ---- the writer's part ---- */

static int contest_run(struct store *st, struct wjob *j)
{
    struct contest_op *op = j->arg;
    int64_t id = op->id;
    int rc = 0;
    switch (op->kind) {
    case CO_CREATE: {
        struct store_contest k = {.title = op->title,
                                  .description = op->description,
                                  .owner_id = op->owner_id,
                                  .open_registration = op->open_registration,
                                  .created_ms = j->server_ms};
        rc = store_contest_create(st, &k, &id);
        break;
    }
    case CO_EDIT:
        rc = store_contest_update(st, id, op->title, op->description,
                                  op->open_registration, op->archived);
        break;
    case RO_EDIT:
        rc = store_round_edit(st, id, op->title, op->prizes, op->prediction,
                              op->show_answers);
        break;
    case RO_WINDOW:
        rc = store_round_window(st, id, op->opens_ms, op->closes_ms,
                                op->duration_ms);
        break;
    case RO_PUBLISH:
        rc = store_round_publish(st, id, op->publish ? j->server_ms : 0);
        break;
    }
    if (!rc)
        rc = api_audit(st, j, op->action,
                       json_pack("{sI ss* sI sI sb}", "id", (json_int_t)id,
                                 "title", op->title, "opens_ms",
                                 (json_int_t)op->opens_ms, "closes_ms",
                                 (json_int_t)op->closes_ms, "publish",
                                 op->publish));
    if (rc) {
        api_staff_set(j, api_staff_status(rc), api_staff_error(rc, NULL, NULL));
        return rc;
    }
    op->id = id;
    json_t *o = json_pack("{sb sI}", "ok", 1, "id", (json_int_t)id);
    if (op->kind == RO_WINDOW) {
        json_object_set_new(o, "opens_ms", json_integer(op->opens_ms));
        json_object_set_new(o, "closes_ms", json_integer(op->closes_ms));
        json_object_set_new(o, "state",
                            json_string(contest_window_state(
                                op->opens_ms, op->closes_ms, j->server_ms)));
    }
    if (op->kind == RO_PUBLISH)
        json_object_set_new(
            o, "published_ms",
            json_integer(op->publish ? (json_int_t)j->server_ms : 0));
    api_staff_set(j, 200, o);
    return 0;
}

int api_contest_round_stored(struct store *st, struct wjob *j, int64_t exam_id,
                             struct staff_round *r)
{
    bool taken;
    int next;
    int rc = store_round_no(st, r->contest_id, r->round_no, &taken, &next);
    if (!rc && r->round_no && taken) {
        api_staff_set(j, 409,
                      api_staff_error(EXAMD_EEXISTS, "round_no",
                                      "vòng thi số này đã có / a round with "
                                      "this number exists"));
        return EXAMD_EEXISTS;
    }
    if (!r->round_no)
        r->round_no = next;
    struct store_round sr = {.contest_id = r->contest_id,
                             .round_no = r->round_no,
                             .prizes = r->prizes,
                             .prediction = r->prediction,
                             .show_answers = r->show_answers};
    if (!rc)
        rc = store_round_set(st, exam_id, &sr);
    if (!rc)
        rc = api_audit(st, j, "round.create",
                       json_pack("{sI sI si}", "id", (json_int_t)exam_id,
                                 "contest", (json_int_t)r->contest_id,
                                 "round_no", r->round_no));
    if (rc)
        api_staff_set(j, 500, api_staff_error(rc, NULL, NULL));
    else
        api_staff_set(j, 200,
                      json_pack("{sb sI si}", "ok", 1, "id",
                                (json_int_t)exam_id, "round_no", r->round_no));
    return rc;
}

void api_contest_round_live(struct exam *e, const struct staff_round *r)
{
    e->contest_id = r->contest_id;
    e->round_no = r->round_no;
    e->prediction = r->prediction;
    e->show_answers = r->show_answers;
}

void api_contest_submit(struct runtime *rt, struct conn *c,
                        struct contest_op *op)
{
    api_staff_submit(rt, c, contest_run, op, api_contest_op_free, false);
}

/* ---- applying a committed change ---- */

void api_contest_done(struct runtime *rt, struct wjob *j)
{
    if (j->kind != WJOB_STAFF || j->arg_free != api_contest_op_free || j->rc)
        return;
    struct contest_op *op = j->arg;
    if (op->kind == RO_PUBLISH && op->publish)
        api_results_warm(rt, op->id); /* the rush comes now */
    struct exam *e = (struct exam *)runtime_exam(rt, op->id);
    if (!e)
        return;
    if (op->kind == RO_EDIT) {
        char *t = op->title ? strdup(op->title) : NULL;
        if (t) {
            free(e->title);
            e->title = t;
        }
        if (op->prediction >= 0)
            e->prediction = op->prediction;
        if (op->show_answers >= 0)
            e->show_answers = op->show_answers;
    } else if (op->kind == RO_WINDOW) {
        api_contest_window_done(rt, e, op);
    }
}

/* ---- contests ---- */

/* title/description/open_registration/archived of in into op; the bad
 * field's name or NULL. */
static const char *contest_fields(json_t *in, struct contest_op *op,
                                  bool create)
{
    json_t *t = json_object_get(in, "title"),
           *d = json_object_get(in, "description");
    bool b;
    if ((create || t) &&
        (!json_is_string(t) || !json_string_length(t) ||
         json_string_length(t) > 300 ||
         !(op->title = text_nfc(json_string_value(t), json_string_length(t)))))
        return "title";
    if (d && (!json_is_string(d) || json_string_length(d) > 4000 ||
              !(op->description =
                    text_nfc(json_string_value(d), json_string_length(d)))))
        return "description";
    op->open_registration = op->archived = -1;
    if (!api_staff_bool(in, "open_registration", false, &b))
        return "open_registration";
    if (create || json_object_get(in, "open_registration"))
        op->open_registration = b;
    if (!api_staff_bool(in, "archived", false, &b))
        return "archived";
    if (json_object_get(in, "archived"))
        op->archived = b;
    return NULL;
}

static void contest_save(struct runtime *rt, struct conn *c,
                         const struct staff_who *who, json_t *in, int64_t id)
{
    struct store_contest k;
    if (id && !contest_access(rt, c, who, id, &k))
        return;
    if (id)
        store_contest_fini(&k);
    struct contest_op *op = calloc(1, sizeof *op);
    if (!op) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    op->kind = id ? CO_EDIT : CO_CREATE;
    op->action = id ? "contest.edit" : "contest.create";
    op->id = id;
    op->owner_id = who->uid;
    const char *bad = contest_fields(in, op, !id);
    if (bad) {
        api_contest_op_free(op);
        api_staff_bad_field(rt, c, bad);
        return;
    }
    api_contest_submit(rt, c, op);
}

static void contest_list(struct runtime *rt, struct conn *c,
                         const struct staff_who *who)
{
    struct store_contest *v;
    int n;
    bool archived =
        api_arg(c, "archived") && !strcmp(api_arg(c, "archived"), "1");
    if (store_contests_list(rt->db, contest_is_admin(who) ? 0 : who->uid,
                            archived, &v, &n)) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, contest_json(&v[i]));
    store_contests_free(v, n);
    api_staff_json(rt, c, 200, json_pack("{sb so}", "ok", 1, "contests", a));
}

/* The rounds of a contest as JSON (live exams only). */
static json_t *contest_rounds_json(struct runtime *rt, int64_t contest_id,
                                   bool public_view)
{
    struct store_round *v;
    int n;
    int64_t now = clock_now_ms();
    if (store_contest_rounds(rt->db, contest_id, &v, &n))
        return NULL;
    json_t *a = json_array();
    for (int i = 0; i < n; i++) {
        const struct exam *e = runtime_exam(rt, v[i].id);
        if (!e)
            continue;
        if (public_view)
            json_array_append_new(
                a,
                json_pack("{sI si ss ss sI sI sb}", "id", (json_int_t)v[i].id,
                          "round_no", v[i].round_no, "title", e->title, "state",
                          api_contest_state(e, now), "opens_ms",
                          (json_int_t)e->opens_ms, "closes_ms",
                          (json_int_t)e->closes_ms, "published",
                          v[i].published_ms != 0));
        else
            json_array_append_new(a, round_json(&v[i], e, now));
    }
    store_rounds_free(v, n);
    return a;
}

static void contest_get(struct runtime *rt, struct conn *c,
                        const struct staff_who *who, int64_t id)
{
    struct store_contest k;
    if (!contest_access(rt, c, who, id, &k))
        return;
    json_t *rounds = contest_rounds_json(rt, id, false);
    json_t *o = rounds ? json_pack("{sb so so}", "ok", 1, "contest",
                                   contest_json(&k), "rounds", rounds)
                       : NULL;
    store_contest_fini(&k);
    if (!o)
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
    else
        api_staff_json(rt, c, 200, o);
}

/* ---- rounds ---- */

/* The prize table in (absent: keep, *out NULL) into compact JSON text;
 * false when malformed. */
static bool contest_prizes(json_t *in, char **out)
{
    json_t *p = json_object_get(in, "prizes"), *v;
    size_t i;
    *out = NULL;
    if (!p || json_is_null(p))
        return true;
    if (!json_is_array(p) || json_array_size(p) > 20)
        return false;
    json_t *norm = json_array();
    json_array_foreach(p, i, v)
    {
        json_t *name = json_object_get(v, "name");
        long long count;
        if (!json_is_string(name) || !json_string_length(name) ||
            json_string_length(name) > 100 ||
            !text_is_valid(json_string_value(name), json_string_length(name)) ||
            !api_staff_int(v, "count", 1, 10000, 0, &count) || !count) {
            json_decref(norm);
            return false;
        }
        json_array_append_new(norm, json_pack("{sO sI}", "name", name, "count",
                                              (json_int_t)count));
    }
    *out = json_dumps(norm, JSON_COMPACT);
    json_decref(norm);
    return *out != NULL;
}

static void round_create(struct runtime *rt, struct conn *c,
                         const struct staff_who *who, json_t *in, int64_t id)
{
    struct store_contest k;
    long long no;
    if (!contest_access(rt, c, who, id, &k))
        return;
    store_contest_fini(&k);
    struct staff_round *r = calloc(1, sizeof *r);
    if (!r) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    r->contest_id = id;
    const char *bad = NULL;
    if (json_object_get(in, "class"))
        bad = "class";
    else if (!api_staff_int(in, "round_no", 1, 1000, 0, &no))
        bad = "round_no";
    else if (!api_staff_bool(in, "prediction", false, &r->prediction))
        bad = "prediction";
    else if (!api_staff_bool(in, "show_answers", false, &r->show_answers))
        bad = "show_answers";
    else if (!contest_prizes(in, &r->prizes))
        bad = "prizes";
    else if (!r->prizes && !(r->prizes = strdup("[]")))
        bad = "prizes";
    if (bad) {
        api_contest_round_free(r);
        api_staff_bad_field(rt, c, bad);
        return;
    }
    r->round_no = (int)no;
    api_staff_exam_publish(rt, c, in, who, r);
}

static void round_get(struct runtime *rt, struct conn *c, struct store_round *r,
                      const struct exam *e)
{
    if (!round_counts(rt, c, r))
        return;
    int64_t now = clock_now_ms();
    json_t *o = round_json(r, e, now);
    api_staff_json(rt, c, 200, json_pack("{sb so}", "ok", 1, "round", o));
}

static void round_edit(struct runtime *rt, struct conn *c, json_t *in,
                       struct store_round *r, const struct exam *e)
{
    struct contest_op *op = calloc(1, sizeof *op);
    json_t *t = json_object_get(in, "title");
    bool b, show;
    if (!op) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    op->kind = RO_EDIT;
    op->action = "round.edit";
    op->id = r->id;
    op->prediction = op->show_answers = -1;
    const char *bad = NULL;
    if (t &&
        (!json_is_string(t) || !json_string_length(t) ||
         json_string_length(t) > 300 ||
         !(op->title = text_nfc(json_string_value(t), json_string_length(t)))))
        bad = "title";
    else if (!contest_prizes(in, &op->prizes))
        bad = "prizes";
    else if (!api_staff_bool(in, "show_answers", false, &show))
        bad = "show_answers";
    else if (!api_staff_bool(in, "prediction", false, &b))
        bad = "prediction";
    if (bad) {
        api_contest_op_free(op);
        api_staff_bad_field(rt, c, bad);
        return;
    }
    if (json_object_get(in, "prediction")) {
        if (!round_counts(rt, c, r)) {
            api_contest_op_free(op);
            return;
        }
        if (r->started) {
            api_contest_op_free(op);
            api_contest_fail(rt, c, 409, EXAMD_EEXISTS, "prediction",
                             "đã có người bắt đầu làm bài",
                             "someone has already started an attempt");
            return;
        }
        op->prediction = b;
    }
    if (json_object_get(in, "show_answers") && !show &&
        api_contest_key_given(e, clock_now_ms())) {
        api_contest_op_free(op);
        api_contest_fail(rt, c, 409, EXAMD_ECLOSEDEXAM, "show_answers",
                         "vòng thi đã đóng và có thể đã cho xem đáp án",
                         "the round has closed and may have shown its key");
        return;
    }
    if (json_object_get(in, "show_answers"))
        op->show_answers = show;
    api_contest_submit(rt, c, op);
}

static void round_publish(struct runtime *rt, struct conn *c, bool publish,
                          struct store_round *r, const struct exam *e)
{
    if (publish && strcmp(api_contest_state(e, clock_now_ms()), "closed")) {
        api_contest_fail(
            rt, c, 409, EXAMD_ECLOSED, "state",
            "chỉ công bố kết quả khi vòng thi đã đóng",
            "results are published only once the round has closed");
        return;
    }
    if (publish && !round_counts(rt, c, r))
        return;
    if (publish && r->started > r->submitted) { /* cut at the close, and
                                                   being graded now */
        api_contest_fail(rt, c, 409, EXAMD_ECLOSED, "state",
                         "còn bài đang được chấm; hãy thử lại sau vài giây",
                         "attempts are still being graded; try again in a few "
                         "seconds");
        return;
    }
    struct contest_op *op = calloc(1, sizeof *op);
    if (!op) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    op->kind = RO_PUBLISH;
    op->action = publish ? "round.publish" : "round.unpublish";
    op->id = r->id;
    op->publish = publish;
    api_contest_submit(rt, c, op);
}

/* ---- routing ---- */

static void round_route(struct runtime *rt, struct conn *c,
                        const struct staff_who *who, bool post, json_t *in,
                        int64_t id, const char *verb)
{
    struct store_round r;
    struct exam *e;
    if (!round_access(rt, c, who, id, &r, &e))
        return;
    if (!post && !*verb)
        round_get(rt, c, &r, e);
    else if (post && !*verb)
        round_edit(rt, c, in, &r, e);
    else if (post && (!strcmp(verb, "open") || !strcmp(verb, "close") ||
                      !strcmp(verb, "window")))
        api_contest_window(rt, c, verb, in, &r, e);
    else if (post && (!strcmp(verb, "publish") || !strcmp(verb, "unpublish")))
        round_publish(rt, c, !strcmp(verb, "publish"), &r, e);
    else if (!post && (!strcmp(verb, "ranking") || !strcmp(verb, "prizes") ||
                       !strcmp(verb, "units"))) {
        if (round_counts(rt, c, &r))
            api_results_staff(rt, c, &r, e, verb);
    } else
        api_fail(rt, c, 404, EXAMD_ENOTFOUND);
    store_round_fini(&r);
}

static void contest_route(struct runtime *rt, struct conn *c,
                          const struct staff_who *who, bool post, json_t *in,
                          int64_t id, const char *verb)
{
    struct store_contest k;
    if (!post && !*verb) {
        contest_get(rt, c, who, id);
    } else if (post && !*verb) {
        contest_save(rt, c, who, in, id);
    } else if (post && !strcmp(verb, "rounds")) {
        round_create(rt, c, who, in, id);
    } else if (!post && !strcmp(verb, "units")) {
        if (contest_access(rt, c, who, id, &k)) {
            store_contest_fini(&k);
            api_results_contest_units(rt, c, id);
        }
    } else {
        api_fail(rt, c, 404, EXAMD_ENOTFOUND);
    }
}

bool api_contest_route(struct runtime *rt, struct conn *c,
                       const struct staff_who *who, bool post)
{
    int64_t id = 0;
    char verb[32];
    bool contest =
        !strcmp(c->path, "/api/staff/contests") ||
        api_path_id(c->path, "/api/staff/contests/", &id, verb, sizeof verb);
    bool round = !contest && api_path_id(c->path, "/api/staff/rounds/", &id,
                                         verb, sizeof verb);
    if (!contest && !round)
        return false;
    json_t *in = NULL;
    if (post) {
        in = c->body_len ? json_loadb(c->body, c->body_len, 0, NULL)
                         : json_object();
        if (!json_is_object(in)) {
            json_decref(in);
            api_fail(rt, c, 400, EXAMD_EBADJSON);
            return true;
        }
    }
    if (round)
        round_route(rt, c, who, post, in, id, verb);
    else if (!id && post)
        contest_save(rt, c, who, in, 0);
    else if (!id)
        contest_list(rt, c, who);
    else
        contest_route(rt, c, who, post, in, id, verb);
    json_decref(in);
    return true;
}

/* ---- public ---- */

static void contest_public_get(struct runtime *rt, struct conn *c, int64_t id)
{
    struct store_contest k;
    int rc = store_contest_get(rt->db, id, &k);
    if (rc || k.archived) {
        if (!rc)
            store_contest_fini(&k);
        api_fail(rt, c, rc && rc != EXAMD_ENOTFOUND ? 500 : 404,
                 rc && rc != EXAMD_ENOTFOUND ? EXAMD_EINTERNAL
                                             : EXAMD_ENOTFOUND);
        return;
    }
    json_t *rounds = contest_rounds_json(rt, id, true);
    json_t *units = json_array();
    struct store_unit_row *u = NULL;
    int nu = 0;
    if (k.open_registration && !store_units_list(rt->db, &u, &nu))
        for (int i = 0; i < nu; i++)
            json_array_append_new(
                units,
                json_pack("{sI sI ss}", "id", (json_int_t)u[i].id, "parent",
                          (json_int_t)u[i].parent_id, "name", u[i].name));
    store_unit_rows_free(u, nu);
    json_t *o = rounds ? json_pack("{sb s{sI ss ss sb} so so}", "ok", 1,
                                   "contest", "id", (json_int_t)k.id, "title",
                                   k.title, "description", k.description,
                                   "open_registration", k.open_registration,
                                   "rounds", rounds, "units", units)
                       : NULL;
    store_contest_fini(&k);
    if (!o) {
        json_decref(units);
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    api_staff_json(rt, c, 200, o);
}

void api_contest_public(struct runtime *rt, struct conn *c, bool post)
{
    int64_t id;
    char verb[32];
    if (api_path_id(c->path, "/api/public/rounds/", &id, verb, sizeof verb) &&
        !post && !strcmp(verb, "results"))
        api_results_public(rt, c, id);
    else if (api_path_id(c->path, "/api/public/contests/", &id, verb,
                         sizeof verb) &&
             !post && !*verb)
        contest_public_get(rt, c, id);
    else if (api_path_id(c->path, "/api/public/contests/", &id, verb,
                         sizeof verb) &&
             post && !strcmp(verb, "register"))
        api_join_register(rt, c, id);
    else
        api_fail(rt, c, 404, EXAMD_ENOTFOUND);
}
