/*
 * Every standing fault of the fake server against every way of listing: one
 * page, the iterator, list-all and the parallel prefetch. Each cell checks the
 * status, the error detail (HTTP status, service code, request id, failed
 * page), that the call ends within its deadline, that nothing leaks (the
 * client allocates through cmocka) and that no secret reaches a debug log
 * line or an error message. Transient faults must be retried into the
 * fault-free result.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, nanosleep */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "e2e.h"
#include "test_alloc.h"

/* Jobs in the data set; those of the default workspace (about three in four) make three pages. */
#define JOBS         36
#define PER_PAGE     10
#define TOKEN        "matrix-token-SECRET-0c93e1"
#define AK           "QTWAOYTTINDUT2QVKYUC"
#define SK           "SK-SECRET-matrix-9b1f2e77c0a4d6"
#define IAM_USER     "matrix-user"
#define IAM_PASSWORD "pw-SECRET-matrix-51d0"
#define IAM_DOMAIN   "matrix-domain"
#define IAM_PROJECT  "eu-de"
/* A walk's faulted page: page 1 must succeed first, so a failure names page 2. */
#define FAULTED_PAGE       2
#define FAULTED_PAGE_MATCH "&page=2" /* the last parameter: no sort is set */

#define CALL_DEADLINE_MS 2500L
#define WALK_DEADLINE_MS 4000L
#define MAX_BODY_BYTES   ((size_t)64 * 1024)
#define DEFAULT_SLACK_MS 1000L
#define MAX_IDS          (JOBS + 1)

typedef enum mode { SINGLE, ITER, LIST_ALL, PARALLEL, MODE_COUNT } mode;
static const char *const MODE_NAMES[MODE_COUNT] = {"single page", "iterator", "list-all", "parallel prefetch"};

typedef enum cred { BY_TOKEN, BY_PASSWORD, BY_AKSK } cred;

/* Which request id the error must carry. */
typedef enum rid { RID_NONE, RID_FAULT } rid;

typedef struct row {
    const char *name;
    fake_faults faults; /* match is set per mode */
    cred cred;
    int transient;           /* retried (or renewed) into the fault-free result */
    ma_status expect;        /* when not transient */
    int http_status;         /* ma_error::http_status */
    const char *code;        /* ma_error::service_code */
    rid request_id;          /* ma_error::request_id */
    const char *message;     /* a part of ma_error::message; NULL = no check */
    const char *not_message; /* what ma_error::message must not say (a limit that did not end the call) */
    long call_deadline_ms;   /* 0 = CALL_DEADLINE_MS */
    long attempt_timeout_ms; /* ma_client_options::timeout_ms; 0 = 2000 */
    long walk_deadline_ms;   /* 0 = WALK_DEADLINE_MS; a single page gets it as its call deadline */
    size_t logins;           /* password method: logins expected (the first and the renewals); 0 = no check */
    int curl_code;           /* ma_error::transport_code; 0 = any for a transfer libcurl ended, else none */
    long low_speed_bytes;    /* ma_client_options::low_speed_limit_bytes; 0 = 1000 */
    long low_speed_s;        /* ma_client_options::low_speed_time_s; 0 = 1 */
} row;

#define FAULT(k) .faults = {.kind = (k)}

/*
 * Timing. The suite runs beside others on two cores, under sanitizers or
 * valgrind, so no cell may depend on a request being fast: where a limit must
 * end a call, the fault exceeds it several times over (a slower server only
 * makes it later), and an unfaulted request (a walk's page 1) gets at least
 * 250 ms for each attempt. Where a limit must not end a call, there is a wide
 * margin between them.
 */
