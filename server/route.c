/*
 * route.c — the request tables (see route.h).
 */
#include "route.h"
#include "protocol.h"

#include <string.h>

static const struct route route_http[] = {
    {"POST", "/api/login", ROUTE_ANYONE},
    {"GET", "/api/session", ROUTE_ANYONE}, /* 401 without a session */
    {"POST", "/api/logout", ROUTE_ANYONE},
    {"POST", "/api/join", ROUTE_ANYONE}, /* a new session, whoever asks */
    {"GET", "/api/join/units", ROUTE_ANYONE},
    {"GET", "/api/staff/banks", ROUTE_STAFF},
    {"POST", "/api/staff/banks", ROUTE_STAFF},
    {"POST", "/api/staff/banks/{id}/retire", ROUTE_STAFF},
    {"GET", "/api/staff/banks/{id}/topics", ROUTE_STAFF},
    {"GET", "/api/staff/banks/{id}/export", ROUTE_STAFF},
    {"POST", "/api/staff/import", ROUTE_STAFF},
    {"GET", "/api/staff/questions", ROUTE_STAFF},
    {"POST", "/api/staff/questions", ROUTE_STAFF},
    {"GET", "/api/staff/questions/{id}", ROUTE_STAFF},
    {"POST", "/api/staff/questions/{id}", ROUTE_STAFF},
    {"POST", "/api/staff/questions/{id}/retire", ROUTE_STAFF},
    {"GET", "/api/staff/exams", ROUTE_STAFF},
    {"POST", "/api/staff/exams", ROUTE_STAFF},
    /* item statistics (api_stats.c): a trainer's own exams only */
    {"GET", "/api/staff/exams/{id}/stats", ROUTE_STAFF},
    {"GET", "/api/staff/exams/{id}/codes", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"POST", "/api/staff/exams/{id}/codes", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"POST", "/api/staff/exams/{id}/codes/revoke",
     ROUTE_ORGANISER | ROUTE_ADMIN},
    {"GET", "/api/staff/users", ROUTE_ADMIN},
    {"POST", "/api/staff/users", ROUTE_ADMIN},
    {"POST", "/api/staff/users/{id}/disable", ROUTE_ADMIN},
    {"POST", "/api/staff/users/{id}/enable", ROUTE_ADMIN},
    {"POST", "/api/staff/users/{id}/passwd", ROUTE_ADMIN},
    {"GET", "/api/staff/audit", ROUTE_ADMIN},
    {"GET", "/api/staff/audit/verify", ROUTE_ADMIN},
    {"GET", "/api/staff/units", ROUTE_STAFF},
    {"POST", "/api/staff/units", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"GET", "/api/staff/classes", ROUTE_STAFF},
    {"POST", "/api/staff/classes", ROUTE_STAFF},
    {"GET", "/api/staff/classes/{id}", ROUTE_STAFF},
    {"GET", "/api/staff/classes/{id}/slips", ROUTE_STAFF},
    {"POST", "/api/staff/classes/{id}/roster", ROUTE_STAFF},
    {"POST", "/api/staff/classes/{id}/members/{id}/reset", ROUTE_STAFF},
    /* exports (api_export.c): owner-scoped for trainers */
    {"GET", "/api/staff/exams/{id}/export/roster", ROUTE_STAFF},
    {"GET", "/api/staff/exams/{id}/export/results", ROUTE_STAFF},
    {"GET", "/api/staff/exams/{id}/export/stats", ROUTE_STAFF},
    {"GET", "/api/staff/signing-key", ROUTE_STAFF},
    /* contests and rounds (docs/contests.md); owners checked in
     * api_contest.c */
    {"GET", "/api/staff/contests", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"POST", "/api/staff/contests", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"GET", "/api/staff/contests/{id}", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"POST", "/api/staff/contests/{id}", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"POST", "/api/staff/contests/{id}/rounds", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"GET", "/api/staff/contests/{id}/units", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"GET", "/api/staff/rounds/{id}", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"POST", "/api/staff/rounds/{id}", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"POST", "/api/staff/rounds/{id}/open", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"POST", "/api/staff/rounds/{id}/close", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"POST", "/api/staff/rounds/{id}/window", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"POST", "/api/staff/rounds/{id}/publish", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"POST", "/api/staff/rounds/{id}/unpublish", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"GET", "/api/staff/rounds/{id}/ranking", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"GET", "/api/staff/rounds/{id}/prizes", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"GET", "/api/staff/rounds/{id}/units", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"GET", "/api/public/rounds/{id}/results", ROUTE_ANYONE},
    {"GET", "/api/public/contests/{id}", ROUTE_ANYONE},
    {"POST", "/api/public/contests/{id}/register", ROUTE_ANYONE},
    /* scores: grading rules, the class table, re-opening, the review */
    {"POST", "/api/staff/exams/{id}/grading", ROUTE_STAFF},
    {"GET", "/api/staff/exams/{id}/results", ROUTE_STAFF},
    {"POST", "/api/staff/attempts/{id}/reopen", ROUTE_STAFF},
    {"GET", "/api/staff/attempts/{id}/review", ROUTE_STAFF},
    /* live rounds (api_live.c): organisers and admins; an organiser's own */
    {"GET", "/api/staff/live", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"POST", "/api/staff/live", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"GET", "/api/staff/live/{id}", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"POST", "/api/staff/live/{id}/start", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"POST", "/api/staff/live/{id}/reveal", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"POST", "/api/staff/live/{id}/next", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"POST", "/api/staff/live/{id}/revive", ROUTE_ORGANISER | ROUTE_ADMIN},
    {"POST", "/api/staff/live/{id}/end", ROUTE_ORGANISER | ROUTE_ADMIN},
    /* a live round's results export (CSV / XLSX, api_results_http.c) */
    {"GET", "/api/staff/live/{id}/export", ROUTE_ORGANISER | ROUTE_ADMIN},
};

