/* The retry policy: which failures are tried again, how long the engine waits, and what the error says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "capture_transport.h"
#include "engine/retry.h"
#include "fake_clock.h"
#include "client.h"
#include "modelarts/modelarts.h"
#include "unit_fixture.h"

#define TOKEN       "retry-test-token-6d1e0c9b4a"
#define GATEWAY_503 "{\"error_msg\":\"Service unavailable\",\"error_code\":\"APIG.0201\",\"request_id\":\"r-503\"}"
#define GATEWAY_401 "{\"error_msg\":\"Incorrect IAM authentication information\",\"error_code\":\"APIG.0301\"}"
/* 2023-11-14T22:13:20Z */
#define EPOCH_MS INT64_C(1700000000000)

static uint64_t identity_random(void *ctx)
{
    return *(uint64_t *)ctx;
}

static void retryable_statuses_are_429_502_503_504_and_safe_transport_failures(void **state)
{
    (void)state;
    static const int yes[] = {429, 502, 503, 504};
    static const int no[] = {400, 401, 403, 404, 408, 409, 413, 500, 501, 505, 301, 302};
    for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
        assert_true(ma__retry_is_retryable(MA_ERR_SERVER, yes[i], 0));
        assert_true(ma__retry_is_retryable(MA_ERR_RATE_LIMITED, yes[i], 1));
    }
    for (size_t i = 0; i < ARRAY_LEN(no); i++)
        if (ma__retry_is_retryable(MA_ERR_HTTP, no[i], 1))
            fail_msg("HTTP %d must not be retried", no[i]);
    assert_true(ma__retry_is_retryable(MA_ERR_TRANSPORT, 0, 1));
    assert_true(ma__retry_is_retryable(MA_ERR_TIMEOUT, 0, 1));
    assert_false(ma__retry_is_retryable(MA_ERR_TRANSPORT, 0, 0));
    assert_false(ma__retry_is_retryable(MA_OK, 503, 1));
}

static void delay_is_full_jitter_capped_by_max_and_retry_after(void **state)
{
    (void)state;
    const ma_retry_policy p = {MA_RETRY_POLICY_VERSION, 5, 100, 1000};
    uint64_t v = UINT64_MAX;
    const ma__random top = {identity_random, &v};
    /* The largest draw gives the cap: 100, 200, 400, 800, then max. */
    static const int64_t caps[] = {100, 200, 400, 800, 1000, 1000, 1000};
    for (int retry = 1; retry <= 7; retry++) {
        v = (uint64_t)caps[retry - 1]; /* value % (cap + 1) == cap */
        assert_int_equal(ma__retry_delay_ms(&p, &top, retry, -1), caps[retry - 1]);
        v = (uint64_t)caps[retry - 1] + 1; /* wraps to 0 */
        assert_int_equal(ma__retry_delay_ms(&p, &top, retry, -1), 0);
    }
    v = 12345;
    assert_int_equal(ma__retry_delay_ms(&p, &top, 3, -1), 12345 % 401);
    /* Retry-After wins over jitter; one beyond max_delay_ms is no retry at all (-1). */
    assert_int_equal(ma__retry_delay_ms(&p, &top, 1, 0), 0);
    assert_int_equal(ma__retry_delay_ms(&p, &top, 1, 700), 700);
    assert_int_equal(ma__retry_delay_ms(&p, &top, 1, 1000), 1000);
    assert_int_equal(ma__retry_delay_ms(&p, &top, 1, 1001), -1);
    assert_int_equal(ma__retry_delay_ms(&p, &top, 1, 60000), -1);
    /* A huge retry number cannot overflow the doubling. */
    const ma_retry_policy big = {MA_RETRY_POLICY_VERSION, 100, 1, 0x7fffffffL};
    v = UINT64_MAX;
    assert_true(ma__retry_delay_ms(&big, &top, 100, -1) <= 0x7fffffffL);
    const ma_retry_policy zero = {MA_RETRY_POLICY_VERSION, 3, 0, 0};
    assert_int_equal(ma__retry_delay_ms(&zero, &top, 2, -1), 0);
}

