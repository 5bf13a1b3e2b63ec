/*
 * api_access.h — who may reach an exam, and the attempts at it, through
 * the staff routes /api/staff/exams/ID/… and /api/staff/attempts/ID/…
 * (docs/security.md "Authorisation"). Service thread.
 */
#ifndef EXAMD_API_ACCESS_H
#define EXAMD_API_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

struct runtime;
struct conn;
struct staff_who;
struct store_exam_meta;
struct exam;

/*
 * The rule, pure: an admin reaches every exam; a contest round only the
 * contest's owner (and admins); any other exam its publisher when who is
 * a trainer, and any organiser.
 */
bool api_exam_may(const struct staff_who *who,
                  const struct store_exam_meta *meta);

/*
 * Read exam_id's row into meta for who (release with
 * store_exam_meta_fini): true, or false having replied 404 (no such
 * exam), 403 `forbidden` with field "exam" (api_exam_may says no) or 500.
 * Every exam and attempt route calls this before anything else.
 */
bool api_exam_access(struct runtime *rt, struct conn *c,
                     const struct staff_who *who, int64_t exam_id,
                     struct store_exam_meta *meta);

/*
 * api_exam_access for a route that needs the exam itself: exam_id's
 * loaded exam (runtime_exam), or NULL having replied as api_exam_access
 * does, or 404 `not_found` with field "exam" when it is not loaded.
 */
const struct exam *api_exam_loaded(struct runtime *rt, struct conn *c,
                                   const struct staff_who *who,
                                   int64_t exam_id);

#endif
