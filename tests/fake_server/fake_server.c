/*
 * The fake service on libmicrohttpd: one thread per connection, bound to
 * 127.0.0.1. Each request is logged, then answered either by the oldest
 * scripted reply or by the list API semantics.
 */
#define _POSIX_C_SOURCE 200809L

#include "fake_server.h"
#include "fake_aksk.h"
#include "fake_fault.h"
#include "fake_iam.h"
#include "fake_metadata.h"
#include "fake_internal.h"
#include "fake_progress.h"
#include "fake_state.h"
#include "fake_throttle.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <limits.h>
#include <stdatomic.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <zlib.h>

#define CONNECTION_TIMEOUT_S 30u
#define CONNECTION_MEMORY    (128u * 1024u)
#define REQUEST_ID_LEN       32

struct fake_server {
    struct MHD_Daemon *daemon;
    fake_dataset ds;
    char *token;
    char *ak;
    char *sk;
    char *security_token;
    char *project_id;
    int64_t quotas;
    uint16_t port;
    char url[40];
    char url_localhost[40];
    char *cert_pem;
    char *key_pem;
    atomic_uint latency_ms;
    uint64_t id_salt_hi;
    uint64_t id_salt_lo;
    fake_state *state;
    fake_cache *cache;
    fake_iam *iam;           /* NULL when IAM is off */
    int iam_echo_token;      /* fake_server_options.iam_echo_token */
    fake_metadata *metadata; /* NULL when the metadata service is off */
    fake_progress *progress; /* NULL when the advancing jobs are off */
    fake_fault_rules *faults;
};

/* Per-connection data: the raw target of the current request and its script. */
typedef struct fs_conn {
    char *uri;
    fake_script *script;
    size_t log_index;
} fs_conn;

void fake_server_options_init(fake_server_options *opts)
{
    if (opts == NULL) {
        return;
    }
    opts->port = 0;
    opts->seed = 42;
    opts->job_count = 240;
    opts->token = NULL;
    opts->project_id = NULL;
    opts->quotas = 10000;
    opts->cert_pem = NULL;
    opts->key_pem = NULL;
    opts->latency_ms = 0;
    opts->realistic = 0;
    opts->ak = NULL;
    opts->security_token = NULL;
    opts->sk = NULL;
    opts->iam_user = NULL;
    opts->iam_password = NULL;
    opts->iam_domain = NULL;
    opts->iam_project_name = NULL;
    opts->iam_project_id = NULL;
    opts->iam_token_lifetime_s = 0;
    opts->iam_token_without_project = 0;
    opts->iam_echo_token = 0;
    opts->total_unfiltered = 0;
    opts->advancing_jobs = 0;
    opts->advance_every = 1;
    opts->advance_pace_ms = 0;
    fake_faults_init(&opts->faults);
    opts->metadata_key_lifetime_ms = 0;
    opts->metadata_no_session = 0;
    opts->metadata_no_agency = 0;
    opts->metadata_garbage = 0;
}

/* Bijective 64-bit mixer (the splitmix64 finaliser). */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static void make_request_id(fake_server *srv, char out[REQUEST_ID_LEN + 1])
{
    uint64_t serial = fake_state_next_serial(srv->state);
    snprintf(out, REQUEST_ID_LEN + 1, "%016" PRIx64 "%016" PRIx64, srv->id_salt_hi, mix64(serial ^ srv->id_salt_lo));
}

static fs_conn *conn_of(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info != NULL ? info->socket_context : NULL;
}

/* ---- scripted replies ---- */

static ssize_t script_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    const fake_script *s = cls;
    uint64_t limit = (uint64_t)s->abort_after;
    if (pos >= limit) {
        return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    uint64_t left = limit - pos;
    size_t n = left < (uint64_t)max ? (size_t)left : max;
    if (n > (size_t)SSIZE_MAX) {
        n = (size_t)SSIZE_MAX;
    }
    memcpy(buf, s->body + pos, n);
    return (ssize_t)n;
}

/* Unknown size: libmicrohttpd sends Transfer-Encoding: chunked, one chunk per call. */
static ssize_t chunk_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    const fake_script *s = cls;
    if (pos >= (uint64_t)s->body_len) {
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    size_t left = s->body_len - (size_t)pos;
    size_t n = left < max ? left : max;
    if (n > 1000) {
        n = 1000; /* several chunks, so the client sees a real chunked stream */
    }
    memcpy(buf, s->body + pos, n);
    return (ssize_t)n;
}

