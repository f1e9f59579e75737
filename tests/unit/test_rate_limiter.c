/*
 * The client-side rate limiter against hand-computed values of its model (see
 * engine/rate_limiter.h). Times are the caller's milliseconds, so no test waits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>

#include "engine/rate_limiter.h"

/* Fails unless @p got is within 1e-6 of @p want (rates are sums of a few rounded products). */
#define assert_rate(got, want) assert_close_at((got), (want), #got, __LINE__)

static void assert_close_at(double got, double want, const char *what, int line)
{
    double d = got - want;
    if (!(d < 1e-6 && d > -1e-6))
        fail_msg("line %d: %s is %.12f, expected %.12f", line, what, got, want);
}

/* @p n responses at @p from_ms, @p from_ms + @p step_ms, ... */
static void respond(ma__rate_limiter *rl, int n, int64_t from_ms, int64_t step_ms, int throttled)
{
    for (int i = 0; i < n; i++)
        ma__rate_limiter_on_response(rl, throttled, from_ms + i * step_ms);
}

/*
 * 45 successes in the window [0, 500) and a throttle at 1000 ms: the window
 * closes over 1 s, so measured = 0.8 * 45 + 0.2 * 0 = 36 rps. The throttle
 * sets W_max = 36, K = cbrt(36 * 0.3 / 0.4) = cbrt(27) = 3 s, rate = 0.7 * 36 = 25.2.
 */
static void throttled_at_36_rps(ma__rate_limiter *rl)
{
    ma__rate_limiter_init(rl, 1, 0);
    respond(rl, 45, 0, 10, 0);
    ma__rate_limiter_on_response(rl, 1, 1000);
}

static void adaptive_is_off_until_the_first_throttle(void **state)
{
    (void)state;
    ma__rate_limiter rl;
    ma__rate_limiter_init(&rl, 1, 0);
    assert_false(ma__rate_limiter_enabled(&rl));
    assert_rate(ma__rate_limiter_rate(&rl), 0.0);
    for (int64_t t = 0; t < 2000; t++) {
        assert_int_equal(ma__rate_limiter_acquire(&rl, t), 0);
        assert_int_equal(ma__rate_limiter_acquire(&rl, t), 0);
        ma__rate_limiter_on_response(&rl, 0, t);
    }
    assert_false(ma__rate_limiter_enabled(&rl));
    assert_rate(ma__rate_limiter_rate(&rl), 0.0);
    /* Not adaptive: even throttles leave it off. */
    ma__rate_limiter_init(&rl, 0, 0);
    respond(&rl, 100, 0, 5, 1);
    assert_false(ma__rate_limiter_enabled(&rl));
    assert_int_equal(ma__rate_limiter_acquire(&rl, 600), 0);
    assert_int_equal(ma__rate_limiter_acquire(&rl, 600), 0);
}

static void a_throttle_cuts_to_0_7_of_the_measured_rate(void **state)
{
    (void)state;
    ma__rate_limiter rl;
    throttled_at_36_rps(&rl);
    assert_true(ma__rate_limiter_enabled(&rl));
    assert_rate(rl.measured_rps, 36.0);
    assert_rate(rl.k_s, 3.0);
    assert_rate(ma__rate_limiter_rate(&rl), 25.2);
    /* One token to start with, then 1 / 25.2 s = 39.68 ms per token: ask again in 40 ms. */
    assert_int_equal(ma__rate_limiter_acquire(&rl, 1000), 0);
    assert_int_equal(ma__rate_limiter_acquire(&rl, 1000), 40);
    assert_int_equal(ma__rate_limiter_acquire(&rl, 1039), 1); /* 0.9828 tokens */
    assert_int_equal(ma__rate_limiter_acquire(&rl, 1040), 0); /* 1.008 */
    /* A second throttle right away answers a request sent before the cut: no second cut. */
    ma__rate_limiter_on_response(&rl, 1, 1040);
    assert_rate(rl.max_rps, 36.0);
    assert_rate(ma__rate_limiter_rate(&rl), 25.2);
    /*
     * Half a second after the cut it is news. Its response closes the window [1000, 1500) with the 2
     * responses since 1000: measured = 0.8 * 4 + 0.2 * 36 = 10.4, so W_max = min(10.4, rate 25.2) and
     * the rate 0.7 * 10.4 = 7.28.
     */
    ma__rate_limiter_on_response(&rl, 1, 1500);
    assert_rate(rl.measured_rps, 10.4);
    assert_rate(rl.max_rps, 10.4);
    assert_rate(ma__rate_limiter_rate(&rl), 7.28);
}

