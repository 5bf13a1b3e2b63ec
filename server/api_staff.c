/*
 * api_staff.c — the staff console's banks and questions, the replies and
 * field readers every staff route shares, and the routing of /api/staff
 * (see api_staff.h and docs/staff-api.md). Exams: api_exam.c.
 */
#include "api_staff.h"
#include "api_staff_int.h"
#include "api.h"
#include "api_access.h"
#include "api_users.h"
#include "api_class.h"
#include "api_join.h"
#include "api_stats.h"
#include "api_contest.h"
#include "api_scores.h"
#include "api_live.h"
#include "live.h"
#include "bank.h"
#include "dispatch.h"
#include "route.h"
#include "clock.h"
#include "err.h"
#include "store.h"
#include "text.h"
#include "transport.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void api_staff_op_free(void *arg)
{
    struct staff_op *op = arg;
    if (!op)
        return;
    free(op->title);
    bank_free(op->one);
    json_decref(op->spec_json);
    free(op->snapshot);
    api_contest_round_free(op->round);
    free(op->grading);
    free(op);
}

void api_staff_json(struct runtime *rt, struct conn *c, int status, json_t *o)
{
    char *t = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
    json_decref(o);
    if (!t) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    api_reply(rt, c, status, t);
    free(t);
}

/* The Vietnamese and English halves of "vi / en" text (one of them when
 * there is no " / "), each without a "câu 1 (-): " / "question 1 (-): "
 * prefix, which means nothing outside a file. */
static json_t *staff_half(const char *m, bool en)
{
    const char *sep = strstr(m, " / ");
    const char *a = en && sep ? sep + 3 : m;
    size_t n = !en && sep ? (size_t)(sep - m) : strlen(a);
    const char *pre = strstr(a, "): ");
    if (pre && (size_t)(pre - a) < n &&
        (!strncmp(a, "câu ", 5) || !strncmp(a, "question ", 9))) {
        n -= (size_t)(pre + 3 - a);
        a = pre + 3;
    }
    return json_stringn(a, n);
}

json_t *api_staff_error(int err, const char *field, const char *message)
{
    const char *m = message ? message : err_text(err);
    return json_pack("{sb ss ss* ss so so}", "ok", 0, "code", err_code(err),
                     "field", field, "message", m, "vi", staff_half(m, false),
                     "en", staff_half(m, true));
}

void api_staff_fail(struct runtime *rt, struct conn *c, int status, int err,
                    const char *field, const char *message)
{
    api_staff_json(rt, c, status, api_staff_error(err, field, message));
}

void api_staff_bad_field(struct runtime *rt, struct conn *c, const char *field)
{
    char m[200];
    snprintf(m, sizeof m,
             "trường \"%s\" thiếu hoặc không hợp lệ / field \"%s\" is "
             "missing or invalid",
             field, field);
    api_staff_fail(rt, c, 400, EXAMD_EINVAL, field, m);
}

void api_staff_set(struct wjob *j, int status, json_t *o)
{
    free(j->body);
    j->body = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
    j->status = status;
    json_decref(o);
}

/* The HTTP status for an error of a staff change. */
int api_staff_status(int err)
{
    switch (err) {
    case EXAMD_ENOTFOUND:
        return 404;
    case EXAMD_EEXISTS:
    case EXAMD_ECLOSED:
        return 409;
    case EXAMD_EINVAL:
    case EXAMD_EBADIMPORT:
        return 422;
    default:
        return 500;
    }
}

bool api_staff_upload_ok(struct runtime *rt, struct conn *c)
{
    if (c->body_len)
        return true;
    api_staff_fail(rt, c, 400, EXAMD_EINVAL, "file",
                   "tệp rỗng / the file is empty");
    return false;
}

char *api_staff_upload_take(struct conn *c, size_t *len)
{
    char *data = c->body;
    *len = c->body_len;
    c->body = NULL;
    c->body_len = 0;
    return data;
}

bool api_staff_name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n < 1 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') ||
              (name[i] >= '0' && name[i] <= '9') || name[i] == '-' ||
              name[i] == '_'))
            return false;
    return true;
}

/* A weight in percent: an integer when whole, else up to 5 decimals. */
static json_t *staff_weight(int32_t w)
{
    if (w % 100000 == 0)
        return json_integer(w / 100000);
    return json_real(w / 100000.0);
}

