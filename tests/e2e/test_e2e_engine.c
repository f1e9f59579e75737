/*
 * The execute loop's seams over real loopback HTTP: every attempt gets fresh
 * per-attempt headers from the auth slot, the auth slot sees each outcome and
 * earns exactly one more attempt after a renewal, never a loop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "auth/auth.h"
#include "e2e.h"
#include "client.h"
#include "util/error.h"

/* An authenticator that counts attempts and asks for a renewal on every 401. */
typedef struct renewing_auth {
    ma__auth base;
    int applied;
    int renewals;
    ma_status last_seen;
} renewing_auth;

static ma_status renewing_apply(ma__auth *self, const ma__auth_context *ctx, ma__http_request *req, ma_error *err)
{
    (void)ctx;
    renewing_auth *a = (renewing_auth *)self;
    char value[32];
    int n = snprintf(value, sizeof value, "attempt-%d", ++a->applied);
    if (ma__headers_add(&req->attempt_headers, "X-Attempt", 9, value, (size_t)n, 0) != 0 ||
        ma__headers_add(&req->attempt_headers, "X-Auth-Token", 12, E2E_TOKEN, strlen(E2E_TOKEN), 1) != 0)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory");
    return MA_OK;
}

static ma__auth_verdict renewing_on_response(ma__auth *self, const ma__auth_context *ctx, ma_status status,
                                             const ma__http_response *resp)
{
    (void)ctx;
    renewing_auth *a = (renewing_auth *)self;
    a->last_seen = status;
    if (resp->status != 401)
        return MA__AUTH_ACCEPT;
    a->renewals++;
    return MA__AUTH_RENEW_AND_RETRY;
}

static void renewing_redact(const ma__auth *self, char *text)
{
    (void)self;
    (void)text;
}

static void renewing_destroy(ma__auth *self)
{
    (void)self; /* owned by the test */
}

static const ma__auth_vtable renewing_vtable = {.apply = renewing_apply,
                                                .on_response = renewing_on_response,
                                                .redact = renewing_redact,
                                                .destroy = renewing_destroy};

static size_t count_lines(const char *headers, const char *prefix)
{
    size_t n = 0;
    for (const char *p = headers; (p = strstr(p, prefix)) != NULL; p++)
        if (p == headers || p[-1] == '\n')
            n++;
    return n;
}

static ma_client *client_with(e2e_env *env, renewing_auth *auth)
{
    ma_client_options opts;
    e2e_options(env, &opts);
    ma_client *client = e2e_client_new(&opts);
    memset(auth, 0, sizeof *auth);
    auth->base.vtable = &renewing_vtable;
    ma__client_set_auth(client, &auth->base);
    return client;
}

static void renewal_earns_one_more_attempt_with_fresh_headers(void **state)
{
    e2e_env *env = *state;
    renewing_auth auth;
    ma_client *client = client_with(env, &auth);
    assert_int_equal(fake_server_push_simple(env->server, 401, "Content-Type: application/json",
                                             "{\"error_code\": \"APIG.0307\", \"error_msg\": \"token expired\"}"),
                     0);
    size_t before = fake_server_request_count(env->server);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(client, NULL, &list, &err), MA_OK);
    assert_int_equal(ma_job_list_count(list), 10);
    assert_int_equal(auth.applied, 2);
    assert_int_equal(auth.renewals, 1);
    assert_int_equal(auth.last_seen, MA_OK);
    assert_int_equal(fake_server_request_count(env->server) - before, 2);
    /* The second attempt carries its own headers only: nothing left over from the first. */
    fake_request r;
    assert_int_equal(fake_server_request_at(env->server, before + 1, &r), 0);
    assert_int_equal(count_lines(r.headers, "X-Attempt:"), 1);
    assert_non_null(strstr(r.headers, "X-Attempt: attempt-2"));
    assert_int_equal(count_lines(r.headers, "X-Auth-Token:"), 1);
    ma_job_list_free(list);
    ma_client_free(client);
}

static void renewal_never_loops(void **state)
{
    e2e_env *env = *state;
    renewing_auth auth;
    ma_client *client = client_with(env, &auth);
    for (int i = 0; i < 3; i++)
        assert_int_equal(fake_server_push_simple(env->server, 401, "Content-Type: application/json",
                                                 "{\"error_code\": \"APIG.0307\", \"error_msg\": \"token expired\"}"),
                         0);
    size_t before = fake_server_request_count(env->server);
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(ma_list_training_jobs(client, NULL, &list, &err), MA_ERR_UNAUTHORIZED);
    assert_null(list);
    assert_int_equal(err.http_status, 401);
    assert_string_equal(err.service_code, "APIG.0307");
    assert_int_equal(fake_server_request_count(env->server) - before, 2);
    assert_int_equal(auth.applied, 2);
    ma_client_free(client);
    /* The third scripted 401 is still queued, unsent: the next request takes it. */
    assert_int_equal(ma_list_training_jobs(env->client, NULL, &list, &err), MA_ERR_UNAUTHORIZED);
    assert_int_equal(ma_list_training_jobs(env->client, NULL, &list, &err), MA_OK);
    ma_job_list_free(list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(renewal_earns_one_more_attempt_with_fresh_headers),
        cmocka_unit_test(renewal_never_loops),
    };
    return cmocka_run_group_tests(tests, e2e_setup, e2e_teardown);
}
