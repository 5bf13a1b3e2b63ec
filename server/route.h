/*
 * route.h — every request examd answers, and who may make it.
 *
 * One table for the HTTP API and one for the WebSocket messages. The HTTP
 * layer refuses a path that is not in the table (404) and a role the row
 * does not name (401 for nobody logged in, 403 otherwise) before any
 * handler runs; handlers then check ownership (a trainer's own class, a
 * candidate's own attempt). `examd routes` prints both tables, and the
 * authorisation matrix test (tests/integration/authz.test.js) fails when a
 * route has no row of expected results, so a new route cannot slip in
 * unreviewed.
 *
 * Pure data and lookups; any thread.
 */
#ifndef EXAMD_ROUTE_H
#define EXAMD_ROUTE_H

#include <stdbool.h>
#include <stdio.h>

enum route_role {
    ROUTE_ANON = 1,      /* no session */
    ROUTE_CANDIDATE = 2,
    ROUTE_TRAINER = 4,
    ROUTE_ORGANISER = 8,
    ROUTE_ADMIN = 16
};

#define ROUTE_STAFF (ROUTE_TRAINER | ROUTE_ORGANISER | ROUTE_ADMIN)
#define ROUTE_USER (ROUTE_CANDIDATE | ROUTE_STAFF)
#define ROUTE_ANYONE (ROUTE_ANON | ROUTE_USER)

struct route {
    const char *method;  /* "GET" or "POST" */
    const char *pattern; /* "/api/staff/banks/{id}/topics": {id} is a
                            positive integer */
    unsigned roles;      /* enum route_role bits that may call it */
};

/* The row for method and path, or NULL. *other_method is set when the path
 * exists with another method only (405). */
const struct route *route_find(const char *method, const char *path,
                               bool *other_method);

/* The role bit of a role name; ROUTE_ANON for "" or NULL, 0 if unknown. */
unsigned route_role_bit(const char *role);

/* May a connection with this role send WebSocket message type (enum
 * proto_type)? */
bool route_ws_allows(int type, const char *role);

/* Print both tables, one route a line: "http METHOD PATTERN roles" and
 * "ws TYPE roles". */
void route_print(FILE *f);

#endif
