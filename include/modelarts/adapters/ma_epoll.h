/**
 * @file ma_epoll.h
 * @brief A small epoll loop for a client, for programs without an event library (Linux,
 * header-only).
 *
 * @code
 * ma_epoll_loop *loop = NULL;
 * ma_epoll_attach(&loop, client, &err);        // before the client's first request
 * ma_walk_training_jobs_start(client, ...);     // any number of requests
 * ma_epoll_run(loop);                           // until none is pending
 * ma_client_free(client);                       // stops watching its sockets
 * ma_epoll_free(loop);                          // closes the epoll descriptor
 * @endcode
 *
 * The loop owns one epoll descriptor holding the client's sockets. The client's timer is a
 * deadline on the monotonic clock that bounds each `epoll_wait()`, and it fires after the
 * sockets that were ready. A program with timers of its own calls ma_epoll_run_once() with
 * the time to its next one as `max_wait_ms`.
 *
 * Uses `clock_gettime()`: define `_POSIX_C_SOURCE` as 199309L or later (or `_GNU_SOURCE`)
 * before the first include when compiling in a strict C mode (`-std=c99`, `-std=c11`).
 * @since 0.4.1
 */
#ifndef MODELARTS_ADAPTERS_MA_EPOLL_H
#define MODELARTS_ADAPTERS_MA_EPOLL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/epoll.h>
#include <unistd.h>

#include "../ma_event.h"

#if !defined(_POSIX_C_SOURCE) || _POSIX_C_SOURCE < 199309L
#error "modelarts/adapters/ma_epoll.h needs clock_gettime(): define _POSIX_C_SOURCE 200809L before any include"
#endif

/**
 * @brief A client's epoll loop: made by ma_epoll_attach(), freed by ma_epoll_free().
 * @since 0.4.1
 */
typedef struct ma_epoll_loop {
    /** The client it drives. */
    ma_client *client;
    /** The epoll descriptor. */
    int epoll_fd;
    /** When the client's timer fires, in monotonic milliseconds; -1 when it is not set. */
    int64_t deadline_ms;
    /** Sockets in the epoll set (0 once the client is freed). */
    int watched;
} ma_epoll_loop;

/**
 * @brief Milliseconds of the monotonic clock.
 * @return The time, or 0 if the clock cannot be read.
 * @since 0.4.1
 */
static inline int64_t ma_epoll_now_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0;
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/**
 * @brief The watch hook (ma_event_watch_fn): adds, changes or removes the socket in the epoll set.
 *
 * `fd_data` only marks a socket as in the set (it points at the loop); nothing is allocated per
 * socket, so a stale event for a socket removed meanwhile cannot touch freed memory.
 * @param fd        The socket.
 * @param events    #MA_EVENT_READ and/or #MA_EVENT_WRITE; 0 stops watching.
 * @param loop_data The loop.
 * @param fd_data   Non-NULL while the socket is in the set.
 * @return 0, or -1 when epoll refuses the socket.
 * @since 0.4.1
 */
static inline int ma_epoll_watch(int fd, int events, void *loop_data, void **fd_data)
{
    ma_epoll_loop *loop = (ma_epoll_loop *)loop_data;
    if (events == 0) {
        /* The socket may be closed already, which took it out of the set: ignore the error. */
        if (*fd_data) {
            (void)epoll_ctl(loop->epoll_fd, EPOLL_CTL_DEL, fd, NULL);
            loop->watched--;
        }
        *fd_data = NULL;
        return 0;
    }
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLRDHUP;
    if (events & MA_EVENT_READ)
        ev.events |= EPOLLIN;
    if (events & MA_EVENT_WRITE)
        ev.events |= EPOLLOUT;
    ev.data.fd = fd;
    int op = *fd_data ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    int rc = epoll_ctl(loop->epoll_fd, op, fd, &ev);
    /* A descriptor number closed and reused is a new file: add what MOD cannot find, modify what ADD finds. */
    if (rc != 0 && op == EPOLL_CTL_MOD && errno == ENOENT)
        rc = epoll_ctl(loop->epoll_fd, EPOLL_CTL_ADD, fd, &ev);
    else if (rc != 0 && op == EPOLL_CTL_ADD && errno == EEXIST)
        rc = epoll_ctl(loop->epoll_fd, EPOLL_CTL_MOD, fd, &ev);
    if (rc != 0)
        return -1;
    if (!*fd_data)
        loop->watched++;
    *fd_data = loop;
    return 0;
}

/**
 * @brief The timer hook (ma_event_timer_fn): sets, replaces or cancels the deadline.
 *
 * A 0 ms timer is due at once: the next ma_epoll_run_once() polls without waiting and then fires it.
 * @param timeout_ms Milliseconds from now; 0 is the loop's next turn; -1 cancels.
 * @param loop_data  The loop.
 * @return 0.
 * @since 0.4.1
 */
static inline int ma_epoll_timer(int64_t timeout_ms, void *loop_data)
{
    ma_epoll_loop *loop = (ma_epoll_loop *)loop_data;
    loop->deadline_ms = timeout_ms < 0 ? -1 : ma_epoll_now_ms() + timeout_ms;
    return 0;
}

