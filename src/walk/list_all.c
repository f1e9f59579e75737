/* Every matching job in one list: each page's jobs and strings are moved in, never copied again. */
#include <string.h>

#include "util/alloc.h"
#include "engine/runtime.h"
#include "util/error.h"
#include "model/job_list.h"
#include "walk/status_merge.h"
#include "walk/walk.h"

/* Copies one merged job (and its strings) into @p all. */
static ma_status keep_job(ma_job_list *all, const ma_job *job)
{
    ma_job *copy = ma__job_list_push(all);
    if (!copy)
        return MA_ERR_NOMEM;
    *copy = *job;
    copy->job_name = copy->job_desc = NULL;
    if ((job->job_name && !(copy->job_name = ma__job_list_store_string(all, job->job_name, strlen(job->job_name)))) ||
        (job->job_desc && !(copy->job_desc = ma__job_list_store_string(all, job->job_desc, strlen(job->job_desc))))) {
        ma__job_list_pop(all);
        return MA_ERR_NOMEM;
    }
    return MA_OK;
}

/* The list a walk gathers into; NULL, with *st and err saying why, when memory runs out or *st already failed. */
static ma_job_list *new_gathering_list(ma_client *client, ma_status *st, ma_error *err)
{
    if (*st != MA_OK)
        return NULL;
    ma_job_list *all = ma__job_list_new(&ma__runtime_of(client)->alloc);
    if (!all) {
        /* Set apart from ma__error_set() so the status is visible here: gcc -fanalyzer does not
           see across files that the call returns its status argument, and followed a NULL `all`. */
        *st = MA_ERR_NOMEM;
        ma__error_set(err, *st, "out of memory creating the job list");
    }
    return all;
}

/* A gathered list goes to the caller with the walk's totals, or is freed when the walk failed. */
static void hand_over(ma_job_list *all, ma_status st, int64_t total_count, int64_t count_limit, int64_t quotas,
                      ma_job_list **out)
{
    if (st != MA_OK) {
        ma_job_list_free(all);
        return;
    }
    all->total_count = total_count < 0 ? 0 : total_count;
    all->count_limit = count_limit;
    all->quotas = quotas;
    *out = all;
}

/* Several statuses: the merged stream, job by job (each page's jobs come from several walks). */
static ma_status list_merged(ma_client *client, const ma_job_query *query, const ma_walk_options *options,
                             ma_job_list **out, ma_error *err)
{
    ma__status_merge m;
    ma_status st = ma__status_merge_init(&m, client, query, options, err);
    ma_job_list *all = new_gathering_list(client, &st, err);
    while (st == MA_OK) {
        const ma_job *job = NULL;
        if ((st = ma__status_merge_next(&m, &job, err)) != MA_OK || !job)
            break;
        if ((st = keep_job(all, job)) != MA_OK)
            ma__error_set(err, st, "out of memory gathering %zu jobs", all->count + 1);
    }
    hand_over(all, st, m.total_count, m.count_limit, m.quotas, out);
    ma__status_merge_free(&m);
    return st;
}

ma_status ma_list_all_training_jobs(ma_client *client, const ma_job_query *query, const ma_walk_options *options,
                                    ma_job_list **out, ma_error *err)
{
    ma_error_clear(err);
    if (!out)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_list_all_training_jobs: out is NULL");
    *out = NULL;
    if (!client)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_list_all_training_jobs: client is NULL");
    if (ma__runtime_of(client)->events)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "%s: the client runs on an event loop; use %s_start()",
                             "ma_list_all_training_jobs", "ma_list_all_training_jobs");
    if (ma__query_has_status_set(query))
        return list_merged(client, query, options, out, err);
    ma__walk w;
    ma_status st = ma__walk_init(&w, client, query, options, err);
    ma_job_list *all = new_gathering_list(client, &st, err);
    while (st == MA_OK) {
        ma_job_list *page = NULL;
        if ((st = ma__walk_next_page(&w, &page, err)) != MA_OK || !page)
            break;
        st = ma__job_list_append(all, page);
        if (st != MA_OK)
            ma__error_set(err, st, "out of memory gathering %zu jobs", all->count + page->count);
        ma_job_list_free(page);
    }
    hand_over(all, st, w.total_count, w.count_limit, w.quotas, out);
    ma__walk_free(&w);
    return st;
}
