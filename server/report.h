/*
 * report.h — an exam's exports: the roster, every attempt, the
 * statistics, as CSV, XLSX or JSON (sheet.h), optionally signed (sign.h).
 *
 * Shared by "examd export" (cli_export.c) and GET /api/staff/exams/ID/
 * export/KIND (api_export.c), so both give the same bytes for the same
 * data. The columns of each kind are in docs/exports.md. report_make
 * reads the whole exam: it runs on a worker thread (HTTP) or the CLI's
 * main thread, with a store connection of its own.
 */
#ifndef EXAMD_REPORT_H
#define EXAMD_REPORT_H

#include "sheet.h"
#include "sign.h"
#include "store.h"

#include <stddef.h>
#include <stdint.h>

enum report_kind {
    REPORT_ROSTER = 0,  /* one row per candidate: the counted attempt */
    REPORT_RESULTS = 1, /* one row per attempt */
    REPORT_STATS = 2    /* per-question figures and the test's */
};

/* "roster"/"results"/"stats" -> the kind; -1 for anything else. */
int report_kind_parse(const char *name);
const char *report_kind_name(enum report_kind k);

/* One export. */
struct report_file {
    char *data; /* owned: the file's bytes (len of them) */
    size_t len;
    char *sig;     /* owned: the signature file's text, NULL unsigned */
    char name[96]; /* ASCII file name: "roster-exam12-class3.xlsx" */
    char *title;   /* owned: the exam's title */
    int rows;      /* data rows of the main table */
};

/*
 * Make the export kind of exam_id (class_id > 0: that class's members
 * only) in format f into out (report_file_fini when done). key: sign it
 * (NULL: do not); now_ms: the signature's time; tmpdir: for XLSX
 * (sheet_write). Returns 0, EXAMD_ENOTFOUND (no such exam),
 * EXAMD_ENOMEM, EXAMD_EIO or EXAMD_EINTERNAL with msg filled.
 */
int report_make(struct store *s, enum report_kind kind, int64_t exam_id,
                int64_t class_id, enum sheet_format f, const char *tmpdir,
                const struct sign_key *key, int64_t now_ms,
                struct report_file *out, char *msg, size_t msglen);

/* Free what out owns; accepts a zeroed struct. */
void report_file_fini(struct report_file *out);

#endif
