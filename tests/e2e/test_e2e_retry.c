/*
 * Retries against the fake server over loopback: the attempts it sees, a
 * fresh signature on each, and a parallel walk whose retried page keeps its
 * place while the other pages go on. A fake clock makes every wait instant.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "e2e.h"
#include "fake_clock.h"
#include "client.h"

#define AK   "QTWAOYTTINDUT2QVKYUC"
#define SK   "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
#define BUSY "{\"error_code\": \"APIG.0201\", \"error_msg\": \"busy\"}"

static const uint64_t draws[] = {99, 5, 1234};

typedef struct retry_client {
    ma_client *client;
    fake_clock clock;
    fake_random random;
    log_capture *log;
} retry_client;

static void retry_client_open(retry_client *rc, const ma_client_options *o)
{
    rc->log = calloc(1, sizeof *rc->log);
    assert_non_null(rc->log);
    ma_client_options opts = *o;
    static const ma_retry_policy three = {MA_RETRY_POLICY_VERSION, 3, 0, 0};
    opts.retry = &three;
    opts.log = log_capture_fn;
    opts.log_user_data = rc->log;
    opts.log_level = MA_LOG_DEBUG;
    /* The retry rules alone: tests of the rate limiter turn it on themselves. */
    opts.adaptive_rate_limit = MA_OPTION_NONE;
    rc->client = e2e_client_new(&opts);
    /* Wall time stays real: the gateway checks the signing date. */
    fake_clock_install(&rc->clock, rc->client, ma__system_clock()->epoch_ms(NULL));
    rc->log->clock = &rc->clock;
    fake_random_install(&rc->random, rc->client, draws, sizeof draws / sizeof draws[0]);
}

static void retry_client_close(retry_client *rc)
{
    ma_client_free(rc->client);
    free(rc->log);
}

static void push(fake_server *srv, const char *target, unsigned int status, const char *headers, const char *body)
{
    fake_response r;
    memset(&r, 0, sizeof r);
    r.status = status;
    r.headers = headers;
    r.body = body;
    r.body_len = strlen(body);
    r.abort_after = -1;
    if (target)
        assert_int_equal(fake_server_push_for(srv, target, &r), 0);
    else
        assert_int_equal(fake_server_push(srv, &r), 0);
}

static void a_503_then_success_takes_two_requests(void **state)
{
    e2e_env *env = *state;
    ma_client_options o;
    e2e_options(env, &o);
    retry_client rc;
    retry_client_open(&rc, &o);
    push(env->server, NULL, 503, "Content-Type: application/json\nX-Request-Id: rid-503", BUSY);
    size_t before = fake_server_request_count(env->server);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(rc.client, NULL, &list, &err), MA_OK);
    assert_non_null(list);
    assert_int_equal(fake_server_request_count(env->server) - before, 2);
    assert_int_equal(rc.clock.sleep_count, 1);
    assert_int_equal(rc.clock.sleeps[0], 99 % 201);
    /* The log tells the story: the 503 with its request id, the retry, the success. */
    long l503 = log_capture_find(rc.log, 0, "HTTP 503 MA_ERR_SERVER");
    assert_true(l503 >= 0);
    assert_non_null(strstr(rc.log->lines[l503], "attempt 1 of 3, request id rid-503"));
    long lretry = log_capture_find(rc.log, (size_t)l503, "retrying in 99 ms (attempt 2 of 3 next)");
    assert_true(lretry > l503);
    assert_true(log_capture_find(rc.log, (size_t)lretry, "HTTP 200 MA_OK") > lretry);
    ma_job_list_free(list);
    retry_client_close(&rc);
}

static void a_refused_connection_is_tried_three_times(void **state)
{
    e2e_env *env = *state;
    fake_server_options so;
    fake_server_options_init(&so);
    fake_server *gone = NULL;
    assert_int_equal(fake_server_start(&so, &gone), 0);
    char url[64];
    snprintf(url, sizeof url, "%s", fake_server_url(gone));
    fake_server_stop(gone);
    ma_client_options o;
    e2e_options(env, &o);
    o.endpoint = url;
    retry_client rc;
    retry_client_open(&rc, &o);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(rc.client, NULL, &list, &err), MA_ERR_TRANSPORT);
    assert_int_equal(rc.clock.sleep_count, 2);
    if (!strstr(err.message, "connection refused") || !strstr(err.message, "(attempt 3 of 3)"))
        fail_msg("message: %s", err.message);
    retry_client_close(&rc);
}

