/*
 * IAM password login. The login and the project lookup are ordinary calls
 * through the engine with skip_auth set, so they share the client's
 * transport, deadline, classification and redaction. The login body holds
 * the password: it lives in a secret buffer that is wiped when the call is
 * freed. The token arrives in X-Subject-Token; response headers are stored
 * as secret by the transport, and our copy is wiped when replaced.
 */
#include <stdio.h>
#include <string.h>

#include "auth/password_auth.h"
#include "engine/execute.h"
#include "util/alloc.h"
#include "engine/runtime.h"
#include "util/error.h"
#include "json/iam.h"

/* A token is renewed this long before its expires_at, so it cannot lapse during a call. */
#define RENEW_MARGIN_MS (5 * 60 * 1000)

typedef struct password_auth {
    ma__auth base;
    ma_allocator alloc;
    ma__endpoint iam;
    ma__password_login_copy login; /* fields owned here */
    char *token;                   /* secret; NULL when none is cached */
    size_t token_len;
    int64_t expires_at_ms;                        /* epoch */
    char token_project_id[MA_PROJECT_ID_MAX + 1]; /* token.project.id of the cached token, "" if none */
    ma__call *login_out;                          /* the login sent for an event loop, until it ends */
} password_auth;

static const ma__auth_vtable password_vtable;

static void drop_token(password_auth *p)
{
    ma__free_secret(&p->alloc, p->token);
    p->token = NULL;
    p->token_len = 0;
    p->expires_at_ms = 0;
}

static int add_segments(ma__http_request *req, const char *a, const char *b, const char *c)
{
    return ma__request_add_segment(req, a) || ma__request_add_segment(req, b) || (c && ma__request_add_segment(req, c));
}

/* An IAM call: endpoint, skip_auth, and a JSON content type. */
static int init_iam_call(password_auth *p, ma_client *client, ma__call *call, const char *method)
{
    static const char content_type[] = "Content-Type", json[] = "application/json;charset=utf8";
    ma__call_init(call, client, method, NULL, NULL);
    call->req.endpoint = &p->iam;
    call->skip_auth = 1;
    return ma__headers_add(&call->req.headers, content_type, sizeof content_type - 1, json, sizeof json - 1, 0);
}

/* A failure of an IAM call, said as such; the status, HTTP status, codes and request id are kept. */
static ma_status iam_failed(ma_error *err, const char *what, const ma_error *inner)
{
    if (err) {
        char detail[MA_ERROR_MESSAGE_SIZE];
        memcpy(detail, inner->message, sizeof detail);
        *err = *inner;
        ma__error_set(err, inner->status, "%s failed: %s", what, detail);
    }
    return inner->status;
}

static int header_safe(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
            return 0;
    return 1;
}

static ma_status take_token(password_auth *p, const ma__call *call, ma_error *err)
{
    if (call->resp.status != 201)
        return ma__error_set(err, MA_ERR_PROTOCOL, "IAM login failed: HTTP %d instead of 201 Created",
                             call->resp.status);
    const char *token = ma__headers_get(&call->resp.headers, "X-Subject-Token");
    size_t len = token ? strnlen(token, (size_t)MA_TOKEN_MAX_BYTES + 1) : 0;
    if (len == 0 || len > MA_TOKEN_MAX_BYTES || !header_safe(token, len))
        return ma__error_set(err, MA_ERR_PROTOCOL, "IAM login failed: the response has no usable X-Subject-Token");
    int64_t expires = 0;
    char project_id[MA_PROJECT_ID_MAX + 1];
    ma_status st = ma__iam_token_body_parse(call->resp.body.data, call->resp.body.len, &expires, project_id,
                                            sizeof project_id, err);
    if (st != MA_OK)
        return st;
    char *copy = ma__strndup(&p->alloc, token, len);
    if (!copy)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory keeping the IAM token");
    drop_token(p);
    p->token = copy;
    p->token_len = len;
    p->expires_at_ms = expires;
    memcpy(p->token_project_id, project_id, sizeof project_id);
    return MA_OK;
}

/* Builds the login request into @p call (initialised here; the caller frees it whatever the outcome). */
static ma_status build_login(password_auth *p, ma_client *client, ma__call *call, ma_error *err)
{
    int failed = init_iam_call(p, client, call, "POST");
    /* The body carries the password: a secret buffer, wiped on growth and when the call is freed. */
    call->req.body_secret = 1;
    ma__buf_init_secret(&call->req.body, &ma__runtime_of(client)->alloc);
    ma__iam_login_fields f = {p->login.user_name, p->login.password, p->login.domain_name, p->login.project_name,
                              p->login.project_id};
    if (failed || add_segments(&call->req, "v3", "auth", "tokens") != 0 ||
        ma__request_add_param(&call->req, "nocatalog", "true", 4) != 0)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory building the IAM login request");
    return ma__iam_login_body(&f, &call->req.body, err);
}

