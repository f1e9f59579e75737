/*
 * How a job's status tells a wait to end, per the service's status table:
 * completed, one of the failed statuses, cancelled or stopped, or still going.
 */
#include "cli.h"

cli_job_outcome cli_job_outcome_of(int32_t status)
{
    switch (status) {
    case MA_JOB_STATUS_COMPLETED:
    case MA_JOB_STATUS_CHECK_RUNNING_COMPLETED:
        return CLI_JOB_COMPLETED;
    case MA_JOB_STATUS_IMAGE_FAILED:
    case MA_JOB_STATUS_SUBMIT_FAILED:
    case MA_JOB_STATUS_DELETE_FAILED:
    case MA_JOB_STATUS_FAILED:
    case MA_JOB_STATUS_LOST: /* the service lost track of it: it will not finish */
    case MA_JOB_STATUS_SUBMIT_MODEL_FAILED:
    case MA_JOB_STATUS_DEPLOY_SERVICE_FAILED:
    case MA_JOB_STATUS_CHECK_FAILED:
    case MA_JOB_STATUS_MOUNT_FAILED:
        return CLI_JOB_FAILED;
    case MA_JOB_STATUS_KILLED:
    case MA_JOB_STATUS_CANCELED:
        return CLI_JOB_CANCELLED;
    default:
        /* Unknown, initialising, queued, running, being cancelled or scaled, and values newer than the table. */
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
