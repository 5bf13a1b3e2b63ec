/*
 * api_stats.h — an exam's item statistics in the staff HTTP API
 * (GET /api/staff/exams/ID/stats; docs/staff-api.md). Service thread.
 */
#ifndef EXAMD_API_STATS_H
#define EXAMD_API_STATS_H

#include "api_class.h"
#include "runtime.h"

#include <stdint.h>

/* Answer GET /api/staff/exams/exam_id/stats for who: 400 for a bad
 * "attempts", 404 for no such exam, 403 for another trainer's exam, 503
 * when the workers' queue is full; otherwise the figures are computed on
 * a worker and sent when ready. */
void api_stats_request(struct runtime *rt, struct conn *c,
                       const struct staff_who *who, int64_t exam_id);

#endif
