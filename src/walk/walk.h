/*
 * A walk over every page of one query, shared by the iterator and list-all.
 * Pages are fetched a window at a time (one page first, to learn the total,
 * then up to `concurrency` at once) and handed out strictly in page order.
 */
#ifndef MA_WALK_WALK_H
#define MA_WALK_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "engine/execute.h"
#include "jobs/list_call.h"
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
    walk_slot window[2 * MA_WALK_MAX_CONCURRENCY]; /* pages here or in flight: at most 2 x concurrency */
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
    /* Requests in flight: a sliding window on one batch that lives across calls. */
    ma__batch batch;
    ma__list_call calls[MA_WALK_MAX_CONCURRENCY];
    int call_page[MA_WALK_MAX_CONCURRENCY]; /* 0 = slot free */
    size_t in_flight;
    uint64_t calls_ended; /* calls that reported their end: what a run of the window achieved */
    int64_t deadline_ms;  /* monotonic, from options.timeout_ms at the first request; 0 = none */
} ma__walk;

ma_status ma__walk_init(ma__walk *w, ma_client *client, const ma_job_query *query, const ma_walk_options *options,
                        ma_error *err);
void ma__walk_free(ma__walk *w);

/*
 * The next page in order, or *page NULL at the end. The caller owns the page.
 * Failures are sticky: every later call returns the same status and err.
 */
ma_status ma__walk_next_page(ma__walk *w, ma_job_list **page, ma_error *err);

/* Jobs still allowed by max_jobs; SIZE_MAX when unbounded. */
size_t ma__walk_jobs_left(const ma__walk *w);

/*
 * Runs the window until the page the caller wants next has arrived (or its
 * failure is known), starting a new request whenever one ends, so that up to
 * `concurrency` pages are always in flight or waiting. Page 1 (the start page)
 * goes alone: it tells the total. When a page fails no later page is asked for,
 * the pages before it still arrive, and the failure (naming its page) waits in
 * w->pending / w->pending_err / w->pending_page until the caller reaches it.
 * Returns MA_OK, or a status when the batch itself could not run, or
 * MA_ERR_TRANSPORT when a run returns with requests of this walk unaccounted
 * for (the transport lost them): an error, never another turn of the loop.
 */
ma_status ma__walk_fill(ma__walk *w, ma_error *err);
/*
 * ma__walk_fill() without waiting, for a caller's event loop: starts what can
 * start and takes in what has arrived. *ready says whether ma__walk_next_page()
 * can now answer without waiting (the page, the walk's end or its failure).
 */
ma_status ma__walk_fill_nowait(ma__walk *w, int *ready, ma_error *err);
/* Milliseconds until a page waiting to be retried is due; -1 when none waits. */
int64_t ma__walk_wait_ms(ma__walk *w);
/*
 * Starts requests for free places in the window without waiting, so pages
 * keep arriving while the caller works through the ones already here.
 */
ma_status ma__walk_top_up(ma__walk *w, ma_error *err);
/* Drops every request in flight. */
void ma__walk_abandon(ma__walk *w);

#endif
