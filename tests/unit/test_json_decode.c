/* Success bodies of GET /v1/{project_id}/training-jobs turned into an ma_job_list, and every way they can be wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "capture_transport.h"
#include "http/http.h"
#include "json/decode.h"
#include "modelarts/modelarts.h"
#include "test_alloc.h"
#include "unit_fixture.h"
#include "util/buf.h"

#define NOW_MS INT64_C(1700000000000)

/* ------------------------------------------------------------------------------------------------ */
/* Response construction and decoding (direct path)                                                 */
/* ------------------------------------------------------------------------------------------------ */

/* Decodes @p len bytes as the body of a 200 JSON response; err is cleared first, *out starts NULL. */
static ma_status decode_bytes(const char *body, size_t len, ma_job_list **out, ma_error *err)
{
    return unit_decode(200, UNIT_JSON_ONLY, body, len, NOW_MS, out, err);
}

static ma_status decode_text(const char *body, ma_job_list **out, ma_error *err)
{
    return decode_bytes(body, strlen(body), out, err);
}

/* Decodes a body that must succeed and returns the list (never NULL). */
static ma_job_list *decode_ok(const char *body)
{
    ma_job_list *list = NULL;
    ma_error err;
    ma_status st = decode_text(body, &list, &err);
    if (st != MA_OK || list == NULL)
        fail_msg("decoding %s failed: %s \"%s\"", body, ma_status_name(st), err.message);
    assert_int_equal(err.status, MA_OK);
    assert_string_equal(err.message, "");
    return list;
}

/* Decodes a body that must fail with MA_ERR_PROTOCOL and a message holding both needles. */
static void expect_protocol_bytes(const char *body, size_t len, const char *needle, const char *needle2)
{
    ma_job_list *list = NULL;
    ma_error err;
    ma_status st = decode_bytes(body, len, &list, &err);
    int ok = st == MA_ERR_PROTOCOL && list == NULL && err.status == MA_ERR_PROTOCOL && err.http_status == 200 &&
             strstr(err.message, needle) != NULL && (!needle2 || strstr(err.message, needle2) != NULL);
    if (!ok) {
        ma_job_list_free(list);
        fail_msg("body %.*s: got %s, list %s, message \"%s\"; wanted MA_ERR_PROTOCOL with \"%s\"%s%s", (int)len, body,
                 ma_status_name(st), list ? "set" : "NULL", err.message, needle, needle2 ? " and " : "",
                 needle2 ? needle2 : "");
    }
}

static void expect_protocol(const char *body, const char *needle, const char *needle2)
{
    expect_protocol_bytes(body, strlen(body), needle, needle2);
}

/* ------------------------------------------------------------------------------------------------ */
/* Body builder: the sample body with one member replaced or left out                               */
/* ------------------------------------------------------------------------------------------------ */

static const char omit_marker[] = "(omit)";
#define OMIT omit_marker

typedef struct member {
    const char *name;
    const char *raw;
} member;

static const member sample_top[] = {
    {"is_success", "true"},
    {"quotas", "5"},
    {"job_total_count", "1"},
    {"job_count_limit", "3"},
};

static const member sample_job[] = {
    {"job_id", "10"},
    {"job_name", "\"testModelArtsJob\""},
    {"version_id", "10"},
    {"status", "10"},
    {"create_time", "1524189990635"},
    {"duration", "532003"},
    {"job_desc", "\"This is ModelArts job\""},
    {"version_count", "5"},
};

typedef struct writer {
    char *data;
    size_t size;
    size_t len;
} writer;

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static void
text_add(writer *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->data + t->len, t->size - t->len, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    assert_true((size_t)n < t->size - t->len);
    t->len += (size_t)n;
}

static void add_members(writer *t, const member *members, size_t count, const char *name, const char *raw, int *first)
{
    for (size_t i = 0; i < count; i++) {
        const char *value = members[i].raw;
        if (name && strcmp(name, members[i].name) == 0)
            value = raw;
        if (value == OMIT)
            continue;
        text_add(t, "%s\"%s\": %s", *first ? "" : ", ", members[i].name, value);
        *first = 0;
    }
}

static int is_member(const member *members, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(members[i].name, name) == 0)
            return 1;
    return 0;
}

/*
 * Writes the sample body into @p dst with the top-level member @p top_name set to
 * @p top_raw and the job member @p job_name set to @p job_raw (OMIT leaves a member
 * out; a name that is not in the sample is added). NULL names change nothing.
 */
static void build_body(char *dst, size_t size, const char *top_name, const char *top_raw, const char *job_name,
                       const char *job_raw)
{
    writer t = {dst, size, 0};
    int first = 1;
    size_t ntop = ARRAY_LEN(sample_top), njob = ARRAY_LEN(sample_job);
    text_add(&t, "{");
    add_members(&t, sample_top, ntop, top_name, top_raw, &first);
    if (top_name && strcmp(top_name, "jobs") != 0 && !is_member(sample_top, ntop, top_name) && top_raw != OMIT) {
        text_add(&t, "%s\"%s\": %s", first ? "" : ", ", top_name, top_raw);
        first = 0;
    }
    if (top_name && strcmp(top_name, "jobs") == 0) {
        if (top_raw != OMIT)
            text_add(&t, "%s\"jobs\": %s", first ? "" : ", ", top_raw);
    } else {
        int job_first = 1;
        text_add(&t, "%s\"jobs\": [{", first ? "" : ", ");
        add_members(&t, sample_job, njob, job_name, job_raw, &job_first);
        if (job_name && !is_member(sample_job, njob, job_name) && job_raw != OMIT)
            text_add(&t, "%s\"%s\": %s", job_first ? "" : ", ", job_name, job_raw);
        text_add(&t, "}]");
    }
    text_add(&t, "}");
}

/* ------------------------------------------------------------------------------------------------ */
/* Client plumbing (end-to-end path, no sockets)                                                    */
/* ------------------------------------------------------------------------------------------------ */

static unit_client_spec client_spec = {"decode-test-token", NULL, NULL, MA_SORT_PARAM_SORTBY};

#define FIXTURE_TEST(test) UNIT_FIXTURE_TEST(test, &client_spec)

/* One list call answered with a 200 carrying @p body, which must succeed; returns the list. */
static ma_job_list *list_ok(unit_fixture *f, const char *body, ma_error *err)
{
    capture_transport_reply(f->transport, 200, UNIT_JSON_HEADERS, body);
    ma_job_list *list = NULL;
    ma_status st = unit_list(f, body, NULL, &list, err);
    if (st != MA_OK)
        fail_msg("listing with body %.80s: %s (%s)", body, ma_status_name(st), err->message);
    return list;
}

