/*
 * SDK-HMAC-SHA256 signer and AK/SK authenticator: every vector of
 * docs/modelarts-api.md sections 4.3-4.5, the pitfalls of 4.6, and the
 * secret-handling and out-of-memory behaviour.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "auth/signer.h"
#include "http/request.h"
#include "util/alloc.h"
#include "util/error.h"
#include "modelarts/ma_credentials.h"
#include "util/buf.h"

/* ---- counting allocator: cmocka-checked blocks, fail exactly the N-th allocation --------------------- */

/*
 * Each block carries its size, so that a freed block can be searched for
 * secrets that should have been wiped first.
 */
typedef union block_head {
    size_t size;
    max_align_t align;
} block_head;

typedef struct count_alloc {
    size_t calls;           /* alloc and realloc calls so far */
    size_t fail_at;         /* 1-based call to fail; 0 = never */
    long live;              /* blocks not yet freed */
    const char *secrets[4]; /* freed memory must not hold these */
    size_t secrets_seen;    /* freed blocks that still held one */
} count_alloc;

static count_alloc counter;

static int should_fail(void)
{
    counter.calls++;
    return counter.fail_at != 0 && counter.calls == counter.fail_at;
}

static int contains(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n && i + n <= len; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return 1;
    return 0;
}

static void release(void *p)
{
    block_head *h = (block_head *)p - 1;
    for (size_t i = 0; i < sizeof counter.secrets / sizeof counter.secrets[0]; i++)
        if (counter.secrets[i] && contains(p, h->size, counter.secrets[i]))
            counter.secrets_seen++;
    counter.live--;
    test_free(h);
}

static void *grab(size_t n)
{
    block_head *h = test_malloc(sizeof *h + n);
    if (!h)
        return NULL;
    h->size = n;
    counter.live++;
    return h + 1;
}

static void *count_malloc(void *ctx, size_t n)
{
    (void)ctx;
    return should_fail() ? NULL : grab(n);
}

/* Always moves the block, so a secret left behind by a growing buffer shows. */
static void *count_realloc(void *ctx, void *p, size_t n)
{
    (void)ctx;
    if (should_fail())
        return NULL;
    void *q = grab(n);
    if (q && p) {
        size_t old = ((block_head *)p - 1)->size;
        memcpy(q, p, old < n ? old : n);
        release(p);
    }
    return q;
}

static void count_free(void *ctx, void *p)
{
    (void)ctx;
    if (p)
        release(p);
}

static const ma_allocator alloc = {count_malloc, count_realloc, count_free, NULL};

static int reset_counter(void **state)
{
    (void)state;
    memset(&counter, 0, sizeof counter);
    return 0;
}

/* ---- fixtures ------------------------------------------------------------------------------------------ */

#define DOC_AK       "QTWAOYTTINDUT2QVKYUC"
#define DOC_SK       "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
#define DOC_DATE     "20191115T033655Z"
#define DOC_MS       INT64_C(1573789015000)
#define PROJECT      "77b6a44cba5143ab91d13ab9a8ff44fd"
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* An ma__endpoint filled by hand (its fields are not const, so the strings live in arrays). */
typedef struct test_endpoint {
    char scheme[8];
    char host[64];
    char prefix[32];
    char host_header[72];
    ma__endpoint ep;
} test_endpoint;

static void endpoint_fill(test_endpoint *t, const char *host, const char *prefix)
{
    memset(t, 0, sizeof *t);
    snprintf(t->scheme, sizeof t->scheme, "https");
    snprintf(t->host, sizeof t->host, "%s", host);
    snprintf(t->prefix, sizeof t->prefix, "%s", prefix);
    snprintf(t->host_header, sizeof t->host_header, "%s", host);
    t->ep.scheme = t->scheme;
    t->ep.host = t->host;
    t->ep.port = 0;
    t->ep.prefix = t->prefix;
    t->ep.host_header = t->host_header;
    t->ep.is_loopback = 0;
}

static void add_param(ma__http_request *req, const char *name, const char *value)
{
    assert_int_equal(ma__request_add_param(req, name, value, strlen(value)), 0);
}

static void add_segments(ma__http_request *req, const char *const *segs)
{
    for (; *segs; segs++)
        assert_int_equal(ma__request_add_segment(req, *segs), 0);
}

static const char *const training_jobs_path[] = {"v1", PROJECT, "training-jobs", NULL};

/* Signs with explicit inputs; returns the Authorization value in *auth_out (freed by the caller). */
static void sign(const ma__http_request *req, const char *ak, const char *sk, const char *date,
                 const ma__sign_header *h, size_t n, ma__buf *auth_out)
{
    ma__sign_input in = {ak, sk, strlen(sk), date, h, n, NULL};
    ma__buf_init(auth_out, &alloc);
    assert_int_equal(ma__sign_request(&alloc, req, &in, auth_out, NULL), MA_OK);
}

static void canonical(const ma__http_request *req, const ma__sign_header *h, size_t n, ma__buf *out)
{
    ma__buf_init(out, &alloc);
    assert_int_equal(ma__sign_canonical_request(&alloc, req, h, n, NULL, out), MA_OK);
}

/* The @p index-th line (0-based) of @p text, copied into @p line. */
static void nth_line(const char *text, int index, char *line, size_t size)
{
    for (int i = 0; i < index; i++) {
        text = strchr(text, '\n');
        assert_non_null(text);
        text++;
    }
    size_t len = strcspn(text, "\n");
    assert_true(len < size);
    memcpy(line, text, len);
    line[len] = '\0';
}

/* ---- §4.3 official worked example ------------------------------------------------------------------- */

