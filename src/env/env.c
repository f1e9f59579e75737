/*
 * Client options from environment variables, only when asked
 * (ma_client_options_from_env). The precedence is documented in ma_env.h.
 */
#include <stdlib.h>
#include <string.h>

#include "env/env.h"
#include "util/alloc.h"
#include "util/error.h"

/* Every variable read, looked up once; NULL when unset or empty. */
typedef struct env_vars {
    const char *endpoint, *project_id, *token;
    const char *ak, *sk, *security_token, *sdk_project_id;
    const char *auth_url, *user, *password, *domain, *os_project_name, *os_project_id, *region;
} env_vars;

static const char *get(ma_env_lookup_fn lookup, void *user_data, const char *name)
{
    const char *v = lookup(name, user_data);
    return v && v[0] ? v : NULL;
}

static void read_vars(ma_env_lookup_fn lookup, void *ud, env_vars *v)
{
    v->endpoint = get(lookup, ud, "MODELARTS_ENDPOINT");
    v->project_id = get(lookup, ud, "MODELARTS_PROJECT_ID");
    v->token = get(lookup, ud, "MODELARTS_TOKEN");
    v->ak = get(lookup, ud, "HUAWEICLOUD_SDK_AK");
    v->sk = get(lookup, ud, "HUAWEICLOUD_SDK_SK");
    v->security_token = get(lookup, ud, "HUAWEICLOUD_SDK_SECURITY_TOKEN");
    v->sdk_project_id = get(lookup, ud, "HUAWEICLOUD_SDK_PROJECT_ID");
    v->auth_url = get(lookup, ud, "OS_AUTH_URL");
    v->user = get(lookup, ud, "OS_USERNAME");
    v->password = get(lookup, ud, "OS_PASSWORD");
    v->domain = get(lookup, ud, "OS_USER_DOMAIN_NAME");
    v->os_project_name = get(lookup, ud, "OS_PROJECT_NAME");
    v->os_project_id = get(lookup, ud, "OS_PROJECT_ID");
    v->region = get(lookup, ud, "OS_REGION_NAME");
}

/* Puts "@p what: " in front of the message already in @p err. */
static ma_status prefixed(ma_error *err, ma_status st, const char *what)
{
    if (!err)
        return st;
    char inner[MA_ERROR_MESSAGE_SIZE];
    memcpy(inner, err->message, sizeof inner);
    inner[sizeof inner - 1] = '\0';
    return ma__error_set(err, st, "%s: %s", what, inner);
}

/* Half-set methods are refused whichever method wins (see ma_env.h). */
static ma_status check_half_set(const env_vars *v, ma_error *err)
{
    if (v->ak || v->sk || v->security_token) {
        if (!v->ak)
            return ma__error_set(err, MA_ERR_INVALID_ARG,
                                 "HUAWEICLOUD_SDK_AK is not set, but %s is: AK/SK credentials need both the AK and "
                                 "the SK",
                                 v->sk ? "HUAWEICLOUD_SDK_SK" : "HUAWEICLOUD_SDK_SECURITY_TOKEN");
        if (!v->sk)
            return ma__error_set(err, MA_ERR_INVALID_ARG,
                                 "HUAWEICLOUD_SDK_SK is not set, but HUAWEICLOUD_SDK_AK is: AK/SK credentials need "
                                 "both the AK and the SK");
    }
    if (v->user || v->password) {
        const char *missing = !v->user       ? "OS_USERNAME"
                              : !v->password ? "OS_PASSWORD"
                              : !v->auth_url ? "OS_AUTH_URL"
                              : !v->domain   ? "OS_USER_DOMAIN_NAME"
                                             : NULL;
        if (missing)
            return ma__error_set(err, MA_ERR_INVALID_ARG,
                                 "%s is not set, but %s is: password login needs OS_AUTH_URL, OS_USERNAME, "
                                 "OS_PASSWORD and OS_USER_DOMAIN_NAME",
                                 missing, v->user ? "OS_USERNAME" : "OS_PASSWORD");
    }
    return MA_OK;
}