/* What a finished login call means: the token kept, or the failure said as the login's. */
static ma_status login_outcome(password_auth *p, const ma__call *call, ma_error *err)
{
    if (call->status != MA_OK)
        return iam_failed(err, "IAM login", &call->err);
    return take_token(p, call, err);
}

static ma_status login(password_auth *p, ma_client *client, ma_error *err)
{
    drop_token(p);
    ma__call call;
    ma_status st = build_login(p, client, &call, err);
    if (st == MA_OK) {
        (void)ma__execute_one(client, &call, NULL);
        st = login_outcome(p, &call, err);
    }
    ma__call_free(&call);
    return st;
}

/* A token is cached and far enough from its expiry (wall clock). */
static int token_fresh(const password_auth *p, const ma__auth_context *ctx)
{
    return p->token && ctx->clock->epoch_ms(ctx->clock->ctx) < p->expires_at_ms - RENEW_MARGIN_MS;
}

/* On an event loop the login is a request the engine sends, not one sent (and waited for) from apply(). */
static ma_status password_prepare_call(ma__auth *self, const ma__auth_context *ctx, ma__call **call, int *wait,
                                       ma_error *err)
{
    password_auth *p = (password_auth *)self;
    *call = NULL;
    *wait = p->login_out != NULL;
    if (*wait || token_fresh(p, ctx))
        return MA_OK;
    drop_token(p);
    ma__call *c = ma__calloc(&p->alloc, 1, sizeof *c);
    if (!c)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory building the IAM login request");
    ma_status st = build_login(p, ctx->client, c, err);
    if (st != MA_OK) {
        ma__call_free(c);
        ma__free(&p->alloc, c);
        return st;
    }
    p->login_out = c;
    *call = c;
    return MA_OK;
}

static ma_status password_call_ended(ma__auth *self, const ma__auth_context *ctx, ma__call *call, ma_error *err)
{
    (void)ctx;
    password_auth *p = (password_auth *)self;
    ma_error detail;
    ma_error_clear(&detail);
    ma_status st = login_outcome(p, call, &detail);
    if (err)
        *err = detail;
    ma__call_free(call);
    ma__free(&p->alloc, call);
    p->login_out = NULL;
    return st;
}

static int password_call_out(const ma__auth *self)
{
    return ((const password_auth *)self)->login_out != NULL;
}

/* Logs in when no token is cached or it expires within the margin (wall clock). */
static ma_status ensure_token(password_auth *p, const ma__auth_context *ctx, ma_error *err)
{
    return token_fresh(p, ctx) ? MA_OK : login(p, ctx->client, err);
}

static ma_status password_apply(ma__auth *self, const ma__auth_context *ctx, ma__http_request *req, ma_error *err)
{
    password_auth *p = (password_auth *)self;
    static const char name[] = "X-Auth-Token";
    ma_status st = ensure_token(p, ctx, err);
    if (st != MA_OK)
        return st;
    if (ma__headers_add(&req->attempt_headers, name, sizeof name - 1, p->token, p->token_len, 1) != 0)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory adding the authentication header");
    return MA_OK;
}

/*
 * A 401 to a call we decorated means the token expired or was revoked
 * (APIG.0307, ModelArts.0202/0203): forget it, so the one more attempt the
 * engine allows logs in again. The body is not looked at: list bodies are
 * streamed into the page decoder, and any 401 makes the cached token suspect.
 */
static ma__auth_verdict password_on_response(ma__auth *self, const ma__auth_context *ctx, ma_status status,
                                             const ma__http_response *resp)
{
    (void)ctx;
    (void)status;
    password_auth *p = (password_auth *)self;
    if (resp->status != 401)
        return MA__AUTH_ACCEPT;
    drop_token(p);
    return MA__AUTH_RENEW_AND_RETRY;
}

static void password_redact(const ma__auth *self, char *text)
{
    const password_auth *p = (const password_auth *)self;
    ma__redact_secret(text, p->login.password, strlen(p->login.password));
    if (p->token)
        ma__redact_secret(text, p->token, p->token_len);
}