static void script_release(void *cls)
{
    fake_script_free(cls);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Adds the "Name: value" lines of @p headers to @p resp. Returns 0 or -1 (OOM). */
static int add_script_headers(struct MHD_Response *resp, const char *headers)
{
    const char *p = headers;
    while (*p != '\0') {
        const char *nl = strchr(p, '\n');
        size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
        char *line = malloc(len + 1);
        if (line == NULL) {
            return -1;
        }
        memcpy(line, p, len);
        line[len] = '\0';
        while (len > 0 && is_blank(line[len - 1])) {
            line[--len] = '\0';
        }
        char *colon = strchr(line, ':');
        if (colon != NULL && colon != line) {
            *colon = '\0';
            char *value = colon + 1;
            while (is_blank(*value)) {
                value++;
            }
            /* libmicrohttpd always sends its own Content-Length, computed from
             * the body; a scripted one would only duplicate it. */
            if (strcasecmp(line, MHD_HTTP_HEADER_CONTENT_LENGTH) != 0 &&
                MHD_add_response_header(resp, line, value) != MHD_YES) {
                fprintf(stderr, "fake_server: libmicrohttpd refused scripted header '%s'\n", line);
            }
        }
        free(line);
        if (nl == NULL) {
            break;
        }
        p = nl + 1;
    }
    return 0;
}

static enum MHD_Result send_script(fake_server *srv, struct MHD_Connection *connection, fake_script *s)
{
    fake_state_sleep(srv->state, s->delay_ms);
    struct MHD_Response *resp;
    int streamed = s->chunked || (s->abort_after >= 0 && (uint64_t)s->abort_after < (uint64_t)s->body_len);
    if (s->chunked) {
        resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, chunk_reader, s, script_release);
        if (resp == NULL) {
            fake_script_free(s);
            return MHD_NO;
        }
    } else if (streamed) {
        resp = MHD_create_response_from_callback((uint64_t)s->body_len, 16 * 1024, script_reader, s, script_release);
        if (resp == NULL) {
            fake_script_free(s);
            return MHD_NO;
        }
    } else {
        resp = MHD_create_response_from_buffer(s->body_len, s->body, MHD_RESPMEM_MUST_COPY);
        if (resp == NULL) {
            fake_script_free(s);
            return MHD_NO;
        }
    }
    enum MHD_Result ret = MHD_NO;
    if (add_script_headers(resp, s->headers) == 0) {
        ret = MHD_queue_response(connection, s->status, resp);
    }
    MHD_destroy_response(resp);
    if (!streamed) {
        fake_script_free(s);
    }
    return ret;
}

/* ---- API semantics ---- */

static enum MHD_Result send_json(struct MHD_Connection *connection, unsigned int status, char *body, size_t len,
                                 const char *request_id, int allow_get)
{
    return fake_send_body(connection, status, body, len, "application/json", request_id,
                          allow_get ? MHD_HTTP_HEADER_ALLOW : NULL, "GET");
}

static enum MHD_Result send_modelarts_error(struct MHD_Connection *connection, unsigned int status, const char *code,
                                            const char *message, const char *request_id, int allow_get)
{
    size_t len = 0;
    char *body = fake_body_modelarts_error(code, message, &len);
    return send_json(connection, status, body, len, request_id, allow_get);
}

static enum MHD_Result send_gateway_error(struct MHD_Connection *connection, unsigned int status, const char *code,
                                          const char *message, const char *request_id)
{
    size_t len = 0;
    char *body = fake_body_gateway_error(code, message, request_id, &len);
    return send_json(connection, status, body, len, request_id, 0);
}

static enum MHD_Result send_internal_error(struct MHD_Connection *connection, const char *request_id)
{
    return send_modelarts_error(connection, MHD_HTTP_INTERNAL_SERVER_ERROR, FAKE_CODE_INTERNAL,
                                "Internal error of the fake service (out of memory).", request_id, 0);
}