static void build_doc_request(ma__http_request *req, test_endpoint *te)
{
    static const char *const segs[] = {"v1", PROJECT, "vpcs", NULL};
    endpoint_fill(te, "service.region.example.com", "");
    ma__request_init(req, &alloc, "GET", &te->ep);
    add_segments(req, segs);
    add_param(req, "limit", "2");
    add_param(req, "marker", "13551d6b-755d-4757-b956-536f674975c0");
}

static const ma__sign_header doc_headers[] = {
    {"Content-Type", "application/json"}, {"Host", "service.region.example.com"}, {"X-Sdk-Date", DOC_DATE}};

static void sign_official_example_matches_every_step(void **state)
{
    (void)state;
    test_endpoint te;
    ma__http_request req;
    build_doc_request(&req, &te);

    ma__buf cr;
    canonical(&req, doc_headers, 3, &cr);
    assert_string_equal(cr.data, "GET\n"
                                 "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\n"
                                 "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n"
                                 "content-type:application/json\n"
                                 "host:service.region.example.com\n"
                                 "x-sdk-date:20191115T033655Z\n"
                                 "\n"
                                 "content-type;host;x-sdk-date\n" EMPTY_SHA256);
    char hash[MA__SHA256_HEX_SIZE];
    assert_int_equal(ma__sha256_hex(cr.data, cr.len, hash), 0);
    assert_string_equal(hash, "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");

    ma__buf sts;
    ma__buf_init(&sts, &alloc);
    assert_int_equal(ma__sign_string_to_sign(DOC_DATE, cr.data, cr.len, &sts), MA_OK);
    assert_string_equal(sts.data, "SDK-HMAC-SHA256\n" DOC_DATE
                                  "\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");

    char sig[MA__SHA256_HEX_SIZE];
    assert_int_equal(ma__hmac_sha256_hex(DOC_SK, strlen(DOC_SK), sts.data, sts.len, sig), 0);
    assert_string_equal(sig, "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");

    ma__buf auth;
    ma__sign_input in = {DOC_AK, DOC_SK, strlen(DOC_SK), DOC_DATE, doc_headers, 3, NULL};
    ma__buf_init(&auth, &alloc);
    char sig2[MA__SHA256_HEX_SIZE];
    assert_int_equal(ma__sign_request(&alloc, &req, &in, &auth, sig2), MA_OK);
    assert_string_equal(auth.data,
                        "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;"
                        "x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
    assert_string_equal(sig2, sig);

    /* Header order and case given by the caller do not matter; values are trimmed. */
    static const ma__sign_header shuffled[] = {{"x-sdk-date", " " DOC_DATE "\t"},
                                               {"HOST", "service.region.example.com"},
                                               {"content-type", "application/json "}};
    ma__buf auth2;
    sign(&req, DOC_AK, DOC_SK, DOC_DATE, shuffled, 3, &auth2);
    assert_string_equal(auth2.data, auth.data);

    ma__buf_free_secure(&auth2);
    ma__buf_free_secure(&auth);
    ma__buf_free(&sts);
    ma__buf_free(&cr);
    ma__request_free(&req);
}

/* ---- §4.4 Go SDK vectors -------------------------------------------------------------------------------- */

static const ma__sign_header go_headers[] = {{"X-Sdk-Date", "20060102T150405Z"}};

static void sign_go_test1_get(void **state)
{
    (void)state;
    static const char *const segs[] = {"path", NULL};
    test_endpoint te;
    endpoint_fill(&te, "example.huaweicloud.com", "");
    ma__http_request req;
    ma__request_init(&req, &alloc, "GET", &te.ep);
    add_segments(&req, segs);
    add_param(&req, "limit", "1");

    ma__buf cr;
    canonical(&req, go_headers, 1, &cr);
    assert_string_equal(cr.data, "GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\n" EMPTY_SHA256);
    char hash[MA__SHA256_HEX_SIZE];
    assert_int_equal(ma__sha256_hex(cr.data, cr.len, hash), 0);
    assert_string_equal(hash, "85c3b7730f308aee452b16138a42a914397e43a8f0d732dfa521c0ef2afa98a4");

    ma__buf auth;
    sign(&req, "AccessKey", "SecretKey", "20060102T150405Z", go_headers, 1, &auth);
    assert_string_equal(auth.data, "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, "
                                   "Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624");
    ma__buf_free_secure(&auth);
    ma__buf_free(&cr);
    ma__request_free(&req);
}

static void sign_go_test2_post_hashes_the_body(void **state)
{
    (void)state;
    static const char *const segs[] = {"path", NULL};
    static const char body[] = "{\"Name\":\"test\",\"Id\":1}\n";
    test_endpoint te;
    endpoint_fill(&te, "example.huaweicloud.com", "");
    ma__http_request req;
    ma__request_init(&req, &alloc, "POST", &te.ep);
    add_segments(&req, segs);
    add_param(&req, "key", "value");
    assert_int_equal(ma__headers_add(&req.headers, "Content-Type", 12, "application/json", 16, 0), 0);
    assert_int_equal(ma__buf_append(&req.body, body, sizeof body - 1), 0);

    ma__buf auth;
    sign(&req, "AccessKey", "SecretKey", "20060102T150405Z", go_headers, 1, &auth);
    assert_string_equal(auth.data, "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, "
                                   "Signature=cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59");
    ma__buf_free_secure(&auth);

    /* Without the encoder's trailing newline the body hash, hence the signature, differs. */
    req.body.len--;
    req.body.data[req.body.len] = '\0';
    sign(&req, "AccessKey", "SecretKey", "20060102T150405Z", go_headers, 1, &auth);
    assert_null(strstr(auth.data, "cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59"));
    ma__buf_free_secure(&auth);
    ma__request_free(&req);
}

static void canonical_query_go_encoding_case(void **state)
{
    (void)state;
    static const char *const segs[] = {"path", NULL};
    test_endpoint te;
    endpoint_fill(&te, "example.huaweicloud.com", "");
    ma__http_request req;
    ma__request_init(&req, &alloc, "GET", &te.ep);
    add_segments(&req, segs);
    add_param(&req, "limit", "1");
    add_param(&req, "enable", "true");
    add_param(&req, "test", "\xE4\xB8\x80 (&=?!#%.*)");
    add_param(&req, "path", "/tmp/123");
    add_param(&req, "multi", "3");
    add_param(&req, "multi", "1");
    add_param(&req, "multi", "2");

    ma__buf cr;
    canonical(&req, go_headers, 1, &cr);
    char line[256];
    nth_line(cr.data, 2, line, sizeof line);
    assert_string_equal(line,
                        "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%"
                        "21%23%25.%2A%29");

    /* The query that is sent keeps the order given; only the canonical string is sorted. */
    ma__buf sent;
    ma__buf_init(&sent, &alloc);
    assert_int_equal(ma__request_render_query(&req, &sent), 0);
    assert_string_equal(sent.data,
                        "limit=1&enable=true&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29&path=%2Ftmp%2F123&"
                        "multi=3&multi=1&multi=2");
    ma__buf_free(&sent);
    ma__buf_free(&cr);
    ma__request_free(&req);
}

/* ---- §4.5 ModelArts-shaped vectors, directly and through the authenticator --------------------------- */

static int64_t fixed_epoch_ms(void *ctx)
{
    return *(const int64_t *)ctx;
}

static int64_t zero_ms(void *ctx)
{
    (void)ctx;
    return 0;
}

static void no_sleep(void *ctx, int64_t ms)
{
    (void)ctx;
    (void)ms;
}

typedef struct vector {
    const char *params[8][2];
    int content_type;
    int project_header;
    const char *sent_query;
    const char *canonical_query;
    const char *canonical_sha256;
    const char *signature;
} vector;

static const vector vectors[] = {
    {{{"status", "7"},
      {"per_page", "10"},
      {"page", "1"},
      {"sortBy", "job_name"},
      {"order", "asc"},
      {"search_content", "job"}},
     1,
     0,
     "status=7&per_page=10&page=1&sortBy=job_name&order=asc&search_content=job",
     "order=asc&page=1&per_page=10&search_content=job&sortBy=job_name&status=7",
     "83c4aa8ecafb1142eb905dd976e6dd3cbf79fcc9c92f959d0d6692b1f818b812",
     "261e1ecd337ce684e5906f8be46fa6763e5f361d5d32076da80ddf3cc43d6322"},
    {{{"per_page", "1000"}, {"page", "2"}, {"search_content", "my job/\xC3\xA4"}},
     1,
     1,
     "per_page=1000&page=2&search_content=my%20job%2F%C3%A4",
     "page=2&per_page=1000&search_content=my%20job%2F%C3%A4",
     "64a3b363c520a0ef93149a267dc5454959d9a381708faba8b4dd43de2a24b19a",
     "3180d2c00229dd42ff245c9882b276d533eb6ae3b538a6c38bd490c29c992ab7"},
    {{{NULL, NULL}},
     0,
     0,
     "",
     "",
     "5b2d8f06a129f85c9c7f94a05e07acc231ce7d7ddbb4c21d7733a13d2186a757",
     "d44563134ebce476995ee4675e10107e05d628c795fcf17799c379d0de3467f9"},
};

static void build_vector_request(const vector *v, ma__http_request *req, test_endpoint *te)
{
    endpoint_fill(te, "modelarts.eu-de.otc.t-systems.com", "");
    ma__request_init(req, &alloc, "GET", &te->ep);
    add_segments(req, training_jobs_path);
    for (size_t i = 0; i < 8 && v->params[i][0]; i++)
        add_param(req, v->params[i][0], v->params[i][1]);
    if (v->content_type)
        assert_int_equal(ma__headers_add(&req->headers, "Content-Type", 12, "application/json", 16, 0), 0);
}

static void check_vector_direct(const vector *v)
{
    test_endpoint te;
    ma__http_request req;
    build_vector_request(v, &req, &te);
    ma__sign_header h[4];
    size_t n = 0;
    if (v->content_type)
        h[n++] = (ma__sign_header){"Content-Type", "application/json"};
    h[n++] = (ma__sign_header){"Host", "modelarts.eu-de.otc.t-systems.com"};
    if (v->project_header)
        h[n++] = (ma__sign_header){"X-Project-Id", PROJECT};
    h[n++] = (ma__sign_header){"X-Sdk-Date", DOC_DATE};

    ma__buf sent;
    ma__buf_init(&sent, &alloc);
    assert_int_equal(ma__request_render_query(&req, &sent), 0);
    /* By length: with no parameters the renderer reserves a buffer but (today) writes no NUL into it. */
    assert_int_equal(sent.len, strlen(v->sent_query));
    assert_memory_equal(sent.data, v->sent_query, sent.len);

    ma__buf cr;
    canonical(&req, h, n, &cr);
    char line[256];
    nth_line(cr.data, 1, line, sizeof line);
    assert_string_equal(line, "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/training-jobs/");
    nth_line(cr.data, 2, line, sizeof line);
    assert_string_equal(line, v->canonical_query);
    char hash[MA__SHA256_HEX_SIZE];
    assert_int_equal(ma__sha256_hex(cr.data, cr.len, hash), 0);
    assert_string_equal(hash, v->canonical_sha256);

    ma__buf auth;
    char sig[MA__SHA256_HEX_SIZE];
    ma__sign_input in = {DOC_AK, DOC_SK, strlen(DOC_SK), DOC_DATE, h, n, NULL};
    ma__buf_init(&auth, &alloc);
    assert_int_equal(ma__sign_request(&alloc, &req, &in, &auth, sig), MA_OK);
    assert_string_equal(sig, v->signature);
    ma__buf_free_secure(&auth);
    ma__buf_free(&cr);
    ma__buf_free(&sent);
    ma__request_free(&req);
}

static void sign_modelarts_vectors_a_b_c(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++)
        check_vector_direct(&vectors[i]);
}

