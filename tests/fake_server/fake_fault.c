/*
 * Standing faults of the fake server. The rules count list requests and pick
 * the faulted ones; the replies break the contract in one way each, most of
 * them starting from the page the request would normally have got.
 */
#define _POSIX_C_SOURCE 200809L

#include "fake_fault.h"
#include "fake_throttle.h"

#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/socket.h>

#include <jansson.h>

#define DEFAULT_STATUS     503u
#define DEFAULT_LATENCY_MS 1000u
#define DEFAULT_DRIP_MS    100u
#define DEFAULT_HUGE_BYTES ((size_t)40 * 1024 * 1024)
#define DEFAULT_STALL_MS   30000u
/* The documented example of a user policy: 10 calls per minute. */
#define DEFAULT_THROTTLE_LIMIT     10u
#define DEFAULT_THROTTLE_WINDOW_MS 60000u
/* Bounds that keep the buckets' integer arithmetic within 64 bits. */
#define MAX_THROTTLE_LIMIT     1000000u
#define MAX_THROTTLE_WINDOW_MS 3600000u
/* Time for the headers to cross loopback before a reset, which drops whatever is still unsent. */
#define RESET_GRACE_MS 20u
/* How often a stall looks whether its client has gone. */
#define STALL_POLL_MS 20u
#define STREAM_BLOCK  (16u * 1024u)

struct fake_fault_rules {
    pthread_mutex_t mu;
    fake_faults faults; /* defaults resolved; match, error_code, error_msg are the copies below */
    char *match;
    char *error_code;
    char *error_msg;
    fake_throttle *throttle; /* FAKE_FAULT_THROTTLE's buckets, else NULL */
    uint64_t set_ns;         /* when the faults were set: an outage starts then */
    uint64_t counted;
    size_t injected;
    size_t list_requests;
    size_t throttled;
    char last_request_id[64];
};

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void fake_faults_init(fake_faults *faults)
{
    if (faults != NULL) {
        memset(faults, 0, sizeof *faults);
        faults->kind = FAKE_FAULT_NONE;
        faults->match = NULL;
    }
}

fake_fault_rules *fake_fault_rules_new(const fake_faults *initial)
{
    fake_fault_rules *r = calloc(1, sizeof *r);
    if (r == NULL) {
        return NULL;
    }
    if (pthread_mutex_init(&r->mu, NULL) != 0) {
        free(r);
        return NULL;
    }
    fake_faults_init(&r->faults);
    if (fake_fault_rules_set(r, initial) != 0) {
        fake_fault_rules_free(r);
        return NULL;
    }
    return r;
}

void fake_fault_rules_free(fake_fault_rules *rules)
{
    if (rules == NULL) {
        return;
    }
    pthread_mutex_destroy(&rules->mu);
    free(rules->match);
    free(rules->error_code);
    free(rules->error_msg);
    fake_throttle_free(rules->throttle);
    free(rules);
}

