/*
 * One client run of the walk benchmark: lists every job of the fake server
 * in one of several ways and prints a checksum, the job count and the heap
 * held by the result. The driver (walk_driver.c) runs it as a child process
 * and measures its CPU time, wall time and peak RSS.
 *
 *   walk_client MODE ENDPOINT PROJECT PER_PAGE [CONCURRENCY]
 *   MODE: wire | floor | list-all | iter | parallel
 * The token comes from MODELARTS_TOKEN.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "modelarts/modelarts.h"

/* Folds every field of a job into the checksum, so no mode can skip decoding one. */
static uint64_t fold(uint64_t h, int64_t id, int64_t version, int64_t status, int64_t created, int64_t duration,
                     int64_t versions, const char *name, const char *desc)
{
    const int64_t v[] = {id, version, status, created, duration, versions};
    for (size_t i = 0; i < 6; i++)
        h = (h ^ (uint64_t)v[i]) * 1099511628211ULL;
    h = (h ^ strlen(name)) * 1099511628211ULL;
    h = (h ^ strlen(desc)) * 1099511628211ULL;
    return h;
}

/* Heap held through the SDK's allocator: a size header in front of every block. */
static size_t heap_now, heap_peak;

static void *count_malloc(void *ctx, size_t n)
{
    (void)ctx;
    size_t *p = malloc(n + sizeof(size_t) * 2);
    if (!p)
        return NULL;
    p[0] = n;
    heap_now += n;
    if (heap_now > heap_peak)
        heap_peak = heap_now;
    return p + 2;
}

static void count_free(void *ctx, void *ptr)
{
    (void)ctx;
    if (!ptr)
        return;
    size_t *p = (size_t *)ptr - 2;
    heap_now -= p[0];
    free(p);
}

static void *count_realloc(void *ctx, void *ptr, size_t n)
{
    if (!ptr)
        return count_malloc(ctx, n);
    size_t *p = (size_t *)ptr - 2;
    size_t old = p[0];
    size_t *q = realloc(p, n + sizeof(size_t) * 2);
    if (!q)
        return NULL;
    q[0] = n;
    heap_now = heap_now - old + n;
    if (heap_now > heap_peak)
        heap_peak = heap_now;
    return q + 2;
}

/* ---- the floor: one reused easy handle, json_loadb per page ----------------------------------------- */

typedef struct body {
    char *data;
    size_t len, cap;
} body;

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
    body *b = user;
    size_t n = size * nmemb;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 65536;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p)
            return 0;
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    return n;
}

static int64_t int_field(const json_t *o, const char *k)
{
    return (int64_t)json_integer_value(json_object_get(o, k));
}

static const char *str_field(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static int run_floor(const char *endpoint, const char *project, int per_page, const char *token, uint64_t *sum,
                     size_t *jobs)
{
    CURL *e = curl_easy_init();
    char header[8192];
    snprintf(header, sizeof header, "X-Auth-Token: %s", token);
    struct curl_slist *headers = curl_slist_append(NULL, header);
    body b = {NULL, 0, 0};
    for (int page = 1;; page++) {
        char url[2048];
        snprintf(url, sizeof url, "%s/v1/%s/training-jobs?per_page=%d&page=%d", endpoint, project, per_page, page);
        b.len = 0;
        curl_easy_setopt(e, CURLOPT_URL, url);
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
        if (curl_easy_perform(e) != CURLE_OK)
            return 1;
        json_error_t jerr;
        json_t *doc = json_loadb(b.data, b.len, 0, &jerr);
        if (!doc)
            return 1;
        const json_t *list = json_object_get(doc, "jobs");
        size_t n = json_array_size(list);
        for (size_t i = 0; i < n; i++) {
            const json_t *j = json_array_get(list, i);
            *sum = fold(*sum, int_field(j, "job_id"), int_field(j, "version_id"), int_field(j, "status"),
                        int_field(j, "create_time"), int_field(j, "duration"), int_field(j, "version_count"),
                        str_field(j, "job_name"), str_field(j, "job_desc"));
        }
        *jobs += n;
        int64_t total = int_field(doc, "job_total_count");
        json_decref(doc);
        if (n == 0 || (int64_t)page * per_page >= total)
            break;
    }
    free(b.data);
    curl_slist_free_all(headers);
    curl_easy_cleanup(e);
    return 0;
}

/* ---- the wire floor: the same requests, the bytes only counted ---------------------------------------- */

/*
 * What libcurl alone spends moving the pages: the floor's requests on one
 * reused handle, into a sink that counts the bytes and keeps the first few
 * of page 1 to read job_total_count (so it knows when to stop, as the floor
 * does). No copy, no parse: every client CPU figure is read against this.
 */
typedef struct counting_sink {
    size_t bytes;
    char head[256];
    size_t head_len;
} counting_sink;

static size_t on_count(char *data, size_t size, size_t nmemb, void *user)
{
    counting_sink *s = user;
    size_t n = size * nmemb;
    if (s->head_len < sizeof s->head - 1) {
        size_t k = sizeof s->head - 1 - s->head_len;
        if (k > n)
            k = n;
        memcpy(s->head + s->head_len, data, k);
        s->head_len += k;
        s->head[s->head_len] = '\0';
    }
    s->bytes += n;
    return n;
}

static int run_wire(const char *endpoint, const char *project, int per_page, const char *token, size_t *jobs,
                    size_t *bytes)
{
    CURL *e = curl_easy_init();
    char header[8192];
    snprintf(header, sizeof header, "X-Auth-Token: %s", token);
    struct curl_slist *headers = curl_slist_append(NULL, header);
    counting_sink sink;
    memset(&sink, 0, sizeof sink);
    long long total = -1;
    int rc = 0;
    for (int page = 1;; page++) {
        char url[2048];
        snprintf(url, sizeof url, "%s/v1/%s/training-jobs?per_page=%d&page=%d", endpoint, project, per_page, page);
        curl_easy_setopt(e, CURLOPT_URL, url);
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_count);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, &sink);
        if (curl_easy_perform(e) != CURLE_OK) {
            rc = 1;
            break;
        }
        if (total < 0) {
            const char *t = strstr(sink.head, "\"job_total_count\":");
            if (!t) {
                rc = 1;
                break;
            }
            total = strtoll(t + strlen("\"job_total_count\":"), NULL, 10);
        }
        if ((long long)page * per_page >= total)
            break;
    }
    *jobs = total > 0 ? (size_t)total : 0;
    *bytes = sink.bytes;
    curl_slist_free_all(headers);
    curl_easy_cleanup(e);
    return rc;
}

