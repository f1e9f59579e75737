/*
 * The AK/SK authenticator: signs every attempt afresh (the gateway rejects an
 * X-Sdk-Date more than 15 minutes off, so a retry must not reuse a signature).
 * Every header it signs it also sends, from the same bytes, so the signed and
 * the sent values cannot drift apart.
 */
#include <string.h>

#include "auth/auth.h"
#include "auth/signer.h"
#include "util/alloc.h"
#include "util/error.h"

typedef struct aksk_auth {
    ma__auth base;
    ma_allocator alloc;
    char *access_key;
    char *secret_key; /* secret */
    size_t secret_key_len;
    char *security_token; /* secret, NULL without temporary credentials */
    size_t security_token_len;
    char *project_id; /* NULL: no X-Project-Id */
    /* The last signature sent, so that an error text echoing it can be masked. */
    char last_signature[MA__SHA256_HEX_SIZE];
} aksk_auth;

static int is_visible_ascii(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e)
            return 0;
    return 1;
}

static int add_header(ma__header_list *list, const char *name, const char *value, int secret)
{
    return ma__headers_add(list, name, strlen(name), value, strlen(value), secret);
}

static ma_status aksk_apply(ma__auth *self, const ma__auth_context *ctx, ma__http_request *req, ma_error *err)
{
    aksk_auth *t = (aksk_auth *)self;
    if (!ctx || !ctx->clock || !ctx->clock->epoch_ms)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "AK/SK signing needs a wall clock");
    if (!req->endpoint || !req->endpoint->host_header || !req->endpoint->host_header[0])
        return ma__error_set(err, MA_ERR_INVALID_ARG, "AK/SK signing needs the endpoint's Host header");
    /* The loop clears attempt headers before each attempt; a second set would make two Authorization headers. */
    if (ma__headers_get(&req->attempt_headers, "X-Sdk-Date") || ma__headers_get(&req->attempt_headers, "Authorization"))
        return ma__error_set(err, MA_ERR_INVALID_ARG, "request is already signed for this attempt");

    char date[MA__SDK_DATE_SIZE];
    if (ma__format_sdk_date(ctx->clock->epoch_ms(ctx->clock->ctx), date) != 0)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "the wall clock is outside the years 0000-9999");

    ma__sign_header signed_headers[5];
    size_t n = 0;
    signed_headers[n++] = (ma__sign_header){"Host", req->endpoint->host_header};
    signed_headers[n++] = (ma__sign_header){"X-Sdk-Date", date};
    if (t->project_id)
        signed_headers[n++] = (ma__sign_header){"X-Project-Id", t->project_id};
    if (t->security_token)
        signed_headers[n++] = (ma__sign_header){"X-Security-Token", t->security_token};
    const char *content_type = ma__headers_get(&req->headers, "Content-Type");
    if (content_type)
        signed_headers[n++] = (ma__sign_header){"Content-Type", content_type};

    /* Content-Type is already in req->headers; everything else is sent from here. */
    size_t own = content_type ? n - 1 : n;
    for (size_t i = 0; i < own; i++) {
        int secret = signed_headers[i].value == t->security_token;
        if (add_header(&req->attempt_headers, signed_headers[i].name, signed_headers[i].value, secret) != 0)
            return ma__error_set(err, MA_ERR_NOMEM, "out of memory adding the signing headers");
    }

    ma__sign_input in = {t->access_key, t->secret_key, t->secret_key_len, date, signed_headers, n, NULL};
    ma__buf authorization;
    ma__buf_init(&authorization, &t->alloc);
    char signature[MA__SHA256_HEX_SIZE];
    ma_status st = ma__sign_request(&t->alloc, req, &in, &authorization, signature);
    if (st == MA_OK) {
        if (add_header(&req->attempt_headers, "Authorization", authorization.data, 1) == 0)
            memcpy(t->last_signature, signature, sizeof signature);
        else
            st = MA_ERR_NOMEM;
    }
    ma__secure_zero(signature, sizeof signature);
    ma__buf_free_secure(&authorization);
    if (st == MA_ERR_NOMEM)
        return ma__error_set(err, st, "out of memory signing the request");
    if (st != MA_OK)
        return ma__error_set(err, st, "the request cannot be signed (a header value holds control characters)");
    return MA_OK;
}

static void aksk_redact(const ma__auth *self, char *text)
{
    const aksk_auth *t = (const aksk_auth *)self;
    ma__redact_secret(text, t->secret_key, t->secret_key_len);
    if (t->security_token)
        ma__redact_secret(text, t->security_token, t->security_token_len);
    ma__redact_secret(text, t->last_signature, strlen(t->last_signature));
}

static void aksk_destroy(ma__auth *self)
{
    if (!self)
        return;
    aksk_auth *t = (aksk_auth *)self;
    ma_allocator a = t->alloc;
    ma__free(&a, t->access_key);
    ma__free_secret(&a, t->secret_key);
    ma__free_secret(&a, t->security_token);
    ma__free(&a, t->project_id);
    ma__secure_zero(t, sizeof *t);
    ma__free(&a, t);
}

static const ma__auth_vtable aksk_vtable = {.apply = aksk_apply, .redact = aksk_redact, .destroy = aksk_destroy};

ma_status ma__aksk_auth_new(const ma_allocator *alloc, const char *access_key, const char *secret_key,
                            const char *security_token, const char *project_id, ma__auth **out, ma_error *err)
{
    *out = NULL;
    if (!access_key || !access_key[0] || !secret_key || !secret_key[0])
        return ma__error_set(err, MA_ERR_INVALID_ARG, "AK/SK signing needs a non-empty AK and SK");
    if (security_token && !security_token[0])
        return ma__error_set(err, MA_ERR_INVALID_ARG, "the security token is empty (pass NULL for none)");
    if (project_id && !is_visible_ascii(project_id))
        return ma__error_set(err, MA_ERR_INVALID_ARG, "the project id is empty or not visible ASCII");
    aksk_auth *t = ma__calloc(alloc, 1, sizeof *t);
    if (!t)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory creating the AK/SK authenticator");
    t->base.vtable = &aksk_vtable;
    t->alloc = *alloc;
    t->secret_key_len = strlen(secret_key);
    t->access_key = ma__strdup(alloc, access_key);
    t->secret_key = ma__strndup(alloc, secret_key, t->secret_key_len);
    int ok = t->access_key && t->secret_key;
    if (ok && security_token) {
        t->security_token_len = strlen(security_token);
        t->security_token = ma__strndup(alloc, security_token, t->security_token_len);
        ok = t->security_token != NULL;
    }
    if (ok && project_id) {
        t->project_id = ma__strdup(alloc, project_id);
        ok = t->project_id != NULL;
    }
    if (!ok) {
        aksk_destroy(&t->base);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory copying the AK/SK credentials");
    }
    *out = &t->base;
    return MA_OK;
}
