#include "engine/retry.h"

int ma__retry_is_retryable(ma_status status, int http_status, int transport_retryable)
{
    if (status == MA_OK)
        return 0;
    switch (http_status) {
    case 429:
    case 502:
    case 503:
    case 504:
        return 1;
    case 0:
        return transport_retryable;
    default:
        /* Any other answer is the server's verdict; a 401/403 repeated could lock an AK/SK key. */
        return 0;
    }
}

int64_t ma__retry_delay_ms(const ma_retry_policy *policy, const ma__random *random, int retry, int64_t retry_after_ms)
{
    int64_t max = policy->max_delay_ms > 0 ? policy->max_delay_ms : 0;
    /* Retrying before the server's time would only earn another 429 (and count against the quota). */
    if (retry_after_ms >= 0)
        return retry_after_ms <= max ? retry_after_ms : -1;
    int64_t cap = policy->base_delay_ms > 0 ? policy->base_delay_ms : 0;
    /* Stop doubling at max: with max near INT64_MAX one more doubling would overflow. */
    for (int i = 1; i < retry && cap < max; i++)
        cap = cap > max / 2 ? max : cap * 2;
    if (cap > max)
        cap = max;
    if (cap <= 0)
        return 0;
    return (int64_t)(random->next(random->ctx) % ((uint64_t)cap + 1));
}

int64_t ma__retry_throttled_delay_ms(const ma_retry_policy *policy, const ma__random *random, int retry,
                                     int64_t retry_after_ms, int32_t limit, int32_t window_ms)
{
    int64_t max = policy->max_delay_ms > 0 ? policy->max_delay_ms : 0;
    if (retry_after_ms >= 0)
        return retry_after_ms <= max ? retry_after_ms : -1;
    /* A per-minute limit refills one request every window/limit: sooner only earns another 429. */
    int64_t floor = window_ms > 0 ? window_ms / (limit > 0 ? limit : 1) : 0;
    if (floor > max)
        floor = max;
    int64_t cap = policy->base_delay_ms > MA_THROTTLE_BASE_DELAY_MS ? policy->base_delay_ms : MA_THROTTLE_BASE_DELAY_MS;
    for (int i = 1; i < retry && cap < max; i++)
        cap = cap > max / 2 ? max : cap * 2;
    if (cap > max)
        cap = max;
    if (cap < floor)
        cap = floor;
    return floor + (int64_t)(random->next(random->ctx) % ((uint64_t)(cap - floor) + 1));
}

int64_t ma__retry_add_ms(int64_t now_ms, int64_t delay_ms)
{
    if (delay_ms <= 0)
        return now_ms;
    return now_ms > INT64_MAX - delay_ms ? INT64_MAX : now_ms + delay_ms;
}
