/*
 * api.h — the small HTTP JSON API: login, session, logout.
 *
 * Passwords are verified on a worker thread; the response is completed
 * later from worker_drain. Service thread.
 */
#ifndef EXAMD_API_H
#define EXAMD_API_H

#include "runtime.h"

#include <stdbool.h>

#define API_BODY_MAX 4096                 /* login and session requests */
#define API_STAFF_BODY_MAX (64 * 1024)    /* the staff console's JSON */
#define API_UPLOAD_MAX (8 * 1024 * 1024)  /* a question file to import */
#define API_UPLOAD_PATH "/api/staff/import"
#define API_COOKIE "examd_session"

/*
 * Handle a complete request to c->path ("/api/...") with c->body. token is
 * the session cookie's value ("" if none). Sets c->status and queues the
 * body now, or later when a worker finishes.
 */
void api_request(struct runtime *rt, struct conn *c, bool post,
                 const char *token);

/*
 * The user id of a live session named by token (0 if none), its role in
 * role (may be NULL) and the token's hash in hash. One indexed read: it
 * runs at every WebSocket upgrade.
 */
int64_t api_session_user(struct runtime *rt, const char *token, char *role,
                         size_t rolelen, uint8_t hash[32]);

/* Queue a complete JSON reply with this HTTP status. */
void api_reply(struct runtime *rt, struct conn *c, int status,
               const char *body);

/* Queue {"ok":false,"code","message"} for err with this status. */
void api_fail(struct runtime *rt, struct conn *c, int status, int err);

/* Are the workers' queues full (worker_full)? Then c is answered 503
 * busy (the client tries again later) and true returned. A request that
 * needs a worker asks this before it allocates anything. */
bool api_workers_busy(struct runtime *rt, struct conn *c);

/* A new session token: its hash into hash, and the Set-Cookie value that
 * carries it (malloc'd; NULL on malloc failure). The token itself is
 * wiped. */
char *api_session_cookie(struct runtime *rt, uint8_t hash[32]);

/* The body cap for a request to path. */
size_t api_body_max(const char *path);

/* The value of URL argument name in c->query, or NULL. */
const char *api_arg(const struct conn *c, const char *name);

/* A session write (login, logout) has committed, or failed: send the HTTP
 * reply; after a logout, close that session's WebSockets with 1008. */
void api_session_done(struct runtime *rt, struct wjob *j);

#endif