json_t *api_staff_question(const struct bank_question *q)
{
    json_t *opts = json_array();
    for (int k = 0; k < q->n_options; k++)
        json_array_append_new(opts,
                              json_pack("{ss so sb}", "text", q->options[k],
                                        "weight", staff_weight(q->weight[k]),
                                        "correct", (q->key >> k) & 1));
    return json_pack("{si ss ss ss ss sb so si sb ss}", "line", q->line,
                     "ext_id", q->ext_id ? q->ext_id : "", "topic", q->topic,
                     "difficulty", bank_difficulty_name(q->difficulty), "text",
                     q->text, "multi", q->multi, "options", opts, "points",
                     q->points, "shuffle", q->shuffle, "explanation",
                     q->explanation ? q->explanation : "");
}

static json_t *staff_qrow(const struct store_qrow *r)
{
    json_t *o = api_staff_question(&r->q);
    json_object_del(o, "line");
    json_object_set_new(o, "id", json_integer(r->id));
    json_object_set_new(o, "family", json_integer(r->family_id));
    json_object_set_new(o, "version", json_integer(r->version));
    json_object_set_new(o, "bank", json_integer(r->bank_id));
    json_object_set_new(o, "retired", json_boolean(r->retired != 0));
    json_object_set_new(o, "replaced", json_boolean(r->retired == 2));
    json_object_set_new(o, "used", json_boolean(r->used));
    return o;
}

void api_staff_submit(struct runtime *rt, struct conn *c,
                      int (*run)(struct store *st, struct wjob *j), void *arg,
                      void (*arg_free)(void *arg), bool undo)
{
    struct wjob *j = wjob_new(WJOB_STAFF);
    if (!j) {
        arg_free(arg);
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    j->reply = REPLY_HTTP;
    j->conn = runtime_conn_ref(c);
    j->run = run;
    j->arg = arg;
    j->arg_free = arg_free;
    j->undo = undo;
    j->staff_change = true;
    j->server_ms = clock_now_ms();
    api_job_actor(j, c->user_id, c->ip);
    writer_submit(rt->writer, j);
}

void api_staff_done(struct runtime *rt, struct wjob *j)
{
    if (j->staff_change && !j->rc && !j->undo) { /* committed: what is
        kept from the store may be stale (a round, contest, unit, person) */
        api_results_forget(rt);
        live_units_forget(rt);
    }
    api_scores_done(rt, j); /* scores: a re-opened attempt goes live */
    api_live_done(rt, j);   /* live rounds: a created round goes live */
    int after = api_class_done(rt, j);
    if (after == API_CLASS_HELD)
        return;
    struct conn *c = runtime_conn_get(rt, j->conn);
    api_contest_done(rt, j); /* a round's window or flags */
    if (!j->rc && j->run != NULL && j->arg_free == api_staff_op_free) {
        struct staff_op *op = j->arg;
        if (op->snapshot && op->exam_id)
            api_staff_exam_live(rt, op);
    }
    if (!c)
        return;
    if (j->rc == EXAMD_EIO || !j->body) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    api_reply(rt, c, j->status ? j->status : 200, j->body);
    if (after == API_CLASS_SECRET) /* passwords: shown once, then gone */
        sodium_memzero(j->body, strlen(j->body));
}

/* ---- banks ---- */

static void staff_banks(struct runtime *rt, struct conn *c)
{
    struct store_bank_row *rows;
    int n;
    if (store_banks_list(rt->db, api_arg(c, "all") != NULL, &rows, &n)) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{sI ss ss si sb}", "id",
                                           (json_int_t)rows[i].id, "name",
                                           rows[i].name, "title", rows[i].title,
                                           "questions", rows[i].questions,
                                           "retired", rows[i].retired));
    store_bank_rows_free(rows, n);
    api_staff_json(rt, c, 200, json_pack("{sb so}", "ok", 1, "banks", a));
}

static int staff_bank_create_run(struct store *st, struct wjob *j)
{
    struct staff_op *op = j->arg;
    int64_t id = 0;
    int rc = store_bank_create(st, op->name, op->title, j->server_ms, &id);
    if (!rc)
        rc = api_audit(
            st, j, "bank.create",
            json_pack("{sI ss}", "id", (json_int_t)id, "name", op->name));
    if (rc)
        api_staff_set(
            j, api_staff_status(rc),
            api_staff_error(rc, rc == EXAMD_EEXISTS ? "name" : NULL, NULL));
    else
        api_staff_set(j, 200,
                      json_pack("{sb sI}", "ok", 1, "id", (json_int_t)id));
    return rc;
}

