/**
 * @file ma_env.h
 * @brief Client options from environment variables, only when the program asks.
 * @defgroup ma_env Environment
 *
 * The library never reads the environment on its own. A program that wants
 * the conventional variables calls ma_client_options_from_env() (real
 * `getenv`) or ma_client_options_from_env_lookup() (any lookup, e.g. a test's
 * table or a configuration file), which fills the endpoint, project id and
 * credentials of a ::ma_client_options and hands back a ::ma_env_settings
 * that owns what they point to.
 *
 * **Explicit settings win.** A field of ::ma_client_options that is already
 * set (non-NULL endpoint, project_id or credentials) is kept, and so are the
 * region and cloud of ::ma_env_options. When the caller gave credentials, no
 * credential variable is read at all. A variable set to the empty string
 * counts as unset.
 *
 * **Credentials**, the first complete method wins:
 *
 * | # | method | variables |
 * |---|---|---|
 * | 1 | IAM token | `MODELARTS_TOKEN` |
 * | 2 | AK/SK | `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK` |
 * | 2 | temporary AK/SK | the two above and `HUAWEICLOUD_SDK_SECURITY_TOKEN` |
 * | 3 | password login | `OS_AUTH_URL`, `OS_USERNAME`, `OS_PASSWORD`, `OS_USER_DOMAIN_NAME` |
 *
 * A method that is only partly set is #MA_ERR_INVALID_ARG naming the missing
 * variable, **even when a higher method is complete**: a half-set method is a
 * typo or a stale variable, and silently authenticating as someone else is
 * worse than stopping. Method 2 counts as set when any of its three variables
 * is, method 3 when `OS_USERNAME` or `OS_PASSWORD` is (the other `OS_*`
 * variables also serve the region and project, so they alone start nothing).
 * `OS_AUTH_URL` may end in `/v3` as in OpenStack rc files; that suffix is
 * dropped, since the login adds `/v3/auth/tokens` itself.
 *
 * **Project id**, first found: ma_client_options::project_id, `MODELARTS_PROJECT_ID`,
 * `HUAWEICLOUD_SDK_PROJECT_ID`, `OS_PROJECT_ID`; else, with password login only,
 * NULL, so the client discovers it through IAM from the project name (see
 * ma_credentials_new_password()); with a token or AK/SK a missing project id is
 * an error. The password login's token is scoped to `OS_PROJECT_ID`, else
 * `OS_PROJECT_NAME`, else the project id found above, else the project named
 * after the region (IAM names a region's default project after it, e.g. eu-de).
 *
 * **Endpoint**, first found: ma_client_options::endpoint; the standard endpoint
 * (ma_region_endpoint()) of ma_env_options::region; `MODELARTS_ENDPOINT`; the
 * standard endpoint of `OS_REGION_NAME`. The cloud of a region is
 * ma_env_options::cloud, else the one `OS_AUTH_URL` names (a host under
 * `otc.t-systems.com`, or under `myhuaweicloud.com` / `myhuaweicloud.cn`), else
 * the one whose region list has the name. No endpoint at all is an error.
 *
 * Nothing usable set at all is #MA_ERR_INVALID_ARG too, with a message that
 * lists what to set. Messages name variables, never the value of a secret.
 * @{
 */
#ifndef MODELARTS_MA_ENV_H
#define MODELARTS_MA_ENV_H

#include "ma_client.h"
#include "ma_error.h"
#include "ma_export.h"
#include "ma_region.h"

MA_BEGIN_DECLS

/**
 * @brief Looks up one variable, like `getenv`.
 * @param name      Variable name, e.g. "MODELARTS_TOKEN".
 * @param user_data As given to ma_client_options_from_env_lookup().
 * @return The value, or NULL when unset. It must stay valid and unchanged until
 *         ma_client_options_from_env_lookup() returns; it is copied before that.
 * @since 0.3
 */
typedef const char *(*ma_env_lookup_fn)(const char *name, void *user_data);

/** @brief Version of ::ma_env_options this header describes. @since 0.3 */
#define MA_ENV_OPTIONS_VERSION 1

/**
 * @brief Settings the caller gives explicitly; they win over the environment.
 *
 * Start from #MA_ENV_OPTIONS_INIT. Strings are read only during the call.
 * @since 0.3
 */
typedef struct ma_env_options {
    unsigned int version; /**< #MA_ENV_OPTIONS_VERSION. */
    /** [nullable] Region whose standard endpoint to use (e.g. a `--region` flag); wins over
        `MODELARTS_ENDPOINT` and `OS_REGION_NAME`, loses to ma_client_options::endpoint. */
    const char *region;
    /** The cloud of the region; #MA_CLOUD_UNSPECIFIED infers it (see above). */
    ma_cloud cloud;
} ma_env_options;

