/*
 * What every event-loop adapter must do with the real library and the fake server over
 * loopback: one page, a parallel walk of 101 pages in order, list-all, cancelling a walk in the
 * middle (from the loop and from the job callback), several requests on one loop at once, a
 * server hanging up, and the loop going quiet once nothing is pending.
 * After each test the client is freed, the adapter must hold nothing more, and the test
 * allocator must have no block left.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "adapter_suite.h"
#include "test_alloc.h"

/* A regression that never completes a request ends the process (alarm's default action) instead of hanging. */
#define SPIN_BOUND_S 60

static const event_loop_ops *suite_ops;

static int compare_newest_first(const void *a, const void *b)
{
    return fake_job_compare(*(const fake_job *const *)a, *(const fake_job *const *)b, FAKE_SORT_CREATE_TIME, 1);
}

static int suite_setup(void **state)
{
    suite_env *env = calloc(1, sizeof *env);
    if (!env || ma_global_init() != MA_OK)
        return -1;
    env->ops = suite_ops;
    fake_server_options so;
    fake_server_options_init(&so);
    so.token = E2E_TOKEN;
    so.project_id = E2E_PROJECT;
    so.job_count = SUITE_JOBS;
    so.realistic = 1; /* every job in the default workspace, so a walk sees them all */
    if (fake_server_start(&so, &env->server) != 0)
        return -1;
    if (ma_credentials_new_token(&env->credentials, E2E_TOKEN, NULL, NULL) != MA_OK)
        return -1;
    const fake_dataset *ds = fake_server_dataset(env->server);
    if (ds->count != SUITE_JOBS || e2e_count_workspace(ds, "0") != SUITE_JOBS)
        return -1;
    env->order = calloc(ds->count, sizeof *env->order);
    if (!env->order)
        return -1;
    for (size_t i = 0; i < ds->count; i++)
        env->order[i] = &ds->jobs[i];
    qsort(env->order, ds->count, sizeof *env->order, compare_newest_first);
    *state = env;
    return 0;
}

static int suite_teardown(void **state)
{
    suite_env *env = *state;
    if (env) {
        ma_credentials_free(env->credentials);
        fake_server_stop(env->server);
        free(env->order);
        free(env);
    }
    ma_global_cleanup();
    return 0;
}