static void staff_bank_create(struct runtime *rt, struct conn *c, json_t *in)
{
    const char *name = json_string_value(json_object_get(in, "name"));
    const char *title = json_string_value(json_object_get(in, "title"));
    if (!api_staff_name_ok(name)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "name",
                       "tên ngắn gồm 1–64 ký tự a-z 0-9 - _ / the short name "
                       "must be 1-64 of a-z 0-9 - _");
        return;
    }
    char *t = title ? text_nfc(title, strlen(title)) : NULL;
    if (!t || !*t || strlen(t) > 200) {
        free(t);
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "title",
                       "cần tên ngân hàng (tối đa 200 byte) / the title is "
                       "required (at most 200 bytes)");
        return;
    }
    struct staff_op *op = calloc(1, sizeof *op);
    if (!op) {
        free(t);
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    snprintf(op->name, sizeof op->name, "%s", name);
    op->title = t;
    api_staff_submit(rt, c, staff_bank_create_run, op, api_staff_op_free,
                     false);
}

static int staff_retire_run(struct store *st, struct wjob *j, bool bank)
{
    struct staff_op *op = j->arg;
    int rc = bank ? store_bank_retire(st, op->id)
                  : store_question_retire(st, op->id);
    if (!rc)
        rc = api_audit(st, j, bank ? "bank.retire" : "question.retire",
                       json_pack("{sI}", "id", (json_int_t)op->id));
    api_staff_set(j, rc ? api_staff_status(rc) : 200,
                  rc ? api_staff_error(rc, NULL, NULL)
                     : json_pack("{sb}", "ok", 1));
    return rc;
}

static int staff_bank_retire_run(struct store *st, struct wjob *j)
{
    return staff_retire_run(st, j, true);
}

static int staff_question_retire_run(struct store *st, struct wjob *j)
{
    return staff_retire_run(st, j, false);
}

static void staff_retire(struct runtime *rt, struct conn *c, int64_t id,
                         bool bank)
{
    struct staff_op *op = calloc(1, sizeof *op);
    if (!op) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    op->id = id;
    api_staff_submit(rt, c,
                     bank ? staff_bank_retire_run : staff_question_retire_run,
                     op, api_staff_op_free, false);
}

static void staff_topics(struct runtime *rt, struct conn *c, int64_t bank_id)
{
    struct store_topic_row *rows;
    int n;
    if (store_bank_topics(rt->db, bank_id, &rows, &n)) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            a, json_pack("{ss si si si}", "topic", rows[i].topic, "easy",
                         rows[i].count[0], "medium", rows[i].count[1], "hard",
                         rows[i].count[2]));
    store_topic_rows_free(rows, n);
    api_staff_json(rt, c, 200, json_pack("{sb so}", "ok", 1, "topics", a));
}

/* ---- questions ---- */

/* A whole number from a URL argument in lo..hi, or def when absent;
 * false when present and not such a number. */
bool api_staff_arg_int(const struct conn *c, const char *name, long long lo,
                       long long hi, long long def, long long *out)
{
    const char *v = api_arg(c, name);
    char *end;
    if (!v || !*v) {
        *out = def;
        return true;
    }
    long long x = strtoll(v, &end, 10);
    if (*end || x < lo || x > hi)
        return false;
    *out = x;
    return true;
}

