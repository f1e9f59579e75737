/* Which service codes mean throttling, and what APIG's throttling message says about its limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "json/throttle_code.h"

static void the_throttling_codes_and_only_those(void **state)
{
    (void)state;
    static const char *const yes[] = {"APIG.0308", "APIGW.0308", "ModelArts.2799", "ModelArts.4206", "ModelArts.6101"};
    static const char *const no[] = {"", "APIG.0301", "APIG.03080", "apig.0308", "ModelArts.0105", "ModelArts.6100"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        assert_true(ma__is_throttle_code(yes[i]));
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        assert_false(ma__is_throttle_code(no[i]));
}

static void expect_limit(const char *message, int32_t limit, int32_t window_ms)
{
    int32_t l = -1, w = -1;
    ma__throttle_parse_message(message, &l, &w);
    if (l != limit || w != window_ms)
        fail_msg("\"%s\": limit %d window %d, expected %d and %d", message, (int)l, (int)w, (int)limit, (int)window_ms);
}

static void limits_and_windows_in_every_unit(void **state)
{
    (void)state;
    expect_limit("The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 minute", 10,
                 60000);
    expect_limit("policy ip over ratelimit,limit:200,time:1 second", 200, 1000);
    expect_limit("limit:5,time:2 minutes", 5, 120000);
    expect_limit("limit:5,time:30 seconds", 5, 30000);
    expect_limit("limit:5,time:10 s", 5, 10000);
    expect_limit("limit:5,time:500 ms", 5, 500);
    expect_limit("limit:5,time:250 milliseconds", 5, 250);
    expect_limit("limit:1000,time:1 hour", 1000, 3600000);
    expect_limit("limit:1000,time:1 h", 1000, 3600000);
    expect_limit("limit:100000,time:1 day", 100000, 86400000);
    expect_limit("limit:7,time:3 min", 7, 180000);
}

static void what_is_missing_or_does_not_fit_is_zero(void **state)
{
    (void)state;
    expect_limit("", 0, 0);
    expect_limit("busy", 0, 0);
    expect_limit("limit:10", 10, 0);
    expect_limit("time:1 minute", 0, 60000);
    expect_limit("limit:,time: minute", 0, 0);
    expect_limit("limit:0,time:0 seconds", 0, 0);
    expect_limit("limit:10,time:1 fortnight", 10, 0);
    expect_limit("limit:99999999999,time:1 minute", 0, 60000); /* beyond int32_t */
    expect_limit("limit:10,time:99999999999 seconds", 10, 0);  /* beyond int32_t */
    expect_limit("limit:10,time:30 days", 10, 0);              /* 2.6e9 ms: does not fit */
    expect_limit("limit:10,time:24 days", 10, 24 * 86400000);  /* 2.07e9 ms: fits */
}

static void only_429_or_a_throttling_code_marks_an_error(void **state)
{
    (void)state;
    ma_error err;
    memset(&err, 0, sizeof err);
    err.http_status = 503;
    strcpy(err.service_code, "APIG.0201");
    strcpy(err.message, "limit:10,time:1 minute");
    ma__throttle_mark(&err);
    assert_int_equal(err.throttled, 0);
    assert_int_equal(err.throttle_limit, 0);
    err.http_status = 429;
    ma__throttle_mark(&err);
    assert_int_equal(err.throttled, 1);
    assert_int_equal(err.throttle_limit, 10);
    assert_int_equal(err.throttle_window_ms, 60000);
    memset(&err, 0, sizeof err);
    err.http_status = 400;
    strcpy(err.service_code, "ModelArts.4206");
    ma__throttle_mark(&err);
    assert_int_equal(err.throttled, 1);
    ma__throttle_mark(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_throttling_codes_and_only_those),
        cmocka_unit_test(limits_and_windows_in_every_unit),
        cmocka_unit_test(what_is_missing_or_does_not_fit_is_zero),
        cmocka_unit_test(only_429_or_a_throttling_code_marks_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
