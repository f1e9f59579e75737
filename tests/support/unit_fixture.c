#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/decode.h"
#include "test_alloc.h"
#include "unit_fixture.h"
#include "util/buf.h"

int unit_global_setup(void **state)
{
    (void)state;
    return ma_global_init() == MA_OK ? 0 : -1;
}

int unit_global_teardown(void **state)
{
    (void)state;
    ma_global_cleanup();
    return 0;
}

void unit_prefill_error(ma_error *err)
{
    memset(err, 'x', sizeof *err);
    err->status = MA_ERR_SERVER;
    err->http_status = 500;
    err->transport_code = 77;
    err->retry_after_ms = 99;
}

void unit_assert_text(const char *what, const char *got, const char *expected)
{
    if (got == NULL || strcmp(got, expected) != 0)
        fail_msg("%s: got \"%s\", expected \"%s\"", what, got ? got : "(null)", expected);
}

void unit_assert_error_cleared(const char *what, const ma_error *err, int http_status)
{
    if (err->status != MA_OK)
        fail_msg("%s: err.status %s, expected MA_OK", what, ma_status_name(err->status));
    if (err->http_status != http_status)
        fail_msg("%s: err.http_status %d, expected %d", what, err->http_status, http_status);
    UNIT_CHECK(what, err->transport_code == 0);
    UNIT_CHECK(what, err->retry_after_ms == -1);
    unit_assert_text(what, err->service_code, "");
    unit_assert_text(what, err->request_id, "");
    unit_assert_text(what, err->message, "");
}

void unit_assert_sample_list(const char *what, const ma_job_list *list)
{
    UNIT_CHECK(what, list != NULL);
    UNIT_CHECK(what, ma_job_list_count(list) == 1);
    UNIT_CHECK(what, ma_job_list_total_count(list) == 1);
    UNIT_CHECK(what, ma_job_list_count_limit(list) == 3);
    UNIT_CHECK(what, ma_job_list_quotas(list) == 5);
    const ma_job *job = ma_job_list_at(list, 0);
    UNIT_CHECK(what, job != NULL);
    UNIT_CHECK(what, job->job_id == 10);
    UNIT_CHECK(what, job->version_id == 10);
    UNIT_CHECK(what, job->status == MA_JOB_STATUS_COMPLETED);
    unit_assert_text(what, ma_job_status_name(job->status), "JOBSTAT_COMPLETED");
    UNIT_CHECK(what, job->create_time_ms == INT64_C(1524189990635));
    UNIT_CHECK(what, job->duration_ms == INT64_C(532003));
    UNIT_CHECK(what, job->version_count == 5);
    unit_assert_text(what, job->job_name, "testModelArtsJob");
    unit_assert_text(what, job->job_desc, "This is ModelArts job");
    UNIT_CHECK(what, job->present == (MA_JOB_HAS_DURATION | MA_JOB_HAS_VERSION_COUNT | MA_JOB_HAS_DESC));
    UNIT_CHECK(what, ma_job_list_at(list, 1) == NULL);
    UNIT_CHECK(what, ma_job_list_at(list, SIZE_MAX) == NULL);
}

void unit_assert_null_list_defaults(void)
{
    ma_job_list_free(NULL);
    assert_int_equal(ma_job_list_count(NULL), 0);
    assert_null(ma_job_list_at(NULL, 0));
    assert_int_equal(ma_job_list_total_count(NULL), 0);
    assert_int_equal(ma_job_list_count_limit(NULL), -1);
    assert_int_equal(ma_job_list_quotas(NULL), -1);
}

ma_credentials *unit_credentials(const char *token)
{
    ma_credentials *cred = NULL;
    ma_error err;
    ma_status st = ma_credentials_new_token(&cred, token, test_allocator(), &err);
    if (st != MA_OK)
        fail_msg("ma_credentials_new_token: %s (%s)", ma_status_name(st), err.message);
    return cred;
}

