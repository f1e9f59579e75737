/*
 * The fake server's standing faults, seen through plain libcurl: which
 * requests the counting rules pick, what each kind sends, that faults set in
 * the options apply from the start, that a dripping reply stops once its
 * client is gone, API Gateway's throttling (a token bucket per client) and
 * an outage, and the ma-fake-server flags.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep */

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>

#include "fake_fault.h"
#include "fake_server.h"
#include "fake_throttle.h"

#define LIST "/v1/p/training-jobs?per_page=5"

typedef struct reply {
    CURLcode code;
    long status;
    char *body;
    size_t len;
    char request_id[64];
    char content_type[64];
    char retry_after[64];
} reply;

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
    reply *r = user;
    size_t n = size * nmemb;
    char *grown = realloc(r->body, r->len + n + 1);
    if (grown == NULL)
        return 0;
    memcpy(grown + r->len, data, n);
    r->body = grown;
    r->len += n;
    r->body[r->len] = '\0';
    return n;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *user)
{
    reply *r = user;
    size_t n = size * nmemb;
    static const char RID[] = "X-Request-Id: ";
    static const char TYPE[] = "Content-Type: ";
    static const char RETRY[] = "Retry-After: ";
    char *dst = NULL;
    size_t skip = 0;
    if (n > sizeof RID - 1 && strncmp(data, RID, sizeof RID - 1) == 0) {
        dst = r->request_id;
        skip = sizeof RID - 1;
    } else if (n > sizeof TYPE - 1 && strncmp(data, TYPE, sizeof TYPE - 1) == 0) {
        dst = r->content_type;
        skip = sizeof TYPE - 1;
    } else if (n > sizeof RETRY - 1 && strncmp(data, RETRY, sizeof RETRY - 1) == 0) {
        dst = r->retry_after;
        skip = sizeof RETRY - 1;
    }
    if (dst != NULL) {
        size_t v = n - skip;
        while (v > 0 && (data[skip + v - 1] == '\r' || data[skip + v - 1] == '\n'))
            v--;
        snprintf(dst, 64, "%.*s", (int)v, data + skip);
    }
    return n;
}

/* One GET of @p target with one more request @p header (NULL = none). */
static reply get_with(const fake_server *srv, const char *target, const char *header)
{
    reply r;
    memset(&r, 0, sizeof r);
    char url[512];
    snprintf(url, sizeof url, "%s%s", fake_server_url(srv), target);
    CURL *h = curl_easy_init();
    assert_non_null(h);
    struct curl_slist *headers = header != NULL ? curl_slist_append(NULL, header) : NULL;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &r);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    r.code = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
    curl_easy_cleanup(h);
    curl_slist_free_all(headers);
    return r;
}

/* One GET of @p target; @p decode asks for (and decodes) gzip; @p timeout_ms 0 = 5 s. */
static reply get(const fake_server *srv, const char *target, int decode, long timeout_ms)
{
    reply r;
    memset(&r, 0, sizeof r);
    char url[512];
    snprintf(url, sizeof url, "%s%s", fake_server_url(srv), target);
    CURL *h = curl_easy_init();
    assert_non_null(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &r);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms ? timeout_ms : 5000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (decode)
        curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    r.code = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
    curl_easy_cleanup(h);
    return r;
}

static void reply_free(reply *r)
{
    free(r->body);
    r->body = NULL;
}

static fake_server *start(const fake_faults *faults)
{
    fake_server_options o;
    fake_server_options_init(&o);
    o.job_count = 12;
    if (faults != NULL)
        o.faults = *faults;
    fake_server *srv = NULL;
    assert_int_equal(fake_server_start(&o, &srv), 0);
    return srv;
}

/* The HTTP status of each of @p n requests to @p target. */
static void statuses(fake_server *srv, const char *target, long *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        reply r = get(srv, target, 0, 0);
        out[i] = r.code == CURLE_OK ? r.status : -(long)r.code;
        reply_free(&r);
    }
}

