/*
 * Fetching a window of pages through the execute loop: one batch on the
 * client's multi transport, so N pages are N concurrent exchanges on the
 * calling thread, and a window of one reuses the kept-alive connection.
 */
#include <string.h>

#include "internal/alloc.h"
#include "internal/client.h"
#include "internal/error.h"
#include "internal/query.h"
#include "list_call.h"
#include "walk/walk.h"

/* Prefixes err's message with the page, keeping every other field. */
static void name_page(ma_error *err, int page)
{
    char detail[MA_ERROR_MESSAGE_SIZE];
    memcpy(detail, err->message, sizeof detail);
    ma__error_set(err, err->status, "page %d: %s", page, detail);
}

ma_status ma__walk_fetch(ma__walk *w, int first, int count, ma_error *err)
{
    ma__list_call calls[MA_WALK_MAX_CONCURRENCY];
    ma__call *batch[MA_WALK_MAX_CONCURRENCY] = {NULL};
    int ready = 0;
    ma_status st = MA_OK;
    for (; ready < count; ready++) {
        w->query->page = first + ready;
        if ((st = ma__list_call_init(&calls[ready], w->client, w->query, err)) != MA_OK)
            break;
        batch[ready] = &calls[ready].call;
    }
    if (st == MA_OK) {
        /*
         * The window runs to its end even when a page fails, so that every
         * page before the failure is handed out, exactly as a sequential walk
         * would; no page after it is requested.
         */
        (void)ma__execute(w->client, batch, (size_t)count, (size_t)count, 0);
        int usable = 0;
        while (usable < count && calls[usable].call.status == MA_OK)
            usable++;
        for (int i = 0; i < usable; i++) {
            w->window[w->window_count].page = first + i;
            w->window[w->window_count].list = ma__list_call_take(&calls[i]);
            w->window_count++;
        }
        int failed = usable < count ? usable : -1;
        if (failed >= 0) {
            w->pending = calls[failed].call.status;
            w->pending_err = calls[failed].call.err;
            w->pending_page = first + failed;
            name_page(&w->pending_err, w->pending_page);
        }
    }
    for (int i = 0; i < ready; i++)
        ma__list_call_free(&calls[i]);
    return st;
}
