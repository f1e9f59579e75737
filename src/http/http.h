/*
 * The transport seam: what the library asks of an HTTP client, and what it
 * gets back. The libcurl implementation lives in transport_curl.c; tests may
 * install their own through ma__client_set_transport().
 */
#ifndef MA_HTTP_HTTP_H
#define MA_HTTP_HTTP_H

#include <stddef.h>

#include "modelarts/ma_alloc.h"
#include "modelarts/ma_error.h"
#include "util/buf.h"

/* One header field. Secret ones (tokens, signatures) are wiped when freed. */
typedef struct ma__header {
    char *name;
    char *value;
    int secret;
} ma__header;

typedef struct ma__header_list {
    ma__header *items;
    size_t count;
    size_t cap;
    const ma_allocator *alloc;
} ma__header_list;

void ma__headers_init(ma__header_list *list, const ma_allocator *alloc);
/* Copies name and value. Returns 0 or -1 (OOM). */
int ma__headers_add(ma__header_list *list, const char *name, size_t name_len, const char *value, size_t value_len,
                    int secret);
/* First value whose name matches case-insensitively, or NULL. */
const char *ma__headers_get(const ma__header_list *list, const char *name);
/* Removes every field (wiping secrets), keeping the list usable. */
void ma__headers_clear(ma__header_list *list);
void ma__headers_free(ma__header_list *list);

typedef struct ma__http_request {
    const char *method; /* "GET" */
    const char *url;    /* absolute, already encoded */
    ma__header_list headers;
} ma__http_request;

typedef struct ma__http_response {
    int status; /* 0 until a status line arrived */
    ma__header_list headers;
    ma__buf body;
} ma__http_response;

void ma__http_response_init(ma__http_response *resp, const ma_allocator *alloc);
void ma__http_response_free(ma__http_response *resp);

typedef struct ma__transport ma__transport;

typedef struct ma__transport_vtable {
    /*
     * Performs one exchange. On MA_OK @p resp holds the status, headers and
     * body whatever the HTTP status; on failure @p err says why (transport
     * code, timeout, TLS, size limit) and @p resp may be partly filled.
     */
    ma_status (*send)(ma__transport *self, const ma__http_request *req, ma__http_response *resp, ma_error *err);
    void (*destroy)(ma__transport *self);
} ma__transport_vtable;

struct ma__transport {
    const ma__transport_vtable *vtable;
};

/* Settings of the libcurl transport, copied by ma__curl_transport_new(). */
typedef struct ma__curl_settings {
    long connect_timeout_ms;
    long timeout_ms;
    const char *ca_file;
    int verify_tls;
    int allow_http; /* the endpoint itself is http */
    const char *user_agent;
    size_t max_response_bytes;
} ma__curl_settings;

ma_status ma__curl_transport_new(const ma_allocator *alloc, const ma__curl_settings *settings, ma__transport **out,
                                 ma_error *err);

/*
 * Validates and normalises an endpoint URL (scheme http/https, a host, no
 * user info, query or fragment; trailing slashes dropped). On success
 * *normalized is allocated with @p alloc and *is_http tells the scheme.
 */
ma_status ma__endpoint_normalize(const ma_allocator *alloc, const char *endpoint, char **normalized, int *is_http,
                                 ma_error *err);

/* Version string of the libcurl in use, e.g. "7.88.1"; static, never NULL. */
const char *ma__curl_version(void);

/*
 * Retry-After (RFC 9110): delta-seconds or an HTTP-date, as milliseconds
 * from @p now_epoch_ms, clamped at 0. Returns -1 when unreadable.
 */
long long ma__parse_retry_after(const char *value, long long now_epoch_ms);

/* Copies X-Request-Id and Retry-After from whatever headers arrived (also after a transport failure). */
void ma__error_take_headers(ma_error *err, const ma__header_list *headers, long long now_epoch_ms);

#endif
