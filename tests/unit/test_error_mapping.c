/* Error bodies, HTTP statuses and transport failures turned into an ma_status and a filled ma_error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_transport.h"
#include "http/http.h"
#include "client.h"
#include "json/decode.h"
#include "modelarts/modelarts.h"
#include "test_alloc.h"
#include "unit_fixture.h"
#include "util/buf.h"
#include "util/text.h"

#define TOKEN "MIIQsecret-IAM-token-value-0123456789abcdefXYZ"

/* 2023-11-14T22:13:20Z */
#define NOW_MS INT64_C(1700000000000)

#define HTML_ONLY "Content-Type: text/html; charset=utf-8"

#define MODELARTS_ERROR "{\"is_success\":false,\"error_message\":\"Error string\",\"error_code\":\"ModelArts.0105\"}"
#define GATEWAY_401                                                                             \
    "{\"error_msg\":\"Incorrect IAM authentication information\",\"error_code\":\"APIG.0301\"," \
    "\"request_id\":\"r-123\"}"
#define GATEWAY_403                                                                                     \
    "{\"error_msg\":\"The IAM user is not authorized to access the API\",\"error_code\":\"APIG.0302\"," \
    "\"request_id\":\"r-403\"}"
#define GATEWAY_404 "{\"error_msg\":\"No API found\",\"error_code\":\"APIG.0101\",\"request_id\":\"r-404\"}"
#define GATEWAY_429                                                                              \
    "{\"error_msg\":\"The throttling threshold has been reached\",\"error_code\":\"APIG.0308\"," \
    "\"request_id\":\"r-429\"}"
#define GATEWAY_504 "{\"error_msg\":\"Backend timeout\",\"error_code\":\"APIG.0203\",\"request_id\":\"r-504\"}"
#define HTML_502    "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
#define HTML_400    "<html><body><h1>400 Bad Request</h1><p>nginx</p></body></html>"

/* ------------------------------------------------------------------------------------------------ */
/* Direct path: ma__decode_list_response on a hand-built response                                   */
/* ------------------------------------------------------------------------------------------------ */

/*
 * Decodes a response at @p now that must fail with @p expected; *out must stay NULL and err,
 * when given, must describe the failure consistently.
 */
static void expect_map_at(ma_status expected, int status, const char *headers, const char *body, size_t len,
                          int64_t now, ma_error *err)
{
    char what[160];
    snprintf(what, sizeof what, "HTTP %d, headers \"%.40s\", body \"%.60s\"", status, headers ? headers : "",
             body ? body : "(none)");
    ma_job_list *list = NULL;
    ma_status st = unit_decode(status, headers, body, len, now, &list, err);
    if (st == MA_OK) {
        ma_job_list_free(list);
        fail_msg("%s: unexpectedly decoded as a job list", what);
    }
    if (st != expected)
        fail_msg("%s: got %s, expected %s", what, ma_status_name(st), ma_status_name(expected));
    UNIT_CHECK(what, list == NULL);
    if (err) {
        UNIT_CHECK(what, err->status == st);
        UNIT_CHECK(what, err->http_status == status);
        UNIT_CHECK(what, err->transport_code == 0);
        UNIT_CHECK(what, memchr(err->message, '\0', sizeof err->message) != NULL);
        UNIT_CHECK(what, memchr(err->service_code, '\0', sizeof err->service_code) != NULL);
        UNIT_CHECK(what, memchr(err->request_id, '\0', sizeof err->request_id) != NULL);
        UNIT_CHECK(what, err->message[0] != '\0');
    }
}

static void expect_map(ma_status expected, int status, const char *headers, const char *body, ma_error *err)
{
    expect_map_at(expected, status, headers, body, body ? strlen(body) : 0, NOW_MS, err);
}

