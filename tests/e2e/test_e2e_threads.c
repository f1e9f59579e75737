/*
 * Clients on several threads at once against the multi-threaded fake server:
 * single pages, parallel list-all walks and iterator walks must each return
 * exactly what a sequential walk on the main thread returned; and
 * ma_global_init()/ma_global_cleanup() pairs racing other threads' calls
 * while the count stays above zero (the documented contract).
 *
 * Worker threads never call cmocka assertions (they longjmp): each records
 * its first mismatch in its own slot and the main thread checks them.
 * MA_TEST_THREAD_ROUNDS sets the rounds per thread (fewer under valgrind).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "e2e.h"

#define N_THREADS 8
#define PER_PAGE  37

typedef enum worker_kind { WORK_PAGES, WORK_LIST_ALL, WORK_ITER, WORK_GLOBAL } worker_kind;

typedef struct worker {
    pthread_t thread;
    const e2e_env *env;
    const ma_job_list *want;
    worker_kind kind;
    int rounds;
    int calls;
    char failure[800]; /* room for an ma_error message and its prefix */
} worker;

static int rounds_from_env(void)
{
    const char *s = getenv("MA_TEST_THREAD_ROUNDS");
    int n = s ? atoi(s) : 0;
    return n > 0 ? n : 20;
}

static ma_job_query *walk_query(void)
{
    return e2e_query(PER_PAGE, 0, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
}

/* Compares @p got[0..n) with want[from..from+n); returns 0 when equal, else writes @p w's failure. */
static int check_ids(worker *w, const ma_job_list *got, size_t from, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const ma_job *a = ma_job_list_at(got, i);
        const ma_job *b = ma_job_list_at(w->want, from + i);
        if (!a || !b || a->job_id != b->job_id) {
            snprintf(w->failure, sizeof w->failure, "job %zu differs (from %zu)", i, from);
            return -1;
        }
    }
    return 0;
}

