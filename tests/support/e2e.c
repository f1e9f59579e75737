#define _POSIX_C_SOURCE 200809L /* nanosleep */

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
#include "http/curl_observer.h"

/*
 * The `event` label reruns these tests with MA_TEST_EVENT_DRIVEN=1: every
 * transport then runs on socket events (libcurl's socket and timer callbacks
 * and curl_multi_socket_action) instead of curl_multi_perform, the path a
 * caller's event loop drives.
 */
__attribute__((constructor)) static void event_driven_from_environment(void)
{
    const char *v = getenv("MA_TEST_EVENT_DRIVEN");
    if (v && strcmp(v, "1") == 0)
        ma__curl_force_events = 1;
}

int e2e_setup(void **state)
{
    e2e_env *env = calloc(1, sizeof *env);
    if (!env || ma_global_init() != MA_OK)
        return -1;
    fake_server_options so;
    fake_server_options_init(&so);
    so.token = E2E_TOKEN;
    so.project_id = E2E_PROJECT;
    if (fake_server_start(&so, &env->server) != 0)
        return -1;
    if (ma_credentials_new_token(&env->credentials, E2E_TOKEN, NULL, NULL) != MA_OK)
        return -1;
    ma_client_options opts;
    e2e_options(env, &opts);
    if (ma_client_new(&env->client, &opts, NULL) != MA_OK)
        return -1;
    *state = env;
    return 0;
}

int e2e_teardown(void **state)
{
    e2e_env *env = *state;
    if (env) {
        ma_client_free(env->client);
        ma_credentials_free(env->credentials);
        fake_server_stop(env->server);
        free(env);
    }
    ma_global_cleanup();
    return 0;
}

void e2e_options(const e2e_env *env, ma_client_options *opts)
{
    assert_int_equal(ma_client_options_init(opts, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    opts->endpoint = fake_server_url(env->server);
    opts->project_id = E2E_PROJECT;
    opts->credentials = env->credentials;
    opts->timeout_ms = 20000;
    /* one request per call; tests of retries set their own policy */
    static const ma_retry_policy one_attempt = {MA_RETRY_POLICY_VERSION, 1, 0, 0};
    opts->retry = &one_attempt;
}

ma_client *e2e_client_new(const ma_client_options *opts)
{
    ma_client *client = NULL;
    ma_error err;
    ma_status st = ma_client_new(&client, opts, &err);
    if (st != MA_OK)
        fail_msg("ma_client_new: %s: %s", ma_status_name(st), err.message);
    return client;
}

int e2e_wait_quiet(void **state)
{
    e2e_env *env = *state;
    /* The default client's kept-alive connection would never let the server go quiet. */
    ma_client_free(env->client);
    env->client = NULL;
    for (int waited_ms = 0; waited_ms < 10000; waited_ms += 5) {
        if (fake_server_open_connections(env->server) == 0) {
            ma_client_options opts;
            e2e_options(env, &opts);
            return ma_client_new(&env->client, &opts, NULL) == MA_OK ? 0 : -1;
        }
        struct timespec pause = {0, 5 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    fprintf(stderr, "e2e_wait_quiet: %zu connections still open after 10 s\n",
            fake_server_open_connections(env->server));
    return -1;
}

ma_job_query *e2e_query(int per_page, int page, ma_sort_key key, ma_sort_order order)
{
    ma_job_query *q = NULL;
    assert_int_equal(ma_job_query_new(&q, NULL, NULL), MA_OK);
    if (per_page)
        assert_int_equal(ma_job_query_set_per_page(q, per_page, NULL), MA_OK);
    if (page)
        assert_int_equal(ma_job_query_set_page(q, page, NULL), MA_OK);
    assert_int_equal(ma_job_query_set_sort_by(q, key, NULL), MA_OK);
    assert_int_equal(ma_job_query_set_order(q, order, NULL), MA_OK);
    return q;
}

size_t e2e_count_workspace(const fake_dataset *ds, const char *ws)
{
    size_t n = 0;
    for (size_t i = 0; i < ds->count; i++)
        n += strcmp(ds->jobs[i].workspace_id, ws) == 0;
    return n;
}
