/*
 * Temporary keys of the instance's agency from the ECS/CCE metadata service.
 * A session token (PUT /meta-data/latest/api/token) is asked for first; a 404
 * or 405 means the service offers none and the keys are fetched without it.
 * The keys (GET /openstack/latest/securitykey) sign requests through an inner
 * AK/SK authenticator that is rebuilt on every refresh. Each metadata call
 * is an engine call with skip_auth and a short deadline of its own.
 */
#include <string.h>

#include "auth/metadata_auth.h"
#include "engine/execute.h"
#include "util/alloc.h"
#include "engine/runtime.h"
#include "util/error.h"
#include "json/metadata.h"

/* The Huawei Cloud SDKs refresh 40 minutes ahead; keys that live shorter are refreshed at half their life. */
#define REFRESH_AHEAD_MS    (40LL * 60 * 1000)
#define METADATA_TIMEOUT_MS 3000
#define SESSION_TTL_SECONDS "21600"
#define NO_AGENCY_TEXT      "Please configure Cloud Service Agency first"

typedef struct metadata_auth {
    ma__auth base;
    ma_allocator alloc;
    ma__endpoint ep;
    char *project_id;
    char *session; /* secret; NULL when none is held */
    size_t session_len;
    int no_session;  /* the service offers no session tokens */
    ma__auth *inner; /* AK/SK signing with the current keys; NULL before the first fetch */
    ma__metadata_keys keys;
    int64_t refresh_at_ms; /* epoch */
    ma__call *out;         /* the request sent for an event loop, until it ends */
    int out_is_session;    /* ... and whether it asks for a session token (else for keys) */
    int session_renewed;   /* a key request's 401 already cost the session token once */
} metadata_auth;

static void drop_session(metadata_auth *m)
{
    ma__free_secret(&m->alloc, m->session);
    m->session = NULL;
    m->session_len = 0;
}

static void drop_keys(metadata_auth *m)
{
    if (m->inner)
        m->inner->vtable->destroy(m->inner);
    m->inner = NULL;
    ma__metadata_keys_clear(&m->alloc, &m->keys);
    m->refresh_at_ms = 0;
}

static int init_call(metadata_auth *m, ma_client *client, ma__call *call, const char *method, const char *a,
                     const char *b, const char *c)
{
    ma__call_init(call, client, method, NULL, NULL);
    call->req.endpoint = &m->ep;
    call->skip_auth = 1;
    int64_t deadline =
        ma__runtime_of(client)->clock.monotonic_ms(ma__runtime_of(client)->clock.ctx) + METADATA_TIMEOUT_MS;
    if (call->req.deadline_ms == 0 || deadline < call->req.deadline_ms) {
        call->req.deadline_ms = deadline;
        call->req.deadline_name = "the metadata service's 3 s timeout";
    }
    return ma__request_add_segment(&call->req, a) || ma__request_add_segment(&call->req, b) ||
           ma__request_add_segment(&call->req, c);
}

static ma_status metadata_failed(metadata_auth *m, ma_error *err, const char *what, const ma_error *inner)
{
    if (err) {
        char detail[MA_ERROR_MESSAGE_SIZE];
        memcpy(detail, inner->message, sizeof detail);
        *err = *inner;
        ma__error_set(err, inner->status, "metadata service (%s://%s:%u) %s failed: %s", m->ep.scheme, m->ep.host,
                      (unsigned)m->ep.port, what, detail);
    }
    return inner->status;
}

/* PUT /meta-data/latest/api/token into @p call (initialised here; the caller frees it). */
static ma_status build_session_call(metadata_auth *m, ma_client *client, ma__call *call, ma_error *err)
{
    static const char ttl[] = "X-Metadata-Token-Ttl-Seconds";
    if (init_call(m, client, call, "PUT", "meta-data", "latest", "api") ||
        ma__request_add_segment(&call->req, "token") ||
        ma__headers_add(&call->req.headers, ttl, sizeof ttl - 1, SESSION_TTL_SECONDS, sizeof SESSION_TTL_SECONDS - 1,
                        0))
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory building the metadata session request");
    return MA_OK;
}

/* What a finished session request means; 404 or 405: no session tokens here. */
static ma_status session_outcome(metadata_auth *m, ma__call *call, ma_error *err)
{
    ma_status st = call->status;
    if (st != MA_OK && (call->resp.status == 404 || call->resp.status == 405)) {
        m->no_session = 1;
        st = MA_OK;
    } else if (st != MA_OK) {
        st = metadata_failed(m, err, "session token request", &call->err);
    } else if (call->resp.body.len == 0 || call->resp.body.len > MA_TOKEN_MAX_BYTES) {
        st = ma__error_set(err, MA_ERR_PROTOCOL, "the metadata service answered an empty or oversized session token");
    } else if (!(m->session = ma__strndup(&m->alloc, call->resp.body.data, call->resp.body.len))) {
        st = ma__error_set(err, MA_ERR_NOMEM, "out of memory keeping the metadata session token");
    } else {
        m->session_len = call->resp.body.len;
    }
    if (call->resp.body.data)
        ma__secure_zero(call->resp.body.data, call->resp.body.len);
    return st;
}

