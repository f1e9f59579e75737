#include <string.h>

#include "auth/auth.h"
#include "util/alloc.h"
#include "util/error.h"

typedef struct token_auth {
    ma__auth base;
    ma_allocator alloc;
    char *token;
    size_t token_len;
} token_auth;

static ma_status token_apply(ma__auth *self, const ma__auth_context *ctx, ma__http_request *req, ma_error *err)
{
    (void)ctx;
    token_auth *t = (token_auth *)self;
    static const char name[] = "X-Auth-Token";
    if (ma__headers_add(&req->attempt_headers, name, sizeof name - 1, t->token, t->token_len, 1) != 0)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory adding the authentication header");
    return MA_OK;
}

static void token_redact(const ma__auth *self, char *text)
{
    const token_auth *t = (const token_auth *)self;
    ma__redact_secret(text, t->token, t->token_len);
}

static void token_destroy(ma__auth *self)
{
    token_auth *t = (token_auth *)self;
    ma_allocator a = t->alloc;
    ma__free_secret(&a, t->token);
    ma__free(&a, t);
}

static const ma__auth_vtable token_vtable = {.apply = token_apply, .redact = token_redact, .destroy = token_destroy};

ma_status ma__token_auth_new(const ma_allocator *alloc, const char *token, ma__auth **out, ma_error *err)
{
    token_auth *t = ma__calloc(alloc, 1, sizeof *t);
    if (!t)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory creating the token authenticator");
    t->base.vtable = &token_vtable;
    t->alloc = *alloc;
    t->token_len = strlen(token);
    t->token = ma__strndup(alloc, token, t->token_len);
    if (!t->token) {
        ma__free(alloc, t);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory copying the token");
    }
    *out = &t->base;
    return MA_OK;
}
