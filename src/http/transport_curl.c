/*
 * libcurl transport on one curl_multi handle. The multi handle owns the
 * connection cache, so every exchange of a client shares it: a sequential
 * walk keeps one keep-alive connection; over HTTP/1.1 a batch opens one per
 * exchange in flight, over HTTP/2 (https, negotiated by ALPN) its exchanges
 * share one connection as streams. A share handle keeps TLS sessions and
 * DNS answers across the easy handles. Each pool slot holds its exchange's
 * state, error buffer and a libcurl easy handle made for that exchange. All
 * of it runs on the calling thread.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>

#include <curl/curl.h>

#include "http/curl_observer.h"
#include "http/transport.h"
#include "modelarts/ma_event.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/error.h"

/*
 * Response header bytes accepted; IAM tokens make some headers several KiB
 * long. Below libcurl's own limit (300 KiB since 8.3, also in Debian's 7.88),
 * which it reports as a receive error, so that too many header bytes are
 * always reported as such.
 */
#define HEADER_BYTES_MAX ((size_t)256 * 1024)
/* Connections the cache keeps open between exchanges (at least one per pool slot). */
#define MAX_CACHED_CONNECTIONS 17L
/* Longest URL quoted in an error message; the rest becomes "...". */
#define URL_IN_MESSAGE_MAX 200
/* Upper bound on one curl_multi_poll wait; transfers also wake it. */
#define POLL_MS 1000
/* Sockets libcurl may ask to watch at once in event mode: two per pool slot (happy eyeballs) and spares. */
#define WATCH_MAX 64

ma__curl_option_observer_fn ma__curl_option_observer;
ma__curl_result_fault_fn ma__curl_result_fault;
ma__curl_request_line_observer_fn ma__curl_request_line_observer;
int ma__curl_force_events;

typedef struct curl_transport curl_transport;

/*
 * Pool slots: one more than a run may use, because an authenticator's own
 * request (an IAM login) runs as a nested run of one from the outer run's
 * next(), while the outer run may have a full window in flight.
 */
#define SLOT_COUNT (MA__TRANSPORT_MAX_CONCURRENCY + 1)

/* One pooled easy handle and the state of the exchange it runs. */
typedef struct slot {
    curl_transport *t;
    CURL *easy;
    int busy;
    ma__exchange *x;
    /*
     * The run that started it (its source's ctx, which a batch keeps across
     * runs). Only that run counts it, limits it and reports it; another run
     * that sees it finish while driving the multi handle (a nested login)
     * keeps the outcome here for it.
     */
    const void *owner;
    int finished;               /* done, outcome kept for the owner */
    CURLcode result;            /* when finished */
    int in_order;               /* its owner reads bodies oldest first */
    struct curl_slist *headers; /* every entry wiped before it is freed */
    ma__buf url;
    size_t body_bytes; /* decoded bytes delivered so far */
    size_t header_bytes;
    int too_large;
    int headers_too_large;
    int out_of_memory;
    uint64_t order;        /* when it started: bodies are read oldest first */
    int body_paused;       /* its body waits until the older exchanges are read */
    int deadline_capped;   /* its timeout is what was left of the request's deadline */
    int cancelled;         /* the cancel hook asked to stop */
    int target_checked;    /* the request line libcurl sent was compared with the URL */
    int target_lost;       /* ... and it was not the URL's target: libcurl ran out of memory */
    CURLcode resume_error; /* letting its held-back body through failed: the exchange ends with it */
    char errbuf[CURL_ERROR_SIZE];
} slot;

struct curl_transport {
    ma__transport base;
    ma_allocator alloc;
    CURLM *multi;
    long connect_timeout_ms;
    long timeout_ms;
    long low_speed_limit_bytes;
    long low_speed_time_s;
    int (*cancel)(void *user_data);
    void *cancel_user_data;
    char *ca_file;
    char *user_agent;
    int verify_tls;
    size_t max_response_bytes;
    const ma__clock *clock; /* the client's: a clock it swaps in (tests) applies to deadlines too */
    CURLSH *share;          /* TLS sessions and DNS answers of every easy handle */
    long host_connections;  /* CURLMOPT_MAX_HOST_CONNECTIONS as set now */
    uint64_t next_order;
    slot slots[SLOT_COUNT];
    /*
     * Socket events (use_events): libcurl tells which sockets to watch and
     * when its timer is due, instead of being polled by curl_multi_perform.
     * The table lets a run that may wait poll those sockets itself.
     */
    int evented;
    ma__transport_watch watch; /* a caller's loop, told of every change; none for the transport's own */
    struct watched_socket {
        int fd;
        int events; /* MA_EVENT_READ | MA_EVENT_WRITE */
    } watched[WATCH_MAX];
    size_t watched_count;
    int64_t curl_due_ms; /* system monotonic; -1 = libcurl waits for nothing */
    int starved;         /* a no_wait run found every slot taken (take_starved) */
};

/* The oldest exchange of @p owner still receiving, whose body is read first. */
static slot *oldest_busy(curl_transport *t, const void *owner)
{
    slot *oldest = NULL;
    for (size_t i = 0; i < SLOT_COUNT; i++) {
        slot *s = &t->slots[i];
        if (s->busy && !s->finished && s->owner == owner && (!oldest || s->order < oldest->order))
            oldest = s;
    }
    return oldest;
}

/* @p rc, or what the test hook makes of the call @p call. */
static CURLcode call_result(CURLcode rc, const char *call)
{
    if (rc == CURLE_OK && ma__curl_result_fault)
        return (CURLcode)ma__curl_result_fault(call);
    return rc;
}

static void resume_body(slot *s)
{
    if (!s->body_paused)
        return;
    s->body_paused = 0;
    /*
     * Unpausing delivers the held-back data at once; if that fails, some of it
     * may be lost or the transfer may stay paused for good. The exchange ends
     * here: its owner completes it like one that finished.
     */
    CURLcode rc = call_result(curl_easy_pause(s->easy, CURLPAUSE_CONT), "pause");
    /*
     * libcurl 7.88 answers CURLE_BAD_FUNCTION_ARGUMENT for a handle whose
     * connection is already gone: the transfer ended (its outcome is on the
     * way through the multi handle) and nothing is left to let through. A body
     * cut short still fails where it is decoded, so this is not a loss.
     */
    if (rc == CURLE_BAD_FUNCTION_ARGUMENT)
        return;
    if (rc != CURLE_OK && s->resume_error == CURLE_OK) {
        s->resume_error = rc;
        s->finished = 1;
        s->result = rc;
    }
}

/* The oldest exchange of an in-order @p owner may read its body now: let its held-back data through. */
static void resume_oldest(curl_transport *t, const void *owner)
{
    slot *o = oldest_busy(t, owner);
    if (o && o->in_order)
        resume_body(o);
}

