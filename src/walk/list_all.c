/* Every matching job in one list: each page's strings move in uncopied; its jobs join an array that doubles. */
#include "util/alloc.h"
#include "engine/runtime.h"
#include "util/error.h"
#include "model/job_list.h"
#include "walk/walk.h"

ma_status ma_list_all_training_jobs(ma_client *client, const ma_job_query *query, const ma_walk_options *options,
                                    ma_job_list **out, ma_error *err)
{
    ma_error_clear(err);
    if (!out)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_list_all_training_jobs: out is NULL");
    *out = NULL;
    if (!client)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_list_all_training_jobs: client is NULL");
    ma__walk w;
    ma_status st = ma__walk_init(&w, client, query, options, err);
    ma_job_list *all = NULL;
    if (st == MA_OK && !(all = ma__job_list_new(&ma__runtime_of(client)->alloc))) {
        /* Set apart from ma__error_set() so the status is visible here: gcc -fanalyzer does not
           see across files that the call returns its status argument, and followed a NULL `all`. */
        st = MA_ERR_NOMEM;
        ma__error_set(err, st, "out of memory creating the job list");
    }
    while (st == MA_OK) {
        ma_job_list *page = NULL;
        if ((st = ma__walk_next_page(&w, &page, err)) != MA_OK || !page)
            break;
        st = ma__job_list_append(all, page);
        if (st != MA_OK)
            ma__error_set(err, st, "out of memory gathering %zu jobs", all->count + page->count);
        ma_job_list_free(page);
    }
    if (st == MA_OK) {
        all->total_count = w.total_count < 0 ? 0 : w.total_count;
        all->count_limit = w.count_limit;
        all->quotas = w.quotas;
        *out = all;
    } else {
        ma_job_list_free(all);
    }
    ma__walk_free(&w);
    return st;
}
