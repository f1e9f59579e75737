/*
 * Self-test of the fake ModelArts server over raw libcurl: the fake must honour
 * the service contract for requests the client library would never send
 * (out-of-range values, bad tokens, other paths and methods), answer
 * filtered pages that agree with its data set, replay scripted replies
 * byte for byte, and record what it saw.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>

#include "fake_server.h"

#define TOKEN         "selftest-token-3b9e61c0d2"
#define WRONG_TOKEN   "wrong-token-77af20e4b1"
#define PROJECT       "5e0c1d2a3b4f5a6b7c8d9e0f1a2b3c4d"
#define LIST_PATH     "/v1/" PROJECT "/training-jobs"
#define USER_AGENT    "fake-selftest/1.0 (libcurl)"
#define HEX_WORKSPACE "7d3f0b1c9a2e4f60b5d8c1e2a3b4c5d6"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- group state ------------------------------------------------------------------------------------ */

typedef struct test_env {
    fake_server *server;
    char **seen_ids; /* every X-Request-Id seen so far */
    size_t seen_count;
    size_t seen_cap;
} test_env;

static int group_setup(void **state)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return -1;
    test_env *e = calloc(1, sizeof *e);
    if (!e)
        return -1;
    fake_server_options opts;
    fake_server_options_init(&opts);
    opts.token = TOKEN;
    opts.project_id = PROJECT;
    if (fake_server_start(&opts, &e->server) != 0) {
        free(e);
        return -1;
    }
    *state = e;
    return 0;
}

static int group_teardown(void **state)
{
    test_env *e = *state;
    if (e) {
        fake_server_stop(e->server);
        for (size_t i = 0; i < e->seen_count; i++)
            free(e->seen_ids[i]);
        free(e->seen_ids);
        free(e);
    }
    curl_global_cleanup();
    return 0;
}

/* ---- one HTTP exchange ------------------------------------------------------------------------------ */

typedef struct bytes {
    char *data;
    size_t len;
} bytes;

/* curl write and header callback: appends to a bytes buffer, NUL-terminated; 0 (abort) when out of memory. */
static size_t collect(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    bytes *b = userdata;
    size_t n = size * nmemb;
    char *grown = realloc(b->data, b->len + n + 1);
    if (!grown)
        return 0;
    memcpy(grown + b->len, ptr, n);
    b->data = grown;
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

typedef struct response {
    const char *what; /* the case, for failure messages */
    CURLcode code;
    long status;
    bytes body;
    bytes headers; /* raw header lines, CRLF-terminated */
    json_t *json;  /* the body parsed, when it is JSON */
    char request_id[128];
} response;

static void response_free(response *r)
{
    free(r->body.data);
    free(r->headers.data);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

static CURL *new_handle(void)
{
    CURL *h = curl_easy_init();
    assert_non_null(h);
    return h;
}

/*
 * Sends @p method @p target (path and raw query) to the server on handle @p h, with
 * X-Auth-Token @p token unless it is NULL, and fills @p r. The handle is reused as is,
 * so consecutive calls on one handle share a kept-alive connection.
 */
static void exchange_on(CURL *h, const test_env *e, const char *what, const char *method, const char *target,
                        const char *token, response *r)
{
    memset(r, 0, sizeof *r);
    r->what = what;
    char url[16384];
    int n = snprintf(url, sizeof url, "%s%s", fake_server_url(e->server), target);
    if (n < 0 || (size_t)n >= sizeof url)
        fail_msg("%s: target too long", what);

    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    if (token) {
        char line[256];
        snprintf(line, sizeof line, "X-Auth-Token: %s", token);
        headers = curl_slist_append(headers, line);
    }
    assert_non_null(headers);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_USERAGENT, USER_AGENT);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &r->headers);
    if (strcmp(method, "GET") == 0) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
    } else if (strcmp(method, "POST") == 0) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, "{}");
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
    } else {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    }
    r->code = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(headers);
    if (r->body.len > 0)
        r->json = json_loadb(r->body.data, r->body.len, 0, NULL);
}

/* The same on a fresh handle (and so a fresh connection). */
static void exchange(const test_env *e, const char *what, const char *method, const char *target, const char *token,
                     response *r)
{
    CURL *h = new_handle();
    exchange_on(h, e, what, method, target, token, r);
    curl_easy_cleanup(h);
}

/*
 * Copies the value of the response header @p name into @p out (trimmed); returns how many
 * times the header occurred.
 */