/* ---- options: one wrapper per kind, so the test observer sees every call ---- */

static CURLcode set_long(CURL *e, CURLoption opt, long value)
{
    if (ma__curl_option_observer)
        ma__curl_option_observer((int)opt, value, NULL);
    return curl_easy_setopt(e, opt, value);
}

static CURLcode set_str(CURL *e, CURLoption opt, const char *text)
{
    if (ma__curl_option_observer)
        ma__curl_option_observer((int)opt, 0, text);
    return curl_easy_setopt(e, opt, text);
}

static CURLcode set_off(CURL *e, CURLoption opt, curl_off_t value)
{
    if (ma__curl_option_observer)
        ma__curl_option_observer((int)opt, value > (curl_off_t)LONG_MAX ? LONG_MAX : (long)value, NULL);
    return curl_easy_setopt(e, opt, value);
}

static CURLcode set_ptr(CURL *e, CURLoption opt, void *ptr)
{
    if (ma__curl_option_observer)
        ma__curl_option_observer((int)opt, 0, NULL);
    return curl_easy_setopt(e, opt, ptr);
}

static CURLcode set_write_fn(CURL *e, CURLoption opt, curl_write_callback fn)
{
    if (ma__curl_option_observer)
        ma__curl_option_observer((int)opt, 0, NULL);
    return curl_easy_setopt(e, opt, fn);
}

static CURLcode set_debug_fn(CURL *e, CURLoption opt, curl_debug_callback fn)
{
    if (ma__curl_option_observer)
        ma__curl_option_observer((int)opt, 0, NULL);
    return curl_easy_setopt(e, opt, fn);
}

static CURLcode set_xferinfo_fn(CURL *e, CURLoption opt, curl_xferinfo_callback fn)
{
    if (ma__curl_option_observer)
        ma__curl_option_observer((int)opt, 0, NULL);
    return curl_easy_setopt(e, opt, fn);
}

/* ---- callbacks ---- */

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    slot *s = userdata;
    size_t n = size * nmemb; /* libcurl guarantees this product fits */
    if (s->target_lost || s->resume_error != CURLE_OK)
        return 0;
    /*
     * In order: bodies are read oldest first, the rest wait in their sockets.
     * Exchanges then finish one after another instead of all together, so
     * each connection asks for its next page while the others are still
     * being read, and a window never waits for the decode of all its pages.
     */
    if (s->in_order && oldest_busy(s->t, s->owner) != s) {
        s->body_paused = 1;
        return CURL_WRITEFUNC_PAUSE;
    }
    /* Counted on decoded bytes: MAXFILESIZE only sees Content-Length, not chunked or compressed bodies. */
    if (n > s->t->max_response_bytes - s->body_bytes) {
        s->too_large = 1;
        return 0;
    }
    s->body_bytes += n;
    ma__exchange *x = s->x;
    if (x->sink) {
        x->sink->write(x->sink->ctx, data, n);
        return n;
    }
    if (ma__buf_append(&x->resp->body, data, n) != 0) {
        s->out_of_memory = 1;
        return 0;
    }
    return n;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userdata)
{
    slot *s = userdata;
    size_t n = size * nmemb;
    if (s->target_lost)
        return 0;
    s->header_bytes += n;
    if (s->header_bytes > HEADER_BYTES_MAX) {
        s->headers_too_large = 1;
        return 0;
    }
    ma__http_response *resp = s->x->resp;
    ma__header_line line;
    switch (ma__header_line_parse(data, n, &line)) {
    case MA__HEADER_LINE_STATUS:
        /* Known before the first body byte, so a sink can look at it. */
        ma__headers_clear(&resp->headers);
        resp->status = line.status;
        break;
    case MA__HEADER_LINE_FIELD:
        /* Every response header is secret: a token may arrive in one (X-Subject-Token). */
        if (ma__headers_add(&resp->headers, line.name, line.name_len, line.value, line.value_len, 1) != 0) {
            s->out_of_memory = 1;
            return 0;
        }
        break;
    default:
        break;
    }
    return n;
}

/* libcurl calls it about once a second even when no byte moves, so the hook is polled during stalls too. */
static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    slot *s = userdata;
    if (s->t->cancel && s->t->cancel(s->t->cancel_user_data) != 0) {
        s->cancelled = 1;
        return 1;
    }
    return 0;
}

/* Whether @p len bytes at @p data start with @p prefix, which is @p *at bytes in; advances *at. */
static int continues_with(const char *data, size_t len, size_t *at, const char *prefix, size_t prefix_len)
{
    if (len - *at < prefix_len || memcmp(data + *at, prefix, prefix_len) != 0)
        return 0;
    *at += prefix_len;
    return 1;
}

/*
 * libcurl 7.88 ignores an allocation failure while it splits off the URL's
 * query and then sends the request without it: a list would silently come
 * back unsorted and unfiltered, a signed request rejected. The request line
 * it shows here must carry the URL's target (or the whole URL, to a proxy);
 * if it does not, the exchange is cut off at the first response byte and
 * ends in MA_ERR_NOMEM.
 */
ma__request_line ma__request_line_check(int type, const char *data, size_t size, const char *method, const char *url,
                                        size_t url_len)
{
    size_t method_len = strlen(method);
    /* Only the header block sent holds a request line; a proxy CONNECT comes first through a tunnel. */
    if (type != (int)CURLINFO_HEADER_OUT || size <= method_len || data[method_len] != ' ' ||
        memcmp(data, method, method_len) != 0)
        return MA__REQUEST_LINE_NOT_ONE;
    const char *authority = strstr(url, "://");
    const char *target = authority ? strchr(authority + 3, '/') : NULL;
    if (!target)
        return MA__REQUEST_LINE_NO_TARGET;
    size_t start = method_len + 1;
    size_t at = start;
    if (continues_with(data, size, &at, target, strlen(target)) && continues_with(data, size, &at, " HTTP/", 6))
        return MA__REQUEST_LINE_ORIGIN_FORM;
    at = start;
    if (continues_with(data, size, &at, url, url_len) && continues_with(data, size, &at, " HTTP/", 6))
        return MA__REQUEST_LINE_ABSOLUTE_FORM;
    return MA__REQUEST_LINE_LOST;
}

static int on_debug(CURL *easy, curl_infotype type, char *data, size_t size, void *userdata)
{
    (void)easy;
    slot *s = userdata;
    if (s->target_checked)
        return 0;
    ma__request_line verdict =
        ma__request_line_check((int)type, data, size, s->x->req->method, s->url.data, s->url.len);
    if (verdict == MA__REQUEST_LINE_NOT_ONE)
        return 0;
    s->target_checked = 1;
    s->target_lost = verdict == MA__REQUEST_LINE_LOST;
    if (ma__curl_request_line_observer)
        ma__curl_request_line_observer(verdict);
    return 0;
}

