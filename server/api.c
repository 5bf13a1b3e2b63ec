/*
 * api.c — /api/login, /api/session, /api/logout (see api.h,
 * docs/protocol.md section 1).
 */
#include "api.h"
#include "api_join.h"
#include "api_contest.h"
#include "api_staff.h"
#include "route.h"
#include "api_users.h"
#include "auth.h"
#include "clock.h"
#include "dispatch.h"
#include "err.h"
#include "protocol.h"
#include "transport.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct api_login {
    struct work w; /* first: the pool hands us this */
    uint64_t conn;
    struct store_user user;         /* found = user.id != 0 */
    char username[64];              /* as typed (the audit log) */
    char ip[48];                    /* the client's address */
    char password[256];             /* wiped after use */
    bool locked;                    /* the account is locked (throttling) */
    bool ok;                        /* set on the worker thread */
    char new_hash[AUTH_PWHASH_MAX]; /* worker: an upgraded hash, "" = none */
};

static void api_login_free(void *arg)
{
    struct api_login *l = arg;
    if (!l)
        return;
    sodium_memzero(l, sizeof *l);
    free(l);
}

/* The body of {"ok":false,"code","message"} for err (malloc'd or NULL). */
static char *api_fail_body(int err)
{
    char *t = NULL;
    if (asprintf(&t, "{\"ok\":false,\"code\":\"%s\",\"message\":\"%s\"}",
                 err_code(err), err_text(err)) < 0)
        return NULL;
    return t;
}

void api_reply(struct runtime *rt, struct conn *c, int status, const char *body)
{
    c->status = status;
    transport_send(rt, c, body, strlen(body));
}

void api_fail(struct runtime *rt, struct conn *c, int status, int err)
{
    char *t = api_fail_body(err);
    c->status = status;
    if (t)
        transport_send(rt, c, t, strlen(t));
    free(t);
}

static void api_user_reply(struct runtime *rt, struct conn *c,
                           const struct store_user *u)
{
    struct proto_user pu = {u->id, u->username, u->name, u->role};
    char *t = proto_user_encode(&pu);
    if (!t) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    api_reply(rt, c, 200, t);
    free(t);
}

/*
 * Worker thread: the slow part. Exactly one Argon2 verify whatever the
 * case (unknown user: a dummy hash; disabled or locked account: its own
 * hash, result ignored), so the answer and its timing say nothing about
 * which case it was. A hash made with older limits is remade here.
 */
static void api_login_run(struct work *w)
{
    struct api_login *l = (struct api_login *)w;
    bool usable = l->user.id && !l->user.disabled && !l->locked;
    bool match =
        auth_password_verify(l->user.id ? l->user.pw_hash : NULL, l->password);
    l->ok = match && usable;
    if (l->ok && auth_password_needs_rehash(l->user.pw_hash) &&
        auth_password_hash(l->password, l->new_hash))
        l->new_hash[0] = 0;
    sodium_memzero(l->password, sizeof l->password);
}

/* Writer thread: a failed login counts against the account (unless it is
 * already locked) and the address, and locks them past their limits. */
static int api_login_failed(struct store *st, struct wjob *j,
                            struct api_login *l)
{
    int n = 0, rc = 0;
    int64_t lock;
    if (l->user.id && !l->locked) {
        rc = store_user_failure_add(st, l->user.id, &n);
        lock = auth_lock_ms(n, AUTH_USER_FAILS, AUTH_USER_LOCK_MAX_MS);
        if (!rc && lock)
            rc = store_user_lock_set(st, l->user.id, j->server_ms + lock);
    }
    if (!rc)
        rc = store_ip_failure_add(st, l->ip, j->server_ms, AUTH_IP_WINDOW_MS,
                                  &n);
    lock = auth_lock_ms(n, AUTH_IP_FAILS, AUTH_IP_LOCK_MAX_MS);
    if (!rc && lock)
        rc = store_ip_lock_set(st, l->ip, j->server_ms + lock);
    const char *why = !l->user.id        ? "unknown_user"
                      : l->user.disabled ? "disabled"
                      : l->locked        ? "locked"
                                         : "wrong_password";
    if (!rc)
        rc =
            api_audit(st, j, "login.fail",
                      json_pack("{ss ss}", "user", l->username, "reason", why));
    j->status = 401;
    return rc;
}

/* Writer thread: record the login's outcome; a good one gets its
 * session (and its upgraded hash). The reply waits for the commit, so
 * every outcome takes one fsync and the counters are exact. */
