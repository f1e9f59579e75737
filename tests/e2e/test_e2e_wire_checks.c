/*
 * The libcurl transport's own checks, over real loopback sockets: results of
 * libcurl calls that only fail on a broken handle or a lack of memory (made
 * to fail through a test hook), the request line libcurl sent (also through a
 * forward proxy), and the cap on response header bytes (a raw socket server).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include <curl/curl.h>

#include "e2e.h"
#include "http/curl_observer.h"
#include "test_alloc.h"
#include "transport_kit.h"

/* The transport's cap on response header bytes (status line and blank line included). */
#define HEADER_CAP ((size_t)256 * 1024)

/* ---- loopback sockets ------------------------------------------------------------------------------------ */

static int listen_loopback(uint16_t *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(listen(fd, 8), 0);
    socklen_t alen = sizeof addr;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &alen), 0);
    *port = ntohs(addr.sin_port);
    return fd;
}

/* Writes all of @p len bytes unless the peer goes away; MSG_NOSIGNAL keeps a hang-up from killing the test. */
static int send_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads into @p buf until the blank line that ends a request head; returns the head's length or 0. */
static size_t read_head(int fd, char *buf, size_t size)
{
    size_t used = 0;
    while (used + 1 < size) {
        ssize_t n = read(fd, buf + used, size - 1 - used);
        if (n <= 0)
            return 0;
        used += (size_t)n;
        buf[used] = '\0';
        char *end = strstr(buf, "\r\n\r\n");
        if (end)
            return (size_t)(end - buf) + 4;
    }
    return 0;
}

/* ---- a raw HTTP server: one connection, one canned reply ------------------------------------------------- */

typedef struct raw_server {
    int listen_fd;
    uint16_t port;
    pthread_t thread;
    const char *reply;
    size_t reply_len;
} raw_server;

static void *raw_server_main(void *arg)
{
    raw_server *r = arg;
    int fd = accept(r->listen_fd, NULL, NULL);
    if (fd < 0)
        return NULL;
    char head[16384];
    if (read_head(fd, head, sizeof head) > 0 && send_all(fd, r->reply, r->reply_len) == 0)
        shutdown(fd, SHUT_WR);
    /* Until the client hangs up, so it sees every byte it wants to read. */
    while (read(fd, head, sizeof head) > 0) {
    }
    close(fd);
    return NULL;
}

static void raw_server_start(raw_server *r, const char *reply, size_t reply_len)
{
    r->reply = reply;
    r->reply_len = reply_len;
    r->listen_fd = listen_loopback(&r->port);
    assert_int_equal(pthread_create(&r->thread, NULL, raw_server_main, r), 0);
}

static void raw_server_stop(raw_server *r)
{
    pthread_join(r->thread, NULL);
    close(r->listen_fd);
}

/*
 * A 200 reply whose header block (status line to blank line) is exactly
 * @p header_bytes long, padded with X-Pad fields of at most 1000 bytes;
 * the body is "{}". Caller frees.
 */
static char *reply_with_header_bytes(size_t header_bytes, size_t *len)
{
    static const char start[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n";
    static const char line_start[] = "X-Pad: ";
    size_t fixed = sizeof start - 1 + 2; /* and the blank line */
    assert_true(header_bytes > fixed + 100);
    char *r = malloc(header_bytes + 3);
    assert_non_null(r);
    memcpy(r, start, sizeof start - 1);
    size_t at = sizeof start - 1;
    size_t left = header_bytes - fixed;
    while (left > 0) {
        /* A line is "X-Pad: " + value + CRLF; keep the last one long enough to hold its own frame. */
        size_t line = left > 1000 ? 1000 : left;
        if (left > 1000 && left - line < 20)
            line = left - 20;
        size_t value = line - (sizeof line_start - 1) - 2;
        memcpy(r + at, line_start, sizeof line_start - 1);
        memset(r + at + sizeof line_start - 1, 'p', value);
        memcpy(r + at + line - 2, "\r\n", 2);
        at += line;
        left -= line;
    }
    memcpy(r + at, "\r\n{}", 4);
    at += 4;
    r[at] = '\0';
    *len = at;
    return r;
}

static ma_status send_to_raw_server(const char *reply, size_t reply_len, kit_exchange *x)
{
    raw_server r;
    raw_server_start(&r, reply, reply_len);
    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "127.0.0.1", r.port);
    ma__curl_settings s = kit_settings();
    ma__transport *t = kit_transport_new(&s);
    kit_exchange_init(x, "GET", &ep.ep);
    kit_list_path(x, "p");
    ma_status st = ma__transport_send(t, &x->x);
    t->vtable->destroy(t);
    raw_server_stop(&r);
    return st;
}

