/*
 * Options no behaviour can show (NOSIGNAL above all), seen through the
 * transport's setopt observer. Each exchange goes to a closed loopback port,
 * so nothing is sent and the test needs no server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "http/curl_observer.h"
#include "modelarts/modelarts.h"
#include "test_alloc.h"
#include "transport_kit.h"

#define MAX_SEEN 128

typedef struct seen_option {
    int option;
    long value;
    int has_text;
    char text[256];
} seen_option;

static seen_option seen[MAX_SEEN];
static size_t seen_count;

static void observe(int option, long value, const char *text)
{
    if (seen_count == MAX_SEEN)
        return;
    seen_option *s = &seen[seen_count++];
    s->option = option;
    s->value = value;
    s->has_text = text != NULL;
    snprintf(s->text, sizeof s->text, "%s", text ? text : "");
}

/* The last value set for @p option, or NULL when it was never set. */
static const seen_option *last(CURLoption option)
{
    for (size_t i = seen_count; i > 0; i--)
        if (seen[i - 1].option == (int)option)
            return &seen[i - 1];
    return NULL;
}

static void expect_long(CURLoption option, const char *name, long want)
{
    const seen_option *s = last(option);
    if (!s)
        fail_msg("%s was never set", name);
    if (s->value != want)
        fail_msg("%s = %ld, want %ld", name, s->value, want);
}

static void expect_text(CURLoption option, const char *name, const char *want)
{
    const seen_option *s = last(option);
    if (!s)
        fail_msg("%s was never set", name);
    if (!s->has_text || strcmp(s->text, want) != 0)
        fail_msg("%s = '%s', want '%s'", name, s->text, want);
}

static uint16_t closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    socklen_t len = sizeof addr;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    close(fd);
    return ntohs(addr.sin_port);
}

/* One exchange with @p method on @p scheme; the options it set are in seen[]. */
static void run_one(const ma__curl_settings *s, const char *scheme, const char *method, int64_t deadline_ms)
{
    kit_endpoint ep;
    kit_endpoint_init(&ep, scheme, "127.0.0.1", closed_port());
    ma__transport *t = kit_transport_new(s);
    kit_exchange x;
    kit_exchange_init(&x, method, &ep.ep);
    kit_list_path(&x, "p");
    x.req.deadline_ms = deadline_ms;
    if (strcmp(method, "POST") == 0)
        assert_int_equal(ma__buf_append_str(&x.req.body, "{}"), 0);
    seen_count = 0;
    ma__curl_option_observer = observe;
    ma_status st = ma__transport_send(t, &x.x);
    ma__curl_option_observer = NULL;
    assert_true(st == MA_ERR_TRANSPORT || st == MA_ERR_TIMEOUT);
    kit_exchange_free(&x);
    t->vtable->destroy(t);
}

static void options_http_defaults(void **state)
{
    (void)state;
    ma__curl_settings s = kit_settings();
    s.connect_timeout_ms = 1234;
    s.timeout_ms = 5678;
    run_one(&s, "http", "GET", 0);
    expect_long(CURLOPT_NOSIGNAL, "NOSIGNAL", 1);
    expect_text(CURLOPT_PROTOCOLS_STR, "PROTOCOLS_STR", "http");
    expect_text(CURLOPT_REDIR_PROTOCOLS_STR, "REDIR_PROTOCOLS_STR", "http");
    expect_long(CURLOPT_FOLLOWLOCATION, "FOLLOWLOCATION", 0);
    expect_long(CURLOPT_PATH_AS_IS, "PATH_AS_IS", 1);
    expect_long(CURLOPT_CONNECTTIMEOUT_MS, "CONNECTTIMEOUT_MS", 1234);
    expect_long(CURLOPT_TIMEOUT_MS, "TIMEOUT_MS", 5678);
    expect_long(CURLOPT_SSL_VERIFYPEER, "SSL_VERIFYPEER", 1);
    expect_long(CURLOPT_SSL_VERIFYHOST, "SSL_VERIFYHOST", 2);
    expect_text(CURLOPT_ACCEPT_ENCODING, "ACCEPT_ENCODING", "");
    expect_long(CURLOPT_TCP_KEEPALIVE, "TCP_KEEPALIVE", 1);
    expect_long(CURLOPT_HTTPGET, "HTTPGET", 1);
    expect_long(CURLOPT_MAXFILESIZE_LARGE, "MAXFILESIZE_LARGE", (long)((size_t)1 << 20));
    expect_text(CURLOPT_USERAGENT, "USERAGENT", "modelarts-c-transport-test/1");
    assert_null(last(CURLOPT_CAINFO));
    assert_null(last(CURLOPT_CUSTOMREQUEST));
    /* Every handle takes the transport's TLS sessions and DNS answers. */
    assert_non_null(last(CURLOPT_SHARE));
    /* HTTP/2 only by ALPN, so plain http stays HTTP/1.1, and its exchanges never wait for one another. */
    expect_long(CURLOPT_HTTP_VERSION, "HTTP_VERSION", (long)CURL_HTTP_VERSION_2TLS);
    assert_null(last(CURLOPT_PIPEWAIT));
    /*
     * Raw protocol bytes hold credentials: the log is written by the engine. The debug hook is set only so
     * the transport can check the request line libcurl sent; verbose output without it would go to stderr.
     */
    expect_long(CURLOPT_VERBOSE, "VERBOSE", 1);
    assert_non_null(last(CURLOPT_DEBUGFUNCTION));
    const seen_option *url = last(CURLOPT_URL);
    assert_non_null(url);
    assert_non_null(strstr(url->text, "/v1/p/training-jobs"));
}

