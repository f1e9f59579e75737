/*
 * How a job's status tells a wait to end: the library's status classes (completed,
 * failed, cancelled, still going) mapped to what the wait prints and exits with.
 */
#include "cli.h"

cli_job_outcome cli_job_outcome_of(int32_t status)
{
    switch (ma_job_status_class_of(status)) {
    case MA_JOB_CLASS_COMPLETED:
        return CLI_JOB_COMPLETED;
    case MA_JOB_CLASS_FAILED:
        return CLI_JOB_FAILED;
    case MA_JOB_CLASS_CANCELLED:
        return CLI_JOB_CANCELLED;
    default:
        return CLI_JOB_RUNNING;
    }
}

const char *cli_job_outcome_name(cli_job_outcome outcome)
{
    switch (outcome) {
    case CLI_JOB_COMPLETED:
        return "completed";
    case CLI_JOB_FAILED:
        return "failed";
    case CLI_JOB_CANCELLED:
        return "cancelled";
    case CLI_JOB_RUNNING:
        break;
    }
    return "running";
}

int cli_job_outcome_exit_code(cli_job_outcome outcome)
{
    switch (outcome) {
    case CLI_JOB_COMPLETED:
        return CLI_EXIT_OK;
    case CLI_JOB_FAILED:
        return CLI_EXIT_JOB_FAILED;
    case CLI_JOB_CANCELLED:
        return CLI_EXIT_JOB_CANCELLED;
    case CLI_JOB_RUNNING:
        break;
    }
    return CLI_EXIT_WAIT_TIMEOUT;
}
