#include <stddef.h>

#include <curl/curl.h>

#include "http/http.h"

/* A day is far beyond any sensible back-off; larger values are clamped, not rejected. */
#define RETRY_AFTER_MAX_MS (24LL * 60 * 60 * 1000)

long long ma__parse_retry_after(const char *value, long long now_epoch_ms)
{
    if (!value || !*value)
        return -1;
    if (*value >= '0' && *value <= '9') {
        long long seconds = 0;
        const char *p = value;
        for (; *p >= '0' && *p <= '9'; p++) {
            if (seconds <= RETRY_AFTER_MAX_MS / 1000)
                seconds = seconds * 10 + (*p - '0');
        }
        if (*p != '\0')
            return -1;
        long long ms = seconds * 1000;
        return ms > RETRY_AFTER_MAX_MS ? RETRY_AFTER_MAX_MS : ms;
    }
    time_t when = curl_getdate(value, NULL);
    if (when == (time_t)-1)
        return -1;
    long long ms = (long long)when * 1000 - now_epoch_ms;
    if (ms < 0)
        return 0;
    return ms > RETRY_AFTER_MAX_MS ? RETRY_AFTER_MAX_MS : ms;
}
