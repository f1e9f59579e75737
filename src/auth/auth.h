/*
 * The auth slot. Public ma_credentials describe how to authenticate; each
 * client turns them into its own ma__auth, which decorates every outgoing
 * request (today: the X-Auth-Token header; AK/SK signing and IAM password
 * login plug in here as further implementations).
 */
#ifndef MA_AUTH_AUTH_H
#define MA_AUTH_AUTH_H

#include "http/http.h"
#include "http/request.h"
#include "internal/clock.h"
#include "modelarts/ma_credentials.h"

typedef enum ma__credentials_kind { MA__CREDENTIALS_TOKEN = 1 } ma__credentials_kind;

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
    /* Masks any secret of this authenticator found in @p text (server text may echo it). */
    void (*redact)(const ma__auth *self, char *text);
    void (*destroy)(ma__auth *self);
} ma__auth_vtable;

struct ma__auth {
    const ma__auth_vtable *vtable;
};

/* Builds the client's authenticator from @p credentials (copied). */
ma_status ma__auth_new(const ma_allocator *alloc, const ma_credentials *credentials, ma__auth **out, ma_error *err);

/*
 * Overwrites with '*' every occurrence of @p secret in @p text, and a cut-off
 * start of it (8 bytes or more) at the end of the text or before a final "...".
 */
void ma__redact_secret(char *text, const char *secret, size_t secret_len);

/* Applies the authenticator's redaction to every text field of @p err. */
void ma__auth_redact_error(const ma__auth *auth, ma_error *err);

ma_status ma__token_auth_new(const ma_allocator *alloc, const char *token, ma__auth **out, ma_error *err);

#endif