void unit_options(ma_client_options *o, const ma_credentials *creds, const char *endpoint, const char *project_id)
{
    assert_int_equal(ma_client_options_init(o, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    o->endpoint = endpoint ? endpoint : UNIT_ENDPOINT;
    o->project_id = project_id ? project_id : UNIT_PROJECT;
    o->credentials = creds;
    o->allocator = test_allocator();
    /* one request per call; tests of retries set their own policy */
    static const ma_retry_policy one_attempt = {MA_RETRY_POLICY_VERSION, 1, 0, 0};
    o->retry = &one_attempt;
}

ma_client *unit_client_new(const char *what, const ma_client_options *o)
{
    ma_client *c = NULL;
    ma_error err;
    ma_status st = ma_client_new(&c, o, &err);
    if (st != MA_OK)
        fail_msg("%s: ma_client_new: %s (%s)", what, ma_status_name(st), err.message);
    UNIT_CHECK(what, c != NULL);
    UNIT_CHECK(what, err.status == MA_OK);
    unit_assert_text(what, err.message, "");
    return c;
}

void unit_fixture_open(unit_fixture *f, const unit_client_spec *spec)
{
    f->creds = unit_credentials(spec->token);
    ma_client_options o;
    unit_options(&o, f->creds, spec->endpoint, spec->project_id);
    o.sort_param_name = (int32_t)spec->sort_param_name;
    f->client = unit_client_new(spec->endpoint ? spec->endpoint : UNIT_ENDPOINT, &o);
    f->transport = capture_transport_install(f->client);
}

void unit_fixture_close(unit_fixture *f)
{
    ma_client_free(f->client);
    ma_credentials_free(f->creds);
    f->client = NULL;
    f->creds = NULL;
    f->transport = NULL;
}

int unit_fixture_setup(void **state)
{
    const unit_client_spec *spec = *state;
    unit_fixture *f = calloc(1, sizeof *f);
    if (!f || !spec) {
        free(f);
        return -1;
    }
    unit_fixture_open(f, spec);
    *state = f;
    return 0;
}

int unit_fixture_teardown(void **state)
{
    unit_fixture_close(*state);
    free(*state);
    return 0;
}

void *unit_sentinel(void)
{
    static char not_an_object;
    return &not_an_object;
}

ma_status unit_list(unit_fixture *f, const char *what, const ma_job_query *q, ma_job_list **out, ma_error *err)
{
    *out = unit_sentinel();
    int calls = f->transport->calls;
    ma_status st = ma_list_training_jobs(f->client, q, out, err);
    if (f->transport->calls != calls + 1)
        fail_msg("%s: %d requests sent, expected 1", what, f->transport->calls - calls);
    if (st == MA_OK && *out == NULL)
        fail_msg("%s: MA_OK without a list", what);
    if (st != MA_OK && *out != NULL)
        fail_msg("%s: %s left *out set", what, ma_status_name(st));
    if (err && err->status != st)
        fail_msg("%s: returned %s, err.status %s", what, ma_status_name(st), ma_status_name(err->status));
    return st;
}

ma_status unit_list_reply(unit_fixture *f, int status, const char *headers, const char *body, ma_error *err)
{
    char what[96];
    snprintf(what, sizeof what, "HTTP %d with body \"%.60s\"", status, body ? body : "(none)");
    capture_transport_reply(f->transport, status, headers, body);
    ma_job_list *list = NULL;
    ma_status st = unit_list(f, what, NULL, &list, err);
    ma_job_list_free(list);
    return st;
}

int unit_has_header_line(const capture_transport *t, const char *line)
{
    size_t len = strlen(line);
    for (const char *p = t->headers; (p = strstr(p, line)) != NULL; p++)
        if ((p == t->headers || p[-1] == '\n') && p[len] == '\n')
            return 1;
    return 0;
}

size_t unit_count_header_lines(const capture_transport *t, const char *prefix)
{
    size_t count = 0;
    size_t len = strlen(prefix);
    for (const char *line = t->headers; *line;) {
        if (strncmp(line, prefix, len) == 0)
            count++;
        const char *nl = strchr(line, '\n');
        if (!nl)
            break;
        line = nl + 1;
    }
    return count;
}

void unit_response_init(ma__http_response *resp, int status, const char *headers, const char *body, size_t len)
{
    ma__http_response_init(resp, test_allocator());
    resp->status = status;
    int skipped = capture_headers_parse(&resp->headers, headers);
    if (skipped != 0)
        fail_msg("headers \"%s\": %d lines not added", headers, skipped);
    if (len > 0 && ma__buf_append(&resp->body, body, len) != 0)
        fail_msg("out of memory building a %zu-byte body", len);
}

ma_status unit_decode(int status, const char *headers, const char *body, size_t len, int64_t now_ms, ma_job_list **out,
                      ma_error *err)
{
    ma__http_response resp;
    unit_response_init(&resp, status, headers, body, len);
    ma_error_clear(err);
    *out = NULL;
    ma_status st = ma__decode_list_response(test_allocator(), &resp, now_ms, out, err);
    ma__http_response_free(&resp);
    return st;
}

int unit_allocs_restored(int value)
{
    test_alloc_reset();
    return value;
}

void *unit_allocs_restored_ptr(void *value)
{
    test_alloc_reset();
    return value;
}

static void torture_check_status(const unit_alloc_case *c, size_t n, int reached, ma_status st, const ma_error *err)
{
    if (st == MA_OK)
        return;
    if (st != MA_ERR_NOMEM || err->status != MA_ERR_NOMEM || err->message[0] == '\0')
        fail_msg("%s: allocation %zu failing gave %s, err.status %s, message \"%s\"", c->what, n, ma_status_name(st),
                 ma_status_name(err->status), err->message);
    if (!reached)
        fail_msg("%s: MA_ERR_NOMEM although allocation %zu was never attempted", c->what, n);
}

size_t unit_alloc_torture(const unit_alloc_case *c)
{
    size_t failures = 0;
    for (size_t n = 1; n <= c->max_n; n++) {
        ma_error err;
        ma_error_clear(&err);
        test_alloc_fail_at(n);
        ma_status st = c->op(c->ctx, &err);
        int reached = test_alloc_failure_reached();
        test_alloc_reset();
        torture_check_status(c, n, reached, st, &err);
        c->after(c->ctx, n, st, &err);
        if (!reached)
            return failures;
        if (st == MA_OK)
            continue;
        failures++;
        ma_error_clear(&err);
        st = c->op(c->ctx, &err);
        if (st != MA_OK)
            fail_msg("%s: after allocation %zu failed, a run without failures gave %s (\"%s\")", c->what, n,
                     ma_status_name(st), err.message);
        c->after(c->ctx, n, st, &err);
    }
    fail_msg("%s: allocation %zu still reached", c->what, c->max_n);
    return failures;
}

size_t unit_repeat(char *dst, size_t size, const char *unit, size_t count)
{
    size_t unit_len = strlen(unit);
    if (unit_len * count >= size)
        fail_msg("%zu copies of a %zu-byte unit do not fit %zu bytes", count, unit_len, size);
    for (size_t i = 0; i < count; i++)
        memcpy(dst + i * unit_len, unit, unit_len);
    dst[unit_len * count] = '\0';
    return unit_len * count;
}

void unit_fill_letters(char *dst, size_t len, char first)
{
    for (size_t i = 0; i < len; i++)
        dst[i] = (char)(first + (char)(i % 26));
    dst[len] = '\0';
}

const unit_status_entry unit_statuses[] = {
    {MA_OK, 0, "MA_OK"},
    {MA_ERR_INVALID_ARG, -1, "MA_ERR_INVALID_ARG"},
    {MA_ERR_NOMEM, -2, "MA_ERR_NOMEM"},
    {MA_ERR_NOT_INITIALIZED, -3, "MA_ERR_NOT_INITIALIZED"},
    {MA_ERR_TRANSPORT, -4, "MA_ERR_TRANSPORT"},
    {MA_ERR_TIMEOUT, -5, "MA_ERR_TIMEOUT"},
    {MA_ERR_TLS, -6, "MA_ERR_TLS"},
    {MA_ERR_UNAUTHORIZED, -7, "MA_ERR_UNAUTHORIZED"},
    {MA_ERR_NOT_FOUND, -8, "MA_ERR_NOT_FOUND"},
    {MA_ERR_RATE_LIMITED, -9, "MA_ERR_RATE_LIMITED"},
    {MA_ERR_SERVER, -10, "MA_ERR_SERVER"},
    {MA_ERR_SERVICE, -11, "MA_ERR_SERVICE"},
    {MA_ERR_PROTOCOL, -12, "MA_ERR_PROTOCOL"},
    {MA_ERR_RESPONSE_TOO_LARGE, -13, "MA_ERR_RESPONSE_TOO_LARGE"},
    {MA_ERR_HTTP, -14, "MA_ERR_HTTP"},
    {MA_ERR_CANCELLED, -15, "MA_ERR_CANCELLED"},
};

const size_t unit_status_count = sizeof unit_statuses / sizeof unit_statuses[0];
