#include "engine/rate_limiter.h"

#include <string.h>

#define WINDOW_MS      500
#define SMOOTHING      0.8 /* weight of the window that just closed */
#define CUBIC_BETA     0.7
#define CUBIC_SCALE    0.4
#define MEASURED_SCALE 2.0 /* a new rate is at most this times the measured rate */
/*
 * Tokens this close to 1 count as 1, and waits are worked out to half as close:
 * waiting the time acquire asked for is then enough despite rounding.
 */
#define TOKEN_SLACK 2e-9

static double min_d(double a, double b)
{
    return a < b ? a : b;
}

static double max_d(double a, double b)
{
    return a > b ? a : b;
}

/* Seconds from @p from_ms to @p to_ms; 0 when the clock went backwards. Exact for any two int64 values. */
static double elapsed_s(int64_t from_ms, int64_t to_ms)
{
    if (to_ms <= from_ms)
        return 0.0;
    return (double)((uint64_t)to_ms - (uint64_t)from_ms) / 1000.0;
}

/* Rounds down also for negative times (C division rounds towards zero). */
static int64_t window_of(int64_t now_ms)
{
    int64_t w = now_ms / WINDOW_MS;
    return now_ms % WINDOW_MS < 0 ? w - 1 : w;
}

/*
 * Cube root of @p x >= 0 by Newton's method (the library does not link libm).
 * Scaling by powers of 8 brings x into [1/8, 8] first, where a handful of
 * steps from 1 converge; the rates fed here are at most MA__RATE_LIMITER_MAX_RPS.
 */
static double cube_root(double x)
{
    if (!(x > 0.0))
        return 0.0;
    double scale = 1.0;
    while (x > 8.0) {
        x /= 8.0;
        scale *= 2.0;
    }
    while (x < 0.125) {
        x *= 8.0;
        scale /= 2.0;
    }
    double r = 1.0;
    for (int i = 0; i < 64; i++) {
        double next = r - (r * r * r - x) / (3.0 * r * r);
        if (next == r)
            break;
        r = next;
    }
    return r * scale;
}

/* Requests' worth of tokens the bucket starts below zero when it learns a stated limit. */
#define STATED_DEFICIT 2.0

/* Throttled answers this soon after a cut belong to requests sent before it: no second cut. */
#define CUT_GUARD_MS 500

/* Keeps NaN and infinities out of the state: anything not a number below the maximum is cut to it. */
static double clamp_rate(double rps)
{
    if (!(rps >= 0.0))
        return 0.0;
    return rps < MA__RATE_LIMITER_MAX_RPS ? rps : MA__RATE_LIMITER_MAX_RPS;
}

static void refill(ma__rate_limiter *rl, int64_t now_ms)
{
    if (!rl->filled_ms_set) {
        rl->filled_ms = now_ms;
        rl->filled_ms_set = 1;
        return;
    }
    /* A clock that went back keeps the later time: no token is granted twice for the same interval. */
    if (now_ms <= rl->filled_ms)
        return;
    double dt = elapsed_s(rl->filled_ms, now_ms);
    rl->filled_ms = now_ms;
    double room = rl->capacity - rl->tokens;
    /* Compared as a time, so hours of idling cannot overflow dt * rate: the bucket just fills. */
    if (room <= 0.0 || dt >= room / rl->fill_rps)
        rl->tokens = rl->capacity;
    else
        rl->tokens += dt * rl->fill_rps;
}

/* Sets the bucket to @p rps, counting the tokens earned so far at the old rate first. */
static void set_rate(ma__rate_limiter *rl, double rps, int64_t now_ms)
{
    refill(rl, now_ms);
    double lowest = MA__RATE_LIMITER_MIN_RPS;
    if (rl->fixed_rps > 0.0)
        lowest = min_d(lowest, rl->fixed_rps);
    if (rl->stated_rps > 0.0)
        lowest = min_d(lowest, rl->stated_rps);
    rl->fill_rps = max_d(rps, lowest);
    rl->capacity = max_d(rps, 1.0);
    rl->tokens = min_d(rl->tokens, rl->capacity);
}

/* Counts one response and returns the smoothed rate of the windows closed so far. */
static double measure(ma__rate_limiter *rl, int64_t now_ms)
{
    int64_t w = window_of(now_ms);
    if (!rl->window_set) {
        rl->window = w;
        rl->window_count = 1;
        rl->window_set = 1;
        return rl->measured_rps;
    }
    if (w > rl->window) {
        /* Idle windows in between count as empty ones: the closed window's rate is spread over them. */
        double span_s = (double)((uint64_t)w - (uint64_t)rl->window) * (WINDOW_MS / 1000.0);
        double window_rps = (double)rl->window_count / span_s;
        rl->measured_rps = clamp_rate(SMOOTHING * window_rps + (1.0 - SMOOTHING) * rl->measured_rps);
        rl->window = w;
        rl->window_count = 1;
    } else if (rl->window_count < INT64_MAX) {
        rl->window_count++;
    }
    return rl->measured_rps;
}

