/*
 * api_join.c — joining a contest with a code, and the staff's codes (see
 * api_join.h).
 */
#include "api_join.h"
#include "api.h"
#include "api_access.h"
#include "api_staff.h"
#include "api_users.h"
#include "api_contest.h"
#include "store_contest.h"
#include "auth.h"
#include "clock.h"
#include "dispatch.h"
#include "err.h"
#include "join.h"
#include "qr.h"
#include "roster.h"
#include "store.h"
#include "text.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum join_kind { JOIN_OK, JOIN_FAIL, JOIN_CODES, JOIN_REVOKE };

/* One writer job of this module. Lifetime: from the request to the job's
 * wjob_free; secrets (codes) are wiped by join_op_free. */
struct join_op {
    int kind;        /* enum join_kind */
    char ip_key[64]; /* "join <address>": its row in login_failures */
    int64_t exam_id; /* the code's exam */
    int64_t unit_id; /* JOIN_OK: the participant's; codes: theirs */
    int64_t user_id; /* JOIN_OK: a rejoin's account, else 0 (out) */
    char *name;      /* owned: JOIN_OK's full name, NFC */
    char birth[11];  /* yyyy-mm-dd */
    char phone[11];  /* "" = none */
    char username[JOIN_USERNAME_MAX];
    char tag[JOIN_TAG_HEX];
    int n;                              /* JOIN_CODES: how many */
    char (*codes)[JOIN_CODE_TEXT];      /* owned, wiped */
    uint8_t (*hashes)[JOIN_HASH_BYTES]; /* owned */
    int64_t expires_ms;                 /* 0 = never */
    char base[200];                     /* the console's origin, "" = none */
};

static void join_op_free(void *arg)
{
    struct join_op *op = arg;
    if (!op)
        return;
    free(op->name);
    if (op->codes)
        sodium_memzero(op->codes, (size_t)op->n * sizeof *op->codes);
    free(op->codes);
    free(op->hashes);
    sodium_memzero(op, sizeof *op);
    free(op);
}

/* {"ok":false,code,field,message:"vi / en",vi,en} */
static json_t *join_error(const char *code, const char *field, const char *vi,
                          const char *en)
{
    char m[512];
    snprintf(m, sizeof m, "%s / %s", vi, en);
    return json_pack("{sb ss ss* ss ss ss}", "ok", 0, "code", code, "field",
                     field, "message", m, "vi", vi, "en", en);
}

static void join_fail(struct runtime *rt, struct conn *c, int status,
                      const char *code, const char *field, const char *vi,
                      const char *en)
{
    api_staff_json(rt, c, status, join_error(code, field, vi, en));
}

static void join_field(struct runtime *rt, struct conn *c, const char *field,
                       const char *vi, const char *en)
{
    join_fail(rt, c, 400, "bad_request", field, vi, en);
}

#define JOIN_BAD_CODE_VI                                                                             \
    "Mã tham gia không đúng, đã hết hạn hoặc đã bị thu hồi. Kiểm tra lại mã " \
    "hoặc hỏi ban tổ chức."
#define JOIN_BAD_CODE_EN                                                       \
    "The join code is wrong, has expired or was revoked. Check it or ask "     \
    "the organisers."

/* Hand op to the writer as a job for c with run; cookie (malloc'd, may be
 * NULL) and the session hash go with it. On malloc failure replies 500. */
