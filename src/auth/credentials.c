#include <string.h>

#include "auth/auth.h"
#include "internal/alloc.h"
#include "internal/error.h"

/* A token goes into an HTTP header verbatim, so only visible ASCII is allowed (no CR/LF injection). */
static int is_header_safe_token(const char *token, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)token[i];
        if (c < 0x21 || c > 0x7e)
            return 0;
    }
    return 1;
}

ma_status ma_credentials_new_token(ma_credentials **out, const char *token, const ma_allocator *allocator,
                                   ma_error *err)
{
    ma_error_clear(err);
    if (!out)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_credentials_new_token: out is NULL");
    *out = NULL;
    if (!token)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_credentials_new_token: token is NULL");
    size_t len = strnlen(token, (size_t)MA_TOKEN_MAX_BYTES + 1);
    if (len == 0)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "token is empty");
    if (len > MA_TOKEN_MAX_BYTES)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "token is longer than %d bytes", MA_TOKEN_MAX_BYTES);
    if (!is_header_safe_token(token, len))
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "token contains bytes not allowed in an HTTP header (only visible ASCII)");
    const ma_allocator *a = ma__allocator_or_default(allocator);
    ma_credentials *c = ma__calloc(a, 1, sizeof *c);
    if (!c)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory allocating credentials");
    c->alloc = *a;
    c->kind = MA__CREDENTIALS_TOKEN;
    c->token = ma__strndup(a, token, len);
    if (!c->token) {
        ma__free(a, c);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory copying the token");
    }
    *out = c;
    return MA_OK;
}

void ma_credentials_free(ma_credentials *credentials)
{
    if (!credentials)
        return;
    ma_allocator a = credentials->alloc;
    ma__free_secret(&a, credentials->token);
    ma__secure_zero(credentials, sizeof *credentials);
    ma__free(&a, credentials);
}

ma_status ma__auth_new(const ma_allocator *alloc, const ma_credentials *credentials, ma__auth **out, ma_error *err)
{
    *out = NULL;
    switch (credentials->kind) {
    case MA__CREDENTIALS_TOKEN:
        return ma__token_auth_new(alloc, credentials->token, out, err);
    }
    return ma__error_set(err, MA_ERR_INVALID_ARG, "credentials are of an unknown kind");
}