/* ---- request headers ---- */

static void free_header_slist(struct curl_slist *list)
{
    for (struct curl_slist *p = list; p; p = p->next)
        ma__secure_zero(p->data, strlen(p->data));
    curl_slist_free_all(list);
}

/*
 * "Name: value", or "Name;" for an empty value (libcurl drops "Name:"). The
 * line is built in a block of its exact size and wiped before it is freed:
 * it may hold a token, and a growing buffer would leave copies behind.
 */
static int append_header(curl_transport *t, struct curl_slist **list, const ma__header *h)
{
    size_t name_len = strlen(h->name);
    size_t value_len = strlen(h->value);
    int overflow = 0;
    size_t size = ma__size_add(ma__size_add(name_len, value_len, &overflow), 3, &overflow);
    if (overflow)
        return -1;
    char *line = ma__malloc(&t->alloc, size);
    if (!line)
        return -1;
    memcpy(line, h->name, name_len);
    size_t used = name_len;
    if (value_len == 0) {
        line[used++] = ';';
    } else {
        line[used++] = ':';
        line[used++] = ' ';
        memcpy(line + used, h->value, value_len);
        used += value_len;
    }
    line[used] = '\0';
    struct curl_slist *next = curl_slist_append(*list, line);
    ma__secure_zero(line, size);
    ma__free(&t->alloc, line);
    if (!next)
        return -1;
    *list = next;
    return 0;
}

static int build_header_slist(curl_transport *t, const ma__http_request *req, struct curl_slist **out)
{
    struct curl_slist *list = NULL;
    const ma__header_list *parts[2] = {&req->headers, &req->attempt_headers};
    for (size_t p = 0; p < 2; p++) {
        for (size_t i = 0; i < parts[p]->count; i++) {
            if (append_header(t, &list, &parts[p]->items[i]) != 0) {
                free_header_slist(list);
                return -1;
            }
        }
    }
    *out = list;
    return 0;
}

/* ---- errors ---- */

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

static const char *describe(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        return "host name not resolved";
    case CURLE_COULDNT_CONNECT:
        return "connection refused";
    case CURLE_OPERATION_TIMEDOUT:
        return "timed out";
    case CURLE_UNSUPPORTED_PROTOCOL:
        return "protocol not allowed for this endpoint";
    case CURLE_GOT_NOTHING:
        return "the server closed the connection without answering";
    case CURLE_PARTIAL_FILE:
        return "the response body ended early";
    case CURLE_BAD_CONTENT_ENCODING:
        return "the response body cannot be decoded as its Content-Encoding says";
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
        return "connection broken";
    case CURLE_PEER_FAILED_VERIFICATION:
        return "the server's TLS certificate was not accepted";
    default:
        return is_tls_error(rc) ? "TLS handshake failed" : "transfer failed";
    }
}

/*
 * An https:// URL that reached a plain-HTTP server. OpenSSL reports the
 * server's "HTTP/1.1 400" as a bad record ("wrong version number", "packet
 * length too long", "http request"); a server that hangs up on the
 * ClientHello instead shows as an unexpected EOF during the handshake.
 */
typedef enum plain_http_hint { NOT_PLAIN_HTTP = 0, ANSWERED_PLAIN_HTTP, HUNG_UP_IN_HANDSHAKE } plain_http_hint;

static plain_http_hint plain_http(const slot *s, CURLcode rc)
{
    if (rc != CURLE_SSL_CONNECT_ERROR || strcmp(s->x->req->endpoint->scheme, "https") != 0)
        return NOT_PLAIN_HTTP;
    if (strstr(s->errbuf, "wrong version number") || strstr(s->errbuf, "packet length too long") ||
        strstr(s->errbuf, "http request") || strstr(s->errbuf, "record layer failure"))
        return ANSWERED_PLAIN_HTTP;
    if (strstr(s->errbuf, "SSL_ERROR_SYSCALL") || strstr(s->errbuf, "unexpected eof"))
        return HUNG_UP_IN_HANDSHAKE;
    return NOT_PLAIN_HTTP;
}

/* Method and URL, shortened to fit a message. */
#define WHAT_FMT "%s %.*s%s"
#define WHAT_ARGS(s)                                                                                   \
    (s)->x->req->method, (int)((s)->url.len > URL_IN_MESSAGE_MAX ? URL_IN_MESSAGE_MAX : (s)->url.len), \
        (s)->url.data ? (s)->url.data : "", (s)->url.len > URL_IN_MESSAGE_MAX ? "..." : ""

static int is_numeric_host(const char *host)
{
    unsigned char addr[16];
    /* An IPv6 literal keeps its brackets; the endpoint parser checked what is between them. */
    return host && (host[0] == '[' || inet_pton(AF_INET, host, addr) == 1);
}

/*
 * A capped timeout only says the deadline could have ended the transfer; the
 * low-speed limit reports the same curl error, so the clock decides which one
 * did. libcurl's timer and this clock round apart by a millisecond or two.
 */
#define DEADLINE_ROUNDING_MS 5

static int deadline_ended(const slot *s)
{
    return s->deadline_capped &&
           s->t->clock->monotonic_ms(s->t->clock->ctx) + DEADLINE_ROUNDING_MS >= s->x->req->deadline_ms;
}

