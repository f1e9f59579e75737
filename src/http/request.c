/*
 * The structured request and its renderer. Every segment, parameter name and
 * value is stored raw and percent-encoded exactly once, here.
 */
#include <stdio.h>
#include <string.h>

#include "http/request.h"
#include "util/alloc.h"
#include "util/text.h"

void ma__request_init(ma__http_request *req, const ma_allocator *alloc, const char *method,
                      const ma__endpoint *endpoint)
{
    memset(req, 0, sizeof *req);
    req->method = method;
    req->endpoint = endpoint;
    req->query.alloc = alloc;
    ma__headers_init(&req->headers, alloc);
    ma__headers_init(&req->attempt_headers, alloc);
    ma__buf_init(&req->body, alloc);
}

void ma__request_free(ma__http_request *req)
{
    const ma_allocator *alloc = req->query.alloc;
    for (size_t i = 0; i < req->query.count; i++) {
        ma__free(alloc, req->query.items[i].name);
        ma__free(alloc, req->query.items[i].value);
    }
    ma__free(alloc, req->query.items);
    req->query.items = NULL;
    req->query.count = 0;
    req->query.cap = 0;
    ma__headers_free(&req->headers);
    ma__headers_free(&req->attempt_headers);
    if (req->body_secret)
        ma__buf_free_secure(&req->body);
    else
        ma__buf_free(&req->body);
    req->segment_count = 0;
}

int ma__request_add_segment(ma__http_request *req, const char *segment)
{
    if (req->segment_count >= MA__PATH_SEGMENTS_MAX)
        return -1;
    req->segments[req->segment_count++] = segment;
    return 0;
}

int ma__request_add_param(ma__http_request *req, const char *name, const char *value, size_t value_len)
{
    ma__param_list *q = &req->query;
    if (q->count == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 8;
        int overflow = 0;
        size_t bytes = ma__size_mul(cap, sizeof *q->items, &overflow);
        if (overflow)
            return -1;
        ma__param *items = ma__realloc(q->alloc, q->items, bytes);
        if (!items)
            return -1;
        q->items = items;
        q->cap = cap;
    }
    char *n = ma__strdup(q->alloc, name);
    char *v = n ? ma__strndup(q->alloc, value, value_len) : NULL;
    if (!v) {
        ma__free(q->alloc, n);
        return -1;
    }
    q->items[q->count].name = n;
    q->items[q->count].value = v;
    q->count++;
    return 0;
}

int ma__request_render_path(const ma__http_request *req, ma__buf *out)
{
    const char *prefix = req->endpoint && req->endpoint->prefix ? req->endpoint->prefix : "";
    if (ma__buf_append_str(out, prefix) != 0)
        return -1;
    for (size_t i = 0; i < req->segment_count; i++) {
        const char *seg = req->segments[i];
        if (ma__buf_append_char(out, '/') != 0 || ma__pct_encode(out, seg, strlen(seg)) != 0)
            return -1;
    }
    /* No segment at all is the root, never an empty path. */
    if (req->segment_count == 0 && prefix[0] == '\0' && ma__buf_append_char(out, '/') != 0)
        return -1;
    return 0;
}

int ma__request_render_query(const ma__http_request *req, ma__buf *out)
{
    /* Appending nothing still leaves a valid (NUL-terminated) buffer. */
    if (ma__buf_reserve(out, 0) != 0)
        return -1;
    for (size_t i = 0; i < req->query.count; i++) {
        const ma__param *p = &req->query.items[i];
        if ((i > 0 && ma__buf_append_char(out, '&') != 0) || ma__pct_encode(out, p->name, strlen(p->name)) != 0 ||
            ma__buf_append_char(out, '=') != 0 || ma__pct_encode(out, p->value, strlen(p->value)) != 0)
            return -1;
    }
    return 0;
}

int ma__request_render_url(const ma__http_request *req, ma__buf *out)
{
    const ma__endpoint *ep = req->endpoint;
    if (!ep || !ep->scheme || !ep->host)
        return -1;
    if (ma__buf_append_str(out, ep->scheme) != 0 || ma__buf_append_str(out, "://") != 0 ||
        ma__buf_append_str(out, ep->host) != 0)
        return -1;
    if (ep->port > 0) {
        char port[16];
        snprintf(port, sizeof port, ":%d", ep->port);
        if (ma__buf_append_str(out, port) != 0)
            return -1;
    }
    if (ma__request_render_path(req, out) != 0)
        return -1;
    if (req->query.count > 0 && (ma__buf_append_char(out, '?') != 0 || ma__request_render_query(req, out) != 0))
        return -1;
    return 0;
}