/** @brief Initialiser of ::ma_env_options: version set, no region, cloud inferred. @since 0.3 */
#define MA_ENV_OPTIONS_INIT                                \
    {                                                      \
        MA_ENV_OPTIONS_VERSION, NULL, MA_CLOUD_UNSPECIFIED \
    }

/** @brief Which credentials ma_client_options_from_env() put into the options. @since 0.3 */
typedef enum ma_env_method {
    /** The caller's own ma_client_options::credentials were kept. */
    MA_ENV_METHOD_CALLER = 0,
    /** `MODELARTS_TOKEN`. */
    MA_ENV_METHOD_TOKEN = 1,
    /** `HUAWEICLOUD_SDK_AK` and `HUAWEICLOUD_SDK_SK`. */
    MA_ENV_METHOD_AKSK = 2,
    /** The same with `HUAWEICLOUD_SDK_SECURITY_TOKEN` (temporary credentials). */
    MA_ENV_METHOD_AKSK_TEMPORARY = 3,
    /** The `OS_*` password login. */
    MA_ENV_METHOD_PASSWORD = 4,
    /** The instance's agency credentials from the metadata service (ma_client_options_from_config() only). */
    MA_ENV_METHOD_METADATA = 5
} ma_env_method;

/**
 * @brief Owns the strings and credentials that ma_client_options_from_env() puts into options.
 *
 * Keep it until ma_client_new() has returned (the client copies everything),
 * then free it with ma_env_settings_free(). It holds no copy of a secret
 * outside its credentials, which wipe theirs when freed.
 * @since 0.3
 */
typedef struct ma_env_settings ma_env_settings;

/**
 * @brief Fills the unset endpoint, project id and credentials of @p options from variables
 *        found through @p lookup, following the precedence above.
 *
 * On success every field it set points into @p *out. On failure @p options is
 * unchanged, @p *out is NULL and nothing is left allocated.
 *
 * @param[in,out] options     [not nullable] Initialised options (ma_client_options_init()). Its
 *                            allocator (NULL: the default) serves every allocation, the
 *                            credentials' included.
 * @param[in]     env_options [nullable] Explicit region and cloud; NULL means #MA_ENV_OPTIONS_INIT.
 * @param         lookup      [not nullable] Variable lookup.
 * @param         user_data   [nullable] Passed to @p lookup.
 * @param[out]    out         [transfer full] Free with ma_env_settings_free(); NULL on failure.
 * @param[out]    err         [nullable] Cleared on entry; on failure names the missing or bad
 *                            variable (never a secret's value).
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG A NULL @p options, @p lookup or @p out; an unsupported options version;
 *                            a partly set method; no credentials, no project id (token, AK/SK) or no
 *                            endpoint; an unknown region or a cloud that does not have it; a value
 *                            that the credentials refuse (the message names the variable).
 * @retval MA_ERR_NOMEM       Allocation failed; nothing leaked.
 * @since 0.3
 */
MA_API MA_NODISCARD ma_status ma_client_options_from_env_lookup(ma_client_options *options,
                                                                const ma_env_options *env_options,
                                                                ma_env_lookup_fn lookup, void *user_data,
                                                                ma_env_settings **out, ma_error *err);

/**
 * @brief ma_client_options_from_env_lookup() with the process environment (`getenv`).
 *
 * Like `getenv`, not safe while another thread changes the environment.
 * @param[in,out] options     [not nullable] As for ma_client_options_from_env_lookup().
 * @param[in]     env_options [nullable] As for ma_client_options_from_env_lookup().
 * @param[out]    out         [transfer full] Free with ma_env_settings_free(); NULL on failure.
 * @param[out]    err         [nullable] Cleared on entry; detail on failure.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG As for ma_client_options_from_env_lookup().
 * @retval MA_ERR_NOMEM       Allocation failed; nothing leaked.
 * @since 0.3
 */
MA_API MA_NODISCARD ma_status ma_client_options_from_env(ma_client_options *options, const ma_env_options *env_options,
                                                         ma_env_settings **out, ma_error *err);

/**
 * @brief The credential method that was chosen.
 * @param[in] settings [nullable] NULL gives #MA_ENV_METHOD_CALLER.
 * @return The method.
 * @since 0.3
 */
MA_API ma_env_method ma_env_settings_method(const ma_env_settings *settings);

/**
 * @brief Frees the settings; their credentials wipe their secrets first.
 * @param[in] settings [nullable] NULL is a no-op. Options filled from it must not be used after.
 * @since 0.3
 */
MA_API void ma_env_settings_free(ma_env_settings *settings);

MA_END_DECLS

/** @} */
#endif