static ma_status map_curl_error(slot *s, CURLcode rc)
{
    ma_error *err = &s->x->err;
    err->transport_code = (int)rc;
    if (s->resume_error != CURLE_OK && !s->out_of_memory)
        return ma__error_set(err, rc == CURLE_OUT_OF_MEMORY ? MA_ERR_NOMEM : MA_ERR_TRANSPORT,
                             WHAT_FMT ": libcurl could not resume the held-back response body (curl error %d: %s)",
                             WHAT_ARGS(s), (int)rc, curl_easy_strerror(rc));
    if (s->out_of_memory || rc == CURLE_OUT_OF_MEMORY)
        return ma__error_set(err, MA_ERR_NOMEM, WHAT_FMT ": out of memory while receiving the response", WHAT_ARGS(s));
    if (s->target_lost)
        return ma__error_set(err, MA_ERR_NOMEM, WHAT_FMT ": libcurl lost part of the request target (out of memory)",
                             WHAT_ARGS(s));
    /* A numeric host needs no lookup: libcurl reports its failure to copy the address as one. */
    if (rc == CURLE_COULDNT_RESOLVE_HOST && is_numeric_host(s->x->req->endpoint->host))
        return ma__error_set(err, MA_ERR_NOMEM, WHAT_FMT ": out of memory converting the numeric host address",
                             WHAT_ARGS(s));
    if (s->too_large || rc == CURLE_FILESIZE_EXCEEDED)
        return ma__error_set(err, MA_ERR_RESPONSE_TOO_LARGE, WHAT_FMT ": response body exceeds the limit of %zu bytes",
                             WHAT_ARGS(s), s->t->max_response_bytes);
    if (s->headers_too_large)
        return ma__error_set(err, MA_ERR_RESPONSE_TOO_LARGE, WHAT_FMT ": response headers exceed %zu bytes",
                             WHAT_ARGS(s), HEADER_BYTES_MAX);
    const char *detail = s->errbuf[0] ? s->errbuf : curl_easy_strerror(rc);
    if (s->cancelled || rc == CURLE_ABORTED_BY_CALLBACK)
        return ma__error_set(err, MA_ERR_CANCELLED, WHAT_FMT ": cancelled by the cancel hook", WHAT_ARGS(s));
    if (rc == CURLE_OPERATION_TIMEDOUT && deadline_ended(s))
        return ma__error_set(err, MA_ERR_TIMEOUT, WHAT_FMT ": the deadline (%s) expired (curl error %d: %s)",
                             WHAT_ARGS(s), s->x->req->deadline_name ? s->x->req->deadline_name : "deadline_ms", (int)rc,
                             detail);
    ma_status st = MA_ERR_TRANSPORT;
    if (rc == CURLE_OPERATION_TIMEDOUT)
        st = MA_ERR_TIMEOUT;
    else if (rc == CURLE_BAD_CONTENT_ENCODING)
        st = MA_ERR_PROTOCOL; /* the body arrived, the server mislabelled it */
    else if (is_tls_error(rc))
        st = MA_ERR_TLS;
    const char *host = s->x->req->endpoint->host_header ? s->x->req->endpoint->host_header : "";
    switch (plain_http(s, rc)) {
    case ANSWERED_PLAIN_HTTP:
        return ma__error_set(err, st,
                             WHAT_FMT ": the server at %s answered in plain HTTP, not TLS; use http:// or check the "
                                      "port (curl error %d: %s)",
                             WHAT_ARGS(s), host, (int)rc, detail);
    case HUNG_UP_IN_HANDSHAKE:
        return ma__error_set(err, st,
                             WHAT_FMT ": the server at %s closed the connection during the TLS handshake; if it speaks "
                                      "plain HTTP, use http:// or check the port (curl error %d: %s)",
                             WHAT_ARGS(s), host, (int)rc, detail);
    case NOT_PLAIN_HTTP:
        break;
    }
    return ma__error_set(err, st, WHAT_FMT ": %s (curl error %d: %s)", WHAT_ARGS(s), describe(rc), (int)rc, detail);
}

/*
 * Nothing of a response arrived and sending again cannot do harm: the
 * connection failed or broke, or the request's own timeout (not the call's
 * deadline) passed before the first response byte.
 */
static int is_retryable(const slot *s, CURLcode rc)
{
    if (s->header_bytes > 0 || s->body_bytes > 0 || s->cancelled || s->out_of_memory)
        return 0;
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
        return 1;
    case CURLE_OPERATION_TIMEDOUT:
        return !deadline_ended(s);
    default:
        return 0;
    }
}

/* ---- the pool ---- */

static void slot_release(slot *s)
{
    /*
     * A new easy handle for every exchange, not curl_easy_reset(): the reset
     * cannot report that it ran out of memory, and a handle it left half reset
     * (no read buffer, no CA bundle) breaks the next exchange. Connections stay
     * in the multi handle's cache.
     */
    if (s->easy) {
        curl_easy_cleanup(s->easy);
        s->easy = NULL;
    }
    free_header_slist(s->headers);
    s->headers = NULL;
    ma__buf_free(&s->url);
    s->busy = 0;
    s->x = NULL;
    s->owner = NULL;
    s->finished = 0;
    s->in_order = 0;
}

