/* The client's log callback: one formatted line at a time, secrets masked. */
#ifndef MA_ENGINE_LOG_H
#define MA_ENGINE_LOG_H

#include "engine/execute.h"
#include "util/error.h"

/* Longest line handed to the callback; longer ones end with "...". */
#define MA__LOG_LINE_MAX 2048

/* True when the client has a log callback that wants @p level. */
int ma__log_enabled(const ma_client *client, ma_log_level level);

/* Formats a line, masks the authenticator's secrets in it and hands it to the callback. */
void ma__log(ma_client *client, ma_log_level level, const char *fmt, ...) MA__PRINTF(3, 4);

/*
 * Debug: the request line and every request header, with the values of
 * secret headers and of Authorization, X-Auth-Token, X-Security-Token and
 * X-Subject-Token shown as "***". Bodies are never logged.
 */
void ma__log_request(ma_client *client, const ma__call *call, int max_attempts);

/* "GET https://host/path?query" of @p call into @p out (size @p size); "" when out of memory. */
void ma__log_request_line(ma_client *client, const ma__call *call, char *out, size_t size);

#endif