static void staff_questions(struct runtime *rt, struct conn *c)
{
    long long bank, offset, limit, retired;
    const char *q = api_arg(c, "q"), *diff = api_arg(c, "difficulty");
    const char *topic = api_arg(c, "topic");
    struct store_qfilter f = {0};
    if (!api_staff_arg_int(c, "bank", 0, INT64_MAX, 0, &bank) ||
        !api_staff_arg_int(c, "offset", 0, 1000000000, 0, &offset) ||
        !api_staff_arg_int(c, "limit", 1, 200, 50, &limit) ||
        !api_staff_arg_int(c, "retired", 0, 1, 0, &retired)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, NULL, NULL);
        return;
    }
    f.difficulty = diff && *diff ? bank_difficulty_parse(diff) : -1;
    if (diff && *diff && f.difficulty < 0) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "difficulty", NULL);
        return;
    }
    char *fold = q && *q ? text_fold(q) : NULL;
    if (q && *q && !fold) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "q", NULL);
        return;
    }
    f.bank_id = bank;
    f.fold = fold;
    f.topic = topic && *topic ? topic : NULL;
    f.retired = retired;
    f.offset = (int)offset;
    f.limit = (int)limit;
    struct store_qrow *rows;
    int n;
    int64_t total;
    int rc = store_questions_find(rt->db, &f, &rows, &n, &total);
    free(fold);
    if (rc) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, staff_qrow(&rows[i]));
    store_qrows_free(rows, n);
    api_staff_json(rt, c, 200,
                   json_pack("{sb sI so}", "ok", 1, "total", (json_int_t)total,
                             "questions", a));
}

static void staff_question_one(struct runtime *rt, struct conn *c, int64_t id)
{
    struct store_qrow r;
    int rc = store_question_get(rt->db, id, &r);
    if (rc) {
        api_fail(rt, c, rc == EXAMD_ENOTFOUND ? 404 : 500, rc);
        return;
    }
    json_t *o = staff_qrow(&r);
    store_qrow_fini(&r);
    api_staff_json(rt, c, 200, json_pack("{sb so}", "ok", 1, "question", o));
}

static int staff_question_save_run(struct store *st, struct wjob *j)
{
    struct staff_op *op = j->arg;
    int64_t id = 0;
    int version = 1;
    bool versioned = false;
    int rc = store_question_save(st, op->id, op->bank_id, &op->one->q[0],
                                 j->server_ms, &id, &version, &versioned);
    if (!rc)
        rc = api_audit(st, j, op->id ? "question.edit" : "question.create",
                       json_pack("{sI sI si}", "id", (json_int_t)id, "was",
                                 (json_int_t)op->id, "version", version));
    if (rc == EXAMD_EEXISTS)
        api_staff_set(j, 409,
                      api_staff_error(rc, "text",
                                      "ngân hàng đã có câu hỏi này / the bank "
                                      "already holds this question"));
    else if (rc == EXAMD_ECLOSED)
        api_staff_set(j, 409,
                      api_staff_error(rc, NULL,
                                      "câu hỏi đã bị loại hoặc đã có phiên bản "
                                      "mới / the question is retired or has a "
                                      "newer version"));
    else if (rc)
        api_staff_set(j, api_staff_status(rc), api_staff_error(rc, NULL, NULL));
    else
        api_staff_set(j, 200,
                      json_pack("{sb sI si sb}", "ok", 1, "id", (json_int_t)id,
                                "version", version, "versioned", versioned));
    return rc;
}

/* The field a bank.c message is about (its English half names it), into
 * field; "" if none is recognised. */
static void staff_msg_field(const char *msg, char *field, size_t len)
{
    static const char *const words[][2] = {{"weight", "options"},
                                           {"option", "options"},
                                           {"correct", "options"},
                                           {"topic", "topic"},
                                           {"difficulty", "difficulty"},
                                           {"points", "points"},
                                           {"explanation", "explanation"},
                                           {"shuffle", "shuffle"},
                                           {"multi", "multi"},
                                           {"text", "text"}};
    const char *en = strstr(msg, " / ");
    field[0] = 0;
    for (size_t i = 0; en && i < sizeof words / sizeof *words; i++)
        if (strstr(en, words[i][0])) {
            snprintf(field, len, "%s", words[i][1]);
            return;
        }
}

/*
 * Turn the console's question object into a 1-question native bank and let
 * bank_parse check it with every rule an imported question meets. NULL
 * with msg and field filled when it is not valid.
 */