static void first_every_and_match_pick_the_requests(void **state)
{
    (void)state;
    fake_server *srv = start(NULL);
    fake_faults f;
    fake_faults_init(&f);
    f.kind = FAKE_FAULT_STATUS;
    f.status = 504;
    f.first = 2;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    long got[6];
    statuses(srv, LIST, got, 3);
    assert_int_equal(got[0], 504);
    assert_int_equal(got[1], 504);
    assert_int_equal(got[2], 200);
    assert_int_equal(fake_server_faults_injected(srv), 2);

    /* Setting again restarts the count: 1, 4 of every 3rd; with first = 4, not 7. */
    f.first = 4;
    f.every = 3;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    assert_int_equal(fake_server_faults_injected(srv), 0);
    statuses(srv, LIST, got, 6);
    long want[6] = {504, 200, 200, 504, 200, 200};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(got[i], want[i]);

    /* Skipped requests pass; first counts from the one after them. Retry-After only when asked. */
    fake_faults_init(&f);
    f.kind = FAKE_FAULT_STATUS;
    f.status = 429;
    f.retry_after_s = 2;
    f.skip = 1;
    f.first = 1;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    reply pass = get(srv, LIST, 0, 0);
    reply limited = get(srv, LIST, 0, 0);
    reply after = get(srv, LIST, 0, 0);
    assert_int_equal(pass.status, 200);
    assert_int_equal(limited.status, 429);
    assert_string_equal(limited.retry_after, "2");
    assert_int_equal(after.status, 200);
    assert_string_equal(after.retry_after, "");
    reply_free(&pass);
    reply_free(&limited);
    reply_free(&after);
    f.retry_after_s = 0;
    f.skip = 0;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    reply plain = get(srv, LIST, 0, 0);
    assert_int_equal(plain.status, 429);
    assert_string_equal(plain.retry_after, "");
    reply_free(&plain);

    /* Only matching targets count; other paths never get a fault. */
    fake_faults_init(&f);
    f.kind = FAKE_FAULT_NOT_SUCCESS;
    f.match = "&page=2";
    f.first = 1;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    reply other = get(srv, LIST "&page=1", 0, 0);
    reply hit = get(srv, LIST "&page=2", 0, 0);
    reply again = get(srv, LIST "&page=2", 0, 0);
    assert_non_null(strstr(other.body, "\"is_success\":true"));
    assert_non_null(strstr(hit.body, "\"is_success\":false"));
    assert_non_null(strstr(hit.body, FAKE_FAULT_ERROR_CODE));
    assert_non_null(strstr(again.body, "\"is_success\":true"));
    char rid[64];
    fake_server_last_fault_request_id(srv, rid, sizeof rid);
    assert_string_equal(rid, hit.request_id);
    reply_free(&other);
    reply_free(&hit);
    reply_free(&again);

    assert_int_equal(fake_server_set_faults(srv, NULL), 0);
    statuses(srv, LIST, got, 1);
    assert_int_equal(got[0], 200);
    assert_int_equal(fake_server_faults_injected(srv), 0);
    fake_server_stop(srv);
}

static void faults_in_the_options_apply_from_the_start(void **state)
{
    (void)state;
    fake_faults f;
    fake_faults_init(&f);
    f.kind = FAKE_FAULT_GATEWAY_HTML;
    fake_server *srv = start(&f);
    reply r = get(srv, LIST, 0, 0);
    assert_int_equal(r.status, 502);
    assert_string_equal(r.content_type, "text/html");
    assert_string_equal(r.request_id, "");
    assert_non_null(strstr(r.body, "502 Bad Gateway"));
    reply_free(&r);
    fake_server_stop(srv);
}

static json_t *parse(const reply *r)
{
    json_error_t e;
    json_t *doc = json_loadb(r->body, r->len, 0, &e);
    if (doc == NULL)
        fail_msg("not JSON (%s): %.200s", e.text, r->body);
    return doc;
}