static const row ROWS[] = {
    {"latency within the deadline", .faults = {.kind = FAKE_FAULT_LATENCY, .latency_ms = 50}, .transient = 1},
    {"latency past the call deadline", .faults = {.kind = FAKE_FAULT_LATENCY, .latency_ms = 1000},
     .expect = MA_ERR_TIMEOUT, .message = "total_timeout_ms", .call_deadline_ms = 500},
    {"latency past the walk deadline", .faults = {.kind = FAKE_FAULT_LATENCY, .latency_ms = 1300},
     .expect = MA_ERR_TIMEOUT, .message = "timeout_ms", .walk_deadline_ms = 700},
    /* No byte before each attempt's own timeout: tried again, each time with a fresh connection. */
    {"latency past the attempt timeout", .faults = {.kind = FAKE_FAULT_LATENCY, .latency_ms = 800},
     .expect = MA_ERR_TIMEOUT, .message = "(attempt 3 of 3)", .attempt_timeout_ms = 250},
    /*
     * In the prefetch, page 3 arrives at once and waits, paused, behind page 2: no limit may count that wait.
     * Page 2 (about 2 KB, 1.2 s) runs 17 times above the limit, and libcurl ends a transfer only when two
     * of its once-a-second samples in a row are below it: with a 2 s window, less than one piece in
     * about 3 s. The deadlines leave page 2 several times its time.
     */
    {"page 2 dripping above the low-speed limit",
     .faults = {.kind = FAKE_FAULT_DRIP, .drip_ms = 100, .drip_bytes = 170, .match = "&page=2"}, .transient = 1,
     .low_speed_bytes = 100, .low_speed_s = 2, .call_deadline_ms = 6000, .walk_deadline_ms = 8000},
    {"HTTP 500", .faults = {.kind = FAKE_FAULT_STATUS, .status = 500}, .expect = MA_ERR_SERVER, .http_status = 500,
     .code = FAKE_FAULT_ERROR_CODE, .request_id = RID_FAULT, .message = "Injected fault: HTTP 500"},
    {"HTTP 503 for good", .faults = {.kind = FAKE_FAULT_STATUS, .status = 503}, .expect = MA_ERR_SERVER,
     .http_status = 503, .code = FAKE_FAULT_ERROR_CODE, .request_id = RID_FAULT, .message = "(attempt 3 of 3)"},
    {"HTTP 503 on the first 2", .faults = {.kind = FAKE_FAULT_STATUS, .status = 503, .first = 2}, .transient = 1},
    {"HTTP 503 on every 2nd", .faults = {.kind = FAKE_FAULT_STATUS, .status = 503, .every = 2}, .transient = 1},
    {"gateway HTML 502", FAULT(FAKE_FAULT_GATEWAY_HTML), .expect = MA_ERR_SERVER, .http_status = 502, .code = "",
     .message = "(attempt 3 of 3)"},
    {"malformed JSON", FAULT(FAKE_FAULT_MALFORMED), .expect = MA_ERR_PROTOCOL, .http_status = 200, .code = "",
     .request_id = RID_FAULT},
    {"truncated body", FAULT(FAKE_FAULT_TRUNCATED), .expect = MA_ERR_TRANSPORT, .http_status = 200, .code = "",
     .request_id = RID_FAULT, .message = "ended early"},
    {"closed without a response", FAULT(FAKE_FAULT_CLOSE), .expect = MA_ERR_TRANSPORT, .code = "",
     .message = "(attempt 3 of 3)"},
    {"closed on the first 2", .faults = {.kind = FAKE_FAULT_CLOSE, .first = 2}, .transient = 1},
    {"huge body", .faults = {.kind = FAKE_FAULT_HUGE, .huge_bytes = 4 * MAX_BODY_BYTES},
     .expect = MA_ERR_RESPONSE_TOO_LARGE, .http_status = 200, .code = "", .request_id = RID_FAULT,
     .message = "exceeds the limit"},
    /* 10 bytes/s against 1000: the limit ends it after about 1 s, long before the deadline. */
    {"slow drip", .faults = {.kind = FAKE_FAULT_DRIP, .drip_ms = 100, .drip_bytes = 1}, .expect = MA_ERR_TIMEOUT,
     .http_status = 200, .code = "", .request_id = RID_FAULT, .message = "too slow", .not_message = "total_timeout_ms",
     .call_deadline_ms = 3500},
    /*
     * Faster than the low-speed limit, slower than the call may take. The limit cannot end a transfer
     * within its first second, and the deadline passes before that; after it, either way of ending
     * blames the deadline.
     */
    {"drip above the low-speed limit", .faults = {.kind = FAKE_FAULT_DRIP, .drip_ms = 100, .drip_bytes = 150},
     .expect = MA_ERR_TIMEOUT, .http_status = 200, .code = "", .request_id = RID_FAULT, .message = "total_timeout_ms",
     .call_deadline_ms = 700},
    {"is_success false", FAULT(FAKE_FAULT_NOT_SUCCESS), .expect = MA_ERR_SERVICE, .http_status = 200,
     .code = FAKE_FAULT_ERROR_CODE, .request_id = RID_FAULT, .message = "Injected fault: the service failed."},
    {"job_id as a string", FAULT(FAKE_FAULT_JOB_ID_STRING), .expect = MA_ERR_PROTOCOL, .http_status = 200, .code = "",
     .request_id = RID_FAULT, .message = "job_id"},
    {"jobs as an object", FAULT(FAKE_FAULT_JOBS_OBJECT), .expect = MA_ERR_PROTOCOL, .http_status = 200, .code = "",
     .request_id = RID_FAULT, .message = "jobs"},
    {"gzip encoding", FAULT(FAKE_FAULT_GZIP), .transient = 1},
    /* The body arrived whole but cannot be read: the server broke the protocol, the network did not fail. */
    {"corrupt gzip", FAULT(FAKE_FAULT_GZIP_CORRUPT), .expect = MA_ERR_PROTOCOL, .http_status = 200, .code = "",
     .request_id = RID_FAULT, .message = "Content-Encoding", .curl_code = 61 /* CURLE_BAD_CONTENT_ENCODING */},
    {"expired static token", FAULT(FAKE_FAULT_TOKEN_EXPIRED), .expect = MA_ERR_UNAUTHORIZED, .http_status = 401,
     .code = "APIG.0307", .request_id = RID_FAULT, .message = "The token must be updated"},
    {"expired password token", .faults = {.kind = FAKE_FAULT_TOKEN_EXPIRED, .first = 1}, .cred = BY_PASSWORD,
     .transient = 1, .logins = 2},
    /* Every 3rd, not 2nd: a renewed attempt must not meet a second revocation, which would be a real rejection. */
    {"password token expiring on every 3rd", .faults = {.kind = FAKE_FAULT_TOKEN_EXPIRED, .every = 3},
     .cred = BY_PASSWORD, .transient = 1},
    {"AK/SK rejected as expired", FAULT(FAKE_FAULT_TOKEN_EXPIRED), .cred = BY_AKSK, .expect = MA_ERR_UNAUTHORIZED,
     .http_status = 401, .code = "APIG.0307", .request_id = RID_FAULT},
};
#define ROW_COUNT (sizeof ROWS / sizeof ROWS[0])

