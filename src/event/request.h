/*
 * The event layer: requests started without blocking, moved along by the
 * caller's event loop (ma_event.h). Each kind of request (one page, a walk,
 * list-all) supplies a step that runs its batch without waiting and says when
 * it has completed; the loop steps every request on each socket event or
 * timer, and keeps the caller's one timer at the earliest time anything is due.
 */
#ifndef MA_EVENT_REQUEST_H
#define MA_EVENT_REQUEST_H

#include <stdint.h>

#include "modelarts/ma_event.h"

typedef struct ma__request_ops {
    /*
     * Moves the request along without waiting. Returns 1 once it completed
     * (its callback has been called), else 0.
     */
    int (*step)(ma_request *r);
    /* Milliseconds (client clock) until it has something to do on its own (a retry), 0 for now, -1 never. */
    int64_t (*wait_ms)(ma_request *r);
    /* Drops its transfers and calls its callback with @p status and @p err. */
    void (*end)(ma_request *r, ma_status status, const ma_error *err);
    /* Frees it (after it completed). */
    void (*free)(ma_request *r);
} ma__request_ops;

struct ma_request {
    ma_client *client;
    const ma__request_ops *ops;
    void *user_data;
    ma_request *prev, *next;
    int completed; /* its callback has been called (or is running): it only waits to be freed */
};

/* Registers a started request with its client's loop; it is stepped on the loop's next turn. */
void ma__event_add(ma_request *r);

/* Completes @p r with @p status: drops what it has in flight and calls its callback, once. */
void ma__event_complete(ma_request *r, ma_status status, const ma_error *err);

/* Whether @p client runs on an event loop (the blocking calls refuse it then). */
int ma__event_hooks_set(const ma_client *client);

/*
 * ma_client_free() ends every request of @p client with MA_ERR_CANCELLED, then
 * destroys the transport (whose sockets are unwatched through the loop's
 * hooks), then frees the loop.
 */
void ma__event_loop_end(ma_client *client);
void ma__event_loop_free(ma_client *client);

#endif
