/* The request renderer and the response header-line parser: pure functions, no sockets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http/request.h"
#include "test_alloc.h"
#include "transport_kit.h"

static void render(const ma__http_request *req, const char *want_url, const char *want_path, const char *want_query)
{
    ma__buf b;
    ma__buf_init(&b, test_allocator());
    assert_int_equal(ma__request_render_url(req, &b), 0);
    assert_string_equal(b.data, want_url);
    ma__buf_clear(&b);
    assert_int_equal(ma__request_render_path(req, &b), 0);
    assert_string_equal(b.data, want_path);
    ma__buf_clear(&b);
    assert_int_equal(ma__request_render_query(req, &b), 0);
    assert_string_equal(b.data ? b.data : "", want_query);
    ma__buf_free(&b);
}

static void render_url_encodes_each_segment_and_param_once(void **state)
{
    (void)state;
    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "127.0.0.1", 8080);
    ma__http_request req;
    ma__request_init(&req, test_allocator(), "GET", &ep.ep);
    assert_int_equal(ma__request_add_segment(&req, "v1"), 0);
    assert_int_equal(ma__request_add_segment(&req, "a b/c?%25"), 0);
    assert_int_equal(ma__request_add_segment(&req, "training-jobs"), 0);
    assert_int_equal(ma__request_add_param(&req, "search_content", "x y&z=1", 7), 0);
    assert_int_equal(ma__request_add_param(&req, "page", "2", 1), 0);
    assert_int_equal(ma__request_add_param(&req, "na me", "~._-", 4), 0);
    render(&req,
           "http://127.0.0.1:8080/v1/a%20b%2Fc%3F%2525/training-jobs?search_content=x%20y%26z%3D1&page=2&na%20me=~._-",
           "/v1/a%20b%2Fc%3F%2525/training-jobs", "search_content=x%20y%26z%3D1&page=2&na%20me=~._-");
    ma__request_free(&req);
}

static void render_url_prefix_default_port_no_query(void **state)
{
    (void)state;
    kit_endpoint ep;
    kit_endpoint_init(&ep, "https", "[::1]", 0);
    snprintf(ep.prefix, sizeof ep.prefix, "%s", "/gw/ma");
    ma__http_request req;
    ma__request_init(&req, test_allocator(), "GET", &ep.ep);
    assert_int_equal(ma__request_add_segment(&req, "v1"), 0);
    assert_int_equal(ma__request_add_segment(&req, "."), 0);
    assert_int_equal(ma__request_add_segment(&req, ".."), 0);
    render(&req, "https://[::1]/gw/ma/v1/./..", "/gw/ma/v1/./..", "");
    ma__request_free(&req);

    /* No segments and no prefix: the root. */
    kit_endpoint_init(&ep, "http", "h.test", 0);
    ma__request_init(&req, test_allocator(), "GET", &ep.ep);
    render(&req, "http://h.test/", "/", "");
    ma__request_free(&req);
}

static void add_segment_refuses_more_than_max(void **state)
{
    (void)state;
    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "h", 1);
    ma__http_request req;
    ma__request_init(&req, test_allocator(), "GET", &ep.ep);
    for (int i = 0; i < MA__PATH_SEGMENTS_MAX; i++)
        assert_int_equal(ma__request_add_segment(&req, "s"), 0);
    assert_int_equal(ma__request_add_segment(&req, "s"), -1);
    ma__request_free(&req);
}

static void add_param_out_of_memory_leaves_request_usable(void **state)
{
    (void)state;
    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "h", 1);
    for (size_t fail = 1; fail <= 3; fail++) {
        ma__http_request req;
        ma__request_init(&req, test_allocator(), "GET", &ep.ep);
        test_alloc_fail_at(fail);
        int rc = ma__request_add_param(&req, "name", "value", 5);
        test_alloc_reset();
        assert_int_equal(rc, -1);
        assert_int_equal(req.query.count, 0);
        assert_int_equal(ma__request_add_param(&req, "name", "value", 5), 0);
        ma__request_free(&req);
    }
}

static void request_free_wipes_secret_body(void **state)
{
    (void)state;
    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "h", 1);
    ma__http_request req;
    ma__request_init(&req, test_allocator(), "POST", &ep.ep);
    req.body_secret = 1;
    assert_int_equal(ma__buf_append_str(&req.body, "{\"password\":\"pw\"}"), 0);
    ma__request_free(&req);
    assert_null(req.body.data);
    assert_int_equal(req.query.count, 0);
    assert_int_equal(req.headers.count, 0);
}

typedef struct line_case {
    const char *line;
    ma__header_line_kind kind;
    const char *name;
    const char *value;
    int status;
} line_case;

static void header_line_parse_table(void **state)
{
    (void)state;
    static const line_case cases[] = {
        {"HTTP/1.1 200 OK\r\n", MA__HEADER_LINE_STATUS, NULL, NULL, 200},
        {"HTTP/2 404\r\n", MA__HEADER_LINE_STATUS, NULL, NULL, 404},
        {"HTTP/1.1 100 Continue\r\n", MA__HEADER_LINE_STATUS, NULL, NULL, 100},
        {"HTTP/1.1 2000 x\r\n", MA__HEADER_LINE_STATUS, NULL, NULL, 0},
        {"HTTP/1.1\r\n", MA__HEADER_LINE_STATUS, NULL, NULL, 0},
        {"\r\n", MA__HEADER_LINE_END, NULL, NULL, 0},
        {"", MA__HEADER_LINE_END, NULL, NULL, 0},
        {"X-Request-Id: abc\r\n", MA__HEADER_LINE_FIELD, "X-Request-Id", "abc", 0},
        {"X-Subject-Token:   t0k  \t\r\n", MA__HEADER_LINE_FIELD, "X-Subject-Token", "t0k", 0},
        {"Empty:\r\n", MA__HEADER_LINE_FIELD, "Empty", "", 0},
        {"A: b: c", MA__HEADER_LINE_FIELD, "A", "b: c", 0},
        {": no name\r\n", MA__HEADER_LINE_OTHER, NULL, NULL, 0},
        {" folded continuation\r\n", MA__HEADER_LINE_OTHER, NULL, NULL, 0},
        {"Bad Name: x\r\n", MA__HEADER_LINE_OTHER, NULL, NULL, 0},
        {"Name : x\r\n", MA__HEADER_LINE_OTHER, NULL, NULL, 0},
        {"no colon\r\n", MA__HEADER_LINE_OTHER, NULL, NULL, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const line_case *c = &cases[i];
        ma__header_line l;
        ma__header_line_kind k = ma__header_line_parse(c->line, strlen(c->line), &l);
        if (k != c->kind)
            fail_msg("'%s': kind %d, want %d", c->line, (int)k, (int)c->kind);
        assert_int_equal(l.status, c->status);
        if (c->name) {
            assert_int_equal(l.name_len, strlen(c->name));
            assert_memory_equal(l.name, c->name, l.name_len);
            assert_int_equal(l.value_len, strlen(c->value));
            if (l.value_len)
                assert_memory_equal(l.value, c->value, l.value_len);
        } else {
            assert_null(l.name);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(render_url_encodes_each_segment_and_param_once),
        cmocka_unit_test(render_url_prefix_default_port_no_query),
        cmocka_unit_test(add_segment_refuses_more_than_max),
        cmocka_unit_test(add_param_out_of_memory_leaves_request_usable),
        cmocka_unit_test(request_free_wipes_secret_body),
        cmocka_unit_test(header_line_parse_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
