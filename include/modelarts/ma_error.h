/**
 * @file ma_error.h
 * @brief Status codes (ma_status) and the caller-owned error detail (ma_error).
 * @defgroup ma_error Errors
 * @{
 */
#ifndef MODELARTS_MA_ERROR_H
#define MODELARTS_MA_ERROR_H

#include <stdint.h>

#include "ma_export.h"

MA_BEGIN_DECLS

/**
 * @brief Result of every fallible call. 0 (#MA_OK) is success, negative is failure.
 *
 * Values are part of the ABI: they are never renumbered or reused.
 */
typedef enum ma_status {
    /** Success. */
    MA_OK = 0,
    /** A NULL where one is not allowed, or a value outside its documented range; nothing was sent. */
    MA_ERR_INVALID_ARG = -1,
    /** An allocation failed; nothing leaked, objects stay usable. */
    MA_ERR_NOMEM = -2,
    /** ma_global_init() was not called first. */
    MA_ERR_NOT_INITIALIZED = -3,
    /** Connect, DNS, reset or any other network failure (see ma_error::transport_code). */
    MA_ERR_TRANSPORT = -4,
    /** Connect or total timeout reached, or HTTP 408. */
    MA_ERR_TIMEOUT = -5,
    /** TLS handshake or certificate verification failed. */
    MA_ERR_TLS = -6,
    /**
     * HTTP 401 (credentials missing, wrong or expired) or 403 (authenticated, but not
     * allowed: the project, workspace or permission is wrong). ma_error::message
     * carries the service's own explanation when it sent one.
     */
    MA_ERR_UNAUTHORIZED = -7,
    /** HTTP 404. */
    MA_ERR_NOT_FOUND = -8,
    /** HTTP 429; see ma_error::retry_after_ms. */
    MA_ERR_RATE_LIMITED = -9,
    /** HTTP 5xx. */
    MA_ERR_SERVER = -10,
    /** The body says `"is_success": false` (HTTP 200 included), or another 4xx carried a service error body. */
    MA_ERR_SERVICE = -11,
    /**
     * The body is not JSON, has a field of the wrong type, or lacks a required field (the message names it),
     * or it cannot be decoded as its Content-Encoding says (ma_error::transport_code tells libcurl's error).
     */
    MA_ERR_PROTOCOL = -12,
    /** The body exceeded ma_client_options::max_response_bytes. */
    MA_ERR_RESPONSE_TOO_LARGE = -13,
    /** Any other non-2xx status: a redirect (never followed), or a 4xx without a service error body. */
    MA_ERR_HTTP = -14,
    /** The caller stopped the call (a progress callback returned non-zero); nothing leaked. @since 0.2 */
    MA_ERR_CANCELLED = -15
} ma_status;

/** @brief Size of ma_error::service_code, NUL included. @since 0.1 */
#define MA_ERROR_CODE_SIZE 64
/** @brief Size of ma_error::request_id, NUL included. @since 0.1 */
#define MA_ERROR_REQUEST_ID_SIZE 128
/** @brief Size of ma_error::message, NUL included. @since 0.1 */
#define MA_ERROR_MESSAGE_SIZE 512

/**
 * @brief Detail about the last failure of one call, owned by the caller.
 *
 * Pass a pointer as the last argument of any fallible call (or NULL if the
 * detail is not wanted). The call clears it on entry, so it is never stale,
 * and filling it never allocates. Strings are always NUL-terminated; text
 * that does not fit ends with "...". Messages never contain tokens, secret
 * keys, passwords or Authorization values.
 *
 * The struct has room to grow (#reserved): later versions may give reserved
 * space a name without changing its size. A caller that fills one itself (to
 * pass detail along) starts from ma_error_clear() or zeroes it, so reserved
 * space is always zero. Read what the message says only to show it: the
 * fields are the API, the wording may change.
 * @since 0.1 (ma_error::attempts, ma_error::failed_page and the reserved space since 0.4; the throttling
 * fields since 0.4.1, in space that was reserved)
 */
typedef struct ma_error {
    /** Same value as the call returned. */
    ma_status status;
    /** HTTP status of the response; 0 when no response was received. */
    int http_status;
    /** Transport (libcurl CURLcode) error; 0 when the transport succeeded. */
    int transport_code;
    /** Server's Retry-After in milliseconds; -1 when the header was absent or unreadable. */
    int64_t retry_after_ms;
    /** Service error code, e.g. "ModelArts.0105" or "APIG.0301"; "" if none. */
    char service_code[MA_ERROR_CODE_SIZE];
    /** X-Request-Id of the response (or the gateway body's request_id); "" if none. */
    char request_id[MA_ERROR_REQUEST_ID_SIZE];
    /** Human-readable explanation; "" on success. */
    char message[MA_ERROR_MESSAGE_SIZE];
    /**
     * @brief Attempts the call sent in all (retries and a renewal's extra attempt included);
     * 0 when it failed before sending anything. In a walk, the attempts of the page that failed.
     * @since 0.4
     */
    int32_t attempts;
    /**
     * @brief The page (1-based) whose failure ended a walk (ma_job_iter_next() or
     * ma_list_all_training_jobs()); 0 for any other call, and for a walk that failed
     * before a page did.
     * @since 0.4
     */
    int32_t failed_page;
    /**
     * @brief Non-zero when the service throttled the call: HTTP 429, or one of the throttling
     * service codes `APIG.0308`, `APIGW.0308`, `ModelArts.2799`, `ModelArts.4206`,
     * `ModelArts.6101`, whatever the HTTP status. A throttled call is retried after a longer
     * wait than a server error (see ma_retry_policy).
     * @since 0.4.1
     */
    int32_t throttled;
    /**
     * @brief Non-zero when the call ended without the retry its failure allowed because the
     * client's retry budget was empty (many recent requests of the client failed); the other
     * fields describe the last failed attempt. See ma_client_options::retry_budget.
     * @since 0.4.1
     */
    int32_t retries_suspended;
    /**
     * @brief The request limit a throttling message stated ("limit:10" in APIG's
     * "policy user over ratelimit,limit:10,time:1 minute"); 0 when it stated none.
     * @since 0.4.1
     */
    int32_t throttle_limit;
    /**
     * @brief The window of #throttle_limit in milliseconds ("time:1 minute" is 60000); 0 when
     * the message stated none.
     * @since 0.4.1
     */
    int32_t throttle_window_ms;
    /** @brief Reserved for later versions; always zero. @since 0.4 */
    int64_t reserved[6];
} ma_error;

/**
 * @brief Resets @p err to the success state (status MA_OK, empty strings, retry_after_ms -1,
 * every other field and the reserved space zero).
 * @param[out] err [nullable] Error to clear; NULL is a no-op.
 * @since 0.1
 */
MA_API void ma_error_clear(ma_error *err);

/**
 * @brief Short English description of a status.
 * @param status Any value, known or not.
 * @return A static string; never NULL ("unknown status" for values not listed in ::ma_status).
 * @since 0.1
 */
MA_API const char *ma_status_str(ma_status status);

/**
 * @brief Enumerator name of a status, e.g. "MA_ERR_TIMEOUT".
 * @param status Any value, known or not.
 * @return A static string; never NULL ("MA_STATUS_UNKNOWN" for unknown values).
 * @since 0.1
 */
MA_API const char *ma_status_name(ma_status status);

MA_END_DECLS

/** @} */
#endif
