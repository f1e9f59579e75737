/*
 * Client options from the environment: every row of the precedence table in
 * ma_env.h, every half-set method, explicit settings winning, allocation
 * failures and secret wiping, through an injected lookup; one test with the
 * real process environment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "auth/password_auth.h"
#include "env/env.h"
#include "modelarts/modelarts.h"
#include "secret_alloc.h"
#include "test_alloc.h"

typedef struct kv {
    const char *name;
    const char *value;
} kv;

/* A NULL-terminated table of variables, as a compound literal. */
#define VARS(...) ((const kv[]){__VA_ARGS__, {NULL, NULL}})

#define TOKEN    "tok-SECRET-1a2b"
#define AK       "AKIDEXAMPLE0001"
#define SK       "sk-SECRET-3c4d"
#define ST       "st-SECRET-5e6f"
#define PASSWORD "pw-SECRET-7a8b"
#define ENDPOINT "https://modelarts.example.test"
#define PID_MA   "11111111111111111111111111111111"
#define PID_HW   "22222222222222222222222222222222"
#define PID_OS   "33333333333333333333333333333333"

/* The four variables of a complete password login. */
#define OS_LOGIN                                                                                                    \
    {"OS_AUTH_URL", "https://iam.eu-de.otc.t-systems.com/v3"}, {"OS_USERNAME", "alice"}, {"OS_PASSWORD", PASSWORD}, \
    {                                                                                                               \
        "OS_USER_DOMAIN_NAME", "OTC-EU-DE-0000000000100000"                                                         \
    }
#define AKSK                     \
    {"HUAWEICLOUD_SDK_AK", AK},  \
    {                            \
        "HUAWEICLOUD_SDK_SK", SK \
    }

static size_t g_lookups;

static const char *table_lookup(const char *name, void *user_data)
{
    g_lookups++;
    for (const kv *v = user_data; v->name; v++)
        if (strcmp(v->name, name) == 0)
            return v->value;
    return NULL;
}

typedef struct result {
    ma_status status;
    ma_client_options opts;
    ma_env_settings *settings;
    ma_error err;
} result;

