/*
 * ma_client_options_from_config: clouds.yaml / secure.yaml / clouds.json and
 * the profile file, found in temporary directories through an injected
 * lookup (HOME, OS_CLIENT_CONFIG_FILE, ...); the source order; bad files;
 * permission warnings; allocation failures. No network.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "auth/auth.h"
#include "auth/password_auth.h"
#include "config/clouds.h"
#include "env/env.h"
#include "modelarts/modelarts.h"
#include "test_alloc.h"

#define PASSWORD "pw-SECRET-7a8b"
#define SK       "sk-SECRET-3c4d"
#define ST       "st-SECRET-5e6f"
#define AK       "AKIDEXAMPLE0001"
#define PID      "33333333333333333333333333333333"

typedef struct kv {
    const char *name;
    const char *value;
} kv;

static kv g_vars[16];
static char g_dir[256]; /* a fresh temporary directory per test, used as HOME */
static char g_cwd[4096];

static const char *lookup(const char *name, void *ud)
{
    (void)ud;
    for (size_t i = 0; i < sizeof g_vars / sizeof g_vars[0] && g_vars[i].name; i++)
        if (strcmp(g_vars[i].name, name) == 0)
            return g_vars[i].value;
    return NULL;
}

static void set_var(const char *name, const char *value)
{
    size_t i = 0;
    while (g_vars[i].name && strcmp(g_vars[i].name, name) != 0)
        i++;
    assert_true(i + 1 < sizeof g_vars / sizeof g_vars[0]);
    g_vars[i].name = name;
    g_vars[i].value = value;
}

static void mkdirs(const char *rel)
{
    char path[512], *p;
    snprintf(path, sizeof path, "%s/%s", g_dir, rel);
    for (p = path + strlen(g_dir) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0700);
            *p = '/';
        }
    mkdir(path, 0700);
}

/* Writes @p text to HOME-relative @p rel with @p mode; returns the absolute path (static buffer per slot). */
static const char *put(const char *rel, const char *text, mode_t mode)
{
    static char paths[8][512];
    static int slot;
    char *path = paths[slot++ % 8];
    snprintf(path, 512, "%s/%s", g_dir, rel);
    char dir[512];
    snprintf(dir, sizeof dir, "%s", rel);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        mkdirs(dir);
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(chmod(path, mode), 0);
    return path;
}

