/*
 * Allocation failures inside the streaming decoder: the N-th allocation (and
 * only that one) fails, for every N until a run succeeds. Each failing run
 * must end in MA_ERR_NOMEM and leave no block behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "json/classify.h"
#include "json/page_decoder.h"
#include "modelarts/modelarts.h"
#include "unit_fixture.h"

#define NOW_MS INT64_C(1700000000000)

/* Counts allocations and live blocks; fails exactly the fail_at-th allocation (1-based, 0 = never). */
typedef struct counting {
    size_t calls;
    size_t fail_at;
    long live;
} counting;

static void *c_alloc(void *ctx, size_t size)
{
    counting *c = ctx;
    if (++c->calls == c->fail_at)
        return NULL;
    void *p = malloc(size);
    if (p)
        c->live++;
    return p;
}

static void *c_realloc(void *ctx, void *ptr, size_t size)
{
    counting *c = ctx;
    if (++c->calls == c->fail_at)
        return NULL;
    void *p = realloc(ptr, size);
    if (p && !ptr)
        c->live++;
    return p;
}

static void c_free(void *ctx, void *ptr)
{
    counting *c = ctx;
    if (ptr) {
        c->live--;
        free(ptr);
    }
}

/* new + begin + feed in @p chunk-byte pieces + end + classify + take_list. */
static ma_status decode(const ma_allocator *a, int status, const char *body, size_t chunk, size_t *jobs, ma_error *err)
{
    ma__http_response resp;
    unit_response_init(&resp, status, UNIT_JSON_ONLY, "", 0);
    ma_error_clear(err);
    ma_status st;
    ma__page_decoder *d = ma__page_decoder_new(a);
    if (!d) {
        st = MA_ERR_NOMEM;
        goto done;
    }
    ma__page_decoder_begin(d, status);
    size_t len = strlen(body);
    for (size_t off = 0; off < len; off += chunk)
        ma__page_decoder_feed(d, body + off, len - off < chunk ? len - off : chunk);
    ma__service_error svc;
    ma__page_decoder_end(d, &svc);
    st = ma__classify_response(&resp, &svc, NOW_MS, err);
    if (st == MA_OK) {
        ma_job_list *list = NULL;
        st = ma__page_decoder_take_list(d, &list, err);
        if (st == MA_OK) {
            *jobs = ma_job_list_count(list);
            ma_job_list_free(list);
        } else {
            assert_null(list);
        }
    }
    ma__page_decoder_free(d);
done:
    ma__http_response_free(&resp);
    return st;
}

/* Fails each allocation in turn; returns how many runs failed before one succeeded. */
static size_t torture(const char *what, int status, const char *body, size_t chunk, ma_status expected,
                      size_t expected_jobs)
{
    for (size_t n = 1; n < 100000; n++) {
        counting c = {0, n, 0};
        const ma_allocator a = {c_alloc, c_realloc, c_free, &c};
        size_t jobs = 0;
        ma_error err;
        ma_status st = decode(&a, status, body, chunk, &jobs, &err);
        if (c.live != 0)
            fail_msg("%s: allocation %zu failing leaked %ld block(s)", what, n, c.live);
        if (c.calls < n) { /* every allocation succeeded */
            if (st != expected || (st == MA_OK && jobs != expected_jobs))
                fail_msg("%s: got %s with %zu jobs, expected %s with %zu", what, ma_status_name(st), jobs,
                         ma_status_name(expected), expected_jobs);
            return n - 1;
        }
        if (st != MA_ERR_NOMEM)
            fail_msg("%s: allocation %zu failing gave %s \"%s\"", what, n, ma_status_name(st), err.message);
    }
    fail_msg("%s: never succeeded", what);
    return 0;
}

/* A page of @p count jobs with escapes, unknown members and long strings, so every buffer grows. */
static char *page_body(size_t count)
{
    size_t cap = 1024 + count * 1024, len = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    len += (size_t)snprintf(s + len, cap - len, "{\"is_success\": true, \"job_total_count\": %zu, \"jobs\": [", count);
    for (size_t i = 0; i < count; i++) {
        len += (size_t)snprintf(s + len, cap - len,
                                "%s{\"job_id\": %zu, \"job_name\": \"job-%zu \\u8bad\\ud83d\\ude80 \\\"q\\\"\","
                                " \"version_id\": 1, \"status\": %zu, \"create_time\": 1524189990635,"
                                " \"tags\": {\"k%zu\": [1, 2.5, {\"x\": null}], \"another_key_%zu\": true},"
                                " \"job_desc\": \"%0*zu\", \"version_count\": 2}",
                                i ? ", " : "", i, i, i % 30, i, i, (int)(i % 7) * 40 + 1, i);
    }
    len += (size_t)snprintf(s + len, cap - len, "], \"trailer\": {\"a\": 1, \"b\": 2}}");
    assert_true(len < cap);
    return s;
}

static void page_decoder_each_allocation_failing_nomem_without_leak(void **state)
{
    (void)state;
    char *body = page_body(40);
    static const size_t chunks[] = {1, 7, 4096, 1 << 20};
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        char what[64];
        snprintf(what, sizeof what, "40 jobs in %zu-byte chunks", chunks[i]);
        assert_true(torture(what, 200, body, chunks[i], MA_OK, 40) >= 3);
    }
    free(body);
    /* 200 unknown keys in one object: the key array and the duplicate-key table grow several times. */
    char wide[8192];
    size_t len = (size_t)snprintf(wide, sizeof wide, "{\"is_success\": true, \"job_total_count\": 0, \"jobs\": []");
    for (size_t k = 0; k < 200; k++)
        len += (size_t)snprintf(wide + len, sizeof wide - len, ", \"key%zu\": %zu", k, k);
    snprintf(wide + len, sizeof wide - len, "}");
    assert_true(torture("200 unknown keys", 200, wide, 64, MA_OK, 0) >= 8);
    torture("sample", 200, UNIT_SAMPLE_BODY, 5, MA_OK, 1);
    torture("empty page", 200, "{\"is_success\": true, \"job_total_count\": 0, \"jobs\": []}", 3, MA_OK, 0);
}

static void page_decoder_error_bodies_allocate_only_the_decoder(void **state)
{
    (void)state;
    static const char gateway[] = "{\"error_code\": \"APIG.0301\", \"error_msg\": \"denied\", \"request_id\": \"r\","
                                  " \"x\": {\"y\": [1, 2, {\"z\": \"w\"}]}, \"x\": 1}";
    assert_int_equal(torture("401 gateway body", 401, gateway, 3, MA_ERR_UNAUTHORIZED, 0), 1);
    assert_int_equal(torture("502 html", 502, "<html>Bad Gateway</html>", 4, MA_ERR_SERVER, 0), 1);
    /* A 2xx body is decoded as a page, so split keys use the scratch buffer. */
    assert_true(torture("200 is_success false", 200, "{\"is_success\": false, \"error_message\": \"m\"}", 2,
                        MA_ERR_SERVICE, 0) >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(page_decoder_each_allocation_failing_nomem_without_leak),
        cmocka_unit_test(page_decoder_error_bodies_allocate_only_the_decoder),
    };
    return cmocka_run_group_tests(tests, unit_global_setup, unit_global_teardown);
}
