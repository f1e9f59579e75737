/*
 * The engine's runtime: everything a call needs from its client (allocator,
 * clock, random source, transport, auth slot, retry policy, log sink, cancel
 * hook, deadline, and where requests go). The client embeds it as its first
 * member, so the engine, the list call and the walks reach it from an
 * ma_client without knowing the client's own layout (src/client.h asserts it).
 */
#ifndef MA_ENGINE_RUNTIME_H
#define MA_ENGINE_RUNTIME_H

#include <stdint.h>

#include "engine/auth_slot.h"
#include "engine/rate_limiter.h"
#include "engine/retry_budget.h"
#include "http/request.h"
#include "http/transport.h"
#include "modelarts/ma_client.h"
#include "util/clock.h"

/* The random source of the back-off jitter; tests install a seeded one. */
typedef struct ma__random {
    uint64_t (*next)(void *ctx);
    void *ctx;
} ma__random;

typedef struct ma__runtime {
    ma_allocator alloc;
    ma__endpoint endpoint;
    char *project_id; /* raw; encoded only by the request renderer; NULL until discovered */
    int32_t sort_param_name;
    long total_timeout_ms; /* deadline of one call, every attempt and wait included; 0 = none */
    ma_retry_policy retry;
    ma__retry_budget budget;     /* shared by every call and walk of the client */
    ma__rate_limiter limiter;    /* every request of the client to the service takes a token */
    int64_t throttled_responses; /* for ma_client_throttle_state() */
    ma__random random;
    uint64_t random_state; /* of the default source */
    ma_log_fn log;
    void *log_user_data;
    int32_t log_level;
    ma_cancel_fn cancel;
    void *cancel_user_data;
    ma__auth *auth;
    ma__transport *transport;
    ma__clock clock;
    struct ma__event_loop *events; /* the caller's event loop (ma_client_set_event_hooks()); NULL for none */
} ma__runtime;

/* The runtime of @p client: its first member. */
static inline ma__runtime *ma__runtime_of(ma_client *client)
{
    return (ma__runtime *)(void *)client;
}

static inline const ma__runtime *ma__runtime_of_const(const ma_client *client)
{
    return (const ma__runtime *)(const void *)client;
}

/*
 * MA_OK at once when the client has a project id; otherwise asks the auth
 * slot's discover_project (password login naming a project) once and keeps
 * the answer. Fails with the slot's status (its error redacted),
 * MA_ERR_INVALID_ARG (credentials that cannot tell), MA_ERR_PROTOCOL (an id
 * that cannot go into a URL path) or MA_ERR_NOMEM.
 */
ma_status ma__runtime_resolve_project_id(ma_client *client, ma_error *err);

#endif
