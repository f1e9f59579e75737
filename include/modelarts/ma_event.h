/**
 * @file ma_event.h
 * @brief Driving a client from the caller's event loop: list calls that never block.
 * @defgroup ma_event Event loops
 * @{
 *
 * The blocking calls (ma_list_training_jobs(), ma_job_iter_next(),
 * ma_list_all_training_jobs()) park their thread until the answer is in. A
 * daemon that runs an event loop (libuv, libevent, epoll, ...) instead gives
 * the client two hooks, and the client tells the loop what to watch:
 *
 * - **watch** (ma_event_hooks::watch): "watch descriptor fd for reading
 *   and/or writing", or "stop watching it";
 * - **timer** (ma_event_hooks::timer): "call me in N milliseconds", replacing
 *   the timer set before, or "cancel the timer".
 *
 * The loop calls ma_event_socket_ready() when a watched descriptor is ready and
 * ma_event_timer_expired() when the timer fires. Requests start with
 * ma_list_training_jobs_start(), ma_walk_training_jobs_start() or
 * ma_list_all_training_jobs_start(), return at once, and end with exactly one
 * call of their completion callback. Retry back-off, `Retry-After`, the rate
 * limiter, IAM logins and token renewals, metadata credential refreshes all
 * wait on the timer; nothing inside blocks. The header-only adapters
 * `modelarts/adapters/ma_libuv.h`, `ma_libevent.h` and `ma_epoll.h` wire the
 * hooks to those loops in a few dozen lines each.
 *
 * **Re-entrancy.** The library calls the hooks from inside ma_event_*()
 * calls, request starts, ma_request_cancel() and ma_client_free(). A hook
 * must not call back into the client; it only changes what the loop watches.
 * A timer of 0 ms means "as soon as the loop can": fire it from the loop,
 * never from inside the timer hook (that would recurse into the library).
 * Completion and job callbacks run on the loop thread, from inside
 * ma_event_socket_ready(), ma_event_timer_expired(), ma_request_cancel() or
 * ma_client_free(); from inside them a caller may start new requests, cancel
 * any request (its own included), and read the client; it must not free the
 * client, and must not call the blocking list functions on it.
 *
 * **Concurrency.** A client runs at most 16 transfers at once; requests started beyond that
 * wait, on the loop, for a transfer to end. Use several clients on one loop for more.
 *
 * **Threads.** A client with event hooks belongs to its loop's thread: every
 * call on it, ma_event_*() included, is made from that thread. Other threads
 * use their own clients.
 * @since 0.4.1
 */
#ifndef MODELARTS_MA_EVENT_H
#define MODELARTS_MA_EVENT_H

#include <stdint.h>

#include "ma_client.h"
#include "ma_error.h"
#include "ma_export.h"
#include "ma_job_query.h"
#include "ma_jobs.h"
#include "ma_walk.h"

MA_BEGIN_DECLS

/** @brief Watch for, or report, a descriptor ready to read. @since 0.4.1 */
#define MA_EVENT_READ 1
/** @brief Watch for, or report, a descriptor ready to write. @since 0.4.1 */
#define MA_EVENT_WRITE 2
/** @brief Report a descriptor in error or hung up (ma_event_socket_ready() only). @since 0.4.1 */
#define MA_EVENT_ERROR 4

/** @brief Current version of ma_event_hooks. @since 0.4.1 */
#define MA_EVENT_HOOKS_VERSION 1

/**
 * @brief Watch descriptor @p fd for @p events, or stop watching it.
 *
 * @param fd        A socket of the client.
 * @param events    #MA_EVENT_READ, #MA_EVENT_WRITE or both; 0 means stop watching @p fd
 *                  (the descriptor may stay open and come back later).
 * @param loop_data ma_event_hooks::loop_data.
 * @param fd_data   The loop's own pointer for this descriptor: NULL the first time @p fd is
 *                  watched; whatever the hook stores there is handed back on every later call
 *                  for @p fd, the stop included (an adapter keeps its per-descriptor watcher
 *                  there and frees it on the stop).
 * @return 0, or -1 when the loop cannot watch it: libcurl then ends every transfer of the
 *         client, and the requests in flight fail with #MA_ERR_TRANSPORT.
 * @since 0.4.1
 */
typedef int (*ma_event_watch_fn)(int fd, int events, void *loop_data, void **fd_data);

/**
 * @brief Set the client's one timer to fire in @p timeout_ms, replacing the one set before;
 * -1 cancels it.
 *
 * When it fires, call ma_event_timer_expired() from the loop. A @p timeout_ms of 0 means
 * "on the loop's next turn", never "now, from inside this hook".
 * @param timeout_ms Milliseconds from now (>= 0), or -1 to cancel the timer.
 * @param loop_data  ma_event_hooks::loop_data.
 * @return 0, or -1 when the loop cannot set a timer (the requests of the client then fail).
 * @since 0.4.1
 */
