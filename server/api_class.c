/*
 * api_class.c — units, classes, members, credential slips and password
 * resets (see api_class.h, docs/staff-api.md). Roster imports are in
 * api_roster.c.
 */
#include "api_class.h"
#include "api.h"
#include "api_staff.h"
#include "api_users.h"
#include "auth.h"
#include "clock.h"
#include "err.h"
#include "qr.h"
#include "roster.h"
#include "store.h"
#include "text.h"
#include "transport.h"

#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLASS_NAME_MAX 200 /* bytes of a unit's or a class's name */
#define CLASS_TARGET_MAX 10000000

bool api_class_is_trainer(const struct staff_who *who)
{
    return !strcmp(who->role, "trainer");
}

/* A unit or class change: the writer job's arg. */
struct class_op {
    char *name; /* owned, NFC */
    int64_t parent_id, unit_id, trainer_id;
    int target;
};

static void class_op_free(void *arg)
{
    struct class_op *op = arg;
    if (!op)
        return;
    free(op->name);
    free(op);
}

/* Writer thread: j's reply to a change that made id, once the expected
 * errors have theirs: 500 for any other error, else {"ok":true,"id"}. */
static void class_set(struct wjob *j, int rc, int64_t id)
{
    if (rc)
        api_staff_set(j, 500, api_users_error(rc, NULL, NULL));
    else
        api_staff_set(j, 200,
                      json_pack("{sb sI}", "ok", 1, "id", (json_int_t)id));
}

/* A name from in[k]: NFC, trimmed of nothing (the console trims), 1 to
 * CLASS_NAME_MAX bytes; NULL after replying 400. */
static char *class_name_arg(struct runtime *rt, struct conn *c, json_t *in,
                            const char *k)
{
    const char *v = json_string_value(json_object_get(in, k));
    char *t = v ? text_nfc(v, strlen(v)) : NULL;
    if (!t || !*t || strlen(t) > CLASS_NAME_MAX || strchr(t, '\n') ||
        strchr(t, '\t')) {
        free(t);
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, k,
                       "cần tên (1–200 byte, một dòng) / the name is required "
                       "(1-200 bytes, one line)");
        return NULL;
    }
    return t;
}

/* A new op named by in's "name"; NULL after replying. */
static struct class_op *class_op_new(struct runtime *rt, struct conn *c,
                                     json_t *in)
{
    char *name = class_name_arg(rt, c, in, "name");
    struct class_op *op = name ? calloc(1, sizeof *op) : NULL;
    if (!op) {
        if (name)
            api_fail(rt, c, 500, EXAMD_ENOMEM);
        free(name);
        return NULL;
    }
    op->name = name;
    return op;
}

/* An optional id in[k] (absent or null: 0); false when not a positive
 * integer. */
static bool class_id_arg(json_t *in, const char *k, int64_t *out)
{
    long long v;
    bool ok = api_staff_int(in, k, 1, LLONG_MAX, 0, &v);
    *out = v;
    return ok;
}

/* ---- units ---- */

static void class_units(struct runtime *rt, struct conn *c)
{
    struct store_unit_row *u;
    int n;
    if (store_units_list(rt->db, &u, &n)) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            a, json_pack(
                   "{sI so ss si si}", "id", (json_int_t)u[i].id, "parent",
                   u[i].parent_id ? json_integer(u[i].parent_id) : json_null(),
                   "name", u[i].name, "target", u[i].target, "members",
                   u[i].members));
    store_unit_rows_free(u, n);
    api_staff_json(rt, c, 200, json_pack("{sb so}", "ok", 1, "units", a));
}

