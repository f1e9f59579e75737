/**
 * @file ma_jobs.h
 * @brief Listing training jobs: ma_list_training_jobs() and its result.
 * @defgroup ma_jobs Training jobs
 * @{
 */
#ifndef MODELARTS_MA_JOBS_H
#define MODELARTS_MA_JOBS_H

#include <stddef.h>
#include <stdint.h>

#include "ma_client.h"
#include "ma_error.h"
#include "ma_export.h"
#include "ma_job_query.h"
#include "ma_job_status.h"

MA_BEGIN_DECLS

/**
 * @brief One training job, read-only. Borrowed from its ma_job_list: it and
 * its strings live until ma_job_list_free().
 *
 * Fields may be appended in later versions; never allocate or copy the struct
 * by value across a library upgrade, use the pointer from ma_job_list_at().
 * @since 0.1
 */
typedef struct ma_job {
    /** `job_id`: exact int64, also above 2^53. */
    int64_t job_id;
    /** `version_id`: exact int64. */
    int64_t version_id;
    /**
     * `status` exactly as sent: any 32-bit integer, also one this library
     * does not name (a value outside int32 fails the page with
     * #MA_ERR_PROTOCOL). Compare it with the ::ma_job_status constants; pass
     * it to ma_job_status_name() as `(ma_job_status)job->status`. The query
     * filter, ma_job_query_set_status(), accepts only 0 to #MA_JOB_STATUS_MAX.
     */
    int32_t status;
    /** `create_time`: creation time, milliseconds since the Unix epoch. */
    int64_t create_time_ms;
    /**
     * `duration`: running time in milliseconds; 0 when the service omits it
     * or sends null, which #MA_JOB_HAS_DURATION in ma_job::present tells
     * apart from a real 0.
     */
    int64_t duration_ms;
    /**
     * `version_count`: number of versions; 0 when the service omits it or
     * sends null (see #MA_JOB_HAS_VERSION_COUNT).
     */
    int64_t version_count;
    /** `job_name`: UTF-8, never NULL. */
    const char *job_name;
    /**
     * `job_desc`: UTF-8, never NULL ("" when the service omits it or sends
     * null, which #MA_JOB_HAS_DESC tells apart from a real "").
     */
    const char *job_desc;
    /**
     * Which optional fields the service sent with a value (not null): a set
     * of `MA_JOB_HAS_*` bits. Bits not defined today are 0.
     * @since 0.4
     */
    uint32_t present;
} ma_job;

/** @brief ma_job::present bit: `duration` was sent, so ma_job::duration_ms is the service's value. @since 0.4 */
#define MA_JOB_HAS_DURATION 0x1u
/** @brief ma_job::present bit: `version_count` was sent, so ma_job::version_count is the service's value. @since 0.4 */
#define MA_JOB_HAS_VERSION_COUNT 0x2u
/** @brief ma_job::present bit: `job_desc` was sent as a string (possibly ""), not omitted or null. @since 0.4 */
#define MA_JOB_HAS_DESC 0x4u

/** @brief Opaque, immutable page of jobs; safe to read from several threads. @since 0.1 */
typedef struct ma_job_list ma_job_list;

