#include <string.h>

#include "auth/auth.h"
#include "auth/password_auth.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/text.h"

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

/* Checks one AK/SK string; names it in the message, never shows it. */
static ma_status check_aksk_part(const char *what, const char *s, size_t max, size_t *len, ma_error *err)
{
    if (!s)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_credentials_new_aksk: %s is NULL", what);
    *len = strnlen(s, max + 1);
    if (*len == 0)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "%s is empty", what);
    if (*len > max)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "%s is longer than %zu bytes", what, max);
    if (!is_header_safe_token(s, *len))
        return ma__error_set(err, MA_ERR_INVALID_ARG, "%s contains bytes other than visible ASCII", what);
    return MA_OK;
}

ma_status ma_credentials_new_aksk(ma_credentials **out, const char *access_key, const char *secret_key,
                                  const char *security_token, const ma_allocator *allocator, ma_error *err)
{
    ma_error_clear(err);
    if (!out)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_credentials_new_aksk: out is NULL");
    *out = NULL;
    size_t ak_len = 0, sk_len = 0, token_len = 0;
    ma_status st;
    if ((st = check_aksk_part("the access key (AK)", access_key, MA_AK_MAX_BYTES, &ak_len, err)) != MA_OK ||
        (st = check_aksk_part("the secret key (SK)", secret_key, MA_SK_MAX_BYTES, &sk_len, err)) != MA_OK)
        return st;
    if (security_token &&
        (st = check_aksk_part("the security token", security_token, MA_TOKEN_MAX_BYTES, &token_len, err)) != MA_OK)
        return st;
    const ma_allocator *a = ma__allocator_or_default(allocator);
    ma_credentials *c = ma__calloc(a, 1, sizeof *c);
    if (!c)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory allocating credentials");
    c->alloc = *a;
    c->kind = MA__CREDENTIALS_AKSK;
    c->access_key = ma__strndup(a, access_key, ak_len);
    c->secret_key = c->access_key ? ma__strndup(a, secret_key, sk_len) : NULL;
    int ok = c->secret_key != NULL;
    if (ok && security_token) {
        c->security_token = ma__strndup(a, security_token, token_len);
        ok = c->security_token != NULL;
    }
    if (!ok) {
        ma_credentials_free(c);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory copying the credentials");
    }
    *out = c;
    return MA_OK;
}

/* Copies an optional login field after checking it; *copy stays NULL for an absent or (if allowed) empty one. */
static ma_status copy_field(const ma_allocator *a, const char *what, const char *value, int required, char **copy,
                            ma_error *err)
{
    *copy = NULL;
    if (!value || !value[0]) {
        if (required)
            return ma__error_set(err, MA_ERR_INVALID_ARG, "password login: %s is required", what);
        return MA_OK;
    }
    size_t len = strnlen(value, (size_t)MA_LOGIN_FIELD_MAX_BYTES + 1);
    if (len > MA_LOGIN_FIELD_MAX_BYTES)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "password login: %s is longer than %d bytes", what,
                             MA_LOGIN_FIELD_MAX_BYTES);
    if (!ma__utf8_validate(value, len, NULL) || !ma__no_control_bytes(value, len))
        return ma__error_set(err, MA_ERR_INVALID_ARG, "password login: %s must be UTF-8 without control characters",
                             what);
    if (!(*copy = ma__strndup(a, value, len)))
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory copying the password login");
    return MA_OK;
}

/* The IAM endpoint must parse, and plain http is for loopback only: the body carries the password. */
static ma_status check_iam_endpoint(const ma_allocator *a, const char *url, ma_error *err)
{
    ma__endpoint ep;
    memset(&ep, 0, sizeof ep);
    ma_status st = ma__endpoint_parse(a, url, &ep, err);
    if (st == MA_OK && strcmp(ep.scheme, "http") == 0 && !ep.is_loopback)
        st = ma__error_set(err, MA_ERR_INVALID_ARG,
                           "iam_endpoint uses plain http to %s, which would send the password in clear text; use "
                           "https (http is allowed for loopback hosts only)",
                           ep.host);
    ma__endpoint_free(a, &ep);
    return st;
}