static void join_submit(struct runtime *rt, struct conn *c,
                        int (*run)(struct store *, struct wjob *),
                        struct join_op *op, const uint8_t *session,
                        char *cookie)
{
    struct wjob *j = wjob_new(WJOB_STAFF);
    if (!j || (session && !cookie)) {
        wjob_free(j);
        if (cookie)
            sodium_memzero(cookie, strlen(cookie));
        free(cookie);
        join_op_free(op);
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    int64_t now = clock_now_ms();
    j->reply = REPLY_HTTP;
    j->conn = runtime_conn_ref(c);
    j->run = run;
    j->arg = op;
    j->arg_free = join_op_free;
    api_job_actor(j, 0, c->ip);
    if (session)
        memcpy(j->session, session, AUTH_HASH_BYTES);
    j->server_ms = now;
    j->expires_ms = now + rt->cfg->session_ttl_s * 1000LL;
    j->cookie = cookie;
    writer_submit(rt->writer, j);
}

/* ---- the writer's part ---- */

/* A wrong code: count it against the address, lock it past the limit. */
static int join_fail_run(struct store *st, struct wjob *j)
{
    struct join_op *op = j->arg;
    int n = 0;
    int rc = store_ip_failure_add(st, op->ip_key, j->server_ms,
                                  AUTH_IP_WINDOW_MS, &n);
    int64_t lock = auth_lock_ms(n, JOIN_IP_FAILS, JOIN_IP_LOCK_MAX_MS);
    if (!rc && lock)
        rc = store_ip_lock_set(st, op->ip_key, j->server_ms + lock);
    if (!rc)
        rc = api_audit(st, j, "join.fail", json_pack("{si}", "failures", n));
    api_staff_set(
        j, 404,
        join_error("bad_code", "code", JOIN_BAD_CODE_VI, JOIN_BAD_CODE_EN));
    return rc;
}

/* A good code: the account (new or found again) and its session. */
static int join_ok_run(struct store *st, struct wjob *j)
{
    struct join_op *op = j->arg;
    bool created = false;
    int rc = 0;
    if (!op->user_id) {
        struct store_join_user u = {op->username, op->name,    op->birth,
                                    op->phone,    op->exam_id, op->unit_id,
                                    op->tag};
        rc = store_join_user_add(st, &u, j->server_ms, &op->user_id, &created);
    }
    if (rc == EXAMD_EEXISTS) {
        api_staff_set(j, 409,
                      join_error("exists", NULL,
                                 "Không tạo được tài khoản; hãy báo ban tổ "
                                 "chức.",
                                 "The account could not be made; please tell "
                                 "the organisers."));
        return rc;
    }
    if (!rc)
        rc = store_session_add(st, j->session, op->user_id, j->server_ms,
                               j->expires_ms);
    j->user_id = op->user_id;
    if (!rc)
        rc = api_audit(st, j, "join",
                       json_pack("{sI ss sb ss}", "exam",
                                 (json_int_t)op->exam_id, "user", op->username,
                                 "new", created, "code", op->tag));
    api_staff_set(
        j, 200,
        json_pack("{sb s{sI ss ss ss} sI sb}", "ok", 1, "user", "id",
                  (json_int_t)op->user_id, "username", op->username, "name",
                  op->name, "role", "candidate",
                  op->exam_id < 0 ? "contest" : "exam",
                  (json_int_t)(op->exam_id < 0 ? -op->exam_id : op->exam_id),
                  "rejoined", !created));
    return rc;
}

static int join_codes_run(struct store *st, struct wjob *j)
{
    struct join_op *op = j->arg;
    struct store_join_codes c = {op->exam_id, op->unit_id,
                                 j->user_id,  op->expires_ms,
                                 op->n,       (const uint8_t(*)[32])op->hashes};
    int rc = store_join_codes_add(st, &c, j->server_ms);
    if (!rc)
        rc = api_audit(st, j, "join.codes",
                       json_pack("{sI si sI sI}", "exam",
                                 (json_int_t)op->exam_id, "count", op->n,
                                 "unit", (json_int_t)op->unit_id, "expires_ms",
                                 (json_int_t)op->expires_ms));
    api_staff_set(j, 200,
                  json_pack("{sb}", "ok", 1)); /* see join_codes_reply */
    return rc;
}

static int join_revoke_run(struct store *st, struct wjob *j)
{
    struct join_op *op = j->arg;
    int n = 0;
    int rc = store_join_codes_revoke(st, op->exam_id, &n);
    if (!rc)
        rc = api_audit(st, j, "join.revoke",
                       json_pack("{sI si}", "exam", (json_int_t)op->exam_id,
                                 "revoked", n));
    api_staff_set(j, 200, json_pack("{sb si}", "ok", 1, "revoked", n));
    return rc;
}

/* ---- candidates ---- */

/*
 * The live code typed as code: 0 with its exam, unit and tag; 1 when it
 * is wrong (unknown, expired, revoked, or its exam is gone); an error
 * when the database cannot be read.
 */
static int join_lookup(struct runtime *rt, const char *code, int64_t *exam_id,
                       int64_t *unit_id, char tag[JOIN_TAG_HEX])
{
    char canon[JOIN_CODE_LEN + 1];
    uint8_t hash[JOIN_HASH_BYTES];
    if (join_code_normalize(code, canon))
        return 1;
    join_code_hash(rt->join_key, canon, hash);
    sodium_memzero(canon, sizeof canon);
    int rc =
        store_join_code_find(rt->db, hash, clock_now_ms(), exam_id, unit_id);
    if (rc == EXAMD_ENOTFOUND || (!rc && !runtime_exam(rt, *exam_id)))
        return 1;
    join_code_tag(hash, tag);
    return rc;
}

/* A wrong code: count it (the reply waits for the commit). */
static void join_wrong(struct runtime *rt, struct conn *c, const char *ip_key)
{
    struct join_op *op = calloc(1, sizeof *op);
    if (!op) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    op->kind = JOIN_FAIL;
    snprintf(op->ip_key, sizeof op->ip_key, "%s", ip_key);
    join_submit(rt, c, join_fail_run, op, NULL, NULL);
}

/* GET /api/join/units?code=: the code's exam and the units to pick from. */
static void join_units(struct runtime *rt, struct conn *c, const char *ip_key)
{
    const char *code = api_arg(c, "code");
    int64_t exam_id = 0, unit_id = 0;
    char tag[JOIN_TAG_HEX];
    if (!code || !*code) {
        join_field(rt, c, "code", "Cần mã tham gia.",
                   "The join code is required.");
        return;
    }
    int rc = join_lookup(rt, code, &exam_id, &unit_id, tag);
    if (rc) {
        if (rc > 0)
            join_wrong(rt, c, ip_key);
        else
            api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    struct store_unit_row *u;
    int n;
    if (store_join_units(rt->db, unit_id, &u, &n)) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            a, json_pack("{sI sI ss}", "id", (json_int_t)u[i].id, "parent",
                         (json_int_t)(u[i].id == unit_id ? 0 : u[i].parent_id),
                         "name", u[i].name));
    store_unit_rows_free(u, n);
    const struct exam *e = runtime_exam(rt, exam_id);
    api_staff_json(rt, c, 200,
                   json_pack("{sb s{sI ss} sI sb so}", "ok", 1, "exam", "id",
                             (json_int_t)exam_id, "title", e->title, "unit",
                             (json_int_t)unit_id, "unit_required",
                             unit_id == 0 && n > 0, "units", a));
}

/* The fields of a join (all but the code) into op; false after replying
 * 400 naming the first bad one. */
static bool join_fields(struct runtime *rt, struct conn *c, json_t *in,
                        struct join_op *op, int64_t *unit)
{
    bool oom;
    const char *name = json_string_value(json_object_get(in, "full_name"));
    const char *birth = json_string_value(json_object_get(in, "birth_date"));
    json_t *phone = json_object_get(in, "phone");
    json_t *u = json_object_get(in, "unit");
    if (!(op->name = join_name_clean(name, &oom))) {
        if (oom)
            api_fail(rt, c, 500, EXAMD_ENOMEM);
        else
            join_field(rt, c, "full_name", "Cần họ và tên (tối đa 120 byte).",
                       "The full name is required (at most 120 bytes).");
        return false;
    }
    if (!birth || roster_date_parse(birth, op->birth)) {
        join_field(rt, c, "birth_date",
                   "Ngày sinh cần theo dạng ngày/tháng/năm, ví dụ 02/09/1990.",
                   "The date of birth must be day/month/year, e.g. "
                   "02/09/1990.");
        return false;
    }
    const char *p = json_string_value(phone);
    if ((phone && !json_is_null(phone) && !p) ||
        (p && *p && join_phone_parse(p, op->phone))) {
        join_field(rt, c, "phone",
                   "Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 0.",
                   "A mobile number has 10 digits and starts with 0.");
        return false;
    }
    *unit = json_is_integer(u) ? json_integer_value(u) : 0;
    if ((u && !json_is_null(u) && !json_is_integer(u)) || *unit < 0) {
        join_field(rt, c, "unit", "Đơn vị không hợp lệ.",
                   "The unit is not valid.");
        return false;
    }
    return true;
}

/* The participant's unit from the one picked (0 = none) and the code's:
 * false after replying 400 when it is missing or not under the code's. */
static bool join_unit(struct runtime *rt, struct conn *c, struct join_op *op,
                      int64_t picked, int64_t code_unit)
{
    if (picked && store_join_unit_within(rt->db, picked, code_unit)) {
        op->unit_id = picked;
        return true;
    }
    if (!picked && code_unit) {
        op->unit_id = code_unit;
        return true;
    }
    struct store_unit_row *u = NULL;
    int n = 0;
    if (!picked && !store_join_units(rt->db, 0, &u, &n) && n == 0)
        return true; /* no units at all: nothing to pick */
    store_unit_rows_free(u, n);
    join_field(rt, c, "unit", "Hãy chọn đơn vị của bạn trong danh sách.",
               "Choose your unit from the list.");
    return false;
}

/* The account found again for op's login, if any: false after replying
 * when it cannot be used. */
static bool join_account(struct runtime *rt, struct conn *c, struct join_op *op)
{
    struct store_user u;
    char want[48];
    int rc = store_user_by_name(rt->db, op->username, &u);
    if (rc == EXAMD_ENOTFOUND)
        return true;
    snprintf(want, sizeof want, JOIN_PW_MARKER "%lld:", (long long)op->exam_id);
    if (rc || strcmp(u.role, "candidate") ||
        strncmp(u.pw_hash, want, strlen(want))) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return false;
    }
    if (u.disabled) {
        join_fail(rt, c, 403, "forbidden", NULL,
                  "Tài khoản này đã bị khóa; hãy hỏi ban tổ chức.",
                  "This account is disabled; ask the organisers.");
        return false;
    }
    op->user_id = u.id;
    return true;
}

