/**
 * @file ma_walk.h
 * @brief Every matching training job: an iterator, list-all, parallel page prefetch.
 * @defgroup ma_walk Walking all pages
 * @{
 *
 * A walk fetches pages 1, 2, ... of one query (or from the query's own page)
 * and stops when `page * per_page >= job_total_count`, on an empty page, or
 * at page #MA_PAGE_MAX, whichever comes first. A short page (fewer than
 * per_page jobs) does not stop it: the service documents job_total_count only
 * as the number of created jobs, and when that counts more than the filter
 * matches, the empty page after the short one ends the walk, one request later.
 *
 * **Why an iterator and not a callback.** ma_job_iter_next() hands out one
 * job at a time and returns to the caller, so the caller keeps its own
 * control flow (break, goto cleanup, several walks interleaved) and no
 * callback has to smuggle state through a `void *`. It is the shape of
 * libgit2's revwalk and of curl's header iteration. Progress and
 * cancellation, which do happen in the middle of a fetch, are the one
 * callback (ma_walk_options::progress).
 *
 * **Consistency.** The service pages by offset. A job created or deleted while
 * a walk is running shifts every later page by one: a job may then be seen
 * twice (it moved from page k to k+1 between the two requests) or not at all
 * (it moved back). Totals are those of page 1. Set
 * ma_walk_options::drop_duplicate_job_ids to drop a `job_id` already handed
 * out; a job that moved to an earlier page cannot be recovered by any client.
 * Sorting by `create_time` descending keeps new jobs at the front, where they
 * shift pages the least surprisingly.
 *
 * **Memory.** An iterator holds only the pages in flight or waiting for the
 * caller: at most twice ma_walk_options::concurrency pages, whatever the
 * total. ma_list_all_training_jobs() holds every job, once.
 *
 * **Threads.** A walk runs on the calling thread only, also in parallel mode
 * (one curl_multi loop); like its client it is used by one thread at a time.
 *
 * **Several walks of one client.** Walks of one client may be interleaved on
 * its thread, and other calls of the client may come between two
 * ma_job_iter_next() calls. Each walk's requests are its own: freeing a walk,
 * or its end (max_jobs, the total), drops only its requests in flight. The
 * walks share the client's transfers: with their ma_walk_options::concurrency
 * summing to more than #MA_WALK_MAX_CONCURRENCY, a walk may find none free and
 * fail with #MA_ERR_TRANSPORT.
 */
#ifndef MODELARTS_MA_WALK_H
#define MODELARTS_MA_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "ma_client.h"
#include "ma_error.h"
#include "ma_export.h"
#include "ma_job_query.h"
#include "ma_jobs.h"

MA_BEGIN_DECLS

/** @brief Page size of a walk whose query does not set one (the service's own default is 10). @since 0.2 */
#define MA_WALK_DEFAULT_PER_PAGE 1000
/** @brief Default ma_walk_options::concurrency. @since 0.2 */
#define MA_WALK_DEFAULT_CONCURRENCY 4
/** @brief Largest ma_walk_options::concurrency accepted. @since 0.2 */
#define MA_WALK_MAX_CONCURRENCY 16
/** @brief Current version of ma_walk_options; version 2 added ma_walk_options::timeout_ms. @since 0.2 */
#define MA_WALK_OPTIONS_VERSION 2

/** @brief Where a walk stands, as passed to ma_walk_options::progress. @since 0.2 */
typedef struct ma_walk_progress {
    /** Pages received and decoded so far. */
    int64_t pages_done;
    /** Pages the walk will fetch in all; -1 until the first page told the total. */
    int64_t pages_total;
    /** Jobs handed out (iterator) or gathered (list-all) so far. */
    int64_t jobs_so_far;
} ma_walk_progress;

/**
 * @brief Progress callback: called after every page, on the walking thread.
 * @param[in] progress  [transfer none] Where the walk stands; valid only during the call.
 * @param     user_data ma_walk_options::progress_user_data.
 * @return 0 to go on; any other value cancels the walk with #MA_ERR_CANCELLED.
 * @since 0.2
 */
typedef int (*ma_walk_progress_fn)(const ma_walk_progress *progress, void *user_data);

/**
 * @brief How a walk runs. Fill with #MA_WALK_OPTIONS_INIT or ma_walk_options_init().
 *
 * Zero is safe in every field (since 0.4): a struct that is zero but for its version
 * walks with the default concurrency, no job limit, no deadline and no progress callback.
 */