int fake_fault_rules_set(fake_fault_rules *rules, const fake_faults *faults)
{
    fake_faults f;
    fake_faults_init(&f);
    if (faults != NULL) {
        f = *faults;
    }
    if (f.throttle_limit == 0) {
        f.throttle_limit = DEFAULT_THROTTLE_LIMIT;
    }
    if (f.throttle_limit > MAX_THROTTLE_LIMIT) {
        f.throttle_limit = MAX_THROTTLE_LIMIT;
    }
    if (f.throttle_window_ms == 0) {
        f.throttle_window_ms = DEFAULT_THROTTLE_WINDOW_MS;
    }
    if (f.throttle_window_ms > MAX_THROTTLE_WINDOW_MS) {
        f.throttle_window_ms = MAX_THROTTLE_WINDOW_MS;
    }
    char *match = f.match != NULL ? strdup(f.match) : NULL;
    char *code = f.error_code != NULL ? strdup(f.error_code) : NULL;
    char *msg = f.error_msg != NULL ? strdup(f.error_msg) : NULL;
    fake_throttle *throttle =
        f.kind == FAKE_FAULT_THROTTLE ? fake_throttle_new(f.throttle_limit, f.throttle_window_ms) : NULL;
    if ((f.match != NULL && match == NULL) || (f.error_code != NULL && code == NULL) ||
        (f.error_msg != NULL && msg == NULL) || (f.kind == FAKE_FAULT_THROTTLE && throttle == NULL)) {
        free(match);
        free(code);
        free(msg);
        fake_throttle_free(throttle);
        return -1;
    }
    if (f.status == 0) {
        f.status = DEFAULT_STATUS;
    }
    if (f.kind == FAKE_FAULT_LATENCY && f.latency_ms == 0) {
        f.latency_ms = DEFAULT_LATENCY_MS;
    }
    if (f.drip_ms == 0) {
        f.drip_ms = DEFAULT_DRIP_MS;
    }
    if (f.drip_bytes == 0) {
        f.drip_bytes = 1;
    }
    if (f.huge_bytes == 0) {
        f.huge_bytes = DEFAULT_HUGE_BYTES;
    }
    if (f.stall_ms == 0) {
        f.stall_ms = DEFAULT_STALL_MS;
    }
    f.match = match;
    f.error_code = code;
    f.error_msg = msg;
    pthread_mutex_lock(&rules->mu);
    /* Swapped under the lock, freed after it: a pick copies what it needs while holding the lock. */
    char *old_match = rules->match, *old_code = rules->error_code, *old_msg = rules->error_msg;
    fake_throttle *old_throttle = rules->throttle;
    rules->match = match;
    rules->error_code = code;
    rules->error_msg = msg;
    rules->throttle = throttle;
    rules->faults = f;
    rules->set_ns = now_ns();
    rules->counted = 0;
    rules->injected = 0;
    rules->list_requests = 0;
    rules->throttled = 0;
    rules->last_request_id[0] = '\0';
    pthread_mutex_unlock(&rules->mu);
    free(old_match);
    free(old_code);
    free(old_msg);
    fake_throttle_free(old_throttle);
    return 0;
}

size_t fake_fault_rules_injected(fake_fault_rules *rules)
{
    pthread_mutex_lock(&rules->mu);
    size_t n = rules->injected;
    pthread_mutex_unlock(&rules->mu);
    return n;
}

size_t fake_fault_rules_list_requests(fake_fault_rules *rules)
{
    pthread_mutex_lock(&rules->mu);
    size_t n = rules->list_requests;
    pthread_mutex_unlock(&rules->mu);
    return n;
}

size_t fake_fault_rules_throttled(fake_fault_rules *rules)
{
    pthread_mutex_lock(&rules->mu);
    size_t n = rules->throttled;
    pthread_mutex_unlock(&rules->mu);
    return n;
}

void fake_fault_rules_last_request_id(fake_fault_rules *rules, char *out, size_t size)
{
    if (out == NULL || size == 0) {
        return;
    }
    pthread_mutex_lock(&rules->mu);
    snprintf(out, size, "%s", rules->last_request_id);
    pthread_mutex_unlock(&rules->mu);
}

/* Kinds whose reply has no X-Request-Id: a gateway's own page, or no reply at all. */
static int carries_request_id(fake_fault_kind kind)
{
    return kind != FAKE_FAULT_GATEWAY_HTML && kind != FAKE_FAULT_CLOSE;
}

/* Copies the standing faults into @p plan, with its own copies of the strings (cut to the plan's arrays). */
static void copy_plan(const fake_faults *f, fake_fault_plan *plan)
{
    plan->f = *f;
    plan->f.match = NULL;
    snprintf(plan->error_code, sizeof plan->error_code, "%s", f->error_code != NULL ? f->error_code : "");
    snprintf(plan->error_msg, sizeof plan->error_msg, "%s", f->error_msg != NULL ? f->error_msg : "");
    plan->f.error_code = f->error_code != NULL ? plan->error_code : NULL;
    plan->f.error_msg = f->error_msg != NULL ? plan->error_msg : NULL;
}

/*
 * Whether a request the counting rules picked gets the fault at @p now: an
 * outage may be over, and a throttled request is one whose bucket is empty.
 */
static int still_faulted(fake_fault_rules *rules, const char *client_key, uint64_t now, uint64_t *wait_ns)
{
    const fake_faults *f = &rules->faults;
    if (f->kind == FAKE_FAULT_OUTAGE) {
        return f->outage_ms == 0 || now - rules->set_ns < (uint64_t)f->outage_ms * 1000000u;
    }
    if (f->kind == FAKE_FAULT_THROTTLE) {
        /* Out of memory for a new client's bucket: let the request through rather than invent a 429. */
        if (fake_throttle_take(rules->throttle, client_key != NULL ? client_key : "", now, wait_ns) != 0) {
            return 0;
        }
        rules->throttled++;
    }
    return 1;
}

