/**
 * @file ma_config.h
 * @brief Client options from every place users keep them: flags, the environment,
 *        clouds.yaml/secure.yaml and the Huawei Cloud profile file.
 * @defgroup ma_config Configuration sources
 *
 * ma_client_options_from_config() extends ma_client_options_from_env(): it
 * fills the unset endpoint, project id and credentials of a
 * ::ma_client_options, looking in the sources below in this order. The library
 * reads no file and no variable unless a program calls it.
 *
 * **Credentials**, the first source that has any wins:
 *
 * | # | source | what is read |
 * |---|---|---|
 * | 1 | the caller | ma_client_options::credentials already set (e.g. from flags) |
 * | 2 | the environment | as ma_client_options_from_env(), and `OS_ACCESS_KEY`, `OS_SECRET_KEY`, ... |
 * | 3 | clouds.yaml | the cloud named by ma_config_options::os_cloud, else `OS_CLOUD`, else the only one |
 * | 4 | profile file | `[basic]` of `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, else `~/.huaweicloud/credentials` |
 *
 * In the environment, `OS_ACCESS_KEY` / `OS_SECRET_KEY` / `OS_SECURITY_TOKEN`
 * (OTC's names) count only when none of `HUAWEICLOUD_SDK_AK` / `_SK` /
 * `_SECURITY_TOKEN` is set.
 *
 * **Metadata**, only when asked for (ma_config_options::use_metadata, or
 * `MODELARTS_CREDENTIALS=metadata`): the agency credentials of the instance
 * (ma_credentials_new_metadata()) from ma_config_options::metadata_endpoint,
 * else `MODELARTS_METADATA_ENDPOINT`, else `http://169.254.169.254`. Asked
 * for, they replace sources 2 to 4 (which are then not read for credentials);
 * the caller's own credentials still win. Any other `MODELARTS_CREDENTIALS`
 * value is #MA_ERR_INVALID_ARG. Nothing is fetched before the first call.
 *
 * A source that is only partly filled is #MA_ERR_INVALID_ARG naming what is
 * missing (a variable, or a file and key); the next source is not tried.
 *
 * **clouds.yaml** is found as openstacksdk finds it: `OS_CLIENT_CONFIG_FILE`,
 * then `./`, `$XDG_CONFIG_HOME/openstack/` (default `~/.config/openstack/`)
 * and `/etc/openstack/`, each as `clouds.yaml`, `clouds.yml` or `clouds.json`.
 * The first file that exists is the only one read. `secure.yaml` (`.yml`,
 * `.json`), found the same way with `OS_CLIENT_SECURE_FILE` first, is merged
 * over it key by key. Per cloud: `auth.auth_url`, `auth.username`,
 * `auth.password`, `auth.project_name`, `auth.project_id`,
 * `auth.user_domain_name`, `region_name`, `profile` (or `cloud`), and the AK/SK
 * keys `ak`/`access_key`, `sk`/`secret_key`, `security_token`/`token`. A cloud
 * with AK/SK signs with them; otherwise it logs in with the password.
 * `profile: otc` supplies `https://iam.{region_name}.otc.t-systems.com/v3` when
 * `auth.auth_url` is absent, and makes the region an Open Telekom Cloud one.
 *
 * **Project id and endpoint** come from the caller, then the environment (as in
 * ma_env.h), then the source that gave the credentials: the cloud's
 * `auth.project_id` and `region_name` (standard endpoint of the region), the
 * profile file's `project_id`.
 *
 * When nothing gives credentials, the #MA_ERR_INVALID_ARG message lists every
 * source looked at and why it was not usable. Messages name variables, files
 * and keys, never the value of a secret. Files larger than 1 MiB, not regular
 * files, unreadable or malformed are errors naming the file and the problem.
 * Secret files readable by group or others are used, with a warning
 * (ma_env_settings_warning()).
 * @{
 */
#ifndef MODELARTS_MA_CONFIG_H
#define MODELARTS_MA_CONFIG_H

#include <stddef.h>

#include "ma_client.h"
#include "ma_env.h"
#include "ma_error.h"
#include "ma_export.h"
#include "ma_region.h"

MA_BEGIN_DECLS

/** @brief Version of ::ma_config_options this header describes. @since 0.4 */
#define MA_CONFIG_OPTIONS_VERSION 1

/**
 * @brief Settings for ma_client_options_from_config(); the caller's explicit ones win.
 *
 * Start from #MA_CONFIG_OPTIONS_INIT. Strings are read only during the call.
 * @since 0.4
 */
typedef struct ma_config_options {
    unsigned int version; /**< #MA_CONFIG_OPTIONS_VERSION. */
    /** [nullable] Region whose standard endpoint to use; as ma_env_options::region. */
    const char *region;
    /** The cloud of the region; #MA_CLOUD_UNSPECIFIED infers it. */
    ma_cloud cloud;
    /** [nullable] The clouds.yaml cloud to use (e.g. a `--os-cloud` flag); wins over `OS_CLOUD`. */
    const char *os_cloud;
    /** [nullable] Variable lookup (also for `HOME`, `XDG_CONFIG_HOME` and the file variables); NULL: `getenv`. */
    ma_env_lookup_fn lookup;
    /** [nullable] Passed to @c lookup. */
    void *user_data;
    /** Non-zero: credentials from the instance metadata service (as `MODELARTS_CREDENTIALS=metadata`). */
    int use_metadata;
    /** [nullable] Base URL of the metadata service; wins over `MODELARTS_METADATA_ENDPOINT`. */
    const char *metadata_endpoint;
} ma_config_options;