static int one_page(worker *w, ma_client *client, int page)
{
    ma_job_query *q = e2e_query(PER_PAGE, page, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    ma_job_list *got = NULL;
    ma_error err;
    int rc = -1;
    size_t total = ma_job_list_count(w->want);
    size_t from = (size_t)(page - 1) * PER_PAGE;
    size_t n = from < total ? (total - from < PER_PAGE ? total - from : PER_PAGE) : 0;
    ma_status st = ma_list_training_jobs(client, q, &got, &err);
    if (st != MA_OK)
        snprintf(w->failure, sizeof w->failure, "page %d: %s: %s", page, ma_status_name(st), err.message);
    else if (ma_job_list_count(got) != n)
        snprintf(w->failure, sizeof w->failure, "page %d: %zu jobs, want %zu", page, ma_job_list_count(got), n);
    else
        rc = check_ids(w, got, from, n);
    ma_job_list_free(got);
    ma_job_query_free(q);
    return rc;
}

static int list_all(worker *w, ma_client *client)
{
    ma_walk_options o;
    if (ma_walk_options_init(&o, MA_WALK_OPTIONS_VERSION) != MA_OK)
        return -1;
    o.concurrency = 4;
    ma_job_query *q = walk_query();
    ma_job_list *got = NULL;
    ma_error err;
    int rc = -1;
    ma_status st = ma_list_all_training_jobs(client, q, &o, &got, &err);
    if (st != MA_OK)
        snprintf(w->failure, sizeof w->failure, "list-all: %s: %s", ma_status_name(st), err.message);
    else if (ma_job_list_count(got) != ma_job_list_count(w->want))
        snprintf(w->failure, sizeof w->failure, "list-all: %zu jobs, want %zu", ma_job_list_count(got),
                 ma_job_list_count(w->want));
    else
        rc = check_ids(w, got, 0, ma_job_list_count(got));
    ma_job_list_free(got);
    ma_job_query_free(q);
    return rc;
}

static int iter_walk(worker *w, ma_client *client)
{
    ma_walk_options o;
    if (ma_walk_options_init(&o, MA_WALK_OPTIONS_VERSION) != MA_OK)
        return -1;
    o.concurrency = 4;
    ma_job_query *q = walk_query();
    ma_job_iter *it = NULL;
    ma_error err;
    ma_status st = ma_job_iter_new(&it, client, q, &o, &err);
    size_t n = 0;
    const ma_job *job = NULL;
    while (st == MA_OK && (st = ma_job_iter_next(it, &job, &err)) == MA_OK && job) {
        const ma_job *want = ma_job_list_at(w->want, n);
        if (!want || want->job_id != job->job_id) {
            snprintf(w->failure, sizeof w->failure, "iterator: job %zu differs", n);
            break;
        }
        n++;
    }
    if (st != MA_OK)
        snprintf(w->failure, sizeof w->failure, "iterator: %s: %s", ma_status_name(st), err.message);
    else if (!w->failure[0] && n != ma_job_list_count(w->want))
        snprintf(w->failure, sizeof w->failure, "iterator: %zu jobs, want %zu", n, ma_job_list_count(w->want));
    ma_job_iter_free(it);
    ma_job_query_free(q);
    return w->failure[0] ? -1 : 0;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    ma_client_options opts;
    /* e2e_options asserts; ma_client_options_init cannot fail with the current version. */
    if (ma_client_options_init(&opts, MA_CLIENT_OPTIONS_VERSION) != MA_OK) {
        snprintf(w->failure, sizeof w->failure, "ma_client_options_init");
        return NULL;
    }
    opts.endpoint = fake_server_url(w->env->server);
    opts.project_id = E2E_PROJECT;
    opts.credentials = w->env->credentials;
    opts.timeout_ms = 60000;
    static const ma_retry_policy one_attempt = {MA_RETRY_POLICY_VERSION, 1, 0, 0};
    opts.retry = &one_attempt;
    ma_client *client = NULL;
    if (w->kind != WORK_GLOBAL && ma_client_new(&client, &opts, NULL) != MA_OK) {
        snprintf(w->failure, sizeof w->failure, "ma_client_new");
        return NULL;
    }
    size_t pages = (ma_job_list_count(w->want) + PER_PAGE - 1) / PER_PAGE;
    for (int r = 0; r < w->rounds && !w->failure[0]; r++) {
        int rc = 0;
        switch (w->kind) {
        case WORK_PAGES:
            for (size_t p = 1; p <= pages + 1 && rc == 0; p++, w->calls++)
                rc = one_page(w, client, (int)p);
            break;
        case WORK_LIST_ALL:
            rc = list_all(w, client);
            w->calls++;
            break;
        case WORK_ITER:
            rc = iter_walk(w, client);
            w->calls++;
            break;
        case WORK_GLOBAL:
            for (int i = 0; i < 50; i++, w->calls++) {
                if (ma_global_init() != MA_OK) {
                    snprintf(w->failure, sizeof w->failure, "ma_global_init");
                    break;
                }
                /* A client created and freed under this thread's own reference. */
                ma_client *c = NULL;
                if (ma_client_new(&c, &opts, NULL) != MA_OK)
                    snprintf(w->failure, sizeof w->failure, "ma_client_new under a racing init");
                ma_client_free(c);
                ma_global_cleanup();
            }
            break;
        }
        (void)rc;
    }
    ma_client_free(client);
    return NULL;
}

static ma_job_list *sequential_walk(e2e_env *env)
{
    ma_walk_options o;
    assert_int_equal(ma_walk_options_init(&o, MA_WALK_OPTIONS_VERSION), MA_OK);
    o.concurrency = 1;
    ma_job_query *q = walk_query();
    ma_job_list *all = NULL;
    ma_error err;
    if (ma_list_all_training_jobs(env->client, q, &o, &all, &err) != MA_OK)
        fail_msg("sequential walk: %s", err.message);
    ma_job_query_free(q);
    /* The default workspace of the fake data set. */
    assert_int_equal(ma_job_list_count(all), 168);
    return all;
}

static void run_workers(e2e_env *env, const worker_kind *kinds)
{
    ma_job_list *want = sequential_walk(env);
    worker w[N_THREADS];
    memset(w, 0, sizeof w);
    for (int i = 0; i < N_THREADS; i++) {
        w[i].env = env;
        w[i].want = want;
        w[i].kind = kinds[i];
        w[i].rounds = rounds_from_env();
        assert_int_equal(pthread_create(&w[i].thread, NULL, worker_main, &w[i]), 0);
    }
    for (int i = 0; i < N_THREADS; i++)
        assert_int_equal(pthread_join(w[i].thread, NULL), 0);
    for (int i = 0; i < N_THREADS; i++) {
        if (w[i].failure[0])
            fail_msg("thread %d (kind %d): %s", i, (int)w[i].kind, w[i].failure);
        assert_true(w[i].calls > 0);
    }
    ma_job_list_free(want);
}

static void eight_clients_on_eight_threads_agree_with_a_sequential_walk(void **state)
{
    static const worker_kind kinds[N_THREADS] = {WORK_PAGES,    WORK_PAGES, WORK_PAGES, WORK_LIST_ALL,
                                                 WORK_LIST_ALL, WORK_ITER,  WORK_ITER,  WORK_LIST_ALL};
    run_workers(*state, kinds);
}

/* The group set-up holds one reference throughout, so the count never reaches zero while others call. */
static void global_init_cleanup_pairs_race_other_threads_calls(void **state)
{
    static const worker_kind kinds[N_THREADS] = {WORK_GLOBAL, WORK_GLOBAL, WORK_GLOBAL,   WORK_GLOBAL,
                                                 WORK_PAGES,  WORK_ITER,   WORK_LIST_ALL, WORK_PAGES};
    run_workers(*state, kinds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(eight_clients_on_eight_threads_agree_with_a_sequential_walk, e2e_wait_quiet),
        cmocka_unit_test_setup(global_init_cleanup_pairs_race_other_threads_calls, e2e_wait_quiet),
    };
    return cmocka_run_group_tests(tests, e2e_setup, e2e_teardown);
}
