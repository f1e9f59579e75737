/* Unit tests for ma-jobs argument parsing, status names and exit-code mapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int parse(int argc, char **argv, cli_options *o, char *msg, size_t n)
{
    return cli_parse_args(argc, argv, o, msg, n);
}

static void status_accepts_numbers_and_every_spelling(void **state)
{
    (void)state;
    int s = -1;
    assert_int_equal(cli_parse_status("8", &s), 0);
    assert_int_equal(s, 8);
    assert_int_equal(cli_parse_status("RUNNING", &s), 0);
    assert_int_equal(s, MA_JOB_STATUS_RUNNING);
    assert_int_equal(cli_parse_status("running", &s), 0);
    assert_int_equal(s, MA_JOB_STATUS_RUNNING);
    assert_int_equal(cli_parse_status("JOBSTAT_RUNNING", &s), 0);
    assert_int_equal(s, MA_JOB_STATUS_RUNNING);
    assert_int_equal(cli_parse_status("jobstat_check_running_completed", &s), 0);
    assert_int_equal(s, MA_JOB_STATUS_CHECK_RUNNING_COMPLETED);
    assert_int_equal(cli_parse_status("MOUNT_FAILED", &s), 0);
    assert_int_equal(s, MA_JOB_STATUS_MOUNT_FAILED);
    assert_int_equal(cli_parse_status("JOBSTAT_MOUNT_FAILED", &s), 0);
    assert_int_equal(s, MA_JOB_STATUS_MOUNT_FAILED);
    assert_int_equal(cli_parse_status("0", &s), 0);
    assert_int_equal(s, 0);
    /* Numbers out of range are left to the library's setter, which names the range. */
    assert_int_equal(cli_parse_status("23", &s), 0);
    assert_int_equal(s, 23);
    for (int i = 0; i <= (int)MA_JOB_STATUS_MAX; i++) {
        assert_int_equal(cli_parse_status(ma_job_status_name(i), &s), 0);
        assert_int_equal(s, i);
    }
}

static void status_rejects_junk(void **state)
{
    (void)state;
    int s = 0;
    assert_int_equal(cli_parse_status("", &s), -1);
    assert_int_equal(cli_parse_status("JOBSTAT_", &s), -1);
    assert_int_equal(cli_parse_status("RUN", &s), -1);
    assert_int_equal(cli_parse_status("RUNNINGX", &s), -1);
    assert_int_equal(cli_parse_status("8x", &s), -1);
    assert_int_equal(cli_parse_status("-1", &s), -1);
    assert_int_equal(cli_parse_status("99999999999999", &s), -1);
    assert_int_equal(cli_parse_status("UNRECOGNIZED", &s), -1);
}

static void status_label_keeps_values_newer_than_the_table(void **state)
{
    (void)state;
    char buf[64];
    cli_status_label((int32_t)MA_JOB_STATUS_RUNNING, buf, sizeof buf);
    assert_string_equal(buf, "JOBSTAT_RUNNING");
    cli_status_label((int32_t)MA_JOB_STATUS_MOUNT_FAILED, buf, sizeof buf);
    assert_string_equal(buf, "MOUNT_FAILED");
    cli_status_label(23, buf, sizeof buf);
    assert_string_equal(buf, "UNRECOGNIZED(23)");
    cli_status_label(-1, buf, sizeof buf);
    assert_string_equal(buf, "UNRECOGNIZED(-1)");
}

static void args_accept_both_forms(void **state)
{
    (void)state;
    char *argv[] = {"ma-jobs",       "--endpoint", "http://e",     "--project-id=p",  "--status=running",
                    "--per-page",    "5",          "--page=2",     "--sort-by",       "create_time",
                    "--order=desc",  "--search",   "a=b",          "--workspace-id=", "--all",
                    "--limit",       "7",          "--parallel=3", "--format",        "csv",
                    "--timeout-ms=0"};
    cli_options o;
    char msg[256];
    assert_int_equal(parse(ARGC(argv), argv, &o, msg, sizeof msg), 0);
    assert_string_equal(o.endpoint, "http://e");
    assert_string_equal(o.project_id, "p");
    assert_int_equal(o.status, MA_JOB_STATUS_RUNNING);
    assert_int_equal(o.per_page, 5);
    assert_int_equal(o.page, 2);
    assert_int_equal(o.sort_by, MA_SORT_BY_CREATE_TIME);
    assert_int_equal(o.order, MA_ORDER_DESC);
    assert_string_equal(o.search, "a=b");
    assert_string_equal(o.workspace_id, "");
    assert_true(o.all);
    assert_int_equal(o.limit, 7);
    assert_int_equal(o.parallel, 3);
    assert_int_equal(o.format, CLI_FORMAT_CSV);
    assert_true(o.has_timeout);
    assert_int_equal(o.timeout_ms, 0);
}

