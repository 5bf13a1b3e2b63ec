/*
 * api_users.c — accounts in the staff console, the API's audit entries
 * and the audit log's pages and check for the console (see api_users.h).
 */
#include "api_users.h"
#include "api.h"
#include "api_staff.h"
#include "audit.h"
#include "auth.h"
#include "clock.h"
#include "dispatch.h"
#include "err.h"
#include "text.h"
#include "transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most accounts one GET /api/staff/users returns (its default). */
#define USERS_PAGE_MAX 500

/* The most audit entries one GET /api/staff/audit returns. */
#define AUDIT_PAGE_MAX 200

/* One account change; lives from the request to the writer's reply. */
struct user_op {
    struct work w; /* first: the pool hands us this (add, passwd) */
    uint64_t conn;
    int64_t actor;
    char ip[48];
    char verb[8]; /* "add", "disable", "enable", "passwd" */
    int64_t id;   /* the account (add: set by the writer) */
    char username[64], name[128], role[16];
    int64_t unit_id;
    char password[AUTH_PW_MAX + 1]; /* wiped once hashed */
    char hash[AUTH_PWHASH_MAX];     /* the worker fills */
    bool hashed;
    bool ended; /* the writer ended the account's sessions */
};

static void user_op_free(void *arg)
{
    struct user_op *op = arg;
    if (!op)
        return;
    sodium_memzero(op, sizeof *op);
    free(op);
}

/* ---- the audit entries of the HTTP API ---- */

/* Who does it and from where, for the job's audit entry. */
void api_job_actor(struct wjob *j, int64_t actor_id, const char *ip)
{
    j->user_id = actor_id;
    snprintf(j->ip, sizeof j->ip, "%s", ip ? ip : "");
}

int api_audit(struct store *st, const struct wjob *j, const char *action,
              json_t *detail)
{
    char *t = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(detail);
    if (!t)
        return EXAMD_ENOMEM;
    int rc = store_audit_append(st, j->server_ms, j->user_id, j->ip, action, t);
    free(t);
    return rc;
}

struct audit_only {
    char action[32];
    json_t *detail;
};

static void audit_only_free(void *arg)
{
    struct audit_only *a = arg;
    if (a)
        json_decref(a->detail);
    free(a);
}

static int audit_only_run(struct store *st, struct wjob *j)
{
    struct audit_only *a = j->arg;
    int rc = api_audit(st, j, a->action, json_incref(a->detail));
    if (rc)
        fprintf(stderr, "examd: audit entry %s not written\n", a->action);
    return rc;
}

void api_audit_submit(struct runtime *rt, const struct conn *c,
                      const char *action, json_t *detail)
{
    struct wjob *j = wjob_new(WJOB_STAFF);
    struct audit_only *a = calloc(1, sizeof *a);
    if (!j || !a || !detail) {
        fprintf(stderr, "examd: out of memory: audit entry %s lost\n", action);
        wjob_free(j);
        free(a);
        json_decref(detail);
        return;
    }
    snprintf(a->action, sizeof a->action, "%s", action);
    a->detail = detail;
    j->reply = REPLY_HTTP; /* conn 0: nobody is answered */
    j->run = audit_only_run;
    j->arg = a;
    j->arg_free = audit_only_free;
    j->server_ms = clock_now_ms();
    api_job_actor(j, c->user_id, c->ip);
    writer_submit(rt->writer, j);
}

/* ---- closing sockets ---- */

void api_users_close(struct runtime *rt, int64_t user_id,
                     const uint8_t *session, const char *why)
{
    for (struct conn *s = imap_get(&rt->user_conns, user_id); s;
         s = s->user_next)
        if (!session || sodium_memcmp(s->session, session, 32) == 0)
            transport_close(s, 1008, why);
}

void api_users_done(struct runtime *rt, struct wjob *j)
{
    if (j->kind != WJOB_STAFF || j->arg_free != user_op_free || j->rc)
        return;
    struct user_op *op = j->arg;
    if (op->ended)
        api_users_close(rt, op->id, NULL, "account changed");
}

/* ---- the writer's part ---- */

json_t *api_users_error(int err, const char *field, const char *message)
{
    return json_pack("{sb ss ss* ss}", "ok", 0, "code", err_code(err), "field",
                     field, "message", message ? message : err_text(err));
}

