/*
 * The libcurl transport against the fake server over loopback: batches and
 * connection reuse, TLS, body caps, timeouts, protocol restriction and what
 * exactly goes on the wire.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <pthread.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "fake_server.h"
#include "modelarts/modelarts.h"
#include "test_alloc.h"
#include "tls_cert.h"
#include "transport_kit.h"

#define CAP_BYTES 4096

static tls_cert cert;

static fake_server *server_start(unsigned int latency_ms, int tls)
{
    fake_server_options so;
    fake_server_options_init(&so);
    so.latency_ms = latency_ms;
    if (tls) {
        so.cert_pem = cert.cert_pem;
        so.key_pem = cert.key_pem;
    }
    fake_server *srv = NULL;
    assert_int_equal(fake_server_start(&so, &srv), 0);
    return srv;
}

static void request_at(fake_server *srv, size_t i, fake_request *out)
{
    assert_int_equal(fake_server_request_at(srv, i, out), 0);
}

/* ---- batches and connection reuse ------------------------------------------------------------------------ */

static void run_batch_of_four_uses_four_concurrent_connections(void **state)
{
    (void)state;
    fake_server *srv = server_start(300, 0);
    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "127.0.0.1", fake_server_port(srv));
    ma__curl_settings s = kit_settings();
    ma__transport *t = kit_transport_new(&s);

    kit_exchange xs[4];
    for (size_t i = 0; i < 4; i++) {
        kit_exchange_init(&xs[i], "GET", &ep.ep);
        kit_list_path(&xs[i], "p");
        char per_page[8];
        snprintf(per_page, sizeof per_page, "%zu", i + 1);
        kit_param(&xs[i], "per_page", per_page);
    }
    kit_batch b = {xs, 4, 0, 0, {0}, 0};
    ma__exchange_source src = kit_batch_source(&b);
    ma_error err;
    assert_int_equal(t->vtable->run(t, &src, 4, &err), MA_OK);

    assert_int_equal(b.reported, 4);
    int seen[4] = {0};
    for (size_t i = 0; i < 4; i++)
        seen[b.order[i]]++;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(seen[i], 1);
        assert_int_equal(xs[i].x.status, MA_OK);
        assert_int_equal(xs[i].resp.status, 200);
        /* Each response belongs to its own request: per_page = i + 1 jobs. */
        assert_int_equal(kit_count(xs[i].resp.body.data, xs[i].resp.body.len, "\"job_id\""), i + 1);
    }
    assert_int_equal(fake_server_connection_count(srv), 4);
    assert_int_equal(fake_server_peak_connections(srv), 4);

    for (size_t i = 0; i < 4; i++)
        kit_exchange_free(&xs[i]);
    t->vtable->destroy(t);
    fake_server_stop(srv);
}

static void send_ten_sequential_reuses_one_connection(void **state)
{
    (void)state;
    fake_server *srv = server_start(0, 0);
    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "127.0.0.1", fake_server_port(srv));
    ma__curl_settings s = kit_settings();
    ma__transport *t = kit_transport_new(&s);
    for (int i = 0; i < 10; i++) {
        kit_exchange x;
        kit_exchange_init(&x, "GET", &ep.ep);
        kit_list_path(&x, "p");
        kit_param(&x, "page", "1");
        assert_int_equal(ma__transport_send(t, &x.x), MA_OK);
        assert_int_equal(x.resp.status, 200);
        kit_exchange_free(&x);
    }
    assert_int_equal(fake_server_request_count(srv), 10);
    assert_int_equal(fake_server_connection_count(srv), 1);
    t->vtable->destroy(t);
    fake_server_stop(srv);
}

