/*
 * The walk's window: list calls on a batch that lives across calls, so a new
 * page is requested as soon as one arrives while the caller consumes pages in
 * order. With concurrency 1 it is a plain sequential walk on one connection.
 */
#include <string.h>

#include "util/alloc.h"
#include "engine/runtime.h"
#include "util/error.h"
#include "jobs/query.h"
#include "walk/walk.h"

/* Prefixes err's message with the page, keeping every other field. */
static void name_page(ma_error *err, int page)
{
    char detail[MA_ERROR_MESSAGE_SIZE];
    memcpy(detail, err->message, sizeof detail);
    ma__error_set(err, err->status, "page %d: %s", page, detail);
}

static int window_has(const ma__walk *w, int page)
{
    for (size_t i = 0; i < w->window_count; i++)
        if (w->window[i].page == page)
            return 1;
    return 0;
}

static void remember_failure(ma__walk *w, int page, ma_status st, const ma_error *err)
{
    if (w->pending != MA_OK && w->pending_page < page)
        return;
    w->pending = st;
    w->pending_err = *err;
    w->pending_err.status = st;
    w->pending_page = page;
    name_page(&w->pending_err, page);
}

static int wanted_has_arrived(const ma__walk *w)
{
    return window_has(w, w->next_consume) || (w->pending != MA_OK && w->pending_page == w->next_consume);
}

static ma__call *next_call(void *ctx)
{
    ma__walk *w = ctx;
    if (w->pending != MA_OK)
        return NULL; /* nothing after a failure */
    if (w->last_page == 0 ? w->next_request > w->start_page : w->next_request > w->last_page)
        return NULL; /* the total is not known yet, or every page is asked for */
    /* At most `concurrency` requests in flight, and at most as many pages again waiting for the caller. */
    if (w->in_flight >= w->options.concurrency || w->in_flight + w->window_count >= 2 * w->options.concurrency)
        return NULL;
    size_t i = 0;
    while (i < MA_WALK_MAX_CONCURRENCY && w->call_page[i] != 0)
        i++;
    if (i == MA_WALK_MAX_CONCURRENCY)
        return NULL;
    w->query->page = w->next_request;
    ma_error err;
    ma_error_clear(&err);
    ma_status st = ma__list_call_init(&w->calls[i], w->client, w->query, &err);
    if (st != MA_OK) {
        remember_failure(w, w->next_request, st, &err);
        return NULL;
    }
    /* The walk's deadline bounds each page too, when it is the nearer one. */
    ma__http_request *req = &w->calls[i].call.req;
    if (w->deadline_ms != 0 && (req->deadline_ms == 0 || w->deadline_ms < req->deadline_ms)) {
        req->deadline_ms = w->deadline_ms;
        req->deadline_name = "ma_walk_options.timeout_ms";
    }
    w->call_page[i] = w->next_request++;
    w->in_flight++;
    return &w->calls[i].call;
}

static int call_done(void *ctx, ma__call *call)
{
    ma__walk *w = ctx;
    /* The call is the first member of its list call. */
    ma__list_call *lc = (ma__list_call *)(void *)call;
    size_t i = (size_t)(lc - w->calls);
    int page = w->call_page[i];
    if (call->status == MA_OK) {
        w->window[w->window_count].page = page;
        w->window[w->window_count].list = ma__list_call_take(lc);
        w->window_count++;
    } else {
        remember_failure(w, page, call->status, &call->err);
    }
    ma__list_call_free(lc);
    w->call_page[i] = 0;
    w->in_flight--;
    w->calls_ended++;
    return wanted_has_arrived(w) ? MA__SOURCE_PAUSE : 0;
}

/* The window's batch, made at the first request; the walk's deadline starts then. */
static void start_batch(ma__walk *w)
{
    if (w->batch.client)
        return;
    ma__batch_init(&w->batch, w->client, next_call, call_done, w);
    w->batch.in_order = 1;
    if (w->options.timeout_ms > 0)
        w->deadline_ms =
            ma__runtime_of(w->client)->clock.monotonic_ms(ma__runtime_of(w->client)->clock.ctx) + w->options.timeout_ms;
}

ma_status ma__walk_fill_nowait(ma__walk *w, int *ready, ma_error *err)
{
    start_batch(w);
    *ready = 1;
    if (w->status != MA_OK || w->ended || ma__walk_jobs_left(w) == 0)
        return MA_OK;
    if (wanted_has_arrived(w))
        return ma__walk_top_up(w, err);
    ma_status st = ma__batch_run(&w->batch, w->options.concurrency, 1, err);
    if (st != MA_OK)
        return st;
    *ready = wanted_has_arrived(w) || (w->in_flight == 0 && w->batch.waiting_count == 0 && w->batch.again_count == 0);
    return MA_OK;
}

int64_t ma__walk_wait_ms(ma__walk *w)
{
    return w->batch.client ? ma__batch_wait_ms(&w->batch) : -1;
}

ma_status ma__walk_fill(ma__walk *w, ma_error *err)
{
    start_batch(w);
    while (!wanted_has_arrived(w)) {
        uint64_t ended = w->calls_ended;
        ma_status st = ma__batch_run(&w->batch, w->options.concurrency, 0, err);
        if (st != MA_OK)
            return st;
        if (wanted_has_arrived(w))
            break;
        if (w->in_flight == 0)
            break; /* nothing left to ask for */
        /*
         * A run that waits returns once a page ends the pause or nothing of
         * ours is left in flight. Requests still counted here with none of
         * them ended, and none queued in the batch to be sent again (a renewal's
         * resend or a retry), mean the transport dropped them: running again
         * would spin forever.
         */
        if (w->calls_ended == ended && w->batch.again_count == 0 && w->batch.waiting_count == 0)
            return ma__error_set(err, MA_ERR_TRANSPORT,
                                 "page %d: the transport returned with %zu requests of this walk still unanswered",
                                 w->next_consume, w->in_flight);
    }
    return MA_OK;
}

ma_status ma__walk_top_up(ma__walk *w, ma_error *err)
{
    if (!w->batch.client || w->pending != MA_OK || w->last_page == 0 || w->next_request > w->last_page ||
        w->in_flight >= w->options.concurrency || w->in_flight + w->window_count >= 2 * w->options.concurrency)
        return MA_OK;
    return ma__batch_run(&w->batch, w->options.concurrency, 1, err);
}

void ma__walk_abandon(ma__walk *w)
{
    if (w->in_flight == 0)
        return;
    ma__batch_abandon(&w->batch);
    for (size_t i = 0; i < MA_WALK_MAX_CONCURRENCY; i++)
        if (w->call_page[i] != 0) {
            ma__list_call_free(&w->calls[i]);
            w->call_page[i] = 0;
        }
    w->in_flight = 0;
}
