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
#include "unit_fixture.h"

/* Distinctive enough that finding it in a message can only mean a leak of the token. */
#define TOKEN      "MIIZtQYJKoZIhvcNAQcCoIIZpjCCGaICAQExDTALBglghkgBZQMEAgEwghfHBgkqhkiG9w0BBwGgghe4BIIXtHsidG9rZW4iOns"
#define TOKEN_MARK "MIIZtQYJKoZIhvcNAQcC"
#define PROJECT    "0123456789abcdef"
#define LIST_URL   "https://example.test/v1/" PROJECT "/training-jobs"

/* ---- helpers ---------------------------------------------------------------------------------------- */

/* Per-test state: credentials and valid options built from them. */
typedef struct options_env {
    ma_credentials *cred;
    ma_client_options o;
} options_env;

static int options_setup(void **state)
{
    options_env *e = calloc(1, sizeof *e);
    if (!e)
        return -1;
    e->cred = unit_credentials(TOKEN);
    unit_options(&e->o, e->cred, NULL, PROJECT);
    *state = e;
    return 0;
}

static int options_teardown(void **state)
{
    options_env *e = *state;
    ma_credentials_free(e->cred);
    free(e);
    return 0;
}

#define WITH_OPTIONS(test) cmocka_unit_test_setup_teardown(test, options_setup, options_teardown)

static unit_client_spec client_spec = {TOKEN, NULL, PROJECT, MA_SORT_PARAM_SORTBY};

#define WITH_CLIENT(test) UNIT_FIXTURE_TEST(test, &client_spec)

/*
 * ma_client_new must fail with @p expected, a NULL *out and a message containing
 * @p needle, with and without an error struct; @p what names the case.
 */
static void expect_client_new_fails(const char *what, const ma_client_options *o, ma_status expected,
                                    const char *needle)
{
    ma_client *c = unit_sentinel();
    ma_error err;
    unit_prefill_error(&err);
    ma_status st = ma_client_new(&c, o, &err);
    if (st != expected)
        fail_msg("%s: expected %s, got %s", what, ma_status_name(expected), ma_status_name(st));
    UNIT_CHECK(what, c == NULL);
    UNIT_CHECK(what, err.status == expected);
    UNIT_CHECK(what, err.http_status == 0);
    UNIT_CHECK(what, err.retry_after_ms == -1);
    if (!strstr(err.message, needle))
        fail_msg("%s: message \"%s\" does not name \"%s\"", what, err.message, needle);
    UNIT_CHECK(what, strstr(err.message, TOKEN_MARK) == NULL);

    /* Same verdict without an error struct. */
    c = unit_sentinel();
    st = ma_client_new(&c, o, NULL);
    if (st != expected)
        fail_msg("%s without err: expected %s, got %s", what, ma_status_name(expected), ma_status_name(st));
    UNIT_CHECK(what, c == NULL);
}

static void expect_invalid_options(const char *what, const ma_client_options *o, const char *needle)
{
    expect_client_new_fails(what, o, MA_ERR_INVALID_ARG, needle);
}

static void expect_invalid_token(const char *what, const char *token, const char *forbidden)
{
    ma_credentials *cred = unit_sentinel();
    ma_error err;
    unit_prefill_error(&err);
    ma_status st = ma_credentials_new_token(&cred, token, test_allocator(), &err);
    if (st != MA_ERR_INVALID_ARG)
        fail_msg("%s: expected MA_ERR_INVALID_ARG, got %s", what, ma_status_name(st));
    UNIT_CHECK(what, cred == NULL);
    UNIT_CHECK(what, err.status == MA_ERR_INVALID_ARG);
    UNIT_CHECK(what, strlen(err.message) > 0);
    UNIT_CHECK(what, strstr(err.message, "token") != NULL);
    if (forbidden && strstr(err.message, forbidden))
        fail_msg("%s: message \"%s\" echoes \"%s\"", what, err.message, forbidden);
    UNIT_CHECK(what, strstr(err.message, TOKEN_MARK) == NULL);

    cred = unit_sentinel();
    UNIT_CHECK(what, ma_credentials_new_token(&cred, token, NULL, NULL) == MA_ERR_INVALID_ARG);
    UNIT_CHECK(what, cred == NULL);
}

