/*
 * Test seams for time, randomness and logs: a clock that only moves when the
 * library sleeps (so retry tests never really wait), a random source that
 * replays given values, and a log callback that keeps every line.
 */
#ifndef MA_TEST_FAKE_CLOCK_H
#define MA_TEST_FAKE_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "modelarts/modelarts.h"

#define FAKE_CLOCK_SLEEPS_MAX 64

typedef struct fake_clock {
    int64_t now_ms;        /* monotonic; moves only by sleeps */
    int64_t epoch_base_ms; /* wall time = epoch_base_ms + now_ms */
    int64_t sleeps[FAKE_CLOCK_SLEEPS_MAX];
    size_t sleep_count;
} fake_clock;

/* Installs @p c (zeroed, at @p epoch_base_ms) as @p client's clock. */
void fake_clock_install(fake_clock *c, ma_client *client, int64_t epoch_base_ms);

/* Replays @p values (cycling) as the jitter's random numbers. */
typedef struct fake_random {
    const uint64_t *values;
    size_t count;
    size_t next;
} fake_random;
void fake_random_install(fake_random *r, ma_client *client, const uint64_t *values, size_t count);

#define LOG_CAPTURE_LINES 512
#define LOG_CAPTURE_LINE  1024

/* Every line the library logged, with its level and the fake time it came at. */
typedef struct log_capture {
    char lines[LOG_CAPTURE_LINES][LOG_CAPTURE_LINE];
    ma_log_level levels[LOG_CAPTURE_LINES];
    int64_t at_ms[LOG_CAPTURE_LINES];
    size_t count;
    const fake_clock *clock; /* optional */
} log_capture;

/* An ma_log_fn; user_data is a log_capture. */
void log_capture_fn(ma_log_level level, const char *message, void *user_data);
/* Index of the first line at or after @p from containing @p needle, or -1. */
long log_capture_find(const log_capture *c, size_t from, const char *needle);

#endif
