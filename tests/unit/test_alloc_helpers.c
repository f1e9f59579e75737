/* The allocation-failure helpers the torture tests rely on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "util/error.h"
#include "test_alloc.h"
#include "unit_fixture.h"

static void test_alloc_fail_at_fails_exactly_that_allocation(void **state)
{
    (void)state;
    const ma_allocator *a = test_allocator();
    for (size_t n = 1; n <= 6; n++) {
        void *blocks[6] = {NULL};
        test_alloc_fail_at(n);
        for (size_t i = 0; i < 6; i++) {
            /* Odd allocations go through realloc(NULL, ...), which counts the same. */
            blocks[i] = i % 2 ? a->realloc(a->ctx, NULL, 8) : a->alloc(a->ctx, 8);
            if (i + 1 < n)
                assert_false(test_alloc_failure_reached());
            else
                assert_true(test_alloc_failure_reached());
        }
        assert_int_equal(test_alloc_attempts(), 6);
        test_alloc_reset();
        for (size_t i = 0; i < 6; i++) {
            if ((blocks[i] == NULL) != (i + 1 == n))
                fail_msg("fail_at(%zu): allocation %zu %s", n, i + 1, blocks[i] ? "succeeded" : "failed");
            if (blocks[i])
                a->free(a->ctx, blocks[i]);
        }
    }
}

static void test_alloc_fail_at_zero_and_reset_fail_nothing(void **state)
{
    (void)state;
    const ma_allocator *a = test_allocator();
    test_alloc_fail_at(0);
    void *p = a->alloc(a->ctx, 4);
    assert_non_null(p);
    assert_false(test_alloc_failure_reached());
    a->free(a->ctx, p);
    test_alloc_fail_all();
    test_alloc_reset();
    p = a->alloc(a->ctx, 4);
    assert_non_null(p);
    a->free(a->ctx, p);
    assert_int_equal(test_alloc_attempts(), 1);
}

static void test_alloc_fail_all_fails_every_allocation(void **state)
{
    (void)state;
    const ma_allocator *a = test_allocator();
    test_alloc_fail_all();
    for (int i = 0; i < 5; i++)
        assert_null(a->alloc(a->ctx, 4));
    void *p = test_malloc(4);
    assert_null(a->realloc(a->ctx, p, 8));
    test_alloc_reset();
    test_free(p);
}

/* An operation that takes three blocks and gives them back; optionally it tries a failed one again. */
typedef struct fake_op {
    int retry_once;
    size_t runs;
    size_t after_calls;
    size_t failed_runs;
} fake_op;

static ma_status fake_op_run(void *ctx, ma_error *err)
{
    fake_op *f = ctx;
    const ma_allocator *a = test_allocator();
    void *blocks[3] = {NULL};
    ma_status st = MA_OK;
    f->runs++;
    for (size_t i = 0; i < 3 && st == MA_OK; i++) {
        blocks[i] = a->alloc(a->ctx, 16);
        if (!blocks[i] && f->retry_once)
            blocks[i] = a->alloc(a->ctx, 16);
        if (!blocks[i])
            st = ma__error_set(err, MA_ERR_NOMEM, "out of memory (block %zu)", i);
    }
    for (size_t i = 0; i < 3; i++)
        if (blocks[i])
            a->free(a->ctx, blocks[i]);
    return st;
}

static void fake_op_after(void *ctx, size_t n, ma_status st, const ma_error *err)
{
    fake_op *f = ctx;
    (void)n;
    (void)err;
    f->after_calls++;
    if (st != MA_OK)
        f->failed_runs++;
}

static void unit_alloc_torture_fails_each_allocation_in_turn_then_stops(void **state)
{
    (void)state;
    fake_op f = {0, 0, 0, 0};
    const unit_alloc_case c = {"three blocks", 10, fake_op_run, fake_op_after, &f};
    /* Runs with allocation 1, 2, 3 failing, each followed by a clean run; allocation 4 is never reached. */
    assert_int_equal(unit_alloc_torture(&c), 3);
    assert_int_equal(f.failed_runs, 3);
    assert_int_equal(f.runs, 3 + 3 + 1);
    assert_int_equal(f.after_calls, f.runs);
}

static void unit_alloc_torture_absorbed_failure_keeps_going(void **state)
{
    (void)state;
    fake_op f = {1, 0, 0, 0};
    const unit_alloc_case c = {"three blocks, retried", 10, fake_op_run, fake_op_after, &f};
    /* Every single failure is absorbed by the retry: no run fails, and n goes on until it is never reached (4). */
    assert_int_equal(unit_alloc_torture(&c), 0);
    assert_int_equal(f.failed_runs, 0);
    assert_int_equal(f.runs, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_fail_at_fails_exactly_that_allocation),
        cmocka_unit_test(test_alloc_fail_at_zero_and_reset_fail_nothing),
        cmocka_unit_test(test_alloc_fail_all_fails_every_allocation),
        cmocka_unit_test(unit_alloc_torture_fails_each_allocation_in_turn_then_stops),
        cmocka_unit_test(unit_alloc_torture_absorbed_failure_keeps_going),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