static void run_done_nonzero_stops_batch_and_transport_stays_usable(void **state)
{
    (void)state;
    fake_server *srv = server_start(0, 0);
    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "127.0.0.1", fake_server_port(srv));
    ma__curl_settings s = kit_settings();
    ma__transport *t = kit_transport_new(&s);

    /* The first exchange answers at once, the others only after 2 s. */
    fake_response fast = {200, "Content-Type: application/json", "{}", 2, 0, -1, 0, 0};
    fake_response slow = {200, "Content-Type: application/json", "{}", 2, 2000, -1, 0, 0};
    assert_int_equal(fake_server_push(srv, &fast), 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(fake_server_push(srv, &slow), 0);

    kit_exchange xs[6];
    for (size_t i = 0; i < 6; i++) {
        kit_exchange_init(&xs[i], "GET", &ep.ep);
        kit_list_path(&xs[i], "p");
        kit_header(&xs[i], "X-Auth-Token", "secret-token-for-stop-test", 1);
    }
    kit_batch b = {xs, 6, 0, 0, {0}, 1};
    ma__exchange_source src = kit_batch_source(&b);
    ma_error err;
    /* Exchange 0 goes first, alone, so it takes the fast script; then the batch fills up. */
    int64_t start = kit_now_ms();
    assert_int_equal(t->vtable->run(t, &src, 1, &err), MA_OK);
    assert_int_equal(b.reported, 1);
    assert_int_equal(b.order[0], 0);
    assert_int_equal(b.next, 1);
    assert_int_equal(xs[0].x.status, MA_OK);

    /* Now stop after the first report of a batch of three slow ones: the other two are abandoned. */
    kit_batch b2 = {xs + 1, 3, 0, 0, {0}, 1};
    src = kit_batch_source(&b2);
    assert_int_equal(t->vtable->run(t, &src, 3, &err), MA_OK);
    assert_int_equal(b2.reported, 1);
    assert_int_equal(b2.next, 3);
    assert_true(kit_now_ms() - start < 10000);

    /* No handle is left behind: the transport runs a fresh exchange normally. */
    kit_exchange again;
    kit_exchange_init(&again, "GET", &ep.ep);
    kit_list_path(&again, "p");
    assert_int_equal(ma__transport_send(t, &again.x), MA_OK);
    assert_int_equal(again.resp.status, 200);
    kit_exchange_free(&again);

    for (size_t i = 0; i < 6; i++)
        kit_exchange_free(&xs[i]);
    t->vtable->destroy(t);
    fake_server_stop(srv);
}

/* Reading in order: a later exchange's body waits for the older one; otherwise whoever answers first finishes first. */
static void run_in_order_reads_oldest_body_first(void **state)
{
    (void)state;
    fake_server *srv = server_start(0, 0);
    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "127.0.0.1", fake_server_port(srv));
    ma__curl_settings s = kit_settings();
    ma__transport *t = kit_transport_new(&s);
    for (int in_order = 0; in_order <= 1; in_order++) {
        fake_response slow = {200, "Content-Type: application/json", "{\"slow\": 1}", 11, 300, -1, 0, 0};
        fake_response fast = {200, "Content-Type: application/json", "{\"fast\": 1}", 11, 0, -1, 0, 0};
        assert_int_equal(fake_server_push_for(srv, "/v1/first/", &slow), 0);
        assert_int_equal(fake_server_push_for(srv, "/v1/second/", &fast), 0);
        kit_exchange xs[2];
        for (size_t i = 0; i < 2; i++) {
            kit_exchange_init(&xs[i], "GET", &ep.ep);
            kit_list_path(&xs[i], i == 0 ? "first" : "second");
        }
        kit_batch b = {xs, 2, 0, 0, {0}, 0};
        ma__exchange_source src = kit_batch_source(&b);
        src.in_order = in_order;
        ma_error err;
        assert_int_equal(t->vtable->run(t, &src, 2, &err), MA_OK);
        assert_int_equal(b.reported, 2);
        assert_int_equal(xs[0].x.status, MA_OK);
        assert_int_equal(xs[1].x.status, MA_OK);
        assert_string_equal(xs[1].resp.body.data, "{\"fast\": 1}");
        /* In order, the fast second exchange is held until the slow first one is read. */
        assert_int_equal(b.order[0], in_order ? 0 : 1);
        assert_int_equal(b.order[1], in_order ? 1 : 0);
        for (size_t i = 0; i < 2; i++)
            kit_exchange_free(&xs[i]);
    }
    t->vtable->destroy(t);
    fake_server_stop(srv);
}

/* An outer batch whose next() runs one exchange of its own on the same transport, as a login does. */
typedef struct nesting_batch {
    kit_batch outer;
    ma__transport *t;
    kit_exchange *nested;
    ma_status nested_status;
    int64_t nested_ms;
    size_t outer_reported_during_nested;
} nesting_batch;

static ma__exchange *nesting_next(void *ctx)
{
    nesting_batch *n = ctx;
    if (n->outer.next == n->outer.n && n->nested_ms < 0) {
        size_t before = n->outer.reported;
        int64_t start = kit_now_ms();
        n->nested_status = ma__transport_send(n->t, &n->nested->x);
        n->nested_ms = kit_now_ms() - start;
        n->outer_reported_during_nested = n->outer.reported - before;
    }
    return n->outer.next < n->outer.n ? &n->outer.items[n->outer.next++].x : NULL;
}

