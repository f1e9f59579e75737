#include <stdio.h>
#include <string.h>

#include "fake_clock.h"

static int64_t fake_monotonic(void *ctx)
{
    return ((fake_clock *)ctx)->now_ms;
}

static int64_t fake_epoch(void *ctx)
{
    fake_clock *c = ctx;
    return c->epoch_base_ms + c->now_ms;
}

static void fake_sleep(void *ctx, int64_t ms)
{
    fake_clock *c = ctx;
    if (c->sleep_count < FAKE_CLOCK_SLEEPS_MAX)
        c->sleeps[c->sleep_count] = ms;
    c->sleep_count++;
    if (ms > 0)
        c->now_ms += ms;
}

void fake_clock_install(fake_clock *c, ma_client *client, int64_t epoch_base_ms)
{
    memset(c, 0, sizeof *c);
    c->epoch_base_ms = epoch_base_ms;
    const ma__clock clock = {fake_monotonic, fake_epoch, fake_sleep, c};
    ma__client_set_clock(client, &clock);
}

static uint64_t fake_next(void *ctx)
{
    fake_random *r = ctx;
    uint64_t v = r->values[r->next % r->count];
    r->next++;
    return v;
}

void fake_random_install(fake_random *r, ma_client *client, const uint64_t *values, size_t count)
{
    r->values = values;
    r->count = count;
    r->next = 0;
    const ma__random random = {fake_next, r};
    ma__client_set_random(client, &random);
}

void log_capture_fn(ma_log_level level, const char *message, void *user_data)
{
    log_capture *c = user_data;
    if (c->count >= LOG_CAPTURE_LINES)
        return;
    snprintf(c->lines[c->count], LOG_CAPTURE_LINE, "%s", message);
    c->levels[c->count] = level;
    c->at_ms[c->count] = c->clock ? c->clock->now_ms : 0;
    c->count++;
}

long log_capture_find(const log_capture *c, size_t from, const char *needle)
{
    for (size_t i = from; i < c->count; i++)
        if (strstr(c->lines[i], needle))
            return (long)i;
    return -1;
}