/* ------------------------------------------------------------------------------------------------ */
/* The documented sample                                                                            */
/* ------------------------------------------------------------------------------------------------ */

static void decode_list_response_sample_body_every_field_read(void **state)
{
    (void)state;
    ma_job_list *list = decode_ok(UNIT_SAMPLE_BODY);
    unit_assert_sample_list("sample body", list);
    ma_job_list_free(list);
}

static void decode_list_response_sample_body_error_carries_http_status_only(void **state)
{
    (void)state;
    ma_job_list *list = NULL;
    ma_error err;
    assert_int_equal(decode_text(UNIT_SAMPLE_BODY, &list, &err), MA_OK);
    assert_non_null(list);
    unit_assert_error_cleared("sample body", &err, 200);
    ma_job_list_free(list);
}

static void list_training_jobs_sample_body_every_field_read(void **state)
{
    unit_fixture *f = *state;
    ma_error err;
    ma_job_list *list = list_ok(f, UNIT_SAMPLE_BODY, &err);
    assert_int_equal(f->transport->calls, 1);
    assert_string_equal(f->transport->method, "GET");
    assert_string_equal(f->transport->url, "https://example.test/v1/p/training-jobs");
    assert_true(unit_has_header_line(f->transport, "X-Auth-Token: decode-test-token"));
    assert_int_equal(err.status, MA_OK);
    assert_int_equal(err.http_status, 200);
    assert_string_equal(err.request_id, "abc");
    assert_string_equal(err.message, "");
    unit_assert_sample_list("listed sample body", list);
    ma_job_list_free(list);
}

static void job_list_accessors_null_list_documented_defaults(void **state)
{
    (void)state;
    unit_assert_null_list_defaults();
}

/* ------------------------------------------------------------------------------------------------ */
/* 64-bit integers                                                                                  */
/* ------------------------------------------------------------------------------------------------ */

static void decode_list_response_ids_beyond_2pow53_kept_exactly(void **state)
{
    (void)state;
    const char *body =
        "{\"is_success\": true, \"job_total_count\": 9007199254740993, \"job_count_limit\": 9223372036854775807,"
        " \"quotas\": -9223372036854775808, \"jobs\": ["
        "{\"job_id\": 9007199254740993, \"job_name\": \"a\", \"version_id\": 9007199254740995, \"status\": 1,"
        " \"create_time\": 9007199254740997, \"duration\": 9007199254740999, \"version_count\": 9007199254741001},"
        "{\"job_id\": 9223372036854775807, \"job_name\": \"b\", \"version_id\": 9223372036854775806, \"status\": 2,"
        " \"create_time\": 9223372036854775807, \"duration\": 9223372036854775807,"
        " \"version_count\": 9223372036854775807},"
        "{\"job_id\": -9223372036854775808, \"job_name\": \"c\", \"version_id\": -9223372036854775808,"
        " \"status\": 3, \"create_time\": -9223372036854775808, \"duration\": -1, \"version_count\": -1}]}";
    ma_job_list *list = decode_ok(body);
    assert_int_equal(ma_job_list_count(list), 3);
    assert_true(ma_job_list_total_count(list) == INT64_C(9007199254740993));
    assert_true(ma_job_list_count_limit(list) == INT64_MAX);
    assert_true(ma_job_list_quotas(list) == INT64_MIN);

    const ma_job *a = ma_job_list_at(list, 0);
    assert_true(a->job_id == INT64_C(9007199254740993));
    assert_true(a->version_id == INT64_C(9007199254740995));
    assert_true(a->create_time_ms == INT64_C(9007199254740997));
    assert_true(a->duration_ms == INT64_C(9007199254740999));
    assert_true(a->version_count == INT64_C(9007199254741001));

    const ma_job *b = ma_job_list_at(list, 1);
    assert_true(b->job_id == INT64_MAX);
    assert_true(b->version_id == INT64_MAX - 1);
    assert_true(b->create_time_ms == INT64_MAX);
    assert_true(b->duration_ms == INT64_MAX);
    assert_true(b->version_count == INT64_MAX);

    const ma_job *c = ma_job_list_at(list, 2);
    assert_true(c->job_id == INT64_MIN);
    assert_true(c->version_id == INT64_MIN);
    assert_true(c->create_time_ms == INT64_MIN);
    assert_true(c->duration_ms == -1);
    assert_true(c->version_count == -1);
    ma_job_list_free(list);
}

static void decode_list_response_integer_beyond_int64_protocol_error(void **state)
{
    (void)state;
    static const char *const raws[] = {"9223372036854775808", "-9223372036854775809", "18446744073709551616",
                                       "123456789012345678901234567890"};
    char body[1024];
    for (size_t i = 0; i < ARRAY_LEN(raws); i++) {
        build_body(body, sizeof body, NULL, NULL, "job_id", raws[i]);
        expect_protocol(body, "not valid JSON", "integer");
        build_body(body, sizeof body, "job_total_count", raws[i], NULL, NULL);
        expect_protocol(body, "not valid JSON", "integer");
    }
}

/* ------------------------------------------------------------------------------------------------ */
/* Wrong types                                                                                      */
/* ------------------------------------------------------------------------------------------------ */

typedef struct bad_case {
    const char *top_name;
    const char *top_raw;
    const char *job_name;
    const char *job_raw;
    const char *path;   /* quoted field path the message must name */
    const char *phrase; /* what the message must say about it */
} bad_case;

static void run_bad_cases(const bad_case *cases, size_t count)
{
    char body[2048];
    for (size_t i = 0; i < count; i++) {
        build_body(body, sizeof body, cases[i].top_name, cases[i].top_raw, cases[i].job_name, cases[i].job_raw);
        expect_protocol(body, cases[i].path, cases[i].phrase);
    }
}