static enum MHD_Result answer_list(fake_server *srv, struct MHD_Connection *connection, const char *query,
                                   const char *request_id)
{
    fake_query q;
    fake_query_error err;
    int rc = fake_query_parse(query, &q, &err);
    if (rc == -2) {
        return send_internal_error(connection, request_id);
    }
    if (rc != 0) {
        return send_modelarts_error(connection, MHD_HTTP_BAD_REQUEST, err.code, err.message, request_id, 0);
    }
    enum MHD_Result ret;
    if (!fake_dataset_has_workspace(&srv->ds, q.workspace_id)) {
        ret = send_modelarts_error(connection, MHD_HTTP_BAD_REQUEST, FAKE_CODE_NO_WORKSPACE,
                                   "The workspace does not exist.", request_id, 0);
    } else if (srv->progress != NULL) {
        ret = fake_progress_answer(srv->progress, connection, &q, srv->quotas, request_id);
    } else {
        size_t len = 0;
        char *body = fake_cache_list_body(srv->cache, &q, &len);
        ret = body != NULL ? send_json(connection, MHD_HTTP_OK, body, len, request_id, 0)
                           : send_internal_error(connection, request_id);
    }
    fake_query_free(&q);
    return ret;
}

static enum MHD_Result answer_api(fake_server *srv, struct MHD_Connection *connection, const char *target,
                                  const char *method)
{
    char request_id[REQUEST_ID_LEN + 1];
    make_request_id(srv, request_id);

    char *project_id = NULL;
    const char *query = NULL;
    int route = fake_route_match(target, &project_id, &query);
    if (route < 0) {
        return send_internal_error(connection, request_id);
    }
    if (route == 0) {
        return send_gateway_error(connection, MHD_HTTP_NOT_FOUND, FAKE_CODE_GW_NO_API,
                                  "The API does not exist or has not been published", request_id);
    }
    enum MHD_Result ret;
    const char *token = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "X-Auth-Token");
    char why[128] = "";
    int signed_ok = srv->sk == NULL || fake_aksk_verify(connection, method, target, srv->ak, srv->sk, why, sizeof why);
    if (srv->metadata != NULL) {
        /* A live metadata key, signed, with its security token; or nothing else is accepted. */
        const char *auth = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Authorization");
        const char *access = auth != NULL ? strstr(auth, "Access=") : NULL;
        char ak[32] = "", sk[64], st[64];
        if (access != NULL) {
            size_t n = strcspn(access + 7, ", ");
            snprintf(ak, sizeof ak, "%.*s", (int)(n < sizeof ak ? n : sizeof ak - 1), access + 7);
        }
        const char *sent_st = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "X-Security-Token");
        if (!fake_metadata_live_key(srv->metadata, ak, sk, sizeof sk, st, sizeof st)) {
            signed_ok = 0;
            snprintf(why, sizeof why, "metadata key unknown or expired");
        } else {
            signed_ok = fake_aksk_verify(connection, method, target, ak, sk, why, sizeof why) && sent_st != NULL &&
                        strcmp(sent_st, st) == 0 && strstr(auth, "x-security-token") != NULL;
            if (!signed_ok && !why[0])
                snprintf(why, sizeof why, "X-Security-Token missing, wrong or not signed");
        }
        if (!signed_ok)
            fake_metadata_note_rejection(srv->metadata);
    } else if (signed_ok && srv->sk != NULL && srv->security_token != NULL) {
        const char *st = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "X-Security-Token");
        const char *auth = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Authorization");
        if (st == NULL || strcmp(st, srv->security_token) != 0 || auth == NULL ||
            strstr(auth, "x-security-token") == NULL) {
            signed_ok = 0;
            snprintf(why, sizeof why, "X-Security-Token missing, wrong or not signed");
        }
    }
    fake_iam_token_state iam_state = fake_iam_check_token(srv->iam, token);
    fake_fault_plan fault;
    char *client_key = fake_throttle_client_key(connection);
    int faulted = client_key != NULL && fake_fault_pick(srv->faults, target, client_key, request_id, &fault);
    if (client_key == NULL) {
        ret = send_internal_error(connection, request_id);
    } else if (faulted) {
        fake_fault_env env = {srv->state, srv->cache, srv->iam};
        ret = fake_fault_answer(&fault, &env, connection, query, request_id);
    } else if (strcmp(method, MHD_HTTP_METHOD_GET) != 0) {
        ret = send_modelarts_error(connection, MHD_HTTP_METHOD_NOT_ALLOWED, FAKE_CODE_METHOD,
                                   "The request method is not allowed: only GET is supported "
                                   "on /v1/{project_id}/training-jobs.",
                                   request_id, 1);
    } else if (!signed_ok) {
        char message[256];
        snprintf(message, sizeof message, "Incorrect IAM authentication information: verify aksk signature fail (%s)",
                 why);
        ret = send_gateway_error(connection, MHD_HTTP_UNAUTHORIZED, FAKE_CODE_GW_TOKEN, message, request_id);
    } else if (iam_state == FAKE_IAM_TOKEN_STALE) {
        char message[128] = "The token must be updated";
        if (srv->iam_echo_token)
            snprintf(message, sizeof message, "The token %s must be updated", token);
        ret = send_gateway_error(connection, MHD_HTTP_UNAUTHORIZED, FAKE_CODE_GW_TOKEN_STALE, message, request_id);
    } else if (srv->sk == NULL && srv->metadata == NULL && (srv->token != NULL || srv->iam != NULL) &&
               iam_state != FAKE_IAM_TOKEN_VALID &&
               (srv->token == NULL || token == NULL || strcmp(token, srv->token) != 0)) {
        ret = send_gateway_error(connection, MHD_HTTP_UNAUTHORIZED, FAKE_CODE_GW_TOKEN,
                                 "Incorrect IAM authentication information: the token is invalid", request_id);
    } else if (srv->project_id != NULL && strcmp(project_id, srv->project_id) != 0) {
        ret = send_modelarts_error(connection, MHD_HTTP_FORBIDDEN, FAKE_CODE_PROJECT_MISMATCH,
                                   "The project id in the request URL does not match the token.", request_id, 0);
    } else {
        ret = answer_list(srv, connection, query, request_id);
    }
    free(client_key);
    free(project_id);
    return ret;
}

