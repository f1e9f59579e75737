/*
 * The fake service on libmicrohttpd: one thread per connection, bound to
 * 127.0.0.1. Each request is logged, then answered either by the oldest
 * scripted reply or by the list API semantics.
 */
#define _POSIX_C_SOURCE 200809L

#include "fake_server.h"
#include "fake_internal.h"
#include "fake_state.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <limits.h>
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

#define CONNECTION_TIMEOUT_S 30u
#define CONNECTION_MEMORY    (128u * 1024u)
#define REQUEST_ID_LEN       32

struct fake_server {
    struct MHD_Daemon *daemon;
    fake_dataset ds;
    char *token;
    char *project_id;
    int64_t quotas;
    uint16_t port;
    char url[40];
    uint64_t id_salt_hi;
    uint64_t id_salt_lo;
    fake_state *state;
};

/* Per-connection data: the raw target of the current request and its script. */
typedef struct fs_conn {
    char *uri;
    fake_script *script;
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
    int streamed = s->abort_after >= 0 && (uint64_t)s->abort_after < (uint64_t)s->body_len;
    if (streamed) {
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
    if (body == NULL) {
        return MHD_NO;
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (resp == NULL) {
        free(body);
        return MHD_NO;
    }
    enum MHD_Result ret = MHD_NO;
    if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json") == MHD_YES &&
        MHD_add_response_header(resp, "X-Request-Id", request_id) == MHD_YES &&
        (!allow_get || MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET") == MHD_YES)) {
        ret = MHD_queue_response(connection, status, resp);
    }
    MHD_destroy_response(resp);
    return ret;
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
    } else {
        size_t len = 0;
        char *body = fake_body_list(&srv->ds, &q, srv->quotas, &len);
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
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0) {
        ret = send_modelarts_error(connection, MHD_HTTP_METHOD_NOT_ALLOWED, FAKE_CODE_METHOD,
                                   "The request method is not allowed: only GET is supported "
                                   "on /v1/{project_id}/training-jobs.",
                                   request_id, 1);
    } else if (srv->token != NULL && (token == NULL || strcmp(token, srv->token) != 0)) {
        ret = send_gateway_error(connection, MHD_HTTP_UNAUTHORIZED, FAKE_CODE_GW_TOKEN,
                                 "Incorrect IAM authentication information: the token is invalid", request_id);
    } else if (srv->project_id != NULL && strcmp(project_id, srv->project_id) != 0) {
        ret = send_modelarts_error(connection, MHD_HTTP_FORBIDDEN, FAKE_CODE_PROJECT_MISMATCH,
                                   "The project id in the request URL does not match the token.", request_id, 0);
    } else {
        ret = answer_list(srv, connection, query, request_id);
    }
    free(project_id);
    return ret;
}

/* ---- libmicrohttpd callbacks ---- */

static void on_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    fake_server *srv = cls;
    (void)connection;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        fake_state_connection_opened(srv->state);
        *socket_context = calloc(1, sizeof(fs_conn));
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
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
    (void)upload_data;
    fs_conn *c = conn_of(connection);
    if (c == NULL) {
        return MHD_NO;
    }
    if (*con_cls == NULL) {
        *con_cls = c;
        const char *target = c->uri != NULL ? c->uri : url;
        if (fake_state_log(
                srv->state, method, target, MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "X-Auth-Token"),
                MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT),
                MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE),
                MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION)) != 0) {
            return MHD_NO;
        }
        fake_script_free(c->script);
        c->script = fake_state_pop(srv->state);
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        *upload_data_size = 0; /* request bodies are read and ignored */
        return MHD_YES;
    }
    if (c->script != NULL) {
        fake_script *s = c->script;
        c->script = NULL;
        return send_script(srv, connection, s);
    }
    return answer_api(srv, connection, c->uri != NULL ? c->uri : url, method);
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
    srv->project_id = dup_opt(opts->project_id, &failed);
    srv->quotas = opts->quotas;
    srv->state = fake_state_new();
    if (failed || srv->state == NULL || fake_dataset_generate(opts->seed, opts->job_count, &srv->ds) != 0) {
        fake_server_stop(srv);
        return -1;
    }
    seed_request_ids(srv, opts->seed);

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(opts->port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    srv->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_AUTO,
                                   opts->port, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR,
                                   (struct sockaddr *)&addr, MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
                                   MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION,
                                   on_connection, srv, MHD_OPTION_CONNECTION_TIMEOUT, CONNECTION_TIMEOUT_S,
                                   MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY, MHD_OPTION_END);
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
    snprintf(srv->url, sizeof srv->url, "http://127.0.0.1:%u", (unsigned int)srv->port);
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
    fake_dataset_free(&srv->ds);
    fake_state_free(srv->state);
    free(srv->token);
    free(srv->project_id);
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

const fake_dataset *fake_server_dataset(const fake_server *srv)
{
    return srv != NULL ? &srv->ds : NULL;
}

int fake_server_push(fake_server *srv, const fake_response *resp)
{
    if (srv == NULL || resp == NULL || resp->status < 100 || resp->status > 999) {
        return -1;
    }
    fake_script *s = fake_script_new(resp);
    if (s == NULL) {
        return -1;
    }
    fake_state_push(srv->state, s);
    return 0;
}

int fake_server_push_simple(fake_server *srv, unsigned int status, const char *headers, const char *body)
{
    fake_response r;
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