/* The fault-free results every transient cell must reproduce. */
typedef struct id_list {
    int64_t ids[MAX_IDS];
    size_t count;
} id_list;

static fake_server *g_token_server; /* static token, and IAM for the password method */
static fake_server *g_aksk_server;
static id_list g_first_page;
static id_list g_all_jobs;
static long g_slack_ms = DEFAULT_SLACK_MS;

/* Every log line of one cell, joined by newlines, checked for secrets afterwards. */
typedef struct log_text {
    char *text;
    size_t len;
    size_t lines;
} log_text;

static void collect_log(ma_log_level level, const char *message, void *user_data)
{
    (void)level;
    log_text *log = user_data;
    size_t n = strlen(message);
    char *grown = realloc(log->text, log->len + n + 2);
    if (grown == NULL)
        return;
    log->text = grown;
    memcpy(log->text + log->len, message, n);
    log->len += n;
    log->text[log->len++] = '\n';
    log->text[log->len] = '\0';
    log->lines++;
}

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static fake_server *server_of(const row *r)
{
    return r->cred == BY_AKSK ? g_aksk_server : g_token_server;
}

static ma_credentials *credentials_for(cred c)
{
    ma_credentials *cr = NULL;
    ma_error err;
    ma_status st;
    if (c == BY_TOKEN) {
        st = ma_credentials_new_token(&cr, TOKEN, test_allocator(), &err);
    } else if (c == BY_AKSK) {
        st = ma_credentials_new_aksk(&cr, AK, SK, NULL, test_allocator(), &err);
    } else {
        ma_password_login login = MA_PASSWORD_LOGIN_INIT;
        login.iam_endpoint = fake_server_url(g_token_server);
        login.user_name = IAM_USER;
        login.password = IAM_PASSWORD;
        login.domain_name = IAM_DOMAIN;
        login.project_name = IAM_PROJECT;
        st = ma_credentials_new_password(&cr, &login, test_allocator(), &err);
    }
    if (st != MA_OK)
        fail_msg("credentials: %s: %s", ma_status_name(st), err.message);
    return cr;
}