static size_t header_value(const response *r, const char *name, char *out, size_t out_size)
{
    size_t found = 0;
    size_t name_len = strlen(name);
    out[0] = '\0';
    for (const char *line = r->headers.data; line && *line;) {
        const char *end = strstr(line, "\r\n");
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > name_len && line[name_len] == ':' && strncasecmp(line, name, name_len) == 0) {
            const char *v = line + name_len + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            size_t vlen = len - (size_t)(v - line);
            while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
                vlen--;
            if (found == 0)
                snprintf(out, out_size, "%.*s", (int)vlen, v);
            found++;
        }
        line = end ? end + 2 : line + len;
    }
    return found;
}

/* The header @p name occurs once, with @p value. */
static void expect_header(const response *r, const char *name, const char *value)
{
    char got[256];
    size_t count = header_value(r, name, got, sizeof got);
    if (count != 1 || strcmp(got, value) != 0)
        fail_msg("%s: %zu %s headers, first \"%s\", expected one \"%s\"", r->what, count, name, got, value);
}

static int contains_bytes(const bytes *b, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; b->data && n <= b->len && i <= b->len - n; i++)
        if (memcmp(b->data + i, needle, n) == 0)
            return 1;
    return 0;
}

/* Every answer of the fake's own semantics carries one non-empty X-Request-Id never seen before. */
static void expect_fresh_request_id(test_env *e, response *r)
{
    size_t count = header_value(r, "X-Request-Id", r->request_id, sizeof r->request_id);
    if (count != 1)
        fail_msg("%s: %zu X-Request-Id headers, expected one", r->what, count);
    if (r->request_id[0] == '\0')
        fail_msg("%s: empty X-Request-Id", r->what);
    for (size_t i = 0; i < e->seen_count; i++)
        if (strcmp(e->seen_ids[i], r->request_id) == 0)
            fail_msg("%s: X-Request-Id %s was already used by an earlier response", r->what, r->request_id);
    if (e->seen_count == e->seen_cap) {
        size_t cap = e->seen_cap ? e->seen_cap * 2 : 64;
        char **grown = realloc(e->seen_ids, cap * sizeof *grown);
        assert_non_null(grown);
        e->seen_ids = grown;
        e->seen_cap = cap;
    }
    e->seen_ids[e->seen_count] = strdup(r->request_id);
    assert_non_null(e->seen_ids[e->seen_count]);
    e->seen_count++;
}

static void expect_status(const response *r, long status)
{
    if (r->code != CURLE_OK)
        fail_msg("%s: curl error %d (%s)", r->what, (int)r->code, curl_easy_strerror(r->code));
    if (r->status != status)
        fail_msg("%s: HTTP %ld, expected %ld; body %.200s", r->what, r->status, status,
                 r->body.data ? r->body.data : "");
    if (!json_is_object(r->json))
        fail_msg("%s: body is not a JSON object: %.200s", r->what, r->body.data ? r->body.data : "");
}

static const char *json_text(const response *r, const char *key)
{
    const char *s = json_string_value(json_object_get(r->json, key));
    if (!s)
        fail_msg("%s: \"%s\" is missing or not a string in %.200s", r->what, key, r->body.data);
    return s;
}

/*
 * A ModelArts-shaped error: HTTP @p status, is_success false, error_code @p code (any
 * "ModelArts." code when NULL) and an error_message naming @p needle (when not NULL).
 */
static void expect_modelarts_error(test_env *e, response *r, long status, const char *code, const char *needle)
{
    expect_status(r, status);
    expect_fresh_request_id(e, r);
    if (!json_is_false(json_object_get(r->json, "is_success")))
        fail_msg("%s: is_success is not false in %.200s", r->what, r->body.data);
    const char *got_code = json_text(r, "error_code");
    if (code ? strcmp(got_code, code) != 0 : strncmp(got_code, "ModelArts.", 10) != 0)
        fail_msg("%s: error_code %s, expected %s", r->what, got_code, code ? code : "ModelArts.*");
    const char *message = json_text(r, "error_message");
    if (message[0] == '\0')
        fail_msg("%s: empty error_message", r->what);
    if (needle && !strstr(message, needle))
        fail_msg("%s: error_message \"%s\" does not name %s", r->what, message, needle);
    if (json_object_get(r->json, "error_msg"))
        fail_msg("%s: a ModelArts error carries the gateway's error_msg", r->what);
}

