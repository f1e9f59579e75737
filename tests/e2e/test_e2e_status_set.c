/*
 * Walking a set of statuses against the fake server: the merged stream must
 * equal the server's own sorted listing filtered to the set, for every sort
 * key and order, sequential and parallel, through the iterator and list-all;
 * with the same bound, progress, cancellation and failure rules as one walk.
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

static const int32_t SET[] = {MA_JOB_STATUS_FAILED, MA_JOB_STATUS_LOST, MA_JOB_STATUS_RUNNING,
                              MA_JOB_STATUS_MOUNT_FAILED};
#define SET_SIZE (sizeof SET / sizeof SET[0])

static int in_set(int32_t status)
{
    for (size_t i = 0; i < SET_SIZE; i++)
        if (SET[i] == status)
            return 1;
    return 0;
}

/* The server's listing in this sort (one page of 1000), the reference for every merge. */
static ma_job_list *reference(e2e_env *env, ma_sort_key key, ma_sort_order order)
{
    ma_job_query *q = e2e_query(1000, 1, key, order);
    ma_job_list *all = NULL;
    ma_error err;
    if (ma_list_training_jobs(env->client, q, &all, &err) != MA_OK)
        fail_msg("reference listing: %s", err.message);
    ma_job_query_free(q);
    return all;
}

static ma_job_query *set_query(int per_page, ma_sort_key key, ma_sort_order order)
{
    ma_job_query *q = e2e_query(per_page, 0, key, order);
    assert_int_equal(ma_job_query_set_statuses(q, SET, SET_SIZE, NULL), MA_OK);
    return q;
}

static void merged_stream_equals_the_servers_sorted_union(void **state)
{
    e2e_env *env = *state;
    static const unsigned concurrencies[] = {1, 4, 16};
    for (int key = MA_SORT_BY_JOB_NAME; key <= MA_SORT_BY_CREATE_TIME; key++) {
        for (int order = MA_ORDER_ASC; order <= MA_ORDER_DESC; order++) {
            ma_job_list *ref = reference(env, (ma_sort_key)key, (ma_sort_order)order);
            size_t want = 0;
            for (size_t i = 0; i < ma_job_list_count(ref); i++)
                want += (size_t)in_set(ma_job_list_at(ref, i)->status);
            assert_true(want > 10);
            for (size_t c = 0; c < sizeof concurrencies / sizeof concurrencies[0]; c++) {
                ma_walk_options o;
                assert_int_equal(ma_walk_options_init(&o, MA_WALK_OPTIONS_VERSION), MA_OK);
                o.concurrency = concurrencies[c];
                ma_job_query *q = set_query(3, (ma_sort_key)key, (ma_sort_order)order);
                ma_job_iter *it = NULL;
                ma_error err;
                assert_int_equal(ma_job_iter_new(&it, env->client, q, &o, &err), MA_OK);
                size_t r = 0, n = 0;
                const ma_job *job = NULL;
                ma_status st;
                while ((st = ma_job_iter_next(it, &job, &err)) == MA_OK && job) {
                    while (r < ma_job_list_count(ref) && !in_set(ma_job_list_at(ref, r)->status))
                        r++;
                    assert_true(r < ma_job_list_count(ref));
                    if (job->job_id != ma_job_list_at(ref, r)->job_id)
                        fail_msg("key %d order %d concurrency %u: job %zu is %lld, the server's is %lld", key, order,
                                 concurrencies[c], n, (long long)job->job_id,
                                 (long long)ma_job_list_at(ref, r)->job_id);
                    r++;
                    n++;
                }
                if (st != MA_OK)
                    fail_msg("walk failed: %s", err.message);
                assert_int_equal(n, want);
                assert_int_equal(ma_job_iter_total_count(it), (int64_t)want);
                ma_job_iter_free(it);

                ma_job_list *all = NULL;
                assert_int_equal(ma_list_all_training_jobs(env->client, q, &o, &all, &err), MA_OK);
                assert_int_equal(ma_job_list_count(all), want);
                assert_int_equal(ma_job_list_total_count(all), (int64_t)want);
                for (size_t i = 0, k = 0; i < ma_job_list_count(ref); i++) {
                    const ma_job *rj = ma_job_list_at(ref, i);
                    if (!in_set(rj->status))
                        continue;
                    const ma_job *aj = ma_job_list_at(all, k++);
                    assert_int_equal(aj->job_id, rj->job_id);
                    assert_string_equal(aj->job_name, rj->job_name);
                    assert_int_equal(aj->create_time_ms, rj->create_time_ms);
                }
                ma_job_list_free(all);
                ma_job_query_free(q);
            }
            ma_job_list_free(ref);
        }
    }
}