/* Delays near LONG_MAX: the doubling saturates at max_delay_ms instead of overflowing int64_t. */
static void extreme_delays_saturate_instead_of_overflowing(void **state)
{
    (void)state;
    uint64_t v = 0;
    const ma__random draw = {identity_random, &v};
    const int64_t big_base = (int64_t)(LONG_MAX / 2 + 1);
    const ma_retry_policy huge = {MA_RETRY_POLICY_VERSION, MA_RETRY_MAX_ATTEMPTS_LIMIT, LONG_MAX / 2 + 1, LONG_MAX};
    for (int retry = 1; retry <= MA_RETRY_MAX_ATTEMPTS_LIMIT; retry++) {
        int64_t cap = retry == 1 ? big_base : (int64_t)LONG_MAX;
        v = (uint64_t)cap; /* value % (cap + 1) == cap: the largest wait */
        assert_int_equal(ma__retry_delay_ms(&huge, &draw, retry, -1), cap);
    }
    /*
     * From 1 ms the cap doubles up to 2^62 (or to max, where a long is 32 bits), then takes max
     * (2^63 would overflow).
     */
    const ma_retry_policy from_one = {MA_RETRY_POLICY_VERSION, MA_RETRY_MAX_ATTEMPTS_LIMIT, 1, LONG_MAX};
    const uint64_t cap63 = (uint64_t)LONG_MAX < (UINT64_C(1) << 62) ? (uint64_t)LONG_MAX : UINT64_C(1) << 62;
    v = UINT64_MAX;
    assert_int_equal(ma__retry_delay_ms(&from_one, &draw, 63, -1), UINT64_MAX % (cap63 + 1));
    for (int retry = 64; retry <= MA_RETRY_MAX_ATTEMPTS_LIMIT; retry++) {
        v = (uint64_t)LONG_MAX;
        assert_int_equal(ma__retry_delay_ms(&from_one, &draw, retry, -1), LONG_MAX);
    }
    /* A base above max waits at most max. */
    const ma_retry_policy base_above = {MA_RETRY_POLICY_VERSION, 3, LONG_MAX, 1000};
    v = 1000;
    assert_int_equal(ma__retry_delay_ms(&base_above, &draw, 3, -1), 1000);
    /* The due time saturates too. */
    assert_int_equal(ma__retry_add_ms(1, 2), 3);
    assert_int_equal(ma__retry_add_ms(INT64_MAX - 5, 10), INT64_MAX);
    assert_int_equal(ma__retry_add_ms(1000, INT64_MAX), INT64_MAX);
    assert_int_equal(ma__retry_add_ms(INT64_MAX, INT64_MAX), INT64_MAX);
    assert_int_equal(ma__retry_add_ms(7, 0), 7);
}

typedef struct retry_env {
    ma_credentials *creds;
    ma_client *client;
    capture_transport *t;
    fake_clock clock;
    fake_random random;
} retry_env;

static const uint64_t draws[] = {150, 7};

static void open_env(retry_env *e, const ma_retry_policy *policy, long total_timeout_ms)
{
    memset(e, 0, sizeof *e);
    e->creds = unit_credentials(TOKEN);
    ma_client_options o;
    unit_options(&o, e->creds, NULL, NULL);
    o.retry = policy; /* NULL: every default */
    o.total_timeout_ms = total_timeout_ms;
    /* The retry rules alone: the client-side rate limiter's waits would add sleeps of their own. */
    o.adaptive_rate_limit = MA_OPTION_NONE;
    e->client = unit_client_new("retry client", &o);
    e->t = capture_transport_install(e->client);
    fake_clock_install(&e->clock, e->client, EPOCH_MS);
    fake_random_install(&e->random, e->client, draws, ARRAY_LEN(draws));
}

static void close_env(retry_env *e)
{
    ma_client_free(e->client);
    ma_credentials_free(e->creds);
}

static ma_status list_once(retry_env *e, ma_error *err)
{
    ma_job_list *list = NULL;
    ma_status st = ma_list_training_jobs(e->client, NULL, &list, err);
    ma_job_list_free(list);
    return st;
}

