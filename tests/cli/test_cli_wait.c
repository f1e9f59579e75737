/* Unit tests for ma-jobs wait: durations and the status classification (its arguments: test_cli_args.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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
    /* None collides with the codes of listing (0-6). */
    const int wait_codes[] = {CLI_EXIT_JOB_FAILED, CLI_EXIT_JOB_CANCELLED, CLI_EXIT_WAIT_TIMEOUT,
                              CLI_EXIT_JOB_NOT_FOUND};
    for (size_t i = 0; i < sizeof wait_codes / sizeof wait_codes[0]; i++) {
        assert_true(wait_codes[i] > CLI_EXIT_CANCELLED);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(durations_take_each_unit),
        cmocka_unit_test(durations_reject_junk_and_overflow),
        cmocka_unit_test(every_status_of_the_table_has_its_outcome),
        cmocka_unit_test(outcomes_have_names_and_distinct_exit_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
