/*
 * Walking every page against the fake server over loopback: the iterator and
 * list-all, sequential and parallel, stop rules, the caller's query left
 * alone, progress and cancellation, failures naming their page, connection
 * counts, duplicate dropping, a total that changes during the walk or
 * ignores the filter, and several walks interleaved on one client.
 */
#define _POSIX_C_SOURCE 200809L /* alarm() */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "e2e.h"
#include "http/transport.h"
#include "client.h"

/*
 * Tests whose regression would spin for ever arm an alarm: its default action
 * ends the process, so the run fails instead of hanging.
 */
#define SPIN_BOUND_S 60

static const unsigned concurrencies[] = {1, 4};
#define N_CONCURRENCIES (sizeof concurrencies / sizeof concurrencies[0])

/* The whole data set in the server's order, from one big page (checked against the data set by test_e2e_list). */
static ma_job_list *reference_order(e2e_env *env, const char *workspace)
{
    ma_job_query *q = e2e_query(1000, 1, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    if (workspace)
        assert_int_equal(ma_job_query_set_workspace_id(q, workspace, NULL), MA_OK);
    ma_job_list *all = NULL;
    ma_error err;
    if (ma_list_training_jobs(env->client, q, &all, &err) != MA_OK)
        fail_msg("reference listing: %s", err.message);
    ma_job_query_free(q);
    return all;
}

static ma_walk_options walk_options(unsigned concurrency)
{
    ma_walk_options o;
    assert_int_equal(ma_walk_options_init(&o, MA_WALK_OPTIONS_VERSION), MA_OK);
    o.concurrency = concurrency;
    return o;
}

/* Walks @p q with the iterator and checks the job ids against @p want[from..from+count). */
static void expect_walk(e2e_env *env, const ma_job_query *q, const ma_walk_options *o, const ma_job_list *want,
                        size_t from, size_t count)
{
    ma_job_iter *it = NULL;
    ma_error err;
    assert_int_equal(ma_job_iter_new(&it, env->client, q, o, &err), MA_OK);
    size_t n = 0;
    const ma_job *job = NULL;
    ma_status st;
    while ((st = ma_job_iter_next(it, &job, &err)) == MA_OK && job) {
        if (n >= count)
            fail_msg("more than %zu jobs (concurrency %u)", count, o->concurrency);
        if (job->job_id != ma_job_list_at(want, from + n)->job_id)
            fail_msg("job %zu: id %lld, want %lld (concurrency %u)", n, (long long)job->job_id,
                     (long long)ma_job_list_at(want, from + n)->job_id, o->concurrency);
        n++;
    }
    if (st != MA_OK)
        fail_msg("walk failed: %s: %s", ma_status_name(st), err.message);
    assert_int_equal(n, count);
    assert_int_equal(ma_job_iter_total_count(it), ma_job_list_total_count(want));
    assert_int_equal(ma_job_iter_quotas(it), ma_job_list_quotas(want));
    assert_int_equal(ma_job_iter_failed_page(it), 0);
    /* The end is sticky and sends nothing more. */
    size_t requests = fake_server_request_count(env->server);
    assert_int_equal(ma_job_iter_next(it, &job, &err), MA_OK);
    assert_null(job);
    assert_int_equal(fake_server_request_count(env->server), requests);
    ma_job_iter_free(it);
}

static void walk_every_page_in_order_both_modes(void **state)
{
    e2e_env *env = *state;
    ma_job_list *want = reference_order(env, NULL);
    for (size_t c = 0; c < N_CONCURRENCIES; c++) {
        ma_walk_options o = walk_options(concurrencies[c]);
        ma_job_query *q = e2e_query(37, 0, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
        size_t before = fake_server_request_count(env->server);
        expect_walk(env, q, &o, want, 0, ma_job_list_count(want));
        /* 168 jobs (workspace "0", the default) by 37: four full pages and one of 20; nothing past the total. */
        assert_int_equal(ma_job_list_count(want), 168);
        assert_int_equal(fake_server_request_count(env->server) - before, 5);
        ma_job_query_free(q);
    }
    ma_job_list_free(want);
}

static void walk_total_multiple_of_page_size_sends_no_extra_request(void **state)
{
    e2e_env *env = *state;
    ma_job_list *want = reference_order(env, NULL);
    assert_int_equal(ma_job_list_count(want), 168);
    for (size_t c = 0; c < N_CONCURRENCIES; c++) {
        ma_walk_options o = walk_options(concurrencies[c]);
        ma_job_query *q = e2e_query(21, 0, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
        size_t before = fake_server_request_count(env->server);
        expect_walk(env, q, &o, want, 0, 168);
        assert_int_equal(fake_server_request_count(env->server) - before, 8);
        ma_job_query_free(q);
    }
    ma_job_list_free(want);
}

static void walk_empty_result_is_one_request_and_no_jobs(void **state)
{
    e2e_env *env = *state;
    for (size_t c = 0; c < N_CONCURRENCIES; c++) {
        ma_walk_options o = walk_options(concurrencies[c]);
        ma_job_query *q = e2e_query(10, 0, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC);
        assert_int_equal(ma_job_query_set_search_content(q, "no job is called this", NULL), MA_OK);
        size_t before = fake_server_request_count(env->server);
        ma_job_list *all = NULL;
        ma_error err;
        assert_int_equal(ma_list_all_training_jobs(env->client, q, &o, &all, &err), MA_OK);
        assert_int_equal(ma_job_list_count(all), 0);
        assert_int_equal(ma_job_list_total_count(all), 0);
        assert_int_equal(fake_server_request_count(env->server) - before, 1);
        ma_job_list_free(all);
        ma_job_query_free(q);
    }
}

static void walk_starts_at_the_querys_page_and_leaves_the_query_alone(void **state)
{
    e2e_env *env = *state;
    ma_job_list *want = reference_order(env, NULL);
    for (size_t c = 0; c < N_CONCURRENCIES; c++) {
        ma_walk_options o = walk_options(concurrencies[c]);
        ma_job_query *q = e2e_query(50, 3, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
        size_t before = fake_server_request_count(env->server);
        expect_walk(env, q, &o, want, 100, 68);
        assert_int_equal(fake_server_request_count(env->server) - before, 2);
        /* Walking again with the same query starts at the same page: it was not modified. */
        expect_walk(env, q, &o, want, 100, 68);
        ma_job_query_free(q);
    }
    ma_job_list_free(want);
}

static void walk_without_per_page_asks_for_pages_of_1000(void **state)
{
    e2e_env *env = *state;
    size_t before = fake_server_request_count(env->server);
    ma_job_list *all = NULL;
    ma_error err;
    assert_int_equal(ma_list_all_training_jobs(env->client, NULL, NULL, &all, &err), MA_OK);
    assert_int_equal(ma_job_list_count(all), 168);
    assert_int_equal(fake_server_request_count(env->server) - before, 1);
    fake_request r;
    assert_int_equal(fake_server_request_at(env->server, before, &r), 0);
    assert_non_null(strstr(r.uri, "per_page=1000"));
    assert_non_null(strstr(r.uri, "page=1"));
    ma_job_list_free(all);
}

static void list_all_matches_the_iterator_and_honours_the_bound(void **state)
{
    e2e_env *env = *state;
    ma_job_list *want = reference_order(env, "0");
    size_t in_ws = ma_job_list_count(want);
    assert_true(in_ws > 30);
    for (size_t c = 0; c < N_CONCURRENCIES; c++) {
        ma_walk_options o = walk_options(concurrencies[c]);
        ma_job_query *q = e2e_query(7, 0, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
        assert_int_equal(ma_job_query_set_workspace_id(q, "0", NULL), MA_OK);
        ma_job_list *all = NULL;
        ma_error err;
        assert_int_equal(ma_list_all_training_jobs(env->client, q, &o, &all, &err), MA_OK);
        assert_int_equal(ma_job_list_count(all), in_ws);
        assert_int_equal(ma_job_list_total_count(all), ma_job_list_total_count(want));
        for (size_t i = 0; i < in_ws; i++) {
            const ma_job *a = ma_job_list_at(all, i), *b = ma_job_list_at(want, i);
            assert_int_equal(a->job_id, b->job_id);
            assert_string_equal(a->job_name, b->job_name);
            assert_string_equal(a->job_desc, b->job_desc);
        }
        ma_job_list_free(all);

        o.max_jobs = 30;
        assert_int_equal(ma_list_all_training_jobs(env->client, q, &o, &all, &err), MA_OK);
        assert_int_equal(ma_job_list_count(all), 30);
        for (size_t i = 0; i < 30; i++)
            assert_int_equal(ma_job_list_at(all, i)->job_id, ma_job_list_at(want, i)->job_id);
        ma_job_list_free(all);
        ma_job_query_free(q);
    }
    ma_job_list_free(want);
}

static void sequential_walk_uses_one_connection(void **state)
{
    e2e_env *env = *state;
    ma_client_options opts;
    e2e_options(env, &opts);
    ma_client *client = e2e_client_new(&opts);
    size_t before = fake_server_connection_count(env->server);
    ma_walk_options o = walk_options(1);
    ma_job_query *q = e2e_query(20, 0, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC);
    ma_job_list *all = NULL;
    ma_error err;
    assert_int_equal(ma_list_all_training_jobs(client, q, &o, &all, &err), MA_OK);
    assert_int_equal(ma_job_list_count(all), 168);
    assert_int_equal(fake_server_connection_count(env->server) - before, 1);
    ma_job_list_free(all);
    ma_job_query_free(q);
    ma_client_free(client);
}

/* Parallel mode opens at most `concurrency` connections, and keeps them for every window. */
static void parallel_walk_uses_at_most_concurrency_connections(void **state)
{
    e2e_env *env = *state;
    ma_client_options opts;
    e2e_options(env, &opts);
    ma_client *client = e2e_client_new(&opts);
    fake_server_set_latency(env->server, 30);
    size_t before = fake_server_connection_count(env->server);
    ma_walk_options o = walk_options(4);
    ma_job_query *q = e2e_query(10, 0, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC);
    ma_job_list *all = NULL;
    ma_error err;
    assert_int_equal(ma_list_all_training_jobs(client, q, &o, &all, &err), MA_OK);
    fake_server_set_latency(env->server, 0);
    assert_int_equal(ma_job_list_count(all), 168);
    /* 17 pages: page 1, then windows of 4 that overlap on the server. */
    assert_int_equal(fake_server_connection_count(env->server) - before, 4);
    ma_job_list_free(all);
    ma_job_query_free(q);
    ma_client_free(client);
}

typedef struct cancel_at {
    int64_t page;
    int calls;
    ma_walk_progress last;
} cancel_at;

static int cancel_progress(const ma_walk_progress *p, void *user)
{
    cancel_at *c = user;
    c->calls++;
    c->last = *p;
    return p->pages_done >= c->page;
}

static void progress_reports_and_cancels_both_modes(void **state)
{
    e2e_env *env = *state;
    for (size_t c = 0; c < N_CONCURRENCIES; c++) {
        /* Never cancelled: one call per page, totals known from the first. */
        cancel_at never = {1000, 0, {0, 0, 0}};
        ma_walk_options o = walk_options(concurrencies[c]);
        o.progress = cancel_progress;
        o.progress_user_data = &never;
        ma_job_query *q = e2e_query(50, 0, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC);
        ma_job_list *all = NULL;
        ma_error err;
        assert_int_equal(ma_list_all_training_jobs(env->client, q, &o, &all, &err), MA_OK);
        assert_int_equal(never.calls, 4);
        assert_int_equal(never.last.pages_done, 4);
        assert_int_equal(never.last.pages_total, 4);
        assert_int_equal(never.last.jobs_so_far, 168);
        ma_job_list_free(all);

        /* Cancelled after page 2, in list-all and in the iterator, and the cancel is sticky. */
        cancel_at two = {2, 0, {0, 0, 0}};
        o.progress_user_data = &two;
        assert_int_equal(ma_list_all_training_jobs(env->client, q, &o, &all, &err), MA_ERR_CANCELLED);
        assert_null(all);
        assert_int_equal(err.status, MA_ERR_CANCELLED);
        assert_int_equal(two.calls, 2);
        assert_int_equal(two.last.pages_total, 4);

        cancel_at one = {1, 0, {0, 0, 0}};
        o.progress_user_data = &one;
        ma_job_iter *it = NULL;
        assert_int_equal(ma_job_iter_new(&it, env->client, q, &o, &err), MA_OK);
        const ma_job *job = NULL;
        assert_int_equal(ma_job_iter_next(it, &job, &err), MA_ERR_CANCELLED);
        assert_null(job);
        assert_int_equal(ma_job_iter_next(it, &job, &err), MA_ERR_CANCELLED);
        assert_int_equal(one.calls, 1);
        ma_job_iter_free(it);
        ma_job_query_free(q);
    }
}

/* A success body of @p n jobs with ids @p ids and the given total. */
static char *page_body(int64_t total, const int64_t *ids, size_t n)
{
    size_t cap = 256 + n * 256;
    char *body = malloc(cap);
    assert_non_null(body);
    int len = snprintf(body, cap, "{\"is_success\": true, \"job_total_count\": %lld, \"jobs\": [", (long long)total);
    for (size_t i = 0; i < n; i++)
        len += snprintf(body + len, cap - (size_t)len,
                        "%s{\"job_id\": %lld, \"job_name\": \"job-%lld\", \"version_id\": 1, \"status\": 8, "
                        "\"create_time\": 1524189990635}",
                        i ? ", " : "", (long long)ids[i], (long long)ids[i]);
    snprintf(body + len, cap - (size_t)len, "]}");
    return body;
}

/*
 * Scripts are bound to their page of a two-per-page walk: a request another
 * test abandoned in flight (other page sizes) can never take them.
 */
static void push_reply(e2e_env *env, int page, unsigned int status, const char *body)
{
    char target[64];
    snprintf(target, sizeof target, "per_page=2&page=%d&", page);
    fake_response r;
    memset(&r, 0, sizeof r);
    r.status = status;
    r.headers = "Content-Type: application/json";
    r.body = body;
    r.body_len = strlen(body);
    r.abort_after = -1;
    assert_int_equal(fake_server_push_for(env->server, target, &r), 0);
}

static void push_page(e2e_env *env, int page, int64_t total, const int64_t *ids, size_t n)
{
    char *body = page_body(total, ids, n);
    push_reply(env, page, 200, body);
    free(body);
}

static void failure_on_page_k_names_the_page_and_stops(void **state)
{
    e2e_env *env = *state;
    const int64_t p1[] = {1, 2}, p2[] = {3, 4};
    push_page(env, 1, 6, p1, 2);
    push_page(env, 2, 6, p2, 2);
    push_reply(env, 3, 503, "{\"error_code\": \"ModelArts.0001\", \"error_msg\": \"busy\"}");
    ma_walk_options o = walk_options(1);
    ma_job_query *q = e2e_query(2, 0, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC);
    ma_job_iter *it = NULL;
    ma_error err;
    assert_int_equal(ma_job_iter_new(&it, env->client, q, &o, &err), MA_OK);
    const ma_job *job = NULL;
    for (int i = 0; i < 4; i++) {
        assert_int_equal(ma_job_iter_next(it, &job, &err), MA_OK);
        assert_int_equal(job->job_id, i + 1);
    }
    assert_int_equal(ma_job_iter_next(it, &job, &err), MA_ERR_SERVER);
    assert_null(job);
    assert_int_equal(err.http_status, 503);
    assert_string_equal(err.service_code, "ModelArts.0001");
    assert_non_null(strstr(err.message, "page 3"));
    assert_int_equal(ma_job_iter_failed_page(it), 3);
    size_t requests = fake_server_request_count(env->server);
    assert_int_equal(ma_job_iter_next(it, &job, &err), MA_ERR_SERVER);
    assert_int_equal(fake_server_request_count(env->server), requests);
    ma_job_iter_free(it);

    /* list-all reports the same and returns nothing. */
    push_page(env, 1, 6, p1, 2);
    push_reply(env, 2, 404, "{\"error_code\": \"ModelArts.0002\", \"error_msg\": \"gone\"}");
    ma_job_list *all = NULL;
    assert_int_equal(ma_list_all_training_jobs(env->client, q, &o, &all, &err), MA_ERR_NOT_FOUND);
    assert_null(all);
    assert_non_null(strstr(err.message, "page 2"));
    ma_job_query_free(q);
}

/* In parallel mode too: every job before the failing page comes out, in order, then the failure. */
static void failure_on_page_k_in_parallel_mode_keeps_the_order(void **state)
{
    e2e_env *env = *state;
    ma_job_list *want = reference_order(env, NULL);
    fake_response r;
    memset(&r, 0, sizeof r);
    r.status = 502;
    r.headers = "Content-Type: text/html";
    r.body = "<html><body>Bad Gateway</body></html>";
    r.body_len = strlen(r.body);
    r.abort_after = -1;
    /* 168 jobs by 20: nine pages; page 1 alone, then a window of four: page 4 fails. */
    assert_int_equal(fake_server_push_for(env->server, "&page=4&", &r), 0);
    ma_walk_options o = walk_options(4);
    ma_job_query *q = e2e_query(20, 0, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    size_t before = fake_server_request_count(env->server);
    ma_job_iter *it = NULL;
    ma_error err;
    assert_int_equal(ma_job_iter_new(&it, env->client, q, &o, &err), MA_OK);
    const ma_job *job = NULL;
    size_t n = 0;
    ma_status st;
    while ((st = ma_job_iter_next(it, &job, &err)) == MA_OK && job) {
        assert_int_equal(job->job_id, ma_job_list_at(want, n)->job_id);
        n++;
    }
    assert_int_equal(st, MA_ERR_SERVER);
    assert_int_equal(n, 60);
    assert_int_equal(err.http_status, 502);
    assert_non_null(strstr(err.message, "page 4"));
    assert_int_equal(ma_job_iter_failed_page(it), 4);
    /*
     * Pages 1-4 were asked for; the window (4) bounds what else was: page 5 at
     * once, and pages 6 and 7 only if pages 2 and 3 were consumed before the
     * failure arrived. Nothing is asked for once it is known.
     */
    size_t requests = fake_server_request_count(env->server) - before;
    assert_true(requests >= 4 && requests <= 7);
    ma_job_iter_free(it);

    /* list-all fails the same way and returns nothing. */
    assert_int_equal(fake_server_push_for(env->server, "&page=3&", &r), 0);
    ma_job_list *all = NULL;
    assert_int_equal(ma_list_all_training_jobs(env->client, q, &o, &all, &err), MA_ERR_SERVER);
    assert_null(all);
    assert_non_null(strstr(err.message, "page 3"));
    ma_job_query_free(q);
    ma_job_list_free(want);
}

static void total_changing_during_the_walk_is_followed(void **state)
{
    e2e_env *env = *state;
    /* Page 1 says 4 jobs; by page 2 two more were created. */
    const int64_t p1[] = {1, 2}, p2[] = {3, 4}, p3[] = {5, 6};
    push_page(env, 1, 4, p1, 2);
    push_page(env, 2, 6, p2, 2);
    push_page(env, 3, 6, p3, 2);
    ma_walk_options o = walk_options(1);
    ma_job_query *q = e2e_query(2, 0, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC);
    ma_job_list *all = NULL;
    ma_error err;
    assert_int_equal(ma_list_all_training_jobs(env->client, q, &o, &all, &err), MA_OK);
    assert_int_equal(ma_job_list_count(all), 6);
    /* The totals reported are those of page 1. */
    assert_int_equal(ma_job_list_total_count(all), 4);
    ma_job_list_free(all);
    ma_job_query_free(q);
}

static void duplicate_ids_dropped_only_when_asked(void **state)
{
    e2e_env *env = *state;
    /* A job created at the front shifted job 2 onto page 2. */
    const int64_t p1[] = {1, 2}, p2[] = {2, 3}, p3[] = {4};
    for (int drop = 0; drop <= 1; drop++) {
        push_page(env, 1, 5, p1, 2);
        push_page(env, 2, 5, p2, 2);
        push_page(env, 3, 5, p3, 1);
        ma_walk_options o = walk_options(1);
        o.drop_duplicate_job_ids = drop;
        ma_job_query *q = e2e_query(2, 0, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC);
        ma_job_list *all = NULL;
        ma_error err;
        assert_int_equal(ma_list_all_training_jobs(env->client, q, &o, &all, &err), MA_OK);
        const int64_t with_repeat[] = {1, 2, 2, 3, 4}, without[] = {1, 2, 3, 4};
        const int64_t *want = drop ? without : with_repeat;
        size_t n = drop ? 4 : 5;
        assert_int_equal(ma_job_list_count(all), n);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(ma_job_list_at(all, i)->job_id, want[i]);
        ma_job_list_free(all);
        ma_job_query_free(q);
    }
}

/* Zero is safe in every walk option (0.4): a zero-filled struct walks everything with the defaults. */
static void zero_filled_walk_options_walk_with_the_defaults(void **state)
{
    e2e_env *env = *state;
    ma_walk_options o;
    memset(&o, 0, sizeof o);
    o.version = MA_WALK_OPTIONS_VERSION;
    ma_job_query *q = e2e_query(50, 1, MA_SORT_BY_CREATE_TIME, MA_ORDER_ASC);
    ma_job_list *all = NULL;
    ma_error err;
    size_t before = fake_server_request_count(env->server);
    assert_int_equal(ma_list_all_training_jobs(env->client, q, &o, &all, &err), MA_OK);
    assert_true(ma_job_list_count(all) > 50);
    assert_int_equal(ma_job_list_count(all), ma_job_list_total_count(all));
    assert_true(fake_server_request_count(env->server) > before + 1);
    ma_job_list_free(all);
    ma_job_query_free(q);
}

/* Hands out the next job of @p it, which must be job @p n of @p want. */
static void expect_next(ma_job_iter *it, const ma_job_list *want, size_t n, const char *who)
{
    const ma_job *job = NULL;
    ma_error err;
    ma_status st = ma_job_iter_next(it, &job, &err);
    if (st != MA_OK)
        fail_msg("%s, job %zu: %s: %s", who, n, ma_status_name(st), err.message);
    if (!job)
        fail_msg("%s: the walk ended before job %zu", who, n);
    if (job->job_id != ma_job_list_at(want, n)->job_id)
        fail_msg("%s, job %zu: id %lld, want %lld", who, n, (long long)job->job_id,
                 (long long)ma_job_list_at(want, n)->job_id);
}

static void expect_end(ma_job_iter *it, const char *who)
{
    const ma_job *job = NULL;
    ma_error err;
    ma_status st = ma_job_iter_next(it, &job, &err);
    if (st != MA_OK || job)
        fail_msg("%s: %s, job %p instead of the end: %s", who, ma_status_name(st), (const void *)job, err.message);
}

/*
 * Two iterators of one client, interleaved, each with pages in flight (168
 * jobs by 20: nine pages, four in flight after page 1). Freeing one, or one
 * ending at max_jobs, drops only its own requests: the other still gets
 * every job, in order.
 */
static void two_walks_on_one_client_one_freed_or_ended_in_flight(void **state)
{
    e2e_env *env = *state;
    ma_job_list *want = reference_order(env, NULL);
    size_t total = ma_job_list_count(want);
    ma_job_query *q = e2e_query(20, 0, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    ma_walk_options o = walk_options(4);
    ma_error err;
    alarm(SPIN_BOUND_S);

    /* A freed with its pages 2-5 in flight, B's too. */
    ma_job_iter *a = NULL, *b = NULL;
    assert_int_equal(ma_job_iter_new(&a, env->client, q, &o, &err), MA_OK);
    assert_int_equal(ma_job_iter_new(&b, env->client, q, &o, &err), MA_OK);
    expect_next(a, want, 0, "A");
    expect_next(b, want, 0, "B");
    ma_job_iter_free(a);
    for (size_t n = 1; n < total; n++)
        expect_next(b, want, n, "B after A was freed");
    expect_end(b, "B after A was freed");
    ma_job_iter_free(b);

    /* A ends at max_jobs 30 in the middle of page 2, its later pages in flight, while B goes on. */
    ma_walk_options bounded = o;
    bounded.max_jobs = 30;
    assert_int_equal(ma_job_iter_new(&a, env->client, q, &bounded, &err), MA_OK);
    assert_int_equal(ma_job_iter_new(&b, env->client, q, &o, &err), MA_OK);
    size_t n = 0;
    for (; n < 30; n++) {
        expect_next(a, want, n, "A (max_jobs 30)");
        expect_next(b, want, n, "B beside A");
    }
    expect_end(a, "A (max_jobs 30)");
    for (; n < total; n++)
        expect_next(b, want, n, "B after A ended");
    expect_end(b, "B after A ended");
    ma_job_iter_free(a);
    ma_job_iter_free(b);

    alarm(0);
    ma_job_query_free(q);
    ma_job_list_free(want);
}

/* A transport that takes exchanges and never reports them, as one that lost track of them would. */
static ma_status lossy_run(ma__transport *self, const ma__exchange_source *source, size_t concurrency, ma_error *err)
{
    (void)self;
    (void)err;
    for (size_t i = 0; i < concurrency && source->next(source->ctx); i++)
        ;
    return MA_OK;
}

static void lossy_abandon(ma__transport *self, const void *owner)
{
    (void)self;
    (void)owner;
}

static void lossy_destroy(ma__transport *self)
{
    free(self);
}

static const ma__transport_vtable lossy_vtable = {lossy_run, lossy_abandon, lossy_destroy, NULL, NULL, NULL, NULL};

/* Requests the transport lost are an error naming the page, never a loop that waits for them. */
static void walk_whose_requests_are_lost_fails_instead_of_spinning(void **state)
{
    e2e_env *env = *state;
    ma_client_options opts;
    e2e_options(env, &opts);
    ma_client *client = e2e_client_new(&opts);
    ma__transport *lossy = malloc(sizeof *lossy);
    assert_non_null(lossy);
    lossy->vtable = &lossy_vtable;
    ma__client_set_transport(client, lossy);
    alarm(SPIN_BOUND_S);
    for (size_t c = 0; c < N_CONCURRENCIES; c++) {
        ma_walk_options o = walk_options(concurrencies[c]);
        ma_job_iter *it = NULL;
        ma_error err;
        assert_int_equal(ma_job_iter_new(&it, client, NULL, &o, &err), MA_OK);
        const ma_job *job = NULL;
        assert_int_equal(ma_job_iter_next(it, &job, &err), MA_ERR_TRANSPORT);
        assert_null(job);
        if (!strstr(err.message, "page 1") || !strstr(err.message, "unanswered"))
            fail_msg("message: %s", err.message);
        assert_int_equal(ma_job_iter_failed_page(it), 0);
        ma_job_iter_free(it);
        ma_job_list *all = NULL;
        assert_int_equal(ma_list_all_training_jobs(client, NULL, &o, &all, &err), MA_ERR_TRANSPORT);
        assert_null(all);
    }
    alarm(0);
    ma_client_free(client);
}

/*
 * A job_total_count that counts every job, not the filtered ones (168 of 240
 * in workspace "0"): by 20, pages 1-8 are full, page 9 holds 8 and page 10 is
 * empty. The walk stops at that empty page, not at page 12 the total implies,
 * and not at the short page 9 either.
 */
static void walk_stops_at_the_first_empty_page_when_the_total_ignores_the_filter(void **state)
{
    e2e_env *env = *state;
    ma_job_list *want = reference_order(env, NULL);
    assert_int_equal(ma_job_list_count(want), 168);
    fake_server_options so;
    fake_server_options_init(&so);
    so.token = E2E_TOKEN;
    so.project_id = E2E_PROJECT;
    so.total_unfiltered = 1;
    fake_server *srv = NULL;
    assert_int_equal(fake_server_start(&so, &srv), 0);
    ma_client_options opts;
    e2e_options(env, &opts);
    opts.endpoint = fake_server_url(srv);
    ma_client *client = e2e_client_new(&opts);
    ma_job_query *q = e2e_query(20, 0, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    ma_walk_options o = walk_options(1);

    ma_job_iter *it = NULL;
    ma_error err;
    assert_int_equal(ma_job_iter_new(&it, client, q, &o, &err), MA_OK);
    for (size_t n = 0; n < 168; n++)
        expect_next(it, want, n, "total ignoring the filter");
    expect_end(it, "total ignoring the filter");
    assert_int_equal(ma_job_iter_total_count(it), 240);
    ma_job_iter_free(it);
    assert_int_equal(fake_server_request_count(srv), 10);

    ma_job_list *all = NULL;
    assert_int_equal(ma_list_all_training_jobs(client, q, &o, &all, &err), MA_OK);
    assert_int_equal(ma_job_list_count(all), 168);
    assert_int_equal(ma_job_list_total_count(all), 240);
    assert_int_equal(fake_server_request_count(srv), 20);
    fake_request *r = malloc(sizeof *r);
    assert_non_null(r);
    assert_int_equal(fake_server_request_at(srv, 19, r), 0);
    assert_non_null(strstr(r->uri, "&page=10&"));
    free(r);
    ma_job_list_free(all);

    ma_job_query_free(q);
    ma_client_free(client);
    fake_server_stop(srv);
    ma_job_list_free(want);
}

static void bad_arguments_and_options_are_invalid_arg(void **state)
{
    e2e_env *env = *state;
    ma_job_iter *it = NULL;
    ma_error err;
    ma_walk_options o = walk_options(1);
    o.concurrency = MA_WALK_MAX_CONCURRENCY + 1;
    assert_int_equal(ma_job_iter_new(&it, env->client, NULL, &o, &err), MA_ERR_INVALID_ARG);
    assert_null(it);
    assert_non_null(strstr(err.message, "concurrency"));
    o = walk_options(1);
    o.version = MA_WALK_OPTIONS_VERSION + 1;
    assert_int_equal(ma_job_iter_new(&it, env->client, NULL, &o, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_job_iter_new(NULL, env->client, NULL, NULL, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_job_iter_new(&it, NULL, NULL, NULL, &err), MA_ERR_INVALID_ARG);
    ma_job_list *all = NULL;
    assert_int_equal(ma_list_all_training_jobs(NULL, NULL, NULL, &all, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_list_all_training_jobs(env->client, NULL, NULL, NULL, &err), MA_ERR_INVALID_ARG);
    const ma_job *job = NULL;
    assert_int_equal(ma_job_iter_next(NULL, &job, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_walk_options_init(NULL, MA_WALK_OPTIONS_VERSION), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_walk_options_init(&o, 0), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_job_iter_total_count(NULL), -1);
    assert_int_equal(ma_job_iter_failed_page(NULL), 0);
    ma_job_iter_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(walk_every_page_in_order_both_modes),
        cmocka_unit_test(zero_filled_walk_options_walk_with_the_defaults),
        cmocka_unit_test(walk_total_multiple_of_page_size_sends_no_extra_request),
        cmocka_unit_test(walk_empty_result_is_one_request_and_no_jobs),
        cmocka_unit_test(walk_starts_at_the_querys_page_and_leaves_the_query_alone),
        cmocka_unit_test(walk_without_per_page_asks_for_pages_of_1000),
        cmocka_unit_test(list_all_matches_the_iterator_and_honours_the_bound),
        cmocka_unit_test(sequential_walk_uses_one_connection),
        cmocka_unit_test(parallel_walk_uses_at_most_concurrency_connections),
        cmocka_unit_test(progress_reports_and_cancels_both_modes),
        cmocka_unit_test(failure_on_page_k_names_the_page_and_stops),
        cmocka_unit_test(failure_on_page_k_in_parallel_mode_keeps_the_order),
        cmocka_unit_test(total_changing_during_the_walk_is_followed),
        cmocka_unit_test(duplicate_ids_dropped_only_when_asked),
        cmocka_unit_test(two_walks_on_one_client_one_freed_or_ended_in_flight),
        cmocka_unit_test(walk_whose_requests_are_lost_fails_instead_of_spinning),
        cmocka_unit_test(walk_stops_at_the_first_empty_page_when_the_total_ignores_the_filter),
        cmocka_unit_test(bad_arguments_and_options_are_invalid_arg),
    };
    return cmocka_run_group_tests(tests, e2e_setup, e2e_teardown);
}
