#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "jobs/query.h"
#include "util/text.h"

ma_status ma_job_query_new(ma_job_query **out, const ma_allocator *allocator, ma_error *err)
{
    ma_error_clear(err);
    if (!out)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_job_query_new: out is NULL");
    *out = NULL;
    const ma_allocator *a = ma__allocator_or_default(allocator);
    ma_job_query *q = ma__malloc(a, sizeof *q);
    if (!q)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory allocating a job query");
    q->alloc = *a;
    ma_job_query_reset(q);
    *out = q;
    return MA_OK;
}

void ma_job_query_free(ma_job_query *query)
{
    if (!query)
        return;
    ma_allocator a = query->alloc;
    ma__free(&a, query);
}

void ma_job_query_reset(ma_job_query *query)
{
    if (!query)
        return;
    query->set = 0;
    query->status = MA_JOB_STATUS_UNKNOWN;
    query->per_page = 0;
    query->page = 0;
    query->sort_key = MA_SORT_BY_JOB_NAME;
    query->order = MA_ORDER_ASC;
    query->search_content[0] = '\0';
    query->workspace_id[0] = '\0';
}

#define REQUIRE_QUERY(fn)                                                        \
    do {                                                                         \
        ma_error_clear(err);                                                     \
        if (!query)                                                              \
            return ma__error_set(err, MA_ERR_INVALID_ARG, fn ": query is NULL"); \
    } while (0)

ma_status ma_job_query_set_status(ma_job_query *query, ma_job_status status, ma_error *err)
{
    REQUIRE_QUERY("ma_job_query_set_status");
    if ((int)status < 0 || (int)status > (int)MA_JOB_STATUS_MAX)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "status must be a job status in [0, %d], got %d",
                             (int)MA_JOB_STATUS_MAX, (int)status);
    query->status = status;
    query->set |= MA__Q_STATUS;
    return MA_OK;
}

ma_status ma_job_query_set_per_page(ma_job_query *query, int per_page, ma_error *err)
{
    REQUIRE_QUERY("ma_job_query_set_per_page");
    if (per_page < MA_PER_PAGE_MIN || per_page > MA_PER_PAGE_MAX)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "per_page must be in [%d, %d], got %d", MA_PER_PAGE_MIN,
                             MA_PER_PAGE_MAX, per_page);
    query->per_page = per_page;
    query->set |= MA__Q_PER_PAGE;
    return MA_OK;
}

ma_status ma_job_query_set_page(ma_job_query *query, int page, ma_error *err)
{
    REQUIRE_QUERY("ma_job_query_set_page");
    if (page < MA_PAGE_MIN || page > MA_PAGE_MAX)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "page must be in [%d, %d], got %d", MA_PAGE_MIN, MA_PAGE_MAX,
                             page);
    query->page = page;
    query->set |= MA__Q_PAGE;
    return MA_OK;
}

ma_status ma_job_query_set_sort_by(ma_job_query *query, ma_sort_key key, ma_error *err)
{
    REQUIRE_QUERY("ma_job_query_set_sort_by");
    if (!ma__sort_key_wire(key))
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "sortBy must be one of job_name, job_desc, status, duration, version_count, "
                             "create_time (ma_sort_key 0..5), got %d",
                             (int)key);
    query->sort_key = key;
    query->set |= MA__Q_SORT_BY;
    return MA_OK;
}

ma_status ma_job_query_set_order(ma_job_query *query, ma_sort_order order, ma_error *err)
{
    REQUIRE_QUERY("ma_job_query_set_order");
    if (!ma__sort_order_wire(order))
        return ma__error_set(err, MA_ERR_INVALID_ARG, "order must be asc or desc (ma_sort_order 0..1), got %d",
                             (int)order);
    query->order = order;
    query->set |= MA__Q_ORDER;
    return MA_OK;
}

