/*
 * The libcurl transport's own checks, over real loopback sockets: results of
 * libcurl calls that only fail on a broken handle or a lack of memory, made
 * to fail through a test hook.
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(response_code_not_reported_is_transport_error, fault_clear),
        cmocka_unit_test_teardown(finished_transfer_not_identified_is_transport_error, fault_clear),
        cmocka_unit_test_teardown(held_back_body_that_cannot_resume_fails_its_exchange, fault_clear),
    };
    return cmocka_run_group_tests(tests, e2e_setup, e2e_teardown);
}