int fake_fault_pick(fake_fault_rules *rules, const char *target, const char *client_key, const char *request_id,
                    fake_fault_plan *plan)
{
    int hit = 0;
    uint64_t now = now_ns();
    pthread_mutex_lock(&rules->mu);
    rules->list_requests++;
    const fake_faults *f = &rules->faults;
    if (f->kind != FAKE_FAULT_NONE && (rules->match == NULL || (target != NULL && strstr(target, rules->match)))) {
        uint64_t counted = ++rules->counted;
        uint64_t n = counted - f->skip; /* 1 for the first request past the skipped ones */
        hit = counted > f->skip && (f->first == 0 || n <= f->first) && (f->every == 0 || (n - 1) % f->every == 0);
        uint64_t wait_ns = 0;
        hit = hit && still_faulted(rules, client_key, now, &wait_ns);
        if (hit) {
            copy_plan(f, plan);
            if (f->kind == FAKE_FAULT_THROTTLE) {
                /* Whole seconds, rounded up so that a client that waits that long finds a token. */
                uint64_t s = (wait_ns + 999999999u) / 1000000000u;
                plan->f.retry_after_s = f->throttle_retry_after ? (unsigned int)(s > 0 ? s : 1) : 0;
            }
            rules->injected++;
            snprintf(rules->last_request_id, sizeof rules->last_request_id, "%s",
                     carries_request_id(f->kind) ? request_id : "");
        }
    }
    pthread_mutex_unlock(&rules->mu);
    return hit;
}

/* ---- replies ---- */

/* A whole body (malloc'd, taken) with its type, request id (unless NULL) and encoding (unless NULL). */
static enum MHD_Result send_body(struct MHD_Connection *connection, unsigned int status, char *body, size_t len,
                                 const char *content_type, const char *request_id, const char *encoding)
{
    return fake_send_body(connection, status, body, len, content_type, request_id,
                          encoding != NULL ? MHD_HTTP_HEADER_CONTENT_ENCODING : NULL, encoding);
}

static enum MHD_Result send_text(struct MHD_Connection *connection, unsigned int status, const char *text,
                                 const char *content_type, const char *request_id)
{
    return send_body(connection, status, strdup(text), strlen(text), content_type, request_id, NULL);
}

/*
 * {"error_code": .., "error_msg": ..}: the shape ModelArts and its gateway use
 * for HTTP errors; the fault's own code and message win over the kind's.
 */
static char *error_body(const fake_faults *f, const char *code, const char *message, size_t *len)
{
    json_t *doc = json_pack("{s:s, s:s}", "error_code", f->error_code != NULL ? f->error_code : code, "error_msg",
                            f->error_msg != NULL ? f->error_msg : message);
    char *body = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    *len = body != NULL ? strlen(body) : 0;
    return body;
}

static char *status_body(const fake_faults *f, size_t *len)
{
    char message[96];
    snprintf(message, sizeof message, "Injected fault: HTTP %u from the fake service.", f->status);
    return error_body(f, FAKE_FAULT_ERROR_CODE, message, len);
}

/* APIG's wording: "time:1 second", "time:1 minute" (and "10 second" style for other windows). */
static char *throttle_body(const fake_faults *f, size_t *len)
{
    unsigned int ms = f->throttle_window_ms;
    char window[32];
    if (ms % 60000u == 0) {
        snprintf(window, sizeof window, "%u minute", ms / 60000u);
    } else if (ms % 1000u == 0) {
        snprintf(window, sizeof window, "%u second", ms / 1000u);
    } else {
        snprintf(window, sizeof window, "%u millisecond", ms);
    }
    char message[160];
    snprintf(message, sizeof message,
             "The throttling threshold has been reached: policy user over ratelimit,limit:%u,time:%s",
             f->throttle_limit, window);
    return error_body(f, FAKE_FAULT_THROTTLE_CODE, message, len);
}

/* The page the request would have got; an empty one when its query is invalid. NULL when out of memory. */
static char *normal_page(const fake_fault_env *env, const char *query, size_t *len)
{
    fake_query q;
    fake_query_error qe;
    int rc = fake_query_parse(query, &q, &qe);
    if (rc != 0) {
        static const char EMPTY[] = "{\"is_success\":true,\"job_total_count\":0,\"jobs\":[]}";
        *len = sizeof EMPTY - 1;
        return rc == -1 ? strdup(EMPTY) : NULL;
    }
    char *body = fake_cache_list_body(env->cache, &q, len);
    fake_query_free(&q);
    return body;
}