/* An API-gateway-shaped error: error_msg, error_code @p code and request_id equal to the header. */
static void expect_gateway_error(test_env *e, response *r, long status, const char *code)
{
    expect_status(r, status);
    expect_fresh_request_id(e, r);
    const char *got_code = json_text(r, "error_code");
    if (strcmp(got_code, code) != 0)
        fail_msg("%s: error_code %s, expected %s", r->what, got_code, code);
    if (json_text(r, "error_msg")[0] == '\0')
        fail_msg("%s: empty error_msg", r->what);
    const char *body_id = json_text(r, "request_id");
    if (strcmp(body_id, r->request_id) != 0)
        fail_msg("%s: body request_id %s differs from X-Request-Id %s", r->what, body_id, r->request_id);
    if (json_object_get(r->json, "is_success"))
        fail_msg("%s: a gateway error carries is_success", r->what);
}

/* A list page: HTTP 200, is_success true, an integer total and a jobs array, which is returned. */
static json_t *expect_page(test_env *e, response *r, json_int_t *total)
{
    expect_status(r, 200);
    expect_fresh_request_id(e, r);
    if (!json_is_true(json_object_get(r->json, "is_success")))
        fail_msg("%s: is_success is not true in %.200s", r->what, r->body.data);
    json_t *t = json_object_get(r->json, "job_total_count");
    if (!json_is_integer(t))
        fail_msg("%s: job_total_count is not an integer", r->what);
    *total = json_integer_value(t);
    json_t *jobs = json_object_get(r->json, "jobs");
    if (!json_is_array(jobs))
        fail_msg("%s: jobs is not an array", r->what);
    return jobs;
}

static json_int_t job_field(const response *r, json_t *jobs, size_t i, const char *key)
{
    json_t *v = json_object_get(json_array_get(jobs, i), key);
    if (!json_is_integer(v))
        fail_msg("%s: jobs[%zu].%s is not an integer", r->what, i, key);
    return json_integer_value(v);
}

/* ---- the data set, read independently of the fake's own filtering ----------------------------------- */

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Job names match search_content as a substring, ASCII letters compared case-insensitively. */
static int name_contains(const char *name, const char *needle)
{
    size_t n = strlen(name), k = strlen(needle);
    for (size_t i = 0; k <= n && i <= n - k; i++) {
        size_t j = 0;
        while (j < k && ascii_lower(name[i + j]) == ascii_lower(needle[j]))
            j++;
        if (j == k)
            return 1;
    }
    return 0;
}

typedef struct filter {
    const char *workspace; /* the service default is "0" */
    int status;            /* -1: any */
    const char *needle;    /* decoded search_content, "" for none */
} filter;

static size_t dataset_count(const test_env *e, const filter *f)
{
    const fake_dataset *ds = fake_server_dataset(e->server);
    size_t n = 0;
    for (size_t i = 0; i < ds->count; i++) {
        const fake_job *j = &ds->jobs[i];
        n += strcmp(j->workspace_id, f->workspace) == 0 && (f->status < 0 || j->status == f->status) &&
             name_contains(j->job_name, f->needle);
    }
    return n;
}

/* ---- invalid parameters ----------------------------------------------------------------------------- */

typedef struct bad_param_case {
    const char *query;
    const char *names[2]; /* what the message must name */
    const char *code;     /* NULL: any ModelArts code */
} bad_param_case;

static void expect_bad_params(test_env *e, const bad_param_case *cases, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        char target[1024];
        snprintf(target, sizeof target, LIST_PATH "?%s", cases[i].query);
        response r;
        exchange(e, target, "GET", target, TOKEN, &r);
        expect_modelarts_error(e, &r, 400, cases[i].code, cases[i].names[0]);
        const char *message = json_text(&r, "error_message");
        if (cases[i].names[1] && !strstr(message, cases[i].names[1]))
            fail_msg("%s: error_message \"%s\" does not name %s", target, message, cases[i].names[1]);
        response_free(&r);
    }
}

static void fake_server_list_invalid_parameters_return_400_naming_parameter(void **state)
{
    test_env *e = *state;
    static const bad_param_case cases[] = {
        {"per_page=0", {"per_page", NULL}, NULL},
        {"per_page=1001", {"per_page", NULL}, NULL},
        {"per_page=-1", {"per_page", NULL}, NULL},
        {"per_page=abc", {"per_page", NULL}, NULL},
        {"per_page=", {"per_page", NULL}, NULL},
        {"page=0", {"page", NULL}, NULL},
        {"page=65536", {"page", NULL}, NULL},
        {"status=23", {"status", NULL}, NULL},
        {"status=-1", {"status", NULL}, NULL},
        {"status=x", {"status", NULL}, NULL},
        {"sortBy=name", {"sortBy", NULL}, "ModelArts.2790"},
        {"sort_by=name", {"sort_by", NULL}, "ModelArts.2790"},
        {"order=ASC", {"order", NULL}, NULL},
        {"search_content=%C0%AF", {"search_content", NULL}, NULL},
        {"sortBy=job_name&sort_by=job_name", {"sortBy", "sort_by"}, NULL},
    };
    expect_bad_params(e, cases, ARRAY_LEN(cases));
}

