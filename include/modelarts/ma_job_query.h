/**
 * @file ma_job_query.h
 * @brief Filters, sorting and paging for ma_list_training_jobs().
 * @defgroup ma_job_query Job query
 * @{
 */
#ifndef MODELARTS_MA_JOB_QUERY_H
#define MODELARTS_MA_JOB_QUERY_H

#include "ma_alloc.h"
#include "ma_error.h"
#include "ma_export.h"
#include "ma_job_status.h"

MA_BEGIN_DECLS

/**
 * @brief Opaque set of query parameters.
 *
 * Every setter checks the range documented by the service and, on failure,
 * leaves the query unchanged. A parameter that was never set is left out of
 * the request, so the service's default applies.
 * @since 0.1
 */
typedef struct ma_job_query ma_job_query;

/** @brief Sort keys the service accepts (`sortBy`). @since 0.1 */
typedef enum ma_sort_key {
    MA_SORT_BY_JOB_NAME = 0,      /**< `job_name` (service default) */
    MA_SORT_BY_JOB_DESC = 1,      /**< `job_desc` */
    MA_SORT_BY_STATUS = 2,        /**< `status` */
    MA_SORT_BY_DURATION = 3,      /**< `duration` */
    MA_SORT_BY_VERSION_COUNT = 4, /**< `version_count` */
    MA_SORT_BY_CREATE_TIME = 5    /**< `create_time` */
} ma_sort_key;

/** @brief Sort order (`order`). @since 0.1 */
typedef enum ma_sort_order {
    MA_ORDER_ASC = 0, /**< `asc` (service default) */
    MA_ORDER_DESC = 1 /**< `desc` */
} ma_sort_order;

/** @brief Smallest `per_page`. @since 0.1 */
#define MA_PER_PAGE_MIN 1
/** @brief Largest `per_page`. @since 0.1 */
#define MA_PER_PAGE_MAX 1000
/** @brief Smallest `page`. @since 0.1 */
#define MA_PAGE_MIN 1
/** @brief Largest `page`. @since 0.1 */
#define MA_PAGE_MAX 65535
/** @brief Longest `search_content`, in characters (Unicode code points), not bytes. @since 0.1 */
#define MA_SEARCH_CONTENT_MAX_CHARS 64
/** @brief Longest `workspace_id` accepted, in bytes (a guard of this library; the service documents none). @since 0.1
 */
#define MA_WORKSPACE_ID_MAX_BYTES 128

/**
 * @brief Creates an empty query (every parameter at the service default).
 *
 * Calls never change a query (ma_job_iter_new() copies it), so one query may serve many
 * calls and clients in turn; like a client, it is used by one thread at a time.
 * @param[out] out       [transfer full] Free with ma_job_query_free(); NULL on failure.
 * @param[in]  allocator [nullable] NULL means ma_default_allocator().
 * @param[out] err       [nullable] Cleared on entry.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG @p out is NULL.
 * @retval MA_ERR_NOMEM       Allocation failed.
 * @since 0.1
 */
MA_API MA_NODISCARD ma_status ma_job_query_new(ma_job_query **out, const ma_allocator *allocator, ma_error *err);

/**
 * @brief Frees a query.
 * @param[in] query [nullable] NULL is a no-op.
 * @since 0.1
 */
MA_API void ma_job_query_free(ma_job_query *query);

/**
 * @brief Returns every parameter to "not set" (service defaults).
 * @param[in,out] query [nullable] NULL is a no-op.
 * @since 0.1
 */
MA_API void ma_job_query_reset(ma_job_query *query);

/**
 * @brief Only jobs in this status (`status`).
 *
 * The filter is checked against the statuses this library names, [0,
 * #MA_JOB_STATUS_MAX], so a typo fails here rather than as an empty page.
 * The jobs in a result are not limited that way: ma_job::status keeps any
 * 32-bit value the service sends, including statuses added after this
 * library was built. Filtering by such a status needs a newer library.
 *
 * @param[in,out] query  [not nullable]
 * @param         status One of the 23 documented values, #MA_JOB_STATUS_UNKNOWN to #MA_JOB_STATUS_MOUNT_FAILED.
 * @param[out]    err    [nullable] Cleared on entry.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG @p query is NULL or @p status is outside [0, #MA_JOB_STATUS_MAX] (0 to 22).
 * @since 0.1
 */
MA_API MA_NODISCARD ma_status ma_job_query_set_status(ma_job_query *query, ma_job_status status, ma_error *err);

