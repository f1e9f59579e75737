#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_transport.h"
#include "modelarts/modelarts.h"
#include "test_alloc.h"

#define SAMPLE_BODY                                                                                          \
    "{\"is_success\":true,\"job_total_count\":1,\"job_count_limit\":3,\"quotas\":5,\"jobs\":[{\"job_id\":10,"  \
    "\"job_name\":\"a\",\"version_id\":10,\"status\":10,\"create_time\":1524189990635,\"duration\":532003,"   \
    "\"job_desc\":\"d\",\"version_count\":5}]}"

/* Distinctive enough that finding it in a message can only mean a leak of the token. */
#define TOKEN "MIIZtQYJKoZIhvcNAQcCoIIZpjCCGaICAQExDTALBglghkgBZQMEAgEwghfHBgkqhkiG9w0BBwGgghe4BIIXtHsidG9rZW4iOns"
#define TOKEN_MARK "MIIZtQYJKoZIhvcNAQcC"

/* ---- helpers ---------------------------------------------------------------------------------------- */

static int global_setup(void **state)
{
    (void)state;
    return ma_global_init() == MA_OK ? 0 : -1;
}

static int global_teardown(void **state)
{
    (void)state;
    ma_global_cleanup();
    return 0;
}

static void prefill_error(ma_error *err)
{
    memset(err, 'x', sizeof *err);
    err->status = MA_ERR_SERVER;
    err->http_status = 500;
    err->retry_after_ms = 99;
}

static ma_credentials *make_credentials(const char *token)
{
    ma_credentials *cred = NULL;
    ma_error err;
    ma_status st = ma_credentials_new_token(&cred, token, test_allocator(), &err);
    if (st != MA_OK)
        fail_msg("ma_credentials_new_token: %s (%s)", ma_status_name(st), err.message);
    return cred;
}