/* @p count copies of @p unit after "search_content=" into @p dst. */
static void search_query(char *dst, size_t size, const char *unit, size_t count)
{
    size_t used = (size_t)snprintf(dst, size, LIST_PATH "?search_content=");
    for (size_t i = 0; i < count; i++)
        used += (size_t)snprintf(dst + used, size - used, "%s", unit);
    if (used >= size)
        fail_msg("search query of %zu units does not fit", count);
}

static void fake_server_list_search_content_64_chars_accepted_65_rejected(void **state)
{
    test_env *e = *state;
    /* Characters, not bytes, are counted: 'a' is one byte, U+00E9 two. */
    static const char *const units[] = {"a", "%C3%A9"};
    for (size_t u = 0; u < ARRAY_LEN(units); u++) {
        char target[1024];
        response r;
        search_query(target, sizeof target, units[u], 64);
        exchange(e, target, "GET", target, TOKEN, &r);
        json_int_t total = 0;
        expect_page(e, &r, &total);
        if (total != 0)
            fail_msg("%s: %lld jobs, the data set has none", target, (long long)total);
        response_free(&r);

        search_query(target, sizeof target, units[u], 65);
        exchange(e, target, "GET", target, TOKEN, &r);
        expect_modelarts_error(e, &r, 400, NULL, "search_content");
        response_free(&r);
    }
}

/* ---- authentication, routing and methods ------------------------------------------------------------ */

static void fake_server_list_missing_or_wrong_token_returns_401_gateway_body(void **state)
{
    test_env *e = *state;
    static const struct {
        const char *what;
        const char *token;
    } cases[] = {
        {"no X-Auth-Token", NULL},
        {"wrong X-Auth-Token", WRONG_TOKEN},
        {"token with a suffix", TOKEN "x"},
        {"empty X-Auth-Token", ""},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        response r;
        exchange(e, cases[i].what, "GET", LIST_PATH "?per_page=5", cases[i].token, &r);
        expect_gateway_error(e, &r, 401, "APIG.0301");
        if (contains_bytes(&r.body, TOKEN) ||
            (cases[i].token && cases[i].token[0] && contains_bytes(&r.body, cases[i].token)))
            fail_msg("%s: the body echoes a token: %s", cases[i].what, r.body.data);
        response_free(&r);
    }
}

/* GETs each target with the right token; each must be an error of @p status and @p code, gateway-shaped or not. */
static void expect_error_for_each(test_env *e, const char *const *targets, size_t count, long status, const char *code,
                                  int gateway)
{
    for (size_t i = 0; i < count; i++) {
        response r;
        exchange(e, targets[i], "GET", targets[i], TOKEN, &r);
        if (gateway)
            expect_gateway_error(e, &r, status, code);
        else
            expect_modelarts_error(e, &r, status, code, NULL);
        response_free(&r);
    }
}

static void fake_server_list_other_project_returns_403_modelarts_0210(void **state)
{
    static const char *const targets[] = {
        "/v1/0000000000000000000000000000000/training-jobs",
        "/v1/" PROJECT "x/training-jobs?per_page=5",
        "/v1/other%20project/training-jobs",
    };
    expect_error_for_each(*state, targets, ARRAY_LEN(targets), 403, "ModelArts.0210", 0);
}

static void fake_server_other_path_returns_404_gateway_apig_0101(void **state)
{
    static const char *const targets[] = {
        "/",
        "/v2/" PROJECT "/training-jobs",
        "/v1/" PROJECT "/training-job",
        "/v1/" PROJECT "/training-jobs/123",
        "/v1//training-jobs",
        "/v1/" PROJECT "/jobs?per_page=5",
    };
    expect_error_for_each(*state, targets, ARRAY_LEN(targets), 404, "APIG.0101", 1);
}

static void fake_server_list_non_get_method_returns_405(void **state)
{
    test_env *e = *state;
    static const char *const methods[] = {"POST", "DELETE", "PUT"};
    for (size_t i = 0; i < ARRAY_LEN(methods); i++) {
        response r;
        exchange(e, methods[i], methods[i], LIST_PATH, TOKEN, &r);
        expect_modelarts_error(e, &r, 405, NULL, NULL);
        expect_header(&r, "Allow", "GET");
        response_free(&r);
    }
}

