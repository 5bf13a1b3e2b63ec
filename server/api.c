/*
 * api.c — /api/login, /api/session, /api/logout (see api.h,
 * docs/protocol.md section 1).
 */
#include "api.h"
#include "api_staff.h"
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
    struct store_user user; /* found = user.id != 0 */
    char password[256];     /* wiped after use */
    bool ok;                /* set on the worker thread */
};

void api_reply(struct runtime *rt, struct conn *c, int status,
               const char *body)
{
    c->status = status;
    transport_send(rt, c, body, strlen(body));
}

void api_fail(struct runtime *rt, struct conn *c, int status, int err)
{
    char buf[512];
    snprintf(buf, sizeof buf,
             "{\"ok\":false,\"code\":\"%s\",\"message\":"
             "\"%s\"}",
             err_code(err), err_text(err));
    api_reply(rt, c, status, buf);
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

/* Worker thread: the slow part. */
static void api_login_run(struct work *w)
{
    struct api_login *l = (struct api_login *)w;
    bool found = l->user.id && !l->user.disabled;
    l->ok = auth_password_verify(found ? l->user.pw_hash : NULL, l->password) &&
            found;
    sodium_memzero(l->password, sizeof l->password);
}

/*
 * Hand a session write to the writer; the HTTP reply (body, cookie) goes
 * out when it has committed (api_session_done), so a login never blocks
 * the event loop on an fsync and a logged-out token is gone before "ok".
 * Takes body and cookie (malloc'd; NULL on malloc failure: then 500).
 */
static void api_session_write(struct runtime *rt, struct conn *c, int kind,
                              const uint8_t *hash, int64_t user_id, char *body,
                              char *cookie)
{
    struct wjob *j = wjob_new(kind);
    if (!j || !body || !cookie) {
        wjob_free(j);
        free(body);
        if (cookie)
            sodium_memzero(cookie, strlen(cookie));
        free(cookie);
        api_fail(rt, c, 500, EXAMD_ENOMEM);
        return;
    }
    int64_t now = clock_now_ms();
    j->reply = REPLY_HTTP;
    j->conn = runtime_conn_ref(c);
    memcpy(j->session, hash, AUTH_HASH_BYTES);
    j->user_id = user_id;
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
    return strncmp(path, "/api/staff/", 11) ? API_BODY_MAX
                                            : API_STAFF_BODY_MAX;
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
    if (j->kind == WJOB_STAFF) {
        api_staff_done(rt, j);
        return;
    }
    if (!j->rc && j->kind == WJOB_SESSION_DEL) /* close its sockets: 1008 */
        for (struct conn *s = imap_get(&rt->user_conns, j->user_id); s;
             s = s->user_next)
            if (sodium_memcmp(s->session, j->session, AUTH_HASH_BYTES) == 0)
                transport_close(s, 1008, "session ended");
    struct conn *c = runtime_conn_get(rt, j->conn);
    if (!c)
        return;
    if (j->rc) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return;
    }
    snprintf(c->cookie, sizeof c->cookie, "%s", j->cookie);
    api_reply(rt, c, 200, j->body);
}

/* Service thread: a verified login gets a session, if the client is still
 * there. */
static void api_login_done(struct work *w, void *ctx)
{
    struct api_login *l = (struct api_login *)w;
    struct runtime *rt = ctx;
    struct conn *c = rt ? runtime_conn_get(rt, l->conn) : NULL;
    if (c && !l->ok) {
        api_fail(rt, c, 401, EXAMD_EBADCRED);
    } else if (c) {
        char hex[AUTH_TOKEN_HEX], *cookie = NULL;
        uint8_t hash[AUTH_HASH_BYTES];
        struct proto_user pu = {l->user.id, l->user.username, l->user.name,
                                l->user.role};
        auth_token_new(hex, hash);
        if (asprintf(&cookie,
                     API_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; "
                                "Max-Age=%d",
                     hex, rt->cfg->session_ttl_s) < 0)
            cookie = NULL;
        api_session_write(rt, c, WJOB_SESSION_ADD, hash, l->user.id,
                          proto_user_encode(&pu), cookie);
        sodium_memzero(hex, sizeof hex);
    }
    sodium_memzero(l, sizeof *l);
    free(l);
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
    api_session_write(rt, c, WJOB_SESSION_DEL, hash, uid,
                      strdup("{\"ok\":true}"), strdup(clear));
}

void api_request(struct runtime *rt, struct conn *c, bool post,
                 const char *token)
{
    if (c->body_too_large) {
        api_fail(rt, c, 413, EXAMD_ETOOLARGE);
    } else if (!strcmp(c->path, "/api/login")) {
        if (post)
            api_login(rt, c);
        else
            api_fail(rt, c, 405, EXAMD_EINVAL);
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
    } else if (!strncmp(c->path, "/api/staff/", 11)) {
        api_staff_request(rt, c, post, token);
    } else {
        api_fail(rt, c, 404, EXAMD_ENOTFOUND);
    }
}
