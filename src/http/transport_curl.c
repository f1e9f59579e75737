/*
 * libcurl transport: one easy handle per client, reset and reused for every
 * request so that connections, DNS and TLS sessions are kept alive.
 */
#include <stdint.h>
#include <string.h>

#include <curl/curl.h>

#include "http/http.h"
#include "internal/alloc.h"
#include "internal/error.h"

/* Response header bytes accepted; IAM tokens make some headers several KiB long. */
#define HEADER_BYTES_MAX ((size_t)1024 * 1024)

typedef struct curl_transport {
    ma__transport base;
    ma_allocator alloc;
    CURL *easy;
    long connect_timeout_ms;
    long timeout_ms;
    char *ca_file;
    char *user_agent;
    int verify_tls;
    int allow_http;
    size_t max_response_bytes;
    char errbuf[CURL_ERROR_SIZE];
} curl_transport;

/* State shared with the write and header callbacks during one exchange. */
typedef struct exchange {
    ma__http_response *resp;
    size_t max_body;
    size_t header_bytes;
    int too_large;
    int headers_too_large;
    int out_of_memory;
} exchange;

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    exchange *x = userdata;
    size_t n = size * nmemb; /* libcurl guarantees this product fits */
    if (n > x->max_body - x->resp->body.len) {
        x->too_large = 1;
        return 0;
    }
    if (ma__buf_append(&x->resp->body, data, n) != 0) {
        x->out_of_memory = 1;
        return 0;
    }
    return n;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userdata)
{
    exchange *x = userdata;
    size_t n = size * nmemb;
    x->header_bytes += n;
    if (x->header_bytes > HEADER_BYTES_MAX) {
        x->headers_too_large = 1;
        return 0;
    }
    /* A new status line (1xx interim reply, proxy CONNECT) starts a fresh header block. */
    if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
        ma__headers_clear(&x->resp->headers);
        return n;
    }
    const char *colon = memchr(data, ':', n);
    if (!colon || colon == data)
        return n; /* blank line ending the block, or a malformed line: nothing to keep */
    size_t name_len = (size_t)(colon - data);
    const char *value = colon + 1;
    const char *end = data + n;
    while (value < end && is_space(*value))
        value++;
    while (end > value && is_space(end[-1]))
        end--;
    if (ma__headers_add(&x->resp->headers, data, name_len, value, (size_t)(end - value), 0) != 0) {
        x->out_of_memory = 1;
        return 0;
    }
    return n;
}

static int is_tls_error(CURLcode rc)
{
    switch (rc) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
        return 1;
    default:
        return 0;
    }
}

static ma_status map_curl_error(curl_transport *t, const exchange *x, CURLcode rc, ma_error *err)
{
    if (err)
        err->transport_code = (int)rc;
    if (x->out_of_memory || rc == CURLE_OUT_OF_MEMORY)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory while receiving the response");
    if (x->too_large || rc == CURLE_FILESIZE_EXCEEDED)
        return ma__error_set(err, MA_ERR_RESPONSE_TOO_LARGE, "response body exceeds the limit of %zu bytes",
                             t->max_response_bytes);
    if (x->headers_too_large)
        return ma__error_set(err, MA_ERR_RESPONSE_TOO_LARGE, "response headers exceed %zu bytes", HEADER_BYTES_MAX);
    const char *detail = t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc);
    ma_status st = MA_ERR_TRANSPORT;
    if (rc == CURLE_OPERATION_TIMEDOUT)
        st = MA_ERR_TIMEOUT;
    else if (is_tls_error(rc))
        st = MA_ERR_TLS;
    return ma__error_set(err, st, "%s (curl error %d: %s)", ma_status_str(st), (int)rc, detail);
}

/* Builds the curl header list; every entry is wiped before it is freed. */
static void free_header_slist(struct curl_slist *list)
{
    for (struct curl_slist *p = list; p; p = p->next)
        ma__secure_zero(p->data, strlen(p->data));
    curl_slist_free_all(list);
}

static ma_status build_header_slist(curl_transport *t, const ma__http_request *req, struct curl_slist **out,
                                    ma_error *err)
{
    struct curl_slist *list = NULL;
    ma__buf line;
    ma__buf_init(&line, &t->alloc);
    ma_status st = MA_OK;
    for (size_t i = 0; i < req->headers.count; i++) {
        const ma__header *h = &req->headers.items[i];
        ma__buf_clear(&line);
        if (ma__buf_append_str(&line, h->name) != 0 || ma__buf_append(&line, ": ", 2) != 0 ||
            ma__buf_append_str(&line, h->value) != 0) {
            st = ma__error_set(err, MA_ERR_NOMEM, "out of memory building request headers");
            break;
        }
        struct curl_slist *next = curl_slist_append(list, line.data);
        if (!next) {
            st = ma__error_set(err, MA_ERR_NOMEM, "out of memory building request headers");
            break;
        }
        list = next;
    }
    ma__buf_free_secure(&line);
    if (st != MA_OK) {
        free_header_slist(list);
        return st;
    }
    *out = list;
    return MA_OK;
}

