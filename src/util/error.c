#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"

/* Every status with its description; the assertions keep it in step with the public enum. */
#define MA_STATUS_LIST(X)                                                                \
    X(MA_OK, 0, "success")                                                               \
    X(MA_ERR_INVALID_ARG, -1, "invalid argument")                                        \
    X(MA_ERR_NOMEM, -2, "out of memory")                                                 \
    X(MA_ERR_NOT_INITIALIZED, -3, "ma_global_init() has not been called")                \
    X(MA_ERR_TRANSPORT, -4, "network transport failure")                                 \
    X(MA_ERR_TIMEOUT, -5, "operation timed out")                                         \
    X(MA_ERR_TLS, -6, "TLS failure")                                                     \
    X(MA_ERR_UNAUTHORIZED, -7, "not authenticated (HTTP 401) or not allowed (HTTP 403)") \
    X(MA_ERR_NOT_FOUND, -8, "resource not found (HTTP 404)")                             \
    X(MA_ERR_RATE_LIMITED, -9, "rate limited (HTTP 429)")                                \
    X(MA_ERR_SERVER, -10, "server error (HTTP 5xx)")                                     \
    X(MA_ERR_SERVICE, -11, "the service reported a failure")                             \
    X(MA_ERR_PROTOCOL, -12, "malformed response from the service")                       \
    X(MA_ERR_RESPONSE_TOO_LARGE, -13, "response larger than the configured limit")       \
    X(MA_ERR_HTTP, -14, "unexpected HTTP status")                                        \
    X(MA_ERR_CANCELLED, -15, "cancelled by the caller")

#define MA_STATUS_CHECK_VALUE(name, value, text) _Static_assert(name == (value), #name " keeps its value");
MA_STATUS_LIST(MA_STATUS_CHECK_VALUE)
#undef MA_STATUS_CHECK_VALUE

void ma_error_clear(ma_error *err)
{
    if (!err)
        return;
    /* Field by field: the strings' tails need no writing, and this runs on every call. */
    err->status = MA_OK;
    err->http_status = 0;
    err->transport_code = 0;
    err->retry_after_ms = -1;
    err->service_code[0] = '\0';
    err->request_id[0] = '\0';
    err->message[0] = '\0';
    err->attempts = 0;
    err->failed_page = 0;
    err->throttled = 0;
    err->retries_suspended = 0;
    err->throttle_limit = 0;
    err->throttle_window_ms = 0;
    memset(err->reserved, 0, sizeof err->reserved);
}

const char *ma_status_str(ma_status status)
{
    switch (status) {
#define MA_STATUS_STR_CASE(name, value, text) \
    case name:                                \
        return text;
        MA_STATUS_LIST(MA_STATUS_STR_CASE)
#undef MA_STATUS_STR_CASE
    }
    return "unknown status";
}

const char *ma_status_name(ma_status status)
{
    switch (status) {
#define MA_STATUS_NAME_CASE(name, value, text) \
    case name:                                 \
        return #name;
        MA_STATUS_LIST(MA_STATUS_NAME_CASE)
#undef MA_STATUS_NAME_CASE
    }
    return "MA_STATUS_UNKNOWN";
}

/* Ends the buffer with "..." without leaving half a UTF-8 sequence before it. */
static void mark_truncated(char *dst, size_t dst_size)
{
    if (dst_size < 4)
        return;
    size_t cut = dst_size - 4;
    while (cut > 0 && ((unsigned char)dst[cut] & 0xC0) == 0x80)
        cut--;
    memcpy(dst + cut, "...", 4);
}

ma_status ma__error_set(ma_error *err, ma_status status, const char *fmt, ...)
{
    if (!err)
        return status;
    err->status = status;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    if (n < 0)
        err->message[0] = '\0';
    else if ((size_t)n >= sizeof err->message)
        mark_truncated(err->message, sizeof err->message);
    return status;
}

void ma__copy_text(char *dst, size_t dst_size, const char *src, size_t src_len)
{
    if (dst_size == 0)
        return;
    size_t n = src_len < dst_size - 1 ? src_len : dst_size - 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)src[i];
        dst[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    dst[n] = '\0';
    if (src_len > n)
        mark_truncated(dst, dst_size);
}
