/* UTF-8 validation and RFC 3986 percent-encoding. */
#ifndef MA_UTIL_TEXT_H
#define MA_UTIL_TEXT_H

#include <stddef.h>

#include "util/buf.h"

/*
 * Strict UTF-8 check (no overlong forms, no surrogates, nothing above
 * U+10FFFF). Returns 1 and the number of code points in *chars, or 0.
 */
int ma__utf8_validate(const char *s, size_t len, size_t *chars);

/* True when @p s has no byte below 0x20 and no DEL. */
int ma__no_control_bytes(const char *s, size_t len);

/*
 * Appends @p s percent-encoded: unreserved characters (A-Z a-z 0-9 - . _ ~)
 * stay, every other byte becomes %XX with upper-case hex. Returns 0 or -1 (OOM).
 */
int ma__pct_encode(ma__buf *out, const char *s, size_t len);

#endif
