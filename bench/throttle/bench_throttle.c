/*
 * The throttling benchmark: what the retry budget and the adaptive rate
 * limiter do against the fake server's API Gateway throttling and against an
 * outage. The fake server runs in this process; every figure comes from its
 * request counters, the client's ma_client_throttle_state() and a monotonic
 * clock.
 *
 *   bench_throttle [walk|outage|all] [--calls N] [--attempts N] [--outage-code CODE]
 *
 * walk:   a parallel walk (concurrency 8) of 100 pages against a limit of 20
 *         requests per second per client, adaptive limiting on and off;
 * outage: N single-page calls (default 1000) while every request gets 503,
 *         with the retry budget on and off.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fake_server.h"
#include "modelarts/modelarts.h"

#define WALK_JOBS        1000
#define WALK_PER_PAGE    10 /* 100 pages */
#define WALK_CONCURRENCY 8
#define WALK_LIMIT       20 /* requests per second per client */
#define OUTAGE_PER_PAGE  10

typedef struct settings {
    int calls;               /* outage: list calls */
    int attempts;            /* walk: ma_retry_policy::max_attempts; 0 = the library's default */
    const char *outage_code; /* outage: error_code of the 503s; NULL = ModelArts.6101 (a throttling code) */
} settings;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static fake_server *start_server(void)
{
    fake_server_options o;
    fake_server_options_init(&o);
    o.realistic = 1;
    o.job_count = WALK_JOBS;
    fake_server *srv = NULL;
    if (fake_server_start(&o, &srv) != 0) {
        fprintf(stderr, "bench_throttle: cannot start the fake server\n");
        return NULL;
    }
    return srv;
}

/* A client of @p srv with one token, so that every request counts against one bucket. */
static ma_client *new_client(const fake_server *srv, ma_credentials *cred, const ma_retry_policy *retry,
                             int32_t adaptive, int32_t budget)
{
    ma_client_options o = MA_CLIENT_OPTIONS_INIT;
    o.endpoint = fake_server_url(srv);
    o.project_id = "p";
    o.credentials = cred;
    o.retry = retry;
    o.adaptive_rate_limit = adaptive;
    o.retry_budget = budget;
    ma_client *client = NULL;
    ma_error err;
    if (ma_client_new(&client, &o, &err) != MA_OK) {
        fprintf(stderr, "bench_throttle: ma_client_new: %s\n", err.message);
        return NULL;
    }
    return client;
}

static ma_job_query *new_query(int per_page)
{
    ma_job_query *q = NULL;
    ma_error err;
    if (ma_job_query_new(&q, NULL, &err) != MA_OK || ma_job_query_set_per_page(q, per_page, &err) != MA_OK) {
        fprintf(stderr, "bench_throttle: query: %s\n", err.message);
        ma_job_query_free(q);
        return NULL;
    }
    return q;
}

/* ---- (a) a parallel walk against a limit of 20 requests per second ---- */