/* The rest of a join once its scope is known (op->exam_id: the code's
 * exam, or minus a contest's id for a registration without a code; the
 * participant's unit must be under code_unit, 0 = any): the unit, the
 * login, the account found again, the session. Takes op. */
static void join_finish(struct runtime *rt, struct conn *c, struct join_op *op,
                        int64_t picked, int64_t code_unit)
{
    int rc;
    if (!join_unit(rt, c, op, picked, code_unit))
        goto done;
    char *fold = text_fold(op->name);
    rc =
        join_username(rt->join_key, op->exam_id, fold, op->birth, op->username);
    free(fold);
    if (rc) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        goto done;
    }
    if (!join_account(rt, c, op))
        goto done;
    op->kind = JOIN_OK;
    uint8_t hash[AUTH_HASH_BYTES];
    char *cookie = api_session_cookie(rt, hash);
    join_submit(rt, c, join_ok_run, op, hash, cookie);
    op = NULL;
done:
    join_op_free(op);
}

/* The body of a join: a JSON object with good fields (the code aside)
 * into op, or NULL after replying. */
static json_t *join_body(struct runtime *rt, struct conn *c, struct join_op *op,
                         int64_t *picked)
{
    json_t *in = c->body_len ? json_loadb(c->body, c->body_len, 0, NULL) : NULL;
    if (!json_is_object(in)) {
        api_fail(rt, c, 400, EXAMD_EBADJSON);
    } else if (json_string_length(json_object_get(in, "code")) ||
               op->exam_id < 0) {
        if (join_fields(rt, c, in, op, picked))
            return in;
    } else {
        join_field(rt, c, "code", "Cần mã tham gia.",
                   "The join code is required.");
    }
    json_decref(in);
    return NULL;
}

