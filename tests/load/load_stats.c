/*
 * load_stats.c — error names and merging of worker statistics.
 */
#include "load.h"

#include <string.h>
#include <time.h>

static const char *const load_err_names[LOAD_ERR_COUNT] = {
    [LERR_BAD_JSON] = "bad_json", [LERR_BAD_MESSAGE] = "bad_message",
    [LERR_UNKNOWN_TYPE] = "unknown_type", [LERR_NOT_FOUND] = "not_found",
    [LERR_FORBIDDEN] = "forbidden", [LERR_EXAM_CLOSED] = "exam_closed",
    [LERR_NO_ATTEMPTS] = "no_attempts_left",
    [LERR_NOT_ON_PAPER] = "not_on_paper", [LERR_BAD_OPTION] = "bad_option",
    [LERR_BAD_SEQ] = "bad_seq", [LERR_ATTEMPT_CLOSED] = "attempt_closed",
    [LERR_TOO_LATE] = "too_late", [LERR_BUSY] = "busy",
    [LERR_INTERNAL] = "internal", [LERR_SERVER_OTHER] = "server_other",
    [LERR_CONNECT] = "client_connect", [LERR_HANDSHAKE] = "client_handshake",
    [LERR_CLOSED] = "client_closed", [LERR_PROTOCOL] = "client_protocol",
    [LERR_TIME_MISMATCH] = "client_time_mismatch",
    [LERR_NO_PAPER] = "client_no_paper", [LERR_NO_RESULT] = "client_no_result",
    [LERR_UNACKED] = "client_unacked",
};

const char *load_err_name(int e)
{
    return e >= 0 && e < LOAD_ERR_COUNT ? load_err_names[e] : "?";
}

int load_err_from_code(const char *code)
{
    for (int i = 0; code && i < LERR_SERVER_OTHER; i++)
        if (!strcmp(code, load_err_names[i]))
            return i;
    return LERR_SERVER_OTHER;
}

void load_stats_init(struct load_stats *s)
{
    memset(s, 0, sizeof *s);
    s->first_start_real_us = s->first_deadline_real_us = INT64_MAX;
}

static void load_min(int64_t *d, int64_t s)
{
    if (s < *d)
        *d = s;
}

static void load_max(int64_t *d, int64_t s)
{
    if (s > *d)
        *d = s;
}

void load_stats_merge(struct load_stats *d, const struct load_stats *s)
{
    /* The counters are the leading uint64_t fields up to the times. */
    uint64_t *dc = &d->conns;
    const uint64_t *sc = &s->conns;
    size_t n = (size_t)((const char *)&s->first_start_real_us -
                        (const char *)&s->conns) / sizeof(uint64_t);
    for (size_t i = 0; i < n; i++)
        dc[i] += sc[i];
    load_min(&d->first_start_real_us, s->first_start_real_us);
    load_max(&d->last_paper_real_us, s->last_paper_real_us);
    load_min(&d->first_deadline_real_us, s->first_deadline_real_us);
    load_max(&d->last_deadline_real_us, s->last_deadline_real_us);
    load_max(&d->last_result_real_us, s->last_result_real_us);
    load_hist_merge(&d->ack, &s->ack);
    load_hist_merge(&d->paper, &s->paper);
    load_hist_merge(&d->bcast, &s->bcast);
    load_hist_merge(&d->late, &s->late);
    load_hist_merge(&d->echo, &s->echo);
    for (int i = 0; i < LOAD_ERR_COUNT; i++)
        d->err[i] += s->err[i];
}