/* Writer thread: add an account. */
static int user_add_run(struct store *st, struct wjob *j)
{
    struct user_op *op = j->arg;
    int rc = store_user_add(st, op->username, op->name, op->role, op->hash,
                            j->server_ms, &op->id);
    if (!rc && op->unit_id)
        rc = store_user_unit_set(st, op->id, op->unit_id);
    if (!rc)
        rc = api_audit(st, j, "user.add",
                       json_pack("{sI ss ss}", "id", (json_int_t)op->id, "user",
                                 op->username, "role", op->role));
    if (rc == EXAMD_EINVAL)
        api_staff_set(j, 409,
                      api_users_error(EXAMD_EEXISTS, "username",
                                      "tên đăng nhập đã có / that username is "
                                      "taken"));
    else if (rc)
        api_staff_set(j, 500, api_users_error(rc, NULL, NULL));
    else
        api_staff_set(j, 200,
                      json_pack("{sb sI}", "ok", 1, "id", (json_int_t)op->id));
    return rc;
}

/* Writer thread: disable, enable or a new password. */
static int user_change_run(struct store *st, struct wjob *j)
{
    struct user_op *op = j->arg;
    struct store_user u;
    int rc = store_user_by_id(st, op->id, &u);
    bool end = strcmp(op->verb, "enable") != 0;
    char action[24];
    if (!rc && !strcmp(op->verb, "passwd"))
        rc = store_user_password_set(st, op->id, op->hash, j->server_ms);
    else if (!rc)
        rc = store_user_disabled_set(st, op->id, end);
    if (!rc && end)
        rc = store_user_sessions_end(st, op->id);
    snprintf(action, sizeof action, "user.%s", op->verb);
    if (!rc)
        rc = api_audit(
            st, j, action,
            json_pack("{sI ss}", "id", (json_int_t)op->id, "user", u.username));
    op->ended = !rc && end;
    if (rc == EXAMD_ENOTFOUND)
        api_staff_set(j, 404, api_users_error(rc, NULL, NULL));
    else if (rc)
        api_staff_set(j, 500, api_users_error(rc, NULL, NULL));
    else
        api_staff_set(j, 200, json_pack("{sb}", "ok", 1));
    sodium_memzero(&u, sizeof u);
    return rc;
}

/* ---- the service thread's part ---- */

/* Hand the change to the writer, answering c once committed. */
static void user_submit(struct runtime *rt, struct conn *c, struct user_op *op)
{
    api_staff_submit(rt, c,
                     strcmp(op->verb, "add") ? user_change_run : user_add_run,
                     op, user_op_free, false);
}

/* Worker thread: hash the new password. */
static void user_hash_run(struct work *w)
{
    struct user_op *op = (struct user_op *)w;
    op->hashed = !auth_password_hash(op->password, op->hash);
    sodium_memzero(op->password, sizeof op->password);
}

/* Service thread: hashed; write it if the client is still there. */
static void user_hash_done(struct work *w, void *ctx)
{
    struct user_op *op = (struct user_op *)w;
    struct runtime *rt = ctx;
    struct conn *c = rt ? runtime_conn_get(rt, op->conn) : NULL;
    if (!c || !op->hashed) {
        if (c)
            api_fail(rt, c, 500, EXAMD_ENOMEM);
        user_op_free(op);
        return;
    }
    user_submit(rt, c, op);
}

static struct user_op *user_op_new(struct runtime *rt, struct conn *c,
                                   const char *verb, int64_t id)
{
    struct user_op *op = calloc(1, sizeof *op);
    if (!op) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return NULL;
    }
    op->conn = runtime_conn_ref(c);
    op->actor = c->user_id;
    snprintf(op->ip, sizeof op->ip, "%s", c->ip);
    snprintf(op->verb, sizeof op->verb, "%s", verb);
    op->id = id;
    return op;
}

static void user_hash_then_write(struct runtime *rt, struct user_op *op,
                                 const char *password)
{
    snprintf(op->password, sizeof op->password, "%s", password);
    op->w.run = user_hash_run;
    op->w.done = user_hash_done;
    worker_submit(rt->workers, &op->w);
}

