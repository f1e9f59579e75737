/*
 * The engine's auth slot: what an authenticator does to each attempt of a call
 * and what it makes of the response, and the redaction every error passes
 * through. The engine is the slot's consumer; the implementations (token,
 * AK/SK, password login) sit above it in auth/, as a credential policy sits
 * above the pipeline that runs it.
 */
#ifndef MA_ENGINE_AUTH_SLOT_H
#define MA_ENGINE_AUTH_SLOT_H

#include <stddef.h>

#include "http/request.h"
#include "modelarts/ma_client.h"
#include "util/clock.h"

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
typedef struct ma__call ma__call;

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
    /*
     * Finds the project id for a client created without one (password login
     * naming a project), into @p out (NUL-terminated, at most @p size bytes);
     * NULL when these credentials cannot tell.
     */
    ma_status (*discover_project)(ma__auth *self, const ma__auth_context *ctx, char *out, size_t size, ma_error *err);
    /*
     * Optional, for a caller's event loop, where apply() must not send
     * requests of its own (a login) and wait for them. Before each attempt:
     * MA_OK with *call NULL and *wait 0 when apply() can decorate it now; MA_OK
     * with *call set when the credential needs this request first (the slot
     * owns it; the engine sends it with skip_auth, with retries and deadlines
     * like any other, and hands it back to call_ended()); MA_OK with *wait 1
     * when such a request is out already. Another status: no credential.
     */
    ma_status (*prepare_call)(ma__auth *self, const ma__auth_context *ctx, ma__call **call, int *wait, ma_error *err);
    /* The request prepare_call() gave has ended (call->status says how; MA_ERR_CANCELLED when dropped). Frees it. */
    ma_status (*call_ended)(ma__auth *self, const ma__auth_context *ctx, ma__call *call, ma_error *err);
    /* Whether a request prepare_call() gave is still out. */
    int (*call_out)(const ma__auth *self);
    void (*destroy)(ma__auth *self);
} ma__auth_vtable;

struct ma__auth {
    const ma__auth_vtable *vtable;
};

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

#endif
