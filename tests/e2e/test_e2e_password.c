/*
 * IAM password login end to end over loopback HTTP: the fake server plays
 * IAM and ModelArts; the client logs in through the engine, reuses the
 * token, renews it before it expires or once after a 401, and discovers the
 * project id.
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
#include "secret_alloc.h"
#include "test_alloc.h"

#define IAM_USER     "alice"
#define IAM_PASSWORD "pw-MARKER-7c1d-s3cret"
#define IAM_DOMAIN   "acme-domain"
#define IAM_PROJECT  "eu-de"
#define TOKEN_MARKER "MIIfake-iam-token-"

static fake_server *start_iam_echoing(int64_t lifetime_s, int without_project, int echo_token)
{
    fake_server_options so;
    fake_server_options_init(&so);
    so.project_id = E2E_PROJECT;
    so.job_count = 30;
    so.iam_user = IAM_USER;
    so.iam_password = IAM_PASSWORD;
    so.iam_domain = IAM_DOMAIN;
    so.iam_project_name = IAM_PROJECT;
    so.iam_project_id = E2E_PROJECT;
    so.iam_token_lifetime_s = lifetime_s;
    so.iam_token_without_project = without_project;
    so.iam_echo_token = echo_token;
    fake_server *srv = NULL;
    assert_int_equal(fake_server_start(&so, &srv), 0);
    return srv;
}

static fake_server *start_iam(int64_t lifetime_s, int without_project)
{
    return start_iam_echoing(lifetime_s, without_project, 0);
}

static ma_credentials *password_credentials(fake_server *srv, const char *password, const ma_allocator *alloc)
{
    ma_password_login login = MA_PASSWORD_LOGIN_INIT;
    login.iam_endpoint = fake_server_url(srv);
    login.user_name = IAM_USER;
    login.password = password;
    login.domain_name = IAM_DOMAIN;
    login.project_name = IAM_PROJECT;
    ma_credentials *c = NULL;
    ma_error err;
    ma_status st = ma_credentials_new_password(&c, &login, alloc, &err);
    if (st != MA_OK)
        fail_msg("ma_credentials_new_password: %s: %s", ma_status_name(st), err.message);
    return c;
}

/* A client with no project id: it comes from the login. */
static ma_status new_client(fake_server *srv, ma_credentials *creds, const ma_allocator *alloc, ma_client **out,
                            ma_error *err)
{
    ma_client_options opts;
    assert_int_equal(ma_client_options_init(&opts, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    opts.endpoint = fake_server_url(srv);
    opts.project_id = NULL;
    opts.credentials = creds;
    opts.timeout_ms = 20000;
    opts.allocator = alloc;
    return ma_client_new(out, &opts, err);
}

static ma_client *client_for(fake_server *srv, ma_credentials *creds)
{
    ma_client *client = NULL;
    ma_error err;
    ma_status st = new_client(srv, creds, NULL, &client, &err);
    if (st != MA_OK)
        fail_msg("ma_client_new: %s: %s", ma_status_name(st), err.message);
    return client;
}

static ma_status list_once(ma_client *client, ma_error *err)
{
    ma_job_list *list = NULL;
    ma_status st = ma_list_training_jobs(client, NULL, &list, err);
    if (st == MA_OK)
        assert_true(ma_job_list_count(list) > 0);
    ma_job_list_free(list);
    return st;
}

static void expect_list_ok(ma_client *client)
{
    ma_error err;
    ma_status st = list_once(client, &err);
    if (st != MA_OK)
        fail_msg("list: %s: %s", ma_status_name(st), err.message);
}

/* Requests of the log whose method is @p method and target starts with @p prefix. */
static size_t count_requests(fake_server *srv, const char *method, const char *prefix)
{
    size_t n = 0;
    fake_request *r = malloc(sizeof *r);
    assert_non_null(r);
    for (size_t i = 0; i < fake_server_request_count(srv); i++) {
        assert_int_equal(fake_server_request_at(srv, i, r), 0);
        n += strcmp(r->method, method) == 0 && strncmp(r->uri, prefix, strlen(prefix)) == 0;
    }
    free(r);
    return n;
}

#define LIST_PREFIX "/v1/" E2E_PROJECT "/training-jobs"

static void login_then_list_sends_the_subject_token(void **state)
{
    (void)state;
    fake_server *srv = start_iam(0, 0);
    ma_credentials *creds = password_credentials(srv, IAM_PASSWORD, NULL);
    ma_client *client = client_for(srv, creds);
    expect_list_ok(client);

    assert_int_equal(fake_server_request_count(srv), 2);
    fake_request *r = malloc(sizeof *r);
    assert_non_null(r);
    assert_int_equal(fake_server_request_at(srv, 0, r), 0);
    assert_string_equal(r->method, "POST");
    assert_string_equal(r->uri, "/v3/auth/tokens?nocatalog=true");
    assert_string_equal(r->content_type, "application/json;charset=utf8");
    assert_non_null(strstr(r->body, "\"methods\":[\"password\"]"));
    assert_non_null(strstr(r->body, "\"scope\":{\"project\":{\"name\":\"" IAM_PROJECT "\"}}"));
    assert_string_equal(r->auth_token, "");
    assert_int_equal(fake_server_request_at(srv, 1, r), 0);
    assert_string_equal(r->method, "GET");
    /* The project id came from token.project.id. */
    assert_string_equal(r->uri, LIST_PREFIX);
    assert_int_equal(strncmp(r->auth_token, TOKEN_MARKER "0001-", strlen(TOKEN_MARKER "0001-")), 0);
    free(r);
    ma_client_free(client);
    ma_credentials_free(creds);
    fake_server_stop(srv);
}

static void token_is_reused_across_calls(void **state)
{
    (void)state;
    fake_server *srv = start_iam(0, 0);
    ma_credentials *creds = password_credentials(srv, IAM_PASSWORD, NULL);
    ma_client *client = client_for(srv, creds);
    for (int i = 0; i < 5; i++)
        expect_list_ok(client);
    assert_int_equal(count_requests(srv, "POST", "/v3/auth/tokens"), 1);
    assert_int_equal(count_requests(srv, "GET", LIST_PREFIX), 5);
    ma_client_free(client);
    ma_credentials_free(creds);
    fake_server_stop(srv);
}

/* Wall time = the system's plus an offset the test moves; monotonic time stays real (deadlines). */
typedef struct shifted_clock {
    int64_t offset_ms;
} shifted_clock;

static int64_t shifted_monotonic(void *ctx)
{
    (void)ctx;
    return ma__system_clock()->monotonic_ms(ma__system_clock()->ctx);
}

static int64_t shifted_epoch(void *ctx)
{
    shifted_clock *c = ctx;
    return ma__system_clock()->epoch_ms(ma__system_clock()->ctx) + c->offset_ms;
}

static void shifted_sleep(void *ctx, int64_t ms)
{
    (void)ctx;
    ma__system_clock()->sleep_ms(ma__system_clock()->ctx, ms);
}

static void token_near_expiry_is_renewed_before_the_call(void **state)
{
    (void)state;
    fake_server *srv = start_iam(3600, 0);
    ma_credentials *creds = password_credentials(srv, IAM_PASSWORD, NULL);
    ma_client *client = client_for(srv, creds);
    shifted_clock sc = {0};
    ma__clock clock = {shifted_monotonic, shifted_epoch, shifted_sleep, &sc};
    ma__client_set_clock(client, &clock);
    expect_list_ok(client);
    /* 54 minutes on: 6 minutes left, more than the 5-minute margin. */
    sc.offset_ms = 54 * 60 * 1000;
    expect_list_ok(client);
    assert_int_equal(count_requests(srv, "POST", "/v3/auth/tokens"), 1);
    /* 56 minutes on: 4 minutes left; a new login comes before the call, not after a 401. */
    sc.offset_ms = 56 * 60 * 1000;
    expect_list_ok(client);
    assert_int_equal(count_requests(srv, "POST", "/v3/auth/tokens"), 2);
    assert_int_equal(count_requests(srv, "GET", LIST_PREFIX), 3);
    ma_client_free(client);
    ma_credentials_free(creds);
    fake_server_stop(srv);
}

static void revoked_token_gives_one_login_and_one_retry(void **state)
{
    (void)state;
    fake_server *srv = start_iam(0, 0);
    ma_credentials *creds = password_credentials(srv, IAM_PASSWORD, NULL);
    ma_client *client = client_for(srv, creds);
    expect_list_ok(client);
    fake_server_iam_revoke_tokens(srv);
    expect_list_ok(client);
    assert_int_equal(count_requests(srv, "POST", "/v3/auth/tokens"), 2);
    assert_int_equal(count_requests(srv, "GET", LIST_PREFIX), 3);
    /* The retry carried the new token. */
    fake_request *r = malloc(sizeof *r);
    assert_non_null(r);
    assert_int_equal(fake_server_request_at(srv, fake_server_request_count(srv) - 1, r), 0);
    assert_int_equal(strncmp(r->auth_token, TOKEN_MARKER "0002-", strlen(TOKEN_MARKER "0002-")), 0);
    free(r);
    ma_client_free(client);
    ma_credentials_free(creds);
    fake_server_stop(srv);
}

/* A 401 on a retry (after a 503) still earns its one renewal: the attempt number does not decide it. */
static void revoked_token_after_a_retry_is_renewed(void **state)
{
    (void)state;
    fake_server *srv = start_iam(0, 0);
    ma_credentials *creds = password_credentials(srv, IAM_PASSWORD, NULL);
    ma_client *client = client_for(srv, creds);
    expect_list_ok(client);
    fake_server_iam_revoke_tokens(srv);
    fake_response busy = {0};
    busy.status = 503;
    busy.headers = "Content-Type: application/json\nRetry-After: 0";
    busy.body = "{\"error_code\":\"ModelArts.0001\",\"error_msg\":\"busy\"}";
    busy.body_len = strlen(busy.body);
    busy.abort_after = -1;
    assert_int_equal(fake_server_push_for(srv, LIST_PREFIX, &busy), 0);
    expect_list_ok(client);
    /* 503, then 401 with the revoked token, then a login and the list again. */
    assert_int_equal(count_requests(srv, "POST", "/v3/auth/tokens"), 2);
    assert_int_equal(count_requests(srv, "GET", LIST_PREFIX), 4);
    ma_client_free(client);
    ma_credentials_free(creds);
    fake_server_stop(srv);
}

static void second_401_after_renewal_is_reported(void **state)
{
    (void)state;
    fake_server *srv = start_iam(0, 0);
    ma_credentials *creds = password_credentials(srv, IAM_PASSWORD, NULL);
    ma_client *client = client_for(srv, creds);
    fake_server_iam_reject_tokens(srv, 1);
    ma_error err;
    assert_int_equal(list_once(client, &err), MA_ERR_UNAUTHORIZED);
    assert_int_equal(err.http_status, 401);
    assert_string_equal(err.service_code, "APIG.0307");
    assert_null(strstr(err.message, TOKEN_MARKER));
    assert_int_equal(count_requests(srv, "POST", "/v3/auth/tokens"), 2);
    assert_int_equal(count_requests(srv, "GET", LIST_PREFIX), 2);
    ma_client_free(client);
    ma_credentials_free(creds);
    fake_server_stop(srv);
}

/* The X-Auth-Token of list request @p nth (0 = first) into @p out. */
static void list_token(fake_server *srv, size_t nth, char *out, size_t size)
{
    fake_request *r = malloc(sizeof *r);
    assert_non_null(r);
    for (size_t i = 0; i < fake_server_request_count(srv); i++) {
        assert_int_equal(fake_server_request_at(srv, i, r), 0);
        if (strcmp(r->method, "GET") == 0 && strncmp(r->uri, LIST_PREFIX, strlen(LIST_PREFIX)) == 0 && nth-- == 0) {
            size_t len = strnlen(r->auth_token, sizeof r->auth_token);
            assert_true(len < size && len < sizeof r->auth_token);
            memcpy(out, r->auth_token, len + 1);
            free(r);
            return;
        }
    }
    free(r);
    fail_msg("no list request %zu", nth);
}

/*
 * Login, list, 401, login, list, and a 401 quoting the renewed token: the
 * authenticator has forgotten that token by the time the error is reported,
 * yet neither the error nor any log line may hold it (nor the first one).
 */
static void renewed_token_echoed_by_the_second_401_is_masked(void **state)
{
    (void)state;
    fake_server *srv = start_iam_echoing(0, 0, 1);
    ma_credentials *creds = password_credentials(srv, IAM_PASSWORD, NULL);
    log_capture *log = calloc(1, sizeof *log);
    assert_non_null(log);
    ma_client_options o = MA_CLIENT_OPTIONS_INIT;
    o.endpoint = fake_server_url(srv);
    o.credentials = creds;
    o.log = log_capture_fn;
    o.log_user_data = log;
    o.log_level = MA_LOG_DEBUG;
    ma_client *client = NULL;
    ma_error err;
    assert_int_equal(ma_client_new(&client, &o, &err), MA_OK);
    expect_list_ok(client);
    fake_server_iam_reject_tokens(srv, 1);
    assert_int_equal(list_once(client, &err), MA_ERR_UNAUTHORIZED);
    assert_int_equal(count_requests(srv, "POST", "/v3/auth/tokens"), 2);
    assert_int_equal(count_requests(srv, "GET", LIST_PREFIX), 3);

    char first[128], renewed[128];
    list_token(srv, 0, first, sizeof first);
    list_token(srv, 2, renewed, sizeof renewed);
    assert_int_equal(strncmp(first, TOKEN_MARKER "0001-", strlen(TOKEN_MARKER "0001-")), 0);
    assert_int_equal(strncmp(renewed, TOKEN_MARKER "0002-", strlen(TOKEN_MARKER "0002-")), 0);
    /* The echo arrived, and only the token in it is masked. */
    if (!strstr(err.message, "The token *") || !strstr(err.message, "* must be updated") ||
        strstr(err.message, TOKEN_MARKER))
        fail_msg("message: %s", err.message);
    assert_string_equal(err.service_code, "APIG.0307");
    long error_line = -1;
    for (size_t i = 0; i < log->count; i++) {
        if (strstr(log->lines[i], first) || strstr(log->lines[i], renewed) || strstr(log->lines[i], TOKEN_MARKER))
            fail_msg("log line %zu: %s", i, log->lines[i]);
        if (log->levels[i] == MA_LOG_ERROR && strstr(log->lines[i], "must be updated"))
            error_line = (long)i;
    }
    assert_true(error_line >= 0);
    ma_client_free(client);
    ma_credentials_free(creds);
    free(log);
    fake_server_stop(srv);
}

static void wrong_password_is_unauthorized_with_the_iam_message(void **state)
{
    (void)state;
    fake_server *srv = start_iam(0, 0);
    ma_credentials *creds = password_credentials(srv, "wrong-" IAM_PASSWORD, NULL);
    ma_client *client = client_for(srv, creds);
    ma_error err;
    assert_int_equal(list_once(client, &err), MA_ERR_UNAUTHORIZED);
    assert_int_equal(err.http_status, 401);
    assert_string_equal(err.service_code, "401");
    if (strncmp(err.message, "IAM login failed: ", 18) != 0 ||
        !strstr(err.message, "The username or password is wrong."))
        fail_msg("message: %s", err.message);
    assert_null(strstr(err.message, IAM_PASSWORD));
    assert_null(strstr(err.service_code, IAM_PASSWORD));
    assert_int_equal(count_requests(srv, "POST", "/v3/auth/tokens"), 1);
    assert_int_equal(count_requests(srv, "GET", "/v1/"), 0);
    ma_client_free(client);
    ma_credentials_free(creds);
    fake_server_stop(srv);
}

/* An IAM that quotes the password back: the message keeps the text, never the password. */
static void iam_message_echoing_the_password_is_redacted(void **state)
{
    (void)state;
    fake_server *srv = start_iam(0, 0);
    static const char body[] =
        "{\"error\":{\"code\":401,\"message\":\"password " IAM_PASSWORD " is locked\",\"title\":\"Unauthorized\"}}";
    assert_int_equal(fake_server_push_for(
                         srv, "/v3/auth/tokens",
                         &(fake_response){401, "Content-Type: application/json", body, sizeof body - 1, 0, -1, 0, 0}),
                     0);
    ma_credentials *creds = password_credentials(srv, IAM_PASSWORD, NULL);
    ma_client *client = client_for(srv, creds);
    ma_error err;
    assert_int_equal(list_once(client, &err), MA_ERR_UNAUTHORIZED);
    if (!strstr(err.message, "IAM login failed: password ") || !strstr(err.message, " is locked") ||
        strstr(err.message, IAM_PASSWORD))
        fail_msg("message: %s", err.message);
    ma_client_free(client);
    ma_credentials_free(creds);
    fake_server_stop(srv);
}

/* Keystone answers a login with 201 Created; a 200 (a proxy, a different service) is not a login. */
static void login_answered_200_is_a_protocol_error(void **state)
{
    (void)state;
    fake_server *srv = start_iam(0, 0);
    static const char body[] = "{\"token\":{\"expires_at\":\"2099-01-01T00:00:00.000000Z\"}}";
    assert_int_equal(fake_server_push_for(srv, "/v3/auth/tokens",
                                          &(fake_response){200,
                                                           "Content-Type: application/json\nX-Subject-Token: "
                                                           "MIIfake-iam-token-scripted",
                                                           body, sizeof body - 1, 0, -1, 0, 0}),
                     0);
    ma_credentials *creds = password_credentials(srv, IAM_PASSWORD, NULL);
    ma_client *client = client_for(srv, creds);
    ma_error err;
    assert_int_equal(list_once(client, &err), MA_ERR_PROTOCOL);
    assert_non_null(strstr(err.message, "201"));
    assert_int_equal(count_requests(srv, "GET", "/v1/"), 0);
    ma_client_free(client);
    ma_credentials_free(creds);
    fake_server_stop(srv);
}

static void project_id_is_looked_up_by_name_once(void **state)
{
    (void)state;
    fake_server *srv = start_iam(0, 1);
    ma_credentials *creds = password_credentials(srv, IAM_PASSWORD, NULL);
    ma_client *client = client_for(srv, creds);
    expect_list_ok(client);
    expect_list_ok(client);
    assert_int_equal(count_requests(srv, "GET", "/v3/projects?name=" IAM_PROJECT), 1);
    assert_int_equal(count_requests(srv, "GET", LIST_PREFIX), 2);
    fake_request *r = malloc(sizeof *r);
    assert_non_null(r);
    assert_int_equal(fake_server_request_at(srv, 1, r), 0);
    assert_string_equal(r->uri, "/v3/projects?name=" IAM_PROJECT);
    assert_int_equal(strncmp(r->auth_token, TOKEN_MARKER, strlen(TOKEN_MARKER)), 0);
    free(r);
    ma_client_free(client);
    ma_credentials_free(creds);
    fake_server_stop(srv);
}

static void project_lookup_with(const char *projects_body, ma_status want, const char *want_text)
{
    fake_server *srv = start_iam(0, 1);
    assert_int_equal(fake_server_push_for(srv, "/v3/projects",
                                          &(fake_response){200, "Content-Type: application/json", projects_body,
                                                           strlen(projects_body), 0, -1, 0, 0}),
                     0);
    ma_credentials *creds = password_credentials(srv, IAM_PASSWORD, NULL);
    ma_client *client = client_for(srv, creds);
    ma_error err;
    assert_int_equal(list_once(client, &err), want);
    if (!strstr(err.message, want_text))
        fail_msg("message: %s", err.message);
    assert_int_equal(count_requests(srv, "GET", "/v1/"), 0);
    ma_client_free(client);
    ma_credentials_free(creds);
    fake_server_stop(srv);
}

static void project_lookup_with_no_match_is_invalid_arg(void **state)
{
    (void)state;
    project_lookup_with("{\"projects\":[{\"id\":\"aaaa\",\"name\":\"eu-nl\"}]}", MA_ERR_INVALID_ARG,
                        "0 projects named \"" IAM_PROJECT "\"");
}

static void project_lookup_with_two_matches_is_a_service_error(void **state)
{
    (void)state;
    project_lookup_with("{\"projects\":[{\"id\":\"aaaa\",\"name\":\"eu-de\"},{\"id\":\"bbbb\",\"name\":\"eu-de\"}]}",
                        MA_ERR_SERVICE, "2 projects named \"" IAM_PROJECT "\"");
}

static void login_body_and_tokens_are_wiped(void **state)
{
    (void)state;
    fake_server *srv = start_iam(0, 0);
    secret_alloc_reset();
    secret_alloc_add_marker("MARKER-7c1d");
    secret_alloc_add_marker(TOKEN_MARKER);
    ma_credentials *creds = password_credentials(srv, IAM_PASSWORD, secret_allocator());
    ma_client *client = NULL;
    ma_error err;
    assert_int_equal(new_client(srv, creds, secret_allocator(), &client, &err), MA_OK);
    expect_list_ok(client);
    fake_server_iam_revoke_tokens(srv);
    expect_list_ok(client); /* a second login, and the first token dropped */
    ma_client_free(client);
    ma_credentials_free(creds);
    assert_true(secret_alloc_blocks_returned() > 0);
    assert_int_equal(secret_alloc_live_blocks(), 0);
    if (secret_alloc_failures() != 0)
        fail_msg("%zu blocks freed holding a secret: %s", secret_alloc_failures(), secret_alloc_first_failure());
    fake_server_stop(srv);
}

/*
 * The token is revoked between two windows of a parallel walk: every page of
 * the next window comes back 401, and the login that follows runs while the
 * other pages of that window are still on the same multi handle.
 */
static void token_revoked_in_a_parallel_walk_is_renewed(void **state)
{
    (void)state;
    fake_server *srv = start_iam(0, 0);
    fake_server_set_latency(srv, 50);
    /*
     * Page 7's 401 comes 25 ms after the others, so it arrives while the
     * login that the first 401 started is still running: the nested batch
     * must leave it to the walk's batch.
     */
    static const char stale[] = "{\"error_code\":\"APIG.0307\",\"error_msg\":\"The token must be updated\"}";
    assert_int_equal(fake_server_push_for(srv, "&page=7&",
                                          &(fake_response){401, "Content-Type: application/json", stale,
                                                           sizeof stale - 1, 25, -1, 0, 0}),
                     0);
    ma_credentials *creds = password_credentials(srv, IAM_PASSWORD, NULL);
    ma_client *client = client_for(srv, creds);
    ma_job_query *q = e2e_query(2, 0, MA_SORT_BY_CREATE_TIME, MA_ORDER_ASC);
    ma_walk_options o;
    assert_int_equal(ma_walk_options_init(&o, MA_WALK_OPTIONS_VERSION), MA_OK);
    o.concurrency = 4;
    ma_job_iter *it = NULL;
    ma_error err;
    assert_int_equal(ma_job_iter_new(&it, client, q, &o, &err), MA_OK);
    size_t n = 0;
    const ma_job *job = NULL;
    int revoked = 0;
    for (;;) {
        ma_status st = ma_job_iter_next(it, &job, &err);
        if (st != MA_OK)
            fail_msg("job %zu: %s: %s", n, ma_status_name(st), err.message);
        if (!job)
            break;
        n++;
        /* Page 1, then the first window (pages 2-5): the next window goes out with a revoked token. */
        if (n == 10 && !revoked) {
            fake_server_iam_revoke_tokens(srv);
            revoked = 1;
        }
    }
    assert_int_equal(n, e2e_count_workspace(fake_server_dataset(srv), "0"));
    size_t logins = count_requests(srv, "POST", "/v3/auth/tokens");
    /* At least one renewal, at most one per page of the window that was rejected. */
    if (logins < 2 || logins > 1 + 4)
        fail_msg("%zu logins", logins);
    ma_job_iter_free(it);
    ma_job_query_free(q);
    ma_client_free(client);
    ma_credentials_free(creds);
    fake_server_stop(srv);
}

static ma_status login_and_list_scenario(fake_server *srv)
{
    ma_credentials *creds = NULL;
    ma_password_login login = MA_PASSWORD_LOGIN_INIT;
    login.iam_endpoint = fake_server_url(srv);
    login.user_name = IAM_USER;
    login.password = IAM_PASSWORD;
    login.domain_name = IAM_DOMAIN;
    login.project_name = IAM_PROJECT;
    ma_error err;
    ma_status st = ma_credentials_new_password(&creds, &login, test_allocator(), &err);
    if (st != MA_OK)
        return st;
    ma_client *client = NULL;
    if ((st = new_client(srv, creds, test_allocator(), &client, &err)) == MA_OK) {
        ma_job_list *list = NULL;
        st = ma_list_training_jobs(client, NULL, &list, &err);
        if (st != MA_OK && st != MA_ERR_NOMEM)
            fail_msg("%s: %s", ma_status_name(st), err.message);
        ma_job_list_free(list);
        ma_client_free(client);
    }
    ma_credentials_free(creds);
    return st;
}

static void allocation_failures_during_login_and_list_give_nomem(void **state)
{
    (void)state;
    fake_server *srv = start_iam(0, 0);
    int succeeded = 0;
    for (size_t fail = 1; fail < 2000 && !succeeded; fail++) {
        test_alloc_fail_at(fail);
        ma_status st = login_and_list_scenario(srv);
        if (st != MA_OK && st != MA_ERR_NOMEM)
            fail_msg("allocation %zu failing gave %s", fail, ma_status_name(st));
        if (!test_alloc_failure_reached()) {
            assert_int_equal(st, MA_OK);
            succeeded = 1;
        }
        test_alloc_reset();
    }
    assert_true(succeeded);
    fake_server_stop(srv);
}

static void credentials_reject_bad_logins(void **state)
{
    (void)state;
    ma_credentials *c = NULL;
    ma_error err;
    ma_password_login login = MA_PASSWORD_LOGIN_INIT;
    login.iam_endpoint = "https://iam.eu-de.otc.t-systems.com";
    login.user_name = IAM_USER;
    login.password = IAM_PASSWORD;
    login.domain_name = IAM_DOMAIN;
    assert_int_equal(ma_credentials_new_password(&c, &login, NULL, &err), MA_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "project_name or project_id"));
    assert_null(c);
    login.project_name = IAM_PROJECT;
    login.iam_endpoint = "http://iam.example.com";
    assert_int_equal(ma_credentials_new_password(&c, &login, NULL, &err), MA_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "plain http"));
    login.iam_endpoint = "https://iam.eu-de.otc.t-systems.com";
    login.password = "";
    assert_int_equal(ma_credentials_new_password(&c, &login, NULL, &err), MA_ERR_INVALID_ARG);
    login.password = IAM_PASSWORD;
    login.version = 0;
    assert_int_equal(ma_credentials_new_password(&c, &login, NULL, &err), MA_ERR_INVALID_ARG);
    login.version = MA_PASSWORD_LOGIN_VERSION;
    assert_int_equal(ma_credentials_new_password(&c, &login, NULL, &err), MA_OK);
    assert_null(strstr(err.message, IAM_PASSWORD));
    ma_credentials_free(c);
}

