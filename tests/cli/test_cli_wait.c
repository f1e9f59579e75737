/*
 * Unit tests for ma-jobs wait: durations, the status classification, and what a failed poll
 * leads to (its arguments: test_cli_args.c; the whole command: wait_cases.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"

static int64_t duration(const char *text)
{
    int64_t ms = -7;
    assert_int_equal(cli_parse_duration(text, &ms), 0);
    return ms;
}

static void durations_take_each_unit(void **state)
{
    (void)state;
    assert_int_equal(duration("500ms"), 500);
    assert_int_equal(duration("2s"), 2000);
    assert_int_equal(duration("5m"), 5 * 60 * 1000);
    assert_int_equal(duration("1h"), 60 * 60 * 1000);
    assert_int_equal(duration("7"), 7000); /* a plain number is seconds */
    assert_int_equal(duration("0"), 0);
    assert_int_equal(duration("0ms"), 0);
    assert_int_equal(duration("007s"), 7000);
    assert_int_equal(duration("720h"), CLI_DURATION_MAX_MS);
    assert_int_equal(duration("2592000000ms"), CLI_DURATION_MAX_MS);
}

static void durations_reject_junk_and_overflow(void **state)
{
    (void)state;
    const char *bad[] = {"",
                         "ms",
                         "s",
                         "-1",
                         "-1s",
                         "1.5s",
                         "1 s",
                         " 1s",
                         "1s ",
                         "1S",
                         "1sec",
                         "1d",
                         "1ms5",
                         "1hm",
                         "+1",
                         "0x10",
                         "721h",
                         "2592000001ms",
                         "43201m",
                         "99999999999999999999",
                         "9223372036854775807ms"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ms = -7;
        if (cli_parse_duration(bad[i], &ms) != -1) {
            fail_msg("'%s' was accepted as %lld ms", bad[i], (long long)ms);
        }
        assert_int_equal(ms, -7); /* left alone on failure */
    }
}

static void every_status_of_the_table_has_its_outcome(void **state)
{
    (void)state;
    const cli_job_outcome want[MA_JOB_STATUS_MAX + 1] = {
        [MA_JOB_STATUS_UNKNOWN] = CLI_JOB_RUNNING,
        [MA_JOB_STATUS_INIT] = CLI_JOB_RUNNING,
        [MA_JOB_STATUS_IMAGE_CREATING] = CLI_JOB_RUNNING,
        [MA_JOB_STATUS_IMAGE_FAILED] = CLI_JOB_FAILED,
        [MA_JOB_STATUS_SUBMIT_TRYING] = CLI_JOB_RUNNING,
        [MA_JOB_STATUS_SUBMIT_FAILED] = CLI_JOB_FAILED,
        [MA_JOB_STATUS_DELETE_FAILED] = CLI_JOB_FAILED,
        [MA_JOB_STATUS_WAITING] = CLI_JOB_RUNNING,
        [MA_JOB_STATUS_RUNNING] = CLI_JOB_RUNNING,
        [MA_JOB_STATUS_KILLING] = CLI_JOB_RUNNING,
        [MA_JOB_STATUS_COMPLETED] = CLI_JOB_COMPLETED,
        [MA_JOB_STATUS_FAILED] = CLI_JOB_FAILED,
        [MA_JOB_STATUS_KILLED] = CLI_JOB_CANCELLED,
        [MA_JOB_STATUS_CANCELED] = CLI_JOB_CANCELLED,
        [MA_JOB_STATUS_LOST] = CLI_JOB_FAILED,
        [MA_JOB_STATUS_SCALING] = CLI_JOB_RUNNING,
        [MA_JOB_STATUS_SUBMIT_MODEL_FAILED] = CLI_JOB_FAILED,
        [MA_JOB_STATUS_DEPLOY_SERVICE_FAILED] = CLI_JOB_FAILED,
        [MA_JOB_STATUS_CHECK_INIT] = CLI_JOB_RUNNING,
        [MA_JOB_STATUS_CHECK_RUNNING] = CLI_JOB_RUNNING,
        [MA_JOB_STATUS_CHECK_RUNNING_COMPLETED] = CLI_JOB_COMPLETED,
        [MA_JOB_STATUS_CHECK_FAILED] = CLI_JOB_FAILED,
        [MA_JOB_STATUS_MOUNT_FAILED] = CLI_JOB_FAILED,
    };
    for (int s = 0; s <= (int)MA_JOB_STATUS_MAX; s++) {
        if (cli_job_outcome_of(s) != want[s]) {
            fail_msg("status %d (%s) is %s, expected %s", s, ma_job_status_name(s),
                     cli_job_outcome_name(cli_job_outcome_of(s)), cli_job_outcome_name(want[s]));
        }
    }
    /* The service may add statuses: those keep the wait going. */
    assert_int_equal(cli_job_outcome_of(23), CLI_JOB_RUNNING);
    assert_int_equal(cli_job_outcome_of(-1), CLI_JOB_RUNNING);
    assert_int_equal(cli_job_outcome_of(INT32_MAX), CLI_JOB_RUNNING);
}

