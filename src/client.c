#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "auth/password_auth.h"
#include "util/alloc.h"
#include "client.h"
#include "util/error.h"
#include "http/global.h"
#include "modelarts/ma_version.h"
#include "util/text.h"
#include "event/request.h"

/* Size of the options struct as a program built against @p version knows it. */
static size_t options_size(unsigned int version)
{
    if (version >= 5)
        return sizeof(ma_client_options);
    if (version >= 3)
        return offsetof(ma_client_options, retry_budget);
    return version == 2 ? offsetof(ma_client_options, total_timeout_ms)
                        : offsetof(ma_client_options, allow_insecure_http);
}

static ma_status check_v5_options(const ma_client_options *o, ma_error *err);

/* Fields added after version 1 are read only when the caller's struct has them. */
#define MA__OPTION_OR(o, version_added, field, fallback) ((o)->version >= (version_added) ? (o)->field : (fallback))

/* Versions 1 to 3 meant "none" by zero; version 4 means "the default" by zero and "none" by MA_OPTION_NONE. */
static long timeout_or(const ma_client_options *o, long value, long fallback)
{
    if (value == MA_OPTION_NONE)
        return 0;
    if (value == 0)
        return o->version >= 4 ? fallback : 0;
    return value;
}

ma_status ma_client_options_init(ma_client_options *options, unsigned int version)
{
    if (!options || version == 0 || version > MA_CLIENT_OPTIONS_VERSION)
        return MA_ERR_INVALID_ARG;
    memset(options, 0, options_size(version));
    options->version = version;
    if (version >= 4)
        return MA_OK; /* zero is every default */
    /* Versions 1 to 3 spelled their defaults out: zero meant "none" there. */
    options->connect_timeout_ms = MA_DEFAULT_CONNECT_TIMEOUT_MS;
    options->timeout_ms = MA_DEFAULT_TIMEOUT_MS;
    options->insecure_skip_tls_verify = 1; /* the old verify_tls = 1 */
    options->max_response_bytes = MA_DEFAULT_MAX_RESPONSE_BYTES;
    if (version >= 3) {
        options->low_speed_limit_bytes = MA_DEFAULT_LOW_SPEED_LIMIT_BYTES;
        options->low_speed_time_s = MA_DEFAULT_LOW_SPEED_TIME_S;
        options->log_level = MA_LOG_INFO;
    }
    return MA_OK;
}

/* Whether the caller asked to skip certificate checks, in the sense of the caller's options version. */
static int skips_tls_verify(const ma_client_options *o)
{
    return o->version >= 4 ? o->insecure_skip_tls_verify != 0 : o->insecure_skip_tls_verify == 0;
}

/* The client's copy of the policy: zero fields take their defaults. */
static ma_status resolve_retry(const ma_client_options *o, ma_retry_policy *out, ma_error *err)
{
    const ma_retry_policy *r = MA__OPTION_OR(o, 3, retry, NULL);
    ma_retry_policy p = MA_RETRY_POLICY_INIT;
    if (r) {
        if (r->version == 0 || r->version > MA_RETRY_POLICY_VERSION)
            return ma__error_set(err, MA_ERR_INVALID_ARG,
                                 "retry policy version %u is not supported (use MA_RETRY_POLICY_INIT)", r->version);
        p = *r;
    }
    if (p.max_attempts < 0 || p.max_attempts > MA_RETRY_MAX_ATTEMPTS_LIMIT)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "retry->max_attempts must be 1..%d (0 for the default), got %d",
                             MA_RETRY_MAX_ATTEMPTS_LIMIT, (int)p.max_attempts);
    if (p.base_delay_ms < 0 || p.max_delay_ms < 0)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "retry->base_delay_ms and retry->max_delay_ms must be >= 0");
    if (p.max_attempts == 0)
        p.max_attempts = MA_DEFAULT_RETRY_MAX_ATTEMPTS;
    if (p.base_delay_ms == 0)
        p.base_delay_ms = MA_DEFAULT_RETRY_BASE_DELAY_MS;
    if (p.max_delay_ms == 0)
        p.max_delay_ms = MA_DEFAULT_RETRY_MAX_DELAY_MS;
    *out = p;
    return MA_OK;
}