typedef int (*ma_event_timer_fn)(int64_t timeout_ms, void *loop_data);

/**
 * @brief The two hooks by which a client asks its event loop to watch things.
 * @since 0.4.1
 */
typedef struct ma_event_hooks {
    /** #MA_EVENT_HOOKS_VERSION. */
    unsigned int version;
    /** Required. */
    ma_event_watch_fn watch;
    /** Required. */
    ma_event_timer_fn timer;
    /** Passed to both hooks. */
    void *loop_data;
} ma_event_hooks;

/**
 * @brief Hands @p client to an event loop: from now on it runs requests started with the
 * `_start` functions, driven by ma_event_socket_ready() and ma_event_timer_expired().
 *
 * Set the hooks once, before the first request. The blocking list functions then refuse
 * to run on this client (#MA_ERR_INVALID_ARG): they would block the loop.
 * @param[in]  client [not nullable]
 * @param[in]  hooks  [not nullable] Copied.
 * @param[out] err    [nullable]
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG A NULL argument or hook, an unknown hooks version, or hooks
 *                            already set.
 * @retval MA_ERR_NOMEM       Allocation failed.
 * @retval MA_ERR_TRANSPORT   libcurl refused the socket callbacks.
 * @since 0.4.1
 */
MA_API MA_NODISCARD ma_status ma_client_set_event_hooks(ma_client *client, const ma_event_hooks *hooks, ma_error *err);

/**
 * @brief The loop saw @p events (#MA_EVENT_READ, #MA_EVENT_WRITE, #MA_EVENT_ERROR) on @p fd.
 *
 * Moves the transfers on @p fd along and may call completion and job callbacks.
 * @param[in] client [not nullable] A client with event hooks.
 * @param     fd     A descriptor the watch hook was asked to watch.
 * @param     events What the loop saw on it.
 * @retval MA_OK              Success (request failures go to their callbacks).
 * @retval MA_ERR_INVALID_ARG @p client is NULL or has no event hooks.
 * @retval MA_ERR_TRANSPORT   libcurl failed driving its transfers; the requests in flight
 *                            have ended with this status through their callbacks.
 * @since 0.4.1
 */
MA_API ma_status ma_event_socket_ready(ma_client *client, int fd, int events);

/**
 * @brief The client's timer fired.
 * @param[in] client [not nullable] A client with event hooks.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG @p client is NULL or has no event hooks.
 * @retval MA_ERR_TRANSPORT   As for ma_event_socket_ready().
 * @since 0.4.1
 */
MA_API ma_status ma_event_timer_expired(ma_client *client);

/**
 * @brief A request started with one of the `_start` functions. Valid from its start until
 * its completion callback returns; the library frees it then.
 * @since 0.4.1
 */
typedef struct ma_request ma_request;

/**
 * @brief Completion of ma_list_training_jobs_start() and ma_list_all_training_jobs_start().
 * @param request   The request; freed when this returns.
 * @param status    #MA_OK, or the status the blocking twin would have returned
 *                  (#MA_ERR_CANCELLED after ma_request_cancel()).
 * @param list      [transfer full] The jobs on success (free with ma_job_list_free()); NULL
 *                  on failure.
 * @param err       [not nullable] Detail of the failure; valid during the call only.
 * @param user_data As given at the start.
 * @since 0.4.1
 */
typedef void (*ma_list_done_fn)(ma_request *request, ma_status status, ma_job_list *list, const ma_error *err,
                                void *user_data);

/**
 * @brief One job of a walk, in order (the order and the rules of ma_job_iter_next()).
 * @param request   The walk; it may be cancelled from here (ma_request_cancel()).
 * @param job       [borrowed] Valid during the call only.
 * @param user_data As given at the start.
 * @return 0 to go on, non-zero to stop the walk: its completion then reports #MA_ERR_CANCELLED.
 * @since 0.4.1
 */
typedef int (*ma_walk_job_fn)(ma_request *request, const ma_job *job, void *user_data);

/**
 * @brief Completion of ma_walk_training_jobs_start().
 * @param request   The walk; freed when this returns.
 * @param user_data As given at the start.
 * @param status #MA_OK once every job was handed out, else what ma_job_iter_next() would
 *               have returned (#MA_ERR_CANCELLED when the job callback or ma_request_cancel()
 *               stopped it).
 * @param err    [not nullable] Valid during the call only; ma_error::failed_page names the
 *               page that failed.
 * @since 0.4.1
 */
typedef void (*ma_walk_done_fn)(ma_request *request, ma_status status, const ma_error *err, void *user_data);