/**
 * @brief Only jobs in any of these statuses (since 0.4).
 *
 * The service filters by one status per request, so a query with several
 * statuses is served by a walk: ma_job_iter_new() and
 * ma_list_all_training_jobs() walk every status on its own (server-filtered,
 * concurrently within ma_walk_options::concurrency) and merge the walks into
 * one stream in the query's sort order, ties broken by ascending `job_id`.
 * ma_list_training_jobs() (one page) refuses such a query with
 * #MA_ERR_INVALID_ARG. One status is the same as ma_job_query_set_status();
 * none clears the filter. Repeats count once. Replaces any status set before.
 *
 * @param[in,out] query    [not nullable]
 * @param[in]     statuses [nullable when @p count is 0] Each in [0, #MA_JOB_STATUS_MAX]; copied.
 * @param         count    Number of statuses.
 * @param[out]    err      [nullable] Cleared on entry.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG @p query is NULL, @p statuses is NULL with a non-zero @p count, or a
 *                            status is outside [0, #MA_JOB_STATUS_MAX]; the query is then unchanged.
 * @since 0.4
 */
MA_API MA_NODISCARD ma_status ma_job_query_set_statuses(ma_job_query *query, const int32_t *statuses, size_t count,
                                                        ma_error *err);

/**
 * @brief Only jobs whose status is in a class: every status ma_job_status_class_of() puts in it.
 *
 * Same as ma_job_query_set_statuses() with the class's statuses (for example the nine of
 * #MA_JOB_CLASS_FAILED), so a class of several statuses needs a walk.
 *
 * @param[in,out] query     [not nullable]
 * @param         job_class A value of ::ma_job_status_class.
 * @param[out]    err       [nullable] Cleared on entry.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG @p query is NULL or @p job_class is not a ::ma_job_status_class.
 * @since 0.4
 */
MA_API MA_NODISCARD ma_status ma_job_query_set_status_class(ma_job_query *query, int32_t job_class, ma_error *err);

/**
 * @brief Jobs per page (`per_page`), in [#MA_PER_PAGE_MIN, #MA_PER_PAGE_MAX]; the service default is 10.
 * @param[in,out] query    [not nullable]
 * @param         per_page Page size.
 * @param[out]    err      [nullable] Cleared on entry.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG @p query is NULL or @p per_page is out of range.
 * @since 0.1
 */
MA_API MA_NODISCARD ma_status ma_job_query_set_per_page(ma_job_query *query, int per_page, ma_error *err);

/**
 * @brief 1-based page index (`page`), in [#MA_PAGE_MIN, #MA_PAGE_MAX]; the service default is 1.
 * @param[in,out] query [not nullable]
 * @param         page  Page index. A page past the last one gives an empty list.
 * @param[out]    err   [nullable] Cleared on entry.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG @p query is NULL or @p page is out of range.
 * @since 0.1
 */
MA_API MA_NODISCARD ma_status ma_job_query_set_page(ma_job_query *query, int page, ma_error *err);

/**
 * @brief Sort key (`sortBy`, or `sort_by`: see ma_client_options::sort_param_name).
 * @param[in,out] query [not nullable]
 * @param         key   One of ::ma_sort_key.
 * @param[out]    err   [nullable] Cleared on entry.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG @p query is NULL or @p key is not a ::ma_sort_key value.
 * @since 0.1
 */
MA_API MA_NODISCARD ma_status ma_job_query_set_sort_by(ma_job_query *query, ma_sort_key key, ma_error *err);

/**
 * @brief Sort order (`order`).
 * @param[in,out] query [not nullable]
 * @param         order #MA_ORDER_ASC or #MA_ORDER_DESC.
 * @param[out]    err   [nullable] Cleared on entry.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG @p query is NULL or @p order is not a ::ma_sort_order value.
 * @since 0.1
 */
MA_API MA_NODISCARD ma_status ma_job_query_set_order(ma_job_query *query, ma_sort_order order, ma_error *err);

/**
 * @brief Text searched for in job names (`search_content`); copied.
 * @param[in,out] query [not nullable]
 * @param[in]     text  [not nullable] Valid UTF-8, 0 to #MA_SEARCH_CONTENT_MAX_CHARS characters.
 *                      An empty string is sent as an empty value.
 * @param[out]    err   [nullable] Cleared on entry.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG @p query or @p text is NULL, @p text is not valid UTF-8, or it
 *                            has more than #MA_SEARCH_CONTENT_MAX_CHARS characters.
 * @since 0.1
 */
MA_API MA_NODISCARD ma_status ma_job_query_set_search_content(ma_job_query *query, const char *text, ma_error *err);

/**
 * @brief Workspace whose jobs are listed (`workspace_id`); the service default is "0"; copied.
 * @param[in,out] query        [not nullable]
 * @param[in]     workspace_id [not nullable] Valid UTF-8 without control characters,
 *                             1 to #MA_WORKSPACE_ID_MAX_BYTES bytes.
 * @param[out]    err          [nullable] Cleared on entry.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG A NULL argument, or an empty, too long, non-UTF-8 or control-character id.
 * @since 0.1
 */
MA_API MA_NODISCARD ma_status ma_job_query_set_workspace_id(ma_job_query *query, const char *workspace_id,
                                                            ma_error *err);

MA_END_DECLS

/** @} */
#endif
