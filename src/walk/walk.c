#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/alloc.h"
#include "engine/runtime.h"
#include "util/error.h"
#include "model/job_list.h"
#include "jobs/query.h"
#include "walk/walk.h"

/* Size of the struct as a program built against @p version knows it. */
static size_t options_size(unsigned int version)
{
    return version >= 2 ? sizeof(ma_walk_options) : offsetof(ma_walk_options, timeout_ms);
}

ma_status ma_walk_options_init(ma_walk_options *options, unsigned int version)
{
    if (!options || version == 0 || version > MA_WALK_OPTIONS_VERSION)
        return MA_ERR_INVALID_ARG;
    const ma_walk_options defaults = MA_WALK_OPTIONS_INIT;
    memcpy(options, &defaults, options_size(version));
    options->version = version;
    return MA_OK;
}

static ma_status check_options(const ma_walk_options *o, ma_error *err)
{
    if (o->version == 0 || o->version > MA_WALK_OPTIONS_VERSION)
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "walk options version %u is not supported (use ma_walk_options_init)", o->version);
    if (o->concurrency > MA_WALK_MAX_CONCURRENCY)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "concurrency must be 1-%d (0 for the default), got %u",
                             MA_WALK_MAX_CONCURRENCY, o->concurrency);
    if (o->version >= 2 && o->timeout_ms < 0)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "timeout_ms must be >= 0, got %ld", o->timeout_ms);
    return MA_OK;
}

ma_status ma__walk_init(ma__walk *w, ma_client *client, const ma_job_query *query, const ma_walk_options *options,
                        ma_error *err)
{
    memset(w, 0, sizeof *w);
    const ma_walk_options defaults = MA_WALK_OPTIONS_INIT;
    const ma_walk_options *o = options ? options : &defaults;
    ma_status st = check_options(o, err);
    if (st != MA_OK)
        return st;
    w->client = client;
    w->alloc = ma__runtime_of(client)->alloc;
    /* Only the fields the caller's version has; the rest keep their defaults. */
    w->options = defaults;
    memcpy(&w->options, o, options_size(o->version));
    if (w->options.concurrency == 0) /* zero is the default, as in every options struct since 0.4 */
        w->options.concurrency = MA_WALK_DEFAULT_CONCURRENCY;
    if ((st = ma_job_query_new(&w->query, &w->alloc, err)) != MA_OK)
        return st;
    if (query) {
        /* The struct is flat; only its allocator is ours. */
        ma_allocator mine = w->query->alloc;
        *w->query = *query;
        w->query->alloc = mine;
    }
    w->per_page = (w->query->set & MA__Q_PER_PAGE) ? w->query->per_page : MA_WALK_DEFAULT_PER_PAGE;
    w->query->per_page = w->per_page;
    w->query->set |= MA__Q_PER_PAGE | MA__Q_PAGE;
    w->start_page = (query && (query->set & MA__Q_PAGE)) ? query->page : MA_PAGE_MIN;
    w->next_request = w->next_consume = w->start_page;
    w->total_count = w->count_limit = w->quotas = -1;
    w->status = MA_OK;
    w->pending = MA_OK;
    ma_error_clear(&w->err);
    ma__seen_ids_init(&w->seen, &w->alloc);
    return MA_OK;
}

static void drop_window(ma__walk *w)
{
    for (size_t i = 0; i < w->window_count; i++)
        ma_job_list_free(w->window[i].list);
    w->window_count = 0;
}

void ma__walk_free(ma__walk *w)
{
    ma__walk_abandon(w);
    drop_window(w);
    ma_job_query_free(w->query);
    w->query = NULL;
    ma__seen_ids_free(&w->seen);
}

static ma_status fail(ma__walk *w, ma_status st, const ma_error *detail, ma_error *err)
{
    if (detail == &w->pending_err)
        w->failed_page = w->pending_page;
    w->status = st;
    if (detail)
        w->err = *detail;
    w->err.status = st;
    w->err.failed_page = w->failed_page;
    w->ended = 1;
    ma__walk_abandon(w);
    drop_window(w);
    if (err)
        *err = w->err;
    return st;
}