static int nesting_done(void *ctx, ma__exchange *x)
{
    nesting_batch *n = ctx;
    ma__exchange_source inner = kit_batch_source(&n->outer);
    return inner.done(inner.ctx, x);
}

/*
 * A run nested in a running batch (a login from next()): it is never held
 * behind the outer batch's oldest-first reading, reports only its own
 * exchange, and an outer exchange that finishes meanwhile is reported by the
 * outer batch afterwards.
 */
static void run_nested_in_a_batch_reports_only_its_own(void **state)
{
    (void)state;
    fake_server *srv = server_start(0, 0);
    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "127.0.0.1", fake_server_port(srv));
    ma__curl_settings s = kit_settings();
    ma__transport *t = kit_transport_new(&s);
    for (int in_order = 0; in_order <= 1; in_order++) {
        fake_response slow = {200, "Content-Type: application/json", "{\"slow\": 1}", 11, 1500, -1, 0, 0};
        fake_response fast = {200, "Content-Type: application/json", "{\"fast\": 1}", 11, 0, -1, 0, 0};
        fake_response inner = {200, "Content-Type: application/json", "{\"inner\":1}", 11, 300, -1, 0, 0};
        assert_int_equal(fake_server_push_for(srv, "/v1/first/", &slow), 0);
        assert_int_equal(fake_server_push_for(srv, "/v1/second/", &fast), 0);
        assert_int_equal(fake_server_push_for(srv, "/v1/nested/", &inner), 0);
        kit_exchange xs[2];
        for (size_t i = 0; i < 2; i++) {
            kit_exchange_init(&xs[i], "GET", &ep.ep);
            kit_list_path(&xs[i], i == 0 ? "first" : "second");
        }
        kit_exchange nested;
        kit_exchange_init(&nested, "GET", &ep.ep);
        kit_list_path(&nested, "nested");
        nesting_batch n = {{xs, 2, 0, 0, {0}, 0}, t, &nested, MA_ERR_TRANSPORT, -1, 0};
        ma__exchange_source src = {nesting_next, nesting_done, &n, 0, in_order, NULL};
        ma_error err;
        assert_int_equal(t->vtable->run(t, &src, 3, &err), MA_OK);
        /* The nested exchange ran to its end without waiting for the slow outer one. */
        assert_int_equal(n.nested_status, MA_OK);
        assert_int_equal(nested.resp.status, 200);
        assert_string_equal(nested.resp.body.data, "{\"inner\":1}");
        if (n.nested_ms >= 1200)
            fail_msg("the nested run took %lld ms", (long long)n.nested_ms);
        assert_int_equal(n.outer_reported_during_nested, 0);
        /* Both outer exchanges reported once each, by the outer run, oldest first when asked. */
        assert_int_equal(n.outer.reported, 2);
        assert_int_equal(xs[0].x.status, MA_OK);
        assert_int_equal(xs[1].x.status, MA_OK);
        assert_string_equal(xs[0].resp.body.data, "{\"slow\": 1}");
        assert_string_equal(xs[1].resp.body.data, "{\"fast\": 1}");
        assert_int_equal(n.outer.order[0], in_order ? 0 : 1);
        assert_int_equal(n.outer.order[1], in_order ? 1 : 0);
        kit_exchange_free(&nested);
        for (size_t i = 0; i < 2; i++)
            kit_exchange_free(&xs[i]);
    }
    t->vtable->destroy(t);
    fake_server_stop(srv);
}

/* ---- TLS ------------------------------------------------------------------------------------------------- */

static ma_status tls_send(fake_server *srv, const char *host, const ma__curl_settings *s, kit_exchange *x)
{
    kit_endpoint ep;
    kit_endpoint_init(&ep, "https", host, fake_server_port(srv));
    ma__transport *t = kit_transport_new(s);
    kit_exchange_init(x, "GET", &ep.ep);
    kit_list_path(x, "p");
    ma_status st = ma__transport_send(t, &x->x);
    t->vtable->destroy(t);
    return st;
}

