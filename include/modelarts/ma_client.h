/**
 * @file ma_client.h
 * @brief The client: endpoint, project, credentials and transport settings.
 * @defgroup ma_client Client
 * @{
 */
#ifndef MODELARTS_MA_CLIENT_H
#define MODELARTS_MA_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "ma_alloc.h"
#include "ma_credentials.h"
#include "ma_error.h"
#include "ma_export.h"

MA_BEGIN_DECLS

/**
 * @brief Opaque client. Owns one HTTP connection handle that is reused across
 * calls (keep-alive). Use one client from one thread at a time; separate
 * clients may run concurrently.
 * @since 0.1
 */
typedef struct ma_client ma_client;

/**
 * @brief Wire name of the sort parameter (values of ma_client_options::sort_param_name);
 * the service documents both. @since 0.1
 */
typedef enum ma_sort_param_name {
    /** `sortBy`, as on the REST API page (default, and what 0 means). */
    MA_SORT_PARAM_SORTBY = 0,
    /** `sort_by`, which some deployments expect with account (password) authentication. */
    MA_SORT_PARAM_SORT_BY = 1
} ma_sort_param_name;

/**
 * @brief Current version of ma_client_options; pass it to ma_client_options_init().
 *
 * Version 2 added ma_client_options::allow_insecure_http; version 3 the retry
 * policy, the total deadline, the low-speed limit, the cancel hook and the log callback;
 * version 4 (0.4) made zero the safe default of every field (see ma_client_options),
 * replaced `verify_tls` with ma_client_options::insecure_skip_tls_verify, turned enum
 * fields into `int32_t` and the embedded retry policy into a pointer; version 5 (0.4.1)
 * appended the retry budget and the client-side rate limits.
 * @since 0.4 (5 since 0.4.1)
 */
#define MA_CLIENT_OPTIONS_VERSION 5
/** @brief Default ma_client_options::connect_timeout_ms (what 0 means). @since 0.1 */
#define MA_DEFAULT_CONNECT_TIMEOUT_MS 10000L
/** @brief Default ma_client_options::timeout_ms (what 0 means). @since 0.1 */
#define MA_DEFAULT_TIMEOUT_MS 60000L
/**
 * @brief A timeout or limit field set to this value means "none" (0 means the default).
 *
 * For ma_client_options::connect_timeout_ms "none" means libcurl's own connect timeout;
 * for ma_client_options::timeout_ms and ma_client_options::total_timeout_ms no deadline;
 * for ma_client_options::low_speed_limit_bytes no low-speed limit.
 * @since 0.4
 */
#define MA_OPTION_NONE (-1L)
/** @brief Default ma_client_options::retry_budget: tokens in a client's retry budget. @since 0.4.1 */
#define MA_DEFAULT_RETRY_BUDGET 500
/** @brief Tokens a retry after a throttled response takes from the retry budget. @since 0.4.1 */
#define MA_RETRY_COST_THROTTLED 5
/** @brief Tokens any other retry takes from the retry budget. @since 0.4.1 */
#define MA_RETRY_COST_OTHER 10
/** @brief Default ma_client_options::max_response_bytes (32 MiB). @since 0.1 */
#define MA_DEFAULT_MAX_RESPONSE_BYTES ((size_t)32 * 1024 * 1024)
/** @brief Longest ma_client_options::user_agent_suffix accepted, in bytes. @since 0.1 */
#define MA_USER_AGENT_SUFFIX_MAX 256
/** @brief Longest project id accepted, in bytes. @since 0.1 */
#define MA_PROJECT_ID_MAX 256
/** @brief Default ma_retry_policy::max_attempts. @since 0.3 */
#define MA_DEFAULT_RETRY_MAX_ATTEMPTS 3
/** @brief Default ma_retry_policy::base_delay_ms. @since 0.3 */
#define MA_DEFAULT_RETRY_BASE_DELAY_MS 200L
/** @brief Default ma_retry_policy::max_delay_ms. @since 0.3 */
#define MA_DEFAULT_RETRY_MAX_DELAY_MS 10000L
/** @brief Base of the back-off after a throttled response (see ma_retry_policy). @since 0.4.1 */
#define MA_THROTTLE_BASE_DELAY_MS 1000L
/** @brief Largest ma_retry_policy::max_attempts accepted. @since 0.3 */
#define MA_RETRY_MAX_ATTEMPTS_LIMIT 100
/** @brief Current version of ma_retry_policy. @since 0.4 */
#define MA_RETRY_POLICY_VERSION 1
/** @brief Default ma_client_options::low_speed_limit_bytes (bytes per second). @since 0.3 */
#define MA_DEFAULT_LOW_SPEED_LIMIT_BYTES 16L
/** @brief Default ma_client_options::low_speed_time_s. @since 0.3 */
#define MA_DEFAULT_LOW_SPEED_TIME_S 30L