static void a_class_walks_every_status_of_the_class(void **state)
{
    e2e_env *env = *state;
    ma_job_list *ref = reference(env, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    ma_job_query *q = e2e_query(5, 0, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    assert_int_equal(ma_job_query_set_status_class(q, MA_JOB_CLASS_FAILED, NULL), MA_OK);
    ma_job_list *all = NULL;
    ma_error err;
    assert_int_equal(ma_list_all_training_jobs(env->client, q, NULL, &all, &err), MA_OK);
    size_t k = 0;
    for (size_t i = 0; i < ma_job_list_count(ref); i++) {
        if (!ma_job_status_is_failed(ma_job_list_at(ref, i)->status))
            continue;
        assert_true(k < ma_job_list_count(all));
        assert_int_equal(ma_job_list_at(all, k++)->job_id, ma_job_list_at(ref, i)->job_id);
    }
    assert_int_equal(k, ma_job_list_count(all));
    ma_job_list_free(all);
    ma_job_query_free(q);
    ma_job_list_free(ref);
}

static void one_page_refuses_a_set_and_bad_values_change_nothing(void **state)
{
    e2e_env *env = *state;
    ma_job_query *q = e2e_query(5, 0, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC);
    assert_int_equal(ma_job_query_set_statuses(q, SET, SET_SIZE, NULL), MA_OK);
    ma_job_list *page = NULL;
    ma_error err;
    size_t before = fake_server_request_count(env->server);
    assert_int_equal(ma_list_training_jobs(env->client, q, &page, &err), MA_ERR_INVALID_ARG);
    assert_null(page);
    assert_non_null(strstr(err.message, "several statuses"));
    assert_int_equal(fake_server_request_count(env->server), before);
    /* A bad member leaves the set as it was. */
    const int32_t bad[] = {MA_JOB_STATUS_FAILED, 23};
    assert_int_equal(ma_job_query_set_statuses(q, bad, 2, &err), MA_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "got 23"));
    assert_int_equal(ma_list_training_jobs(env->client, q, &page, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_job_query_set_statuses(q, NULL, 1, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_job_query_set_statuses(NULL, SET, 1, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_job_query_set_status_class(q, 0, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_job_query_set_status_class(q, 5, &err), MA_ERR_INVALID_ARG);
    /* One status (repeated) is the plain filter, which one page serves. */
    const int32_t one[] = {MA_JOB_STATUS_RUNNING, MA_JOB_STATUS_RUNNING};
    assert_int_equal(ma_job_query_set_statuses(q, one, 2, NULL), MA_OK);
    assert_int_equal(ma_list_training_jobs(env->client, q, &page, &err), MA_OK);
    for (size_t i = 0; i < ma_job_list_count(page); i++)
        assert_int_equal(ma_job_list_at(page, i)->status, MA_JOB_STATUS_RUNNING);
    ma_job_list_free(page);
    /* None clears the filter. */
    assert_int_equal(ma_job_query_set_statuses(q, NULL, 0, NULL), MA_OK);
    assert_int_equal(ma_list_training_jobs(env->client, q, &page, &err), MA_OK);
    assert_int_equal(ma_job_list_count(page), 5);
    ma_job_list_free(page);
    ma_job_query_free(q);
}

static void the_bound_is_a_prefix_of_the_merged_stream(void **state)
{
    e2e_env *env = *state;
    ma_job_query *q = set_query(4, MA_SORT_BY_DURATION, MA_ORDER_DESC);
    ma_job_list *all = NULL, *some = NULL;
    ma_error err;
    assert_int_equal(ma_list_all_training_jobs(env->client, q, NULL, &all, &err), MA_OK);
    ma_walk_options o;
    assert_int_equal(ma_walk_options_init(&o, MA_WALK_OPTIONS_VERSION), MA_OK);
    o.max_jobs = 7;
    assert_int_equal(ma_list_all_training_jobs(env->client, q, &o, &some, &err), MA_OK);
    assert_int_equal(ma_job_list_count(some), 7);
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(ma_job_list_at(some, i)->job_id, ma_job_list_at(all, i)->job_id);
    ma_job_list_free(all);
    ma_job_list_free(some);
    ma_job_query_free(q);
}

typedef struct counter {
    int calls;
    int cancel_at; /* pages; 0: never */
    ma_walk_progress last;
} counter;

static int count_progress(const ma_walk_progress *p, void *user)
{
    counter *c = user;
    c->calls++;
    if (c->calls > 1 && p->pages_done < c->last.pages_done)
        fail_msg("pages_done went back");
    c->last = *p;
    return c->cancel_at != 0 && p->pages_done >= c->cancel_at;
}

static void progress_sums_the_walks_and_cancels(void **state)
{
    e2e_env *env = *state;
    ma_job_query *q = set_query(3, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC);
    counter never = {0, 0, {0, 0, 0}};
    ma_walk_options o;
    assert_int_equal(ma_walk_options_init(&o, MA_WALK_OPTIONS_VERSION), MA_OK);
    o.progress = count_progress;
    o.progress_user_data = &never;
    ma_job_list *all = NULL;
    ma_error err;
    assert_int_equal(ma_list_all_training_jobs(env->client, q, &o, &all, &err), MA_OK);
    assert_true(never.calls > (int)SET_SIZE);
    assert_int_equal(never.last.pages_done, never.calls);
    assert_int_equal(never.last.pages_total, never.last.pages_done);
    ma_job_list_free(all);

    counter two = {0, 2, {0, 0, 0}};
    o.progress_user_data = &two;
    assert_int_equal(ma_list_all_training_jobs(env->client, q, &o, &all, &err), MA_ERR_CANCELLED);
    assert_null(all);
    ma_job_iter *it = NULL;
    assert_int_equal(ma_job_iter_new(&it, env->client, q, &o, &err), MA_OK);
    two.calls = 0;
    const ma_job *job = NULL;
    assert_int_equal(ma_job_iter_next(it, &job, &err), MA_ERR_CANCELLED);
    assert_null(job);
    assert_int_equal(ma_job_iter_next(it, &job, &err), MA_ERR_CANCELLED);
    assert_int_equal(err.status, MA_ERR_CANCELLED);
    ma_job_iter_free(it);
    ma_job_query_free(q);
}

static void a_failing_status_walk_fails_the_merge_and_names_it(void **state)
{
    e2e_env *env = *state;
    fake_response r;
    memset(&r, 0, sizeof r);
    r.status = 500;
    r.headers = "Content-Type: application/json";
    r.body = "{\"error_code\": \"ModelArts.0001\", \"error_msg\": \"boom\"}";
    r.body_len = strlen(r.body);
    r.abort_after = -1;
    assert_int_equal(fake_server_push_for(env->server, "status=14&per_page=2&page=2&", &r), 0);
    ma_job_query *q = set_query(2, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC);
    ma_job_iter *it = NULL;
    ma_error err;
    assert_int_equal(ma_job_iter_new(&it, env->client, q, NULL, &err), MA_OK);
    const ma_job *job = NULL;
    ma_status st;
    size_t n = 0;
    while ((st = ma_job_iter_next(it, &job, &err)) == MA_OK && job)
        n++;
    assert_int_equal(st, MA_ERR_SERVER);
    assert_non_null(strstr(err.message, "status 14: page 2"));
    assert_int_equal(ma_job_iter_failed_page(it), 2);
    assert_int_equal(ma_job_iter_next(it, &job, &err), MA_ERR_SERVER);
    ma_job_iter_free(it);
    ma_job_query_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(merged_stream_equals_the_servers_sorted_union),
        cmocka_unit_test(a_class_walks_every_status_of_the_class),
        cmocka_unit_test(one_page_refuses_a_set_and_bad_values_change_nothing),
        cmocka_unit_test(the_bound_is_a_prefix_of_the_merged_stream),
        cmocka_unit_test(progress_sums_the_walks_and_cancels),
        cmocka_unit_test(a_failing_status_walk_fails_the_merge_and_names_it),
    };
    return cmocka_run_group_tests(tests, e2e_setup, e2e_teardown);
}
