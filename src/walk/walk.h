/*
 * A walk over every page of one query, shared by the iterator and list-all.
 * Pages are fetched a window at a time (one page first, to learn the total,
 * then up to `concurrency` at once) and handed out strictly in page order.
 */
#ifndef MA_WALK_WALK_H
#define MA_WALK_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "modelarts/ma_walk.h"
#include "walk/seen_ids.h"

/* A fetched page waiting to be handed out. */
typedef struct walk_slot {
    int page;
    ma_job_list *list; /* NULL once handed out */
} walk_slot;

typedef struct ma__walk {
    ma_client *client;
    ma_allocator alloc;
    ma_job_query *query; /* the caller's, copied; its page is changed per request */
    ma_walk_options options;
    int per_page;
    int start_page;
    int next_request; /* first page not yet requested */
    int next_consume; /* page the caller gets next */
    int last_page;    /* last page worth requesting, from the latest total; 0 until known */
    walk_slot window[MA_WALK_MAX_CONCURRENCY];
    size_t window_count;
    int ended;
    ma_status status; /* sticky failure */
    ma_error err;
    int failed_page;
    ma_status pending; /* a later page failed; reported once the pages before it are handed out */
    ma_error pending_err;
    int pending_page;
    int64_t total_count, count_limit, quotas; /* from the first page; -1 until then */
    int64_t pages_done;
    int64_t jobs_so_far;
    ma__seen_ids seen;
} ma__walk;

ma_status ma__walk_init(ma__walk *w, ma_client *client, const ma_job_query *query, const ma_walk_options *options,
                        ma_error *err);
void ma__walk_free(ma__walk *w);

/*
 * The next page in order, or *page NULL at the end. The caller owns the page.
 * Failures are sticky: every later call returns the same status and err.
 */
ma_status ma__walk_next_page(ma__walk *w, ma_job_list **page, ma_error *err);

/* Tells the walk how many jobs the caller kept from the last page, for progress and max_jobs. */
ma_status ma__walk_report_progress(ma__walk *w, size_t jobs_kept, ma_error *err);

/* Jobs still allowed by max_jobs; SIZE_MAX when unbounded. */
size_t ma__walk_jobs_left(const ma__walk *w);

/*
 * Fetches pages [first, first + count) into the window, concurrently when
 * count > 1. When a page fails, the pages before it still go into the window
 * and the failure (naming its page) is left in w->pending / w->pending_err /
 * w->pending_page, so the caller sees exactly what a sequential walk would.
 * Returns MA_OK, or a status when nothing could be fetched at all (NOMEM).
 */
ma_status ma__walk_fetch(ma__walk *w, int first, int count, ma_error *err);

#endif
