/*
 * Throttling end to end, against the fake server with a fake clock (every
 * wait is a recorded sleep, none is real): which answers count as throttled,
 * how long a throttled retry waits, the retry budget shared by a client's
 * calls and walks, and the client-side rate limits.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "e2e.h"
#include "engine/rate_limiter.h"
#include "fake_clock.h"

#define APIG_0308_MINUTE                                                                                         \
    "{\"error_code\":\"APIG.0308\",\"error_msg\":\"The throttling threshold has been reached: policy user over " \
    "ratelimit,limit:10,time:1 minute\",\"request_id\":\"req-0308\"}"

static const uint64_t draws[] = {0}; /* full jitter at its lowest: the floor */

typedef struct throttle_client {
    ma_client *client;
    fake_clock clock;
    fake_random random;
} throttle_client;

static void open_client(throttle_client *tc, const e2e_env *env, const ma_retry_policy *retry, int32_t budget,
                        int32_t adaptive, double max_rps)
{
    memset(tc, 0, sizeof *tc);
    ma_client_options o;
    e2e_options(env, &o);
    o.retry = retry;
    o.retry_budget = budget;
    o.adaptive_rate_limit = adaptive;
    o.max_requests_per_second = max_rps;
    tc->client = e2e_client_new(&o);
    fake_clock_install(&tc->clock, tc->client, ma__system_clock()->epoch_ms(NULL));
    fake_random_install(&tc->random, tc->client, draws, sizeof draws / sizeof draws[0]);
}

static ma_status list_once(throttle_client *tc, ma_error *err)
{
    ma_job_list *list = NULL;
    ma_status st = ma_list_training_jobs(tc->client, NULL, &list, err);
    ma_job_list_free(list);
    return st;
}

static ma_throttle_state state_of(const throttle_client *tc)
{
    ma_throttle_state s;
    assert_int_equal(ma_client_throttle_state(tc->client, &s), MA_OK);
    return s;
}

static void every_throttling_code_is_classified_as_throttled(void **state)
{
    e2e_env *env = *state;
    static const struct {
        unsigned int status;
        const char *code;
        int throttled;
    } cases[] = {
        {429, "APIG.0308", 1},      {429, "APIGW.0308", 1},     {500, "ModelArts.2799", 1},
        {400, "ModelArts.4206", 1}, {503, "ModelArts.6101", 1}, {429, "ModelArts.9999", 1},
        {503, "APIG.0201", 0},      {400, "ModelArts.0105", 0}, {500, "ModelArts.2798", 0},
    };
    static const ma_retry_policy once = {MA_RETRY_POLICY_VERSION, 1, 0, 0};
    throttle_client tc;
    open_client(&tc, env, &once, 0, MA_OPTION_NONE, 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char body[256];
        snprintf(body, sizeof body, "{\"error_code\":\"%s\",\"error_msg\":\"busy\"}", cases[i].code);
        assert_int_equal(fake_server_push_simple(env->server, cases[i].status, "Content-Type: application/json", body),
                         0);
        ma_error err;
        assert_int_not_equal(list_once(&tc, &err), MA_OK);
        if (err.throttled != cases[i].throttled)
            fail_msg("HTTP %u %s: throttled %d, expected %d", cases[i].status, cases[i].code, (int)err.throttled,
                     cases[i].throttled);
        assert_string_equal(err.service_code, cases[i].code);
    }
    /* APIG's message states the limit and its window. */
    assert_int_equal(fake_server_push_simple(env->server, 429, "Content-Type: application/json", APIG_0308_MINUTE), 0);
    ma_error err;
    assert_int_equal(list_once(&tc, &err), MA_ERR_RATE_LIMITED);
    assert_int_equal(err.throttled, 1);
    assert_int_equal(err.throttle_limit, 10);
    assert_int_equal(err.throttle_window_ms, 60000);
    assert_int_equal(state_of(&tc).throttled_responses, 7);
    ma_client_free(tc.client);
}

