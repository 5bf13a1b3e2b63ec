/*
 * deadline.h — when running attempts must be closed: a binary min-heap.
 *
 * The service thread keeps one entry per running attempt, keyed by the
 * instant it must be closed (deadline + grace, epoch ms), and arms a single
 * lws timer for the earliest. Entries are never removed early: an attempt
 * submitted by its candidate simply finds its entry stale when it pops.
 * Push and pop are O(log n); 20,000 attempts closing in the same second
 * cost microseconds each. Single-threaded (service thread).
 */
#ifndef EXAMD_DEADLINE_H
#define EXAMD_DEADLINE_H

#include <stdbool.h>
#include <stdint.h>

struct deadline_entry {
    int64_t due_ms; /* epoch ms */
    int64_t attempt_id;
};

struct deadline_heap {
    struct deadline_entry *v; /* owned */
    int n, cap;
};

void deadline_init(struct deadline_heap *h);
void deadline_fini(struct deadline_heap *h);

/* Add an entry; 0 or EXAMD_ENOMEM. */
int deadline_push(struct deadline_heap *h, int64_t due_ms, int64_t attempt_id);

/* Earliest due time, or INT64_MAX when empty. */
int64_t deadline_next(const struct deadline_heap *h);

/* Pop the earliest entry if it is due at now; true when *out is set. */
bool deadline_pop_due(struct deadline_heap *h, int64_t now_ms,
                      struct deadline_entry *out);

#endif