static int has_control_bytes(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
            return 1;
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* ------------------------------------------------------------------------------------------------ */
/* End-to-end path: a client with a capture transport and a fixed clock                             */
/* ------------------------------------------------------------------------------------------------ */

static int64_t fixed_epoch_ms(void *ctx)
{
    (void)ctx;
    return NOW_MS;
}

static int64_t fixed_monotonic_ms(void *ctx)
{
    (void)ctx;
    return 1000;
}

static void no_sleep(void *ctx, int64_t ms)
{
    (void)ctx;
    (void)ms;
}

static unit_client_spec client_spec = {TOKEN, NULL, NULL, MA_SORT_PARAM_SORTBY};

/* The shared per-test fixture, with the fixed clock installed. */
static int fixture_setup(void **state)
{
    if (unit_fixture_setup(state) != 0)
        return -1;
    unit_fixture *f = *state;
    const ma__clock clock = {fixed_monotonic_ms, fixed_epoch_ms, no_sleep, NULL};
    ma__client_set_clock(f->client, &clock);
    return 0;
}

#define FIXTURE_TEST(test) UNIT_FIXTURE_TEST_WITH(test, fixture_setup, &client_spec)

/* One list call answered with the scripted reply; checks what holds for every outcome. */
static ma_status list_reply(unit_fixture *f, int status, const char *headers, const char *body, ma_error *err)
{
    ma_status st = unit_list_reply(f, status, headers, body, err);
    if (err) {
        char what[96];
        snprintf(what, sizeof what, "HTTP %d, body \"%.60s\"", status, body ? body : "(none)");
        UNIT_CHECK(what, err->http_status == status);
        UNIT_CHECK(what, err->transport_code == 0);
        UNIT_CHECK(what, strstr(err->message, TOKEN) == NULL);
        UNIT_CHECK(what, strstr(err->service_code, TOKEN) == NULL);
        UNIT_CHECK(what, strstr(err->request_id, TOKEN) == NULL);
    }
    return st;
}

static void expect_list(unit_fixture *f, ma_status expected, int status, const char *headers, const char *body,
                        ma_error *err)
{
    ma_status st = list_reply(f, status, headers, body, err);
    if (st != expected)
        fail_msg("HTTP %d, body \"%.60s\": got %s, expected %s", status, body ? body : "(none)", ma_status_name(st),
                 ma_status_name(expected));
}

/* The text fields of @p err; a NULL expectation is not checked. */
static void assert_detail(const ma_error *err, const char *service_code, const char *message, const char *request_id)
{
    if (service_code)
        unit_assert_text("err.service_code", err->service_code, service_code);
    if (message)
        unit_assert_text("err.message", err->message, message);
    if (request_id)
        unit_assert_text("err.request_id", err->request_id, request_id);
}

/* The next send fails in the transport with @p status and @p code; the list call must report @p status. */
static void expect_transport_failure(unit_fixture *f, ma_status status, int code, ma_error *err)
{
    char what[64];
    snprintf(what, sizeof what, "transport failure %s (%d)", ma_status_name(status), code);
    capture_transport_fail(f->transport, status, code);
    ma_job_list *list = NULL;
    ma_status st = unit_list(f, what, NULL, &list, err);
    if (st != status)
        fail_msg("%s: got %s", what, ma_status_name(st));
}

/* ------------------------------------------------------------------------------------------------ */
/* ModelArts error bodies                                                                           */
/* ------------------------------------------------------------------------------------------------ */

static void list_training_jobs_modelarts_error_400_service_with_detail(void **state)
{
    unit_fixture *f = *state;
    ma_error err;
    expect_list(f, MA_ERR_SERVICE, 400, UNIT_JSON_HEADERS, MODELARTS_ERROR, &err);
    assert_int_equal(err.http_status, 400);
    assert_detail(&err, "ModelArts.0105", "Error string", "abc");
    assert_true(err.retry_after_ms == -1);
}

static void decode_list_response_modelarts_error_400_service_with_detail(void **state)
{
    (void)state;
    ma_error err;
    expect_map(MA_ERR_SERVICE, 400, UNIT_JSON_ONLY, MODELARTS_ERROR, &err);
    assert_int_equal(err.http_status, 400);
    assert_detail(&err, "ModelArts.0105", "Error string", "");
    assert_true(err.retry_after_ms == -1);
}

static void list_training_jobs_is_success_false_with_200_service(void **state)
{
    unit_fixture *f = *state;
    ma_error err;
    expect_list(f, MA_ERR_SERVICE, 200, UNIT_JSON_HEADERS, MODELARTS_ERROR, &err);
    assert_int_equal(err.http_status, 200);
    assert_detail(&err, "ModelArts.0105", "Error string", "abc");
}

static void decode_list_response_is_success_false_with_any_2xx_service_even_with_jobs(void **state)
{
    (void)state;
    static const int statuses[] = {200, 201, 203, 206, 299};
    const char *body = "{\"is_success\": false, \"error_code\": \"ModelArts.2701\", \"error_message\": \"denied\","
                       " \"job_total_count\": 1, \"jobs\": [{\"job_id\": 1, \"job_name\": \"a\", \"version_id\": 2,"
                       " \"status\": 8, \"create_time\": 3}]}";
    for (size_t i = 0; i < ARRAY_LEN(statuses); i++) {
        ma_error err;
        expect_map(MA_ERR_SERVICE, statuses[i], UNIT_JSON_ONLY, body, &err);
        assert_int_equal(err.http_status, statuses[i]);
        assert_detail(&err, "ModelArts.2701", "denied", NULL);
    }
}

static void decode_list_response_200_is_success_false_without_message_says_so(void **state)
{
    (void)state;
    ma_error err;
    expect_map(MA_ERR_SERVICE, 200, UNIT_JSON_ONLY, "{\"is_success\": false}", &err);
    assert_string_equal(err.service_code, "");
    assert_non_null(strstr(err.message, "without a message"));

    expect_map(MA_ERR_SERVICE, 200, UNIT_JSON_ONLY,
               "{\"is_success\": false, \"error_code\": \"ModelArts.0105\","
               " \"error_message\": \"\"}",
               &err);
    assert_string_equal(err.service_code, "ModelArts.0105");
    assert_non_null(strstr(err.message, "without a message"));
}

/* ------------------------------------------------------------------------------------------------ */
/* API gateway error bodies and status-specific mapping                                             */
/* ------------------------------------------------------------------------------------------------ */

static void list_training_jobs_gateway_401_unauthorized_request_id_from_body(void **state)
{
    unit_fixture *f = *state;
    ma_error err;
    expect_list(f, MA_ERR_UNAUTHORIZED, 401, UNIT_JSON_ONLY, GATEWAY_401, &err);
    assert_detail(&err, "APIG.0301", "Incorrect IAM authentication information", "r-123");
    assert_int_equal(err.http_status, 401);
}

static void list_training_jobs_gateway_401_header_request_id_wins(void **state)
{
    unit_fixture *f = *state;
    ma_error err;
    expect_list(f, MA_ERR_UNAUTHORIZED, 401, "X-Request-Id: hdr-777\nContent-Type: application/json", GATEWAY_401,
                &err);
    assert_detail(&err, "APIG.0301", NULL, "hdr-777");
    /* Header names are case-insensitive. */
    expect_list(f, MA_ERR_UNAUTHORIZED, 401, "x-request-id: lower-1", GATEWAY_401, &err);
    assert_string_equal(err.request_id, "lower-1");
}

static void decode_list_response_gateway_403_unauthorized(void **state)
{
    (void)state;
    ma_error err;
    expect_map(MA_ERR_UNAUTHORIZED, 403, UNIT_JSON_ONLY, GATEWAY_403, &err);
    assert_detail(&err, "APIG.0302", "The IAM user is not authorized to access the API", "r-403");
    expect_map(MA_ERR_UNAUTHORIZED, 403, HTML_ONLY, "<html>Forbidden</html>", &err);
    assert_string_equal(err.service_code, "");
    expect_map(MA_ERR_UNAUTHORIZED, 401, NULL, NULL, &err);
}

static void decode_list_response_gateway_404_not_found(void **state)
{
    (void)state;
    ma_error err;
    expect_map(MA_ERR_NOT_FOUND, 404, UNIT_JSON_ONLY, GATEWAY_404, &err);
    assert_detail(&err, "APIG.0101", "No API found", "r-404");
    expect_map(MA_ERR_NOT_FOUND, 404, NULL, NULL, &err);
    assert_string_equal(err.service_code, "");
}

static void decode_list_response_gateway_429_retry_after_seconds_rate_limited(void **state)
{
    (void)state;
    ma_error err;
    expect_map(MA_ERR_RATE_LIMITED, 429, "Retry-After: 7\nContent-Type: application/json", GATEWAY_429, &err);
    assert_detail(&err, "APIG.0308", "The throttling threshold has been reached", "r-429");
    assert_true(err.retry_after_ms == 7000);
}

typedef struct retry_case {
    const char *headers;
    int64_t expected_ms;
} retry_case;

static void decode_list_response_retry_after_forms_relative_to_now(void **state)
{
    (void)state;
    static const retry_case cases[] = {
        {"Retry-After: 7", 7000},
        {"Retry-After: 0", 0},
        {"Retry-After: 120", 120000},
        {"retry-after: 3", 3000},
        {"Retry-After: Tue, 14 Nov 2023 22:13:27 GMT", 7000},
        {"Retry-After: Tue, 14 Nov 2023 22:14:20 GMT", 60000},
        {"Retry-After: Tue, 14 Nov 2023 22:13:20 GMT", 0},
        {"Retry-After: Tue, 14 Nov 2023 22:00:00 GMT", 0},
        {"Retry-After: Sun, 06 Nov 1994 08:49:37 GMT", 0},
        {"Retry-After: Sat, 18 Nov 2023 00:00:00 GMT", 86400000},
        {"Retry-After: 99999999999999999999", 86400000},
        {"Retry-After: 86400", 86400000},
        {"Content-Type: application/json", -1},
        {"Retry-After: soon", -1},
        {"Retry-After: 7s", -1},
        {"Retry-After: -5", -1},
        {"Retry-After: 5.5", -1},
        {"Retry-After: ", -1},
        {"Retry-After: not a date at all", -1},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        ma_error err;
        expect_map(MA_ERR_RATE_LIMITED, 429, cases[i].headers, GATEWAY_429, &err);
        if (err.retry_after_ms != cases[i].expected_ms)
            fail_msg("%s: retry_after_ms %lld, expected %lld", cases[i].headers, (long long)err.retry_after_ms,
                     (long long)cases[i].expected_ms);
    }
    /* The same date read at another "now" gives another delay. */
    ma_error err;
    expect_map_at(MA_ERR_RATE_LIMITED, 429, "Retry-After: Tue, 14 Nov 2023 22:13:27 GMT", NULL, 0, NOW_MS - 3000, &err);
    assert_true(err.retry_after_ms == 10000);
}

static void list_training_jobs_retry_after_date_uses_client_clock(void **state)
{
    unit_fixture *f = *state;
    ma_error err;
    expect_list(f, MA_ERR_RATE_LIMITED, 429, "Retry-After: Tue, 14 Nov 2023 22:13:30 GMT", GATEWAY_429, &err);
    assert_true(err.retry_after_ms == 10000);
    expect_list(f, MA_ERR_RATE_LIMITED, 429, "Retry-After: 7", GATEWAY_429, &err);
    assert_true(err.retry_after_ms == 7000);
    expect_list(f, MA_ERR_RATE_LIMITED, 429, UNIT_JSON_ONLY, GATEWAY_429, &err);
    assert_true(err.retry_after_ms == -1);
    expect_list(f, MA_ERR_RATE_LIMITED, 429, "Retry-After: whenever", GATEWAY_429, &err);
    assert_true(err.retry_after_ms == -1);
}

static void decode_list_response_408_timeout(void **state)
{
    (void)state;
    ma_error err;
    expect_map(MA_ERR_TIMEOUT, 408, NULL, NULL, &err);
    assert_int_equal(err.http_status, 408);
    expect_map(MA_ERR_TIMEOUT, 408, UNIT_JSON_ONLY, "{\"error_code\": \"X.408\", \"error_msg\": \"slow\"}", &err);
    assert_detail(&err, "X.408", "slow", NULL);
}

static void decode_list_response_5xx_server(void **state)
{
    (void)state;
    static const int statuses[] = {500, 501, 502, 503, 504, 505, 599};
    for (size_t i = 0; i < ARRAY_LEN(statuses); i++) {
        ma_error err;
        expect_map(MA_ERR_SERVER, statuses[i], UNIT_JSON_ONLY, GATEWAY_504, &err);
        assert_int_equal(err.http_status, statuses[i]);
        assert_detail(&err, "APIG.0203", "Backend timeout", NULL);
        expect_map(MA_ERR_SERVER, statuses[i], NULL, NULL, &err);
        assert_string_equal(err.service_code, "");
        expect_map(MA_ERR_SERVER, statuses[i], UNIT_JSON_ONLY, MODELARTS_ERROR, &err);
        assert_string_equal(err.service_code, "ModelArts.0105");
    }
    ma_error err;
    expect_map(MA_ERR_SERVER, 503, "Retry-After: 120", "{\"error_msg\": \"busy\"}", &err);
    assert_true(err.retry_after_ms == 120000);
}

static void decode_list_response_nested_error_object_code_and_message(void **state)
{
    (void)state;
    ma_error err;
    const char *nested = "{\"error\":{\"code\":\"X.1\",\"message\":\"m\"}}";
    expect_map(MA_ERR_SERVICE, 400, UNIT_JSON_ONLY, nested, &err);
    assert_detail(&err, "X.1", "m", NULL);
    expect_map(MA_ERR_SERVER, 500, UNIT_JSON_ONLY, nested, &err);
    assert_detail(&err, "X.1", "m", NULL);
    expect_map(MA_ERR_UNAUTHORIZED, 401, UNIT_JSON_ONLY, nested, &err);
    assert_string_equal(err.service_code, "X.1");
    /* Top-level detail wins over the nested one. */
    expect_map(MA_ERR_SERVICE, 400, UNIT_JSON_ONLY,
               "{\"error_code\":\"TOP.1\",\"error_msg\":\"top\","
               "\"error\":{\"code\":\"X.1\",\"message\":\"m\"}}",
               &err);
    assert_detail(&err, "TOP.1", "top", NULL);
}

/* ------------------------------------------------------------------------------------------------ */
/* Bodies that are not service errors                                                               */
/* ------------------------------------------------------------------------------------------------ */

static void decode_list_response_html_502_server_without_dumping_body(void **state)
{
    (void)state;
    ma_error err;
    expect_map(MA_ERR_SERVER, 502, HTML_ONLY, HTML_502, &err);
    assert_string_equal(err.service_code, "");
    assert_non_null(strstr(err.message, "502"));
    assert_non_null(strstr(err.message, "not a service error"));
    assert_null(strstr(err.message, "<html"));
    assert_null(strstr(err.message, "Bad Gateway"));
}

static void decode_list_response_empty_503_server_mentions_empty_body(void **state)
{
    (void)state;
    ma_error err;
    expect_map(MA_ERR_SERVER, 503, NULL, "", &err);
    assert_string_equal(err.service_code, "");
    assert_non_null(strstr(err.message, "503"));
    assert_non_null(strstr(err.message, "empty body"));
}

static void decode_list_response_html_400_http(void **state)
{
    (void)state;
    ma_error err;
    expect_map(MA_ERR_HTTP, 400, HTML_ONLY, HTML_400, &err);
    assert_string_equal(err.service_code, "");
    assert_non_null(strstr(err.message, "400"));
    assert_null(strstr(err.message, "nginx"));
}

static void list_training_jobs_302_redirect_http_not_followed(void **state)
{
    unit_fixture *f = *state;
    ma_error err;
    expect_list(f, MA_ERR_HTTP, 302, "Location: https://evil.test/steal?sig=one-time-secret#x\nContent-Length: 0", "",
                &err);
    assert_int_equal(f->transport->calls, 1);
    assert_string_equal(f->transport->url, "https://example.test/v1/p/training-jobs");
    assert_int_equal(err.http_status, 302);
    /* The message names where it pointed, but not the query a redirect URL may carry a credential in. */
    assert_non_null(strstr(err.message, "HTTP 302 redirect to https://evil.test/steal (query left out), not followed"));
    assert_null(strstr(err.message, "one-time-secret"));
    expect_list(f, MA_ERR_HTTP, 301, "Location: /elsewhere", "{\"is_success\": true}", &err);
    assert_non_null(strstr(err.message, "HTTP 301 redirect to /elsewhere, not followed"));
    expect_list(f, MA_ERR_HTTP, 307, "Location: /elsewhere", MODELARTS_ERROR, &err);
    assert_string_equal(err.service_code, "");
    assert_int_equal(f->transport->calls, 3);
}

static void decode_list_response_418_json_without_error_fields_http(void **state)
{
    (void)state;
    ma_error err;
    expect_map(MA_ERR_HTTP, 418, UNIT_JSON_ONLY, "{\"teapot\": true, \"is_success\": true}", &err);
    assert_string_equal(err.service_code, "");
    assert_non_null(strstr(err.message, "418"));
    expect_map(MA_ERR_HTTP, 418, UNIT_JSON_ONLY, "[\"error_code\", \"error_msg\"]", &err);
    expect_map(MA_ERR_HTTP, 418, UNIT_JSON_ONLY, "{\"error_code\": \"\", \"error_msg\": \"\"}", &err);
    expect_map(MA_ERR_SERVICE, 409, UNIT_JSON_ONLY, "{\"error_msg\": \"conflict\"}", &err);
    assert_string_equal(err.message, "conflict");
}

static void list_training_jobs_204_no_body_protocol(void **state)
{
    unit_fixture *f = *state;
    ma_error err;
    expect_list(f, MA_ERR_PROTOCOL, 204, "X-Request-Id: abc", NULL, &err);
    assert_int_equal(err.http_status, 204);
    assert_string_equal(err.request_id, "abc");
    assert_non_null(strstr(err.message, "empty body"));
}

/* ------------------------------------------------------------------------------------------------ */
/* Hostile error content                                                                            */
/* ------------------------------------------------------------------------------------------------ */

static void decode_list_response_error_message_control_chars_replaced(void **state)
{
    (void)state;
    ma_error err;
    expect_map(MA_ERR_SERVICE, 400, UNIT_JSON_ONLY,
               "{\"is_success\": false, \"error_code\": \"Model\\tArts\\n.0105\","
               " \"error_message\": \"line1\\nline2\\r\\tend\\u001b[31m\\u007f\\u0001!\"}",
               &err);
    assert_detail(&err, "Model?Arts?.0105", "line1?line2?\?end?[31m?\?!", NULL);
    assert_false(has_control_bytes(err.message));
    expect_map(MA_ERR_UNAUTHORIZED, 401, UNIT_JSON_ONLY, "{\"error_msg\": \"a\\u0007b\", \"request_id\": \"r\\nid\"}",
               &err);
    assert_detail(&err, NULL, "a?b", "r?id");
}

static void decode_list_response_long_error_message_truncated_with_ellipsis(void **state)
{
    (void)state;
    enum { LEN = 5000 };
    char message[LEN + 1];
    unit_fill_letters(message, LEN, 'a');
    static char body[LEN + 256];
    snprintf(body, sizeof body,
             "{\"is_success\": false, \"error_code\": \"ModelArts.0105\", \"error_message\": \"%s\"}", message);
    ma_error err;
    expect_map(MA_ERR_SERVICE, 400, UNIT_JSON_ONLY, body, &err);
    assert_non_null(memchr(err.message, '\0', MA_ERROR_MESSAGE_SIZE));
    assert_int_equal(strlen(err.message), MA_ERROR_MESSAGE_SIZE - 1);
    assert_true(ends_with(err.message, "..."));
    assert_memory_equal(err.message, message, MA_ERROR_MESSAGE_SIZE - 4);
    assert_string_equal(err.service_code, "ModelArts.0105");

    /* A message that fits exactly is not marked. */
    message[MA_ERROR_MESSAGE_SIZE - 1] = '\0';
    snprintf(body, sizeof body, "{\"error_msg\": \"%s\"}", message);
    expect_map(MA_ERR_SERVICE, 400, UNIT_JSON_ONLY, body, &err);
    assert_string_equal(err.message, message);
}

static void decode_list_response_long_multibyte_message_truncated_on_character_boundary(void **state)
{
    (void)state;
    static const char *const units[] = {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x9a\x80", "a\xe2\x82\xac"};
    for (size_t u = 0; u < ARRAY_LEN(units); u++) {
        static char body[8192];
        size_t used = (size_t)snprintf(body, sizeof body, "{\"error_msg\": \"");
        used += unit_repeat(body + used, sizeof body - used, units[u], 3000 / strlen(units[u]));
        snprintf(body + used, sizeof body - used, "\"}");
        ma_error err;
        expect_map(MA_ERR_SERVICE, 400, UNIT_JSON_ONLY, body, &err);
        assert_true(ends_with(err.message, "..."));
        assert_true(strlen(err.message) < MA_ERROR_MESSAGE_SIZE);
        assert_true(strlen(err.message) >= MA_ERROR_MESSAGE_SIZE - 8);
        assert_true(ma__utf8_validate(err.message, strlen(err.message), NULL));
    }
}

static void decode_list_response_long_error_code_truncated(void **state)
{
    (void)state;
    enum { LEN = 500 };
    char code[LEN + 1];
    unit_fill_letters(code, LEN, 'A');
    char body[LEN + 128];
    snprintf(body, sizeof body, "{\"error_code\": \"%s\", \"error_msg\": \"short\"}", code);
    ma_error err;
    expect_map(MA_ERR_UNAUTHORIZED, 401, UNIT_JSON_ONLY, body, &err);
    assert_non_null(memchr(err.service_code, '\0', MA_ERROR_CODE_SIZE));
    assert_int_equal(strlen(err.service_code), MA_ERROR_CODE_SIZE - 1);
    assert_true(ends_with(err.service_code, "..."));
    assert_memory_equal(err.service_code, code, MA_ERROR_CODE_SIZE - 4);
    assert_string_equal(err.message, "short");
}

static void decode_list_response_long_request_id_truncated(void **state)
{
    (void)state;
    enum { LEN = 1000 };
    char id[LEN + 1];
    for (size_t i = 0; i < LEN; i++)
        id[i] = "0123456789abcdef"[i % 16];
    id[LEN] = '\0';
    char headers[LEN + 64];
    snprintf(headers, sizeof headers, "X-Request-Id: %s\nContent-Type: application/json", id);
    ma_error err;
    expect_map(MA_ERR_SERVICE, 400, headers, MODELARTS_ERROR, &err);
    assert_non_null(memchr(err.request_id, '\0', MA_ERROR_REQUEST_ID_SIZE));
    assert_int_equal(strlen(err.request_id), MA_ERROR_REQUEST_ID_SIZE - 1);
    assert_true(ends_with(err.request_id, "..."));
    assert_memory_equal(err.request_id, id, MA_ERROR_REQUEST_ID_SIZE - 4);

    /* The same from a gateway body's request_id. */
    char body[LEN + 128];
    snprintf(body, sizeof body, "{\"error_code\": \"APIG.0301\", \"error_msg\": \"x\", \"request_id\": \"%s\"}", id);
    expect_map(MA_ERR_UNAUTHORIZED, 401, UNIT_JSON_ONLY, body, &err);
    assert_int_equal(strlen(err.request_id), MA_ERROR_REQUEST_ID_SIZE - 1);
    assert_true(ends_with(err.request_id, "..."));
}

static void decode_list_response_header_control_chars_replaced(void **state)
{
    (void)state;
    ma_error err;
    expect_map(MA_ERR_SERVER, 502, "X-Request-Id: id\x01\x1b[0m\tend\nContent-Type: text/\x7fhtml", HTML_502, &err);
    assert_string_equal(err.request_id, "id??[0m?end");
    assert_false(has_control_bytes(err.message));
}

static void decode_list_response_numeric_error_code_ignored_status_kept(void **state)
{
    (void)state;
    ma_error err;
    expect_map(MA_ERR_UNAUTHORIZED, 401, UNIT_JSON_ONLY, "{\"error_code\": 301, \"error_msg\": \"bad token\"}", &err);
    assert_detail(&err, "", "bad token", NULL);
    expect_map(MA_ERR_SERVICE, 400, UNIT_JSON_ONLY, "{\"error_code\": 105, \"error_message\": \"bad query\"}", &err);
    assert_detail(&err, "", "bad query", NULL);
    expect_map(MA_ERR_SERVICE, 200, UNIT_JSON_ONLY,
               "{\"is_success\": false, \"error_code\": 105, "
               "\"error_message\": [\"not\", \"text\"]}",
               &err);
    assert_string_equal(err.service_code, "");
    assert_non_null(strstr(err.message, "without a message"));
    expect_map(MA_ERR_RATE_LIMITED, 429, "Retry-After: 2", "{\"error_code\": {\"x\": 1}, \"request_id\": 5}", &err);
    assert_detail(&err, "", NULL, "");
    assert_true(err.retry_after_ms == 2000);
}

static void decode_list_response_malformed_2xx_body_control_bytes_not_echoed(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "{\"is_success\": \x1b[2J}",
        "\x01\x02",
        "{\"is_success\": true,\n\x07}",
        "{\"job_name\" \"a\x7f\"}",
    };
    for (size_t i = 0; i < ARRAY_LEN(bodies); i++) {
        ma_error err;
        expect_map(MA_ERR_PROTOCOL, 200, UNIT_JSON_ONLY, bodies[i], &err);
        assert_non_null(strstr(err.message, "not valid JSON"));
        if (has_control_bytes(err.message))
            fail_msg("body %zu: control byte from the response copied into err.message", i);
    }
}

/* ------------------------------------------------------------------------------------------------ */
/* ma_error lifecycle and NULL err                                                                  */
/* ------------------------------------------------------------------------------------------------ */

static void error_clear_any_content_success_state(void **state)
{
    (void)state;
    ma_error err;
    memset(&err, 'x', sizeof err);
    ma_error_clear(&err);
    unit_assert_error_cleared("ma_error_clear", &err, 0);
    ma_error_clear(NULL);
}

static void list_training_jobs_reused_error_cleared_on_success(void **state)
{
    unit_fixture *f = *state;
    ma_error err;
    expect_list(f, MA_ERR_RATE_LIMITED, 429, "Retry-After: 7\nX-Request-Id: first", GATEWAY_429, &err);
    assert_true(err.retry_after_ms == 7000);
    assert_string_equal(err.service_code, "APIG.0308");

    expect_list(f, MA_OK, 200, UNIT_JSON_ONLY, UNIT_SAMPLE_BODY, &err);
    unit_assert_error_cleared("success after a 429", &err, 200);

    /* And after a transport failure. */
    expect_transport_failure(f, MA_ERR_TIMEOUT, 28, &err);
    expect_list(f, MA_OK, 200, UNIT_JSON_HEADERS, UNIT_SAMPLE_BODY, &err);
    assert_int_equal(err.transport_code, 0);
    assert_detail(&err, NULL, "", "abc");
}

static void list_training_jobs_reused_error_cleared_between_failures(void **state)
{
    unit_fixture *f = *state;
    ma_error err;
    expect_list(f, MA_ERR_UNAUTHORIZED, 401, "Retry-After: 9", GATEWAY_401, &err);
    assert_string_equal(err.request_id, "r-123");
    expect_list(f, MA_ERR_SERVER, 502, HTML_ONLY, HTML_502, &err);
    assert_detail(&err, "", NULL, "");
    assert_true(err.retry_after_ms == -1);
    assert_null(strstr(err.message, "Incorrect IAM"));
}

typedef struct reply_case {
    int status;
    const char *headers;
    const char *body;
    ma_status expected;
} reply_case;

static const reply_case reply_cases[] = {
    {200, UNIT_JSON_HEADERS, UNIT_SAMPLE_BODY, MA_OK},
    {400, UNIT_JSON_HEADERS, MODELARTS_ERROR, MA_ERR_SERVICE},
    {200, UNIT_JSON_HEADERS, MODELARTS_ERROR, MA_ERR_SERVICE},
    {200, UNIT_JSON_HEADERS, "{\"is_success\": false}", MA_ERR_SERVICE},
    {401, UNIT_JSON_ONLY, GATEWAY_401, MA_ERR_UNAUTHORIZED},
    {401, UNIT_JSON_HEADERS, "{\"error_msg\": \"The token expired\", \"error_code\": \"APIG.0307\"}",
     MA_ERR_UNAUTHORIZED},
    {403, UNIT_JSON_ONLY, GATEWAY_403, MA_ERR_UNAUTHORIZED},
    {404, UNIT_JSON_ONLY, GATEWAY_404, MA_ERR_NOT_FOUND},
    {429, "Retry-After: 7\nContent-Type: application/json", GATEWAY_429, MA_ERR_RATE_LIMITED},
    {408, NULL, NULL, MA_ERR_TIMEOUT},
    {500, UNIT_JSON_ONLY, "{\"error\":{\"code\":\"X.1\",\"message\":\"m\"}}", MA_ERR_SERVER},
    {502, HTML_ONLY, HTML_502, MA_ERR_SERVER},
    {503, NULL, "", MA_ERR_SERVER},
    {504, UNIT_JSON_ONLY, GATEWAY_504, MA_ERR_SERVER},
    {400, HTML_ONLY, HTML_400, MA_ERR_HTTP},
    {302, "Location: https://elsewhere.test/", "", MA_ERR_HTTP},
    {418, UNIT_JSON_ONLY, "{\"teapot\": true}", MA_ERR_HTTP},
    {204, NULL, NULL, MA_ERR_PROTOCOL},
    {200, UNIT_JSON_ONLY, "<html>maintenance</html>", MA_ERR_PROTOCOL},
    {200, UNIT_JSON_ONLY, "{\"is_success\": true, \"job_total_count\": 1, \"jobs\": [{\"job_id\": \"1\"}]}",
     MA_ERR_PROTOCOL},
    {200, UNIT_JSON_ONLY, "{\"is_success\": true, \"jobs\": []}", MA_ERR_PROTOCOL},
    {400, UNIT_JSON_ONLY, "{\"error_msg\": \"bad\\nrequest\", \"error_code\": 7}", MA_ERR_SERVICE},
};

static void list_training_jobs_null_err_same_status(void **state)
{
    unit_fixture *f = *state;
    for (size_t i = 0; i < ARRAY_LEN(reply_cases); i++) {
        const reply_case *c = &reply_cases[i];
        ma_error err;
        ma_status with_err = list_reply(f, c->status, c->headers, c->body, &err);
        ma_status without = list_reply(f, c->status, c->headers, c->body, NULL);
        if (with_err != c->expected || without != c->expected)
            fail_msg("case %zu (HTTP %d): %s with err, %s without, expected %s", i, c->status, ma_status_name(with_err),
                     ma_status_name(without), ma_status_name(c->expected));
    }
    static const ma_status transport_failures[] = {MA_ERR_TIMEOUT, MA_ERR_TLS, MA_ERR_TRANSPORT};
    for (size_t i = 0; i < ARRAY_LEN(transport_failures); i++)
        expect_transport_failure(f, transport_failures[i], 7, NULL);
    ma_job_list *list = NULL;
    assert_int_equal(ma_list_training_jobs(f->client, NULL, NULL, NULL), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_list_training_jobs(NULL, NULL, &list, NULL), MA_ERR_INVALID_ARG);
    assert_null(list);
}

static void decode_list_response_null_err_same_status(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(reply_cases); i++) {
        const reply_case *c = &reply_cases[i];
        ma_job_list *list = NULL;
        ma_status st = unit_decode(c->status, c->headers, c->body, c->body ? strlen(c->body) : 0, NOW_MS, &list, NULL);
        if (st != c->expected)
            fail_msg("case %zu (HTTP %d): %s, expected %s", i, c->status, ma_status_name(st),
                     ma_status_name(c->expected));
        if ((st == MA_OK) != (list != NULL))
            fail_msg("case %zu (HTTP %d): %s with list %s", i, c->status, ma_status_name(st), list ? "set" : "NULL");
        ma_job_list_free(list);
    }
}

