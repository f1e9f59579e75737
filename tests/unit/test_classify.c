/* The classification step on its own: service errors read by jansson (IAM bodies) and by the streaming decoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "json/classify.h"
#include "json/page_decoder.h"
#include "modelarts/modelarts.h"
#include "unit_fixture.h"

#define NOW_MS INT64_C(1700000000000)

static void service_error_from_json_keystone_integer_code_read(void **state)
{
    (void)state;
    static const char body[] = "{\"error\": {\"code\": 401, \"message\": \"The request you have made requires "
                               "authentication.\", \"title\": \"Unauthorized\"}}";
    ma__service_error svc;
    ma__service_error_from_json(body, sizeof body - 1, &svc);
    assert_true(svc.is_json);
    assert_string_equal(svc.code, "401");
    assert_string_equal(svc.message, "The request you have made requires authentication.");
    assert_int_equal(svc.body_bytes, sizeof body - 1);
}

static void service_error_from_json_top_level_fields_win_and_are_sanitised(void **state)
{
    (void)state;
    static const char body[] = "{\"error_code\": \"APIG.0301\", \"error_msg\": \"a\\nb\\u001b\", \"request_id\": "
                               "\"r-1\", \"error\": {\"code\": \"X\", \"message\": \"nested\"}, \"is_success\": false}";
    ma__service_error svc;
    ma__service_error_from_json(body, sizeof body - 1, &svc);
    assert_string_equal(svc.code, "APIG.0301");
    assert_string_equal(svc.message, "a?b?");
    assert_string_equal(svc.request_id, "r-1");
    assert_true(svc.says_failure);
}

static void service_error_from_json_not_json_is_empty(void **state)
{
    (void)state;
    ma__service_error svc;
    ma__service_error_from_json("<html>", 6, &svc);
    assert_false(svc.is_json);
    assert_string_equal(svc.code, "");
    assert_string_equal(svc.message, "");
    assert_int_equal(svc.body_bytes, 6);
    ma__service_error_from_json("", 0, &svc);
    assert_false(svc.is_json);
}

/* The same error body through the streaming decoder in every chunk size gives the same service error. */
static void page_decoder_error_fields_same_in_every_split(void **state)
{
    (void)state;
    static const char body[] = "{\"error_code\": \"APIG.0301\", \"error_msg\": \"Incorrect \\u00e9 \\\"x\\\"\", "
                               "\"request_id\": \"r\\t1\", \"extra\": [1, {\"error_msg\": \"no\"}]}";
    for (size_t chunk = 1; chunk <= sizeof body; chunk++) {
        ma__page_decoder *d = ma__page_decoder_new(ma_default_allocator());
        assert_non_null(d);
        ma__page_decoder_begin(d, 401);
        for (size_t off = 0; off < sizeof body - 1; off += chunk)
            ma__page_decoder_feed(d, body + off, sizeof body - 1 - off < chunk ? sizeof body - 1 - off : chunk);
        ma__service_error svc;
        ma__page_decoder_end(d, &svc);
        ma__page_decoder_free(d);
        assert_true(svc.is_json);
        assert_string_equal(svc.code, "APIG.0301");
        assert_string_equal(svc.message, "Incorrect \xc3\xa9 \"x\"");
        assert_string_equal(svc.request_id, "r?1");
        assert_false(svc.says_failure);
    }
}

static void classify_response_bare_502_counts_streamed_bytes(void **state)
{
    (void)state;
    ma__http_response resp;
    unit_response_init(&resp, 502, "Content-Type: text/html", "", 0);
    ma__service_error svc;
    memset(&svc, 0, sizeof svc);
    svc.body_bytes = 1234;
    ma_error err;
    ma_error_clear(&err);
    assert_int_equal(ma__classify_response(&resp, &svc, NOW_MS, &err), MA_ERR_SERVER);
    assert_string_equal(err.message, "HTTP 502 with a body that is not a service error (text/html, 1234 bytes)");
    assert_int_equal(err.http_status, 502);
    ma__http_response_free(&resp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(service_error_from_json_keystone_integer_code_read),
        cmocka_unit_test(service_error_from_json_top_level_fields_win_and_are_sanitised),
        cmocka_unit_test(service_error_from_json_not_json_is_empty),
        cmocka_unit_test(page_decoder_error_fields_same_in_every_split),
        cmocka_unit_test(classify_response_bare_502_counts_streamed_bytes),
    };
    return cmocka_run_group_tests(tests, unit_global_setup, unit_global_teardown);
}