static int class_unit_add_run(struct store *st, struct wjob *j)
{
    struct class_op *op = j->arg;
    int64_t id = 0;
    int rc = store_unit_add(st, op->name, op->parent_id, op->target,
                            j->server_ms, &id);
    if (!rc)
        rc = api_audit(st, j, "unit.add",
                       json_pack("{sI ss sI si}", "id", (json_int_t)id, "name",
                                 op->name, "parent", (json_int_t)op->parent_id,
                                 "target", op->target));
    if (rc == EXAMD_ENOTFOUND)
        api_staff_set(j, 404,
                      api_users_error(rc, "parent",
                                      "không có đơn vị cấp trên này / no such "
                                      "parent unit"));
    else if (rc == EXAMD_EEXISTS)
        api_staff_set(
            j, 409,
            api_users_error(rc, "name",
                            "đơn vị cấp trên đã có đơn vị cùng tên / the "
                            "parent already has a unit of that name"));
    else
        class_set(j, rc, id);
    return rc;
}

static void class_unit_add(struct runtime *rt, struct conn *c,
                           const struct staff_who *who, json_t *in)
{
    json_t *target = json_object_get(in, "target");
    int64_t parent;
    if (api_class_is_trainer(who)) {
        api_staff_fail(rt, c, 403, EXAMD_EFORBIDDEN, NULL,
                       "chỉ ban tổ chức và quản trị thêm đơn vị / only "
                       "organisers and admins add units");
        return;
    }
    if (!class_id_arg(in, "parent", &parent)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "parent", NULL);
        return;
    }
    if (target && !json_is_null(target) &&
        (!json_is_integer(target) || json_integer_value(target) < 0 ||
         json_integer_value(target) > CLASS_TARGET_MAX)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "target",
                       "chỉ tiêu là số nguyên 0–10000000 / the target is a "
                       "whole number 0-10000000");
        return;
    }
    struct class_op *op = class_op_new(rt, c, in);
    if (!op)
        return;
    op->parent_id = parent;
    op->target = (int)json_integer_value(target);
    api_staff_submit(rt, c, class_unit_add_run, op, class_op_free, false);
}

/* ---- classes ---- */

static json_t *class_json(const struct store_class_row *r)
{
    return json_pack("{sI ss s{sI ss} so si sb sI}", "id", (json_int_t)r->id,
                     "name", r->name, "trainer", "id",
                     (json_int_t)r->trainer_id, "name", r->trainer_name, "unit",
                     r->unit_id
                         ? json_pack("{sI ss}", "id", (json_int_t)r->unit_id,
                                     "name", r->unit_name)
                         : json_null(),
                     "members", r->members, "archived", r->archived,
                     "created_ms", (json_int_t)r->created_ms);
}

bool api_class_access(struct runtime *rt, struct conn *c,
                      const struct staff_who *who, int64_t id,
                      struct store_class_row *out)
{
    int rc = store_class_get(rt->db, id, out);
    if (rc == EXAMD_ENOTFOUND) {
        api_staff_fail(rt, c, 404, rc, "class",
                       "không có lớp này / no such class");
        return false;
    }
    if (rc) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return false;
    }
    if (api_class_is_trainer(who) && out->trainer_id != who->uid) {
        store_class_row_fini(out);
        api_staff_fail(rt, c, 403, EXAMD_EFORBIDDEN, "class",
                       "đây không phải lớp của bạn / this class is not yours");
        return false;
    }
    return true;
}

static void class_list(struct runtime *rt, struct conn *c,
                       const struct staff_who *who)
{
    struct store_class_row *r;
    int n;
    if (store_classes_list(rt->db, api_class_is_trainer(who) ? who->uid : 0, &r,
                           &n)) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, class_json(&r[i]));
    store_class_rows_free(r, n);
    api_staff_json(rt, c, 200, json_pack("{sb so}", "ok", 1, "classes", a));
}

static json_t *class_member_json(const struct store_member_row *m)
{
    return json_pack(
        "{sI ss ss ss ss so}", "id", (json_int_t)m->id, "login", m->username,
        "name", m->name, "birth_date", m->birth, "phone", m->phone, "unit",
        m->unit_id ? json_pack("{sI ss}", "id", (json_int_t)m->unit_id, "name",
                               m->unit_name)
                   : json_null());
}

