/*
 * The fields ma_error gained in 0.4, over real loopback HTTP: the attempts a call sent and
 * the page that ended a walk, so callers need not read either out of the message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "e2e.h"

static const fake_response unavailable = {503, "Content-Type: text/plain", "busy", 4, 0, -1, 0, 0};

static ma_client *client_with_attempts(e2e_env *env, int32_t attempts)
{
    ma_client_options o;
    e2e_options(env, &o);
    static ma_retry_policy policy = MA_RETRY_POLICY_INIT;
    policy.max_attempts = attempts;
    policy.base_delay_ms = 1;
    policy.max_delay_ms = 1;
    o.retry = &policy;
    return e2e_client_new(&o);
}

static void a_retried_failure_counts_its_attempts(void **state)
{
    e2e_env *env = *state;
    ma_client *client = client_with_attempts(env, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(fake_server_push(env->server, &unavailable), 0);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(client, NULL, &list, &err), MA_ERR_SERVER);
    assert_int_equal(err.attempts, 3);
    assert_int_equal(err.failed_page, 0);

    /* One failure and then a success: the success says how many it took. */
    assert_int_equal(fake_server_push(env->server, &unavailable), 0);
    assert_int_equal(ma_list_training_jobs(client, NULL, &list, &err), MA_OK);
    assert_int_equal(err.attempts, 2);
    ma_job_list_free(list);
    ma_client_free(client);
}

static void nothing_sent_is_zero_attempts(void **state)
{
    e2e_env *env = *state;
    ma_client *client = client_with_attempts(env, 1);
    ma_job_list *list = NULL;
    ma_error err;
    memset(&err, 0x5A, sizeof err);
    assert_int_equal(ma_list_training_jobs(client, NULL, NULL, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(err.attempts, 0);
    assert_int_equal(err.failed_page, 0);
    for (size_t i = 0; i < sizeof err.reserved / sizeof err.reserved[0]; i++)
        assert_int_equal(err.reserved[i], 0);
    assert_null(list);
    ma_client_free(client);
}

static void a_walk_names_the_page_that_failed(void **state)
{
    e2e_env *env = *state;
    ma_client *client = client_with_attempts(env, 1);
    ma_job_query *q = e2e_query(10, 1, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    assert_int_equal(fake_server_push_for(env->server, "per_page=10&page=3&", &unavailable), 0);
    ma_walk_options w = MA_WALK_OPTIONS_INIT;
    w.concurrency = 1;
    ma_job_iter *it = NULL;
    ma_error err;
    assert_int_equal(ma_job_iter_new(&it, client, q, &w, &err), MA_OK);
    const ma_job *job = NULL;
    ma_status st;
    size_t jobs = 0;
    while ((st = ma_job_iter_next(it, &job, &err)) == MA_OK && job)
        jobs++;
    assert_int_equal(st, MA_ERR_SERVER);
    assert_int_equal(jobs, 20);
    assert_int_equal(err.failed_page, 3);
    assert_int_equal(err.failed_page, ma_job_iter_failed_page(it));
    assert_int_equal(err.attempts, 1);
    ma_job_iter_free(it);

    assert_int_equal(fake_server_push_for(env->server, "per_page=10&page=2&", &unavailable), 0);
    ma_job_list *all = NULL;
    assert_int_equal(ma_list_all_training_jobs(client, q, &w, &all, &err), MA_ERR_SERVER);
    assert_null(all);
    assert_int_equal(err.failed_page, 2);
    ma_job_query_free(q);
    ma_client_free(client);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_retried_failure_counts_its_attempts),
        cmocka_unit_test(nothing_sent_is_zero_attempts),
        cmocka_unit_test(a_walk_names_the_page_that_failed),
    };
    return cmocka_run_group_tests(tests, e2e_setup, e2e_teardown);
}
