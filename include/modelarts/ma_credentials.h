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
 * @brief Opaque description of how to authenticate: an IAM token, an IAM
 *        password login, or an access key pair (AK/SK, optionally temporary)
 *        that signs every request.
 *
 * A client takes its own copy in ma_client_new(), so credentials may be
 * freed right after. Secret material is wiped from memory when freed.
 *
 * Thread safety: immutable once created, so one object may serve ma_client_new()
 * on several threads at once; free it only after every such call returned.
 * @since 0.1
 */
typedef struct ma_credentials ma_credentials;

/** @brief Longest IAM token accepted, in bytes. IAM tokens are long (PKI, several KiB). @since 0.1 */
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
 * @since 0.1
 */
MA_API MA_NODISCARD ma_status ma_credentials_new_token(ma_credentials **out, const char *token,
                                                       const ma_allocator *allocator, ma_error *err);

/** @brief Longest access key (AK) accepted, in bytes. @since 0.2 */
#define MA_AK_MAX_BYTES 128

/** @brief Longest secret key (SK) accepted, in bytes. @since 0.2 */
#define MA_SK_MAX_BYTES 256

/**
 * @brief Credentials that sign every request with an access key pair (AK/SK,
 *        the `SDK-HMAC-SHA256` scheme of the API gateway).
 *
 * Each attempt of each call is signed afresh with the current wall-clock time
 * (`X-Sdk-Date`; the gateway rejects a time more than 15 minutes off, so keep
 * the clock synchronised). The client sends and signs `Host`, `X-Sdk-Date`,
 * `X-Project-Id` (the client's project id), `Content-Type` when the request has
 * one, and `X-Security-Token` for temporary credentials. The SK itself is never
 * sent; it only keys the HMAC.
 *
 * Note that the gateway locks an AK/SK for five minutes after more than five
 * failed authentications in a row, so the library never retries a rejected
 * signature.
 *
 * @param[out] out            [transfer full] Free with ma_credentials_free(); NULL on failure.
 * @param[in]  access_key     [not nullable] The AK (the "Access Key Id"); copied. 1 to
 *                            #MA_AK_MAX_BYTES bytes of visible ASCII (0x21-0x7E).
 * @param[in]  secret_key     [not nullable] The SK; copied, wiped from memory when the
 *                            credentials (and each client's copy) are freed. 1 to
 *                            #MA_SK_MAX_BYTES bytes of visible ASCII.
 * @param[in]  security_token [nullable] The security token that comes with temporary
 *                            credentials (STS), sent as `X-Security-Token`; NULL for a
 *                            permanent AK/SK. Copied and wiped like the SK. 1 to
 *                            #MA_TOKEN_MAX_BYTES bytes of visible ASCII.
 * @param[in]  allocator      [nullable] Allocator for the copies; NULL means ma_default_allocator().
 * @param[out] err            [nullable] Cleared on entry; on failure says which argument is wrong
 *                            (never its value).
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG @p out, @p access_key or @p secret_key is NULL; or the AK, the SK
 *                            or a non-NULL @p security_token is empty, too long, or holds bytes
 *                            other than visible ASCII (spaces, control characters, CR, LF,
 *                            non-ASCII).
 * @retval MA_ERR_NOMEM       Allocation failed.
 * @since 0.2
 */
MA_API MA_NODISCARD ma_status ma_credentials_new_aksk(ma_credentials **out, const char *access_key,
                                                      const char *secret_key, const char *security_token,
                                                      const ma_allocator *allocator, ma_error *err);
/** @brief Version of ::ma_password_login this header describes. @since 0.2 */
#define MA_PASSWORD_LOGIN_VERSION 1

/** @brief Longest string accepted in any ::ma_password_login field, in bytes. @since 0.2 */
#define MA_LOGIN_FIELD_MAX_BYTES 1024

/**
 * @brief What an IAM password login needs (POST {iam_endpoint}/v3/auth/tokens).
 *
 * Versioned: start from #MA_PASSWORD_LOGIN_INIT, which sets @c version, so a
 * program built against this header keeps working when fields are appended.
 * Every string is borrowed only for the duration of ma_credentials_new_password().
 *
 * @since 0.2
 */
typedef struct ma_password_login {
    unsigned int version;     /**< #MA_PASSWORD_LOGIN_VERSION. */
    const char *iam_endpoint; /**< [not nullable] e.g. "https://iam.eu-de.otc.t-systems.com"; plain http only
                                   for loopback hosts. */
    const char *user_name;    /**< [not nullable] IAM user name. */
    const char *password;     /**< [not nullable] Secret: copied, wiped when freed, never in messages. */
    const char *domain_name;  /**< [not nullable] Account (domain) name the user belongs to. */
    const char *project_name; /**< [nullable] Project the token is scoped to (often the region, "eu-de"). */
    const char *project_id;   /**< [nullable] Project id; scopes the token instead of @c project_name when set. */
} ma_password_login;

