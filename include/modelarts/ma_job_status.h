/**
 * @file ma_job_status.h
 * @brief Training job statuses as the service reports them.
 * @defgroup ma_job_status Job status
 * @{
 */
#ifndef MODELARTS_MA_JOB_STATUS_H
#define MODELARTS_MA_JOB_STATUS_H

#include "ma_export.h"

MA_BEGIN_DECLS

/**
 * @brief Job status codes from the service's status table.
 *
 * A job may carry a value this table does not name (the service can add
 * statuses); ma_job::status is an int32_t that keeps the integer as it came,
 * and ma_job_status_name() reports it as unrecognised.
 *
 * Two ranges, on purpose:
 * - decoding accepts any 32-bit status (a value outside int32 is
 *   #MA_ERR_PROTOCOL), so a page with a new status still lists;
 * - ma_job_query_set_status() accepts only the named values, 0 to
 *   #MA_JOB_STATUS_MAX, and rejects others with #MA_ERR_INVALID_ARG.
 * @since 0.1
 */
typedef enum ma_job_status {
    MA_JOB_STATUS_UNKNOWN = 0,                  /**< JOBSTAT_UNKNOWN: unknown status */
    MA_JOB_STATUS_INIT = 1,                     /**< JOBSTAT_INIT: initialising */
    MA_JOB_STATUS_IMAGE_CREATING = 2,           /**< JOBSTAT_IMAGE_CREATING: image being created */
    MA_JOB_STATUS_IMAGE_FAILED = 3,             /**< JOBSTAT_IMAGE_FAILED: image creation failed */
    MA_JOB_STATUS_SUBMIT_TRYING = 4,            /**< JOBSTAT_SUBMIT_TRYING: being submitted */
    MA_JOB_STATUS_SUBMIT_FAILED = 5,            /**< JOBSTAT_SUBMIT_FAILED: submission failed */
    MA_JOB_STATUS_DELETE_FAILED = 6,            /**< JOBSTAT_DELETE_FAILED: deletion failed */
    MA_JOB_STATUS_WAITING = 7,                  /**< JOBSTAT_WAITING: queued */
    MA_JOB_STATUS_RUNNING = 8,                  /**< JOBSTAT_RUNNING: running */
    MA_JOB_STATUS_KILLING = 9,                  /**< JOBSTAT_KILLING: being cancelled */
    MA_JOB_STATUS_COMPLETED = 10,               /**< JOBSTAT_COMPLETED: completed */
    MA_JOB_STATUS_FAILED = 11,                  /**< JOBSTAT_FAILED: run failed */
    MA_JOB_STATUS_KILLED = 12,                  /**< JOBSTAT_KILLED: cancelled successfully */
    MA_JOB_STATUS_CANCELED = 13,                /**< JOBSTAT_CANCELED: cancelled */
    MA_JOB_STATUS_LOST = 14,                    /**< JOBSTAT_LOST: lost */
    MA_JOB_STATUS_SCALING = 15,                 /**< JOBSTAT_SCALING: being scaled */
    MA_JOB_STATUS_SUBMIT_MODEL_FAILED = 16,     /**< JOBSTAT_SUBMIT_MODEL_FAILED: model submission failed */
    MA_JOB_STATUS_DEPLOY_SERVICE_FAILED = 17,   /**< JOBSTAT_DEPLOY_SERVICE_FAILED: service deployment failed */
    MA_JOB_STATUS_CHECK_INIT = 18,              /**< JOBSTAT_CHECK_INIT: review being initialised */
    MA_JOB_STATUS_CHECK_RUNNING = 19,           /**< JOBSTAT_CHECK_RUNNING: being reviewed */
    MA_JOB_STATUS_CHECK_RUNNING_COMPLETED = 20, /**< JOBSTAT_CHECK_RUNNING_COMPLETED: review completed */
    MA_JOB_STATUS_CHECK_FAILED = 21,            /**< JOBSTAT_CHECK_FAILED: review failed */
    MA_JOB_STATUS_MOUNT_FAILED = 22             /**< MOUNT_FAILED: failed to mount (SDK reference only) */
} ma_job_status;

/**
 * @brief Highest status value the library names, and the highest
 * ma_job_query_set_status() accepts; jobs may still carry higher ones.
 * @since 0.1
 */
#define MA_JOB_STATUS_MAX MA_JOB_STATUS_MOUNT_FAILED

/**
 * @brief The service's constant name of a status, e.g. "JOBSTAT_RUNNING" or "MOUNT_FAILED".
 * @param status Any integer.
 * @return A static string; never NULL. "UNRECOGNIZED" for values outside [0, 22].
 * @since 0.1
 */
MA_API const char *ma_job_status_name(ma_job_status status);

/**
 * @brief Short English description of a status, e.g. "running".
 * @param status Any integer.
 * @return A static string; never NULL. "unrecognized status" for values outside [0, 22].
 * @since 0.1
 */
MA_API const char *ma_job_status_description(ma_job_status status);

MA_END_DECLS

/** @} */
#endif