/* Asking as soon as allowed for 3 s at 25.2 rps: the first token plus 75 earned, 39 or 40 ms apart. */
static void acquire_spaces_requests_by_one_over_the_rate(void **state)
{
    (void)state;
    ma__rate_limiter rl;
    throttled_at_36_rps(&rl);
    int grants = 0;
    int64_t last = -1;
    for (int64_t t = 1000; t < 4000;) {
        int64_t wait = ma__rate_limiter_acquire(&rl, t);
        if (wait > 0) {
            assert_true(wait <= 40);
            t += wait;
            continue;
        }
        if (last >= 0 && (t - last < 39 || t - last > 40))
            fail_msg("grant at %lld, %lld ms after the one before", (long long)t, (long long)(t - last));
        last = t;
        grants++;
    }
    /* The 75th earned token is due at 1000 + 75 / 25.2 s = 3976.2 ms, the 76th at 4015.9 ms. */
    assert_int_equal(grants, 76);
    assert_int_equal(last, 3977);
}

/*
 * After the throttle at 1000 ms, successes every 20 ms: the window [1000, 1500)
 * holds 25 responses, measured = 0.8 * 50 + 0.2 * 36 = 47.2, then it tends to
 * 50, so 2 * measured stays above the curve until 9000 ms. The curve, with dt
 * the seconds since the throttle: 0.4 * (dt - 3)^3 + 36.
 */
static void successes_recover_the_rate_along_the_cubic_curve(void **state)
{
    (void)state;
    static const struct {
        int64_t at_ms;
        double rate;
    } curve[] = {
        {1500, 29.75}, /* dt 0.5: 0.4 * -15.625 + 36 */
        {2000, 32.8},  /* dt 1: 0.4 * -8 + 36 */
        {3000, 35.6},  /* dt 2: 0.4 * -1 + 36 */
        {4000, 36.0},  /* dt 3 = K: back at the old max */
        {5000, 36.4},  /* dt 4: 0.4 * 1 + 36, above it */
        {6000, 39.2},  /* dt 5: 0.4 * 8 + 36 */
        {7000, 46.8},  /* dt 6: 0.4 * 27 + 36 */
        {8000, 61.6},  /* dt 7: 0.4 * 64 + 36 */
        {9000, 86.0},  /* dt 8: 0.4 * 125 + 36 */
    };
    ma__rate_limiter rl;
    throttled_at_36_rps(&rl);
    int64_t t = 1000;
    for (size_t i = 0; i < sizeof curve / sizeof curve[0]; i++) {
        for (t += 20; t <= curve[i].at_ms; t += 20)
            ma__rate_limiter_on_response(&rl, 0, t);
        t -= 20;
        assert_rate(ma__rate_limiter_rate(&rl), curve[i].rate);
    }
    assert_rate(rl.measured_rps, 50.0); /* 50 - 2.8 * 0.2^15 after 16 windows */
    /* At 10000 ms the curve says 0.4 * 216 + 36 = 122.4, but twice the measured ~50 rps caps it. */
    for (t += 20; t <= 10000; t += 20)
        ma__rate_limiter_on_response(&rl, 0, t);
    assert_rate(ma__rate_limiter_rate(&rl), 100.0);
    assert_rate(ma__rate_limiter_rate(&rl), 2.0 * rl.measured_rps);
}

