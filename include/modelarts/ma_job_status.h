/**
 * @file ma_job_status.h
 * @brief Training job statuses as the service reports them.
 * @defgroup ma_job_status Job status
 * @{
 */
#ifndef MODELARTS_MA_JOB_STATUS_H
#define MODELARTS_MA_JOB_STATUS_H

#include <stdint.h>

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
 * @param status Any integer, e.g. ma_job::status as it is (no cast needed since 0.4).
 * @return A static string; never NULL. "UNRECOGNIZED" for values outside [0, #MA_JOB_STATUS_MAX].
 * @since 0.1 (takes `int32_t` since 0.4)
 */
MA_API const char *ma_job_status_name(int32_t status);

/**
 * @brief Short English description of a status, e.g. "running".
 * @param status Any integer.
 * @return A static string; never NULL. "unrecognized status" for values outside [0, #MA_JOB_STATUS_MAX].
 * @since 0.1 (takes `int32_t` since 0.4)
 */
MA_API const char *ma_job_status_description(int32_t status);

/**
 * @brief What a status means for a job's life, from the service's status table
 * (values of ma_job_status_class_of()).
 * @since 0.4
 */
typedef enum ma_job_status_class {
    /**
     * Not finished: initialising, creating its image, being submitted, queued, running,
     * being cancelled, scaled or reviewed; also #MA_JOB_STATUS_UNKNOWN and every value
     * the table does not name, since nothing says such a job has ended.
     */
    MA_JOB_CLASS_ACTIVE = 1,
    /** Finished well: #MA_JOB_STATUS_COMPLETED, #MA_JOB_STATUS_CHECK_RUNNING_COMPLETED. */
    MA_JOB_CLASS_COMPLETED = 2,
    /**
     * Finished badly: the eight failed statuses (image, submission, deletion, run, model
     * submission, service deployment, review and mount failures) and #MA_JOB_STATUS_LOST,
     * since a lost job will not finish.
     */
    MA_JOB_CLASS_FAILED = 3,
    /** Stopped on request: #MA_JOB_STATUS_KILLED, #MA_JOB_STATUS_CANCELED. */
    MA_JOB_CLASS_CANCELLED = 4
} ma_job_status_class;

/**
 * @brief The class of a status: one of ::ma_job_status_class.
 * @param status Any integer; one the table does not name is #MA_JOB_CLASS_ACTIVE.
 * @return #MA_JOB_CLASS_ACTIVE, #MA_JOB_CLASS_COMPLETED, #MA_JOB_CLASS_FAILED or #MA_JOB_CLASS_CANCELLED.
 * @since 0.4
 */
MA_API int32_t ma_job_status_class_of(int32_t status);

/**
 * @brief Lower-case name of a class: "active", "completed", "failed" or "cancelled".
 * @param job_class A value of ::ma_job_status_class.
 * @return A static string; never NULL. "unrecognized class" for any other value.
 * @since 0.4
 */
MA_API const char *ma_job_status_class_name(int32_t job_class);

/**
 * @brief Whether a job with this status has ended for good (completed, failed or cancelled).
 * @param status Any integer.
 * @return 1 or 0; 0 for values the table does not name.
 * @since 0.4
 */
MA_API int ma_job_status_is_terminal(int32_t status);

/**
 * @brief Whether the status is one of the failures (#MA_JOB_CLASS_FAILED).
 * @param status Any integer.
 * @return 1 or 0; 0 for values the table does not name.
 * @since 0.4
 */
MA_API int ma_job_status_is_failed(int32_t status);

/**
 * @brief Whether a job with this status has not ended yet (#MA_JOB_CLASS_ACTIVE).
 * @param status Any integer.
 * @return 1 or 0; 1 for values the table does not name.
 * @since 0.4
 */
MA_API int ma_job_status_is_active(int32_t status);

MA_END_DECLS

/** @} */
#endif