static void decode_list_response_wrong_job_field_types_protocol_error_naming_field(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {NULL, NULL, "job_id", "\"10\"", "'jobs[0].job_id'", "must be an integer, got string"},
        {NULL, NULL, "job_id", "10.0", "'jobs[0].job_id'", "must be an integer"},
        {NULL, NULL, "job_id", "1e3", "'jobs[0].job_id'", "must be an integer"},
        {NULL, NULL, "job_id", "true", "'jobs[0].job_id'", "must be an integer, got boolean"},
        {NULL, NULL, "job_id", "null", "'jobs[0].job_id'", "must be an integer, got null"},
        {NULL, NULL, "job_id", "{}", "'jobs[0].job_id'", "must be an integer, got object"},
        {NULL, NULL, "job_name", "42", "'jobs[0].job_name'", "must be a string, got integer"},
        {NULL, NULL, "job_name", "null", "'jobs[0].job_name'", "must be a string, got null"},
        {NULL, NULL, "job_name", "[\"x\"]", "'jobs[0].job_name'", "must be a string, got array"},
        {NULL, NULL, "job_desc", "7", "'jobs[0].job_desc'", "must be a string, got integer"},
        {NULL, NULL, "job_desc", "[]", "'jobs[0].job_desc'", "must be a string, got array"},
        {NULL, NULL, "job_desc", "false", "'jobs[0].job_desc'", "must be a string, got boolean"},
        {NULL, NULL, "version_id", "\"10\"", "'jobs[0].version_id'", "must be an integer"},
        {NULL, NULL, "status", "\"10\"", "'jobs[0].status'", "must be an integer, got string"},
        {NULL, NULL, "status", "10.5", "'jobs[0].status'", "must be an integer"},
        {NULL, NULL, "status", "1099511627776", "'jobs[0].status'", "out of range"},
        {NULL, NULL, "status", "-1099511627776", "'jobs[0].status'", "out of range"},
        {NULL, NULL, "status", "2147483648", "'jobs[0].status'", "out of range"},
        {NULL, NULL, "create_time", "1524189990635.0", "'jobs[0].create_time'", "must be an integer"},
        {NULL, NULL, "create_time", "\"2018-04-20\"", "'jobs[0].create_time'", "must be an integer"},
        {NULL, NULL, "version_count", "\"5\"", "'jobs[0].version_count'", "must be an integer, got string"},
        {NULL, NULL, "duration", "\"532003\"", "'jobs[0].duration'", "must be an integer, got string"},
        {NULL, NULL, "duration", "5.5", "'jobs[0].duration'", "must be an integer"},
    };
    run_bad_cases(cases, ARRAY_LEN(cases));
}

static void decode_list_response_wrong_top_field_types_protocol_error_naming_field(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"job_total_count", "\"1\"", NULL, NULL, "'job_total_count'", "must be an integer, got string"},
        {"job_total_count", "null", NULL, NULL, "'job_total_count'", "must be an integer, got null"},
        {"job_count_limit", "\"3\"", NULL, NULL, "'job_count_limit'", "must be an integer, got string"},
        {"quotas", "5.0", NULL, NULL, "'quotas'", "must be an integer"},
        {"quotas", "[5]", NULL, NULL, "'quotas'", "must be an integer, got array"},
        {"jobs", "{}", NULL, NULL, "'jobs'", "must be an array, got object"},
        {"jobs", "{\"0\": {\"job_id\": 1}}", NULL, NULL, "'jobs'", "must be an array, got object"},
        {"jobs", "null", NULL, NULL, "'jobs'", "must be an array, got null"},
        {"jobs", "\"[]\"", NULL, NULL, "'jobs'", "must be an array, got string"},
        {"is_success", "\"true\"", NULL, NULL, "'is_success'", "must be a boolean"},
        {"is_success", "1", NULL, NULL, "'is_success'", "must be a boolean"},
        {"is_success", "null", NULL, NULL, "'is_success'", "must be a boolean"},
    };
    run_bad_cases(cases, ARRAY_LEN(cases));
}

static void decode_list_response_job_not_object_protocol_error_naming_index(void **state)
{
    (void)state;
    const char *job0 = "{\"job_id\": 1, \"job_name\": \"a\", \"version_id\": 1, \"status\": 1, \"create_time\": 1}";
    char body[1024];
    snprintf(body, sizeof body, "{\"is_success\": true, \"job_total_count\": 2, \"jobs\": [%s, \"job\"]}", job0);
    expect_protocol(body, "'jobs[1]'", "must be an object, got string");
    snprintf(body, sizeof body, "{\"is_success\": true, \"job_total_count\": 2, \"jobs\": [%s, null]}", job0);
    expect_protocol(body, "'jobs[1]'", "must be an object, got null");
    snprintf(body, sizeof body, "{\"is_success\": true, \"job_total_count\": 3, \"jobs\": [%s, %s, [1]]}", job0, job0);
    expect_protocol(body, "'jobs[2]'", "must be an object, got array");
    expect_protocol("{\"is_success\": true, \"job_total_count\": 1, \"jobs\": [7]}", "'jobs[0]'",
                    "must be an object, got integer");
}

static void decode_list_response_later_job_bad_field_names_its_index(void **state)
{
    (void)state;
    const char *ok = "{\"job_id\": 1, \"job_name\": \"a\", \"version_id\": 1, \"status\": 1, \"create_time\": 1}";
    char body[2048];
    snprintf(body, sizeof body,
             "{\"is_success\": true, \"job_total_count\": 4, \"jobs\": [%s, %s, %s, "
             "{\"job_id\": 4, \"job_name\": \"d\", \"status\": 1, \"create_time\": 1}]}",
             ok, ok, ok);
    expect_protocol(body, "'jobs[3].version_id'", "required but missing");
    snprintf(body, sizeof body,
             "{\"is_success\": true, \"job_total_count\": 2, \"jobs\": [%s, "
             "{\"job_id\": 2, \"job_name\": \"b\", \"version_id\": 1, \"status\": 1, \"create_time\": \"x\"}]}",
             ok);
    expect_protocol(body, "'jobs[1].create_time'", "must be an integer, got string");
}

static void decode_list_response_top_level_not_object_protocol_error(void **state)
{
    (void)state;
    static const char *const bodies[] = {"[]", "[{\"is_success\": true}]", "\"is_success\"", "42", "true", "null"};
    for (size_t i = 0; i < ARRAY_LEN(bodies); i++)
        expect_protocol(bodies[i], "JSON", NULL);
    expect_protocol("[]", "must be a JSON object", NULL);
}

static void decode_list_response_body_not_json_protocol_error(void **state)
{
    (void)state;
    expect_protocol("<html><body><h1>Service Unavailable</h1></body></html>", "not valid JSON", NULL);
    expect_protocol("{\"is_success\": tr", "not valid JSON", NULL);
    expect_protocol("{\"is_success\": true, \"job_total_count\": 1, \"jobs\": [", "not valid JSON", NULL);
    expect_protocol("{\"is_success\": true,}", "not valid JSON", NULL);
    expect_protocol("{'is_success': true}", "not valid JSON", NULL);
    expect_protocol(" \t\r\n ", "not valid JSON", NULL);
    expect_protocol_bytes("", 0, "empty body", NULL);
    /* Two documents back to back are not one JSON body. */
    expect_protocol(UNIT_SAMPLE_BODY UNIT_SAMPLE_BODY, "not valid JSON", NULL);
}