static ma_client *client_for(const row *r, mode m, ma_credentials *cr, log_text *log)
{
    ma_client_options o;
    assert_int_equal(ma_client_options_init(&o, MA_CLIENT_OPTIONS_VERSION), MA_OK);
    o.endpoint = fake_server_url(server_of(r));
    o.project_id = E2E_PROJECT;
    o.credentials = cr;
    o.allocator = test_allocator();
    o.connect_timeout_ms = 2000;
    o.timeout_ms = r->attempt_timeout_ms ? r->attempt_timeout_ms : 2000;
    o.total_timeout_ms = r->call_deadline_ms ? r->call_deadline_ms : CALL_DEADLINE_MS;
    if (r->walk_deadline_ms && m == SINGLE)
        o.total_timeout_ms = r->walk_deadline_ms;
    static const ma_retry_policy quick = {MA_RETRY_POLICY_VERSION, 3, 5, 20};
    o.retry = &quick;
    o.low_speed_limit_bytes = r->low_speed_bytes ? r->low_speed_bytes : 1000;
    o.low_speed_time_s = r->low_speed_s ? r->low_speed_s : 1;
    o.max_response_bytes = MAX_BODY_BYTES;
    o.log = collect_log;
    o.log_user_data = log;
    o.log_level = MA_LOG_DEBUG;
    ma_client *client = NULL;
    ma_error err;
    ma_status st = ma_client_new(&client, &o, &err);
    if (st != MA_OK)
        fail_msg("ma_client_new: %s: %s", ma_status_name(st), err.message);
    return client;
}

/* What one cell's call produced. */
typedef struct outcome {
    ma_status status;
    ma_error err;
    id_list ids; /* the jobs handed out, also those before a failure */
    int failed_page;
} outcome;

static void add_ids(id_list *ids, const ma_job_list *list)
{
    for (size_t i = 0; i < ma_job_list_count(list) && ids->count < MAX_IDS; i++)
        ids->ids[ids->count++] = ma_job_list_at(list, i)->job_id;
}

