/*
 * Pieces for tests that drive the libcurl transport directly: a hand-made
 * endpoint, default settings, one exchange with its request and response,
 * and an exchange source over an array.
 */
#ifndef MA_TEST_TRANSPORT_KIT_H
#define MA_TEST_TRANSPORT_KIT_H

#include <stddef.h>
#include <stdint.h>

#include "http/request.h"
#include "http/transport.h"

typedef struct kit_endpoint {
    ma__endpoint ep;
    char scheme[8];
    char host[64];
    char prefix[64];
    char host_header[96];
} kit_endpoint;

/* scheme "http"/"https", host as in a URL, explicit port; prefix "". */
void kit_endpoint_init(kit_endpoint *k, const char *scheme, const char *host, uint16_t port);

/* connect 30 s, total 60 s, verify on, no CA file, 1 MiB cap, system clock. */
ma__curl_settings kit_settings(void);
/* ma__curl_transport_new on the test allocator; fails the test on error. */
ma__transport *kit_transport_new(const ma__curl_settings *s);

typedef struct kit_exchange {
    ma__http_request req;
    ma__http_response resp;
    ma__exchange x;
} kit_exchange;

/* A request on the test allocator; x.user points back at @p k. */
void kit_exchange_init(kit_exchange *k, const char *method, const ma__endpoint *ep);
/* Adds "v1", @p project, "training-jobs". */
void kit_list_path(kit_exchange *k, const char *project);
void kit_param(kit_exchange *k, const char *name, const char *value);
void kit_header(kit_exchange *k, const char *name, const char *value, int secret);
void kit_attempt_header(kit_exchange *k, const char *name, const char *value, int secret);
void kit_exchange_free(kit_exchange *k);

/* A source over @p n exchanges; done() stops the batch after @p stop_after reports (0 = never). */
typedef struct kit_batch {
    kit_exchange *items;
    size_t n;
    size_t next;
    size_t reported;
    size_t order[64]; /* index of each reported exchange, in report order */
    size_t stop_after;
} kit_batch;

ma__exchange_source kit_batch_source(kit_batch *b);

/* Monotonic milliseconds. */
int64_t kit_now_ms(void);

/* Occurrences of @p needle in @p len bytes at @p hay. */
size_t kit_count(const char *hay, size_t len, const char *needle);

#endif
