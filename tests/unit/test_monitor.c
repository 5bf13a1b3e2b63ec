/* test_monitor.c — the monitor's sliding window against a list of event
 * times, and its connected counts against a per-user model. */
#include "check.h"
#include "monitor.h"

#include <stdlib.h>

/* Events at times[0..n) that fall in now-59 .. now. */
static uint32_t model_sum(const int64_t *times, int n, int64_t now)
{
    uint32_t s = 0;
    for (int i = 0; i < n; i++)
        if (times[i] <= now && times[i] > now - MONITOR_WINDOW_S)
            s++;
    return s;
}

static void test_window(void)
{
    struct monitor_window w = {0};
    int64_t times[20000];
    int n = 0;
    int64_t now = 1763700000; /* epoch seconds */
    uint64_t s = 42;
    CHECK_EQ_INT(monitor_window_sum(&w, now), 0);
    for (int step = 0; step < 20000; step++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        /* time moves 0..3 s forward, sometimes jumps past the window */
        int r = (int)(s >> 60);
        now += r < 10 ? 0 : r < 14 ? 1 : r < 15 ? 3 : 61;
        monitor_window_add(&w, now);
        times[n++] = now;
        if (step % 97 == 0)
            CHECK_EQ_INT(monitor_window_sum(&w, now), model_sum(times, n, now));
    }
    /* later readings with no new events: the window drains */
    for (int k = 0; k <= MONITOR_WINDOW_S; k += 7)
        CHECK_EQ_INT(monitor_window_sum(&w, now + k),
                     model_sum(times, n, now + k));
    CHECK_EQ_INT(monitor_window_sum(&w, now + MONITOR_WINDOW_S), 0);
    /* a second bucket of the same slot, one minute later, restarts */
    struct monitor_window v = {0};
    monitor_window_add(&v, 1000);
    monitor_window_add(&v, 1000);
    monitor_window_add(&v, 1060);
    CHECK_EQ_INT(monitor_window_sum(&v, 1060), 1);
    monitor_window_add(&v, 1000); /* the clock went back: dropped */
    CHECK_EQ_INT(monitor_window_sum(&v, 1060), 1);
    CHECK_EQ_INT(monitor_window_sum(&v, 1059), 0);
}

static void test_counts(void)
{
    struct monitor *m = monitor_new();
    CHECK(m != NULL);
    CHECK(monitor_exam_get(m, 7) == NULL);
    struct monitor_unit *a = monitor_unit_get(m, 7, 3);
    struct monitor_unit *b = monitor_unit_get(m, 7, 0);
    CHECK(a && b && a != b);
    CHECK(monitor_unit_get(m, 7, 3) == a);
    CHECK(monitor_unit_get(m, 8, 3) != a);
    /* user 1 with two tabs in unit 3, user 2 with one in unit 0 */
    struct monitor_unit *c1 = NULL, *c2 = NULL, *c3 = NULL;
    monitor_conn_show(&c1, 1, a);
    monitor_conn_show(&c2, 1, a);
    monitor_conn_show(&c3, 2, b);
    CHECK_EQ_INT(a->connected, 1);
    CHECK_EQ_INT(b->connected, 1);
    monitor_conn_show(&c1, 1, a); /* no change */
    CHECK_EQ_INT(a->connected, 1);
    monitor_conn_show(&c1, 1, NULL);
    CHECK_EQ_INT(a->connected, 1); /* the second tab is still there */
    monitor_conn_show(&c2, 1, b);  /* it moves to another unit */
    CHECK_EQ_INT(a->connected, 0);
    CHECK_EQ_INT(b->connected, 2);
    CHECK(c1 == NULL && c2 == b);
    monitor_started(a);
    monitor_started(b);
    monitor_started(b);
    monitor_submitted(b);
    monitor_answer(a, 500);
    monitor_answer(b, 530);
    monitor_answer(b, 559);
    monitor_started(NULL); /* nothing counted */
    monitor_answer(NULL, 1);
    struct monitor_totals t;
    monitor_exam_totals(monitor_exam_get(m, 7), 559, &t);
    CHECK_EQ_INT(t.connected, 2);
    CHECK_EQ_INT(t.started, 3);
    CHECK_EQ_INT(t.submitted, 1);
    CHECK_EQ_INT(t.answers_min, 3);
    monitor_exam_totals(monitor_exam_get(m, 7), 560, &t);
    CHECK_EQ_INT(t.answers_min, 2);
    monitor_exam_totals(NULL, 560, &t);
    CHECK_EQ_INT(t.started, 0);
    monitor_conn_show(&c2, 1, NULL);
    monitor_conn_show(&c3, 2, NULL);
    CHECK_EQ_INT(b->connected, 0);
    /* subscriptions: one per connection, replaced, dropped */
    CHECK(monitor_sub_set(m, 11, 7) != NULL);
    CHECK(monitor_sub_set(m, 12, 7) != NULL);
    CHECK(monitor_sub_set(m, 11, 8)->exam_id == 8);
    CHECK_EQ_INT(m->n_subs, 2);
    monitor_sub_drop(m, 11);
    monitor_sub_drop(m, 99);
    CHECK_EQ_INT(m->n_subs, 1);
    CHECK_EQ_INT((int)m->subs[0].conn, 12);
    monitor_free(m);
    monitor_free(NULL);
}

int main(void)
{
    test_window();
    test_counts();
    return check_done("monitor");
}
