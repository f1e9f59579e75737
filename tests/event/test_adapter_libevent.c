/* The libevent adapter (modelarts/adapters/ma_libevent.h) passes the event-loop suite on a real event_base. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include <modelarts/adapters/ma_libevent.h>

#include "adapter_suite.h"

typedef struct libevent_loop {
    struct event_base *base;
    ma_libevent *adapter;
} libevent_loop;

static void *loop_attach(ma_client *client)
{
    libevent_loop *l = calloc(1, sizeof *l);
    assert_non_null(l);
    l->base = event_base_new();
    assert_non_null(l->base);
    ma_error err;
    ma_status st = ma_libevent_attach(&l->adapter, client, l->base, &err);
    if (st != MA_OK)
        fail_msg("ma_libevent_attach: %s: %s", ma_status_name(st), err.message);
    return l;
}

static void loop_run_until(void *loop, const int *done)
{
    libevent_loop *l = loop;
    while (!*done) {
        int rc = event_base_loop(l->base, EVLOOP_ONCE);
        if (rc < 0)
            fail_msg("event_base_loop failed");
        if (rc == 1 && !*done)
            fail_msg("libevent: no event left to wait for, yet the request has not completed");
    }
}

static int loop_settle(void *loop, int max_ms)
{
    libevent_loop *l = loop;
    for (int waited_ms = 0; waited_ms <= max_ms; waited_ms++) {
        /* One pass (a timer re-added at 0 ms would keep EVLOOP_NONBLOCK alone looping); 1: no event left. */
        if (event_base_loop(l->base, EVLOOP_ONCE | EVLOOP_NONBLOCK) == 1)
            return 1;
        struct timespec pause = {0, 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    return 0;
}

static int loop_free(void *loop)
{
    libevent_loop *l = loop;
    ma_libevent_free(l->adapter);
    int left = event_base_get_num_events(l->base, EVENT_BASE_COUNT_ADDED);
    event_base_free(l->base);
    free(l);
    return left;
}

static const event_loop_ops libevent_ops = {"libevent", loop_attach, loop_run_until, loop_settle, loop_free};

static void attach_refuses_a_missing_base(void **state)
{
    suite_env *env = *state;
    ma_client *client = suite_client(env);
    ma_libevent *adapter = (ma_libevent *)(uintptr_t)1;
    ma_error err;
    assert_int_equal(ma_libevent_attach(&adapter, client, NULL, &err), MA_ERR_INVALID_ARG);
    assert_null(adapter);
    assert_int_equal(err.status, MA_ERR_INVALID_ARG);
    ma_client_free(client);
}

static void second_attach_is_refused_and_leaves_nothing_behind(void **state)
{
    suite_env *env = *state;
    ma_client *client = suite_client(env);
    libevent_loop *l = loop_attach(client);
    ma_libevent *second = NULL;
    ma_error err;
    assert_int_equal(ma_libevent_attach(&second, client, l->base, &err), MA_ERR_INVALID_ARG);
    assert_null(second);
    ma_client_free(client);
    assert_int_equal(loop_free(l), 0);
}

int main(void)
{
    const struct CMUnitTest extra[] = {
        cmocka_unit_test(attach_refuses_a_missing_base),
        cmocka_unit_test(second_attach_is_refused_and_leaves_nothing_behind),
    };
    return event_suite_run(&libevent_ops, extra, sizeof extra / sizeof extra[0]);
}
