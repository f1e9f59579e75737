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
 * @brief Every status the library returns: name, value, short description.
 *
 * Values are part of the ABI: they are never renumbered or reused. 0 is
 * success and every failure is negative.
 */
#define MA_STATUS_LIST(X)                                                                                   \
    X(MA_OK, 0, "success")                                                                                  \
    X(MA_ERR_INVALID_ARG, -1, "invalid argument")                                                           \
    X(MA_ERR_NOMEM, -2, "out of memory")                                                                    \
    X(MA_ERR_NOT_INITIALIZED, -3, "ma_global_init() has not been called")                                   \
    X(MA_ERR_TRANSPORT, -4, "network transport failure")                                                    \
    X(MA_ERR_TIMEOUT, -5, "operation timed out")                                                            \
    X(MA_ERR_TLS, -6, "TLS failure")                                                                        \
    X(MA_ERR_UNAUTHORIZED, -7, "credentials rejected (HTTP 401/403)")                                       \
    X(MA_ERR_NOT_FOUND, -8, "resource not found (HTTP 404)")                                                \
    X(MA_ERR_RATE_LIMITED, -9, "rate limited (HTTP 429)")                                                   \
    X(MA_ERR_SERVER, -10, "server error (HTTP 5xx)")                                                        \
    X(MA_ERR_SERVICE, -11, "the service reported a failure")                                                \
    X(MA_ERR_PROTOCOL, -12, "malformed response from the service")                                         \
    X(MA_ERR_RESPONSE_TOO_LARGE, -13, "response larger than the configured limit")                          \
    X(MA_ERR_HTTP, -14, "unexpected HTTP status")

/**
 * @brief Result of every fallible call. 0 (#MA_OK) is success, negative is failure.
 *
 * - #MA_ERR_INVALID_ARG: a NULL where one is not allowed, or a value outside
 *   its documented range; nothing was sent.
 * - #MA_ERR_NOMEM: an allocation failed; nothing leaked, objects stay usable.
 * - #MA_ERR_NOT_INITIALIZED: ma_global_init() was not called first.
 * - #MA_ERR_TRANSPORT: connect, DNS, reset or any other network failure.
 * - #MA_ERR_TIMEOUT: connect or total timeout reached, or HTTP 408.
 * - #MA_ERR_TLS: handshake or certificate verification failed.
 * - #MA_ERR_UNAUTHORIZED: HTTP 401 or 403.
 * - #MA_ERR_NOT_FOUND: HTTP 404.
 * - #MA_ERR_RATE_LIMITED: HTTP 429; see ma_error::retry_after_ms.
 * - #MA_ERR_SERVER: HTTP 5xx.
 * - #MA_ERR_SERVICE: the body says `"is_success": false` (HTTP 200 included),
 *   or another 4xx came with a service error body.
 * - #MA_ERR_PROTOCOL: the body is not JSON, has a wrong type, or lacks a
 *   required field; ma_error::message names the field.
 * - #MA_ERR_RESPONSE_TOO_LARGE: the body exceeded ma_client_options::max_response_bytes.
 * - #MA_ERR_HTTP: any other non-2xx status (a redirect, a 4xx without a service body).
 */
typedef enum ma_status {
#define MA_STATUS_ENUM_ENTRY(name, value, text) name = value,
    MA_STATUS_LIST(MA_STATUS_ENUM_ENTRY)
#undef MA_STATUS_ENUM_ENTRY
} ma_status;

/** Size of ma_error::service_code, NUL included. */
#define MA_ERROR_CODE_SIZE 64
/** Size of ma_error::request_id, NUL included. */
#define MA_ERROR_REQUEST_ID_SIZE 128
/** Size of ma_error::message, NUL included. */
#define MA_ERROR_MESSAGE_SIZE 512

/**
 * @brief Detail about the last failure of one call, owned by the caller.
 *
 * Pass a pointer as the last argument of any fallible call (or NULL if the
 * detail is not wanted). The call clears it on entry, so it is never stale,
 * and filling it never allocates. Strings are always NUL-terminated; text
 * that does not fit ends with "...". Messages never contain tokens, secret
 * keys, passwords or Authorization values.
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
} ma_error;

/**
 * @brief Resets @p err to the success state (status #MA_OK, empty strings, retry_after_ms -1).
 * @param[out] err [nullable] Error to clear; NULL is a no-op.
 */
MA_API void ma_error_clear(ma_error *err);

/**
 * @brief Short English description of a status.
 * @param status Any value, known or not.
 * @return A static string; never NULL ("unknown status" for values not in #MA_STATUS_LIST).
 */
MA_API const char *ma_status_str(ma_status status);

/**
 * @brief Enumerator name of a status, e.g. "MA_ERR_TIMEOUT".
 * @param status Any value, known or not.
 * @return A static string; never NULL ("MA_STATUS_UNKNOWN" for unknown values).
 */
MA_API const char *ma_status_name(ma_status status);

MA_END_DECLS

/** @} */
#endif