/* A client on a capture transport whose credentials are freed at once: it must keep its own copy. */
static void open_client_without_credentials(unit_fixture *f)
{
    unit_fixture_open(f, &client_spec);
    ma_credentials_free(f->creds);
    f->creds = NULL;
}

/* A client from @p o must be accepted and is freed again at once. */
static void expect_accepted(const char *what, const ma_client_options *o)
{
    ma_client_free(unit_client_new(what, o));
}

/* ---- ma_client_options_init ----------------------------------------------------------------------------- */

static void ma_client_options_init_fills_documented_defaults(void **state)
{
    (void)state;
    ma_client_options o;
    memset(&o, 0x5A, sizeof o);
    assert_int_equal(ma_client_options_init(&o, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    assert_int_equal(o.version, MA_CLIENT_OPTIONS_VERSION);
    /* Version 4: zero is every default, so the struct is all zero but for its version. */
    ma_client_options zero;
    memset(&zero, 0, sizeof zero);
    zero.version = MA_CLIENT_OPTIONS_VERSION;
    assert_memory_equal(&o, &zero, sizeof o);
    assert_null(o.retry);
    assert_int_equal(o.insecure_skip_tls_verify, 0);
    assert_int_equal(o.log_level, 0);

    /* An older version is filled as it always was: its zeros meant "none". */
    memset(&o, 0x5A, sizeof o);
    assert_int_equal(ma_client_options_init(&o, 3), MA_OK);
    assert_int_equal(o.connect_timeout_ms, MA_DEFAULT_CONNECT_TIMEOUT_MS);
    assert_int_equal(o.timeout_ms, MA_DEFAULT_TIMEOUT_MS);
    assert_int_equal(o.insecure_skip_tls_verify, 1); /* read as verify_tls = 1 */
    assert_int_equal(o.low_speed_limit_bytes, MA_DEFAULT_LOW_SPEED_LIMIT_BYTES);
    assert_int_equal(o.low_speed_time_s, MA_DEFAULT_LOW_SPEED_TIME_S);
    assert_int_equal(o.log_level, MA_LOG_INFO);
    assert_int_equal(o.max_response_bytes, MA_DEFAULT_MAX_RESPONSE_BYTES);
}

static void ma_client_options_init_macro_equals_init_function(void **state)
{
    (void)state;
    /* A static object too: the macro must be a constant initialiser. */
    static const ma_client_options from_static = MA_CLIENT_OPTIONS_INIT;
    const ma_client_options from_macro = MA_CLIENT_OPTIONS_INIT;
    ma_client_options from_init;
    memset(&from_init, 0, sizeof from_init); /* padding too, for the byte comparison */
    assert_int_equal(ma_client_options_init(&from_init, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    assert_int_equal(from_macro.version, MA_CLIENT_OPTIONS_VERSION);
    assert_memory_equal(&from_static, &from_init, sizeof from_init);
    assert_null(from_macro.endpoint);
    assert_null(from_macro.retry);
    assert_int_equal(from_macro.log_level, 0);
    /* The retry policy's initialiser: a version and zeros (every default). */
    const ma_retry_policy policy = MA_RETRY_POLICY_INIT;
    assert_int_equal(policy.version, MA_RETRY_POLICY_VERSION);
    assert_int_equal(policy.max_attempts, 0);
    assert_int_equal(policy.base_delay_ms, 0);
    assert_int_equal(policy.max_delay_ms, 0);
}

static void ma_client_options_init_bad_version_or_null_returns_invalid_arg(void **state)
{
    (void)state;
    static const unsigned bad_versions[] = {0, MA_CLIENT_OPTIONS_VERSION + 1, UINT_MAX};
    ma_client_options o;
    for (size_t i = 0; i < ARRAY_LEN(bad_versions); i++)
        if (ma_client_options_init(&o, bad_versions[i]) != MA_ERR_INVALID_ARG)
            fail_msg("version %u was accepted", bad_versions[i]);
    assert_int_equal(ma_client_options_init(NULL, MA_CLIENT_OPTIONS_VERSION), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_client_options_init(NULL, 0), MA_ERR_INVALID_ARG);
}

/* ---- global initialisation (these run with the library not initialised) -------------------------------- */

static void ma_client_new_before_global_init_returns_not_initialized(void **state)
{
    options_env *e = *state;
    expect_client_new_fails("before ma_global_init", &e->o, MA_ERR_NOT_INITIALIZED, "ma_global_init");
}

static void ma_global_init_refcounted_last_cleanup_disables_clients(void **state)
{
    options_env *e = *state;
    assert_int_equal(ma_global_init(), MA_OK);
    assert_int_equal(ma_global_init(), MA_OK);
    ma_global_cleanup();
    /* One reference is still held. */
    expect_accepted("one reference left", &e->o);

    ma_global_cleanup();
    ma_client *c = NULL;
    assert_int_equal(ma_client_new(&c, &e->o, NULL), MA_ERR_NOT_INITIALIZED);
    assert_null(c);

    /* Extra cleanups are ignored: the count does not go below zero. */
    ma_global_cleanup();
    ma_global_cleanup();
    assert_int_equal(ma_client_new(&c, &e->o, NULL), MA_ERR_NOT_INITIALIZED);
    assert_null(c);

    /* One init after the extra cleanups is enough again, and one cleanup undoes it. */
    assert_int_equal(ma_global_init(), MA_OK);
    expect_accepted("init after extra cleanups", &e->o);
    ma_global_cleanup();
    assert_int_equal(ma_client_new(&c, &e->o, NULL), MA_ERR_NOT_INITIALIZED);
    assert_null(c);
}

/* ---- invalid options ------------------------------------------------------------------------------------ */

static void ma_client_new_null_arguments_return_invalid_arg(void **state)
{
    options_env *e = *state;
    ma_error err;
    unit_prefill_error(&err);
    assert_int_equal(ma_client_new(NULL, &e->o, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(err.status, MA_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "out"));
    expect_invalid_options("NULL options", NULL, "options");
}

static void ma_client_new_bad_options_version_returns_invalid_arg(void **state)
{
    options_env *e = *state;
    static const unsigned bad_versions[] = {0, MA_CLIENT_OPTIONS_VERSION + 1};
    for (size_t i = 0; i < ARRAY_LEN(bad_versions); i++) {
        char what[32];
        snprintf(what, sizeof what, "version %u", bad_versions[i]);
        e->o.version = bad_versions[i];
        expect_invalid_options(what, &e->o, "version");
    }
}

/* Each value of @p values in turn as the string option @p field must be rejected naming @p name. */
static void expect_each_invalid(ma_client_options *o, const char **field, const char *name, const char *const *values,
                                size_t count)
{
    for (size_t i = 0; i < count; i++) {
        char what[128];
        snprintf(what, sizeof what, "%s \"%s\"", name, values[i] ? values[i] : "(null)");
        *field = values[i];
        expect_invalid_options(what, o, name);
    }
}

static void ma_client_new_bad_endpoint_returns_invalid_arg(void **state)
{
    options_env *e = *state;
    static const char *const bad[] = {
        NULL,
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
        "https:///example.test",
        "https://example.test:0",
        "https://example.test:",
        "https://example.test:65536",
        " https://example.test",
        "https://example.test\n",
        "http://example.test",
        "https://example.test/a/../b",
        "https://[fe80::1%25eth0]",
    };
    expect_each_invalid(&e->o, &e->o.endpoint, "endpoint", bad, ARRAY_LEN(bad));
    /* The user info of a rejected endpoint is not echoed. */
    e->o.endpoint = "https://alice:hunter2@example.test";
    ma_client *c = NULL;
    ma_error err;
    assert_int_equal(ma_client_new(&c, &e->o, &err), MA_ERR_INVALID_ARG);
    assert_null(strstr(err.message, "hunter2"));
}

static void ma_client_new_empty_user_info_in_endpoint_returns_invalid_arg(void **state)
{
    options_env *e = *state;
    /* An '@' before the host is user info even when both parts are empty. */
    static const char *const bad[] = {"https://@example.test", "https://:@example.test", "https://u:@example.test",
                                      "https://:p@example.test"};
    char accepted[256] = "";
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        e->o.endpoint = bad[i];
        ma_client *c = NULL;
        ma_error err;
        ma_status st = ma_client_new(&c, &e->o, &err);
        if (st == MA_ERR_INVALID_ARG && !c && strstr(err.message, "endpoint"))
            continue;
        /* Record and clean up so that a failure here reports only the verdict. */
        strncat(accepted, bad[i], sizeof accepted - strlen(accepted) - 2);
        strcat(accepted, " ");
        ma_client_free(c);
    }
    if (accepted[0])
        fail_msg("endpoints with user info were not rejected: %s", accepted);
}

static void ma_client_new_bad_project_id_returns_invalid_arg(void **state)
{
    options_env *e = *state;
    static char longer[MA_PROJECT_ID_MAX + 2];
    memset(longer, 'p', sizeof longer - 1);
    const char *const bad[] = {
        NULL,
        "",
        "abc\x01",
        "a\nb",
        "a\rb",
        "a\tb",
        "a\x7f"
        "b",
        "\xC0\xAF",
        "\xED\xA0\x80",
        "abc\xE2\x82",
        "\xF4\x90\x80\x80",
        "\xFF",
        longer,
        /* Dot segments: a path normaliser would send the request (and its token) elsewhere. */
        ".",
        "..",
        "a/../b",
        "a/./b",
    };
    expect_each_invalid(&e->o, &e->o.project_id, "project_id", bad, ARRAY_LEN(bad));
}

static void ma_client_new_project_id_256_bytes_accepted(void **state)
{
    (void)state;
    char pid[MA_PROJECT_ID_MAX + 1];
    memset(pid, 'p', sizeof pid - 1);
    pid[sizeof pid - 1] = '\0';
    unit_client_spec spec = client_spec;
    spec.project_id = pid;
    unit_fixture f;
    unit_fixture_open(&f, &spec);
    capture_transport_reply(f.transport, 200, NULL, UNIT_SAMPLE_BODY);
    ma_job_list *list = NULL;
    assert_int_equal(unit_list(&f, "256-byte project id", NULL, &list, NULL), MA_OK);
    char expected[400];
    snprintf(expected, sizeof expected, "https://example.test/v1/%s/training-jobs", pid);
    assert_string_equal(f.transport->url, expected);
    ma_job_list_free(list);
    unit_fixture_close(&f);
}

static void ma_client_new_null_credentials_returns_invalid_arg(void **state)
{
    options_env *e = *state;
    e->o.credentials = NULL;
    expect_invalid_options("NULL credentials", &e->o, "credentials");
}

static void ma_client_new_negative_timeouts_return_invalid_arg(void **state)
{
    options_env *e = *state;
    static const struct {
        long connect_timeout_ms;
        long timeout_ms;
        const char *name;
    } cases[] = {
        {-2, MA_DEFAULT_TIMEOUT_MS, "connect_timeout_ms"}, /* -1 is MA_OPTION_NONE */
        {LONG_MIN, MA_DEFAULT_TIMEOUT_MS, "connect_timeout_ms"},
        {0, -2, "timeout_ms"},
        {0, LONG_MIN, "timeout_ms"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char what[96];
        snprintf(what, sizeof what, "connect_timeout_ms %ld, timeout_ms %ld", cases[i].connect_timeout_ms,
                 cases[i].timeout_ms);
        e->o.connect_timeout_ms = cases[i].connect_timeout_ms;
        e->o.timeout_ms = cases[i].timeout_ms;
        expect_invalid_options(what, &e->o, cases[i].name);
    }

    /* Zero means "the default" and MA_OPTION_NONE "none"; both are accepted. */
    e->o.connect_timeout_ms = 0;
    e->o.timeout_ms = 0;
    expect_accepted("zero timeouts", &e->o);
    e->o.connect_timeout_ms = MA_OPTION_NONE;
    e->o.timeout_ms = MA_OPTION_NONE;
    expect_accepted("no timeouts", &e->o);
}

static void ma_client_new_bad_user_agent_suffix_returns_invalid_arg(void **state)
{
    options_env *e = *state;
    static char longer[MA_USER_AGENT_SUFFIX_MAX + 2];
    memset(longer, 'u', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    const char *const bad[] = {
        "app/1.0\r\nX-Injected: 1", "app\n", "app\r", "a\tb", "\x01", "caf\xC3\xA9", "\x7f", longer,
    };
    expect_each_invalid(&e->o, &e->o.user_agent_suffix, "user_agent_suffix", bad, ARRAY_LEN(bad));

    /* 256 printable bytes, and the empty string, are fine. */
    longer[MA_USER_AGENT_SUFFIX_MAX] = '\0';
    const char *const good[] = {longer, "", "my-tool/2.1 (+https://x.test)"};
    for (size_t i = 0; i < ARRAY_LEN(good); i++) {
        e->o.user_agent_suffix = good[i];
        expect_accepted(good[i], &e->o);
    }
}

static void ma_client_new_unreadable_ca_file_returns_invalid_arg(void **state)
{
    options_env *e = *state;
    static const char *const bad[] = {"/nonexistent/dir/ca-bundle.pem", ""};
    expect_each_invalid(&e->o, &e->o.ca_file, "ca_file", bad, ARRAY_LEN(bad));
}

static void ma_client_new_unknown_sort_param_name_returns_invalid_arg(void **state)
{
    options_env *e = *state;
    static const int bad[] = {7, 2, -1};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        char what[32];
        snprintf(what, sizeof what, "sort_param_name %d", bad[i]);
        e->o.sort_param_name = bad[i];
        expect_invalid_options(what, &e->o, "sort_param_name");
    }
}

/* Each endpoint mistake gets a message that says what is wrong. */
static void ma_client_new_bad_endpoint_message_says_what_is_wrong(void **state)
{
    options_env *e = *state;
    static const struct {
        const char *endpoint;
        const char *needle;
    } cases[] = {
        {"example.test", "no scheme"},
        {"https:///h", "empty host"},
        {"https://example.test:0", "port 0"},
        {"https://exa mple.test", "whitespace"},
        {"https://example.test ", "whitespace"},
        {"http://example.test", "clear text"},
        {"ftp://example.test", "scheme must be https"},
        {"https://u@example.test", "user information"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        e->o.endpoint = cases[i].endpoint;
        ma_client *c = NULL;
        ma_error err;
        assert_int_equal(ma_client_new(&c, &e->o, &err), MA_ERR_INVALID_ARG);
        assert_null(c);
        if (!strstr(err.message, cases[i].needle))
            fail_msg("endpoint \"%s\": message \"%s\" lacks \"%s\"", cases[i].endpoint, err.message, cases[i].needle);
    }
}

/* Plain http leaves loopback only when the caller says so explicitly. */
static void ma_client_new_insecure_http_needs_explicit_option(void **state)
{
    options_env *e = *state;
    static const char *const loopback[] = {"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9",
                                           "http://127.3.2.1"};
    for (size_t i = 0; i < ARRAY_LEN(loopback); i++) {
        e->o.endpoint = loopback[i];
        expect_accepted(loopback[i], &e->o);
    }
    /* Names shaped like loopback addresses are resolved through DNS: not loopback. */
    static const char *const look_alikes[] = {"http://127.0.0.1.5:8080", "http://127.0.0.1.nip.io", "http://127.1"};
    for (size_t i = 0; i < ARRAY_LEN(look_alikes); i++) {
        e->o.endpoint = look_alikes[i];
        expect_invalid_options(look_alikes[i], &e->o, "allow_insecure_http");
    }
    e->o.endpoint = "http://10.1.2.3:8080";
    expect_invalid_options("http to 10.1.2.3", &e->o, "allow_insecure_http");
    e->o.allow_insecure_http = 1;
    expect_accepted("http to 10.1.2.3 with allow_insecure_http", &e->o);
    /* An options struct of version 1 has no such field: it is never read. */
    e->o.version = 1;
    expect_invalid_options("version 1 options", &e->o, "allow_insecure_http");
}

static void ma_client_new_valid_http_and_https_endpoints_accepted(void **state)
{
    options_env *e = *state;
    static const char *const good[] = {
        "https://modelarts.eu-de.otc.t-systems.com",
        "https://example.test/",
        "https://example.test/prefix/",
        "http://127.0.0.1:8080",
        "HTTPS://EXAMPLE.TEST",
    };
    for (size_t i = 0; i < ARRAY_LEN(good); i++) {
        e->o.endpoint = good[i];
        expect_accepted(good[i], &e->o);
    }
}

/* ---- credentials ---------------------------------------------------------------------------------------- */

static void ma_credentials_new_token_null_arguments_return_invalid_arg(void **state)
{
    (void)state;
    ma_error err;
    unit_prefill_error(&err);
    assert_int_equal(ma_credentials_new_token(NULL, TOKEN, test_allocator(), &err), MA_ERR_INVALID_ARG);
    assert_int_equal(err.status, MA_ERR_INVALID_ARG);
    assert_null(strstr(err.message, TOKEN_MARK));
    expect_invalid_token("NULL token", NULL, NULL);
}

static void ma_credentials_new_token_empty_returns_invalid_arg(void **state)
{
    (void)state;
    expect_invalid_token("empty token", "", NULL);
}

static void ma_credentials_new_token_header_unsafe_bytes_rejected_without_echo(void **state)
{
    (void)state;
    static const char *const inserts[] = {"\r", "\n", "\r\n", " ", "\t", "\x01", "\x7f", "\xC3\xA9", "\x80", "\xFF"};
    for (size_t i = 0; i < ARRAY_LEN(inserts); i++) {
        char token[256], what[64];
        snprintf(token, sizeof token, "%s%sX-Evil: %s", TOKEN, inserts[i], "SecretTail77");
        snprintf(what, sizeof what, "insert %zu in the middle", i);
        expect_invalid_token(what, token, "SecretTail77");
        /* At the start and at the end too. */
        snprintf(token, sizeof token, "%s%s", inserts[i], TOKEN);
        snprintf(what, sizeof what, "insert %zu at the start", i);
        expect_invalid_token(what, token, NULL);
        snprintf(token, sizeof token, "%s%s", TOKEN, inserts[i]);
        snprintf(what, sizeof what, "insert %zu at the end", i);
        expect_invalid_token(what, token, NULL);
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
    expect_invalid_token("token one byte too long", token, NULL);

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
    unit_fixture *f = *state;
    capture_transport *t = f->transport;
    capture_transport_reply(t, 200, "Content-Type: application/json\nX-Request-Id: r-1", UNIT_SAMPLE_BODY);

    ma_job_list *list = NULL;
    ma_error err;
    unit_prefill_error(&err);
    assert_int_equal(unit_list(f, "first call", NULL, &list, &err), MA_OK);
    assert_int_equal(err.status, MA_OK);
    assert_int_equal(t->calls, 1);
    assert_string_equal(t->method, "GET");
    assert_string_equal(t->url, LIST_URL);
    assert_true(unit_has_header_line(t, "X-Auth-Token: " TOKEN));
    assert_true(unit_has_header_line(t, "Accept: application/json"));
    assert_true(unit_has_header_line(t, "Content-Type: application/json"));
    assert_int_equal(unit_count_header_lines(t, "X-Auth-Token:"), 1);
    unit_assert_sample_list("first call", list);
    ma_job_list_free(list);

    /* A second call sends the same headers again, once each. */
    assert_int_equal(unit_list(f, "second call", NULL, &list, NULL), MA_OK);
    assert_int_equal(t->calls, 2);
    assert_int_equal(unit_count_header_lines(t, "X-Auth-Token:"), 1);
    assert_int_equal(unit_count_header_lines(t, "Accept:"), 1);
    assert_int_equal(unit_count_header_lines(t, "Content-Type:"), 1);
    ma_job_list_free(list);
}

static void ma_client_new_credentials_freed_early_token_still_sent(void **state)
{
    (void)state;
    unit_fixture f;
    open_client_without_credentials(&f);

    /* Reuse the freed block's memory for something else to catch dangling reads. */
    char *scratch = malloc(4096);
    assert_non_null(scratch);
    memset(scratch, 'Q', 4096);

    capture_transport_reply(f.transport, 200, NULL, UNIT_SAMPLE_BODY);
    ma_job_list *list = NULL;
    assert_int_equal(unit_list(&f, "credentials freed", NULL, &list, NULL), MA_OK);
    assert_true(unit_has_header_line(f.transport, "X-Auth-Token: " TOKEN));
    unit_assert_sample_list("credentials freed", list);
    ma_job_list_free(list);
    free(scratch);
    unit_fixture_close(&f);
}

static void ma_list_training_jobs_failure_message_never_contains_token(void **state)
{
    unit_fixture *f = *state;
    ma_error err;
    assert_int_equal(unit_list_reply(f, 401, UNIT_JSON_ONLY,
                                     "{\"error_code\":\"APIG.0301\",\"error_msg\":\"Incorrect IAM authentication "
                                     "information\"}",
                                     &err),
                     MA_ERR_UNAUTHORIZED);
    assert_int_equal(err.status, MA_ERR_UNAUTHORIZED);
    assert_null(strstr(err.message, TOKEN_MARK));
    assert_null(strstr(err.service_code, TOKEN_MARK));
    assert_null(strstr(err.request_id, TOKEN_MARK));
}

/* ---- allocation failures ------------------------------------------------------------------------------- */

typedef struct client_torture {
    ma_credentials *cred;
    ma_client *client;
} client_torture;

static ma_status client_torture_op(void *ctx, ma_error *err)
{
    client_torture *t = ctx;
    ma_status st = ma_credentials_new_token(&t->cred, TOKEN, test_allocator(), err);
    if (st == MA_OK) {
        ma_client_options o;
        unit_options(&o, t->cred, "https://example.test/prefix/", PROJECT);
        o.user_agent_suffix = "torture/1";
        st = ma_client_new(&t->client, &o, err);
    }
    return st;
}

static void client_torture_after(void *ctx, size_t n, ma_status st, const ma_error *err)
{
    client_torture *t = ctx;
    (void)err;
    if ((st == MA_OK) != (t->client != NULL))
        fail_msg("allocation %zu failing: %s with client %s", n, ma_status_name(st), t->client ? "set" : "NULL");
    ma_client_free(t->client);
    ma_credentials_free(t->cred);
    t->client = NULL;
    t->cred = NULL;
}

static void ma_client_new_allocation_failures_return_nomem_without_leaks(void **state)
{
    (void)state;
    client_torture t = {NULL, NULL};
    const unit_alloc_case c = {"ma_client_new", 999, client_torture_op, client_torture_after, &t};
    assert_true(unit_alloc_torture(&c) >= 4);
}

typedef struct list_torture {
    unit_fixture *f;
    const ma_job_query *q;
    ma_job_list *list;
} list_torture;

static ma_status list_torture_op(void *ctx, ma_error *err)
{
    list_torture *t = ctx;
    t->list = unit_sentinel();
    return ma_list_training_jobs(t->f->client, t->q, &t->list, err);
}

static void list_torture_after(void *ctx, size_t n, ma_status st, const ma_error *err)
{
    list_torture *t = ctx;
    (void)err;
    if (st != MA_OK) {
        if (t->list != NULL)
            fail_msg("allocation %zu failing left *out set", n);
        return;
    }
    assert_string_equal(t->f->transport->url, LIST_URL "?page=2&search_content=a%20b");
    assert_true(unit_has_header_line(t->f->transport, "X-Auth-Token: " TOKEN));
    unit_assert_sample_list("list after allocation failures", t->list);
    ma_job_list_free(t->list);
}

static void ma_list_training_jobs_allocation_failures_return_nomem_without_leaks(void **state)
{
    (void)state;
    unit_fixture f;
    open_client_without_credentials(&f);
    capture_transport_reply(f.transport, 200, "Content-Type: application/json\nX-Request-Id: req-42", UNIT_SAMPLE_BODY);

    ma_job_query *q = NULL;
    assert_int_equal(ma_job_query_new(&q, test_allocator(), NULL), MA_OK);
    assert_int_equal(ma_job_query_set_search_content(q, "a b", NULL), MA_OK);
    assert_int_equal(ma_job_query_set_page(q, 2, NULL), MA_OK);

    list_torture t = {&f, q, NULL};
    const unit_alloc_case c = {"ma_list_training_jobs", 999, list_torture_op, list_torture_after, &t};
    assert_true(unit_alloc_torture(&c) >= 4);
    ma_job_query_free(q);
    unit_fixture_close(&f);
}

/* ---- NULL handling -------------------------------------------------------------------------------------- */

static void ma_client_free_null_and_friends_are_noops(void **state)
{
    (void)state;
    ma_client_free(NULL);
    ma_credentials_free(NULL);
    unit_assert_null_list_defaults();
}

static void ma_list_training_jobs_null_client_or_out_returns_invalid_arg(void **state)
{
    unit_fixture *f = *state;
    ma_job_list *list = unit_sentinel();
    ma_error err;
    unit_prefill_error(&err);
    assert_int_equal(ma_list_training_jobs(NULL, NULL, &list, &err), MA_ERR_INVALID_ARG);
    assert_null(list);
    assert_int_equal(err.status, MA_ERR_INVALID_ARG);
    assert_int_equal(err.http_status, 0);
    assert_non_null(strstr(err.message, "client"));

    list = unit_sentinel();
    assert_int_equal(ma_list_training_jobs(NULL, NULL, &list, NULL), MA_ERR_INVALID_ARG);
    assert_null(list);

    unit_prefill_error(&err);
    assert_int_equal(ma_list_training_jobs(NULL, NULL, NULL, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(err.status, MA_ERR_INVALID_ARG);

    unit_prefill_error(&err);
    assert_int_equal(ma_list_training_jobs(f->client, NULL, NULL, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(err.status, MA_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "out"));
    assert_int_equal(f->transport->calls, 0); /* nothing was sent */
}

int main(void)
{
    const struct CMUnitTest uninitialised[] = {
        cmocka_unit_test(ma_client_options_init_fills_documented_defaults),
        cmocka_unit_test(ma_client_options_init_macro_equals_init_function),
        cmocka_unit_test(ma_client_options_init_bad_version_or_null_returns_invalid_arg),
        WITH_OPTIONS(ma_client_new_before_global_init_returns_not_initialized),
        WITH_OPTIONS(ma_global_init_refcounted_last_cleanup_disables_clients),
        cmocka_unit_test(ma_credentials_new_token_null_arguments_return_invalid_arg),
        cmocka_unit_test(ma_credentials_new_token_empty_returns_invalid_arg),
        cmocka_unit_test(ma_credentials_new_token_header_unsafe_bytes_rejected_without_echo),
        cmocka_unit_test(ma_credentials_new_token_too_long_rejected_max_accepted),
        cmocka_unit_test(ma_credentials_new_token_valid_token_with_default_allocator),
        cmocka_unit_test(ma_client_free_null_and_friends_are_noops),
    };
    const struct CMUnitTest initialised[] = {
        WITH_OPTIONS(ma_client_new_null_arguments_return_invalid_arg),
        WITH_OPTIONS(ma_client_new_bad_options_version_returns_invalid_arg),
        WITH_OPTIONS(ma_client_new_bad_endpoint_returns_invalid_arg),
        WITH_OPTIONS(ma_client_new_empty_user_info_in_endpoint_returns_invalid_arg),
        WITH_OPTIONS(ma_client_new_bad_project_id_returns_invalid_arg),
        cmocka_unit_test(ma_client_new_project_id_256_bytes_accepted),
        WITH_OPTIONS(ma_client_new_null_credentials_returns_invalid_arg),
        WITH_OPTIONS(ma_client_new_negative_timeouts_return_invalid_arg),
        WITH_OPTIONS(ma_client_new_bad_user_agent_suffix_returns_invalid_arg),
        WITH_OPTIONS(ma_client_new_unreadable_ca_file_returns_invalid_arg),
        WITH_OPTIONS(ma_client_new_unknown_sort_param_name_returns_invalid_arg),
        WITH_OPTIONS(ma_client_new_bad_endpoint_message_says_what_is_wrong),
        WITH_OPTIONS(ma_client_new_insecure_http_needs_explicit_option),
        WITH_OPTIONS(ma_client_new_valid_http_and_https_endpoints_accepted),
        WITH_CLIENT(ma_list_training_jobs_request_carries_token_and_json_headers),
        cmocka_unit_test(ma_client_new_credentials_freed_early_token_still_sent),
        WITH_CLIENT(ma_list_training_jobs_failure_message_never_contains_token),
        cmocka_unit_test(ma_client_new_allocation_failures_return_nomem_without_leaks),
        cmocka_unit_test(ma_list_training_jobs_allocation_failures_return_nomem_without_leaks),
        WITH_CLIENT(ma_list_training_jobs_null_client_or_out_returns_invalid_arg),
    };
    int failed = cmocka_run_group_tests_name("without ma_global_init", uninitialised, NULL, NULL);
    failed += cmocka_run_group_tests_name("with ma_global_init", initialised, unit_global_setup, unit_global_teardown);
    return failed;
}
