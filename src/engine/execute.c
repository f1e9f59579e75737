#include <string.h>

#include "engine/execute.h"
#include "engine/log.h"
#include "engine/retry.h"
#include "util/alloc.h"
#include "engine/runtime.h"
#include "util/error.h"
#include "json/classify.h"

void ma__call_init(ma__call *call, ma_client *client, const char *method, const ma__call_ops *ops, void *user)
{
    static const ma__call_ops no_ops = {NULL, NULL, NULL, NULL};
    memset(call, 0, sizeof *call);
    ma__request_init(&call->req, &ma__runtime_of(client)->alloc, method, &ma__runtime_of(client)->endpoint);
    ma__http_response_init(&call->resp, &ma__runtime_of(client)->alloc);
    ma__buf_init_secret(&call->sent_secrets, &ma__runtime_of(client)->alloc);
    call->ops = ops ? ops : &no_ops;
    call->user = user;
    call->status = MA_ERR_TRANSPORT;
    ma_error_clear(&call->err);
    ma__error_set(&call->err, MA_ERR_TRANSPORT, "the request was not sent");
    /* One budget for the whole call, every attempt and every wait included. */
    if (ma__runtime_of(client)->total_timeout_ms > 0) {
        call->req.deadline_ms =
            ma__retry_add_ms(ma__runtime_of(client)->clock.monotonic_ms(ma__runtime_of(client)->clock.ctx),
                             ma__runtime_of(client)->total_timeout_ms);
        call->req.deadline_name = "total_timeout_ms";
    }
}

void ma__call_free(ma__call *call)
{
    ma__request_free(&call->req);
    ma__http_response_free(&call->resp);
    ma__buf_free(&call->sent_secrets);
}

static int was_sent(const ma__call *call, const char *value, size_t len)
{
    const ma__buf *b = &call->sent_secrets;
    for (size_t at = 0; at < b->len; at += strlen(b->data + at) + 1)
        if (strlen(b->data + at) == len && memcmp(b->data + at, value, len) == 0)
            return 1;
    return 0;
}

/* Keeps a copy of each secret header value of this attempt, once. Returns 0 or -1 (out of memory). */
static int remember_secrets(ma__call *call)
{
    const ma__header_list *parts[2] = {&call->req.headers, &call->req.attempt_headers};
    for (size_t p = 0; p < 2; p++)
        for (size_t i = 0; i < parts[p]->count; i++) {
            const ma__header *h = &parts[p]->items[i];
            size_t len = h->secret ? strlen(h->value) : 0;
            if (len == 0 || was_sent(call, h->value, len))
                continue;
            if (ma__buf_append(&call->sent_secrets, h->value, len + 1) != 0)
                return -1;
        }
    return 0;
}

/* The auth slot's secrets as it holds them now, and every one this call sent, whatever became of it since. */
static void redact_error(const ma_client *client, const ma__call *call, ma_error *err)
{
    ma__auth_redact_error(ma__runtime_of_const(client)->auth, err);
    const ma__buf *b = &call->sent_secrets;
    for (size_t at = 0; at < b->len; at += strlen(b->data + at) + 1) {
        size_t len = strlen(b->data + at);
        ma__redact_secret(err->message, b->data + at, len);
        ma__redact_secret(err->service_code, b->data + at, len);
        ma__redact_secret(err->request_id, b->data + at, len);
    }
}

static void sink_write(void *ctx, const char *data, size_t len)
{
    ma__call *call = ctx;
    call->ops->write_body(call, data, len);
    call->body_started = 1;
}

static ma__auth_context auth_context(ma_client *client)
{
    ma__auth_context ctx = {&ma__runtime_of(client)->clock, client};
    return ctx;
}

/* A renewal's extra attempt comes on top of the policy's. */
static int max_attempts(const ma_client *client, const ma__call *call)
{
    int n = ma__runtime_of_const(client)->retry.max_attempts;
    return call->attempts > n ? call->attempts : n;
}