static void class_get(struct runtime *rt, struct conn *c,
                      const struct staff_who *who, int64_t id)
{
    struct store_class_row cls;
    struct store_member_row *m;
    int n;
    if (!api_class_access(rt, c, who, id, &cls))
        return;
    if (store_class_members(rt->db, id, 0, &m, &n)) {
        store_class_row_fini(&cls);
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, class_member_json(&m[i]));
    store_member_rows_free(m, n);
    api_staff_json(rt, c, 200,
                   json_pack("{sb so so}", "ok", 1, "class", class_json(&cls),
                             "members", a));
    store_class_row_fini(&cls);
}

static int class_create_run(struct store *st, struct wjob *j)
{
    struct class_op *op = j->arg;
    int64_t id = 0;
    int rc = store_class_create(st, op->name, op->trainer_id, op->unit_id,
                                j->server_ms, &id);
    if (!rc)
        rc = api_audit(st, j, "class.create",
                       json_pack("{sI ss sI}", "id", (json_int_t)id, "name",
                                 op->name, "unit", (json_int_t)op->unit_id));
    if (rc == EXAMD_ENOTFOUND)
        api_staff_set(
            j, 404,
            api_users_error(rc, "unit", "không có đơn vị này / no such unit"));
    else
        class_set(j, rc, id);
    return rc;
}

static void class_create(struct runtime *rt, struct conn *c,
                         const struct staff_who *who, json_t *in)
{
    int64_t unit;
    if (!class_id_arg(in, "unit", &unit)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "unit", NULL);
        return;
    }
    struct class_op *op = class_op_new(rt, c, in);
    if (!op)
        return;
    op->unit_id = unit;
    op->trainer_id = who->uid; /* the class belongs to whoever makes it */
    api_staff_submit(rt, c, class_create_run, op, class_op_free, false);
}

/* ---- credential slips ---- */

/* Building the slips of a class: QR codes on a worker. */
struct class_slips {
    struct work w; /* first: the pool hands us this */
    uint64_t conn;
    char base[200];
    struct store_class_row cls;
    struct store_member_row *m;
    int n;
    json_t *reply; /* worker thread builds */
};

static void class_slips_free(struct class_slips *s)
{
    store_class_row_fini(&s->cls);
    store_member_rows_free(s->m, s->n);
    json_decref(s->reply);
    free(s);
}

/* Worker thread. */
static void class_slips_run(struct work *w)
{
    struct class_slips *s = (struct class_slips *)w;
    json_t *a = json_array();
    bool ok = a != NULL;
    for (int i = 0; ok && i < s->n; i++) {
        char link[300];
        int modules = 0;
        snprintf(link, sizeof link, "%s/?u=%s", s->base, s->m[i].username);
        char *svg = qr_svg(link, &modules);
        json_t *o = class_member_json(&s->m[i]);
        ok = svg && o && !json_object_set_new(o, "link", json_string(link)) &&
             !json_object_set_new(o, "qr", json_string(svg)) &&
             !json_array_append_new(a, o);
        free(svg);
    }
    if (ok)
        s->reply = json_pack("{sb so so}", "ok", 1, "class",
                             class_json(&s->cls), "slips", a);
    else
        json_decref(a);
}

/* Service thread. */
static void class_slips_done(struct work *w, void *ctx)
{
    struct class_slips *s = (struct class_slips *)w;
    struct runtime *rt = ctx;
    struct conn *c = rt ? runtime_conn_get(rt, s->conn) : NULL;
    if (c && s->reply) {
        api_staff_json(rt, c, 200, s->reply);
        s->reply = NULL;
    } else if (c) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
    }
    class_slips_free(s);
}

/* Is base an origin: http(s)://host[:port], nothing else? */
static bool class_base_ok(const char *base)
{
    const char *h = !strncmp(base, "https://", 8)  ? base + 8
                    : !strncmp(base, "http://", 7) ? base + 7
                                                   : NULL;
    if (!h || !*h || strlen(base) >= 200)
        return false;
    return strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789.-:[]") == strlen(h);
}