/*
 * @p page (taken) with every job_id a string, with "jobs" an object, or with
 * optional fields left out or null. NULL when out of memory.
 */
static char *reshape(char *page, size_t *len, fake_fault_kind kind)
{
    json_error_t jerr;
    json_t *doc = json_loadb(page, *len, 0, &jerr);
    free(page);
    json_t *jobs = json_object_get(doc, "jobs");
    if (!json_is_array(jobs)) {
        json_decref(doc);
        return NULL;
    }
    if (kind == FAKE_FAULT_JOBS_OBJECT) {
        json_object_set_new(doc, "jobs", json_pack("{s:i}", "count", (int)json_array_size(jobs)));
    } else if (kind == FAKE_FAULT_OPTIONAL_ABSENT) {
        size_t i;
        json_t *job;
        json_array_foreach(jobs, i, job)
        {
            if (i % 4 == 0) {
                json_object_del(job, "duration");
            } else if (i % 4 == 1) {
                json_object_set_new(job, "version_count", json_null());
            } else if (i % 4 == 2) {
                json_object_del(job, "job_desc");
            }
        }
    } else {
        size_t i;
        json_t *job;
        json_array_foreach(jobs, i, job)
        {
            char text[32];
            snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(job, "job_id")));
            json_object_set_new(job, "job_id", json_string(text));
        }
    }
    char *out = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    *len = out != NULL ? strlen(out) : 0;
    return out;
}

/* A body sent by a reader callback: cut short, dripped, or padded. */
typedef struct stream {
    char *body;
    size_t len;
    size_t cut;         /* bytes sent before the connection drops (len: all) */
    size_t piece;       /* largest piece per call; 0 = no limit */
    unsigned int pause; /* ms before each piece */
    size_t pad;         /* huge: padding bytes before the page's own members */
    fake_state *state;
} stream;

static void stream_free(void *cls)
{
    stream *s = cls;
    free(s->body);
    free(s);
}

/* Truncated and dripped pages; a dripping thread notices a client gone at its next write. */
static ssize_t page_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    stream *s = cls;
    if (pos >= s->cut) {
        return pos >= s->len ? MHD_CONTENT_READER_END_OF_STREAM : MHD_CONTENT_READER_END_WITH_ERROR;
    }
    fake_state_sleep(s->state, s->pause);
    size_t n = s->cut - (size_t)pos;
    n = n < max ? n : max;
    if (s->piece > 0 && n > s->piece) {
        n = s->piece;
    }
    memcpy(buf, s->body + pos, n);
    return (ssize_t)n;
}

/* {"padding":"xxx...", then the page's members: valid JSON of any size, produced as it is sent. */
static ssize_t huge_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    static const char HEAD[] = "{\"padding\":\"";
    const stream *s = cls;
    uint64_t head_end = sizeof HEAD - 1;
    uint64_t pad_end = head_end + s->pad;
    uint64_t total = pad_end + 2 + (s->len - 1);
    if (pos >= total) {
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    size_t n = 0;
    while (n < max && pos < total) {
        if (pos < head_end) {
            buf[n++] = HEAD[pos++];
        } else if (pos < pad_end) {
            uint64_t k = pad_end - pos < (uint64_t)(max - n) ? pad_end - pos : (uint64_t)(max - n);
            memset(buf + n, 'x', (size_t)k);
            n += (size_t)k;
            pos += k;
        } else {
            uint64_t t = pos++ - pad_end;
            buf[n++] = t < 2 ? "\","[t] : s->body[1 + (t - 2)];
        }
    }
    return (ssize_t)n;
}