static void a_503_is_tried_max_attempts_times_with_jittered_sleeps(void **state)
{
    (void)state;
    retry_env e;
    open_env(&e, NULL, 0);
    capture_transport_reply(e.t, 503, UNIT_JSON_HEADERS, GATEWAY_503);
    ma_error err;
    assert_int_equal(list_once(&e, &err), MA_ERR_SERVER);
    assert_int_equal(e.t->calls, 3);
    assert_int_equal(err.http_status, 503);
    /* Default base 200: the first wait is in [0, 200], the second in [0, 400]. */
    assert_int_equal(e.clock.sleep_count, 2);
    assert_int_equal(e.clock.sleeps[0], 150 % 201);
    assert_int_equal(e.clock.sleeps[1], 7 % 401);
    if (!strstr(err.message, "(attempt 3 of 3)"))
        fail_msg("message does not name the attempt: %s", err.message);
    assert_null(strstr(err.message, TOKEN));
    close_env(&e);
}

static void a_429_waits_for_retry_after_up_to_max_delay(void **state)
{
    (void)state;
    retry_env e;
    const ma_retry_policy p = {MA_RETRY_POLICY_VERSION, 3, 100, 5000};
    open_env(&e, &p, 0);
    capture_transport_reply(e.t, 429, "Retry-After: 2\nContent-Type: application/json", "{}");
    ma_error err;
    assert_int_equal(list_once(&e, &err), MA_ERR_RATE_LIMITED);
    assert_int_equal(e.t->calls, 3);
    assert_int_equal(e.clock.sleep_count, 2);
    assert_int_equal(e.clock.sleeps[0], 2000);
    assert_int_equal(e.clock.sleeps[1], 2000);
    /* 120 s asked for, 5 s allowed: no retry before the server's time; the caller gets the wait. */
    e.clock.sleep_count = 0;
    e.t->calls = 0;
    capture_transport_reply(e.t, 429, "Retry-After: 120\nContent-Type: application/json", "{}");
    assert_int_equal(list_once(&e, &err), MA_ERR_RATE_LIMITED);
    assert_int_equal(e.t->calls, 1);
    assert_int_equal(e.clock.sleep_count, 0);
    assert_int_equal(err.retry_after_ms, 120000);
    /* Exactly max_delay_ms is still waited for. */
    capture_transport_reply(e.t, 429, "Retry-After: 5\nContent-Type: application/json", "{}");
    assert_int_equal(list_once(&e, &err), MA_ERR_RATE_LIMITED);
    assert_int_equal(e.clock.sleeps[0], 5000);
    /* An HTTP date 3 s after the (fake) wall clock. 2023-11-14T22:13:23Z. */
    e.clock.sleep_count = 0;
    e.clock.now_ms = 0;
    capture_transport_reply(e.t, 503, "Retry-After: Tue, 14 Nov 2023 22:13:23 GMT\nContent-Type: application/json",
                            "{}");
    assert_int_equal(list_once(&e, &err), MA_ERR_SERVER);
    assert_int_equal(e.clock.sleeps[0], 3000);
    close_env(&e);
}

static void other_4xx_and_500_are_never_retried(void **state)
{
    (void)state;
    static const int statuses[] = {400, 401, 403, 404, 408, 500, 501};
    for (size_t i = 0; i < ARRAY_LEN(statuses); i++) {
        retry_env e;
        open_env(&e, NULL, 0);
        capture_transport_reply(e.t, statuses[i], UNIT_JSON_HEADERS, statuses[i] == 401 ? GATEWAY_401 : "{}");
        ma_error err;
        assert_int_not_equal(list_once(&e, &err), MA_OK);
        if (e.t->calls != 1)
            fail_msg("HTTP %d was sent %d times", statuses[i], e.t->calls);
        assert_int_equal(e.clock.sleep_count, 0);
        assert_null(strstr(err.message, "attempt"));
        close_env(&e);
    }
}

static void transport_failures_retry_only_when_safe(void **state)
{
    (void)state;
    retry_env e;
    open_env(&e, NULL, 0);
    capture_transport_fail(e.t, MA_ERR_TRANSPORT, 7);
    e.t->fail_retryable = 1;
    ma_error err;
    assert_int_equal(list_once(&e, &err), MA_ERR_TRANSPORT);
    assert_int_equal(e.t->calls, 3);
    assert_int_equal(err.transport_code, 7);
    assert_non_null(strstr(err.message, "(attempt 3 of 3)"));
    /* A body cut short (the transport says: not safe) is reported at once. */
    e.t->calls = 0;
    e.t->fail_retryable = 0;
    capture_transport_fail(e.t, MA_ERR_TRANSPORT, 18);
    assert_int_equal(list_once(&e, &err), MA_ERR_TRANSPORT);
    assert_int_equal(e.t->calls, 1);
    close_env(&e);
}

