/*
 * End-to-end failures over real loopback HTTP: rejected credentials, service
 * errors, gateway and HTML bodies, rate limiting, timeouts, dropped
 * connections, size limits, redirects and TLS against a plain-HTTP port.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "e2e.h"

static ma_status list_expect_failure(ma_client *client, const ma_job_query *q, ma_error *err)
{
    ma_job_list *list = (ma_job_list *)(uintptr_t)1; /* must come back NULL */
    ma_status st = ma_list_training_jobs(client, q, &list, err);
    assert_null(list);
    assert_int_equal(err->status, st);
    assert_true(st != MA_OK);
    assert_true(err->message[0] != '\0');
    return st;
}

static void assert_client_still_works(ma_client *client)
{
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(client, NULL, &list, &err), MA_OK);
    assert_true(ma_job_list_count(list) > 0);
    ma_job_list_free(list);
}

static void list_with_wrong_token_is_unauthorized_with_gateway_detail(void **state)
{
    e2e_env *env = *state;
    static const char wrong_token[] = "wrong-token-7d1e3f0a9b";
    ma_credentials *cred = NULL;
    assert_int_equal(ma_credentials_new_token(&cred, wrong_token, NULL, NULL), MA_OK);
    ma_client_options opts;
    e2e_options(env, &opts);
    opts.credentials = cred;
    ma_client *client = e2e_client_new(&opts);
    ma_credentials_free(cred);
    ma_error err;
    assert_int_equal(list_expect_failure(client, NULL, &err), MA_ERR_UNAUTHORIZED);
    assert_int_equal(err.http_status, 401);
    assert_string_equal(err.service_code, "APIG.0301");
    assert_true(strlen(err.request_id) > 0);
    assert_null(strstr(err.message, wrong_token));
    assert_null(strstr(err.message, E2E_TOKEN));
    ma_client_free(client);
}

static void list_with_other_project_is_unauthorized(void **state)
{
    e2e_env *env = *state;
    ma_client_options opts;
    e2e_options(env, &opts);
    opts.project_id = "another project/with?odd#chars";
    ma_client *client = e2e_client_new(&opts);
    ma_error err;
    assert_int_equal(list_expect_failure(client, NULL, &err), MA_ERR_UNAUTHORIZED);
    assert_int_equal(err.http_status, 403);
    assert_string_equal(err.service_code, "ModelArts.0210");
    ma_client_free(client);
}

static void list_with_unknown_workspace_is_service_error(void **state)
{
    e2e_env *env = *state;
    ma_job_query *q = NULL;
    assert_int_equal(ma_job_query_new(&q, NULL, NULL), MA_OK);
    assert_int_equal(ma_job_query_set_workspace_id(q, "no-such-workspace", NULL), MA_OK);
    ma_error err;
    assert_int_equal(list_expect_failure(env->client, q, &err), MA_ERR_SERVICE);
    assert_int_equal(err.http_status, 400);
    assert_string_equal(err.service_code, "ModelArts.0102");
    assert_string_equal(err.message, "The workspace does not exist.");
    ma_job_query_free(q);
    assert_client_still_works(env->client);
}

/* A 403 about the project says so, in the service's words; nothing claims the token is wrong. */
static void list_forbidden_project_uses_the_services_message(void **state)
{
    e2e_env *env = *state;
    assert_int_equal(fake_server_push_simple(env->server, 403, "Content-Type: application/json",
                                             "{\"error_code\": \"ModelArts.0204\", \"error_msg\": "
                                             "\"The project ID in the URL does not match the token.\"}"),
                     0);
    ma_error err;
    assert_int_equal(list_expect_failure(env->client, NULL, &err), MA_ERR_UNAUTHORIZED);
    assert_int_equal(err.http_status, 403);
    assert_string_equal(err.service_code, "ModelArts.0204");
    assert_string_equal(err.message, "The project ID in the URL does not match the token.");
    const char *summary = ma_status_str(err.status);
    assert_non_null(strstr(summary, "not allowed"));
    assert_null(strstr(summary, "credentials rejected"));
    assert_client_still_works(env->client);
}

