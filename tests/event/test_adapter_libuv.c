/*
 * The libuv adapter (modelarts/adapters/ma_libuv.h) passes the event-loop suite on a real
 * uv_loop_t, and a walk of 101 pages never holds up a 10 ms timer on the same loop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <modelarts/adapters/ma_libuv.h>

#include "adapter_suite.h"

typedef struct libuv_loop {
    uv_loop_t loop;
    ma_libuv *adapter;
} libuv_loop;

static void *loop_attach(ma_client *client)
{
    libuv_loop *l = calloc(1, sizeof *l);
    assert_non_null(l);
    assert_int_equal(uv_loop_init(&l->loop), 0);
    ma_error err;
    ma_status st = ma_libuv_attach(&l->adapter, client, &l->loop, &err);
    if (st != MA_OK)
        fail_msg("ma_libuv_attach: %s: %s", ma_status_name(st), err.message);
    return l;
}

static void loop_run_until(void *loop, const int *done)
{
    libuv_loop *l = loop;
    while (!*done)
        if (uv_run(&l->loop, UV_RUN_ONCE) == 0 && !*done)
            fail_msg("libuv: no handle left active, yet the request has not completed");
}

static int loop_settle(void *loop, int max_ms)
{
    libuv_loop *l = loop;
    for (int waited_ms = 0; waited_ms <= max_ms; waited_ms++) {
        if (uv_run(&l->loop, UV_RUN_NOWAIT) == 0)
            return 1;
        uv_sleep(1);
    }
    return 0;
}

static void count_handle(uv_handle_t *handle, void *arg)
{
    (void)handle;
    (*(int *)arg)++;
}

static int loop_free(void *loop)
{
    libuv_loop *l = loop;
    ma_libuv_free(l->adapter);
    /* One turn runs the close callbacks; a handle still there after it was never closed. */
    uv_run(&l->loop, UV_RUN_NOWAIT);
    int left = 0;
    uv_walk(&l->loop, count_handle, &left);
    if (left == 0) {
        assert_int_equal(uv_loop_close(&l->loop), 0);
        free(l);
    }
    return left;
}

static const event_loop_ops libuv_ops = {"libuv", loop_attach, loop_run_until, loop_settle, loop_free};

/* The program's own repeating timer, timed against the previous tick. */
typedef struct ticker {
    uv_timer_t timer;
    uint64_t last_ns;
    uint64_t worst_late_ns;
    unsigned ticks;
} ticker;

#define TICK_MS 10

static void on_tick(uv_timer_t *timer)
{
    ticker *t = timer->data;
    uint64_t now = uv_hrtime();
    if (t->ticks > 0 && now - t->last_ns > TICK_MS * 1000000ull) {
        uint64_t late = now - t->last_ns - TICK_MS * 1000000ull;
        if (late > t->worst_late_ns)
            t->worst_late_ns = late;
    }
    t->last_ns = now;
    t->ticks++;
}

typedef struct walk_state {
    ticker *ticker;
    size_t jobs;
    int done;
    ma_status status;
} walk_state;

static int count_job(ma_request *request, const ma_job *job, void *user_data)
{
    (void)request;
    (void)job;
    ((walk_state *)user_data)->jobs++;
    return 0;
}

static void on_walk_done(ma_request *request, ma_status status, const ma_error *err, void *user_data)
{
    (void)request;
    (void)err;
    walk_state *w = user_data;
    w->done = 1;
    w->status = status;
    uv_timer_stop(&w->ticker->timer);
}

/* Lateness allowed per tick: 50 ms, or MA_TEST_LATENESS_BOUND_MS (valgrind runs everything far slower). */
static uint64_t lateness_bound_ms(void)
{
    const char *text = getenv("MA_TEST_LATENESS_BOUND_MS");
    return text && *text ? strtoull(text, NULL, 10) : 50;
}