static ma_status apply_options(slot *s)
{
    curl_transport *t = s->t;
    const ma__http_request *req = s->x->req;
    CURL *e = s->easy;
    const char *scheme = req->endpoint->scheme;
    long timeout_ms = t->timeout_ms;
    s->deadline_capped = 0;
    if (req->deadline_ms != 0) {
        int64_t left = req->deadline_ms - t->clock->monotonic_ms(t->clock->ctx);
        if (left <= 0)
            return ma__error_set(&s->x->err, MA_ERR_TIMEOUT,
                                 WHAT_FMT ": the deadline (%s) passed before the request was sent", WHAT_ARGS(s),
                                 req->deadline_name ? req->deadline_name : "deadline_ms");
        /* The request's own timeout, or what is left of the whole call's budget if that is less. */
        if (timeout_ms == 0 || left <= timeout_ms) {
            timeout_ms = left > LONG_MAX ? LONG_MAX : (long)left;
            s->deadline_capped = 1;
        }
    }
    CURLcode rc = CURLE_OK;
#define SET(call)           \
    do {                    \
        if (rc == CURLE_OK) \
            rc = (call);    \
    } while (0)
    SET(set_ptr(e, CURLOPT_ERRORBUFFER, s->errbuf));
    SET(set_ptr(e, CURLOPT_PRIVATE, s));
    SET(set_str(e, CURLOPT_URL, s->url.data));
    SET(set_long(e, CURLOPT_NOSIGNAL, 1L));
    /* Each exchange has a new easy handle: the share hands it the sessions of the ones before. */
    SET(set_ptr(e, CURLOPT_SHARE, t->share));
    /* HTTP/2 where ALPN offers it (https only); plain http stays HTTP/1.1. */
    SET(set_long(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS));
    /*
     * Over https, wait for a connection still in its handshake to say whether
     * it multiplexes rather than open another. Not over http: there libcurl
     * would learn that only from the first response, and HTTP/1.1 exchanges
     * would start one after another.
     */
    if (strcmp(scheme, "https") == 0)
        SET(set_long(e, CURLOPT_PIPEWAIT, 1L));
    /* Per request: an https IAM endpoint and an http test endpoint may share the transport. */
    SET(set_str(e, CURLOPT_PROTOCOLS_STR, scheme));
    SET(set_str(e, CURLOPT_REDIR_PROTOCOLS_STR, scheme));
    SET(set_long(e, CURLOPT_FOLLOWLOCATION, 0L));
    /* A project id "." or ".." must not collapse the path. */
    SET(set_long(e, CURLOPT_PATH_AS_IS, 1L));
    SET(set_long(e, CURLOPT_CONNECTTIMEOUT_MS, t->connect_timeout_ms));
    SET(set_long(e, CURLOPT_TIMEOUT_MS, timeout_ms));
    if (t->low_speed_limit_bytes > 0 && t->low_speed_time_s > 0) {
        SET(set_long(e, CURLOPT_LOW_SPEED_LIMIT, t->low_speed_limit_bytes));
        SET(set_long(e, CURLOPT_LOW_SPEED_TIME, t->low_speed_time_s));
    }
    if (t->cancel) {
        SET(set_ptr(e, CURLOPT_XFERINFODATA, s));
        SET(set_xferinfo_fn(e, CURLOPT_XFERINFOFUNCTION, on_progress));
        SET(set_long(e, CURLOPT_NOPROGRESS, 0L));
    }
    SET(set_long(e, CURLOPT_SSL_VERIFYPEER, t->verify_tls ? 1L : 0L));
    SET(set_long(e, CURLOPT_SSL_VERIFYHOST, t->verify_tls ? 2L : 0L));
    if (t->ca_file)
        SET(set_str(e, CURLOPT_CAINFO, t->ca_file));
    SET(set_str(e, CURLOPT_USERAGENT, t->user_agent));
    SET(set_ptr(e, CURLOPT_HTTPHEADER, s->headers));
    SET(set_str(e, CURLOPT_ACCEPT_ENCODING, ""));
    SET(set_long(e, CURLOPT_TCP_KEEPALIVE, 1L));
    SET(set_off(e, CURLOPT_MAXFILESIZE_LARGE,
                (curl_off_t)(t->max_response_bytes > (size_t)INT64_MAX ? INT64_MAX : (int64_t)t->max_response_bytes)));
    SET(set_write_fn(e, CURLOPT_WRITEFUNCTION, on_body));
    SET(set_ptr(e, CURLOPT_WRITEDATA, s));
    SET(set_write_fn(e, CURLOPT_HEADERFUNCTION, on_header));
    SET(set_ptr(e, CURLOPT_HEADERDATA, s));
    /* The debug function sees the request line as sent; no text reaches stderr. */
    SET(set_debug_fn(e, CURLOPT_DEBUGFUNCTION, on_debug));
    SET(set_ptr(e, CURLOPT_DEBUGDATA, s));
    SET(set_long(e, CURLOPT_VERBOSE, 1L));
    if (strcmp(req->method, "GET") == 0) {
        SET(set_long(e, CURLOPT_HTTPGET, 1L));
    } else if (strcmp(req->method, "POST") == 0) {
        SET(set_long(e, CURLOPT_POST, 1L));
        /* libcurl reads the body from req->body in place; it stays alive for the whole exchange. */
        SET(set_ptr(e, CURLOPT_POSTFIELDS, req->body.data ? req->body.data : (char *)""));
        SET(set_off(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body.len));
    } else {
        SET(set_str(e, CURLOPT_CUSTOMREQUEST, req->method));
    }
#undef SET
    if (rc != CURLE_OK) {
        s->x->err.transport_code = (int)rc;
        return ma__error_set(&s->x->err, rc == CURLE_OUT_OF_MEMORY ? MA_ERR_NOMEM : MA_ERR_TRANSPORT,
                             WHAT_FMT ": libcurl rejected a request option: %s", WHAT_ARGS(s), curl_easy_strerror(rc));
    }
    return MA_OK;
}

/* Prepares @p s for @p x and hands it to the multi handle. MA_OK, or the exchange's failure (nothing sent). */
static ma_status slot_start(curl_transport *t, slot *s, ma__exchange *x, const ma__exchange_source *source)
{
    s->busy = 1;
    s->x = x;
    s->owner = source->ctx;
    s->finished = 0;
    s->result = CURLE_OK;
    s->in_order = source->in_order;
    s->headers = NULL;
    s->body_bytes = 0;
    s->header_bytes = 0;
    s->too_large = 0;
    s->headers_too_large = 0;
    s->out_of_memory = 0;
    s->order = t->next_order++;
    s->body_paused = 0;
    s->deadline_capped = 0;
    s->cancelled = 0;
    s->target_checked = 0;
    s->target_lost = 0;
    s->resume_error = CURLE_OK;
    s->errbuf[0] = '\0';
    ma__buf_init(&s->url, &t->alloc);
    ma_error_clear(&x->err);
    x->status = MA_OK;
    x->retryable = 0;
    const ma__http_request *req = x->req;
    if (!req->endpoint || !req->endpoint->scheme ||
        (strcmp(req->endpoint->scheme, "https") != 0 && strcmp(req->endpoint->scheme, "http") != 0))
        return ma__error_set(&x->err, MA_ERR_INVALID_ARG, "%s: the endpoint scheme must be http or https", req->method);
    if (ma__request_render_url(req, &s->url) != 0)
        return ma__error_set(&x->err, MA_ERR_NOMEM, "%s: out of memory building the request URL", req->method);
    if (!s->easy && !(s->easy = curl_easy_init()))
        return ma__error_set(&x->err, MA_ERR_NOMEM, WHAT_FMT ": out of memory creating a libcurl easy handle",
                             WHAT_ARGS(s));
    if (build_header_slist(t, req, &s->headers) != 0)
        return ma__error_set(&x->err, MA_ERR_NOMEM, WHAT_FMT ": out of memory building request headers", WHAT_ARGS(s));
    ma_status st = apply_options(s);
    if (st != MA_OK)
        return st;
    CURLMcode mc = curl_multi_add_handle(t->multi, s->easy);
    if (mc != CURLM_OK)
        return ma__error_set(&x->err, mc == CURLM_OUT_OF_MEMORY ? MA_ERR_NOMEM : MA_ERR_TRANSPORT,
                             WHAT_FMT ": libcurl could not start the transfer: %s", WHAT_ARGS(s),
                             curl_multi_strerror(mc));
    return MA_OK;
}

static slot *free_slot(curl_transport *t)
{
    for (size_t i = 0; i < SLOT_COUNT; i++)
        if (!t->slots[i].busy)
            return &t->slots[i];
    return NULL;
}

/* Removes the transfers of @p owner (every one when NULL) still in flight, unreported. */
static void abandon(curl_transport *t, const void *owner)
{
    for (size_t i = 0; i < SLOT_COUNT; i++) {
        slot *s = &t->slots[i];
        if (s->busy && (!owner || s->owner == owner)) {
            curl_multi_remove_handle(t->multi, s->easy);
            slot_release(s);
        }
    }
}

/* What CURLINFO_HTTP_VERSION says the transfer spoke ("HTTP/1.1", "HTTP/2"), or NULL. */
static const char *http_version_name(CURL *easy)
{
    long version = 0;
    if (curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version) != CURLE_OK)
        return NULL;
    switch (version) {
    case CURL_HTTP_VERSION_1_0:
        return "HTTP/1.0";
    case CURL_HTTP_VERSION_1_1:
        return "HTTP/1.1";
    case CURL_HTTP_VERSION_2_0:
        return "HTTP/2";
    case CURL_HTTP_VERSION_3:
        return "HTTP/3";
    default:
        return NULL; /* no response: nothing was spoken */
    }
}