static const char *header(const ma__header_list *l, const char *name, size_t *count)
{
    const char *v = NULL;
    *count = 0;
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].name, name) == 0) {
            v = l->items[i].value;
            (*count)++;
        }
    return v;
}

static void aksk_auth_reproduces_modelarts_vectors(void **state)
{
    (void)state;
    int64_t now = DOC_MS + 999; /* milliseconds are cut, not rounded */
    ma__clock clock = {zero_ms, fixed_epoch_ms, no_sleep, &now};
    ma__auth_context ctx = {&clock, NULL};
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        const vector *v = &vectors[i];
        ma__auth *auth = NULL;
        assert_int_equal(
            ma__aksk_auth_new(&alloc, DOC_AK, DOC_SK, NULL, v->project_header ? PROJECT : NULL, &auth, NULL), MA_OK);
        test_endpoint te;
        ma__http_request req;
        build_vector_request(v, &req, &te);
        assert_int_equal(auth->vtable->apply(auth, &ctx, &req, NULL), MA_OK);
        size_t c;
        assert_string_equal(header(&req.attempt_headers, "X-Sdk-Date", &c), DOC_DATE);
        assert_string_equal(header(&req.attempt_headers, "Host", &c), "modelarts.eu-de.otc.t-systems.com");
        const char *a = header(&req.attempt_headers, "Authorization", &c);
        assert_int_equal(c, 1);
        assert_non_null(strstr(a, v->signature));
        assert_string_equal(a + strlen(a) - 64, v->signature);
        assert_null(header(&req.attempt_headers, "X-Security-Token", &c));
        assert_true(req.attempt_headers.count == (v->project_header ? 4u : 3u));
        ma__request_free(&req);
        auth->vtable->destroy(auth);
    }
}

