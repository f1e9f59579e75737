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

static int is_named(int32_t status)
{
    return status >= 0 && status <= (int32_t)MA_JOB_STATUS_MAX;
}

const char *ma_job_status_name(int32_t status)
{
    return is_named(status) ? status_table[status].name : "UNRECOGNIZED";
}

const char *ma_job_status_description(int32_t status)
{
    return is_named(status) ? status_table[status].description : "unrecognized status";
}

int32_t ma_job_status_class_of(int32_t status)
{
    switch (status) {
    case MA_JOB_STATUS_COMPLETED:
    case MA_JOB_STATUS_CHECK_RUNNING_COMPLETED:
        return MA_JOB_CLASS_COMPLETED;
    case MA_JOB_STATUS_IMAGE_FAILED:
    case MA_JOB_STATUS_SUBMIT_FAILED:
    case MA_JOB_STATUS_DELETE_FAILED:
    case MA_JOB_STATUS_FAILED:
    case MA_JOB_STATUS_LOST: /* the service lost track of it: it will not finish */
    case MA_JOB_STATUS_SUBMIT_MODEL_FAILED:
    case MA_JOB_STATUS_DEPLOY_SERVICE_FAILED:
    case MA_JOB_STATUS_CHECK_FAILED:
    case MA_JOB_STATUS_MOUNT_FAILED:
        return MA_JOB_CLASS_FAILED;
    case MA_JOB_STATUS_KILLED:
    case MA_JOB_STATUS_CANCELED:
        return MA_JOB_CLASS_CANCELLED;
    default:
        /* Unknown, initialising, queued, running, being cancelled or scaled, and values newer than the table. */
        return MA_JOB_CLASS_ACTIVE;
    }
}

const char *ma_job_status_class_name(int32_t job_class)
{
    switch (job_class) {
    case MA_JOB_CLASS_ACTIVE:
        return "active";
    case MA_JOB_CLASS_COMPLETED:
        return "completed";
    case MA_JOB_CLASS_FAILED:
        return "failed";
    case MA_JOB_CLASS_CANCELLED:
        return "cancelled";
    default:
        return "unrecognized class";
    }
}

int ma_job_status_is_terminal(int32_t status)
{
    return ma_job_status_class_of(status) != MA_JOB_CLASS_ACTIVE;
}

int ma_job_status_is_failed(int32_t status)
{
    return ma_job_status_class_of(status) == MA_JOB_CLASS_FAILED;
}

int ma_job_status_is_active(int32_t status)
{
    return ma_job_status_class_of(status) == MA_JOB_CLASS_ACTIVE;
}