static void the_rate_never_exceeds_twice_the_measured_rate(void **state)
{
    (void)state;
    ma__rate_limiter rl;
    throttled_at_36_rps(&rl);
    /*
     * The next response 10 s later: the window of the throttle held 1 response over 10 s,
     * measured = 0.8 * 0.1 + 0.2 * 36 = 7.28. The curve says 0.4 * 7^3 + 36 = 173.2; the cap 14.56.
     */
    ma__rate_limiter_on_response(&rl, 0, 11000);
    assert_rate(rl.measured_rps, 7.28);
    assert_rate(ma__rate_limiter_rate(&rl), 14.56);
    /* The bucket shrank with it: 14 requests at once after idling, then a wait. */
    int grants = 0;
    while (ma__rate_limiter_acquire(&rl, 60000) == 0)
        grants++;
    assert_int_equal(grants, 14);
}

static void the_rate_never_falls_below_half_a_request_per_second(void **state)
{
    (void)state;
    ma__rate_limiter rl;
    ma__rate_limiter_init(&rl, 1, 0);
    /* Throttled on the very first response: nothing measured yet, 0.7 * 0 is raised to 0.5. */
    ma__rate_limiter_on_response(&rl, 1, 0);
    assert_true(ma__rate_limiter_enabled(&rl));
    assert_rate(ma__rate_limiter_rate(&rl), 0.5);
    assert_int_equal(ma__rate_limiter_acquire(&rl, 0), 0);
    assert_int_equal(ma__rate_limiter_acquire(&rl, 0), 2000);
    assert_int_equal(ma__rate_limiter_acquire(&rl, 1999), 1);
    assert_int_equal(ma__rate_limiter_acquire(&rl, 2000), 0);
    /* Throttle after throttle every 2 s: measured 0.4 rps, then lower; the rate stays at the floor. */
    for (int64_t t = 2000; t <= 60000; t += 2000) {
        ma__rate_limiter_on_response(&rl, 1, t);
        assert_rate(ma__rate_limiter_rate(&rl), 0.5);
        if (t == 2000) /* W_max 0.4: K^3 = 0.4 * 0.3 / 0.4 */
            assert_rate(rl.k_s * rl.k_s * rl.k_s, 0.3);
    }
    assert_true(rl.measured_rps <= 0.5);
    assert_int_equal(ma__rate_limiter_acquire(&rl, 60000), 0);
    assert_int_equal(ma__rate_limiter_acquire(&rl, 60000), 2000);
    /* One response, then a throttle 10 s later: measured 0.8 * 0.1 = 0.08, K^3 = 0.06, rate raised to 0.5. */
    ma__rate_limiter_init(&rl, 1, 0);
    ma__rate_limiter_on_response(&rl, 0, 0);
    ma__rate_limiter_on_response(&rl, 1, 10000);
    assert_rate(rl.max_rps, 0.08);
    assert_rate(rl.k_s * rl.k_s * rl.k_s, 0.06);
    assert_rate(ma__rate_limiter_rate(&rl), 0.5);
}