static void header_block_over_cap_is_response_too_large(void **state)
{
    (void)state;
    size_t len = 0;
    char *reply = reply_with_header_bytes((size_t)1024 * 1024 + (size_t)1024 * 1024 / 10, &len);
    kit_exchange x;
    ma_status st = send_to_raw_server(reply, len, &x);
    if (st != MA_ERR_RESPONSE_TOO_LARGE || !strstr(x.x.err.message, ": response headers exceed 262144 bytes"))
        fail_msg("1.1 MiB of headers: %s: %s", ma_status_name(st), x.x.err.message);
    assert_int_equal(x.x.err.status, MA_ERR_RESPONSE_TOO_LARGE);
    assert_false(x.x.retryable);
    kit_exchange_free(&x);
    free(reply);
}

/* Exactly at the cap is still accepted; one byte more is not. */
static void header_block_at_cap_accepted_one_more_byte_rejected(void **state)
{
    (void)state;
    for (size_t extra = 0; extra <= 1; extra++) {
        size_t len = 0;
        char *reply = reply_with_header_bytes(HEADER_CAP + extra, &len);
        kit_exchange x;
        ma_status st = send_to_raw_server(reply, len, &x);
        if (extra == 0) {
            if (st != MA_OK)
                fail_msg("headers at the cap: %s: %s", ma_status_name(st), x.x.err.message);
            assert_int_equal(x.resp.status, 200);
            assert_string_equal(x.resp.body.data, "{}");
        } else if (st != MA_ERR_RESPONSE_TOO_LARGE) {
            fail_msg("headers one byte over the cap: %s: %s", ma_status_name(st), x.x.err.message);
        }
        kit_exchange_free(&x);
        free(reply);
    }
}

/* ---- results of libcurl calls, failed by the test hook --------------------------------------------------- */

static const char *fault_call;
static CURLcode fault_code;
static int fault_hits;

static int inject_fault(const char *call)
{
    if (fault_call && strcmp(call, fault_call) == 0) {
        fault_hits++;
        return (int)fault_code;
    }
    return (int)CURLE_OK;
}

static void fault_set(const char *call, CURLcode code)
{
    fault_call = call;
    fault_code = code;
    fault_hits = 0;
    ma__curl_result_fault = inject_fault;
}

static int fault_clear(void **state)
{
    (void)state;
    ma__curl_result_fault = NULL;
    fault_call = NULL;
    return 0;
}

static ma_status send_to_fake(const e2e_env *env, kit_exchange *x)
{
    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "127.0.0.1", fake_server_port(env->server));
    ma__curl_settings s = kit_settings();
    ma__transport *t = kit_transport_new(&s);
    kit_exchange_init(x, "GET", &ep.ep);
    kit_list_path(x, E2E_PROJECT);
    kit_header(x, "X-Auth-Token", E2E_TOKEN, 1);
    ma_status st = ma__transport_send(t, &x->x);
    t->vtable->destroy(t);
    return st;
}