static void list_scripted_200_is_success_false_is_service_error(void **state)
{
    e2e_env *env = *state;
    assert_int_equal(fake_server_push_simple(env->server, 200, "Content-Type: application/json\nX-Request-Id: req-77",
                                             "{\"is_success\": false, \"error_message\": \"Error string\", "
                                             "\"error_code\": \"ModelArts.0105\"}"),
                     0);
    ma_error err;
    assert_int_equal(list_expect_failure(env->client, NULL, &err), MA_ERR_SERVICE);
    assert_int_equal(err.http_status, 200);
    assert_string_equal(err.service_code, "ModelArts.0105");
    assert_string_equal(err.message, "Error string");
    assert_string_equal(err.request_id, "req-77");
}

static void list_scripted_html_502_is_server_error(void **state)
{
    e2e_env *env = *state;
    assert_int_equal(fake_server_push_simple(env->server, 502, "Content-Type: text/html",
                                             "<html><body><h1>502 Bad Gateway</h1></body></html>"),
                     0);
    ma_error err;
    assert_int_equal(list_expect_failure(env->client, NULL, &err), MA_ERR_SERVER);
    assert_int_equal(err.http_status, 502);
    assert_string_equal(err.service_code, "");
    assert_null(strstr(err.message, "<html>"));
    /* Our own message names the request that failed: method and URL as sent, never a token. */
    char sent[256];
    snprintf(sent, sizeof sent, "GET %s/v1/%s/training-jobs: HTTP 502", fake_server_url(env->server), E2E_PROJECT);
    if (strncmp(err.message, sent, strlen(sent)) != 0)
        fail_msg("message \"%s\" does not start with \"%s\"", err.message, sent);
    assert_non_null(strstr(err.message, "text/html"));
    assert_null(strstr(err.message, E2E_TOKEN));
    assert_client_still_works(env->client);
}

static void list_scripted_429_reports_retry_after(void **state)
{
    e2e_env *env = *state;
    assert_int_equal(fake_server_push_simple(env->server, 429, "Content-Type: application/json\nRetry-After: 3",
                                             "{\"error_msg\": \"The throttling threshold has been reached\", "
                                             "\"error_code\": \"APIG.0308\", \"request_id\": \"gw-1\"}"),
                     0);
    ma_error err;
    assert_int_equal(list_expect_failure(env->client, NULL, &err), MA_ERR_RATE_LIMITED);
    assert_int_equal(err.http_status, 429);
    assert_true(err.retry_after_ms == 3000);
    assert_string_equal(err.service_code, "APIG.0308");
    assert_string_equal(err.request_id, "gw-1");
}

static void list_scripted_bad_body_is_protocol_error_naming_field(void **state)
{
    e2e_env *env = *state;
    assert_int_equal(fake_server_push_simple(env->server, 200, "Content-Type: application/json",
                                             "{\"is_success\": true, \"job_total_count\": 1, \"jobs\": "
                                             "[{\"job_id\": \"10\", \"job_name\": \"a\", \"version_id\": 1, "
                                             "\"status\": 1, \"create_time\": 1}]}"),
                     0);
    ma_error err;
    assert_int_equal(list_expect_failure(env->client, NULL, &err), MA_ERR_PROTOCOL);
    assert_non_null(strstr(err.message, "jobs[0].job_id"));

    assert_int_equal(fake_server_push_simple(env->server, 200, "Content-Type: text/plain", "OK"), 0);
    assert_int_equal(list_expect_failure(env->client, NULL, &err), MA_ERR_PROTOCOL);
    assert_non_null(strstr(err.message, "not valid JSON"));
}

