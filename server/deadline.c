/* deadline.c — the deadline min-heap (see deadline.h). */
#include "deadline.h"
#include "err.h"

#include <stdlib.h>

void deadline_init(struct deadline_heap *h)
{
    h->v = NULL;
    h->n = h->cap = 0;
}

void deadline_fini(struct deadline_heap *h)
{
    free(h->v);
    deadline_init(h);
}

static bool deadline_less(const struct deadline_entry *a,
                          const struct deadline_entry *b)
{
    return a->due_ms < b->due_ms ||
           (a->due_ms == b->due_ms && a->attempt_id < b->attempt_id);
}

int deadline_push(struct deadline_heap *h, int64_t due_ms, int64_t attempt_id)
{
    if (h->n == h->cap) {
        int cap = h->cap ? h->cap * 2 : 1024;
        struct deadline_entry *v = realloc(h->v, sizeof *v * (size_t)cap);
        if (!v)
            return EXAMD_ENOMEM;
        h->v = v;
        h->cap = cap;
    }
    int i = h->n++;
    struct deadline_entry e = {due_ms, attempt_id};
    while (i > 0) {
        int parent = (i - 1) / 2;
        if (!deadline_less(&e, &h->v[parent]))
            break;
        h->v[i] = h->v[parent];
        i = parent;
    }
    h->v[i] = e;
    return 0;
}

int64_t deadline_next(const struct deadline_heap *h)
{
    return h->n ? h->v[0].due_ms : INT64_MAX;
}

bool deadline_pop_due(struct deadline_heap *h, int64_t now_ms,
                      struct deadline_entry *out)
{
    if (!h->n || h->v[0].due_ms > now_ms)
        return false;
    *out = h->v[0];
    struct deadline_entry last = h->v[--h->n];
    int i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && deadline_less(&h->v[c + 1], &h->v[c]))
            c++;
        if (!deadline_less(&h->v[c], &last))
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->n)
        h->v[i] = last;
    return true;
}
