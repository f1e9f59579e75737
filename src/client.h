/* Client layout and the seams tests use to replace its transport and clock. */
#ifndef MA_CLIENT_H
#define MA_CLIENT_H

#include <stdint.h>

#include "auth/auth.h"
#include "http/request.h"
#include "http/transport.h"
#include "util/clock.h"
#include "modelarts/ma_client.h"

/* The random source of the back-off jitter; tests install a seeded one. */
typedef struct ma__random {
    uint64_t (*next)(void *ctx);
    void *ctx;
} ma__random;

struct ma_client {
    ma_allocator alloc;
    ma__endpoint endpoint;
    char *project_id;      /* raw; encoded only by the request renderer */
    long total_timeout_ms; /* deadline of one call, every attempt and wait included; 0 = none */
    ma_retry_policy retry;
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
    int32_t sort_param_name;
};

/* Replaces the transport (the client takes ownership and destroys the old one). */
void ma__client_set_transport(ma_client *client, ma__transport *transport);
/* Replaces the authenticator (the client takes ownership and destroys the old one). */
void ma__client_set_auth(ma_client *client, ma__auth *auth);
/* Replaces the clock (copied). */
void ma__client_set_clock(ma_client *client, const ma__clock *clock);
/* Replaces the jitter's random source (copied). */
void ma__client_set_random(ma_client *client, const ma__random *random);

#endif