static enum MHD_Result send_stream(struct MHD_Connection *connection, const fake_faults *plan, char *page, size_t len,
                                   fake_state *state, const char *request_id)
{
    stream *s = calloc(1, sizeof *s);
    if (s == NULL) {
        free(page);
        return MHD_NO;
    }
    s->body = page;
    s->len = len;
    s->cut = plan->kind == FAKE_FAULT_TRUNCATED ? len / 2 : len;
    s->piece = plan->kind == FAKE_FAULT_DRIP ? plan->drip_bytes : 0;
    s->pause = plan->kind == FAKE_FAULT_DRIP ? plan->drip_ms : 0;
    s->pad = plan->huge_bytes;
    s->state = state;
    struct MHD_Response *resp =
        plan->kind == FAKE_FAULT_HUGE
            ? MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK, huge_reader, s, stream_free)
            : MHD_create_response_from_callback((uint64_t)len, STREAM_BLOCK, page_reader, s, stream_free);
    if (resp == NULL) {
        stream_free(s);
        return MHD_NO;
    }
    enum MHD_Result ret = MHD_NO;
    if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json") == MHD_YES &&
        MHD_add_response_header(resp, "X-Request-Id", request_id) == MHD_YES) {
        ret = MHD_queue_response(connection, MHD_HTTP_OK, resp);
    }
    MHD_destroy_response(resp);
    return ret;
}

/* ---- a status line and headers, then nothing good ---- */

typedef struct cut_reply {
    MHD_socket fd;
    unsigned int stall_ms; /* 0: reset */
    fake_state *state;
} cut_reply;

/* Whether the client closed its end: readable with nothing to read. */
static int peer_gone(MHD_socket fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    char c;
    return poll(&p, 1, 0) == 1 && recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) <= 0;
}

/*
 * libmicrohttpd asks for the first body bytes once the headers are sent. A
 * reset goes out as an RST (connect() with AF_UNSPEC disconnects a TCP socket
 * at once), not the FIN a close would send, so the client sees a connection
 * reset after the headers. A stall ends early when the client gives up, so its
 * connection closes with the client's.
 */
static ssize_t cut_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    (void)buf;
    (void)max;
    cut_reply *c = cls;
    if (c->stall_ms == 0) {
        fake_state_sleep(c->state, RESET_GRACE_MS);
        struct sockaddr unspec;
        memset(&unspec, 0, sizeof unspec);
        unspec.sa_family = AF_UNSPEC;
        (void)connect(c->fd, &unspec, sizeof unspec);
        return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    for (unsigned int waited = 0; waited < c->stall_ms && !peer_gone(c->fd); waited += STALL_POLL_MS) {
        fake_state_sleep(c->state, STALL_POLL_MS);
    }
    return MHD_CONTENT_READER_END_WITH_ERROR;
}

/* The reply's status and headers, announcing @p len body bytes (@p body is freed) that never come. */
static enum MHD_Result send_cut(struct MHD_Connection *connection, const fake_faults *plan, const fake_fault_env *env,
                                char *body, size_t len, const char *request_id)
{
    free(body);
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    cut_reply *c = calloc(1, sizeof *c);
    if (c == NULL || info == NULL) {
        free(c);
        return MHD_NO;
    }
    c->fd = info->connect_fd;
    c->stall_ms = plan->kind == FAKE_FAULT_STALL_AFTER_HEADERS ? plan->stall_ms : 0;
    c->state = env->state;
    struct MHD_Response *resp = MHD_create_response_from_callback((uint64_t)len, STREAM_BLOCK, cut_reader, c, free);
    if (resp == NULL) {
        free(c);
        return MHD_NO;
    }
    enum MHD_Result ret = MHD_NO;
    if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json") == MHD_YES &&
        MHD_add_response_header(resp, "X-Request-Id", request_id) == MHD_YES) {
        ret = MHD_queue_response(connection, plan->status, resp);
    }
    MHD_destroy_response(resp);
    return ret;
}

/* Faults that start from the normal page. */
static enum MHD_Result send_page_fault(const fake_faults *plan, const fake_fault_env *env,
                                       struct MHD_Connection *connection, const char *query, const char *request_id)
{
    size_t len = 0;
    char *page = normal_page(env, query, &len);
    if (page == NULL) {
        return MHD_NO;
    }
    switch (plan->kind) {
    case FAKE_FAULT_TRUNCATED:
    case FAKE_FAULT_DRIP:
    case FAKE_FAULT_HUGE:
        return send_stream(connection, plan, page, len, env->state, request_id);
    case FAKE_FAULT_GZIP: {
        size_t zlen = 0;
        char *z = fake_gzip(page, len, &zlen);
        free(page);
        return send_body(connection, MHD_HTTP_OK, z, zlen, "application/json", request_id, "gzip");
    }
    case FAKE_FAULT_GZIP_CORRUPT:
        return send_body(connection, MHD_HTTP_OK, page, len, "application/json", request_id, "gzip");
    case FAKE_FAULT_JOB_ID_STRING:
    case FAKE_FAULT_JOBS_OBJECT:
    case FAKE_FAULT_OPTIONAL_ABSENT:
        page = reshape(page, &len, plan->kind);
        break;
    default:
        break;
    }
    return send_body(connection, MHD_HTTP_OK, page, len, "application/json", request_id, NULL);
}

