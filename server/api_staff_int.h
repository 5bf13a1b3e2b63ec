/*
 * api_staff_int.h — what api_staff.c (banks, questions, routing) and
 * api_exam.c (exams: listing, publishing) share. Service thread.
 */
#ifndef EXAMD_API_STAFF_INT_H
#define EXAMD_API_STAFF_INT_H

#include "api_staff.h"
#include "netrange.h"
#include "store.h"

/* What a staff writer job does; its arg is a struct staff_op. */
struct staff_op {
    int64_t id;       /* bank or question id */
    int64_t bank_id;  /* new question: its bank */
    char name[72];    /* new bank */
    char *title;      /* owned: new bank */
    struct bank *one; /* owned: a question to save, as a 1-question bank */
    /* publishing */
    struct store_exam_spec spec; /* strings point into spec_json */
    json_t *spec_json;           /* owned */
    struct store_cell cells[EXAM_MAX_CELLS];
    int64_t fixed[EXAM_MAX_PAPER];
    char ranges[EXAM_MAX_RANGES][NETRANGE_TEXT_MAX]; /* canonical CIDRs */
    const char *range_p[EXAM_MAX_RANGES];            /* into ranges */
    char bad_range[80]; /* "the entry" of ip_ranges that is not a CIDR */
    char *snapshot;     /* owned: out, the published exam */
    int64_t exam_id;
    int64_t owner_id, class_id; /* who publishes, for which class (0) */
    struct staff_round *round;  /* owned: a contest round's extras, or NULL */
    char *grading; /* owned: the grading rules (JSON), NULL = defaults */
};

/* Free a struct staff_op (a writer job's arg_free). */
void api_staff_op_free(void *arg);

/* GET /api/staff/exams: the exams who may reach, newest first. */
void api_staff_exams(struct runtime *rt, struct conn *c,
                     const struct staff_who *who);

/* After a publishing job committed: load the exam and make it live. */
void api_staff_exam_live(struct runtime *rt, struct staff_op *op);

#endif
