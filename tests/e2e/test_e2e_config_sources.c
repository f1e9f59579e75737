/*
 * Credentials from files and OTC's variable names, end to end: options come
 * from ma_client_options_from_config() (files in a temporary HOME, variables
 * from a table), and the fake server checks the AK/SK signature or the IAM
 * password login before it lists any job.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "e2e.h"

#define AK           "QTWAOYTTINDUT2QVKYUC"
#define SK           "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
#define ST           "st-temporary-9f8e7d6c5b4a"
#define IAM_USER     "alice"
#define IAM_PASSWORD "pw-MARKER-7c1d-s3cret"
#define IAM_DOMAIN   "acme-domain"

typedef struct env {
    fake_server *aksk, *temporary, *iam;
    char home[256];
    char cwd[4096];
} env;

typedef struct kv {
    const char *name;
    const char *value;
} kv;

static kv g_vars[12];

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

static void write_file(const env *e, const char *rel, const char *text)
{
    char path[512], cmd[700];
    snprintf(path, sizeof path, "%s/%s", e->home, rel);
    snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", path);
    assert_int_equal(system(cmd), 0);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(chmod(path, 0600), 0);
}

static fake_server *start(const char *ak, const char *sk, const char *st, int iam)
{
    fake_server_options so;
    fake_server_options_init(&so);
    so.project_id = E2E_PROJECT;
    so.job_count = 30;
    so.ak = ak;
    so.sk = sk;
    so.security_token = st;
    if (iam) {
        so.iam_user = IAM_USER;
        so.iam_password = IAM_PASSWORD;
        so.iam_domain = IAM_DOMAIN;
        so.iam_project_name = "eu-de";
        so.iam_project_id = E2E_PROJECT;
    }
    fake_server *srv = NULL;
    assert_int_equal(fake_server_start(&so, &srv), 0);
    return srv;
}

static int group_setup(void **state)
{
    static env e;
    if (ma_global_init() != MA_OK)
        return -1;
    e.aksk = start(AK, SK, NULL, 0);
    e.temporary = start(AK, SK, ST, 0);
    e.iam = start(NULL, NULL, NULL, 1);
    *state = &e;
    return 0;
}

static int group_teardown(void **state)
{
    env *e = *state;
    fake_server_stop(e->aksk);
    fake_server_stop(e->temporary);
    fake_server_stop(e->iam);
    ma_global_cleanup();
    return 0;
}

static int setup(void **state)
{
    env *e = *state;
    memset(g_vars, 0, sizeof g_vars);
    snprintf(e->home, sizeof e->home, "/tmp/ma_e2e_config_XXXXXX");
    assert_non_null(mkdtemp(e->home));
    set_var("HOME", e->home);
    assert_non_null(getcwd(e->cwd, sizeof e->cwd));
    char cwd[512];
    snprintf(cwd, sizeof cwd, "%s/cwd", e->home);
    assert_int_equal(mkdir(cwd, 0700), 0);
    assert_int_equal(chdir(cwd), 0);
    return 0;
}

static int teardown(void **state)
{
    env *e = *state;
    assert_int_equal(chdir(e->cwd), 0);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->home);
    assert_int_equal(system(cmd), 0);
    return 0;
}

/* Loads options against @p srv (its URL as MODELARTS_ENDPOINT), lists one page; returns the job count. */
static size_t list_with_config(fake_server *srv, const char *os_cloud, const char *want_source)
{
    set_var("MODELARTS_ENDPOINT", fake_server_url(srv));
    ma_client_options o;
    assert_int_equal(ma_client_options_init(&o, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    ma_config_options co = MA_CONFIG_OPTIONS_INIT;
    co.lookup = lookup;
    co.os_cloud = os_cloud;
    ma_env_settings *s = NULL;
    ma_error err;
    ma_status st = ma_client_options_from_config(&o, &co, &s, &err);
    if (st != MA_OK)
        fail_msg("from_config: %s: %s", ma_status_name(st), err.message);
    const char *src = ma_env_settings_source(s, MA_CONFIG_ITEM_CREDENTIALS);
    if (want_source && (!src || !strstr(src, want_source)))
        fail_msg("credentials from \"%s\", expected \"%s\"", src ? src : "(null)", want_source);
    ma_client *client = NULL;
    st = ma_client_new(&client, &o, &err);
    ma_env_settings_free(s);
    if (st != MA_OK)
        fail_msg("client: %s: %s", ma_status_name(st), err.message);
    ma_job_list *list = NULL;
    st = ma_list_training_jobs(client, NULL, &list, &err);
    if (st != MA_OK)
        fail_msg("list: %s: %s", ma_status_name(st), err.message);
    size_t n = ma_job_list_count(list);
    ma_job_list_free(list);
    ma_client_free(client);
    return n;
}

static void clouds_yaml_aksk(void **state)
{
    env *e = *state;
    write_file(e, ".config/openstack/clouds.yaml",
               "clouds:\n  otc:\n    profile: otc\n    region_name: eu-de\n    ak: " AK "\n    sk: " SK
               "\n    auth:\n      project_id: " E2E_PROJECT "\n");
    assert_true(list_with_config(e->aksk, NULL, "clouds.yaml (cloud otc) ak/sk") > 0);
}

static void clouds_yaml_password_login_with_secure_yaml(void **state)
{
    env *e = *state;
    char text[1024];
    snprintf(text, sizeof text,
             "clouds:\n  mine:\n    region_name: eu-de\n    auth:\n      auth_url: %s/v3\n      username: " IAM_USER
             "\n      project_name: eu-de\n      user_domain_name: " IAM_DOMAIN "\n  other:\n    ak: x\n    sk: y\n",
             fake_server_url(e->iam));
    write_file(e, ".config/openstack/clouds.yaml", text);
    write_file(e, ".config/openstack/secure.yaml", "clouds:\n  mine:\n    auth:\n      password: " IAM_PASSWORD "\n");
    set_var("OS_CLOUD", "mine");
    assert_true(list_with_config(e->iam, NULL, "(cloud mine) auth.username/auth.password") > 0);
    /* The password in clouds.yaml itself works the same. */
    snprintf(text, sizeof text,
             "clouds:\n  mine:\n    auth:\n      auth_url: %s\n      username: " IAM_USER
             "\n      password: " IAM_PASSWORD "\n      project_name: eu-de\n      user_domain_name: " IAM_DOMAIN "\n",
             fake_server_url(e->iam));
    write_file(e, "cwd/clouds.yaml", text);
    assert_true(list_with_config(e->iam, NULL, "./clouds.yaml (cloud mine)") > 0);
}

/* Each location in its turn; a wrong AK in every place further down proves the first one found is the only one. */
static void clouds_yaml_locations_in_order(void **state)
{
    env *e = *state;
#define CLOUD(ak) "clouds:\n  c:\n    ak: " ak "\n    sk: " SK "\n    auth: {project_id: " E2E_PROJECT "}\n"
    write_file(e, "etc/named.yaml", CLOUD(AK));
    write_file(e, "cwd/clouds.json", "{\"clouds\": {\"c\": {\"ak\": \"WRONGAK1\", \"sk\": \"" SK "\"}}}");
    write_file(e, ".config/openstack/clouds.yml", CLOUD("WRONGAK2"));
    char named[512];
    snprintf(named, sizeof named, "%s/etc/named.yaml", e->home);
    set_var("OS_CLIENT_CONFIG_FILE", named);
    assert_true(list_with_config(e->aksk, NULL, "named.yaml") > 0);

    write_file(e, "cwd/clouds.json",
               "{\"clouds\": {\"c\": {\"ak\": \"" AK "\", \"sk\": \"" SK "\", \"auth\": {\"project_id\": \"" E2E_PROJECT
               "\"}}}}");
    set_var("OS_CLIENT_CONFIG_FILE", "");
    assert_true(list_with_config(e->aksk, NULL, "./clouds.json") > 0);

    char p[512];
    snprintf(p, sizeof p, "%s/cwd/clouds.json", e->home);
    assert_int_equal(unlink(p), 0);
    write_file(e, ".config/openstack/clouds.yml", CLOUD(AK));
    assert_true(list_with_config(e->aksk, NULL, "/.config/openstack/clouds.yml") > 0);
#undef CLOUD
}

static void profile_file_temporary_credentials(void **state)
{
    env *e = *state;
    write_file(e, ".huaweicloud/credentials",
               "[basic]\nak = " AK "\nsk = " SK "\nsecurity_token = " ST "\nproject_id = " E2E_PROJECT "\n");
    assert_true(list_with_config(e->temporary, NULL, "/.huaweicloud/credentials [basic] ak/sk/security_token") > 0);
}

static void otc_variable_names(void **state)
{
    env *e = *state;
    /* A clouds.yaml with a wrong key is there too: the environment comes first. */
    write_file(e, ".config/openstack/clouds.yaml", "clouds:\n  c:\n    ak: WRONG\n    sk: WRONG\n");
    set_var("OS_ACCESS_KEY", AK);
    set_var("OS_SECRET_KEY", SK);
    set_var("OS_SECURITY_TOKEN", ST);
    set_var("OS_PROJECT_ID", E2E_PROJECT);
    assert_true(list_with_config(e->temporary, NULL, "OS_ACCESS_KEY/OS_SECRET_KEY/OS_SECURITY_TOKEN") > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(clouds_yaml_aksk, setup, teardown),
        cmocka_unit_test_setup_teardown(clouds_yaml_password_login_with_secure_yaml, setup, teardown),
        cmocka_unit_test_setup_teardown(clouds_yaml_locations_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(profile_file_temporary_credentials, setup, teardown),
        cmocka_unit_test_setup_teardown(otc_variable_names, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