/* Faults that replace the answer with a whole body of their own; NULL for the others (or when out of memory). */
static char *replacement_body(const fake_faults *plan, const fake_fault_env *env, const char *request_id, size_t *len)
{
    switch (plan->kind) {
    case FAKE_FAULT_STATUS:
        return status_body(plan, len);
    case FAKE_FAULT_THROTTLE:
        return throttle_body(plan, len);
    case FAKE_FAULT_OUTAGE:
        return error_body(plan, FAKE_FAULT_OUTAGE_CODE, FAKE_FAULT_OUTAGE_MESSAGE, len);
    case FAKE_FAULT_NOT_SUCCESS:
        return fake_body_modelarts_error(
            plan->error_code != NULL ? plan->error_code : FAKE_FAULT_ERROR_CODE,
            plan->error_msg != NULL ? plan->error_msg : "Injected fault: the service failed.", len);
    case FAKE_FAULT_TOKEN_EXPIRED:
        if (env->iam != NULL) {
            fake_iam_revoke_all(env->iam);
        }
        return fake_body_gateway_error(FAKE_CODE_GW_TOKEN_STALE, "The token must be updated", request_id, len);
    default:
        return NULL;
    }
}

enum MHD_Result fake_fault_answer(const fake_fault_plan *picked, const fake_fault_env *env,
                                  struct MHD_Connection *connection, const char *query, const char *request_id)
{
    const fake_faults *plan = &picked->f;
    fake_state_sleep(env->state, plan->latency_ms);
    size_t len = 0;
    char *body = NULL;
    switch (plan->kind) {
    case FAKE_FAULT_CLOSE:
        return MHD_NO; /* libmicrohttpd closes the connection without a reply */
    case FAKE_FAULT_GATEWAY_HTML:
        return send_text(connection, MHD_HTTP_BAD_GATEWAY,
                         "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
                         "Gateway</h1></center>\r\n<hr><center>gateway</center>\r\n</body>\r\n</html>\r\n",
                         "text/html", NULL);
    case FAKE_FAULT_MALFORMED:
        return send_text(connection, MHD_HTTP_OK,
                         "{\"is_success\":true,\"jobs\":[{\"job_id\":1,\"job_name\":", "application/json", request_id);
    case FAKE_FAULT_STATUS:
    case FAKE_FAULT_THROTTLE:
    case FAKE_FAULT_OUTAGE: {
        char retry_after[16];
        snprintf(retry_after, sizeof retry_after, "%u", plan->retry_after_s);
        body = replacement_body(plan, env, request_id, &len);
        unsigned int status = plan->kind == FAKE_FAULT_THROTTLE ? MHD_HTTP_TOO_MANY_REQUESTS : plan->status;
        return fake_send_body(connection, status, body, len, "application/json", request_id,
                              plan->retry_after_s > 0 ? MHD_HTTP_HEADER_RETRY_AFTER : NULL, retry_after);
    }
    case FAKE_FAULT_RESET_AFTER_HEADERS:
    case FAKE_FAULT_STALL_AFTER_HEADERS:
        body = plan->status == MHD_HTTP_OK ? normal_page(env, query, &len) : status_body(plan, &len);
        return body != NULL ? send_cut(connection, plan, env, body, len, request_id) : MHD_NO;
    case FAKE_FAULT_NOT_SUCCESS:
    case FAKE_FAULT_TOKEN_EXPIRED:
        body = replacement_body(plan, env, request_id, &len);
        return send_body(connection, plan->kind == FAKE_FAULT_TOKEN_EXPIRED ? MHD_HTTP_UNAUTHORIZED : MHD_HTTP_OK, body,
                         len, "application/json", request_id, NULL);
    default:
        return send_page_fault(plan, env, connection, query, request_id);
    }
}

/* ---- ma-fake-server flags ---- */