static void decode_list_response_nul_escape_in_string_rejected(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {NULL, NULL, "job_name", "\"before\\u0000after\"", "not valid JSON", NULL},
        {NULL, NULL, "job_desc", "\"\\u0000\"", "not valid JSON", NULL},
    };
    run_bad_cases(cases, ARRAY_LEN(cases));
    /* A raw NUL byte inside the body. */
    static const char raw[] = "{\"is_success\": true, \"job_total_count\": 0, \"jobs\": [], \"x\": \"a\0b\"}";
    expect_protocol_bytes(raw, sizeof raw - 1, "not valid JSON", NULL);
}

static void decode_list_response_invalid_utf8_rejected(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {NULL, NULL, "job_name", "\"bad \xff byte\"", "not valid JSON", NULL},
        {NULL, NULL, "job_name", "\"overlong \xc0\xaf\"", "not valid JSON", NULL},
        {NULL, NULL, "job_desc", "\"lone \\ud800 surrogate\"", "not valid JSON", NULL},
        {NULL, NULL, "job_desc", "\"lone \\udc00 low\"", "not valid JSON", NULL},
    };
    run_bad_cases(cases, ARRAY_LEN(cases));
}

/* ------------------------------------------------------------------------------------------------ */
/* Missing and optional fields                                                                      */
/* ------------------------------------------------------------------------------------------------ */

static void decode_list_response_missing_required_field_protocol_error_naming_field(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"is_success", OMIT, NULL, NULL, "'is_success'", "required but missing"},
        {"job_total_count", OMIT, NULL, NULL, "'job_total_count'", "required but missing"},
        {"jobs", OMIT, NULL, NULL, "'jobs'", "required but missing"},
        {NULL, NULL, "job_id", OMIT, "'jobs[0].job_id'", "required but missing"},
        {NULL, NULL, "job_name", OMIT, "'jobs[0].job_name'", "required but missing"},
        {NULL, NULL, "version_id", OMIT, "'jobs[0].version_id'", "required but missing"},
        {NULL, NULL, "status", OMIT, "'jobs[0].status'", "required but missing"},
        {NULL, NULL, "create_time", OMIT, "'jobs[0].create_time'", "required but missing"},
    };
    run_bad_cases(cases, ARRAY_LEN(cases));
    expect_protocol("{}", "'is_success'", "required but missing");
    expect_protocol("{\"is_success\": true, \"job_total_count\": 1, \"jobs\": [{}]}", "'jobs[0].job_id'",
                    "required but missing");
}

static void check_optional_defaults(const char *body)
{
    ma_job_list *list = decode_ok(body);
    assert_int_equal(ma_job_list_count(list), 1);
    assert_int_equal(ma_job_list_total_count(list), 1);
    assert_int_equal(ma_job_list_count_limit(list), -1);
    assert_int_equal(ma_job_list_quotas(list), -1);
    const ma_job *job = ma_job_list_at(list, 0);
    assert_non_null(job);
    assert_int_equal(job->job_id, 7);
    assert_string_equal(job->job_name, "only-required");
    assert_int_equal(job->version_id, 8);
    assert_int_equal(job->status, MA_JOB_STATUS_RUNNING);
    assert_int_equal(job->create_time_ms, 1000);
    assert_int_equal(job->duration_ms, 0);
    assert_int_equal(job->version_count, 0);
    assert_non_null(job->job_desc);
    assert_string_equal(job->job_desc, "");
    assert_int_equal(job->present, 0);
    ma_job_list_free(list);
}

static void decode_list_response_optional_fields_absent_defaults(void **state)
{
    (void)state;
    check_optional_defaults("{\"is_success\": true, \"job_total_count\": 1, \"jobs\": [{\"job_id\": 7, "
                            "\"job_name\": \"only-required\", \"version_id\": 8, \"status\": 8, "
                            "\"create_time\": 1000}]}");
}

static void decode_list_response_optional_fields_null_defaults(void **state)
{
    (void)state;
    check_optional_defaults("{\"is_success\": true, \"job_total_count\": 1, \"job_count_limit\": null, "
                            "\"quotas\": null, \"jobs\": [{\"job_id\": 7, \"job_name\": \"only-required\", "
                            "\"version_id\": 8, \"status\": 8, \"create_time\": 1000, \"duration\": null, "
                            "\"job_desc\": null, \"version_count\": null}]}");
}

static void decode_list_response_optional_totals_zero_kept_as_zero(void **state)
{
    (void)state;
    char body[1024];
    build_body(body, sizeof body, "job_count_limit", "0", "version_count", "0");
    ma_job_list *list = decode_ok(body);
    assert_int_equal(ma_job_list_count_limit(list), 0);
    assert_int_equal(ma_job_list_quotas(list), 5);
    assert_int_equal(ma_job_list_at(list, 0)->version_count, 0);
    ma_job_list_free(list);
    build_body(body, sizeof body, "quotas", "0", "duration", "0");
    list = decode_ok(body);
    assert_int_equal(ma_job_list_quotas(list), 0);
    assert_int_equal(ma_job_list_count_limit(list), 3);
    assert_int_equal(ma_job_list_at(list, 0)->duration_ms, 0);
    ma_job_list_free(list);
}

static void decode_list_response_presence_bits_tell_zero_from_absent(void **state)
{
    (void)state;
    /* Sent as 0 and "": the values are the same as when absent, the bits are not. */
    ma_job_list *list = decode_ok("{\"is_success\": true, \"job_total_count\": 1, \"jobs\": [{\"job_id\": 7, "
                                  "\"job_name\": \"zeros\", \"version_id\": 8, \"status\": 8, \"create_time\": 1000, "
                                  "\"duration\": 0, \"job_desc\": \"\", \"version_count\": 0}]}");
    const ma_job *job = ma_job_list_at(list, 0);
    assert_int_equal(job->duration_ms, 0);
    assert_int_equal(job->version_count, 0);
    assert_string_equal(job->job_desc, "");
    assert_int_equal(job->present, MA_JOB_HAS_DURATION | MA_JOB_HAS_VERSION_COUNT | MA_JOB_HAS_DESC);
    ma_job_list_free(list);

    /* Each field alone: only its own bit. */
    static const struct {
        const char *omitted;
        uint32_t present;
    } cases[] = {
        {"duration", MA_JOB_HAS_VERSION_COUNT | MA_JOB_HAS_DESC},
        {"version_count", MA_JOB_HAS_DURATION | MA_JOB_HAS_DESC},
        {"job_desc", MA_JOB_HAS_DURATION | MA_JOB_HAS_VERSION_COUNT},
    };
    char body[1024];
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        build_body(body, sizeof body, NULL, NULL, cases[i].omitted, OMIT);
        list = decode_ok(body);
        if (ma_job_list_at(list, 0)->present != cases[i].present)
            fail_msg("without %s: present 0x%x, expected 0x%x", cases[i].omitted,
                     (unsigned)ma_job_list_at(list, 0)->present, (unsigned)cases[i].present);
        ma_job_list_free(list);
        build_body(body, sizeof body, NULL, NULL, cases[i].omitted, "null");
        list = decode_ok(body);
        if (ma_job_list_at(list, 0)->present != cases[i].present)
            fail_msg("%s null: present 0x%x, expected 0x%x", cases[i].omitted,
                     (unsigned)ma_job_list_at(list, 0)->present, (unsigned)cases[i].present);
        ma_job_list_free(list);
    }
}