static void fake_server_list_unknown_workspace_returns_400_modelarts_0102(void **state)
{
    static const char *const targets[] = {
        LIST_PATH "?workspace_id=no-such-workspace",
        LIST_PATH "?workspace_id=ws-BETA",
        LIST_PATH "?workspace_id=00&per_page=5",
    };
    expect_error_for_each(*state, targets, ARRAY_LEN(targets), 400, "ModelArts.0102", 0);
}

/* ---- pages ------------------------------------------------------------------------------------------ */

typedef struct page_case {
    const char *query; /* appended to LIST_PATH */
    filter filter;
} page_case;

/* Lists with @p c's query; the total must equal the data set's count for its filter. Returns that count. */
static size_t expect_total(test_env *e, const page_case *c)
{
    char target[512];
    snprintf(target, sizeof target, LIST_PATH "%s", c->query);
    response r;
    exchange(e, target, "GET", target, TOKEN, &r);
    json_int_t total = 0;
    json_t *jobs = expect_page(e, &r, &total);
    size_t expected = dataset_count(e, &c->filter);
    if (total < 0 || (size_t)total != expected)
        fail_msg("%s: job_total_count %lld, the data set has %zu", target, (long long)total, expected);
    if (json_array_size(jobs) > expected)
        fail_msg("%s: %zu jobs on the page, more than the %zu matching", target, json_array_size(jobs), expected);
    response_free(&r);
    return expected;
}

static void fake_server_list_filters_total_matches_dataset(void **state)
{
    test_env *e = *state;
    static const page_case cases[] = {
        {"", {"0", -1, ""}},
        {"?status=8", {"0", 8, ""}},
        {"?status=0&per_page=1000", {"0", 0, ""}},
        {"?status=22", {"0", 22, ""}},
        {"?workspace_id=ws-beta", {"ws-beta", -1, ""}},
        {"?workspace_id=" HEX_WORKSPACE "&status=3", {HEX_WORKSPACE, 3, ""}},
        {"?workspace_id=0", {"0", -1, ""}},
        {"?search_content=trainjob", {"0", -1, "trainjob"}},
        {"?search_content=TRAINJOB&per_page=1", {"0", -1, "TRAINJOB"}},
        {"?search_content=duplicate-name&workspace_id=ws-beta", {"ws-beta", -1, "duplicate-name"}},
        {"?search_content=%E8%AE%AD%E7%BB%83", {"0", -1, "\xE8\xAE\xAD\xE7\xBB\x83"}},
        {"?search_content=%2F&status=10&page=1", {"0", 10, "/"}},
        {"?search_content=", {"0", -1, ""}},
        {"?search_content=no-such-job-name-anywhere", {"0", -1, "no-such-job-name-anywhere"}},
    };
    size_t nonzero = 0;
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        nonzero += expect_total(e, &cases[i]) > 0;
    /* Most filters must match something, or the comparison above proves little. */
    assert_true(nonzero >= ARRAY_LEN(cases) - 2);
}

static void fake_server_list_page_past_end_returns_empty_jobs_with_total(void **state)
{
    test_env *e = *state;
    const filter all = {"0", -1, ""};
    size_t count = dataset_count(e, &all);
    assert_true(count > 0);
    char targets[3][256];
    snprintf(targets[0], sizeof targets[0], LIST_PATH "?per_page=1000&page=2");
    snprintf(targets[1], sizeof targets[1], LIST_PATH "?per_page=%zu&page=2", count);
    snprintf(targets[2], sizeof targets[2], LIST_PATH "?page=65535");
    for (size_t i = 0; i < ARRAY_LEN(targets); i++) {
        response r;
        exchange(e, targets[i], "GET", targets[i], TOKEN, &r);
        json_int_t total = 0;
        json_t *jobs = expect_page(e, &r, &total);
        if (json_array_size(jobs) != 0)
            fail_msg("%s: %zu jobs past the end", targets[i], json_array_size(jobs));
        if (total < 0 || (size_t)total != count)
            fail_msg("%s: job_total_count %lld, expected %zu", targets[i], (long long)total, count);
        if (!strstr(r.body.data, "\"jobs\":[]"))
            fail_msg("%s: body does not hold \"jobs\":[]: %.200s", targets[i], r.body.data);
        response_free(&r);
    }
}