static int setup(void **state)
{
    (void)state;
    memset(g_vars, 0, sizeof g_vars);
    snprintf(g_dir, sizeof g_dir, "/tmp/ma_test_config_XXXXXX");
    assert_non_null(mkdtemp(g_dir));
    set_var("HOME", g_dir);
    assert_non_null(getcwd(g_cwd, sizeof g_cwd));
    /* ./clouds.yaml is searched too: run in an empty directory. */
    mkdirs("cwd");
    char cwd[512];
    snprintf(cwd, sizeof cwd, "%s/cwd", g_dir);
    assert_int_equal(chdir(cwd), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(chdir(g_cwd), 0);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

typedef struct result {
    ma_status status;
    ma_client_options opts;
    ma_env_settings *settings;
    ma_error err;
} result;

static result load(const char *os_cloud)
{
    result r;
    assert_int_equal(ma_client_options_init(&r.opts, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    r.opts.allocator = test_allocator();
    ma_config_options co = MA_CONFIG_OPTIONS_INIT;
    co.lookup = lookup;
    co.os_cloud = os_cloud;
    r.settings = NULL;
    r.status = ma_client_options_from_config(&r.opts, &co, &r.settings, &r.err);
    if (strstr(r.err.message, "-SECRET-"))
        fail_msg("message shows a secret: %s", r.err.message);
    return r;
}

static result load_ok(const char *os_cloud)
{
    result r = load(os_cloud);
    if (r.status != MA_OK)
        fail_msg("%s: %s", ma_status_name(r.status), r.err.message);
    return r;
}

static void expect_error(const char *os_cloud, const char *needle1, const char *needle2)
{
    result r = load(os_cloud);
    if (r.status != MA_ERR_INVALID_ARG)
        fail_msg("got %s (%s), expected MA_ERR_INVALID_ARG", ma_status_name(r.status), r.err.message);
    assert_null(r.settings);
    assert_null(r.opts.credentials);
    if (!strstr(r.err.message, needle1) || (needle2 && !strstr(r.err.message, needle2)))
        fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", r.err.message, needle1, needle2 ? needle2 : "");
}

static void expect_source(const result *r, ma_config_item item, const char *needle)
{
    const char *s = ma_env_settings_source(r->settings, item);
    if (!s || !strstr(s, needle))
        fail_msg("source of item %d is \"%s\", expected it to have \"%s\"", (int)item, s ? s : "(null)", needle);
}

#define OTC_CLOUD                                                  \
    "clouds:\n"                                                    \
    "  otc:\n"                                                     \
    "    profile: otc\n"                                           \
    "    region_name: eu-de\n"                                     \
    "    auth:\n"                                                  \
    "      auth_url: https://iam.eu-de.otc.t-systems.com:443/v3\n" \
    "      username: 'alice'\n"                                    \
    "      password: '" PASSWORD "'\n"                             \
    "      project_name: eu-de_proj\n"                             \
    "      user_domain_name: 'OTC00000000001000000xxx'\n"          \
    "    interface: public\n"                                      \
    "    identity_api_version: 3\n"

/* ---- clouds.yaml --------------------------------------------------------------------------- */

static void clouds_yaml_password_login(void **state)
{
    (void)state;
    const char *path = put(".config/openstack/clouds.yaml", OTC_CLOUD, 0600);
    result r = load_ok(NULL);
    assert_int_equal(ma_env_settings_method(r.settings), MA_ENV_METHOD_PASSWORD);
    const ma__password_login_copy *l = r.opts.credentials->login;
    assert_string_equal(l->iam_endpoint, "https://iam.eu-de.otc.t-systems.com:443");
    assert_string_equal(l->user_name, "alice");
    assert_string_equal(l->password, PASSWORD);
    assert_string_equal(l->domain_name, "OTC00000000001000000xxx");
    assert_string_equal(l->project_name, "eu-de_proj");
    assert_string_equal(r.opts.endpoint, "https://modelarts.eu-de.otc.t-systems.com");
    assert_null(r.opts.project_id);
    expect_source(&r, MA_CONFIG_ITEM_CREDENTIALS, path);
    expect_source(&r, MA_CONFIG_ITEM_CREDENTIALS, "(cloud otc) auth.username/auth.password");
    expect_source(&r, MA_CONFIG_ITEM_ENDPOINT, "(cloud otc) region_name");
    expect_source(&r, MA_CONFIG_ITEM_REGION, "(cloud otc) region_name");
    assert_string_equal(ma_env_settings_region(r.settings), "eu-de");
    assert_int_equal(ma_env_settings_warning_count(r.settings), 0);
    ma_env_settings_free(r.settings);
}

static void secure_yaml_is_merged_over_clouds_yaml(void **state)
{
    (void)state;
    put(".config/openstack/clouds.yaml",
        "clouds:\n  otc:\n    region_name: eu-nl\n    profile: otc\n    auth:\n      username: alice\n"
        "      password: wrong-one\n      user_domain_name: dom\n",
        0644);
    const char *secure =
        put(".config/openstack/secure.yaml", "clouds:\n  otc:\n    auth:\n      password: " PASSWORD "\n", 0600);
    /* Our region table knows only eu-de on OTC: the endpoint is given. */
    set_var("MODELARTS_ENDPOINT", "https://modelarts.example.test");
    result r = load_ok("otc");
    const ma__password_login_copy *l = r.opts.credentials->login;
    assert_string_equal(l->password, PASSWORD);
    /* profile: otc gives the IAM URL of the region; the region names the project. */
    assert_string_equal(l->iam_endpoint, "https://iam.eu-nl.otc.t-systems.com");
    assert_string_equal(l->project_name, "eu-nl");
    assert_string_equal(ma_env_settings_region(r.settings), "eu-nl");
    /* The clouds file holds a password and is readable by others: a warning naming it. */
    assert_int_equal(ma_env_settings_warning_count(r.settings), 1);
    assert_non_null(strstr(ma_env_settings_warning(r.settings, 0), "clouds.yaml"));
    assert_null(strstr(ma_env_settings_warning(r.settings, 0), "wrong-one"));
    assert_null(ma_env_settings_warning(r.settings, 1));
    ma_env_settings_free(r.settings);

    /* Now the secure file is the exposed one. */
    assert_int_equal(chmod(secure, 0640), 0);
    put(".config/openstack/clouds.yaml",
        "clouds:\n  otc:\n    region_name: eu-nl\n    profile: otc\n    auth:\n      username: alice\n"
        "      user_domain_name: dom\n",
        0644);
    r = load_ok("otc");
    assert_int_equal(ma_env_settings_warning_count(r.settings), 1);
    assert_non_null(strstr(ma_env_settings_warning(r.settings, 0), "secure.yaml"));
    ma_env_settings_free(r.settings);
}

static void clouds_aksk_and_aliases(void **state)
{
    (void)state;
    put(".config/openstack/clouds.yaml",
        "clouds:\n  otc:\n    profile: otc\n    region_name: eu-de\n    ak: " AK "\n    sk: " SK "\n"
        "    auth:\n      project_id: " PID "\n      username: ignored\n",
        0600);
    result r = load_ok(NULL);
    assert_int_equal(ma_env_settings_method(r.settings), MA_ENV_METHOD_AKSK);
    assert_string_equal(r.opts.credentials->access_key, AK);
    assert_string_equal(r.opts.credentials->secret_key, SK);
    assert_null(r.opts.credentials->security_token);
    assert_string_equal(r.opts.project_id, PID);
    expect_source(&r, MA_CONFIG_ITEM_PROJECT_ID, "auth.project_id");
    expect_source(&r, MA_CONFIG_ITEM_CREDENTIALS, "ak/sk");
    ma_env_settings_free(r.settings);

    put(".config/openstack/clouds.yaml",
        "clouds:\n  otc:\n    region_name: eu-de\n    access_key: " AK "\n    secret_key: " SK "\n    token: " ST "\n"
        "    auth:\n      auth_url: https://iam.eu-de.otc.t-systems.com/v3\n      project_id: " PID "\n",
        0600);
    r = load_ok(NULL);
    assert_int_equal(ma_env_settings_method(r.settings), MA_ENV_METHOD_AKSK_TEMPORARY);
    assert_string_equal(r.opts.credentials->security_token, ST);
    /* No profile: the cloud of the region comes from auth_url's host. */
    assert_string_equal(r.opts.endpoint, "https://modelarts.eu-de.otc.t-systems.com");
    ma_env_settings_free(r.settings);

    /* AK/SK needs a project id. */
    put(".config/openstack/clouds.yaml", "clouds:\n  otc:\n    profile: otc\n    ak: " AK "\n    sk: " SK "\n", 0600);
    expect_error(NULL, "(cloud otc): no project id", "auth.project_id");
}

static void clouds_json_is_read_with_the_same_keys(void **state)
{
    (void)state;
    put(".config/openstack/clouds.json",
        "{\"clouds\": {\"j\": {\"profile\": \"otc\", \"region_name\": \"eu-de\", \"ak\": \"" AK "\", \"sk\": \"" SK
        "\", \"auth\": {\"project_id\": \"" PID "\"}, \"identity_api_version\": 3}}}",
        0600);
    result r = load_ok(NULL);
    assert_string_equal(r.opts.credentials->access_key, AK);
    expect_source(&r, MA_CONFIG_ITEM_CREDENTIALS, "clouds.json (cloud j)");
    ma_env_settings_free(r.settings);
}

static void clouds_file_lookup_order(void **state)
{
    (void)state;
#define ONE_CLOUD(name)                                 \
    "clouds:\n  " name ":\n    ak: " AK "\n    sk: " SK \
    "\n    region_name: eu-de\n    profile: otc\n    auth: {project_id: " PID "}\n"
    put("etc-like/other.yaml", ONE_CLOUD("explicit"), 0600);
    put("cwd/clouds.yml", ONE_CLOUD("cwd"), 0600);
    put(".config/openstack/clouds.yaml", ONE_CLOUD("user"), 0600);
    char explicit_path[512];
    snprintf(explicit_path, sizeof explicit_path, "%s/etc-like/other.yaml", g_dir);
    set_var("OS_CLIENT_CONFIG_FILE", explicit_path);
    result r = load_ok(NULL);
    expect_source(&r, MA_CONFIG_ITEM_CREDENTIALS, "other.yaml (cloud explicit)");
    ma_env_settings_free(r.settings);
    /* The named file missing: the next place, ./ */
    set_var("OS_CLIENT_CONFIG_FILE", "/nonexistent/clouds.yaml");
    r = load_ok(NULL);
    expect_source(&r, MA_CONFIG_ITEM_CREDENTIALS, "./clouds.yml (cloud cwd)");
    ma_env_settings_free(r.settings);
    /* The first file found wins, with no merging: "user" is not looked for elsewhere. */
    expect_error("user", "./clouds.yml: no cloud named \"user\"", "cwd");
    /* Without ./clouds.yml, the user's config directory. */
    char p[512];
    snprintf(p, sizeof p, "%s/cwd/clouds.yml", g_dir);
    assert_int_equal(unlink(p), 0);
    r = load_ok(NULL);
    expect_source(&r, MA_CONFIG_ITEM_CREDENTIALS, "/.config/openstack/clouds.yaml (cloud user)");
    ma_env_settings_free(r.settings);
    /* XDG_CONFIG_HOME moves the user's config directory. */
    put("xdg/openstack/clouds.yaml", ONE_CLOUD("xdg"), 0600);
    char xdg[512];
    snprintf(xdg, sizeof xdg, "%s/xdg", g_dir);
    set_var("XDG_CONFIG_HOME", xdg);
    r = load_ok(NULL);
    expect_source(&r, MA_CONFIG_ITEM_CREDENTIALS, "xdg/openstack/clouds.yaml (cloud xdg)");
    ma_env_settings_free(r.settings);
#undef ONE_CLOUD
}

static void candidates_follow_openstacksdk(void **state)
{
    (void)state;
    set_var("OS_CLIENT_SECURE_FILE", "/x/s.yaml");
    ma__candidates c;
    assert_int_equal(ma__clouds_candidates(test_allocator(), lookup, NULL, "secure", "OS_CLIENT_SECURE_FILE", &c, NULL),
                     MA_OK);
    assert_int_equal(c.count, 10);
    assert_string_equal(c.paths[0], "/x/s.yaml");
    assert_string_equal(c.paths[1], "./secure.yaml");
    assert_string_equal(c.paths[2], "./secure.yml");
    assert_string_equal(c.paths[3], "./secure.json");
    assert_non_null(strstr(c.paths[4], "/.config/openstack/secure.yaml"));
    assert_string_equal(c.paths[7], "/etc/openstack/secure.yaml");
    assert_string_equal(c.paths[9], "/etc/openstack/secure.json");
    ma__candidates_free(test_allocator(), &c);
}

static void cloud_selection(void **state)
{
    (void)state;
    const char *path = put(".config/openstack/clouds.yaml",
                           "clouds:\n  a:\n    ak: " AK "\n    sk: " SK "\n    region_name: eu-de\n    profile: otc\n"
                           "    auth: {project_id: " PID "}\n  b:\n    access_key: AKB\n    secret_key: " SK
                           "\n    region_name: eu-de\n"
                           "    profile: otc\n    auth: {project_id: " PID "}\n",
                           0600);
    /* Two clouds and no selection: not usable, and the message says so. */
    expect_error(NULL, "no credentials found", "2 clouds (a, b) and OS_CLOUD is not set");
    set_var("OS_CLOUD", "b");
    result r = load_ok(NULL);
    assert_string_equal(r.opts.credentials->access_key, "AKB");
    assert_string_equal(r.opts.endpoint, "https://modelarts.eu-de.otc.t-systems.com");
    ma_env_settings_free(r.settings);
    /* The explicit option wins over OS_CLOUD. */
    r = load_ok("a");
    assert_string_equal(r.opts.credentials->access_key, AK);
    ma_env_settings_free(r.settings);
    set_var("OS_CLOUD", "c");
    expect_error(NULL, path, "no cloud named \"c\" (from OS_CLOUD); the file has: a, b");
    /* OS_CLOUD without any clouds file. */
    assert_int_equal(unlink(path), 0);
    expect_error(NULL, "OS_CLOUD=c, but no clouds.yaml", NULL);
}

static void environment_wins_over_files(void **state)
{
    (void)state;
    put(".config/openstack/clouds.yaml", OTC_CLOUD, 0600);
    set_var("OS_ACCESS_KEY", "AKENV");
    set_var("OS_SECRET_KEY", SK);
    set_var("MODELARTS_PROJECT_ID", PID);
    set_var("OS_REGION_NAME", "eu-de");
    result r = load_ok(NULL);
    assert_string_equal(r.opts.credentials->access_key, "AKENV");
    expect_source(&r, MA_CONFIG_ITEM_CREDENTIALS, "OS_ACCESS_KEY");
    ma_env_settings_free(r.settings);
    /* A half-set environment is an error, not a fall-through to the file. */
    set_var("OS_SECRET_KEY", "");
    expect_error(NULL, "OS_SECRET_KEY is not set, but OS_ACCESS_KEY is", NULL);
}

static void environment_project_and_region_win_over_the_cloud(void **state)
{
    (void)state;
    put(".config/openstack/clouds.yaml",
        "clouds:\n  otc:\n    profile: otc\n    region_name: eu-de\n    ak: " AK "\n    sk: " SK "\n"
        "    auth: {project_id: " PID "}\n",
        0600);
    set_var("MODELARTS_PROJECT_ID", "44444444444444444444444444444444");
    set_var("MODELARTS_ENDPOINT", "https://modelarts.example.test");
    result r = load_ok(NULL);
    assert_string_equal(r.opts.project_id, "44444444444444444444444444444444");
    expect_source(&r, MA_CONFIG_ITEM_PROJECT_ID, "MODELARTS_PROJECT_ID");
    assert_string_equal(r.opts.endpoint, "https://modelarts.example.test");
    expect_source(&r, MA_CONFIG_ITEM_ENDPOINT, "MODELARTS_ENDPOINT");
    ma_env_settings_free(r.settings);
}

static void unknown_region_names_the_key(void **state)
{
    (void)state;
    put(".config/openstack/clouds.yaml",
        "clouds:\n  otc:\n    profile: otc\n    region_name: eu-nowhere\n    ak: " AK "\n    sk: " SK "\n"
        "    auth: {project_id: " PID "}\n",
        0600);
    expect_error(NULL, "clouds.yaml (cloud otc): region_name: region \"eu-nowhere\"", NULL);
}

static void half_filled_clouds(void **state)
{
    (void)state;
    put(".config/openstack/clouds.yaml", "clouds:\n  x:\n    ak: " AK "\n", 0600);
    expect_error(NULL, "(cloud x): ak is set but sk (or secret_key) is missing", NULL);
    put(".config/openstack/clouds.yaml", "clouds:\n  x:\n    secret_key: " SK "\n", 0600);
    expect_error(NULL, "secret_key is set but ak (or access_key) is missing", NULL);
    put(".config/openstack/clouds.yaml",
        "clouds:\n  x:\n    auth:\n      username: u\n      password: " PASSWORD "\n      auth_url: https://iam.x/v3\n",
        0600);
    expect_error(NULL, "auth.user_domain_name is missing", NULL);
    put(".config/openstack/clouds.yaml",
        "clouds:\n  x:\n    auth:\n      username: u\n      password: " PASSWORD "\n      user_domain_id: d\n"
        "      auth_url: https://iam.x/v3\n",
        0600);
    expect_error(NULL, "auth.user_domain_id alone is not supported", NULL);
    put(".config/openstack/clouds.yaml", "clouds:\n  x:\n    auth:\n      username: u\n", 0600);
    expect_error(NULL, "auth.password is missing", NULL);
    put(".config/openstack/clouds.yaml", "clouds:\n  x:\n    region_name: eu-de\n", 0600);
    expect_error(NULL, "(cloud x): no credentials", NULL);
    put(".config/openstack/clouds.yaml",
        "clouds:\n  x:\n    profile: vexxhost\n    auth: {username: u, password: p, user_domain_name: d}\n", 0600);
    expect_error(NULL, "profile \"vexxhost\" is not known here", NULL);
}

static void bad_clouds_files(void **state)
{
    (void)state;
    const char *p =
        put(".config/openstack/clouds.yaml", "clouds:\n  otc:\n    auth: [\n      password: " PASSWORD, 0600);
    expect_error(NULL, p, "malformed YAML at line");
    put(".config/openstack/clouds.yaml", "- clouds\n", 0600);
    expect_error(NULL, "the top level is not a mapping", NULL);
    put(".config/openstack/clouds.yaml", "clouds: 3\n", 0600);
    expect_error(NULL, "has no \"clouds\" mapping", NULL);
    put(".config/openstack/clouds.yaml", "clouds:\n  x: {}\n---\nclouds: {}\n", 0600);
    expect_error(NULL, "more than one YAML document", NULL);
    put(".config/openstack/clouds.yaml", "clouds:\n  ? [a, b]\n  : 1\n", 0600);
    expect_error(NULL, "is not a plain string", NULL);
    /* Nested far too deep: refused without exhausting the stack. */
    char deep[4096] = "clouds: ";
    for (int i = 0; i < 500; i++)
        strcat(deep, "[");
    put(".config/openstack/clouds.yaml", deep, 0600);
    expect_error(NULL, "nested deeper than", NULL);
    /* Aliases are not expanded: a "billion laughs" stays small and is just not a cloud. */
    put(".config/openstack/clouds.yaml",
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nclouds:\n  x: *c\n",
        0600);
    expect_error(NULL, "cloud \"x\" is not a mapping", NULL);
    unlink(p);
    /* JSON: the position only, never the text near the error (it may be a password). */
    p = put(".config/openstack/clouds.json", "{\"clouds\": {\"x\": {\"auth\": {\"password\": \"" PASSWORD "\" x}}}}",
            0600);
    expect_error(NULL, p, "malformed JSON at line 1");
    unlink(p);
    /* Huge. */
    char *big = malloc(2 * 1024 * 1024 + 1);
    assert_non_null(big);
    memset(big, '#', 2 * 1024 * 1024);
    big[2 * 1024 * 1024] = '\0';
    p = put(".config/openstack/clouds.yaml", big, 0600);
    free(big);
    expect_error(NULL, p, "more than the 1048576 a config file may have");
    unlink(p);
    /* Not a regular file: a directory, a FIFO (which must not hang). */
    mkdirs(".config/openstack/clouds.yaml");
    expect_error(NULL, "clouds.yaml: is not a regular file", NULL);
    rmdir(p);
    char fifo[512];
    snprintf(fifo, sizeof fifo, "%s/.config/openstack/clouds.yml", g_dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    expect_error(NULL, "clouds.yml: is not a regular file", NULL);
    unlink(fifo);
    if (geteuid() != 0) {
        p = put(".config/openstack/clouds.yaml", OTC_CLOUD, 0000);
        expect_error(NULL, p, "cannot be opened: Permission denied");
        unlink(p);
    }
}

/* ---- the profile file ------------------------------------------------------------------------ */

static void profile_file(void **state)
{
    (void)state;
    const char *path = put(".huaweicloud/credentials",
                           "# Huawei Cloud SDK profile\n[global]\nak = GLOBALAK\nsk = other\n[basic]\nak = " AK
                           "\nsk = " SK "\nproject_id = " PID "\niam_endpoint = https://iam.myhuaweicloud.com\n",
                           0600);
    set_var("MODELARTS_ENDPOINT", "https://modelarts.example.test");
    result r = load_ok(NULL);
    assert_int_equal(ma_env_settings_method(r.settings), MA_ENV_METHOD_AKSK);
    assert_string_equal(r.opts.credentials->access_key, AK);
    assert_string_equal(r.opts.credentials->secret_key, SK);
    assert_string_equal(r.opts.project_id, PID);
    expect_source(&r, MA_CONFIG_ITEM_CREDENTIALS, path);
    expect_source(&r, MA_CONFIG_ITEM_CREDENTIALS, "[basic] ak/sk");
    expect_source(&r, MA_CONFIG_ITEM_PROJECT_ID, "[basic] project_id");
    assert_int_equal(ma_env_settings_warning_count(r.settings), 0);
    ma_env_settings_free(r.settings);

    /* HUAWEICLOUD_SDK_CREDENTIALS_FILE; a security token far longer than an inih line; a readable file. */
    char *text = malloc(12000);
    assert_non_null(text);
    char *token = malloc(9001);
    assert_non_null(token);
    memset(token, 'T', 9000);
    token[9000] = '\0';
    snprintf(text, 12000, "[basic]\nak=%s\nsk=%s\nsecurity_token = %s  \nproject_id=%s\n", AK, SK, token, PID);
    const char *other = put("elsewhere/creds.ini", text, 0644);
    set_var("HUAWEICLOUD_SDK_CREDENTIALS_FILE", other);
    r = load_ok(NULL);
    assert_int_equal(ma_env_settings_method(r.settings), MA_ENV_METHOD_AKSK_TEMPORARY);
    assert_string_equal(r.opts.credentials->security_token, token);
    assert_int_equal(ma_env_settings_warning_count(r.settings), 1);
    assert_non_null(strstr(ma_env_settings_warning(r.settings, 0), "creds.ini holds secrets and is readable"));
    ma_env_settings_free(r.settings);
    free(text);
    free(token);

    /* clouds.yaml comes before the profile file. */
    put(".config/openstack/clouds.yaml", OTC_CLOUD, 0600);
    r = load_ok(NULL);
    assert_int_equal(ma_env_settings_method(r.settings), MA_ENV_METHOD_PASSWORD);
    ma_env_settings_free(r.settings);
}

static void bad_profile_files(void **state)
{
    (void)state;
    set_var("MODELARTS_ENDPOINT", "https://modelarts.example.test");
    const char *p = put(".huaweicloud/credentials", "[basic]\nak = " AK "\n", 0600);
    expect_error(NULL, p, "[basic]: ak is set but sk is missing");
    put(".huaweicloud/credentials", "[basic]\nsk = " SK "\n", 0600);
    expect_error(NULL, "sk is set but ak is missing", NULL);
    put(".huaweicloud/credentials", "[basic]\nak = " AK "\nthis line is no setting\nsk = " SK "\n", 0600);
    expect_error(NULL, p, "line 3 is neither");
    put(".huaweicloud/credentials", "[basic]\nak = " AK "\nsk = " SK "\n", 0600);
    expect_error(NULL, "[basic]: no project id: set project_id there", NULL);
    char nul[] = "[basic]\nak = x\0sk = y\n";
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fwrite(nul, 1, sizeof nul - 1, f);
    fclose(f);
    expect_error(NULL, "holds a NUL byte", NULL);
    set_var("HUAWEICLOUD_SDK_CREDENTIALS_FILE", "/nonexistent/creds");
    expect_error(NULL, "HUAWEICLOUD_SDK_CREDENTIALS_FILE names /nonexistent/creds, which does not exist", NULL);
}

/* ---- nothing found --------------------------------------------------------------------------- */

static void nothing_found_lists_every_source(void **state)
{
    (void)state;
    expect_error(NULL,
                 "no credentials found; looked at: environment: none of MODELARTS_TOKEN, HUAWEICLOUD_SDK_AK/SK, "
                 "OS_ACCESS_KEY/OS_SECRET_KEY, OS_USERNAME/OS_PASSWORD is set; clouds.yaml: none found",
                 "/.huaweicloud/credentials: not found");
    put(".huaweicloud/credentials", "[global]\nak = x\n", 0600);
    expect_error(NULL, "/.huaweicloud/credentials: no [basic] section", NULL);
    put(".huaweicloud/credentials", "[basic]\nproject_id = " PID "\n", 0600);
    expect_error(NULL, "/.huaweicloud/credentials: [basic] has no ak and sk", NULL);
}

/* ---- metadata, only when asked ------------------------------------------------------------- */

static void metadata_only_when_asked(void **state)
{
    (void)state;
    put(".huaweicloud/credentials", "[basic]\nak = " AK "\nsk = " SK "\nproject_id = " PID "\n", 0600);
    set_var("MODELARTS_ENDPOINT", "https://modelarts.example.test");
    result r = load_ok(NULL);
    assert_int_equal(ma_env_settings_method(r.settings), MA_ENV_METHOD_AKSK);
    ma_env_settings_free(r.settings);
    /* Asked for: it replaces the environment's and the files' credentials. */
    set_var("MODELARTS_CREDENTIALS", "metadata");
    set_var("MODELARTS_METADATA_ENDPOINT", "http://127.0.0.1:9");
    set_var("MODELARTS_PROJECT_ID", PID);
    set_var("MODELARTS_TOKEN", "tok-SECRET-x");
    r = load_ok(NULL);
    assert_int_equal(ma_env_settings_method(r.settings), MA_ENV_METHOD_METADATA);
    assert_int_equal(r.opts.credentials->kind, MA__CREDENTIALS_METADATA);
    assert_string_equal(r.opts.credentials->metadata_endpoint, "http://127.0.0.1:9");
    expect_source(&r, MA_CONFIG_ITEM_CREDENTIALS,
                  "metadata service http://127.0.0.1:9 (MODELARTS_CREDENTIALS=metadata) agency credentials");
    ma_env_settings_free(r.settings);
    /* A project id is needed. */
    set_var("MODELARTS_PROJECT_ID", "");
    expect_error(NULL, "no project id", NULL);
    set_var("MODELARTS_PROJECT_ID", PID);
    set_var("MODELARTS_METADATA_ENDPOINT", "not a url");
    expect_error(NULL, "MODELARTS_METADATA_ENDPOINT", "is not a URL");
    set_var("MODELARTS_CREDENTIALS", "imds");
    expect_error(NULL, "MODELARTS_CREDENTIALS=imds: the only value known is \"metadata\"", NULL);
}

/* ---- allocation failures --------------------------------------------------------------------- */

static void every_allocation_failure_is_clean(void **state)
{
    (void)state;
    put(".config/openstack/clouds.yaml",
        "clouds:\n  otc:\n    profile: otc\n    region_name: eu-de\n    auth:\n      username: alice\n"
        "      user_domain_name: dom\n      project_name: p\n",
        0644);
    put(".config/openstack/secure.yaml", "clouds:\n  otc:\n    auth:\n      password: " PASSWORD "\n", 0644);
    put(".huaweicloud/credentials", "[basic]\nak = " AK "\nsk = " SK "\nproject_id = " PID "\n", 0600);
    set_var("MODELARTS_ENDPOINT", "https://modelarts.example.test");
    const char *json = put("j/clouds.json",
                           "{\"clouds\": {\"j\": {\"ak\": \"" AK "\", \"sk\": \"" SK
                           "\", \"n\": 3, \"auth\": {\"project_id\": \"" PID "\"}}}}",
                           0600);
    /* 0: clouds.yaml + secure.yaml (password login); 1: the profile file; 2: clouds.json (AK/SK). */
    for (int source = 0; source < 3; source++) {
        if (source == 1)
            set_var("OS_CLIENT_CONFIG_FILE", "/nonexistent"), set_var("XDG_CONFIG_HOME", "/nonexistent");
        if (source == 2)
            set_var("OS_CLIENT_CONFIG_FILE", json);
        size_t failures = 0;
        for (size_t n = 1;; n++) {
            test_alloc_fail_at(n);
            result r = load(NULL);
            int reached = test_alloc_failure_reached();
            test_alloc_reset();
            if (!reached) {
                assert_int_equal(r.status, MA_OK);
                ma_env_settings_free(r.settings);
                break;
            }
            failures++;
            if (r.status == MA_OK) {
                /* A failed optional step (none today) would still have to leave a complete result. */
                ma_env_settings_free(r.settings);
                continue;
            }
            assert_int_equal(r.status, MA_ERR_NOMEM);
            assert_null(r.settings);
        }
        assert_true(failures > 10);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(clouds_yaml_password_login, setup, teardown),
        cmocka_unit_test_setup_teardown(secure_yaml_is_merged_over_clouds_yaml, setup, teardown),
        cmocka_unit_test_setup_teardown(clouds_aksk_and_aliases, setup, teardown),
        cmocka_unit_test_setup_teardown(clouds_json_is_read_with_the_same_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(clouds_file_lookup_order, setup, teardown),
        cmocka_unit_test_setup_teardown(candidates_follow_openstacksdk, setup, teardown),
        cmocka_unit_test_setup_teardown(cloud_selection, setup, teardown),
        cmocka_unit_test_setup_teardown(environment_wins_over_files, setup, teardown),
        cmocka_unit_test_setup_teardown(environment_project_and_region_win_over_the_cloud, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_region_names_the_key, setup, teardown),
        cmocka_unit_test_setup_teardown(half_filled_clouds, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_clouds_files, setup, teardown),
        cmocka_unit_test_setup_teardown(profile_file, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_profile_files, setup, teardown),
        cmocka_unit_test_setup_teardown(nothing_found_lists_every_source, setup, teardown),
        cmocka_unit_test_setup_teardown(metadata_only_when_asked, setup, teardown),
        cmocka_unit_test_setup_teardown(every_allocation_failure_is_clean, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
