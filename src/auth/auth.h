/*
 * The auth slot. Public ma_credentials describe how to authenticate; each
 * client turns them into its own ma__auth, which decorates every outgoing
 * request (today: the X-Auth-Token header; AK/SK signing and IAM password
 * login plug in here as further implementations).
 */
#ifndef MA_AUTH_AUTH_H
#define MA_AUTH_AUTH_H

#include "http/request.h"
#include "internal/clock.h"
#include "modelarts/ma_client.h"
#include "modelarts/ma_credentials.h"

typedef enum ma__credentials_kind {
    MA__CREDENTIALS_TOKEN = 1,
    MA__CREDENTIALS_AKSK = 2,
    MA__CREDENTIALS_PASSWORD = 3,
    MA__CREDENTIALS_METADATA = 4
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
    char *metadata_endpoint;               /* METADATA: the metadata service's base URL */
};

/* What an authenticator may use besides the request. */
typedef struct ma__auth_context {
    const ma__clock *clock; /* wall time for signatures, monotonic time for token expiry */
    ma_client *client;      /* its own requests (password login) go through ma__execute() with skip_auth */
} ma__auth_context;

/* What an authenticator makes of a response to a request it decorated. */
typedef enum ma__auth_verdict {
    MA__AUTH_ACCEPT = 0,     /* the outcome stands */
    MA__AUTH_RENEW_AND_RETRY /* credentials were renewed: send once more, never twice */
} ma__auth_verdict;

typedef struct ma__auth ma__auth;

typedef struct ma__auth_vtable {
    /*
     * Adds whatever this attempt needs to req->attempt_headers (marked secret),
     * which the loop clears before every attempt, so signatures are fresh.
     */
    ma_status (*apply)(ma__auth *self, const ma__auth_context *ctx, ma__http_request *req, ma_error *err);
    /*
     * Sees the classified outcome of every decorated attempt (token renewal on
     * expiry). NULL means always MA__AUTH_ACCEPT.
     */
    ma__auth_verdict (*on_response)(ma__auth *self, const ma__auth_context *ctx, ma_status status,
                                    const ma__http_response *resp);
    /* Masks any secret of this authenticator found in @p text (server text may echo it). */
    void (*redact)(const ma__auth *self, char *text);
    void (*destroy)(ma__auth *self);
} ma__auth_vtable;

struct ma__auth {
    const ma__auth_vtable *vtable;
};

/*
 * Builds the client's authenticator from @p credentials (copied). AK/SK
 * signing sends and signs X-Project-Id, so it needs @p project_id (the client's
 * project); token credentials ignore it (NULL is fine).
 */
ma_status ma__auth_new(const ma_allocator *alloc, const ma_credentials *credentials, const char *project_id,
                       ma__auth **out, ma_error *err);

/*
 * Overwrites with '*' the echoes of @p secret in @p text, and nothing else:
 *  - a secret of 8 bytes or more: every occurrence, and a cut-off start of
 *    it (8 bytes or more) at the end of the text or before a final "...";
 *  - a shorter secret: only an occurrence that is a whole word, i.e. not
 *    next to a letter, digit or one of "-_.~+/" (dots after it may end a
 *    sentence), so "a" never masks the a's of "authentication" and "1"
 *    never the 1 of "APIG.0301".
 */
void ma__redact_secret(char *text, const char *secret, size_t secret_len);

/* Applies the authenticator's redaction to every text field of @p err. */
void ma__auth_redact_error(const ma__auth *auth, ma_error *err);

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