static int contains(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return 1;
    return 0;
}

/* GET /openstack/latest/securitykey into @p call (initialised here; the caller frees it). */
static ma_status build_keys_call(metadata_auth *m, ma_client *client, ma__call *call, ma_error *err)
{
    static const char name[] = "X-Metadata-Token";
    if (init_call(m, client, call, "GET", "openstack", "latest", "securitykey") ||
        (m->session && ma__headers_add(&call->req.headers, name, sizeof name - 1, m->session, m->session_len, 1)))
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory building the metadata key request");
    return MA_OK;
}

/* What a finished key request means; *retry_session set on a 401 that is not about a missing agency. */
static ma_status keys_outcome(metadata_auth *m, ma__call *call, int *retry_session, ma_error *err)
{
    *retry_session = 0;
    ma_status st = call->status;
    if (st != MA_OK && call->resp.status == 401) {
        const char *body = call->resp.body.data ? call->resp.body.data : "";
        if (contains(body, call->resp.body.len, NO_AGENCY_TEXT)) {
            st = ma__error_set(err, MA_ERR_UNAUTHORIZED,
                               "this instance has no agency, so the metadata service hands out no credentials "
                               "(\"" NO_AGENCY_TEXT "\"): attach an agency to the ECS instance or CCE node, or "
                               "use other credentials");
        } else {
            *retry_session = 1;
            st = metadata_failed(m, err, "key request", &call->err);
        }
    } else if (st != MA_OK) {
        st = metadata_failed(m, err, "key request", &call->err);
    } else {
        drop_keys(m);
        st = ma__metadata_keys_parse(&m->alloc, call->resp.body.data, call->resp.body.len, &m->keys, err);
    }
    if (call->resp.body.data)
        ma__secure_zero(call->resp.body.data, call->resp.body.len);
    return st;
}

/* Runs one request of the slot's own through the engine, blocking (a client without an event loop). */
static ma_status fetch_session(metadata_auth *m, ma_client *client, ma_error *err)
{
    ma__call call;
    ma_status st = build_session_call(m, client, &call, err);
    if (st == MA_OK) {
        (void)ma__execute_one(client, &call, NULL);
        st = session_outcome(m, &call, err);
    }
    ma__call_free(&call);
    return st;
}

static ma_status fetch_keys(metadata_auth *m, ma_client *client, int *retry_session, ma_error *err)
{
    *retry_session = 0;
    ma__call call;
    ma_status st = build_keys_call(m, client, &call, err);
    if (st == MA_OK) {
        (void)ma__execute_one(client, &call, NULL);
        st = keys_outcome(m, &call, retry_session, err);
    }
    ma__call_free(&call);
    return st;
}

/* New keys fetched: the AK/SK signer that uses them, and when to fetch the next ones. */
static ma_status install_keys(metadata_auth *m, const ma__auth_context *ctx, ma_error *err)
{
    ma_status st = ma__aksk_auth_new(&m->alloc, m->keys.access, m->keys.secret, m->keys.security_token, m->project_id,
                                     &m->inner, err);
    if (st != MA_OK) {
        drop_keys(m);
        return st == MA_ERR_NOMEM ? st
                                  : ma__error_set(err, MA_ERR_PROTOCOL, "the metadata service's keys are not usable");
    }
    int64_t now = ctx->clock->epoch_ms(ctx->clock->ctx);
    int64_t life = m->keys.expires_at_ms - now;
    m->refresh_at_ms = m->keys.expires_at_ms - (life / 2 < REFRESH_AHEAD_MS ? life / 2 : REFRESH_AHEAD_MS);
    return MA_OK;
}

static ma_status refresh(metadata_auth *m, const ma__auth_context *ctx, ma_error *err)
{
    ma_client *client = ctx->client;
    ma_status st = MA_OK;
    for (int round = 0; round < 2; round++) {
        if (!m->session && !m->no_session && (st = fetch_session(m, client, err)) != MA_OK)
            return st;
        int retry_session = 0;
        st = fetch_keys(m, client, &retry_session, err);
        if (st == MA_OK || !retry_session || !m->session)
            break;
        /* The session token may have expired: one new one, once. */
        drop_session(m);
    }
    if (st != MA_OK)
        return st;
    return install_keys(m, ctx, err);
}

static int needs_refresh(const metadata_auth *m, const ma__auth_context *ctx)
{
    return !m->inner || ctx->clock->epoch_ms(ctx->clock->ctx) >= m->refresh_at_ms;
}

