/*
 * Credentials and the authenticators built from them: public ma_credentials
 * describe how to authenticate; each client turns them into its own ma__auth,
 * an implementation of the engine's auth slot (engine/auth_slot.h): the token
 * header, AK/SK signing, IAM password login.
 */
#ifndef MA_AUTH_AUTH_H
#define MA_AUTH_AUTH_H

#include "engine/auth_slot.h"
#include "http/request.h"
#include "modelarts/ma_client.h"
#include "modelarts/ma_credentials.h"

typedef enum ma__credentials_kind {
    MA__CREDENTIALS_TOKEN = 1,
    MA__CREDENTIALS_AKSK = 2,
    MA__CREDENTIALS_PASSWORD = 3
} ma__credentials_kind;

struct ma__password_login_copy; /* auth/password_auth.h */

struct ma_credentials {
    ma_allocator alloc;
    ma__credentials_kind kind;
    char *token;          /* TOKEN: the IAM token; secret, wiped on free */
    char *access_key;     /* AKSK: the AK (not secret: it is sent in every Authorization header) */
    char *secret_key;     /* AKSK: the SK; secret, wiped on free */
    char *security_token; /* AKSK: NULL, or the token of temporary credentials; secret, wiped on free */
    struct ma__password_login_copy *login; /* PASSWORD: the login; the password is wiped on free */
};

/*
 * Builds the client's authenticator from @p credentials (copied). AK/SK
 * signing sends and signs X-Project-Id, so it needs @p project_id (the client's
 * project); token credentials ignore it (NULL is fine).
 */
ma_status ma__auth_new(const ma_allocator *alloc, const ma_credentials *credentials, const char *project_id,
                       ma__auth **out, ma_error *err);

ma_status ma__token_auth_new(const ma_allocator *alloc, const char *token, ma__auth **out, ma_error *err);

/*
 * SDK-HMAC-SHA256 signing (aksk_auth.c). Each apply() adds to the attempt
 * headers X-Sdk-Date (ctx->clock->epoch_ms), Host (the endpoint's host_header),
 * X-Project-Id (when @p project_id is not NULL), X-Security-Token (when
 * @p security_token is not NULL; secret) and Authorization (secret), signing
 * host, x-sdk-date, x-project-id, x-security-token and a Content-Type found in
 * req->headers. All strings are copied; @p access_key and @p secret_key must be
 * non-empty. Returns MA_OK, MA_ERR_INVALID_ARG or MA_ERR_NOMEM.
 */
ma_status ma__aksk_auth_new(const ma_allocator *alloc, const char *access_key, const char *secret_key,
                            const char *security_token, const char *project_id, ma__auth **out, ma_error *err);

#endif