static void timer_on_the_loop_stays_on_time_during_a_100_page_walk(void **state)
{
    suite_env *env = *state;
    ma_client *client = suite_client(env);
    libuv_loop *l = loop_attach(client);
    /* Each page answered after 10 ms, so the walk spans many ticks. */
    fake_server_set_latency(env->server, 10);
    ticker t = {0};
    uv_timer_init(&l->loop, &t.timer);
    t.timer.data = &t;
    walk_state w = {&t, 0, 0, MA_OK};
    ma_job_query *q = suite_query();
    ma_walk_options wo = MA_WALK_OPTIONS_INIT;
    wo.concurrency = 8;
    ma_error err;
    assert_int_equal(ma_walk_training_jobs_start(client, q, &wo, count_job, on_walk_done, &w, NULL, &err), MA_OK);
    ma_job_query_free(q);
    uv_timer_start(&t.timer, on_tick, TICK_MS, TICK_MS);
    loop_run_until(l, &w.done);
    uv_close((uv_handle_t *)&t.timer, NULL);
    assert_int_equal(w.status, MA_OK);
    assert_int_equal(w.jobs, SUITE_JOBS);
    /* Enough ticks for the measure to mean something: 101 pages take at least 13 rounds of 10 ms. */
    if (t.ticks < 5)
        fail_msg("only %u tick(s) during the walk", t.ticks);
    uint64_t bound_ms = lateness_bound_ms();
    if (t.worst_late_ns > bound_ms * 1000000ull)
        fail_msg("a %d ms timer was late by up to %.1f ms (bound %llu ms) over %u ticks during the walk", TICK_MS,
                 (double)t.worst_late_ns / 1e6, (unsigned long long)bound_ms, t.ticks);
    print_message("libuv: %u ticks, worst lateness %.1f ms\n", t.ticks, (double)t.worst_late_ns / 1e6);
    ma_client_free(client);
    assert_int_equal(loop_free(l), 0);
}

static void timer_hook_runs_0_ms_from_the_idle_handle_and_others_from_the_timer(void **state)
{
    (void)state;
    /* The timer hook alone: a 0 ms timer waits for the loop's next turn (idle), a longer one on the uv_timer_t. */
    libuv_loop *l = calloc(1, sizeof *l);
    assert_non_null(l);
    assert_int_equal(uv_loop_init(&l->loop), 0);
    ma_libuv adapter;
    memset(&adapter, 0, sizeof adapter);
    adapter.loop = &l->loop;
    uv_timer_init(&l->loop, &adapter.timer);
    uv_idle_init(&l->loop, &adapter.now);
    adapter.timer.data = adapter.now.data = &adapter;
    assert_int_equal(ma_libuv_timer(0, &adapter), 0);
    assert_true(uv_is_active((uv_handle_t *)&adapter.now));
    assert_false(uv_is_active((uv_handle_t *)&adapter.timer));
    assert_int_equal(ma_libuv_timer(25, &adapter), 0);
    assert_false(uv_is_active((uv_handle_t *)&adapter.now));
    assert_true(uv_is_active((uv_handle_t *)&adapter.timer));
    assert_int_equal(ma_libuv_timer(-1, &adapter), 0);
    assert_false(uv_is_active((uv_handle_t *)&adapter.now));
    assert_false(uv_is_active((uv_handle_t *)&adapter.timer));
    uv_close((uv_handle_t *)&adapter.timer, NULL);
    uv_close((uv_handle_t *)&adapter.now, NULL);
    uv_run(&l->loop, UV_RUN_NOWAIT);
    assert_int_equal(uv_loop_close(&l->loop), 0);
    free(l);
}

int main(void)
{
    const struct CMUnitTest extra[] = {
        cmocka_unit_test(timer_on_the_loop_stays_on_time_during_a_100_page_walk),
        cmocka_unit_test(timer_hook_runs_0_ms_from_the_idle_handle_and_others_from_the_timer),
    };
    return event_suite_run(&libuv_ops, extra, sizeof extra / sizeof extra[0]);
}