static void tls_self_signed_rejected_by_default(void **state)
{
    (void)state;
    fake_server *srv = server_start(0, 1);
    ma__curl_settings s = kit_settings();
    kit_exchange x;
    assert_int_equal(tls_send(srv, "127.0.0.1", &s, &x), MA_ERR_TLS);
    assert_int_equal(x.x.err.status, MA_ERR_TLS);
    assert_int_not_equal(x.x.err.transport_code, 0);
    assert_non_null(strstr(x.x.err.message, "GET https://127.0.0.1:"));
    assert_int_equal(fake_server_request_count(srv), 0);
    kit_exchange_free(&x);
    fake_server_stop(srv);
}

static void tls_accepted_with_ca_file(void **state)
{
    (void)state;
    fake_server *srv = server_start(0, 1);
    ma__curl_settings s = kit_settings();
    s.ca_file = cert.cert_path;
    const char *hosts[] = {"localhost", "127.0.0.1"};
    for (size_t i = 0; i < 2; i++) {
        kit_exchange x;
        ma_status st = tls_send(srv, hosts[i], &s, &x);
        if (st != MA_OK)
            fail_msg("%s: %s", hosts[i], x.x.err.message);
        assert_int_equal(x.resp.status, 200);
        kit_exchange_free(&x);
    }
    assert_int_equal(fake_server_request_count(srv), 2);
    fake_server_stop(srv);
}

static void tls_accepted_with_verify_off(void **state)
{
    (void)state;
    fake_server *srv = server_start(0, 1);
    ma__curl_settings s = kit_settings();
    s.verify_tls = 0;
    kit_exchange x;
    assert_int_equal(tls_send(srv, "127.0.0.1", &s, &x), MA_OK);
    assert_int_equal(x.resp.status, 200);
    kit_exchange_free(&x);
    fake_server_stop(srv);
}

/*
 * A bare plain-HTTP responder for one connection: it reads what the client
 * sends (a TLS ClientHello), answers 400 like any HTTP server would, and
 * drains until the client hangs up, so the answer always arrives.
 */
typedef struct plain_responder {
    int listen_fd;
    uint16_t port;
    pthread_t thread;
} plain_responder;

static void *plain_responder_main(void *arg)
{
    plain_responder *p = arg;
    int fd = accept(p->listen_fd, NULL, NULL);
    if (fd < 0)
        return NULL;
    char buf[4096];
    if (read(fd, buf, sizeof buf) > 0) {
        static const char reply[] = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n"
                                    "Connection: close\r\n\r\nBad Request";
        if (write(fd, reply, sizeof reply - 1) == (ssize_t)(sizeof reply - 1))
            shutdown(fd, SHUT_WR);
        while (read(fd, buf, sizeof buf) > 0) {
        }
    }
    close(fd);
    return NULL;
}