static void options_https_restricts_protocols_to_https(void **state)
{
    (void)state;
    ma__curl_settings s = kit_settings();
    run_one(&s, "https", "GET", 0);
    expect_text(CURLOPT_PROTOCOLS_STR, "PROTOCOLS_STR", "https");
    expect_text(CURLOPT_REDIR_PROTOCOLS_STR, "REDIR_PROTOCOLS_STR", "https");
    expect_long(CURLOPT_NOSIGNAL, "NOSIGNAL", 1);
    expect_long(CURLOPT_SSL_VERIFYPEER, "SSL_VERIFYPEER", 1);
    expect_long(CURLOPT_SSL_VERIFYHOST, "SSL_VERIFYHOST", 2);
    /* An exchange waits for a connection in its handshake to say whether HTTP/2 can multiplex it. */
    expect_long(CURLOPT_HTTP_VERSION, "HTTP_VERSION", (long)CURL_HTTP_VERSION_2TLS);
    expect_long(CURLOPT_PIPEWAIT, "PIPEWAIT", 1);

    /* Per request, not per transport: the next http request on a fresh run says http again. */
    run_one(&s, "http", "GET", 0);
    expect_text(CURLOPT_PROTOCOLS_STR, "PROTOCOLS_STR", "http");
    assert_null(last(CURLOPT_PIPEWAIT));
}

static void options_verify_off_and_ca_file(void **state)
{
    (void)state;
    ma__curl_settings s = kit_settings();
    s.verify_tls = 0;
    s.ca_file = "/nonexistent/ca.pem";
    run_one(&s, "https", "GET", 0);
    expect_long(CURLOPT_SSL_VERIFYPEER, "SSL_VERIFYPEER", 0);
    expect_long(CURLOPT_SSL_VERIFYHOST, "SSL_VERIFYHOST", 0);
    expect_text(CURLOPT_CAINFO, "CAINFO", "/nonexistent/ca.pem");
}

static void options_post_and_other_methods(void **state)
{
    (void)state;
    ma__curl_settings s = kit_settings();
    run_one(&s, "http", "POST", 0);
    expect_long(CURLOPT_POST, "POST", 1);
    expect_long(CURLOPT_POSTFIELDSIZE_LARGE, "POSTFIELDSIZE_LARGE", 2);
    assert_non_null(last(CURLOPT_POSTFIELDS));
    assert_null(last(CURLOPT_CUSTOMREQUEST));
    run_one(&s, "http", "DELETE", 0);
    expect_text(CURLOPT_CUSTOMREQUEST, "CUSTOMREQUEST", "DELETE");
    assert_null(last(CURLOPT_HTTPGET));
}

static void options_deadline_sets_remaining_time(void **state)
{
    (void)state;
    ma__curl_settings s = kit_settings();
    s.timeout_ms = 0;
    run_one(&s, "http", "GET", kit_now_ms() + 60000);
    const seen_option *o = last(CURLOPT_TIMEOUT_MS);
    assert_non_null(o);
    assert_true(o->value > 55000 && o->value <= 60000);

    /* Already passed: nothing is set, nothing is sent. */
    run_one(&s, "http", "GET", kit_now_ms() - 5);
    assert_null(last(CURLOPT_URL));
}

/* The request's own timeout stays unless the deadline leaves less. */
static void options_request_timeout_is_cut_to_the_deadline(void **state)
{
    (void)state;
    ma__curl_settings s = kit_settings();
    s.timeout_ms = 5000;
    run_one(&s, "http", "GET", kit_now_ms() + 600000);
    expect_long(CURLOPT_TIMEOUT_MS, "TIMEOUT_MS", 5000);
    run_one(&s, "http", "GET", kit_now_ms() + 2000);
    const seen_option *o = last(CURLOPT_TIMEOUT_MS);
    assert_non_null(o);
    assert_true(o->value > 0 && o->value <= 2000);
}

static int never_cancel(void *user_data)
{
    (void)user_data;
    return 0;
}

static void options_low_speed_and_cancel_hook(void **state)
{
    (void)state;
    ma__curl_settings s = kit_settings();
    s.low_speed_limit_bytes = 16;
    s.low_speed_time_s = 30;
    run_one(&s, "http", "GET", 0);
    expect_long(CURLOPT_LOW_SPEED_LIMIT, "LOW_SPEED_LIMIT", 16);
    expect_long(CURLOPT_LOW_SPEED_TIME, "LOW_SPEED_TIME", 30);
    assert_null(last(CURLOPT_XFERINFOFUNCTION));
    /* Off when either is 0; the progress callback only runs when there is a hook to poll. */
    s.low_speed_time_s = 0;
    s.cancel = never_cancel;
    run_one(&s, "http", "GET", 0);
    assert_null(last(CURLOPT_LOW_SPEED_LIMIT));
    assert_non_null(last(CURLOPT_XFERINFOFUNCTION));
    expect_long(CURLOPT_NOPROGRESS, "NOPROGRESS", 0);
}