static void args_resilience_and_tls_flags(void **state)
{
    (void)state;
    char *argv[] = {"ma-jobs", "--retries", "4", "--verbose", "--cacert=/tmp/ca.pem", "--insecure", "--timeout-ms=900"};
    cli_options o;
    char msg[256];
    assert_int_equal(parse(ARGC(argv), argv, &o, msg, sizeof msg), 0);
    assert_true(o.has_retries);
    assert_int_equal(o.retries, 4);
    assert_true(o.verbose);
    assert_string_equal(o.cacert, "/tmp/ca.pem");
    assert_true(o.insecure);
    assert_int_equal(o.timeout_ms, 900);
    char *none[] = {"ma-jobs"};
    assert_int_equal(parse(ARGC(none), none, &o, msg, sizeof msg), 0);
    assert_false(o.has_retries || o.verbose || o.insecure);
    assert_null(o.cacert);
    char *zero[] = {"ma-jobs", "--retries=0"};
    assert_int_equal(parse(ARGC(zero), zero, &o, msg, sizeof msg), 0);
    assert_true(o.has_retries);
    assert_int_equal(o.retries, 0);
}

static void expect_error(int argc, char **argv, const char *fragment)
{
    cli_options o;
    char msg[512];
    assert_int_equal(parse(argc, argv, &o, msg, sizeof msg), -1);
    if (strstr(msg, fragment) == NULL) {
        fail_msg("message '%s' lacks '%s'", msg, fragment);
    }
}

static void args_reject_bad_flags_and_values(void **state)
{
    (void)state;
    char *a1[] = {"ma-jobs", "--bogus"};
    expect_error(ARGC(a1), a1, "unknown option '--bogus'");
    char *a2[] = {"ma-jobs", "--per-page"};
    expect_error(ARGC(a2), a2, "--per-page needs a value");
    char *a3[] = {"ma-jobs", "--per-page", "ten"};
    expect_error(ARGC(a3), a3, "not an integer");
    char *a4[] = {"ma-jobs", "--all=yes"};
    expect_error(ARGC(a4), a4, "--all takes no value");
    char *a5[] = {"ma-jobs", "positional"};
    expect_error(ARGC(a5), a5, "unexpected argument");
    char *a6[] = {"ma-jobs", "--format", "xml"};
    expect_error(ARGC(a6), a6, "--format");
    char *a7[] = {"ma-jobs", "--order", "up"};
    expect_error(ARGC(a7), a7, "asc or desc");
    char *r1[] = {"ma-jobs", "--retries", "100"};
    expect_error(ARGC(r1), r1, "--retries: '100' is not an integer in 0..99");
    char *r2[] = {"ma-jobs", "--retries=-1"};
    expect_error(ARGC(r2), r2, "--retries");
    char *r3[] = {"ma-jobs", "--cacert="};
    expect_error(ARGC(r3), r3, "--cacert needs a file name");
    char *r4[] = {"ma-jobs", "--verbose=yes"};
    expect_error(ARGC(r4), r4, "--verbose takes no value");
    char *r5[] = {"ma-jobs", "--insecure=1"};
    expect_error(ARGC(r5), r5, "--insecure takes no value");
    char *a8[] = {"ma-jobs", "--sort-by", "name"};
    expect_error(ARGC(a8), a8, "job_name");
    char *a9[] = {"ma-jobs", "--all", "--parallel", "17"};
    expect_error(ARGC(a9), a9, "1..16");
    char *a10[] = {"ma-jobs", "--all", "--limit", "0"};
    expect_error(ARGC(a10), a10, "positive");
    char *a11[] = {"ma-jobs", "--limit", "5"};
    expect_error(ARGC(a11), a11, "only applies with --all");
    char *a12[] = {"ma-jobs", "--timeout-ms", "-1"};
    expect_error(ARGC(a12), a12, "non-negative");
    char *a13[] = {"ma-jobs", "--per-page", "99999999999999999999"};
    expect_error(ARGC(a13), a13, "not an integer");
    char *a14[] = {"ma-jobs", "--status", "SLEEPING"};
    expect_error(ARGC(a14), a14, "status name");
    char *a15[] = {"ma-jobs", "-h"};
    expect_error(ARGC(a15), a15, "unexpected argument");
}