static void plain_responder_start(plain_responder *p)
{
    p->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(p->listen_fd >= 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(p->listen_fd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(listen(p->listen_fd, 4), 0);
    socklen_t alen = sizeof addr;
    assert_int_equal(getsockname(p->listen_fd, (struct sockaddr *)&addr, &alen), 0);
    p->port = ntohs(addr.sin_port);
    assert_int_equal(pthread_create(&p->thread, NULL, plain_responder_main, p), 0);
}

static void plain_responder_stop(plain_responder *p)
{
    pthread_join(p->thread, NULL);
    close(p->listen_fd);
}

/* Also the protocol restriction, behaviourally: an https endpoint never falls back to plain HTTP. */
static void tls_https_endpoint_answered_in_plain_http_says_so(void **state)
{
    (void)state;
    plain_responder p;
    plain_responder_start(&p);
    kit_endpoint ep;
    kit_endpoint_init(&ep, "https", "127.0.0.1", p.port);
    ma__curl_settings s = kit_settings();
    s.verify_tls = 0;
    ma__transport *t = kit_transport_new(&s);
    kit_exchange x;
    kit_exchange_init(&x, "GET", &ep.ep);
    kit_list_path(&x, "p");
    ma_status st = ma__transport_send(t, &x.x);
    char want[160];
    snprintf(want, sizeof want,
             "GET https://127.0.0.1:%u/v1/p/training-jobs: the server at 127.0.0.1:%u answered in plain HTTP, not TLS; "
             "use http:// or check the port (curl error 35: ",
             (unsigned int)p.port, (unsigned int)p.port);
    if (st != MA_ERR_TLS || strncmp(x.x.err.message, want, strlen(want)) != 0)
        fail_msg("%s: %s", ma_status_name(st), x.x.err.message);
    assert_int_equal(x.resp.status, 0);
    kit_exchange_free(&x);
    t->vtable->destroy(t);
    plain_responder_stop(&p);
}

/* The plain fake server either answers 400 or hangs up on the ClientHello; both name the likely cause. */
static void tls_https_endpoint_on_plain_fake_server_fails(void **state)
{
    (void)state;
    fake_server *srv = server_start(0, 0);
    ma__curl_settings s = kit_settings();
    s.verify_tls = 0;
    kit_exchange x;
    ma_status st = tls_send(srv, "127.0.0.1", &s, &x);
    int answered = strstr(x.x.err.message, "answered in plain HTTP, not TLS; use http:// or check the port") != NULL;
    int hung_up = strstr(x.x.err.message, "if it speaks plain HTTP, use http:// or check the port") != NULL;
    if (st != MA_ERR_TLS || answered == hung_up)
        fail_msg("%s: %s", ma_status_name(st), x.x.err.message);
    assert_int_equal(x.resp.status, 0);
    assert_non_null(strstr(x.x.err.message, "GET https://127.0.0.1:"));
    kit_exchange_free(&x);
    fake_server_stop(srv);
}

/* ---- body cap -------------------------------------------------------------------------------------------- */

static ma_status capped_send(fake_server *srv, const fake_response *r, kit_exchange *x)
{
    assert_int_equal(fake_server_push(srv, r), 0);
    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "127.0.0.1", fake_server_port(srv));
    ma__curl_settings s = kit_settings();
    s.max_response_bytes = CAP_BYTES;
    ma__transport *t = kit_transport_new(&s);
    kit_exchange_init(x, "GET", &ep.ep);
    kit_list_path(x, "p");
    ma_status st = ma__transport_send(t, &x->x);
    t->vtable->destroy(t);
    return st;
}

static char *filler(size_t n)
{
    char *b = malloc(n + 1);
    assert_non_null(b);
    for (size_t i = 0; i < n; i++)
        b[i] = (char)('a' + (char)(i % 7 == 0 ? 1 : 0));
    b[n] = '\0';
    return b;
}

static void cap_chunked_body_over_limit_too_large(void **state)
{
    (void)state;
    fake_server *srv = server_start(0, 0);
    char *body = filler(CAP_BYTES * 3);
    fake_response r = {200, "Content-Type: application/json", body, CAP_BYTES * 3, 0, -1, 1, 0};
    kit_exchange x;
    assert_int_equal(capped_send(srv, &r, &x), MA_ERR_RESPONSE_TOO_LARGE);
    assert_true(x.resp.body.len <= CAP_BYTES);
    kit_exchange_free(&x);

    /* The same stream under the cap is delivered whole. */
    fake_response small = {200, "Content-Type: application/json", body, CAP_BYTES - 10, 0, -1, 1, 0};
    assert_int_equal(capped_send(srv, &small, &x), MA_OK);
    assert_int_equal(x.resp.body.len, CAP_BYTES - 10);
    assert_memory_equal(x.resp.body.data, body, CAP_BYTES - 10);
    kit_exchange_free(&x);
    free(body);
    fake_server_stop(srv);
}

static void cap_gzip_body_decoded_over_limit_too_large(void **state)
{
    (void)state;
    fake_server *srv = server_start(0, 0);
    /* 64 KiB of repetitive text compresses far below the cap; only the decoded size is over it. */
    char *body = filler(64 * 1024);
    fake_response r = {200, "Content-Type: application/json", body, 64 * 1024, 0, -1, 0, 1};
    kit_exchange x;
    assert_int_equal(capped_send(srv, &r, &x), MA_ERR_RESPONSE_TOO_LARGE);
    kit_exchange_free(&x);
    free(body);
    fake_server_stop(srv);
}

static void cap_gzip_body_under_limit_decoded(void **state)
{
    (void)state;
    fake_server *srv = server_start(0, 0);
    char *body = filler(3000);
    fake_response r = {200, "Content-Type: application/json", body, 3000, 0, -1, 0, 1};
    kit_exchange x;
    assert_int_equal(capped_send(srv, &r, &x), MA_OK);
    assert_string_equal(ma__headers_get(&x.resp.headers, "Content-Encoding"), "gzip");
    assert_int_equal(x.resp.body.len, 3000);
    assert_memory_equal(x.resp.body.data, body, 3000);
    fake_request fr;
    request_at(srv, 0, &fr);
    assert_non_null(strstr(fr.headers, "Accept-Encoding: "));
    assert_non_null(strstr(fr.headers, "gzip"));
    kit_exchange_free(&x);
    free(body);
    fake_server_stop(srv);
}

static void body_shorter_than_content_length_is_transport_error(void **state)
{
    (void)state;
    fake_server *srv = server_start(0, 0);
    char *body = filler(2000);
    fake_response r = {200, "Content-Type: application/json", body, 2000, 0, 500, 0, 0};
    kit_exchange x;
    ma_status st = capped_send(srv, &r, &x);
    assert_int_equal(st, MA_ERR_TRANSPORT);
    assert_int_equal(x.resp.status, 200);
    assert_non_null(strstr(x.x.err.message, "GET http://127.0.0.1:"));
    kit_exchange_free(&x);
    free(body);
    fake_server_stop(srv);
}

/* ---- timeouts -------------------------------------------------------------------------------------------- */

static void connect_timeout_on_full_backlog(void **state)
{
    (void)state;
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(lfd >= 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(lfd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(listen(lfd, 0), 0);
    socklen_t alen = sizeof addr;
    assert_int_equal(getsockname(lfd, (struct sockaddr *)&addr, &alen), 0);
    /* Fill the accept queue with connections nobody accepts: the next SYN is dropped. */
    int fillers[4];
    for (size_t i = 0; i < 4; i++) {
        fillers[i] = socket(AF_INET, SOCK_STREAM, 0);
        assert_true(fillers[i] >= 0);
        fcntl(fillers[i], F_SETFL, O_NONBLOCK);
        (void)connect(fillers[i], (struct sockaddr *)&addr, sizeof addr);
    }
    struct timespec settle = {0, 100 * 1000 * 1000};
    nanosleep(&settle, NULL);

    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "127.0.0.1", ntohs(addr.sin_port));
    ma__curl_settings s = kit_settings();
    s.connect_timeout_ms = 200;
    s.timeout_ms = 30000;
    ma__transport *t = kit_transport_new(&s);
    kit_exchange x;
    kit_exchange_init(&x, "GET", &ep.ep);
    kit_list_path(&x, "p");
    int64_t start = kit_now_ms();
    ma_status st = ma__transport_send(t, &x.x);
    int64_t took = kit_now_ms() - start;
    if (st != MA_ERR_TIMEOUT)
        fail_msg("expected a timeout, got %s: %s", ma_status_name(st), x.x.err.message);
    assert_true(took < 2000);
    assert_int_equal(x.x.err.transport_code, 28);
    kit_exchange_free(&x);
    t->vtable->destroy(t);
    for (size_t i = 0; i < 4; i++)
        close(fillers[i]);
    close(lfd);
}

static void deadline_already_passed_sends_nothing(void **state)
{
    (void)state;
    fake_server *srv = server_start(0, 0);
    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "127.0.0.1", fake_server_port(srv));
    ma__curl_settings s = kit_settings();
    ma__transport *t = kit_transport_new(&s);
    kit_exchange x;
    kit_exchange_init(&x, "GET", &ep.ep);
    kit_list_path(&x, "p");
    x.req.deadline_ms = kit_now_ms() - 1;
    assert_int_equal(ma__transport_send(t, &x.x), MA_ERR_TIMEOUT);
    assert_non_null(strstr(x.x.err.message, "deadline"));
    kit_exchange_free(&x);

    /* A deadline shorter than the server's delay ends the exchange at the deadline. */
    fake_server_set_latency(srv, 3000);
    kit_exchange_init(&x, "GET", &ep.ep);
    kit_list_path(&x, "p");
    x.req.deadline_ms = kit_now_ms() + 300;
    int64_t start = kit_now_ms();
    assert_int_equal(ma__transport_send(t, &x.x), MA_ERR_TIMEOUT);
    assert_true(kit_now_ms() - start < 2500);
    kit_exchange_free(&x);
    t->vtable->destroy(t);
    assert_int_equal(fake_server_request_count(srv), 1);
    fake_server_stop(srv);
}

/* ---- what goes on the wire ------------------------------------------------------------------------------- */

static void wire_empty_header_fixed_then_attempt_headers(void **state)
{
    (void)state;
    fake_server *srv = server_start(0, 0);
    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "127.0.0.1", fake_server_port(srv));
    ma__curl_settings s = kit_settings();
    ma__transport *t = kit_transport_new(&s);
    kit_exchange x;
    kit_exchange_init(&x, "GET", &ep.ep);
    kit_list_path(&x, "p");
    kit_attempt_header(&x, "X-Attempt-Sig", "sig-1", 1);
    kit_header(&x, "X-Fixed-A", "a", 0);
    kit_header(&x, "X-Empty", "", 0);
    kit_header(&x, "X-Fixed-B", "b", 0);
    assert_int_equal(ma__transport_send(t, &x.x), MA_OK);
    fake_request fr;
    request_at(srv, 0, &fr);
    const char *a = strstr(fr.headers, "X-Fixed-A: a\n");
    const char *e = strstr(fr.headers, "X-Empty: \n");
    const char *b = strstr(fr.headers, "X-Fixed-B: b\n");
    const char *sig = strstr(fr.headers, "X-Attempt-Sig: sig-1\n");
    if (!a || !e || !b || !sig)
        fail_msg("headers seen by the server:\n%s", fr.headers);
    assert_true(a < e && e < b && b < sig);
    assert_null(strstr(fr.headers, "X-Empty;"));
    assert_string_equal(fr.user_agent, "modelarts-c-transport-test/1");
    kit_exchange_free(&x);
    t->vtable->destroy(t);
    fake_server_stop(srv);
}

