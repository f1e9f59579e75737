/*
 * Per-client token buckets of the throttling fault, as API Gateway applies a
 * "limit per window" policy: each client's bucket holds at most `limit`
 * tokens and refills continuously at limit / window. Not locked: the fault
 * rules call it under their mutex.
 */
#ifndef MA_FAKE_THROTTLE_H
#define MA_FAKE_THROTTLE_H

#include <stdint.h>

#include <microhttpd.h>

typedef struct fake_throttle fake_throttle;

/** Empty buckets table for @p limit requests per @p window_ms (both > 0); NULL when out of memory. */
fake_throttle *fake_throttle_new(unsigned int limit, unsigned int window_ms);
void fake_throttle_free(fake_throttle *t);

/**
 * Takes a token from @p key's bucket at @p now_ns (a monotonic clock; a new
 * key starts with a full bucket): 1 when there was one, 0 when the request is
 * throttled (then *wait_ns is the time until the next token), -1 when out of
 * memory.
 */
int fake_throttle_take(fake_throttle *t, const char *key, uint64_t now_ns, uint64_t *wait_ns);

/**
 * Who a request counts against: "token:" and its X-Auth-Token, else "ak:" and
 * the AK of an SDK-HMAC-SHA256 Authorization header, else "ip:" and the peer
 * address. malloc'd; NULL when out of memory.
 */
char *fake_throttle_client_key(struct MHD_Connection *connection);

#endif