static void valid_options(ma_client_options *o, const ma_credentials *cred)
{
    assert_int_equal(ma_client_options_init(o, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    o->endpoint = "https://example.test";
    o->project_id = "0123456789abcdef";
    o->credentials = cred;
    o->allocator = test_allocator();
}

static ma_client *new_client_or_fail(const ma_client_options *o)
{
    ma_client *c = NULL;
    ma_error err;
    ma_status st = ma_client_new(&c, o, &err);
    if (st != MA_OK)
        fail_msg("ma_client_new: %s (%s)", ma_status_name(st), err.message);
    assert_non_null(c);
    assert_int_equal(err.status, MA_OK);
    assert_string_equal(err.message, "");
    return c;
}

/* ma_client_new must fail with MA_ERR_INVALID_ARG, NULL *out, and a message containing @p needle. */
static void expect_invalid_options(const ma_client_options *o, const char *needle)
{
    static char not_null;
    ma_client *c = (ma_client *)(void *)&not_null;
    ma_error err;
    prefill_error(&err);
    ma_status st = ma_client_new(&c, o, &err);
    if (st != MA_ERR_INVALID_ARG)
        fail_msg("expected MA_ERR_INVALID_ARG for '%s', got %s", needle, ma_status_name(st));
    assert_null(c);
    assert_int_equal(err.status, MA_ERR_INVALID_ARG);
    assert_int_equal(err.http_status, 0);
    assert_int_equal(err.retry_after_ms, -1);
    if (!strstr(err.message, needle))
        fail_msg("message \"%s\" does not name \"%s\"", err.message, needle);
    assert_null(strstr(err.message, TOKEN_MARK));

    /* Same verdict without an error struct. */
    c = (ma_client *)(void *)&not_null;
    assert_int_equal(ma_client_new(&c, o, NULL), MA_ERR_INVALID_ARG);
    assert_null(c);
}

static void expect_invalid_token(const char *token, const char *forbidden)
{
    static char not_null;
    ma_credentials *cred = (ma_credentials *)(void *)&not_null;
    ma_error err;
    prefill_error(&err);
    ma_status st = ma_credentials_new_token(&cred, token, test_allocator(), &err);
    assert_int_equal(st, MA_ERR_INVALID_ARG);
    assert_null(cred);
    assert_int_equal(err.status, MA_ERR_INVALID_ARG);
    assert_true(strlen(err.message) > 0);
    assert_non_null(strstr(err.message, "token"));
    if (forbidden)
        assert_null(strstr(err.message, forbidden));
    assert_null(strstr(err.message, TOKEN_MARK));

    cred = (ma_credentials *)(void *)&not_null;
    assert_int_equal(ma_credentials_new_token(&cred, token, NULL, NULL), MA_ERR_INVALID_ARG);
    assert_null(cred);
}

static int has_header_line(const capture_transport *t, const char *line)
{
    char needle[512];
    /* Lines are "Name: value\n"; anchor at the start of a line. */
    snprintf(needle, sizeof needle, "%s\n", line);
    for (const char *p = t->headers; (p = strstr(p, needle)) != NULL; p++)
        if (p == t->headers || p[-1] == '\n')
            return 1;
    return 0;
}

static size_t count_lines_starting(const capture_transport *t, const char *prefix)
{
    size_t count = 0;
    const char *line = t->headers;
    while (*line) {
        if (strncmp(line, prefix, strlen(prefix)) == 0)
            count++;
        const char *nl = strchr(line, '\n');
        if (!nl)
            break;
        line = nl + 1;
    }
    return count;
}

static void assert_sample_list(const ma_job_list *list)
{
    assert_non_null(list);
    assert_int_equal(ma_job_list_count(list), 1);
    assert_int_equal(ma_job_list_total_count(list), 1);
    assert_int_equal(ma_job_list_count_limit(list), 3);
    assert_int_equal(ma_job_list_quotas(list), 5);
    const ma_job *job = ma_job_list_at(list, 0);
    assert_non_null(job);
    assert_int_equal(job->job_id, 10);
    assert_int_equal(job->version_id, 10);
    assert_int_equal(job->status, MA_JOB_STATUS_COMPLETED);
    assert_int_equal(job->create_time_ms, 1524189990635LL);
    assert_int_equal(job->duration_ms, 532003);
    assert_int_equal(job->version_count, 5);
    assert_string_equal(job->job_name, "a");
    assert_string_equal(job->job_desc, "d");
    assert_null(ma_job_list_at(list, 1));
}

/* ---- ma_client_options_init ----------------------------------------------------------------------------- */

static void ma_client_options_init_fills_documented_defaults(void **state)
{
    (void)state;
    ma_client_options o;
    memset(&o, 0x5A, sizeof o);
    assert_int_equal(ma_client_options_init(&o, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    assert_int_equal(o.version, MA_CLIENT_OPTIONS_VERSION);
    assert_null(o.endpoint);
    assert_null(o.project_id);
    assert_null(o.credentials);
    assert_int_equal(o.connect_timeout_ms, MA_DEFAULT_CONNECT_TIMEOUT_MS);
    assert_int_equal(o.connect_timeout_ms, 10000);
    assert_int_equal(o.timeout_ms, MA_DEFAULT_TIMEOUT_MS);
    assert_int_equal(o.timeout_ms, 60000);
    assert_null(o.ca_file);
    assert_int_equal(o.verify_tls, 1);
    assert_null(o.user_agent_suffix);
    assert_int_equal(o.max_response_bytes, MA_DEFAULT_MAX_RESPONSE_BYTES);
    assert_int_equal(o.max_response_bytes, (size_t)32 * 1024 * 1024);
    assert_int_equal(o.sort_param_name, MA_SORT_PARAM_SORTBY);
    assert_null(o.allocator);
}

static void ma_client_options_init_bad_version_or_null_returns_invalid_arg(void **state)
{
    (void)state;
    ma_client_options o;
    assert_int_equal(ma_client_options_init(&o, 0), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_client_options_init(&o, MA_CLIENT_OPTIONS_VERSION + 1), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_client_options_init(&o, UINT_MAX), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_client_options_init(NULL, MA_CLIENT_OPTIONS_VERSION), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_client_options_init(NULL, 0), MA_ERR_INVALID_ARG);
}

/* ---- global initialisation (these run with the library not initialised) -------------------------------- */

static void ma_client_new_before_global_init_returns_not_initialized(void **state)
{
    (void)state;
    ma_credentials *cred = make_credentials(TOKEN);
    ma_client_options o;
    valid_options(&o, cred);
    static char not_null;
    ma_client *c = (ma_client *)(void *)&not_null;
    ma_error err;
    prefill_error(&err);
    assert_int_equal(ma_client_new(&c, &o, &err), MA_ERR_NOT_INITIALIZED);
    assert_null(c);
    assert_int_equal(err.status, MA_ERR_NOT_INITIALIZED);
    assert_non_null(strstr(err.message, "ma_global_init"));
    c = (ma_client *)(void *)&not_null;
    assert_int_equal(ma_client_new(&c, &o, NULL), MA_ERR_NOT_INITIALIZED);
    assert_null(c);
    ma_credentials_free(cred);
}

static void ma_global_init_refcounted_last_cleanup_disables_clients(void **state)
{
    (void)state;
    ma_credentials *cred = make_credentials(TOKEN);
    ma_client_options o;
    valid_options(&o, cred);
    ma_client *c = NULL;

    assert_int_equal(ma_global_init(), MA_OK);
    assert_int_equal(ma_global_init(), MA_OK);
    ma_global_cleanup();
    /* One reference is still held. */
    c = new_client_or_fail(&o);
    ma_client_free(c);

    ma_global_cleanup();
    c = NULL;
    assert_int_equal(ma_client_new(&c, &o, NULL), MA_ERR_NOT_INITIALIZED);
    assert_null(c);

    /* Extra cleanups are ignored: the count does not go below zero. */
    ma_global_cleanup();
    ma_global_cleanup();
    assert_int_equal(ma_client_new(&c, &o, NULL), MA_ERR_NOT_INITIALIZED);
    assert_null(c);

    /* One init after the extra cleanups is enough again, and one cleanup undoes it. */
    assert_int_equal(ma_global_init(), MA_OK);
    c = new_client_or_fail(&o);
    ma_client_free(c);
    ma_global_cleanup();
    assert_int_equal(ma_client_new(&c, &o, NULL), MA_ERR_NOT_INITIALIZED);
    assert_null(c);
    ma_credentials_free(cred);
}

/* ---- invalid options ------------------------------------------------------------------------------------ */

static void ma_client_new_null_arguments_return_invalid_arg(void **state)
{
    (void)state;
    ma_credentials *cred = make_credentials(TOKEN);
    ma_client_options o;
    valid_options(&o, cred);
    ma_error err;
    prefill_error(&err);
    assert_int_equal(ma_client_new(NULL, &o, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(err.status, MA_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "out"));
    expect_invalid_options(NULL, "options");
    ma_credentials_free(cred);
}

static void ma_client_new_bad_options_version_returns_invalid_arg(void **state)
{
    (void)state;
    ma_credentials *cred = make_credentials(TOKEN);
    ma_client_options o;
    valid_options(&o, cred);
    o.version = 0;
    expect_invalid_options(&o, "version");
    o.version = MA_CLIENT_OPTIONS_VERSION + 1;
    expect_invalid_options(&o, "version");
    ma_credentials_free(cred);
}

static void ma_client_new_bad_endpoint_returns_invalid_arg(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "ftp://example.test",
        "file:///etc/passwd",
        "example.test",
        "//example.test",
        "https://",
        "https://u:p@example.test",
        "https://user@example.test",
        "https://example.test?x=1",
        "https://example.test/?",
        "https://example.test/path?x=1",
        "https://example.test#frag",
        "https://example.test/#",
        "https://exa mple.test",
        "https://example.test/a b",
    };
    ma_credentials *cred = make_credentials(TOKEN);
    ma_client_options o;
    valid_options(&o, cred);
    o.endpoint = NULL;
    expect_invalid_options(&o, "endpoint");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o.endpoint = bad[i];
        expect_invalid_options(&o, "endpoint");
    }
    /* The user info of a rejected endpoint is not echoed. */
    o.endpoint = "https://alice:hunter2@example.test";
    ma_client *c = NULL;
    ma_error err;
    assert_int_equal(ma_client_new(&c, &o, &err), MA_ERR_INVALID_ARG);
    assert_null(strstr(err.message, "hunter2"));
    ma_credentials_free(cred);
}

static void ma_client_new_empty_user_info_in_endpoint_returns_invalid_arg(void **state)
{
    (void)state;
    /* An '@' before the host is user info even when both parts are empty. */
    static const char *const bad[] = {"https://@example.test", "https://:@example.test", "https://u:@example.test",
                                      "https://:p@example.test"};
    ma_credentials *cred = make_credentials(TOKEN);
    ma_client_options o;
    valid_options(&o, cred);
    char accepted[256] = "";
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o.endpoint = bad[i];
        ma_client *c = NULL;
        ma_error err;
        ma_status st = ma_client_new(&c, &o, &err);
        if (st == MA_ERR_INVALID_ARG && !c && strstr(err.message, "endpoint"))
            continue;
        /* Record and clean up so that a failure here reports only the verdict. */
        strncat(accepted, bad[i], sizeof accepted - strlen(accepted) - 2);
        strcat(accepted, " ");
        ma_client_free(c);
    }
    ma_credentials_free(cred);
    if (accepted[0])
        fail_msg("endpoints with user info were not rejected: %s", accepted);
}

static void ma_client_new_bad_project_id_returns_invalid_arg(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "abc\x01",
        "a\nb",
        "a\rb",
        "a\tb",
        "a\x7f" "b",
        "\xC0\xAF",
        "\xED\xA0\x80",
        "abc\xE2\x82",
        "\xF4\x90\x80\x80",
        "\xFF",
    };
    ma_credentials *cred = make_credentials(TOKEN);
    ma_client_options o;
    valid_options(&o, cred);
    o.project_id = NULL;
    expect_invalid_options(&o, "project_id");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o.project_id = bad[i];
        expect_invalid_options(&o, "project_id");
    }
    char longer[MA_PROJECT_ID_MAX + 2];
    memset(longer, 'p', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    o.project_id = longer;
    expect_invalid_options(&o, "project_id");
    ma_credentials_free(cred);
}

static void ma_client_new_project_id_256_bytes_accepted(void **state)
{
    (void)state;
    ma_credentials *cred = make_credentials(TOKEN);
    ma_client_options o;
    valid_options(&o, cred);
    char pid[MA_PROJECT_ID_MAX + 1];
    memset(pid, 'p', sizeof pid - 1);
    pid[sizeof pid - 1] = '\0';
    o.project_id = pid;
    ma_client *c = new_client_or_fail(&o);
    capture_transport *t = capture_transport_install(c);
    capture_transport_reply(t, 200, NULL, SAMPLE_BODY);
    ma_job_list *list = NULL;
    assert_int_equal(ma_list_training_jobs(c, NULL, &list, NULL), MA_OK);
    char expected[400];
    snprintf(expected, sizeof expected, "https://example.test/v1/%s/training-jobs", pid);
    assert_string_equal(t->url, expected);
    ma_job_list_free(list);
    ma_client_free(c);
    ma_credentials_free(cred);
}

static void ma_client_new_null_credentials_returns_invalid_arg(void **state)
{
    (void)state;
    ma_client_options o;
    valid_options(&o, NULL);
    expect_invalid_options(&o, "credentials");
}

static void ma_client_new_negative_timeouts_return_invalid_arg(void **state)
{
    (void)state;
    ma_credentials *cred = make_credentials(TOKEN);
    ma_client_options o;
    valid_options(&o, cred);
    o.connect_timeout_ms = -1;
    expect_invalid_options(&o, "connect_timeout_ms");
    o.connect_timeout_ms = LONG_MIN;
    expect_invalid_options(&o, "connect_timeout_ms");
    o.connect_timeout_ms = 0;
    o.timeout_ms = -1;
    expect_invalid_options(&o, "timeout_ms");
    o.timeout_ms = LONG_MIN;
    expect_invalid_options(&o, "timeout_ms");

    /* Zero means "library default" / "none" and is accepted. */
    o.timeout_ms = 0;
    ma_client *c = new_client_or_fail(&o);
    ma_client_free(c);
    ma_credentials_free(cred);
}

static void ma_client_new_bad_user_agent_suffix_returns_invalid_arg(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "app/1.0\r\nX-Injected: 1",
        "app\n",
        "app\r",
        "a\tb",
        "\x01",
        "caf\xC3\xA9",
        "\x7f",
    };
    ma_credentials *cred = make_credentials(TOKEN);
    ma_client_options o;
    valid_options(&o, cred);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o.user_agent_suffix = bad[i];
        expect_invalid_options(&o, "user_agent_suffix");
    }
    char longer[MA_USER_AGENT_SUFFIX_MAX + 2];
    memset(longer, 'u', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    o.user_agent_suffix = longer;
    expect_invalid_options(&o, "user_agent_suffix");

    /* 256 printable bytes, and the empty string, are fine. */
    longer[MA_USER_AGENT_SUFFIX_MAX] = '\0';
    o.user_agent_suffix = longer;
    ma_client *c = new_client_or_fail(&o);
    ma_client_free(c);
    o.user_agent_suffix = "";
    c = new_client_or_fail(&o);
    ma_client_free(c);
    o.user_agent_suffix = "my-tool/2.1 (+https://x.test)";
    c = new_client_or_fail(&o);
    ma_client_free(c);
    ma_credentials_free(cred);
}

