/*
 * api_users.h — accounts in the staff console (admin only), the audit
 * entries of the HTTP API and the audit log's screen (docs/staff-api.md
 * "Users" and "Audit log", docs/security.md).
 *
 * GET/POST /api/staff/users (paged, filtered by role and a search) and
 * POST /api/staff/users/ID/disable|enable|passwd; GET /api/staff/audit
 * (pages newest first, filtered by action) and /api/staff/audit/verify
 * (the hash chain's check). Reads run on the service thread's
 * connection. Passwords are hashed on the worker pool; every change is a
 * writer job with its audit entry in the same savepoint; disabling a user
 * or changing their password ends their sessions and, once committed,
 * closes their open WebSockets with 1008. Service thread unless noted.
 */
#ifndef EXAMD_API_USERS_H
#define EXAMD_API_USERS_H

#include "runtime.h"
#include "writer.h"

#include <jansson.h>
#include <stdbool.h>

/* Is path one of the users endpoints? */
bool api_users_path(const char *path);

/* Handle a users request from a staff member (c->user_id, c->role set);
 * in is the POST body (NULL for GET). Anyone but an admin gets 403. */
void api_users_request(struct runtime *rt, struct conn *c, json_t *in);

/* A staff change's error reply {"ok":false,code,field,message} (message:
 * NULL for err's own text; field may be NULL). Any thread. */
json_t *api_users_error(int err, const char *field, const char *message);

/* Is path one of the audit log endpoints (GET /api/staff/audit,
 * /api/staff/audit/verify)? */
bool api_audit_path(const char *path);

/* Handle an audit log request (GET; c->role set): a page of entries
 * newest first, or the chain's check. Anyone but an admin gets 403. */
void api_audit_request(struct runtime *rt, struct conn *c);

/* A writer job is done: if it was an account change that ended sessions,
 * close the account's sockets. Any job may be passed. */
void api_users_done(struct runtime *rt, struct wjob *j);

/* Close user_id's WebSockets (those of one session when session is not
 * NULL) with 1008 and why (static text). */
void api_users_close(struct runtime *rt, int64_t user_id,
                     const uint8_t *session, const char *why);

/* Record in j who acts (0 = nobody) and from which address, for
 * api_audit. */
void api_job_actor(struct wjob *j, int64_t actor_id, const char *ip);

/* Writer thread: append an audit entry for j's actor and address with
 * detail (taken; NULL on malloc failure gives EXAMD_ENOMEM). */
int api_audit(struct store *st, const struct wjob *j, const char *action,
              json_t *detail);

/* Record a read that is audited (an export) with a writer job of its own;
 * nobody waits for it. detail taken. */
void api_audit_submit(struct runtime *rt, const struct conn *c,
                      const char *action, json_t *detail);

#endif