static const struct {
    const char *name;
    fake_fault_kind kind;
} KINDS[] = {
    {"latency", FAKE_FAULT_LATENCY},
    {"status", FAKE_FAULT_STATUS},
    {"html-502", FAKE_FAULT_GATEWAY_HTML},
    {"malformed", FAKE_FAULT_MALFORMED},
    {"truncated", FAKE_FAULT_TRUNCATED},
    {"close", FAKE_FAULT_CLOSE},
    {"huge", FAKE_FAULT_HUGE},
    {"drip", FAKE_FAULT_DRIP},
    {"not-success", FAKE_FAULT_NOT_SUCCESS},
    {"job-id-string", FAKE_FAULT_JOB_ID_STRING},
    {"jobs-object", FAKE_FAULT_JOBS_OBJECT},
    {"gzip", FAKE_FAULT_GZIP},
    {"gzip-corrupt", FAKE_FAULT_GZIP_CORRUPT},
    {"token-expired", FAKE_FAULT_TOKEN_EXPIRED},
    {"optional-absent", FAKE_FAULT_OPTIONAL_ABSENT},
    {"reset-after-headers", FAKE_FAULT_RESET_AFTER_HEADERS},
    {"stall-after-headers", FAKE_FAULT_STALL_AFTER_HEADERS},
    {"throttle", FAKE_FAULT_THROTTLE},
    {"outage", FAKE_FAULT_OUTAGE},
};

const char FAKE_FAULT_FLAGS_HELP[] =
    "  --fault KIND      a standing fault on list requests: latency, status, html-502,\n"
    "                    malformed, truncated, close, huge, drip, not-success,\n"
    "                    job-id-string, jobs-object, gzip, gzip-corrupt, token-expired,\n"
    "                    optional-absent, reset-after-headers, stall-after-headers,\n"
    "                    throttle, outage\n"
    "  --fault-match T   count only requests whose target contains T (e.g. &page=2)\n"
    "  --fault-skip N    let the first N counted requests pass (first and every\n"
    "                    count from the next one)\n"
    "  --fault-first N   fault only the first N counted requests\n"
    "  --fault-every K   fault counted requests 1, 1+K, 1+2K, ...\n"
    "  --fault-status S  HTTP status of --fault status and outage, and of the status\n"
    "                    line that reset-after-headers and stall-after-headers send\n"
    "                    before a reset or silence (default 503)\n"
    "  --fault-retry-after N  with --fault status or outage: send Retry-After: N\n"
    "                    (seconds)\n"
    "  --fault-latency-ms N  wait before a faulted reply (latency: default 1000)\n"
    "  --drip-ms N       drip: pause before each piece (default 100)\n"
    "  --drip-bytes N    drip: bytes per piece (default 1)\n"
    "  --huge-bytes N    huge: padding bytes (default 41943040)\n"
    "  --stall-ms N      stall-after-headers: longest silence (default 30000)\n"
    "  --fault-error-code C  error_code of the JSON error bodies of status,\n"
    "                    not-success, throttle, outage and reset/stall-after-headers\n"
    "                    (e.g. APIGW.0308)\n"
    "  --fault-error-msg M  error_msg of that body\n"
    "  --throttle-limit N  throttle: requests per window and client (default 10)\n"
    "  --throttle-window W  throttle: 1s, 1m or a number of ms (default 1m); a client\n"
    "                    is its X-Auth-Token, else its AK, else its address\n"
    "  --throttle-retry-after  throttle: send Retry-After (seconds to the next token)\n"
    "  --outage-ms N     outage: 503 ModelArts.6101 for N ms from the start, then the\n"
    "                    normal answers (default 0: for good)\n";

/* Digits only, at most @p max. */
static int parse_number(const char *s, uint64_t max, uint64_t *out)
{
    if (*s == '\0') {
        return -1;
    }
    uint64_t v = 0;
    for (const char *p = s; *p != '\0'; p++) {
        if (*p < '0' || *p > '9' || v > (max - (uint64_t)(*p - '0')) / 10) {
            return -1;
        }
        v = v * 10 + (uint64_t)(*p - '0');
    }
    *out = v;
    return 0;
}