/* ------------------------------------------------------------------------------------------------ */
/* Transport failures                                                                               */
/* ------------------------------------------------------------------------------------------------ */

static void list_training_jobs_transport_failure_status_and_code_kept(void **state)
{
    (void)state;
    static const struct {
        ma_status status;
        int code;
    } cases[] = {
        {MA_ERR_TIMEOUT, 28}, {MA_ERR_TLS, 60}, {MA_ERR_TLS, 35}, {MA_ERR_TRANSPORT, 7}, {MA_ERR_TRANSPORT, 6}};
    unit_fixture *f = *state;
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char what[64];
        snprintf(what, sizeof what, "case %zu (%s, %d)", i, ma_status_name(cases[i].status), cases[i].code);
        ma_error err;
        expect_transport_failure(f, cases[i].status, cases[i].code, &err);
        UNIT_CHECK(what, err.status == cases[i].status);
        UNIT_CHECK(what, err.transport_code == cases[i].code);
        UNIT_CHECK(what, err.http_status == 0);
        UNIT_CHECK(what, err.retry_after_ms == -1);
        unit_assert_text(what, err.service_code, "");
        unit_assert_text(what, err.request_id, "");
        UNIT_CHECK(what, err.message[0] != '\0');
        UNIT_CHECK(what, strstr(err.message, TOKEN) == NULL);
    }
    assert_int_equal(f->transport->calls, (int)(ARRAY_LEN(cases)));
}