static void each_kind_breaks_the_answer_its_way(void **state)
{
    (void)state;
    fake_server *srv = start(NULL);
    reply normal = get(srv, LIST, 0, 0);
    assert_int_equal(normal.status, 200);
    fake_faults f;

    fake_faults_init(&f);
    f.kind = FAKE_FAULT_GZIP;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    reply z = get(srv, LIST, 1, 0);
    assert_int_equal(z.code, CURLE_OK);
    assert_int_equal(z.len, normal.len);
    assert_memory_equal(z.body, normal.body, normal.len);
    reply_free(&z);
    z = get(srv, LIST, 0, 0); /* not decoded: gzip's magic bytes */
    assert_true(z.len >= 2 && (unsigned char)z.body[0] == 0x1f && (unsigned char)z.body[1] == 0x8b);
    reply_free(&z);

    f.kind = FAKE_FAULT_GZIP_CORRUPT;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    z = get(srv, LIST, 1, 0);
    assert_int_equal(z.code, CURLE_BAD_CONTENT_ENCODING);
    reply_free(&z);

    f.kind = FAKE_FAULT_TRUNCATED;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    reply t = get(srv, LIST, 0, 0);
    assert_int_equal(t.code, CURLE_PARTIAL_FILE);
    assert_int_equal(t.len, normal.len / 2);
    reply_free(&t);

    f.kind = FAKE_FAULT_CLOSE;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    reply c = get(srv, LIST, 0, 0);
    assert_int_equal(c.code, CURLE_GOT_NOTHING);
    reply_free(&c);

    f.kind = FAKE_FAULT_HUGE;
    f.huge_bytes = 300000;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    reply h = get(srv, LIST, 0, 0);
    json_t *doc = parse(&h);
    assert_int_equal(json_string_length(json_object_get(doc, "padding")), 300000);
    assert_int_equal(json_array_size(json_object_get(doc, "jobs")), 5);
    json_decref(doc);
    reply_free(&h);

    fake_faults_init(&f);
    f.kind = FAKE_FAULT_JOB_ID_STRING;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    h = get(srv, LIST, 0, 0);
    doc = parse(&h);
    assert_true(json_is_string(json_object_get(json_array_get(json_object_get(doc, "jobs"), 0), "job_id")));
    json_decref(doc);
    reply_free(&h);

    f.kind = FAKE_FAULT_JOBS_OBJECT;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    h = get(srv, LIST, 0, 0);
    doc = parse(&h);
    assert_true(json_is_object(json_object_get(doc, "jobs")));
    json_decref(doc);
    reply_free(&h);

    f.kind = FAKE_FAULT_STATUS;
    f.status = 500;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    h = get(srv, LIST, 0, 0);
    assert_int_equal(h.status, 500);
    assert_true(h.request_id[0] != '\0');
    doc = parse(&h);
    assert_string_equal(json_string_value(json_object_get(doc, "error_code")), FAKE_FAULT_ERROR_CODE);
    assert_non_null(json_string_value(json_object_get(doc, "error_msg")));
    json_decref(doc);
    reply_free(&h);

    f.kind = FAKE_FAULT_MALFORMED;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    h = get(srv, LIST, 0, 0);
    json_error_t e;
    assert_int_equal(h.status, 200);
    assert_null(json_loadb(h.body, h.len, 0, &e));
    reply_free(&h);

    reply_free(&normal);
    fake_server_stop(srv);
}

static void a_drip_stops_once_its_client_is_gone(void **state)
{
    (void)state;
    fake_faults f;
    fake_faults_init(&f);
    f.kind = FAKE_FAULT_DRIP;
    f.drip_ms = 20; /* a page of five jobs would take many seconds */
    fake_server *srv = start(&f);
    reply r = get(srv, LIST, 0, 300);
    assert_int_equal(r.code, CURLE_OPERATION_TIMEDOUT);
    assert_int_equal(r.status, 200);
    assert_true(r.len > 0 && r.len < 100);
    reply_free(&r);
    int waited = 0;
    while (fake_server_open_connections(srv) > 0 && waited < 3000) {
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
        waited += 10;
    }
    assert_int_equal(fake_server_open_connections(srv), 0);
    fake_server_stop(srv);
}

