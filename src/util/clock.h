/* The clock/sleep seam: time is read and waited on only through this, so tests can control it. */
#ifndef MA_UTIL_CLOCK_H
#define MA_UTIL_CLOCK_H

#include <stdint.h>

typedef struct ma__clock {
    int64_t (*monotonic_ms)(void *ctx); /* for deadlines and back-off */
    int64_t (*epoch_ms)(void *ctx);     /* wall time: Retry-After dates, request signing */
    void (*sleep_ms)(void *ctx, int64_t ms);
    void *ctx;
} ma__clock;

/* CLOCK_MONOTONIC, CLOCK_REALTIME and nanosleep. */
const ma__clock *ma__system_clock(void);

/* CLOCK_MONOTONIC in ms, whatever clock a client uses: for libcurl's timers, which run on real time. */
int64_t ma__system_monotonic_ms(void);

#endif