static void run_walk(ma_client *client, const ma_job_query *q, unsigned int concurrency, long deadline_ms, outcome *out)
{
    ma_walk_options w;
    assert_int_equal(ma_walk_options_init(&w, MA_WALK_OPTIONS_VERSION), MA_OK);
    w.concurrency = concurrency;
    w.timeout_ms = deadline_ms;
    ma_job_iter *it = NULL;
    assert_int_equal(ma_job_iter_new(&it, client, q, &w, &out->err), MA_OK);
    const ma_job *job = NULL;
    while ((out->status = ma_job_iter_next(it, &job, &out->err)) == MA_OK && job != NULL)
        if (out->ids.count < MAX_IDS)
            out->ids.ids[out->ids.count++] = job->job_id;
    out->failed_page = ma_job_iter_failed_page(it);
    if (out->status != MA_OK) {
        /* The walk is over: asking again gives the same failure, and no job. */
        ma_error again;
        job = NULL;
        ma_status st = ma_job_iter_next(it, &job, &again);
        if (st != out->status || job != NULL || strcmp(again.message, out->err.message) != 0 ||
            strcmp(again.request_id, out->err.request_id) != 0 || again.http_status != out->err.http_status)
            fail_msg("the iterator's second answer after %s differs: %s: %s", ma_status_name(out->status),
                     ma_status_name(st), again.message);
    }
    ma_job_iter_free(it);
}

static void run_mode(ma_client *client, mode m, long walk_deadline_ms, outcome *out)
{
    memset(out, 0, sizeof *out);
    ma_job_query *q = NULL;
    assert_int_equal(ma_job_query_new(&q, test_allocator(), NULL), MA_OK);
    assert_int_equal(ma_job_query_set_per_page(q, PER_PAGE, NULL), MA_OK);
    ma_job_list *list = NULL;
    switch (m) {
    case SINGLE:
        out->status = ma_list_training_jobs(client, q, &list, &out->err);
        add_ids(&out->ids, list);
        break;
    case ITER:
        run_walk(client, q, 1, walk_deadline_ms, out);
        break;
    case LIST_ALL: {
        ma_walk_options w;
        assert_int_equal(ma_walk_options_init(&w, MA_WALK_OPTIONS_VERSION), MA_OK);
        w.concurrency = 1;
        w.timeout_ms = walk_deadline_ms;
        out->status = ma_list_all_training_jobs(client, q, &w, &list, &out->err);
        if (out->status != MA_OK && list != NULL)
            fail_msg("list-all failed with %s but returned a list", ma_status_name(out->status));
        add_ids(&out->ids, list);
        break;
    }
    case PARALLEL:
        run_walk(client, q, 4, walk_deadline_ms, out);
        break;
    case MODE_COUNT:
        break;
    }
    ma_job_list_free(list);
    ma_job_query_free(q);
}