static void a_fixed_rate_of_4_spaces_requests_250_ms_apart_from_the_first(void **state)
{
    (void)state;
    ma__rate_limiter rl;
    ma__rate_limiter_init(&rl, 0, 4.0);
    assert_true(ma__rate_limiter_enabled(&rl));
    assert_rate(ma__rate_limiter_rate(&rl), 4.0);
    int64_t t = 5000;
    for (int i = 0; i < 20; i++) {
        int64_t wait;
        while ((wait = ma__rate_limiter_acquire(&rl, t)) > 0)
            t += wait;
        assert_int_equal(t, 5000 + 250 * i);
        /* Without adaptive, responses (throttled or not) leave the rate alone. */
        ma__rate_limiter_on_response(&rl, i % 3 == 0, t);
    }
    assert_int_equal(ma__rate_limiter_acquire(&rl, t), 250);
    /* A clock that goes back earns nothing, nor does the same interval count twice after it. */
    assert_int_equal(ma__rate_limiter_acquire(&rl, 1000), 250);
    assert_int_equal(ma__rate_limiter_acquire(&rl, t + 249), 1);
    assert_int_equal(ma__rate_limiter_acquire(&rl, t + 250), 0);
    assert_int_equal(ma__rate_limiter_acquire(&rl, t + 250), 250);
    assert_rate(ma__rate_limiter_rate(&rl), 4.0);
    /* A bucket, not a spacer: after a pause of a second or more its 4 tokens go at once, then 250 ms apart. */
    t += 250 + 1000;
    for (int i = 0; i < 4; i++)
        assert_int_equal(ma__rate_limiter_acquire(&rl, t), 0);
    assert_int_equal(ma__rate_limiter_acquire(&rl, t), 250);
}

static void adaptive_goes_below_a_fixed_rate_never_above_it(void **state)
{
    (void)state;
    ma__rate_limiter rl;
    ma__rate_limiter_init(&rl, 1, 4.0);
    assert_true(ma__rate_limiter_enabled(&rl));
    /* Two responses per window, every 250 ms; before any throttle successes keep the fixed rate. */
    respond(&rl, 12, 0, 250, 0);
    assert_rate(ma__rate_limiter_rate(&rl), 4.0);
    /* Six windows closed at 4 rps by 3000 ms: measured = 4 * (1 - 0.2^6) = 3.999744. */
    ma__rate_limiter_on_response(&rl, 1, 3000);
    assert_rate(rl.measured_rps, 3.999744);
    assert_rate(ma__rate_limiter_rate(&rl), 0.7 * 3.999744);
    assert_rate(rl.k_s * rl.k_s * rl.k_s, 0.75 * 3.999744);
    /* The curve passes 4 after K = cbrt(0.75 * 3.999744) = 1.44 s; the rate stops at 4. */
    for (int64_t t = 3250; t <= 30000; t += 250) {
        ma__rate_limiter_on_response(&rl, 0, t);
        assert_true(ma__rate_limiter_rate(&rl) <= 4.0);
    }
    assert_rate(ma__rate_limiter_rate(&rl), 4.0);
}

static void a_ten_hour_clock_jump_fills_the_bucket_only_to_its_capacity(void **state)
{
    (void)state;
    const int64_t ten_hours_ms = INT64_C(10) * 3600 * 1000;
    ma__rate_limiter rl;
    throttled_at_36_rps(&rl);
    assert_int_equal(ma__rate_limiter_acquire(&rl, 1000), 0);
    int64_t t = 1000 + ten_hours_ms;
    int grants = 0;
    while (ma__rate_limiter_acquire(&rl, t) == 0)
        grants++;
    /* Capacity 25.2: 25 at once, 0.2 left, the next in 0.8 / 25.2 s = 31.7 ms. */
    assert_int_equal(grants, 25);
    assert_int_equal(ma__rate_limiter_acquire(&rl, t), 32);
    /*
     * A success 10 h after the throttle: the curve is astronomically high, the measured rate
     * (1 response over 10 h, then smoothed: 0.8 / 36000 + 0.2 * 36) caps it near 14.4.
     */
    ma__rate_limiter_on_response(&rl, 0, t);
    assert_rate(ma__rate_limiter_rate(&rl), 2.0 * (0.8 / 36000.0 + 0.2 * 36.0));
    assert_true(rl.tokens <= rl.capacity);

    /* Windows run from -500 to 0 ms, not from -499 to 499: 45 responses before 0 measure as at 1000. */
    ma__rate_limiter_init(&rl, 1, 0);
    respond(&rl, 45, -450, 10, 0);
    ma__rate_limiter_on_response(&rl, 1, 500);
    assert_rate(ma__rate_limiter_rate(&rl), 25.2);

    /* The whole int64 range: no overflow (UBSan), no NaN, waits bounded by the 0.5 rps floor. */
    ma__rate_limiter_init(&rl, 1, 0);
    ma__rate_limiter_on_response(&rl, 0, INT64_MIN);
    ma__rate_limiter_on_response(&rl, 1, INT64_MIN + 1);
    assert_int_equal(ma__rate_limiter_acquire(&rl, INT64_MIN + 1), 0);
    assert_int_equal(ma__rate_limiter_acquire(&rl, INT64_MAX), 0);
    ma__rate_limiter_on_response(&rl, 0, INT64_MAX);
    ma__rate_limiter_on_response(&rl, 0, INT64_MAX);
    double rate = ma__rate_limiter_rate(&rl);
    assert_true(rate >= 0.5 && rate <= 1e9);
    int64_t wait = ma__rate_limiter_acquire(&rl, INT64_MAX);
    assert_true(wait > 0 && wait <= 2000);
    ma__rate_limiter_on_response(&rl, 1, INT64_MAX);
    assert_rate(ma__rate_limiter_rate(&rl), 0.5);
}