/* The retry budget and the rate limits (options version 5). */
static ma_status check_v5_options(const ma_client_options *o, ma_error *err)
{
    if (o->retry_budget < 0 && o->retry_budget != MA_OPTION_NONE)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "retry_budget must be >= 0 or MA_OPTION_NONE, got %d",
                             (int)o->retry_budget);
    if (o->adaptive_rate_limit != 0 && o->adaptive_rate_limit != MA_OPTION_NONE)
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "adaptive_rate_limit must be 0 (on) or MA_OPTION_NONE (off), got %d",
                             (int)o->adaptive_rate_limit);
    /* NaN fails both comparisons. */
    if (!(o->max_requests_per_second >= 0 && o->max_requests_per_second <= 1e9))
        return ma__error_set(err, MA_ERR_INVALID_ARG, "max_requests_per_second must be a number from 0 to 1e9");
    return MA_OK;
}

/* The least severity delivered; 0 is the default in version 4 and MA_LOG_DEBUG's old number before. */
static int32_t effective_log_level(const ma_client_options *o)
{
    int32_t level = MA__OPTION_OR(o, 3, log_level, MA_LOG_INFO);
    if (level == 0)
        return o->version >= 4 ? MA_LOG_INFO : MA_LOG_DEBUG;
    return o->version >= 4 ? level : level + 1; /* versions 1 to 3 counted from 0 */
}

static int is_printable_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
            return 0;
    return 1;
}

static ma_status check_other_options(const ma_client_options *o, ma_error *err);

static ma_status check_v3_options(const ma_client_options *o, ma_error *err)
{
    if (o->total_timeout_ms < 0 && o->total_timeout_ms != MA_OPTION_NONE)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "total_timeout_ms must be >= 0 or MA_OPTION_NONE, got %ld",
                             o->total_timeout_ms);
    if ((o->low_speed_limit_bytes < 0 && o->low_speed_limit_bytes != MA_OPTION_NONE) || o->low_speed_time_s < 0)
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "low_speed_limit_bytes must be >= 0 or MA_OPTION_NONE, and low_speed_time_s >= 0");
    int32_t level = effective_log_level(o);
    if (level < MA_LOG_DEBUG || level > MA_LOG_ERROR)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "log_level must be MA_LOG_DEBUG..MA_LOG_ERROR, got %d",
                             (int)o->log_level);
    ma_retry_policy unused;
    ma_status st = resolve_retry(o, &unused, err);
    return st == MA_OK && o->version >= 5 ? check_v5_options(o, err) : st;
}

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
    if (o->connect_timeout_ms < 0 && o->connect_timeout_ms != MA_OPTION_NONE)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "connect_timeout_ms must be >= 0 or MA_OPTION_NONE, got %ld",
                             o->connect_timeout_ms);
    if (o->timeout_ms < 0 && o->timeout_ms != MA_OPTION_NONE)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "timeout_ms must be >= 0 or MA_OPTION_NONE, got %ld",
                             o->timeout_ms);
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
    return o->version >= 3 ? check_v3_options(o, err) : MA_OK;
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
    ma__buf_init(&ua, &c->rt.alloc);
    if (ma__buf_append_str(&ua, "modelarts-c/" MA_VERSION_STRING " libcurl/") != 0 ||
        ma__buf_append_str(&ua, ma__curl_version()) != 0 ||
        (o->user_agent_suffix && o->user_agent_suffix[0] &&
         (ma__buf_append_char(&ua, ' ') != 0 || ma__buf_append_str(&ua, o->user_agent_suffix) != 0))) {
        ma__buf_free(&ua);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory building the User-Agent");
    }
    ma__curl_settings s;
    s.connect_timeout_ms = timeout_or(o, o->connect_timeout_ms, MA_DEFAULT_CONNECT_TIMEOUT_MS);
    s.timeout_ms = timeout_or(o, o->timeout_ms, MA_DEFAULT_TIMEOUT_MS);
    s.ca_file = o->ca_file;
    s.verify_tls = skips_tls_verify(o) ? 0 : 1;
    s.clock = &c->rt.clock;
    s.low_speed_limit_bytes = o->version >= 3
                                  ? timeout_or(o, o->low_speed_limit_bytes, MA_DEFAULT_LOW_SPEED_LIMIT_BYTES)
                                  : MA_DEFAULT_LOW_SPEED_LIMIT_BYTES;
    s.low_speed_time_s = MA__OPTION_OR(o, 3, low_speed_time_s, MA_DEFAULT_LOW_SPEED_TIME_S);
    if (s.low_speed_time_s == 0)
        s.low_speed_time_s = o->version >= 4 ? MA_DEFAULT_LOW_SPEED_TIME_S : 0;
    s.cancel = MA__OPTION_OR(o, 3, cancel, NULL);
    s.cancel_user_data = MA__OPTION_OR(o, 3, cancel_user_data, NULL);
    s.user_agent = ua.data;
    s.max_response_bytes = o->max_response_bytes ? o->max_response_bytes : MA_DEFAULT_MAX_RESPONSE_BYTES;
    ma_status st = ma__curl_transport_new(&c->rt.alloc, &s, &c->rt.transport, err);
    ma__buf_free(&ua);
    return st;
}