static void ma_client_new_unreadable_ca_file_returns_invalid_arg(void **state)
{
    (void)state;
    ma_credentials *cred = make_credentials(TOKEN);
    ma_client_options o;
    valid_options(&o, cred);
    o.ca_file = "/nonexistent/dir/ca-bundle.pem";
    expect_invalid_options(&o, "ca_file");
    o.ca_file = "";
    expect_invalid_options(&o, "ca_file");
    ma_credentials_free(cred);
}

static void ma_client_new_unknown_sort_param_name_returns_invalid_arg(void **state)
{
    (void)state;
    ma_credentials *cred = make_credentials(TOKEN);
    ma_client_options o;
    valid_options(&o, cred);
    o.sort_param_name = (ma_sort_param_name)7;
    expect_invalid_options(&o, "sort_param_name");
    o.sort_param_name = (ma_sort_param_name)2;
    expect_invalid_options(&o, "sort_param_name");
    o.sort_param_name = (ma_sort_param_name)-1;
    expect_invalid_options(&o, "sort_param_name");
    ma_credentials_free(cred);
}

static void ma_client_new_valid_http_and_https_endpoints_accepted(void **state)
{
    (void)state;
    static const char *const good[] = {
        "https://modelarts.eu-de.otc.t-systems.com",
        "https://example.test/",
        "https://example.test/prefix/",
        "http://127.0.0.1:8080",
        "HTTPS://EXAMPLE.TEST",
    };
    ma_credentials *cred = make_credentials(TOKEN);
    ma_client_options o;
    valid_options(&o, cred);
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        o.endpoint = good[i];
        ma_client *c = new_client_or_fail(&o);
        ma_client_free(c);
    }
    ma_credentials_free(cred);
}

