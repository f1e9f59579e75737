/*
 * Walks without blocking: every job of a query handed to a callback in
 * order (ma_walk_training_jobs_start()), or gathered into one list
 * (ma_list_all_training_jobs_start()). The walk's window is the iterator's:
 * same order, same bounded memory, same totals, progress and failure rules;
 * only the waiting for a page is left to the caller's loop.
 */
#include "engine/runtime.h"
#include "event/request.h"
#include "model/job_list.h"
#include "util/alloc.h"
#include "util/error.h"
#include "walk/status_merge.h"
#include "walk/walk.h"

typedef struct walk_request {
    ma_request base; /* first: the handle is the request */
    ma_walk_job_fn on_job;
    ma_walk_done_fn walk_done;
    ma_list_done_fn list_done; /* list-all: gathers into `all` instead of on_job */
    ma_job_list *all;
    ma__walk walk;
    ma_job_list *page; /* being handed out */
    size_t index;
} walk_request;

/* Hands out the jobs of the current page; 1 when the request completed meanwhile. */
static int hand_out(walk_request *w)
{
    ma_request *r = &w->base;
    if (w->page && w->all) {
        ma_status st = ma__job_list_append(w->all, w->page);
        if (st != MA_OK) {
            ma_error err;
            ma_error_clear(&err);
            ma__error_set(&err, st, "out of memory gathering %zu jobs", w->all->count + w->page->count);
            ma__event_complete(r, st, &err);
            return 1;
        }
        w->index = w->page->count;
    }
    while (w->page && w->index < ma_job_list_count(w->page)) {
        const ma_job *job = ma_job_list_at(w->page, w->index++);
        if (w->on_job(r, job, r->user_data) != 0 && !r->completed) {
            ma_error err;
            ma_error_clear(&err);
            ma__error_set(&err, MA_ERR_CANCELLED, "the walk was stopped by its job callback");
            ma__event_complete(r, MA_ERR_CANCELLED, &err);
        }
        if (r->completed)
            return 1;
    }
    ma_job_list_free(w->page);
    w->page = NULL;
    w->index = 0;
    return 0;
}

static int walk_step(ma_request *r)
{
    walk_request *w = (walk_request *)r;
    for (;;) {
        if (hand_out(w))
            return 1;
        ma_error err;
        ma_error_clear(&err);
        int ready = 0;
        ma_status st = ma__walk_fill_nowait(&w->walk, &ready, &err);
        if (st != MA_OK) {
            ma__event_complete(r, st, &err);
            return 1;
        }
        if (!ready)
            return 0;
        /* What the walk needs next is here: this does not wait. */
        st = ma__walk_next_page(&w->walk, &w->page, &err);
        if (st != MA_OK || !w->page) {
            ma__event_complete(r, st, &err);
            return 1;
        }
    }
}

static int64_t walk_wait_ms(ma_request *r)
{
    return ma__walk_wait_ms(&((walk_request *)r)->walk);
}

static void walk_end(ma_request *r, ma_status status, const ma_error *err)
{
    walk_request *w = (walk_request *)r;
    ma__walk_abandon(&w->walk);
    ma_error detail = *err;
    detail.status = status;
    if (!w->all) {
        w->walk_done(r, status, &detail, r->user_data);
        return;
    }
    ma_job_list *all = NULL;
    if (status == MA_OK) {
        all = w->all;
        w->all = NULL;
        all->total_count = w->walk.total_count < 0 ? 0 : w->walk.total_count;
        all->count_limit = w->walk.count_limit;
        all->quotas = w->walk.quotas;
    }
    w->list_done(r, status, all, &detail, r->user_data);
}

static void walk_free(ma_request *r)
{
    walk_request *w = (walk_request *)r;
    ma_allocator a = ma__runtime_of(r->client)->alloc;
    ma_job_list_free(w->page);
    ma_job_list_free(w->all);
    ma__walk_free(&w->walk);
    ma__free(&a, w);
}

static const ma__request_ops walk_ops = {walk_step, walk_wait_ms, walk_end, walk_free};

static ma_status start(ma_client *client, const ma_job_query *query, const ma_walk_options *options, walk_request **out,
                       const char *fn, ma_error *err)
{
    if (!ma__event_hooks_set(client))
        return ma__error_set(err, MA_ERR_INVALID_ARG, "%s: the client has no event hooks (ma_client_set_event_hooks)",
                             fn);
    /* Several statuses merge several walks job by job; that merge only runs blocking so far. */
    if (ma__query_has_status_set(query))
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "%s: a query with several statuses cannot run on an event loop yet; start one walk per "
                             "status",
                             fn);
    /* Finding it would mean IAM requests sent and waited for here. */
    if (!ma__runtime_of(client)->project_id)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "%s: a client on an event loop needs its project_id set", fn);
    walk_request *w = ma__calloc(&ma__runtime_of(client)->alloc, 1, sizeof *w);
    if (!w)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory starting a walk");
    ma_status st = ma__walk_init(&w->walk, client, query, options, err);
    if (st != MA_OK) {
        ma__walk_free(&w->walk);
        ma__free(&ma__runtime_of(client)->alloc, w);
        return st;
    }
    w->base.client = client;
    w->base.ops = &walk_ops;
    *out = w;
    return MA_OK;
}

ma_status ma_walk_training_jobs_start(ma_client *client, const ma_job_query *query, const ma_walk_options *options,
                                      ma_walk_job_fn on_job, ma_walk_done_fn done, void *user_data, ma_request **out,
                                      ma_error *err)
{
    ma_error_clear(err);
    if (out)
        *out = NULL;
    if (!client || !on_job || !done)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_walk_training_jobs_start: a NULL client or callback");
    walk_request *w = NULL;
    ma_status st = start(client, query, options, &w, "ma_walk_training_jobs_start", err);
    if (st != MA_OK || !w) /* w is set whenever st is MA_OK; said for the analyzer */
        return st;
    w->on_job = on_job;
    w->walk_done = done;
    w->base.user_data = user_data;
    ma__event_add(&w->base);
    if (out)
        *out = &w->base;
    return MA_OK;
}

ma_status ma_list_all_training_jobs_start(ma_client *client, const ma_job_query *query, const ma_walk_options *options,
                                          ma_list_done_fn done, void *user_data, ma_request **out, ma_error *err)
{
    ma_error_clear(err);
    if (out)
        *out = NULL;
    if (!client || !done)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_list_all_training_jobs_start: a NULL client or callback");
    walk_request *w = NULL;
    ma_status st = start(client, query, options, &w, "ma_list_all_training_jobs_start", err);
    if (st != MA_OK || !w) /* w is set whenever st is MA_OK; said for the analyzer */
        return st;
    if (!(w->all = ma__job_list_new(&ma__runtime_of(client)->alloc))) {
        walk_free(&w->base);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory creating the job list");
    }
    w->list_done = done;
    w->base.user_data = user_data;
    ma__event_add(&w->base);
    if (out)
        *out = &w->base;
    return MA_OK;
}
