/*
 * End-to-end listing against the fake ModelArts server over loopback HTTP:
 * every sort key and order, each filter, paging, and byte-exact fields. The
 * expected results are computed here from the data set, independently of the
 * server's own filtering and sorting code.
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

#define PAGE_SIZE_FOR_WALKS 37

static const fake_job *find_job(const fake_dataset *ds, int64_t id)
{
    for (size_t i = 0; i < ds->count; i++)
        if (ds->jobs[i].job_id == id)
            return &ds->jobs[i];
    return NULL;
}

static int cmp_i64(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

/* The documented order: by key, ties by job_id ascending; desc reverses the whole order. */
static int expected_order(const fake_job *a, const fake_job *b, ma_sort_key key, ma_sort_order order)
{
    int c = 0;
    switch (key) {
    case MA_SORT_BY_JOB_NAME:
        c = strcmp(a->job_name, b->job_name);
        break;
    case MA_SORT_BY_JOB_DESC:
        c = strcmp(a->job_desc, b->job_desc);
        break;
    case MA_SORT_BY_STATUS:
        c = cmp_i64(a->status, b->status);
        break;
    case MA_SORT_BY_DURATION:
        c = cmp_i64(a->duration, b->duration);
        break;
    case MA_SORT_BY_VERSION_COUNT:
        c = cmp_i64(a->version_count, b->version_count);
        break;
    case MA_SORT_BY_CREATE_TIME:
        c = cmp_i64(a->create_time, b->create_time);
        break;
    }
    if (c == 0)
        c = cmp_i64(a->job_id, b->job_id);
    return order == MA_ORDER_DESC ? -c : c;
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int name_contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *h = hay; *h; h++) {
        size_t i = 0;
        while (i < n && h[i] && ascii_lower((unsigned char)h[i]) == ascii_lower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return n == 0;
}

static void assert_job_equals(const ma_job *got, const fake_job *want)
{
    assert_non_null(want);
    assert_true(got->job_id == want->job_id);
    assert_true(got->version_id == want->version_id);
    assert_int_equal((int)got->status, want->status);
    assert_true(got->create_time_ms == want->create_time);
    assert_true(got->duration_ms == want->duration);
    assert_true(got->version_count == want->version_count);
    assert_string_equal(got->job_name, want->job_name);
    assert_string_equal(got->job_desc, want->job_desc);
}

static ma_job_list *list_ok(ma_client *client, const ma_job_query *q)
{
    ma_job_list *list = NULL;
    ma_error err;
    ma_status st = ma_list_training_jobs(client, q, &list, &err);
    if (st != MA_OK)
        fail_msg("ma_list_training_jobs: %s (HTTP %d, %s): %s", ma_status_name(st), err.http_status, err.service_code,
                 err.message);
    assert_non_null(list);
    assert_int_equal(err.status, MA_OK);
    assert_int_equal(err.http_status, 200);
    assert_true(err.request_id[0] != '\0');
    return list;
}

/*
 * Walks every page of @p q (whose filters are already set) and checks page
 * sizes, totals, the order between consecutive jobs and every field against
 * the data set. Returns the number of jobs seen; @p seen_ids gets their ids.
 */
static size_t walk_pages(e2e_env *env, ma_job_query *q, ma_sort_key key, ma_sort_order order, int per_page,
                         int64_t *seen_ids, size_t max_ids)
{
    const fake_dataset *ds = fake_server_dataset(env->server);
    const fake_job *prev = NULL;
    size_t seen = 0;
    int64_t total = -1;
    for (int page = 1;; page++) {
        assert_int_equal(ma_job_query_set_page(q, page, NULL), MA_OK);
        ma_job_list *list = list_ok(env->client, q);
        if (total < 0)
            total = ma_job_list_total_count(list);
        assert_true(ma_job_list_total_count(list) == total);
        size_t remaining = (size_t)total - seen;
        size_t expected = remaining < (size_t)per_page ? remaining : (size_t)per_page;
        assert_int_equal(ma_job_list_count(list), expected);
        for (size_t i = 0; i < ma_job_list_count(list); i++) {
            const ma_job *job = ma_job_list_at(list, i);
            const fake_job *want = find_job(ds, job->job_id);
            assert_job_equals(job, want);
            if (prev)
                assert_true(expected_order(prev, want, key, order) < 0);
            prev = want;
            assert_true(seen < max_ids);
            seen_ids[seen++] = job->job_id;
        }
        ma_job_list_free(list);
        if (expected == 0 || seen == (size_t)total)
            break;
    }
    assert_int_equal(seen, (size_t)total);
    return seen;
}

static void list_default_query_returns_first_ten_by_name(void **state)
{
    e2e_env *env = *state;
    const fake_dataset *ds = fake_server_dataset(env->server);
    size_t in_default_ws = e2e_count_workspace(ds, "0");
    assert_true(in_default_ws > 10);

    ma_job_list *list = list_ok(env->client, NULL);
    assert_int_equal(ma_job_list_count(list), 10);
    assert_true(ma_job_list_total_count(list) == (int64_t)in_default_ws);
    assert_true(ma_job_list_quotas(list) > 0);
    assert_true(ma_job_list_count_limit(list) >= 0);
    /* The first page must hold the ten smallest jobs of workspace "0" by name. */
    for (size_t i = 0; i < ma_job_list_count(list); i++) {
        const fake_job *job = find_job(ds, ma_job_list_at(list, i)->job_id);
        assert_string_equal(job->workspace_id, "0");
        size_t smaller = 0;
        for (size_t k = 0; k < ds->count; k++)
            if (strcmp(ds->jobs[k].workspace_id, "0") == 0 &&
                expected_order(&ds->jobs[k], job, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC) < 0)
                smaller++;
        assert_int_equal(smaller, i);
    }
    ma_job_list_free(list);
}

static void list_every_sort_key_and_order_walks_a_total_order(void **state)
{
    e2e_env *env = *state;
    const fake_dataset *ds = fake_server_dataset(env->server);
    size_t expected = e2e_count_workspace(ds, "0");
    int64_t *ids = calloc(ds->count, sizeof *ids);
    assert_non_null(ids);
    for (int key = MA_SORT_BY_JOB_NAME; key <= MA_SORT_BY_CREATE_TIME; key++) {
        for (int order = MA_ORDER_ASC; order <= MA_ORDER_DESC; order++) {
            ma_job_query *q = e2e_query(PAGE_SIZE_FOR_WALKS, 1, (ma_sort_key)key, (ma_sort_order)order);
            size_t n = walk_pages(env, q, (ma_sort_key)key, (ma_sort_order)order, PAGE_SIZE_FOR_WALKS, ids, ds->count);
            assert_int_equal(n, expected);
            /* No job twice, none missing: every id is in workspace "0" and distinct. */
            for (size_t i = 0; i < n; i++) {
                assert_string_equal(find_job(ds, ids[i])->workspace_id, "0");
                for (size_t k = i + 1; k < n; k++)
                    assert_true(ids[i] != ids[k]);
            }
            ma_job_query_free(q);
        }
    }
    free(ids);
}

static void list_fields_round_trip_byte_exact_including_large_ids(void **state)
{
    e2e_env *env = *state;
    const fake_dataset *ds = fake_server_dataset(env->server);
    ma_job_query *q = e2e_query(1000, 1, MA_SORT_BY_CREATE_TIME, MA_ORDER_ASC);
    ma_job_list *list = list_ok(env->client, q);
    size_t above_2_53 = 0, utf8_names = 0, long_descs = 0, empty_descs = 0;
    assert_int_equal(ma_job_list_count(list), e2e_count_workspace(ds, "0"));
    for (size_t i = 0; i < ma_job_list_count(list); i++) {
        const ma_job *job = ma_job_list_at(list, i);
        assert_job_equals(job, find_job(ds, job->job_id));
        above_2_53 += job->job_id > (INT64_C(1) << 53);
        long_descs += strlen(job->job_desc) == 4096;
        empty_descs += job->job_desc[0] == '\0';
        for (const char *p = job->job_name; *p; p++)
            if ((unsigned char)*p >= 0x80) {
                utf8_names++;
                break;
            }
    }
    /* The data set is meant to be nasty; make sure it still is. */
    assert_true(above_2_53 > 0);
    assert_true(utf8_names > 0);
    assert_true(long_descs > 0);
    assert_true(empty_descs > 0);
    ma_job_list_free(list);
    ma_job_query_free(q);
}

static void list_status_filter_returns_exactly_that_status(void **state)
{
    e2e_env *env = *state;
    const fake_dataset *ds = fake_server_dataset(env->server);
    for (int status = 0; status <= MA_JOB_STATUS_MAX; status++) {
        ma_job_query *q = e2e_query(1000, 0, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC);
        assert_int_equal(ma_job_query_set_status(q, (ma_job_status)status, NULL), MA_OK);
        ma_job_list *list = list_ok(env->client, q);
        size_t expected = 0;
        for (size_t k = 0; k < ds->count; k++)
            expected += ds->jobs[k].status == status && strcmp(ds->jobs[k].workspace_id, "0") == 0;
        assert_true(expected > 0);
        assert_true(ma_job_list_total_count(list) == (int64_t)expected);
        assert_int_equal(ma_job_list_count(list), expected);
        for (size_t i = 0; i < ma_job_list_count(list); i++)
            assert_int_equal((int)ma_job_list_at(list, i)->status, status);
        ma_job_list_free(list);
        ma_job_query_free(q);
    }
}

static void list_workspace_filter_returns_that_workspace_only(void **state)
{
    e2e_env *env = *state;
    const fake_dataset *ds = fake_server_dataset(env->server);
    size_t other_workspaces = 0;
    for (size_t k = 0; k < ds->count; k++) {
        const char *ws = ds->jobs[k].workspace_id;
        int first = 1;
        for (size_t j = 0; j < k; j++)
            if (strcmp(ds->jobs[j].workspace_id, ws) == 0)
                first = 0;
        if (!first || strcmp(ws, "0") == 0)
            continue;
        other_workspaces++;
        ma_job_query *q = e2e_query(1000, 0, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC);
        assert_int_equal(ma_job_query_set_workspace_id(q, ws, NULL), MA_OK);
        ma_job_list *list = list_ok(env->client, q);
        assert_int_equal(ma_job_list_count(list), e2e_count_workspace(ds, ws));
        for (size_t i = 0; i < ma_job_list_count(list); i++)
            assert_string_equal(find_job(ds, ma_job_list_at(list, i)->job_id)->workspace_id, ws);
        ma_job_list_free(list);
        ma_job_query_free(q);
    }
    assert_true(other_workspaces >= 2);
}

/* One UTF-8 character taken from a data-set name, so the search really crosses the wire encoded. */
static void pick_utf8_needle(const fake_dataset *ds, char *out, size_t size)
{
    for (size_t k = 0; k < ds->count; k++) {
        const unsigned char *p = (const unsigned char *)ds->jobs[k].job_name;
        if (strcmp(ds->jobs[k].workspace_id, "0") != 0)
            continue;
        for (; *p; p++) {
            if (*p >= 0xC2) {
                size_t len = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
                assert_true(len < size);
                memcpy(out, p, len);
                out[len] = '\0';
                return;
            }
        }
    }
    fail_msg("the data set has no UTF-8 job name in workspace 0");
}

static void list_search_content_matches_names_case_insensitively(void **state)
{
    e2e_env *env = *state;
    const fake_dataset *ds = fake_server_dataset(env->server);
    char utf8[8];
    pick_utf8_needle(ds, utf8, sizeof utf8);
    const char *needles[] = {"job", "JOB", "&", "%", "+", "/", "#", "\"", "\\", "?", "=", " ", utf8};
    for (size_t n = 0; n < sizeof needles / sizeof needles[0]; n++) {
        ma_job_query *q = e2e_query(1000, 0, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC);
        assert_int_equal(ma_job_query_set_search_content(q, needles[n], NULL), MA_OK);
        ma_job_list *list = list_ok(env->client, q);
        size_t expected = 0;
        for (size_t k = 0; k < ds->count; k++)
            expected += strcmp(ds->jobs[k].workspace_id, "0") == 0 && name_contains(ds->jobs[k].job_name, needles[n]);
        if (expected == 0)
            fail_msg("needle '%s' matches nothing in the data set", needles[n]);
        assert_true(ma_job_list_total_count(list) == (int64_t)expected);
        assert_int_equal(ma_job_list_count(list), expected);
        for (size_t i = 0; i < ma_job_list_count(list); i++)
            assert_true(name_contains(ma_job_list_at(list, i)->job_name, needles[n]));
        ma_job_list_free(list);
        ma_job_query_free(q);
    }
}

static void list_page_past_the_end_is_empty_with_totals(void **state)
{
    e2e_env *env = *state;
    const fake_dataset *ds = fake_server_dataset(env->server);
    ma_job_query *q = e2e_query(10, MA_PAGE_MAX, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC);
    ma_job_list *list = list_ok(env->client, q);
    assert_int_equal(ma_job_list_count(list), 0);
    assert_null(ma_job_list_at(list, 0));
    assert_true(ma_job_list_total_count(list) == (int64_t)e2e_count_workspace(ds, "0"));
    ma_job_list_free(list);
    ma_job_query_free(q);
}

static void list_with_sort_by_spelling_sends_sort_by(void **state)
{
    e2e_env *env = *state;
    ma_client_options opts;
    e2e_options(env, &opts);
    opts.sort_param_name = MA_SORT_PARAM_SORT_BY;
    ma_client *client = e2e_client_new(&opts);
    ma_job_query *q = e2e_query(5, 1, MA_SORT_BY_DURATION, MA_ORDER_DESC);
    size_t before = fake_server_request_count(env->server);
    ma_job_list *list = list_ok(client, q);
    fake_request req;
    assert_int_equal(fake_server_request_at(env->server, before, &req), 0);
    assert_non_null(strstr(req.uri, "&sort_by=duration&"));
    assert_null(strstr(req.uri, "sortBy"));
    const fake_dataset *ds = fake_server_dataset(env->server);
    for (size_t i = 1; i < ma_job_list_count(list); i++)
        assert_true(expected_order(find_job(ds, ma_job_list_at(list, i - 1)->job_id),
                                   find_job(ds, ma_job_list_at(list, i)->job_id), MA_SORT_BY_DURATION,
                                   MA_ORDER_DESC) < 0);
    ma_job_list_free(list);
    ma_job_query_free(q);
    ma_client_free(client);
}

static void list_sends_encoded_uri_token_and_user_agent(void **state)
{
    e2e_env *env = *state;
    ma_client_options opts;
    e2e_options(env, &opts);
    opts.user_agent_suffix = "e2e-suite/1.0";
    ma_client *client = e2e_client_new(&opts);
    ma_job_query *q = NULL;
    assert_int_equal(ma_job_query_new(&q, NULL, NULL), MA_OK);
    assert_int_equal(ma_job_query_set_status(q, MA_JOB_STATUS_WAITING, NULL), MA_OK);
    assert_int_equal(ma_job_query_set_per_page(q, 10, NULL), MA_OK);
    assert_int_equal(ma_job_query_set_page(q, 1, NULL), MA_OK);
    assert_int_equal(ma_job_query_set_sort_by(q, MA_SORT_BY_JOB_NAME, NULL), MA_OK);
    assert_int_equal(ma_job_query_set_order(q, MA_ORDER_ASC, NULL), MA_OK);
    assert_int_equal(ma_job_query_set_search_content(q, "a b&c+d%e/\xc3\xa4", NULL), MA_OK);
    size_t before = fake_server_request_count(env->server);
    ma_job_list *list = list_ok(client, q);
    fake_request req;
    assert_int_equal(fake_server_request_at(env->server, before, &req), 0);
    assert_string_equal(req.method, "GET");
    assert_string_equal(req.uri, "/v1/" E2E_PROJECT "/training-jobs?status=7&per_page=10&page=1&sortBy=job_name"
                                 "&order=asc&search_content=a%20b%26c%2Bd%25e%2F%C3%A4");
    assert_string_equal(req.auth_token, E2E_TOKEN);
    assert_string_equal(req.content_type, "application/json");
    assert_non_null(strstr(req.user_agent, "modelarts-c/" MA_VERSION_STRING " libcurl/"));
    assert_non_null(strstr(req.user_agent, " e2e-suite/1.0"));
    ma_job_list_free(list);
    ma_job_query_free(q);
    ma_client_free(client);
}

static void list_many_calls_reuse_one_connection(void **state)
{
    e2e_env *env = *state;
    ma_client_options opts;
    e2e_options(env, &opts);
    ma_client *client = e2e_client_new(&opts);
    size_t before = fake_server_connection_count(env->server);
    for (int i = 0; i < 5; i++)
        ma_job_list_free(list_ok(client, NULL));
    assert_int_equal(fake_server_connection_count(env->server) - before, 1);
    ma_client_free(client);
}

static void list_result_outlives_its_client(void **state)
{
    e2e_env *env = *state;
    ma_client_options opts;
    e2e_options(env, &opts);
    ma_client *client = e2e_client_new(&opts);
    ma_job_list *list = list_ok(client, NULL);
    ma_client_free(client);
    const fake_dataset *ds = fake_server_dataset(env->server);
    assert_true(ma_job_list_count(list) > 0);
    for (size_t i = 0; i < ma_job_list_count(list); i++)
        assert_job_equals(ma_job_list_at(list, i), find_job(ds, ma_job_list_at(list, i)->job_id));
    ma_job_list_free(list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(list_default_query_returns_first_ten_by_name),
        cmocka_unit_test(list_every_sort_key_and_order_walks_a_total_order),
        cmocka_unit_test(list_fields_round_trip_byte_exact_including_large_ids),
        cmocka_unit_test(list_status_filter_returns_exactly_that_status),
        cmocka_unit_test(list_workspace_filter_returns_that_workspace_only),
        cmocka_unit_test(list_search_content_matches_names_case_insensitively),
        cmocka_unit_test(list_page_past_the_end_is_empty_with_totals),
        cmocka_unit_test(list_with_sort_by_spelling_sends_sort_by),
        cmocka_unit_test(list_sends_encoded_uri_token_and_user_agent),
        cmocka_unit_test(list_many_calls_reuse_one_connection),
        cmocka_unit_test(list_result_outlives_its_client),
    };
    return cmocka_run_group_tests(tests, e2e_setup, e2e_teardown);
}