/* The job ids of one page, as a comma-separated list. */
static void page_ids(test_env *e, const char *target, char *out, size_t out_size, size_t *count)
{
    response r;
    exchange(e, target, "GET", target, TOKEN, &r);
    json_int_t total = 0;
    json_t *jobs = expect_page(e, &r, &total);
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < json_array_size(jobs); i++)
        used += (size_t)snprintf(out + used, used < out_size ? out_size - used : 0, "%lld,",
                                 (long long)job_field(&r, jobs, i, "job_id"));
    if (used >= out_size)
        fail_msg("%s: id list does not fit", target);
    *count = json_array_size(jobs);
    response_free(&r);
}

static void fake_server_list_sort_by_alias_accepted_same_order(void **state)
{
    test_env *e = *state;
    char by_camel[4096], by_snake[4096];
    size_t n_camel = 0, n_snake = 0;
    page_ids(e, LIST_PATH "?sortBy=status&order=desc&per_page=50", by_camel, sizeof by_camel, &n_camel);
    page_ids(e, LIST_PATH "?sort_by=status&order=desc&per_page=50", by_snake, sizeof by_snake, &n_snake);
    assert_int_equal(n_camel, 50);
    assert_int_equal(n_snake, 50);
    assert_string_equal(by_snake, by_camel);

    /* And the order really is by status, descending. */
    response r;
    exchange(e, "sort_by=status desc", "GET", LIST_PATH "?sort_by=status&order=desc&per_page=50", TOKEN, &r);
    json_int_t total = 0;
    json_t *jobs = expect_page(e, &r, &total);
    for (size_t i = 1; i < json_array_size(jobs); i++)
        if (job_field(&r, jobs, i - 1, "status") < job_field(&r, jobs, i, "status"))
            fail_msg("jobs[%zu] and jobs[%zu] are not in descending status order", i - 1, i);
    response_free(&r);

    /* A different key gives a different order: the alias is not ignored. */
    char by_name[4096];
    size_t n_name = 0;
    page_ids(e, LIST_PATH "?sort_by=job_name&order=desc&per_page=50", by_name, sizeof by_name, &n_name);
    assert_string_not_equal(by_name, by_camel);
}

static void fake_server_list_search_plus_literal_pct20_space(void **state)
{
    test_env *e = *state;
    static const char *const workspaces[] = {"0", "ws-beta", HEX_WORKSPACE};
    size_t plus_total = 0, space_total = 0, plus_differs_from_space = 0;
    for (size_t w = 0; w < ARRAY_LEN(workspaces); w++) {
        char query[256];
        /* '+' in the query is a literal plus, as is %2B. */
        snprintf(query, sizeof query, "?workspace_id=%s&search_content=x+y", workspaces[w]);
        const page_case plus = {query, {workspaces[w], -1, "x+y"}};
        size_t raw_plus = expect_total(e, &plus);
        snprintf(query, sizeof query, "?workspace_id=%s&search_content=x%%2By", workspaces[w]);
        const page_case encoded_plus = {query, {workspaces[w], -1, "x+y"}};
        assert_int_equal(expect_total(e, &encoded_plus), raw_plus);
        plus_total += raw_plus;
        const filter read_as_space = {workspaces[w], -1, "x y"};
        plus_differs_from_space += dataset_count(e, &read_as_space) != raw_plus;

        /* %20 is a space, and %25 a literal percent sign. */
        snprintf(query, sizeof query, "?workspace_id=%s&search_content=s%%20job", workspaces[w]);
        const page_case space = {query, {workspaces[w], -1, "s job"}};
        space_total += expect_total(e, &space);
        snprintf(query, sizeof query, "?workspace_id=%s&search_content=%%25%%20done", workspaces[w]);
        const page_case percent = {query, {workspaces[w], -1, "% done"}};
        expect_total(e, &percent);
    }
    /* The data set must make the checks above telling: matches exist, and '+' read as a space would differ. */
    assert_true(plus_total > 0);
    assert_true(space_total > 0);
    assert_true(plus_differs_from_space > 0);
}

static void fake_server_list_without_per_page_returns_10_jobs(void **state)
{
    test_env *e = *state;
    const filter all = {"0", -1, ""};
    assert_true(dataset_count(e, &all) > 10);
    char implicit[4096], explicit_10[4096], page_2[4096];
    size_t n_implicit = 0, n_explicit = 0, n_page_2 = 0;
    page_ids(e, LIST_PATH, implicit, sizeof implicit, &n_implicit);
    page_ids(e, LIST_PATH "?per_page=10&page=1", explicit_10, sizeof explicit_10, &n_explicit);
    page_ids(e, LIST_PATH "?page=2", page_2, sizeof page_2, &n_page_2);
    assert_int_equal(n_implicit, 10);
    assert_int_equal(n_explicit, 10);
    assert_string_equal(implicit, explicit_10);
    /* Page 2 of the default size starts after the first ten. */
    assert_true(n_page_2 > 0);
    assert_string_not_equal(page_2, implicit);
}

