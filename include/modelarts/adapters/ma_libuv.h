/**
 * @file ma_libuv.h
 * @brief Drives a client from a libuv loop (header-only; the program links libuv, the library does not).
 *
 * @code
 * ma_libuv *adapter = NULL;
 * ma_libuv_attach(&adapter, client, loop, &err);   // before the client's first request
 * ma_walk_training_jobs_start(client, ...);         // any number of requests
 * uv_run(loop, UV_RUN_DEFAULT);                     // runs until nothing is left to do
 * ma_client_free(client);                           // stops watching its sockets
 * ma_libuv_free(adapter);                           // closes the handles...
 * uv_run(loop, UV_RUN_DEFAULT);                     // ...which the loop finishes
 * @endcode
 *
 * Each socket of the client gets a `uv_poll_t`, kept in the watch hook's `fd_data` and closed
 * when the client stops watching the socket. The client's timer is a `uv_timer_t`; a 0 ms timer
 * runs from a `uv_idle_t` instead, so it fires on the loop's next turn even when it is set from
 * inside a timer callback (libuv 1.44 runs a 0 ms timer started there in the same pass).
 * Everything runs on the loop's thread.
 * @since 0.4.1
 */
#ifndef MODELARTS_ADAPTERS_MA_LIBUV_H
#define MODELARTS_ADAPTERS_MA_LIBUV_H

#include <stdio.h>
#include <stdlib.h>

#include <uv.h>

#include "../ma_event.h"

/**
 * @brief A client wired to a libuv loop: made by ma_libuv_attach(), freed by ma_libuv_free().
 * @since 0.4.1
 */
typedef struct ma_libuv {
    /** The client it drives. */
    ma_client *client;
    /** The loop it runs on. */
    uv_loop_t *loop;
    /** The client's timer. */
    uv_timer_t timer;
    /** The client's timer when it is due at once. */
    uv_idle_t now;
    /** Handles still to close before the adapter is freed. */
    int open_handles;
} ma_libuv;

/** @brief One watched socket, owned by the watch hook's `fd_data`. @since 0.4.1 */
typedef struct ma_libuv_socket {
    /** The libuv watcher of the socket. */
    uv_poll_t poll;
    /** The adapter the socket belongs to. */
    ma_libuv *adapter;
    /** The socket. */
    int fd;
} ma_libuv_socket;

/**
 * @brief libuv's poll callback: tells the client what its socket is ready for.
 * @param handle The socket's watcher.
 * @param status 0, or a libuv error: the socket is in error.
 * @param events `UV_READABLE`, `UV_WRITABLE`, `UV_DISCONNECT`.
 * @since 0.4.1
 */
static inline void ma_libuv_on_poll(uv_poll_t *handle, int status, int events)
{
    ma_libuv_socket *s = (ma_libuv_socket *)handle->data;
    int ready = 0;
    if (status < 0)
        ready |= MA_EVENT_ERROR;
    if (events & UV_READABLE)
        ready |= MA_EVENT_READ;
    if (events & UV_WRITABLE)
        ready |= MA_EVENT_WRITE;
    if (events & UV_DISCONNECT)
        ready |= MA_EVENT_ERROR;
    (void)ma_event_socket_ready(s->adapter->client, s->fd, ready);
}

/**
 * @brief Frees a socket's watcher once libuv has closed it.
 * @param handle The closed watcher.
 * @since 0.4.1
 */
static inline void ma_libuv_on_socket_closed(uv_handle_t *handle)
{
    free(handle->data);
}

/**
 * @brief The watch hook (ma_event_watch_fn): starts, changes or stops the socket's `uv_poll_t`.
 * @param fd        The socket.
 * @param events    #MA_EVENT_READ and/or #MA_EVENT_WRITE; 0 stops watching.
 * @param loop_data The adapter.
 * @param fd_data   The socket's ma_libuv_socket, NULL before the first watch.
 * @return 0, or -1 when libuv cannot watch the socket.
 * @since 0.4.1
 */
static inline int ma_libuv_watch(int fd, int events, void *loop_data, void **fd_data)
{
    ma_libuv *adapter = (ma_libuv *)loop_data;
    ma_libuv_socket *s = (ma_libuv_socket *)*fd_data;
    if (events == 0) {
        /* Closing stops the watcher at once; the memory goes when libuv is done with it. */
        if (s)
            uv_close((uv_handle_t *)&s->poll, ma_libuv_on_socket_closed);
        *fd_data = NULL;
        return 0;
    }
    if (!s) {
        s = (ma_libuv_socket *)calloc(1, sizeof *s);
        if (!s)
            return -1;
        if (uv_poll_init_socket(adapter->loop, &s->poll, fd) != 0) {
            free(s);
            return -1;
        }
        s->poll.data = s;
        s->adapter = adapter;
        s->fd = fd;
        *fd_data = s;
    }
    int uv_events = UV_DISCONNECT;
    if (events & MA_EVENT_READ)
        uv_events |= UV_READABLE;
    if (events & MA_EVENT_WRITE)
        uv_events |= UV_WRITABLE;
    return uv_poll_start(&s->poll, uv_events, ma_libuv_on_poll) == 0 ? 0 : -1;
}

/**
 * @brief The client's timer fired (from the `uv_timer_t` or the `uv_idle_t`).
 * @param adapter The adapter.
 * @since 0.4.1
 */