/* Hands a finished transfer's outcome to its exchange and frees the slot; returns the exchange. */
static ma__exchange *complete(curl_transport *t, slot *s, CURLcode rc)
{
    ma__exchange *x = s->x;
    const void *owner = s->owner;
    /* Whatever libcurl made of the transfer, a body it could not let through is incomplete. */
    if (s->resume_error != CURLE_OK && !s->out_of_memory)
        rc = s->resume_error;
    long code = 0;
    CURLcode info = call_result(curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &code), "getinfo RESPONSE_CODE");
    if (info == CURLE_OK && code > 0)
        x->resp->status = (int)code;
    x->resp->http_version = http_version_name(s->easy);
    if (rc != CURLE_OK || s->target_lost || s->out_of_memory) {
        x->status = map_curl_error(s, rc);
    } else if (info != CURLE_OK) {
        x->err.transport_code = (int)info;
        x->status = ma__error_set(&x->err, MA_ERR_TRANSPORT,
                                  WHAT_FMT ": libcurl could not report the response status (curl error %d: %s)",
                                  WHAT_ARGS(s), (int)info, curl_easy_strerror(info));
    } else {
        x->status = MA_OK;
    }
    x->retryable = rc != CURLE_OK && is_retryable(s, rc);
    x->err.status = x->status;
    curl_multi_remove_handle(t->multi, s->easy);
    slot_release(s);
    resume_oldest(t, owner);
    return x;
}

/* ---- socket events ---- */

/* Keeps the table of watched sockets as libcurl wants it. 0, or -1 when it is full. */
static int remember_socket(curl_transport *t, int fd, int events)
{
    for (size_t i = 0; i < t->watched_count; i++)
        if (t->watched[i].fd == fd) {
            if (events == 0)
                t->watched[i] = t->watched[--t->watched_count];
            else
                t->watched[i].events = events;
            return 0;
        }
    if (events == 0)
        return 0;
    if (t->watched_count == WATCH_MAX)
        return -1;
    t->watched[t->watched_count].fd = fd;
    t->watched[t->watched_count].events = events;
    t->watched_count++;
    return 0;
}

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *clientp, void *socketp)
{
    (void)easy;
    curl_transport *t = clientp;
    int events = what == CURL_POLL_IN      ? MA_EVENT_READ
                 : what == CURL_POLL_OUT   ? MA_EVENT_WRITE
                 : what == CURL_POLL_INOUT ? MA_EVENT_READ | MA_EVENT_WRITE
                                           : 0;
    /* -1 makes libcurl fail every transfer: a socket nobody watches would hang them instead. */
    if (remember_socket(t, (int)fd, events) != 0)
        return -1;
    if (!t->watch.watch)
        return 0;
    void *fd_data = socketp;
    if (t->watch.watch(t->watch.ctx, (int)fd, events, &fd_data) != 0)
        return -1;
    if (events != 0 && fd_data != socketp)
        curl_multi_assign(t->multi, fd, fd_data);
    return 0;
}

static int on_timer(CURLM *multi, long timeout_ms, void *clientp)
{
    (void)multi;
    curl_transport *t = clientp;
    t->curl_due_ms = timeout_ms < 0 ? -1 : ma__system_monotonic_ms() + timeout_ms;
    return 0;
}

static ma_status curl_use_events(ma__transport *self, const ma__transport_watch *watch, ma_error *err)
{
    curl_transport *t = (curl_transport *)self;
    if (watch)
        t->watch = *watch;
    if (t->evented)
        return MA_OK;
    if (curl_multi_setopt(t->multi, CURLMOPT_SOCKETFUNCTION, on_socket) != CURLM_OK ||
        curl_multi_setopt(t->multi, CURLMOPT_SOCKETDATA, t) != CURLM_OK ||
        curl_multi_setopt(t->multi, CURLMOPT_TIMERFUNCTION, on_timer) != CURLM_OK ||
        curl_multi_setopt(t->multi, CURLMOPT_TIMERDATA, t) != CURLM_OK)
        return ma__error_set(err, MA_ERR_TRANSPORT, "libcurl rejected the socket event callbacks");
    t->evented = 1;
    t->curl_due_ms = -1;
    return MA_OK;
}

/* Every transfer libcurl reports finished is marked so; its own run hands it over. */
static ma_status drain_finished(curl_transport *t, ma_error *err)
{
    CURLMsg *msg;
    int queued = 0;
    while ((msg = curl_multi_info_read(t->multi, &queued))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        char *priv = NULL;
        CURLcode info = call_result(curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv), "getinfo PRIVATE");
        slot *s = (slot *)(void *)priv;
        if (info != CURLE_OK || !s)
            return ma__error_set(err, MA_ERR_TRANSPORT,
                                 "libcurl could not say which request finished (curl error %d: %s)", (int)info,
                                 curl_easy_strerror(info));
        s->finished = 1;
        s->result = msg->data.result;
        resume_oldest(t, s->owner);
    }
    return MA_OK;
}

static ma_status curl_event(ma__transport *self, int fd, int events, ma_error *err)
{
    curl_transport *t = (curl_transport *)self;
    int mask = ((events & MA_EVENT_READ) ? CURL_CSELECT_IN : 0) | ((events & MA_EVENT_WRITE) ? CURL_CSELECT_OUT : 0) |
               ((events & MA_EVENT_ERROR) ? CURL_CSELECT_ERR : 0);
    int running = 0;
    /*
     * libcurl's timer is one-shot: once it fired it is gone. libcurl tells again if it still wants
     * one (a timeout action clears what it last told, so it always does), but when it has none
     * left it says nothing, and a stale due time would re-arm the caller's timer at 0 ms for ever.
     */
    if (fd < 0)
        t->curl_due_ms = -1;
    CURLMcode mc = curl_multi_socket_action(t->multi, fd < 0 ? CURL_SOCKET_TIMEOUT : (curl_socket_t)fd,
                                            fd < 0 ? 0 : mask, &running);
    if (mc != CURLM_OK)
        return ma__error_set(err, mc == CURLM_OUT_OF_MEMORY ? MA_ERR_NOMEM : MA_ERR_TRANSPORT,
                             "libcurl failed driving transfers: %s", curl_multi_strerror(mc));
    return drain_finished(t, err);
}

static int64_t curl_next_due_ms(ma__transport *self)
{
    return ((curl_transport *)self)->curl_due_ms;
}

static int curl_take_starved(ma__transport *self)
{
    curl_transport *t = (curl_transport *)self;
    int starved = t->starved;
    t->starved = 0;
    return starved;
}

/*
 * A run that may wait, in event mode: polls the sockets libcurl asked for,
 * at most until its timer or the source's delayed exchange (@p wait ms) is due.
 */
