/*
 * The event API's contract, on a small poll() loop of the test's own: the
 * client asks for descriptors and one timer through its hooks, the loop calls
 * back, and requests complete through their callbacks, exactly once, never
 * from inside the call that started them, and nothing inside blocks.
 */
#define _POSIX_C_SOURCE 200809L

#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "e2e.h"

#define LOOP_FDS 64

typedef struct test_loop {
    struct {
        int fd;
        int events;
        int *data; /* what the watch hook stored in fd_data: the descriptor's number */
    } fds[LOOP_FDS];
    size_t count;
    int64_t timer_at; /* monotonic ms; -1 none */
    int in_hook;      /* the library is inside a hook now */
    int timer_sets;
    int zero_timers;
    int64_t longest_call_ms; /* the longest ma_event_* call: nothing inside may block */
} test_loop;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int loop_watch(int fd, int events, void *loop_data, void **fd_data)
{
    test_loop *loop = loop_data;
    size_t i = 0;
    while (i < loop->count && loop->fds[i].fd != fd)
        i++;
    if (i < loop->count)
        assert_ptr_equal(*fd_data, loop->fds[i].data); /* handed back as stored */
    else
        assert_null(*fd_data); /* NULL the first time */
    if (events == 0) {
        if (i < loop->count) {
            free(loop->fds[i].data);
            loop->fds[i] = loop->fds[--loop->count];
        }
        return 0;
    }
    if (i == loop->count) {
        assert_true(loop->count < LOOP_FDS);
        int *data = malloc(sizeof *data);
        assert_non_null(data);
        *data = fd;
        loop->fds[loop->count].fd = fd;
        loop->fds[loop->count].data = data;
        loop->count++;
        *fd_data = data;
    }
    loop->fds[i].events = events;
    return 0;
}

static int loop_timer(int64_t timeout_ms, void *loop_data)
{
    test_loop *loop = loop_data;
    loop->timer_sets++;
    if (timeout_ms == 0)
        loop->zero_timers++;
    loop->timer_at = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    return 0;
}

static void timed(test_loop *loop, ma_client *client, int fd, int events)
{
    int64_t start = now_ms();
    if (fd < 0)
        (void)ma_event_timer_expired(client);
    else
        (void)ma_event_socket_ready(client, fd, events);
    int64_t took = now_ms() - start;
    if (took > loop->longest_call_ms)
        loop->longest_call_ms = took;
}

/* One turn: waits for a descriptor or the timer (at most 1 s), then calls the client back. */
static void loop_turn(test_loop *loop, ma_client *client)
{
    struct pollfd p[LOOP_FDS];
    size_t n = loop->count;
    for (size_t i = 0; i < n; i++) {
        p[i].fd = loop->fds[i].fd;
        p[i].events = (short)(((loop->fds[i].events & MA_EVENT_READ) ? POLLIN : 0) |
                              ((loop->fds[i].events & MA_EVENT_WRITE) ? POLLOUT : 0));
        p[i].revents = 0;
    }
    int64_t wait = 1000;
    if (loop->timer_at >= 0)
        wait = loop->timer_at > now_ms() ? loop->timer_at - now_ms() : 0;
    int ready = poll(p, (nfds_t)n, (int)wait);
    for (size_t i = 0; ready > 0 && i < n; i++)
        if (p[i].revents)
            timed(loop, client, p[i].fd,
                  ((p[i].revents & POLLIN) ? MA_EVENT_READ : 0) | ((p[i].revents & POLLOUT) ? MA_EVENT_WRITE : 0) |
                      ((p[i].revents & (POLLERR | POLLHUP)) ? MA_EVENT_ERROR : 0));
    if (loop->timer_at >= 0 && loop->timer_at <= now_ms()) {
        loop->timer_at = -1;
        timed(loop, client, -1, 0);
    }
}

static void run_until_idle(test_loop *loop, ma_client *client)
{
    int64_t give_up = now_ms() + 60000;
    while (ma_event_pending(client) > 0) {
        assert_true(now_ms() < give_up);
        loop_turn(loop, client);
    }
}