/* ------------------------------------------------------------------------------------------------ */
/* Unknown content                                                                                  */
/* ------------------------------------------------------------------------------------------------ */

static void decode_list_response_unknown_fields_ignored(void **state)
{
    (void)state;
    const char *body =
        "{\"request_id\": \"x\", \"is_success\": true, \"extra\": {\"nested\": [1, {\"a\": null}, [true]]},"
        " \"job_total_count\": 1, \"error_code\": 17, \"quotas\": 5, \"job_count_limit\": 3,"
        " \"jobs\": [{\"engine\": {\"engine_id\": 1, \"tags\": [\"a\", {\"b\": [2.5]}]}, \"job_id\": 10,"
        " \"job_name\": \"testModelArtsJob\", \"labels\": [], \"version_id\": 10, \"status\": 10,"
        " \"create_time\": 1524189990635, \"duration\": 532003, \"job_desc\": \"This is ModelArts job\","
        " \"version_count\": 5, \"user\": null, \"score\": 0.5, \"is_public\": false}],"
        " \"trailer\": [[[]]]}";
    ma_job_list *list = decode_ok(body);
    unit_assert_sample_list("sample with unknown fields", list);
    ma_job_list_free(list);
}

static void decode_list_response_unknown_status_values_kept_as_integers(void **state)
{
    (void)state;
    static const int statuses[] = {23, 99, -5, 1000, INT_MAX, INT_MIN};
    char body[1024], raw[32];
    for (size_t i = 0; i < ARRAY_LEN(statuses); i++) {
        snprintf(raw, sizeof raw, "%d", statuses[i]);
        build_body(body, sizeof body, NULL, NULL, "status", raw);
        ma_job_list *list = decode_ok(body);
        const ma_job *job = ma_job_list_at(list, 0);
        assert_non_null(job);
        assert_int_equal((int)job->status, statuses[i]);
        assert_string_equal(ma_job_status_name(job->status), "UNRECOGNIZED");
        assert_string_equal(ma_job_status_description(job->status), "unrecognized status");
        ma_job_list_free(list);
    }
}

static void decode_list_response_every_named_status_kept(void **state)
{
    (void)state;
    char body[1024], raw[32];
    for (int s = 0; s <= (int)MA_JOB_STATUS_MAX; s++) {
        snprintf(raw, sizeof raw, "%d", s);
        build_body(body, sizeof body, NULL, NULL, "status", raw);
        ma_job_list *list = decode_ok(body);
        const ma_job *job = ma_job_list_at(list, 0);
        assert_int_equal((int)job->status, s);
        assert_string_not_equal(ma_job_status_name(job->status), "UNRECOGNIZED");
        ma_job_list_free(list);
    }
    assert_string_equal(ma_job_status_name(MA_JOB_STATUS_UNKNOWN), "JOBSTAT_UNKNOWN");
    assert_string_equal(ma_job_status_name(MA_JOB_STATUS_MOUNT_FAILED), "MOUNT_FAILED");
}

/* ------------------------------------------------------------------------------------------------ */
/* Empty page                                                                                       */
/* ------------------------------------------------------------------------------------------------ */

static void decode_list_response_empty_jobs_array_totals_read(void **state)
{
    (void)state;
    ma_job_list *list = decode_ok("{\"is_success\": true, \"job_total_count\": 42, \"job_count_limit\": 8, "
                                  "\"quotas\": 50, \"jobs\": []}");
    assert_int_equal(ma_job_list_count(list), 0);
    assert_null(ma_job_list_at(list, 0));
    assert_int_equal(ma_job_list_total_count(list), 42);
    assert_int_equal(ma_job_list_count_limit(list), 8);
    assert_int_equal(ma_job_list_quotas(list), 50);
    ma_job_list_free(list);
}

static void list_training_jobs_empty_page_count_zero(void **state)
{
    unit_fixture *f = *state;
    ma_error err;
    ma_job_list *list = list_ok(f, "{\"is_success\": true, \"job_total_count\": 3, \"jobs\": []}", &err);
    assert_int_equal(ma_job_list_count(list), 0);
    assert_int_equal(ma_job_list_total_count(list), 3);
    assert_int_equal(ma_job_list_count_limit(list), -1);
    ma_job_list_free(list);
}

/* ------------------------------------------------------------------------------------------------ */
/* Strings                                                                                          */
/* ------------------------------------------------------------------------------------------------ */

typedef struct string_case {
    const char *json;     /* the string as it appears in the body, quotes included */
    const char *expected; /* decoded bytes */
} string_case;

static void assert_bytes_equal_str(const char *got, const char *expected)
{
    assert_non_null(got);
    size_t len = strlen(expected);
    if (strlen(got) != len || memcmp(got, expected, len) != 0)
        fail_msg("got \"%s\" (%zu bytes), expected \"%s\" (%zu bytes)", got, strlen(got), expected, len);
}