/* The first request gets no byte before its own timeout; the second is answered. */
static void a_timeout_before_any_byte_is_retried(void **state)
{
    e2e_env *env = *state;
    ma_client_options o;
    e2e_options(env, &o);
    o.timeout_ms = 1000; /* room for the answered retry, also under valgrind */
    retry_client rc;
    retry_client_open(&rc, &o);
    fake_response slow = {200, "Content-Type: application/json", "{}", 2, 3000, -1, 0, 0};
    assert_int_equal(fake_server_push(env->server, &slow), 0);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(rc.client, NULL, &list, &err), MA_OK);
    assert_int_equal(rc.clock.sleep_count, 1);
    assert_true(log_capture_find(rc.log, 0, "no response, MA_ERR_TIMEOUT") >= 0);
    ma_job_list_free(list);
    retry_client_close(&rc);
}

/* Bytes of a response arrived: the attempt is over, whatever the body did then. */
static void a_body_cut_short_is_not_retried(void **state)
{
    e2e_env *env = *state;
    ma_client_options o;
    e2e_options(env, &o);
    retry_client rc;
    retry_client_open(&rc, &o);
    static const char body[] = "{\"is_success\": true, \"job_total_count\": 0, \"jobs\": []}";
    fake_response cut = {200, "Content-Type: application/json", body, sizeof body - 1, 0, 10, 0, 0};
    assert_int_equal(fake_server_push(env->server, &cut), 0);
    size_t before = fake_server_request_count(env->server);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(rc.client, NULL, &list, &err), MA_ERR_TRANSPORT);
    assert_int_equal(fake_server_request_count(env->server) - before, 1);
    assert_int_equal(rc.clock.sleep_count, 0);
    retry_client_close(&rc);
}

/* Each attempt carries its own date and signature, and the gateway accepts the retry. */
static void aksk_attempts_are_signed_again(void **state)
{
    (void)state;
    fake_server_options so;
    fake_server_options_init(&so);
    so.ak = AK;
    so.sk = SK;
    so.project_id = E2E_PROJECT;
    fake_server *srv = NULL;
    assert_int_equal(fake_server_start(&so, &srv), 0);
    ma_credentials *cred = NULL;
    assert_int_equal(ma_credentials_new_aksk(&cred, AK, SK, NULL, NULL, NULL), MA_OK);
    ma_client_options o = MA_CLIENT_OPTIONS_INIT;
    o.endpoint = fake_server_url(srv);
    o.project_id = E2E_PROJECT;
    o.credentials = cred;
    retry_client rc;
    retry_client_open(&rc, &o);
    /* Two seconds apart, so the second attempt's X-Sdk-Date differs. */
    push(srv, NULL, 429, "Content-Type: application/json\nRetry-After: 2", BUSY);
    ma_job_list *list = NULL;
    ma_error err;
    ma_status st = ma_list_training_jobs(rc.client, NULL, &list, &err);
    if (st != MA_OK)
        fail_msg("%s: %s", ma_status_name(st), err.message);
    assert_int_equal(fake_server_request_count(srv), 2);
    assert_int_equal(rc.clock.sleeps[0], 2000);
    fake_request a, b;
    assert_int_equal(fake_server_request_at(srv, 0, &a), 0);
    assert_int_equal(fake_server_request_at(srv, 1, &b), 0);
    assert_string_not_equal(a.authorization, b.authorization);
    ma_job_list_free(list);
    retry_client_close(&rc);
    ma_credentials_free(cred);
    fake_server_stop(srv);
}

static int64_t *walk_ids(ma_client *client, unsigned int concurrency, size_t *n)
{
    ma_walk_options wo = MA_WALK_OPTIONS_INIT;
    wo.concurrency = concurrency;
    ma_job_query *q = e2e_query(20, 0, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC);
    ma_job_list *list = NULL;
    ma_error err;
    ma_status st = ma_list_all_training_jobs(client, q, &wo, &list, &err);
    if (st != MA_OK)
        fail_msg("walk: %s: %s", ma_status_name(st), err.message);
    *n = ma_job_list_count(list);
    int64_t *ids = calloc(*n ? *n : 1, sizeof *ids);
    for (size_t i = 0; i < *n; i++)
        ids[i] = ma_job_list_at(list, i)->job_id;
    ma_job_list_free(list);
    ma_job_query_free(q);
    return ids;
}