static ma_status wait_for_sockets(curl_transport *t, int64_t wait, ma_error *err)
{
    int64_t now = ma__system_monotonic_ms();
    int64_t timeout = POLL_MS;
    if (t->curl_due_ms >= 0 && t->curl_due_ms - now < timeout)
        timeout = t->curl_due_ms > now ? t->curl_due_ms - now : 0;
    if (wait > 0 && wait < timeout)
        timeout = wait;
    struct pollfd fds[WATCH_MAX];
    size_t count = t->watched_count;
    for (size_t i = 0; i < count; i++) {
        fds[i].fd = t->watched[i].fd;
        fds[i].events = (short)(((t->watched[i].events & MA_EVENT_READ) ? POLLIN : 0) |
                                ((t->watched[i].events & MA_EVENT_WRITE) ? POLLOUT : 0));
        fds[i].revents = 0;
    }
    int n = poll(fds, (nfds_t)count, (int)timeout);
    if (n < 0 && errno != EINTR)
        return ma__error_set(err, MA_ERR_TRANSPORT, "waiting for transfers failed: poll: %s", strerror(errno));
    for (size_t i = 0; n > 0 && i < count; i++) {
        if (fds[i].revents == 0)
            continue;
        int events = ((fds[i].revents & POLLIN) ? MA_EVENT_READ : 0) |
                     ((fds[i].revents & POLLOUT) ? MA_EVENT_WRITE : 0) |
                     ((fds[i].revents & (POLLERR | POLLHUP | POLLNVAL)) ? MA_EVENT_ERROR : 0);
        ma_status st = curl_event(&t->base, fds[i].fd, events, err);
        if (st != MA_OK)
            return st;
    }
    if (t->curl_due_ms >= 0 && t->curl_due_ms <= ma__system_monotonic_ms())
        return curl_event(&t->base, -1, 0, err);
    return MA_OK;
}

static ma_status curl_run(ma__transport *self, const ma__exchange_source *source, size_t concurrency, ma_error *err)
{
    curl_transport *t = (curl_transport *)self;
    const void *me = source->ctx;
    size_t limit = concurrency < 1                               ? 1
                   : concurrency > MA__TRANSPORT_MAX_CONCURRENCY ? MA__TRANSPORT_MAX_CONCURRENCY
                                                                 : concurrency;
    /*
     * Transfers this run's source left running when it paused are picked up
     * again; transfers of other runs (an outer run this one is nested in, a
     * paused batch) are neither counted nor reported here.
     */
    size_t in_flight = 0;
    for (size_t i = 0; i < SLOT_COUNT; i++) {
        slot *s = &t->slots[i];
        if (!s->busy || s->owner != me)
            continue;
        in_flight++;
        s->in_order = source->in_order;
        if (!s->in_order)
            resume_body(s);
    }
    if (source->in_order)
        resume_oldest(t, me);
    int source_empty = 0;
    ma_status result = MA_OK;
    for (;;) {
        /* A source with a delayed exchange (a retry): ask again when it is due, sleeping only when idle. */
        int64_t wait = -1;
        if (source_empty && source->wait_ms &&
            (wait = source->wait_ms(source->ctx, in_flight == 0 && !source->no_wait)) == 0)
            source_empty = 0;
        /* Fill free slots. An exchange that fails before it is sent is reported at once. */
        while (!source_empty && in_flight < limit && free_slot(t)) {
            /* next() may run a nested run (a login), which takes a slot and gives it back. */
            ma__exchange *x = source->next(source->ctx);
            if (!x) {
                source_empty = 1;
                break;
            }
            slot *s = free_slot(t);
            ma_status st;
            if (s) {
                st = slot_start(t, s, x, source);
                if (st == MA_OK) {
                    in_flight++;
                    continue;
                }
                slot_release(s);
                resume_oldest(t, me);
            } else {
                st = ma__error_set(&x->err, MA_ERR_TRANSPORT, "%s: no free transfer slot", x->req->method);
            }
            x->status = st;
            x->err.status = st;
            int verdict = source->done(source->ctx, x);
            if (verdict == MA__SOURCE_PAUSE)
                return MA_OK;
            if (verdict != 0)
                goto stop;
        }
        /* This run's transfers that another run saw finish (a nested run, or one while this was paused). */
        int finished = 0;
        for (size_t i = 0; i < SLOT_COUNT; i++) {
            slot *s = &t->slots[i];
            if (!s->busy || s->owner != me || !s->finished)
                continue;
            ma__exchange *x = complete(t, s, s->result);
            in_flight--;
            finished = 1;
            int verdict = source->done(source->ctx, x);
            if (verdict == MA__SOURCE_PAUSE)
                return MA_OK;
            if (verdict != 0)
                goto stop;
        }
        if (finished)
            continue;
        if (in_flight == 0) {
            if (source_empty)
                break;
            if (!free_slot(t) && source->no_wait) {
                t->starved = 1; /* on an event loop: it starts on a later turn, once another ends */
                return MA_OK;
            }
            if (!free_slot(t)) {
                /* Every slot belongs to other runs, which only their own runs free. */
                result = ma__error_set(err, MA_ERR_TRANSPORT, "no free transfer slot: other batches hold all %d",
                                       SLOT_COUNT);
                goto stop;
            }
            continue;
        }
        if (t->evented) {
            /* The sockets drive the transfers; event() marks what finished, picked up above. */
            if (source->no_wait)
                return MA_OK;
            ma_status st = wait_for_sockets(t, wait, err);
            if (st != MA_OK) {
                result = st;
                goto stop;
            }
            continue;
        }
        int running = 0;
        CURLMcode mc = curl_multi_perform(t->multi, &running);
        if (mc != CURLM_OK) {
            result = ma__error_set(err, mc == CURLM_OUT_OF_MEMORY ? MA_ERR_NOMEM : MA_ERR_TRANSPORT,
                                   "libcurl failed driving transfers: %s", curl_multi_strerror(mc));
            goto stop;
        }
        CURLMsg *msg;
        int queued = 0;
        while ((msg = curl_multi_info_read(t->multi, &queued))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            CURL *easy = msg->easy_handle;
            CURLcode rc = msg->data.result;
            char *priv = NULL;
            CURLcode info = call_result(curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv), "getinfo PRIVATE");
            slot *s = (slot *)(void *)priv;
            if (info != CURLE_OK || !s) {
                result = ma__error_set(err, MA_ERR_TRANSPORT,
                                       "libcurl could not say which request finished (curl error %d: %s)", (int)info,
                                       curl_easy_strerror(info));
                goto stop;
            }
            if (s->owner != me) {
                /* Another run's transfer: kept until that run reports it; its next-oldest body may be read. */
                s->finished = 1;
                s->result = rc;
                resume_oldest(t, s->owner);
                continue;
            }
            ma__exchange *x = complete(t, s, rc);
            in_flight--;
            finished = 1;
            int verdict = source->done(source->ctx, x);
            if (verdict == MA__SOURCE_PAUSE)
                return MA_OK;
            if (verdict != 0)
                goto stop;
        }
        if (source->no_wait)
            return MA_OK;
        if (!finished && running > 0) {
            mc = curl_multi_poll(t->multi, NULL, 0, wait > 0 && wait < POLL_MS ? (int)wait : POLL_MS, NULL);
            if (mc != CURLM_OK) {
                result = ma__error_set(err, mc == CURLM_OUT_OF_MEMORY ? MA_ERR_NOMEM : MA_ERR_TRANSPORT,
                                       "libcurl failed waiting for transfers: %s", curl_multi_strerror(mc));
                goto stop;
            }
        }
    }
    return MA_OK;