static int api_login_write(struct store *st, struct wjob *j)
{
    struct api_login *l = j->arg;
    if (!l->ok)
        return api_login_failed(st, j, l);
    int rc = store_session_add(st, j->session, l->user.id, j->server_ms,
                               j->expires_ms);
    if (!rc)
        rc = store_user_login_ok(st, l->user.id,
                                 l->new_hash[0] ? l->new_hash : NULL);
    if (!rc)
        rc = api_audit(st, j, "login",
                       json_pack("{ss sb}", "user", l->user.username,
                                 "rehashed", l->new_hash[0] != 0));
    j->status = 200;
    return rc;
}

/* Writer thread: end one session. */
static int api_logout_write(struct store *st, struct wjob *j)
{
    int rc = store_session_delete(st, j->session);
    if (!rc)
        rc = api_audit(st, j, "logout", json_object());
    j->status = 200;
    return rc;
}

/*
 * Hand a session write to the writer as a staff-style job (its own
 * savepoint, with its audit entry); the HTTP reply (body, cookie) goes
 * out when it has committed (api_session_done), so a login never blocks
 * the event loop on an fsync and a logged-out token is gone before "ok".
 * Takes body, cookie (malloc'd; cookie may be NULL) and arg (freed with
 * api_login_free); on malloc failure replies 500 when c is there.
 */