/**
 * @brief When and how a failed attempt is tried again; ma_client_options::retry points to one.
 *
 * An attempt is retried after a connection failure with no response (refused,
 * reset, closed before answering), after a per-request timeout before any
 * response byte, and after HTTP 429, 502, 503 or 504. Nothing else is retried:
 * never another 4xx, never a 401 or 403 (repeating a rejected signature can lock
 * the key), never an attempt whose connection broke or stalled once any byte of its
 * response had arrived (a 503 cut off after its status line included). The wait before retry n
 * (1, 2, ...) is the server's `Retry-After` (seconds or HTTP date) when it sent one,
 * else "full jitter": a random time in [0, min(#max_delay_ms, #base_delay_ms * 2^(n-1))].
 * After a throttled response (ma_error::throttled) without `Retry-After` the base is
 * #MA_THROTTLE_BASE_DELAY_MS (or #base_delay_ms when larger), and the wait is at least the
 * time the gateway's stated limit takes to grant one request (a window of 1 minute with
 * "limit:10" waits at least 6 s), never more than #max_delay_ms. Retries also need the
 * client's retry budget (ma_client_options::retry_budget).
 * A retry is never made before the server's time: when `Retry-After` is longer than
 * #max_delay_ms, or than what is left of ma_client_options::total_timeout_ms, the
 * call ends at once with that response's status (#MA_ERR_RATE_LIMITED for 429,
 * #MA_ERR_SERVER for 503) and ma_error::retry_after_ms set, so the caller decides
 * whether to wait. AK/SK requests are signed again for every attempt.
 * In a walk a retried page keeps its place, and the other pages go on meanwhile.
 *
 * Versioned like the options: start from #MA_RETRY_POLICY_INIT. Zero in any field
 * means that field's default.
 * @since 0.3 (a version field and zero defaults since 0.4)
 */
typedef struct ma_retry_policy {
    /** #MA_RETRY_POLICY_VERSION; set by #MA_RETRY_POLICY_INIT. @since 0.4 */
    unsigned int version;
    /** Attempts in all, the first included: 1 turns retries off. 1..#MA_RETRY_MAX_ATTEMPTS_LIMIT;
     * 0 means #MA_DEFAULT_RETRY_MAX_ATTEMPTS. */
    int32_t max_attempts;
    /** Base of the exponential back-off, in milliseconds (>= 0); 0 means #MA_DEFAULT_RETRY_BASE_DELAY_MS. */
    long base_delay_ms;
    /** Longest wait before a retry, in milliseconds (>= 0); a longer Retry-After ends the call
     * instead (see above). 0 means #MA_DEFAULT_RETRY_MAX_DELAY_MS. */
    long max_delay_ms;
} ma_retry_policy;

/** @brief A retry policy with every default. @since 0.4 */
#define MA_RETRY_POLICY_INIT             \
    {                                    \
        MA_RETRY_POLICY_VERSION, 0, 0, 0 \
    }

/**
 * @brief Severity of a log message (values of ma_client_options::log_level, the least one
 * delivered). Zero is not a level: in the options it means #MA_LOG_INFO.
 * @since 0.3 (numbered from 1 since 0.4)
 */
typedef enum ma_log_level {
    /** Every attempt's request line and request headers (secret values masked). */
    MA_LOG_DEBUG = 1,
    /** Every response: status, attempt, time taken, request id. */
    MA_LOG_INFO = 2,
    /** A retry and why. */
    MA_LOG_WARN = 3,
    /** A call that failed for good. */
    MA_LOG_ERROR = 4
} ma_log_level;

