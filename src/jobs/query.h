/* The query's layout and its rendering as URL parameters. */
#ifndef MA_JOBS_QUERY_H
#define MA_JOBS_QUERY_H

#include "modelarts/ma_client.h"
#include "modelarts/ma_job_query.h"
#include "http/request.h"

enum {
    MA__Q_STATUS = 1u << 0,
    MA__Q_PER_PAGE = 1u << 1,
    MA__Q_PAGE = 1u << 2,
    MA__Q_SORT_BY = 1u << 3,
    MA__Q_ORDER = 1u << 4,
    MA__Q_SEARCH = 1u << 5,
    MA__Q_WORKSPACE = 1u << 6
};

/* Strings are bounded by the API, so they live inline: one allocation per query. */
struct ma_job_query {
    ma_allocator alloc;
    unsigned int set;
    ma_job_status status;
    int per_page;
    int page;
    ma_sort_key sort_key;
    ma_sort_order order;
    char search_content[MA_SEARCH_CONTENT_MAX_CHARS * 4 + 1];
    char workspace_id[MA_WORKSPACE_ID_MAX_BYTES + 1];
};

/*
 * Adds a raw name/value pair to @p req for every parameter that was set, in
 * the order of the API page (the request renderer encodes them). Adds nothing
 * for NULL or an empty query. Returns MA_OK, MA_ERR_NOMEM, or MA_ERR_INVALID_ARG
 * for a sort key or order without a wire name; @p err is nullable.
 */
ma_status ma__query_add_params(const ma_job_query *query, int32_t sort_name, ma__http_request *req, ma_error *err);

/* Wire spelling of a sort key / order. */
const char *ma__sort_key_wire(ma_sort_key key);
const char *ma__sort_order_wire(ma_sort_order order);

#endif
