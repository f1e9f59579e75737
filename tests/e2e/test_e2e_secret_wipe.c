/*
 * Secrets are wiped before their memory is given back. Two inspecting
 * allocators keep a size header in front of every block and look at it when
 * it is freed (and at the old block when it is reallocated, which always
 * moves here):
 *
 *  - the library allocator: no freed block may contain the marker at all;
 *  - libcurl's allocator (curl_global_init_mem): the header list entries we
 *    hand to libcurl must be wiped. libcurl keeps its own unwiped copies of
 *    request headers (its request buffer), a documented limitation, so only
 *    blocks that begin with one of our secret header lines are checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "fake_server.h"
#include "http/request.h"
#include "http/transport.h"
#include "modelarts/modelarts.h"
#include "transport_kit.h"

#define MARKER "MARKER-5ecret-9f3a1c07"
#define HDR    16 /* keeps blocks 16-byte aligned */

static size_t violations;
static char violation[256];
static size_t lib_live;

static size_t block_size(const void *p)
{
    size_t n;
    memcpy(&n, (const char *)p - HDR, sizeof n);
    return n;
}

static int contains_marker(const char *p, size_t n)
{
    size_t m = sizeof MARKER - 1;
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(p + i, MARKER, m) == 0)
            return 1;
    return 0;
}

static void record(const char *who, const char *p, size_t n)
{
    if (violations++ == 0)
        snprintf(violation, sizeof violation, "%s freed a %zu-byte block holding the marker: %.*s", who, n,
                 (int)(n < 120 ? n : 120), p);
}

/* Fresh blocks are zeroed: a recycled block's old contents (the fake server's, libcurl's) never count. */
static void *raw_alloc(size_t n)
{
    char *b = calloc(1, n + HDR);
    if (!b)
        return NULL;
    memcpy(b, &n, sizeof n);
    return b + HDR;
}

static void raw_free(void *p)
{
    if (p)
        free((char *)p - HDR);
}

/* ---- the library's allocator: nothing may still hold the marker ---- */

static void lib_check(const void *p)
{
    size_t n = block_size(p);
    if (contains_marker(p, n))
        record("the library", p, n);
}

static void *lib_alloc(void *ctx, size_t n)
{
    (void)ctx;
    void *p = raw_alloc(n);
    if (p)
        lib_live++;
    return p;
}

static void lib_free(void *ctx, void *p)
{
    (void)ctx;
    if (!p)
        return;
    lib_check(p);
    lib_live--;
    raw_free(p);
}

static void *lib_realloc(void *ctx, void *p, size_t n)
{
    if (!p)
        return lib_alloc(ctx, n);
    void *q = raw_alloc(n);
    if (!q)
        return NULL;
    size_t old = block_size(p);
    memcpy(q, p, old < n ? old : n);
    lib_check(p);
    raw_free(p);
    return q;
}

static const ma_allocator lib_allocator = {lib_alloc, lib_realloc, lib_free, NULL};

/* ---- libcurl's allocator: our header lines must be wiped ---- */

static const char *const secret_lines[] = {"X-Auth-Token: " MARKER, "X-Secret-Sig: " MARKER};

static void curl_check(const void *p)
{
    size_t n = block_size(p);
    for (size_t i = 0; i < sizeof secret_lines / sizeof secret_lines[0]; i++) {
        size_t len = strlen(secret_lines[i]);
        if (n >= len && memcmp(p, secret_lines[i], len) == 0)
            record("libcurl (header list entry)", p, n);
    }
}

static void *c_malloc(size_t n)
{
    return raw_alloc(n);
}

static void c_free(void *p)
{
    if (!p)
        return;
    curl_check(p);
    raw_free(p);
}

static void *c_realloc(void *p, size_t n)
{
    if (!p)
        return raw_alloc(n);
    void *q = raw_alloc(n);
    if (!q)
        return NULL;
    size_t old = block_size(p);
    memcpy(q, p, old < n ? old : n);
    curl_check(p);
    raw_free(p);
    return q;
}

