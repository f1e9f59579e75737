/* The public iterator: one job at a time over the walk's pages. */
#include "util/alloc.h"
#include "engine/runtime.h"
#include "util/error.h"
#include "walk/status_merge.h"
#include "walk/walk.h"

struct ma_job_iter {
    ma__status_merge *merge; /* a query with several statuses; NULL: one walk */
    ma__walk walk;
    ma_job_list *page; /* the page being handed out */
    size_t index;
};

ma_status ma_job_iter_new(ma_job_iter **out, ma_client *client, const ma_job_query *query,
                          const ma_walk_options *options, ma_error *err)
{
    ma_error_clear(err);
    if (!out)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_job_iter_new: out is NULL");
    *out = NULL;
    if (!client)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_job_iter_new: client is NULL");
    if (ma__runtime_of(client)->events)
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "ma_job_iter_new: the client runs on an event loop; use ma_walk_training_jobs_start()");
    ma_job_iter *it = ma__calloc(&ma__runtime_of(client)->alloc, 1, sizeof *it);
    if (!it)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory allocating the iterator");
    ma_status st;
    if (ma__query_has_status_set(query)) {
        it->merge = ma__calloc(&ma__runtime_of(client)->alloc, 1, sizeof *it->merge);
        if (!it->merge) {
            ma__free(&ma__runtime_of(client)->alloc, it);
            return ma__error_set(err, MA_ERR_NOMEM, "out of memory allocating the iterator");
        }
        st = ma__status_merge_init(it->merge, client, query, options, err);
        if (st != MA_OK) {
            ma__status_merge_free(it->merge);
            ma__free(&ma__runtime_of(client)->alloc, it->merge);
            ma__free(&ma__runtime_of(client)->alloc, it);
            return st;
        }
        it->walk.alloc = ma__runtime_of(client)->alloc; /* what ma_job_iter_free() frees with */
    } else if ((st = ma__walk_init(&it->walk, client, query, options, err)) != MA_OK) {
        ma__walk_free(&it->walk);
        ma__free(&ma__runtime_of(client)->alloc, it);
        return st;
    }
    *out = it;
    return MA_OK;
}

ma_status ma_job_iter_next(ma_job_iter *iter, const ma_job **job, ma_error *err)
{
    ma_error_clear(err);
    if (!job)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_job_iter_next: job is NULL");
    *job = NULL;
    if (!iter)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_job_iter_next: iter is NULL");
    if (iter->merge)
        return ma__status_merge_next(iter->merge, job, err);
    while (!iter->page || iter->index >= ma_job_list_count(iter->page)) {
        ma_job_list_free(iter->page);
        iter->page = NULL;
        iter->index = 0;
        ma_status st = ma__walk_next_page(&iter->walk, &iter->page, err);
        if (st != MA_OK || !iter->page)
            return st;
    }
    *job = ma_job_list_at(iter->page, iter->index++);
    return MA_OK;
}

int64_t ma_job_iter_total_count(const ma_job_iter *iter)
{
    if (iter && iter->merge)
        return iter->merge->total_count;
    return iter ? iter->walk.total_count : -1;
}

int64_t ma_job_iter_count_limit(const ma_job_iter *iter)
{
    if (iter && iter->merge)
        return iter->merge->count_limit;
    return iter ? iter->walk.count_limit : -1;
}

int64_t ma_job_iter_quotas(const ma_job_iter *iter)
{
    if (iter && iter->merge)
        return iter->merge->quotas;
    return iter ? iter->walk.quotas : -1;
}

int ma_job_iter_failed_page(const ma_job_iter *iter)
{
    if (iter && iter->merge)
        return iter->merge->failed_page;
    return iter ? iter->walk.failed_page : 0;
}

void ma_job_iter_free(ma_job_iter *iter)
{
    if (!iter)
        return;
    ma_allocator a = iter->walk.alloc;
    ma_job_list_free(iter->page);
    if (iter->merge) {
        ma__status_merge_free(iter->merge);
        ma__free(&a, iter->merge);
    } else {
        ma__walk_free(&iter->walk);
    }
    ma__free(&a, iter);
}