static void decode_list_response_strings_copied_byte_exactly(void **state)
{
    (void)state;
    static const string_case cases[] = {
        {"\"\"", ""},
        {"\"plain\"", "plain"},
        {"\"Modell f\xc3\xbcr \xc3\x9c"
         "bung \xe2\x80\x93 \xe8\xae\xad\xe7\xbb\x83 \xf0\x9f\x9a\x80\"",
         "Modell f\xc3\xbcr \xc3\x9c"
         "bung \xe2\x80\x93 \xe8\xae\xad\xe7\xbb\x83 \xf0\x9f\x9a\x80"},
        {"\"say \\\"hi\\\" \\\\ back\\nslash\\ttab\\/ \\r\\b\\f\"", "say \"hi\" \\ back\nslash\ttab/ \r\b\f"},
        {"\"\\ud83d\\ude80\"", "\xf0\x9f\x9a\x80"},
        {"\"x\\uD83D\\uDE80y\"", "x\xf0\x9f\x9a\x80y"},
        {"\"\\u00e9\\u4e2d\\u0041\\u007f\"", "\xc3\xa9\xe4\xb8\xad"
                                             "A\x7f"},
        {"\"\\u0001\\u001f\"", "\x01\x1f"},
        {"\"\\ud800\\udc00\\udbff\\udfff\"", "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"},
        {"\"  spaces  \"", "  spaces  "},
    };
    char body[1024];
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        build_body(body, sizeof body, NULL, NULL, "job_name", cases[i].json);
        ma_job_list *list = decode_ok(body);
        assert_bytes_equal_str(ma_job_list_at(list, 0)->job_name, cases[i].expected);
        assert_string_equal(ma_job_list_at(list, 0)->job_desc, "This is ModelArts job");
        ma_job_list_free(list);

        build_body(body, sizeof body, NULL, NULL, "job_desc", cases[i].json);
        list = decode_ok(body);
        assert_bytes_equal_str(ma_job_list_at(list, 0)->job_desc, cases[i].expected);
        assert_string_equal(ma_job_list_at(list, 0)->job_name, "testModelArtsJob");
        ma_job_list_free(list);
    }
}

static void decode_list_response_long_description_copied_exactly(void **state)
{
    (void)state;
    enum { DESC_LEN = 4096 };
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,:;()[]{}'";
    char desc[DESC_LEN + 1];
    for (size_t i = 0; i < DESC_LEN; i++)
        desc[i] = alphabet[i % (sizeof alphabet - 1)];
    desc[DESC_LEN] = '\0';
    char quoted[DESC_LEN + 3];
    snprintf(quoted, sizeof quoted, "\"%s\"", desc);
    static char body[DESC_LEN + 1024];
    build_body(body, sizeof body, NULL, NULL, "job_desc", quoted);
    ma_job_list *list = decode_ok(body);
    const ma_job *job = ma_job_list_at(list, 0);
    assert_int_equal(strlen(job->job_desc), DESC_LEN);
    assert_memory_equal(job->job_desc, desc, DESC_LEN + 1);
    assert_string_equal(job->job_name, "testModelArtsJob");
    ma_job_list_free(list);
}

static void decode_list_response_strings_of_several_jobs_kept_apart(void **state)
{
    (void)state;
    const char *body = "{\"is_success\": true, \"job_total_count\": 3, \"jobs\": ["
                       "{\"job_id\": 1, \"job_name\": \"\", \"version_id\": 1, \"status\": 1, \"create_time\": 1,"
                       " \"job_desc\": \"d1\"},"
                       "{\"job_id\": 2, \"job_name\": \"n2\", \"version_id\": 2, \"status\": 2, \"create_time\": 2},"
                       "{\"job_id\": 3, \"job_name\": \"n3\", \"version_id\": 3, \"status\": 3, \"create_time\": 3,"
                       " \"job_desc\": \"\"}]}";
    ma_job_list *list = decode_ok(body);
    assert_int_equal(ma_job_list_count(list), 3);
    assert_string_equal(ma_job_list_at(list, 0)->job_name, "");
    assert_string_equal(ma_job_list_at(list, 0)->job_desc, "d1");
    assert_string_equal(ma_job_list_at(list, 1)->job_name, "n2");
    assert_string_equal(ma_job_list_at(list, 1)->job_desc, "");
    assert_string_equal(ma_job_list_at(list, 2)->job_name, "n3");
    assert_string_equal(ma_job_list_at(list, 2)->job_desc, "");
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(ma_job_list_at(list, i)->job_id, (int64_t)i + 1);
        assert_int_equal((int)ma_job_list_at(list, i)->status, (int)i + 1);
    }
    ma_job_list_free(list);
}

static void list_training_jobs_list_outlives_client(void **state)
{
    (void)state;
    /* The client is freed inside the test, so it is not a per-test fixture. */
    unit_fixture f;
    unit_fixture_open(&f, &client_spec);
    ma_error err;
    ma_job_list *list = list_ok(&f,
                                "{\"is_success\": true, \"job_total_count\": 2, \"quotas\": 9, \"jobs\": ["
                                "{\"job_id\": 9007199254740993, \"job_name\": \"\\u8bad\\u7ec3 \\ud83d\\ude80\","
                                " \"version_id\": 4, \"status\": 8, \"create_time\": 1524189990635,"
                                " \"job_desc\": \"line1\\nline2 \\\"q\\\"\"},"
                                "{\"job_id\": 2, \"job_name\": \"second\", \"version_id\": 5, \"status\": 99,"
                                " \"create_time\": 2, \"duration\": 3, \"version_count\": 4}]}",
                                &err);
    unit_fixture_close(&f);

    assert_non_null(list);
    assert_int_equal(ma_job_list_count(list), 2);
    assert_int_equal(ma_job_list_total_count(list), 2);
    assert_int_equal(ma_job_list_quotas(list), 9);
    assert_int_equal(ma_job_list_count_limit(list), -1);
    const ma_job *a = ma_job_list_at(list, 0);
    assert_true(a->job_id == INT64_C(9007199254740993));
    assert_bytes_equal_str(a->job_name, "\xe8\xae\xad\xe7\xbb\x83 \xf0\x9f\x9a\x80");
    assert_bytes_equal_str(a->job_desc, "line1\nline2 \"q\"");
    assert_int_equal(a->status, MA_JOB_STATUS_RUNNING);
    const ma_job *b = ma_job_list_at(list, 1);
    assert_string_equal(b->job_name, "second");
    assert_string_equal(b->job_desc, "");
    assert_int_equal((int)b->status, 99);
    assert_int_equal(b->duration_ms, 3);
    assert_int_equal(b->version_count, 4);
    ma_job_list_free(list);
}

/* ------------------------------------------------------------------------------------------------ */
/* A big page                                                                                       */
/* ------------------------------------------------------------------------------------------------ */

enum { BIG_PAGE = 1000 };

static int64_t big_job_id(size_t i)
{
    return INT64_C(9007199254740993) + (int64_t)i * 7919;
}

static void big_job_name(char *dst, size_t size, size_t i)
{
    snprintf(dst, size, "job-%04zu-\xc3\xa9", i);
}

