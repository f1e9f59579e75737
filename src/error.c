#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal/error.h"

void ma_error_clear(ma_error *err)
{
    if (!err)
        return;
    err->status = MA_OK;
    err->http_status = 0;
    err->transport_code = 0;
    err->retry_after_ms = -1;
    err->service_code[0] = '\0';
    err->request_id[0] = '\0';
    err->message[0] = '\0';
}

const char *ma_status_str(ma_status status)
{
    switch (status) {
#define MA_STATUS_STR_CASE(name, value, text)                                                                \
    case name:                                                                                               \
        return text;
        MA_STATUS_LIST(MA_STATUS_STR_CASE)
#undef MA_STATUS_STR_CASE
    }
    return "unknown status";
}

const char *ma_status_name(ma_status status)
{
    switch (status) {
#define MA_STATUS_NAME_CASE(name, value, text)                                                               \
    case name:                                                                                               \
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