/* ---- scripted replies ------------------------------------------------------------------------------- */

/* After a scripted reply the fake answers by its own semantics again: the script was used once. */
static void expect_normal_answer_again(test_env *e, const char *what)
{
    response r;
    exchange(e, what, "GET", LIST_PATH "?per_page=1", TOKEN, &r);
    json_int_t total = 0;
    expect_page(e, &r, &total);
    response_free(&r);
}

/* A scripted reply as pushed: @p status, X-Custom-Check @p check and exactly the @p len body bytes. */
static void expect_scripted(const response *r, long status, const char *check, const char *body, size_t len)
{
    if (r->code != CURLE_OK)
        fail_msg("%s: curl error %d (%s)", r->what, (int)r->code, curl_easy_strerror(r->code));
    if (r->status != status)
        fail_msg("%s: HTTP %ld, expected %ld", r->what, r->status, status);
    expect_header(r, "X-Custom-Check", check);
    if (r->body.len != len || memcmp(r->body.data, body, len) != 0)
        fail_msg("%s: %zu body bytes differ from the %zu scripted", r->what, r->body.len, len);
}

static void fake_server_push_reply_returned_exactly_once(void **state)
{
    test_env *e = *state;
    static const char body[] = "{\"x\":\"a\0b\"}\xff\n";
    const fake_response scripted = {
        299, "X-Custom-Check: value-42\nContent-Type: application/octet-stream", body, sizeof body - 1, 0, -1, 0, 0};
    assert_int_equal(fake_server_push(e->server, &scripted), 0);

    response r;
    exchange(e, "scripted", "GET", LIST_PATH, TOKEN, &r);
    expect_scripted(&r, 299, "value-42", body, sizeof body - 1);
    expect_header(&r, "Content-Type", "application/octet-stream");
    response_free(&r);

    expect_normal_answer_again(e, "after fake_server_push");
}

static void fake_server_push_simple_reply_returned_exactly_once(void **state)
{
    test_env *e = *state;
    static const char body[] = "<html><body>maintenance</body></html>";
    assert_int_equal(fake_server_push_simple(e->server, 503, "Retry-After: 7\nX-Custom-Check: simple", body), 0);

    /* The script answers whatever comes next, even a request the fake would reject. */
    response r;
    exchange(e, "scripted simple", "POST", "/nowhere", NULL, &r);
    expect_scripted(&r, 503, "simple", body, strlen(body));
    expect_header(&r, "Retry-After", "7");
    response_free(&r);

    expect_normal_answer_again(e, "after fake_server_push_simple");
}

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void fake_server_push_delay_ms_delays_reply(void **state)
{
    test_env *e = *state;
    enum { DELAY_MS = 400 };
    const fake_response slow = {200, "Content-Type: application/json", "{}", 2, DELAY_MS, -1, 0, 0};
    assert_int_equal(fake_server_push(e->server, &slow), 0);
    int64_t start = monotonic_ms();
    response r;
    exchange(e, "delayed", "GET", LIST_PATH, TOKEN, &r);
    int64_t elapsed = monotonic_ms() - start;
    assert_int_equal(r.code, CURLE_OK);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body.data, "{}");
    if (elapsed < DELAY_MS)
        fail_msg("answered after %lld ms, before the %d ms delay", (long long)elapsed, DELAY_MS);
    response_free(&r);
}

static void fake_server_push_abort_after_gives_partial_file(void **state)
{
    test_env *e = *state;
    char body[4096];
    for (size_t i = 0; i < sizeof body; i++)
        body[i] = (char)('a' + i % 26);
    const fake_response cut = {200, "Content-Type: application/json", body, sizeof body, 0, 100, 0, 0};
    assert_int_equal(fake_server_push(e->server, &cut), 0);
    response r;
    exchange(e, "aborted", "GET", LIST_PATH, TOKEN, &r);
    if (r.code != CURLE_PARTIAL_FILE)
        fail_msg("curl result %d (%s), expected CURLE_PARTIAL_FILE", (int)r.code, curl_easy_strerror(r.code));
    assert_int_equal(r.status, 200);
    assert_true(r.body.len <= 100);
    if (r.body.len > 0)
        assert_memory_equal(r.body.data, body, r.body.len);
    response_free(&r);

    expect_normal_answer_again(e, "after an aborted reply");
}

/* ---- what the fake records -------------------------------------------------------------------------- */