ma_status ma_job_query_set_search_content(ma_job_query *query, const char *text, ma_error *err)
{
    REQUIRE_QUERY("ma_job_query_set_search_content");
    if (!text)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "search_content is NULL");
    /* Bound the scan: anything longer than 4 bytes per allowed character is too long anyway. */
    size_t len = strnlen(text, sizeof query->search_content);
    size_t chars = 0;
    if (len == sizeof query->search_content ||
        (ma__utf8_validate(text, len, &chars) && chars > MA_SEARCH_CONTENT_MAX_CHARS))
        return ma__error_set(err, MA_ERR_INVALID_ARG, "search_content must have 0 to %d characters",
                             MA_SEARCH_CONTENT_MAX_CHARS);
    if (!ma__utf8_validate(text, len, &chars))
        return ma__error_set(err, MA_ERR_INVALID_ARG, "search_content is not valid UTF-8");
    memcpy(query->search_content, text, len + 1);
    query->set |= MA__Q_SEARCH;
    return MA_OK;
}

ma_status ma_job_query_set_workspace_id(ma_job_query *query, const char *workspace_id, ma_error *err)
{
    REQUIRE_QUERY("ma_job_query_set_workspace_id");
    if (!workspace_id)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "workspace_id is NULL");
    size_t len = strnlen(workspace_id, sizeof query->workspace_id);
    if (len == 0 || len > MA_WORKSPACE_ID_MAX_BYTES)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "workspace_id must have 1 to %d bytes",
                             MA_WORKSPACE_ID_MAX_BYTES);
    if (!ma__utf8_validate(workspace_id, len, NULL) || !ma__no_control_bytes(workspace_id, len))
        return ma__error_set(err, MA_ERR_INVALID_ARG, "workspace_id must be valid UTF-8 without control characters");
    memcpy(query->workspace_id, workspace_id, len + 1);
    query->set |= MA__Q_WORKSPACE;
    return MA_OK;
}

const char *ma__sort_key_wire(ma_sort_key key)
{
    switch (key) {
    case MA_SORT_BY_JOB_NAME:
        return "job_name";
    case MA_SORT_BY_JOB_DESC:
        return "job_desc";
    case MA_SORT_BY_STATUS:
        return "status";
    case MA_SORT_BY_DURATION:
        return "duration";
    case MA_SORT_BY_VERSION_COUNT:
        return "version_count";
    case MA_SORT_BY_CREATE_TIME:
        return "create_time";
    }
    return NULL;
}

const char *ma__sort_order_wire(ma_sort_order order)
{
    switch (order) {
    case MA_ORDER_ASC:
        return "asc";
    case MA_ORDER_DESC:
        return "desc";
    }
    return NULL;
}

static int add_int_param(ma__http_request *req, const char *name, int value)
{
    char digits[16];
    int n = snprintf(digits, sizeof digits, "%d", value);
    return ma__request_add_param(req, name, digits, (size_t)n);
}

static int add_param(ma__http_request *req, const char *name, const char *value)
{
    return ma__request_add_param(req, name, value, strlen(value));
}

ma_status ma__query_add_params(const ma_job_query *q, int32_t sort_name, ma__http_request *req, ma_error *err)
{
    if (!q)
        return MA_OK;
    const char *sort_param = sort_name == MA_SORT_PARAM_SORT_BY ? "sort_by" : "sortBy";
    /* The setters only store known values; a corrupted or foreign query must not reach strlen(NULL). */
    const char *sort_key = (q->set & MA__Q_SORT_BY) ? ma__sort_key_wire(q->sort_key) : NULL;
    if ((q->set & MA__Q_SORT_BY) && !sort_key)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "query: sort key %d has no wire name", (int)q->sort_key);
    const char *order = (q->set & MA__Q_ORDER) ? ma__sort_order_wire(q->order) : NULL;
    if ((q->set & MA__Q_ORDER) && !order)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "query: sort order %d has no wire name", (int)q->order);
    if (((q->set & MA__Q_STATUS) && add_int_param(req, "status", (int)q->status) != 0) ||
        ((q->set & MA__Q_PER_PAGE) && add_int_param(req, "per_page", q->per_page) != 0) ||
        ((q->set & MA__Q_PAGE) && add_int_param(req, "page", q->page) != 0) ||
        (sort_key && add_param(req, sort_param, sort_key) != 0) || (order && add_param(req, "order", order) != 0) ||
        ((q->set & MA__Q_SEARCH) && add_param(req, "search_content", q->search_content) != 0) ||
        ((q->set & MA__Q_WORKSPACE) && add_param(req, "workspace_id", q->workspace_id) != 0))
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory adding the query parameters");
    return MA_OK;
}