/* ---- credentials ---------------------------------------------------------------------------------------- */

static void ma_credentials_new_token_null_arguments_return_invalid_arg(void **state)
{
    (void)state;
    ma_error err;
    prefill_error(&err);
    assert_int_equal(ma_credentials_new_token(NULL, TOKEN, test_allocator(), &err), MA_ERR_INVALID_ARG);
    assert_int_equal(err.status, MA_ERR_INVALID_ARG);
    assert_null(strstr(err.message, TOKEN_MARK));
    expect_invalid_token(NULL, NULL);
}

static void ma_credentials_new_token_empty_returns_invalid_arg(void **state)
{
    (void)state;
    expect_invalid_token("", NULL);
}

static void ma_credentials_new_token_header_unsafe_bytes_rejected_without_echo(void **state)
{
    (void)state;
    static const char *const inserts[] = {"\r", "\n", "\r\n", " ", "\t", "\x01", "\x7f", "\xC3\xA9", "\x80",
                                          "\xFF"};
    for (size_t i = 0; i < sizeof inserts / sizeof inserts[0]; i++) {
        char token[256];
        snprintf(token, sizeof token, "%s%sX-Evil: %s", TOKEN, inserts[i], "SecretTail77");
        expect_invalid_token(token, "SecretTail77");
        /* At the start and at the end too. */
        snprintf(token, sizeof token, "%s%s", inserts[i], TOKEN);
        expect_invalid_token(token, NULL);
        snprintf(token, sizeof token, "%s%s", TOKEN, inserts[i]);
        expect_invalid_token(token, NULL);
    }
}