static enum MHD_Result answer_iam(fake_server *srv, struct MHD_Connection *connection, const fs_conn *c,
                                  const char *target, const char *method)
{
    char request_id[REQUEST_ID_LEN + 1];
    make_request_id(srv, request_id);
    fake_request *logged = malloc(sizeof *logged);
    if (logged == NULL || fake_state_log_at(srv->state, c->log_index, logged) != 0) {
        free(logged);
        return send_internal_error(connection, request_id);
    }
    fake_iam_reply reply;
    fake_iam_answer(srv->iam, method, target, logged->content_type[0] ? logged->content_type : NULL,
                    logged->auth_token[0] ? logged->auth_token : NULL, logged->body,
                    logged->body_len < sizeof logged->body ? logged->body_len : sizeof logged->body - 1, &reply);
    free(logged);
    if (reply.body == NULL) {
        return send_internal_error(connection, request_id);
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(reply.body_len, reply.body, MHD_RESPMEM_MUST_FREE);
    if (resp == NULL) {
        free(reply.body);
        return MHD_NO;
    }
    enum MHD_Result ret = MHD_NO;
    if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json") == MHD_YES &&
        MHD_add_response_header(resp, "X-Request-Id", request_id) == MHD_YES &&
        (!reply.subject_token[0] || MHD_add_response_header(resp, "X-Subject-Token", reply.subject_token) == MHD_YES)) {
        ret = MHD_queue_response(connection, reply.status, resp);
    }
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result answer_metadata(fake_server *srv, struct MHD_Connection *connection, const char *target,
                                       const char *method)
{
    unsigned int status = 500;
    char *body = NULL;
    size_t len = 0;
    fake_metadata_answer(srv->metadata, method, target,
                         MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "X-Metadata-Token"), &status, &body,
                         &len);
    if (body == NULL) {
        return MHD_NO;
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (resp == NULL) {
        free(body);
        return MHD_NO;
    }
    enum MHD_Result ret = MHD_NO;
    if (MHD_add_response_header(
            resp, MHD_HTTP_HEADER_CONTENT_TYPE,
            strncmp(target, "/meta-data/", 11) == 0 && status == 200 ? "text/plain" : "application/json") == MHD_YES) {
        ret = MHD_queue_response(connection, status, resp);
    }
    MHD_destroy_response(resp);
    return ret;
}

unsigned int fake_server_metadata_rejections(fake_server *srv)
{
    return srv != NULL && srv->metadata != NULL ? fake_metadata_rejections(srv->metadata) : 0;
}

unsigned int fake_server_metadata_key_count(fake_server *srv)
{
    return srv != NULL && srv->metadata != NULL ? fake_metadata_key_count(srv->metadata) : 0;
}

/* ---- libmicrohttpd callbacks ---- */

/* Request headers as "Name: value\n" lines, cut to the fake_request field. */
typedef struct header_text {
    char text[sizeof(((fake_request *)0)->headers)];
    size_t used;
} header_text;

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    header_text *h = cls;
    (void)kind;
    size_t room = sizeof h->text - h->used;
    int n = snprintf(h->text + h->used, room, "%s: %s\n", key, value != NULL ? value : "");
    if (n < 0 || (size_t)n >= room) {
        h->used = sizeof h->text - 1;
        return MHD_NO;
    }
    h->used += (size_t)n;
    return MHD_YES;
}

