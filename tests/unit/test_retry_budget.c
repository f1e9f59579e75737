/* The retry budget: what a retry costs, where the bucket refuses, and what a success gives back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "engine/retry_budget.h"

static void a_new_budget_is_full_and_has_refused_nothing(void **state)
{
    (void)state;
    ma__retry_budget b;
    ma__retry_budget_init(&b, MA__RETRY_BUDGET_DEFAULT);
    assert_int_equal(b.capacity, 500);
    assert_int_equal(b.tokens, 500);
    assert_int_equal(b.refused, 0);
}

static void other_retries_cost_10_and_the_51st_of_500_is_refused(void **state)
{
    (void)state;
    ma__retry_budget b;
    ma__retry_budget_init(&b, 500);
    for (int i = 1; i <= 50; i++) {
        assert_int_equal(ma__retry_budget_take(&b, 0), MA__RETRY_COST_OTHER);
        assert_int_equal(b.tokens, 500 - 10 * i);
    }
    assert_int_equal(b.tokens, 0);
    assert_int_equal(b.refused, 0);
    assert_int_equal(ma__retry_budget_take(&b, 0), -1);
    assert_int_equal(b.tokens, 0);
    assert_int_equal(b.refused, 1);
    /* Even the cheaper throttled retry cannot be paid from nothing. */
    assert_int_equal(ma__retry_budget_take(&b, 1), -1);
    assert_int_equal(b.refused, 2);
}

static void throttled_retries_cost_5_and_the_101st_of_500_is_refused(void **state)
{
    (void)state;
    ma__retry_budget b;
    ma__retry_budget_init(&b, 500);
    for (int i = 1; i <= 100; i++)
        assert_int_equal(ma__retry_budget_take(&b, 1), MA__RETRY_COST_THROTTLED);
    assert_int_equal(b.tokens, 0);
    assert_int_equal(ma__retry_budget_take(&b, 1), -1);
    assert_int_equal(b.refused, 1);
}

static void a_refused_retry_takes_nothing_even_when_some_tokens_are_left(void **state)
{
    (void)state;
    ma__retry_budget b;
    ma__retry_budget_init(&b, 500);
    for (int i = 0; i < 99; i++)
        assert_int_equal(ma__retry_budget_take(&b, 1), 5);
    assert_int_equal(b.tokens, 5);
    /* 5 left: an other retry (10) is refused whole, a throttled one (5) still fits exactly. */
    assert_int_equal(ma__retry_budget_take(&b, 0), -1);
    assert_int_equal(b.tokens, 5);
    assert_int_equal(b.refused, 1);
    assert_int_equal(ma__retry_budget_take(&b, 1), 5);
    assert_int_equal(b.tokens, 0);
    assert_int_equal(b.refused, 1);
    /* 9 left after refunds of 1: still one short of an other retry. */
    for (int i = 0; i < 9; i++)
        ma__retry_budget_on_success(&b, 0);
    assert_int_equal(b.tokens, 9);
    assert_int_equal(ma__retry_budget_take(&b, 0), -1);
    assert_int_equal(b.tokens, 9);
    assert_int_equal(b.refused, 2);
    ma__retry_budget_on_success(&b, 0);
    assert_int_equal(ma__retry_budget_take(&b, 0), 10);
    assert_int_equal(b.tokens, 0);
}

static void a_success_refunds_1_or_its_last_retrys_cost(void **state)
{
    (void)state;
    ma__retry_budget b;
    ma__retry_budget_init(&b, 500);
    /* A call with three retries (10, 10, 5) that then succeeds gets back 5: its last retry's cost. */
    int32_t last = 0;
    last = ma__retry_budget_take(&b, 0);
    last = ma__retry_budget_take(&b, 0);
    last = ma__retry_budget_take(&b, 1);
    assert_int_equal(b.tokens, 475);
    ma__retry_budget_on_success(&b, last);
    assert_int_equal(b.tokens, 480);
    /* A call without retries gives back 1. */
    ma__retry_budget_on_success(&b, 0);
    assert_int_equal(b.tokens, 481);
    last = ma__retry_budget_take(&b, 0);
    assert_int_equal(b.tokens, 471);
    ma__retry_budget_on_success(&b, last);
    assert_int_equal(b.tokens, 481);
}

static void refunds_never_fill_beyond_capacity(void **state)
{
    (void)state;
    ma__retry_budget b;
    ma__retry_budget_init(&b, 500);
    ma__retry_budget_on_success(&b, 0);
    assert_int_equal(b.tokens, 500);
    assert_int_equal(ma__retry_budget_take(&b, 1), 5);
    ma__retry_budget_on_success(&b, 10); /* 495 + 10 stops at 500 */
    assert_int_equal(b.tokens, 500);
    /* A refund near INT32_MAX cannot overflow the sum. */
    assert_int_equal(ma__retry_budget_take(&b, 0), 10);
    ma__retry_budget_on_success(&b, INT32_MAX);
    assert_int_equal(b.tokens, 500);
    ma__retry_budget_init(&b, INT32_MAX);
    assert_int_equal(ma__retry_budget_take(&b, 0), 10);
    ma__retry_budget_on_success(&b, INT32_MAX);
    assert_int_equal(b.tokens, INT32_MAX);
}

static void capacity_0_is_off_every_retry_allowed_nothing_counted(void **state)
{
    (void)state;
    static const int32_t off[] = {0, -1, INT32_MIN};
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++) {
        ma__retry_budget b;
        ma__retry_budget_init(&b, off[i]);
        assert_int_equal(b.capacity, 0);
        for (int r = 0; r < 1000; r++) {
            assert_int_equal(ma__retry_budget_take(&b, r & 1), 0);
            ma__retry_budget_on_success(&b, 0);
        }
        assert_int_equal(b.tokens, 0);
        assert_int_equal(b.refused, 0);
    }
}

/* A budget drained by failures comes back once calls succeed again, one token per plain success. */
static void a_drained_budget_recovers_with_successes(void **state)
{
    (void)state;
    ma__retry_budget b;
    ma__retry_budget_init(&b, 20);
    assert_int_equal(ma__retry_budget_take(&b, 0), 10);
    assert_int_equal(ma__retry_budget_take(&b, 0), 10);
    assert_int_equal(ma__retry_budget_take(&b, 1), -1);
    for (int i = 0; i < 4; i++)
        ma__retry_budget_on_success(&b, 0);
    assert_int_equal(ma__retry_budget_take(&b, 0), -1);
    ma__retry_budget_on_success(&b, 0);
    assert_int_equal(ma__retry_budget_take(&b, 1), 5);
    assert_int_equal(b.refused, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_new_budget_is_full_and_has_refused_nothing),
        cmocka_unit_test(other_retries_cost_10_and_the_51st_of_500_is_refused),
        cmocka_unit_test(throttled_retries_cost_5_and_the_101st_of_500_is_refused),
        cmocka_unit_test(a_refused_retry_takes_nothing_even_when_some_tokens_are_left),
        cmocka_unit_test(a_success_refunds_1_or_its_last_retrys_cost),
        cmocka_unit_test(refunds_never_fill_beyond_capacity),
        cmocka_unit_test(capacity_0_is_off_every_retry_allowed_nothing_counted),
        cmocka_unit_test(a_drained_budget_recovers_with_successes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