static void a_throttled_retry_waits_at_least_what_the_limit_refills(void **state)
{
    e2e_env *env = *state;
    static const ma_retry_policy three = {MA_RETRY_POLICY_VERSION, 3, 50, 20000};
    throttle_client tc;
    open_client(&tc, env, &three, 0, MA_OPTION_NONE, 0);
    /* limit 10 per minute: a new request every 6 s, so no retry before that. */
    for (int i = 0; i < 2; i++)
        assert_int_equal(fake_server_push_simple(env->server, 429, "Content-Type: application/json", APIG_0308_MINUTE),
                         0);
    ma_error err;
    assert_int_equal(list_once(&tc, &err), MA_OK);
    assert_int_equal(tc.clock.sleep_count, 2);
    assert_int_equal(tc.clock.sleeps[0], 6000);
    assert_int_equal(tc.clock.sleeps[1], 6000);
    /* Without a stated limit: about a second, not the 50 ms base of a server error. */
    static const uint64_t top[] = {999};
    fake_random_install(&tc.random, tc.client, top, 1);
    tc.clock.sleep_count = 0;
    assert_int_equal(fake_server_push_simple(env->server, 429, "Content-Type: application/json",
                                             "{\"error_code\":\"APIG.0308\",\"error_msg\":\"busy\"}"),
                     0);
    assert_int_equal(list_once(&tc, &err), MA_OK);
    assert_int_equal(tc.clock.sleep_count, 1);
    assert_true(tc.clock.sleeps[0] >= 0 && tc.clock.sleeps[0] <= MA_THROTTLE_BASE_DELAY_MS);
    assert_true(tc.clock.sleeps[0] > 50);
    /* A 503 that is not throttling keeps the policy's base. */
    tc.clock.sleep_count = 0;
    assert_int_equal(fake_server_push_simple(env->server, 503, "Content-Type: application/json",
                                             "{\"error_code\":\"APIG.0201\",\"error_msg\":\"down\"}"),
                     0);
    assert_int_equal(list_once(&tc, &err), MA_OK);
    assert_int_equal(tc.clock.sleep_count, 1);
    assert_true(tc.clock.sleeps[0] <= 50);
    ma_client_free(tc.client);
}

static void set_outage(fake_server *srv, unsigned int status)
{
    fake_faults f;
    fake_faults_init(&f);
    f.kind = FAKE_FAULT_STATUS;
    f.status = status;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
}

