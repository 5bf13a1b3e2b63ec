/*
 * clock.h — the only place examd reads the clock.
 *
 * Domain code never calls these: callers pass the time in, so tests inject
 * any instant they like. Wall time (epoch ms) is what deadlines are stored
 * in, because they must survive a restart.
 */
#ifndef EXAMD_CLOCK_H
#define EXAMD_CLOCK_H

#include <stdint.h>

/* Milliseconds since the Unix epoch (CLOCK_REALTIME). Any thread. */
int64_t clock_now_ms(void);

/* Wall-clock microseconds since the epoch (latency across processes). */
int64_t clock_real_us(void);

/* Monotonic microseconds, for latency figures only. Any thread. */
int64_t clock_mono_us(void);

#endif
