/**
 * @file ma_time.h
 * @brief Times for people: ma_job::create_time_ms as ISO 8601.
 * @defgroup ma_time Time
 * @{
 */
#ifndef MODELARTS_MA_TIME_H
#define MODELARTS_MA_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "ma_error.h"
#include "ma_export.h"

MA_BEGIN_DECLS

/**
 * @brief A buffer of this many bytes holds any time ma_time_format_iso8601() writes, NUL included
 * (the longest, for the extremes of int64_t, has a nine-digit year and a sign).
 * @since 0.4
 */
#define MA_TIME_ISO8601_SIZE 32

/**
 * @brief Writes @p epoch_ms (milliseconds since the Unix epoch, as in ma_job::create_time_ms)
 * as an ISO 8601 UTC time with milliseconds, e.g. "2018-04-20T02:06:30.635Z".
 *
 * Every int64_t is accepted: times before 1970 count back in the proleptic Gregorian
 * calendar, years past 9999 get more digits and years before 0000 a minus sign. No
 * locale, time zone or allocation is involved, so it is safe on any thread.
 * @param      epoch_ms Milliseconds since 1970-01-01T00:00:00Z.
 * @param[out] buf      [not nullable] Receives the NUL-terminated text; untouched on failure.
 * @param      size     Size of @p buf; #MA_TIME_ISO8601_SIZE is always enough.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG @p buf is NULL, or @p size is too small for this time (nothing is
 *                            written: a time is never cut short).
 * @since 0.4
 */
MA_API ma_status ma_time_format_iso8601(int64_t epoch_ms, char *buf, size_t size);

MA_END_DECLS

/** @} */
#endif