static void on_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    fake_server *srv = cls;
    (void)connection;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        fake_state_connection_opened(srv->state);
        *socket_context = calloc(1, sizeof(fs_conn));
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        fake_state_connection_closed(srv->state);
        fs_conn *c = *socket_context;
        if (c != NULL) {
            free(c->uri);
            fake_script_free(c->script);
            free(c);
        }
        *socket_context = NULL;
    }
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *connection)
{
    (void)cls;
    fs_conn *c = conn_of(connection);
    if (c != NULL) {
        free(c->uri);
        c->uri = strdup(uri);
    }
    return NULL;
}

static void on_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)connection;
    (void)toe;
    fs_conn *c = *con_cls;
    if (c != NULL) {
        fake_script_free(c->script);
        c->script = NULL;
        free(c->uri);
        c->uri = NULL;
    }
    *con_cls = NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    fake_server *srv = cls;
    (void)version;
    fs_conn *c = conn_of(connection);
    if (c == NULL) {
        return MHD_NO;
    }
    if (*con_cls == NULL) {
        *con_cls = c;
        const char *target = c->uri != NULL ? c->uri : url;
        header_text headers = {{0}, 0};
        MHD_get_connection_values(connection, MHD_HEADER_KIND, collect_header, &headers);
        if (fake_state_log(srv->state, method, target,
                           MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "X-Auth-Token"),
                           MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT),
                           MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE),
                           MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
                           headers.text, &c->log_index) != 0) {
            return MHD_NO;
        }
        fake_script_free(c->script);
        c->script = fake_state_pop(srv->state, c->uri);
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        /* Recorded for the request log; the API itself ignores bodies. */
        fake_state_log_body(srv->state, c->log_index, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    fake_state_sleep(srv->state, atomic_load(&srv->latency_ms));
    if (c->script != NULL) {
        fake_script *s = c->script;
        c->script = NULL;
        return send_script(srv, connection, s);
    }
    const char *target = c->uri != NULL ? c->uri : url;
    if (srv->iam != NULL && fake_iam_handles(target)) {
        return answer_iam(srv, connection, c, target, method);
    }
    if (srv->metadata != NULL && fake_metadata_handles(target)) {
        return answer_metadata(srv, connection, target, method);
    }
    return answer_api(srv, connection, target, method);
}

/* ---- public API ---- */

static char *dup_opt(const char *s, int *failed)
{
    if (s == NULL) {
        return NULL;
    }
    char *d = strdup(s);
    if (d == NULL) {
        *failed = 1;
    }
    return d;
}

static void seed_request_ids(fake_server *srv, uint64_t seed)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t base = seed ^ ((uint64_t)now.tv_sec << 30) ^ (uint64_t)now.tv_nsec ^ ((uint64_t)getpid() << 48) ^
                    (uint64_t)(uintptr_t)srv;
    srv->id_salt_hi = mix64(base + UINT64_C(0x9E3779B97F4A7C15));
    srv->id_salt_lo = mix64(base + UINT64_C(0x3C6EF372FE94F82A));
}