static void one_attempt_policy_and_recovery(void **state)
{
    (void)state;
    retry_env e;
    const ma_retry_policy once = {MA_RETRY_POLICY_VERSION, 1, 100, 1000};
    open_env(&e, &once, 0);
    capture_transport_reply(e.t, 503, UNIT_JSON_HEADERS, GATEWAY_503);
    ma_error err;
    assert_int_equal(list_once(&e, &err), MA_ERR_SERVER);
    assert_int_equal(e.t->calls, 1);
    assert_int_equal(e.clock.sleep_count, 0);
    close_env(&e);
}

static void the_total_deadline_stops_retries_and_says_so(void **state)
{
    (void)state;
    retry_env e;
    const ma_retry_policy p = {MA_RETRY_POLICY_VERSION, 5, 100, 10000};
    open_env(&e, &p, 3000);
    capture_transport_reply(e.t, 503, "Retry-After: 2\nContent-Type: application/json", "{}");
    ma_error err;
    assert_int_equal(list_once(&e, &err), MA_ERR_SERVER);
    /* At 0 and 2000 ms; a third at 4000 ms would be past the 3000 ms deadline. */
    assert_int_equal(e.t->calls, 2);
    assert_int_equal(e.clock.sleep_count, 1);
    if (!strstr(err.message, "attempt 2 of 5; no time left for another before the deadline"))
        fail_msg("message: %s", err.message);
    close_env(&e);
}

/* Programs built with options version 1 or 2 get the default policy: retries on. */
static void older_options_versions_get_the_default_policy(void **state)
{
    (void)state;
    for (unsigned version = 1; version <= 2; version++) {
        ma_credentials *creds = unit_credentials(TOKEN);
        ma_client_options o;
        memset(&o, 0x5a, sizeof o); /* the fields a v1/v2 program does not have hold junk */
        assert_int_equal(ma_client_options_init(&o, version), MA_OK);
        o.endpoint = UNIT_ENDPOINT;
        o.project_id = UNIT_PROJECT;
        o.credentials = creds;
        ma_client *client = unit_client_new("old options", &o);
        assert_int_equal(client->rt.retry.max_attempts, MA_DEFAULT_RETRY_MAX_ATTEMPTS);
        assert_int_equal(client->rt.retry.base_delay_ms, MA_DEFAULT_RETRY_BASE_DELAY_MS);
        assert_int_equal(client->rt.retry.max_delay_ms, MA_DEFAULT_RETRY_MAX_DELAY_MS);
        assert_int_equal(client->rt.total_timeout_ms, 0);
        assert_null(client->rt.log);
        assert_null(client->rt.cancel);
        capture_transport *t = capture_transport_install(client);
        fake_clock clock;
        fake_clock_install(&clock, client, EPOCH_MS);
        capture_transport_reply(t, 502, "Content-Type: text/html", "<html>bad gateway</html>");
        ma_job_list *list = NULL;
        assert_int_equal(ma_list_training_jobs(client, NULL, &list, NULL), MA_ERR_SERVER);
        assert_int_equal(t->calls, 3);
        ma_client_free(client);
        ma_credentials_free(creds);
    }
}

static void bad_policies_are_rejected(void **state)
{
    (void)state;
    ma_credentials *creds = unit_credentials(TOKEN);
    static const ma_retry_policy bad[] = {{0, 3, 1, 1},
                                          {MA_RETRY_POLICY_VERSION + 1, 3, 1, 1},
                                          {MA_RETRY_POLICY_VERSION, -1, 1, 1},
                                          {MA_RETRY_POLICY_VERSION, MA_RETRY_MAX_ATTEMPTS_LIMIT + 1, 1, 1},
                                          {MA_RETRY_POLICY_VERSION, 3, -1, 1},
                                          {MA_RETRY_POLICY_VERSION, 3, 1, -1}};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        ma_client_options o;
        unit_options(&o, creds, NULL, NULL);
        o.retry = &bad[i];
        ma_client *c = NULL;
        ma_error err;
        assert_int_equal(ma_client_new(&c, &o, &err), MA_ERR_INVALID_ARG);
        assert_null(c);
        assert_non_null(strstr(err.message, "retry"));
    }
    ma_client_options o;
    unit_options(&o, creds, NULL, NULL);
    o.total_timeout_ms = -2; /* -1 is MA_OPTION_NONE */
    ma_client *c = NULL;
    ma_error err;
    assert_int_equal(ma_client_new(&c, &o, &err), MA_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "total_timeout_ms"));
    unit_options(&o, creds, NULL, NULL);
    o.log_level = (ma_log_level)7;
    assert_int_equal(ma_client_new(&c, &o, &err), MA_ERR_INVALID_ARG);
    unit_options(&o, creds, NULL, NULL);
    o.low_speed_time_s = -2;
    assert_int_equal(ma_client_new(&c, &o, &err), MA_ERR_INVALID_ARG);
    ma_credentials_free(creds);
}

