/* The fake gateway's SDK-HMAC-SHA256 verification. */
#ifndef MA_FAKE_AKSK_H
#define MA_FAKE_AKSK_H

#include <stddef.h>

#include <microhttpd.h>

/* 1 when the request is signed with @p ak / @p sk as it arrived; else 0 and @p why says what is wrong. */
int fake_aksk_verify(struct MHD_Connection *connection, const char *method, const char *target, const char *ak,
                     const char *sk, char *why, size_t why_size);

#endif