static void ma_credentials_new_token_too_long_rejected_max_accepted(void **state)
{
    (void)state;
    char *token = malloc((size_t)MA_TOKEN_MAX_BYTES + 2);
    assert_non_null(token);
    /* Start with the distinctive mark so an echo would be caught. */
    for (size_t i = 0; i < (size_t)MA_TOKEN_MAX_BYTES + 1; i++)
        token[i] = TOKEN[i % (sizeof TOKEN - 1)];
    token[MA_TOKEN_MAX_BYTES + 1] = '\0';
    expect_invalid_token(token, NULL);

    token[MA_TOKEN_MAX_BYTES] = '\0';
    ma_credentials *cred = NULL;
    ma_error err;
    assert_int_equal(ma_credentials_new_token(&cred, token, test_allocator(), &err), MA_OK);
    assert_non_null(cred);
    assert_int_equal(err.status, MA_OK);
    ma_credentials_free(cred);
    free(token);
}

static void ma_credentials_new_token_valid_token_with_default_allocator(void **state)
{
    (void)state;
    ma_credentials *cred = NULL;
    assert_int_equal(ma_credentials_new_token(&cred, "a", NULL, NULL), MA_OK);
    assert_non_null(cred);
    ma_credentials_free(cred);
}

/* ---- requests through the capture transport ------------------------------------------------------------- */

