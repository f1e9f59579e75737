/*
 * The structured request every call is built as. Nothing outside src/http/
 * renders or parses URLs: the renderer here is the single source of the bytes
 * that go on the wire and that a signer hashes.
 */
#ifndef MA_HTTP_REQUEST_H
#define MA_HTTP_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "http/http.h"
#include "modelarts/ma_alloc.h"
#include "util/buf.h"

/* Most path segments a request carries ("v1", project id, "training-jobs"; "v3", "auth", "tokens"). */
#define MA__PATH_SEGMENTS_MAX 8

/* An endpoint split into the parts a request and a signer need. Built by ma__endpoint_parse(). */
typedef struct ma__endpoint {
    char *scheme;      /* "https" or "http", lower case */
    char *host;        /* as written in a URL: name or IPv4 lower-cased, IPv6 in brackets */
    int port;          /* explicit port, 0 when the scheme's default */
    char *prefix;      /* path prefix in URL form, "" or "/a/b" (no trailing slash) */
    char *host_header; /* the Host header as libcurl sends it: host, plus ":port" unless the default */
    int is_loopback;   /* "localhost", a dotted quad in 127.0.0.0/8 or the address ::1; never a name */
} ma__endpoint;

/* One query parameter, both sides raw (not encoded). */
typedef struct ma__param {
    char *name;
    char *value;
} ma__param;

typedef struct ma__param_list {
    ma__param *items;
    size_t count;
    size_t cap;
    const ma_allocator *alloc;
} ma__param_list;

typedef struct ma__http_request {
    const char *method;                          /* "GET", "POST" */
    const ma__endpoint *endpoint;                /* borrowed */
    const char *segments[MA__PATH_SEGMENTS_MAX]; /* raw, borrowed; each is encoded once when rendered */
    size_t segment_count;
    ma__param_list query;            /* in the order given */
    ma__header_list headers;         /* the same on every attempt */
    ma__header_list attempt_headers; /* cleared before each attempt: date, signature, token */
    ma__buf body;                    /* empty for GET */
    int body_secret;                 /* wipe the body when it is freed (password login) */
    int64_t deadline_ms;             /* monotonic clock; 0 = none */
    const char *deadline_name;       /* which deadline it is, for messages ("total_timeout_ms") */
} ma__http_request;

/* Parses and validates @p url; messages say exactly what is wrong. */
ma_status ma__endpoint_parse(const ma_allocator *alloc, const char *url, ma__endpoint *out, ma_error *err);
void ma__endpoint_free(const ma_allocator *alloc, ma__endpoint *ep);

void ma__request_init(ma__http_request *req, const ma_allocator *alloc, const char *method,
                      const ma__endpoint *endpoint);
/* Wipes secret headers and a secret body, frees everything; the request may be initialised again. */
void ma__request_free(ma__http_request *req);
/* Returns 0, or -1 when there are already MA__PATH_SEGMENTS_MAX segments. */
int ma__request_add_segment(ma__http_request *req, const char *segment);
/* Copies both; returns 0 or -1 (OOM). */
int ma__request_add_param(ma__http_request *req, const char *name, const char *value, size_t value_len);

/* "/prefix/seg/seg": each segment percent-encoded (RFC 3986 unreserved kept). Returns 0 or -1 (OOM). */
int ma__request_render_path(const ma__http_request *req, ma__buf *out);
/* "a=1&b=x%20y" (no '?'); names and values percent-encoded; "" when there are none. */
int ma__request_render_query(const ma__http_request *req, ma__buf *out);
/* scheme "://" host [":" port] path ["?" query]. */
int ma__request_render_url(const ma__http_request *req, ma__buf *out);

#endif