static char *big_page_body(void)
{
    json_t *doc = json_object();
    json_t *jobs = json_array();
    assert_non_null(doc);
    assert_non_null(jobs);
    for (size_t i = 0; i < BIG_PAGE; i++) {
        json_t *job = json_object();
        char name[64], desc[64];
        big_job_name(name, sizeof name, i);
        snprintf(desc, sizeof desc, "description \"%zu\"\n", i);
        assert_int_equal(json_object_set_new(job, "job_id", json_integer(big_job_id(i))), 0);
        assert_int_equal(json_object_set_new(job, "job_name", json_string(name)), 0);
        assert_int_equal(json_object_set_new(job, "version_id", json_integer((json_int_t)i * 3)), 0);
        assert_int_equal(json_object_set_new(job, "status", json_integer((json_int_t)(i % 30))), 0);
        assert_int_equal(json_object_set_new(job, "create_time", json_integer(1500000000000LL + (json_int_t)i)), 0);
        if (i % 4 != 0)
            assert_int_equal(json_object_set_new(job, "duration", json_integer((json_int_t)i * 1000)), 0);
        if (i % 3 != 0)
            assert_int_equal(json_object_set_new(job, "job_desc", json_string(desc)), 0);
        if (i % 5 != 0)
            assert_int_equal(json_object_set_new(job, "version_count", json_integer((json_int_t)(i % 7))), 0);
        assert_int_equal(json_array_append_new(jobs, job), 0);
    }
    assert_int_equal(json_object_set_new(doc, "is_success", json_true()), 0);
    assert_int_equal(json_object_set_new(doc, "job_total_count", json_integer(123456)), 0);
    assert_int_equal(json_object_set_new(doc, "job_count_limit", json_integer(77)), 0);
    assert_int_equal(json_object_set_new(doc, "quotas", json_integer(1000)), 0);
    assert_int_equal(json_object_set_new(doc, "jobs", jobs), 0);
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    assert_non_null(text);
    return text;
}

static void decode_list_response_thousand_jobs_every_field_read(void **state)
{
    (void)state;
    char *body = big_page_body();
    ma_job_list *list = NULL;
    ma_error err;
    ma_status st = decode_text(body, &list, &err);
    free(body);
    assert_int_equal(st, MA_OK);
    assert_int_equal(ma_job_list_count(list), BIG_PAGE);
    assert_int_equal(ma_job_list_total_count(list), 123456);
    assert_int_equal(ma_job_list_count_limit(list), 77);
    assert_int_equal(ma_job_list_quotas(list), 1000);
    for (size_t i = 0; i < BIG_PAGE; i++) {
        const ma_job *job = ma_job_list_at(list, i);
        char name[64], desc[64];
        big_job_name(name, sizeof name, i);
        snprintf(desc, sizeof desc, "description \"%zu\"\n", i);
        assert_non_null(job);
        assert_true(job->job_id == big_job_id(i));
        assert_string_equal(job->job_name, name);
        assert_true(job->version_id == (int64_t)i * 3);
        assert_int_equal((int)job->status, (int)(i % 30));
        assert_true(job->create_time_ms == INT64_C(1500000000000) + (int64_t)i);
        assert_true(job->duration_ms == (i % 4 != 0 ? (int64_t)i * 1000 : 0));
        assert_string_equal(job->job_desc, i % 3 != 0 ? desc : "");
        assert_true(job->version_count == (i % 5 != 0 ? (int64_t)(i % 7) : 0));
    }
    assert_null(ma_job_list_at(list, BIG_PAGE));
    ma_job_list_free(list);
}

/* ------------------------------------------------------------------------------------------------ */
/* Allocation failures                                                                              */
/* ------------------------------------------------------------------------------------------------ */

typedef struct decode_torture {
    ma__http_response resp;
    size_t expected_jobs;
    ma_job_list *list;
} decode_torture;

static ma_status decode_torture_op(void *ctx, ma_error *err)
{
    decode_torture *t = ctx;
    t->list = NULL;
    return ma__decode_list_response(test_allocator(), &t->resp, NOW_MS, &t->list, err);
}

static void decode_torture_after(void *ctx, size_t n, ma_status st, const ma_error *err)
{
    decode_torture *t = ctx;
    if (st != MA_OK) {
        if (t->list != NULL || strstr(err->message, "out of memory") == NULL)
            fail_msg("allocation %zu failing: list %s, message \"%s\"", n, t->list ? "set" : "NULL", err->message);
        return;
    }
    if (t->list == NULL || ma_job_list_count(t->list) != t->expected_jobs)
        fail_msg("decoded after %zu failures: %zu jobs, expected %zu", n - 1, ma_job_list_count(t->list),
                 t->expected_jobs);
    ma_job_list_free(t->list);
}

static void torture_decode(const char *body, size_t expected_jobs)
{
    decode_torture t;
    unit_response_init(&t.resp, 200, UNIT_JSON_ONLY, body, strlen(body));
    t.expected_jobs = expected_jobs;
    t.list = NULL;
    const unit_alloc_case c = {body, 64, decode_torture_op, decode_torture_after, &t};
    assert_true(unit_alloc_torture(&c) >= 1);
    ma__http_response_free(&t.resp);
}

static void decode_list_response_allocation_failures_nomem_without_leak(void **state)
{
    (void)state;
    torture_decode(UNIT_SAMPLE_BODY, 1);
    torture_decode("{\"is_success\": true, \"job_total_count\": 0, \"jobs\": []}", 0);
    char *big = big_page_body();
    ma__http_response resp;
    unit_response_init(&resp, 200, UNIT_JSON_ONLY, big, strlen(big));
    free(big);
    ma_job_list *list = NULL;
    ma_error err;
    ma_error_clear(&err);
    int st = UNIT_ALLOCS_FAILING(ma__decode_list_response(test_allocator(), &resp, NOW_MS, &list, &err));
    ma__http_response_free(&resp);
    assert_int_equal(st, MA_ERR_NOMEM);
    assert_null(list);
    assert_non_null(strstr(err.message, "out of memory"));
}

/* Every attempt lists on the same client, which must stay usable after each failure. */
typedef struct list_torture {
    unit_fixture f;
    ma_job_list *list;
} list_torture;

static void list_torture_open(list_torture *t)
{
    unit_fixture_open(&t->f, &client_spec);
    capture_transport_reply(t->f.transport, 200, UNIT_JSON_HEADERS, UNIT_SAMPLE_BODY);
}

static ma_status list_torture_op(void *ctx, ma_error *err)
{
    list_torture *t = ctx;
    t->list = unit_sentinel();
    return ma_list_training_jobs(t->f.client, NULL, &t->list, err);
}

static void list_torture_after(void *ctx, size_t n, ma_status st, const ma_error *err)
{
    list_torture *t = ctx;
    (void)err;
    if (st == MA_OK) {
        unit_assert_sample_list("sample after allocation failures", t->list);
        ma_job_list_free(t->list);
    } else if (t->list != NULL) {
        fail_msg("allocation %zu failing left the list set", n);
    }
    t->list = NULL;
}