static long long elapsed_ms(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)(now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* timeout_ms bounds one request (the shared options send a single attempt). */
static void list_slow_server_hits_request_timeout(void **state)
{
    e2e_env *env = *state;
    ma_client_options opts;
    e2e_options(env, &opts);
    opts.timeout_ms = 300;
    ma_client *client = e2e_client_new(&opts);
    fake_response slow = {200, "Content-Type: application/json", "{}", 2, 3000, -1, 0, 0};
    assert_int_equal(fake_server_push(env->server, &slow), 0);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    ma_error err;
    assert_int_equal(list_expect_failure(client, NULL, &err), MA_ERR_TIMEOUT);
    assert_true(elapsed_ms(&start) < 2500);
    assert_int_equal(err.transport_code, 28); /* CURLE_OPERATION_TIMEDOUT */
    assert_int_equal(err.http_status, 0);
    ma_client_free(client);
}

static void list_connection_dropped_mid_body_is_transport_error(void **state)
{
    e2e_env *env = *state;
    static const char body[] = "{\"is_success\": true, \"job_total_count\": 0, \"jobs\": []}";
    fake_response cut = {200, "Content-Type: application/json", body, sizeof body - 1, 0, 10, 0, 0};
    assert_int_equal(fake_server_push(env->server, &cut), 0);
    ma_error err;
    assert_int_equal(list_expect_failure(env->client, NULL, &err), MA_ERR_TRANSPORT);
    assert_true(err.transport_code != 0);
    assert_client_still_works(env->client);
}

static void list_body_over_the_cap_is_response_too_large(void **state)
{
    e2e_env *env = *state;
    ma_client_options opts;
    e2e_options(env, &opts);
    opts.max_response_bytes = 4096;
    ma_client *client = e2e_client_new(&opts);
    ma_job_query *q = e2e_query(100, 1, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC);
    ma_error err;
    assert_int_equal(list_expect_failure(client, q, &err), MA_ERR_RESPONSE_TOO_LARGE);
    assert_non_null(strstr(err.message, "4096"));
    ma_job_query_free(q);
    ma_client_free(client);
}

static void list_redirect_is_not_followed(void **state)
{
    e2e_env *env = *state;
    assert_int_equal(fake_server_push_simple(env->server, 302, "Location: http://127.0.0.1:9/elsewhere", ""), 0);
    size_t before = fake_server_request_count(env->server);
    ma_error err;
    assert_int_equal(list_expect_failure(env->client, NULL, &err), MA_ERR_HTTP);
    assert_int_equal(err.http_status, 302);
    assert_int_equal(fake_server_request_count(env->server) - before, 1);
    if (!strstr(err.message, "redirect to http://127.0.0.1:9/elsewhere, not followed") ||
        !strstr(err.message, "GET http://127.0.0.1:"))
        fail_msg("message: %s", err.message);
    /* A service error body does not hide the redirect; no Location says so. */
    assert_int_equal(fake_server_push_simple(env->server, 301, "Content-Type: application/json",
                                             "{\"error_code\": \"X.1\", \"error_msg\": \"moved\"}"),
                     0);
    assert_int_equal(list_expect_failure(env->client, NULL, &err), MA_ERR_HTTP);
    assert_int_equal(err.http_status, 301);
    if (!strstr(err.message, "HTTP 301 redirect without a Location, not followed"))
        fail_msg("message: %s", err.message);
}

static void list_against_closed_port_is_transport_error(void **state)
{
    e2e_env *env = *state;
    fake_server_options so;
    fake_server_options_init(&so);
    fake_server *gone = NULL;
    assert_int_equal(fake_server_start(&so, &gone), 0);
    char url[64];
    snprintf(url, sizeof url, "%s", fake_server_url(gone));
    fake_server_stop(gone);
    ma_client_options opts;
    e2e_options(env, &opts);
    opts.endpoint = url;
    ma_client *client = e2e_client_new(&opts);
    ma_error err;
    assert_int_equal(list_expect_failure(client, NULL, &err), MA_ERR_TRANSPORT);
    assert_int_equal(err.transport_code, 7); /* CURLE_COULDNT_CONNECT */
    assert_int_equal(err.http_status, 0);
    ma_client_free(client);
}

static void list_https_to_plain_http_port_is_tls_error(void **state)
{
    e2e_env *env = *state;
    char url[64];
    snprintf(url, sizeof url, "https://127.0.0.1:%u", (unsigned)fake_server_port(env->server));
    ma_client_options opts;
    e2e_options(env, &opts);
    opts.endpoint = url;
    ma_client *client = e2e_client_new(&opts);
    ma_error err;
    assert_int_equal(list_expect_failure(client, NULL, &err), MA_ERR_TLS);
    assert_int_equal(err.transport_code, 35); /* CURLE_SSL_CONNECT_ERROR */
    ma_client_free(client);
}

static void list_error_text_echoing_the_token_is_redacted(void **state)
{
    e2e_env *env = *state;
    char body[1024];
    snprintf(body, sizeof body,
             "{\"error_msg\": \"token %s is not valid\", \"error_code\": \"APIG.0301\", \"request_id\": \"%s\"}",
             E2E_TOKEN, E2E_TOKEN);
    assert_int_equal(fake_server_push_simple(env->server, 401, "Content-Type: application/json", body), 0);
    ma_error err;
    assert_int_equal(list_expect_failure(env->client, NULL, &err), MA_ERR_UNAUTHORIZED);
    assert_null(strstr(err.message, E2E_TOKEN));
    assert_non_null(strstr(err.message, "token ****"));
    assert_non_null(strstr(err.message, " is not valid"));
    assert_null(strstr(err.request_id, E2E_TOKEN));

    /* An echo cut off by truncation must not leak its beginning either. */
    char padding[MA_ERROR_MESSAGE_SIZE];
    memset(padding, 'x', sizeof padding);
    padding[MA_ERROR_MESSAGE_SIZE - 12] = '\0';
    snprintf(body, sizeof body, "{\"error_msg\": \"%s%s\", \"error_code\": \"APIG.0301\"}", padding, E2E_TOKEN);
    assert_int_equal(fake_server_push_simple(env->server, 401, "Content-Type: application/json", body), 0);
    assert_int_equal(list_expect_failure(env->client, NULL, &err), MA_ERR_UNAUTHORIZED);
    assert_non_null(strstr(err.message, "xxx****"));
    char prefix[9];
    memcpy(prefix, E2E_TOKEN, 8);
    prefix[8] = '\0';
    assert_null(strstr(err.message, prefix));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(list_with_wrong_token_is_unauthorized_with_gateway_detail, e2e_wait_quiet),
        cmocka_unit_test_setup(list_with_other_project_is_unauthorized, e2e_wait_quiet),
        cmocka_unit_test_setup(list_with_unknown_workspace_is_service_error, e2e_wait_quiet),
        cmocka_unit_test_setup(list_forbidden_project_uses_the_services_message, e2e_wait_quiet),
        cmocka_unit_test_setup(list_scripted_200_is_success_false_is_service_error, e2e_wait_quiet),
        cmocka_unit_test_setup(list_scripted_html_502_is_server_error, e2e_wait_quiet),
        cmocka_unit_test_setup(list_scripted_429_reports_retry_after, e2e_wait_quiet),
        cmocka_unit_test_setup(list_scripted_bad_body_is_protocol_error_naming_field, e2e_wait_quiet),
        cmocka_unit_test_setup(list_slow_server_hits_request_timeout, e2e_wait_quiet),
        cmocka_unit_test_setup(list_connection_dropped_mid_body_is_transport_error, e2e_wait_quiet),
        cmocka_unit_test_setup(list_body_over_the_cap_is_response_too_large, e2e_wait_quiet),
        cmocka_unit_test_setup(list_redirect_is_not_followed, e2e_wait_quiet),
        cmocka_unit_test_setup(list_against_closed_port_is_transport_error, e2e_wait_quiet),
        cmocka_unit_test_setup(list_https_to_plain_http_port_is_tls_error, e2e_wait_quiet),
        cmocka_unit_test_setup(list_error_text_echoing_the_token_is_redacted, e2e_wait_quiet),
    };
    return cmocka_run_group_tests(tests, e2e_setup, e2e_teardown);
}
