/* Step 6 of the execute loop: whether a failed attempt is tried again, and after how long. */
#ifndef MA_ENGINE_RETRY_H
#define MA_ENGINE_RETRY_H

#include <stdint.h>

#include "engine/runtime.h"
#include "modelarts/ma_client.h"

/*
 * Non-zero when an attempt that ended with @p status is worth repeating: HTTP
 * 429, 502, 503 or 504, or no response at all and the transport said that
 * sending again is safe (@p transport_retryable). Never any other HTTP status.
 */
int ma__retry_is_retryable(ma_status status, int http_status, int transport_retryable);

/*
 * The wait before retry @p retry after a throttled response: the server's
 * Retry-After when it sent one (-1 when longer than max_delay, as above), else
 * a random time in [floor, min(max_delay, base * 2^(retry-1))] with base
 * MA_THROTTLE_BASE_DELAY_MS (or the policy's, when larger) and floor the time
 * one request of the stated limit takes (@p window_ms / @p limit; 0 when the
 * message stated none), never more than max_delay.
 */
int64_t ma__retry_throttled_delay_ms(const ma_retry_policy *policy, const ma__random *random, int retry,
                                     int64_t retry_after_ms, int32_t limit, int32_t window_ms);

/*
 * The wait before retry @p retry (1 for the second attempt): the server's
 * Retry-After (@p retry_after_ms >= 0) when it sent one, else a random time in
 * [0, min(max_delay, base_delay * 2^(retry-1))]; never more than max_delay.
 * -1 when the server's Retry-After is longer than max_delay: no retry then.
 */
int64_t ma__retry_delay_ms(const ma_retry_policy *policy, const ma__random *random, int retry, int64_t retry_after_ms);

/* @p now_ms + @p delay_ms, saturated at INT64_MAX (a policy may allow delays near LONG_MAX). */
int64_t ma__retry_add_ms(int64_t now_ms, int64_t delay_ms);

#endif