static void password_destroy(ma__auth *self)
{
    password_auth *p = (password_auth *)self;
    ma_allocator a = p->alloc;
    drop_token(p);
    if (p->login_out) {
        /* Its batch is gone with the client's transport: nothing will hand it back. */
        ma__call_free(p->login_out);
        ma__free(&a, p->login_out);
    }
    ma__endpoint_free(&a, &p->iam);
    ma__free(&a, p->login.iam_endpoint);
    ma__free(&a, p->login.user_name);
    ma__free_secret(&a, p->login.password);
    ma__free(&a, p->login.domain_name);
    ma__free(&a, p->login.project_name);
    ma__free(&a, p->login.project_id);
    ma__secure_zero(p, sizeof *p);
    ma__free(&a, p);
}

static int dup_opt(const ma_allocator *a, const char *s, char **out)
{
    *out = s ? ma__strdup(a, s) : NULL;
    return s && !*out ? -1 : 0;
}

ma_status ma__password_auth_new(const ma_allocator *alloc, const ma__password_login_copy *login, ma__auth **out,
                                ma_error *err)
{
    password_auth *p = ma__calloc(alloc, 1, sizeof *p);
    if (!p)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory creating the password authenticator");
    p->base.vtable = &password_vtable;
    p->alloc = *alloc;
    if (dup_opt(alloc, login->iam_endpoint, &p->login.iam_endpoint) ||
        dup_opt(alloc, login->user_name, &p->login.user_name) || dup_opt(alloc, login->password, &p->login.password) ||
        dup_opt(alloc, login->domain_name, &p->login.domain_name) ||
        dup_opt(alloc, login->project_name, &p->login.project_name) ||
        dup_opt(alloc, login->project_id, &p->login.project_id)) {
        password_destroy(&p->base);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory copying the password login");
    }
    ma_status st = ma__endpoint_parse(alloc, p->login.iam_endpoint, &p->iam, err);
    if (st != MA_OK) {
        password_destroy(&p->base);
        return st;
    }
    *out = &p->base;
    return MA_OK;
}

/* GET {iam}/v3/projects?name=... with the current token; exactly one match is an answer. */
static ma_status look_up_project(password_auth *p, ma_client *client, char *id, size_t id_size, ma_error *err)
{
    static const char name[] = "X-Auth-Token";
    const char *project = p->login.project_name;
    ma__call call;
    ma_status st;
    int failed = init_iam_call(p, client, &call, "GET");
    if (failed || add_segments(&call.req, "v3", "projects", NULL) != 0 ||
        ma__request_add_param(&call.req, "name", project, strlen(project)) != 0 ||
        ma__headers_add(&call.req.headers, name, sizeof name - 1, p->token, p->token_len, 1) != 0) {
        st = ma__error_set(err, MA_ERR_NOMEM, "out of memory building the IAM project lookup");
    } else {
        ma_error inner;
        st = ma__execute_one(client, &call, &inner);
        size_t matches = 0;
        if (st != MA_OK)
            st = iam_failed(err, "IAM project lookup", &inner);
        else if ((st = ma__iam_projects_parse(call.resp.body.data, call.resp.body.len, project, &matches, id, id_size,
                                              err)) != MA_OK)
            ;
        else if (matches == 0)
            st = ma__error_set(err, MA_ERR_INVALID_ARG, "IAM has 0 projects named \"%.64s\" visible to this user",
                               project);
        else if (matches > 1)
            st = ma__error_set(err, MA_ERR_SERVICE,
                               "IAM has %zu projects named \"%.64s\"; set the project id explicitly", matches, project);
    }
    ma__call_free(&call);
    return st;
}

/* The slot's discover_project: the login's own id, else the token's project, else a lookup by name. */
static ma_status password_discover_project(ma__auth *self, const ma__auth_context *ctx, char *id, size_t id_size,
                                           ma_error *err)
{
    password_auth *p = (password_auth *)self;
    if (p->login.project_id) {
        size_t len = strlen(p->login.project_id);
        if (len >= id_size)
            return ma__error_set(err, MA_ERR_INVALID_ARG, "project_id is longer than %zu bytes", id_size - 1);
        memcpy(id, p->login.project_id, len + 1);
        return MA_OK;
    }
    ma_status st = ensure_token(p, ctx, err);
    if (st != MA_OK)
        return st;
    if (p->token_project_id[0]) {
        snprintf(id, id_size, "%s", p->token_project_id);
        return MA_OK;
    }
    return look_up_project(p, ctx->client, id, id_size, err);
}

static const ma__auth_vtable password_vtable = {.apply = password_apply,
                                                .on_response = password_on_response,
                                                .redact = password_redact,
                                                .discover_project = password_discover_project,
                                                .prepare_call = password_prepare_call,
                                                .call_ended = password_call_ended,
                                                .call_out = password_call_out,
                                                .destroy = password_destroy};