static void the_budget_drains_refuses_and_refills(void **state)
{
    e2e_env *env = *state;
    static const ma_retry_policy five = {MA_RETRY_POLICY_VERSION, 5, 1, 1};
    throttle_client tc;
    open_client(&tc, env, &five, 35, MA_OPTION_NONE, 0);
    assert_int_equal(state_of(&tc).retry_tokens, 35);
    set_outage(env->server, 503);
    size_t before = fake_server_request_count(env->server);
    ma_error err;
    /* 35 tokens pay three retries of 10: four requests, then the budget refuses the fourth retry. */
    assert_int_equal(list_once(&tc, &err), MA_ERR_SERVER);
    assert_int_equal(fake_server_request_count(env->server) - before, 4);
    assert_int_equal(err.retries_suspended, 1);
    assert_int_equal(err.attempts, 4);
    if (!strstr(err.message, "retries suspended: many recent requests of this client failed"))
        fail_msg("message: %s", err.message);
    ma_throttle_state s = state_of(&tc);
    assert_int_equal(s.retry_tokens, 5);
    assert_int_equal(s.retries_refused, 1);
    /* Empty: the next call sends one request and no retry. */
    before = fake_server_request_count(env->server);
    assert_int_equal(list_once(&tc, &err), MA_ERR_SERVER);
    assert_int_equal(fake_server_request_count(env->server) - before, 1);
    assert_int_equal(err.retries_suspended, 1);
    /* Successes refill it by one each. */
    assert_int_equal(fake_server_set_faults(env->server, NULL), 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(list_once(&tc, &err), MA_OK);
    assert_int_equal(state_of(&tc).retry_tokens, 10);
    /* A success that needed a retry gives its cost back. */
    assert_int_equal(fake_server_push_simple(env->server, 503, NULL, ""), 0);
    assert_int_equal(list_once(&tc, &err), MA_OK);
    assert_int_equal(state_of(&tc).retry_tokens, 10);
    ma_client_free(tc.client);
}

static void a_budget_of_none_retries_as_the_policy_says(void **state)
{
    e2e_env *env = *state;
    static const ma_retry_policy five = {MA_RETRY_POLICY_VERSION, 5, 1, 1};
    throttle_client tc;
    open_client(&tc, env, &five, (int32_t)MA_OPTION_NONE, MA_OPTION_NONE, 0);
    set_outage(env->server, 503);
    for (int i = 0; i < 20; i++) {
        size_t before = fake_server_request_count(env->server);
        ma_error err;
        assert_int_equal(list_once(&tc, &err), MA_ERR_SERVER);
        assert_int_equal(fake_server_request_count(env->server) - before, 5);
        assert_int_equal(err.retries_suspended, 0);
    }
    assert_int_equal(state_of(&tc).retry_tokens_max, 0);
    assert_int_equal(fake_server_set_faults(env->server, NULL), 0);
    ma_client_free(tc.client);
}

static void the_budget_is_shared_by_the_pages_of_a_parallel_walk(void **state)
{
    e2e_env *env = *state;
    static const ma_retry_policy five = {MA_RETRY_POLICY_VERSION, 5, 1, 1};
    throttle_client tc;
    open_client(&tc, env, &five, 20, MA_OPTION_NONE, 0);
    /* Page 1 answers (it tells the total); every later page is a 503. */
    fake_faults f;
    fake_faults_init(&f);
    f.kind = FAKE_FAULT_STATUS;
    f.status = 503;
    f.skip = 1;
    assert_int_equal(fake_server_set_faults(env->server, &f), 0);
    ma_walk_options wo;
    assert_int_equal(ma_walk_options_init(&wo, MA_WALK_OPTIONS_VERSION), MA_OK);
    wo.concurrency = 8;
    ma_job_query *q = e2e_query(10, 0, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    size_t before = fake_server_request_count(env->server);
    ma_job_list *all = NULL;
    ma_error err;
    assert_int_equal(ma_list_all_training_jobs(tc.client, q, &wo, &all, &err), MA_ERR_SERVER);
    /* 20 tokens: two retries in all for the eight pages in flight, not four each. */
    size_t sent = fake_server_request_count(env->server) - before;
    ma_throttle_state s = state_of(&tc);
    assert_int_equal(s.retry_tokens, 0);
    assert_true(s.retries_refused >= 1);
    if (sent > 1 + 8 + 2)
        fail_msg("%zu requests: the pages did not share one budget", sent);
    assert_int_equal(fake_server_set_faults(env->server, NULL), 0);
    ma_job_query_free(q);
    ma_client_free(tc.client);
}

#define APIG_0308_NO_LIMIT "{\"error_code\":\"APIG.0308\",\"error_msg\":\"The throttling threshold has been reached\"}"

static void adaptive_limiting_starts_at_a_throttle_and_spaces_requests(void **state)
{
    e2e_env *env = *state;
    static const ma_retry_policy once = {MA_RETRY_POLICY_VERSION, 1, 0, 0};
    throttle_client tc;
    open_client(&tc, env, &once, 0, 0, 0);
    ma_error err;
    /* Dormant: no throttle yet, so twenty calls never wait. */
    for (int i = 0; i < 20; i++)
        assert_int_equal(list_once(&tc, &err), MA_OK);
    assert_int_equal(tc.clock.sleep_count, 0);
    assert_true(state_of(&tc).rate_limit_rps == 0);
    assert_int_equal(fake_server_push_simple(env->server, 429, "Content-Type: application/json", APIG_0308_NO_LIMIT),
                     0);
    assert_int_equal(list_once(&tc, &err), MA_ERR_RATE_LIMITED);
    double after_throttle = state_of(&tc).rate_limit_rps;
    assert_true(after_throttle >= MA__RATE_LIMITER_MIN_RPS);
    /* Now every request takes a token: the calls are spaced, the waits are sleeps of the client's clock. */
    for (int i = 0; i < 10; i++)
        assert_int_equal(list_once(&tc, &err), MA_OK);
    assert_true(tc.clock.sleep_count >= 5);
    /* Successes raise the rate again, past where the throttle left it. */
    for (int i = 0; i < 60; i++)
        assert_int_equal(list_once(&tc, &err), MA_OK);
    assert_true(state_of(&tc).rate_limit_rps > after_throttle);
    /* Another throttle cuts it. */
    double before_cut = state_of(&tc).rate_limit_rps;
    assert_int_equal(fake_server_push_simple(env->server, 429, "Content-Type: application/json", APIG_0308_NO_LIMIT),
                     0);
    assert_int_equal(list_once(&tc, &err), MA_ERR_RATE_LIMITED);
    assert_true(state_of(&tc).rate_limit_rps < before_cut);
    /* A stated limit (10 a minute) sets the rate just under it, below the usual floor. */
    assert_int_equal(fake_server_push_simple(env->server, 429, "Content-Type: application/json", APIG_0308_MINUTE), 0);
    assert_int_equal(list_once(&tc, &err), MA_ERR_RATE_LIMITED);
    double stated = state_of(&tc).rate_limit_rps;
    assert_true(stated > 0.1583 && stated < 0.1584); /* 0.95 * 10 / 60 */
    tc.clock.sleep_count = 0;
    assert_int_equal(list_once(&tc, &err), MA_OK);
    assert_int_equal(tc.clock.sleep_count, 1);
    assert_true(tc.clock.sleeps[0] >= 6000); /* 1 / 0.158 s */
    /* Successes never take it above what the gateway stated. */
    for (int i = 0; i < 5; i++)
        assert_int_equal(list_once(&tc, &err), MA_OK);
    assert_true(state_of(&tc).rate_limit_rps <= stated);
    ma_client_free(tc.client);
}

static void adaptive_limiting_off_never_waits(void **state)
{
    e2e_env *env = *state;
    static const ma_retry_policy once = {MA_RETRY_POLICY_VERSION, 1, 0, 0};
    throttle_client tc;
    open_client(&tc, env, &once, 0, MA_OPTION_NONE, 0);
    ma_error err;
    assert_int_equal(fake_server_push_simple(env->server, 429, "Content-Type: application/json", APIG_0308_MINUTE), 0);
    assert_int_equal(list_once(&tc, &err), MA_ERR_RATE_LIMITED);
    for (int i = 0; i < 10; i++)
        assert_int_equal(list_once(&tc, &err), MA_OK);
    assert_int_equal(tc.clock.sleep_count, 0);
    assert_true(state_of(&tc).rate_limit_rps == 0);
    ma_client_free(tc.client);
}

static void max_requests_per_second_spaces_every_request(void **state)
{
    e2e_env *env = *state;
    static const ma_retry_policy once = {MA_RETRY_POLICY_VERSION, 1, 0, 0};
    throttle_client tc;
    open_client(&tc, env, &once, 0, MA_OPTION_NONE, 2.0);
    ma_error err;
    size_t before = fake_server_request_count(env->server);
    for (int i = 0; i < 5; i++)
        assert_int_equal(list_once(&tc, &err), MA_OK);
    assert_int_equal(fake_server_request_count(env->server) - before, 5);
    /* The first goes at once; each of the other four waits half a second. */
    int64_t waited = 0;
    for (size_t i = 0; i < tc.clock.sleep_count; i++)
        waited += tc.clock.sleeps[i];
    assert_int_equal(waited, 2000);
    assert_true(state_of(&tc).rate_limit_rps == 2.0);
    ma_client_free(tc.client);
    /* Out of range: refused when the client is made. */
    ma_client_options o;
    e2e_options(env, &o);
    o.max_requests_per_second = -1;
    ma_client *bad = NULL;
    assert_int_equal(ma_client_new(&bad, &o, &err), MA_ERR_INVALID_ARG);
    o.max_requests_per_second = 0;
    o.retry_budget = -5;
    assert_int_equal(ma_client_new(&bad, &o, &err), MA_ERR_INVALID_ARG);
    o.retry_budget = 0;
    o.adaptive_rate_limit = 2;
    assert_int_equal(ma_client_new(&bad, &o, &err), MA_ERR_INVALID_ARG);
    assert_null(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(every_throttling_code_is_classified_as_throttled, e2e_wait_quiet),
        cmocka_unit_test_setup(a_throttled_retry_waits_at_least_what_the_limit_refills, e2e_wait_quiet),
        cmocka_unit_test_setup(the_budget_drains_refuses_and_refills, e2e_wait_quiet),
        cmocka_unit_test_setup(a_budget_of_none_retries_as_the_policy_says, e2e_wait_quiet),
        cmocka_unit_test_setup(the_budget_is_shared_by_the_pages_of_a_parallel_walk, e2e_wait_quiet),
        cmocka_unit_test_setup(adaptive_limiting_starts_at_a_throttle_and_spaces_requests, e2e_wait_quiet),
        cmocka_unit_test_setup(adaptive_limiting_off_never_waits, e2e_wait_quiet),
        cmocka_unit_test_setup(max_requests_per_second_spaces_every_request, e2e_wait_quiet),
    };
    return cmocka_run_group_tests(tests, e2e_setup, e2e_teardown);
}
