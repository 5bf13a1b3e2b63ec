/*
 * api_join.h — joining a contest with a code or link (docs/protocol.md
 * "Joining with a code", docs/staff-api.md "Join codes").
 *
 * Candidates: POST /api/join (a code, full name, date of birth, unit,
 * phone: an account and a session, or the same account again) and GET
 * /api/join/units (what a code opens, and the units to pick from). A
 * code is checked with one keyed BLAKE2b hash and one indexed lookup;
 * wrong codes are counted per client address in login_failures (under
 * the key "join <address>", apart from the login's own count) and the
 * address is locked past JOIN_IP_FAILS within AUTH_IP_WINDOW_MS.
 *
 * Staff (organisers and admins, route.c): GET/POST
 * /api/staff/exams/ID/codes and POST /api/staff/exams/ID/codes/revoke.
 * New codes are made on the service thread and shown once: only their
 * hashes are written, and the reply is wiped once sent.
 *
 * Every change is a WJOB_STAFF writer job; the reply (and a join's
 * session cookie) goes out after the commit. Service thread unless
 * noted.
 */
#ifndef EXAMD_API_JOIN_H
#define EXAMD_API_JOIN_H

#include "runtime.h"
#include "writer.h"

#include <jansson.h>
#include <stdbool.h>

#define JOIN_IP_FAILS 100 /* wrong codes an address may send per window */
#define JOIN_IP_LOCK_MAX_MS (15 * 60 * 1000LL)
#define JOIN_QR_MAX 100 /* codes per request that come with a QR code */

/* Handle POST /api/join or GET /api/join/units. */
void api_join_request(struct runtime *rt, struct conn *c, bool post);

/* Is path one of the staff codes endpoints? */
bool api_join_staff_path(const char *path);

/* Is base a plain origin ("http://host:port", "https://host") that a
 * printed link or QR code may start with? */
bool api_join_base_ok(const char *base);

/* Handle a staff codes request by who (the role by route.c's table, the
 * exam by api_exam_access); in is the POST body (NULL for GET). */
struct staff_who;
void api_join_staff(struct runtime *rt, struct conn *c,
                    const struct staff_who *who, json_t *in);

/* A writer job is done: true when it was one of this module's (then
 * replied to), false otherwise. */
bool api_join_done(struct runtime *rt, struct wjob *j);

#endif