static void odd_fixed_rates_are_off_or_cut_never_nan(void **state)
{
    (void)state;
    static const double off[] = {0.0, -4.0, -INFINITY, NAN};
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++) {
        ma__rate_limiter rl;
        ma__rate_limiter_init(&rl, 0, off[i]);
        assert_false(ma__rate_limiter_enabled(&rl));
        assert_int_equal(ma__rate_limiter_acquire(&rl, 0), 0);
        assert_int_equal(ma__rate_limiter_acquire(&rl, 0), 0);
    }
    ma__rate_limiter rl;
    ma__rate_limiter_init(&rl, 1, INFINITY);
    assert_rate(ma__rate_limiter_rate(&rl), MA__RATE_LIMITER_MAX_RPS);
    assert_int_equal(ma__rate_limiter_acquire(&rl, 0), 0);
    assert_int_equal(ma__rate_limiter_acquire(&rl, 0), 1);
    /* So low that the wait does not fit in milliseconds: the longest wait there is. */
    ma__rate_limiter_init(&rl, 0, 1e-300);
    assert_int_equal(ma__rate_limiter_acquire(&rl, 0), 0);
    assert_int_equal(ma__rate_limiter_acquire(&rl, 0), INT64_MAX);
    /* A fixed rate below the adaptive floor stays the cap: one request per 10 s. */
    ma__rate_limiter_init(&rl, 1, 0.1);
    assert_int_equal(ma__rate_limiter_acquire(&rl, 0), 0);
    assert_int_equal(ma__rate_limiter_acquire(&rl, 0), 10000);
    ma__rate_limiter_on_response(&rl, 1, 0);
    assert_rate(ma__rate_limiter_rate(&rl), 0.1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(adaptive_is_off_until_the_first_throttle),
        cmocka_unit_test(a_throttle_cuts_to_0_7_of_the_measured_rate),
        cmocka_unit_test(acquire_spaces_requests_by_one_over_the_rate),
        cmocka_unit_test(successes_recover_the_rate_along_the_cubic_curve),
        cmocka_unit_test(the_rate_never_exceeds_twice_the_measured_rate),
        cmocka_unit_test(the_rate_never_falls_below_half_a_request_per_second),
        cmocka_unit_test(a_fixed_rate_of_4_spaces_requests_250_ms_apart_from_the_first),
        cmocka_unit_test(adaptive_goes_below_a_fixed_rate_never_above_it),
        cmocka_unit_test(a_ten_hour_clock_jump_fills_the_bucket_only_to_its_capacity),
        cmocka_unit_test(odd_fixed_rates_are_off_or_cut_never_nan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