static result load_with(const kv *vars, const ma_client_options *start, const ma_env_options *eo)
{
    result r;
    if (start)
        r.opts = *start;
    else
        assert_int_equal(ma_client_options_init(&r.opts, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    r.settings = NULL;
    r.status =
        ma_client_options_from_env_lookup(&r.opts, eo, table_lookup, (void *)(uintptr_t)vars, &r.settings, &r.err);
    return r;
}

static result load_ok(const char *what, const kv *vars, const ma_client_options *start, const ma_env_options *eo)
{
    result r = load_with(vars, start, eo);
    if (r.status != MA_OK)
        fail_msg("%s: %s: %s", what, ma_status_name(r.status), r.err.message);
    assert_non_null(r.settings);
    return r;
}

/* Fails unless loading @p vars is MA_ERR_INVALID_ARG whose message has @p needle and no secret value. */
static void expect_refused(const char *what, const kv *vars, const ma_env_options *eo, const char *needle)
{
    ma_client_options before;
    assert_int_equal(ma_client_options_init(&before, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    result r = load_with(vars, &before, eo);
    if (r.status != MA_ERR_INVALID_ARG)
        fail_msg("%s: got %s, expected MA_ERR_INVALID_ARG", what, ma_status_name(r.status));
    assert_null(r.settings);
    if (!strstr(r.err.message, needle))
        fail_msg("%s: message \"%s\" lacks \"%s\"", what, r.err.message, needle);
    if (strstr(r.err.message, "-SECRET-"))
        fail_msg("%s: message shows a secret: %s", what, r.err.message);
    /* The options are untouched on failure. */
    assert_memory_equal(&before, &r.opts, sizeof before);
}

static void check_method(const char *what, const result *r, ma_env_method want)
{
    if (ma_env_settings_method(r->settings) != want)
        fail_msg("%s: method %d, expected %d", what, (int)ma_env_settings_method(r->settings), (int)want);
    assert_ptr_equal(r->opts.credentials, r->settings->credentials);
}

/* ---- credentials: the first complete method wins ----------------------------------- */

static void token_wins_over_aksk_and_password(void **state)
{
    (void)state;
    result r = load_ok("token + AK/SK + OS",
                       VARS({"MODELARTS_TOKEN", TOKEN}, AKSK, OS_LOGIN, {"MODELARTS_ENDPOINT", ENDPOINT},
                            {"MODELARTS_PROJECT_ID", PID_MA}),
                       NULL, NULL);
    check_method("token + AK/SK + OS", &r, MA_ENV_METHOD_TOKEN);
    assert_int_equal(r.opts.credentials->kind, MA__CREDENTIALS_TOKEN);
    assert_string_equal(r.opts.credentials->token, TOKEN);
    ma_env_settings_free(r.settings);

    r = load_ok("token + AK/SK/ST",
                VARS({"MODELARTS_TOKEN", TOKEN}, AKSK, {"HUAWEICLOUD_SDK_SECURITY_TOKEN", ST},
                     {"MODELARTS_ENDPOINT", ENDPOINT}, {"MODELARTS_PROJECT_ID", PID_MA}),
                NULL, NULL);
    check_method("token + AK/SK/ST", &r, MA_ENV_METHOD_TOKEN);
    ma_env_settings_free(r.settings);

    r = load_ok("token only",
                VARS({"MODELARTS_TOKEN", TOKEN}, {"MODELARTS_ENDPOINT", ENDPOINT}, {"MODELARTS_PROJECT_ID", PID_MA}),
                NULL, NULL);
    check_method("token only", &r, MA_ENV_METHOD_TOKEN);
    assert_string_equal(r.opts.endpoint, ENDPOINT);
    assert_string_equal(r.opts.project_id, PID_MA);
    ma_env_settings_free(r.settings);
}

static void aksk_wins_over_password(void **state)
{
    (void)state;
    result r = load_ok("AK/SK + OS", VARS(AKSK, OS_LOGIN, {"MODELARTS_ENDPOINT", ENDPOINT}, {"OS_PROJECT_ID", PID_OS}),
                       NULL, NULL);
    check_method("AK/SK + OS", &r, MA_ENV_METHOD_AKSK);
    assert_int_equal(r.opts.credentials->kind, MA__CREDENTIALS_AKSK);
    assert_string_equal(r.opts.credentials->access_key, AK);
    assert_string_equal(r.opts.credentials->secret_key, SK);
    assert_null(r.opts.credentials->security_token);
    ma_env_settings_free(r.settings);

    r = load_ok("AK/SK/ST + OS",
                VARS(AKSK, {"HUAWEICLOUD_SDK_SECURITY_TOKEN", ST}, OS_LOGIN, {"MODELARTS_ENDPOINT", ENDPOINT},
                     {"HUAWEICLOUD_SDK_PROJECT_ID", PID_HW}),
                NULL, NULL);
    check_method("AK/SK/ST + OS", &r, MA_ENV_METHOD_AKSK_TEMPORARY);
    assert_string_equal(r.opts.credentials->security_token, ST);
    assert_string_equal(r.opts.project_id, PID_HW);
    ma_env_settings_free(r.settings);

    /* An empty MODELARTS_TOKEN counts as unset. */
    r = load_ok("empty token + AK/SK",
                VARS({"MODELARTS_TOKEN", ""}, AKSK, {"MODELARTS_ENDPOINT", ENDPOINT}, {"MODELARTS_PROJECT_ID", PID_MA}),
                NULL, NULL);
    check_method("empty token + AK/SK", &r, MA_ENV_METHOD_AKSK);
    ma_env_settings_free(r.settings);
}

static void otc_access_key_names(void **state)
{
    (void)state;
    result r = load_ok("OS_ACCESS_KEY",
                       VARS({"OS_ACCESS_KEY", AK}, {"OS_SECRET_KEY", SK}, {"OS_SECURITY_TOKEN", ST},
                            {"MODELARTS_ENDPOINT", ENDPOINT}, {"MODELARTS_PROJECT_ID", PID_MA}),
                       NULL, NULL);
    check_method("OS_ACCESS_KEY", &r, MA_ENV_METHOD_AKSK_TEMPORARY);
    assert_string_equal(r.opts.credentials->access_key, AK);
    assert_string_equal(r.opts.credentials->secret_key, SK);
    assert_string_equal(r.opts.credentials->security_token, ST);
    assert_string_equal(ma_env_settings_source(r.settings, MA_CONFIG_ITEM_CREDENTIALS),
                        "OS_ACCESS_KEY/OS_SECRET_KEY/OS_SECURITY_TOKEN");
    assert_string_equal(ma_env_settings_source(r.settings, MA_CONFIG_ITEM_ENDPOINT), "MODELARTS_ENDPOINT");
    assert_string_equal(ma_env_settings_source(r.settings, MA_CONFIG_ITEM_PROJECT_ID), "MODELARTS_PROJECT_ID");
    assert_null(ma_env_settings_source(r.settings, MA_CONFIG_ITEM_REGION));
    ma_env_settings_free(r.settings);

    /* The Huawei names win whole: an OS_* pair is not mixed with them. */
    r = load_ok("both namings",
                VARS(AKSK, {"OS_ACCESS_KEY", "AKOTHER"}, {"OS_SECRET_KEY", "other"}, {"MODELARTS_ENDPOINT", ENDPOINT},
                     {"MODELARTS_PROJECT_ID", PID_MA}),
                NULL, NULL);
    assert_string_equal(r.opts.credentials->access_key, AK);
    assert_null(r.opts.credentials->security_token);
    ma_env_settings_free(r.settings);

    expect_refused("OS_ACCESS_KEY alone", VARS({"OS_ACCESS_KEY", AK}, {"MODELARTS_ENDPOINT", ENDPOINT}), NULL,
                   "OS_SECRET_KEY is not set, but OS_ACCESS_KEY is");
    expect_refused("OS_SECURITY_TOKEN alone", VARS({"OS_SECURITY_TOKEN", ST}), NULL,
                   "OS_ACCESS_KEY is not set, but OS_SECURITY_TOKEN is");
}

static void password_login_from_an_otc_rc_file(void **state)
{
    (void)state;
    /* The variables of a typical OTC rc file, nothing else. */
    result r =
        load_ok("rc file", VARS(OS_LOGIN, {"OS_PROJECT_NAME", "eu-de"}, {"OS_REGION_NAME", "eu-de"}), NULL, NULL);
    check_method("rc file", &r, MA_ENV_METHOD_PASSWORD);
    const ma__password_login_copy *l = r.opts.credentials->login;
    assert_string_equal(l->iam_endpoint, "https://iam.eu-de.otc.t-systems.com");
    assert_string_equal(l->user_name, "alice");
    assert_string_equal(l->password, PASSWORD);
    assert_string_equal(l->domain_name, "OTC-EU-DE-0000000000100000");
    assert_string_equal(l->project_name, "eu-de");
    assert_null(l->project_id);
    /* Project id discovered from the name on the first call; endpoint from the region. */
    assert_null(r.opts.project_id);
    assert_string_equal(r.opts.endpoint, "https://modelarts.eu-de.otc.t-systems.com");
    ma_env_settings_free(r.settings);
}

static void password_login_scope(void **state)
{
    (void)state;
    /* OS_AUTH_URL without /v3, with a trailing slash. */
    result r = load_ok("scope by id",
                       VARS({"OS_AUTH_URL", "https://iam.eu-de.otc.t-systems.com/"}, {"OS_USERNAME", "alice"},
                            {"OS_PASSWORD", PASSWORD}, {"OS_USER_DOMAIN_NAME", "dom"}, {"OS_PROJECT_ID", PID_OS},
                            {"OS_PROJECT_NAME", "eu-de_sub"}, {"MODELARTS_ENDPOINT", ENDPOINT}),
                       NULL, NULL);
    const ma__password_login_copy *l = r.opts.credentials->login;
    assert_string_equal(l->iam_endpoint, "https://iam.eu-de.otc.t-systems.com");
    assert_string_equal(l->project_id, PID_OS);
    assert_string_equal(l->project_name, "eu-de_sub");
    assert_string_equal(r.opts.project_id, PID_OS);
    ma_env_settings_free(r.settings);

    /* No OS project: the project id found elsewhere scopes the token. */
    r = load_ok("scope by MODELARTS_PROJECT_ID",
                VARS(OS_LOGIN, {"MODELARTS_PROJECT_ID", PID_MA}, {"MODELARTS_ENDPOINT", ENDPOINT}), NULL, NULL);
    l = r.opts.credentials->login;
    assert_string_equal(l->project_id, PID_MA);
    assert_null(l->project_name);
    ma_env_settings_free(r.settings);

    /* Nothing but the region: the project named after it. */
    r = load_ok("scope by region", VARS(OS_LOGIN, {"OS_REGION_NAME", "eu-de"}), NULL, NULL);
    l = r.opts.credentials->login;
    assert_null(l->project_id);
    assert_string_equal(l->project_name, "eu-de");
    ma_env_settings_free(r.settings);

    ma_env_options eo = MA_ENV_OPTIONS_INIT;
    eo.region = "eu-de";
    r = load_ok("scope by explicit region", VARS(OS_LOGIN), NULL, &eo);
    assert_string_equal(r.opts.credentials->login->project_name, "eu-de");
    ma_env_settings_free(r.settings);

    expect_refused("no project at all", VARS(OS_LOGIN, {"MODELARTS_ENDPOINT", ENDPOINT}), NULL,
                   "OS_PROJECT_NAME is not set");
}

static void caller_credentials_win_and_skip_every_credential_variable(void **state)
{
    (void)state;
    ma_credentials *mine = NULL;
    assert_int_equal(ma_credentials_new_token(&mine, "caller-token", NULL, NULL), MA_OK);
    ma_client_options start;
    assert_int_equal(ma_client_options_init(&start, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    start.credentials = mine;
    /* Even a half-set AK/SK is not looked at then. */
    result r = load_ok("caller credentials",
                       VARS({"MODELARTS_TOKEN", TOKEN}, {"HUAWEICLOUD_SDK_AK", AK}, {"OS_USERNAME", "alice"},
                            {"MODELARTS_ENDPOINT", ENDPOINT}),
                       &start, NULL);
    assert_int_equal(ma_env_settings_method(r.settings), MA_ENV_METHOD_CALLER);
    assert_ptr_equal(r.opts.credentials, mine);
    assert_null(r.settings->credentials);
    /* No project id anywhere: left to ma_client_new. */
    assert_null(r.opts.project_id);
    assert_string_equal(r.opts.endpoint, ENDPOINT);
    ma_env_settings_free(r.settings);
    ma_credentials_free(mine);
}

static void nothing_set_is_an_error(void **state)
{
    (void)state;
    expect_refused("empty environment", VARS({"UNRELATED", "x"}), NULL, "no credentials in the environment");
    expect_refused("only empty values", VARS({"MODELARTS_TOKEN", ""}, {"HUAWEICLOUD_SDK_AK", ""}), NULL,
                   "MODELARTS_TOKEN");
    /* The region and project variables of an rc file alone start no method. */
    expect_refused("rc file without user",
                   VARS({"OS_AUTH_URL", "https://iam.eu-de.otc.t-systems.com/v3"}, {"OS_USER_DOMAIN_NAME", "d"},
                        {"OS_PROJECT_NAME", "eu-de"}, {"OS_REGION_NAME", "eu-de"}),
                   NULL, "no credentials in the environment");
}

/* ---- half-set methods ----------------------------------------------------------------- */

static void half_set_methods_name_the_missing_variable(void **state)
{
    (void)state;
#define BASE {"MODELARTS_ENDPOINT", ENDPOINT}, {"MODELARTS_PROJECT_ID", PID_MA}
    expect_refused("AK without SK", VARS(BASE, {"HUAWEICLOUD_SDK_AK", AK}), NULL,
                   "HUAWEICLOUD_SDK_SK is not set, but HUAWEICLOUD_SDK_AK is");
    expect_refused("SK without AK", VARS(BASE, {"HUAWEICLOUD_SDK_SK", SK}), NULL,
                   "HUAWEICLOUD_SDK_AK is not set, but HUAWEICLOUD_SDK_SK is");
    expect_refused("security token without AK/SK", VARS(BASE, {"HUAWEICLOUD_SDK_SECURITY_TOKEN", ST}), NULL,
                   "HUAWEICLOUD_SDK_AK is not set, but HUAWEICLOUD_SDK_SECURITY_TOKEN is");
    expect_refused("AK + security token without SK",
                   VARS(BASE, {"HUAWEICLOUD_SDK_AK", AK}, {"HUAWEICLOUD_SDK_SECURITY_TOKEN", ST}), NULL,
                   "HUAWEICLOUD_SDK_SK is not set");
    expect_refused("empty SK", VARS(BASE, {"HUAWEICLOUD_SDK_AK", AK}, {"HUAWEICLOUD_SDK_SK", ""}), NULL,
                   "HUAWEICLOUD_SDK_SK is not set");
    expect_refused(
        "OS_USERNAME without OS_PASSWORD",
        VARS(BASE, {"OS_AUTH_URL", "https://iam.example.test"}, {"OS_USERNAME", "alice"}, {"OS_USER_DOMAIN_NAME", "d"}),
        NULL, "OS_PASSWORD is not set, but OS_USERNAME is");
    expect_refused("OS_PASSWORD without OS_USERNAME", VARS(BASE, {"OS_PASSWORD", PASSWORD}), NULL,
                   "OS_USERNAME is not set, but OS_PASSWORD is");
    expect_refused("OS_PASSWORD without OS_AUTH_URL",
                   VARS(BASE, {"OS_USERNAME", "alice"}, {"OS_PASSWORD", PASSWORD}, {"OS_USER_DOMAIN_NAME", "d"}), NULL,
                   "OS_AUTH_URL is not set");
    expect_refused(
        "no OS_USER_DOMAIN_NAME",
        VARS(BASE, {"OS_AUTH_URL", "https://iam.example.test"}, {"OS_USERNAME", "alice"}, {"OS_PASSWORD", PASSWORD}),
        NULL, "OS_USER_DOMAIN_NAME is not set");
    /* Half-set is refused even when a higher method is complete. */
    expect_refused("token + AK without SK", VARS(BASE, {"MODELARTS_TOKEN", TOKEN}, {"HUAWEICLOUD_SDK_AK", AK}), NULL,
                   "HUAWEICLOUD_SDK_SK is not set");
    expect_refused("AK/SK + OS_USERNAME without OS_PASSWORD", VARS(BASE, AKSK, {"OS_USERNAME", "alice"}), NULL,
                   "OS_PASSWORD is not set");
#undef BASE
}

static void refused_values_name_the_variable_not_the_value(void **state)
{
    (void)state;
    expect_refused(
        "token with a space",
        VARS({"MODELARTS_TOKEN", "tok SECRET"}, {"MODELARTS_ENDPOINT", ENDPOINT}, {"MODELARTS_PROJECT_ID", PID_MA}),
        NULL, "MODELARTS_TOKEN: token contains bytes");
    expect_refused("SK with a newline",
                   VARS({"HUAWEICLOUD_SDK_AK", AK}, {"HUAWEICLOUD_SDK_SK", "sk\nSECRET"},
                        {"MODELARTS_ENDPOINT", ENDPOINT}, {"MODELARTS_PROJECT_ID", PID_MA}),
                   NULL, "HUAWEICLOUD_SDK_AK/SK/SECURITY_TOKEN: the secret key (SK)");
    expect_refused("password login to a plain-http IAM",
                   VARS({"OS_AUTH_URL", "http://iam.example.test/v3"}, {"OS_USERNAME", "alice"},
                        {"OS_PASSWORD", PASSWORD}, {"OS_USER_DOMAIN_NAME", "d"}, {"OS_PROJECT_NAME", "eu-de"},
                        {"MODELARTS_ENDPOINT", ENDPOINT}),
                   NULL, "OS_* password login: iam_endpoint uses plain http");
}

/* ---- project id ------------------------------------------------------------------------ */

static void project_id_precedence(void **state)
{
    (void)state;
#define CRED {"MODELARTS_TOKEN", TOKEN}, {"MODELARTS_ENDPOINT", ENDPOINT}
    result r = load_ok(
        "all three",
        VARS(CRED, {"MODELARTS_PROJECT_ID", PID_MA}, {"HUAWEICLOUD_SDK_PROJECT_ID", PID_HW}, {"OS_PROJECT_ID", PID_OS}),
        NULL, NULL);
    assert_string_equal(r.opts.project_id, PID_MA);
    ma_env_settings_free(r.settings);
    r = load_ok("sdk and os", VARS(CRED, {"HUAWEICLOUD_SDK_PROJECT_ID", PID_HW}, {"OS_PROJECT_ID", PID_OS}), NULL,
                NULL);
    assert_string_equal(r.opts.project_id, PID_HW);
    ma_env_settings_free(r.settings);
    r = load_ok("os only", VARS(CRED, {"OS_PROJECT_ID", PID_OS}), NULL, NULL);
    assert_string_equal(r.opts.project_id, PID_OS);
    ma_env_settings_free(r.settings);

    ma_client_options start;
    assert_int_equal(ma_client_options_init(&start, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    start.project_id = "explicit-project";
    r = load_ok("explicit", VARS(CRED, {"MODELARTS_PROJECT_ID", PID_MA}), &start, NULL);
    assert_string_equal(r.opts.project_id, "explicit-project");
    assert_null(r.settings->project_id);
    ma_env_settings_free(r.settings);

    /* Discovery is only possible with password login. */
    expect_refused("token, no project id", VARS(CRED, {"OS_PROJECT_NAME", "eu-de"}), NULL,
                   "no project id: set MODELARTS_PROJECT_ID");
    expect_refused("AK/SK, no project id", VARS(AKSK, {"MODELARTS_ENDPOINT", ENDPOINT}), NULL, "no project id");
#undef CRED
}

/* ---- endpoint --------------------------------------------------------------------------- */

static void endpoint_precedence(void **state)
{
    (void)state;
#define CRED {"MODELARTS_TOKEN", TOKEN}, {"MODELARTS_PROJECT_ID", PID_MA}
    ma_client_options start;
    assert_int_equal(ma_client_options_init(&start, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    start.endpoint = "https://explicit.test";
    ma_env_options eo = MA_ENV_OPTIONS_INIT;
    eo.region = "cn-north-4";
    /* An explicit endpoint wins over everything, even a region that does not exist. */
    ma_env_options bad_region = MA_ENV_OPTIONS_INIT;
    bad_region.region = "no-such-region-9";
    result r = load_ok("explicit endpoint", VARS(CRED, {"MODELARTS_ENDPOINT", ENDPOINT}, {"OS_REGION_NAME", "mars-1"}),
                       &start, &bad_region);
    assert_string_equal(r.opts.endpoint, "https://explicit.test");
    assert_null(r.settings->endpoint);
    ma_env_settings_free(r.settings);

    r = load_ok("explicit region", VARS(CRED, {"MODELARTS_ENDPOINT", ENDPOINT}, {"OS_REGION_NAME", "eu-de"}), NULL,
                &eo);
    assert_string_equal(r.opts.endpoint, "https://modelarts.cn-north-4.myhuaweicloud.com");
    ma_env_settings_free(r.settings);

    r = load_ok("MODELARTS_ENDPOINT", VARS(CRED, {"MODELARTS_ENDPOINT", ENDPOINT}, {"OS_REGION_NAME", "mars-1"}), NULL,
                NULL);
    assert_string_equal(r.opts.endpoint, ENDPOINT);
    ma_env_settings_free(r.settings);

    r = load_ok("OS_REGION_NAME", VARS(CRED, {"OS_REGION_NAME", "eu-de"}), NULL, NULL);
    assert_string_equal(r.opts.endpoint, "https://modelarts.eu-de.otc.t-systems.com");
    ma_env_settings_free(r.settings);

    r = load_ok("OS_REGION_NAME .cn", VARS(CRED, {"OS_REGION_NAME", "ap-southeast-1"}), NULL, NULL);
    assert_string_equal(r.opts.endpoint, "https://modelarts.ap-southeast-1.myhuaweicloud.cn");
    ma_env_settings_free(r.settings);

    expect_refused("no endpoint", VARS(CRED), NULL, "no endpoint: set MODELARTS_ENDPOINT, or OS_REGION_NAME");
    expect_refused("bad OS_REGION_NAME", VARS(CRED, {"OS_REGION_NAME", "EU-DE"}), NULL,
                   "OS_REGION_NAME: region \"EU-DE\" is not a region name");
    expect_refused("unknown OS_REGION_NAME", VARS(CRED, {"OS_REGION_NAME", "eu-nl"}), NULL,
                   "OS_REGION_NAME: region \"eu-nl\" has no known ModelArts endpoint");
    expect_refused("bad explicit region", VARS(CRED, {"MODELARTS_ENDPOINT", ENDPOINT}), &bad_region,
                   "region: region \"no-such-region-9\"");
#undef CRED
}

static void cloud_of_the_region(void **state)
{
    (void)state;
#define CRED {"MODELARTS_TOKEN", TOKEN}, {"MODELARTS_PROJECT_ID", PID_MA}
    /* OS_AUTH_URL on OTC makes a Huawei Cloud region an error instead of a Huawei endpoint. */
    expect_refused(
        "OTC auth URL, Huawei region",
        VARS(CRED, {"OS_AUTH_URL", "https://IAM.eu-de.otc.t-systems.com:443/v3"}, {"OS_REGION_NAME", "cn-north-4"}),
        NULL, "no known ModelArts endpoint on Open Telekom Cloud");
    expect_refused("Huawei auth URL, OTC region",
                   VARS(CRED, {"OS_AUTH_URL", "https://iam.myhuaweicloud.com/v3"}, {"OS_REGION_NAME", "eu-de"}), NULL,
                   "on Huawei Cloud");
    expect_refused(
        "Huawei .cn auth URL, OTC region",
        VARS(CRED, {"OS_AUTH_URL", "https://iam.ap-southeast-1.myhuaweicloud.cn"}, {"OS_REGION_NAME", "eu-de"}), NULL,
        "on Huawei Cloud");
    /* A host of neither cloud (or one that merely looks like it) leaves the region to decide. */
    result r =
        load_ok("other auth URL",
                VARS(CRED, {"OS_AUTH_URL", "https://otc.t-systems.com.evil.test/v3"}, {"OS_REGION_NAME", "cn-north-4"}),
                NULL, NULL);
    assert_string_equal(r.opts.endpoint, "https://modelarts.cn-north-4.myhuaweicloud.com");
    ma_env_settings_free(r.settings);
    /* The explicit cloud wins over OS_AUTH_URL. */
    ma_env_options eo = MA_ENV_OPTIONS_INIT;
    eo.cloud = MA_CLOUD_HUAWEICLOUD;
    r = load_ok("explicit cloud",
                VARS(CRED, {"OS_AUTH_URL", "https://iam.eu-de.otc.t-systems.com/v3"}, {"OS_REGION_NAME", "cn-north-4"}),
                NULL, &eo);
    assert_string_equal(r.opts.endpoint, "https://modelarts.cn-north-4.myhuaweicloud.com");
    ma_env_settings_free(r.settings);
    eo.cloud = MA_CLOUD_OTC;
    expect_refused("explicit cloud, other region", VARS(CRED, {"OS_REGION_NAME", "cn-north-4"}), &eo,
                   "Open Telekom Cloud");
#undef CRED
}

/* ---- arguments, allocation, wiping, the real environment ------------------------------------ */

static void bad_arguments(void **state)
{
    (void)state;
    ma_client_options o;
    assert_int_equal(ma_client_options_init(&o, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    ma_env_settings *s = (ma_env_settings *)&o;
    ma_error err;
    const kv *vars = VARS({"MODELARTS_TOKEN", TOKEN});
    assert_int_equal(ma_client_options_from_env_lookup(&o, NULL, table_lookup, (void *)(uintptr_t)vars, NULL, &err),
                     MA_ERR_INVALID_ARG);
    assert_int_equal(ma_client_options_from_env_lookup(NULL, NULL, table_lookup, (void *)(uintptr_t)vars, &s, &err),
                     MA_ERR_INVALID_ARG);
    assert_null(s);
    assert_int_equal(ma_client_options_from_env_lookup(&o, NULL, NULL, NULL, &s, &err), MA_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "lookup is NULL"));
    o.version = 0;
    assert_int_equal(ma_client_options_from_env_lookup(&o, NULL, table_lookup, (void *)(uintptr_t)vars, &s, &err),
                     MA_ERR_INVALID_ARG);
    o.version = MA_CLIENT_OPTIONS_VERSION + 1;
    assert_int_equal(ma_client_options_from_env_lookup(&o, NULL, table_lookup, (void *)(uintptr_t)vars, &s, NULL),
                     MA_ERR_INVALID_ARG);
    o.version = MA_CLIENT_OPTIONS_VERSION;
    ma_env_options eo = MA_ENV_OPTIONS_INIT;
    eo.version = 2;
    assert_int_equal(ma_client_options_from_env_lookup(&o, &eo, table_lookup, (void *)(uintptr_t)vars, &s, &err),
                     MA_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "ma_env_options version 2"));
    assert_int_equal(ma_env_settings_method(NULL), MA_ENV_METHOD_CALLER);
    ma_env_settings_free(NULL);
}

/* Every allocation failure is MA_ERR_NOMEM with nothing leaked and the options untouched. */
static void allocation_failures(const char *what, const kv *vars, ma_env_method method)
{
    int succeeded = 0;
    for (size_t n = 1; n < 200 && !succeeded; n++) {
        ma_client_options start;
        assert_int_equal(ma_client_options_init(&start, MA_CLIENT_OPTIONS_VERSION), MA_OK);
        start.allocator = test_allocator();
        test_alloc_fail_at(n);
        result r = load_with(vars, &start, NULL);
        int reached = test_alloc_failure_reached();
        test_alloc_reset();
        if (!reached) {
            if (r.status != MA_OK)
                fail_msg("%s: no failure injected, got %s: %s", what, ma_status_name(r.status), r.err.message);
            assert_int_equal(ma_env_settings_method(r.settings), method);
            succeeded = 1;
        } else {
            if (r.status != MA_ERR_NOMEM)
                fail_msg("%s: allocation %zu failed, got %s", what, n, ma_status_name(r.status));
            assert_null(r.settings);
            assert_memory_equal(&start, &r.opts, sizeof start);
        }
        ma_env_settings_free(r.settings);
    }
    assert_true(succeeded);
}

static void allocation_failures_are_nomem_without_leaks(void **state)
{
    (void)state;
    allocation_failures(
        "token", VARS({"MODELARTS_TOKEN", TOKEN}, {"MODELARTS_ENDPOINT", ENDPOINT}, {"MODELARTS_PROJECT_ID", PID_MA}),
        MA_ENV_METHOD_TOKEN);
    allocation_failures(
        "temporary AK/SK",
        VARS(AKSK, {"HUAWEICLOUD_SDK_SECURITY_TOKEN", ST}, {"OS_REGION_NAME", "eu-de"}, {"OS_PROJECT_ID", PID_OS}),
        MA_ENV_METHOD_AKSK_TEMPORARY);
    allocation_failures("password", VARS(OS_LOGIN, {"OS_PROJECT_NAME", "eu-de"}, {"OS_REGION_NAME", "eu-de"}),
                        MA_ENV_METHOD_PASSWORD);
}

static void secrets_are_wiped_when_the_settings_are_freed(void **state)
{
    (void)state;
    static const char *const markers[] = {"tok-SECRET", "sk-SECRET", "st-SECRET", "pw-SECRET"};
    const kv *cases[] = {
        VARS({"MODELARTS_TOKEN", TOKEN}, {"MODELARTS_ENDPOINT", ENDPOINT}, {"MODELARTS_PROJECT_ID", PID_MA}),
        VARS(AKSK, {"HUAWEICLOUD_SDK_SECURITY_TOKEN", ST}, {"MODELARTS_ENDPOINT", ENDPOINT},
             {"MODELARTS_PROJECT_ID", PID_MA}),
        VARS(OS_LOGIN, {"OS_PROJECT_NAME", "eu-de"}, {"OS_REGION_NAME", "eu-de"}),
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        secret_alloc_reset();
        for (size_t m = 0; m < sizeof markers / sizeof markers[0]; m++)
            secret_alloc_add_marker(markers[m]);
        ma_client_options start;
        assert_int_equal(ma_client_options_init(&start, MA_CLIENT_OPTIONS_VERSION), MA_OK);
        start.allocator = secret_allocator();
        result r = load_ok("wipe", cases[i], &start, NULL);
        ma_env_settings_free(r.settings);
        if (secret_alloc_failures() != 0)
            fail_msg("case %zu: a freed block held a secret: %s", i, secret_alloc_first_failure());
        assert_true(secret_alloc_blocks_returned() >= 3);
        assert_int_equal(secret_alloc_live_blocks(), 0);
    }
}

static void the_real_environment(void **state)
{
    (void)state;
    static const char *const names[] = {"MODELARTS_ENDPOINT",
                                        "MODELARTS_PROJECT_ID",
                                        "MODELARTS_TOKEN",
                                        "HUAWEICLOUD_SDK_AK",
                                        "HUAWEICLOUD_SDK_SK",
                                        "HUAWEICLOUD_SDK_SECURITY_TOKEN",
                                        "HUAWEICLOUD_SDK_PROJECT_ID",
                                        "OS_AUTH_URL",
                                        "OS_USERNAME",
                                        "OS_PASSWORD",
                                        "OS_USER_DOMAIN_NAME",
                                        "OS_PROJECT_NAME",
                                        "OS_PROJECT_ID",
                                        "OS_REGION_NAME"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_int_equal(unsetenv(names[i]), 0);
    assert_int_equal(setenv("HUAWEICLOUD_SDK_AK", AK, 1), 0);
    assert_int_equal(setenv("HUAWEICLOUD_SDK_SK", SK, 1), 0);
    assert_int_equal(setenv("HUAWEICLOUD_SDK_PROJECT_ID", PID_HW, 1), 0);
    assert_int_equal(setenv("OS_REGION_NAME", "cn-north-4", 1), 0);
    ma_client_options o;
    assert_int_equal(ma_client_options_init(&o, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    ma_env_settings *s = NULL;
    ma_error err;
    ma_status st = ma_client_options_from_env(&o, NULL, &s, &err);
    if (st != MA_OK)
        fail_msg("%s: %s", ma_status_name(st), err.message);
    assert_int_equal(ma_env_settings_method(s), MA_ENV_METHOD_AKSK);
    assert_string_equal(o.project_id, PID_HW);
    assert_string_equal(o.endpoint, "https://modelarts.cn-north-4.myhuaweicloud.com");
    assert_string_equal(o.credentials->secret_key, SK);
    ma_env_settings_free(s);
    assert_int_equal(unsetenv("HUAWEICLOUD_SDK_SK"), 0);
    assert_int_equal(ma_client_options_init(&o, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    assert_int_equal(ma_client_options_from_env(&o, NULL, &s, &err), MA_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "HUAWEICLOUD_SDK_SK is not set"));
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_int_equal(unsetenv(names[i]), 0);
}

static void every_variable_is_looked_up_once(void **state)
{
    (void)state;
    g_lookups = 0;
    result r = load_ok(
        "count", VARS({"MODELARTS_TOKEN", TOKEN}, {"MODELARTS_ENDPOINT", ENDPOINT}, {"MODELARTS_PROJECT_ID", PID_MA}),
        NULL, NULL);
    assert_int_equal(g_lookups, 17); /* 14, and the three OS_* AK/SK names when the Huawei ones are unset */
    ma_env_settings_free(r.settings);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(token_wins_over_aksk_and_password),
        cmocka_unit_test(aksk_wins_over_password),
        cmocka_unit_test(password_login_from_an_otc_rc_file),
        cmocka_unit_test(password_login_scope),
        cmocka_unit_test(caller_credentials_win_and_skip_every_credential_variable),
        cmocka_unit_test(otc_access_key_names),
        cmocka_unit_test(nothing_set_is_an_error),
        cmocka_unit_test(half_set_methods_name_the_missing_variable),
        cmocka_unit_test(refused_values_name_the_variable_not_the_value),
        cmocka_unit_test(project_id_precedence),
        cmocka_unit_test(endpoint_precedence),
        cmocka_unit_test(cloud_of_the_region),
        cmocka_unit_test(bad_arguments),
        cmocka_unit_test(allocation_failures_are_nomem_without_leaks),
        cmocka_unit_test(secrets_are_wiped_when_the_settings_are_freed),
        cmocka_unit_test(the_real_environment),
        cmocka_unit_test(every_variable_is_looked_up_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