/* Step 1 and 2: a fresh attempt, decorated by the auth slot. */
static ma_status prepare_attempt(ma_client *client, ma__call *call)
{
    ma__headers_clear(&call->req.attempt_headers);
    ma__http_response_free(&call->resp);
    ma__http_response_init(&call->resp, &ma__runtime_of(client)->alloc);
    ma_error_clear(&call->err);
    call->body_started = 0;
    call->attempts++;
    if (call->ops->begin_attempt)
        call->ops->begin_attempt(call);
    call->attempt_started_ms = ma__runtime_of(client)->clock.monotonic_ms(ma__runtime_of(client)->clock.ctx);
    if (call->req.deadline_ms > 0 && call->attempt_started_ms >= call->req.deadline_ms)
        return ma__error_set(&call->err, MA_ERR_TIMEOUT, "the deadline (%s) passed before attempt %d",
                             call->req.deadline_name ? call->req.deadline_name : "deadline_ms", call->attempts);
    if (ma__runtime_of(client)->cancel && ma__runtime_of(client)->cancel(ma__runtime_of(client)->cancel_user_data) != 0)
        return ma__error_set(&call->err, MA_ERR_CANCELLED, "cancelled by the cancel hook before attempt %d",
                             call->attempts);
    if (!call->skip_auth) {
        ma__auth_context ctx = auth_context(client);
        ma_status st =
            ma__runtime_of(client)->auth->vtable->apply(ma__runtime_of(client)->auth, &ctx, &call->req, &call->err);
        if (st != MA_OK)
            return st;
    }
    if (remember_secrets(call) != 0)
        return ma__error_set(&call->err, MA_ERR_NOMEM, "out of memory before attempt %d", call->attempts);
    call->sink.write = sink_write;
    call->sink.ctx = call;
    call->x.req = &call->req;
    call->x.resp = &call->resp;
    call->x.sink = call->ops->write_body ? &call->sink : NULL;
    call->x.status = MA_ERR_TRANSPORT;
    call->x.retryable = 0;
    ma_error_clear(&call->x.err);
    call->x.user = call;
    ma__log_request(client, call, max_attempts(client, call));
    return MA_OK;
}