static void response_code_not_reported_is_transport_error(void **state)
{
    fault_set("getinfo RESPONSE_CODE", CURLE_UNKNOWN_OPTION);
    kit_exchange x;
    ma_status st = send_to_fake(*state, &x);
    assert_int_equal(fault_hits, 1);
    if (st != MA_ERR_TRANSPORT || !strstr(x.x.err.message, ": libcurl could not report the response status (curl "
                                                           "error 48: "))
        fail_msg("%s: %s", ma_status_name(st), x.x.err.message);
    assert_int_equal(x.x.err.transport_code, CURLE_UNKNOWN_OPTION);
    assert_false(x.x.retryable);
    kit_exchange_free(&x);
}

static void finished_transfer_not_identified_is_transport_error(void **state)
{
    fault_set("getinfo PRIVATE", CURLE_BAD_FUNCTION_ARGUMENT);
    kit_exchange x;
    ma_status st = send_to_fake(*state, &x);
    assert_int_equal(fault_hits, 1);
    if (st != MA_ERR_TRANSPORT || !strstr(x.x.err.message, "libcurl could not say which request finished (curl "
                                                           "error 43: "))
        fail_msg("%s: %s", ma_status_name(st), x.x.err.message);
    kit_exchange_free(&x);
}

/*
 * Read in order, the fast second body is held back (paused) until the slow
 * first one is read. If letting it through fails, the second exchange fails
 * with a message that says so; the first is unaffected.
 */
static void held_back_body_that_cannot_resume_fails_its_exchange(void **state)
{
    const e2e_env *env = *state;
    static const CURLcode codes[] = {CURLE_WRITE_ERROR, CURLE_OUT_OF_MEMORY};
    static const ma_status want[] = {MA_ERR_TRANSPORT, MA_ERR_NOMEM};
    for (size_t c = 0; c < 2; c++) {
        kit_endpoint ep;
        kit_endpoint_init(&ep, "http", "127.0.0.1", fake_server_port(env->server));
        ma__curl_settings s = kit_settings();
        ma__transport *t = kit_transport_new(&s);
        fake_response slow = {200, "Content-Type: application/json", "{\"slow\": 1}", 11, 300, -1, 0, 0};
        fake_response fast = {200, "Content-Type: application/json", "{\"fast\": 1}", 11, 0, -1, 0, 0};
        assert_int_equal(fake_server_push_for(env->server, "/v1/first/", &slow), 0);
        assert_int_equal(fake_server_push_for(env->server, "/v1/second/", &fast), 0);
        kit_exchange xs[2];
        for (size_t i = 0; i < 2; i++) {
            kit_exchange_init(&xs[i], "GET", &ep.ep);
            kit_list_path(&xs[i], i == 0 ? "first" : "second");
        }
        kit_batch b = {xs, 2, 0, 0, {0}, 0};
        ma__exchange_source src = kit_batch_source(&b);
        src.in_order = 1;
        fault_set("pause", codes[c]);
        ma_error err;
        assert_int_equal(t->vtable->run(t, &src, 2, &err), MA_OK);
        ma__curl_result_fault = NULL;
        assert_int_equal(fault_hits, 1);
        assert_int_equal(b.reported, 2);
        assert_int_equal(xs[0].x.status, MA_OK);
        assert_string_equal(xs[0].resp.body.data, "{\"slow\": 1}");
        if (xs[1].x.status != want[c] || !strstr(xs[1].x.err.message, "GET http://127.0.0.1:") ||
            !strstr(xs[1].x.err.message, "/v1/second/training-jobs: libcurl could not resume the held-back response "
                                         "body (curl error "))
            fail_msg("%s: %s", ma_status_name(xs[1].x.status), xs[1].x.err.message);
        assert_false(xs[1].x.retryable);
        for (size_t i = 0; i < 2; i++)
            kit_exchange_free(&xs[i]);
        t->vtable->destroy(t);
    }
}

/* ---- the request line libcurl sent ----------------------------------------------------------------------- */

#define LIST_URL  "http://h.test:8080/v1/p/training-jobs?sortBy=job_name&page=2"
#define LIST_PATH "/v1/p/training-jobs?sortBy=job_name&page=2"

