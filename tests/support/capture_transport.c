#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_transport.h"
#include "client.h"
#include "util/error.h"

static char *dup_bytes(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (!p)
        abort();
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

int capture_headers_parse(ma__header_list *list, const char *lines)
{
    int skipped = 0;
    const char *line = lines;
    while (line && *line) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        const char *colon = memchr(line, ':', len);
        if (colon) {
            const char *value = colon + 1;
            while (*value == ' ')
                value++;
            if (ma__headers_add(list, line, (size_t)(colon - line), value, len - (size_t)(value - line), 0) != 0)
                return -1;
        } else {
            skipped++;
        }
        line = end ? end + 1 : line + len;
    }
    return skipped;
}

/* Hands the scripted body to the exchange's sink in uneven pieces, as a socket would, or to resp->body. */
static ma_status deliver_body(const capture_transport *t, ma__exchange *x)
{
    const char *body = t->reply_body ? t->reply_body : "";
    size_t len = t->reply_body_len;
    if (!x->sink)
        return ma__buf_append(&x->resp->body, body, len) == 0 ? MA_OK : MA_ERR_NOMEM;
    for (size_t at = 0, piece = 1; at < len; at += piece, piece = piece * 3 + 1) {
        if (piece > len - at)
            piece = len - at;
        x->sink->write(x->sink->ctx, body + at, piece);
    }
    return MA_OK;
}

static ma_status capture_one(capture_transport *t, ma__exchange *x, ma_error *err)
{
    const ma__http_request *req = x->req;
    ma__http_response *resp = x->resp;
    t->calls++;
    snprintf(t->method, sizeof t->method, "%s", req->method);
    ma__buf url;
    ma__buf_init(&url, req->headers.alloc);
    if (ma__request_render_url(req, &url) != 0) {
        ma__buf_free(&url);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory");
    }
    snprintf(t->url, sizeof t->url, "%s", url.data);
    ma__buf_free(&url);
    size_t used = 0;
    t->headers[0] = '\0';
    const ma__header_list *parts[2] = {&req->headers, &req->attempt_headers};
    for (size_t p = 0; p < 2; p++) {
        for (size_t i = 0; i < parts[p]->count; i++) {
            int n = snprintf(t->headers + used, sizeof t->headers - used, "%s: %s\n", parts[p]->items[i].name,
                             parts[p]->items[i].value);
            if (n < 0 || (size_t)n >= sizeof t->headers - used)
                break;
            used += (size_t)n;
        }
    }
    if (t->fail_status != MA_OK) {
        if (err)
            err->transport_code = t->fail_transport_code;
        return ma__error_set(err, t->fail_status, "scripted transport failure");
    }
    resp->status = t->status;
    if (capture_headers_parse(&resp->headers, t->reply_headers) < 0)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory");
    if (deliver_body(t, x) != MA_OK)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory");
    return MA_OK;
}

static ma_status capture_run(ma__transport *self, const ma__exchange_source *source, size_t concurrency, ma_error *err)
{
    (void)concurrency;
    (void)err;
    capture_transport *t = (capture_transport *)self;
    ma__exchange *x;
    while ((x = source->next(source->ctx)) != NULL) {
        ma_error_clear(&x->err);
        x->status = capture_one(t, x, &x->err);
        x->retryable = x->status != MA_OK && t->fail_retryable;
        x->err.status = x->status;
        if (source->done(source->ctx, x) != 0)
            break;
    }
    return MA_OK;
}

static void capture_destroy(ma__transport *self)
{
    capture_transport *t = (capture_transport *)self;
    free(t->reply_headers);
    free(t->reply_body);
    free(t);
}

/* Every exchange finishes inside run(): nothing is ever left in flight. */
static void capture_abandon(ma__transport *self, const void *owner)
{
    (void)self;
    (void)owner;
}

static const ma__transport_vtable capture_vtable = {capture_run, capture_abandon, capture_destroy, NULL, NULL, NULL,
                                                    NULL};

capture_transport *capture_transport_install(ma_client *client)
{
    capture_transport *t = calloc(1, sizeof *t);
    if (!t)
        abort();
    t->base.vtable = &capture_vtable;
    t->status = 200;
    t->fail_status = MA_OK;
    ma__client_set_transport(client, &t->base);
    return t;
}

void capture_transport_reply_bytes(capture_transport *t, int status, const char *headers, const char *body, size_t len)
{
    free(t->reply_headers);
    free(t->reply_body);
    t->status = status;
    t->reply_headers = headers ? dup_bytes(headers, strlen(headers)) : NULL;
    t->reply_body = dup_bytes(body ? body : "", body ? len : 0);
    t->reply_body_len = body ? len : 0;
    t->fail_status = MA_OK;
}

void capture_transport_reply(capture_transport *t, int status, const char *headers, const char *body)
{
    capture_transport_reply_bytes(t, status, headers, body, body ? strlen(body) : 0);
}

void capture_transport_fail(capture_transport *t, ma_status status, int transport_code)
{
    t->fail_status = status;
    t->fail_transport_code = transport_code;
}