/* Candidates sit exams; staff may connect (to see the list) but never
 * start, answer or submit: their attempts would count in the results. */
static const unsigned route_ws[PROTO_TYPE_COUNT] = {
    [PROTO_HELLO] = ROUTE_USER,       [PROTO_START] = ROUTE_CANDIDATE,
    [PROTO_ANSWER] = ROUTE_CANDIDATE, [PROTO_SUBMIT] = ROUTE_CANDIDATE,
    [PROTO_RESULT] = ROUTE_CANDIDATE,
    [PROTO_PREDICT] = ROUTE_CANDIDATE, /* contest rounds */
    /* live rounds: players need no account (the examd.live.v1 upgrade
     * admits anonymous connections, which may send these only); staff
     * do not play; organisers and admins project their own rounds */
    [PROTO_LIVE_LOOKUP] = ROUTE_ANON | ROUTE_CANDIDATE,
    [PROTO_LIVE_JOIN] = ROUTE_ANON | ROUTE_CANDIDATE,
    [PROTO_LIVE_RESUME] = ROUTE_ANON | ROUTE_CANDIDATE,
    [PROTO_LIVE_ANSWER] = ROUTE_ANON | ROUTE_CANDIDATE,
    [PROTO_LIVE_WATCH] = ROUTE_ORGANISER | ROUTE_ADMIN,
    /* the organiser's live monitor: owner-scoped in api_monitor.c */
    [PROTO_MONITOR] = ROUTE_ORGANISER | ROUTE_ADMIN,
    [PROTO_UNMONITOR] = ROUTE_ORGANISER | ROUTE_ADMIN,
};

/* Does path match pattern ({id}: 1-18 digits, not starting with 0)? */
static bool route_match(const char *pat, const char *path)
{
    while (*pat && *path) {
        if (!strncmp(pat, "{id}", 4)) {
            size_t n = strspn(path, "0123456789");
            if (n == 0 || n > 18 || path[0] == '0')
                return false;
            pat += 4;
            path += n;
        } else if (*pat++ != *path++) {
            return false;
        }
    }
    return !*pat && !*path;
}

const struct route *route_find(const char *method, const char *path,
                               bool *other_method)
{
    *other_method = false;
    for (size_t i = 0; i < sizeof route_http / sizeof *route_http; i++) {
        if (!route_match(route_http[i].pattern, path))
            continue;
        if (!strcmp(route_http[i].method, method))
            return &route_http[i];
        *other_method = true;
    }
    return NULL;
}

unsigned route_role_bit(const char *role)
{
    static const char *const names[] = {"candidate", "trainer", "organiser",
                                        "admin"};
    if (!role || !*role)
        return ROUTE_ANON;
    for (unsigned i = 0; i < 4; i++)
        if (!strcmp(role, names[i]))
            return ROUTE_CANDIDATE << i;
    return 0;
}

bool route_ws_allows(int type, const char *role)
{
    return type >= 0 && type < PROTO_TYPE_COUNT &&
           (route_ws[type] & route_role_bit(role));
}

static void route_roles_print(FILE *f, unsigned roles)
{
    static const char *const names[] = {"anonymous", "candidate", "trainer",
                                        "organiser", "admin"};
    const char *sep = "";
    for (unsigned i = 0; i < 5; i++)
        if (roles & (1u << i)) {
            fprintf(f, "%s%s", sep, names[i]);
            sep = ",";
        }
    fprintf(f, "%s\n", *sep ? "" : "-");
}

void route_print(FILE *f)
{
    for (size_t i = 0; i < sizeof route_http / sizeof *route_http; i++) {
        fprintf(f, "http %s %s ", route_http[i].method, route_http[i].pattern);
        route_roles_print(f, route_http[i].roles);
    }
    for (int t = 0; t < PROTO_TYPE_COUNT; t++) {
        fprintf(f, "ws %s ", proto_type_name(t));
        route_roles_print(f, route_ws[t]);
    }
}
