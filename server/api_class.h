/*
 * api_class.h — units, classes, rosters, credential slips and password
 * resets in the staff HTTP API (docs/staff-api.md), and the class rules
 * of publishing an exam.
 *
 * Rule 5 lives here: a trainer reads and changes only the classes they
 * own (403 otherwise); an organiser or admin any. Units are read by all
 * staff and added by organisers and admins. Reads run on the service
 * thread; password hashing and QR codes on the worker pool; every change
 * is a WJOB_STAFF writer job. Service thread unless noted.
 */
#ifndef EXAMD_API_CLASS_H
#define EXAMD_API_CLASS_H

#include "runtime.h"
#include "store.h"
#include "writer.h"

#include <jansson.h>
#include <stdbool.h>

/* The staff member making a request. */
struct staff_who {
    int64_t uid;
    char role[16]; /* "admin", "organiser" or "trainer" */
};

/* Is who a trainer (who sees only their own classes and exams)? */
bool api_class_is_trainer(const struct staff_who *who);

/* Handle c if its path is under /api/staff/units or /api/staff/classes
 * (reading its JSON body or raw roster itself); false if it is not. */
bool api_class_route(struct runtime *rt, struct conn *c,
                     const struct staff_who *who, bool post);

/* The optional "class" of a new exam in in: 0 and *class_id (0 when
 * absent or null) when who may publish for it; otherwise replied to (400
 * not an id, 404 no such class, 403 another trainer's) and an error. */
int api_class_exam_check(struct runtime *rt, struct conn *c,
                         const struct staff_who *who, json_t *in,
                         int64_t *class_id);

/* What api_staff_done does after api_class_done. */
enum api_class_after {
    API_CLASS_REPLY,  /* reply with the job's body as usual */
    API_CLASS_SECRET, /* reply, then wipe the body: it holds passwords */
    API_CLASS_HELD    /* no reply yet: more work was started */
};

/* A writer job finished: for this module's jobs, apply what the commit
 * made true to the running server (memberships, closing the sockets of a
 * user whose password was reset) and go on to the next step of a roster
 * import. Returns enum api_class_after. */
int api_class_done(struct runtime *rt, struct wjob *j);

/* ---- shared by api_class.c and api_roster.c ---- */

/* Read class id for who into out (release with store_class_row_fini):
 * true, or false having replied 404 (no such class) or 403 (another
 * trainer's). */
bool api_class_access(struct runtime *rt, struct conn *c,
                      const struct staff_who *who, int64_t id,
                      struct store_class_row *out);

/* POST /api/staff/classes/ID/roster (api_roster.c); cls is taken. */
void api_roster_request(struct runtime *rt, struct conn *c,
                        struct store_class_row *cls);

/* api_class_done for a roster job; -1 when j is not one. */
int api_roster_done(struct runtime *rt, struct wjob *j);

#endif
