/**
 * @file ma_credentials.h
 * @brief How a client authenticates to ModelArts.
 * @defgroup ma_credentials Credentials
 * @{
 */
#ifndef MODELARTS_MA_CREDENTIALS_H
#define MODELARTS_MA_CREDENTIALS_H

#include "ma_alloc.h"
#include "ma_error.h"
#include "ma_export.h"

MA_BEGIN_DECLS

/**
 * @brief Opaque description of how to authenticate (today: an IAM token).
 *
 * A client takes its own copy in ma_client_new(), so credentials may be
 * freed right after. Secret material is wiped from memory when freed.
 */
typedef struct ma_credentials ma_credentials;

/** Longest IAM token accepted, in bytes. IAM tokens are long (PKI, several KiB). */
#define MA_TOKEN_MAX_BYTES 65536

/**
 * @brief Credentials that send an IAM token as the `X-Auth-Token` header.
 * @param[out] out       [transfer full] Free with ma_credentials_free(); NULL on failure.
 * @param[in]  token     [not nullable] Project-scoped IAM token (from the `X-Subject-Token`
 *                       header of POST /v3/auth/tokens); copied.
 * @param[in]  allocator [nullable] Allocator for the copy; NULL means ma_default_allocator().
 * @param[out] err       [nullable] Cleared on entry; detail on failure (never the token).
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG @p out or @p token is NULL, the token is empty, longer than
 *                            #MA_TOKEN_MAX_BYTES, or holds bytes that cannot appear in an
 *                            HTTP header (control characters, CR, LF, non-ASCII).
 * @retval MA_ERR_NOMEM       Allocation failed.
 */
MA_API MA_NODISCARD ma_status ma_credentials_new_token(ma_credentials **out, const char *token,
                                                       const ma_allocator *allocator, ma_error *err);

/**
 * @brief Wipes and frees credentials.
 * @param[in] credentials [nullable] NULL is a no-op.
 */
MA_API void ma_credentials_free(ma_credentials *credentials);

MA_END_DECLS

/** @} */
#endif
