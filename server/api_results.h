/*
 * api_results.h — the results of contest rounds, computed on the worker
 * pool (api_results.c) and served by api_results_http.c: the staff
 * ranking, prizes and unit figures (JSON or sheets) and the public
 * result page, which is kept once built (a published round is frozen)
 * until a staff change commits.
 */
#ifndef EXAMD_API_RESULTS_H
#define EXAMD_API_RESULTS_H

#include "sheet.h"
#include "store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* The public page lists at most this many of the ranking (?top=). */
#define RESULTS_TOP_MAX 500

/* The staff ranking as JSON is sent a page at a time (?offset=&limit=):
 * a 20,000-person round would be over a connection's reply cap. */
#define RESULTS_PAGE_DEFAULT 200
#define RESULTS_PAGE_MAX 1000

enum results_what {
    RESULTS_RANKING,
    RESULTS_PRIZES,
    RESULTS_UNITS,
    RESULTS_CONTEST_UNITS,
    RESULTS_PUBLIC,
    RESULTS_LIVE /* a live round's board and answers (live_export.c) */
};

/* What to compute; copied from the service thread's view when asked. */
struct results_req {
    int what;   /* enum results_what */
    int64_t id; /* the round; the contest for RESULTS_CONTEST_UNITS */
    bool prediction, sheet; /* the round asks one; a sheet, not JSON */
    char state[16];         /* the round's state when asked */
    int64_t closes_ms;
    char title[512];   /* the round's title (public) */
    int offset, limit; /* the staff ranking's page (JSON) */
};

/* Worker thread: compute q reading s: 0 with *reply (JSON) or, for
 * q->sheet, *sheet set (both owned by the caller); EXAMD_ENOTFOUND (no
 * such round; for the public page, not published) or another error. */
int results_compute(struct store *s, const struct results_req *q,
                    json_t **reply, struct sheet **sheet);

/* A sheet with n columns described "id|title|kind" (enum sheet_kind;
 * decimals with 2 places); NULL on malloc failure. */
struct sheet *results_sheet(const char *id, const char *title,
                            const char *const *cols, int n);

#endif