static void join_post(struct runtime *rt, struct conn *c, const char *ip_key)
{
    struct join_op *op = calloc(1, sizeof *op);
    int64_t picked = 0, code_unit = 0;
    json_t *in = NULL;
    if (!op) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    if (!(in = join_body(rt, c, op, &picked))) {
        join_op_free(op);
        return;
    }
    const char *code = json_string_value(json_object_get(in, "code"));
    int rc = join_lookup(rt, code, &op->exam_id, &code_unit, op->tag);
    if (rc) {
        join_op_free(op);
        if (rc > 0)
            join_wrong(rt, c, ip_key);
        else
            api_fail(rt, c, 500, EXAMD_EINTERNAL);
    } else {
        join_finish(rt, c, op, picked, code_unit);
    }
    json_decref(in);
}

/* Refuse a foreign Origin and a locked address: false after replying. */
static bool join_gate(struct runtime *rt, struct conn *c, bool post,
                      const char *ip_key)
{
    int64_t user_until = 0, ip_until = 0;
    if (post && !c->same_origin) {
        join_fail(rt, c, 403, "forbidden", NULL,
                  "Yêu cầu không đến từ trang của examd.",
                  "The request did not come from examd's own page.");
        return false;
    }
    if (store_login_state(rt->db, 0, ip_key, clock_now_ms(), &user_until,
                          &ip_until)) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return false;
    }
    if (ip_until) { /* no code is even looked at from this address */
        join_fail(rt, c, 429, "too_many", NULL,
                  "Quá nhiều mã sai từ địa chỉ này; hãy thử lại sau 15 phút.",
                  "Too many wrong codes from this address; try again in 15 "
                  "minutes.");
        return false;
    }
    return true;
}