/**
 * @brief Receives one log message (no trailing newline), on the calling thread.
 *
 * Messages never contain a token, secret key, signature, security token, password
 * or request body: `Authorization`, `X-Auth-Token`, `X-Security-Token` and
 * `X-Subject-Token` values show as `***`.
 * @param level   Severity, one of ::ma_log_level.
 * @param message [transfer none] Valid only during the call.
 * @param user_data ma_client_options::log_user_data.
 * @since 0.3
 */
typedef void (*ma_log_fn)(ma_log_level level, const char *message, void *user_data);

/**
 * @brief Polled while a call runs (at least about once a second during a transfer,
 * every 50 ms while a call only waits for its next attempt, and before every attempt).
 * @param user_data ma_client_options::cancel_user_data.
 * @return 0 to go on; any other value ends the call with #MA_ERR_CANCELLED.
 * @since 0.3
 */
typedef int (*ma_cancel_fn)(void *user_data);

/**
 * @brief Client settings. Start from #MA_CLIENT_OPTIONS_INIT or ma_client_options_init(), then set fields.
 *
 * **Zero is safe** (options version 4): a struct that is all zero but for its version
 * verifies TLS, has both timeouts at their defaults, retries with the default policy
 * and logs nothing. "None" for a timeout or limit is #MA_OPTION_NONE, never 0.
 *
 * The library reads only the fields that exist in the version the options were
 * initialised with. Versions 1 to 3 keep their meaning: for them the field
 * #insecure_skip_tls_verify is read as the old `verify_tls` (1 verifies), a zero
 * #connect_timeout_ms, #timeout_ms or #low_speed_limit_bytes means none, and a log
 * level of 0 means #MA_LOG_DEBUG. Strings are copied by ma_client_new(); none is kept.
 * Fields are only ever appended.
 * @since 0.1
 */
