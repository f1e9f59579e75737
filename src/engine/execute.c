#include <string.h>

#include "engine/execute.h"
#include "internal/alloc.h"
#include "internal/client.h"
#include "internal/error.h"
#include "json/classify.h"

void ma__call_init(ma__call *call, ma_client *client, const char *method, const ma__call_ops *ops, void *user)
{
    static const ma__call_ops no_ops = {NULL, NULL, NULL, NULL};
    memset(call, 0, sizeof *call);
    ma__request_init(&call->req, &client->alloc, method, &client->endpoint);
    ma__http_response_init(&call->resp, &client->alloc);
    call->ops = ops ? ops : &no_ops;
    call->user = user;
    call->status = MA_ERR_TRANSPORT;
    ma_error_clear(&call->err);
    ma__error_set(&call->err, MA_ERR_TRANSPORT, "the request was not sent");
    /* One budget for the whole call, every attempt included. */
    if (client->timeout_ms > 0)
        call->req.deadline_ms = client->clock.monotonic_ms(client->clock.ctx) + client->timeout_ms;
}

void ma__call_free(ma__call *call)
{
    ma__request_free(&call->req);
    ma__http_response_free(&call->resp);
}

static void sink_write(void *ctx, const char *data, size_t len)
{
    ma__call *call = ctx;
    call->ops->write_body(call, data, len);
    call->body_started = 1;
}

static ma__auth_context auth_context(ma_client *client)
{
    ma__auth_context ctx = {&client->clock, client};
    return ctx;
}

/* Step 1 and 2: a fresh attempt, decorated by the auth slot. */
static ma_status prepare_attempt(ma_client *client, ma__call *call)
{
    ma__headers_clear(&call->req.attempt_headers);
    ma__http_response_free(&call->resp);
    ma__http_response_init(&call->resp, &client->alloc);
    ma_error_clear(&call->err);
    call->body_started = 0;
    call->attempts++;
    if (call->ops->begin_attempt)
        call->ops->begin_attempt(call);
    if (call->req.deadline_ms > 0 && client->clock.monotonic_ms(client->clock.ctx) >= call->req.deadline_ms)
        return ma__error_set(&call->err, MA_ERR_TIMEOUT, "the call's deadline passed before attempt %d",
                             call->attempts);
    if (!call->skip_auth) {
        ma__auth_context ctx = auth_context(client);
        ma_status st = client->auth->vtable->apply(client->auth, &ctx, &call->req, &call->err);
        if (st != MA_OK)
            return st;
    }
    call->sink.write = sink_write;
    call->sink.ctx = call;
    call->x.req = &call->req;
    call->x.resp = &call->resp;
    call->x.sink = call->ops->write_body ? &call->sink : NULL;
    call->x.status = MA_ERR_TRANSPORT;
    ma_error_clear(&call->x.err);
    call->x.user = call;
    return MA_OK;
}

/* Generated messages for HTTP failures say which request failed; the service's own text is kept as sent. */
static void name_the_request(ma_client *client, ma__call *call, const ma__service_error *svc)
{
    if (svc->message[0])
        return;
    ma__buf url;
    ma__buf_init(&url, &client->alloc);
    if (ma__request_render_url(&call->req, &url) == 0) {
        char detail[MA_ERROR_MESSAGE_SIZE];
        memcpy(detail, call->err.message, sizeof detail);
        ma_status st = call->err.status;
        ma__error_set(&call->err, st, "%s %s: %s", call->req.method, url.data, detail);
    }
    ma__buf_free(&url);
}

/* Step 4: what the response means, before anything decodes its payload. */
static ma_status classify(ma_client *client, ma__call *call, int64_t now)
{
    ma__service_error svc;
    if (call->ops->end_body)
        call->ops->end_body(call, &svc);
    else
        ma__service_error_from_json(call->resp.body.data, call->resp.body.len, &svc);
    ma_status st = ma__classify_response(&call->resp, &svc, now, &call->err);
    if (st != MA_OK)
        name_the_request(client, call, &svc);
    return st;
}

static void finish(ma__batch *b, ma__call *call, ma_status st)
{
    call->finished = 1;
    call->status = st;
    call->err.status = st;
    if (st != MA_OK) {
        ma__auth_redact_error(b->client->auth, &call->err);
    } else {
        /* A success keeps what classification recorded: HTTP status, request id. */
        call->err.message[0] = '\0';
        call->err.service_code[0] = '\0';
    }
}

static ma__exchange *batch_next(void *ctx)
{
    ma__batch *b = ctx;
    while (!b->stopping && !b->pausing) {
        ma__call *call = b->again_count > 0 ? b->again[--b->again_count] : b->next_call(b->ctx);
        if (!call)
            return NULL;
        ma_status st = prepare_attempt(b->client, call);
        if (st == MA_OK)
            return &call->x;
        /* Failed before it was sent: it ends here; its owner still decides what that means. */
        finish(b, call, st);
        int verdict = b->call_done(b->ctx, call);
        if (verdict == MA__SOURCE_PAUSE)
            b->pausing = 1;
        else if (verdict != 0)
            b->stopping = 1;
    }
    return NULL;
}