/* The cloud an OS_AUTH_URL names by its host, or MA_CLOUD_UNSPECIFIED. */
static ma_cloud cloud_of_url(const char *url)
{
    const char *host = url ? strstr(url, "://") : NULL;
    if (!host)
        return MA_CLOUD_UNSPECIFIED;
    host += 3;
    size_t len = strcspn(host, "/:?#");
    char h[256];
    if (len == 0 || len >= sizeof h)
        return MA_CLOUD_UNSPECIFIED;
    for (size_t i = 0; i < len; i++)
        h[i] = (host[i] >= 'A' && host[i] <= 'Z') ? (char)(host[i] - 'A' + 'a') : host[i];
    h[len] = '\0';
    static const struct {
        const char *suffix;
        ma_cloud cloud;
    } known[] = {{".otc.t-systems.com", MA_CLOUD_OTC},
                 {".myhuaweicloud.com", MA_CLOUD_HUAWEICLOUD},
                 {".myhuaweicloud.cn", MA_CLOUD_HUAWEICLOUD}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        size_t n = strlen(known[i].suffix);
        if (len > n && strcmp(h + len - n, known[i].suffix) == 0)
            return known[i].cloud;
    }
    return MA_CLOUD_UNSPECIFIED;
}

/* Copies OS_AUTH_URL without trailing slashes and a final "/v3": the login appends /v3/auth/tokens. */
static char *iam_endpoint_of(const ma_allocator *a, const char *url)
{
    size_t len = strlen(url);
    while (len > 0 && url[len - 1] == '/')
        len--;
    if (len >= 3 && strncmp(url + len - 3, "/v3", 3) == 0)
        len -= 3;
    return ma__strndup(a, url, len);
}

static ma_status choose_endpoint(ma_env_settings *s, const ma_env_options *eo, const env_vars *v, ma_error *err)
{
    const char *region = eo->region ? eo->region : v->endpoint ? NULL : v->region;
    if (!region) {
        if (!v->endpoint)
            return ma__error_set(err, MA_ERR_INVALID_ARG,
                                 "no endpoint: set MODELARTS_ENDPOINT, or OS_REGION_NAME for the region's standard "
                                 "endpoint");
        return (s->endpoint = ma__strdup(&s->alloc, v->endpoint))
                   ? MA_OK
                   : ma__error_set(err, MA_ERR_NOMEM, "out of memory copying the endpoint");
    }
    ma_cloud cloud = eo->cloud != MA_CLOUD_UNSPECIFIED ? eo->cloud : cloud_of_url(v->auth_url);
    char buf[MA_REGION_ENDPOINT_SIZE];
    ma_status st = ma_region_endpoint(cloud, region, MA_SERVICE_MODELARTS, buf, sizeof buf, err);
    if (st != MA_OK)
        return prefixed(err, st, eo->region ? "region" : "OS_REGION_NAME");
    return (s->endpoint = ma__strdup(&s->alloc, buf))
               ? MA_OK
               : ma__error_set(err, MA_ERR_NOMEM, "out of memory copying the endpoint");
}

static ma_status new_password_credentials(ma_env_settings *s, const ma_env_options *eo, const env_vars *v,
                                          const char *project_id, ma_error *err)
{
    ma_password_login login = MA_PASSWORD_LOGIN_INIT;
    login.user_name = v->user;
    login.password = v->password;
    login.domain_name = v->domain;
    login.project_id = v->os_project_id;
    login.project_name = v->os_project_name;
    if (!login.project_id && !login.project_name) {
        login.project_id = project_id;
        if (!login.project_id)
            login.project_name = eo->region ? eo->region : v->region;
    }
    if (!login.project_id && !login.project_name)
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "OS_PROJECT_NAME is not set: password login needs a project (OS_PROJECT_NAME, "
                             "OS_PROJECT_ID, MODELARTS_PROJECT_ID or OS_REGION_NAME)");
    char *iam = iam_endpoint_of(&s->alloc, v->auth_url);
    if (!iam)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory copying OS_AUTH_URL");
    login.iam_endpoint = iam;
    ma_status st = ma_credentials_new_password(&s->credentials, &login, &s->alloc, err);
    ma__free(&s->alloc, iam);
    return st == MA_OK || st == MA_ERR_NOMEM ? st : prefixed(err, st, "OS_* password login");
}