static void wait_quiet(fake_server *srv)
{
    for (int waited = 0; fake_server_open_connections(srv) > 0; waited += 5) {
        if (waited > 10000)
            fail_msg("the fake server still has %zu connections open", fake_server_open_connections(srv));
        struct timespec pause = {0, 5 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
}

static void assert_same_ids(const char *cell, const id_list *got, const id_list *want)
{
    if (got->count != want->count)
        fail_msg("%s: %zu jobs instead of %zu", cell, got->count, want->count);
    for (size_t i = 0; i < want->count; i++)
        if (got->ids[i] != want->ids[i])
            fail_msg("%s: job %zu is %lld instead of %lld", cell, i, (long long)got->ids[i], (long long)want->ids[i]);
}

static void assert_no_secret(const char *cell, const char *what, const char *text, const char *const *secrets,
                             size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (secrets[i][0] != '\0' && text != NULL && strstr(text, secrets[i]) != NULL)
            fail_msg("%s: the %s holds secret #%zu", cell, what, i);
}

/* Every token the server saw in this cell (an IAM token too), and the fixed secrets. */
static void check_secrets(const char *cell, fake_server *srv, size_t first_request, const log_text *log,
                          const ma_error *err)
{
    static const char *const FIXED[] = {TOKEN, SK, AK, IAM_PASSWORD};
    size_t fixed = sizeof FIXED / sizeof FIXED[0];
    assert_no_secret(cell, "log", log->text, FIXED, fixed);
    assert_no_secret(cell, "error message", err->message, FIXED, fixed);
    fake_request *req = malloc(sizeof *req);
    assert_non_null(req);
    for (size_t i = first_request; fake_server_request_at(srv, i, req) == 0; i++) {
        const char *signature = strstr(req->authorization, "Signature=");
        const char *seen[2] = {req->auth_token, signature ? signature + strlen("Signature=") : ""};
        assert_no_secret(cell, "log", log->text, seen, 2);
        assert_no_secret(cell, "error message", err->message, seen, 2);
    }
    free(req);
}

/* Logins (POST /v3/auth/tokens) the server saw since @p first_request. */
static size_t logins_since(fake_server *srv, size_t first_request)
{
    fake_request *req = malloc(sizeof *req);
    assert_non_null(req);
    size_t n = 0;
    for (size_t i = first_request; fake_server_request_at(srv, i, req) == 0; i++)
        n += strcmp(req->method, "POST") == 0 && strncmp(req->uri, "/v3/auth/tokens", 15) == 0;
    free(req);
    return n;
}

/* Whether every list request since @p first_request offered gzip. */
static int all_offer_gzip(fake_server *srv, size_t first_request)
{
    fake_request *req = malloc(sizeof *req);
    assert_non_null(req);
    int ok = 1;
    for (size_t i = first_request; fake_server_request_at(srv, i, req) == 0; i++) {
        const char *offer = strstr(req->headers, "Accept-Encoding: ");
        const char *end = offer ? strchr(offer, '\n') : NULL;
        const char *gzip = offer ? strstr(offer, "gzip") : NULL;
        if (strstr(req->uri, "/training-jobs") != NULL && (gzip == NULL || (end != NULL && gzip > end)))
            ok = 0;
    }
    free(req);
    return ok;
}

static void check_failure(const char *cell, const row *r, mode m, const outcome *out, const char *fault_rid)
{
    if (out->status != r->expect)
        fail_msg("%s: %s instead of %s (%s)", cell, ma_status_name(out->status), ma_status_name(r->expect),
                 out->err.message);
    if (out->err.status != r->expect)
        fail_msg("%s: ma_error::status %s", cell, ma_status_name(out->err.status));
    if (out->err.http_status != r->http_status)
        fail_msg("%s: http_status %d instead of %d (%s)", cell, out->err.http_status, r->http_status, out->err.message);
    /* Only a transfer libcurl ended itself has a transport code. */
    int by_transport =
        r->expect == MA_ERR_TRANSPORT || r->expect == MA_ERR_TIMEOUT || r->expect == MA_ERR_RESPONSE_TOO_LARGE;
    if (r->curl_code ? out->err.transport_code != r->curl_code : (out->err.transport_code != 0) != by_transport)
        fail_msg("%s: transport_code %d (%s)", cell, out->err.transport_code, out->err.message);
    const char *code = r->code ? r->code : "";
    if (strcmp(out->err.service_code, code) != 0)
        fail_msg("%s: service_code '%s' instead of '%s'", cell, out->err.service_code, code);
    char want_rid[MA_ERROR_REQUEST_ID_SIZE] = "";
    if (r->request_id == RID_FAULT) {
        snprintf(want_rid, sizeof want_rid, "%s", fault_rid);
        if (want_rid[0] == '\0')
            fail_msg("%s: the faulted reply carried no request id", cell);
    }
    if (strcmp(out->err.request_id, want_rid) != 0)
        fail_msg("%s: request_id '%s' instead of '%s'", cell, out->err.request_id, want_rid);
    if (out->err.message[0] == '\0' || (r->message && !strstr(out->err.message, r->message)))
        fail_msg("%s: message without '%s': %s", cell, r->message ? r->message : "any text", out->err.message);
    if (r->not_message && strstr(out->err.message, r->not_message))
        fail_msg("%s: the message blames '%s': %s", cell, r->not_message, out->err.message);
    if (m == SINGLE) {
        if (out->ids.count != 0)
            fail_msg("%s: a failed call returned %zu jobs", cell, out->ids.count);
        return;
    }
    char page[32];
    snprintf(page, sizeof page, "page %d", FAULTED_PAGE);
    if (!strstr(out->err.message, page))
        fail_msg("%s: the message does not name %s: %s", cell, page, out->err.message);
    if (r->walk_deadline_ms && !strstr(out->err.message, "ma_walk_options.timeout_ms"))
        fail_msg("%s: the message does not name the walk deadline: %s", cell, out->err.message);
    if (m == LIST_ALL) {
        if (out->ids.count != 0)
            fail_msg("%s: a failed list-all returned %zu jobs", cell, out->ids.count);
        return;
    }
    if (out->failed_page != FAULTED_PAGE)
        fail_msg("%s: failed page %d instead of %d", cell, out->failed_page, FAULTED_PAGE);
    /* Page 1 was handed out before page 2 failed. */
    id_list first = g_all_jobs;
    first.count = PER_PAGE;
    assert_same_ids(cell, &out->ids, &first);
}

static void run_cell(const row *r, mode m)
{
    char cell[160];
    snprintf(cell, sizeof cell, "%s / %s", r->name, MODE_NAMES[m]);
    fake_server *srv = server_of(r);
    /*
     * Every connection of the cell before is closed (a drip must notice); only a thread still sleeping out
     * an injected latency may stay: its request is logged and its fault counted, so it cannot reach this cell.
     */
    if (r->faults.kind != FAKE_FAULT_LATENCY)
        wait_quiet(srv);
    fake_faults f = r->faults;
    /* A lasting fault hits a walk's second page, so the walk has to say which page failed. */
    if (!r->transient && m != SINGLE)
        f.match = FAULTED_PAGE_MATCH;
    assert_int_equal(fake_server_set_faults(srv, &f), 0);
    size_t first_request = fake_server_request_count(srv);

    log_text log = {NULL, 0, 0};
    ma_credentials *cr = credentials_for(r->cred);
    ma_client *client = client_for(r, m, cr, &log);
    outcome out;
    int64_t started = now_ms();
    long walk_deadline = r->walk_deadline_ms ? r->walk_deadline_ms : WALK_DEADLINE_MS;
    run_mode(client, m, walk_deadline, &out);
    int64_t took = now_ms() - started;
    ma_client_free(client);
    ma_credentials_free(cr);
    size_t injected = fake_server_faults_injected(srv);
    char fault_rid[MA_ERROR_REQUEST_ID_SIZE];
    fake_server_last_fault_request_id(srv, fault_rid, sizeof fault_rid);
    assert_int_equal(fake_server_set_faults(srv, NULL), 0);

    long deadline = m != SINGLE           ? walk_deadline
                    : r->walk_deadline_ms ? r->walk_deadline_ms
                    : r->call_deadline_ms ? r->call_deadline_ms
                                          : CALL_DEADLINE_MS;
    if (took > deadline + g_slack_ms)
        fail_msg("%s: took %lld ms, deadline %ld ms", cell, (long long)took, deadline);
    if (injected == 0 && !(m == SINGLE && r->faults.match)) /* a single page is page 1 */
        fail_msg("%s: no fault was injected", cell);
    if (log.lines == 0)
        fail_msg("%s: nothing was logged", cell);
    check_secrets(cell, srv, first_request, &log, &out.err);
    free(log.text);

    if (r->transient) {
        if (out.status != MA_OK)
            fail_msg("%s: %s: %s", cell, ma_status_name(out.status), out.err.message);
        assert_same_ids(cell, &out.ids, m == SINGLE ? &g_first_page : &g_all_jobs);
    } else {
        check_failure(cell, r, m, &out, fault_rid);
    }
    if (r->logins && logins_since(srv, first_request) != r->logins)
        fail_msg("%s: %zu logins instead of %zu", cell, logins_since(srv, first_request), r->logins);
    if (r->faults.kind == FAKE_FAULT_GZIP && !all_offer_gzip(srv, first_request))
        fail_msg("%s: a request did not offer gzip", cell);
}

static void run_row(void **state)
{
    const row *r = *state;
    for (int m = 0; m < MODE_COUNT; m++)
        run_cell(r, (mode)m);
}

/*
 * A first answer slower than the low-speed window, with the call's deadline
 * capping the attempt but not yet passed: nothing arrived, so the stall is
 * tried again like a timeout, and the second attempt succeeds. One page is
 * enough, the walks share the transport. The limit ends the first attempt
 * after about 1 s, leaving the retry 2 s and more.
 */
static void a_stall_before_the_answer_is_tried_again(void **state)
{
    (void)state;
    static const row stall = {"stall before the first byte",
                              .faults = {.kind = FAKE_FAULT_LATENCY, .latency_ms = 2000, .first = 1}, .transient = 1,
                              .call_deadline_ms = 3500, .attempt_timeout_ms = 5000};
    run_cell(&stall, SINGLE);
}

/* The fault-free results, through the same client settings. */
static void record_baseline(void)
{
    static const row clean = {"baseline", .transient = 1};
    log_text log = {NULL, 0, 0};
    ma_credentials *cr = credentials_for(BY_TOKEN);
    ma_client *client = client_for(&clean, SINGLE, cr, &log);
    outcome out;
    run_mode(client, SINGLE, WALK_DEADLINE_MS, &out);
    assert_int_equal(out.status, MA_OK);
    g_first_page = out.ids;
    run_mode(client, LIST_ALL, WALK_DEADLINE_MS, &out);
    assert_int_equal(out.status, MA_OK);
    g_all_jobs = out.ids;
    ma_client_free(client);
    ma_credentials_free(cr);
    free(log.text);
    assert_int_equal(g_first_page.count, PER_PAGE);
    assert_int_equal(g_all_jobs.count, e2e_count_workspace(fake_server_dataset(g_token_server), "0"));
    assert_true(g_all_jobs.count > 2 * PER_PAGE);
}

/* The same data set behind a static token and IAM (password logins), or behind AK/SK signatures. */
static int start_server(cred c, fake_server **out)
{
    fake_server_options so;
    fake_server_options_init(&so);
    so.job_count = JOBS;
    so.project_id = E2E_PROJECT;
    if (c == BY_AKSK) {
        so.ak = AK;
        so.sk = SK;
    } else {
        so.token = TOKEN;
        so.iam_user = IAM_USER;
        so.iam_password = IAM_PASSWORD;
        so.iam_domain = IAM_DOMAIN;
        so.iam_project_name = IAM_PROJECT;
        so.iam_project_id = E2E_PROJECT;
    }
    return fake_server_start(&so, out);
}

static int group_setup(void **state)
{
    (void)state;
    if (ma_global_init() != MA_OK)
        return -1;
    const char *slack = getenv("MA_TEST_FAULT_SLACK_MS");
    if (slack != NULL && atol(slack) > 0)
        g_slack_ms = atol(slack);
    if (start_server(BY_TOKEN, &g_token_server) != 0 || start_server(BY_AKSK, &g_aksk_server) != 0)
        return -1;
    record_baseline();
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fake_server_stop(g_token_server);
    fake_server_stop(g_aksk_server);
    ma_global_cleanup();
    return 0;
}

int main(void)
{
    struct CMUnitTest tests[ROW_COUNT + 1];
    memset(tests, 0, sizeof tests);
    for (size_t i = 0; i < ROW_COUNT; i++) {
        tests[i].name = ROWS[i].name;
        tests[i].test_func = run_row;
        tests[i].initial_state = (void *)(uintptr_t)&ROWS[i];
    }
    tests[ROW_COUNT].name = "a stall before the answer is tried again";
    tests[ROW_COUNT].test_func = a_stall_before_the_answer_is_tried_again;
    return cmocka_run_group_tests_name("fault_matrix", tests, group_setup, group_teardown);
}