static void sleep_ms(long ms)
{
    struct timespec pause = {ms / 1000, (ms % 1000) * 1000 * 1000};
    nanosleep(&pause, NULL);
}

/* A bucket's arithmetic at chosen instants: the burst, the refill to the nanosecond, separate keys, the cap. */
static void a_bucket_refills_at_limit_per_window(void **state)
{
    (void)state;
    const uint64_t ms = 1000000u;
    fake_throttle *t = fake_throttle_new(5, 1000);
    assert_non_null(t);
    uint64_t wait = 0;
    for (int i = 0; i < 5; i++)
        assert_int_equal(fake_throttle_take(t, "token:a", 1000 * ms, &wait), 1);
    assert_int_equal(fake_throttle_take(t, "token:a", 1000 * ms, &wait), 0);
    assert_int_equal(wait, 200 * ms);
    /* One nanosecond short of window / limit there is no token yet; at it, exactly one. */
    assert_int_equal(fake_throttle_take(t, "token:a", 1200 * ms - 1, &wait), 0);
    assert_int_equal(wait, 1);
    assert_int_equal(fake_throttle_take(t, "token:a", 1200 * ms, &wait), 1);
    assert_int_equal(fake_throttle_take(t, "token:a", 1200 * ms, &wait), 0);
    assert_int_equal(wait, 200 * ms);
    /* Another client has its own full bucket. */
    for (int i = 0; i < 5; i++)
        assert_int_equal(fake_throttle_take(t, "token:b", 1200 * ms, &wait), 1);
    assert_int_equal(fake_throttle_take(t, "token:b", 1200 * ms, &wait), 0);
    /* An hour later the bucket holds the limit, not more. */
    uint64_t later = 3600000 * ms;
    for (int i = 0; i < 5; i++)
        assert_int_equal(fake_throttle_take(t, "token:a", later, &wait), 1);
    assert_int_equal(fake_throttle_take(t, "token:a", later, &wait), 0);
    fake_throttle_free(t);

    /* 3 per second: the next token is a third of a second away, rounded up to the nanosecond. */
    t = fake_throttle_new(3, 1000);
    for (int i = 0; i < 3; i++)
        assert_int_equal(fake_throttle_take(t, "ip:127.0.0.1", 0, &wait), 1);
    assert_int_equal(fake_throttle_take(t, "ip:127.0.0.1", 0, &wait), 0);
    assert_int_equal(wait, 333333334);
    assert_int_equal(fake_throttle_take(t, "ip:127.0.0.1", 100 * ms, &wait), 0);
    assert_int_equal(wait, 233333334);
    fake_throttle_free(t);
    assert_null(fake_throttle_new(0, 1000));
    assert_null(fake_throttle_new(5, 0));
}

static void assert_throttled(const reply *r, const char *limit_and_time)
{
    char want[256];
    snprintf(want, sizeof want,
             "{\"error_code\":\"APIG.0308\",\"error_msg\":\"The throttling threshold has been reached: policy user "
             "over ratelimit,%s\"}",
             limit_and_time);
    assert_int_equal(r->status, 429);
    assert_string_equal(r->body, want);
    assert_string_equal(r->content_type, "application/json");
    assert_int_equal(strlen(r->request_id), 32);
}

