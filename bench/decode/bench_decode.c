/*
 * Decoding a realistic 1000-job page (the fake server's data set and body
 * renderer) with the streaming decoder and with json_loadb + the jansson
 * reference decoder. Not a test: prints time per page, the ratio, and the
 * peak heap of one decode for each.
 *
 *   bench_decode [iterations] [stream|jansson|both|heap]
 *   bench_decode [iterations] wide FILE
 *   bench_decode [iterations] wire
 *
 * The second form decodes the body in FILE instead (bench/decode/run.sh writes
 * one with 160,000 unknown keys), to compare the cost of the duplicate-key check.
 *
 * The third form serves the page from the in-process fake server over
 * loopback and fetches it with one reused libcurl handle, alternately into a
 * sink that only counts the bytes (the wire floor: what libcurl alone spends)
 * and into the streaming decoder as the SDK does; it prints the client
 * thread's CPU for each. run.sh counts instructions of both under callgrind.
 */
#include <curl/curl.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fake_internal.h"
#include "fake_server.h"
#include "http/http.h"
#include "json/classify.h"
#include "json/page_decoder.h"
#include "modelarts/modelarts.h"
#include "ref_decoder.h"

enum { JOBS = 1000, CHUNK = 16384 /* libcurl's default write size */ };

#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

/* Heap accounting: live bytes and the high-water mark, through a size header. */
static size_t live_bytes, peak_bytes;

static void *count_malloc(size_t n)
{
    size_t *p = malloc(n + sizeof(max_align_t));
    if (!p)
        return NULL;
    *p = n;
    live_bytes += n;
    if (live_bytes > peak_bytes)
        peak_bytes = live_bytes;
    return (char *)p + sizeof(max_align_t);
}

static void count_free(void *ptr)
{
    if (!ptr)
        return;
    size_t *p = (size_t *)(void *)((char *)ptr - sizeof(max_align_t));
    live_bytes -= *p;
    free(p);
}

static void *count_realloc(void *ptr, size_t n)
{
    if (!ptr)
        return count_malloc(n);
    size_t *old = (size_t *)(void *)((char *)ptr - sizeof(max_align_t));
    size_t old_n = *old;
    size_t *p = realloc(old, n + sizeof(max_align_t));
    if (!p)
        return NULL;
    *p = n;
    live_bytes = live_bytes - old_n + n;
    if (live_bytes > peak_bytes)
        peak_bytes = live_bytes;
    return (char *)p + sizeof(max_align_t);
}

static void *a_alloc(void *ctx, size_t n)
{
    (void)ctx;
    return count_malloc(n);
}
static void *a_realloc(void *ctx, void *p, size_t n)
{
    (void)ctx;
    return count_realloc(p, n);
}
static void a_free(void *ctx, void *p)
{
    (void)ctx;
    count_free(p);
}

static const ma_allocator counting = {a_alloc, a_realloc, a_free, NULL};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The engine's sequence: begin at the first byte, feed every libcurl write, end, classify, take. */
NOINLINE size_t bench_stream_once(const ma_allocator *a, const ma__http_response *resp, const char *body, size_t len)
{
    ma__page_decoder *d = ma__page_decoder_new(a);
    if (!d)
        return 0;
    ma__page_decoder_begin(d, 200);
    for (size_t off = 0; off < len; off += CHUNK)
        ma__page_decoder_feed(d, body + off, len - off < CHUNK ? len - off : CHUNK);
    ma__service_error svc;
    ma__page_decoder_end(d, &svc);
    ma_job_list *list = NULL;
    size_t n = 0;
    if (ma__classify_response(resp, &svc, 0, NULL) == MA_OK && ma__page_decoder_take_list(d, &list, NULL) == MA_OK)
        n = ma_job_list_count(list);
    ma__page_decoder_free(d);
    ma_job_list_free(list);
    return n;
}

/* Today's path: the whole body buffered, json_loadb, then the tree read into a list. */
NOINLINE size_t bench_jansson_once(const ma_allocator *a, const char *body, size_t len)
{
    ma_job_list *list = NULL;
    size_t n = 0;
    if (ref_decode_page(a, 200, body, len, &list, NULL) == MA_OK)
        n = ma_job_list_count(list);
    ma_job_list_free(list);
    return n;
}

/* ---- the wire floor ---------------------------------------------------------------------------------- */

typedef struct wire_sink {
    size_t bytes;
    ma__page_decoder *d; /* NULL: only count */
} wire_sink;