static ma_client *hooked_client(const e2e_env *env, test_loop *loop, const ma_retry_policy *retry)
{
    memset(loop, 0, sizeof *loop);
    loop->timer_at = -1;
    ma_client_options opts;
    e2e_options(env, &opts);
    if (retry)
        opts.retry = retry;
    ma_client *client = e2e_client_new(&opts);
    ma_event_hooks hooks = {MA_EVENT_HOOKS_VERSION, loop_watch, loop_timer, loop};
    ma_error err;
    assert_int_equal(ma_client_set_event_hooks(client, &hooks, &err), MA_OK);
    return client;
}

/* What the callbacks saw. */
typedef struct outcome {
    int starting; /* inside the start call */
    int done_calls;
    ma_status status;
    size_t count;
    int64_t ids[1024];
    ma_error err;
    ma_client *client;   /* for a callback that starts another request */
    size_t cancel_after; /* > 0: cancel the request from the job callback after this many jobs */
    size_t stop_after;   /* > 0: the job callback returns 1 after this many jobs */
} outcome;

static void on_list(ma_request *request, ma_status status, ma_job_list *list, const ma_error *err, void *user_data)
{
    outcome *o = user_data;
    assert_false(o->starting);
    assert_non_null(request);
    o->done_calls++;
    o->status = status;
    o->err = *err;
    if (status == MA_OK) {
        assert_non_null(list);
        o->count = ma_job_list_count(list);
        for (size_t i = 0; i < o->count && i < 1024; i++)
            o->ids[i] = ma_job_list_at(list, i)->job_id;
    } else {
        assert_null(list);
    }
    ma_job_list_free(list);
}

static int on_job(ma_request *request, const ma_job *job, void *user_data)
{
    outcome *o = user_data;
    assert_int_equal(o->done_calls, 0);
    if (o->count < 1024)
        o->ids[o->count] = job->job_id;
    o->count++;
    if (o->cancel_after && o->count == o->cancel_after)
        ma_request_cancel(request);
    return o->stop_after && o->count == o->stop_after;
}

static void on_walk_done(ma_request *request, ma_status status, const ma_error *err, void *user_data)
{
    outcome *o = user_data;
    (void)request;
    assert_false(o->starting);
    o->done_calls++;
    o->status = status;
    o->err = *err;
}

/* The ids of every job in the blocking API's order, for comparison. */
static size_t blocking_ids(const e2e_env *env, const ma_job_query *q, int64_t *ids, size_t max)
{
    ma_job_list *all = NULL;
    assert_int_equal(ma_list_all_training_jobs(env->client, q, NULL, &all, NULL), MA_OK);
    size_t n = ma_job_list_count(all);
    for (size_t i = 0; i < n && i < max; i++)
        ids[i] = ma_job_list_at(all, i)->job_id;
    ma_job_list_free(all);
    return n;
}