static ma__request_line check_get(int type, const char *data)
{
    return ma__request_line_check(type, data, strlen(data), "GET", LIST_URL, strlen(LIST_URL));
}

static void request_line_origin_and_absolute_form_accepted(void **state)
{
    (void)state;
    assert_int_equal(check_get(CURLINFO_HEADER_OUT, "GET " LIST_PATH " HTTP/1.1\r\nHost: h.test:8080\r\n\r\n"),
                     MA__REQUEST_LINE_ORIGIN_FORM);
    assert_int_equal(check_get(CURLINFO_HEADER_OUT, "GET " LIST_URL " HTTP/1.1\r\nHost: h.test:8080\r\n\r\n"),
                     MA__REQUEST_LINE_ABSOLUTE_FORM);
    static const char post_url[] = "https://iam.test/v3/auth/tokens";
    static const char post_line[] = "POST /v3/auth/tokens HTTP/1.1\r\n";
    assert_int_equal(ma__request_line_check(CURLINFO_HEADER_OUT, post_line, sizeof post_line - 1, "POST", post_url,
                                            sizeof post_url - 1),
                     MA__REQUEST_LINE_ORIGIN_FORM);
    static const char bare_url[] = "http://h.test";
    assert_int_equal(
        ma__request_line_check(CURLINFO_HEADER_OUT, "GET / HTTP/1.1\r\n", 16, "GET", bare_url, sizeof bare_url - 1),
        MA__REQUEST_LINE_NO_TARGET);
}

/* What libcurl 7.88 sends when it runs out of memory splitting off the query, in both forms. */
static void request_line_with_other_target_is_lost(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "GET /v1/p/training-jobs HTTP/1.1\r\n",
        "GET http://h.test:8080/v1/p/training-jobs HTTP/1.1\r\n",
        "GET " LIST_PATH "&x=1 HTTP/1.1\r\n",
        "GET " LIST_URL "&x=1 HTTP/1.1\r\n",
        "GET http://other.test:8080" LIST_PATH " HTTP/1.1\r\n",
        "GET " LIST_PATH "\r\n",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        if (check_get(CURLINFO_HEADER_OUT, lines[i]) != MA__REQUEST_LINE_LOST)
            fail_msg("not reported as lost: %s", lines[i]);
}

/* Only the header block libcurl sent holds the request line; text, bodies and replies that look like one do not. */
static void request_line_looked_for_only_in_headers_sent(void **state)
{
    (void)state;
    static const curl_infotype others[] = {CURLINFO_TEXT,     CURLINFO_HEADER_IN,   CURLINFO_DATA_IN,
                                           CURLINFO_DATA_OUT, CURLINFO_SSL_DATA_IN, CURLINFO_SSL_DATA_OUT};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        if (check_get((int)others[i], "GET /elsewhere HTTP/1.1\r\n") != MA__REQUEST_LINE_NOT_ONE)
            fail_msg("curl_infotype %d taken for the request line", (int)others[i]);
        if (check_get((int)others[i], "GET " LIST_PATH " HTTP/1.1\r\n") != MA__REQUEST_LINE_NOT_ONE)
            fail_msg("curl_infotype %d taken for the request line", (int)others[i]);
    }
    /* A proxy CONNECT, another method, or too short to hold the method. */
    assert_int_equal(check_get(CURLINFO_HEADER_OUT, "CONNECT h.test:443 HTTP/1.1\r\n"), MA__REQUEST_LINE_NOT_ONE);
    assert_int_equal(check_get(CURLINFO_HEADER_OUT, "GETX /x HTTP/1.1\r\n"), MA__REQUEST_LINE_NOT_ONE);
    assert_int_equal(check_get(CURLINFO_HEADER_OUT, "GET"), MA__REQUEST_LINE_NOT_ONE);
}

/*
 * A forward proxy for plain http: for each connection it reads one request
 * in absolute form, sends it to the origin in origin form with
 * "Connection: close", and relays the answer until the origin hangs up.
 */