void api_join_request(struct runtime *rt, struct conn *c, bool post)
{
    char ip_key[64];
    snprintf(ip_key, sizeof ip_key, "join %s", c->ip);
    if (!join_gate(rt, c, post, ip_key))
        return;
    if (post)
        join_post(rt, c, ip_key);
    else
        join_units(rt, c, ip_key);
}

void api_join_register(struct runtime *rt, struct conn *c, int64_t contest_id)
{
    char ip_key[64];
    int64_t picked = 0;
    struct store_contest k;
    snprintf(ip_key, sizeof ip_key, "join %s", c->ip);
    if (!join_gate(rt, c, true, ip_key))
        return;
    struct join_op *op = calloc(1, sizeof *op);
    if (!op) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    op->exam_id = -contest_id; /* accounts of the contest, not of a round */
    json_t *in = join_body(rt, c, op, &picked);
    if (!in) {
        join_op_free(op);
        return;
    }
    json_decref(in);
    int rc = store_contest_get(rt->db, contest_id, &k);
    bool open = !rc && k.open_registration && !k.archived;
    if (!rc)
        store_contest_fini(&k);
    if (!open) {
        join_op_free(op);
        join_fail(rt, c, rc && rc != EXAMD_ENOTFOUND ? 500 : 404, "not_found",
                  NULL, "Cuộc thi không nhận đăng ký trực tuyến.",
                  "The contest does not take registrations.");
        return;
    }
    join_finish(rt, c, op, picked, 0);
}

/* ---- staff ---- */

bool api_join_staff_path(const char *path)
{
    long long id;
    int n = 0;
    if (sscanf(path, "/api/staff/exams/%lld/codes%n", &id, &n) != 1 || !n)
        return false;
    return !path[n] || !strcmp(path + n, "/revoke");
}