static int walk_once(fake_server *srv, ma_credentials *cred, const settings *s, int adaptive)
{
    fake_faults f;
    fake_faults_init(&f);
    f.kind = FAKE_FAULT_THROTTLE;
    f.throttle_limit = WALK_LIMIT;
    f.throttle_window_ms = 1000;
    if (fake_server_set_faults(srv, &f) != 0) { /* also refills the bucket and zeroes the counters */
        return 1;
    }
    ma_retry_policy retry = MA_RETRY_POLICY_INIT;
    retry.max_attempts = s->attempts;
    ma_client *client = new_client(srv, cred, &retry, adaptive ? 0 : MA_OPTION_NONE, 0);
    ma_job_query *q = new_query(WALK_PER_PAGE);
    if (client == NULL || q == NULL) {
        ma_client_free(client);
        ma_job_query_free(q);
        return 1;
    }
    ma_walk_options w = MA_WALK_OPTIONS_INIT;
    w.concurrency = WALK_CONCURRENCY;
    ma_error err;
    memset(&err, 0, sizeof err);
    ma_job_iter *it = NULL;
    const ma_job *job = NULL;
    size_t jobs = 0;
    double t0 = now_s();
    ma_status st = ma_job_iter_new(&it, client, q, &w, &err);
    while (st == MA_OK && (st = ma_job_iter_next(it, &job, &err)) == MA_OK && job != NULL) {
        jobs++;
    }
    double took = now_s() - t0;
    ma_job_iter_free(it);
    ma_throttle_state ts;
    memset(&ts, 0, sizeof ts);
    (void)ma_client_throttle_state(client, &ts);
    size_t sent = fake_server_list_requests(srv);
    size_t throttled = fake_server_throttled_count(srv);
    printf("%-8s %-20s %5zu %8zu %9zu %6.1f%% %7.2f %9.2fx %6d/%-4d %7lld %8lld %8.2f\n", adaptive ? "on" : "off",
           ma_status_name(st), jobs, sent, throttled, sent > 0 ? 100.0 * (double)throttled / (double)sent : 0.0, took,
           took / (100.0 / WALK_LIMIT), (int)ts.retry_tokens, (int)ts.retry_tokens_max, (long long)ts.retries_refused,
           (long long)ts.throttled_responses, ts.rate_limit_rps);
    if (st != MA_OK) {
        printf("         walk failed on page %d: %s\n", err.failed_page, err.message);
    }
    ma_job_query_free(q);
    ma_client_free(client);
    return 0;
}

static int run_walk(fake_server *srv, ma_credentials *cred, const settings *s)
{
    printf("(a) parallel walk, concurrency %d, %d pages of %d, throttle %d requests per 1 s per client (APIG.0308);\n"
           "    retry policy: %d attempts, default delays; retry budget: default (%d tokens)\n"
           "    ideal: 100 / %d = %.1f s (%.1f s counting the bucket's first %d tokens)\n",
           WALK_CONCURRENCY, WALK_JOBS / WALK_PER_PAGE, WALK_PER_PAGE, WALK_LIMIT,
           s->attempts > 0 ? s->attempts : MA_DEFAULT_RETRY_MAX_ATTEMPTS, MA_DEFAULT_RETRY_BUDGET, WALK_LIMIT,
           100.0 / WALK_LIMIT, (100.0 - WALK_LIMIT) / WALK_LIMIT, WALK_LIMIT);
    printf("%-8s %-20s %5s %8s %9s %7s %7s %10s %11s %7s %8s %8s\n", "adaptive", "status", "jobs", "requests",
           "throttled", "share", "time s", "time/ideal", "budget", "refused", "429s", "rate rps");
    return walk_once(srv, cred, s, 1) || walk_once(srv, cred, s, 0);
}

/* ---- (b) single-page calls during an outage ---- */

