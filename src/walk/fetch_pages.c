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
        /* A failure on any page stops the rest: the walk is over either way. */
        (void)ma__execute(w->client, batch, (size_t)count, (size_t)count, 1);
        /* The lowest page that really failed; pages it stopped were never sent. */
        int failed = -1;
        for (int i = 0; i < count && failed < 0; i++)
            if (calls[i].call.finished && calls[i].call.status != MA_OK)
                failed = i;
        for (int i = 0; i < count && failed < 0; i++)
            if (calls[i].call.status != MA_OK)
                failed = i;
        if (failed >= 0) {
            st = calls[failed].call.status;
            *err = calls[failed].call.err;
            w->failed_page = first + failed;
        }
        if (st != MA_OK)
            name_page(err, w->failed_page);
        else
            for (int i = 0; i < count; i++) {
                w->window[w->window_count].page = first + i;
                w->window[w->window_count].list = ma__list_call_take(&calls[i]);
                w->window_count++;
            }
    }
    for (int i = 0; i < ready; i++)
        ma__list_call_free(&calls[i]);
    return st;
}