/* splitmix64: small, and good enough to spread retries apart. */
static uint64_t default_random(void *ctx)
{
    uint64_t *state = ctx;
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
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
    c->rt.alloc = *a;
    c->rt.clock = *ma__system_clock();
    c->rt.sort_param_name = options->sort_param_name;
    long total = MA__OPTION_OR(options, 3, total_timeout_ms, 0);
    c->rt.total_timeout_ms = total == MA_OPTION_NONE ? 0 : total;
    (void)resolve_retry(options, &c->rt.retry, NULL); /* checked by check_options */
    int32_t budget = MA__OPTION_OR(options, 5, retry_budget, 0);
    ma__retry_budget_init(&c->rt.budget, budget == 0 ? MA_DEFAULT_RETRY_BUDGET : budget < 0 ? 0 : budget);
    ma__rate_limiter_init(&c->rt.limiter, MA__OPTION_OR(options, 5, adaptive_rate_limit, 0) == 0,
                          MA__OPTION_OR(options, 5, max_requests_per_second, 0.0));
    c->rt.log = MA__OPTION_OR(options, 3, log, NULL);
    c->rt.log_user_data = MA__OPTION_OR(options, 3, log_user_data, NULL);
    c->rt.log_level = effective_log_level(options);
    c->rt.cancel = MA__OPTION_OR(options, 3, cancel, NULL);
    c->rt.cancel_user_data = MA__OPTION_OR(options, 3, cancel_user_data, NULL);
    /* Jitter only has to differ between clients and runs, not resist prediction. */
    c->rt.random_state = (uint64_t)c->rt.clock.monotonic_ms(c->rt.clock.ctx) ^ (uint64_t)(uintptr_t)c;
    c->rt.random.next = default_random;
    c->rt.random.ctx = &c->rt.random_state;
    if ((st = ma__endpoint_parse(&c->rt.alloc, options->endpoint, &c->rt.endpoint, err)) != MA_OK ||
        (st = check_scheme_policy(&c->rt.endpoint, options, err)) != MA_OK) {
        ma_client_free(c);
        return st;
    }
    if (options->project_id && !(c->rt.project_id = ma__strdup(&c->rt.alloc, options->project_id))) {
        ma_client_free(c);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory copying the project id");
    }
    if ((st = ma__auth_new(&c->rt.alloc, options->credentials, c->rt.project_id, &c->rt.auth, err)) != MA_OK ||
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
    ma_allocator a = client->rt.alloc;
    ma__event_loop_end(client);
    if (client->rt.transport)
        client->rt.transport->vtable->destroy(client->rt.transport);
    ma__event_loop_free(client);
    if (client->rt.auth)
        client->rt.auth->vtable->destroy(client->rt.auth);
    ma__endpoint_free(&a, &client->rt.endpoint);
    ma__free(&a, client->rt.project_id);
    ma__free(&a, client);
}

void ma__client_set_transport(ma_client *client, ma__transport *transport)
{
    if (client->rt.transport)
        client->rt.transport->vtable->destroy(client->rt.transport);
    client->rt.transport = transport;
}

void ma__client_set_auth(ma_client *client, ma__auth *auth)
{
    if (client->rt.auth)
        client->rt.auth->vtable->destroy(client->rt.auth);
    client->rt.auth = auth;
}

void ma__client_set_clock(ma_client *client, const ma__clock *clock)
{
    client->rt.clock = *clock;
}

void ma__client_set_random(ma_client *client, const ma__random *random)
{
    client->rt.random = *random;
}

ma_status ma_client_throttle_state(const ma_client *client, ma_throttle_state *out)
{
    if (!client || !out)
        return MA_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    out->retry_tokens = client->rt.budget.tokens;
    out->retry_tokens_max = client->rt.budget.capacity;
    out->retries_refused = client->rt.budget.refused;
    out->throttled_responses = client->rt.throttled_responses;
    out->rate_limit_rps = ma__rate_limiter_rate(&client->rt.limiter);
    return MA_OK;
}