typedef struct ma_client_options {
    /** Version the struct was initialised with; set by ma_client_options_init(). */
    unsigned int version;
    /**
     * Service endpoint, e.g. "https://modelarts.eu-de.otc.t-systems.com". Required.
     * https, or http for a loopback host (localhost, 127.0.0.0/8, [::1]); http to any
     * other host needs #allow_insecure_http. An optional path prefix is kept,
     * trailing slashes are dropped; user info, query, fragment, whitespace, port 0
     * and an empty host are rejected with a message that says which. Only the
     * endpoint's own scheme is ever used, and redirects are never followed.
     */
    const char *endpoint;
    /**
     * Project id (the `{project_id}` of the URL); percent-encoded when sent. Required, except
     * with password credentials that name a project (ma_credentials_new_password()): NULL then
     * means "discover it through IAM on the first call".
     */
    const char *project_id;
    /** How to authenticate. Required; copied, so it may be freed after ma_client_new(). */
    const ma_credentials *credentials;
    /** Connect timeout in milliseconds; 0 means #MA_DEFAULT_CONNECT_TIMEOUT_MS, #MA_OPTION_NONE libcurl's default. */
    long connect_timeout_ms;
    /**
     * Timeout of one request (one attempt: connect, send, whole response) in milliseconds;
     * 0 means #MA_DEFAULT_TIMEOUT_MS, #MA_OPTION_NONE none. A call that retries may take
     * longer in all; #total_timeout_ms bounds the whole call.
     */
    long timeout_ms;
    /** PEM bundle of trusted CAs; NULL uses the system store. ma_client_new() refuses a file it cannot read. */
    const char *ca_file;
    /**
     * @brief Skip verifying the server certificate and host name: 0 (default) verifies, 1 skips.
     *
     * **Dangerous**: 1 accepts any certificate for any host, so anyone on the path can
     * pose as the service and read the token or replay the signature. Only for tests
     * against a server whose certificate cannot be trusted; prefer #ca_file.
     * In options versions 1 to 3 this field was `verify_tls`, with the opposite sense.
     * @since 0.4 (options version 4)
     */
    int32_t insecure_skip_tls_verify;
    /** Appended to the User-Agent after a space; printable ASCII only; NULL for none. */
    const char *user_agent_suffix;
    /** Largest response body accepted, in bytes; 0 means #MA_DEFAULT_MAX_RESPONSE_BYTES. */
    size_t max_response_bytes;
    /** Wire name of the sort parameter, one of ::ma_sort_param_name; 0 is #MA_SORT_PARAM_SORTBY. */
    int32_t sort_param_name;
    /** Allocator for the client and every result it returns; NULL means ma_default_allocator(). */
    const ma_allocator *allocator;
    /**
     * @brief Allow a plain `http://` endpoint on a host that is not loopback. Default 0.
     *
     * **Dangerous**: the token (or signature) then crosses the network in clear text
     * and anyone on the path can read and replay it. Only for test networks.
     * @since 0.2 (options version 2)
     */
    int32_t allow_insecure_http;
    /**
     * @brief Deadline of one whole call in milliseconds, every attempt and every wait
     * between them included; 0 (default) or #MA_OPTION_NONE means none beyond the
     * attempts' own #timeout_ms. When it passes the call ends with #MA_ERR_TIMEOUT, and
     * the message names `total_timeout_ms`. For walks see also ma_walk_options::timeout_ms.
     * @since 0.3 (options version 3)
     */
    long total_timeout_ms;
    /**
     * @brief Low-speed limit: a transfer slower than this many bytes per second for
     * #low_speed_time_s seconds ends with #MA_ERR_TIMEOUT, so a server that drips
     * bytes cannot hold a call forever. 0 means #MA_DEFAULT_LOW_SPEED_LIMIT_BYTES,
     * #MA_OPTION_NONE turns it off.
     * @since 0.3 (options version 3)
     */
    long low_speed_limit_bytes;
    /** @brief See #low_speed_limit_bytes; 0 means #MA_DEFAULT_LOW_SPEED_TIME_S. @since 0.3 (options version 3) */
    long low_speed_time_s;
    /** @brief Cancel hook polled during calls; NULL (default) for none. @since 0.3 (options version 3) */
    ma_cancel_fn cancel;
    /** @brief Passed to #cancel. @since 0.3 (options version 3) */
    void *cancel_user_data;
    /** @brief Log callback; NULL (default) logs nothing. @since 0.3 (options version 3) */
    ma_log_fn log;
    /** @brief Passed to #log. @since 0.3 (options version 3) */
    void *log_user_data;
    /**
     * @brief Least severity delivered to #log, one of ::ma_log_level; 0 means #MA_LOG_INFO.
     * @since 0.3 (options version 3; `int32_t` since 0.4)
     */
    int32_t log_level;
    /**
     * @brief Retry policy; NULL (default) means every default (retries on). Read only
     * during ma_client_new(), so it may point to a local variable.
     * @since 0.4 (options version 4; embedded in the struct in version 3)
     */
    const ma_retry_policy *retry;
    /**
     * @brief Tokens in the client's retry budget; 0 means #MA_DEFAULT_RETRY_BUDGET,
     * #MA_OPTION_NONE means no budget (every retry the policy allows is made).
     *
     * One bucket per client, shared by every call and every page of its walks: a retry
     * after a throttled response takes #MA_RETRY_COST_THROTTLED tokens, any other retry
     * #MA_RETRY_COST_OTHER; a call that succeeds gives back 1, or the cost of its retry when
     * it needed one. When the bucket cannot pay, the call ends at once with its last
     * failure, ma_error::retries_suspended set and a message saying that retries were
     * suspended because many recent requests failed. So a client facing an outage soon
     * sends one request per call instead of max_attempts. ma_client_throttle_state()
     * reads the bucket.
     * @since 0.4.1 (options version 5)
     */
    int32_t retry_budget;
    /**
     * @brief Adaptive client-side rate limiting: 0 (default) on, #MA_OPTION_NONE off.
     *
     * Dormant until the client's first throttled response (ma_error::throttled); from then
     * on every request of the client, from every call and walk, waits for a token of a
     * bucket whose rate drops to 70 % of the measured send rate on each throttled response
     * and grows back on successes (a CUBIC curve, never below 0.5 requests per second). The
     * waits are timed by the client's clock and count against deadlines like back-off.
     * @since 0.4.1 (options version 5)
     */
    int32_t adaptive_rate_limit;
    /**
     * @brief A fixed cap on the client's requests per second (every attempt of every call
     * and walk, retries included); 0 (default) means none. For users who know their
     * gateway's limit: 3.0 spaces requests a third of a second apart, and after a pause lets
     * at most 3 go at once. The adaptive limiter may go lower, never higher. Must be a
     * number from 0 to 1e9.
     * @since 0.4.1 (options version 5)
     */
    double max_requests_per_second;
} ma_client_options;