/**
 * @brief Lists one page of training jobs: `GET /v1/{project_id}/training-jobs`.
 *
 * One HTTP request on the client's kept-alive connection. Any failure the
 * service reports, including HTTP 200 with `"is_success": false`, is an error.
 *
 * @param[in]  client [not nullable] Used by one thread at a time.
 * @param[in]  query  [nullable] Filters, sorting and paging; NULL sends no parameters
 *                    (first page of 10, service defaults).
 * @param[out] out    [transfer full] Free with ma_job_list_free(); set to NULL first and
 *                    left NULL on failure.
 * @param[out] err    [nullable] Cleared on entry; on failure it carries the HTTP status,
 *                    transport code, service code, message, request id and Retry-After.
 *
 * With password credentials the first call (and a call after the token expired or was
 * rejected) also logs in to IAM, and a client created without a project id looks it up;
 * failures of those requests are reported with the same statuses.
 *
 * @retval MA_OK                     Success.
 * @retval MA_ERR_INVALID_ARG        @p client or @p out is NULL, or (password credentials) IAM
 *                                   has no project of the name the credentials give.
 * @retval MA_ERR_NOMEM              Allocation failed.
 * @retval MA_ERR_TRANSPORT          Network failure (no usable response), after the retries of
 *                                   ma_client_options::retry.
 * @retval MA_ERR_TIMEOUT            Connect, per-attempt or total timeout
 *                                   (ma_client_options::total_timeout_ms), a transfer below the
 *                                   low-speed limit, or HTTP 408.
 * @retval MA_ERR_TLS                TLS handshake or verification failed.
 * @retval MA_ERR_UNAUTHORIZED       HTTP 401 or 403 (also a rejected IAM password login).
 * @retval MA_ERR_CANCELLED          The cancel hook (ma_client_options::cancel) returned non-zero.
 * @retval MA_ERR_NOT_FOUND          HTTP 404.
 * @retval MA_ERR_RATE_LIMITED       HTTP 429 after the last retry (see ma_error::retry_after_ms).
 * @retval MA_ERR_SERVER             HTTP 5xx (502, 503 and 504 after the last retry).
 * @retval MA_ERR_SERVICE            `"is_success": false`, another 4xx with a service error body, or
 *                                   (password credentials) several IAM projects of that name.
 * @retval MA_ERR_PROTOCOL           Body not JSON, a field of the wrong type, or a required
 *                                   field missing (the message names it).
 * @retval MA_ERR_RESPONSE_TOO_LARGE Body larger than ma_client_options::max_response_bytes.
 * @retval MA_ERR_HTTP               Any other non-2xx status.
 * @since 0.1
 */
MA_API MA_NODISCARD ma_status ma_list_training_jobs(ma_client *client, const ma_job_query *query, ma_job_list **out,
                                                    ma_error *err);

/**
 * @brief Number of jobs on this page.
 * @param[in] list [nullable] NULL gives 0.
 * @return The count; valid indexes for ma_job_list_at() are 0 to count - 1.
 * @since 0.1
 */
MA_API size_t ma_job_list_count(const ma_job_list *list);

/**
 * @brief The @p index-th job of the page, in the order the service sent.
 * @param[in] list  [nullable]
 * @param     index 0-based.
 * @return [transfer none] Valid until ma_job_list_free(); NULL if @p list is NULL or
 *         @p index >= ma_job_list_count().
 * @since 0.1
 */
MA_API const ma_job *ma_job_list_at(const ma_job_list *list, size_t index);

/**
 * @brief `job_total_count` as the service sent it.
 *
 * The API reference describes the field only as "Total number of created
 * jobs"; it does not say whether the `status` and `search_content` filters
 * narrow it. The SDK treats it as the number of jobs matching the query
 * across all pages (so the last page is `ceil(total / per_page)`), which is
 * also what the bundled fake server sends; against the real service that is
 * an assumption, so stop paging at the first page with fewer jobs than
 * `per_page` as well.
 *
 * @param[in] list [nullable] NULL gives 0.
 * @return The value as sent (0 or more).
 * @since 0.1
 */
MA_API int64_t ma_job_list_total_count(const ma_job_list *list);

/**
 * @brief `job_count_limit`: number of training jobs that can still be created.
 * @param[in] list [nullable] NULL gives -1.
 * @return The value, or -1 when the service omitted it.
 * @since 0.1
 */
MA_API int64_t ma_job_list_count_limit(const ma_job_list *list);

/**
 * @brief `quotas`: maximum number of training jobs.
 * @param[in] list [nullable] NULL gives -1.
 * @return The value, or -1 when the service omitted it.
 * @since 0.1
 */
MA_API int64_t ma_job_list_quotas(const ma_job_list *list);

/**
 * @brief Frees a page and every ma_job borrowed from it.
 * @param[in] list [nullable] NULL is a no-op.
 * @since 0.1
 */
MA_API void ma_job_list_free(ma_job_list *list);

MA_END_DECLS

/** @} */
#endif