static int batch_done(void *ctx, ma__exchange *x)
{
    ma__batch *b = ctx;
    ma_client *client = b->client;
    ma__call *call = x->user;
    int64_t now = client->clock.epoch_ms(client->clock.ctx);
    ma_status st = x->status;
    if (st != MA_OK) {
        /* The transport's message names the request; keep whatever headers arrived (request id). */
        call->err = x->err;
        call->err.http_status = call->resp.status;
        ma__error_take_headers(&call->err, &call->resp.headers, now);
    } else {
        st = classify(client, call, now);
    }

    /* Step 5: the auth slot sees the outcome; a renewal earns exactly one more attempt. */
    if (!call->skip_auth && client->auth->vtable->on_response) {
        ma__auth_context actx = auth_context(client);
        ma__auth_verdict v = client->auth->vtable->on_response(client->auth, &actx, st, &call->resp);
        if (v == MA__AUTH_RENEW_AND_RETRY && call->attempts < 2 && b->again_count < MA__TRANSPORT_MAX_CONCURRENCY) {
            b->again[b->again_count++] = call;
            return b->stopping ? 1 : 0;
        }
    }

    /*
     * Step 6, the retry decision, goes here: whether st is retryable, the
     * attempt budget, Retry-After, and a sleep through client->clock before
     * the call is queued in b->again. Step 6b, a log hook, sees the request
     * (secret headers masked) and the outcome here too.
     */

    /* Step 7: decode the payload of a success response. */
    if (st == MA_OK && call->ops->decode)
        st = call->ops->decode(call, &call->err);
    finish(b, call, st);
    int verdict = b->call_done(b->ctx, call);
    if (b->stopping || (verdict != 0 && verdict != MA__SOURCE_PAUSE))
        return 1;
    if (b->pausing || verdict == MA__SOURCE_PAUSE) {
        b->pausing = 0;
        return MA__SOURCE_PAUSE;
    }
    return 0;
}

void ma__batch_init(ma__batch *b, ma_client *client, ma__call *(*next_call)(void *ctx),
                    int (*call_done)(void *ctx, ma__call *call), void *ctx)
{
    memset(b, 0, sizeof *b);
    b->client = client;
    b->next_call = next_call;
    b->call_done = call_done;
    b->ctx = ctx;
}

ma_status ma__batch_run(ma__batch *b, size_t concurrency, int no_wait, ma_error *err)
{
    if (concurrency < 1)
        concurrency = 1;
    if (concurrency > MA__TRANSPORT_MAX_CONCURRENCY)
        concurrency = MA__TRANSPORT_MAX_CONCURRENCY;
    b->pausing = 0;
    ma__exchange_source source = {batch_next, batch_done, b, no_wait, b->in_order};
    ma_error_clear(err);
    return b->client->transport->vtable->run(b->client->transport, &source, concurrency, err);
}

void ma__batch_abandon(ma__batch *b)
{
    b->client->transport->vtable->abandon(b->client->transport);
    b->again_count = 0;
}

/* ma__execute() over an array: the calls in order, optionally stopping at the first failure. */
typedef struct call_array {
    ma__call *const *calls;
    size_t count, next;
    int stop_on_failure;
    ma_status stop_status;
} call_array;

static ma__call *array_next(void *ctx)
{
    call_array *a = ctx;
    return a->next < a->count ? a->calls[a->next++] : NULL;
}

static int array_done(void *ctx, ma__call *call)
{
    call_array *a = ctx;
    if (call->status == MA_OK || !a->stop_on_failure)
        return 0;
    if (a->stop_status == MA_OK)
        a->stop_status = call->status;
    return 1;
}

ma_status ma__execute(ma_client *client, ma__call *const *calls, size_t count, size_t concurrency, int stop_on_failure)
{
    call_array a = {calls, count, 0, stop_on_failure, MA_OK};
    ma__batch b;
    ma__batch_init(&b, client, array_next, array_done, &a);
    ma_error run_err;
    ma_status st = ma__batch_run(&b, concurrency, 0, &run_err);
    if (st != MA_OK) {
        /* The batch itself failed (out of memory): every call not finished says so. */
        for (size_t i = 0; i < count; i++)
            if (!calls[i]->finished) {
                calls[i]->status = st;
                calls[i]->err = run_err;
                calls[i]->err.status = st;
            }
        return st;
    }
    return a.stop_status;
}

ma_status ma__execute_one(ma_client *client, ma__call *call, ma_error *err)
{
    ma__call *calls[1] = {call};
    (void)ma__execute(client, calls, 1, 1, 0);
    if (err)
        *err = call->err;
    return call->status;
}