static void ma_list_training_jobs_request_carries_token_and_json_headers(void **state)
{
    (void)state;
    ma_credentials *cred = make_credentials(TOKEN);
    ma_client_options o;
    valid_options(&o, cred);
    ma_client *c = new_client_or_fail(&o);
    capture_transport *t = capture_transport_install(c);
    capture_transport_reply(t, 200, "Content-Type: application/json\nX-Request-Id: r-1", SAMPLE_BODY);

    ma_job_list *list = NULL;
    ma_error err;
    prefill_error(&err);
    assert_int_equal(ma_list_training_jobs(c, NULL, &list, &err), MA_OK);
    assert_int_equal(err.status, MA_OK);
    assert_int_equal(t->calls, 1);
    assert_string_equal(t->method, "GET");
    assert_string_equal(t->url, "https://example.test/v1/0123456789abcdef/training-jobs");
    assert_true(has_header_line(t, "X-Auth-Token: " TOKEN));
    assert_true(has_header_line(t, "Accept: application/json"));
    assert_true(has_header_line(t, "Content-Type: application/json"));
    assert_int_equal(count_lines_starting(t, "X-Auth-Token:"), 1);
    assert_sample_list(list);
    ma_job_list_free(list);

    /* A second call sends the same headers again, once each. */
    assert_int_equal(ma_list_training_jobs(c, NULL, &list, NULL), MA_OK);
    assert_int_equal(t->calls, 2);
    assert_int_equal(count_lines_starting(t, "X-Auth-Token:"), 1);
    assert_int_equal(count_lines_starting(t, "Accept:"), 1);
    assert_int_equal(count_lines_starting(t, "Content-Type:"), 1);
    ma_job_list_free(list);
    ma_client_free(c);
    ma_credentials_free(cred);
}

static void ma_client_new_credentials_freed_early_token_still_sent(void **state)
{
    (void)state;
    ma_credentials *cred = make_credentials(TOKEN);
    ma_client_options o;
    valid_options(&o, cred);
    ma_client *c = new_client_or_fail(&o);
    ma_credentials_free(cred);

    /* Reuse the freed block's memory for something else to catch dangling reads. */
    char *scratch = malloc(4096);
    assert_non_null(scratch);
    memset(scratch, 'Q', 4096);

    capture_transport *t = capture_transport_install(c);
    capture_transport_reply(t, 200, NULL, SAMPLE_BODY);
    ma_job_list *list = NULL;
    assert_int_equal(ma_list_training_jobs(c, NULL, &list, NULL), MA_OK);
    assert_true(has_header_line(t, "X-Auth-Token: " TOKEN));
    assert_sample_list(list);
    ma_job_list_free(list);
    free(scratch);
    ma_client_free(c);
}

static void ma_list_training_jobs_failure_message_never_contains_token(void **state)
{
    (void)state;
    ma_credentials *cred = make_credentials(TOKEN);
    ma_client_options o;
    valid_options(&o, cred);
    ma_client *c = new_client_or_fail(&o);
    capture_transport *t = capture_transport_install(c);
    capture_transport_reply(t, 401, "Content-Type: application/json",
                            "{\"error_code\":\"APIG.0301\",\"error_msg\":\"Incorrect IAM authentication information\"}");
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(c, NULL, &list, &err), MA_ERR_UNAUTHORIZED);
    assert_null(list);
    assert_int_equal(err.status, MA_ERR_UNAUTHORIZED);
    assert_null(strstr(err.message, TOKEN_MARK));
    assert_null(strstr(err.service_code, TOKEN_MARK));
    assert_null(strstr(err.request_id, TOKEN_MARK));
    ma_client_free(c);
    ma_credentials_free(cred);
}

