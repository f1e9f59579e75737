/*
 * ECS/CCE agency credentials from the fake metadata service, end to end: its
 * keys expire (the list API refuses a key after its expiry), so a walk only
 * gets through when the client fetches new keys on time; a service without
 * session tokens, an instance without an agency, garbage and a service that
 * hangs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "e2e.h"

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static fake_server *start(int64_t lifetime_ms, unsigned latency_ms, int no_session, int no_agency, int garbage)
{
    fake_server_options so;
    fake_server_options_init(&so);
    so.project_id = E2E_PROJECT;
    so.job_count = 300;
    so.latency_ms = latency_ms;
    so.metadata_key_lifetime_ms = lifetime_ms;
    so.metadata_no_session = no_session;
    so.metadata_no_agency = no_agency;
    so.metadata_garbage = garbage;
    fake_server *srv = NULL;
    assert_int_equal(fake_server_start(&so, &srv), 0);
    return srv;
}

static ma_client *metadata_client(fake_server *srv)
{
    ma_credentials *cred = NULL;
    ma_error err;
    assert_int_equal(ma_credentials_new_metadata(&cred, fake_server_url(srv), NULL, &err), MA_OK);
    ma_client_options o;
    assert_int_equal(ma_client_options_init(&o, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    o.endpoint = fake_server_url(srv);
    o.project_id = E2E_PROJECT;
    o.credentials = cred;
    ma_client *client = e2e_client_new(&o);
    ma_credentials_free(cred);
    return client;
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

/* At least 20 pages of 10 (the default workspace holds about 70% of the jobs), each answered after 150 ms, with keys
 * that live 1.2 s: several refreshes mid-walk. */
static void twenty_page_walk_across_key_refreshes(void **state)
{
    (void)state;
    /* Under valgrind (a slack is set) every request is slower: longer keys, slower pages, the same ratio. */
    int slow = getenv("MA_TEST_FAULT_SLACK_MS") != NULL;
    fake_server *srv = start(slow ? 2400 : 1200, slow ? 300 : 150, 0, 0, 0);
    ma_client *client = metadata_client(srv);
    ma_job_query *q = e2e_query(10, 1, MA_SORT_BY_CREATE_TIME, MA_ORDER_ASC);
    ma_walk_options wo;
    assert_int_equal(ma_walk_options_init(&wo, MA_WALK_OPTIONS_VERSION), MA_OK);
    wo.concurrency = 1;
    ma_job_iter *it = NULL;
    ma_error err;
    assert_int_equal(ma_job_iter_new(&it, client, q, &wo, &err), MA_OK);
    size_t n = 0;
    const ma_job *job = NULL;
    ma_status st;
    while ((st = ma_job_iter_next(it, &job, &err)) == MA_OK && job != NULL)
        n++;
    if (st != MA_OK)
        fail_msg("walk stopped after %zu jobs: %s: %s", n, ma_status_name(st), err.message);
    assert_int_equal((int64_t)n, ma_job_iter_total_count(it));
    if (n < 200)
        fail_msg("only %zu jobs: fewer than 20 pages", n);
    /* Fetched ahead of expiry: no request ever went out with an expired key (a 401 and a renewal). */
    assert_int_equal(fake_server_metadata_rejections(srv), 0);
    unsigned keys = fake_server_metadata_key_count(srv);
    if (keys < 3)
        fail_msg("only %u key fetches for a walk of more than 3 s with keys of 1.2 s (2.4 s under valgrind)", keys);
    ma_job_iter_free(it);
    ma_job_query_free(q);
    ma_client_free(client);
    fake_server_stop(srv);
}

static void without_session_tokens_the_keys_come_anyway(void **state)
{
    (void)state;
    fake_server *srv = start(60000, 0, 1, 0, 0);
    ma_client *client = metadata_client(srv);
    ma_job_list *list = NULL;
    ma_error err;
    ma_status st = ma_list_training_jobs(client, NULL, &list, &err);
    if (st != MA_OK)
        fail_msg("%s: %s", ma_status_name(st), err.message);
    assert_true(ma_job_list_count(list) > 0);
    assert_int_equal(fake_server_metadata_key_count(srv), 1);
    ma_job_list_free(list);
    ma_client_free(client);
    fake_server_stop(srv);
}

