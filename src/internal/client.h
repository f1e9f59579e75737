/* Client layout and the seams tests use to replace its transport and clock. */
#ifndef MA_INTERNAL_CLIENT_H
#define MA_INTERNAL_CLIENT_H

#include "auth/auth.h"
#include "http/request.h"
#include "http/transport.h"
#include "internal/clock.h"
#include "modelarts/ma_client.h"

struct ma_client {
    ma_allocator alloc;
    ma__endpoint endpoint;
    char *project_id; /* raw; encoded only by the request renderer */
    long timeout_ms;  /* total budget of one call, every attempt included; 0 = none */
    ma__auth *auth;
    ma__transport *transport;
    ma__clock clock;
    ma_sort_param_name sort_param_name;
};

/* Replaces the transport (the client takes ownership and destroys the old one). */
void ma__client_set_transport(ma_client *client, ma__transport *transport);
/* Replaces the authenticator (the client takes ownership and destroys the old one). */
void ma__client_set_auth(ma_client *client, ma__auth *auth);
/* Replaces the clock (copied). */
void ma__client_set_clock(ma_client *client, const ma__clock *clock);

#endif