/* ------------------------------------------------------------------------------------------------ */
/* ma__status_for_http                                                                              */
/* ------------------------------------------------------------------------------------------------ */

static void status_for_http_every_class_expected_status(void **state)
{
    (void)state;
    static const struct {
        int http;
        int has_body;
        ma_status expected;
    } cases[] = {
        {0, 0, MA_ERR_HTTP},           {100, 1, MA_ERR_HTTP},      {101, 0, MA_ERR_HTTP},
        {300, 0, MA_ERR_HTTP},         {301, 1, MA_ERR_HTTP},      {302, 0, MA_ERR_HTTP},
        {304, 0, MA_ERR_HTTP},         {307, 1, MA_ERR_HTTP},      {308, 0, MA_ERR_HTTP},
        {400, 0, MA_ERR_HTTP},         {400, 1, MA_ERR_SERVICE},   {401, 0, MA_ERR_UNAUTHORIZED},
        {401, 1, MA_ERR_UNAUTHORIZED}, {402, 1, MA_ERR_SERVICE},   {403, 0, MA_ERR_UNAUTHORIZED},
        {403, 1, MA_ERR_UNAUTHORIZED}, {404, 0, MA_ERR_NOT_FOUND}, {404, 1, MA_ERR_NOT_FOUND},
        {405, 0, MA_ERR_HTTP},         {405, 1, MA_ERR_SERVICE},   {408, 0, MA_ERR_TIMEOUT},
        {408, 1, MA_ERR_TIMEOUT},      {409, 1, MA_ERR_SERVICE},   {413, 0, MA_ERR_HTTP},
        {418, 0, MA_ERR_HTTP},         {422, 1, MA_ERR_SERVICE},   {429, 0, MA_ERR_RATE_LIMITED},
        {429, 1, MA_ERR_RATE_LIMITED}, {499, 1, MA_ERR_SERVICE},   {499, 0, MA_ERR_HTTP},
        {500, 0, MA_ERR_SERVER},       {500, 1, MA_ERR_SERVER},    {501, 0, MA_ERR_SERVER},
        {502, 0, MA_ERR_SERVER},       {503, 1, MA_ERR_SERVER},    {504, 0, MA_ERR_SERVER},
        {505, 0, MA_ERR_SERVER},       {599, 1, MA_ERR_SERVER},    {600, 0, MA_ERR_HTTP},
        {600, 1, MA_ERR_HTTP},         {999, 0, MA_ERR_HTTP},      {-1, 0, MA_ERR_HTTP},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        ma_status st = ma__status_for_http(cases[i].http, cases[i].has_body);
        if (st != cases[i].expected)
            fail_msg("HTTP %d (service body %d): %s, expected %s", cases[i].http, cases[i].has_body, ma_status_name(st),
                     ma_status_name(cases[i].expected));
    }
}

