#include "modelarts/ma_job_status.h"

/* Index = status value; names and meanings from the service's status table. */
static const struct {
    const char *name;
    const char *description;
} status_table[] = {
    {"JOBSTAT_UNKNOWN", "unknown status"},
    {"JOBSTAT_INIT", "initialising"},
    {"JOBSTAT_IMAGE_CREATING", "image being created"},
    {"JOBSTAT_IMAGE_FAILED", "image creation failed"},
    {"JOBSTAT_SUBMIT_TRYING", "being submitted"},
    {"JOBSTAT_SUBMIT_FAILED", "submission failed"},
    {"JOBSTAT_DELETE_FAILED", "deletion failed"},
    {"JOBSTAT_WAITING", "queued"},
    {"JOBSTAT_RUNNING", "running"},
    {"JOBSTAT_KILLING", "being cancelled"},
    {"JOBSTAT_COMPLETED", "completed"},
    {"JOBSTAT_FAILED", "run failed"},
    {"JOBSTAT_KILLED", "cancelled successfully"},
    {"JOBSTAT_CANCELED", "cancelled"},
    {"JOBSTAT_LOST", "lost"},
    {"JOBSTAT_SCALING", "being scaled"},
    {"JOBSTAT_SUBMIT_MODEL_FAILED", "model submission failed"},
    {"JOBSTAT_DEPLOY_SERVICE_FAILED", "service deployment failed"},
    {"JOBSTAT_CHECK_INIT", "review being initialised"},
    {"JOBSTAT_CHECK_RUNNING", "being reviewed"},
    {"JOBSTAT_CHECK_RUNNING_COMPLETED", "review completed"},
    {"JOBSTAT_CHECK_FAILED", "review failed"},
    {"MOUNT_FAILED", "failed to mount"},
};

_Static_assert(sizeof status_table / sizeof status_table[0] == MA_JOB_STATUS_MAX + 1, "one entry per named status");

static int is_named(ma_job_status status)
{
    return (int)status >= 0 && (int)status <= (int)MA_JOB_STATUS_MAX;
}

const char *ma_job_status_name(ma_job_status status)
{
    return is_named(status) ? status_table[status].name : "UNRECOGNIZED";
}

const char *ma_job_status_description(ma_job_status status)
{
    return is_named(status) ? status_table[status].description : "unrecognized status";
}
