/* Fetching a window of pages one request after another on the client's connection. */
#include <string.h>

#include "internal/error.h"
#include "internal/query.h"
#include "walk/walk.h"

/* Prefixes err's message with the page, keeping every other field. */
static void name_page(ma_error *err, int page)
{
    char detail[MA_ERROR_MESSAGE_SIZE];
    memcpy(detail, err->message, sizeof detail);
    ma_status st = err->status;
    ma__error_set(err, st, "page %d: %s", page, detail);
}

ma_status ma__walk_fetch(ma__walk *w, int first, int count, ma_error *err)
{
    for (int page = first; page < first + count; page++) {
        w->query->page = page;
        ma_job_list *list = NULL;
        ma_status st = ma_list_training_jobs(w->client, w->query, &list, err);
        if (st != MA_OK) {
            w->failed_page = page;
            name_page(err, page);
            return st;
        }
        w->window[w->window_count].page = page;
        w->window[w->window_count].list = list;
        w->window_count++;
    }
    return MA_OK;
}