static char *c_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = raw_alloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static void *c_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void *p = raw_alloc(count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

static void reset_violations(void)
{
    violations = 0;
    violation[0] = '\0';
}

static void assert_no_violation(void)
{
    if (violations)
        fail_msg("%zu freed block(s) still held the secret; first: %s", violations, violation);
}

/* The inspecting allocators do see an unwiped secret. */
static void allocator_detects_unwiped_marker(void **state)
{
    (void)state;
    reset_violations();
    static const char text[] = "x" MARKER "y";
    char *p = lib_alloc(NULL, sizeof text);
    assert_non_null(p);
    if (p)
        memcpy(p, text, sizeof text);
    lib_free(NULL, p);
    assert_int_equal(violations, 1);
    char *c = c_strdup(secret_lines[0]);
    c_free(c);
    assert_int_equal(violations, 2);
    reset_violations();
}

static void secrets_in_request_and_response_headers_are_wiped(void **state)
{
    (void)state;
    fake_server_options so;
    fake_server_options_init(&so);
    fake_server *srv = NULL;
    assert_int_equal(fake_server_start(&so, &srv), 0);
    assert_int_equal(
        fake_server_push_simple(srv, 201, "X-Subject-Token: " MARKER "\nX-Request-Id: r-1", "{\"token\":{}}"), 0);

    reset_violations();
    size_t live_before = lib_live;
    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "127.0.0.1", fake_server_port(srv));
    ma__curl_settings s = kit_settings();
    ma__transport *t = NULL;
    assert_int_equal(ma__curl_transport_new(&lib_allocator, &s, &t, NULL), MA_OK);

    ma__http_request req;
    ma__request_init(&req, &lib_allocator, "POST", &ep.ep);
    assert_int_equal(ma__request_add_segment(&req, "v3"), 0);
    assert_int_equal(ma__request_add_segment(&req, "auth"), 0);
    assert_int_equal(ma__request_add_segment(&req, "tokens"), 0);
    assert_int_equal(ma__headers_add(&req.headers, "X-Auth-Token", 12, MARKER, sizeof MARKER - 1, 1), 0);
    assert_int_equal(ma__headers_add(&req.attempt_headers, "X-Secret-Sig", 12, MARKER, sizeof MARKER - 1, 1), 0);
    req.body_secret = 1;
    assert_int_equal(ma__buf_append_str(&req.body, "{\"password\":\"" MARKER "\"}"), 0);
    ma__http_response resp;
    ma__http_response_init(&resp, &lib_allocator);
    ma__exchange x;
    memset(&x, 0, sizeof x);
    x.req = &req;
    x.resp = &resp;
    ma_status st = ma__transport_send(t, &x);
    if (st != MA_OK)
        fail_msg("send: %s", x.err.message);
    assert_int_equal(resp.status, 201);
    assert_string_equal(ma__headers_get(&resp.headers, "X-Subject-Token"), MARKER);

    fake_request fr;
    assert_int_equal(fake_server_request_at(srv, 0, &fr), 0);
    assert_non_null(strstr(fr.headers, "X-Auth-Token: " MARKER));
    assert_non_null(strstr(fr.headers, "X-Secret-Sig: " MARKER));
    assert_non_null(strstr(fr.body, MARKER));

    ma__request_free(&req);
    ma__http_response_free(&resp);
    t->vtable->destroy(t);
    assert_int_equal(lib_live, live_before);
    assert_no_violation();
    fake_server_stop(srv);
}

static int setup(void **state)
{
    (void)state;
    if (curl_global_init_mem(CURL_GLOBAL_DEFAULT, c_malloc, c_free, c_realloc, c_strdup, c_calloc) != CURLE_OK)
        return -1;
    return ma_global_init() == MA_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ma_global_cleanup();
    curl_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allocator_detects_unwiped_marker),
        cmocka_unit_test(secrets_in_request_and_response_headers_are_wiped),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