static inline void ma_libuv_expire(ma_libuv *adapter)
{
    uv_timer_stop(&adapter->timer);
    uv_idle_stop(&adapter->now);
    (void)ma_event_timer_expired(adapter->client);
}

/**
 * @brief libuv's timer callback.
 * @param handle ma_libuv::timer.
 * @since 0.4.1
 */
static inline void ma_libuv_on_timer(uv_timer_t *handle)
{
    ma_libuv_expire((ma_libuv *)handle->data);
}

/**
 * @brief libuv's idle callback: a 0 ms timer.
 * @param handle ma_libuv::now.
 * @since 0.4.1
 */
static inline void ma_libuv_on_now(uv_idle_t *handle)
{
    ma_libuv_expire((ma_libuv *)handle->data);
}

/**
 * @brief The timer hook (ma_event_timer_fn): sets, replaces or cancels the client's timer.
 * @param timeout_ms Milliseconds from now; 0 is the loop's next turn; -1 cancels.
 * @param loop_data  The adapter.
 * @return 0, or -1 when libuv refuses the timer.
 * @since 0.4.1
 */
static inline int ma_libuv_timer(int64_t timeout_ms, void *loop_data)
{
    ma_libuv *adapter = (ma_libuv *)loop_data;
    uv_timer_stop(&adapter->timer);
    uv_idle_stop(&adapter->now);
    if (timeout_ms < 0)
        return 0;
    if (timeout_ms == 0)
        return uv_idle_start(&adapter->now, ma_libuv_on_now) == 0 ? 0 : -1;
    return uv_timer_start(&adapter->timer, ma_libuv_on_timer, (uint64_t)timeout_ms, 0) == 0 ? 0 : -1;
}

/**
 * @brief Frees the adapter when its last handle is closed.
 * @param handle ma_libuv::timer or ma_libuv::now.
 * @since 0.4.1
 */
static inline void ma_libuv_on_adapter_closed(uv_handle_t *handle)
{
    ma_libuv *adapter = (ma_libuv *)handle->data;
    if (--adapter->open_handles == 0)
        free(adapter);
}

/**
 * @brief Gives @p client to @p loop: sets the client's event hooks to an adapter on @p loop.
 *
 * Call it before the client's first request, on the loop's thread. The adapter must
 * outlive the client: free it with ma_libuv_free() after ma_client_free().
 * @param[out] out    [not nullable] The adapter; NULL on failure.
 * @param[in]  client [not nullable] The client; from now on only the `_start` calls run on it.
 * @param[in]  loop   [not nullable] The loop.
 * @param[out] err    [nullable] Detail of a failure.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG A NULL argument, or as for ma_client_set_event_hooks().
 * @retval MA_ERR_NOMEM       Allocation failed.
 * @since 0.4.1
 */
static inline ma_status ma_libuv_attach(ma_libuv **out, ma_client *client, uv_loop_t *loop, ma_error *err)
{
    if (err)
        ma_error_clear(err);
    if (out)
        *out = NULL;
    if (!out || !client || !loop) {
        if (err) {
            err->status = MA_ERR_INVALID_ARG;
            snprintf(err->message, sizeof err->message, "ma_libuv_attach: out, client and loop are required");
        }
        return MA_ERR_INVALID_ARG;
    }
    ma_libuv *adapter = (ma_libuv *)calloc(1, sizeof *adapter);
    if (!adapter) {
        if (err) {
            err->status = MA_ERR_NOMEM;
            snprintf(err->message, sizeof err->message, "ma_libuv_attach: out of memory");
        }
        return MA_ERR_NOMEM;
    }
    adapter->client = client;
    adapter->loop = loop;
    uv_timer_init(loop, &adapter->timer);
    uv_idle_init(loop, &adapter->now);
    adapter->timer.data = adapter;
    adapter->now.data = adapter;
    adapter->open_handles = 2;
    ma_event_hooks hooks = {MA_EVENT_HOOKS_VERSION, ma_libuv_watch, ma_libuv_timer, adapter};
    ma_status st = ma_client_set_event_hooks(client, &hooks, err);
    if (st != MA_OK) {
        uv_close((uv_handle_t *)&adapter->timer, ma_libuv_on_adapter_closed);
        uv_close((uv_handle_t *)&adapter->now, ma_libuv_on_adapter_closed);
        return st;
    }
    *out = adapter;
    return MA_OK;
}

/**
 * @brief Closes the adapter's handles; libuv frees the adapter when they are closed.
 *
 * Call it after ma_client_free() (which stops watching every socket and cancels the timer),
 * then let the loop run once more (`uv_run(loop, UV_RUN_DEFAULT)`) before `uv_loop_close()`:
 * closing a libuv handle finishes on the loop. A failed ma_libuv_attach() closes what it made
 * itself, and that too finishes on the loop's next run.
 * @param[in] adapter [nullable] NULL is a no-op.
 * @since 0.4.1
 */
static inline void ma_libuv_free(ma_libuv *adapter)
{
    if (!adapter)
        return;
    uv_close((uv_handle_t *)&adapter->timer, ma_libuv_on_adapter_closed);
    uv_close((uv_handle_t *)&adapter->now, ma_libuv_on_adapter_closed);
}

#endif
