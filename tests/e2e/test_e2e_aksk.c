/*
 * AK/SK signing end to end: the fake gateway recomputes SDK-HMAC-SHA256 from
 * the request exactly as it arrived, with its own canonicalisation, so what
 * the client signed must be byte for byte what it sent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "e2e.h"
#include "client.h"

#define AK "QTWAOYTTINDUT2QVKYUC"
#define SK "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"

typedef struct aksk_env {
    fake_server *server;
} aksk_env;

static int setup(void **state)
{
    static aksk_env env;
    if (ma_global_init() != MA_OK)
        return -1;
    fake_server_options so;
    fake_server_options_init(&so);
    so.ak = AK;
    so.sk = SK;
    so.project_id = E2E_PROJECT;
    if (fake_server_start(&so, &env.server) != 0)
        return -1;
    *state = &env;
    return 0;
}

static int teardown(void **state)
{
    aksk_env *env = *state;
    fake_server_stop(env->server);
    ma_global_cleanup();
    return 0;
}

static ma_client *signed_client(aksk_env *env, const char *ak, const char *sk, const char *security_token)
{
    ma_credentials *cred = NULL;
    ma_error err;
    assert_int_equal(ma_credentials_new_aksk(&cred, ak, sk, security_token, NULL, &err), MA_OK);
    ma_client_options o = MA_CLIENT_OPTIONS_INIT;
    o.endpoint = fake_server_url(env->server);
    o.project_id = E2E_PROJECT;
    o.credentials = cred;
    ma_client *client = e2e_client_new(&o);
    ma_credentials_free(cred);
    return client;
}

/* A query with every awkward character class: the signed canonical query must match what was sent. */
static ma_job_query *awkward_query(void)
{
    ma_job_query *q = e2e_query(7, 1, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    assert_int_equal(ma_job_query_set_search_content(q, "a b/%+&=\xC3\xA4", NULL), MA_OK);
    return q;
}

static void signed_requests_are_accepted_and_carry_the_signed_headers(void **state)
{
    aksk_env *env = *state;
    ma_client *client = signed_client(env, AK, SK, NULL);
    ma_job_query *q = awkward_query();
    size_t before = fake_server_request_count(env->server);
    ma_job_list *list = NULL;
    ma_error err;
    ma_status st = ma_list_training_jobs(client, q, &list, &err);
    if (st != MA_OK)
        fail_msg("%s: %s", ma_status_name(st), err.message);
    ma_job_list_free(list);
    /* Plain listing too, and every page of a parallel walk is signed on its own. */
    assert_int_equal(ma_list_training_jobs(client, NULL, &list, &err), MA_OK);
    ma_job_list_free(list);
    ma_walk_options w = MA_WALK_OPTIONS_INIT;
    ma_job_query *pages = e2e_query(9, 0, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC);
    assert_int_equal(ma_list_all_training_jobs(client, pages, &w, &list, &err), MA_OK);
    assert_true(ma_job_list_count(list) > 100);
    ma_job_list_free(list);
    fake_request r;
    assert_int_equal(fake_server_request_at(env->server, before, &r), 0);
    assert_non_null(strstr(r.authorization, "SDK-HMAC-SHA256 Access=" AK ", SignedHeaders="));
    assert_non_null(strstr(r.headers, "X-Sdk-Date: "));
    assert_non_null(strstr(r.headers, "X-Project-Id: " E2E_PROJECT));
    assert_null(strstr(r.headers, "X-Auth-Token"));
    assert_null(strstr(r.headers, SK));
    ma_job_query_free(pages);
    ma_job_query_free(q);
    ma_client_free(client);
}

static void temporary_credentials_send_and_sign_the_security_token(void **state)
{
    aksk_env *env = *state;
    ma_client *client = signed_client(env, AK, SK, "temporary-security-token-1234567890");
    size_t before = fake_server_request_count(env->server);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(client, NULL, &list, &err), MA_OK);
    ma_job_list_free(list);
    fake_request r;
    assert_int_equal(fake_server_request_at(env->server, before, &r), 0);
    assert_non_null(strstr(r.headers, "X-Security-Token: temporary-security-token-1234567890"));
    assert_non_null(strstr(r.authorization, "x-security-token"));
    ma_client_free(client);
}

static void wrong_secret_key_is_unauthorized_and_never_echoed(void **state)
{
    aksk_env *env = *state;
    ma_client *client = signed_client(env, AK, "not-the-secret-key-0123456789", NULL);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(client, NULL, &list, &err), MA_ERR_UNAUTHORIZED);
    assert_null(list);
    assert_int_equal(err.http_status, 401);
    assert_non_null(strstr(err.message, "signature mismatch"));
    assert_null(strstr(err.message, "not-the-secret-key"));
    ma_client_free(client);
}

/* Each attempt is signed at its own time: a fixed clock gives the date the gateway sees. */
static int64_t fixed_epoch(void *ctx)
{
    (void)ctx;
    return 1573788615000LL; /* 2019-11-15T03:30:15Z */
}

static void sdk_date_comes_from_the_clock_seam(void **state)
{
    aksk_env *env = *state;
    ma_client *client = signed_client(env, AK, SK, NULL);
    ma__clock clock = *ma__system_clock();
    clock.epoch_ms = fixed_epoch;
    ma__client_set_clock(client, &clock);
    size_t before = fake_server_request_count(env->server);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(client, NULL, &list, &err), MA_OK);
    ma_job_list_free(list);
    fake_request r;
    assert_int_equal(fake_server_request_at(env->server, before, &r), 0);
    assert_non_null(strstr(r.headers, "X-Sdk-Date: 20191115T033015Z"));
    ma_client_free(client);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signed_requests_are_accepted_and_carry_the_signed_headers),
        cmocka_unit_test(temporary_credentials_send_and_sign_the_security_token),
        cmocka_unit_test(wrong_secret_key_is_unauthorized_and_never_echoed),
        cmocka_unit_test(sdk_date_comes_from_the_clock_seam),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
