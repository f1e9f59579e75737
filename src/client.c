#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth/password_auth.h"
#include "internal/alloc.h"
#include "internal/client.h"
#include "internal/error.h"
#include "internal/global.h"
#include "modelarts/ma_version.h"
#include "util/text.h"

/* Size of the options struct as a program built against @p version knows it. */
static size_t options_size(unsigned int version)
{
    return version >= 2 ? sizeof(ma_client_options) : offsetof(ma_client_options, allow_insecure_http);
}

/* Fields added after version 1 are read only when the caller's struct has them. */
#define MA__OPTION_OR(o, version_added, field, fallback) ((o)->version >= (version_added) ? (o)->field : (fallback))

ma_status ma_client_options_init(ma_client_options *options, unsigned int version)
{
    if (!options || version == 0 || version > MA_CLIENT_OPTIONS_VERSION)
        return MA_ERR_INVALID_ARG;
    memset(options, 0, options_size(version));
    options->version = version;
    options->connect_timeout_ms = MA_DEFAULT_CONNECT_TIMEOUT_MS;
    options->timeout_ms = MA_DEFAULT_TIMEOUT_MS;
    options->verify_tls = 1;
    options->max_response_bytes = MA_DEFAULT_MAX_RESPONSE_BYTES;
    options->sort_param_name = MA_SORT_PARAM_SORTBY;
    return MA_OK;
}

static int is_printable_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
            return 0;
    return 1;
}

static ma_status check_other_options(const ma_client_options *o, ma_error *err);

/* Everything that can be checked without allocating, so a bad option never costs a half-built client. */
static ma_status check_options(const ma_client_options *o, ma_error *err)
{
    if (o->version == 0 || o->version > MA_CLIENT_OPTIONS_VERSION)
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "options version %u is not supported (use ma_client_options_init)", o->version);
    if (!o->endpoint || !o->endpoint[0])
        return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint is required");
    if (!o->project_id && ma__credentials_can_discover_project(o->credentials))
        return check_other_options(o, err); /* the id comes from IAM on the first call */
    if (!o->project_id || !o->project_id[0])
        return ma__error_set(err, MA_ERR_INVALID_ARG, "project_id is required");
    size_t pid_len = strnlen(o->project_id, MA_PROJECT_ID_MAX + 1);
    if (pid_len > MA_PROJECT_ID_MAX)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "project_id is longer than %d bytes", MA_PROJECT_ID_MAX);
    if (!ma__utf8_validate(o->project_id, pid_len, NULL) || !ma__no_control_bytes(o->project_id, pid_len))
        return ma__error_set(err, MA_ERR_INVALID_ARG, "project_id must be UTF-8 without control characters");
    /* Dot segments would let a path normaliser move the request (and its token) elsewhere. */
    if (strcmp(o->project_id, ".") == 0 || strcmp(o->project_id, "..") == 0 || strstr(o->project_id, "/../") ||
        strstr(o->project_id, "/./"))
        return ma__error_set(err, MA_ERR_INVALID_ARG, "project_id must not be '.' or '..' or contain dot segments");
    return check_other_options(o, err);
}

static ma_status check_other_options(const ma_client_options *o, ma_error *err)
{
    if (!o->credentials)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "credentials are required");
    if (o->connect_timeout_ms < 0)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "connect_timeout_ms must be >= 0, got %ld",
                             o->connect_timeout_ms);
    if (o->timeout_ms < 0)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "timeout_ms must be >= 0, got %ld", o->timeout_ms);
    if (o->user_agent_suffix) {
        size_t len = strnlen(o->user_agent_suffix, MA_USER_AGENT_SUFFIX_MAX + 1);
        if (len > MA_USER_AGENT_SUFFIX_MAX || !is_printable_ascii(o->user_agent_suffix, len))
            return ma__error_set(err, MA_ERR_INVALID_ARG,
                                 "user_agent_suffix must be at most %d bytes of printable ASCII",
                                 MA_USER_AGENT_SUFFIX_MAX);
    }
    if (o->ca_file && (!o->ca_file[0] || access(o->ca_file, R_OK) != 0))
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ca_file cannot be read");
    if (o->sort_param_name != MA_SORT_PARAM_SORTBY && o->sort_param_name != MA_SORT_PARAM_SORT_BY)
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "sort_param_name must be MA_SORT_PARAM_SORTBY or "
                             "MA_SORT_PARAM_SORT_BY");
    return MA_OK;
}

