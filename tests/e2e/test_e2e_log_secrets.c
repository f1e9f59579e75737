/*
 * Debug logging with every authentication method and a set of faults: the
 * log says what was sent and what came back, and no line of it, nor any error
 * message, holds a token, secret key, security token, password or signature.
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
#include "fake_clock.h"
#include "client.h"

#define TOKEN        "log-token-SECRET-4b9e71c2d0"
#define AK           "QTWAOYTTINDUT2QVKYUC"
#define SK           "SK-SECRET-MFyfvK41ba2giqM7Uio6Pznp"
#define SEC_TOKEN    "STS-SECRET-gQpzb3Rva2VuLXZhbHVl"
#define IAM_USER     "alice"
#define IAM_PASSWORD "pw-SECRET-7c1d-s3cret"
#define IAM_DOMAIN   "acme-domain"
#define IAM_PROJECT  "eu-de"

typedef enum method { BY_TOKEN, BY_AKSK, BY_AKSK_STS, BY_PASSWORD } method;

typedef struct run {
    fake_server *srv;
    ma_credentials *cred;
    ma_client *client;
    fake_clock clock;
    log_capture *log;
    char errors[16][MA_ERROR_MESSAGE_SIZE];
    size_t error_count;
} run;

static void start(run *r, method m)
{
    memset(r, 0, sizeof *r);
    fake_server_options so;
    fake_server_options_init(&so);
    so.project_id = E2E_PROJECT;
    so.job_count = 5;
    ma_error err;
    switch (m) {
    case BY_TOKEN:
        so.token = TOKEN;
        break;
    case BY_AKSK:
    case BY_AKSK_STS:
        so.ak = AK;
        so.sk = SK;
        break;
    case BY_PASSWORD:
        so.iam_user = IAM_USER;
        so.iam_password = IAM_PASSWORD;
        so.iam_domain = IAM_DOMAIN;
        so.iam_project_name = IAM_PROJECT;
        so.iam_project_id = E2E_PROJECT;
        break;
    }
    assert_int_equal(fake_server_start(&so, &r->srv), 0);
    if (m == BY_TOKEN) {
        assert_int_equal(ma_credentials_new_token(&r->cred, TOKEN, NULL, &err), MA_OK);
    } else if (m == BY_PASSWORD) {
        ma_password_login login = MA_PASSWORD_LOGIN_INIT;
        login.iam_endpoint = fake_server_url(r->srv);
        login.user_name = IAM_USER;
        login.password = IAM_PASSWORD;
        login.domain_name = IAM_DOMAIN;
        login.project_name = IAM_PROJECT;
        assert_int_equal(ma_credentials_new_password(&r->cred, &login, NULL, &err), MA_OK);
    } else {
        assert_int_equal(ma_credentials_new_aksk(&r->cred, AK, SK, m == BY_AKSK_STS ? SEC_TOKEN : NULL, NULL, &err),
                         MA_OK);
    }
    r->log = calloc(1, sizeof *r->log);
    assert_non_null(r->log);
    ma_client_options o = MA_CLIENT_OPTIONS_INIT;
    o.endpoint = fake_server_url(r->srv);
    o.project_id = E2E_PROJECT;
    o.credentials = r->cred;
    o.log = log_capture_fn;
    o.log_user_data = r->log;
    o.log_level = MA_LOG_DEBUG;
    r->client = e2e_client_new(&o);
    fake_clock_install(&r->clock, r->client, ma__system_clock()->epoch_ms(NULL));
}

static void call(run *r)
{
    ma_job_list *list = NULL;
    ma_error err;
    if (ma_list_training_jobs(r->client, NULL, &list, &err) != MA_OK && r->error_count < 16)
        snprintf(r->errors[r->error_count++], MA_ERROR_MESSAGE_SIZE, "%s", err.message);
    ma_job_list_free(list);
}

static void push(run *r, unsigned status, const char *headers, const char *body, long abort_after)
{
    fake_response f;
    memset(&f, 0, sizeof f);
    f.status = status;
    f.headers = headers;
    f.body = body;
    f.body_len = strlen(body);
    f.abort_after = abort_after;
    assert_int_equal(fake_server_push(r->srv, &f), 0);
}

/*
 * One clean call, then each fault (pushed for every attempt where the call should fail
 * after its retries). Error bodies echo @p echo, the client's own secret, as a careless
 * gateway might.
 */
