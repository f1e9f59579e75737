/*
 * Every body under tests/data/json/ through the streaming decoder, whole and
 * in many chunk splits, and through the jansson reference decoder: the same
 * decision, the same message for schema errors, the same values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "json/classify.h"
#include "json/page_decoder.h"
#include "modelarts/modelarts.h"
#include "ref_decoder.h"
#include "test_alloc.h"
#include "unit_fixture.h"

#ifndef MA_TEST_JSON_DATA_DIR
#error "MA_TEST_JSON_DATA_DIR must name tests/data/json"
#endif

#define NOW_MS        INT64_C(1700000000000)
#define SYNTAX_PREFIX "response body is not valid JSON"

typedef struct body {
    char *data;
    size_t len;
} body;

static body read_input(const char *path)
{
    body b = {NULL, 0};
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    size_t cap = 4096;
    b.data = malloc(cap);
    assert_non_null(b.data);
    size_t n;
    while ((n = fread(b.data + b.len, 1, cap - b.len, f)) > 0) {
        b.len += n;
        if (b.len == cap) {
            cap *= 2;
            b.data = realloc(b.data, cap);
            assert_non_null(b.data);
        }
    }
    fclose(f);
    return b;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Case directories under MA_TEST_JSON_DATA_DIR/@p kind, sorted; returns their count. */
static size_t list_cases(const char *kind, char ***names)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", MA_TEST_JSON_DATA_DIR, kind);
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot open %s", dir);
    size_t count = 0, cap = 64;
    char **v = malloc(cap * sizeof *v);
    assert_non_null(v);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (count == cap) {
            cap *= 2;
            v = realloc(v, cap * sizeof *v);
            assert_non_null(v);
        }
        size_t len = strlen(e->d_name);
        v[count] = malloc(len + 1);
        assert_non_null(v[count]);
        memcpy(v[count], e->d_name, len + 1);
        count++;
    }
    closedir(d);
    qsort(v, count, sizeof *v, compare_names);
    *names = v;
    return count;
}