/* The first log line at or after @p from about page @p page with @p what in it. */
static long page_line(const log_capture *c, size_t from, int page, const char *what)
{
    char needle[32];
    snprintf(needle, sizeof needle, "&page=%d&", page);
    for (long i = (long)from; i < (long)c->count; i++) {
        i = log_capture_find(c, (size_t)i, needle);
        if (i < 0)
            return -1;
        if (strstr(c->lines[i], what))
            return i;
    }
    return -1;
}

static void a_retried_page_keeps_its_place_and_holds_no_other_page(void **state)
{
    e2e_env *env = *state;
    size_t n_seq = 0, n_par = 0;
    int64_t *seq = walk_ids(env->client, 1, &n_seq);
    ma_client_options o;
    e2e_options(env, &o);
    retry_client rc;
    retry_client_open(&rc, &o);
    push(env->server, "per_page=20&page=3&", 503, "Content-Type: application/json\nRetry-After: 1", BUSY);
    int64_t *par = walk_ids(rc.client, 4, &n_par);
    assert_int_equal(n_par, n_seq);
    assert_memory_equal(par, seq, n_seq * sizeof *seq);
    assert_int_equal(rc.clock.sleep_count, 1);
    assert_int_equal(rc.clock.sleeps[0], 1000);
    /* Pages 2, 4 and 5 were in flight with page 3 and finished before the wait began. */
    long failed = page_line(rc.log, 0, 3, "HTTP 503");
    assert_true(failed >= 0);
    static const int others[] = {2, 4, 5};
    for (size_t i = 0; i < 3; i++) {
        long l = page_line(rc.log, 0, others[i], "HTTP 200");
        assert_true(l >= 0);
        if (rc.log->at_ms[l] != 0)
            fail_msg("page %d waited for page 3's retry: %s", others[i], rc.log->lines[l]);
    }
    long ok3 = page_line(rc.log, (size_t)failed, 3, "HTTP 200");
    assert_true(ok3 > failed);
    assert_int_equal(rc.log->at_ms[ok3], 1000);
    free(seq);
    free(par);
    retry_client_close(&rc);
}

/*
 * Real time: page 3's retry is due 50 ms after its 503 while page 4 takes 2.5 s. The
 * transport asks for the retry when it is due, so it goes out while page 4 is still
 * on its way instead of after it.
 */
static void a_due_retry_is_sent_while_other_pages_are_in_flight(void **state)
{
    e2e_env *env = *state;
    ma_client_options o;
    e2e_options(env, &o);
    static const ma_retry_policy short_waits = {MA_RETRY_POLICY_VERSION, 3, 50, 50};
    o.retry = &short_waits;
    log_capture *log = calloc(1, sizeof *log);
    assert_non_null(log);
    o.log = log_capture_fn;
    o.log_user_data = log;
    o.log_level = MA_LOG_DEBUG;
    ma_client *client = e2e_client_new(&o);
    static const uint64_t fifty[] = {50};
    fake_random random;
    fake_random_install(&random, client, fifty, 1);
    push(env->server, "per_page=20&page=3&", 503, "Content-Type: application/json", BUSY);
    fake_response slow;
    memset(&slow, 0, sizeof slow);
    slow.status = 200;
    slow.headers = "Content-Type: application/json";
    slow.body = "{\"is_success\": true, \"job_total_count\": 240, \"jobs\": []}";
    slow.body_len = strlen(slow.body);
    slow.delay_ms = 2500;
    slow.abort_after = -1;
    assert_int_equal(fake_server_push_for(env->server, "per_page=20&page=4&", &slow), 0);
    size_t n = 0;
    int64_t *ids = walk_ids(client, 4, &n);
    free(ids);
    long first = page_line(log, 0, 3, "> GET");
    long again = first >= 0 ? page_line(log, (size_t)first + 1, 3, "> GET") : -1;
    long page4 = page_line(log, 0, 4, "HTTP 200");
    assert_true(first >= 0 && again > first && page4 >= 0);
    if (again > page4)
        fail_msg("page 3's retry waited for page 4 (line %ld after %ld)", again, page4);
    ma_client_free(client);
    free(log);
}