static void the_throttle_lets_the_limit_through_per_client(void **state)
{
    (void)state;
    fake_faults f;
    fake_faults_init(&f);
    f.kind = FAKE_FAULT_THROTTLE;
    f.throttle_limit = 5;
    f.throttle_window_ms = 60000; /* one token per 12 s: the burst is all that counts */
    fake_server *srv = start(&f);
    for (int round = 0; round < 2; round++) {
        const char *token = round == 0 ? "X-Auth-Token: alpha" : "X-Auth-Token: beta";
        for (int i = 0; i < 5; i++) {
            reply r = get_with(srv, LIST, token);
            assert_int_equal(r.status, 200);
            reply_free(&r);
        }
        reply r = get_with(srv, LIST, token);
        assert_throttled(&r, "limit:5,time:1 minute");
        assert_string_equal(r.retry_after, "");
        char rid[64];
        fake_server_last_fault_request_id(srv, rid, sizeof rid);
        assert_string_equal(rid, r.request_id);
        reply_free(&r);
    }
    /* A signed request counts against its AK, an anonymous one against its address. */
    reply ak = get_with(srv, LIST, "Authorization: SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host, Signature=00");
    reply anon = get_with(srv, LIST, NULL);
    assert_int_equal(ak.status, 200);
    assert_int_equal(anon.status, 200);
    reply_free(&ak);
    reply_free(&anon);
    for (int i = 0; i < 4; i++) {
        reply r = get_with(srv, LIST, NULL);
        assert_int_equal(r.status, 200);
        reply_free(&r);
    }
    reply r = get_with(srv, LIST, NULL);
    assert_throttled(&r, "limit:5,time:1 minute");
    reply_free(&r);
    assert_int_equal(fake_server_list_requests(srv), 19);
    assert_int_equal(fake_server_throttled_count(srv), 3);
    assert_int_equal(fake_server_faults_injected(srv), 3);

    /* Setting the faults empties the counters and refills every bucket; Retry-After only when asked. */
    f.throttle_retry_after = 1;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    assert_int_equal(fake_server_list_requests(srv), 0);
    assert_int_equal(fake_server_throttled_count(srv), 0);
    for (int i = 0; i < 5; i++) {
        reply ok = get_with(srv, LIST, "X-Auth-Token: alpha");
        assert_int_equal(ok.status, 200);
        assert_string_equal(ok.retry_after, "");
        reply_free(&ok);
    }
    r = get_with(srv, LIST, "X-Auth-Token: alpha");
    assert_throttled(&r, "limit:5,time:1 minute");
    /* 60 s / 5 less the time the burst took, rounded up: 12 unless the machine is very slow. */
    long retry_after = strtol(r.retry_after, NULL, 10);
    assert_true(retry_after >= 10 && retry_after <= 12);
    reply_free(&r);
    /* The APIGW spelling, through the flags' field. */
    f.error_code = "APIGW.0308";
    f.throttle_limit = 1;
    f.throttle_retry_after = 0;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    reply first = get_with(srv, LIST, "X-Auth-Token: alpha");
    r = get_with(srv, LIST, "X-Auth-Token: alpha");
    assert_int_equal(first.status, 200);
    assert_int_equal(r.status, 429);
    assert_string_equal(r.body, "{\"error_code\":\"APIGW.0308\",\"error_msg\":\"The throttling threshold has been "
                                "reached: policy user over ratelimit,limit:1,time:1 minute\"}");
    assert_string_equal(r.retry_after, "");
    reply_free(&first);
    reply_free(&r);
    fake_server_stop(srv);
}

static void the_throttle_refills_over_its_window(void **state)
{
    (void)state;
    fake_faults f;
    fake_faults_init(&f);
    f.kind = FAKE_FAULT_THROTTLE;
    f.throttle_limit = 5;
    f.throttle_window_ms = 1000; /* a token every 200 ms */
    f.throttle_retry_after = 1;
    fake_server *srv = start(&f);
    int passed = 0;
    reply r;
    for (;;) {
        r = get_with(srv, LIST, "X-Auth-Token: alpha");
        if (r.status != 200 || passed == 100)
            break;
        passed++;
        reply_free(&r);
    }
    /* At least the burst passed (more only if requests took longer than 200 ms each); then a 429. */
    assert_true(passed >= 5);
    assert_throttled(&r, "limit:5,time:1 second");
    assert_string_equal(r.retry_after, "1");
    reply_free(&r);
    /* 450 ms is two tokens and a quarter: one more request passes with room to spare. */
    sleep_ms(450);
    r = get_with(srv, LIST, "X-Auth-Token: alpha");
    assert_int_equal(r.status, 200);
    reply_free(&r);
    fake_server_stop(srv);
}

typedef struct burst {
    const fake_server *srv;
    int ok;
    int throttled;
} burst;

