/**
 * @file ma_libevent.h
 * @brief Drives a client from a libevent `event_base` (header-only; the program links libevent,
 * the library does not).
 *
 * @code
 * ma_libevent *adapter = NULL;
 * ma_libevent_attach(&adapter, client, base, &err);  // before the client's first request
 * ma_walk_training_jobs_start(client, ...);           // any number of requests
 * event_base_dispatch(base);                          // runs until nothing is left to do
 * ma_client_free(client);                             // stops watching its sockets
 * ma_libevent_free(adapter);                          // frees the timer event and the adapter
 * @endcode
 *
 * Each socket of the client gets a persistent `struct event` (event_new()), kept in the watch
 * hook's `fd_data` and freed when the client stops watching the socket; the client's timer is
 * one timer event. libevent frees events at once, so nothing is left for the loop to finish.
 * Everything runs on the loop's thread.
 * @since 0.4.1
 */
#ifndef MODELARTS_ADAPTERS_MA_LIBEVENT_H
#define MODELARTS_ADAPTERS_MA_LIBEVENT_H

#include <stdio.h>
#include <stdlib.h>

#include <event2/event.h>

#include "../ma_event.h"

/**
 * @brief A client wired to an `event_base`: made by ma_libevent_attach(), freed by
 * ma_libevent_free().
 * @since 0.4.1
 */
typedef struct ma_libevent {
    /** The client it drives. */
    ma_client *client;
    /** The loop it runs on. */
    struct event_base *base;
    /** The client's timer. */
    struct event *timer;
    /** `EV_CLOSED` when the loop's backend reports a hang-up early (epoll does), else 0. */
    short closed;
} ma_libevent;

/**
 * @brief libevent's callback for a socket: tells the client what it is ready for.
 * @param fd   The socket.
 * @param what `EV_READ`, `EV_WRITE`, `EV_CLOSED` (the peer hung up).
 * @param arg  The adapter.
 * @since 0.4.1
 */
static inline void ma_libevent_on_socket(evutil_socket_t fd, short what, void *arg)
{
    ma_libevent *adapter = (ma_libevent *)arg;
    int ready = 0;
    if (what & EV_READ)
        ready |= MA_EVENT_READ;
    if (what & EV_WRITE)
        ready |= MA_EVENT_WRITE;
    if (what & EV_CLOSED)
        ready |= MA_EVENT_ERROR;
    (void)ma_event_socket_ready(adapter->client, (int)fd, ready);
}

/**
 * @brief The watch hook (ma_event_watch_fn): adds, changes or frees the socket's event.
 * @param fd        The socket.
 * @param events    #MA_EVENT_READ and/or #MA_EVENT_WRITE; 0 stops watching.
 * @param loop_data The adapter.
 * @param fd_data   The socket's `struct event`, NULL before the first watch.
 * @return 0, or -1 when libevent cannot watch the socket.
 * @since 0.4.1
 */
static inline int ma_libevent_watch(int fd, int events, void *loop_data, void **fd_data)
{
    ma_libevent *adapter = (ma_libevent *)loop_data;
    struct event *ev = (struct event *)*fd_data;
    if (events == 0) {
        if (ev)
            event_free(ev); /* also removes it from the loop */
        *fd_data = NULL;
        return 0;
    }
    int what = EV_PERSIST | adapter->closed;
    if (events & MA_EVENT_READ)
        what |= EV_READ;
    if (events & MA_EVENT_WRITE)
        what |= EV_WRITE;
    if (ev) {
        /* An event's interest is fixed at assignment: take it out, reassign, add it back. */
        event_del(ev);
        if (event_assign(ev, adapter->base, fd, (short)what, ma_libevent_on_socket, adapter) != 0)
            return -1;
    } else {
        ev = event_new(adapter->base, fd, (short)what, ma_libevent_on_socket, adapter);
        if (!ev)
            return -1;
        *fd_data = ev;
    }
    return event_add(ev, NULL) == 0 ? 0 : -1;
}

