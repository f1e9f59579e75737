/*
 * paging: the four ways to read more than one page.
 *
 *   paging PER_PAGE
 *
 *   1. one page at a time with ma_list_training_jobs() (page 2 here);
 *   2. an iterator walking one page after another (concurrency 1);
 *   3. the same iterator with 8 pages in flight, checked to give the same jobs in the same order;
 *   4. ma_list_all_training_jobs() into one list, bounded by max_jobs.
 *
 * Endpoint, project id and credentials come from the environment (ma_client_options_from_env).
 * Exit status: 0 ok, 1 a call failed, 2 bad usage, 3 the parallel walk differed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <modelarts/modelarts.h>

/* Counts progress callbacks; the walk calls it after every page, on this thread. */
static int count_pages(const ma_walk_progress *progress, void *user_data)
{
    int64_t *pages = user_data;
    *pages = progress->pages_done;
    return 0; /* non-zero would cancel the walk with MA_ERR_CANCELLED */
}

/* Walks every job of @p query with @p concurrency pages in flight; stores the ids in @p ids. */
static ma_status walk(ma_client *client, const ma_job_query *query, unsigned int concurrency, int64_t *ids, size_t cap,
                      size_t *n, ma_error *err)
{
    int64_t pages = 0;
    ma_walk_options wo = MA_WALK_OPTIONS_INIT;
    wo.concurrency = concurrency;
    wo.progress = count_pages;
    wo.progress_user_data = &pages;
    ma_job_iter *it = NULL;
    ma_status st = ma_job_iter_new(&it, client, query, &wo, err);
    const ma_job *job = NULL;
    *n = 0;
    /* A job is borrowed: valid until the next ma_job_iter_next() call. */
    while (st == MA_OK && (st = ma_job_iter_next(it, &job, err)) == MA_OK && job != NULL) {
        if (*n < cap)
            ids[*n] = job->job_id;
        (*n)++;
    }
    if (st == MA_OK)
        printf("walk, %u in flight: %zu jobs in %lld pages (job_total_count %lld)\n", concurrency, *n, (long long)pages,
               (long long)ma_job_iter_total_count(it));
    else
        fprintf(stderr, "walk failed at page %d\n", ma_job_iter_failed_page(it));
    ma_job_iter_free(it);
    return st;
}

static int run(ma_client *client, int per_page, ma_error *err)
{
    ma_job_query *query = NULL;
    ma_job_list *page = NULL, *all = NULL;
    int rc = 1;
    size_t cap = 100000, n_seq = 0, n_par = 0;
    int64_t *seq = calloc(cap, sizeof *seq), *par = calloc(cap, sizeof *par);
    if (!seq || !par)
        goto out;
    if (ma_job_query_new(&query, NULL, err) != MA_OK || ma_job_query_set_per_page(query, per_page, err) != MA_OK ||
        ma_job_query_set_sort_by(query, MA_SORT_BY_CREATE_TIME, err) != MA_OK)
        goto out;

    /* 1. A single page: the caller picks the page and decides when to stop. */
    if (ma_job_query_set_page(query, 2, err) != MA_OK || ma_list_training_jobs(client, query, &page, err) != MA_OK)
        goto out;
    printf("page 2: %zu jobs of %lld\n", ma_job_list_count(page), (long long)ma_job_list_total_count(page));
    ma_job_query_reset(query); /* back to "nothing set"; the walks below start at page 1 */
    if (ma_job_query_set_per_page(query, per_page, err) != MA_OK ||
        ma_job_query_set_sort_by(query, MA_SORT_BY_CREATE_TIME, err) != MA_OK)
        goto out;

    /* 2 and 3. Sequential and parallel walks hand out exactly the same order. */
    if (walk(client, query, 1, seq, cap, &n_seq, err) != MA_OK ||
        walk(client, query, 8, par, cap, &n_par, err) != MA_OK)
        goto out;
    for (size_t i = 0; i < n_seq && i < cap; i++) {
        if (n_par != n_seq || seq[i] != par[i]) {
            fprintf(stderr, "paging: the parallel walk differs at job %zu\n", i);
            rc = 3;
            goto out;
        }
    }
    printf("parallel order matches sequential: yes\n");

    /* 4. Everything in one list, at most max_jobs. */
    ma_walk_options wo = MA_WALK_OPTIONS_INIT;
    wo.max_jobs = 250;
    if (ma_list_all_training_jobs(client, query, &wo, &all, err) != MA_OK)
        goto out;
    printf("list-all, max_jobs 250: %zu jobs\n", ma_job_list_count(all));
    rc = 0;
out:
    ma_job_list_free(all);
    ma_job_list_free(page);
    ma_job_query_free(query);
    free(seq);
    free(par);
    return rc;
}

int main(int argc, char **argv)
{
    int per_page = argc == 2 ? atoi(argv[1]) : 0;
    if (per_page < MA_PER_PAGE_MIN || per_page > MA_PER_PAGE_MAX) {
        fprintf(stderr, "usage: paging PER_PAGE (%d..%d)\n", MA_PER_PAGE_MIN, MA_PER_PAGE_MAX);
        return 2;
    }
    if (ma_global_init() != MA_OK)
        return 1;
    ma_error err;
    ma_error_clear(&err);
    ma_env_settings *env = NULL;
    ma_client *client = NULL;
    ma_client_options opts = MA_CLIENT_OPTIONS_INIT;
    int rc = 1;
    if (ma_client_options_from_env(&opts, NULL, &env, &err) == MA_OK && ma_client_new(&client, &opts, &err) == MA_OK)
        rc = run(client, per_page, &err);
    if (rc == 1)
        fprintf(stderr, "paging: %s: %s\n", ma_status_name(err.status), err.message);
    ma_client_free(client);
    ma_env_settings_free(env);
    ma_global_cleanup();
    return rc;
}