/* Plain http only where nobody else can read the token, unless the caller insists. */
static ma_status check_scheme_policy(const ma__endpoint *ep, const ma_client_options *o, ma_error *err)
{
    if (strcmp(ep->scheme, "http") != 0 || ep->is_loopback || MA__OPTION_OR(o, 2, allow_insecure_http, 0))
        return MA_OK;
    return ma__error_set(err, MA_ERR_INVALID_ARG,
                         "endpoint uses plain http to %s, which would send the token in clear text; use https "
                         "(http is allowed for loopback hosts, or with allow_insecure_http)",
                         ep->host);
}

static ma_status build_transport(ma_client *c, const ma_client_options *o, ma_error *err)
{
    ma__buf ua;
    ma__buf_init(&ua, &c->alloc);
    if (ma__buf_append_str(&ua, "modelarts-c/" MA_VERSION_STRING " libcurl/") != 0 ||
        ma__buf_append_str(&ua, ma__curl_version()) != 0 ||
        (o->user_agent_suffix && o->user_agent_suffix[0] &&
         (ma__buf_append_char(&ua, ' ') != 0 || ma__buf_append_str(&ua, o->user_agent_suffix) != 0))) {
        ma__buf_free(&ua);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory building the User-Agent");
    }
    ma__curl_settings s;
    s.connect_timeout_ms = o->connect_timeout_ms;
    s.timeout_ms = o->timeout_ms;
    s.ca_file = o->ca_file;
    s.verify_tls = o->verify_tls ? 1 : 0;
    s.clock = &c->clock;
    s.user_agent = ua.data;
    s.max_response_bytes = o->max_response_bytes ? o->max_response_bytes : MA_DEFAULT_MAX_RESPONSE_BYTES;
    ma_status st = ma__curl_transport_new(&c->alloc, &s, &c->transport, err);
    ma__buf_free(&ua);
    return st;
}

ma_status ma_client_new(ma_client **out, const ma_client_options *options, ma_error *err)
{
    ma_error_clear(err);
    if (!out)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_client_new: out is NULL");
    *out = NULL;
    if (!options)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_client_new: options is NULL");
    ma_status st = check_options(options, err);
    if (st != MA_OK)
        return st;
    if (!ma__global_is_initialized())
        return ma__error_set(err, MA_ERR_NOT_INITIALIZED, "call ma_global_init() before ma_client_new()");

    const ma_allocator *a = ma__allocator_or_default(options->allocator);
    ma_client *c = ma__calloc(a, 1, sizeof *c);
    if (!c)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory allocating the client");
    c->alloc = *a;
    c->clock = *ma__system_clock();
    c->sort_param_name = options->sort_param_name;
    c->timeout_ms = options->timeout_ms;
    if ((st = ma__endpoint_parse(&c->alloc, options->endpoint, &c->endpoint, err)) != MA_OK ||
        (st = check_scheme_policy(&c->endpoint, options, err)) != MA_OK) {
        ma_client_free(c);
        return st;
    }
    if (options->project_id && !(c->project_id = ma__strdup(&c->alloc, options->project_id))) {
        ma_client_free(c);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory copying the project id");
    }
    if ((st = ma__auth_new(&c->alloc, options->credentials, c->project_id, &c->auth, err)) != MA_OK ||
        (st = build_transport(c, options, err)) != MA_OK) {
        ma_client_free(c);
        return st;
    }
    *out = c;
    return MA_OK;
}

void ma_client_free(ma_client *client)
{
    if (!client)
        return;
    ma_allocator a = client->alloc;
    if (client->transport)
        client->transport->vtable->destroy(client->transport);
    if (client->auth)
        client->auth->vtable->destroy(client->auth);
    ma__endpoint_free(&a, &client->endpoint);
    ma__free(&a, client->project_id);
    ma__free(&a, client);
}

void ma__client_set_transport(ma_client *client, ma__transport *transport)
{
    if (client->transport)
        client->transport->vtable->destroy(client->transport);
    client->transport = transport;
}

void ma__client_set_auth(ma_client *client, ma__auth *auth)
{
    if (client->auth)
        client->auth->vtable->destroy(client->auth);
    client->auth = auth;
}

void ma__client_set_clock(ma_client *client, const ma__clock *clock)
{
    client->clock = *clock;
}