static void run_faults(run *r, const char *echo)
{
    call(r);
    char busy[256], unauthorized[256];
    snprintf(busy, sizeof busy, "{\"error_code\": \"APIG.0201\", \"error_msg\": \"busy %s\"}", echo);
    snprintf(unauthorized, sizeof unauthorized, "{\"error_code\": \"APIG.0301\", \"error_msg\": \"bad %s\"}", echo);
    for (int i = 0; i < 3; i++)
        push(r, 503, "Content-Type: application/json", busy, -1);
    call(r);
    push(r, 429, "Content-Type: application/json\nRetry-After: 1", "{\"error_code\": \"APIG.0308\"}", -1);
    call(r);
    push(r, 401, "Content-Type: application/json", unauthorized, -1);
    push(r, 401, "Content-Type: application/json", "{\"error_code\": \"APIG.0301\", \"error_msg\": \"again\"}", -1);
    call(r);
    for (int i = 0; i < 3; i++)
        push(r, 502, "Content-Type: text/html", "<html><body>502 Bad Gateway</body></html>", -1);
    call(r);
    push(r, 200, "Content-Type: application/json", "{\"is_success\": true, \"job_total_count\": 9, \"jobs\": [", 12);
    call(r);
    push(r, 200, "Content-Type: application/json", "{\"is_success\": true}", 0);
    call(r);
    call(r);
}

static void assert_clean(const run *r, const char *secret)
{
    for (size_t i = 0; i < r->log->count; i++)
        if (strstr(r->log->lines[i], secret))
            fail_msg("log line %zu holds a secret: %s", i, r->log->lines[i]);
    for (size_t i = 0; i < r->error_count; i++)
        if (strstr(r->errors[i], secret))
            fail_msg("error message holds a secret: %s", r->errors[i]);
}

/* Every credential the server saw (tokens issued by IAM, signatures) must stay out of the log too. */
static void assert_no_sent_credential(const run *r)
{
    size_t n = fake_server_request_count(r->srv);
    fake_request *req = malloc(sizeof *req);
    assert_non_null(req);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(fake_server_request_at(r->srv, i, req), 0);
        if (req->auth_token[0])
            assert_clean(r, req->auth_token);
        /* The signature is the part after "Signature=". */
        const char *sig = strstr(req->authorization, "Signature=");
        if (sig)
            assert_clean(r, sig + 10);
    }
    free(req);
}

static void finish(run *r)
{
    ma_client_free(r->client);
    ma_credentials_free(r->cred);
    fake_server_stop(r->srv);
    free(r->log);
}

static void assert_logged(const run *r, const char *needle)
{
    if (log_capture_find(r->log, 0, needle) < 0)
        fail_msg("nothing logged with \"%s\" (%zu lines)", needle, r->log->count);
}

static void the_story_is_told(const run *r)
{
    assert_logged(r, "> GET http://127.0.0.1:");
    assert_logged(r, "HTTP 200 MA_OK in ");
    assert_logged(r, "HTTP 503 MA_ERR_SERVER in ");
    assert_logged(r, "retrying in 1000 ms"); /* the 429's Retry-After */
    assert_logged(r, "HTTP 401 MA_ERR_UNAUTHORIZED");
    assert_logged(r, "failed: MA_ERR_SERVER");
    assert_logged(r, "(attempt 3 of 3)");
    assert_logged(r, "request id ");
}

static void token_method_logs_no_secret(void **state)
{
    (void)state;
    run r;
    start(&r, BY_TOKEN);
    run_faults(&r, TOKEN);
    the_story_is_told(&r);
    assert_logged(&r, "> X-Auth-Token: ***");
    assert_clean(&r, TOKEN);
    assert_clean(&r, "SECRET");
    assert_no_sent_credential(&r);
    finish(&r);
}

static void aksk_methods_log_no_secret(void **state)
{
    (void)state;
    for (int sts = 0; sts <= 1; sts++) {
        run r;
        start(&r, sts ? BY_AKSK_STS : BY_AKSK);
        run_faults(&r, sts ? SEC_TOKEN : SK);
        the_story_is_told(&r);
        assert_logged(&r, "> Authorization: ***");
        assert_logged(&r, "> X-Sdk-Date: ");
        if (sts)
            assert_logged(&r, "> X-Security-Token: ***");
        assert_clean(&r, SK);
        assert_clean(&r, SEC_TOKEN);
        assert_clean(&r, "SECRET");
        assert_no_sent_credential(&r);
        finish(&r);
    }
}

static void password_method_logs_no_secret(void **state)
{
    (void)state;
    run r;
    start(&r, BY_PASSWORD);
    run_faults(&r, IAM_PASSWORD);
    the_story_is_told(&r);
    assert_logged(&r, "> POST http://127.0.0.1:");
    assert_logged(&r, "/v3/auth/tokens");
    assert_logged(&r, "not logged)");
    assert_logged(&r, "> X-Auth-Token: ***");
    assert_clean(&r, IAM_PASSWORD);
    assert_clean(&r, "SECRET");
    assert_no_sent_credential(&r);
    finish(&r);
}

static int setup(void **state)
{
    (void)state;
    return ma_global_init() == MA_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ma_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(token_method_logs_no_secret),
        cmocka_unit_test(aksk_methods_log_no_secret),
        cmocka_unit_test(password_method_logs_no_secret),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
