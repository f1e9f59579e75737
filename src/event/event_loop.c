/*
 * A client on the caller's event loop: the hooks it was given, the requests
 * started on it, and the one timer kept at the earliest time anything is due
 * (libcurl's own timer, a retry waiting for its time, a request just started).
 */
#include <string.h>

#include "engine/auth_slot.h"
#include "engine/runtime.h"
#include "event/request.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/error.h"

typedef struct ma__event_loop {
    ma_event_hooks hooks;
    ma_request *head, *tail;
    size_t pending;   /* requests not completed */
    int dispatching;  /* inside a step of the requests: completed ones are freed after it */
    int kick;         /* a request started: step it on the loop's next turn */
    int64_t armed_at; /* system monotonic time the caller's timer is set for; -1 none */
} ma__event_loop;

static ma__event_loop *loop_of(const ma_client *client)
{
    return ma__runtime_of_const(client)->events;
}

int ma__event_hooks_set(const ma_client *client)
{
    return client && loop_of(client) != NULL;
}

static int forward_watch(void *ctx, int fd, int events, void **fd_data)
{
    ma__event_loop *loop = ctx;
    return loop->hooks.watch(fd, events, loop->hooks.loop_data, fd_data);
}

ma_status ma_client_set_event_hooks(ma_client *client, const ma_event_hooks *hooks, ma_error *err)
{
    ma_error_clear(err);
    if (!client || !hooks || !hooks->watch || !hooks->timer)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_client_set_event_hooks: a NULL client, hooks or hook");
    if (hooks->version == 0 || hooks->version > MA_EVENT_HOOKS_VERSION)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "event hooks version %u is not supported (use %d)",
                             hooks->version, MA_EVENT_HOOKS_VERSION);
    ma__runtime *rt = ma__runtime_of(client);
    if (rt->events)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "the client already has event hooks");
    if (!rt->transport->vtable->use_events)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "the client's transport cannot run on an event loop");
    ma__event_loop *loop = ma__calloc(&rt->alloc, 1, sizeof *loop);
    if (!loop)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory setting the event hooks");
    loop->hooks = *hooks;
    loop->armed_at = -1;
    ma__transport_watch watch = {forward_watch, loop};
    ma_status st = rt->transport->vtable->use_events(rt->transport, &watch, err);
    if (st != MA_OK) {
        ma__free(&rt->alloc, loop);
        return st;
    }
    rt->events = loop;
    return MA_OK;
}

size_t ma_event_pending(const ma_client *client)
{
    return ma__event_hooks_set(client) ? loop_of(client)->pending : 0;
}

static void unlink_request(ma__event_loop *loop, ma_request *r)
{
    if (r->prev)
        r->prev->next = r->next;
    else
        loop->head = r->next;
    if (r->next)
        r->next->prev = r->prev;
    else
        loop->tail = r->prev;
    r->prev = r->next = NULL;
}

/* Frees the requests that completed; only outside a step, which may still be walking the list. */
static void reap(ma__event_loop *loop)
{
    if (loop->dispatching)
        return;
    for (ma_request *r = loop->head, *next; r; r = next) {
        next = r->next;
        if (r->completed) {
            unlink_request(loop, r);
            r->ops->free(r);
        }
    }
}

/* The earliest time anything is due, in system monotonic time; -1 when nothing is. */
static int64_t next_due(ma_client *client, ma__event_loop *loop, int64_t now)
{
    if (loop->kick)
        return now;
    ma__transport *t = ma__runtime_of(client)->transport;
    int64_t due = t->vtable->next_due_ms ? t->vtable->next_due_ms(t) : -1;
    for (ma_request *r = loop->head; r; r = r->next) {
        if (r->completed)
            continue;
        int64_t wait = r->ops->wait_ms(r);
        if (wait < 0)
            continue;
        int64_t at = now + wait;
        if (due < 0 || at < due)
            due = at;
    }
    return due;
}

/* Sets the caller's timer to the earliest due time, unless it is set for that already. */
static void rearm(ma_client *client, ma__event_loop *loop)
{
    int64_t now = ma__system_monotonic_ms();
    int64_t due = next_due(client, loop, now);
    if (due == loop->armed_at && due != now)
        return;
    loop->armed_at = due;
    /* Never a call back from here: a 0 ms timer fires on the loop's next turn. */
    (void)loop->hooks.timer(due < 0 ? -1 : (due > now ? due - now : 0), loop->hooks.loop_data);
}

/* Steps every request once; those that complete are freed after the pass. */
static int credential_request_out(const ma_client *client)
{
    const ma__auth *auth = ma__runtime_of_const(client)->auth;
    return auth->vtable->call_out && auth->vtable->call_out(auth);
}