/* Each test starts with no connection open on the server (a freed client's close may still be on its way). */
static int test_setup(void **state)
{
    suite_env *env = *state;
    for (int waited_ms = 0; fake_server_open_connections(env->server) > 0; waited_ms += 5) {
        if (waited_ms >= 10000)
            return -1;
        struct timespec pause = {0, 5 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    fake_server_reset_peak(env->server);
    fake_server_set_latency(env->server, 0);
    alarm(SPIN_BOUND_S);
    return 0;
}

static int test_teardown(void **state)
{
    (void)state;
    alarm(0);
    return 0;
}

ma_client *suite_client(const suite_env *env)
{
    e2e_env e = {env->server, env->credentials, NULL};
    ma_client_options opts;
    e2e_options(&e, &opts);
    opts.allocator = test_allocator();
    return e2e_client_new(&opts);
}

ma_job_query *suite_query(void)
{
    return e2e_query(SUITE_PER_PAGE, 0, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
}

/* Outcome of one list request (one page or list-all). */
typedef struct list_result {
    int done;
    ma_status status;
    ma_job_list *list;
    ma_error err;
} list_result;

static void on_list(ma_request *request, ma_status status, ma_job_list *list, const ma_error *err, void *user_data)
{
    (void)request;
    list_result *r = user_data;
    r->done++;
    r->status = status;
    r->list = list;
    r->err = *err;
}

/* Outcome of one walk, each job checked against the expected order as it comes. */
typedef struct walk_result {
    const fake_job **order;
    size_t jobs;
    size_t mismatches;
    size_t first_mismatch;
    size_t stop_at;    /* > 0: the job callback returns non-zero at this job */
    size_t reached_at; /* > 0: `reached` is set at this job */
    int reached;
    int done;
    ma_status status;
    ma_error err;
} walk_result;

static int on_job(ma_request *request, const ma_job *job, void *user_data)
{
    (void)request;
    walk_result *w = user_data;
    if (w->jobs >= SUITE_JOBS || job->job_id != w->order[w->jobs]->job_id) {
        if (w->mismatches++ == 0)
            w->first_mismatch = w->jobs;
    }
    w->jobs++;
    if (w->reached_at && w->jobs == w->reached_at)
        w->reached = 1;
    return w->stop_at && w->jobs == w->stop_at;
}

static void on_walk_done(ma_request *request, ma_status status, const ma_error *err, void *user_data)
{
    (void)request;
    walk_result *w = user_data;
    w->done++;
    w->status = status;
    w->err = *err;
}

static void expect_list(const suite_env *env, const list_result *r, size_t from, size_t count)
{
    assert_int_equal(r->done, 1);
    if (r->status != MA_OK)
        fail_msg("%s: %s: %s", env->ops->name, ma_status_name(r->status), r->err.message);
    assert_non_null(r->list);
    assert_int_equal(ma_job_list_count(r->list), count);
    for (size_t i = 0; i < count; i++)
        if (ma_job_list_at(r->list, i)->job_id != env->order[from + i]->job_id)
            fail_msg("%s: job %zu is %lld, want %lld", env->ops->name, from + i,
                     (long long)ma_job_list_at(r->list, i)->job_id, (long long)env->order[from + i]->job_id);
    assert_int_equal(ma_job_list_total_count(r->list), SUITE_JOBS);
}

static void expect_whole_walk(const suite_env *env, const walk_result *w)
{
    assert_int_equal(w->done, 1);
    if (w->status != MA_OK)
        fail_msg("%s: walk: %s: %s", env->ops->name, ma_status_name(w->status), w->err.message);
    if (w->mismatches)
        fail_msg("%s: %zu job(s) out of order, the first at %zu", env->ops->name, w->mismatches, w->first_mismatch);
    assert_int_equal(w->jobs, SUITE_JOBS);
}

/* Frees the client, then the loop, which must then hold nothing of the client's. */
static void finish(const suite_env *env, ma_client *client, void *loop)
{
    ma_client_free(client);
    int left = env->ops->free(loop);
    if (left != 0)
        fail_msg("%s: the loop still holds %d watcher(s) after ma_client_free()", env->ops->name, left);
}

static void one_page_arrives_through_the_loop(void **state)
{
    suite_env *env = *state;
    ma_client *client = suite_client(env);
    void *loop = env->ops->attach(client);
    ma_job_query *q = e2e_query(SUITE_PER_PAGE, 3, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    list_result r = {0};
    ma_error err;
    assert_int_equal(ma_list_training_jobs_start(client, q, on_list, &r, NULL, &err), MA_OK);
    ma_job_query_free(q);
    /* Never from inside the start. */
    assert_int_equal(r.done, 0);
    assert_int_equal(ma_event_pending(client), 1);
    env->ops->run_until(loop, &r.done);
    expect_list(env, &r, 2 * SUITE_PER_PAGE, SUITE_PER_PAGE);
    assert_int_equal(ma_event_pending(client), 0);
    ma_job_list_free(r.list);
    finish(env, client, loop);
}

static void parallel_walk_hands_out_every_job_in_order(void **state)
{
    suite_env *env = *state;
    ma_client *client = suite_client(env);
    void *loop = env->ops->attach(client);
    ma_job_query *q = suite_query();
    ma_walk_options wo = MA_WALK_OPTIONS_INIT;
    wo.concurrency = 8;
    walk_result w = {0};
    w.order = env->order;
    size_t before = fake_server_request_count(env->server);
    ma_error err;
    assert_int_equal(ma_walk_training_jobs_start(client, q, &wo, on_job, on_walk_done, &w, NULL, &err), MA_OK);
    ma_job_query_free(q);
    env->ops->run_until(loop, &w.done);
    expect_whole_walk(env, &w);
    /* 101 pages, each asked once; up to 8 at once, on as many connections. */
    assert_int_equal(fake_server_request_count(env->server) - before,
                     (SUITE_JOBS + SUITE_PER_PAGE - 1) / SUITE_PER_PAGE);
    size_t peak = fake_server_peak_connections(env->server);
    if (peak < 2 || peak > 8)
        fail_msg("%s: %zu connection(s) at once, want 2..8", env->ops->name, peak);
    finish(env, client, loop);
}

static void list_all_gets_every_job(void **state)
{
    suite_env *env = *state;
    ma_client *client = suite_client(env);
    void *loop = env->ops->attach(client);
    ma_job_query *q = suite_query();
    ma_walk_options wo = MA_WALK_OPTIONS_INIT;
    wo.concurrency = 4;
    list_result r = {0};
    ma_error err;
    assert_int_equal(ma_list_all_training_jobs_start(client, q, &wo, on_list, &r, NULL, &err), MA_OK);
    ma_job_query_free(q);
    env->ops->run_until(loop, &r.done);
    expect_list(env, &r, 0, SUITE_JOBS);
    ma_job_list_free(r.list);
    finish(env, client, loop);
}

static void cancel_from_the_loop_ends_the_walk_and_the_client_goes_on(void **state)
{
    suite_env *env = *state;
    ma_client *client = suite_client(env);
    void *loop = env->ops->attach(client);
    ma_job_query *q = suite_query();
    ma_walk_options wo = MA_WALK_OPTIONS_INIT;
    wo.concurrency = 4;
    walk_result w = {0};
    w.order = env->order;
    w.reached_at = 150;
    ma_request *request = NULL;
    ma_error err;
    assert_int_equal(ma_walk_training_jobs_start(client, q, &wo, on_job, on_walk_done, &w, &request, &err), MA_OK);
    assert_non_null(request);
    ma_job_query_free(q);
    env->ops->run_until(loop, &w.reached);
    assert_int_equal(w.done, 0);
    /* The completion runs before ma_request_cancel() returns; pages in flight are dropped. */
    ma_request_cancel(request);
    assert_int_equal(w.done, 1);
    assert_int_equal(w.status, MA_ERR_CANCELLED);
    assert_int_equal(w.mismatches, 0);
    assert_in_range(w.jobs, 150, SUITE_JOBS - 1);
    assert_int_equal(ma_event_pending(client), 0);
    /* The same client and loop serve the next request. */
    ma_job_query *page = e2e_query(SUITE_PER_PAGE, 1, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    list_result r = {0};
    assert_int_equal(ma_list_training_jobs_start(client, page, on_list, &r, NULL, &err), MA_OK);
    ma_job_query_free(page);
    env->ops->run_until(loop, &r.done);
    expect_list(env, &r, 0, SUITE_PER_PAGE);
    ma_job_list_free(r.list);
    finish(env, client, loop);
}

static void job_callback_stopping_the_walk_completes_it_cancelled(void **state)
{
    suite_env *env = *state;
    ma_client *client = suite_client(env);
    void *loop = env->ops->attach(client);
    ma_job_query *q = suite_query();
    ma_walk_options wo = MA_WALK_OPTIONS_INIT;
    wo.concurrency = 8;
    walk_result w = {0};
    w.order = env->order;
    w.stop_at = 333;
    ma_error err;
    assert_int_equal(ma_walk_training_jobs_start(client, q, &wo, on_job, on_walk_done, &w, NULL, &err), MA_OK);
    ma_job_query_free(q);
    env->ops->run_until(loop, &w.done);
    assert_int_equal(w.done, 1);
    assert_int_equal(w.status, MA_ERR_CANCELLED);
    /* Not one job after the one that said stop. */
    assert_int_equal(w.jobs, 333);
    assert_int_equal(w.mismatches, 0);
    assert_int_equal(ma_event_pending(client), 0);
    finish(env, client, loop);
}

/* Counts completions of either kind, for a run_until() over several requests. */
typedef struct all_done {
    walk_result walk;
    list_result all;
    list_result page;
    int finished;
} all_done;

static void on_walk_done_of_three(ma_request *request, ma_status status, const ma_error *err, void *user_data)
{
    all_done *a = user_data;
    on_walk_done(request, status, err, &a->walk);
    a->finished = a->walk.done && a->all.done && a->page.done;
}

static int on_job_of_three(ma_request *request, const ma_job *job, void *user_data)
{
    return on_job(request, job, &((all_done *)user_data)->walk);
}

static void on_all_of_three(ma_request *request, ma_status status, ma_job_list *list, const ma_error *err,
                            void *user_data)
{
    all_done *a = user_data;
    on_list(request, status, list, err, &a->all);
    a->finished = a->walk.done && a->all.done && a->page.done;
}

static void on_page_of_three(ma_request *request, ma_status status, ma_job_list *list, const ma_error *err,
                             void *user_data)
{
    all_done *a = user_data;
    on_list(request, status, list, err, &a->page);
    a->finished = a->walk.done && a->all.done && a->page.done;
}

static void requests_at_once_share_the_loop(void **state)
{
    suite_env *env = *state;
    ma_client *client = suite_client(env);
    void *loop = env->ops->attach(client);
    /* Slow answers keep the three requests in flight together. */
    fake_server_set_latency(env->server, 5);
    all_done a = {0};
    a.walk.order = env->order;
    ma_job_query *q = suite_query();
    ma_job_query *big = e2e_query(100, 0, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    ma_job_query *last = e2e_query(SUITE_PER_PAGE, 101, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    ma_walk_options wo = MA_WALK_OPTIONS_INIT;
    wo.concurrency = 4;
    ma_error err;
    assert_int_equal(
        ma_walk_training_jobs_start(client, q, &wo, on_job_of_three, on_walk_done_of_three, &a, NULL, &err), MA_OK);
    assert_int_equal(ma_list_all_training_jobs_start(client, big, &wo, on_all_of_three, &a, NULL, &err), MA_OK);
    assert_int_equal(ma_list_training_jobs_start(client, last, on_page_of_three, &a, NULL, &err), MA_OK);
    ma_job_query_free(q);
    ma_job_query_free(big);
    ma_job_query_free(last);
    assert_int_equal(ma_event_pending(client), 3);
    env->ops->run_until(loop, &a.finished);
    expect_whole_walk(env, &a.walk);
    expect_list(env, &a.all, 0, SUITE_JOBS);
    /* Page 101 of 101: the last ten jobs. */
    expect_list(env, &a.page, 1000, SUITE_JOBS - 1000);
    assert_int_equal(ma_event_pending(client), 0);
    ma_job_list_free(a.all.list);
    ma_job_list_free(a.page.list);
    finish(env, client, loop);
}

/* A server that closes or resets the connection: the loop reports it and the request fails as its blocking twin would.
 */
static void hang_ups_fail_the_request_and_the_client_goes_on(void **state)
{
    suite_env *env = *state;
    static const fake_fault_kind kinds[] = {FAKE_FAULT_CLOSE, FAKE_FAULT_RESET_AFTER_HEADERS};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        ma_client *client = suite_client(env);
        void *loop = env->ops->attach(client);
        fake_faults f;
        fake_faults_init(&f);
        f.kind = kinds[k];
        f.status = 200;
        f.first = 1;
        assert_int_equal(fake_server_set_faults(env->server, &f), 0);
        ma_job_query *q = e2e_query(SUITE_PER_PAGE, 1, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
        list_result r = {0};
        ma_error err;
        assert_int_equal(ma_list_training_jobs_start(client, q, on_list, &r, NULL, &err), MA_OK);
        env->ops->run_until(loop, &r.done);
        if (r.status != MA_ERR_TRANSPORT)
            fail_msg("%s: fault %d: %s (%s), want MA_ERR_TRANSPORT", env->ops->name, (int)kinds[k],
                     ma_status_name(r.status), r.err.message);
        assert_null(r.list);
        assert_int_equal(fake_server_faults_injected(env->server), 1);
        /* Only the first request was faulted: the next one, on a new connection, works. */
        list_result again = {0};
        assert_int_equal(ma_list_training_jobs_start(client, q, on_list, &again, NULL, &err), MA_OK);
        ma_job_query_free(q);
        env->ops->run_until(loop, &again.done);
        expect_list(env, &again, 0, SUITE_PER_PAGE);
        ma_job_list_free(again.list);
        assert_int_equal(fake_server_set_faults(env->server, NULL), 0);
        finish(env, client, loop);
    }
}

static void loop_goes_quiet_once_nothing_is_pending(void **state)
{
    suite_env *env = *state;
    ma_client *client = suite_client(env);
    void *loop = env->ops->attach(client);
    ma_job_query *q = suite_query();
    ma_walk_options wo = MA_WALK_OPTIONS_INIT;
    wo.concurrency = 4;
    walk_result w = {0};
    w.order = env->order;
    ma_error err;
    assert_int_equal(ma_walk_training_jobs_start(client, q, &wo, on_job, on_walk_done, &w, NULL, &err), MA_OK);
    ma_job_query_free(q);
    env->ops->run_until(loop, &w.done);
    expect_whole_walk(env, &w);
    /* A loop that never goes quiet would keep a daemon busy for ever (uv_run() and event_base_dispatch() never return).
     */
    int quiet = env->ops->settle(loop, 2000);
    finish(env, client, loop);
    if (!quiet)
        fail_msg("%s: 2 s after the last request completed the loop still has work: the client left its timer "
                 "or a socket set",
                 env->ops->name);
}

int event_suite_run(const event_loop_ops *ops, const struct CMUnitTest *extra, size_t extra_count)
{
    suite_ops = ops;
    const struct CMUnitTest common[] = {
        cmocka_unit_test_setup_teardown(one_page_arrives_through_the_loop, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(parallel_walk_hands_out_every_job_in_order, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(list_all_gets_every_job, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(cancel_from_the_loop_ends_the_walk_and_the_client_goes_on, test_setup,
                                        test_teardown),
        cmocka_unit_test_setup_teardown(job_callback_stopping_the_walk_completes_it_cancelled, test_setup,
                                        test_teardown),
        cmocka_unit_test_setup_teardown(requests_at_once_share_the_loop, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(hang_ups_fail_the_request_and_the_client_goes_on, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(loop_goes_quiet_once_nothing_is_pending, test_setup, test_teardown),
    };
    size_t n = sizeof common / sizeof common[0];
    struct CMUnitTest *tests = calloc(n + extra_count, sizeof *tests);
    if (!tests)
        return 1;
    memcpy(tests, common, sizeof common);
    for (size_t i = 0; i < extra_count; i++) {
        tests[n + i] = extra[i];
        tests[n + i].setup_func = test_setup;
        tests[n + i].teardown_func = test_teardown;
    }
    int failed = _cmocka_run_group_tests(ops->name, tests, n + extra_count, suite_setup, suite_teardown);
    free(tests);
    return failed;
}
