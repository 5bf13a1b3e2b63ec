/* test_deadline.c — the deadline heap against a sorted-array model. */
#include "check.h"
#include "deadline.h"

#include <stdlib.h>

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    struct deadline_heap h;
    deadline_init(&h);
    CHECK_EQ_INT(deadline_next(&h), INT64_MAX);
    int64_t model[5000];
    int n = 0;
    uint64_t s = 12345;
    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 1000; i++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            int64_t due = (int64_t)(s >> 40) % 100000;
            model[n++] = due;
            CHECK_EQ_INT(deadline_push(&h, due, n), 0);
        }
        qsort(model, (size_t)n, sizeof *model, cmp64);
        int64_t now = model[n / 2];
        struct deadline_entry e;
        int popped = 0, bad = 0;
        while (deadline_pop_due(&h, now, &e)) {
            if (e.due_ms != model[popped] || e.due_ms > now)
                bad++;
            popped++;
        }
        CHECK_EQ_INT(bad, 0);
        int expect = 0;
        while (expect < n && model[expect] <= now)
            expect++;
        CHECK_EQ_INT(popped, expect);
        memmove(model, model + popped, sizeof *model * (size_t)(n - popped));
        n -= popped;
        CHECK_EQ_INT(h.n, n);
        CHECK_EQ_INT(deadline_next(&h), n ? model[0] : INT64_MAX);
    }
    deadline_fini(&h);
    return check_done("test_deadline");
}