typedef struct cancel_after {
    int polls;
    int cancel_at; /* the poll that says stop, counted from 1 */
} cancel_after;

static int cancel_hook(void *user_data)
{
    cancel_after *c = user_data;
    return ++c->polls >= c->cancel_at;
}

static void the_cancel_hook_is_polled_before_every_attempt(void **state)
{
    (void)state;
    for (int at = 1; at <= 2; at++) {
        ma_credentials *creds = unit_credentials(TOKEN);
        ma_client_options o;
        unit_options(&o, creds, NULL, NULL);
        static const ma_retry_policy three = {MA_RETRY_POLICY_VERSION, 3, 0, 0};
        o.retry = &three;
        cancel_after c = {0, at};
        o.cancel = cancel_hook;
        o.cancel_user_data = &c;
        ma_client *client = unit_client_new("cancel", &o);
        capture_transport *t = capture_transport_install(client);
        fake_clock clock;
        fake_clock_install(&clock, client, EPOCH_MS);
        capture_transport_reply(t, 503, UNIT_JSON_HEADERS, GATEWAY_503);
        ma_job_list *list = NULL;
        ma_error err;
        assert_int_equal(ma_list_training_jobs(client, NULL, &list, &err), MA_ERR_CANCELLED);
        assert_null(list);
        /* Stopped before the first attempt, or before the retry of the first. */
        assert_int_equal(t->calls, at - 1);
        char want[64];
        snprintf(want, sizeof want, "cancelled by the cancel hook before attempt %d", at);
        if (!strstr(err.message, want))
            fail_msg("message: %s", err.message);
        ma_client_free(client);
        ma_credentials_free(creds);
    }
}

/* A whole call with delays near LONG_MAX: the deadline and the due time saturate (UBSan checks). */
static void a_call_with_extreme_delays_does_not_overflow(void **state)
{
    (void)state;
    static const uint64_t longest[] = {(uint64_t)INT64_MAX};
    const ma_retry_policy p = {MA_RETRY_POLICY_VERSION, 2, LONG_MAX, LONG_MAX};
    retry_env e;
    /* With the largest total deadline the wait reaches past it: one attempt, no sleep. */
    open_env(&e, &p, LONG_MAX);
    fake_clock_install(&e.clock, e.client, 0);
    fake_random_install(&e.random, e.client, longest, ARRAY_LEN(longest));
    e.clock.now_ms = 1000;
    capture_transport_reply(e.t, 503, UNIT_JSON_HEADERS, GATEWAY_503);
    ma_error err;
    assert_int_equal(list_once(&e, &err), MA_ERR_SERVER);
    assert_int_equal(e.t->calls, 1);
    assert_int_equal(e.clock.sleep_count, 0);
    assert_non_null(strstr(err.message, "no time left for another before the deadline"));
    close_env(&e);
    /* Without a deadline the retry is due at INT64_MAX, and the fake clock gets there. */
    open_env(&e, &p, 0);
    fake_clock_install(&e.clock, e.client, 0);
    fake_random_install(&e.random, e.client, longest, ARRAY_LEN(longest));
    e.clock.now_ms = 1000;
    capture_transport_reply(e.t, 503, UNIT_JSON_HEADERS, GATEWAY_503);
    assert_int_equal(list_once(&e, &err), MA_ERR_SERVER);
    assert_int_equal(e.t->calls, 2);
    assert_int_equal(e.clock.now_ms, INT64_MAX);
    close_env(&e);
}