/* total_timeout_ms cuts the attempt short; the time left is too little for a retry. */
static void the_total_deadline_ends_a_slow_call_and_names_itself(void **state)
{
    e2e_env *env = *state;
    ma_client_options o;
    e2e_options(env, &o);
    o.total_timeout_ms = 400;
    ma_client *client = NULL;
    static const ma_retry_policy three = {MA_RETRY_POLICY_VERSION, 3, 0, 0};
    o.retry = &three;
    client = e2e_client_new(&o);
    fake_response slow = {200, "Content-Type: application/json", "{}", 2, 2500, -1, 0, 0};
    assert_int_equal(fake_server_push(env->server, &slow), 0);
    size_t before = fake_server_request_count(env->server);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(client, NULL, &list, &err), MA_ERR_TIMEOUT);
    if (!strstr(err.message, "the deadline (total_timeout_ms) expired"))
        fail_msg("message: %s", err.message);
    assert_int_equal(fake_server_request_count(env->server) - before, 1);
    ma_client_free(client);
}

/* A server that sends nothing for longer than the low-speed window loses the call. */
static void the_low_speed_limit_ends_a_stalled_transfer(void **state)
{
    e2e_env *env = *state;
    ma_client_options o;
    e2e_options(env, &o);
    o.low_speed_limit_bytes = 1000;
    o.low_speed_time_s = 1;
    ma_client *client = e2e_client_new(&o);
    fake_response stall = {200, "Content-Type: application/json", "{}", 2, 4000, -1, 0, 0};
    assert_int_equal(fake_server_push(env->server, &stall), 0);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(client, NULL, &list, &err), MA_ERR_TIMEOUT);
    assert_int_equal(err.transport_code, 28); /* CURLE_OPERATION_TIMEDOUT */
    if (!strstr(err.message, "too slow"))
        fail_msg("message: %s", err.message);
    ma_client_free(client);
}

static int cancel_on_second_poll(void *user_data)
{
    int *polls = user_data;
    return ++*polls >= 2;
}

/* The hook is polled during the transfer too (libcurl's progress callback), not only between attempts. */
static void the_cancel_hook_stops_a_transfer_in_flight(void **state)
{
    e2e_env *env = *state;
    ma_client_options o;
    e2e_options(env, &o);
    int polls = 0;
    o.cancel = cancel_on_second_poll;
    o.cancel_user_data = &polls;
    static const ma_retry_policy three = {MA_RETRY_POLICY_VERSION, 3, 0, 0};
    o.retry = &three;
    ma_client *client = e2e_client_new(&o);
    fake_response slow = {200, "Content-Type: application/json", "{}", 2, 3000, -1, 0, 0};
    assert_int_equal(fake_server_push(env->server, &slow), 0);
    size_t before = fake_server_request_count(env->server);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(client, NULL, &list, &err), MA_ERR_CANCELLED);
    if (!strstr(err.message, "GET ") || !strstr(err.message, ": cancelled by the cancel hook"))
        fail_msg("message: %s", err.message);
    assert_null(strstr(err.message, "before attempt"));
    /* Not retried: no attempt after the one cancelled polled the hook again. */
    assert_int_equal(polls, 2);
    assert_true(fake_server_request_count(env->server) - before <= 1);
    ma_client_free(client);
}

/* A server of the test's own: nothing an earlier test scripted and left unused can answer its requests. */
static fake_server *own_server(ma_client_options *o)
{
    fake_server_options so;
    fake_server_options_init(&so);
    so.token = E2E_TOKEN;
    so.project_id = E2E_PROJECT;
    fake_server *srv = NULL;
    assert_int_equal(fake_server_start(&so, &srv), 0);
    o->endpoint = fake_server_url(srv);
    return srv;
}

static int64_t real_ms(void)
{
    return ma__system_clock()->monotonic_ms(NULL);
}

typedef struct cancel_at {
    int64_t at_ms; /* monotonic time from which the hook says stop */
    int polls;
    int64_t fired_ms; /* when it first said stop; 0 before */
} cancel_at;

static int cancel_from(void *user_data)
{
    cancel_at *c = user_data;
    c->polls++;
    int64_t now = real_ms();
    if (now < c->at_ms)
        return 0;
    if (c->fired_ms == 0)
        c->fired_ms = now;
    return 1;
}