/**
 * @brief Creates an epoll loop for @p client and sets the client's event hooks to it.
 *
 * Call it before the client's first request. The loop must outlive the client: free it
 * with ma_epoll_free() after ma_client_free().
 * @param[out] out    [not nullable] The loop; NULL on failure.
 * @param[in]  client [not nullable] The client; from now on only the `_start` calls run on it.
 * @param[out] err    [nullable] Detail of a failure.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG A NULL argument, or as for ma_client_set_event_hooks().
 * @retval MA_ERR_NOMEM       Allocation failed.
 * @retval MA_ERR_TRANSPORT   `epoll_create1()` failed (the message says why).
 * @since 0.4.1
 */
static inline ma_status ma_epoll_attach(ma_epoll_loop **out, ma_client *client, ma_error *err)
{
    if (err)
        ma_error_clear(err);
    if (out)
        *out = NULL;
    ma_status st = MA_OK;
    ma_epoll_loop *loop = NULL;
    if (!out || !client) {
        st = MA_ERR_INVALID_ARG;
        if (err)
            snprintf(err->message, sizeof err->message, "ma_epoll_attach: out and client are required");
    } else if (!(loop = (ma_epoll_loop *)calloc(1, sizeof *loop))) {
        st = MA_ERR_NOMEM;
        if (err)
            snprintf(err->message, sizeof err->message, "ma_epoll_attach: out of memory");
    } else if ((loop->epoll_fd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
        st = MA_ERR_TRANSPORT;
        if (err)
            snprintf(err->message, sizeof err->message, "ma_epoll_attach: epoll_create1: %s", strerror(errno));
    }
    if (st != MA_OK) {
        if (err)
            err->status = st;
        free(loop);
        return st;
    }
    loop->client = client;
    loop->deadline_ms = -1;
    ma_event_hooks hooks = {MA_EVENT_HOOKS_VERSION, ma_epoll_watch, ma_epoll_timer, loop};
    if ((st = ma_client_set_event_hooks(client, &hooks, err)) != MA_OK) {
        close(loop->epoll_fd);
        free(loop);
        return st;
    }
    *out = loop;
    return MA_OK;
}

/**
 * @brief One turn: waits for the client's sockets until its timer is due or @p max_wait_ms
 * passed, tells the client what is ready, then fires its timer if it is due.
 * @param[in] loop        [not nullable] The loop.
 * @param[in] max_wait_ms Longest wait in milliseconds; -1 waits as long as the client's
 *                        timer allows (for ever when it is not set); 0 does not wait.
 * @retval MA_OK            The turn ran (request failures go to their callbacks).
 * @retval MA_ERR_TRANSPORT `epoll_wait()` failed other than by a signal (`errno` says why).
 * @since 0.4.1
 */
static inline ma_status ma_epoll_run_once(ma_epoll_loop *loop, int max_wait_ms)
{
    int wait_ms = max_wait_ms;
    if (loop->deadline_ms >= 0) {
        int64_t left = loop->deadline_ms - ma_epoll_now_ms();
        if (left < 0)
            left = 0;
        if (wait_ms < 0 || left < wait_ms)
            wait_ms = (int)left;
    }
    struct epoll_event ready[16];
    int n = epoll_wait(loop->epoll_fd, ready, 16, wait_ms);
    if (n < 0 && errno != EINTR)
        return MA_ERR_TRANSPORT;
    for (int i = 0; i < n; i++) {
        int events = 0;
        if (ready[i].events & EPOLLIN)
            events |= MA_EVENT_READ;
        if (ready[i].events & EPOLLOUT)
            events |= MA_EVENT_WRITE;
        if (ready[i].events & (EPOLLERR | EPOLLHUP | EPOLLRDHUP))
            events |= MA_EVENT_ERROR;
        (void)ma_event_socket_ready(loop->client, ready[i].data.fd, events);
    }
    if (loop->deadline_ms >= 0 && ma_epoll_now_ms() >= loop->deadline_ms) {
        loop->deadline_ms = -1; /* the client sets it again if it wants it again */
        (void)ma_event_timer_expired(loop->client);
    }
    return MA_OK;
}

/**
 * @brief Runs turns until no request of the client is pending (ma_event_pending()).
 * @param[in] loop [not nullable] The loop.
 * @retval MA_OK            Every request completed.
 * @retval MA_ERR_TRANSPORT As for ma_epoll_run_once(); requests may still be pending.
 * @since 0.4.1
 */
static inline ma_status ma_epoll_run(ma_epoll_loop *loop)
{
    while (ma_event_pending(loop->client) > 0) {
        ma_status st = ma_epoll_run_once(loop, -1);
        if (st != MA_OK)
            return st;
    }
    return MA_OK;
}

/**
 * @brief Closes the epoll descriptor and frees the loop. Call it after ma_client_free().
 * @param[in] loop [nullable] NULL is a no-op.
 * @since 0.4.1
 */
static inline void ma_epoll_free(ma_epoll_loop *loop)
{
    if (!loop)
        return;
    close(loop->epoll_fd);
    free(loop);
}

#endif