/* ---- pitfalls (§4.6) ------------------------------------------------------------------------------------ */

static const ma__sign_header date_only[] = {{"X-Sdk-Date", DOC_DATE}};

static void canonical_query_empty_value_keeps_equals_sign(void **state)
{
    (void)state;
    test_endpoint te;
    endpoint_fill(&te, "h.example", "");
    ma__http_request req;
    ma__request_init(&req, &alloc, "GET", &te.ep);
    add_segments(&req, training_jobs_path);
    add_param(&req, "search_content", "");
    add_param(&req, "page", "1");
    add_param(&req, "a", "");
    ma__buf cr;
    canonical(&req, date_only, 1, &cr);
    char line[128];
    nth_line(cr.data, 2, line, sizeof line);
    assert_string_equal(line, "a=&page=1&search_content=");
    ma__buf_free(&cr);
    ma__request_free(&req);
}

static void canonical_query_keys_keep_case_and_sort_by_byte(void **state)
{
    (void)state;
    test_endpoint te;
    endpoint_fill(&te, "h.example", "");
    ma__http_request req;
    ma__request_init(&req, &alloc, "GET", &te.ep);
    add_segments(&req, training_jobs_path);
    add_param(&req, "status", "7");
    add_param(&req, "sortBy", "job_name");
    add_param(&req, "search_content", "x");
    add_param(&req, "Zeta", "z");
    add_param(&req, "sort", "s");
    ma__buf cr;
    canonical(&req, date_only, 1, &cr);
    char line[128];
    nth_line(cr.data, 2, line, sizeof line);
    /* 'Z' (0x5A) < 's'; "sort" < "sortBy" (prefix); 'B' (0x42) < 'e' < 't'. */
    assert_string_equal(line, "Zeta=z&search_content=x&sort=s&sortBy=job_name&status=7");
    ma__buf_free(&cr);
    ma__request_free(&req);
}

static void canonical_query_sorts_raw_bytes_before_encoding(void **state)
{
    (void)state;
    test_endpoint te;
    endpoint_fill(&te, "h.example", "");
    ma__http_request req;
    ma__request_init(&req, &alloc, "GET", &te.ep);
    add_param(&req, "a:", "y");
    add_param(&req, "v", ":");
    add_param(&req, "a5", "x");
    add_param(&req, "v", "5");
    ma__buf cr;
    canonical(&req, date_only, 1, &cr);
    char line[128];
    nth_line(cr.data, 2, line, sizeof line);
    /* Raw '5' (0x35) sorts before ':' (0x3A), although "%3A" would sort before "5". */
    assert_string_equal(line, "a5=x&a%3A=y&v=5&v=%3A");
    ma__buf_free(&cr);
    ma__request_free(&req);
}