typedef struct ma_walk_options {
    /** Version the struct was initialised with. */
    unsigned int version;
    /**
     * Pages in flight once page 1 has told the total: 1 walks sequentially on
     * one connection; N uses at most N connections (over HTTP/2, when an https endpoint
     * offers it, N streams of one connection). Output order is always the
     * sequential order. 1..#MA_WALK_MAX_CONCURRENCY; 0 means the default,
     * #MA_WALK_DEFAULT_CONCURRENCY (since 0.4; an error before).
     */
    unsigned int concurrency;
    /** Stop after this many jobs; 0 for no limit. */
    size_t max_jobs;
    /** Non-zero: drop a job whose `job_id` this walk already handed out. Default 0. */
    int drop_duplicate_job_ids;
    /** Called after every page; NULL for none. */
    ma_walk_progress_fn progress;
    /** Passed to #progress. */
    void *progress_user_data;
    /**
     * @brief Deadline of the whole walk in milliseconds, counted from its first request
     * (the caller's own time between ma_job_iter_next() calls included), every page, retry
     * and wait included; 0 (default) means none. A page that cannot be sent or finished in
     * time fails with #MA_ERR_TIMEOUT and a message naming `ma_walk_options.timeout_ms`.
     * Each page is also bounded by the client's ma_client_options::total_timeout_ms.
     * @since 0.3 (walk options version 2)
     */
    long timeout_ms;
} ma_walk_options;

/** @brief Static initialiser with the defaults of ma_walk_options_init(). @since 0.2 */
#define MA_WALK_OPTIONS_INIT                                                      \
    {                                                                             \
        MA_WALK_OPTIONS_VERSION, MA_WALK_DEFAULT_CONCURRENCY, 0, 0, NULL, NULL, 0 \
    }

/**
 * @brief Fills @p options with the defaults.
 * @param[out] options [not nullable]
 * @param      version Always pass #MA_WALK_OPTIONS_VERSION.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG @p options is NULL or @p version is 0 or newer than this library.
 * @since 0.2
 */
MA_API ma_status ma_walk_options_init(ma_walk_options *options, unsigned int version);

/** @brief Opaque iterator over every job of a query. @since 0.2 */
typedef struct ma_job_iter ma_job_iter;

/**
 * @brief Starts a walk. Nothing is sent until the first ma_job_iter_next().
 * @param[out] out     [transfer full] Free with ma_job_iter_free(); NULL on failure.
 * @param[in]  client  [not nullable] Must outlive the iterator. Between calls of this iterator it
 *                     may serve other walks and calls, on the same thread (see "Several walks").
 * @param[in]  query   [nullable] Copied, never modified. Its page (if set) is where the walk
 *                     starts, its per_page (default #MA_WALK_DEFAULT_PER_PAGE) the page size.
 * @param[in]  options [nullable] NULL for the defaults; copied.
 * @param[out] err     [nullable]
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG A NULL client or out, an unknown options version, a concurrency
 *                            outside 1..#MA_WALK_MAX_CONCURRENCY, or a negative timeout_ms.
 * @retval MA_ERR_NOMEM       Allocation failed.
 * @since 0.2
 */
MA_API MA_NODISCARD ma_status ma_job_iter_new(ma_job_iter **out, ma_client *client, const ma_job_query *query,
                                              const ma_walk_options *options, ma_error *err);

/**
 * @brief The next job, fetching pages as needed.
 * @param[in]  iter [not nullable]
 * @param[out] job  [transfer none] The next job, or NULL when the walk is over. Valid until the
 *                  next call or ma_job_iter_free().
 * @param[out] err  [nullable] On failure the message names the page that failed.
 *
 * After a failure the walk is over and further calls return the same status; the jobs of
 * every page before the failed one have been handed out. ma_job_iter_failed_page() names it.
 * @retval MA_OK                     A job, or the end (*job NULL).
 * @retval MA_ERR_INVALID_ARG        A NULL argument; or as for ma_list_training_jobs().
 * @retval MA_ERR_CANCELLED          The progress callback or the client's cancel hook returned non-zero.
 * @retval MA_ERR_TIMEOUT            ma_walk_options::timeout_ms passed, or a page timed out as for
 *                                   ma_list_training_jobs().
 * @retval MA_ERR_NOMEM              Allocation failed.
 * @retval MA_ERR_TRANSPORT          A page failed as for ma_list_training_jobs(); or other walks of the
 *                                   client hold every transfer (see "Several walks"); or the walk's
 *                                   requests went unanswered by the transport (a bug, reported
 *                                   rather than waited for).
 * @retval MA_ERR_TLS                A page failed as for ma_list_training_jobs().
 * @retval MA_ERR_UNAUTHORIZED       A page failed as for ma_list_training_jobs().
 * @retval MA_ERR_NOT_FOUND          A page failed as for ma_list_training_jobs().
 * @retval MA_ERR_RATE_LIMITED       A page failed as for ma_list_training_jobs().
 * @retval MA_ERR_SERVER             A page failed as for ma_list_training_jobs().
 * @retval MA_ERR_SERVICE            A page failed as for ma_list_training_jobs().
 * @retval MA_ERR_PROTOCOL           A page failed as for ma_list_training_jobs().
 * @retval MA_ERR_RESPONSE_TOO_LARGE A page failed as for ma_list_training_jobs().
 * @retval MA_ERR_HTTP               A page failed as for ma_list_training_jobs().
 * @since 0.2
 */
