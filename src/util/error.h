/* Filling the caller's ma_error: never allocates, always NUL-terminates. */
#ifndef MA_UTIL_ERROR_H
#define MA_UTIL_ERROR_H

#include <stddef.h>

#include "modelarts/ma_error.h"

#if defined(__GNUC__) || defined(__clang__)
#define MA__PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define MA__PRINTF(fmt_index, first_arg)
#endif

/* Sets status and a formatted message; returns @p status so callers can `return ma__error_set(...)`. */
ma_status ma__error_set(ma_error *err, ma_status status, const char *fmt, ...) MA__PRINTF(3, 4);

/*
 * Copies untrusted text (e.g. from a server) into a fixed buffer: control
 * bytes become '?', and text that does not fit ends with "...".
 */
void ma__copy_text(char *dst, size_t dst_size, const char *src, size_t src_len);

#endif