static void logged_text(const char *what, const char *field, const char *got, const char *expected)
{
    if (strcmp(got, expected) != 0)
        fail_msg("%s: logged %s \"%s\", expected \"%s\"", what, field, got, expected);
}

static void expect_logged(const test_env *e, size_t index, const char *method, const char *uri, const char *token)
{
    fake_request req;
    if (fake_server_request_at(e->server, index, &req) != 0)
        fail_msg("request %zu was not logged", index);
    logged_text(uri, "method", req.method, method);
    logged_text(uri, "uri", req.uri, uri);
    logged_text(uri, "X-Auth-Token", req.auth_token, token ? token : "");
    logged_text(uri, "User-Agent", req.user_agent, USER_AGENT);
    logged_text(uri, "Content-Type", req.content_type, "application/json");
}

static void fake_server_request_at_records_request_as_sent(void **state)
{
    test_env *e = *state;
    static const struct {
        const char *method;
        const char *target;
        const char *token;
    } cases[] = {
        {"GET", LIST_PATH "?search_content=a+b%20c%2Bd&per_page=5&sortBy=job_name", TOKEN},
        {"GET", LIST_PATH "?status=8&search_content=%E8%AE%AD&workspace_id=ws-beta&order=desc", NULL},
        {"POST", LIST_PATH "?page=2", WRONG_TOKEN},
        {"GET", "/v1/other/training-jobs?x=%7E~", TOKEN},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        size_t before = fake_server_request_count(e->server);
        response r;
        exchange(e, cases[i].target, cases[i].method, cases[i].target, cases[i].token, &r);
        assert_int_equal(r.code, CURLE_OK);
        response_free(&r);
        assert_int_equal(fake_server_request_count(e->server), before + 1);
        expect_logged(e, before, cases[i].method, cases[i].target, cases[i].token);
    }
    fake_request req;
    assert_int_equal(fake_server_request_at(e->server, fake_server_request_count(e->server), &req), -1);
}

static void fake_server_connection_count_keep_alive_counts_one_connection(void **state)
{
    test_env *e = *state;
    CURL *h = new_handle();
    size_t before = fake_server_connection_count(e->server);
    size_t logged = fake_server_request_count(e->server);
    static const char *const targets[] = {LIST_PATH, LIST_PATH "?per_page=3", LIST_PATH "?status=8",
                                          LIST_PATH "?page=2"};
    for (size_t i = 0; i < ARRAY_LEN(targets); i++) {
        response r;
        exchange_on(h, e, targets[i], "GET", targets[i], TOKEN, &r);
        json_int_t total = 0;
        expect_page(e, &r, &total);
        response_free(&r);
    }
    /* An error answer keeps the connection too. */
    response r;
    exchange_on(h, e, "401 on the same connection", "GET", LIST_PATH, WRONG_TOKEN, &r);
    expect_gateway_error(e, &r, 401, "APIG.0301");
    response_free(&r);
    curl_easy_cleanup(h);
    assert_int_equal(fake_server_connection_count(e->server), before + 1);
    assert_int_equal(fake_server_request_count(e->server), logged + ARRAY_LEN(targets) + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fake_server_list_invalid_parameters_return_400_naming_parameter),
        cmocka_unit_test(fake_server_list_search_content_64_chars_accepted_65_rejected),
        cmocka_unit_test(fake_server_list_missing_or_wrong_token_returns_401_gateway_body),
        cmocka_unit_test(fake_server_list_other_project_returns_403_modelarts_0210),
        cmocka_unit_test(fake_server_other_path_returns_404_gateway_apig_0101),
        cmocka_unit_test(fake_server_list_non_get_method_returns_405),
        cmocka_unit_test(fake_server_list_unknown_workspace_returns_400_modelarts_0102),
        cmocka_unit_test(fake_server_list_filters_total_matches_dataset),
        cmocka_unit_test(fake_server_list_page_past_end_returns_empty_jobs_with_total),
        cmocka_unit_test(fake_server_list_sort_by_alias_accepted_same_order),
        cmocka_unit_test(fake_server_list_search_plus_literal_pct20_space),
        cmocka_unit_test(fake_server_list_without_per_page_returns_10_jobs),
        cmocka_unit_test(fake_server_push_reply_returned_exactly_once),
        cmocka_unit_test(fake_server_push_simple_reply_returned_exactly_once),
        cmocka_unit_test(fake_server_push_delay_ms_delays_reply),
        cmocka_unit_test(fake_server_push_abort_after_gives_partial_file),
        cmocka_unit_test(fake_server_request_at_records_request_as_sent),
        cmocka_unit_test(fake_server_connection_count_keep_alive_counts_one_connection),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
