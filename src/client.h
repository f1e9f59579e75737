/* The facade's client and the seams tests use to replace its transport, authenticator, clock and random source. */
#ifndef MA_CLIENT_H
#define MA_CLIENT_H

#include <stddef.h>

#include "engine/runtime.h"
#include "modelarts/ma_client.h"

/* The client is its engine runtime; the facade adds nothing of its own yet. */
struct ma_client {
    ma__runtime rt; /* first: ma__runtime_of() relies on it */
};

_Static_assert(offsetof(struct ma_client, rt) == 0, "the runtime is the client's first member");

/* Replaces the transport (the client takes ownership and destroys the old one). */
void ma__client_set_transport(ma_client *client, ma__transport *transport);
/* Replaces the authenticator (the client takes ownership and destroys the old one). */
void ma__client_set_auth(ma_client *client, ma__auth *auth);
/* Replaces the clock (copied). */
void ma__client_set_clock(ma_client *client, const ma__clock *clock);
/* Replaces the jitter's random source (copied). */
void ma__client_set_random(ma_client *client, const ma__random *random);

#endif
