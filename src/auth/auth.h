/*
 * The auth slot. Public ma_credentials describe how to authenticate; each
 * client turns them into its own ma__auth, which decorates every outgoing
 * request (today: the X-Auth-Token header; AK/SK signing and IAM password
 * login plug in here as further implementations).
 */
#ifndef MA_AUTH_AUTH_H
#define MA_AUTH_AUTH_H

#include "http/http.h"
#include "internal/clock.h"
#include "modelarts/ma_credentials.h"

typedef enum ma__credentials_kind {
    MA__CREDENTIALS_TOKEN = 1
} ma__credentials_kind;

struct ma_credentials {
    ma_allocator alloc;
    ma__credentials_kind kind;
    char *token; /* secret: wiped on free */
};

/* What an authenticator may use besides the request. */
typedef struct ma__auth_context {
    const ma__clock *clock;
} ma__auth_context;

typedef struct ma__auth ma__auth;

typedef struct ma__auth_vtable {
    /* Adds whatever the request needs (headers marked secret). */
    ma_status (*apply)(ma__auth *self, const ma__auth_context *ctx, ma__http_request *req, ma_error *err);
    void (*destroy)(ma__auth *self);
} ma__auth_vtable;

struct ma__auth {
    const ma__auth_vtable *vtable;
};

/* Builds the client's authenticator from @p credentials (copied). */
ma_status ma__auth_new(const ma_allocator *alloc, const ma_credentials *credentials, ma__auth **out,
                       ma_error *err);

ma_status ma__token_auth_new(const ma_allocator *alloc, const char *token, ma__auth **out, ma_error *err);

#endif
