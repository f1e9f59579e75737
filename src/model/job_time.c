/* ISO 8601 for ma_job::create_time_ms, without the C library's locale- and time-zone-bound calls. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "modelarts/ma_time.h"

/* Floor division, so times before 1970 land on the right day. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

ma_status ma_time_format_iso8601(int64_t epoch_ms, char *buf, size_t size)
{
    if (!buf)
        return MA_ERR_INVALID_ARG;
    int64_t days = floor_div(epoch_ms, 86400000);
    /* Not ms - days * 86400000: for the earliest days that product overflows. */
    int64_t rem = epoch_ms % 86400000 + (epoch_ms % 86400000 < 0 ? 86400000 : 0);
    /* Civil date from days since 1970-01-01 (proleptic Gregorian, eras of 400 years). */
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t day = doy - (153 * mp + 2) / 5 + 1;
    int64_t month = mp < 10 ? mp + 3 : mp - 9;
    int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    char text[MA_TIME_ISO8601_SIZE];
    int n =
        snprintf(text, sizeof text,
                 "%04" PRId64 "-%02" PRId64 "-%02" PRId64 "T%02" PRId64 ":%02" PRId64 ":%02" PRId64 ".%03" PRId64 "Z",
                 year, month, day, rem / 3600000, rem / 60000 % 60, rem / 1000 % 60, rem % 1000);
    if (n < 0 || (size_t)n >= sizeof text || (size_t)n >= size)
        return MA_ERR_INVALID_ARG;
    memcpy(buf, text, (size_t)n + 1);
    return MA_OK;
}
