/*
 * The transport seam: exchanges run in batches on the calling thread. A
 * single call is a batch of one. The libcurl implementation (curl_multi,
 * one connection cache shared by every exchange of a client) is the only
 * code that includes libcurl; tests may install their own.
 */
#ifndef MA_HTTP_TRANSPORT_H
#define MA_HTTP_TRANSPORT_H

#include <stddef.h>

#include "http/http.h"
#include "http/request.h"
#include "util/clock.h"

/*
 * Receives a response body as it arrives, instead of resp->body. Called only
 * after the status line and headers are in resp. It cannot fail the
 * transfer: a consumer that has seen enough remembers its own error.
 */
typedef struct ma__body_sink {
    void (*write)(void *ctx, const char *data, size_t len);
    void *ctx;
} ma__body_sink;

/* One request and its outcome. */
typedef struct ma__exchange {
    const ma__http_request *req; /* in; borrowed for the whole exchange */
    ma__http_response *resp;     /* out: status, headers (all stored as secret), body unless sink */
    const ma__body_sink *sink;   /* in, optional */
    ma_status status;            /* out: MA_OK when a complete response arrived, whatever its HTTP status */
    ma_error err;                /* out: detail when status != MA_OK; names method and URL */
    int retryable;               /* out: failed before any response byte in a way that is safe to repeat */
    void *user;                  /* the caller's */
} ma__exchange;

/*
 * Where a batch gets its exchanges. The transport keeps up to `concurrency`
 * in flight, pulling the next one as a slot frees.
 */
typedef struct ma__exchange_source {
    /* The next exchange to start, or NULL when there are no more. */
    ma__exchange *(*next)(void *ctx);
    /*
     * @p x has finished; x->status says how. Return 0 to go on,
     * MA__SOURCE_PAUSE to return from run() at once with the other exchanges
     * still in flight (a later run() picks them up; abandon() drops them), or
     * any other value to stop: exchanges still in flight are abandoned and
     * not reported.
     */
    int (*done)(void *ctx, ma__exchange *x);
    void *ctx;
    /*
     * Non-zero: start what can start, hand over what has already finished,
     * then return without waiting (the rest stays in flight, as after a pause).
     */
    int no_wait;
    /*
     * Non-zero: read bodies oldest exchange first, holding the others back in
     * their sockets. For a caller that consumes results in start order (a
     * page walk): exchanges then finish one after another, and each
     * connection can be reused at once while the rest are read.
     */
    int in_order;
    /*
     * Optional. After next() returned NULL: milliseconds until it may have
     * another exchange (a delayed retry), 0 for now, or -1 when it never
     * will. The transport keeps asking while it drives the exchanges in
     * flight (polling no longer than that), so a delayed exchange holds
     * nothing up. With @p idle (nothing in flight, not no_wait) the source
     * may wait itself, through its clock, and return 0.
     */
    int64_t (*wait_ms)(void *ctx, int idle);
} ma__exchange_source;

/* ma__exchange_source.done(): return from run(), leaving the rest in flight. */
#define MA__SOURCE_PAUSE 2

typedef struct ma__transport ma__transport;

/* A caller's event loop, told which sockets to watch (ma_event_watch_fn's contract). */
typedef struct ma__transport_watch {
    int (*watch)(void *ctx, int fd, int events, void **fd_data);
    void *ctx;
} ma__transport_watch;

typedef struct ma__transport_vtable {
    /*
     * Runs exchanges until the source is empty and all are done, or done()
     * asks to stop. MA_OK when that happened (outcomes are in the exchanges);
     * an error only when the batch itself could not run (out of memory).
     */
    ma_status (*run)(ma__transport *self, const ma__exchange_source *source, size_t concurrency, ma_error *err);
    /*
     * Drops, unreported, the exchanges that paused runs of the source whose
     * ctx is @p owner left in flight. Other sources' exchanges stay: several
     * batches (walks) of one client may be paused at once.
     */
    void (*abandon)(ma__transport *self, const void *owner);
    void (*destroy)(ma__transport *self);
    /*
     * Optional (NULL: the transport runs only on its own loop). Switches the
     * transport to socket events: libcurl reports the sockets it wants
     * watched, and @p watch (when not NULL) hears of each as well, for a
     * caller's event loop. Runs that may wait then wait on those sockets
     * themselves; runs with no_wait never wait, and the owner of the loop
     * calls event() when a socket is ready or next_due_ms() has come.
     */
    ma_status (*use_events)(ma__transport *self, const struct ma__transport_watch *watch, ma_error *err);
    /* Socket @p fd saw MA_EVENT_* @p events, or (fd < 0) libcurl's timer came. */
    ma_status (*event)(ma__transport *self, int fd, int events, ma_error *err);
    /* Monotonic time at which libcurl wants event(-1) at the latest; -1 when it waits for nothing. */
    int64_t (*next_due_ms)(ma__transport *self);
    /*
     * Whether a no_wait run returned since the last call because every slot
     * was taken (it starts once another run gives one back); clears it.
     */
    int (*take_starved)(ma__transport *self);
} ma__transport_vtable;

struct ma__transport {
    const ma__transport_vtable *vtable;
};

/* Most exchanges one client keeps in flight (pool size). */
#define MA__TRANSPORT_MAX_CONCURRENCY 16

/* Settings of the libcurl transport, copied by ma__curl_transport_new(). */
typedef struct ma__curl_settings {
    long connect_timeout_ms;
    long timeout_ms;            /* per exchange (cut to what is left of the request's deadline); 0 = none */
    long low_speed_limit_bytes; /* CURLOPT_LOW_SPEED_LIMIT; 0 (or low_speed_time_s 0) = off */
    long low_speed_time_s;
    int (*cancel)(void *user_data); /* polled during transfers; non-zero ends one with MA_ERR_CANCELLED */
    void *cancel_user_data;
    const char *ca_file;
    int verify_tls;
    const char *user_agent;
    size_t max_response_bytes;
    const ma__clock *clock; /* for request deadlines; borrowed, outlives the transport (NULL: the system clock) */
} ma__curl_settings;

ma_status ma__curl_transport_new(const ma_allocator *alloc, const ma__curl_settings *settings, ma__transport **out,
                                 ma_error *err);

/* Runs one exchange (a batch of one). Returns x->status. */
ma_status ma__transport_send(ma__transport *t, ma__exchange *x);

#endif