static void dispatch(ma_client *client, ma__event_loop *loop)
{
    loop->dispatching++;
    loop->kick = 0;
    int login_was_out = credential_request_out(client);
    ma__transport *t = ma__runtime_of(client)->transport;
    for (ma_request *r = loop->head; r; r = r->next)
        if (!r->completed)
            (void)r->ops->step(r);
    /*
     * A request that found every transfer taken gets one that a request after
     * it in the list gave back: one more pass, only then. The first pass
     * handed out all that finished, so a second one is enough.
     */
    if (t->vtable->take_starved && t->vtable->take_starved(t))
        for (ma_request *r = loop->head; r; r = r->next)
            if (!r->completed)
                (void)r->ops->step(r);
    /* Requests stepped before a login ended in this pass still wait for it: another turn, at once. */
    if (login_was_out && !credential_request_out(client))
        loop->kick = 1;
    loop->dispatching--;
    reap(loop);
    rearm(client, loop);
}

/* A failure of the transport itself ends every request of the client. */
static void fail_all(ma_client *client, ma__event_loop *loop, ma_status st, const ma_error *err)
{
    loop->dispatching++;
    for (ma_request *r = loop->head; r; r = r->next)
        if (!r->completed)
            ma__event_complete(r, st, err);
    loop->dispatching--;
    reap(loop);
    rearm(client, loop);
}

ma_status ma_event_socket_ready(ma_client *client, int fd, int events)
{
    if (!ma__event_hooks_set(client))
        return MA_ERR_INVALID_ARG;
    ma__event_loop *loop = loop_of(client);
    ma__transport *t = ma__runtime_of(client)->transport;
    ma_error err;
    ma_error_clear(&err);
    ma_status st = t->vtable->event(t, fd, events, &err);
    if (st != MA_OK) {
        fail_all(client, loop, st, &err);
        return st;
    }
    dispatch(client, loop);
    return MA_OK;
}

ma_status ma_event_timer_expired(ma_client *client)
{
    if (!ma__event_hooks_set(client))
        return MA_ERR_INVALID_ARG;
    ma__event_loop *loop = loop_of(client);
    ma__transport *t = ma__runtime_of(client)->transport;
    loop->armed_at = -1; /* it fired: nothing is set now */
    int64_t curl_due = t->vtable->next_due_ms(t);
    if (curl_due >= 0 && curl_due <= ma__system_monotonic_ms()) {
        ma_error err;
        ma_error_clear(&err);
        ma_status st = t->vtable->event(t, -1, 0, &err);
        if (st != MA_OK) {
            fail_all(client, loop, st, &err);
            return st;
        }
    }
    dispatch(client, loop);
    return MA_OK;
}

void ma__event_add(ma_request *r)
{
    ma__event_loop *loop = loop_of(r->client);
    r->prev = loop->tail;
    r->next = NULL;
    if (loop->tail)
        loop->tail->next = r;
    else
        loop->head = r;
    loop->tail = r;
    loop->pending++;
    /* The first step comes from the loop, so no callback ever runs inside the start call. */
    loop->kick = 1;
    if (!loop->dispatching)
        rearm(r->client, loop);
}

void ma__event_complete(ma_request *r, ma_status status, const ma_error *err)
{
    if (r->completed)
        return;
    r->completed = 1;
    loop_of(r->client)->pending--;
    r->ops->end(r, status, err);
}

void ma_request_cancel(ma_request *request)
{
    if (!request || request->completed)
        return;
    ma_client *client = request->client;
    ma__event_loop *loop = loop_of(client);
    ma_error err;
    ma_error_clear(&err);
    ma__error_set(&err, MA_ERR_CANCELLED, "the request was cancelled (ma_request_cancel)");
    loop->dispatching++;
    ma__event_complete(request, MA_ERR_CANCELLED, &err);
    loop->dispatching--;
    reap(loop); /* may free the request */
    if (!loop->dispatching)
        rearm(client, loop);
}

void ma__event_loop_end(ma_client *client)
{
    ma__event_loop *loop = loop_of(client);
    if (!loop)
        return;
    ma_error err;
    ma_error_clear(&err);
    ma__error_set(&err, MA_ERR_CANCELLED, "the client was freed with the request still running");
    loop->dispatching++;
    for (ma_request *r = loop->head; r; r = r->next)
        if (!r->completed)
            ma__event_complete(r, MA_ERR_CANCELLED, &err);
    loop->dispatching--;
    reap(loop);
    (void)loop->hooks.timer(-1, loop->hooks.loop_data);
}

void ma__event_loop_free(ma_client *client)
{
    ma__event_loop *loop = loop_of(client);
    if (!loop)
        return;
    ma__runtime_of(client)->events = NULL;
    ma__free(&ma__runtime_of(client)->alloc, loop);
}