static void aksk_signs_the_host_header_as_sent_with_port(void **state)
{
    (void)state;
    int64_t now = DOC_MS;
    ma__clock clock = {zero_ms, fixed_epoch_ms, no_sleep, &now};
    ma__auth_context ctx = {&clock, NULL};
    ma__auth *auth = NULL;
    assert_int_equal(ma__aksk_auth_new(&alloc, DOC_AK, DOC_SK, NULL, NULL, &auth, NULL), MA_OK);
    test_endpoint te;
    endpoint_fill(&te, "127.0.0.1", "");
    te.ep.port = 8443;
    snprintf(te.host_header, sizeof te.host_header, "127.0.0.1:8443");
    ma__http_request req;
    ma__request_init(&req, &alloc, "GET", &te.ep);
    add_segments(&req, training_jobs_path);
    assert_int_equal(auth->vtable->apply(auth, &ctx, &req, NULL), MA_OK);
    size_t c;
    assert_string_equal(header(&req.attempt_headers, "Host", &c), "127.0.0.1:8443");
    static const ma__sign_header h[] = {{"Host", "127.0.0.1:8443"}, {"X-Sdk-Date", DOC_DATE}};
    ma__buf expect;
    sign(&req, DOC_AK, DOC_SK, DOC_DATE, h, 2, &expect);
    assert_string_equal(header(&req.attempt_headers, "Authorization", &c), expect.data);
    ma__buf_free_secure(&expect);
    ma__request_free(&req);
    auth->vtable->destroy(auth);
}

static void canonical_uri_has_trailing_slash_but_sent_url_does_not(void **state)
{
    (void)state;
    test_endpoint te;
    endpoint_fill(&te, "modelarts.eu-de.otc.t-systems.com", "/gw/ma");
    ma__http_request req;
    ma__request_init(&req, &alloc, "GET", &te.ep);
    static const char *const segs[] = {"v1", PROJECT, "training jobs", NULL};
    add_segments(&req, segs);
    add_param(&req, "page", "1");
    ma__buf url, cr;
    ma__buf_init(&url, &alloc);
    assert_int_equal(ma__request_render_url(&req, &url), 0);
    assert_string_equal(url.data,
                        "https://modelarts.eu-de.otc.t-systems.com/gw/ma/v1/" PROJECT "/training%20jobs?page=1");
    canonical(&req, date_only, 1, &cr);
    char line[128];
    nth_line(cr.data, 1, line, sizeof line);
    /* The same bytes as sent (segment encoded once), plus the slash. */
    assert_string_equal(line, "/gw/ma/v1/" PROJECT "/training%20jobs/");
    ma__buf_free(&cr);
    ma__request_free(&req);

    /* The root path is already "/" and gets no second slash. */
    ma__request_init(&req, &alloc, "GET", &te.ep);
    te.prefix[0] = '\0';
    canonical(&req, date_only, 1, &cr);
    nth_line(cr.data, 1, line, sizeof line);
    assert_string_equal(line, "/");
    ma__buf_free(&cr);
    ma__buf_free(&url);
    ma__request_free(&req);
}

static void canonical_request_rejects_bad_headers(void **state)
{
    (void)state;
    test_endpoint te;
    endpoint_fill(&te, "h.example", "");
    ma__http_request req;
    ma__request_init(&req, &alloc, "GET", &te.ep);
    ma__buf cr;
    ma__buf_init(&cr, &alloc);
    static const ma__sign_header dup[] = {{"Host", "a"}, {"host", "b"}};
    static const ma__sign_header crlf[] = {{"Host", "a\r\nX-Evil: 1"}};
    static const ma__sign_header colon[] = {{"Ho:st", "a"}};
    static const ma__sign_header empty[] = {{"", "a"}};
    assert_int_equal(ma__sign_canonical_request(&alloc, &req, dup, 2, NULL, &cr), MA_ERR_INVALID_ARG);
    assert_int_equal(ma__sign_canonical_request(&alloc, &req, crlf, 1, NULL, &cr), MA_ERR_INVALID_ARG);
    assert_int_equal(ma__sign_canonical_request(&alloc, &req, colon, 1, NULL, &cr), MA_ERR_INVALID_ARG);
    assert_int_equal(ma__sign_canonical_request(&alloc, &req, empty, 1, NULL, &cr), MA_ERR_INVALID_ARG);
    assert_int_equal(ma__sign_canonical_request(&alloc, &req, date_only, 0, NULL, &cr), MA_ERR_INVALID_ARG);
    assert_int_equal(cr.len, 0);
    ma__buf_free(&cr);
    ma__request_free(&req);
}

static void format_sdk_date_is_utc_and_floors(void **state)
{
    (void)state;
    char d[MA__SDK_DATE_SIZE];
    assert_int_equal(ma__format_sdk_date(DOC_MS, d), 0);
    assert_string_equal(d, DOC_DATE);
    assert_int_equal(ma__format_sdk_date(INT64_C(1136214245000), d), 0);
    assert_string_equal(d, "20060102T150405Z");
    assert_int_equal(ma__format_sdk_date(0, d), 0);
    assert_string_equal(d, "19700101T000000Z");
    assert_int_equal(ma__format_sdk_date(-1, d), 0);
    assert_string_equal(d, "19691231T235959Z");
    assert_int_equal(ma__format_sdk_date(INT64_C(253402300800000), d), -1); /* year 10000 */
    assert_string_equal(d, "");
}

/* ---- the authenticator -------------------------------------------------------------------------------- */