/* The numeric fault flags: which field each sets, and the values it takes. */
static const struct {
    const char *flag;
    size_t offset; /* of the field in fake_faults */
    int is_size;   /* a size_t field; the others are unsigned int */
    uint64_t min, max;
} NUMERIC_FLAGS[] = {
    {"--fault-skip", offsetof(fake_faults, skip), 0, 0, 600000},
    {"--fault-first", offsetof(fake_faults, first), 0, 0, 600000},
    {"--fault-every", offsetof(fake_faults, every), 0, 0, 600000},
    {"--fault-status", offsetof(fake_faults, status), 0, 100, 999},
    {"--fault-retry-after", offsetof(fake_faults, retry_after_s), 0, 0, 86400},
    {"--fault-latency-ms", offsetof(fake_faults, latency_ms), 0, 0, 600000},
    {"--drip-ms", offsetof(fake_faults, drip_ms), 0, 0, 600000},
    {"--drip-bytes", offsetof(fake_faults, drip_bytes), 1, 0, 600000},
    {"--huge-bytes", offsetof(fake_faults, huge_bytes), 1, 0, UINT64_C(1) << 40},
    {"--stall-ms", offsetof(fake_faults, stall_ms), 0, 0, 600000},
    {"--throttle-limit", offsetof(fake_faults, throttle_limit), 0, 1, MAX_THROTTLE_LIMIT},
    {"--outage-ms", offsetof(fake_faults, outage_ms), 0, 0, 86400000},
};

/* 1s, 1m, Ns, Nm, or a number of milliseconds, within the buckets' bounds. */
static int parse_window(const char *value, unsigned int *ms)
{
    size_t len = strlen(value);
    uint64_t unit = 1;
    char digits[16];
    if (len > 0 && (value[len - 1] == 's' || value[len - 1] == 'm')) {
        unit = value[len - 1] == 's' ? 1000u : 60000u;
        len--;
    }
    uint64_t n = 0;
    if (len == 0 || len >= sizeof digits) {
        return -1;
    }
    memcpy(digits, value, len);
    digits[len] = '\0';
    if (parse_number(digits, MAX_THROTTLE_WINDOW_MS, &n) != 0 || n == 0 || n * unit > MAX_THROTTLE_WINDOW_MS) {
        return -1;
    }
    *ms = (unsigned int)(n * unit);
    return 0;
}

/* The fault flags that are not numbers: 0 set, 2 set by a switch, 1 not one of them, -1 bad value. */
static int other_flag(fake_faults *faults, const char *flag, const char *value)
{
    if (strcmp(flag, "--throttle-retry-after") == 0) {
        faults->throttle_retry_after = 1;
        return 2;
    }
    const char **text = strcmp(flag, "--fault-match") == 0        ? &faults->match
                        : strcmp(flag, "--fault-error-code") == 0 ? &faults->error_code
                        : strcmp(flag, "--fault-error-msg") == 0  ? &faults->error_msg
                                                                  : NULL;
    int is_kind = strcmp(flag, "--fault") == 0;
    int is_window = strcmp(flag, "--throttle-window") == 0;
    if (text == NULL && !is_kind && !is_window) {
        return 1;
    }
    if (value == NULL) {
        return -1;
    }
    if (text != NULL) {
        *text = value;
        return 0;
    }
    if (is_window) {
        return parse_window(value, &faults->throttle_window_ms);
    }
    for (size_t k = 0; k < sizeof KINDS / sizeof KINDS[0]; k++) {
        if (strcmp(value, KINDS[k].name) == 0) {
            faults->kind = KINDS[k].kind;
            return 0;
        }
    }
    return -1;
}

int fake_faults_flag(fake_faults *faults, const char *flag, const char *value)
{
    size_t which = 0;
    while (which < sizeof NUMERIC_FLAGS / sizeof NUMERIC_FLAGS[0] && strcmp(flag, NUMERIC_FLAGS[which].flag) != 0) {
        which++;
    }
    if (which == sizeof NUMERIC_FLAGS / sizeof NUMERIC_FLAGS[0]) {
        return other_flag(faults, flag, value);
    }
    if (value == NULL) {
        return -1;
    }
    uint64_t n = 0;
    if (parse_number(value, NUMERIC_FLAGS[which].max, &n) != 0 || n < NUMERIC_FLAGS[which].min) {
        return -1;
    }
    char *field = (char *)faults + NUMERIC_FLAGS[which].offset;
    if (NUMERIC_FLAGS[which].is_size) {
        *(size_t *)(void *)field = (size_t)n;
    } else {
        *(unsigned int *)(void *)field = (unsigned int)n;
    }
    return 0;
}