#define PAGE_OF_THREE                                                                                  \
    "{\"is_success\": true, \"job_total_count\": 3, \"jobs\": [{\"job_id\": 10, \"job_name\": \"j\", " \
    "\"version_id\": 1, \"status\": 10, \"create_time\": 1524189990635}]}"

/* The walk's deadline runs from its first request; a page asked for after it fails and names it. */
static void a_walk_deadline_fails_the_page_after_it(void **state)
{
    (void)state;
    retry_env e;
    open_env(&e, NULL, 0);
    capture_transport_reply(e.t, 200, UNIT_JSON_HEADERS, PAGE_OF_THREE);
    ma_walk_options wo;
    assert_int_equal(ma_walk_options_init(&wo, MA_WALK_OPTIONS_VERSION), MA_OK);
    assert_int_equal(wo.timeout_ms, 0);
    wo.concurrency = 1;
    wo.timeout_ms = 1000;
    ma_job_query *q = NULL;
    assert_int_equal(ma_job_query_new(&q, NULL, NULL), MA_OK);
    assert_int_equal(ma_job_query_set_per_page(q, 1, NULL), MA_OK);
    ma_job_iter *it = NULL;
    ma_error err;
    assert_int_equal(ma_job_iter_new(&it, e.client, q, &wo, &err), MA_OK);
    const ma_job *job = NULL;
    e.clock.now_ms = 50000; /* the walk starts late: its budget counts from its first request */
    assert_int_equal(ma_job_iter_next(it, &job, &err), MA_OK);
    assert_non_null(job);
    size_t sent = (size_t)e.t->calls; /* page 1, and maybe page 2 fetched ahead */
    e.clock.now_ms += 1000;
    ma_status st;
    int handed = 1;
    while ((st = ma_job_iter_next(it, &job, &err)) == MA_OK && job)
        handed++;
    assert_int_equal(st, MA_ERR_TIMEOUT);
    assert_int_equal(handed, (int)sent);
    if (!strstr(err.message, "the deadline (ma_walk_options.timeout_ms) passed before attempt 1"))
        fail_msg("message: %s", err.message);
    assert_int_equal((size_t)e.t->calls, sent);
    ma_job_iter_free(it);
    /* A version 1 struct has no timeout_ms: junk after it is never read. */
    ma_walk_options v1;
    memset(&v1, 0x7f, sizeof v1);
    assert_int_equal(ma_walk_options_init(&v1, 1), MA_OK);
    assert_int_equal(v1.version, 1);
    v1.concurrency = 1;
    e.clock.now_ms = 0;
    assert_int_equal(ma_job_iter_new(&it, e.client, q, &v1, &err), MA_OK);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ma_job_iter_next(it, &job, &err), MA_OK);
        e.clock.now_ms += 100000;
    }
    ma_job_iter_free(it);
    wo.timeout_ms = -1;
    assert_int_equal(ma_job_iter_new(&it, e.client, q, &wo, &err), MA_ERR_INVALID_ARG);
    ma_job_query_free(q);
    close_env(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(retryable_statuses_are_429_502_503_504_and_safe_transport_failures),
        cmocka_unit_test(delay_is_full_jitter_capped_by_max_and_retry_after),
        cmocka_unit_test(extreme_delays_saturate_instead_of_overflowing),
        cmocka_unit_test(a_503_is_tried_max_attempts_times_with_jittered_sleeps),
        cmocka_unit_test(a_429_waits_for_retry_after_up_to_max_delay),
        cmocka_unit_test(other_4xx_and_500_are_never_retried),
        cmocka_unit_test(transport_failures_retry_only_when_safe),
        cmocka_unit_test(one_attempt_policy_and_recovery),
        cmocka_unit_test(the_total_deadline_stops_retries_and_says_so),
        cmocka_unit_test(older_options_versions_get_the_default_policy),
        cmocka_unit_test(bad_policies_are_rejected),
        cmocka_unit_test(the_cancel_hook_is_polled_before_every_attempt),
        cmocka_unit_test(a_walk_deadline_fails_the_page_after_it),
        cmocka_unit_test(a_call_with_extreme_delays_does_not_overflow),
    };
    return cmocka_run_group_tests(tests, unit_global_setup, unit_global_teardown);
}
