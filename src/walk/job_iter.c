/* The public iterator: one job at a time over the walk's pages. */
#include "util/alloc.h"
#include "engine/runtime.h"
#include "util/error.h"
#include "walk/walk.h"

struct ma_job_iter {
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
    ma_job_iter *it = ma__calloc(&ma__runtime_of(client)->alloc, 1, sizeof *it);
    if (!it)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory allocating the iterator");
    ma_status st = ma__walk_init(&it->walk, client, query, options, err);
    if (st != MA_OK) {
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
    return iter ? iter->walk.total_count : -1;
}

int64_t ma_job_iter_count_limit(const ma_job_iter *iter)
{
    return iter ? iter->walk.count_limit : -1;
}

int64_t ma_job_iter_quotas(const ma_job_iter *iter)
{
    return iter ? iter->walk.quotas : -1;
}

int ma_job_iter_failed_page(const ma_job_iter *iter)
{
    return iter ? iter->walk.failed_page : 0;
}

void ma_job_iter_free(ma_job_iter *iter)
{
    if (!iter)
        return;
    ma_allocator a = iter->walk.alloc;
    ma_job_list_free(iter->page);
    ma__walk_free(&iter->walk);
    ma__free(&a, iter);
}