static void *burst_thread(void *arg)
{
    burst *b = arg;
    for (int i = 0; i < 10; i++) {
        reply r = get_with(b->srv, LIST, "X-Auth-Token: shared");
        b->ok += r.status == 200;
        b->throttled += r.status == 429;
        reply_free(&r);
    }
    return NULL;
}

/* Four connections at once on one client's bucket: exactly the limit passes. */
static void one_bucket_is_shared_by_concurrent_connections(void **state)
{
    (void)state;
    fake_faults f;
    fake_faults_init(&f);
    f.kind = FAKE_FAULT_THROTTLE;
    f.throttle_limit = 20;
    f.throttle_window_ms = 3600000; /* one token per 3 minutes: none comes back during the run */
    fake_server *srv = start(&f);
    burst b[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        b[i] = (burst){srv, 0, 0};
        assert_int_equal(pthread_create(&th[i], NULL, burst_thread, &b[i]), 0);
    }
    int ok = 0, throttled = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        ok += b[i].ok;
        throttled += b[i].throttled;
    }
    assert_int_equal(ok, 20);
    assert_int_equal(ok + throttled, 40);
    assert_int_equal(fake_server_throttled_count(srv), throttled);
    assert_int_equal(fake_server_list_requests(srv), 40);
    fake_server_stop(srv);
}

static void an_outage_answers_503_while_it_lasts(void **state)
{
    (void)state;
    fake_server *srv = start(NULL);
    fake_faults f;
    fake_faults_init(&f);
    f.kind = FAKE_FAULT_OUTAGE;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    for (int i = 0; i < 3; i++) {
        reply r = get(srv, LIST, 0, 0);
        assert_int_equal(r.status, 503);
        assert_string_equal(r.body, "{\"error_code\":\"ModelArts.6101\",\"error_msg\":\"The system is busy now. Please "
                                    "try again later.\"}");
        assert_int_equal(strlen(r.request_id), 32);
        assert_string_equal(r.retry_after, "");
        reply_free(&r);
    }
    assert_int_equal(fake_server_faults_injected(srv), 3);
    assert_int_equal(fake_server_set_faults(srv, NULL), 0);
    reply r = get(srv, LIST, 0, 0);
    assert_int_equal(r.status, 200);
    reply_free(&r);

    /* A timed one: 503 from the moment it is set, 200 once it is over. */
    f.outage_ms = 1500;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    r = get(srv, LIST, 0, 0);
    assert_int_equal(r.status, 503);
    reply_free(&r);
    sleep_ms(1600);
    r = get(srv, LIST, 0, 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"is_success\":true"));
    reply_free(&r);
    assert_int_equal(fake_server_faults_injected(srv), 1);
    assert_int_equal(fake_server_list_requests(srv), 2);
    assert_int_equal(fake_server_throttled_count(srv), 0);
    fake_server_stop(srv);
}