static void outcomes_have_names_and_distinct_exit_codes(void **state)
{
    (void)state;
    assert_string_equal(cli_job_outcome_name(CLI_JOB_RUNNING), "running");
    assert_string_equal(cli_job_outcome_name(CLI_JOB_COMPLETED), "completed");
    assert_string_equal(cli_job_outcome_name(CLI_JOB_FAILED), "failed");
    assert_string_equal(cli_job_outcome_name(CLI_JOB_CANCELLED), "cancelled");
    assert_int_equal(cli_job_outcome_exit_code(CLI_JOB_COMPLETED), CLI_EXIT_OK);
    assert_int_equal(cli_job_outcome_exit_code(CLI_JOB_FAILED), 10);
    assert_int_equal(cli_job_outcome_exit_code(CLI_JOB_CANCELLED), 11);
    assert_int_equal(cli_job_outcome_exit_code(CLI_JOB_RUNNING), 12);
    assert_int_equal(CLI_EXIT_JOB_NOT_FOUND, 13);
    /* None collides with the codes of listing (0-5, 130, 143). */
    const int wait_codes[] = {CLI_EXIT_JOB_FAILED, CLI_EXIT_JOB_CANCELLED, CLI_EXIT_WAIT_TIMEOUT,
                              CLI_EXIT_JOB_NOT_FOUND};
    for (size_t i = 0; i < sizeof wait_codes / sizeof wait_codes[0]; i++) {
        assert_true(wait_codes[i] > CLI_EXIT_NETWORK && wait_codes[i] < CLI_EXIT_INTERRUPTED);
    }
}

static const char *elapsed(int64_t ms)
{
    static char buf[64];
    memset(buf, 'x', sizeof buf);
    cli_format_elapsed(ms, buf, sizeof buf);
    return buf;
}

static void elapsed_times_read_in_the_units_of_durations(void **state)
{
    (void)state;
    assert_string_equal(elapsed(0), "0ms");
    assert_string_equal(elapsed(999), "999ms");
    assert_string_equal(elapsed(1000), "1s");
    assert_string_equal(elapsed(6999), "6s"); /* whole seconds once there is one */
    assert_string_equal(elapsed(59999), "59s");
    assert_string_equal(elapsed(60000), "1m 0s");
    assert_string_equal(elapsed((14 * 60 + 3) * 1000), "14m 3s");
    assert_string_equal(elapsed((3600 + 5) * 1000), "1h 0m 5s");
    assert_string_equal(elapsed(((24 + 1) * 3600 + 60 + 1) * (int64_t)1000), "1d 1h 1m 1s");
    assert_string_equal(elapsed(CLI_DURATION_MAX_MS), "30d 0h 0m 0s");
    assert_string_equal(elapsed(-5), "0ms"); /* a clock never runs back, but if it did */
    char small[6];
    cli_format_elapsed((14 * 60 + 3) * 1000, small, sizeof small);
    assert_string_equal(small, "14m 3"); /* cut, still terminated */
}

static ma_error failure(ma_status status, int http_status)
{
    ma_error err;
    ma_error_clear(&err);
    err.status = status;
    err.http_status = http_status;
    return err;
}

