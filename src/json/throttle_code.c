/*
 * Throttling as the service reports it: API Gateway answers 429 with APIG.0308 (also spelled
 * APIGW.0308) and a message naming the policy's limit and window; ModelArts answers its own
 * codes when busy, with whatever HTTP status.
 */
#include <stdint.h>
#include <string.h>

#include "json/throttle_code.h"

static const char *const throttle_codes[] = {
    "APIG.0308", "APIGW.0308", "ModelArts.2799", "ModelArts.4206", "ModelArts.6101",
};

int ma__is_throttle_code(const char *service_code)
{
    for (size_t i = 0; i < sizeof throttle_codes / sizeof throttle_codes[0]; i++)
        if (strcmp(service_code, throttle_codes[i]) == 0)
            return 1;
    return 0;
}

/* Digits at @p p as a number no larger than @p max; -1 when there are none or too many. */
static int64_t read_number(const char **p, int64_t max)
{
    int64_t n = 0;
    const char *s = *p;
    if (*s < '0' || *s > '9')
        return -1;
    for (; *s >= '0' && *s <= '9'; s++) {
        n = n * 10 + (*s - '0');
        if (n > max)
            return -1;
    }
    *p = s;
    return n;
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Milliseconds in one @p unit ("second", "minutes", ...); 0 for a unit not known. */
static int64_t unit_ms(const char *unit)
{
    if (starts_with(unit, "millisecond") || starts_with(unit, "ms"))
        return 1;
    if (starts_with(unit, "second") || (unit[0] == 's' && (unit[1] < 'a' || unit[1] > 'z')))
        return 1000;
    if (starts_with(unit, "minute") || starts_with(unit, "min"))
        return 60000;
    if (starts_with(unit, "hour") || (unit[0] == 'h' && (unit[1] < 'a' || unit[1] > 'z')))
        return 3600000;
    if (starts_with(unit, "day"))
        return 86400000;
    return 0;
}

void ma__throttle_parse_message(const char *message, int32_t *limit, int32_t *window_ms)
{
    *limit = 0;
    *window_ms = 0;
    const char *at = strstr(message, "limit:");
    if (at) {
        at += 6;
        int64_t n = read_number(&at, INT32_MAX);
        *limit = n > 0 ? (int32_t)n : 0;
    }
    at = strstr(message, "time:");
    if (!at)
        return;
    at += 5;
    int64_t count = read_number(&at, INT32_MAX);
    while (*at == ' ')
        at++;
    int64_t ms = unit_ms(at);
    if (count > 0 && ms > 0 && count <= INT32_MAX / ms)
        *window_ms = (int32_t)(count * ms);
}

void ma__throttle_mark(ma_error *err)
{
    if (!err || (err->http_status != 429 && !ma__is_throttle_code(err->service_code)))
        return;
    err->throttled = 1;
    ma__throttle_parse_message(err->message, &err->throttle_limit, &err->throttle_window_ms);
}