static struct bank *staff_question_parse(json_t *in, char *field, size_t flen,
                                         char *msg, size_t msglen)
{
    json_t *opts = json_object_get(in, "options"), *texts = json_array(),
           *weights = json_array(), *o;
    size_t i;
    json_array_foreach(opts, i, o)
    {
        json_t *w = json_object_get(o, "weight");
        json_array_append(texts, json_object_get(o, "text"));
        json_array_append_new(weights, w ? json_incref(w) : json_integer(0));
    }
    json_t *q = json_pack(
        "{sO* sO* sO* so so sO* sO* sO* sO*}", "topic",
        json_object_get(in, "topic"), "difficulty",
        json_object_get(in, "difficulty"), "text", json_object_get(in, "text"),
        "options", texts, "weights", weights, "multi",
        json_object_get(in, "multi"), "points", json_object_get(in, "points"),
        "shuffle", json_object_get(in, "shuffle"), "explanation",
        json_object_get(in, "explanation"));
    json_t *doc = json_pack("{ss ss ss s[o]}", "format", "examd-bank/1", "bank",
                            "staff", "title", "staff", "questions", q);
    char *t = doc ? json_dumps(doc, 0) : NULL;
    json_decref(doc);
    struct bank *b = NULL;
    if (!json_is_array(opts)) {
        snprintf(msg, msglen, "cần danh sách lựa chọn / options are required");
        snprintf(field, flen, "options");
    } else if (!t) {
        snprintf(msg, msglen,
                 "câu hỏi có trường sai kiểu / a field of the question has "
                 "the wrong type");
    } else if (!(b = bank_parse(t, strlen(t), msg, msglen))) {
        staff_msg_field(msg, field, flen);
    }
    free(t);
    return b;
}

static void staff_question_save(struct runtime *rt, struct conn *c, json_t *in,
                                int64_t id)
{
    char msg[512], field[32];
    json_t *bank = json_object_get(in, "bank");
    if (!id && (!json_is_integer(bank) || json_integer_value(bank) < 1)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "bank", NULL);
        return;
    }
    struct bank *b =
        staff_question_parse(in, field, sizeof field, msg, sizeof msg);
    if (!b) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, field[0] ? field : NULL, msg);
        return;
    }
    struct staff_op *op = calloc(1, sizeof *op);
    if (!op) {
        bank_free(b);
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    if (!id) {
        struct store_bank_row br;
        if (store_bank_get(rt->db, json_integer_value(bank), &br)) {
            bank_free(b);
            free(op);
            api_staff_fail(rt, c, 404, EXAMD_ENOTFOUND, "bank", NULL);
            return;
        }
        free(br.title);
    }
    op->id = id;
    op->bank_id = id ? 0 : json_integer_value(bank);
    op->one = b;
    api_staff_submit(rt, c, staff_question_save_run, op, api_staff_op_free,
                     false);
}

/* ---- routing ---- */

/* The staff user of the request into who, or false after replying
 * 401/403. */
static bool staff_user(struct runtime *rt, struct conn *c, bool post,
                       const char *token, struct staff_who *who)
{
    char *role = who->role;
    uint8_t hash[32];
    int64_t uid = api_session_user(rt, token, role, sizeof who->role, hash);
    if (!uid) {
        api_fail(rt, c, 401, EXAMD_ENOAUTH);
        return false;
    }
    bool other;
    const struct route *r = route_find(post ? "POST" : "GET", c->path, &other);
    if (!r || !(r->roles & route_role_bit(role))) { /* api_request found it */
        api_fail(rt, c, 403, EXAMD_EFORBIDDEN);
        return false;
    }
    if (post && !c->same_origin) {
        api_staff_fail(rt, c, 403, EXAMD_EFORBIDDEN, NULL,
                       "yêu cầu không đến từ trang của examd / the request "
                       "did not come from examd's own page");
        return false;
    }
    c->user_id = uid; /* an HTTP conn: for the audit log, never bound */
    snprintf(c->role, sizeof c->role, "%s", role);
    who->uid = uid;
    return true;
}

bool api_path_id(const char *path, const char *prefix, int64_t *id, char *verb,
                 size_t vlen)
{
    long long x;
    int n = 0;
    size_t pl = strlen(prefix);
    if (strncmp(path, prefix, pl) || sscanf(path + pl, "%lld%n", &x, &n) != 1 ||
        x < 1 || path[pl] < '1' || path[pl] > '9' ||
        (path[pl + n] && path[pl + n] != '/'))
        return false;
    *id = x;
    snprintf(verb, vlen, "%s", path[pl + n] ? path + pl + n + 1 : "");
    return true;
}

/* "/api/staff/<what>/<id>/<verb>": fills id and verb ("" if none). */
static bool staff_path(const char *path, const char *what, int64_t *id,
                       char *verb, size_t vlen)
{
    char pre[48];
    snprintf(pre, sizeof pre, "/api/staff/%s/", what);
    return api_path_id(path, pre, id, verb, vlen);
}