static void token_credentials_still_need_a_project_id(void **state)
{
    (void)state;
    ma_credentials *c = NULL;
    assert_int_equal(ma_credentials_new_token(&c, E2E_TOKEN, NULL, NULL), MA_OK);
    ma_client_options opts;
    assert_int_equal(ma_client_options_init(&opts, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    opts.endpoint = "http://127.0.0.1:1";
    opts.credentials = c;
    ma_client *client = NULL;
    ma_error err;
    assert_int_equal(ma_client_new(&client, &opts, &err), MA_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "project_id is required"));
    ma_credentials_free(c);
}

static int group_setup(void **state)
{
    (void)state;
    return ma_global_init() == MA_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    ma_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(login_then_list_sends_the_subject_token),
        cmocka_unit_test(token_is_reused_across_calls),
        cmocka_unit_test(token_near_expiry_is_renewed_before_the_call),
        cmocka_unit_test(revoked_token_gives_one_login_and_one_retry),
        cmocka_unit_test(revoked_token_after_a_retry_is_renewed),
        cmocka_unit_test(second_401_after_renewal_is_reported),
        cmocka_unit_test(renewed_token_echoed_by_the_second_401_is_masked),
        cmocka_unit_test(wrong_password_is_unauthorized_with_the_iam_message),
        cmocka_unit_test(iam_message_echoing_the_password_is_redacted),
        cmocka_unit_test(login_answered_200_is_a_protocol_error),
        cmocka_unit_test(project_id_is_looked_up_by_name_once),
        cmocka_unit_test(project_lookup_with_no_match_is_invalid_arg),
        cmocka_unit_test(project_lookup_with_two_matches_is_a_service_error),
        cmocka_unit_test(token_revoked_in_a_parallel_walk_is_renewed),
        cmocka_unit_test(login_body_and_tokens_are_wiped),
        cmocka_unit_test(allocation_failures_during_login_and_list_give_nomem),
        cmocka_unit_test(credentials_reject_bad_logins),
        cmocka_unit_test(token_credentials_still_need_a_project_id),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