/* Is base an origin, http(s)://host[:port] and nothing more? */
bool api_join_base_ok(const char *base)
{
    size_t skip = !strncmp(base, "https://", 8)  ? 8
                  : !strncmp(base, "http://", 7) ? 7
                                                 : 0;
    if (!skip || !base[skip] || strlen(base) >= 200)
        return false;
    return strspn(base + skip, "abcdefghijklmnopqrstuvwxyz"
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") ==
           strlen(base + skip);
}

/* The new codes' request fields into op; false after replying 400. */
static bool join_codes_fields(struct runtime *rt, struct conn *c, json_t *in,
                              struct join_op *op)
{
    json_t *n = json_object_get(in, "count"), *u = json_object_get(in, "unit");
    json_t *x = json_object_get(in, "expires_ms");
    const char *base = json_string_value(json_object_get(in, "base"));
    if (!json_is_integer(n) || json_integer_value(n) < 1 ||
        json_integer_value(n) > JOIN_COUNT_MAX) {
        join_field(rt, c, "count", "Số mã từ 1 đến 10000.",
                   "The number of codes is 1 to 10000.");
        return false;
    }
    op->n = (int)json_integer_value(n);
    op->unit_id = json_is_integer(u) ? json_integer_value(u) : 0;
    if ((u && !json_is_null(u) && !json_is_integer(u)) || op->unit_id < 0 ||
        (op->unit_id && !store_unit_exists(rt->db, op->unit_id))) {
        join_field(rt, c, "unit", "Không có đơn vị này.",
                   "There is no such unit.");
        return false;
    }
    op->expires_ms = json_is_integer(x) ? json_integer_value(x) : 0;
    if ((x && !json_is_null(x) && !json_is_integer(x)) ||
        (op->expires_ms && op->expires_ms <= clock_now_ms())) {
        join_field(rt, c, "expires_ms", "Thời hạn phải ở tương lai.",
                   "The expiry must be in the future.");
        return false;
    }
    if (base && !api_join_base_ok(base)) {
        join_field(rt, c, "base", "Địa chỉ trang không hợp lệ.",
                   "The page address is not valid.");
        return false;
    }
    snprintf(op->base, sizeof op->base, "%s", base ? base : "");
    return true;
}

/* Make op->n codes and their hashes; false on malloc failure. */
static bool join_codes_make(struct runtime *rt, struct join_op *op)
{
    op->codes = calloc((size_t)op->n, sizeof *op->codes);
    op->hashes = calloc((size_t)op->n, sizeof *op->hashes);
    if (!op->codes || !op->hashes)
        return false;
    for (int i = 0; i < op->n; i++) {
        char canon[JOIN_CODE_LEN + 1];
        join_code_new(op->codes[i]);
        join_code_normalize(op->codes[i], canon);
        join_code_hash(rt->join_key, canon, op->hashes[i]);
        sodium_memzero(canon, sizeof canon);
    }
    return true;
}

static void join_stats(struct runtime *rt, struct conn *c, const struct exam *e)
{
    struct store_join_stats s;
    if (store_join_codes_stats(rt->db, e->id, clock_now_ms(), &s)) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    api_staff_json(rt, c, 200,
                   json_pack("{sb s{sI ss} s{sI sI sI sI sI} sI}", "ok", 1,
                             "exam", "id", (json_int_t)e->id, "title", e->title,
                             "codes", "created", (json_int_t)s.created,
                             "active", (json_int_t)s.active, "expired",
                             (json_int_t)s.expired, "revoked",
                             (json_int_t)s.revoked, "used", (json_int_t)s.used,
                             "joined", (json_int_t)s.joined));
}

void api_join_staff(struct runtime *rt, struct conn *c,
                    const struct staff_who *who, json_t *in)
{
    long long id = 0;
    struct store_exam_meta meta;
    sscanf(c->path, "/api/staff/exams/%lld", &id);
    if (!api_exam_access(rt, c, who, id, &meta))
        return;
    store_exam_meta_fini(&meta);
    const struct exam *e = runtime_exam(rt, id);
    if (!e) {
        api_fail(rt, c, 404, EXAMD_ENOTFOUND);
        return;
    }
    if (!in) {
        join_stats(rt, c, e);
        return;
    }
    struct join_op *op = calloc(1, sizeof *op);
    if (!op) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    op->exam_id = e->id;
    if (strstr(c->path, "/revoke")) {
        op->kind = JOIN_REVOKE;
        api_staff_submit(rt, c, join_revoke_run, op, join_op_free, false);
        return;
    }
    op->kind = JOIN_CODES;
    if (imap_get(&rt->exam_class, e->id)) {
        join_op_free(op);
        join_fail(rt, c, 409, "exists", "exam",
                  "Bài thi của một lớp: học viên đăng nhập bằng phiếu tài "
                  "khoản, không dùng mã tham gia.",
                  "A class's exam: its members log in with their slips, not "
                  "a join code.");
        return;
    }
    if (!join_codes_fields(rt, c, in, op)) {
        join_op_free(op);
        return;
    }
    if (!join_codes_make(rt, op)) {
        join_op_free(op);
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    api_staff_submit(rt, c, join_codes_run, op, join_op_free, false);
}

/* The new codes, once committed: each with its link and, for the first
 * JOIN_QR_MAX when a base was given, the link's QR code. */
static json_t *join_codes_reply(const struct join_op *op)
{
    json_t *a = json_array();
    for (int i = 0; i < op->n; i++) {
        char link[260] = "";
        json_t *o = json_pack("{ss}", "code", op->codes[i]);
        if (op->base[0]) {
            snprintf(link, sizeof link, "%s/?join=%s", op->base, op->codes[i]);
            json_object_set_new(o, "link", json_string(link));
        }
        char *svg = link[0] && i < JOIN_QR_MAX ? qr_svg(link, NULL) : NULL;
        if (svg)
            json_object_set_new(o, "qr", json_string(svg));
        free(svg);
        json_array_append_new(a, o);
        sodium_memzero(link, sizeof link);
    }
    return json_pack("{sb sI si sI sI so}", "ok", 1, "exam",
                     (json_int_t)op->exam_id, "count", op->n, "unit",
                     (json_int_t)op->unit_id, "expires_ms",
                     (json_int_t)op->expires_ms, "codes", a);
}

bool api_join_done(struct runtime *rt, struct wjob *j)
{
    if (j->kind != WJOB_STAFF || j->arg_free != join_op_free)
        return false;
    struct join_op *op = j->arg;
    struct conn *c = runtime_conn_get(rt, j->conn);
    if (!c)
        return true;
    if (j->rc == EXAMD_EIO || !j->body) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return true;
    }
    if (op->kind != JOIN_CODES || j->rc) {
        api_reply(rt, c, j->status ? j->status : 200, j->body);
        return true;
    }
    json_t *o = join_codes_reply(op);
    char *t = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!t) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return true;
    }
    api_reply(rt, c, 200, t); /* the only time the codes are shown */
    sodium_memzero(t, strlen(t));
    free(t);
    return true;
}
