/* Whether a failure is the service throttling the client, and the limit its message stated. */
#ifndef MA_JSON_THROTTLE_CODE_H
#define MA_JSON_THROTTLE_CODE_H

#include "modelarts/ma_error.h"

/* Non-zero for the service codes that mean "too many requests" (APIG.0308, ModelArts.6101, ...). */
int ma__is_throttle_code(const char *service_code);

/*
 * Reads "limit:N" and "time:K unit" of an APIG throttling message ("policy user over
 * ratelimit,limit:10,time:1 minute"). Sets @p limit and @p window_ms to what it found, 0 for
 * what it did not (or what does not fit an int32_t).
 */
void ma__throttle_parse_message(const char *message, int32_t *limit, int32_t *window_ms);

/* Marks @p err throttled (HTTP 429 or a throttling code) and keeps the stated limit; otherwise leaves it. */
void ma__throttle_mark(ma_error *err);

#endif