static ma_status apply_options(curl_transport *t, const ma__http_request *req, struct curl_slist *headers, exchange *x,
                               ma_error *err)
{
    CURL *e = t->easy;
    const char *protocols = t->allow_http ? "http" : "https";
    CURLcode rc = CURLE_OK;
#define SET(opt, val)                           \
    do {                                        \
        if (rc == CURLE_OK)                     \
            rc = curl_easy_setopt(e, opt, val); \
    } while (0)
    SET(CURLOPT_ERRORBUFFER, t->errbuf);
    SET(CURLOPT_URL, req->url);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_PROTOCOLS_STR, protocols);
    SET(CURLOPT_REDIR_PROTOCOLS_STR, protocols);
    SET(CURLOPT_FOLLOWLOCATION, 0L);
    SET(CURLOPT_CONNECTTIMEOUT_MS, t->connect_timeout_ms);
    SET(CURLOPT_TIMEOUT_MS, t->timeout_ms);
    SET(CURLOPT_SSL_VERIFYPEER, t->verify_tls ? 1L : 0L);
    SET(CURLOPT_SSL_VERIFYHOST, t->verify_tls ? 2L : 0L);
    if (t->ca_file)
        SET(CURLOPT_CAINFO, t->ca_file);
    SET(CURLOPT_USERAGENT, t->user_agent);
    SET(CURLOPT_HTTPHEADER, headers);
    SET(CURLOPT_ACCEPT_ENCODING, "");
    SET(CURLOPT_TCP_KEEPALIVE, 1L);
    SET(CURLOPT_MAXFILESIZE_LARGE,
        (curl_off_t)(t->max_response_bytes > (size_t)INT64_MAX ? INT64_MAX : (int64_t)t->max_response_bytes));
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, x);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, x);
    if (strcmp(req->method, "GET") == 0)
        SET(CURLOPT_HTTPGET, 1L);
    else
        SET(CURLOPT_CUSTOMREQUEST, req->method);
#undef SET
    if (rc != CURLE_OK) {
        if (err)
            err->transport_code = (int)rc;
        return ma__error_set(err, rc == CURLE_OUT_OF_MEMORY ? MA_ERR_NOMEM : MA_ERR_TRANSPORT,
                             "libcurl rejected a request option: %s", curl_easy_strerror(rc));
    }
    return MA_OK;
}

static ma_status curl_send(ma__transport *self, const ma__http_request *req, ma__http_response *resp, ma_error *err)
{
    curl_transport *t = (curl_transport *)self;
    exchange x = {resp, t->max_response_bytes, 0, 0, 0, 0};
    struct curl_slist *headers = NULL;
    ma_status st = build_header_slist(t, req, &headers, err);
    if (st != MA_OK)
        return st;
    curl_easy_reset(t->easy);
    t->errbuf[0] = '\0';
    st = apply_options(t, req, headers, &x, err);
    if (st == MA_OK) {
        CURLcode rc = curl_easy_perform(t->easy);
        long code = 0;
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
        resp->status = (int)code;
        if (rc != CURLE_OK)
            st = map_curl_error(t, &x, rc, err);
    }
    /* Drop curl's pointer to the list before it is wiped and freed. */
    curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, (struct curl_slist *)NULL);
    free_header_slist(headers);
    return st;
}

static void curl_destroy(ma__transport *self)
{
    curl_transport *t = (curl_transport *)self;
    if (!t)
        return;
    if (t->easy)
        curl_easy_cleanup(t->easy);
    ma_allocator a = t->alloc;
    ma__free(&a, t->ca_file);
    ma__free(&a, t->user_agent);
    ma__free(&a, t);
}

static const ma__transport_vtable curl_vtable = {curl_send, curl_destroy};

ma_status ma__curl_transport_new(const ma_allocator *alloc, const ma__curl_settings *s, ma__transport **out,
                                 ma_error *err)
{
    *out = NULL;
    curl_transport *t = ma__calloc(alloc, 1, sizeof *t);
    if (!t)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory creating the HTTP transport");
    t->base.vtable = &curl_vtable;
    t->alloc = *alloc;
    t->connect_timeout_ms = s->connect_timeout_ms;
    t->timeout_ms = s->timeout_ms;
    t->verify_tls = s->verify_tls;
    t->allow_http = s->allow_http;
    t->max_response_bytes = s->max_response_bytes;
    t->user_agent = ma__strdup(alloc, s->user_agent);
    if (!t->user_agent || (s->ca_file && !(t->ca_file = ma__strdup(alloc, s->ca_file)))) {
        curl_destroy(&t->base);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory creating the HTTP transport");
    }
    t->easy = curl_easy_init();
    if (!t->easy) {
        curl_destroy(&t->base);
        return ma__error_set(err, MA_ERR_TRANSPORT, "curl_easy_init failed");
    }
    *out = &t->base;
    return MA_OK;
}

const char *ma__curl_version(void)
{
    const curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
    return info && info->version ? info->version : "unknown";
}
