/*
 * TLS through the public API against the HTTPS fake server, with material
 * made at test time by tests/support/make_test_certs.sh: a good certificate,
 * one for another host name and an expired one, all from one test CA.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "e2e.h"

static char dir[64];
static char ca_path[128];

typedef struct pem_pair {
    char *cert;
    char *key;
} pem_pair;

static char *slurp(const char *name)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *data = calloc(1, 65536);
    assert_non_null(data);
    size_t n = fread(data, 1, 65535, f);
    fclose(f);
    assert_true(n > 0);
    return data;
}

static fake_server *https_server(const char *which, pem_pair *p)
{
    char name[64];
    snprintf(name, sizeof name, "%s.pem", which);
    p->cert = slurp(name);
    snprintf(name, sizeof name, "%s.key", which);
    p->key = slurp(name);
    fake_server_options so;
    fake_server_options_init(&so);
    so.token = E2E_TOKEN;
    so.project_id = E2E_PROJECT;
    so.job_count = 5;
    so.cert_pem = p->cert;
    so.key_pem = p->key;
    fake_server *srv = NULL;
    assert_int_equal(fake_server_start(&so, &srv), 0);
    return srv;
}

static void stop(fake_server *srv, pem_pair *p)
{
    fake_server_stop(srv);
    free(p->cert);
    free(p->key);
}

/* One list call to @p url; a failure must not have reached the handler (nothing was sent). */
static ma_status list_at(fake_server *srv, const char *url, const char *ca_file, int verify, ma_error *err)
{
    ma_credentials *cred = NULL;
    assert_int_equal(ma_credentials_new_token(&cred, E2E_TOKEN, NULL, NULL), MA_OK);
    ma_client_options o = MA_CLIENT_OPTIONS_INIT;
    o.endpoint = url;
    o.project_id = E2E_PROJECT;
    o.credentials = cred;
    o.ca_file = ca_file;
    o.insecure_skip_tls_verify = !verify;
    ma_client *client = e2e_client_new(&o);
    size_t before = fake_server_request_count(srv);
    ma_job_list *list = NULL;
    ma_status st = ma_list_training_jobs(client, NULL, &list, err);
    if (st != MA_OK)
        assert_int_equal(fake_server_request_count(srv), before);
    ma_job_list_free(list);
    ma_client_free(client);
    ma_credentials_free(cred);
    return st;
}

static void a_certificate_from_the_given_ca_is_accepted(void **state)
{
    (void)state;
    pem_pair p;
    fake_server *srv = https_server("good", &p);
    ma_error err;
    ma_status st = list_at(srv, fake_server_url_localhost(srv), ca_path, 1, &err);
    if (st != MA_OK)
        fail_msg("%s: %s", ma_status_name(st), err.message);
    assert_int_equal(list_at(srv, fake_server_url(srv), ca_path, 1, &err), MA_OK);
    /* The system store does not know the test CA. */
    assert_int_equal(list_at(srv, fake_server_url(srv), NULL, 1, &err), MA_ERR_TLS);
    stop(srv, &p);
}

static void a_certificate_for_another_host_is_rejected(void **state)
{
    (void)state;
    pem_pair p;
    fake_server *srv = https_server("wrong", &p);
    ma_error err;
    assert_int_equal(list_at(srv, fake_server_url_localhost(srv), ca_path, 1, &err), MA_ERR_TLS);
    assert_int_not_equal(err.transport_code, 0);
    if (!strstr(err.message, "GET https://localhost:") || !strstr(err.message, "TLS certificate was not accepted"))
        fail_msg("message: %s", err.message);
    /* Not a failure a retry could mend. */
    assert_null(strstr(err.message, "attempt"));
    stop(srv, &p);
}

static void an_expired_certificate_is_rejected(void **state)
{
    (void)state;
    pem_pair p;
    fake_server *srv = https_server("expired", &p);
    ma_error err;
    assert_int_equal(list_at(srv, fake_server_url_localhost(srv), ca_path, 1, &err), MA_ERR_TLS);
    assert_int_equal(list_at(srv, fake_server_url(srv), ca_path, 1, &err), MA_ERR_TLS);
    stop(srv, &p);
}

/* insecure_skip_tls_verify = 1 (dangerous, documented so) accepts what verification refused. */
static void the_insecure_switch_accepts_any_certificate(void **state)
{
    (void)state;
    static const char *const which[] = {"wrong", "expired"};
    for (size_t i = 0; i < 2; i++) {
        pem_pair p;
        fake_server *srv = https_server(which[i], &p);
        ma_error err;
        ma_status st = list_at(srv, fake_server_url_localhost(srv), NULL, 0, &err);
        if (st != MA_OK)
            fail_msg("%s: %s: %s", which[i], ma_status_name(st), err.message);
        stop(srv, &p);
    }
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/ma-tls-test-XXXXXX");
    if (!mkdtemp(dir) || ma_global_init() != MA_OK)
        return -1;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "bash '%s' '%s'", MA_TEST_CERT_SCRIPT, dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "'%s' failed (is the openssl tool installed?)\n", cmd);
        return -1;
    }
    snprintf(ca_path, sizeof ca_path, "%s/ca.pem", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (dir[0] && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    ma_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_certificate_from_the_given_ca_is_accepted),
        cmocka_unit_test(a_certificate_for_another_host_is_rejected),
        cmocka_unit_test(an_expired_certificate_is_rejected),
        cmocka_unit_test(the_insecure_switch_accepts_any_certificate),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