/** @brief Options with every default; set the required fields before ma_client_new(). @since 0.1 */
#define MA_CLIENT_OPTIONS_INIT                                                                                      \
    {                                                                                                               \
        MA_CLIENT_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0, NULL, 0, NULL, 0, 0, NULL, 0, 0, 0, 0, NULL, NULL, NULL, \
            NULL, 0, NULL, 0, 0, 0.0                                                                                \
    }

/**
 * @brief Fills @p options with defaults (the values of #MA_CLIENT_OPTIONS_INIT
 * for @p version).
 *
 * It can only fail on a NULL @p options or an unsupported @p version, so with
 * a valid struct and #MA_CLIENT_OPTIONS_VERSION the result may be ignored;
 * #MA_CLIENT_OPTIONS_INIT does the same without a call.
 *
 * @param[out] options [not nullable] Options to fill.
 * @param      version Always pass #MA_CLIENT_OPTIONS_VERSION.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG @p options is NULL or @p version is 0 or newer than this library.
 * @since 0.1
 */
MA_API ma_status ma_client_options_init(ma_client_options *options, unsigned int version);

/**
 * @brief Creates a client.
 *
 * Nothing is sent yet: the first call connects (and, with password credentials, logs in).
 * Every string of @p options and the credentials are copied, so all of them may be freed
 * once this returns. Clients are independent: creating and using several on different
 * threads needs no locking; one client is used by one thread at a time.
 * @param[out] out     [transfer full] Free with ma_client_free(); NULL on failure.
 * @param[in]  options [not nullable] Settings; read only during this call.
 * @param[out] err     [nullable] Cleared on entry; names the offending option on failure.
 * @retval MA_OK                  Success.
 * @retval MA_ERR_INVALID_ARG     A NULL argument, an unknown options version, a missing or
 *                                malformed endpoint (plain http to a host that is not loopback
 *                                without #ma_client_options::allow_insecure_http included), project
 *                                id or credentials, a negative timeout or low-speed setting, a retry
 *                                policy out of range or of an unknown version, a log level not in
 *                                ::ma_log_level, a sort
 *                                parameter name not in ::ma_sort_param_name, an empty or unreadable
 *                                ca_file, or a user-agent suffix that is too long or has
 *                                non-printable bytes.
 * @retval MA_ERR_NOT_INITIALIZED ma_global_init() has not been called.
 * @retval MA_ERR_NOMEM           Allocation failed.
 * @retval MA_ERR_TRANSPORT       libcurl could not create a handle.
 * @since 0.1
 */
MA_API MA_NODISCARD ma_status ma_client_new(ma_client **out, const ma_client_options *options, ma_error *err);

/**
 * @brief Closes the client's connections and frees it; secrets are wiped.
 *
 * Free every ma_job_iter of the client first; ma_job_list results it returned stay valid
 * (they keep their own allocator), to be freed with ma_job_list_free().
 * @param[in] client [nullable] NULL is a no-op.
 * @since 0.1
 */
MA_API void ma_client_free(ma_client *client);

/**
 * @brief A snapshot of a client's retry budget and client-side rate limiter, for metrics.
 * @since 0.4.1
 */
typedef struct ma_throttle_state {
    /** Tokens left in the retry budget; 0 when there is no budget. */
    int32_t retry_tokens;
    /** Size of the retry budget (ma_client_options::retry_budget); 0 when there is none. */
    int32_t retry_tokens_max;
    /** Retries the budget refused since the client was created. */
    int64_t retries_refused;
    /** Throttled responses (ma_error::throttled) the client received since it was created. */
    int64_t throttled_responses;
    /**
     * Requests per second the client allows itself now: the adaptive limiter's rate once a
     * throttled response turned it on, or ma_client_options::max_requests_per_second when
     * lower; 0 while nothing limits the rate.
     */
    double rate_limit_rps;
    /** Reserved for later versions; zero. */
    int64_t reserved[4];
} ma_throttle_state;

/**
 * @brief Reads the retry budget and rate limiter of @p client.
 * @param[in]  client [not nullable] The client; not changed.
 * @param[out] out    [not nullable] Filled on success.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG @p client or @p out is NULL.
 * @since 0.4.1
 */
MA_API ma_status ma_client_throttle_state(const ma_client *client, ma_throttle_state *out);

MA_END_DECLS

/** @} */
#endif
