/* Unit tests for ma-jobs wait: durations, the status classification and the command's arguments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

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
            fail_msg("status %d (%s) is %s, expected %s", s, ma_job_status_name((ma_job_status)s),
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

static void wait_arguments_parse(void **state)
{
    (void)state;
    cli_options o;
    char msg[512];
    char *a1[] = {"ma-jobs", "--verbose",        "wait",     "--name", "train-a",        "--timeout",
                  "5m",      "--interval=250ms", "--format", "jsonl",  "--workspace-id", "ws-1"};
    assert_int_equal(cli_parse_args(ARGC(a1), a1, &o, msg, sizeof msg), 0);
    assert_int_equal(o.command, CLI_COMMAND_WAIT);
    assert_string_equal(o.name, "train-a");
    assert_false(o.has_job_id);
    assert_true(o.has_wait_timeout);
    assert_int_equal(o.wait_timeout_ms, 300000);
    assert_true(o.has_interval);
    assert_int_equal(o.interval_ms, 250);
    assert_int_equal(o.format, CLI_FORMAT_JSONL);
    assert_true(o.verbose);
    assert_string_equal(o.workspace_id, "ws-1");
    char *a2[] = {"ma-jobs", "wait", "--job-id", "9007199254740993"};
    assert_int_equal(cli_parse_args(ARGC(a2), a2, &o, msg, sizeof msg), 0);
    assert_true(o.has_job_id);
    assert_int_equal(o.job_id, INT64_C(9007199254740993));
    assert_null(o.name);
    assert_false(o.has_wait_timeout);
    /* Listing stays the default command; "wait" as a flag's value is just a value. */
    char *a3[] = {"ma-jobs", "--search", "wait"};
    assert_int_equal(cli_parse_args(ARGC(a3), a3, &o, msg, sizeof msg), 0);
    assert_int_equal(o.command, CLI_COMMAND_LIST);
    assert_string_equal(o.search, "wait");
}

static void expect_error(int argc, char **argv, const char *fragment)
{
    cli_options o;
    char msg[512];
    assert_int_equal(cli_parse_args(argc, argv, &o, msg, sizeof msg), -1);
    if (strstr(msg, fragment) == NULL) {
        fail_msg("message '%s' lacks '%s'", msg, fragment);
    }
}

static void wait_arguments_reject_misuse(void **state)
{
    (void)state;
    char *a1[] = {"ma-jobs", "wait"};
    expect_error(ARGC(a1), a1, "wait needs either --job-id or --name");
    char *a2[] = {"ma-jobs", "wait", "--job-id", "1", "--name", "x"};
    expect_error(ARGC(a2), a2, "not both");
    char *a3[] = {"ma-jobs", "wait", "--name", "x", "--interval", "0s"};
    expect_error(ARGC(a3), a3, "above 0");
    char *a4[] = {"ma-jobs", "wait", "--name", "x", "--timeout", "1d"};
    expect_error(ARGC(a4), a4, "--timeout: '1d' is not a duration");
    char *a5[] = {"ma-jobs", "wait", "--name", "x", "--limit", "3"};
    expect_error(ARGC(a5), a5, "--limit does not apply to wait");
    char *a6[] = {"ma-jobs", "wait", "--name", "x", "--sort-by", "status"};
    expect_error(ARGC(a6), a6, "--sort-by does not apply to wait");
    char *a7[] = {"ma-jobs", "wait", "--name", "x", "--format", "csv"};
    expect_error(ARGC(a7), a7, "--format jsonl");
    char *a8[] = {"ma-jobs", "--interval", "1s"};
    expect_error(ARGC(a8), a8, "--interval only applies to 'ma-jobs wait'");
    char *a9[] = {"ma-jobs", "wait", "--job-id", "-3"};
    expect_error(ARGC(a9), a9, "not a job id");
    char *a10[] = {"ma-jobs", "wait", "wait", "--name", "x"};
    expect_error(ARGC(a10), a10, "unexpected argument 'wait'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(durations_take_each_unit),
        cmocka_unit_test(durations_reject_junk_and_overflow),
        cmocka_unit_test(every_status_of_the_table_has_its_outcome),
        cmocka_unit_test(outcomes_have_names_and_distinct_exit_codes),
        cmocka_unit_test(wait_arguments_parse),
        cmocka_unit_test(wait_arguments_reject_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
