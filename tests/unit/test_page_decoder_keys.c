/*
 * The duplicate-key check of the streaming decoder on objects with many keys:
 * its work (key comparisons, counted by the decoder) must grow linearly with
 * the number of keys, and it must still find every duplicate, whichever level
 * it is on and however many keys came between.
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
#include "util/error.h"
#include "json/classify.h"
#include "json/page_decoder.h"
#include "modelarts/modelarts.h"
#include "unit_fixture.h"

#define NOW_MS        INT64_C(1700000000000)
#define PAGE_START    "{\"is_success\": true, \"job_total_count\": 0, \"jobs\": []"
#define SYNTAX_PREFIX "response body is not valid JSON"

typedef struct text {
    char *data;
    size_t len, cap;
} text;

MA__PRINTF(2, 3)
static void put(text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->data ? t->data + t->len : NULL, t->data ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        assert_true(n >= 0);
        if (t->data && (size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        t->cap = t->cap ? t->cap * 2 : 4096;
        t->data = realloc(t->data, t->cap);
        assert_non_null(t->data);
    }
}

/* Appends @p n members "<prefix><i>": i to the open object, each preceded by a comma. */
static void put_keys(text *t, const char *prefix, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put(t, ", \"%s%zu\": %zu", prefix, i, i);
}

typedef struct outcome {
    ma_status status;
    size_t probes;
    char message[MA_ERROR_MESSAGE_SIZE];
} outcome;

/* Decodes @p t in chunks of @p chunk bytes (0: one chunk). */
static outcome decode(const text *t, size_t chunk)
{
    outcome o;
    ma__http_response resp;
    unit_response_init(&resp, 200, UNIT_JSON_ONLY, "", 0);
    ma__page_decoder *d = ma__page_decoder_new(test_allocator());
    assert_non_null(d);
    ma__page_decoder_begin(d, 200);
    for (size_t off = 0; off < t->len;) {
        size_t n = chunk && chunk < t->len - off ? chunk : t->len - off;
        ma__page_decoder_feed(d, t->data + off, n);
        off += n;
    }
    ma__service_error svc;
    ma__page_decoder_end(d, &svc);
    ma_error err;
    ma_error_clear(&err);
    ma_job_list *list = NULL;
    o.status = ma__classify_response(&resp, &svc, NOW_MS, &err);
    if (o.status == MA_OK)
        o.status = ma__page_decoder_take_list(d, &list, &err);
    o.probes = ma__page_decoder_key_probes(d);
    snprintf(o.message, sizeof o.message, "%s", err.message);
    ma_job_list_free(list);
    ma__page_decoder_free(d);
    ma__http_response_free(&resp);
    return o;
}

/* Top level and a nested object each with @p n unknown keys. */
static outcome decode_wide(size_t n)
{
    text t = {0};
    put(&t, "%s", PAGE_START);
    put_keys(&t, "top", n);
    put(&t, ", \"nested\": {\"first\": 0");
    put_keys(&t, "k", n);
    put(&t, "}}");
    outcome o = decode(&t, 0);
    free(t.data);
    return o;
}

static void duplicate_key_check_work_grows_linearly(void **state)
{
    (void)state;
    enum { N = 2000 };
    outcome small = decode_wide(N), large = decode_wide(4 * N);
    assert_int_equal(small.status, MA_OK);
    assert_int_equal(large.status, MA_OK);
    /* 4x the keys: about 4x the comparisons; a scan of the earlier keys makes 16x. */
    if (large.probes > 6 * small.probes)
        fail_msg("%zu keys: %zu comparisons; %zu keys: %zu", (size_t)(2 * N), small.probes, (size_t)(8 * N),
                 large.probes);
    /* A few comparisons per key, not a few per pair of keys. */
    if (large.probes > 4 * (8 * (size_t)N))
        fail_msg("%zu comparisons for %zu keys", large.probes, (size_t)(8 * N));
}

static void assert_duplicate(const char *what, const text *t, const char *key)
{
    static const size_t chunks[] = {0, 1, 7, 4096};
    char expected[96];
    snprintf(expected, sizeof expected, "duplicate object key '%s'", key);
    for (size_t i = 0; i < ARRAY_LEN(chunks); i++) {
        outcome o = decode(t, chunks[i]);
        if (o.status != MA_ERR_PROTOCOL || strncmp(o.message, SYNTAX_PREFIX, strlen(SYNTAX_PREFIX)) != 0 ||
            !strstr(o.message, expected))
            fail_msg("%s (chunk %zu): %s \"%s\"", what, chunks[i], ma_status_name(o.status), o.message);
    }
}