/* On an event loop: the session and key requests go out one at a time through the engine. */
static ma_status metadata_prepare_call(ma__auth *self, const ma__auth_context *ctx, ma__call **call, int *wait,
                                       ma_error *err)
{
    metadata_auth *m = (metadata_auth *)self;
    *call = NULL;
    *wait = m->out != NULL;
    if (*wait || !needs_refresh(m, ctx))
        return MA_OK;
    ma__call *c = ma__calloc(&m->alloc, 1, sizeof *c);
    if (!c)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory building a metadata request");
    m->out_is_session = !m->session && !m->no_session;
    ma_status st =
        m->out_is_session ? build_session_call(m, ctx->client, c, err) : build_keys_call(m, ctx->client, c, err);
    if (st != MA_OK) {
        ma__call_free(c);
        ma__free(&m->alloc, c);
        return st;
    }
    m->out = c;
    *call = c;
    return MA_OK;
}

static ma_status metadata_call_ended(ma__auth *self, const ma__auth_context *ctx, ma__call *call, ma_error *err)
{
    metadata_auth *m = (metadata_auth *)self;
    ma_error detail;
    ma_error_clear(&detail);
    ma_status st;
    if (m->out_is_session) {
        st = session_outcome(m, call, &detail);
    } else {
        int retry_session = 0;
        st = keys_outcome(m, call, &retry_session, &detail);
        if (st != MA_OK && retry_session && m->session && !m->session_renewed) {
            /* The session token may have expired: one new one, once; the held calls ask again. */
            drop_session(m);
            m->session_renewed = 1;
            st = MA_OK;
        } else if (st == MA_OK) {
            m->session_renewed = 0;
            st = install_keys(m, ctx, &detail);
        }
    }
    if (err)
        *err = detail;
    ma__call_free(call);
    ma__free(&m->alloc, call);
    m->out = NULL;
    return st;
}

static int metadata_call_out(const ma__auth *self)
{
    return ((const metadata_auth *)self)->out != NULL;
}

static ma_status metadata_apply(ma__auth *self, const ma__auth_context *ctx, ma__http_request *req, ma_error *err)
{
    metadata_auth *m = (metadata_auth *)self;
    ma_status st;
    if (needs_refresh(m, ctx) && (st = refresh(m, ctx, err)) != MA_OK)
        return st;
    return m->inner->vtable->apply(m->inner, ctx, req, err);
}

/* A 401 means the keys were rejected (expired early, rotated): fetch new ones for the one more attempt. */
static ma__auth_verdict metadata_on_response(ma__auth *self, const ma__auth_context *ctx, ma_status status,
                                             const ma__http_response *resp)
{
    (void)ctx;
    (void)status;
    metadata_auth *m = (metadata_auth *)self;
    if (resp->status != 401)
        return MA__AUTH_ACCEPT;
    drop_keys(m);
    return MA__AUTH_RENEW_AND_RETRY;
}

static void metadata_redact(const ma__auth *self, char *text)
{
    const metadata_auth *m = (const metadata_auth *)self;
    if (m->keys.secret)
        ma__redact_secret(text, m->keys.secret, strlen(m->keys.secret));
    if (m->keys.security_token)
        ma__redact_secret(text, m->keys.security_token, strlen(m->keys.security_token));
    if (m->session)
        ma__redact_secret(text, m->session, m->session_len);
    if (m->inner)
        m->inner->vtable->redact(m->inner, text);
}

static void metadata_destroy(ma__auth *self)
{
    metadata_auth *m = (metadata_auth *)self;
    ma_allocator a = m->alloc;
    if (m->out) {
        ma__call_free(m->out);
        ma__free(&a, m->out);
    }
    drop_keys(m);
    drop_session(m);
    ma__endpoint_free(&a, &m->ep);
    ma__free(&a, m->project_id);
    ma__secure_zero(m, sizeof *m);
    ma__free(&a, m);
}

static const ma__auth_vtable metadata_vtable = {.apply = metadata_apply,
                                                .on_response = metadata_on_response,
                                                .redact = metadata_redact,
                                                .prepare_call = metadata_prepare_call,
                                                .call_ended = metadata_call_ended,
                                                .call_out = metadata_call_out,
                                                .destroy = metadata_destroy};

ma_status ma__metadata_auth_new(const ma_allocator *alloc, const char *endpoint, const char *project_id, ma__auth **out,
                                ma_error *err)
{
    metadata_auth *m = ma__calloc(alloc, 1, sizeof *m);
    if (!m)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory creating the metadata authenticator");
    m->base.vtable = &metadata_vtable;
    m->alloc = *alloc;
    if (project_id && !(m->project_id = ma__strdup(alloc, project_id))) {
        metadata_destroy(&m->base);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory creating the metadata authenticator");
    }
    ma_status st = ma__endpoint_parse(alloc, endpoint, &m->ep, err);
    if (st != MA_OK) {
        metadata_destroy(&m->base);
        return st;
    }
    *out = &m->base;
    return MA_OK;
}
