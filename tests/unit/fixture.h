/*
 * fixture.h — a small exam built in memory for the unit tests: n questions,
 * question i has 4 options and key option (i % 4); every third question
 * is multi-answer with key {0, 2}.
 */
#ifndef EXAMD_FIXTURE_H
#define EXAMD_FIXTURE_H

#include "exam.h"

#include <jansson.h>
#include <stdio.h>

static inline struct exam *fixture_exam(int n_pool, int n_paper, bool shuffle)
{
    json_t *pool = json_array();
    for (int i = 0; i < n_pool; i++) {
        char text[64];
        snprintf(text, sizeof text, "Câu hỏi số %d?", i + 1);
        bool multi = i % 3 == 2;
        json_t *key = multi ? json_pack("[ii]", 0, 2) : json_pack("[i]", i % 4);
        json_array_append_new(
            pool, json_pack("{sI ss ss si sb s[ssss] so}", "id",
                            (json_int_t)(100 + i), "text", text, "topic", "T",
                            "difficulty", 0, "multi", multi, "options", "A",
                            "B", "C", "D", "key", key));
    }
    json_t *snap =
        json_pack("{ss ss si si si ss sb sb sI sI so}", "title", "Kiểm tra",
                  "description", "", "n_paper", n_paper, "duration_s", 600,
                  "attempts", 1, "review", "full", "shuffle_questions", shuffle,
                  "shuffle_options", shuffle, "opens_ms", (json_int_t)0,
                  "closes_ms", (json_int_t)0, "pool", pool);
    char msg[256];
    struct exam *e = exam_from_json(snap, msg, sizeof msg);
    if (!e)
        fprintf(stderr, "fixture: %s\n", msg);
    json_decref(snap);
    return e;
}

#endif