/* The retry's WARN line comes just before its wait: the hook is to fire 100 ms into it. */
static void arm_on_retry(ma_log_level level, const char *message, void *user_data)
{
    cancel_at *c = user_data;
    if (level == MA_LOG_WARN && strstr(message, "retrying in") && c->at_ms == INT64_MAX)
        c->at_ms = real_ms() + 100;
}

/*
 * Real time: a 503 asks for 8 s, the hook fires 100 ms into the wait. The call
 * ends cancelled long before the wait would have: within half the back-off of
 * the hook's first "stop", counted from then, and the hook is armed by the
 * retry's own log line, so neither a loaded machine nor valgrind's slow first
 * request can make it flake.
 */
static void the_cancel_hook_ends_a_back_off_wait(void **state)
{
    e2e_env *env = *state;
    ma_client_options o;
    e2e_options(env, &o);
    fake_server *srv = own_server(&o);
    cancel_at c = {INT64_MAX, 0, 0};
    o.cancel = cancel_from;
    o.cancel_user_data = &c;
    o.log = arm_on_retry;
    o.log_user_data = &c;
    o.log_level = MA_LOG_WARN;
    ma_client *client = e2e_client_new(&o);
    client->rt.retry.max_attempts = 3; /* e2e clients do not retry */
    push(srv, NULL, 503, "Content-Type: application/json\nRetry-After: 8", BUSY);
    size_t before = fake_server_request_count(srv);
    int64_t started = real_ms();
    ma_job_list *list = NULL;
    ma_error err;
    ma_status st = ma_list_training_jobs(client, NULL, &list, &err);
    int64_t took = real_ms() - started;
    if (st != MA_ERR_CANCELLED)
        fail_msg("%s after %lld ms: %s", ma_status_name(st), (long long)took, err.message);
    assert_null(list);
    assert_true(c.fired_ms > 0);
    if (real_ms() - c.fired_ms >= 4000)
        fail_msg("cancelled %lld ms after the hook fired, in an 8000 ms back-off", (long long)(real_ms() - c.fired_ms));
    assert_int_equal(fake_server_request_count(srv) - before, 1);
    if (!strstr(err.message, "cancelled by the cancel hook before attempt 2"))
        fail_msg("message: %s", err.message);
    ma_client_free(client);
    fake_server_stop(srv);
}

/* The same through the fake clock: the wait is polled in slices, and it stops at the slice where the hook fires. */
static int cancel_from_fake_time(void *user_data)
{
    const fake_clock *clock = user_data;
    return clock->now_ms >= 100;
}

static void a_back_off_wait_polls_the_cancel_hook_in_short_slices(void **state)
{
    e2e_env *env = *state;
    ma_client_options o;
    e2e_options(env, &o);
    fake_server *srv = own_server(&o);
    retry_client rc;
    retry_client_open(&rc, &o);
    rc.client->rt.cancel = cancel_from_fake_time;
    rc.client->rt.cancel_user_data = &rc.clock;
    push(srv, NULL, 503, "Content-Type: application/json\nRetry-After: 8", BUSY);
    size_t before = fake_server_request_count(srv);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(rc.client, NULL, &list, &err), MA_ERR_CANCELLED);
    assert_int_equal(fake_server_request_count(srv) - before, 1);
    if (rc.clock.now_ms < 100 || rc.clock.now_ms > 200)
        fail_msg("the back-off slept %lld ms of 8000 before the cancel took effect", (long long)rc.clock.now_ms);
    for (size_t i = 0; i < rc.clock.sleep_count && i < FAKE_CLOCK_SLEEPS_MAX; i++)
        if (rc.clock.sleeps[i] > 100)
            fail_msg("a %lld ms sleep while the cancel hook is set", (long long)rc.clock.sleeps[i]);
    retry_client_close(&rc);
    fake_server_stop(srv);
}

/* The hook says stop once attempt 1 has failed (its outcome is logged before the retry decision). */
static void cancel_after_503_logged(ma_log_level level, const char *message, void *user_data)
{
    (void)level;
    int *failed = user_data;
    if (strstr(message, "HTTP 503"))
        *failed = 1;
}

static int cancel_once_failed(void *user_data)
{
    return *(const int *)user_data;
}

