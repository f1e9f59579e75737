/* The epoll loop (modelarts/adapters/ma_epoll.h) passes the event-loop suite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <modelarts/adapters/ma_epoll.h>

#include "adapter_suite.h"

static void *loop_attach(ma_client *client)
{
    ma_epoll_loop *loop = NULL;
    ma_error err;
    ma_status st = ma_epoll_attach(&loop, client, &err);
    if (st != MA_OK)
        fail_msg("ma_epoll_attach: %s: %s", ma_status_name(st), err.message);
    return loop;
}

static void loop_run_until(void *loop, const int *done)
{
    ma_epoll_loop *l = loop;
    while (!*done) {
        if (ma_event_pending(l->client) == 0)
            fail_msg("epoll: no request pending, yet the one waited for has not completed");
        assert_int_equal(ma_epoll_run_once(l, 1000), MA_OK);
    }
}

static int loop_settle(void *loop, int max_ms)
{
    ma_epoll_loop *l = loop;
    for (int waited_ms = 0; waited_ms <= max_ms; waited_ms++) {
        if (l->deadline_ms < 0 && l->watched == 0)
            return 1;
        assert_int_equal(ma_epoll_run_once(l, 1), MA_OK);
    }
    return 0;
}

static int loop_free(void *loop)
{
    ma_epoll_loop *l = loop;
    int left = l->watched;
    ma_epoll_free(l);
    return left;
}

static const event_loop_ops epoll_ops = {"epoll", loop_attach, loop_run_until, loop_settle, loop_free};

static void on_all(ma_request *request, ma_status status, ma_job_list *list, const ma_error *err, void *user_data)
{
    (void)request;
    (void)err;
    ma_job_list **out = user_data;
    assert_int_equal(status, MA_OK);
    *out = list;
}

static void run_returns_once_nothing_is_pending(void **state)
{
    suite_env *env = *state;
    ma_client *client = suite_client(env);
    ma_epoll_loop *loop = loop_attach(client);
    /* Nothing pending: returns at once. */
    assert_int_equal(ma_epoll_run(loop), MA_OK);
    ma_job_query *q = suite_query();
    ma_walk_options wo = MA_WALK_OPTIONS_INIT;
    wo.concurrency = 3;
    ma_job_list *all = NULL;
    ma_error err;
    assert_int_equal(ma_list_all_training_jobs_start(client, q, &wo, on_all, &all, NULL, &err), MA_OK);
    ma_job_query_free(q);
    assert_int_equal(ma_epoll_run(loop), MA_OK);
    assert_int_equal(ma_event_pending(client), 0);
    assert_non_null(all);
    assert_int_equal(ma_job_list_count(all), SUITE_JOBS);
    assert_int_equal(ma_job_list_at(all, SUITE_JOBS - 1)->job_id, env->order[SUITE_JOBS - 1]->job_id);
    ma_job_list_free(all);
    ma_client_free(client);
    assert_int_equal(loop_free(loop), 0);
}

static void blocking_calls_are_refused_on_an_attached_client(void **state)
{
    suite_env *env = *state;
    ma_client *client = suite_client(env);
    ma_epoll_loop *loop = loop_attach(client);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(client, NULL, &list, &err), MA_ERR_INVALID_ARG);
    assert_null(list);
    ma_epoll_loop *second = NULL;
    assert_int_equal(ma_epoll_attach(&second, client, &err), MA_ERR_INVALID_ARG);
    assert_null(second);
    ma_client_free(client);
    assert_int_equal(loop_free(loop), 0);
}

int main(void)
{
    const struct CMUnitTest extra[] = {
        cmocka_unit_test(run_returns_once_nothing_is_pending),
        cmocka_unit_test(blocking_calls_are_refused_on_an_attached_client),
    };
    return event_suite_run(&epoll_ops, extra, sizeof extra / sizeof extra[0]);
}