/* Generated messages for HTTP failures say which request failed; the service's own text is kept as sent. */
static void name_the_request(ma_client *client, ma__call *call, const ma__service_error *svc)
{
    if (svc->message[0])
        return;
    ma__buf url;
    ma__buf_init(&url, &ma__runtime_of(client)->alloc);
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

/* A failure after retries says which attempt it was, and why no further one followed. */
static void name_the_attempt(ma_client *client, ma__call *call)
{
    if (call->attempts < 2 && !call->out_of_time && !call->server_wait_too_long && !call->retries_suspended)
        return;
    char detail[MA_ERROR_MESSAGE_SIZE];
    memcpy(detail, call->err.message, sizeof detail);
    if (call->retries_suspended)
        ma__error_set(&call->err, call->err.status,
                      "%s (attempt %d of %d; retries suspended: many recent requests of this client failed, so its "
                      "retry budget is empty; it refills as requests succeed)",
                      detail, call->attempts, max_attempts(client, call));
    else if (call->server_wait_too_long)
        ma__error_set(&call->err, call->err.status,
                      "%s (attempt %d of %d; the server asks to wait %lld ms, more than retry.max_delay_ms %ld)",
                      detail, call->attempts, max_attempts(client, call), (long long)call->err.retry_after_ms,
                      ma__runtime_of(client)->retry.max_delay_ms);
    else
        ma__error_set(&call->err, call->err.status, "%s (attempt %d of %d%s)", detail, call->attempts,
                      max_attempts(client, call),
                      call->out_of_time ? "; no time left for another before the deadline" : "");
}

static void finish(ma__batch *b, ma__call *call, ma_status st)
{
    call->finished = 1;
    call->status = st;
    call->err.status = st;
    call->err.attempts = call->attempts;
    call->err.retries_suspended = call->retries_suspended;
    if (st != MA_OK) {
        name_the_attempt(b->client, call);
        redact_error(b->client, call, &call->err);
        if (ma__log_enabled(b->client, MA_LOG_ERROR)) {
            char line[MA__LOG_LINE_MAX];
            ma__log_request_line(b->client, call, line, sizeof line);
            ma__log(b->client, MA_LOG_ERROR, "%s failed: %s: %s", line, ma_status_name(st), call->err.message);
        }
    } else {
        /* A success keeps what classification recorded: HTTP status, request id. */
        call->err.message[0] = '\0';
        call->err.service_code[0] = '\0';
    }
}

/*
 * The oldest waiting call that is due at @p now (the first the batch was
 * given), removed from the list. Oldest, not due first: calls parked for the
 * rate limiter fall due together, and a walk reads its pages in order, so the
 * page it needs next must not lose every such tie.
 */
static ma__call *take_due(ma__batch *b, int64_t now)
{
    size_t best = b->waiting_count;
    for (size_t i = 0; i < b->waiting_count; i++)
        if (b->waiting[i]->retry_at_ms <= now &&
            (best == b->waiting_count || b->waiting[i]->order < b->waiting[best]->order))
            best = i;
    if (best == b->waiting_count)
        return NULL;
    ma__call *call = b->waiting[best];
    memmove(&b->waiting[best], &b->waiting[best + 1], (b->waiting_count - best - 1) * sizeof b->waiting[0]);
    b->waiting_count--;
    return call;
}

/* Whether calls of this client wait for credentials without blocking: on a caller's event loop. */
static int auth_without_blocking(const ma_client *client)
{
    const ma__runtime *rt = ma__runtime_of_const(client);
    return rt->events && rt->auth->vtable->prepare_call;
}

static ma__call *next_to_send(ma__batch *b)
{
    if (b->again_count > 0)
        return b->again[--b->again_count];
    /* Calls held for the credential go again once nothing is out for it (they ask the slot anew). */
    if (b->held_count > 0 && !b->auth_call &&
        !ma__runtime_of(b->client)->auth->vtable->call_out(ma__runtime_of(b->client)->auth))
        return b->held[--b->held_count];
    ma__call *due =
        b->waiting_count > 0
            ? take_due(b, ma__runtime_of(b->client)->clock.monotonic_ms(ma__runtime_of(b->client)->clock.ctx))
            : NULL;
    if (due)
        return due;
    /* Retries waiting take room: new calls wait while the list is half full. */
    ma__call *fresh = b->waiting_count < MA__TRANSPORT_MAX_CONCURRENCY ? b->next_call(b->ctx) : NULL;
    if (fresh)
        fresh->order = ++b->calls_given;
    return fresh;
}

/* Longest single sleep of a back-off while a cancel hook is set: a cancel ends the wait within this. */
#define CANCEL_POLL_MS 50

/*
 * Sleeps until @p until (monotonic). With a cancel hook the wait is cut into
 * short slices and the hook polled between them, since nothing else polls it
 * while no transfer runs; stops early when it says so.
 */
static void back_off(ma_client *client, int64_t until)
{
    ma__clock *clock = &ma__runtime_of(client)->clock;
    int64_t left = until - clock->monotonic_ms(clock->ctx);
    if (!ma__runtime_of(client)->cancel) {
        clock->sleep_ms(clock->ctx, left);
        return;
    }
    while (left > 0 && ma__runtime_of(client)->cancel(ma__runtime_of(client)->cancel_user_data) == 0) {
        clock->sleep_ms(clock->ctx, left < CANCEL_POLL_MS ? left : CANCEL_POLL_MS);
        left = until - clock->monotonic_ms(clock->ctx);
    }
}

/*
 * The transport asks how long until a waiting retry is due. Idle (nothing in
 * flight), the batch sleeps through the client's clock itself, so a test
 * clock never really waits, and the earliest call is then due whatever that
 * clock says; after a cancel it is due at once, and its next attempt ends
 * with MA_ERR_CANCELLED before it is sent.
 */
static int64_t batch_wait(void *ctx, int idle)
{
    ma__batch *b = ctx;
    if (b->stopping || b->pausing || b->waiting_count == 0)
        return -1;
    ma__clock *clock = &ma__runtime_of(b->client)->clock;
    int64_t now = clock->monotonic_ms(clock->ctx);
    size_t first = 0;
    for (size_t i = 1; i < b->waiting_count; i++)
        if (b->waiting[i]->retry_at_ms < b->waiting[first]->retry_at_ms)
            first = i;
    int64_t left = b->waiting[first]->retry_at_ms - now;
    if (left <= 0)
        return 0;
    if (!idle)
        return left;
    back_off(b->client, b->waiting[first]->retry_at_ms);
    b->waiting[first]->retry_at_ms = INT64_MIN;
    return 0;
}

/*
 * On a caller's event loop the auth slot never sends a request of its own
 * from apply(): a call that needs a login first is held, and the login is
 * sent in its place. Returns the call to send now (the call, or the slot's
 * request), or NULL when the call was held or has failed (then *failed).
 */
static ma__call *credential_first(ma__batch *b, ma__call *call, ma_status *failed)
{
    *failed = MA_OK;
    if (call->skip_auth || !auth_without_blocking(b->client))
        return call;
    ma__auth *auth = ma__runtime_of(b->client)->auth;
    ma__auth_context actx = auth_context(b->client);
    ma__call *own = NULL;
    int wait = 0;
    ma_error_clear(&call->err);
    ma_status st = auth->vtable->prepare_call(auth, &actx, &own, &wait, &call->err);
    if (st != MA_OK) {
        *failed = st;
        return NULL;
    }
    if (!own && !wait)
        return call;
    if (b->held_count == sizeof b->held / sizeof b->held[0]) {
        *failed = ma__error_set(&call->err, MA_ERR_TRANSPORT, "too many requests waiting for credentials");
        if (own) {
            own->status = MA_ERR_CANCELLED;
            (void)auth->vtable->call_ended(auth, &actx, own, NULL);
        }
        return NULL;
    }
    b->held[b->held_count++] = call;
    if (!own)
        return NULL; /* another batch's request is out: this one waits for it */
    b->auth_call = own;
    return own;
}

/*
 * The slot's own request ended: it learns the outcome; the calls held for it
 * go again, or fail with its failure (said as the login's, redacted).
 */
static int auth_call_ended(ma__batch *b, ma__call *own)
{
    ma__auth *auth = ma__runtime_of(b->client)->auth;
    ma__auth_context actx = auth_context(b->client);
    b->auth_call = NULL;
    ma_error err;
    ma_error_clear(&err);
    ma_status st = auth->vtable->call_ended(auth, &actx, own, &err);
    if (st == MA_OK)
        return 0; /* next_to_send() releases the held calls */
    int verdict = 0;
    while (b->held_count > 0 && verdict == 0) {
        ma__call *call = b->held[--b->held_count];
        call->err = err;
        finish(b, call, st);
        verdict = b->call_done(b->ctx, call);
    }
    return verdict;
}

/* A call that ended before it was sent, or after its last attempt: its owner (or the auth slot) hears of it. */
static int end_call(ma__batch *b, ma__call *call, ma_status st)
{
    if (call == b->auth_call) {
        call->finished = 1;
        call->status = st;
        call->err.status = st;
        call->err.attempts = call->attempts;
        return auth_call_ended(b, call);
    }
    finish(b, call, st);
    return b->call_done(b->ctx, call);
}

/*
 * The client-side rate limiter: a request to the service without a token
 * waits for one among the calls waiting for their time (the same wait a
 * retry's back-off takes: a sleep through the clock when the batch is idle,
 * a timer on a caller's event loop). 1 when @p call was put to wait.
 */
static int must_wait_for_rate(ma__batch *b, ma__call *call)
{
    if (call->skip_auth || b->waiting_count == sizeof b->waiting / sizeof b->waiting[0])
        return 0;
    ma__runtime *rt = ma__runtime_of(b->client);
    int64_t now = rt->clock.monotonic_ms(rt->clock.ctx);
    int64_t wait = ma__rate_limiter_acquire(&rt->limiter, now);
    /*
     * INT64_MIN after a rate wait: the batch slept for its token already (batch_wait), so it goes,
     * whatever a clock that did not move says. After a retry's back-off it still needs a token.
     */
    int slept_for_token = call->retry_at_ms == INT64_MIN && call->rate_wait;
    call->rate_wait = 0;
    if (wait <= 0 || slept_for_token)
        return 0;
    call->rate_wait = 1;
    call->retry_at_ms = ma__retry_add_ms(now, wait);
    b->waiting[b->waiting_count++] = call;
    return 1;
}

static ma__exchange *batch_next(void *ctx)
{
    ma__batch *b = ctx;
    while (!b->stopping && !b->pausing) {
        ma__call *call = next_to_send(b);
        if (!call)
            return NULL;
        ma_status st = MA_OK;
        ma__call *send = credential_first(b, call, &st);
        if (!send && st == MA_OK)
            continue;
        if (send && must_wait_for_rate(b, send))
            continue;
        if (send) {
            call = send;
            st = prepare_attempt(b->client, call);
            if (st == MA_OK)
                return &call->x;
        }
        /* Failed before it was sent: it ends here; its owner still decides what that means. */
        int verdict = end_call(b, call, st);
        if (verdict == MA__SOURCE_PAUSE)
            b->pausing = 1;
        else if (verdict != 0)
            b->stopping = 1;
    }
    return NULL;
}

/* Step 6b: every attempt's outcome, with its time, protocol and request id (never a body). */
static void log_outcome(ma_client *client, ma__call *call, ma_status st)
{
    if (!ma__log_enabled(client, MA_LOG_INFO))
        return;
    char line[MA__LOG_LINE_MAX];
    ma__log_request_line(client, call, line, sizeof line);
    long long ms = (long long)(ma__runtime_of(client)->clock.monotonic_ms(ma__runtime_of(client)->clock.ctx) -
                               call->attempt_started_ms);
    const char *rid = call->err.request_id[0] ? call->err.request_id : "-";
    const char *version = call->resp.http_version;
    if (call->resp.status > 0)
        ma__log(client, MA_LOG_INFO, "< %s: HTTP %d %s in %lld ms%s%s (attempt %d of %d, request id %s)", line,
                call->resp.status, ma_status_name(st), ms, version ? " over " : "", version ? version : "",
                call->attempts, max_attempts(client, call), rid);
    else
        ma__log(client, MA_LOG_INFO, "< %s: no response, %s in %lld ms (attempt %d of %d): %s", line,
                ma_status_name(st), ms, call->attempts, max_attempts(client, call), call->err.message);
}

static int batch_done(void *ctx, ma__exchange *x)
{
    ma__batch *b = ctx;
    ma_client *client = b->client;
    ma__call *call = x->user;
    int64_t now = ma__runtime_of(client)->clock.epoch_ms(ma__runtime_of(client)->clock.ctx);
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
    if (!call->skip_auth && ma__runtime_of(client)->auth->vtable->on_response) {
        ma__auth_context actx = auth_context(client);
        ma__auth_verdict v =
            ma__runtime_of(client)->auth->vtable->on_response(ma__runtime_of(client)->auth, &actx, st, &call->resp);
        if (v == MA__AUTH_RENEW_AND_RETRY && !call->renewed && b->again_count < MA__TRANSPORT_MAX_CONCURRENCY) {
            call->renewed = 1;
            b->again[b->again_count++] = call;
            return b->stopping ? 1 : 0;
        }
    }

    log_outcome(client, call, st);

    /* Every answer of the service teaches the rate limiter; IAM's and the metadata service's do not. */
    ma__runtime *rt = ma__runtime_of(client);
    int throttled = st != MA_OK && call->err.throttled;
    if (!call->skip_auth && call->resp.status > 0) {
        int64_t now_ms = rt->clock.monotonic_ms(rt->clock.ctx);
        ma__rate_limiter_on_response(&rt->limiter, throttled, now_ms);
        if (throttled && call->err.throttle_limit > 0 && call->err.throttle_window_ms > 0)
            ma__rate_limiter_on_stated_limit(
                &rt->limiter, (double)call->err.throttle_limit * 1000.0 / (double)call->err.throttle_window_ms, now_ms);
        if (throttled)
            rt->throttled_responses++;
    }

    /*
     * Step 6: a retry waits for its time in b->waiting, while other calls go on (batch_wait).
     * When the transport failed, a status line that did arrive (a 503 cut off or stalled after
     * it) does not make the attempt retryable: only the transport knows whether sending again is safe.
     */
    int answered_status = x->status == MA_OK ? call->resp.status : 0;
    /* A throttling code is worth repeating whatever status carried it (ModelArts.4206 comes with a 400). */
    int retryable = ma__retry_is_retryable(st, answered_status, x->retryable) ||
                    (throttled && answered_status != 401 && answered_status != 403);
    if (retryable && call->attempts < rt->retry.max_attempts &&
        b->waiting_count < sizeof b->waiting / sizeof b->waiting[0]) {
        int64_t delay =
            throttled ? ma__retry_throttled_delay_ms(&rt->retry, &rt->random, call->attempts, call->err.retry_after_ms,
                                                     call->err.throttle_limit, call->err.throttle_window_ms)
                      : ma__retry_delay_ms(&rt->retry, &rt->random, call->attempts, call->err.retry_after_ms);
        int64_t mono = ma__runtime_of(client)->clock.monotonic_ms(ma__runtime_of(client)->clock.ctx);
        int64_t due = ma__retry_add_ms(mono, delay);
        if (delay < 0) {
            /* The caller decides about a wait the policy does not allow: err.retry_after_ms says how long. */
            call->server_wait_too_long = 1;
        } else if (call->req.deadline_ms > 0 && due >= call->req.deadline_ms) {
            call->out_of_time = 1;
        } else if ((call->retry_cost = ma__retry_budget_take(&rt->budget, throttled)) < 0) {
            /* Many recent requests failed: no retry storm on a service that is down. */
            call->retry_cost = 0;
            call->retries_suspended = 1;
        } else {
            if (ma__log_enabled(client, MA_LOG_WARN)) {
                char line[MA__LOG_LINE_MAX];
                ma__log_request_line(client, call, line, sizeof line);
                ma__log(client, MA_LOG_WARN, "%s: %s; retrying in %lld ms (attempt %d of %d next)", line,
                        ma_status_name(st), (long long)delay, call->attempts + 1, max_attempts(client, call));
            }
            call->retry_at_ms = due;
            b->waiting[b->waiting_count++] = call;
            return b->stopping ? 1 : 0;
        }
    }

    /* Step 7: decode the payload of a success response. */
    if (st == MA_OK && call->ops->decode)
        st = call->ops->decode(call, &call->err);
    if (st == MA_OK)
        ma__retry_budget_on_success(&rt->budget, call->retry_cost);
    int verdict = end_call(b, call, st);
    if (b->stopping || (verdict != 0 && verdict != MA__SOURCE_PAUSE))
        return 1;
    if (b->pausing || verdict == MA__SOURCE_PAUSE) {
        b->pausing = 0;
        b->paused_out = 1;
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
    ma__exchange_source source = {batch_next, batch_done, b, no_wait, b->in_order, batch_wait};
    ma_error_clear(err);
    for (;;) {
        b->pausing = 0;
        b->paused_out = 0;
        ma_status st = ma__runtime_of(b->client)->transport->vtable->run(ma__runtime_of(b->client)->transport, &source,
                                                                         concurrency, err);
        /* A transport that does not ask batch_wait() leaves retries waiting: run again once they are due. */
        if (st != MA_OK || no_wait || b->paused_out || b->stopping || batch_wait(b, 1) < 0)
            return st;
    }
}

int64_t ma__batch_wait_ms(ma__batch *b)
{
    return batch_wait(b, 0);
}

void ma__batch_abandon(ma__batch *b)
{
    /* The batch is its runs' source ctx: only its own exchanges go, other batches of the client keep theirs. */
    ma__runtime_of(b->client)->transport->vtable->abandon(ma__runtime_of(b->client)->transport, b);
    b->again_count = 0;
    b->waiting_count = 0;
    b->held_count = 0;
    if (b->auth_call) {
        /* The slot's request goes with the batch: the slot must not wait for it. */
        ma__auth *auth = ma__runtime_of(b->client)->auth;
        ma__auth_context actx = auth_context(b->client);
        b->auth_call->status = MA_ERR_CANCELLED;
        (void)auth->vtable->call_ended(auth, &actx, b->auth_call, NULL);
        b->auth_call = NULL;
    }
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
