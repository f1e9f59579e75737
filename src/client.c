#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal/alloc.h"
#include "internal/client.h"
#include "internal/error.h"
#include "internal/global.h"
#include "modelarts/ma_version.h"
#include "util/text.h"

ma_status ma_client_options_init(ma_client_options *options, unsigned int version)
{
    if (!options || version == 0 || version > MA_CLIENT_OPTIONS_VERSION)
        return MA_ERR_INVALID_ARG;
    memset(options, 0, sizeof *options);
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

/* Everything that can be checked without allocating, so a bad option never costs a half-built client. */
static ma_status check_options(const ma_client_options *o, ma_error *err)
{
    if (o->version == 0 || o->version > MA_CLIENT_OPTIONS_VERSION)
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "options version %u is not supported (use ma_client_options_init)", o->version);
    if (!o->endpoint || !o->endpoint[0])
        return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint is required");
    if (!o->project_id || !o->project_id[0])
        return ma__error_set(err, MA_ERR_INVALID_ARG, "project_id is required");
    size_t pid_len = strnlen(o->project_id, MA_PROJECT_ID_MAX + 1);
    if (pid_len > MA_PROJECT_ID_MAX)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "project_id is longer than %d bytes", MA_PROJECT_ID_MAX);
    if (!ma__utf8_validate(o->project_id, pid_len, NULL) || !ma__no_control_bytes(o->project_id, pid_len))
        return ma__error_set(err, MA_ERR_INVALID_ARG, "project_id must be UTF-8 without control characters");
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

static ma_status build_jobs_url(ma_client *c, const char *project_id, ma_error *err)
{
    ma__buf url;
    ma__buf_init(&url, &c->alloc);
    if (ma__buf_append_str(&url, c->endpoint) != 0 || ma__buf_append_str(&url, "/v1/") != 0 ||
        ma__pct_encode(&url, project_id, strlen(project_id)) != 0 || ma__buf_append_str(&url, "/training-jobs") != 0 ||
        !(c->jobs_url = ma__buf_detach(&url))) {
        ma__buf_free(&url);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory building the request URL");
    }
    return MA_OK;
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
    s.user_agent = ua.data;
    s.max_response_bytes = o->max_response_bytes ? o->max_response_bytes : MA_DEFAULT_MAX_RESPONSE_BYTES;
    s.clock = &c->clock;
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
    int is_http = 0;
    if ((st = ma__endpoint_normalize(&c->alloc, options->endpoint, &c->endpoint, &is_http, err)) != MA_OK ||
        (st = build_jobs_url(c, options->project_id, err)) != MA_OK ||
        (!(c->project_id = ma__strdup(&c->alloc, options->project_id)) &&
         (st = ma__error_set(err, MA_ERR_NOMEM, "out of memory copying the project id")) != MA_OK) ||
        (st = ma__auth_new(&c->alloc, options->credentials, &c->auth, err)) != MA_OK ||
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
    ma__free(&a, client->endpoint);
    ma__free(&a, client->jobs_url);
    ma__free(&a, client->project_id);
    ma__free(&a, client);
}

void ma__client_set_transport(ma_client *client, ma__transport *transport)
{
    if (client->transport)
        client->transport->vtable->destroy(client->transport);
    client->transport = transport;
}

void ma__client_set_clock(ma_client *client, const ma__clock *clock)
{
    client->clock = *clock;
}
