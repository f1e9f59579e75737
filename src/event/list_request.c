/* One page without blocking: ma_list_training_jobs() as a request on the caller's event loop. */
#include "engine/runtime.h"
#include "event/request.h"
#include "jobs/list_call.h"
#include "util/alloc.h"
#include "util/error.h"

typedef struct page_request {
    ma_request base; /* first: the handle is the request */
    ma_list_done_fn done;
    ma__list_call lc;
    ma__batch batch;
    int handed; /* the batch took the call */
} page_request;

static ma__call *next_call(void *ctx)
{
    page_request *p = ctx;
    if (p->handed)
        return NULL;
    p->handed = 1;
    return &p->lc.call;
}

static int call_done(void *ctx, ma__call *call)
{
    (void)ctx;
    (void)call;
    return 0;
}

static int page_step(ma_request *r)
{
    page_request *p = (page_request *)r;
    ma_error err;
    ma_status st = ma__batch_run(&p->batch, 1, 1, &err);
    if (st != MA_OK) {
        ma__event_complete(r, st, &err);
        return 1;
    }
    if (!p->lc.call.finished)
        return 0;
    ma__event_complete(r, p->lc.call.status, &p->lc.call.err);
    return 1;
}

static int64_t page_wait_ms(ma_request *r)
{
    return ma__batch_wait_ms(&((page_request *)r)->batch);
}

static void page_end(ma_request *r, ma_status status, const ma_error *err)
{
    page_request *p = (page_request *)r;
    if (!p->lc.call.finished)
        ma__batch_abandon(&p->batch);
    ma_job_list *list = status == MA_OK ? ma__list_call_take(&p->lc) : NULL;
    ma_error detail = *err;
    detail.status = status;
    p->done(r, status, list, &detail, r->user_data);
}

static void page_free(ma_request *r)
{
    page_request *p = (page_request *)r;
    ma_allocator a = ma__runtime_of(r->client)->alloc;
    ma__list_call_free(&p->lc);
    ma__free(&a, p);
}

static const ma__request_ops page_ops = {page_step, page_wait_ms, page_end, page_free};

ma_status ma_list_training_jobs_start(ma_client *client, const ma_job_query *query, ma_list_done_fn done,
                                      void *user_data, ma_request **out, ma_error *err)
{
    ma_error_clear(err);
    if (out)
        *out = NULL;
    if (!client || !done)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_list_training_jobs_start: a NULL client or callback");
    if (!ma__event_hooks_set(client))
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "ma_list_training_jobs_start: the client has no event hooks (ma_client_set_event_hooks)");
    /* Finding it would mean IAM requests sent and waited for here. */
    if (!ma__runtime_of(client)->project_id)
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "ma_list_training_jobs_start: a client on an event loop needs its project_id set");
    page_request *p = ma__calloc(&ma__runtime_of(client)->alloc, 1, sizeof *p);
    if (!p)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory starting a request");
    ma_status st = ma__list_call_init(&p->lc, client, query, err);
    if (st != MA_OK) {
        ma__free(&ma__runtime_of(client)->alloc, p);
        return st;
    }
    p->base.client = client;
    p->base.ops = &page_ops;
    p->base.user_data = user_data;
    p->done = done;
    ma__batch_init(&p->batch, client, next_call, call_done, p);
    ma__event_add(&p->base);
    if (out)
        *out = &p->base;
    return MA_OK;
}
