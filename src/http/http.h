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

typedef struct ma__http_response {
    int status; /* 0 until a status line arrived */
    ma__header_list headers;
    ma__buf body;
} ma__http_response;

void ma__http_response_init(ma__http_response *resp, const ma_allocator *alloc);
void ma__http_response_free(ma__http_response *resp);

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