void ma__rate_limiter_init(ma__rate_limiter *rl, int adaptive, double fixed_rps)
{
    memset(rl, 0, sizeof *rl);
    rl->adaptive = adaptive != 0;
    if (fixed_rps > 0.0) {
        rl->fixed_rps = clamp_rate(fixed_rps);
        rl->enabled = 1;
        rl->fill_rps = rl->fixed_rps;
        rl->capacity = max_d(rl->fixed_rps, 1.0);
        rl->tokens = 1.0;
    }
}

int64_t ma__rate_limiter_acquire(ma__rate_limiter *rl, int64_t now_ms)
{
    if (!rl->enabled)
        return 0;
    refill(rl, now_ms);
    if (rl->tokens >= 1.0 - TOKEN_SLACK) {
        rl->tokens = max_d(rl->tokens - 1.0, 0.0);
        return 0;
    }
    /* Rounded up: after the wait the token is there. fill_rps > 0 while enabled; a tiny fixed rate may overflow. */
    double wait_ms = (1.0 - TOKEN_SLACK / 2 - rl->tokens) * 1000.0 / rl->fill_rps;
    if (!(wait_ms < 9.0e18))
        return INT64_MAX;
    int64_t ms = (int64_t)wait_ms;
    if ((double)ms < wait_ms)
        ms++;
    return ms > 0 ? ms : 1;
}

void ma__rate_limiter_on_response(ma__rate_limiter *rl, int throttled, int64_t now_ms)
{
    double measured = measure(rl, now_ms);
    if (!rl->adaptive)
        return;
    double rps;
    /* Unsigned: times may lie anywhere in int64_t, and the difference of two of them may not fit it. */
    if (throttled && rl->cubic && now_ms >= rl->throttled_ms &&
        (uint64_t)now_ms - (uint64_t)rl->throttled_ms < (uint64_t)CUT_GUARD_MS) {
        /* Answers to requests sent before the last cut: that cut already counted them (one cut per round). */
        return;
    }
    if (throttled) {
        /* The rate that was too much: what was measured, and no more than the bucket let through. */
        double sent = rl->enabled ? min_d(measured, rl->fill_rps) : measured;
        rl->max_rps = sent;
        rl->k_s = cube_root(sent * (1.0 - CUBIC_BETA) / CUBIC_SCALE);
        rl->throttled_ms = now_ms;
        rl->cubic = 1;
        rps = sent * CUBIC_BETA;
        if (!rl->enabled) {
            rl->enabled = 1;
            rl->tokens = 1.0;
            rl->filled_ms = now_ms;
            rl->filled_ms_set = 1;
        }
    } else {
        /* Before any throttle there is nothing to recover from: the limiter is off or at its fixed rate. */
        if (!rl->cubic)
            return;
        /* At most 1.9e16 s apart, so d^3 stays finite (< 1e49); the caps below bring it down to earth. */
        double d = elapsed_s(rl->throttled_ms, now_ms) - rl->k_s;
        rps = CUBIC_SCALE * d * d * d + rl->max_rps;
    }
    /* Twice the measured rate bounds a guess; a rate the gateway stated needs no such bound. */
    if (rl->stated_rps > 0.0)
        rps = min_d(rps, rl->stated_rps);
    else
        rps = min_d(rps, MEASURED_SCALE * measured);
    if (rl->fixed_rps > 0.0)
        rps = min_d(rps, rl->fixed_rps);
    set_rate(rl, clamp_rate(rps), now_ms);
}

void ma__rate_limiter_on_stated_limit(ma__rate_limiter *rl, double stated_rps, int64_t now_ms)
{
    if (!rl->adaptive || !rl->enabled || !(stated_rps > 0.0))
        return;
    double cap = clamp_rate(stated_rps * MA__RATE_LIMITER_STATED_MARGIN);
    /* The same limit again means others of the same user share it: the curve's cut stands. */
    if (rl->stated_rps > 0.0 && cap >= rl->stated_rps)
        return;
    rl->stated_rps = cap;
    double rps = rl->fixed_rps > 0.0 ? min_d(cap, rl->fixed_rps) : cap;
    /* The curve is at its maximum now, and the bucket empty: the gateway's is too. */
    rl->max_rps = rps;
    rl->k_s = 0.0;
    rl->throttled_ms = now_ms;
    set_rate(rl, rps, now_ms);
    /* Below the floor when the gateway says so (10 a minute is 0.17 a second). */
    rl->fill_rps = rps;
    /*
     * The gateway's bucket is empty now and refills about as fast as ours: start two requests
     * behind it, so that requests arriving closer together than they were sent still find tokens.
     */
    rl->tokens = -STATED_DEFICIT;
}

int ma__rate_limiter_enabled(const ma__rate_limiter *rl)
{
    return rl->enabled;
}

double ma__rate_limiter_rate(const ma__rate_limiter *rl)
{
    return rl->enabled ? rl->fill_rps : 0.0;
}