static void list_training_jobs_allocation_failures_nomem_without_leak(void **state)
{
    (void)state;
    list_torture t;
    list_torture_open(&t);
    const unit_alloc_case c = {"ma_list_training_jobs", 200, list_torture_op, list_torture_after, &t};
    assert_true(unit_alloc_torture(&c) >= 3);
    unit_fixture_close(&t.f);
}

/* ------------------------------------------------------------------------------------------------ */
/* *out on failure                                                                                  */
/* ------------------------------------------------------------------------------------------------ */

static void list_training_jobs_failure_out_reset_to_null(void **state)
{
    static const char *const bodies[] = {
        "{\"is_success\": true, \"job_total_count\": 1, \"jobs\": [{\"job_id\": 1}]}",           "not json", "",
        "{\"is_success\": false, \"error_code\": \"ModelArts.0105\", \"error_message\": \"x\"}", "[]",
    };
    static const ma_status expected[] = {MA_ERR_PROTOCOL, MA_ERR_PROTOCOL, MA_ERR_PROTOCOL, MA_ERR_SERVICE,
                                         MA_ERR_PROTOCOL};
    unit_fixture *f = *state;
    for (size_t i = 0; i < ARRAY_LEN(bodies); i++) {
        ma_error err;
        ma_status st = unit_list_reply(f, 200, UNIT_JSON_HEADERS, bodies[i], &err);
        if (st != expected[i] || err.status != expected[i])
            fail_msg("body \"%s\": got %s (err.status %s), expected %s", bodies[i], ma_status_name(st),
                     ma_status_name(err.status), ma_status_name(expected[i]));
    }
}

static void decode_list_response_failure_leaves_out_null(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        ("{\"is_success\": true, \"job_total_count\": 2, \"jobs\": [{\"job_id\": 1, \"job_name\": \"a\", "
         "\"version_id\": 1, \"status\": 1, \"create_time\": 1}, {\"job_id\": \"2\"}]}"),
        "{\"is_success\": true, \"job_total_count\": \"2\", \"jobs\": []}",
        "{\"is_success\": false}",
        "{\"is_success\": true, \"job_total_count\": 2, \"jobs\": [1]}",
    };
    for (size_t i = 0; i < ARRAY_LEN(bodies); i++) {
        ma_job_list *list = NULL;
        ma_error err;
        ma_status st = decode_text(bodies[i], &list, &err);
        if (st == MA_OK)
            ma_job_list_free(list);
        UNIT_CHECK(bodies[i], st != MA_OK);
        UNIT_CHECK(bodies[i], list == NULL);
        UNIT_CHECK(bodies[i], err.status == st);
        UNIT_CHECK(bodies[i], err.message[0] != '\0');
    }
}

static void decode_list_response_null_err_same_status(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        ma_status status;
    } cases[] = {
        {UNIT_SAMPLE_BODY, MA_OK},
        {"{\"is_success\": true, \"job_total_count\": 1, \"jobs\": [{\"job_id\": 1.5}]}", MA_ERR_PROTOCOL},
        {"{\"is_success\": true}", MA_ERR_PROTOCOL},
        {"<html>", MA_ERR_PROTOCOL},
        {"", MA_ERR_PROTOCOL},
        {"{\"is_success\": false, \"error_message\": \"m\"}", MA_ERR_SERVICE},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        ma_job_list *list = NULL;
        ma_status st = decode_bytes(cases[i].body, strlen(cases[i].body), &list, NULL);
        if (st != cases[i].status || (st == MA_OK) != (list != NULL))
            fail_msg("body \"%.60s\": %s with list %s, expected %s", cases[i].body, ma_status_name(st),
                     list ? "set" : "NULL", ma_status_name(cases[i].status));
        ma_job_list_free(list);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decode_list_response_sample_body_every_field_read),
        cmocka_unit_test(decode_list_response_sample_body_error_carries_http_status_only),
        FIXTURE_TEST(list_training_jobs_sample_body_every_field_read),
        cmocka_unit_test(job_list_accessors_null_list_documented_defaults),
        cmocka_unit_test(decode_list_response_ids_beyond_2pow53_kept_exactly),
        cmocka_unit_test(decode_list_response_integer_beyond_int64_protocol_error),
        cmocka_unit_test(decode_list_response_wrong_job_field_types_protocol_error_naming_field),
        cmocka_unit_test(decode_list_response_wrong_top_field_types_protocol_error_naming_field),
        cmocka_unit_test(decode_list_response_job_not_object_protocol_error_naming_index),
        cmocka_unit_test(decode_list_response_later_job_bad_field_names_its_index),
        cmocka_unit_test(decode_list_response_top_level_not_object_protocol_error),
        cmocka_unit_test(decode_list_response_body_not_json_protocol_error),
        cmocka_unit_test(decode_list_response_nul_escape_in_string_rejected),
        cmocka_unit_test(decode_list_response_invalid_utf8_rejected),
        cmocka_unit_test(decode_list_response_missing_required_field_protocol_error_naming_field),
        cmocka_unit_test(decode_list_response_optional_fields_absent_defaults),
        cmocka_unit_test(decode_list_response_optional_fields_null_defaults),
        cmocka_unit_test(decode_list_response_optional_totals_zero_kept_as_zero),
        cmocka_unit_test(decode_list_response_presence_bits_tell_zero_from_absent),
        cmocka_unit_test(decode_list_response_unknown_fields_ignored),
        cmocka_unit_test(decode_list_response_unknown_status_values_kept_as_integers),
        cmocka_unit_test(decode_list_response_every_named_status_kept),
        cmocka_unit_test(decode_list_response_empty_jobs_array_totals_read),
        FIXTURE_TEST(list_training_jobs_empty_page_count_zero),
        cmocka_unit_test(decode_list_response_strings_copied_byte_exactly),
        cmocka_unit_test(decode_list_response_long_description_copied_exactly),
        cmocka_unit_test(decode_list_response_strings_of_several_jobs_kept_apart),
        cmocka_unit_test(list_training_jobs_list_outlives_client),
        cmocka_unit_test(decode_list_response_thousand_jobs_every_field_read),
        cmocka_unit_test(decode_list_response_allocation_failures_nomem_without_leak),
        cmocka_unit_test(list_training_jobs_allocation_failures_nomem_without_leak),
        FIXTURE_TEST(list_training_jobs_failure_out_reset_to_null),
        cmocka_unit_test(decode_list_response_failure_leaves_out_null),
        cmocka_unit_test(decode_list_response_null_err_same_status),
    };
    return cmocka_run_group_tests(tests, unit_global_setup, unit_global_teardown);
}