static void expect_failure(fake_server *srv, ma_status want, const char *needle, int64_t max_ms)
{
    ma_client *client = metadata_client(srv);
    ma_job_list *list = NULL;
    ma_error err;
    int64_t t0 = mono_ms();
    ma_status st = ma_list_training_jobs(client, NULL, &list, &err);
    int64_t took = mono_ms() - t0;
    if (st != want || !strstr(err.message, needle))
        fail_msg("got %s \"%s\", expected %s with \"%s\"", ma_status_name(st), err.message, ma_status_name(want),
                 needle);
    assert_null(list);
    if (took > max_ms)
        fail_msg("took %lld ms, more than %lld", (long long)took, (long long)max_ms);
    assert_null(strstr(err.message, "mdsk-secret"));
    assert_null(strstr(err.message, "mdst-"));
    assert_null(strstr(err.message, "session-"));
    ma_client_free(client);
}

static void no_agency_is_said_so(void **state)
{
    (void)state;
    fake_server *srv = start(60000, 0, 0, 1, 0);
    expect_failure(srv, MA_ERR_UNAUTHORIZED, "this instance has no agency", 10000);
    fake_server_stop(srv);
}

static void garbage_is_a_protocol_error(void **state)
{
    (void)state;
    fake_server *srv = start(60000, 0, 0, 0, 1);
    expect_failure(srv, MA_ERR_PROTOCOL, "securitykey answer is not JSON", 10000);
    fake_server_stop(srv);
}

static void a_hanging_service_times_out_in_seconds(void **state)
{
    (void)state;
    const char *slack = getenv("MA_TEST_FAULT_SLACK_MS");
    fake_server *srv = start(60000, 6000, 0, 0, 0);
    expect_failure(srv, MA_ERR_TIMEOUT, "metadata service", 4500 + (slack ? atoll(slack) : 0));
    fake_server_stop(srv);
}

#define REVOKED "{\"error_code\": \"APIG.0301\", \"error_msg\": \"Incorrect IAM authentication information\"}"

/* Keys the service revokes early: the 401 makes the client fetch new ones and repeat the call once. */
static void a_rejected_key_is_replaced_once(void **state)
{
    (void)state;
    fake_server *srv = start(60000, 0, 0, 0, 0);
    ma_client *client = metadata_client(srv);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(client, NULL, &list, &err), MA_OK);
    ma_job_list_free(list);
    assert_int_equal(fake_server_metadata_key_count(srv), 1);
    /* A script answers the next list request 401, as the gateway does for a revoked key. */
    assert_int_equal(fake_server_push_simple(srv, 401, NULL, REVOKED), 0);
    assert_int_equal(ma_list_training_jobs(client, NULL, &list, &err), MA_OK);
    ma_job_list_free(list);
    assert_int_equal(fake_server_metadata_key_count(srv), 2);
    ma_client_free(client);
    fake_server_stop(srv);
}

static void nothing_listens(void **state)
{
    (void)state;
    ma_credentials *cred = NULL;
    ma_error err;
    assert_int_equal(ma_credentials_new_metadata(&cred, "http://127.0.0.1:1", NULL, &err), MA_OK);
    ma_client_options o;
    assert_int_equal(ma_client_options_init(&o, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    o.endpoint = "http://127.0.0.1:1";
    o.project_id = E2E_PROJECT;
    o.credentials = cred;
    ma_retry_policy retry = MA_RETRY_POLICY_INIT;
    retry.max_attempts = 1;
    o.retry = &retry;
    ma_client *client = e2e_client_new(&o);
    ma_credentials_free(cred);
    ma_job_list *list = NULL;
    ma_status st = ma_list_training_jobs(client, NULL, &list, &err);
    assert_int_equal(st, MA_ERR_TRANSPORT);
    assert_non_null(strstr(err.message, "metadata service (http://127.0.0.1:1) session token request failed"));
    ma_client_free(client);
    assert_int_equal(ma_credentials_new_metadata(&cred, "not a url", NULL, &err), MA_ERR_INVALID_ARG);
    assert_null(cred);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(twenty_page_walk_across_key_refreshes),
        cmocka_unit_test(without_session_tokens_the_keys_come_anyway),
        cmocka_unit_test(no_agency_is_said_so),
        cmocka_unit_test(garbage_is_a_protocol_error),
        cmocka_unit_test(a_hanging_service_times_out_in_seconds),
        cmocka_unit_test(a_rejected_key_is_replaced_once),
        cmocka_unit_test(nothing_listens),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