/* No back-off at all (base delay 0): only the check before the attempt can stop the retry. */
static void a_cancel_after_a_failed_attempt_sends_no_other(void **state)
{
    e2e_env *env = *state;
    ma_client_options o;
    e2e_options(env, &o);
    fake_server *srv = own_server(&o);
    int failed = 0;
    o.cancel = cancel_once_failed;
    o.cancel_user_data = &failed;
    o.log = cancel_after_503_logged;
    o.log_user_data = &failed;
    o.log_level = MA_LOG_INFO;
    ma_client *client = e2e_client_new(&o);
    client->rt.retry.base_delay_ms = 0;
    client->rt.retry.max_attempts = 3;
    push(srv, NULL, 503, "Content-Type: application/json", BUSY);
    size_t before = fake_server_request_count(srv);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(client, NULL, &list, &err), MA_ERR_CANCELLED);
    assert_null(list);
    assert_int_equal(failed, 1);
    assert_int_equal(fake_server_request_count(srv) - before, 1);
    if (!strstr(err.message, "cancelled by the cancel hook before attempt 2"))
        fail_msg("message: %s", err.message);
    ma_client_free(client);
    fake_server_stop(srv);
}

/* A standing fault: every list request answered @p status with Retry-After: @p seconds. */
static void fault_status_retry_after(fake_server *srv, unsigned int status, unsigned int seconds)
{
    fake_faults f;
    fake_faults_init(&f);
    f.kind = FAKE_FAULT_STATUS;
    f.status = status;
    f.retry_after_s = seconds;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
}

/*
 * Retry-After longer than max_delay_ms (10 s by default): the call ends at once
 * with the response's status and the server's wait, so the caller decides.
 */
static void a_retry_after_beyond_max_delay_is_not_retried_early(void **state)
{
    e2e_env *env = *state;
    ma_client_options o;
    e2e_options(env, &o);
    fake_server *srv = own_server(&o);
    retry_client rc;
    retry_client_open(&rc, &o);
    assert_int_equal(rc.client->rt.retry.max_delay_ms, MA_DEFAULT_RETRY_MAX_DELAY_MS);
    static const struct {
        unsigned int status;
        ma_status expect;
    } cases[] = {{429, MA_ERR_RATE_LIMITED}, {503, MA_ERR_SERVER}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fault_status_retry_after(srv, cases[i].status, 60);
        size_t before = fake_server_request_count(srv);
        ma_job_list *list = NULL;
        ma_error err;
        assert_int_equal(ma_list_training_jobs(rc.client, NULL, &list, &err), cases[i].expect);
        assert_null(list);
        assert_int_equal(fake_server_request_count(srv) - before, 1);
        assert_int_equal(rc.clock.sleep_count, 0);
        assert_int_equal(err.http_status, (int)cases[i].status);
        assert_int_equal(err.retry_after_ms, 60000);
        if (!strstr(err.message, "the server asks to wait 60000 ms, more than retry.max_delay_ms 10000"))
            fail_msg("message: %s", err.message);
    }
    /* Within the policy the wait is made as asked. */
    fault_status_retry_after(srv, 429, 10);
    size_t before = fake_server_request_count(srv);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(rc.client, NULL, &list, &err), MA_ERR_RATE_LIMITED);
    assert_int_equal(fake_server_request_count(srv) - before, 3);
    assert_int_equal(rc.clock.sleep_count, 2);
    assert_int_equal(rc.clock.sleeps[0], 10000);
    assert_int_equal(err.retry_after_ms, 10000);
    retry_client_close(&rc);
    fake_server_stop(srv);
}

/* Retry-After within max_delay_ms but past the call's deadline: also at once, with the wait. */
static void a_retry_after_beyond_the_deadline_is_not_waited_for(void **state)
{
    e2e_env *env = *state;
    ma_client_options o;
    e2e_options(env, &o);
    fake_server *srv = own_server(&o);
    retry_client rc;
    retry_client_open(&rc, &o);
    rc.client->rt.total_timeout_ms = 3000;
    fault_status_retry_after(srv, 429, 5);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(rc.client, NULL, &list, &err), MA_ERR_RATE_LIMITED);
    assert_int_equal(fake_server_request_count(srv), 1);
    assert_int_equal(rc.clock.sleep_count, 0);
    assert_int_equal(err.retry_after_ms, 5000);
    if (!strstr(err.message, "no time left for another before the deadline"))
        fail_msg("message: %s", err.message);
    retry_client_close(&rc);
    fake_server_stop(srv);
}