/* One list call of a client built from @p o against a closed https port; the options it set are in seen[]. */
static void run_client(ma_client_options *o)
{
    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "https://127.0.0.1:%u", (unsigned)closed_port());
    ma_credentials *cred = NULL;
    ma_error err;
    assert_int_equal(ma_credentials_new_token(&cred, "zero-options-token", NULL, &err), MA_OK);
    o->endpoint = endpoint;
    o->project_id = "p";
    o->credentials = cred;
    ma_client *client = NULL;
    if (ma_client_new(&client, o, &err) != MA_OK)
        fail_msg("ma_client_new: %s", err.message);
    ma_credentials_free(cred);
    ma_job_list *jobs = NULL;
    seen_count = 0;
    ma__curl_option_observer = observe;
    ma_status st = ma_list_training_jobs(client, NULL, &jobs, &err);
    ma__curl_option_observer = NULL;
    assert_true(st == MA_ERR_TRANSPORT || st == MA_ERR_TIMEOUT);
    assert_null(jobs);
    ma_client_free(client);
}

/* Options version 4: a struct that is zero but for its version is the safe one. */
static void options_zero_filled_v4_struct_verifies_tls_and_keeps_timeouts(void **state)
{
    (void)state;
    ma_client_options o;
    memset(&o, 0, sizeof o);
    o.version = 4;
    run_client(&o);
    expect_long(CURLOPT_SSL_VERIFYPEER, "SSL_VERIFYPEER", 1);
    expect_long(CURLOPT_SSL_VERIFYHOST, "SSL_VERIFYHOST", 2);
    expect_long(CURLOPT_CONNECTTIMEOUT_MS, "CONNECTTIMEOUT_MS", MA_DEFAULT_CONNECT_TIMEOUT_MS);
    expect_long(CURLOPT_TIMEOUT_MS, "TIMEOUT_MS", MA_DEFAULT_TIMEOUT_MS);
    expect_long(CURLOPT_LOW_SPEED_LIMIT, "LOW_SPEED_LIMIT", MA_DEFAULT_LOW_SPEED_LIMIT_BYTES);
    expect_long(CURLOPT_LOW_SPEED_TIME, "LOW_SPEED_TIME", MA_DEFAULT_LOW_SPEED_TIME_S);

    /* "None" is said with MA_OPTION_NONE, and skipping verification with its own field. */
    memset(&o, 0, sizeof o);
    o.version = MA_CLIENT_OPTIONS_VERSION;
    o.timeout_ms = MA_OPTION_NONE;
    o.low_speed_limit_bytes = MA_OPTION_NONE;
    o.insecure_skip_tls_verify = 1;
    run_client(&o);
    expect_long(CURLOPT_SSL_VERIFYPEER, "SSL_VERIFYPEER", 0);
    expect_long(CURLOPT_TIMEOUT_MS, "TIMEOUT_MS", 0);
    assert_null(last(CURLOPT_LOW_SPEED_LIMIT));
}

/* Versions 1 to 3 keep their meaning: the TLS field is the old verify_tls, and zero timeouts are none. */
static void options_zero_filled_v2_struct_keeps_its_old_meaning(void **state)
{
    (void)state;
    ma_client_options o;
    memset(&o, 0, sizeof o);
    o.version = 2;
    run_client(&o);
    expect_long(CURLOPT_SSL_VERIFYPEER, "SSL_VERIFYPEER", 0);
    expect_long(CURLOPT_TIMEOUT_MS, "TIMEOUT_MS", 0);
    expect_long(CURLOPT_CONNECTTIMEOUT_MS, "CONNECTTIMEOUT_MS", 0);
    /* ... and ma_client_options_init() for an old version still spells its defaults out. */
    assert_int_equal(ma_client_options_init(&o, 3), MA_OK);
    run_client(&o);
    expect_long(CURLOPT_SSL_VERIFYPEER, "SSL_VERIFYPEER", 1);
    expect_long(CURLOPT_TIMEOUT_MS, "TIMEOUT_MS", MA_DEFAULT_TIMEOUT_MS);
}

static int setup(void **state)
{
    (void)state;
    return ma_global_init() == MA_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ma_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(options_http_defaults),
        cmocka_unit_test(options_https_restricts_protocols_to_https),
        cmocka_unit_test(options_verify_off_and_ca_file),
        cmocka_unit_test(options_post_and_other_methods),
        cmocka_unit_test(options_deadline_sets_remaining_time),
        cmocka_unit_test(options_request_timeout_is_cut_to_the_deadline),
        cmocka_unit_test(options_low_speed_and_cancel_hook),
        cmocka_unit_test(options_zero_filled_v4_struct_verifies_tls_and_keeps_timeouts),
        cmocka_unit_test(options_zero_filled_v2_struct_keeps_its_old_meaning),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