bool api_staff_path(const char *path, const char *what, int64_t *id, char *verb,
                    size_t vlen)
{
    return staff_path(path, what, id, verb, vlen);
}

static void staff_get(struct runtime *rt, struct conn *c,
                      const struct staff_who *who)
{
    int64_t id;
    char verb[32];
    if (api_class_route(rt, c, who, false) ||
        api_contest_route(rt, c, who, false) ||
        api_scores_route(rt, c, who, false) || /* scores */
        api_live_route(rt, c, who, false))     /* live rounds */
        return;
    if (api_users_path(c->path))
        api_users_request(rt, c, NULL);
    else if (api_audit_path(c->path))
        api_audit_request(rt, c);
    else if (!strcmp(c->path, "/api/staff/banks"))
        staff_banks(rt, c);
    else if (!strcmp(c->path, "/api/staff/questions"))
        staff_questions(rt, c);
    else if (!strcmp(c->path, "/api/staff/exams"))
        api_staff_exams(rt, c, who);
    else if (api_join_staff_path(c->path))
        api_join_staff(rt, c, who, NULL);
    else if (api_exam_export_path(c->path)) /* exports */
        api_exam_export_request(rt, c, who);
    else if (staff_path(c->path, "questions", &id, verb, sizeof verb) &&
             !verb[0])
        staff_question_one(rt, c, id);
    else if (staff_path(c->path, "banks", &id, verb, sizeof verb) &&
             !strcmp(verb, "topics"))
        staff_topics(rt, c, id);
    else if (staff_path(c->path, "banks", &id, verb, sizeof verb) &&
             !strcmp(verb, "export"))
        api_export_request(rt, c, id);
    else if (staff_path(c->path, "exams", &id, verb, sizeof verb) &&
             !strcmp(verb, "stats")) /* item statistics (api_stats.c) */
        api_stats_request(rt, c, who, id);
    else
        api_fail(rt, c, 404, EXAMD_ENOTFOUND);
}

static void staff_post(struct runtime *rt, struct conn *c,
                       const struct staff_who *who)
{
    int64_t id;
    char verb[32];
    if (!strcmp(c->path, API_UPLOAD_PATH)) {
        api_import_request(rt, c);
        return;
    }
    if (api_class_route(rt, c, who, true) ||
        api_contest_route(rt, c, who, true) ||
        api_scores_route(rt, c, who, true) || /* scores */
        api_live_route(rt, c, who, true))     /* live rounds */
        return;
    json_t *in =
        c->body_len ? json_loadb(c->body, c->body_len, 0, NULL) : json_object();
    if (!json_is_object(in)) {
        api_fail(rt, c, 400, EXAMD_EBADJSON);
    } else if (api_users_path(c->path)) {
        api_users_request(rt, c, in);
    } else if (!strcmp(c->path, "/api/staff/banks")) {
        staff_bank_create(rt, c, in);
    } else if (!strcmp(c->path, "/api/staff/questions")) {
        staff_question_save(rt, c, in, 0);
    } else if (!strcmp(c->path, "/api/staff/exams")) {
        api_staff_exam_publish(rt, c, in, who, NULL);
    } else if (api_join_staff_path(c->path)) {
        api_join_staff(rt, c, who, in);
    } else if (staff_path(c->path, "banks", &id, verb, sizeof verb) &&
               !strcmp(verb, "retire")) {
        staff_retire(rt, c, id, true);
    } else if (staff_path(c->path, "questions", &id, verb, sizeof verb) &&
               !strcmp(verb, "retire")) {
        staff_retire(rt, c, id, false);
    } else if (staff_path(c->path, "questions", &id, verb, sizeof verb) &&
               !verb[0]) {
        staff_question_save(rt, c, in, id);
    } else {
        api_fail(rt, c, 404, EXAMD_ENOTFOUND);
    }
    json_decref(in);
}

void api_staff_request(struct runtime *rt, struct conn *c, bool post,
                       const char *token)
{
    struct staff_who who = {0};
    if (!staff_user(rt, c, post, token, &who))
        return;
    if (post)
        staff_post(rt, c, &who);
    else
        staff_get(rt, c, &who);
}
