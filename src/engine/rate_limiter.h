/*
 * The client-side rate limiter (the AWS SDKs' "adaptive" retry mode): a token
 * bucket that every request takes a token from, with a fill rate that backs
 * off when the service throttles and grows back along a CUBIC curve while it
 * does not. An adaptive limiter stays off until the first throttled response,
 * so a client that is never throttled never waits. A fixed rate is a plain
 * token bucket, on from the start.
 *
 * Times are monotonic milliseconds from the caller (the engine reads its
 * client's clock), so this module never reads a clock and never sleeps. A
 * client is used by one thread at a time: no locks.
 *
 * The model, in seconds and requests per second:
 *  - Measured rate: responses are counted in half-second windows; when a
 *    window closes, its rate (count / time since the last closed window)
 *    goes into an exponential smoothing: measured = 0.8 * window + 0.2 * old.
 *  - A throttled response at time t: W_max = the rate being sent at (the
 *    measured rate, and no more than the fill rate once the bucket is in
 *    use), K = cbrt(W_max * (1 - 0.7) / 0.4), and the new rate is 0.7 * W_max.
 *  - A success at time t: rate = 0.4 * (t - t_throttle - K)^3 + W_max, which
 *    is 0.7 * W_max just after the throttle, W_max again K seconds later and
 *    above it after that.
 *  - Every new rate is at most 2 * measured (and at most the fixed rate when
 *    there is one); the fill rate is at least 0.5 (or the fixed rate when that
 *    is lower), the bucket holds max(1, rate) tokens.
 */
#ifndef MA_ENGINE_RATE_LIMITER_H
#define MA_ENGINE_RATE_LIMITER_H

#include <stdint.h>

/* Lowest fill rate an adaptive limiter falls to, in requests per second. */
#define MA__RATE_LIMITER_MIN_RPS 0.5
/* Highest rate the limiter works with; larger values (a fixed rate, a curve hours past a throttle) are cut to it. */
#define MA__RATE_LIMITER_MAX_RPS 1e9

typedef struct ma__rate_limiter {
    int adaptive;     /* turns itself on at the first throttled response */
    int enabled;      /* requests take tokens */
    int cubic;        /* a throttle has been seen: the fill rate follows the curve */
    double fixed_rps; /* cap in requests/s; 0 = none */
    /* the token bucket */
    double fill_rps;   /* tokens per second while enabled */
    double capacity;   /* at least 1 */
    double tokens;     /* 0..capacity */
    int64_t filled_ms; /* when the tokens were last brought up to date */
    int filled_ms_set; /* 0 until the first acquire or throttle */
    /* the measured rate of responses */
    double measured_rps;
    int64_t window;       /* index of the current half-second window */
    int64_t window_count; /* responses seen in it */
    int window_set;       /* 0 until the first response */
    /* the CUBIC curve */
    double max_rps;       /* W_max: the rate at the last throttle */
    double k_s;           /* K: seconds after the last throttle at which the curve is back at W_max */
    int64_t throttled_ms; /* time of the last throttle */
    double stated_rps;    /* a little under the limit a throttling message stated; 0 = none known */
} ma__rate_limiter;

/*
 * Sets up @p rl. @p adaptive non-zero: the limiter turns itself on at the
 * first throttled response; 0: it never does. @p fixed_rps > 0: a cap in
 * requests per second, on from the start (an adaptive limiter may still go
 * below it, never above it); 0, a negative value or NaN: no cap. The bucket
 * starts with one token.
 */
void ma__rate_limiter_init(ma__rate_limiter *rl, int adaptive, double fixed_rps);

/*
 * Before sending a request at @p now_ms: 0 when it may go now (a token is
 * taken), else the milliseconds to wait before asking again (> 0, nothing
 * taken). Always 0 while the limiter is not enabled.
 */
int64_t ma__rate_limiter_acquire(ma__rate_limiter *rl, int64_t now_ms);

/*
 * After each response received at @p now_ms; @p throttled non-zero for a
 * throttled one. Every response counts towards the measured rate. The first
 * throttled response turns an adaptive limiter on; a throttled response cuts
 * the rate to 0.7 of the rate being sent at; successes raise it along the
 * curve. Without @c adaptive only the measured rate changes.
 */
void ma__rate_limiter_on_response(ma__rate_limiter *rl, int throttled, int64_t now_ms);

/* Non-zero while requests take tokens: a fixed rate, or an adaptive limiter after a throttle. */
/*
 * A throttled response at @p now_ms stated the gateway's limit (APIG's
 * "limit:20,time:1 second" is 20 requests per second). An adaptive limiter
 * then sends at MA__RATE_LIMITER_STATED_MARGIN of it at once, instead of
 * backing off below it blindly and climbing back for seconds, and never goes
 * above it after; a lower stated limit later lowers it again. Call after
 * ma__rate_limiter_on_response() for that response. Nothing without adaptive.
 */
void ma__rate_limiter_on_stated_limit(ma__rate_limiter *rl, double stated_rps, int64_t now_ms);

/* Share of a stated limit the limiter sends at: what other clients of the same user may take is unknown. */
#define MA__RATE_LIMITER_STATED_MARGIN 0.95

int ma__rate_limiter_enabled(const ma__rate_limiter *rl);

/* The current fill rate in requests per second; 0 while the limiter is off. */
double ma__rate_limiter_rate(const ma__rate_limiter *rl);

#endif