/**
 * @brief libevent's callback for the client's timer.
 * @param fd   Unused (-1).
 * @param what `EV_TIMEOUT`.
 * @param arg  The adapter.
 * @since 0.4.1
 */
static inline void ma_libevent_on_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)ma_event_timer_expired(((ma_libevent *)arg)->client);
}

/**
 * @brief The timer hook (ma_event_timer_fn): sets, replaces or cancels the client's timer.
 *
 * libevent runs a timer added with a 0 timeout on the loop's next turn, never from inside
 * `event_add()`.
 * @param timeout_ms Milliseconds from now; 0 is the loop's next turn; -1 cancels.
 * @param loop_data  The adapter.
 * @return 0, or -1 when libevent refuses the timer.
 * @since 0.4.1
 */
static inline int ma_libevent_timer(int64_t timeout_ms, void *loop_data)
{
    ma_libevent *adapter = (ma_libevent *)loop_data;
    if (timeout_ms < 0)
        return event_del(adapter->timer) == 0 ? 0 : -1;
    struct timeval tv;
    tv.tv_sec = (long)(timeout_ms / 1000);
    tv.tv_usec = (long)(timeout_ms % 1000) * 1000;
    return event_add(adapter->timer, &tv) == 0 ? 0 : -1;
}

/**
 * @brief Gives @p client to @p base: sets the client's event hooks to an adapter on @p base.
 *
 * Call it before the client's first request, on the loop's thread. The adapter must
 * outlive the client: free it with ma_libevent_free() after ma_client_free().
 * @param[out] out    [not nullable] The adapter; NULL on failure.
 * @param[in]  client [not nullable] The client; from now on only the `_start` calls run on it.
 * @param[in]  base   [not nullable] The loop.
 * @param[out] err    [nullable] Detail of a failure.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG A NULL argument, or as for ma_client_set_event_hooks().
 * @retval MA_ERR_NOMEM       Allocation failed.
 * @since 0.4.1
 */
static inline ma_status ma_libevent_attach(ma_libevent **out, ma_client *client, struct event_base *base, ma_error *err)
{
    if (err)
        ma_error_clear(err);
    if (out)
        *out = NULL;
    if (!out || !client || !base) {
        if (err) {
            err->status = MA_ERR_INVALID_ARG;
            snprintf(err->message, sizeof err->message, "ma_libevent_attach: out, client and base are required");
        }
        return MA_ERR_INVALID_ARG;
    }
    ma_libevent *adapter = (ma_libevent *)calloc(1, sizeof *adapter);
    if (adapter)
        adapter->timer = evtimer_new(base, ma_libevent_on_timer, adapter);
    if (!adapter || !adapter->timer) {
        free(adapter);
        if (err) {
            err->status = MA_ERR_NOMEM;
            snprintf(err->message, sizeof err->message, "ma_libevent_attach: out of memory");
        }
        return MA_ERR_NOMEM;
    }
    adapter->client = client;
    adapter->base = base;
    if (event_base_get_features(base) & EV_FEATURE_EARLY_CLOSE)
        adapter->closed = EV_CLOSED;
    ma_event_hooks hooks = {MA_EVENT_HOOKS_VERSION, ma_libevent_watch, ma_libevent_timer, adapter};
    ma_status st = ma_client_set_event_hooks(client, &hooks, err);
    if (st != MA_OK) {
        event_free(adapter->timer);
        free(adapter);
        return st;
    }
    *out = adapter;
    return MA_OK;
}

/**
 * @brief Frees the adapter and its timer event. Call it after ma_client_free().
 * @param[in] adapter [nullable] NULL is a no-op.
 * @since 0.4.1
 */
static inline void ma_libevent_free(ma_libevent *adapter)
{
    if (!adapter)
        return;
    event_free(adapter->timer);
    free(adapter);
}

#endif
