/*
 * Token buckets of the throttling fault. Credit is kept in integer units
 * where one token is window_ns units and every nanosecond adds `limit`
 * units, so the refill is exact: after window / limit the bucket has gained
 * exactly one token, with no rounding drift between requests.
 */
#define _POSIX_C_SOURCE 200809L

#include "fake_throttle.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

typedef struct bucket {
    char *key;
    uint64_t credit;  /* units; window_ns per token */
    uint64_t last_ns; /* when credit was last brought up to date */
} bucket;

struct fake_throttle {
    uint64_t limit;
    uint64_t window_ns;
    bucket *buckets;
    size_t len;
    size_t cap;
};

fake_throttle *fake_throttle_new(unsigned int limit, unsigned int window_ms)
{
    if (limit == 0 || window_ms == 0) {
        return NULL;
    }
    fake_throttle *t = calloc(1, sizeof *t);
    if (t != NULL) {
        t->limit = limit;
        t->window_ns = (uint64_t)window_ms * 1000000u;
    }
    return t;
}

void fake_throttle_free(fake_throttle *t)
{
    if (t == NULL) {
        return;
    }
    for (size_t i = 0; i < t->len; i++) {
        free(t->buckets[i].key);
    }
    free(t->buckets);
    free(t);
}

/* The bucket of @p key, a full one when the key is new; NULL when out of memory. */
static bucket *bucket_of(fake_throttle *t, const char *key, uint64_t now_ns)
{
    for (size_t i = 0; i < t->len; i++) {
        if (strcmp(t->buckets[i].key, key) == 0) {
            return &t->buckets[i];
        }
    }
    if (t->len == t->cap) {
        size_t cap = t->cap != 0 ? t->cap * 2 : 8;
        bucket *grown = realloc(t->buckets, cap * sizeof *grown);
        if (grown == NULL) {
            return NULL;
        }
        t->buckets = grown;
        t->cap = cap;
    }
    char *copy = strdup(key);
    if (copy == NULL) {
        return NULL;
    }
    bucket *b = &t->buckets[t->len++];
    b->key = copy;
    b->credit = t->limit * t->window_ns;
    b->last_ns = now_ns;
    return b;
}

int fake_throttle_take(fake_throttle *t, const char *key, uint64_t now_ns, uint64_t *wait_ns)
{
    bucket *b = bucket_of(t, key, now_ns);
    if (b == NULL) {
        return -1;
    }
    /* A whole window refills a bucket from empty; clamping there keeps the product in range. */
    uint64_t elapsed = now_ns > b->last_ns ? now_ns - b->last_ns : 0;
    if (elapsed > t->window_ns) {
        elapsed = t->window_ns;
    }
    uint64_t full = t->limit * t->window_ns;
    b->credit = b->credit + elapsed * t->limit > full ? full : b->credit + elapsed * t->limit;
    b->last_ns = now_ns;
    if (b->credit >= t->window_ns) {
        b->credit -= t->window_ns;
        return 1;
    }
    if (wait_ns != NULL) {
        *wait_ns = (t->window_ns - b->credit + t->limit - 1) / t->limit;
    }
    return 0;
}

/* The AK of "SDK-HMAC-SHA256 Access=AK, SignedHeaders=..., Signature=...", or NULL. */
static const char *access_key(const char *authorization, size_t *len)
{
    static const char SCHEME[] = "SDK-HMAC-SHA256 ";
    if (authorization == NULL || strncmp(authorization, SCHEME, sizeof SCHEME - 1) != 0) {
        return NULL;
    }
    const char *access = strstr(authorization, "Access=");
    if (access == NULL) {
        return NULL;
    }
    access += 7;
    *len = strcspn(access, ", ");
    return *len > 0 ? access : NULL;
}

char *fake_throttle_client_key(struct MHD_Connection *connection)
{
    const char *token = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "X-Auth-Token");
    size_t ak_len = 0;
    const char *ak = access_key(MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Authorization"), &ak_len);
    char peer[INET6_ADDRSTRLEN] = "unknown";
    if (token == NULL && ak == NULL) {
        const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        const struct sockaddr *sa = info != NULL ? info->client_addr : NULL;
        if (sa != NULL && sa->sa_family == AF_INET) {
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, peer, sizeof peer);
        } else if (sa != NULL && sa->sa_family == AF_INET6) {
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, peer, sizeof peer);
        }
    }
    size_t size = (token != NULL ? strlen(token) : ak != NULL ? ak_len : strlen(peer)) + 8;
    char *key = malloc(size);
    if (key == NULL) {
        return NULL;
    }
    if (token != NULL) {
        snprintf(key, size, "token:%s", token);
    } else if (ak != NULL) {
        snprintf(key, size, "ak:%.*s", (int)ak_len, ak);
    } else {
        snprintf(key, size, "ip:%s", peer);
    }
    return key;
}
