/*
 * ma-jobs wait after a failed look: whether looking again can help, how long
 * to pause before it, and how the failure reads in its progress line. Pure, so
 * the rules are unit-tested without a server or a clock.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

int cli_wait_failure_is_final(const ma_error *err)
{
    /* A throttling code says "later" whatever the HTTP status (ModelArts.4206 comes with 400). */
    if (err->throttled) {
        return 0;
    }
    switch (err->status) {
    case MA_ERR_TRANSPORT:
    case MA_ERR_TIMEOUT:
    case MA_ERR_RATE_LIMITED:
    case MA_ERR_SERVER:
        return 0;
    /*
     * Final: 401/403 (repeating a rejected signature can lock the key), 404 (a
     * wrong endpoint or project), a request the service refuses (4xx, or
     * is_success false) or that was never sent, a redirect, TLS verification,
     * and an answer that arrived whole but cannot be read (a malformed or too
     * large body reads the same the next time; a cut-off one is a transport error).
     */
    default:
        return 1;
    }
}

/* The time the stated limit grants one request: "limit:10,time:1 minute" is 6 s; -1 when none was stated. */
static int64_t stated_pace_ms(const ma_error *err)
{
    if (err->throttle_limit <= 0 || err->throttle_window_ms <= 0) {
        return -1;
    }
    return ((int64_t)err->throttle_window_ms + err->throttle_limit - 1) / err->throttle_limit;
}

int cli_wait_pause_is_stated(const ma_error *err)
{
    return err->retry_after_ms >= 0 || (err->throttled && stated_pace_ms(err) >= 0);
}

int64_t cli_wait_failure_pause(const ma_error *err, int64_t interval_ms, int failures, double jitter)
{
    if (jitter < 0 || jitter >= 1) {
        jitter = 0;
    }
    if (err->throttled) {
        int64_t stated = err->retry_after_ms >= 0 ? err->retry_after_ms : stated_pace_ms(err);
        if (stated >= 0) {
            /* The service said when: never sooner, nor sooner than the usual pace; spread upwards by a tenth. */
            int64_t base = stated > interval_ms ? stated : interval_ms;
            return base + (int64_t)(jitter * (double)(base / 10));
        }
    }
    /* Doubling from the interval: the n'th failure in a row pauses between interval * 2^(n-1) and * 2^n. */
    int64_t cap = interval_ms > CLI_WAIT_PAUSE_CAP_MS ? interval_ms : CLI_WAIT_PAUSE_CAP_MS;
    int64_t top = interval_ms;
    for (int i = 0; i < failures && top < cap; i++) {
        top *= 2;
    }
    if (top > cap) {
        top = cap;
    }
    int64_t pause = top / 2 + (int64_t)(jitter * (double)(top - top / 2));
    if (pause < interval_ms) {
        pause = interval_ms; /* the jitter of a capped pause never polls sooner than usual */
    }
    /* A 503 may say when too. */
    return err->retry_after_ms > pause ? err->retry_after_ms : pause;
}

/* "1 minute", "10 seconds", "1500 ms". */
static void window_text(int32_t ms, char *buf, size_t size)
{
    if (ms % 60000 == 0) {
        snprintf(buf, size, "%d minute%s", ms / 60000, ms == 60000 ? "" : "s");
    } else if (ms % 1000 == 0) {
        snprintf(buf, size, "%d second%s", ms / 1000, ms == 1000 ? "" : "s");
    } else {
        snprintf(buf, size, "%d ms", ms);
    }
}

void cli_wait_describe_failure(const ma_error *err, char *buf, size_t size)
{
    const char *what = err->throttled ? "throttled" : ma_status_name(err->status);
    if (err->http_status == 0 || err->transport_code != 0) {
        /* No (whole) answer: only the library's message tells what happened (refused, reset, cut off). */
        const char *m = err->message[0] != '\0' ? err->message : ma_status_str(err->status);
        /* Without its "page 1: GET <url>: " start, the same for every poll. */
        const char *url = strstr(m, "://");
        const char *rest = url != NULL ? strstr(url, ": ") : NULL;
        snprintf(buf, size, "%s: %s", what, rest != NULL ? rest + 2 : m);
        return;
    }
    int n = snprintf(buf, size, "%s: HTTP %d%s%s", what, err->http_status, err->service_code[0] != '\0' ? " " : "",
                     err->service_code);
    size_t used = n < 0 ? 0 : (size_t)n < size ? (size_t)n : size;
    if (err->throttled && err->throttle_limit > 0 && err->throttle_window_ms > 0 && used < size) {
        char window[32];
        window_text(err->throttle_window_ms, window, sizeof window);
        n = snprintf(buf + used, size - used, ", limit %d per %s", err->throttle_limit, window);
        used += n < 0 ? 0 : (size_t)n < size - used ? (size_t)n : size - used;
    }
    if (err->retry_after_ms >= 0 && used < size) {
        char after[40];
        cli_format_elapsed(err->retry_after_ms, after, sizeof after);
        snprintf(buf + used, size - used, ", Retry-After %s", after);
    }
}