static size_t wire_write(char *data, size_t size, size_t nmemb, void *user)
{
    wire_sink *s = user;
    size_t n = size * nmemb;
    s->bytes += n;
    if (s->d)
        ma__page_decoder_feed(s->d, data, n);
    return n;
}

static int wire_fetch(CURL *e, const char *url, wire_sink *s)
{
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, wire_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, s);
    return curl_easy_perform(e) == CURLE_OK ? 0 : -1;
}

/* The page into a counting sink: bytes received, 0 on failure. */
NOINLINE size_t bench_wire_once(CURL *e, const char *url)
{
    wire_sink s = {0, NULL};
    return wire_fetch(e, url, &s) == 0 ? s.bytes : 0;
}

/* The same transfer fed to the decoder as the engine does: jobs decoded, 0 on failure. */
NOINLINE size_t bench_wire_decode_once(CURL *e, const char *url, const ma_allocator *a, const ma__http_response *resp)
{
    ma__page_decoder *d = ma__page_decoder_new(a);
    if (!d)
        return 0;
    ma__page_decoder_begin(d, 200);
    wire_sink s = {0, d};
    size_t n = 0;
    if (wire_fetch(e, url, &s) == 0) {
        ma__service_error svc;
        ma__page_decoder_end(d, &svc);
        ma_job_list *list = NULL;
        if (ma__classify_response(resp, &svc, 0, NULL) == MA_OK && ma__page_decoder_take_list(d, &list, NULL) == MA_OK)
            n = ma_job_list_count(list);
        ma_job_list_free(list);
    }
    ma__page_decoder_free(d);
    return n;
}

static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Alternates the two fetches @p iterations times; the server's threads are not in the client thread's CPU. */
static int bench_wire(long iterations, const char *body, size_t len, const ma__http_response *resp)
{
    fake_server_options o;
    fake_server_options_init(&o);
    fake_server *srv = NULL;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || fake_server_start(&o, &srv) != 0) {
        fprintf(stderr, "cannot start the fake server\n");
        return 1;
    }
    char url[256];
    snprintf(url, sizeof url, "%s/v1/p/training-jobs?per_page=%d", fake_server_url(srv), JOBS);
    fake_response r = {200, "Content-Type: application/json", body, len, 0, -1, 0, 0};
    CURL *e = curl_easy_init();
    double t_wire = 0, t_sdk = 0;
    int rc = 0;
    /* One of each first, so that the connection is open before anything is timed. */
    for (long i = -1; i < iterations && rc == 0 && e; i++) {
        double t0 = thread_cpu_s();
        if (fake_server_push(srv, &r) != 0 || bench_wire_once(e, url) != len)
            rc = 2;
        double t1 = thread_cpu_s();
        if (rc == 0 &&
            (fake_server_push(srv, &r) != 0 || bench_wire_decode_once(e, url, ma_default_allocator(), resp) != JOBS))
            rc = 2;
        double t2 = thread_cpu_s();
        if (i >= 0) {
            t_wire += t1 - t0;
            t_sdk += t2 - t1;
        }
    }
    if (!e || rc != 0) {
        fprintf(stderr, "a fetch failed\n");
        rc = 2;
    } else {
        printf("wire floor (curl -> counting sink): %8.3f ms client CPU/page\n", t_wire * 1e3 / (double)iterations);
        printf("curl -> streaming decoder:          %8.3f ms client CPU/page\n", t_sdk * 1e3 / (double)iterations);
        printf("ratio to the wire floor:            %8.2fx\n", t_sdk / t_wire);
    }
    curl_easy_cleanup(e);
    fake_server_stop(srv);
    curl_global_cleanup();
    return rc;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 20, n;
    char *data = malloc(cap);
    *len = 0;
    while (data && (n = fread(data + *len, 1, cap - *len, f)) > 0) {
        *len += n;
        if (*len == cap) {
            char *bigger = realloc(data, cap *= 2);
            if (!bigger)
                free(data);
            data = bigger;
        }
    }
    fclose(f);
    return data;
}

