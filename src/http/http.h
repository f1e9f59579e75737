/*
 * HTTP building blocks shared by every layer: header lists, responses and the
 * helpers that read them. The request is in http/request.h, the transport
 * seam in http/transport.h.
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
    int status;               /* 0 until a status line arrived */
    const char *http_version; /* static: "HTTP/1.1", "HTTP/2", ... as the transport spoke it; NULL = unknown */
    ma__header_list headers;
    ma__buf body;
} ma__http_response;

void ma__http_response_init(ma__http_response *resp, const ma_allocator *alloc);
void ma__http_response_free(ma__http_response *resp);

/* One response header line as the parser saw it. */
typedef enum ma__header_line_kind {
    MA__HEADER_LINE_FIELD = 0,  /* "Name: value": *name and *value are set */
    MA__HEADER_LINE_STATUS = 1, /* "HTTP/x y ...": a new header block; *status is set (0 when unreadable) */
    MA__HEADER_LINE_END = 2,    /* the blank line ending a block */
    MA__HEADER_LINE_OTHER = 3   /* malformed or folded: nothing to keep */
} ma__header_line_kind;

typedef struct ma__header_line {
    const char *name; /* points into the line; not NUL-terminated */
    size_t name_len;
    const char *value; /* leading and trailing white space removed */
    size_t value_len;
    int status;
} ma__header_line;

/* Classifies one raw header line (with or without its CRLF); never allocates. */
ma__header_line_kind ma__header_line_parse(const char *data, size_t len, ma__header_line *out);

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