static ma_status choose_credentials(ma_env_settings *s, const ma_env_options *eo, const env_vars *v,
                                    const char *project_id, ma_error *err)
{
    ma_status st;
    const char *what;
    if (v->token) {
        s->method = MA_ENV_METHOD_TOKEN;
        what = "MODELARTS_TOKEN";
        st = ma_credentials_new_token(&s->credentials, v->token, &s->alloc, err);
    } else if (v->ak) {
        s->method = v->security_token ? MA_ENV_METHOD_AKSK_TEMPORARY : MA_ENV_METHOD_AKSK;
        what = "HUAWEICLOUD_SDK_AK/SK/SECURITY_TOKEN";
        st = ma_credentials_new_aksk(&s->credentials, v->ak, v->sk, v->security_token, &s->alloc, err);
    } else if (v->user) {
        s->method = MA_ENV_METHOD_PASSWORD;
        return new_password_credentials(s, eo, v, project_id, err);
    } else {
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "no credentials in the environment: set MODELARTS_TOKEN; or HUAWEICLOUD_SDK_AK and "
                             "HUAWEICLOUD_SDK_SK (and HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary ones); or "
                             "OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_USER_DOMAIN_NAME and OS_PROJECT_NAME");
    }
    return st == MA_OK || st == MA_ERR_NOMEM ? st : prefixed(err, st, what);
}

ma_status ma_client_options_from_env_lookup(ma_client_options *options, const ma_env_options *env_options,
                                            ma_env_lookup_fn lookup, void *user_data, ma_env_settings **out,
                                            ma_error *err)
{
    ma_error_clear(err);
    if (!out)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_client_options_from_env: out is NULL");
    *out = NULL;
    if (!options || !lookup)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_client_options_from_env: %s is NULL",
                             !options ? "options" : "lookup");
    if (options->version == 0 || options->version > MA_CLIENT_OPTIONS_VERSION)
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "options version %u is not supported (use ma_client_options_init)", options->version);
    ma_env_options defaults = MA_ENV_OPTIONS_INIT;
    const ma_env_options *eo = env_options ? env_options : &defaults;
    if (eo->version == 0 || eo->version > MA_ENV_OPTIONS_VERSION)
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "ma_env_options version %u is not supported (use MA_ENV_OPTIONS_INIT)", eo->version);
    env_vars v;
    read_vars(lookup, user_data, &v);
    ma_status st = MA_OK;
    if (!options->credentials && (st = check_half_set(&v, err)) != MA_OK)
        return st;

    const ma_allocator *a = ma__allocator_or_default(options->allocator);
    ma_env_settings *s = ma__calloc(a, 1, sizeof *s);
    if (!s)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory allocating the environment settings");
    s->alloc = *a;
    s->method = MA_ENV_METHOD_CALLER;

    const char *project_id = options->project_id;
    if (!project_id) {
        const char *found = v.project_id ? v.project_id : v.sdk_project_id ? v.sdk_project_id : v.os_project_id;
        if (found && !(s->project_id = ma__strdup(a, found)))
            st = ma__error_set(err, MA_ERR_NOMEM, "out of memory copying the project id");
        project_id = s->project_id;
    }
    if (st == MA_OK && !options->credentials)
        st = choose_credentials(s, eo, &v, project_id, err);
    if (st == MA_OK && !project_id &&
        (s->method == MA_ENV_METHOD_TOKEN || s->method == MA_ENV_METHOD_AKSK ||
         s->method == MA_ENV_METHOD_AKSK_TEMPORARY))
        st = ma__error_set(err, MA_ERR_INVALID_ARG,
                           "no project id: set MODELARTS_PROJECT_ID (or HUAWEICLOUD_SDK_PROJECT_ID or "
                           "OS_PROJECT_ID); only password login can look it up from OS_PROJECT_NAME");
    if (st == MA_OK && !options->endpoint)
        st = choose_endpoint(s, eo, &v, err);
    if (st != MA_OK) {
        ma_env_settings_free(s);
        return st;
    }
    if (!options->endpoint)
        options->endpoint = s->endpoint;
    if (!options->project_id)
        options->project_id = s->project_id;
    if (!options->credentials)
        options->credentials = s->credentials;
    *out = s;
    return MA_OK;
}

static const char *process_getenv(const char *name, void *user_data)
{
    (void)user_data;
    return getenv(name);
}

ma_status ma_client_options_from_env(ma_client_options *options, const ma_env_options *env_options,
                                     ma_env_settings **out, ma_error *err)
{
    return ma_client_options_from_env_lookup(options, env_options, process_getenv, NULL, out, err);
}

ma_env_method ma_env_settings_method(const ma_env_settings *settings)
{
    return settings ? settings->method : MA_ENV_METHOD_CALLER;
}

void ma_env_settings_free(ma_env_settings *settings)
{
    if (!settings)
        return;
    ma_allocator a = settings->alloc;
    ma_credentials_free(settings->credentials);
    ma__free(&a, settings->endpoint);
    ma__free(&a, settings->project_id);
    ma__free(&a, settings);
}