int fake_server_start(const fake_server_options *opts, fake_server **out)
{
    if (out == NULL) {
        return -1;
    }
    *out = NULL;
    fake_server_options defaults;
    if (opts == NULL) {
        fake_server_options_init(&defaults);
        opts = &defaults;
    }
    fake_server *srv = calloc(1, sizeof *srv);
    if (srv == NULL) {
        return -1;
    }
    int failed = 0;
    srv->token = dup_opt(opts->token, &failed);
    srv->ak = dup_opt(opts->ak, &failed);
    srv->sk = dup_opt(opts->sk, &failed);
    srv->security_token = dup_opt(opts->security_token, &failed);
    srv->project_id = dup_opt(opts->project_id, &failed);
    srv->quotas = opts->quotas;
    srv->iam = fake_iam_new(opts, &failed);
    srv->iam_echo_token = opts->iam_echo_token;
    srv->metadata = fake_metadata_new(opts, &failed);
    srv->state = fake_state_new();
    srv->faults = fake_fault_rules_new(&opts->faults);
    int generated = opts->realistic ? fake_dataset_generate_realistic(opts->seed, opts->job_count, &srv->ds)
                                    : fake_dataset_generate(opts->seed, opts->job_count, &srv->ds);
    if (failed || srv->state == NULL || srv->faults == NULL || generated != 0 ||
        (srv->cache = fake_cache_new(&srv->ds, srv->quotas, opts->total_unfiltered)) == NULL ||
        (opts->advancing_jobs && (srv->progress = fake_progress_new(opts, &srv->ds)) == NULL)) {
        fake_server_stop(srv);
        return -1;
    }
    seed_request_ids(srv, opts->seed);

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(opts->port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    int tls = opts->cert_pem != NULL && opts->key_pem != NULL;
    if (tls) {
        srv->cert_pem = dup_opt(opts->cert_pem, &failed);
        srv->key_pem = dup_opt(opts->key_pem, &failed);
        if (failed) {
            fake_server_stop(srv);
            return -1;
        }
    }
    atomic_store(&srv->latency_ms, opts->latency_ms);
    struct MHD_OptionItem tls_options[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, srv->cert_pem},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, srv->key_pem},
        {MHD_OPTION_END, 0, NULL},
    };
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_AUTO;
    if (tls) {
        flags |= MHD_USE_TLS;
    } else {
        tls_options[0].option = MHD_OPTION_END;
    }
    srv->daemon = MHD_start_daemon(
        flags, opts->port, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv, MHD_OPTION_CONNECTION_TIMEOUT, CONNECTION_TIMEOUT_S,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY, MHD_OPTION_ARRAY, tls_options, MHD_OPTION_END);
    if (srv->daemon == NULL) {
        fake_server_stop(srv);
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    if (info == NULL || info->port == 0) {
        fake_server_stop(srv);
        return -1;
    }
    srv->port = info->port;
    const char *scheme = tls ? "https" : "http";
    snprintf(srv->url, sizeof srv->url, "%s://127.0.0.1:%u", scheme, (unsigned int)srv->port);
    snprintf(srv->url_localhost, sizeof srv->url_localhost, "%s://localhost:%u", scheme, (unsigned int)srv->port);
    *out = srv;
    return 0;
}

void fake_server_stop(fake_server *srv)
{
    if (srv == NULL) {
        return;
    }
    if (srv->state != NULL) {
        fake_state_stop(srv->state);
    }
    if (srv->daemon != NULL) {
        MHD_stop_daemon(srv->daemon);
        srv->daemon = NULL;
    }
    fake_cache_free(srv->cache);
    fake_progress_free(srv->progress);
    fake_dataset_free(&srv->ds);
    fake_state_free(srv->state);
    fake_iam_free(srv->iam);
    fake_metadata_free(srv->metadata);
    fake_fault_rules_free(srv->faults);
    free(srv->token);
    free(srv->ak);
    free(srv->security_token);
    free(srv->sk);
    free(srv->project_id);
    free(srv->cert_pem);
    free(srv->key_pem);
    free(srv);
}

uint16_t fake_server_port(const fake_server *srv)
{
    return srv != NULL ? srv->port : 0;
}

const char *fake_server_url(const fake_server *srv)
{
    return srv != NULL ? srv->url : NULL;
}

const char *fake_server_url_localhost(const fake_server *srv)
{
    return srv != NULL ? srv->url_localhost : NULL;
}

void fake_server_set_latency(fake_server *srv, unsigned int latency_ms)
{
    if (srv != NULL) {
        atomic_store(&srv->latency_ms, latency_ms);
    }
}

const fake_dataset *fake_server_dataset(const fake_server *srv)
{
    return srv != NULL ? &srv->ds : NULL;
}

/* The gzip member (RFC 1952) of @p len bytes; malloc'd, length in *out_len. NULL when out of memory. */
char *fake_gzip(const char *data, size_t len, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
        return NULL;
    }
    uLong bound = deflateBound(&z, (uLong)len) + 32;
    char *out = malloc(bound);
    if (out == NULL) {
        deflateEnd(&z);
        return NULL;
    }
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    *out_len = (size_t)z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