stop:
    abandon(t, me);
    return result;
}

/*
 * Connections one host may have: what this run may add, plus the transfers
 * other runs have in flight (an outer run whose next() started this one, a
 * paused walk), so a nested run never waits for a connection the outer run
 * holds. Over HTTP/2 their streams share one connection anyway.
 */
static long host_connections_for(const curl_transport *t, const void *owner, size_t concurrency)
{
    size_t n = concurrency < 1                               ? 1
               : concurrency > MA__TRANSPORT_MAX_CONCURRENCY ? MA__TRANSPORT_MAX_CONCURRENCY
                                                             : concurrency;
    for (size_t i = 0; i < SLOT_COUNT; i++)
        if (t->slots[i].busy && t->slots[i].owner != owner)
            n++;
    return (long)(n > SLOT_COUNT ? SLOT_COUNT : n);
}

static CURLMcode set_host_connections(curl_transport *t, long n)
{
    if (n == t->host_connections)
        return CURLM_OK;
    CURLMcode mc = curl_multi_setopt(t->multi, CURLMOPT_MAX_HOST_CONNECTIONS, n);
    if (mc == CURLM_OK)
        t->host_connections = n;
    return mc;
}

/* curl_run() with the host's connections capped at the concurrency in use for its time. */
static ma_status run_capped(ma__transport *self, const ma__exchange_source *source, size_t concurrency, ma_error *err)
{
    curl_transport *t = (curl_transport *)self;
    long outer = t->host_connections;
    CURLMcode mc = set_host_connections(t, host_connections_for(t, source->ctx, concurrency));
    if (mc != CURLM_OK)
        return ma__error_set(err, MA_ERR_TRANSPORT, "libcurl rejected the connection limit: %s",
                             curl_multi_strerror(mc));
    ma_status st = curl_run(self, source, concurrency, err);
    /* A nested run (a login) hands the outer run its own limit back. */
    (void)set_host_connections(t, outer);
    return st;
}

static void curl_destroy(ma__transport *self)
{
    curl_transport *t = (curl_transport *)self;
    if (!t)
        return;
    abandon(t, NULL);
    for (size_t i = 0; i < SLOT_COUNT; i++)
        if (t->slots[i].easy)
            curl_easy_cleanup(t->slots[i].easy);
    if (t->multi)
        curl_multi_cleanup(t->multi);
    /* Last: libcurl refuses to free a share while an easy handle still uses it. */
    if (t->share)
        curl_share_cleanup(t->share);
    ma_allocator a = t->alloc;
    ma__free(&a, t->ca_file);
    ma__free(&a, t->user_agent);
    ma__free(&a, t);
}

static void curl_abandon(ma__transport *self, const void *owner)
{
    /* NULL would mean every run's: a caller's bug, and one that would strand other walks. */
    if (owner)
        abandon((curl_transport *)self, owner);
}

static const ma__transport_vtable curl_vtable = {run_capped, curl_abandon,     curl_destroy,     curl_use_events,
                                                 curl_event, curl_next_due_ms, curl_take_starved};

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
    t->low_speed_limit_bytes = s->low_speed_limit_bytes;
    t->low_speed_time_s = s->low_speed_time_s;
    t->cancel = s->cancel;
    t->cancel_user_data = s->cancel_user_data;
    t->verify_tls = s->verify_tls;
    t->max_response_bytes = s->max_response_bytes;
    t->clock = s->clock ? s->clock : ma__system_clock();
    for (size_t i = 0; i < SLOT_COUNT; i++)
        t->slots[i].t = t;
    t->user_agent = ma__strdup(alloc, s->user_agent ? s->user_agent : "");
    if (!t->user_agent || (s->ca_file && !(t->ca_file = ma__strdup(alloc, s->ca_file)))) {
        curl_destroy(&t->base);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory creating the HTTP transport");
    }
    t->multi = curl_multi_init();
    if (!t->multi) {
        curl_destroy(&t->base);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory creating the libcurl multi handle");
    }
    /*
     * HTTP/2 streams share a connection, up to one per pool slot; HTTP/1.1
     * never pipelines (libcurl dropped it): one exchange per connection at a
     * time. Each run caps the host's connections at its concurrency.
     */
    if (curl_multi_setopt(t->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX) != CURLM_OK ||
        curl_multi_setopt(t->multi, CURLMOPT_MAX_CONCURRENT_STREAMS, (long)SLOT_COUNT) != CURLM_OK ||
        set_host_connections(t, (long)SLOT_COUNT) != CURLM_OK ||
        curl_multi_setopt(t->multi, CURLMOPT_MAXCONNECTS, MAX_CACHED_CONNECTIONS) != CURLM_OK) {
        curl_destroy(&t->base);
        return ma__error_set(err, MA_ERR_TRANSPORT, "libcurl rejected a connection-cache option");
    }
    /*
     * No lock callbacks: the share is this transport's alone, and a client
     * (with its transport) is used by one thread at a time.
     */
    t->share = curl_share_init();
    if (!t->share) {
        curl_destroy(&t->base);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory creating the libcurl share handle");
    }
    CURLSHcode sc = curl_share_setopt(t->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    if (sc == CURLSHE_OK)
        sc = curl_share_setopt(t->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    if (sc != CURLSHE_OK) {
        curl_destroy(&t->base);
        return ma__error_set(err, sc == CURLSHE_NOMEM ? MA_ERR_NOMEM : MA_ERR_TRANSPORT,
                             "libcurl could not share TLS sessions and DNS answers: %s", curl_share_strerror(sc));
    }
    if (ma__curl_force_events && curl_use_events(&t->base, NULL, err) != MA_OK) {
        curl_destroy(&t->base);
        return MA_ERR_TRANSPORT;
    }
    *out = &t->base;
    return MA_OK;
}

const char *ma__curl_version(void)
{
    const curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
    return info && info->version ? info->version : "unknown";
}