void ma__password_login_copy_free(const ma_allocator *alloc, ma__password_login_copy *l)
{
    if (!l)
        return;
    ma__free(alloc, l->iam_endpoint);
    ma__free(alloc, l->user_name);
    ma__free_secret(alloc, l->password);
    ma__free(alloc, l->domain_name);
    ma__free(alloc, l->project_name);
    ma__free(alloc, l->project_id);
    ma__free(alloc, l);
}

ma_status ma_credentials_new_password(ma_credentials **out, const ma_password_login *login,
                                      const ma_allocator *allocator, ma_error *err)
{
    ma_error_clear(err);
    if (!out)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_credentials_new_password: out is NULL");
    *out = NULL;
    if (!login)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_credentials_new_password: login is NULL");
    if (login->version == 0 || login->version > MA_PASSWORD_LOGIN_VERSION)
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "ma_password_login version %u is not supported (use MA_PASSWORD_LOGIN_INIT)",
                             login->version);
    if ((!login->project_name || !login->project_name[0]) && (!login->project_id || !login->project_id[0]))
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "password login: project_name or project_id is required (a token for ModelArts "
                             "must be scoped to a project)");
    const ma_allocator *a = ma__allocator_or_default(allocator);
    ma_credentials *c = ma__calloc(a, 1, sizeof *c);
    ma__password_login_copy *l = ma__calloc(a, 1, sizeof *l);
    if (!c || !l) {
        ma__free(a, c);
        ma__free(a, l);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory allocating credentials");
    }
    c->alloc = *a;
    c->kind = MA__CREDENTIALS_PASSWORD;
    c->login = l;
    ma_status st;
    if ((st = copy_field(a, "iam_endpoint", login->iam_endpoint, 1, &l->iam_endpoint, err)) != MA_OK ||
        (st = check_iam_endpoint(a, l->iam_endpoint, err)) != MA_OK ||
        (st = copy_field(a, "user_name", login->user_name, 1, &l->user_name, err)) != MA_OK ||
        (st = copy_field(a, "password", login->password, 1, &l->password, err)) != MA_OK ||
        (st = copy_field(a, "domain_name", login->domain_name, 1, &l->domain_name, err)) != MA_OK ||
        (st = copy_field(a, "project_name", login->project_name, 0, &l->project_name, err)) != MA_OK ||
        (st = copy_field(a, "project_id", login->project_id, 0, &l->project_id, err)) != MA_OK) {
        ma_credentials_free(c);
        return st;
    }
    *out = c;
    return MA_OK;
}

int ma__credentials_can_discover_project(const ma_credentials *credentials)
{
    return credentials && credentials->kind == MA__CREDENTIALS_PASSWORD;
}

void ma_credentials_free(ma_credentials *credentials)
{
    if (!credentials)
        return;
    ma_allocator a = credentials->alloc;
    ma__free_secret(&a, credentials->token);
    ma__free(&a, credentials->access_key);
    ma__free_secret(&a, credentials->secret_key);
    ma__free_secret(&a, credentials->security_token);
    ma__password_login_copy_free(&a, credentials->login);
    ma__secure_zero(credentials, sizeof *credentials);
    ma__free(&a, credentials);
}

ma_status ma__auth_new(const ma_allocator *alloc, const ma_credentials *credentials, const char *project_id,
                       ma__auth **out, ma_error *err)
{
    *out = NULL;
    switch (credentials->kind) {
    case MA__CREDENTIALS_TOKEN:
        return ma__token_auth_new(alloc, credentials->token, out, err);
    case MA__CREDENTIALS_AKSK:
        return ma__aksk_auth_new(alloc, credentials->access_key, credentials->secret_key, credentials->security_token,
                                 project_id, out, err);
    case MA__CREDENTIALS_PASSWORD:
        return ma__password_auth_new(alloc, credentials->login, out, err);
    }
    return ma__error_set(err, MA_ERR_INVALID_ARG, "credentials are of an unknown kind");
}
