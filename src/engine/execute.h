/*
 * The execute loop every call goes through:
 *
 *   prepare -> auth applies itself -> send -> classify -> auth sees the outcome
 *           -> (retry decision) -> decode -> outcome
 *
 * Calls run as a batch on the client's transport, so a single call and a
 * parallel page walk share one path. The auth slot sends requests of its own
 * (password login) through ma__execute() with skip_auth set.
 */
#ifndef MA_ENGINE_EXECUTE_H
#define MA_ENGINE_EXECUTE_H

#include <stddef.h>
#include <stdint.h>

#include "http/request.h"
#include "http/transport.h"
#include "json/service_error.h"
#include "modelarts/ma_client.h"

typedef struct ma__call ma__call;

/* What a kind of call adds to the loop. Every member may be NULL. */
typedef struct ma__call_ops {
    /* Before each attempt: drop whatever an earlier attempt decoded. */
    void (*begin_attempt)(ma__call *call);
    /* Receives the body as it arrives; NULL buffers it in call->resp.body. */
    void (*write_body)(ma__call *call, const char *data, size_t len);
    /* End of body: what its error fields said. NULL reads call->resp.body with jansson. */
    void (*end_body)(ma__call *call, ma__service_error *svc);
    /* After classification found a success response: decode the payload. */
    ma_status (*decode)(ma__call *call, ma_error *err);
} ma__call_ops;

struct ma__call {
    ma__http_request req;   /* built by the caller before ma__execute() */
    ma__http_response resp; /* the last attempt's response */
    const ma__call_ops *ops;
    void *user;    /* the caller's (decoder state, page number) */
    int skip_auth; /* the auth slot's own requests */
    /* Outcome. */
    ma_status status;
    ma_error err;
    int attempts;
    int finished;
    /* The loop's own state. */
    ma__exchange x;
    ma__body_sink sink;
    int body_started;           /* write_body has been called in this attempt (0 during its first call) */
    int64_t attempt_started_ms; /* monotonic, for the log */
    int64_t retry_at_ms;        /* monotonic: when a delayed retry is due */
    int out_of_time;            /* a retry was wanted, but the deadline leaves no time for it */
    int server_wait_too_long;   /* a retry was wanted, but the server's Retry-After exceeds max_delay_ms */
    int renewed;                /* the auth slot renewed its credential once in this call */
    int retries_suspended;      /* a retry was wanted, but the client's retry budget could not pay for it */
    int32_t retry_cost;         /* tokens its last retry took from the budget (refunded on success) */
    uint64_t order;             /* when its batch was given it: older calls waiting go first */
    int rate_wait;              /* it waits in the batch for a token of the rate limiter (not a back-off) */
    /*
     * Every secret header value an attempt of this call sent, NUL-separated
     * (secret buffer, wiped on free). The call's error is redacted with them
     * too: the auth slot forgets a credential a 401 rejected, and the 401's
     * body may still quote it.
     */
    ma__buf sent_secrets;
};

/* Initialises a call with a request on @p client's endpoint. */
void ma__call_init(ma__call *call, ma_client *client, const char *method, const ma__call_ops *ops, void *user);
/* Frees the request, the response and the secrets sent (all wiped). */
void ma__call_free(ma__call *call);

/*
 * A batch that lives across several runs: its owner hands out calls one at a
 * time (next_call) and hears of each end (call_done: 0 to go on,
 * MA__SOURCE_PAUSE to return from ma__batch_run() with the rest still in
 * flight, anything else to stop). A parallel page walk keeps its window full
 * this way while handing pages to its caller in between.
 */
typedef struct ma__batch {
    ma_client *client;
    ma__call *(*next_call)(void *ctx); /* NULL: nothing to start now */
    int (*call_done)(void *ctx, ma__call *call);
    void *ctx;
    ma__call *again[MA__TRANSPORT_MAX_CONCURRENCY]; /* calls to send once more (renewal) */
    size_t again_count;
    /* Calls waiting for their retry time; new calls are not started while it is half full. */
    ma__call *waiting[2 * MA__TRANSPORT_MAX_CONCURRENCY];
    size_t waiting_count;
    /* On a caller's event loop: calls waiting for the auth slot's own request (a login), and that request. */
    ma__call *held[2 * MA__TRANSPORT_MAX_CONCURRENCY];
    size_t held_count;
    ma__call *auth_call;
    uint64_t calls_given; /* calls next_call handed out so far */
    int paused_out;       /* the last run returned because call_done paused */
    int stopping;
    int pausing;
    int in_order; /* results are consumed in start order: read bodies oldest first */
} ma__batch;

void ma__batch_init(ma__batch *b, ma_client *client, ma__call *(*next_call)(void *ctx),
                    int (*call_done)(void *ctx, ma__call *call), void *ctx);
/*
 * Runs until nothing is left to start or in flight, or call_done pauses or
 * stops; with @p no_wait, only starts what can start and hands over what has
 * finished. MA_OK unless the batch itself could not run (then @p err says why).
 */
ma_status ma__batch_run(ma__batch *b, size_t concurrency, int no_wait, ma_error *err);
/* Milliseconds (client clock) until a call of @p b waiting for its time is due, 0 for now, -1 when none waits. */
int64_t ma__batch_wait_ms(ma__batch *b);
/* Drops the calls this paused batch left in flight (their owner frees them); other batches' stay. */
void ma__batch_abandon(ma__batch *b);

/*
 * Runs @p calls with up to @p concurrency in flight. Each ends with its own
 * status and err (redacted, naming method and URL on failure). With
 * @p stop_on_failure the first failed call stops the rest; those not finished
 * keep status MA_ERR_TRANSPORT, "the request was not sent". Returns MA_OK
 * when every call ran, else the status that stopped the batch.
 */
ma_status ma__execute(ma_client *client, ma__call *const *calls, size_t count, size_t concurrency, int stop_on_failure);

/* ma__execute() of one call; returns its status and copies its err into @p err. */
ma_status ma__execute_one(ma_client *client, ma__call *call, ma_error *err);

#endif