static void one_page_completes_through_its_callback(void **state)
{
    e2e_env *env = *state;
    test_loop loop;
    ma_client *client = hooked_client(env, &loop, NULL);
    ma_job_query *q = e2e_query(10, 1, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    outcome o = {0};
    o.starting = 1;
    ma_request *req = NULL;
    assert_int_equal(ma_list_training_jobs_start(client, q, on_list, &o, &req, NULL), MA_OK);
    o.starting = 0;
    assert_non_null(req);
    assert_int_equal(o.done_calls, 0);
    assert_int_equal(ma_event_pending(client), 1);
    run_until_idle(&loop, client);
    assert_int_equal(o.done_calls, 1);
    assert_int_equal(o.status, MA_OK);
    assert_int_equal(o.count, 10);
    /* A request started is stepped on the loop's next turn: a 0 ms timer, fired from the loop. */
    assert_true(loop.zero_timers >= 1);
    ma_job_query_free(q);
    ma_client_free(client);
    assert_int_equal(loop.count, 0); /* every descriptor unwatched, its fd_data freed */
}

static void parallel_walk_hands_out_every_job_in_order(void **state)
{
    e2e_env *env = *state;
    test_loop loop;
    ma_client *client = hooked_client(env, &loop, NULL);
    ma_job_query *q = e2e_query(10, 0, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    static int64_t expected[1024];
    size_t n = blocking_ids(env, q, expected, 1024);
    assert_true(n > 100);
    ma_walk_options wo;
    assert_int_equal(ma_walk_options_init(&wo, MA_WALK_OPTIONS_VERSION), MA_OK);
    wo.concurrency = 8;
    static outcome o;
    memset(&o, 0, sizeof o);
    o.starting = 1;
    assert_int_equal(ma_walk_training_jobs_start(client, q, &wo, on_job, on_walk_done, &o, NULL, NULL), MA_OK);
    o.starting = 0;
    run_until_idle(&loop, client);
    assert_int_equal(o.done_calls, 1);
    assert_int_equal(o.status, MA_OK);
    assert_int_equal(o.count, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(o.ids[i], expected[i]);
    ma_job_query_free(q);
    ma_client_free(client);
}

static void list_all_gathers_every_job(void **state)
{
    e2e_env *env = *state;
    test_loop loop;
    ma_client *client = hooked_client(env, &loop, NULL);
    ma_job_query *q = e2e_query(25, 0, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC);
    static int64_t expected[1024];
    size_t n = blocking_ids(env, q, expected, 1024);
    ma_walk_options wo;
    assert_int_equal(ma_walk_options_init(&wo, MA_WALK_OPTIONS_VERSION), MA_OK);
    wo.concurrency = 4;
    static outcome o;
    memset(&o, 0, sizeof o);
    assert_int_equal(ma_list_all_training_jobs_start(client, q, &wo, on_list, &o, NULL, NULL), MA_OK);
    run_until_idle(&loop, client);
    assert_int_equal(o.status, MA_OK);
    assert_int_equal(o.count, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(o.ids[i], expected[i]);
    ma_job_query_free(q);
    ma_client_free(client);
}

static void cancel_from_the_job_callback_ends_the_walk_once(void **state)
{
    e2e_env *env = *state;
    test_loop loop;
    ma_client *client = hooked_client(env, &loop, NULL);
    ma_job_query *q = e2e_query(10, 0, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    ma_walk_options wo;
    assert_int_equal(ma_walk_options_init(&wo, MA_WALK_OPTIONS_VERSION), MA_OK);
    wo.concurrency = 8;
    static outcome o;
    memset(&o, 0, sizeof o);
    o.cancel_after = 25;
    assert_int_equal(ma_walk_training_jobs_start(client, q, &wo, on_job, on_walk_done, &o, NULL, NULL), MA_OK);
    run_until_idle(&loop, client);
    assert_int_equal(o.done_calls, 1);
    assert_int_equal(o.status, MA_ERR_CANCELLED);
    assert_int_equal(o.count, 25);
    ma_job_query_free(q);
    ma_client_free(client);
}

static void job_callback_returning_non_zero_stops_the_walk(void **state)
{
    e2e_env *env = *state;
    test_loop loop;
    ma_client *client = hooked_client(env, &loop, NULL);
    ma_job_query *q = e2e_query(10, 0, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    static outcome o;
    memset(&o, 0, sizeof o);
    o.stop_after = 13;
    assert_int_equal(ma_walk_training_jobs_start(client, q, NULL, on_job, on_walk_done, &o, NULL, NULL), MA_OK);
    run_until_idle(&loop, client);
    assert_int_equal(o.done_calls, 1);
    assert_int_equal(o.status, MA_ERR_CANCELLED);
    assert_int_equal(o.count, 13);
    ma_job_query_free(q);
    ma_client_free(client);
}

static void cancel_before_the_loop_runs_calls_back_at_once(void **state)
{
    e2e_env *env = *state;
    test_loop loop;
    ma_client *client = hooked_client(env, &loop, NULL);
    outcome o = {0};
    ma_request *req = NULL;
    assert_int_equal(ma_list_training_jobs_start(client, NULL, on_list, &o, &req, NULL), MA_OK);
    ma_request_cancel(req);
    assert_int_equal(o.done_calls, 1);
    assert_int_equal(o.status, MA_ERR_CANCELLED);
    assert_int_equal(ma_event_pending(client), 0);
    run_until_idle(&loop, client);
    assert_int_equal(o.done_calls, 1);
    ma_client_free(client);
}

/* A second page started from the first one's completion. */
static void on_list_then_start_another(ma_request *request, ma_status status, ma_job_list *list, const ma_error *err,
                                       void *user_data)
{
    outcome *o = user_data;
    on_list(request, status, list, err, user_data);
    if (o->done_calls == 1)
        assert_int_equal(ma_list_training_jobs_start(o->client, NULL, on_list, o, NULL, NULL), MA_OK);
}

static void a_completion_may_start_another_request(void **state)
{
    e2e_env *env = *state;
    test_loop loop;
    ma_client *client = hooked_client(env, &loop, NULL);
    outcome o = {0};
    o.client = client;
    assert_int_equal(ma_list_training_jobs_start(client, NULL, on_list_then_start_another, &o, NULL, NULL), MA_OK);
    run_until_idle(&loop, client);
    assert_int_equal(o.done_calls, 2);
    assert_int_equal(o.status, MA_OK);
    ma_client_free(client);
}

static void blocking_calls_are_refused_on_a_hooked_client(void **state)
{
    e2e_env *env = *state;
    test_loop loop;
    ma_client *client = hooked_client(env, &loop, NULL);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(client, NULL, &list, &err), MA_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "ma_list_training_jobs_start"));
    ma_job_iter *it = NULL;
    assert_int_equal(ma_job_iter_new(&it, client, NULL, NULL, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_list_all_training_jobs(client, NULL, NULL, &list, &err), MA_ERR_INVALID_ARG);
    /* And the event calls refuse a client without hooks. */
    assert_int_equal(ma_event_timer_expired(env->client), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_list_training_jobs_start(env->client, NULL, on_list, NULL, NULL, &err), MA_ERR_INVALID_ARG);
    ma_event_hooks again = {MA_EVENT_HOOKS_VERSION, loop_watch, loop_timer, &loop};
    assert_int_equal(ma_client_set_event_hooks(client, &again, &err), MA_ERR_INVALID_ARG);
    ma_event_hooks bad = {MA_EVENT_HOOKS_VERSION + 1, loop_watch, loop_timer, &loop};
    assert_int_equal(ma_client_set_event_hooks(env->client, &bad, &err), MA_ERR_INVALID_ARG);
    ma_client_free(client);
}

static void freeing_the_client_cancels_what_is_pending(void **state)
{
    e2e_env *env = *state;
    test_loop loop;
    ma_client *client = hooked_client(env, &loop, NULL);
    static outcome o;
    memset(&o, 0, sizeof o);
    ma_job_query *q = e2e_query(10, 0, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    assert_int_equal(ma_walk_training_jobs_start(client, q, NULL, on_job, on_walk_done, &o, NULL, NULL), MA_OK);
    for (int i = 0; i < 5; i++)
        loop_turn(&loop, client);
    assert_int_equal(o.done_calls, 0);
    ma_client_free(client);
    assert_int_equal(o.done_calls, 1);
    assert_int_equal(o.status, MA_ERR_CANCELLED);
    assert_int_equal(loop.count, 0);
    assert_int_equal(loop.timer_at, -1);
    ma_job_query_free(q);
}

static void retries_wait_on_the_timer_not_inside_a_call(void **state)
{
    e2e_env *env = *state;
    fake_faults f;
    fake_faults_init(&f);
    f.kind = FAKE_FAULT_STATUS;
    f.status = 503;
    f.first = 2;
    assert_int_equal(fake_server_set_faults(env->server, &f), 0);
    test_loop loop;
    static const ma_retry_policy slow = {MA_RETRY_POLICY_VERSION, 3, 400, 400};
    ma_client *client = hooked_client(env, &loop, &slow);
    outcome o = {0};
    int64_t start = now_ms();
    assert_int_equal(ma_list_training_jobs_start(client, NULL, on_list, &o, NULL, NULL), MA_OK);
    run_until_idle(&loop, client);
    int64_t took = now_ms() - start;
    assert_int_equal(fake_server_set_faults(env->server, NULL), 0);
    assert_int_equal(o.status, MA_OK);
    assert_true(o.count > 0);
    /* Two back-offs of up to 400 ms each happened, yet no single call into the client took long. */
    assert_true(loop.longest_call_ms < 150);
    assert_true(took < 5000);
    ma_client_free(client);
}

/* A client on the test loop for @p srv with @p creds (project id given: a loop client needs it). */
static ma_client *hooked_client_for(fake_server *srv, const ma_credentials *creds, test_loop *loop)
{
    memset(loop, 0, sizeof *loop);
    loop->timer_at = -1;
    ma_client_options o;
    assert_int_equal(ma_client_options_init(&o, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    o.endpoint = fake_server_url(srv);
    o.project_id = E2E_PROJECT;
    o.credentials = creds;
    o.timeout_ms = 20000;
    ma_client *client = e2e_client_new(&o);
    ma_event_hooks hooks = {MA_EVENT_HOOKS_VERSION, loop_watch, loop_timer, loop};
    assert_int_equal(ma_client_set_event_hooks(client, &hooks, NULL), MA_OK);
    return client;
}

static fake_server *start_iam_server(void)
{
    fake_server_options so;
    fake_server_options_init(&so);
    so.project_id = E2E_PROJECT;
    so.job_count = 60;
    so.latency_ms = 300; /* a login that takes a while: the loop must keep turning meanwhile */
    so.iam_user = "event-user";
    so.iam_password = "event-password-1";
    so.iam_domain = "event-domain";
    so.iam_project_name = "eu-de";
    so.iam_project_id = E2E_PROJECT;
    fake_server *srv = NULL;
    assert_int_equal(fake_server_start(&so, &srv), 0);
    return srv;
}

static ma_credentials *password_for(fake_server *srv, const char *password)
{
    ma_password_login login = MA_PASSWORD_LOGIN_INIT;
    login.iam_endpoint = fake_server_url(srv);
    login.user_name = "event-user";
    login.password = password;
    login.domain_name = "event-domain";
    login.project_name = "eu-de";
    ma_credentials *c = NULL;
    assert_int_equal(ma_credentials_new_password(&c, &login, NULL, NULL), MA_OK);
    return c;
}

/* Requests sent to IAM's token endpoint so far. */
static size_t logins_seen(fake_server *srv)
{
    size_t n = 0, count = fake_server_request_count(srv);
    for (size_t i = 0; i < count; i++) {
        fake_request r;
        if (fake_server_request_at(srv, i, &r) == 0 && strstr(r.uri, "/v3/auth/tokens"))
            n++;
    }
    return n;
}

static void a_password_login_runs_on_the_loop_once_for_a_parallel_walk(void **state)
{
    (void)state;
    fake_server *srv = start_iam_server();
    ma_credentials *creds = password_for(srv, "event-password-1");
    test_loop loop;
    ma_client *client = hooked_client_for(srv, creds, &loop);
    ma_walk_options wo;
    assert_int_equal(ma_walk_options_init(&wo, MA_WALK_OPTIONS_VERSION), MA_OK);
    wo.concurrency = 4;
    static outcome walk, page;
    memset(&walk, 0, sizeof walk);
    memset(&page, 0, sizeof page);
    ma_job_query *q = e2e_query(10, 0, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    assert_int_equal(ma_walk_training_jobs_start(client, q, &wo, on_job, on_walk_done, &walk, NULL, NULL), MA_OK);
    assert_int_equal(ma_list_training_jobs_start(client, NULL, on_list, &page, NULL, NULL), MA_OK);
    run_until_idle(&loop, client);
    assert_int_equal(walk.status, MA_OK);
    assert_int_equal(walk.count, e2e_count_workspace(fake_server_dataset(srv), "0"));
    assert_int_equal(page.status, MA_OK);
    /* Two requests waited for one login, and the login (300 ms away) never held the loop. */
    assert_int_equal(logins_seen(srv), 1);
    assert_true(loop.longest_call_ms < 200);
    /* A revoked token: the next request's 401 brings a new login, from the loop as well. */
    fake_server_iam_revoke_tokens(srv);
    memset(&page, 0, sizeof page);
    assert_int_equal(ma_list_training_jobs_start(client, NULL, on_list, &page, NULL, NULL), MA_OK);
    run_until_idle(&loop, client);
    assert_int_equal(page.status, MA_OK);
    assert_int_equal(logins_seen(srv), 2);
    assert_true(loop.longest_call_ms < 200);
    ma_job_query_free(q);
    ma_client_free(client);
    ma_credentials_free(creds);
    fake_server_stop(srv);
}

static void a_rejected_login_fails_every_request_waiting_for_it(void **state)
{
    (void)state;
    fake_server *srv = start_iam_server();
    ma_credentials *creds = password_for(srv, "wrong-password-9");
    test_loop loop;
    ma_client *client = hooked_client_for(srv, creds, &loop);
    static outcome a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    assert_int_equal(ma_list_training_jobs_start(client, NULL, on_list, &a, NULL, NULL), MA_OK);
    assert_int_equal(ma_list_all_training_jobs_start(client, NULL, NULL, on_list, &b, NULL, NULL), MA_OK);
    run_until_idle(&loop, client);
    assert_int_equal(a.status, MA_ERR_UNAUTHORIZED);
    assert_int_equal(b.status, MA_ERR_UNAUTHORIZED);
    if (!strstr(a.err.message, "IAM login failed"))
        fail_msg("message: %s", a.err.message);
    assert_null(strstr(a.err.message, "wrong-password-9"));
    ma_client_free(client);
    ma_credentials_free(creds);
    fake_server_stop(srv);
}

static void metadata_keys_are_fetched_from_the_loop(void **state)
{
    (void)state;
    fake_server_options so;
    fake_server_options_init(&so);
    so.project_id = E2E_PROJECT;
    so.job_count = 40;
    so.metadata_key_lifetime_ms = 600000;
    fake_server *srv = NULL;
    assert_int_equal(fake_server_start(&so, &srv), 0);
    ma_credentials *creds = NULL;
    assert_int_equal(ma_credentials_new_metadata(&creds, fake_server_url(srv), NULL, NULL), MA_OK);
    test_loop loop;
    ma_client *client = hooked_client_for(srv, creds, &loop);
    static outcome o;
    memset(&o, 0, sizeof o);
    assert_int_equal(ma_list_all_training_jobs_start(client, NULL, NULL, on_list, &o, NULL, NULL), MA_OK);
    run_until_idle(&loop, client);
    assert_int_equal(o.status, MA_OK);
    assert_int_equal(o.count, e2e_count_workspace(fake_server_dataset(srv), "0"));
    assert_int_equal(fake_server_metadata_key_count(srv), 1);
    ma_client_free(client);
    ma_credentials_free(creds);
    fake_server_stop(srv);
}

static void bad_arguments_are_refused_with_a_message(void **state)
{
    e2e_env *env = *state;
    test_loop loop;
    ma_client *client = hooked_client(env, &loop, NULL);
    ma_error err;
    outcome o = {0};
    ma_request *req = (ma_request *)(void *)&o;
    assert_int_equal(ma_list_training_jobs_start(NULL, NULL, on_list, &o, &req, &err), MA_ERR_INVALID_ARG);
    assert_null(req);
    assert_int_equal(ma_list_training_jobs_start(client, NULL, NULL, &o, NULL, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_walk_training_jobs_start(client, NULL, NULL, NULL, on_walk_done, &o, NULL, &err),
                     MA_ERR_INVALID_ARG);
    assert_int_equal(ma_walk_training_jobs_start(client, NULL, NULL, on_job, NULL, &o, NULL, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_list_all_training_jobs_start(client, NULL, NULL, NULL, &o, NULL, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_list_all_training_jobs_start(NULL, NULL, NULL, on_list, &o, NULL, &err), MA_ERR_INVALID_ARG);
    /* Walks on a client without hooks. */
    assert_int_equal(ma_walk_training_jobs_start(env->client, NULL, NULL, on_job, on_walk_done, &o, NULL, &err),
                     MA_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "no event hooks"));
    assert_int_equal(ma_list_all_training_jobs_start(env->client, NULL, NULL, on_list, &o, NULL, &err),
                     MA_ERR_INVALID_ARG);
    /* Several statuses: refused, with what to do instead. */
    ma_job_query *q = e2e_query(10, 0, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    static const int32_t two[] = {MA_JOB_STATUS_RUNNING, MA_JOB_STATUS_FAILED};
    assert_int_equal(ma_job_query_set_statuses(q, two, 2, &err), MA_OK);
    assert_int_equal(ma_walk_training_jobs_start(client, q, NULL, on_job, on_walk_done, &o, NULL, &err),
                     MA_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "one walk per status"));
    assert_int_equal(ma_list_all_training_jobs_start(client, q, NULL, on_list, &o, NULL, &err), MA_ERR_INVALID_ARG);
    ma_job_query_free(q);
    /* Walk options the iterator refuses are refused here too. */
    ma_walk_options wo;
    assert_int_equal(ma_walk_options_init(&wo, MA_WALK_OPTIONS_VERSION), MA_OK);
    wo.concurrency = 1000;
    assert_int_equal(ma_walk_training_jobs_start(client, NULL, &wo, on_job, on_walk_done, &o, NULL, &err),
                     MA_ERR_INVALID_ARG);
    /* Hooks: NULL pieces, and the event calls on NULL. */
    ma_event_hooks no_timer = {MA_EVENT_HOOKS_VERSION, loop_watch, NULL, &loop};
    assert_int_equal(ma_client_set_event_hooks(env->client, &no_timer, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_client_set_event_hooks(env->client, NULL, &err), MA_ERR_INVALID_ARG);
    ma_event_hooks zero = {0, loop_watch, loop_timer, &loop};
    assert_int_equal(ma_client_set_event_hooks(env->client, &zero, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_event_socket_ready(NULL, 3, MA_EVENT_READ), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_event_socket_ready(env->client, 3, MA_EVENT_READ), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_event_timer_expired(NULL), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_event_pending(NULL), 0);
    assert_int_equal(ma_event_pending(env->client), 0);
    ma_request_cancel(NULL);
    assert_int_equal(o.done_calls, 0);
    assert_int_equal(ma_event_pending(client), 0);
    ma_client_free(client);
}

/* A password client without a project id would have to ask IAM for it, blocking: refused on a loop. */
static void a_client_without_a_project_id_is_refused_on_a_loop(void **state)
{
    (void)state;
    fake_server *srv = start_iam_server();
    ma_credentials *creds = password_for(srv, "event-password-1");
    ma_client_options o;
    assert_int_equal(ma_client_options_init(&o, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    o.endpoint = fake_server_url(srv);
    o.credentials = creds;
    ma_client *client = e2e_client_new(&o);
    test_loop loop;
    memset(&loop, 0, sizeof loop);
    loop.timer_at = -1;
    ma_event_hooks hooks = {MA_EVENT_HOOKS_VERSION, loop_watch, loop_timer, &loop};
    assert_int_equal(ma_client_set_event_hooks(client, &hooks, NULL), MA_OK);
    outcome out = {0};
    ma_error err;
    assert_int_equal(ma_list_training_jobs_start(client, NULL, on_list, &out, NULL, &err), MA_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "project_id"));
    assert_int_equal(ma_walk_training_jobs_start(client, NULL, NULL, on_job, on_walk_done, &out, NULL, &err),
                     MA_ERR_INVALID_ARG);
    assert_int_equal(out.done_calls, 0);
    ma_client_free(client);
    ma_credentials_free(creds);
    fake_server_stop(srv);
}

/* More requests than the client has transfers: the rest wait for a free one instead of failing. */
static void more_requests_than_transfers_all_complete(void **state)
{
    e2e_env *env = *state;
    test_loop loop;
    ma_client *client = hooked_client(env, &loop, NULL);
    enum { N = 40 };
    static outcome o[N];
    memset(o, 0, sizeof o);
    for (int i = 0; i < N; i++)
        assert_int_equal(ma_list_training_jobs_start(client, NULL, on_list, &o[i], NULL, NULL), MA_OK);
    assert_int_equal(ma_event_pending(client), N);
    run_until_idle(&loop, client);
    for (int i = 0; i < N; i++) {
        if (o[i].status != MA_OK)
            fail_msg("request %d: %s: %s", i, ma_status_name(o[i].status), o[i].err.message);
        assert_int_equal(o[i].done_calls, 1);
    }
    ma_client_free(client);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_page_completes_through_its_callback),
        cmocka_unit_test(parallel_walk_hands_out_every_job_in_order),
        cmocka_unit_test(list_all_gathers_every_job),
        cmocka_unit_test(cancel_from_the_job_callback_ends_the_walk_once),
        cmocka_unit_test(job_callback_returning_non_zero_stops_the_walk),
        cmocka_unit_test(cancel_before_the_loop_runs_calls_back_at_once),
        cmocka_unit_test(a_completion_may_start_another_request),
        cmocka_unit_test(blocking_calls_are_refused_on_a_hooked_client),
        cmocka_unit_test(freeing_the_client_cancels_what_is_pending),
        cmocka_unit_test(retries_wait_on_the_timer_not_inside_a_call),
        cmocka_unit_test(a_password_login_runs_on_the_loop_once_for_a_parallel_walk),
        cmocka_unit_test(a_rejected_login_fails_every_request_waiting_for_it),
        cmocka_unit_test(metadata_keys_are_fetched_from_the_loop),
        cmocka_unit_test(more_requests_than_transfers_all_complete),
        cmocka_unit_test(bad_arguments_are_refused_with_a_message),
        cmocka_unit_test(a_client_without_a_project_id_is_refused_on_a_loop),
    };
    return cmocka_run_group_tests(tests, e2e_setup, e2e_teardown);
}