MA_API MA_NODISCARD ma_status ma_job_iter_next(ma_job_iter *iter, const ma_job **job, ma_error *err);

/**
 * @brief `job_total_count` of the walk's first page.
 * @param[in] iter [nullable]
 * @return The value, or -1 before the first page arrived (or for NULL).
 * @since 0.2
 */
MA_API int64_t ma_job_iter_total_count(const ma_job_iter *iter);

/**
 * @brief `job_count_limit` of the walk's first page.
 * @param[in] iter [nullable]
 * @return The value; -1 when the page omitted it, before the first page arrived, or for NULL.
 * @since 0.2
 */
MA_API int64_t ma_job_iter_count_limit(const ma_job_iter *iter);

/**
 * @brief `quotas` of the walk's first page.
 * @param[in] iter [nullable]
 * @return The value; -1 when the page omitted it, before the first page arrived, or for NULL.
 * @since 0.2
 */
MA_API int64_t ma_job_iter_quotas(const ma_job_iter *iter);

/**
 * @brief Page number whose request failed, for a caller that resumes or reports by page.
 * @param[in] iter [nullable]
 * @return The page number, or 0 when no page failed (or for NULL).
 * @since 0.2
 */
MA_API int ma_job_iter_failed_page(const ma_job_iter *iter);

/**
 * @brief Stops the walk (requests in flight are abandoned) and frees everything.
 * @param[in] iter [nullable] NULL is a no-op.
 * @since 0.2
 */
MA_API void ma_job_iter_free(ma_job_iter *iter);

/**
 * @brief Gathers every matching job into one list (walk as for ma_job_iter_new()).
 *
 * Each page is moved in: its strings are never copied, and the job array grows
 * by doubling, so it is reallocated a logarithmic number of times, not once per page.
 * ma_job_list_total_count() and friends give page 1's totals.
 *
 * @param[in]  client  [not nullable]
 * @param[in]  query   [nullable] As for ma_job_iter_new().
 * @param[in]  options [nullable] ma_walk_options::max_jobs bounds the list.
 * @param[out] out     [transfer full] Free with ma_job_list_free(); NULL on failure.
 * @param[out] err     [nullable] On failure the message names the page that failed.
 *
 * On any failure nothing is returned (*out NULL) and nothing is left allocated.
 * @retval MA_OK                     Success (possibly an empty list).
 * @retval MA_ERR_INVALID_ARG        As for ma_job_iter_new(), or a NULL @p out.
 * @retval MA_ERR_CANCELLED          The progress callback or the client's cancel hook returned non-zero.
 * @retval MA_ERR_TIMEOUT            As for ma_job_iter_next().
 * @retval MA_ERR_NOMEM              Allocation failed.
 * @retval MA_ERR_TRANSPORT          As for ma_job_iter_next().
 * @retval MA_ERR_TLS                A page failed as for ma_list_training_jobs().
 * @retval MA_ERR_UNAUTHORIZED       A page failed as for ma_list_training_jobs().
 * @retval MA_ERR_NOT_FOUND          A page failed as for ma_list_training_jobs().
 * @retval MA_ERR_RATE_LIMITED       A page failed as for ma_list_training_jobs().
 * @retval MA_ERR_SERVER             A page failed as for ma_list_training_jobs().
 * @retval MA_ERR_SERVICE            A page failed as for ma_list_training_jobs().
 * @retval MA_ERR_PROTOCOL           A page failed as for ma_list_training_jobs().
 * @retval MA_ERR_RESPONSE_TOO_LARGE A page failed as for ma_list_training_jobs().
 * @retval MA_ERR_HTTP               A page failed as for ma_list_training_jobs().
 * @since 0.2
 */
MA_API MA_NODISCARD ma_status ma_list_all_training_jobs(ma_client *client, const ma_job_query *query,
                                                        const ma_walk_options *options, ma_job_list **out,
                                                        ma_error *err);

MA_END_DECLS

/** @} */
#endif