/* Stream and jansson on one body (each must succeed); prints times and the ratio. */
static int bench_file(long iterations, const char *path)
{
    size_t len;
    char *body = read_file(path, &len);
    if (!body) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    ma__http_response resp;
    ma__http_response_init(&resp, ma_default_allocator());
    resp.status = 200;
    const ma_allocator *plain = ma_default_allocator();
    printf("body: %s, %zu bytes\n", path, len);
    size_t n_stream = bench_stream_once(plain, &resp, body, len);
    size_t n_jansson = bench_jansson_once(plain, body, len);
    int rc = 2;
    if (n_stream != n_jansson) {
        fprintf(stderr, "the decoders disagree: %zu and %zu jobs\n", n_stream, n_jansson);
        goto cleanup;
    }
    double t0 = now_s();
    for (long i = 0; i < iterations; i++)
        bench_stream_once(plain, &resp, body, len);
    double t_stream = (now_s() - t0) / (double)iterations;
    t0 = now_s();
    for (long i = 0; i < iterations; i++)
        bench_jansson_once(plain, body, len);
    double t_jansson = (now_s() - t0) / (double)iterations;
    printf("streaming decoder:        %10.3f ms/body\n", t_stream * 1e3);
    printf("json_loadb + reference:   %10.3f ms/body\n", t_jansson * 1e3);
    printf("ratio (stream / jansson): %10.2fx\n", t_stream / t_jansson);
    rc = 0;
cleanup:
    ma__http_response_free(&resp);
    free(body);
    return rc;
}

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? atol(argv[1]) : 200;
    const char *mode = argc > 2 ? argv[2] : "both";
    if (strcmp(mode, "wide") == 0)
        return argc > 3 ? bench_file(iterations, argv[3]) : 1;
    fake_dataset ds;
    fake_query q;
    fake_query_error qerr;
    /* Most of the data set is in the default workspace, so this fills one 1000-job page. */
    if (fake_dataset_generate(42, JOBS * 3 / 2, &ds) != 0 || fake_query_parse(NULL, &q, &qerr) != 0) {
        fprintf(stderr, "cannot build the data set\n");
        return 1;
    }
    q.per_page = JOBS;
    size_t len = 0;
    char *body = fake_body_list(&ds, &q, 1000, &len);
    if (!body) {
        fprintf(stderr, "cannot render the page\n");
        return 1;
    }
    ma__http_response resp;
    ma__http_response_init(&resp, ma_default_allocator());
    resp.status = 200;
    const ma_allocator *plain = ma_default_allocator();
    printf("page: %d jobs, %zu bytes (%.0f bytes/job)\n", JOBS, len, (double)len / JOBS);
    if (strcmp(mode, "wire") == 0) {
        int rc = bench_wire(iterations, body, len, &resp);
        ma__http_response_free(&resp);
        free(body);
        fake_query_free(&q);
        fake_dataset_free(&ds);
        return rc;
    }

    int both = strcmp(mode, "both") == 0;
    double t_stream = 0, t_jansson = 0;
    if (both || strcmp(mode, "stream") == 0) {
        double t0 = now_s();
        for (long i = 0; i < iterations; i++)
            if (bench_stream_once(plain, &resp, body, len) != JOBS)
                return 2;
        t_stream = (now_s() - t0) / (double)iterations;
        printf("streaming decoder:        %8.3f ms/page\n", t_stream * 1e3);
    }
    if (both || strcmp(mode, "jansson") == 0) {
        double t0 = now_s();
        for (long i = 0; i < iterations; i++)
            if (bench_jansson_once(plain, body, len) != JOBS)
                return 2;
        t_jansson = (now_s() - t0) / (double)iterations;
        printf("json_loadb + reference:   %8.3f ms/page\n", t_jansson * 1e3);
    }
    if (both)
        printf("ratio (jansson / stream): %8.2fx\n", t_jansson / t_stream);
    if (both || strcmp(mode, "heap") == 0) {
        live_bytes = peak_bytes = 0;
        if (bench_stream_once(&counting, &resp, body, len) != JOBS)
            return 2;
        size_t stream_peak = peak_bytes;
        json_set_alloc_funcs(count_malloc, count_free);
        live_bytes = peak_bytes = 0;
        if (bench_jansson_once(&counting, body, len) != JOBS)
            return 2;
        json_set_alloc_funcs(malloc, free);
        /* Today's path also holds the whole body in a buffer while parsing. */
        size_t jansson_peak = peak_bytes + len + 1;
        printf("peak heap, streaming:     %8zu bytes (%.0f bytes/job; no body buffer)\n", stream_peak,
               (double)stream_peak / JOBS);
        printf("peak heap, jansson:       %8zu bytes (%.0f bytes/job, with the %zu-byte body buffer)\n", jansson_peak,
               (double)jansson_peak / JOBS, len + 1);
    }
    ma__http_response_free(&resp);
    free(body);
    fake_query_free(&q);
    fake_dataset_free(&ds);
    return 0;
}