static void aksk_apply_twice_signs_each_attempt_afresh(void **state)
{
    (void)state;
    int64_t now = DOC_MS;
    ma__clock clock = {zero_ms, fixed_epoch_ms, no_sleep, &now};
    ma__auth_context ctx = {&clock, NULL};
    ma__auth *auth = NULL;
    assert_int_equal(ma__aksk_auth_new(&alloc, DOC_AK, DOC_SK, NULL, PROJECT, &auth, NULL), MA_OK);
    test_endpoint te;
    ma__http_request req;
    build_vector_request(&vectors[1], &req, &te);

    assert_int_equal(auth->vtable->apply(auth, &ctx, &req, NULL), MA_OK);
    size_t c;
    char first[256];
    snprintf(first, sizeof first, "%s", header(&req.attempt_headers, "Authorization", &c));
    assert_string_equal(header(&req.attempt_headers, "X-Sdk-Date", &c), DOC_DATE);
    assert_string_equal(header(&req.attempt_headers, "X-Project-Id", &c), PROJECT);

    /* Applying again without the loop clearing the attempt headers is refused, not duplicated. */
    ma_error err;
    ma_error_clear(&err);
    assert_int_equal(auth->vtable->apply(auth, &ctx, &req, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(req.attempt_headers.count, 4);

    ma__headers_clear(&req.attempt_headers);
    now += 61 * 1000;
    assert_int_equal(auth->vtable->apply(auth, &ctx, &req, NULL), MA_OK);
    assert_string_equal(header(&req.attempt_headers, "X-Sdk-Date", &c), "20191115T033756Z");
    assert_int_equal(c, 1);
    const char *second = header(&req.attempt_headers, "Authorization", &c);
    assert_int_equal(c, 1);
    assert_string_not_equal(first, second);
    assert_int_equal(req.attempt_headers.count, 4);
    header(&req.attempt_headers, "Host", &c);
    assert_int_equal(c, 1);
    header(&req.attempt_headers, "X-Project-Id", &c);
    assert_int_equal(c, 1);
    /* The fixed headers are left alone: Content-Type is signed but sent from req->headers only. */
    assert_int_equal(req.headers.count, 1);
    assert_non_null(strstr(second, "SignedHeaders=content-type;host;x-project-id;x-sdk-date,"));
    ma__request_free(&req);
    auth->vtable->destroy(auth);
}

static void aksk_security_token_is_sent_signed_and_secret(void **state)
{
    (void)state;
    int64_t now = DOC_MS;
    ma__clock clock = {zero_ms, fixed_epoch_ms, no_sleep, &now};
    ma__auth_context ctx = {&clock, NULL};
    ma__auth *auth = NULL;
    assert_int_equal(ma__aksk_auth_new(&alloc, DOC_AK, DOC_SK, "sts-token-value", PROJECT, &auth, NULL), MA_OK);
    test_endpoint te;
    ma__http_request req;
    build_vector_request(&vectors[2], &req, &te);
    assert_int_equal(auth->vtable->apply(auth, &ctx, &req, NULL), MA_OK);
    int token_seen = 0;
    for (size_t i = 0; i < req.attempt_headers.count; i++) {
        const ma__header *h = &req.attempt_headers.items[i];
        if (strcmp(h->name, "X-Security-Token") == 0) {
            token_seen = 1;
            assert_string_equal(h->value, "sts-token-value");
            assert_int_equal(h->secret, 1);
        }
        if (strcmp(h->name, "Authorization") == 0) {
            assert_int_equal(h->secret, 1);
            assert_non_null(strstr(h->value, "SignedHeaders=host;x-project-id;x-sdk-date;x-security-token,"));
        }
    }
    assert_true(token_seen);

    /* The same signature must come out of the bare signer given the same headers. */
    static const ma__sign_header h[] = {{"Host", "modelarts.eu-de.otc.t-systems.com"},
                                        {"X-Sdk-Date", DOC_DATE},
                                        {"X-Project-Id", PROJECT},
                                        {"X-Security-Token", "sts-token-value"}};
    ma__buf expect;
    sign(&req, DOC_AK, DOC_SK, DOC_DATE, h, 4, &expect);
    size_t c;
    assert_string_equal(header(&req.attempt_headers, "Authorization", &c), expect.data);
    ma__buf_free_secure(&expect);
    ma__request_free(&req);
    auth->vtable->destroy(auth);
}

static void aksk_secret_key_never_sent_and_redacted(void **state)
{
    (void)state;
    int64_t now = DOC_MS;
    ma__clock clock = {zero_ms, fixed_epoch_ms, no_sleep, &now};
    ma__auth_context ctx = {&clock, NULL};
    ma_credentials *cred = NULL;
    assert_int_equal(ma_credentials_new_aksk(&cred, DOC_AK, DOC_SK, "sts-token-value-123", &alloc, NULL), MA_OK);
    ma__auth *auth = NULL;
    assert_int_equal(ma__auth_new(&alloc, cred, PROJECT, &auth, NULL), MA_OK);
    ma_credentials_free(cred);

    test_endpoint te;
    ma__http_request req;
    build_vector_request(&vectors[0], &req, &te);
    assert_int_equal(auth->vtable->apply(auth, &ctx, &req, NULL), MA_OK);
    char signature[MA__SHA256_HEX_SIZE] = "";
    for (size_t i = 0; i < req.attempt_headers.count; i++) {
        const ma__header *h = &req.attempt_headers.items[i];
        assert_null(strstr(h->name, DOC_SK));
        assert_null(strstr(h->value, DOC_SK));
        if (strcmp(h->name, "Authorization") == 0)
            snprintf(signature, sizeof signature, "%s", h->value + strlen(h->value) - 64);
    }
    for (size_t i = 0; i < req.headers.count; i++)
        assert_null(strstr(req.headers.items[i].value, DOC_SK));
    assert_int_equal(strlen(signature), 64);

    ma_error err;
    ma_error_clear(&err);
    ma__error_set(&err, MA_ERR_UNAUTHORIZED, "gateway said: key %s token %s sig %s; cut %.20s", DOC_SK,
                  "sts-token-value-123", signature, DOC_SK);
    snprintf(err.service_code, sizeof err.service_code, "%s", DOC_SK);
    snprintf(err.request_id, sizeof err.request_id, "%.50s...", signature);
    ma__auth_redact_error(auth, &err);
    assert_null(strstr(err.message, DOC_SK));
    assert_null(strstr(err.message, "MFyfvK41"));
    assert_null(strstr(err.message, "sts-token-value-123"));
    assert_null(strstr(err.message, signature));
    assert_non_null(strstr(err.message, "gateway said: key *"));
    assert_null(strstr(err.service_code, "MFyf"));
    assert_null(strstr(err.request_id, "7be6"));
    assert_null(strstr(err.request_id, signature + 0));
    assert_int_equal(strspn(err.request_id, "*"), 50);
    /* The AK is not secret: it is in every Authorization header. */
    ma__request_free(&req);
    auth->vtable->destroy(auth);
}

/* Two attempts as the execute loop makes them, every freed block searched for the SK, token and signature. */
static void wipe_scenario(const char *token)
{
    static char signature[MA__SHA256_HEX_SIZE];
    counter.secrets[0] = DOC_SK;
    counter.secrets[1] = token;
    counter.secrets[2] = NULL;
    int64_t now = DOC_MS;
    ma__clock clock = {zero_ms, fixed_epoch_ms, no_sleep, &now};
    ma__auth_context ctx = {&clock, NULL};
    ma_credentials *cred = NULL;
    assert_int_equal(ma_credentials_new_aksk(&cred, DOC_AK, DOC_SK, token, &alloc, NULL), MA_OK);
    ma__auth *auth = NULL;
    assert_int_equal(ma__auth_new(&alloc, cred, PROJECT, &auth, NULL), MA_OK);
    ma_credentials_free(cred);
    test_endpoint te;
    ma__http_request req;
    build_vector_request(&vectors[0], &req, &te);
    assert_int_equal(auth->vtable->apply(auth, &ctx, &req, NULL), MA_OK);
    size_t c;
    const char *value = header(&req.attempt_headers, "Authorization", &c);
    snprintf(signature, sizeof signature, "%s", value + strlen(value) - 64);
    counter.secrets[2] = signature; /* the same clock gives the same signature again */
    ma__headers_clear(&req.attempt_headers);
    assert_int_equal(auth->vtable->apply(auth, &ctx, &req, NULL), MA_OK);
    value = header(&req.attempt_headers, "Authorization", &c);
    assert_string_equal(value + strlen(value) - 64, signature);
    ma__request_free(&req);
    auth->vtable->destroy(auth);
    assert_int_equal(counter.secrets_seen, 0);
    assert_int_equal(counter.live, 0);
}

static void aksk_secrets_are_wiped_before_memory_is_freed(void **state)
{
    (void)state;
    /* Token lengths that make the buffers grow at every point of the canonical request. */
    static char token[1400];
    for (size_t len = 1; len < sizeof token; len += 13) {
        for (size_t k = 0; k < len; k++)
            token[k] = (char)('a' + (k * 7 + len) % 26);
        token[len] = '\0';
        if (len < 8) /* a short token could match ordinary text */
            continue;
        wipe_scenario(token);
    }

    /* The inspector itself works: an unwiped copy is noticed. */
    counter.secrets[0] = DOC_SK;
    char *copy = ma__strdup(&alloc, DOC_SK);
    assert_non_null(copy);
    alloc.free(alloc.ctx, copy);
    assert_int_equal(counter.secrets_seen, 1);
}

static void credentials_new_aksk_validates(void **state)
{
    (void)state;
    ma_credentials *c = (ma_credentials *)&counter; /* must come back NULL */
    ma_error err;
    char long_ak[MA_AK_MAX_BYTES + 2];
    memset(long_ak, 'A', sizeof long_ak - 1);
    long_ak[sizeof long_ak - 1] = '\0';
    char long_sk[MA_SK_MAX_BYTES + 2];
    memset(long_sk, 's', sizeof long_sk - 1);
    long_sk[sizeof long_sk - 1] = '\0';

    assert_int_equal(ma_credentials_new_aksk(NULL, "ak", "sk", NULL, &alloc, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_credentials_new_aksk(&c, NULL, "sk", NULL, &alloc, &err), MA_ERR_INVALID_ARG);
    assert_null(c);
    assert_int_equal(ma_credentials_new_aksk(&c, "ak", NULL, NULL, &alloc, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_credentials_new_aksk(&c, "", "sk", NULL, &alloc, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_credentials_new_aksk(&c, "ak", "", NULL, &alloc, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_credentials_new_aksk(&c, "ak", "sk", "", &alloc, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_credentials_new_aksk(&c, long_ak, "sk", NULL, &alloc, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_credentials_new_aksk(&c, "ak", long_sk, NULL, &alloc, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_credentials_new_aksk(&c, "a k", "sk", NULL, &alloc, &err), MA_ERR_INVALID_ARG);
    assert_int_equal(ma_credentials_new_aksk(&c, "ak", "s\nk", NULL, &alloc, &err), MA_ERR_INVALID_ARG);
    assert_null(strstr(err.message, "s\nk"));
    assert_int_equal(ma_credentials_new_aksk(&c, "ak", "sk", "t\x80", &alloc, &err), MA_ERR_INVALID_ARG);
    assert_null(c);
    long_ak[MA_AK_MAX_BYTES] = '\0';
    long_sk[MA_SK_MAX_BYTES] = '\0';
    assert_int_equal(ma_credentials_new_aksk(&c, long_ak, long_sk, "tok", &alloc, &err), MA_OK);
    assert_int_equal(err.status, MA_OK);
    ma_credentials_free(c);
    ma_credentials_free(NULL);
}

/* ---- allocation failures ---------------------------------------------------------------------------- */

static ma_status sign_scenario(void)
{
    test_endpoint te;
    ma__http_request req;
    size_t fail_at = counter.fail_at;
    counter.fail_at = 0; /* the request itself is built without failures */
    build_vector_request(&vectors[0], &req, &te);
    add_param(&req, "empty", "");
    counter.fail_at = fail_at;
    ma__buf auth;
    ma__buf_init(&auth, &alloc);
    char sig[MA__SHA256_HEX_SIZE];
    ma__sign_input in = {DOC_AK, DOC_SK, strlen(DOC_SK), DOC_DATE, doc_headers, 3, NULL};
    ma_status st = ma__sign_request(&alloc, &req, &in, &auth, sig);
    if (st == MA_OK)
        assert_non_null(strstr(auth.data, "SignedHeaders=content-type;host;x-sdk-date"));
    else
        assert_int_equal(auth.len, 0);
    ma__buf_free_secure(&auth);
    counter.fail_at = 0;
    ma__request_free(&req);
    return st;
}

static ma_status aksk_scenario(void)
{
    int64_t now = DOC_MS;
    ma__clock clock = {zero_ms, fixed_epoch_ms, no_sleep, &now};
    ma__auth_context ctx = {&clock, NULL};
    ma_credentials *cred = NULL;
    ma__auth *auth = NULL;
    ma_error err;
    ma_status st = ma_credentials_new_aksk(&cred, DOC_AK, DOC_SK, "sts", &alloc, &err);
    if (st == MA_OK)
        st = ma__auth_new(&alloc, cred, PROJECT, &auth, &err);
    ma_credentials_free(cred);
    if (st != MA_OK)
        return st;
    size_t fail_at = counter.fail_at;
    counter.fail_at = 0;
    test_endpoint te;
    ma__http_request req;
    build_vector_request(&vectors[1], &req, &te);
    counter.fail_at = fail_at;
    st = auth->vtable->apply(auth, &ctx, &req, &err);
    counter.fail_at = 0;
    if (st != MA_OK)
        assert_null(strstr(err.message, DOC_SK));
    ma__request_free(&req);
    auth->vtable->destroy(auth);
    return st;
}

static void torture(ma_status (*scenario)(void), size_t min_allocations)
{
    /* Pass 1 counts; then fail each allocation in turn. Setup allocations are shielded by the scenario. */
    counter.calls = 0;
    counter.fail_at = 0;
    assert_int_equal(scenario(), MA_OK);
    size_t n = counter.calls;
    assert_true(n >= min_allocations);
    size_t nomem = 0;
    for (size_t i = 1; i <= n; i++) {
        counter.calls = 0;
        counter.fail_at = i;
        ma_status st = scenario();
        assert_true(st == MA_OK || st == MA_ERR_NOMEM);
        nomem += st == MA_ERR_NOMEM;
        assert_int_equal(counter.live, 0);
    }
    assert_true(nomem > 0);
}

static void sign_request_allocation_failures_return_nomem_and_leak_nothing(void **state)
{
    (void)state;
    torture(sign_scenario, 5);
}

static void aksk_apply_allocation_failures_return_nomem_and_leak_nothing(void **state)
{
    (void)state;
    torture(aksk_scenario, 10);
}

int main(void)
{
    /* Away from UTC, so a local-time conversion in the signer would show. */
    setenv("TZ", "Asia/Tokyo", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(sign_official_example_matches_every_step, reset_counter),
        cmocka_unit_test_setup(sign_go_test1_get, reset_counter),
        cmocka_unit_test_setup(sign_go_test2_post_hashes_the_body, reset_counter),
        cmocka_unit_test_setup(canonical_query_go_encoding_case, reset_counter),
        cmocka_unit_test_setup(sign_modelarts_vectors_a_b_c, reset_counter),
        cmocka_unit_test_setup(aksk_auth_reproduces_modelarts_vectors, reset_counter),
        cmocka_unit_test_setup(canonical_query_empty_value_keeps_equals_sign, reset_counter),
        cmocka_unit_test_setup(canonical_query_keys_keep_case_and_sort_by_byte, reset_counter),
        cmocka_unit_test_setup(canonical_query_sorts_raw_bytes_before_encoding, reset_counter),
        cmocka_unit_test_setup(aksk_signs_the_host_header_as_sent_with_port, reset_counter),
        cmocka_unit_test_setup(canonical_uri_has_trailing_slash_but_sent_url_does_not, reset_counter),
        cmocka_unit_test_setup(canonical_request_rejects_bad_headers, reset_counter),
        cmocka_unit_test_setup(format_sdk_date_is_utc_and_floors, reset_counter),
        cmocka_unit_test_setup(aksk_apply_twice_signs_each_attempt_afresh, reset_counter),
        cmocka_unit_test_setup(aksk_security_token_is_sent_signed_and_secret, reset_counter),
        cmocka_unit_test_setup(aksk_secret_key_never_sent_and_redacted, reset_counter),
        cmocka_unit_test_setup(aksk_secrets_are_wiped_before_memory_is_freed, reset_counter),
        cmocka_unit_test_setup(credentials_new_aksk_validates, reset_counter),
        cmocka_unit_test_setup(sign_request_allocation_failures_return_nomem_and_leak_nothing, reset_counter),
        cmocka_unit_test_setup(aksk_apply_allocation_failures_return_nomem_and_leak_nothing, reset_counter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
