/*
 * api_staff.h — the staff console's HTTP API: banks, questions, imports,
 * exports and publishing exams (docs/staff-api.md).
 *
 * Every request is authorised here (a staff role; a same-origin Origin on
 * every POST). Reads run on the service thread; every change is a writer
 * job (WJOB_STAFF) run in its own savepoint, replied to once committed;
 * file parsing runs on the worker pool. Service thread unless noted.
 */
#ifndef EXAMD_API_STAFF_H
#define EXAMD_API_STAFF_H

#include "runtime.h"
#include "writer.h"

#include <jansson.h>
#include <stdbool.h>

/* Handle a complete request under /api/staff/. */
void api_staff_request(struct runtime *rt, struct conn *c, bool post,
                       const char *token);

/* A staff writer job is done: reply, and make a published exam live. */
void api_staff_done(struct runtime *rt, struct wjob *j);

struct staff_who;
struct staff_round;

/*
 * Publish the exam in (the body of POST /api/staff/exams) for who and make
 * it live; reply when committed. With round (taken; api_contest.c), the
 * exam is a round of a contest: no class, and the round's extras are
 * stored in the same savepoint.
 */
void api_staff_exam_publish(struct runtime *rt, struct conn *c, json_t *in,
                            const struct staff_who *who,
                            struct staff_round *round);

/* ---- shared by the staff modules ---- */

/* {"ok":false,code,field,message,vi,en} for err (message: "vi / en",
 * NULL for err's own text); field may be NULL. Any thread. */
json_t *api_staff_error(int err, const char *field, const char *message);

/* The HTTP status of a staff change's error. Any thread. */
int api_staff_status(int err);

/* An optional field of in: absent/null gives def; false when present with
 * the wrong type or out of lo..hi. */
bool api_staff_int(json_t *in, const char *k, long long lo, long long hi,
                   long long def, long long *out);
bool api_staff_bool(json_t *in, const char *k, bool def, bool *out);

/* path = prefix + a positive id (no leading 0) + optionally "/" + verb:
 * fills id and verb ("" if none). */
bool api_path_id(const char *path, const char *prefix, int64_t *id, char *verb,
                 size_t vlen);

/* Reply with o (taken) as JSON. */
void api_staff_json(struct runtime *rt, struct conn *c, int status, json_t *o);

/* Reply 400 naming field: missing or invalid (vi / en). */
void api_staff_bad_field(struct runtime *rt, struct conn *c, const char *field);

/* Reply {"ok":false,"code","field","message"}; field may be NULL. */
void api_staff_fail(struct runtime *rt, struct conn *c, int status, int err,
                    const char *field, const char *message);

/* A question as the console shows it (new object, NULL on failure). */
json_t *api_staff_question(const struct bank_question *q);

/* A whole number from URL argument name in lo..hi, or def when absent;
 * false when present and not such a number. */
bool api_staff_arg_int(const struct conn *c, const char *name, long long lo,
                       long long hi, long long def, long long *out);

/* Is there an uploaded file? If not, replies 400 naming "file". */
bool api_staff_upload_ok(struct runtime *rt, struct conn *c);

/* Take the uploaded file out of c (the caller frees it); *len its size. */
char *api_staff_upload_take(struct conn *c, size_t *len);

/* "/api/staff/<what>/<id>[/<verb>]": fills id and verb ("" if none);
 * false when path is not of that shape. */
bool api_staff_path(const char *path, const char *what, int64_t *id, char *verb,
                    size_t vlen);

/* Is name a valid bank short name (1-64 of a-z 0-9 - _)? */
bool api_staff_name_ok(const char *name);

/* Hand run (writer thread) a job for c with arg; dry runs set undo. */
void api_staff_submit(struct runtime *rt, struct conn *c,
                      int (*run)(struct store *st, struct wjob *j), void *arg,
                      void (*arg_free)(void *arg), bool undo);

/* Writer thread: set j's reply. */
void api_staff_set(struct wjob *j, int status, json_t *o);

/* Read a paper's "blueprint" (cells) or fixed "questions" list from in
 * into sp, cells (room for EXAM_MAX_CELLS) and fixed (EXAM_MAX_PAPER);
 * the bad field's name or NULL. Exams and live rounds. */
const char *api_staff_exam_paper(json_t *in, struct store_exam_spec *sp,
                                 struct store_cell *cells, int64_t *fixed);

/* The title, bank and paper (api_staff_exam_paper) of a new exam or
 * live round from in into sp (strings point into in); the bad field's
 * name or NULL. Service thread (reads the bank). */
const char *api_staff_exam_source(struct runtime *rt, json_t *in,
                                  struct store_exam_spec *sp,
                                  struct store_cell *cells, int64_t *fixed);

/* POST /api/staff/import (api_import.c). */
void api_import_request(struct runtime *rt, struct conn *c);

/* GET /api/staff/banks/ID/export (api_import.c). */
void api_export_request(struct runtime *rt, struct conn *c, int64_t bank_id);

/* ---- exports (api_export.c) ---- */

struct staff_who;

/* Is path GET /api/staff/exams/ID/export/KIND or /api/staff/signing-key? */
bool api_exam_export_path(const char *path);

/* Handle such a GET: the export is made on a worker. */
void api_exam_export_request(struct runtime *rt, struct conn *c,
                             const struct staff_who *who);

#endif
