#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "test_alloc.h"
#include "transport_kit.h"

void kit_endpoint_init(kit_endpoint *k, const char *scheme, const char *host, uint16_t port)
{
    memset(k, 0, sizeof *k);
    snprintf(k->scheme, sizeof k->scheme, "%s", scheme);
    snprintf(k->host, sizeof k->host, "%s", host);
    snprintf(k->host_header, sizeof k->host_header, "%s:%u", host, (unsigned int)port);
    k->ep.scheme = k->scheme;
    k->ep.host = k->host;
    k->ep.port = port;
    k->ep.prefix = k->prefix;
    k->ep.host_header = k->host_header;
    k->ep.is_loopback = 1;
}

ma__curl_settings kit_settings(void)
{
    ma__curl_settings s;
    memset(&s, 0, sizeof s);
    s.connect_timeout_ms = 30000; /* generous: valgrind makes TLS handshakes slow */
    s.timeout_ms = 60000;
    s.ca_file = NULL;
    s.verify_tls = 1;
    s.user_agent = "modelarts-c-transport-test/1";
    s.max_response_bytes = (size_t)1 << 20;
    s.clock = NULL;
    return s;
}

ma__transport *kit_transport_new(const ma__curl_settings *s)
{
    ma__transport *t = NULL;
    ma_error err;
    ma_error_clear(&err);
    if (ma__curl_transport_new(test_allocator(), s, &t, &err) != MA_OK)
        fail_msg("ma__curl_transport_new: %s", err.message);
    return t;
}

void kit_exchange_init(kit_exchange *k, const char *method, const ma__endpoint *ep)
{
    memset(k, 0, sizeof *k);
    ma__request_init(&k->req, test_allocator(), method, ep);
    ma__http_response_init(&k->resp, test_allocator());
    k->x.req = &k->req;
    k->x.resp = &k->resp;
    k->x.user = k;
}

void kit_list_path(kit_exchange *k, const char *project)
{
    assert_int_equal(ma__request_add_segment(&k->req, "v1"), 0);
    assert_int_equal(ma__request_add_segment(&k->req, project), 0);
    assert_int_equal(ma__request_add_segment(&k->req, "training-jobs"), 0);
}

void kit_param(kit_exchange *k, const char *name, const char *value)
{
    assert_int_equal(ma__request_add_param(&k->req, name, value, strlen(value)), 0);
}

void kit_header(kit_exchange *k, const char *name, const char *value, int secret)
{
    assert_int_equal(ma__headers_add(&k->req.headers, name, strlen(name), value, strlen(value), secret), 0);
}

void kit_attempt_header(kit_exchange *k, const char *name, const char *value, int secret)
{
    assert_int_equal(ma__headers_add(&k->req.attempt_headers, name, strlen(name), value, strlen(value), secret), 0);
}

void kit_exchange_free(kit_exchange *k)
{
    ma__request_free(&k->req);
    ma__http_response_free(&k->resp);
}

static ma__exchange *batch_next(void *ctx)
{
    kit_batch *b = ctx;
    return b->next < b->n ? &b->items[b->next++].x : NULL;
}

static int batch_done(void *ctx, ma__exchange *x)
{
    kit_batch *b = ctx;
    kit_exchange *k = x->user;
    assert_true(k >= b->items && k < b->items + b->n);
    assert_ptr_equal(&k->x, x);
    if (b->reported < sizeof b->order / sizeof b->order[0])
        b->order[b->reported] = (size_t)(k - b->items);
    b->reported++;
    return b->stop_after != 0 && b->reported >= b->stop_after;
}

ma__exchange_source kit_batch_source(kit_batch *b)
{
    ma__exchange_source s = {batch_next, batch_done, b, 0, 0, NULL};
    return s;
}

int64_t kit_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

size_t kit_count(const char *hay, size_t len, const char *needle)
{
    size_t n = 0, nl = strlen(needle);
    for (size_t i = 0; nl && i + nl <= len; i++)
        if (memcmp(hay + i, needle, nl) == 0)
            n++;
    return n;
}