/* POST /api/staff/users */
static void users_add(struct runtime *rt, struct conn *c, json_t *in)
{
    const char *user = json_string_value(json_object_get(in, "username"));
    const char *name = json_string_value(json_object_get(in, "name"));
    const char *pass = json_string_value(json_object_get(in, "password"));
    json_t *role_j = json_object_get(in, "role"),
           *unit = json_object_get(in, "unit");
    const char *role = role_j ? json_string_value(role_j) : "candidate";
    const struct {
        bool ok;
        const char *field, *msg;
    } checks[] = {{auth_username_ok(user), "username", AUTH_MSG_USERNAME},
                  {auth_fullname_ok(name), "name", AUTH_MSG_FULLNAME},
                  {auth_password_ok(pass), "password", AUTH_MSG_PASSWORD},
                  {auth_role_ok(role), "role", AUTH_MSG_ROLE}};
    for (size_t i = 0; i < sizeof checks / sizeof *checks; i++)
        if (!checks[i].ok) {
            api_staff_fail(rt, c, 400, EXAMD_EINVAL, checks[i].field,
                           checks[i].msg);
            return;
        }
    if (unit && !json_is_null(unit) &&
        (!json_is_integer(unit) ||
         !store_unit_exists(rt->db, json_integer_value(unit)))) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "unit",
                       "không có đơn vị này / no such unit");
        return;
    }
    if (api_workers_busy(rt, c))
        return;
    struct user_op *op = user_op_new(rt, c, "add", 0);
    if (!op)
        return;
    snprintf(op->username, sizeof op->username, "%s", user);
    snprintf(op->name, sizeof op->name, "%s", name);
    snprintf(op->role, sizeof op->role, "%s", role);
    op->unit_id = json_integer_value(unit);
    user_hash_then_write(rt, op, pass);
}

/* POST /api/staff/users/ID/verb */
static void users_change(struct runtime *rt, struct conn *c, json_t *in,
                         int64_t id, const char *verb)
{
    const char *pass = json_string_value(json_object_get(in, "password"));
    bool passwd = !strcmp(verb, "passwd");
    if (!passwd && strcmp(verb, "disable") && strcmp(verb, "enable")) {
        api_fail(rt, c, 404, EXAMD_ENOTFOUND);
        return;
    }
    if (passwd && !auth_password_ok(pass)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "password", AUTH_MSG_PASSWORD);
        return;
    }
    if (!strcmp(verb, "disable") && id == c->user_id) {
        api_staff_fail(rt, c, 409, EXAMD_EINVAL, NULL,
                       "không thể tự khóa tài khoản của mình / you "
                       "cannot disable your own account");
        return;
    }
    if (passwd && api_workers_busy(rt, c))
        return;
    struct user_op *op = user_op_new(rt, c, verb, id);
    if (!op)
        return;
    if (passwd)
        user_hash_then_write(rt, op, pass);
    else
        user_submit(rt, c, op);
}

static json_t *users_row(const struct store_user_row *u)
{
    return json_pack("{sI ss ss ss so so sb sb}", "id", (json_int_t)u->id,
                     "username", u->username, "name", u->name, "role", u->role,
                     "unit", u->unit_id ? json_string(u->unit) : json_null(),
                     "unit_id",
                     u->unit_id ? json_integer(u->unit_id) : json_null(),
                     "disabled", u->disabled, "locked", u->locked);
}

/* GET /api/staff/users?role=&q=&offset=&limit= */
static void users_list(struct runtime *rt, struct conn *c)
{
    const char *role = api_arg(c, "role"), *q = api_arg(c, "q");
    long long offset, limit;
    struct store_ufilter f = {0};
    if (!api_staff_arg_int(c, "offset", 0, 1000000000, 0, &offset) ||
        !api_staff_arg_int(c, "limit", 1, USERS_PAGE_MAX, USERS_PAGE_MAX,
                           &limit)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, NULL, NULL);
        return;
    }
    if (role && *role && strcmp(role, "staff") && !auth_role_ok(role)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "role", AUTH_MSG_ROLE);
        return;
    }
    char *fold = q && *q ? text_fold(q) : NULL;
    if (q && *q && !fold) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "q", NULL);
        return;
    }
    f.role = role;
    f.fold = fold;
    f.offset = offset;
    f.limit = (int)limit;
    struct store_user_row *rows = NULL;
    int n;
    int64_t total;
    int rc = store_users_find(rt->db, &f, clock_now_ms(), &rows, &n, &total);
    free(fold);
    if (rc) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, users_row(&rows[i]));
    free(rows);
    api_staff_json(rt, c, 200,
                   json_pack("{sb sI so}", "ok", 1, "total", (json_int_t)total,
                             "users", a));
}

/* ---- the audit log, read ---- */