static void class_slips(struct runtime *rt, struct conn *c,
                        const struct staff_who *who, int64_t id)
{
    const char *base = api_arg(c, "base"), *user = api_arg(c, "user");
    long long uid = user && *user ? strtoll(user, NULL, 10) : 0;
    if (!base || !class_base_ok(base)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "base",
                       "cần địa chỉ trang (http://máy:cổng) / the site's "
                       "address (http://host:port) is required");
        return;
    }
    if (api_workers_busy(rt, c))
        return;
    struct class_slips *s = calloc(1, sizeof *s);
    if (!s) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    if (!api_class_access(rt, c, who, id, &s->cls)) {
        free(s);
        return;
    }
    if (store_class_members(rt->db, id, uid > 0 ? uid : 0, &s->m, &s->n)) {
        class_slips_free(s);
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    snprintf(s->base, sizeof s->base, "%s", base);
    s->conn = runtime_conn_ref(c);
    s->w.run = class_slips_run;
    s->w.done = class_slips_done;
    worker_submit(rt->workers, &s->w);
}

/* ---- password reset ---- */

/* A reset: the password is made and hashed on a worker, then stored by
 * the writer, then shown once. Wiped when freed. */
struct class_reset {
    struct work w; /* first: the pool hands us this */
    uint64_t conn;
    int64_t class_id, user_id;
    char login[64];
    char password[ROSTER_PASSWORD_LEN + 1];
    char hash[AUTH_PWHASH_MAX];
    int rc; /* worker thread sets */
};

static void class_reset_free(void *arg)
{
    struct class_reset *r = arg;
    if (!r)
        return;
    sodium_memzero(r, sizeof *r);
    free(r);
}

/* Worker thread. */
static void class_reset_run(struct work *w)
{
    struct class_reset *r = (struct class_reset *)w;
    roster_password(r->password);
    r->rc = auth_password_hash(r->password, r->hash);
}

/* Writer thread. */
static int class_reset_write(struct store *st, struct wjob *j)
{
    struct class_reset *r = j->arg;
    int rc = store_password_reset(st, r->user_id, r->hash, j->server_ms);
    if (!rc)
        rc = api_audit(st, j, "class.reset",
                       json_pack("{sI sI ss}", "class", (json_int_t)r->class_id,
                                 "user", (json_int_t)r->user_id, "login",
                                 r->login));
    if (rc == EXAMD_ENOTFOUND)
        api_staff_set(
            j, 404,
            api_users_error(rc, "user",
                            "chỉ đặt lại mật khẩu của học viên / only a "
                            "candidate's password can be reset"));
    else if (rc)
        api_staff_set(j, 500, api_users_error(rc, NULL, NULL));
    else
        api_staff_set(j, 200,
                      json_pack("{sb sI ss ss}", "ok", 1, "id",
                                (json_int_t)r->user_id, "login", r->login,
                                "password", r->password));
    return rc;
}

/* Service thread: hashed; store it. */
static void class_reset_done(struct work *w, void *ctx)
{
    struct class_reset *r = (struct class_reset *)w;
    struct runtime *rt = ctx;
    struct conn *c = rt ? runtime_conn_get(rt, r->conn) : NULL;
    if (!c || r->rc) {
        if (c)
            api_fail(rt, c, 500, EXAMD_ENOMEM);
        class_reset_free(r);
        return;
    }
    api_staff_submit(rt, c, class_reset_write, r, class_reset_free, false);
}