static void args_refuse_secrets_without_echoing_them(void **state)
{
    (void)state;
    char *names[] = {"--token",          "--password",   "--sk",    "--ak-sk",        "--secret-key",
                     "--security-token", "--auth-token", "--Token", "--x_auth_token", "--api-key"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char flag[64];
        snprintf(flag, sizeof flag, "%s=hunter2", names[i]);
        char *argv[] = {"ma-jobs", flag};
        cli_options o;
        char msg[512];
        assert_int_equal(parse(2, argv, &o, msg, sizeof msg), -1);
        assert_non_null(strstr(msg, "MODELARTS_TOKEN"));
        assert_null(strstr(msg, "hunter2"));
        char *argv2[] = {"ma-jobs", names[i], "hunter2"};
        assert_int_equal(parse(3, argv2, &o, msg, sizeof msg), -1);
        assert_non_null(strstr(msg, "refused"));
        assert_null(strstr(msg, "hunter2"));
    }
}

static void exit_codes_are_distinct_per_class(void **state)
{
    (void)state;
    assert_int_equal(cli_exit_code(MA_OK), 0);
    assert_int_equal(cli_exit_code(MA_ERR_NOMEM), 1);
    assert_int_equal(cli_exit_code(MA_ERR_NOT_INITIALIZED), 1);
    assert_int_equal(cli_exit_code(MA_ERR_INVALID_ARG), 2);
    assert_int_equal(cli_exit_code(MA_ERR_UNAUTHORIZED), 3);
    const ma_status service[] = {MA_ERR_SERVICE, MA_ERR_NOT_FOUND, MA_ERR_RATE_LIMITED,      MA_ERR_SERVER,
                                 MA_ERR_HTTP,    MA_ERR_PROTOCOL,  MA_ERR_RESPONSE_TOO_LARGE};
    for (size_t i = 0; i < sizeof service / sizeof service[0]; i++) {
        assert_int_equal(cli_exit_code(service[i]), 4);
    }
    assert_int_equal(cli_exit_code(MA_ERR_TRANSPORT), 5);
    assert_int_equal(cli_exit_code(MA_ERR_TIMEOUT), 5);
    assert_int_equal(cli_exit_code(MA_ERR_TLS), 5);
    assert_int_equal(cli_exit_code(MA_ERR_CANCELLED), 6);
    assert_int_equal(cli_exit_code((ma_status)-99), 1);
}

static void wait_arguments_parse(void **state)
{
    (void)state;
    cli_options o;
    char msg[512];
    char *a1[] = {"ma-jobs", "--verbose",        "wait",     "--name", "train-a",        "--timeout",
                  "5m",      "--interval=250ms", "--format", "jsonl",  "--workspace-id", "ws-1"};
    assert_int_equal(parse(ARGC(a1), a1, &o, msg, sizeof msg), 0);
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
    assert_int_equal(parse(ARGC(a2), a2, &o, msg, sizeof msg), 0);
    assert_true(o.has_job_id);
    assert_int_equal(o.job_id, INT64_C(9007199254740993));
    assert_null(o.name);
    assert_false(o.has_wait_timeout);
    /* Listing stays the default command; "wait" as a flag's value is just a value. */
    char *a3[] = {"ma-jobs", "--search", "wait"};
    assert_int_equal(parse(ARGC(a3), a3, &o, msg, sizeof msg), 0);
    assert_int_equal(o.command, CLI_COMMAND_LIST);
    assert_string_equal(o.search, "wait");
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
        cmocka_unit_test(status_accepts_numbers_and_every_spelling),
        cmocka_unit_test(status_rejects_junk),
        cmocka_unit_test(status_label_keeps_values_newer_than_the_table),
        cmocka_unit_test(args_accept_both_forms),
        cmocka_unit_test(args_resilience_and_tls_flags),
        cmocka_unit_test(args_reject_bad_flags_and_values),
        cmocka_unit_test(args_refuse_secrets_without_echoing_them),
        cmocka_unit_test(exit_codes_are_distinct_per_class),
        cmocka_unit_test(wait_arguments_parse),
        cmocka_unit_test(wait_arguments_reject_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