/*
 * A status line and headers arrived, then the connection was reset or went
 * silent past the attempt's timeout: the attempt is over, whatever the status
 * said (a 503 alone would be retried). Each status with each way of breaking.
 */
static void a_reply_broken_after_its_status_line_is_not_retried(void **state)
{
    e2e_env *env = *state;
    static const struct {
        fake_fault_kind kind;
        unsigned int status;
        ma_status expect;
        int transport_code;
    } cases[] = {
        {FAKE_FAULT_RESET_AFTER_HEADERS, 503, MA_ERR_TRANSPORT, 56}, /* CURLE_RECV_ERROR */
        {FAKE_FAULT_RESET_AFTER_HEADERS, 200, MA_ERR_TRANSPORT, 56},
        {FAKE_FAULT_STALL_AFTER_HEADERS, 503, MA_ERR_TIMEOUT, 28}, /* CURLE_OPERATION_TIMEDOUT */
        {FAKE_FAULT_STALL_AFTER_HEADERS, 200, MA_ERR_TIMEOUT, 28},
    };
    int retried = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ma_client_options o;
        e2e_options(env, &o);
        o.timeout_ms = 500; /* the stall's end */
        fake_server *srv = own_server(&o);
        retry_client rc;
        retry_client_open(&rc, &o);
        fake_faults f;
        fake_faults_init(&f);
        f.kind = cases[i].kind;
        f.status = cases[i].status;
        assert_int_equal(fake_server_set_faults(srv, &f), 0);
        ma_job_list *list = NULL;
        ma_error err;
        ma_status st = ma_list_training_jobs(rc.client, NULL, &list, &err);
        const char *what = cases[i].kind == FAKE_FAULT_RESET_AFTER_HEADERS ? "reset" : "stall";
        if (st != cases[i].expect || err.transport_code != cases[i].transport_code)
            fail_msg("%s after HTTP %u: %s (curl %d): %s", what, cases[i].status, ma_status_name(st),
                     err.transport_code, err.message);
        assert_null(list);
        assert_int_equal(err.http_status, (int)cases[i].status);
        if (fake_server_request_count(srv) != 1 || rc.clock.sleep_count != 0) {
            print_error("%s after HTTP %u was sent %zu times\n", what, cases[i].status, fake_server_request_count(srv));
            retried++;
        }
        retry_client_close(&rc);
        fake_server_stop(srv);
    }
    assert_int_equal(retried, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(a_503_then_success_takes_two_requests, e2e_wait_quiet),
        cmocka_unit_test_setup(a_refused_connection_is_tried_three_times, e2e_wait_quiet),
        cmocka_unit_test_setup(a_timeout_before_any_byte_is_retried, e2e_wait_quiet),
        cmocka_unit_test_setup(a_body_cut_short_is_not_retried, e2e_wait_quiet),
        cmocka_unit_test_setup(aksk_attempts_are_signed_again, e2e_wait_quiet),
        cmocka_unit_test_setup(a_retried_page_keeps_its_place_and_holds_no_other_page, e2e_wait_quiet),
        cmocka_unit_test_setup(a_due_retry_is_sent_while_other_pages_are_in_flight, e2e_wait_quiet),
        cmocka_unit_test_setup(the_total_deadline_ends_a_slow_call_and_names_itself, e2e_wait_quiet),
        cmocka_unit_test_setup(the_low_speed_limit_ends_a_stalled_transfer, e2e_wait_quiet),
        cmocka_unit_test_setup(the_cancel_hook_stops_a_transfer_in_flight, e2e_wait_quiet),
        cmocka_unit_test_setup(the_cancel_hook_ends_a_back_off_wait, e2e_wait_quiet),
        cmocka_unit_test_setup(a_back_off_wait_polls_the_cancel_hook_in_short_slices, e2e_wait_quiet),
        cmocka_unit_test_setup(a_cancel_after_a_failed_attempt_sends_no_other, e2e_wait_quiet),
        cmocka_unit_test_setup(a_retry_after_beyond_max_delay_is_not_retried_early, e2e_wait_quiet),
        cmocka_unit_test_setup(a_retry_after_beyond_the_deadline_is_not_waited_for, e2e_wait_quiet),
        cmocka_unit_test_setup(a_reply_broken_after_its_status_line_is_not_retried, e2e_wait_quiet),
    };
    return cmocka_run_group_tests(tests, e2e_setup, e2e_teardown);
}