/** @brief Initialiser of ::ma_password_login: version set, every field NULL. @since 0.2 */
#define MA_PASSWORD_LOGIN_INIT                                        \
    {                                                                 \
        MA_PASSWORD_LOGIN_VERSION, NULL, NULL, NULL, NULL, NULL, NULL \
    }

/**
 * @brief Credentials that log in to IAM with a user name and password and send the token they get.
 *
 * A client built from them posts the login to `{iam_endpoint}/v3/auth/tokens`
 * (with `nocatalog`) before its first call, takes the token from the
 * `X-Subject-Token` response header and reuses it for every call until 5
 * minutes before its `expires_at`, then logs in again. When a call is
 * rejected with HTTP 401 (token expired or revoked), the client drops the
 * token, logs in once more and repeats that call once; a second 401 is
 * reported, never looped on (IAM locks an account after repeated failures).
 *
 * A client may be created without a project id (ma_client_options::project_id
 * NULL) when these credentials name a project: the id then comes from the
 * token (`token.project.id`), or else from `GET /v3/projects?name=...`, once,
 * on the first call, and is kept for the client's lifetime.
 *
 * Thread safety: the credentials object is immutable and may be shared by
 * clients on several threads. The token and the discovered project id are
 * cached in each client, which, like every client, must be used by one thread
 * at a time; separate clients log in separately.
 *
 * @param[out] out       [transfer full] Free with ma_credentials_free(); NULL on failure.
 * @param[in]  login     [not nullable] Everything is copied; the password into memory that
 *                       is wiped before it is freed.
 * @param[in]  allocator [nullable] Allocator for the copies; NULL means ma_default_allocator().
 *                       Clients use their own allocator for tokens and requests.
 * @param[out] err       [nullable] Cleared on entry; detail on failure (never the password).
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG @p out or @p login is NULL; @c login->version is 0 or newer
 *                            than #MA_PASSWORD_LOGIN_VERSION; @c iam_endpoint, @c user_name,
 *                            @c password or @c domain_name is NULL or empty; neither
 *                            @c project_name nor @c project_id is set; a field is longer
 *                            than #MA_LOGIN_FIELD_MAX_BYTES, not UTF-8 or holds control
 *                            characters; @c iam_endpoint is not a valid URL, or uses plain
 *                            http to a host that is not loopback.
 * @retval MA_ERR_NOMEM       Allocation failed.
 * @since 0.2
 */
MA_API MA_NODISCARD ma_status ma_credentials_new_password(ma_credentials **out, const ma_password_login *login,
                                                          const ma_allocator *allocator, ma_error *err);

/**
 * @brief Credentials of the agency of the ECS instance or CCE node the program runs on,
 *        from its metadata service; asked for explicitly, never tried on their own.
 *
 * A client built from them fetches, before its first call, a session token
 * (`PUT /meta-data/latest/api/token`; a 404 or 405 means the service offers
 * none and it goes on without) and then temporary keys
 * (`GET /openstack/latest/securitykey`), and signs every request with them
 * like ma_credentials_new_aksk() with a security token. It fetches new keys
 * before the old ones expire: 40 minutes ahead, or at half their life when
 * they live shorter, also in the middle of a walk or a wait; and once more
 * when a call is rejected with HTTP 401. Each metadata request has a 3 s
 * timeout. The keys and the session token are wiped when replaced and when the
 * client is freed. The client needs a project id (ma_client_options::project_id).
 *
 * @param[out] out               [transfer full] Free with ma_credentials_free(); NULL on failure.
 * @param[in]  metadata_endpoint [nullable] Base URL of the metadata service; NULL or "" means
 *                               `http://169.254.169.254`. Copied.
 * @param[in]  allocator         [nullable] Allocator for the copy; NULL means ma_default_allocator().
 * @param[out] err               [nullable] Cleared on entry; detail on failure.
 * @retval MA_OK              Success (nothing is fetched yet).
 * @retval MA_ERR_INVALID_ARG @p out is NULL, or @p metadata_endpoint is not a valid URL.
 * @retval MA_ERR_NOMEM       Allocation failed.
 *
 * Calls of a client made from them can also fail with #MA_ERR_UNAUTHORIZED when
 * the instance has no agency (the message says so), #MA_ERR_TIMEOUT or
 * #MA_ERR_TRANSPORT when no metadata service answers, and #MA_ERR_PROTOCOL when
 * its answer is not the expected JSON.
 * @since 0.4
 */
MA_API MA_NODISCARD ma_status ma_credentials_new_metadata(ma_credentials **out, const char *metadata_endpoint,
                                                          const ma_allocator *allocator, ma_error *err);

/**
 * @brief Wipes and frees credentials.
 *
 * Clients made from them keep their own copies and stay usable.
 * @param[in] credentials [nullable] NULL is a no-op.
 * @since 0.1
 */
MA_API void ma_credentials_free(ma_credentials *credentials);

MA_END_DECLS

/** @} */
#endif