static void status_name_and_str_every_status_known(void **state)
{
    (void)state;
    for (size_t i = 0; i < unit_status_count; i++) {
        const unit_status_entry *c = &unit_statuses[i];
        if ((int)c->status != c->value)
            fail_msg("%s is %d, expected %d", c->name, (int)c->status, c->value);
        unit_assert_text(c->name, ma_status_name(c->status), c->name);
        if (strcmp(ma_status_str(c->status), "unknown status") == 0)
            fail_msg("%s has no text of its own", c->name);
    }
    assert_string_equal(ma_status_name((ma_status)-999), "MA_STATUS_UNKNOWN");
    assert_string_equal(ma_status_str((ma_status)42), "unknown status");
}

/* ------------------------------------------------------------------------------------------------ */
/* Secrets                                                                                          */
/* ------------------------------------------------------------------------------------------------ */

static void list_training_jobs_any_outcome_token_never_in_error(void **state)
{
    unit_fixture *f = *state;
    for (size_t i = 0; i < ARRAY_LEN(reply_cases); i++) {
        const reply_case *c = &reply_cases[i];
        ma_error err;
        expect_list(f, c->expected, c->status, c->headers, c->body, &err);
        if (strstr(err.message, TOKEN) || strstr(err.service_code, TOKEN) || strstr(err.request_id, TOKEN))
            fail_msg("case %zu (HTTP %d): token found in ma_error", i, c->status);
    }
    /* The token really was sent, so its absence above means something. */
    assert_true(unit_has_header_line(f->transport, "X-Auth-Token: " TOKEN));
    static const ma_status failures[] = {MA_ERR_TIMEOUT, MA_ERR_TLS, MA_ERR_TRANSPORT};
    for (size_t i = 0; i < ARRAY_LEN(failures); i++) {
        ma_error err;
        expect_transport_failure(f, failures[i], 56, &err);
        if (strstr(err.message, TOKEN))
            fail_msg("%s: token found in err.message", ma_status_name(failures[i]));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FIXTURE_TEST(list_training_jobs_modelarts_error_400_service_with_detail),
        cmocka_unit_test(decode_list_response_modelarts_error_400_service_with_detail),
        FIXTURE_TEST(list_training_jobs_is_success_false_with_200_service),
        cmocka_unit_test(decode_list_response_is_success_false_with_any_2xx_service_even_with_jobs),
        cmocka_unit_test(decode_list_response_200_is_success_false_without_message_says_so),
        FIXTURE_TEST(list_training_jobs_gateway_401_unauthorized_request_id_from_body),
        FIXTURE_TEST(list_training_jobs_gateway_401_header_request_id_wins),
        cmocka_unit_test(decode_list_response_gateway_403_unauthorized),
        cmocka_unit_test(decode_list_response_gateway_404_not_found),
        cmocka_unit_test(decode_list_response_gateway_429_retry_after_seconds_rate_limited),
        cmocka_unit_test(decode_list_response_retry_after_forms_relative_to_now),
        FIXTURE_TEST(list_training_jobs_retry_after_date_uses_client_clock),
        cmocka_unit_test(decode_list_response_408_timeout),
        cmocka_unit_test(decode_list_response_5xx_server),
        cmocka_unit_test(decode_list_response_nested_error_object_code_and_message),
        cmocka_unit_test(decode_list_response_html_502_server_without_dumping_body),
        cmocka_unit_test(decode_list_response_empty_503_server_mentions_empty_body),
        cmocka_unit_test(decode_list_response_html_400_http),
        FIXTURE_TEST(list_training_jobs_302_redirect_http_not_followed),
        cmocka_unit_test(decode_list_response_418_json_without_error_fields_http),
        FIXTURE_TEST(list_training_jobs_204_no_body_protocol),
        cmocka_unit_test(decode_list_response_error_message_control_chars_replaced),
        cmocka_unit_test(decode_list_response_long_error_message_truncated_with_ellipsis),
        cmocka_unit_test(decode_list_response_long_multibyte_message_truncated_on_character_boundary),
        cmocka_unit_test(decode_list_response_long_error_code_truncated),
        cmocka_unit_test(decode_list_response_long_request_id_truncated),
        cmocka_unit_test(decode_list_response_header_control_chars_replaced),
        cmocka_unit_test(decode_list_response_numeric_error_code_ignored_status_kept),
        cmocka_unit_test(decode_list_response_malformed_2xx_body_control_bytes_not_echoed),
        cmocka_unit_test(error_clear_any_content_success_state),
        FIXTURE_TEST(list_training_jobs_reused_error_cleared_on_success),
        FIXTURE_TEST(list_training_jobs_reused_error_cleared_between_failures),
        FIXTURE_TEST(list_training_jobs_null_err_same_status),
        cmocka_unit_test(decode_list_response_null_err_same_status),
        FIXTURE_TEST(list_training_jobs_transport_failure_status_and_code_kept),
        cmocka_unit_test(status_for_http_every_class_expected_status),
        cmocka_unit_test(status_name_and_str_every_status_known),
        FIXTURE_TEST(list_training_jobs_any_outcome_token_never_in_error),
    };
    return cmocka_run_group_tests(tests, unit_global_setup, unit_global_teardown);
}