typedef struct mini_proxy {
    int listen_fd;
    uint16_t port;
    pthread_t thread;
    atomic_int stop;
    atomic_int requests;
    char first_line[1024]; /* the first request line it got, CRLF cut off */
} mini_proxy;

static int connect_loopback(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void proxy_one(mini_proxy *p, int client)
{
    char head[16384], out[16384 + 64];
    size_t head_len = read_head(client, head, sizeof head);
    char *eol = head_len ? strstr(head, "\r\n") : NULL;
    if (!eol)
        return;
    *eol = '\0';
    if (atomic_fetch_add(&p->requests, 1) == 0) {
        size_t len = strnlen(head, sizeof p->first_line - 1);
        memcpy(p->first_line, head, len);
        p->first_line[len] = '\0';
    }
    /* "GET http://127.0.0.1:port/path HTTP/1.1": only loopback origins. */
    char *target = strchr(head, ' ');
    static const char origin[] = "http://127.0.0.1:";
    if (!target || strncmp(target + 1, origin, sizeof origin - 1) != 0)
        return;
    char *port_text = target + 1 + sizeof origin - 1;
    char *path = strchr(port_text, '/');
    if (!path)
        return;
    int upstream = connect_loopback((uint16_t)strtoul(port_text, NULL, 10));
    if (upstream < 0)
        return;
    int n = snprintf(out, sizeof out, "%.*s%s", (int)(target - head + 1), head, path);
    /* The headers, minus the hop-by-hop ones this proxy replaces. */
    for (char *line = eol + 2; *line && strncmp(line, "\r\n", 2) != 0;) {
        char *next = strstr(line, "\r\n");
        if (!next)
            break;
        if (strncasecmp(line, "Proxy-Connection:", 17) != 0 && strncasecmp(line, "Connection:", 11) != 0)
            n += snprintf(out + n, sizeof out - (size_t)n, "\r\n%.*s", (int)(next - line), line);
        if (n >= (int)sizeof out)
            break;
        line = next + 2;
    }
    if (n < (int)sizeof out)
        n += snprintf(out + n, sizeof out - (size_t)n, "\r\nConnection: close\r\n\r\n");
    if (n < (int)sizeof out && send_all(upstream, out, (size_t)n) == 0) {
        ssize_t got;
        while ((got = read(upstream, out, sizeof out)) > 0)
            if (send_all(client, out, (size_t)got) != 0)
                break;
    }
    close(upstream);
}

static void *mini_proxy_main(void *arg)
{
    mini_proxy *p = arg;
    while (!atomic_load(&p->stop)) {
        struct pollfd pfd = {p->listen_fd, POLLIN, 0};
        if (poll(&pfd, 1, 50) <= 0)
            continue;
        int client = accept(p->listen_fd, NULL, NULL);
        if (client < 0)
            continue;
        proxy_one(p, client);
        close(client);
    }
    return NULL;
}

static void mini_proxy_start(mini_proxy *p)
{
    memset(p, 0, sizeof *p);
    atomic_init(&p->stop, 0);
    atomic_init(&p->requests, 0);
    p->listen_fd = listen_loopback(&p->port);
    assert_int_equal(pthread_create(&p->thread, NULL, mini_proxy_main, p), 0);
}

static void mini_proxy_stop(mini_proxy *p)
{
    atomic_store(&p->stop, 1);
    pthread_join(p->thread, NULL);
    close(p->listen_fd);
}

static int verdicts[MA__REQUEST_LINE_LOST + 1];

static void count_verdict(ma__request_line verdict)
{
    verdicts[verdict]++;
}

static int request_line_observer_clear(void **state)
{
    (void)state;
    ma__curl_request_line_observer = NULL;
    unsetenv("http_proxy");
    return 0;
}

/* Lists through a new client and returns how many jobs came back; fails the test on an error. */
static size_t list_page(const e2e_env *env)
{
    ma_client_options opts;
    e2e_options(env, &opts);
    ma_client *client = e2e_client_new(&opts);
    ma_job_query *q = e2e_query(5, 2, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    memset(verdicts, 0, sizeof verdicts);
    ma__curl_request_line_observer = count_verdict;
    ma_job_list *list = NULL;
    ma_error err;
    ma_status st = ma_list_training_jobs(client, q, &list, &err);
    ma__curl_request_line_observer = NULL;
    if (st != MA_OK)
        fail_msg("list: %s: %s", ma_status_name(st), err.message);
    size_t count = ma_job_list_count(list);
    ma_job_list_free(list);
    ma_job_query_free(q);
    ma_client_free(client);
    return count;
}

static void list_direct_request_line_checked_in_origin_form(void **state)
{
    const e2e_env *env = *state;
    unsetenv("http_proxy");
    assert_int_equal(list_page(env), 5);
    assert_int_equal(verdicts[MA__REQUEST_LINE_ORIGIN_FORM], 1);
    assert_int_equal(verdicts[MA__REQUEST_LINE_ABSOLUTE_FORM], 0);
    assert_int_equal(verdicts[MA__REQUEST_LINE_LOST], 0);
}

/* libcurl takes the proxy from http_proxy; the request line then carries the whole URL. */
static void list_through_proxy_request_line_checked_in_absolute_form(void **state)
{
    const e2e_env *env = *state;
    mini_proxy p;
    mini_proxy_start(&p);
    char proxy_url[64];
    snprintf(proxy_url, sizeof proxy_url, "http://127.0.0.1:%u", (unsigned int)p.port);
    assert_int_equal(setenv("http_proxy", proxy_url, 1), 0);
    assert_int_equal(unsetenv("no_proxy"), 0);
    assert_int_equal(unsetenv("NO_PROXY"), 0);
    size_t before = fake_server_request_count(env->server);
    size_t count = list_page(env);
    unsetenv("http_proxy");
    mini_proxy_stop(&p);
    assert_int_equal(count, 5);
    assert_int_equal(atomic_load(&p.requests), 1);
    char want[256];
    snprintf(want, sizeof want, "GET %s/v1/%s/training-jobs?per_page=5&page=2&sortBy=create_time&order=desc HTTP/1.1",
             fake_server_url(env->server), E2E_PROJECT);
    assert_string_equal(p.first_line, want);
    assert_int_equal(verdicts[MA__REQUEST_LINE_ABSOLUTE_FORM], 1);
    assert_int_equal(verdicts[MA__REQUEST_LINE_ORIGIN_FORM], 0);
    assert_int_equal(verdicts[MA__REQUEST_LINE_LOST], 0);
    /* The origin got it in origin form, from the proxy. */
    assert_int_equal(fake_server_request_count(env->server), before + 1);
    fake_request r;
    assert_int_equal(fake_server_request_at(env->server, before, &r), 0);
    snprintf(want, sizeof want, "/v1/%s/training-jobs?per_page=5&page=2&sortBy=create_time&order=desc", E2E_PROJECT);
    assert_string_equal(r.uri, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_block_over_cap_is_response_too_large),
        cmocka_unit_test(header_block_at_cap_accepted_one_more_byte_rejected),
        cmocka_unit_test_teardown(response_code_not_reported_is_transport_error, fault_clear),
        cmocka_unit_test_teardown(finished_transfer_not_identified_is_transport_error, fault_clear),
        cmocka_unit_test_teardown(held_back_body_that_cannot_resume_fails_its_exchange, fault_clear),
        cmocka_unit_test(request_line_origin_and_absolute_form_accepted),
        cmocka_unit_test(request_line_with_other_target_is_lost),
        cmocka_unit_test(request_line_looked_for_only_in_headers_sent),
        cmocka_unit_test_teardown(list_direct_request_line_checked_in_origin_form, request_line_observer_clear),
        cmocka_unit_test_teardown(list_through_proxy_request_line_checked_in_absolute_form,
                                  request_line_observer_clear),
    };
    return cmocka_run_group_tests(tests, e2e_setup, e2e_teardown);
}