static void api_session_write(struct runtime *rt, struct conn *c, uint64_t ref,
                              int (*run)(struct store *, struct wjob *),
                              const uint8_t *hash, int64_t user_id,
                              const char *ip, char *body, char *cookie,
                              struct api_login *arg)
{
    struct wjob *j = wjob_new(WJOB_STAFF);
    if (!j || !body || (hash && !cookie)) {
        wjob_free(j);
        free(body);
        if (cookie)
            sodium_memzero(cookie, strlen(cookie));
        free(cookie);
        api_login_free(arg);
        if (c)
            api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    int64_t now = clock_now_ms();
    j->reply = REPLY_HTTP;
    j->conn = ref;
    j->run = run;
    j->arg = arg;
    j->arg_free = arg ? api_login_free : NULL;
    api_job_actor(j, user_id, ip);
    if (hash)
        memcpy(j->session, hash, AUTH_HASH_BYTES);
    j->server_ms = now;
    j->expires_ms = now + rt->cfg->session_ttl_s * 1000LL;
    j->body = body;
    j->cookie = cookie;
    writer_submit(rt->writer, j);
}

size_t api_body_max(const char *path)
{
    if (!strcmp(path, API_UPLOAD_PATH))
        return API_UPLOAD_MAX;
    return strncmp(path, "/api/staff/", 11) ? API_BODY_MAX : API_STAFF_BODY_MAX;
}

const char *api_arg(const struct conn *c, const char *name)
{
    size_t n = strlen(name);
    for (const char *a = c->query; *a; a += strlen(a) + 1)
        if (!strncmp(a, name, n) && a[n] == '=')
            return a + n + 1;
    return NULL;
}

void api_session_done(struct runtime *rt, struct wjob *j)
{
    struct conn *c = runtime_conn_get(rt, j->conn);
    if (!j->rc && j->run == api_logout_write) /* its sockets: 1008 */
        api_users_close(rt, j->user_id, j->session, "session ended");
    api_users_done(rt, j);
    if (c && !j->rc && j->cookie)
        snprintf(c->cookie, sizeof c->cookie, "%s", j->cookie);
    if (!api_join_done(rt, j))
        api_staff_done(rt, j);
}

char *api_session_cookie(struct runtime *rt, uint8_t hash[AUTH_HASH_BYTES])
{
    char hex[AUTH_TOKEN_HEX], *cookie = NULL;
    auth_token_new(hex, hash);
    if (asprintf(&cookie,
                 API_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; "
                            "Max-Age=%d",
                 hex, rt->cfg->session_ttl_s) < 0)
        cookie = NULL;
    sodium_memzero(hex, sizeof hex);
    return cookie;
}

/* Service thread: a verified login gets a session, if the client is still
 * there; a refused one is counted (even if the client has gone). */
static void api_login_done(struct work *w, void *ctx)
{
    struct api_login *l = (struct api_login *)w;
    struct runtime *rt = ctx;
    struct conn *c = rt ? runtime_conn_get(rt, l->conn) : NULL;
    if (!rt || (l->ok && !c)) {
        api_login_free(l);
        return;
    }
    if (!l->ok) {
        api_session_write(rt, c, l->conn, api_login_write, NULL, l->user.id,
                          l->ip, api_fail_body(EXAMD_EBADCRED), NULL, l);
        return;
    }
    uint8_t hash[AUTH_HASH_BYTES];
    struct proto_user pu = {l->user.id, l->user.username, l->user.name,
                            l->user.role};
    char *cookie = api_session_cookie(rt, hash);
    api_session_write(rt, c, l->conn, api_login_write, hash, l->user.id, l->ip,
                      proto_user_encode(&pu), cookie, l);
}

static void api_login(struct runtime *rt, struct conn *c)
{
    json_t *o = c->body_len ? json_loadb(c->body, c->body_len, 0, NULL) : NULL;
    const char *user = json_string_value(json_object_get(o, "username"));
    const char *pass = json_string_value(json_object_get(o, "password"));
    struct api_login *l = NULL;
    if (!user || !pass || strlen(user) >= 64 || strlen(pass) >= 256) {
        api_fail(rt, c, 400, EXAMD_EINVAL);
        goto done;
    }
    if (!(l = calloc(1, sizeof *l))) {
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        goto done;
    }
    int rc = store_user_by_name(rt->db, user, &l->user);
    if (rc && rc != EXAMD_ENOTFOUND) {
        free(l);
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        goto done;
    }
    if (rc)
        memset(&l->user, 0, sizeof l->user);
    int64_t now = clock_now_ms(), user_until = 0, ip_until = 0;
    if (store_login_state(rt->db, l->user.id, c->ip, now, &user_until,
                          &ip_until)) {
        free(l);
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        goto done;
    }
    if (ip_until) { /* this address is locked: no hash spent on it */
        free(l);
        api_fail(rt, c, 401, EXAMD_EBADCRED);
        goto done;
    }
    l->locked = user_until != 0;
    snprintf(l->username, sizeof l->username, "%s", user);
    snprintf(l->ip, sizeof l->ip, "%s", c->ip);
    snprintf(l->password, sizeof l->password, "%s", pass);
    l->conn = runtime_conn_ref(c);
    l->w.run = api_login_run;
    l->w.done = api_login_done;
    worker_submit(rt->workers, &l->w);
done:
    if (o && pass)
        sodium_memzero((void *)pass, strlen(pass));
    json_decref(o);
}

int64_t api_session_user(struct runtime *rt, const char *token, char *role,
                         size_t rolelen, uint8_t hash[AUTH_HASH_BYTES])
{
    int64_t uid = 0;
    if (!token || auth_token_hash(token, hash) ||
        store_session_user(rt->db, hash, clock_now_ms(), &uid, role, rolelen))
        return 0;
    return uid;
}

static void api_logout(struct runtime *rt, struct conn *c, bool post,
                       const char *token)
{
    static const char clear[] =
        API_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
    uint8_t hash[AUTH_HASH_BYTES];
    int64_t uid = post ? api_session_user(rt, token, NULL, 0, hash) : 0;
    if (!uid) { /* nothing to end: just clear the cookie */
        snprintf(c->cookie, sizeof c->cookie, "%s", clear);
        api_reply(rt, c, 200, "{\"ok\":true}");
        return;
    }
    api_session_write(rt, c, runtime_conn_ref(c), api_logout_write, hash, uid,
                      c->ip, strdup("{\"ok\":true}"), strdup(clear), NULL);
}

void api_request(struct runtime *rt, struct conn *c, bool post,
                 const char *token)
{
    bool other;
    if (c->body_too_large) {
        api_fail(rt, c, 413, EXAMD_ETOOLARGE);
    } else if (!route_find(post ? "POST" : "GET", c->path, &other)) {
        /* not in the table (route.c): nothing answers it */
        api_fail(rt, c, other ? 405 : 404, other ? EXAMD_EINVAL
                                                 : EXAMD_ENOTFOUND);
    } else if (!strcmp(c->path, "/api/login")) {
        api_login(rt, c);
    } else if (!strcmp(c->path, "/api/session")) {
        struct store_user u;
        uint8_t hash[AUTH_HASH_BYTES];
        int64_t uid = api_session_user(rt, token, NULL, 0, hash);
        if (uid && !store_user_by_id(rt->db, uid, &u))
            api_user_reply(rt, c, &u);
        else
            api_fail(rt, c, 401, EXAMD_ENOAUTH);
    } else if (!strcmp(c->path, "/api/logout")) {
        api_logout(rt, c, post, token);
    } else if (!strncmp(c->path, "/api/join", 9)) {
        api_join_request(rt, c, post);
    } else if (!strncmp(c->path, "/api/public/", 12)) {
        api_contest_public(rt, c, post); /* contests: results, registration */
    } else if (!strncmp(c->path, "/api/staff/", 11)) {
        api_staff_request(rt, c, post, token);
    } else {
        api_fail(rt, c, 404, EXAMD_ENOTFOUND);
    }
}