/** @brief Initialiser of ::ma_config_options: version set, everything else default. @since 0.4 */
#define MA_CONFIG_OPTIONS_INIT                                                           \
    {                                                                                    \
        MA_CONFIG_OPTIONS_VERSION, NULL, MA_CLOUD_UNSPECIFIED, NULL, NULL, NULL, 0, NULL \
    }

/** @brief What ma_env_settings_source() describes. @since 0.4 */
typedef enum ma_config_item {
    /** The service endpoint. */
    MA_CONFIG_ITEM_ENDPOINT = 0,
    /** The project id. */
    MA_CONFIG_ITEM_PROJECT_ID = 1,
    /** The region (the standard endpoint's, or the password login's project). */
    MA_CONFIG_ITEM_REGION = 2,
    /** The credentials. */
    MA_CONFIG_ITEM_CREDENTIALS = 3,
    /** Number of items; not an item. */
    MA_CONFIG_ITEM_COUNT = 4
} ma_config_item;

/**
 * @brief Fills the unset endpoint, project id and credentials of @p options from the
 *        sources above, in the order above.
 *
 * On success every field it set points into @p *out. On failure @p options is
 * unchanged, @p *out is NULL and nothing is left allocated. The YAML, JSON and
 * INI parsers allocate their own scratch memory with `malloc`; everything kept
 * comes from the options' allocator.
 *
 * @param[in,out] options        [not nullable] Initialised options (ma_client_options_init()). Its
 *                               allocator (NULL: the default) serves what is kept.
 * @param[in]     config_options [nullable] NULL means #MA_CONFIG_OPTIONS_INIT.
 * @param[out]    out            [transfer full] Free with ma_env_settings_free(); NULL on failure.
 * @param[out]    err            [nullable] Cleared on entry; on failure names the variable, file
 *                               or key and the problem (never a secret's value).
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG A NULL @p options or @p out; an unsupported options version; a
 *                            partly filled source; no credentials anywhere (the message lists
 *                            every source looked at); no project id (AK/SK, token) or no
 *                            endpoint; an unknown region; a clouds file that is malformed,
 *                            unreadable, too large or lacks the named cloud; a cloud named by
 *                            `OS_CLOUD` without any clouds file; a malformed profile file; a
 *                            `MODELARTS_CREDENTIALS` other than `metadata`; a metadata endpoint
 *                            that is not a URL.
 * @retval MA_ERR_NOMEM       Allocation failed; nothing leaked.
 * @since 0.4
 */
MA_API MA_NODISCARD ma_status ma_client_options_from_config(ma_client_options *options,
                                                            const ma_config_options *config_options,
                                                            ma_env_settings **out, ma_error *err);

/**
 * @brief Where an item came from, for display (e.g. `ma-jobs config`).
 *
 * Examples: "caller" (set in the options), "region option", a variable name
 * such as "MODELARTS_ENDPOINT", "/home/u/.config/openstack/clouds.yaml (cloud
 * otc)", "/home/u/.huaweicloud/credentials [basic]". Never a secret.
 * @param[in] settings [nullable] From ma_client_options_from_env() or ma_client_options_from_config().
 * @param     item     Which item.
 * @return [transfer none] The text, valid until @p settings is freed; NULL when the item was not
 *         set (e.g. a project id left to discovery), for NULL @p settings or an unknown item.
 * @since 0.4
 */
MA_API const char *ma_env_settings_source(const ma_env_settings *settings, ma_config_item item);

/**
 * @brief The region that was used (a region option, `OS_REGION_NAME`, a cloud's `region_name`).
 * @param[in] settings [nullable] The settings.
 * @return [transfer none] The region, valid until @p settings is freed; NULL when none was used.
 * @since 0.4
 */
MA_API const char *ma_env_settings_region(const ma_env_settings *settings);

/**
 * @brief Number of warnings (e.g. a secret file readable by group or others).
 * @param[in] settings [nullable] NULL gives 0.
 * @return The number of warnings, at most 4.
 * @since 0.4
 */
MA_API size_t ma_env_settings_warning_count(const ma_env_settings *settings);

/**
 * @brief One warning, as a sentence naming the file (never a secret).
 * @param[in] settings [nullable] The settings.
 * @param     index    0 to ma_env_settings_warning_count() - 1.
 * @return [transfer none] The warning, valid until @p settings is freed; NULL when @p index is out
 *         of range or @p settings is NULL.
 * @since 0.4
 */
MA_API const char *ma_env_settings_warning(const ma_env_settings *settings, size_t index);

MA_END_DECLS

/** @} */
#endif