/* ---- allocation failures ------------------------------------------------------------------------------- */

static void ma_client_new_allocation_failures_return_nomem_without_leaks(void **state)
{
    (void)state;
    size_t nomem_seen = 0;
    int succeeded = 0;
    for (size_t n = 1; n < 1000 && !succeeded; n++) {
        ma_credentials *cred = NULL;
        ma_client *c = NULL;
        ma_error err;
        test_alloc_fail_from(n);
        ma_status st = ma_credentials_new_token(&cred, TOKEN, test_allocator(), &err);
        if (st == MA_OK) {
            ma_client_options o;
            valid_options(&o, cred);
            o.user_agent_suffix = "torture/1";
            o.endpoint = "https://example.test/prefix/";
            st = ma_client_new(&c, &o, &err);
        }
        test_alloc_reset();
        if (st == MA_OK) {
            assert_non_null(c);
            succeeded = 1;
        } else {
            if (st != MA_ERR_NOMEM)
                fail_msg("allocation %zu failing gave %s (%s)", n, ma_status_name(st), err.message);
            assert_int_equal(err.status, MA_ERR_NOMEM);
            assert_true(strlen(err.message) > 0);
            assert_null(c);
            nomem_seen++;
        }
        ma_client_free(c);
        ma_credentials_free(cred);
    }
    assert_true(succeeded);
    assert_true(nomem_seen >= 4);
}

static void ma_list_training_jobs_allocation_failures_return_nomem_without_leaks(void **state)
{
    (void)state;
    ma_credentials *cred = make_credentials(TOKEN);
    ma_client_options o;
    valid_options(&o, cred);
    ma_client *c = new_client_or_fail(&o);
    ma_credentials_free(cred);
    capture_transport *t = capture_transport_install(c);
    capture_transport_reply(t, 200, "Content-Type: application/json\nX-Request-Id: req-42", SAMPLE_BODY);

    ma_job_query *q = NULL;
    assert_int_equal(ma_job_query_new(&q, test_allocator(), NULL), MA_OK);
    assert_int_equal(ma_job_query_set_search_content(q, "a b", NULL), MA_OK);
    assert_int_equal(ma_job_query_set_page(q, 2, NULL), MA_OK);

    size_t nomem_seen = 0;
    int succeeded = 0;
    for (size_t n = 1; n < 1000 && !succeeded; n++) {
        static char not_null;
        ma_job_list *list = (ma_job_list *)(void *)&not_null;
        ma_error err;
        test_alloc_fail_from(n);
        ma_status st = ma_list_training_jobs(c, q, &list, &err);
        test_alloc_reset();
        if (st == MA_OK) {
            assert_string_equal(t->url,
                                "https://example.test/v1/0123456789abcdef/training-jobs?page=2&search_content=a%20b");
            assert_true(has_header_line(t, "X-Auth-Token: " TOKEN));
            assert_sample_list(list);
            ma_job_list_free(list);
            succeeded = 1;
        } else {
            if (st != MA_ERR_NOMEM)
                fail_msg("allocation %zu failing gave %s (%s)", n, ma_status_name(st), err.message);
            assert_int_equal(err.status, MA_ERR_NOMEM);
            assert_null(list);
            nomem_seen++;
        }
    }
    assert_true(succeeded);
    assert_true(nomem_seen >= 4);
    ma_job_query_free(q);
    ma_client_free(c);
}

/* ---- NULL handling -------------------------------------------------------------------------------------- */

static void ma_client_free_null_and_friends_are_noops(void **state)
{
    (void)state;
    ma_client_free(NULL);
    ma_credentials_free(NULL);
    ma_job_list_free(NULL);
    assert_int_equal(ma_job_list_count(NULL), 0);
    assert_null(ma_job_list_at(NULL, 0));
    assert_int_equal(ma_job_list_total_count(NULL), 0);
    assert_int_equal(ma_job_list_count_limit(NULL), -1);
    assert_int_equal(ma_job_list_quotas(NULL), -1);
}