static void free_names(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

/* Streams @p b in chunks of the sizes @p next_size gives, then classifies and takes the list. */
typedef size_t (*chunk_fn)(void *ctx);

static ma_status stream_decode(const body *b, chunk_fn next_size, void *ctx, ma_job_list **out, ma_error *err)
{
    ma__http_response resp;
    unit_response_init(&resp, 200, UNIT_JSON_ONLY, "", 0);
    ma__page_decoder *d = ma__page_decoder_new(test_allocator());
    assert_non_null(d);
    ma_error_clear(err);
    *out = NULL;
    ma__page_decoder_begin(d, 200);
    size_t off = 0;
    while (off < b->len) {
        size_t n = next_size ? next_size(ctx) : b->len;
        if (n > b->len - off)
            n = b->len - off;
        ma__page_decoder_feed(d, b->data + off, n);
        off += n;
    }
    ma__service_error svc;
    ma__page_decoder_end(d, &svc);
    ma_status st = ma__classify_response(&resp, &svc, NOW_MS, err);
    if (st == MA_OK)
        st = ma__page_decoder_take_list(d, out, err);
    ma__page_decoder_free(d);
    ma__http_response_free(&resp);
    return st;
}

static void assert_same_lists(const char *what, const ma_job_list *a, const ma_job_list *b)
{
    if (ma_job_list_count(a) != ma_job_list_count(b))
        fail_msg("%s: %zu jobs, reference %zu", what, ma_job_list_count(a), ma_job_list_count(b));
    UNIT_CHECK(what, ma_job_list_total_count(a) == ma_job_list_total_count(b));
    UNIT_CHECK(what, ma_job_list_count_limit(a) == ma_job_list_count_limit(b));
    UNIT_CHECK(what, ma_job_list_quotas(a) == ma_job_list_quotas(b));
    for (size_t i = 0; i < ma_job_list_count(a); i++) {
        const ma_job *x = ma_job_list_at(a, i), *y = ma_job_list_at(b, i);
        UNIT_CHECK(what, x->job_id == y->job_id);
        UNIT_CHECK(what, x->version_id == y->version_id);
        UNIT_CHECK(what, (int64_t)x->status == (int64_t)y->status);
        UNIT_CHECK(what, x->create_time_ms == y->create_time_ms);
        UNIT_CHECK(what, x->duration_ms == y->duration_ms);
        UNIT_CHECK(what, x->version_count == y->version_count);
        UNIT_CHECK(what, x->job_name && strcmp(x->job_name, y->job_name) == 0);
        UNIT_CHECK(what, x->job_desc && strcmp(x->job_desc, y->job_desc) == 0);
        UNIT_CHECK(what, x->present == y->present);
    }
}

static size_t fixed_size(void *ctx)
{
    return *(size_t *)ctx;
}

static size_t random_size(void *ctx)
{
    uint64_t *s = ctx;
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return (size_t)(*s >> 33) % 61 + 1;
}

/* The whole-body outcome, which every split must repeat word for word (syntax errors included). */
static ma_error whole_err;

/* Checks one split against the reference outcome; @p split names it in messages. */
static void check_split(const char *name, const char *split, const body *b, ma_status ref_st, const ma_error *ref_err,
                        const ma_job_list *ref_list, chunk_fn fn, void *ctx)
{
    char what[256];
    snprintf(what, sizeof what, "%s (%s)", name, split);
    ma_job_list *list = NULL;
    ma_error err;
    ma_status st = stream_decode(b, fn, ctx, &list, &err);
    if (st != ref_st)
        fail_msg("%s: streaming %s \"%s\", reference %s \"%s\"", what, ma_status_name(st), err.message,
                 ma_status_name(ref_st), ref_err->message);
    if (st == MA_ERR_PROTOCOL) {
        int ref_syntax = strncmp(ref_err->message, SYNTAX_PREFIX, strlen(SYNTAX_PREFIX)) == 0;
        int syntax = strncmp(err.message, SYNTAX_PREFIX, strlen(SYNTAX_PREFIX)) == 0;
        if (ref_syntax != syntax || (!syntax && strcmp(err.message, ref_err->message) != 0))
            fail_msg("%s: streaming \"%s\", reference \"%s\"", what, err.message, ref_err->message);
    }
    if (st == MA_OK)
        assert_same_lists(what, list, ref_list);
    if (fn == NULL)
        whole_err = err;
    else if (strcmp(err.message, whole_err.message) != 0)
        fail_msg("%s: \"%s\", in one chunk \"%s\"", what, err.message, whole_err.message);
    ma_job_list_free(list);
}

static size_t run_kind(const char *kind, int valid_json)
{
    char **names;
    size_t count = list_cases(kind, &names);
    assert_true(count > 0);
    for (size_t i = 0; i < count; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s/%s/input.json", MA_TEST_JSON_DATA_DIR, kind, names[i]);
        body b = read_input(path);
        ma_job_list *ref_list = NULL;
        ma_error ref_err;
        ma_error_clear(&ref_err);
        ma_status ref_st = ref_decode_page(test_allocator(), 200, b.data, b.len, &ref_list, &ref_err);
        int ref_syntax = ref_st == MA_ERR_PROTOCOL &&
                         (strncmp(ref_err.message, SYNTAX_PREFIX, strlen(SYNTAX_PREFIX)) == 0 || b.len == 0);
        if (valid_json && ref_syntax)
            fail_msg("%s/%s: the reference rejects it as JSON: %s", kind, names[i], ref_err.message);
        if (!valid_json && ref_st == MA_OK)
            fail_msg("%s/%s: the reference accepts it", kind, names[i]);

        check_split(names[i], "one chunk", &b, ref_st, &ref_err, ref_list, NULL, NULL);
        static const size_t sizes[] = {1, 2, 3, 5, 7, 16, 64};
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            char split[32];
            snprintf(split, sizeof split, "%zu-byte chunks", sizes[k]);
            size_t n = sizes[k];
            check_split(names[i], split, &b, ref_st, &ref_err, ref_list, fixed_size, &n);
        }
        for (uint64_t seed = 1; seed <= 8; seed++) {
            char split[32];
            snprintf(split, sizeof split, "random chunks, seed %u", (unsigned)seed);
            uint64_t s = seed;
            check_split(names[i], split, &b, ref_st, &ref_err, ref_list, random_size, &s);
        }
        ma_job_list_free(ref_list);
        free(b.data);
    }
    free_names(names, count);
    return count;
}

static void differential_valid_json_same_results_in_every_split(void **state)
{
    (void)state;
    assert_true(run_kind("valid", 1) >= 20);
}

static void differential_invalid_bodies_rejected_alike_in_every_split(void **state)
{
    (void)state;
    assert_true(run_kind("invalid", 0) >= 80);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(differential_valid_json_same_results_in_every_split),
        cmocka_unit_test(differential_invalid_bodies_rejected_alike_in_every_split),
    };
    return cmocka_run_group_tests(tests, unit_global_setup, unit_global_teardown);
}