static void only_failures_that_may_heal_keep_the_wait_going(void **state)
{
    (void)state;
    const ma_status heal[] = {MA_ERR_TRANSPORT, MA_ERR_TIMEOUT, MA_ERR_RATE_LIMITED, MA_ERR_SERVER};
    for (size_t i = 0; i < sizeof heal / sizeof heal[0]; i++) {
        ma_error err = failure(heal[i], 0);
        if (cli_wait_failure_is_final(&err)) {
            fail_msg("%s ends the wait", ma_status_name(heal[i]));
        }
    }
    const ma_status final[] = {MA_ERR_INVALID_ARG,  MA_ERR_NOMEM,     MA_ERR_NOT_INITIALIZED,   MA_ERR_TLS,
                               MA_ERR_UNAUTHORIZED, MA_ERR_NOT_FOUND, MA_ERR_SERVICE,           MA_ERR_PROTOCOL,
                               MA_ERR_HTTP,         MA_ERR_CANCELLED, MA_ERR_RESPONSE_TOO_LARGE};
    for (size_t i = 0; i < sizeof final / sizeof final[0]; i++) {
        ma_error err = failure(final[i], 400);
        if (!cli_wait_failure_is_final(&err)) {
            fail_msg("%s keeps the wait going", ma_status_name(final[i]));
        }
    }
    /* A throttling code heals whatever the status it came with (ModelArts.4206 with HTTP 400). */
    ma_error err = failure(MA_ERR_SERVICE, 400);
    err.throttled = 1;
    assert_false(cli_wait_failure_is_final(&err));
}

static void a_throttled_poll_waits_for_the_services_time(void **state)
{
    (void)state;
    ma_error err = failure(MA_ERR_RATE_LIMITED, 429);
    err.throttled = 1;
    /* Retry-After wins over the stated limit, and is never cut short; jitter only adds up to a tenth. */
    err.retry_after_ms = 6000;
    err.throttle_limit = 100;
    err.throttle_window_ms = 1000;
    assert_int_equal(cli_wait_failure_pause(&err, 10, 1, 0.0), 6000);
    int64_t most = cli_wait_failure_pause(&err, 10, 1, 0.999);
    assert_true(most >= 6000 && most <= 6600);
    assert_int_equal(cli_wait_failure_pause(&err, 10, 4, 0.0), 6000); /* the service's time, not a doubling */
    /* Nor sooner than the usual interval. */
    assert_int_equal(cli_wait_failure_pause(&err, 9000, 1, 0.0), 9000);
    /* Without Retry-After: the time the limit grants one request (10 per minute: 6 s; 3 per second: 334 ms). */
    err.retry_after_ms = -1;
    err.throttle_limit = 10;
    err.throttle_window_ms = 60000;
    assert_int_equal(cli_wait_failure_pause(&err, 10, 1, 0.0), 6000);
    err.throttle_limit = 3;
    err.throttle_window_ms = 1000;
    assert_int_equal(cli_wait_failure_pause(&err, 10, 1, 0.0), 334);
    /* Retry-After: 0 stated "now": the usual interval then. */
    err.retry_after_ms = 0;
    assert_int_equal(cli_wait_failure_pause(&err, 250, 1, 0.0), 250);
    assert_true(cli_wait_pause_is_stated(&err));
    /* Whether the service stated a time: a Retry-After with any failure, a limit with a throttled one. */
    err.retry_after_ms = -1;
    assert_true(cli_wait_pause_is_stated(&err));
    err.throttle_limit = 0;
    assert_false(cli_wait_pause_is_stated(&err));
    err.throttled = 0;
    err.throttle_limit = 3;
    assert_false(cli_wait_pause_is_stated(&err));
    err.retry_after_ms = 1000;
    assert_true(cli_wait_pause_is_stated(&err));
}

static void other_failures_double_from_the_interval_up_to_a_minute(void **state)
{
    (void)state;
    ma_error err = failure(MA_ERR_SERVER, 503);
    /* The n'th failure in a row pauses in [interval * 2^(n-1), interval * 2^n). */
    for (int n = 1; n <= 5; n++) {
        int64_t low = (int64_t)1000 << (n - 1);
        assert_int_equal(cli_wait_failure_pause(&err, 1000, n, 0.0), low);
        int64_t high = cli_wait_failure_pause(&err, 1000, n, 0.999);
        assert_true(high >= low && high < 2 * low);
    }
    /* Up to a minute (the 6th would be 32-64 s), jittered within its upper half. */
    assert_int_equal(cli_wait_failure_pause(&err, 1000, 6, 0.0), 30000);
    assert_true(cli_wait_failure_pause(&err, 1000, 7, 0.999) <= CLI_WAIT_PAUSE_CAP_MS);
    assert_int_equal(cli_wait_failure_pause(&err, 1000, 10000, 0.5), 45000);
    /* An interval above the cap is the cap, and the jitter never polls sooner than it. */
    assert_int_equal(cli_wait_failure_pause(&err, 120000, 1, 0.0), 120000);
    assert_int_equal(cli_wait_failure_pause(&err, 120000, 3, 0.999), 120000);
    /* A throttled poll without any stated time backs off the same way. */
    err.throttled = 1;
    assert_int_equal(cli_wait_failure_pause(&err, 10, 3, 0.0), 40);
    /* A Retry-After with a 503 is a floor. */
    err.throttled = 0;
    err.retry_after_ms = 5000;
    assert_int_equal(cli_wait_failure_pause(&err, 10, 1, 0.0), 5000);
    /* A jitter out of [0, 1) counts as 0. */
    err.retry_after_ms = -1;
    assert_int_equal(cli_wait_failure_pause(&err, 1000, 2, 1.0), 2000);
    assert_int_equal(cli_wait_failure_pause(&err, 1000, 2, -0.5), 2000);
}