static void wire_post_body_arrives_intact(void **state)
{
    (void)state;
    fake_server *srv = server_start(0, 0);
    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "127.0.0.1", fake_server_port(srv));
    ma__curl_settings s = kit_settings();
    ma__transport *t = kit_transport_new(&s);
    static const char body[] = "{\"auth\":{\"password\":\"p\\u0000w\"}}\0tail";
    kit_exchange x;
    kit_exchange_init(&x, "POST", &ep.ep);
    x.req.body_secret = 1;
    assert_int_equal(ma__buf_append(&x.req.body, body, sizeof body - 1), 0);
    assert_int_equal(ma__request_add_segment(&x.req, "v3"), 0);
    assert_int_equal(ma__request_add_segment(&x.req, "auth"), 0);
    assert_int_equal(ma__request_add_segment(&x.req, "tokens"), 0);
    kit_header(&x, "Content-Type", "application/json", 0);
    assert_int_equal(ma__transport_send(t, &x.x), MA_OK);
    assert_int_equal(x.resp.status, 404); /* the fake only knows the list API */
    fake_request fr;
    request_at(srv, 0, &fr);
    assert_string_equal(fr.method, "POST");
    assert_string_equal(fr.uri, "/v3/auth/tokens");
    assert_int_equal(fr.body_len, sizeof body - 1);
    assert_memory_equal(fr.body, body, sizeof body - 1);
    kit_exchange_free(&x);

    /* Any other method goes out as itself, without a body. */
    kit_exchange_init(&x, "DELETE", &ep.ep);
    kit_list_path(&x, "p");
    assert_int_equal(ma__transport_send(t, &x.x), MA_OK);
    request_at(srv, 1, &fr);
    assert_string_equal(fr.method, "DELETE");
    assert_int_equal(fr.body_len, 0);
    kit_exchange_free(&x);
    t->vtable->destroy(t);
    fake_server_stop(srv);
}