/* One entry as the console shows it; detail parsed back into JSON. */
static void audit_row_add(void *arg, const struct store_audit_row *r)
{
    json_t *detail = json_loads(r->detail, 0, NULL);
    json_t *o =
        json_pack("{sI sI ss? so? ss ss so?}", "id", (json_int_t)r->id, "at_ms",
                  (json_int_t)r->at_ms, "actor", r->actor[0] ? r->actor : NULL,
                  "actor_id", r->actor_id ? json_integer(r->actor_id) : NULL,
                  "ip", r->ip, "action", r->action, "detail",
                  detail ? detail : json_string(r->detail));
    if (!o) /* text that is not UTF-8 (the row was edited): id and time */
        o = json_pack("{sI sI sn}", "id", (json_int_t)r->id, "at_ms",
                      (json_int_t)r->at_ms, "detail");
    json_array_append_new(arg, o);
}

static void audit_action_add(void *arg, const char *action)
{
    if (action)
        json_array_append_new(arg, json_string(action));
}

/* GET /api/staff/audit?action=&offset=&limit= */
static void audit_list(struct runtime *rt, struct conn *c)
{
    long long offset, limit;
    int64_t total = 0;
    if (!api_staff_arg_int(c, "offset", 0, INT64_MAX, 0, &offset) ||
        !api_staff_arg_int(c, "limit", 1, AUDIT_PAGE_MAX, 50, &limit)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, NULL, NULL);
        return;
    }
    json_t *entries = json_array(), *actions = json_array();
    if (store_audit_page(rt->db, api_arg(c, "action"), offset, (int)limit,
                         audit_row_add, entries, &total) ||
        store_audit_actions(rt->db, audit_action_add, actions)) {
        json_decref(entries);
        json_decref(actions);
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    api_staff_json(rt, c, 200,
                   json_pack("{sb sI so so}", "ok", 1, "total",
                             (json_int_t)total, "entries", entries, "actions",
                             actions));
}

/* GET /api/staff/audit/verify: walks the whole chain on the service
 * thread, as "examd audit verify" does (a hash per entry: a few ms per
 * ten thousand entries, on an admin's request). */
static void audit_verify(struct runtime *rt, struct conn *c)
{
    char msg[512] = "", hex[AUDIT_HASH_BYTES * 2 + 1];
    uint8_t head[AUDIT_HASH_BYTES];
    int64_t n = 0, bad = 0;
    int rc = store_audit_verify(rt->db, &n, head, &bad, msg, sizeof msg);
    if (rc == EXAMD_EINVAL) {
        api_staff_json(rt, c, 200,
                       json_pack("{sb sb sI sI ss}", "ok", 1, "intact", 0,
                                 "entries", (json_int_t)n, "bad_id",
                                 (json_int_t)bad, "message", msg));
    } else if (rc) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
    } else {
        sodium_bin2hex(hex, sizeof hex, head, sizeof head);
        api_staff_json(rt, c, 200,
                       json_pack("{sb sb sI ss}", "ok", 1, "intact", 1,
                                 "entries", (json_int_t)n, "head", hex));
    }
}

bool api_audit_path(const char *path)
{
    return !strcmp(path, "/api/staff/audit") ||
           !strcmp(path, "/api/staff/audit/verify");
}

void api_audit_request(struct runtime *rt, struct conn *c)
{
    if (strcmp(c->role, "admin"))
        api_fail(rt, c, 403, EXAMD_EFORBIDDEN);
    else if (!strcmp(c->path, "/api/staff/audit"))
        audit_list(rt, c);
    else
        audit_verify(rt, c);
}

bool api_users_path(const char *path)
{
    return !strncmp(path, "/api/staff/users", 16) &&
           (!path[16] || path[16] == '/');
}

void api_users_request(struct runtime *rt, struct conn *c, json_t *in)
{
    long long id;
    int n = 0;
    if (strcmp(c->role, "admin")) {
        api_fail(rt, c, 403, EXAMD_EFORBIDDEN);
    } else if (!strcmp(c->path, "/api/staff/users")) {
        if (in)
            users_add(rt, c, in);
        else
            users_list(rt, c);
    } else if (in &&
               sscanf(c->path, "/api/staff/users/%lld/%n", &id, &n) == 1 &&
               n > 0 && id > 0 && strlen(c->path + n) < 8) {
        users_change(rt, c, in, id, c->path + n);
    } else {
        api_fail(rt, c, 404, EXAMD_ENOTFOUND);
    }
}