/* ---- the SDK ------------------------------------------------------------------------------------------ */

static uint64_t fold_job(uint64_t h, const ma_job *j)
{
    return fold(h, j->job_id, j->version_id, j->status, j->create_time_ms, j->duration_ms, j->version_count,
                j->job_name, j->job_desc);
}

static int run_sdk(const char *mode, const char *endpoint, const char *project, int per_page, unsigned concurrency,
                   const char *token, uint64_t *sum, size_t *jobs, size_t *held)
{
    static const ma_allocator counting = {count_malloc, count_realloc, count_free, NULL};
    ma_error err;
    ma_credentials *cred = NULL;
    ma_client *client = NULL;
    ma_job_query *q = NULL;
    if (ma_global_init() != MA_OK || ma_credentials_new_token(&cred, token, &counting, &err) != MA_OK)
        return 1;
    ma_client_options o = MA_CLIENT_OPTIONS_INIT;
    o.endpoint = endpoint;
    o.project_id = project;
    o.credentials = cred;
    o.allocator = &counting;
    if (ma_client_new(&client, &o, &err) != MA_OK || ma_job_query_new(&q, &counting, &err) != MA_OK ||
        ma_job_query_set_per_page(q, per_page, &err) != MA_OK) {
        fprintf(stderr, "walk_client: %s\n", err.message);
        return 1;
    }
    ma_walk_options w = MA_WALK_OPTIONS_INIT;
    w.concurrency = strcmp(mode, "parallel") == 0 ? concurrency : 1;
    ma_status st;
    if (strcmp(mode, "process-floor") == 0) {
        /* The libraries loaded and one call: the least any client built on them holds. */
        ma_job_list *one = NULL;
        st = ma_list_training_jobs(client, q, &one, &err);
        *jobs = ma_job_list_count(one);
        ma_job_list_free(one);
    } else if (strcmp(mode, "list-all") == 0) {
        ma_job_list *all = NULL;
        size_t before = heap_now;
        st = ma_list_all_training_jobs(client, q, &w, &all, &err);
        *held = heap_now - before;
        for (size_t i = 0; i < ma_job_list_count(all); i++)
            *sum = fold_job(*sum, ma_job_list_at(all, i));
        *jobs = ma_job_list_count(all);
        ma_job_list_free(all);
    } else {
        ma_job_iter *it = NULL;
        const ma_job *job = NULL;
        st = ma_job_iter_new(&it, client, q, &w, &err);
        while (st == MA_OK && (st = ma_job_iter_next(it, &job, &err)) == MA_OK && job) {
            *sum = fold_job(*sum, job);
            (*jobs)++;
        }
        ma_job_iter_free(it);
    }
    if (st != MA_OK)
        fprintf(stderr, "walk_client: %s: %s\n", ma_status_name(st), err.message);
    ma_job_query_free(q);
    ma_client_free(client);
    ma_credentials_free(cred);
    ma_global_cleanup();
    return st != MA_OK;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: walk_client wire|floor|process-floor|list-all|iter|parallel ENDPOINT PROJECT PER_PAGE "
                        "[CONCURRENCY]\n");
        return 2;
    }
    const char *token = getenv("MODELARTS_TOKEN");
    if (!token)
        token = "";
    int per_page = atoi(argv[4]);
    unsigned concurrency = argc > 5 ? (unsigned)atoi(argv[5]) : 4;
    uint64_t sum = 14695981039346656037ULL;
    size_t jobs = 0, held = 0;
    int rc;
    if (strcmp(argv[1], "wire") == 0) {
        size_t bytes = 0;
        curl_global_init(CURL_GLOBAL_DEFAULT);
        rc = run_wire(argv[2], argv[3], per_page, token, &jobs, &bytes);
        curl_global_cleanup();
        printf("bytes=%zu ", bytes);
    } else if (strcmp(argv[1], "floor") == 0) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        rc = run_floor(argv[2], argv[3], per_page, token, &sum, &jobs);
        curl_global_cleanup();
    } else {
        rc = run_sdk(argv[1], argv[2], argv[3], per_page, concurrency, token, &sum, &jobs, &held);
    }
    printf("jobs=%zu checksum=%016llx held_bytes=%zu\n", jobs, (unsigned long long)sum, held);
    return rc;
}