static void assert_accepted(const char *what, const text *t)
{
    static const size_t chunks[] = {0, 1, 7, 4096};
    for (size_t i = 0; i < ARRAY_LEN(chunks); i++) {
        outcome o = decode(t, chunks[i]);
        if (o.status != MA_OK)
            fail_msg("%s (chunk %zu): %s \"%s\"", what, chunks[i], ma_status_name(o.status), o.message);
    }
}

static void duplicate_key_found_among_many_keys_at_every_level(void **state)
{
    (void)state;
    text t = {0};

    /* The last key repeats the first of a wide object. */
    put(&t, "%s, \"x\": {\"k0\": 0", PAGE_START);
    put_keys(&t, "a", 3000);
    put(&t, ", \"k0\": 1}}");
    assert_duplicate("nested, first and last", &t, "k0");

    /* A top-level key repeated after a wide nested object came and went. */
    t.len = 0;
    put(&t, "%s, \"u\": 1, \"x\": {\"first\": 0", PAGE_START);
    put_keys(&t, "u", 3000);
    put(&t, "}");
    put_keys(&t, "v", 500);
    put(&t, ", \"u\": 2}");
    assert_duplicate("top level around a nested object", &t, "u");

    /* Inside a job, among unknown keys. */
    t.len = 0;
    put(&t, "{\"is_success\": true, \"job_total_count\": 1, \"jobs\": [{\"job_id\": 1, \"job_name\": \"n\","
            " \"version_id\": 2, \"status\": 3, \"create_time\": 4");
    put_keys(&t, "extra", 1000);
    put(&t, ", \"extra999\": 0}]}");
    assert_duplicate("job", &t, "extra999");

    /* Three levels deep, the same key as its parent and grandparent: not a duplicate there. */
    t.len = 0;
    put(&t, "%s, \"d\": {\"k\": 0, \"d\": {\"k\": 0, \"d\": {\"k\": 0", PAGE_START);
    put_keys(&t, "w", 1000);
    put(&t, ", \"w7\": 0}}}}");
    assert_duplicate("third level", &t, "w7");

    free(t.data);
}

static void same_keys_in_sibling_and_nested_objects_accepted(void **state)
{
    (void)state;
    text t = {0};
    /* Siblings with the same wide key set, an array of them, and nesting that reuses names. */
    put(&t, "%s", PAGE_START);
    for (int i = 0; i < 3; i++) {
        put(&t, ", \"s%d\": {\"k\": 0", i);
        put_keys(&t, "k", 700);
        put(&t, ", \"inner\": {\"k\": 0");
        put_keys(&t, "k", 300);
        put(&t, "}}");
    }
    put(&t, ", \"arr\": [");
    for (int i = 0; i < 4; i++) {
        put(&t, "%s{\"k\": 0", i ? ", " : "");
        put_keys(&t, "k", 200);
        put(&t, "}");
    }
    put(&t, "], \"k\": 0");
    put_keys(&t, "k", 100);
    put(&t, ", \"\": 1, \"e\": {\"\": 1}}");
    assert_accepted("siblings", &t);
    free(t.data);
}

static void restart_inside_wide_object_forgets_its_keys(void **state)
{
    (void)state;
    text t = {0};
    put(&t, "%s, \"x\": {\"k\": 0", PAGE_START);
    put_keys(&t, "k", 500);
    put(&t, "}}");
    ma__page_decoder *d = ma__page_decoder_new(test_allocator());
    assert_non_null(d);
    /* A first attempt cut off inside the object, then the whole body again (a retry). */
    ma__page_decoder_begin(d, 200);
    ma__page_decoder_feed(d, t.data, t.len - 10);
    ma__page_decoder_begin(d, 200);
    ma__page_decoder_feed(d, t.data, t.len);
    ma__service_error svc;
    ma__page_decoder_end(d, &svc);
    ma_job_list *list = NULL;
    ma_error err;
    ma_error_clear(&err);
    if (ma__page_decoder_take_list(d, &list, &err) != MA_OK)
        fail_msg("%s", err.message);
    ma_job_list_free(list);
    ma__page_decoder_free(d);
    free(t.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(duplicate_key_check_work_grows_linearly),
        cmocka_unit_test(duplicate_key_found_among_many_keys_at_every_level),
        cmocka_unit_test(same_keys_in_sibling_and_nested_objects_accepted),
        cmocka_unit_test(restart_inside_wide_object_forgets_its_keys),
    };
    return cmocka_run_group_tests(tests, unit_global_setup, unit_global_teardown);
}
