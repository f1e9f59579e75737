#include <errno.h>
#include <time.h>

#include "util/clock.h"

static int64_t read_ms(clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0)
        return 0;
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t system_monotonic_ms(void *ctx)
{
    (void)ctx;
    return read_ms(CLOCK_MONOTONIC);
}

static int64_t system_epoch_ms(void *ctx)
{
    (void)ctx;
    return read_ms(CLOCK_REALTIME);
}

static void system_sleep_ms(void *ctx, int64_t ms)
{
    (void)ctx;
    if (ms <= 0)
        return;
    struct timespec req = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L}, rem;
    while (nanosleep(&req, &rem) != 0 && errno == EINTR)
        req = rem;
}

static const ma__clock system_clock = {system_monotonic_ms, system_epoch_ms, system_sleep_ms, NULL};

const ma__clock *ma__system_clock(void)
{
    return &system_clock;
}

int64_t ma__system_monotonic_ms(void)
{
    return read_ms(CLOCK_MONOTONIC);
}