static const char *described(const ma_error *err)
{
    static char buf[256];
    cli_wait_describe_failure(err, buf, sizeof buf);
    return buf;
}

static void failed_polls_say_what_failed(void **state)
{
    (void)state;
    ma_error err = failure(MA_ERR_RATE_LIMITED, 429);
    err.throttled = 1;
    snprintf(err.service_code, sizeof err.service_code, "APIG.0308");
    err.throttle_limit = 10;
    err.throttle_window_ms = 60000;
    assert_string_equal(described(&err), "throttled: HTTP 429 APIG.0308, limit 10 per 1 minute");
    err.throttle_limit = 100;
    err.throttle_window_ms = 1000;
    err.retry_after_ms = 2000;
    assert_string_equal(described(&err), "throttled: HTTP 429 APIG.0308, limit 100 per 1 second, Retry-After 2s");
    err.throttle_window_ms = 1500;
    err.retry_after_ms = -1;
    assert_string_equal(described(&err), "throttled: HTTP 429 APIG.0308, limit 100 per 1500 ms");
    err.throttle_window_ms = 120000;
    assert_string_equal(described(&err), "throttled: HTTP 429 APIG.0308, limit 100 per 2 minutes");

    err = failure(MA_ERR_SERVER, 503);
    assert_string_equal(described(&err), "MA_ERR_SERVER: HTTP 503");
    snprintf(err.service_code, sizeof err.service_code, "ModelArts.6101");
    assert_string_equal(described(&err), "MA_ERR_SERVER: HTTP 503 ModelArts.6101");

    /* No answer: the library's message, without the request line that every poll repeats. */
    err = failure(MA_ERR_TRANSPORT, 0);
    snprintf(err.message, sizeof err.message,
             "page 1: GET http://127.0.0.1:1/v1/p/training-jobs?page=1: "
             "connection refused (curl error 7: Failed to connect)");
    assert_string_equal(described(&err), "MA_ERR_TRANSPORT: connection refused (curl error 7: Failed to connect)");
    snprintf(err.message, sizeof err.message, "connection reset");
    assert_string_equal(described(&err), "MA_ERR_TRANSPORT: connection reset");
    err.message[0] = '\0';
    char bare[128];
    snprintf(bare, sizeof bare, "MA_ERR_TRANSPORT: %s", ma_status_str(MA_ERR_TRANSPORT));
    assert_string_equal(described(&err), bare);
    /* A body cut off after the status line: the message, not just "HTTP 200". */
    err.http_status = 200;
    err.transport_code = 18;
    snprintf(err.message, sizeof err.message, "the response body ended early");
    assert_string_equal(described(&err), "MA_ERR_TRANSPORT: the response body ended early");

    /* A small buffer: cut, terminated. */
    err = failure(MA_ERR_RATE_LIMITED, 429);
    err.throttled = 1;
    err.throttle_limit = 10;
    err.throttle_window_ms = 60000;
    err.retry_after_ms = 6000;
    char small[16];
    memset(small, 'x', sizeof small);
    cli_wait_describe_failure(&err, small, sizeof small);
    assert_string_equal(small, "throttled: HTTP");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(durations_take_each_unit),
        cmocka_unit_test(durations_reject_junk_and_overflow),
        cmocka_unit_test(every_status_of_the_table_has_its_outcome),
        cmocka_unit_test(outcomes_have_names_and_distinct_exit_codes),
        cmocka_unit_test(elapsed_times_read_in_the_units_of_durations),
        cmocka_unit_test(only_failures_that_may_heal_keep_the_wait_going),
        cmocka_unit_test(a_throttled_poll_waits_for_the_services_time),
        cmocka_unit_test(other_failures_double_from_the_interval_up_to_a_minute),
        cmocka_unit_test(failed_polls_say_what_failed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