static void ma_list_training_jobs_null_client_or_out_returns_invalid_arg(void **state)
{
    (void)state;
    static char not_null;
    ma_job_list *list = (ma_job_list *)(void *)&not_null;
    ma_error err;
    prefill_error(&err);
    assert_int_equal(ma_list_training_jobs(NULL, NULL, &list, &err), MA_ERR_INVALID_ARG);
    assert_null(list);
    assert_int_equal(err.status, MA_ERR_INVALID_ARG);
    assert_int_equal(err.http_status, 0);
    assert_non_null(strstr(err.message, "client"));

    list = (ma_job_list *)(void *)&not_null;
    assert_int_equal(ma_list_training_jobs(NULL, NULL, &list, NULL), MA_ERR_INVALID_ARG);
    assert_null(list);

    prefill_error(&err);
    assert_int_equal(ma_list_training_jobs(NULL, NULL, NULL, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(err.status, MA_ERR_INVALID_ARG);

    ma_credentials *cred = make_credentials(TOKEN);
    ma_client_options o;
    valid_options(&o, cred);
    ma_client *c = new_client_or_fail(&o);
    capture_transport *t = capture_transport_install(c);
    prefill_error(&err);
    assert_int_equal(ma_list_training_jobs(c, NULL, NULL, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(err.status, MA_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "out"));
    assert_int_equal(t->calls, 0); /* nothing was sent */
    ma_client_free(c);
    ma_credentials_free(cred);
}

int main(void)
{
    const struct CMUnitTest uninitialised[] = {
        cmocka_unit_test(ma_client_options_init_fills_documented_defaults),
        cmocka_unit_test(ma_client_options_init_bad_version_or_null_returns_invalid_arg),
        cmocka_unit_test(ma_client_new_before_global_init_returns_not_initialized),
        cmocka_unit_test(ma_global_init_refcounted_last_cleanup_disables_clients),
        cmocka_unit_test(ma_credentials_new_token_null_arguments_return_invalid_arg),
        cmocka_unit_test(ma_credentials_new_token_empty_returns_invalid_arg),
        cmocka_unit_test(ma_credentials_new_token_header_unsafe_bytes_rejected_without_echo),
        cmocka_unit_test(ma_credentials_new_token_too_long_rejected_max_accepted),
        cmocka_unit_test(ma_credentials_new_token_valid_token_with_default_allocator),
        cmocka_unit_test(ma_client_free_null_and_friends_are_noops),
    };
    const struct CMUnitTest initialised[] = {
        cmocka_unit_test(ma_client_new_null_arguments_return_invalid_arg),
        cmocka_unit_test(ma_client_new_bad_options_version_returns_invalid_arg),
        cmocka_unit_test(ma_client_new_bad_endpoint_returns_invalid_arg),
        cmocka_unit_test(ma_client_new_empty_user_info_in_endpoint_returns_invalid_arg),
        cmocka_unit_test(ma_client_new_bad_project_id_returns_invalid_arg),
        cmocka_unit_test(ma_client_new_project_id_256_bytes_accepted),
        cmocka_unit_test(ma_client_new_null_credentials_returns_invalid_arg),
        cmocka_unit_test(ma_client_new_negative_timeouts_return_invalid_arg),
        cmocka_unit_test(ma_client_new_bad_user_agent_suffix_returns_invalid_arg),
        cmocka_unit_test(ma_client_new_unreadable_ca_file_returns_invalid_arg),
        cmocka_unit_test(ma_client_new_unknown_sort_param_name_returns_invalid_arg),
        cmocka_unit_test(ma_client_new_valid_http_and_https_endpoints_accepted),
        cmocka_unit_test(ma_list_training_jobs_request_carries_token_and_json_headers),
        cmocka_unit_test(ma_client_new_credentials_freed_early_token_still_sent),
        cmocka_unit_test(ma_list_training_jobs_failure_message_never_contains_token),
        cmocka_unit_test(ma_client_new_allocation_failures_return_nomem_without_leaks),
        cmocka_unit_test(ma_list_training_jobs_allocation_failures_return_nomem_without_leaks),
        cmocka_unit_test(ma_list_training_jobs_null_client_or_out_returns_invalid_arg),
    };
    int failed = cmocka_run_group_tests_name("without ma_global_init", uninitialised, NULL, NULL);
    failed += cmocka_run_group_tests_name("with ma_global_init", initialised, global_setup, global_teardown);
    return failed;
}