/* The error bodies' code and message, copied when the faults are set. */
static void error_code_and_message_replace_the_kinds_own(void **state)
{
    (void)state;
    fake_server *srv = start(NULL);
    static const struct {
        fake_fault_kind kind;
        unsigned int status;
        const char *code;
    } CASES[] = {
        {FAKE_FAULT_STATUS, 429, "APIGW.0308"},     {FAKE_FAULT_STATUS, 503, "ModelArts.6101"},
        {FAKE_FAULT_STATUS, 400, "ModelArts.4206"}, {FAKE_FAULT_STATUS, 500, "ModelArts.2799"},
        {FAKE_FAULT_OUTAGE, 429, "ModelArts.2799"},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        char code[32], msg[64];
        snprintf(code, sizeof code, "%s", CASES[i].code);
        snprintf(msg, sizeof msg, "case %zu: try again later", i);
        fake_faults f;
        fake_faults_init(&f);
        f.kind = CASES[i].kind;
        f.status = CASES[i].status;
        f.error_code = code;
        f.error_msg = msg;
        assert_int_equal(fake_server_set_faults(srv, &f), 0);
        memset(code, 'x', sizeof code - 1); /* the server kept its own copies */
        memset(msg, 'x', sizeof msg - 1);
        reply r = get(srv, LIST, 0, 0);
        assert_int_equal(r.status, CASES[i].status);
        json_t *doc = parse(&r);
        assert_string_equal(json_string_value(json_object_get(doc, "error_code")), CASES[i].code);
        char want[64];
        snprintf(want, sizeof want, "case %zu: try again later", i);
        assert_string_equal(json_string_value(json_object_get(doc, "error_msg")), want);
        json_decref(doc);
        reply_free(&r);
    }
    fake_faults f;
    fake_faults_init(&f);
    f.kind = FAKE_FAULT_NOT_SUCCESS;
    f.error_code = "ModelArts.2799";
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    reply r = get(srv, LIST, 0, 0);
    assert_int_equal(r.status, 200);
    json_t *doc = parse(&r);
    assert_true(json_is_false(json_object_get(doc, "is_success")));
    assert_string_equal(json_string_value(json_object_get(doc, "error_code")), "ModelArts.2799");
    json_decref(doc);
    reply_free(&r);
    /* Unset, each kind has its own again. */
    f.kind = FAKE_FAULT_STATUS;
    f.error_code = NULL;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    r = get(srv, LIST, 0, 0);
    doc = parse(&r);
    assert_string_equal(json_string_value(json_object_get(doc, "error_code")), FAKE_FAULT_ERROR_CODE);
    json_decref(doc);
    reply_free(&r);
    fake_server_stop(srv);
}