/**
 * @brief Starts one page of ma_list_training_jobs() without blocking.
 * @param[in]  client    [not nullable] A client with event hooks.
 * @param[in]  query     [nullable] Copied; NULL means the defaults.
 * @param[in]  done      [not nullable] Called exactly once, never from inside this call.
 * @param[in]  user_data Passed to @p done.
 * @param[out] out       [nullable] The request's handle, for ma_request_cancel().
 * @param[out] err       [nullable]
 * @retval MA_OK              Started; the outcome goes to @p done.
 * @retval MA_ERR_INVALID_ARG A NULL client or callback, a client without hooks or without a
 *                            project id (finding it would mean IAM requests sent and waited for
 *                            here), or a query ma_list_training_jobs() refuses.
 * @retval MA_ERR_NOMEM       Allocation failed; @p done is not called.
 * @since 0.4.1
 */
MA_API MA_NODISCARD ma_status ma_list_training_jobs_start(ma_client *client, const ma_job_query *query,
                                                          ma_list_done_fn done, void *user_data, ma_request **out,
                                                          ma_error *err);

/**
 * @brief Starts a walk of every matching job (as ma_job_iter_new() with @p options) without
 * blocking; jobs go to @p on_job in order, then @p done is called once.
 *
 * Memory stays bounded as for the iterator: at most twice ma_walk_options::concurrency
 * pages in flight or waiting; a page is fetched ahead only while fewer are waiting.
 * Progress callbacks (ma_walk_options::progress) are called as for the iterator. A query
 * with several statuses (ma_job_query_set_statuses()) is refused for now: start one walk
 * per status.
 * @param[in]  client    [not nullable] A client with event hooks.
 * @param[in]  query     [nullable] Copied; NULL means the defaults.
 * @param[in]  options   [nullable] As for ma_job_iter_new(); copied.
 * @param[in]  on_job    [not nullable] Called for each job, in order.
 * @param[in]  done      [not nullable] Called exactly once, never from inside this call.
 * @param[in]  user_data Passed to both callbacks.
 * @param[out] out       [nullable] The request's handle, for ma_request_cancel().
 * @param[out] err       [nullable]
 * @retval MA_OK              Started.
 * @retval MA_ERR_INVALID_ARG As for ma_job_iter_new(), a NULL callback, a client without hooks
 *                            or without a project id, or a query with several statuses.
 * @retval MA_ERR_NOMEM       Allocation failed; no callback is called.
 * @since 0.4.1
 */
MA_API MA_NODISCARD ma_status ma_walk_training_jobs_start(ma_client *client, const ma_job_query *query,
                                                          const ma_walk_options *options, ma_walk_job_fn on_job,
                                                          ma_walk_done_fn done, void *user_data, ma_request **out,
                                                          ma_error *err);

/**
 * @brief ma_list_all_training_jobs() without blocking: @p done gets every matching job.
 * @param[in]  client    [not nullable] A client with event hooks.
 * @param[in]  query     [nullable] Copied; NULL means the defaults (one status at most, as for
 *                       ma_walk_training_jobs_start()).
 * @param[in]  options   [nullable] As for ma_list_all_training_jobs(); copied.
 * @param[in]  done      [not nullable] Called exactly once, never from inside this call.
 * @param[in]  user_data Passed to @p done.
 * @param[out] out       [nullable] The request's handle, for ma_request_cancel().
 * @param[out] err       [nullable]
 * @retval MA_OK              Started.
 * @retval MA_ERR_INVALID_ARG As for ma_list_all_training_jobs(), a NULL callback, a client
 *                            without hooks or without a project id, or a query with several
 *                            statuses.
 * @retval MA_ERR_NOMEM       Allocation failed; @p done is not called.
 * @since 0.4.1
 */
MA_API MA_NODISCARD ma_status ma_list_all_training_jobs_start(ma_client *client, const ma_job_query *query,
                                                              const ma_walk_options *options, ma_list_done_fn done,
                                                              void *user_data, ma_request **out, ma_error *err);

/**
 * @brief Stops a request that has not completed: its transfers are dropped and its
 * completion callback is called with #MA_ERR_CANCELLED before this returns.
 *
 * From inside the request's own completion callback it does nothing.
 * @param[in] request [nullable] NULL is a no-op; a request whose completion has returned is
 *                    gone and must not be passed.
 * @since 0.4.1
 */
MA_API void ma_request_cancel(ma_request *request);

/**
 * @brief Requests of @p client started and not yet completed.
 * @param[in] client [nullable] Any client.
 * @return The count; 0 for NULL or a client without event hooks.
 * @since 0.4.1
 */
MA_API size_t ma_event_pending(const ma_client *client);

MA_END_DECLS

/** @} */
#endif