static void class_reset(struct runtime *rt, struct conn *c,
                        const struct staff_who *who, int64_t id,
                        int64_t user_id)
{
    struct store_class_row cls;
    struct store_user u;
    if (api_workers_busy(rt, c) || !api_class_access(rt, c, who, id, &cls))
        return;
    store_class_row_fini(&cls);
    if (!store_class_has_member(rt->db, id, user_id) ||
        store_user_by_id(rt->db, user_id, &u)) {
        api_staff_fail(rt, c, 404, EXAMD_ENOTFOUND, "user",
                       "người này không thuộc lớp / this person is not in the "
                       "class");
        return;
    }
    struct class_reset *r = calloc(1, sizeof *r);
    if (!r) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    r->conn = runtime_conn_ref(c);
    r->class_id = id;
    r->user_id = user_id;
    snprintf(r->login, sizeof r->login, "%s", u.username);
    sodium_memzero(&u, sizeof u);
    r->w.run = class_reset_run;
    r->w.done = class_reset_done;
    worker_submit(rt->workers, &r->w);
}

/* ---- routing ---- */

/* "members/UID/reset" -> UID, or 0. */
static int64_t class_reset_path(const char *rest)
{
    long long x;
    int n = 0;
    if (sscanf(rest, "members/%lld%n", &x, &n) != 1 || x < 1 ||
        strcmp(rest + n, "/reset"))
        return 0;
    return x;
}

static void class_post_json(struct runtime *rt, struct conn *c,
                            const struct staff_who *who, bool units)
{
    json_t *in =
        c->body_len ? json_loadb(c->body, c->body_len, 0, NULL) : json_object();
    if (!json_is_object(in))
        api_fail(rt, c, 400, EXAMD_EBADJSON);
    else if (units)
        class_unit_add(rt, c, who, in);
    else
        class_create(rt, c, who, in);
    json_decref(in);
}

bool api_class_route(struct runtime *rt, struct conn *c,
                     const struct staff_who *who, bool post)
{
    int64_t id, uid;
    char rest[48]; /* "members/UID/reset" at most (route.c) */
    struct store_class_row cls;
    if (!strcmp(c->path, "/api/staff/units")) {
        if (post)
            class_post_json(rt, c, who, true);
        else
            class_units(rt, c);
    } else if (!strcmp(c->path, "/api/staff/classes")) {
        if (post)
            class_post_json(rt, c, who, false);
        else
            class_list(rt, c, who);
    } else if (!api_path_id(c->path, "/api/staff/classes/", &id, rest,
                            sizeof rest)) {
        return false;
    } else if (!post && !*rest) {
        class_get(rt, c, who, id);
    } else if (!post && !strcmp(rest, "slips")) {
        class_slips(rt, c, who, id);
    } else if (post && !strcmp(rest, "roster")) {
        if (api_class_access(rt, c, who, id, &cls))
            api_roster_request(rt, c, &cls);
    } else if (post && (uid = class_reset_path(rest))) {
        class_reset(rt, c, who, id, uid);
    } else {
        api_fail(rt, c, 404, EXAMD_ENOTFOUND);
    }
    return true;
}

/* ---- exams of a class ---- */

int api_class_exam_check(struct runtime *rt, struct conn *c,
                         const struct staff_who *who, json_t *in,
                         int64_t *class_id)
{
    struct store_class_row cls;
    if (!class_id_arg(in, "class", class_id)) {
        api_staff_fail(rt, c, 400, EXAMD_EINVAL, "class",
                       "trường \"class\" phải là mã lớp / field \"class\" "
                       "must be a class id");
        return EXAMD_EINVAL;
    }
    if (!*class_id)
        return 0;
    if (!api_class_access(rt, c, who, *class_id, &cls))
        return EXAMD_EFORBIDDEN;
    store_class_row_fini(&cls);
    return 0;
}

/* ---- after the commit ---- */

int api_class_done(struct runtime *rt, struct wjob *j)
{
    int after = api_roster_done(rt, j);
    if (after >= 0)
        return after;
    if (j->arg_free != class_reset_free)
        return API_CLASS_REPLY;
    struct class_reset *r = j->arg;
    /* The old password is gone and so are its sessions: close the
     * sockets opened with them. */
    if (!j->rc)
        for (struct conn *s = imap_get(&rt->user_conns, r->user_id); s;
             s = s->user_next)
            transport_close(s, 1008, "password reset");
    return API_CLASS_SECRET;
}