static ma_job_list *take_from_window(ma__walk *w, int page)
{
    for (size_t i = 0; i < w->window_count; i++) {
        if (w->window[i].page != page)
            continue;
        ma_job_list *list = w->window[i].list;
        w->window[i] = w->window[--w->window_count];
        return list;
    }
    return NULL;
}

size_t ma__walk_jobs_left(const ma__walk *w)
{
    if (w->options.max_jobs == 0)
        return SIZE_MAX;
    return w->options.max_jobs > (size_t)w->jobs_so_far ? w->options.max_jobs - (size_t)w->jobs_so_far : 0;
}

/* Last page worth asking for when @p total jobs match: the service pages by offset, and stops at MA_PAGE_MAX. */
static int last_page_for(int64_t total, int per_page)
{
    if (total <= 0)
        return 0;
    int64_t pages = (total + per_page - 1) / per_page;
    return pages > MA_PAGE_MAX ? MA_PAGE_MAX : (int)pages;
}

/* Drops repeated ids and jobs past max_jobs, in place; returns how many are kept. */
static ma_status filter_page(ma__walk *w, ma_job_list *list, ma_error *err)
{
    size_t kept = 0, left = ma__walk_jobs_left(w);
    for (size_t i = 0; i < list->count && kept < left; i++) {
        if (w->options.drop_duplicate_job_ids) {
            int fresh = ma__seen_ids_add(&w->seen, list->jobs[i].job_id);
            if (fresh < 0)
                return ma__error_set(err, MA_ERR_NOMEM, "out of memory remembering job ids");
            if (!fresh)
                continue;
        }
        list->jobs[kept++] = list->jobs[i];
    }
    list->count = kept;
    return MA_OK;
}

ma_status ma__walk_next_page(ma__walk *w, ma_job_list **page, ma_error *err)
{
    *page = NULL;
    if (w->status != MA_OK) {
        if (err)
            *err = w->err;
        return w->status;
    }
    if (w->ended || ma__walk_jobs_left(w) == 0)
        return MA_OK;
    ma_job_list *list = take_from_window(w, w->next_consume);
    if (!list) {
        ma_error detail;
        ma_error_clear(&detail);
        ma_status st = ma__walk_fill(w, &detail);
        if (st != MA_OK)
            return fail(w, st, &detail, err);
        list = take_from_window(w, w->next_consume);
        if (!list && w->pending != MA_OK && w->pending_page == w->next_consume)
            return fail(w, w->pending, &w->pending_err, err);
        if (!list)
            return fail(w, ma__error_set(&detail, MA_ERR_PROTOCOL, "page %d was not fetched", w->next_consume), &detail,
                        err);
    }
    int page_no = w->next_consume++;
    if (w->total_count < 0) {
        w->total_count = list->total_count;
        w->count_limit = list->count_limit;
        w->quotas = list->quotas;
    }
    /* Each page's own total decides, so a walk follows a total that changes under it. */
    w->last_page = last_page_for(list->total_count, w->per_page);
    if (list->count == 0 || (int64_t)page_no * w->per_page >= list->total_count || page_no >= MA_PAGE_MAX)
        w->ended = 1;
    ma_error detail;
    ma_error_clear(&detail);
    ma_status st = filter_page(w, list, &detail);
    if (st != MA_OK) {
        ma_job_list_free(list);
        return fail(w, st, &detail, err);
    }
    w->jobs_so_far += (int64_t)list->count;
    w->pages_done++;
    if (ma__walk_jobs_left(w) == 0)
        w->ended = 1;
    if (w->ended) {
        ma__walk_abandon(w);
        drop_window(w);
    } else if ((st = ma__walk_top_up(w, &detail)) != MA_OK) {
        ma_job_list_free(list);
        return fail(w, st, &detail, err);
    }
    if (w->options.progress) {
        int64_t planned = w->last_page > 0 ? (int64_t)w->last_page - w->start_page + 1 : 0;
        ma_walk_progress p = {w->pages_done, w->ended || planned < w->pages_done ? w->pages_done : planned,
                              w->jobs_so_far};
        if (w->options.progress(&p, w->options.progress_user_data) != 0) {
            ma_job_list_free(list);
            ma__error_set(&detail, MA_ERR_CANCELLED, "cancelled by the progress callback after page %d", page_no);
            return fail(w, MA_ERR_CANCELLED, &detail, err);
        }
    }
    *page = list;
    return MA_OK;
}