static int outage_once(fake_server *srv, ma_credentials *cred, const settings *s, int budget)
{
    fake_faults f;
    fake_faults_init(&f);
    f.kind = FAKE_FAULT_OUTAGE; /* outage_ms 0: for good */
    f.error_code = s->outage_code;
    if (fake_server_set_faults(srv, &f) != 0) {
        return 1;
    }
    ma_retry_policy retry = MA_RETRY_POLICY_INIT;
    retry.base_delay_ms = 1;
    retry.max_delay_ms = 5;
    /* The limiter off: a throttling code would otherwise slow the calls to its floor of 0.5 per second. */
    ma_client *client = new_client(srv, cred, &retry, MA_OPTION_NONE, budget ? 0 : MA_OPTION_NONE);
    ma_job_query *q = new_query(OUTAGE_PER_PAGE);
    if (client == NULL || q == NULL) {
        ma_client_free(client);
        ma_job_query_free(q);
        return 1;
    }
    int drained_at = -1; /* the first call the budget refused a retry */
    size_t sent_before_drain = 0;
    int ok = 0;
    double t0 = now_s();
    for (int i = 0; i < s->calls; i++) {
        size_t before = fake_server_list_requests(srv);
        ma_job_list *list = NULL;
        ma_error err;
        ma_status st = ma_list_training_jobs(client, q, &list, &err);
        ok += st == MA_OK;
        ma_job_list_free(list);
        if (drained_at < 0 && st != MA_OK && err.retries_suspended) {
            drained_at = i;
            sent_before_drain = before;
        }
    }
    double took = now_s() - t0;
    ma_throttle_state ts;
    memset(&ts, 0, sizeof ts);
    (void)ma_client_throttle_state(client, &ts);
    size_t sent = fake_server_list_requests(srv);
    char budget_text[32], after[32], at[16];
    snprintf(budget_text, sizeof budget_text, "%s", budget ? "on (default)" : "off");
    if (drained_at >= 0) {
        snprintf(at, sizeof at, "%d", drained_at + 1);
        snprintf(after, sizeof after, "%.2f", (double)(sent - sent_before_drain) / (double)(s->calls - drained_at));
    } else {
        snprintf(at, sizeof at, "never");
        snprintf(after, sizeof after, "-");
    }
    printf("%-13s %6d %8zu %9.2f %13s %15s %8lld %6d/%-4d %7.2f\n", budget_text, ok, sent,
           (double)sent / (double)s->calls, at, after, (long long)ts.retries_refused, (int)ts.retry_tokens,
           (int)ts.retry_tokens_max, took);
    ma_job_query_free(q);
    ma_client_free(client);
    return 0;
}

static int run_outage(fake_server *srv, ma_credentials *cred, const settings *s)
{
    printf("(b) outage: every request 503 %s for good; %d single-page calls one after another;\n"
           "    retry policy: default attempts (%d), base 1 ms, max 5 ms; adaptive limiting off\n",
           s->outage_code != NULL ? s->outage_code : FAKE_FAULT_OUTAGE_CODE, s->calls, MA_DEFAULT_RETRY_MAX_ATTEMPTS);
    printf("%-13s %6s %8s %9s %13s %15s %8s %11s %7s\n", "budget", "ok", "requests", "per call", "drained at",
           "per call after", "refused", "tokens", "time s");
    return outage_once(srv, cred, s, 1) || outage_once(srv, cred, s, 0);
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_throttle [walk|outage|all] [--calls N] [--attempts N] [--outage-code CODE]\n");
    return 2;
}

int main(int argc, char **argv)
{
    settings s = {1000, 0, NULL};
    const char *which = "all";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "walk") == 0 || strcmp(a, "outage") == 0 || strcmp(a, "all") == 0) {
            which = a;
        } else if (i + 1 < argc && strcmp(a, "--calls") == 0) {
            s.calls = (int)strtol(argv[++i], NULL, 10);
        } else if (i + 1 < argc && strcmp(a, "--attempts") == 0) {
            s.attempts = (int)strtol(argv[++i], NULL, 10);
        } else if (i + 1 < argc && strcmp(a, "--outage-code") == 0) {
            s.outage_code = argv[++i];
        } else {
            return usage();
        }
    }
    if (s.calls <= 0 || s.attempts < 0 || s.attempts > MA_RETRY_MAX_ATTEMPTS_LIMIT) {
        return usage();
    }
    ma_credentials *cred = NULL;
    ma_error err;
    if (ma_global_init() != MA_OK || ma_credentials_new_token(&cred, "bench-token", NULL, &err) != MA_OK) {
        fprintf(stderr, "bench_throttle: cannot set up the library\n");
        return 1;
    }
    fake_server *srv = start_server();
    int rc = srv == NULL;
    if (rc == 0 && strcmp(which, "outage") != 0) {
        rc = run_walk(srv, cred, &s);
    }
    if (rc == 0 && strcmp(which, "walk") != 0) {
        if (strcmp(which, "all") == 0) {
            printf("\n");
        }
        rc = run_outage(srv, cred, &s);
    }
    fake_server_stop(srv);
    ma_credentials_free(cred);
    ma_global_cleanup();
    return rc;
}