static int push_script(fake_server *srv, const char *target_contains, const fake_response *resp)
{
    if (srv == NULL || resp == NULL || resp->status < 100 || resp->status > 999) {
        return -1;
    }
    fake_script *s;
    if (resp->gzip) {
        fake_response z = *resp;
        size_t zlen = 0;
        char *zbody = fake_gzip(resp->body != NULL ? resp->body : "", resp->body != NULL ? resp->body_len : 0, &zlen);
        const char *h = resp->headers != NULL ? resp->headers : "";
        size_t hlen = strlen(h) + sizeof "\nContent-Encoding: gzip";
        char *headers = malloc(hlen);
        if (zbody == NULL || headers == NULL) {
            free(zbody);
            free(headers);
            return -1;
        }
        snprintf(headers, hlen, "%s%sContent-Encoding: gzip", h, h[0] != '\0' ? "\n" : "");
        z.body = zbody;
        z.body_len = zlen;
        z.headers = headers;
        s = fake_script_new(&z);
        free(zbody);
        free(headers);
    } else {
        s = fake_script_new(resp);
    }
    if (s == NULL) {
        return -1;
    }
    if (target_contains != NULL && (s->match = strdup(target_contains)) == NULL) {
        fake_script_free(s);
        return -1;
    }
    fake_state_push(srv->state, s);
    return 0;
}

int fake_server_push(fake_server *srv, const fake_response *resp)
{
    return push_script(srv, NULL, resp);
}

int fake_server_push_for(fake_server *srv, const char *target_contains, const fake_response *resp)
{
    return target_contains != NULL ? push_script(srv, target_contains, resp) : -1;
}

int fake_server_push_simple(fake_server *srv, unsigned int status, const char *headers, const char *body)
{
    fake_response r;
    memset(&r, 0, sizeof r);
    r.status = status;
    r.headers = headers;
    r.body = body;
    r.body_len = body != NULL ? strlen(body) : 0;
    r.delay_ms = 0;
    r.abort_after = -1;
    return fake_server_push(srv, &r);
}

size_t fake_server_request_count(const fake_server *srv)
{
    return srv != NULL ? fake_state_log_count(srv->state) : 0;
}

int fake_server_request_at(const fake_server *srv, size_t index, fake_request *out)
{
    if (srv == NULL || out == NULL) {
        return -1;
    }
    return fake_state_log_at(srv->state, index, out);
}

size_t fake_server_connection_count(const fake_server *srv)
{
    return srv != NULL ? fake_state_connection_count(srv->state) : 0;
}

size_t fake_server_open_connections(const fake_server *srv)
{
    return srv != NULL ? fake_state_open_connections(srv->state) : 0;
}

size_t fake_server_peak_connections(const fake_server *srv)
{
    return srv != NULL ? fake_state_peak_connections(srv->state) : 0;
}

void fake_server_reset_peak(fake_server *srv)
{
    if (srv != NULL) {
        fake_state_reset_peak(srv->state);
    }
}

void fake_server_iam_revoke_tokens(fake_server *srv)
{
    if (srv != NULL && srv->iam != NULL) {
        fake_iam_revoke_all(srv->iam);
    }
}

void fake_server_iam_reject_tokens(fake_server *srv, int reject)
{
    if (srv != NULL && srv->iam != NULL) {
        fake_iam_set_reject_tokens(srv->iam, reject);
    }
}

int fake_server_set_faults(fake_server *srv, const fake_faults *faults)
{
    return srv != NULL ? fake_fault_rules_set(srv->faults, faults) : -1;
}

size_t fake_server_faults_injected(const fake_server *srv)
{
    return srv != NULL ? fake_fault_rules_injected(srv->faults) : 0;
}

void fake_server_last_fault_request_id(const fake_server *srv, char *out, size_t size)
{
    if (srv != NULL) {
        fake_fault_rules_last_request_id(srv->faults, out, size);
    }
}

size_t fake_server_list_requests(const fake_server *srv)
{
    return srv != NULL ? fake_fault_rules_list_requests(srv->faults) : 0;
}

size_t fake_server_throttled_count(const fake_server *srv)
{
    return srv != NULL ? fake_fault_rules_throttled(srv->faults) : 0;
}