static void the_flags_set_the_faults(void **state)
{
    (void)state;
    fake_faults f;
    fake_faults_init(&f);
    assert_int_equal(fake_faults_flag(&f, "--fault", "drip"), 0);
    assert_int_equal(f.kind, FAKE_FAULT_DRIP);
    assert_int_equal(fake_faults_flag(&f, "--fault-first", "3"), 0);
    assert_int_equal(fake_faults_flag(&f, "--fault-every", "2"), 0);
    assert_int_equal(fake_faults_flag(&f, "--fault-status", "429"), 0);
    assert_int_equal(fake_faults_flag(&f, "--fault-latency-ms", "250"), 0);
    assert_int_equal(fake_faults_flag(&f, "--drip-ms", "7"), 0);
    assert_int_equal(fake_faults_flag(&f, "--drip-bytes", "9"), 0);
    assert_int_equal(fake_faults_flag(&f, "--huge-bytes", "1000"), 0);
    assert_int_equal(fake_faults_flag(&f, "--fault-skip", "4"), 0);
    assert_int_equal(fake_faults_flag(&f, "--fault-retry-after", "30"), 0);
    assert_int_equal(fake_faults_flag(&f, "--fault-match", "&page=3"), 0);
    assert_int_equal(f.first, 3);
    assert_int_equal(f.every, 2);
    assert_int_equal(f.status, 429);
    assert_int_equal(f.latency_ms, 250);
    assert_int_equal(f.drip_ms, 7);
    assert_int_equal(f.drip_bytes, 9);
    assert_int_equal(f.huge_bytes, 1000);
    assert_int_equal(f.skip, 4);
    assert_int_equal(f.retry_after_s, 30);
    assert_string_equal(f.match, "&page=3");
    assert_int_equal(fake_faults_flag(&f, "--stall-ms", "1200"), 0);
    assert_int_equal(f.stall_ms, 1200);
    assert_int_equal(fake_faults_flag(&f, "--fault", "reset-after-headers"), 0);
    assert_int_equal(f.kind, FAKE_FAULT_RESET_AFTER_HEADERS);
    assert_int_equal(fake_faults_flag(&f, "--fault", "stall-after-headers"), 0);
    assert_int_equal(f.kind, FAKE_FAULT_STALL_AFTER_HEADERS);
    assert_int_equal(fake_faults_flag(&f, "--fault", "drip"), 0);
    assert_int_equal(fake_faults_flag(&f, "--fault", "no-such-kind"), -1);
    assert_int_equal(fake_faults_flag(&f, "--fault-status", "99"), -1);
    assert_int_equal(fake_faults_flag(&f, "--fault-status", "1000"), -1);
    assert_int_equal(fake_faults_flag(&f, "--fault-retry-after", "86401"), -1);
    assert_int_equal(fake_faults_flag(&f, "--fault-first", "1x"), -1);
    assert_int_equal(fake_faults_flag(&f, "--fault-every", NULL), -1);
    assert_int_equal(fake_faults_flag(&f, "--port", "1"), 1);
    assert_int_equal(f.kind, FAKE_FAULT_DRIP);

    assert_int_equal(fake_faults_flag(&f, "--fault", "throttle"), 0);
    assert_int_equal(f.kind, FAKE_FAULT_THROTTLE);
    assert_int_equal(fake_faults_flag(&f, "--throttle-limit", "20"), 0);
    assert_int_equal(f.throttle_limit, 20);
    assert_int_equal(fake_faults_flag(&f, "--throttle-limit", "0"), -1);
    assert_int_equal(fake_faults_flag(&f, "--throttle-limit", "1000001"), -1);
    static const struct {
        const char *value;
        unsigned int ms;
    } WINDOWS[] = {{"1s", 1000}, {"1m", 60000}, {"250", 250}, {"10s", 10000}, {"60m", 3600000}};
    for (size_t i = 0; i < sizeof WINDOWS / sizeof WINDOWS[0]; i++) {
        assert_int_equal(fake_faults_flag(&f, "--throttle-window", WINDOWS[i].value), 0);
        assert_int_equal(f.throttle_window_ms, WINDOWS[i].ms);
    }
    static const char *const BAD_WINDOWS[] = {"0", "0s", "s", "1h", "61m", "3600001", "1.5s", "", "-1s"};
    for (size_t i = 0; i < sizeof BAD_WINDOWS / sizeof BAD_WINDOWS[0]; i++)
        assert_int_equal(fake_faults_flag(&f, "--throttle-window", BAD_WINDOWS[i]), -1);
    assert_int_equal(f.throttle_window_ms, 3600000);
    assert_int_equal(fake_faults_flag(&f, "--throttle-window", NULL), -1);
    assert_int_equal(f.throttle_retry_after, 0);
    assert_int_equal(fake_faults_flag(&f, "--throttle-retry-after", NULL), 2);
    assert_int_equal(f.throttle_retry_after, 1);
    assert_int_equal(fake_faults_flag(&f, "--fault-error-code", "APIGW.0308"), 0);
    assert_int_equal(fake_faults_flag(&f, "--fault-error-msg", "busy"), 0);
    assert_string_equal(f.error_code, "APIGW.0308");
    assert_string_equal(f.error_msg, "busy");
    assert_int_equal(fake_faults_flag(&f, "--fault-error-code", NULL), -1);
    assert_int_equal(fake_faults_flag(&f, "--fault", "outage"), 0);
    assert_int_equal(f.kind, FAKE_FAULT_OUTAGE);
    assert_int_equal(fake_faults_flag(&f, "--outage-ms", "2500"), 0);
    assert_int_equal(f.outage_ms, 2500);
    assert_int_equal(fake_faults_flag(&f, "--outage-ms", "x"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_every_and_match_pick_the_requests),
        cmocka_unit_test(faults_in_the_options_apply_from_the_start),
        cmocka_unit_test(each_kind_breaks_the_answer_its_way),
        cmocka_unit_test(a_drip_stops_once_its_client_is_gone),
        cmocka_unit_test(a_bucket_refills_at_limit_per_window),
        cmocka_unit_test(the_throttle_lets_the_limit_through_per_client),
        cmocka_unit_test(the_throttle_refills_over_its_window),
        cmocka_unit_test(one_bucket_is_shared_by_concurrent_connections),
        cmocka_unit_test(an_outage_answers_503_while_it_lasts),
        cmocka_unit_test(error_code_and_message_replace_the_kinds_own),
        cmocka_unit_test(the_flags_set_the_faults),
    };
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