static void wire_dot_segments_sent_as_is(void **state)
{
    (void)state;
    fake_server *srv = server_start(0, 0);
    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "127.0.0.1", fake_server_port(srv));
    ma__curl_settings s = kit_settings();
    ma__transport *t = kit_transport_new(&s);
    const char *ids[] = {".", ".."};
    const char *want[] = {"/v1/./training-jobs?page=2", "/v1/../training-jobs?page=2"};
    for (size_t i = 0; i < 2; i++) {
        kit_exchange x;
        kit_exchange_init(&x, "GET", &ep.ep);
        kit_list_path(&x, ids[i]);
        kit_param(&x, "page", "2");
        assert_int_equal(ma__transport_send(t, &x.x), MA_OK);
        fake_request fr;
        request_at(srv, i, &fr);
        assert_string_equal(fr.uri, want[i]);
        kit_exchange_free(&x);
    }
    t->vtable->destroy(t);
    fake_server_stop(srv);
}

static void errors_name_method_and_url(void **state)
{
    (void)state;
    /* A port nobody listens on: bind one, then close it. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    socklen_t alen = sizeof addr;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &alen), 0);
    close(fd);
    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "127.0.0.1", ntohs(addr.sin_port));
    ma__curl_settings s = kit_settings();
    ma__transport *t = kit_transport_new(&s);
    kit_exchange x;
    kit_exchange_init(&x, "GET", &ep.ep);
    kit_list_path(&x, "p");
    kit_param(&x, "page", "2");
    kit_header(&x, "X-Auth-Token", "never-in-messages", 1);
    assert_int_equal(ma__transport_send(t, &x.x), MA_ERR_TRANSPORT);
    char want[128];
    snprintf(want, sizeof want, "GET http://127.0.0.1:%u/v1/p/training-jobs?page=2: connection refused (curl error 7: ",
             (unsigned int)ntohs(addr.sin_port));
    if (strncmp(x.x.err.message, want, strlen(want)) != 0)
        fail_msg("message: %s", x.x.err.message);
    assert_null(strstr(x.x.err.message, "never-in-messages"));
    assert_int_equal(x.x.err.transport_code, 7);
    kit_exchange_free(&x);
    t->vtable->destroy(t);
}

/* Every library allocation of a transport's life fails in turn: NOMEM or success, never a leak or a crash. */
static void alloc_failures_give_nomem_and_leak_nothing(void **state)
{
    (void)state;
    fake_server *srv = server_start(0, 0);
    kit_endpoint ep;
    kit_endpoint_init(&ep, "http", "127.0.0.1", fake_server_port(srv));
    ma__curl_settings s = kit_settings();
    int succeeded = 0;
    /* Exactly the fail-th allocation fails; the loop ends at the first run that never reached it. */
    for (size_t fail = 1; fail < 400 && !succeeded; fail++) {
        kit_exchange x;
        kit_exchange_init(&x, "GET", &ep.ep);
        kit_list_path(&x, "p");
        kit_header(&x, "X-Auth-Token", "token-under-torture", 1);
        kit_attempt_header(&x, "X-Empty", "", 0);
        test_alloc_fail_at(fail);
        ma__transport *t = NULL;
        ma_error err;
        ma_status st = ma__curl_transport_new(test_allocator(), &s, &t, &err);
        if (st == MA_OK) {
            st = ma__transport_send(t, &x.x);
            if (st != MA_OK && st != MA_ERR_NOMEM)
                fail_msg("allocation %zu failing gave %s: %s", fail, ma_status_name(st), x.x.err.message);
            t->vtable->destroy(t);
        } else {
            assert_int_equal(st, MA_ERR_NOMEM);
        }
        if (!test_alloc_failure_reached()) {
            assert_int_equal(st, MA_OK);
            succeeded = 1;
        }
        test_alloc_reset();
        kit_exchange_free(&x);
    }
    assert_true(succeeded);
    fake_server_stop(srv);
}

static int group_setup(void **state)
{
    (void)state;
    if (ma_global_init() != MA_OK)
        return -1;
    return tls_cert_make(&cert);
}

static int group_teardown(void **state)
{
    (void)state;
    tls_cert_free(&cert);
    ma_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(run_batch_of_four_uses_four_concurrent_connections),
        cmocka_unit_test(send_ten_sequential_reuses_one_connection),
        cmocka_unit_test(run_done_nonzero_stops_batch_and_transport_stays_usable),
        cmocka_unit_test(run_in_order_reads_oldest_body_first),
        cmocka_unit_test(run_nested_in_a_batch_reports_only_its_own),
        cmocka_unit_test(tls_self_signed_rejected_by_default),
        cmocka_unit_test(tls_accepted_with_ca_file),
        cmocka_unit_test(tls_accepted_with_verify_off),
        cmocka_unit_test(tls_https_endpoint_answered_in_plain_http_says_so),
        cmocka_unit_test(tls_https_endpoint_on_plain_fake_server_fails),
        cmocka_unit_test(cap_chunked_body_over_limit_too_large),
        cmocka_unit_test(cap_gzip_body_decoded_over_limit_too_large),
        cmocka_unit_test(cap_gzip_body_under_limit_decoded),
        cmocka_unit_test(body_shorter_than_content_length_is_transport_error),
        cmocka_unit_test(connect_timeout_on_full_backlog),
        cmocka_unit_test(deadline_already_passed_sends_nothing),
        cmocka_unit_test(wire_empty_header_fixed_then_attempt_headers),
        cmocka_unit_test(wire_post_body_arrives_intact),
        cmocka_unit_test(wire_dot_segments_sent_as_is),
        cmocka_unit_test(errors_name_method_and_url),
        cmocka_unit_test(alloc_failures_give_nomem_and_leak_nothing),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
